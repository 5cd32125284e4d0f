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
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import ExportError, KzError
from ..fsutil import atomic_write_bytes
from ..lexicon.syllabify import hyphenation_points
from ..tei import XML_ID, tei
from ..tei.parse import parse_tei_file
from ..tei.reading import (
    SOURCE_LABEL,
    Metadata,
    element_lang,
    in_language,
    is_supplied_title,
    normalize_space,
    prints_its_number,
    read_metadata,
    reading_text,
)
from .pdf_bytes import tidy_pdf

TEMPLATE = Path(__file__).with_name("pdf_template.typ")
SOFT_HYPHEN = "\u00ad"
PRIMARY_FONT = "pt-serif"
FALLBACK_FONTS = ("noto-serif",)  # wider Unicode (Greek, IPA, rare Latin); optional
CONTENTS_TITLE = "Мазмұны"
PAGE_BREAK_TYPES = {"chapter", "introduction", "conclusion", "bibliography", "contents", "part", "appendix"}
MIN_HYPHENATED_LENGTH = 5
# typst's optimal (Knuth–Plass) line breaking costs about 3× the first-fit breaker once every
# Kazakh syllable is a break opportunity; past this size of text the first-fit breaker keeps a
# dissertation under the 2 s budget. Soft hyphens keep its justified lines even.
OPTIMAL_LINEBREAK_MAX_CHARS = 120_000
# typst holds a whole document in memory: about 380 MB per MB of source text (bench/README.md, stress).
# Above this many characters of reading text (≈ 6 MB of Cyrillic, ≈ 2.3 GB in typst) the PDF edition
# is refused with the reason, so that one huge text cannot exhaust the machine for the whole batch.
MAX_PDF_TEXT_CHARS = 3_000_000

Inline = str | dict[str, Any]
Block = dict[str, Any]

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPACES = re.compile(r"\s+")


# ---------------------------------------------------------------------------- public API


def export_pdf(tei_path: Path, out_path: Path) -> list[str]:
    """Write an archival PDF/A-2b of `tei_path` to `out_path`; return warnings (e.g. missing glyphs)."""
    try:
        tree = parse_tei_file(Path(tei_path))
    except KzError as exc:
        raise ExportError(str(exc)) from None
    meta = read_metadata(tree)
    fonts = bundled_fonts()
    document = build_document(tree.getroot(), meta, [f.family for f in fonts])
    missing = missing_characters(document_characters(document), fonts)
    warnings = [missing_glyph_warning(char, fonts) for char in sorted(missing)]
    if missing:  # PDF/A forbids .notdef boxes: print the code point instead
        document = replace_characters(document, {c: f"[U+{ord(c):04X}]" for c in missing})
    pdf, typst_warnings = compile_pdf(document, fonts, creation_time(meta))
    pdf = tidy_pdf(pdf)
    write_atomically(Path(out_path), pdf)
    return warnings + typst_warnings


# ---------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class BundledFont:
    family: str
    folder: Path
    files: tuple[Path, ...]


@lru_cache(maxsize=1)
def bundled_fonts() -> tuple[BundledFont, ...]:
    """PT Serif first, then any installed fallback family: PyPI fonts only, never system fonts."""
    import fontpkg

    found = []
    for slug in (PRIMARY_FONT, *FALLBACK_FONTS):
        try:
            family = fontpkg.family(slug)
        except fontpkg.FontpkgError:
            if slug == PRIMARY_FONT:
                raise ExportError(f"font package fontpkg-{slug} is not installed") from None
            continue
        files = tuple(f.path for f in family.files)
        found.append(BundledFont(family.name, files[0].parent, files))
    return tuple(found)


@lru_cache(maxsize=4)
def _font_cmap(font_file: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_file, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_coverage(font: BundledFont) -> frozenset[int]:
    """Code points every style of a family can draw (bold headings and italics need them too)."""
    cmaps = [_font_cmap(path) for path in font.files]
    return frozenset.intersection(*cmaps)


def missing_characters(characters: set[str], fonts: tuple[BundledFont, ...]) -> set[str]:
    """Characters that no bundled font can draw (typst would show an empty box)."""
    covered: set[int] = set()
    for font in fonts:
        covered |= font_coverage(font)
    return {char for char in characters if ord(char) not in covered and _needs_glyph(char)}


def missing_glyph_warning(char: str, fonts: tuple[BundledFont, ...]) -> str:
    names = ", ".join(f.family for f in fonts)
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} {name} ({char}) is missing from the PDF fonts ({names}); printed as [U+{ord(char):04X}]"


