"""The answer to a wedge question as pandas objects, and its JSON-ready form.

:class:`WedgeResult` holds what :func:`~alliances.analysis.wedge.wedge` found: the
distribution of the flip price, P(flip | offer), the divider's side, the drivers, every
term, the inputs with their sources, and the per-draw table when it was kept. The tables
of inputs, context and sources are built here from the scenario and its compiled model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliances.analysis.wedge.model import WedgeModel
from alliances.scenario.model import Scenario

__all__ = ["WedgeResult"]


@dataclass
class WedgeResult:
    """The answer to a wedge question, as pandas objects.

    Attributes
    ----------
    scenario, divider_id, target, partner, goal : str
        The scenario's id, the three actors' ids and the divider's goal (``"neutral"``
        or ``"realign"``).
    samples : int
        Monte Carlo draws.
    seed : int or None
        The seed of every random number used (None: fresh entropy).
    flip_price : pandas.Series
        Summary of O* in USD: mean (of the finite draws), quantiles ``p05`` … ``p95``,
        ``p_zero`` (share of draws where no offer is needed) and ``p_infinite`` (share
        where none suffices).
    p_flip : pandas.DataFrame
        ``offer`` (USD) and ``p`` = P(flip | offer), non-decreasing in the offer.
    offer : pandas.Series
        The offer evaluated (``value``: the offer given, or the mean face value of the
        divider's package) and whether it is the reference package (``reference``).
        ``p_flip_own_package`` = P(O*_j < O_j), each draw j at its own package's face
        value O_j (the package is uncertain too); ``p_flip_at_value`` = P(O* < value),
        every draw at the one ``value`` (as the curve ``p_flip`` reads it). ``p_flip`` is
        the first for the reference package and the second for an offer given.
    divider : pandas.Series
        ``max_offer_p50`` (median O_max), ``p_within_means`` = P(O* < O_max),
        ``best_offer`` and ``expected_gain`` at it, in USD.
    drivers : pandas.DataFrame
        Sobol' first-order ``S1`` and total ``ST`` indices of the rank of O* (unit-free;
        ties at O* = 0 and at O* = ∞ share their mid-rank) for each uncertain input that
        O* depends on, with 95% bootstrap half-widths ``S1_conf`` and ``ST_conf``, the
        indices from the first half of the Sobol' points ``S1_half`` and ``ST_half``, and
        ``converged`` (both indices within their half-width of those at N/2), sorted by
        ``ST``.
    components : pandas.DataFrame
        Mean and quantiles of every term of the model (cost of leaving, the loss on each
        bond, coercion, counter-bid, credibility), in USD or as a share.
    inputs : pandas.DataFrame
        Every input: distribution, parameters, unit, source or assumption.
    draws : pandas.DataFrame
        One row per Monte Carlo draw, in the order of the draw layout: every input and
        every model term. Kept only with ``wedge(..., keep_draws=True)`` or, by default,
        up to 10^6 draws; otherwise empty (no columns), and ``warnings`` says so.
    sources : list of dict
        Every reference cited by an input or a context figure: ``key``, ``citation``,
        ``url`` (where known) and ``used_by`` (the inputs citing it).
    context : pandas.DataFrame
        The scenario's context figures (they frame the question; the price ignores them).
    warnings : list of str
        What the analysis noted or did instead of what was asked, in plain sentences; the
        fallbacks among them were also issued as warnings (``AlliancesWarning``).
    """

    scenario: str
    divider_id: str
    target: str
    partner: str
    goal: str
    samples: int
    seed: int | None
    flip_price: pd.Series
    p_flip: pd.DataFrame
    offer: pd.Series
    divider: pd.Series
    drivers: pd.DataFrame
    components: pd.DataFrame
    inputs: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    sources: list[dict[str, Any]] = field(default_factory=list)
    context: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (infinite or undefined numbers become ``None``)."""
        fp = {k: _num(v) for k, v in self.flip_price.items()}
        return {
            "scenario": self.scenario,
            "divider": self.divider_id,
            "target": self.target,
            "partner": self.partner,
            "goal": self.goal,
            "samples": self.samples,
            "seed": self.seed,
            "flip_price": {**fp, "unit": "USD"},
            "p_flip": [
                {"offer": _num(o), "p": _num(p)}
                for o, p in zip(self.p_flip["offer"], self.p_flip["p"], strict=True)
            ],
            "offer": {k: _num(v) for k, v in self.offer.items()},
            "willingness_to_pay": {k: _num(v) for k, v in self.divider.items()},
            "drivers": [
                {k: _num(v) if k != "input" else v for k, v in row.items()}
                for row in self.drivers.to_dict(orient="records")
            ],
            "components": [
                {k: _num(v) if k not in {"term", "unit"} else v for k, v in row.items()}
                for row in self.components.reset_index().to_dict(orient="records")
            ],
            "inputs": [
                {k: _num(v) for k, v in row.items()}
                for row in self.inputs.reset_index().to_dict(orient="records")
            ],
            "context": [
                {k: _num(v) for k, v in row.items()}
                for row in self.context.reset_index().to_dict(orient="records")
            ],
            "sources": self.sources,
            "warnings": self.warnings,
        }


def _num(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


_PARAMS = ("value", "low", "mode", "high", "median", "p90")


def _inputs_table(model: WedgeModel) -> pd.DataFrame:
    rows = []
    for i in model.inputs:
        q = i.quantity
        rows.append(
            {
                "input": i.name,
                "description": i.description,
                "dist": q.dist,
                **{p: getattr(q, p, None) for p in _PARAMS},
                "unit": q.unit,
                "mean_base_units": q.mean(),
                "source": q.source,
                "assumption": q.assumption,
            }
        )
    return pd.DataFrame(rows).set_index("input")


def _context_table(scenario: Scenario) -> pd.DataFrame:
    rows = [
        {
            "id": c.id,
            "description": c.description,
            "value_base_units": c.value.mean(),
            "unit": c.value.unit,
            "source": c.value.source,
            "note": c.value.note,
        }
        for c in scenario.context
    ]
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def _sources(scenario: Scenario, model: WedgeModel) -> list[dict[str, Any]]:
    """Every reference the inputs and context cite, with the inputs that cite it."""
    cited: dict[str, list[str]] = {}
    used = [(i.name, i.quantity.source) for i in model.inputs]
    used += [(f"context.{c.id}", c.value.source) for c in scenario.context]
    for name, source in used:
        for part in (source or "").split(";"):
            key = part.strip()
            if key:
                cited.setdefault(key, []).append(name)
    out: list[dict[str, Any]] = []
    for key, names in cited.items():
        ref = scenario.references.get(key)
        entry: dict[str, Any] = {
            "key": key,
            "citation": ref.citation if ref else key,
            "used_by": names,
        }
        if ref and ref.url:
            entry["url"] = ref.url
        out.append(entry)
    return out
