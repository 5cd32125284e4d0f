"""output/manifest.json: what each run did to each document, and the memory of incremental runs.

The manifest and the report are the outputs allowed to differ between two runs over the same
sources (the manifest holds timings and the run's start and end; both say which documents were
converted and which skipped); the TEI masters and the editions are byte-identical. While a batch runs,
each finished document is appended to a journal (`.kzarchive-journal.jsonl`), so a run that is
killed still lets the next one skip what was completed; the journal is folded into the manifest and
removed when the batch ends.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .fsutil import atomic_write_text, sha256_file
from .remote import SourcePath, fingerprint, location_text, remote_sha256
from .sources import display_name

if TYPE_CHECKING:
    from .pipeline import _Task
    from .results import ConvertOptions, DocumentResult

MANIFEST_NAME = "manifest.json"
REPORT_NAME = "report.html"
JOURNAL_NAME = ".kzarchive-journal.jsonl"
MANIFEST_VERSION = 1

Entry = dict[str, Any]


def document_entry(result: DocumentResult) -> Entry:
    return {
        "source": display_name(location_text(result.source)),
        "source_name": display_name(result.source.name),
        "source_sha256": result.sha256,
        **({"source_fingerprint": result.source_fingerprint} if result.source_fingerprint else {}),
        "source_size": result.source_size,
        "encoding": result.encoding,
        "stem": result.stem,
        "title": result.title,
        "status": result.status,
        "note": result.note,
        "failed_stage": result.failed_stage,
        "error": result.error,
        "key": result.key,
        "chars": result.chars,
        "page_breaks": result.page_breaks,
        "pages": result.pages,
        "pdf_pages": result.pdf_pages,
        "review": result.review,
        "generated_tei_sha256": result.generated_tei_sha256,
        "outputs": {fmt: {"path": record.path.name, "sha256": record.sha256, "size": record.size}
                    for fmt, record in result.records.items()},
        "validation": result.validation,
        "stats": result.stats,
        "warnings": result.warnings,
        "timings": result.timings,
        "worker_peak_rss_kb": result.worker_peak_rss_kb,
    }


def result_from_entry(entry: Entry, source: SourcePath, output_dir: Path) -> DocumentResult:
    """A skipped document, described by what the run that converted it recorded."""
    from .masters import generated_tei_sha256
    from .results import DocumentResult, OutputRecord

    records = {fmt: OutputRecord(output_dir / out["path"], out["sha256"], out["size"])
               for fmt, out in entry.get("outputs", {}).items()}
    return DocumentResult(
        source, ok=True, status="skipped", outputs={fmt: r.path for fmt, r in records.items()}, records=records,
        warnings=list(entry.get("warnings", [])), stats=dict(entry.get("stats", {})), sha256=entry["source_sha256"],
        source_fingerprint=str(entry.get("source_fingerprint", "")),
        stem=entry["stem"], key=entry["key"], title=entry.get("title", ""), encoding=entry.get("encoding", ""),
        source_size=entry.get("source_size", 0), chars=entry.get("chars", 0),
        page_breaks=entry.get("page_breaks", 0), pdf_pages=entry.get("pdf_pages", 0),
        review=dict(entry.get("review") or {}), validation=dict(entry.get("validation", {})),
        generated_tei_sha256=generated_tei_sha256(entry))


# ------------------------------------------------------------------------------ incremental runs


def load_previous(output_dir: Path) -> dict[str, Entry]:
    """Entries of earlier runs by output stem: the manifest, then the journal of a run that did not
    finish (later entries win). Unreadable files are ignored: the documents are simply redone."""
    entries: dict[str, Entry] = {}
    try:
        manifest = json.loads((output_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        if manifest.get("manifest_version") != MANIFEST_VERSION:
            raise ValueError("a manifest of another layout: redo its documents")
        for entry in manifest.get("documents", []):
            entries[entry["stem"]] = entry
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    for entry in _journal_entries(output_dir / JOURNAL_NAME):
        entries[entry["stem"]] = entry
    return entries


def _journal_entries(path: Path) -> list[Entry]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:  # the last line of a killed run may be cut short
            continue
        if isinstance(entry, dict) and "stem" in entry:
            entries.append(entry)
    return entries


def find_unchanged(tasks: list[_Task], previous: dict[str, Entry],
                   options: ConvertOptions) -> dict[int, DocumentResult]:
    """Documents whose source, catalog entry, options and kzarchive version are those of a successful
    earlier conversion, and whose requested outputs are all still there with the bytes recorded then.
    Editions made by earlier runs but not asked for this time stay recorded while they are intact."""
    from .pipeline import document_key

    unchanged = {}
    for task in tasks:
        entry = previous.get(task.stem)
        if not entry or entry.get("status") not in ("ok", "skipped") or task.refused:
            continue
        try:
            source_sha = _source_sha256(task.source, entry)
        except Exception:  # unreadable now (gone, a store's error): it is converted, and fails there in one line
            continue
        key = document_key(source_sha, task.source.name, task.stem, task.entry, options)
        try:
            intact = intact_outputs(entry, options.output_dir)
            if entry.get("key") == key and set(options.formats) <= set(intact):
                entry = {**entry, "outputs": {fmt: entry["outputs"][fmt] for fmt in intact}}
                unchanged[task.index] = result_from_entry(entry, task.source, options.output_dir)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # a damaged entry: convert the document again
    return unchanged


def _source_sha256(source: SourcePath, entry: Entry) -> str:
    """A store's object whose version is the one recorded is not downloaded again to be hashed."""
    if isinstance(source, Path):
        return sha256_file(source)
    recorded = entry.get("source_fingerprint")
    if recorded and recorded == fingerprint(source) and isinstance(entry.get("source_sha256"), str):
        return str(entry["source_sha256"])
    return remote_sha256(source)


