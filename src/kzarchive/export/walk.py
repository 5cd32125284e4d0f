"""One reading walk over a TEI master, shared by the EPUB, DOCX and PDF editions.

`read_text(root)` walks <text> once and returns the typed model of `nodes.py`. What is a block and
what is a phrase, which form of a <choice> is read, what <lb/> and <pb/> do to the words around them,
which notes reach the reader: all decided here, once, so a fix in one edition is a fix in all three.
The reading view's own rules (tei/reading.py) are used as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from lxml import etree

from ..tei import XML_ID, XML_LANG, tei
from ..tei.reading import SOURCE_IN_CHOICE, element_lang, is_reading_note, preferred_alternative, prints_its_number
from .nodes import (
    BiblEntry,
    Bibliography,
    Block,
    Cell,
    Container,
    Division,
    Figure,
    Heading,
    Inline,
    Item,
    Link,
    ListBlock,
    Matter,
    Note,
    NoteCall,
    PageBreak,
    Paragraph,
    Quote,
    ReadingText,
    Span,
    Table,
    Text,
)
from .settle import Join, has_text, settle


def _tags(*names: str) -> frozenset[str]:
    return frozenset(tei(name) for name in names)


DIVISIONS = _tags("div", *(f"div{n}" for n in range(1, 8)))
MATTERS = _tags("front", "body", "back")
# Blocks wherever they stand.
BLOCKS = DIVISIONS | MATTERS | _tags(
    "text", "group", "p", "ab", "head", "list", "listBibl", "table", "row", "cell", "item", "lg", "l", "byline",
    "dateline", "opener", "closer", "trailer", "signed", "salute", "argument", "epigraph", "figure",
    "floatingText", "titlePage", "docTitle", "titlePart", "postscript", "sp", "spGrp", "castList",
)
# Blocks where a block may stand (in a division, a bibliography…) or when they hold blocks; phrases
# inside a paragraph ("<p>… <quote>a few words</quote> …</p>").
BLOCKS_IN_FLOW = _tags("quote", "cit", "bibl", "docAuthor", "docDate", "docImprint")
FLOW_CONTAINERS = DIVISIONS | MATTERS | _tags("text", "group", "listBibl", "titlePage")
QUOTES = _tags("quote", "cit", "epigraph")
PARAGRAPHS = _tags("p", "ab")
BIBLIOGRAPHY_ENTRIES = _tags("bibl", "biblStruct", "msDesc", "listBibl")
# Never read: forme work, and markers with no words of their own. (orig and sic are read outside a
# <choice>: nothing else gives their words there.)
INVISIBLE = _tags("fw", "anchor", "milestone", "cb", "gap", "space", "graphic", "binaryObject", "media",
                  "index", "interp", "link", "join", "figDesc")
# Phrases that keep their name for the writers (emphasis, citation…); any other phrase element is
# read for its words alone, unless it carries a language or an id.
NAMED_SPANS = _tags("emph", "hi", "title", "label", "foreign", "term", "q", "quote", "said")
LINKS = _tags("ref", "ptr")
NUMBERED_LISTS = {"numbered", "ordered", "arabic", "decimal", "number"}
_REND_WORDS = re.compile(r"[\s;,()]+")


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def has_block_child(element: etree._Element) -> bool:
    return any(isinstance(c.tag, str) and c.tag in BLOCKS for c in element)


def is_block(element: etree._Element, parent: etree._Element) -> bool:
    """Whether an element stands as a block in its parent (the one classification of the editions)."""
    tag = element.tag
    if not isinstance(tag, str) or tag in INVISIBLE:
        return False
    if tag in BLOCKS:
        return True
    if tag in BLOCKS_IN_FLOW:
        return parent.tag in FLOW_CONTAINERS or has_block_child(element)
    if tag in NAMED_SPANS or tag in LINKS or tag in _tags("note", "lb", "pb", "choice"):
        return False
    return has_block_child(element)  # an unknown element holding paragraphs is a container


def link_targets(text: etree._Element) -> frozenset[str]:
    """Ids a reference can lead to in every edition: divisions with a head, bibliography entries."""
    targets: set[str] = set()
    for element in text.iter(*DIVISIONS, tei("bibl")):
        xml_id = element.get(XML_ID)
        if not xml_id:
            continue
        if element.tag in DIVISIONS and element.find(tei("head")) is not None:
            targets.add(xml_id)
        parent = element.getparent()
        if element.tag == tei("bibl") and parent is not None and parent.tag == tei("listBibl") \
                and not any(a.tag == tei("note") for a in element.iterancestors()):
            targets.add(xml_id)
    return frozenset(targets)


def text_matters(text: etree._Element) -> list[etree._Element]:
    """front/body/back of the text (and of grouped texts), in document order, outermost only."""
    found: list[etree._Element] = []
    for element in text.iter(*MATTERS):
        if not any(a.tag in MATTERS or a.tag == tei("floatingText") for a in element.iterancestors()):
            found.append(element)
    return found


def read_text(root: etree._Element) -> ReadingText:
    """The reading model of a TEI document (empty when it has no <text>)."""
    lang = root.get(XML_LANG) or "kk"
    text = root.find(tei("text"))
    if text is None:
        return ReadingText(lang)
    walker = Walker(lang)
    matters = [Matter(local_name(m), walker.flow(m, 0)) for m in text_matters(text)]
    return ReadingText(lang, matters, link_targets(text))


class Walker:
    """Reads TEI elements into nodes. `level` is the depth of divisions around the element."""

    def __init__(self, doc_lang: str):
        self.doc_lang = doc_lang
        self.in_link = False

    # --- blocks --------------------------------------------------------------------------------

    def flow(self, element: etree._Element, level: int, skip: etree._Element | None = None) -> list[Block]:
        """The content of a container: its blocks, and the phrases between them as loose paragraphs."""
        out: list[Block] = []
        run: list[Inline] = []
        self.add_text(run, element.text)
        for child in element:
            if child is not skip and is_block(child, element):
                self.close_run(run, out)
                run = []
                out.extend(self.block(child, level))
            elif child is not skip:
                self.inline(child, run)
            self.add_text(run, child.tail)
        self.close_run(run, out)
        return out

    @staticmethod
    def close_run(run: list[Inline], out: list[Block]) -> None:
        """Loose phrases become a paragraph; without words, their page turns stand as blocks and their
        note calls (and ids) in a paragraph of their own."""
        inlines = settle(run)
        if has_text(inlines):
            out.append(Paragraph(inlines, "loose"))
            return
        out.extend(node for node in inlines if isinstance(node, PageBreak))
        rest: list[Inline] = [node for node in inlines if not isinstance(node, PageBreak | Text)]
        if rest:
            out.append(Paragraph(rest, "loose"))

    def block(self, element: etree._Element, level: int) -> list[Block]:
        tag, lang, xml_id = element.tag, element.get(XML_LANG), element.get(XML_ID)
        if tag in DIVISIONS:
            return [self.division(element, level + 1)]
        if tag in MATTERS or tag in _tags("text", "group"):
            return self.flow(element, level)
        if tag == tei("head"):
            return [self.head(element, level)]
        if tag in PARAGRAPHS:
            return self.paragraph(element, level, "p")
        if tag == tei("list"):
            return [self.list_block(element, level)]
        if tag == tei("listBibl"):
            return [self.bibliography(element, level)]
        if tag == tei("table"):
            return self.table(element, level)
        if tag == tei("figure"):
            return [self.figure(element, level)]
        if tag in QUOTES:
            return [Quote(local_name(element), self.flow(element, level), lang, xml_id)]
        if has_block_child(element):
            return [Container(local_name(element), self.flow(element, level), lang, xml_id)]
        return self.paragraph(element, level, local_name(element))

    def division(self, element: etree._Element, level: int) -> Division:
        blocks = self.flow(element, level)
        head = next((b for b in blocks if isinstance(b, Heading)), None)
        return Division(element.get("type", ""), element.get("subtype", ""), level, blocks, head,
                        element.get(XML_LANG), element.get(XML_ID))

    def head(self, element: etree._Element, level: int) -> Block:
        """A division's head (or one standing in a matter) is a heading; any other names its block."""
        parent = element.getparent()
        inlines = self.inlines(element)
        if parent is not None and (parent.tag in DIVISIONS or parent.tag in MATTERS):
            return Heading(max(level, 1), inlines, element.get(XML_LANG), element.get(XML_ID))
        return Paragraph(inlines, "head", element.get(XML_LANG), element.get(XML_ID))

    def paragraph(self, element: etree._Element, level: int, role: str) -> list[Block]:
        """A paragraph-like element; blocks inside it (a list in a <p>) split it around them."""
        out: list[Block] = []
        first = Paragraph([], role, element.get(XML_LANG), element.get(XML_ID))
        current, run = first, list[Inline]()
        self.add_text(run, element.text)
        for child in element:
            if is_block(child, element) and child.tag != tei("head"):
                current.inlines = settle(run)
                out.append(current)
                out.extend(self.block(child, level))
                current, run = Paragraph([], "continued", element.get(XML_LANG)), list[Inline]()
            else:
                self.inline(child, run)
            self.add_text(run, child.tail)
        current.inlines = settle(run)
        out.append(current)
        return [p for p in out if not isinstance(p, Paragraph) or p.inlines or p is first]

    def list_block(self, element: etree._Element, level: int) -> ListBlock:
        rend = (element.get("rend") or element.get("type") or "").lower()
        heads = [self.paragraph_of(h, "head") for h in element.findall(tei("head"))]
        items: list[Item] = []
        carried: list[Inline] = []
        for child in element:
            if child.tag == tei("item"):
                label = child.find(tei("label"))
                blocks = self.flow(child, level, skip=label)
                items.append(Item(self.inlines(label) if label is not None else None,
                                  _with_leading(carried, blocks), child.get(XML_LANG), child.get(XML_ID)))
                carried = []
            elif isinstance(child.tag, str) and child.tag != tei("head"):
                self.inline(child, carried)
            self.add_text(carried, child.tail)
        _carry_to_last(carried, items, lambda: Item(None, []))
        return ListBlock(rend, rend in NUMBERED_LISTS, heads, items, element.get(XML_LANG), element.get(XML_ID))

    def bibliography(self, element: etree._Element, level: int) -> Bibliography:
        heads = [self.paragraph_of(h, "head") for h in element.findall(tei("head"))]
        entries: list[BiblEntry] = []
        carried: list[Inline] = []
        for child in element:
            if child.tag in BIBLIOGRAPHY_ENTRIES:
                if child.tag == tei("listBibl"):
                    blocks: list[Block] = [self.bibliography(child, level)]
                else:
                    blocks = self.flow(child, level)
                number = "" if prints_its_number(child) else child.get("n", "")
                entries.append(BiblEntry(number, _with_leading(carried, blocks), child.get(XML_LANG),
                                         child.get(XML_ID)))
                carried = []
            elif isinstance(child.tag, str) and child.tag != tei("head"):
                self.inline(child, carried)
            self.add_text(carried, child.tail)
        _carry_to_last(carried, entries, lambda: BiblEntry("", []))
        return Bibliography(heads, entries, element.get(XML_LANG), element.get(XML_ID))

    def table(self, element: etree._Element, level: int) -> list[Block]:
        head = element.find(tei("head"))
        rows = [[self.cell(c, level) for c in row.findall(tei("cell"))] for row in element.findall(tei("row"))]
        table = Table(self.paragraph_of(head, "head") if head is not None else None, rows,
                      element.get(XML_LANG), element.get(XML_ID))
        strays: list[Block] = []  # never drop text: anything else in the table follows it
        for child in element:
            if isinstance(child.tag, str) and child.tag not in (tei("head"), tei("row")):
                strays.extend(self.block(child, level) if is_block(child, element) else self.loose(child))
        return [table, *strays]

    def cell(self, element: etree._Element, level: int) -> Cell:
        def span(attribute: str) -> int:
            value = element.get(attribute) or ""
            return int(value) if value.isdigit() and int(value) > 1 else 1

        return Cell(self.flow(element, level), element.get("role") == "label", span("cols"), span("rows"),
                    element.get(XML_LANG), element.get(XML_ID))

    def figure(self, element: etree._Element, level: int) -> Figure:
        caption: Paragraph | None = None
        blocks: list[Block] = []
        for child in element:
            if child.tag == tei("head") and caption is None:
                caption = self.paragraph_of(child, "caption")
            elif child.tag == tei("figDesc"):
                blocks.append(self.paragraph_of(child, "figDesc"))
            elif isinstance(child.tag, str) and is_block(child, element):
                blocks.extend(self.block(child, level))
        return Figure(caption, blocks, element.get(XML_LANG), element.get(XML_ID))

    def paragraph_of(self, element: etree._Element, role: str) -> Paragraph:
        return Paragraph(self.inlines(element), role, element.get(XML_LANG), element.get(XML_ID))

    def loose(self, element: etree._Element) -> list[Block]:
        out: list[Block] = []
        run: list[Inline] = []
        self.inline(element, run)
        self.close_run(run, out)
        return out

    # --- inlines -------------------------------------------------------------------------------

    def inlines(self, element: etree._Element) -> list[Inline]:
        """The content of an element as one settled line of inlines."""
        return settle(self.content(element))

    def content(self, element: etree._Element) -> list[Inline]:
        out: list[Inline] = []
        self.add_text(out, element.text)
        for child in element:
            self.inline(child, out)
            self.add_text(out, child.tail)
        return out

    @staticmethod
    def add_text(out: list[Inline], text: str | None) -> None:
        if text:
            out.append(Text(text))

    def inline(self, element: etree._Element, out: list[Inline]) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in INVISIBLE:
            return
        if tag == tei("lb"):
            out.append(Join() if element.get("break") == "no" else Text(" "))
        elif tag == tei("pb"):
            self.page_break(element, out)
        elif tag == tei("note"):
            if is_reading_note(element):
                out.append(NoteCall(self.note(element)))
        elif tag == tei("choice"):
            self.choice(element, out)
        elif tag in LINKS:
            self.link(element, out)
        elif tag in NAMED_SPANS:
            rend = tuple(w for w in _REND_WORDS.split((element.get("rend") or "").lower()) if w)
            out.append(Span(local_name(element), self.content(element), rend, element.get(XML_LANG),
                            element.get(XML_ID)))
            if tag == tei("label"):
                out.append(Text(" "))  # "а) Қазақстанның": a printed number is followed by its text
        elif tag in BLOCKS or tag in BLOCKS_IN_FLOW:  # a paragraph-like element inside a phrase
            out.extend([Text(" "), self.span(element), Text(" ")])
        elif element.get(XML_LANG) or element.get(XML_ID):
            out.append(self.span(element))
        else:  # reg, seg, name, date, num…: their words
            out.extend(self.content(element))

    def span(self, element: etree._Element) -> Span:
        return Span(local_name(element), self.content(element), (), element.get(XML_LANG), element.get(XML_ID))

    @staticmethod
    def page_break(element: etree._Element, out: list[Inline]) -> None:
        joins = element.get("break") == "no"
        number = " ".join((element.get("n") or "").split())
        if number:  # a page without a number cannot be listed or announced
            out.append(PageBreak(number, element.get(XML_ID), joins))
        elif joins:
            out.append(Join())

    def note(self, element: etree._Element) -> Note:
        saved, self.in_link = self.in_link, False
        try:
            blocks = self.flow(element, 0)
        finally:
            self.in_link = saved
        number = " ".join((element.get("n") or "").split())
        return Note(number, element_lang(element, self.doc_lang), blocks, element.get(XML_ID))

    def choice(self, element: etree._Element, out: list[Inline]) -> None:
        shown = preferred_alternative(element)
        if shown is None:
            shown = next((c for c in element if isinstance(c.tag, str)), None)
        if shown is None:
            return
        if next(shown.iter(tei("pb")), None) is None:
            # A page turn recorded only in the source form must still mark the page.
            for hidden in element:
                if hidden is not shown and hidden.tag in SOURCE_IN_CHOICE:
                    for pb in hidden.iter(tei("pb")):
                        self.page_break(pb, out)
        self.inline(shown, out)

    def link(self, element: etree._Element, out: list[Inline]) -> None:
        targets = (element.get("target") or "").split()
        target = targets[0] if targets else ""
        if self.in_link:  # links cannot nest: the inner one is read as words
            out.append(Span(local_name(element), self.content(element), id=element.get(XML_ID)))
            return
        self.in_link = True
        try:
            children = self.content(element)
        finally:
            self.in_link = False
        if element.tag == tei("ptr") and not has_text(children) and re.match(r"^(https?|mailto|ftp):", target):
            children = [Text(target)]  # an empty pointer to an address shows the address
        calls = _take_note_calls(children)  # a note called inside a link is called after it
        out.append(Link(target, children, element.get("type") == "bibl", element.get(XML_ID)))
        out.extend(calls)


