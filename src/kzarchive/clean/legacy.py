"""Text that went through a legacy 8-bit encoding on its way out of the PDF.

Two faults, both seen in 002:

* **Mojibake**: Windows-1251 Cyrillic bytes read as Windows-1252, so "Сборник документов" comes out
  as "Ñáîðíèê äîêóìåíòîâ". In a block with three or more tokens whose letters are nearly all in
  the Latin-1 range, every token that round-trips through cp1252 → cp1251 into Cyrillic is
  decoded back, short ones ("ñ.", "1998ã.") included.
* **Kazakh letters of a legacy font**: the pre-Unicode Kazakh fonts put қ, Қ, ң on code points
  that Windows-1251 reads as є, І, ” ("Іазаєстан Республикасыны”" for "Қазақстан Республикасының").
  A letter is replaced only where the replaced word is a known Kazakh word and the word as written
  is not — known to the corpus lexicon, hunspell-kk or Tesseract's Kazakh word list (260 000 forms,
  inflected ones included: "Республикасының"); a ” that closes an opening “ is a quotation mark and stays.

Each fix is a <choice> with the source form kept in <orig>.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..lexicon.tesseract import tesseract_words
from ..model import Block, Choice, Inline, Text
from .pieces import Atom, Piece, atomise, find_pieces, replace_spans

KnownWord = Callable[[str], bool]

# Latin-1 letters (not × U+00D7 or ÷ U+00F7) and the signs Windows-1251 letters become (² → І, º → є)
_LATIN1_LETTER = re.compile(
    r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u00b2\u00b3\u00ba\u00aa\u00af\u00bf\u00a8\u00b8]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MIN_MOJIBAKE_RATIO = 0.6  # of a token's letters in the Latin-1 range ("Müller": 1 of 6)
_BLOCK_EVIDENCE = 3  # strict tokens in a block before any is decoded, short ones ("ñ.", "1998ã.") too

# pre-Unicode Kazakh font letters as Windows-1251 reads them → the Kazakh letter
LEGACY_KAZAKH = {"є": "қ", "І": "Қ", "”": "ң"}
# a word: letters, possibly with ” between or after them (ң never starts a word)
_WORD_WITH_QUOTES = re.compile(r"[^\W\d_]+(?:”[^\W\d_]+)*”?")


def repair_legacy_encoding(blocks: list[Block], known: KnownWord, stats: Counter[str],
                           listed: frozenset[str] | None = None) -> None:
    """`known`: the caller's lexicon test; `listed`: further case-folded forms (Tesseract's Kazakh
    word list by default, empty without it)."""
    words = tesseract_words() if listed is None else listed
    known = _known_or_listed(known, words)
    for block in blocks:
        text = block.plain_text()
        if _LATIN1_LETTER.search(text) or any(ch in text for ch in LEGACY_KAZAKH):
            _repair_block(block, known, stats)


def _known_or_listed(known: KnownWord, listed: frozenset[str]) -> KnownWord:
    if not listed:
        return known
    return lambda form: form in listed or known(form)


def _repair_block(block: Block, known: KnownWord, stats: Counter[str]) -> None:
    atoms = atomise(block.inlines)
    pieces = find_pieces(atoms)
    decoded = _decode_mojibake(pieces)
    fixes = _fixed_pieces(atoms, pieces, decoded, known)
    if _legacy_capital_confirmed(fixes, decoded):
        # the block's font maps І to Қ (a checked word showed it): its initials too ("І.Тоқаев")
        fixes = [(piece, _INITIAL_I.sub("Қ", fixed) if piece.start in decoded else fixed)
                 for piece, fixed in fixes]
    replacements: list[tuple[int, int, Inline]] = []
    for piece, fixed in fixes:
        if fixed != piece.text:
            replacements.append((piece.start, piece.end, Choice([Text(piece.text)], fixed, "encoding")))
            stats["encoding_fixes"] += 1
    if replacements:
        block.inlines = replace_spans(atoms, replacements)


def _fixed_pieces(atoms: list[Atom], pieces: list[Piece], decoded: dict[int, str],
                  known: KnownWord) -> list[tuple[Piece, str]]:
    """Each piece with its repaired text, in order; quotation marks are counted across all of them."""
    fixes: list[tuple[Piece, str]] = []
    open_quotes = 0
    for piece in pieces:
        if any(node is not None for _, node in atoms[piece.start:piece.end]):
            open_quotes = _count_quotes(piece.text, open_quotes)  # across a line end: only counted
            continue
        fixed, open_quotes = _fix_legacy_letters(decoded.get(piece.start, piece.text), known, open_quotes)
        fixes.append((piece, fixed))
    return fixes


_INITIAL_I = re.compile(r"(?<![^\W\d_])І(?=\.)")


def _legacy_capital_confirmed(fixes: list[tuple[Piece, str]], decoded: dict[int, str]) -> bool:
    """Did a lexicon-checked word of this block's decoded text turn І into Қ ("Іазаєстан")?"""
    for piece, fixed in fixes:
        source = decoded.get(piece.start)
        if source is None or len(source) != len(fixed):
            continue
        if any(a == "І" and b == "Қ" for a, b in zip(source, fixed, strict=True)):
            return True
    return False


