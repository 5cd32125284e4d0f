"""Parse TEI files safely: no network, no DTD, no entity expansion, bounded size.

TEI reaching `kzarchive validate` and `kzarchive export` may come from anywhere (a hand-corrected
master, a file mailed in by a reader), so the parser is set up for hostile input:

- no DOCTYPE at all: this refuses external entities (XXE, reading local files), parameter entities
  and entity-expansion bombs ("billion laughs") before libxml2 sees a declaration;
- no network, no DTD loading, no entity resolution, no XInclude, even if a declaration slipped by;
- libxml2's default safety limits stay on (huge_tree=False: nesting depth, text-node size);
- the file's size is checked before reading, and reading stops at the limit whatever the file claims.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..errors import TeiError

MAX_TEI_BYTES = 200 * 1024 * 1024
# A DOCTYPE or entity declaration anywhere in the bytes, in UTF-8 or (interleaved with NULs) UTF-16.
_DECLARATION = re.compile(rb"<\x00?!\x00?(?:D\x00?O\x00?C\x00?T\x00?Y\x00?P\x00?E|E\x00?N\x00?T\x00?I\x00?T\x00?Y)")


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
    if _DECLARATION.search(data):
        raise TeiError(f"{name}: DOCTYPE/entity declarations are not accepted in TEI input")
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        raise TeiError(f"{name}:{line}:{col}: not well-formed XML: {_readable_syntax_error(exc.msg)}") from None
    except (ValueError, TypeError) as exc:  # e.g. an encoding declaration lxml cannot honour
        raise TeiError(f"{name}: not readable as XML: {exc}") from None
    tree = etree.ElementTree(root)
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # type: ignore[attr-defined]  # stubs lack doctype  # second line of defence
        raise TeiError(f"{name}: DOCTYPE/entity declarations are not accepted in TEI input")
    return tree


def _readable_syntax_error(message: str) -> str:
    if "huge" in message.lower() or "depth" in message.lower():
        return f"{message.strip()} (beyond the safe parser's limits: text nodes up to 10 MB, nesting up to 256 levels)"
    return message


def parse_tei_file(path: Path) -> etree._ElementTree:
    try:
        size = path.stat().st_size
        if size > MAX_TEI_BYTES:
            raise TeiError(f"{path}: TEI file larger than {MAX_TEI_BYTES // (1024 * 1024)} MB")
        if not path.is_file():
            raise TeiError(f"{path}: not a regular file")
        with path.open("rb") as handle:
            data = handle.read(MAX_TEI_BYTES + 1)  # never more than the limit, whatever stat said
    except OSError as exc:
        raise TeiError(f"{path}: cannot read: {exc.strerror}") from None
    tree = parse_tei_bytes(data, str(path))
    tree.docinfo.URL = str(path)
    return tree
