"""Clean paragraphs derived from the raw corpus, kept only where we are confident.

002 stores one paragraph per line (a Word export): a line is kept when it is long prose.
000, 001 and 003 are wrapped PDF text: lines are unwrapped into paragraphs, a paragraph ending
at a short line that closes a sentence; a paragraph is kept only when no line in it ends with a
hyphen (no decision needed), no line is a bare number (page furniture), no inner line is
short (a heading swept in) and it has 3+ lines.
004 (syllable-split) is never used.
"""

from __future__ import annotations

import re
from pathlib import Path
from statistics import median

CORPUS_DIR = Path(__file__).resolve().parents[2] / "input"  # the five samples, as shipped in the repo
PROSE_DOCS = ("000", "001", "002", "003")
_SENTENCE_END = re.compile(r"[.!?»)]$")
_SPACES = re.compile(r"\s+")


def corpus_texts(corpus_dir: Path = CORPUS_DIR) -> dict[str, str]:
    """Raw corpus texts keyed by their three-digit document number."""
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(corpus_dir.glob("*.txt"))}


def is_prose(text: str, min_length: int = 200) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return (
        len(text) >= min_length
        and bool(letters)
        and cyrillic / len(letters) > 0.9
        and _SENTENCE_END.search(text) is not None
    )


def one_line_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text that stores one paragraph per line (002)."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if is_prose(line)]


def unwrapped_paragraphs(text: str) -> list[str]:
    """Confident paragraphs of a wrapped text (000, 001, 003)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return []
    full_width = median(len(line) for line in lines)
    paragraphs: list[str] = []
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(line) < 0.8 * full_width and _SENTENCE_END.search(line):
            paragraphs.extend(_confident(block, full_width))
            block = []
    return paragraphs


def _confident(block: list[str], full_width: float) -> list[str]:
    if len(block) < 3:
        return []
    if any(len(line) < 0.6 * full_width for line in block[:-1]):
        return []  # a short inner line: a heading or list item was swept in
    if any(line.endswith("-") or line.isdigit() for line in block):
        return []
    text = _SPACES.sub(" ", " ".join(block)).strip()
    return [text] if is_prose(text) else []


def clean_paragraphs(texts: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Clean paragraphs per document number."""
    texts = texts if texts is not None else corpus_texts()
    result: dict[str, list[str]] = {}
    for doc in PROSE_DOCS:
        if doc not in texts:
            continue
        extract = one_line_paragraphs if doc == "002" else unwrapped_paragraphs
        result[doc] = extract(texts[doc])
    return result
