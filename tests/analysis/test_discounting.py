import numpy as np
import pytest

from alliances.analysis.discounting import annuity, lump_sum
from alliances.errors import ParameterError


def test_annuity_matches_textbook_value_for_ten_years_at_five_percent():
    expected = (1 - 1.05**-10) / 0.05
    assert annuity(0.05, 0, 10, horizon=10) == pytest.approx(expected, rel=1e-14)


def test_annuity_is_cut_at_the_horizon():
    # Starts in year 8 for 5 years, horizon 10: only years 9 and 10 count.
    expected = 1.05**-9 + 1.05**-10
    assert annuity(0.05, 8, 5, horizon=10) == pytest.approx(expected, rel=1e-14)


def test_annuity_starting_after_the_horizon_is_worth_nothing():
    assert annuity(0.05, 12, 5, horizon=10) == 0.0


def test_annuity_at_zero_rate_counts_years():
    assert annuity(0.0, 0, np.inf, horizon=7) == 7.0


def test_annuity_with_hazard_sums_survival_weighted_discount_factors():
    r, lam = 0.08, 0.15
    expected = sum(((1 - lam) / (1 + r)) ** t for t in range(3, 9))
    assert annuity(r, 2, 6, horizon=20, hazard=lam) == pytest.approx(expected, rel=1e-13)


def test_annuity_broadcasts_over_draws():
    rates = np.array([0.0, 0.05, 0.10])
    values = annuity(rates, 0, 3, horizon=3)
    assert values.shape == (3,)
    assert values[0] == 3.0
    assert values[2] == pytest.approx(1 / 1.1 + 1 / 1.1**2 + 1 / 1.1**3)


def test_lump_sum_discounts_and_drops_payments_after_the_horizon():
    assert lump_sum(0.10, 2, horizon=5) == pytest.approx(1 / 1.21)
    assert lump_sum(0.10, 6, horizon=5) == 0.0
    assert lump_sum(0.10, 0, horizon=5) == 1.0


def test_a_rate_at_or_below_minus_one_is_refused_with_the_value():
    with pytest.raises(ParameterError, match=r"rate=-1\.0 should be > -1"):
        annuity(np.array([0.05, -1.0]), 0, 5, horizon=10)
    with pytest.raises(ParameterError, match=r"rate=-2\.0 should be > -1"):
        lump_sum(-2.0, 1, horizon=10)


def test_a_hazard_outside_zero_one_is_refused_with_the_value():
    with pytest.raises(ParameterError, match=r"hazard=1\.5 should be in \[0, 1\]"):
        annuity(0.05, 0, 5, horizon=10, hazard=1.5)
    with pytest.raises(ParameterError, match=r"hazard=-0\.1 should be in \[0, 1\]"):
        lump_sum(0.05, 1, horizon=10, hazard=np.array([0.0, -0.1]))


def test_a_certain_renege_leaves_nothing_after_the_first_year():
    assert float(annuity(0.05, 0, 5, horizon=10, hazard=1.0)) == 0.0
    assert float(lump_sum(0.05, 0, horizon=10, hazard=1.0)) == 1.0


def test_a_payment_at_the_horizon_counts_for_a_flow_and_a_lump_sum_alike():
    """The window [0, H] is closed: the flow's year-H payment and a sum paid at H count."""
    flow_last_year = annuity(0.05, 9, 1, horizon=10)  # one payment, at t = 10 = H
    assert flow_last_year == pytest.approx(1.05**-10, rel=1e-14)
    assert lump_sum(0.05, 10, horizon=10) == pytest.approx(flow_last_year, rel=1e-14)
    assert annuity(0.05, 10, 1, horizon=10) == 0.0  # paid at t = 11: after
    assert lump_sum(0.05, 10 + 1e-9, horizon=10) == 0.0
