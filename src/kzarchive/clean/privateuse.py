"""Private-use characters (U+E000–U+F8FF and the supplementary planes' private areas): a font's
own glyphs, such as the pieces of a large brace, that no standard character names. They are kept
as printed — never dropped — and reported with the pages they stand on."""

from __future__ import annotations

from collections import Counter

from ..model import Block, Inline, PageBreak, Text


def is_private_use(char: str) -> bool:
    code = ord(char)
    return 0xE000 <= code <= 0xF8FF or 0xF0000 <= code <= 0x10FFFD


def private_use_report(blocks: list[Block], stats: Counter[str]) -> str:
    """One sentence naming each private-use character with its pages ("" when there are none)."""
    found: dict[str, list[str]] = {}
    page = "?"
    for block in blocks:
        for node in _flat(block.inlines):
            if isinstance(node, PageBreak):
                page = node.n or page
            elif isinstance(node, Text):
                for char in node.text:
                    if is_private_use(char):
                        stats["private_use_chars"] += 1
                        pages = found.setdefault(char, [])
                        if page not in pages:
                            pages.append(page)
    if not found:
        return ""
    listed = "; ".join(f"U+{ord(c):04X} on page{'s' if len(p) > 1 else ''} {', '.join(p)}" for c, p in sorted(found.items()))
    return (f"{stats['private_use_chars']} private-use characters (a font's own glyphs, no standard meaning) "
            f"kept as printed: {listed}.")


def _flat(inlines: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        out.append(node)
        for attribute in ("orig", "content"):
            inner = getattr(node, attribute, None)
            if isinstance(inner, list):
                out.extend(_flat(inner))
    return out
