"""The source view of a TEI master: the text as the source had it, regenerated from the markup.

<orig> over <reg>, forme work included, break hyphens put back, line ends as newlines. It is what
proves the master lossless: the source's characters can be read back from it.
"""

from __future__ import annotations

from lxml import etree

from . import tei

_SKIP = {tei("reg"), tei("corr")}


def source_view(element: etree._Element) -> str:
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts)


def _collect(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            if child.tag == tei("lb"):
                parts.append("-\n" if child.get("rend") == "hyphen" else "\n")
            else:
                if child.tag in (tei("fw"), tei("pb"), tei("p"), tei("head"), tei("item"), tei("bibl")):
                    parts.append("\n")
                _collect(child, parts)
                if child.tag == tei("fw"):
                    parts.append("\n")  # forme work stood on a line of its own
        if child.tail:
            parts.append(child.tail)
