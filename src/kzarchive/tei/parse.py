"""Parse TEI files safely: no network, no DTD, no entity expansion, bounded size."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import TeiError

MAX_TEI_BYTES = 200 * 1024 * 1024


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_tei_bytes(data: bytes, name: str = "<bytes>") -> etree._ElementTree:
    if len(data) > MAX_TEI_BYTES:
        raise TeiError(f"{name}: TEI file larger than {MAX_TEI_BYTES // (1024 * 1024)} MB")
    if b"<!ENTITY" in data[:65536] or b"<!DOCTYPE" in data[:65536]:
        raise TeiError(f"{name}: DOCTYPE/entity declarations are not accepted in TEI input")
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        raise TeiError(f"{name}:{line}:{col}: not well-formed XML: {exc.msg}") from None
    return etree.ElementTree(root)


def parse_tei_file(path: Path) -> etree._ElementTree:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TeiError(f"{path}: cannot read: {exc.strerror}") from None
    if size > MAX_TEI_BYTES:
        raise TeiError(f"{path}: TEI file larger than {MAX_TEI_BYTES // (1024 * 1024)} MB")
    tree = parse_tei_bytes(path.read_bytes(), str(path))
    tree.docinfo.URL = str(path)
    return tree