def replace_characters(value: Any, replacements: dict[str, str]) -> Any:
    """A copy of the document model with characters replaced in every text string."""
    if isinstance(value, str):
        return "".join(replacements.get(c, c) for c in value) if any(c in replacements for c in value) else value
    if isinstance(value, list):
        return [replace_characters(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _NON_TEXT_KEYS else replace_characters(v, replacements) for k, v in value.items()}
    return value


def _needs_glyph(char: str) -> bool:
    # Spaces and format/control characters are handled by the layout, not drawn.
    return not char.isspace() and unicodedata.category(char) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}


# ---------------------------------------------------------------------------- TEI → document model


@dataclass
class DocumentBuilder:
    """Walks the TEI text and builds the JSON model the template renders."""

    doc_lang: str
    link_targets: set[str]
    labels: list[str] = field(default_factory=list)
    soft_hyphens: bool = True  # off in headings: they are set ragged and reused as bookmarks

    # -- blocks

    def division(self, div: etree._Element, level: int) -> list[Block]:
        out: list[Block] = []
        head = div.find(tei("head"))
        if head is not None and level == 1 and div.get("type") in PAGE_BREAK_TYPES:
            out.append({"t": "pagebreak"})
        plain = div.get("type") == "contents"  # a contents list is set ragged, without hyphenation
        hyphenating, self.soft_hyphens = self.soft_hyphens, self.soft_hyphens and not plain
        content: list[Block] = []
        for child in div:
            if not isinstance(child.tag, str) or child.tag == tei("fw"):
                continue
            if child is head:
                out.extend(self.heading(head, level, div.get(XML_ID)))
            else:
                content.extend(self.block(child, level))
        self.soft_hyphens = hyphenating
        content = attach_page_turns(content)
        out.extend([{"t": "plain", "c": content}] if plain and content else content)
        return out

    def heading(self, head: etree._Element, level: int, div_id: str | None) -> list[Block]:
        label = div_id if div_id in self.link_targets else None
        if label:
            self.labels.append(label)
        # Notes and page breaks cannot live in a heading (it is repeated in the contents and
        # running heads): they follow it as a paragraph of their own.
        hoisted = [n for n in self.inlines(head, self.doc_lang) if isinstance(n, dict) and ("fn" in n or "pb" in n)]
        hyphenating, self.soft_hyphens = self.soft_hyphens, False
        body = self.inlines(head, self.doc_lang, in_heading=True)
        self.soft_hyphens = hyphenating
        out: list[Block] = [{"t": "head", "level": min(level, 6), "id": label, "c": self._lang_wrap(head, body)}]
        if hoisted:
            out.append({"t": "p", "c": hoisted})
        return out

    def block(self, el: etree._Element, level: int) -> list[Block]:
        tag = el.tag
        if tag == tei("div"):
            return self.division(el, level + 1)
        if tag == tei("p") or tag == tei("ab"):
            return [self._with_lang(el, {"t": "p", "c": self.inlines(el, element_lang(el, self.doc_lang))})]
        if tag == tei("quote"):
            return [self._with_lang(el, {"t": "quote", "c": self.block_content(el, level)})]
        if tag == tei("list"):
            return [self.list_block(el, level)]
        if tag == tei("listBibl"):
            return [self.bibliography(el)]
        if tag == tei("byline"):
            return [self._with_lang(el, {"t": "byline", "c": self.inlines(el, element_lang(el, self.doc_lang))})]
        if tag == tei("figure"):  # a figure whose picture is not in the text: its caption, centred
            out: list[Block] = []
            for child in el:
                if child.tag == tei("head"):
                    out.append(self._with_lang(child, {"t": "caption", "c": self.inlines(child, element_lang(child, self.doc_lang))}))
                elif isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                    out.extend(self.block(child, level))
            return out
        if tag == tei("pb"):  # a source page turn between blocks: its number in the margin too
            return [{"t": "pb", "n": el.get("n")}] if el.get("n") else []
        if tag == tei("head"):  # a second head inside a div: a plain bold-less heading line
            return [self._with_lang(el, {"t": "p", "c": self.inlines(el, element_lang(el, self.doc_lang))})]
        return self.block_content(el, level)

    def block_content(self, el: etree._Element, level: int) -> list[Block]:
        """Content of an element that may hold blocks, inline text, or both (unknown elements too)."""
        if not any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
            inl = self.inlines(el, element_lang(el, self.doc_lang))
            return [self._with_lang(el, {"t": "p", "c": inl})] if _has_text(inl) else []
        out: list[Block] = []
        pending: list[Inline] = []  # loose text between blocks becomes its own paragraph
        lang = element_lang(el, self.doc_lang)
        self._append_text(pending, el.text, lang)
        for child in el:
            if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                if _has_text(pending):
                    out.append({"t": "p", "c": pending})
                pending = []
                out.extend(self.block(child, level))
            else:
                pending.extend(self._inline_child(child, lang))
            self._append_text(pending, child.tail, lang)
        if _has_text(pending):
            out.append({"t": "p", "c": pending})
        return attach_page_turns(out)

    def list_block(self, el: etree._Element, level: int) -> Block:
        items = []
        for item in el.findall(tei("item")):
            label_el = item.find(tei("label"))
            label = self.inlines(label_el, element_lang(label_el, self.doc_lang)) if label_el is not None else None
            items.append({"label": label, "c": self.block_content_without(item, label_el, level)})
        out: list[Block] = []
        head = el.find(tei("head"))
        node = self._with_lang(el, {"t": "list", "rend": el.get("rend", "bulleted"), "items": items})
        if head is not None:  # a list head is a caption line, kept with the list
            out.append({"t": "p", "c": self.inlines(head, element_lang(head, self.doc_lang))})
        return node if not out else {"t": "quote", "c": out + [node]}

    def block_content_without(self, el: etree._Element, skip: etree._Element | None, level: int) -> list[Block]:
        if skip is None:
            return self.block_content(el, level)
        copy = etree.Element(el.tag, attrib=dict(el.attrib))
        copy.text = (skip.tail or "") if el.text is None or not el.text.strip() else el.text + (skip.tail or "")
        for child in el:
            if child is not skip:
                copy.append(deepcopy(child))  # with its tail: the item's text after it
        # xml:lang lookups need the original ancestors; the item's own lang is kept on the copy.
        if el.get("{http://www.w3.org/XML/1998/namespace}lang") is None:
            copy.set("{http://www.w3.org/XML/1998/namespace}lang", element_lang(el, self.doc_lang))
        return self.block_content(copy, level)

    def bibliography(self, el: etree._Element) -> Block:
        items = []
        for index, bibl in enumerate(el.iter(tei("bibl")), start=1):
            if bibl.getparent() is not el:
                continue  # nested bibls are part of their parent's text
            bibl_id = bibl.get(XML_ID)
            if bibl_id in self.link_targets:
                self.labels.append(bibl_id)
            content = self.inlines(bibl, element_lang(bibl, self.doc_lang))
            node: dict[str, Any] = {
                "n": "" if prints_its_number(bibl) else bibl.get("n") or str(index),
                "id": bibl_id if bibl_id in self.link_targets else None,
                "c": content,
            }
            items.append(self._with_lang(bibl, node))
        return self._with_lang(el, {"t": "bibl", "items": items})

    # -- inlines

    def inlines(self, el: etree._Element, lang: str, in_heading: bool = False) -> list[Inline]:
        out: list[Inline] = []
        self._append_text(out, el.text, lang)
        for child in el:
            out.extend(self._inline_child(child, lang, in_heading))
            self._append_text(out, child.tail, lang)
        return _merge_strings(out)

    def _inline_child(self, child: etree._Element, lang: str, in_heading: bool = False) -> list[Inline]:
        tag = child.tag
        if not isinstance(tag, str) or tag in _HIDDEN_INLINE:
            return []
        if tag == tei("lb"):
            return [] if child.get("break") == "no" else [" "]
        if tag == tei("pb"):
            return [] if in_heading or not child.get("n") else [{"pb": child.get("n")}]
        if tag == tei("note"):
            if in_heading:
                return []
            note: dict[str, Any] = {"fn": self.inlines(child, element_lang(child, self.doc_lang))}
            if (child.get("n") or "").isdigit():
                note["n"] = int(child.get("n"))  # the mark the source printed, not typst's own count
            return [note]
        child_lang = element_lang(child, lang) if child.get(_XML_LANG) else lang
        body = self.inlines(child, child_lang, in_heading)
        if tag == tei("ref"):
            body = self._ref(child, body)
        elif tag == tei("hi") and child.get("rend"):
            body = [{"hi": child.get("rend", ""), "c": body}]
        if child_lang != lang:
            body = [{"lang": child_lang, "c": body}]
        return body

    def _ref(self, ref: etree._Element, body: list[Inline]) -> list[Inline]:
        target = (ref.get("target") or "").split()[0] if ref.get("target") else ""
        if target.startswith("#") and target[1:] in self.link_targets:
            return [{"ref": target[1:], "c": body}]
        if target.startswith(("http://", "https://", "mailto:")):
            return [{"link": target, "c": body}]
        return body

    def _append_text(self, out: list[Inline], text: str | None, lang: str) -> None:
        if not text:
            return
        text = _SPACES.sub(" ", text)
        out.append(hyphenate_kazakh(text) if lang == "kk" and self.soft_hyphens else text)

    def _with_lang(self, el: etree._Element, node: dict[str, Any]) -> dict[str, Any]:
        lang = el.get(_XML_LANG)
        if lang and lang != self.doc_lang:
            node["lang"] = lang
        return node

    def _lang_wrap(self, el: etree._Element, body: list[Inline]) -> list[Inline]:
        lang = el.get(_XML_LANG)
        return [{"lang": lang, "c": body}] if lang and lang != self.doc_lang else body


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Keys of the document model that hold identifiers or settings, not printed text.
_NON_TEXT_KEYS = {"t", "id", "ref", "lang", "rend", "hi", "link", "fonts", "labels", "layout", "date", "keywords"}
_HIDDEN_INLINE = {tei("fw"), tei("orig"), tei("sic")}
_BLOCK_TAGS = {
    tei(t)
    for t in ("p", "ab", "div", "list", "listBibl", "quote", "byline", "head", "lg", "table", "figure", "sp", "floatingText")
}


