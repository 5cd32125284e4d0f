"""Kazakh syllabification: the break points a typesetter may hyphenate at.

Kazakh syllables are V, VC, CV, CVC, VCC, CVCC. Between two vowels the last consonant of the
cluster opens the next syllable ("ел-де-рі", "мем-ле-кет", "түр-лі"). The letters й, у and и
count as glides; ь and ъ never start a syllable.
"""

from __future__ import annotations

from .alphabet import KAZAKH_VOWELS

_NEVER_START = frozenset("ьъЬЪ")


def syllabify(word: str) -> list[str]:
    """Split one word into syllables; words without two vowels come back whole."""
    vowel_positions = [i for i, ch in enumerate(word) if ch in KAZAKH_VOWELS]
    if len(vowel_positions) < 2:
        return [word]
    cuts: list[int] = []
    for left, right in zip(vowel_positions, vowel_positions[1:]):
        consonants = right - left - 1
        cut = left + 1 if consonants == 0 else right - 1
        while cut < right and word[cut] in _NEVER_START:
            cut += 1
        if consonants > 0 and not word[left + 1:right].isalpha():
            continue  # a hyphen, digit or mark between the vowels: no break there
        cuts.append(cut)
    pieces = []
    start = 0
    for cut in cuts:
        pieces.append(word[start:cut])
        start = cut
    pieces.append(word[start:])
    return [p for p in pieces if p]


def hyphenation_points(word: str, min_left: int = 2, min_right: int = 2) -> list[int]:
    """Offsets inside `word` where a line-end hyphen may go (no one-letter fragments)."""
    points = []
    offset = 0
    syllables = syllabify(word)
    for syllable in syllables[:-1]:
        offset += len(syllable)
        if offset >= min_left and len(word) - offset >= min_right:
            points.append(offset)
    return points
