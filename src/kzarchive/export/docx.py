"""DOCX reader edition of a TEI master, built with python-docx.

Reads only the TEI file, so hand corrections to the master reach the edition. python-docx covers the
document body and styles; what it lacks (footnotes, fields, language and hyphenation settings,
reproducible zip output) is written here as OOXML directly.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from lxml import etree

from ..errors import ExportError, KzError
from ..fsutil import atomic_write_bytes
from ..tei import TEI_NS, XML_ID, XML_LANG, tei
from ..tei.parse import parse_tei_file
from ..tei.reading import Metadata, element_lang, in_language, normalize_space, read_metadata

# --- fixed choices -------------------------------------------------------------------------------

# Word wants region-qualified language tags for its proofing tools; TEI uses bare ISO 639 codes.
WORD_LANGUAGE = {
    "kk": "kk-KZ",
    "ru": "ru-RU",
    "en": "en-US",
    "tr": "tr-TR",
    "de": "de-DE",
    "fr": "fr-FR",
    "uz": "uz-Latn-UZ",
    "ky": "ky-KG",
    "tt": "tt-RU",
    "ar": "ar-SA",
    "zh": "zh-CN",
}
# Zip timestamps must not come from the clock; 1980-01-01 is the earliest date zip can store.
STYLES_WITH_EFFECTS_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FALLBACK_DATE = datetime(1980, 1, 1)
TOC_TITLE = "Мазмұны"
TOC_PLACEHOLDER = "Мазмұнды жаңарту үшін F9 пернесін басыңыз."
TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '

# Style ids: built-in ones from python-docx's template, custom ones added by _add_styles().
TITLE, SUBTITLE, NORMAL, QUOTE, CAPTION = "Title", "Subtitle", "Normal", "Quote", "Caption"
TOC_HEADING = "TOCHeading"
BIBLIOGRAPHY = "Bibliography"
BYLINE = "Byline"
FOOTNOTE_TEXT = "FootnoteText"
FOOTNOTE_REFERENCE = "FootnoteReference"
PAGE_MARKER = "PageMarker"
HYPERLINK = "Hyperlink"

CUSTOM_STYLES = {
    BIBLIOGRAPHY: """<w:style {ns} w:type="paragraph" w:styleId="Bibliography">
        <w:name w:val="Bibliography"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="37"/>
        <w:unhideWhenUsed/><w:pPr><w:spacing w:after="120"/><w:ind w:left="567" w:hanging="567"/></w:pPr>
        </w:style>""",
    BYLINE: """<w:style {ns} w:type="paragraph" w:customStyle="1" w:styleId="Byline">
        <w:name w:val="Byline"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
        <w:rPr><w:i/><w:iCs/></w:rPr></w:style>""",
    FOOTNOTE_TEXT: """<w:style {ns} w:type="paragraph" w:styleId="FootnoteText">
        <w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>
        <w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
        <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>""",
    FOOTNOTE_REFERENCE: """<w:style {ns} w:type="character" w:styleId="FootnoteReference">
        <w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>
        <w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>
        </w:style>""",
    PAGE_MARKER: """<w:style {ns} w:type="character" w:customStyle="1" w:styleId="PageMarker">
        <w:name w:val="Page Marker"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>
        <w:rPr><w:noProof/><w:color w:val="808080"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>
        </w:style>""",
    HYPERLINK: """<w:style {ns} w:type="character" w:styleId="Hyperlink">
        <w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>
        <w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>""",
}

_DIVS = {"div", *(f"div{n}" for n in range(1, 8))}
_STRUCTURE = {"text", "front", "body", "back", "group"}
# Always paragraphs (or containers of paragraphs), wherever they stand.
_ALWAYS_BLOCK = _DIVS | _STRUCTURE | {
    "p", "ab", "head", "list", "listBibl", "table", "row", "cell", "lg", "l", "figure", "byline",
    "opener", "closer", "trailer", "epigraph", "argument", "titlePage", "docTitle", "titlePart", "item",
    "sp",
}
# Paragraphs when they stand between paragraphs, phrases when they stand inside one.
_BLOCK_WHEN_CONTAINED = {"quote", "cit", "bibl", "docAuthor", "docDate", "docImprint", "dateline", "signed"}
_CONTAINERS = _DIVS | _STRUCTURE | {"listBibl", "titlePage"}
_BYLINE_LIKE = {"byline", "docAuthor", "docDate", "dateline", "signed"}
_QUOTE_LIKE = {"quote", "cit", "epigraph"}
_LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")
_SPACE_RUN = re.compile(r"\s+")
_BOOKMARK_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


# --- inline model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    anchor: str | None = None  # Word bookmark inside the document
    url: str | None = None  # external address


@dataclass(frozen=True)
class RunLook:
    """How a stretch of text is marked: language (when not the document's), emphasis, link."""

    lang: str | None = None
    italic: bool = False
    bold: bool = False
    underline: bool = False
    small_caps: bool = False
    vert: str | None = None
    link: Link | None = None


@dataclass
class TextPiece:
    text: str
    look: RunLook


@dataclass
class PageMarker:
    n: str
    inside_word: bool  # pb break="no": shown after the word so spell-check sees the word whole


@dataclass
class NoteCall:
    note: etree._Element


Piece = TextPiece | PageMarker | NoteCall


@dataclass
class ParagraphLook:
    style_id: str
    num_id: int | None = None  # restarted numbering for a numbered list
    unnumbered_level: int = 0  # >0: a list item that prints its own label; no automatic number


@dataclass
class Styles:
    """Paragraph styles for a run of paragraphs: the first may differ (a list item's first paragraph
    carries the bullet, later ones continue it)."""

    first: str
    rest: str | None = None
    num_id: int | None = None
    unnumbered_level: int = 0
    used: bool = False

    def next(self) -> ParagraphLook:
        if self.used and self.rest:
            return ParagraphLook(self.rest)
        self.used = True
        return ParagraphLook(self.first, self.num_id, self.unnumbered_level)


# --- rendering state ------------------------------------------------------------------------------


@dataclass
class Story:
    """Where paragraphs go: the document body or one footnote."""

    container: etree._Element
    part: Part
    last_paragraph: etree._Element | None = None
    section_properties: etree._Element | None = field(init=False)

    def __post_init__(self) -> None:
        # Looked up once: searching the body for it on every paragraph would be quadratic.
        self.section_properties = self.container.find(qn("w:sectPr"))

    def add_paragraph(self) -> etree._Element:
        paragraph = OxmlElement("w:p")
        if self.section_properties is not None:  # the body's sectPr must stay last
            self.section_properties.addprevious(paragraph)
        else:
            self.container.append(paragraph)
        self.last_paragraph = paragraph
        return paragraph


@dataclass
class Footnotes:
    part: XmlPart
    next_id: int = 1
    numbers: list[str] = field(default_factory=list)  # the TEI note numbers, in document order

    @property
    def element(self) -> etree._Element:
        return self.part.element


@dataclass
class Shared:
    """State shared by the whole export, whichever story is being written."""

    doc: DocxDocument
    page_markers: bool
    bookmarks: dict[str, str]
    pending_markers: list[PageMarker] = field(default_factory=list)
    pending_bookmark: str | None = None
    next_bookmark_id: int = 0
    footnotes: Footnotes | None = None


@dataclass(frozen=True)
class Context:
    shared: Shared
    story: Story
    doc_lang: str
    div_depth: int = 0
    list_level: int = 0
    in_footnote: bool = False


# --- public API -----------------------------------------------------------------------------------


def export_docx(tei_path: Path, out_path: Path, *, page_markers: bool = True) -> None:
    """Write a DOCX reader edition of the TEI master at tei_path to out_path (atomically)."""
    tei_path, out_path = Path(tei_path), Path(out_path)
    try:
        tree = parse_tei_file(tei_path)
        data = build_docx_bytes(tree, page_markers=page_markers)
        atomic_write_bytes(out_path, data)
    except ExportError:
        raise
    except KzError as exc:
        raise ExportError(_one_line(str(exc))) from exc
    except OSError as exc:
        raise ExportError(_one_line(f"{out_path}: cannot write DOCX: {exc.strerror or exc}")) from exc
    except Exception as exc:  # noqa: BLE001 - the exporter's boundary: one line, never a traceback
        raise ExportError(_one_line(f"{tei_path}: DOCX export failed: {type(exc).__name__}: {exc}")) from exc


def build_docx_bytes(tree: etree._ElementTree, *, page_markers: bool = True) -> bytes:
    """The DOCX file for a parsed TEI document, as bytes (deterministic)."""
    root = tree.getroot()
    text = root.find(tei("text"))
    if root.tag != tei("TEI") or root.find(tei("teiHeader")) is None or text is None:
        raise ExportError(f"{tree.docinfo.URL or '<tei>'}: not a TEI document (TEI/teiHeader/text missing)")
    metadata = read_metadata(tree)
    doc_lang = root.get(XML_LANG) or "kk"
    document = docx.Document()
    _prepare_document(document, doc_lang)
    shared = Shared(document, page_markers, _bookmark_names(text))
    ctx = Context(shared, Story(document.element.body, document.part), doc_lang)
    _add_title_page(ctx, metadata)
    _render_block(text, ctx, Styles(NORMAL))
    _flush_page_markers(ctx)
    if shared.footnotes is not None:
        _number_footnotes_as_the_source(document, shared.footnotes.numbers)
    _set_core_properties(document, metadata, root, doc_lang)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic_zip(buffer.getvalue())


# --- document set-up ------------------------------------------------------------------------------


def _prepare_document(document: DocxDocument, doc_lang: str) -> None:
    _drop_template_leftovers(document)
    _add_styles(document)
    _set_default_language(document, word_language(doc_lang))
    _adjust_settings(document, word_language(doc_lang))
    _set_page_layout(document)
    _add_page_number_footer(document)


def _drop_template_leftovers(document: DocxDocument) -> None:
    """The template's thumbnail shows an empty page and stylesWithEffects repeats en-US defaults."""
    package_rels = document.part.package.rels
    for rel_id in [r.rId for r in package_rels.values() if r.reltype == RT.THUMBNAIL]:
        del package_rels[rel_id]
    for rel_id in [r.rId for r in document.part.rels.values() if r.reltype == STYLES_WITH_EFFECTS_RELATIONSHIP]:
        document.part.drop_rel(rel_id)


def _add_styles(document: DocxDocument) -> None:
    styles = document.styles.element
    existing = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    for style_id, xml in CUSTOM_STYLES.items():
        if style_id not in existing:
            styles.append(parse_xml(xml.format(ns=nsdecls("w"))))


def _set_default_language(document: DocxDocument, word_lang: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    lang = _child(run_defaults, "w:lang")
    lang.set(qn("w:val"), word_lang)
    lang.set(qn("w:eastAsia"), "en-US")  # Word's own choice when no East Asian language is in use
    lang.set(qn("w:bidi"), "ar-SA")


# CT_Settings is a strict sequence; these are the elements that must follow the ones we add.
_AFTER_AUTO_HYPHENATION = (
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope", "summaryLength",
    "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting",
    "bookFoldPrinting", "bookFoldPrintingSheets", "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData",
    "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
    "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema",
    "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
    "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields",
)
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)
_AFTER_FOOTNOTE_PR = _AFTER_UPDATE_FIELDS[2:]


def _adjust_settings(document: DocxDocument, word_lang: str) -> None:
    settings = document.settings.element
    for proof_state in settings.findall(qn("w:proofState")):  # "spelling clean" would skip the check
        settings.remove(proof_state)
    _insert_setting(settings, OxmlElement("w:autoHyphenation"), _AFTER_AUTO_HYPHENATION)
    _insert_setting(settings, OxmlElement("w:updateFields"), _AFTER_UPDATE_FIELDS)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), word_lang)


