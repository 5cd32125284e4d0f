"""What a batch is asked to do and what it did with each document: the options, a document's result
(the manifest's entry of it) and its outputs' records."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .faults import FAULT_ENV
from .metadata import conversion_date
from .pool import DEFAULT_TIME_LIMIT
from .remote import SourcePath
from .sources import display_name

ALL_FORMATS = ("tei", "epub", "docx", "pdf")
STAGES = ("read", "clean", "structure", "encode", "validate", "write-tei", "review",
          "export-epub", "export-docx", "export-pdf")
CHARS_PER_PAGE = 1800  # a typeset page of Kazakh prose, for page estimates in reports and benchmarks


@dataclass
class OutputRecord:
    path: Path
    sha256: str
    size: int


@dataclass
class DocumentResult:
    source: SourcePath
    ok: bool = True
    outputs: dict[str, Path] = field(default_factory=dict)
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    sha256: str = ""
    status: str = "ok"  # ok | failed | skipped | kept (a TEI edited by hand, kept as the master)
    failed_stage: str = ""
    stem: str = ""
    key: str = ""
    title: str = ""
    encoding: str = ""
    source_size: int = 0
    source_fingerprint: str = ""  # a store's version of a remote source (remote.fingerprint)
    chars: int = 0
    page_breaks: int = 0
    records: dict[str, OutputRecord] = field(default_factory=dict)
    validation: dict[str, object] = field(default_factory=dict)
    worker_peak_rss_kb: int = 0
    pdf_pages: int = 0  # pages of the PDF edition, when there is one
    review: dict[str, object] = field(default_factory=dict)  # its review page: path, decisions, uncertain, low
    generated_tei_sha256: str = ""  # the TEI kzarchive wrote; differs from records["tei"] once edited by hand
    note: str = ""  # one line on what was done besides converting (e.g. "edited by hand: kept")

    @property
    def name(self) -> str:
        """The source's name as printable text, whatever bytes it is made of."""
        return display_name(str(self.source))

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
    follow_symlinks: bool = False  # convert links in a source folder that lead out of it
    reingest_edited: bool = False  # convert a document whose TEI was edited by hand (backed up first)
    time_limit: float = DEFAULT_TIME_LIMIT  # seconds per document; 0: none
    scheduler: str = ""  # a Dask scheduler's address, or local:N (cluster.py); "": the local process pool

    def resolved(self) -> ConvertOptions:
        """Settings read from the environment are fixed once, in the parent, so that workers (which
        may have been started earlier, with another environment) all use the same ones."""
        return replace(self, fault=os.environ.get(FAULT_ENV, "") if self.fault is None else self.fault,
                       date=self.date or conversion_date(), jobs=max(1, self.jobs))
