"""A TEI tree written to its file as it is serialised, never held as one bytes object: the
serialised master of a large source is as big as the source again, on top of the tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ..fsutil import atomic_write_with, sha256_file


def write_tei_file(tree: etree._ElementTree, path: Path) -> None:
    """The bytes etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    gives (pipeline.serialise_tei), streamed by libxml2 into the file."""
    tree.write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_tei_atomic(tree: etree._ElementTree, path: Path,
                     before_replace: Callable[[str], None] | None = None) -> str:
    """Write the tree to `path` atomically; returns the file's SHA-256, read back in chunks.
    before_replace(sha256) runs once the file is complete, before it takes its final name."""
    digest: list[str] = []

    def finished(tmp: Path) -> None:
        digest.append(sha256_file(tmp))
        if before_replace:
            before_replace(digest[0])

    atomic_write_with(path, lambda tmp: write_tei_file(tree, tmp), finished)
    return digest[0]
