r"""The wedge price in brief: one pass over the draws, for sweeps of many scenarios.

:func:`price_summary` gives the numbers a world-wide sweep keeps of each triad, from the
same draws as :func:`~alliances.analysis.wedge.wedge` with the same seed (the layout of
:mod:`~alliances.analysis.wedge.montecarlo`), so its quantiles of O*, its P(O* = ∞) and
its P(O* < O_max) are those of the full run, bit for bit. It skips what a sweep does not
keep: the offer grid and the divider's expected gain (the second pass), the terms'
quantiles and the Sobol' indices. In their place it names the input that moves the
price most by a cheap rank measure, the rank correlation of each uncertain input with
the price (see :func:`price_summary`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from alliances.analysis._select import linear_quantile, quantile_ranks
from alliances.analysis.sensitivity import _mid_ranks
from alliances.analysis.wedge.common import CommonDraws
from alliances.analysis.wedge.evaluation import evaluate
from alliances.analysis.wedge.model import WedgeModel
from alliances.analysis.wedge.montecarlo import (
    _QUANTILES,
    _as_quantiles,
    _Chunk,
    _MonteCarlo,
    _segments,
    check_defined,
)

__all__ = ["SUMMARY_FIELDS", "price_draws", "price_summary"]

SUMMARY_FIELDS = (
    *(f"o_star_{k}" for k in _QUANTILES),
    "p_zero",
    "p_infinite",
    "p_within_means",
    "p_flip_own_package",
    "max_offer_p50",
    "reference_offer_mean",
    "top_driver",
    "top_driver_rho",
)
"""The keys of :func:`price_summary`'s result, in order (money in USD)."""

_DRIVER_DRAWS = 2**11  # the top driver's rank correlation is taken over these first draws


def price_summary(
    model: WedgeModel, *, samples: int, seed: int | None, draws: CommonDraws | None = None
) -> dict[str, Any]:
    r"""The flip price O* of ``model`` over ``samples`` draws, in brief.

    With O*_j the flip price of draw j (:func:`~alliances.analysis.wedge.evaluate`),
    O_max,j the most the divider would pay and O_j the face value of its package:

    * ``o_star_p05`` … ``o_star_p95``: the quantiles of O* (linear interpolation between
      order statistics, as :func:`~alliances.analysis.wedge.wedge` gives them; ∞ where
      they fall among the infinite draws);
    * ``p_zero`` = P(O* = 0), ``p_infinite`` = P(O* = ∞) (no offer is credible);
    * ``p_within_means`` = P(O* < max(O_max, 0)): the divider can afford the price;
    * ``p_flip_own_package`` = P(O* < O): its own package flips the target;
    * ``max_offer_p50``: the median of O_max; ``reference_offer_mean``: the mean of O;
    * ``top_driver``: the uncertain input with the largest \|ρ_i\|, and ``top_driver_rho``
      its ρ_i, where

      .. math::

          \rho_i = \operatorname{corr}\bigl(U_i,\; \hat F(O^*)\bigr),

      U_i = F_i(X_i) is the input's own uniform (its distribution function at the draw)
      and \hat F(O^*) the mid-rank of O* among the draws (ties, such as the draws at 0
      or ∞, share their mean rank). Both are ranks, so ρ_i is Spearman's rank
      correlation [1]_ with the population ranks of the input in place of its sample
      ranks; it is unit-free, like the Sobol' indices of the full run, but measures only
      the monotone part of an input's effect. It is computed on the first 2,048 draws,
      so that its cost does not grow with ``samples`` (its standard error is then at
      most about 1/√2048 ≈ 0.022); None when no uncertain input affects O* or O* does
      not vary.

    Parameters
    ----------
    model : WedgeModel
        The compiled scenario (:func:`~alliances.analysis.wedge.compile_model`).
    samples : int
        Monte Carlo draws, at least 2.
    seed : int or None
        The seed of the draws: the same as ``wedge(scenario, seed=seed)``. Not used
        with ``draws``.
    draws : CommonDraws, optional
        Price on these common random numbers instead
        (:mod:`~alliances.analysis.wedge.common`): the same as ``wedge(scenario,
        uniforms=draws.uniforms(model))``, and much cheaper for many models at once.

    Returns
    -------
    dict
        The keys of :data:`SUMMARY_FIELDS`.

    Raises
    ------
    ScenarioError
        If a term is undefined (NaN) in a draw, as :func:`~alliances.analysis.wedge.wedge`.

    References
    ----------
    .. [1] Spearman, C. (1904). The proof and measurement of association between two
       things. *American Journal of Psychology* 15(1): 72–101.

    Examples
    --------
    >>> from alliances.analysis.wedge import compile_model, wedge
    >>> from alliances.scenario import load_builtin
    >>> scenario = load_builtin("russia-iran-2017")
    >>> brief = price_summary(compile_model(scenario), samples=2000, seed=0)
    >>> full = wedge(scenario, samples=2000, seed=0, sobol_samples=0)
    >>> bool(brief["o_star_p50"] == full.flip_price["p50"])
    True
    >>> bool(brief["p_within_means"] == full.divider["p_within_means"])
    True
    """
    if draws is not None:
        if draws.samples != samples:
            msg = f"samples={samples} but the common draws have {draws.samples}"
            raise ValueError(msg)
        x = draws.inputs(model)
        terms = evaluate(model, x, present_values=draws.present_values)
        cut = {k: v[:samples] for k, v in terms.items()}
        chunk = _Chunk(0, samples, _segments(samples), x, cut)
        check_defined(chunk, f"{draws.entropy}, common draws")
        return _summarise(model, [chunk], samples, draws.uniforms(model, _DRIVER_DRAWS))
    mc = _MonteCarlo(model, samples, np.random.SeedSequence(seed).entropy, seed, keep=False)
    chunks = []
    first_u: NDArray[np.float64] | None = None
    for chunk in mc.chunks():
        check_defined(chunk, seed)
        if first_u is None:
            assert chunk.u is not None
            first_u = chunk.u[:, :_DRIVER_DRAWS]
        kept = {k: chunk.terms[k] for k in ("flip_price_raw", "max_offer", "reference_offer")}
        chunks.append(replace(chunk, x={}, terms=kept, u=None))
    assert first_u is not None
    return _summarise(model, chunks, samples, first_u)


