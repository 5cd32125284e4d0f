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
import threading
import time
from pathlib import Path

from bench_batch import INPUT, REPO, RUNNER, SAMPLES

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
t0 = time.perf_counter()
if sys.argv[2:] == ["preload"]:  # as a pool worker: forked after the fork server loaded the data
    import kzarchive.preload  # noqa: F401
preload = time.perf_counter() - t0
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
print(json.dumps({"cold": runs[0], "warm": runs[1], "chars": len(text), "preload": preload,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _memory_kb(pid: int) -> dict[str, int]:
    """Rss, Pss and private (unshared) kB of a process, from /proc/PID/smaps_rollup."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, _, value = line.partition(":")
            fields[name] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    return {"rss": fields.get("Rss", 0), "pss": fields.get("Pss", 0),
            "private": fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)}


def _descendants(pid: int) -> list[int]:
    """Children, grandchildren… of a process (Linux: /proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            try:
                children = [int(child) for child in task.read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _is_worker(pid: int) -> bool:
    """A pool worker: a child of the fork server (or a spawned worker), not the server or the tracker."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        parent_command = Path(f"/proc/{parent}/cmdline").read_bytes()
    except (OSError, IndexError, ValueError):
        return False
    return b"spawn_main" in command or (b"forkserver" in command and b"forkserver" in parent_command)


class MemorySampler(threading.Thread):
    """Samples the workers of a running batch every 0.2 s: the largest Rss, Pss and private memory seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = {"rss": 0, "pss": 0, "private": 0}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            for worker in filter(_is_worker, _descendants(self.pid)):
                for name, value in _memory_kb(worker).items():
                    self.peak[name] = max(self.peak[name], value)


def run_sampled(out: Path, formats: str, jobs: int) -> dict:
    """run_kzarchive, with the workers' memory sampled while it runs."""
    usage_file = out.with_suffix(".usage.json")
    args = ["convert", str(INPUT), "-o", str(out), "--formats", formats, "--jobs", str(jobs), "--force", "--quiet"]
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", RUNNER, str(usage_file), *args],
                               env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    sampler = MemorySampler(process.pid)
    sampler.start()
    process.wait()
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    usage = json.loads(usage_file.read_text())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"wall": wall, **usage, "manifest": manifest, "worker_kb": sampler.peak}


def timed_kzarchive(out: Path, formats: str, jobs: int) -> dict:
    cpu = children_cpu()
    run = run_sampled(out, formats, jobs)
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


def stage_times(source: Path, preload: bool = False) -> dict:
    extra = ["preload"] if preload else []
    result = subprocess.run([sys.executable, "-c", STAGES, str(source), *extra], check=True,
                            capture_output=True, text=True,
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
    ted = runs["kzarchive TEI+EPUB+DOCX"]
    peak = {name: max(r["worker_kb"][name] for r in ted) / 1024 for name in ("rss", "pss", "private")}
    print(f"\nWorkers' peak memory (TEI+EPUB+DOCX, sampled every 0.2 s): RSS {peak['rss']:.0f} MB, "
          f"PSS {peak['pss']:.0f} MB (pages shared with the fork server and the other worker counted "
          f"pro rata), private {peak['private']:.0f} MB; ru_maxrss of the largest child "
          f"{max(r['children_kb'] for r in ted) / 1024:.0f} MB")
    if args.no_stages:
        return
    print("\nPer document, seconds of clean / structure / encode: cold = the first document of a fresh process "
          "(as `--jobs 1`), first = the first document of a pool worker (forked after `kzarchive.preload`), "
          "warm = the same document again:\n")
    print("| document | chars | clean cold | clean first | clean warm | structure cold | structure first | "
          "structure warm | cold ÷ warm | first ÷ warm | warm chars/s | peak MB |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    preload = []
    for sample in SAMPLES:
        fresh, worker = stage_times(sample), stage_times(sample, preload=True)
        preload.append(worker["preload"])
        cold, first, warm = fresh["cold"], worker["cold"], worker["warm"]
        total_warm = sum(warm.values())
        print(f"| {sample.name[:3]} | {fresh['chars']} | {cold['clean']:.2f} | {first['clean']:.2f} | "
              f"{warm['clean']:.2f} | {cold['structure']:.2f} | {first['structure']:.2f} | {warm['structure']:.2f} | "
              f"{sum(cold.values()) / total_warm:.2f} | {sum(first.values()) / total_warm:.2f} | "
              f"{fresh['chars'] / total_warm:.0f} | {worker['peak_mb']:.0f} |")
    print(f"\nPreloading the language data (once per pool, in the fork server): {statistics.median(preload):.2f} s")


if __name__ == "__main__":
    main()
