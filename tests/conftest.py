"""Shared fixtures: the seed essay, the shared data folder, small scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def essay_text() -> str:
    path = SHARED / "seeds" / "000_0c90206f52bad03e.txt"
    if not path.exists():
        pytest.skip(f"the seed essay is not at {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_store(tmp_path_factory):
    """The store built once from ../shared/data, with its build report."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"the shared data folder is not at {data}")
    from alliances.world import build

    path = tmp_path_factory.mktemp("world") / "world.duckdb"
    return path, build(data, path)


_NEEDS_SHARED = {"real_store", "essay_text", "essay", "small_store"}


def pytest_collection_modifyitems(items):
    """Every test that reads ../shared through a fixture is marked ``data``, so that
    ``-m "not data"`` runs exactly the tests that need nothing outside the repository."""
    for item in items:
        if _NEEDS_SHARED & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.data)
