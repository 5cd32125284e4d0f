"""The reading view of a TEI master, shared by every exporter.

Exports choose the editor's text: <reg> over <orig>, <corr> over <sic>, no <fw>, <lb/> as a space
unless break="no", <pb/> as a page marker, notes out of the running text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..errors import TeiError
from ..labels import LABELS, in_language
from . import TEI_NS, XML_LANG, tei

NS = {"t": TEI_NS}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Metadata:
    title: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""          # the TEI file's date (conversion), from publicationStmt
    source_date: str = ""   # the source's own date, from sourceDesc/bibl, when it is known
    publisher: str = ""
    source_title: str = ""
    source_publisher: str = ""
    source_filename: str = ""
    source_note: str = ""   # what the catalog says the source is, from sourceDesc/bibl/note[@type='source']
    source_sha256: str = ""
    licence: str = ""
    language: str = "kk"
    languages: tuple[str, ...] = ("kk",)
    kzarchive_version: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def text_of(element: etree._Element | None) -> str:
    """All the text of an element, whitespace normalised ("" for None)."""
    if element is None:
        return ""
    return normalize_space("".join(str(t) for t in element.itertext()))


def _text(root: etree._Element, path: str) -> str:
    return text_of(root.find(path, NS))


def _required(parent: etree._Element, path: str) -> etree._Element:
    found = parent.find(path, NS)
    if found is None:
        raise TeiError(f"the TEI header lacks {path.replace('t:', '')}")
    return found


def read_metadata(tree: etree._ElementTree | etree._Element) -> Metadata:
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    header = _required(root, "t:teiHeader")
    title_stmt = _required(header, "t:fileDesc/t:titleStmt")
    titles = title_stmt.findall("t:title", NS)
    main = next((t for t in titles if t.get("type") in (None, "main")), titles[0] if titles else None)
    sub = next((t for t in titles if t.get("type") == "sub"), None)
    authors = tuple(text_of(a) for a in title_stmt.findall("t:author", NS))
    date = _date_of(header.find("t:fileDesc/t:publicationStmt/t:date", NS))
    bibl = "t:fileDesc/t:sourceDesc/t:bibl"
    app = header.find("t:encodingDesc/t:appInfo/t:application[@ident='kzarchive']", NS)
    language = root.get(XML_LANG) or "kk"
    languages = tuple(ident for el in header.findall("t:profileDesc/t:langUsage/t:language", NS)
                      if (ident := el.get("ident")))
    return Metadata(
        title=text_of(main),
        subtitle=text_of(sub),
        authors=tuple(a for a in authors if a),
        date=date,
        source_date=_date_of(header.find(f"{bibl}/t:date", NS)),
        publisher=_text(header, "t:fileDesc/t:publicationStmt/t:publisher"),
        source_title=_text(header, f"{bibl}/t:title"),
        source_publisher=_text(header, f"{bibl}/t:publisher"),
        source_filename=_text(header, f"{bibl}/t:idno[@type='filename']"),
        source_note=_text(header, f"{bibl}/t:note[@type='source']"),
        source_sha256=_text(header, f"{bibl}/t:idno[@type='sha256']"),
        licence=_licence(header, language),
        language=language,
        languages=languages or (language,),
        kzarchive_version=app.get("version", "") if app is not None else "",
    )


def prints_its_number(bibl: etree._Element) -> bool:
    """Does a <bibl n="1"> keep its printed number in its text ("1.  Алматинская…")? Then an
    edition shows that, not @n a second time."""
    number = bibl.get("n", "")
    return bool(number) and bool(re.match(rf"\s*{re.escape(number)}\s*[.)]", reading_text(bibl)))


# Kept under their old names for the encoder (tei/encode.py); the table is kzarchive.labels.
SOURCE_LABEL = LABELS["source"]
UNTITLED = LABELS["untitled"]
UNKNOWN_LICENCE = LABELS["unknown-licence"]


def is_supplied_title(title: str) -> bool:
    """"Атаусыз мәтін (001_….txt)": no running head or subject should repeat it."""
    return any(title.startswith(f"{label} (") for label in UNTITLED.values())


def _licence(header: etree._Element, language: str) -> str:
    availability = header.find("t:fileDesc/t:publicationStmt/t:availability", NS)
    if availability is not None and availability.get("status") == "unknown" \
            and availability.find("t:licence", NS) is None:
        return in_language(UNKNOWN_LICENCE, language)
    return _text(header, "t:fileDesc/t:publicationStmt/t:availability")


def _date_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return element.get("when") or text_of(element)


def normalize_space(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# Elements whose content is not part of the reading text of their parent.
_SKIPPED = {tei("fw"), tei("orig"), tei("sic"), tei("note"), tei("pb")}


def reading_text(element: etree._Element, *, include_notes: bool = False) -> str:
    """Plain reading text of an element: regularised forms, no forme work, no page breaks,
    line ends resolved (break="no" joins, others are spaces), whitespace normalised."""
    parts: list[str] = []
    _collect(element, parts, include_notes)
    return normalize_space("".join(parts))


def _collect(element: etree._Element, parts: list[str], include_notes: bool) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):  # comments, processing instructions
            pass
        elif tag == tei("lb"):
            if child.get("break") != "no":
                parts.append(" ")
        elif tag == tei("note"):
            if include_notes:
                _collect(child, parts, include_notes)
        elif tag not in _SKIPPED:
            _collect(child, parts, include_notes)
        if child.tail:
            parts.append(child.tail)


def element_lang(element: etree._Element, default: str = "kk") -> str:
    """The language in force at an element (nearest xml:lang up the tree)."""
    node: etree._Element | None = element
    while node is not None:
        lang = node.get(XML_LANG)
        if lang:
            return lang
        node = node.getparent()
    return default


# In a <choice>, the reading view shows the editor's form; the source form stays in the master only.
PREFERRED_IN_CHOICE = (tei("reg"), tei("corr"), tei("expan"))
SOURCE_IN_CHOICE = (tei("orig"), tei("sic"), tei("abbr"))


def preferred_alternative(choice: etree._Element) -> etree._Element | None:
    """The child of a <choice> that the reading view shows: reg, else corr, else expan, else the
    first child that is not a source form (orig/sic/abbr), else None."""
    children = [c for c in choice if isinstance(c.tag, str)]
    for tag in PREFERRED_IN_CHOICE:
        for child in children:
            if child.tag == tag:
                return child
    return next((c for c in children if c.tag not in SOURCE_IN_CHOICE), None)


def is_reading_note(note: etree._Element) -> bool:
    """Whether a <note> belongs to the reader edition (debris kept for losslessness does not)."""
    return note.get("type") != "debris"
