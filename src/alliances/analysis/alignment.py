r"""Alignment: signed propensity networks, landscape theory and the systemic wedge price.

**Propensities from the world data.** For a year, each pair of states gets a propensity
:math:`p_{ij}`, the sum of documented rules (:data:`DEFAULT_RULES`, fixed before any
result was looked at): positive for alliance obligations (the strongest one between the
two, in either direction), negative for an ongoing militarised dispute, for a war and for
a strategic rivalry. Sizes are COW capability shares (CINC). Every tie keeps the reasons
it was made of.

**Landscape theory** (Axelrod and Bennett 1993): the energy of a partition X into two
blocs is :math:`E(X) = \sum_i \sum_{j \ne i} s_i s_j p_{ij} d_{ij}(X)`; low energy is
stable. It is minimised exactly by :mod:`alliances.analysis.balance` (energy is a
weighted frustration minus a constant), which also lists every local minimum for small
systems.

**Systemic wedge price.** Raising :math:`p_{ij}` by :math:`\Delta` adds
:math:`2 s_i s_j \Delta` to the energy of every partition that separates i and j. The
best energy with the target T beside the divider D is then
:math:`\min(t_0, t_1 + 2 s_i s_j \Delta)` and without it
:math:`\min(o_0, o_1 + 2 s_i s_j \Delta)`, with :math:`t_0, t_1` (:math:`o_0, o_1`) the
least energies of the partitions with T beside D (or not) that keep i and j together or
apart. The price of tie (i, j) is the least :math:`|\Delta|` beyond which the first is
lower; for the tie between D and T it is :math:`(t - o) / (2 s_D s_T)`.

References
----------
.. [1] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation. *British
   Journal of Political Science* 23(2): 211–233.
.. [2] Crawford, T. W. (2011). Preventing enemy coalitions. *International Security*
   35(4): 155–189 (the wedge question in systemic form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.analysis.balance import _decode, enumerate_partitions
from alliances.scenario.model import Scenario

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "DEFAULT_RULES",
    "Landscape",
    "Rules",
    "landscape",
    "propensities",
    "scenario_network",
    "systemic_wedge_price",
    "to_networkx",
    "wedge_partitions",
]


@dataclass(frozen=True)
class Rules:
    """Weights of the propensity rules (documented defaults; change them as you see fit)."""

    defense: float = 1.0
    offense: float = 1.0
    neutral: float = 0.5
    nonagg: float = 0.25
    consul: float = 0.25
    dispute: float = -1.0
    war: float = -2.0
    rivalry: float = -1.0
    arms: float = 0.0
    igo: float = 0.0
    affinity: float = 0.0


_ALLIANCE_KINDS = ("defense", "offense", "neutral", "nonagg", "consul")
DEFAULT_RULES = Rules()
"""Alliance: the strongest obligation between the two (defence or offence 1, neutrality
0.5, non-aggression or consultation 0.25); an ongoing MID −1; a war −2; a strategic
rivalry −1. Fixed a priori, not tuned to any result. Off by default (weight 0) but
available: ``arms`` (an arms transfer either way that year), ``igo`` (per shared IGO)
and ``affinity`` (times minus the distance of the UN ideal points)."""


def propensities(dyads: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """Signed propensities of every pair, from dyad-year panel rows of one year.

    Parameters
    ----------
    dyads : pandas.DataFrame
        Rows (ccode1, ccode2) in either or both directions with any of the columns
        ``atop_defense`` … ``atop_consul``, ``cowmid_ongoing``, ``war``, ``tss_rivalry``,
        ``arms_exports_tiv``, ``shared_igos``, ``idealpoint_distance`` (missing columns
        contribute nothing; missing values count as 0).
    rules : Rules
        Weights of the rules.

    Returns
    -------
    pandas.DataFrame
        ``source < target``, ``p`` (non-zero only), ``sign``, ``weight`` (= |p|),
        ``reasons`` (which rules made the tie) and ``sources`` (their datasets).
    """
    frame = dyads.copy()
    frame["lo"] = np.minimum(frame["ccode1"], frame["ccode2"])
    frame["hi"] = np.maximum(frame["ccode1"], frame["ccode2"])
    parts = {}
    for kind in _ALLIANCE_KINDS:
        column = f"atop_{kind}"
        if column in frame:
            parts[kind] = pd.to_numeric(frame[column], errors="coerce").fillna(0).astype(float)
    negative = {"dispute": "cowmid_ongoing", "war": "war", "rivalry": "tss_rivalry"}
    for rule, column in negative.items():
        if column in frame:
            parts[rule] = (pd.to_numeric(frame[column], errors="coerce").fillna(0) > 0).astype(
                float
            )
    if "arms_exports_tiv" in frame:
        tiv = pd.to_numeric(frame["arms_exports_tiv"], errors="coerce").fillna(0)
        parts["arms"] = (tiv > 0).astype(float)
    graded = {}
    if "shared_igos" in frame:
        graded["igo"] = pd.to_numeric(frame["shared_igos"], errors="coerce").fillna(0)
    if "idealpoint_distance" in frame:
        distance = pd.to_numeric(frame["idealpoint_distance"], errors="coerce").fillna(0)
        graded["affinity"] = -distance
    flags = pd.DataFrame(parts | graded).groupby([frame["lo"], frame["hi"]]).max()
    alliance_kinds = [
        k for k in ("defense", "offense", "neutral", "nonagg", "consul") if k in flags
    ]
    alliance = (
        flags[alliance_kinds].mul([getattr(rules, k) for k in alliance_kinds]).max(axis=1)
        if alliance_kinds
        else 0.0
    )
    others = [r for r in (*negative, "arms", "igo", "affinity") if r in flags]
    p = alliance + sum(flags[r] * getattr(rules, r) for r in others)
    used = [k for k in flags if k in _ALLIANCE_KINDS or getattr(rules, k) != 0]
    reasons = flags[used].apply(lambda row: ", ".join(k for k, v in row.items() if v != 0), axis=1)
    sources = reasons.map(
        lambda text: "; ".join(dict.fromkeys(_SOURCES[k] for k in text.split(", ") if k))
    )
    out = pd.DataFrame({"p": p, "reasons": reasons, "sources": sources}).reset_index()
    out = out.rename(columns={"lo": "source", "hi": "target"})
    out = out[out["p"] != 0].reset_index(drop=True)
    out["sign"] = np.sign(out["p"]).astype(int)
    out["weight"] = out["p"].abs()
    return out[["source", "target", "p", "sign", "weight", "reasons", "sources"]]


_SOURCES = {
    **dict.fromkeys(_ALLIANCE_KINDS, "ATOP 5.1"),
    "dispute": "COW MID 5.0",
    "war": "COW inter-state wars 4.0",
    "rivalry": "Thompson, Sakuwa & Suhas rivalries",
    "arms": "SIPRI arms transfers",
    "igo": "COW IGO 3.0",
    "affinity": "Bailey, Strezhnev & Voeten ideal points",
}


@dataclass
class Landscape:
    """Minimum-energy partitions and local minima of a landscape."""

    actors: list[object]
    energy: float
    partitions: list[dict[object, int]]
    local_minima: pd.DataFrame

    def blocs(self, k: int = 0) -> tuple[list[object], list[object]]:
        """The two blocs of the k-th minimum-energy partition."""
        x = self.partitions[k]
        return [a for a in self.actors if x[a] == 0], [a for a in self.actors if x[a] == 1]


def _coupling(actors: list[object], sizes: pd.Series, ties: pd.DataFrame) -> NDArray[np.float64]:
    index = {a: k for k, a in enumerate(actors)}
    s = sizes.reindex(actors).to_numpy(dtype=float)
    if np.isnan(s).any():
        missing = [a for a, v in zip(actors, s, strict=True) if np.isnan(v)]
        msg = f"no size for {', '.join(map(str, missing))}"
        raise ValueError(msg)
    b = np.zeros((len(actors), len(actors)))
    keep = ties["source"].isin(index) & ties["target"].isin(index)
    for src, dst, p in ties.loc[keep, ["source", "target", "p"]].itertuples(index=False):
        i, j = index[src], index[dst]
        b[i, j] += 2 * s[i] * s[j] * p
        b[j, i] = b[i, j]
    return b


def landscape(
    sizes: pd.Series, ties: pd.DataFrame, actors: list[object] | None = None
) -> Landscape:
    """Every minimum-energy two-bloc partition and every local minimum (enumeration).

    Parameters
    ----------
    sizes : pandas.Series
        Size s_i of each actor, indexed by actor.
    ties : pandas.DataFrame
        ``source``, ``target`` and propensity ``p`` (as from :func:`propensities`).
    actors : list, optional
        The actors (default: the index of ``sizes``); up to 26.
    """
    actors = list(sizes.index if actors is None else actors)
    b = _coupling(actors, sizes, ties)
    costs, local = enumerate_partitions(b, 0.0)
    best = float(costs.min())
    tolerance = 1e-9 * max(1.0, abs(best))
    n = len(actors)
    optima = [
        dict(zip(actors, _decode(int(k), n).tolist(), strict=True))
        for k in np.flatnonzero(costs <= best + tolerance)
    ]
    minima = [
        {"energy": float(costs[k]), **dict(zip(actors, _decode(int(k), n).tolist(), strict=True))}
        for k in np.flatnonzero(local)
    ]
    table = pd.DataFrame(minima).sort_values("energy", ignore_index=True)
    return Landscape(actors, best, optima, table)


def systemic_wedge_price(
    sizes: pd.Series, ties: pd.DataFrame, divider: object, target: object
) -> pd.DataFrame:
    """For every pair (i, j), the least change of p_ij that puts ``target`` in the
    bloc of ``divider`` in the minimum-energy partition; smallest first.

    Returns a frame with ``i``, ``j`` and ``delta``, the change of p_ij beyond which the
    target joins the divider (positive: raise the propensity); ties that cannot do it
    are left out. ``delta`` is 0 for every tie if the target is already there.
    """
    actors = list(sizes.index)
    index = {a: k for k, a in enumerate(actors)}
    if divider not in index or target not in index:
        msg = f"divider {divider!r} and target {target!r} must both be actors"
        raise ValueError(msg)
    n = len(actors)
    b = _coupling(actors, sizes, ties)
    s = sizes.reindex(actors).to_numpy(dtype=float)
    costs, _ = enumerate_partitions(b, 0.0)
    k = np.arange(costs.size, dtype=np.int64)
    x = np.zeros((costs.size, n), dtype=bool)
    x[:, : n - 1] = (k[:, None] >> np.arange(n - 1)) & 1
    together = x[:, index[divider]] == x[:, index[target]]
    rows = []
    for i in range(n):
        for j in range(i + 1, n):
            apart = x[:, i] != x[:, j]
            slope = 2 * s[i] * s[j]
            if slope == 0:
                continue
            # energy(Δ) = cost + slope·Δ·apart; find the least |Δ| at which the best
            # partition has T beside D.
            delta = _threshold(costs, apart, together, slope)
            if delta is not None:
                rows.append({"i": actors[i], "j": actors[j], "delta": delta})
    frame = pd.DataFrame(rows, columns=["i", "j", "delta"])
    frame = frame.reindex(frame["delta"].abs().sort_values().index).reset_index(drop=True)
    return frame


def _threshold(
    costs: NDArray[np.float64],
    apart: NDArray[np.bool_],
    together: NDArray[np.bool_],
    slope: float,
) -> float | None:
    """Least |Δ| beyond which the best partition has T beside D; None if none does.

    With Δ added to p_ij, the best energy with T beside D is min(t0, t1 + slope·Δ) and
    without it min(o0, o1 + slope·Δ), where t0, t1 (o0, o1) are the best energies with i
    and j together or apart. Their difference changes sign only where two of these lines
    cross, so those crossings are the candidates.
    """

    def best(mask: NDArray[np.bool_]) -> float:
        return float(costs[mask].min()) if mask.any() else np.inf

    t0, t1 = best(together & ~apart), best(together & apart)
    o0, o1 = best(~together & ~apart), best(~together & apart)

    def flips(d: float) -> bool:
        return min(t0, t1 + slope * d) < min(o0, o1 + slope * d) - 1e-12

    if flips(0.0):
        return 0.0
    lines = [(t0, 0.0), (t1, slope), (o0, 0.0), (o1, slope)]
    candidates = {
        (c2 - c1) / (m1 - m2)
        for (c1, m1) in lines
        for (c2, m2) in lines
        if m1 != m2 and np.isfinite(c1) and np.isfinite(c2)
    }
    for d in sorted(candidates, key=abs):
        if d != 0 and flips(d + np.sign(d) * 1e-9 * (1.0 + abs(d))):
            return d
    return None


def scenario_network(scenario: Scenario) -> tuple[pd.Series, pd.DataFrame]:
    """Sizes and signed ties of a scenario's actors, from its bonds.

    The propensity of a pair is the sum of ``sign × weight`` over the bonds between them
    (a bond's ``value`` does not enter: it is money to one side, not a propensity).
    Sizes are the actors' ``size`` where given, 1 otherwise; only actors with a bond
    take part.
    """
    rows = [
        (min(b.between), max(b.between), b.sign * b.weight, f"{b.id} ({b.kind})")
        for b in scenario.bonds
    ]
    frame = pd.DataFrame(rows, columns=["source", "target", "p", "reasons"])
    ties = frame.groupby(["source", "target"], as_index=False).agg(
        p=("p", "sum"), reasons=("reasons", ", ".join)
    )
    ties = ties[ties["p"] != 0].reset_index(drop=True)
    ties["sign"] = np.sign(ties["p"]).astype(int)
    ties["weight"] = ties["p"].abs()
    involved = set(ties["source"]) | set(ties["target"])
    sizes = pd.Series(
        {a.id: a.size or 1.0 for a in scenario.actors if a.id in involved}, name="size"
    )
    return sizes, ties[["source", "target", "p", "sign", "weight", "reasons"]]


def wedge_partitions(
    sizes: pd.Series, ties: pd.DataFrame, i: object, j: object, delta: float
) -> tuple[dict[object, int], dict[object, int]]:
    """The minimum-energy partition before and just after p_ij changes by ``delta``."""
    before = landscape(sizes, ties).partitions[0]
    step = delta + np.sign(delta) * 1e-6 * (1.0 + abs(delta))
    changed = ties[["source", "target", "p"]].copy()
    pair = ((changed.source == i) & (changed.target == j)) | (
        (changed.source == j) & (changed.target == i)
    )
    if pair.any():
        changed.loc[pair, "p"] += step
    else:
        extra = pd.DataFrame({"source": [i], "target": [j], "p": [step]})
        changed = pd.concat([changed, extra], ignore_index=True)
    return before, landscape(sizes, changed).partitions[0]


def to_networkx(sizes: pd.Series, ties: pd.DataFrame) -> nx.Graph:
    """The signed network as a networkx graph: node attribute ``size``, edge attributes
    ``p``, ``sign``, ``weight`` and ``reasons``."""
    import networkx as nx

    graph = nx.Graph()
    for actor, size in sizes.items():
        graph.add_node(actor, size=float(size))
    for row in ties.to_dict(orient="records"):
        graph.add_edge(row.pop("source"), row.pop("target"), **row)
    return graph
