"""The Kazakh Cyrillic alphabet and letter classes."""

from __future__ import annotations

KAZAKH_VOWELS = frozenset("аәеёиоөуұүыіэюяАӘЕЁИОӨУҰҮЫІЭЮЯ")
KAZAKH_LETTERS = frozenset("абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")
KAZAKH_SPECIFIC = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# Latin letters that look like Cyrillic ones, and the Cyrillic letter a reader sees.
LATIN_TO_CYRILLIC = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
    "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "H": "Н", "K": "К",
    "M": "М", "T": "Т", "B": "В", "I": "І",
    "ə": "ә", "Ə": "Ә",  # schwa of the Latin block (Azerbaijani fonts, converters) for Kazakh ә
}
CYRILLIC_TO_LATIN = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
    "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "Х": "X", "Н": "H", "К": "K",
    "М": "M", "Т": "T", "В": "B", "І": "I",
}


def is_kazakh_vowel(ch: str) -> bool:
    return ch in KAZAKH_VOWELS


def is_cyrillic_letter(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def is_cyrillic_word(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return bool(letters) and all(is_cyrillic_letter(ch) for ch in letters)
