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

from alliances._display import html_summary
from alliances.analysis.wedge.model import WedgeModel
from alliances.scenario.labels import describe, first_clause
from alliances.scenario.model import Scenario

__all__ = ["NOT_GROUNDED", "WedgeResult"]

NOT_GROUNDED: dict[str, Any] = {
    "store": None,
    "statement": "Not grounded: no store was given; the scenario's stated figures are used.",
    "queries": [],
}


@dataclass(frozen=True)
class WedgeResult:
    """The answer to a wedge question, as pandas objects.

    Frozen: a result is made complete and never patched afterwards. The grounded and
    calibrated result of :func:`alliances.wedge` is a new one, built with
    :func:`dataclasses.replace` from the pure analysis's.

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
        The divider's willingness to pay (not its id, which is ``divider_id``):
        ``max_offer_p50`` (median O_max), ``p_within_means`` = P(O* < O_max),
        ``best_offer`` and ``expected_gain`` at it, in USD. The same Series is
        :attr:`willingness_to_pay`, the clearer name (and the key of :meth:`to_dict`);
        ``divider`` stays for the code that reads it.
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
    grounded : dict
        Whether and how the scenario was grounded in the world data: ``store`` (its path,
        or None), ``statement`` (one plain sentence) and ``queries`` (what each ``derive:``
        query did). :func:`alliances.wedge` (``alliances.studies.pricing.wedge``) fills it;
        the pure analysis never reads a store, and says so.
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
    grounded: dict[str, Any] = field(default_factory=lambda: {**NOT_GROUNDED, "queries": []})
    calibrated: dict[str, Any] | None = None

    @property
    def willingness_to_pay(self) -> pd.Series:
        """The divider's willingness to pay: the same Series as :attr:`divider`.

        ``max_offer_p50`` (the median of the most it would pay, O_max),
        ``p_within_means`` = P(O* < O_max), ``best_offer`` and ``expected_gain`` at it,
        in USD. ``to_dict()`` gives it under the key ``"willingness_to_pay"``; the
        divider's id is :attr:`divider_id`.

        >>> from alliances.scenario import load_builtin
        >>> from alliances.analysis.wedge import wedge
        >>> result = wedge(load_builtin("russia-iran-2017"), samples=500, sobol_samples=0)
        >>> result.willingness_to_pay is result.divider
        True
        >>> list(result.willingness_to_pay.index)
        ['max_offer_p50', 'p_within_means', 'best_offer', 'expected_gain']
        """
        return self.divider

    def plot(self, kind: str = "all", backend: str = "plotly") -> Any:
        """The main charts, drawn by :mod:`alliances.plotting` with ``backend``.

        ``kind``: ``"histogram"`` (flip price, Freedman–Diaconis bins, median and offer
        marked), ``"curve"`` (P(flip | offer) with the divider's willingness to pay),
        ``"drivers"`` (Sobol' indices, inputs in words) or ``"all"`` (a dict of the three).
        ``backend``: ``"plotly"`` (interactive figures) or ``"matplotlib"`` (static ones,
        kept by a notebook exported to HTML); another name is a
        :class:`~alliances.errors.ParameterError` naming these.

        The backend is found by its name when the chart is asked for, as pandas does
        (:func:`alliances._backends.plotting_backend`): the analysis imports no plotting
        library and not :mod:`alliances.plotting`.

        >>> from alliances.scenario import load_builtin
        >>> from alliances.analysis.wedge import wedge
        >>> result = wedge(load_builtin("russia-iran-2017"), samples=500, sobol_samples=0)
        >>> sorted(result.plot())
        ['curve', 'drivers', 'histogram']
        >>> result.plot("curve", backend="matplotlib").axes[0].get_ylabel()
        'probability'
        """
        from alliances._backends import plotting_backend

        return plotting_backend(backend).plot(self, kind)

    def summary(self) -> list[str]:
        """The answer in a few plain lines: what ``repr`` and Jupyter show.

        The question, the median flip price O* with its 90% interval, P(flip) at the
        offer, the top three drivers by their labels, and how the scenario was grounded.
        """
        fp, o = self.flip_price, self.offer
        lines = [
            f"WedgeResult {self.scenario}: what {self.divider_id} must offer {self.target} "
            f"to leave {self.partner} ({self.goal}); {self.samples:,} draws, seed {self.seed}",
            f"flip price O*: median {_bn(fp['p50'])}, 90% interval {_bn(fp['p05'])} to "
            f"{_bn(fp['p95'])}; P(O* = 0) {fp['p_zero']:.3f}, P(O* = ∞) {fp['p_infinite']:.3f}",
            f"P(flip) at {'the divider’s package' if o['reference'] else 'the offer'} "
            f"({_bn(o['value'])}): {o['p_flip']:.3f}"
            + (" (structural threshold P(O* < offer))" if self.calibrated else ""),
        ]
        if self.calibrated:
            c = self.calibrated
            lines.insert(
                2,
                f"P(flip), calibrated on documented attempts: {c['p_flip']:.2f} "
                f"(90% interval {c['interval'][0]:.2f} to {c['interval'][1]:.2f}; layer "
                f"{c['layer']['version']})",
            )
        if not self.drivers.empty:
            top = self.drivers.head(3)
            named = "; ".join(f"{r.label} ({r.ST:.2f})" for r in top.itertuples())
            lines.append(f"top drivers (total Sobol' index): {named}")
        lines.append(str(self.grounded.get("statement", "")))
        return lines

    def __repr__(self) -> str:
        return "\n".join(self.summary())

    def _repr_html_(self) -> str:
        """A short HTML summary for Jupyter (every text escaped)."""
        return html_summary(self.summary())

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
            "willingness_to_pay": {k: _num(v) for k, v in self.willingness_to_pay.items()},
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
            "grounded": self.grounded,
            "calibrated": self.calibrated,
        }


def _bn(usd: float) -> str:
    return "∞" if not math.isfinite(usd) else f"USD {usd / 1e9:,.1f} bn"


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
                "label": i.label or i.name,
                "description": i.description,
                "dist": q.dist,
                **{p: getattr(q, p, None) for p in _PARAMS},
                "unit": q.unit,
                "mean_base_units": q.mean(),
                "display": describe(q),
                "source": q.source,
                "assumption": q.assumption,
            }
        )
    return pd.DataFrame(rows).set_index("input")


def _context_table(scenario: Scenario) -> pd.DataFrame:
    rows = [
        {
            "id": c.id,
            "label": first_clause(c.description),
            "description": c.description,
            "value_base_units": c.value.mean(),
            "unit": c.value.unit,
            "display": describe(c.value),
            "source": c.value.source,
            "note": c.value.note,
        }
        for c in scenario.context
    ]
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def _sources(scenario: Scenario, model: WedgeModel) -> list[dict[str, Any]]:
    """Every reference the inputs and context cite, once each, with what cites it.

    ``key`` is the reference key, or the text itself for a source written out in full
    (a dataset query as the grounding writes it); ``text`` is the one line a reader needs
    (the citation, with its key only when the key is a reference's); ``used_by`` the
    input paths and ``used_by_labels`` their plain labels.
    """
    cited: dict[str, list[tuple[str, str]]] = {}
    used = [(i.name, i.label or i.name, i.quantity.source) for i in model.inputs]
    used += [
        (f"context.{c.id}", first_clause(c.description), c.value.source) for c in scenario.context
    ]
    for name, label, source in used:
        for part in (source or "").split(";"):
            key = " ".join(part.split())
            if key and (name, label) not in cited.get(key, []):
                cited.setdefault(key, []).append((name, label))
    out: list[dict[str, Any]] = []
    for key, users in cited.items():
        ref = scenario.references.get(key)
        citation = ref.citation if ref else key
        entry: dict[str, Any] = {
            "key": key,
            "citation": citation,
            "text": citation if ref is None else f"{key}: {citation}",
            "reference": ref is not None,
            "used_by": [name for name, _ in users],
            "used_by_labels": list(dict.fromkeys(label for _, label in users)),
        }
        if ref and ref.url:
            entry["url"] = ref.url
            entry["text"] += f" {ref.url}"
        out.append(entry)
    return out
