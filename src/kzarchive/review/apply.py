"""`kzarchive apply`: write an archivist's corrections file into the TEI master it was made for.

A revert makes the source's reading the regularised one (a syllable join is undone, a removed
hyphen comes back, a removed running head or page number is text again); a typed form becomes
the new <reg>; an accept confirms the decision. Each touched decision then points (@resp) also to
the <change> this run adds to revisionDesc, whose xml:id is made from the corrections file's
SHA-256: applying the same file again finds it and changes nothing. A file made for another
version of the master is refused, with the reason.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from ..decisions import KINDS, REVIEW_ID_PREFIX, REVIEWED_CERT, cert_value
from ..errors import KzError
from ..export import EXPORT_FORMATS, export_format
from ..fsutil import atomic_write_bytes
from ..pipeline import serialise_tei
from ..tei import XML_ID, tei
from ..tei.decisions import decision_kind
from ..tei.reading import normalize_space, reading_text
from ..tei.validate import validate_tree
from .collect import read_tei
from .page import CORRECTIONS_FORMAT, document_stem, review_page_path, write_review_page

ACTIONS = ("accept", "revert", "edit")
_PHRASE_PARENTS = {tei(t) for t in ("p", "head", "item", "bibl", "docAuthor", "note", "orig", "foreign", "quote", "ref")}
_FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


class CorrectionsError(KzError):
    """A corrections file that cannot be applied (unreadable, or for another version)."""


@dataclass(frozen=True)
class Correction:
    id: str
    kind: str
    action: str
    form: str = ""


@dataclass(frozen=True)
class Corrections:
    document: str
    tei_name: str
    tei_sha256: str
    saved: str
    decisions: list[Correction]
    sha256: str  # of the file's bytes: names the <change> that applies it


@dataclass
class ApplyResult:
    tei_path: Path
    applied: bool  # False: this file was applied before, nothing changed
    counts: Counter[str] = field(default_factory=Counter)
    exported: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_corrections(path: Path) -> Corrections:
    try:
        data = path.read_bytes()
        content = json.loads(data)
    except OSError as exc:
        raise CorrectionsError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CorrectionsError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(content, dict) or content.get("format") != CORRECTIONS_FORMAT:
        raise CorrectionsError(f"{path}: not a kzarchive corrections file (saved from a review page)")
    try:
        tei_info = content["tei"]
        decisions = [_correction(entry) for entry in content["decisions"]]
        return Corrections(str(content["document"]), str(tei_info["name"]), str(tei_info["sha256"]),
                           str(content.get("saved", "")), decisions, hashlib.sha256(data).hexdigest())
    except (KeyError, TypeError, ValueError) as exc:
        raise CorrectionsError(f"{path}: incomplete corrections file ({exc})") from None


def _correction(entry: dict[str, str]) -> Correction:
    action = entry["action"]
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    form = str(entry.get("form", ""))
    if action == "edit" and not form.strip():
        raise ValueError(f"an empty form for {entry['id']}")
    return Correction(str(entry["id"]), str(entry["kind"]), action, form)


def apply_corrections(corrections_path: Path, tei_path: Path | None = None, by: str = "archivist",
                      today: str | None = None) -> ApplyResult:
    corrections = load_corrections(corrections_path)
    tei_path = tei_path or corrections_path.with_name(corrections.tei_name)
    tree, identity = read_tei(tei_path)
    change_id = REVIEW_ID_PREFIX + corrections.sha256[:12]
    if tree.getroot().xpath("//*[@xml:id=$id]", id=change_id):
        return ApplyResult(tei_path, applied=False)
    if identity.document != corrections.document:
        raise CorrectionsError(f"refused: {corrections_path.name} is for another document "
                               f"({corrections.document or 'none named'}), not {tei_path.name} ({identity.document})")
    if identity.sha256 != corrections.tei_sha256:
        raise CorrectionsError(
            f"refused: {corrections_path.name} was made for another version of {tei_path.name} "
            f"(TEI sha256 {corrections.tei_sha256[:12]}…, this file is {identity.sha256[:12]}…); "
            "review the current version again")
    result = ApplyResult(tei_path, applied=True)
    _apply_all(tree.getroot(), corrections.decisions, f"#{change_id}", result.counts)
    _add_change(tree.getroot(), change_id, corrections, corrections_path.name, by,
                today or datetime.now(UTC).date().isoformat(), result.counts)
    issues = validate_tree(tree)
    if issues:
        raise CorrectionsError(f"refused: the corrected TEI would not be valid: {issues[0].format(tei_path.name)}")
    atomic_write_bytes(tei_path, serialise_tei(tree))
    _reexport(tei_path, result)
    return result


def _apply_all(root: etree._Element, corrections: list[Correction], reviewer: str, counts: Counter[str]) -> None:
    """Check every correction against the master first, so that a bad one leaves it untouched."""
    text = root.find(tei("text"))
    found = {el.get(XML_ID): el for el in (text.iter() if text is not None else []) if isinstance(el.tag, str)
             and el.get(XML_ID) and "resp" in el.attrib}
    planned = []
    for correction in corrections:
        element = found.get(correction.id)
        if element is None or decision_kind(element) != correction.kind:
            raise CorrectionsError(f"refused: no {correction.kind} decision {correction.id} in this TEI")
        kind = KINDS[correction.kind]
        if (correction.action == "revert" and not kind.revertible) or (correction.action == "edit" and not kind.editable):
            raise CorrectionsError(f"refused: a {kind.label} cannot be {correction.action}ed ({correction.id})")
        planned.append((element, correction))
    for element, correction in planned:
        _confirm(element, reviewer)
        if correction.action == "revert":
            _revert(element, correction.kind)
        elif correction.action == "edit":
            _child(element, "reg").text = correction.form
        counts[correction.action] += 1


def _confirm(element: etree._Element, reviewer: str) -> None:
    """The decision now answers to the reviewer too, with full certainty."""
    element.set("resp", f"{element.get('resp', '')} {reviewer}".strip())
    element.set("cert", cert_value(REVIEWED_CERT))


def _revert(element: etree._Element, kind: str) -> None:
    if element.tag == tei("choice"):
        orig, reg = _child(element, "orig"), _child(element, "reg")
        raw = etree.tostring(orig, method="text", encoding="unicode", with_tail=False)
        reading = normalize_space(reading_text(orig))
        # a call printed after a space keeps it ("мәселе 36"), as the source has it
        reg.text = (" " if raw[:1].isspace() else "") + reading + (" " if raw[-1:].isspace() and reading else "")
    elif kind == "hyphen-removed":
        _set_text_before(element, _text_before(element) + "-")
        del element.attrib["rend"]
    elif kind == "hyphen-kept":
        _set_text_before(element, _text_before(element).removesuffix("-"))
        element.set("rend", "hyphen")
    elif kind == "line-joined":
        del element.attrib["break"]
    elif kind == "page-turn":
        _remove(element)
    elif element.tag == tei("fw"):
        _fw_to_text(element)


def _fw_to_text(fw: etree._Element) -> None:
    """A removed line was text after all: it goes back into the reading text where it stood
    (as a paragraph of its own between blocks); a page number takes its page break with it."""
    words = normalize_space(fw.text or "")
    previous = fw.getprevious()
    if fw.get("type") == "pageNum" and previous is not None and previous.tag == tei("pb") \
            and previous.get("n") == words and not (previous.tail or "").strip():
        _remove(previous)
    if _parent(fw).tag in _PHRASE_PARENTS:
        _remove(fw, f" {words} ")
    else:
        paragraph = etree.Element(tei("p"))
        paragraph.text = words
        paragraph.tail = fw.tail
        fw.addprevious(paragraph)
        _parent(fw).remove(fw)


def _child(element: etree._Element, name: str) -> etree._Element:
    found = element.find(tei(name))
    if found is None:
        raise CorrectionsError(f"the TEI has no <{name}> inside <{etree.QName(element).localname}> where a decision needs one")
    return found


def _parent(element: etree._Element) -> etree._Element:
    parent = element.getparent()
    if parent is None:
        raise CorrectionsError(f"<{etree.QName(element).localname}> has no parent element")
    return parent


def _text_before(element: etree._Element) -> str:
    previous = element.getprevious()
    return (previous.tail if previous is not None else _parent(element).text) or ""


def _set_text_before(element: etree._Element, text: str) -> None:
    previous = element.getprevious()
    if previous is not None:
        previous.tail = text
    else:
        _parent(element).text = text


def _remove(element: etree._Element, replacement: str = "") -> None:
    """Take an element out, its tail (and the replacement text) staying where it stood."""
    _set_text_before(element, _text_before(element) + replacement + (element.tail or ""))
    _parent(element).remove(element)


def _add_change(root: etree._Element, change_id: str, corrections: Corrections, file_name: str, by: str,
                when: str, counts: Counter[str]) -> None:
    revision = root.find(f"{tei('teiHeader')}/{tei('revisionDesc')}")
    if revision is None:
        revision = etree.SubElement(_child(root, "teiHeader"), tei("revisionDesc"))
    changed = [c for c in corrections.decisions if c.action != "accept"]
    listed = "; ".join(f"{c.id} {'reverted' if c.action == 'revert' else '→ ' + c.form}" for c in changed)
    change = etree.SubElement(revision, tei("change"), when=when)
    change.set(XML_ID, change_id)
    change.text = (f"Review by {by}: {file_name} (saved {corrections.saved or 'undated'}) applied — "
                   f"{counts['accept']} accepted, {counts['revert']} reverted, {counts['edit']} corrected"
                   + (f": {listed}." if listed else "."))
    previous = change.getprevious()
    if previous is not None:  # in the master's own indentation
        before = previous.getprevious()
        change.tail = previous.tail
        previous.tail = before.tail if before is not None else revision.text


def _reexport(tei_path: Path, result: ApplyResult) -> None:
    """The editions and the review page present beside the master, made again from it."""
    stem = document_stem(tei_path.name)
    for fmt in EXPORT_FORMATS:
        out = tei_path.with_name(f"{stem}.{fmt}")
        if out.exists():
            embed = fmt == "epub" and _epub_embeds_font(out)
            result.warnings.extend(export_format(fmt, tei_path, out, embed_font=embed))
            result.exported.append(out)
    page = review_page_path(tei_path)
    if page.exists():
        write_review_page(tei_path, page)
        result.exported.append(page)


def _epub_embeds_font(path: Path) -> bool:
    """Made with --embed-font: made again the same way."""
    try:
        with zipfile.ZipFile(path) as epub:
            return any(name.lower().endswith(_FONT_SUFFIXES) for name in epub.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
