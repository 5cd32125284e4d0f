"""Page furniture found by position: running heads and feet, page numbers, heading sizes.

A running head or foot is a line in the edge block of a page (the lines above the last wide gap
near the top, or below it near the bottom) that recurs — up to its digits — at the same height on
other pages. So a head may be several lines deep, alternate between odd and even pages, carry its
page number glued to a word ("программа23") or as "3/8 file-name site", or be an e-document stamp;
a sentence that happens to recur in the body is never in an edge block, and stays text.
The printed page number is the number on a page's edge whose offset from the physical page index
is shared by most pages ("3" on page 3, "15" on page 13 after two unnumbered plates).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from ..clean.lines import page_number_of
from .reader import PdfLine, PdfPage

MAX_EDGE_LINES = 4          # a head or foot block is at most this many lines deep
EDGE_GAP_PITCH = 1.6        # a gap this many body line pitches wide parts an edge block from the body
SAME_HEIGHT_PT = 2.0        # a recurring line stands at the same height, within this, on every page
MIN_RECURRENCE = 2          # pages a head must recur on
HEADING_SIZE_RATIO = 1.15   # a line this much larger than the body text is a heading candidate
_DIGITS = re.compile(r"\d+")
# Page-number candidates on an edge line: a number standing at either end or glued to a word
# there ("программа23"), or the first of "3/8".
_EDGE_NUMBERS = re.compile(r"^\D{0,3}?(\d{1,4})\b|(\d{1,4})\D{0,3}$|(?<![\d/])(\d{1,4})\s*/\s*\d{1,4}(?!\d)")


@dataclass(frozen=True)
class Placed:
    page: PdfPage
    line: PdfLine
    zone: str  # top | bottom


def analyse_layout(pages: list[PdfPage]) -> dict[str, float]:
    """Sets each line's role and each page's printed number; returns the body text's size and pitch."""
    body_size = _body_size(pages)
    pitch = _line_pitch(pages, body_size)
    edges = [_edge_lines(page, pitch) for page in pages]
    for placed in _recurring(edges):
        placed.line.role = "head" if placed.zone == "top" else "foot"
    _find_page_numbers(pages, edges)
    printed = {page.printed_number for page in pages if page.printed_number}
    for page in pages:
        page.label_misleads = not page.printed_number and page.label in printed
    for page in pages:
        for line in page.lines:
            if line.role == "body" and line.size >= HEADING_SIZE_RATIO * body_size:
                line.role = "heading"
    return {"body_size": body_size, "pitch": pitch}


