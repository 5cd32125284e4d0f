"""Reader editions, each made from a TEI file and nothing else."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExportError
from .boundary import exporting

EXPORT_FORMATS = ("epub", "docx", "pdf")


def export_format(fmt: str, tei_path: Path, out_path: Path, *, embed_font: bool = False) -> list[str]:
    """Export one format; returns warnings. Every failure is an ExportError (a KzError) with one line
    of text, the same way for every format (export/boundary.py)."""
    with exporting(fmt.upper(), tei_path, out_path):
        return _export(fmt, tei_path, out_path, embed_font=embed_font)


def _export(fmt: str, tei_path: Path, out_path: Path, *, embed_font: bool) -> list[str]:
    """Exporters are imported on demand (typst and ebooklib load only when their edition is asked for)."""
    if fmt == "epub":
        from .epub import export_epub

        export_epub(tei_path, out_path, embed_font=embed_font)
        return []
    if fmt == "docx":
        from .docx import export_docx

        export_docx(tei_path, out_path)
        return []
    if fmt == "pdf":
        from .pdf import export_pdf

        return list(export_pdf(tei_path, out_path))
    raise ExportError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
