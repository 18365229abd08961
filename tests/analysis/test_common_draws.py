"""Common random numbers: the same numbers as wedge() on the same uniforms, whatever else
is priced with them, in any order."""

from __future__ import annotations

import numpy as np
import pytest

from alliances.analysis.wedge import compile_model, sample_inputs, wedge
from alliances.analysis.wedge.common import CommonDraws, _slot
from alliances.analysis.wedge.summary import price_summary
from alliances.errors import ParameterError
from alliances.scenario import load_builtin


@pytest.fixture(scope="module")
def scenario():
    return load_builtin("russia-iran-2017")


@pytest.fixture(scope="module")
def model(scenario):
    return compile_model(scenario)


def _other(scenario):
    """The essay's scenario with the target's trade loss widened: another model whose
    data differ in one input only."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    loss = data["bonds"][2]["sides"]["RUS"]["loss"]
    loss.update(low=0.1, mode=0.4, high=0.9)
    return type(scenario).model_validate(data)


def test_inputs_are_those_of_sample_inputs_at_the_common_uniforms(model):
    draws = CommonDraws([0, 2017], samples=1500)
    x = draws.inputs(model)
    expected = sample_inputs(model, draws.uniforms(model))
    for name, values in expected.items():
        np.testing.assert_array_equal(x[name][:1500], values, err_msg=name)


@pytest.mark.parametrize("samples", [1000, pytest.param(2**16 + 300, marks=pytest.mark.slow)])
def test_the_brief_price_equals_the_wedge_on_the_same_uniforms(scenario, model, samples):
    draws = CommonDraws([3, 2017], samples=samples)
    brief = price_summary(model, samples=samples, seed=None, draws=draws)
    uniforms = draws.uniforms(model)
    full = wedge(scenario, samples=samples, sobol_samples=0, uniforms=uniforms, keep_draws=False)
    for q in ("p05", "p25", "p50", "p75", "p95"):
        assert brief[f"o_star_{q}"] == full.flip_price[q]
    assert brief["p_infinite"] == full.flip_price["p_infinite"]
    assert brief["p_within_means"] == full.divider["p_within_means"]
    assert brief["max_offer_p50"] == full.divider["max_offer_p50"]
    assert brief["reference_offer_mean"] == full.offer["value"]


def test_a_models_price_does_not_depend_on_what_else_is_priced_or_in_which_order(scenario, model):
    other = compile_model(_other(scenario))
    alone = price_summary(model, samples=3000, seed=None, draws=CommonDraws([1, 2000], 3000))
    shared = CommonDraws([1, 2000], 3000)
    first = price_summary(other, samples=3000, seed=None, draws=shared)
    after = price_summary(model, samples=3000, seed=None, draws=shared)
    assert after == alone
    assert first != alone  # the other model's data differ, its price too


def test_models_with_the_same_slot_share_its_uniforms(scenario, model):
    other = compile_model(_other(scenario))
    draws = CommonDraws([1, 2000], 500)
    u, v = draws.uniforms(model), draws.uniforms(other)
    np.testing.assert_array_equal(u, v)  # the same inputs, slot by slot
    row = [i.name for i in model.uncertain].index("bonds.trade.RUS.loss")
    np.testing.assert_array_equal(u[row], draws.row("bonds.trade.T.loss")[:500])


def test_the_first_draws_of_a_longer_run_are_those_of_a_shorter_one(model):
    short = CommonDraws([5, 1990], 700).uniforms(model)
    long = CommonDraws([5, 1990], 5000).uniforms(model)
    np.testing.assert_array_equal(long[:, :700], short)


def test_another_year_or_seed_draws_other_numbers(model):
    a = CommonDraws([0, 2010], 300).uniforms(model)
    assert not np.array_equal(a, CommonDraws([0, 2011], 300).uniforms(model))
    assert not np.array_equal(a, CommonDraws([1, 2010], 300).uniforms(model))


def test_the_remembered_values_stay_within_their_room(model):
    draws = CommonDraws([0, 2010], 300)
    draws._room = 8
    draws.inputs(model)
    assert len(draws._values) <= 8


def test_the_slot_of_a_bond_input_names_the_target_as_t():
    assert _slot("bonds.arms-sold.IND.revenue", "IND") == "bonds.arms-sold.T.revenue"
    assert _slot("bonds.arms-sold.IND.revenue", "PAK") == "bonds.arms-sold.IND.revenue"
    assert _slot("question.partner_bid.means", "IND") == "question.partner_bid.means"


@pytest.mark.parametrize(
    ("uniforms", "words"),
    [(np.full((3, 10), 0.5), "shape"), (np.full((37, 10), np.nan), "[0, 1]")],
)
def test_wedge_refuses_uniforms_of_the_wrong_shape_or_range(scenario, uniforms, words):
    with pytest.raises(ParameterError, match=words.replace("[", r"\[")):
        wedge(scenario, samples=10, sobol_samples=0, uniforms=uniforms)
