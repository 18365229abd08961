r"""Variance-based sensitivity: Sobol' first-order and total indices.

For a model Y = f(X_1, …, X_d) of independent inputs, the first-order index of X_i is
the share of Var(Y) explained by X_i alone, and the total index adds every interaction
it takes part in:

.. math::

    S_i = \frac{V_{X_i}(E_{X_{\sim i}}[Y \mid X_i])}{V(Y)}, \qquad
    S_{T i} = \frac{E_{X_{\sim i}}[V_{X_i}(Y \mid X_{\sim i})]}{V(Y)}.

They are estimated from N (d + 2) model runs on a scrambled Sobol' sequence with the
estimators of Saltelli et al. (2010), as implemented in SALib, with bootstrap confidence
intervals. The model is given on the unit hypercube: inputs are mapped to their
distributions by their inverse CDFs inside ``func``.

References
----------
.. [1] Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models
   and their Monte Carlo estimates. *Mathematics and Computers in Simulation* 55: 271–280.
.. [2] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S.
   (2010). Variance based sensitivity analysis of model output. Design and estimator for
   the total sensitivity index. *Computer Physics Communications* 181(2): 259–270.
.. [3] Herman, J. and Usher, W. (2017). SALib: an open-source Python library for
   sensitivity analysis. *Journal of Open Source Software* 2(9): 97.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from alliances.analysis._checks import warn_fallback
from alliances.errors import ParameterError

__all__ = ["sobol_indices"]


def sobol_indices(
    func: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    dimension: int,
    n: int,
    *,
    seed: int = 0,
    resamples: int = 100,
) -> pd.DataFrame:
    r"""First-order and total Sobol' indices of ``func`` over the unit hypercube.

    For Y = f(X_1, …, X_d) with independent inputs, the first-order index of X_i is the
    share of Var(Y) that X_i explains alone, and the total index adds every interaction
    it takes part in (Sobol' 2001 [1]_):

    .. math::

        S_i = \frac{V_{X_i}(E_{X_{\sim i}}[Y \mid X_i])}{V(Y)}, \qquad
        S_{T i} = \frac{E_{X_{\sim i}}[V_{X_i}(Y \mid X_{\sim i})]}{V(Y)}.

    With the matrices A and B of N scrambled Sobol' points each, and :math:`A_B^{(i)}`
    equal to A but for its column i taken from B, they are estimated from the N (d + 2)
    runs as (Saltelli et al. 2010 [2]_, as SALib implements them [3]_)

    .. math::

        \hat S_i = \frac{\frac1N \sum_j f(B)_j \bigl(f(A_B^{(i)})_j - f(A)_j\bigr)}
                         {\hat V(Y)}, \qquad
        \hat S_{T i} = \frac{\frac1{2N} \sum_j \bigl(f(A)_j - f(A_B^{(i)})_j\bigr)^2}
                             {\hat V(Y)},

    with bootstrap confidence intervals.

    Parameters
    ----------
    func : callable
        Vectorised model: takes an array of shape (m, dimension) of probabilities in
        [0, 1] and returns m outputs. Inputs are mapped to their distributions by their
        inverse CDFs inside ``func``.
    dimension : int
        Number of inputs d, at least 1.
    n : int
        Base sample size N, a power of 2; the model runs N (d + 2) times.
    seed : int
        Seed of the sequence's scrambling and of the bootstrap.
    resamples : int
        Bootstrap resamples for the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per input with ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (the conf columns
        are half-widths of 95% intervals).

    Raises
    ------
    ParameterError
        If ``dimension`` < 1 or ``n`` is not a power of 2.

    Warns
    -----
    AlliancesWarning
        If the output does not vary over the runs: every index is then 0 instead of the
        undefined 0/0.

    References
    ----------
    .. [1] Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical
       models and their Monte Carlo estimates. *Mathematics and Computers in Simulation*
       55: 271–280.
    .. [2] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola,
       S. (2010). Variance based sensitivity analysis of model output. Design and
       estimator for the total sensitivity index. *Computer Physics Communications*
       181(2): 259–270.
    .. [3] Herman, J. and Usher, W. (2017). SALib: an open-source Python library for
       sensitivity analysis. *Journal of Open Source Software* 2(9): 97.

    Examples
    --------
    Y = X1 + 2 X2 with uniform inputs: the share of Var(Y) of X1 is 1/5, of X2 4/5.

    >>> table = sobol_indices(lambda u: u[:, 0] + 2 * u[:, 1], 2, 4096)
    >>> table["S1"].round(2).tolist()
    [0.2, 0.8]
    """
    table, constant = _sobol(func, dimension, n, seed=seed, resamples=resamples)
    if constant:
        warn_fallback(
            f"the output does not vary over the {n * (dimension + 2):,} runs of the model: "
            "every Sobol' index is set to 0 instead of 0/0"
        )
    return table


def _sobol(
    func: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    dimension: int,
    n: int,
    *,
    seed: int = 0,
    resamples: int = 100,
) -> tuple[pd.DataFrame, bool]:
    """:func:`sobol_indices` without the warning, and whether the output was constant."""
    if isinstance(dimension, bool) or not isinstance(dimension, int | np.integer) or dimension < 1:
        msg = f"dimension={dimension!r} should be >= 1 (an integer number of inputs)"
        raise ParameterError(msg)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2 or n & (n - 1):
        msg = f"n={n!r} should be a power of 2 >= 2 (Sobol' sequences are balanced only then)"
        raise ParameterError(msg)
    problem = {
        "num_vars": dimension,
        "names": [f"x{i}" for i in range(dimension)],
        "bounds": [[0.0, 1.0]] * dimension,
    }
    u = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(func(u), dtype=float)
    if np.ptp(y) == 0:
        zeros = np.zeros(dimension)
        frame = pd.DataFrame({"S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros})
        return frame, True
    result = sobol_analyze.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=resamples,
        seed=seed,
        print_to_console=False,
    )
    frame = pd.DataFrame(
        {
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    )
    return frame, False
