"""Archival PDF/A-2b export of a TEI master through typst.

The TEI reading view is turned into a small JSON document model and handed to the typst template
(`pdf_template.typ`) as data, so the source text can never be read as typst markup. Kazakh words get
soft hyphens at syllable boundaries (typst has no Kazakh hyphenation patterns), every character is
checked against the bundled fonts, and the finished PDF's text layer is cleaned of the soft hyphens
typst leaves in its ToUnicode maps.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import ExportError
from ..fsutil import atomic_write_bytes
from ..labels import label
from ..tei import XML_LANG, tei
from ..tei.reading import Metadata, is_supplied_title, normalize_space, read_metadata, reading_text
from .boundary import exporting, read_tei
from .pdf_bytes import tidy_pdf
from .pdf_fonts import (
    BundledFont,
    bundled_fonts,
    document_characters,
    missing_characters,
    missing_glyph_warning,
    replace_characters,
)
from .pdf_model import TemplateModel, has_heading, hyphenate_kazakh
from .walk import read_text

TEMPLATE = Path(__file__).with_name("pdf_template.typ")
# typst's optimal (Knuth–Plass) line breaking costs about 3× the first-fit breaker once every
# Kazakh syllable is a break opportunity; past this size of text the first-fit breaker keeps a
# dissertation under the 2 s budget. Soft hyphens keep its justified lines even.
OPTIMAL_LINEBREAK_MAX_CHARS = 120_000
# typst holds a whole document in memory: about 380 MB per MB of source text (bench/README.md, stress).
# Above this many characters of reading text (≈ 6 MB of Cyrillic, ≈ 2.3 GB in typst) the PDF edition
# is refused with the reason, so that one huge text cannot exhaust the machine for the whole batch.
MAX_PDF_TEXT_CHARS = 3_000_000
# The length past which a title is shortened to serve as the running head.
RUNNING_HEAD_CHARS = 70

__all__ = ["MAX_PDF_TEXT_CHARS", "build_document", "export_pdf", "hyphenate_kazakh"]


# ---------------------------------------------------------------------------- public API


def export_pdf(tei_path: Path, out_path: Path) -> list[str]:
    """Write an archival PDF/A-2b of `tei_path` to `out_path`; return warnings (e.g. missing glyphs)."""
    with exporting("PDF", tei_path, out_path):
        tree = read_tei(Path(tei_path))
        meta = read_metadata(tree)
        fonts = bundled_fonts()
        document = build_document(tree.getroot(), meta, [f.family for f in fonts])
        missing = missing_characters(document_characters(document), fonts)
        warnings = [missing_glyph_warning(char, fonts) for char in sorted(missing)]
        if missing:  # PDF/A forbids .notdef boxes: print the code point instead
            document = replace_characters(document, {c: f"[U+{ord(c):04X}]" for c in missing})
        pdf, typst_warnings = compile_pdf(document, fonts, creation_time(meta))
        atomic_write_bytes(Path(out_path), tidy_pdf(pdf))
    return warnings + typst_warnings


def build_document(root: etree._Element, meta: Metadata, font_families: list[str]) -> dict[str, Any]:
    """The JSON document the template renders: metadata, layout choices, fonts, and the text."""
    text = root.find(tei("text"))
    size = len(reading_text(text, include_notes=True)) if text is not None else 0
    if size > MAX_PDF_TEXT_CHARS:
        raise ExportError(f"too long for the PDF edition: {size:,} characters of text (the limit is "
                          f"{MAX_PDF_TEXT_CHARS:,}, as typst needs about 380 MB of memory per MB); "
                          "make it without pdf (--formats tei,epub,docx)")
    reading = read_text(root)
    model = TemplateModel(reading)
    parts: dict[str, list[dict[str, Any]]] = {"front": [], "body": [], "back": []}
    for matter in reading.matters:
        parts[matter.kind].extend(model.blocks(matter.blocks, reading.lang))
    layout = {"linebreaks": "optimized" if size <= OPTIMAL_LINEBREAK_MAX_CHARS else "simple"}
    metadata = template_metadata(meta, root.get(XML_LANG) or "kk")
    metadata["has-contents"] = any(has_heading(blocks) for blocks in parts.values())
    return {"meta": metadata, "layout": layout, "fonts": font_families, "labels": sorted(model.labels), **parts}


# ---------------------------------------------------------------------------- metadata


def template_metadata(meta: Metadata, doc_lang: str) -> dict[str, Any]:
    title = meta.title or meta.source_title or label("untitled", doc_lang)
    year, month, day = publication_date(meta)
    return {
        "title": title,
        # a supplied "Атаусыз мәтін (001_….txt)" is no running head
        "short-title": "" if is_supplied_title(title) else _shortened(title, RUNNING_HEAD_CHARS),
        "subtitle": meta.subtitle,
        "authors": list(meta.authors),
        "date": [year, month, day],
        "date-text": meta.source_date,  # the source's own date; the conversion date is not the work's
        "lang": doc_lang,
        "description": source_citation(meta, doc_lang) or title,
        "keywords": [lang for lang in meta.languages if lang],
        "source-lines": source_lines(meta, title),
        "contents-title": label("contents", doc_lang),
    }


def source_lines(meta: Metadata, title: str) -> list[str]:
    """The title page's lines on the source: its title (not the document's title again), publisher, and
    what the catalog says the source is — or, when it says nothing, the file it came from."""
    source_title = meta.source_title if meta.source_title != title else ""
    origin = meta.source_note or meta.source_filename
    source = label("source", meta.language or "kk")
    return [line for line in (source_title, meta.source_publisher, f"{source}: {origin}" if origin else "") if line]


def source_citation(meta: Metadata, doc_lang: str = "kk") -> str:
    source_title = meta.source_title if meta.source_title != meta.title else ""  # not the title twice
    parts = [source_title, meta.source_publisher, meta.source_filename]
    citation = ". ".join(p for p in parts if p)
    return f"{label('source', doc_lang)}: {citation}" if citation else ""


def publication_date(meta: Metadata) -> tuple[int, int, int]:
    """Year, month, day from the TEI date (missing parts default to 1; no date: 2000-01-01)."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", meta.date or "")
    if not match:
        return 2000, 1, 1
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return year if 1 <= year <= 9999 else 2000, 1, 1
    return year, month, day


def creation_time(meta: Metadata) -> dt.datetime:
    """The PDF's creation date comes from the TEI, never the clock, so re-exports are identical."""
    year, month, day = publication_date(meta)
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


# ---------------------------------------------------------------------------- typst


def compile_pdf(document: dict[str, Any], fonts: tuple[BundledFont, ...],
                created: dt.datetime) -> tuple[bytes, list[str]]:
    import typst

    font_book = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(f.folder) for f in fonts],
    )
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(TEMPLATE),
            root=str(TEMPLATE.parent),
            font_paths=font_book,
            ignore_system_fonts=True,
            sys_inputs={"kzarchive-data": data},
            pdf_standards=["a-2b"],
            timestamp=created,
            pdf_tags=True,
        )
    except RuntimeError as exc:  # typst.TypstError
        message = getattr(exc, "message", str(exc))
        raise ExportError(f"typst failed: {normalize_space(str(message))}") from None
    return pdf, [f"typst: {normalize_space(getattr(w, 'message', str(w)))}" for w in warnings]


# ---------------------------------------------------------------------------- output


def _shortened(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: limit - 3].rstrip() + "…"
