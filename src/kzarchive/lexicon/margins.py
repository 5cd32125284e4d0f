"""How sure a syllable join is: the score margin of the chosen words over the nearest other
readings of the same pieces, under the same model the Viterbi search used.

The alternatives of a joined word are local: its pieces left as two or more words; the word
merged with the word before or after it; one piece moved across either of its boundaries. The
margin is a log-odds (word scores, piece-seam model and the document's piece cohesion, as in
`segment.viterbi_spans`) of the words involved, turned into a confidence by the logistic function:
0.5 means the segmenter could as well have read the pieces otherwise. A join that the clitic or
particle corrections made against the search's own scores gets a confidence below 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from .piece import Piece, parse_piece
from .seams import BoundaryModel
from .search import FormScorer, PieceCohesion

Reading = tuple[tuple[int, int], ...]  # consecutive word spans over the same pieces


class JoinScorer:
    """Scores one paragraph's pieces, segmented into `spans`; `confidence(index)` for a joined span."""

    def __init__(self, pieces: Sequence[str], spans: Sequence[tuple[int, int]], model: FormScorer,
                 boundaries: BoundaryModel | None, cohesion: PieceCohesion | None) -> None:
        self.parsed: list[Piece] = [parse_piece(token) for token in pieces]
        self.spans = list(spans)
        self.model = model
        self.boundaries = boundaries
        self.cohesion = cohesion
        self._scores: dict[tuple[int, int], float] = {}

    def confidence(self, index: int) -> float:
        chosen = self._neighbourhood(index)
        best_other = max((self._reading(r) for r in self._alternatives(index)), default=-math.inf)
        margin = self._reading(chosen) - best_other
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))

    def _neighbourhood(self, index: int) -> Reading:
        return tuple(self.spans[max(0, index - 1):index + 2])

    def _alternatives(self, index: int) -> Iterator[Reading]:
        start, end = self.spans[index]
        before = self.spans[index - 1] if index > 0 else None
        after = self.spans[index + 1] if index + 1 < len(self.spans) else None
        head = (before,) if before else ()
        tail = (after,) if after else ()
        for split in _splits(start, end):  # the pieces as two or more words
            yield head + split + tail
        if after:
            yield head + ((start, after[1]),)  # merged with the next word
            if after[1] - end > 1:  # the next word's first piece moved into this one
                yield head + ((start, end + 1), (end + 1, after[1]))
            yield head + ((start, end - 1), (end - 1, after[1]))  # this word's last piece moved on
        if before:
            yield ((before[0], end),) + tail  # merged with the word before
            if start - before[0] > 1:  # the word before's last piece moved into this one
                yield ((before[0], start - 1), (start - 1, end)) + tail
            yield ((before[0], start + 1), (start + 1, end)) + tail  # this word's first piece moved back

    def _reading(self, reading: Reading) -> float:
        return sum(self._word(start, end) for start, end in reading)

    def _word(self, start: int, end: int) -> float:
        """The score of pieces start..end-1 read as one word; -inf where they cannot be one."""
        key = (start, end)
        if key not in self._scores:
            self._scores[key] = self._score(start, end)
        return self._scores[key]

    def _score(self, start: int, end: int) -> float:
        first = self.parsed[start]
        if end - start == 1 and not first.joinable:
            return self.model.weights.word_cost  # an acronym, number or Latin word: always its own word
        score = self.model.weights.word_cost
        for index in range(start + 1, end):
            if not (self.parsed[index - 1].can_precede and self.parsed[index].can_continue):
                return -math.inf
            score += self._seam(index)
        form = "".join(piece.core for piece in self.parsed[start:end]).casefold()
        return score + self.model.log_prob(form)

    def _seam(self, index: int) -> float:
        """The bonus for joining piece index-1 with piece index."""
        left, right = self.parsed[index - 1].core, self.parsed[index].core
        bonus = self.cohesion.bonus(left, right) if self.cohesion is not None else 0.0
        if self.boundaries and self.model.weights.seam and "-" not in left and "-" not in right:
            bonus += self.model.weights.seam * self.boundaries.log_odds(left.casefold(), right.casefold())
        return bonus


def _splits(start: int, end: int) -> Iterator[Reading]:
    """Every reading of start..end-1 as two or more words."""
    for cut in range(start + 1, end):
        for rest in _all_readings(cut, end):
            yield ((start, cut),) + rest


def _all_readings(start: int, end: int) -> Iterator[Reading]:
    if start == end:
        yield ()
        return
    for cut in range(start + 1, end + 1):
        for rest in _all_readings(cut, end):
            yield ((start, cut),) + rest
