"""Held-out benchmark: build the lexicon without the evaluation text, split that text
the way 004 is split, repair it, and score word accuracy.

    PYTHONPATH=src:bench/syllables python bench/syllables/heldout.py [--quick]

Training: 000 + 001 + 002 minus a held-out slice (every 7th paragraph block of 001 and 002).
Evaluation: all of 003 + the held-out slice. Every learned part (lexicon, letter model,
suffix-ending model, clitic model) is built from the training texts only; hunspell-kk is an
external dictionary. `load_dev` is a split inside the training texts for tuning.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generate import paragraph_words, split_text, split_word
from score import Score, score_spans

from kzarchive.lexicon.segment import BoundaryModel, CliticModel, SyllableRepairer
from kzarchive.lexicon.wordlist import WORD_RE, Lexicon

CORPUS = Path(__file__).resolve().parents[2] / "input"  # the five samples, shipped in the repo
HOLDOUT_EVERY = 7


@dataclass
class HeldOut:
    lexicon: Lexicon
    paragraphs: list[list[str]]
    train_texts: list[str]  # the only text any model may learn from
    sources: list[str]  # which text each evaluation paragraph comes from (003, 001, 002)


def load(corpus: Path = CORPUS) -> HeldOut:
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in corpus.glob("00[0-3]_*.txt")}
    train_texts: list[str] = [texts["000"]]
    evaluation = paragraph_words(texts["003"])
    sources = ["003"] * len(evaluation)
    for key in ("001", "002"):
        paragraphs = _raw_paragraphs(texts[key])
        train_texts += [p for i, p in enumerate(paragraphs) if i % HOLDOUT_EVERY]
        for i, paragraph in enumerate(paragraphs):
            if i % HOLDOUT_EVERY == 0:
                words = paragraph_words(paragraph)
                evaluation += words
                sources += [key] * len(words)
    return HeldOut(Lexicon.from_texts(train_texts, "held-out-train"), evaluation, train_texts, sources)


def load_dev(corpus: Path = CORPUS, every: int = 5) -> HeldOut:
    """A development split inside the training texts only (for tuning weights without
    looking at the held-out text): every 5th training chunk is evaluated, the rest trains."""
    data = load(corpus)
    chunks = [chunk for text in data.train_texts for chunk in _raw_paragraphs(text)]
    train = [chunk for index, chunk in enumerate(chunks) if index % every]
    evaluation: list[list[str]] = []
    for index, chunk in enumerate(chunks):
        if index % every == 0:
            evaluation += paragraph_words(chunk)
    return HeldOut(Lexicon.from_texts(train, "dev-train"), evaluation, train, ["dev"] * len(evaluation))


def load_dev_document(corpus: Path = CORPUS, evaluated: str = "000") -> HeldOut:
    """A development split for unseen vocabulary, inside the training texts only: one training
    text (000) is evaluated with every learned part built from the other training texts (the 001
    and 002 training blocks), so its words are as new to the lexicon as another domain's."""
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in corpus.glob("00[0-3]_*.txt")}
    data = load(corpus)
    train = [text for text in data.train_texts if text != texts[evaluated]]
    evaluation = paragraph_words(texts[evaluated])
    return HeldOut(Lexicon.from_texts(train, "dev-document-train"), evaluation, train, ["dev-doc"] * len(evaluation))


_KAZAKH_ONLY = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def _russian_line(line: str) -> bool:
    cyrillic = [w for w in line.split() if any("а" <= ch.casefold() <= "я" or ch in "ёЁ" for ch in w)]
    return len(cyrillic) >= 3 and not any(_KAZAKH_ONLY & set(w) for w in cyrillic)


def load_ru_dev(corpus: Path = CORPUS) -> HeldOut:
    """A Russian development set inside the training texts only: their Russian lines (mostly
    bibliography, ≈ 1 600 words) are evaluated; the rest of the training texts trains."""
    data = load(corpus)
    train: list[str] = []
    evaluation: list[list[str]] = []
    for text in data.train_texts:
        kept = []
        for line in text.split("\n"):
            if _russian_line(line):
                evaluation += paragraph_words(line)
            else:
                kept.append(line)
        train.append("\n".join(kept))
    return HeldOut(Lexicon.from_texts(train, "ru-dev-train"), evaluation, train, ["ru-dev"] * len(evaluation))


