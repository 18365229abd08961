import copy
import doctest
import json
import math
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from alliances.analysis import _select
from alliances.analysis._reference import flip_price_raw
from alliances.analysis._select import Selector, linear_quantile, order_statistics, quantile_ranks
from alliances.analysis.wedge import (
    compile_model,
    evaluate,
    flip_probability,
    montecarlo,
    offer_grid,
    price,
    sample_inputs,
    wedge,
)
from alliances.errors import AlliancesWarning, ParameterError, ScenarioError
from alliances.scenario import Scenario, load_builtin
from alliances.scenario.quantity import PARAMETERS, parse_unit


def point(value, unit=None):
    q = {"value": value, "assumption": "test"}
    if unit:
        q["unit"] = unit
    return q


def small(**changes):
    """A point-valued scenario whose flip price is computed by hand in the tests."""
    data = {
        "id": "small",
        "title": "Small",
        "year": 2017,
        "actors": [{"state": "USA"}, {"state": "Russia"}, {"state": "Iran"}],
        "bonds": [
            {
                "id": "arms",
                "kind": "military",
                "between": ["RUS", "IRN"],
                "sides": {
                    "RUS": {
                        "value": point(10, "USD/yr"),
                        "loss": point(0.5),
                        "substitutability": point(0.4),
                        "adjustment_years": point(1, "years"),
                    }
                },
            }
        ],
        "question": {
            "divider": "USA",
            "target": "RUS",
            "partner": "IRN",
            "horizon": 2,
            "discount_rate": point(0.1),
            "target_costs": {
                "reputation": point(2, "USD"),
                "partner_retaliation": point(1, "USD"),
            },
            "partner_bid": {
                "value_of_target": point(20, "USD"),
                "means": point(8, "USD"),
                "cost_per_value": point(2, "ratio"),
                "credibility": point(0.5),
            },
            "divider_payoff": {
                "value_of_split": point(100, "USD"),
                "political_cost": point(10, "USD"),
                "cost_per_value": point(0.5, "ratio"),
            },
            "instruments": [
                {
                    "id": "relief",
                    "value": point(10, "USD/yr"),
                    "blocked": point(0.2),
                    "renege": point(0.5, "1/yr"),
                }
            ],
            "threats": [
                {
                    "id": "sanctions",
                    "value": point(10, "USD"),
                    "credibility": point(0.5),
                    "backlash": point(0.2),
                }
            ],
        },
    }
    for path, value in changes.items():
        node = data
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[int(key)] if key.isdigit() else node[key]
        node[keys[-1]] = value
    return Scenario.model_validate(data)


def terms_of(scenario):
    model = compile_model(scenario)
    x = sample_inputs(model, np.zeros((len(model.uncertain), 1)))
    return {k: float(v[0]) for k, v in evaluate(model, x).items()}


# Hand computation for `small()`: r = 0.1, H = 2.
A2 = 1 / 1.1 + 1 / 1.1**2  # annuity over both years
A1 = 1 / 1.1  # the first (sensitive) year
LOSS = 0.5 * 10 * (A1 + (1 - 0.4) * (A2 - A1))
COST = LOSS + 2 + 1
D = 0.5 / 1.1  # discount factor with a 0.5 renege hazard
KAPPA = (1 - 0.2) * (D + D**2) / A2
Z = (0.5 - 0.2) * 10
BID = 0.5 * min(20, 8) / 2
PRICE = (COST - Z + BID) / KAPPA


def test_cost_of_leaving_matches_hand_computation():
    terms = terms_of(small())
    assert terms["loss:arms"] == pytest.approx(LOSS, rel=1e-13)
    assert terms["cost_of_leaving"] == pytest.approx(COST, rel=1e-13)


def test_credibility_combines_blocking_and_renege_hazard():
    assert terms_of(small())["credibility"] == pytest.approx(KAPPA, rel=1e-13)


def test_coercion_nets_credibility_against_backlash():
    assert terms_of(small())["coercion"] == pytest.approx(Z, rel=1e-13)


def test_counter_bid_is_bounded_by_partner_means():
    assert terms_of(small())["counter_bid"] == pytest.approx(BID, rel=1e-13)


def test_flip_price_matches_hand_computation():
    terms = terms_of(small())
    assert terms["flip_price"] == pytest.approx(PRICE, rel=1e-13)
    assert terms["reference_offer"] == pytest.approx(10 * A2, rel=1e-13)


def test_divider_max_offer_is_net_value_over_cost_per_value():
    assert terms_of(small())["max_offer"] == pytest.approx((100 - 10) / 0.5)
    capped = small(**{"question.divider_payoff.budget_cap": point(50, "USD")})
    assert terms_of(capped)["max_offer"] == 50


