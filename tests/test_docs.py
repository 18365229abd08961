"""The documentation runs: module doctests, the README's Python example, the public API."""

import doctest
import importlib
import inspect
import pkgutil
import re

import pytest

import alliances
import alliances.analysis
from conftest import ROOT

# Every module under alliances.analysis, found by walking the package: a new module is
# covered without editing this file.
ANALYSIS_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(alliances.analysis.__path__, prefix="alliances.analysis.")
)
MODULES = [
    "alliances.countries",
    "alliances.scenario.quantity",
    "alliances.analysis",
    *ANALYSIS_MODULES,
    # the charts (alliances.plotting): their examples run, their functions draw (no formula)
    "alliances._backends",
    "alliances.plotting",
    "alliances.plotting._common",
    "alliances.plotting._plotly",
    "alliances.plotting._matplotlib",
]

# Public analysis functions whose topic has no formula or paper of its own (a conversion,
# an axis): they need Parameters, Returns and Examples, not `.. math::` and References.
NO_FORMULA = {
    "alliances.analysis.alignment.to_networkx",
    "alliances.analysis.wedge.evaluation.offer_grid",
}
# Analysis modules whose public functions are exempt from the docstring check (none since
# the chart builders moved to alliances.plotting).
NOT_CHECKED: set[str] = set()


def test_every_analysis_module_is_collected():
    expected = {
        "alliances.analysis.alignment",
        "alliances.analysis.balance",
        "alliances.analysis.discounting",
        "alliances.analysis.wedge",
        "alliances.analysis.wedge.evaluation",
        "alliances.analysis.wedge.model",
        "alliances.analysis.wedge.montecarlo",
        "alliances.analysis.wedge.price",
        "alliances.analysis.wedge.result",
    }
    assert expected <= set(ANALYSIS_MODULES)


@pytest.mark.slow
@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def public_functions():
    """(qualified name, function) of every public function defined in an analysis module."""
    found = []
    for name in ANALYSIS_MODULES:
        if name in NOT_CHECKED or name.rsplit(".", 1)[1].startswith("_"):
            continue
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            value = getattr(module, attr)
            if inspect.isfunction(value) and value.__module__ == name:
                found.append((f"{name}.{attr}", value))
    return found


@pytest.mark.parametrize(
    ("name", "func"), [pytest.param(*nf, id=nf[0]) for nf in public_functions()]
)
def test_public_analysis_functions_read_like_networkx(name, func):
    """numpydoc sections, the formula in `.. math::`, the paper cited inline, an Example."""
    doc = inspect.getdoc(func) or ""
    for section in ("Parameters", "Returns", "Examples"):
        assert re.search(rf"^{section}\n-{{{len(section)}}}$", doc, re.MULTILINE), (name, section)
    assert ">>> " in doc, name
    if name in NO_FORMULA:
        return
    assert ".. math::" in doc, name
    assert re.search(r"^References\n-{10}$", doc, re.MULTILINE), name
    cited = set(re.findall(r"\[(\d+)\]_", doc))
    listed = set(re.findall(r"^\.\. \[(\d+)\]", doc, re.MULTILINE))
    assert listed, name
    assert cited <= listed, (name, cited - listed)  # every inline citation is listed
    assert "1" in cited, name  # the paper is cited in the text, not only listed


def test_the_wedge_package_keeps_its_public_and_private_names():
    from alliances.analysis import wedge as package

    for name in (
        "WedgeModel",
        "WedgeResult",
        "compile_model",
        "evaluate",
        "flip_probability",
        "offer_grid",
        "sample_inputs",
        "wedge",
        "_drivers",  # benchmarks/wedge.py
        "_Timing",  # alliances.analysis._reference
    ):
        assert hasattr(package, name), name
    assert sorted(package.__all__) == sorted(
        [
            "Input",
            "WedgeModel",
            "WedgeResult",
            "compile_model",
            "evaluate",
            "flip_probability",
            "offer_grid",
            "sample_inputs",
            "wedge",
        ]
    )
    assert callable(package.wedge)
    assert callable(package.evaluate)


def _readme_blocks(*, store: bool) -> list[str]:
    """The README's Python blocks that need a store (``default_store()``), or the others."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    return [b for b in blocks if ("default_store" in b) == store]


def test_readme_python_example_runs(capsys):
    blocks = _readme_blocks(store=False)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "p50" in capsys.readouterr().out


@pytest.mark.slow  # the README's sweep starts Dask worker processes
def test_readme_examples_with_a_store_run(real_store, monkeypatch):
    path, _ = real_store
    monkeypatch.setenv("ALLIANCES_STORE", str(path))  # the default store, as a reader's
    blocks = _readme_blocks(store=True)
    assert blocks
    for block in blocks:
        # not as __main__: the sweep example's guarded part starts Dask workers, and
        # tests/sweep runs that example as the script it is
        exec(compile(block, "README.md", "exec"), {})


def test_readme_resolve_examples_hold():
    assert alliances.resolve("the Kremlin").cow == 365
    assert alliances.resolve("Iranian").iso3 == "IRN"


def test_public_api_is_explicit_and_importable():
    for name in alliances.__all__:
        assert hasattr(alliances, name), name
    assert {"wedge", "load", "resolve", "Scenario", "AlliancesError"} <= set(alliances.__all__)
    assert issubclass(alliances.ScenarioError, alliances.AlliancesError)
    assert issubclass(alliances.UnknownCountryError, alliances.AlliancesError)
