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

References
----------
.. [1] Brealey, R. A., Myers, S. C. and Allen, F. (2020). *Principles of Corporate
   Finance*, 13th ed., ch. 2 (annuities).
.. [2] Fearon, J. D. (1995). Rationalist explanations for war. *International
   Organization* 49(3): 379–414 (commitment problems: a promise discounted by the
   chance it is broken).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["annuity", "lump_sum"]


def annuity(
    rate: ArrayLike,
    start: ArrayLike,
    years: ArrayLike,
    horizon: float,
    hazard: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Present value of 1 a year from ``start`` for ``years`` years, within ``horizon``.

    Parameters
    ----------
    rate : array_like
        Discount rate r per year (0 allowed).
    start : array_like
        Years t0 from now until the flow begins.
    years : array_like
        Duration n of the flow; ``np.inf`` for "until the horizon".
    horizon : float
        Last year H that counts.
    hazard : array_like, optional
        Yearly probability λ that the flow stops for good.

    Examples
    --------
    >>> float(annuity(0.05, 0, 10, horizon=10).round(4))
    7.7217
    >>> float(annuity(0.0, 2, 5, horizon=4))
    2.0
    """
    r = np.asarray(rate, dtype=float)
    t0 = np.asarray(start, dtype=float)
    n = np.asarray(years, dtype=float)
    lam = np.asarray(hazard, dtype=float)
    m = np.clip(np.minimum(n, horizon - t0), 0.0, None)
    delta = (1.0 - lam) / (1.0 + r)
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = np.where(delta == 1.0, m, delta * (1.0 - delta**m) / (1.0 - delta))
    return delta**t0 * geometric


def lump_sum(
    rate: ArrayLike, when: ArrayLike, horizon: float, hazard: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Present value of 1 paid in year ``when`` (nothing if it falls after ``horizon``).

    Examples
    --------
    >>> float(lump_sum(0.10, 1, horizon=5).round(6))
    0.909091
    >>> float(lump_sum(0.10, 6, horizon=5))
    0.0
    """
    t = np.asarray(when, dtype=float)
    delta = (1.0 - np.asarray(hazard, dtype=float)) / (1.0 + np.asarray(rate, dtype=float))
    return np.where(t <= horizon, delta**t, 0.0)
