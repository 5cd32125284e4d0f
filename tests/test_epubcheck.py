"""EPUBCheck through one JVM (kzarchive.export.epubcheck): each book gets its own report, the reports
are the command line's, and a JVM that dies costs one clear error, not the rest of the run."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from kzarchive.errors import ExportError
from kzarchive.export.epub import export_epub
from kzarchive.export.epubcheck import Epubcheck, _messages, epubcheck_jar, java_command, problems, run_epubcheck

FIXTURE = Path(__file__).parent / "fixtures" / "house_style_sample.tei.xml"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A clean book, and a copy with a note link that points nowhere."""
    folder = tmp_path_factory.mktemp("epubcheck")
    clean = folder / "clean.epub"
    export_epub(FIXTURE, clean)
    broken = folder / "broken.epub"
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "EPUB/body-01.xhtml":
                data = data.replace(b'href="#note-1"', b'href="#no-such-note"')
            target.writestr(info, data)
    return {"clean": clean, "broken": broken}


def _ids(messages) -> list[str]:
    return sorted(m.id for m in problems(messages))


def test_one_jvm_gives_each_book_its_own_report(books, epubcheck_jvm) -> None:
    first = epubcheck_jvm.check(books["broken"])
    clean = epubcheck_jvm.check(books["clean"])
    again = epubcheck_jvm.check(books["broken"])
    assert "RSC-012" in _ids(first) and clean == [] and again == first


def test_run_epubcheck_in_the_session_uses_its_one_jvm(books, epubcheck_jvm) -> None:
    epubcheck_jvm.check(books["clean"])
    process = epubcheck_jvm._process
    assert "RSC-012" in _ids(run_epubcheck(books["broken"])) and epubcheck_jvm._process is process


def test_a_missing_book_is_a_fatal_message_not_a_clean_report(tmp_path, epubcheck_jvm) -> None:
    """The command line writes an empty report for a path that is not there; the batch runner says so."""
    messages = epubcheck_jvm.check(tmp_path / "absent.epub")
    assert [(m.id, m.severity) for m in messages] == [("PKG-018", "FATAL")]


def test_a_dead_jvm_is_one_clear_error_and_the_next_check_starts_another_that_closing_ends(books) -> None:
    with Epubcheck() as checker:
        assert checker.check(books["clean"]) == []
        assert checker._process is not None
        checker._process.kill()
        checker._process.wait()
        with pytest.raises(ExportError, match="EPUBCheck") as error:
            checker.check(books["clean"])
        assert "\n" not in str(error.value)
        assert checker.check(books["broken"]) and checker.check(books["clean"]) == []
        process = checker._process
    assert process is not None and process.poll() is not None


def test_a_path_with_a_line_break_is_refused_before_the_jvm_sees_it(tmp_path) -> None:
    with Epubcheck() as checker, pytest.raises(ExportError, match="line break"):
        checker.check(tmp_path / "two\nlines.epub")


@pytest.mark.slow
def test_the_reports_are_the_command_lines(books, tmp_path, epubcheck_jvm) -> None:
    """The same messages, severities and places as `java -jar epubcheck.jar BOOK --json`."""
    for book in books.values():
        report = tmp_path / f"{book.stem}.json"
        subprocess.run([java_command(), "-Duser.language=en", "-jar", str(epubcheck_jar()), str(book),
                        "--json", str(report), "-q"], capture_output=True, check=False, timeout=600)
        expected = _messages(json.loads(report.read_text(encoding="utf-8")))
        assert epubcheck_jvm.check(book) == expected
