"""Rejoin Kazakh words that a PDF split into syllables by spaces ("Ор та лық Азия ел де рі").

Method: the word boundaries of a whole paragraph are chosen at once by Viterbi search over
all ways of grouping consecutive pieces into words. A word's score is the log of a mixture

* corpus evidence: word-form frequency in the clean corpus lexicon plus the document's own
  unsplit word forms;
* morphology: a known stem followed by a grammatical Kazakh suffix chain, weighted by how
  often that ending follows that kind of stem (see `suffixes.py`);
* word shape: a letter n-gram model of Kazakh word forms (fragments like "ле", "мем"
  begin or end improbably), nudged up a little when hunspell-kk accepts the form;

plus a constant per-word cost, plus for every seam inside a word the log-odds of a learned
piece-seam model (`BoundaryModel`: last syllable of the left piece, first of the right one,
their letters and vowel harmony). A logistic clitic model then re-decides each мен/да/ма…
piece: case ending of the word before or a word of its own (`CliticModel`). Pieces that cannot be inside a word (acronyms, numbers,
Latin, a piece ending in punctuation that is not the last, a capital letter that is not
the first) bound the search; an unexplained lowercase word right after a capitalised one costs
extra, so an unknown name is not cut at its first piece ("Жу кубович"). A paragraph with hardly a Kazakh-only letter and Russian function
words is scored by Russian word frequencies instead (`RussianWordModel`, wordfreq's list shipped
as `data/ru_wordfreq.tsv.gz`), with one-letter pieces ("в", "к") kept as words; inside a
Kazakh paragraph, a Russian line (`russian_runs`: no Kazakh-only letter, a marker such as "в",
"и", "для") has its words scored the same way.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .alphabet import KAZAKH_VOWELS, is_cyrillic_letter
from .hunspell import HunspellChecker, dictionary_words, load_kazakh_hunspell
from .suffixes import MAX_ENDING, PLURAL, VOICELESS, EndingModel, ending_agrees, harmony, is_valid_ending
from .syllabify import syllabify
from .tesseract import tesseract_words
from .wordlist import Lexicon, clean_word_forms

MAX_PIECES_PER_WORD = 9
MAX_WORD_CHARS = 32
SPLIT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Weights:
    """Mixture weights and costs (tuned on the dev split of the training texts,
    bench/syllables/tune.py)."""

    word_cost: float = 3.0  # log cost of every word: below 0 favours joining
    morph: float = 0.3  # share of stem + suffix-chain analyses
    shape: float = 0.1  # share of the letter-model score for forms nobody attests
    shape_per_char: float = 0.0  # extra cost per letter of an unattested form
    hunspell: float = 3.0  # factor on the shape score when hunspell-kk accepts the form
    hunspell_min_len: int = 5  # hunspell-kk accepts fragments ("ор", "лық"): ignore it below this
    one_syllable_cost: float = 4.0  # an unattested one-syllable form is nearly always a fragment
    document: float = 3.0  # weight of one unsplit occurrence in the document itself
    clitic_words: float = 0.3  # share of the word model in the clitic attach/detach decision
    seam: float = 1.0  # factor on the piece-seam model's log-odds for every seam inside a word
    clitic_bias: float = -0.7  # added to the clitic attach log-odds: a wrong join costs two words, a wrong split one (≈ -ln 2)
    dictionary_count: float = 0.1  # pseudo-count of a hunspell-kk word-list entry the corpus never saw
    dictionary_form: bool = True  # the entry also counts as a whole form (not only as a stem)
    dictionary_min_len: int = 4  # short entries ("ор", "лық") are fragments as often as words
    hyphen_compound: float = 0.05  # P(a hyphenated compound) for an unattested "X-Y": scored as X and Y
    stray_particles: bool = True  # re-attach a lone да/де/та/те that cannot be the particle there
    stray_particle_doubt: float = 4.0  # log-odds against such a lone particle being right after all
    orphan: float = 2.5  # cost of an unexplained lowercase word (3+ letters) right after a capitalised one ("Бек тепов")
    wordlist_count: float = 0.3  # pseudo-count of a form of Tesseract's Kazakh word list the corpus never saw
    wordlist_min_len: int = 4  # its short forms ("ор", "лық") are fragments as often as words
    wordlist_part_len: int = 2  # a listed form that is two known words of this length or more ("бастарту") does not count


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


# An en or em dash between letters inside a piece joins two names ("су–Алашаң" of "Ата су–Алашаң қай"):
# for scoring it is a hyphen, so the halves are rejoined as the two names (the text keeps the dash).
_NAME_DASH_RE = re.compile(r"(?<=[^\W\d_])[–—](?=[^\W\d_])")


@lru_cache(maxsize=100_000)
def parse_piece(token: str) -> Piece:
    lead, core, trail = _CORE_RE.match(token).groups()
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
        dictionary: frozenset[str] = frozenset(),
        wordlist: frozenset[str] = frozenset(),
    ) -> None:
        self.weights = weights
        self.dictionary = dictionary if weights.dictionary_count > 0 else frozenset()
        self.wordlist = wordlist if weights.wordlist_count > 0 else frozenset()
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
        self._morph_cache: dict[str, float] = {}
        self._listed_cache: dict[str, bool] = {}

    def log_prob(self, form: str) -> float:
        cached = self._cache.get(form)
        if cached is None:
            cached = self._score(form)
            self._cache[form] = cached
        return cached

    def known(self, form: str) -> bool:
        return self.counts.get(form, 0) > 0

    def explained(self, form: str) -> bool:
        """Attested, or a known stem + a grammatical suffix chain."""
        return self.counts.get(form, 0) > 0 or self._morph(form) > -math.inf

    def _morph(self, form: str) -> float:
        cached = self._morph_cache.get(form)
        if cached is None:
            cached = self._morphology(form)
            self._morph_cache[form] = cached
        return cached

    def _stem_count(self, stem: str) -> float:
        """Corpus count of a stem, else the dictionary's pseudo-count for a listed one."""
        seen = self.counts.get(stem, 0)
        if seen:
            return seen
        if self.wordlist and self._listed(stem):
            return self.weights.wordlist_count  # a whole form, inflected or not
        if len(stem) >= self.weights.dictionary_min_len and stem in self.dictionary:
            return self.weights.dictionary_count
        return 0

    def _listed(self, form: str) -> bool:
        """In Tesseract's word list and evidence of one word there. The list comes from web text:
        it holds bare suffix chains ("ларымыз", "дағы") and words that lost a space ("бастарту",
        "ауылшаруашылығы"); a listed form that reads as two known words is no evidence of one."""
        cached = self._listed_cache.get(form)
        if cached is None:
            shortest = self.weights.wordlist_part_len
            cached = (len(form) >= self.weights.wordlist_min_len and form in self.wordlist
                      and not _bare_inflection(form)
                      and not any(self._known_part(form[:cut]) and self._known_part(form[cut:])
                                  for cut in range(shortest, len(form) - shortest + 1)))
            self._listed_cache[form] = cached
        return cached

    def _known_part(self, part: str) -> bool:
        """Attested in the corpus or the document, or a hunspell-kk entry (not only in the web list:
        "сенімдемін" is not "сенім" + "демін")."""
        return self.counts.get(part, 0) > 0 or part in self.dictionary

    def _score(self, form: str) -> float:
        if "-" in form and self.weights.hyphen_compound and not self.counts.get(form, 0):
            return self._compound_score(form)
        parts = [self._shape(form)]
        seen = self._stem_count(form) if self.weights.dictionary_form else self.counts.get(form, 0)
        if seen:
            parts.append(math.log(seen) - self.log_total)
        morph = self._morph(form)
        if morph > -math.inf:
            parts.append(morph)
        return _log_sum(parts)

    def _compound_score(self, form: str) -> float:
        """An unattested hyphenated form ("наурыз-мамыр", "артынша-ақ") as its parts: the letter
        model would read the hyphen as a letter and score every such compound as noise."""
        halves = form.split("-")
        if not all(halves):
            return self._shape(form)
        scores = [sum(self.log_prob(half) for half in halves) + math.log(self.weights.hyphen_compound)]
        morph = self._morph(form)  # an attested compound + inflection: "іс-қимыл" + "дары"
        if morph > -math.inf:
            scores.append(morph)
        return _log_sum(scores)

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
            seen = self._stem_count(stem)
            if not seen:
                continue
            ending = form[cut:]
            if not ending_agrees(stem, ending):
                continue
            score = math.log(seen) - self.log_total + self.endings.log_prob(stem, ending)
            best = max(best, score)
        return best + math.log(self.weights.morph) if best > -math.inf else best


