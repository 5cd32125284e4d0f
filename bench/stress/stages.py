"""The pipeline's own stage functions (as pipeline._convert_stages calls them), timed one by one."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from kzarchive.clean import clean_text
from kzarchive.export import export_format
from kzarchive.metadata import CatalogEntry, SourceInfo, conversion_date, sha256_of
from kzarchive.pipeline import serialise_tei
from kzarchive.read import decode_bytes, read_source_bytes
from kzarchive.structure import structure_document
from kzarchive.tei.encode import encode_tei
from kzarchive.tei.parse import parse_tei_bytes
from kzarchive.tei.validate import validate_tree

EXPORTS = ("epub", "docx", "pdf")
TEXT_STAGES = ("read", "clean", "structure", "encode", "validate") + tuple(f"export-{fmt}" for fmt in EXPORTS)
T = TypeVar("T")


class Timer:
    """CPU seconds per stage (steadier than wall time on a machine shared with other work), and the
    process's peak RSS (MB) once each stage has run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}

    def run(self, stage: str, step: Callable[[], T]) -> T:
        started = time.process_time()
        try:
            return step()
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.process_time() - started
            self.peak_mb[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def validate_bytes(tei_bytes: bytes) -> int:
    """Parse and validate as pipeline._validate does; returns the number of schema issues."""
    return len(validate_tree(parse_tei_bytes(tei_bytes, "tei")))


def convert_file(source: Path, out_dir: Path, timer: Timer, exports: Iterable[str] = EXPORTS) -> int:
    """read → clean → structure → encode → validate → exports; returns the number of schema issues."""
    data = timer.run("read", lambda: read_source_bytes(source))
    decoded = timer.run("read", lambda: decode_bytes(data))
    info = SourceInfo(source, sha256_of(data), len(data), decoded.encoding, CatalogEntry(source.name),
                      conversion_date(), decoded.removed_controls)
    del data
    cleaned = timer.run("clean", lambda: clean_text(decoded.text))
    del decoded
    document = timer.run("structure", lambda: structure_document(cleaned))
    tree = timer.run("encode", lambda: encode_tei(document, info))
    del cleaned, document
    tei_bytes = timer.run("encode", lambda: serialise_tei(tree))
    del tree
    issues = timer.run("validate", lambda: validate_bytes(tei_bytes))
    tei_path = out_dir / f"{source.stem}.tei.xml"
    tei_path.write_bytes(tei_bytes)
    if not issues:
        export_tei(tei_path, out_dir, timer, exports)
    return issues


def export_tei(tei_path: Path, out_dir: Path, timer: Timer, exports: Iterable[str] = EXPORTS) -> None:
    for fmt in exports:
        out = out_dir / f"{tei_path.name.removesuffix('.tei.xml')}.{fmt}"
        timer.run(f"export-{fmt}", lambda: export_format(fmt, tei_path, out))
