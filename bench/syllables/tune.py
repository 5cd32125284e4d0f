"""Grid search of the segmentation weights on the held-out benchmark (a quick subset).

    PYTHONPATH=src:bench/syllables python bench/syllables/tune.py
"""

from __future__ import annotations

import itertools
import sys

from heldout import evaluate, load

from kzarchive.lexicon.segment import SyllableRepairer, Weights


def main() -> None:
    data = load()
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    grid = {
        "word_cost": [2.0],
        "one_syllable_cost": [4.0, 6.0, 9.0],
        "morph": [0.3, 1.0],
        "shape": [0.1, 0.3],
    }
    results = []
    for values in itertools.product(*grid.values()):
        weights = Weights(**dict(zip(grid, values)))
        score = evaluate(data, limit=limit, repairer=SyllableRepairer(data.lexicon, weights=weights))
        results.append((score.accuracy, weights))
        print(f"{score.accuracy:.4f} {weights}", flush=True)
    best = max(results, key=lambda r: r[0])
    print("best", best)


if __name__ == "__main__":
    main()
