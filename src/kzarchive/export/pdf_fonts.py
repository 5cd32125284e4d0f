"""The fonts of the PDF edition: PT Serif and any installed fallback, from PyPI font packages only.

Every character of the document model is checked against them: PDF/A forbids the empty boxes typst
would draw for a character no font has, so those are printed as their code point instead.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ExportError
from .pdf_model import NON_TEXT_KEYS

PRIMARY_FONT = "pt-serif"
FALLBACK_FONTS = ("noto-serif",)  # wider Unicode (Greek, IPA, rare Latin); optional


@dataclass(frozen=True)
class BundledFont:
    family: str
    folder: Path
    files: tuple[Path, ...]


@lru_cache(maxsize=1)
def bundled_fonts() -> tuple[BundledFont, ...]:
    """PT Serif first, then any installed fallback family: PyPI fonts only, never system fonts."""
    import fontpkg

    found = []
    for slug in (PRIMARY_FONT, *FALLBACK_FONTS):
        try:
            family = fontpkg.family(slug)
        except fontpkg.FontpkgError:
            if slug == PRIMARY_FONT:
                raise ExportError(f"font package fontpkg-{slug} is not installed") from None
            continue
        files = tuple(f.path for f in family.files)
        found.append(BundledFont(family.name, files[0].parent, files))
    return tuple(found)


@lru_cache(maxsize=4)
def _font_cmap(font_file: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_file, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_coverage(font: BundledFont) -> frozenset[int]:
    """Code points every style of a family can draw (bold headings and italics need them too)."""
    cmaps = [_font_cmap(path) for path in font.files]
    return frozenset.intersection(*cmaps)


def missing_characters(characters: set[str], fonts: tuple[BundledFont, ...]) -> set[str]:
    """Characters that no bundled font can draw (typst would show an empty box)."""
    covered: set[int] = set()
    for font in fonts:
        covered |= font_coverage(font)
    return {char for char in characters if ord(char) not in covered and _needs_glyph(char)}


def missing_glyph_warning(char: str, fonts: tuple[BundledFont, ...]) -> str:
    names = ", ".join(f.family for f in fonts)
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} {name} ({char}) is missing from the PDF fonts ({names}); printed as [U+{ord(char):04X}]"


def replace_characters(value: Any, replacements: dict[str, str]) -> Any:
    """A copy of the document model with characters replaced in every text string."""
    if isinstance(value, str):
        return "".join(replacements.get(c, c) for c in value) if any(c in replacements for c in value) else value
    if isinstance(value, list):
        return [replace_characters(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: v if k in NON_TEXT_KEYS else replace_characters(v, replacements) for k, v in value.items()}
    return value


def _needs_glyph(char: str) -> bool:
    # Spaces and format/control characters are handled by the layout, not drawn.
    return not char.isspace() and unicodedata.category(char) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def document_characters(document: dict[str, Any]) -> set[str]:
    chars: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            chars.update(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in NON_TEXT_KEYS:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return chars
