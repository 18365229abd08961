"""The estimated layers: the exit hazard, the scores of rare events, the calibrated P(flip)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from alliances.analysis.decision import FlipLayer, fit_flip_layer, log_margin
from alliances.analysis.hazard import HazardModel, fit_hazard
from alliances.analysis.scoring import (
    calibration_deciles,
    clustered_bootstrap,
    event_scores,
)
from alliances.errors import ParameterError


def test_hazard_recovers_a_known_coefficient():
    rng = np.random.default_rng(3)
    x = rng.normal(size=20_000)
    y = (rng.random(20_000) < 1 / (1 + np.exp(-(-3 + 0.8 * x)))).astype(int)
    model = fit_hazard(pd.DataFrame({"x": x, "event": y}), ["x"], C=1e6)
    assert model.coef[0] / model.scale[0] == pytest.approx(0.8, abs=0.1)


def test_risk_over_h_years_compounds_the_yearly_hazard():
    model = HazardModel(("log_age",), (0.0,), (1.0,), (0.0,), math.log(0.1 / 0.9), 10, 1)
    risk = model.risk(pd.DataFrame({"log_age": [0.0]}), 5)
    assert risk[0] == pytest.approx(1 - 0.9**5)


def test_hazard_refuses_one_outcome_and_nan_features():
    frame = pd.DataFrame({"x": [0.0, 1.0], "event": [0, 0]})
    with pytest.raises(ParameterError, match="need both outcomes"):
        fit_hazard(frame, ["x"])
    model = HazardModel(("x",), (0.0,), (1.0,), (1.0,), 0.0, 2, 1)
    with pytest.raises(ParameterError, match="NaN"):
        model.hazard(pd.DataFrame({"x": [np.nan]}))


def test_event_scores_match_hand_computation():
    s = event_scores([0, 1, 0, 1], [0.2, 0.8, 0.4, 0.3])
    assert s["auc"] == 0.75
    assert s["brier"] == pytest.approx((0.04 + 0.04 + 0.16 + 0.49) / 4)
    assert s["top_decile"] == 0.5  # the top tenth of four rows is the first: one event of two


@pytest.mark.slow
def test_clustered_bootstrap_is_seeded_and_pairs_models():
    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.2).astype(float)
    good = np.clip(0.2 + 0.5 * (y - 0.2) + rng.normal(0, 0.1, 400), 0.01, 0.99)
    flat = np.full(400, 0.2)
    groups = np.arange(400) // 4
    a = clustered_bootstrap(y, {"good": good, "flat": flat}, groups, n_boot=100, seed=1)
    b = clustered_bootstrap(y, {"good": good, "flat": flat}, groups, n_boot=100, seed=1)
    assert a == b
    diff = a["differences"]["good - flat"]
    assert diff["auc_ci"][0] > 0
    assert a["clusters"] == 100


def test_calibration_deciles_count_every_row():
    table = calibration_deciles(np.r_[np.zeros(50), np.ones(50)], np.linspace(0, 1, 100))
    assert table["count"].sum() == 100
    assert table["observed"].iloc[-1] == 1.0


def test_log_margin_counts_zero_and_infinite_prices_at_the_clip():
    assert log_margin([0.0, math.inf], [1.0, 1.0]) == 0.0
    assert log_margin([0.0], [1.0]) == 5.0
    assert log_margin([1.0], [0.0]) == -5.0


def test_flip_layer_fits_and_flags_inputs_outside_its_range():
    rng = np.random.default_rng(2)
    m = rng.normal(size=300)
    y = (rng.random(300) < 1 / (1 + np.exp(-(0.5 + m)))).astype(float)
    rows = [{"coercion": 0.0, "margin": v, "log_kappa": 0.0} for v in m]
    layer = fit_flip_layer(rows, y, fit=("a", "g"), n_boot=50)
    assert layer.intervals["g"][0] < layer.parameters["g"] < layer.intervals["g"][1]
    assert layer.parameters["k"] == 0.0
    assert layer.outside({"margin": 100.0})
    assert not layer.outside({"margin": 0.0})
    again = FlipLayer.from_dict(layer.to_dict())
    assert again.probability(0, 1.0, 0) == layer.probability(0, 1.0, 0)


def test_a_constant_forecast_puts_a_tenth_of_the_events_in_its_top_decile_whatever_the_order():
    y = np.zeros(200)
    y[:20] = 1  # every event first: a stable sort of ties would take them all
    flat = np.full(200, 0.1)
    assert event_scores(y, flat)["top_decile"] == pytest.approx(0.1)
    assert event_scores(y[::-1], flat)["top_decile"] == pytest.approx(0.1)


def test_ties_at_the_edge_of_the_top_decile_share_the_room_left():
    y = np.array([1.0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    p = np.array([0.9, 0.5, 0.5, 0.5] + [0.1] * 16)  # room for 2 rows: the 0.9, then 1 of 3 tied
    assert event_scores(y, p)["top_decile"] == pytest.approx((1 + 1 / 3) / 3)
