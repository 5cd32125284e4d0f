"""Pieces of syllable-split text: one whitespace token seen as a possible part of a longer word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .alphabet import is_cyrillic_letter

_CORE_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_ACRONYM_RE = re.compile(r"[^\W\d_]*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{2}")


@dataclass(frozen=True)
class Piece:
    """One whitespace token, seen as a possible part of a longer word."""

    lead: str  # punctuation before the letters: «(
    core: str  # the letters (inner hyphens allowed: "ден-бір")
    trail: str  # punctuation after: ,.»)
    joinable: bool  # may be part of a multi-piece word at all
    capital: bool  # starts with a capital letter: may only begin a word

    @property
    def can_continue(self) -> bool:
        """May follow another piece inside one word."""
        return self.joinable and not self.lead and not self.capital

    @property
    def can_precede(self) -> bool:
        """May be followed by another piece inside one word."""
        return self.joinable and not self.trail


# An en or em dash between letters inside a piece joins two names ("су–Алашаң" of "Ата су–Алашаң қай"):
# for scoring it is a hyphen, so the halves are rejoined as the two names (the text keeps the dash).
_NAME_DASH_RE = re.compile(r"(?<=[^\W\d_])[–—](?=[^\W\d_])")


@lru_cache(maxsize=100_000)
def parse_piece(token: str) -> Piece:
    match = _CORE_RE.match(token)
    assert match is not None  # every part of the pattern may be empty
    lead, core, trail = match.groups()
    core = _NAME_DASH_RE.sub("-", core)  # scored as a hyphenated pair: "Атасу–Алашаңқай", "Достық–Алашаңқай"
    letters = core.replace("-", "")
    joinable = (
        bool(letters)
        and letters.isalpha()
        and all(is_cyrillic_letter(ch) for ch in letters)
        and not _ACRONYM_RE.match(core)
        and not core.startswith("-")
        and not core.endswith("-")
    )
    capital = bool(core) and core[0].isupper()
    return Piece(lead, core, trail, joinable, capital)


def alone(piece: Piece) -> Piece:
    """The same piece, never part of a longer word (a one-letter Russian word: "в", "к")."""
    return Piece(piece.lead, piece.core, piece.trail, False, piece.capital)


# A line-end hyphen break in clean training text: the two halves are one word.
HYPHEN_BREAK_RE = re.compile(r"(\w)-[ \t]*\n\s*(\w)")
