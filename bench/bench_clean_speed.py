"""Cleaning + structure + TEI encoding speed, and its growth with input size (should be linear).

    python bench/bench_clean_speed.py [SOURCE] [--repeat N]

Not a test: figures go in the README. Times the stages on one core, best of N runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kzarchive.clean import CleaningTools, clean_text
from kzarchive.metadata import CatalogEntry, SourceInfo
from kzarchive.read import read_source
from kzarchive.structure import structure_document
from kzarchive.tei.encode import encode_tei

DEFAULT = next(Path("input").glob("001_*.txt"), None)


def time_once(text: str, path: Path) -> tuple[float, float, float]:
    started = time.perf_counter()
    tools = CleaningTools.for_document(text)
    cleaned = clean_text(text, tools)
    after_clean = time.perf_counter()
    document = structure_document(cleaned)
    after_structure = time.perf_counter()
    encode_tei(document, SourceInfo(path, "0" * 64, len(text), "utf-8", CatalogEntry(path.name), "2026-01-01"))
    done = time.perf_counter()
    return after_clean - started, after_structure - after_clean, done - after_structure


def best_of(text: str, path: Path, repeat: int) -> tuple[float, float, float]:
    runs = [time_once(text, path) for _ in range(repeat)]
    return min(runs, key=sum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = read_source(args.source).text
    time_once(text, args.source)  # warm caches: lexicon load, hunspell dictionary, language models
    print(f"{args.source.name}: {len(text.encode()) / 1e3:.0f} KB")
    print("| input | clean s | structure s | encode s | total s | KB/s |")
    print("|---|---|---|---|---|---|")
    for factor in (1, 2, 4):
        sized = "\n".join([text] * factor)
        clean_s, structure_s, encode_s = best_of(sized, args.source, args.repeat)
        total = clean_s + structure_s + encode_s
        print(f"| {factor}× | {clean_s:.3f} | {structure_s:.3f} | {encode_s:.3f} | {total:.3f} | "
              f"{len(sized.encode()) / 1e3 / total:.0f} |")


if __name__ == "__main__":
    main()
