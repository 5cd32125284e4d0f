"""One document: read → clean → structure → encode → validate → write → export; many: a batch run in
a process pool that reports each failure and carries on, skips unchanged documents and records
everything in output/manifest.json and output/report.html.

Testing aid — fault injection: the environment variable KZARCHIVE_FAULT=STAGE:SUBSTRING[:KIND]
(several separated by ";") makes STAGE fail for every source whose file name contains SUBSTRING.
KIND is `error` (default: an expected KzError), `bug` (an unexpected RuntimeError, reported as an
internal error) or `exit` (the worker process dies, as on a crash in native code). STAGE is one of
STAGES. It is read once per batch by the parent process and passed to the workers.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import multiprocessing
import os
import re
import resource
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from . import __version__
from .clean import clean_text
from .errors import KzError
from .fsutil import atomic_write_bytes, sha256_file
from .lexicon.hunspell import dictionary_identity
from .metadata import CatalogEntry, SourceInfo, conversion_date, load_catalog, sha256_of
from .pdf import PdfSource, clean_pdf, read_pdf_bytes
from .read import decode_bytes, read_source_bytes
from .structure import structure_document
from .tei import TEI_NS
from .tei.encode import encode_tei
from .tei.facsimile import describe_pdf
from .tei.parse import parse_tei_bytes
from .tei.validate import validate_tree

ALL_FORMATS = ("tei", "epub", "docx", "pdf")
SOURCE_SUFFIXES = (".txt", ".pdf")
STAGES = ("read", "clean", "structure", "encode", "validate", "write-tei",
          "export-epub", "export-docx", "export-pdf")
FAULT_ENV = "KZARCHIVE_FAULT"
CHARS_PER_PAGE = 1800  # a typeset page of Kazakh prose, for page estimates in reports and benchmarks
MAX_STEM_BYTES = 150  # leaves room under NAME_MAX (255) for ".tei.xml", a hash suffix and temp names
# A worker is replaced after this many documents, so a slow leak cannot grow with the corpus.
TASKS_PER_WORKER = 1000


@dataclass
class OutputRecord:
    path: Path
    sha256: str
    size: int


@dataclass
class DocumentResult:
    source: Path
    ok: bool = True
    outputs: dict[str, Path] = field(default_factory=dict)
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    sha256: str = ""
    status: str = "ok"  # ok | failed | skipped
    failed_stage: str = ""
    stem: str = ""
    key: str = ""
    title: str = ""
    encoding: str = ""
    source_size: int = 0
    chars: int = 0
    page_breaks: int = 0
    records: dict[str, OutputRecord] = field(default_factory=dict)
    validation: dict[str, object] = field(default_factory=dict)
    worker_peak_rss_kb: int = 0

    @property
    def pages(self) -> int:
        """Source pages: the page breaks found, or an estimate from the length of the text."""
        return max(self.page_breaks, round(self.chars / CHARS_PER_PAGE), 1 if self.chars else 0)

    def fail(self, stage: str, message: str) -> None:
        self.ok, self.status, self.failed_stage, self.error = False, "failed", stage, message


@dataclass
class ConvertOptions:
    output_dir: Path
    formats: tuple[str, ...] = ALL_FORMATS
    embed_font: bool = False
    jobs: int = 1
    force: bool = False
    fault: str | None = None  # None: read KZARCHIVE_FAULT when the batch starts
    date: str = ""  # conversion date; "" → metadata.conversion_date() in the parent process

    def resolved(self) -> "ConvertOptions":
        """Settings read from the environment are fixed once, in the parent, so that workers (which
        may have been started earlier, with another environment) all use the same ones."""
        return replace(self, fault=os.environ.get(FAULT_ENV, "") if self.fault is None else self.fault,
                       date=self.date or conversion_date(), jobs=max(1, self.jobs))


# ---------------------------------------------------------------------------------------- sources


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders searched (not recursively) for .txt sources, in name order."""
    sources: list[Path] = []
    for path in paths:
        if path.is_dir():
            sources.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES))
        else:
            sources.append(path)
    return list(dict.fromkeys(sources))  # the same file named twice is converted once


def safe_stem(path: Path) -> str:
    """An output name that cannot leave the output folder: NFC, only letters, digits, `_ . -`, no
    leading dot, at most MAX_STEM_BYTES of UTF-8. Clashes between sources are resolved by unique_stems."""
    return safe_name(path.stem)


