"""Structured document + source metadata → TEI P5 tree, following the house style
(docs/tei-house-style.md): every artefact cleaning removed is encoded, not deleted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TypeVar

from lxml import etree

from .. import __version__
from ..decisions import (
    RULE_CONFIDENCE,
    STEP_FORME,
    STEP_HEADINGS,
    STEP_HYPHENATION,
    STEP_NOTES,
    STEP_OF_CHOICE,
    STEP_READING,
    cert_value,
    heading_confidence,
)
from ..labels import LABELS
from ..metadata import SourceInfo
from ..model import (
    BiblList,
    Block,
    Choice,
    Division,
    Foreign,
    FormeWork,
    Inline,
    LineBreak,
    ListItem,
    ListNode,
    Node,
    Note,
    NoteRef,
    PageBreak,
    Quote,
    Ref,
    StructuredDocument,
    Text,
)
from . import TEI_NS, XML_ID, XML_LANG, tei
from .decisions import number_decisions
from .reading import UNTITLED, in_language
from .textslot import append_to_slot

N = TypeVar("N")
LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English", "tr": "Turkish", "de": "German"}


def encode_tei(document: StructuredDocument, source: SourceInfo, consume: bool = False) -> etree._ElementTree:
    """consume: the document's divisions and blocks are taken out of it as they are encoded, so that
    a large document is not held twice (as nodes and as the tree); it is left empty."""
    # lxml-stubs do not allow None, lxml's key for the default namespace
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})  # type: ignore[dict-item]
    root.set(XML_LANG, _main_language(source))
    root.append(_header(document, source))
    text = _sub(root, "text")
    if document.front:
        front = _sub(text, "front")
        for division in _taken(document.front, consume):
            _append_node(front, division, consume)
    body = _sub(text, "body")
    for node in _taken(document.body, consume):  # never empty: structure/empty.py gives an empty text a paragraph
        _append_node(body, node, consume)
    if document.back:
        back = _sub(text, "back")
        for division in _taken(document.back, consume):
            _append_node(back, division, consume)
    number_decisions(root)
    return etree.ElementTree(root)


def _taken(nodes: list[N], consume: bool) -> Iterator[N]:
    """The nodes in order; when consuming, each leaves the list as it is handed out (so it is freed
    once encoded)."""
    if not consume:
        yield from nodes
        return
    nodes.reverse()
    while nodes:
        yield nodes.pop()


def _main_language(source: SourceInfo) -> str:
    return source.catalog.language or "kk"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tei(tag))
    for key, value in attrs.items():
        element.set(XML_ID if key == "xml_id" else XML_LANG if key == "xml_lang" else key, value)
    if text is not None:
        element.text = text
    return element


# ---- header -------------------------------------------------------------------------------------

def _header(document: StructuredDocument, source: SourceInfo) -> etree._Element:
    header = etree.Element(tei("teiHeader"))
    file_desc = _sub(header, "fileDesc")
    _title_stmt(file_desc, document, source)
    _publication_stmt(file_desc, source)
    _notes_stmt(file_desc, document)
    _source_desc(file_desc, document, source)
    _encoding_desc(header, document, source)
    _profile_desc(header, document, source)
    revision = _sub(header, "revisionDesc")
    stats = document.clean.stats
    _sub(revision, "change",
         f"Converted from {'the PDF' if source.file_name.lower().endswith('.pdf') else 'the extracted text'} "
         f"{source.file_name} by kzarchive {__version__}: "
         f"{stats.get('blocks', 0)} blocks, {stats.get('page_numbers', 0)} page numbers, "
         f"{stats.get('hyphens_joined', 0)} hyphens joined, {stats.get('hyphens_kept', 0)} kept, "
         f"{stats.get('syllable_joins', 0)} syllable-split words rejoined.",
         when=source.conversion_date)
    return header


def document_title(document: StructuredDocument, source: SourceInfo) -> str:
    """The catalog's title, else what the source says (a scraped header, a journal article's
    title); never a section heading such as КІРІСПЕ; else an explicit 'untitled'."""
    return (source.catalog.title or document.title or document.clean.facts.title
            or _first_article_title(document, _main_language(source))
            or f"{in_language(UNTITLED, _main_language(source))} ({source.file_name})")



def _headed_articles(document: StructuredDocument) -> list[Division]:
    return [n for n in document.body if isinstance(n, Division) and n.type == "article" and n.heads]


def _first_article_title(document: StructuredDocument, language: str = "kk") -> str:
    """One article (a fragment aside): its title. Several: a supplied title naming them all,
    so that the file is not catalogued under one of its articles."""
    articles = _headed_articles(document)
    if len(articles) == 1:
        return articles[0].head_text()
    if len(articles) > 1:
        return f"{in_language(JOURNAL_EXTRACT, language)}: " + "; ".join(a.head_text() for a in articles)
    return ""


JOURNAL_EXTRACT = LABELS["journal-extract"]


def _authors(document: StructuredDocument, source: SourceInfo) -> list[str]:
    """The catalog's, else what the source says; for a one-article extract its byline."""
    if source.catalog.authors or document.authors:
        return list(source.catalog.authors) or document.authors
    articles = _headed_articles(document)
    if len(articles) == 1 and not source.catalog.title:
        return [" ".join(b.plain_text().split()) for b in articles[0].bylines if b.plain_text().strip()]
    return []


