import numpy as np
import pytest

from alliances.analysis.sensitivity import _mid_ranks, sobol_indices
from alliances.errors import AlliancesWarning, ParameterError


def ishigami(u, a=7.0, b=0.1):
    x = -np.pi + 2 * np.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_indices_match_their_analytic_values():
    """Analytic indices of the Ishigami function (Ishigami and Homma 1990), as tabulated
    by Saltelli et al. (2010), table 3: S = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)."""
    table = sobol_indices(ishigami, 3, 8192, seed=1)
    np.testing.assert_allclose(table["S1"], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(table["ST"], [0.5576, 0.4424, 0.2437], atol=0.03)


def test_linear_model_indices_are_variance_shares():
    table = sobol_indices(lambda u: u[:, 0] + 3 * u[:, 1], 3, 4096, seed=2)
    np.testing.assert_allclose(table["S1"], [0.1, 0.9, 0.0], atol=0.02)
    np.testing.assert_allclose(table["ST"], [0.1, 0.9, 0.0], atol=0.02)


def test_constant_output_gives_zero_indices_and_warns_instead_of_dividing_by_zero():
    with pytest.warns(AlliancesWarning, match=r"does not vary over the 1,024 runs.*set to 0"):
        table = sobol_indices(lambda u: np.ones(len(u)), 2, 256)
    assert (table[["S1", "S1_conf", "ST", "ST_conf", "S1_half", "ST_half"]] == 0).all().all()
    assert table["converged"].all()


def test_same_seed_same_indices():
    a = sobol_indices(ishigami, 3, 512, seed=5)
    b = sobol_indices(ishigami, 3, 512, seed=5)
    assert a.equals(b)


def test_input_count_matches_rows():
    assert len(sobol_indices(lambda u: u.sum(axis=1), 4, 256)) == 4


def test_bad_sizes_are_rejected_with_the_value():
    with pytest.raises(ParameterError, match="dimension=0 should be >= 1"):
        sobol_indices(lambda u: u.sum(axis=1), 0, 256)
    with pytest.raises(ParameterError, match="n=100 should be a power of 2"):
        sobol_indices(lambda u: u.sum(axis=1), 2, 100)
    with pytest.raises(ParameterError, match=r"n=2\.5 should be a power of 2"):
        sobol_indices(lambda u: u.sum(axis=1), 2, 2.5)
    assert issubclass(ParameterError, ValueError)


def test_indices_at_half_the_points_are_those_of_a_run_with_half():
    table = sobol_indices(ishigami, 3, 1024, seed=3)
    half = sobol_indices(ishigami, 3, 512, seed=3)
    np.testing.assert_array_equal(table["S1_half"], half["S1"])
    np.testing.assert_array_equal(table["ST_half"], half["ST"])
    within = (abs(table["ST"] - table["ST_half"]) <= table["ST_conf"]) & (
        abs(table["S1"] - table["S1_half"]) <= table["S1_conf"]
    )
    assert table["converged"].tolist() == within.tolist()


def test_too_few_points_are_flagged_as_not_converged():
    """At N = 8 the Ishigami indices move far beyond their intervals from N/2 to N."""
    assert not sobol_indices(ishigami, 3, 8, seed=1)["converged"].all()
    assert sobol_indices(lambda u: u[:, 0] + 2 * u[:, 1], 2, 4096)["converged"].all()
    two = sobol_indices(lambda u: u[:, 0] + 2 * u[:, 1], 2, 2)
    assert two["S1_half"].isna().all()
    assert not two["converged"].any()


def test_seed_zero_gives_the_same_intervals_twice():
    """SALib reads a bootstrap seed of 0 as none; ours is always seeded."""
    a = sobol_indices(ishigami, 3, 256, seed=0)
    b = sobol_indices(ishigami, 3, 256, seed=0)
    assert a.equals(b)


def test_rank_indices_do_not_change_under_an_increasing_transform():
    def model(u):
        return u[:, 0] + 2 * u[:, 1] ** 2

    plain = sobol_indices(model, 2, 1024, ranks=True)
    for transform in (np.exp, lambda y: 1e-6 * y, lambda y: np.log(y + 1)):
        other = sobol_indices(lambda u, f=transform: f(model(u)), 2, 1024, ranks=True)
        assert other.equals(plain)
    assert not sobol_indices(model, 2, 1024).equals(plain)


def test_ranks_share_their_mean_for_ties_at_zero_infinity_and_rounding():
    y = np.array([np.inf, 0.0, 3.0, 0.0, np.inf, 3.0 * (1 + 1e-15), 2.0])
    expected = np.array([6.5, 1.5, 4.5, 1.5, 6.5, 4.5, 3.0]) / 7
    np.testing.assert_array_equal(_mid_ranks(y), expected)
    assert _mid_ranks(np.array([1.0, 1.0 + 1e-9]))[0] == 0.5  # distinct beyond 1e-12
