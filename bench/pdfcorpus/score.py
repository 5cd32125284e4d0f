"""Score a TEI master made from a corpus PDF against the PDF's truth.

- word accuracy: 1 − (substituted + deleted + inserted words) / truth words, over the reading text
  (fw left out, notes included); tokens without a letter or digit (dot leaders) are not words;
  each footnote is first found and taken out as a unit, since its place among the paragraphs is
  the page's bottom, which the truth does not know;
- leaked: inserted words that are page numbers or words of the heads, feet and stamps;
- lost: <fw> whose text is not furniture (a body line taken for a head);
- pages: the <pb> @n in order against the page numbers every page must get;
- paragraphs: truth paragraphs (headings and contents entries included) found as one TEI block,
  letter for letter (a paragraph cut by a footnote at a page's foot counts as missed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lxml import etree

from kzarchive.pdf.layout import head_key
from kzarchive.tei import TEI_NS
from kzarchive.tei.reading import reading_text

from .generate import Truth

_WORD = re.compile(r"\w")


@dataclass
class Score:
    name: str
    words: int
    errors: int
    leaked: int
    lost: int
    pages: int
    pages_right: int
    paragraphs: int = 0
    paragraphs_right: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return 1 - self.errors / self.words if self.words else 1.0


def words(text: str) -> list[str]:
    return [w for w in text.split() if _WORD.search(w)]


def score_tei(name: str, tree: etree._ElementTree, truth: Truth) -> Score:
    root = tree.getroot()
    text = root.find(f"{{{TEI_NS}}}text")
    produced = words(reading_text(text, include_notes=True))
    produced, note_errors = _take_out_notes(produced, truth.notes)
    expected = words(" ".join(truth.paragraphs))
    errors, inserted, examples = _align(expected, produced)
    furniture_words = {w for item in truth.furniture for w in words(head_key(item))}
    leaked = sum(1 for w in inserted if w.isdigit() or w in furniture_words or head_key(w) in furniture_words)
    fws = [" ".join(fw.itertext()) for fw in root.iter(f"{{{TEI_NS}}}fw")]
    lost = [fw for fw in fws if not _is_furniture(fw, furniture_words)]
    page_ns = [pb.get("n", "") for pb in root.iter(f"{{{TEI_NS}}}pb")]
    right = sum(1 for a, b in zip(page_ns, truth.page_numbers, strict=True) if a == b) if len(page_ns) == len(truth.page_numbers) else 0
    examples += [f"lost as fw: {fw}" for fw in lost]
    blocks = {" ".join(words(reading_text(el))) for tag in ("p", "head", "item")
              for el in text.iter(f"{{{TEI_NS}}}{tag}")}
    found = sum(1 for p in truth.paragraphs if " ".join(words(p)) in blocks)
    return Score(name, len(expected) + sum(len(words(n)) for n in truth.notes), errors + note_errors,
                 leaked, len(lost), len(truth.page_numbers), right, len(truth.paragraphs), found, examples[:40])


def _is_furniture(text: str, furniture_words: set[str]) -> bool:
    """A head or foot: its page number and the words of the static heads, feet and stamps only."""
    return all(w in furniture_words or w.strip("/").replace("/", "").isdigit() for w in words(head_key(text).replace("/", " ")))


def _take_out_notes(produced: list[str], notes: list[str]) -> tuple[list[str], int]:
    errors = 0
    for note in notes:
        target = words(note)
        matcher = SequenceMatcher(None, produced, target, autojunk=False)
        match = matcher.find_longest_match(0, len(produced), 0, len(target))
        if match.size < len(target) // 2:
            errors += len(target)
            continue
        start = max(0, match.a - match.b - 2)  # a note split or joined differently: look around
        window = produced[start: start + len(target) + 4]
        blocks = [b for b in SequenceMatcher(None, window, target, autojunk=False).get_matching_blocks() if b.size]
        first, end = blocks[0].a, blocks[-1].a + blocks[-1].size
        matched = sum(b.size for b in blocks)
        errors += max(len(target) - matched, end - first - matched)
        produced = produced[:start + first] + produced[start + end:]
    return produced, errors


def _align(expected: list[str], produced: list[str]) -> tuple[int, list[str], list[str]]:
    matcher = SequenceMatcher(None, expected, produced, autojunk=False)
    errors, inserted, examples = 0, [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        errors += max(a2 - a1, b2 - b1)
        inserted += produced[b1:b2] if op in ("insert", "replace") else []
        examples.append(f"{op}: {' '.join(expected[a1:a2])!r} → {' '.join(produced[b1:b2])!r}")
    return errors, inserted, examples
