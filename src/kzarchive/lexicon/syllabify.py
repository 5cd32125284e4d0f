"""Kazakh syllabification: the break points a typesetter may hyphenate at.

Kazakh syllables are V, VC, CV, CVC, VCC, CVCC. Rules used here:

* Between two vowels a single consonant opens the next syllable ("ел-де-рі", "мем-ле-кет").
* Of two consonants the second opens the syllable ("түр-лі", "ұлт-тық" has three, see below).
* Of three or more, the last one opens the syllable ("айт-қан", "ұлт-тық", "ми-нистр-лік"),
  unless the last two form an onset that loanwords and compounds keep together
  ("Қа-зақ-стан", "Өз-бек-стан", "ма-ги-стр" stays "ма-гистр").
* у and и after a vowel are glides, i.e. consonants ("тә-уел-сіз", "қа-уіп", "та-уын");
  я, ю, е, ё always carry a vowel ("А-зи-я", "ба-я-ғы").
* ь and ъ never start a syllable ("Виль-сон"); two adjacent vowels part ("и-де-а").
* Breaks are only made inside runs of letters: never next to a hyphen, digit or mark.
"""

from __future__ import annotations

from .alphabet import KAZAKH_VOWELS

_NEVER_START = frozenset("ьъЬЪ")
_GLIDES = frozenset("уиУИ")
# Two-consonant onsets kept together when a cluster of three or more must be divided.
_ONSETS = frozenset(
    "ст сп ск тр пр кр бр гр др фр пл кл бл гл фл шт".split()
)


def _is_vowel_at(word: str, index: int) -> bool:
    ch = word[index]
    if ch not in KAZAKH_VOWELS:
        return False
    if ch not in _GLIDES:
        return True
    # "тәуел", "ауыл", "тау-лар": у/и after a vowel is a glide; so is a word-initial у
    # before a vowel ("уа-қыт").
    if index > 0:
        return word[index - 1] not in KAZAKH_VOWELS
    return not (len(word) > 1 and word[1] in KAZAKH_VOWELS)


def syllabify(word: str) -> list[str]:
    """Split one word into syllables; words without two vowels come back whole."""
    pieces: list[str] = []
    start = 0
    for run_start, run_end in _letter_runs(word):
        for cut in _run_cuts(word[run_start:run_end]):
            pieces.append(word[start:run_start + cut])
            start = run_start + cut
    pieces.append(word[start:])
    return [piece for piece in pieces if piece]


def _letter_runs(word: str) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for index, ch in enumerate(word + " "):
        if ch.isalpha() and start is None:
            start = index
        elif not ch.isalpha() and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _run_cuts(run: str) -> list[int]:
    vowels = [index for index in range(len(run)) if _is_vowel_at(run, index)]
    cuts: list[int] = []
    for left, right in zip(vowels, vowels[1:], strict=False):
        cuts.append(_cut_between(run, left, right))
    return cuts


def _cut_between(run: str, left: int, right: int) -> int:
    consonants = right - left - 1
    if consonants == 0:
        return right  # hiatus: "и-де-а", "ци-о"
    cut = right - 1
    if consonants >= 3 and run[right - 2:right].lower() in _ONSETS:
        cut = right - 2
    while cut < right and run[cut] in _NEVER_START:
        cut += 1
    return cut


def hyphenation_points(word: str, min_left: int = 2, min_right: int = 2) -> list[int]:
    """Offsets inside `word` where a line-end hyphen may go.

    No one-letter fragment on either side, also not next to an inner hyphen ("жиі-жиі"),
    and no break between two vowels ("Азия-ға", not "Ази-яға").
    """
    points = []
    for run_start, run_end in _letter_runs(word):
        run = word[run_start:run_end]
        for cut in _run_cuts(run):
            offset = run_start + cut
            if cut < 2 or len(run) - cut < 2:
                continue
            if _is_vowel_at(run, cut - 1) and _is_vowel_at(run, cut):
                continue
            if offset >= min_left and len(word) - offset >= min_right:
                points.append(offset)
    return points
