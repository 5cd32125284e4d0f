"""Cleaning of PDF artefacts, on the real samples and on small texts built here."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest
from lxml import etree

from kzarchive.clean import clean_text, reading_paragraphs
from kzarchive.clean.lines import page_number_of
from kzarchive.model import Choice, FormeWork, LineBreak, PageBreak, Text
from kzarchive.tei import TEI_NS
from kzarchive.tei.reading import reading_text

NS = {"t": TEI_NS}
BODY_LINE = "Қазақстан Республикасының сыртқы саясаты көпвекторлы сипатқа ие болып отыр және бұл "


_WORDS = ["мемлекет", "саясат", "тарих", "қоғам", "экономика", "қауіпсіздік", "ынтымақтастық", "даму"]
_counter = iter(range(10**6))


def _wrapped(paragraphs: int = 6) -> list[str]:
    """Paragraphs wrapped at about 85 characters, every line different (as real text is)."""
    lines = []
    for _ in range(paragraphs):
        n = next(_counter)
        word = _WORDS[n % len(_WORDS)]
        lines += [BODY_LINE.replace("бұл", f"{n} жылы") + word, f"мүддесін қорғайды, ал оның {n}-бағыты мен {word} саласындағы міндеттері",
                  f"құжаттарда берілген және {n} рет талқыланды."]
    return lines


def _all_text(tree: etree._ElementTree) -> str:
    return " ".join(reading_text(p) for p in tree.getroot().iterfind(".//t:body//t:p", NS))


# ---- real samples ------------------------------------------------------------------------------

def test_dissertation_page_numbers_become_page_breaks(tei_trees) -> None:
    root = tei_trees["001"].getroot()
    numbers = [pb.get("n") for pb in root.iterfind(".//t:pb", NS)]
    assert numbers == ["14", "19", "22", "23", "50", "52", "68", "73", "98", "143"]
    assert [fw.text for fw in root.iterfind(".//t:fw[@type='pageNum']", NS)] == numbers
    for pb in root.iterfind(".//t:pb", NS):
        parent = pb.getparent().tag.split("}")[1]
        assert parent in ("p", "div", "body", "item", "list", "bibl", "listBibl", "head", "back"), parent
    reading = _all_text(tei_trees["001"])
    assert " 143 " not in f" {reading} "


def test_running_head_inside_a_sentence_is_forme_work_and_the_sentence_reads_whole(tei_trees) -> None:
    root = tei_trees["004"].getroot()
    heads = root.findall(".//t:fw[@type='header']", NS)
    assert len(heads) == 1 and heads[0].text.startswith("АҚШ-тың Ор та лық Азияға")
    paragraph = heads[0].getparent()
    assert paragraph.tag == f"{{{TEI_NS}}}p"
    assert "бо ла тын. Бұл мақсатты жүзеге асыруда" in reading_text(paragraph).replace("болатын", "бо ла тын")


def test_real_hyphens_stay_and_break_hyphens_go(tei_trees) -> None:
    text_000 = _all_text(tei_trees["000"])
    assert "КСРО-ны" in text_000 or "КСРО-ға" in text_000
    assert "күш-жігері" in text_000
    text_004 = _all_text(tei_trees["004"])
    assert "жеткізген" in text_004 and "жет-кізген" not in text_004


def test_dissertation_paragraphs_are_not_broken_mid_sentence(tei_trees) -> None:
    paragraphs = [reading_text(p) for p in tei_trees["001"].getroot().iterfind(".//t:body//t:p", NS)]
    broken = [(a[-30:], b[:30]) for a, b in pairwise(paragraphs) if b[:1].islower() and not a.endswith((".", ":", ";"))]
    assert broken == []
    assert len(paragraphs) > 300


def test_scraped_header_goes_to_the_tei_header(tei_trees) -> None:
    root = tei_trees["002"].getroot()
    header = root.find("t:teiHeader", NS)
    debris = " ".join(" ".join(header.find("t:fileDesc/t:notesStmt/t:note", NS).itertext()).split())
    assert "519 KB" in debris and "PAGE 3" in debris and "А также другие работы" in debris
    body = "".join(root.find("t:text", NS).itertext())
    assert "519 KB" not in body and "1 чел." not in body and "А также другие работы" not in body
    bibl = header.find("t:fileDesc/t:sourceDesc/t:bibl", NS)
    assert bibl.findtext("t:date", namespaces=NS) == "2015-04-29"
    assert bibl.findtext("t:idno[@type='catalogue']", namespaces=NS) == "88291"


def test_cyrillic_letters_in_urls_are_regularised_with_the_original_kept(tei_trees) -> None:
    root = tei_trees["002"].getroot()
    choices = [c for c in root.iterfind(".//t:choice", NS) if "cv" in "".join(c.find("t:orig", NS).itertext())]
    assert choices
    assert all(ch.isascii() for ch in choices[0].findtext("t:reg", namespaces=NS))
    assert "і" in "".join(choices[0].find("t:orig", NS).itertext())


def test_syllable_split_text_is_repaired_only_in_004(converted_tei) -> None:
    assert converted_tei["004"].stats["syllable_joins"] > 1500
    for key in ("000", "001", "002", "003"):
        assert converted_tei[key].stats.get("syllable_joins", 0) == 0, key


# ---- small built cases -------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "number"), [("14", "14"), ("- 14 -", "14"), ("— 14 —", "14"), ("14 бет", "14"),
                                               ("  7  ", "7"), ("PAGE 3", "3")])
def test_page_number_styles(line: str, number: str) -> None:
    assert page_number_of(line) == number


@pytest.mark.parametrize("line", ["1996 жылы", "14.", "[14]", "14-15", "XIV"])
def test_numbers_that_belong_to_the_text_are_not_page_numbers(line: str) -> None:
    assert page_number_of(line) is None


def test_page_number_inside_a_paragraph_becomes_a_page_break_there() -> None:
    lines = _wrapped(3)
    lines[4:4] = ["", "15", ""]  # the page turns in the middle of the second paragraph
    document = clean_text("\n".join(lines))
    holders = [b for b in document.blocks if any(isinstance(n, PageBreak) for n in b.inlines)]
    assert len(holders) == 1 and holders[0].kind == "p"
    nodes = holders[0].inlines
    page = next(n for n in nodes if isinstance(n, PageBreak))
    assert page.n == "15"
    assert any(isinstance(n, FormeWork) and n.kind == "pageNum" and n.text == "15" for n in nodes)
    assert "15" not in holders[0].plain_text()


def test_year_on_its_own_line_after_a_later_page_stays_text() -> None:
    lines = _wrapped(2) + ["", "120", ""] + _wrapped(2) + ["", "45", ""] + _wrapped(1)
    document = clean_text("\n".join(lines))
    assert document.stats["page_numbers"] == 1  # "45" runs backwards after page 120


def test_form_feed_is_an_unnumbered_page_break() -> None:
    text = "\n".join(_wrapped(2)) + "\f" + "\n".join(_wrapped(2))
    document = clean_text(text)
    assert document.stats["form_feeds"] == 1
    assert any(isinstance(n, PageBreak) and n.n is None for b in document.blocks for n in b.inlines)


def test_blank_line_inside_a_sentence_is_an_unnumbered_page_turn() -> None:
    """Where blank lines part paragraphs, a blank line inside a sentence is a page turn."""
    first, second = _wrapped(1), _wrapped(1)
    cut = first[:2] + ["", first[2]]  # "… міндеттері" ⏎⏎ "құжаттарда берілген …": mid-sentence
    text = "\n\n".join(["\n".join(cut[:2]), "\n".join(cut[3:]), "\n".join(second)])
    document = clean_text(text)
    paragraphs = [b for b in document.blocks if b.kind == "p"]
    assert len(paragraphs) == 2  # the sentence is one paragraph again
    turns = [n for n in paragraphs[0].inlines if isinstance(n, PageBreak)]
    assert len(turns) == 1 and turns[0].n is None
    assert document.stats["unnumbered_page_turns"] == 1
    assert not any(isinstance(n, PageBreak) for n in paragraphs[1].inlines)  # a paragraph end is no page turn


def test_no_page_turn_where_every_line_is_followed_by_a_blank() -> None:
    text = "\n\n".join(_wrapped(3))  # 001's style: blank lines carry no meaning
    document = clean_text(text)
    assert document.stats.get("unnumbered_page_turns", 0) == 0
    assert not any(isinstance(n, PageBreak) for b in document.blocks for n in b.inlines)


def test_running_head_without_number_marks_a_page_turn(tei_trees, converted_tei) -> None:
    """004 prints no page numbers: its title repeated mid-sentence is a running head, and a page
    turned there; its other four page turns fall on blank lines inside sentences."""
    body = tei_trees["004"].getroot().find(".//t:body", NS)
    heads = body.findall(".//t:fw[@type='header']", NS)
    assert heads
    for head in heads:
        before = head.getprevious()
        assert before is not None and before.tag == f"{{{TEI_NS}}}pb" and before.get("n") is None
    assert converted_tei["004"].stats["unnumbered_page_turns"] == 4
    assert len(body.findall(".//t:pb", NS)) == len(heads) + 4


def test_recurring_running_head_with_page_numbers_is_forme_work() -> None:
    lines: list[str] = []
    for page in range(10, 15):
        lines += [f"ҚазҰУ хабаршысы. Халықаралық қатынастар сериясы {page}", ""] + _wrapped(4) + [""]
    document = clean_text("\n".join(lines))
    paragraphs = [b.plain_text() for b in document.blocks if b.kind != "milestone"]
    assert not any("хабаршысы" in p for p in paragraphs)
    assert document.stats["running_headers"] == 5
    pages = [n.n for b in document.blocks for n in b.inlines if isinstance(n, PageBreak)]
    assert pages == ["10", "11", "12", "13", "14"]


@pytest.mark.parametrize("style", ["blank-after-every-line", "blank-between", "no-blank", "mixed"])
def test_paragraphs_unwrap_in_every_extraction_style(style: str) -> None:
    paragraphs = [_wrapped(1) for _ in range(6)]
    if style == "blank-after-every-line":
        text = "\n\n".join(line for p in paragraphs for line in p)
    elif style == "blank-between":
        text = "\n\n".join("\n".join(p) for p in paragraphs)
    elif style == "no-blank":
        text = "\n".join(line for p in paragraphs for line in p)
    else:
        text = "\n\n".join(line for p in paragraphs[:3] for line in p) + "\n\n" + "\n".join(line for p in paragraphs[3:] for line in p)
    result = reading_paragraphs(text)
    assert len(result) == 6
    assert all(r.startswith("Қазақстан") and r.endswith("талқыланды.") for r in result)


def test_one_paragraph_per_line_style() -> None:
    long = (BODY_LINE * 3).strip() + "."
    result = reading_paragraphs("\n\n".join([long] * 5))
    assert len(result) == 5


def test_line_end_hyphens_are_decided_and_recorded() -> None:
    text = "\n".join([BODY_LINE + "мәселе-", "лерді шешуде КСРО-", "ның тәжірибесін ескереді."])
    document = clean_text(text)
    block = document.blocks[0]
    kinds = [n.kind for n in block.inlines if isinstance(n, LineBreak)]
    assert kinds == ["hyphen-break", "hyphen-kept"]
    assert "мәселелерді шешуде КСРО-ның" in block.plain_text()


def test_character_hygiene_keeps_quotes_and_records_changes() -> None:
    document = clean_text("«Тәуелсіз\u00a0мемлекет» ел\u00adдің “бiлiм” саясаты.")
    block = document.blocks[0]
    assert block.plain_text() == "«Тәуелсіз мемлекет» елдің “білім” саясаты."
    choices = [n for n in block.inlines if isinstance(n, Choice)]
    assert [c.orig[0].text for c in choices if isinstance(c.orig[0], Text)] == ["“бiлiм”"]
    assert document.stats["odd_spaces"] == 1 and document.stats["invisible_marks"] == 1


def test_roman_numeral_typed_with_cyrillic_i_is_latin() -> None:
    from kzarchive.clean.lookalikes import fix_token

    assert fix_token("XVІІІ-XІX") == "XVIII-XIX" and fix_token("XXІ") == "XXI"
    assert fix_token("ІІ") == "ІІ"  # all-Cyrillic: nothing to tell it from Cyrillic letters
    assert fix_token("Ішкі") == "Ішкі"


def test_cleaning_steps_are_described_for_the_header() -> None:
    document = clean_text("\n".join(_wrapped(2)))
    elements = Counter(element for element, _, _ in document.steps)
    assert {"normalization", "hyphenation", "segmentation", "correction"} <= set(elements)


def test_padded_line_ends_a_paragraph_only_at_a_sentence_end() -> None:
    """Extractors pad a paragraph's last line with spaces (000, 003) — and sometimes a line inside
    a sentence whose next line starts with a citation or a name's initials."""
    first, second, third = _wrapped(1), _wrapped(1), _wrapped(1)
    lines = [first[0], first[1], "құжаттарда берілген және баршаға ортақ нәрсе тек экономика екеніне назар аударды  ",
             "[6,46]. " + first[2], second[0],
             "бірге Қазақстан Республикасының мемлекеттік хатшысы әрі сыртқы істер министрі  ",
             "Қ.К. Тоқаевтың " + second[1], second[2] + "  ", third[0], third[1], third[2]]
    document = clean_text("\n".join(lines))
    paragraphs = [b.plain_text() for b in document.blocks if b.kind == "p"]
    assert len(paragraphs) == 3, paragraphs  # the padded sentence end still ends its paragraph
    assert "назар аударды [6,46]." in " ".join(paragraphs[0].split())
    assert "министрі Қ.К. Тоқаевтың" in " ".join(paragraphs[1].split())
    assert paragraphs[2].startswith(third[0])


