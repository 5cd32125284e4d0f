"""Runs of marked blocks → <list>s: "•" bullets, "- " dash lists, numbered items (a numbered
question followed by its dash options is one item with a nested list). The printed marker moves
into the item's label; nothing else of the text changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Block, Division, ListItem, ListNode, Node
from .inlines import leading_text, split_prefix

_MARKERS: dict[str, re.Pattern[str]] = {
    "bulleted": re.compile(r"^\s*([•·▪●])\s*"),
    "dash": re.compile(r"^\s*([-–—])\s+(?=\S|$)"),
    "numbered": re.compile(r"^\s*(\d{1,3}[.)]?)\s+(?=[^\W\d_]|[«\"“(]|$)"),
    "lettered": re.compile(r"^\s*([а-яәғқңөұүһі]\))\s+(?=\S)"),
}
# Lettered items count in the order of the Kazakh alphabet ("а)", "ә)", "б)") or, as many
# Kazakh texts do, of the Russian one ("а)", "б)", "в)").
_KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RUSSIAN_ALPHABET = "абвгдежзийклмнопрстуфхцчшщэюя"


def _next_letters(letter: str) -> set[str]:
    found = set()
    for alphabet in (_KAZAKH_ALPHABET, _RUSSIAN_ALPHABET):
        position = alphabet.find(letter)
        if 0 <= position < len(alphabet) - 1:
            found.add(alphabet[position + 1])
    return found
_SKIPPED_DIVISIONS = {"bibliography", "contents"}


@dataclass(frozen=True)
class Marker:
    rend: str
    number: int = 0
    lettered: bool = False  # "а)", "б)": counted like numbers, never in one list with "1)", "2)"
    letter: str = ""


def marker_of(block: Block) -> Marker | None:
    if block.kind not in ("p", "item"):
        return None
    text = leading_text(block)
    for rend, pattern in _MARKERS.items():
        match = pattern.match(text)
        if match and block.plain_text().strip() != match.group(0).strip():  # a marker with nothing after it is no item
            if rend == "lettered":
                letter = match.group(1)[0]
                return Marker("numbered", _KAZAKH_ALPHABET.index(letter) + 1, lettered=True, letter=letter)
            number = int(re.sub(r"\D", "", match.group(1))) if rend == "numbered" else 0
            return Marker(rend, number)
    return None


def build_lists(nodes: list[Node]) -> list[Node]:
    """Lists in a sequence of nodes and, recursively, in its divisions."""
    for node in nodes:
        if isinstance(node, Division) and node.type not in _SKIPPED_DIVISIONS:
            node.children = build_lists(node.children)
    out: list[Node] = []
    index = 0
    while index < len(nodes):
        found = _list_at(nodes, index)
        if found is None:
            out.append(nodes[index])
            index += 1
            continue
        list_node, index = found
        out.append(list_node)
    return out


def _list_at(nodes: list[Node], start: int) -> tuple[ListNode, int] | None:
    node = nodes[start]
    marker = marker_of(node) if isinstance(node, Block) else None
    if marker is None or not isinstance(node, Block):
        return None
    if marker.rend == "numbered":
        return _numbered_list(nodes, start)
    return _simple_list(nodes, start, marker.rend, minimum=1 if node.kind == "item" else 2)


def _simple_list(nodes: list[Node], start: int, rend: str, minimum: int) -> tuple[ListNode, int] | None:
    """Consecutive blocks with the same bullet or dash (page furniture between them allowed)."""
    members: list[Block] = []
    furniture: dict[int, list[Block]] = {}
    index, end = start, start
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, Block) and node.kind == "milestone":
            index += 1
            continue
        if not isinstance(node, Block):
            break
        marker = marker_of(node)
        if marker is None or marker.rend != rend:
            break
        for between in (nodes[end:index] if members else []):
            furniture.setdefault(len(members) - 1, []).append(between)  # type: ignore[arg-type]
        members.append(node)
        index += 1
        end = index
    if len(members) < minimum:
        return None
    items = [_item(block, rend, furniture.get(position, [])) for position, block in enumerate(members)]
    return ListNode(rend, items), end


def _numbered_list(nodes: list[Node], start: int) -> tuple[ListNode, int] | None:
    """Items numbered n, n+1, …; bullet or dash runs right after an item are its options."""
    items: list[ListItem] = []
    start_node = nodes[start]
    first = marker_of(start_node) if isinstance(start_node, Block) else None
    if first is None:
        return None
    expected = first.number
    first_number = expected
    previous_letter = ""
    index = end = start
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, Block) and node.kind == "milestone" and items:
            index += 1
            continue
        if not isinstance(node, Block):
            break
        marker = marker_of(node)
        if marker is None:
            break
        if marker.rend == "numbered":
            if marker.lettered != first.lettered:
                break  # "2)", "3)", then "в)" is a new level, not item 4
            if marker.lettered and items:
                if marker.letter not in _next_letters(previous_letter):
                    break
            elif marker.number != expected:
                break
            previous_letter = marker.letter
            for between in nodes[end:index]:  # page furniture since the last member: only now inside
                _attach_furniture(items[-1], between)  # type: ignore[arg-type]
            items.append(_item(node, "lettered" if marker.lettered else "numbered", []))
            expected += 1
            index += 1
            end = index
            continue
        if not items:
            break
        options = _simple_list(nodes, index, marker.rend, minimum=1)
        if options is None:
            break
        for between in nodes[end:index]:
            _attach_furniture(items[-1], between)  # type: ignore[arg-type]
        items[-1].sublists.append(options[0])
        index = end = options[1]
    with_options = any(item.sublists for item in items)
    if len(items) >= 3 or (len(items) == 2 and first_number == 1) or (items and with_options):
        return ListNode("numbered", items), end
    return None


def _item(block: Block, rend: str, furniture: list[Block]) -> ListItem:
    """A new item block: the source block stays untouched in case the run is not a list after all."""
    label, inlines = split_prefix(block.inlines, _MARKERS[rend]) or ("", list(block.inlines))
    number = re.sub(r"\D", "", label) if rend == "numbered" else ""
    if rend == "lettered":  # a lettered list is a numbered one whose printed labels are letters
        rend, number = "numbered", str(_KAZAKH_ALPHABET.index(label[0]) + 1) if label else ""
    item = ListItem(replace(block, kind="item", rend=rend, label=label, number=number, inlines=inlines))
    for milestone in furniture:
        _attach_furniture(item, milestone)
    return item


def _attach_furniture(item: ListItem, milestone: Block) -> None:
    """A <list> holds only items: page furniture met between items goes at the end of the last one."""
    target = item
    while target.sublists and target.sublists[-1].items:
        target = target.sublists[-1].items[-1]
    target.block.inlines.extend(milestone.inlines)
