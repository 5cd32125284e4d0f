"""Helpers shared by the review tests: a sample converted into a folder of its own, and the text of
an EPUB."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

from kzarchive.metadata import load_catalog
from kzarchive.pipeline import convert_source
from kzarchive.results import ConvertOptions

from .conftest import INPUT, sample


def convert_into(folder: Path, prefix: str, formats: tuple[str, ...] = ("tei", "epub")) -> Path:
    """Convert one real sample into `folder`; returns its TEI path."""
    options = ConvertOptions(output_dir=folder, formats=formats, date="2026-01-02")
    result = convert_source(sample(prefix), options, load_catalog(INPUT))
    assert result.ok, result.error
    return result.outputs["tei"]


def copy_conversion(source_tei: Path, folder: Path) -> Path:
    """A private copy of a conversion (TEI and editions), so each test may change its own."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = source_tei.name.removesuffix(".tei.xml")
    for path in source_tei.parent.glob(stem + ".*"):
        shutil.copy2(path, folder / path.name)
    return folder / source_tei.name


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        pages = [package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xhtml")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", " ".join(pages)))


def page_data(page: Path) -> dict:
    """The decisions a review page carries (its JSON script element)."""
    html = page.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert match, "the page carries its data inline"
    return json.loads(match.group(1))
