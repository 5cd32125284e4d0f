"""XHTML and package basics of the EPUB edition: namespaces, file names, the book's records
(ids, navigation entries, page markers, content documents, the package) and XHTML helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from ..tei import XML_LANG
from ..tei.reading import Metadata

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
XHTML_NSMAP: dict[str | None, str] = {None: XHTML_NS, "epub": EPUB_NS}

STYLESHEET = "css/book.css"
NAV_FILE = "nav.xhtml"
NCX_FILE = "toc.ncx"
TITLE_PAGE_FILE = "titlepage.xhtml"
FONT_FAMILY = "PT Serif"  # the face the PDF edition sets, so both editions look alike


def h(tag: str) -> str:
    """Clark name of an XHTML element."""
    return f"{{{XHTML_NS}}}{tag}"


# ---------------------------------------------------------------------------------------------
# Ids, navigation entries, page list


class IdRegistry:
    """Issues XHTML ids: TEI xml:ids are kept (first come), generated ones avoid every TEI id."""

    def __init__(self, reserved: set[str]):
        self._reserved = set(reserved)
        self._issued: set[str] = set()
        self._last_n: dict[str, int] = {}  # ids are only ever issued: the search for a free one resumes

    def keep(self, xml_id: str | None, fallback: str) -> str:
        if xml_id and xml_id not in self._issued:
            self._issued.add(xml_id)
            return xml_id
        return self.generate(xml_id or fallback)

    def generate(self, base: str) -> str:
        n = self._last_n.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self._issued or candidate in self._reserved:
            n += 1
            candidate = f"{base}-{n}"
        self._last_n[base] = n
        self._issued.add(candidate)
        return candidate


@dataclass
class NavEntry:
    label: str
    file_name: str
    fragment: str = ""
    children: list[NavEntry] = field(default_factory=list)

    @property
    def href(self) -> str:
        return f"{self.file_name}#{self.fragment}" if self.fragment else self.file_name


@dataclass(frozen=True)
class PageMarker:
    label: str
    file_name: str
    fragment: str


@dataclass
class ContentDocument:
    file_name: str
    title: str
    tree: etree._ElementTree
    matter: str  # front, body or back


@dataclass
class Package:
    metadata: Metadata
    identifier: str
    modified: datetime
    documents: list[ContentDocument]
    nav_entries: list[NavEntry]
    pages: list[PageMarker]
    landmarks: list[tuple[str, str, str]]  # (epub:type, href, label)
    fonts: list[tuple[str, bytes]]  # (file name in the book, data)
    languages: tuple[str, ...]


def xhtml_skeleton(lang: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element(h("html"), nsmap=XHTML_NSMAP)  # type: ignore[arg-type]  # stubs lack the None prefix
    html.set("lang", lang)
    html.set(XML_LANG, lang)
    etree.SubElement(html, h("head"))
    body = etree.SubElement(html, h("body"))
    return html, body


def add_head(html: etree._Element, title: str, stylesheet: str = STYLESHEET) -> None:
    head = html.find(h("head"))
    if head is None:
        head = etree.SubElement(html, h("head"))
    etree.SubElement(head, h("title")).text = title
    etree.SubElement(head, h("link"), {"rel": "stylesheet", "type": "text/css", "href": stylesheet})


def serialize_xhtml(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
