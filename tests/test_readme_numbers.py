"""The README's marked numbers are what ``make readme-numbers`` computes from real runs."""

import importlib.util

import pytest

from conftest import ROOT

SPEC = importlib.util.spec_from_file_location(
    "readme_numbers", ROOT / "docs" / "readme_numbers.py"
)
assert SPEC is not None
assert SPEC.loader is not None
readme_numbers = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(readme_numbers)


@pytest.fixture(scope="module")
def readme():
    return (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo_body():
    return readme_numbers.demo(None)  # one real run (100,000 draws), shared by the tests


@pytest.fixture
def runs(monkeypatch, demo_body):
    monkeypatch.setitem(readme_numbers.RUNS, "demo", lambda store: demo_body)


def test_the_readme_marks_the_demo_numbers_and_states_their_grounding(readme):
    regions = {m["name"]: m["body"] for m in readme_numbers.REGION.finditer(readme)}
    assert {"demo", "grounding"} <= set(regions)
    assert "Not grounded: no store was given" in regions["demo"]


def test_the_demo_numbers_in_the_readme_are_those_the_script_computes(readme, runs):
    """Without a store only the demo region is rewritten; it must come out unchanged."""
    assert readme_numbers.rewrite(readme, None) == readme


def test_the_script_touches_only_the_marked_regions(runs):
    text = "before\n<!-- numbers:nothing-known -->\nkept\n<!-- /numbers -->\nafter 1.23\n"
    assert readme_numbers.rewrite(text, None) == text
    stale = "x\n<!-- numbers:demo -->\nold 9.99\n<!-- /numbers -->\ny 9.99\n"
    new = readme_numbers.rewrite(stale, None)
    assert new.startswith("x\n<!-- numbers:demo -->\n`make demo` prints")
    assert new.endswith("<!-- /numbers -->\ny 9.99\n")
    assert "old 9.99" not in new
