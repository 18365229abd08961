"""The backtest: cases drafted from the year before, predictions, scores, the fit and the
command line, on the hand-made store of the drafting tests."""

from __future__ import annotations

import json
import textwrap

import duckdb
import numpy as np
import pytest
from test_drafting import write_store
from typer.testing import CliRunner

from alliances.cli import app
from alliances.studies.backtest import CaseResult, backtest, fit_scale, predict
from alliances.studies.backtest.catalogue import _best_scale
from alliances.studies.cases import load_cases

CATALOGUE = """\
schema_version: 1
references:
  ref: A reference for the tests.
cases:
  - id: rus-{n}-a
    divider: [United States]
    target: Russia
    partner: [Iran]
    start_year: 2013
    goal: detach
    instruments:
      - {{type: reward, description: an offer of trade}}
    outcome: {a}
    summary: A case made up for the tests.
    sources: [ref]
  - id: rus-{n}-b
    divider: [China]
    target: Russia
    partner: [Iran]
    start_year: 2012
    goal: detach
    instruments:
      - {{type: coercion, description: a threat of sanctions}}
    outcome: {b}
    summary: A case made up for the tests.
    sources: [ref]
  - id: irn-{n}-c
    divider: [United States]
    target: Iran
    partner: [Russia]
    start_year: 2013
    goal: prevent
    instruments:
      - {{type: reward, description: relief from sanctions}}
      - {{type: coercion, description: a threat of force}}
    outcome: {c}
    summary: A case made up for the tests.
    sources: [ref]
  - id: usa-{n}-d
    divider: [Canada]
    target: United States
    partner: [Russia]
    start_year: 2013
    goal: detach
    instruments:
      - {{type: reward, description: an offer the data cannot price}}
    outcome: failure
    summary: Canada has no military expenditure in the hand-made store.
    sources: [ref]
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return write_store(tmp_path_factory.mktemp("backtest") / "world.duckdb")


@pytest.fixture(scope="module")
def con(store):
    connection = duckdb.connect(str(store), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(CATALOGUE.format(n=1, a="success", b="failure", c="partial"))
    return path


def test_each_case_is_drafted_from_the_year_before_it_began(con, catalogue):
    case = load_cases(catalogue).cases[0]
    result = predict(case, con, samples=400, seed=1)
    assert (result.year, result.skipped) == (2012, False)
    assert 0.0 <= result.p_flip <= 1.0


@pytest.mark.slow
def test_a_case_the_data_cannot_cover_is_skipped_with_its_reason(con, catalogue):
    run = backtest(load_cases(catalogue), con, samples=400, n_boot=50)
    skipped = [c for c in run.cases if c.skipped]
    assert [c.id for c in skipped] == ["usa-1-d"]
    assert "military expenditure" in skipped[0].reason
    assert run.to_dict()["scores"]["n_skipped"] == 1


def test_json_has_the_keys_scripts_read(con, catalogue):
    data = backtest(load_cases(catalogue), con, samples=400, n_boot=50).to_dict()
    assert {"id", "p_flip", "outcome", "skipped", "reason"} <= set(data["cases"][0])
    assert {
        "n",
        "n_skipped",
        "brier",
        "log_loss",
        "auc",
        "base_rate_brier",
        "brier_skill",
        "logistic_brier",
        "brier_skill_vs_logistic",
        "rule_brier",
        "brier_skill_vs_rule",
        "ci",
    } <= set(data["scores"])
    assert data["scores"]["n"] == 3


@pytest.mark.slow
def test_the_brier_score_is_that_of_the_predictions(con, catalogue):
    run = backtest(load_cases(catalogue), con, samples=400, n_boot=0)
    labels = {"success": 1.0, "partial": 0.5, "failure": 0.0}
    scored = run.scored
    expected = np.mean([(c.p_flip - labels[c.outcome]) ** 2 for c in scored])
    assert run.scores.brier == pytest.approx(expected)


@pytest.mark.slow
def test_same_seed_same_predictions(con, catalogue):
    first = backtest(load_cases(catalogue), con, samples=400, seed=3, n_boot=0)
    again = backtest(load_cases(catalogue), con, samples=400, seed=3, n_boot=0)
    assert [c.p_flip for c in first.cases] == [c.p_flip for c in again.cases]


def _case(ident, outcome, flip, most):
    result = CaseResult(ident, outcome, True, 2000, p_flip=0.0)
    result.draws = (np.asarray(flip, dtype=float), np.asarray(most, dtype=float))
    return result


def test_the_fitted_scale_makes_successes_likely_and_failures_not():
    # success: O* = 2 with O_max = 1 -> needs w > 2; failure: O* = 10 -> needs w <= 10
    cases = [_case("s", "success", [2.0], [1.0]), _case("f", "failure", [10.0], [1.0])]
    w = _best_scale(cases)
    assert 2.0 < w <= 10.0
    assert w == min(
        (x for x in np.exp(np.linspace(-6.0, 6.0, 241)) if 2.0 < x <= 10.0),
        key=lambda x: abs(np.log(x)),
    )


@pytest.mark.slow
def test_fit_reports_leave_one_out_scores_and_the_scale(con, catalogue):
    run = fit_scale(load_cases(catalogue), con, samples=400, n_boot=0)
    assert run.fitted["willingness_scale"] > 0
    assert set(run.fitted["held_out_scales"]) == {c.id for c in run.scored}
    assert run.fitted["cv_brier"] == pytest.approx(run.scores.brier)


@pytest.mark.slow
def test_cli_prints_scores_and_writes_fit_and_params(tmp_path, store, catalogue):
    runner = CliRunner()
    args = ["backtest", str(catalogue), "--store", str(store), "--samples", "400"]
    shown = runner.invoke(app, [*args, "--bootstrap", "50"])
    assert shown.exit_code == 0, shown.output
    assert "Brier" in shown.output
    assert "usa-1-d" in shown.output
    fit = tmp_path / "params.json"
    fitted = runner.invoke(app, [*args, "--bootstrap", "0", "--fit", str(fit), "--json"])
    assert fitted.exit_code == 0, fitted.output
    assert json.loads(fit.read_text())["willingness_scale"] > 0
    used = runner.invoke(app, [*args, "--bootstrap", "0", "--params", str(fit), "--json"])
    assert used.exit_code == 0, used.output
    assert json.loads(used.output)["params"]["willingness_scale"] > 0


def test_cli_refuses_a_bad_params_file(tmp_path, store, catalogue):
    bad = tmp_path / "bad.json"
    bad.write_text(textwrap.dedent('{"willingness_scale": -1}'))
    result = CliRunner().invoke(
        app, ["backtest", str(catalogue), "--store", str(store), "--params", str(bad)]
    )
    assert result.exit_code == 2
    assert "willingness_scale=-1" in result.output


def test_cli_refuses_fit_with_params(tmp_path, store, catalogue):
    result = CliRunner().invoke(
        app,
        [
            "backtest",
            str(catalogue),
            "--store",
            str(store),
            "--fit",
            str(tmp_path / "a.json"),
            "--params",
            str(tmp_path / "b.json"),
        ],
    )
    assert result.exit_code == 2
    assert "not both" in result.output
