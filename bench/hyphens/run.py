"""Line-end hyphen decisions side by side: dev texts (tune here), unseen texts (measure only), samples.

    .venv/bin/python bench/hyphens/run.py [--errors N] [--json FILE] [--write-baseline]

* **dev** — `bench/hyphens/dev/*.txt`, written for tuning (medicine, agriculture, sport, history with
  many personal and place names; Kazakh and Russian), each typeset by bench/cleaning/degrade.py in
  six styles for each of `DEV_SEEDS`; `--errors N` prints wrong decisions of these texts only.
* **unseen** — `bench/unseen/texts` typeset exactly as bench/unseen/run.py does: pooled figures only.
  Their errors are never printed here: nothing may be designed from them.
* **samples** — every line-end hyphen of input/000–003 decided with the shipped data; the decisions
  that differ from `samples_baseline.tsv` (the decisions before this work) are listed, so a new wrong
  join in the samples shows; and the hand-checked real cases of tests/data/real_hyphens.tsv.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
for _path in (_ROOT, _ROOT / "src", _ROOT / "bench" / "syllables", _ROOT / "bench" / "unseen"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench.cleaning.score import HyphenScore, case_triples, score_hyphens  # noqa: E402
from run import KAZAKH, RUSSIAN, UnseenText, load_texts, renderings  # noqa: E402  (bench/unseen/run.py)

from kzarchive.clean.hyphenation import HyphenResolver, decision_label  # noqa: E402

DEV = Path(__file__).with_name("dev")
DEV_SEEDS = (11, 12, 13, 14)
SAMPLES = ("000", "001", "002", "003")
BASELINE = Path(__file__).with_name("samples_baseline.tsv")
REAL_GOLD = _ROOT / "tests" / "data" / "real_hyphens.tsv"
_FIELDS = ("cases", "correct", "keep_gold", "keep_predicted", "keep_correct", "errors")


def load_dev() -> list[UnseenText]:
    texts = []
    for path in sorted(DEV.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        texts.append(UnseenText(path.stem, [" ".join(b.split()) for b in raw.split("\n\n") if b.strip()]))
    return texts


def _add(a: HyphenScore, b: HyphenScore) -> HyphenScore:
    return HyphenScore(*(getattr(a, f) + getattr(b, f) for f in _FIELDS))


def score_text(text: UnseenText, seeds: tuple[int, ...]) -> HyphenScore:
    total = HyphenScore(0, 0, 0, 0, 0, [])
    for seed in seeds:
        for document in renderings(text, seed=seed):
            resolver = HyphenResolver(document_text=document.raw)
            total = _add(total, score_hyphens(case_triples(document.hyphen_cases), resolver.decide))
    return total


def pooled(scores: dict[str, HyphenScore], names: list[str]) -> HyphenScore:
    total = HyphenScore(0, 0, 0, 0, 0, [])
    for name in names:
        total = _add(total, scores[name])
    return total


def sample_decisions() -> list[tuple[str, int, str, str, str]]:
    """(document, line number, left, right, label) for every line-end hyphen of the samples."""
    rows = []
    for doc in SAMPLES:
        path = next((_ROOT / "input").glob(f"{doc}_*.txt"))
        text = path.read_text(encoding="utf-8")
        resolver = HyphenResolver(document_text=text)
        lines = text.splitlines()
        for number, line in enumerate(lines[:-1], start=1):
            stripped = line.rstrip()
            following = next((rest.split() for rest in lines[number:] if rest.strip()), [])
            if not stripped.endswith("-") or not following:
                continue
            before = stripped[:-1]
            left = "" if before.endswith(" ") or not before else before.rsplit(" ", 1)[-1]
            rows.append((doc, number, left, following[0], decision_label(resolver.decide(left, following[0]))))
    return rows


def real_cases() -> HyphenScore:
    rows = [line.split("\t") for line in REAL_GOLD.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    resolver = HyphenResolver()
    return score_hyphens(((r[0], r[1], r[2]) for r in rows), resolver.decide)


def _row(name: str, s: HyphenScore) -> str:
    return (f"| {name} | {s.cases} | {s.keep_gold} | {s.accuracy:.2%} | {s.keep_precision:.3f} | "
            f"{s.keep_recall:.3f} | {s.keep_f1:.3f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print this many dev errors per text")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--write-baseline", action="store_true", help="record today's sample decisions")
    parser.add_argument("--dev-only", action="store_true")
    args = parser.parse_args(argv)
    dev = {text.name: score_text(text, DEV_SEEDS) for text in load_dev()}
    lines = ["| set | cases | keep | accuracy | keep P | keep R | keep F1 |", "|---|---|---|---|---|---|---|"]
    lines += [_row(f"dev {name}", score) for name, score in dev.items()]
    lines.append(_row("**dev Kazakh**", pooled(dev, [n for n in dev if n.startswith("kk_")])))
    lines.append(_row("**dev Russian**", pooled(dev, [n for n in dev if n.startswith("ru_")])))
    figures = {"dev": {n: s.summary() for n, s in dev.items()}}
    if not args.dev_only:
        unseen = {text.name: score_text(text, (11,)) for text in load_texts()}
        lines.append(_row("**unseen Kazakh**", pooled(unseen, list(KAZAKH))))
        lines.append(_row("**unseen Russian**", pooled(unseen, list(RUSSIAN))))
        real = real_cases()
        lines.append(_row("real cases (tests/data/real_hyphens.tsv)", real))
        figures |= {"unseen": {n: s.summary() for n, s in unseen.items()}, "real": real.summary()}
    print("\n".join(lines))
    if not args.dev_only:
        print(f"real-case errors: {real.errors}")
        decisions = sample_decisions()
        if args.write_baseline:
            BASELINE.write_text("".join("\t".join(map(str, row)) + "\n" for row in decisions), encoding="utf-8")
        before = {tuple(r.split("\t")[:2]): r.split("\t")[4] for r in BASELINE.read_text(encoding="utf-8").splitlines()}
        changed = [row for row in decisions if before.get((row[0], str(row[1]))) != row[4]]
        print(f"samples 000–003: {len(decisions)} line-end hyphens, {len(changed)} decisions changed from the baseline")
        for doc, number, left, right, label in changed:
            print(f"  {doc}:{number} {left}-⏎{right}: {before.get((doc, str(number)))} → {label}")
    for name, score in dev.items():
        for error in score.errors[: args.errors]:
            print(f"  dev {name}: {error}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
