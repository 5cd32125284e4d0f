"""Held-out benchmark: build the lexicon without the evaluation text, split that text
the way 004 is split, repair it, and score word accuracy.

    PYTHONPATH=src:bench/syllables python bench/syllables/heldout.py [--quick]

Training: 000 + 001 + 002 minus a held-out slice (every 7th paragraph of 001 and 002).
Evaluation: all of 003 + the held-out slice.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generate import paragraph_words, split_text
from score import Score, score_spans

from kzarchive.lexicon.segment import SyllableRepairer
from kzarchive.lexicon.wordlist import WORD_RE, Lexicon

CORPUS = Path("/work/shared/corpus")
HOLDOUT_EVERY = 7


@dataclass
class HeldOut:
    lexicon: Lexicon
    paragraphs: list[list[str]]


def load(corpus: Path = CORPUS) -> HeldOut:
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in corpus.glob("00[0-3]_*.txt")}
    train_texts: list[str] = [texts["000"]]
    evaluation = paragraph_words(texts["003"])
    for key in ("001", "002"):
        paragraphs = _raw_paragraphs(texts[key])
        train_texts += [p for i, p in enumerate(paragraphs) if i % HOLDOUT_EVERY]
        for i, paragraph in enumerate(paragraphs):
            if i % HOLDOUT_EVERY == 0:
                evaluation += paragraph_words(paragraph)
    return HeldOut(Lexicon.from_texts(train_texts, "held-out-train"), evaluation)


def _raw_paragraphs(text: str) -> list[str]:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    # many sources put a blank line after every line: group into ~8-line chunks instead
    grouped = ["\n".join(blocks[i:i + 8]) for i in range(0, len(blocks), 8)]
    return grouped


def oov_rate(paragraphs: list[list[str]], lexicon: Lexicon) -> float:
    tokens = [m.group().casefold() for words in paragraphs for w in words for m in WORD_RE.finditer(w)]
    unknown = sum(1 for t in tokens if t not in lexicon)
    return unknown / max(1, len(tokens))


def evaluate(data: HeldOut, seed: int = 1, limit: int | None = None, repairer: SyllableRepairer | None = None) -> Score:
    repairer = repairer or SyllableRepairer(data.lexicon)
    total = Score()
    for index, words in enumerate(data.paragraphs[:limit]):
        split = split_text(words, seed=seed + index)
        total.add(score_spans(split.pieces, split.spans, repairer.segment(split.pieces)))
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="first 60 paragraphs only")
    parser.add_argument("--errors", type=int, default=25)
    args = parser.parse_args()
    data = load()
    started = time.perf_counter()
    repairer = SyllableRepairer(data.lexicon)
    result = evaluate(data, limit=60 if args.quick else None, repairer=repairer)
    elapsed = time.perf_counter() - started
    print(repairer.method_description)
    print(f"training lexicon: {len(data.lexicon)} forms; evaluation: {result.total} words, "
          f"OOV rate {oov_rate(data.paragraphs, data.lexicon):.1%}")
    print(f"word accuracy: {result.accuracy:.2%} ({result.total - result.correct} errors) in {elapsed:.1f}s")
    counts = Counter(result.errors)
    for (truth, predicted), _ in counts.most_common(args.errors):
        print(f"  {truth!r:45} -> {predicted!r}")


if __name__ == "__main__":
    main()
