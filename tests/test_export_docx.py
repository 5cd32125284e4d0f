"""DOCX export: structure, styles, footnotes, languages, page markers, determinism, LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

from kzarchive.errors import ExportError
from kzarchive.export.docx import export_docx
from kzarchive.tei import NSMAP, tei
from kzarchive.tei.parse import parse_tei_file
from kzarchive.tei.reading import normalize_space, read_metadata, reading_text

FIXTURE = Path(__file__).parent / "fixtures" / "house_style_sample.tei.xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = {"w": W_NS}
SOFFICE = shutil.which("soffice")


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def part_xml(docx_path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx_path) as package:
        return etree.fromstring(package.read(name))


def body_text(docx_path: Path) -> str:
    """All visible text of the body, hyperlinks included."""
    document = part_xml(docx_path, "word/document.xml")
    return "".join(document.xpath("//w:body//w:t/text()", namespaces=W))


def paragraphs_by_style(docx_path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(docx_path)).paragraphs]


def tiny_tei(tmp_path: Path, body: str, *, name: str = "tiny.tei.xml", date: str = "2020-02-03") -> Path:
    path = tmp_path / name
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="kk">
  <teiHeader><fileDesc>
    <titleStmt><title>Шағын құжат</title><author>Автор А.</author></titleStmt>
    <publicationStmt><publisher>kzarchive</publisher><date when="{date}"/></publicationStmt>
    <sourceDesc><bibl><idno type="filename">tiny.txt</idno></bibl></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>{body}</body></text>
</TEI>""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "sample.docx"
    export_docx(FIXTURE, out)
    return out


def export_tiny(tmp_path: Path, body: str, **options: bool) -> Path:
    out = tmp_path / "tiny.docx"
    export_docx(tiny_tei(tmp_path, body), out, **options)
    return out


# --- structure and styles -------------------------------------------------------------------------


def test_python_docx_reopens_the_export(sample_docx: Path) -> None:
    document = docx.Document(str(sample_docx))
    assert len(document.paragraphs) > 10
    assert document.sections[0].footer.paragraphs


def test_title_and_subtitle_come_from_the_header(sample_docx: Path) -> None:
    metadata = read_metadata(parse_tei_file(FIXTURE))
    paragraphs = paragraphs_by_style(sample_docx)
    assert paragraphs[0] == ("Title", metadata.title)
    assert ("Subtitle", metadata.subtitle) in paragraphs


def test_headings_follow_div_depth_with_the_tei_head_texts(sample_docx: Path) -> None:
    root = parse_tei_file(FIXTURE).getroot()
    expected = []
    for head in root.iterfind(".//tei:text//tei:div/tei:head", NSMAP):
        depth = len([a for a in head.iterancestors(tei("div"))])
        expected.append((f"Heading {depth}", reading_text(head)))
    headings = [(style, text) for style, text in paragraphs_by_style(sample_docx) if style.startswith("Heading")]
    assert headings == expected
    assert ("Heading 2", "1.1. Интеграция теориясының негіздері") in headings


def test_lists_use_list_styles_by_kind_and_nesting(sample_docx: Path) -> None:
    paragraphs = paragraphs_by_style(sample_docx)
    assert ("List Number", "1. Сіз Қазақстанның егемендігіне қауіп бар деп ойлайсыз ба?") in paragraphs
    assert ("List Bullet 2", "иә") in paragraphs  # dash list nested in a numbered item
    assert ("List Bullet", "Ресей") in paragraphs
    assert ("List 2", "1.1. Интеграция теориясының негіздері") in paragraphs  # plain contents list


def test_numbered_lists_restart_and_printed_labels_suppress_auto_numbers(tmp_path: Path) -> None:
    body = """<div><head>Тізімдер</head>
      <list rend="numbered"><item>бір</item><item>екі</item></list>
      <list rend="numbered"><item>үш</item></list>
      <list rend="numbered"><item><label>7)</label>жеті</item></list></div>"""
    out = export_tiny(tmp_path, body)
    document = part_xml(out, "word/document.xml")

    def num_id(text: str) -> str:
        paragraph = document.xpath(f'//w:p[string(.) = "{text}"]', namespaces=W)[0]
        return paragraph.xpath("string(w:pPr/w:numPr/w:numId/@w:val)", namespaces=W)

    assert num_id("бір") == num_id("екі") != num_id("үш")
    assert num_id("7) жеті") == "0"
    numbering = part_xml(out, "word/numbering.xml")
    restarted = numbering.xpath(f'//w:num[@w:numId="{num_id("үш")}"]//w:startOverride/@w:val', namespaces=W)
    assert restarted == ["1"]
    assert ("List Number", "7) жеті") in paragraphs_by_style(out)


def test_quote_byline_and_bibliography_styles(sample_docx: Path) -> None:
    paragraphs = paragraphs_by_style(sample_docx)
    assert ("Quote", "Распад СССР стал неожиданностью для всего мира.") in paragraphs
    assert ("Byline", "Дүйсен С. Ж.") in paragraphs
    bibliography = [text for style, text in paragraphs if style == "Bibliography"]
    # the number kept in @n opens the entry, as in the EPUB and the PDF
    assert len(bibliography) == 2 and bibliography[0].startswith("1. Назарбаев")
    styles = part_xml(sample_docx, "word/styles.xml")
    indent = styles.xpath('//w:style[@w:styleId="Bibliography"]/w:pPr/w:ind/@w:hanging', namespaces=W)
    assert indent and int(indent[0]) > 0


def test_bibliographic_refs_link_to_bookmarked_entries(sample_docx: Path) -> None:
    document = part_xml(sample_docx, "word/document.xml")
    anchors = document.xpath("//w:hyperlink/@w:anchor", namespaces=W)
    bookmarks = set(document.xpath("//w:bookmarkStart/@w:name", namespaces=W))
    assert anchors and set(anchors) <= bookmarks
    link_text = document.xpath("string(//w:hyperlink[@w:anchor='_bibl_1'])", namespaces=W)
    assert link_text == "1, 8-96"


# --- reading view ---------------------------------------------------------------------------------


def test_reading_view_shows_reg_and_hides_orig_and_forme_work(sample_docx: Path) -> None:
    text = body_text(sample_docx)
    assert "Орталық Азия елдері" in text and "білім мен ғылым" in text
    assert "Ор та лық" not in text and "бiлiм" not in text  # orig forms
    assert "ҚазҰУ хабаршысы" not in text  # running head (fw)
    assert "жеткізген" in text and "күш-жігері" in text  # lb break="no" joins
    assert "http://www.nato.int" not in text  # the note is a footnote, not running text


def test_sic_and_orig_outside_choice_are_kept_and_corr_wins_inside(tmp_path: Path) -> None:
    body = """<div><p><choice><sic>қате</sic><corr>дұрыс</corr></choice> мен <sic>жалғыз</sic>
      <hi rend="italic">көлбеу</hi> <hi rend="bold">жуан</hi> <foo>белгісіз</foo></p>
      <bar>блоктан тыс мәтін</bar></div>"""
    out = export_tiny(tmp_path, body)
    text = body_text(out)
    assert "дұрыс мен жалғыз" in text and "қате" not in text
    assert "белгісіз" in text and "блоктан тыс мәтін" in text  # unknown elements keep their text
    runs = {run.text: run for p in docx.Document(str(out)).paragraphs for run in p.runs}
    assert runs["көлбеу"].italic and runs["жуан"].bold


def test_page_marker_is_shown_in_its_character_style(sample_docx: Path) -> None:
    document = docx.Document(str(sample_docx))
    markers = [run for p in document.paragraphs for run in p.runs if run.text == "|14|"]
    assert len(markers) == 1
    assert markers[0].style.name == "Page Marker"
    assert "қатысты |14| күш-жігері" in body_text(sample_docx)


def test_page_markers_can_be_turned_off(tmp_path: Path) -> None:
    out = tmp_path / "no-markers.docx"
    export_docx(FIXTURE, out, page_markers=False)
    text = body_text(out)
    assert "|14|" not in text
    assert "қатысты күш-жігері" in text


def test_page_break_inside_a_word_and_between_paragraphs(tmp_path: Path) -> None:
    body = """<div><head>Бет</head><p>қол жет<pb n="15" break="no"/>кізген сәт</p>
      <pb n="16"/><fw type="pageNum">16</fw><p>Жаңа абзац.</p></div>"""
    text = body_text(export_tiny(tmp_path, body))
    assert "қол жеткізген|15| сәт" in text  # the word stays whole for the spell-checker
    assert "|16| Жаңа абзац." in text
    assert "16|16" not in text


# --- footnotes ------------------------------------------------------------------------------------


def real_footnotes(docx_path: Path) -> list[etree._Element]:
    footnotes = part_xml(docx_path, "word/footnotes.xml")
    return [f for f in footnotes.iterfind(w("footnote")) if f.get(w("type")) is None]


def test_one_word_footnote_per_tei_note(sample_docx: Path) -> None:
    root = parse_tei_file(FIXTURE).getroot()
    notes = root.findall(".//tei:text//tei:note", NSMAP)
    footnotes = real_footnotes(sample_docx)
    assert len(footnotes) == len(notes)
    references = part_xml(sample_docx, "word/document.xml").xpath("//w:footnoteReference/@w:id", namespaces=W)
    assert sorted(references) == sorted(f.get(w("id")) for f in footnotes)
    assert normalize_space("".join(footnotes[0].itertext())) == "http://www.nato.int"


def test_footnotes_part_is_wired_like_word_writes_it(sample_docx: Path) -> None:
    footnotes = part_xml(sample_docx, "word/footnotes.xml")
    separators = {f.get(w("id")): f.get(w("type")) for f in footnotes if f.get(w("type"))}
    assert separators == {"-1": "separator", "0": "continuationSeparator"}
    rels = part_xml(sample_docx, "word/_rels/document.xml.rels")
    assert any(r.get("Type", "").endswith("/footnotes") and r.get("Target") == "footnotes.xml" for r in rels)
    types = part_xml(sample_docx, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/footnotes.xml"].endswith("wordprocessingml.footnotes+xml")
    styles = docx.Document(str(sample_docx)).styles
    assert styles["footnote text"].style_id == "FootnoteText"
    assert styles["footnote reference"].style_id == "FootnoteReference"
    first = real_footnotes(sample_docx)[0]
    assert first.xpath(".//w:footnoteRef", namespaces=W)


def test_multi_paragraph_nested_and_standalone_notes(tmp_path: Path) -> None:
    body = """<div><head>Ескертпелер</head>
      <p>Бірінші<note place="foot" n="1"><p>Бір.</p><p>Екі.</p></note> және
         екінші<note place="foot" n="2">Сыртқы <note place="foot">ішкі</note> ескерту</note>.</p>
      <note place="foot" n="3">Абзацтан тыс ескерту.</note>
      <note type="debris">сайт қоқысы</note>
      <p>Соңы.</p></div>"""
    out = export_tiny(tmp_path, body)
    footnotes = real_footnotes(out)
    assert len(footnotes) == 3
    assert len(footnotes[0].findall(w("p"))) == 2
    assert "Сыртқы (ішкі) ескерту" in normalize_space("".join(footnotes[1].itertext()))
    document = part_xml(out, "word/document.xml")
    ids = document.xpath("//w:footnoteReference/@w:id", namespaces=W)
    assert ids == ["1", "2", "3"]
    assert "сайт қоқысы" not in body_text(out)


def test_note_number_runs() -> None:
    from kzarchive.export.docx import note_number_runs

    assert note_number_runs(["26", "27", "28"]) == [(0, 26)]
    assert note_number_runs(["1", "2", "1", "2", "3"]) == [(0, 1), (2, 1)]
    assert note_number_runs(["1", "*"]) is None and note_number_runs([]) is None


def _footnote_start(docx_path: Path) -> list[str]:
    return part_xml(docx_path, "word/document.xml").xpath(
        "/w:document/w:body/w:sectPr/w:footnotePr/w:numStart/@w:val", namespaces=W)


def test_footnotes_start_at_the_source_number(tmp_path: Path) -> None:
    """002's notes run from 26: Word and LibreOffice number the footnotes 26, 27, … too."""
    body = """<div><head>Бөлім</head><p>Мәтін<note place="foot" n="26">Бір.</note> және
      тағы<note place="foot" n="27">Екі.</note>.</p></div>"""
    assert _footnote_start(export_tiny(tmp_path, body)) == ["26"]


