"""The exit forecast and its backtest on the real ATOP record; the calibrated P(flip)."""

from __future__ import annotations

import json

import pytest

from alliances.scenario import load_builtin
from alliances.studies.backtest.calibration import load_layer
from alliances.studies.pricing import price
from alliances.world import connect


@pytest.fixture(scope="module")
def con(real_store):
    connection = connect(real_store[0])
    yield connection
    connection.close()


def test_forecast_lists_every_membership_in_force_with_a_risk(con):
    from alliances.studies.forecast import forecast

    result = forecast(con, 2010, price=False)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["year"] == 2010
    assert data["horizon"] == 5
    assert data["model"]["fitted_on"]["years"] == [1816, 2009]
    rows = data["rows"]
    assert len(rows) > 900
    assert all(0 < r["p_exit"] < 1 for r in rows)
    assert [r["p_exit"] for r in rows] == sorted((r["p_exit"] for r in rows), reverse=True)
    assert {"atopid", "member", "partner", "percentile", "top_driver"} <= set(rows[0])


@pytest.mark.slow  # prices 154 memberships: about 4 s
def test_memberships_left_unpriced_are_counted_in_a_warning_and_units_are_stated(con):
    from alliances.studies.forecast import forecast

    data = json.loads(json.dumps(forecast(con, 1950).to_dict()))
    unpriced = sum(r["flip_price_p50"] is None for r in data["rows"])
    assert unpriced > 0
    assert any(
        w.startswith(f"{unpriced} of {len(data['rows'])} memberships") for w in data["warnings"]
    )
    assert data["units"]["flip_price_p50"].startswith("USD")


def test_cheapest_divider_is_a_major_power_and_its_runner_up_costs_as_much_or_more(con):
    from alliances.studies.exit_structure import majors, price_pairs

    table = price_pairs(con, [(770, 2)], 1980, samples=100)
    assert table.cheapest_divider.iloc[0] in majors(con, 1980)
    assert table.no_price.iloc[0] == 0.0
    assert table.runner_up_p50.iloc[0] >= table.flip_price_p50.iloc[0]


def test_the_forecast_says_when_its_last_decade_expects_far_more_exits_than_happened(con):
    from alliances.studies.forecast import forecast

    result = forecast(con, 2010, price=False)
    [note] = [w for w in result.warnings if w.startswith("over 2000–2009 the model expects")]
    assert "read P as a ranking of risk, not a calibrated probability" in note
    from alliances.studies.exit_features import exit_features

    train = exit_features(con, years=(1816, 2009))
    observed = int(train.loc[train["s"] >= 2000, "exit_early"].sum())  # the record's own
    assert f"where {observed} happened" in note


def test_a_forecast_fitted_on_few_exits_says_so(con):
    from alliances.studies.forecast import forecast

    result = forecast(con, 1836, price=False)
    assert any("fitted on 8 early exits" in w for w in result.warnings)


def test_a_forecast_past_the_record_names_the_years_its_probabilities_are_of(con):
    from alliances.studies.forecast import forecast

    result = forecast(con, 2030, price=False)
    assert any("each P is of an early exit in 2017–2021" in w for w in result.warnings)


@pytest.mark.slow
def test_wedge_prints_a_calibrated_p_flip_beside_the_threshold():
    result = price(load_builtin("russia-iran-2017"), samples=2000, seed=1).result
    calibrated = result.to_dict()["calibrated"]
    assert 0 <= calibrated["interval"][0] <= calibrated["p_flip"] <= calibrated["interval"][1]
    assert calibrated["p_threshold"] == result.offer["p_flip"]
    assert calibrated["layer"]["version"] == load_layer()["version"]
    assert "structural" in calibrated["p_threshold_label"]


def test_forecast_and_exit_backtest_commands_print_the_contract_keys(real_store, tmp_path):
    from typer.testing import CliRunner

    from alliances.cli import app

    runner = CliRunner()
    store = str(real_store[0])
    out = tmp_path / "f.json"
    done = runner.invoke(
        app,
        ["forecast", "--year", "1995", "--no-price", "--json", "-o", str(out), "--store", store],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert set(data) == {"year", "horizon", "model", "rows", "units", "warnings"}
    assert set(data["model"]) == {"version", "parameters", "fitted_on"}
    assert data["model"]["fitted_on"]["years"] == [1816, 1994]  # nothing after Y - 1
    assert json.loads(out.read_text()) == data
    page = tmp_path / "exits.html"
    done = runner.invoke(
        app,
        [
            "backtest",
            "--exits",
            "--bootstrap",
            "10",
            "--json",
            "--report",
            str(page),
            "--store",
            store,
        ],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert {"rolling", "holdout", "decades", "calibration", "roc"} <= set(data)
    assert data["holdout"]["first"] == 1991
    assert set(data["holdout"]["scores"]) == {"base_rate", "leeds_savun"}
    assert data["rolling"]["1870s-2010s"]["events"] == sum(p["events"] for p in data["decades"])
    assert "leeds_savun - base_rate" in data["holdout"]["differences"]
    assert "Does the exit forecast predict?" in page.read_text()