def _title_stmt(file_desc: etree._Element, document: StructuredDocument, source: SourceInfo) -> None:
    stmt = _sub(file_desc, "titleStmt")
    _sub(stmt, "title", document_title(document, source), type="main")
    for author in _authors(document, source):
        _sub(stmt, "author", author)


def _publication_stmt(file_desc: etree._Element, source: SourceInfo) -> None:
    stmt = _sub(file_desc, "publicationStmt")
    _sub(stmt, "authority", "kzarchive archival conversion")
    _sub(stmt, "idno", f"urn:sha256:{source.sha256}", type="URN")
    _sub(stmt, "date", source.conversion_date, when=source.conversion_date)
    availability = _sub(stmt, "availability")
    if source.catalog.licence:
        _sub(availability, "licence", source.catalog.licence)
    else:
        availability.set("status", "unknown")
        _sub(availability, "p", "The source does not state its licence.")


def _notes_stmt(file_desc: etree._Element, document: StructuredDocument) -> None:
    debris = document.clean.facts.debris
    if not debris:
        return
    notes = _sub(file_desc, "notesStmt")
    note = _sub(notes, "note", type="debris")
    note.text = "Web-page text around the document, removed from the reading text: "
    for index, line in enumerate(debris):
        if index:
            _sub(note, "lb")
        _sub(note, "seg", line)


def _source_desc(file_desc: etree._Element, document: StructuredDocument, source: SourceInfo) -> None:
    desc = _sub(file_desc, "sourceDesc")
    bibl = _sub(desc, "bibl")
    catalog, facts = source.catalog, document.clean.facts
    _sub(bibl, "title", catalog.title or facts.title or document_title(document, source))
    for author in _authors(document, source):
        _sub(bibl, "author", author)
    if catalog.publisher:
        _sub(bibl, "publisher", catalog.publisher)
    date = catalog.date or facts.date
    if date:
        _sub(bibl, "date", date, when=date) if _is_iso_date(date) else _sub(bibl, "date", date)
    if catalog.source:
        _sub(bibl, "note", catalog.source, type="source")
    if facts.doc_type or facts.category:
        _sub(bibl, "note", " — ".join(x for x in (facts.doc_type, facts.category) if x), type="genre")
    if facts.description:
        _sub(bibl, "note", facts.description, type="description")
    if facts.source_id:
        _sub(bibl, "idno", facts.source_id, type="catalogue")
    _sub(bibl, "idno", source.file_name, type="filename")
    _sub(bibl, "idno", source.sha256, type="sha256")
    _sub(bibl, "extent", f"{source.size} bytes, read as {source.encoding}")


def _is_iso_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value))