def with_label(label: list[Inline] | None, blocks: list[Block]) -> list[Block]:
    """An item's (or a numbered entry's) blocks with its label opening the first line, followed by
    a real space ("а) Қазақстанның"), for editions that set the label in the text."""
    if label is None:
        return blocks
    opening: list[Inline] = [Span("label", list(label)), Text(" ")]
    if blocks and isinstance(blocks[0], Paragraph):
        first = blocks[0]
        return [Paragraph([*opening, *first.inlines], first.role, first.lang, first.id), *blocks[1:]]
    return [Paragraph(opening[:1], "loose"), *blocks]


def entry_label(entry: BiblEntry) -> list[Inline] | None:
    """A bibliography entry's printed number ("1."), when its text does not print it already."""
    return [Text(f"{entry.number}.")] if entry.number else None


def _take_note_calls(inlines: list[Inline]) -> list[Inline]:
    calls: list[Inline] = []
    for node in list(inlines):
        if isinstance(node, NoteCall):
            inlines.remove(node)
            calls.append(node)
        elif isinstance(node, Span | Link):
            calls.extend(_take_note_calls(node.children))
    return calls


_Entry = TypeVar("_Entry", Item, BiblEntry)


def _with_leading(carried: list[Inline], blocks: list[Block]) -> list[Block]:
    """Page turns, labels and stray words met between list items go at the start of the next one."""
    if not carried:
        return blocks
    if blocks and isinstance(blocks[0], Paragraph):
        blocks[0].inlines = settle([*carried, Text(" "), *blocks[0].inlines])
        return blocks
    leading: list[Block] = []
    Walker.close_run(list(carried), leading)
    return leading + blocks


def _carry_to_last(carried: list[Inline], items: list[_Entry], new: Callable[[], _Entry]) -> None:
    """What follows the last item joins it (or an item of its own when there is none)."""
    if not settle(list(carried)):
        return
    if not items:
        items.append(new())
    last = items[-1]
    leading: list[Block] = []
    Walker.close_run([Text(" "), *carried], leading)
    last.blocks.extend(leading)
