"""Character hygiene on the whole text: NFC, odd spaces, soft hyphens, zero-width marks.

Typographic quotes « » “ ” are left alone on purpose: they are the editor's, not the PDF's.
Look-alike letters are fixed later, word by word, so that each fix is kept as <choice>.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Spaces that PDFs and web pages put in place of a plain space.
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def normalize_characters(text: str, stats: Counter[str]) -> str:
    nfc = unicodedata.normalize("NFC", text)
    stats["nfc_changed_chars"] += sum(1 for a, b in zip(text, nfc, strict=False) if a != b) + abs(len(text) - len(nfc))
    stats["odd_spaces"] += len(_ODD_SPACES.findall(nfc))
    stats["invisible_marks"] += len(_INVISIBLE.findall(nfc))
    spaced = _ODD_SPACES.sub(" ", nfc)
    return _INVISIBLE.sub("", spaced)
