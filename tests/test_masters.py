"""An archivist's hand-corrected TEI is a master: no command overwrites or deletes it silently."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from kzarchive.cli import main
from kzarchive.tei import TEI_NS

from .test_batch import manifest, small_source

CORRECTION = "Тәуелсіздігін"  # what the archivist types over the source's "тәуелсіздігін"


def convert(sources: Path, out: Path, *extra: str) -> int:
    return main(["convert", str(sources), "-o", str(out), "--jobs", "1", *extra])


def hand_edit(tei: Path) -> bytes:
    """Correct one word in the body, as an archivist would in an XML editor; return the new bytes."""
    stem = tei.name.removesuffix(".tei.xml")
    for edition in tei.parent.glob(f"{stem}.*"):  # exported a while before the edit (clock granularity)
        if edition != tei:
            earlier = edition.stat().st_mtime - 10
            os.utime(edition, (earlier, earlier))
    text = tei.read_text(encoding="utf-8")
    body = text.index("<body")
    edited = text[:body] + text[body:].replace("тәуелсіздігін", CORRECTION, 1)
    assert edited != text
    tei.write_text(edited, encoding="utf-8")
    return tei.read_bytes()


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))


def docx_text(path: Path) -> str:
    return " ".join(p.text for p in Document(str(path)).paragraphs)


def entry(out: Path, stem: str) -> dict:
    return next(d for d in manifest(out)["documents"] if d["stem"] == stem)


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for number, name in enumerate(["alpha.txt", "beta.txt"]):
        small_source(folder, name, number)
    return folder


def test_a_hand_edit_survives_the_next_run_and_reaches_every_edition(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert convert(sources, out, "--formats", "tei,epub,docx") == 0
    edited = hand_edit(out / "alpha.tei.xml")
    capsys.readouterr()

    small_source(sources, "gamma.txt", 7)  # the next day: one new source added
    assert convert(sources, out, "--formats", "tei,epub,docx") == 0
    log = capsys.readouterr().out

    assert (out / "alpha.tei.xml").read_bytes() == edited
    assert "kept    " in log and "alpha.txt (edited by hand: kept; editions made again from it: epub, docx)" in log
    assert CORRECTION in epub_text(out / "alpha.epub") and CORRECTION in docx_text(out / "alpha.docx")
    assert CORRECTION not in epub_text(out / "beta.epub")
    assert (out / "gamma.tei.xml").is_file()
    record = entry(out, "alpha")
    assert record["status"] == "kept" and record["note"].startswith("edited by hand: kept")
    assert record["stats"] and record["chars"] > 0 and record["source_sha256"]  # what the source run learned
    assert record["outputs"]["tei"]["sha256"] != record["generated_tei_sha256"]
    assert "edited by hand: kept" in (out / "report.html").read_text(encoding="utf-8")

    # and on every later run, --force included: kept, editions not made again (they are newer now)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name.startswith("alpha")}
    assert convert(sources, out, "--formats", "tei,epub,docx", "--force") == 0
    assert "alpha.txt (edited by hand: kept)" in capsys.readouterr().out
    assert before == {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name.startswith("alpha")}
    assert (out / "alpha.tei.xml").read_bytes() == edited


def test_a_changed_source_does_not_overwrite_an_edited_tei(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert convert(sources, out, "--formats", "tei") == 0
    edited = hand_edit(out / "beta.tei.xml")
    small_source(sources, "beta.txt", 42)  # the source changes too
    assert convert(sources, out, "--formats", "tei") == 0
    assert (out / "beta.tei.xml").read_bytes() == edited
    assert entry(out, "beta")["status"] == "kept"


def test_reingest_moves_the_edited_tei_to_a_dated_backup(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert convert(sources, out, "--formats", "tei") == 0
    generated = (out / "alpha.tei.xml").read_bytes()
    edited = hand_edit(out / "alpha.tei.xml")
    capsys.readouterr()
    assert convert(sources, out, "--formats", "tei", "--reingest-edited") == 0
    captured = capsys.readouterr()
    backups = sorted(out.glob("alpha.backup-*.tei.xml"))
    assert len(backups) == 1 and backups[0].read_bytes() == edited
    stamp = backups[0].name.removeprefix("alpha.backup-").removesuffix(".tei.xml")
    assert datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").date() == datetime.now(UTC).date()
    assert (out / "alpha.tei.xml").read_bytes() == generated
    assert backups[0].name in captured.err
    assert entry(out, "alpha")["status"] == "ok"
    assert convert(sources, out, "--formats", "tei") == 0  # the master is kzarchive's again: skipped
    assert "skipped " in capsys.readouterr().out


def test_a_tei_of_unknown_origin_at_an_output_name_is_backed_up_not_overwritten(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    foreign = b"<?xml version='1.0'?><TEI>an archivist's own file</TEI>"
    (out / "alpha.tei.xml").write_bytes(foreign)  # no manifest records it
    assert convert(sources, out, "--formats", "tei") == 0
    backups = list(out.glob("alpha.backup-*.tei.xml"))
    assert [b.read_bytes() for b in backups] == [foreign]
    assert "did not write" in capsys.readouterr().err


def test_an_invalid_hand_edit_is_kept_reported_and_never_deleted(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert convert(sources, out, "--formats", "tei,docx") == 0
    tei = out / "alpha.tei.xml"
    broken = tei.read_bytes().replace(b"<body>", b"<body><unknownElement/>", 1)
    tei.write_bytes(broken)
    capsys.readouterr()
    for _ in range(2):  # and again on the next run: still recognised as the archivist's
        assert convert(sources, out, "--formats", "tei,docx") == 1
        captured = capsys.readouterr()
        assert tei.read_bytes() == broken
        line = next(ln for ln in captured.err.splitlines() if "alpha.txt" in ln)
        assert "edited by hand and kept, but not valid TEI" in line and "alpha.tei.xml:" in line
        assert "beta.txt" not in captured.err
        assert entry(out, "alpha")["generated_tei_sha256"]


def test_export_into_the_output_folder_is_recorded_in_the_manifest(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert convert(sources, out, "--formats", "tei,docx") == 0
    hand_edit(out / "beta.tei.xml")
    assert main(["export", str(out / "beta.tei.xml"), "--to", "docx", "-o", str(out)]) == 0
    record = entry(out, "beta")
    docx = out / "beta.docx"
    assert CORRECTION in docx_text(docx)
    assert record["outputs"]["docx"]["size"] == docx.stat().st_size
    assert record["note"] == "edited by hand: kept"
    made = docx.stat().st_mtime_ns
    assert convert(sources, out, "--formats", "tei,docx") == 0  # editions newer than the TEI: not redone
    assert docx.stat().st_mtime_ns == made and CORRECTION in docx_text(docx)


def test_the_conversion_date_is_the_day_of_the_conversion_unless_fixed(sources, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "out"
    assert convert(sources, out, "--formats", "tei") == 0
    today = datetime.now(UTC).date().isoformat()
    date = etree.parse(str(out / "alpha.tei.xml")).find(f".//{{{TEI_NS}}}publicationStmt/{{{TEI_NS}}}date")
    assert date is not None and date.get("when") == today

    fixed = tmp_path / "fixed"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577934245")  # 2020-01-02
    assert convert(sources, fixed, "--formats", "tei") == 0
    assert b'when="2020-01-02"' in (fixed / "alpha.tei.xml").read_bytes()
    assert convert(sources, fixed, "--formats", "tei", "--date", "2021-03-04", "--force") == 0
    assert b'when="2021-03-04"' in (fixed / "alpha.tei.xml").read_bytes()
    # another day, same source: the document is not worth converting again
    assert convert(sources, fixed, "--formats", "tei", "--date", "2022-05-06") == 0
    assert json.loads((fixed / "manifest.json").read_text(encoding="utf-8"))["summary"]["skipped"] == 2


def test_corrections_applied_in_the_output_folder_survive_the_next_convert(tmp_path, capsys) -> None:
    from kzarchive.review.collect import collect_decisions

    from .conftest import sample
    from .test_review import _corrections

    folder = tmp_path / "in"
    folder.mkdir()
    source = folder / "article.txt"
    source.write_text(sample("004").read_text(encoding="utf-8")[:6000], encoding="utf-8")
    out = tmp_path / "out"
    assert convert(folder, out, "--formats", "tei,epub") == 0
    tei = out / "article.tei.xml"
    join = next(d for d in collect_decisions(tei).decisions if d.kind == "syllables")
    corrections = _corrections(tei, [{"id": join.id, "kind": "syllables", "action": "revert"}])
    assert main(["apply", str(corrections), "--by", "A. Archivist"]) == 0
    record = entry(out, "article")
    assert record["outputs"]["tei"]["sha256"] != record["generated_tei_sha256"]
    assert record["outputs"]["epub"]["sha256"] == hashlib.sha256((out / "article.epub").read_bytes()).hexdigest()
    capsys.readouterr()

    small_source(folder, "new.txt")
    assert convert(folder, out, "--formats", "tei,epub") == 0
    assert "article.txt (edited by hand: kept)" in capsys.readouterr().out
    assert join.original in epub_text(out / "article.epub")
    assert f"<reg>{join.original}</reg>" in tei.read_text(encoding="utf-8")
