"""Rejoin words that the PDF split into syllables with spaces ("Ор та лық" → "Орталық").

Detection and segmentation live in lexicon.segment; this step applies them block by block and
keeps each source form in <choice><orig>…</orig><reg>…</reg></choice>.
"""

from __future__ import annotations

from collections import Counter

from ..lexicon.segment import SyllableRepairer, split_score
from ..model import Block, Choice
from .pieces import atomise, find_pieces, rebuild, replace_spans

# Blocks shorter than this many pieces are judged with their neighbours (titles, short lines).
_MIN_PIECES = 6
SPLIT_THRESHOLD = 0.5


def repair_syllable_splits(blocks: list[Block], repairer: SyllableRepairer, stats: Counter[str]) -> None:
    for block in blocks:
        if block.kind == "milestone":
            continue
        words = block.plain_text().split()
        if len(words) < _MIN_PIECES or split_score(words) < SPLIT_THRESHOLD:
            continue  # cheap test on the reading text before the exact piece analysis
        atoms = atomise(block.inlines)
        pieces = find_pieces(atoms)
        texts = [p.text for p in pieces]
        if len(texts) < _MIN_PIECES or split_score(texts) < SPLIT_THRESHOLD:
            continue
        stats["split_blocks"] += 1
        replacements = []
        for start, end in repairer.segment(texts):
            if end - start < 2:
                continue
            first, last = pieces[start], pieces[end - 1]
            reg = "".join(texts[start:end])
            orig = rebuild(atoms[first.start:last.end])
            replacements.append((first.start, last.end, Choice(orig, reg, "syllables")))
            stats["syllable_joins"] += 1
            stats["syllable_pieces_joined"] += end - start
        if replacements:
            block.inlines = replace_spans(atoms, replacements)
