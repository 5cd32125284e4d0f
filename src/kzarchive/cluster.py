"""Running documents on a Dask cluster (`convert --scheduler ADDRESS`): the same promises as pool.py.

- `run_all` has the local pool's signature, so the batch only chooses where documents run: the client
  (this process) still plans, skips, takes the folder lock and writes the journal, manifest and report;
  workers only convert, reading the sources and writing the outputs at the paths they are given.
- Paths: the client hands workers absolute paths, so sources and the output folder must be visible at
  the same path on every machine (a local disk for `local:N`; a shared mount on a cluster: NFS, CephFS,
  or an object store mounted through FUSE). Outputs are written atomically on the worker (fsutil).
- A dying worker (a crash in native code, killed, out of memory) fails its documents only. The
  scheduler is meant to run with `allowed-failures: 0` (set here for `local:N`), so such documents come
  back as KilledWorker at once; they are then run again one at a time, like the local pool's recovery,
  and the one whose worker dies again is failed. A document that succeeds on that second attempt says
  so in its warnings. A scheduler left at Dask's default (3) retries them itself first; the run asks the
  scheduler how often each document's worker died under it, and says so in that document's warnings.
- The time limit: workers run documents in threads, where no SIGALRM arrives, so a watchdog thread in
  each worker raises DocumentTimeout in a document's thread at the limit and ends the worker at
  HARD_LIMIT_FACTOR times it (a document stuck in native code).
- Language data is loaded once per worker, by a worker plugin, before its first document.

Dask is an optional dependency (`pip install kzarchive[cluster]`): imported only when a run uses it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .errors import KzError

if TYPE_CHECKING:
    from distributed import Client

LOCAL_PREFIX = "local:"  # --scheduler local:N starts a LocalCluster of N worker processes for one run
CONNECT_TIMEOUT = "30s"  # how long a client waits for an unreachable scheduler before giving up
WORKERS_TIMEOUT = 120.0  # seconds to wait for a first worker (one may be restarting after a crash)
# The scheduler setting a run relies on (applied to the LocalCluster it starts; the README gives it for a
# cluster): a worker's death fails its documents at once, so that they are re-run alone here, not by Dask.
LOCAL_SCHEDULER_CONFIG = {"distributed.scheduler.allowed-failures": 0}
TASK_PREFIX = "kzarchive-document"
# Documents submitted ahead of their turn: enough to keep hundreds of worker threads busy, while the
# scheduler never holds a whole backlog's tasks (200 000 documents) at once.
IN_FLIGHT = 1000
RERUN_NOTE = ("its Dask worker died during a first attempt (shared with other documents); "
              "converted on the second attempt, alone")
# A document the scheduler itself ran again (allowed-failures above 0) after its worker died under it.
DASK_RETRY_NOTE = ("its Dask worker died {deaths} time(s) while converting it; the scheduler ran it again "
                   "(allowed-failures {allowed}) and this attempt converted it")
INSTALL_HINT = "the cluster extra is not installed: pip install 'kzarchive[cluster]'"

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


class ClusterError(KzError):
    """The cluster cannot be reached or used (one line for the user; the batch stops, exit code 2)."""


def parse_scheduler(value: str) -> str:
    """`local:N` (N ≥ 1) or a scheduler address such as tcp://host:8786; ValueError otherwise."""
    value = value.strip()
    if value.startswith(LOCAL_PREFIX):
        count = value.removeprefix(LOCAL_PREFIX)
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"local:N needs a whole number of worker processes, at least 1 (got {value!r})")
        return value
    if "://" not in value and ":" not in value:
        raise ValueError(f"a scheduler address such as tcp://HOST:8786, or local:N (got {value!r})")
    return value


def unavailable_reason() -> str:
    """Why --scheduler cannot be used in this installation ("" when it can)."""
    return "" if importlib.util.find_spec("distributed") else INSTALL_HINT


# ---------------------------------------------------------------------------- on the client


def run_all(items: list[Item], work: Callable[[Item], Outcome], *, jobs: int, in_process: bool,
            done: Callable[[Item, Outcome], None], died: Callable[[Item], Outcome],
            crashed: Callable[[Item, Exception], Outcome], scheduler: str, time_limit: float,
            retried: Callable[[Item, Outcome, str], Outcome] = lambda item, outcome, note: outcome) -> None:
    """pool.run_all on the cluster at `scheduler` (jobs and in_process are the cluster's to decide).
    retried(item, outcome, note) marks the outcome of an item that succeeded after its worker died."""
    if not items:
        return
    with _connected(scheduler) as client:
        _check_workers(client)
        retries = _DaskRetries(client, retried)
        unfinished = _run_batch(client, items, work, time_limit, retries.noted(done), crashed)
        for item in unfinished:  # their worker died: find the culprit by running each one alone
            again = _run_batch(client, [item], work, time_limit,
                               retries.noted(lambda i, o: done(i, retried(i, o, RERUN_NOTE))), crashed)
            if again:
                done(item, died(item))


