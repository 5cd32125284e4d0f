"""Letter n-gram model of word forms: how Kazakh (or Russian) a form looks letter by letter.

The model (Witten-Bell interpolation over the 0…3 letters before each letter) is compiled into an
automaton: a state is the longest letter history the training forms ever showed, and a table gives,
for every state and letter, the letter's log-probability and the next state. Scoring a form is then
two array reads per letter, and the tables of the shipped lexicons are built once with the language
data (`python -m kzarchive.lexicon.build` writes `data/*_letters.bin`) and memory-mapped, so a fresh
process (a pool worker) scores its first document as fast as its second and the workers of a pool
share one copy in the page cache. The figures are the ones the interpolation formula gives, bit for
bit: the table holds `math.log` of the same arithmetic in the same order.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

BEGIN = "^"
END = "$"
ORDER = 4
ALPHABET_SIZE = 50  # the uniform floor of the interpolation: 1 / ALPHABET_SIZE
_MAGIC = b"KZLETTERS1\n"
_ALIGN = 8


class LetterTable:
    """The compiled automaton: `log_prob[state * width + column]` and `next_state[…]`, one column
    per letter the training forms use plus one for any other character."""

    def __init__(self, symbols: str, start: int, log_probs: Sequence[float], next_states: Sequence[int],
                 provenance: dict[str, str] | None = None) -> None:
        self.symbols = symbols
        self.width = len(symbols) + 1
        self.other = len(symbols)
        self.column = {symbol: index for index, symbol in enumerate(symbols)}
        self.start = start
        self.log_probs = log_probs
        self.next_states = next_states
        self.provenance = provenance or {}
        self._end = self.column.get(END, self.other)

    @property
    def states(self) -> int:
        return len(self.log_probs) // self.width

    def log_prob(self, word: str) -> float:
        column, other, width = self.column, self.other, self.width
        log_probs, next_states = self.log_probs, self.next_states
        state = self.start
        total = 0.0
        for char in word:
            cell = state * width + column.get(char, other)
            total += log_probs[cell]
            state = next_states[cell]
        return total + log_probs[state * width + self._end]

    # ------------------------------------------------------------------ building
    @classmethod
    def compile(cls, words: Iterable[str], order: int = ORDER, alphabet_size: int = ALPHABET_SIZE) -> LetterTable:
        following: dict[str, Counter[str]] = defaultdict(Counter)
        for word in words:
            padded = BEGIN * (order - 1) + word + END
            for index in range(order - 1, len(padded)):
                for size in range(order):
                    following[padded[index - size:index]][padded[index]] += 1
        following.setdefault("", Counter())
        # BEGIN is never predicted but stands in histories: its column leads to the states after it
        symbols = "".join(sorted({char for counts in following.values() for char in counts} | {BEGIN}))
        # shorter histories first: a state's row is computed from the row of its one-shorter suffix
        contexts = sorted(following, key=lambda context: (len(context), context))
        number = {context: index for index, context in enumerate(contexts)}
        uniform = 1.0 / alphabet_size
        rows: dict[str, list[float]] = {}
        log_probs = array("d")
        next_states = array("I")
        for context in contexts:
            counts = following[context]
            seen, kinds = sum(counts.values()), len(counts)
            lower = rows[context[1:]] if context else [uniform] * (len(symbols) + 1)
            # the interpolation step of every history, as `(count + kinds * lower) / (seen + kinds)`
            row = [(counts.get(symbol, 0) + kinds * lower[index]) / (seen + kinds) if seen else lower[index]
                   for index, symbol in enumerate(symbols)]
            row.append(kinds * lower[-1] / (seen + kinds) if seen else lower[-1])
            rows[context] = row
            log_probs.extend(math.log(prob) for prob in row)
            for symbol in symbols:
                next_states.append(number[_longest_seen(context + symbol, following, order)])
            next_states.append(number[""])  # a character no form has: no history survives it
        start = number[_longest_seen(BEGIN * (order - 1), following, order)]
        return cls(symbols, start, log_probs, next_states)

    # ------------------------------------------------------------------ the data file
    def to_bytes(self, provenance: dict[str, str]) -> bytes:
        kind = "H" if self.states <= 0xFFFF else "I"  # two bytes a next state where they suffice
        header = {"symbols": self.symbols, "start": self.start, "states": self.states, "next_type": kind, **provenance}
        head = _MAGIC + json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
        head += b"\0" * (-len(head) % _ALIGN)
        values = array("d", self.log_probs)
        states = array(kind, self.next_states)
        if sys.byteorder != "little":
            values.byteswap()
            states.byteswap()
        return head + values.tobytes() + states.tobytes()

    @classmethod
    def load(cls, path: Path) -> LetterTable | None:
        """The table of a data file, memory-mapped (None when the file is missing or not one)."""
        try:
            with path.open("rb") as handle:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None
        if mapped[:len(_MAGIC)] != _MAGIC or sys.byteorder != "little":
            return None
        end = mapped.find(b"\n", len(_MAGIC))
        header = json.loads(mapped[len(_MAGIC):end].decode("utf-8"))
        offset = end + 1 + (-(end + 1) % _ALIGN)
        cells = header["states"] * (len(header["symbols"]) + 1)
        view = memoryview(mapped)
        log_probs = view[offset:offset + 8 * cells].cast("d")
        kind = header.get("next_type", "I")
        size = array(kind).itemsize
        next_states = view[offset + 8 * cells:offset + (8 + size) * cells].cast(kind)
        provenance = {key: value for key, value in header.items()
                      if isinstance(value, str) and key not in ("symbols", "next_type")}
        return cls(header["symbols"], header["start"], log_probs, next_states, provenance)


def _longest_seen(history: str, following: dict[str, Counter[str]], order: int) -> str:
    """The longest suffix of the last `order - 1` letters that the training forms have as a history
    (histories are closed under suffixes, so the shorter ones are seen too)."""
    history = history[len(history) - (order - 1):] if len(history) > order - 1 else history
    while history not in following:
        history = history[1:]
    return history


def source_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class CharModel:
    """Letter n-gram model of word forms with Witten-Bell interpolation (a `LetterTable`)."""

    def __init__(self, words: Iterable[str] = (), order: int = ORDER, alphabet_size: int = ALPHABET_SIZE,
                 table: LetterTable | None = None) -> None:
        self.order = order
        self.table = table if table is not None else LetterTable.compile(words, order, alphabet_size)

    def log_prob(self, word: str) -> float:
        return self.table.log_prob(word)


# ---------------------------------------------------------------------- the shipped tables
DATA_DIR = Path(__file__).with_name("data")
KAZAKH_TABLE = "kk_letters.bin"  # from the alphabetic forms of kk_wordforms.tsv
RUSSIAN_TABLE = "ru_letters.bin"  # from the RUSSIAN_LETTER_FORMS most frequent forms of ru_wordfreq.tsv.gz
RUSSIAN_LETTER_FORMS = 20_000


def table_provenance(source: Path, forms: int) -> dict[str, str]:
    """What a table was built from: the data file, its SHA-256, how many forms."""
    return {"source": source.name, "source_sha256": source_digest(source.read_bytes()), "forms": str(forms)}


@lru_cache(maxsize=4)
def shipped_table(name: str, source: str) -> LetterTable | None:
    """The memory-mapped table `name` when it was built from the shipped `source` as it is now
    (None otherwise: the caller compiles the table itself, slower but the same figures)."""
    table = LetterTable.load(DATA_DIR / name)
    if table is None or not (DATA_DIR / source).is_file():
        return None
    if table.provenance.get("source_sha256") != source_digest((DATA_DIR / source).read_bytes()):
        return None
    return table
