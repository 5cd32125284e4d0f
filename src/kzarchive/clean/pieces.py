"""Whitespace-separated pieces of a block's inline content, across line ends and page furniture.

Word-level transforms (look-alike letters, syllable rejoining) see a block as a list of pieces
("жет<lb break=no>кізген" is one piece, a line-end space separates two) and replace a run of
pieces with a <choice> whose <orig> keeps every source node in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Choice, FormeWork, Inline, LineBreak, PageBreak, Text
from .paragraphs import merge_text

Atom = tuple[str, Inline | None]  # (character, None) for text, ("", node) for a node


@dataclass(frozen=True)
class Piece:
    start: int  # first atom
    end: int    # one past the last atom
    text: str   # the reading text of the piece


def atomise(inlines: list[Inline]) -> list[Atom]:
    atoms: list[Atom] = []
    for node in inlines:
        if isinstance(node, Text):
            atoms.extend((ch, None) for ch in node.text)
        else:
            atoms.append(("", node))
    return atoms


def _is_space(atom: Atom) -> bool:
    char, node = atom
    if node is None:
        return char.isspace()
    return isinstance(node, LineBreak) and node.kind == "space"


def _reading_char(atom: Atom) -> str:
    char, node = atom
    if node is None:
        return char
    if isinstance(node, Choice):
        return node.reg
    return ""


def _is_furniture(atom: Atom) -> bool:
    return isinstance(atom[1], (PageBreak, FormeWork))


def find_pieces(atoms: list[Atom]) -> list[Piece]:
    """Pieces between whitespace; page furniture at a piece's edge stays outside it, so that a
    <choice> never swallows a running head that merely stands next to a word."""
    pieces: list[Piece] = []
    start = None
    for index, atom in enumerate(atoms + [(" ", None)]):
        if _is_space(atom):
            if start is not None:
                first, end = start, index
                while first < end and _is_furniture(atoms[first]):
                    first += 1
                while end > first and _is_furniture(atoms[end - 1]):
                    end -= 1
                text = "".join(_reading_char(a) for a in atoms[first:end])
                if text:
                    pieces.append(Piece(first, end, text))
                start = None
        elif start is None:
            start = index
    return pieces


def rebuild(atoms: list[Atom]) -> list[Inline]:
    inlines: list[Inline] = []
    for char, node in atoms:
        inlines.append(Text(char) if node is None else node)
    return merge_text(inlines)


def replace_spans(atoms: list[Atom], replacements: list[tuple[int, int, Inline]]) -> list[Inline]:
    """Replace atom ranges [start, end) with single nodes; ranges must not overlap."""
    out: list[Atom] = []
    position = 0
    for start, end, node in sorted(replacements, key=lambda r: r[0]):
        out.extend(atoms[position:start])
        out.append(("", node))
        position = end
    out.extend(atoms[position:])
    return rebuild(out)
