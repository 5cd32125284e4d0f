"""Deterministic xml:ids derived from structure (sec-1.2, art-1, bibl-5, note-36, pb-14), so re-runs
give the same bytes and links survive re-conversion."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import (
    BiblList,
    Block,
    Choice,
    Division,
    Foreign,
    Inline,
    ListNode,
    Node,
    Note,
    PageBreak,
    Quote,
    Ref,
    StructuredDocument,
)

_TYPE_IDS = {"introduction": "intro", "conclusion": "concl", "contents": "contents", "bibliography": "bibliography",
             "appendix": "appendix", "glossary": "glossary", "notes": "notes"}


class IdRegistry:
    def __init__(self) -> None:
        self.used: set[str] = set()
        # base → the last suffix tried: ids only ever get used, so the search resumes there (a text
        # of 50 000 pages numbered alike must not count from 2 for each)
        self.last_suffix: dict[str, int] = {}

    def claim(self, wanted: str) -> str:
        base = re.sub(r"[^\w.\-]", "-", wanted)
        if not re.match(r"[A-Za-z_]", base):
            base = "id-" + base
        suffix = self.last_suffix.get(base, 1)
        candidate = base if suffix == 1 else f"{base}-{suffix}"
        while candidate in self.used:
            suffix += 1
            candidate = f"{base}-{suffix}"
        self.last_suffix[base] = suffix
        self.used.add(candidate)
        return candidate


def assign_ids(document: StructuredDocument) -> None:
    registry = IdRegistry()
    article_number = 0
    chapter_number = 0
    for division in iter_divisions(document.front + document.body + document.back):
        if division.xml_id:
            registry.used.add(division.xml_id)
            continue
        if division.type == "article":
            if division.subtype == "fragment" and not division.heads:  # the tail of an article before the extract
                division.xml_id = registry.claim("art-0")
                continue
            article_number += 1
            division.xml_id = registry.claim(f"art-{article_number}")
        elif division.n:
            division.xml_id = registry.claim(f"sec-{division.n}")
        elif division.type in _TYPE_IDS:
            division.xml_id = registry.claim(_TYPE_IDS[division.type])
        else:
            chapter_number += 1
            division.xml_id = registry.claim(f"div-{chapter_number}")
    _assign_bibl_ids(document, registry)
    for block in iter_blocks(document.front + document.body + document.back):
        if block.kind == "bibl" and not block.xml_id:
            block.xml_id = registry.claim(f"bibl-{block.number}" if block.number else "bibl")
        for node in iter_inline_nodes(block.inlines):
            if isinstance(node, PageBreak) and node.n:
                node.xml_id = registry.claim(f"pb-{node.n}")
            elif isinstance(node, Note) and node.n and not node.xml_id:
                node.xml_id = registry.claim(f"note-{node.n}")


def _assign_bibl_ids(document: StructuredDocument, registry: IdRegistry) -> None:
    """bibl-N when the document has one reference list; bibl-L.N (L = list in document order) when
    several lists each number their entries from 1."""
    lists = list(iter_bibl_lists(document.front + document.body + document.back))
    for list_number, bibl_list in enumerate(lists, start=1):
        prefix = "bibl-" if len(lists) == 1 else f"bibl-{list_number}."
        for position, entry in enumerate(bibl_list.entries, start=1):
            if not entry.xml_id:
                entry.xml_id = registry.claim(prefix + (entry.number or f"u{position}"))


def iter_bibl_lists(nodes: list[Node]) -> Iterator[BiblList]:
    for node in nodes:
        if isinstance(node, BiblList):
            yield node
        elif isinstance(node, Division):
            yield from iter_bibl_lists(node.children)


def iter_inline_nodes(inlines: list[Inline]) -> Iterator[Inline]:
    """Inline nodes in document order, including those inside notes, refs, quotes and choices."""
    for node in inlines:
        yield node
        if isinstance(node, (Note, Ref, Foreign, Quote)):
            yield from iter_inline_nodes(node.content)
        elif isinstance(node, Choice):
            yield from iter_inline_nodes(node.orig)


def iter_divisions(nodes: list[Node]) -> Iterator[Division]:
    for node in nodes:
        if isinstance(node, Division):
            yield node
            yield from iter_divisions(node.children)


def iter_blocks(nodes: list[Node]) -> Iterator[Block]:
    for node in nodes:
        if isinstance(node, Block):
            yield node
        elif isinstance(node, Division):
            yield from node.heads
            yield from node.bylines
            yield from iter_blocks(node.children)
        elif isinstance(node, ListNode):
            for item in node.items:
                yield item.block
                yield from iter_blocks(list(item.sublists))
        elif isinstance(node, BiblList):
            yield from node.entries
