"""A page number glued onto a word broken at a page turn: the extractor printed the last line of
a page with the page's number after its hyphen ("зорлық-5") and the word goes on at the top of the
next page ("зомбылыққа"). The number is split off into a page-number line of its own, so that the
page turn is a <pb break="no"/> with its <fw type="pageNum"> and the word is whole again.
It is taken for a page number only when it fits the page numbers found around it.
"""

from __future__ import annotations

import re
from collections import Counter

from .lines import Line

_GLUED = re.compile(r"^(.*[^\W\d_]-)(\d{1,4})\s*$")


def split_glued_page_numbers(lines: list[Line], stats: Counter[str]) -> list[Line]:
    numbers = [(index, int(line.page)) for index, line in enumerate(lines)
               if line.kind == "pagenum" and line.page.isdigit()]
    out: list[Line] = []
    for index, line in enumerate(lines):
        match = _GLUED.match(line.raw) if line.kind == "text" else None
        if match and _next_starts_lower(lines, index) and _fits(int(match.group(2)), index, numbers):
            out.append(Line(line.no, match.group(1), "text"))
            out.append(Line(line.no, match.group(2), "pagenum", page=match.group(2)))
            stats["page_numbers"] += 1
            stats["glued_page_numbers"] += 1
            continue
        out.append(line)
    return out


def _next_starts_lower(lines: list[Line], index: int) -> bool:
    for following in lines[index + 1:]:
        if following.kind == "text":
            return following.text[:1].islower()
    return False


def _fits(number: int, index: int, numbers: list[tuple[int, int]]) -> bool:
    """The page before carries number − 1, or the page after number + 1."""
    before = [value for position, value in numbers if position < index]
    after = [value for position, value in numbers if position > index]
    return bool(before and before[-1] == number - 1 or after and after[0] == number + 1)
