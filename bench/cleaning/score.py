"""Scorers: hyphen decisions against gold labels, reconstructed paragraphs against gold text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from kzarchive.clean.hyphenation import HyphenDecision, decision_label

from .degrade import Degraded, HyphenCase

Reader = Callable[[str], list[str]]
_NUMBER = re.compile(r"\d+")


@dataclass
class HyphenScore:
    cases: int
    correct: int
    keep_gold: int
    keep_predicted: int
    keep_correct: int
    errors: list[tuple[str, str, str, str]]  # left, right, gold, predicted

    @property
    def accuracy(self) -> float:
        return self.correct / self.cases if self.cases else 1.0

    @property
    def keep_precision(self) -> float:
        return self.keep_correct / self.keep_predicted if self.keep_predicted else 1.0

    @property
    def keep_recall(self) -> float:
        return self.keep_correct / self.keep_gold if self.keep_gold else 1.0

    @property
    def keep_f1(self) -> float:
        p, r = self.keep_precision, self.keep_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict:
        return {
            "cases": self.cases,
            "keep_cases": self.keep_gold,
            "accuracy": round(self.accuracy, 4),
            "keep_precision": round(self.keep_precision, 4),
            "keep_recall": round(self.keep_recall, 4),
            "keep_f1": round(self.keep_f1, 4),
        }


def score_hyphens(
    pairs: Iterable[tuple[str, str, str]], decide: Callable[[str, str], HyphenDecision]
) -> HyphenScore:
    """Score (left, right, gold) triples; gold is break, keep or dash."""
    cases = correct = keep_gold = keep_predicted = keep_correct = 0
    errors: list[tuple[str, str, str, str]] = []
    for left, right, gold in pairs:
        predicted = decision_label(decide(left, right))
        cases += 1
        keep_gold += gold == "keep"
        keep_predicted += predicted == "keep"
        if predicted == gold:
            correct += 1
            keep_correct += gold == "keep"
        else:
            errors.append((left, right, gold, predicted))
    return HyphenScore(cases, correct, keep_gold, keep_predicted, keep_correct, errors)


def case_triples(cases: Iterable[HyphenCase]) -> list[tuple[str, str, str]]:
    return [(case.left, case.right, case.gold) for case in cases]


@dataclass
class ReconstructionScore:
    gold_words: int
    substitutions: int
    deletions: int
    insertions: int
    boundary_f1: float
    page_numbers_leaked: int
    furniture_leaked: int

    @property
    def word_accuracy(self) -> float:
        """Share of gold words reproduced exactly, in order."""
        return 1 - (self.substitutions + self.deletions) / self.gold_words if self.gold_words else 1.0

    @property
    def word_error_rate(self) -> float:
        errors = self.substitutions + self.deletions + self.insertions
        return errors / self.gold_words if self.gold_words else 0.0

    def summary(self) -> dict:
        data = asdict(self)
        data["word_accuracy"] = round(self.word_accuracy, 4)
        data["word_error_rate"] = round(self.word_error_rate, 4)
        data["boundary_f1"] = round(self.boundary_f1, 4)
        return data


def score_reconstruction(degraded: Degraded, paragraphs: Sequence[str]) -> ReconstructionScore:
    gold_words, gold_starts = _words_and_starts(degraded.paragraphs)
    out_words, out_starts = _words_and_starts(paragraphs)
    substitutions = deletions = insertions = 0
    # Map output word positions to gold positions to compare paragraph starts.
    mapped: dict[int, int] = {}
    matcher = SequenceMatcher(a=gold_words, b=out_words, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            mapped.update({b0 + k: a0 + k for k in range(a1 - a0)})
        elif tag == "replace":
            common = min(a1 - a0, b1 - b0)
            substitutions += common
            deletions += (a1 - a0) - common
            insertions += (b1 - b0) - common
        elif tag == "delete":
            deletions += a1 - a0
        else:
            insertions += b1 - b0
    predicted_starts = {mapped[s] for s in out_starts if s in mapped}
    return ReconstructionScore(
        gold_words=len(gold_words),
        substitutions=substitutions,
        deletions=deletions,
        insertions=insertions,
        boundary_f1=_f1(predicted_starts, gold_starts),
        page_numbers_leaked=_leaked_numbers(degraded, paragraphs),
        furniture_leaked=_leaked_furniture(degraded, paragraphs),
    )


def _words_and_starts(paragraphs: Sequence[str]) -> tuple[list[str], set[int]]:
    words: list[str] = []
    starts: set[int] = set()
    for paragraph in paragraphs:
        tokens = paragraph.split()
        if tokens:
            starts.add(len(words))
            words.extend(tokens)
    return words, starts


def _f1(predicted: set[int], gold: set[int]) -> float:
    if not predicted and not gold:
        return 1.0
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _leaked_numbers(degraded: Degraded, paragraphs: Sequence[str]) -> int:
    """Inserted page numbers found in the output beyond their count in the gold text."""
    inserted = set(degraded.page_numbers)
    gold = Counter(n for n in _NUMBER.findall(" ".join(degraded.paragraphs)) if n in inserted)
    out = Counter(n for n in _NUMBER.findall(" ".join(paragraphs)) if n in inserted)
    return sum(max(0, count - gold[n]) for n, count in out.items())


def _leaked_furniture(degraded: Degraded, paragraphs: Sequence[str]) -> int:
    """Running heads or feet found in the output (they never occur in the gold text)."""
    text = " ".join(" ".join(p.split()) for p in paragraphs)
    return text.count(degraded.running_head)


def evaluate_reader(reader: Reader, documents: Sequence[Degraded]) -> dict:
    """Run a raw-text → paragraphs function over degraded documents and total the scores."""
    scores = [score_reconstruction(doc, reader(doc.raw)) for doc in documents]
    gold_words = sum(s.gold_words for s in scores) or 1
    return {
        "documents": len(scores),
        "gold_words": gold_words,
        "word_accuracy": round(1 - sum(s.substitutions + s.deletions for s in scores) / gold_words, 4),
        "word_error_rate": round(sum(s.substitutions + s.deletions + s.insertions for s in scores) / gold_words, 4),
        "paragraph_boundary_f1": round(sum(s.boundary_f1 for s in scores) / len(scores), 4) if scores else 1.0,
        "page_numbers_leaked": sum(s.page_numbers_leaked for s in scores),
        "page_numbers_inserted": sum(len(d.page_numbers) for d in documents),
        "heads_leaked": sum(s.furniture_leaked for s in scores),
        "furniture_lines_inserted": sum(len(d.furniture_lines) for d in documents),
    }
