"""Word accuracy of a segmentation: a word is correct when its predicted span is exactly
its true span (same first and last piece)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Score:
    correct: int = 0
    total: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (truth, predicted) context

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def add(self, other: Score) -> None:
        self.correct += other.correct
        self.total += other.total
        self.errors.extend(other.errors)


def score_spans(
    pieces: Sequence[str],
    truth: Sequence[tuple[int, int]],
    predicted: Sequence[tuple[int, int]],
    keep_errors: int = 1000,
) -> Score:
    predicted_set = set(predicted)
    result = Score(total=len(truth))
    for index, span in enumerate(truth):
        if span in predicted_set:
            result.correct += 1
        elif len(result.errors) < keep_errors:
            result.errors.append(_error_context(pieces, truth, predicted, index))
    return result


def _error_context(
    pieces: Sequence[str],
    truth: Sequence[tuple[int, int]],
    predicted: Sequence[tuple[int, int]],
    index: int,
) -> tuple[str, str]:
    lo = truth[max(0, index - 1)][0]
    hi = truth[min(len(truth) - 1, index + 1)][1]
    shown_truth = " ".join("".join(pieces[a:b]) for a, b in truth if a >= lo and b <= hi)
    shown_pred = " ".join(
        "".join(pieces[a:b]) for a, b in predicted if b > lo and a < hi
    )
    return shown_truth, shown_pred


def spans_from_words(pieces: Sequence[str], words: Sequence[str]) -> list[tuple[int, int]]:
    """True spans given the reference words (pieces concatenated without spaces)."""
    spans: list[tuple[int, int]] = []
    index = 0
    for word in words:
        start = index
        built = ""
        while index < len(pieces) and len(built) < len(word):
            built += pieces[index]
            index += 1
        if built != word:
            raise ValueError(f"reference word {word!r} does not match pieces {built!r}")
        spans.append((start, index))
    if index != len(pieces):
        raise ValueError("reference words do not cover all pieces")
    return spans
