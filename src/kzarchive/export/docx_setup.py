"""The DOCX edition's document set-up: styles, settings, page layout, footer, core properties, zip.

python-docx covers what it can; what it lacks (language and hyphenation settings, custom styles,
fields, a reproducible zip) is written here as OOXML directly.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from lxml import etree

from ..labels import label
from ..tei import tei
from ..tei.reading import Metadata, text_of

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
TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '

# Style ids: built-in ones from python-docx's template, custom ones added by add_styles().
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

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def prepare_document(document: DocxDocument, doc_lang: str) -> None:
    drop_template_leftovers(document)
    add_styles(document)
    set_default_language(document, word_language(doc_lang))
    adjust_settings(document, word_language(doc_lang))
    set_page_layout(document)
    add_page_number_footer(document)


def drop_template_leftovers(document: DocxDocument) -> None:
    """The template's thumbnail shows an empty page and stylesWithEffects repeats en-US defaults."""
    package_rels = document.part.package.rels
    for rel_id in [r.rId for r in package_rels.values() if r.reltype == RT.THUMBNAIL]:
        del package_rels[rel_id]
    for rel_id in [r.rId for r in document.part.rels.values() if r.reltype == STYLES_WITH_EFFECTS_RELATIONSHIP]:
        document.part.drop_rel(rel_id)


def add_styles(document: DocxDocument) -> None:
    styles = document.styles.element
    existing = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    for style_id, xml in CUSTOM_STYLES.items():
        if style_id not in existing:
            styles.append(parse_xml(xml.format(ns=nsdecls("w"))))


def set_default_language(document: DocxDocument, word_lang: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = child_element(child_element(defaults, "w:rPrDefault"), "w:rPr")
    lang = child_element(run_defaults, "w:lang")
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
AFTER_FOOTNOTE_PR = _AFTER_UPDATE_FIELDS[2:]


def adjust_settings(document: DocxDocument, word_lang: str) -> None:
    settings = document.settings.element
    for proof_state in settings.findall(qn("w:proofState")):  # "spelling clean" would skip the check
        settings.remove(proof_state)
    insert_setting(settings, OxmlElement("w:autoHyphenation"), _AFTER_AUTO_HYPHENATION)
    insert_setting(settings, OxmlElement("w:updateFields"), _AFTER_UPDATE_FIELDS)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), word_lang)


def insert_setting(settings: etree._Element, element: etree._Element, successors: Iterable[str]) -> None:
    if settings.find(element.tag) is not None:
        return
    for name in successors:
        follower = settings.find(qn(f"w:{name}"))
        if follower is not None:
            follower.addprevious(element)
            return
    settings.append(element)


def set_page_layout(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, the paper the sources use
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(20)


def add_page_number_footer(document: DocxDocument) -> None:
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in field_runs(" PAGE ", "1"):
        paragraph._p.append(run)


def field_runs(instruction: str, placeholder: str, *, dirty: bool = False) -> list[etree._Element]:
    """The runs of a complex field: begin, instruction, separate, shown result, end."""
    begin = field_char("begin")
    if dirty:
        begin[0].set(qn("w:dirty"), "true")
    instr = OxmlElement("w:r")
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = instruction
    instr.append(instr_text)
    return [begin, instr, field_char("separate"), text_run(placeholder), field_char("end")]


def field_char(kind: str) -> etree._Element:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


# The longest value a DOCX core property may hold (python-docx and Word refuse longer ones).
MAX_PROPERTY_CHARS = 255


def set_core_properties(document: DocxDocument, metadata: Metadata, root: etree._Element, doc_lang: str) -> None:
    """Word's document properties. The format allows 255 characters a property: longer values are cut
    at a word with "…" there; the whole title and authors stand on the title page."""
    props = document.core_properties
    when = parse_date(metadata.date)
    source = metadata.source_filename or "TEI"
    version = f" {metadata.kzarchive_version}" if metadata.kzarchive_version else ""
    texts = {
        "title": metadata.title,
        "subject": metadata.subtitle or (metadata.source_title if metadata.source_title != metadata.title else ""),
        "author": "; ".join(metadata.authors),
        "language": word_language(doc_lang),
        "identifier": metadata.source_sha256 or metadata.source_filename,
        "keywords": ", ".join(keywords(root)),
        "category": "",
        "comments": label("edition-note", doc_lang).format(source=source, version=version),
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


def keywords(root: etree._Element) -> list[str]:
    terms = root.iterfind(f".//{tei('textClass')}//{tei('term')}")
    return [t for t in (text_of(term) for term in terms) if t]


def parse_date(value: str) -> datetime:
    match = _DATE.match(value.strip())
    if not match:
        return FALLBACK_DATE
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime(year, month, day)
    except ValueError:
        return datetime(year, 1, 1)




def deterministic_zip(data: bytes) -> bytes:
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




def word_language(tag: str) -> str:
    """Word's language tag for a TEI xml:lang value: 'ru' → 'ru-RU'; qualified tags pass through."""
    tag = tag.strip()
    if "-" in tag:
        return tag
    return WORD_LANGUAGE.get(tag.lower(), tag)


def run_language(lang: str, doc_lang: str) -> str | None:
    """Run-level language only where it differs from the document default (which styles carry)."""
    if lang.split("-")[0].lower() == doc_lang.split("-")[0].lower():
        return None
    return word_language(lang)




def child_element(parent: etree._Element, tag: str) -> etree._Element:
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    return child




def text_element(text: str) -> etree._Element:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def text_run(text: str, properties: etree._Element | None = None) -> etree._Element:
    """A run of text, with its run properties when it has any."""
    run = OxmlElement("w:r")
    if properties is not None:
        run.append(properties)
    run.append(text_element(text))
    return run


def styled_run(text: str | None, style_id: str) -> etree._Element:
    """A run in a character style (a page marker, a footnote reference)."""
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), style_id)
    properties.append(style)
    run.append(properties)
    if text is not None:
        run.append(text_element(text))
    return run
