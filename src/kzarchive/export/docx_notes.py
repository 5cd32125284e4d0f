"""The DOCX edition's footnotes part (python-docx has no footnote API) and its numbering."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from .docx_setup import AFTER_FOOTNOTE_PR, FOOTNOTE_REFERENCE, insert_setting, styled_run, text_run

_SEPARATORS = """
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"""


def footnotes_part(document: DocxDocument) -> XmlPart:
    """A new footnotes part with Word's two separators, wired into the document and its settings."""
    element = parse_xml(f'<w:footnotes {nsdecls("w", "r")}>{_SEPARATORS}</w:footnotes>')
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    footnote_pr = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    insert_setting(document.settings.element, footnote_pr, AFTER_FOOTNOTE_PR)
    return part


def note_number_runs(numbers: list[str]) -> list[tuple[int, int]] | None:
    """(index of the first note, its number) for each run of consecutive note numbers
    ("26", "27", … → one run from 26; an article that starts again at 1 opens a new run), or
    None when a note number is not a plain number (Word's own numbering is used then)."""
    if not numbers or not all(n.isdigit() for n in numbers):
        return None
    runs = [(0, int(numbers[0]))]
    for index in range(1, len(numbers)):
        if int(numbers[index]) != int(numbers[index - 1]) + 1:
            runs.append((index, int(numbers[index])))
    return runs


def number_footnotes_as_the_source(document: DocxDocument, numbers: list[str]) -> None:
    """Word numbers footnotes itself (a custom mark is printed twice by LibreOffice), so the
    source's numbers are kept through where numbering starts (w:numStart: 002's notes run from
    26). Numbering that starts again (each article of an issue at 1) stays Word's continuous
    1, 2, …: a restart per section (w:numRestart="eachSect") shows as 0 in LibreOffice 7."""
    runs = note_number_runs(numbers)
    if runs is None or len(runs) != 1 or runs[0][1] == 1:
        return
    section = document.element.body.find(qn("w:sectPr"))
    if section is None:
        return
    footnote_pr = OxmlElement("w:footnotePr")
    number_start = OxmlElement("w:numStart")
    number_start.set(qn("w:val"), str(runs[0][1]))
    footnote_pr.append(number_start)
    insert_setting(section, footnote_pr, _SECTION_CHILDRENAFTER_FOOTNOTE_PR)


_SECTION_CHILDRENAFTER_FOOTNOTE_PR = ("endnotePr", "type", "pgSz", "pgMar", "paperSrc", "pgBorders",
                                       "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                                       "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings")


def prefix_footnote_mark(paragraph: etree._Element) -> None:
    mark = styled_run(None, FOOTNOTE_REFERENCE)
    mark.append(OxmlElement("w:footnoteRef"))
    properties = paragraph.find(qn("w:pPr"))
    index = 0 if properties is None else list(paragraph).index(properties) + 1
    paragraph.insert(index, mark)
    paragraph.insert(index + 1, text_run(" "))


