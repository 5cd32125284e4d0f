"""A read PDF → the classified lines the cleaner builds blocks from, with exact page turns.

Each page opens with a `pdfpage` line (→ <pb n facs/>), then its heads and top page number,
its body lines, its feet and bottom page number. Paragraph starts are read from the page: a
first-line indent, a wide gap, a change of type size; where the page says nothing (a page or
column turn without indent) the cleaner decides from the text, as for a .txt source.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from ..clean import CleaningTools, clean_lines
from ..clean.chars import normalize_characters
from ..clean.lines import Line, LineKind
from ..decisions import STEP_PDF_LAYOUT
from ..model import Block, CleanDocument, HeaderFacts
from ..structure.headings import heading_key
from .layout import analyse_layout
from .reader import PdfLine, PdfPage, PdfSource, page_ranges

PARAGRAPH_GAP_PITCH = 1.4    # a gap this many line pitches wide between two lines parts paragraphs
MIN_INDENT_EM = 0.3          # a first-line indent, in ems of the line's size …
MAX_INDENT_EM = 5.0          # … up to this; further in, the line is centred or set apart
NOTE_SIZE_RATIO = 0.9        # footnotes are set at most this large against the body text
COLUMN_SHARE = 0.3           # lines whose left edges are this share of the page width apart are in two columns
SIZE_CHANGE = 0.12           # lines whose sizes differ by this share are not one paragraph
_DOT_LEADER = re.compile(r"(?:\.\s?){5,}\s*\S{1,8}$")  # "Кіріспе ........ 3"
_NOT_A_TITLE = re.compile(r"^(?:microsoft\s+\w+\s*-|untitled|безымянный|документ\d*$|слайд\s*\d)|\.(?:docx?|pdf|tex|odt|rtf|indd|pages)\s*$",
                          re.IGNORECASE)
HEADING_TYPES = ("chapter", "section", "subsection")  # by type size, largest first
_ROLE_KINDS: dict[str, LineKind] = {"head": "header", "foot": "footer", "pagenum": "folio"}


def clean_pdf(source: PdfSource, tools: CleaningTools | None = None) -> CleanDocument:
    stats: Counter[str] = Counter()
    sizes: dict[int, float] = {}
    lines = pdf_lines(source, stats, sizes)
    text = "\n".join(line.raw for line in lines if line.kind == "text")
    tools = tools or CleaningTools.for_document(text)
    document = clean_lines(lines, HeaderFacts(title=plausible_title(source.metadata.title)), stats, tools)
    document.heading_sizes = heading_sizes(document.blocks, lines, sizes)
    document.steps.append(("segmentation", STEP_PDF_LAYOUT, reading_sentence(source, stats)))
    return document


def plausible_title(title: str) -> str:
    """The PDF's own title, unless it is a file name or a word processor's placeholder
    ("Microsoft Word - диссертация.docx", "Untitled", "Слайд 1")."""
    if not title or _NOT_A_TITLE.search(title) or not any(ch.isalpha() for ch in title):
        return ""
    return title


def reading_sentence(source: PdfSource, stats: Counter[str]) -> str:
    """How the pages were read, for the editorial declaration."""
    pages = source.pages
    printed = sum(1 for page in pages if page.printed_number)
    labelled = sum(1 for page in pages if not page.printed_number and page.n)
    empty = [page.index for page in pages if not page.lines]
    sentence = (f"Read page by page from the PDF's text layer with the position and size of each line: {len(pages)} pages, "
                f"each a pb whose n is its printed page number ({printed} pages) or else the PDF's page label "
                f"({labelled}; none where that label is another page's printed number), its facs the page's surface; running heads and feet found by where they stand on "
                f"the page across pages ({stats['running_headers']} heads, {stats['running_footers']} feet), kept as fw; "
                f"paragraphs begun at first-line indents, wide gaps and changes of type size; {len(sizes_of(pages))} "
                "type sizes larger than the text's taken for headings.")
    if empty:
        sentence += f" Pages without text: {page_ranges(empty)}."
    return sentence


def sizes_of(pages: list[PdfPage]) -> set[float]:
    return {line.size for page in pages for line in page.lines if line.role == "heading"}


def heading_sizes(blocks: list[Block], lines: list[Line], sized: dict[int, float]) -> dict[str, tuple[str, int]]:
    """Blocks made only of heading-size lines (the larger the type, the higher the heading):
    named to the structure stage, which otherwise knows headings only by their wording."""
    ranks = sorted(set(sized.values()), reverse=True)
    found: dict[str, tuple[str, int]] = {}
    for block in blocks:
        numbers = range(block.first_line, (block.last_line or block.first_line) + 1)
        sizes = [sized.get(n) for n in numbers if lines[n - 1].kind == "text"]
        if not sizes or None in sizes:
            continue
        level = min(ranks.index(max(s for s in sizes if s is not None)) + 1, len(HEADING_TYPES))
        key = heading_key(block.plain_text())
        if key:
            found.setdefault(key, (HEADING_TYPES[level - 1], level))
    return found


def pdf_lines(source: PdfSource, stats: Counter[str], heading_sizes: dict[int, float] | None = None) -> list[Line]:
    """The cleaner's lines; `heading_sizes` gets the line number and size of each heading-size line."""
    metrics = analyse_layout(source.pages)
    lines: list[Line] = []
    previous: PdfLine | None = None
    for page in source.pages:
        top, body, bottom = _page_parts(page, metrics["body_size"])
        lines.append(Line(len(lines) + 1, "", "pdfpage", page=page.n, facs=page.facs_id, placed=True))
        lines += [_furniture_line(line, len(lines) + 1 + i, stats) for i, line in enumerate(top)]
        lefts = _column_lefts(body)
        for line in body:
            if previous is not None and _starts_paragraph(previous, line, lefts, metrics):
                lines.append(Line(len(lines) + 1, "", "blank", placed=True))
            lines.append(Line(len(lines) + 1, normalize_characters(line.text, stats)))
            if line.role == "heading" and heading_sizes is not None:
                heading_sizes[len(lines)] = line.size
            previous = line
        lines += [_furniture_line(line, len(lines) + 1 + i, stats) for i, line in enumerate(bottom)]
        stats["pdf_pages"] += 1
        if page.printed_number:
            stats["page_numbers"] += 1
    return lines


