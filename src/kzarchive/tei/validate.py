"""RELAX NG validation with readable, located messages (file:line:col: message)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from ..errors import TeiError
from .parse import safe_parser


@dataclass(frozen=True)
class ValidationIssue:
    line: int
    column: int
    message: str

    def format(self, name: str) -> str:
        return f"{name}:{self.line}:{self.column}: {self.message}"


def project_schema_path() -> Path:
    """schemas/tei.rng: the repository's copy when run from a checkout, else the packaged one."""
    checkout = Path(__file__).resolve().parents[3] / "schemas" / "tei.rng"
    if checkout.is_file():
        return checkout
    return Path(str(resources.files("kzarchive").joinpath("schemas", "tei.rng")))


@lru_cache(maxsize=4)
def load_schema(path: Path | None = None) -> etree.RelaxNG:
    schema_path = path or project_schema_path()
    try:
        return etree.RelaxNG(etree.parse(str(schema_path), parser=safe_parser()))
    except (OSError, etree.XMLSyntaxError, etree.RelaxNGParseError) as exc:
        raise TeiError(f"cannot load schema {schema_path}: {exc}") from None


def validate_tree(tree: etree._ElementTree, schema: etree.RelaxNG | None = None) -> list[ValidationIssue]:
    """Validate a tree as it would be read back from disk (line numbers of the serialised file).
    A parsed tree is validated as it is; one built in memory has no line numbers and is serialised
    and parsed again first (see validate_built_tree for the cheap way to check one)."""
    schema = schema or load_schema()
    if tree.getroot().sourceline is None:
        data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        tree = etree.ElementTree(etree.fromstring(data, parser=safe_parser()))
    if schema.validate(tree):
        return []
    return [ValidationIssue(e.line, e.column, _readable(e.message)) for e in schema.error_log]


def validate_built_tree(tree: etree._ElementTree, schema: etree.RelaxNG | None = None) -> list[ValidationIssue]:
    """Validate a tree built in memory without a serialised copy of it: it is valid exactly when its
    pretty-printed file is (the printer adds only whitespace between the elements of element-only
    content, which RELAX NG ignores). Only an invalid tree is serialised and parsed again, so that
    its issues carry the line numbers of the file it would be."""
    schema = schema or load_schema()
    if schema.validate(tree):
        return []
    return validate_tree(tree, schema)


def _readable(message: str) -> str:
    return message.replace("{http://www.tei-c.org/ns/1.0}", "tei:")
