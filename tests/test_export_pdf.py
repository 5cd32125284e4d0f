"""Archival PDF export (typst): metadata, PDF/A, fonts, text layer, hyphenation, safety, determinism."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

pytest.importorskip("typst")
pypdf = pytest.importorskip("pypdf")

from kzarchive.errors import ExportError  # noqa: E402
from kzarchive.export.pdf import export_pdf, hyphenate_kazakh  # noqa: E402
from kzarchive.lexicon.syllabify import hyphenation_points  # noqa: E402
from kzarchive.tei import NSMAP, tei  # noqa: E402
from kzarchive.tei.reading import reading_text  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "house_style_sample.tei.xml"
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
LETTER_RUN = re.compile(r"[^\W\d_]+")
# A line-end hyphen joins the next line only when that goes on in lower case: at a page foot the
# next line may be a footnote instead.
LINE_END_HYPHEN = re.compile(r"[\u00ad-][ \t]*\n\s*(?=[^\W\d_])(?=\w)(?![A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")

LONG_PARAGRAPH = (
    "Қазақстан Республикасының тәуелсіздігін жариялаған сәттен бастап мемлекеттік құрылыс "
    "мәселелері Орталық Азия елдерінің халықаралық қатынастарындағы ерекше орын алатын "
    "мәселелердің бірі болып табылады, ал ұлттық мүдделерді қорғау саясаты әрдайым өзекті. "
)


def tei_document(body: str, *, title: str = "Сынақ құжаты", lang: str = "kk") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{lang}">
  <teiHeader><fileDesc>
    <titleStmt><title>{title}</title><author>Сынақшы Ә.</author></titleStmt>
    <publicationStmt><publisher>kzarchive</publisher><date when="2020-02-03">2020-02-03</date></publicationStmt>
    <sourceDesc><bibl><title>Дереккөз</title><idno type="filename">t.txt</idno></bibl></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>{body}</body></text>
</TEI>"""


