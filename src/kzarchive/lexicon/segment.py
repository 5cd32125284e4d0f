"""Rejoin Kazakh words that a PDF split into syllables by spaces ("Ор та лық Азия ел де рі").

Method: the word boundaries of a whole paragraph are chosen at once by Viterbi search over
all ways of grouping consecutive pieces into words. A word's score is the log of a mixture

* corpus evidence: word-form frequency in the clean corpus lexicon plus the document's own
  unsplit word forms;
* morphology: a known stem followed by a grammatical Kazakh suffix chain, weighted by how
  often that ending follows that kind of stem (see `suffixes.py`);
* word shape: a letter n-gram model of Kazakh word forms (fragments like "ле", "мем"
  begin or end improbably), nudged up a little when hunspell-kk accepts the form;

plus a constant per-word cost. Pieces that cannot be inside a word (acronyms, numbers,
Latin, a piece ending in punctuation that is not the last, a capital letter that is not
the first) bound the search.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .alphabet import KAZAKH_VOWELS, is_cyrillic_letter
from .hunspell import HunspellChecker, load_kazakh_hunspell
from .suffixes import MAX_ENDING, EndingModel, ending_agrees
from .wordlist import Lexicon, clean_word_forms

MAX_PIECES_PER_WORD = 9
MAX_WORD_CHARS = 32
SPLIT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Weights:
    """Mixture weights and costs (tuned on generated held-out text, bench/syllables/tune.py)."""

    word_cost: float = 2.0  # log cost of every word: below 0 favours joining
    morph: float = 0.3  # share of stem + suffix-chain analyses
    shape: float = 0.1  # share of the letter-model score for forms nobody attests
    shape_per_char: float = 0.0  # extra cost per letter of an unattested form
    hunspell: float = 3.0  # factor on the shape score when hunspell-kk accepts the form
    hunspell_min_len: int = 5  # hunspell-kk accepts fragments ("ор", "лық"): ignore it below this
    one_syllable_cost: float = 4.0  # an unattested one-syllable form is nearly always a fragment
    document: float = 3.0  # weight of one unsplit occurrence in the document itself


DEFAULT_WEIGHTS = Weights()

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


@lru_cache(maxsize=100_000)
def parse_piece(token: str) -> Piece:
    lead, core, trail = _CORE_RE.match(token).groups()
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


# --------------------------------------------------------------------------- word shape
BEGIN = "^"
END = "$"


class CharModel:
    """Letter n-gram model of word forms with Witten-Bell interpolation."""

    def __init__(self, words: Iterable[str], order: int = 4, alphabet_size: int = 50) -> None:
        self.order = order
        self.uniform = 1.0 / alphabet_size
        self._next: dict[str, Counter[str]] = defaultdict(Counter)
        for word in words:
            padded = BEGIN * (order - 1) + word + END
            for index in range(order - 1, len(padded)):
                for size in range(order):
                    self._next[padded[index - size:index]][padded[index]] += 1
        self._total = {history: sum(c.values()) for history, c in self._next.items()}
        self._kinds = {history: len(c) for history, c in self._next.items()}
        self._cache: dict[str, float] = {}

    def log_prob(self, word: str) -> float:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._score(word)
            if len(self._cache) < 500_000:
                self._cache[word] = cached
        return cached

    def _score(self, word: str) -> float:
        padded = BEGIN * (self.order - 1) + word + END
        total = 0.0
        for index in range(self.order - 1, len(padded)):
            total += math.log(self._prob(padded[index - self.order + 1:index], padded[index]))
        return total

    def _prob(self, history: str, char: str) -> float:
        prob = self.uniform
        for start in range(len(history), -1, -1):
            context = history[start:]
            seen = self._total.get(context)
            if not seen:
                continue
            kinds = self._kinds[context]
            prob = (self._next[context].get(char, 0) + kinds * prob) / (seen + kinds)
        return prob


# --------------------------------------------------------------------------- word model
class WordModel:
    """log P(word form): corpus + document frequencies, stem + suffix chain, word shape."""

    def __init__(
        self,
        lexicon: Lexicon,
        hunspell: HunspellChecker | None = None,
        document: Counter[str] | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> None:
        self.weights = weights
        self.lexicon = lexicon
        self.hunspell = hunspell
        self.counts: Counter[str] = Counter(lexicon.counts)
        for form, seen in (document or Counter()).items():
            self.counts[form] += int(round(seen * weights.document))
        self.total = sum(self.counts.values()) + len(self.counts) + 1
        self.log_total = math.log(self.total)
        self.chars = _shared_char_model(lexicon)
        self.endings = _shared_ending_model(lexicon)
        self._cache: dict[str, float] = {}

    def log_prob(self, form: str) -> float:
        cached = self._cache.get(form)
        if cached is None:
            cached = self._score(form)
            self._cache[form] = cached
        return cached

    def known(self, form: str) -> bool:
        return self.counts.get(form, 0) > 0

    def _score(self, form: str) -> float:
        parts = [self._shape(form)]
        seen = self.counts.get(form, 0)
        if seen:
            parts.append(math.log(seen) - self.log_total)
        morph = self._morphology(form)
        if morph > -math.inf:
            parts.append(morph)
        return _log_sum(parts)

    def _shape(self, form: str) -> float:
        weights = self.weights
        base = self.chars.log_prob(form) + math.log(weights.shape) - weights.shape_per_char * len(form)
        vowels = sum(1 for ch in form if ch in KAZAKH_VOWELS)
        if vowels == 0:
            return base - 6.0  # no vowel: not a Kazakh word ("нг", "ст")
        if vowels == 1:
            base -= weights.one_syllable_cost
        if len(form) >= weights.hunspell_min_len and self.hunspell and self.hunspell.accepts(form):
            base += math.log(weights.hunspell)
        return base

    def _morphology(self, form: str) -> float:
        """Best known stem + learned/grammatical ending ("тәуелсіздік" + "теріне")."""
        best = -math.inf
        for cut in range(max(3, len(form) - MAX_ENDING), len(form)):
            stem = form[:cut]
            seen = self.counts.get(stem, 0)
            if not seen:
                continue
            ending = form[cut:]
            if not ending_agrees(stem, ending):
                continue
            score = math.log(seen) - self.log_total + self.endings.log_prob(stem, ending)
            best = max(best, score)
        return best + math.log(self.weights.morph) if best > -math.inf else best


def _log_sum(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


_MODEL_CACHE: dict[int, tuple[Lexicon, CharModel, EndingModel]] = {}


def _models_for(lexicon: Lexicon) -> tuple[CharModel, EndingModel]:
    entry = _MODEL_CACHE.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        forms = [form for form in lexicon.counts if form.isalpha()]
        entry = (lexicon, CharModel(forms), EndingModel.learn(lexicon.counts))
        _MODEL_CACHE[id(lexicon)] = entry
    return entry[1], entry[2]


def _shared_char_model(lexicon: Lexicon) -> CharModel:
    return _models_for(lexicon)[0]


def _shared_ending_model(lexicon: Lexicon) -> EndingModel:
    return _models_for(lexicon)[1]


# --------------------------------------------------------------------------- segmentation
def viterbi_spans(
    pieces: Sequence[str], model: WordModel, cohesion: "PieceCohesion | None" = None
) -> list[tuple[int, int]]:
    parsed = [parse_piece(token) for token in pieces]
    size = len(parsed)
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
            if len(form) > MAX_WORD_CHARS:
                break
            if cohesion is not None and end - 1 > start:
                # pieces that always travel together in this document are one word
                joined_bonus += cohesion.bonus(parsed[end - 2].core, piece.core)
            score = best[start] + _span_score(form, piece, end - start, parsed[start], model) + joined_bonus
            if score > best[end]:
                best[end] = score
                back[end] = start
    spans: list[tuple[int, int]] = []
    end = size
    while end > 0:
        spans.append((back[end], end))
        end = back[end]
    return _fix_coordination(parsed, spans[::-1])


# Postpositions that govern the instrumental: "X-мен байланысты", "X-пен бірге".
_INSTRUMENTAL_HEADS = frozenset("байланысты бірге қатар қоса салыстырғанда тікелей бірлесе бірлесіп".split())
_COMITATIVE = ("мен", "бен", "пен")


def _fix_coordination(parsed: Sequence[Piece], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Attach or detach мен/бен/пен by the words around it, which a unigram model cannot see:
    "дәйектілік пен бірізділік" (parallel forms: a conjunction), "қауіпсіздігімен тікелей
    байланысты" (a postposition follows: the instrumental case)."""
    fixed = list(spans)
    for index in range(len(fixed) - 1):
        start, end = fixed[index]
        words_after = [_span_form(parsed, span) for span in fixed[index + 1:index + 3]]
        form = _span_form(parsed, (start, end))
        last = parsed[end - 1].core.casefold()
        if end - start >= 2 and last in _COMITATIVE and parsed[end - 2].can_precede:
            left = _span_form(parsed, (start, end - 1))
            if words_after and _parallel(left, words_after[0]):
                fixed[index] = (start, end - 1)
                fixed.insert(index + 1, (end - 1, end))
        elif form in _COMITATIVE and index > 0 and end - start == 1:
            previous = fixed[index - 1]
            if set(words_after) & _INSTRUMENTAL_HEADS and parsed[previous[1] - 1].can_precede \
                    and parsed[start].can_continue:
                fixed[index - 1] = (previous[0], end)
                del fixed[index]
                break
    return fixed