def _page_parts(page: PdfPage, body_size: float) -> tuple[list[PdfLine], list[PdfLine], list[PdfLine]]:
    """Furniture above the body's first line, the body in reading (stream) order with the notes
    of every column after it, furniture below."""
    body = [line for line in page.lines if line.role in ("body", "heading")]
    notes = [line for line in body if _is_note_line(line, body, body_size, page.width)]
    body = [line for line in body if not any(line is note for note in notes)] + notes
    furniture = [line for line in page.lines if line.role not in ("body", "heading")]
    top_of_body = max((line.y for line in body), default=page.height / 2)
    top = sorted((f for f in furniture if f.y > top_of_body), key=lambda f: -f.y)
    bottom = sorted((f for f in furniture if f.y <= top_of_body), key=lambda f: -f.y)
    return top, body, bottom


def _is_note_line(line: PdfLine, body: list[PdfLine], body_size: float, width: float) -> bool:
    """Small type with no body-size line below it in its column: a footnote, which would
    otherwise cut a paragraph running on into the next column."""
    if line.size > NOTE_SIZE_RATIO * body_size:
        return False
    column = COLUMN_SHARE * width
    return not any(other.y < line.y and abs(other.x - line.x) < column and other.size > NOTE_SIZE_RATIO * body_size
                   for other in body)


def _furniture_line(line: PdfLine, number: int, stats: Counter[str]) -> Line:
    kind = _ROLE_KINDS[line.role]
    if kind == "header":
        stats["running_headers"] += 1
    elif kind == "footer":
        stats["running_footers"] += 1
    return Line(number, normalize_characters(line.text, stats), kind, placed=True)


def _column_lefts(body: list[PdfLine]) -> list[float]:
    """Left edges shared by many lines: the text block's, or each column's. Only a line with the
    next one below it at the same left counts, so that the indent of many short paragraphs' first
    lines is not taken for a column."""
    counts: Counter[int] = Counter(round(a.x) for a, b in pairwise(body) if abs(a.x - b.x) < 1 and b.y < a.y)
    needed = max(2, 0.15 * len(body))
    return [float(x) for x in sorted(x for x, n in counts.items() if n >= needed) or sorted(counts)[:1]]


def _starts_paragraph(before: PdfLine, line: PdfLine, lefts: list[float], metrics: dict[str, float]) -> bool:
    if _DOT_LEADER.search(before.text) or _DOT_LEADER.search(line.text):
        return True  # a contents entry is a line of its own
    if before.role != line.role or abs(before.size - line.size) > SIZE_CHANGE * max(before.size, line.size):
        return True
    indent = _indent(line, lefts)
    if line.y >= before.y:  # a new page or column: only an indent tells
        return MIN_INDENT_EM * line.size < indent <= MAX_INDENT_EM * line.size
    pitch = metrics["pitch"] * line.size / metrics["body_size"]  # small type is set closer
    if before.y - line.y > PARAGRAPH_GAP_PITCH * pitch:
        return True
    if MIN_INDENT_EM * line.size < indent <= MAX_INDENT_EM * line.size:
        return True
    return indent > MAX_INDENT_EM * line.size and _indent(before, lefts) <= MAX_INDENT_EM * before.size


def _indent(line: PdfLine, lefts: list[float]) -> float:
    own = [left for left in lefts if left <= line.x + 1]
    return line.x - max(own) if own else 0.0
