"""One document: read → clean → structure → encode → validate → export; many: a batch that
reports each failure and carries on."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .clean import clean_text
from .errors import KzError
from .metadata import CatalogEntry, SourceInfo, conversion_date, load_catalog, sha256_of
from .read import decode_bytes
from .structure import structure_document
from .tei.encode import encode_tei
from .tei.validate import validate_tree
from .fsutil import atomic_write_bytes

ALL_FORMATS = ("tei", "epub", "docx", "pdf")
SOURCE_SUFFIXES = (".txt",)


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


@dataclass
class ConvertOptions:
    output_dir: Path
    formats: tuple[str, ...] = ALL_FORMATS
    embed_font: bool = False


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders searched (not recursively) for .txt sources, in name order."""
    sources: list[Path] = []
    for path in paths:
        if path.is_dir():
            sources.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES))
        else:
            sources.append(path)
    return sources


def safe_stem(path: Path) -> str:
    """An output name that cannot leave the output folder or clash by case or Unicode form."""
    stem = unicodedata.normalize("NFC", path.stem)
    stem = re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "document"
    return stem[:120]


class _Timer:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    def run(self, stage: str, action: Callable[[], object]) -> object:
        started = time.perf_counter()
        try:
            return action()
        finally:
            self.timings[stage] = round(time.perf_counter() - started, 4)


def convert_source(source: Path, options: ConvertOptions, catalog: dict[str, CatalogEntry]) -> DocumentResult:
    result = DocumentResult(source)
    timer = _Timer(result.timings)
    try:
        data = source.read_bytes()
        result.sha256 = sha256_of(data)
        decoded = timer.run("read", lambda: decode_bytes(data))
        info = SourceInfo(source, result.sha256, len(data), decoded.encoding,
                          catalog.get(source.name, CatalogEntry(source.name)), conversion_date(),
                          decoded.removed_controls)
        tree = timer.run("clean+encode", lambda: build_tei(decoded.text, info, result))
        issues = timer.run("validate", lambda: validate_tree(tree))
        if issues:
            raise KzError("TEI not valid against schemas/tei.rng: " + issues[0].format("tei"))
        stem = safe_stem(source)
        tei_path = options.output_dir / f"{stem}.tei.xml"
        atomic_write_bytes(tei_path, serialise_tei(tree))
        result.outputs["tei"] = tei_path
        export_all(tei_path, options, stem, result, timer)
    except KzError as exc:
        result.ok, result.error = False, str(exc)
    except OSError as exc:
        result.ok, result.error = False, f"I/O error: {exc.strerror or exc}"
    return result


def build_tei(text: str, info: SourceInfo, result: DocumentResult) -> etree._ElementTree:
    cleaned = clean_text(text)
    document = structure_document(cleaned)
    result.stats = dict(cleaned.stats)
    return encode_tei(document, info)


def serialise_tei(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_all(tei_path: Path, options: ConvertOptions, stem: str, result: DocumentResult, timer: _Timer) -> None:
    """Every edition is made from the TEI file on disk, exactly as an archivist would re-export it."""
    from .export import export_format

    for fmt in options.formats:
        if fmt == "tei":
            continue
        out = options.output_dir / f"{stem}.{fmt}"
        warnings = timer.run(f"export-{fmt}", lambda: export_format(fmt, tei_path, out, embed_font=options.embed_font))
        result.warnings.extend(warnings or [])
        result.outputs[fmt] = out


def convert_batch(paths: Iterable[Path], options: ConvertOptions,
                  on_result: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    sources = collect_sources(paths)
    catalogs: dict[Path, dict[str, CatalogEntry]] = {}
    results = []
    for source in sources:
        folder = source.parent
        if folder not in catalogs:
            catalogs[folder] = load_catalog(folder)
        result = convert_source(source, options, catalogs[folder])
        results.append(result)
        if on_result:
            on_result(result)
    return results
