"""One document: read → clean → structure → encode → validate → write → export; many: a batch run in
a process pool (pool.py) or on a Dask cluster (cluster.py) that reports each failure and carries on,
skips unchanged documents, keeps hand-edited masters (masters.py) and records everything in
output/manifest.json and output/report.html.

Testing aid: KZARCHIVE_FAULT makes chosen stages fail (see faults.py).
"""

from __future__ import annotations

import functools
import hashlib
import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

from lxml import etree

from . import __version__
from .clean import clean_text
from .errors import KzError
from .faults import inject_fault, kills_the_process
from .fsutil import sha256_file
from .lexicon.hunspell import dictionary_identity
from .lexicon.tesseract import tesseract_identity
from .masters import (
    KEPT_NOTE,
    HandEdit,
    find_hand_edit,
    generated_tei_sha256,
    protect_unrecorded,
    stale_editions,
)
from .metadata import CatalogEntry, SourceInfo, load_catalog, sha256_of
from .pdf import PdfSource, clean_pdf, read_pdf_bytes
from .pool import run_all, time_limit
from .read import SourceText, decode_bytes, read_source_bytes
from .remote import SourcePath, everywhere, fingerprint, size_of
from .results import ConvertOptions, DocumentResult, OutputRecord
from .review.page import write_review_page
from .sources import (
    Source,
    collect_sources,
    display_name,
    refusal,
    safe_stem,
    unique_stems,
)
from .structure import structure_document
from .tei import TEI_NS
from .tei.encode import encode_tei
from .tei.facsimile import describe_pdf
from .tei.parse import parse_tei_file
from .tei.validate import validate_built_tree, validate_tree
from .tei.write import write_tei_atomic

T = TypeVar("T")
P = ParamSpec("P")


# ------------------------------------------------------------------------------ one document


