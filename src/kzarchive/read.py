"""Bytes → text: detect the encoding from the bytes themselves, refuse what is not text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

# Magic numbers of common binary formats that get renamed to .txt by mistake.
_BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"%PDF": "PDF file (extract its text first)",
    b"PK\x03\x04": "ZIP/Office archive",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "executable",
}
# Control characters that a text file never legitimately contains (tab, LF, CR, FF allowed).
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    removed_controls: int


def read_source(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    return decode_bytes(data)


def decode_bytes(data: bytes) -> SourceText:
    if not data.strip():
        raise InputError("empty file: no text to convert")
    for magic, what in _BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise InputError(f"not a text file: looks like a {what}")
    text, encoding = _decode(data)
    text, removed = _strip_controls(text)
    if not text.strip():
        raise InputError("no readable text after removing control characters")
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.2 * len(text.replace(" ", "").replace("\n", "")):
        raise InputError(f"not a text file: only {letters} letters in {len(text)} characters")
    return SourceText(text=text.replace("\r\n", "\n").replace("\r", "\n"), encoding=encoding, removed_controls=removed)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in ("utf-16-le", "utf-16-be"):
        text = _plausible_utf16(data, enc)
        if text is not None:
            return text, enc
    if _plausible_cp1251(data):
        return data.decode("cp1251"), "cp1251"
    # Mostly UTF-8 with a few broken bytes: keep the text, mark the bad bytes with U+FFFD.
    return data.decode("utf-8", errors="replace"), "utf-8 (with invalid bytes replaced)"


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
    high = [b for b in data if b >= 0x80]
    if not high:
        return False
    letters = sum(1 for b in high if b >= 0xC0 or b in (0xA8, 0xB8, 0xB2, 0xB3, 0xAA, 0xBA, 0xAF, 0xBF))
    return letters / len(high) > 0.7


def _strip_controls(text: str) -> tuple[str, int]:
    kept = [ch for ch in text if not (ord(ch) < 32 and ch not in _ALLOWED_CONTROLS) and ch not in "\ufffe\uffff"]
    kept = [ch for ch in kept if not (0xD800 <= ord(ch) <= 0xDFFF)]
    return "".join(kept), len(text) - len(kept)