def test_stock_bond_is_discounted_once_and_fully_lost_within_adjustment_years():
    scenario = small(**{"bonds.0.sides.RUS.value": point(10, "USD"), "bonds.0.start": 0.5})
    assert terms_of(scenario)["loss:arms"] == pytest.approx(0.5 * 10 / 1.1**0.5)
    scenario = small(**{"bonds.0.sides.RUS.value": point(10, "USD"), "bonds.0.start": 1.5})
    assert terms_of(scenario)["loss:arms"] == pytest.approx(0.5 * 10 / 1.1**1.5 * 0.6)


def stock_and_one_year_flow(paid, tau):
    """The loss on a stock of 10 paid at ``paid`` and on a flow of 10 a year paid once, then."""
    timing = {"bonds.0.sides.RUS.adjustment_years": point(tau, "years"), "question.horizon": 9}
    stock = small(**timing, **{"bonds.0.sides.RUS.value": point(10, "USD"), "bonds.0.start": paid})
    flow = small(**timing, **{"bonds.0.start": paid - 1, "bonds.0.years": 1})
    return terms_of(stock)["loss:arms"], terms_of(flow)["loss:arms"]


@pytest.mark.parametrize("tau", [1, 2, 3.0])
def test_a_payment_at_the_end_of_the_sensitivity_window_counts_in_full_stock_or_flow(tau):
    """The window [0, τ] is closed for both: a payment due at t = τ is lost in full."""
    stock, flow = stock_and_one_year_flow(tau, tau)
    assert stock == pytest.approx(0.5 * 10 / 1.1**tau, rel=1e-13)
    assert flow == pytest.approx(stock, rel=1e-13)


@pytest.mark.parametrize("tau", [1, 2, 3.0])
def test_a_payment_after_the_sensitivity_window_counts_only_what_cannot_be_replaced(tau):
    """One year later, the stock and the flow's payment both lose only ℓ (1 − s)."""
    stock, flow = stock_and_one_year_flow(tau + 1, tau)
    assert stock == pytest.approx(0.5 * 10 / 1.1 ** (tau + 1) * (1 - 0.4), rel=1e-13)
    assert flow == pytest.approx(stock, rel=1e-13)
    just_after, _ = stock_and_one_year_flow(tau + 1e-9, tau)
    assert just_after == pytest.approx(0.5 * 10 / 1.1 ** (tau + 1e-9) * (1 - 0.4), rel=1e-12)


def test_with_no_adjustment_years_only_a_stock_due_at_once_is_lost_in_full():
    """τ = 0: the window is the instant T leaves; a flow's first payment (t = 1) is after."""
    stock = small(
        **{
            "bonds.0.sides.RUS.adjustment_years": point(0, "years"),
            "bonds.0.sides.RUS.value": point(10, "USD"),
        }
    )
    assert terms_of(stock)["loss:arms"] == pytest.approx(0.5 * 10)
    flow = small(**{"bonds.0.sides.RUS.adjustment_years": point(0, "years")})
    assert terms_of(flow)["loss:arms"] == pytest.approx(0.5 * 10 * A2 * (1 - 0.4), rel=1e-13)


def test_monthly_figures_are_converted_to_yearly_ones():
    monthly = small(**{"bonds.0.sides.RUS.value": point(10 / 12, "USD/month")})
    assert terms_of(monthly)["loss:arms"] == pytest.approx(LOSS, rel=1e-13)


def test_revenue_times_margin_equals_the_same_surplus():
    side = {
        "revenue": point(40, "USD/yr"),
        "margin": point(0.25),
        "loss": point(0.5),
        "substitutability": point(0.4),
        "adjustment_years": point(1, "years"),
    }
    assert terms_of(small(**{"bonds.0.sides.RUS": side}))["loss:arms"] == pytest.approx(LOSS)


def test_partner_side_and_other_bonds_do_not_enter_the_price():
    base = terms_of(small())["flip_price"]
    extra = small(
        **{
            "actors": [{"state": s} for s in ("USA", "Russia", "Iran", "Syria")],
            "bonds": [
                *small().model_dump(mode="json", exclude_none=True)["bonds"],
                {
                    "id": "syria",
                    "kind": "military",
                    "between": ["RUS", "SYR"],
                    "sides": {"RUS": {"value": point(99, "USD/yr")}},
                },
            ],
        }
    )
    assert terms_of(extra)["flip_price"] == base


def test_context_figures_never_change_the_price():
    sunk = {"id": "crimea", "description": "sunk cost", "value": point(7.5e9, "USD/yr")}
    assert terms_of(small(context=[sunk]))["flip_price"] == terms_of(small())["flip_price"]