def _bare_inflection(form: str) -> bool:
    """A plural suffix and inflection with no stem ("ларымыз", "дардың"): a fragment, listed or not.
    (Endings that start with a derivational or verb suffix also spell stems: "сынаудан", "тасталады".)"""
    return form[:3] in PLURAL and is_valid_ending(form)


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
    pieces: Sequence[str],
    model: WordModel,
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
        parsed = [_alone(piece) if len(piece.core) == 1 else piece for piece in parsed]
    size = len(parsed)
    # run[i]: index of the Russian run (a Russian line inside a Kazakh paragraph) holding
    # piece i, or -1; a word wholly inside one run is scored by the Russian model
    run = [-1] * size
    if russian is not None:
        for number, (first, last) in enumerate(russian_runs):
            for index in range(first, last):
                run[index] = number
                if len(parsed[index].core) == 1:
                    parsed[index] = _alone(parsed[index])
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
            scorer = russian if run[start] >= 0 and run[end - 1] == run[start] else model
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
    if clitics:
        spans = _fix_instrumental(parsed, _fix_clitics(parsed, spans, clitics, model, run))
        return _fix_stray_particles(parsed, spans, model, run) if model.weights.stray_particles else spans
    return _fix_coordination(parsed, spans)


def _alone(piece: Piece) -> Piece:
    return Piece(piece.lead, piece.core, piece.trail, False, piece.capital)


