"""Line-end hyphens: a typesetter's break ("жет-⏎кізген") or a hyphen that belongs to the text
("КСРО-⏎ға", "қарым-⏎қатынас", "1990-⏎жылдары")?

The decision weighs evidence the way a Kazakh editor would: how the document itself writes the
word elsewhere, a word list built from clean source text, hunspell-kk when installed, and the
shape of the two pieces (acronym or number before the hyphen, reduplication, suffix-only
continuation, a capitalised continuation).  Each (left, right) pair is decided once and cached,
so cleaning a document stays linear in its length.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import NamedTuple

from ..lexicon.hunspell import dictionary_words, load_kazakh_hunspell
from ..lexicon.segment import RussianWords
from ..lexicon.tesseract import tesseract_words
from ..lexicon.wordlist import Lexicon, clean_word_forms
from .hyphen_patterns import (
    KAZAKH_SPECIFIC,
    harmony_clash,
    is_acronym,
    is_emphatic_or_echo,
    is_reduplication,
    is_russian_hyphenated_word,
    is_suffix_chain,
    stem_forms,
)

# Punctuation that may open a token ("«Ор-").
_LEADING_PUNCT = "«\"'“„‘([{<"
# The right piece: letters/digits with inner hyphens ("меттік-экономикалық"), punctuation dropped.
_RIGHT_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# A left piece ending like this carries a dash, not a hyphen ("мызғымас, -").
_DASH_TAIL = re.compile(r"[,;:!?…–—]$")

# Particles written after a hyphen: "сондай-ақ", "келді-ау".
HYPHEN_PARTICLES = frozenset({"ақ", "ау"})
# Borrowed prefixes that Kazakh writes solid; "вице-", "экс-" take a hyphen and are not here.
SOLID_PREFIXES = frozenset(
    "анти контр пост суб транс гипер супер ультра мульти поли микро макро нео псевдо интер "
    "авиа радио теле био гео мега мини".split()
)
BREAK, KEEP, DASH = "break", "keep", "dash"
# Confidence of the word-list verdicts: an exact form listed, a stem or compound head listed, and
# only the two halves listed (the weakest: a rare word broken in two listed pieces reads the same).
WORDLIST_FORM_CONFIDENCE = 0.92
WORDLIST_STEM_CONFIDENCE = 0.85
WORDLIST_HALVES_CONFIDENCE = 0.75
# The two-halves rule: the piece after the hyphen has 4+ letters (tails of broken words are
# short: "нын", "лау"), and an inflected piece counts as a word through a stem of 4+ letters.
MIN_ATTESTED_HEAD = 4
MIN_ATTESTED_STEM = 4
# Two words this long on both sides of the hyphen: a solid listing alone does not make it a break.
MIN_LONG_HALF = 5
# A piece only Tesseract's list knows counts as a word when it is this long and no more than this
# many listed forms end with it (itself included): tails of broken words end dozens of forms.
MIN_LISTED_HEAD = 6
MAX_LISTED_ENDINGS = 5


@lru_cache(maxsize=2)
def compound_starts(listed: frozenset[str]) -> Counter[str]:
    """How many listed hyphenated forms start with each "head-abc" ("көлік-лог": 3)."""
    starts: Counter[str] = Counter()
    for form in listed:
        if "-" in form:
            head, _, rest = form.partition("-")
            if len(rest) >= 3:
                starts[f"{head}-{rest[:3]}"] += 1
    return starts


@lru_cache(maxsize=4096)
def listed_ending_with(listed: frozenset[str], tail: str) -> int:
    """How many listed forms end with `tail` (a scan; asked only of the few pieces the other
    evidence cannot place)."""
    return sum(1 for form in listed if form.endswith(tail))


class HyphenDecision(NamedTuple):
    join: bool          # the pieces form one token (False: the "hyphen" is a dash between words)
    keep_hyphen: bool   # the hyphen stays in the text
    reason: str
    confidence: float


def decision_label(decision: HyphenDecision) -> str:
    """The gold-list label of a decision: break, keep or dash."""
    if not decision.join:
        return DASH
    return KEEP if decision.keep_hyphen else BREAK


def _break(reason: str, confidence: float) -> HyphenDecision:
    return HyphenDecision(True, False, reason, round(confidence, 3))


def _keep(reason: str, confidence: float) -> HyphenDecision:
    return HyphenDecision(True, True, reason, round(confidence, 3))


def _dash(reason: str, confidence: float) -> HyphenDecision:
    return HyphenDecision(False, True, reason, round(confidence, 3))


class FormIndex:
    """Case-folded word forms with counts, searchable by prefix, hyphenated forms by head."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.solid = sorted(w for w in counts if "-" not in w)
        self.hyphenated = sorted(w for w in counts if "-" in w)
        self.heads: Counter[str] = Counter()
        for word in self.hyphenated:
            self.heads[word.split("-", 1)[0]] += counts[word]

    def freq(self, word: str) -> int:
        return self.counts.get(word, 0)

    def solid_with_prefix(self, prefix: str) -> int:
        return _count_prefix(self.solid, prefix)

    def hyphenated_with_prefix(self, prefix: str) -> int:
        return _count_prefix(self.hyphenated, prefix)


