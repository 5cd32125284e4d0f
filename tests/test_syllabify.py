"""Kazakh syllabification and the hyphenation points the PDF exporter uses."""

from itertools import pairwise

import pytest

from kzarchive.lexicon.syllabify import hyphenation_points, syllabify


def hyphenate(word: str) -> str:
    points = hyphenation_points(word)
    bounds = [0, *points, len(word)]
    return "-".join(word[a:b] for a, b in pairwise(bounds))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Қазақстанды", "Қа-зақ-стан-ды"),
        ("мемлекеттердің", "мем-ле-кет-тер-дің"),
        ("тәуелсіздік", "тә-уел-сіз-дік"),
        ("айтқан", "айт-қан"),
        ("ұлттық", "ұлт-тық"),
        ("уақыт", "уа-қыт"),
        ("таулар", "тау-лар"),
        ("Вильсон", "Виль-сон"),
        ("орталық", "ор-та-лық"),
    ],
)
def test_syllables(word: str, expected: str) -> None:
    assert "-".join(syllabify(word)) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Қазақстанды", "Қа-зақ-стан-ды"),
        ("Азияға", "Азия-ға"),  # never "Ази-яға": no break between two vowels
        ("жиі-жиі", "жиі-жиі"),  # no one-letter fragment next to the inner hyphen
        ("ауыл", "ауыл"),
        ("әлеуметтік-экономикалық", "әлеу-мет-тік-эко-но-ми-ка-лық"),
        ("КСРО-ның", "КСРО-ның"),
        ("1992", "1992"),
    ],
)
def test_hyphenation_points(word: str, expected: str) -> None:
    assert hyphenate(word) == expected


def test_never_break_wrongly_inside_kazakhstan() -> None:
    assert 4 not in hyphenation_points("Қазақстанды")  # "Қаза-қстанды"


def test_min_left_and_right_respected() -> None:
    for word in ("мемлекеттердің", "Қазақстанды", "орталық"):
        for point in hyphenation_points(word, min_left=3, min_right=3):
            assert point >= 3 and len(word) - point >= 3


def test_syllables_cover_the_word() -> None:
    for word in ("тәуелсіздіктеріне", "институционализациясы", "ст", "а"):
        assert "".join(syllabify(word)) == word
