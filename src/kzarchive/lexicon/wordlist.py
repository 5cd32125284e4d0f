"""Word-form frequencies: the corpus evidence behind hyphen decisions and syllable repair."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

# A word: letters, optionally joined by inner hyphens ("күш-жігері", "КСРО-ның").
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
DATA_FILE = "kk_wordforms.tsv"


class Lexicon:
    """Case-folded word-form counts with smoothed log-probabilities."""

    def __init__(self, counts: Counter[str], name: str = "custom") -> None:
        self.counts = counts
        self.total = sum(counts.values()) or 1
        self.name = name

    @classmethod
    def from_texts(cls, texts: Iterable[str], name: str = "texts") -> Lexicon:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(clean_word_forms(text))
        return cls(counts, name)

    @classmethod
    def default(cls) -> Lexicon:
        return _load_default()

    @classmethod
    def from_tsv(cls, text: str, name: str = "tsv") -> Lexicon:
        """Read `word<TAB>count` rows (the shipped data format)."""
        return cls(_parse_tsv(text), name)

    def freq(self, word: str) -> int:
        return self.counts.get(word.casefold(), 0)

    def __contains__(self, word: str) -> bool:
        return word.casefold() in self.counts

    def __len__(self) -> int:
        return len(self.counts)

    def log_prob(self, word: str) -> float:
        """Add-one smoothed log-probability; unseen words get the floor."""
        return math.log((self.freq(word) + 1) / (self.total + len(self.counts) + 1))

    def merged(self, other: Lexicon) -> Lexicon:
        return Lexicon(self.counts + other.counts, f"{self.name}+{other.name}")

    def without(self, other: Lexicon) -> Lexicon:
        """This lexicon minus another one's counts (to hold text out of an evaluation)."""
        return Lexicon(self.counts - other.counts, f"{self.name}-{other.name}")

    def dump(self) -> str:
        rows = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return "".join(f"{word}\t{count}\n" for word, count in rows)


def clean_word_forms(text: str) -> list[str]:
    """Word forms from raw extracted text that are safe evidence: not a line-end fragment,
    not a syllable piece, not from a hyphen break."""
    forms: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        tokens = line.split()
        if not tokens or _looks_syllable_split(tokens):
            continue
        previous = lines[index - 1].rstrip() if index else ""
        for position, token in enumerate(tokens):
            if position == 0 and previous.endswith("-"):
                continue  # second half of a line-end hyphenation
            if position == len(tokens) - 1 and token.endswith("-"):
                continue
            for match in WORD_RE.finditer(token):
                forms.append(match.group().casefold())
    return forms


def _looks_syllable_split(tokens: list[str]) -> bool:
    words = [t for t in tokens if t.isalpha()]
    if len(words) < 4:
        return False
    short = sum(1 for t in words if len(t) <= 3)
    return short / len(words) > 0.6


def _parse_tsv(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in text.splitlines():
        word, _, count = row.partition("\t")
        if word and count.isdigit():
            counts[word] = int(count)
    return counts


@lru_cache(maxsize=1)
def _load_default() -> Lexicon:
    data = resources.files("kzarchive.lexicon").joinpath("data", DATA_FILE)
    counts = _parse_tsv(data.read_text(encoding="utf-8")) if data.is_file() else Counter()
    return Lexicon(counts, "kzarchive-corpus")
