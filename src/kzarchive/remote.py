"""Sources behind fsspec URLs (`s3://bucket/theses/`, `gs://…`, `https://…/a.pdf`): the one wrapper
around fsspec and universal-pathlib, so that nothing else in the package knows about them.

A remote source is a `upath.UPath`, which has the `pathlib` surface the batch uses (name, suffix,
parent, iterdir, stat, open), so collecting, naming, cataloguing and converting take it as they take a
local file. What differs is here: it is read through fsspec (by the worker that converts it, not by the
client), with the size limit checked before the read; and a local file's protections (no FIFO, no link
out of the folder) have no meaning for an object in a store, where only "is it a file" is asked.

The output folder stays a file-system path (a local disk or a shared mount): the folder lock, atomic
renames and the protection of hand-edited TEI masters rely on a POSIX file system, which an object
store is not. `file://` URLs are plain local paths.

fsspec and universal-pathlib come with the `remote` extra (and with `cluster`); each store needs its
fsspec plug-in (s3fs, gcsfs, adlfs …), configured the fsspec way (environment variables such as
FSSPEC_S3_ENDPOINT_URL, or ~/.config/fsspec/).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from .errors import InputError, KzError

if TYPE_CHECKING:
    from upath import UPath

SourcePath: TypeAlias = "Path | UPath"  # a local file, or an object behind a URL

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*(::[A-Za-z][A-Za-z0-9+.\-]*)*://")
HASH_CHUNK = 1 << 20
INSTALL_HINT = "URLs as sources need the remote extra: pip install 'kzarchive[remote]' (and the store's fsspec plug-in)"


class RemoteError(KzError):
    """A URL that cannot be used as a source (one line for the user)."""


def is_url(text: str) -> bool:
    """`s3://…`, `https://…`, `simplecache::s3://…`; not a Windows drive or a plain path."""
    return bool(_URL.match(text))


def source_location(text: str) -> SourcePath:
    """A command-line source: a local Path, or a UPath for a URL (`file://` gives a local Path)."""
    if not is_url(text):
        return Path(text)
    if text.startswith("file://"):
        return Path(text.removeprefix("file://"))
    if importlib.util.find_spec("upath") is None or importlib.util.find_spec("fsspec") is None:
        raise RemoteError(INSTALL_HINT)
    from upath import UPath

    try:
        return UPath(text)
    except (ValueError, ImportError) as exc:  # an unknown protocol, or its plug-in is not installed
        raise RemoteError(f"{text}: {_one_line(exc)}") from None


def forget_cached(path: SourcePath) -> None:
    """fsspec keeps listings and object versions (ETags) for the life of a process — a cluster worker
    lives for many runs: what a run reads must be the store's current state, not a cached one."""
    if not isinstance(path, Path):
        path.fs.invalidate_cache()


def exists(path: SourcePath) -> bool:
    """Whether a source is there; a store that cannot be reached (credentials, network) is a RemoteError."""
    if isinstance(path, Path):
        return path.exists()
    try:
        forget_cached(path)
        return path.exists()
    except Exception as exc:  # any store's client error: one line, not a traceback
        raise RemoteError(f"{path}: cannot be reached: {_one_line(exc)}") from None


def remote_refusal(path: SourcePath) -> str:
    """Why a remote source is not read, in one line; "" when it may be."""
    try:
        return "" if path.is_file() else "not a file in the store: refused"
    except Exception as exc:
        return f"cannot read file: {_one_line(exc)}"


def read_remote_bytes(path: SourcePath, limit: int) -> bytes:
    """The object's bytes through fsspec, refusing one over the limit before it is downloaded."""
    try:
        forget_cached(path)
        size = path.stat().st_size
        if size is not None and size > limit:
            raise InputError(f"file too large: {size / 2**20:.0f} MB (the limit is {limit // 2**20} MB)")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except InputError:
        raise
    except Exception as exc:  # the store's own errors (network, permissions, a vanished object)
        raise InputError(f"cannot read file: {_one_line(exc)}") from None
    if len(data) > limit:
        raise InputError(f"file too large (the limit is {limit // 2**20} MB)")
    return bytes(data)


def remote_sha256(path: SourcePath) -> str:
    """The object's SHA-256, streamed (an incremental run's check, on the client)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(path: SourcePath) -> str:
    """The store's own identity of the object's current version (an S3 ETag, a size and time …), so
    that an unchanged object is recognised without downloading it; "" for a local file or when the
    store cannot tell."""
    if isinstance(path, Path):
        return ""
    try:
        forget_cached(path)
        return str(path.fs.ukey(path.path))
    except Exception:
        return ""


def location_text(path: SourcePath) -> str:
    """How a source is named in the manifest: a local path with forward slashes, or the URL."""
    return path.as_posix() if isinstance(path, Path) else str(path)


def size_of(path: SourcePath) -> int:
    """A source's size in bytes, 0 when it cannot be told (the batch only orders by it)."""
    try:
        return int(path.stat().st_size or 0)
    except Exception:  # OSError for a file; any store client's own error for an object
        return 0


def everywhere(path: SourcePath) -> SourcePath:
    """The name a source has on every machine of a cluster: a local path made absolute, a URL as it is."""
    return path.absolute() if isinstance(path, Path) else path


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
