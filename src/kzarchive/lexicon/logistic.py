"""Logistic models over binary features, learned by AdaGrad in a fixed order (reproducible data files)."""

from __future__ import annotations

import math
from collections import defaultdict
from importlib import resources
from typing import Self


def train_logistic(
    data: list[tuple[list[str], int]], epochs: int, rate: float, l2: float, min_weight: float = 0.01
) -> dict[str, float]:
    """Logistic regression by AdaGrad over binary feature lists (deterministic order)."""
    weights: dict[str, float] = defaultdict(float)
    squares: dict[str, float] = defaultdict(lambda: 1e-8)
    rng = Lcg(17)
    for _ in range(epochs):
        rng.shuffle(data)
        for feats, label in data:
            z = sum(weights[f] for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            gradient = p - label
            for f in feats:
                g = gradient + l2 * weights[f]
                squares[f] += g * g
                weights[f] -= rate * g / math.sqrt(squares[f])
    return {f: round(w, 4) for f, w in weights.items() if abs(w) >= min_weight}


class Lcg:
    """A tiny deterministic shuffler (training must not depend on Python's random seed)."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def shuffle(self, items: list) -> None:
        for index in range(len(items) - 1, 0, -1):
            self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            other = (self.state >> 33) % (index + 1)
            items[index], items[other] = items[other], items[index]



def read_weights(text: str) -> dict[str, float]:
    """`feature<TAB>weight` rows (the shipped data format)."""
    weights = {}
    for row in text.splitlines():
        feature, _, value = row.rpartition("\t")
        if feature:
            weights[feature] = float(value)
    return weights


def dump_weights(weights: dict[str, float]) -> str:
    return "".join(f"{f}\t{w}\n" for f, w in sorted(weights.items()))


class LogisticModel:
    """Weights of a logistic model over named binary features, saved as `feature<TAB>weight` rows in
    lexicon/data (the clitic and the piece-seam models); an empty model is falsy."""

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        self.weights = weights or {}

    def __bool__(self) -> bool:
        return bool(self.weights)

    def dump(self) -> str:
        return dump_weights(self.weights)

    @classmethod
    def from_tsv(cls, text: str) -> Self:
        return cls(read_weights(text))

    @classmethod
    def packaged(cls, file_name: str) -> Self:
        """The model shipped in lexicon/data, or an empty one where the file is missing."""
        data = resources.files("kzarchive.lexicon").joinpath("data", file_name)
        return cls.from_tsv(data.read_text(encoding="utf-8")) if data.is_file() else cls()