def intact_outputs(entry: Entry, output_dir: Path) -> list[str]:
    """The formats whose recorded output is still on disk with the bytes recorded."""
    intact = []
    for fmt, out in entry.get("outputs", {}).items():
        path = output_dir / out["path"]
        try:
            if path.stat().st_size == out["size"] and sha256_file(path) == out["sha256"]:
                intact.append(fmt)
        except OSError:
            continue
    return intact


def carry_over_source_facts(result: DocumentResult, entry: Entry | None) -> None:
    """A kept master was not made from its source in this run: what the run that made it learned of
    the source (identity, size, encoding, cleaning statistics) stays in the manifest and the report."""
    if result.status != "kept" or not entry:
        return
    result.sha256 = result.sha256 or entry.get("source_sha256", "")
    result.source_size = result.source_size or entry.get("source_size", 0)
    result.encoding = result.encoding or entry.get("encoding", "")
    result.chars = result.chars or entry.get("chars", 0)
    result.key = result.key or entry.get("key", "")
    result.stats = result.stats or dict(entry.get("stats", {}))


def carry_over_editions(result: DocumentResult, entry: Entry | None, output_dir: Path) -> list[str]:
    """After a run that made only some formats: the editions an earlier run made stay recorded when
    they are intact and were made from the TEI that is there now (the same generated bytes, or an
    edition not older than a hand-edited TEI). Returns the formats carried over."""
    from .masters import generated_tei_sha256, stale_editions
    from .results import OutputRecord

    if not entry or "tei" not in result.records:
        return []
    same_master = generated_tei_sha256(entry) == result.generated_tei_sha256
    carried = []
    for fmt in intact_outputs(entry, output_dir):
        if fmt in result.records:
            continue
        path = output_dir / entry["outputs"][fmt]["path"]
        if same_master if result.status != "kept" else not stale_editions(result.records["tei"].path, {fmt: path}):
            result.records[fmt] = OutputRecord(path, entry["outputs"][fmt]["sha256"], entry["outputs"][fmt]["size"])
            result.outputs[fmt] = path
            result.pdf_pages = entry.get("pdf_pages", 0) if fmt == "pdf" else result.pdf_pages
            carried.append(fmt)
        else:  # ours (its recorded bytes), but made from an earlier TEI: it would contradict the master
            path.unlink(missing_ok=True)
            result.warnings.append(f"{path.name} was made from an earlier TEI and no longer matches it: removed "
                                   f"(add {fmt} to --formats to make it again)")
    return carried


