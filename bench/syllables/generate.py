"""Split clean Kazakh text into syllable pieces the way the PDF of corpus 004 does.

Observed in 004 (and imitated here):
* words are cut at syllable boundaries, but no piece is a single letter ("ерек ше",
  "асы ру", "екін ші"), so short words stay whole ("өзі", "екі", "ала");
* no cut between two vowels or around a syllable with я/ю ("Азияға", "де мок ра тиялық",
  "саяса ты", "ұл ғаюын"), none before an у-glide ("тәуел сіз", "қауіп", "рауын");
* an intervocalic й stays with the syllable before it ("дай ын", "бой ын ша"), and "йт"
  before a vowel is cut after the т ("айт ар лық", "сай лайт ын");
* acronyms, numbers, Latin words keep their form ("АҚШ-тың", "1992", "Cooperative"); proper
  nouns are split like other words ("Ор та лық", "Қа зақ стан");
* a few words are left whole ("бейтарап", "айтумен") and a few cut oddly ("Орт а лық");
* a line-end break inside a word falls at a piece boundary ("жет-⏎кіз"); once the cleaner
  removes that hyphen the two pieces arrive as one ("жеткіз").
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from kzarchive.lexicon.alphabet import KAZAKH_VOWELS, is_cyrillic_word
from kzarchive.lexicon.syllabify import syllabify

UNSPLIT_RATE = 0.02
ODD_CUT_RATE = 0.004
LINE_WIDTH = 62
_ACRONYM = re.compile(r"[А-ЯЁӘҒҚҢӨҰҮҺІA-Z]{2}")
_IOTATED = frozenset("яюЯЮ")


@dataclass
class SplitText:
    """Pieces as the syllable repairer receives them, and the true word spans."""

    pieces: list[str]
    spans: list[tuple[int, int]]
    raw: str  # the text with spaces and line-end hyphens, for eyeballing


def splittable(token: str) -> bool:
    core = token.strip("«»“”\"'()[].,;:!?–—…")
    letters = core.replace("-", "")
    return (
        len(letters) >= 4
        and letters.isalpha()
        and is_cyrillic_word(letters)
        and not _ACRONYM.search(core)
    )


def split_word(token: str, rng: random.Random) -> list[str]:
    """One token's pieces: punctuation stays on the first/last piece."""
    if not splittable(token) or rng.random() < UNSPLIT_RATE:
        return [token]
    lead = token[: len(token) - len(token.lstrip("«»“”\"'(["))]
    trail = token[len(token.rstrip("«»“”\"')].,;:!?–—…")):]
    core = token[len(lead): len(token) - len(trail)]
    pieces: list[str] = []
    for index, segment in enumerate(core.split("-")):
        parts = split_segment(segment, rng)
        if index and pieces:
            pieces[-1] = pieces[-1] + "-" + parts[0]  # "тік-эко": the hyphen joins two pieces
            parts = parts[1:]
        pieces.extend(parts)
    pieces[0] = lead + pieces[0]
    pieces[-1] = pieces[-1] + trail
    return pieces


def split_segment(word: str, rng: random.Random) -> list[str]:
    if len(word) < 4:
        return [word]
    syllables = syllabify(word)
    cuts = _allowed_cuts(word, syllables)
    if cuts and rng.random() < ODD_CUT_RATE:
        index = rng.randrange(len(cuts))
        cuts[index] = min(len(word) - 1, cuts[index] + 1)  # "Орт а лық"
        cuts = sorted(set(cuts))
    return _cut(word, cuts)


def _allowed_cuts(word: str, syllables: Sequence[str]) -> list[int]:
    cuts: list[int] = []
    offset = 0
    for left, right in pairwise(syllables):
        offset += len(left)
        if left[-1] in KAZAKH_VOWELS and right[0] in KAZAKH_VOWELS:
            continue  # hiatus
        if _IOTATED & set(left + right):
            continue  # next to я/ю
        if right[0] in "уУ" and left[-1] in KAZAKH_VOWELS:
            continue  # у-glide: "тәуел"
        cut = offset
        if right[0] == "й" and len(right) > 1 and right[1] in KAZAKH_VOWELS:
            cut += 1  # "дай ын"
        elif left.endswith("й") and right[0] == "т":
            cut += 1  # "айт ар"
        cuts.append(cut)
    return _drop_one_letter_pieces(word, cuts)


def _drop_one_letter_pieces(word: str, cuts: list[int]) -> list[int]:
    kept: list[int] = []
    previous = 0
    for index, cut in enumerate(cuts):
        following = cuts[index + 1] if index + 1 < len(cuts) else len(word)
        if cut - previous < 2 or len(word) - cut < 2:
            continue
        if following - cut < 2 and following == len(word):
            continue
        kept.append(cut)
        previous = cut
    # a kept cut may still leave a one-letter piece before the next one: drop the later cut
    result: list[int] = []
    previous = 0
    for cut in kept:
        if cut - previous >= 2:
            result.append(cut)
            previous = cut
    if result and len(word) - result[-1] < 2:
        result.pop()
    return result


def _cut(word: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *cuts, len(word)]
    return [word[a:b] for a, b in pairwise(bounds) if a < b]


def split_text(words: Sequence[str], seed: int = 0, width: int = LINE_WIDTH) -> SplitText:
    """Split every word, wrap into lines, and merge the two pieces around each line-end
    hyphen (as the cleaner does before syllable repair)."""
    rng = random.Random(seed)
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    raw_lines: list[str] = []
    line = ""
    for word in words:
        word_pieces = split_word(word, rng)
        start = len(pieces)
        for index, piece in enumerate(word_pieces):
            addition = piece if not line or (index and line.endswith("-")) else " " + piece
            if line and len(line) + len(addition) > width:
                if index:  # break inside the word: hyphen at line end, pieces merge
                    raw_lines.append(line + "-")
                    pieces[-1] = pieces[-1] + piece
                    line = piece
                    continue
                raw_lines.append(line)
                line = ""
                addition = piece
            line += addition
            pieces.append(piece)
        spans.append((start, len(pieces)))
    if line:
        raw_lines.append(line)
    return SplitText(pieces, spans, "\n".join(raw_lines))


def paragraph_words(text: str) -> list[list[str]]:
    """Paragraphs of a clean raw text as word lists, line-end hyphenation undone."""
    paragraphs: list[list[str]] = []
    for block in re.split(r"\n\s*\n", text):
        joined = re.sub(r"(\w)-\s*\n\s*(\w)", _undo_break, block)
        words = joined.split()
        if words:
            paragraphs.append(words)
    return paragraphs


def _undo_break(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if left.isupper() and right.islower():
        return f"{left}-{right}"  # "КСРО-⏎ға" is a real hyphen
    return left + right
