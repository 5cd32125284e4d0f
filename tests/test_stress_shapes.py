"""Shapes that once gave invalid TEI or quadratic time (issue 14): valid TEI, nothing lost, and the
linear-time rewrites give what the simple code gave. Timings are in bench/stress, not here."""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from kzarchive.clean import clean_text
from kzarchive.export import export_format
from kzarchive.metadata import CatalogEntry, SourceInfo
from kzarchive.model import (
    Block,
    CleanDocument,
    Division,
    FormeWork,
    HeaderFacts,
    PageBreak,
    StructuredDocument,
    Text,
)
from kzarchive.pipeline import serialise_tei
from kzarchive.read import decode_bytes
from kzarchive.structure import structure_document
from kzarchive.structure.empty import dissolve_empty_divisions
from kzarchive.tei import TEI_NS, tei
from kzarchive.tei.encode import encode_tei
from kzarchive.tei.parse import parse_tei_bytes
from kzarchive.tei.textslot import PendingText
from kzarchive.tei.validate import load_schema, validate_built_tree, validate_tree
from kzarchive.tei.write import write_tei_atomic

from .conftest import sample

PROSE = ("Қазақстан Республикасының сыртқы саясаты көпвекторлы бағытта дамыды және көрші "
         "мемлекеттермен ынтымақтастық нығайды.")
INFO = SourceInfo(Path("stress.txt"), "0" * 64, 1, "utf-8", CatalogEntry("stress.txt"), "2026-12-04")


def encode_and_validate(document: StructuredDocument) -> tuple[etree._ElementTree, list[str]]:
    """Encode, serialise and read back as the pipeline does; the tree and the schema's complaints."""
    data = serialise_tei(encode_tei(document, INFO))
    tree = parse_tei_bytes(data, "stress")
    tree.docinfo.URL = "stress.tei.xml"
    return tree, [issue.format("stress") for issue in validate_tree(tree)]


def convert_text(text: str) -> tuple[etree._ElementTree, list[str]]:
    decoded = decode_bytes(text.encode("utf-8"))
    return encode_and_validate(structure_document(clean_text(decoded.text)))


def body_text(tree: etree._ElementTree) -> str:
    """Every character of <text>, forme work included, with whitespace made single spaces."""
    return " ".join("".join(tree.getroot().find(tei("text")).itertext()).split())


def source_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# ------------------------------------------------------------------ texts that gave invalid TEI


def test_a_sample_repeated_three_times_gives_valid_tei_that_keeps_its_contents_tables() -> None:
    text = sample("002").read_text(encoding="utf-8")
    tree, issues = convert_text("\n\n".join([text] * 3))
    assert issues == []
    contents_lines = [line for line in source_lines(text) if re.match(r"\[\d", line)]
    assert len(contents_lines) >= 5
    kept = body_text(tree)
    for line in contents_lines + ["ЖОСПАР"]:
        assert kept.count(line) >= 3 * text.count(line), line


def contents_taken_for_running_heads() -> tuple[str, list[str]]:
    """A contents table printed three times, a page of prose after each: its entries recur a page
    apart at page boundaries, as running heads do."""
    entries = ["Кіріспе ........ 3", "1.1 Интеграция теориясының негіздері ........ 5",
               "1.2 Экономикалық ынтымақтастық ........ 9", "Қорытынды ........ 12"]
    pages = []
    for _ in range(3):
        pages.append("МАЗМҰНЫ\n\n" + "\n\n".join(entries))
        pages.append("\n\n".join(PROSE for _ in range(12)))
    return "\n\n".join(pages) + "\n", entries


def test_contents_lines_taken_for_running_heads_give_valid_tei_that_keeps_every_line() -> None:
    text, entries = contents_taken_for_running_heads()
    tree, issues = convert_text(text)
    assert issues == []
    heads = [" ".join(fw.text.split()) for fw in tree.getroot().iter(tei("fw"))]
    assert any(entry in heads for entry in entries)  # the shape under test: entries became <fw>
    kept = body_text(tree)
    for line in entries + ["МАЗМҰНЫ"]:
        assert kept.count(line) == 3, line


