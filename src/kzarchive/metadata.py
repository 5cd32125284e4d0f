"""What we know about a source before reading it: the catalog row, file identity, run settings."""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import RELEASE_DATE

CATALOG_FIELDS = ("file", "title", "authors", "date", "publisher", "source", "language", "licence")


@dataclass(frozen=True)
class CatalogEntry:
    file: str
    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    publisher: str = ""
    source: str = ""
    language: str = ""
    licence: str = ""


@dataclass(frozen=True)
class SourceInfo:
    path: Path
    sha256: str
    size: int
    encoding: str
    catalog: CatalogEntry
    conversion_date: str
    removed_controls: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def conversion_date() -> str:
    """SOURCE_DATE_EPOCH when set (reproducible builds convention), else this release's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    return RELEASE_DATE


def load_catalog(folder: Path) -> dict[str, CatalogEntry]:
    """input/catalog.csv: one row per source file; unknown fields left empty, never guessed."""
    path = folder / "catalog.csv"
    if not path.is_file():
        return {}
    entries: dict[str, CatalogEntry] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = (row.get("file") or "").strip()
            if not name:
                continue
            authors = tuple(a.strip() for a in (row.get("authors") or "").split(";") if a.strip())
            entries[name] = CatalogEntry(
                file=name,
                title=(row.get("title") or "").strip(),
                authors=authors,
                date=(row.get("date") or "").strip(),
                publisher=(row.get("publisher") or "").strip(),
                source=(row.get("source") or "").strip(),
                language=(row.get("language") or "").strip(),
                licence=(row.get("licence") or "").strip(),
            )
    return entries
