"""PDF bytes → pages of positioned lines, with the PDF's own metadata.

Text comes from pypdf's content-stream interpreter through a visitor, so each run of text keeps
where it stands (x, y of its baseline, in points from the page's lower left corner) and its size.
Runs sharing a baseline become one line. Hostile files are bounded: the page count is read from
the page tree before it is walked, the whole read has a time budget, pypdf's own decompression
limits stay on, and a deep or cyclic object graph ends in one clear error.
"""

from __future__ import annotations

import io
import logging
import math
import re
import signal
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pypdf is imported when a PDF is read, not when the package loads
    from pypdf import PageObject, PdfReader

MAX_PDF_PAGES = 5000            # a long dissertation has ~400; ten times that is still a book
MAX_READ_SECONDS = 120.0        # per document; a text PDF reads at well over 30 pages a second
# A page that yields more text than this is not a page of a book (a text bomb).
MAX_PAGE_CHARS = 200_000
# Share of text-less pages (with a picture) above which the document is taken for a scan.
SCAN_PAGE_SHARE = 0.2
# Average glyph advance as a share of the font size, to guess where a run of text ends: runs closer
# than SPACE_GAP_EM × size to that guess are one word ("программа" + "23").
AVERAGE_ADVANCE_EM = 0.5
SPACE_GAP_EM = 0.15
# A line of single letters parted by spaces (a letter-spaced title) has at least this many letters.
MIN_SPACED_LETTERS = 4
_WIDE_SPACE = re.compile(r" {2,}")
# The hyphen glyph: typst and others map it to U+00AD (a hyphen drawn at a line end, PDF 14.8.2.2.3).
_HYPHENS = ("-", "\u00ad", "\u2010")
_OPENING = ("«", "(", "[", "„", "“")
_CLOSING = ("»", ")", "]", ",", ".", ";", ":", "”", "!", "?")
# Runs within this share of their size of one baseline are one line (superscripts included).
BASELINE_TOLERANCE_EM = 0.5


@dataclass(frozen=True)
class TextRun:
    x: float
    y: float
    size: float
    text: str


@dataclass
class PdfLine:
    x: float
    y: float               # baseline, points from the bottom of the page
    size: float            # the largest font size on the line, in points as printed
    text: str
    role: str = "body"     # body | head | foot | pagenum (set by layout)


@dataclass
class PdfPage:
    index: int             # 1-based physical page
    label: str             # the PDF's page label (pypdf gives "1", "2"… when there are none)
    width: float
    height: float
    lines: list[PdfLine] = field(default_factory=list)
    has_images: bool = False
    printed_number: str = ""  # found by layout
    label_misleads: bool = False  # the label is another page's printed number (set by layout)

    @property
    def n(self) -> str:
        """What the page calls itself: the printed number, else the PDF's page label ("" when that
        label is another page's printed number, as on an unnumbered title page labelled "1")."""
        return self.printed_number or ("" if self.label_misleads else self.label)

    @property
    def facs_id(self) -> str:
        return f"page-{self.index}"


@dataclass(frozen=True)
class PdfMetadata:
    title: str = ""
    author: str = ""
    subject: str = ""
    creator: str = ""
    producer: str = ""
    created: str = ""        # ISO 8601 when the PDF date parses, else as written
    modified: str = ""
    version: str = ""        # "1.7"
    page_count: int = 0
    encrypted: bool = False  # opened with the empty user password


@dataclass
class PdfSource:
    """What the read stage hands on for a PDF (the .txt path hands on a SourceText)."""

    pages: list[PdfPage]
    metadata: PdfMetadata
    encoding: str            # a one-line description for the header, like SourceText.encoding
    removed_controls: int = 0

    @property
    def text(self) -> str:
        return "\n".join(line.text for page in self.pages for line in page.lines)


def read_pdf_bytes(data: bytes) -> PdfSource:
    """Bytes of a PDF → pages with positioned lines. Every failure is an InputError."""
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    started = time.monotonic()
    try:
        with _quiet_pypdf(), _time_limit(MAX_READ_SECONDS):
            return _read(data, started)
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError("password-protected PDF: it cannot be opened without its password") from None
    except DependencyError as exc:
        raise InputError(f"PDF needs a missing decoder: {_one_line(exc)}") from None
    except RecursionError:
        raise InputError("damaged PDF: its object graph is nested too deeply (or loops)") from None
    except MemoryError:
        raise InputError("PDF too large to read in memory (a decompression bomb?)") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            AssertionError, ZeroDivisionError, UnicodeError) as exc:
        # pypdf signals damage with its own errors and, on truncated or malformed files, with
        # plain ones from deep inside its parser.
        raise InputError(f"damaged or truncated PDF: {_one_line(exc)}") from None


