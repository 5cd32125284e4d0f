"""What we know about a source before reading it: the catalog row, file identity, run settings."""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import InputError
from .remote import SourcePath

# Characters XML 1.0 cannot carry: a catalog value with one would make the TEI unwritable.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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
    path: SourcePath
    sha256: str
    size: int
    encoding: str
    catalog: CatalogEntry
    conversion_date: str
    removed_controls: int = 0
    name: str = ""  # the file name as printable text (sources.display_name); "" → path.name

    @property
    def file_name(self) -> str:
        return self.name or self.path.name


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def conversion_date() -> str:
    """The day of the conversion (UTC); SOURCE_DATE_EPOCH fixes it when set, the reproducible-builds
    convention for outputs that are byte-identical whenever they are made."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return datetime.now(UTC).date().isoformat()


def load_catalog(folder: SourcePath) -> dict[str, CatalogEntry]:
    """input/catalog.csv: one row per source file; unknown fields left empty, never guessed.
    A catalog that cannot be read is an InputError naming the file, not a traceback."""
    path = folder / "catalog.csv"
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8; save the catalog as UTF-8 CSV") from None
    except (csv.Error, OSError) as exc:
        raise InputError(f"{path}: cannot be read as CSV: {exc}") from None
    entries: dict[str, CatalogEntry] = {}
    for line_no, row in enumerate(rows, start=2):
        values = {key: (value or "").strip() for key, value in row.items() if isinstance(key, str) and isinstance(value, str)}
        if any(_FORBIDDEN_CHARS.search(v) for v in values.values()):
            raise InputError(f"{path}:{line_no}: control characters in a catalog field")
        name = values.get("file", "")
        if not name:
            continue
        entries[name] = CatalogEntry(
            file=name,
            title=values.get("title", ""),
            authors=tuple(a.strip() for a in values.get("authors", "").split(";") if a.strip()),
            date=values.get("date", ""),
            publisher=values.get("publisher", ""),
            source=values.get("source", ""),
            language=values.get("language", ""),
            licence=values.get("licence", ""),
        )
    return entries
