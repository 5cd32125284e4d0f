"""kzarchive against pandoc on the five samples, in one run (not a test; issue 17).

    python bench/bench_vs_pandoc.py [--rounds 3] [--jobs 2] [--no-stages]

Each round times, in turn: `kzarchive convert input --force --jobs 2` with TEI+EPUB+DOCX, the same with
all four formats, and pandoc (Markdown reader, as for a .txt) writing EPUB and DOCX of the same five
files one after the other. Prints the median wall and CPU seconds of each and the ratios, the largest
worker's peak memory, and per stage the seconds of each document cold (the first document of a fresh
process) and warm (the same document again in that process). pandoc is the system's `pandoc`
(Debian: `apt-get install pandoc`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_batch import INPUT, REPO, SAMPLES, run_kzarchive

# One document's stages in a fresh process, twice: cold, then warm. Prints JSON.
STAGES = """
import json, resource, sys, time
from pathlib import Path
from kzarchive.clean import CleaningTools, clean_text
from kzarchive.metadata import CatalogEntry, SourceInfo
from kzarchive.read import read_source
from kzarchive.structure import structure_document
from kzarchive.tei.encode import encode_tei

path = Path(sys.argv[1])
text = read_source(path).text
runs = []
for _ in range(2):
    t0 = time.perf_counter()
    cleaned = clean_text(text, CleaningTools.for_document(text))
    t1 = time.perf_counter()
    document = structure_document(cleaned)
    t2 = time.perf_counter()
    encode_tei(document, SourceInfo(path, "0" * 64, len(text), "utf-8", CatalogEntry(path.name), "2026-01-01"))
    t3 = time.perf_counter()
    runs.append({"clean": t1 - t0, "structure": t2 - t1, "encode": t3 - t2})
print(json.dumps({"cold": runs[0], "warm": runs[1], "chars": len(text),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_kzarchive(out: Path, formats: str, jobs: int) -> dict:
    cpu = children_cpu()
    run = run_kzarchive(INPUT, out, formats, jobs)
    run["cpu"] = children_cpu() - cpu
    failed = run["manifest"]["summary"]["failed"]
    if failed:
        raise SystemExit(f"kzarchive: {failed} documents failed")
    shutil.rmtree(out)
    return run


def timed_pandoc(work: Path) -> dict:
    cpu = children_cpu()
    started = time.perf_counter()
    for sample in SAMPLES:
        for suffix in ("epub", "docx"):
            subprocess.run(["pandoc", "-f", "markdown", str(sample), "-o", str(work / f"{sample.stem}.{suffix}")],
                           check=True, capture_output=True)
    return {"wall": time.perf_counter() - started, "cpu": children_cpu() - cpu}


def stage_times(source: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", STAGES, str(source)], check=True, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-stages", action="store_true", help="skip the cold/warm stage table")
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        raise SystemExit("pandoc is not installed (Debian: apt-get install pandoc)")
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    work = Path(tempfile.mkdtemp(prefix="kzpandoc-"))
    runs: dict[str, list[dict]] = {"kzarchive TEI+EPUB+DOCX": [], "kzarchive all four formats": [],
                                   "pandoc EPUB+DOCX": []}
    for _ in range(args.rounds):
        runs["kzarchive TEI+EPUB+DOCX"].append(timed_kzarchive(work / "ted", "tei,epub,docx", args.jobs))
        runs["kzarchive all four formats"].append(timed_kzarchive(work / "all", "tei,epub,docx,pdf", args.jobs))
        runs["pandoc EPUB+DOCX"].append(timed_pandoc(work))
    shutil.rmtree(work, ignore_errors=True)

    pandoc_wall = statistics.median(r["wall"] for r in runs["pandoc EPUB+DOCX"])
    print(f"# kzarchive vs {version} — {os.cpu_count()} cores, --jobs {args.jobs}, median of {args.rounds} rounds\n")
    print("| run (input/, 5 samples) | wall s | CPU s | wall ÷ pandoc |\n|---|---:|---:|---:|")
    for label, measured in runs.items():
        wall = statistics.median(r["wall"] for r in measured)
        cpu = statistics.median(r["cpu"] for r in measured)
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {wall / pandoc_wall:.2f}× |")
    worker_mb = max(r["children_kb"] for r in runs["kzarchive TEI+EPUB+DOCX"]) / 1024
    print(f"\nLargest worker's peak RSS (TEI+EPUB+DOCX): {worker_mb:.0f} MB")
    if args.no_stages:
        return
    print("\nPer document, clean / structure / encode seconds, cold (first document of a fresh process) and warm:\n")
    print("| document | chars | clean cold | clean warm | structure cold | structure warm | encode warm | "
          "cold ÷ warm | warm chars/s | peak MB |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for sample in SAMPLES:
        times = stage_times(sample)
        cold, warm = times["cold"], times["warm"]
        total_cold, total_warm = sum(cold.values()), sum(warm.values())
        print(f"| {sample.name[:3]} | {times['chars']} | {cold['clean']:.2f} | {warm['clean']:.2f} | "
              f"{cold['structure']:.2f} | {warm['structure']:.2f} | {warm['encode']:.2f} | "
              f"{total_cold / total_warm:.2f} | {times['chars'] / total_warm:.0f} | {times['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