def _insert_setting(settings: etree._Element, element: etree._Element, successors: Iterable[str]) -> None:
    if settings.find(element.tag) is not None:
        return
    for name in successors:
        follower = settings.find(qn(f"w:{name}"))
        if follower is not None:
            follower.addprevious(element)
            return
    settings.append(element)


def _set_page_layout(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, the paper the sources use
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(20)


def _add_page_number_footer(document: DocxDocument) -> None:
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in _field_runs(" PAGE ", "1"):
        paragraph._p.append(run)


def _field_runs(instruction: str, placeholder: str, *, dirty: bool = False) -> list[etree._Element]:
    """The runs of a complex field: begin, instruction, separate, shown result, end."""
    begin = _field_char("begin")
    if dirty:
        begin[0].set(qn("w:dirty"), "true")
    instr = OxmlElement("w:r")
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = instruction
    instr.append(instr_text)
    return [begin, instr, _field_char("separate"), _text_run(placeholder, None), _field_char("end")]


def _field_char(kind: str) -> etree._Element:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _add_title_page(ctx: Context, metadata: Metadata) -> None:
    title_lines = ((TITLE, metadata.title), (SUBTITLE, metadata.subtitle), (BYLINE, "; ".join(metadata.authors)))
    for style_id, text in title_lines:
        if text:
            paragraph = _new_paragraph(ctx, ParagraphLook(style_id))
            paragraph.append(_text_run(text, None))
    _new_paragraph(ctx, ParagraphLook(TOC_HEADING)).append(_text_run(TOC_TITLE, None))
    toc = _new_paragraph(ctx, ParagraphLook(NORMAL))
    for run in _field_runs(TOC_INSTRUCTION, TOC_PLACEHOLDER, dirty=True):
        toc.append(run)
    page_break = OxmlElement("w:r")  # own paragraph: LibreOffice turns the field paragraph into an index
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    page_break.append(br)
    _new_paragraph(ctx, ParagraphLook(NORMAL)).append(page_break)


# The document's own comment, in the edition's language.
# The longest value a DOCX core property may hold (python-docx and Word refuse longer ones).
MAX_PROPERTY_CHARS = 255
EDITION_NOTE = {
    "kk": "{source} оқырман басылымы: kzarchive{version} TEI негізгі файлынан жасаған.",
    "ru": "Читательское издание {source}, сделанное kzarchive{version} из мастер-файла TEI.",
    "en": "Reader edition of {source}, made from its TEI master by kzarchive{version}.",
}


def _set_core_properties(document: DocxDocument, metadata: Metadata, root: etree._Element, doc_lang: str) -> None:
    """Word's document properties. The format allows 255 characters a property: longer values are cut
    at a word with "…" there; the whole title and authors stand on the title page."""
    props = document.core_properties
    when = _parse_date(metadata.date)
    source = metadata.source_filename or "TEI"
    version = f" {metadata.kzarchive_version}" if metadata.kzarchive_version else ""
    texts = {
        "title": metadata.title,
        "subject": metadata.subtitle or (metadata.source_title if metadata.source_title != metadata.title else ""),
        "author": "; ".join(metadata.authors),
        "language": word_language(doc_lang),
        "identifier": metadata.source_sha256 or metadata.source_filename,
        "keywords": ", ".join(_keywords(root)),
        "category": "",
        "comments": in_language(EDITION_NOTE, doc_lang).format(source=source, version=version),
        "last_modified_by": "kzarchive",
    }
    for name, value in texts.items():
        setattr(props, name, fit_property(value))
    props.revision = 1
    props.created = when
    props.modified = when


def fit_property(value: str) -> str:
    """A value cut to MAX_PROPERTY_CHARS, at the last space when there is one near the end."""
    if len(value) <= MAX_PROPERTY_CHARS:
        return value
    cut = value[: MAX_PROPERTY_CHARS - 1]
    space = cut.rfind(" ")
    if space > MAX_PROPERTY_CHARS * 3 // 4:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def _keywords(root: etree._Element) -> list[str]:
    terms = root.iterfind(f".//{tei('textClass')}//{tei('term')}")
    return [t for t in (normalize_space("".join(term.itertext())) for term in terms) if t]


def _parse_date(value: str) -> datetime:
    match = _DATE.match(value.strip())
    if not match:
        return FALLBACK_DATE
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime(year, month, day)
    except ValueError:
        return datetime(year, 1, 1)


# --- block rendering ------------------------------------------------------------------------------


def _render_block(element: etree._Element, ctx: Context, styles: Styles) -> None:
    name = _local(element)
    if name in _DIVS:
        _render_div(element, ctx)
    elif name in _STRUCTURE:
        _flow(element, ctx, Styles(NORMAL))
    elif name == "head":
        _render_head(element, ctx)
    elif name == "list":
        _render_list(element, ctx)
    elif name == "listBibl":
        _flow(element, ctx, Styles(BIBLIOGRAPHY))
    elif name == "bibl":
        ctx.shared.pending_bookmark = ctx.shared.bookmarks.get(element.get(XML_ID, ""))
        _flow(element, ctx, Styles(BIBLIOGRAPHY))
        ctx.shared.pending_bookmark = None
    elif name in _QUOTE_LIKE:
        _flow(element, ctx, Styles(QUOTE))
    elif name in _BYLINE_LIKE:
        _flow(element, ctx, Styles(BYLINE))
    else:  # p, ab and anything unknown: its content as paragraphs, never dropped
        _flow(element, ctx, styles)


def _render_div(div: etree._Element, ctx: Context) -> None:
    ctx.shared.pending_bookmark = ctx.shared.bookmarks.get(div.get(XML_ID, ""))
    _flow(div, replace(ctx, div_depth=ctx.div_depth + 1), Styles(NORMAL))
    ctx.shared.pending_bookmark = None  # a div without a rendered head keeps no bookmark


def _render_head(head: etree._Element, ctx: Context) -> None:
    parent = head.getparent()
    if parent is None or _local(parent) not in _DIVS | _STRUCTURE:
        _render_caption(head, ctx)  # a list's or table's head names that block, not a section
        return
    pieces = _inline_pieces([head], head, ctx, content_of=head)
    # Page numbers inside a heading would end up in the table of contents: show them after it.
    deferred = [p for p in pieces if isinstance(p, PageMarker)]
    pieces = _settle([p for p in pieces if not isinstance(p, PageMarker)])
    if _has_text(pieces):
        _flush_page_markers(ctx)
        level = min(max(ctx.div_depth, 1), 9)
        paragraph = _new_paragraph(ctx, ParagraphLook(f"Heading{level}"))
        _fill(paragraph, pieces, ctx)
    ctx.shared.pending_markers.extend(deferred)


def _render_caption(head: etree._Element, ctx: Context) -> None:
    pieces = _inline_pieces([head], head, ctx, content_of=head)
    parent = head.getparent()
    if parent is not None and _local(parent) == "figure":  # Word's own caption style
        _emit_pieces(pieces, ctx, Styles(CAPTION))
        return
    for piece in pieces:
        if isinstance(piece, TextPiece):
            piece.look = replace(piece.look, bold=True)
    _emit_pieces(pieces, ctx, Styles(NORMAL))


def _render_list(lst: etree._Element, ctx: Context) -> None:
    level = ctx.list_level + 1
    kind = _list_kind(lst)
    suffix = "" if level == 1 else str(min(level, 3))
    style_id = {"bullet": "ListBullet", "number": "ListNumber", "plain": "List"}[kind] + suffix
    continue_id = f"ListContinue{suffix}"
    num_id = _restart_numbering(ctx.shared.doc, style_id) if kind == "number" else None
    inner = replace(ctx, list_level=level)
    for child in lst:
        if _local(child) == "item":
            has_label = child.find(tei("label")) is not None
            styles = Styles(style_id, continue_id, num_id, level if has_label else 0)
            _flow(child, inner, styles)
        elif isinstance(child.tag, str):
            _flow_nodes([], lst, inner, Styles(NORMAL), children=[child])
        if child.tail and child.tail.strip():
            _flow_nodes([child.tail], lst, inner, Styles(NORMAL))


def _list_kind(lst: etree._Element) -> str:
    words = f"{lst.get('rend', '')} {lst.get('type', '')}".lower().split()
    if any(w in ("numbered", "ordered", "decimal", "number") for w in words):
        return "number"
    if any(w in ("bulleted", "bullets", "bullet", "dash", "dashed", "unordered", "simple-bullet") for w in words):
        return "bullet"
    return "plain"


def _restart_numbering(document: DocxDocument, style_id: str) -> int | None:
    """A fresh w:num over the style's list definition, so each numbered list starts again at 1."""
    style_num = document.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]/w:pPr/w:numPr/w:numId/@w:val')
    if not style_num:
        return None
    numbering = document.part.numbering_part.element
    abstract = numbering.xpath(f'w:num[@w:numId="{style_num[0]}"]/w:abstractNumId/@w:val')
    if not abstract:
        return None
    nums = numbering.findall(qn("w:num"))
    new_id = max(int(n.get(qn("w:numId"))) for n in nums) + 1
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{abstract[0]}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    nums[-1].addnext(num)
    return new_id


