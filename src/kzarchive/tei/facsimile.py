"""What a PDF source adds to its TEI master: a <facsimile> listing its pages with their sizes
(each <pb facs> points at one), and its own metadata in sourceDesc."""

from __future__ import annotations

from lxml import etree

from ..errors import TeiError
from ..pdf.reader import PdfSource
from . import TEI_NS, XML_ID, tei


def describe_pdf(tree: etree._ElementTree, source: PdfSource) -> None:
    root = tree.getroot()
    text = root.find(tei("text"))
    bibl = root.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}sourceDesc/{{{TEI_NS}}}bibl")
    if text is None or bibl is None:  # encode_tei always makes both
        raise TeiError("a TEI without text or sourceDesc/bibl cannot describe its PDF")
    root.insert(root.index(text), _facsimile(source))
    first_idno = bibl.find(tei("idno"))
    for position, note in enumerate(_metadata_notes(source)):
        first_idno.addprevious(note) if first_idno is not None else bibl.insert(position, note)


def _facsimile(source: PdfSource) -> etree._Element:
    facsimile = etree.Element(tei("facsimile"))
    for page in source.pages:
        surface = etree.SubElement(facsimile, tei("surface"))
        surface.set(XML_ID, page.facs_id)
        surface.set("n", page.label)  # the PDF's own name for the page; pb/@n has the printed one
        surface.set("ulx", "0")
        surface.set("uly", "0")
        surface.set("lrx", _points(page.width))
        surface.set("lry", _points(page.height))
    return facsimile


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _metadata_notes(source: PdfSource) -> list[etree._Element]:
    meta = source.metadata
    fields = [("title", meta.title), ("author", meta.author), ("subject", meta.subject),
              ("creator", meta.creator), ("producer", meta.producer), ("created", meta.created),
              ("modified", meta.modified), ("version", f"PDF {meta.version}"), ("pages", str(meta.page_count)),
              ("encryption", "encrypted; opened without a password (owner password only)" if meta.encrypted else "")]
    notes = []
    for subtype, value in fields:
        if not value:
            continue
        note = etree.Element(tei("note"), type="pdf", subtype=subtype)
        note.text = value
        notes.append(note)
    return notes
