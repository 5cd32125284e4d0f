"""Shared fixtures: the samples converted once per session, schemas compiled once."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

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
