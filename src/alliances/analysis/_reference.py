"""A plain-Python, one-draw-at-a-time implementation of the wedge model.

It sums discount factors year by year instead of using closed forms, shares no code
with :mod:`alliances.analysis.wedge` beyond the compiled model's names, and serves two
purposes: the tests check the vectorised model against it draw by draw, and the
benchmark uses it as the baseline the vectorised Monte Carlo is measured against.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from alliances.analysis.wedge.model import WedgeModel, _Timing

__all__ = ["flip_price_raw"]


def _present_value(timing: _Timing, rate: float, horizon: int, hazard: float = 0.0) -> float:
    factor = (1.0 - hazard) / (1.0 + rate)
    if not timing.is_flow:
        return factor**timing.start if timing.start <= horizon else 0.0
    years = max(min(timing.years, horizon - timing.start), 0.0)
    whole = math.floor(years)
    total = sum(factor ** (timing.start + j) for j in range(1, whole + 1))
    part = years - whole
    if part > 0:  # a partial last year, valued as in the closed form (see discounting)
        tail = part if factor == 1.0 else factor * (1.0 - factor**part) / (1.0 - factor)
        total += factor ** (timing.start + whole) * tail
    return float(total)


def flip_price_raw(model: WedgeModel, x: Mapping[str, float]) -> float:
    """(C_T − Z + κ_P X̄) / κ̄ for one draw ``x`` of the inputs (name → value)."""
    rate = x["question.discount_rate"]
    cost = x["question.target_costs.reputation"] + x["question.target_costs.partner_retaliation"]
    if model.has_demand:
        cost += x["question.target_costs.demand"]
    for b in model.bonds:
        value = 1.0
        for name in b.value:
            value *= x[name]
        ell, s, tau = x[b.loss], x[b.substitutability], x[b.adjustment_years]
        t = b.timing
        if t.is_flow:
            whole = _present_value(t, rate, model.horizon)
            first = _Timing(t.start, min(max(tau - t.start, 0.0), t.years), True)
            sensitive = _present_value(first, rate, model.horizon)
            cost += ell * value * (sensitive + (1.0 - s) * (whole - sensitive))
        else:
            kept = 1.0 if t.start <= tau else 1.0 - s
            cost += ell * value * _present_value(t, rate, model.horizon) * kept

    face = credible = 0.0
    for i in model.instruments:
        face += x[i.value] * _present_value(i.timing, rate, model.horizon)
        kept = _present_value(i.timing, rate, model.horizon, hazard=x[i.renege])
        credible += x[i.value] * (1.0 - x[i.blocked]) * kept
    kappa = credible / face if face > 0 else 0.0

    coercion = sum((x[t.credibility] - x[t.backlash]) * x[t.value] for t in model.threats)
    bid = x["question.partner_bid.credibility"] * max(
        min(x["question.partner_bid.value_of_target"], x["question.partner_bid.means"])
        / x["question.partner_bid.cost_per_value"],
        0.0,
    )
    need = cost - coercion + bid
    if kappa > 0:
        return need / kappa
    return -math.inf if need < 0 else math.inf
