"""Optional Kazakh hunspell dictionary (Debian `hunspell-kk`) read through PyPI `spylls`.

Everything degrades gracefully: without spylls or without the dictionary files,
`load_kazakh_hunspell()` returns None and callers fall back to the corpus lexicon alone.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

SEARCH_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")
DICT_NAME = "kk_KZ"


class _Lookup(Protocol):
    def lookup(self, word: str) -> object: ...


class HunspellChecker:
    """Case-insensitive membership test with a cache (spylls lookups are pure Python).

    The dictionary is read on the first lookup (about a second with spylls), so a document
    that never needs hunspell's opinion never pays for it.
    """

    def __init__(self, dictionary: _Lookup | None, path: str) -> None:
        self._loaded = dictionary
        self.path = path
        self.name = f"hunspell {Path(path).name}"
        self._exact: dict[str, bool] = {}   # lookup() answers, by the form as written

    @property
    def _dictionary(self) -> _Lookup:
        if self._loaded is None:
            self._loaded = _read_dictionary(self.path)
        return self._loaded

    def lookup(self, word: str) -> bool:
        """Exact, case-sensitive lookup, cached (hyphen decisions ask the same pairs often)."""
        known = self._exact.get(word)
        if known is None:
            try:
                known = bool(self._dictionary.lookup(word))
            except Exception:  # spylls can trip over odd input; treat as unknown
                known = False
            self._exact[word] = known
        return known

    def accepts(self, word: str) -> bool:
        """As written or capitalised (a sentence-initial form of a lower-case word)."""
        return self.lookup(word) or self.lookup(word.capitalize())


def find_dictionary() -> str | None:
    """Path stem (without .aff/.dic) of the Kazakh dictionary, or None."""
    custom = os.environ.get("KZARCHIVE_HUNSPELL_KK")
    candidates = [custom] if custom else []
    candidates += [os.path.join(directory, DICT_NAME) for directory in SEARCH_DIRS]
    for stem in candidates:
        if stem and os.path.isfile(stem + ".aff") and os.path.isfile(stem + ".dic"):
            return stem
    return None


def dictionary_identity() -> str:
    """Which hunspell-kk (if any) cleaning would use: part of what an output depends on."""
    stem = None if os.environ.get("KZARCHIVE_NO_HUNSPELL") else find_dictionary()
    if stem is None:
        return "none"
    try:
        return f"{stem}:{os.path.getsize(stem + '.dic')}:{os.path.getsize(stem + '.aff')}"
    except OSError:
        return "none"


@lru_cache(maxsize=1)
def dictionary_words(min_len: int = 1) -> frozenset[str]:
    """The lower-case entries of hunspell-kk's word list (.dic) of `min_len`+ letters, or an
    empty set without the dictionary. Read directly (a plain set lookup, unlike spylls' affix
    expansion): the entries are stems and common forms ("абайла", "абайсыздық")."""
    if os.environ.get("KZARCHIVE_NO_HUNSPELL"):
        return frozenset()
    stem = find_dictionary()
    if stem is None:
        return frozenset()
    try:
        raw = Path(stem + ".dic").read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return frozenset()
    words = set()
    for line in raw.splitlines()[1:]:  # the first line is the entry count
        entry = line.split("/", 1)[0].split(None, 1)[0] if line.strip() else ""
        word = entry.casefold()
        if len(word) >= min_len and word.isalpha():
            words.add(word)
    return frozenset(words)


@lru_cache(maxsize=1)
def load_kazakh_hunspell() -> HunspellChecker | None:
    if os.environ.get("KZARCHIVE_NO_HUNSPELL"):
        return None
    stem = find_dictionary()
    if stem is None:
        return None
    try:
        from importlib.util import find_spec

        if find_spec("spylls.hunspell") is None:
            return None
    except ImportError:  # spylls itself is missing
        return None
    return HunspellChecker(None, stem)


class _Unreadable:
    """Stands in for a dictionary that failed to load: knows no word."""

    def lookup(self, word: str) -> bool:
        return False


def _read_dictionary(stem: str) -> _Lookup:
    from spylls.hunspell import Dictionary

    try:
        return Dictionary.from_files(stem)
    except Exception:  # a broken dictionary file must not break the pipeline
        return _Unreadable()