def test_footnotes_numbered_from_one_or_restarting_keep_word_numbering(tmp_path: Path) -> None:
    from_one = """<div><p>А<note place="foot" n="1">Бір.</note> Б<note place="foot" n="2">Екі.</note></p></div>"""
    assert _footnote_start(export_tiny(tmp_path, from_one)) == []
    restarting = from_one + """<div><p>В<note place="foot" n="1">Бір.</note></p></div>"""
    assert _footnote_start(export_tiny(tmp_path, restarting)) == []


def test_no_footnotes_part_without_notes(tmp_path: Path) -> None:
    out = export_tiny(tmp_path, "<div><head>Бос</head><p>Ескертусіз.</p></div>")
    with zipfile.ZipFile(out) as package:
        assert "word/footnotes.xml" not in package.namelist()
    docx.Document(str(out))


# --- language, settings, fields, properties -------------------------------------------------------


def test_document_default_language_is_kazakh(sample_docx: Path) -> None:
    styles = part_xml(sample_docx, "word/styles.xml")
    lang = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert lang.get(w("val")) == "kk-KZ"
    assert lang.get(w("eastAsia")) and lang.get(w("bidi"))


def test_russian_and_english_runs_carry_their_language(sample_docx: Path, tmp_path: Path) -> None:
    document = part_xml(sample_docx, "word/document.xml")

    def run_langs(fragment: str) -> set[str]:
        runs = document.xpath(f'//w:r[contains(w:t, "{fragment}")]', namespaces=W)
        assert runs, fragment
        return {r.xpath("string(w:rPr/w:lang/@w:val)", namespaces=W) for r in runs}

    assert run_langs("Распад СССР") == {"ru-RU"}
    assert run_langs("Интеграция стран СНГ") == {"ru-RU"}
    assert run_langs("Бірқатар саясатшылардың") == {""}  # Kazakh inherits the document default
    out = export_tiny(tmp_path, '<div><p>Қазақша <foreign xml:lang="en">in English</foreign> сөз.</p></div>')
    english = part_xml(out, "word/document.xml").xpath('//w:r[w:t="in English"]/w:rPr/w:lang/@w:val', namespaces=W)
    assert english == ["en-US"]


