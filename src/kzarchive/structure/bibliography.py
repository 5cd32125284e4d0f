"""Reference lists → <listBibl> with one <bibl n="N"> per entry, an entry's wrapped lines rejoined.

A list is found under its heading (Әдебиеттер тізімі, Список литературы, Интернет сайттары …) or,
without a heading, as the numbered lines that end an article. The printed number stays in the
entry's text; @n repeats it for linking.
"""

from __future__ import annotations

import re

from ..model import BiblList, Block, Division, LineBreak, Node
from .inlines import leading_text

_ENTRY_NUMBER = re.compile(r"^\s*(\d{1,3})(?:[.)]\s*|\s+)(?=\S)")
_ENTRY_NUMBER_AT_NODE = re.compile(r"^\s*(\d{1,3})(?:[.)]\s*|\s+)$")  # "1.  " before a <choice>
_BIBLIOGRAPHIC = re.compile(r"\b(1[89]|20)\d\d\b|//|\b[СCсc]\.\s?\d|\bбб?\.\s?\d|\bpp?\.\s?\d|https?://|www\.")
_CONTINUES = re.compile(r"[,;:/–\-]$")


def entry_number(block: Block) -> str:
    lead = leading_text(block)
    match = _ENTRY_NUMBER.match(lead) or _ENTRY_NUMBER_AT_NODE.match(lead)
    return match.group(1) if match and block.plain_text().strip() != match.group(0).strip() else ""


def build_bibliographies(nodes: list[Node]) -> None:
    """Turn the children of every bibliography division into reference lists, recursively; an
    article's unheaded trailing numbered references become its bibliography division."""
    for node in nodes:
        if not isinstance(node, Division):
            continue
        if node.type == "bibliography":
            node.children = _reference_list(node.children)
        if node.type == "article":
            _trailing_references(node)
        build_bibliographies(node.children)


def _reference_list(children: list[Node]) -> list[Node]:
    numbered = any(isinstance(c, Block) and c.kind == "p" and entry_number(c) for c in children)
    out: list[Node] = []
    current: BiblList | None = None
    for child in children:
        if not isinstance(child, Block) or child.kind not in ("p", "item", "milestone"):
            current = None
            out.append(child)
            continue
        if child.kind == "milestone":
            if current:
                current.entries[-1].inlines.extend(child.inlines)  # page furniture inside the list
            else:
                out.append(child)
            continue
        number = entry_number(child)
        if current and not number and numbered and _continues(current.entries[-1], child):
            _join(current.entries[-1], child)
            continue
        if numbered and not number and current is None:
            out.append(child)  # an introductory sentence before the entries
            continue
        if current is None:
            current = BiblList([])
            out.append(current)
        child.kind, child.number = "bibl", number
        current.entries.append(child)
    return out


def _continues(entry: Block, block: Block) -> bool:
    """A wrapped entry line: it starts in lower case or with '//', or the entry broke off mid-phrase."""
    text = block.plain_text().lstrip()
    return text[:1].islower() or text.startswith("//") or bool(_CONTINUES.search(entry.plain_text().rstrip()))


def _join(entry: Block, block: Block) -> None:
    entry.inlines = entry.inlines + [LineBreak("space", entry.last_line)] + block.inlines
    entry.last_line = block.last_line


def _trailing_references(article: Division) -> None:
    if any(isinstance(c, Division) and c.type == "bibliography" for c in article.children):
        return
    start = _trailing_numbered_run(article.children)
    if start is None:
        return
    references = Division("bibliography", children=article.children[start:])
    article.children = article.children[:start] + [references]


def _trailing_numbered_run(children: list[Node]) -> int | None:
    """Index where the article's final run of numbered references 1…k begins (k ≥ 2), if any."""
    expected_last: int | None = None
    entries = 0
    for index in range(len(children) - 1, -1, -1):
        child = children[index]
        if isinstance(child, Block) and child.kind == "milestone":
            continue
        if not isinstance(child, Block) or child.kind != "p":
            break
        number = entry_number(child)
        if not number or not _BIBLIOGRAPHIC.search(child.plain_text()):
            break
        if expected_last is not None and int(number) != expected_last:
            break
        expected_last = int(number) - 1
        entries += 1
        if int(number) == 1:
            return index if entries >= 2 else None
    return None