def _read(data: bytes, started: float) -> PdfSource:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    encrypted = _open_encrypted(reader)
    count = _declared_page_count(reader)
    pages = [_read_page(reader, i, started) for i in range(count)]
    metadata = _metadata(reader, count, encrypted)
    _refuse_scans(pages)
    return PdfSource(pages, metadata, f"the PDF {metadata.version} text layer (pypdf {pypdf.__version__})")


class _OutOfTime(InputError):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """An alarm that ends a read stuck inside one page (a content stream of millions of operators).
    Signals reach only the main thread, where the CLI and every batch worker convert; elsewhere
    the check between pages is the limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise _OutOfTime(f"PDF took over {seconds:.0f} s to read (a hostile or broken file?)")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs in damaged files; the user gets our one line, not its log."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _open_encrypted(reader: PdfReader) -> bool:
    """An owner-password-only PDF opens with the empty user password; any other is refused."""
    from pypdf import PasswordType

    if not reader.is_encrypted:
        return False
    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise InputError("password-protected PDF: it cannot be opened without its password")
    return True


def _declared_page_count(reader: PdfReader) -> int:
    """The page tree's own /Count, checked before the tree is walked (100 000 pages refused at once)."""
    from pypdf.generic import DictionaryObject

    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, DictionaryObject):
        raise InputError("the PDF has no document catalog (/Root is not a dictionary)")
    pages = root["/Pages"].get_object()
    if not isinstance(pages, DictionaryObject):
        raise InputError("the PDF has no page tree (/Pages is not a dictionary)")
    declared = int(pages.get("/Count", 0))
    if declared > MAX_PDF_PAGES:
        raise InputError(f"PDF declares {declared:,} pages (the limit is {MAX_PDF_PAGES:,})")
    count = len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise InputError(f"PDF has {count:,} pages (the limit is {MAX_PDF_PAGES:,})")
    if count == 0:
        raise InputError("PDF without pages")
    return count


def _read_page(reader: PdfReader, index: int, started: float) -> PdfPage:
    if time.monotonic() - started > MAX_READ_SECONDS:
        raise InputError(f"PDF took over {MAX_READ_SECONDS:.0f} s to read (stopped at page {index + 1})")
    page = reader.pages[index]
    box = page.cropbox
    width, height = abs(float(box.width)), abs(float(box.height))
    if int(page.get("/Rotate", 0) or 0) % 180:
        width, height = height, width
    runs: list[TextRun] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        text = text.replace("\n", "")
        if not text.strip():
            return
        m = _multiply(tm, cm)
        scale = math.hypot(m[2], m[3]) or 1.0
        runs.append(TextRun(m[4] - float(box.left), m[5] - float(box.bottom), abs(size * scale), text))

    page.extract_text(visitor_text=visit)
    if sum(len(r.text) for r in runs) > MAX_PAGE_CHARS:
        raise InputError(f"page {index + 1} holds over {MAX_PAGE_CHARS:,} characters of text: not a page of a book")
    return PdfPage(index + 1, _page_label(reader, index), round(width, 2), round(height, 2),
                   group_lines(runs), has_images=not runs and _has_images(page))


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """Product of two PDF matrices [a b c d e f] (text matrix × current transformation matrix)."""
    return [
        a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def group_lines(runs: list[TextRun]) -> list[PdfLine]:
    """Runs in content-stream order; a run on the baseline of the line being built (within
    BASELINE_TOLERANCE_EM, so raised note calls stay on their line) and to its right joins it."""
    lines: list[PdfLine] = []
    members: list[list[TextRun]] = []
    for run in runs:
        if members:
            last = members[-1][-1]
            tolerance = BASELINE_TOLERANCE_EM * max(run.size, last.size)
            if abs(run.y - lines[-1].y) <= tolerance and run.x >= last.x:
                members[-1].append(run)
                continue
        lines.append(PdfLine(run.x, run.y, run.size, ""))
        members.append([run])
    for line, parts in zip(lines, members, strict=True):
        line.text = _drawn_hyphen_at_end(" ".join(rejoin_letter_spaced(_join_runs(parts)).split()))
        line.size = round(max(p.size for p in parts), 2)
        baseline = max(parts, key=lambda p: (p.size, -p.y))  # the body text's baseline, not a superscript's
        line.y, line.x = round(baseline.y, 2), round(parts[0].x, 2)
    return [line for line in lines if line.text]


def _join_runs(parts: list[TextRun]) -> str:
    out = parts[0].text
    for before, run in pairwise(parts):
        if out.endswith((" ", "\u00a0")) or run.text.startswith((" ", "\u00a0")):
            out += run.text
        elif out.endswith(_HYPHENS) or run.text.startswith(_HYPHENS):
            # a hyphen drawn as a run of its own belongs to its words, and was drawn: "-"
            out = out[:-1] + "-" if out.endswith("\u00ad") else out
            out += "-" + run.text[1:] if run.text.startswith("\u00ad") else run.text
        elif out.endswith(_OPENING) or run.text.startswith(_CLOSING):
            out += run.text        # "«" + "Cooperative": a font change, not a space
        elif _raised(before, run):
            out += " " + run.text  # a note's number before its text: "¹Сілтеме" → "1 Сілтеме"
        elif _raised(run, before):
            out += run.text        # a note call glued to its word, as extractors print it
        else:
            guessed_end = before.x + len(before.text) * before.size * AVERAGE_ADVANCE_EM
            out += (" " if run.x - guessed_end > SPACE_GAP_EM * run.size else "") + run.text
    return out


def _drawn_hyphen_at_end(text: str) -> str:
    """U+00AD ending a line is the hyphen drawn where a word was broken: a "-" the cleaner decides
    on as for any line-end hyphen. Elsewhere a soft hyphen may be an undrawn one glued to a letter's
    mapping, and is left to the cleaner, which removes it."""
    return text[:-1] + "-" if text.endswith("\u00ad") else text


def rejoin_letter_spaced(text: str) -> str:
    """A letter-spaced line ("П а р т и я  қ ы з м е т і н"): the extractor put a space between
    letters and two between words; the words are taken back ("Партия қызметін")."""
    groups = _WIDE_SPACE.split(text.strip())
    letters = [group.split(" ") for group in groups]
    if sum(len(g) for g in letters) < MIN_SPACED_LETTERS or any(len(t) != 1 for g in letters for t in g):
        return text
    return " ".join("".join(g) for g in letters)


def _raised(small: TextRun, normal: TextRun) -> bool:
    return small.size < 0.85 * normal.size and small.y > normal.y + 0.1 * normal.size


def _page_label(reader: PdfReader, index: int) -> str:
    try:
        return str(reader.page_labels[index])
    except (IndexError, KeyError, ValueError, TypeError):
        return str(index + 1)


def _has_images(page: PageObject) -> bool:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return False
    xobjects = xobjects.get_object()
    return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)


