"""The piece-seam model: do two adjacent syllable pieces belong to one word?"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from .logistic import LogisticModel, train_logistic
from .piece import HYPHEN_BREAK_RE, Piece, parse_piece
from .suffixes import harmony
from .syllabify import syllabify


def _boundary_features(left: str, right: str) -> list[str]:
    """Features of the seam between two pieces (case-folded cores): same word or not."""
    left_syllable = syllabify(left)[-1]
    right_syllable = syllabify(right)[0]
    return [
        "bias",
        f"L={left_syllable}",
        f"R={right_syllable}",
        f"LR={left_syllable}|{right_syllable}",
        f"l2={left[-2:]}",
        f"r2={right[:2]}",
        f"lr={left[-1]}{right[0]}",
        f"h={harmony(left)}{harmony(right)}",
        f"lp={left}" if left != left_syllable else f"lm={len(left)}",
        f"rp={right}" if right != right_syllable else f"rm={len(right)}",
    ]


def _simple_split(word: str) -> list[str]:
    """Syllables with one-letter pieces merged into a neighbour (as 004 never shows them)."""
    pieces: list[str] = []
    for syllable in syllabify(word):
        if pieces and (len(syllable) < 2 or len(pieces[-1]) < 2):
            pieces[-1] += syllable
        else:
            pieces.append(syllable)
    return pieces


class BoundaryModel(LogisticModel):
    """Logistic model of P(two adjacent pieces belong to one word | the seam): the last
    syllable of the left piece, the first of the right one, their letters and vowel harmony.
    Learned from clean text split into pieces the way 004 is split; its log-odds are added
    for every seam inside a word of the segmentation."""

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        super().__init__(weights)
        self._cache: dict[tuple[str, str], float] = {}

    def log_odds(self, left: str, right: str) -> float:
        key = (left, right)
        cached = self._cache.get(key)
        if cached is None:
            weights = self.weights
            cached = sum(weights.get(f, 0.0) for f in _boundary_features(left, right))
            if len(self._cache) < 200_000:
                self._cache[key] = cached
        return cached

    @staticmethod
    def events(text: str, splitter: Callable[[str], list[str]] | None = None) -> Iterable[tuple[list[str], int]]:
        split = splitter or _simple_split
        text = HYPHEN_BREAK_RE.sub(r"\1\2", text)
        for block in re.split(r"\n\s*\n", text):
            previous: Piece | None = None
            for token in block.split():
                for index, raw in enumerate(split(token)):
                    piece = parse_piece(raw)
                    if previous is not None and previous.can_precede and piece.can_continue:
                        left, right = previous.core.casefold(), piece.core.casefold()
                        if "-" not in left and "-" not in right:
                            yield _boundary_features(left, right), int(index > 0)
                    previous = piece

    @classmethod
    def learn(
        cls, texts: Iterable[str], splitter: Callable[[str], list[str]] | None = None,
        epochs: int = 3, rate: float = 0.2, l2: float = 1e-4,
    ) -> BoundaryModel:
        data = [event for text in texts for event in cls.events(text, splitter)]
        return cls(train_logistic(data, epochs, rate, l2))

    @classmethod
    def default(cls) -> BoundaryModel:
        return _default_boundary_model()


BOUNDARY_DATA_FILE = "kk_boundaries.tsv"


@lru_cache(maxsize=1)
def _default_boundary_model() -> BoundaryModel:
    return BoundaryModel.packaged(BOUNDARY_DATA_FILE)

