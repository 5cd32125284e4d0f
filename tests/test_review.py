"""Confidence on cleaning decisions, the review page, and corrections applied back into the TEI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from kzarchive.clean.hyphenation import HyphenResolver
from kzarchive.cli import main
from kzarchive.decisions import CERT_MEDIUM, KINDS, REVIEW_ID_PREFIX, cert_value
from kzarchive.pipeline import convert_source
from kzarchive.report import render_report
from kzarchive.results import ConvertOptions
from kzarchive.review.collect import collect_decisions
from kzarchive.tei import NSMAP, XML_ID, tei
from kzarchive.tei.reading import reading_text
from kzarchive.tei.sourceview import source_view
from kzarchive.tei.validate import validate_tree

from .review_support import copy_conversion, epub_text, page_data

DECISION_TAGS = {tei(t) for t in ("choice", "lb", "pb", "fw", "note", "head")}


@pytest.fixture(scope="module")
def converted(editions) -> dict[str, Path]:
    """004 (syllable-split, hyphens, a running head), 002 (legacy letters, notes) and 001 (page
    numbers, headings): the session's conversions, read here and copied by a test that changes them."""
    return {prefix: editions[prefix].outputs["tei"] for prefix in ("001", "002", "004")}


def _tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


# -------------------------------------------------------------------------------- confidence


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_every_decision_says_how_sure_it_was_and_which_described_step_made_it(converted, prefix) -> None:
    root = _tree(converted[prefix]).getroot()
    steps = {p.get(XML_ID): p.text for p in root.iterfind(".//tei:editorialDecl//tei:p", NSMAP)}
    decisions = [el for el in root.find(tei("text")).iter(*DECISION_TAGS)
                 if not (el.tag == tei("lb") and el.get("break") != "no")        # a plain line end is no decision
                 and not (el.tag == tei("note") and el.get("type") == "url")     # a URL made a note: not moved
                 and not (el.tag == tei("head") and el.getparent().tag == tei("figure"))]
    assert decisions
    for element in decisions:
        assert 0.0 <= float(element.get("cert")) <= 1.0, etree.tostring(element)[:200]
        step = element.get("resp").split()[0]
        assert step.startswith("#") and steps.get(step[1:]), f"{step} is not a described step"
    ids = [el.get(XML_ID) for el in decisions]
    assert len(set(ids)) == len(ids) and None not in ids


def test_tei_all_accepts_the_certainty_and_responsibility(converted, tei_all_schema) -> None:
    for path in converted.values():
        assert tei_all_schema.validate(_tree(path)), tei_all_schema.error_log.last_error


def test_a_line_end_hyphen_carries_the_resolvers_own_confidence(tmp_path) -> None:
    source = tmp_path / "hyphen.txt"
    source.write_text("Бұл мақалада Қазақстанның сыртқы саясаты жан-жақты қарастырылып, оның негізгі бағыттары жет-\n"
                      "кізілген нәтижелермен салыстырылады және талданады.\n", encoding="utf-8")
    result = convert_source(source, ConvertOptions(output_dir=tmp_path / "out", formats=("tei",), date="2026-01-02"), {})
    lb = _tree(result.outputs["tei"]).find(".//tei:lb[@break='no']", NSMAP)
    expected = HyphenResolver(document_text=source.read_text(encoding="utf-8")).decide("жет", "кізілген")
    assert lb.get("rend") == ("hyphen" if not expected.keep_hyphen else None)
    assert lb.get("cert") == cert_value(expected.confidence) and lb.get("resp") == "#step-hyphenation"


def test_a_join_the_clitic_model_forced_is_less_certain_than_a_plain_join(converted) -> None:
    """"Қа зақ стан мен": "Қазақстанмен" (with Kazakhstan) or "Қазақстан мен" (Kazakhstan and) —
    the segmenter's margin says it could be either; "Ор та лық" can only be "Орталық"."""
    certs: dict[str, list[float]] = {}
    for choice in _tree(converted["004"]).iterfind(".//tei:choice[@resp='#step-syllables']", NSMAP):
        certs.setdefault(choice.findtext(tei("orig")), []).append(float(choice.get("cert")))
    assert max(certs["Қа зақ стан мен"]) < CERT_MEDIUM <= min(certs["Ор та лық"])


# -------------------------------------------------------------------------------- review page


