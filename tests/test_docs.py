"""The documentation runs: module doctests, the README's Python example, the public API."""

import doctest
import importlib
import re

import pytest

import alliances
from conftest import ROOT

MODULES = [
    "alliances.countries",
    "alliances.scenario.quantity",
    "alliances.analysis.discounting",
    "alliances.analysis.sensitivity",
    "alliances.analysis.wedge",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_readme_python_example_runs(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "p50" in capsys.readouterr().out


def test_readme_resolve_examples_hold():
    assert alliances.resolve("the Kremlin").cow == 365
    assert alliances.resolve("Iranian").iso3 == "IRN"


def test_public_api_is_explicit_and_importable():
    for name in alliances.__all__:
        assert hasattr(alliances, name), name
    assert {"wedge", "load", "resolve", "Scenario", "AlliancesError"} <= set(alliances.__all__)
    assert issubclass(alliances.ScenarioError, alliances.AlliancesError)
    assert issubclass(alliances.UnknownCountryError, alliances.AlliancesError)
