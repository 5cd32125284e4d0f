"""DOCX reader edition of a TEI master, built with python-docx from the shared reading walk.

Reads only the TEI file, so hand corrections to the master reach the edition. The walk (walk.py) says
what the text is; this module says which Word paragraph style each block gets. Document set-up is in
docx_setup.py, runs in docx_runs.py, the footnotes part in docx_notes.py.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from ..fsutil import atomic_write_bytes
from ..labels import label
from ..tei import XML_ID, XML_LANG, tei
from ..tei.reading import Metadata, read_metadata
from .boundary import exporting, read_tei
from .docx_notes import footnotes_part, note_number_runs, number_footnotes_as_the_source, prefix_footnote_mark
from .docx_runs import (
    NotePiece,
    PageMarker,
    Phrasing,
    Piece,
    RunLook,
    fill,
    has_text,
    pieces,
    settle,
)
from .docx_setup import (
    BIBLIOGRAPHY,
    BYLINE,
    CAPTION,
    FOOTNOTE_TEXT,
    NORMAL,
    QUOTE,
    SUBTITLE,
    TITLE,
    TOC_HEADING,
    TOC_INSTRUCTION,
    deterministic_zip,
    field_runs,
    fit_property,
    prepare_document,
    run_language,
    set_core_properties,
    text_run,
    word_language,
)
from .nodes import (
    Bibliography,
    Block,
    Container,
    Division,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Quote,
    Table,
)
from .walk import entry_label, read_text, with_label

__all__ = ["build_docx_bytes", "export_docx", "fit_property", "note_number_runs", "word_language"]

# Paragraph roles set in the byline style, and in the bibliography style.
BYLINE_ROLES = {"byline", "docAuthor", "docDate", "dateline", "signed"}
BIBLIOGRAPHY_ROLES = {"bibl"}
BULLET_WORDS = {"bulleted", "bullets", "bullet", "dash", "dashed", "unordered", "simple-bullet"}
LIST_STYLES = {"bullet": "ListBullet", "number": "ListNumber", "plain": "List"}
MAX_LIST_STYLE_LEVEL = 3  # python-docx's template has List…, List…2 and List…3
MAX_HEADING_LEVEL = 9
_BOOKMARK_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class ParagraphLook:
    style_id: str
    num_id: int | None = None  # restarted numbering for a numbered list
    unnumbered_level: int = 0  # >0: a list item that prints its own label; no automatic number


@dataclass
class Styles:
    """Paragraph styles for a run of paragraphs: the first may differ (a list item's first paragraph
    carries the bullet, later ones continue it)."""

    first: str
    rest: str | None = None
    num_id: int | None = None
    unnumbered_level: int = 0
    used: bool = False

    def next(self) -> ParagraphLook:
        if self.used and self.rest:
            return ParagraphLook(self.rest)
        self.used = True
        return ParagraphLook(self.first, self.num_id, self.unnumbered_level)


@dataclass
class Story:
    """Where paragraphs go: the document body or one footnote."""

    container: etree._Element
    part: Part
    last_paragraph: etree._Element | None = None
    section_properties: etree._Element | None = field(init=False)

    def __post_init__(self) -> None:
        # Looked up once: searching the body for it on every paragraph would be quadratic.
        self.section_properties = self.container.find(qn("w:sectPr"))

    def add_paragraph(self) -> etree._Element:
        paragraph = OxmlElement("w:p")
        if self.section_properties is not None:  # the body's sectPr must stay last
            self.section_properties.addprevious(paragraph)
        else:
            self.container.append(paragraph)
        self.last_paragraph = paragraph
        return paragraph


@dataclass
class Shared:
    """State shared by the whole export, whichever story is being written."""

    doc: DocxDocument
    page_markers: bool
    bookmarks: dict[str, str]
    pending_markers: list[Piece] = field(default_factory=list)
    pending_bookmark: str | None = None
    next_bookmark_id: int = 0
    footnotes: XmlPart | None = None
    next_footnote_id: int = 1
    note_numbers: list[str] = field(default_factory=list)  # the TEI note numbers, in document order


@dataclass(frozen=True)
class Context:
    shared: Shared
    story: Story
    doc_lang: str
    lang: str  # the language in force
    list_level: int = 0
    in_footnote: bool = False

    @property
    def phrasing(self) -> Phrasing:
        return Phrasing(self.doc_lang, self.shared.bookmarks, self.shared.page_markers, self.in_footnote)

    def within(self, lang: str | None) -> Context:
        return replace(self, lang=lang) if lang and lang != self.lang else self

    def footnote(self, note: Note) -> int:
        return render_footnote(note, self)


# --- public API -----------------------------------------------------------------------------------


def export_docx(tei_path: Path, out_path: Path, *, page_markers: bool = True) -> None:
    """Write a DOCX reader edition of the TEI master at tei_path to out_path (atomically)."""
    with exporting("DOCX", tei_path, out_path):
        data = build_docx_bytes(read_tei(Path(tei_path)), page_markers=page_markers)
        atomic_write_bytes(Path(out_path), data)


def build_docx_bytes(tree: etree._ElementTree, *, page_markers: bool = True) -> bytes:
    """The DOCX file for a parsed TEI document, as bytes (deterministic)."""
    root = tree.getroot()
    metadata = read_metadata(tree)
    doc_lang = root.get(XML_LANG) or "kk"
    reading = read_text(root)
    document = docx.Document()
    prepare_document(document, doc_lang)
    shared = Shared(document, page_markers, bookmark_names(root, reading.link_targets))
    ctx = Context(shared, Story(document.element.body, document.part), doc_lang, doc_lang)
    add_title_page(ctx, metadata)
    for matter in reading.matters:
        render_blocks(matter.blocks, ctx, Styles(NORMAL))
    flush_page_markers(ctx)
    if shared.footnotes is not None:
        number_footnotes_as_the_source(document, shared.note_numbers)
    set_core_properties(document, metadata, root, doc_lang)
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def add_title_page(ctx: Context, metadata: Metadata) -> None:
    title_lines = ((TITLE, metadata.title), (SUBTITLE, metadata.subtitle), (BYLINE, "; ".join(metadata.authors)))
    for style_id, text in title_lines:
        if text:
            new_paragraph(ctx, ParagraphLook(style_id)).append(text_run(text))
    new_paragraph(ctx, ParagraphLook(TOC_HEADING)).append(text_run(label("contents", ctx.doc_lang)))
    toc = new_paragraph(ctx, ParagraphLook(NORMAL))
    for run in field_runs(TOC_INSTRUCTION, label("update-contents", ctx.doc_lang), dirty=True):
        toc.append(run)
    page_break = OxmlElement("w:r")  # own paragraph: LibreOffice turns the field paragraph into an index
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    page_break.append(br)
    new_paragraph(ctx, ParagraphLook(NORMAL)).append(page_break)


# --- blocks ---------------------------------------------------------------------------------------


def render_blocks(blocks: list[Block], ctx: Context, styles: Styles) -> None:
    for block in blocks:
        render_block(block, ctx, styles)


def render_block(block: Block, ctx: Context, styles: Styles) -> None:
    if isinstance(block, PageBreak):
        if ctx.shared.page_markers:  # a page turn between paragraphs waits for the next one
            ctx.shared.pending_markers.append(PageMarker(block.n, False))
        return
    inner = ctx.within(block.lang)
    if isinstance(block, Division):
        ctx.shared.pending_bookmark = ctx.shared.bookmarks.get(block.id or "")
        render_blocks(block.blocks, inner, Styles(NORMAL))
        ctx.shared.pending_bookmark = None  # a div without a rendered head keeps no bookmark
    elif isinstance(block, Heading):
        render_heading(block, inner)
    elif isinstance(block, Paragraph):
        render_paragraph(block, inner, styles)
    elif isinstance(block, ListBlock):
        render_list(block, inner)
    elif isinstance(block, Bibliography):
        render_bibliography(block, inner)
    elif isinstance(block, Quote):
        render_blocks(block.blocks, inner, Styles(QUOTE))
    elif isinstance(block, Table):
        render_blocks([*([block.head] if block.head else []),
                       *(b for row in block.rows for cell in row for b in cell.blocks)], inner, styles)
    elif isinstance(block, Figure):
        render_blocks([*([block.caption] if block.caption else []), *block.blocks], inner, styles)
    elif isinstance(block, Container):
        render_blocks(block.blocks, inner, styles)


def render_heading(heading: Heading, ctx: Context) -> None:
    found = pieces(heading.inlines, base_look(ctx), ctx.phrasing)
    # Page numbers inside a heading would end up in the table of contents: show them after it.
    deferred = [p for p in found if isinstance(p, PageMarker)]
    found = settle([p for p in found if not isinstance(p, PageMarker)])
    if has_text(found):
        flush_page_markers(ctx)
        paragraph = new_paragraph(ctx, ParagraphLook(f"Heading{min(heading.level, MAX_HEADING_LEVEL)}"))
        fill(paragraph, found, ctx.story.part, ctx.footnote)
    ctx.shared.pending_markers.extend(deferred)


def render_paragraph(paragraph: Paragraph, ctx: Context, styles: Styles) -> None:
    look = base_look(ctx)
    if paragraph.role == "head":  # a list's or table's head names that block: bold, not a heading
        emit(paragraph.inlines, ctx, Styles(NORMAL), replace(look, bold=True))
    elif paragraph.role == "caption":  # Word's own caption style
        emit(paragraph.inlines, ctx, Styles(CAPTION), look)
    elif paragraph.role in BYLINE_ROLES:
        emit(paragraph.inlines, ctx, Styles(BYLINE), look)
    elif paragraph.role in BIBLIOGRAPHY_ROLES:
        emit(paragraph.inlines, ctx, Styles(BIBLIOGRAPHY), look)
    else:
        emit(paragraph.inlines, ctx, styles, look)


def render_list(block: ListBlock, ctx: Context) -> None:
    render_blocks(list(block.heads), ctx, Styles(NORMAL))
    level = ctx.list_level + 1
    kind = "number" if block.numbered else "bullet" if set(block.rend.split()) & BULLET_WORDS else "plain"
    suffix = "" if level == 1 else str(min(level, MAX_LIST_STYLE_LEVEL))
    style_id = LIST_STYLES[kind] + suffix
    num_id = restart_numbering(ctx.shared.doc, style_id) if kind == "number" else None
    inner = replace(ctx, list_level=level)
    for item in block.items:
        styles = Styles(style_id, f"ListContinue{suffix}", num_id, level if item.label is not None else 0)
        render_blocks(with_label(item.label, item.blocks), inner.within(item.lang), styles)


def render_bibliography(block: Bibliography, ctx: Context) -> None:
    render_blocks(list(block.heads), ctx, Styles(NORMAL))
    for entry in block.entries:
        ctx.shared.pending_bookmark = ctx.shared.bookmarks.get(entry.id or "")
        render_blocks(with_label(entry_label(entry), entry.blocks), ctx.within(entry.lang), Styles(BIBLIOGRAPHY))
        ctx.shared.pending_bookmark = None


def restart_numbering(document: DocxDocument, style_id: str) -> int | None:
    """A fresh w:num over the style's list definition, so each numbered list starts again at 1."""
    style_num = document.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]/w:pPr/w:numPr/w:numId/@w:val')
    if not style_num:
        return None
    numbering = document.part.numbering_part.element
    abstract = numbering.xpath(f'w:num[@w:numId="{style_num[0]}"]/w:abstractNumId/@w:val')
    if not abstract:
        return None
    nums = numbering.findall(qn("w:num"))
    new_id = max(int(n.get(qn("w:numId"))) for n in nums) + 1
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{abstract[0]}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    nums[-1].addnext(num)
    return new_id


