"""Which files a batch converts, under which output names, and which it refuses before reading.

A folder given on the command line is searched (not recursively) for sources; every entry with a
source suffix is taken, whatever its type, so that nothing is skipped silently: a FIFO, a device, a
directory named `x.txt`, or a symbolic link leading out of the folder is refused with one line of
its own and never opened. A file named on the command line is the user's explicit choice and is
followed even when it is a link.

File names are bytes on POSIX. A name that is not valid UTF-8 reaches Python with lone surrogates
(PEP 383); `display_name` turns any name into printable, encodable text for messages, the manifest
and the TEI, and `safe_name` into an output stem that cannot leave the output folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .remote import SourcePath, remote_refusal

SOURCE_SUFFIXES = (".txt", ".pdf")
MAX_STEM_BYTES = 150  # leaves room under NAME_MAX (255) for ".tei.xml", a hash suffix and temp names
_UNPRINTABLE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


@dataclass(frozen=True)
class Source:
    """A source to convert: its path, and the folder it was found in (None: named by the user)."""

    path: SourcePath
    folder: SourcePath | None = None


def collect_sources(paths: Iterable[SourcePath]) -> list[Source]:
    """Files as given; folders searched (not recursively) for entries with a source suffix, in name order."""
    sources: list[Source] = []
    for path in paths:
        if path.is_dir():
            found = sorted((p for p in path.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES), key=_name_bytes)
            sources.extend(Source(p, path) for p in found)
        else:
            sources.append(Source(path))
    first: dict[SourcePath, Source] = {}
    for source in sources:  # a file named twice is converted once
        first.setdefault(source.path, source)
    return list(first.values())


def _name_bytes(path: SourcePath) -> bytes:
    return os.fsencode(path.name)


def refusal(source: Source, *, follow_symlinks: bool = False) -> str:
    """Why a source must not be read, in one line; "" when it may be. Decided from the directory
    entry alone (lstat/stat), so a FIFO is never opened and a link never followed to decide.
    An object behind a URL has no links or devices: only "is it a file" is asked."""
    if not isinstance(source.path, Path):
        return remote_refusal(source.path)
    try:
        entry = source.path.lstat()
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISLNK(entry.st_mode) and isinstance(source.folder, Path) and not follow_symlinks:
        target = _resolved(source.path)
        if target is None:
            return "a symbolic link to nothing (dangling): refused"
        if not target.is_relative_to(source.folder.resolve()):
            return (f"a symbolic link to a file outside the input folder ({display_name(str(target))}): refused; "
                    "use --follow-symlinks to convert it")
    try:
        mode = source.path.stat().st_mode
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    return not_regular(mode)


def not_regular(mode: int) -> str:
    """"" for a regular file, else what it is, as a refusal."""
    if stat.S_ISREG(mode):
        return ""
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return f"not a regular file but {kind}: not read"


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target, or a loop of links
        return None


def display_name(name: str) -> str:
    """A file name as printable UTF-8 text: undecodable bytes as \\xNN, controls and line breaks as
    escapes, so a name can never break a log line, the manifest or the TEI."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def safe_stem(path: SourcePath) -> str:
    """An output name that cannot leave the output folder: NFC, only letters, digits, `_ . -`, no
    leading dot, at most MAX_STEM_BYTES of UTF-8. Clashes between sources are resolved by unique_stems."""
    return safe_name(path.stem)


def safe_name(name: str) -> str:
    """safe_stem for a name already stripped of its suffixes ("a.v1" from "a.v1.tei.xml")."""
    stem = unicodedata.normalize("NFC", name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    stem = re.sub(r"[^\w.\-]+", "_", stem, flags=re.UNICODE).strip("._-") or "document"
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem


def _full_name(source: SourcePath) -> str:
    return str(source.resolve()) if isinstance(source, Path) else str(source)


def unique_stems(sources: list[SourcePath]) -> dict[SourcePath, str]:
    """Output stems for a batch, distinct even on case-insensitive file systems: every source whose
    stem clashes with another's (by case, Unicode form, replaced characters or truncation) gets a
    short hash of its own name — or of its full path when the names themselves are equal."""
    stems = {source: safe_stem(source) for source in sources}
    groups: dict[str, list[SourcePath]] = {}
    for source, stem in stems.items():
        groups.setdefault(stem.casefold(), []).append(source)
    for members in groups.values():
        if len(members) < 2:
            continue
        names = [m.name for m in members]
        for source in members:
            identity = source.name if names.count(source.name) == 1 else _full_name(source)
            suffix = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:8]
            stems[source] = f"{stems[source]}-{suffix}"
    return stems
