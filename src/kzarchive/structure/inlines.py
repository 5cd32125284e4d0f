"""Small operations on a block's inline nodes that never drop a source character."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Block, Inline, LineBreak, Text


def leading_text(block: Block) -> str:
    """The source text of the block's first line up to its first non-text node."""
    out: list[str] = []
    for node in block.inlines:
        if not isinstance(node, Text):
            break
        out.append(node.text)
    return "".join(out)


def split_prefix(inlines: list[Inline], prefix: re.Pattern[str]) -> tuple[str, list[Inline]] | None:
    """Cut a printed marker ("•", "1.", "[2.1]") off the start of the inlines: (marker, rest).
    The marker is group 1 of the pattern; whitespace after it is the only thing dropped."""
    if not inlines or not isinstance(inlines[0], Text):
        return None
    first = inlines[0].text
    match = prefix.match(first)
    if not match:
        return None
    rest_text = first[match.end():].lstrip()
    rest: list[Inline] = ([Text(rest_text)] if rest_text else []) + list(inlines[1:])
    return match.group(1), rest


def iter_lines(inlines: list[Inline]) -> Iterator[tuple[int, int]]:
    """(start, end) index ranges of the source lines of a block: runs between LineBreak nodes."""
    start = 0
    for index, node in enumerate(inlines):
        if isinstance(node, LineBreak):
            yield start, index
            start = index + 1
    yield start, len(inlines)