def test_a_title_page_of_heading_lines_and_a_page_break_gives_valid_tei() -> None:
    title = ["«АЛМАТЫ ҚАЛАСЫНЫҢ ЖАСТАР ҚОҒАМДЫҚ БІРЛЕСТІГІ»", "ЖАРҒЫСЫ"]
    text = ("\n\n".join(title) + "\n\n1\n\n\f1. ЖАЛПЫ ЕРЕЖЕЛЕР\n\n" + "\n\n".join([PROSE] * 5)
            + "\n\n2. МАҚСАТТАРЫ\n\n" + PROSE + "\n")
    tree, issues = convert_text(text)
    assert issues == []
    kept = body_text(tree)
    assert all(line in kept for line in title)
    assert tree.getroot().find(f".//{tei('pb')}[@n='1']") is not None
    heads = [" ".join(h.itertext()) for h in tree.getroot().iter(tei("head"))]
    assert heads == ["1. ЖАЛПЫ ЕРЕЖЕЛЕР", "2. МАҚСАТТАРЫ"]


# ------------------------------------------------------------- empty divisions, built as models


def head(text: str, line: int = 1) -> Block:
    return Block("head", [Text(text)], line)


def para(text: str, line: int = 1) -> Block:
    return Block("p", [Text(text)], line)


def furniture(page: str, running_head: str) -> Block:
    return Block("milestone", [PageBreak(page), FormeWork("header", running_head)], 1)


def document(front: list[Division], body: list, back: list[Division]) -> StructuredDocument:
    return StructuredDocument(front=front, body=body, back=back,
                              clean=CleanDocument(blocks=[], facts=HeaderFacts(), stats={}, steps=[]))


def reading_order(tree: etree._ElementTree) -> list[str]:
    """Text of every head, p and fw and the @n of every pb, in document order."""
    out = []
    for element in tree.getroot().find(tei("text")).iter(tei("head"), tei("p"), tei("fw"), tei("pb")):
        out.append(element.get("n", "") if element.tag == tei("pb") else "".join(element.itertext()))
    return out


def test_an_empty_contents_division_leaves_front_matter_for_the_start_of_the_body() -> None:
    doc = document(front=[Division("contents", heads=[head("МАЗМҰНЫ")], children=[furniture("2", "1.1 Кіріспе 3")])],
                   body=[Division("chapter", heads=[head("КІРІСПЕ")], children=[para(PROSE)])], back=[])
    assert dissolve_empty_divisions(doc) == 1
    tree, issues = encode_and_validate(doc)
    assert issues == []
    assert tree.getroot().find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}front") is None
    assert reading_order(tree) == ["МАЗМҰНЫ", "2", "1.1 Кіріспе 3", "КІРІСПЕ", PROSE]


def test_an_empty_subsection_after_a_sibling_ends_that_sibling() -> None:
    chapter = Division("chapter", heads=[head("1 ТАРАУ")], children=[
        Division("section", heads=[head("1.1 Бірінші")], children=[para("Бірінші бөлім.")]),
        Division("section", heads=[head("1.2 Екінші"), head("жалғасы")], children=[furniture("7", "Тақырып")]),
        Division("section", heads=[head("1.3 Бос")]),
    ])
    doc = document([], [chapter], [Division("bibliography", heads=[head("ӘДЕБИЕТТЕР")])])
    assert dissolve_empty_divisions(doc) == 3
    tree, issues = encode_and_validate(doc)
    assert issues == []
    assert reading_order(tree) == ["1 ТАРАУ", "1.1 Бірінші", "Бірінші бөлім.", "1.2 Екінші", "жалғасы", "7",
                                   "Тақырып", "1.3 Бос", "ӘДЕБИЕТТЕР"]
    sections = tree.getroot().findall(f".//{tei('div')}[@type='section']")
    assert len(sections) == 1 and sections[0].findtext(tei("head")) == "1.1 Бірінші"


def test_a_division_holding_divisions_only_is_not_empty() -> None:
    doc = document([], [Division("chapter", heads=[head("1 ТАРАУ")],
                                 children=[Division("section", heads=[head("1.1")], children=[para(PROSE)])])], [])
    assert dissolve_empty_divisions(doc) == 0
    assert encode_and_validate(doc)[1] == []


def test_a_text_of_nothing_but_an_empty_division_still_has_a_body() -> None:
    doc = document([Division("contents", heads=[head("МАЗМҰНЫ")])], [], [])
    dissolve_empty_divisions(doc)
    tree, issues = encode_and_validate(doc)
    assert issues == [] and reading_order(tree) == ["МАЗМҰНЫ"]


