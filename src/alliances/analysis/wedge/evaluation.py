r"""The wedge model's formulas, evaluated for every draw at once.

:func:`evaluate` turns one array per input (see
:func:`~alliances.analysis.wedge.sample_inputs`) into the model's terms: the target's
cost of leaving, the divider's credibility and coercion, the partner's counter-bid, the
flip price O* and the most the divider would pay. :func:`flip_probability` and
:func:`offer_grid` read the distribution of O* from its draws. Present values are those
of :mod:`alliances.analysis.discounting`, bond by bond and instrument by instrument, each
with its own timing.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from alliances.analysis.discounting import annuity, lump_sum
from alliances.analysis.wedge.model import WedgeModel, _Timing

__all__ = ["PresentValues", "evaluate", "flip_probability", "offer_grid"]

Arrays = Mapping[str, NDArray[np.float64]]


class PresentValues:
    """:func:`~alliances.analysis.discounting.annuity` and ``lump_sum``, remembered.

    Models priced on common random numbers (:mod:`~alliances.analysis.wedge.common`)
    pass the very same arrays of rates, hazards and adjustment years when their inputs
    share a quantity, so each present value is computed once for all of them. A value is
    found again only for the same array objects (held here, so that their identities
    cannot be reused) and the same numbers; the oldest are forgotten past ``room``.
    """

    def __init__(self, room: int = 256) -> None:
        self.room = room
        self._memo: OrderedDict[tuple[Any, ...], tuple[list[Any], NDArray[np.float64]]] = (
            OrderedDict()
        )

    def annuity(self, *args: Any) -> NDArray[np.float64]:
        return self._remembered(annuity, args)

    def lump_sum(self, *args: Any) -> NDArray[np.float64]:
        return self._remembered(lump_sum, args)

    def window(self, *args: Any) -> NDArray[np.float64]:
        return self._remembered(_window, args)

    def _remembered(self, f: Any, args: tuple[Any, ...]) -> NDArray[np.float64]:
        key = (f, *(id(a) if isinstance(a, np.ndarray) else a for a in args))
        found = self._memo.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], args, strict=True)):
            self._memo.move_to_end(key)
            return found[1]
        value: NDArray[np.float64] = f(*args)
        self._memo[key] = ([*args], value)
        if len(self._memo) > self.room:
            self._memo.popitem(last=False)
        return value


def _window(tau: NDArray[np.float64], start: float, years: float) -> NDArray[np.float64]:
    """The years of a flow from ``start`` that fall within the first τ: clip(τ − t0, 0, n)."""
    return np.clip(tau - start, 0.0, years)


class _Plain:
    annuity = staticmethod(annuity)
    lump_sum = staticmethod(lump_sum)
    window = staticmethod(_window)


def _present_value(
    pv: PresentValues | _Plain,
    timing: _Timing,
    rate: NDArray[np.float64],
    horizon: int,
    hazard: Any = 0.0,
) -> NDArray[np.float64]:
    if timing.is_flow:
        return pv.annuity(rate, timing.start, timing.years, horizon, hazard)
    return pv.lump_sum(rate, timing.start, horizon, hazard)


def evaluate(
    model: WedgeModel, x: Arrays, *, present_values: PresentValues | None = None
) -> dict[str, NDArray[np.float64]]:
    r"""The model's terms for every draw of the inputs ``x``: cost, offer, price.

    With a(t0, n) the annuity and δ^t the discount factor of
    :mod:`~alliances.analysis.discounting`, the target T's cost of leaving the partner P
    sums the share ℓ_b it loses of each bond's yearly surplus v_b, all of it for the first
    τ_b years (sensitivity) and the part it cannot replace, 1 − s_b, afterwards
    (vulnerability; Keohane and Nye [4]_, Snyder [1]_), with its reputation cost ρ_T, P's
    retaliation R_P and the cost K_T of the divider D's demand (Morrow [5]_):

    .. math::

        L_b = \ell_b v_b \,[a_{\tau b} + (1 - s_b)(a_b - a_{\tau b})], \qquad
        C_T = \sum_b L_b + \rho_T + R_P + K_T,

    where a payment counts in full if it falls due within the first τ_b years after T
    leaves, at a time t in the window [0, τ_b] (closed at both ends, like the horizon
    [0, H] of :mod:`~alliances.analysis.discounting`), and in the share 1 − s_b after it.
    A flow is paid at the end of each year, at t0_b + 1, t0_b + 2, …, so its part in the
    window is the annuity a_τb = a(t0_b, m_τb) over its first m_τb = min(n_b, (τ_b − t0_b)⁺)
    years, the payment at t = τ_b included; a stock V_b paid once, at t_b, is one such
    payment:

    .. math::

        L_b = \ell_b V_b \delta^{t_b}
              \,\bigl[\mathbf 1\{t_b \le \tau_b\} + (1 - s_b)\,\mathbf 1\{t_b > \tau_b\}\bigr],

    so that a stock paid at τ_b and a one-year flow paid at τ_b lose the same, in full
    (τ_b counts from the decision, not from the bond's start: T begins to adjust when it
    leaves). D's instruments, of face value O_i, are credible in the share
    κ_i of their value that survives the chance q_i that they are blocked and the yearly
    hazard λ_i that D reneges (ã_i: the annuity under λ_i); coercion counts only new
    threats, net of the backlash β that binds T to P (Crawford [2]_, Izumikawa [3]_); P
    can bid at most X̄:

    .. math::

        \kappa_i = (1 - q_i) \frac{\tilde a_i}{a_i}, \quad
        \bar\kappa = \frac{\sum_i \kappa_i O_i}{\sum_i O_i}, \quad
        Z = \sum_N (\pi_N - \beta_N) N_D, \quad
        \bar X = \frac{\min(W_P, B_P)}{\gamma_P}.

    T defects iff κ̄ O + Z > C_T + κ_P X̄ (a tie keeps it), so the flip price and the
    most D would pay are

    .. math::

        O^*_{\text{raw}} = \frac{C_T - Z + \kappa_P \bar X}{\bar\kappa}, \qquad
        O^* = \max(0, O^*_{\text{raw}}), \qquad
        O_{\max} = \min\Bigl(B_D, \frac{W_D - c_D}{\gamma_D}\Bigr),

    with O*_raw = ±∞ (the sign of the numerator) when κ̄ = 0: no offer is credible.

    Parameters
    ----------
    model : WedgeModel
        The compiled model (:func:`~alliances.analysis.wedge.compile_model`).
    x : mapping of str to numpy.ndarray
        One array per input of ``model``, by name, all of the same length n (as from
        :func:`~alliances.analysis.wedge.sample_inputs`).
    present_values : PresentValues, optional
        Remember the present values for the next models that share these arrays (a
        sweep on common random numbers); the terms are the same with or without.

    Returns
    -------
    dict of str to numpy.ndarray
        n values of each term, in USD (present values) unless said otherwise:
        ``loss:<bond>`` (L_b, one per bond), ``cost_of_leaving`` (C_T),
        ``reference_offer`` (Σ O_i, the face value of D's package), ``credibility``
        (κ̄, a share), ``coercion`` (Z), ``counter_bid`` (κ_P X̄), ``flip_price_raw``
        (O*_raw, which may be negative or infinite), ``flip_price`` (O*) and
        ``max_offer`` (O_max).

    See Also
    --------
    alliances.analysis.wedge.wedge : the Monte Carlo over these terms.

    References
    ----------
    .. [1] Snyder, G. H. (1984). The security dilemma in alliance politics. *World
       Politics* 36(4): 461–495.
    .. [2] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies
       shape power politics. *International Security* 35(4): 155–189.
    .. [3] Izumikawa, Y. (2013). To coerce or reward? Theorizing wedge strategies in
       alliance politics. *Security Studies* 22(3): 498–531.
    .. [4] Keohane, R. O. and Nye, J. S. (1977). *Power and Interdependence*. Little,
       Brown, ch. 1.
    .. [5] Morrow, J. D. (1991). Alliances and asymmetry: an alternative to the
       capability aggregation model of alliances. *American Journal of Political
       Science* 35(4): 904–933.

    Examples
    --------
    The built-in scenario with every input at its median, in USD bn:

    >>> from alliances.analysis.wedge import compile_model, sample_inputs
    >>> from alliances.scenario import load_builtin
    >>> model = compile_model(load_builtin("russia-iran-2017"))
    >>> terms = evaluate(model, sample_inputs(model, np.full((len(model.uncertain), 1), 0.5)))
    >>> [round(float(terms[k][0]) / 1e9, 2) for k in ("cost_of_leaving", "coercion",
    ...                                                "counter_bid", "flip_price")]
    [14.91, 1.0, 8.1, 77.79]
    >>> round(float(terms["credibility"][0]), 3)
    0.283

    that is (14.91 − 1.0 + 8.1) / 0.283 = 77.8 bn.
    """
    r = x["question.discount_rate"]
    h = model.horizon
    pv = present_values or _Plain()
    out: dict[str, NDArray[np.float64]] = {}

    cost = x["question.target_costs.reputation"] + x["question.target_costs.partner_retaliation"]
    if model.has_demand:
        cost = cost + x["question.target_costs.demand"]
    for b in model.bonds:
        value = x[b.value[0]] if len(b.value) == 1 else x[b.value[0]] * x[b.value[1]]
        ell, s, tau = x[b.loss], x[b.substitutability], x[b.adjustment_years]
        t = b.timing
        if t.is_flow:
            whole = pv.annuity(r, t.start, t.years, h)
            window = pv.window(tau, t.start, t.years)
            sensitive = pv.annuity(r, t.start, window, h)
            loss = ell * value * (sensitive + (1.0 - s) * (whole - sensitive))
        else:
            kept = np.where(t.start <= tau, 1.0, 1.0 - s)  # in the window [0, τ]: in full
            loss = ell * value * pv.lump_sum(r, t.start, h) * kept
        out[f"loss:{b.id}"] = loss
        cost = cost + loss
    out["cost_of_leaving"] = cost

    face_total = np.zeros_like(r)
    credible_total = np.zeros_like(r)
    for i in model.instruments:
        whole = _present_value(pv, i.timing, r, h)
        kept_value = _present_value(pv, i.timing, r, h, x[i.renege])
        face = x[i.value] * whole
        face_total = face_total + face
        credible_total = credible_total + x[i.value] * (1.0 - x[i.blocked]) * kept_value
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(face_total > 0, credible_total / face_total, 0.0)
    out["reference_offer"] = face_total
    out["credibility"] = kappa

    z = np.zeros_like(r)
    for th in model.threats:
        z = z + (x[th.credibility] - x[th.backlash]) * x[th.value]
    out["coercion"] = z

    most = (
        np.minimum(x["question.partner_bid.value_of_target"], x["question.partner_bid.means"])
        / x["question.partner_bid.cost_per_value"]
    )
    out["counter_bid"] = x["question.partner_bid.credibility"] * np.maximum(most, 0.0)

    need = cost - z + out["counter_bid"]
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(kappa > 0, need / kappa, np.where(need < 0, -np.inf, np.inf))
    out["flip_price_raw"] = raw
    out["flip_price"] = np.maximum(raw, 0.0)

    dp = "question.divider_payoff."
    willing = (x[dp + "value_of_split"] - x[dp + "political_cost"]) / x[dp + "cost_per_value"]
    if model.has_budget_cap:
        willing = np.minimum(willing, x[dp + "budget_cap"])
    out["max_offer"] = willing
    return out


def flip_probability(
    flip_price_raw: NDArray[np.float64], offers: NDArray[np.float64]
) -> NDArray[np.float64]:
    r"""P(flip | O) for each offer O, from the draws of the unclipped flip price.

    Over n draws O*_j of the flip price (:func:`evaluate`),

    .. math::

        P(\text{flip} \mid O) = P(O^* < O) = \frac{1}{n} \#\{j : O^*_j < O\},

    the empirical distribution function of O* just below O: T defects only if the
    credible offer strictly exceeds what keeps it, so a tie keeps the target (Crawford
    [1]_). The draws are sorted once and each offer is a binary search.

    Parameters
    ----------
    flip_price_raw : numpy.ndarray
        The draws of O*_raw (``evaluate(...)["flip_price_raw"]``); −∞ and +∞ allowed.
    offers : numpy.ndarray
        Offers in USD (present values).

    Returns
    -------
    numpy.ndarray
        P(flip | O) for each offer, non-decreasing in the offer.

    References
    ----------
    .. [1] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies
       shape power politics. *International Security* 35(4): 155–189.

    Examples
    --------
    >>> flip_probability(np.array([3.0, 1.0, 2.0, 4.0]), np.array([0.0, 2.0, 2.5, 9.0]))
    array([0.  , 0.25, 0.5 , 1.  ])
    """
    ordered = np.sort(flip_price_raw)
    return np.searchsorted(ordered, offers, side="left") / ordered.size


def offer_grid(flip_price: NDArray[np.float64], points: int = 101) -> NDArray[np.float64]:
    r"""Offers from 0 to a round number past the 99.5th centile of the finite flip prices.

    With q the 99.5th centile of the finite draws of O* and k = ⌊log10 q⌋, the grid has
    ``points`` equally spaced offers

    .. math::

        O_m = \frac{m}{\text{points} - 1} \, c \, 10^k, \qquad
        c = \min\{c \in (1, 2, 2.5, 5, 10) : c \, 10^k \ge q\},

    so that P(flip | O) runs over it from about 0 to about 1 (to 1 minus the share of
    draws where no offer can flip the target), and a chart of it has round ticks. The
    grid is bounded by the draws, never unbounded: an offer beyond every price tells
    nothing more.

    Parameters
    ----------
    flip_price : numpy.ndarray
        Draws of O* in USD (infinite draws are left out of the centile).
    points : int, default 101
        Number of offers, 0 included.

    Returns
    -------
    numpy.ndarray
        ``points`` offers in USD, from 0; up to 1 when no draw is finite and positive.

    Examples
    --------
    >>> offer_grid(np.array([3.0, 1.0, 2.0, 4.0]), points=5)
    array([0.  , 1.25, 2.5 , 3.75, 5.  ])
    >>> grid = offer_grid(np.array([0.0, 12e9, 37e9, np.inf]))
    >>> grid.size, float(grid[1]), float(grid[-1])
    (101, 500000000.0, 50000000000.0)
    """
    finite = flip_price[np.isfinite(flip_price)]
    top = float(np.quantile(finite, 0.995)) if finite.size else 0.0
    return _round_grid(top, points)


def _round_grid(top: float, points: int = 101) -> NDArray[np.float64]:
    """``points`` offers from 0 to the first of 1, 2, 2.5, 5 or 10 × 10^k at or past ``top``."""
    if top <= 0:
        top = 1.0
    magnitude = 10.0 ** math.floor(math.log10(top))
    step = next(m for m in (1, 2, 2.5, 5, 10) if m * magnitude >= top)
    return np.linspace(0.0, step * magnitude, points)
