"""EPUB 3 reader edition of a TEI master, packaged with ebooklib.

Reads only the TEI file, so an archivist's hand corrections to the master reach the e-book. The XHTML,
the navigation document and the NCX are built here with lxml (ebooklib's own generators add a cover
page, untitled chapters and random ids); ebooklib writes the package document and the container, and
the zip is then rewritten with fixed entry order and timestamps so that equal input gives equal bytes.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ebooklib import epub
from lxml import etree

from ..errors import ExportError
from ..fsutil import atomic_write_bytes
from ..tei import TEI_NS, XML_ID, XML_LANG, tei
from ..tei.parse import parse_tei_file
from ..tei.reading import (
    SOURCE_IN_CHOICE,
    Metadata,
    element_lang,
    is_reading_note,
    normalize_space,
    preferred_alternative,
    prints_its_number,
    read_metadata,
    reading_text,
)
from ..tei.textslot import PendingText, append_to_slot

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
XHTML_NSMAP = {None: XHTML_NS, "epub": EPUB_NS}

STYLESHEET = "css/book.css"
NAV_FILE = "nav.xhtml"
NCX_FILE = "toc.ncx"
TITLE_PAGE_FILE = "titlepage.xhtml"
FONT_FAMILY = "PT Serif"  # the face the PDF edition sets, so both editions look alike

# Reader-facing labels, in the book's language.
LABEL_CONTENTS = "Мазмұны"
LABEL_BODYMATTER = "Негізгі мәтін"
LABEL_BIBLIOGRAPHY = "Әдебиеттер"
LABEL_TITLE_PAGE = "Титул бет"
LABEL_PAGES = "Беттер"
LABEL_NOTES = "Ескертпелер"
LABEL_SOURCE = "Дереккөз"
LABEL_LICENCE = "Лицензия"

ACCESSIBILITY_SUMMARY = (
    "Reflowable text with a structured heading hierarchy, a table of contents, footnotes linked in both "
    "directions, language changes marked, and page-break markers with a page list for the printed source."
)

# div/@type → (epub:type, ARIA role) for the types the EPUB and DPUB-ARIA vocabularies know.
DIVISION_SEMANTICS = {
    "introduction": ("introduction", "doc-introduction"),
    "conclusion": ("conclusion", "doc-conclusion"),
    "chapter": ("chapter", "doc-chapter"),
    "bibliography": ("bibliography", "doc-bibliography"),
    "preface": ("preface", "doc-preface"),
    "foreword": ("foreword", "doc-foreword"),
    "appendix": ("appendix", "doc-appendix"),
    "epilogue": ("epilogue", "doc-epilogue"),
    "prologue": ("prologue", "doc-prologue"),
    "afterword": ("afterword", "doc-afterword"),
    "glossary": ("glossary", "doc-glossary"),
    "acknowledgments": ("acknowledgments", "doc-acknowledgments"),
}

# hi/@rend tokens → XHTML phrase element.
HI_ELEMENTS = {
    "italic": "i", "i": "i", "bold": "b", "b": "b", "sup": "sup", "superscript": "sup",
    "sub": "sub", "subscript": "sub", "underline": "u", "u": "u",
}

# TEI elements rendered as blocks when they stand in a flow context (a division, an item, a note…).
BLOCK_TAGS = {
    tei(t) for t in (
        "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "p", "ab", "head", "list",
        "listBibl", "table", "lg", "l", "byline", "dateline", "opener", "closer", "trailer", "signed",
        "salute", "argument", "epigraph", "figure", "floatingText", "cit", "titlePage", "docTitle",
        "postscript", "sp", "spGrp", "castList",
    )
}
DIVISION_TAGS = {tei("div")} | {tei(f"div{n}") for n in range(1, 8)}
# Elements of the reading view that add nothing but their content (no wrapper needed).
TRANSPARENT_TAGS = {
    tei(t) for t in ("reg", "corr", "expan", "orig", "sic", "abbr", "seg", "w", "c", "pc", "add",
                     "unclear", "supplied", "s", "phr", "choice", "docAuthor", "name", "persName",
                     "placeName", "orgName", "date", "num", "measure", "rs", "bibl")
}
# Elements with their own inline rendering, whatever they contain (a note with paragraphs is still
# called from its place; its text goes to the footnote).
INLINE_TAGS = {tei(t) for t in ("note", "ref", "ptr", "hi", "emph", "title", "label", "q", "said",
                                "foreign", "term", "lb", "pb")}
# Elements that never reach the reader: forme work, and layout markers rendered on their own.
INVISIBLE_TAGS = {tei(t) for t in ("fw", "anchor", "milestone", "cb", "gap", "space", "graphic",
                                   "binaryObject", "media", "index", "interp", "link", "join")}

W3CDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry


def h(tag: str) -> str:
    """Clark name of an XHTML element."""
    return f"{{{XHTML_NS}}}{tag}"


# ---------------------------------------------------------------------------------------------
# Public API


def export_epub(tei_path: Path, out_path: Path, *, embed_font: bool = False) -> None:
    """Write the EPUB 3 reader edition of a TEI master to out_path (atomically)."""
    tree = parse_tei_file(Path(tei_path))  # TeiError for unsafe or malformed input
    root = tree.getroot()
    _check_is_tei(root, tei_path)
    try:
        package = build_package(root, embed_font=embed_font)
        write_epub_file(package, Path(out_path))
    except ExportError:
        raise
    except (OSError, zipfile.BadZipFile, etree.LxmlError, epub.EpubException, ValueError) as exc:
        raise ExportError(f"{tei_path}: EPUB export failed: {exc}") from None


def _check_is_tei(root: etree._Element, tei_path: Path) -> None:
    if root.tag != tei("TEI"):
        raise ExportError(f"{tei_path}: not a TEI document (root element is {etree.QName(root).localname})")
    if root.find(tei("teiHeader")) is None or root.find(tei("text")) is None:
        raise ExportError(f"{tei_path}: TEI document lacks a teiHeader or a text")
    if root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}") is None:
        raise ExportError(f"{tei_path}: TEI header lacks fileDesc/titleStmt")


# ---------------------------------------------------------------------------------------------
# Ids, navigation entries, page list


class IdRegistry:
    """Issues XHTML ids: TEI xml:ids are kept (first come), generated ones avoid every TEI id."""

    def __init__(self, reserved: set[str]):
        self._reserved = set(reserved)
        self._issued: set[str] = set()
        self._last_n: dict[str, int] = {}  # ids are only ever issued: the search for a free one resumes

    def keep(self, xml_id: str | None, fallback: str) -> str:
        if xml_id and xml_id not in self._issued:
            self._issued.add(xml_id)
            return xml_id
        return self.generate(xml_id or fallback)

    def generate(self, base: str) -> str:
        n = self._last_n.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self._issued or candidate in self._reserved:
            n += 1
            candidate = f"{base}-{n}"
        self._last_n[base] = n
        self._issued.add(candidate)
        return candidate


@dataclass
class NavEntry:
    label: str
    file_name: str
    fragment: str = ""
    children: list[NavEntry] = field(default_factory=list)

    @property
    def href(self) -> str:
        return f"{self.file_name}#{self.fragment}" if self.fragment else self.file_name


@dataclass(frozen=True)
class PageMarker:
    label: str
    file_name: str
    fragment: str


@dataclass
class ContentDocument:
    file_name: str
    title: str
    tree: etree._ElementTree
    matter: str  # front, body or back


@dataclass
class Package:
    metadata: Metadata
    identifier: str
    modified: datetime
    documents: list[ContentDocument]
    nav_entries: list[NavEntry]
    pages: list[PageMarker]
    landmarks: list[tuple[str, str, str]]  # (epub:type, href, label)
    fonts: list[tuple[str, bytes]]  # (file name in the book, data)
    languages: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# TEI → XHTML


class DocumentRenderer:
    """Renders the TEI elements of one content document into XHTML.

    Three contexts: flow (sections, list items, quotes, notes: blocks and phrasing mixed), block
    (one TEI block element) and phrasing (inside p, headings, links: everything becomes inline).
    """

    def __init__(self, book: BookRenderer, file_name: str, base_lang: str):
        self.book = book
        self.file_name = file_name
        self.base_lang = base_lang
        self.notes: list[etree._Element] = []  # <aside> footnotes, placed at the end of the document
        self.in_link = False
        self.deferred_noterefs: list[etree._Element] = []
        self.depth = 1
        self.nav_parent: list[NavEntry] = book.nav_entries
        self.pending = PendingText()  # flushed before the tree is changed or read

    # --- output helpers -----------------------------------------------------------------------

    def new(self, parent: etree._Element, tag: str, src: etree._Element | None = None,
            css_class: str = "") -> etree._Element:
        """A child XHTML element; carries the TEI element's xml:id and xml:lang if it has them."""
        self.pending.flush()
        out = etree.SubElement(parent, h(tag))
        if css_class:
            out.set("class", css_class)
        if src is not None:
            self.copy_lang(src, out)
            if src.get(XML_ID):
                self.set_id(out, src.get(XML_ID))
        return out

    def set_id(self, out: etree._Element, xml_id: str | None, fallback: str = "x") -> str:
        issued = self.book.ids.keep(xml_id, fallback)
        out.set("id", issued)
        self.book.emitted_ids[issued] = self.file_name
        return issued

    @staticmethod
    def copy_lang(src: etree._Element, out: etree._Element) -> None:
        lang = src.get(XML_LANG)
        if lang:
            out.set("lang", lang)
            out.set(XML_LANG, lang)

    def append_text(self, out: etree._Element, text: str | None) -> None:
        self.pending.add(out, text)

    def trim_trailing_space(self, out: etree._Element) -> None:
        """A break="no" joins a word: drop the whitespace already written before it."""
        self.pending.trim_trailing_space(out)

    # --- flow context -------------------------------------------------------------------------

    def flow(self, src: etree._Element, out: etree._Element) -> None:
        """Render the content of src into a flow container (blocks stay blocks)."""
        self.append_text(out, src.text)
        for child in src:
            joins = self.block(child, out) if is_block(child) else self.inline(child, out)
            self.append_text(out, child.tail.lstrip() if joins and child.tail else child.tail)

    def block(self, src: etree._Element, out: etree._Element) -> bool:
        tag = src.tag
        if tag in DIVISION_TAGS:
            self.division(src, out)
        elif tag == tei("head"):
            self.heading(src, out)
        elif tag in (tei("p"), tei("ab")):
            self.paragraph(src, out)
        elif tag == tei("list"):
            self.list_(src, out)
        elif tag == tei("listBibl"):
            self.bibliography_list(src, out)
        elif tag == tei("table"):
            self.table(src, out)
        elif tag in (tei("quote"), tei("cit"), tei("epigraph")):
            self.flow(src, self.new(out, "blockquote", src, etree.QName(src).localname))
        elif tag == tei("figure"):
            self.figure(src, out)
        elif has_block_child(src):
            self.flow(src, self.new(out, "div", src, etree.QName(src).localname))
        else:
            self.paragraph(src, out, css_class=etree.QName(src).localname)
        return False

    def figure(self, src: etree._Element, out: etree._Element) -> None:
        """<figure> with its head as <figcaption>; other content (a figDesc, paragraphs) after it."""
        figure = self.new(out, "figure", src, "figure")
        for child in src:
            if not isinstance(child.tag, str):
                continue
            if child.tag == tei("head"):
                self.phrasing(child, self.new(figure, "figcaption", child))
            elif is_block(child):
                self.block(child, figure)
            elif child.tag == tei("figDesc"):
                self.paragraph(child, figure, css_class="figdesc")

    def division(self, src: etree._Element, out: etree._Element, fallback_label: str = "") -> None:
        section = self.new(out, "section", css_class=division_class(src))
        self.copy_lang(src, section)
        section_id = self.set_id(section, src.get(XML_ID), f"div-{self.depth}")
        semantics = DIVISION_SEMANTICS.get(src.get("type", ""))
        if semantics:
            section.set(EPUB_TYPE, semantics[0])
            section.set("role", semantics[1])
        label = division_label(src) or fallback_label
        entry = NavEntry(label, self.file_name, section_id) if label else None
        if entry:
            self.nav_parent.append(entry)
        saved = (self.nav_parent, self.depth)
        self.nav_parent = entry.children if entry else self.nav_parent
        self.depth += 1
        try:
            self.flow(src, section)
        finally:
            self.nav_parent, self.depth = saved

    def heading(self, src: etree._Element, out: etree._Element) -> None:
        level = min(max(self.depth - 1, 1), 6)
        parent = src.getparent()
        if parent is not None and parent.tag in DIVISION_TAGS | {tei("body"), tei("front"), tei("back")}:
            self.phrasing(src, self.new(out, f"h{level}", src))
        else:
            self.paragraph(src, out, css_class="head")

    def paragraph(self, src: etree._Element, out: etree._Element, css_class: str = "") -> None:
        """A TEI paragraph; an XHTML <p> cannot hold lists or block quotes, so it is split around them."""
        current = self.new(out, "p", src, css_class)
        pieces = [current]
        self.append_text(current, src.text)
        for child in src:
            if is_block(child) and child.tag != tei("head"):
                self.block(child, out)
                current = self.new(out, "p", css_class=" ".join(filter(None, [css_class, "continued"])))
                self.copy_lang(src, current)
                pieces.append(current)
                self.append_text(current, child.tail)
            else:
                joins = self.inline(child, current)
                self.append_text(current, child.tail.lstrip() if joins and child.tail else child.tail)
        self.pending.flush()
        for piece in pieces:
            if piece.get("id") is None and not len(piece) and not (piece.text or "").strip():
                out.remove(piece)

    def list_(self, src: etree._Element, out: etree._Element) -> None:
        self.list_heads(src, out)
        rend = (src.get("rend") or src.get("type") or "").lower()
        ordered = rend in {"numbered", "ordered", "arabic", "decimal"}
        labelled = src.find(tei("label")) is not None or src.find(f"{tei('item')}/{tei('label')}") is not None
        classes = [f"list-{rend}" if rend else "list", "labelled" if labelled else ""]
        container = self.new(out, "ol" if ordered else "ul", src, " ".join(filter(None, classes)))
        self.items(src, container, {tei("item")}, self.list_item)

    def bibliography_list(self, src: etree._Element, out: etree._Element) -> None:
        self.list_heads(src, out)
        container = self.new(out, "ul", src, "bibliography")
        self.items(src, container, {tei("bibl"), tei("biblStruct"), tei("listBibl"), tei("msDesc")},
                   self.bibliography_item)

    def list_heads(self, src: etree._Element, out: etree._Element) -> None:
        for head in src.findall(tei("head")):
            self.phrasing(head, self.new(out, "p", head, "list-head"))

    def list_item(self, src: etree._Element, li: etree._Element) -> None:
        self.flow(src, li)

    def bibliography_item(self, src: etree._Element, li: etree._Element) -> None:
        number = src.get("n", "")
        if number and not prints_its_number(src):
            # The printed number is kept in @n, not in the text: show it as the entry label.
            self.append_text(self.new(li, "span", css_class="label"), f"{number}.")
            self.append_text(li, " ")
        if src.tag == tei("listBibl"):
            self.bibliography_list(src, li)
        else:
            self.flow(src, li)

    def items(self, src: etree._Element, container: etree._Element, item_tags: set[str], render,
              item_tag: str = "li") -> None:
        """Children that are items become <li> (or <td>); labels, page breaks and stray text between
        items are carried into the next item (or the last one) since <ul>/<ol>/<tr> hold only items."""
        carried = etree.Element(h("span"))
        last_li: etree._Element | None = None
        for child in src:
            if child.tag == tei("head"):
                pass  # rendered before the list
            elif child.tag in item_tags:
                last_li = self.new(container, item_tag, child)  # new() writes pending text first
                move_content(carried, last_li)
                carried = etree.Element(h("span"))
                render(child, last_li)
            elif isinstance(child.tag, str):
                self.inline(child, carried)
            if child.tail and child.tail.strip():
                self.append_text(carried, child.tail)
        self.pending.flush()
        if len(carried) or (carried.text or "").strip():
            if last_li is None:
                last_li = self.new(container, item_tag)
            self.append_text(last_li, " ")
            self.pending.flush()
            move_content(carried, last_li)

    def table(self, src: etree._Element, out: etree._Element) -> None:
        table = self.new(out, "table", src)
        head = src.find(tei("head"))
        if head is not None:
            self.phrasing(head, self.new(table, "caption", head))
        body = self.new(table, "tbody")
        for row in src.findall(tei("row")):
            tr = self.new(body, "tr", row)
            self.items(row, tr, {tei("cell")}, self.table_cell, item_tag="td")
        stray = [c for c in src if isinstance(c.tag, str) and c.tag not in (tei("head"), tei("row"))]
        for child in stray:  # never drop text: anything else in the table follows it
            if is_block(child):
                self.block(child, out)
            else:
                self.inline(child, self.new(out, "p"))

    def table_cell(self, src: etree._Element, cell: etree._Element) -> None:
        if src.get("role") == "label":
            cell.tag = h("th")
        for attr in ("cols", "rows"):
            if (src.get(attr) or "").isdigit() and int(src.get(attr)) > 1:
                cell.set("colspan" if attr == "cols" else "rowspan", src.get(attr))
        self.flow(src, cell)

    # --- phrasing context ---------------------------------------------------------------------

    def phrasing(self, src: etree._Element, out: etree._Element) -> None:
        """Render the content of src into a phrasing element (p, h1…h6, span, a…)."""
        self.append_text(out, src.text)
        for child in src:
            joins = self.inline(child, out)
            self.append_text(out, child.tail.lstrip() if joins and child.tail else child.tail)

    def inline(self, src: etree._Element, out: etree._Element) -> bool:
        """Render one TEI element inline. Returns True when it joins the surrounding word."""
        tag = src.tag
        if not isinstance(tag, str) or tag in INVISIBLE_TAGS:
            return False
        if tag == tei("lb"):
            return self.line_break(src, out)
        if tag == tei("pb"):
            return self.page_break(src, out)
        if tag == tei("note"):
            self.note_reference(src, out)
        elif tag == tei("choice"):
            self.choice(src, out)
        elif tag == tei("ref") or tag == tei("ptr"):
            self.reference(src, out)
        elif tag == tei("hi"):
            self.highlight(src, out)
        elif tag == tei("emph"):
            self.phrasing(src, self.new(out, "em", src))
        elif tag == tei("title"):
            self.phrasing(src, self.new(out, "cite", src))
        elif tag == tei("label"):
            self.phrasing(src, self.new(out, "span", src, "label"))
            if not (src.tail or "").startswith((" ", "\n")):
                self.append_text(out, " ")  # "а) Қазақстанның": a real space, for copying and screen readers
        elif tag in (tei("quote"), tei("q"), tei("said"), tei("foreign"), tei("term")):
            self.phrasing(src, self.new(out, "span", src, etree.QName(src).localname))
        elif tag in TRANSPARENT_TAGS and src.get(XML_LANG) is None and src.get(XML_ID) is None:
            self.phrasing(src, out)
        else:  # unknown or block-level in a phrasing context: keep the text in a span
            self.phrasing(src, self.new(out, "span", src, etree.QName(src).localname))
        return False

    def line_break(self, src: etree._Element, out: etree._Element) -> bool:
        if src.get("break") == "no":
            self.trim_trailing_space(out)
            return True
        if not self.pending.ends_with_space(out):
            self.append_text(out, " ")
        return False

    def page_break(self, src: etree._Element, out: etree._Element) -> bool:
        joins = src.get("break") == "no"
        if joins:
            self.trim_trailing_space(out)
        label = normalize_space(src.get("n", ""))
        if label:  # a page without a number cannot be listed or announced
            marker = self.new(out, "span")
            fragment = self.set_id(marker, src.get(XML_ID), f"page-{label}")
            marker.set(EPUB_TYPE, "pagebreak")
            marker.set("role", "doc-pagebreak")
            marker.set("aria-label", label)
            self.book.pages.append(PageMarker(label, self.file_name, fragment))
        return joins

    def choice(self, src: etree._Element, out: etree._Element) -> None:
        shown = preferred_alternative(src)
        if shown is None:
            shown = next((c for c in src if isinstance(c.tag, str)), None)
        if shown is None:
            return
        if not any(True for _ in shown.iter(tei("pb"))):
            # A page turn recorded only in the source form must still mark the page.
            for hidden in src:
                if hidden is not shown and hidden.tag in SOURCE_IN_CHOICE:
                    for pb in hidden.iter(tei("pb")):
                        self.page_break(pb, out)
        self.inline(shown, out)

    def reference(self, src: etree._Element, out: etree._Element) -> None:
        if self.in_link:  # links cannot nest
            self.phrasing(src, self.new(out, "span", src, "ref"))
            return
        link = self.new(out, "a", src, "ref")
        target = (src.get("target") or "").split()
        link.set("data-target", target[0] if target else "")  # resolved once every document is built
        if src.get("type") == "bibl":
            link.set("role", "doc-biblioref")
        self.in_link = True
        try:
            self.phrasing(src, link)
            self.pending.flush()
            if src.tag == tei("ptr") and not len(link) and not link.text:
                link.text = target[0].lstrip("#") if target else ""
        finally:
            self.in_link = False
        for noteref in self.deferred_noterefs:  # a note called inside a link is called after it
            insert_after(link, noteref)
            link = noteref
        self.deferred_noterefs = []

    def highlight(self, src: etree._Element, out: etree._Element) -> None:
        tokens = (src.get("rend") or "").lower().replace(",", " ").split()
        tag = next((HI_ELEMENTS[t] for t in tokens if t in HI_ELEMENTS), "span")
        other = [t for t in tokens if t not in HI_ELEMENTS]
        self.phrasing(src, self.new(out, tag, src, " ".join(other) if other or tag != "span" else "hi"))

    def note_reference(self, src: etree._Element, out: etree._Element) -> None:
        if not is_reading_note(src):
            return
        number = len(self.notes) + 1
        label = normalize_space(src.get("n", "")) or str(number)
        note_id = self.book.ids.keep(src.get(XML_ID), f"note-{Path(self.file_name).stem}-{number}")
        self.book.emitted_ids[note_id] = self.file_name
        noteref = etree.Element(h("a"))
        noteref.set(EPUB_TYPE, "noteref")
        noteref.set("role", "doc-noteref")
        noteref.set("class", "noteref")
        noteref.set("href", f"#{note_id}")
        ref_id = self.set_id(noteref, None, f"noteref-{note_id}")
        noteref.text = label
        if self.in_link:
            self.deferred_noterefs.append(noteref)
        else:
            self.pending.flush()
            out.append(noteref)
        self.notes.append(self.footnote(src, note_id, ref_id, label))

    def footnote(self, src: etree._Element, note_id: str, ref_id: str, label: str) -> etree._Element:
        aside = etree.Element(h("aside"))
        aside.set("id", note_id)
        aside.set(EPUB_TYPE, "footnote")
        aside.set("role", "doc-footnote")
        aside.set("class", "footnote")
        lang = element_lang(src, self.base_lang)
        if lang != self.base_lang:  # the aside leaves its paragraph, so it must carry the language
            aside.set("lang", lang)
            aside.set(XML_LANG, lang)
        saved = (self.in_link, self.deferred_noterefs)
        self.in_link, self.deferred_noterefs = False, []
        try:
            self.flow(src, aside)
        finally:
            self.in_link, self.deferred_noterefs = saved
        self.pending.flush()
        add_backlink(aside, ref_id, label)
        return aside


