"""Sources behind URLs: an S3 store (moto's server on 127.0.0.1, reached through s3fs as a library's
object store would be) gives the same outputs as the same files on disk, read by the workers that
convert them; an unchanged object is skipped on the next run, a changed one converted again."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest

from kzarchive.cli import main
from kzarchive.remote import is_url, source_location

from .test_batch import digests, manifest, small_source

BUCKET = "theses"
DOCUMENTS = 3
STARTUP_TIMEOUT = 60  # seconds for moto's server to answer on a busy machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fsspec.AbstractFileSystem]:
    """An S3 endpoint on 127.0.0.1; fsspec is pointed at it the documented way (FSSPEC_S3_* variables,
    which worker processes inherit), and in this process through fsspec's loaded configuration."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)], stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    settings = {"FSSPEC_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    saved_conf = dict(fsspec.config.conf.get("s3", {}))
    fsspec.config.conf["s3"] = {**saved_conf, "endpoint_url": settings["FSSPEC_S3_ENDPOINT_URL"]}
    try:
        _wait_for(port, server, log)
        store = fsspec.filesystem("s3", skip_instance_cache=True)
        store.mkdir(BUCKET)
        store.server_log = log  # what the server was asked, line by line (werkzeug's request log)
        yield store
    finally:
        server.terminate()
        server.wait(timeout=15)
        fsspec.config.conf["s3"] = saved_conf
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"moto server ended: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("moto server did not start")


@pytest.fixture
def local_and_remote(s3_store: fsspec.AbstractFileSystem, tmp_path: Path,
                     request: pytest.FixtureRequest) -> tuple[Path, str]:
    """The same small sources (and a catalog) on disk and under a fresh prefix of the bucket."""
    folder = tmp_path / "src"
    folder.mkdir()
    for number in range(DOCUMENTS):
        small_source(folder, f"doc{number}.txt", variant=number)
    (folder / "catalog.csv").write_text("file,title,authors\ndoc1.txt,Дала экологиясы,Сейітқали Ж.\n",
                                        encoding="utf-8")
    prefix = f"{BUCKET}/{request.node.name}"
    for path in folder.iterdir():
        s3_store.put_file(str(path), f"{prefix}/{path.name}")
    s3_store.invalidate_cache()
    return folder, f"s3://{prefix}"


def convert(source: str | Path, out: Path, *options: str) -> int:
    return main(["convert", str(source), "-o", str(out), "--formats", "tei,epub", "--date", "2026-01-02", *options])


def editions(folder: Path) -> dict[str, str]:
    return digests(folder, "doc*")


def test_a_bucket_gives_the_outputs_its_files_give_on_disk(local_and_remote, tmp_path) -> None:
    folder, url = local_and_remote
    assert convert(folder, tmp_path / "local", "--jobs", "2") == 0
    assert convert(url, tmp_path / "remote", "--jobs", "2") == 0  # read in the worker processes
    assert editions(tmp_path / "remote") == editions(tmp_path / "local")
    assert len(editions(tmp_path / "remote")) == 3 * DOCUMENTS  # TEI, EPUB, review page
    documents = manifest(tmp_path / "remote")["documents"]
    assert [doc["source"] for doc in documents] == [f"{url}/doc{n}.txt" for n in range(DOCUMENTS)]
    assert all(doc["source_fingerprint"] for doc in documents)
    assert documents[1]["title"] == "Дала экологиясы"  # the catalog beside the objects was read


def test_an_unchanged_object_is_skipped_and_a_changed_one_converted(local_and_remote, s3_store, tmp_path,
                                                                    capsys) -> None:
    folder, url = local_and_remote
    out = tmp_path / "out"
    assert convert(url, out) == 0
    before = editions(out)
    capsys.readouterr()
    requests_before = len(s3_store.server_log.read_text().splitlines())
    assert convert(url, out) == 0
    asked = s3_store.server_log.read_text().splitlines()[requests_before:]
    key = url.removeprefix("s3://")
    assert not [line for line in asked if f"GET /{key}/doc" in line]  # no object downloaded to be hashed
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()][:DOCUMENTS] == ["skipped"] * DOCUMENTS
    changed = small_source(folder, "doc2.txt", variant=7)
    s3_store.put_file(str(changed), f"{url.removeprefix('s3://')}/doc2.txt")
    assert convert(url, out) == 0
    statuses = {doc["source_name"]: doc["status"] for doc in manifest(out)["documents"]}
    assert statuses == {"doc0.txt": "skipped", "doc1.txt": "skipped", "doc2.txt": "ok"}
    after = editions(out)
    assert after["doc2.tei.xml"] != before["doc2.tei.xml"]
    assert {k: v for k, v in after.items() if not k.startswith("doc2")} == \
        {k: v for k, v in before.items() if not k.startswith("doc2")}