def _span_form(parsed: Sequence[Piece], span: tuple[int, int]) -> str:
    return "".join(piece.core for piece in parsed[span[0]:span[1]]).casefold()


def _parallel(left: str, right: str) -> bool:
    """Two coordinated nouns in the same form ("-лік пен -лік")."""
    return len(left) >= 5 and len(right) >= 5 and left[-3:] == right[-3:]


class PieceCohesion:
    """How pieces recur in one document: a piece always followed by the same piece
    ("Клин" → "тон") is the first half of a word, not a word."""

    def __init__(self, tokens: Iterable[str], bonus: float = 3.0, min_count: int = 3) -> None:
        cores = [parse_piece(token).core.casefold() for token in tokens]
        self.single = Counter(cores)
        self.pairs = Counter(zip(cores, cores[1:]))
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


def _span_score(form: str, last: Piece, count: int, first: Piece, model: WordModel) -> float:
    if count == 1 and not first.joinable:
        return model.weights.word_cost  # an acronym, number or Latin word: always its own word
    return model.weights.word_cost + model.log_prob(form)


# --------------------------------------------------------------------------- detection
def split_score(pieces: Sequence[str]) -> float:
    """0..1: how likely these tokens are syllable-split text (fragments, short pieces)."""
    return _split_score(pieces, Lexicon.default())


