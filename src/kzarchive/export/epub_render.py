"""The EPUB edition's XHTML content documents, written from the shared reading walk.

One content document per top-level division (loose blocks between divisions make one of their own);
footnotes at the end of their document, linked both ways; source page turns as page-break markers
listed in the navigation document.
"""

from __future__ import annotations

import re

from lxml import etree

from ..labels import label
from ..tei import XML_LANG
from ..tei.textslot import PendingText
from .epub_xhtml import (
    EPUB_TYPE,
    ContentDocument,
    IdRegistry,
    NavEntry,
    PageMarker,
    add_head,
    h,
    xhtml_skeleton,
)
from .nodes import (
    Bibliography,
    Block,
    Container,
    Division,
    Figure,
    Heading,
    Inline,
    Link,
    ListBlock,
    Note,
    NoteCall,
    PageBreak,
    Paragraph,
    Quote,
    ReadingText,
    Span,
    Table,
    Text,
    blocks_text,
    plain_text,
)
from .walk import entry_label, with_label

# div/@type → (epub:type, ARIA role) for the types the EPUB and DPUB-ARIA vocabularies know.
DIVISION_SEMANTICS = {
    name: (name, f"doc-{name}")
    for name in ("introduction", "conclusion", "chapter", "bibliography", "preface", "foreword", "appendix",
                 "epilogue", "prologue", "afterword", "glossary", "acknowledgments")
}
# hi/@rend words → XHTML phrase element.
HI_ELEMENTS = {
    "italic": "i", "i": "i", "bold": "b", "b": "b", "sup": "sup", "superscript": "sup",
    "sub": "sub", "subscript": "sub", "underline": "u", "u": "u",
}
# Span kinds with an XHTML element of their own; any other span is a <span> of that class.
SPAN_ELEMENTS = {"emph": "em", "title": "cite"}
# Paragraph roles with a class of their own ("p" and "loose" have none).
PARAGRAPH_CLASSES = {"continued": "continued", "head": "head", "figDesc": "figdesc"}
NUMBERED_LIST_TAG = "ol"
OPENING_WORDS = 8  # an untitled division is listed in the contents by its first words
_CLASS_WORD = re.compile(r"[\w-]+")


