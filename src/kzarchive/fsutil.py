"""Atomic, reproducible file output: write to a temporary file beside the target, then rename.

Temporary files are hidden (`.NAME.XXXX.part`; the exporters use `.NAME.XXXX.tmp`) and never carry
a final name, so a run killed at any moment leaves only complete outputs under final names; the next
run removes the leftovers (`remove_stale_temporaries`) while it holds the folder's lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import KzError

LOCK_NAME = ".kzarchive.lock"
# `.NAME.RANDOM.part` (fsutil) and `.NAME.RANDOM.tmp` (exporters), as made by tempfile.mkstemp.
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.(?:part|tmp)$")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write_with(path, lambda tmp: _write_all(tmp, data))


def _write_all(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_with(path: Path, writer: Callable[[Path], None],
                      before_replace: Callable[[Path], None] | None = None) -> None:
    """Call writer(tmp_path) and move the result into place only when it succeeded, so a killed
    or failed run never leaves a partial file under the final name. before_replace(tmp_path) runs
    once the file is complete, just before it takes the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
        if before_replace:
            before_replace(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def sha256_file(path: Path) -> str:
    with open_regular(path) as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def open_regular(path: Path) -> io.BufferedReader:
    """Open a file for reading only if it is a regular file. O_NONBLOCK keeps a FIFO put at the name
    from blocking the open (it would hang the batch while it holds the folder lock); the type is
    checked on the opened descriptor, so a file swapped after an earlier check is caught too."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporaries a killed run left behind (call only while holding the folder lock)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        if _TEMPORARY.match(entry.name) and entry.is_file():
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


class FolderBusy(KzError):
    """Another kzarchive run is writing into the same output folder."""


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on the output folder for the duration of a batch; released by the
    kernel when the process dies, so a killed run never blocks the next one."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(f"another kzarchive run is writing into {folder}") from None
        yield
    finally:
        os.close(handle)
