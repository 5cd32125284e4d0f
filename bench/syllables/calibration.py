"""Is a syllable join's confidence (lexicon/margins.py, the TEI's @cert) worth sorting a review by?
How many joins in each certainty band are wrong, on the hand-checked reference of corpus 004 and on
the held-out benchmark (heldout.py: text the models never saw, split the way 004 is).

    PYTHONPATH=src:bench/syllables python bench/syllables/calibration.py
"""

from __future__ import annotations

from collections import Counter

from corpus004 import CORPUS_004, paragraphs, reference_paragraphs
from eval004 import REFERENCE_LINES
from generate import split_text
from heldout import load, make_repairer
from score import spans_from_words

from kzarchive.decisions import cert_label
from kzarchive.lexicon.margins import JoinScorer
from kzarchive.lexicon.segment import SyllableRepairer

Case = tuple[list[str], set[tuple[int, int]]]  # pieces, true word spans


def bands(repairer: SyllableRepairer, cases: list[Case]) -> tuple[Counter[str], Counter[str]]:
    """(joins, wrong joins) per certainty band."""
    joins: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for pieces, truth in cases:
        spans = repairer.segment(pieces)
        scorer = JoinScorer(pieces, spans, repairer.scoring_model(pieces), repairer.boundaries, repairer.cohesion)
        for index, (start, end) in enumerate(spans):
            if end - start < 2:
                continue
            band = cert_label(round(scorer.confidence(index), 2))
            joins[band] += 1
            wrong[band] += (start, end) not in truth
    return joins, wrong


def main() -> None:
    text = CORPUS_004.read_text(encoding="utf-8")
    reference = [(pieces, set(spans_from_words(pieces, words)))
                 for pieces, words in zip(paragraphs(text, REFERENCE_LINES), reference_paragraphs(), strict=True)]
    held = load()
    splits = [split_text(words, seed=1 + index) for index, words in enumerate(held.paragraphs)]
    heldout = [(split.pieces, set(split.spans)) for split in splits]
    print("| text | certainty | joins | wrong | share wrong |")
    print("|---|---|---:|---:|---:|")
    for name, repairer, cases in (("004 reference", SyllableRepairer(document_text=text), reference),
                                  ("held out", make_repairer(held), heldout)):
        joins, wrong = bands(repairer, cases)
        for band in ("low", "medium", "high"):
            share = wrong[band] / joins[band] if joins[band] else 0.0
            print(f"| {name} | {band} | {joins[band]} | {wrong[band]} | {share:.1%} |")


if __name__ == "__main__":
    main()