def _flow(container: etree._Element, ctx: Context, styles: Styles) -> None:
    """Render a container's content: runs of inline content become paragraphs, block children
    render themselves."""
    nodes: list[str | etree._Element] = [container.text] if container.text else []
    _flow_nodes(nodes, container, ctx, styles, children=container)


def _flow_nodes(
    nodes: list[str | etree._Element],
    container: etree._Element,
    ctx: Context,
    styles: Styles,
    children: Iterable[etree._Element] = (),
) -> None:
    group = list(nodes)
    for child in children:
        if _is_block(child, container):
            _emit_group(group, container, ctx, styles)
            group = []
            _render_block(child, ctx, styles)
        else:
            group.append(child)
        if child.tail:
            group.append(child.tail)
    _emit_group(group, container, ctx, styles)


def _is_block(element: etree._Element, parent: etree._Element) -> bool:
    name = _local(element)
    if name in _ALWAYS_BLOCK:
        return True
    if name in _BLOCK_WHEN_CONTAINED:
        return _local(parent) in _CONTAINERS or any(_local(c) in _ALWAYS_BLOCK for c in element)
    return False


def _emit_group(group: list, container: etree._Element, ctx: Context, styles: Styles) -> None:
    if not group:
        return
    _emit_pieces(_inline_pieces(group, container, ctx), ctx, styles)