def test_zero_credibility_makes_the_price_infinite():
    scenario = small(**{"question.instruments.0.blocked": point(1.0)})
    result = wedge(scenario, samples=10, sobol_samples=0)
    assert result.flip_price["p_infinite"] == 1.0
    assert result.p_flip["p"].max() == 0.0
    assert result.to_dict()["flip_price"]["p95"] is None
    assert any("no offer flips the target" in w for w in result.warnings)


def test_a_price_that_never_varies_gives_zero_drivers_and_warns():
    """κ̄ = 0 in every draw: O* is infinite whatever the uncertain discount rate."""
    scenario = small(
        **{
            "question.instruments.0.blocked": point(1.0),
            "question.discount_rate": {"low": 0.05, "mode": 0.1, "high": 0.15, "assumption": "t"},
        }
    )
    with pytest.warns(AlliancesWarning, match="does not vary over the 192 runs") as caught:
        result = wedge(scenario, samples=10, sobol_samples=64)
    assert result.drivers["input"].tolist() == ["question.discount_rate"]
    assert (result.drivers[["S1", "ST"]].to_numpy() == 0).all()
    assert str(caught[0].message) in result.warnings
    assert caught[0].filename == __file__


def test_a_tie_keeps_the_target():
    raw = np.array([0.0, 5.0])
    assert flip_probability(raw, np.array([0.0, 5.0, 5.0 + 1e-9])).tolist() == [0.0, 0.5, 1.0]


def test_threat_alone_can_flip_when_it_outweighs_the_cost():
    scenario = small(**{"question.threats.0.value": point(1000, "USD")})
    result = wedge(scenario, samples=10, sobol_samples=0)
    assert result.flip_price["p_zero"] == 1.0
    assert result.p_flip["p"].iloc[0] == 1.0


def test_demand_cost_enters_only_when_realigning():
    realign = small(
        **{
            "question.goal": "realign",
            "question.target_costs.demand": point(4, "USD"),
        }
    )
    assert terms_of(realign)["cost_of_leaving"] == pytest.approx(COST + 4)


@pytest.fixture(scope="module")
def builtin():
    return load_builtin("russia-iran-2017")


@pytest.fixture(scope="module")
def builtin_result(builtin):
    return wedge(builtin, samples=20_000, seed=7, sobol_samples=256)


def test_vectorised_model_equals_plain_python_reference(builtin):
    model = compile_model(builtin)
    u = np.random.default_rng(11).random((len(model.uncertain), 300))
    x = sample_inputs(model, u)
    raw = evaluate(model, x)["flip_price_raw"]
    reference = [flip_price_raw(model, {k: float(v[i]) for k, v in x.items()}) for i in range(300)]
    np.testing.assert_allclose(raw, reference, rtol=1e-12)


def test_same_seed_gives_identical_numbers(builtin):
    a = wedge(builtin, samples=5000, seed=3, sobol_samples=128)
    b = wedge(builtin, samples=5000, seed=3, sobol_samples=128)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    np.testing.assert_array_equal(a.draws.to_numpy(), b.draws.to_numpy())


def test_different_seeds_give_different_draws(builtin):
    a = wedge(builtin, samples=1000, seed=1, sobol_samples=0)
    b = wedge(builtin, samples=1000, seed=2, sobol_samples=0)
    assert not np.array_equal(a.draws["flip_price"], b.draws["flip_price"])


def test_p_flip_is_non_decreasing_and_spans_zero_to_one(builtin_result):
    p = builtin_result.p_flip["p"].to_numpy()
    assert np.all(np.diff(p) >= 0)
    assert p[0] < 0.01
    assert p[-1] >= 0.995


def test_p_flip_curve_agrees_with_draws(builtin_result):
    draws = builtin_result.draws["flip_price_raw"].to_numpy()
    for offer, p in builtin_result.p_flip.iloc[::20].itertuples(index=False):
        assert p == np.mean(draws < offer)


def test_summary_quantiles_are_ordered(builtin_result):
    fp = builtin_result.flip_price
    assert fp["p05"] <= fp["p25"] <= fp["p50"] <= fp["p75"] <= fp["p95"]


def test_drivers_rank_uncertain_price_inputs_only(builtin, builtin_result):
    ranked = set(builtin_result.drivers["input"])
    assert not any(name.startswith("question.divider_payoff") for name in ranked)
    model = compile_model(builtin)
    fixed = {i.name for i in model.inputs if not i.quantity.is_uncertain}
    assert fixed
    assert not ranked & fixed
    assert any("no sensitivity index" in w for w in builtin_result.warnings)
    assert (builtin_result.drivers["ST"].diff().dropna() <= 0).all()


