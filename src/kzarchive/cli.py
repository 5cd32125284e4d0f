"""Command line: a thin layer over pipeline, tei.validate and export.

Exit codes: 0 all documents ok, 1 some documents failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import ExitCode, KzError
from .export import EXPORT_FORMATS
from .pipeline import ALL_FORMATS, ConvertOptions, convert_batch
from .progress import make_reporter

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
    convert.add_argument("paths", nargs="*", type=Path, default=[Path("input")], metavar="PATH",
                         help="source files or folders (default: input/)")
    convert.add_argument("-o", "--output", type=Path, default=Path("output"), help="output folder (default: output/)")
    convert.add_argument("--formats", type=lambda v: _formats(v, ALL_FORMATS), default=ALL_FORMATS,
                         help="comma-separated subset of tei,epub,docx,pdf (default: all)")
    convert.add_argument("--embed-font", action="store_true", help="embed the PDF edition's font in the EPUB")
    convert.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                         help="documents converted in parallel (default: all cores); outputs do not depend on it")
    convert.add_argument("--force", action="store_true",
                         help="convert every document again, even those unchanged since the last run")
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
    return parser


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
        return _export(args)
    except KeyboardInterrupt:
        print("kzarchive: interrupted", file=sys.stderr)
        return ExitCode.SOME_FAILED


def _convert(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"kzarchive: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return ExitCode.USAGE
    options = ConvertOptions(output_dir=args.output, formats=args.formats, embed_font=args.embed_font,
                             jobs=args.jobs, force=args.force)
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
        print("kzarchive: no .txt or .pdf sources found", file=sys.stderr)
        return ExitCode.USAGE
    reporter.summary(results, args.output)
    return ExitCode.SOME_FAILED if any(not r.ok for r in results) else ExitCode.OK


def _schema_or_none(args: argparse.Namespace) -> "etree.RelaxNG | None":
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
    from .export import export_format
    from .pipeline import safe_name
    from .tei.parse import parse_tei_file
    from .tei.validate import validate_tree

    schema = _schema_or_none(args)
    if schema is None:
        return ExitCode.USAGE
    failed = 0
    for path in args.files:
        stem = safe_name(path.name.removesuffix(".xml").removesuffix(".tei"))
        try:
            issues = validate_tree(parse_tei_file(path), schema)
            if issues:
                raise KzError(f"not valid TEI, not exported: {issues[0].format(str(path))}")
            for fmt in args.to:
                out = args.output / f"{stem}.{fmt}"
                for warning in export_format(fmt, path, out, embed_font=args.embed_font):
                    print(f"warning {path}: {warning}", file=sys.stderr)
                print(f"ok      {path} → {out}")
        except KzError as exc:
            print(f"FAILED  {path}: {exc}", file=sys.stderr)
            failed += 1
    return ExitCode.SOME_FAILED if failed else ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