def safe_name(name: str) -> str:
    """safe_stem for a name already stripped of its suffixes ("a.v1" from "a.v1.tei.xml")."""
    stem = unicodedata.normalize("NFC", name)
    stem = re.sub(r"[^\w.\-]+", "_", stem, flags=re.UNICODE).strip("._-") or "document"
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem


def unique_stems(sources: list[Path]) -> dict[Path, str]:
    """Output stems for a batch, distinct even on case-insensitive file systems: every source whose
    stem clashes with another's (by case, Unicode form, replaced characters or truncation) gets a
    short hash of its own name — or of its full path when the names themselves are equal."""
    stems = {source: safe_stem(source) for source in sources}
    groups: dict[str, list[Path]] = {}
    for source, stem in stems.items():
        groups.setdefault(stem.casefold(), []).append(source)
    for members in groups.values():
        if len(members) < 2:
            continue
        names = [m.name for m in members]
        for source in members:
            identity = source.name if names.count(source.name) == 1 else str(source.resolve())
            suffix = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:8]
            stems[source] = f"{stems[source]}-{suffix}"
    return stems


# ---------------------------------------------------------------------------------- fault hook


class InjectedFault(KzError):
    """Raised by the KZARCHIVE_FAULT testing aid."""


def _fault_rules(spec: str) -> Iterator[tuple[str, str, str]]:
    for rule in filter(None, (r.strip() for r in spec.split(";"))):
        stage, _, rest = rule.partition(":")
        substring, kind = rest, "error"
        for candidate in ("error", "bug", "exit"):
            if rest.endswith(f":{candidate}"):
                substring, kind = rest[: -len(candidate) - 1], candidate
        yield stage.strip(), substring, kind


def inject_fault(spec: str, stage: str, source: Path) -> None:
    for rule_stage, substring, kind in _fault_rules(spec):
        if rule_stage != stage or substring not in source.name:
            continue
        if kind == "exit":
            os._exit(70)  # a worker dying without a word, like a segfault in native code
        if kind == "bug":
            raise RuntimeError(f"injected bug in {stage}")
        raise InjectedFault(f"injected fault in {stage}")


# ------------------------------------------------------------------------------ one document


class _Stages:
    """Runs the stages of one document: timing, fault injection, and which stage failed."""

    def __init__(self, result: DocumentResult, fault: str) -> None:
        self.result = result
        self.fault = fault
        self.current = "read"

    def run(self, stage: str, action: Callable[[], object]) -> object:
        self.current = stage
        started = time.perf_counter()
        try:
            if self.fault:
                inject_fault(self.fault, stage, self.result.source)
            return action()
        finally:
            spent = time.perf_counter() - started
            self.result.timings[stage] = round(self.result.timings.get(stage, 0.0) + spent, 4)


def convert_source(source: Path, options: ConvertOptions, catalog: dict[str, CatalogEntry],
                   stem: str | None = None) -> DocumentResult:
    """Convert one source; every failure — expected or a bug — ends up in the result, never raised."""
    options = options.resolved()
    result = DocumentResult(source, stem=stem or safe_stem(source))
    stages = _Stages(result, options.fault or "")
    entry = catalog.get(source.name, CatalogEntry(source.name))
    try:
        _convert_stages(result, stages, options, entry)
    except KzError as exc:
        result.fail(stages.current, str(exc))
    except OSError as exc:
        result.fail(stages.current, f"I/O error: {exc.strerror or exc}")
    except MemoryError:
        result.fail(stages.current, f"internal error in {stages.current}: MemoryError: out of memory")
    except Exception as exc:  # a bug: reported for this document, the batch goes on
        result.fail(stages.current, internal_error(stages.current, exc))
    result.worker_peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def internal_error(stage: str, exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:300]
    return f"internal error in {stage}: {type(exc).__name__}: {message}"


