import numpy as np
import pytest

from alliances.analysis._checks import AlliancesWarning
from alliances.analysis.sensitivity import sobol_indices
from alliances.errors import ParameterError


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
    assert (table.to_numpy() == 0).all()


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