class DocumentRenderer:
    """Writes the blocks of one content document as XHTML."""

    def __init__(self, book: BookRenderer, file_name: str):
        self.book = book
        self.file_name = file_name
        self.base_lang = book.reading.lang
        self.notes: list[etree._Element] = []  # <aside> footnotes, placed at the end of the document
        self.depth = 1
        self.nav_parent: list[NavEntry] = book.nav_entries
        self.pending = PendingText()  # flushed before the tree is changed or read

    # --- output helpers -----------------------------------------------------------------------

    def new(self, parent: etree._Element, tag: str, css_class: str = "", *, lang: str | None = None,
            xml_id: str | None = None) -> etree._Element:
        """A child XHTML element, with the node's language and id when it has them."""
        self.pending.flush()
        out = etree.SubElement(parent, h(tag))
        if css_class:
            out.set("class", css_class)
        set_lang(out, lang)
        if xml_id:
            self.set_id(out, xml_id)
        return out

    def set_id(self, out: etree._Element, xml_id: str | None, fallback: str = "x") -> str:
        issued = self.book.ids.keep(xml_id, fallback)
        out.set("id", issued)
        self.book.emitted_ids[issued] = self.file_name
        return issued

    # --- blocks -------------------------------------------------------------------------------

    def flow(self, blocks: list[Block], out: etree._Element) -> None:
        for block in blocks:
            self.block(block, out)

    def block(self, block: Block, out: etree._Element) -> None:
        if isinstance(block, PageBreak):
            self.page_break(block, out)
        elif isinstance(block, Division):
            self.division(block, out)
        elif isinstance(block, Heading):
            self.phrasing(block.inlines, self.new(out, f"h{min(max(block.level, 1), 6)}", lang=block.lang,
                                                  xml_id=block.id))
        elif isinstance(block, Paragraph):
            self.paragraph(block, out)
        elif isinstance(block, ListBlock):
            self.list_block(block, out)
        elif isinstance(block, Bibliography):
            self.bibliography(block, out)
        elif isinstance(block, Quote):
            self.flow(block.blocks, self.new(out, "blockquote", block.kind, lang=block.lang, xml_id=block.id))
        elif isinstance(block, Table):
            self.table(block, out)
        elif isinstance(block, Figure):
            figure = self.new(out, "figure", "figure", lang=block.lang, xml_id=block.id)
            if block.caption is not None:
                self.phrasing(block.caption.inlines, self.new(figure, "figcaption", lang=block.caption.lang,
                                                              xml_id=block.caption.id))
            self.flow(block.blocks, figure)
        elif isinstance(block, Container):
            self.flow(block.blocks, self.new(out, "div", block.kind, lang=block.lang, xml_id=block.id))

    def division(self, division: Division, out: etree._Element, fallback_label: str = "") -> None:
        section = self.new(out, "section", division_class(division), lang=division.lang)
        section_id = self.set_id(section, division.id, f"div-{self.depth}")
        semantics = DIVISION_SEMANTICS.get(division.type)
        if semantics:
            section.set(EPUB_TYPE, semantics[0])
            section.set("role", semantics[1])
        name = plain_text(division.head.inlines) if division.head else fallback_label
        entry = NavEntry(name, self.file_name, section_id) if name else None
        if entry:
            self.nav_parent.append(entry)
        saved = (self.nav_parent, self.depth)
        self.nav_parent = entry.children if entry else self.nav_parent
        self.depth += 1
        try:
            self.flow(division.blocks, section)
        finally:
            self.nav_parent, self.depth = saved

    def paragraph(self, paragraph: Paragraph, out: etree._Element, css_class: str | None = None) -> None:
        if paragraph.role == "loose":  # words standing between blocks stay where they stand
            self.phrasing(paragraph.inlines, out)
            return
        if not paragraph.inlines and not paragraph.id:
            return
        css = PARAGRAPH_CLASSES.get(paragraph.role, "" if paragraph.role == "p" else paragraph.role)
        self.phrasing(paragraph.inlines, self.new(out, "p", css_class if css_class is not None else css,
                                                  lang=paragraph.lang, xml_id=paragraph.id))

    def list_block(self, block: ListBlock, out: etree._Element) -> None:
        for head in block.heads:
            self.paragraph(head, out, "list-head")
        classes = [f"list-{block.rend}" if _CLASS_WORD.fullmatch(block.rend) else "list",
                   "labelled" if block.labelled else ""]
        container = self.new(out, NUMBERED_LIST_TAG if block.numbered else "ul", " ".join(filter(None, classes)),
                             lang=block.lang, xml_id=block.id)
        for item in block.items:
            self.flow(with_label(item.label, item.blocks), self.new(container, "li", lang=item.lang, xml_id=item.id))
        if not block.items:  # <ul> may not be empty
            self.new(container, "li")

    def bibliography(self, block: Bibliography, out: etree._Element) -> None:
        for head in block.heads:
            self.paragraph(head, out, "list-head")
        container = self.new(out, "ul", "bibliography", lang=block.lang, xml_id=block.id)
        for entry in block.entries:
            li = self.new(container, "li", lang=entry.lang, xml_id=entry.id)
            self.flow(with_label(entry_label(entry), entry.blocks), li)
        if not block.entries:
            self.new(container, "li")

    def table(self, block: Table, out: etree._Element) -> None:
        table = self.new(out, "table", lang=block.lang, xml_id=block.id)
        if block.head is not None:
            self.phrasing(block.head.inlines, self.new(table, "caption", lang=block.head.lang, xml_id=block.head.id))
        body = self.new(table, "tbody")
        for row in block.rows:
            tr = self.new(body, "tr")
            for cell in row:
                td = self.new(tr, "th" if cell.is_label else "td", lang=cell.lang, xml_id=cell.id)
                if cell.cols > 1:
                    td.set("colspan", str(cell.cols))
                if cell.rows > 1:
                    td.set("rowspan", str(cell.rows))
                self.flow(cell.blocks, td)
            if not row:  # <tr> may not be empty
                self.new(tr, "td")

    # --- phrasing -----------------------------------------------------------------------------

    def phrasing(self, inlines: list[Inline], out: etree._Element) -> None:
        for node in inlines:
            if isinstance(node, Text):
                self.pending.add(out, node.text)
            elif isinstance(node, PageBreak):
                self.page_break(node, out)
            elif isinstance(node, NoteCall):
                self.note_reference(node.note, out)
            elif isinstance(node, Link):
                self.link(node, out)
            else:
                self.span(node, out)

    def span(self, span: Span, out: etree._Element) -> None:
        if span.kind == "hi":
            tag = next((HI_ELEMENTS[w] for w in span.rend if w in HI_ELEMENTS), "span")
            other = [w for w in span.rend if w not in HI_ELEMENTS and _CLASS_WORD.fullmatch(w)]
            css = " ".join(other) if other or tag != "span" else "hi"
        else:
            tag, css = SPAN_ELEMENTS.get(span.kind, "span"), span.kind
        self.phrasing(span.children, self.new(out, tag, css, lang=span.lang, xml_id=span.id))

    def link(self, link: Link, out: etree._Element) -> None:
        anchor = self.new(out, "a", "ref", xml_id=link.id)
        anchor.set("data-target", link.target)  # resolved once every document is built
        if link.bibliographic:
            anchor.set("role", "doc-biblioref")
        self.phrasing(link.children, anchor)

    def page_break(self, page: PageBreak, out: etree._Element) -> None:
        marker = self.new(out, "span")
        fragment = self.set_id(marker, page.id, f"page-{page.n}")
        marker.set(EPUB_TYPE, "pagebreak")
        marker.set("role", "doc-pagebreak")
        marker.set("aria-label", page.n)
        self.book.pages.append(PageMarker(page.n, self.file_name, fragment))

    def note_reference(self, note: Note, out: etree._Element) -> None:
        number = len(self.notes) + 1
        mark = note.n or str(number)
        note_id = self.book.ids.keep(note.id, f"note-{self.file_name.removesuffix('.xhtml')}-{number}")
        self.book.emitted_ids[note_id] = self.file_name
        noteref = self.new(out, "a", "noteref")
        noteref.set(EPUB_TYPE, "noteref")
        noteref.set("role", "doc-noteref")
        noteref.set("href", f"#{note_id}")
        ref_id = self.set_id(noteref, None, f"noteref-{note_id}")
        noteref.text = mark
        self.notes.append(self.footnote(note, note_id, ref_id, mark))

    def footnote(self, note: Note, note_id: str, ref_id: str, mark: str) -> etree._Element:
        aside = etree.Element(h("aside"))
        aside.set("id", note_id)
        aside.set(EPUB_TYPE, "footnote")
        aside.set("role", "doc-footnote")
        aside.set("class", "footnote")
        if note.lang != self.base_lang:  # the aside leaves its paragraph, so it must carry the language
            set_lang(aside, note.lang)
        self.flow(note.blocks, aside)
        self.pending.flush()
        add_backlink(aside, ref_id, mark)
        return aside