# --- paragraphs -----------------------------------------------------------------------------------


def base_look(ctx: Context) -> RunLook:
    return RunLook(lang=run_language(ctx.lang, ctx.doc_lang))


def emit(inlines: list[Inline], ctx: Context, styles: Styles, look: RunLook) -> None:
    found = pieces(inlines, look, ctx.phrasing)
    if not has_text(found):
        place_textless(found, ctx)
        return
    found = settle(take_page_markers(ctx) + found)
    fill(new_paragraph(ctx, styles.next()), found, ctx.story.part, ctx.footnote)


def place_textless(found: list[Piece], ctx: Context) -> None:
    """Page breaks between paragraphs wait for the next paragraph; a note standing between
    paragraphs is called from the end of the previous one."""
    ctx.shared.pending_markers.extend(p for p in found if isinstance(p, PageMarker))
    calls = [p for p in found if isinstance(p, NotePiece)]
    if not calls:
        return
    paragraph = ctx.story.last_paragraph
    if paragraph is None:
        paragraph = new_paragraph(ctx, ParagraphLook(NORMAL))
    fill(paragraph, calls, ctx.story.part, ctx.footnote)


def take_page_markers(ctx: Context) -> list[Piece]:
    markers = list(ctx.shared.pending_markers)
    ctx.shared.pending_markers.clear()
    return markers


