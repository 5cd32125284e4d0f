"""The letter model's compiled tables (lexicon/letters.py): the same figures as the interpolation
formula, rebuilt byte for byte from the shipped word lists, and never used once their source changed."""

from __future__ import annotations

import math
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from kzarchive.lexicon import letters
from kzarchive.lexicon.build import build_letter_tables
from kzarchive.lexicon.letters import CharModel, LetterTable, shipped_table
from kzarchive.lexicon.russian import RussianWords, _russian_char_model
from kzarchive.lexicon.wordlist import Lexicon
from kzarchive.lexicon.wordmodel import _shared_char_model

WORDS = ["ел", "елдері", "мемлекет", "мемлекеттер", "орталық", "азия", "қазақстан", "ана", "бала", "балалар"]


def witten_bell(words: list[str], word: str, order: int = 4, alphabet: int = 50) -> float:
    """log P(word) straight from the definition: every history's counts, interpolated from the
    shortest history to the longest one seen."""
    following: dict[str, Counter[str]] = defaultdict(Counter)
    for item in words:
        padded = "^" * (order - 1) + item + "$"
        for index in range(order - 1, len(padded)):
            for size in range(order):
                following[padded[index - size:index]][padded[index]] += 1
    padded = "^" * (order - 1) + word + "$"
    total = 0.0
    for index in range(order - 1, len(padded)):
        history, char = padded[index - order + 1:index], padded[index]
        prob = 1.0 / alphabet
        for start in range(len(history), -1, -1):
            counts = following.get(history[start:])
            if counts:
                kinds, seen = len(counts), sum(counts.values())
                prob = (counts.get(char, 0) + kinds * prob) / (seen + kinds)
        total += math.log(prob)
    return total


@pytest.mark.parametrize("word", ["ел", "мемлекеттері", "азиялар", "zzz", "ба^ла", "", "ққққ", "ел-жұрт"])
def test_the_table_gives_the_formula_figures_bit_for_bit(word: str) -> None:
    assert CharModel(WORDS).log_prob(word) == witten_bell(WORDS, word)


def test_a_table_reads_back_from_its_bytes(tmp_path: Path) -> None:
    table = LetterTable.compile(WORDS)
    path = tmp_path / "t.bin"
    path.write_bytes(table.to_bytes({"source": "words", "source_sha256": "x"}))
    loaded = LetterTable.load(path)
    assert loaded is not None and loaded.provenance["source"] == "words"
    for word in ("мемлекет", "балаларым", "qq"):
        assert loaded.log_prob(word) == table.log_prob(word)


def test_the_shipped_tables_are_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    data = letters.DATA_DIR
    for name in ("kk_wordforms.tsv", "ru_wordfreq.tsv.gz"):
        shutil.copy(data / name, tmp_path / name)
    build_letter_tables(tmp_path)
    for name in (letters.KAZAKH_TABLE, letters.RUSSIAN_TABLE):
        stale = f"{name} is stale: python -m kzarchive.lexicon.build --letters-only"
        assert (tmp_path / name).read_bytes() == (data / name).read_bytes(), stale


def test_the_shipped_lexicons_use_the_mapped_tables_with_the_same_figures() -> None:
    kazakh = _shared_char_model(Lexicon.default())
    assert isinstance(kazakh.table.log_probs, memoryview)  # memory-mapped, not compiled here
    forms = [form for form in Lexicon.default().counts if form.isalpha()]
    for word in ("мемлекеттерінің", "ор", "та", "лық", "департаментінде"):
        assert kazakh.log_prob(word) == witten_bell(forms, word)
    russian = _russian_char_model(RussianWords.default(), letters.RUSSIAN_LETTER_FORMS)
    assert isinstance(russian.table.log_probs, memoryview)


def test_a_table_whose_source_changed_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "words.txt").write_text("ел\nбала\n", encoding="utf-8")
    table = LetterTable.compile(["ел", "бала"])
    (tmp_path / "t.bin").write_bytes(table.to_bytes(letters.table_provenance(tmp_path / "words.txt", 2)))
    monkeypatch.setattr(letters, "DATA_DIR", tmp_path)
    assert shipped_table.__wrapped__("t.bin", "words.txt") is not None
    (tmp_path / "words.txt").write_text("ел\nбала\nана\n", encoding="utf-8")
    assert shipped_table.__wrapped__("t.bin", "words.txt") is None
