"""Web-page debris around a scraped document: the catalogue header on top, the site footer below.

The header's facts go to the TEI header; both header and footer lines leave the reading text and
are kept verbatim in the TEI header (notesStmt), so nothing is lost.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import HeaderFacts
from .lines import Line

_ID = re.compile(r"^\d{3,9}$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})$")
_SIZE = re.compile(r"^\d+(?:[.,]\d+)?\s?(?:KB|MB|КБ|МБ|Kb|kb)$")
_READERS = re.compile(r"^\d+\s*чел\.?$")
_FIELD_PAGE = re.compile(r"^PAGE\s+\d+$")
_LANGUAGE_NAMES = {"казахский": "kk", "русский": "ru", "английский": "en", "қазақша": "kk", "қазақ тілі": "kk"}
_DOC_TYPES = ("дипломная", "курсовая", "реферат", "диссертация", "магистерская", "статья", "доклад", "отчет", "лекция")
_SITE_FOOTER = re.compile(r"^(?:А также другие работы|Также другие работы|Другие работы)", re.IGNORECASE)
_HEADER_SPAN = 25


def extract_scrape_header(lines: list[Line], stats: Counter[str]) -> HeaderFacts:
    """Recognise a catalogue header by its shape (numeric id first, then a date and a size line
    within the first lines) and move it out of the text."""
    facts = HeaderFacts()
    head = [ln for ln in lines[: _HEADER_SPAN * 2] if ln.kind == "text"][:_HEADER_SPAN]
    if not head or not _ID.match(head[0].text):
        return facts
    if not any(_DATE.match(ln.text) for ln in head) or not any(_SIZE.match(ln.text) for ln in head):
        return facts
    end = next(i for i, ln in enumerate(head) if _SIZE.match(ln.text))
    # Trailing counters ("1 чел.", "PAGE 3") belong to the header too.
    while end + 1 < len(head) and (_READERS.match(head[end + 1].text) or _FIELD_PAGE.match(head[end + 1].text)):
        end += 1
    fields = head[: end + 1]
    _read_fields(fields, facts)
    for line in fields:
        line.kind = "debris"
        facts.debris.append(line.text)
    stats["scrape_header_lines"] += len(fields)
    return facts


def _read_fields(fields: list[Line], facts: HeaderFacts) -> None:
    facts.source_id = fields[0].text
    unlabelled: list[str] = []
    for line in fields[1:]:
        text = line.text
        if _DATE.match(text):
            facts.date = text
        elif _SIZE.match(text):
            facts.size = text
        elif text.casefold() in _LANGUAGE_NAMES:
            facts.language_name = text
        elif _READERS.match(text) or _FIELD_PAGE.match(text):
            continue
        elif text.casefold().startswith(_DOC_TYPES) and not facts.doc_type:
            facts.doc_type = text
        else:
            unlabelled.append(text)
    # Order on such pages: title, (type), category, description.
    if unlabelled:
        facts.title = unlabelled[0]
    rest = unlabelled[1:]
    if rest and len(rest[0]) < 120:
        facts.category = rest.pop(0)
    if rest:
        facts.description = " ".join(rest)


def drop_site_footer(lines: list[Line], facts: HeaderFacts, stats: Counter[str]) -> None:
    """Everything from the site's 'other works' list to the end is the site, not the document."""
    start = next((i for i, ln in enumerate(lines) if ln.kind == "text" and _SITE_FOOTER.match(ln.text)), None)
    if start is None or start < len(lines) * 0.5:
        return
    for line in lines[start:]:
        if line.kind == "text":
            line.kind = "debris"
            facts.debris.append(line.text)
            stats["site_footer_lines"] += 1
