"""Command line: a thin layer over pipeline, tei.validate and export.

Exit codes: 0 all documents ok, 1 some documents failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cluster import parse_scheduler, unavailable_reason
from .errors import ExitCode, KzError
from .export import EXPORT_FORMATS
from .manifest import MANIFEST_NAME
from .pipeline import convert_batch
from .pool import DEFAULT_TIME_LIMIT
from .progress import make_reporter
from .remote import RemoteError, exists, is_url, source_location
from .results import ALL_FORMATS, ConvertOptions
from .sources import SOURCE_SUFFIXES

if TYPE_CHECKING:
    from lxml import etree

EPILOG = "Exit codes: 0 all documents converted/valid, 1 some documents failed, 2 usage error."


def _formats(value: str, allowed: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [f for f in chosen if f not in allowed]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {','.join(allowed)} (got {value!r})")
    return chosen


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1 (got {value!r})")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"a number of seconds, 0 or more (got {value!r})")
    return number


def _scheduler(value: str) -> str:
    try:
        return parse_scheduler(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date as YYYY-MM-DD (got {value!r})") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzarchive",
        description="Kazakh texts extracted from PDFs → archival TEI P5 masters and EPUB 3 / DOCX / PDF editions.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"kzarchive {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    convert = commands.add_parser(
        "convert", help="convert extracted texts and text PDFs to TEI and reader editions", epilog=EPILOG,
        description="Convert each source (a .txt or .pdf file, or every .txt and .pdf in a folder) into NAME.tei.xml and the "
                    "chosen editions. A failing document is reported and the others still convert. "
                    "Metadata comes from catalog.csv beside the sources when present.")
    convert.add_argument("paths", nargs="*", default=["input"], metavar="PATH",
                         help="source files or folders (default: input/), or fsspec URLs such as s3://bucket/theses/")
    convert.add_argument("-o", "--output", default="output", help="output folder (default: output/)")
    convert.add_argument("--formats", type=lambda v: _formats(v, ALL_FORMATS), default=ALL_FORMATS,
                         help="comma-separated subset of tei,epub,docx,pdf (default: all)")
    convert.add_argument("--embed-font", action="store_true", help="embed the PDF edition's font in the EPUB")
    convert.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                         help="documents converted in parallel (default: all cores); outputs do not depend on it")
    convert.add_argument("--force", action="store_true",
                         help="convert every document again, even those unchanged since the last run "
                              "(a TEI edited by hand is still kept: see --reingest-edited)")
    convert.add_argument("--reingest-edited", action="store_true",
                         help="convert again documents whose TEI was edited by hand; each edited TEI is first "
                              "moved to NAME.backup-DATE.tei.xml beside it")
    convert.add_argument("--follow-symlinks", action="store_true",
                         help="convert symbolic links in a source folder that lead outside it (refused by default)")
    convert.add_argument("--time-limit", type=_seconds, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
                         help=f"stop and fail a document that takes longer (default: {DEFAULT_TIME_LIMIT:g}; 0: none)")
    convert.add_argument("--scheduler", type=_scheduler, default=None, metavar="ADDRESS",
                         help="convert on a Dask cluster: a running scheduler (tcp://HOST:8786) or local:N for N "
                              "worker processes on this machine; sources and output folder must be at the same "
                              "path on every worker (needs kzarchive[cluster]; --jobs is then ignored)")
    convert.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                         help="the conversion date recorded in the outputs (default: today, or SOURCE_DATE_EPOCH)")
    output_mode = convert.add_mutually_exclusive_group()
    output_mode.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    output_mode.add_argument("--log-json", action="store_true",
                             help="one JSON object per document on stderr (and a final summary object), for scripts")

    validate = commands.add_parser(
        "validate", help="validate TEI files against schemas/tei.rng", epilog=EPILOG,
        description="Print each error as file:line:col: message; exit 1 when any file is invalid.")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE.xml")
    validate.add_argument("--schema", type=Path, default=None, help="another RELAX NG schema (e.g. tei_all.rng)")

    export = commands.add_parser(
        "export", help="make reader editions from a (possibly hand-corrected) TEI file", epilog=EPILOG,
        description="Re-export editions from TEI only, so corrections made in the TEI reach every edition.")
    export.add_argument("files", nargs="+", type=Path, metavar="FILE.tei.xml")
    export.add_argument("--to", type=lambda v: _formats(v, EXPORT_FORMATS), default=EXPORT_FORMATS,
                        help="comma-separated subset of epub,docx,pdf (default: all)")
    export.add_argument("-o", "--output", type=Path, default=Path("output"), help="output folder (default: output/)")
    export.add_argument("--embed-font", action="store_true", help="embed the PDF edition's font in the EPUB")
    export.add_argument("--schema", type=Path, default=None,
                        help="validate against another RELAX NG schema before exporting (e.g. tei_all.rng, "
                             "for a TEI enriched by hand beyond what kzarchive emits)")
    _add_review_commands(commands)
    return parser


def _add_review_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = commands.add_parser(
        "review", help="write a review page of a TEI master's cleaning decisions",
        description="Write a self-contained HTML page listing every cleaning decision of the TEI, least certain "
                    "first, to accept, revert or correct from the keyboard; it saves a corrections file for apply.")
    review.add_argument("file", type=Path, metavar="FILE.tei.xml")
    review.add_argument("-o", "--output", type=Path, default=None, metavar="PAGE.html",
                        help="where to write the page (default: NAME.review.html beside the TEI)")
    apply = commands.add_parser(
        "apply", help="write a corrections file from a review page into its TEI master",
        description="Apply the corrections to the TEI they were made for (refused for another version), record "
                    "them in revisionDesc, validate, and make the editions beside it again. Applying twice changes "
                    "nothing.")
    apply.add_argument("corrections", type=Path, metavar="CORRECTIONS.json")
    apply.add_argument("--tei", type=Path, default=None, metavar="PATH",
                       help="the TEI master (default: the file the corrections name, beside them)")
    apply.add_argument("--by", default=None, metavar="NAME", help="who reviewed (default: the login name)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        if args.command == "convert":
            return _convert(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "review":
            return _review(args)
        if args.command == "apply":
            return _apply(args)
        return _export(args)
    except KeyboardInterrupt:
        print("kzarchive: interrupted", file=sys.stderr)
        return ExitCode.SOME_FAILED


def _convert(args: argparse.Namespace) -> int:
    if is_url(args.output):
        print(f"kzarchive: the output folder must be a file-system path (a local disk or a shared mount), not a URL: "
              f"{args.output} (the folder lock, atomic renames and the protection of hand-edited masters need one)",
              file=sys.stderr)
        return ExitCode.USAGE
    args.output = Path(args.output)
    try:
        args.paths = [source_location(str(p)) for p in args.paths]
        missing = [p for p in args.paths if not exists(p)]
    except RemoteError as exc:
        print(f"kzarchive: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    if missing:
        print(f"kzarchive: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return ExitCode.USAGE
    if args.scheduler and unavailable_reason():
        print(f"kzarchive: --scheduler: {unavailable_reason()}", file=sys.stderr)
        return ExitCode.USAGE
    options = ConvertOptions(output_dir=args.output, formats=args.formats, embed_font=args.embed_font,
                             jobs=args.jobs, force=args.force, date=args.date or "", follow_symlinks=args.follow_symlinks,
                             reingest_edited=args.reingest_edited, time_limit=args.time_limit,
                             scheduler=args.scheduler or "")
    reporter = make_reporter(quiet=args.quiet, log_json=args.log_json)
    try:
        with reporter:
            results = convert_batch(args.paths, options, on_result=reporter.in_order,
                                    on_complete=reporter.completed, on_start=reporter.start)
    except KzError as exc:  # the output folder is busy or cannot be created, or the catalog is unreadable
        print(f"kzarchive: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except OSError as exc:
        print(f"kzarchive: cannot write to {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return ExitCode.USAGE
    if not results:
        print(f"kzarchive: no sources found ({', '.join(SOURCE_SUFFIXES)})", file=sys.stderr)
        return ExitCode.USAGE
    reporter.summary(results, args.output)
    return ExitCode.SOME_FAILED if any(not r.ok for r in results) else ExitCode.OK


def _schema_or_none(args: argparse.Namespace) -> etree.RelaxNG | None:
    """The schema asked for (ours by default); None, with the reason on stderr, if it cannot load."""
    from .tei.validate import load_schema

    try:
        return load_schema(args.schema.resolve() if args.schema else None)
    except KzError as exc:
        print(f"kzarchive: {exc}", file=sys.stderr)
        return None


def _validate(args: argparse.Namespace) -> int:
    from .tei.parse import parse_tei_file
    from .tei.validate import validate_tree

    schema = _schema_or_none(args)
    if schema is None:
        return ExitCode.USAGE
    invalid = 0
    for path in args.files:
        try:
            issues = validate_tree(parse_tei_file(path), schema)
        except KzError as exc:
            print(str(exc), file=sys.stderr)
            invalid += 1
            continue
        for issue in issues:
            print(issue.format(str(path)))
        invalid += bool(issues)
        if not issues:
            print(f"{path}: valid")
    return ExitCode.SOME_FAILED if invalid else ExitCode.OK


def _export(args: argparse.Namespace) -> int:
    from .fsutil import folder_lock

    schema = _schema_or_none(args)
    if schema is None:
        return ExitCode.USAGE
    # An output folder of `convert` (it has a manifest) is locked, so a convert cannot race us there.
    managed = (args.output / MANIFEST_NAME).is_file()
    try:
        with folder_lock(args.output) if managed else contextlib.nullcontext():
            failed = sum(not _export_one(path, args, schema) for path in args.files)
    except KzError as exc:
        print(f"kzarchive: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except OSError as exc:
        print(f"kzarchive: cannot write to {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return ExitCode.USAGE
    return ExitCode.SOME_FAILED if failed else ExitCode.OK


def _export_one(path: Path, args: argparse.Namespace, schema: etree.RelaxNG) -> bool:
    """Export one TEI file; the output folder's manifest records what was made. False on failure."""
    from .export import export_format
    from .manifest import record_export
    from .sources import safe_name
    from .tei.parse import parse_tei_file
    from .tei.validate import validate_tree

    stem = safe_name(path.name.removesuffix(".xml").removesuffix(".tei"))
    made: dict[str, Path] = {}
    try:
        issues = validate_tree(parse_tei_file(path), schema)
        if issues:
            raise KzError(f"not valid TEI, not exported: {issues[0].format(str(path))}")
        for fmt in args.to:
            out = args.output / f"{stem}.{fmt}"
            for warning in export_format(fmt, path, out, embed_font=args.embed_font):
                print(f"warning {path}: {warning}", file=sys.stderr)
            made[fmt] = out
            print(f"ok      {path} → {out}")
    except KzError as exc:
        print(f"FAILED  {path}: {exc}", file=sys.stderr)
    if made and record_export(args.output, path, made):
        print(f"manifest: {args.output / MANIFEST_NAME} records the new editions of {path.name}")
    return len(made) == len(args.to)