def _body_size(pages: list[PdfPage]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _line_pitch(pages: list[PdfPage], body_size: float) -> float:
    """The usual distance between two body lines (leading), from consecutive body-size lines."""
    steps = []
    for page in pages:
        for a, b in pairwise(page.lines):
            if abs(a.size - body_size) < 0.2 and abs(b.size - body_size) < 0.2 and 0 < a.y - b.y < 3 * body_size:
                steps.append(a.y - b.y)
    return median(steps) if steps else 1.2 * body_size


def _edge_lines(page: PdfPage, pitch: float) -> list[Placed]:
    """The lines above the last wide gap among the top MAX_EDGE_LINES + 1, and likewise at the bottom."""
    by_height = sorted(page.lines, key=lambda line: -line.y)
    placed = [Placed(page, line, "top") for line in _edge_block(by_height, pitch)]
    bottom = _edge_block(list(reversed(by_height)), pitch)
    taken = {id(p.line) for p in placed}
    placed += [Placed(page, line, "bottom") for line in bottom if id(line) not in taken]
    return placed


def _edge_block(ordered: list[PdfLine], pitch: float) -> list[PdfLine]:
    window = ordered[: MAX_EDGE_LINES + 1]
    last_gap = 0
    for index, (a, b) in enumerate(pairwise(window), start=1):
        if abs(a.y - b.y) > EDGE_GAP_PITCH * pitch:
            last_gap = index
    if len(ordered) <= 1:
        return ordered  # a page with one line: that line is all edge
    return ordered[:last_gap]


def head_key(text: str) -> str:
    """Heads recur letter for letter up to their numbers (page number, "3/8")."""
    return " ".join(_DIGITS.sub(" ", text).split())


def _recurring(edges: list[list[Placed]]) -> list[Placed]:
    """Edge lines whose key recurs at the same height on MIN_RECURRENCE pages or more."""
    groups: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    for page_edges in edges:
        for placed in page_edges:
            key = head_key(placed.line.text)
            if len(re.sub(r"\W", "", key)) >= 2:  # bare numbers are page numbers, found apart
                groups[(placed.zone, key)].append(placed)
    found: list[Placed] = []
    for members in groups.values():
        for cluster in _height_clusters(members):
            if len({p.page.index for p in cluster}) >= MIN_RECURRENCE:
                found.extend(cluster)
    found = _outside_text_block(found, edges)
    return found + _standing_where_heads_stand(groups, found)


def _outside_text_block(found: list[Placed], edges: list[list[Placed]]) -> list[Placed]:
    """A head stands above the text block's first line, a foot below its last: the same lines
    printed at the top of the text block on several pages are text. The text block's edges are
    where most pages' highest and lowest other lines (page numbers aside) stand."""
    taken = {id(p.line) for p in found}
    tops, bottoms = [], []
    for page_edges in edges:
        page = page_edges[0].page if page_edges else None
        if page is None:
            continue
        others = [line.y for line in page.lines if id(line) not in taken and page_number_of(line.text) is None]
        if others:
            tops.append(max(others))
            bottoms.append(min(others))
    if not tops:
        return found
    top, bottom = median(tops), median(bottoms)
    return [p for p in found if (p.line.y > top + SAME_HEIGHT_PT if p.zone == "top" else p.line.y < bottom - SAME_HEIGHT_PT)]


def _standing_where_heads_stand(groups: dict[tuple[str, str], list[Placed]], found: list[Placed]) -> list[Placed]:
    """An edge line printed once, exactly where other pages' running heads stand (the even-page
    head of a three-page document, a chapter's own head): a head too."""
    heights = {(p.zone, round(p.line.y / SAME_HEIGHT_PT)) for p in found}
    taken = {id(p.line) for p in found}
    return [placed for members in groups.values() for placed in members
            if id(placed.line) not in taken and any((placed.zone, round(placed.line.y / SAME_HEIGHT_PT) + step) in heights
                                                    for step in (-1, 0, 1))]


def _height_clusters(members: list[Placed]) -> list[list[Placed]]:
    clusters: list[list[Placed]] = []
    for placed in sorted(members, key=lambda p: p.line.y):
        if clusters and placed.line.y - clusters[-1][-1].line.y <= SAME_HEIGHT_PT:
            clusters[-1].append(placed)
        else:
            clusters.append([placed])
    return clusters


def _candidates(placed: Placed) -> list[int]:
    text = placed.line.text
    standalone = page_number_of(text)
    if standalone is not None:
        return [int(standalone)]
    if placed.line.role == "body":
        return []  # a number in an edge line that is neither a head nor a page number is text
    return [int(g) for m in _EDGE_NUMBERS.finditer(text) for g in m.groups() if g]


def _find_page_numbers(pages: list[PdfPage], edges: list[list[Placed]]) -> None:
    """Offsets (printed − physical) voted by the pages; each page takes its number whose offset
    is the best supported one (at least two pages, or the only page)."""
    votes: Counter[int] = Counter()
    per_page: list[list[tuple[int, Placed]]] = []
    for page_edges in edges:
        options = [(value, placed) for placed in page_edges for value in _candidates(placed)]
        per_page.append(options)
        for offset in {value - placed.page.index for value, placed in options}:
            votes[offset] += 1
    needed = min(MIN_RECURRENCE, len(pages))
    for page, options in zip(pages, per_page, strict=True):
        supported = [(votes[value - page.index], value, placed) for value, placed in options
                     if votes[value - page.index] >= needed and value > 0]
        if not supported:
            continue
        _, value, _ = max(supported, key=lambda s: s[0])
        page.printed_number = str(value)
        for number, placed in options:  # printed twice ("1/2" in the head, "1" at the foot): both are furniture
            if number == value and placed.line.role == "body":
                placed.line.role = "pagenum"


def body_lines(page: PdfPage) -> list[PdfLine]:
    return [line for line in page.lines if line.role in ("body", "heading")]
