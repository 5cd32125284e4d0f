"""Testing aid — fault injection: the environment variable KZARCHIVE_FAULT=STAGE:SUBSTRING[:KIND]
(several separated by ";") makes STAGE fail for every source whose file name contains SUBSTRING.
KIND is `error` (default: an expected KzError), `bug` (an unexpected RuntimeError, reported as an
internal error), `exit` (the worker process dies, as on a crash in native code), `exit-once` (dies on
the first attempt only: a transient crash; the file SOURCE.STAGE.fault-fired beside the source
remembers it across processes), `hang` (the stage
never ends: a runaway document) or `stuck` (never ends and ignores the time limit's signal, as a loop
in native code would). STAGE is one of results.STAGES. It is read once per batch by the parent
process and passed to the workers.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import KzError
from .remote import SourcePath

FAULT_ENV = "KZARCHIVE_FAULT"
FAULT_KINDS = ("error", "bug", "exit-once", "exit", "hang", "stuck")
FIRED_SUFFIX = "fault-fired"  # the marker an exit-once fault leaves beside its source


class InjectedFault(KzError):
    """Raised by the KZARCHIVE_FAULT testing aid."""


def kills_the_process(spec: str) -> bool:
    """Whether a rule of the spec would end or freeze the process it runs in."""
    return any(kind in ("exit", "exit-once", "stuck") for _, _, kind in _fault_rules(spec))


def _fault_rules(spec: str) -> Iterator[tuple[str, str, str]]:
    for rule in filter(None, (r.strip() for r in spec.split(";"))):
        stage, _, rest = rule.partition(":")
        substring, kind = rest, "error"
        for candidate in FAULT_KINDS:
            if rest.endswith(f":{candidate}"):
                substring, kind = rest[: -len(candidate) - 1], candidate
        yield stage.strip(), substring, kind


def inject_fault(spec: str, stage: str, source: SourcePath) -> None:
    for rule_stage, substring, kind in _fault_rules(spec):
        if rule_stage != stage or substring not in source.name:
            continue
        if kind == "exit" or (kind == "exit-once" and _first_time(source, stage)):
            os._exit(70)  # a worker dying without a word, like a segfault in native code
        if kind == "exit-once":
            continue
        if kind in ("hang", "stuck"):
            _hang(in_native_code=kind == "stuck")
        if kind == "bug":
            raise RuntimeError(f"injected bug in {stage}")
        raise InjectedFault(f"injected fault in {stage}")


def _first_time(source: SourcePath, stage: str) -> bool:
    if not isinstance(source, Path):
        return True  # no marker beside an object in a store: it fires every time
    try:
        os.close(os.open(source.with_name(f"{source.name}.{stage}.{FIRED_SUFFIX}"), os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return False
    return True


def _hang(*, in_native_code: bool) -> None:
    if in_native_code:  # a C call that never returns and never sees the time limit's signal
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            ctypes.CDLL(None).sleep(3600)
    while True:
        time.sleep(0.05)
