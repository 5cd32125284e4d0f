"""The foundation: every sample converts to TEI valid against our schema and tei_all; bad input
is reported per file and never takes the batch down; the CLI keeps its exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from kzarchive.cli import main
from kzarchive.tei import TEI_NS, XML_LANG
from kzarchive.tei.validate import load_schema

from .conftest import sample

NS = {"t": TEI_NS}


def test_all_five_samples_convert(converted_tei) -> None:
    assert len(converted_tei) == 5
    failures = {k: r.error for k, r in converted_tei.items() if not r.ok}
    assert not failures


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_tei_valid_against_project_schema_and_tei_all(key, tei_trees, tei_all_schema) -> None:
    tree = tei_trees[key]
    project = load_schema()
    assert project.validate(tree), project.error_log
    assert tei_all_schema.validate(tree), tei_all_schema.error_log


def test_house_style_fixture_is_valid_tei_all(tei_all_schema) -> None:
    fixture = Path(__file__).parent / "fixtures" / "house_style_sample.tei.xml"
    assert tei_all_schema.validate(etree.parse(str(fixture))), tei_all_schema.error_log


def test_schema_requires_language_on_tei_root(tei_trees) -> None:
    root = etree.fromstring(etree.tostring(tei_trees["000"]))
    del root.attrib[XML_LANG]
    assert not load_schema().validate(etree.ElementTree(root))


def test_schema_rejects_elements_we_do_not_emit(tei_trees) -> None:
    root = etree.fromstring(etree.tostring(tei_trees["000"]))
    body = root.find("t:text/t:body", NS)
    etree.SubElement(body, f"{{{TEI_NS}}}table")
    assert not load_schema().validate(etree.ElementTree(root))


def test_header_records_source_identity_and_cleaning(tei_trees, converted_tei) -> None:
    for key, tree in tei_trees.items():
        header = tree.getroot().find("t:teiHeader", NS)
        sha = header.findtext("t:fileDesc/t:sourceDesc/t:bibl/t:idno[@type='sha256']", namespaces=NS)
        assert sha == converted_tei[key].sha256
        name = header.findtext("t:fileDesc/t:sourceDesc/t:bibl/t:idno[@type='filename']", namespaces=NS)
        assert name == converted_tei[key].source.name
        steps = header.findall("t:encodingDesc/t:editorialDecl/*", NS)
        assert {s.tag.split("}")[1] for s in steps} >= {"hyphenation", "normalization", "segmentation"}
        assert header.find("t:revisionDesc/t:change[@when]", NS) is not None


def test_catalog_title_reaches_the_header(tei_trees) -> None:
    title = tei_trees["002"].getroot().findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces=NS)
    assert title == "ТМД мемлекеттерінің әскери саладағы ынтымақтастығы"


def test_untitled_thesis_is_not_named_after_its_first_section(tei_trees) -> None:
    title = tei_trees["001"].getroot().findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces=NS)
    assert "КІРІСПЕ" not in title and "001_" in title


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Bad inputs next to a good one; returns name → expected outcome ('ok' or an error phrase)."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "cyrillic_cp1251.txt").write_bytes("Қазақстан тарихы. Распад СССР.\n".encode("cp1251", errors="replace"))
    (folder / "controls.txt").write_bytes("Тәуелсіз\x01 мемлекет\x0b құрылды.\n".encode())
    shutil.copy(sample("000"), folder / sample("000").name)
    return {"empty.txt": "empty", "image.txt": "PNG", "cyrillic_cp1251.txt": "ok", "controls.txt": "ok",
            sample("000").name: "ok"}


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path, capsys) -> None:
    source = tmp_path / "in"
    source.mkdir()
    expected = _bad_inputs(source)
    code = main(["convert", str(source), "-o", str(tmp_path / "out"), "--formats", "tei"])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    for name, outcome in expected.items():
        produced = (tmp_path / "out" / (Path(name).stem + ".tei.xml")).exists()
        if outcome == "ok":
            assert produced, name
        else:
            assert not produced, name
            line = next(ln for ln in captured.err.splitlines() if name in ln)
            assert outcome in line and line.count("\n") == 0


def test_control_characters_never_reach_the_tei(tmp_path) -> None:
    source = tmp_path / "controls.txt"
    source.write_bytes("Тәуелсіз\x01 мемлекет\x0b құрылды.\n".encode())
    assert main(["convert", str(source), "-o", str(tmp_path), "--formats", "tei"]) == 0
    text = (tmp_path / "controls.tei.xml").read_text(encoding="utf-8")
    assert "Тәуелсіз мемлекет құрылды." in text
    assert "2 control characters that XML cannot hold removed" in text  # recorded in the header


def test_cli_usage_errors_exit_2(tmp_path, capsys) -> None:
    assert main(["convert", str(tmp_path / "missing"), "-o", str(tmp_path)]) == 2
    assert main(["convert", "--formats", "odt", str(tmp_path)]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["--help"]) == 0
    assert "Exit codes" in capsys.readouterr().out


def test_validate_reports_file_line_column(tmp_path, converted_tei, capsys) -> None:
    good = converted_tei["003"].outputs["tei"]
    assert main(["validate", str(good)]) == 0
    broken = tmp_path / "broken.tei.xml"
    text = good.read_text(encoding="utf-8").replace("<body>", "<body><table/>", 1)
    broken.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    line_no = next(i for i, ln in enumerate(text.splitlines(), 1) if "<table/>" in ln)
    assert any(ln.startswith(f"{broken}:{line_no}:") for ln in out), out


def test_validate_refuses_entities_and_malformed_xml(tmp_path, capsys) -> None:
    xxe = tmp_path / "xxe.xml"
    xxe.write_text('<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   '<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>', encoding="utf-8")
    malformed = tmp_path / "bad.xml"
    malformed.write_text("<TEI><unclosed></TEI>", encoding="utf-8")
    assert main(["validate", str(xxe), str(malformed)]) == 1
    err = capsys.readouterr().err
    assert "root:" not in err and "DOCTYPE" in err and "not well-formed" in err



def test_export_keeps_dotted_names_apart(tmp_path, converted_tei) -> None:
    tei = converted_tei["003"].outputs["tei"]
    for version in ("v1", "v2"):
        shutil.copy(tei, tmp_path / f"article.{version}.tei.xml")
    out = tmp_path / "out"
    code = main(["export", str(tmp_path / "article.v1.tei.xml"), str(tmp_path / "article.v2.tei.xml"),
                 "--to", "docx", "-o", str(out)])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["article.v1.docx", "article.v2.docx"]


def test_unreadable_catalog_is_a_usage_error_not_a_traceback(tmp_path, capsys) -> None:
    shutil.copy(sample("003"), tmp_path / sample("003").name)
    (tmp_path / "catalog.csv").write_bytes("file,title\n003.txt,Қазақстан тарихы\n".encode("cp1251", errors="replace") + b"\xff\xfe")
    assert main(["convert", str(tmp_path), "-o", str(tmp_path / "out"), "--formats", "tei"]) == 2
    err = capsys.readouterr().err
    assert "catalog.csv" in err and "UTF-8" in err and "Traceback" not in err


def test_a_failed_document_leaves_no_stale_outputs(tmp_path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(sample("003"), source / "doc.txt")
    out = tmp_path / "out"
    assert main(["convert", str(source), "-o", str(out), "--formats", "tei,docx"]) == 0
    assert (out / "doc.tei.xml").exists() and (out / "doc.docx").exists()
    (source / "doc.txt").write_bytes(b"")  # the source is replaced by something unreadable
    assert main(["convert", str(source), "-o", str(out), "--formats", "tei,docx"]) == 1
    assert not (out / "doc.tei.xml").exists() and not (out / "doc.docx").exists()
