"""EPUB 3 reader edition of a TEI master, packaged with ebooklib.

Reads only the TEI file, so an archivist's hand corrections to the master reach the e-book. The XHTML,
the navigation document and the NCX are built here with lxml (ebooklib's own generators add a cover
page, untitled chapters and random ids); ebooklib writes the package document and the container, and
the zip is then rewritten with fixed entry order and timestamps so that equal input gives equal bytes.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from ebooklib import epub
from lxml import etree

from ..fsutil import atomic_write_bytes
from ..labels import label
from ..tei import XML_ID, XML_LANG, tei
from ..tei.reading import Metadata, read_metadata
from .boundary import exporting, read_tei
from .epub_nav import font_files, landmarks, navigation_document, ncx_document, stylesheet, title_page
from .epub_render import BookRenderer
from .epub_xhtml import NAV_FILE, NCX_FILE, STYLESHEET, TITLE_PAGE_FILE, NavEntry, Package, serialize_xhtml
from .walk import read_text

__all__ = ["build_package", "export_epub"]

ACCESSIBILITY_SUMMARY = (
    "Reflowable text with a structured heading hierarchy, a table of contents, footnotes linked in both "
    "directions, language changes marked, and page-break markers with a page list for the printed source."
)
W3CDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry


def export_epub(tei_path: Path, out_path: Path, *, embed_font: bool = False) -> None:
    """Write the EPUB 3 reader edition of a TEI master to out_path (atomically)."""
    with exporting("EPUB", tei_path, out_path):
        package = build_package(read_tei(Path(tei_path)).getroot(), embed_font=embed_font)
        atomic_write_bytes(Path(out_path), package_bytes(package))


def build_package(root: etree._Element, *, embed_font: bool) -> Package:
    metadata = read_metadata(root)
    reading = read_text(root)
    title = metadata.title or metadata.source_title or metadata.source_filename or label("untitled", reading.lang)
    reserved = {i for el in root.iter() if (i := el.get(XML_ID))}
    renderer = BookRenderer(reading, reserved)
    renderer.render(title)
    documents = [title_page(metadata, title, renderer.base_lang)] + renderer.documents
    if not renderer.nav_entries:  # an empty text: the title page is the whole book
        renderer.nav_entries.append(NavEntry(title, TITLE_PAGE_FILE))
    languages = tuple(dict.fromkeys([renderer.base_lang, *metadata.languages]))
    return Package(
        metadata=metadata,
        identifier=book_identifier(metadata),
        modified=modification_time(root),
        documents=documents,
        nav_entries=renderer.nav_entries,
        pages=renderer.pages,
        landmarks=landmarks(renderer.documents, reading, renderer.emitted_ids),
        fonts=font_files() if embed_font else [],
        languages=languages,
    )


def source_urn(metadata: Metadata) -> str:
    sha = metadata.source_sha256.strip()
    return f"urn:sha256:{sha.lower()}" if SHA256_HEX.match(sha) else ""


def book_identifier(metadata: Metadata) -> str:
    """A UUID5 of the source's SHA-256: stable across re-conversions and hand corrections."""
    seed = source_urn(metadata) or f"kzarchive:{metadata.source_filename or metadata.title}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def parse_w3c_date(value: str) -> datetime | None:
    value = value.strip()
    if not W3CDTF.match(value):
        return None
    padded = value + "-01-01"[len(value) - 4:] if len(value) < 10 else value
    try:
        parsed = datetime.fromisoformat(padded.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def modification_time(root: etree._Element) -> datetime:
    """dcterms:modified from the master itself (latest revision, else publication date), else
    SOURCE_DATE_EPOCH, else the zip epoch: never the wall clock, so re-exports are identical."""
    header = root.find(tei("teiHeader"))
    if header is None:
        return ZIP_EPOCH
    changes = [parse_w3c_date(c.get("when", "")) for c in header.iter(tei("change"))]
    dated = [c for c in changes if c is not None]
    if dated:
        return max(dated)
    published = header.find(f"{tei('fileDesc')}/{tei('publicationStmt')}/{tei('date')}")
    if published is not None:
        when = parse_w3c_date(published.get("when") or published.text or "")
        if when is not None:
            return when
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return ZIP_EPOCH


# ---------------------------------------------------------------------------------------------
# ebooklib package and the reproducible zip


def ebooklib_book(package: Package) -> epub.EpubBook:
    meta = package.metadata
    title = package.documents[0].title
    book = epub.EpubBook()
    book.metadata = {}  # drop ebooklib's generator meta: its version would leak into the bytes
    book.set_identifier(package.identifier)
    book.add_metadata("DC", "title", title, {"id": "title-main"})
    book.add_metadata(None, "meta", "main", {"refines": "#title-main", "property": "title-type"})
    if meta.subtitle:
        book.add_metadata("DC", "title", meta.subtitle, {"id": "title-sub"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#title-sub", "property": "title-type"})
    for number, author in enumerate(meta.authors, start=1):
        book.add_metadata("DC", "creator", author, {"id": f"creator-{number}"})
        book.add_metadata(None, "meta", "aut", {"refines": f"#creator-{number}", "property": "role",
                                                "scheme": "marc:relators"})
    for language in package.languages:
        book.add_metadata("DC", "language", language)
    add_optional_metadata(book, meta)
    add_accessibility_metadata(book, has_pages=bool(package.pages))
    return book


def add_optional_metadata(book: epub.EpubBook, meta: Metadata) -> None:
    if parse_w3c_date(meta.source_date):  # the work's date; EPUBCheck warns on non-W3CDTF dates
        book.add_metadata("DC", "date", meta.source_date.strip())
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.licence:
        book.add_metadata("DC", "rights", meta.licence)
    source = source_urn(meta)
    described = ", ".join(x for x in (meta.source_title, meta.source_publisher, meta.source_filename) if x)
    if source or described:
        book.add_metadata("DC", "source", source or described, {"id": "page-source"})
        # The page numbers in the page list are those of this source (EPUB a11y page source id).
        book.add_metadata(None, "meta", source or described, {"property": "pageBreakSource"})


def add_accessibility_metadata(book: epub.EpubBook, *, has_pages: bool) -> None:
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if has_pages:
        features += ["pageNavigation", "pageBreakMarkers", "printPageNumbers"]
    properties = [("schema:accessMode", "textual"), ("schema:accessModeSufficient", "textual")]
    properties += [("schema:accessibilityFeature", f) for f in features]
    properties += [("schema:accessibilityHazard", "none")]
    for name, value in properties:
        book.add_metadata(None, "meta", value, {"property": name})
    book.add_metadata(None, "meta", ACCESSIBILITY_SUMMARY,
                      {"property": "schema:accessibilitySummary", XML_LANG: "en"})


def add_items(book: epub.EpubBook, package: Package) -> None:
    title = package.documents[0].title
    nav = epub.EpubItem(uid="nav", file_name=NAV_FILE, media_type="application/xhtml+xml",
                        content=navigation_document(package, title))
    nav.properties = ["nav"]
    ncx = epub.EpubItem(uid="ncx", file_name=NCX_FILE, media_type="application/x-dtbncx+xml",
                        content=ncx_document(package, title))
    css = epub.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css",
                        content=stylesheet(package.fonts))
    documents = [
        epub.EpubItem(uid=f"doc-{Path(d.file_name).stem}", file_name=d.file_name,
                      media_type="application/xhtml+xml", content=serialize_xhtml(d.tree))
        for d in package.documents
    ]
    for item in [nav, ncx, css, *documents]:
        book.add_item(item)
    for number, (name, data) in enumerate(package.fonts, start=1):
        book.add_item(epub.EpubItem(uid=f"font-{number}", file_name=name, media_type="font/ttf", content=data))
    # Title page, then the readable table of contents, then the text.
    book.spine = [documents[0], nav, *documents[1:]]


def package_bytes(package: Package) -> bytes:
    book = ebooklib_book(package)
    add_items(book, package)
    buffer = io.BytesIO()
    options = {"epub2_guide": False, "epub3_landmark": False, "epub3_pages": False,
               "raise_exceptions": True, "mtime": package.modified}
    epub.write_epub(buffer, book, options)
    return reproducible_zip(buffer.getvalue(), max(package.modified, ZIP_EPOCH))


def reproducible_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite an EPUB zip: mimetype first and stored, every entry with the same fixed metadata."""
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    entries.sort(key=lambda entry: entry[0] != "mimetype")  # stable: keeps ebooklib's order otherwise
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=None if name == "mimetype" else 9)
    return out.getvalue()
