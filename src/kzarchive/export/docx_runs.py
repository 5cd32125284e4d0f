"""The DOCX edition's runs: a line of the reading walk as pieces (text with a look, page markers, note
calls), then as w:r elements inside hyperlinks where they link."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .docx_setup import FOOTNOTE_REFERENCE, HYPERLINK, PAGE_MARKER, run_language, styled_run, text_run
from .nodes import Heading as HeadingNode
from .nodes import Inline, Link, Note, NoteCall, PageBreak, Span, Text, iter_blocks
from .nodes import Paragraph as ParagraphNode

_SPACE_RUN = re.compile(r"\s+")
EXTERNAL_LINK = re.compile(r"^(https?|mailto|ftp):", re.IGNORECASE)
# hi/@rend words → the run property they turn on.
EMPHASIS_WORDS = {
    "italic": {"italic", "italics", "i", "it", "em"},
    "bold": {"bold", "b", "strong"},
    "underline": {"underline", "u", "underlined"},
    "small_caps": {"smallcaps", "small-caps", "sc"},
}
VERTICAL_WORDS = {"sup": "superscript", "superscript": "superscript", "sub": "subscript", "subscript": "subscript"}


@dataclass(frozen=True)
class Target:
    anchor: str | None = None  # Word bookmark inside the document
    url: str | None = None  # external address


@dataclass(frozen=True)
class RunLook:
    """How a stretch of text is marked: language (when not the document's), emphasis, link."""

    lang: str | None = None
    italic: bool = False
    bold: bool = False
    underline: bool = False
    small_caps: bool = False
    vert: str | None = None
    link: Target | None = None


@dataclass
class TextPiece:
    text: str
    look: RunLook


@dataclass
class PageMarker:
    n: str
    inside_word: bool  # pb break="no": shown after the word so spell-check sees the word whole


@dataclass
class NotePiece:
    note: Note


Piece = TextPiece | PageMarker | NotePiece


@dataclass(frozen=True)
class Phrasing:
    """What turning inlines into pieces needs to know about the document and the story."""

    doc_lang: str
    bookmarks: dict[str, str]
    page_markers: bool = True
    in_footnote: bool = False


def pieces(inlines: list[Inline], look: RunLook, where: Phrasing) -> list[Piece]:
    out: list[Piece] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(TextPiece(node.text, look))
        elif isinstance(node, PageBreak):
            if where.page_markers:
                out.append(PageMarker(node.n, node.joins))
        elif isinstance(node, NoteCall):
            out.extend(_note_call(node.note, look, where))
        elif isinstance(node, Link):
            out.extend(pieces(node.children, _linked(node, look, where), where))
        else:
            out.extend(pieces(node.children, _span_look(node, look, where), where))
    return out


def _note_call(note: Note, look: RunLook, where: Phrasing) -> list[Piece]:
    if not where.in_footnote:
        return [NotePiece(note)]
    # Word has no footnotes in footnotes: the inner note goes in brackets
    inner: list[Piece] = []
    for block in iter_blocks(note.blocks):
        if isinstance(block, ParagraphNode | HeadingNode):
            inner += [TextPiece(" ", look)] if inner else []
            inner += pieces(block.inlines, look, where)
    return [TextPiece(" (", look), *inner, TextPiece(") ", look)]


def _linked(link: Link, look: RunLook, where: Phrasing) -> RunLook:
    if link.target.startswith("#") and link.target[1:] in where.bookmarks:
        return replace(look, link=Target(anchor=where.bookmarks[link.target[1:]]))
    if EXTERNAL_LINK.match(link.target):
        return replace(look, link=Target(url=link.target))
    return look


def _span_look(span: Span, look: RunLook, where: Phrasing) -> RunLook:
    if span.lang:
        look = replace(look, lang=run_language(span.lang, where.doc_lang))
    if span.kind == "hi":  # hi without a known rendition still stood out in the source
        return emphasis_look(set(span.rend), look) or replace(look, italic=True)
    if span.kind == "emph":
        return replace(look, italic=True)
    return look


def emphasis_look(words: set[str], look: RunLook) -> RunLook | None:
    """The look a hi/@rend gives, or None when no word of it is known."""
    changes = {name: True for name, known in EMPHASIS_WORDS.items() if words & known}
    verticals = [VERTICAL_WORDS[w] for w in sorted(words) if w in VERTICAL_WORDS]
    if not changes and not verticals:
        return None
    look = replace(look, italic=look.italic or "italic" in changes, bold=look.bold or "bold" in changes,
                   underline=look.underline or "underline" in changes,
                   small_caps=look.small_caps or "small_caps" in changes)
    return replace(look, vert=verticals[-1]) if verticals else look


# --- a paragraph's pieces, settled -----------------------------------------------------------------


def settle(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring text of the same look merged, page markers kept apart from words (or after the
    word they split), the paragraph's ends trimmed."""
    out: list[Piece] = []
    waiting_in_word: list[PageMarker] = []
    after_space = True  # at the paragraph start leading spaces are dropped
    space_owed = False
    for piece in pieces:
        if isinstance(piece, TextPiece):
            text = _SPACE_RUN.sub(" ", piece.text)
            if after_space:
                text = text.lstrip(" ")
            if not text:
                continue
            if space_owed and not text.startswith(" "):
                text = " " + text
            space_owed = False
            if waiting_in_word and " " in text:
                word_end, rest = text.split(" ", 1)
                _append_text(out, word_end, piece.look)
                out.extend(waiting_in_word)
                waiting_in_word = []
                text = " " + rest
            _append_text(out, text, piece.look)
            after_space = text.endswith(" ")
        elif isinstance(piece, PageMarker) and piece.inside_word and out:
            waiting_in_word.append(piece)
        elif isinstance(piece, PageMarker):
            if out and not after_space:
                _append_text(out, " ", RunLook())
            out.append(piece)
            after_space, space_owed = False, True
        else:
            out.append(piece)
            after_space = False
    out.extend(waiting_in_word)
    out = _merge_same_look(out)
    _trim_end(out)
    return out


def _append_text(out: list[Piece], text: str, look: RunLook) -> None:
    if text:
        out.append(TextPiece(text, look))


def _merge_same_look(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring text of the same look as one piece, each run joined once (adding to the last
    piece's text one line at a time copies a growing string: quadratic in a long paragraph)."""
    merged: list[Piece] = []
    run: list[TextPiece] = []
    for piece in [*pieces, None]:
        if isinstance(piece, TextPiece) and (not run or run[0].look == piece.look):
            run.append(piece)
            continue
        if run:
            merged.append(TextPiece("".join(p.text for p in run), run[0].look))
            run = []
        if isinstance(piece, TextPiece):
            run.append(piece)
        elif piece is not None:
            merged.append(piece)
    return merged


def _trim_end(out: list[Piece]) -> None:
    while out and isinstance(out[-1], TextPiece):
        out[-1].text = out[-1].text.rstrip(" ")
        if out[-1].text:
            return
        out.pop()


def has_text(pieces: Sequence[Piece]) -> bool:
    return any(isinstance(p, TextPiece) and p.text.strip() for p in pieces)


# --- runs -----------------------------------------------------------------------------------------


def fill(paragraph: etree._Element, pieces: Sequence[Piece], part: Part,
         footnote: Callable[[Note], int]) -> None:
    """Append the pieces' runs to a paragraph; `footnote` writes a note and gives its id."""
    hyperlink: etree._Element | None = None
    current_link: Target | None = None
    for piece in pieces:
        run = _piece_run(piece, footnote)
        link = piece.look.link if isinstance(piece, TextPiece) else None
        if link is None:
            paragraph.append(run)
            hyperlink, current_link = None, None
            continue
        if link != current_link or hyperlink is None:
            hyperlink, current_link = _hyperlink(link, part), link
            paragraph.append(hyperlink)
        hyperlink.append(run)


def _piece_run(piece: Piece, footnote: Callable[[Note], int]) -> etree._Element:
    if isinstance(piece, TextPiece):
        return text_run(piece.text, run_properties(piece.look))
    if isinstance(piece, PageMarker):
        return styled_run(f"|{piece.n}|", PAGE_MARKER)
    footnote_id = footnote(piece.note)
    run = styled_run(None, FOOTNOTE_REFERENCE)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(footnote_id))
    run.append(reference)
    return run


def run_properties(look: RunLook) -> etree._Element | None:
    """w:rPr children in the order the schema requires (rStyle … vertAlign … lang)."""
    children: list[tuple[str, str | None]] = []
    if look.link and look.link.url:
        children.append(("w:rStyle", HYPERLINK))
    if look.bold:
        children += [("w:b", None), ("w:bCs", None)]
    if look.italic:
        children += [("w:i", None), ("w:iCs", None)]
    if look.small_caps:
        children.append(("w:smallCaps", None))
    if look.underline:
        children.append(("w:u", "single"))
    if look.vert:
        children.append(("w:vertAlign", look.vert))
    if look.lang:
        children.append(("w:lang", look.lang))
    if not children:
        return None
    properties = OxmlElement("w:rPr")
    for tag, value in children:
        child = OxmlElement(tag)
        if value is not None:
            child.set(qn("w:val"), value)
        properties.append(child)
    return properties


def _hyperlink(link: Target, part: Part) -> etree._Element:
    hyperlink = OxmlElement("w:hyperlink")
    if link.anchor:
        hyperlink.set(qn("w:anchor"), link.anchor)
    elif link.url:
        hyperlink.set(qn("r:id"), part.relate_to(link.url, RT.HYPERLINK, is_external=True))
    hyperlink.set(qn("w:history"), "1")
    return hyperlink