def test_best_offer_maximises_expected_gain_on_the_grid(builtin_result):
    draws = builtin_result.draws
    net = (
        draws["question.divider_payoff.value_of_split"]
        - draws["question.divider_payoff.political_cost"]
    )
    gamma = draws["question.divider_payoff.cost_per_value"]
    gains = [
        np.mean(np.where(draws["flip_price_raw"] < o, net - gamma * o, 0.0))
        for o in builtin_result.p_flip["offer"]
    ]
    assert builtin_result.divider["expected_gain"] == pytest.approx(max(gains))


def test_offer_grid_ends_at_a_round_number_past_the_tail():
    prices = np.linspace(0, 73e9, 1000)
    grid = offer_grid(prices)
    assert grid[0] == 0
    assert grid[-1] == 100e9
    assert grid[-1] >= np.quantile(prices, 0.995)


def test_user_offer_is_reported(builtin):
    result = wedge(builtin, samples=2000, sobol_samples=0, offer=50e9)
    assert result.offer["value"] == 50e9
    assert not result.offer["reference"]
    assert result.offer["p_flip"] == np.mean(result.draws["flip_price_raw"] < 50e9)
    assert result.offer["p_flip_at_value"] == result.offer["p_flip"]


def test_p_flip_at_the_package_is_given_per_draw_and_at_its_mean_face_value(builtin):
    """Each draw's own package (its face value is uncertain too) is not the fixed mean."""
    result = wedge(builtin, samples=20_000, seed=1, sobol_samples=0)
    offer, draws = result.offer, result.draws
    raw = draws["flip_price_raw"].to_numpy()
    own = np.mean(raw < draws["reference_offer"].to_numpy())
    assert offer["reference"]
    assert offer["value"] == pytest.approx(draws["reference_offer"].mean(), rel=1e-12)
    assert offer["value"] == result.components.loc["reference_offer", "mean"]
    assert offer["p_flip"] == offer["p_flip_own_package"] == own
    assert offer["p_flip_at_value"] == np.mean(raw < offer["value"])
    assert offer["p_flip_at_value"] != offer["p_flip_own_package"]  # they differ here
    at_curve = flip_probability(raw, np.array([offer["value"]]))[0]
    assert offer["p_flip_at_value"] == at_curve  # the curve P(flip | O) at O = value
    keys = result.to_dict()["offer"]
    assert set(keys) == {"value", "reference", "p_flip", "p_flip_own_package", "p_flip_at_value"}


def test_every_input_traces_to_a_source_or_assumption(builtin_result):
    inputs = builtin_result.inputs
    assert (inputs["source"].notna() | inputs["assumption"].notna()).all()
    keys = {s["key"] for s in builtin_result.sources}
    assert {"fa2017", "imf2015"} <= keys


def test_json_output_is_strict_json(builtin_result):
    text = json.dumps(builtin_result.to_dict(), allow_nan=False)
    assert json.loads(text)["flip_price"]["unit"] == "USD"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"samples": 1}, "samples=1 should be >= 2"),
        ({"samples": 2.5}, "samples=2.5 should be >= 2"),
        ({"seed": -1}, "seed=-1 should be an integer >= 0"),
        ({"sobol_samples": 100}, "sobol_samples=100 should be a power of 2"),
        ({"offer": math.nan}, "offer=nan: expected a finite amount"),
        ({"offer": -1e9}, "offer=-1000000000.0: expected a finite amount in USD, 0 or more"),
        ({"offer": True}, "offer=True: expected a finite amount"),
        ({"keep_draws": "yes"}, "keep_draws='yes' should be True, False or None"),
    ],
)
def test_invalid_parameters_raise_parameter_error_with_value_and_range(
    builtin, arguments, message
):
    with pytest.raises(ParameterError, match=re.escape(message)) as caught:
        wedge(builtin, **{"samples": 10, "sobol_samples": 0, **arguments})
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("given", ["russia-iran-2017", None, {"id": "x"}])
def test_a_name_or_anything_but_a_scenario_is_refused_saying_how_to_load_one(given):
    import alliances

    for pricing in (wedge, alliances.wedge):
        with pytest.raises(ParameterError, match=r"expected a Scenario, e\.g\. alliances\.load"):
            pricing(given, samples=10, sobol_samples=0)


def test_wedge_does_not_modify_the_scenario(builtin):
    before = copy.deepcopy(builtin.model_dump())
    wedge(builtin, samples=100, sobol_samples=0)
    assert builtin.model_dump() == before


