"""The cleaned document between the cleaning/structure stages and the TEI encoder.

Inline nodes keep every artefact that cleaning took out of the reading text (page breaks, forme
work, line ends, original spellings), so the encoder can write a lossless TEI master. They and the
blocks are slotted (no __dict__): a large source has one or two per source line, millions of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LineEnd = Literal["space", "hyphen-break", "hyphen-kept", "joined"]


@dataclass(slots=True)
class Text:
    text: str


@dataclass(slots=True)
class LineBreak:
    """A source line end. 'space': words on either side; 'hyphen-break': a break hyphen was removed
    ("жет-⏎кізген"); 'hyphen-kept': a real hyphen stays in the text ("КСРО-⏎ға"); 'joined': the
    line ended inside a word without a hyphen."""

    kind: LineEnd = "space"
    source_line: int = 0
    confidence: float | None = None  # of the hyphen decision at this line end, when one was made


@dataclass(slots=True)
class PageBreak:
    n: str | None = None
    inside_word: bool = False
    xml_id: str = ""
    facs: str = ""  # the page's <surface> in <facsimile> (PDF sources)


@dataclass(slots=True)
class FormeWork:
    kind: Literal["header", "footer", "pageNum", "separator"]
    text: str


@dataclass(slots=True)
class Choice:
    """A regularised form with its source form: syllable-split words, look-alike letters."""

    orig: list[Inline]
    reg: str
    # notecall: a glued footnote number
    reason: Literal["syllables", "lookalike", "script", "notecall", "encoding", "letterspacing"]
    confidence: float | None = None  # the model's own, when it has one (else decisions.RULE_CONFIDENCE)


@dataclass(slots=True)
class NoteRef:
    """A footnote call whose note text lives elsewhere (bound to a Note by structure/notes)."""

    n: str
    glued: str = ""  # the printed call as it stood ("36"), kept when the note is missing


@dataclass(slots=True)
class Note:
    n: str
    content: list[Inline]
    kind: Literal["foot", "url"] = "foot"
    xml_id: str = ""
    lang: str | None = None


@dataclass(slots=True)
class Ref:
    target: str
    content: list[Inline]
    type: str = "bibl"


@dataclass(slots=True)
class Foreign:
    lang: str
    content: list[Inline]


@dataclass(slots=True)
class Quote:
    """A quotation run into a paragraph, in another language than the paragraph (<quote xml:lang>)."""

    lang: str
    content: list[Inline]


Inline = Text | LineBreak | PageBreak | FormeWork | Choice | NoteRef | Note | Ref | Foreign | Quote

BlockKind = Literal["p", "head", "item", "byline", "bibl", "title", "separator", "milestone", "note", "caption"]


@dataclass(slots=True)
class Block:
    """One unit of the reading text: a paragraph, a heading line, a list item, a bibliography entry…"""

    kind: BlockKind
    inlines: list[Inline]
    first_line: int
    last_line: int = 0
    lang: str | None = None
    level: int = 0          # heading depth, list nesting depth
    number: str = ""        # printed number of a heading, list item or bibliography entry
    label: str = ""         # printed label ("1.", "-", "•") kept as text
    rend: str = ""          # list style: bulleted | dash | numbered
    div_type: str = ""      # for heads: introduction | chapter | section | conclusion | article …
    xml_id: str = ""

    def plain_text(self) -> str:
        return inline_text(self.inlines)


def inline_text(inlines: list[Inline]) -> str:
    """The reading text of inline nodes (regularised, no forme work, notes left out)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" " if node.kind == "space" else "")
        elif isinstance(node, Choice):
            out.append(node.reg)
        elif isinstance(node, (Ref, Foreign, Quote)):
            out.append(inline_text(node.content))
        elif isinstance(node, NoteRef) and node.glued:
            out.append(node.glued)
    return "".join(out)


@dataclass
class HeaderFacts:
    """What the source itself says about the document (web-scrape header, first lines)."""

    title: str = ""
    doc_type: str = ""
    category: str = ""
    language_name: str = ""
    date: str = ""
    size: str = ""
    description: str = ""
    source_id: str = ""
    debris: list[str] = field(default_factory=list)


@dataclass
class CleanDocument:
    blocks: list[Block]
    facts: HeaderFacts
    stats: dict[str, int]
    steps: list[tuple[str, str, str]]  # (editorialDecl element, step id, sentence) per cleaning step
    # heading text → (div type, depth) known from the source's layout (a PDF's type sizes)
    heading_sizes: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class ListItem:
    block: Block
    sublists: list[ListNode] = field(default_factory=list)


@dataclass
class ListNode:
    rend: str  # bulleted | dash | numbered | contents
    items: list[ListItem]


@dataclass
class BiblList:
    entries: list[Block]  # kind "bibl", with number and xml_id


@dataclass
class Division:
    type: str                                   # article, introduction, chapter, section, …
    heads: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    bylines: list[Block] = field(default_factory=list)
    n: str = ""
    subtype: str = ""
    lang: str | None = None
    xml_id: str = ""

    def head_text(self) -> str:
        return " ".join(h.plain_text() for h in self.heads)


Node = Block | Division | ListNode | BiblList


@dataclass
class StructuredDocument:
    front: list[Node]  # divisions only; typed as nodes so that every part goes through the same walks
    body: list[Node]
    back: list[Node]  # divisions only (and lists, once build_lists has run over them)
    clean: CleanDocument
    languages: dict[str, int] = field(default_factory=dict)  # language → number of blocks
    stats: dict[str, int] = field(default_factory=dict)      # what structure found (lists, notes, citations …)
    title: str = ""
    authors: list[str] = field(default_factory=list)