class Journal:
    """Append-only record of finished documents, one JSON object per line."""

    def __init__(self, output_dir: Path) -> None:
        self.path = output_dir / JOURNAL_NAME
        self.handle: TextIO | None = None

    def __enter__(self) -> Journal:
        self.handle = self.path.open("a", encoding="utf-8")
        return self

    def append(self, result: DocumentResult) -> None:
        assert self.handle is not None
        self.handle.write(json.dumps(document_entry(result), ensure_ascii=False) + "\n")
        self.handle.flush()  # in the kernel's hands: survives the process being killed

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        assert self.handle is not None
        self.handle.close()
        if kind is None:  # the manifest now holds everything the journal did
            self.path.unlink(missing_ok=True)


# ------------------------------------------------------------------------------------ the files


def build_manifest(results: list[DocumentResult], options: ConvertOptions, started: float) -> Entry:
    documents = [document_entry(r) for r in results]
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": f"kzarchive {__version__}",
        "options": {"formats": list(options.formats), "embed_font": options.embed_font, "force": options.force,
                    "conversion_date": options.date},
        "versions": _versions(),
        "schema": _schema_identity(),
        "summary": summarise(results),
        "run": {"started": _iso(started), "finished": _iso(time.time()),
                "wall_seconds": round(time.time() - started, 3), "jobs": options.jobs,
                "scheduler": options.scheduler or None,
                "platform": platform.platform()},
        "documents": documents,
    }


def summarise(results: list[DocumentResult]) -> dict[str, int]:
    return {
        "documents": len(results),
        "converted": sum(r.status == "ok" for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
        "kept": sum(r.status == "kept" for r in results),
        "failed": sum(r.status == "failed" for r in results),
        "pages": sum(r.pages for r in results),
        "source_bytes": sum(r.source_size for r in results),
    }


def write_manifest(output_dir: Path, results: list[DocumentResult], options: ConvertOptions,
                   started: float) -> Entry:
    from .report import render_report

    manifest = build_manifest(results, options, started)
    atomic_write_text(output_dir / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(output_dir / REPORT_NAME, render_report(manifest))
    return manifest


def record_export(output_dir: Path, tei_path: Path, outputs: dict[str, Path]) -> bool:
    """`kzarchive export` into an output folder: the manifest learns the editions it made from the
    TEI there (and that TEI's current bytes, marked as edited by hand when they are not the ones
    kzarchive wrote), so the next convert neither redoes nor deletes them. False when the folder has
    no manifest entry for this TEI. Call while holding the folder lock."""
    from .masters import KEPT_NOTE, generated_tei_sha256
    from .report import render_report
    from .review.page import write_review_page

    path = output_dir / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        target = tei_path.resolve()
        entry = next(e for e in manifest["documents"] if (output_dir / f"{e['stem']}.tei.xml").resolve() == target)
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return False
    generated = generated_tei_sha256(entry)
    entry["generated_tei_sha256"] = generated
    for fmt, out in {"tei": tei_path, **outputs}.items():
        entry.setdefault("outputs", {})[fmt] = {"path": out.name, "sha256": sha256_file(out), "size": out.stat().st_size}
    if entry["outputs"]["tei"]["sha256"] != generated:
        entry["note"] = KEPT_NOTE
    if tei_path.resolve().parent == output_dir.resolve():  # its review page follows the TEI like an edition
        entry["review"] = write_review_page(tei_path)
    atomic_write_text(path, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(output_dir / REPORT_NAME, render_report(manifest))
    return True


def _versions() -> dict[str, str]:
    versions = {"kzarchive": __version__, "python": sys.version.split()[0]}
    for package in ("lxml", "ebooklib", "python-docx", "typst", "spylls"):
        try:
            versions[package] = package_metadata.version(package)
        except package_metadata.PackageNotFoundError:
            versions[package] = ""
    return versions


def _schema_identity() -> dict[str, str]:
    from .tei.validate import project_schema_path

    path = project_schema_path()
    try:
        return {"name": path.name, "sha256": sha256_file(path)}
    except OSError:
        return {"name": path.name, "sha256": ""}


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds")