class _Stages:
    """Runs the stages of one document: timing, fault injection, and which stage failed."""

    def __init__(self, result: DocumentResult, fault: str) -> None:
        self.result = result
        self.fault = fault
        self.current = "read"

    def run(self, stage: str, action: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        # arguments passed, not closed over, so a stage holds no reference once it returns (memory)
        self.current = stage
        started = time.perf_counter()
        try:
            if self.fault:
                inject_fault(self.fault, stage, self.result.source)
            return action(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            self.result.timings[stage] = round(self.result.timings.get(stage, 0.0) + spent, 4)


def convert_source(source: SourcePath, options: ConvertOptions, catalog: dict[str, CatalogEntry],
                   stem: str | None = None, recorded_tei_sha256: str = "") -> DocumentResult:
    """Convert one source; every failure — expected or a bug — ends up in the result, never raised.
    recorded_tei_sha256: the TEI this document's last conversion wrote, which may be replaced; any
    other bytes at the TEI's name are moved to a backup first (masters.protect_unrecorded)."""
    options = options.resolved()
    result = DocumentResult(source, stem=stem or safe_stem(source))
    entry = catalog.get(source.name, CatalogEntry(source.name))
    return _run_stages(result, options, lambda stages: _convert_stages(result, stages, options, entry,
                                                                          recorded_tei_sha256))


def keep_edited(source: SourcePath, options: ConvertOptions, stem: str, generated_sha256: str) -> DocumentResult:
    """A document whose TEI was edited by hand: the TEI is kept as it is, validated, and the editions
    older than it are exported from it again."""
    options = options.resolved()
    result = DocumentResult(source, stem=stem, status="kept", note=KEPT_NOTE, generated_tei_sha256=generated_sha256)
    return _run_stages(result, options, lambda stages: _keep_stages(result, stages, options))


def _run_stages(result: DocumentResult, options: ConvertOptions, body: Callable[[_Stages], None]) -> DocumentResult:
    stages = _Stages(result, options.fault or "")
    try:
        with time_limit(options.time_limit):
            body(stages)
    except KzError as exc:
        result.fail(stages.current, str(exc))
    except OSError as exc:
        target = exc.filename2 or exc.filename  # os.replace(temporary, target) names the target second
        where = f" ({Path(target).name})" if isinstance(target, str) else ""
        result.fail(stages.current, f"I/O error: {exc.strerror or exc}{where}")
    except MemoryError:
        result.fail(stages.current, f"internal error in {stages.current}: MemoryError: out of memory")
    except Exception as exc:  # a bug: reported for this document, the batch goes on
        result.fail(stages.current, internal_error(stages.current, exc))
    result.worker_peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def internal_error(stage: str, exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:300]
    return f"internal error in {stage}: {type(exc).__name__}: {message}"


def _convert_stages(result: DocumentResult, stages: _Stages, options: ConvertOptions, entry: CatalogEntry,
                    recorded_tei_sha256: str) -> None:
    source = result.source
    result.source_fingerprint = fingerprint(source)  # before the read: a later change is a new version
    data = stages.run("read", read_source_bytes, source)
    result.sha256, result.source_size = sha256_of(data), len(data)
    result.key = document_key(result.sha256, source.name, result.stem, entry, options)
    decoded = stages.run("read", _decode, source, data)
    result.encoding, result.chars = decoded.encoding, len(decoded.text)
    del data  # memory: each stage's input is dropped once the next stage has its output (partial, not
    # a lambda, hands it over: a closure would keep it)
    info = SourceInfo(source, result.sha256, result.source_size, decoded.encoding, entry, options.date,
                      decoded.removed_controls, name=display_name(source.name))
    pdf_source = decoded if isinstance(decoded, PdfSource) else None
    clean = functools.partial(clean_pdf, pdf_source) if pdf_source else functools.partial(clean_text, decoded.text)
    cleaned = stages.run("clean", clean)
    del decoded, clean
    result.stats = dict(cleaned.stats)
    language = entry.language or "kk"
    document = stages.run("structure", functools.partial(structure_document, cleaned, main_language=language))
    del cleaned
    result.stats.update(document.stats)  # divisions found, notes bound, citations resolved
    tree = stages.run("encode", functools.partial(encode_tei, document, info, consume=True))
    del document
    if pdf_source is not None:
        stages.run("encode", functools.partial(describe_pdf, tree, pdf_source))
    del pdf_source
    _describe(result, tree)
    stages.run("validate", functools.partial(_validate, tree, result))
    tei_path = options.output_dir / f"{result.stem}.tei.xml"
    stages.run("write-tei", functools.partial(_write_tei, tei_path, tree, recorded_tei_sha256, result))
    del tree
    _record_output(result, "tei", tei_path)
    result.generated_tei_sha256 = result.records["tei"].sha256
    result.review = stages.run("review", write_review_page, tei_path)
    export_all(tei_path, options, result.stem, result, stages, options.formats)


def _decode(source: SourcePath, data: bytes) -> SourceText | PdfSource:
    return read_pdf_bytes(data) if source.suffix.lower() == ".pdf" else decode_bytes(data)


def _write_tei(tei_path: Path, tree: etree._ElementTree, recorded_tei_sha256: str, result: DocumentResult) -> None:
    """Streamed into place (never one bytes object); what stood at the name is backed up first
    unless kzarchive wrote it."""

    def protect(new_sha256: str) -> None:
        backup = protect_unrecorded(tei_path, new_sha256, recorded_tei_sha256)
        if backup:
            result.warnings.append(f"{tei_path.name} held a TEI kzarchive did not write (edited by hand?): "
                                   f"moved to {backup.name}")

    write_tei_atomic(tree, tei_path, protect)


def _keep_stages(result: DocumentResult, stages: _Stages, options: ConvertOptions) -> None:
    tei_path = options.output_dir / f"{result.stem}.tei.xml"
    tree = stages.run("validate", parse_tei_file, tei_path)
    issues = stages.run("validate", validate_tree, tree)
    result.validation = {"schema": "tei.rng", "valid": not issues,
                         "issues": [issue.format(tei_path.name) for issue in issues[:20]]}
    _record_output(result, "tei", tei_path)
    if issues:
        raise KzError(f"edited by hand and kept, but not valid TEI, so its editions were not made again: "
                      f"{issues[0].format(tei_path.name)}")
    _describe(result, tree)
    result.review = stages.run("review", write_review_page, tei_path)
    editions = {fmt: options.output_dir / f"{result.stem}.{fmt}" for fmt in options.formats if fmt != "tei"}
    stale = stale_editions(tei_path, editions)
    export_all(tei_path, options, result.stem, result, stages, tuple(stale))
    for fmt, path in editions.items():
        if fmt not in stale:
            _record_output(result, fmt, path)
    if stale:
        result.note = f"{KEPT_NOTE}; editions made again from it: {', '.join(stale)}"


def _describe(result: DocumentResult, tree: etree._ElementTree) -> None:
    """Title and page count for the manifest and the report, from the TEI."""
    result.title = tree.findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces={"t": TEI_NS}) or ""
    result.page_breaks = sum(1 for _ in tree.iter(f"{{{TEI_NS}}}pb"))


def _validate(tree: etree._ElementTree, result: DocumentResult) -> None:
    """Validate the tree that will be written (valid exactly when its file is; an invalid one is
    serialised and parsed again, so that its issues carry the file's line numbers)."""
    issues = validate_built_tree(tree)
    result.validation = {"schema": "tei.rng", "valid": not issues,
                         "issues": [issue.format(f"{result.stem}.tei.xml") for issue in issues[:20]]}
    if issues:
        raise KzError("TEI not valid against schemas/tei.rng: " + issues[0].format("tei"))


def serialise_tei(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_all(tei_path: Path, options: ConvertOptions, stem: str, result: DocumentResult, stages: _Stages,
               formats: tuple[str, ...]) -> None:
    """Every edition is made from the TEI file on disk, exactly as an archivist would re-export it."""
    from .export import export_format

    for fmt in formats:
        if fmt == "tei":
            continue
        out = options.output_dir / f"{stem}.{fmt}"
        warnings = stages.run(f"export-{fmt}", export_format, fmt, tei_path, out, embed_font=options.embed_font)
        result.warnings.extend(warnings or [])
        _record_output(result, fmt, out)
        if fmt == "pdf":
            result.pdf_pages = count_pdf_pages(out)


def count_pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _record_output(result: DocumentResult, fmt: str, path: Path) -> None:
    result.outputs[fmt] = path
    result.records[fmt] = OutputRecord(path, sha256_file(path), path.stat().st_size)


def document_key(source_sha256: str, source_name: str, stem: str, entry: CatalogEntry,
                 options: ConvertOptions) -> str:
    """Everything an output depends on besides the code and the conversion date: when the key and the
    kzarchive version are unchanged, the outputs are still those the source gives (the date alone does
    not make a document worth converting again, so an unchanged source is skipped on later days; which
    formats were asked for is not part of it either: a document is skipped when those are all there)."""
    parts = [__version__, source_sha256, source_name, stem, repr(entry), f"embed_font={options.embed_font}",
             f"hunspell={dictionary_identity()}", f"tesseract={tesseract_identity()}"]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


# ------------------------------------------------------------------------------------ the batch


@dataclass
class _Task:
    index: int
    source: SourcePath
    stem: str
    entry: CatalogEntry
    refused: str = ""  # why the source is not read at all ("" when it may be)
    recorded_tei_sha256: str = ""  # the TEI the last conversion wrote, per the manifest
    hand_edit: HandEdit | None = None  # its TEI was edited by hand: kept, not converted


def _run_task(task: _Task, options: ConvertOptions) -> DocumentResult:
    if task.hand_edit and not options.reingest_edited:
        return keep_edited(task.source, options, task.stem, task.hand_edit.generated_sha256)
    return convert_source(task.source, options, {task.source.name: task.entry}, task.stem, task.recorded_tei_sha256)


def convert_batch(paths: Iterable[SourcePath], options: ConvertOptions,
                  on_result: Callable[[DocumentResult], None] | None = None,
                  on_complete: Callable[[DocumentResult], None] | None = None,
                  on_start: Callable[[list[SourcePath], int], None] | None = None) -> list[DocumentResult]:
    """Convert every source; returns the results in source order.

    on_result is called for each document in source order (so logs do not depend on --jobs),
    on_complete as soon as each finishes, on_start(sources, to_convert) once the plan is made.
    Writes manifest.json and report.html into the output folder.
    """
    from .fsutil import folder_lock, remove_stale_temporaries
    from .manifest import (
        Journal,
        carry_over_editions,
        carry_over_source_facts,
        find_unchanged,
        load_previous,
        write_manifest,
    )

    options = options.resolved()
    started = time.time()
    sources = collect_sources(paths)
    if not sources:
        return []
    tasks = _plan(sources, options)
    emit = _OrderedEmitter(len(tasks), on_result)
    with folder_lock(options.output_dir):
        remove_stale_temporaries(options.output_dir)
        previous = load_previous(options.output_dir)
        _note_hand_edits(tasks, previous, options)
        decided = _refused_results(tasks)
        convertible = [t for t in tasks if t.index not in decided and not t.hand_edit]
        if not options.force:
            decided.update(find_unchanged(convertible, previous, options))
        pending = [t for t in tasks if t.index not in decided]
        if on_start:
            on_start([s.path for s in sources], len(pending))
        results: dict[int, DocumentResult] = {}
        with Journal(options.output_dir) as journal:
            def finished(task: _Task, result: DocumentResult) -> None:
                results[task.index] = result
                if result.ok:
                    carry_over_source_facts(result, previous.get(task.stem))
                    carry_over_editions(result, previous.get(task.stem), options.output_dir)
                else:
                    remove_outputs_not_made(options.output_dir, task.stem, result, previous.get(task.stem))
                journal.append(result)
                _deliver(result, task.index, emit, on_complete)

            for task in tasks:
                if task.index in decided:
                    results[task.index] = decided[task.index]
                    _deliver(decided[task.index], task.index, emit, on_complete)
            _run_pending(pending, options, finished)
            ordered = [results[t.index] for t in tasks]
            write_manifest(options.output_dir, ordered, options, started)
    return ordered


def _note_hand_edits(tasks: list[_Task], previous: dict[str, dict[str, object]], options: ConvertOptions) -> None:
    for task in tasks:
        if task.refused:
            continue
        entry = previous.get(task.stem)
        task.recorded_tei_sha256 = generated_tei_sha256(entry)
        task.hand_edit = find_hand_edit(options.output_dir / f"{task.stem}.tei.xml", entry)


def _refused_results(tasks: list[_Task]) -> dict[int, DocumentResult]:
    """Sources that are never read (not regular files, links out of the folder): failed, each in one line."""
    refused = {}
    for task in tasks:
        if task.refused:
            result = DocumentResult(task.source, stem=task.stem)
            result.fail("read", task.refused)
            refused[task.index] = result
    return refused


OUTPUT_SUFFIXES = {"tei": ".tei.xml", "epub": ".epub", "docx": ".docx", "pdf": ".pdf"}


def remove_outputs_not_made(output_dir: Path, stem: str, result: DocumentResult,
                            entry: dict[str, object] | None) -> None:
    """A document that failed must not leave an earlier run's outputs under its names: they would
    not match the source any more, and the manifest no longer lists them. Only files whose bytes
    the manifest records kzarchive writing are removed: a hand-edited TEI is never deleted."""
    recorded = entry.get("outputs", {}) if isinstance(entry, dict) else {}
    for fmt, suffix in OUTPUT_SUFFIXES.items():
        out = recorded.get(fmt) if isinstance(recorded, dict) else None
        if fmt in result.outputs or not isinstance(out, dict):
            continue
        path = output_dir / f"{stem}{suffix}"
        written = generated_tei_sha256(entry) if fmt == "tei" else out.get("sha256")
        try:
            if sha256_file(path) == written:
                path.unlink()
        except OSError:
            continue  # gone already, or not a regular file: nothing of ours to remove


def _deliver(result: DocumentResult, index: int, emit: _OrderedEmitter,
             on_complete: Callable[[DocumentResult], None] | None) -> None:
    if on_complete:
        on_complete(result)
    emit.add(index, result)


class _OrderedEmitter:
    """Calls back in source order, as soon as every earlier document is done."""

    def __init__(self, total: int, callback: Callable[[DocumentResult], None] | None) -> None:
        self.waiting: dict[int, DocumentResult] = {}
        self.next = 0
        self.callback = callback

    def add(self, index: int, result: DocumentResult) -> None:
        self.waiting[index] = result
        while self.next in self.waiting:
            ready = self.waiting.pop(self.next)
            self.next += 1
            if self.callback:
                self.callback(ready)


def _plan(sources: list[Source], options: ConvertOptions) -> list[_Task]:
    stems = unique_stems([s.path for s in sources])
    catalogs: dict[SourcePath, dict[str, CatalogEntry]] = {}
    tasks = []
    for index, source in enumerate(sources):
        folder = source.path.parent
        if folder not in catalogs:
            catalogs[folder] = load_catalog(folder)
        entry = catalogs[folder].get(source.path.name, CatalogEntry(source.path.name))
        refused = refusal(source, follow_symlinks=options.follow_symlinks)
        tasks.append(_Task(index, source.path, stems[source.path], entry, refused))
    return tasks


# ------------------------------------------------------------------------------ process pool


Finished = Callable[[_Task, DocumentResult], None]  # called once per document, in the parent


def _run_pending(tasks: list[_Task], options: ConvertOptions, finished: Finished) -> None:
    """In this process for one job (or one document), else in a pool of fresh processes, or on a Dask
    cluster (--scheduler). Largest sources go first so that one big dissertation does not finish last
    on an otherwise idle pool."""
    worker_may_die = kills_the_process(options.fault or "")  # never in the caller's own process
    in_process = not worker_may_die and (options.jobs == 1 or len(tasks) <= 1) and not options.scheduler
    by_size = tasks if in_process else sorted(tasks, key=lambda t: (-size_of(t.source), t.index))
    if options.scheduler:
        _run_on_cluster(by_size, options, finished)
        return
    run_all(by_size, functools.partial(_run_task, options=options), jobs=options.jobs, in_process=in_process,
            done=finished, died=_worker_died, crashed=_worker_crashed)


def _run_on_cluster(tasks: list[_Task], options: ConvertOptions, finished: Finished) -> None:
    """Workers share the folders but not this process's working folder: they get absolute paths, and
    each result gets back the paths as given, so logs and manifest read as with the local pool."""
    from .cluster import run_all as run_on_cluster

    given = {task.index: task for task in tasks}
    on_workers = replace(options, output_dir=options.output_dir.absolute())

    def as_given(task: _Task, result: DocumentResult) -> None:
        result.source = given[task.index].source
        result.outputs = {fmt: options.output_dir / path.name for fmt, path in result.outputs.items()}
        for record in result.records.values():
            record.path = options.output_dir / record.path.name
        finished(given[task.index], result)

    run_on_cluster([replace(task, source=everywhere(task.source)) for task in tasks],
                   functools.partial(_run_task, options=on_workers), jobs=options.jobs, in_process=False,
                   done=as_given, died=_worker_died, crashed=_worker_crashed, retried=_retried,
                   scheduler=options.scheduler, time_limit=options.time_limit)


def _retried(task: _Task, result: DocumentResult, note: str) -> DocumentResult:
    result.warnings.append(note)
    return result


def _worker_died(task: _Task) -> DocumentResult:
    result = DocumentResult(task.source, stem=task.stem)
    result.fail("worker", "internal error in worker: the worker process died while converting this document "
                          "(killed, out of memory, a crash in native code, or stuck past twice the time limit)")
    return result


def _worker_crashed(task: _Task, exc: Exception) -> DocumentResult:
    result = DocumentResult(task.source, stem=task.stem)
    result.fail("worker", internal_error("worker", exc))
    return result