def test_settings_turn_on_hyphenation_and_field_update(sample_docx: Path) -> None:
    settings = part_xml(sample_docx, "word/settings.xml")
    names = [etree.QName(child).localname for child in settings]
    assert "autoHyphenation" in names and "updateFields" in names and "footnotePr" in names
    assert "proofState" not in names  # never claim the spelling was already checked
    # CT_Settings is an ordered sequence: Word rejects misplaced elements.
    assert names.index("defaultTabStop") < names.index("autoHyphenation") < names.index("updateFields")
    assert names.index("updateFields") < names.index("footnotePr") < names.index("compat")


def test_toc_field_and_page_number_footer(sample_docx: Path) -> None:
    document = part_xml(sample_docx, "word/document.xml")
    instructions = document.xpath("//w:instrText/text()", namespaces=W)
    assert any('TOC \\o "1-3" \\h \\z \\u' in i for i in instructions)
    footer_name = next(n for n in zipfile.ZipFile(sample_docx).namelist() if n.startswith("word/footer"))
    footer = part_xml(sample_docx, footer_name)
    assert [i.strip() for i in footer.xpath("//w:instrText/text()", namespaces=W)] == ["PAGE"]


def test_core_properties_come_from_the_tei(sample_docx: Path) -> None:
    metadata = read_metadata(parse_tei_file(FIXTURE))
    props = docx.Document(str(sample_docx)).core_properties
    assert props.title == metadata.title
    assert props.author == "; ".join(metadata.authors)
    assert props.language == "kk-KZ"
    assert props.identifier == metadata.source_sha256
    assert props.created.replace(tzinfo=None) == datetime(2015, 4, 29)
    assert props.modified == props.created
    assert props.last_modified_by == "kzarchive"


