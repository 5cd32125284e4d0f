"""Footnotes: the numbered note texts a scraped thesis prints at its end ("26 Энциклопедический…")
are moved to their calls ("…сөзінен шыққан.26 Интеграцияны…"); a URL line dropped into running
text by the extraction is a URL footnote.

A call is a number glued to the word or punctuation before it, or printed after a space at a
sentence end when it is the very next note. It is bound only when a note with that number exists
and the calls run in order, so years and counts are never taken for calls.
The printed call is kept as <choice><orig>26</orig><reg/></choice> right before its <note>, so the
source can still be read back from the master.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean.pieces import Atom, atomise, rebuild
from ..model import Block, Choice, Division, Inline, Node, Note, StructuredDocument, Text
from .ids import iter_blocks
from .inlines import iter_lines, leading_text

_NOTE_TEXT = re.compile(r"^\s*(\d{1,3})\s+(?=\S|$)")  # $: the text goes on in a <choice>
_CALL = re.compile(r"(?<=[^\W\d_]|[.,;:!?)\]”»\"’])(\d{1,3})(?![\w])")
# A call printed after a space at a sentence end ("…беру қиын. 88"), at the end of the paragraph
# or before the next sentence: bound only as the very next note, so "…келді. 12 Наурыз…" is not
# taken for a call unless note 12 is the one expected there.
_SPACED_CALL = re.compile(r"(?<=[.!?…»”)])( (\d{1,3}))(?=\s*$|\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_URL_LINE = re.compile(r"^\s*((?:https?://|www\.)\S+)\s*$")
_MIN_NOTES = 3
_MAX_SKIPPED_CALLS = 4  # calls lost in extraction: the next bound call may jump ahead this much


@dataclass
class NoteText:
    number: int
    block: Block


def split_trailing_notes(blocks: list[Block]) -> tuple[list[NoteText], list[Block]]:
    """The run of consecutively numbered "N text" blocks that ends the document, and the rest."""
    found: list[NoteText] = []
    index = len(blocks) - 1
    kept_tail: list[Block] = []
    while index >= 0:
        block = blocks[index]
        if block.kind == "milestone":
            kept_tail.insert(0, block)
            index -= 1
            continue
        match = _NOTE_TEXT.match(leading_text(block)) if block.kind == "p" else None
        if not match or (found and int(match.group(1)) != found[0].number - 1):
            break
        found.insert(0, NoteText(int(match.group(1)), block))
        index -= 1
    if len(found) < _MIN_NOTES:
        return [], blocks
    return found, blocks[: index + 1] + kept_tail


def _note_for(text: NoteText) -> Note:
    """The note's printed number ("26 Энциклопедический…") is its label, not its text: kept in
    <orig> for the record, left out of the reading view, which numbers notes from @n."""
    inlines = list(text.block.inlines)
    first = inlines[0] if inlines else None
    match = _NOTE_TEXT.match(first.text) if isinstance(first, Text) else None
    if match and isinstance(first, Text):
        label = Choice([Text(match.group(0))], "", "notecall")
        head: list[Inline] = [label, Text(first.text[match.end():])]
        inlines = head + inlines[1:]
    return Note(str(text.number), inlines, kind="foot")


def attach_notes(document: StructuredDocument, texts: list[NoteText]) -> int:
    """Bind note texts to their calls; texts left without a call go to a notes division at the back.
    Returns the number of notes bound."""
    if not texts:
        return 0
    pending = {text.number: text for text in texts}
    last_bound = min(pending) - 1
    for block in iter_blocks(document.front + document.body + document.back):
        if block.kind in ("bibl", "milestone"):
            continue
        last_bound = _bind_calls(block, pending, last_bound)
    if pending:
        leftover = [pending[n].block for n in sorted(pending)]
        document.back.append(Division("notes", children=list(leftover)))
    return len(texts) - len(pending)


def _bind_calls(block: Block, pending: dict[int, NoteText], last_bound: int) -> int:
    atoms = atomise(block.inlines)
    view = "".join(char if node is None else "\x00" for char, node in atoms)
    spans: list[tuple[int, int, list[Inline]]] = []
    glued = [(m.start(1), m.end(1), m.group(1), False) for m in _CALL.finditer(view)]
    spaced = [(m.start(1), m.end(1), m.group(2), True) for m in _SPACED_CALL.finditer(view)]
    for start, end, digits, after_space in sorted(glued + spaced):
        number = int(digits)
        if number not in pending or not last_bound < number <= last_bound + _MAX_SKIPPED_CALLS:
            continue
        if after_space and number != last_bound + 1:
            continue
        note = _note_for(pending.pop(number))
        # the space before a spaced call goes into orig with it: the reading view has no gap
        call = Choice([Text(view[start:end])], "", "notecall")
        spans.append((start, end, [call, note]))
        last_bound = number
    if spans:
        block.inlines = _replace(atoms, spans)
    return last_bound


def _replace(atoms: list[Atom], spans: list[tuple[int, int, list[Inline]]]) -> list[Inline]:
    out: list[Atom] = []
    position = 0
    for start, end, nodes in spans:
        out.extend(atoms[position:start])
        out.extend(("", node) for node in nodes)
        position = end
    out.extend(atoms[position:])
    return rebuild(out)


# ---- URL footnotes ------------------------------------------------------------------------------

def mark_url_notes(nodes: list[Node]) -> int:
    """A line holding only a URL, closing a paragraph of running text, is that paragraph's URL
    footnote; a paragraph that is only a URL joins the paragraph before it as its footnote."""
    count = 0
    previous: Block | None = None
    kept: list[Node] = []
    for node in nodes:
        if isinstance(node, Division):
            if node.type not in ("bibliography", "contents", "notes"):
                count += mark_url_notes(node.children)  # rewrites the children in place
            kept.append(node)
            previous = None
            continue
        if isinstance(node, Block) and node.kind == "p":
            url = _url_of(node.inlines)
            if url and previous is not None:
                previous.inlines.append(Note("", list(node.inlines), kind="url"))
                count += 1
                continue
            count += _url_lines_to_notes(node)
            previous = node
        elif not (isinstance(node, Block) and node.kind == "milestone"):
            previous = None
        kept.append(node)
    nodes[:] = kept
    return count


def _url_of(inlines: list[Inline]) -> str | None:
    if not inlines or not all(isinstance(n, Text) for n in inlines):
        return None
    match = _URL_LINE.match("".join(n.text for n in inlines))  # type: ignore[union-attr]
    return match.group(1) if match else None


def _url_lines_to_notes(block: Block) -> int:
    lines = list(iter_lines(block.inlines))
    if len(lines) < 2:
        return 0
    start, end = lines[-1]
    if _url_of(block.inlines[start:end]) is None:
        return 0
    block.inlines = block.inlines[:start] + [Note("", block.inlines[start:end], kind="url")]
    return 1
