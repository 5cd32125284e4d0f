"""Cleaning decisions inside a TEI tree: numbering them at encoding, finding them and naming
their kind when reviewing or applying corrections.

Each decision element gets an xml:id ("dec-1", "dec-2", … in document order; a page break keeps
the id it already has). The ids are written into the master, so a corrections file names
decisions that survive any later edit of the text around them; a path computed from positions
would shift as soon as one reverted running head turned back into text.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..decisions import (
    DECISION_ID_PREFIX,
    STEP_FORME,
    STEP_HEADINGS,
    STEP_HYPHENATION,
    STEP_LEGACY,
    STEP_LETTERSPACING,
    STEP_LOOKALIKES,
    STEP_NOTES,
    STEP_SYLLABLES,
)
from . import XML_ID, tei

_STEP_PREFIX = "#step-"
_CHOICE_KINDS = {STEP_SYLLABLES: "syllables", STEP_LETTERSPACING: "letterspacing", STEP_LEGACY: "legacy",
                 STEP_LOOKALIKES: "lookalike",
                 STEP_NOTES: "note-call"}
_FW_KINDS = {"pageNum": "page-number", "header": "running-head", "footer": "running-head", "separator": "separator"}


def number_decisions(root: etree._Element) -> None:
    """Give every decision element of the text an xml:id, in document order."""
    text = root.find(tei("text"))
    if text is None:
        return
    number = 0
    for element in text.iter():
        decided = element.get("resp", "").startswith(_STEP_PREFIX)
        if isinstance(element.tag, str) and decided and not element.get(XML_ID):
            number += 1
            element.set(XML_ID, f"{DECISION_ID_PREFIX}{number}")


def made_by(element: etree._Element) -> str:
    """The step id a decision points to ("step-syllables"), or "" for none."""
    for pointer in element.get("resp", "").split():
        if pointer.startswith(_STEP_PREFIX):
            return pointer[1:]
    return ""


def decision_kind(element: etree._Element) -> str | None:
    """The review kind of a decision element (decisions.KINDS), None for one that is not listed:
    a numbered page break goes with its page number, a decision inside a source form (<orig>)
    with the regularisation around it, a moved note's printed number with the note."""
    step = made_by(element)
    if not step or element.get(XML_ID) is None or _inside_orig(element):
        return None
    tag = etree.QName(element).localname
    if tag == "choice":
        parent = element.getparent()
        if step == STEP_NOTES and parent is not None and parent.tag == tei("note"):
            return None  # the printed number heading a moved note: reviewed with the note
        return _CHOICE_KINDS.get(step)
    if tag == "lb" and step == STEP_HYPHENATION:
        if element.get("rend") == "hyphen":
            return "hyphen-removed"
        return "hyphen-kept" if _text_before(element).endswith("-") else "line-joined"
    if tag == "fw" and step == STEP_FORME:
        return _FW_KINDS.get(element.get("type", ""))
    if tag == "pb" and step == STEP_FORME:
        return None if element.get("n") else "page-turn"
    if tag == "note" and step == STEP_NOTES:
        return "note"
    if tag == "head" and step == STEP_HEADINGS:
        return "heading"
    return None


def iter_decisions(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """(element, kind) of every listed decision, in document order."""
    text = root.find(tei("text"))
    if text is None:
        return
    for element in text.iter():
        if isinstance(element.tag, str) and "resp" in element.attrib:
            kind = decision_kind(element)
            if kind is not None:
                yield element, kind


def _inside_orig(element: etree._Element) -> bool:
    return any(ancestor.tag == tei("orig") for ancestor in element.iterancestors())


def _text_before(element: etree._Element) -> str:
    """The text right before an element within its parent."""
    previous = element.getprevious()
    if previous is not None:
        return previous.tail or ""
    parent = element.getparent()
    return (parent.text or "") if parent is not None else ""
