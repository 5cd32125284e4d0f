"""Grid search of the segmentation weights on a development split of the *training* texts
(`heldout.load_dev`), so the held-out text stays unseen by every tuned number.

    PYTHONPATH=src:bench/syllables python bench/syllables/tune.py [PARAGRAPHS]
"""

from __future__ import annotations

import itertools
import sys

from heldout import evaluate, learned_models, load_dev

from kzarchive.lexicon.segment import SyllableRepairer, Weights


def main() -> None:
    data = load_dev()
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
    clitics, boundaries = learned_models(data)
    grid = {
        "word_cost": [2.0, 3.0, 4.0],
        "seam": [0.5, 1.0, 1.5],
        "one_syllable_cost": [4.0, 6.0],
        "morph": [0.3, 1.0],
        "shape": [0.03, 0.1, 0.3],
        "clitic_words": [0.3, 0.6],
    }
    results = []
    for values in itertools.product(*grid.values()):
        weights = Weights(**dict(zip(grid, values, strict=True)))
        repairer = SyllableRepairer(data.lexicon, weights=weights, clitics=clitics, boundaries=boundaries)
        score = evaluate(data, limit=limit, repairer=repairer)
        results.append((score.accuracy, weights))
        print(f"{score.accuracy:.4f} {score.total - score.correct} {values}", flush=True)
    best = max(results, key=lambda r: r[0])
    print("best", best)


if __name__ == "__main__":
    main()
