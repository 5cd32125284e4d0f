"""Which blocks are headings, of what kind and depth, and which lines name authors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean.paragraphs import is_caps_line
from ..model import Block

# Named parts of Kazakh (and Russian) theses and books → (div type, depth).
_NAMED_PARTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(кіріспе|введение)$"), "introduction"),
    (re.compile(r"^(қорытынды|заключение)$"), "conclusion"),
    (re.compile(r"^(жоспар|мазмұны|мазмұн|содержание|оглавление)$"), "contents"),
    (re.compile(r"^(пайдаланылған\s+)?(әдебиеттер|әдебиет)(\s+тізімі)?$|^(список\s+)?(использованной\s+)?литератур[аы]$"
                r"|^(список\s+литературы)$|^библиография$"), "bibliography"),
    (re.compile(r"^(интернет\s+сайттары|арнайы\s+әдебиеттер|интернет[- ]ресурсы|деректемелер|мерзімдік\s+басылымдар"
                r"|периодические\s+издания|internet\s+sources)$"), "bibliography-part"),
    (re.compile(r"^(қосымша|қосымшалар|приложение)(\s+[а-яa-z0-9]+)?$"), "appendix"),
    (re.compile(r"^(анықтамалар|белгілеулер\s+мен\s+қысқартулар|нормативтік\s+сілтемелер|қысқартулар)$"), "glossary"),
]
_CHAPTER = re.compile(r"^(\d{1,2})\s*(?:-\s*)?тарау\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$")
_AUTHOR = re.compile(
    r"^(?:[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ][a-zа-яәғқңөұүһіё]+(?:-[A-ZА-ЯӘҒҚҢӨҰҮҺІ][a-zа-яәғқңөұүһіё]+)?\s+"
    r"[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.\s?(?:[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.)?"
    r"|[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.\s?(?:[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.\s?)?[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ][a-zа-яәғқңөұүһіё]+)$"
)
MAX_HEADING_CHARS = 300


@dataclass(frozen=True)
class HeadingInfo:
    div_type: str   # introduction, chapter, section, subsection, caps, …
    level: int      # 1 = top
    number: str     # printed number ("1.2"), "" when none


def named_part(text: str) -> str | None:
    key = " ".join(re.sub(r"[^\w\s-]", " ", text).casefold().split())
    for pattern, div_type in _NAMED_PARTS:
        if pattern.match(key):
            return div_type
    return None


def heading_key(text: str) -> str:
    """A heading's text for matching against a contents entry: no printed number, case or punctuation."""
    text = re.sub(r"^\s*(?:\[[\d.]+\]\s*)?(?:\d{1,2}(?:\.\d{1,2})*\.?\s*(?:тарау\.?)?\s*)?", "", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


def classify_heading(block: Block, known: dict[str, HeadingInfo] | None = None) -> HeadingInfo | None:
    """The heading a block is, if any. `known` maps heading_key() of titles a contents list names to the
    heading they are, so a heading the patterns miss ("2. ТМД …" without capitals) is still found."""
    if block.kind != "p":
        return None
    text = block.plain_text().strip()
    if not text or len(text) > MAX_HEADING_CHARS or text.startswith("["):
        return None
    if known and heading_key(text) in known and _looks_like_title(text):
        return known[heading_key(text)]
    part = named_part(text)
    if part:
        return HeadingInfo(part, 1, "")
    chapter = _CHAPTER.match(text)
    if chapter:
        return HeadingInfo("chapter", 1, chapter.group(1))
    if text.endswith((".", "?", "!", ",", ";", ":")) and not is_caps_line(text):
        return None
    numbered = _NUMBERED.match(text)
    if numbered and numbered.group(2)[:1].isupper():
        number = numbered.group(1)
        depth = number.count(".") + 1
        if depth == 1 and not is_caps_line(numbered.group(2)):
            return None  # "3 Басқа мемлекеттердің…": a numbered question, not a chapter
        return HeadingInfo(("chapter", "section", "subsection", "subsection")[depth - 1], depth, number)
    if is_caps_line(text) and not text.endswith("."):
        return HeadingInfo("caps", 1, "")
    return None


def is_author_line(block: Block) -> bool:
    return block.kind == "p" and bool(_AUTHOR.match(block.plain_text().strip()))


def _looks_like_title(text: str) -> bool:
    return len(text) <= 200 and not text.endswith((".", ",", ";", ":"))