def _emit_pieces(pieces: list[Piece], ctx: Context, styles: Styles) -> None:
    if not _has_text(pieces):
        _place_textless(pieces, ctx)
        return
    pieces = _settle(_take_page_markers(ctx) + pieces)
    paragraph = _new_paragraph(ctx, styles.next())
    _fill(paragraph, pieces, ctx)


def _place_textless(pieces: list[Piece], ctx: Context) -> None:
    """Page breaks between paragraphs wait for the next paragraph; a note standing between
    paragraphs is called from the end of the previous one."""
    ctx.shared.pending_markers.extend(p for p in pieces if isinstance(p, PageMarker))
    calls = [p for p in pieces if isinstance(p, NoteCall)]
    if not calls:
        return
    paragraph = ctx.story.last_paragraph
    if paragraph is None:
        paragraph = _new_paragraph(ctx, ParagraphLook(NORMAL))
    _fill(paragraph, calls, ctx)


def _take_page_markers(ctx: Context) -> list[Piece]:
    markers: list[Piece] = list(ctx.shared.pending_markers)
    ctx.shared.pending_markers.clear()
    return markers


def _flush_page_markers(ctx: Context) -> None:
    """Page markers still waiting get a paragraph of their own (before a heading, at the end)."""
    if ctx.shared.pending_markers:
        paragraph = _new_paragraph(ctx, ParagraphLook(NORMAL), use_bookmark=False)
        _fill(paragraph, _settle(_take_page_markers(ctx)), ctx)