def test_builtin_conclusion_holds_money_cannot_easily_flip_russia(builtin_result):
    """The essay's answer: sanctions relief is far from enough (P(flip) well below 1/2)."""
    assert builtin_result.offer["p_flip"] < 0.5
    assert builtin_result.flip_price["p50"] > builtin_result.offer["value"]
    assert math.isfinite(builtin_result.flip_price["mean"])


def rescaled(scenario, factor, unit=None):
    """``scenario`` with every amount of money times ``factor``; its units renamed by ``unit``
    (a pair: ("USD bn", "USD k") writes the same amounts in thousands)."""
    data = scenario.model_dump(mode="json", exclude_none=True)

    def walk(node):
        if isinstance(node, dict):
            stated = node.get("unit")
            if isinstance(stated, str) and parse_unit(stated)[0] in ("USD", "USD/yr"):
                for key in PARAMETERS:
                    if key in node:
                        node[key] *= factor
                if unit:
                    node["unit"] = stated.replace(*unit)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(data)
    return Scenario.model_validate(data)


@pytest.mark.slow
def test_drivers_are_the_same_whatever_the_unit_of_money(builtin):
    """The ranks of O* do not change when all money is rescaled: the drivers, bit for bit."""
    in_thousands = rescaled(builtin, 1e6, unit=("USD bn", "USD k"))
    assert "USD k" in in_thousands.model_dump_json()
    a_millionth = rescaled(builtin, 1e-6)  # priced in thousands of dollars, not billions
    reference = wedge(builtin, samples=1000, seed=5, sobol_samples=256)
    assert reference.flip_price["p_zero"] > 0  # a mass at O* = 0 to rank too
    for other in (in_thousands, a_millionth):
        result = wedge(other, samples=1000, seed=5, sobol_samples=256)
        pd.testing.assert_frame_equal(result.drivers, reference.drivers, check_exact=True)
    cheap = wedge(a_millionth, samples=1000, seed=5, sobol_samples=0)
    assert cheap.flip_price["p50"] == pytest.approx(1e-6 * reference.flip_price["p50"])


def test_drivers_rank_the_mass_at_zero_as_one_tie():
    """No offer needed (O* = 0, a large threat) is ranked as a tie, not dropped or logged."""
    scenario = small(
        **{
            "question.instruments.0.blocked": {
                "low": 0,
                "mode": 0.5,
                "high": 1,
                "assumption": "t",
            },
            "question.threats.0.value": {
                **{"low": 0, "mode": 10, "high": 60, "unit": "USD", "assumption": "t"}
            },
        }
    )
    result = wedge(scenario, samples=4000, seed=1, sobol_samples=512)
    assert 0.05 < result.flip_price["p_zero"] < 0.3
    drivers = result.drivers.set_index("input")
    assert set(drivers.index) == {
        "question.instruments.relief.blocked",
        "question.threats.sanctions.value",
    }
    assert (drivers["ST"] > 0.1).all()
    assert np.isfinite(drivers[["S1", "ST", "S1_conf", "ST_conf"]].to_numpy()).all()


def test_drivers_give_their_indices_at_half_the_points_and_whether_they_converged(builtin):
    result = wedge(builtin, samples=100, seed=2, sobol_samples=256)
    half = wedge(builtin, samples=100, seed=2, sobol_samples=128)
    drivers = result.drivers.set_index("input")
    at_half = half.drivers.set_index("input").loc[drivers.index]
    # The first N/2 Sobol' points are the run with N/2: its indices, exactly.
    np.testing.assert_array_equal(drivers["ST_half"], at_half["ST"])
    np.testing.assert_array_equal(drivers["S1_half"], at_half["S1"])
    within = (abs(drivers["ST"] - drivers["ST_half"]) <= drivers["ST_conf"]) & (
        abs(drivers["S1"] - drivers["S1_half"]) <= drivers["S1_conf"]
    )
    assert drivers["converged"].tolist() == within.tolist()
    assert not drivers["converged"].all()  # N = 256 is too few for some of them
    note = next(w for w in result.warnings if "moved by more than their 95% interval" in w)
    moved = drivers.index[~drivers["converged"]]
    assert f"{len(moved)} of {len(drivers)} drivers" in note
    assert drivers.loc[moved[0], "label"] in note  # named for people, not by its path
    assert "sobol_samples=512" in note
    assert list(result.to_dict()["drivers"][0]) == [
        "input",
        "label",
        "description",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
        "S1_half",
        "ST_half",
        "converged",
    ]


def test_two_sobol_points_cannot_be_checked_and_say_so(builtin):
    result = wedge(builtin, samples=100, seed=2, sobol_samples=2)
    assert result.drivers["ST_half"].isna().all()
    assert not result.drivers["converged"].any()
    assert any("cannot be checked with sobol_samples=2" in w for w in result.warnings)


