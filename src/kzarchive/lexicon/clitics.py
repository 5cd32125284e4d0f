"""Clitics and particles after the word search: мен/да/ма… pieces attached as a case ending or left
as words of their own (`CliticModel`, learned from clean text), stray да/де/та/те, and мен/бен/пен
before a postposition that governs the instrumental."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .logistic import LogisticModel, train_logistic
from .piece import HYPHEN_BREAK_RE, Piece, parse_piece
from .suffixes import VOICELESS, ending_agrees, harmony
from .syllabify import syllabify
from .wordmodel import WordModel

# --------------------------------------------------------------------------- clitics
# Pieces that are either a word of their own (conjunction мен/бен/пен "and", particle
# да/де/та/те "also", question particle ма/ме/ба/бе/па/пе) or a case ending of the word
# before (instrumental -мен, locative -да): "мүддесі мен" ↔ "мүддесімен".
CLITICS = frozenset("мен бен пен да де та те ма ме ба бе па пе ше ша".split())
_CLITIC_GROUP = {c: g for g, cs in (("M", "мен бен пен"), ("D", "да де та те"), ("Q", "ма ме ба бе па пе"),
                                     ("S", "ше ша")) for c in cs.split()}


# Postpositions that govern the instrumental: "X-мен байланысты", "X-пен бірге".
_INSTRUMENTAL_HEADS = frozenset("байланысты бірге қатар қоса салыстырғанда тікелей бірлесе бірлесіп".split())
_COMITATIVE = ("мен", "бен", "пен")


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


class CliticModel(LogisticModel):
    """Logistic model of P(clitic piece is part of the word before | both words, next word),
    learned from clean text: every standalone мен/да/… after a word is a "detached" example,
    every word whose last syllable spells one (ұйымымен, бағдарламада) an "attached" one."""

    def log_odds(self, left: str, clitic: str, trail: str = "", following: str = "", before: str = "") -> float:
        """log P(attached) / P(detached)."""
        weights = self.weights
        return sum(weights.get(f, 0.0) for f in _clitic_features(left, clitic, trail, following, before))

    # ------------------------------------------------------------------ learning
    @staticmethod
    def events(text: str) -> Iterable[tuple[list[str], int]]:
        text = HYPHEN_BREAK_RE.sub(r"\1\2", text)
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
                stem = token.core[: len(token.core) - len(clitic)]
                yield _clitic_features(stem, clitic, token.trail, following, before_form), 1
                break

    @classmethod
    def learn(cls, texts: Iterable[str], epochs: int = 8, rate: float = 0.2, l2: float = 1e-4) -> CliticModel:
        data = [event for text in texts for event in cls.events(text)]
        return cls(train_logistic(data, epochs, rate, l2))

    @classmethod
    def default(cls) -> CliticModel:
        return _default_clitic_model()



CLITIC_DATA_FILE = "kk_clitics.tsv"


@lru_cache(maxsize=1)
def _default_clitic_model() -> CliticModel:
    return CliticModel.packaged(CLITIC_DATA_FILE)


def fix_clitics(
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
                joined_before = index >= 2 and parsed[previous[0] - 1].can_precede
                before = _span_core(parsed, fixed[index - 2]) if joined_before else ""
                if not suffix_fits(left, clitic):
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


def fix_stray_particles(
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


def suffix_fits(left: str, clitic: str) -> bool:
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




def fix_coordination(parsed: Sequence[Piece], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def fix_instrumental(parsed: Sequence[Piece], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
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

