"""Score today's cleaning on the unseen-domain held-out texts (bench/unseen/texts, never tuned on).

    PYTHONPATH=src:bench/syllables python bench/unseen/run.py [--errors N] [--json FILE]

Three figures, with the shipped language data only (nothing is learned from these texts):

* syllable repair: every paragraph split the way 004 is (bench/syllables/generate.py) and
  rejoined by `SyllableRepairer`, without and with the document's own split text as evidence
  (as the pipeline repairs a PDF); word accuracy per text;
* line-end hyphen decisions: every text typeset by bench/cleaning/degrade.py once per page-number
  style (six renderings, blank-line styles and head places rotating with it), decided by
  `HyphenResolver` with the shipped word list and the degraded document as evidence;
* layout-only cleaning: the same renderings read back by `kzarchive.clean.reading_paragraphs`,
  word accuracy against the exact text.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
for _path in (_ROOT, _ROOT / "src", _ROOT / "bench" / "syllables"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench.cleaning.degrade import (  # noqa: E402
    BLANK_STYLES,
    HEAD_PLACES,
    PAGE_NUMBER_STYLES,
    RUNNING_HEADS,
    DegradeConfig,
    Degraded,
    degrade,
)
from bench.cleaning.score import HyphenScore, case_triples, evaluate_reader, score_hyphens  # noqa: E402
from generate import split_text  # noqa: E402
from score import Score, score_spans  # noqa: E402

from kzarchive.clean import reading_paragraphs  # noqa: E402
from kzarchive.clean.hyphenation import HyphenResolver  # noqa: E402
from kzarchive.lexicon.segment import SyllableRepairer  # noqa: E402

TEXTS = Path(__file__).with_name("texts")
KAZAKH = ("kk_law", "kk_logistics", "kk_nature")
RUSSIAN = ("ru_transit",)
SEED = 11


@dataclass
class UnseenText:
    name: str
    paragraphs: list[str]  # one clean paragraph (or heading) per entry, exactly as written

    @property
    def words(self) -> list[list[str]]:
        return [paragraph.split() for paragraph in self.paragraphs]


def load_texts(names: tuple[str, ...] = KAZAKH + RUSSIAN) -> list[UnseenText]:
    texts = []
    for name in names:
        raw = (TEXTS / f"{name}.txt").read_text(encoding="utf-8")
        paragraphs = [" ".join(block.split()) for block in raw.split("\n\n") if block.strip()]
        texts.append(UnseenText(name, paragraphs))
    return texts


def syllable_scores(text: UnseenText, seed: int = SEED) -> tuple[Score, Score]:
    """Word accuracy of syllable repair: (one repairer for all, with the document's own text)."""
    splits = [split_text(words, seed=seed + index) for index, words in enumerate(text.words)]
    plain = SyllableRepairer()
    document = SyllableRepairer(document_text="\n\n".join(split.raw for split in splits))
    scores = (Score(), Score())
    for split in splits:
        for total, repairer in zip(scores, (plain, document), strict=True):
            total.add(score_spans(split.pieces, split.spans, repairer.segment(split.pieces)))
    return scores


def renderings(text: UnseenText, seed: int = SEED) -> list[Degraded]:
    """The text typeset once per page-number style; the other styles rotate alongside."""
    rng = random.Random(seed)
    documents = []
    for index, style in enumerate(PAGE_NUMBER_STYLES):
        config = DegradeConfig(
            width=rng.randint(50, 90),
            page_number_style=style,
            blank_style=BLANK_STYLES[index % len(BLANK_STYLES)],
            head_place=HEAD_PLACES[index % len(HEAD_PLACES)],
            running_head=RUNNING_HEADS[index % len(RUNNING_HEADS)],
            lines_per_page=rng.randint(28, 46),
            hyphenate_rate=rng.uniform(0.5, 1.0),
        )
        documents.append(degrade(text.paragraphs, seed=seed * 100 + index, config=config))
    return documents


def hyphen_score(documents: list[Degraded]) -> HyphenScore:
    total = HyphenScore(0, 0, 0, 0, 0, [])
    for document in documents:
        resolver = HyphenResolver(document_text=document.raw)
        score = score_hyphens(case_triples(document.hyphen_cases), resolver.decide)
        total = HyphenScore(*(getattr(total, f) + getattr(score, f) for f in
                              ("cases", "correct", "keep_gold", "keep_predicted", "keep_correct", "errors")))
    return total


def run(texts: list[UnseenText] | None = None) -> dict:
    texts = texts if texts is not None else load_texts()
    rows: dict[str, dict] = {}
    for text in texts:
        plain, document = syllable_scores(text)
        documents = renderings(text)
        hyphens = hyphen_score(documents)
        cleaning = evaluate_reader(reading_paragraphs, documents)
        rows[text.name] = {
            "syllable_words": plain.total,
            "syllable_accuracy": round(plain.accuracy, 4),
            "syllable_errors": plain.total - plain.correct,
            "syllable_accuracy_document": round(document.accuracy, 4),
            "syllable_errors_document": document.total - document.correct,
            "syllable_error_pairs": Counter(document.errors).most_common(),
            "hyphens": hyphens.summary(),
            "hyphen_errors": hyphens.errors,
            "cleaning_word_accuracy": cleaning["word_accuracy"],
            "cleaning_gold_words": cleaning["gold_words"],
        }
    return rows


def pooled(rows: dict[str, dict], names: tuple[str, ...]) -> dict:
    chosen = [rows[name] for name in names if name in rows]
    words = sum(r["syllable_words"] for r in chosen)
    errors = sum(r["syllable_errors"] for r in chosen)
    errors_doc = sum(r["syllable_errors_document"] for r in chosen)
    cases = sum(r["hyphens"]["cases"] for r in chosen)
    correct = sum(round(r["hyphens"]["accuracy"] * r["hyphens"]["cases"]) for r in chosen)
    keep = _pooled_keep(chosen)
    gold_words = sum(r["cleaning_gold_words"] for r in chosen)
    cleaned = sum(r["cleaning_word_accuracy"] * r["cleaning_gold_words"] for r in chosen)
    return {
        "syllable_words": words,
        "syllable_accuracy": round(1 - errors / words, 4) if words else 1.0,
        "syllable_accuracy_document": round(1 - errors_doc / words, 4) if words else 1.0,
        "hyphen_cases": cases,
        "hyphen_accuracy": round(correct / cases, 4) if cases else 1.0,
        "keep_f1": keep,
        "cleaning_word_accuracy": round(cleaned / gold_words, 4) if gold_words else 1.0,
    }


def _pooled_keep(rows: list[dict]) -> float:
    gold = predicted = correct = 0
    for r in rows:
        h = r["hyphens"]
        hit = round(h["keep_recall"] * h["keep_cases"])
        gold += h["keep_cases"]
        correct += hit
        predicted += round(hit / h["keep_precision"]) if h["keep_precision"] else 0
    precision = correct / predicted if predicted else 1.0
    recall = correct / gold if gold else 1.0
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def markdown(rows: dict[str, dict]) -> str:
    lines = ["| text | words | syllable repair | + document evidence | hyphen cases | hyphen acc. | keep F1 "
             "| cleaning word acc. |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        h = r["hyphens"]
        lines.append(f"| {name} | {r['syllable_words']} | {r['syllable_accuracy']:.2%} ({r['syllable_errors']}) | "
                     f"{r['syllable_accuracy_document']:.2%} ({r['syllable_errors_document']}) | {h['cases']} | "
                     f"{h['accuracy']:.2%} | {h['keep_f1']:.3f} | {r['cleaning_word_accuracy']:.2%} |")
    p = pooled(rows, KAZAKH)
    lines.append(f"| **Kazakh, pooled** | {p['syllable_words']} | {p['syllable_accuracy']:.2%} | "
                 f"{p['syllable_accuracy_document']:.2%} | {p['hyphen_cases']} | {p['hyphen_accuracy']:.2%} | "
                 f"{p['keep_f1']:.3f} | {p['cleaning_word_accuracy']:.2%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print this many errors per text")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = run()
    print(markdown(rows))
    for name, r in rows.items():
        if args.errors:
            print(f"\n{name}: syllable errors (truth -> predicted)")
            for (truth, predicted), count in r["syllable_error_pairs"][: args.errors]:
                print(f"  {count}× {truth!r} -> {predicted!r}")
            print(f"{name}: hyphen errors (left, right, gold, predicted)")
            for error in r["hyphen_errors"][: args.errors]:
                print("  ", error)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