def test_the_review_page_lists_every_decision_least_certain_first_and_stands_alone(converted, tmp_path) -> None:
    tei_path = copy_conversion(converted["004"], tmp_path)
    assert main(["review", str(tei_path)]) == 0
    page = tmp_path / "004_197e033e7669c0ec.review.html"
    data = page_data(page)
    rows = data["decisions"]
    listed = collect_decisions(tei_path).decisions
    assert sorted(r[0] for r in rows) == sorted(d.id for d in listed) and len(rows) > 2000
    certs = [r[2] for r in rows]
    assert certs == sorted(certs) and certs[0] < CERT_MEDIUM
    assert {r[1] for r in rows} >= {"syllables", "hyphen-removed", "hyphen-kept", "running-head", "page-turn"}
    assert data["identity"]["sha256"] and data["identity"]["document"].startswith("urn:sha256:")
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""\s(?:src|href)=["']|<link|@import|url\(""", html)  # nothing fetched: it stands alone
    assert "default-src 'none'" in html  # and the browser is told to fetch nothing
    first = next(d for d in listed if d.id == rows[0][0])
    assert first.before and first.after and first.decided  # shown in its context


def test_the_review_page_is_the_same_bytes_when_made_again(converted, tmp_path) -> None:
    from kzarchive.review.page import write_review_page

    tei_path = copy_conversion(converted["001"], tmp_path)
    write_review_page(tei_path, tmp_path / "first.html")
    write_review_page(tei_path, tmp_path / "second.html")
    assert (tmp_path / "first.html").read_bytes() == (tmp_path / "second.html").read_bytes()


def test_source_text_that_looks_like_markup_stays_text_in_the_page(tmp_path) -> None:
    source = tmp_path / "markup.txt"
    source.write_text("Мәтінде </script><!-- деген белгі бар, ол бет-\nтің бөлігі емес және ешқашан орындалмайды.\n",
                      encoding="utf-8")
    result = convert_source(source, ConvertOptions(output_dir=tmp_path / "out", formats=("tei",), date="2026-01-02"), {})
    assert main(["review", str(result.outputs["tei"]), "-o", str(tmp_path / "page.html")]) == 0
    html = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert html.count("</script>") == 2 and "<!--" not in html  # the page's own two script elements
    rows = page_data(tmp_path / "page.html")["decisions"]
    assert any("</script><!--" in row[5] for row in rows)


# -------------------------------------------------------------------------------- apply


def _corrections(tei_path: Path, decisions: list[dict], name: str = "corrections.json") -> Path:
    """A corrections file as the review page saves it."""
    document = collect_decisions(tei_path)
    path = tei_path.with_name(name)
    path.write_text(json.dumps({"format": "kzarchive-corrections", "version": 1,
                                "document": document.identity.document,
                                "tei": {"name": tei_path.name, "sha256": document.identity.sha256},
                                "saved": "2026-01-03T10:00:00Z", "decisions": decisions}), encoding="utf-8")
    return path


def _by_id(tei_path: Path, decision_id: str) -> etree._Element:
    return _tree(tei_path).getroot().xpath("//*[@xml:id=$id]", id=decision_id)[0]


def test_apply_reverts_edits_and_accepts_then_reexports_and_keeps_the_source(converted, tmp_path, capsys) -> None:
    tei_path = copy_conversion(converted["004"], tmp_path)
    listed = collect_decisions(tei_path).decisions
    join = next(d for d in listed if d.kind == "syllables" and d.original == "Ор та лық")
    edited = next(d for d in listed if d.kind == "syllables" and d.original == "Қа зақ стан мен")
    accepted = next(d for d in listed if d.kind == "syllables" and d.id not in (join.id, edited.id))
    hyphen = next(d for d in listed if d.kind == "hyphen-removed")
    source_before = source_view(_tree(tei_path).getroot().find(tei("text")))
    corrections = _corrections(tei_path, [
        {"id": join.id, "kind": "syllables", "action": "revert"},
        {"id": edited.id, "kind": "syllables", "action": "edit", "form": "Қазақстан мен"},
        {"id": accepted.id, "kind": "syllables", "action": "accept"},
        {"id": hyphen.id, "kind": "hyphen-removed", "action": "revert"},
    ])
    epub_before = (tmp_path / "004_197e033e7669c0ec.epub").read_bytes()
    assert main(["apply", str(corrections), "--by", "A. Archivist"]) == 0
    assert "1 accepted, 2 reverted, 1 corrected" in capsys.readouterr().out

    tree = _tree(tei_path)
    assert validate_tree(tree) == []
    assert _by_id(tei_path, join.id).findtext(tei("reg")) == "Ор та лық"
    assert _by_id(tei_path, edited.id).findtext(tei("reg")) == "Қазақстан мен"
    for decision in (join, edited, accepted, hyphen):
        element = _by_id(tei_path, decision.id)
        assert element.get("cert") == "1.00" and f"#{REVIEW_ID_PREFIX}" in element.get("resp")
    body_text = reading_text(tree.getroot().find(tei("text")))
    assert hyphen.original in body_text  # the hyphen is back in the reading
    change = tree.getroot().findall(".//tei:revisionDesc/tei:change", NSMAP)[-1]
    assert "A. Archivist" in change.text and change.get("when") and change.get(XML_ID).startswith(REVIEW_ID_PREFIX)
    # nothing is lost: the source forms are all still there
    assert source_view(tree.getroot().find(tei("text"))) == source_before
    epub = (tmp_path / "004_197e033e7669c0ec.epub")
    assert epub.read_bytes() != epub_before and "Ор та лық" in epub_text(epub) and hyphen.original in epub_text(epub)


