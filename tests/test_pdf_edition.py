"""The PDF editions of the samples as a librarian checks them: strict parsers, page labels that match
the printed folios, every source page turn marked, bookmarks, title page, contents and bibliography."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from kzarchive.tei import NSMAP
from kzarchive.tei.reading import reading_text

from .test_export_pdf import export, outline_titles, pdftotext_pages, tei_document

KEYS = ["000", "001", "002", "003", "004"]


def pdf_of(editions, key: str) -> Path:
    return editions[key].outputs["pdf"]


@pytest.mark.parametrize("key", KEYS)
def test_every_pdf_passes_strict_parsers(key, editions, sample_pdf_pages) -> None:
    pdf = pdf_of(editions, key)
    pages = sample_pdf_pages[key]  # read by pypdf's strict parser
    assert len(pages) > 1 and all(text is not None for text in pages)
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr, check.stdout + check.stderr
    for tool in ("pdfinfo", "pdffonts"):
        run = subprocess.run([tool, str(pdf)], capture_output=True, text=True)
        assert run.returncode == 0 and run.stderr == "", f"{tool}: {run.stderr}"


@pytest.mark.parametrize("key", ["001", "002", "004"])
def test_viewer_page_labels_are_the_printed_folios(key, editions) -> None:
    pdf = pdf_of(editions, key)
    labels = pypdf.PdfReader(pdf).page_labels
    layout = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    pages = layout.stdout.decode().split("\f")
    assert labels[0] == "i"  # the title page: front matter, roman
    body = [i for i, label in enumerate(labels) if label.isdigit()]
    assert labels[body[0]] == "1" and body == list(range(body[0], len(labels)))
    for index in body:  # the footer's folio, on a line of its own in the layout
        folios = [line.strip() for line in pages[index].splitlines() if line.strip().isdigit()]
        assert labels[index] in folios, (index, folios)


@pytest.mark.parametrize("key", KEYS)
def test_every_source_page_turn_is_marked_in_the_margin(key, editions, tei_trees) -> None:
    text = reading_text(tei_trees[key].getroot().find("tei:text", NSMAP), include_notes=True)
    turns = Counter(pb.get("n") for pb in tei_trees[key].iterfind(".//tei:pb[@n]", NSMAP))
    printed = " ".join(pdftotext_pages(pdf_of(editions, key)))
    for n, count in turns.items():
        marker = f"[{n}]"
        assert printed.count(marker) == text.count(marker) + count, marker


def test_a_document_without_headings_has_no_empty_contents_page_but_a_bookmark(editions, tei_trees) -> None:
    pdf = pdf_of(editions, "004")
    pages = pdftotext_pages(pdf)
    assert not any("Мазмұны" in page for page in pages)
    title = tei_trees["004"].findtext(".//tei:titleStmt/tei:title", namespaces=NSMAP)
    assert outline_titles(pypdf.PdfReader(pdf).outline) == [title]
    assert "Отанымыз" in pages[1] or len(pages[1].split()) > 100  # the text starts on the second page


def test_title_page_names_the_catalogs_source_and_a_supplied_title_once(editions) -> None:
    title_page = pdftotext_pages(pdf_of(editions, "001"))[0]
    assert " ".join(title_page.split()).count("Атаусыз мәтін") == 1
    assert "Дереккөз: Dissertation (text extracted from PDF)" in " ".join(title_page.split())
    assert ".txt)" in title_page and "Дереккөз: 001_" not in title_page


def test_contents_list_is_set_ragged_without_hyphenation(editions) -> None:
    pages = pdftotext_pages(pdf_of(editions, "002"))
    plan = next(page for page in pages if "ЖОСПАР" in page)
    broken = [line for line in plan.splitlines() if re.search(r"[^\W\d_][-\u00ad]$", line.strip())]
    assert broken == []


def test_bibliography_entries_that_print_their_number_hang_from_it(tmp_path: Path) -> None:
    entry = ("1. Договор об учреждении Евразийского экономического сообщества. Сборник документов "
             "под редакцией К. Токаева. Алматы: Қазақстан, 1998. Том первый, с. 103–145.")
    pdf, _ = export(tmp_path, tei_document(f'<div type="bibliography"><head>Әдебиеттер</head>'
                                           f'<listBibl><bibl n="1">{entry}</bibl></listBibl></div>'))
    bbox = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    lines = etree.fromstring(bbox).iter("{http://www.w3.org/1999/xhtml}line")
    starts = [float(line.get("xMin")) for line in lines
              if any(w.text in ("Договор", "Евразийского", "сообщества.", "под", "редакцией")
                     for w in line.iter("{http://www.w3.org/1999/xhtml}word"))]
    first_line = next(float(line.get("xMin")) for line in etree.fromstring(bbox).iter("{http://www.w3.org/1999/xhtml}line")
                      if (line.findtext("{http://www.w3.org/1999/xhtml}word") or "") == "1.")
    assert len(starts) >= 2 and max(starts) > first_line + 8  # the wrapped lines stand in from the number
