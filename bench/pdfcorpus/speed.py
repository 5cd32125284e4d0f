"""Speed and memory of PDF reading + cleaning against the page count: one long PDF typeset from the
corpus texts, read and cleaned at 1× and 4× its length, CPU time on one core and the peak of
Python allocations (tracemalloc) per run.

    .venv/bin/python -m bench.pdfcorpus.speed
"""

from __future__ import annotations

import time
import tracemalloc

from kzarchive.pdf import clean_pdf, read_pdf_bytes

from . import texts
from .generate import Spec, build

SECTIONS = [texts.KK_LAW, texts.KK_GEO, texts.RU_BIO, texts.RU_LAW, texts.KK_HISTORY]


def typeset(copies: int) -> bytes:
    spec = Spec(f"speed{copies}", "kk", "a5", 1, "alternate", "number", "bottom", sections=SECTIONS * copies,
                head_odd="Қазақстан: құқық пен табиғат", head_even="Оқу құралы")
    return build(spec)[0]


def measure(pdf: bytes) -> tuple[int, float, float, float]:
    """(pages, read s, read+clean s) in CPU time, then the allocation peak in a second, traced run."""
    started = time.process_time()
    source = read_pdf_bytes(pdf)
    read = time.process_time() - started
    clean_pdf(source)
    total = time.process_time() - started
    tracemalloc.start()
    clean_pdf(read_pdf_bytes(pdf))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return len(source.pages), read, total, peak


def main() -> None:
    clean_pdf(read_pdf_bytes(typeset(1)))  # load the lexicon and hunspell once, as a batch worker does
    print("| pages | read s | read+clean s | pages/s | peak MB (tracemalloc) |")
    print("|---:|---:|---:|---:|---:|")
    for copies in (4, 16):
        pages, read, total, peak = measure(typeset(copies))
        print(f"| {pages} | {read:.2f} | {total:.2f} | {pages / total:.0f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