class BookRenderer:
    """Splits the reading text into content documents and renders them, collecting navigation data."""

    def __init__(self, reading: ReadingText, reserved_ids: set[str]):
        self.reading = reading
        self.base_lang = reading.lang
        self.ids = IdRegistry(reserved_ids | {"toc"})
        self.emitted_ids: dict[str, str] = {}
        self.nav_entries: list[NavEntry] = []
        self.pages: list[PageMarker] = []
        self.documents: list[ContentDocument] = []

    def render(self, book_title: str) -> None:
        for matter in self.reading.matters:
            for part in split_into_parts(matter.blocks):
                self.render_part(matter.kind, part, book_title)
        for document in self.documents:
            resolve_links(document.tree.getroot(), document.file_name, self.emitted_ids)

    def render_part(self, matter: str, blocks: list[Block], book_title: str) -> None:
        file_name = f"{matter}-{sum(d.matter == matter for d in self.documents) + 1:02d}.xhtml"
        html, body = xhtml_skeleton(self.base_lang)
        body.set("class", matter)
        renderer = DocumentRenderer(self, file_name)
        entries_before = len(self.nav_entries)
        if len(blocks) == 1 and isinstance(blocks[0], Division):
            renderer.division(blocks[0], body, fallback_label=opening_words(blocks[0].blocks))
        else:  # content outside any division (a bare <p> in <body>)
            renderer.flow(blocks, body)
        renderer.pending.flush()
        if renderer.notes:
            notes = etree.SubElement(body, h("div"), {"class": "footnotes",
                                                      "aria-label": label("notes", self.base_lang)})
            for aside in renderer.notes:
                notes.append(aside)
        new_entries = self.nav_entries[entries_before:]
        title = new_entries[0].label if new_entries else book_title
        if not new_entries:
            self.nav_entries.append(NavEntry(title, file_name))
        add_head(html, title)
        self.documents.append(ContentDocument(file_name, title, etree.ElementTree(html), matter))