def price_draws(
    model: WedgeModel, terms: tuple[str, ...], *, samples: int, seed: int | None
) -> dict[str, NDArray[np.float64]]:
    r"""Terms of ``model`` in each of ``samples`` draws: the very numbers of
    ``wedge(scenario, samples=samples, seed=seed).draws`` (one pass over the same draws),
    without the offer grid, the components or the drivers.

    The flip price of draw j is

    .. math::

        O^*_j = \frac{\max(0,\; C_{T,j} - Z_j + \kappa_{P,j} \bar X_j)}{\bar\kappa_j}

    the price of Crawford's reward wedge [1]_ (:func:`~alliances.analysis.wedge.evaluate`
    gives every term, with its papers).

    Parameters
    ----------
    model : WedgeModel
        The compiled scenario.
    terms : tuple of str
        Names of terms of :func:`~alliances.analysis.wedge.evaluate` (``flip_price``,
        ``max_offer``, ``cost_of_leaving`` …).
    samples : int
        Monte Carlo draws.
    seed : int or None
        The seed of the draws, as ``wedge``'s.

    Returns
    -------
    dict of str to numpy.ndarray
        Each term asked for, one value a draw.

    Raises
    ------
    ScenarioError
        If a term is undefined (NaN) in a draw.

    References
    ----------
    .. [1] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies
       shape power politics. *International Security* 35(4): 155–189.

    Examples
    --------
    >>> from alliances.analysis.wedge import compile_model, wedge
    >>> from alliances.scenario import load_builtin
    >>> scenario = load_builtin("russia-iran-2017")
    >>> found = price_draws(compile_model(scenario), ("flip_price",), samples=500, seed=1)
    >>> full = wedge(scenario, samples=500, seed=1, sobol_samples=0).draws["flip_price"]
    >>> bool((found["flip_price"] == full.to_numpy()).all())
    True
    """
    mc = _MonteCarlo(model, samples, np.random.SeedSequence(seed).entropy, seed, keep=False)
    out = {t: np.empty(samples) for t in terms}
    for chunk in mc.chunks():
        check_defined(chunk, seed)
        for t in terms:
            out[t][chunk.start : chunk.stop] = chunk.terms[t]
    return out


def _summarise(
    model: WedgeModel, chunks: list[_Chunk], samples: int, first_u: NDArray[np.float64]
) -> dict[str, Any]:
    """The fields of :data:`SUMMARY_FIELDS` from the evaluated draws, chunk by chunk."""
    raw = np.concatenate([c.terms["flip_price_raw"] for c in chunks])
    most = np.concatenate([c.terms["max_offer"] for c in chunks])
    below = sum(
        int(np.count_nonzero(c.terms["flip_price_raw"] < c.terms["reference_offer"]))
        for c in chunks
    )
    offer_sums = [
        float(c.terms["reference_offer"][a:b].sum()) for c in chunks for a, b in c.segments
    ]
    out: dict[str, Any] = {}
    drivers = _top_driver(model, first_u, raw[: first_u.shape[1]])
    infinite = int(np.count_nonzero(np.isposinf(raw)))
    within = int(np.count_nonzero(raw < np.maximum(most, 0.0)))
    ranks = quantile_ranks(samples, _QUANTILES.values())
    kth = sorted(set(ranks))
    zero = int(np.count_nonzero(raw <= 0))
    raw.partition(kth)
    order = {r: float(np.maximum(raw[r], 0.0)) for r in kth}
    out |= {f"o_star_{k}": v for k, v in _as_quantiles(order, samples).items()}
    out["p_zero"] = zero / samples
    out["p_infinite"] = infinite / samples
    out["p_within_means"] = within / samples
    out["p_flip_own_package"] = below / samples
    mid = quantile_ranks(samples, [0.5])
    most.partition(mid)
    out["max_offer_p50"] = linear_quantile({r: float(most[r]) for r in mid}, samples, 0.5)
    out["reference_offer_mean"] = math.fsum(offer_sums) / samples
    out["top_driver"], out["top_driver_rho"] = drivers
    return out


def _top_driver(
    model: WedgeModel, u: NDArray[np.float64], raw: NDArray[np.float64]
) -> tuple[str | None, float | None]:
    """The uncertain input of largest \\|corr(U_i, mid-rank of O*)\\| (see above)."""
    rows = [k for k, i in enumerate(model.uncertain) if i.affects_price]
    if not rows or raw.size < 2:
        return None, None
    y = _mid_ranks(np.maximum(raw, 0.0))
    y = y - y.mean()
    spread = float(np.sqrt(y @ y))
    if spread == 0:
        return None, None
    x = u[rows, : raw.size]
    # Σ (x − x̄) y = Σ x y as Σ y = 0, and Σ (x − x̄)² = Σ x² − n x̄²: no centred copy of x.
    mean = x.mean(axis=1)
    norms = np.sqrt(np.maximum(np.einsum("ij,ij->i", x, x) - raw.size * mean * mean, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(norms > 0, (x @ y) / (norms * spread), 0.0)
    best = int(np.argmax(np.abs(rho)))
    return model.uncertain[rows[best]].name, float(rho[best])