def _fix_clitics(
    parsed: Sequence[Piece], spans: list[tuple[int, int]], clitics: CliticModel, model: WordModel,
    run: Sequence[int] = (),
) -> list[tuple[int, int]]:
    """Attach or detach мен/да/ма… pieces by the clitic model, which sees the words around
    them (a unigram word model cannot tell "мүддесі мен" from "мүддесімен")."""
    fixed = list(spans)
    weight = model.weights.clitic_words
    index = 0
    while index < len(fixed):
        start, end = fixed[index]
        last = parsed[end - 1]
        clitic = last.core.casefold()
        if clitic in CLITICS and not last.lead and not (run and run[end - 1] >= 0):
            following = _span_core(parsed, fixed[index + 1]) if index + 1 < len(fixed) else ""
            if end - start >= 2:
                left = _span_core(parsed, (start, end - 1))
                before = _span_core(parsed, fixed[index - 1]) if index and parsed[start - 1].can_precede else ""
                z = clitics.log_odds(left, clitic, last.trail, following, before)
                if weight:
                    z += weight * _join_gain(model, left, clitic)
                z += model.weights.clitic_bias
                if z < 0:
                    fixed[index:index + 1] = [(start, end - 1), (end - 1, end)]
                    index += 2
                    continue
            elif index and parsed[start - 1].can_precede and last.can_continue:
                previous = fixed[index - 1]
                left = _span_core(parsed, previous)
                before = _span_core(parsed, fixed[index - 2]) if index >= 2 and parsed[previous[0] - 1].can_precede else ""
                if not _suffix_fits(left, clitic):
                    index += 1
                    continue
                z = clitics.log_odds(left, clitic, last.trail, following, before)
                if weight:
                    z += weight * _join_gain(model, left, clitic)
                z += model.weights.clitic_bias
                if z > 0:
                    fixed[index - 1:index + 1] = [(previous[0], end)]
                    continue
        index += 1
    return fixed


_PARTICLES_D = frozenset("да де та те".split())


# a loanword's last syllable with у as its vowel is back ("референдум|да", "консенсус|қа")
_LOAN_U_RE = re.compile(r"[^аәеёиоөуұүыіэюя]у[^аәеёиоөуұүыіэюяй]+$")


def _word_harmony(word: str) -> str:
    return "b" if _LOAN_U_RE.search(word) else harmony(word)


def _particle_agrees(previous: str, particle: str) -> bool:
    """Could `particle` (да/де/та/те) stand after `previous` as the particle "too, even"?
    It follows the word's vowel harmony and voicing: "жақ та", "Ресей де", never "отырған де"."""
    if previous.endswith(("ов", "ев", "ёв")):
        # a Russian surname ending: harmony from the stem, в read as voiceless ("Тоқаев та", "Әлиев те")
        stem_harmony = _word_harmony(previous[:-2])
        return particle[0] == "т" and stem_harmony in ("x", harmony(particle))
    word_harmony = _word_harmony(previous)
    if word_harmony != "x" and word_harmony != harmony(particle):
        return False
    voiceless = previous[-1] in VOICELESS
    return particle[0] == ("т" if voiceless else "д")


_KAZAKH_HARMONY_RE = re.compile(r"[әғқңөұүһі]|(?:лар|дар|тар|лер|дер|тер)")


def _harmony_is_kazakh(word: str) -> bool:
    """A Kazakh-only letter or a Kazakh plural suffix: the word's vowel harmony can be trusted."""
    return bool(_KAZAKH_HARMONY_RE.search(word))


