"""Batch benchmark (not a test): end-to-end and per-stage throughput and peak memory of
`kzarchive convert` on input/ and on larger corpora made from it, against pandoc and calibre.

    python bench/bench_batch.py                       # 1× all formats + memory curve 1,5,10,20× (TEI)
    python bench/bench_batch.py --scales 1,5 --curve-formats tei,docx --jobs 2

Larger corpora are the samples replicated with new file names and a small perturbation of the text
(so incremental skipping cannot kick in). Pages are estimated as source characters / 1800 (or the
page breaks found, when more). Peak memory: the CLI process and the largest worker (ru_maxrss).
Prints Markdown tables; the lead copies them into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INPUT = REPO / "input"
SAMPLES = sorted(INPUT.glob("*.txt"))
# Runs the CLI in a child process and reports that process's own peak RSS and its workers' largest.
RUNNER = """
import json, resource, sys
from kzarchive.cli import main
code = main(sys.argv[2:])
usage = {"code": code, "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
         "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
open(sys.argv[1], "w").write(json.dumps(usage))
"""


def make_corpus(folder: Path, scale: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(scale):
        for sample in SAMPLES:
            text = sample.read_text(encoding="utf-8", errors="replace")
            if copy:  # a different name and slightly different text: a new document for the manifest
                text = text.replace("\n", f"\n{copy} ", 1) + f"\n{copy}-нұсқа\n"
            (folder / f"c{copy:02d}_{sample.name}").write_text(text, encoding="utf-8")
    return folder


def run_kzarchive(corpus: Path, out: Path, formats: str, jobs: int) -> dict:
    usage_file = out.with_suffix(".usage.json")
    args = ["convert", str(corpus), "-o", str(out), "--formats", formats, "--jobs", str(jobs), "--force", "--quiet"]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUNNER, str(usage_file), *args], check=False,
                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    wall = time.perf_counter() - started
    usage = json.loads(usage_file.read_text())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"wall": wall, **usage, "manifest": manifest}


def stage_table(manifest: dict) -> list[tuple[str, float, float, float]]:
    docs = [d for d in manifest["documents"] if d["status"] == "ok"]
    pages = sum(d["pages"] for d in docs)
    megabytes = sum(d["source_size"] for d in docs) / 2**20
    totals: dict[str, float] = {}
    for doc in docs:
        for stage, seconds in doc["timings"].items():
            totals[stage] = totals.get(stage, 0.0) + seconds
    return [(stage, seconds, pages / seconds if seconds else 0.0, megabytes / seconds if seconds else 0.0)
            for stage, seconds in totals.items()]


def time_command(command: list[str]) -> float | None:
    if not shutil.which(command[0]):
        return None
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True)
    return time.perf_counter() - started if result.returncode == 0 else None


def competitors(work: Path) -> dict[str, float | None]:
    times: dict[str, float | None] = {"pandoc epub": 0.0, "pandoc docx": 0.0, "calibre epub": 0.0}
    for sample in SAMPLES:
        for label, command in {
            "pandoc epub": ["pandoc", "-f", "markdown", str(sample), "-o", str(work / f"{sample.stem}.p.epub")],
            "pandoc docx": ["pandoc", "-f", "markdown", str(sample), "-o", str(work / f"{sample.stem}.p.docx")],
            "calibre epub": ["ebook-convert", str(sample), str(work / f"{sample.stem}.c.epub"),
                             "--enable-heuristics"],
        }.items():
            seconds = time_command(command)
            times[label] = None if seconds is None or times[label] is None else times[label] + seconds
    return times


def fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,5,10,20")
    parser.add_argument("--curve-formats", default="tei", help="formats for the memory curve runs")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-competitors", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kzbench-"))
    print(f"# kzarchive batch benchmark — {os.cpu_count()} cores, --jobs {args.jobs}\n")

    full = run_kzarchive(INPUT, work / "full", "tei,epub,docx,pdf", args.jobs)
    tei_epub_docx = run_kzarchive(INPUT, work / "ted", "tei,epub,docx", args.jobs)
    summary = full["manifest"]["summary"]
    print(f"input/: {summary['documents']} documents, {summary['pages']} pages (est.), "
          f"{summary['source_bytes'] / 2**20:.2f} MB, {summary['failed']} failed\n")
    print("| run (input/, 5 samples) | wall s | pages/s | MB/s |\n|---|---:|---:|---:|")
    for label, run in (("kzarchive TEI+EPUB+DOCX+PDF", full), ("kzarchive TEI+EPUB+DOCX", tei_epub_docx)):
        print(f"| {label} | {run['wall']:.1f} | {summary['pages'] / run['wall']:.0f} | "
              f"{summary['source_bytes'] / 2**20 / run['wall']:.2f} |")
    if not args.no_competitors:
        times = competitors(work)
        for label, seconds in times.items():
            print(f"| {label} | {fmt(seconds)} | {fmt(summary['pages'] / seconds if seconds else None, 0)} | "
                  f"{fmt(summary['source_bytes'] / 2**20 / seconds if seconds else None, 2)} |")

    print("\nPer stage (CPU seconds summed over documents, all four formats):\n")
    print("| stage | seconds | pages/s | MB/s |\n|---|---:|---:|---:|")
    for stage, seconds, pages_s, mb_s in stage_table(full["manifest"]):
        print(f"| {stage} | {seconds:.2f} | {pages_s:.0f} | {mb_s:.2f} |")

    print(f"\nMemory as the corpus grows (--formats {args.curve_formats}):\n")
    print("| corpus | documents | pages | wall s | pages/s | peak RSS CLI MB | peak RSS worker MB |\n"
          "|---|---:|---:|---:|---:|---:|---:|")
    for scale in (int(s) for s in args.scales.split(",")):
        corpus = make_corpus(work / f"corpus{scale}", scale)
        run = run_kzarchive(corpus, work / f"out{scale}", args.curve_formats, args.jobs)
        docs = run["manifest"]["summary"]
        print(f"| {scale}× | {docs['documents']} | {docs['pages']} | {run['wall']:.1f} | "
              f"{docs['pages'] / run['wall']:.0f} | {run['self_kb'] / 1024:.0f} | {run['children_kb'] / 1024:.0f} |",
              flush=True)
        shutil.rmtree(corpus)
        shutil.rmtree(work / f"out{scale}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
