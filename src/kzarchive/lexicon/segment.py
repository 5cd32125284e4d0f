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
piece: case ending of the word before or a word of its own (`CliticModel`). Pieces that cannot
be inside a word (acronyms, numbers, Latin, a piece ending in punctuation that is not the last,
a capital letter that is not the first) bound the search; an unexplained lowercase word right
after a capitalised one costs extra, so an unknown name is not cut at its first piece ("Жу
кубович"). A paragraph with hardly a Kazakh-only letter and Russian function words is scored by
Russian word frequencies instead (`RussianWordModel`, wordfreq's list shipped as
`data/ru_wordfreq.tsv.gz`), with one-letter pieces ("в", "к") kept as words; inside a Kazakh
paragraph, a Russian line (`russian_runs`: no Kazakh-only letter, a marker such as "в",
"и", "для") has its words scored the same way.

Modules: `piece` (tokens), `letters` (letter model), `wordmodel` (word scores), `search` (the Viterbi
search), `clitics` (clitics and particles), `seams` (piece-seam model), `russian` (Russian text);
this module detects split text and holds the repairer that puts them together.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

from .clitics import CLITIC_DATA_FILE, CLITICS, CliticModel, suffix_fits
from .hunspell import dictionary_words, load_kazakh_hunspell
from .piece import Piece, parse_piece
from .russian import RUSSIAN_DATA_FILE, RussianWordModel, RussianWords, is_russian_paragraph, russian_runs
from .seams import BOUNDARY_DATA_FILE, BoundaryModel
from .search import MAX_PIECES_PER_WORD, MAX_WORD_CHARS, PieceCohesion, viterbi_spans
from .tesseract import tesseract_words
from .wordlist import Lexicon, clean_word_forms
from .wordmodel import DEFAULT_WEIGHTS, Weights, WordModel

_suffix_fits = suffix_fits  # the name tests import

__all__ = [
    "BOUNDARY_DATA_FILE", "CLITICS", "CLITIC_DATA_FILE", "DEFAULT_WEIGHTS", "MAX_PIECES_PER_WORD", "MAX_WORD_CHARS",
    "RUSSIAN_DATA_FILE", "SPLIT_THRESHOLD", "BoundaryModel", "CliticModel", "Piece", "PieceCohesion",
    "RussianWordModel", "RussianWords", "SyllableRepairer", "Weights", "WordModel", "document_word_forms",
    "is_russian_paragraph", "is_syllable_split", "join_spans", "parse_piece", "russian_runs", "segment",
    "split_score", "viterbi_spans",
]

SPLIT_THRESHOLD = 0.5


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
