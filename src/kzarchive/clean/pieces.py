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


class _CharAtoms(dict[str, Atom]):
    """One shared (character, None) atom per character: a fresh tuple and string for each
    character of a block cost ~140 bytes a character (140 MB for a 1 MB paragraph)."""

    def __missing__(self, char: str) -> Atom:
        atom = self[char] = (char, None)
        return atom


_CHAR_ATOMS = _CharAtoms()


def atomise(inlines: list[Inline]) -> list[Atom]:
    atoms: list[Atom] = []
    for node in inlines:
        if isinstance(node, Text):
            atoms.extend(map(_CHAR_ATOMS.__getitem__, node.text))
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
    """Inline nodes again; characters between nodes as one Text (not one Text per character)."""
    inlines: list[Inline] = []
    run: list[str] = []
    for char, node in atoms:
        if node is None:
            run.append(char)
            continue
        if run:
            inlines.append(Text("".join(run)))
            run = []
        inlines.append(node)
    if run:
        inlines.append(Text("".join(run)))
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
