"""The five samples end to end: every edition made from the converted TEI, checked with the
tools of the field (EPUBCheck, python-docx, pypdf)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from kzarchive.export.epubcheck import problems, run_epubcheck
from kzarchive.tei import TEI_NS
from kzarchive.tei.reading import reading_text

NS = {"t": TEI_NS}
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
KEYS = ["000", "001", "002", "003", "004"]


def _words(text: str) -> str:
    """Words as a reader sees them. typst maps the hyphen glyph to U+00AD when its first use in a font
    is a line-end break, and writes ActualText "-" for the real hyphens (poppler, Acrobat and screen
    readers read those right); pypdf ignores ActualText, so a U+00AD inside a line is a real hyphen."""
    text = re.sub("\u00ad(?!\n)", "-", text)
    return " ".join(text.replace("\u00ad\n", "").replace("-\n", "").split())


def _first_paragraph(tei_path: Path) -> str:
    tree = etree.parse(str(tei_path))
    first = tree.getroot().find(".//t:body//t:p", NS)
    return reading_text(first)


@pytest.mark.parametrize("key", KEYS)
def test_all_four_outputs_are_made(key, editions) -> None:
    result = editions[key]
    assert result.ok, result.error
    assert set(result.outputs) == {"tei", "epub", "docx", "pdf"}
    assert all(path.stat().st_size > 1000 for path in result.outputs.values())


@pytest.mark.parametrize("key", KEYS)
def test_epub_passes_epubcheck_with_no_errors_or_warnings(key, editions) -> None:
    messages = run_epubcheck(editions[key].outputs["epub"])
    assert problems(messages) == []


@pytest.mark.parametrize("key", KEYS)
def test_docx_reopens_with_headings_in_heading_styles(key, editions) -> None:
    document = docx.Document(str(editions[key].outputs["docx"]))
    tree = etree.parse(str(editions[key].outputs["tei"]))
    heads = [reading_text(h) for h in tree.getroot().iterfind(".//t:body//t:div/t:head", NS)]
    styled = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for head in heads:
        assert any(" ".join(head.split()) == " ".join(s.split()) for s in styled), head
    assert document.core_properties.language == "kk-KZ"


@pytest.mark.parametrize("key", KEYS)
def test_pdf_text_holds_the_first_paragraph_with_every_kazakh_letter(key, editions) -> None:
    reader = PdfReader(str(editions[key].outputs["pdf"]))
    pdf_text = _words("\n".join(page.extract_text() or "" for page in reader.pages))
    first = _words(_first_paragraph(editions[key].outputs["tei"]))
    assert first[:300] in pdf_text
    tei_text = _words(" ".join(etree.parse(str(editions[key].outputs["tei"])).getroot().find("t:text", NS).itertext()))
    for letter in KAZAKH_LETTERS:
        if letter in tei_text:
            assert letter in pdf_text, f"{letter!r} lost in the PDF text layer"
    assert re.search(r"[әғқңөұүһі]", pdf_text)


def test_footnotes_carry_the_source_numbers_not_a_recount(editions) -> None:
    tree = etree.parse(str(editions["002"].outputs["tei"]))
    note = tree.getroot().find(".//t:note[@n='26']", NS)
    assert not reading_text(note).startswith("26")  # the printed number is the label, kept in <orig>
    assert "".join(note.find("t:choice/t:orig", NS).itertext()).strip() == "26"
    pages = PdfReader(str(editions["002"].outputs["pdf"])).pages
    pdf_text = _words("\n".join(page.extract_text() or "" for page in pages))
    assert re.search(r"26 ?Энциклопедический", pdf_text)
    assert not re.search(r"1 ?Энциклопедический", pdf_text)


def test_a_hand_correction_in_the_tei_reaches_every_edition(editions, tmp_path) -> None:
    """TEI is the hub: an archivist corrects the master and re-exports; no edition reads the source."""
    from kzarchive.cli import main

    tree = etree.parse(str(editions["004"].outputs["tei"]))
    reg = tree.getroot().find(".//t:choice/t:reg", NS)
    reg.text = "Түзетілгенсөз"
    corrected = tmp_path / "corrected.tei.xml"
    tree.write(str(corrected), xml_declaration=True, encoding="UTF-8")
    assert main(["export", str(corrected), "--to", "epub,docx,pdf", "-o", str(tmp_path)]) == 0
    epub_text = " ".join(zipfile.ZipFile(tmp_path / "corrected.epub").read(n).decode("utf-8", "replace")
                         for n in zipfile.ZipFile(tmp_path / "corrected.epub").namelist() if n.endswith(".xhtml"))
    docx_text = " ".join(p.text for p in docx.Document(str(tmp_path / "corrected.docx")).paragraphs)
    pdf_text = _words(" ".join(page.extract_text() or "" for page in PdfReader(str(tmp_path / "corrected.pdf")).pages))
    for text in (epub_text, docx_text, pdf_text):
        assert "Түзетілгенсөз" in text


def test_editions_speak_the_document_language_where_the_source_is_silent(editions) -> None:
    """001 has no title page and no sample states a licence: the supplied title and the rights
    statement are in Kazakh on the title pages and in the files' metadata, not in English."""
    result = editions["001"]
    with zipfile.ZipFile(result.outputs["epub"]) as package:
        opf = next(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".opf"))
    assert "Атаусыз мәтін (001_" in opf and "Дереккөзде лицензия көрсетілмеген." in opf
    assert "Untitled" not in opf and "does not state" not in opf
    properties = docx.Document(str(result.outputs["docx"])).core_properties
    assert properties.title.startswith("Атаусыз мәтін") and "оқырман басылымы" in properties.comments
    assert properties.subject == ""  # the bibl title only repeats the main title
    first_page = PdfReader(result.outputs["pdf"]).pages[0].extract_text()
    assert "Атаусыз мәтін" in first_page


def test_figure_captions_reach_every_edition_as_captions(editions) -> None:
    """001's 26 figure captions: <figure><figcaption> in the EPUB, Word's Caption style in the DOCX,
    a line of their own in the PDF."""
    result = editions["001"]
    with zipfile.ZipFile(result.outputs["epub"]) as package:
        xhtml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xhtml"))
    captions = re.findall(r"<figure class=\"figure\"><figcaption>([^<]*)</figcaption></figure>", xhtml)
    assert len(captions) == 26 and " ".join(captions[16].split()) == "Сурет 18"  # no caption 14
    document = docx.Document(str(result.outputs["docx"]))
    assert sum(1 for p in document.paragraphs if p.style.name == "Caption") == 26
    pdf_lines = [line.strip() for page in PdfReader(str(result.outputs["pdf"])).pages
                 for line in (page.extract_text() or "").splitlines()]
    assert "Сурет 18" in pdf_lines
