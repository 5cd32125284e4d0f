"""Running documents in worker processes: one failure or one runaway never takes the batch down.

- Each document runs under a time limit: a SIGALRM in the worker raises DocumentTimeout, which fails
  that document alone; a document stuck where Python cannot interrupt it (inside native code) is
  ended by the worker's watchdog at twice the limit, which kills the worker, and the pool's recovery
  below then fails that document only.
- Workers die with their parent: a watchdog thread in each worker ends it within a second of the
  parent's death (a SIGKILLed batch must not leave workers writing outputs without the folder lock).
- A worker that dies breaks the pool: the unfinished documents are run again one at a time, so the
  culprit is found and failed and the others still convert.
- Workers are forked from a fork server that has loaded the language data (`kzarchive.preload`): each
  worker's first document costs what its second does, and the workers share those pages. The server is
  a fresh interpreter (no thread or lock of this process), started for each pool and stopped after it,
  so it sees the environment of this run.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from .errors import KzError

# A worker is replaced after this many documents, so a slow leak cannot grow with the corpus.
TASKS_PER_WORKER = 1000
# The default time limit of one document. The largest sample takes ~10 s; a 60 MB text a few minutes.
DEFAULT_TIME_LIMIT = 900.0
# A worker that has not ended a document within this multiple of the limit is killed by its watchdog.
HARD_LIMIT_FACTOR = 2.0
WATCHDOG_INTERVAL = 0.5  # seconds between a worker's checks of its parent and its deadline
WORKER_KILLED_EXIT = 71

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


class DocumentTimeout(KzError):
    """A document took longer than the time limit."""


# ------------------------------------------------------------------------------ time limits

_hard_deadline: float | None = None  # monotonic time at which the watchdog kills this worker


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in this thread after `seconds` (only where signals can be delivered:
    the main thread of a process on POSIX; elsewhere the limit is not enforced here)."""
    global _hard_deadline
    usable = bool(seconds) and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable:
        yield
        return
    assert seconds is not None

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(f"took longer than the time limit of {seconds:g} s (--time-limit); "
                              "the document was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _hard_deadline = time.monotonic() + seconds * HARD_LIMIT_FACTOR
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _hard_deadline = None


# ------------------------------------------------------------------------------ worker watchdog


def init_worker(parent_pid: int) -> None:
    """Pool initializer: start the watchdog that ends this worker with its parent or its deadline.
    The parent is the batch's process, or the fork server that ends with it."""
    parent = os.getppid() if os.getppid() != 1 else parent_pid
    _release_fork_server()
    thread = threading.Thread(target=_watch, args=(parent,), name="kzarchive-watchdog", daemon=True)
    thread.start()


def _release_fork_server() -> None:
    """A worker forked by the fork server holds a copy of the batch process's end of the pipe by which
    the server learns that the batch has ended; closed here, so that the server ends with the batch
    (and this worker, reparented, with it: `_watch`). The worker never starts processes of its own
    through the server, the only use of that copy."""
    from multiprocessing import forkserver

    server = forkserver._forkserver
    alive = getattr(server, "_forkserver_alive_fd", None)  # set only in a process the server forked
    if alive is not None:
        os.close(alive)
        server._forkserver_alive_fd = None  # type: ignore[attr-defined]  # private: not in typeshed


def _watch(parent_pid: int) -> None:
    while True:
        time.sleep(WATCHDOG_INTERVAL)
        if os.getppid() != parent_pid:  # the parent died: this worker was handed to init
            os._exit(WORKER_KILLED_EXIT)
        deadline = _hard_deadline
        if deadline is not None and time.monotonic() > deadline:
            os._exit(WORKER_KILLED_EXIT)


# ---------------------------------------------------------------------------------- the pool


def run_all(items: list[Item], work: Callable[[Item], Outcome], *, jobs: int, in_process: bool,
            done: Callable[[Item, Outcome], None], died: Callable[[Item], Outcome],
            crashed: Callable[[Item, Exception], Outcome]) -> None:
    """Call done(item, work(item)) for every item: here when in_process, else in a pool of `jobs`
    fresh processes (items in the order given; put the largest first). died(item) stands for the
    outcome of an item whose worker died even when run alone; crashed(item, exc) for one whose
    outcome could not come back (e.g. it cannot be pickled)."""
    if in_process:
        for item in items:
            done(item, work(item))
        return
    unfinished = _run_pool(items, work, min(jobs, len(items)), done, crashed)
    for item in unfinished:  # the pool broke: find the culprit by running each one alone
        if _run_pool([item], work, 1, done, crashed):
            done(item, died(item))


def _run_pool(items: list[Item], work: Callable[[Item], Outcome], jobs: int,
              done: Callable[[Item, Outcome], None], crashed: Callable[[Item, Exception], Outcome]) -> list[Item]:
    """Run items in a pool; returns the items left unfinished because a worker process died."""
    # forkserver: workers start from a clean interpreter — no locks inherited from the parent's threads
    # (the progress display) — that has already loaded the language data.
    context = _worker_context()
    executor = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context, max_tasks_per_child=TASKS_PER_WORKER,
                                      initializer=init_worker, initargs=(os.getpid(),))
    broken: list[tuple[int, Item]] = []  # (position, item) of the items a dying worker took down
    try:
        futures = {executor.submit(work, item): (position, item) for position, item in enumerate(items)}
        for future in cf.as_completed(futures):
            position, item = futures[future]
            try:
                outcome = future.result()
            except cf.process.BrokenProcessPool:
                broken.append((position, item))
                continue
            except Exception as exc:  # e.g. an outcome that cannot be pickled: a bug, this item only
                outcome = crashed(item, exc)
            done(item, outcome)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        _stop_fork_server(context)
    return [item for _, item in sorted(broken, key=lambda pair: pair[0])]


PRELOAD_MODULE = "kzarchive.preload"


def _worker_context() -> multiprocessing.context.BaseContext:
    """A fork server that preloads the language data where there is one (POSIX), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD_MODULE])
    return context


def _stop_fork_server(context: multiprocessing.context.BaseContext) -> None:
    """End this pool's fork server, so that the next pool's starts afresh with the environment and data
    of its own run (the standard library keeps one server per process; `_stop` is how it ends it)."""
    if context.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        stop()