def _split_score(pieces: Sequence[str], lexicon: Lexicon) -> float:
    words = [p.core.casefold() for p in map(parse_piece, pieces) if p.joinable and "-" not in p.core]
    if len(words) < 2:
        return 0.0
    fragments = sum(1 for word in words if lexicon.freq(word) == 0) / len(words)
    short = sum(1 for word in words if len(word) <= 3) / len(words)
    evidence = 7.0 * fragments + 5.0 * short - 4.2
    # Few tokens say little: pull short lines towards "not split".
    evidence -= 3.0 / len(words)
    return 1.0 / (1.0 + math.exp(-evidence))


def is_syllable_split(pieces: Sequence[str]) -> bool:
    return split_score(pieces) >= SPLIT_THRESHOLD


# --------------------------------------------------------------------------- public API
def segment(pieces: Sequence[str], *, document_evidence: Lexicon | None = None) -> list[tuple[int, int]]:
    """Group consecutive pieces into words: spans [start, end) covering all pieces in order."""
    document = Counter(document_evidence.counts) if document_evidence else None
    return viterbi_spans(pieces, _default_model(document))


@lru_cache(maxsize=1)
def _plain_default_model() -> WordModel:
    return WordModel(Lexicon.default(), load_kazakh_hunspell())


def _default_model(document: Counter[str] | None) -> WordModel:
    if not document:
        return _plain_default_model()
    return WordModel(Lexicon.default(), load_kazakh_hunspell(), document)


def document_word_forms(text: str) -> Counter[str]:
    """Word forms a document itself writes unsplit (lines that do not look syllable-split)."""
    return Counter(clean_word_forms(text))


class SyllableRepairer:
    """Lexicon + hunspell + one document's own evidence, reused across its paragraphs."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        document_text: str | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        use_hunspell: bool = True,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else Lexicon.default()
        self.hunspell = load_kazakh_hunspell() if use_hunspell else None
        document = document_word_forms(document_text) if document_text else Counter()
        self.model = WordModel(self.lexicon, self.hunspell, document, weights)
        self.cohesion = PieceCohesion(document_text.split()) if document_text else None
        hunspell_note = "with hunspell-kk via spylls" if self.hunspell else "without hunspell"
        self.method_description = (
            "Syllable-split words rejoined by Viterbi search over word boundaries, scored by "
            f"word-form frequencies of the {self.lexicon.name} lexicon ({len(self.lexicon)} forms) "
            f"plus this document's unsplit words, a Kazakh suffix-chain model and a letter n-gram "
            f"model ({hunspell_note})."
        )

    def segment(self, pieces: Sequence[str]) -> list[tuple[int, int]]:
        return viterbi_spans(pieces, self.model, self.cohesion)

    def split_score(self, pieces: Sequence[str]) -> float:
        return _split_score(pieces, self.lexicon)

    def is_syllable_split(self, pieces: Sequence[str]) -> bool:
        return self.split_score(pieces) >= SPLIT_THRESHOLD

    def rejoin(self, pieces: Sequence[str]) -> list[str]:
        """The words of a split paragraph (pieces joined without spaces inside a word)."""
        return join_spans(pieces, self.segment(pieces))


def join_spans(pieces: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[str]:
    return ["".join(pieces[start:end]) for start, end in spans]
