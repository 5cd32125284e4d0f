"""Document structure: articles, heading hierarchy, contents links, lists, bibliographies and
citations, footnotes, languages. Expectations are read off the sources by hand."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from lxml import etree

from kzarchive.model import (
    BiblList,
    Block,
    Choice,
    CleanDocument,
    Division,
    HeaderFacts,
    LineBreak,
    ListNode,
    Note,
    Quote,
    Ref,
    StructuredDocument,
    Text,
)
from kzarchive.structure import structure_document
from kzarchive.structure.citations import cited_numbers
from kzarchive.structure.languages import detect_language
from kzarchive.tei import TEI_NS, XML_ID, XML_LANG

NS = {"t": TEI_NS}
BRACKET_CITATION = re.compile(r"\[\d{1,3}(?:\s*[,;][^\[\]]{0,60})?\]")


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _articles(tree: etree._ElementTree) -> list[etree._Element]:
    return tree.getroot().findall("t:text/t:body/t:div[@type='article']", NS)


def _ids(tree: etree._ElementTree) -> set[str]:
    return set(tree.getroot().xpath("//@xml:id"))


# ---- articles ---------------------------------------------------------------------------------

def test_000_is_a_fragment_and_one_article(tei_trees) -> None:
    articles = _articles(tei_trees["000"])
    assert [a.get("subtype") for a in articles] == ["fragment", None]
    assert articles[0].find("t:head", NS) is None
    assert _text(articles[1].find("t:head", NS)) == "Н.НАЗАРБАЕВ ЖӘНЕ КСРО-НЫҢ ЫДЫРАУЫ"
    assert [_text(a) for a in articles[1].findall("t:byline/t:docAuthor", NS)] == ["Дүйсен С. Ж."]


def test_003_holds_a_fragment_and_two_articles(tei_trees) -> None:
    articles = _articles(tei_trees["003"])
    assert len(articles) == 3 and articles[0].get("subtype") == "fragment"
    heads = [_text(a.find("t:head", NS)) for a in articles[1:]]
    assert heads == ["ҚАЗАҚСТАН-НАТО ЫНТЫМАҚТАСТЫҒЫНЫҢ ӘСКЕРИ-САЯСИ АСПЕКТІЛЕРІ",
                     "ОПЫТ ИСТОРИКО-КУЛЬТУРНОГО СОТРУДНИЧЕСТВА С ТУРЦИЕЙ ВО ВНЕШНЕЙ ПОЛИТИКЕ РК"]
    assert articles[1].find("t:byline", NS) is None  # the NATO article prints no author
    assert [_text(a) for a in articles[2].findall("t:byline/t:docAuthor", NS)] == ["Л.Т. Исова"]
    # the extract stops inside the Turkey article ("То, что в дальнейшем"): it is a fragment too
    assert articles[2].get("subtype") == "fragment" and articles[1].get("subtype") is None
    assert [a.get(XML_ID) for a in articles] == ["art-0", "art-1", "art-2"]


def test_extract_titles_name_their_articles(tei_trees) -> None:
    """No catalog title: a one-article extract takes its article's title and byline; several articles
    get a supplied title naming them all, not the title of one of them."""
    def title_and_authors(key: str) -> tuple[str, list[str]]:
        stmt = tei_trees[key].getroot().find("t:teiHeader/t:fileDesc/t:titleStmt", NS)
        return _text(stmt.find("t:title", NS)), [_text(a) for a in stmt.findall("t:author", NS)]

    assert title_and_authors("000") == ("Н.НАЗАРБАЕВ ЖӘНЕ КСРО-НЫҢ ЫДЫРАУЫ", ["Дүйсен С. Ж."])
    title, authors = title_and_authors("003")
    assert title == ("Журнал нөмірінен үзінді: ҚАЗАҚСТАН-НАТО ЫНТЫМАҚТАСТЫҒЫНЫҢ ӘСКЕРИ-САЯСИ АСПЕКТІЛЕРІ; "
                     "ОПЫТ ИСТОРИКО-КУЛЬТУРНОГО СОТРУДНИЧЕСТВА С ТУРЦИЕЙ ВО ВНЕШНЕЙ ПОЛИТИКЕ РК")
    assert authors == []  # the byline belongs to one article, not to the file


def test_003_separator_is_forme_work_not_text(tei_trees) -> None:
    separators = tei_trees["003"].getroot().findall(".//t:fw[@type='separator']", NS)
    assert len(separators) == 1
    assert separators[0].getparent().tag == f"{{{TEI_NS}}}div"
    assert not any("____" in _text(p) for p in tei_trees["003"].getroot().iter(f"{{{TEI_NS}}}p"))


# ---- headings and contents ----------------------------------------------------------------------

def test_001_chapters_nest_their_sections(tei_trees) -> None:
    body = tei_trees["001"].getroot().find("t:text/t:body", NS)
    chapters = body.findall("t:div[@type='chapter']", NS)
    assert [c.get("n") for c in chapters] == ["1", "2", "3"]
    for chapter in chapters:
        sections = [s.get("n") for s in chapter.findall("t:div[@type='section']", NS)]
        assert sections == [f"{chapter.get('n')}.{i}" for i in (1, 2, 3)]
    assert [d.get("type") for d in body.findall("t:div", NS)][0] == "introduction"
    assert body.findall("t:div", NS)[-1].get("type") == "conclusion"


def test_002_contents_items_point_at_existing_divisions(tei_trees) -> None:
    tree = tei_trees["002"]
    contents = tree.getroot().find("t:text/t:front/t:div[@type='contents']", NS)
    refs = contents.findall(".//t:item/t:ref", NS)
    assert len(refs) == 12  # [1] … [6] with the six sub-entries of [2] and [3]
    ids = _ids(tree)
    for ref in refs:
        assert ref.get("target").startswith("#") and ref.get("target")[1:] in ids, _text(ref)
        target = tree.getroot().xpath("//*[@xml:id=$i]", i=ref.get("target")[1:])[0]
        assert target.tag == f"{{{TEI_NS}}}div"
    # nested as the labels nest: "[2]" holds "[2.1]" … "[2.3]"
    second = contents.xpath("t:list/t:item[t:label='[2]']", namespaces=NS)[0]
    assert [label.text for label in second.findall("t:list/t:item/t:label", NS)] == ["[2.1]", "[2.2]", "[2.3]"]


def test_002_contents_finds_the_chapter_without_pattern(tei_trees) -> None:
    """"2. ТМД мемлекеттерінің …" is a chapter only because the contents list names it."""
    body = tei_trees["002"].getroot().find("t:text/t:body", NS)
    heads = [_text(d.find("t:head", NS)) for d in body.findall("t:div[@type='chapter']", NS)]
    assert "2. ТМД мемлекеттерінің әскери саладағы ынтымақтастығы" in heads


# ---- lists --------------------------------------------------------------------------------------

def test_001_questionnaire_questions_carry_their_options(tei_trees) -> None:
    root = tei_trees["001"].getroot()
    questions = [item for item in root.iterfind(".//t:list[@rend='numbered']/t:item", NS)
                 if item.find("t:list[@rend='dash']", NS) is not None]
    assert len(questions) >= 20
    yes_no = [q for q in questions if [_text(o) for o in q.findall("t:list/t:item", NS)] == ["-иә", "-жоқ"]]
    assert len(yes_no) >= 12
    assert all(q.find("t:label", NS) is not None and q.find("t:label", NS).text.isdigit() for q in questions)


def test_002_bullets_are_a_bulleted_list(tei_trees) -> None:
    lists = tei_trees["002"].getroot().findall(".//t:list[@rend='bulleted']", NS)
    first = lists[0].findall("t:item", NS)
    assert len(first) == 4 and first[0].find("t:label", NS).text == "•"
    assert _text(first[1]).endswith("Интеграция теориясын қарастыру;")


# ---- bibliographies and citations ---------------------------------------------------------------

def test_002_reference_lists(tei_trees) -> None:
    root = tei_trees["002"].getroot()
    lists = root.findall(".//t:listBibl", NS)
    assert all(bibl_list.getparent().get("type") == "bibliography" for bibl_list in lists)
    assert [len(bibl_list.findall("t:bibl", NS)) for bibl_list in lists] == [10, 8, 30, 5]
    for bibl_list in lists:
        assert [b.get("n") for b in bibl_list.findall("t:bibl", NS)] == [
            str(i) for i in range(1, len(bibl_list.findall("t:bibl", NS)) + 1)]
    assert len({b.get(XML_ID) for b in root.iter(f"{{{TEI_NS}}}bibl") if b.get(XML_ID)}) == 53


@pytest.mark.parametrize("key, minimum", [("000", 30), ("001", 200)])
def test_citations_without_a_reference_list_stay_text(key, minimum, tei_trees) -> None:
    """000 and 001 (as extracted) print no reference list: no citation may point anywhere."""
    root = tei_trees[key].getroot()
    assert root.find(".//t:listBibl", NS) is None
    assert root.find(".//t:ref[@type='bibl']", NS) is None
    text = " ".join(_text(p) for p in root.iter(f"{{{TEI_NS}}}p"))
    assert len(BRACKET_CITATION.findall(text)) >= minimum


def test_every_ref_target_exists(tei_trees) -> None:
    for key, tree in tei_trees.items():
        ids = _ids(tree)
        for ref in tree.getroot().iter(f"{{{TEI_NS}}}ref"):
            assert all(t[1:] in ids for t in ref.get("target").split()), (key, ref.get("target"))


def test_cited_numbers() -> None:
    assert cited_numbers("5,347-348") == ["5"]
    assert cited_numbers("197, 232 б.") == ["197"]
    assert cited_numbers("1; 3") == ["1", "3"]
    assert cited_numbers("Назарбаев") is None


# ---- notes --------------------------------------------------------------------------------------

def test_002_notes_sit_at_their_calls(tei_trees) -> None:
    root = tei_trees["002"].getroot()
    notes = root.findall(".//t:body//t:note[@place='foot'][@n]", NS)
    # the source prints notes 26–98; 88 and 90 are called after a space at a paragraph's end
    assert [int(n.get("n")) for n in notes] == list(range(26, 99))
    assert not root.findall(".//t:div[@type='notes']", NS)  # no note left without its call
    for note in notes:
        call = note.getprevious()
        assert call is not None and call.tag == f"{{{TEI_NS}}}choice", note.get("n")
        assert call.findtext("t:orig", namespaces=NS).strip() == note.get("n")
        assert _text(note).startswith(note.get("n") + " ")
        assert note.get(XML_ID) == f"note-{note.get('n')}"
    first = root.xpath("//t:note[@n='26']", namespaces=NS)[0]
    assert (first.getprevious().getprevious().tail or "").endswith("латын сөзінен шыққан.")
    assert _text(first).startswith("26 Энциклопедический словарь")


def test_003_stray_url_is_a_url_note(tei_trees) -> None:
    notes = tei_trees["003"].getroot().findall(".//t:note[@type='url']", NS)
    assert [_text(n) for n in notes] == ["http://www.mfa.gov.tr/"]
    paragraph = notes[0].getparent()
    assert paragraph.tag == f"{{{TEI_NS}}}p" and notes[0].getnext() is None  # it closes its paragraph
    assert _text(paragraph).startswith("НАТО-Қазақстан қатынастары 1992 жылы")


# ---- languages ----------------------------------------------------------------------------------

def test_000_russian_quote_is_marked(tei_trees) -> None:
    quotes = tei_trees["000"].getroot().findall(".//t:p/t:quote", NS)
    assert [q.get(XML_LANG) for q in quotes] == ["ru"]
    assert "оптимальный выбор" in _text(quotes[0])
    assert quotes[0].getparent().get(XML_LANG) is None  # the paragraph itself stays Kazakh


def test_003_russian_article_is_marked(tei_trees) -> None:
    articles = _articles(tei_trees["003"])
    assert [a.get(XML_LANG) for a in articles] == [None, None, "ru"]
    langs = [language.get("ident") for language in tei_trees["003"].getroot().iter(f"{{{TEI_NS}}}language")]
    assert langs == ["kk", "ru"]


def test_002_russian_references_are_marked(tei_trees) -> None:
    bibls = tei_trees["002"].getroot().findall(".//t:listBibl/t:bibl", NS)
    russian = [b for b in bibls if b.get(XML_LANG) == "ru"]
    assert len(russian) >= 35
    assert not any(b.get(XML_LANG) == "ru" for b in bibls if "Қазақстан Республикасының" in _text(b))


def test_kazakh_paragraph_with_russian_name_stays_kazakh() -> None:
    assert detect_language("Ресейлік ғалым Ольга Ивановна Видова өз еңбегінде бұл туралы жазды.") == "kk"
    assert detect_language("Человек энергичный, не будет довеском, в политическом плане крупная фигура.") == "ru"
    assert detect_language("Сонда 31 бет") is None  # too short to judge
    assert detect_language("Ñáîðíèê äîêóìåíòîâ ïîä ðåä. Ê.Òîêàåâà. Àëìàòû") is None  # mis-decoded


# ---- small built cases --------------------------------------------------------------------------

def _document(*paragraphs: str) -> StructuredDocument:
    blocks = []
    for number, paragraph in enumerate(paragraphs, start=1):
        inlines: list = []
        for index, line in enumerate(paragraph.split("\n")):
            if index:
                inlines.append(LineBreak("space", number))
            inlines.append(Text(line))
        kind = "item" if paragraph.startswith("•") else "p"
        blocks.append(Block(kind, inlines, number, number))
    return structure_document(CleanDocument(blocks, HeaderFacts(), {}, []))


def _walk(nodes: list) -> list:
    found = []
    for node in nodes:
        found.append(node)
        if isinstance(node, Division):
            found += _walk(node.children)
        elif isinstance(node, BiblList):
            found += node.entries
        elif isinstance(node, ListNode):
            for item in node.items:
                found.append(item.block)
                for sub in item.sublists:
                    found += _walk([sub])
    return found


def test_lettered_items_keep_their_letters_and_never_continue_a_numbered_run() -> None:
    """002: "2) …", "3) …", then the sub-heading "в) …" (в is the 4th letter) is not item 4."""
    document = _document("Факторлар:", "2) салық саясатының айырмашылығы;", "3) Ресейдің ролінің түсуі.",
                         "в) Экономикалық жағдайды тұрақтандыру кезеңі:", "Ұсыныстар:",
                         "а) заңнаманы жетілдіру керек;", "ә) ынтымақтастықты дамыту керек;",
                         "б) диалогты сақтау керек.")
    lists = [n for n in _walk(document.body) if isinstance(n, ListNode)]
    assert len(lists) == 1
    assert [i.block.label for i in lists[0].items] == ["а)", "ә)", "б)"]
    assert [i.block.plain_text() for i in lists[0].items][0] == "заңнаманы жетілдіру керек;"
    russian_order = _document("Кезеңдер:", "а) бірінші кезең;", "б) екінші кезең;", "в) үшінші кезең.")
    lists = [n for n in _walk(russian_order.body) if isinstance(n, ListNode)]
    assert [[i.block.label for i in list_node.items] for list_node in lists] == [["а)", "б)", "в)"]]


def test_bullets_become_a_list_with_labels() -> None:
    document = _document("Мақсаттары:", "•  бірінші міндет;", "•  екінші міндет.", "Соңғы абзац.")
    lists = [n for n in _walk(document.body) if isinstance(n, ListNode)]
    assert len(lists) == 1 and lists[0].rend == "bulleted"
    assert [i.block.label for i in lists[0].items] == ["•", "•"]
    assert [i.block.plain_text() for i in lists[0].items] == ["бірінші міндет;", "екінші міндет."]


def test_a_lone_dash_paragraph_is_not_a_list() -> None:
    document = _document("Бірінші абзац мәтіні.", "- деп жауап берді ол.", "Үшінші абзац.")
    assert not [n for n in _walk(document.body) if isinstance(n, ListNode)]


def _refs(document: StructuredDocument) -> list[Ref]:
    return [n for b in _walk(document.body) if isinstance(b, Block) for n in b.inlines if isinstance(n, Ref)]


def test_citation_resolves_only_to_an_existing_entry() -> None:
    document = _document(
        "КІРІСПЕ", "Бұл туралы жазылған [1, 25-26]. Басқа дерек [7] табылмады, ал [1; 2] екеуіне сілтейді.",
        "ӘДЕБИЕТТЕР ТІЗІМІ", "1. Назарбаев Н.Ә. Ғасырлар тоғысында. – Алматы: Өнер, 1996. – 272 б.",
        "2. Сұлтанов Қ. Қазақстан және әлем. – Алматы, 2001.")
    bibl_lists = [n for n in _walk(document.back) if isinstance(n, BiblList)]
    assert [[e.number for e in bibl_list.entries] for bibl_list in bibl_lists] == [["1", "2"]]
    refs = _refs(document)
    assert [(r.target, "".join(t.text for t in r.content if isinstance(t, Text))) for r in refs] == [
        ("#bibl-1", "[1, 25-26]"), ("#bibl-1 #bibl-2", "[1; 2]")]
    assert document.stats["citations_resolved"] == 2 and document.stats["citations_unresolved"] == 1


def test_trailing_notes_bind_to_calls_in_order() -> None:
    document = _document("Бірінші сөйлем аяқталды.1 Екінші сөйлем 1991 жылы болды.2", "Үшінші пікір.3",
                         "1 Бірінші ескерту.", "2 Екінші ескерту.", "3 Үшінші ескерту.")
    notes = [n for b in _walk(document.body) if isinstance(b, Block) for n in b.inlines if isinstance(n, Note)]
    assert [n.n for n in notes] == ["1", "2", "3"]
    assert document.stats["notes_bound"] == 3


def test_call_after_a_space_at_a_sentence_end_binds_only_as_the_next_note() -> None:
    document = _document("Бірінші сөйлем аяқталды.1 Екінші сөйлем аяқталды. 2", "Үшінші пікір. 7 Наурыз күні.",
                         "Төртінші пікір айтылды. 3 Сосын бәрі келісті.",
                         "1 Бірінші ескерту.", "2 Екінші ескерту.", "3 Үшінші ескерту.", "4 Төртінші ескерту.")
    paragraphs = [b for b in _walk(document.body) if isinstance(b, Block)]
    notes = [n for b in paragraphs for n in b.inlines if isinstance(n, Note)]
    assert [n.n for n in notes] == ["1", "2", "3"]  # "7 Наурыз" is a date, not the expected note 3
    assert "7 Наурыз" in paragraphs[1].plain_text()
    second = paragraphs[0].inlines
    call = second[second.index(notes[1]) - 1]
    assert isinstance(call, Choice) and call.orig[0].text == " 2"  # the space is kept with the call


def test_ids_are_deterministic() -> None:
    texts = ("КІРІСПЕ", "Мәтін [1].", "ӘДЕБИЕТТЕР ТІЗІМІ", "1. Автор А. Кітап. – Алматы, 2000.")
    first, second = _document(*texts), _document(*texts)
    ids = lambda d: [getattr(n, "xml_id", "") for n in _walk(d.body + d.back)]  # noqa: E731
    assert ids(first) == ids(second) and "bibl-1" in ids(first)


def test_quote_in_other_language_is_wrapped() -> None:
    document = _document("Ол былай деді: «Человек энергичный, не будет довеском, в политическом плане "
                         "крупная фигура» деп жазды автор өз кітабында.")
    quotes = [n for b in _walk(document.body) if isinstance(b, Block) for n in b.inlines if isinstance(n, Quote)]
    assert [q.lang for q in quotes] == ["ru"]
    assert Counter(document.languages) == Counter({"ru": 1})


def test_001_figure_captions_are_figures(tei_trees) -> None:
    """001's charts did not survive the extraction; their captions ("Сурет 18") did: each is a
    <figure> with its head, and "Сурет 18 көрсеткендей, …" stays a paragraph."""
    root = tei_trees["001"].getroot()
    heads = [" ".join(_text(f.find("t:head", NS)).split()) for f in root.iter(f"{{{TEI_NS}}}figure")]
    # the source prints 26 caption lines: Сурет 1–27 without 14, whose caption line is missing
    assert heads == [f"Сурет {n}" for n in range(1, 28) if n != 14]
    paragraphs = [_text(p) for p in root.iter(f"{{{TEI_NS}}}p")]
    assert any(p.startswith("Сурет 18 көрсеткендей") for p in paragraphs)
    assert not any(p.strip() == "Сурет 18" or p.endswith("(сурет 18). Сурет 18") for p in paragraphs)