def _review(args: argparse.Namespace) -> int:
    from .review.page import review_page_path, write_review_page

    out = args.output or review_page_path(args.file)
    try:
        summary = write_review_page(args.file, out)
    except KzError as exc:
        print(f"kzarchive: {exc}", file=sys.stderr)
        return ExitCode.SOME_FAILED
    print(f"ok      {args.file} → {out}: {summary['decisions']} decisions, {summary['uncertain']} uncertain")
    return ExitCode.OK


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (a container without a passwd entry)
        return "an archivist"


def _apply(args: argparse.Namespace) -> int:
    from .review.apply import apply_corrections

    try:
        result = apply_corrections(args.corrections, args.tei, by=args.by or _login_name())
        _record_applied(result.tei_path, result.exported)
    except (KzError, OSError) as exc:
        print(f"kzarchive: {exc}", file=sys.stderr)
        return ExitCode.SOME_FAILED
    if not result.applied:
        print(f"ok      {args.corrections} was applied to {result.tei_path} before: nothing changed")
        return ExitCode.OK
    for warning in result.warnings:
        print(f"warning {result.tei_path}: {warning}", file=sys.stderr)
    counts = result.counts
    made = ", ".join(p.name for p in result.exported) or "no editions beside it"
    print(f"ok      {args.corrections} → {result.tei_path}: {counts['accept']} accepted, {counts['revert']} reverted, "
          f"{counts['edit']} corrected; made again: {made}")
    return ExitCode.OK



def _record_applied(tei_path: Path, exported: Sequence[Path]) -> None:
    """A corrected TEI in a convert output folder: the manifest learns its new bytes and editions, so
    the next convert keeps it as a hand-corrected master and does not make its editions again."""
    from .fsutil import folder_lock
    from .manifest import record_export

    folder = tei_path.parent
    if not (folder / MANIFEST_NAME).is_file():
        return
    editions = {path.suffix.lstrip("."): path for path in exported if path.suffix.lstrip(".") in EXPORT_FORMATS}
    with folder_lock(folder):
        record_export(folder, tei_path, editions)

if __name__ == "__main__":
    sys.exit(main())
