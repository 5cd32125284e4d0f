"""The one way an exporter fails: a one-line ExportError (a KzError), never a traceback.

Every exporter runs inside `exporting(...)`; its own ExportError, a TeiError from reading the master,
an OSError from writing the edition and an unexpected bug all leave as ExportError with one line of
text. An unexpected exception is named an internal error, which the report counts apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from ..errors import ExportError, KzError
from ..tei import tei
from ..tei.parse import parse_tei_file

MAX_MESSAGE_CHARS = 300  # an internal error's own message, cut: a repr of a whole tree helps nobody


def one_line(message: str) -> str:
    return " ".join(message.split())


@contextmanager
def exporting(edition: str, tei_path: Path | str, out_path: Path | str) -> Iterator[None]:
    """Run an export of `edition` ("EPUB", "DOCX", "PDF"); any failure becomes one ExportError."""
    try:
        yield
    except ExportError as exc:
        if "\n" not in str(exc):
            raise
        raise ExportError(one_line(str(exc))) from exc
    except KzError as exc:
        raise ExportError(one_line(str(exc))) from exc
    except OSError as exc:
        raise ExportError(one_line(f"{out_path}: cannot write the {edition}: {exc.strerror or exc}")) from exc
    except MemoryError:
        raise  # the batch reports it as such
    except Exception as exc:  # a bug in an exporter: one line for the user, never a traceback
        message = one_line(str(exc))[:MAX_MESSAGE_CHARS]
        raise ExportError(f"internal error in the {edition} export: {type(exc).__name__}: {message}") from exc


def read_tei(tei_path: Path) -> etree._ElementTree:
    """The master, parsed safely and checked to be a TEI document an edition can be made from."""
    tree = parse_tei_file(Path(tei_path))
    root = tree.getroot()
    if root.tag != tei("TEI"):
        raise ExportError(f"{tei_path}: not a TEI document (root element is {etree.QName(root).localname})")
    if root.find(tei("teiHeader")) is None or root.find(tei("text")) is None:
        raise ExportError(f"{tei_path}: not a TEI document (it lacks a teiHeader or a text)")
    if root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}") is None:
        raise ExportError(f"{tei_path}: TEI header lacks fileDesc/titleStmt")
    return tree
