"""Unwrap source lines into blocks (paragraphs, heading lines, list items).

The extraction style is read from the text itself, in a window around each line, never from the
file name: a blank line after every line, blank lines between paragraphs, no blank lines at all,
or one paragraph per line. Page furniture between two lines of one paragraph stays inside it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Block, FormeWork, Inline, LineBreak, LineEnd, PageBreak, Text
from .forme import typical_width
from .hyphenation import HyphenDecision
from .lines import Line

HyphenDecide = Callable[[str, str], HyphenDecision]

_TERMINAL = re.compile(r"[.!?…:;»\"”)]$")
_SENTENCE_END = re.compile(r"[.!?…»\"”)]$")
_LIST_MARKER = re.compile(r"^(?:[-–—•·▪●]\s+\S|\d{1,3}[.)]\s+\S|\d{1,3}\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ«]|[а-яәғқңөұүһі]\)\s+\S)")
_BULLET_OR_DASH = re.compile(r"^[-–—•·▪●]\s+\S")
_BULLET = re.compile(r"^[•·▪●]\s+")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+[^\W\d_]")
_WINDOW = 40


@dataclass
class _Pending:
    """Lines of the block being built, with page furniture met between them."""

    lines: list[Line] = field(default_factory=list)
    furniture: dict[int, list[Line]] = field(default_factory=dict)  # index of line before → furniture after it


@lru_cache(maxsize=65536)
def is_caps_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 5 and sum(ch.isupper() for ch in letters) >= 0.85 * len(letters)


def build_blocks(lines: list[Line], decide_hyphen: HyphenDecide, stats: Counter[str]) -> list[Block]:
    builder = _BlockBuilder(lines, decide_hyphen, stats)
    return builder.run()


class _BlockBuilder:
    def __init__(self, lines: list[Line], decide_hyphen: HyphenDecide, stats: Counter[str]) -> None:
        self.lines = lines
        self.decide_hyphen = decide_hyphen
        self.stats = stats
        self.width = typical_width(lines)
        self.text_lengths = sorted(len(line.text) for line in lines if line.kind == "text")
        self.blank_after = self._blank_after_flags()
        self.blocks: list[Block] = []

    # ---- style -------------------------------------------------------------------------------

    def _blank_after_flags(self) -> list[bool]:
        flags = []
        for index, line in enumerate(self.lines):
            following = self.lines[index + 1] if index + 1 < len(self.lines) else None
            flags.append(line.kind == "text" and following is not None and following.kind == "blank")
        return flags

    def _blanks_meaningful(self, index: int) -> bool:
        """Blank lines separate paragraphs unless (nearly) every line is followed by one."""
        window = range(max(0, index - _WINDOW), min(len(self.lines), index + _WINDOW))
        text_lines = [i for i in window if self.lines[i].kind == "text"]
        if not text_lines:
            return True
        followed = sum(1 for i in text_lines if self.blank_after[i])
        return followed / len(text_lines) < 0.6

    def _one_paragraph_per_line(self) -> bool:
        if not self.text_lengths:
            return False
        long_lines = sum(1 for n in self.text_lengths if n > 200)
        return long_lines / len(self.text_lengths) > 0.25

    # ---- the walk ----------------------------------------------------------------------------

    def run(self) -> list[Block]:
        self.per_line = self._one_paragraph_per_line()
        pending = _Pending()
        gap: list[Line] = []  # non-text lines since the last text line
        for index, line in enumerate(self.lines):
            if line.kind != "text":
                gap.append(line)
                continue
            if pending.lines and not self._breaks(pending.lines, line, gap, index):
                furniture = [g for g in gap if g.kind not in ("blank",)]
                if self._silent_page_turn(gap, index):
                    furniture = [Line(gap[0].no, "", "pageturn")]
                    self.stats["unnumbered_page_turns"] += 1
                if furniture:
                    pending.furniture[len(pending.lines) - 1] = furniture
            else:
                self._flush(pending)
                self._emit_furniture(gap)
                pending = _Pending()
            pending.lines.append(line)
            gap = []
        self._flush(pending)
        self._emit_furniture(gap)
        return self.blocks

    def _silent_page_turn(self, gap: list[Line], index: int) -> bool:
        """A blank line inside a sentence, where blank lines otherwise separate paragraphs, is
        where a page (or column) without a printed number turned: kept as an unnumbered <pb/>."""
        return bool(gap) and all(g.kind == "blank" and not g.placed for g in gap) and self._blanks_meaningful(index)

    def _breaks(self, block: list[Line], b: Line, gap: list[Line], index: int) -> bool:
        """Does line b start a new block after the lines of the current one?"""
        a = block[-1]
        at, bt = a.text, b.text
        blanks = sum(1 for g in gap if g.kind == "blank")
        if any(g.kind == "separator" for g in gap):
            return True
        if FIGURE_CAPTION.fullmatch(at) or FIGURE_CAPTION.fullmatch(bt):
            return True  # "Сурет 18" stands alone where the picture was
        if is_caps_line(at) != is_caps_line(bt):
            return True
        if is_caps_line(at) and is_caps_line(bt):
            return blanks > 1 and not self._blanks_meaningful(index) or (blanks > 0 and self._blanks_meaningful(index))
        if _LIST_MARKER.match(bt) and (
            _TERMINAL.search(at) or a.trailing_spaces >= 2 or len(at) < 0.6 * self.width
            or _BULLET_OR_DASH.match(bt) and _BULLET_OR_DASH.match(block[0].text)  # the next option of a list
        ):
            return True
        if at.endswith("-") and bt[:1].islower():
            return False
        if _NUMBERED_HEADING.match(bt) and (_TERMINAL.search(at) or len(at) < 0.6 * self.width):
            return True
        if _ends_numbered_heading(block, b):
            return True
        if self.per_line:
            return True
        lower_start = bt[:1].islower()
        if blanks and self._blanks_meaningful(index):
            return not (not _TERMINAL.search(at) and lower_start)
        if a.trailing_spaces >= 2 and not lower_start and not at.endswith((",", "-")) \
                and not _sentence_goes_on(at, bt):
            return True  # extractors pad a paragraph's last line
        if len(at) < 0.5 * self.width and not lower_start and not at.endswith(","):
            return True
        if not _SENTENCE_END.search(at) and not at.endswith(":"):
            return False
        if lower_start:
            return False
        return (
            len(at) < 0.85 * self.width
            or a.trailing_spaces >= 2
            or b.indent > max(a.indent, 0) + 1
            or blanks >= 2
        )

    # ---- output ------------------------------------------------------------------------------

    def _emit_furniture(self, gap: list[Line]) -> None:
        inlines = furniture_inlines([g for g in gap if g.kind != "blank"])
        if inlines:
            line = next(g for g in gap if g.kind != "blank")
            self.blocks.append(Block("milestone", inlines, line.no, line.no))

    def _flush(self, pending: _Pending) -> None:
        if not pending.lines:
            return
        inlines: list[Inline] = []
        for position, line in enumerate(pending.lines):
            text = line.text
            following = pending.lines[position + 1] if position + 1 < len(pending.lines) else None
            if following is None:
                inlines.append(Text(text))
                break
            furniture = furniture_inlines(pending.furniture.get(position, []))
            text, line_end, confidence = self._line_end(text, following.text)
            inlines.append(Text(text))
            inlines.append(LineBreak(line_end, line.no, confidence))
            for node in furniture:
                if isinstance(node, PageBreak):
                    node.inside_word = line_end in ("hyphen-break", "hyphen-kept", "joined")
            inlines.extend(furniture)
        block = Block("p", merge_text(inlines), pending.lines[0].no, pending.lines[-1].no)
        if _BULLET.match(pending.lines[0].text):
            block.kind, block.rend = "item", "bulleted"
        self.blocks.append(block)
        self.stats["blocks"] += 1
        self.stats["joined_lines"] += len(pending.lines) - 1

    def _line_end(self, text: str, next_text: str) -> tuple[str, LineEnd, float | None]:
        """Decide what the end of a wrapped line was: a space, a break hyphen or a real hyphen
        (with the resolver's confidence)."""
        if _joins_without_space(text, next_text):
            self.stats["line_ends_joined"] += 1
            return text, "joined", None
        if not (text.endswith("-") and len(text) > 1 and text[-2].isalnum() and next_text[:1].isalnum()):
            return text, "space", None
        left = text[:-1].split()[-1] if text[:-1].split() else ""
        right = next_text.split()[0]
        decision = self.decide_hyphen(left, right)
        if not decision.join:
            return text, "space", None
        if decision.keep_hyphen:
            self.stats["hyphens_kept"] += 1
            return text, "hyphen-kept", decision.confidence
        self.stats["hyphens_joined"] += 1
        return text[:-1], "hyphen-break", decision.confidence


# Quotes and brackets that open (a line end after one leaves no space inside: "«⏎Абай жолы»") and
# close ("жолы⏎»"); “ and ‘ open in Russian typography and close in English, so they are not here.
_OPENING = frozenset("«„([{")
_CLOSING = frozenset("»)]}")
_DASHES = frozenset("–—")


def _joins_without_space(text: str, next_text: str) -> bool:
    """A line end that is no space: after an opening quote or bracket, before a closing one, and at
    an en or em dash between numbers or names written without spaces ("1911–⏎1915",
    "Достық–⏎Алашаңқай")."""
    if not text or not next_text:
        return False
    if text[-1] in _OPENING or next_text[0] in _CLOSING:
        return True
    if text[-1] not in _DASHES or len(text) < 2 or text[-2].isspace():
        return False
    before, after = text[:-1].split()[-1].lstrip("".join(_OPENING)), next_text.split()[0]
    if not before or not after:
        return False
    if before[-1].isdigit() and after[0].isdigit():
        return True
    return before[0].isupper() and before[-1].isalpha() and after[0].isupper()


# A figure caption on a line of its own: the picture did not survive the extraction, its label did.
FIGURE_CAPTION = re.compile(
    r"(?:Сурет|Рисунок|Рис\.|Figure|Fig\.|Диаграмма|Схема)\s*\d{1,3}(?:\.\d{1,2})?[.:]?"
    r"(?:\s*(?:[–—:.]|-(?=\s))\s*[^\W\d_][^.!?]{0,100}\.?)?")  # a title only after a dash, colon or full stop


# what starts a line that goes on with the sentence before it: a citation, a name's initials
_SENTENCE_CONTINUATION = re.compile(r"^(?:\[|[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.\s?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.)")


def _sentence_goes_on(at: str, bt: str) -> bool:
    """Line a does not end its sentence although it is padded with spaces: a bracket is still
    open ("[205,⏎1 б.]"), or no sentence end and the next line starts with a citation or initials
    ("…назар аударды⏎[6,46].", "…министрі⏎Қ.К. Тоқаевтың")."""
    if at.count("[") > at.count("]") or at.count("(") > at.count(")"):
        return True
    return not _TERMINAL.search(at) and bool(_SENTENCE_CONTINUATION.match(bt))


def _ends_numbered_heading(block: list[Line], b: Line) -> bool:
    """A numbered heading runs over at most three lines and has no final stop; the capitalised
    line after it starts the text."""
    if len(block) > 3 or not _NUMBERED_HEADING.match(block[0].text):
        return False
    last = block[-1].text
    return b.text[:1].isupper() and not last.endswith(("-", ",", ".")) and not b.text[:1].isdigit()


def furniture_inlines(furniture: list[Line]) -> list[Inline]:
    """Page furniture as milestones: a page-number line is <pb n/> + <fw type="pageNum">, a head
    is <fw> (with a <pb> when it carries the page number), a form feed an unnumbered <pb/>."""
    inlines: list[Inline] = []
    for line in furniture:
        if line.kind == "pageturn":
            inlines.append(PageBreak(None))
        elif line.kind == "pagenum":
            inlines += [PageBreak(line.page), FormeWork("pageNum", line.text)]
        elif line.kind in ("header", "footer"):
            if line.page and not any(isinstance(n, PageBreak) and n.n == line.page for n in inlines):
                inlines.append(PageBreak(line.page))
            inlines.append(FormeWork(line.kind, line.text))
        elif line.kind == "formfeed":
            inlines.append(PageBreak(None))
        elif line.kind == "separator":
            inlines.append(FormeWork("separator", line.text))
        elif line.kind == "pdfpage":
            inlines.append(PageBreak(line.page or None, facs=line.facs))
        elif line.kind == "folio":
            inlines.append(FormeWork("pageNum", line.text))
    if any(line.placed for line in furniture):
        return inlines  # the PDF says where its pages turn
    return _page_turn_at_heads(inlines)


def _page_turn_at_heads(inlines: list[Inline]) -> list[Inline]:
    """A running head or foot without a page number still means the page turned there: an
    unnumbered <pb/> after the last foot, else before the first head."""
    if any(isinstance(node, PageBreak) for node in inlines):
        return inlines
    heads = [i for i, node in enumerate(inlines) if isinstance(node, FormeWork) and node.kind in ("header", "footer")]
    if not heads:
        return inlines
    feet = [i for i in heads if isinstance(node := inlines[i], FormeWork) and node.kind == "footer"]
    position = feet[-1] + 1 if feet else heads[0]
    return inlines[:position] + [PageBreak(None)] + inlines[position:]


def merge_text(inlines: list[Inline]) -> list[Inline]:
    """Adjacent text nodes as one; empty ones dropped. Linear: runs are joined once."""
    merged: list[Inline] = []
    run: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            run.append(node.text)
            continue
        if run:
            text = "".join(run)
            if text:
                merged.append(Text(text))
            run = []
        merged.append(node)
    text = "".join(run)
    if text:
        merged.append(Text(text))
    return merged
