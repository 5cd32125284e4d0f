"""Run the cleaning benchmark.

    python -m bench.cleaning.run                 # hyphen + reader figures, markdown to stdout
    python -m bench.cleaning.run --reader kzarchive.pipeline:read_paragraphs
    python -m bench.cleaning.run --no-hunspell --seed 7 --json /tmp/results.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository and src/ importable
    _ROOT = Path(__file__).resolve().parents[2]
    sys.path[:0] = [str(_ROOT), str(_ROOT / "src")]

from bench.cleaning.degrade import Degraded, degrade
from bench.cleaning.score import Reader, case_triples, evaluate_reader, score_hyphens
from bench.cleaning.sources import PROSE_DOCS, clean_paragraphs, corpus_texts

from kzarchive.clean.hyphenation import HyphenResolver
from kzarchive.lexicon.wordlist import WORD_RE, Lexicon

REPO = Path(__file__).resolve().parents[2]
REAL_GOLD = REPO / "tests" / "data" / "real_hyphens.tsv"
PARAGRAPHS_PER_DOCUMENT = 30
RENDERINGS = 3  # each held-out chunk is typeset three times, with different widths and styles
DEFAULT_READERS = ("bench.cleaning.baselines:naive_reader", "bench.cleaning.baselines:resolver_reader")


@dataclass
class Split:
    name: str
    lexicon: Lexicon
    documents: list[Degraded]


def make_splits(seed: int, max_documents: int | None = None) -> list[Split]:
    """Held-out evaluation text, degraded, and the word list it may use."""
    texts = corpus_texts()
    paragraphs = clean_paragraphs(texts)
    rng = random.Random(seed)
    splits: list[Split] = []
    # 1. Paragraph hold-out: 30% of each document's paragraphs are unseen by the word list.
    train: list[str] = []
    held_out: dict[str, list[str]] = {}
    for doc, doc_paragraphs in paragraphs.items():
        shuffled = doc_paragraphs[:]
        rng.shuffle(shuffled)
        cut = int(len(shuffled) * 0.7)
        train.extend(shuffled[:cut])
        held_out[doc] = shuffled[cut:]
    lexicon = Lexicon.from_texts(train, "train-paragraphs")
    splits.append(Split("paragraph hold-out", lexicon, _documents(held_out, seed, max_documents)))
    # 2. Document hold-out: the word list never saw the evaluated document at all.
    for doc in ("001", "002"):
        others = [texts[d] for d in PROSE_DOCS if d != doc and d in texts]
        lexicon = Lexicon.from_texts(others, f"corpus-without-{doc}")
        splits.append(Split(f"document hold-out ({doc})", lexicon, _documents({doc: paragraphs[doc]}, seed + 1, max_documents)))
    return splits


def _documents(by_doc: dict[str, list[str]], seed: int, max_documents: int | None) -> list[Degraded]:
    chunks = [
        doc_paragraphs[start : start + PARAGRAPHS_PER_DOCUMENT]
        for doc_paragraphs in by_doc.values()
        for start in range(0, len(doc_paragraphs), PARAGRAPHS_PER_DOCUMENT)
    ]
    chunks = [chunk for chunk in chunks if chunk]
    documents = [
        degrade(chunk, seed=seed * 1000 + rendering * 100 + index)
        for rendering in range(RENDERINGS)
        for index, chunk in enumerate(chunks)
    ]
    return documents[: max_documents or None]


def oov_rate(paragraphs: Sequence[str], lexicon: Lexicon) -> float:
    words = [m.group().casefold() for p in paragraphs for m in WORD_RE.finditer(p)]
    return sum(1 for w in words if w not in lexicon) / len(words) if words else 0.0


def hyphen_figures(split: Split, hunspell: bool) -> dict:
    triples: list[tuple[str, str, str]] = []
    errors: list[tuple[str, str, str, str]] = []
    totals = {"cases": 0, "correct": 0, "keep_gold": 0, "keep_predicted": 0, "keep_correct": 0}
    for document in split.documents:
        resolver = HyphenResolver(split.lexicon, document.raw, hunspell=hunspell)
        score = score_hyphens(case_triples(document.hyphen_cases), resolver.decide)
        for key in totals:
            totals[key] += getattr(score, key)
        errors.extend((*error, resolver.decide(error[0], error[1]).reason) for error in score.errors)
        triples.extend(case_triples(document.hyphen_cases))
    paragraphs = [p for d in split.documents for p in d.paragraphs]
    case_words = [case.left + case.right for d in split.documents for case in d.hyphen_cases]
    return _figures(totals) | {
        "split": split.name,
        "lexicon": f"{split.lexicon.name} ({len(split.lexicon)} forms)",
        "oov_rate_tokens": round(oov_rate(paragraphs, split.lexicon), 4),
        "oov_rate_hyphenated_words": round(oov_rate(case_words, split.lexicon), 4),
        "errors": errors[:40],
    }


def pooled(rows: Sequence[dict]) -> dict:
    """All synthetic splits together (keep counts rebuilt from precision and recall)."""
    totals = {"cases": 0, "correct": 0, "keep_gold": 0, "keep_predicted": 0, "keep_correct": 0}
    for r in rows:
        keep_correct = round(r["keep_recall"] * r["keep_cases"])
        totals["cases"] += r["cases"]
        totals["correct"] += round(r["accuracy"] * r["cases"])
        totals["keep_gold"] += r["keep_cases"]
        totals["keep_correct"] += keep_correct
        totals["keep_predicted"] += round(keep_correct / r["keep_precision"]) if r["keep_precision"] else 0
    return _figures(totals)


def _figures(t: dict) -> dict:
    precision = t["keep_correct"] / t["keep_predicted"] if t["keep_predicted"] else 1.0
    recall = t["keep_correct"] / t["keep_gold"] if t["keep_gold"] else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "cases": t["cases"],
        "keep_cases": t["keep_gold"],
        "accuracy": round(t["correct"] / t["cases"], 4) if t["cases"] else 1.0,
        "keep_precision": round(precision, 4),
        "keep_recall": round(recall, 4),
        "keep_f1": round(f1, 4),
    }


def load_real_gold(path: Path = REAL_GOLD) -> list[dict[str, str]]:
    rows = [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if row and not row[0].startswith("#")]
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in body]


def real_figures(hunspell: bool, lexicon_from: str) -> dict:
    """Accuracy on the hand-checked real cases.  lexicon_from: 'all' prose documents or
    'others' (the case's own document left out of the word list)."""
    texts = corpus_texts()
    rows = load_real_gold()
    resolvers: dict[str, HyphenResolver] = {}
    totals = {"cases": 0, "correct": 0, "keep_gold": 0, "keep_predicted": 0, "keep_correct": 0}
    errors = []
    for doc in sorted({row["doc"] for row in rows}):
        sources = [texts[d] for d in PROSE_DOCS if d in texts and (lexicon_from == "all" or d != doc)]
        # 004 is syllable-split, so its own raw text is no word evidence.
        document_text = texts.get(doc) if doc != "004" else None
        resolvers[doc] = HyphenResolver(Lexicon.from_texts(sources, f"corpus-{lexicon_from}"), document_text, hunspell=hunspell)
        doc_rows = [row for row in rows if row["doc"] == doc]
        score = score_hyphens(((r["left"], r["right"], r["gold"]) for r in doc_rows), resolvers[doc].decide)
        for key in totals:
            totals[key] += getattr(score, key)
        errors.extend((doc, *error) for error in score.errors)
    return _figures(totals) | {"lexicon_from": lexicon_from, "hunspell": hunspell, "errors": errors}


def load_reader(dotted: str) -> Reader:
    """'package.module:function' or 'package.module.function'."""
    module_name, _, attribute = dotted.partition(":") if ":" in dotted else dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def run(seed: int, hunspell: bool, readers: Sequence[str], max_documents: int | None = None) -> dict:
    splits = make_splits(seed, max_documents)
    results: dict = {"seed": seed, "hunspell": hunspell, "synthetic": [], "real": [], "readers": {}}
    for split in splits:
        results["synthetic"].append(hyphen_figures(split, hunspell))
    results["synthetic_pooled"] = pooled(results["synthetic"])
    for lexicon_from in ("all", "others"):
        results["real"].append(real_figures(hunspell, lexicon_from))
    documents = [d for split in splits[:1] for d in split.documents]
    for dotted in readers:
        results["readers"][dotted] = evaluate_reader(load_reader(dotted), documents)
    return results


def markdown(results: dict) -> str:
    lines = [f"seed {results['seed']}, hunspell-kk {'on' if results['hunspell'] else 'off'}", ""]
    lines += ["| split | word list | OOV tokens | OOV hyphenated words | cases | keep | accuracy | keep P | keep R | keep F1 |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results["synthetic"]:
        lines.append(
            f"| {r['split']} | {r['lexicon']} | {r['oov_rate_tokens']:.1%} | {r['oov_rate_hyphenated_words']:.1%} | "
            f"{r['cases']} | {r['keep_cases']} | {r['accuracy']:.2%} | {r['keep_precision']:.3f} | "
            f"{r['keep_recall']:.3f} | {r['keep_f1']:.3f} |"
        )
    p = results["synthetic_pooled"]
    lines.append(f"| **all splits** | | | | {p['cases']} | {p['keep_cases']} | {p['accuracy']:.2%} | {p['keep_precision']:.3f} | {p['keep_recall']:.3f} | {p['keep_f1']:.3f} |")
    lines += ["", "| real cases (tests/data/real_hyphens.tsv) | cases | keep | accuracy | keep F1 |", "|---|---|---|---|---|"]
    for r in results["real"]:
        lines.append(f"| word list from {r['lexicon_from']} documents | {r['cases']} | {r['keep_cases']} | {r['accuracy']:.2%} | {r['keep_f1']:.3f} |")
    if results["readers"]:
        lines += ["", "| reader (paragraph hold-out documents) | word acc. | WER | para. boundary F1 | page nos leaked / inserted | heads leaked / furniture lines |",
                  "|---|---|---|---|---|---|"]
        for name, r in results["readers"].items():
            lines.append(
                f"| `{name}` | {r['word_accuracy']:.2%} | {r['word_error_rate']:.2%} | {r['paragraph_boundary_f1']:.3f} | "
                f"{r['page_numbers_leaked']} / {r['page_numbers_inserted']} | {r['heads_leaked']} / {r['furniture_lines_inserted']} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-hunspell", action="store_true")
    parser.add_argument("--reader", action="append", help="dotted path of a raw text → paragraphs function")
    parser.add_argument("--max-documents", type=int, default=None, help="per split, for a quick run")
    parser.add_argument("--errors", action="store_true", help="print the wrong decisions")
    parser.add_argument("--json", type=Path, help="also write all figures here")
    args = parser.parse_args(argv)
    results = run(args.seed, not args.no_hunspell, args.reader or DEFAULT_READERS, args.max_documents)
    print(markdown(results))
    if args.errors:
        for r in results["synthetic"] + results["real"]:
            print("\n", r.get("split", r.get("lexicon_from")), *r["errors"], sep="\n  ")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