# ----------------------------------------------------------------- property: generated structures

DOTS = st.sampled_from([" ", " .... ", " ........ ", "…………", "\t"])
TITLES = st.sampled_from(["Кіріспе", "Қорытынды", "Интеграция теориясы", "ТМД-дағы экономикалық интеграция",
                          "ӘДЕБИЕТТЕР ТІЗІМІ", "Қосымша"])


@st.composite
def contents_line(draw) -> str:
    number = draw(st.sampled_from(["", "1. ", "1.1 ", "2.3. ", "[2.1] ", "[3] ", "1 тарау. "]))
    return f"{number}{draw(TITLES)}{draw(DOTS)}{draw(st.integers(1, 300))}"


@st.composite
def structured_text(draw) -> str:
    """Texts of hostile structure: repeated blocks, contents tables, headings alone at a page's end,
    sections with nothing in them."""
    pieces = st.one_of(
        st.just(PROSE),
        st.sampled_from(["КІРІСПЕ", "ҚОРЫТЫНДЫ", "МАЗМҰНЫ", "ЖОСПАР", "1 ТАРАУ. ИНТЕГРАЦИЯ", "1.1 Теориялық негіздер",
                         "ПАЙДАЛАНЫЛҒАН ӘДЕБИЕТТЕР ТІЗІМІ", "ҚОСЫМША"]),
        contents_line(),
        st.integers(1, 400).map(str),  # a page number
        st.just("\f"),
    )
    blocks = draw(st.lists(pieces, max_size=30))
    blocks.insert(draw(st.integers(0, len(blocks))), PROSE)  # some text, or it is refused as empty
    repeats = draw(st.integers(1, 3))
    separator = draw(st.sampled_from(["\n", "\n\n", "\n\n\n"]))
    return separator.join(blocks * repeats) + "\n"


@settings(max_examples=40, deadline=None)
@given(structured_text())
def test_generated_structures_give_valid_tei_that_keeps_every_line(text: str) -> None:
    tree, issues = convert_text(text)
    assert issues == []
    kept = body_text(tree).replace(" ", "")
    for line in source_lines(text):  # page numbers may move to @n; every other line stays as text
        if not line.isdigit():
            assert line.replace(" ", "") in kept, line


# ------------------------------------------------------- linear-time text building, same results


def naive_slot(element: etree._Element) -> str:
    return (element[-1].tail if len(element) else element.text) or ""


def naive_set(element: etree._Element, text: str) -> None:
    if len(element):
        element[-1].tail = text
    else:
        element.text = text


OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(0, 1), st.sampled_from(["a", " ", "b ", "  ", "\n", "сөз"])),
    st.tuples(st.just("trim"), st.integers(0, 1), st.just("")),
    st.tuples(st.just("space?"), st.integers(0, 1), st.just("")),
    st.tuples(st.just("child"), st.integers(0, 1), st.just("")),
), max_size=40)


@given(OPERATIONS)
def test_pending_text_gives_the_tree_and_answers_of_appending_at_once(operations) -> None:
    """PendingText defers writing; the tree and every answer must be those of writing at once."""
    fast = [etree.Element("p"), etree.Element("p")]
    slow = [etree.Element("p"), etree.Element("p")]
    pending = PendingText()
    for name, which, text in operations:
        if name == "add":
            pending.add(fast[which], text)
            naive_set(slow[which], naive_slot(slow[which]) + text)
        elif name == "trim":
            pending.trim_trailing_space(fast[which])
            if naive_slot(slow[which]):
                naive_set(slow[which], naive_slot(slow[which]).rstrip())
        elif name == "space?":
            last = naive_slot(slow[which])
            assert pending.ends_with_space(fast[which]) == (bool(last) and last[-1].isspace())
        else:
            pending.flush()
            etree.SubElement(fast[which], "br")
            etree.SubElement(slow[which], "br")
    pending.flush()
    for a, b in zip(fast, slow, strict=True):
        assert etree.tostring(a) == etree.tostring(b)


