"""The three editions read the same: for generated TEI documents (divisions, headings, paragraphs with
line breaks and joined hyphens, highlights, page turns, lists whose items break lines, quotes,
bibliographies), every word of the TEI reading text reaches the EPUB, the DOCX and the PDF, in the
same order. A word an exporter drops — as the PDF once dropped list-item text after a line break —
fails here whatever the structure it sits in."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from kzarchive.export import export_format
from kzarchive.tei import NSMAP, tei
from kzarchive.tei.reading import reading_text

from .test_export_pdf import pdftotext_pages, running_text, tei_document, words

VOCABULARY = ("Қазақстан", "республикасының", "тәуелсіздігі", "мемлекеттік", "шекарасы", "халықаралық",
              "ынтымақтастық", "көршілес", "елдермен", "келісім", "жасалды", "экономикалық", "Алматы",
              "ғылыми", "зерттеу", "нәтижелері", "өңірлік", "даму", "бағдарламасы", "Достық", "Ақтоғай")
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_OPS = "{http://www.idpf.org/2007/ops}type"

phrase = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12).map(" ".join)
# A heading short enough to stand on one line as the PDF's running head, which the text comparison
# recognises as page furniture by its text (a wrapped running head would read as body words).
short_phrase = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3).map(" ".join)


@st.composite
def paragraph_content(draw: st.DrawFn) -> str:
    """Words with line breaks, a word split by a joined hyphen, a highlight and a page turn."""
    parts = [draw(phrase)]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["lb", "joined", "hi", "pb", "plain"]))
        if kind == "lb":
            parts.append(f"<lb/>{draw(phrase)}")
        elif kind == "joined":
            parts.append(f' тәуел<lb break="no" rend="hyphen"/>сіздік {draw(phrase)}')
        elif kind == "hi":
            parts.append(f' <hi rend="italic">{draw(phrase)}</hi> {draw(phrase)}')
        elif kind == "pb":
            parts.append(f' <pb n="{draw(st.integers(2, 99))}"/>{draw(phrase)}')
        else:
            parts.append(f" {draw(phrase)}")
    return "".join(parts)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["p", "p", "list", "quote", "bibl", "pb"]))
    if kind == "list":
        items = "".join(f'<item><label>{n}.</label>{draw(paragraph_content())}</item>'
                        for n in range(1, draw(st.integers(1, 4)) + 1))
        return f'<list rend="numbered">{items}</list>'
    if kind == "quote":
        return f"<quote><p>{draw(paragraph_content())}</p></quote>"
    if kind == "bibl":
        entries = "".join(f'<bibl n="{n}">{draw(paragraph_content())}</bibl>'
                          for n in range(1, draw(st.integers(1, 3)) + 1))
        return f"<listBibl>{entries}</listBibl>"
    if kind == "pb":
        return f'<pb n="{draw(st.integers(2, 99))}"/>'
    return f"<p>{draw(paragraph_content())}</p>"


@st.composite
def tei_body(draw: st.DrawFn) -> str:
    divisions = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        head = f"<head>{number} тарау. {draw(short_phrase)}</head>" if draw(st.booleans()) else ""
        blocks = "".join(draw(st.lists(block(), min_size=1, max_size=4)))
        divisions.append(f'<div type="chapter" xml:id="sec-{number}">{head}{blocks}</div>')
    return "".join(divisions)


def tei_words(tei_path: Path, *, heads: bool = True) -> list[str]:
    root = etree.parse(str(tei_path)).getroot()
    for head in [] if heads else list(root.iter(tei("head"))):
        _drop_keep_tail(head) if head.tail else head.getparent().remove(head)
    for element in root.iter(tei("p"), tei("head"), tei("item"), tei("bibl"), tei("label")):
        element.text = " " + (element.text or "")  # blocks apart: reading_text joins adjacent ones
        element.tail = " " + (element.tail or "")
    return words(reading_text(root.find("tei:text", NSMAP)))


def epub_words(epub: Path) -> list[str]:
    texts = []
    with zipfile.ZipFile(epub) as book:
        for name in sorted(n for n in book.namelist() if n.startswith("EPUB/body-")):
            page = etree.fromstring(book.read(name))
            for furniture in page.xpath("//*[@epub:type='pagebreak' or @role='doc-pagebreak' or @epub:type='footnote' "
                                        "or @epub:type='noteref']", namespaces={"epub": EPUB_OPS[1:-5]}):
                furniture.getparent().remove(furniture) if furniture.tail is None else _drop_keep_tail(furniture)
            texts.append(" ".join(page.find(f"{XHTML}body").itertext()))
    return words(" ".join(texts))


def _drop_keep_tail(element: etree._Element) -> None:
    parent, previous = element.getparent(), element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + element.tail
    else:
        parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def docx_words(path: Path) -> list[str]:
    return words(" ".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs))


def is_subsequence(expected: list[str], found: list[str]) -> bool:
    remaining = iter(found)
    return all(word in remaining for word in expected)


def contains_run(expected: list[str], found: list[str]) -> bool:
    """The expected words stand together in order somewhere in found (a title page may come first)."""
    size = len(expected)
    return any(found[start:start + size] == expected for start in range(len(found) - size + 1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(body=tei_body())
def test_the_three_editions_hold_the_tei_words_in_order(body: str, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("agree")
    source = folder / "doc.tei.xml"
    source.write_text(tei_document(body), encoding="utf-8")
    expected = tei_words(source)
    for fmt in ("epub", "docx", "pdf"):
        export_format(fmt, source, folder / f"doc.{fmt}")
    assert epub_words(folder / "doc.epub") == expected
    assert contains_run(expected, docx_words(folder / "doc.docx"))
    # page furniture is taken out of the PDF's text by matching lines against the headings, which
    # takes the headings out too: the PDF is held to the rest
    pdf = running_text(pdftotext_pages(folder / "doc.pdf"), source)
    assert is_subsequence(tei_words(source, heads=False), words(pdf))
