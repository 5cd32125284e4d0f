"""The pipeline's own stage functions (as pipeline._convert_stages calls them), timed one by one."""

from __future__ import annotations

import functools
import resource
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from kzarchive.clean import clean_text
from kzarchive.export import export_format
from kzarchive.metadata import CatalogEntry, SourceInfo, conversion_date, sha256_of
from kzarchive.read import decode_bytes, read_source_bytes
from kzarchive.structure import structure_document
from kzarchive.tei.encode import encode_tei
from kzarchive.tei.parse import parse_tei_bytes
from kzarchive.tei.validate import validate_built_tree, validate_tree
from kzarchive.tei.write import write_tei_atomic

EXPORTS = ("epub", "docx", "pdf")
TEXT_STAGES = ("read", "clean", "structure", "encode", "validate", "write") + tuple(f"export-{fmt}" for fmt in EXPORTS)
T = TypeVar("T")


class Timer:
    """CPU seconds per stage (steadier than wall time on a machine shared with other work), the
    process's peak RSS (MB) once each stage has run, and each stage's own peak: the kernel's
    high-water mark is reset before the stage (Linux: /proc/self/clear_refs) where it can be."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self.stage_peak_mb: dict[str, float] = {}
        self.overall_peak_mb = 0.0

    def run(self, stage: str, step: Callable[[], T]) -> T:
        self.overall_peak_mb = max(self.overall_peak_mb, high_water_mb())
        reset_high_water()
        started = time.process_time()
        try:
            return step()
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.process_time() - started
            self.peak_mb[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stage_peak_mb[stage] = max(self.stage_peak_mb.get(stage, 0.0), high_water_mb())
            self.overall_peak_mb = max(self.overall_peak_mb, self.stage_peak_mb[stage])


def high_water_mb() -> float:
    """The process's peak RSS since the last reset (VmHWM), else since it started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_high_water() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # not Linux: the stage peaks are then the process's peak so far


def validate_bytes(tei_bytes: bytes) -> int:
    """Parse and validate a TEI that comes in as a file (kzarchive validate, export); returns the
    number of schema issues."""
    return len(validate_tree(parse_tei_bytes(tei_bytes, "tei")))


def convert_file(source: Path, out_dir: Path, timer: Timer, exports: Iterable[str] = EXPORTS) -> int:
    """read → clean → structure → encode → validate → write, as pipeline._convert_stages does them
    (each input dropped once the next stage has its output), then the exports; returns the number
    of schema issues."""
    data = timer.run("read", lambda: read_source_bytes(source))
    decoded = timer.run("read", functools.partial(decode_bytes, data))
    info = SourceInfo(source, sha256_of(data), len(data), decoded.encoding, CatalogEntry(source.name),
                      conversion_date(), decoded.removed_controls)
    del data
    cleaned = timer.run("clean", functools.partial(clean_text, decoded.text))
    del decoded
    document = timer.run("structure", functools.partial(structure_document, cleaned))
    del cleaned
    tree = timer.run("encode", functools.partial(encode_tei, document, info, consume=True))
    del document
    issues = len(timer.run("validate", functools.partial(validate_built_tree, tree)))
    tei_path = out_dir / f"{source.stem}.tei.xml"
    timer.run("write", functools.partial(write_tei_atomic, tree, tei_path))
    del tree
    if not issues:
        export_tei(tei_path, out_dir, timer, exports)
    return issues


def export_tei(tei_path: Path, out_dir: Path, timer: Timer, exports: Iterable[str] = EXPORTS) -> None:
    for fmt in exports:
        out = out_dir / f"{tei_path.name.removesuffix('.tei.xml')}.{fmt}"
        timer.run(f"export-{fmt}", functools.partial(export_format, fmt, tei_path, out))