def _encoding_desc(header: etree._Element, document: StructuredDocument, source: SourceInfo) -> None:
    desc = _sub(header, "encodingDesc")
    app_info = _sub(desc, "appInfo")
    application = _sub(app_info, "application", ident="kzarchive", version=__version__)
    _sub(application, "label", "kzarchive")
    decl = _sub(desc, "editorialDecl")
    grouped: dict[str, list[tuple[str, str]]] = {"normalization": [(STEP_READING,
        f"Read as {source.encoding}; {source.removed_controls} control characters that XML cannot hold removed.")]}
    for element, step_id, sentence in document.clean.steps:
        grouped.setdefault(element, []).append((step_id, sentence))
    for element in ("correction", "normalization", "hyphenation", "segmentation", "interpretation"):
        if element not in grouped:
            continue
        node = _sub(decl, element, eol="hard") if element == "hyphenation" else _sub(decl, element)
        for step_id, sentence in grouped[element]:
            _sub(node, "p", sentence, xml_id=step_id)


def _profile_desc(header: etree._Element, document: StructuredDocument, source: SourceInfo) -> None:
    profile = _sub(header, "profileDesc")
    usage = _sub(profile, "langUsage")
    main = _main_language(source)
    languages = [main] + sorted(lang for lang in document.languages if lang != main)
    for lang in languages:
        _sub(usage, "language", LANGUAGE_NAMES.get(lang, lang), ident=lang)


# ---- text ---------------------------------------------------------------------------------------

def _append_node(parent: etree._Element, node: Node, consume: bool = False) -> None:
    if isinstance(node, Division):
        _append_division(parent, node, consume)
    elif isinstance(node, ListNode):
        _append_list(parent, node)
    elif isinstance(node, BiblList):
        list_bibl = _sub(parent, "listBibl")
        for entry in node.entries:
            _append_block(list_bibl, entry)
    else:
        _append_block(parent, node)


def _append_division(parent: etree._Element, division: Division, consume: bool = False) -> None:
    attrs = {"type": division.type}
    if division.subtype:
        attrs["subtype"] = division.subtype
    if division.xml_id:
        attrs["xml_id"] = division.xml_id
    if division.n:
        attrs["n"] = division.n
    if division.lang:
        attrs["xml_lang"] = division.lang
    div = _sub(parent, "div", **attrs)
    for head in division.heads:
        _append_block(div, head)
    if division.bylines:
        byline = _sub(div, "byline")
        for author in division.bylines:
            doc_author = _sub(byline, "docAuthor")
            _append_inlines(doc_author, author.inlines)
    _append_children(div, division.children, consume)  # structure/empty.py leaves no division without content


def _append_children(parent: etree._Element, children: list[Node], consume: bool = False) -> None:
    """Blocks, lists and subdivisions in order; loose list items are gathered into lists."""
    run: list[Block] = []
    for child in _taken(children, consume):
        if isinstance(child, Block) and child.kind == "item":
            run.append(child)
            continue
        if run:
            _append_list(parent, ListNode(run[0].rend or "bulleted", [ListItem(b) for b in run]))
            run = []
        _append_node(parent, child, consume)
    if run:
        _append_list(parent, ListNode(run[0].rend or "bulleted", [ListItem(b) for b in run]))


def _append_list(parent: etree._Element, node: ListNode) -> None:
    attrs = {"rend": node.rend} if node.rend and node.rend != "contents" else {}
    list_el = _sub(parent, "list", **attrs)
    for item in node.items:
        item_el = _sub(list_el, "item")
        if item.block.label:
            _sub(item_el, "label", item.block.label)
        if item.block.lang:
            item_el.set(XML_LANG, item.block.lang)
        _append_inlines(item_el, item.block.inlines)
        for sub in item.sublists:
            _append_list(item_el, sub)


_BLOCK_TAGS = {"p": "p", "head": "head", "bibl": "bibl", "byline": "byline", "title": "head", "note": "p", "item": "p"}


