"""Stress texts made in code, each at any size, from the words of the samples in input/.

Shapes (issue 14): lines without blank lines, one huge paragraph, many short lines, a TEI paragraph
with many <lb/>, and a big text made of whole samples. Every text is deterministic (seeded) and
stays under read.py's limits (lines of at most MAX_LINE_CHARS characters, files under
MAX_SOURCE_BYTES), so the pipeline reads them all.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from kzarchive.read import MAX_LINE_CHARS, MAX_SOURCE_BYTES

SAMPLES = Path(__file__).resolve().parents[2] / "input"
SEED = 14  # issue 14
SHORT_LINE_WIDTH = (3, 20)  # characters
LINE_WIDTH = 20  # ~40 bytes a line, as the 40k-line text of the issue (1.6 MB)
LONG_LINE_WIDTH = 8_000  # ~16 KB lines: one paragraph made of few, long lines
SENTENCE_END_SHARE = 0.08  # share of words closing a sentence
TEI_NS = "http://www.tei-c.org/ns/1.0"
_WORD = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]+)?")


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def sample_words() -> list[str]:
    """Every word of the samples, in order: real Kazakh (and some Russian) spelling for the cleaner."""
    words: list[str] = []
    for path in sample_paths():
        words.extend(_WORD.findall(path.read_text(encoding="utf-8")))
    return words


class WordSource:
    """Runs of consecutive sample words (so the language models see real word sequences)."""

    def __init__(self) -> None:
        self.words = sample_words()
        self.rng = random.Random(SEED)
        self.position = 0
        self.sentence_start = True

    def word(self) -> str:
        if self.position >= len(self.words) or self.rng.random() < 0.002:
            self.position = self.rng.randrange(len(self.words))
        self.position += 1
        return self.words[self.position - 1]

    def line(self, width: int, open_end: bool = False) -> str:
        """Words up to `width` characters, sentences closed at random. A line starts in lower case
        unless it starts a sentence; `open_end`: it never ends one, so that the cleaner finds no
        paragraph end at the line break."""
        out: list[str] = []
        length = -1
        while length < width or not out:
            word = self.word()
            word = word[:1].upper() + word[1:] if self.sentence_start else word[:1].lower() + word[1:]
            self.sentence_start = self.rng.random() < SENTENCE_END_SHARE
            out.append(word + "." if self.sentence_start else word)
            length += len(out[-1]) + 1
        if open_end and self.sentence_start:
            out[-1], self.sentence_start = out[-1][:-1], False
        return " ".join(out)


def lines_without_blank_lines(line_count: int) -> str:
    """The issue's 1.6 MB text: 40k lines, no blank line anywhere, no sentence closed at a line end
    (so it is one paragraph of 40k source lines)."""
    source = WordSource()
    return "\n".join(source.line(LINE_WIDTH, open_end=True) for _ in range(line_count)) + "\n"


def one_paragraph(size_bytes: int) -> str:
    """One paragraph of `size_bytes`: long lines, never a blank line."""
    source = WordSource()
    lines: list[str] = []
    total = 0
    while total < size_bytes:
        line = source.line(LONG_LINE_WIDTH, open_end=True)[:MAX_LINE_CHARS]
        lines.append(line)
        total += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def short_lines(line_count: int) -> str:
    """Many one-to-three-word lines, in small groups between blank lines (lists, verse, tables)."""
    source = WordSource()
    out: list[str] = []
    for index in range(line_count):
        out.append(source.line(source.rng.randint(*SHORT_LINE_WIDTH)))
        if index % 4 == 3:
            out.append("")
    return "\n".join(out) + "\n"


def letter_spaced(line_count: int) -> str:
    """A tracked charter (issue 17): every line printed with a space between its letters ("П а р т и я
    ө з…"), words parted by the same single space, paragraphs of a few lines."""
    source = WordSource()
    out: list[str] = []
    for index in range(line_count):
        out.append(" ".join(source.line(LINE_WIDTH).replace(" ", "")))
        if index % 6 == 5:
            out.append("")
    return "\n".join(out) + "\n"


def whole_samples(size_bytes: int) -> str:
    """The samples one after another, again and again, up to `size_bytes` (a big text of real shapes:
    contents tables, headings, notes, bibliographies, page furniture)."""
    texts = [path.read_text(encoding="utf-8") for path in sample_paths()]
    parts: list[str] = []
    total = 0
    index = 0
    while True:
        text = texts[index % len(texts)]
        size = len(text.encode()) + 2
        if total + size > min(size_bytes, MAX_SOURCE_BYTES - 2**20):
            break
        parts.append(text)
        total += size
        index += 1
    return "\n\n".join(parts) + "\n"


def tei_with_line_breaks(template: bytes, break_count: int) -> bytes:
    """`template` (a valid TEI) with its body replaced by one paragraph of `break_count` <lb/>."""
    source = WordSource()
    root = etree.fromstring(template)
    body = root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body")
    for child in list(body):
        body.remove(child)
    div = etree.SubElement(body, f"{{{TEI_NS}}}div", type="chapter")
    paragraph = etree.SubElement(div, f"{{{TEI_NS}}}p")
    paragraph.text = source.line(LINE_WIDTH)
    for _ in range(break_count):
        etree.SubElement(paragraph, f"{{{TEI_NS}}}lb").tail = "\n" + source.line(LINE_WIDTH)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# name → (text maker, sizes at which it is made, how a size is counted)
TEXT_SHAPES: dict[str, tuple[Callable[[int], str], tuple[int, ...], str]] = {
    "no-blank-lines": (lines_without_blank_lines, (5_000, 10_000, 20_000, 40_000), "lines"),
    "one-paragraph": (one_paragraph, tuple(2**20 * mb // 4 for mb in (5, 10, 20, 40)), "bytes"),
    "short-lines": (short_lines, (12_500, 25_000, 50_000, 100_000), "lines"),
    "letter-spaced": (letter_spaced, (2_500, 5_000, 10_000, 20_000), "lines"),
    "whole-samples": (whole_samples, tuple(int(2**20 * mb) for mb in (7.5, 15, 30, 60)), "bytes"),
}
TEI_SHAPE = "tei-lb"
SAMPLES_SHAPE = "samples"
TEI_SIZES = (6_250, 12_500, 25_000, 50_000)
