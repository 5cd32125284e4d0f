"""EPUB 3 export: EPUBCheck-clean, navigable, accessible, reproducible, and faithful to the TEI reading view."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kzarchive.errors import ExportError, KzError, TeiError
from kzarchive.export.epub import export_epub
from kzarchive.export.epubcheck import problems, run_epubcheck
from kzarchive.tei import TEI_NS, XML_LANG, tei
from kzarchive.tei.reading import reading_text

FIXTURE = Path(__file__).parent / "fixtures" / "house_style_sample.tei.xml"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs Java")


# ------------------------------------------------------------------------------------------------
# Helpers


class Book:
    """An exported EPUB opened for inspection."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.names = archive.namelist()
            self.files = {name: archive.read(name) for name in self.names}
        self.opf = etree.fromstring(self.files["EPUB/content.opf"])
        self.nav = self.xhtml("nav.xhtml")
        manifest = self.opf.findall("opf:manifest/opf:item", NS)
        self.documents = {
            item.get("href"): self.xhtml(item.get("href"))
            for item in manifest
            if item.get("media-type") == "application/xhtml+xml" and item.get("properties") != "nav"
        }

    def xhtml(self, href: str) -> etree._Element:
        return etree.fromstring(self.files[f"EPUB/{href}"])

    def resolve(self, href: str, base: str) -> etree._Element | None:
        """The element an href points to (href relative to the document `base`)."""
        file_name, _, fragment = href.partition("#")
        document = self.nav if (file_name or base) == "nav.xhtml" else self.documents[file_name or base]
        if not fragment:
            return document
        found = document.xpath("//*[@id=$id]", id=fragment)
        assert len(found) <= 1, f"duplicate id {fragment} in {file_name or base}"
        return found[0] if found else None

    def nav_section(self, kind: str) -> etree._Element | None:
        found = self.nav.xpath("//x:nav[@epub:type=$kind]", namespaces=NS, kind=kind)
        return found[0] if found else None

    def all_text(self) -> str:
        return " ".join(" ".join(doc.itertext()) for doc in self.documents.values())

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.findall(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def tei_document(body: str, *, back: str = "", header_extra: str = "", lang: str = "kk") -> str:
    """A minimal house-style TEI with the given body (and back) content."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}" xml:lang="{lang}">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Сынақ құжаты</title><author>Автор А.</author></titleStmt>
      <publicationStmt><publisher>kzarchive</publisher><date when="2024-01-02">2024</date>
        <availability><licence>CC BY 4.0</licence></availability></publicationStmt>
      <sourceDesc><bibl><title>Дереккөз</title>
        <idno type="filename">001_test.txt</idno>
        <idno type="sha256">{"ab" * 32}</idno></bibl></sourceDesc>
    </fileDesc>
    {header_extra}
  </teiHeader>
  <text><body>{body}</body>{f"<back>{back}</back>" if back else ""}</text>
</TEI>"""


def export_string(tmp_path: Path, tei_text: str, name: str = "doc", **options) -> Book:
    source = tmp_path / f"{name}.tei.xml"
    source.write_text(tei_text, encoding="utf-8")
    target = tmp_path / f"{name}.epub"
    export_epub(source, target, **options)
    return Book(target)


def assert_epubcheck_clean(path: Path) -> None:
    reported = problems(run_epubcheck(path))
    assert reported == [], "\n".join(str(m) for m in reported)


@pytest.fixture(scope="module")
def fixture_epub(tmp_path_factory) -> Book:
    target = tmp_path_factory.mktemp("epub") / "sample.epub"
    export_epub(FIXTURE, target)
    return Book(target)


@pytest.fixture(scope="module")
def fixture_tei() -> etree._Element:
    return etree.parse(str(FIXTURE)).getroot()


# ------------------------------------------------------------------------------------------------
# EPUBCheck


@needs_java
def test_fixture_passes_epubcheck_without_errors_or_warnings(fixture_epub):
    assert_epubcheck_clean(fixture_epub.path)


@needs_java
def test_fixture_with_embedded_font_passes_epubcheck(tmp_path):
    target = tmp_path / "font.epub"
    export_epub(FIXTURE, target, embed_font=True)
    assert_epubcheck_clean(target)
    book = Book(target)
    fonts = [n for n in book.names if n.endswith(".ttf")]
    assert len(fonts) == 4
    css = book.files["EPUB/css/book.css"].decode()
    assert css.count("@font-face") == 4 and '"PT Serif"' in css
    for font in fonts:
        assert f'url("../{font.removeprefix("EPUB/")}")' in css


@needs_java
def test_run_epubcheck_reports_a_broken_link(tmp_path, fixture_epub):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(fixture_epub.path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "EPUB/body-01.xhtml":
                data = data.replace(b'href="#note-1"', b'href="#no-such-note"')
            target.writestr(info, data)
    assert any(m.id == "RSC-012" and m.severity == "ERROR" for m in run_epubcheck(broken))


def test_run_epubcheck_without_java_is_a_clear_error(monkeypatch, fixture_epub):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ExportError, match="Java"):
        run_epubcheck(fixture_epub.path)


# ------------------------------------------------------------------------------------------------
# Footnotes, page breaks, navigation


def test_every_noteref_resolves_to_a_footnote_that_links_back(fixture_epub):
    noterefs = 0
    for href, document in fixture_epub.documents.items():
        for noteref in document.xpath("//x:a[@epub:type='noteref']", namespaces=NS):
            noterefs += 1
            assert noteref.get("role") == "doc-noteref"
            aside = fixture_epub.resolve(noteref.get("href"), href)
            assert aside is not None and aside.tag == f"{{{NS['x']}}}aside"
            assert aside.get(EPUB_TYPE) == "footnote" and aside.get("role") == "doc-footnote"
            backlinks = aside.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
            assert len(backlinks) == 1
            assert fixture_epub.resolve(backlinks[0].get("href"), href) is noteref
    assert noterefs == 1


def test_footnote_text_is_not_in_the_running_paragraph(fixture_epub):
    paragraph = fixture_epub.documents["body-01.xhtml"].xpath("//x:section//x:p", namespaces=NS)[0]
    assert "nato.int" not in "".join(paragraph.itertext())
    assert "nato.int" in fixture_epub.all_text()


def test_every_page_break_is_in_the_page_list_and_resolves(fixture_epub, fixture_tei):
    page_list = fixture_epub.nav_section("page-list")
    assert page_list is not None
    listed = [(a.get("href"), a.text) for a in page_list.iter(f"{{{NS['x']}}}a")]
    markers = [
        (f"{href}#{span.get('id')}", span.get("aria-label"))
        for href, doc in fixture_epub.documents.items()
        for span in doc.xpath("//x:span[@epub:type='pagebreak']", namespaces=NS)
    ]
    assert sorted(listed) == sorted(markers)
    assert [label for _, label in listed] == [pb.get("n") for pb in fixture_tei.iter(tei("pb"))]
    for href, label in listed:
        span = fixture_epub.resolve(href, "nav.xhtml")
        assert span is not None and span.get("role") == "doc-pagebreak" and span.get("aria-label") == label


def test_nav_lists_every_division_head_with_text(fixture_epub, fixture_tei):
    toc = fixture_epub.nav_section("toc")
    labels = [a.text for a in toc.iter(f"{{{NS['x']}}}a")]
    assert all(label and label.strip() for label in labels)
    for head in fixture_tei.iter(tei("head")):
        if head.getparent().tag == tei("div"):
            assert reading_text(head) in labels
    for link in toc.iter(f"{{{NS['x']}}}a"):
        assert fixture_epub.resolve(link.get("href"), "nav.xhtml") is not None


def test_nav_nests_subsections_under_their_chapter(fixture_epub):
    toc = fixture_epub.nav_section("toc")
    nested = toc.xpath("x:ol/x:li[x:a='1 тарау. Интеграция теориясы']/x:ol/x:li/x:a", namespaces=NS)
    assert [a.text for a in nested] == ["1.1. Интеграция теориясының негіздері"]


def test_every_spine_document_is_reachable_from_the_toc(fixture_epub):
    toc_files = {a.get("href").partition("#")[0] for a in fixture_epub.nav_section("toc").iter(f"{{{NS['x']}}}a")}
    text_documents = {href for href in fixture_epub.documents if href != "titlepage.xhtml"}
    assert text_documents <= toc_files


def test_landmarks_and_ncx(fixture_epub):
    landmarks = {a.get(EPUB_TYPE): a.get("href") for a in fixture_epub.nav_section("landmarks").iter(f"{{{NS['x']}}}a")}
    assert {"toc", "bodymatter", "bibliography"} <= set(landmarks)
    for href in landmarks.values():
        assert fixture_epub.resolve(href, "nav.xhtml") is not None
    ncx = etree.fromstring(fixture_epub.files["EPUB/toc.ncx"])
    uid = ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content")
    assert uid == fixture_epub.opf.find("opf:metadata/dc:identifier", NS).text
    nav_labels = [a.text for a in fixture_epub.nav_section("toc").iter(f"{{{NS['x']}}}a")]
    assert [t.text for t in ncx.iterfind(".//ncx:navLabel/ncx:text", NS)] == nav_labels


def test_one_document_per_top_level_division(fixture_epub, fixture_tei):
    top_level = fixture_tei.xpath("//t:front/t:div|//t:body/t:div|//t:back/t:div", namespaces={"t": TEI_NS})
    assert len(fixture_epub.documents) == len(top_level) + 1  # + the title page


# ------------------------------------------------------------------------------------------------
# Metadata


def test_package_metadata(fixture_epub):
    opf = fixture_epub.opf
    assert opf.findtext("opf:metadata/dc:language", namespaces=NS) == "kk"
    assert opf.findtext("opf:metadata/dc:title", namespaces=NS) == "АҚШ-тың Орталық Азияға қатысты саясаты"
    creators = [c.text for c in opf.findall("opf:metadata/dc:creator", NS)]
    assert creators == ["Дүйсен С. Ж.", "Л.Т. Исова"]
    assert opf.findtext("opf:metadata/dc:rights", namespaces=NS) == "CC BY 4.0"
    assert opf.findtext("opf:metadata/dc:identifier", namespaces=NS).startswith("urn:uuid:")
    assert fixture_epub.meta("dcterms:modified") == ["2026-11-25T00:00:00Z"]  # the TEI revision date
    assert fixture_epub.meta("pageBreakSource") == [opf.findtext("opf:metadata/dc:source", namespaces=NS)]


def test_accessibility_metadata(fixture_epub):
    assert fixture_epub.meta("schema:accessMode") == ["textual"]
    assert fixture_epub.meta("schema:accessModeSufficient") == ["textual"]
    assert fixture_epub.meta("schema:accessibilityHazard") == ["none"]
    features = set(fixture_epub.meta("schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "pageNavigation"} <= features
    assert fixture_epub.meta("schema:accessibilitySummary")[0].strip()


def test_identifier_is_derived_from_the_source_sha256(tmp_path):
    first = export_string(tmp_path, tei_document("<div><head>А</head><p>бір</p></div>"), "one")
    edited = export_string(tmp_path, tei_document("<div><head>А</head><p>бір, түзетілген</p></div>"), "two")
    identifier = "opf:metadata/dc:identifier"
    assert first.opf.findtext(identifier, namespaces=NS) == edited.opf.findtext(identifier, namespaces=NS)
    assert first.opf.findtext("opf:metadata/dc:source", namespaces=NS) == "urn:sha256:" + "ab" * 32


# ------------------------------------------------------------------------------------------------
# Reading view


def test_reading_view_shows_reg_and_corr_not_orig_sic_or_fw(fixture_epub):
    text = fixture_epub.all_text()
    assert "Орталық Азия" in text and "Ор та лық" not in text
    assert "білім" in text and "бiлiм" not in text
    assert "ҚазҰУ хабаршысы" not in text.replace("Дереккөз: ҚазҰУ хабаршысы", "")  # the title page names the source
    assert "жеткізген" in text and "күш-жігері" in text


def test_russian_passages_carry_their_language(fixture_epub):
    russian = [el for doc in fixture_epub.documents.values() for el in doc.xpath("//*[@lang='ru']")]
    texts = " ".join(" ".join(el.itertext()) for el in russian)
    assert "Распад СССР" in texts and "Интеграция стран СНГ" in texts and "Ситорян" in texts
    assert all(el.get(XML_LANG) == "ru" for el in russian)
    for doc in fixture_epub.documents.values():
        assert doc.get("lang") == "kk" and doc.get(XML_LANG) == "kk"


def test_sic_corr_and_unknown_elements(tmp_path):
    body = """<div xml:id="d1"><head>Тест</head>
      <p>Бұл <choice><sic>кателік</sic><corr>қателік</corr></choice> және
         <mystery>жұмбақ мәтін</mystery>, <hi rend="italic">көлбеу</hi>.</p></div>"""
    book = export_string(tmp_path, tei_document(body))
    text = book.all_text()
    assert "қателік" in text and "кателік" not in text
    assert "жұмбақ мәтін" in text
    assert book.documents["body-01.xhtml"].xpath("//x:i/text()", namespaces=NS) == ["көлбеу"]


# ------------------------------------------------------------------------------------------------
# Edge cases built here


@needs_java
def test_document_without_notes_or_pages_has_no_page_list(tmp_path):
    book = export_string(tmp_path, tei_document("<div><head>Бөлім</head><p>Мәтін.</p></div>"))
    assert book.nav_section("page-list") is None
    assert "pageNavigation" not in book.meta("schema:accessibilityFeature")
    assert not book.documents["body-01.xhtml"].xpath("//x:aside", namespaces=NS)
    assert_epubcheck_clean(book.path)


@needs_java
def test_divisions_without_heads_stay_reachable(tmp_path):
    body = """<div><p>Басы жоқ үзінді мәтіні мұнда.</p>
                <div><head>Ішкі бөлім</head><p>Мәтін.</p></div></div>
              <div><div><p>Тереңде.</p></div></div>"""
    book = export_string(tmp_path, tei_document(body))
    assert_epubcheck_clean(book.path)
    toc = book.nav_section("toc")
    top = toc.xpath("x:ol/x:li/x:a/text()", namespaces=NS)
    assert top[0].startswith("Басы жоқ үзінді") and top[1].startswith("Тереңде")
    assert toc.xpath("x:ol/x:li[1]/x:ol/x:li/x:a/text()", namespaces=NS) == ["Ішкі бөлім"]
    titles = [doc.findtext("x:head/x:title", namespaces=NS) for doc in book.documents.values()]
    assert all(t and t.strip() for t in titles)


@needs_java
def test_awkward_structures_stay_valid_and_keep_their_text(tmp_path):
    body = """
      <p>Бөлімнен тыс абзац.</p>
      <div xml:id="s1"><head>Бас<note place="foot" n="*">Бастағы ескерту.</note></head>
        <p>Абзац ішінде тізім:<list rend="dash"><item>бір</item><pb n="7" xml:id="pb-7"/><item>екі</item></list>
           және жалғасы <ref target="#nowhere">сілтеме</ref>
           <ref target="#s1">өзіне <note place="foot">Сілтеме ішіндегі ескерту.</note></ref>.</p>
        <p xml:lang="ru">Русский текст<note place="foot" n="2"><p>Примечание.</p><p>Второй абзац.</p></note></p>
        <p>сөз<choice><orig>бө<pb n="8" break="no"/>лім</orig><reg>бөлім</reg></choice> және <lb/>жол
           <quote><p>Абзацтағы дәйексөз.</p></quote> соңы.</p>
        <table><head>Кесте</head><row><cell role="label">А</cell><cell>Б</cell></row></table>
        <list><label>a)</label><item>белгілі</item></list>
      </div>"""
    book = export_string(tmp_path, tei_document(body))
    assert_epubcheck_clean(book.path)
    text = book.all_text()
    for expected in ("Бөлімнен тыс абзац", "бір", "екі", "жалғасы", "сілтеме", "Сілтеме ішіндегі ескерту",
                     "Русский текст", "Второй абзац", "бөлім", "Абзацтағы дәйексөз", "Кесте", "белгілі", "a)"):
        assert expected in text, expected
    pages = [a.text for a in book.nav_section("page-list").iter(f"{{{NS['x']}}}a")]
    assert pages == ["7", "8"]
    asides = [a for doc in book.documents.values() for a in doc.xpath("//x:aside", namespaces=NS)]
    assert len(asides) == 3
    russian_note = next(a for a in asides if "Примечание" in "".join(a.itertext()))
    assert russian_note.get("lang") == "ru"


def test_lb_joins_or_separates_words(tmp_path):
    body = "<div><head>Жол</head><p>жет<lb break=\"no\" rend=\"hyphen\"/>кізген екі<lb/>сөз</p></div>"
    book = export_string(tmp_path, tei_document(body))
    paragraph = book.documents["body-01.xhtml"].xpath("//x:p", namespaces=NS)[0]
    assert "".join(paragraph.itertext()) == "жеткізген екі сөз"


def test_export_is_byte_identical_when_repeated(tmp_path, monkeypatch):
    first, second = tmp_path / "a.epub", tmp_path / "b.epub"
    export_epub(FIXTURE, first, embed_font=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the TEI's own dates take precedence
    export_epub(FIXTURE, second, embed_font=True)
    assert first.read_bytes() == second.read_bytes()


def test_zip_layout_is_epub_conformant(fixture_epub):
    with zipfile.ZipFile(fixture_epub.path) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert fixture_epub.files["mimetype"] == b"application/epub+zip"
    assert len({info.date_time for info in infos}) == 1


def test_modified_date_falls_back_to_source_date_epoch(tmp_path, monkeypatch):
    document = tei_document("<div><head>А</head><p>б</p></div>").replace(
        '<date when="2024-01-02">2024</date>', "")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = export_string(tmp_path, document)
    assert book.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


def test_output_is_replaced_atomically(tmp_path):
    target = tmp_path / "book.epub"
    target.write_bytes(b"old")
    export_epub(FIXTURE, target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]


# ------------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<TEI xmlns="{TEI_NS}"><teiHeader/><text><body><p>&xxe;</p></body></text></TEI>',
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc></teiHeader></TEI>',
        "",
    ],
    ids=["external-entity", "malformed", "empty"],
)
def test_unsafe_or_malformed_tei_is_a_clean_error(tmp_path, content):
    source = tmp_path / "bad.tei.xml"
    source.write_text(content, encoding="utf-8")
    with pytest.raises((ExportError, TeiError)) as raised:
        export_epub(source, tmp_path / "bad.epub")
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "bad.epub").exists()


def test_non_tei_and_missing_files_are_clean_errors(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(ExportError, match="not a TEI document"):
        export_epub(other, tmp_path / "x.epub")
    with pytest.raises(KzError):
        export_epub(tmp_path / "missing.tei.xml", tmp_path / "y.epub")


# ------------------------------------------------------------------------------------------------
# Generated documents: whatever the nesting, no text is lost and the book stays valid

from collections import Counter  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = st.sampled_from(["сөз", "Қазақстан", "білім", "ғылым", "Ұлт", "мемлекет", "и", "СССР", "1991", "«тіл»"])
TEXT = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


def _inline(children):
    wrap = st.tuples(st.sampled_from(["hi rend=\"italic\"", "foreign xml:lang=\"ru\"", "mystery", "emph"]), children)
    return st.one_of(
        TEXT,
        wrap.map(lambda t: f"<{t[0]}>{t[1]}</{t[0].split()[0]}>"),
        children.map(lambda c: f"<note place=\"foot\">{c}</note>"),
        children.map(lambda c: f"<ref target=\"#d-1\">{c}</ref>"),
        children.map(lambda c: f"<ref target=\"#missing\">{c}</ref>"),
        st.tuples(TEXT, TEXT).map(lambda t: f"<choice><orig>{t[0]}</orig><reg>{t[1]}</reg></choice>"),
        st.sampled_from(["<lb/>", "<pb n=\"3\"/>", "<pb n=\"4\" break=\"no\"/>", "<lb break=\"no\"/>",
                         "<fw type=\"header\">Колонтитул</fw>"]),
    )


INLINE = st.recursive(TEXT, lambda children: st.lists(_inline(children), min_size=1, max_size=4).map(" ".join),
                      max_leaves=6)


def _blocks(children):
    item = st.tuples(INLINE, st.one_of(st.just(""), children)).map(lambda t: f"<item>{t[0]}{t[1]}</item>")
    return st.one_of(
        INLINE.map(lambda c: f"<p>{c}</p>"),
        st.tuples(INLINE, children).map(lambda t: f"<p>{t[0]}{t[1]}</p>"),
        st.lists(item, min_size=1, max_size=3).map(lambda items: f"<list rend=\"dash\">{''.join(items)}</list>"),
        children.map(lambda c: f"<quote xml:lang=\"ru\">{c}</quote>"),
        st.tuples(st.booleans(), INLINE, children).map(
            lambda t: f"<div>{'<head>' + t[1] + '</head>' if t[0] else ''}{t[2]}</div>"),
    )


BLOCKS = st.recursive(INLINE.map(lambda c: f"<p>{c}</p>"),
                      lambda children: st.lists(_blocks(children), min_size=1, max_size=3).map("".join),
                      max_leaves=5)
BODIES = st.lists(BLOCKS.map(lambda b: f"<div>{b}</div>"), min_size=1, max_size=3).map(
    lambda divs: f"<div xml:id=\"d-1\"><head>Бірінші</head><p>Кіріспе.</p></div>{''.join(divs)}")


def _letters(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def _check_generated(tmp_path: Path, body: str) -> Book:
    book = export_string(tmp_path, tei_document(body))
    tei_body = etree.fromstring(tei_document(body).encode()).find(f"{tei('text')}/{tei('body')}")
    shown = _letters(" ".join(" ".join(doc.itertext()) for name, doc in book.documents.items()
                              if name != "titlepage.xhtml"))
    assert not _letters(reading_text(tei_body, include_notes=True)) - shown
    assert "Колонтитул" not in book.all_text()
    for name, document in book.documents.items():
        ids = document.xpath("//@id")
        assert len(ids) == len(set(ids)), name
        for link in document.xpath("//x:a[@href]", namespaces=NS):
            assert book.resolve(link.get("href"), name) is not None, (name, link.get("href"))
    return book


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_generated_documents_keep_all_reading_text(tmp_path, body):
    _check_generated(tmp_path, body)


@needs_java
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_generated_documents_pass_epubcheck(tmp_path, body):
    book = _check_generated(tmp_path, body)
    assert_epubcheck_clean(book.path)


def test_list_labels_are_followed_by_a_real_space_and_dash_lists_print_one_dash(tmp_path):
    body = """<div><head>Тізім</head><list rend="dash"><item><label>-</label>бірінші</item>
      <item><label>-</label>екінші</item></list><list rend="numbered"><item><label>а)</label>Қазақстанның</item>
      <item><label>б)</label>Ресейдің</item></list></div>"""
    book = export_string(tmp_path, tei_document(body), "labels")
    items = ["".join(li.itertext()) for doc in book.documents.values()
             for li in doc.iter("{http://www.w3.org/1999/xhtml}li")]
    assert "а) Қазақстанның" in items and "- бірінші" in items
    css = next(data.decode("utf-8") for name, data in book.files.items() if name.endswith(".css"))
    assert "ul.list-dash:not(.labelled) > li::before" in css  # a printed "-" is not doubled by CSS
