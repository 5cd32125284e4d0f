"""Contents lists (ЖОСПАР, МАЗМҰНЫ): entries → a nested <list> of <ref>s to the divisions they name.

Before divisions are built, the entries tell which body lines are headings (a chapter title the
patterns miss is still found). After ids are assigned, each entry is linked to its division by
title text, else by printed number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Block, Division, ListItem, ListNode, Node, Ref, StructuredDocument
from .headings import HeadingInfo, heading_key, named_part
from .ids import iter_divisions
from .inlines import split_prefix

_BRACKET_LABEL = re.compile(r"^\s*(\[\d{1,2}(?:\.\d{1,2}){0,3}\])\s*")
_PRINTED_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s*(?:тарау\b\.?)?\s*\S")
_PAGE_NUMBER_TAIL = re.compile(r"[\s.…]{2,}\d{1,3}\s*$")
_DEPTH_TYPES = ("chapter", "section", "subsection", "subsection")


@dataclass(frozen=True)
class ContentsEntry:
    label: str      # "[2.1]" as printed, "" when none
    number: str     # the title's printed number "1.1", "" when none
    title: str      # the entry's text without label and page number
    depth: int      # 1 = top

    def heading(self) -> HeadingInfo:
        part = named_part(self.title)
        if part:
            return HeadingInfo(part, 1, "")
        return HeadingInfo(_DEPTH_TYPES[min(self.depth, 4) - 1], self.depth, self.number)


def parse_entry(text: str) -> ContentsEntry | None:
    text = text.strip()
    label_match = _BRACKET_LABEL.match(text)
    label = label_match.group(1) if label_match else ""
    title = text[label_match.end():] if label_match else text
    title = _PAGE_NUMBER_TAIL.sub("", title).strip()
    if not title or (not label and not _PAGE_NUMBER_TAIL.search(text)):
        return None  # without a label or a page number it is not recognisably an entry
    number_match = _PRINTED_NUMBER.match(title)
    number = number_match.group(1) if number_match else ""
    depth_source = label[1:-1] if label else number
    depth = depth_source.count(".") + 1 if depth_source else 1
    return ContentsEntry(label, number, title, depth)


def contents_entries(blocks: list[Block]) -> tuple[list[ContentsEntry], int]:
    """The entries following the first contents heading, and the source line of the last one."""
    entries: list[ContentsEntry] = []
    last_line = 0
    in_contents = False
    for block in blocks:
        if block.kind == "milestone":
            continue
        text = block.plain_text()
        if not in_contents:
            in_contents = block.kind == "p" and named_part(text.strip()) == "contents"
            continue
        entry = parse_entry(text)
        if entry is None:
            break
        entries.append(entry)
        last_line = block.last_line
    return entries, last_line


def heading_hints(entries: list[ContentsEntry]) -> dict[str, HeadingInfo]:
    return {heading_key(entry.title): entry.heading() for entry in entries if heading_key(entry.title)}


# ---- linking (after ids) ------------------------------------------------------------------------

def link_contents(document: StructuredDocument) -> None:
    divisions = list(iter_divisions(document.front + document.body + document.back))
    for division in divisions:
        if division.type == "contents":
            division.children = _contents_children(division.children, divisions)


def _contents_children(children: list[Node], divisions: list[Division]) -> list[Node]:
    """Entry blocks become one list, nested as their labels nest ("[2]" > "[2.1]"); anything else
    (a heading, stray text) stays; page furniture between entries goes into the entry before it."""
    out: list[Node] = []
    root: ListNode | None = None
    stack: list[tuple[int, ListItem]] = []
    for child in children:
        block = child if isinstance(child, Block) and child.kind == "p" else None
        entry = parse_entry(block.plain_text()) if block is not None else None
        if entry is None or block is None:
            if isinstance(child, Block) and child.kind == "milestone" and stack:
                stack[-1][1].block.inlines.extend(child.inlines)  # a list holds items only
                continue
            root, stack = None, []
            out.append(child)
            continue
        item = ListItem(_entry_block(block, entry, divisions))
        while stack and stack[-1][0] >= entry.depth:
            stack.pop()
        if stack:
            parent = stack[-1][1]
            if not parent.sublists:
                parent.sublists.append(ListNode("contents", []))
            parent.sublists[-1].items.append(item)
        else:
            if root is None:
                root = ListNode("contents", [])
                out.append(root)
            root.items.append(item)
        stack.append((entry.depth, item))
    return out


def _entry_block(block: Block, entry: ContentsEntry, divisions: list[Division]) -> Block:
    inlines = block.inlines
    if entry.label:
        split = split_prefix(inlines, _BRACKET_LABEL)
        if split:
            block.label, inlines = split
    target = _target(entry, divisions)
    block.kind = "item"
    block.inlines = [Ref(f"#{target.xml_id}", inlines, type="div")] if target and target.xml_id else inlines
    return block


def _target(entry: ContentsEntry, divisions: list[Division]) -> Division | None:
    key = heading_key(entry.title)
    candidates = [d for d in divisions if d.type != "contents" and d.heads]
    for division in candidates:
        if heading_key(division.head_text()) == key:
            return division
    if entry.number:
        numbered = [d for d in candidates if d.n == entry.number]
        if len(numbered) == 1:
            return numbered[0]
    part = named_part(entry.title)
    if part:
        named = [d for d in candidates if d.type == part]
        if named:
            return named[0]
    return None
