r"""Variance-based sensitivity: Sobol' first-order and total indices, with a check of
their convergence.

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

**Convergence.** The runs of the first N/2 base points are themselves the design of
size N/2 (SALib lays the runs out point by point, and the first N/2 points of a
scrambled Sobol' sequence are a net of their own), so the indices at N/2 come at no extra
cost: they are exactly what a call with ``n // 2`` and the same seed gives. An index is
*converged* when it moved by no more than its 95% half-width from N/2 to N. The
difference of the two estimates has about the standard error of the estimate at N (the
second half of the points is independent of the first), so a bootstrap interval that is
right is crossed 5% of the time, and one that is too narrow much more often.

**Memory.** The design is built and the model run block by block (at most
:data:`BLOCK_VALUES` design values at a time), so the number of inputs bounds time, not
memory; what remains whole is the N (d + 2) outputs and SALib's bootstrap of N × resamples
indices. Their size is estimated before any work (:func:`_sobol_memory`) and a design that
would need more than :data:`MAX_SOBOL_BYTES` is refused, saying how much it would need.

**Ranks.** With ``ranks=True`` the indices are those of the ranks of the output among the
N (d + 2) runs, Saltelli and Sobol' (1995): the same for Y and for any increasing function
of Y (its logarithm, its value in another unit), bounded, and defined where Y takes the
values 0 or ∞ with positive probability. Ties share their mid-rank; outputs within a
relative 10^-12 of each other are ties (the same value computed along two paths, which
may differ in its last bits).

References
----------
.. [1] Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models
   and their Monte Carlo estimates. *Mathematics and Computers in Simulation* 55: 271–280.
.. [2] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S.
   (2010). Variance based sensitivity analysis of model output. Design and estimator for
   the total sensitivity index. *Computer Physics Communications* 181(2): 259–270.
.. [3] Herman, J. and Usher, W. (2017). SALib: an open-source Python library for
   sensitivity analysis. *Journal of Open Source Software* 2(9): 97.
.. [4] Saltelli, A. and Sobol', I. M. (1995). About the use of rank transformation in
   sensitivity analysis of model output. *Reliability Engineering and System Safety*
   50(3): 225–239.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from SALib.analyze import sobol as sobol_analyze
from scipy.stats import qmc

from alliances.analysis._checks import warn_fallback
from alliances.errors import ParameterError

__all__ = ["BLOCK_VALUES", "MAX_SOBOL_BYTES", "sobol_indices"]

BLOCK_VALUES = 1 << 22
"""Design values (inputs × runs) built and run at a time: 32 MiB of float64."""
MAX_SOBOL_BYTES = 2 * 1024**3
"""Most memory the outputs and the bootstrap of a Sobol' analysis may take (2 GiB)."""

_INDICES = ("S1", "S1_conf", "ST", "ST_conf")
_COLUMNS = (*_INDICES, "S1_half", "ST_half", "converged")
"""The columns of :func:`sobol_indices`, in order."""
_TIES = 1e-12  # outputs this close, relatively, share a rank (see _mid_ranks)