def attach_page_turns(blocks: list[Block]) -> list[Block]:
    """A source page turn between blocks marks the first line of the paragraph that follows it (the
    margin number stands level with where the source page begins); before anything else it stays a
    block of its own."""
    out: list[Block] = []
    waiting: list[Block] = []
    for block in blocks:
        if block.get("t") == "pb":
            waiting.append(block)
            continue
        if waiting and block.get("t") == "p":
            block = {**block, "c": [{"pb": turn["n"]} for turn in waiting] + block["c"]}
        else:
            out.extend(waiting)
        waiting = []
        out.append(block)
    return out + waiting


def _has_text(nodes: list[Inline]) -> bool:
    return any(not isinstance(n, str) or n.strip() for n in nodes)


def _merge_strings(nodes: list[Inline]) -> list[Inline]:
    """Join neighbouring strings and collapse doubled spaces (lb, tails) into one."""
    merged: list[Inline] = []
    run: list[str] = []  # joined once: `merged[-1] + node` would copy a growing string (quadratic)
    for node in nodes:
        if isinstance(node, str):
            run.append(node)
            continue
        if run:
            merged.append("".join(run))
            run = []
        merged.append(node)
    if run:
        merged.append("".join(run))
    return [_SPACES.sub(" ", n) if isinstance(n, str) else n for n in merged]