def split_into_parts(blocks: list[Block]) -> list[list[Block]]:
    """One part per top-level division; consecutive loose blocks form one part."""
    parts: list[list[Block]] = []
    loose: list[Block] = []
    for block in blocks:
        if isinstance(block, Division):
            if loose:
                parts.append(loose)
                loose = []
            parts.append([block])
        else:
            loose.append(block)
    if loose:
        parts.append(loose)
    return parts


def set_lang(out: etree._Element, lang: str | None) -> None:
    if lang:
        out.set("lang", lang)
        out.set(XML_LANG, lang)


def division_class(division: Division) -> str:
    return " ".join(p for p in ("div", division.type, division.subtype) if _CLASS_WORD.fullmatch(p))


def opening_words(blocks: list[Block], count: int = OPENING_WORDS) -> str:
    """A label for an untitled division: its first words (a leading fragment has no heading)."""
    words = blocks_text(blocks).split()
    if not words:
        return ""
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def add_backlink(aside: etree._Element, ref_id: str, mark: str) -> None:
    """Start the footnote with its number, linking back to the call."""
    backlink = etree.Element(h("a"), {"href": f"#{ref_id}", "role": "doc-backlink", "class": "backlink"})
    backlink.text = mark
    first = aside[0] if len(aside) else None
    if first is not None and first.tag == h("p") and not (aside.text or "").strip():
        backlink.tail = " " + (first.text or "").lstrip()
        first.text = None
        first.insert(0, backlink)
        return
    paragraph = etree.Element(h("p"))
    paragraph.append(backlink)
    backlink.tail = " " + (aside.text or "").lstrip()
    aside.text = None
    # Inline content of the note follows the number in the same paragraph.
    blocks = {h(t) for t in ("p", "div", "ul", "ol", "blockquote", "table", "section", "figure")}
    while len(aside) and aside[0].tag not in blocks:
        paragraph.append(aside[0])
    aside.insert(0, paragraph)


def resolve_links(root: etree._Element, file_name: str, emitted_ids: dict[str, str]) -> None:
    """Turn TEI targets into hrefs; a target that reached no document stays plain text."""
    for link in list(root.iter(h("a"))):
        target = str(link.attrib.pop("data-target", ""))
        if not target:
            if link.get("href") is None:
                link.tag = h("span")
                link.attrib.pop("role", "")
            continue
        if target.startswith("#") and target[1:] in emitted_ids:
            where = emitted_ids[target[1:]]
            link.set("href", target if where == file_name else f"{where}{target}")
        elif re.match(r"^(https?|mailto):", target):
            link.set("href", target)
        else:
            link.tag = h("span")
            link.attrib.pop("role", "")