class BookRenderer:
    """Splits the TEI text into content documents and renders them, collecting navigation data."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.base_lang = root.get(XML_LANG) or "kk"
        text = root.find(tei("text"))
        self.ids = IdRegistry({el.get(XML_ID) for el in text.iter() if el.get(XML_ID)} | {"toc"})
        self.emitted_ids: dict[str, str] = {}
        self.nav_entries: list[NavEntry] = []
        self.pages: list[PageMarker] = []
        self.documents: list[ContentDocument] = []

    def render(self, book_title: str) -> None:
        for matter in text_matters(self.root.find(tei("text"))):
            kind = etree.QName(matter).localname
            for part in split_into_parts(matter):
                self.render_part(kind, part, book_title)
        for document in self.documents:
            resolve_links(document.tree.getroot(), document.file_name, self.emitted_ids)

    def render_part(self, matter: str, elements: list[etree._Element], book_title: str) -> None:
        file_name = f"{matter}-{sum(d.matter == matter for d in self.documents) + 1:02d}.xhtml"
        html, body = xhtml_skeleton(self.base_lang)
        body.set("class", matter)
        renderer = DocumentRenderer(self, file_name, self.base_lang)
        entries_before = len(self.nav_entries)
        if len(elements) == 1 and elements[0].tag in DIVISION_TAGS:
            renderer.division(elements[0], body, fallback_label=opening_words(elements[0]))
        else:  # content outside any division (a bare <p> in <body>)
            self.render_loose(renderer, elements, body)
        renderer.pending.flush()
        if renderer.notes:
            notes = etree.SubElement(body, h("div"), {"class": "footnotes", "aria-label": LABEL_NOTES})
            for aside in renderer.notes:
                notes.append(aside)
        new_entries = self.nav_entries[entries_before:]
        title = new_entries[0].label if new_entries else book_title
        if not new_entries:
            self.nav_entries.append(NavEntry(title, file_name))
        add_head(html, title)
        self.documents.append(ContentDocument(file_name, title, etree.ElementTree(html), matter))

    @staticmethod
    def render_loose(renderer: DocumentRenderer, elements: list[etree._Element], body: etree._Element) -> None:
        for element in elements:
            joins = renderer.block(element, body) if is_block(element) else renderer.inline(element, body)
            tail = element.tail.lstrip() if joins and element.tail else element.tail
            if tail and tail.strip():
                renderer.append_text(body, tail)


# ---------------------------------------------------------------------------------------------
# Small TEI / XHTML helpers


def is_block(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag in BLOCK_TAGS:
        return True
    if element.tag == tei("quote"):
        return has_block_child(element)
    known = element.tag in TRANSPARENT_TAGS | INVISIBLE_TAGS | INLINE_TAGS
    return not known and element.tag.startswith(f"{{{TEI_NS}}}") and has_block_child(element)


def has_block_child(element: etree._Element) -> bool:
    return any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in element)


def division_class(src: etree._Element) -> str:
    parts = ["div", src.get("type", ""), src.get("subtype", "")]
    return " ".join(p for p in parts if re.fullmatch(r"[\w-]+", p))


def division_label(src: etree._Element) -> str:
    head = src.find(tei("head"))
    return reading_text(head) if head is not None else ""


def opening_words(src: etree._Element, count: int = 8) -> str:
    """A label for an untitled division: its first words (a leading fragment has no heading)."""
    words = reading_text(src).split()
    if not words:
        return ""
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def text_matters(text: etree._Element) -> list[etree._Element]:
    """front/body/back of the text (and of grouped texts), in document order, outermost only."""
    wanted = (tei("front"), tei("body"), tei("back"))
    found: list[etree._Element] = []
    for element in text.iter(*wanted):
        if not any(ancestor.tag in wanted or ancestor.tag == tei("floatingText")
                   for ancestor in element.iterancestors()):
            found.append(element)
    return found


def split_into_parts(matter: etree._Element) -> list[list[etree._Element]]:
    """One part per top-level division; consecutive loose elements (p, head…) form one part."""
    parts: list[list[etree._Element]] = []
    loose: list[etree._Element] = []
    for child in matter:
        if not isinstance(child.tag, str):
            continue
        if child.tag in DIVISION_TAGS:
            if loose:
                parts.append(loose)
                loose = []
            parts.append([child])
        else:
            loose.append(child)
    if loose:
        parts.append(loose)
    return parts


def move_content(source: etree._Element, target: etree._Element) -> None:
    """Append the text and children of source to target."""
    append_to_slot(target, source.text)
    source.text = None
    for child in list(source):
        target.append(child)


def insert_after(anchor: etree._Element, new: etree._Element) -> None:
    new.tail, anchor.tail = anchor.tail, None
    anchor.addnext(new)


def add_backlink(aside: etree._Element, ref_id: str, label: str) -> None:
    """Start the footnote with its number, linking back to the call."""
    backlink = etree.Element(h("a"), {"href": f"#{ref_id}", "role": "doc-backlink", "class": "backlink"})
    backlink.text = label
    first = aside[0] if len(aside) else None
    if first is not None and first.tag == h("p") and not (aside.text or "").strip():
        backlink.tail = " " + (first.text or "").lstrip()
        first.text = None
        first.insert(0, backlink)
    else:
        paragraph = etree.Element(h("p"))
        paragraph.append(backlink)
        backlink.tail = " " + (aside.text or "").lstrip()
        aside.text = None
        # Inline content of the note follows the number in the same paragraph.
        while len(aside) and aside[0].tag not in {h(t) for t in ("p", "div", "ul", "ol", "blockquote", "table", "section")}:
            paragraph.append(aside[0])
        aside.insert(0, paragraph)


def resolve_links(root: etree._Element, file_name: str, emitted_ids: dict[str, str]) -> None:
    """Turn TEI targets into hrefs; a target that reached no document stays plain text."""
    for link in list(root.iter(h("a"))):
        target = link.attrib.pop("data-target", None)
        if target is None:
            continue
        if target.startswith("#") and target[1:] in emitted_ids:
            where = emitted_ids[target[1:]]
            link.set("href", target if where == file_name else f"{where}{target}")
        elif re.match(r"^(https?|mailto):", target):
            link.set("href", target)
        else:
            link.tag = h("span")
            link.attrib.pop("role", None)


def xhtml_skeleton(lang: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element(h("html"), nsmap=XHTML_NSMAP)
    html.set("lang", lang)
    html.set(XML_LANG, lang)
    etree.SubElement(html, h("head"))
    body = etree.SubElement(html, h("body"))
    return html, body


def add_head(html: etree._Element, title: str, stylesheet: str = STYLESHEET) -> None:
    head = html.find(h("head"))
    etree.SubElement(head, h("title")).text = title
    etree.SubElement(head, h("link"), {"rel": "stylesheet", "type": "text/css", "href": stylesheet})


def serialize_xhtml(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


# ---------------------------------------------------------------------------------------------
# Package: metadata, identifier, dates


def build_package(root: etree._Element, *, embed_font: bool) -> Package:
    metadata = read_metadata(root)
    title = metadata.title or metadata.source_title or metadata.source_filename or "Untitled"
    renderer = BookRenderer(root)
    renderer.render(title)
    documents = [title_page(metadata, title, renderer.base_lang)] + renderer.documents
    if not renderer.nav_entries:  # an empty text: the title page is the whole book
        renderer.nav_entries.append(NavEntry(title, TITLE_PAGE_FILE))
    languages = tuple(dict.fromkeys([renderer.base_lang, *metadata.languages]))
    return Package(
        metadata=metadata,
        identifier=book_identifier(metadata),
        modified=modification_time(root),
        documents=documents,
        nav_entries=renderer.nav_entries,
        pages=renderer.pages,
        landmarks=landmarks(renderer.documents, root, renderer.emitted_ids),
        fonts=font_files() if embed_font else [],
        languages=languages,
    )


def source_urn(metadata: Metadata) -> str:
    sha = metadata.source_sha256.strip()
    return f"urn:sha256:{sha.lower()}" if SHA256_HEX.match(sha) else ""


def book_identifier(metadata: Metadata) -> str:
    """A UUID5 of the source's SHA-256: stable across re-conversions and hand corrections."""
    seed = source_urn(metadata) or f"kzarchive:{metadata.source_filename or metadata.title}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def parse_w3c_date(value: str) -> datetime | None:
    value = value.strip()
    if not W3CDTF.match(value):
        return None
    padded = value + "-01-01"[len(value) - 4:] if len(value) < 10 else value
    try:
        parsed = datetime.fromisoformat(padded.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def modification_time(root: etree._Element) -> datetime:
    """dcterms:modified from the master itself (latest revision, else publication date), else
    SOURCE_DATE_EPOCH, else the zip epoch: never the wall clock, so re-exports are identical."""
    header = root.find(tei("teiHeader"))
    changes = [parse_w3c_date(c.get("when", "")) for c in header.iter(tei("change"))]
    dated = [c for c in changes if c is not None]
    if dated:
        return max(dated)
    published = header.find(f"{tei('fileDesc')}/{tei('publicationStmt')}/{tei('date')}")
    if published is not None:
        when = parse_w3c_date(published.get("when") or published.text or "")
        if when is not None:
            return when
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return ZIP_EPOCH


def landmarks(documents: list[ContentDocument], root: etree._Element,
              emitted_ids: dict[str, str]) -> list[tuple[str, str, str]]:
    found = [("titlepage", TITLE_PAGE_FILE, LABEL_TITLE_PAGE), ("toc", f"{NAV_FILE}#toc", LABEL_CONTENTS)]
    body = next((d for d in documents if d.matter == "body"), None)
    if body is not None:
        found.append(("bodymatter", body.file_name, LABEL_BODYMATTER))
    for div in root.find(tei("text")).iter(*DIVISION_TAGS):
        xml_id = div.get(XML_ID)
        if div.get("type") == "bibliography" and xml_id in emitted_ids:
            found.append(("bibliography", f"{emitted_ids[xml_id]}#{xml_id}", LABEL_BIBLIOGRAPHY))
            break
    return found


# ---------------------------------------------------------------------------------------------
# Title page, navigation document, NCX, stylesheet, fonts


def title_page(metadata: Metadata, title: str, lang: str) -> ContentDocument:
    html, body = xhtml_skeleton(lang)
    section = etree.SubElement(body, h("section"), {"class": "titlepage"})
    section.set(EPUB_TYPE, "titlepage")
    if metadata.authors:
        etree.SubElement(section, h("p"), {"class": "authors"}).text = ", ".join(metadata.authors)
    etree.SubElement(section, h("h1"), {"class": "title"}).text = title
    if metadata.subtitle:
        etree.SubElement(section, h("p"), {"class": "subtitle"}).text = metadata.subtitle
    source_title = metadata.source_title if metadata.source_title != title else ""  # not the title twice
    source = ", ".join(x for x in (source_title, metadata.source_publisher) if x) or metadata.source_filename
    if source:
        etree.SubElement(section, h("p"), {"class": "source"}).text = f"{LABEL_SOURCE}: {source}"
    if metadata.licence:
        etree.SubElement(section, h("p"), {"class": "licence"}).text = f"{LABEL_LICENCE}: {metadata.licence}"
    add_head(html, title)
    return ContentDocument(TITLE_PAGE_FILE, title, etree.ElementTree(html), "front")


def navigation_document(package: Package, title: str) -> bytes:
    html, body = xhtml_skeleton(package.languages[0])
    add_head(html, title)
    toc = etree.SubElement(body, h("nav"), {"id": "toc", "role": "doc-toc"})
    toc.set(EPUB_TYPE, "toc")
    etree.SubElement(toc, h("h1")).text = LABEL_CONTENTS
    nav_list(toc, package.nav_entries)
    marks = etree.SubElement(body, h("nav"), {"id": "landmarks", "hidden": "hidden", "aria-label": "Landmarks"})
    marks.set(EPUB_TYPE, "landmarks")
    marks_list = etree.SubElement(marks, h("ol"))
    for kind, href, label in package.landmarks:
        link = etree.SubElement(etree.SubElement(marks_list, h("li")), h("a"), {"href": href})
        link.set(EPUB_TYPE, kind)
        link.text = label
    if package.pages:  # an empty page-list is invalid; a book without source pages gets none
        pages = etree.SubElement(body, h("nav"), {"id": "page-list", "hidden": "hidden", "aria-label": LABEL_PAGES})
        pages.set(EPUB_TYPE, "page-list")
        page_list = etree.SubElement(pages, h("ol"))
        for page in package.pages:
            link = etree.SubElement(etree.SubElement(page_list, h("li")), h("a"))
            link.set("href", f"{page.file_name}#{page.fragment}")
            link.text = page.label
    return serialize_xhtml(etree.ElementTree(html))


def nav_list(parent: etree._Element, entries: list[NavEntry]) -> None:
    ordered = etree.SubElement(parent, h("ol"))
    for entry in entries:
        item = etree.SubElement(ordered, h("li"))
        etree.SubElement(item, h("a"), {"href": entry.href}).text = entry.label
        if entry.children:
            nav_list(item, entry.children)


def ncx_document(package: Package, title: str) -> bytes:
    """The EPUB 2 table of contents, for older reading systems."""
    ncx = etree.Element(f"{{{NCX_NS}}}ncx", nsmap={None: NCX_NS}, version="2005-1")
    ncx.set(XML_LANG, package.languages[0])
    head = etree.SubElement(ncx, f"{{{NCX_NS}}}head")
    meta = {"dtb:uid": package.identifier, "dtb:depth": str(nav_depth(package.nav_entries)),
            "dtb:totalPageCount": "0", "dtb:maxPageNumber": "0"}
    for name, content in meta.items():
        etree.SubElement(head, f"{{{NCX_NS}}}meta", {"name": name, "content": content})
    doc_title = etree.SubElement(ncx, f"{{{NCX_NS}}}docTitle")
    etree.SubElement(doc_title, f"{{{NCX_NS}}}text").text = title
    nav_map = etree.SubElement(ncx, f"{{{NCX_NS}}}navMap")
    counter = iter(range(1, 1_000_000))
    ncx_points(nav_map, package.nav_entries, counter)
    return etree.tostring(ncx, xml_declaration=True, encoding="utf-8", pretty_print=True)


def ncx_points(parent: etree._Element, entries: list[NavEntry], counter) -> None:
    for entry in entries:
        order = next(counter)
        point = etree.SubElement(parent, f"{{{NCX_NS}}}navPoint", {"id": f"np-{order}", "playOrder": str(order)})
        label = etree.SubElement(point, f"{{{NCX_NS}}}navLabel")
        etree.SubElement(label, f"{{{NCX_NS}}}text").text = entry.label
        etree.SubElement(point, f"{{{NCX_NS}}}content", {"src": entry.href})
        ncx_points(point, entry.children, counter)


def nav_depth(entries: list[NavEntry]) -> int:
    return 1 + max((nav_depth(e.children) for e in entries), default=0) if entries else 0


def font_files() -> list[tuple[str, bytes]]:
    """PT Serif from the fontpkg-pt-serif package (the PDF edition's face), one file per style."""
    try:
        import fontpkg

        family = fontpkg.family(FONT_FAMILY)
    except Exception as exc:  # ImportError or fontpkg.FamilyNotInstalled
        raise ExportError(f"cannot embed {FONT_FAMILY}: install fontpkg-pt-serif ({exc})") from None
    files = sorted(family.files, key=lambda f: (f.weight or 400, f.style))
    return [(f"fonts/{font_face_name(f.weight or 400, f.style)}", f.path.read_bytes()) for f in files]


def font_face_name(weight: int, style: str) -> str:
    return f"PTSerif-{weight}-{style}.ttf"


def stylesheet(fonts: list[tuple[str, bytes]]) -> bytes:
    faces = []
    for name, _ in fonts:
        weight, style = re.match(r"fonts/PTSerif-(\d+)-(\w+)\.ttf", name).groups()
        faces.append(
            "@font-face {\n"
            f'  font-family: "{FONT_FAMILY}";\n  font-weight: {weight};\n  font-style: {style};\n'
            f'  src: url("../{name}");\n}}\n'
        )
    family = f'"{FONT_FAMILY}", ' if fonts else ""
    return ("".join(faces) + BOOK_CSS.replace("FAMILY, ", family)).encode("utf-8")


BOOK_CSS = """\
html, body { margin: 0; padding: 0; }
body {
  font-family: FAMILY, "PT Serif", Georgia, serif;
  line-height: 1.45;
  text-align: justify;
  -webkit-hyphens: auto;
  -epub-hyphens: auto;
  hyphens: auto;
  widows: 2;
  orphans: 2;
}
h1, h2, h3, h4, h5, h6 {
  text-align: left;
  -webkit-hyphens: manual;
  -epub-hyphens: manual;
  hyphens: manual;
  line-height: 1.25;
  page-break-after: avoid;
  break-after: avoid;
}
h1 { font-size: 1.5em; margin: 1.5em 0 1em; }
h2 { font-size: 1.3em; margin: 1.3em 0 0.8em; }
h3 { font-size: 1.15em; margin: 1.2em 0 0.6em; }
h4, h5, h6 { font-size: 1em; margin: 1em 0 0.5em; }
p { margin: 0; text-indent: 1.5em; }
p.continued, p.byline, p.head, p.list-head, li p, aside p, blockquote p:first-child { text-indent: 0; }
p.byline { font-style: italic; text-align: right; margin: 0.5em 0 1em; }
p.list-head { font-weight: bold; margin-top: 0.8em; }
blockquote { margin: 0.8em 1.5em; font-size: 0.95em; }
ul, ol { margin: 0.5em 0 0.5em 1.5em; padding: 0; }
ul.list-dash { list-style-type: none; }
ul.list-dash:not(.labelled) > li::before { content: "\\2013\\00A0"; margin-left: -1em; }
ol.labelled, ul.labelled { list-style-type: none; }
ul.bibliography { list-style-type: none; margin-left: 0; }
ul.bibliography > li { margin: 0 0 0.4em 1.5em; text-indent: -1.5em; text-align: left; }
a.noteref { vertical-align: super; font-size: 0.75em; line-height: 0; text-decoration: none; }
div.footnotes { margin-top: 2em; border-top: 1px solid #999; padding-top: 0.5em; font-size: 0.9em; }
aside.footnote { margin: 0.3em 0; }
a.backlink { font-weight: bold; text-decoration: none; }
section.titlepage { text-align: center; margin-top: 20%; }
section.titlepage h1 { font-size: 1.8em; text-align: center; }
section.titlepage p { text-indent: 0; text-align: center; margin: 0.6em 0; }
section.titlepage p.source, section.titlepage p.licence { font-size: 0.85em; margin-top: 2em; }
figure.figure { margin: 1em 0; text-align: center; }
figure.figure figcaption { font-style: italic; font-size: 0.9em; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
nav ol { list-style-type: none; }
"""


# ---------------------------------------------------------------------------------------------
# ebooklib package and the reproducible zip


def ebooklib_book(package: Package) -> epub.EpubBook:
    meta = package.metadata
    title = package.documents[0].title
    book = epub.EpubBook()
    book.metadata = {}  # drop ebooklib's generator meta: its version would leak into the bytes
    book.set_identifier(package.identifier)
    book.add_metadata("DC", "title", title, {"id": "title-main"})
    book.add_metadata(None, "meta", "main", {"refines": "#title-main", "property": "title-type"})
    if meta.subtitle:
        book.add_metadata("DC", "title", meta.subtitle, {"id": "title-sub"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#title-sub", "property": "title-type"})
    for number, author in enumerate(meta.authors, start=1):
        book.add_metadata("DC", "creator", author, {"id": f"creator-{number}"})
        book.add_metadata(None, "meta", "aut", {"refines": f"#creator-{number}", "property": "role",
                                                "scheme": "marc:relators"})
    for language in package.languages:
        book.add_metadata("DC", "language", language)
    add_optional_metadata(book, meta)
    add_accessibility_metadata(book, has_pages=bool(package.pages))
    return book


def add_optional_metadata(book: epub.EpubBook, meta: Metadata) -> None:
    if parse_w3c_date(meta.source_date):  # the work's date; EPUBCheck warns on non-W3CDTF dates
        book.add_metadata("DC", "date", meta.source_date.strip())
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.licence:
        book.add_metadata("DC", "rights", meta.licence)
    source = source_urn(meta)
    described = ", ".join(x for x in (meta.source_title, meta.source_publisher, meta.source_filename) if x)
    if source or described:
        book.add_metadata("DC", "source", source or described, {"id": "page-source"})
        # The page numbers in the page list are those of this source (EPUB a11y page source id).
        book.add_metadata(None, "meta", source or described, {"property": "pageBreakSource"})


def add_accessibility_metadata(book: epub.EpubBook, *, has_pages: bool) -> None:
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if has_pages:
        features += ["pageNavigation", "pageBreakMarkers", "printPageNumbers"]
    properties = [("schema:accessMode", "textual"), ("schema:accessModeSufficient", "textual")]
    properties += [("schema:accessibilityFeature", f) for f in features]
    properties += [("schema:accessibilityHazard", "none")]
    for name, value in properties:
        book.add_metadata(None, "meta", value, {"property": name})
    book.add_metadata(None, "meta", ACCESSIBILITY_SUMMARY,
                      {"property": "schema:accessibilitySummary", XML_LANG: "en"})


def add_items(book: epub.EpubBook, package: Package) -> None:
    title = package.documents[0].title
    nav = epub.EpubItem(uid="nav", file_name=NAV_FILE, media_type="application/xhtml+xml",
                        content=navigation_document(package, title))
    nav.properties = ["nav"]
    ncx = epub.EpubItem(uid="ncx", file_name=NCX_FILE, media_type="application/x-dtbncx+xml",
                        content=ncx_document(package, title))
    css = epub.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css",
                        content=stylesheet(package.fonts))
    documents = [
        epub.EpubItem(uid=f"doc-{Path(d.file_name).stem}", file_name=d.file_name,
                      media_type="application/xhtml+xml", content=serialize_xhtml(d.tree))
        for d in package.documents
    ]
    for item in [nav, ncx, css, *documents]:
        book.add_item(item)
    for number, (name, data) in enumerate(package.fonts, start=1):
        book.add_item(epub.EpubItem(uid=f"font-{number}", file_name=name, media_type="font/ttf", content=data))
    # Title page, then the readable table of contents, then the text.
    book.spine = [documents[0], nav, *documents[1:]]


def package_bytes(package: Package) -> bytes:
    book = ebooklib_book(package)
    add_items(book, package)
    buffer = io.BytesIO()
    options = {"epub2_guide": False, "epub3_landmark": False, "epub3_pages": False,
               "raise_exceptions": True, "mtime": package.modified}
    epub.write_epub(buffer, book, options)
    return reproducible_zip(buffer.getvalue(), max(package.modified, ZIP_EPOCH))


def reproducible_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite an EPUB zip: mimetype first and stored, every entry with the same fixed metadata."""
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    entries.sort(key=lambda entry: entry[0] != "mimetype")  # stable: keeps ebooklib's order otherwise
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=None if name == "mimetype" else 9)
    return out.getvalue()


def write_epub_file(package: Package, out_path: Path) -> None:
    atomic_write_bytes(out_path, package_bytes(package))
