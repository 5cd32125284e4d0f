"""A folder of bad luck or bad intent: odd names, links, FIFOs, directories, runaway documents and a
killed parent never crash the batch, lose a document, hang it, or read outside the input folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kzarchive.cli import main
from kzarchive.tei.parse import parse_tei_file
from kzarchive.tei.validate import validate_tree

from .conftest import REPO
from .test_batch import manifest, small_source

SECRET = "kzarchive-secret-c41d"


def convert(folder: Path, out: Path, *extra: str) -> int:
    args = [*extra] if "--jobs" in extra else ["--jobs", "1", *extra]
    return main(["convert", str(folder), "-o", str(out), "--formats", "tei", *args])


def lines_naming(log: str, fragment: str) -> list[str]:
    return [line for line in log.splitlines() if fragment in line]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    small_source(folder, "good.txt")
    return folder


def test_names_of_any_bytes_convert_and_the_manifest_survives(folder, tmp_path, capsys) -> None:
    text = (folder / "good.txt").read_bytes()
    odd = [b"\xff\xfebad.txt", b"new\nline.txt", b"tab\there.txt", "Қазақ тілі.txt".encode()]
    for name in odd:
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(text)
    out = tmp_path / "out"
    assert convert(folder, out) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert len(captured.out.splitlines()) == len(odd) + 1 + 2  # one line a document, then the summary
    assert r"\xff\xfebad.txt" in captured.out and r"new\nline.txt" in captured.out
    record = manifest(out)
    assert record["summary"]["converted"] == len(odd) + 1
    for document in record["documents"]:
        tei = out / document["outputs"]["tei"]["path"]
        assert validate_tree(parse_tei_file(tei)) == []
        assert "\n" not in document["source_name"] and "\t" not in document["source_name"]
    assert r"\xff\xfebad.txt" in (out / "bad.tei.xml").read_text(encoding="utf-8")
    assert (out / "report.html").is_file()
    assert convert(folder, out) == 0  # the manifest reads back: everything skipped
    assert manifest(out)["summary"]["skipped"] == len(odd) + 1


def test_links_out_of_the_folder_are_refused_unless_followed(folder, tmp_path, capsys) -> None:
    secret = tmp_path / "elsewhere.txt"
    secret.write_text(f"{SECRET} " + (folder / "good.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "escape.txt").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "dangling.txt").symlink_to(tmp_path / "nothing")
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    out = tmp_path / "out"
    assert convert(folder, out) == 1
    captured = capsys.readouterr()
    for name in ("escape.txt", "passwd.txt"):
        [line] = lines_naming(captured.err, name)
        assert "outside the input folder" in line and "--follow-symlinks" in line
        assert not (out / name.replace(".txt", ".tei.xml")).exists()
    assert "dangling" in lines_naming(captured.err, "dangling.txt")[0]
    assert (out / "inside.tei.xml").is_file() and (out / "good.tei.xml").is_file()
    assert not any(SECRET in p.read_text(encoding="utf-8") or "root:x:0" in p.read_text(encoding="utf-8")
                   for p in out.glob("*.tei.xml"))

    (folder / "passwd.txt").unlink()
    assert convert(folder, out, "--follow-symlinks") == 1  # only the dangling link still fails
    assert SECRET in (out / "escape.tei.xml").read_text(encoding="utf-8")


def test_fifos_and_directories_are_reported_and_never_read(folder, tmp_path, capsys) -> None:
    os.mkfifo(folder / "pipe.txt")
    (folder / "folder.txt").mkdir()
    assert convert(folder, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "FIFO" in lines_naming(err, "pipe.txt")[0] and "directory" in lines_naming(err, "folder.txt")[0]
    assert (tmp_path / "out" / "good.tei.xml").is_file()


def test_a_fifo_put_at_an_earlier_sources_name_does_not_hang_the_run(folder, tmp_path) -> None:
    out = tmp_path / "out"
    small_source(folder, "later.txt")
    assert convert(folder, out) == 0
    (folder / "later.txt").unlink()
    os.mkfifo(folder / "later.txt")
    run = subprocess.run([sys.executable, "-m", "kzarchive.cli", "convert", str(folder), "-o", str(out),
                          "--formats", "tei", "--jobs", "1"], capture_output=True, text=True, timeout=60,
                         cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert run.returncode == 1 and "FIFO" in run.stderr and "skipped" in run.stdout


def test_a_directory_at_an_outputs_name_fails_that_document_only(folder, tmp_path, capsys) -> None:
    small_source(folder, "blocked.txt")
    out = tmp_path / "out"
    (out / "blocked.tei.xml").mkdir(parents=True)
    assert convert(folder, out) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert "blocked.txt" in line and "Is a directory (blocked.tei.xml)" in line
    assert (out / "good.tei.xml").is_file() and (out / "manifest.json").is_file()


GENEROUS_LIMIT = 5  # seconds: the faulty document never ends; the good one must not be caught too


def test_a_runaway_document_is_stopped_at_the_time_limit(folder, tmp_path, monkeypatch, capsys) -> None:
    small_source(folder, "runaway.txt")
    monkeypatch.setenv("KZARCHIVE_FAULT", "clean:runaway:hang")
    started = time.monotonic()
    # a limit a good small document meets even in a cold worker on a loaded machine
    assert convert(folder, tmp_path / "out", "--time-limit", str(GENEROUS_LIMIT)) == 1
    assert time.monotonic() - started < 30 + GENEROUS_LIMIT
    [line] = capsys.readouterr().err.splitlines()
    assert "runaway.txt" in line and f"time limit of {GENEROUS_LIMIT} s" in line
    assert (tmp_path / "out" / "good.tei.xml").is_file()


def test_a_document_stuck_past_the_signal_is_ended_by_the_watchdog(folder, tmp_path, monkeypatch, capsys) -> None:
    small_source(folder, "stuck.txt")
    monkeypatch.setenv("KZARCHIVE_FAULT", "clean:stuck:stuck")
    assert convert(folder, tmp_path / "out", "--time-limit", str(GENEROUS_LIMIT), "--jobs", "2") == 1
    [line] = capsys.readouterr().err.splitlines()
    assert "stuck.txt" in line and "twice the time limit" in line
    assert (tmp_path / "out" / "good.tei.xml").is_file()


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def _is_fork_server(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return "forkserver" in command  # not multiprocessing's resource tracker


def _pool_workers(parent: int) -> list[int]:
    """The pool's workers: the children of its fork server, itself a child of the batch's process."""
    return [pid for server in _children(parent) if _is_fork_server(server) for pid in _children(server)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_their_killed_parent(folder, tmp_path) -> None:
    for name in ("one.txt", "two.txt"):
        small_source(folder, name)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "KZARCHIVE_FAULT": "clean:.txt:hang"}
    parent = subprocess.Popen([sys.executable, "-m", "kzarchive.cli", "convert", str(folder), "-o",
                               str(tmp_path / "out"), "--formats", "tei", "--jobs", "2"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = _pool_workers(parent.pid)
        assert len(workers) == 2
        time.sleep(1.0)  # the workers are inside the hanging stage now
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers)
        assert not list((tmp_path / "out").glob("*.tei.xml"))
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in _children(parent.pid):
            os.kill(pid, signal.SIGKILL)


def test_refusals_are_recorded_in_the_manifest(folder, tmp_path) -> None:
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    assert convert(folder, tmp_path / "out") == 1
    documents = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    refused = next(d for d in documents if d["source_name"] == "passwd.txt")
    assert refused["status"] == "failed" and refused["failed_stage"] == "read" and not refused["outputs"]
