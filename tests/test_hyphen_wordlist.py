"""Line-end hyphens decided with a large word list (Tesseract's Kazakh list in use) and the
compound patterns: small word lists built in each test, and the installed list on the issue's cases."""

from __future__ import annotations

from collections import Counter

import pytest

from kzarchive.clean.hyphen_patterns import is_russian_hyphenated_word
from kzarchive.clean.hyphenation import HyphenResolver, Pieces, decision_label, split_pieces
from kzarchive.lexicon.tesseract import find_model
from kzarchive.lexicon.wordlist import Lexicon

NO_CORPUS = Lexicon(Counter(), "empty")


def label(left: str, right: str, listed: set[str], stems: frozenset[str] | set[str] = frozenset()) -> str:
    resolver = HyphenResolver(NO_CORPUS, None, hunspell=False, wordlist=frozenset(listed), stems=frozenset(stems))
    return decision_label(resolver.decide(left, right))


def test_a_listed_joined_form_is_a_break_and_a_listed_compound_a_keep() -> None:
    assert label("өсірі", "леді.", {"өсіріледі"}) == "break"
    assert label("инженер", "механик", {"инженер-механик", "инженер", "механик"}) == "keep"
    # the same pair with only the solid form listed is a broken word
    assert label("бейне", "байланыс", {"бейнебайланыс"}) == "break"


def test_two_words_whose_joined_form_is_unknown_keep_the_hyphen() -> None:
    listed = {"көлік", "логистикалық"}
    stems = {"көлік", "логистика"}
    assert label("көлік", "логистикалық", listed, stems) == "keep"
    # an inflected half counts through its stem ("жасөспірім|дер")
    assert label("балалар", "жасөспірімдер", {"балалар"}, {"бала", "жасөспірім"}) == "keep"
    # halves that only the big list knows (it holds tails of broken words) are no evidence
    assert label("орыстан", "дырылып", {"орыстан", "дырылып"}, set()) != "keep"


def test_an_inflected_joined_form_reads_as_a_listed_stem() -> None:
    assert label("тасымал", "дауының", {"тасымалдау", "тасымал"}) == "break"


def test_inflection_after_the_hyphen_is_never_kept_because_the_list_has_it() -> None:
    # lower-cased acronym forms put "x-ның" into the list; "республика-⏎ның" is still a break
    assert label("республика", "ның", {"республика-ның", "республика"}) == "break"


def test_a_solid_listing_does_not_break_two_long_words() -> None:
    listed = {"әлеуметтікмәдени", "әлеуметтік", "мәдени"}
    resolver = HyphenResolver(NO_CORPUS, None, hunspell=False, wordlist=frozenset(listed),
                              stems=frozenset({"әлеуметтік", "мәдени"}))
    assert resolver._decide_by_wordlist(resolver_pieces("әлеуметтік", "мәдени")) is None


def resolver_pieces(left: str, right: str) -> Pieces:
    return split_pieces(left, right)


def test_the_piece_after_a_line_end_is_judged_up_to_its_own_hyphen() -> None:
    # "санитар-⏎но-эпидемиологических": "санитарно" is the Russian word, the break is the typesetter's
    assert label("санитар", "но-эпидемиологических", set()) == "break"


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("кто", "нибудь", True), ("что", "то", True), ("по", "прежнему", True), ("по", "казахски", True),
    ("из", "за", True), ("кое", "где", True), ("по", "сёлков", False), ("ле", "то", False),
])
def test_russian_forms_written_with_a_hyphen(left: str, right: str, expected: bool) -> None:
    assert is_russian_hyphenated_word(left, right) is expected


def test_russian_compounds_and_broken_words_by_the_russian_list() -> None:
    assert label("кто", "нибудь", set()) == "keep"
    assert label("по", "сёлков", set()) == "break"            # "посёлков" is a Russian word
    assert label("много", "численных", set()) == "break"      # "многочисленных"
    assert label("научно", "исследовательский", {"x"}) == "keep"  # both words, the solid form is none


def test_without_the_word_list_the_other_evidence_decides() -> None:
    assert label("КСРО", "ға", set()) == "keep"
    assert label("республика", "лар", set()) == "break"


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("көлік", "логистикалық", "keep"), ("ұрпақтан", "ұрпаққа", "keep"), ("мәдени", "ағарту", "keep"),
    ("Либерал", "демократиялық", "keep"), ("бет", "әлпет", "keep"), ("научно", "исследовательский", "keep"),
    ("өсірі", "леді.", "break"), ("тасымал", "даудың", "break"), ("Бөкей", "хановтың", "break"),
])
def test_the_installed_list_on_the_issues_cases(left: str, right: str, expected: str) -> None:
    assert find_model() is not None, "tesseract-ocr-kaz is a test dependency: run scripts/bootstrap --test"
    assert decision_label(HyphenResolver().decide(left, right)) == expected


def test_a_long_piece_only_the_list_knows_is_a_word_unless_many_listed_forms_end_with_it() -> None:
    stems = {"медицина"}
    assert label("медициналық", "санитариялық", {"медициналық", "санитариялық"}, stems) == "keep"
    # "рылған" ends dozens of listed forms: the tail of broken words, not a word
    tails = {f"{stem}рылған" for stem in ("құ", "ашы", "жаса", "қойы", "соғы", "жазы", "тұ")}
    assert label("медициналық", "рылған", {"медициналық", "рылған"} | tails, stems) != "keep"


def test_voice_suffixes_stack_causative_then_passive() -> None:
    # "автомат|тан|дыр|ыл|ған": the listed "автоматтан" runs across the hyphen, the rest is inflection
    assert label("автомат", "тандырылған", {"автоматтан", "автомат"}, {"автомат", "тандыр"}) == "break"


def test_inflection_after_a_listed_word_is_a_break_however_long() -> None:
    assert label("қорық", "тарында", {"қорық"}) == "break"
    # unless the continuation is itself a word: "тау-⏎тас" is left to the other evidence
    resolver = HyphenResolver(NO_CORPUS, None, hunspell=False, wordlist=frozenset({"тау"}),
                              stems=frozenset({"тау", "тас"}))
    assert resolver._decide_by_wordlist(resolver_pieces("тау", "тас")) is None
