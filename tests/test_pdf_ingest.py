"""PDF sources: pages read with their positions, running heads and page numbers found by where they
stand, exact <pb>/<facsimile>, PDF metadata in the header, and one clear error for bad PDFs.
Every PDF here is typeset inside the test with typst, so its truth is known."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from lxml import etree

from kzarchive.errors import InputError
from kzarchive.pdf import reader as pdf_reader
from kzarchive.pdf.reader import page_ranges, pdf_date, read_pdf_bytes, rejoin_letter_spaced
from kzarchive.pipeline import convert_batch, convert_source
from kzarchive.results import ConvertOptions
from kzarchive.tei import TEI_NS
from kzarchive.tei.reading import reading_text

NS = {"t": TEI_NS}
BODY = ("Ертіс өзені Алтай тауларынан басталып, Павлодар мен Семей қалалары арқылы ағып өтеді. "
        "Өзеннің жағасында Өскемен, Курчатов және Ақсу елді мекендері орналасқан. ")
REPEATED = "Бұл сөйлем бірнеше бетте қайталанады."


def typeset(tmp: Path, body: str, *, header: str = "none", footer: str = "none", pages_of_text: int = 4,
            copies: int | None = None, columns: int = 1) -> bytes:
    """A5 pages of justified Kazakh text; header/footer are typst expressions (`n` is the page number)."""
    import fontpkg
    import typst

    source = tmp / "doc.typ"
    paragraphs = "\n\n".join(body for _ in range(copies or pages_of_text * 6))
    source.write_text(f"""
#set page(paper: "a5", margin: (top: 2.4cm, bottom: 2.2cm, x: 1.8cm), columns: {columns},
  header: context {{ let n = counter(page).display(); {header} }},
  footer: context {{ let n = counter(page).display(); {footer} }})
