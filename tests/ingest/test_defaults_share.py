"""defaults_share: the first-order index of the ingest defaults as one group, in 3N runs."""

from __future__ import annotations

import pytest

import alliances.analysis.wedge as wedge_package
from alliances.ingest.draft import DEFAULT, defaults_share
from alliances.scenario import load_builtin

pytestmark = pytest.mark.slow  # each prices thousands of runs of the essay's model


def _with_defaults(every: bool):
    """The essay's scenario with every uncertain quantity (or none) an ingest default."""
    data = load_builtin("russia-iran-2017").model_dump(mode="json", exclude_none=True)

    def mark(node):
        if isinstance(node, dict):
            if node.get("dist") in ("triangular", "lognormal", "uniform"):
                node.pop("source", None)
                node["assumption"] = f"{DEFAULT}: test" if every else "stated"
            for value in node.values():
                mark(value)
        elif isinstance(node, list):
            for value in node:
                mark(value)

    mark(data)
    return type(load_builtin("russia-iran-2017")).model_validate(data)


def test_all_inputs_defaults_explain_all_the_variance():
    assert defaults_share(_with_defaults(True), samples=2048) == pytest.approx(1.0, abs=0.05)


def test_no_default_explains_nothing():
    assert defaults_share(_with_defaults(False)) == 0.0


def test_the_share_takes_three_samples_of_runs_whatever_the_inputs(monkeypatch):
    columns = []
    evaluate = wedge_package.evaluate

    def counted(model, x, **kw):
        columns.append(len(next(iter(x.values()))))
        return evaluate(model, x, **kw)

    monkeypatch.setattr(wedge_package, "evaluate", counted)
    defaults_share(_with_defaults(True), samples=512)
    assert sum(columns) == 3 * 512