def test_default_sobol_samples_is_the_documented_4096():
    import inspect

    assert inspect.signature(wedge).parameters["sobol_samples"].default == 4096


# The draw layout, chunking and streaming (issue 10 §4) ---------------------------------


def comparable(result):
    """A result as JSON, without the note on the per-draw table."""
    data = result.to_dict()
    data["warnings"] = [w for w in data["warnings"] if "per-draw table" not in w]
    return json.dumps(data)


QUANTILE_KEYS = ["p05", "p25", "p50", "p75", "p95"]


def test_draws_follow_the_documented_block_layout(builtin):
    """Draw j is column j mod 2^16 of block j // 2^16, block k from spawn key (0, k)."""
    result = wedge(builtin, samples=70_000, seed=3, sobol_samples=0)
    model = compile_model(builtin)
    d = len(model.uncertain)
    for k, rows in ((0, slice(0, 65_536)), (1, slice(65_536, 70_000))):
        seq = np.random.SeedSequence(3, spawn_key=(0, k))
        u = np.random.default_rng(seq).random((d, 65_536))[:, : rows.stop - rows.start]
        x = sample_inputs(model, u)
        for name, values in x.items():
            np.testing.assert_array_equal(result.draws[name].to_numpy()[rows], values)


@pytest.mark.slow
def test_the_first_n_draws_of_a_2n_run_are_the_n_run_and_the_estimates_converge(builtin):
    """Doubling the draws extends them: each estimate is that of the first N of 2^17."""
    longest = wedge(builtin, samples=2**17, seed=8, sobol_samples=0, keep_draws=True)
    raw = longest.draws["flip_price_raw"].to_numpy()
    value = longest.offer["value"]
    previous = None
    for n in (2**11, 2**13, 2**15, 2**16):
        run = wedge(builtin, samples=n, seed=8, sobol_samples=0, keep_draws=True)
        doubled = wedge(builtin, samples=2 * n, seed=8, sobol_samples=0, keep_draws=True)
        np.testing.assert_array_equal(doubled.draws.iloc[:n].to_numpy(), run.draws.to_numpy())
        np.testing.assert_array_equal(longest.draws.iloc[:n].to_numpy(), run.draws.to_numpy())
        # The same draws, so the N run's estimate is the first N's of the longest run ...
        assert run.offer["p_flip_at_value"] == np.mean(raw[:n] < run.offer["value"])
        # ... and it approaches the longest run's within its standard error.
        p = longest.offer["p_flip_at_value"]
        error = abs(np.mean(raw[:n] < value) - p)
        assert error <= 4 * math.sqrt(p * (1 - p) * (1 / n - 1 / 2**17))
        share = np.mean(raw[:n] < longest.flip_price["p50"])
        assert abs(share - 0.5) <= 4 * math.sqrt(0.25 * (1 / n - 1 / 2**17))
        if previous is not None:
            assert abs(run.flip_price["p50"] / longest.flip_price["p50"] - 1) < 0.1
        previous = run


