"""Tesseract's Kazakh word list (Debian tesseract-ocr-kaz, installed by scripts/bootstrap --test)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kzarchive.lexicon import tesseract
from kzarchive.metadata import CatalogEntry
from kzarchive.pipeline import ConvertOptions, document_key


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A private cache directory and no remembered word list, before and after the test."""
    monkeypatch.setenv("KZARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    tesseract.tesseract_words.cache_clear()
    yield tmp_path
    tesseract.tesseract_words.cache_clear()


def installed_model() -> Path:
    model = tesseract.find_model()
    assert model is not None, "tesseract-ocr-kaz is a test dependency: run scripts/bootstrap --test"
    return model


def test_a_rebuild_gives_the_same_bytes(fresh: Path) -> None:
    model = installed_model()
    first, second = fresh / "a.txt.gz", fresh / "b.txt.gz"
    count = tesseract.build(model, first)
    assert tesseract.build(model, second) == count
    assert first.read_bytes() == second.read_bytes()
    header = gzip.decompress(first.read_bytes()).decode("utf-8").split("\n", 1)[0]
    assert f"sha256={tesseract.model_sha256(model)}" in header and tesseract.SOURCE_PACKAGE in header
    assert f"forms={count}" in header


def test_the_word_list_is_built_once_and_holds_inflected_forms_and_names(fresh: Path) -> None:
    installed_model()
    words = tesseract.tesseract_words()
    assert len(words) > 200_000
    # inflected forms and names the sample corpus never writes
    assert {"тасымалының", "станцияларында", "алашаңқай", "үрімжі", "бөкейханов"} <= words
    assert all(word == word.casefold() for word in list(words)[:1000])
    cached = list((fresh / "cache").glob("tesseract-kaz-*.txt.gz"))
    assert len(cached) == 1
    tesseract.tesseract_words.cache_clear()
    assert tesseract.tesseract_words() == words  # read back from the cache file


def test_without_the_model_the_list_is_empty_and_nothing_fails(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZARCHIVE_TESSDATA_KAZ", str(fresh / "missing.traineddata"))
    assert tesseract.tesseract_words() == frozenset()
    assert tesseract.tesseract_identity() == "none"
    broken = fresh / "kaz.traineddata"
    broken.write_bytes(b"not a tesseract model")
    monkeypatch.setenv("KZARCHIVE_TESSDATA_KAZ", str(broken))
    tesseract.tesseract_words.cache_clear()
    assert tesseract.tesseract_words() == frozenset()  # the tools fail on it: fallback, no exception


def test_the_document_key_depends_on_the_word_list(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = ConvertOptions(output_dir=fresh)
    key = document_key("0" * 64, "a.txt", "a", CatalogEntry("a.txt"), options)
    monkeypatch.setenv("KZARCHIVE_NO_TESSERACT", "1")
    assert document_key("0" * 64, "a.txt", "a", CatalogEntry("a.txt"), options) != key
