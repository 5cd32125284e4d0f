"""How `kzarchive convert` tells its user what happens to each document.

- on a terminal: a rich progress bar with a status line per finished document;
- otherwise: one line per document in source order (ok/skipped on stdout, FAILED on stderr),
  so that logs of the same batch are identical whatever --jobs was;
- --quiet: failures only; --log-json: one JSON object per document on stderr, then a summary object.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import TracebackType

from .manifest import MANIFEST_NAME, REPORT_NAME, summarise
from .remote import SourcePath
from .results import DocumentResult


def failure_line(result: DocumentResult) -> str:
    if result.error.startswith("internal error") or not result.failed_stage:
        return f"FAILED  {result.name}: {result.error}"
    return f"FAILED  {result.name}: {result.failed_stage}: {result.error}"


def status_line(result: DocumentResult) -> str:
    """The one line a document gets (failures: failure_line)."""
    if result.status == "skipped":
        return f"skipped {result.name} (unchanged)"
    if result.status == "kept":
        return f"kept    {result.name} ({result.note})"
    return f"ok      {result.name} → {','.join(result.outputs)}"


def summary_line(results: list[DocumentResult]) -> str:
    counts = summarise(results)
    skipped = f", {counts['skipped']} skipped (unchanged)" if counts["skipped"] else ""
    kept = f", {counts['kept']} edited by hand: kept" if counts["kept"] else ""
    return f"{counts['converted']} converted, {counts['failed']} failed{skipped}{kept}"


class Reporter:
    """Plain lines, in source order."""

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        return None

    def start(self, sources: list[SourcePath], to_convert: int) -> None:
        return None

    def completed(self, result: DocumentResult) -> None:
        return None

    def in_order(self, result: DocumentResult) -> None:
        if result.status == "failed":
            print(failure_line(result), file=sys.stderr, flush=True)
            return
        print(status_line(result), flush=True)
        for warning in result.warnings:
            print(f"warning {result.name}: {warning}", file=sys.stderr)

    def summary(self, results: list[DocumentResult], output_dir: Path) -> None:
        print(summary_line(results))
        print(f"manifest: {output_dir / MANIFEST_NAME}  report: {output_dir / REPORT_NAME}")


class QuietReporter(Reporter):
    def in_order(self, result: DocumentResult) -> None:
        if result.status == "failed":
            print(failure_line(result), file=sys.stderr, flush=True)

    def summary(self, results: list[DocumentResult], output_dir: Path) -> None:
        return None


class JsonReporter(Reporter):
    def in_order(self, result: DocumentResult) -> None:
        record = {"event": "document", "source": result.name, "status": result.status, "note": result.note,
                  "stage": result.failed_stage, "error": result.error,
                  "outputs": {fmt: str(path) for fmt, path in result.outputs.items()},
                  "warnings": result.warnings, "seconds": round(sum(result.timings.values()), 3)}
        print(json.dumps(record, ensure_ascii=False), file=sys.stderr, flush=True)

    def summary(self, results: list[DocumentResult], output_dir: Path) -> None:
        record = {"event": "summary", **summarise(results), "manifest": str(output_dir / MANIFEST_NAME),
                  "report": str(output_dir / REPORT_NAME)}
        print(json.dumps(record, ensure_ascii=False), file=sys.stderr, flush=True)


class RichReporter(Reporter):
    """A live progress bar on stderr; each document's status printed above it as it finishes."""

    STYLES = {"ok": "green", "skipped": "blue", "kept": "yellow", "failed": "bold red"}

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                                 console=self.console, transient=True)
        self.task = self.progress.add_task("converting", total=None)

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.progress.stop()

    def start(self, sources: list[SourcePath], to_convert: int) -> None:
        skipped = len(sources) - to_convert
        note = f" ({skipped} unchanged)" if skipped else ""
        self.progress.update(self.task, total=len(sources), description=f"converting {to_convert}{note}")

    def completed(self, result: DocumentResult) -> None:
        from rich.markup import escape

        style = self.STYLES.get(result.status, "")
        if result.status == "failed":
            text = escape(failure_line(result))
        elif result.status == "ok":
            text = f"{escape(status_line(result))}  [dim]{sum(result.timings.values()):.1f} s[/dim]"
        else:
            text = escape(status_line(result))
        self.progress.console.print(f"[{style}]{text}[/{style}]" if style else text, highlight=False)
        for warning in result.warnings:
            self.progress.console.print(f"[yellow]warning {escape(result.name)}: {escape(warning)}[/yellow]")
        self.progress.advance(self.task)

    def in_order(self, result: DocumentResult) -> None:
        return None

    def summary(self, results: list[DocumentResult], output_dir: Path) -> None:
        print(summary_line(results))
        print(f"manifest: {output_dir / MANIFEST_NAME}  report: {output_dir / REPORT_NAME}")


def make_reporter(*, quiet: bool, log_json: bool) -> Reporter:
    if log_json:
        return JsonReporter()
    if quiet:
        return QuietReporter()
    if sys.stderr.isatty():
        return RichReporter()
    return Reporter()
