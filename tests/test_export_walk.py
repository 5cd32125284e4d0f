"""The one reading walk the three editions share (export/walk.py), and the one table of labels.

The walk is checked on small TEI built here; then one document with a quote, a list, a note and a page
turn inside a paragraph is made into all three editions, each checked for the same structure; and a
Russian document gets Russian labels in all three."""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from kzarchive.export import export_format
from kzarchive.export.nodes import (
    Division,
    Heading,
    Item,
    Link,
    ListBlock,
    NoteCall,
    PageBreak,
    Paragraph,
    Quote,
    ReadingText,
    Span,
    Text,
    plain_text,
)
from kzarchive.export.walk import is_block, read_text
from kzarchive.labels import LABELS, LANGUAGES, label

from .test_export_pdf import pdftotext_pages, tei_document

EXPORT_PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kzarchive" / "export"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def walk(body: str, lang: str = "kk") -> ReadingText:
    return read_text(etree.fromstring(tei_document(body, lang=lang).encode()))


def body_blocks(body: str) -> list:
    """The blocks of the first division of the body."""
    division = walk(body).matters[0].blocks[0]
    assert isinstance(division, Division)
    return division.blocks


# ------------------------------------------------------------------------------------------ the walk


def test_a_quote_is_a_block_between_paragraphs_and_a_phrase_inside_one() -> None:
    blocks = body_blocks('<div><quote>Бөлек дәйексөз.</quote><p>Ол <quote>бір сөз</quote> деді.</p></div>')
    assert isinstance(blocks[0], Quote) and plain_text(blocks[0].blocks[0].inlines) == "Бөлек дәйексөз."
    paragraph = blocks[1]
    assert isinstance(paragraph, Paragraph) and plain_text(paragraph.inlines) == "Ол бір сөз деді."
    assert [type(n) for n in paragraph.inlines] == [Text, Span, Text]


def test_the_classification_is_one_function_for_every_parent() -> None:
    root = etree.fromstring(tei_document('<div><quote>а</quote><p><quote>б</quote><hi>в</hi>'
                                         '<mystery><p>г</p></mystery></p></div>').encode())
    div = root.find(".//{http://www.tei-c.org/ns/1.0}div")
    p = div.find("{http://www.tei-c.org/ns/1.0}p")
    assert is_block(div[0], div)  # quote standing in a division
    assert not is_block(p[0], p) and not is_block(p[1], p)  # quote and hi inside a paragraph
    assert is_block(p[2], p)  # an unknown element holding a paragraph


def test_line_ends_join_or_space_and_a_page_turn_inside_a_word_keeps_the_word_whole() -> None:
    [paragraph] = body_blocks('<div><p>тәуел <lb break="no"/> сіздік күні<lb/>келді '
                              'Қазақ<pb n="9" break="no"/>стан</p></div>')
    assert plain_text(paragraph.inlines) == "тәуелсіздік күні келді Қазақстан"
    turn = next(n for n in paragraph.inlines if isinstance(n, PageBreak))
    assert turn.n == "9" and turn.joins


def test_the_editors_form_of_a_choice_is_read_and_a_lone_sic_keeps_its_words() -> None:
    [paragraph] = body_blocks('<div><p><choice><orig>бiлiм</orig><reg>білім</reg></choice> мен '
                              '<choice><sic>қате</sic><corr>дұрыс</corr></choice> <sic>жалғыз</sic>'
                              '<fw type="header">Колонтитул</fw></p></div>')
    assert plain_text(paragraph.inlines) == "білім мен дұрыс жалғыз"


def test_notes_debris_and_a_note_called_inside_a_link() -> None:
    [paragraph] = body_blocks('<div><p>Сөз<note n="4" place="foot"><p>Бір.</p><p>Екі.</p></note> '
                              '<note type="debris">қоқыс</note><ref target="#x">сілтеме'
                              '<note n="5">Ішкі.</note></ref> соңы.</p></div>')
    calls = [n for n in paragraph.inlines if isinstance(n, NoteCall)]
    assert [c.note.n for c in calls] == ["4", "5"]  # the debris note never reaches the reader
    assert len(calls[0].note.blocks) == 2
    link_at = next(i for i, n in enumerate(paragraph.inlines) if isinstance(n, Link))
    assert paragraph.inlines[link_at + 1] is calls[1]  # called after the link, not inside it
    assert "қоқыс" not in plain_text(paragraph.inlines, notes=True)


