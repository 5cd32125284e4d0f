"""`convert --scheduler`: the batch on a Dask cluster keeps every promise of the local pool.

Two clusters: a LocalCluster the run starts itself (`local:2`), and a scheduler and two workers
started here as separate processes on 127.0.0.1, as on a real cluster. Small synthetic sources and
`--formats tei` where the editions do not matter, to keep the suite fast.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client

from kzarchive import cluster
from kzarchive.cli import main
from kzarchive.cluster import DASK_RETRY_NOTE, RERUN_NOTE, parse_scheduler

from .test_batch import digests, manifest, small_source

pytestmark = pytest.mark.slow  # an end-to-end check: CI runs it (pytest --all)

DOCUMENTS = 5
STARTUP_TIMEOUT = 90  # seconds for a scheduler and its workers to come up on a busy 2-core machine


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for number in range(DOCUMENTS):
        small_source(folder, f"doc{number}.txt", variant=number)
    return folder


@pytest.fixture
def reference(sources: Path, tmp_path: Path) -> dict[str, str]:
    """The outputs of the local process pool (`--jobs 2`), as digests."""
    out = tmp_path / "reference"
    assert convert(sources, out, "--jobs", "2") == 0
    return outputs(out)


def outputs(folder: Path) -> dict[str, str]:
    """Digests of the TEI masters and editions (the manifest and report tell of the run itself)."""
    return digests(folder, "doc*")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End a process started in its own session, with its children (a worker's nanny and worker)."""
    if process.poll() is None:
        with_children = os.getpgid(process.pid)
        os.killpg(with_children, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(with_children, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and two `dask worker` processes, as started on a cluster's machines."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    environment = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}  # as the README says
    started: list[subprocess.Popen[bytes]] = []

    def start(*arguments: str, log: str) -> None:
        with open(folder / log, "wb") as output:
            started.append(subprocess.Popen([sys.executable, "-m", "dask", *arguments], stdout=output,
                                            stderr=subprocess.STDOUT, env=environment, start_new_session=True))

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(scheduler_file), log="scheduler.log")
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        for number in range(2):
            start("worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                  "--name", f"worker-{number}", log=f"worker-{number}.log")
        with Client(address, timeout=STARTUP_TIMEOUT) as client:
            client.wait_for_workers(2, timeout=STARTUP_TIMEOUT)
        yield address
    finally:
        for process in reversed(started):
            _stop(process)


def convert(sources: Path, out: Path, *options: str) -> int:
    return main(["convert", str(sources), "-o", str(out), "--formats", "tei,epub", "--date", "2026-01-02", *options])


def statuses(out: Path) -> dict[str, str]:
    return {doc["source_name"]: doc["status"] for doc in manifest(out)["documents"]}


# ------------------------------------------------------------------------------ LocalCluster


def test_local_cluster_outputs_are_byte_identical_to_the_local_pool(sources, reference, tmp_path,
                                                                     monkeypatch, capsys) -> None:
    monkeypatch.setattr(cluster, "IN_FLIGHT", 2)  # documents are submitted as others finish
    monkeypatch.chdir(tmp_path)  # relative paths, as typed: workers get absolute ones, logs show these
    capsys.readouterr()
    assert convert(Path("src"), Path("cluster"), "--scheduler", "local:2") == 0
    out = tmp_path / "cluster"
    assert outputs(out) == reference
    assert [doc["source"] for doc in manifest(out)["documents"]] == [f"src/doc{n}.txt" for n in range(DOCUMENTS)]
    assert set(statuses(out).values()) == {"ok"}
    assert not any(doc["warnings"] for doc in manifest(out)["documents"])
    assert capsys.readouterr().out.splitlines()[0] == "ok      src/doc0.txt → tei,epub"


def test_local_cluster_worker_killed_fails_only_its_document_and_log_stays_json(sources, reference,
                                                                                 tmp_path) -> None:
    out = tmp_path / "cluster"
    run = subprocess.run([sys.executable, "-m", "kzarchive", "convert", str(sources), "-o", str(out),
                          "--formats", "tei,epub", "--date", "2026-01-02", "--scheduler", "local:2", "--log-json"],
                         capture_output=True, text=True, env={**os.environ, "KZARCHIVE_FAULT": "export-epub:doc2:exit"},
                         timeout=300)
    assert run.returncode == 1
    events = [json.loads(line) for line in run.stderr.splitlines()]  # nothing else on stderr: Dask is silent
    by_source = {event["source"]: event for event in events if event["event"] == "document"}
    assert by_source[str(sources / "doc2.txt")]["status"] == "failed"
    assert by_source[str(sources / "doc2.txt")]["stage"] == "worker"
    assert [e["status"] for s, e in by_source.items() if not s.endswith("doc2.txt")] == ["ok"] * (DOCUMENTS - 1)
    assert events[-1]["event"] == "summary" and events[-1]["failed"] == 1
    assert others_than(outputs(out), "doc2.") == others_than(reference, "doc2.")
    assert not (out / "doc2.epub").exists()


def test_retries_the_scheduler_makes_itself_are_reported(sources, reference, tmp_path, monkeypatch) -> None:
    """A scheduler left to retry (allowed-failures above 0) reruns a document whose worker died under it;
    the document converts, and its warnings say that its worker died and Dask ran it again."""
    monkeypatch.setattr(cluster, "LOCAL_SCHEDULER_CONFIG", {"distributed.scheduler.allowed-failures": 2})
    monkeypatch.setenv("KZARCHIVE_FAULT", "export-epub:doc3:exit-once")
    out = tmp_path / "cluster"
    assert convert(sources, out, "--scheduler", "local:2") == 0
    assert (sources / "doc3.txt.export-epub.fault-fired").exists()  # the first attempt did die
    documents = {doc["source_name"]: doc for doc in manifest(out)["documents"]}
    note = DASK_RETRY_NOTE.format(deaths=1, allowed=2)
    assert documents["doc3.txt"]["warnings"] == [note]
    assert all(doc["warnings"] in ([], [note]) for doc in documents.values())  # a neighbour may share the worker
    assert set(statuses(out).values()) == {"ok"}
    assert outputs(out) == reference


def others_than(outputs: dict[str, str], prefix: str) -> dict[str, str]:
    return {name: digest for name, digest in outputs.items() if not name.startswith(prefix)}


def test_local_cluster_time_limit_stops_a_runaway_document_only(sources, tmp_path, monkeypatch) -> None:
    """Workers run documents in threads, where SIGALRM never arrives: the limit still holds."""
    monkeypatch.setenv("KZARCHIVE_FAULT", "clean:doc1:hang")
    out = tmp_path / "cluster"
    assert convert(sources, out, "--scheduler", "local:2", "--time-limit", "5") == 1
    documents = {doc["source_name"]: doc for doc in manifest(out)["documents"]}
    assert documents["doc1.txt"]["status"] == "failed"
    assert documents["doc1.txt"]["failed_stage"] == "clean"
    assert "time limit" in documents["doc1.txt"]["error"]
    assert all(doc["status"] == "ok" and not doc["warnings"] for name, doc in documents.items() if name != "doc1.txt")


def test_local_cluster_document_stuck_in_native_code_is_failed_alone(sources, reference, tmp_path,
                                                                      monkeypatch) -> None:
    """Past twice the limit the worker is ended; its document is re-run alone, ends it again, and fails."""
    monkeypatch.setenv("KZARCHIVE_FAULT", "clean:doc1:stuck")
    out = tmp_path / "cluster"
    assert convert(sources, out, "--scheduler", "local:2", "--time-limit", "5") == 1  # good ones finish well within
    documents = {doc["source_name"]: doc for doc in manifest(out)["documents"]}
    assert documents["doc1.txt"]["status"] == "failed"
    assert "worker process died" in documents["doc1.txt"]["error"]
    assert all(doc["status"] == "ok" for name, doc in documents.items() if name != "doc1.txt")
    assert others_than(outputs(out), "doc1.") == others_than(reference, "doc1.")


# ---------------------------------------------------------------- scheduler and workers apart


def test_separate_scheduler_and_workers_convert_then_skip_everything(sources, reference, tmp_path,
                                                                    scheduler_address, capsys) -> None:
    out = tmp_path / "cluster"
    assert convert(sources, out, "--scheduler", scheduler_address) == 0
    assert outputs(out) == reference
    capsys.readouterr()
    assert convert(sources, out, "--scheduler", scheduler_address) == 0
    assert set(statuses(out).values()) == {"skipped"}
    assert f"0 converted, 0 failed, {DOCUMENTS} skipped" in capsys.readouterr().out
    assert outputs(out) == reference


def test_language_data_is_loaded_once_per_worker_before_its_first_document(sources, tmp_path,
                                                                           scheduler_address) -> None:
    assert convert(sources, tmp_path / "first", "--scheduler", scheduler_address) == 0  # registers the plugin
    with Client(scheduler_address) as client:
        client.restart()  # fresh worker processes: no document has run in them
        warmed = client.run(_word_list_loads)
        assert len(warmed) == 2 and all(misses == 1 for misses, _ in warmed.values())  # loaded already
        assert convert(sources, tmp_path / "second", "--scheduler", scheduler_address) == 0
        used = client.run(_word_list_loads)
    assert all(misses == 1 for misses, _ in used.values())  # still loaded once in each worker...
    assert sum(used[w][1] - warmed[w][1] for w in used) >= DOCUMENTS  # ...and used by every document since


def _word_list_loads() -> tuple[int, int]:
    from kzarchive.lexicon.wordlist import _load_default

    info = _load_default.cache_info()
    return info.misses, info.hits


def test_separate_workers_one_killed_mid_run_fails_only_its_document(sources, reference, tmp_path,
                                                                      scheduler_address, monkeypatch) -> None:
    out = tmp_path / "cluster"
    monkeypatch.setenv("KZARCHIVE_FAULT", "export-epub:doc3:exit")
    assert convert(sources, out, "--scheduler", scheduler_address) == 1
    documents = {doc["source_name"]: doc for doc in manifest(out)["documents"]}
    assert documents["doc3.txt"]["status"] == "failed"
    assert "worker process died" in documents["doc3.txt"]["error"]
    others = [doc for name, doc in documents.items() if name != "doc3.txt"]
    assert all(doc["status"] == "ok" for doc in others)
    assert all(doc["warnings"] in ([], [RERUN_NOTE]) for doc in others)  # a neighbour may have been re-run
    assert others_than(outputs(out), "doc3.") == others_than(reference, "doc3.")
    assert not (out / "doc3.epub").exists()
    monkeypatch.delenv("KZARCHIVE_FAULT")
    assert convert(sources, out, "--scheduler", scheduler_address) == 0  # the workers were restarted
    assert statuses(out) == {**{f"doc{n}.txt": "skipped" for n in range(DOCUMENTS)}, "doc3.txt": "ok"}
    assert outputs(out) == reference


# ------------------------------------------------------------------------------ the option


@pytest.mark.parametrize("value", ["local:0", "local:x", "somewhere", ""])
def test_scheduler_option_refuses_what_is_no_address(value, sources, tmp_path, capsys) -> None:
    assert convert(sources, tmp_path / "out", "--scheduler", value) == 2
    assert "--scheduler" in capsys.readouterr().err
    with pytest.raises(ValueError):
        parse_scheduler(value)


def test_unreachable_scheduler_is_one_line_and_exit_2(sources, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    assert convert(sources, tmp_path / "out", "--scheduler", "tcp://127.0.0.1:9") == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("kzarchive: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert len(error.splitlines()) == 1


def test_without_the_cluster_extra_the_option_says_what_to_install(sources, tmp_path, capsys, monkeypatch) -> None:
    find_spec = cluster.importlib.util.find_spec
    monkeypatch.setattr(cluster.importlib.util, "find_spec",
                        lambda name, *rest: None if name == "distributed" else find_spec(name, *rest))
    assert convert(sources, tmp_path / "out", "--scheduler", "local:2") == 2
    assert capsys.readouterr().err.strip() == ("kzarchive: --scheduler: the cluster extra is not installed: "
                                               "pip install 'kzarchive[cluster]'")
    assert not (tmp_path / "out").exists()  # refused before anything was planned or written
