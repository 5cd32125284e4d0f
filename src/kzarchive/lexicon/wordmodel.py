"""log P(word form) of a Kazakh word: corpus and document frequencies, a known stem + suffix chain,
and the word's shape under a letter n-gram model (`letters.py`)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .alphabet import KAZAKH_VOWELS
from .hunspell import HunspellChecker
from .letters import KAZAKH_TABLE, CharModel, shipped_table
from .suffixes import MAX_ENDING, PLURAL, EndingModel, ending_agrees, is_valid_ending
from .wordlist import DATA_FILE, Lexicon


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
    # added to the clitic attach log-odds: a wrong join costs two words, a wrong split one (≈ -ln 2)
    clitic_bias: float = -0.7
    dictionary_count: float = 0.1  # pseudo-count of a hunspell-kk word-list entry the corpus never saw
    dictionary_form: bool = True  # the entry also counts as a whole form (not only as a stem)
    dictionary_min_len: int = 4  # short entries ("ор", "лық") are fragments as often as words
    hyphen_compound: float = 0.05  # P(a hyphenated compound) for an unattested "X-Y": scored as X and Y
    stray_particles: bool = True  # re-attach a lone да/де/та/те that cannot be the particle there
    stray_particle_doubt: float = 4.0  # log-odds against such a lone particle being right after all
    # cost of an unexplained lowercase word (3+ letters) right after a capitalised one ("Бек тепов")
    orphan: float = 2.5
    wordlist_count: float = 0.3  # pseudo-count of a form of Tesseract's Kazakh word list the corpus never saw
    wordlist_min_len: int = 4  # its short forms ("ор", "лық") are fragments as often as words
    # a listed form that is two known words of this length or more ("бастарту") does not count
    wordlist_part_len: int = 2


DEFAULT_WEIGHTS = Weights()


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
        return log_sum(parts)

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
        return log_sum(scores)

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
        counts, wordlist, dictionary = self.counts, self.wordlist, self.dictionary
        for cut in range(max(3, len(form) - MAX_ENDING), len(form)):
            stem = form[:cut]
            if stem not in counts and stem not in wordlist and stem not in dictionary:
                continue  # (most cuts: three lookups instead of a call of _stem_count)
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


def log_sum(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


_MODEL_CACHE: dict[int, tuple[Lexicon, CharModel, EndingModel]] = {}


def _models_for(lexicon: Lexicon) -> tuple[CharModel, EndingModel]:
    entry = _MODEL_CACHE.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        entry = (lexicon, _char_model(lexicon), EndingModel.learn(lexicon.counts))
        _MODEL_CACHE[id(lexicon)] = entry
    return entry[1], entry[2]


def _char_model(lexicon: Lexicon) -> CharModel:
    """The letter model of the lexicon's forms: the shipped table for the shipped lexicon."""
    table = shipped_table(KAZAKH_TABLE, DATA_FILE) if lexicon is Lexicon.default() else None
    if table is not None:
        return CharModel(table=table)
    return CharModel(kazakh_letter_forms(lexicon))


def kazakh_letter_forms(lexicon: Lexicon) -> list[str]:
    """The forms the letter model learns from: the lexicon's forms of letters only."""
    return [form for form in lexicon.counts if form.isalpha()]


def _shared_char_model(lexicon: Lexicon) -> CharModel:
    return _models_for(lexicon)[0]


def _shared_ending_model(lexicon: Lexicon) -> EndingModel:
    return _models_for(lexicon)[1]

