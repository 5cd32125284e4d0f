"""Degradation generator: clean paragraphs → raw "PDF text" with known artefacts, plus gold.

Artefacts: wrapping at a chosen width; typesetter's break hyphens at Kazakh syllable boundaries;
line breaks after the hyphen of real "X-Y" words; page numbers in several styles; running heads
and feet (with or without the page number); three blank-line styles.  Everything is driven by
one `random.Random(seed)`, so the same seed gives the same document.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from kzarchive.lexicon.syllabify import hyphenation_points

BREAK, KEEP = "break", "keep"
PAGE_NUMBER_STYLES = ("plain", "dashes", "em_dashes", "bet", "in_head_start", "in_head_end")
BLANK_STYLES = ("after_every_line", "between_paragraphs", "none")
HEAD_PLACES = ("top", "bottom", "both", "none")
# Running heads are journal and article titles that do not occur in the body text.
RUNNING_HEADS = (
    "ҚазҰУ ХАБАРШЫСЫ. Халықаралық қатынастар сериясы",
    "Тарих және саясаттану журналы",
    "ISSN 1563-0285 Саясаттану сериясы",
    "Әл-Фараби атындағы Қазақ ұлттық университеті",
    "Вестник КазНУ. Серия международные отношения",
)
_TRAILING = "»\"'”’)]}.,;:!?…"
_LEADING = "«\"'“„‘([{"


@dataclass(frozen=True)
class DegradeConfig:
    width: int
    page_number_style: str
    blank_style: str
    head_place: str
    running_head: str
    lines_per_page: int
    hyphenate_rate: float  # how often an overflowing word is hyphenated rather than moved

    @classmethod
    def sample(cls, rng: random.Random) -> DegradeConfig:
        return cls(
            width=rng.randint(50, 90),
            page_number_style=rng.choice(PAGE_NUMBER_STYLES),
            blank_style=rng.choice(BLANK_STYLES),
            head_place=rng.choice(HEAD_PLACES),
            running_head=rng.choice(RUNNING_HEADS),
            lines_per_page=rng.randint(28, 46),
            hyphenate_rate=rng.uniform(0.5, 1.0),
        )


@dataclass
class HyphenCase:
    left: str    # the line's last token, without the line-end hyphen
    right: str   # the next text line's first token
    gold: str    # "break" or "keep"
    word: str    # the token as it stands in the clean text


@dataclass
class Degraded:
    raw: str
    paragraphs: list[str]
    hyphen_cases: list[HyphenCase]
    page_numbers: list[str]       # the numbers printed on pages
    furniture_lines: list[str]    # every inserted page-number / head / foot line, as printed
    running_head: str
    config: DegradeConfig
    extra: dict = field(default_factory=dict)

    def gold_dict(self) -> dict:
        return {
            "paragraphs": self.paragraphs,
            "hyphen_cases": [asdict(case) for case in self.hyphen_cases],
            "page_numbers": self.page_numbers,
            "furniture_lines": self.furniture_lines,
            "running_head": self.running_head,
            "config": asdict(self.config),
        }


def wrap_paragraph(
    paragraph: str, width: int, rng: random.Random, hyphenate_rate: float
) -> tuple[list[str], list[HyphenCase]]:
    """Greedy line filling; an overflowing word is split at a hyphen or a syllable boundary."""
    lines: list[str] = []
    cases: list[HyphenCase] = []
    line = ""
    words = paragraph.split()
    index = 0
    while index < len(words):
        word = words[index]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width or not line and len(word) > width:
            line = candidate
            index += 1
            continue
        split = _split_point(word, width - len(line) - 1, rng, hyphenate_rate)
        if split is None:
            lines.append(line)
            line = ""
            continue
        head, tail, gold = split
        lines.append(f"{line} {head}-")
        cases.append(HyphenCase(left=_last_token(head), right=tail, gold=gold, word=word))
        words[index] = tail  # the rest of the word starts the next line
        line = ""
    if line:
        lines.append(line)
    return lines, cases


def _last_token(head: str) -> str:
    return head  # the head is the whole token up to the hyphen ("«Ор", "орта-азия")


def _split_point(
    word: str, room: int, rng: random.Random, hyphenate_rate: float
) -> tuple[str, str, str] | None:
    """Where to split `word` so that "head-" fits in `room` characters, and the gold label."""
    if room < 3:
        return None
    candidates: list[tuple[int, str]] = []
    # A real hyphen: the line breaks after it, the hyphen stays ("КСРО-⏎ға").
    for offset, ch in enumerate(word):
        if ch == "-" and 0 < offset < len(word) - 1 and word[offset - 1].isalnum() and word[offset + 1].isalnum():
            candidates.append((offset, KEEP))
    if rng.random() < hyphenate_rate:
        start = len(word) - len(word.lstrip(_LEADING))
        end = len(word.rstrip(_TRAILING))
        for part_start, part in _hyphen_free_parts(word, start, end):
            if part.isalpha():
                candidates.extend((part_start + point, BREAK) for point in hyphenation_points(part))
    fitting = [(offset, gold) for offset, gold in candidates if offset + 1 <= room]
    if not fitting:
        return None
    # A typesetter prefers the word's own hyphen to a syllable break.
    offset, gold = max(fitting, key=lambda candidate: (candidate[1] == KEEP, candidate[0]))
    tail_start = offset + 1 if gold == KEEP else offset
    return word[:offset], word[tail_start:], gold


def _hyphen_free_parts(word: str, start: int, end: int) -> list[tuple[int, str]]:
    parts: list[tuple[int, str]] = []
    position = start
    for part in word[start:end].split("-"):
        parts.append((position, part))
        position += len(part) + 1
    return parts


def page_number_line(number: int, style: str, head: str) -> str:
    return {
        "plain": f"{number}",
        "dashes": f"- {number} -",
        "em_dashes": f"— {number} —",
        "bet": f"{number} бет",
        "in_head_start": f"{number} {head}",
        "in_head_end": f"{head} {number}",
    }[style]


def degrade(paragraphs: list[str], seed: int, config: DegradeConfig | None = None) -> Degraded:
    """Typeset `paragraphs` into raw extracted text with known artefacts."""
    rng = random.Random(seed)
    config = config or DegradeConfig.sample(rng)
    text_lines: list[tuple[str, bool]] = []  # (line, ends a paragraph)
    cases: list[HyphenCase] = []
    for paragraph in paragraphs:
        wrapped, paragraph_cases = wrap_paragraph(paragraph, config.width, rng, config.hyphenate_rate)
        cases.extend(paragraph_cases)
        if config.blank_style == "none" and wrapped:
            wrapped[0] = " " * rng.randint(1, 4) + wrapped[0]  # the indent marks the paragraph
        text_lines.extend((line, i == len(wrapped) - 1) for i, line in enumerate(wrapped))
    raw_lines, page_numbers, furniture = _paginate(text_lines, config, rng)
    return Degraded(
        raw="\n".join(raw_lines) + "\n",
        paragraphs=list(paragraphs),
        hyphen_cases=cases,
        page_numbers=page_numbers,
        furniture_lines=furniture,
        running_head=config.running_head,
        config=config,
    )


def _paginate(
    text_lines: list[tuple[str, bool]], config: DegradeConfig, rng: random.Random
) -> tuple[list[str], list[str], list[str]]:
    out: list[str] = []
    page_numbers: list[str] = []
    furniture: list[str] = []
    page = rng.randint(3, 200)
    for start in range(0, len(text_lines), config.lines_per_page):
        page_lines = text_lines[start : start + config.lines_per_page]
        top, bottom = _furniture_for_page(page, config)
        page_numbers.append(str(page))
        furniture.extend(top + bottom)
        out.extend(top + ([""] if top else []))
        for line, ends_paragraph in page_lines:
            out.append(line)
            if config.blank_style == "after_every_line" or (
                config.blank_style == "between_paragraphs" and ends_paragraph
            ):
                out.append("")
        out.extend(([""] if bottom else []) + bottom)
        page += 1
    return out, page_numbers, furniture


def _furniture_for_page(page: int, config: DegradeConfig) -> tuple[list[str], list[str]]:
    """Head lines above and foot lines below the text of one page."""
    head = config.running_head
    style = config.page_number_style
    number_in_head = style in ("in_head_start", "in_head_end")
    number_line = page_number_line(page, style, head)
    top: list[str] = []
    bottom: list[str] = []
    if config.head_place in ("top", "both"):
        top.append(number_line if number_in_head else head)
    if config.head_place in ("bottom", "both"):
        bottom.append(number_line if number_in_head and config.head_place == "bottom" else head)
    if not number_in_head or config.head_place == "none":
        bottom.append(page_number_line(page, "plain" if number_in_head else style, head))
    return top, bottom