def hyphenate_kazakh(text: str) -> str:
    """Put soft hyphens at the syllable breaks of Cyrillic words, so typst breaks only there."""
    def soften(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < MIN_HYPHENATED_LENGTH or not _CYRILLIC.search(word):
            return word
        points = hyphenation_points(word)
        if not points:
            return word
        bounds = [0, *points, len(word)]
        return SOFT_HYPHEN.join(word[a:b] for a, b in zip(bounds, bounds[1:]))

    return _WORD.sub(soften, text)


def collect_link_targets(root: etree._Element) -> set[str]:
    """Ids the template labels: divisions with a head and bibliography entries."""
    targets = set()
    for div in root.iter(tei("div")):
        if div.get(XML_ID) and div.find(tei("head")) is not None:
            targets.add(div.get(XML_ID))
    for bibl in root.iter(tei("bibl")):
        parent = bibl.getparent()
        if bibl.get(XML_ID) and parent is not None and parent.tag == tei("listBibl"):
            targets.add(bibl.get(XML_ID))
    return targets


def build_document(root: etree._Element, meta: Metadata, font_families: list[str]) -> dict[str, Any]:
    doc_lang = root.get(_XML_LANG, "kk")
    builder = DocumentBuilder(doc_lang, collect_link_targets(root))
    text = root.find(tei("text"))
    parts: dict[str, list[Block]] = {"front": [], "body": [], "back": []}
    if text is not None:
        for name in parts:
            part = text.find(tei(name))
            if part is not None:
                parts[name] = builder.block_content(part, 0)
    size = len(reading_text(text, include_notes=True)) if text is not None else 0
    if size > MAX_PDF_TEXT_CHARS:
        raise ExportError(f"too long for the PDF edition: {size:,} characters of text (the limit is "
                          f"{MAX_PDF_TEXT_CHARS:,}, as typst needs about 380 MB of memory per MB); "
                          "make it without pdf (--formats tei,epub,docx)")
    layout = {"linebreaks": "optimized" if size <= OPTIMAL_LINEBREAK_MAX_CHARS else "simple"}
    metadata = template_metadata(meta, doc_lang)
    metadata["has-contents"] = any(_has_heading(parts[name]) for name in parts)
    return {
        "meta": metadata,
        "layout": layout,
        "fonts": font_families,
        "labels": sorted(set(builder.labels)),
        **parts,
    }


# ---------------------------------------------------------------------------- metadata


def _has_heading(blocks: list[Block]) -> bool:
    """Whether the contents page would list anything (a heading, at any depth of nesting)."""
    return any(block.get("t") == "head" or _has_heading(block.get("c", []) if block.get("t") in ("quote", "plain")
                                                         else []) for block in blocks)


def template_metadata(meta: Metadata, doc_lang: str) -> dict[str, Any]:
    title = meta.title or meta.source_title or "Untitled"
    year, month, day = publication_date(meta)
    return {
        "title": title,
        # a supplied "Атаусыз мәтін (001_….txt)" is no running head
        "short-title": "" if is_supplied_title(title) else title if len(title) <= 70 else title[:67].rstrip() + "…",
        "subtitle": meta.subtitle,
        "authors": list(meta.authors),
        "date": [year, month, day],
        "date-text": meta.source_date,  # the source's own date; the conversion date is not the work's
        "lang": doc_lang,
        "description": source_citation(meta, doc_lang) or title,
        "keywords": [lang for lang in meta.languages if lang],
        "source-lines": source_lines(meta, title),
        "contents-title": CONTENTS_TITLE,
    }


def source_lines(meta: Metadata, title: str) -> list[str]:
    """The title page's lines on the source: its title (not the document's title again), publisher, and
    what the catalog says the source is — or, when it says nothing, the file it came from."""
    source_title = meta.source_title if meta.source_title != title else ""
    origin = meta.source_note or meta.source_filename
    label = in_language(SOURCE_LABEL, meta.language or "kk")
    return [line for line in (source_title, meta.source_publisher, f"{label}: {origin}" if origin else "") if line]


def source_citation(meta: Metadata, doc_lang: str = "kk") -> str:
    source_title = meta.source_title if meta.source_title != meta.title else ""  # not the title twice
    parts = [source_title, meta.source_publisher, meta.source_filename]
    citation = ". ".join(p for p in parts if p)
    return f"{in_language(SOURCE_LABEL, doc_lang)}: {citation}" if citation else ""


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


def document_characters(document: dict[str, Any]) -> set[str]:
    chars: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            chars.update(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _NON_TEXT_KEYS:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return chars


def compile_pdf(document: dict[str, Any], fonts: tuple[BundledFont, ...], created: dt.datetime) -> tuple[bytes, list[str]]:
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


def write_atomically(out_path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(out_path, data)
    except OSError as exc:
        raise ExportError(f"{out_path}: cannot write PDF: {exc.strerror}") from None
