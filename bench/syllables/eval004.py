"""Score the repairer on the hand-checked reference of corpus 004 (tests/data/004_reference.txt).

    PYTHONPATH=src:bench/syllables python bench/syllables/eval004.py
"""

from __future__ import annotations

from corpus004 import CORPUS_004, paragraphs, reference_paragraphs
from score import Score, score_spans, spans_from_words

from kzarchive.lexicon.segment import SyllableRepairer

REFERENCE_LINES = 55


def evaluate_reference(repairer: SyllableRepairer | None = None) -> Score:
    text = CORPUS_004.read_text(encoding="utf-8")
    repairer = repairer or SyllableRepairer(document_text=text)
    total = Score()
    for pieces, words in zip(paragraphs(text, REFERENCE_LINES), reference_paragraphs(), strict=True):
        truth = spans_from_words(pieces, words)
        total.add(score_spans(pieces, truth, repairer.segment(pieces)))
    return total


def main() -> None:
    result = evaluate_reference()
    print(f"004 reference: {result.correct}/{result.total} words = {result.accuracy:.2%}")
    for truth, predicted in result.errors:
        print(f"  {truth!r:45} -> {predicted!r}")


if __name__ == "__main__":
    main()
