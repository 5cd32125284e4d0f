"""Helpers shared by the review tests: a private copy of a sample's conversion, and the text of an EPUB."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

from kzarchive.export import EXPORT_FORMATS

# the editions the review tests work with: `kzarchive apply` re-exports every edition it finds
REVIEW_EDITIONS = ("epub",)


def copy_conversion(source_tei: Path, folder: Path, editions: tuple[str, ...] = REVIEW_EDITIONS) -> Path:
    """A private copy of a conversion (the TEI, its review page and the chosen editions), so each test
    may change its own; the session's shared conversion stays as it was made."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = source_tei.name.removesuffix(".tei.xml")
    left_out = {f"{stem}.{fmt}" for fmt in EXPORT_FORMATS if fmt not in editions}
    for path in source_tei.parent.glob(stem + ".*"):
        if path.name not in left_out:
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
