"""The cleaning decisions of a TEI master as an archivist reviews them: each with its kind, its
certainty, a few words of reading text on either side, the reading as decided and the reading a
revert would give. Read from the TEI only."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..decisions import REVIEW_ID_PREFIX, parse_cert
from ..errors import TeiError
from ..tei import XML_ID, tei
from ..tei.decisions import decision_kind
from ..tei.parse import parse_tei_bytes
from ..tei.reading import normalize_space, preferred_alternative, reading_text

CONTEXT_CHARS = 60  # reading text shown on each side of a decision
BLOCK_BREAK = "\u2029"  # between blocks in the reading stream: shown as ¶
_RAW_WINDOW = 4 * CONTEXT_CHARS  # the stream keeps the master's indentation: read more, then tidy
_GAP = re.compile(r"\s+")
_BLOCKS = {tei(t) for t in ("p", "head", "item", "bibl", "docAuthor", "figure", "label")}
_NOT_READ = {tei("orig"), tei("sic"), tei("fw"), tei("pb")}


@dataclass(frozen=True)
class TeiIdentity:
    """Which TEI a review or corrections file belongs to."""

    name: str        # the file name (NAME.tei.xml)
    document: str    # the source's URN (urn:sha256:…), the same across conversions
    sha256: str      # of the TEI file's bytes: one version of the master


@dataclass(frozen=True)
class Decision:
    id: str
    kind: str
    cert: float
    reviewed: bool   # an applied corrections file already confirmed or changed it
    before: str
    after: str
    decided: str     # the reading as it stands
    original: str    # the reading a revert gives ("" for a removed word or none defined)
    source: str      # the source's own text of the decision (the orig, the removed line)


@dataclass(frozen=True)
class ReviewedDocument:
    identity: TeiIdentity
    title: str
    decisions: list[Decision]


def read_tei(path: Path) -> tuple[etree._ElementTree, TeiIdentity]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TeiError(f"cannot read {path}: {exc.strerror or exc}") from exc
    tree = parse_tei_bytes(data, str(path))
    return tree, identity_of(tree, path.name, data)


def identity_of(tree: etree._ElementTree, name: str, data: bytes) -> TeiIdentity:
    urn = tree.getroot().findtext(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('publicationStmt')}/{tei('idno')}")
    return TeiIdentity(name, (urn or "").strip(), hashlib.sha256(data).hexdigest())


def collect_decisions(path: Path) -> ReviewedDocument:
    tree, identity = read_tei(path)
    root = tree.getroot()
    title = normalize_space(root.findtext(f".//{tei('titleStmt')}/{tei('title')}") or path.name)
    text = root.find(tei("text"))
    if text is None:
        raise TeiError(f"{path}: no <text> element")
    stream = _ReadingStream()
    stream.walk(text)
    reading = "".join(stream.parts)
    decisions = [_decision(element, kind, start, end, reading) for element, kind, start, end in stream.found]
    return ReviewedDocument(identity, title, decisions)


class _ReadingStream:
    """One pass over the text: the reading text, and where each decision sits in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.found: list[tuple[etree._Element, str, int, int]] = []

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)

    def walk(self, element: etree._Element) -> None:
        for child in element:
            if isinstance(child.tag, str):
                self._element(child)
            self.add(child.tail)

    def _element(self, element: etree._Element) -> None:
        kind = decision_kind(element) if "resp" in element.attrib else None
        start = self.length
        if element.tag in _BLOCKS:
            self.add(BLOCK_BREAK)
        if element.tag == tei("choice"):
            chosen = preferred_alternative(element)
            self.add(reading_text(chosen) if chosen is not None else "")
        elif element.tag == tei("lb"):
            self.add(" " if element.get("break") != "no" else "")
        elif element.tag == tei("note"):
            self.add(" [")
            self._content(element)
            self.add("] ")
        elif element.tag not in _NOT_READ:
            self._content(element)
        if element.tag in _BLOCKS:
            self.add(BLOCK_BREAK)
        if kind is not None:
            self.found.append((element, kind, start, self.length))

    def _content(self, element: etree._Element) -> None:
        self.add(element.text)
        self.walk(element)


def _decision(element: etree._Element, kind: str, start: int, end: int, reading: str) -> Decision:
    before = _tail_words(_tidy(reading[max(0, start - _RAW_WINDOW):start]))
    after = _head_words(_tidy(reading[end:end + _RAW_WINDOW]))
    decided, original, source = _forms(element, kind, reading[start:end], before, after)
    if element.tag == tei("lb"):  # the word around the line end is shown whole, as the decision
        before, after = _without_last_word(before), _without_first_word(after)
    resp = element.get("resp", "")
    return Decision(element.get(XML_ID, ""), kind, parse_cert(element.get("cert")),
                    f"#{REVIEW_ID_PREFIX}" in resp, before, after, decided, original, source)


def _forms(element: etree._Element, kind: str, inside: str, before: str, after: str) -> tuple[str, str, str]:
    """(decided, original, source) readings of one decision."""
    if element.tag == tei("choice"):
        orig = element.find(tei("orig"))
        original = reading_text(orig) if orig is not None else ""
        return inside.strip(), original, original
    if element.tag == tei("lb"):
        left = before.rsplit(None, 1)[-1] if before.strip() and not before[-1:].isspace() else ""
        right = after.split(None, 1)[0] if after.strip() and not after[:1].isspace() else ""
        if kind == "hyphen-kept":
            return left + right, left.removesuffix("-") + right, f"{left}⏎{right}"
        gap = "-" if kind == "hyphen-removed" else " "
        return left + right, left + gap + right, f"{left}{gap.strip()}⏎{right}"
    if element.tag == tei("fw"):
        text = normalize_space(element.text or "")
        return "", text, text
    if element.tag == tei("pb"):
        return "⁋ page turn", "", ""
    return normalize_space(inside.replace(BLOCK_BREAK, " ")), "", ""  # a note or heading: accept only


def _without_last_word(text: str) -> str:
    return text if text[-1:].isspace() else text[:len(text) - len(text.rsplit(None, 1)[-1])] if text.strip() else text


def _without_first_word(text: str) -> str:
    return text if text[:1].isspace() else text[len(text.split(None, 1)[0]):] if text.strip() else text


def _tidy(text: str) -> str:
    """Whitespace as a reader sees it; a block boundary as ¶."""
    return _GAP.sub(lambda gap: " ¶ " if BLOCK_BREAK in gap.group() else " ", text)


def _tail_words(text: str) -> str:
    """The last CONTEXT_CHARS of a context, starting at a word boundary."""
    if len(text) <= CONTEXT_CHARS:
        return text.lstrip(" ¶")
    text = text[-CONTEXT_CHARS:]
    cut = text.find(" ")
    return text[cut + 1:] if 0 <= cut < len(text) - 1 else text


def _head_words(text: str) -> str:
    if len(text) <= CONTEXT_CHARS:
        return text.rstrip(" ¶")
    text = text[:CONTEXT_CHARS]
    cut = text.rfind(" ")
    return text[:cut] if cut > 0 else text


def count_uncertain(decisions: list[Decision], below: float) -> int:
    return sum(1 for d in decisions if d.cert < below and not d.reviewed)
