"""Russian in syllable-split text: whole Russian paragraphs and Russian lines inside a Kazakh one,
scored by Russian word frequencies (wordfreq's list shipped as `data/ru_wordfreq.tsv.gz`)."""

from __future__ import annotations

import gzip
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from .alphabet import KAZAKH_VOWELS
from .letters import RUSSIAN_LETTER_FORMS, RUSSIAN_TABLE, CharModel, shipped_table
from .piece import parse_piece
from .wordmodel import WordModel, log_sum

RUSSIAN_DATA_FILE = "ru_wordfreq.tsv.gz"
_KAZAKH_ONLY_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_RUSSIAN_FUNCTION_WORDS = frozenset("и в во на не с со что по к ко из для от как о об а но это же при или".split())
_LN10 = math.log(10.0)


class RussianWords:
    """Russian word-form frequencies (Zipf scale, from wordfreq; `build.py`)."""

    def __init__(self, zipf: dict[str, float], shipped: bool = False) -> None:
        self.zipf = zipf
        self.shipped = shipped  # read from the shipped data file (whose letter table is shipped too)

    def __bool__(self) -> bool:
        return bool(self.zipf)

    def log_prob(self, form: str) -> float:
        """Natural-log probability of a case-folded form (-inf when not listed)."""
        value = self.zipf.get(form.replace("ё", "е")) if form not in self.zipf else self.zipf[form]
        return (value - 9.0) * _LN10 if value is not None else -math.inf

    @classmethod
    def from_tsv(cls, text: str, shipped: bool = False) -> RussianWords:
        zipf: dict[str, float] = {}
        for row in text.splitlines():
            form, _, value = row.partition("\t")
            if form and value:
                zipf[form] = int(value) / 100.0
        return cls(zipf, shipped)

    @classmethod
    def default(cls) -> RussianWords:
        return _default_russian_words()


@lru_cache(maxsize=1)
def _default_russian_words() -> RussianWords:
    data = resources.files("kzarchive.lexicon").joinpath("data", RUSSIAN_DATA_FILE)
    if not data.is_file():
        return RussianWords({})
    return RussianWords.from_tsv(gzip.decompress(data.read_bytes()).decode("utf-8"), shipped=True)


def is_russian_paragraph(pieces: Sequence[str]) -> bool:
    """Hardly a Kazakh-only letter (әғқңөұүһі; a lone "І" is a numeral) in a paragraph of
    Cyrillic pieces, and a Russian function word or enough pieces to be sure."""
    cyrillic = [p.core for p in map(parse_piece, pieces) if p.joinable]
    if len(cyrillic) < 4:
        return False
    kazakh = sum(1 for core in cyrillic if len(core) > 1 and _KAZAKH_ONLY_LETTERS.intersection(core))
    if kazakh > 0.05 * len(cyrillic):
        return False
    return len(cyrillic) >= 12 or any(core.casefold() in _RUSSIAN_FUNCTION_WORDS for core in cyrillic)


# Pieces that are Russian words and never a piece of split Kazakh (the splitting leaves no
# one-letter piece): a run of Kazakh-letter-free pieces holding one is a Russian line.
_RUSSIAN_MARKERS = frozenset("и в с к о у для что или это как".split())
RUSSIAN_RUN_MIN = 6


def russian_runs(pieces: Sequence[str], min_pieces: int = RUSSIAN_RUN_MIN) -> list[tuple[int, int]]:
    """Runs [first, last) of pieces inside a Kazakh paragraph that read as Russian (a reference
    line, a quotation): no Kazakh-only letter in a piece of 2+ letters, at least `min_pieces`
    Cyrillic pieces, and a Russian function word that split Kazakh never has ("в", "и", "для")."""
    parsed = [parse_piece(token) for token in pieces]
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(len(parsed) + 1):
        piece = parsed[index] if index < len(parsed) else None
        if piece is not None and not (len(piece.core) > 1 and _KAZAKH_ONLY_LETTERS.intersection(piece.core)):
            continue
        cyrillic = [p.core for p in parsed[start:index] if p.joinable]
        if len(cyrillic) >= min_pieces and any(core in _RUSSIAN_MARKERS for core in cyrillic):
            runs.append((start, index))
        start = index + 1
    return runs


# Russian inflectional endings: an unlisted form is scored by a listed form with the same
# stem ("проблемном" by "проблемный").
_RUSSIAN_ENDINGS = tuple(sorted(set(
    "а я о е ы и у ю ь й ам ям ах ях ом ем ой ей ою ею ую юю ая яя ое ее ые ие ый ий ых их ым им "
    "ов ев ью ами ями ого его ому ему ыми ими".split()), key=len, reverse=True))


