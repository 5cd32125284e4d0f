"""Shared fixtures: the samples converted once per session, schemas compiled once, EPUBCheck in one JVM.

The slow end-to-end checks (a real browser, LibreOffice, held-out accuracy over large texts, the cluster,
the stress shapes) are marked `slow` and left out of a plain `pytest -q`; `pytest -q --all` runs
everything, as CI does. A skipped test fails the run: a skip here would hide a missing tool or feature."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from kzarchive.export.epubcheck import Epubcheck, Message, shared_jvm
from kzarchive.metadata import load_catalog
from kzarchive.pipeline import convert_source
from kzarchive.results import ConvertOptions, DocumentResult

REPO = Path(__file__).resolve().parents[1]
INPUT = REPO / "input"
SAMPLES = sorted(INPUT.glob("*.txt"))
# The official TEI P5 4.9.0 tei_all schema, kept in the repository so the tests need nothing beside it.
TEI_ALL = REPO / "tests" / "data" / "tei_all.rng"


def sample(prefix: str) -> Path:
    return next(p for p in SAMPLES if p.name.startswith(prefix))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--all", action="store_true", help="also run the tests marked slow (what CI runs)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--all"):
        config.option.markexpr = ""  # drops the "not slow" of addopts


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    _fail_a_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    report = yield
    _fail_a_skip(report)
    return report


def _fail_a_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    """A skip (skipif, importorskip, pytest.skip) becomes a failure that says why it was skipped."""
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, which this suite does not allow (a missing tool is a failure): {reason}"


@pytest.fixture(scope="session")
def tei_all_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocumentResult]:
    """Every sample converted once per session into all four formats."""
    out = tmp_path_factory.mktemp("editions")
    catalog = load_catalog(INPUT)
    options = ConvertOptions(output_dir=out)
    return {p.name[:3]: convert_source(p, options, catalog) for p in SAMPLES}


@pytest.fixture(scope="session")
def converted_tei(editions: dict[str, DocumentResult]) -> dict[str, DocumentResult]:
    """The same conversions, for tests that look at the TEI masters."""
    return editions


@pytest.fixture(scope="session")
def tei_trees(converted_tei: dict[str, DocumentResult]) -> dict[str, etree._ElementTree]:
    return {key: etree.parse(str(result.outputs["tei"])) for key, result in converted_tei.items()}


@pytest.fixture(scope="session", autouse=True)
def epubcheck_jvm() -> Iterator[Epubcheck]:
    """Every EPUBCheck run of the session (run_epubcheck included) in one JVM, started on first use."""
    with shared_jvm() as checker:
        yield checker


@pytest.fixture(scope="session")
def sample_epub_messages(editions: dict[str, DocumentResult], epubcheck_jvm: Epubcheck) -> dict[str, list[Message]]:
    """EPUBCheck's messages on the samples' EPUB editions, checked together."""
    return {key: epubcheck_jvm.check(result.outputs["epub"]) for key, result in editions.items()}


@pytest.fixture(scope="session")
def sample_pdf_pages(editions: dict[str, DocumentResult]) -> dict[str, list[str]]:
    """The text layer of the samples' PDF editions, page by page, as pypdf's strict parser reads it:
    extracting it is the slowest read of a PDF (14 s for 001), and several tests read the same pages."""
    return {key: [page.extract_text() for page in PdfReader(result.outputs["pdf"], strict=True).pages]
            for key, result in editions.items()}
