"""Cluster benchmark (not a test): `convert --scheduler` against the local process pool with the same
number of processes, on this machine.

    python bench/bench_cluster.py                  # --formats tei, 1 and 2 workers
    python bench/bench_cluster.py --formats tei,epub --scale 8 --repeats 3

For each number of workers N (1, 2) it times `--jobs N` (the pool), `--scheduler local:N` (a LocalCluster
started for the run, start-up included) and a scheduler with N `dask worker` processes started beforehand
on 127.0.0.1 (a real cluster's steady state: start-up and warm-up paid once). Documents per second: on
input/ replicated (bench_batch's corpus), the fastest of --repeats runs. The cost per document is the
slope between two counts of short documents, so fixed costs (process start-up, cluster start, warm-up)
cancel out and appear as the intercept; it is counted in CPU seconds of every process involved (the CLI,
pool workers, scheduler, nannies, workers), which other work on a shared machine barely disturbs, unlike
wall time. The cluster's overhead per document is its CPU slope minus the pool's. Memory per worker: the
largest worker_peak_rss_kb in the manifest. Needs the cluster extra (psutil comes with it).
Prints Markdown tables for bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import REPO, SAMPLES, make_corpus  # noqa: E402  (the same replicated samples)

STARTUP_TIMEOUT = 120
SMALL_LINES = 40  # lines of a sample in each short document


# Runs the CLI in a child process and reports the CPU seconds of that process and of every process it
# waited for (pool workers; a LocalCluster's nannies and workers).
RUNNER = """
import json, resource, sys
from kzarchive.cli import main
code = main(sys.argv[2:])
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
open(sys.argv[1], "w").write(json.dumps({"code": code, "cpu": cpu}))
"""


def run(corpus: Path, out: Path, formats: str, where: list[str], cluster: list[psutil.Process]) -> dict:
    """One convert: its wall time, the CPU seconds of every process involved, and its manifest."""
    usage_file = out.with_suffix(".usage.json")
    command = ["convert", str(corpus), "-o", str(out), "--formats", formats, "--force", "--quiet", *where]
    cluster_before = cpu_seconds(cluster)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUNNER, str(usage_file), *command], check=False,
                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    wall = time.perf_counter() - started
    cpu = json.loads(usage_file.read_text())["cpu"] + cpu_seconds(cluster) - cluster_before
    return {"wall": wall, "cpu": cpu, "manifest": json.loads((out / "manifest.json").read_text(encoding="utf-8"))}


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User and system CPU seconds of running processes and their children (a nanny's worker)."""
    total = 0.0
    for process in processes:
        for member in (process, *process.children(recursive=True)):
            with contextlib.suppress(psutil.NoSuchProcess):
                times = member.cpu_times()
                total += times.user + times.system
    return total


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int) -> Iterator[tuple[str, list[psutil.Process]]]:
    """A scheduler and `workers` single-threaded worker processes, stopped on leaving."""
    environment = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0",
                   "PYTHONPATH": str(REPO / "src")}
    scheduler_file = folder / f"scheduler-{workers}.json"
    started = []
    try:
        started.append(subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                                         "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment,
                                        start_new_session=True))
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        for _ in range(workers):
            started.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                             "--host", "127.0.0.1", "--no-dashboard"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment,
                                            start_new_session=True))
        from distributed import Client

        with Client(address, timeout=STARTUP_TIMEOUT) as client:
            client.wait_for_workers(workers, timeout=STARTUP_TIMEOUT)
        yield address, [psutil.Process(process.pid) for process in started]
    finally:
        for process in reversed(started):
            os.killpg(os.getpgid(process.pid), signal.SIGTERM)
            process.wait(timeout=30)


def peak_worker_mb(manifest: dict) -> float:
    return max((d.get("worker_peak_rss_kb", 0) for d in manifest["documents"]), default=0) / 1024