def _fix_stray_particles(
    parsed: Sequence[Piece], spans: list[tuple[int, int]], model: WordModel, run: Sequence[int] = (),
) -> list[tuple[int, int]]:
    """A lone да/де/та/те that cannot be the particle after the word before (wrong harmony or
    voicing) is a syllable of a neighbour: the first of the next word ("отырған де позитарлық" →
    "депозитарлық") or the last of the word before ("тереңде те" → "тереңдете"), whichever the
    word model prefers."""
    fixed = list(spans)
    index = 1
    while index < len(fixed) - 1:
        start, end = fixed[index]
        piece = parsed[start]
        particle = piece.core
        if end - start != 1 or particle not in _PARTICLES_D or piece.lead or piece.trail \
                or (run and run[start] >= 0):
            index += 1
            continue
        previous, following = fixed[index - 1], fixed[index + 1]
        left = _span_core(parsed, previous)
        right = _span_core(parsed, following)
        joinable_left = parsed[previous[1] - 1].can_precede and piece.can_continue
        joinable_right = piece.can_precede and parsed[following[0]].can_continue \
            and right[:1].islower()
        if not (joinable_left and left.isalpha() and sum(ch.isupper() for ch in left) <= 1) \
                or _particle_agrees(left.casefold(), particle):
            index += 1
            continue
        # a syllable, not a suffix: joining left needs no assimilation check ("тереңде|те"), but
        # one word keeps one harmony unless the lexicon knows better ("референдумда")
        joined = (left + particle).casefold()
        join_left = model.log_prob(joined) + model.log_prob(right.casefold()) \
            if _word_harmony(left.casefold()) in ("x", harmony(particle)) or model.known(joined) else -math.inf
        join_right = model.log_prob(left.casefold()) + model.log_prob((particle + right).casefold()) \
            if joinable_right else -math.inf
        # left alone it cannot be the particle, but a join must still read better than that
        # by more than the grammar's doubt ("Горбачев та келді" is not "такелді")
        doubt = model.weights.stray_particle_doubt
        if _harmony_is_kazakh(left.casefold()):
            doubt *= 4  # "шахталарын де": a Kazakh word's harmony is sure, a loanword's ("интервью") is not
        alone = model.log_prob(left.casefold()) + model.log_prob(particle) + model.log_prob(right.casefold()) \
            + model.weights.word_cost - doubt
        if max(join_left, join_right) <= alone:
            index += 1
            continue
        if join_right > join_left:
            fixed[index:index + 2] = [(start, following[1])]
        else:
            fixed[index - 1:index + 1] = [(previous[0], end)]
        index += 1
    return fixed


def _suffix_fits(left: str, clitic: str) -> bool:
    """Could `clitic` be a suffix of `left`: consonant assimilation and vowel harmony
    ("шахталарын" + "де" cannot be one word)."""
    left = left.casefold()
    if not left or not ending_agrees(left, clitic):
        return False
    if clitic in _COMITATIVE:
        return True  # -мен/-бен/-пен have no back-vowel variant
    stem_harmony = harmony(left)
    return stem_harmony == "x" or stem_harmony == harmony(clitic)


def _join_gain(model: WordModel, left: str, clitic: str) -> float:
    """Word-model score of "left+clitic" as one word minus that of the two words."""
    left = left.casefold()
    word_cost = model.weights.word_cost
    return model.log_prob(left + clitic) - model.log_prob(left) - model.log_prob(clitic) - word_cost


def _span_core(parsed: Sequence[Piece], span: tuple[int, int]) -> str:
    return "".join(piece.core for piece in parsed[span[0]:span[1]])


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