# ---- legacy encodings (002) --------------------------------------------------------------------

def test_cp1251_read_as_cp1252_is_decoded_with_the_source_kept() -> None:
    text = "\n\n".join(_wrapped(1)) + "\n\n46 Ñáîðíèê äîêóìåíòîâ ïîä ðåä. Ê.Òîêàåâà. Àëìàòû,1998ã. ñ.261.\n"
    document = clean_text(text)
    block = [b for b in document.blocks if b.kind == "p"][-1]
    assert "Сборник документов под ред. К.Токаева. Алматы,1998г. с.261." in block.plain_text()
    choices = [n for n in block.inlines if isinstance(n, Choice)]
    assert choices[0].orig[0].text == "Ñáîðíèê" and choices[0].reg == "Сборник"
    assert document.stats["encoding_fixes"] == 7


def test_accented_latin_words_are_not_taken_for_mojibake() -> None:
    text = "Неміс ғалымы Müller мен түрік ғалымы Ölçü Gül бұл мәселені зерттеді."
    document = clean_text(text)
    assert "Müller" in document.blocks[0].plain_text() and "Ölçü Gül" in document.blocks[0].plain_text()
    assert document.stats.get("encoding_fixes", 0) == 0


def test_kazakh_letters_of_a_legacy_font_are_restored_and_quotes_kept() -> None:
    text = ("Бұл мәселелер орыс “отаршылдары” мен “жергілікті” ұлт өкілдеріні” арасындағы "
            "қатынастарыны” де”гейіне дейін көтерілді.” Бұл туралы айтылды.")
    document = clean_text(text)
    reading = document.blocks[0].plain_text()
    assert "өкілдерінің арасындағы қатынастарының деңгейіне" in reading
    assert "“отаршылдары” мен “жергілікті” ұлт" in reading
    assert "көтерілді.” Бұл" in reading  # a closing quote after a full stop is a quote
    assert document.stats["encoding_fixes"] == 3


