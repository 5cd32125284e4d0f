"""Build the PDF corpus, convert every PDF through the whole pipeline (TEI only) and score it;
then time reading + cleaning alone on one core.

    .venv/bin/python -m bench.pdfcorpus.run [--show] [--no-syllables]

--no-syllables turns the cleaner's syllable repair off, to tell the reader's errors from its.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

from kzarchive.pdf import clean_pdf, read_pdf_bytes
from kzarchive.pipeline import convert_source
from kzarchive.results import ConvertOptions

from .generate import build, corpus
from .score import Score, score_tei


def main(show: bool = False) -> list[Score]:
    scores: list[Score] = []
    timings: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for spec in corpus():
            pdf, truth = build(spec)
            source = folder / f"{spec.name}.pdf"
            source.write_bytes(pdf)
            result = convert_source(source, ConvertOptions(folder / "out", formats=("tei",), date="2026-01-01"), {})
            if not result.ok:
                print(f"{spec.name}: FAILED {result.error}")
                continue
            score = score_tei(spec.name, etree.parse(str(result.outputs["tei"])), truth)
            scores.append(score)
            _time_read_clean(pdf)  # once to load the lexicon and hunspell, as a batch worker has them
            timings.append(_time_read_clean(pdf))
    _report(scores, timings, show)
    return scores


def _time_read_clean(pdf: bytes) -> tuple[int, float]:
    started = time.process_time()
    source = read_pdf_bytes(pdf)
    clean_pdf(source)
    return len(source.pages), time.process_time() - started


def _report(scores: list[Score], timings: list[tuple[int, float]], show: bool) -> None:
    print("| PDF | pages | words | word accuracy | leaked | lost | pb @n right | paragraphs whole |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in scores:
        print(f"| {s.name} | {s.pages} | {s.words} | {s.accuracy:.2%} | {s.leaked} | {s.lost} | {s.pages_right}/{s.pages} "
              f"| {s.paragraphs_right}/{s.paragraphs} |")
    words = sum(s.words for s in scores)
    errors = sum(s.errors for s in scores)
    pages = sum(p for p, _ in timings)
    seconds = sum(t for _, t in timings)
    print(f"| all | {pages} | {words} | {1 - errors / words:.2%} | {sum(s.leaked for s in scores)} | "
          f"{sum(s.lost for s in scores)} | {sum(s.pages_right for s in scores)}/{sum(s.pages for s in scores)} "
          f"| {sum(s.paragraphs_right for s in scores)}/{sum(s.paragraphs for s in scores)} |")
    print(f"\nreading + cleaning: {pages} pages in {seconds:.2f} CPU s = {pages / seconds:.0f} pages/s (one core)")
    if show:
        for s in scores:
            for example in s.examples:
                print(f"  {s.name}: {example}")


if __name__ == "__main__":
    if "--no-syllables" in sys.argv:
        import kzarchive.clean

        kzarchive.clean.repair_syllable_splits = lambda *args, **kwargs: None
    main(show="--show" in sys.argv)
