"""Letter n-gram model of word forms: how Kazakh (or Russian) a form looks letter by letter."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

# --------------------------------------------------------------------------- word shape
BEGIN = "^"
END = "$"


class CharModel:
    """Letter n-gram model of word forms with Witten-Bell interpolation."""

    def __init__(self, words: Iterable[str], order: int = 4, alphabet_size: int = 50) -> None:
        self.order = order
        self.uniform = 1.0 / alphabet_size
        self._next: dict[str, Counter[str]] = defaultdict(Counter)
        for word in words:
            padded = BEGIN * (order - 1) + word + END
            for index in range(order - 1, len(padded)):
                for size in range(order):
                    self._next[padded[index - size:index]][padded[index]] += 1
        self._total = {history: sum(c.values()) for history, c in self._next.items()}
        self._kinds = {history: len(c) for history, c in self._next.items()}
        self._cache: dict[str, float] = {}

    def log_prob(self, word: str) -> float:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._score(word)
            if len(self._cache) < 500_000:
                self._cache[word] = cached
        return cached

    def _score(self, word: str) -> float:
        padded = BEGIN * (self.order - 1) + word + END
        total = 0.0
        for index in range(self.order - 1, len(padded)):
            total += math.log(self._prob(padded[index - self.order + 1:index], padded[index]))
        return total

    def _prob(self, history: str, char: str) -> float:
        prob = self.uniform
        for start in range(len(history), -1, -1):
            context = history[start:]
            seen = self._total.get(context)
            if not seen:
                continue
            kinds = self._kinds[context]
            prob = (self._next[context].get(char, 0) + kinds * prob) / (seen + kinds)
        return prob