def test_a_list_inside_a_paragraph_splits_it_and_a_page_turn_between_items_opens_the_next() -> None:
    blocks = body_blocks('<div><p>Алдында <list rend="numbered"><item><label>1)</label>бірінші</item>'
                         '<pb n="3"/><item>екінші</item></list> кейін.</p></div>')
    assert [type(b) for b in blocks] == [Paragraph, ListBlock, Paragraph]
    assert blocks[2].role == "continued" and plain_text(blocks[2].inlines) == "кейін."
    first, second = blocks[1].items
    assert isinstance(first, Item) and plain_text(first.label or []) == "1)"
    assert blocks[1].numbered
    assert isinstance(second.blocks[0].inlines[0], PageBreak)


def test_a_division_head_is_a_heading_at_its_depth() -> None:
    division = walk('<div xml:id="a"><head>Тарау</head><div xml:id="b"><head>Бөлім</head><p>Мәтін.</p></div>'
                    '</div>').matters[0].blocks[0]
    inner = division.blocks[1]
    assert isinstance(division.head, Heading) and division.head.level == 1
    assert isinstance(inner, Division) and inner.head is not None and inner.head.level == 2


# ------------------------------------------------------------------------------- the three editions

SHARED_BODY = """<div type="chapter" xml:id="ch1"><head>Бірінші тарау</head>
<p>Алғашқы сөйлем <pb n="7"/>жалғасы<note place="foot" n="1">Ескерту мәтіні.</note> бітті.</p>
<quote><p>Дәйексөз жолы.</p></quote>
<list rend="numbered"><item>Бірінші тармақ</item><item>Екінші тармақ</item></list>
</div>"""


@pytest.fixture(scope="module")
def shared_editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("walk")
    source = folder / "doc.tei.xml"
    source.write_text(tei_document(SHARED_BODY), encoding="utf-8")
    out = {fmt: folder / f"doc.{fmt}" for fmt in ("epub", "docx", "pdf")}
    for fmt, path in out.items():
        export_format(fmt, source, path)
    return out


def epub_documents(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as book:
        return {name: etree.fromstring(book.read(name)) for name in book.namelist() if name.endswith(".xhtml")}


def test_the_epub_has_the_quote_list_note_and_page_turn(shared_editions: dict[str, Path]) -> None:
    chapter = next(d for n, d in epub_documents(shared_editions["epub"]).items() if "body-" in n)
    quote = chapter.find(f".//{XHTML}blockquote")
    assert quote is not None and "".join(quote.itertext()).strip() == "Дәйексөз жолы."
    items = chapter.findall(f".//{XHTML}ol/{XHTML}li")
    assert ["".join(li.itertext()) for li in items] == ["Бірінші тармақ", "Екінші тармақ"]
    paragraph = next(p for p in chapter.iter(f"{XHTML}p") if "Алғашқы" in "".join(p.itertext()))
    turn = paragraph.find(f"{XHTML}span[@{EPUB_TYPE}='pagebreak']".replace(f"@{EPUB_TYPE}", "@epub:type"),
                          namespaces={"epub": EPUB_TYPE[1:].split("}")[0]})
    assert turn is not None and turn.get("aria-label") == "7"
    footnote = chapter.find(f".//{XHTML}aside")
    assert footnote is not None and "Ескерту мәтіні." in "".join(footnote.itertext())


def test_the_docx_has_the_quote_list_note_and_page_turn(shared_editions: dict[str, Path]) -> None:
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(shared_editions["docx"])).paragraphs]
    assert ("Quote", "Дәйексөз жолы.") in paragraphs
    assert [t for s, t in paragraphs if s == "List Number"] == ["Бірінші тармақ", "Екінші тармақ"]
    turn = next(t for _, t in paragraphs if "Алғашқы" in t)
    assert re.search(r"Алғашқы сөйлем\s*\|7\|\s*жалғасы", turn)
    with zipfile.ZipFile(shared_editions["docx"]) as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
    assert "Ескерту мәтіні." in "".join(notes.xpath("//w:footnote[not(@w:type)]//w:t/text()", namespaces=W))


def test_the_pdf_has_the_quote_list_note_and_page_turn(shared_editions: dict[str, Path]) -> None:
    pages = pdftotext_pages(shared_editions["pdf"])
    page = next(p for p in pages if "Алғашқы" in p)
    flat = " ".join(page.split())
    assert "[7]" in page and "Ескерту мәтіні." in flat  # the turn in the margin, the note at the foot
    assert "Дәйексөз жолы." in flat
    assert re.search(r"1\.\s*Бірінші тармақ\s*2\.\s*Екінші тармақ", flat)


