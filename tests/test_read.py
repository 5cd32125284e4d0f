"""Bytes → text: encodings detected from the bytes, non-text refused with a clear message."""

from __future__ import annotations

import codecs

import pytest

from kzarchive.errors import InputError
from kzarchive.read import decode_bytes

KAZAKH = "Қазақстан Республикасының егемендігі: ә ғ қ ң ө ұ ү һ і\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (KAZAKH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + KAZAKH.encode("utf-8"), "utf-8-sig"),
        (KAZAKH.encode("utf-16"), "utf-16"),
        (KAZAKH.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_unicode_encodings_are_detected(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == KAZAKH
    assert decoded.encoding == encoding


def test_cp1251_russian_is_detected_not_mangled() -> None:
    text = "Распад СССР стал неожиданностью для всего мира.\n"
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.encoding == "cp1251"
    assert decoded.text == text


def test_control_characters_are_removed_and_counted() -> None:
    decoded = decode_bytes("Ел\x00де\x07рі\x1b\n".encode())
    assert decoded.text == "Елдері\n"
    assert decoded.removed_controls == 3


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (b"%PDF-1.7\n", "PDF"),
        (bytes(range(1, 32)) * 40, "no readable text"),
    ],
)
def test_non_text_is_refused_with_a_reason(data: bytes, phrase: str) -> None:
    with pytest.raises(InputError, match=phrase):
        decode_bytes(data)
