"""Batch conversion at library scale: parallel, incremental, atomic, reproducible, isolated, reported.

Small synthetic sources are used where the content does not matter, and `--formats tei` where the
editions do not matter, to keep the suite fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree

from kzarchive.cli import main
from kzarchive.results import STAGES
from kzarchive.sources import safe_stem, unique_stems
from kzarchive.tei.validate import load_schema

from .conftest import REPO, SAMPLES, sample

PARAGRAPH = ("Қазақстан Республикасы тәуелсіздігін жариялағаннан кейін сыртқы саясаттың негізгі "
             "бағыттарын айқындады. Көпвекторлы саясат көршілес мемлекеттермен тату көршілік "
             "қатынастарды дамытуға мүмкіндік берді.\n")


def small_source(folder: Path, name: str, variant: int = 0) -> Path:
    path = folder / name
    path.write_text(f"КІРІСПЕ\n\n{PARAGRAPH * 3}\n{variant} нұсқа.\n{PARAGRAPH}", encoding="utf-8")
    return path


def digests(folder: Path, pattern: str = "*") -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob(pattern))
            if p.is_file() and not p.name.startswith(".") and p.name != "manifest.json"}


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def run_cli(*args: str | Path) -> int:
    """`kzarchive convert ARGS`, in this process unless the test asks for --jobs (pools cost time)."""
    arguments = [str(a) for a in args]
    if "--jobs" not in arguments:
        arguments += ["--jobs", "1"]
    return main(["convert", *arguments])


def skipped_lines(log: str) -> int:
    return sum(line.startswith("skipped ") and line.endswith(" (unchanged)") for line in log.splitlines())


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for number, name in enumerate(["alpha.txt", "beta.txt", "gamma.txt"]):
        small_source(folder, name, number)
    return folder


# ------------------------------------------------------------------------------- parallelism


def test_outputs_and_logs_do_not_depend_on_jobs(sources, tmp_path, capsys) -> None:
    logs = {}
    for jobs in ("1", "2"):
        assert run_cli(sources, "-o", tmp_path / f"j{jobs}", "--formats", "tei", "--jobs", jobs) == 0
        logs[jobs] = capsys.readouterr().out
    assert digests(tmp_path / "j1") == digests(tmp_path / "j2")
    assert len(digests(tmp_path / "j1", "*.tei.xml")) == 3
    assert logs["1"] == logs["2"].replace("/j2/", "/j1/")
    def strip(m: dict) -> list[dict]:
        return [{k: v for k, v in d.items() if k not in ("timings", "worker_peak_rss_kb")} for d in m["documents"]]

    assert strip(manifest(tmp_path / "j1")) == strip(manifest(tmp_path / "j2"))


def test_jobs_must_be_positive(sources, tmp_path) -> None:
    assert run_cli(sources, "-o", tmp_path / "out", "--jobs", "0") == 2
    assert run_cli(sources, "-o", tmp_path / "out", "--jobs", "many") == 2


def test_rerun_with_force_is_byte_identical_in_every_format(tmp_path) -> None:
    """All four formats, twice, into different folders: every file but the manifest is identical."""
    folder = tmp_path / "in"
    folder.mkdir()
    for key in ("000", "003"):
        shutil.copy(sample(key), folder)
    shutil.copy(REPO / "input" / "catalog.csv", folder)
    for run in ("a", "b"):
        assert run_cli(folder, "-o", tmp_path / run, "--force", "--quiet") == 0
    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert {Path(n).suffix for n in first} == {".xml", ".epub", ".docx", ".pdf", ".html"}
    assert len(first) == 2 * 5 + 1  # TEI, three editions and a review page each; the report
    assert first == second


# ---------------------------------------------------------------------------- the manifest


def test_manifest_records_sources_outputs_validation_stats_and_timings(sources, tmp_path) -> None:
    out = tmp_path / "out"
    assert run_cli(sources, "-o", out, "--formats", "tei,docx", "--quiet") == 0
    data = manifest(out)
    assert data["generator"].startswith("kzarchive ") and data["versions"]["kzarchive"]
    assert data["options"]["formats"] == ["tei", "docx"] and data["options"]["embed_font"] is False
    assert data["summary"] == {**data["summary"], "documents": 3, "converted": 3, "failed": 0, "skipped": 0}
    for doc in data["documents"]:
        source = Path(doc["source"])
        assert doc["source_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
        assert set(doc["outputs"]) == {"tei", "docx"}
        for out_file in doc["outputs"].values():
            produced = out / out_file["path"]
            assert out_file["sha256"] == hashlib.sha256(produced.read_bytes()).hexdigest()
            assert out_file["size"] == produced.stat().st_size
        assert doc["validation"]["valid"] is True and doc["validation"]["issues"] == []
        assert doc["stats"]["blocks"] > 0
        assert {"read", "clean", "structure", "encode", "validate", "write-tei", "export-docx"} <= set(doc["timings"])
        assert doc["status"] == "ok" and doc["error"] == "" and doc["pages"] >= 1


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs += [v for k, v in attrs if k in ("href", "src") and v]


def test_report_links_every_output_and_is_self_contained(sources, tmp_path) -> None:
    small_source(sources, "broken.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert run_cli(sources, "-o", out, "--formats", "tei,docx", "--quiet") == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    links = _Links()
    links.feed(html)
    assert "script" not in links.tags and "<style>" in html
    assert not [h for h in links.hrefs if re.match(r"[a-z]+:", h)]  # nothing fetched from elsewhere
    for name in ("alpha", "beta", "gamma"):
        assert f"{name}.tei.xml" in links.hrefs and f"{name}.docx" in links.hrefs
    assert all((out / h).is_file() for h in links.hrefs)
    assert "broken.txt" in html and "FAILED" in html and "empty file" in html
    assert html.count("✓ valid") == 3


# -------------------------------------------------------------------------------- incremental


def test_unchanged_documents_are_skipped_and_changes_are_redone(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert run_cli(sources, "-o", out, "--formats", "tei") == 0
    capsys.readouterr()
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.tei.xml")}

    assert run_cli(sources, "-o", out, "--formats", "tei") == 0
    assert skipped_lines(capsys.readouterr().out) == 3
    assert before == {p.name: p.stat().st_mtime_ns for p in out.glob("*.tei.xml")}
    assert manifest(out)["summary"]["skipped"] == 3

    small_source(sources, "alpha.txt", variant=99)  # source bytes changed
    (out / "beta.tei.xml").unlink()  # a master deleted: made again (an edited one is kept: test_masters.py)
    (sources / "catalog.csv").write_text("file,title\ngamma.txt,Жаңа атау\n", encoding="utf-8")
    assert run_cli(sources, "-o", out, "--formats", "tei") == 0
    log = capsys.readouterr().out
    assert "skipped" not in log and log.count("ok      ") == 3
    assert (out / "beta.tei.xml").is_file()
    assert "Жаңа атау" in (out / "gamma.tei.xml").read_text(encoding="utf-8")

    assert run_cli(sources, "-o", out, "--formats", "tei,docx") == 0  # other options: redone
    assert "skipped" not in capsys.readouterr().out
    (out / "gamma.docx").unlink()  # a missing output: that document is redone
    assert run_cli(sources, "-o", out, "--formats", "tei,docx") == 0
    log = capsys.readouterr().out
    assert skipped_lines(log) == 2 and "ok      " in log and (out / "gamma.docx").is_file()

    assert run_cli(sources, "-o", out, "--formats", "tei,docx", "--force") == 0
    assert "skipped" not in capsys.readouterr().out


def test_failed_documents_are_retried(sources, tmp_path, monkeypatch, capsys) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("KZARCHIVE_FAULT", "clean:beta")
    assert run_cli(sources, "-o", out, "--formats", "tei") == 1
    monkeypatch.delenv("KZARCHIVE_FAULT")
    capsys.readouterr()
    assert run_cli(sources, "-o", out, "--formats", "tei") == 0
    log = capsys.readouterr().out
    assert "ok      " in log and "beta.txt" in log and skipped_lines(log) == 2


# --------------------------------------------------------------------------------- isolation


@pytest.mark.parametrize("stage", STAGES)
def test_a_failing_stage_fails_only_its_document(stage, sources, tmp_path, monkeypatch, capsys) -> None:
    out = tmp_path / "out"
    formats = "tei," + stage.removeprefix("export-") if stage.startswith("export-") else "tei"
    monkeypatch.setenv("KZARCHIVE_FAULT", f"{stage}:beta")
    assert run_cli(sources, "-o", out, "--formats", formats, "--jobs", "1") == 1
    captured = capsys.readouterr()
    failure = [ln for ln in captured.err.splitlines() if "beta.txt" in ln]
    assert failure == [f"FAILED  {sources / 'beta.txt'}: {stage}: injected fault in {stage}"]
    assert "Traceback" not in captured.err
    docs = {d["source_name"]: d for d in manifest(out)["documents"]}
    assert docs["beta.txt"]["status"] == "failed" and docs["beta.txt"]["failed_stage"] == stage
    assert "injected fault" in docs["beta.txt"]["error"]
    for name in ("alpha.txt", "gamma.txt"):
        assert docs[name]["status"] == "ok" and set(docs[name]["outputs"]) == set(formats.split(","))


@pytest.mark.parametrize("stage", ["read", "clean", "structure", "encode", "validate", "export-docx"])
def test_a_bug_in_a_worker_is_reported_per_document(stage, sources, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KZARCHIVE_FAULT", f"{stage}:gamma:bug")
    assert run_cli(sources, "-o", tmp_path / "out", "--formats", "tei,docx", "--jobs", "2") == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.strip().splitlines() == [
        f"FAILED  {sources / 'gamma.txt'}: internal error in {stage}: RuntimeError: injected bug in {stage}"]
    assert captured.out.count("ok      ") == 2


def test_a_dying_worker_fails_its_document_only(sources, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KZARCHIVE_FAULT", "clean:alpha:exit")
    assert run_cli(sources, "-o", tmp_path / "out", "--formats", "tei", "--jobs", "2") == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.strip().splitlines() == [
        f"FAILED  {sources / 'alpha.txt'}: internal error in worker: the worker process died while converting "
        "this document (killed, out of memory, a crash in native code, or stuck past twice the time limit)"]
    assert captured.out.count("ok      ") == 2
    assert manifest(tmp_path / "out")["summary"]["failed"] == 1


# ------------------------------------------------------------------------------ output modes


def test_log_json_gives_one_object_per_document(sources, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KZARCHIVE_FAULT", "encode:beta")
    assert run_cli(sources, "-o", tmp_path / "out", "--formats", "tei", "--log-json") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    records = [json.loads(line) for line in captured.err.splitlines()]
    assert [r["event"] for r in records] == ["document"] * 3 + ["summary"]
    assert [Path(r["source"]).name for r in records[:3]] == ["alpha.txt", "beta.txt", "gamma.txt"]
    assert records[1]["status"] == "failed" and records[1]["stage"] == "encode"
    assert records[3]["converted"] == 2 and records[3]["failed"] == 1


def test_quiet_prints_failures_only(sources, tmp_path, monkeypatch, capsys) -> None:
    assert run_cli(sources, "-o", tmp_path / "out", "--formats", "tei", "--quiet") == 0
    assert capsys.readouterr().out == ""
    monkeypatch.setenv("KZARCHIVE_FAULT", "read:alpha")
    assert run_cli(sources, "-o", tmp_path / "out2", "--formats", "tei", "-q") == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "alpha.txt" in captured.err


# ------------------------------------------------------------------------------ output names


ODD_NAMES = ["Doc.txt", "doc.txt", "DOC.txt", "a b.txt", "a_b.txt", "caf\u00e9.txt", "cafe\u0301.txt",
             "..hidden.txt", "\u202eevil\u202c.txt", "Қазақ тілі.txt", "қазақ тілі.txt", ("ж" * 200) + ".txt",
             ("ж" * 199) + "x.txt", "-.txt"]


def test_output_names_stay_inside_the_folder_and_never_clash(tmp_path) -> None:
    sources = [tmp_path / "in" / name for name in ODD_NAMES] + [Path("/etc/passwd"), Path("../../up.txt"),
                                                                 tmp_path / "other" / "Doc.txt"]
    stems = unique_stems(sources)
    assert len({s.casefold() for s in stems.values()}) == len(sources)
    assert unique_stems(list(reversed(sources))) == stems  # the same names whatever the order
    out = (tmp_path / "out").resolve()
    for stem in stems.values():
        assert "/" not in stem and not stem.startswith(".") and stem not in ("", "..")
        assert (out / f"{stem}.tei.xml").resolve().parent == out
        assert len(f".{stem}.tei.xml.12345678.part".encode()) <= 255
    assert safe_stem(Path("Doc.txt")) == "Doc" and stems[tmp_path / "in" / "Қазақ тілі.txt"].startswith("Қазақ_тілі-")


def test_sources_differing_only_by_case_get_distinct_outputs(tmp_path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number, name in enumerate(["Report.txt", "report.txt", "caf\u00e9.txt", "cafe\u0301.txt"]):
        small_source(folder, name, number)
    out = tmp_path / "out"
    assert run_cli(folder, "-o", out, "--formats", "tei") == 0
    produced = sorted(p.name for p in out.glob("*.tei.xml"))
    assert len(produced) == 4 and len({p.casefold() for p in produced}) == 4
    assert run_cli(folder, "-o", out, "--formats", "tei") == 0  # and the names are stable
    assert skipped_lines(capsys.readouterr().out) == 4


def test_a_busy_output_folder_is_a_usage_error(sources, tmp_path, capsys) -> None:
    from kzarchive.fsutil import folder_lock

    with folder_lock(tmp_path / "out"):
        assert run_cli(sources, "-o", tmp_path / "out", "--formats", "tei") == 2
    assert "another kzarchive run" in capsys.readouterr().err


# ------------------------------------------------------------------------- killed midway


def _final_outputs_are_complete(out: Path) -> None:
    schema = load_schema()
    for tei in out.glob("*.tei.xml"):
        assert schema.validate(etree.parse(str(tei))), tei
    for docx in out.glob("*.docx"):
        with zipfile.ZipFile(docx) as archive:
            assert archive.testzip() is None and "word/document.xml" in archive.namelist()


@pytest.mark.slow
def test_a_run_killed_midway_leaves_no_partial_outputs_and_the_next_run_completes(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SAMPLES:
        shutil.copy(path, folder)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kzarchive", "convert", str(folder), "-o", str(out),
               "--formats", "tei,docx", "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while not list(out.glob("*.tei.xml")) and process.poll() is None:
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the whole group: the CLI and its workers
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert not (out / "manifest.json").exists()
    _final_outputs_are_complete(out)  # whatever has a final name is whole

    rerun = subprocess.run(command, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    _final_outputs_are_complete(out)
    assert len(list(out.glob("*.tei.xml"))) == len(list(out.glob("*.docx"))) == len(SAMPLES)
    leftovers = [p.name for p in out.iterdir() if p.name.endswith((".part", ".tmp")) or "journal" in p.name]
    assert leftovers == []
    assert manifest(out)["summary"]["failed"] == 0


def test_a_run_of_fewer_formats_keeps_the_other_editions_recorded(sources, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert run_cli(sources, "-o", out, "--formats", "tei,docx,pdf") == 0
    pdf_pages = {d["stem"]: d["pdf_pages"] for d in manifest(out)["documents"]}
    from pypdf import PdfReader

    assert pdf_pages["alpha"] == len(PdfReader(out / "alpha.pdf").pages) > 0
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f'title="pages of the PDF edition">{pdf_pages["alpha"]}<' in report

    assert run_cli(sources, "-o", out, "--formats", "tei") == 0  # a subset: nothing to redo
    assert skipped_lines(capsys.readouterr().out) == 3
    assert all(set(d["outputs"]) == {"tei", "docx", "pdf"} for d in manifest(out)["documents"])
    assert 'href="alpha.docx"' in (out / "report.html").read_text(encoding="utf-8")

    small_source(sources, "alpha.txt", variant=5)  # a new TEI for alpha: its old editions contradict it
    assert run_cli(sources, "-o", out, "--formats", "tei") == 0
    captured = capsys.readouterr()
    documents = {d["stem"]: d for d in manifest(out)["documents"]}
    assert set(documents["alpha"]["outputs"]) == {"tei"} and not (out / "alpha.docx").exists()
    assert "alpha.docx was made from an earlier TEI" in captured.err
    assert set(documents["beta"]["outputs"]) == {"tei", "docx", "pdf"} and documents["beta"]["pdf_pages"]