def decode_cp1251_read_as_cp1252(token: str) -> str | None:
    """The Cyrillic a mojibake token stands for, or None when it does not round-trip."""
    try:
        decoded = token.encode("cp1252").decode("cp1251")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return decoded if _CYRILLIC.search(decoded) else None


def _is_strict_mojibake(token: str) -> bool:
    if _ASCII_LETTER.search(token):
        return False  # cp1251 Cyrillic never reads as ASCII letters ("Türkiye'nin", "Müller")
    letters = [ch for ch in token if ch.isalpha() or _LATIN1_LETTER.match(ch)]
    odd = sum(1 for ch in letters if _LATIN1_LETTER.match(ch))
    return odd >= 2 and odd >= _MIN_MOJIBAKE_RATIO * len(letters)


def _decode_mojibake(pieces: list[Piece]) -> dict[int, str]:
    """piece start → decoded text, for the mojibake tokens of one block."""
    decoded: dict[int, str] = {}
    if sum(1 for p in pieces if _is_strict_mojibake(p.text)) < _BLOCK_EVIDENCE:
        return decoded  # an accented name or two ("Müller", "Ölçü") is not mojibake: ask for a run
    for piece in pieces:
        if not _LATIN1_LETTER.search(piece.text) or _ASCII_LETTER.search(piece.text):
            continue
        text = decode_cp1251_read_as_cp1252(piece.text)
        if text is not None:
            decoded[piece.start] = text
    return decoded


def _fix_legacy_letters(token: str, known: KnownWord, open_quotes: int) -> tuple[str, int]:
    """Replace legacy-font letters in the words of one token; count the quotations left open."""
    out: list[str] = []
    position = 0
    for match in _WORD_WITH_QUOTES.finditer(token):
        word = match.group()
        if not any(ch in LEGACY_KAZAKH for ch in word):
            continue
        between = token[position:match.start()]
        open_quotes = _count_quotes(between, open_quotes)
        fixed = _fix_word(word, known, open_quotes)
        if fixed.endswith("”"):
            open_quotes = max(0, open_quotes - 1)  # it closed a quotation
        out += [between, fixed]
        position = match.end()
    rest = token[position:]
    out.append(rest)
    return "".join(out), _count_quotes(rest, open_quotes)


_OPENING_QUOTES = "“„«"
_CLOSING_QUOTES = "”»"


def _count_quotes(text: str, open_quotes: int) -> int:
    for char in text:
        if char in _OPENING_QUOTES:
            open_quotes += 1
        elif char in _CLOSING_QUOTES:
            open_quotes = max(0, open_quotes - 1)
    return open_quotes


def _fix_word(word: str, known: KnownWord, open_quotes: int) -> str:
    core = word[:-1] if word.endswith("”") and open_quotes > 0 else word  # a closing quote stays
    if not core or known(core.casefold()):
        return word
    candidate = "".join(LEGACY_KAZAKH.get(ch, ch) for ch in core)
    if candidate == core or len(candidate) < 3 or not known(candidate.casefold()):
        return word  # a lone "є" is Ukrainian "is", not a Kazakh letter
    return candidate + word[len(core):]