def flush_page_markers(ctx: Context) -> None:
    """Page markers still waiting get a paragraph of their own (before a heading, at the end)."""
    if ctx.shared.pending_markers:
        paragraph = new_paragraph(ctx, ParagraphLook(NORMAL), use_bookmark=False)
        fill(paragraph, settle(take_page_markers(ctx)), ctx.story.part, ctx.footnote)


def new_paragraph(ctx: Context, look: ParagraphLook, *, use_bookmark: bool = True) -> etree._Element:
    paragraph = ctx.story.add_paragraph()
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), look.style_id)
    properties.append(style)
    if look.unnumbered_level:
        properties.append(_numbering_properties(0))  # numId 0: the printed label is the number
        indent = OxmlElement("w:ind")
        indent.set(qn("w:left"), str(360 * look.unnumbered_level))
        indent.set(qn("w:hanging"), "360")
        properties.append(indent)
    elif look.num_id is not None:
        properties.append(_numbering_properties(look.num_id))
    paragraph.append(properties)
    if use_bookmark and ctx.shared.pending_bookmark:
        _add_bookmark(paragraph, ctx.shared.pending_bookmark, ctx.shared)
        ctx.shared.pending_bookmark = None
    return paragraph


def _numbering_properties(num_id: int) -> etree._Element:
    return parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')


