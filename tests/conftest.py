"""Shared fixtures: the sample corpus and dev gold live inside the repository (no ../shared)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
GOLD = ROOT / "tests" / "fixtures" / "gold"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD


@pytest.fixture(scope="session")
def dev_outputs() -> dict[str, dict[str, Any]]:
    """quotegraph's JSON for every sample document, computed once per test session."""
    from quotegraph.analyse import analyse
    from quotegraph.goldjson import to_json
    from quotegraph.read import read_file

    return {p.stem: to_json(analyse(read_file(p))) for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def gold() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the sample corpus, ingested and linked once per session (for the web tests)."""
    from quotegraph.analyse import analyse
    from quotegraph.link.corpus import link as link_families
    from quotegraph.read import read_file
    from quotegraph.store import open_store

    path = tmp_path_factory.mktemp("web") / "sample.db"
    with open_store(path) as store:
        for p in sorted(CORPUS.glob("*.txt")):
            doc = read_file(p)
            store.ingest(doc, analyse(doc))
        link_families(store)
    return path