def _new_paragraph(ctx: Context, look: ParagraphLook, *, use_bookmark: bool = True) -> etree._Element:
    paragraph = ctx.story.add_paragraph()
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), look.style_id)
    properties.append(style)
    if look.unnumbered_level:
        properties.append(_numbering_properties(0))  # numId 0: the printed label is the number
        indent = OxmlElement("w:ind")
        indent.set(qn("w:left"), str(360 * look.unnumbered_level))
        indent.set(qn("w:hanging"), "360")
        properties.append(indent)
    elif look.num_id is not None:
        properties.append(_numbering_properties(look.num_id))
    paragraph.append(properties)
    if use_bookmark and ctx.shared.pending_bookmark:
        _add_bookmark(paragraph, ctx.shared.pending_bookmark, ctx.shared)
        ctx.shared.pending_bookmark = None
    return paragraph


def _numbering_properties(num_id: int) -> etree._Element:
    return parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    )


def _add_bookmark(paragraph: etree._Element, name: str, shared: Shared) -> None:
    bookmark_id = str(shared.next_bookmark_id)
    shared.next_bookmark_id += 1
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), bookmark_id)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), bookmark_id)
    paragraph.append(start)
    paragraph.append(end)


def _bookmark_names(text: etree._Element) -> dict[str, str]:
    """Word bookmark names for the TEI ids that become link targets: divisions with a head and
    bibliography entries. Names start with "_" (hidden in Word) and hold only [A-Za-z0-9_]."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for element in text.iter(tei("div"), tei("bibl")):
        tei_id = element.get(XML_ID)
        if not tei_id or tei_id in names or not _is_link_target(element):
            continue
        base = ("_" + _BOOKMARK_UNSAFE.sub("_", tei_id))[:36]
        name, counter = base, 1
        while name in taken:
            name, counter = f"{base}_{counter}", counter + 1
        taken.add(name)
        names[tei_id] = name
    return names


def _is_link_target(element: etree._Element) -> bool:
    if _local(element) == "div":
        return element.find(tei("head")) is not None
    parent = element.getparent()
    return parent is not None and _is_block(element, parent) and not _inside_note(element)


def _inside_note(element: etree._Element) -> bool:
    return any(_local(a) == "note" for a in element.iterancestors())


# --- inline rendering -----------------------------------------------------------------------------


def _inline_pieces(
    nodes: list, container: etree._Element, ctx: Context, *, content_of: etree._Element | None = None
) -> list[Piece]:
    """Pieces for inline nodes (strings and elements); with content_of, the nodes are that element's
    own content rather than the element itself."""
    look = RunLook(lang=_run_language(element_lang(container, ctx.doc_lang), ctx.doc_lang))
    pieces: list[Piece] = []
    if content_of is not None:
        _element_content(content_of, look, ctx, pieces)
        return pieces
    for node in nodes:
        if isinstance(node, str):
            pieces.append(TextPiece(node, look))
        else:
            _inline_element(node, look, ctx, pieces)
    return pieces


def _element_content(element: etree._Element, look: RunLook, ctx: Context, out: list[Piece]) -> None:
    if element.text:
        out.append(TextPiece(element.text, look))
    for child in element:
        _inline_element(child, look, ctx, out)
        if child.tail:
            out.append(TextPiece(child.tail, look))


def _inline_element(element: etree._Element, look: RunLook, ctx: Context, out: list[Piece]) -> None:
    if not isinstance(element.tag, str):  # comments and processing instructions
        return
    name = _local(element)
    if element.get(XML_LANG):
        look = replace(look, lang=_run_language(element.get(XML_LANG), ctx.doc_lang))
    if name in ("fw", "orig", "sic") and _has_reading_alternative(element):
        return
    if name == "fw":
        return
    if name == "lb":
        if element.get("break") != "no":
            out.append(TextPiece(" ", look))
    elif name == "pb":
        if ctx.shared.page_markers and element.get("n"):
            out.append(PageMarker(element.get("n"), element.get("break") == "no"))
    elif name == "note":
        _inline_note(element, look, ctx, out)
    elif name == "choice":
        _inline_choice(element, look, ctx, out)
    elif name in ("hi", "emph"):
        _element_content(element, _emphasis_look(element.get("rend", ""), look), ctx, out)
    elif name in ("ref", "ptr"):
        _inline_ref(element, look, ctx, out)
    elif name == "label":
        _element_content(element, look, ctx, out)
        out.append(TextPiece(" ", look))  # a printed number is followed by its text
    elif name in _ALWAYS_BLOCK or (name in _BLOCK_WHEN_CONTAINED
                                   and any(_local(c) in _ALWAYS_BLOCK for c in element)):
        out.append(TextPiece(" ", look))  # a paragraph-like element met inside a phrase: keep words apart
        _element_content(element, look, ctx, out)
        out.append(TextPiece(" ", look))
    else:  # unknown or purely semantic markup (foreign, term, title, name …): its text
        _element_content(element, look, ctx, out)


def _has_reading_alternative(element: etree._Element) -> bool:
    """orig/sic are hidden only when a choice offers reg/corr; fw is never reading text."""
    if _local(element) == "fw":
        return True
    parent = element.getparent()
    if parent is None or _local(parent) != "choice":
        return False
    wanted = {"orig": "reg", "sic": "corr"}[_local(element)]
    return parent.find(tei(wanted)) is not None


def _inline_choice(choice: etree._Element, look: RunLook, ctx: Context, out: list[Piece]) -> None:
    has_expan = choice.find(tei("expan")) is not None
    for child in choice:
        if _local(child) == "abbr" and has_expan:
            continue
        _inline_element(child, look, ctx, out)


def _inline_note(note: etree._Element, look: RunLook, ctx: Context, out: list[Piece]) -> None:
    if note.get("type") == "debris":  # dropped source debris, kept in the master only
        return
    if ctx.in_footnote:  # Word has no footnotes in footnotes: the inner note goes in brackets
        out.append(TextPiece(" (", look))
        _element_content(note, look, ctx, out)
        out.append(TextPiece(") ", look))
        return
    out.append(NoteCall(note))


def _inline_ref(ref: etree._Element, look: RunLook, ctx: Context, out: list[Piece]) -> None:
    targets = (ref.get("target") or "").split()  # TEI allows several; the first one is followed
    target = targets[0] if targets else ""
    link = None
    if target.startswith("#") and target[1:] in ctx.shared.bookmarks:
        link = Link(anchor=ctx.shared.bookmarks[target[1:]])
    elif target.lower().startswith(_LINK_SCHEMES):
        link = Link(url=target)
    linked = replace(look, link=link) if link else look
    if _local(ref) == "ptr" and not len(ref) and not ref.text:
        if link and link.url:
            out.append(TextPiece(target, linked))  # an empty pointer shows its address
        return
    _element_content(ref, linked, ctx, out)


def _emphasis_look(rend: str, look: RunLook) -> RunLook:
    words = set(re.split(r"[\s;,()]+", rend.lower())) - {""}
    changes: dict[str, object] = {}
    if words & {"italic", "italics", "i", "it", "em"}:
        changes["italic"] = True
    if words & {"bold", "b", "strong"}:
        changes["bold"] = True
    if words & {"underline", "u", "underlined"}:
        changes["underline"] = True
    if words & {"smallcaps", "small-caps", "sc"}:
        changes["small_caps"] = True
    if words & {"sup", "superscript"}:
        changes["vert"] = "superscript"
    if words & {"sub", "subscript"}:
        changes["vert"] = "subscript"
    if not changes:  # hi without a known rendition still stood out in the source
        changes["italic"] = True
    return replace(look, **changes)


def _settle(pieces: list[Piece]) -> list[Piece]:
    """Collapse whitespace across pieces, trim the paragraph's ends, merge neighbouring text of the
    same look, keep page markers apart from words (or after the word they split)."""
    out: list[Piece] = []
    waiting_in_word: list[PageMarker] = []
    after_space = True  # at the paragraph start leading spaces are dropped
    space_owed = False
    for piece in pieces:
        if isinstance(piece, TextPiece):
            text = _SPACE_RUN.sub(" ", piece.text)
            if after_space:
                text = text.lstrip(" ")
            if not text:
                continue
            if space_owed and not text.startswith(" "):
                text = " " + text
            space_owed = False
            if waiting_in_word and " " in text:
                word_end, rest = text.split(" ", 1)
                _append_text(out, word_end, piece.look)
                out.extend(waiting_in_word)
                waiting_in_word = []
                text = " " + rest
            _append_text(out, text, piece.look)
            after_space = text.endswith(" ")
        elif isinstance(piece, PageMarker) and piece.inside_word and out:
            waiting_in_word.append(piece)
        elif isinstance(piece, PageMarker):
            if out and not after_space:
                _append_text(out, " ", RunLook())
            out.append(piece)
            after_space, space_owed = False, True
        else:
            out.append(piece)
            after_space = False
    out.extend(waiting_in_word)
    out = _merge_same_look(out)
    _trim_end(out)
    return out


def _append_text(out: list[Piece], text: str, look: RunLook) -> None:
    if text:
        out.append(TextPiece(text, look))


def _merge_same_look(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring text of the same look as one piece, each run joined once (adding to the last
    piece's text one line at a time copies a growing string: quadratic in a long paragraph)."""
    merged: list[Piece] = []
    run: list[TextPiece] = []
    for piece in [*pieces, None]:
        if isinstance(piece, TextPiece) and (not run or run[0].look == piece.look):
            run.append(piece)
            continue
        if run:
            merged.append(TextPiece("".join(p.text for p in run), run[0].look))
            run = []
        if isinstance(piece, TextPiece):
            run.append(piece)
        elif piece is not None:
            merged.append(piece)
    return merged


