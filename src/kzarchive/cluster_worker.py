"""The worker side of cluster.py: what runs inside a Dask worker process (imports Dask: load it only
where the cluster extra is installed)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from distributed import Worker, WorkerPlugin

from . import __version__
from .pool import HARD_LIMIT_FACTOR, WATCHDOG_INTERVAL, WORKER_KILLED_EXIT, DocumentTimeout

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


def kzarchive_version() -> str:
    return __version__


def run_on_worker(work: Callable[[Item], Outcome], item: Item, time_limit: float) -> Outcome:
    """One document in a worker thread, under the time limit."""
    with thread_time_limit(time_limit):
        return work(item)


class WarmUp(WorkerPlugin):
    """Worker plugin: loads the language data before the worker's first document (once per worker,
    also for a worker that joins or is restarted later)."""

    name = "kzarchive-warm-up"

    async def setup(self, worker: Worker) -> None:
        await asyncio.to_thread(warm_up)  # off the worker's event loop: it keeps answering the scheduler


# A few words that go through every loader cleaning, structuring and validation use.
WARM_UP_TEXT = ("Қазақстан Республикасы тәуелсіздігін жариялағаннан кейін сыртқы саясаттың негізгі "
                "бағыттарын айқындады. Көп век тор лы саясат көршілес мемлекеттермен дамыды.")


def warm_up() -> None:
    """Load what every document needs: word lists and models, hunspell-kk, the language detector,
    the TEI schema (each is cached in the process for its life)."""
    from .lexicon import Lexicon
    from .lexicon.hunspell import dictionary_words, load_kazakh_hunspell
    from .lexicon.segment import BoundaryModel, CliticModel, RussianWords, segment
    from .structure.languages import detect_language
    from .tei.validate import load_schema

    Lexicon.default(), RussianWords.default(), BoundaryModel.default(), CliticModel.default(), dictionary_words()
    checker = load_kazakh_hunspell()
    if checker is not None:
        checker.lookup(WARM_UP_TEXT.split()[0])
    segment(WARM_UP_TEXT.split())
    detect_language(WARM_UP_TEXT)
    load_schema()


# ------------------------------------------------------------------------ time limit in threads


class ThreadTimeout(DocumentTimeout):
    """DocumentTimeout raised into a worker thread (made by the interpreter, hence no arguments)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(args or ("took longer than the time limit (--time-limit); the document was stopped",)))


@dataclass
class _Deadline:
    soft: float  # monotonic time at which ThreadTimeout is raised in the document's thread
    hard: float  # ... and at which the worker process is ended (the document is stuck in native code)
    raised: bool = False


_running: dict[int, _Deadline] = {}  # thread id → the deadline of the document it runs
_running_lock = threading.Lock()
_watchdog: list[threading.Thread] = []


@contextlib.contextmanager
def thread_time_limit(seconds: float) -> Iterator[None]:
    if not seconds:
        yield
        return
    _start_watchdog()
    thread, now = threading.get_ident(), time.monotonic()
    with _running_lock:
        _running[thread] = _Deadline(now + seconds, now + seconds * HARD_LIMIT_FACTOR)
    try:
        yield
    finally:
        with _running_lock:
            _running.pop(thread, None)


def _start_watchdog() -> None:
    with _running_lock:
        if not _watchdog:
            _watchdog.append(threading.Thread(target=_watch, name="kzarchive-deadlines", daemon=True))
            _watchdog[0].start()


def _watch() -> None:
    while True:
        time.sleep(WATCHDOG_INTERVAL)
        now = time.monotonic()
        with _running_lock:
            for thread, deadline in _running.items():
                if now > deadline.hard:
                    os._exit(WORKER_KILLED_EXIT)
                if now > deadline.soft and not deadline.raised:
                    deadline.raised = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(ThreadTimeout))
