"""Typed errors and process exit codes (one place, like OCRmyPDF's ExitCode)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_FAILED = 1
    USAGE = 2


class KzError(Exception):
    """An expected failure with a one-line, user-facing message (never shown as a traceback)."""


class InputError(KzError):
    """The source file cannot be read as text (empty, binary, undecodable)."""


class TeiError(KzError):
    """A TEI file cannot be parsed safely or is not valid."""


class ExportError(KzError):
    """An export engine failed on a valid TEI document."""