def _trim_end(out: list[Piece]) -> None:
    while out and isinstance(out[-1], TextPiece):
        out[-1].text = out[-1].text.rstrip(" ")
        if out[-1].text:
            return
        out.pop()


def _has_text(pieces: list[Piece]) -> bool:
    return any(isinstance(p, TextPiece) and p.text.strip() for p in pieces)


# --- runs -----------------------------------------------------------------------------------------


def _fill(paragraph: etree._Element, pieces: list[Piece], ctx: Context) -> None:
    hyperlink: etree._Element | None = None
    current_link: Link | None = None
    for piece in pieces:
        run = _piece_run(piece, ctx)
        link = piece.look.link if isinstance(piece, TextPiece) else None
        if link is None:
            paragraph.append(run)
            hyperlink, current_link = None, None
            continue
        if link != current_link or hyperlink is None:
            hyperlink, current_link = _hyperlink(link, ctx), link
            paragraph.append(hyperlink)
        hyperlink.append(run)


def _piece_run(piece: Piece, ctx: Context) -> etree._Element:
    if isinstance(piece, TextPiece):
        return _text_run(piece.text, piece.look)
    if isinstance(piece, PageMarker):
        return _styled_run(f"|{piece.n}|", PAGE_MARKER)
    footnote_id = _render_footnote(piece.note, ctx)
    run = _styled_run(None, FOOTNOTE_REFERENCE)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(footnote_id))
    run.append(reference)
    return run


