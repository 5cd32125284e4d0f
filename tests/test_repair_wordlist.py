"""Legacy-font and look-alike repair checked against a word list (Tesseract's Kazakh list in use):
a repair is made where the repaired form is a listed word and the form as written is not."""

from __future__ import annotations

from collections import Counter

from kzarchive.clean.legacy import repair_legacy_encoding
from kzarchive.clean.lookalikes import fix_mixed_script, fix_token
from kzarchive.lexicon.tesseract import find_model, tesseract_words
from kzarchive.model import Block, Choice, Text


def nothing_known(form: str) -> bool:
    return False


def legacy(text: str, listed: set[str]) -> tuple[str, int]:
    block = Block("p", [Text(text)], 1)
    stats: Counter[str] = Counter()
    repair_legacy_encoding([block], nothing_known, stats, frozenset(listed))
    return block.plain_text(), stats["encoding_fixes"]


def test_a_legacy_letter_is_repaired_when_the_list_has_the_repaired_form() -> None:
    # an inflected form no stem list holds: only the big list knows "республикасының"
    assert legacy("Іазаєстан Республикасыны” туралы", {"қазақстан", "республикасының"}) == (
        "Қазақстан Республикасының туралы", 2)


def test_no_repair_when_the_repaired_form_is_not_listed() -> None:
    assert legacy("Іазаєстан Республикасыны” туралы", {"қазақстан"}) == ("Қазақстан Республикасыны” туралы", 1)


def test_no_repair_when_the_form_as_written_is_listed() -> None:
    # "є" written in a listed word stays: the list says the word is right as it is
    assert legacy("Вона єдина", {"єдина", "қдина"}) == ("Вона єдина", 0)


def test_a_mostly_latin_word_is_made_cyrillic_only_when_the_list_has_it() -> None:
    assert fix_token("ocы", frozenset({"осы"})) == "осы"
    assert fix_token("ocы", frozenset()) == "ocы"                 # without the list: Latin majority, left alone
    assert fix_token("Aқcaй", frozenset({"ақсай"})) == "Ақсай"
    assert fix_token("cөз", frozenset()) == "сөз"                 # a Cyrillic majority needs no list
    assert fix_token("Türkçe", frozenset({"türkçe"})) == "Türkçe"  # no Cyrillic look-alike for ü, ç


def test_fix_mixed_script_records_each_listed_repair_as_a_choice() -> None:
    block = Block("p", [Text("Біз ocы жерде тұрамыз, ал Bob келді.")], 1)
    stats: Counter[str] = Counter()
    fix_mixed_script([block], stats, frozenset({"осы"}))
    choices = [node for node in block.inlines if isinstance(node, Choice)]
    assert [(c.orig[0].text, c.reg) for c in choices if isinstance(c.orig[0], Text)] == [("ocы", "осы")]
    assert "Bob" in block.plain_text() and stats["lookalike_fixes"] == 1


def test_the_installed_list_is_what_repair_uses_by_default() -> None:
    assert find_model() is not None, "tesseract-ocr-kaz is a test dependency: run scripts/bootstrap --test"
    assert {"осы", "республикасының"} <= tesseract_words()
    block = Block("p", [Text("Біз ocы жерде тұрамыз.")], 1)
    fix_mixed_script([block], Counter())
    assert block.plain_text() == "Біз осы жерде тұрамыз."