def test_the_three_editions_read_the_same_words(shared_editions: dict[str, Path]) -> None:
    letters = re.compile(r"[^\W\d_]+")
    expected = letters.findall("Алғашқы сөйлем жалғасы бітті Дәйексөз жолы Бірінші тармақ Екінші тармақ")
    chapter = next(d for n, d in epub_documents(shared_editions["epub"]).items() if "body-" in n)
    for aside in chapter.iter(f"{XHTML}aside"):
        aside.getparent().remove(aside)
    epub_words = letters.findall(" ".join(chapter.find(f"{XHTML}body").itertext()))
    docx_words = letters.findall(" ".join(p.text for p in docx.Document(str(shared_editions["docx"])).paragraphs))
    pdf_words = letters.findall(" ".join(pdftotext_pages(shared_editions["pdf"])))
    for found in (epub_words, docx_words, pdf_words):
        remaining = iter(found)
        assert all(word in remaining for word in expected), found  # in this order, other words between


# ------------------------------------------------------------------------------------------- labels


def test_every_label_is_given_in_every_language() -> None:
    for key, texts in LABELS.items():
        assert set(LANGUAGES) <= set(texts), key
    assert label("contents", "ru-RU") == LABELS["contents"]["ru"]
    assert label("contents", "de") == LABELS["contents"]["en"]  # a language without labels reads English


def test_no_reader_facing_cyrillic_literal_in_the_exporters() -> None:
    """Labels live in kzarchive.labels; the exporters' own string literals (docstrings aside) hold none."""
    cyrillic = re.compile(r"[\u0400-\u04ff]")
    found = []
    for path in sorted(EXPORT_PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        found += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in docstrings and cyrillic.search(node.value)]
    assert found == []


@pytest.fixture(scope="module")
def russian_editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ru")
    source = folder / "ru.tei.xml"
    body = ('<div type="chapter" xml:id="r1"><head>Глава первая</head><p>Текст главы<note n="1">Примечание.</note>.'
            '</p></div><div type="bibliography" xml:id="r2"><head>Список</head><listBibl><bibl n="1">Книга.</bibl>'
            '</listBibl></div>')
    source.write_text(tei_document(body, lang="ru", title="Русский документ"), encoding="utf-8")
    out = {fmt: folder / f"ru.{fmt}" for fmt in ("epub", "docx", "pdf")}
    for fmt, path in out.items():
        export_format(fmt, source, path)
    return out


def test_a_russian_document_gets_russian_labels_in_the_epub(russian_editions: dict[str, Path]) -> None:
    documents = epub_documents(russian_editions["epub"])
    nav = documents["EPUB/nav.xhtml"]
    assert nav.findtext(f".//{XHTML}nav[@id='toc']/{XHTML}h1") == "Содержание"
    marks = [a.text for a in nav.iterfind(f".//{XHTML}nav[@id='landmarks']//{XHTML}a")]
    assert marks[:3] == ["Титульный лист", "Содержание", "Основной текст"] and "Литература" in marks
    title_page = " ".join(documents["EPUB/titlepage.xhtml"].itertext())
    assert "Источник:" in title_page and "Дереккөз:" not in title_page
    notes = next(d for n, d in documents.items() if "body-" in n).find(f".//{XHTML}div[@class='footnotes']")
    assert notes is not None and notes.get("aria-label") == "Примечания"


def test_a_russian_document_gets_russian_labels_in_the_docx(russian_editions: dict[str, Path]) -> None:
    document = docx.Document(str(russian_editions["docx"]))
    assert ("TOC Heading", "Содержание") in [(p.style.name, p.text) for p in document.paragraphs]
    body = "".join(p.text for p in document.paragraphs)
    assert "Нажмите F9" in body and "Мазмұн" not in body
    assert document.core_properties.comments.startswith("Читательское издание")


def test_a_russian_document_gets_russian_labels_in_the_pdf(russian_editions: dict[str, Path]) -> None:
    pages = pdftotext_pages(russian_editions["pdf"])
    assert "Источник: t.txt" in pages[0]
    assert "Содержание" in [line.strip() for line in pages[1].splitlines()[:3]]  # under the running head
    assert not any("Мазмұны" in page or "Дереккөз:" in page for page in pages)
