"""Rejoin words that the PDF split into syllables with spaces ("Ор та лық" → "Орталық").

Detection and segmentation live in lexicon.segment; this step applies them block by block and
keeps each source form in <choice><orig>…</orig><reg>…</reg></choice>.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from ..lexicon.margins import JoinScorer
from ..lexicon.segment import SyllableRepairer, split_score
from ..model import Block, Choice, Inline, LineBreak
from .hyphenation import HyphenDecision
from .pieces import Atom, atomise, find_pieces, rebuild, replace_spans

# Blocks shorter than this many pieces are judged with their neighbours (titles, short lines).
_MIN_PIECES = 6
SPLIT_THRESHOLD = 0.5


HyphenDecide = Callable[[str, str], HyphenDecision]


def repair_syllable_splits(blocks: list[Block], repairer: SyllableRepairer, stats: Counter[str],
                           decide_hyphen: HyphenDecide | None = None) -> None:
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
        replacements: list[tuple[int, int, Inline]] = []
        spans = repairer.segment(texts)
        scorer = JoinScorer(texts, spans, repairer.scoring_model(texts), repairer.boundaries, repairer.cohesion)
        for index, (start, end) in enumerate(spans):
            if end - start < 2:
                continue
            first, last = pieces[start], pieces[end - 1]
            reg = "".join(texts[start:end])
            if decide_hyphen is not None:
                reg = _redecide_hyphens(atoms, first.start, last.end, reg, decide_hyphen, stats)
            orig = rebuild(atoms[first.start:last.end])
            replacements.append((first.start, last.end, Choice(orig, reg, "syllables", scorer.confidence(index))))
            stats["syllable_joins"] += 1
            stats["syllable_pieces_joined"] += end - start
        if replacements:
            block.inlines = replace_spans(atoms, replacements)


def _redecide_hyphens(atoms: list[Atom], start: int, end: int, reg: str, decide: HyphenDecide,
                      stats: Counter[str]) -> str:
    """A line-end hyphen inside split text was decided on its pieces alone ("рым-⏎қа"); once the
    word is rejoined, decide it again on the whole halves ("қарым-⏎қатынасын": a real hyphen).
    A break that turns out real gets its hyphen back in the text and in the reading form."""
    position = 0
    for index in range(start, end):
        char, node = atoms[index]
        if node is None:
            position += 0 if char.isspace() else len(char)
        elif isinstance(node, Choice):
            position += len(node.reg)
        elif isinstance(node, LineBreak) and node.kind == "hyphen-break" and 0 < position < len(reg):
            if index == start or atoms[index - 1][1] is not None:
                continue  # no source character before it to carry the hyphen back
            decision = decide(reg[:position], reg[position:])
            if decision.join and decision.keep_hyphen:
                # the hyphen the break removed is text again, carried by the character before it so
                # that no atom index moves
                atoms[index - 1] = (atoms[index - 1][0] + "-", None)
                atoms[index] = ("", replace(node, kind="hyphen-kept", confidence=decision.confidence))
                reg = reg[:position] + "-" + reg[position:]
                position += 1
                stats["hyphens_joined"] -= 1
                stats["hyphens_kept"] += 1
    return reg
