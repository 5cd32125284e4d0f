"""Hand-corrected TEI masters: found, kept, re-exported, never overwritten.

The manifest records, per document, the SHA-256 of the TEI that kzarchive itself wrote
(`generated_tei_sha256`). A TEI in the output folder whose bytes differ from that was edited by hand
and is a master: `convert` keeps it, re-exports the editions that are older than it, and says
"edited by hand: kept". Only `--reingest-edited` converts such a document again, and even then the
edited file is first moved to a dated backup beside it — as is any TEI at an output's name whose
bytes kzarchive has no record of writing. kzarchive overwrites or deletes only bytes it wrote.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .fsutil import sha256_file

KEPT_NOTE = "edited by hand: kept"
TEI_SUFFIX = ".tei.xml"


@dataclass(frozen=True)
class HandEdit:
    """A TEI on disk whose bytes are not those kzarchive generated."""

    tei_path: Path
    generated_sha256: str
    current_sha256: str


def generated_tei_sha256(entry: dict[str, Any] | None) -> str:
    """What kzarchive wrote as this document's TEI, according to a manifest entry ("" if unknown)."""
    if not isinstance(entry, dict):
        return ""
    recorded = entry.get("generated_tei_sha256")
    if isinstance(recorded, str) and recorded:
        return recorded
    tei = entry.get("outputs", {}).get("tei", {})
    return tei.get("sha256", "") if isinstance(tei, dict) else ""


def find_hand_edit(tei_path: Path, entry: dict[str, Any] | None) -> HandEdit | None:
    """The hand edit of this document's TEI, if its bytes differ from the ones kzarchive recorded."""
    generated = generated_tei_sha256(entry)
    if not generated:
        return None
    try:
        current = sha256_file(tei_path)
    except OSError:
        return None  # no TEI (deleted, or never made): nothing to keep
    return HandEdit(tei_path, generated, current) if current != generated else None


def back_up(path: Path, now: datetime | None = None) -> Path:
    """Move a file aside to NAME.backup-YYYYMMDDTHHMMSSZ.tei.xml (a free name) and return that name."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    base = path.name.removesuffix(TEI_SUFFIX) if path.name.endswith(TEI_SUFFIX) else path.name
    suffix = TEI_SUFFIX if path.name.endswith(TEI_SUFFIX) else ""
    for attempt in range(1, 1000):
        counter = "" if attempt == 1 else f"-{attempt}"
        backup = path.with_name(f"{base}.backup-{stamp}{counter}{suffix}")
        try:  # link + unlink: never replaces an existing backup, unlike rename
            os.link(path, backup)
        except FileExistsError:
            continue
        path.unlink()
        return backup
    raise FileExistsError(f"no free backup name for {path.name}")


def protect_unrecorded(tei_path: Path, new_sha256: str, recorded_sha256: str) -> Path | None:
    """Before writing a TEI: a file already at its name whose bytes are neither the new ones nor those
    kzarchive recorded writing (a hand edit, or a file of unknown origin) is moved to a backup first."""
    try:
        current = sha256_file(tei_path)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # not a regular file: writing there fails on its own, for this document only
    if current in (new_sha256, recorded_sha256):
        return None
    return back_up(tei_path)


def stale_editions(tei_path: Path, edition_paths: dict[str, Path]) -> list[str]:
    """Formats whose edition is missing or older than the (edited) TEI."""
    tei_time = tei_path.stat().st_mtime_ns
    stale = []
    for fmt, path in edition_paths.items():
        try:
            if path.stat().st_mtime_ns >= tei_time:
                continue
        except OSError:
            pass
        stale.append(fmt)
    return stale