def test_002_footnotes_in_a_legacy_encoding_are_readable(tei_trees) -> None:
    root = tei_trees["002"].getroot()
    note = root.xpath("//t:note[@n='46']", namespaces=NS)[0]
    assert "Сборник документов под ред. К.Токаева" in reading_text(note)
    assert note.xpath(".//t:orig[.='Ñáîðíèê']", namespaces=NS)  # the source form is kept
    note_45 = root.xpath("//t:note[@n='45']", namespaces=NS)[0]
    assert "Қ.Тоқаев: Қазақстан Республикасының Дипломатиясы" in reading_text(note_45)
    body = " ".join(reading_text(p) for p in root.iterfind(".//t:text//t:p", NS))
    assert not any("\u00c0" <= ch <= "\u00ff" for ch in body)


def test_figure_caption_line_is_a_block_of_its_own() -> None:
    """001: "…тұр ма? (сурет 18)." then "Сурет 18" on its own line, where the chart was."""
    lines = _wrapped(1)[:2] + ["ұлттық бірегейлікке басқа мемлекеттер тарапынан қауіп төніп тұр ма? (сурет 18). ",
                               " Сурет 18 ", "Сурет 18 көрсеткендей, респонденттердің басым бөлігі «иә» деп жауап берді."]
    document = clean_text("\n".join(lines))
    texts = [" ".join(b.plain_text().split()) for b in document.blocks if b.kind == "p"]
    assert "Сурет 18" in texts
    assert texts[-1].startswith("Сурет 18 көрсеткендей")