def _raw_paragraphs(text: str) -> list[str]:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    # many sources put a blank line after every line: group into ~8-line chunks instead
    grouped = ["\n".join(blocks[i:i + 8]) for i in range(0, len(blocks), 8)]
    return grouped


def oov_rate(paragraphs: list[list[str]], lexicon: Lexicon) -> float:
    tokens = [m.group().casefold() for words in paragraphs for w in words for m in WORD_RE.finditer(w)]
    unknown = sum(1 for t in tokens if t not in lexicon)
    return unknown / max(1, len(tokens))


_MODELS: dict[int, tuple[CliticModel, BoundaryModel]] = {}


def generator_splitter(seed: int = 0):
    """Split one token the way the benchmark generator (and 004) does."""
    rng = random.Random(seed)
    return lambda token: split_word(token, rng)


def learned_models(data: HeldOut) -> tuple[CliticModel, BoundaryModel]:
    """Clitic and piece-seam models learned from the training texts only (cached per split)."""
    key = id(data.train_texts)
    if key not in _MODELS:
        _MODELS[key] = (CliticModel.learn(data.train_texts),
                        BoundaryModel.learn(data.train_texts, generator_splitter()))
    return _MODELS[key]


def make_repairer(data: HeldOut, **options: object) -> SyllableRepairer:
    """A repairer whose every learned part comes from the training texts only."""
    clitics, boundaries = learned_models(data)
    return SyllableRepairer(data.lexicon, clitics=clitics, boundaries=boundaries, **options)


def evaluate(
    data: HeldOut,
    seed: int = 1,
    limit: int | None = None,
    repairer: SyllableRepairer | None = None,
    document: bool = False,
    **options: object,
) -> Score:
    """Word accuracy over the evaluation paragraphs (the first `limit` of them).

    With `document`, each source text (003, the 001 blocks, the 002 blocks) is repaired the way
    the pipeline repairs a PDF: by a repairer that also sees that document's own (split) text.
    """
    paragraphs = data.paragraphs[:limit]
    splits = [split_text(words, seed=seed + index) for index, words in enumerate(paragraphs)]
    repairers: dict[str, SyllableRepairer] = {}
    if document:
        clitics, boundaries = learned_models(data)
        for source in sorted(set(data.sources[:len(paragraphs)])):
            text = "\n\n".join(split.raw for split, key in zip(splits, data.sources[:len(splits)], strict=True) if key == source)
            repairers[source] = SyllableRepairer(data.lexicon, document_text=text, clitics=clitics,
                                                 boundaries=boundaries, **options)
    else:
        repairer = repairer or make_repairer(data, **options)
    total = Score()
    for split, source in zip(splits, data.sources[:len(splits)], strict=True):
        chosen = repairers.get(source, repairer) if document else repairer
        total.add(score_spans(split.pieces, split.spans, chosen.segment(split.pieces)))
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="first 60 paragraphs only")
    parser.add_argument("--errors", type=int, default=25)
    args = parser.parse_args()
    data = load()
    limit = 60 if args.quick else None
    started = time.perf_counter()
    repairer = make_repairer(data)
    result = evaluate(data, limit=limit, repairer=repairer)
    elapsed = time.perf_counter() - started
    with_document = evaluate(data, limit=limit, document=True)
    print(repairer.method_description)
    print(f"training lexicon: {len(data.lexicon)} forms; evaluation: {result.total} words, "
          f"OOV rate {oov_rate(data.paragraphs, data.lexicon):.1%}")
    print(f"word accuracy: {result.accuracy:.2%} ({result.total - result.correct} errors) in {elapsed:.1f}s")
    print(f"with each source's own split text as document evidence: {with_document.accuracy:.2%} "
          f"({with_document.total - with_document.correct} errors)")
    counts = Counter(with_document.errors)
    for (truth, predicted), _ in counts.most_common(args.errors):
        print(f"  {truth!r:45} -> {predicted!r}")


if __name__ == "__main__":
    main()
