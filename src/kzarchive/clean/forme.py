"""Page furniture: page-number lines, running heads and feet, form feeds, separators.

Classification only: lines keep their text; the paragraph builder turns them into <pb>/<fw>.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from statistics import median

from .lines import Line, is_separator, page_number_of

_EDGE_NUMBER = re.compile(r"^\s*(\d{1,4})\s+(?=\S)|(?<=\S)\s+(\d{1,4})\s*$")
_LIST_START = re.compile(r"^\s*(?:[-–—•·▪●]\s|\d{1,3}[.)]\s)")
_SENTENCE_END = re.compile(r"[.!?…:;»\"”)]\s*$")
MAX_PLAUSIBLE_PAGE = 2000


def mark_page_furniture(lines: list[Line], stats: Counter[str]) -> None:
    _mark_page_numbers(lines, stats)
    _mark_recurring_heads(lines, stats)
    _mark_interrupting_heads(lines, stats)
    for line in lines:
        if line.kind == "text" and is_separator(line.raw):
            line.kind = "separator"
            stats["separators"] += 1
        elif line.kind == "formfeed":
            stats["form_feeds"] += 1


def _mark_page_numbers(lines: list[Line], stats: Counter[str]) -> None:
    """A standalone number is a page number when it is plausible and does not run backwards
    against the page numbers already seen (a year or a count on its own line does)."""
    last_page = 0
    for index, line in enumerate(lines):
        if line.kind != "text":
            continue
        number = page_number_of(line.raw)
        if number is None or _is_list_number(lines, index):
            continue
        value = int(number)
        if not 0 < value <= MAX_PLAUSIBLE_PAGE or value < last_page:
            continue
        line.kind, line.page = "pagenum", number
        last_page = value
        stats["page_numbers"] += 1


def _is_list_number(lines: list[Line], index: int) -> bool:
    """'3' alone followed by '4' alone is a column of figures, not page numbers."""
    window = lines[max(0, index - 3): index + 4]
    neighbours = [ln for ln in window if ln.kind in ("text", "pagenum") and ln is not lines[index]]
    return sum(1 for ln in neighbours if page_number_of(ln.raw) is not None) >= 2


def _head_key(text: str) -> str:
    """Heads recur letter for letter (case included), only their page number changes."""
    without_numbers = _EDGE_NUMBER.sub(" ", text)
    return " ".join(without_numbers.split())


def _mark_recurring_heads(lines: list[Line], stats: Counter[str]) -> None:
    """Lines that recur (up to a changing page number), a page apart, at page boundaries, are
    running heads or feet. Repeated lines of the text itself (questionnaire options, refrains)
    recur close together or inside paragraphs, and stay text."""
    positions: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if line.kind == "text":
            positions.setdefault(_head_key(line.raw), []).append(index)
    text_indices = [i for i, ln in enumerate(lines) if ln.kind == "text"]
    edges = (text_indices[0], text_indices[-1]) if text_indices else (0, 0)
    for key, places in positions.items():
        if not _is_recurring_head(key, places, lines, edges):
            continue
        for index in places:
            _mark_head(lines, index, stats)


def _is_recurring_head(key: str, places: list[int], lines: list[Line], edges: tuple[int, int]) -> bool:
    if len(places) < 2 or len(key) < 8 or len(key.split()) < 2 or _LIST_START.match(lines[places[0]].raw):
        return False
    if key[:1].islower():
        return False  # a head does not start in lower case; a recurring phrase in running text does
    if sum(1 for i in places if _at_page_boundary(lines, i)) < 0.6 * len(places):
        return False
    pages = _page_clusters(places)
    if len(pages) >= 3:
        gaps = sorted(b[0] - a[-1] for a, b in pairwise(pages))
        return gaps[len(gaps) // 2] >= 10  # repeats are a page apart, not lines apart
    # Two pages only: believe it when the head carries page numbers that go up, or stands
    # against a page number or the edge of the file each time.
    numbers = [_edge_number(lines[i].raw) for i in places]
    first, last = numbers[0], numbers[-1]
    if len(pages) == 2 and all(numbers) and first and last and int(last) > int(first):
        return True
    return len(pages) == 2 and all(_at_strong_boundary(lines, i, edges) for i in places)


def _at_strong_boundary(lines: list[Line], index: int, edges: tuple[int, int]) -> bool:
    """The first or last text line of the file, or within two lines of a page number."""
    near = lines[max(0, index - 2): index + 3]
    return index in edges or any(ln.kind in ("pagenum", "formfeed") for ln in near)


def _page_clusters(places: list[int]) -> list[list[int]]:
    """Occurrences a few lines apart (a foot and the next page's head) count as one page turn."""
    clusters: list[list[int]] = []
    for index in places:
        if clusters and index - clusters[-1][-1] <= 5:
            clusters[-1].append(index)
        else:
            clusters.append([index])
    return clusters


def _edge_number(text: str) -> str | None:
    edge = _EDGE_NUMBER.search(text)
    return (edge.group(1) or edge.group(2)) if edge else None


def _at_page_boundary(lines: list[Line], index: int) -> bool:
    """Next to a page number, a form feed, a blank line or the edge of the file, or carrying a number."""
    if _EDGE_NUMBER.search(lines[index].raw):
        return True
    for offset in (-2, -1, 1, 2):
        position = index + offset
        if not 0 <= position < len(lines):
            return True
        if lines[position].kind in ("pagenum", "formfeed", "blank") and abs(offset) == 1:
            return True
        if lines[position].kind in ("pagenum", "formfeed"):
            return True
    return False


def _mark_head(lines: list[Line], index: int, stats: Counter[str]) -> None:
    line = lines[index]
    line.kind = "footer" if _ends_page(lines, index) else "header"
    line.page = _edge_number(line.raw) or ""
    stats["running_" + line.kind + "s"] += 1


def _ends_page(lines: list[Line], index: int) -> bool:
    """A foot comes just before a page boundary (a page number, form feed or blank run)."""
    for following in lines[index + 1: index + 3]:
        if following.kind in ("pagenum", "formfeed"):
            return True
        if following.kind == "text":
            return False
    return False


def _mark_interrupting_heads(lines: list[Line], stats: Counter[str]) -> None:
    """A running head printed once, cutting a sentence in two (as in a journal whose header line
    lands between the halves of a sentence): much longer than the text block's lines, standing
    alone, with the sentence continuing in lower case after it."""
    text_lengths = [len(ln.text) for ln in lines if ln.kind == "text"]
    if len(text_lengths) < 20:
        return
    typical = median(text_lengths)
    if typical > 120:
        return  # one paragraph per line: long lines are the text itself
    for index, line in enumerate(lines):
        if line.kind != "text" or len(line.text) < 1.4 * typical or not line.text[:1].isupper():
            continue
        if _SENTENCE_END.search(line.raw):
            continue
        before = _neighbour_text(lines, index, -1)
        after = _neighbour_text(lines, index, +1)
        if before is None or after is None:
            continue
        if _SENTENCE_END.search(before.raw) or not after.text[:1].islower():
            continue
        if lines[index + 1].kind != "blank":
            continue  # a head stands alone; a wrapped paragraph line runs on
        line.kind = "header"
        stats["running_headers"] += 1


def _neighbour_text(lines: list[Line], index: int, step: int) -> Line | None:
    position = index + step
    while 0 <= position < len(lines):
        if lines[position].kind == "text":
            return lines[position]
        if lines[position].kind not in ("blank", "pagenum"):
            return None
        position += step
    return None


def typical_width(lines: list[Line]) -> float:
    lengths = sorted(len(ln.text) for ln in lines if ln.kind == "text")
    if not lengths:
        return 80.0
    return float(lengths[int(0.9 * (len(lengths) - 1))])
