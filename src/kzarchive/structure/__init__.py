"""Structure: cleaned blocks → divisions, heads, lists, notes, bibliography, languages."""

from __future__ import annotations

from ..model import CleanDocument, StructuredDocument
from .divisions import build_divisions
from .ids import assign_ids


def structure_document(clean: CleanDocument) -> StructuredDocument:
    front, body, back = build_divisions(clean.blocks)
    document = StructuredDocument(front=front, body=body, back=back, clean=clean)
    assign_ids(document)
    return document
