"""How sure a syllable join is: the score margin of the chosen word over the best way of
leaving its pieces as two or more words, under the same model the Viterbi search used.

The margin is a log-odds (word score, piece-seam model and the document's piece cohesion, as in
`segment.viterbi_spans`), turned into a confidence by the logistic function: 0.5 means the
segmenter could as well have left the pieces apart. A join that the clitic or particle
corrections made against the search's own scores gets a confidence below 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .segment import BoundaryModel, PieceCohesion, WordModel, parse_piece


class JoinScorer:
    """Scores one paragraph's pieces; `confidence(start, end)` for each joined span."""

    def __init__(self, pieces: Sequence[str], model: WordModel, boundaries: BoundaryModel | None,
                 cohesion: PieceCohesion | None) -> None:
        self.cores = [parse_piece(token).core for token in pieces]
        self.model = model
        self.boundaries = boundaries
        self.cohesion = cohesion

    def confidence(self, start: int, end: int) -> float:
        margin = self._word(start, end) - self._best_split(start, end)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))

    def _word(self, start: int, end: int) -> float:
        """The score of pieces start..end-1 read as one word."""
        form = "".join(self.cores[start:end]).casefold()
        score = self.model.weights.word_cost + self.model.log_prob(form)
        for index in range(start + 1, end):
            score += self._seam(index)
        return score

    def _seam(self, index: int) -> float:
        """The bonus for joining piece index-1 with piece index."""
        left, right = self.cores[index - 1], self.cores[index]
        bonus = self.cohesion.bonus(left, right) if self.cohesion is not None else 0.0
        if self.boundaries and self.model.weights.seam and "-" not in left and "-" not in right:
            bonus += self.model.weights.seam * self.boundaries.log_odds(left.casefold(), right.casefold())
        return bonus

    def _best_split(self, start: int, end: int) -> float:
        """The best score of start..end-1 as two or more words (dynamic programming)."""
        best = {start: 0.0}
        for stop in range(start + 1, end + 1):
            best[stop] = max(best[cut] + self._word(cut, stop) for cut in range(start, stop)
                             if not (cut == start and stop == end))
        return best[end]
