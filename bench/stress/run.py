"""Stress benchmark (issue 14): every stage timed on generated texts at doubling sizes.

    python -m bench.stress.run [--shapes a,b] [--max-mb N] [--timeout S] [--exports epub,docx,pdf]

Each case runs in a fresh process (bench/stress/one.py) so that its peak memory is its own. The
table shows CPU seconds per MB of source for each stage, so a stage that stays linear keeps the same
figure as the size doubles; `worst×` is the largest ratio of a stage's s/MB to the same stage on
the five samples in input/ (the target: ≤ 2 at 60 MB); `limit MB` is the memory target, 4× the
source size + the RSS of a process with the models and exporters loaded, to compare with `peak MB`
(the highest RSS while the case's own stages run); `peak−models MB/MB` is what the document itself
costs per MB of source, and `at` the stage where that peak was reached.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.stress.generate import SAMPLES_SHAPE, TEI_SHAPE, TEI_SIZES, TEXT_SHAPES
from bench.stress.stages import EXPORTS, TEXT_STAGES

ROOT = Path(__file__).resolve().parents[2]
# Bytes per unit of size, to skip cases over --max-mb before making them (an estimate).
BYTES_PER_UNIT = {"lines": 45, "lb": 50, "bytes": 1}


def cases(shapes: list[str], max_mb: float) -> list[tuple[str, int]]:
    """(shape, size) for every size whose text is at most `max_mb` (estimated before making it)."""
    out: list[tuple[str, int]] = []
    for shape in shapes:
        if shape == SAMPLES_SHAPE:
            out.append((shape, 0))
            continue
        sizes, unit = (TEI_SIZES, "lb") if shape == TEI_SHAPE else TEXT_SHAPES[shape][1:]
        out.extend((shape, size) for size in sizes if size * BYTES_PER_UNIT[unit] <= max_mb * 2**20)
    return out


def run_one(shape: str, size: int, exports: str, timeout: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kz-stress-") as workdir:
        command = [sys.executable, "-m", "bench.stress.one", shape, str(size), workdir, "--exports", exports]
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))})
        except subprocess.TimeoutExpired:
            return {"shape": shape, "size": size, "error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        return {"shape": shape, "size": size, "error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def table_row(case: dict[str, object], reference: dict[str, float], stages: list[str]) -> str:
    if "error" in case:
        return f"| {case['shape']} | {case['size']} | | " + " | ".join("" for _ in stages) + f" | | | {case['error']} |"
    mb = float(case["mb"])
    seconds: dict[str, float] = case["seconds"]  # type: ignore[assignment]
    per_mb = {stage: seconds[stage] / mb for stage in stages if stage in seconds}
    ratios = [per_mb[s] / reference[s] for s in per_mb if reference.get(s)]
    worst = f"{max(ratios):.1f}" if ratios and case["shape"] != SAMPLES_SHAPE else ""
    models, peak = float(case["models_mb"]), float(case["peak_mb"])
    limit = models + 4 * mb
    stage_peaks: dict[str, float] = case.get("stage_peak_mb") or {}  # type: ignore[assignment]
    peak_stage = max(stage_peaks, key=lambda s: stage_peaks[s]) if stage_peaks else ""
    cells = " | ".join(f"{per_mb[s]:.2f}" if s in per_mb else "" for s in stages)
    flag = "" if not case.get("issues") else f"{case['issues']} schema issues"
    return (f"| {case['shape']} | {case['size']} | {mb:.1f} | {cells} | {worst} | "
            f"{peak:.0f} | {max(peak - models, 0) / mb:.1f} | {peak_stage} | {limit:.0f} | {flag} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    all_shapes = [SAMPLES_SHAPE, *TEXT_SHAPES, TEI_SHAPE]
    parser.add_argument("--shapes", default=",".join(all_shapes))
    parser.add_argument("--max-mb", type=float, default=64.0, help="skip texts larger than this")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds for one case")
    parser.add_argument("--exports", default=",".join(EXPORTS))
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    shapes = [SAMPLES_SHAPE] + [s for s in args.shapes.split(",") if s and s != SAMPLES_SHAPE]
    stages = [s for s in TEXT_STAGES if not s.startswith("export-") or s[7:] in args.exports.split(",")]
    print("| shape | size | MB | " + " | ".join(f"{s} s/MB" for s in stages)
          + " | worst× | peak MB | peak−models MB/MB | at | limit MB | |")
    print("|---|---:|---:|" + "---:|" * len(stages) + "---:|---:|---:|---|---:|---|", flush=True)
    reference: dict[str, float] = {}
    results = []
    for shape, size in cases(shapes, args.max_mb):
        case = run_one(shape, size, args.exports, args.timeout)
        results.append(case)
        if shape == SAMPLES_SHAPE and "error" not in case:
            reference = {s: t / float(case["mb"]) for s, t in case["seconds"].items()}  # type: ignore[union-attr]
        print(table_row(case, reference, stages), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