@pytest.mark.parametrize("text", [
    "Жәшіктердің өлшемдері: 10×20×30 см, 5×5×5 см және 1×2×3 см болды.",  # × is no letter
    "Türkiye'nin üçüncü güçlü ölçü sistemi Müller ile çalışır.",  # ASCII letters: not cp1251
    "Вона є. Це правда.",  # a lone Ukrainian є is no legacy қ
])
def test_legacy_repair_leaves_real_text_alone(text: str) -> None:
    document = clean_text(text)
    assert " ".join(document.blocks[0].plain_text().split()) == text
    assert document.stats.get("encoding_fixes", 0) == 0


def test_legacy_repair_sees_quotes_across_line_ends_and_ignores_the_documents_own_garble() -> None:
    across = clean_text("Ол былай деп жаздық: “Ұлт-\nтың ұлы Әлемні” деп айтты.")
    assert "Әлемні” деп" in across.blocks[0].plain_text()  # the ” closes the “ opened before the line end
    garbled = clean_text("Іазаєстан Республикасыны” Президенті келді. Іазаєстан туралы. Іазаєстан жайлы.")
    assert garbled.blocks[0].plain_text().count("Қазақстан") == 3


def test_sentence_starting_with_a_figure_reference_is_no_caption() -> None:
    lines = _wrapped(1) + ["Сурет 1-де көрсетілгендей, 2020 жылы экспорт көлемі айтарлықтай",
                           "өсті және бұл үрдіс жалғасты."]
    document = clean_text("\n".join(lines))
    assert document.blocks[-1].plain_text().startswith("Сурет 1-де көрсетілгендей")
    assert "экспорт көлемі айтарлықтай өсті" in " ".join(document.blocks[-1].plain_text().split())


def test_a_real_initial_i_stays_where_no_mojibake_confirms_the_legacy_font() -> None:
    document = clean_text("І. Есенберлин мен Іазаєстан туралы. І. Есенберлин кітабы.")
    assert document.blocks[0].plain_text() == "І. Есенберлин мен Қазақстан туралы. І. Есенберлин кітабы."