def _fix_instrumental(parsed: Sequence[Piece], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A lone мен/бен/пен right before a postposition that governs the instrumental is the
    case ending of the word before: "қауіпсіздігімен тікелей байланысты"."""
    fixed = list(spans)
    for index in range(1, len(fixed) - 1):
        start, end = fixed[index]
        if end - start != 1 or _span_form(parsed, (start, end)) not in _COMITATIVE:
            continue
        words_after = {_span_form(parsed, span) for span in fixed[index + 1:index + 3]}
        previous = fixed[index - 1]
        if words_after & _INSTRUMENTAL_HEADS and parsed[previous[1] - 1].can_precede \
                and parsed[start].can_continue:
            fixed[index - 1:index + 1] = [(previous[0], end)]
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


# --------------------------------------------------------------------------- clitics
# Pieces that are either a word of their own (conjunction мен/бен/пен "and", particle
# да/де/та/те "also", question particle ма/ме/ба/бе/па/пе) or a case ending of the word
# before (instrumental -мен, locative -да): "мүддесі мен" ↔ "мүддесімен".
CLITICS = frozenset("мен бен пен да де та те ма ме ба бе па пе ше ша".split())
_CLITIC_GROUP = {c: g for g, cs in (("M", "мен бен пен"), ("D", "да де та те"), ("Q", "ма ме ба бе па пе"),
                                     ("S", "ше ша")) for c in cs.split()}
_HYPHEN_BREAK_RE = re.compile(r"(\w)-[ \t]*\n\s*(\w)")


def _clitic_features(left: str, clitic: str, trail: str, following: str, before: str) -> list[str]:
    """Features of the choice "left+clitic" (one word) vs "left clitic" (two words).
    `left`, `following` and `before` are word forms as written (case kept for the capital test)."""
    group = _CLITIC_GROUP[clitic]
    low = left.casefold()
    nxt = following.casefold()
    feats = [f"c={clitic}", f"g={group}"]
    for size in (1, 2, 3, 4):
        if len(low) >= size:
            feats.append(f"{group}|l{size}={low[-size:]}")
    feats.append(f"{clitic}|L={low}")
    feats.append(f"{group}|cap={left[:1].isupper()}")
    feats.append(f"{group}|llen={min(len(low), 12) // 3}")
    if trail:
        feats.append(f"{group}|trail={trail[:1]}")
        nxt = "<punct>"
    feats.append(f"{group}|N={nxt}")
    if len(nxt) >= 4 and nxt != "<punct>":
        feats.append(f"{group}|n3={nxt[-3:]}")
        feats.append(f"{group}|nf2={nxt[:2]}")
    if len(low) >= 5 and len(nxt) >= 5 and low[-3:] == nxt[-3:]:
        feats.append(f"{group}|parallel")
    if len(nxt) >= 3 and nxt != "<punct>":
        feats.append(f"{group}|l1n1={low[-1:]}{nxt[-1:]}")
    if nxt in _INSTRUMENTAL_HEADS:
        feats.append(f"{group}|head")
    if before:
        feats.append(f"{group}|P={before.casefold()}")
    return feats


class CliticModel:
    """Logistic model of P(clitic piece is part of the word before | both words, next word),
    learned from clean text: every standalone мен/да/… after a word is a "detached" example,
    every word whose last syllable spells one (ұйымымен, бағдарламада) an "attached" one."""

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        self.weights = weights or {}

    def __bool__(self) -> bool:
        return bool(self.weights)

    def log_odds(self, left: str, clitic: str, trail: str = "", following: str = "", before: str = "") -> float:
        """log P(attached) / P(detached)."""
        weights = self.weights
        return sum(weights.get(f, 0.0) for f in _clitic_features(left, clitic, trail, following, before))

    # ------------------------------------------------------------------ learning
    @staticmethod
    def events(text: str) -> Iterable[tuple[list[str], int]]:
        text = _HYPHEN_BREAK_RE.sub(r"\1\2", text)
        tokens = [parse_piece(token) for token in text.split()]
        for index, token in enumerate(tokens):
            if not token.joinable or "-" in token.core:
                continue
            following = tokens[index + 1].core if index + 1 < len(tokens) else ""
            low = token.core.casefold()
            if low in CLITICS:
                if index == 0 or token.lead:
                    continue
                left = tokens[index - 1]
                if not left.joinable or left.trail or "-" in left.core or len(left.core) < 2:
                    continue
                before = tokens[index - 2] if index >= 2 else None
                before_form = before.core if before and before.joinable and not before.trail else ""
                yield _clitic_features(left.core, low, token.trail, following, before_form), 0
                continue
            for clitic in (low[-3:], low[-2:]):
                if clitic not in CLITICS or len(low) - len(clitic) < 2:
                    continue
                if syllabify(low)[-1] != clitic:
                    continue
                before = tokens[index - 1] if index else None
                before_form = before.core if before and before.joinable and not before.trail else ""
                left = token.core[: len(token.core) - len(clitic)]
                yield _clitic_features(left, clitic, token.trail, following, before_form), 1
                break

    @classmethod
    def learn(cls, texts: Iterable[str], epochs: int = 8, rate: float = 0.2, l2: float = 1e-4) -> CliticModel:
        data = [event for text in texts for event in cls.events(text)]
        return cls(_train_logistic(data, epochs, rate, l2))

    def dump(self) -> str:
        return "".join(f"{f}\t{w}\n" for f, w in sorted(self.weights.items()))

    @classmethod
    def from_tsv(cls, text: str) -> CliticModel:
        weights = {}
        for row in text.splitlines():
            feature, _, value = row.rpartition("\t")
            if feature:
                weights[feature] = float(value)
        return cls(weights)

    @classmethod
    def default(cls) -> CliticModel:
        return _default_clitic_model()


def _train_logistic(
    data: list[tuple[list[str], int]], epochs: int, rate: float, l2: float, min_weight: float = 0.01
) -> dict[str, float]:
    """Logistic regression by AdaGrad over binary feature lists (deterministic order)."""
    weights: dict[str, float] = defaultdict(float)
    squares: dict[str, float] = defaultdict(lambda: 1e-8)
    rng = _Lcg(17)
    for _ in range(epochs):
        rng.shuffle(data)
        for feats, label in data:
            z = sum(weights[f] for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            gradient = p - label
            for f in feats:
                g = gradient + l2 * weights[f]
                squares[f] += g * g
                weights[f] -= rate * g / math.sqrt(squares[f])
    return {f: round(w, 4) for f, w in weights.items() if abs(w) >= min_weight}


class _Lcg:
    """A tiny deterministic shuffler (training must not depend on Python's random seed)."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def shuffle(self, items: list) -> None:
        for index in range(len(items) - 1, 0, -1):
            self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            other = (self.state >> 33) % (index + 1)
            items[index], items[other] = items[other], items[index]


# --------------------------------------------------------------------------- piece seams
def _boundary_features(left: str, right: str) -> list[str]:
    """Features of the seam between two pieces (case-folded cores): same word or not."""
    left_syllable = syllabify(left)[-1]
    right_syllable = syllabify(right)[0]
    return [
        "bias",
        f"L={left_syllable}",
        f"R={right_syllable}",
        f"LR={left_syllable}|{right_syllable}",
        f"l2={left[-2:]}",
        f"r2={right[:2]}",
        f"lr={left[-1]}{right[0]}",
        f"h={harmony(left)}{harmony(right)}",
        f"lp={left}" if left != left_syllable else f"lm={len(left)}",
        f"rp={right}" if right != right_syllable else f"rm={len(right)}",
    ]


def _simple_split(word: str) -> list[str]:
    """Syllables with one-letter pieces merged into a neighbour (as 004 never shows them)."""
    pieces: list[str] = []
    for syllable in syllabify(word):
        if pieces and (len(syllable) < 2 or len(pieces[-1]) < 2):
            pieces[-1] += syllable
        else:
            pieces.append(syllable)
    return pieces


class BoundaryModel:
    """Logistic model of P(two adjacent pieces belong to one word | the seam): the last
    syllable of the left piece, the first of the right one, their letters and vowel harmony.
    Learned from clean text split into pieces the way 004 is split; its log-odds are added
    for every seam inside a word of the segmentation."""

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        self.weights = weights or {}
        self._cache: dict[tuple[str, str], float] = {}

    def __bool__(self) -> bool:
        return bool(self.weights)

    def log_odds(self, left: str, right: str) -> float:
        key = (left, right)
        cached = self._cache.get(key)
        if cached is None:
            weights = self.weights
            cached = sum(weights.get(f, 0.0) for f in _boundary_features(left, right))
            if len(self._cache) < 200_000:
                self._cache[key] = cached
        return cached

    @staticmethod
    def events(text: str, splitter: Callable[[str], list[str]] | None = None) -> Iterable[tuple[list[str], int]]:
        split = splitter or _simple_split
        text = _HYPHEN_BREAK_RE.sub(r"\1\2", text)
        for block in re.split(r"\n\s*\n", text):
            previous: Piece | None = None
            for token in block.split():
                for index, raw in enumerate(split(token)):
                    piece = parse_piece(raw)
                    if previous is not None and previous.can_precede and piece.can_continue:
                        left, right = previous.core.casefold(), piece.core.casefold()
                        if "-" not in left and "-" not in right:
                            yield _boundary_features(left, right), int(index > 0)
                    previous = piece

    @classmethod
    def learn(
        cls, texts: Iterable[str], splitter: Callable[[str], list[str]] | None = None,
        epochs: int = 3, rate: float = 0.2, l2: float = 1e-4,
    ) -> BoundaryModel:
        data = [event for text in texts for event in cls.events(text, splitter)]
        return cls(_train_logistic(data, epochs, rate, l2))

    def dump(self) -> str:
        return "".join(f"{f}\t{w}\n" for f, w in sorted(self.weights.items()))

    @classmethod
    def from_tsv(cls, text: str) -> BoundaryModel:
        return cls(CliticModel.from_tsv(text).weights)

    @classmethod
    def default(cls) -> BoundaryModel:
        return _default_boundary_model()


BOUNDARY_DATA_FILE = "kk_boundaries.tsv"


@lru_cache(maxsize=1)
def _default_boundary_model() -> BoundaryModel:
    data = resources.files("kzarchive.lexicon").joinpath("data", BOUNDARY_DATA_FILE)
    return BoundaryModel.from_tsv(data.read_text(encoding="utf-8")) if data.is_file() else BoundaryModel()


CLITIC_DATA_FILE = "kk_clitics.tsv"


@lru_cache(maxsize=1)
def _default_clitic_model() -> CliticModel:
    data = resources.files("kzarchive.lexicon").joinpath("data", CLITIC_DATA_FILE)
    return CliticModel.from_tsv(data.read_text(encoding="utf-8")) if data.is_file() else CliticModel()


# --------------------------------------------------------------------------- Russian
RUSSIAN_DATA_FILE = "ru_wordfreq.tsv.gz"
_KAZAKH_ONLY_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_RUSSIAN_FUNCTION_WORDS = frozenset("и в во на не с со что по к ко из для от как о об а но это же при или".split())
_LN10 = math.log(10.0)


class RussianWords:
    """Russian word-form frequencies (Zipf scale, from wordfreq; `build.py`)."""

    def __init__(self, zipf: dict[str, float]) -> None:
        self.zipf = zipf

    def __bool__(self) -> bool:
        return bool(self.zipf)

    def log_prob(self, form: str) -> float:
        """Natural-log probability of a case-folded form (-inf when not listed)."""
        value = self.zipf.get(form.replace("ё", "е")) if form not in self.zipf else self.zipf[form]
        return (value - 9.0) * _LN10 if value is not None else -math.inf

    @classmethod
    def from_tsv(cls, text: str) -> RussianWords:
        zipf: dict[str, float] = {}
        for row in text.splitlines():
            form, _, value = row.partition("\t")
            if form and value:
                zipf[form] = int(value) / 100.0
        return cls(zipf)

    @classmethod
    def default(cls) -> RussianWords:
        return _default_russian_words()


@lru_cache(maxsize=1)
def _default_russian_words() -> RussianWords:
    data = resources.files("kzarchive.lexicon").joinpath("data", RUSSIAN_DATA_FILE)
    if not data.is_file():
        return RussianWords({})
    return RussianWords.from_tsv(gzip.decompress(data.read_bytes()).decode("utf-8"))


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
                 morph: float = 0.1, shape: float = 0.1, chars: int = 20_000,
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
        return _log_sum(parts)

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
    return CharModel(list(russian.zipf)[:size])


# --------------------------------------------------------------------------- detection
def split_score(pieces: Sequence[str]) -> float:
    """0..1: how likely these tokens are syllable-split text (fragments, short pieces)."""
    return _split_score(pieces, Lexicon.default())


def _split_score(pieces: Sequence[str], lexicon: Lexicon) -> float:
    words = [p.core.casefold() for p in map(parse_piece, pieces) if p.joinable and "-" not in p.core]
    if len(words) < 2:
        return 0.0
    listed = tesseract_words()
    score = _fragment_score(words, lambda word: _known_to_detection(word, lexicon, listed))
    if score >= SPLIT_THRESHOLD and is_russian_paragraph(pieces):
        # unsplit Russian is all "fragments" to the Kazakh lexicons: its long words are listed Russian
        # words (the list is loaded only here, for a paragraph that would otherwise count as split)
        russian = RussianWords.default()
        score = _fragment_score(words, lambda word: _known_to_detection(word, lexicon, listed) or (
            len(word) >= DETECTION_LISTED_MIN_LEN and russian.log_prob(word) > -math.inf))
    return score


def _fragment_score(words: Sequence[str], known: Callable[[str], bool]) -> float:
    fragments = sum(1 for word in words if not known(word)) / len(words)
    short = sum(1 for word in words if len(word) <= 3) / len(words)
    evidence = 7.0 * fragments + 5.0 * short - 4.2
    # Few tokens say little: pull short lines towards "not split".
    evidence -= 3.0 / len(words)
    return 1.0 / (1.0 + math.exp(-evidence))


# Tesseract's Kazakh word list holds syllables as words ("ла", "мыз", "лық"); only its longer forms
# tell a word of unseen vocabulary from a fragment when detecting split text.
DETECTION_LISTED_MIN_LEN = 5


def _known_to_detection(word: str, lexicon: Lexicon, listed: frozenset[str]) -> bool:
    return lexicon.freq(word) > 0 or (len(word) >= DETECTION_LISTED_MIN_LEN and word in listed)


def is_syllable_split(pieces: Sequence[str]) -> bool:
    return split_score(pieces) >= SPLIT_THRESHOLD


# --------------------------------------------------------------------------- public API
def segment(pieces: Sequence[str], *, document_evidence: Lexicon | None = None) -> list[tuple[int, int]]:
    """Group consecutive pieces into words: spans [start, end) covering all pieces in order."""
    document = Counter(document_evidence.counts) if document_evidence else None
    return viterbi_spans(pieces, _default_model(document))


@lru_cache(maxsize=1)
def _plain_default_model() -> WordModel:
    return WordModel(Lexicon.default(), None)


def _default_model(document: Counter[str] | None) -> WordModel:
    if not document:
        return _plain_default_model()
    return WordModel(Lexicon.default(), None, document)


def document_word_forms(text: str, lexicon: Lexicon | None = None) -> Counter[str]:
    """Word forms a document itself writes unsplit: from its blocks that do not look
    syllable-split as a whole (a short line inside a split paragraph is split too: "ді ды")."""
    lexicon = lexicon if lexicon is not None else Lexicon.default()
    forms: Counter[str] = Counter()
    for block in re.split(r"\n\s*\n", text):
        if _split_score(block.split(), lexicon) < SPLIT_THRESHOLD:
            forms.update(clean_word_forms(block))
    return forms


class SyllableRepairer:
    """Lexicon + one document's own evidence, reused across its paragraphs.

    hunspell-kk is off by default: measured on the 004 reference it lowers accuracy (99.05 %
    with, 99.37 % without), it changes held-out accuracy by < 0.1 point, and its pure-Python
    lookups (spylls) cost several seconds per split document.
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        document_text: str | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        use_hunspell: bool = False,
        clitics: CliticModel | None = None,
        boundaries: BoundaryModel | None = None,
        use_russian: bool = True,
        dictionary: frozenset[str] | None = None,
        wordlist: frozenset[str] | None = None,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else Lexicon.default()
        if self.lexicon is Lexicon.default():
            # learned from the same clean texts as the lexicon
            if clitics is None:
                clitics = CliticModel.default()
            if boundaries is None:
                boundaries = BoundaryModel.default()
        self.clitics = clitics or None
        self.boundaries = boundaries or None
        self.hunspell = load_kazakh_hunspell() if use_hunspell else None
        document = document_word_forms(document_text, self.lexicon) if document_text else Counter()
        if dictionary is None:
            dictionary = dictionary_words(weights.dictionary_min_len) if weights.dictionary_count > 0 else frozenset()
        if wordlist is None:
            wordlist = tesseract_words() if weights.wordlist_count > 0 else frozenset()
        self.model = WordModel(self.lexicon, self.hunspell, document, weights, dictionary, wordlist)
        self.cohesion = PieceCohesion(document_text.split()) if document_text else None
        self.use_russian = use_russian
        self._russian_model: RussianWordModel | None = None
        hunspell_note = "with hunspell-kk via spylls" if self.hunspell else "without hunspell affix expansion"
        if self.model.dictionary:
            hunspell_note += f"; the {len(self.model.dictionary)} entries of hunspell-kk's word list as known stems"
        if self.model.wordlist:
            hunspell_note += f"; the {len(self.model.wordlist)} forms of Tesseract's Kazakh word list as known words"
        self.method_description = (
            "Syllable-split words rejoined by Viterbi search over word boundaries, scored by "
            f"word-form frequencies of the {self.lexicon.name} lexicon ({len(self.lexicon)} forms) "
            f"plus this document's unsplit words, a Kazakh suffix-chain model and a letter n-gram "
            f"model{', a clitic attach/detach model' if self.clitics else ''}"
            f"{', a piece-seam model' if self.boundaries else ''}"
            f"{'; Russian paragraphs by wordfreq Russian word frequencies' if use_russian else ''} ({hunspell_note})."
        )

    def segment(self, pieces: Sequence[str]) -> list[tuple[int, int]]:
        if self.use_russian and is_russian_paragraph(pieces):
            russian = self._russian()
            if russian is not None:
                return viterbi_spans(pieces, russian, self.cohesion, None, self.boundaries, letter_words=True)
        runs = russian_runs(pieces) if self.use_russian else []
        russian = self._russian() if runs else None
        return viterbi_spans(pieces, self.model, self.cohesion, self.clitics, self.boundaries,
                             russian=russian, russian_runs=runs if russian is not None else ())

    def scoring_model(self, pieces: Sequence[str]) -> WordModel | RussianWordModel:
        """The word model `segment` scores a paragraph with (for the confidence of its joins)."""
        if self.use_russian and is_russian_paragraph(pieces):
            return self._russian() or self.model
        return self.model

    def _russian(self) -> RussianWordModel | None:
        """The Russian-paragraph model, built on first use (None without the Russian list)."""
        if self._russian_model is None:
            words = RussianWords.default()
            if not words:
                self.use_russian = False
                return None
            self._russian_model = RussianWordModel(self.model, words)
        return self._russian_model

    def split_score(self, pieces: Sequence[str]) -> float:
        return _split_score(pieces, self.lexicon)

    def is_syllable_split(self, pieces: Sequence[str]) -> bool:
        return self.split_score(pieces) >= SPLIT_THRESHOLD

    def rejoin(self, pieces: Sequence[str]) -> list[str]:
        """The words of a split paragraph (pieces joined without spaces inside a word)."""
        return join_spans(pieces, self.segment(pieces))


def join_spans(pieces: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[str]:
    return ["".join(pieces[start:end]) for start, end in spans]