# Surname endings ("Бектепов", "Жукубович", "Барковский"): an unlisted name is one word.
_RUSSIAN_SURNAME_ENDINGS = ("ов", "ев", "ин", "ова", "ева", "ина", "вич", "ский", "ская", "енко")


class RussianWordModel:
    """Word model for a Russian paragraph: Russian frequencies, a listed stem with another
    Russian ending, a Russian letter model for unlisted forms, and the Kazakh lexicon's counts
    (names, Kazakh words in Russian text)."""

    def __init__(self, kazakh: WordModel, russian: RussianWords, weight: float = 1.0,
                 morph: float = 0.1, shape: float = 0.1, chars: int = RUSSIAN_LETTER_FORMS,
                 surname: float = 100.0) -> None:
        self.kazakh = kazakh
        self.russian = russian
        self.weights = kazakh.weights
        self.log_weight = math.log(weight)
        self.log_morph = math.log(morph)
        self.log_shape = math.log(shape)
        self.surname = surname  # factor on the letter-model score of a surname-shaped form
        self.stems = _russian_stems(russian)
        self.chars = _russian_char_model(russian, chars)
        self._cache: dict[str, float] = {}

    def known(self, form: str) -> bool:
        return self.kazakh.known(form) or self.russian.log_prob(form) > -math.inf

    def explained(self, form: str) -> bool:
        """Listed (Russian or Kazakh), or a listed Russian stem with another ending."""
        return self.kazakh.known(form) or self._listed(form) > -math.inf

    def log_prob(self, form: str) -> float:
        cached = self._cache.get(form)
        if cached is None:
            if "-" in form and not form.startswith("-") and not form.endswith("-"):
                cached = sum(self._score(part) for part in form.split("-") if part)
            else:
                cached = self._score(form)
            self._cache[form] = cached
        return cached

    def _score(self, form: str) -> float:
        parts = [self._shape(form)]
        seen = self.kazakh.counts.get(form, 0)
        if seen:
            parts.append(math.log(seen) - self.kazakh.log_total)
        russian = self._listed(form)
        if russian > -math.inf:
            parts.append(russian)
        else:
            if len(form) >= 6 and form.endswith(_RUSSIAN_SURNAME_ENDINGS):
                parts.append(parts[0] + math.log(self.surname))
        return log_sum(parts)

    def _listed(self, form: str) -> float:
        """A listed form, or a listed stem with another ending."""
        russian = self.russian.log_prob(form)
        if russian > -math.inf:
            return russian + self.log_weight
        stem = self._stem(form)
        return stem + self.log_morph if stem > -math.inf else stem

    def _stem(self, form: str) -> float:
        best = -math.inf
        for ending in _RUSSIAN_ENDINGS:
            if form.endswith(ending) and len(form) - len(ending) >= 3:
                best = max(best, self.stems.get(form[: len(form) - len(ending)], -math.inf))
        return best

    def _shape(self, form: str) -> float:
        base = self.chars.log_prob(form) + self.log_shape
        vowels = sum(1 for ch in form if ch in KAZAKH_VOWELS)
        if vowels == 0:
            return base - 6.0
        if vowels == 1:
            base -= self.weights.one_syllable_cost
        return base


@lru_cache(maxsize=2)
def _russian_stems(russian: RussianWords) -> dict[str, float]:
    stems: dict[str, float] = {}
    for form, zipf in russian.zipf.items():
        score = (zipf - 9.0) * _LN10
        for ending in _RUSSIAN_ENDINGS:
            if form.endswith(ending) and len(form) - len(ending) >= 3:
                stem = form[: len(form) - len(ending)]
                if score > stems.get(stem, -math.inf):
                    stems[stem] = score
    return stems


@lru_cache(maxsize=2)
def _russian_char_model(russian: RussianWords, size: int) -> CharModel:
    shipped = russian.shipped and size == RUSSIAN_LETTER_FORMS
    table = shipped_table(RUSSIAN_TABLE, RUSSIAN_DATA_FILE) if shipped else None
    return CharModel(table=table) if table is not None else CharModel(russian_letter_forms(russian, size))


def russian_letter_forms(russian: RussianWords, size: int = RUSSIAN_LETTER_FORMS) -> list[str]:
    """The forms the Russian letter model learns from: the `size` most frequent."""
    return list(russian.zipf)[:size]