def _convert_stages(result: DocumentResult, stages: _Stages, options: ConvertOptions, entry: CatalogEntry) -> None:
    source = result.source
    data = stages.run("read", lambda: read_source_bytes(source))
    result.sha256, result.source_size = sha256_of(data), len(data)
    result.key = document_key(result.sha256, source.name, result.stem, entry, options)
    decoded = stages.run("read", lambda: read_pdf_bytes(data) if source.suffix.lower() == ".pdf" else decode_bytes(data))
    result.encoding, result.chars = decoded.encoding, len(decoded.text)
    del data
    info = SourceInfo(source, result.sha256, result.source_size, decoded.encoding, entry, options.date,
                      decoded.removed_controls)
    cleaned = stages.run("clean", lambda: clean_pdf(decoded) if isinstance(decoded, PdfSource) else clean_text(decoded.text))
    result.stats = dict(cleaned.stats)
    document = stages.run("structure", lambda: structure_document(cleaned, main_language=entry.language or "kk"))
    result.stats.update(document.stats)  # divisions found, notes bound, citations resolved
    tree = stages.run("encode", lambda: encode_tei(document, info))
    if isinstance(decoded, PdfSource):
        stages.run("encode", lambda: describe_pdf(tree, decoded))
    del cleaned, document
    tei_bytes = stages.run("encode", lambda: serialise_tei(tree))
    result.title = tree.findtext(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title") or ""
    result.page_breaks = sum(1 for _ in tree.iter(f"{{{TEI_NS}}}pb"))
    del tree
    stages.run("validate", lambda: _validate(tei_bytes, result))
    tei_path = options.output_dir / f"{result.stem}.tei.xml"
    stages.run("write-tei", lambda: atomic_write_bytes(tei_path, tei_bytes))
    _record_output(result, "tei", tei_path)
    export_all(tei_path, options, result.stem, result, stages)


def _validate(tei_bytes: bytes, result: DocumentResult) -> None:
    """Validate exactly the bytes that will be written, parsed as a reader of the file would."""
    tree = parse_tei_bytes(tei_bytes, "tei")
    tree.docinfo.URL = f"{result.stem}.tei.xml"
    issues = validate_tree(tree)
    result.validation = {"schema": "tei.rng", "valid": not issues,
                         "issues": [issue.format(f"{result.stem}.tei.xml") for issue in issues[:20]]}
    if issues:
        raise KzError("TEI not valid against schemas/tei.rng: " + issues[0].format("tei"))


def serialise_tei(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_all(tei_path: Path, options: ConvertOptions, stem: str, result: DocumentResult, stages: _Stages) -> None:
    """Every edition is made from the TEI file on disk, exactly as an archivist would re-export it."""
    from .export import export_format

    for fmt in options.formats:
        if fmt == "tei":
            continue
        out = options.output_dir / f"{stem}.{fmt}"
        warnings = stages.run(f"export-{fmt}", lambda: export_format(fmt, tei_path, out, embed_font=options.embed_font))
        result.warnings.extend(warnings or [])
        _record_output(result, fmt, out)


def _record_output(result: DocumentResult, fmt: str, path: Path) -> None:
    result.outputs[fmt] = path
    result.records[fmt] = OutputRecord(path, sha256_file(path), path.stat().st_size)


def document_key(source_sha256: str, source_name: str, stem: str, entry: CatalogEntry,
                 options: ConvertOptions) -> str:
    """Everything an output depends on besides the code: when the key and the kzarchive version are
    unchanged, converting again would give the same bytes."""
    parts = [__version__, source_sha256, source_name, stem, repr(entry),
             ",".join(f for f in ALL_FORMATS if f in options.formats), f"embed_font={options.embed_font}", options.date,
             f"hunspell={dictionary_identity()}"]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


# ------------------------------------------------------------------------------------ the batch


@dataclass
class _Task:
    index: int
    source: Path
    stem: str
    entry: CatalogEntry


def _run_task(task: _Task, options: ConvertOptions) -> DocumentResult:
    return convert_source(task.source, options, {task.source.name: task.entry}, task.stem)


def convert_batch(paths: Iterable[Path], options: ConvertOptions,
                  on_result: Callable[[DocumentResult], None] | None = None,
                  on_complete: Callable[[DocumentResult], None] | None = None,
                  on_start: Callable[[list[Path], int], None] | None = None) -> list[DocumentResult]:
    """Convert every source; returns the results in source order.

    on_result is called for each document in source order (so logs do not depend on --jobs),
    on_complete as soon as each finishes, on_start(sources, to_convert) once the plan is made.
    Writes manifest.json and report.html into the output folder.
    """
    from .manifest import Journal, find_unchanged, load_previous, write_manifest
    from .fsutil import folder_lock, remove_stale_temporaries

    options = options.resolved()
    started = time.time()
    sources = collect_sources(paths)
    if not sources:
        return []
    tasks = _plan(sources)
    emit = _OrderedEmitter(len(tasks), on_result)
    with folder_lock(options.output_dir):
        remove_stale_temporaries(options.output_dir)
        previous = load_previous(options.output_dir)
        skipped = {} if options.force else find_unchanged(tasks, previous, options)
        pending = [t for t in tasks if t.index not in skipped]
        if on_start:
            on_start(sources, len(pending))
        results: dict[int, DocumentResult] = {}
        with Journal(options.output_dir) as journal:
            for index, result in skipped.items():
                results[index] = result
                _deliver(result, index, emit, on_complete)

            def finished(task: _Task, result: DocumentResult) -> None:
                results[task.index] = result
                if not result.ok:
                    remove_outputs_not_made(options.output_dir, task.stem, result)
                journal.append(result)
                _deliver(result, task.index, emit, on_complete)

            run_tasks(pending, options, finished)
            ordered = [results[t.index] for t in tasks]
            write_manifest(options.output_dir, ordered, options, started)
    return ordered


OUTPUT_SUFFIXES = {"tei": ".tei.xml", "epub": ".epub", "docx": ".docx", "pdf": ".pdf"}


def remove_outputs_not_made(output_dir: Path, stem: str, result: DocumentResult) -> None:
    """A document that failed must not leave an earlier run's editions under its names: they would
    not match the source any more, and the manifest no longer lists them."""
    for fmt, suffix in OUTPUT_SUFFIXES.items():
        if fmt not in result.outputs:
            (output_dir / f"{stem}{suffix}").unlink(missing_ok=True)


def _deliver(result: DocumentResult, index: int, emit: "_OrderedEmitter",
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


def _plan(sources: list[Path]) -> list[_Task]:
    stems = unique_stems(sources)
    catalogs: dict[Path, dict[str, CatalogEntry]] = {}
    tasks = []
    for index, source in enumerate(sources):
        folder = source.parent
        if folder not in catalogs:
            catalogs[folder] = load_catalog(folder)
        entry = catalogs[folder].get(source.name, CatalogEntry(source.name))
        tasks.append(_Task(index, source, stems[source], entry))
    return tasks


# ------------------------------------------------------------------------------ process pool


Finished = Callable[[_Task, DocumentResult], None]


def run_tasks(tasks: list[_Task], options: ConvertOptions, finished: Finished) -> None:
    """In this process for one job (or one document), else in a pool of fresh processes. Largest
    sources go first so that one big dissertation does not finish last on an otherwise idle pool."""
    worker_may_die = ":exit" in (options.fault or "")  # never kill the caller's own process
    if not worker_may_die and (options.jobs == 1 or len(tasks) <= 1):
        for task in tasks:
            finished(task, _run_task(task, options))
        return
    by_size = sorted(tasks, key=lambda t: (-_size(t.source), t.index))
    unfinished = _run_pool(by_size, options, min(options.jobs, len(tasks)), finished)
    for task in unfinished:  # the pool broke: find the culprit by running each one alone
        if _run_pool([task], options, 1, finished):
            result = DocumentResult(task.source, stem=task.stem)
            result.fail("worker", "internal error in worker: the worker process died while converting "
                                  "this document (killed, out of memory, or a crash in native code)")
            finished(task, result)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _run_pool(tasks: list[_Task], options: ConvertOptions, jobs: int, finished: Finished) -> list[_Task]:
    """Run tasks in a pool; returns the tasks left unfinished because a worker process died."""
    # spawn: workers start from a clean interpreter — no locks inherited from the parent's threads
    # (the progress display), and the same environment whatever ran in the parent before.
    context = multiprocessing.get_context("spawn")
    executor = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context, max_tasks_per_child=TASKS_PER_WORKER)
    unfinished: list[_Task] = []
    try:
        futures = {executor.submit(_run_task, task, options): task for task in tasks}
        for future in cf.as_completed(futures):
            task = futures[future]
            try:
                result = future.result()
            except cf.process.BrokenProcessPool:
                unfinished.append(task)
                continue
            except Exception as exc:  # e.g. a result that cannot be pickled: a bug, this document only
                result = DocumentResult(task.source, stem=task.stem)
                result.fail("worker", internal_error("worker", exc))
            finished(task, result)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return sorted(unfinished, key=lambda t: t.index)