def _append_block(parent: etree._Element, block: Block) -> None:
    if block.kind in ("milestone", "separator"):
        _append_inlines(parent, block.inlines)
        return
    if block.kind == "caption":  # the picture is not in the extracted text: a figure with its caption
        figure = _sub(parent, "figure", **({"xml_id": block.xml_id} if block.xml_id else {}))
        head = _sub(figure, "head", **({"xml_lang": block.lang} if block.lang else {}))
        _append_inlines(head, block.inlines)
        return
    attrs: dict[str, str] = {}
    if block.xml_id:
        attrs["xml_id"] = block.xml_id
    if block.kind == "bibl" and block.number:
        attrs["n"] = block.number
    if block.lang:
        attrs["xml_lang"] = block.lang
    if _BLOCK_TAGS.get(block.kind) == "head":
        attrs.update(_decided(STEP_HEADINGS, heading_confidence(block.div_type)))
    element = _sub(parent, _BLOCK_TAGS.get(block.kind, "p"), **attrs)
    _append_inlines(element, block.inlines)


def _append_inlines(parent: etree._Element, inlines: list[Inline]) -> None:
    for node in inlines:
        if isinstance(node, Text):
            _append_text(parent, node.text)
        elif isinstance(node, LineBreak):
            _append_line_break(parent, node)
        elif isinstance(node, PageBreak):
            attrs = {}
            if node.n:
                attrs["n"] = node.n
            if node.xml_id:
                attrs["xml_id"] = node.xml_id
            if node.inside_word:
                attrs["break"] = "no"
            attrs.update(_decided(STEP_FORME, RULE_CONFIDENCE["pageNum" if node.n else "page-turn"]))
            if node.facs:
                attrs["facs"] = f"#{node.facs}"
            _sub(parent, "pb", **attrs)
        elif isinstance(node, FormeWork):
            _sub(parent, "fw", node.text, type=node.kind, **_decided(STEP_FORME, RULE_CONFIDENCE[node.kind]))
        elif isinstance(node, Choice):
            confidence = RULE_CONFIDENCE[node.reason] if node.confidence is None else node.confidence
            choice = _sub(parent, "choice", **_decided(STEP_OF_CHOICE[node.reason], confidence))
            orig = _sub(choice, "orig")
            _append_inlines(orig, node.orig)
            _sub(choice, "reg", node.reg)
        elif isinstance(node, Note):
            attrs = {"place": "foot", "n": node.n} if node.kind == "foot" else {"place": "foot", "type": "url"}
            note = _sub(parent, "note", **attrs)
            if node.xml_id:
                note.set(XML_ID, node.xml_id)
            if node.lang:
                note.set(XML_LANG, node.lang)
            if node.kind == "foot":
                for key, value in _decided(STEP_NOTES, RULE_CONFIDENCE["note"]).items():
                    note.set(key, value)
            _append_inlines(note, node.content)
        elif isinstance(node, NoteRef):
            _append_text(parent, node.glued)
        elif isinstance(node, Ref):
            ref = _sub(parent, "ref", type=node.type, target=node.target)
            _append_inlines(ref, node.content)
        elif isinstance(node, Foreign):
            foreign = _sub(parent, "foreign", xml_lang=node.lang)
            _append_inlines(foreign, node.content)
        elif isinstance(node, Quote):
            quote = _sub(parent, "quote", xml_lang=node.lang)
            _append_inlines(quote, node.content)


def _append_line_break(parent: etree._Element, node: LineBreak) -> None:
    if node.kind == "space":
        _append_text(parent, "\n")
        _sub(parent, "lb")
        return
    rule = "joined" if node.kind == "joined" else "hyphen"
    decided = _decided(STEP_HYPHENATION, RULE_CONFIDENCE[rule] if node.confidence is None else node.confidence)
    if node.kind == "hyphen-break":
        _sub(parent, "lb", **{"break": "no", "rend": "hyphen"}, **decided)
    else:
        _sub(parent, "lb", **{"break": "no"}, **decided)


def _decided(step_id: str, confidence: float) -> dict[str, str]:
    """@resp and @cert of a cleaning decision: the header step that made it, how sure it was."""
    return {"resp": f"#{step_id}", "cert": cert_value(confidence)}


def _append_text(parent: etree._Element, text: str) -> None:
    append_to_slot(parent, text)  # not len(parent): it walks every child (quadratic on many <lb/>)