def many_line_paragraph(template: bytes, lines: list[str]) -> bytes:
    root = etree.fromstring(template)
    body = root.find(f"{tei('text')}/{tei('body')}")
    for child in list(body):
        body.remove(child)
    paragraph = etree.SubElement(etree.SubElement(body, tei("div"), type="chapter"), tei("p"))
    paragraph.text = lines[0]
    for line in lines[1:]:
        etree.SubElement(paragraph, tei("lb")).tail = "\n" + line
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("fmt", ["epub", "docx", "pdf"])
def test_a_paragraph_of_thousands_of_lines_reaches_every_edition_whole(fmt, converted_tei, tmp_path) -> None:
    lines = [f"жол {n} сөз" for n in range(3000)]
    tei_path = tmp_path / "lines.tei.xml"
    tei_path.write_bytes(many_line_paragraph(converted_tei["000"].outputs["tei"].read_bytes(), lines))
    assert validate_tree(parse_tei_bytes(tei_path.read_bytes(), "lines")) == []
    out = tmp_path / f"lines.{fmt}"
    export_format(fmt, tei_path, out)
    words = " ".join(lines)
    if fmt == "epub":
        with zipfile.ZipFile(out) as book:
            text = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
        assert words in " ".join(text.split())
    elif fmt == "docx":
        paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
        assert words in paragraphs
    else:
        run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True)
        text = " ".join(run.stdout.decode().split()).replace("\u00ad", "").replace("- ", "")
        assert all(f"жол {n} сөз" in text for n in (0, 1499, 2999))


def test_the_schema_still_refuses_what_mixed_content_refused(converted_tei) -> None:
    """(text | phrase)* is mixed { phrase* }: text and phrases anywhere, nothing else."""
    schema = load_schema()
    data = converted_tei["000"].outputs["tei"].read_bytes()
    for change, valid in ((lambda p: etree.SubElement(p, tei("lb")).set("break", "no"), True),
                          (lambda p: setattr(etree.SubElement(p, tei("lb")), "tail", "сөз"), True),
                          (lambda p: etree.SubElement(etree.SubElement(p, tei("div"), type="chapter"), tei("p")),
                           False),
                          (lambda p: setattr(etree.SubElement(p, tei("lb")), "text", "сөз"), False)):
        root = etree.fromstring(data)
        change(root.find(f".//{tei('body')}//{tei('p')}"))
        assert schema.validate(etree.ElementTree(root)) == valid


# ---- memory: the TEI is validated as built and streamed to its file (bench/stress/README.md) ----

def sample_document(prefix: str = "000") -> StructuredDocument:
    return structure_document(clean_text(sample(prefix).read_text(encoding="utf-8")))


def test_a_consumed_document_gives_the_same_tei_and_is_left_empty() -> None:
    kept, consumed = sample_document("003"), sample_document("003")
    assert consumed.body
    expected = serialise_tei(encode_tei(kept, INFO))
    assert serialise_tei(encode_tei(consumed, INFO, consume=True)) == expected
    assert consumed.front == [] and consumed.body == [] and consumed.back == []
    assert kept.body  # not consuming leaves the document as it was


def test_the_streamed_file_is_exactly_the_serialised_tei_and_protection_runs_before_it_lands(tmp_path) -> None:
    tree = encode_tei(sample_document(), INFO)
    target = tmp_path / "doc.tei.xml"
    target.write_bytes(b"an earlier file")
    seen: list[tuple[str, bytes]] = []
    digest = write_tei_atomic(tree, target, lambda sha: seen.append((sha, target.read_bytes())))
    data = serialise_tei(tree)
    assert target.read_bytes() == data
    assert digest == hashlib.sha256(data).hexdigest()
    assert seen == [(digest, b"an earlier file")]  # the old file was still in place when asked
    assert [p.name for p in tmp_path.iterdir()] == ["doc.tei.xml"]  # no temporary left behind


def test_a_valid_built_tree_is_valid_and_an_invalid_one_is_located_in_its_file() -> None:
    tree = encode_tei(sample_document(), INFO)
    assert validate_built_tree(tree) == []
    body = tree.getroot().find(f"{tei('text')}/{tei('body')}")
    stray = etree.SubElement(body, tei("stray"))
    issues = validate_built_tree(tree)
    assert issues
    lines = serialise_tei(tree).decode("utf-8").splitlines()
    stray_line = next(number for number, line in enumerate(lines, 1) if "<stray" in line)
    assert any(issue.line == stray_line and "stray" in issue.message for issue in issues)
    body.remove(stray)
    assert validate_built_tree(tree) == []
