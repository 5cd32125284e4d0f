"""Figure captions whose picture the extraction lost: "Сурет 18" on a line of its own becomes
<figure><head>Сурет 18</head></figure>, so the editions show a caption where the picture stood
instead of a one-line paragraph, and a reader of the TEI sees that a figure is missing."""

from __future__ import annotations

from ..clean.paragraphs import FIGURE_CAPTION
from ..model import Block, Node
from .ids import iter_blocks


def mark_figure_captions(nodes: list[Node]) -> int:
    """Turn caption paragraphs into caption blocks; returns how many."""
    count = 0
    for block in iter_blocks(nodes):
        if is_figure_caption(block):
            block.kind = "caption"
            count += 1
    return count


def is_figure_caption(block: Block) -> bool:
    return block.kind == "p" and bool(FIGURE_CAPTION.fullmatch(" ".join(block.plain_text().split())))