def test_applying_the_same_corrections_twice_changes_nothing(converted, tmp_path, capsys) -> None:
    tei_path = copy_conversion(converted["002"], tmp_path)
    legacy = next(d for d in collect_decisions(tei_path).decisions if d.kind == "legacy")
    corrections = _corrections(tei_path, [{"id": legacy.id, "kind": "legacy", "action": "revert"}])
    assert main(["apply", str(corrections), "--by", "X"]) == 0
    once = tei_path.read_bytes()
    assert main(["apply", str(corrections), "--by", "X"]) == 0
    assert tei_path.read_bytes() == once
    assert "nothing changed" in capsys.readouterr().out


def test_corrections_for_another_version_are_refused_with_the_reason(converted, tmp_path, capsys) -> None:
    tei_path = copy_conversion(converted["002"], tmp_path)
    note_call = next(d for d in collect_decisions(tei_path).decisions if d.kind == "note-call")
    stale = _corrections(tei_path, [{"id": note_call.id, "kind": "note-call", "action": "revert"}])
    other = _corrections(tei_path, [{"id": note_call.id, "kind": "note-call", "action": "accept"}], "other.json")
    assert main(["apply", str(other), "--by", "X"]) == 0  # the master is now another version
    before = tei_path.read_bytes()
    assert main(["apply", str(stale), "--by", "X"]) == 1
    error = capsys.readouterr().err.strip()
    assert "another version" in error and "\n" not in error and "Traceback" not in error
    assert tei_path.read_bytes() == before


def test_a_removed_running_head_reverted_is_text_again(converted, tmp_path) -> None:
    tei_path = copy_conversion(converted["004"], tmp_path)
    head = next(d for d in collect_decisions(tei_path).decisions if d.kind == "running-head")
    assert main(["apply", str(_corrections(tei_path, [{"id": head.id, "kind": "running-head", "action": "revert"}])),
                 "--by", "X"]) == 0
    assert head.source in reading_text(_tree(tei_path).getroot().find(tei("text")))
    assert validate_tree(_tree(tei_path)) == []


def test_a_decision_that_cannot_be_reverted_is_refused(converted, tmp_path, capsys) -> None:
    tei_path = copy_conversion(converted["001"], tmp_path)
    heading = next(d for d in collect_decisions(tei_path).decisions if d.kind == "heading")
    assert not KINDS["heading"].revertible
    corrections = _corrections(tei_path, [{"id": heading.id, "kind": "heading", "action": "revert"}])
    before = tei_path.read_bytes()
    assert main(["apply", str(corrections)]) == 1
    assert "cannot be reverted" in capsys.readouterr().err and tei_path.read_bytes() == before


# -------------------------------------------------------------------------------- report


def test_the_report_counts_uncertain_decisions_and_links_the_review_page(converted, tmp_path) -> None:
    from kzarchive.review.page import write_review_page

    tei_path = copy_conversion(converted["004"], tmp_path)
    summary = write_review_page(tei_path)
    listed = collect_decisions(tei_path).decisions
    assert summary["uncertain"] == sum(1 for d in listed if d.cert < 0.9) > summary["low"] > 0
    html = render_report({"documents": [{"source_name": "004.txt", "status": "ok", "review": summary}]})
    assert f'href="{summary["path"]}"' in html and f"{summary['uncertain']:,} uncertain" in html
