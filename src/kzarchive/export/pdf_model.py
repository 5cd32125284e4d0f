"""The reading walk (nodes.py) as the JSON document model that pdf_template.typ renders.

Handed to typst as data, so the source text can never be read as typst markup. Kazakh words get soft
hyphens at syllable boundaries here (typst has no Kazakh hyphenation patterns), except in headings
(set ragged and reused as bookmarks) and contents lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..lexicon.syllabify import hyphenation_points
from .nodes import (
    Bibliography,
    Block,
    Container,
    Division,
    Figure,
    Heading,
    Inline,
    Link,
    ListBlock,
    NoteCall,
    PageBreak,
    Paragraph,
    Quote,
    ReadingText,
    Span,
    Table,
    Text,
    iter_blocks,
)

SOFT_HYPHEN = "\u00ad"
MIN_HYPHENATED_LENGTH = 5
# Top-level divisions of these types start on a new page.
PAGE_BREAK_TYPES = {"chapter", "introduction", "conclusion", "bibliography", "contents", "part", "appendix"}
# Paragraph roles with a look of their own in the template; any other role is a plain paragraph.
PARAGRAPH_KINDS = {"byline": "byline", "caption": "caption", "docAuthor": "byline", "dateline": "byline",
                   "signed": "byline"}
# Keys of the document model that hold identifiers or settings, not printed text.
NON_TEXT_KEYS = {"t", "id", "ref", "lang", "rend", "hi", "link", "fonts", "labels", "layout", "date", "keywords"}
EXTERNAL_LINK = re.compile(r"^(https?|mailto):")

JsonInline = str | dict[str, Any]
JsonBlock = dict[str, Any]

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPACES = re.compile(r"\s+")


@dataclass
class TemplateModel:
    """Writes the JSON blocks of one document; `labels` are the ids the template must label."""

    text: ReadingText
    labels: set[str] = field(default_factory=set)
    soft_hyphens: bool = True

    # -- blocks

    def blocks(self, blocks: list[Block], lang: str) -> list[JsonBlock]:
        out: list[JsonBlock] = []
        for block in blocks:
            out.extend(self.block(block, lang))
        return attach_page_turns(out)

    def block(self, block: Block, lang: str) -> list[JsonBlock]:
        if isinstance(block, PageBreak):
            return [{"t": "pb", "n": block.n}]
        inner = block.lang or lang
        if isinstance(block, Division):
            return self.division(block, inner)
        if isinstance(block, Heading):  # a second head in a division: a plain heading line
            return [self._with_lang(block.lang, {"t": "p", "c": self.inlines(block.inlines, inner)})]
        if isinstance(block, Paragraph):
            return self.paragraph(block, inner)
        if isinstance(block, Quote):
            return [self._with_lang(block.lang, {"t": "quote", "c": self.blocks(block.blocks, inner)})]
        if isinstance(block, ListBlock):
            return [self.list_block(block, inner)]
        if isinstance(block, Bibliography):
            return self.bibliography(block, inner)
        if isinstance(block, Table):
            return self.table(block, inner)
        if isinstance(block, Figure):
            caption = self.paragraph(block.caption, inner) if block.caption else []
            return caption + self.blocks(block.blocks, inner)
        if isinstance(block, Container):
            return self.blocks(block.blocks, inner)
        raise TypeError(f"unknown block {type(block).__name__}")

    def division(self, division: Division, lang: str) -> list[JsonBlock]:
        out: list[JsonBlock] = []
        if division.head is not None and division.level == 1 and division.type in PAGE_BREAK_TYPES:
            out.append({"t": "pagebreak"})
        plain = division.type == "contents"  # a contents list is set ragged, without hyphenation
        hyphenating, self.soft_hyphens = self.soft_hyphens, self.soft_hyphens and not plain
        content: list[JsonBlock] = []
        for block in division.blocks:
            if block is division.head:
                out.extend(self.heading(division.head, division, lang))
            else:
                content.extend(self.block(block, lang))
        self.soft_hyphens = hyphenating
        content = attach_page_turns(content)
        out.extend([{"t": "plain", "c": content}] if plain and content else content)
        return out

    def heading(self, heading: Heading, division: Division, lang: str) -> list[JsonBlock]:
        label = division.id if division.id in self.text.link_targets else None
        if label:
            self.labels.add(label)
        # Notes and page turns cannot live in a heading (it is repeated in the contents and running
        # heads): they follow it as a paragraph of their own.
        hoisted = [n for n in self.inlines(heading.inlines, lang) if isinstance(n, dict) and ("fn" in n or "pb" in n)]
        hyphenating, self.soft_hyphens = self.soft_hyphens, False
        body = self.inlines(heading.inlines, heading.lang or lang, in_heading=True)
        self.soft_hyphens = hyphenating
        if heading.lang and heading.lang != self.text.lang:
            body = [{"lang": heading.lang, "c": body}]
        out: list[JsonBlock] = [{"t": "head", "level": min(heading.level, 6), "id": label, "c": body}]
        if hoisted:
            out.append({"t": "p", "c": hoisted})
        return out

    def paragraph(self, paragraph: Paragraph, lang: str) -> list[JsonBlock]:
        content = self.inlines(paragraph.inlines, lang)
        if not content:
            return []
        kind = PARAGRAPH_KINDS.get(paragraph.role, "p")
        return [self._with_lang(paragraph.lang, {"t": kind, "c": content})]

    def list_block(self, block: ListBlock, lang: str) -> JsonBlock:
        items = [{"label": self.inlines(item.label, lang) if item.label is not None else None,
                  "c": self.blocks(item.blocks, item.lang or lang)} for item in block.items]
        rend = "numbered" if block.numbered else block.rend or "bulleted"
        node = self._with_lang(block.lang, {"t": "list", "rend": rend, "items": items})
        heads = [p for head in block.heads for p in self.paragraph(head, lang)]
        return {"t": "quote", "c": [*heads, node]} if heads else node  # a list head is kept with its list

    def bibliography(self, block: Bibliography, lang: str) -> list[JsonBlock]:
        items = []
        for entry in block.entries:
            entry_lang = entry.lang or lang
            if entry.id in self.text.link_targets:
                self.labels.add(entry.id)
            content = _joined([self.inlines(b.inlines, entry_lang) for b in iter_blocks(entry.blocks)
                               if isinstance(b, Paragraph | Heading)])
            node = {"n": entry.number, "id": entry.id if entry.id in self.labels else None, "c": content}
            items.append(self._with_lang(entry.lang, node))
        heads = [p for head in block.heads for p in self.paragraph(head, lang)]
        return [*heads, self._with_lang(block.lang, {"t": "bibl", "items": items})]

    def table(self, block: Table, lang: str) -> list[JsonBlock]:
        """typst gets no grid for a source table: its caption, then a line per row, cells apart."""
        out = self.paragraph(block.head, lang) if block.head else []
        for row in block.rows:
            cells = [self.inlines(b.inlines, cell.lang or lang) for cell in row for b in iter_blocks(cell.blocks)
                     if isinstance(b, Paragraph | Heading)]
            if any(cells):
                out.append({"t": "p", "c": _joined(cells, " · ")})
        return out

    # -- inlines

    def inlines(self, inlines: list[Inline], lang: str, in_heading: bool = False) -> list[JsonInline]:
        out: list[JsonInline] = []
        for node in inlines:
            out.extend(self.inline(node, lang, in_heading))
        return _merge_strings(out)

    def inline(self, node: Inline, lang: str, in_heading: bool) -> list[JsonInline]:
        if isinstance(node, Text):
            return [hyphenate_kazakh(node.text) if lang == "kk" and self.soft_hyphens else node.text]
        if isinstance(node, PageBreak):
            return [] if in_heading else [{"pb": node.n}]
        if isinstance(node, NoteCall):
            return [] if in_heading else [self.footnote(node)]
        inner = node.lang or lang if isinstance(node, Span) else lang
        body = self.inlines(node.children, inner, in_heading)
        if isinstance(node, Link):
            return self.link(node, body)
        if node.kind in ("hi", "emph"):
            body = [{"hi": " ".join(node.rend) if node.rend else "italic", "c": body}]
        if inner != lang:
            body = [{"lang": inner, "c": body}]
        return body

    def footnote(self, call: NoteCall) -> JsonInline:
        note = call.note
        paragraphs = [self.inlines(b.inlines, note.lang) for b in iter_blocks(note.blocks)
                      if isinstance(b, Paragraph | Heading)]
        out: dict[str, Any] = {"fn": _joined(paragraphs)}
        if note.n.isdigit():
            out["n"] = int(note.n)  # the mark the source printed, not typst's own count
        return out

    def link(self, link: Link, body: list[JsonInline]) -> list[JsonInline]:
        if link.target.startswith("#") and link.target[1:] in self.text.link_targets:
            return [{"ref": link.target[1:], "c": body}]
        if EXTERNAL_LINK.match(link.target):
            return [{"link": link.target, "c": body}]
        return body

    def _with_lang(self, lang: str | None, node: dict[str, Any]) -> dict[str, Any]:
        if lang and lang != self.text.lang:
            node["lang"] = lang
        return node


def attach_page_turns(blocks: list[JsonBlock]) -> list[JsonBlock]:
    """A source page turn between blocks marks the first line of the paragraph that follows it (the
    margin number stands level with where the source page begins); before anything else it stays a
    block of its own."""
    out: list[JsonBlock] = []
    waiting: list[JsonBlock] = []
    for block in blocks:
        if block.get("t") == "pb":
            waiting.append(block)
            continue
        if waiting and block.get("t") == "p":
            block = {**block, "c": [{"pb": turn["n"]} for turn in waiting] + block["c"]}
        else:
            out.extend(waiting)
        waiting = []
        out.append(block)
    return out + waiting


def has_heading(blocks: list[JsonBlock]) -> bool:
    """Whether the contents page would list anything (a heading, at any depth of nesting)."""
    return any(block.get("t") == "head" or (block.get("t") in ("quote", "plain") and has_heading(block["c"]))
               for block in blocks)


def _joined(lines: list[list[JsonInline]], separator: str = " ") -> list[JsonInline]:
    out: list[JsonInline] = []
    for line in lines:
        if line:
            out.extend([separator, *line] if out else line)
    return _merge_strings(out)


def _merge_strings(nodes: list[JsonInline]) -> list[JsonInline]:
    """Join neighbouring strings (once: adding to a growing string would be quadratic)."""
    merged: list[JsonInline] = []
    run: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            run.append(node)
            continue
        if run:
            merged.append("".join(run))
            run = []
        merged.append(node)
    if run:
        merged.append("".join(run))
    return [_SPACES.sub(" ", n) if isinstance(n, str) else n for n in merged]


def hyphenate_kazakh(text: str) -> str:
    """Put soft hyphens at the syllable breaks of Cyrillic words, so typst breaks only there."""
    def soften(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < MIN_HYPHENATED_LENGTH or not _CYRILLIC.search(word):
            return word
        points = hyphenation_points(word)
        if not points:
            return word
        bounds = [0, *points, len(word)]
        return SOFT_HYPHEN.join(word[a:b] for a, b in zip(bounds, bounds[1:], strict=False))

    return _WORD.sub(soften, text)