def make_small_corpus(folder: Path, count: int) -> Path:
    """`count` short documents (a sample's first lines, each with its own closing line): the work per
    document is small, so what the cluster adds to each one shows."""
    folder.mkdir(parents=True, exist_ok=True)
    opening = "\n".join(SAMPLES[0].read_text(encoding="utf-8").splitlines()[:SMALL_LINES])
    for number in range(count):
        (folder / f"s{number:04d}.txt").write_text(f"{opening}\n\n{number} нұсқа.\n", encoding="utf-8")
    return folder


def fastest(corpus: Path, out: Path, args: argparse.Namespace, where: list[str],
            cluster: list[psutil.Process]) -> dict:
    """The least disturbed of the runs (the machine is shared)."""
    return min((run(corpus, out, args.formats, where, cluster) for _ in range(args.repeats)),
               key=lambda result: result["wall"])


def measure(label: str, corpora: dict[str, Path], folder: Path, args: argparse.Namespace, where: list[str],
            cluster: list[psutil.Process] | None = None) -> dict:
    cluster = cluster or []
    short = [fastest(corpora[name], folder / f"out-{name}", args, where, cluster) for name in ("small-a", "small-b")]
    counts = [result["manifest"]["summary"]["converted"] for result in short]
    cpu_slope = (short[1]["cpu"] - short[0]["cpu"]) / (counts[1] - counts[0])
    wall_slope = (short[1]["wall"] - short[0]["wall"]) / (counts[1] - counts[0])
    real = fastest(corpora["samples"], folder / "out-samples", args, where, cluster)
    converted = real["manifest"]["summary"]["converted"]
    return {"label": label, "per_second": converted / real["wall"], "cpu_ms": cpu_slope * 1000,
            "wall_ms": wall_slope * 1000, "fixed_cpu": short[0]["cpu"] - cpu_slope * counts[0],
            "worker_mb": peak_worker_mb(real["manifest"]),
            "failed": sum(r["manifest"]["summary"]["failed"] for r in (*short, real))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", default="20,1000", help="two counts of short documents (default 20,1000)")
    parser.add_argument("--scale", type=int, default=4, help="copies of input/ for documents per second (default 4)")
    parser.add_argument("--formats", default="tei")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each measurement; the fastest counts")
    args = parser.parse_args()
    fewer, more = (int(n) for n in args.small.split(","))
    rows = []
    with tempfile.TemporaryDirectory(prefix="kz-bench-cluster-") as tmp:
        folder = Path(tmp)
        corpora = {"small-a": make_small_corpus(folder / "small-a", fewer),
                   "small-b": make_small_corpus(folder / "small-b", more),
                   "samples": make_corpus(folder / "samples", args.scale)}
        for workers in (1, 2):
            pool = measure(f"pool `--jobs {workers}`", corpora, folder, args, ["--jobs", str(workers)])
            local = measure(f"`--scheduler local:{workers}`", corpora, folder, args,
                            ["--scheduler", f"local:{workers}"])
            with dask_cluster(folder, workers) as (address, processes):
                running = measure(f"scheduler + {workers} × `dask worker`", corpora, folder, args,
                                  ["--scheduler", address], processes)
            for row in (pool, local, running):
                row["overhead_ms"] = row["cpu_ms"] - pool["cpu_ms"]
                rows.append(row)
    print(f"formats {args.formats}; documents/s: input/ ×{args.scale}; per document: slope between {fewer} and "
          f"{more} short documents; fastest of {args.repeats} run(s) each\n")
    print("| run | documents/s (real) | CPU ms per short document | cluster overhead CPU ms/document "
          "| wall ms per short document | fixed CPU s (start-up) | peak RSS per worker MB | failed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['label']} | {row['per_second']:.2f} | {row['cpu_ms']:.0f} | {row['overhead_ms']:+.0f} | "
              f"{row['wall_ms']:.0f} | {row['fixed_cpu']:.1f} | {row['worker_mb']:.0f} | {row['failed']} |")


if __name__ == "__main__":
    main()
