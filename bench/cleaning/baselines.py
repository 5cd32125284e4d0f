"""Reference readers (raw text → paragraphs) to exercise the scorer until the full cleaning
pipeline exists.  They are deliberately simple: they are yardsticks, not the product."""

from __future__ import annotations

import re

from kzarchive.clean.hyphenation import HyphenResolver

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?\s*(?:бет)?\s*$")


def naive_reader(raw: str) -> list[str]:
    """Paragraphs at blank lines; every line-end hyphen dropped; nothing removed."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", raw):
        text = ""
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            text = text[:-1] + line if text.endswith("-") else f"{text} {line}".strip()
        if text:
            paragraphs.append(text)
    return paragraphs


def resolver_reader(raw: str) -> list[str]:
    """Like `naive_reader` but line-end hyphens go through HyphenResolver (default lexicon,
    this document as evidence) and bare page-number lines are dropped."""
    resolver = HyphenResolver(document_text=raw)
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", raw):
        lines = [line for line in block.split("\n") if line.strip() and not _PAGE_NUMBER.match(line)]
        text = resolver.join_lines(lines)
        if text:
            paragraphs.append(text)
    return paragraphs