# --- determinism and failure ----------------------------------------------------------------------


def test_re_export_is_byte_identical(sample_docx: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    export_docx(FIXTURE, again)
    assert again.read_bytes() == sample_docx.read_bytes()
    with zipfile.ZipFile(again) as package:
        names = package.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_different_tei_dates_give_different_core_dates(tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    export_docx(tiny_tei(first, "<p>мәтін</p>", date="2001-01-01"), first / "x.docx")
    export_docx(tiny_tei(second, "<p>мәтін</p>", date="2002"), second / "x.docx")
    assert docx.Document(str(first / "x.docx")).core_properties.created.year == 2001
    assert docx.Document(str(second / "x.docx")).core_properties.created.year == 2002


def test_broken_tei_raises_export_error_and_leaves_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tei.xml"
    broken.write_text("<TEI><text>", encoding="utf-8")
    out = tmp_path / "out.docx"
    with pytest.raises(ExportError) as error:
        export_docx(broken, out)
    assert "\n" not in str(error.value)
    assert list(tmp_path.iterdir()) == [broken]


def test_non_tei_xml_and_unwritable_target_raise_export_error(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(ExportError, match="not a TEI document"):
        export_docx(other, tmp_path / "out.docx")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError):
        export_docx(FIXTURE, blocker / "out.docx")


def test_existing_output_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    out.write_bytes(b"old")
    export_docx(FIXTURE, out)
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


# --- LibreOffice ----------------------------------------------------------------------------------


def libreoffice_pdf(docx_path: Path, out_dir: Path) -> Path:
    """The DOCX converted by LibreOffice, as Word users' second application would open it."""
    profile = out_dir / "lo-profile"  # a private profile: parallel runs must not share a lock
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(docx_path)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = out_dir / f"{docx_path.stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    return pdf


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not on PATH; CI installs libreoffice-writer")
def test_libreoffice_converts_the_export_to_pdf(sample_docx: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = libreoffice_pdf(sample_docx, tmp_path)
    text = normalize_space(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    root = parse_tei_file(FIXTURE).getroot()
    for head in root.iterfind(".//tei:text//tei:div/tei:head", NSMAP):
        assert reading_text(head) in text
    assert "http://www.nato.int" in text  # the footnote survived the conversion


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not on PATH; CI installs libreoffice-writer")
def test_libreoffice_shows_the_source_note_numbers(tmp_path: Path) -> None:
    from pypdf import PdfReader

    body = """<div><head>Бөлім</head><p>Мәтін<note place="foot" n="26">Бірінші ескерту.</note> және
      тағы<note place="foot" n="27">Екінші ескерту.</note>.</p></div>"""
    pdf = libreoffice_pdf(export_tiny(tmp_path, body), tmp_path)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Мәтін26" in text and "тағы27" in text, text
    assert "26" in text.split("Бірінші ескерту")[0].split("тағы27")[-1]  # the footnote's own mark


def test_inline_quote_and_foreign_get_no_spaces_inside_their_quotation_marks(tmp_path: Path) -> None:
    body = """<div><head>Бөлім</head><p>Ол қолдайды: «<quote xml:lang="ru">Назарбаев-<lb break="no"/>оптимальный
      выбор.</quote>» [13,214]. Және “<foreign xml:lang="en">Regions and Powers</foreign>” деп.</p></div>"""
    text = body_text(export_tiny(tmp_path, body))
    assert "«Назарбаев-оптимальный выбор.» [13,214]" in text
    assert "“Regions and Powers” деп" in text


def test_a_catalog_title_and_authors_over_255_characters_make_every_edition(tmp_path: Path) -> None:
    from kzarchive.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.txt").write_text("КІРІСПЕ\n\n" + "Қазақ тілінің тарихы туралы зерттеу жұмысы. " * 30 + "\n",
                                     encoding="utf-8")
    title = " ".join(f"Қазақ әдеби тілінің {n}-ғасырдағы дамуы мен қалыптасуы" for n in range(1, 8))
    authors = "; ".join(f"Әлиханов Бауыржан Серікұлы {n}" for n in range(12))
    assert len(title) > 255 and len(authors) > 255
    (folder / "catalog.csv").write_text(f'file,title,authors\nlong.txt,"{title}","{authors}"\n', encoding="utf-8")
    assert main(["convert", str(folder), "-o", str(tmp_path / "out"), "--jobs", "1", "--formats", "tei,docx,pdf"]) == 0
    document = docx.Document(str(tmp_path / "out" / "long.docx"))
    props = document.core_properties
    assert len(props.title) <= 255 and props.title.endswith("…") and title.startswith(props.title[:-1])
    assert len(props.author) <= 255 and props.author.endswith("…")
    assert title in [p.text for p in document.paragraphs]  # the whole title on the title page
    assert (tmp_path / "out" / "long.pdf").is_file()
