"""Kazakh language knowledge shared by cleaning, syllable repair and PDF hyphenation."""

from .alphabet import is_cyrillic_word, is_kazakh_vowel
from .syllabify import syllabify
from .wordlist import Lexicon

__all__ = ["Lexicon", "is_cyrillic_word", "is_kazakh_vowel", "syllabify"]
