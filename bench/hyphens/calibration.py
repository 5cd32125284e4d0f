"""Is a word-list verdict's confidence what it scores? Accuracy by rule on the dev texts (never unseen).

    .venv/bin/python bench/hyphens/calibration.py
"""

from __future__ import annotations

import importlib.util
import re
from collections import defaultdict
from pathlib import Path

# bench/hyphens/run.py, loaded by path: bench/unseen/run.py, which it imports, is also "run"
_SPEC = importlib.util.spec_from_file_location("hyphens_run", Path(__file__).with_name("run.py"))
assert _SPEC is not None and _SPEC.loader is not None
harness = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(harness)

from kzarchive.clean.hyphenation import HyphenResolver, decision_label  # noqa: E402


def rule_of(reason: str) -> str:
    """The rule behind a reason: its words without the quoted pieces and counts."""
    return re.sub(r"'[^']*'|\(\d+×\)", "…", reason.split(":")[0])[:70]


def main() -> int:
    tally: dict[tuple[str, float], list[int]] = defaultdict(lambda: [0, 0])
    for text in harness.load_dev():
        for seed in harness.DEV_SEEDS:
            for document in harness.renderings(text, seed=seed):
                resolver = HyphenResolver(document_text=document.raw)
                for case in document.hyphen_cases:
                    decision = resolver.decide(case.left, case.right)
                    ours = "×" not in decision.reason and any(
                        mark in decision.reason for mark in ("word list has", "listed", " are words"))
                    key = (rule_of(decision.reason), decision.confidence if ours else -1.0)
                    tally[key][0] += 1
                    tally[key][1] += decision_label(decision) == case.gold
    print("| rule | stated confidence | decisions | correct |\n|---|---|---|---|")
    for (rule, confidence), (n, right) in sorted(tally.items(), key=lambda kv: -kv[1][0]):
        if confidence >= 0:
            print(f"| {rule} | {confidence} | {n} | {right / n:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
