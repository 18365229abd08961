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
