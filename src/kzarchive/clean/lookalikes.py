"""Letters from the wrong script inside a word: Latin i a o e c p x y in Cyrillic Kazakh words
("бiлiм" → "білім"), Cyrillic і in Latin tokens such as URLs ("www.cvі.kz" → "www.cvi.kz").
Each fix is a <choice> with the source spelling kept in <orig>.

The script of a mixed word is that of most of its letters, and Tesseract's Kazakh word list
decides the words the count gets wrong: a word of mostly Latin look-alikes ("ocы", "Aқcaй") is
made Cyrillic only when the Cyrillic spelling is a listed form (and so the original is not).
"""

from __future__ import annotations

import re
from collections import Counter

from ..lexicon.alphabet import CYRILLIC_TO_LATIN, LATIN_TO_CYRILLIC, is_cyrillic_letter
from ..lexicon.tesseract import tesseract_words
from ..model import Block, Choice, Inline, Text
from .pieces import atomise, find_pieces, replace_spans

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# Only blocks with both scripts, or with a URL, can hold a mixed-script token: skip the rest fast.
_NEEDS_LOOK = re.compile(r"(?=.*[A-Za-zəƏ])(?=.*[\u0400-\u04ff])", re.DOTALL)


def fix_mixed_script(blocks: list[Block], stats: Counter[str], listed: frozenset[str] | None = None) -> None:
    """`listed`: case-folded word forms (Tesseract's Kazakh list by default, empty without it)."""
    listed = tesseract_words() if listed is None else listed
    for block in blocks:
        if not _NEEDS_LOOK.match(block.plain_text()):
            continue
        atoms = atomise(block.inlines)
        replacements: list[tuple[int, int, Inline]] = []
        for piece in find_pieces(atoms):
            if any(node is not None for _, node in atoms[piece.start:piece.end]):
                continue  # pieces crossing a line end are left alone: rare, and the lb must stay
            fixed = fix_token(piece.text, listed)
            if fixed != piece.text:
                choice = (Choice([Text(piece.text)], fixed, "script") if _URL.search(piece.text)
                          else Choice([Text(piece.text)], fixed, "lookalike"))
                replacements.append((piece.start, piece.end, choice))
                stats["lookalike_fixes"] += 1
        if replacements:
            block.inlines = replace_spans(atoms, replacements)


def fix_token(token: str, listed: frozenset[str] = frozenset()) -> str:
    if _URL.search(token):
        return _URL.sub(lambda m: _to_latin(m.group()), token)
    return _WORD.sub(lambda m: _fix_word(m.group(), listed), token)


def _to_latin(text: str) -> str:
    return "".join(CYRILLIC_TO_LATIN.get(ch, ch) if is_cyrillic_letter(ch) else ch for ch in text)


_ROMAN_WITH_CYRILLIC_I = re.compile(r"[IVXLCDMІ]*І[IVXLCDMІ]*")


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha() or ch in "əƏ"


def _fix_word(word: str, listed: frozenset[str] = frozenset()) -> str:
    if _ROMAN_WITH_CYRILLIC_I.fullmatch(word) and any(ch in "IVXLCDM" for ch in word):
        return word.replace("І", "I")  # a Roman numeral typed with Cyrillic І: "XVІІІ" → "XVIII"
    cyrillic = sum(1 for ch in word if is_cyrillic_letter(ch))
    latin = sum(1 for ch in word if _is_latin(ch))
    if not cyrillic or not latin:
        return word
    if cyrillic >= latin or any(ch in "əƏ" for ch in word):  # ə never belongs to a Latin word here
        if all(ch in LATIN_TO_CYRILLIC for ch in word if _is_latin(ch)):
            return "".join(LATIN_TO_CYRILLIC.get(ch, ch) for ch in word)
        return word
    cyrillic_form = _to_cyrillic(word)
    if cyrillic_form is not None and cyrillic_form.casefold() in listed:
        return cyrillic_form  # mostly Latin look-alikes, but a listed Kazakh word: "ocы" → "осы"
    if all(ch in CYRILLIC_TO_LATIN for ch in word if is_cyrillic_letter(ch)):
        return "".join(CYRILLIC_TO_LATIN.get(ch, ch) if is_cyrillic_letter(ch) else ch for ch in word)
    return word


def _to_cyrillic(word: str) -> str | None:
    """The word with every Latin letter replaced by its Cyrillic look-alike, or None when a Latin
    letter has none ("Türkiye")."""
    if not all(ch in LATIN_TO_CYRILLIC for ch in word if _is_latin(ch)):
        return None
    return "".join(LATIN_TO_CYRILLIC.get(ch, ch) for ch in word)
