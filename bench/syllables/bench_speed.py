"""Speed: repair all of corpus 004 (51 KB) and check time grows linearly with length.

    PYTHONPATH=src:bench/syllables python bench/syllables/bench_speed.py
"""

from __future__ import annotations

import time

from corpus004 import CORPUS_004, paragraphs

from kzarchive.lexicon.segment import SyllableRepairer


def time_repair(text: str) -> tuple[float, float, int]:
    """(seconds to set up the repairer, seconds to segment every paragraph, pieces)."""
    started = time.perf_counter()
    repairer = SyllableRepairer(document_text=text)
    blocks = paragraphs(text)
    repairer.segment(["ор", "та", "лық"])  # load lazy models before timing the repair
    ready = time.perf_counter()
    pieces = 0
    for block in blocks:
        repairer.segment(block)
        pieces += len(block)
    return ready - started, time.perf_counter() - ready, pieces


def main() -> None:
    text = CORPUS_004.read_text(encoding="utf-8")
    time_repair(text)  # warm the shared lexicon / hunspell caches once
    for copies in (1, 2, 4):
        setup, repair, pieces = time_repair(text * copies)
        print(f"{copies}x 004 ({pieces} pieces): setup {setup:.2f}s, repair {repair:.2f}s "
              f"({repair / pieces * 1e6:.0f} µs/piece)")


if __name__ == "__main__":
    main()
