"""Letter-spaced lines: a tracked title or a justified line that the extractor printed with a
space between letters ("П а рт и я ө з қ ы з м ет і н"). A run of one- and two-letter pieces is
joined and cut again into known words ("Партия өз қызметін"); the source form is kept in <orig>.
A run that cannot be cut into known words entirely is left as it stands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..model import Block, Choice, Inline
from .pieces import Piece, atomise, find_pieces, rebuild, replace_spans

MIN_SPACED_PIECES = 5      # a run of at least this many short pieces …
MAX_PIECE_LETTERS = 2      # … each at most this long …
MIN_SINGLE_SHARE = 0.5     # … half of them single letters, is letter-spaced text
MAX_WORD_LETTERS = 30

KnownWord = Callable[[str], bool]


def rejoin_letter_spacing(blocks: list[Block], known_word: KnownWord, stats: Counter[str]) -> None:
    for block in blocks:
        if block.kind == "milestone" or not _may_hold_spacing(block.plain_text()):
            continue
        atoms = atomise(block.inlines)
        replacements: list[tuple[int, int, Inline]] = []
        for run in _short_runs(find_pieces(atoms)):
            if any(node is not None for _, node in atoms[run[0].start:run[-1].end]):
                continue  # a run across a line end or a page turn: not one tracked line
            words = segment("".join(p.text for p in run), known_word)
            if words is None:
                continue
            replacements.append((run[0].start, run[-1].end,
                                 Choice(rebuild(atoms[run[0].start:run[-1].end]), " ".join(words), "letterspacing")))
            stats["letterspaced_runs"] += 1
            stats["letterspaced_pieces"] += len(run)
        if replacements:
            block.inlines = replace_spans(atoms, replacements)


def _may_hold_spacing(text: str) -> bool:
    short = 0
    for token in text.split():
        short = short + 1 if len(token) <= MAX_PIECE_LETTERS and token.isalpha() else 0
        if short >= MIN_SPACED_PIECES:
            return True
    return False


def _short_runs(pieces: list[Piece]) -> list[list[Piece]]:
    runs: list[list[Piece]] = [[]]
    for piece in pieces:
        if len(piece.text) <= MAX_PIECE_LETTERS and piece.text.isalpha():
            runs[-1].append(piece)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) >= MIN_SPACED_PIECES
            and sum(1 for p in run if len(p.text) == 1) >= MIN_SINGLE_SHARE * len(run)]


def segment(letters: str, known_word: KnownWord) -> list[str] | None:
    """The cut of `letters` into the fewest known words, or None when there is none."""
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - MAX_WORD_LETTERS), end):
            before = best[start]
            if before is None:
                continue
            word = letters[start:end]
            current = best[end]
            if (known_word(word) or known_word(word.lower())) and (current is None or len(before) + 1 < len(current)):
                best[end] = before + [word]
    return best[len(letters)]
