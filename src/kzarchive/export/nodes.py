"""The reading model every edition is written from: small typed nodes, made once by `walk.read_text`.

Blocks stand one after another (a division, a paragraph, a list…); inlines make up a paragraph's line
(text, emphasis, a link, a note call, a source page turn). The TEI has already been read: the editor's
form chosen in every <choice>, forme work dropped, <lb/> resolved into a space or a joined word,
whitespace collapsed. A writer only decides how each node looks in its format.

`lang` on a node is its own xml:lang (None when it inherits); `id` its xml:id (None when it has none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------- inlines


@dataclass
class Text:
    """Reading text; runs of whitespace are one space, and a paragraph's ends are trimmed."""

    text: str


@dataclass
class Span:
    """Marked phrase: kind is "emph", "hi", "title", "label", "foreign", "term", "q", "quote", "said",
    or the TEI name of any other element that carries a language or an id, or that is unknown."""

    kind: str
    children: list[Inline]
    rend: tuple[str, ...] = ()  # hi/@rend tokens, lower case
    lang: str | None = None
    id: str | None = None


@dataclass
class Link:
    """ref/ptr: `target` is the first of its targets ("#id" inside the document, or an address)."""

    target: str
    children: list[Inline]
    bibliographic: bool = False  # ref type="bibl": a citation of a bibliography entry
    id: str | None = None


@dataclass
class PageBreak:
    """A source page turn (<pb n>); joins=True when it falls inside a word (break="no")."""

    n: str
    id: str | None = None
    joins: bool = False


@dataclass
class NoteCall:
    """Where a note is called from; its body is the note."""

    note: Note


Inline = Text | Span | Link | PageBreak | NoteCall

# ---------------------------------------------------------------------------------------- blocks


@dataclass
class Note:
    """A reading note (debris kept for losslessness never becomes one). `n` is the source's mark;
    `lang` the language in force at the note, since its body leaves the paragraph."""

    n: str
    lang: str
    blocks: list[Block]
    id: str | None = None


@dataclass
class Paragraph:
    """A line of inlines. role is "p" for <p>/<ab>, "loose" for text standing between blocks, "head"
    for a head that names no division, "continued" for the rest of a paragraph after a block inside
    it, or the TEI name of a paragraph-like element (byline, dateline, l, signed, bibl, figDesc…)."""

    inlines: list[Inline]
    role: str = "p"
    lang: str | None = None
    id: str | None = None


@dataclass
class Heading:
    """A division's head; level 1 for a top-level division."""

    level: int
    inlines: list[Inline]
    lang: str | None = None
    id: str | None = None


@dataclass
class Division:
    type: str
    subtype: str
    level: int
    blocks: list[Block]  # the heading, when there is one, in its place among them
    head: Heading | None = None
    lang: str | None = None
    id: str | None = None


@dataclass
class Item:
    label: list[Inline] | None
    blocks: list[Block]
    lang: str | None = None
    id: str | None = None


@dataclass
class ListBlock:
    """A list; `numbered` when its rend or type says so, `rend` its rend (or type) word as written."""

    rend: str
    numbered: bool
    heads: list[Paragraph]
    items: list[Item]
    lang: str | None = None
    id: str | None = None

    @property
    def labelled(self) -> bool:
        return any(item.label is not None for item in self.items)


@dataclass
class BiblEntry:
    """One entry of a bibliography; `number` is its @n when its text does not already print it."""

    number: str
    blocks: list[Block]
    lang: str | None = None
    id: str | None = None


@dataclass
class Bibliography:
    heads: list[Paragraph]
    entries: list[BiblEntry]
    lang: str | None = None
    id: str | None = None


@dataclass
class Quote:
    """quote, cit or epigraph standing as a block (kind is its TEI name)."""

    kind: str
    blocks: list[Block]
    lang: str | None = None
    id: str | None = None


@dataclass
class Cell:
    blocks: list[Block]
    is_label: bool = False  # role="label": a header cell
    cols: int = 1
    rows: int = 1
    lang: str | None = None
    id: str | None = None


@dataclass
class Table:
    head: Paragraph | None
    rows: list[list[Cell]]
    lang: str | None = None
    id: str | None = None


@dataclass
class Figure:
    caption: Paragraph | None
    blocks: list[Block]
    lang: str | None = None
    id: str | None = None


@dataclass
class Container:
    """Any other element that holds blocks (opener, closer, lg, sp, argument…; kind is its TEI name)."""

    kind: str
    blocks: list[Block]
    lang: str | None = None
    id: str | None = None


Block = Division | Heading | Paragraph | ListBlock | Bibliography | Quote | Table | Figure | Container | PageBreak


@dataclass
class Matter:
    """front, body or back of a text (kind), as blocks."""

    kind: str
    blocks: list[Block]


@dataclass
class ReadingText:
    """The whole reading text: its matters in document order, and the document's language."""

    lang: str
    matters: list[Matter] = field(default_factory=list)
    link_targets: frozenset[str] = frozenset()  # ids a reference can lead to (divisions with a head, entries)


# ------------------------------------------------------------------------------------ traversal


def children(block: Block) -> list[Block]:
    """The blocks directly inside a block (for a list: its items' blocks; a table: its cells')."""
    if isinstance(block, Division | Quote | Figure | Container):
        return block.blocks
    if isinstance(block, ListBlock):
        return [*block.heads, *(b for item in block.items for b in item.blocks)]
    if isinstance(block, Bibliography):
        return [*block.heads, *(b for entry in block.entries for b in entry.blocks)]
    if isinstance(block, Table):
        return [*([block.head] if block.head else []), *(b for row in block.rows for cell in row for b in cell.blocks)]
    return []


def iter_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Every block, depth first, in reading order (notes' blocks not included)."""
    for block in blocks:
        yield block
        yield from iter_blocks(children(block))


def plain_text(inlines: list[Inline], *, notes: bool = False) -> str:
    """The words of inlines as one string (note bodies only when asked; page turns never)."""
    parts: list[str] = []
    _collect_text(inlines, parts, notes)
    return " ".join("".join(parts).split())


def _collect_text(inlines: list[Inline], parts: list[str], notes: bool) -> None:
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Span | Link):
            _collect_text(node.children, parts, notes)
        elif isinstance(node, NoteCall) and notes:
            parts.append(" ")
            for block in iter_blocks(node.note.blocks):
                parts.append(" " + block_text(block, notes=notes) + " ")


def block_text(block: Block, *, notes: bool = False) -> str:
    """The words a block itself holds (not those of its children; list labels left out)."""
    if isinstance(block, Paragraph | Heading):
        return plain_text(block.inlines, notes=notes)
    return ""


def blocks_text(blocks: list[Block]) -> str:
    """The words of blocks and everything in them, in reading order (notes left out)."""
    return " ".join(" ".join(block_text(b) for b in iter_blocks(blocks)).split())