#set text(font: "PT Serif", size: 11pt, lang: "kk")
#set par(justify: true, first-line-indent: 1.2em)
{paragraphs}
""", encoding="utf-8")
    folders = sorted({str(f.path.parent) for f in fontpkg.family("pt-serif").files})
    return typst.compile(str(source), font_paths=folders, ignore_system_fonts=True)


def convert(tmp: Path, pdf: bytes, name: str = "doc.pdf") -> etree._ElementTree:
    source = tmp / name
    source.write_bytes(pdf)
    result = convert_source(source, ConvertOptions(tmp / "out", formats=("tei",), date="2026-01-01"), {})
    assert result.ok, result.error
    return etree.parse(str(result.outputs["tei"]))


def body_text(tree: etree._ElementTree) -> str:
    return reading_text(tree.getroot().find("t:text", NS), include_notes=True)


ALTERNATING = ('if calc.odd(here().page()) [#h(1fr) Қазақстан өзендері] '
               'else [Реки Казахстана #h(1fr)]')


def test_every_page_is_a_pb_with_its_printed_number_and_a_surface(tmp_path, tei_all_schema) -> None:
    pdf = typeset(tmp_path, BODY, header=ALTERNATING, footer="align(center)[#n]")
    pages = len(read_pdf_bytes(pdf).pages)
    tree = convert(tmp_path, pdf)
    pbs = tree.findall(".//t:text//t:pb", NS)
    assert [pb.get("n") for pb in pbs] == [str(i) for i in range(1, pages + 1)]
    assert [pb.get("facs") for pb in pbs] == [f"#page-{i}" for i in range(1, pages + 1)]
    surfaces = tree.findall("t:facsimile/t:surface", NS)
    assert [s.get("{http://www.w3.org/XML/1998/namespace}id") for s in surfaces] == [f"page-{i}" for i in range(1, pages + 1)]
    assert {(s.get("lrx"), s.get("lry")) for s in surfaces} == {("419.53", "595.28")}  # A5 in points
    assert tei_all_schema.validate(tree), tei_all_schema.error_log


def test_source_desc_records_pdf_metadata_and_sha256(tmp_path) -> None:
    pdf = typeset(tmp_path, BODY, footer="align(center)[#n]", pages_of_text=1)
    tree = convert(tmp_path, pdf)
    bibl = tree.find(".//t:sourceDesc/t:bibl", NS)
    assert bibl.findtext("t:idno[@type='sha256']", namespaces=NS) == hashlib.sha256(pdf).hexdigest()
    notes = {n.get("subtype"): n.text for n in bibl.findall("t:note[@type='pdf']", NS)}
    assert notes["version"] == "PDF 1.7"
    assert notes["creator"].startswith("Typst")
    assert notes["pages"] == str(len(read_pdf_bytes(pdf).pages))


def test_alternating_running_heads_are_fw_and_never_text(tmp_path) -> None:
    tree = convert(tmp_path, typeset(tmp_path, BODY, header=ALTERNATING, footer="align(center)[#n]"))
    heads = [fw.text for fw in tree.iter(f"{{{TEI_NS}}}fw") if fw.get("type") == "header"]
    assert set(heads) == {"Қазақстан өзендері", "Реки Казахстана"}
    text = body_text(tree)
    assert "өзендері" not in text and "Реки" not in text
    assert text.count("Ертіс өзені") == 24  # every body paragraph kept


def test_two_line_head_in_two_languages_and_glued_number(tmp_path) -> None:
    header = 'align(center)[Қазақ әдебиеті \\ Казахская литература]'
    footer = '[Оқу программа#n]'
    pdf = typeset(tmp_path, BODY, header=header, footer=footer)
    tree = convert(tmp_path, pdf)
    fws = [fw.text for fw in tree.iter(f"{{{TEI_NS}}}fw")]
    assert "Қазақ әдебиеті" in fws and "Казахская литература" in fws
    assert "Оқу программа2" in fws
    pages = len(read_pdf_bytes(pdf).pages)
    assert [pb.get("n") for pb in tree.iter(f"{{{TEI_NS}}}pb")] == [str(i) for i in range(1, pages + 1)]
    assert "программа" not in body_text(tree) and "литература" not in body_text(tree)


def test_fraction_head_and_e_document_stamp(tmp_path) -> None:
    header = '[#n/#counter(page).final().first() kazgeo-2024.pdf #h(1fr) www.kazgeo.kz]'
    footer = 'align(center, text(size: 7pt)[Электрондық құжат · ЭЦҚ қол қойылған · 2024-03-15])'
    pdf = typeset(tmp_path, BODY, header=header, footer=footer)
    tree = convert(tmp_path, pdf)
    pages = len(read_pdf_bytes(pdf).pages)
    assert [pb.get("n") for pb in tree.iter(f"{{{TEI_NS}}}pb")] == [str(i) for i in range(1, pages + 1)]
    text = body_text(tree)
    assert "kazgeo" not in text and "Электрондық" not in text and "ЭЦҚ" not in text
    assert text.count("Ертіс өзені") == 24


def test_a_sentence_repeated_in_the_body_of_several_pages_stays_text(tmp_path) -> None:
    body = BODY + "\n\n" + REPEATED + "\n\n" + BODY
    tree = convert(tmp_path, typeset(tmp_path, body, footer="align(center)[#n]", pages_of_text=2))
    assert body_text(tree).count(REPEATED) == 12
    assert all(REPEATED not in (fw.text or "") for fw in tree.iter(f"{{{TEI_NS}}}fw"))


def test_letter_spaced_title_is_rejoined() -> None:
    assert rejoin_letter_spaced("П а р т и я  қ ы з м е т і н") == "Партия қызметін"
    assert rejoin_letter_spaced("а және б") == "а және б"  # ordinary short words stay


def test_letter_spaced_title_in_a_pdf(tmp_path) -> None:
    pdf = typeset(tmp_path, "#align(center, text(tracking: 0.4em)[Партия қызметі])\n\n" + BODY, pages_of_text=1)
    first = read_pdf_bytes(pdf).pages[0].lines[0]
    assert first.text == "Партия қызметі"


def test_page_ranges_and_pdf_dates() -> None:
    assert page_ranges([3, 4, 5, 9, 11, 12]) == "3–5, 9, 11–12"
    assert pdf_date("D:20231204161718+06'00'") == "2023-12-04T16:17:18+06:00"
    assert pdf_date("D:2023") == "2023"


# ---- bad PDFs: one clear line, the batch goes on ---------------------------------------------


def _blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _encrypted(pdf: bytes, user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_truncated_pdf_is_one_clear_error(tmp_path) -> None:
    pdf = typeset(tmp_path, BODY, pages_of_text=1)
    with pytest.raises(InputError, match="damaged or truncated PDF"):
        read_pdf_bytes(pdf[: len(pdf) // 3])


def test_pdf_without_text_layer_asks_for_ocr() -> None:
    with pytest.raises(InputError, match=r"no text layer on pages 1–3: run OCR first, e\.g\. OCRmyPDF"):
        read_pdf_bytes(_blank_pdf(3))


def test_user_password_is_refused_owner_password_only_converts(tmp_path) -> None:
    pdf = typeset(tmp_path, BODY, pages_of_text=1)
    with pytest.raises(InputError, match="password-protected PDF"):
        read_pdf_bytes(_encrypted(pdf, "secret", "owner"))
    opened = read_pdf_bytes(_encrypted(pdf, "", "owner"))
    assert opened.metadata.encrypted and "Ертіс өзені" in opened.text


def test_page_limit_is_checked_before_reading(monkeypatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 3)
    with pytest.raises(InputError, match="PDF declares 4 pages"):
        read_pdf_bytes(_blank_pdf(4))


def test_bad_pdfs_fail_alone_and_the_batch_goes_on(tmp_path) -> None:
    good = typeset(tmp_path, BODY, footer="align(center)[#n]", pages_of_text=1)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.pdf").write_bytes(good)
    (folder / "b_truncated.pdf").write_bytes(good[:400])
    (folder / "c_locked.pdf").write_bytes(_encrypted(good, "secret", "owner"))
    (folder / "d_scan.pdf").write_bytes(_blank_pdf(2))
    (folder / "e_text.txt").write_text("Қазақстан Республикасы — тәуелсіз мемлекет.\n", encoding="utf-8")
    results = convert_batch([folder], ConvertOptions(tmp_path / "out", formats=("tei",), date="2026-01-01"))
    by_name = {r.source.name: r for r in results}
    assert by_name["a_good.pdf"].ok and by_name["e_text.txt"].ok
    for name in ("b_truncated.pdf", "c_locked.pdf", "d_scan.pdf"):
        failed = by_name[name]
        assert not failed.ok and failed.failed_stage == "read"
        assert "\n" not in failed.error and "Traceback" not in failed.error


# ---- artefacts real PDFs show, handled on the .txt path too ----------------------------------

from kzarchive.clean import clean_text  # noqa: E402
from kzarchive.decisions import STEP_LETTERSPACING  # noqa: E402
from kzarchive.model import Choice, FormeWork, PageBreak  # noqa: E402

PROSE = ("Партия өз қызметін Қазақстан Республикасының Конституциясы мен заңдарына сәйкес жүзеге асырады. "
         "Партия мүшелері жарғыны орындауға міндетті.")


def test_letter_spaced_line_in_text_is_rejoined_and_the_source_kept() -> None:
    text = "\n\n".join([PROSE, PROSE, "П а рт и я ө з қ ы з м ет і н", PROSE, PROSE]) + "\n"
    document = clean_text(text)
    choices = [n for b in document.blocks for n in b.inlines if isinstance(n, Choice)]
    assert [(c.reg, c.orig[0].text) for c in choices] == [("Партия өз қызметін", "П а рт и я ө з қ ы з м ет і н")]
    assert any("letter-spaced" in sentence and step == STEP_LETTERSPACING for _, step, sentence in document.steps)
    assert all(c.reason == "letterspacing" for c in choices)


def test_short_words_in_a_row_are_not_letter_spacing() -> None:
    text = "Ол да, ол да ма, ия, иә десе де бір сөз айтпады, тек күлді.\n"
    assert not any(isinstance(n, Choice) and n.reason == "syllables" and " " in n.reg
                   for b in clean_text(text).blocks for n in b.inlines)


def test_page_number_glued_to_a_word_broken_at_a_page_turn() -> None:
    text = ("Бірінші бет мәтіні осында жазылған, ол бірнеше жолдан тұрады.\n\n4\n\n"
            "Мемлекет азаматтарды кез келген зорлық-5\nзомбылыққа қарсы қорғайды.\n\n6\n\nСоңғы бет.\n")
    document = clean_text(text)
    block = next(b for b in document.blocks if "зомбылыққа" in b.plain_text())
    assert "зорлық-зомбылыққа" in block.plain_text()
    assert [n.n for n in block.inlines if isinstance(n, PageBreak)] == ["5"]
    assert [n.text for n in block.inlines if isinstance(n, FormeWork)] == ["5"]
    assert all(n.inside_word for n in block.inlines if isinstance(n, PageBreak))


def test_a_number_after_a_hyphen_that_is_no_page_number_stays() -> None:
    text = "Пандемия кезінде COVID-19\nжағдайында мектептер жабылды және оқу үйде жүрді.\n"
    assert "COVID-19 жағдайында" in clean_text(text).blocks[0].plain_text()


def test_private_use_characters_are_kept_and_reported_with_their_page() -> None:
    text = "Бірінші бет.\n\n1\n\nЕкінші бетте \uf8f0 және \uf8f1 белгілері тұр, олар жақшаның бөліктері.\n\n2\n\nСоңы.\n"
    document = clean_text(text)
    assert "\uf8f0" in " ".join(b.plain_text() for b in document.blocks)
    report = next(sentence for _, _, sentence in document.steps if "private-use" in sentence)
    assert "U+F8F0 on page 1" in report and "U+F8F1 on page 1" in report


def test_latin_schwa_and_letters_in_kazakh_words_are_regularised() -> None:
    document = clean_text("Əлем мəдениетінің тарихы бiлiм мен cөз өнерін зерттейді.\n")
    choices = {n.orig[0].text: n.reg for b in document.blocks for n in b.inlines if isinstance(n, Choice)}
    assert choices == {"Əлем": "Әлем", "мəдениетінің": "мәдениетінің", "бiлiм": "білім", "cөз": "сөз"}


def _handmade_pdf(objects: list[bytes]) -> bytes:
    """A PDF written object by object, for structures no writer would make."""
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_cyclic_page_tree_and_a_hundred_thousand_pages_are_refused() -> None:
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    with pytest.raises(InputError, match="damaged or truncated PDF"):
        read_pdf_bytes(_handmade_pdf([catalog, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]))
    with pytest.raises(InputError, match="PDF declares 100,000 pages"):
        read_pdf_bytes(_handmade_pdf([catalog, b"<< /Type /Pages /Kids [] /Count 100000 >>"]))


def test_a_line_in_larger_type_is_a_heading(tmp_path) -> None:
    other = "Есіл өзені Ақмола облысында ағып, Астана қаласын екі жағалауға бөледі. "
    body = f"#text(size: 16pt)[Ертіс алабының өзендері]\n\n{BODY * 3}\n\n#text(size: 16pt)[Есіл мен Нұра]\n\n{other * 3}"
    tree = convert(tmp_path, typeset(tmp_path, body, footer="align(center)[#n]", copies=1))
    heads = [" ".join(h.itertext()).strip() for h in tree.iter(f"{{{TEI_NS}}}head")]
    assert heads[:2] == ["Ертіс алабының өзендері", "Есіл мен Нұра"]


def test_roman_front_matter_takes_the_pdf_page_labels(tmp_path) -> None:
    import fontpkg
    import typst

    source = tmp_path / "labels.typ"
    source.write_text('#set page(paper: "a5", numbering: "i", footer: context align(center, counter(page).display()))\n'
                      '#set text(font: "PT Serif", size: 11pt, lang: "kk")\n' + "\n\n".join([BODY] * 14) +
                      '\n#pagebreak()\n#set page(numbering: "1")\n#counter(page).update(1)\n' + "\n\n".join([BODY] * 14),
                      encoding="utf-8")
    folders = sorted({str(f.path.parent) for f in fontpkg.family("pt-serif").files})
    tree = convert(tmp_path, typst.compile(str(source), font_paths=folders, ignore_system_fonts=True))
    numbers = [pb.get("n") for pb in tree.iter(f"{{{TEI_NS}}}pb")]
    assert numbers[:2] == ["i", "ii"] and numbers[2:] == [str(i) for i in range(1, len(numbers) - 1)]


def test_converting_a_pdf_again_gives_the_same_bytes(tmp_path) -> None:
    pdf = typeset(tmp_path, BODY, header=ALTERNATING, footer="align(center)[#n]", pages_of_text=2)
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    outputs = []
    for run in ("one", "two"):
        result = convert_source(source, ConvertOptions(tmp_path / run, formats=("tei",), date="2026-01-01"), {})
        outputs.append(result.outputs["tei"].read_bytes())
    assert outputs[0] == outputs[1]


def test_a_read_that_takes_too_long_is_stopped(tmp_path, monkeypatch) -> None:
    pdf = typeset(tmp_path, BODY, pages_of_text=1)
    monkeypatch.setattr(pdf_reader, "MAX_READ_SECONDS", 1e-6)
    with pytest.raises(InputError, match="PDF took over"):
        read_pdf_bytes(pdf)


def test_two_columns_read_column_by_column_with_footnotes_after_the_text(tmp_path) -> None:
    long = ("Тобыл өзені Қостанай облысының жазық жерлерімен солтүстікке қарай ағып, Ресей аумағында Ертіске "
            "құяды, оның бойында Лисаковск пен Рудный қалалары тұр. ")
    body = f"{long * 5}#footnote[Қазақстанның су ресурстары, 2019 ж.]{long * 5}"
    tree = convert(tmp_path, typeset(tmp_path, body, footer="align(center)[#n]", copies=1, columns=2))
    paragraphs = [" ".join(reading_text(p).split()) for p in tree.iter(f"{{{TEI_NS}}}p")]
    text = " ".join(paragraphs)
    assert text.count("Лисаковск пен Рудный қалалары тұр.") == 10  # nothing lost, nothing doubled
    assert "1 Қазақстанның су ресурстары, 2019 ж." in paragraphs  # the note stands apart, whole


def test_a_word_broken_across_a_page_turn_is_whole_with_the_pb_inside(tmp_path) -> None:
    body = ("#set par(first-line-indent: 0pt)\n" + BODY * 2 +
            "Мемлекет азаматтарды кез келген зорлық-#pagebreak(weak: false)зомбылыққа қарсы қорғайды.")
    tree = convert(tmp_path, typeset(tmp_path, body, footer="align(center)[#n]", copies=1))
    assert "кез келген зорлық-зомбылыққа қарсы" in body_text(tree)
    pb = tree.find(".//t:pb[@n='2']", NS)
    assert pb is not None and pb.get("break") == "no"


def test_the_pdf_title_names_the_document_unless_it_is_a_file_name(tmp_path) -> None:
    from kzarchive.pdf.ingest import plausible_title

    assert plausible_title("Microsoft Word - диссертация.docx") == ""
    assert plausible_title("report_final.pdf") == ""
    assert plausible_title("Қазақстанның су ресурстары") == "Қазақстанның су ресурстары"
    pdf = typeset(tmp_path, '#set document(title: "Ертіс алабы", author: "Ә. Сейітов")\n' + BODY, copies=2)
    tree = convert(tmp_path, pdf)
    assert tree.findtext(".//t:titleStmt/t:title", namespaces=NS) == "Ертіс алабы"
    notes = {n.get("subtype"): n.text for n in tree.findall(".//t:sourceDesc/t:bibl/t:note[@type='pdf']", NS)}
    assert notes["author"] == "Ә. Сейітов"


def test_an_unnumbered_title_page_does_not_take_a_label_another_page_prints(tmp_path) -> None:
    import fontpkg
    import typst

    source = tmp_path / "title.typ"
    source.write_text('#set page(paper: "a5", numbering: "1", footer: context if here().page() > 1 '
                      '{ align(center, str(here().page() - 1)) })\n#set text(font: "PT Serif", size: 11pt)\n'
                      '#align(center)[Ертіс алабы]\n#pagebreak()\n' + "\n\n".join([BODY] * 20), encoding="utf-8")
    folders = sorted({str(f.path.parent) for f in fontpkg.family("pt-serif").files})
    tree = convert(tmp_path, typst.compile(str(source), font_paths=folders, ignore_system_fonts=True))
    pbs = list(tree.iter(f"{{{TEI_NS}}}pb"))
    assert pbs[0].get("n") is None and pbs[0].get("facs") == "#page-1"
    assert [pb.get("n") for pb in pbs[1:]] == [str(i) for i in range(1, len(pbs))]