@pytest.mark.slow
def test_a_missing_object_or_store_is_one_line_and_the_batch_goes_on(local_and_remote, s3_store, tmp_path,
                                                                      capsys) -> None:
    _, url = local_and_remote
    assert convert(f"{url}/nothing-here.txt", tmp_path / "a") == 2
    assert capsys.readouterr().err.strip() == f"kzarchive: no such file or folder: {url}/nothing-here.txt"
    assert convert("nosuchprotocol://x/y.txt", tmp_path / "b") == 2
    assert capsys.readouterr().err.count("\n") == 1
    # Named together with one that exists: the whole command is refused before anything is converted.
    s3_store.rm(f"{url.removeprefix('s3://')}/doc0.txt")
    assert main(["convert", f"{url}/doc1.txt", f"{url}/doc0.txt", "-o", str(tmp_path / "c"), "--formats", "tei"]) == 2
    assert capsys.readouterr().err.strip() == f"kzarchive: no such file or folder: {url}/doc0.txt"
    assert not (tmp_path / "c").exists()


@pytest.mark.slow
def test_an_object_that_cannot_be_read_fails_alone(local_and_remote, tmp_path, monkeypatch) -> None:
    """A store error while a worker reads one object (here: the object is gone by then) fails that
    document in one line; the others convert."""
    from kzarchive import remote

    _, url = local_and_remote
    real_read = remote.read_remote_bytes

    def gone_for_doc1(path, limit):  # the object vanishes between the plan and its read
        if path.name == "doc1.txt":
            raise remote.InputError("cannot read file: FileNotFoundError: " + str(path))
        return real_read(path, limit)

    monkeypatch.setattr("kzarchive.read.read_remote_bytes", gone_for_doc1)
    assert convert(url, tmp_path / "out", "--formats", "tei", "--jobs", "1") == 1  # patched in this process
    statuses = {doc["source_name"]: (doc["status"], doc.get("error", "")) for doc in manifest(tmp_path / "out")["documents"]}
    assert statuses["doc1.txt"][0] == "failed" and statuses["doc1.txt"][1].startswith("cannot read file")
    assert [statuses[f"doc{n}.txt"][0] for n in (0, 2)] == ["ok", "ok"]


@pytest.mark.slow
def test_an_output_url_is_refused_with_the_reason(local_and_remote, tmp_path, capsys, monkeypatch) -> None:
    _, url = local_and_remote
    monkeypatch.chdir(tmp_path)
    assert main(["convert", url, "-o", "s3://theses/out"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kzarchive: the output folder must be a file-system path") and err.count("\n") == 1
    assert not Path("s3:").exists()  # nothing made under a local folder named like the URL


@pytest.mark.parametrize(("text", "url"), [("s3://b/x.txt", True), ("simplecache::s3://b/x", True),
                                           ("input/001.txt", False), ("C:/texts", False), ("a:b.txt", False)])
def test_what_counts_as_a_url(text: str, url: bool) -> None:
    assert is_url(text) is url
    assert isinstance(source_location(text), Path) is not url or text.startswith("file://")


def test_file_urls_are_local_paths(tmp_path) -> None:
    assert source_location(f"file://{tmp_path}") == tmp_path


@pytest.mark.slow
def test_the_manifest_of_a_remote_run_is_json_with_urls(local_and_remote, tmp_path) -> None:
    _, url = local_and_remote
    assert convert(url, tmp_path / "out", "--formats", "tei") == 0
    text = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    assert json.loads(text)["documents"][0]["source"].startswith("s3://")


@pytest.mark.slow
def test_dask_workers_read_the_bucket_themselves(local_and_remote, tmp_path) -> None:
    """On a cluster each worker reads its documents from the store (a URL is the same on every machine)."""
    folder, url = local_and_remote
    assert convert(folder, tmp_path / "local", "--jobs", "2") == 0
    assert convert(url, tmp_path / "cluster", "--scheduler", "local:2") == 0
    assert editions(tmp_path / "cluster") == editions(tmp_path / "local")
    assert [doc["source"] for doc in manifest(tmp_path / "cluster")["documents"]] == \
        [f"{url}/doc{n}.txt" for n in range(DOCUMENTS)]
