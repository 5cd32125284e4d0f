"""One stress case in a fresh process (so that peak memory is this case's): prints one JSON line.

    python -m bench.stress.one SHAPE SIZE WORKDIR [--exports epub,docx,pdf]
"""

from __future__ import annotations

import argparse
import json
import resource
from pathlib import Path

from bench.stress.generate import SAMPLES_SHAPE, TEI_SHAPE, TEXT_SHAPES, sample_paths, tei_with_line_breaks
from bench.stress.stages import EXPORTS, Timer, convert_file, export_tei, validate_bytes

from kzarchive.structure.languages import detect_language


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up(workdir: Path, exports: list[str]) -> bytes:
    """Load the models and exporters on the smallest sample, as a worker has them after its first
    document; returns that sample's TEI (the template of the TEI shape)."""
    sample = min(sample_paths(), key=lambda p: p.stat().st_size)
    convert_file(sample, workdir, Timer(), exports)
    for text in LINGUA_WARM_UP:  # lingua loads a language's models when it first weighs that language
        detect_language(text)
    return (workdir / f"{sample.stem}.tei.xml").read_bytes()


LINGUA_WARM_UP = ("Это предложение написано по-русски, чтобы загрузить модели всех языков.",
                  "This sentence is written in English so that every language model is loaded once.",
                  "Bu cümle her dilin modeli bir kez yüklensin diye Türkçe yazılmıştır.")


def run_case(shape: str, size: int, workdir: Path, exports: list[str]) -> dict[str, object]:
    template = warm_up(workdir, exports)
    models_mb = rss_mb()
    timer = Timer()
    if shape == SAMPLES_SHAPE:  # the reference: the five samples, seconds summed
        source_bytes, issues = 0, 0
        for sample in sample_paths():
            source_bytes += sample.stat().st_size
            issues += convert_file(sample, workdir, timer, exports)
    elif shape == TEI_SHAPE:
        tei_path = workdir / "stress.tei.xml"
        tei_path.write_bytes(tei_with_line_breaks(template, size))
        source_bytes = tei_path.stat().st_size
        issues = timer.run("validate", lambda: validate_bytes(tei_path.read_bytes()))
        if not issues:
            export_tei(tei_path, workdir, timer, exports)
    else:
        source = workdir / "stress.txt"
        source.write_text(TEXT_SHAPES[shape][0](size), encoding="utf-8")
        source_bytes = source.stat().st_size
        issues = convert_file(source, workdir, timer, exports)
    return {"shape": shape, "size": size, "mb": source_bytes / 2**20, "issues": issues,
            "seconds": timer.seconds, "peak_after_mb": timer.peak_mb, "stage_peak_mb": timer.stage_peak_mb,
            "models_mb": models_mb, "peak_mb": timer.overall_peak_mb or rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shape")
    parser.add_argument("size", type=int)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--exports", default=",".join(EXPORTS))
    args = parser.parse_args()
    exports = [fmt for fmt in args.exports.split(",") if fmt]
    print(json.dumps(run_case(args.shape, args.size, args.workdir, exports)))


if __name__ == "__main__":
    main()