def _text_run(text: str, look: RunLook | None) -> etree._Element:
    run = OxmlElement("w:r")
    properties = _run_properties(look) if look else None
    if properties is not None:
        run.append(properties)
    run.append(_text_element(text))
    return run


def _styled_run(text: str | None, style_id: str) -> etree._Element:
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), style_id)
    properties.append(style)
    run.append(properties)
    if text is not None:
        run.append(_text_element(text))
    return run


def _text_element(text: str) -> etree._Element:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def _run_properties(look: RunLook) -> etree._Element | None:
    """w:rPr children in the order the schema requires (rStyle … vertAlign … lang)."""
    children: list[tuple[str, str | None]] = []
    if look.link and look.link.url:
        children.append(("w:rStyle", HYPERLINK))
    if look.bold:
        children += [("w:b", None), ("w:bCs", None)]
    if look.italic:
        children += [("w:i", None), ("w:iCs", None)]
    if look.small_caps:
        children.append(("w:smallCaps", None))
    if look.underline:
        children.append(("w:u", "single"))
    if look.vert:
        children.append(("w:vertAlign", look.vert))
    if look.lang:
        children.append(("w:lang", look.lang))
    if not children:
        return None
    properties = OxmlElement("w:rPr")
    for tag, value in children:
        child = OxmlElement(tag)
        if value is not None:
            child.set(qn("w:val"), value)
        properties.append(child)
    return properties


def _hyperlink(link: Link, ctx: Context) -> etree._Element:
    hyperlink = OxmlElement("w:hyperlink")
    if link.anchor:
        hyperlink.set(qn("w:anchor"), link.anchor)
    else:
        rel_id = ctx.story.part.relate_to(link.url, RT.HYPERLINK, is_external=True)
        hyperlink.set(qn("r:id"), rel_id)
    hyperlink.set(qn("w:history"), "1")
    return hyperlink


