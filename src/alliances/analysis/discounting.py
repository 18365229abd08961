r"""Present values of flows and lump sums over a horizon, with an optional hazard.

All functions are vectorised: every argument may be a NumPy array (one entry per Monte
Carlo draw) or a scalar, and they broadcast.

A flow of 1 a year, paid at the end of each year from year ``start + 1`` for ``years``
years but never beyond the ``horizon`` H, is worth

.. math::

    a(t_0, n) = \delta^{t_0} \, \frac{\delta (1 - \delta^{m})}{1 - \delta},
    \qquad m = \min(n, H - t_0)^+, \qquad \delta = \frac{1 - \lambda}{1 + r},

which for λ = 0 is the ordinary annuity :math:`(1+r)^{-t_0}(1-(1+r)^{-m})/r`. λ is a
yearly hazard that the flow stops for good (the payer reneges), so that year t is paid
with probability :math:`(1-\lambda)^t`. A fractional duration m = k + f is valued by
the same formula, so its last, partial year is worth
:math:`\delta^{t_0+k}\,\delta(1-\delta^f)/(1-\delta)`. A lump sum paid in year t is worth
:math:`\delta^t` if t ≤ H and nothing after the horizon.

**Boundaries.** A window of time counts the payments that fall due in it, both ends
included: the horizon is [0, H], so the flow's payment at t = H and a lump sum paid at
t = H both count, and neither does just after. The wedge model's sensitivity window
[0, τ], the first τ years after the target leaves (see
:func:`alliances.analysis.wedge.evaluate`), follows the same rule: a flow's payments at
t ≤ τ are its annuity over min(n, τ − t0)⁺ years, and a lump sum paid at t = τ is in it.

References
----------
.. [1] Brealey, R. A., Myers, S. C. and Allen, F. (2020). *Principles of Corporate
   Finance*, 13th ed., ch. 2 (annuities).
.. [2] Fearon, J. D. (1995). Rationalist explanations for war. *International
   Organization* 49(3): 379–414 (commitment problems: a promise discounted by the
   chance it is broken).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from alliances.errors import ParameterError

__all__ = ["annuity", "lump_sum"]


def annuity(
    rate: ArrayLike,
    start: ArrayLike,
    years: ArrayLike,
    horizon: float,
    hazard: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    r"""Present value of 1 a year from ``start`` for ``years`` years, within ``horizon``.

    The flow is paid at the end of each year from year t0 + 1, for n years but never
    beyond the horizon H, and stops for good with the yearly hazard λ (the payer reneges),
    so that year t is paid with probability :math:`(1 - \lambda)^t`:

    .. math::

        a(t_0, n) = \delta^{t_0} \, \frac{\delta (1 - \delta^{m})}{1 - \delta},
        \qquad m = \min(n, H - t_0)^+, \qquad \delta = \frac{1 - \lambda}{1 + r},

    the ordinary annuity :math:`(1+r)^{-t_0}(1-(1+r)^{-m})/r` of corporate finance [1]_
    for λ = 0, and m when δ = 1. A fractional duration m = k + f is valued by the same
    formula, so its last, partial year is worth
    :math:`\delta^{t_0+k}\,\delta(1-\delta^f)/(1-\delta)`. The hazard discounts a
    promise by the chance it is broken, the commitment problem of Fearon [2]_.

    Parameters
    ----------
    rate : array_like
        Discount rate r per year, > −1 (0 allowed).
    start : array_like
        Years t0 from now until the flow begins.
    years : array_like
        Duration n of the flow; ``np.inf`` for "until the horizon".
    horizon : float
        Last year H that counts.
    hazard : array_like, optional
        Yearly probability λ in [0, 1] that the flow stops for good.

    Returns
    -------
    numpy.ndarray
        The present value of the flow of 1 a year, the arguments broadcast together
        (a 0-d array for scalar arguments).

    Raises
    ------
    ParameterError
        If a rate is ≤ −1, a hazard outside [0, 1] or the horizon not a number.

    See Also
    --------
    lump_sum : the present value of one payment.

    References
    ----------
    .. [1] Brealey, R. A., Myers, S. C. and Allen, F. (2020). *Principles of Corporate
       Finance*, 13th ed., ch. 2 (annuities).
    .. [2] Fearon, J. D. (1995). Rationalist explanations for war. *International
       Organization* 49(3): 379–414.

    Examples
    --------
    Ten years at 5 %, the textbook annuity factor; with a 10 % yearly chance of reneging;
    and a flow cut by the horizon:

    >>> float(annuity(0.05, 0, 10, horizon=10).round(4))
    7.7217
    >>> float(annuity(0.05, 0, 10, horizon=10, hazard=0.1).round(4))
    4.7157
    >>> float(annuity(0.0, 2, 5, horizon=4))
    2.0
    >>> annuity(np.array([0.0, 0.05, 0.10]), 0, 5, horizon=10).round(4)
    array([5.    , 4.3295, 3.7908])
    """
    r = np.asarray(rate, dtype=float)
    t0 = np.asarray(start, dtype=float)
    n = np.asarray(years, dtype=float)
    lam = np.asarray(hazard, dtype=float)
    _check(r, lam, horizon)
    m = np.clip(np.minimum(n, horizon - t0), 0.0, None)
    delta = (1.0 - lam) / (1.0 + r)
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = np.where(delta == 1.0, m, delta * (1.0 - delta**m) / (1.0 - delta))
    return np.asarray(delta**t0 * geometric, dtype=np.float64)


def lump_sum(
    rate: ArrayLike, when: ArrayLike, horizon: float, hazard: ArrayLike = 0.0
) -> NDArray[np.float64]:
    r"""Present value of 1 paid in year ``when`` (nothing if it falls after ``horizon``).

    .. math::

        d(t) = \begin{cases} \delta^{t} & t \le H \\ 0 & t > H \end{cases},
        \qquad \delta = \frac{1 - \lambda}{1 + r},

    the discount factor of corporate finance [1]_, times the chance
    :math:`(1 - \lambda)^t` that a promise of it is still kept in year t (Fearon [2]_).

    Parameters
    ----------
    rate : array_like
        Discount rate r per year, > −1.
    when : array_like
        Year t of the payment.
    horizon : float
        Last year H that counts.
    hazard : array_like, optional
        Yearly probability λ in [0, 1] that the promise is withdrawn.

    Returns
    -------
    numpy.ndarray
        The present value of 1, the arguments broadcast together.

    Raises
    ------
    ParameterError
        If a rate is ≤ −1, a hazard outside [0, 1] or the horizon not a number.

    See Also
    --------
    annuity : the present value of a flow.

    References
    ----------
    .. [1] Brealey, R. A., Myers, S. C. and Allen, F. (2020). *Principles of Corporate
       Finance*, 13th ed., ch. 2 (present values).
    .. [2] Fearon, J. D. (1995). Rationalist explanations for war. *International
       Organization* 49(3): 379–414.

    Examples
    --------
    >>> float(lump_sum(0.10, 1, horizon=5).round(6))
    0.909091
    >>> float(lump_sum(0.10, 6, horizon=5))
    0.0
    >>> float(lump_sum(0.05, 3, horizon=10, hazard=0.1).round(4))
    0.6297
    """
    t = np.asarray(when, dtype=float)
    r = np.asarray(rate, dtype=float)
    lam = np.asarray(hazard, dtype=float)
    _check(r, lam, horizon)
    delta = (1.0 - lam) / (1.0 + r)
    return np.where(t <= horizon, delta**t, 0.0)


def _check(rate: NDArray[np.float64], hazard: NDArray[np.float64], horizon: float) -> None:
    """Raise ParameterError for a rate ≤ −1, a hazard outside [0, 1] or a NaN horizon.

    NaN rates and hazards pass: they make the value NaN, which the wedge Monte Carlo
    reports by the term and draw it occurs in.
    """
    if np.any(rate <= -1.0):
        msg = f"rate={_first(rate, rate <= -1.0)} should be > -1 (a discount rate per year)"
        raise ParameterError(msg)
    bad = (hazard < 0.0) | (hazard > 1.0)
    if np.any(bad):
        msg = f"hazard={_first(hazard, bad)} should be in [0, 1] (a yearly probability)"
        raise ParameterError(msg)
    if isinstance(horizon, float) and math.isnan(horizon):
        msg = "horizon=nan should be a number of years (np.inf for no horizon)"
        raise ParameterError(msg)


def _first(values: NDArray[np.float64], where: NDArray[np.bool_]) -> float:
    return float(values[where].flat[0])
