"""Nothing is lost: every non-space character of each source is in its TEI master — as reading
text, in <fw>, in <orig>, in a <note>, or in the header's debris note — and every removed break
hyphen is recorded as <lb break="no" rend="hyphen"/>."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from lxml import etree

from kzarchive.clean.chars import normalize_characters
from kzarchive.read import read_source
from kzarchive.tei import TEI_NS
from kzarchive.tei.sourceview import source_view

from .conftest import sample

NS = {"t": TEI_NS}


def _non_space(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def _source_characters(key: str) -> Counter[str]:
    text = read_source(sample(key)).text
    return _non_space(normalize_characters(text, Counter()))


def _tei_characters(tree: etree._ElementTree) -> Counter[str]:
    root = tree.getroot()
    parts = [source_view(root.find("t:text", NS))]
    parts += [source_view(note) for note in root.findall("t:teiHeader/t:fileDesc/t:notesStmt/t:note", NS)]
    # The debris note opens with our own explanatory sentence: not source text.
    prefix = "Web-page text around the document, removed from the reading text: "
    joined = "".join(parts)
    return _non_space(joined.replace(prefix, "", 1) if prefix in joined else joined)


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_every_source_character_is_in_the_tei(key, tei_trees) -> None:
    source = _source_characters(key)
    kept = _tei_characters(tei_trees[key])
    missing = source - kept
    extra = kept - source
    assert not missing, f"lost from the source: {dict(missing.most_common(10))}"
    assert not extra, f"in the TEI source view but not in the source: {dict(extra.most_common(10))}"


@pytest.mark.parametrize("key", ["000", "003", "004"])
def test_removed_break_hyphens_are_recorded(key, tei_trees, converted_tei) -> None:
    recorded = tei_trees[key].getroot().findall(".//t:lb[@rend='hyphen']", NS)
    assert len(recorded) == converted_tei[key].stats.get("hyphens_joined", 0)
    assert recorded, "these samples have line-end break hyphens"


def test_source_view_round_trips_a_small_document() -> None:
    tei = (f'<text xmlns="{TEI_NS}"><body><p>қол жет<lb break="no" rend="hyphen"/>кізген '
           '<choice><orig>Ор та лық</orig><reg>Орталық</reg></choice><pb n="5"/><fw type="pageNum">5</fw>'
           'КСРО-<lb break="no"/>ға</p></body></text>')
    view = source_view(etree.fromstring(tei))
    assert unicodedata.normalize("NFC", " ".join(view.split())) == "қол жет- кізген Ор та лық 5 КСРО- ға"
