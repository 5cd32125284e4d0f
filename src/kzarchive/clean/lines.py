"""Source lines and their first classification: blank, page number, separator, text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# pdfpage, folio: a PDF page's start and its printed page number, placed by the PDF reader (pdf/).
LineKind = Literal["text", "blank", "pagenum", "header", "footer", "separator", "formfeed", "pageturn", "debris",
                   "pdfpage", "folio"]

# "14", "- 14 -", "— 14 —", "14 бет", "бет 14", "PAGE 3" (a Word field left in scraped text).
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(\d{1,4})(?:\s*[-–—])?\s*$"
    r"|^\s*(\d{1,4})\s*(?:-?\s*бет|б\.)\s*$"
    r"|^\s*(?:бет|стр\.?|с\.)\s*(\d{1,4})\s*$"
    r"|^\s*PAGE\s+(\d{1,4})\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*[_\-–—=*·.]{5,}\s*$")


@dataclass
class Line:
    no: int                 # 1-based line number in the source
    raw: str                # the line as read (after character hygiene)
    kind: LineKind = "text"
    page: str = ""          # page number, for pagenum lines and heads carrying one
    facs: str = ""          # for pdfpage lines: the id of the page's <surface>
    placed: bool = False    # its page is known from a PDF: no page turn is guessed around it

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" "))

    @property
    def trailing_spaces(self) -> int:
        return len(self.raw) - len(self.raw.rstrip(" "))


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        # A form feed is a page boundary; text on either side of it stays on its own line.
        parts = raw.split("\f")
        for index, part in enumerate(parts):
            if index > 0:
                lines.append(Line(number, "", "formfeed"))
            lines.append(Line(number, part, "text" if part.strip() else "blank"))
    return lines


def page_number_of(text: str) -> str | None:
    match = _PAGE_NUMBER.match(text)
    if not match:
        return None
    return next(group for group in match.groups() if group)


def is_separator(text: str) -> bool:
    return bool(_SEPARATOR.match(text))
