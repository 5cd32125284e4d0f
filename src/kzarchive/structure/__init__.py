"""Structure: cleaned blocks → divisions, heads, lists, notes, bibliography, languages."""

from __future__ import annotations

from ..model import CleanDocument, StructuredDocument
from .bibliography import build_bibliographies
from .citations import link_citations
from .contents import contents_entries, heading_hints, link_contents
from .divisions import build_divisions
from .empty import dissolve_empty_divisions
from .figures import mark_figure_captions
from .ids import assign_ids
from .languages import mark_languages
from .lists import build_lists
from .notes import attach_notes, mark_url_notes, split_trailing_notes


def structure_document(clean: CleanDocument, main_language: str = "kk") -> StructuredDocument:
    note_texts, blocks = split_trailing_notes(clean.blocks)
    entries, contents_end = contents_entries(blocks)
    front, body, back = build_divisions(blocks, heading_hints(entries), contents_end)
    document = StructuredDocument(front=front, body=body, back=back, clean=clean)
    for part in (document.front, document.body, document.back):
        build_bibliographies(part)
    document.body = build_lists(document.body)
    document.back = build_lists(list(document.back))  # type: ignore[assignment]
    dissolved = dissolve_empty_divisions(document)  # once lists are built: a list is content
    stats = document.stats
    if dissolved:
        stats["empty_divisions_dissolved"] = dissolved
    stats["figures"] = sum(mark_figure_captions(part) for part in (document.front, document.body, document.back))
    stats["url_notes"] = sum(mark_url_notes(part) for part in (document.front, document.body, document.back))
    stats["notes_bound"] = attach_notes(document, note_texts)
    stats["note_texts"] = len(note_texts)
    mark_languages(document, main_language)
    assign_ids(document)  # before linking: contents and citations point at ids
    link_contents(document)
    citations = link_citations(document)
    stats["citations_resolved"] = citations["resolved"]
    stats["citations_unresolved"] = citations["unresolved"]
    return document
