"""Corpus 004 as paragraphs of pieces (line-end hyphens undone the way the cleaner does),
and the hand-checked reference of its first lines (tests/data/004_reference.txt)."""

from __future__ import annotations

import re
from pathlib import Path

CORPUS_004 = next((Path(__file__).resolve().parents[2] / "input").glob("004_*.txt"), Path("/nonexistent"))
REFERENCE = Path(__file__).resolve().parents[2] / "tests" / "data" / "004_reference.txt"


def dehyphenate(lines: list[str]) -> str:
    """Join a paragraph's lines; a line-end hyphen is a break unless an acronym precedes it
    ("КСРО-⏎ға" keeps it, "жет-⏎кіз" becomes "жеткіз")."""
    text = ""
    for line in lines:
        line = line.strip()
        if text.endswith("-") and not re.search(r"[А-ЯЁӘҒҚҢӨҰҮҺІA-Z]{2}-$", text):
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def paragraphs(text: str, first_lines: int | None = None) -> list[list[str]]:
    lines = text.splitlines()[:first_lines]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [dehyphenate(block).split() for block in blocks if block]


def reference_paragraphs() -> list[list[str]]:
    """Reference: one paragraph per blank-line block, true words separated by spaces."""
    blocks = REFERENCE.read_text(encoding="utf-8").split("\n\n")
    return [block.split() for block in blocks if block.strip() and not block.startswith("#")]
