"""Divisions with nothing in them but headings and page furniture are not emitted.

TEI (and schemas/tei.rng) wants a block or a subdivision in every division. A division built from
a heading with no text under it — a contents table whose lines were all taken for running heads,
a title page of two heading lines and a page break, an extract's last title — is dissolved: its
heads and bylines become paragraphs and its page furniture stays, in reading order, at the end
of what precedes it (else at the start of what follows it). Nothing is lost.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import BiblList, Block, Division, ListNode, Node, StructuredDocument, Text

# Blocks that are page furniture (pb, fw) or a separator rule, not content of their own.
FURNITURE_KINDS = ("milestone", "separator")


def dissolve_empty_divisions(document: StructuredDocument) -> int:
    """Dissolve every empty division of the document; returns how many there were."""
    counter = [0]
    document.front, front_left = _settle(document.front, holds_blocks=False, counter=counter)
    document.body, _ = _settle(document.body, holds_blocks=True, counter=counter)
    document.back, back_left = _settle(document.back, holds_blocks=False, counter=counter)
    # front and back hold only divisions: what has no division before it there joins the body
    document.body = front_left + document.body
    _append_at_end(document.body, back_left)
    if not any(_is_content(node) for node in document.body):
        document.body.append(Block("p", [Text("")], 0))  # <body> needs a block: an empty text is still a text
    return counter[0]


def is_empty_division(division: Division) -> bool:
    return not any(_is_content(node) for node in division.children)


def _is_content(node: Node) -> bool:
    if isinstance(node, (Division, ListNode, BiblList)):
        return True
    return node.kind not in FURNITURE_KINDS


def _settle(nodes: list[Node], holds_blocks: bool, counter: list[int]) -> tuple[list[Node], list[Node]]:
    """`nodes` with empty divisions (at any depth) dissolved, and what could not stay in this
    container because it holds no blocks and no division precedes it."""
    out: list[Node] = []
    homeless: list[Node] = []
    for node in nodes:
        if isinstance(node, Division):
            node.children, _ = _settle(node.children, holds_blocks=True, counter=counter)
            if is_empty_division(node):
                counter[0] += 1
                payload = _payload(node)
                if any(isinstance(n, Division) for n in out):
                    _append_at_end(out, payload)
                elif holds_blocks:
                    out.extend(payload)
                else:
                    homeless.extend(payload)
                continue
        out.append(node)
    return out, homeless


def _payload(division: Division) -> list[Node]:
    """What the division held, in order: its heads and bylines as paragraphs, then its furniture."""
    lines = [replace(block, kind="p", level=0, div_type="") for block in division.heads + division.bylines]
    return [*lines, *division.children]


def _append_at_end(nodes: list[Node], payload: list[Node]) -> None:
    """Add to the end of a container: into its last (deepest) division when it has divisions, since
    no block may follow a division; furniture standing after that division goes in with it."""
    if not payload:
        return
    last = max((i for i, n in enumerate(nodes) if isinstance(n, Division)), default=None)
    if last is None:
        nodes.extend(payload)
        return
    trailing = nodes[last + 1:]
    del nodes[last + 1:]
    division = nodes[last]
    assert isinstance(division, Division)
    _append_at_end(division.children, [*trailing, *payload])
