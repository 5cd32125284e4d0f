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
from .pipeline import DocumentResult


def failure_line(result: DocumentResult) -> str:
    if result.error.startswith("internal error") or not result.failed_stage:
        return f"FAILED  {result.source}: {result.error}"
    return f"FAILED  {result.source}: {result.failed_stage}: {result.error}"


def summary_line(results: list[DocumentResult]) -> str:
    counts = summarise(results)
    skipped = f", {counts['skipped']} skipped (unchanged)" if counts["skipped"] else ""
    return f"{counts['converted']} converted, {counts['failed']} failed{skipped}"


class Reporter:
    """Plain lines, in source order."""

    def __enter__(self) -> "Reporter":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        return None

    def start(self, sources: list[Path], to_convert: int) -> None:
        return None

    def completed(self, result: DocumentResult) -> None:
        return None

    def in_order(self, result: DocumentResult) -> None:
        if result.status == "failed":
            print(failure_line(result), file=sys.stderr, flush=True)
            return
        if result.status == "skipped":
            print(f"skipped {result.source} (unchanged)", flush=True)
        else:
            print(f"ok      {result.source} → {','.join(result.outputs)}", flush=True)
        for warning in result.warnings:
            print(f"warning {result.source}: {warning}", file=sys.stderr)

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
        record = {"event": "document", "source": str(result.source), "status": result.status,
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

    STYLES = {"ok": "green", "skipped": "blue", "failed": "bold red"}

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.console = Console(stderr=True)
        self.progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                                 console=self.console, transient=True)
        self.task = self.progress.add_task("converting", total=None)

    def __enter__(self) -> "RichReporter":
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.progress.stop()

    def start(self, sources: list[Path], to_convert: int) -> None:
        skipped = len(sources) - to_convert
        note = f" ({skipped} unchanged)" if skipped else ""
        self.progress.update(self.task, total=len(sources), description=f"converting {to_convert}{note}")

    def completed(self, result: DocumentResult) -> None:
        from rich.markup import escape

        style = self.STYLES.get(result.status, "")
        if result.status == "failed":
            text = escape(failure_line(result))
        elif result.status == "skipped":
            text = f"skipped {escape(str(result.source))} (unchanged)"
        else:
            seconds = sum(result.timings.values())
            text = f"ok      {escape(str(result.source))} → {','.join(result.outputs)}  [dim]{seconds:.1f} s[/dim]"
        self.progress.console.print(f"[{style}]{text}[/{style}]" if style else text, highlight=False)
        for warning in result.warnings:
            self.progress.console.print(f"[yellow]warning {escape(str(result.source))}: {escape(warning)}[/yellow]")
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