class _DaskRetries:
    """Retries the scheduler makes on its own (allowed-failures > 0) are reported, not silent: a
    task's `suspicious` count on the scheduler is how many workers died while running it."""

    def __init__(self, client: Client, retried: Callable[[Any, Any, str], Any]) -> None:
        self.client = client
        self.retried = retried
        self.allowed = int(client.run_on_scheduler(_allowed_failures))

    def noted(self, done: Callable[[Item, Outcome], None]) -> Callable[[Item, Outcome, str], None]:
        def done_noting_retries(item: Item, outcome: Outcome, key: str) -> None:
            deaths = int(self.client.run_on_scheduler(_worker_deaths, key=key)) if self.allowed else 0
            if deaths:
                outcome = self.retried(item, outcome, DASK_RETRY_NOTE.format(deaths=deaths, allowed=self.allowed))
            done(item, outcome)
        return done_noting_retries


def _allowed_failures(dask_scheduler: Any) -> int:
    return int(dask_scheduler.allowed_failures)


def _worker_deaths(dask_scheduler: Any, key: str) -> int:
    task = dask_scheduler.tasks.get(key)
    return int(task.suspicious) if task is not None else 0


def _run_batch(client: Client, items: list[Item], work: Callable[[Item], Outcome], time_limit: float,
               done: Callable[[Item, Outcome, str], None],
               crashed: Callable[[Item, Exception], Outcome]) -> list[Item]:
    """Run the items in the order given, at most IN_FLIGHT at a time; returns those whose worker died
    while they ran, in that order."""
    from distributed import KilledWorker, as_completed

    from .cluster_worker import run_on_worker

    run = uuid.uuid4().hex[:12]
    waiting = iter(enumerate(items))
    submitted: dict[Any, tuple[int, Item]] = {}

    def submit_next() -> None:
        following = next(waiting, None)
        if following is not None:
            position, item = following
            future = client.submit(run_on_worker, work, item, time_limit, key=f"{TASK_PREFIX}-{run}-{position}",
                                   pure=False)
            submitted[future] = (position, item)
            running.add(future)

    running = as_completed()
    for _ in range(IN_FLIGHT):
        submit_next()
    broken: list[tuple[int, Item]] = []
    try:
        for future in running:
            position, item = submitted.pop(future)
            submit_next()
            if future.status == "cancelled":
                raise ClusterError("lost the Dask scheduler or this run's tasks; the documents finished so far are "
                                   "recorded: run the same command again to convert the rest")
            error = future.exception() if future.status == "error" else None
            if isinstance(error, KilledWorker):
                broken.append((position, item))
            else:
                done(item, crashed(item, error) if error is not None else future.result(), future.key)
            future.release()  # the result is no longer needed on the cluster
    finally:
        client.cancel(list(submitted))
    return [item for _, item in sorted(broken, key=lambda pair: pair[0])]


@contextlib.contextmanager
def _connected(scheduler: str) -> Iterator[Client]:
    """A client of the scheduler, or of a LocalCluster started (and stopped) for this run. Dask's own
    log lines are silenced: the run reports every document itself, and --log-json must stay JSON."""
    reason = unavailable_reason()
    if reason:
        raise ClusterError(reason)
    import dask
    from distributed import Client, LocalCluster
    from distributed.utils import silence_logging_cmgr

    from .cluster_worker import WarmUp

    with silence_logging_cmgr(logging.CRITICAL), contextlib.ExitStack() as stack:
        if scheduler.startswith(LOCAL_PREFIX):
            stack.enter_context(dask.config.set(LOCAL_SCHEDULER_CONFIG))
            cluster = stack.enter_context(LocalCluster(
                n_workers=int(scheduler.removeprefix(LOCAL_PREFIX)), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        client.register_plugin(WarmUp(), name=WarmUp.name)
        yield client


def _check_workers(client: Client) -> None:
    """Every worker must run this kzarchive: another version would make other outputs."""
    from .cluster_worker import kzarchive_version

    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler has had no workers for {WORKERS_TIMEOUT:g} s: "
                           "start some with `dask worker ADDRESS`") from None
    try:
        versions = client.run(kzarchive_version)
    except ImportError:
        raise ClusterError("kzarchive is not installed on every Dask worker") from None
    other = {worker: version for worker, version in versions.items() if version != __version__}
    if other:
        worker, version = sorted(other.items())[0]
        raise ClusterError(f"the Dask worker {worker} runs kzarchive {version}, this client {__version__}: "
                           "install the same version everywhere")


def _kzarchive_version() -> str:
    return __version__
