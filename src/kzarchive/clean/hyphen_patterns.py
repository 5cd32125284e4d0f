"""Word shapes behind line-end hyphen decisions, without a lexicon: Kazakh inflection (a
continuation made only of suffixes), reduplication and echo pairs, vowel harmony, acronyms, and
the Russian hyphenated forms ("научно-исследовательский", "кто-нибудь", "по-прежнему").
"""

from __future__ import annotations

import re
from functools import lru_cache

FRONT_VOWELS = frozenset("әеөүі")
BACK_VOWELS = frozenset("аоұы")
KAZAKH_SPECIFIC = frozenset("әғқңөұүһі")
# Kazakh suffixes by slot, in the order they follow a stem: derivation, plural, possessive,
# case, then "-ғы" after a locative ("-дағы").  A continuation made only of these cannot be the
# second half of a compound; after a word it is the tail of a broken word ("республика-⏎лар").
_SUFFIX_SLOTS: tuple[tuple[str, ...], ...] = tuple(
    tuple(sorted(slot.split(), key=len, reverse=True))
    for slot in (
        # verb forms: voice (causative, passive or reciprocal), negation, participles, converbs, verbal nouns
        "дыр дір тыр тір ғыз гіз қыз кіз",  # causative, before the passive ("-дыр-ыл-ған")
        "ыл іл ыс іс",
        "ма ме ба бе па пе",
        "ған ген қан кен атын етін йтын йтін ар ер ып іп у уы уі ушы уші ғалы гелі "
        "ды ді ты ті йды йді ймыз йміз мын мін сың сің май мей бай бей пай пей сақ сек са се",
        # derivation
        "лық лік дық дік тық тік шы ші шылық шілік сыз сіз дай дей тай тей ша ше "
        "лас лес дас дес тас тес ғыш гіш қыш кіш кер гер қор паз",
        "лар лер дар дер тар тер",
        "ым ім м ың ің ң ы і сы сі мыз міз ңыз ңіз",
        "ның нің дың дің тың тің ға ге қа ке на не а е ны ні ды ді ты ті н ын ін "
        "да де та те нда нде дан ден тан тен нан нен мен бен пен",
        "ғы гі қы кі",
    )
)
_SOFTENED = {"ғ": "қ", "г": "к", "б": "п"}


def stem_forms(stem: str) -> tuple[str, ...]:
    """The stem as written and with a voiced final restored ("бостандығ" → "бостандық")."""
    last = stem[-1:]
    return (stem, stem[:-1] + _SOFTENED[last]) if last in _SOFTENED else (stem,)


def is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def is_reduplication(left: str, right: str) -> bool:
    """X-X and X-X+suffix: "кезең-кезеңімен", "бір-біріне"; "өзінен-өзі", "ашықтан-ашық"."""
    if len(left) < 2:
        return False
    if right.startswith(left):
        return True
    return len(right) >= 3 and left.startswith(right) and is_suffix_chain(left[len(right):])


def is_emphatic_or_echo(left: str, right: str) -> bool:
    """Emphatic "қап-қара", "сап-сары", "тып-тыйпыл"; echo "кітап-мітап"."""
    if 2 <= len(left) <= 4 and left[-1] == "п" and len(right) > len(left) and left[0] == right[0]:
        stem = left[:-1]
        if right.startswith(stem) or "п" in right[len(stem):]:
            return True
    return (
        len(left) >= 3 and len(right) >= 3 and right[0] in "мп"
        and left[0] != right[0] and left[1:] == right[1:]
    )


def is_suffix_chain(text: str) -> bool:
    """Can `text` be read as stem-less inflection in Kazakh order ("лар", "дағы", "ларының")?
    At most three suffixes: longer chains are more often a word ("батысында")."""
    return 0 < len(text) <= 9 and _suffix_split(text, 0, 3)


@lru_cache(maxsize=8192)
def _suffix_split(text: str, slot: int, budget: int) -> bool:
    if not text:
        return True
    if budget == 0:
        return False
    for index in range(slot, len(_SUFFIX_SLOTS)):
        for suffix in _SUFFIX_SLOTS[index]:
            if text.startswith(suffix) and _suffix_split(text[len(suffix):], index + 1, budget - 1):
                return True
    return False


def _harmony(piece: str) -> str:
    front = any(ch in FRONT_VOWELS for ch in piece)
    back = any(ch in BACK_VOWELS for ch in piece)
    return "front" if front and not back else "back" if back and not front else "mixed"


def harmony_clash(left: str, right: str) -> bool:
    """One piece only back vowels, the other only front: two words rather than one broken word."""
    return {_harmony(left), _harmony(right)} == {"front", "back"}


# Russian words written with a hyphen: an indefinite pronoun or adverb and its particle
# ("кто-нибудь", "что-то", "как-либо", "кое-где"), "по-" before a dative or an -ски adverb ("по-прежнему",
# "по-казахски"), and compound prepositions ("из-за", "из-под").
RUSSIAN_PARTICLES = frozenset({"то", "либо", "нибудь", "таки"})
RUSSIAN_PRONOUNS = frozenset(
    "кто что как где куда когда откуда почему зачем какой какая какое какие каких какого какому "
    "каким чей чья чьё чьи кого чего кому чему кем чем ком чём сколько".split()
)
_PO_ADVERB = re.compile(r"(?:ому|ему|ски|цки|ьи)$")
RUSSIAN_PREPOSITION_PAIRS = frozenset({("из", "за"), ("из", "под")})


def is_russian_hyphenated_word(left: str, right: str) -> bool:
    """A Russian form that is written with a hyphen whatever the dictionary says (case-folded)."""
    if right in RUSSIAN_PARTICLES and left in RUSSIAN_PRONOUNS:
        return True
    if left in ("кое", "кой") and right in RUSSIAN_PRONOUNS:  # "кое-где", "кое-что", "кой-какие"
        return True
    if left == "по" and len(right) >= 4 and _PO_ADVERB.search(right):
        return True
    return (left, right) in RUSSIAN_PREPOSITION_PAIRS
