"""The word search: the best grouping of a paragraph's pieces into words (Viterbi over every way
of grouping consecutive pieces), then the clitic and particle corrections."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from .clitics import CliticModel, fix_clitics, fix_coordination, fix_instrumental, fix_stray_particles
from .piece import Piece, alone, parse_piece
from .russian import RussianWordModel
from .seams import BoundaryModel
from .wordmodel import WordModel

# What scores a word form: the Kazakh word model, or the Russian one for Russian text.
FormScorer = WordModel | RussianWordModel

MAX_PIECES_PER_WORD = 9
MAX_WORD_CHARS = 32


def viterbi_spans(
    pieces: Sequence[str],
    model: FormScorer,
    cohesion: PieceCohesion | None = None,
    clitics: CliticModel | None = None,
    boundaries: BoundaryModel | None = None,
    letter_words: bool = False,
    russian: RussianWordModel | None = None,
    russian_runs: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Best grouping of pieces into words. With `letter_words` (Russian paragraphs) a
    one-letter piece is a word of its own ("в", "к", "и"): syllable splitting never leaves one."""
    parsed = [parse_piece(token) for token in pieces]
    if letter_words:
        parsed = [alone(piece) if len(piece.core) == 1 else piece for piece in parsed]
    size = len(parsed)
    # run[i]: index of the Russian run (a Russian line inside a Kazakh paragraph) holding
    # piece i, or -1; a word wholly inside one run is scored by the Russian model
    run = [-1] * size
    if russian is not None:
        for number, (first, last) in enumerate(russian_runs):
            for index in range(first, last):
                run[index] = number
                if len(parsed[index].core) == 1:
                    parsed[index] = alone(parsed[index])
    seams = [0.0] * size  # seams[i]: bonus for joining piece i - 1 with piece i
    if boundaries and model.weights.seam:
        factor = model.weights.seam
        for index in range(1, size):
            if parsed[index - 1].can_precede and parsed[index].can_continue:
                left, right = parsed[index - 1].core.casefold(), parsed[index].core.casefold()
                if "-" not in left and "-" not in right:
                    seams[index] = factor * boundaries.log_odds(left, right)
    orphan = model.weights.orphan
    best = [0.0] + [-math.inf] * size
    back = [0] * (size + 1)
    for start in range(size):
        if best[start] == -math.inf:
            continue
        form = ""
        joined_bonus = 0.0  # cohesion of every boundary inside the span so far
        for end in range(start + 1, min(size, start + MAX_PIECES_PER_WORD) + 1):
            piece = parsed[end - 1]
            if end - 1 > start and not (parsed[end - 2].can_precede and piece.can_continue):
                break
            form += piece.core.casefold()
            if len(form) > MAX_WORD_CHARS and end - 1 > start:
                break  # (a single piece is always a word: a long run of page numbers left no path at all)
            if cohesion is not None and end - 1 > start:
                # pieces that always travel together in this document are one word
                joined_bonus += cohesion.bonus(parsed[end - 2].core, piece.core)
            if end - 1 > start:
                joined_bonus += seams[end - 1]
            scorer = russian if russian is not None and run[start] >= 0 and run[end - 1] == run[start] else model
            score = best[start] + _span_score(form, piece, end - start, parsed[start], scorer) + joined_bonus
            if orphan and start and parsed[start - 1].can_precede and parsed[start].can_continue \
                    and parsed[back[start]].capital and len(form) >= 3 and not scorer.explained(form):
                # a capitalised word cut off an unknown lowercase rest: "Бек тепов", "Қазақ ситандық"
                score -= orphan
            if score > best[end]:
                best[end] = score
                back[end] = start
    spans: list[tuple[int, int]] = []
    end = size
    while end > 0:
        spans.append((back[end], end))
        end = back[end]
    spans.reverse()
    if clitics and isinstance(model, WordModel):  # (a Russian paragraph has no clitic model)
        spans = fix_instrumental(parsed, fix_clitics(parsed, spans, clitics, model, run))
        return fix_stray_particles(parsed, spans, model, run) if model.weights.stray_particles else spans
    return fix_coordination(parsed, spans)



class PieceCohesion:
    """How pieces recur in one document: a piece always followed by the same piece
    ("Клин" → "тон") is the first half of a word, not a word."""

    def __init__(self, tokens: Iterable[str], bonus: float = 3.0, min_count: int = 3) -> None:
        cores = [parse_piece(token).core.casefold() for token in tokens]
        self.single = Counter(cores)
        self.pairs = Counter(zip(cores, cores[1:], strict=False))
        self.value = bonus
        self.min_count = min_count

    def bonus(self, left: str, right: str) -> float:
        left, right = left.casefold(), right.casefold()
        together = self.pairs.get((left, right), 0)
        if together < self.min_count:
            return 0.0
        if together >= 0.9 * self.single[left]:
            return self.value
        return 0.0


def _span_score(form: str, last: Piece, count: int, first: Piece, model: FormScorer) -> float:
    if count == 1 and not first.joinable:
        return model.weights.word_cost  # an acronym, number or Latin word: always its own word
    return model.weights.word_cost + model.log_prob(form)


