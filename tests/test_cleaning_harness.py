"""The degradation generator, the scorers and a reduced benchmark run."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # bench/ lives at the repository root

from bench.cleaning.baselines import naive_reader  # noqa: E402
from bench.cleaning.degrade import DegradeConfig, degrade, wrap_paragraph  # noqa: E402
from bench.cleaning.run import hyphen_figures, make_splits  # noqa: E402
from bench.cleaning.score import score_reconstruction  # noqa: E402

PARAGRAPHS = [
    "Қазақстан мен Ресей арасындағы қарым-қатынас әлеуметтік-экономикалық ынтымақтастықты "
    "дамытуға бағытталған. КСРО-ның ыдырауынан кейін 1990-жылдары жаңа мемлекеттер пайда болды.",
    "Екі елдің мемлекетаралық байланыстары кезең-кезеңімен нығайып, сондай-ақ іс-шаралар "
    "жүйелі түрде өткізіліп отырды. Бұл үдеріс халықаралық қауымдастық тарапынан оң бағаланды.",
] * 6


def test_generator_is_deterministic() -> None:
    first, second = degrade(PARAGRAPHS, seed=11), degrade(PARAGRAPHS, seed=11)
    assert first.raw == second.raw and first.gold_dict() == second.gold_dict()
    assert degrade(PARAGRAPHS, seed=12).raw != first.raw


def test_hyphen_gold_rebuilds_the_words() -> None:
    import random

    for width in (50, 63, 77, 90):
        lines, cases = wrap_paragraph(PARAGRAPHS[0], width, random.Random(width), hyphenate_rate=1.0)
        assert all(len(line) <= width for line in lines)
        assert cases, "a full hyphenation rate must produce line-end hyphens"
        for case in cases:
            # the two halves with the hyphen put back only where it is the word's own: exactly the word
            rebuilt = case.left + ("-" if case.gold == "keep" else "") + case.right
            assert rebuilt == case.word
        words = " ".join(lines)
        assert "-" in words


def test_furniture_is_inserted_and_recorded() -> None:
    config = DegradeConfig(60, "dashes", "between_paragraphs", "both", "Тарих және саясаттану журналы", 10, 0.8)
    doc = degrade(PARAGRAPHS, seed=3, config=config)
    assert doc.page_numbers and all(f"- {n} -" in doc.raw for n in doc.page_numbers)
    assert doc.raw.count("Тарих және саясаттану журналы") == len(doc.furniture_lines) - len(doc.page_numbers)
    assert doc.hyphen_cases and {c.gold for c in doc.hyphen_cases} <= {"break", "keep"}


def test_scorer_rewards_perfect_and_catches_leaks() -> None:
    config = DegradeConfig(55, "plain", "between_paragraphs", "top", "Тарих және саясаттану журналы", 8, 1.0)
    doc = degrade(PARAGRAPHS, seed=5, config=config)
    perfect = score_reconstruction(doc, doc.paragraphs)
    assert perfect.word_accuracy == 1.0 and perfect.boundary_f1 == 1.0
    assert perfect.page_numbers_leaked == 0 and perfect.furniture_leaked == 0
    naive = score_reconstruction(doc, naive_reader(doc.raw))
    assert naive.page_numbers_leaked > 0 and naive.furniture_leaked > 0
    assert naive.word_error_rate > 0.0


def test_reduced_benchmark_meets_targets() -> None:
    split = make_splits(seed=2, max_documents=12)[1]  # document hold-out: 001 unseen by the word list
    figures = hyphen_figures(split, hunspell=True)
    assert figures["oov_rate_tokens"] > 0.15  # the word list really misses much of the text
    assert figures["cases"] > 800 and figures["keep_cases"] > 30
    assert figures["accuracy"] >= 0.995, figures["errors"]
    assert figures["keep_f1"] >= 0.95, figures["errors"]