def _refuse_scans(pages: list[PdfPage]) -> None:
    """A scan has pictures of pages and no text: reading it needs OCR, which is not ours to do."""
    textless = [p.index for p in pages if not p.lines]
    scanned = [p.index for p in pages if not p.lines and p.has_images]
    if len(textless) == len(pages) or len(scanned) > SCAN_PAGE_SHARE * len(pages):
        where = page_ranges(scanned or textless)
        pages_word = "pages" if "–" in where or "," in where else "page"
        raise InputError(f"no text layer on {pages_word} {where}: run OCR first, e.g. OCRmyPDF")


def page_ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] → "3–5, 9"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in spans)


def _metadata(reader: PdfReader, count: int, encrypted: bool) -> PdfMetadata:
    info: Mapping[str, object] = reader.metadata or {}

    def field_text(key: str) -> str:
        try:
            value = info.get(key)
        except (KeyError, ValueError, TypeError):
            return ""
        return " ".join(str(value).split()) if value is not None else ""

    header = reader.pdf_header or ""
    return PdfMetadata(
        title=field_text("/Title"), author=field_text("/Author"), subject=field_text("/Subject"),
        creator=field_text("/Creator"), producer=field_text("/Producer"),
        created=pdf_date(field_text("/CreationDate")), modified=pdf_date(field_text("/ModDate")),
        version=header.removeprefix("%PDF-").strip() or "?", page_count=count, encrypted=encrypted,
    )


def pdf_date(value: str) -> str:
    """A PDF date ("D:20231204161718+06'00'") as ISO 8601 ("2023-12-04T16:17:18+06:00"); other
    strings are kept as written."""
    match = re.match(r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+\-])?(\d{2})?'?(\d{2})?", value)
    if not match:
        return value
    year, month, day, hour, minute, second, zone, zh, zm = match.groups()
    date = "-".join(p for p in (year, month, day) if p)
    if not (month and day and hour and minute):
        return date
    time_part = f"T{hour}:{minute}:{second or '00'}"
    if zone == "Z" or zone and not zh:
        time_part += "Z"
    elif zone:
        time_part += f"{zone}{zh}:{zm or '00'}"
    return date + time_part
