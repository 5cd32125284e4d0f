"""Structure: cleaned blocks → divisions, heads, lists, notes, bibliography, languages."""

from __future__ import annotations

from ..decisions import STEP_HEADINGS, STEP_NOTES
from ..model import CleanDocument, Division, Node, StructuredDocument
from .bibliography import build_bibliographies
from .citations import link_citations
from .contents import contents_entries, heading_hints, link_contents
from .divisions import build_divisions
from .empty import dissolve_empty_divisions
from .figures import mark_figure_captions
from .headings import HeadingInfo
from .ids import assign_ids
from .languages import mark_languages
from .lists import build_lists
from .notes import attach_notes, mark_url_notes, split_trailing_notes


def structure_document(clean: CleanDocument, main_language: str = "kk") -> StructuredDocument:
    note_texts, blocks = split_trailing_notes(clean.blocks)
    entries, contents_end = contents_entries(blocks)
    hints = {key: HeadingInfo(div_type, level, "") for key, (div_type, level) in clean.heading_sizes.items()}
    hints.update(heading_hints(entries))  # a contents list's own numbering wins
    front, body, back = build_divisions(blocks, hints, contents_end)
    document = StructuredDocument(front=[*front], body=body, back=[*back], clean=clean)
    for part in (document.front, document.body, document.back):
        build_bibliographies(part)
    document.body = build_lists(document.body)
    document.back = build_lists(document.back)
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
    clean.steps.extend(structure_steps(document))
    return document


def structure_steps(document: StructuredDocument) -> list[tuple[str, str, str]]:
    """The header's account of the structure decisions that @resp points to (notes, headings)."""
    heads = _count_heads(document.front + document.body + document.back)
    return [
        ("interpretation", STEP_NOTES,
         f"{document.stats.get('notes_bound', 0)} note texts found at the end of the source moved to their calls "
         "(a number glued to a word, matched in order); the printed call is kept in orig."),
        ("interpretation", STEP_HEADINGS,
         f"{heads} headings recognised by their wording (named parts such as КІРІСПЕ), a chapter or "
         "section number, capitals, or a title the contents list names."),
    ]


def _count_heads(nodes: list[Node]) -> int:
    return sum(len(n.heads) + _count_heads(n.children) for n in nodes if isinstance(n, Division))
