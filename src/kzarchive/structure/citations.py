"""Bracket citations "[5,347-348]", "[29]", "[197, 232 б.]", "[1; 3]" → <ref type="bibl"> to the
entries of the same work's reference list (an article's own list in a journal issue).

A citation is linked only when every number in it names exactly one entry in scope; otherwise it
stays plain text. The whole printed citation, brackets and pages included, is the ref's content.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..clean.pieces import Atom, atomise, rebuild
from ..model import BiblList, Block, Division, Node, Ref, StructuredDocument
from .ids import iter_blocks

_CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*[^\[\]\x00\n]{0,60})?)\]")
_PART_NUMBER = re.compile(r"^\s*(\d{1,3})(?!\d)")

EntryIndex = dict[str, list[Block]]


def link_citations(document: StructuredDocument) -> Counter[str]:
    """Link citations in each scope; returns counts of 'resolved' and 'unresolved' citations."""
    counts: Counter[str] = Counter()
    for nodes, index in _scopes(document):
        for block in iter_blocks(nodes):
            if block.kind not in ("bibl", "milestone"):
                _link_block(block, index, counts)
    return counts


def _scopes(document: StructuredDocument) -> list[tuple[list[Node], EntryIndex]]:
    """An article of a journal issue is its own scope; otherwise the whole work is one."""
    nodes = document.front + document.body + document.back
    articles = [n for n in document.body if isinstance(n, Division) and n.type == "article"]
    if articles:
        return [([article], _entry_index([article])) for article in articles]
    return [(nodes, _entry_index(nodes))]


def _entry_index(nodes: list[Node]) -> EntryIndex:
    index: EntryIndex = defaultdict(list)
    for bibl_list in _bibl_lists(nodes):
        for entry in bibl_list.entries:
            if entry.number and entry.xml_id:
                index[entry.number].append(entry)
    return index


def _bibl_lists(nodes: list[Node]) -> list[BiblList]:
    found: list[BiblList] = []
    for node in nodes:
        if isinstance(node, BiblList):
            found.append(node)
        elif isinstance(node, Division):
            found.extend(_bibl_lists(node.children))
    return found


def cited_numbers(citation: str) -> list[str] | None:
    """The entry numbers a citation's text names ("5,347-348" → ["5"]; "1; 3" → ["1", "3"])."""
    numbers = []
    for part in citation.split(";"):
        match = _PART_NUMBER.match(part)
        if not match:
            return None
        numbers.append(str(int(match.group(1))))
    return numbers


def _link_block(block: Block, index: EntryIndex, counts: Counter[str]) -> None:
    atoms = atomise(block.inlines)
    view = "".join(char if node is None else "\x00" for char, node in atoms)
    spans: list[tuple[int, int, str]] = []
    for match in _CITATION.finditer(view):
        numbers = cited_numbers(match.group(1))
        if numbers is None:
            continue
        targets = [index[n][0].xml_id for n in numbers if len(index.get(n, [])) == 1]
        if len(targets) != len(numbers):
            counts["unresolved"] += 1
            continue
        counts["resolved"] += 1
        spans.append((match.start(), match.end(), " ".join(f"#{t}" for t in targets)))
    if spans:
        block.inlines = _wrap(atoms, spans)


def _wrap(atoms: list[Atom], spans: list[tuple[int, int, str]]) -> list:
    out: list[Atom] = []
    position = 0
    for start, end, target in spans:
        out.extend(atoms[position:start])
        out.append(("", Ref(target, rebuild(atoms[start:end]), type="bibl")))
        position = end
    out.extend(atoms[position:])
    return rebuild(out)