def _count_prefix(sorted_words: list[str], prefix: str) -> int:
    start = bisect_left(sorted_words, prefix)
    return bisect_left(sorted_words, prefix + "\U0010ffff", lo=start) - start


class Pieces(NamedTuple):
    left: str        # the left piece without leading punctuation, original case
    right: str       # the right word (letters/digits, inner hyphens), original case
    right_head: str  # the right word up to its first inner hyphen


def split_pieces(left: str, right: str) -> Pieces:
    core_left = left.strip().lstrip(_LEADING_PUNCT)
    match = _RIGHT_WORD.match(right.strip())
    word = match.group() if match else ""
    return Pieces(core_left, word, word.split("-", 1)[0])


class HyphenResolver:
    """Decides line-end hyphens from lexical and document evidence."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        document_text: str | None = None,
        hunspell: bool = True,
        wordlist: frozenset[str] | None = None,
        stems: frozenset[str] | None = None,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else Lexicon.default()
        # Tesseract's Kazakh word list (empty without it): what counts as a word form
        self.listed = tesseract_words() if wordlist is None else wordlist
        self.compound_starts = compound_starts(self.listed)
        self.words = FormIndex(self.lexicon.counts)
        document_forms = Counter(clean_word_forms(document_text)) if document_text else Counter()
        self.document = FormIndex(document_forms)
        self.speller = load_kazakh_hunspell() if hunspell else None
        # words that are never fragments (hunspell-kk's stems by default), for the two-halves rule
        self.stems = stems if stems is not None else dictionary_words() if hunspell else frozenset()
        self._cache: dict[tuple[str, str], HyphenDecision] = {}
        self.description = (
            "Line-end hyphens were resolved from evidence: how the document writes each word "
            f"elsewhere ({sum(document_forms.values())} word tokens), the word list "
            f"'{self.lexicon.name}' ({len(self.lexicon)} forms), hunspell-kk "
            f"{'yes' if self.speller else 'no'}, Tesseract's Kazakh word list ({len(self.listed)} forms), "
            "and the shape of the pieces (acronym or number "
            "before the hyphen, reduplication, suffix-only or capitalised continuation)."
        )

    def decide(self, left: str, right: str) -> HyphenDecision:
        key = (left, right)
        decision = self._cache.get(key)
        if decision is None:
            decision = self._decide(split_pieces(left, right))
            self._cache[key] = decision
        return decision

    def join_lines(self, lines: Iterable[str]) -> str:
        """Running text from the wrapped lines of one paragraph, each line-end hyphen decided."""
        out = ""
        for line in lines:
            text = line.strip()
            if not text:
                continue
            if out.endswith("-") and text:
                before = out[:-1]
                last = "" if before.endswith(" ") or not before else before.rsplit(" ", 1)[-1]
                decision = self.decide(last, text.split(maxsplit=1)[0])
                if decision.join:
                    out = before + ("-" if decision.keep_hyphen else "") + text
                else:
                    out = f"{out} {text}"
                continue
            out = f"{out} {text}" if out else text
        return out

    # -- the decision --------------------------------------------------------------------------

    def _decide(self, pieces: Pieces) -> HyphenDecision:
        rules: tuple[Callable[[Pieces], HyphenDecision | None], ...] = (
            self._decide_by_shape,
            self._decide_by_forms,
            self._decide_by_pattern,
            self._decide_by_wordlist,
            self._decide_by_speller,
        )
        for rule in rules:
            decision = rule(pieces)
            if decision is not None:
                return decision
        return self._decide_by_score(pieces)

    def _decide_by_shape(self, p: Pieces) -> HyphenDecision | None:
        left, right = p.left, p.right_head
        if not left or _DASH_TAIL.search(left):
            return _dash("the hyphen stands alone or after punctuation: a dash", 0.95)
        if not right:
            return _dash("the next line does not start with a word: a dash", 0.8)
        if left[-1].isdigit() or left[-1] == "%":
            return _keep("a number before the hyphen (1990-жылдары, 84%-ы, 1997-1999)", 0.97)
        if left.endswith("."):
            return _keep("an abbreviation before the hyphen (км.-ден)", 0.9)
        if right[0].isdigit():
            return _keep("digits after the hyphen", 0.9)
        if is_acronym(left) and right.islower():
            return _keep("an acronym before the hyphen (КСРО-ға, АҚШ-қа)", 0.97)
        if right[0].isupper() and not right.isupper():
            # A broken word never continues with a capital: "Қазақстан-⏎Ресей", "Атырау-⏎Самара".
            return _keep("the continuation is capitalised: a hyphenated pair of names", 0.9)
        # A Kazakh syllable break never leaves a vowel-initial "ақ" on the next line.
        if right.casefold() in HYPHEN_PARTICLES and len(left) >= 3:
            return _keep("a particle written with a hyphen (сондай-ақ)", 0.9)
        return None

    def _decide_by_forms(self, p: Pieces) -> HyphenDecision | None:
        """The exact word written elsewhere: solid "XY" against hyphenated "X-Y"."""
        left, right = p.left.casefold(), p.right.casefold()
        solid, hyphenated = left + right, f"{left}-{right}"
        for index, where in ((self.document, "the document writes"), (self.words, "the word list has")):
            n_solid, n_hyph = index.freq(solid), index.freq(hyphenated)
            if n_hyph > 2 * n_solid:
                return _keep(f"{where} '{hyphenated}' ({n_hyph}×)", _conf(n_hyph, n_solid))
            if n_solid > 2 * n_hyph:
                return _break(f"{where} '{solid}' ({n_solid}×)", _conf(n_solid, n_hyph))
        return None if self.listed else self._decide_by_speller(p)

    def _decide_by_speller(self, p: Pieces) -> HyphenDecision | None:
        """hunspell-kk accepts almost any "word-word" pair, so only its solid verdict counts; and
        it compounds two listed words solid ("балашаға"), so Tesseract's list is asked first."""
        if self._spelled(p.left + p.right):
            return _break(f"hunspell accepts '{(p.left + p.right).casefold()}'", 0.85)
        return None

    def _decide_by_pattern(self, p: Pieces) -> HyphenDecision | None:
        """Word formation written with a hyphen; checked after the exact forms so that a known
        solid word ("қапқан") still wins over a pattern ("қап-қара")."""
        left, right = p.left.casefold(), p.right.casefold()
        if len(left) >= 3 and is_reduplication(left, right):
            return _keep("a reduplication (кезең-кезеңімен, бір-біріне)", 0.93)
        if is_emphatic_or_echo(left, right):
            return _keep("an emphatic or echo pair (қап-қара, тып-тыйпыл)", 0.85)
        if left in SOLID_PREFIXES:
            return _break(f"'{left}' is a prefix written solid (антиресейлік, посткеңестік)", 0.85)
        if is_russian_hyphenated_word(left, right):
            return _keep("a Russian form written with a hyphen (кто-нибудь, по-прежнему, из-за)", 0.93)
        if self._name_then_russian_word(p.left, p.right_head.casefold()):
            # "Социал-⏎демократическая", "Ленин-⏎сталинский" — and "Назарбаев-⏎оптимальный", where the
            # hyphen stands for a dash: either way the hyphen is the source's, never a break
            return _keep("a capitalised word, then a whole Russian word: the hyphen is written", 0.8)
        return None

    def _decide_by_wordlist(self, p: Pieces) -> HyphenDecision | None:
        """Tesseract's list (and the Russian one) on the joined form, the hyphenated form and the
        halves: a broken word is a listed word once joined; a compound's halves are both words.
        Asked of the right piece up to its own hyphen ("санитар-⏎но-эпидемиологических")."""
        if not self.listed:
            return None
        left, head = p.left.casefold(), p.right_head.casefold()
        joined, hyphenated = left + head, f"{left}-{head}"
        # Lower-cased acronym forms ("ксро-ның") and web text's stray hyphens put "X-suffix" in the
        # list: a continuation made only of inflection is never a compound's half.
        inflection = is_suffix_chain(head)
        joined_known, hyphenated_known = self._listed(joined), hyphenated in self.listed and not inflection
        if joined_known and not hyphenated_known and self._long_words(left, head):
            return None  # web text loses hyphens: "әлеуметтікмәдени" is listed beside the compound
        if hyphenated_known != joined_known:
            if hyphenated_known:
                return _keep(f"the word list has '{hyphenated}', not '{joined}'", WORDLIST_FORM_CONFIDENCE)
            return _break(f"the word list has '{joined}', not '{hyphenated}'", WORDLIST_FORM_CONFIDENCE)
        if joined_known:
            return None
        if inflection and not self._attested(head):
            # "қорық-⏎тарында": a listed word, then only inflection — however long the inflection
            stem = self._listed_stem(joined, len(left))
            if stem:
                return _break(f"'{joined}' reads as the listed '{stem}' + inflection", WORDLIST_STEM_CONFIDENCE)
        # Neither form listed as written: an inflected compound, or a word broken before inflection.
        joined_stem = self._listed_stem(joined, len(left) + 2)
        compound = f"{left}-{head[:3]}"
        compounds = self.compound_starts[compound] if len(head) >= 3 and not inflection else 0
        if compounds and not joined_stem:
            return _keep(f"listed compounds start with '{compound}'", WORDLIST_STEM_CONFIDENCE)
        if joined_stem:
            return None if compounds else _break(
                f"'{joined}' reads as the listed '{joined_stem}' + inflection", WORDLIST_STEM_CONFIDENCE)
        if len(head) >= MIN_ATTESTED_HEAD and not inflection and self._attested(left) and (
                self._attested(head) or len(left) >= 3 and self._listed_word_not_tail(head)):
            return _keep(f"'{left}' and '{head}' are words, '{joined}' is not", WORDLIST_HALVES_CONFIDENCE)
        return None

    def _long_words(self, left: str, head: str) -> bool:
        return min(len(left), len(head)) >= MIN_LONG_HALF and self._attested(left) and self._attested(head)

    def _listed_word_not_tail(self, head: str) -> bool:
        """A long listed form that few other listed forms end with: a word ("санитариялық"), not
        the tail of broken words, which many end with ("рылған", "ландыруға")."""
        if len(head) < MIN_LISTED_HEAD or head not in self.listed:
            return False
        return listed_ending_with(self.listed, head) <= MAX_LISTED_ENDINGS

    def _attested(self, piece: str) -> bool:
        """A piece is a word by a source that lists no fragments: hunspell-kk's stems or the Russian
        list — not Tesseract's list, which holds tails of broken words from its web text
        ("ландыруға", "лау"), nor the corpus (syllable pieces of split text). An inflected piece
        counts through a stem of MIN_ATTESTED_STEM+ letters ("бала|лар")."""
        if len(piece) >= 2 and self._is_stem(piece):
            return True
        for cut in range(len(piece) - 1, MIN_ATTESTED_STEM - 1, -1):
            if is_suffix_chain(piece[cut:]) and not is_suffix_chain(piece[:cut]):  # not "шылық|тар"
                if any(self._is_stem(stem) for stem in stem_forms(piece[:cut])):
                    return True
        return False

    def _is_stem(self, form: str) -> bool:
        return form in self.stems or RussianWords.default().log_prob(form) > -math.inf

    def _listed_stem(self, form: str, min_stem: int) -> str | None:
        """`form` itself when listed, or its stem of `min_stem`+ letters before a chain of Kazakh
        suffixes."""
        if self._listed(form):
            return form
        for cut in range(len(form) - 1, min_stem - 1, -1):
            if is_suffix_chain(form[cut:]):
                for stem in stem_forms(form[:cut]):
                    if self._listed(stem):
                        return stem
        return None

    def _listed(self, form: str) -> bool:
        """In Tesseract's Kazakh list or the Russian frequency list (case-folded form)."""
        return form in self.listed or RussianWords.default().log_prob(form) > -math.inf

    def _decide_by_score(self, p: Pieces) -> HyphenDecision:
        """No exact form seen: weigh stems, halves and morphology as log-odds for keeping."""
        left, head = p.left.casefold(), p.right_head.casefold()
        head_is_word = self._starts_word(head)
        if is_suffix_chain(head) and not (head_is_word and len(head) >= 7):
            return _break(f"'{head}' is only inflection: the tail of a broken word", 0.9)
        reasons: list[str] = []
        score = -1.5  # breaks are the common case in typeset text
        score += self._stem_evidence(left, head, reasons)
        stem = self._crossing_stem(left, head)
        if stem:
            score -= 3.0
            reasons.append(f"'{left + head}' reads as the word '{stem}' + inflection")
        if len(left) >= 3 and self._is_word(p.left):
            score += 0.5
            reasons.append(f"'{left}' is a word")
        else:
            score -= 1.0
        if head_is_word:
            # A long known word after the hyphen is rarely the tail of a broken word.
            score += 2.5 if len(head) >= 6 else 1.0 if len(head) >= 4 else 0.5
            reasons.append(f"'{head}' starts a word")
        else:
            score -= 1.5
        if self._spelled(f"{p.left}-{p.right}"):
            score += 0.25  # weak: hunspell-kk accepts most "word-word" pairs
            reasons.append("hunspell accepts the hyphenated form")
        if harmony_clash(left, head) and KAZAKH_SPECIFIC & set(left + head):  # not for Russian
            score += 0.5
            reasons.append("vowel harmony differs across the hyphen")
        confidence = 1.0 / (1.0 + math.exp(-abs(score)))
        reason = "; ".join(reasons) or "no evidence either way"
        if score > 0:
            return _keep(f"keep: {reason}", confidence)
        return _break(f"break: {reason}", confidence)

    def _stem_evidence(self, left: str, head: str, reasons: list[str]) -> float:
        """Do known words continue "left" solid, or as a hyphenated compound?"""
        score = 0.0
        for size, weight in ((3, 3.0), (2, 1.5)):
            stem = left + head[:size]
            solid = self._solid_prefix_count(stem)
            if "-" in left:  # "қарым-қаты⏎настарына": the joined word is itself hyphenated
                solid += self.words.hyphenated_with_prefix(stem) + self.document.hyphenated_with_prefix(stem)
            if solid:
                score -= weight + math.log1p(solid)
                reasons.append(f"words start with '{stem}'")
                break
        compound_stem = f"{left}-{head[:3]}"
        compounds = (self.words.hyphenated_with_prefix(compound_stem)
                     + self.document.hyphenated_with_prefix(compound_stem))
        if compounds:
            score += 3.0 + math.log1p(compounds)
            reasons.append(f"compounds start with '{compound_stem}'")
        elif self.words.heads[left] + self.document.heads[left]:
            score += 1.0
            reasons.append(f"'{left}' heads hyphenated compounds")
        return score

    # -- evidence helpers ----------------------------------------------------------------------

    def _spelled(self, word: str) -> bool:
        if self.speller is None:
            return False
        return self.speller.lookup(word)

    def _is_word(self, word: str) -> bool:
        folded = word.casefold()
        return bool(self.words.freq(folded) or self.document.freq(folded) or self._spelled(word))

    def _solid_prefix_count(self, prefix: str) -> int:
        return self.words.solid_with_prefix(prefix) + self.document.solid_with_prefix(prefix)

    def _name_then_russian_word(self, left: str, head: str) -> bool:
        """A known capitalised word of 4+ letters before the hyphen and a listed Russian word of
        6+ letters after it (the list is loaded only when this is asked)."""
        if not (len(left) >= 4 and left[0].isupper() and left[1:].islower() and len(head) >= 6):
            return False
        if not self._is_word(left):
            return False
        return RussianWords.default().log_prob(head) > -math.inf

    def _crossing_stem(self, left: str, head: str) -> str | None:
        """A known stem that runs across the hyphen with inflection after it
        ("бол|мысынан" → "болмыс" + "ынан"): the hyphen split one word."""
        joined = left + head
        for cut in range(len(joined) - 1, len(left), -1):
            if is_suffix_chain(joined[cut:]):
                stem = joined[:cut]
                if any(self._is_word(form) for form in stem_forms(stem)):
                    return stem
        return None

    def _starts_word(self, head: str) -> bool:
        """Is `head` a word, or a known word plus inflection ("қатынастардың")?"""
        if len(head) < 3:
            return False
        if self._is_word(head):
            return True
        for cut in range(len(head) - 1, 3, -1):
            if is_suffix_chain(head[cut:]) and self._is_word(head[:cut]):
                return True
        return False


def _conf(winner: int, loser: int) -> float:
    return min(0.99, 0.6 + 0.4 * (1 - math.exp(-(winner - loser) / 2)))


