"""Bytes → text: detect the encoding from the bytes themselves, refuse what is not text."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .fsutil import open_regular
from .remote import SourcePath, read_remote_bytes

# Magic numbers of common binary formats that get renamed to .txt by mistake.
_BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"%PDF": "PDF file (name it .pdf to have it read as a PDF)",
    b"PK\x03\x04": "ZIP/Office archive",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "executable",
}
# Control characters that a text file never legitimately contains (tab, LF, CR, FF allowed).
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
# Limits that keep time and memory bounded on hostile input. The largest dissertation we know of is
# ~2 MB of text; 64 MB leaves ample room. The cleaner works paragraph by paragraph and its cost grows
# faster than linearly with paragraph length, so one enormous line (no line breaks at all) is refused.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
# Above this share of undecodable characters a file is taken for binary data, not damaged text.
MAX_REPLACED_SHARE = 0.25
# Up to this share of broken sequences, a file that is otherwise UTF-8 is read as (damaged) UTF-8.
MAX_BROKEN_UTF8_SHARE = 0.01
# C0 controls other than tab, LF, FF, CR; the non-characters U+FFFE/U+FFFF; lone surrogates.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ASCII_BYTES = bytes(range(0x80))
_CP1251_LETTER_BYTES = bytes(range(0xC0, 0x100)) + bytes((0xA8, 0xB8, 0xB2, 0xB3, 0xAA, 0xBA, 0xAF, 0xBF))


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    removed_controls: int


def read_source(path: Path) -> SourceText:
    return decode_bytes(read_source_bytes(path))


def read_source_bytes(path: SourcePath, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The file's bytes, refusing files over the limit before reading them (a sparse file or a
    device can claim any size). An object behind a URL is read through fsspec (remote.py)."""
    if not isinstance(path, Path):
        return read_remote_bytes(path, limit)
    try:
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise InputError(f"file too large: {size / 2**20:.0f} MB (the limit is {limit // 2**20} MB)")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limit:  # grew while we read it
        raise InputError(f"file too large (the limit is {limit // 2**20} MB)")
    return data


def decode_bytes(data: bytes) -> SourceText:
    if len(data) > MAX_SOURCE_BYTES:
        raise InputError(f"file too large: {len(data) / 2**20:.0f} MB (the limit is {MAX_SOURCE_BYTES // 2**20} MB)")
    if not data.strip():
        raise InputError("empty file: no text to convert")
    for magic, what in _BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise InputError(f"not a text file: looks like a {what}")
    text, encoding = _decode(data)
    text, removed = _strip_controls(text)
    _refuse_undecodable(text, encoding)
    if not text.strip():
        raise InputError("no readable text after removing control characters")
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.2 * len(text.replace(" ", "").replace("\n", "")):
        raise InputError(f"not a text file: only {letters} letters in {len(text)} characters")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_line_lengths(text)
    return SourceText(text=text, encoding=encoding, removed_controls=removed)


def _refuse_undecodable(text: str, encoding: str) -> None:
    """Random or compressed bytes decode as "UTF-8 with replacements" too; real text with a few
    broken bytes has few replacements, binary data has them everywhere."""
    if "replaced" not in encoding or not text:
        return
    share = text.count("\ufffd") / len(text)
    if share > MAX_REPLACED_SHARE:
        raise InputError(f"not a text file: {share:.0%} of its characters are not valid UTF-8, UTF-16 or cp1251")


def _check_line_lengths(text: str) -> None:
    start = 0
    for number, line_end in enumerate(_line_ends(text), 1):
        if line_end - start > MAX_LINE_CHARS:
            raise InputError(f"line {number} is {line_end - start:,} characters long (the limit is "
                             f"{MAX_LINE_CHARS:,}); a text without line breaks cannot be cleaned — "
                             "extract it again with line breaks")
        start = line_end + 1


def _line_ends(text: str) -> Iterator[int]:
    position = text.find("\n")
    while position != -1:
        yield position
        position = text.find("\n", position + 1)
    yield len(text)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
        return text, "utf-8-sig (with invalid bytes replaced)" if "\ufffd" in text else "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in ("utf-16-le", "utf-16-be"):
        utf16 = _plausible_utf16(data, enc)
        if utf16 is not None:
            return utf16, enc
    # UTF-8 with a few broken bytes must not be taken for cp1251: UTF-8 Cyrillic is made of bytes
    # that look like cp1251 letters, so it would be read as mojibake.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") > max(2, MAX_BROKEN_UTF8_SHARE * len(lenient)) and _plausible_cp1251(data):
        return data.decode("cp1251"), "cp1251"
    # UTF-8 with a few broken bytes (never taken for cp1251: UTF-8 Cyrillic is made of bytes that look
    # like cp1251 letters, so it would be read as mojibake): keep the text, bad bytes as U+FFFD.
    return lenient, "utf-8 (with invalid bytes replaced)"


def _plausible_utf16(data: bytes, encoding: str) -> str | None:
    """UTF-16 without a BOM: accept it only when nearly every character is a letter, digit,
    space or punctuation of the scripts we expect (Cyrillic, Latin)."""
    if len(data) % 2:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    sample = text[:4000]
    ordinary = sum(1 for ch in sample if ch.isspace() or ord(ch) < 0x250 and ch.isprintable() or "\u0400" <= ch <= "\u04ff"
                   or "\u2000" <= ch <= "\u206f" or ch in "«»№")
    return text if ordinary >= 0.95 * len(sample) else None


def _plausible_cp1251(data: bytes) -> bool:
    """cp1251 Cyrillic text has most high bytes in the letter range 0xC0–0xFF."""
    high = len(data) - len(data.translate(None, _ASCII_BYTES))  # counted without a per-byte list
    if not high:
        return False
    letters = len(data) - len(data.translate(None, _CP1251_LETTER_BYTES))
    return letters / high > 0.7


def _strip_controls(text: str) -> tuple[str, int]:
    kept, removed = _FORBIDDEN_CHARS.subn("", text)
    return kept, removed