# --- footnotes ------------------------------------------------------------------------------------

_SEPARATORS = """
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"""


def _footnotes(ctx: Context) -> Footnotes:
    """The footnotes part, created on the first note (python-docx has no footnote API)."""
    shared = ctx.shared
    if shared.footnotes is None:
        document = shared.doc
        element = parse_xml(f'<w:footnotes {nsdecls("w", "r")}>{_SEPARATORS}</w:footnotes>')
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, document.part.package)
        document.part.relate_to(part, RT.FOOTNOTES)
        footnote_pr = parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        )
        _insert_setting(document.settings.element, footnote_pr, _AFTER_FOOTNOTE_PR)
        shared.footnotes = Footnotes(part)
    return shared.footnotes


def _render_footnote(note: etree._Element, ctx: Context) -> int:
    footnotes = _footnotes(ctx)
    footnote_id = footnotes.next_id
    footnotes.next_id += 1
    footnotes.numbers.append(normalize_space(note.get("n", "")))
    footnote = OxmlElement("w:footnote")
    footnote.set(qn("w:id"), str(footnote_id))
    footnotes.element.append(footnote)
    story = Story(footnote, footnotes.part)
    inner = replace(ctx, story=story, in_footnote=True, list_level=0)
    # The note's own page turns and bookmarks stay in the note, not in the body's waiting lists.
    shared = ctx.shared
    saved_markers, saved_bookmark = shared.pending_markers, shared.pending_bookmark
    shared.pending_markers, shared.pending_bookmark = [], None
    _flow(note, inner, Styles(FOOTNOTE_TEXT))
    _flush_page_markers(inner)
    shared.pending_markers, shared.pending_bookmark = saved_markers, saved_bookmark
    first = footnote.find(qn("w:p"))
    if first is None:
        first = _new_paragraph(inner, ParagraphLook(FOOTNOTE_TEXT), use_bookmark=False)
    _prefix_footnote_mark(first)
    return footnote_id


def note_number_runs(numbers: list[str]) -> list[tuple[int, int]] | None:
    """(index of the first note, its number) for each run of consecutive note numbers
    ("26", "27", … → one run from 26; an article that starts again at 1 opens a new run), or
    None when a note number is not a plain number (Word's own numbering is used then)."""
    if not numbers or not all(n.isdigit() for n in numbers):
        return None
    runs = [(0, int(numbers[0]))]
    for index in range(1, len(numbers)):
        if int(numbers[index]) != int(numbers[index - 1]) + 1:
            runs.append((index, int(numbers[index])))
    return runs


def _number_footnotes_as_the_source(document: DocxDocument, numbers: list[str]) -> None:
    """Word numbers footnotes itself (a custom mark is printed twice by LibreOffice), so the
    source's numbers are kept through where numbering starts (w:numStart: 002's notes run from
    26). Numbering that starts again (each article of an issue at 1) stays Word's continuous
    1, 2, …: a restart per section (w:numRestart="eachSect") shows as 0 in LibreOffice 7."""
    runs = note_number_runs(numbers)
    if runs is None or len(runs) != 1 or runs[0][1] == 1:
        return
    section = document.element.body.find(qn("w:sectPr"))
    if section is None:
        return
    footnote_pr = OxmlElement("w:footnotePr")
    number_start = OxmlElement("w:numStart")
    number_start.set(qn("w:val"), str(runs[0][1]))
    footnote_pr.append(number_start)
    _insert_setting(section, footnote_pr, _SECTION_CHILDREN_AFTER_FOOTNOTE_PR)


_SECTION_CHILDREN_AFTER_FOOTNOTE_PR = ("endnotePr", "type", "pgSz", "pgMar", "paperSrc", "pgBorders",
                                       "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                                       "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings")


def _prefix_footnote_mark(paragraph: etree._Element) -> None:
    mark = _styled_run(None, FOOTNOTE_REFERENCE)
    mark.append(OxmlElement("w:footnoteRef"))
    properties = paragraph.find(qn("w:pPr"))
    index = 0 if properties is None else list(paragraph).index(properties) + 1
    paragraph.insert(index, mark)
    paragraph.insert(index + 1, _text_run(" ", None))


# --- packaging ------------------------------------------------------------------------------------


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with a fixed entry order and timestamps, so equal input gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return target_buffer.getvalue()


# --- small helpers --------------------------------------------------------------------------------


def word_language(tag: str) -> str:
    """Word's language tag for a TEI xml:lang value: 'ru' → 'ru-RU'; qualified tags pass through."""
    tag = tag.strip()
    if "-" in tag:
        return tag
    return WORD_LANGUAGE.get(tag.lower(), tag)


def _run_language(lang: str, doc_lang: str) -> str | None:
    """Run-level language only where it differs from the document default (which styles carry)."""
    if lang.split("-")[0].lower() == doc_lang.split("-")[0].lower():
        return None
    return word_language(lang)


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(f"{{{TEI_NS}}}"):
        return ""
    return tag[len(TEI_NS) + 2 :]


def _child(parent: etree._Element, tag: str) -> etree._Element:
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    return child


def _one_line(message: str) -> str:
    return " ".join(message.split())
