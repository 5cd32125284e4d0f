"""The line-end hyphen decision model: one small case per kind of evidence, and the real list."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from kzarchive.clean.hyphenation import HyphenResolver, decision_label
from kzarchive.lexicon.hunspell import load_kazakh_hunspell
from kzarchive.lexicon.wordlist import Lexicon

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # bench/ lives at the repository root

LEXICON = Lexicon(
    Counter({
        "жеткізу": 5, "жеткізді": 3, "басшы": 4, "басшылары": 2, "республика": 9,
        "қарым-қатынас": 7, "қарым-қатынасы": 3, "әлеуметтік": 6, "экономикалық": 6,
        "күш": 3, "жігер": 2, "кезең": 4, "бір": 20, "болмыс": 2, "алыс": 2, "жақын": 3,
        "вице-президент": 2, "президент": 5, "ынтымақтастық": 4,
    }),
    "test-words",
)


def label(left: str, right: str, document: str | None = None, lexicon: Lexicon = LEXICON) -> str:
    return decision_label(HyphenResolver(lexicon, document, hunspell=False).decide(left, right))


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("КСРО", "ға", "keep"),              # acronym + case ending
        ("АҚШ", "қа,", "keep"),
        ("1990", "жылдары", "keep"),         # digits
        ("84,4%", "ы", "keep"),
        ("1997", "1999", "keep"),            # a range
        ("км.", "ден", "keep"),              # abbreviation
        ("Қазақстан", "Ресей", "keep"),      # capitalised continuation
        ("сондай", "ақ", "keep"),            # particle
        ("кезең", "кезеңімен", "keep"),      # reduplication
        ("өзінен", "өзі", "keep"),
        ("қап", "қара", "keep"),             # emphatic
        ("", "деп", "dash"),                 # a standalone dash at the line end
        ("мызғымас,", "деп", "dash"),
        ("республика", "лар", "break"),      # suffix-only continuation
        ("жыл", "дың", "break"),
        ("жет", "кізген", "break"),          # solid stem in the word list
        ("бас", "шылары", "break"),          # exact solid form in the word list
        ("қарым", "қатынастардың", "keep"),  # known compound stem
        ("әлеуметтік", "экономикалық", "keep"),  # both halves are words, no solid stem
        ("вице", "президенттіке", "keep"),
        ("бол", "мысынан", "break"),         # a known stem runs across the hyphen
        ("анти", "ресейлік", "break"),       # solid prefix
        ("«Ор", "талықты»", "break"),        # punctuation around the pieces
    ],
)
def test_evidence_types(left: str, right: str, expected: str) -> None:
    assert label(left, right) == expected


def test_document_usage_decides_both_ways() -> None:
    empty = Lexicon(Counter(), "empty")
    assert label("екі", "жақты", "Бұл екіжақты келісім. Екіжақты байланыс.", empty) == "break"
    assert label("екі", "жақты", "Бұл екі-жақты келісім. Екі-жақты байланыс.", empty) == "keep"


def test_document_evidence_ignores_line_end_fragments() -> None:
    # "ар-⏎нау" in the document must not count as the hyphenated form "ар-нау".
    document = "сөз ар-\nнау сөз\n"
    resolver = HyphenResolver(Lexicon(Counter(), "empty"), document, hunspell=False)
    assert resolver.document.freq("ар-нау") == 0


def test_cache_and_description() -> None:
    resolver = HyphenResolver(LEXICON, "мәтін", hunspell=False)
    first = resolver.decide("жет", "кізген")
    assert resolver.decide("жет", "кізген") is first
    assert "test-words" in resolver.description and "hunspell-kk no" in resolver.description
    assert 0.5 <= first.confidence <= 1.0 and first.reason


def test_join_lines() -> None:
    resolver = HyphenResolver(LEXICON, hunspell=False)
    text = resolver.join_lines(["Біз КСРО-", "ға барып, жет-", "кізген қарым-", "қатынасы -", "деп"])
    assert text == "Біз КСРО-ға барып, жеткізген қарым-қатынасы - деп"


def test_works_without_any_lexicon() -> None:
    resolver = HyphenResolver(Lexicon(Counter(), "empty"), None, hunspell=False)
    assert decision_label(resolver.decide("КСРО", "ның")) == "keep"
    assert decision_label(resolver.decide("республика", "лардың")) == "break"


def _real_accuracy(hunspell: bool) -> tuple[float, list]:
    from bench.cleaning.run import real_figures

    figures = real_figures(hunspell=hunspell, lexicon_from="others")
    assert figures["cases"] >= 150
    return figures["accuracy"], figures["errors"]


def test_real_hand_checked_cases() -> None:
    accuracy, errors = _real_accuracy(hunspell=load_kazakh_hunspell() is not None)
    assert accuracy >= 0.99, errors


def test_real_cases_without_hunspell() -> None:
    accuracy, errors = _real_accuracy(hunspell=False)
    assert accuracy >= 0.985, errors


def test_capitalised_word_then_russian_word_keeps_the_hyphen() -> None:
    """000: «Назарбаев-⏎оптимальный выбор» (a dash in the source) and compounds such as
    "Социал-⏎демократическая": the hyphen is written, it is no line-end break."""
    from kzarchive.clean.hyphenation import BREAK, KEEP, decision_label

    resolver = HyphenResolver(Lexicon.from_texts(["Назарбаев пен Тоқаев келді. Социал саясат."], "tiny"))
    assert decision_label(resolver.decide("Назарбаев", "оптимальный")) == KEEP
    assert decision_label(resolver.decide("Социал", "демократическая")) == KEEP
    assert decision_label(resolver.decide("Назар", "баев")) == BREAK  # a broken name


def test_dash_between_numbers_or_names_at_a_line_end_joins_without_a_space() -> None:
    from kzarchive.clean import clean_text, reading_paragraphs
    from kzarchive.model import LineBreak

    lines = ["Шекарадан өтетін бұл темір жол негізінен 1911–",
             "1915 жылдары салынды, ал оның бойындағы Достық–",
             "Алашаңқай өткелі кейінірек ашылды, бірақ ол –",
             "мүлде жаңа жол, ал ескі жолдың бір бөлігі жол–",
             "көпір ретінде қалды."]
    raw = "\n".join(lines) + "\n"
    assert reading_paragraphs(raw) == ["Шекарадан өтетін бұл темір жол негізінен 1911–1915 жылдары салынды, ал "
                                       "оның бойындағы Достық–Алашаңқай өткелі кейінірек ашылды, бірақ ол – мүлде "
                                       "жаңа жол, ал ескі жолдың бір бөлігі жол– көпір ретінде қалды."]
    document = clean_text(raw)
    kinds = [node.kind for node in document.blocks[0].inlines if isinstance(node, LineBreak)]
    assert kinds == ["joined", "joined", "space", "space"]
    assert document.stats["line_ends_joined"] == 2


def test_no_space_is_left_inside_quotes_or_brackets_by_a_line_end() -> None:
    from kzarchive.clean import reading_paragraphs

    lines = ["Мұхтар Әуезов көп жыл бойы жазған әйгілі «",
             "Абай жолы» эпопеясын соғыстан кейін аяқтады (",
             "барлығы төрт том) және одан кейін «Өскен өркен",
             "» романын жаза бастады."]
    raw = "\n".join(lines) + "\n"
    assert reading_paragraphs(raw) == ["Мұхтар Әуезов көп жыл бойы жазған әйгілі «Абай жолы» эпопеясын соғыстан "
                                       "кейін аяқтады (барлығы төрт том) және одан кейін «Өскен өркен» романын "
                                       "жаза бастады."]