def _add_bookmark(paragraph: etree._Element, name: str, shared: Shared) -> None:
    bookmark_id = str(shared.next_bookmark_id)
    shared.next_bookmark_id += 1
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), bookmark_id)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), bookmark_id)
    paragraph.append(start)
    paragraph.append(end)


def bookmark_names(root: etree._Element, targets: frozenset[str]) -> dict[str, str]:
    """Word bookmark names for the walk's link targets, in document order. Names start with "_"
    (hidden in Word) and hold only [A-Za-z0-9_]."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for element in root.iter(tei("div"), tei("bibl")):
        tei_id = element.get(XML_ID)
        if not tei_id or tei_id in names or tei_id not in targets:
            continue
        base = ("_" + _BOOKMARK_UNSAFE.sub("_", tei_id))[:36]
        name, counter = base, 1
        while name in taken:
            name, counter = f"{base}_{counter}", counter + 1
        taken.add(name)
        names[tei_id] = name
    return names


# --- footnotes ------------------------------------------------------------------------------------


def render_footnote(note: Note, ctx: Context) -> int:
    shared = ctx.shared
    if shared.footnotes is None:
        shared.footnotes = footnotes_part(shared.doc)
    footnote_id = shared.next_footnote_id
    shared.next_footnote_id += 1
    shared.note_numbers.append(note.n)
    footnote = OxmlElement("w:footnote")
    footnote.set(qn("w:id"), str(footnote_id))
    shared.footnotes.element.append(footnote)
    inner = replace(ctx, story=Story(footnote, shared.footnotes), in_footnote=True, list_level=0, lang=note.lang)
    # The note's own page turns and bookmarks stay in the note, not in the body's waiting lists.
    saved_markers, saved_bookmark = shared.pending_markers, shared.pending_bookmark
    shared.pending_markers, shared.pending_bookmark = [], None
    render_blocks(note.blocks, inner, Styles(FOOTNOTE_TEXT))
    flush_page_markers(inner)
    shared.pending_markers, shared.pending_bookmark = saved_markers, saved_bookmark
    first = footnote.find(qn("w:p"))
    if first is None:
        first = new_paragraph(inner, ParagraphLook(FOOTNOTE_TEXT), use_bookmark=False)
    prefix_footnote_mark(first)
    return footnote_id