def export(tmp_path: Path, tei_text: str, name: str = "doc") -> tuple[Path, list[str]]:
    source = tmp_path / f"{name}.tei.xml"
    source.write_text(tei_text, encoding="utf-8")
    out = tmp_path / f"{name}.pdf"
    return out, export_pdf(source, out)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    return out, export_pdf(FIXTURE, out)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A few pages of justified Kazakh prose with notes, page breaks and a Russian quote."""
    paragraphs = []
    for i in range(24):
        note = f'<note place="foot">Ескерту {i}: {LONG_PARAGRAPH[:90]}</note>' if i % 5 == 0 else ""
        pb = f'<pb n="{i + 2}"/>' if i % 4 == 0 else ""
        paragraphs.append(f"<p>{LONG_PARAGRAPH * 2}{pb}{note} {LONG_PARAGRAPH}</p>")
    paragraphs.append('<quote xml:lang="ru"><p>Распад СССР стал неожиданностью для всего мира.</p></quote>')
    body = '<div type="chapter" xml:id="sec-1"><head>1 тарау. Ұзын мәтін</head>' + "".join(paragraphs) + "</div>"
    folder = tmp_path_factory.mktemp("long")
    source = folder / "long.tei.xml"
    source.write_text(tei_document(body), encoding="utf-8")
    out = folder / "long.pdf"
    export_pdf(source, out)
    return source, out


# ---------------------------------------------------------------------------- helpers


def pypdf_pages(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages]


def pdftotext_pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return run.stdout.decode().split("\f")


def pypdf_text(pdf: Path) -> str:
    return "\n".join(pypdf_pages(pdf))


def pdftotext_text(pdf: Path) -> str:
    return "\n".join(pdftotext_pages(pdf))


def running_text(pages: list[str], source: Path) -> str:
    """Page texts joined without page furniture (running heads, folios, margin numbers), so a word
    hyphenated across a page turn comes back whole."""
    root = etree.parse(str(source)).getroot()
    heads = {reading_text(h) for h in root.iterfind(".//tei:title", NSMAP)}
    heads |= {reading_text(h) for h in root.iterfind(".//tei:text/*/tei:div/tei:head", NSMAP)}
    kept = []
    for page in pages:
        for line in page.splitlines():
            bare = line.strip()
            if bare in heads or re.fullmatch(r"[\d\[\]]*", bare):
                continue
            kept.append(line)
    return "\n".join(kept)


def words(text: str) -> list[str]:
    """Letter runs after undoing line-end hyphenation (digits and punctuation are not words)."""
    joined = LINE_END_HYPHEN.sub("", text)
    return LETTER_RUN.findall(joined)


_BLOCKS = {tei(t) for t in ("div", "head", "p", "list", "item", "label", "quote", "listBibl", "bibl", "byline",
                            "docAuthor", "note")}


def tei_words(source: Path) -> list[str]:
    """Words of the TEI reading text, blocks kept apart (reading_text joins adjacent blocks)."""
    root = etree.parse(str(source)).getroot()
    for el in root.iter(*_BLOCKS):
        el.tail = " " + (el.tail or "")
        el.text = " " + (el.text or "")
    return words(reading_text(root.find(tei("text")), include_notes=True))


def share_of_words_found(expected: list[str], text: str) -> float:
    """Share of TEI words (with multiplicity) found in the extracted text. A word hyphenated at the
    foot of a page may have footnotes between its halves: it counts if its two halves are there."""
    found = Counter(words(text))
    dangling = set(re.findall(r"([^\W\d_]+)\u00ad", LINE_END_HYPHEN.sub("", text)))
    matched = 0
    for word, count in Counter(expected).items():
        have = found[word]
        if have < count and any(word.startswith(f) and found[word[len(f):]] for f in dangling):
            have = count
        matched += min(count, have)
    return matched / len(expected)


def outline_titles(outline: list) -> list[str]:
    titles: list[str] = []
    for entry in outline:
        if isinstance(entry, list):
            titles.extend(outline_titles(entry))
        else:
            titles.append(entry.title)
    return titles


# ---------------------------------------------------------------------------- metadata and structure


def test_document_metadata_and_language(sample_pdf: tuple[Path, list[str]]) -> None:
    reader = pypdf.PdfReader(sample_pdf[0])
    assert reader.metadata.title == "АҚШ-тың Орталық Азияға қатысты саясаты"
    assert "Дүйсен С. Ж." in reader.metadata.author and "Л.Т. Исова" in reader.metadata.author
    assert reader.trailer["/Root"]["/Lang"] == "kk"
    assert "999_sample.txt" in (reader.metadata.subject or "")


def test_outline_follows_tei_headings(sample_pdf: tuple[Path, list[str]]) -> None:
    root = etree.parse(str(FIXTURE)).getroot()
    expected = [reading_text(head) for head in root.iterfind(".//tei:div/tei:head", NSMAP)]
    title = reading_text(root.find(".//tei:titleStmt/tei:title", NSMAP))
    assert outline_titles(pypdf.PdfReader(sample_pdf[0]).outline) == [title, *expected]  # the title first


def test_outline_nesting_follows_divisions(sample_pdf: tuple[Path, list[str]]) -> None:
    outline = pypdf.PdfReader(sample_pdf[0]).outline
    chapter = outline.index(next(e for e in outline if not isinstance(e, list) and e.title.startswith("1 тарау")))
    assert outline_titles(outline[chapter + 1]) == ["1.1. Интеграция теориясының негіздері"]


def test_pdfa_2b_identification_and_output_intent(sample_pdf: tuple[Path, list[str]]) -> None:
    reader = pypdf.PdfReader(sample_pdf[0])
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")2", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)
    assert "<dc:language>" in xmp and ">kk<" in xmp
    intents = root["/OutputIntents"]
    assert len(intents) >= 1 and intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_foreign_passages_carry_their_language(sample_pdf: tuple[Path, list[str]]) -> None:
    languages = set(re.findall(rb"/Lang\s*\(([^)]*)\)", sample_pdf[0].read_bytes()))
    assert b"ru" in languages


def test_every_font_is_embedded_and_subset(sample_pdf: tuple[Path, list[str]]) -> None:
    reader = pypdf.PdfReader(sample_pdf[0])
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, descriptor["/FontName"]
                assert re.match(r"/[A-Z]{6}\+", descriptor["/FontName"]), "font is not subset"
                seen += 1
    assert seen > 0


def test_title_page_contents_and_footnote(sample_pdf: tuple[Path, list[str]]) -> None:
    pages = [page.extract_text() for page in pypdf.PdfReader(sample_pdf[0]).pages]
    assert "іске асыру мүмкіндіктері мен болашағы" in pages[0]
    assert pages[0].rstrip().endswith("2015")  # the source's date (sourceDesc), not the TEI file's date
    assert "2015-04-29" not in pages[0]
    assert "Мазмұны" in pages[1]
    call_page = next(p for p in pages if "айтты" in p)
    assert "http://www.nato.int" in call_page  # the note sits at the foot of its own page


def test_source_page_number_in_margin(sample_pdf: tuple[Path, list[str]]) -> None:
    pages = [page.extract_text() for page in pypdf.PdfReader(sample_pdf[0]).pages]
    turn_page = next(p for p in pages if "күш-жігері" in p)
    assert "[14]" in turn_page
    assert sum("[14]" in p for p in pages) == 1


def test_bibliography_is_numbered(sample_pdf: tuple[Path, list[str]]) -> None:
    text = pypdf_text(sample_pdf[0])
    assert re.search(r"1\.\s*Назарбаев Н\.Ә\.", text)
    assert re.search(r"2\.\s*Ситорян С\.", text)


# ---------------------------------------------------------------------------- text layer


def test_pypdf_text_matches_tei_reading_text(long_pdf: tuple[Path, Path]) -> None:
    source, pdf = long_pdf
    assert share_of_words_found(tei_words(source), running_text(pypdf_pages(pdf), source)) >= 0.999


def test_pdftotext_text_matches_tei_reading_text(long_pdf: tuple[Path, Path]) -> None:
    source, pdf = long_pdf
    assert share_of_words_found(tei_words(source), running_text(pdftotext_pages(pdf), source)) >= 0.999


def test_fixture_text_matches_tei_reading_text(sample_pdf: tuple[Path, list[str]]) -> None:
    assert share_of_words_found(tei_words(FIXTURE), running_text(pypdf_pages(sample_pdf[0]), FIXTURE)) >= 0.999


@pytest.mark.parametrize("extract", [pypdf_text, pdftotext_text])
def test_no_soft_hyphen_inside_extracted_words(long_pdf: tuple[Path, Path], extract) -> None:
    text = extract(long_pdf[1])
    assert not re.search(r"\u00ad\w", text), "soft hyphen left inside a word of the text layer"


@pytest.mark.parametrize("extract", [pypdf_text, pdftotext_text])
def test_kazakh_letters_survive_extraction(sample_pdf: tuple[Path, list[str]], extract) -> None:
    text = extract(sample_pdf[0])
    assert "ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І" in text
    for letter in KAZAKH_LETTERS:
        assert letter in text


def test_long_text_is_hyphenated_only_at_syllable_breaks(long_pdf: tuple[Path, Path]) -> None:
    text = running_text(pdftotext_pages(long_pdf[1]), long_pdf[0])
    breaks = re.findall(r"([^\W\d_]+)\u00ad\n\s*([^\W\d_]+)", text)
    assert breaks, "expected typst to break some lines at the supplied soft hyphens"
    vocabulary = set(tei_words(long_pdf[0]))
    for head, _ in breaks:
        # The text after a break may be a footnote (page foot); the TEI word that begins with the
        # first half must allow a break exactly there.
        candidates = [w for w in vocabulary if w.startswith(head) and len(w) > len(head)]
        assert candidates, f"no TEI word starts with {head!r}"
        assert any(len(head) in hyphenation_points(w) for w in candidates), f"bad break {head}-"


def test_soft_hyphens_follow_the_syllabifier() -> None:
    word = "Қазақстанды"
    softened = hyphenate_kazakh(f"{word}, ok КСРО-ға")
    pieces = softened.split(",")[0].split("\u00ad")
    assert [len("".join(pieces[: i + 1])) for i in range(len(pieces) - 1)] == hyphenation_points(word)
    assert softened.replace("\u00ad", "") == f"{word}, ok КСРО-ға"


# ---------------------------------------------------------------------------- safety and robustness


def test_markup_in_source_text_is_printed_not_evaluated(tmp_path: Path) -> None:
    nasty = [
        "#panic(\"boom\")",
        "$x^2$",
        "*bold* _em_",
        "&lt;label&gt; @cite",
        "]]] [[[",
        "\\ back\\slash",
        "// comment",
        "#read(\"/etc/passwd\")",
        "```raw```",
    ]
    body = '<div xml:id="s1"><head>#set text(fill: red) ]</head>' + "".join(f"<p>{n}</p>" for n in nasty) + "</div>"
    out, _ = export(tmp_path, tei_document(body, title="Title # $ * ] @"))
    text = pypdf_text(out)
    for snippet in ['#panic("boom")', "$x^2$", "*bold* _em_", "<label> @cite", "]]] [[[", "\\ back\\slash",
                    "// comment", '#read("/etc/passwd")', "```raw```", "#set text(fill: red) ]"]:
        assert snippet in text, snippet
    assert "root:" not in text
    assert pypdf.PdfReader(out).metadata.title == "Title # $ * ] @"


def test_reexport_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    export_pdf(FIXTURE, first)
    export_pdf(FIXTURE, second)
    assert first.read_bytes() == second.read_bytes()


def test_creation_date_comes_from_tei(sample_pdf: tuple[Path, list[str]]) -> None:
    created = pypdf.PdfReader(sample_pdf[0]).metadata.creation_date
    assert (created.year, created.month, created.day) == (2015, 4, 29)


def test_missing_glyph_is_reported(tmp_path: Path) -> None:
    out, warnings = export(tmp_path, tei_document("<p>Қытай: 中 және 𐌰.</p>"))
    assert out.exists()
    assert any("U+4E2D" in w for w in warnings), warnings
    assert any("U+10330" in w for w in warnings), warnings
    assert not any("U+049A" in w for w in warnings)  # Қ is in PT Serif


def test_fixture_needs_no_glyph_warnings(sample_pdf: tuple[Path, list[str]]) -> None:
    assert sample_pdf[1] == []


def test_unknown_elements_keep_their_text(tmp_path: Path) -> None:
    body = ('<div><p>алдында <seg type="x">белгісіз <foo:bar xmlns:foo="urn:x">элемент</foo:bar></seg> '
            "соңында</p><table><row><cell>кесте ұяшығы</cell></row></table>"
            "<p>сөз<choice><sic>қате</sic><corr>түзетілген</corr></choice> "
            '<fw type="header">ЖОҒАЛУЫ КЕРЕК</fw>жол<lb break="no"/>дың <lb/>соңы</p></div>')
    out, _ = export(tmp_path, tei_document(body))
    text = pypdf_text(out)
    for kept in ("белгісіз элемент", "соңында", "кесте ұяшығы", "сөзтүзетілген", "жолдың соңы"):
        assert kept in text, kept
    assert "ЖОҒАЛУЫ КЕРЕК" not in text and "қате" not in text


def test_broken_tei_raises_export_error(tmp_path: Path) -> None:
    source = tmp_path / "bad.tei.xml"
    source.write_text("<TEI><unclosed>", encoding="utf-8")
    with pytest.raises(ExportError):
        export_pdf(source, tmp_path / "bad.pdf")
    assert not (tmp_path / "bad.pdf").exists()


def test_output_is_replaced_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    out.write_bytes(b"old")
    export_pdf(FIXTURE, out)
    assert out.read_bytes().startswith(b"%PDF-1.7")
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_bibliography_entry_that_prints_its_number_is_not_numbered_twice(tmp_path: Path) -> None:
    body = """<div type="bibliography"><head>Әдебиеттер</head><listBibl>
      <bibl n="1">1.  Алматинская декларация. Алматы, 1998.</bibl>
      <bibl n="2">Токаев К. Дипломатия Казахстана. Алматы, 2001.</bibl></listBibl></div>"""
    pdf, _ = export(tmp_path, tei_document(body))
    text = " ".join(pdftotext_text(pdf).split())
    assert "1. Алматинская декларация" in text and "1. 1." not in text
    assert "2. Токаев К." in text  # an entry without its own number gets @n


def test_supplied_title_is_no_running_head(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{'Мәтін жолы қайталанады. ' * 40}</p>" for _ in range(12))
    pdf, _ = export(tmp_path, tei_document(f"<div><head>КІРІСПЕ</head>{paragraphs}</div>",
                                           title="Атаусыз мәтін (001_x.txt)"))
    pages = pdftotext_pages(pdf)
    assert len(pages) > 4
    assert not any("Атаусыз мәтін" in page for page in pages[3:])  # title page and contents aside
    # the section stands in on left-hand pages too: no page with a bare rule and no words over it
    assert all(page.lstrip().startswith("КІРІСПЕ") for page in pages[3:] if page.strip())


def test_list_items_keep_their_text_after_a_line_break(tmp_path: Path) -> None:
    body = ('<div><head>Құжаттар</head><list rend="dash"><item><label>-</label>Қазақстан Республикасының'
            '<lb/>Республикасының Заңы (соңғы нұсқасы) [50];</item></list></div>')
    pdf, _ = export(tmp_path, tei_document(body))
    assert "Заңы (соңғы нұсқасы) [50];" in " ".join(pdftotext_text(pdf).split())


def test_a_text_too_long_for_typst_is_refused_with_the_reason(tmp_path: Path, monkeypatch) -> None:
    import kzarchive.export.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "MAX_PDF_TEXT_CHARS", 500)
    with pytest.raises(ExportError, match="too long for the PDF edition.*--formats tei,epub,docx"):
        export(tmp_path, tei_document(f"<div><head>Ұзын</head><p>{LONG_PARAGRAPH * 3}</p></div>"))
    assert not (tmp_path / "doc.pdf").exists()
