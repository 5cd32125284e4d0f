"""Bad and hostile input: a clear error or a correct conversion, never a crash, bounded time and memory;
TEI given to validate/export cannot reach the network or read files outside the input."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzarchive.clean import clean_text
from kzarchive.cli import main
from kzarchive.errors import InputError, TeiError
from kzarchive.metadata import CatalogEntry, SourceInfo
from kzarchive.pipeline import serialise_tei
from kzarchive.read import MAX_SOURCE_BYTES, decode_bytes, read_source_bytes
from kzarchive.structure import structure_document
from kzarchive.tei.encode import encode_tei
from kzarchive.tei.parse import parse_tei_bytes, parse_tei_file
from kzarchive.tei.validate import validate_tree

from .test_stress_shapes import structured_text

KAZAKH = "Қазақстан Республикасының сыртқы саясаты көпвекторлы бағытта дамыды.\n"
SECRET = "kzarchive-secret-7f3a"


# --------------------------------------------------------------------------------- raw sources


def test_hostile_sources_are_refused_or_converted_and_the_batch_goes_on(tmp_path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    expected = {
        "empty.txt": (b"", "empty file"),
        "binary.txt": (os.urandom(4096) + b"\x00" * 4096, "not a text file"),
        "one_line.txt": (("сөз " * 7_200_000).encode(), "line 1 is"),  # ~50 MB, no line break
        "invalid_utf8.txt": (KAZAKH.encode() * 20 + b"\xff\xfe\xc3" + KAZAKH.encode(), "ok"),
        "nul_bytes.txt": (KAZAKH.replace("а", "а\x00").encode() * 10, "ok"),
        "mixed.txt": (KAZAKH.encode() * 10 + "Распад СССР.\n".encode("cp1251") * 5, "ok"),
        "utf16_nul_heavy.txt": ((KAZAKH * 5).encode("utf-16-le"), "ok"),
    }
    for name, (data, _) in expected.items():
        (folder / name).write_bytes(data)
    code = main(["convert", str(folder), "-o", str(tmp_path / "out"), "--formats", "tei", "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.err
    for name, (_, outcome) in expected.items():
        produced = (tmp_path / "out" / name.replace(".txt", ".tei.xml")).is_file()
        if outcome == "ok":
            assert produced, name
        else:
            line = next(err for err in captured.err.splitlines() if name in err)
            assert not produced and outcome in line, line
    tei = (tmp_path / "out" / "nul_bytes.tei.xml").read_text(encoding="utf-8")
    assert "\x00" not in tei and "Қазақстан" in tei


def test_an_oversized_file_is_refused_without_being_read(tmp_path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: claims 1 GB, occupies nothing
        handle.truncate(1024**3)
    with pytest.raises(InputError, match="file too large"):
        read_source_bytes(huge)
    with pytest.raises(InputError, match="file too large"):
        decode_bytes(b"a" * (MAX_SOURCE_BYTES + 1))


def test_invalid_utf8_keeps_the_text_and_marks_the_bad_bytes() -> None:
    decoded = decode_bytes(KAZAKH.encode() * 50 + b"\xc3\x28" + KAZAKH.encode())
    assert decoded.text.startswith(KAZAKH) and "\ufffd" in decoded.text


def test_lone_surrogates_and_noncharacters_are_removed() -> None:
    decoded = decode_bytes((KAZAKH + "\ufffe\uffff").encode("utf-8") + "\ud800".encode("utf-8", "surrogatepass"))
    assert "\ufffe" not in decoded.text and "\ud800" not in decoded.text


# ------------------------------------------------------------------------------------ TEI input


def _hostile_tei(tmp_path: Path) -> dict[str, Path]:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0">{}</TEI>'
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    files = {
        "xxe.tei.xml": f'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'
                       + tei.format("&x;"),
        "xxe_parameter.tei.xml": f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>' + tei.format(""),
        "external_dtd.tei.xml": '<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei.dtd">' + tei.format(""),
        "laughs.tei.xml": f'<!DOCTYPE TEI [<!ENTITY l0 "ha">{laughs}]>' + tei.format("&l9;"),
        "late_doctype.tei.xml": "<!--" + " " * 70_000 + "-->" + f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'
                                + tei.format("&x;"),
        "deep.tei.xml": tei.format("<div>" * 5000 + "</div>" * 5000),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    utf16 = tmp_path / "xxe_utf16.tei.xml"
    declared = files["xxe.tei.xml"].replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    utf16.write_bytes(codecs.BOM_UTF16_LE + declared.encode("utf-16-le"))
    paths[utf16.name] = utf16
    claim = tmp_path / "claims_1gb.tei.xml"
    with claim.open("wb") as handle:
        handle.write(tei.format("").encode())
        handle.truncate(1024**3)
    paths[claim.name] = claim
    return paths


def test_hostile_tei_is_refused_by_the_parser(tmp_path) -> None:
    for name, path in _hostile_tei(tmp_path).items():
        with pytest.raises(TeiError) as refused:
            parse_tei_file(path)
        message = str(refused.value)
        assert SECRET not in message and "\n" not in message, name
        if "xxe" in name or "laughs" in name or "doctype" in name or "dtd" in name:
            assert "DOCTYPE" in message, (name, message)
    assert "larger than" in str(pytest.raises(TeiError, parse_tei_file, tmp_path / "claims_1gb.tei.xml").value)


@pytest.mark.parametrize("command", ["validate", "export"])
def test_validate_and_export_refuse_hostile_tei_without_leaking(command, tmp_path, capsys) -> None:
    paths = _hostile_tei(tmp_path)
    out = tmp_path / "out"
    args = [command, *map(str, paths.values())] + (["-o", str(out), "--to", "docx"] if command == "export" else [])
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and SECRET not in captured.out + captured.err
    assert len([err for err in captured.err.splitlines() if err.strip()]) == len(paths)
    assert not out.exists() or not any(out.iterdir())


def test_internal_subset_cannot_slip_through_parse_tei_bytes() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "b">]><TEI/>'
    with pytest.raises(TeiError, match="DOCTYPE"):
        parse_tei_bytes(data)


# ------------------------------------------------------------------------------ property test


KAZAKH_TOKENS = ["Қазақстан", "Респуб-", "лика", "ның", "\n", "\n\n", " ", "-", "—", "12", "\f", "«", "»", "ә", "ғ",
                 "қа зақ", "ҚАЗАҚСТАН", "1.", "КІРІСПЕ", "www.example.kz", "Abc", "•", "\t", "¬", "\u00ad", "\u200b",
                 # legacy encodings, quotes, figure captions, lettered items, page turns
                 "Ñáîðíèê", "²àçàºñòàí", "Ðåñïóáëèêàñûíû”", "“", "”", "„", "є", "І", "×", "Сурет 1", "а)", "б)", "в)",
                 "XVІІІ", "де", "та", "мен", " 26", ".88"]
texts = st.one_of(
    st.text(max_size=3000),
    st.lists(st.one_of(st.sampled_from(KAZAKH_TOKENS), st.text(max_size=8)), max_size=400).map("".join),
    structured_text(),  # repeated blocks, contents tables, lone headings at page ends, empty sections
)


def tei_path(text: str) -> list[str]:
    """read → clean → structure → encode → validate; returns the validation issues."""
    decoded = decode_bytes(text.encode("utf-8", "surrogatepass"))
    cleaned = clean_text(decoded.text)
    info = SourceInfo(Path("prop.txt"), "0" * 64, len(text), decoded.encoding, CatalogEntry("prop.txt"),
                      "2026-11-25", decoded.removed_controls)
    tree = encode_tei(structure_document(cleaned), info)
    reread = parse_tei_bytes(serialise_tei(tree), "prop")
    reread.docinfo.URL = "prop.tei.xml"
    return [issue.format("prop") for issue in validate_tree(reread)]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts)
def test_any_text_gives_valid_tei_or_a_clear_refusal(text: str) -> None:
    try:
        issues = tei_path(text)
    except InputError:  # empty, binary-looking or letterless input: refused with a reason
        return
    assert issues == []