def sobol_indices(
    func: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    dimension: int,
    n: int,
    *,
    seed: int = 0,
    resamples: int = 100,
    ranks: bool = False,
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

    with bootstrap 95% half-widths c. The same estimators over the first N/2 points give
    :math:`\hat S_i^{(N/2)}` and :math:`\hat S_{Ti}^{(N/2)}` at no extra cost, and an input
    is flagged as converged when

    .. math::

        |\hat S_i - \hat S_i^{(N/2)}| \le c(\hat S_i) \quad\text{and}\quad
        |\hat S_{Ti} - \hat S_{Ti}^{(N/2)}| \le c(\hat S_{Ti}):

    the difference has about the standard error of the estimate at N, so a right
    interval is crossed 5% of the time and a too narrow one far more often. With
    ``ranks=True``, Y is replaced by its mid-rank among the runs (Saltelli and Sobol' 1995
    [4]_), which leaves the indices unchanged by any increasing transform of Y.

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
    ranks : bool
        Index the ranks of the output (ties share their mid-rank) instead of its values.

    Returns
    -------
    pandas.DataFrame
        One row per input with ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (the conf columns
        are half-widths of 95% intervals), ``S1_half`` and ``ST_half`` (the indices from the
        first N/2 points; NaN for N = 2) and ``converged`` (both indices within their
        half-width of the estimate at N/2; False when it cannot be checked).

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
    .. [4] Saltelli, A. and Sobol', I. M. (1995). About the use of rank transformation in
       sensitivity analysis of model output. *Reliability Engineering and System
       Safety* 50(3): 225–239.

    Examples
    --------
    Y = X1 + 2 X2 with uniform inputs: the share of Var(Y) of X1 is 1/5, of X2 4/5.

    >>> table = sobol_indices(lambda u: u[:, 0] + 2 * u[:, 1], 2, 4096)
    >>> table["S1"].round(2).tolist()
    [0.2, 0.8]
    >>> table["converged"].tolist()
    [True, True]

    The ranks of Y and of exp(Y) are the same, and so are their indices:

    >>> exp = sobol_indices(lambda u: np.exp(u[:, 0] + 2 * u[:, 1]), 2, 4096, ranks=True)
    >>> rank = sobol_indices(lambda u: u[:, 0] + 2 * u[:, 1], 2, 4096, ranks=True)
    >>> bool(exp.equals(rank))
    True
    """
    table, constant = _sobol(
        func, dimension, n, seed=seed, resamples=resamples, transform=_mid_ranks if ranks else None
    )
    if constant:
        warn_fallback(
            f"the output does not vary over the {n * (dimension + 2):,} runs of the model: "
            "every Sobol' index is set to 0 instead of 0/0"
        )
    return table


def _sobol_memory(n: int, dimension: int, resamples: int = 100) -> int:
    """Bytes a Sobol' analysis of ``n`` base points over ``dimension`` inputs needs at its
    peak, besides one block of the design: the base sequence (N × 2d), the N (d + 2)
    outputs and their ranks (three copies), and SALib's bootstrap (about six arrays of
    N × resamples)."""
    runs = n * (dimension + 2)
    return 8 * (2 * n * dimension + 3 * runs + 6 * n * resamples)


def _check_sobol_memory(n: int, dimension: int, resamples: int = 100) -> None:
    """Raise :class:`~alliances.errors.ParameterError` if :func:`_sobol_memory` exceeds
    :data:`MAX_SOBOL_BYTES`, naming the need, the limit and the largest N that fits."""
    need = _sobol_memory(n, dimension, resamples)
    if need <= MAX_SOBOL_BYTES:
        return
    fits = n
    while fits > 2 and _sobol_memory(fits, dimension, resamples) > MAX_SOBOL_BYTES:
        fits //= 2
    hint = (
        f"use {fits:,} base points or fewer (--sobol {fits})"
        if _sobol_memory(fits, dimension, resamples) <= MAX_SOBOL_BYTES
        else "use fewer uncertain inputs"
    )
    msg = (
        f"the Sobol' analysis of N = {n:,} base points over {dimension:,} uncertain inputs "
        f"({n * (dimension + 2):,} model runs) would need about {need / 1e9:,.1f} GB of "
        f"memory; the limit is {MAX_SOBOL_BYTES / 1024**3:g} GiB: {hint}"
    )
    raise ParameterError(msg)


def _design_outputs(
    func: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    dimension: int,
    n: int,
    seed: int,
) -> NDArray[np.float64]:
    """The outputs of ``func`` over Saltelli's design of ``n`` base points, run in blocks.

    The design is SALib's (``SALib.sample.sobol.sample`` without second order, value for
    value): for each base point, the row A, the d rows A with column i from B, then B,
    where A and B are the two halves of a scrambled Sobol' point in 2d dimensions.
    """
    d = dimension
    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(n)
    per_point = d + 2
    points = max(1, BLOCK_VALUES // (per_point * d))
    out = np.empty(n * per_point)
    cols = np.arange(d)
    for start in range(0, n, points):
        a = base[start : start + points, :d]
        b = base[start : start + points, d:]
        m = a.shape[0]
        block = np.repeat(a[:, None, :], per_point, axis=1)  # (m, d + 2, d)
        block[:, 1 + cols, cols] = b[:, cols]
        block[:, -1, :] = b
        y = np.asarray(func(block.reshape(m * per_point, d)), dtype=float)
        out[start * per_point : (start + m) * per_point] = y
    return out


def _mid_ranks(y: NDArray[np.float64], rtol: float = _TIES) -> NDArray[np.float64]:
    """The ranks of ``y`` divided by its size, ties sharing their mean rank (in (0, 1]).

    Values within ``rtol`` of each other, relatively, are ties: the same output computed
    along two paths (a run of the Sobol' design in which the input changed has no
    effect) may differ in its last bits, and those bits would otherwise order the runs,
    differently for the same model written in another unit. Equal values (0 and 0, ∞
    and ∞) are always ties.

    >>> _mid_ranks(np.array([0.0, 0.0, 5.0, np.inf, np.inf]))
    array([0.3, 0.3, 0.6, 0.9, 0.9])
    >>> _mid_ranks(np.array([1.0, 2.0, 1.0 + 1e-15, 3.0]))
    array([0.375, 0.75 , 0.375, 1.   ])
    """
    order = np.argsort(y, kind="stable")
    ordered = y[order]
    with np.errstate(invalid="ignore"):  # ∞ − ∞: equal, and caught by ==
        gap = np.abs(np.diff(ordered))
        scale = np.maximum(np.abs(ordered[1:]), np.abs(ordered[:-1]))
        tied = (ordered[1:] == ordered[:-1]) | (np.isfinite(gap) & (gap <= rtol * scale))
    group = np.concatenate(([0], np.cumsum(~tied)))
    size = np.bincount(group)
    mid = np.cumsum(size) - (size - 1) / 2.0  # the mean of the group's ranks 1, 2, …
    ranks = np.empty(y.size)
    ranks[order] = mid[group]
    return ranks / y.size


def _sobol(
    func: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    dimension: int,
    n: int,
    *,
    seed: int = 0,
    resamples: int = 100,
    transform: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = None,
) -> tuple[pd.DataFrame, bool]:
    """:func:`sobol_indices` without the warning, and whether the output was constant.

    ``transform`` is applied to the outputs of the N (d + 2) runs, and separately to those
    of the first N/2 base points for the indices at N/2 (so that they are exactly those
    of a call with ``n // 2``).
    """
    if isinstance(dimension, bool) or not isinstance(dimension, int | np.integer) or dimension < 1:
        msg = f"dimension={dimension!r} should be >= 1 (an integer number of inputs)"
        raise ParameterError(msg)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2 or n & (n - 1):
        msg = f"n={n!r} should be a power of 2 >= 2 (Sobol' sequences are balanced only then)"
        raise ParameterError(msg)
    _check_sobol_memory(int(n), int(dimension), resamples)
    problem = {
        "num_vars": dimension,
        "names": [f"x{i}" for i in range(dimension)],
        "bounds": [[0.0, 1.0]] * dimension,
    }
    y = _design_outputs(func, int(dimension), int(n), seed)
    # SALib lays the runs out base point by base point, d + 2 rows each: the first half
    # of the rows is the design of the first N/2 points.
    half = y[: (n // 2) * (dimension + 2)]
    if transform is not None:
        y, half = transform(y), transform(half)
    frame, constant = _estimate(problem, y, resamples, seed)
    if n >= 4:
        at_half, _ = _estimate(problem, half, resamples, seed)
        frame["S1_half"] = at_half["S1"].to_numpy()
        frame["ST_half"] = at_half["ST"].to_numpy()
    else:
        frame["S1_half"] = np.nan
        frame["ST_half"] = np.nan
    moved = [
        np.abs(frame[k] - frame[f"{k}_half"]).to_numpy() <= frame[f"{k}_conf"].to_numpy()
        for k in ("S1", "ST")
    ]
    frame["converged"] = moved[0] & moved[1]  # False where any of it is NaN
    return frame, constant


def _estimate(
    problem: dict[str, object], y: NDArray[np.float64], resamples: int, seed: int
) -> tuple[pd.DataFrame, bool]:
    """The indices and their half-widths from the outputs ``y`` of a design; 0 if constant."""
    dimension = int(problem["num_vars"])  # type: ignore[call-overload]
    if np.ptp(y) == 0:
        zeros = np.zeros(dimension)
        return pd.DataFrame(dict.fromkeys(_INDICES, zeros)), True
    result = sobol_analyze.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=resamples,
        # A generator, not the integer: SALib takes a seed of 0 for "no seed" and would
        # then draw the bootstrap from NumPy's global state.
        seed=np.random.default_rng(seed),
        print_to_console=False,
    )
    return pd.DataFrame({k: np.asarray(result[k], dtype=float) for k in _INDICES}), False