def test_more_draws_extend_the_draws_of_the_same_seed(builtin):
    n = 40_000  # the longer run crosses a block boundary and cuts its last block short
    short = wedge(builtin, samples=n, seed=3, sobol_samples=0)
    long = wedge(builtin, samples=2 * n + 123, seed=3, sobol_samples=0)
    head = long.draws.iloc[:n]
    np.testing.assert_array_equal(short.draws.to_numpy(), head.to_numpy())
    assert list(short.draws.columns) == list(long.draws.columns)
    prices = head["flip_price"].to_numpy()
    expected = np.quantile(prices, [0.05, 0.25, 0.5, 0.75, 0.95])
    assert short.flip_price[QUANTILE_KEYS].tolist() == expected.tolist()
    raw = head["flip_price_raw"].to_numpy()
    assert short.offer["p_flip"] == np.mean(raw < head["reference_offer"].to_numpy())
    assert short.flip_price["p_zero"] == np.mean(raw <= 0)


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 1024 draws and a small pilot, so that a quick run has many of both."""
    monkeypatch.setattr(montecarlo, "_BLOCK", 1024)
    monkeypatch.setattr(montecarlo, "_PILOT_MIN", 512)
    return monkeypatch


@pytest.mark.slow
def test_results_do_not_depend_on_the_chunk_size(builtin, small_blocks):
    runs = {}
    for blocks in (1, 3, 16):
        small_blocks.setattr(montecarlo, "_CHUNK_BLOCKS", blocks)
        for keep in (True, False):
            runs[blocks, keep] = wedge(
                builtin, samples=10_500, seed=4, sobol_samples=0, keep_draws=keep
            )
    reference = comparable(runs[1, True])
    assert all(comparable(r) == reference for r in runs.values())
    for blocks in (3, 16):
        np.testing.assert_array_equal(
            runs[blocks, True].draws.to_numpy(), runs[1, True].draws.to_numpy()
        )


def test_streamed_summaries_equal_those_of_the_kept_draws(builtin, small_blocks):
    """Without the per-draw table every number is still exact: means, quantiles, gains."""
    kept = wedge(builtin, samples=10_500, seed=4, sobol_samples=0, keep_draws=True)
    streamed = wedge(builtin, samples=10_500, seed=4, sobol_samples=0, keep_draws=False)
    assert comparable(streamed) == comparable(kept)
    draws = kept.draws
    for term, row in kept.components.iterrows():
        expected = np.quantile(draws[term].to_numpy(), [0.05, 0.25, 0.5, 0.75, 0.95])
        assert row[QUANTILE_KEYS].tolist() == expected.tolist(), term
        assert row["mean"] == pytest.approx(draws[term].mean(), rel=1e-12)
    assert kept.divider["max_offer_p50"] == np.quantile(draws["max_offer"], 0.5)


@pytest.mark.slow
def test_a_quantile_outside_its_bracket_is_computed_from_the_full_term(builtin, small_blocks):
    kept = wedge(builtin, samples=10_500, seed=4, sobol_samples=0, keep_draws=True)
    fallbacks = []
    full_term = montecarlo._MonteCarlo.full_term

    def counted(self, name):
        fallbacks.append(name)
        return full_term(self, name)

    small_blocks.setattr(montecarlo._MonteCarlo, "full_term", counted)
    small_blocks.setattr(montecarlo, "_BRACKET_SIGMAS", 0.0)  # brackets too narrow
    streamed = wedge(builtin, samples=10_500, seed=4, sobol_samples=0, keep_draws=False)
    assert fallbacks
    assert comparable(streamed) == comparable(kept)


def test_keep_draws_false_leaves_the_draws_empty(builtin):
    result = wedge(builtin, samples=3000, seed=1, sobol_samples=0, keep_draws=False)
    assert result.draws.empty
    assert not any("per-draw table" in w for w in result.warnings)
    kept = wedge(builtin, samples=3000, seed=1, sobol_samples=0, keep_draws=True)
    assert comparable(result) == comparable(kept)


def test_draws_are_kept_by_default_only_up_to_the_limit(builtin, monkeypatch):
    monkeypatch.setattr(price, "_KEEP_DRAWS_MAX", 1000)
    assert len(wedge(builtin, samples=1000, sobol_samples=0).draws) == 1000
    expected = r"kept only up to 1,000 draws.*keep_draws=True"
    with pytest.warns(AlliancesWarning, match=expected) as caught:
        result = wedge(builtin, samples=1001, sobol_samples=0)
    assert result.draws.empty
    assert [str(w.message) for w in caught] == [w for w in result.warnings if "per-draw" in w]
    assert caught[0].filename == __file__  # points at the call, not inside the package
    assert len(wedge(builtin, samples=1001, sobol_samples=0, keep_draws=True).draws) == 1001


def test_an_undefined_term_raises_naming_it_instead_of_giving_a_number(monkeypatch):
    """A NaN in any draw (say 0 × ∞ from extreme inputs) is an error, never averaged."""
    evaluate_all = montecarlo.evaluate

    def undefined_in_draw_70_000(model, x):
        terms = evaluate_all(model, x)
        first = next(iter(x.values()))
        if first.size > 10:  # not the one-draw probe
            start = 65_536 if first.size < 65_536 else 0  # the second, shorter block
            if start:
                terms["credibility"][70_000 - start] = math.nan
                terms["flip_price_raw"][70_000 - start] = math.nan
        return terms

    monkeypatch.setattr(montecarlo, "_CHUNK_BLOCKS", 1)
    monkeypatch.setattr(montecarlo, "evaluate", undefined_in_draw_70_000)
    with pytest.raises(ScenarioError, match="'credibility'") as caught:
        wedge(small(), samples=80_000, seed=2, sobol_samples=0)
    problem = caught.value.problems[0]
    assert problem.path == "question.instruments"
    assert "draw 70,000 (seed 2)" in problem.message
    assert "flip_price_raw" in problem.message


def test_selector_finds_exact_order_statistics_with_point_masses_and_infinities():
    rng = np.random.default_rng(5)
    values = rng.lognormal(size=50_000)
    values[rng.random(values.size) < 0.3] = 0.0  # a point mass at a quantile
    values[rng.random(values.size) < 0.01] = np.inf
    ranks = quantile_ranks(values.size, [0.05, 0.25, 0.5, 0.75, 0.95, 0.995])
    expected = order_statistics(values, ranks)
    for stride, sigmas in ((7, 6.0), (5000, 6.0), (7, 0.0)):
        selector = Selector(values[::stride], values.size, ranks, sigmas)
        for chunk in np.array_split(values, 13):
            selector.add(chunk)
        found = selector.result()
        # A bracket may miss its rank (then None), never give a wrong value.
        assert all(found[r] is None or found[r] == expected[r] for r in ranks)
        if sigmas:
            assert found == expected
    assert sum(selector.counts[:, 0] > 0) >= 1


def test_linear_quantile_equals_numpy_quantile():
    rng = np.random.default_rng(6)
    for n in (2, 3, 10, 997, 10_000):
        values = rng.standard_normal(n) * 1e9
        values[: n // 10] = np.inf
        for q in (0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 0.995, 1.0):
            order = order_statistics(values, quantile_ranks(n, [q]))
            with np.errstate(invalid="ignore"):  # inf − inf between two infinities
                expected = np.quantile(values, q)
            got = linear_quantile(order, n, q)
            assert got == expected or (np.isnan(expected) and np.isnan(got)), (n, q)


def test_select_doctests_pass():
    result = doctest.testmod(_select, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def peak_rss_of(code):
    """Peak resident memory in bytes of a fresh Python running ``code``."""
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)])
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0
    return usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (POSIX)")
def test_memory_does_not_grow_with_the_draws_beyond_one_float_each():
    setup = """
        from alliances.analysis.wedge import wedge
        from alliances.scenario import load_builtin
        scenario = load_builtin("russia-iran-2017")
    """
    baseline = peak_rss_of(setup)
    run = (
        setup
        + """
        wedge(scenario, samples=2_000_000, sobol_samples=0, keep_draws=False)
    """
    )
    # One float64 of O* raw per draw is 16 MB; the old layout took about 1.5 GB here.
    assert peak_rss_of(run) - baseline < 400 * 2**20


def test_drivers_inputs_and_components_carry_a_label_beside_the_path(builtin_result):
    r = builtin_result
    assert list(r.drivers.columns[:2]) == ["input", "label"]
    assert (r.drivers["label"] != r.drivers["input"]).all()
    assert (r.inputs["label"] != r.inputs.index).all()
    assert r.components.loc["loss:syria-foothold", "label"] == (
        "loss to Russia on its Syrian foothold"
    )
    data = r.to_dict()
    assert all(set(d) >= {"input", "label"} for d in data["drivers"] + data["inputs"])


def test_context_figures_are_given_in_plain_units(builtin_result):
    display = builtin_result.context["display"]
    assert display["crimea-cost"] == "7.5 USD bn a year"
    assert display["syria-contractors"] == "150 USD m a month"
    assert not display.str.contains("point|value=").any()


def test_sources_are_listed_once_each_with_a_readable_line(builtin_result):
    keys = [s["key"] for s in builtin_result.sources]
    assert len(keys) == len(set(keys))
    fa = next(s for s in builtin_result.sources if s["key"] == "fa2017")
    assert fa["reference"]
    assert fa["text"].startswith("fa2017: ")
    assert len(fa["used_by_labels"]) == len(set(fa["used_by_labels"]))


def test_the_pure_analysis_says_it_was_not_grounded(builtin_result):
    assert builtin_result.grounded["store"] is None
    assert builtin_result.grounded["statement"].startswith("Not grounded")


def test_repr_is_a_short_summary_with_the_price_drivers_and_grounding(builtin_result):
    text = repr(builtin_result)
    assert len(text) < 1500
    median = builtin_result.flip_price["p50"] / 1e9
    assert f"median USD {median:,.1f} bn" in text
    assert builtin_result.drivers["label"].iloc[0] in text
    assert builtin_result.grounded["statement"] in text


def test_html_repr_escapes_every_text(builtin):
    risky = builtin.model_copy(update={"id": "a<b>&c"})
    html = wedge(risky, samples=500, seed=1, sobol_samples=0)._repr_html_()
    assert "a&lt;b&gt;&amp;c" in html
    assert "<b>" not in html
    assert len(html) < 1500


def test_a_bond_that_starts_after_the_horizon_is_named_in_a_warning():
    late = wedge(small(**{"bonds.0.start": 2}), samples=10, sobol_samples=0)
    assert any(
        w.startswith("bond arms starts in year 2, at or after the horizon") for w in late.warnings
    )
    on_time = wedge(small(), samples=10, sobol_samples=0)
    assert not any("at or after the horizon" in w for w in on_time.warnings)
