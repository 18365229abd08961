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

The module passes 600 lines because landscape alignment is one computation: the energy,
its minima and the systemic wedge price share the same encoded partitions; split, the
private encoding would travel between modules no caller uses alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances._codes import ATOP_KINDS
from alliances.analysis._checks import require_columns
from alliances.analysis.balance import ENUMERATION_LIMIT, enumerate_partitions
from alliances.analysis.balance.enumeration import _decode
from alliances.errors import ParameterError
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


DEFAULT_RULES = Rules()
"""Alliance: the strongest obligation between the two (defence or offence 1, neutrality
0.5, non-aggression or consultation 0.25); an ongoing MID −1; a war −2; a strategic
rivalry −1. Fixed a priori, not tuned to any result. Off by default (weight 0) but
available: ``arms`` (an arms transfer either way that year), ``igo`` (per shared IGO)
and ``affinity`` (times minus the distance of the UN ideal points)."""


def propensities(dyads: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    r"""Signed propensities of every pair, from dyad-year panel rows of one year.

    The propensity of states i and j to be in the same bloc, Axelrod and Bennett's
    :math:`p_{ij}` [1]_, is the sum of documented rules over the dyad's rows (either
    direction, the largest value of each indicator):

    .. math::

        p_{ij} = \max_{k \in \text{alliance}} w_k a^k_{ij}
                 + w_{\text{dispute}} m_{ij} + w_{\text{war}} v_{ij}
                 + w_{\text{rivalry}} r_{ij}
                 + w_{\text{arms}} t_{ij} + w_{\text{igo}} g_{ij}
                 - w_{\text{affinity}} \Delta_{ij},

    with :math:`a^k_{ij}` the ATOP obligations of kind k (defence, offence, neutrality,
    non-aggression, consultation; Leeds et al. [2]_), :math:`m, v, r, t` indicators of an
    ongoing militarised dispute, a war, a strategic rivalry and an arms transfer,
    :math:`g` the number of shared IGOs and :math:`\Delta` the distance of the UN ideal
    points; the weights w are ``rules`` (:data:`DEFAULT_RULES`, fixed a priori).

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
        One row per pair with a non-zero propensity: ``source < target``, ``p``,
        ``sign``, ``weight`` (the absolute value of ``p``), ``reasons`` (which rules made
        the tie) and ``sources`` (their datasets).

    Raises
    ------
    ParameterError
        If ``dyads`` lacks ``ccode1`` or ``ccode2``.

    References
    ----------
    .. [1] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.
    .. [2] Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance
       Treaty Obligations and Provisions, 1815–1944. *International Interactions* 28:
       237–260.

    Examples
    --------
    A defence pact (with consultation) between 2 and 20, a dispute and a rivalry
    between 2 and 200:

    >>> dyads = pd.DataFrame({"ccode1": [2, 20, 2], "ccode2": [20, 2, 200],
    ...                       "atop_defense": [1, 0, 0], "atop_consul": [1, 1, 0],
    ...                       "cowmid_ongoing": [0, 0, 1], "tss_rivalry": [0, 0, 1]})
    >>> propensities(dyads)[["source", "target", "p", "reasons"]]
       source  target    p           reasons
    0       2      20  1.0   defense, consul
    1       2     200 -2.0  dispute, rivalry
    """
    require_columns(dyads, ("ccode1", "ccode2"), "dyads", "dyad-year panel rows")
    frame = dyads.copy()
    frame["lo"] = np.minimum(frame["ccode1"], frame["ccode2"])
    frame["hi"] = np.maximum(frame["ccode1"], frame["ccode2"])
    parts = {}
    for kind in ATOP_KINDS:
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
    used = [k for k in flags if k in ATOP_KINDS or getattr(rules, k) != 0]
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
    **dict.fromkeys(ATOP_KINDS, "ATOP 5.1"),
    "dispute": "COW MID 5.0",
    "war": "COW inter-state wars 4.0",
    "rivalry": "Thompson, Sakuwa & Suhas rivalries",
    "arms": "SIPRI arms transfers",
    "igo": "COW IGO 3.0",
    "affinity": "Bailey, Strezhnev & Voeten ideal points",
}


@dataclass
class Landscape:
    """Minimum-energy partitions and local minima of a landscape (see :func:`landscape`).

    Attributes
    ----------
    actors : list
        The actors, in the order of the partitions' columns.
    energy : float
        The least energy E(X) over all two-bloc partitions.
    partitions : list of dict
        Every partition with that energy, as actor → bloc (0 or 1; the last actor is
        always in bloc 0, since the two blocs are unordered).
    local_minima : pandas.DataFrame
        Every partition that no single actor can improve by changing sides: ``energy``
        and one 0/1 column per actor, lowest energy first.
    """

    actors: list[object]
    energy: float
    partitions: list[dict[object, int]]
    local_minima: pd.DataFrame

    def blocs(self, k: int = 0) -> tuple[list[object], list[object]]:
        """The two blocs (bloc 0, bloc 1) of the k-th minimum-energy partition."""
        x = self.partitions[k]
        return [a for a in self.actors if x[a] == 0], [a for a in self.actors if x[a] == 1]


def _coupling(actors: list[object], sizes: pd.Series, ties: pd.DataFrame) -> NDArray[np.float64]:
    index = {a: k for k, a in enumerate(actors)}
    s = sizes.reindex(actors).to_numpy(dtype=float)
    if np.isnan(s).any():
        missing = [a for a, v in zip(actors, s, strict=True) if np.isnan(v)]
        msg = (
            f"no size for {', '.join(map(str, missing))}: sizes should give a number for "
            f"every actor ({', '.join(map(str, actors))})"
        )
        raise ParameterError(msg)
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
    r"""Every minimum-energy two-bloc partition and every local minimum (enumeration).

    Axelrod and Bennett's landscape theory [1]_: actors of sizes :math:`s_i` with
    pairwise propensities :math:`p_{ij}` form the partition X into two blocs of least
    energy, frustration weighted by size,

    .. math::

        E(X) = \sum_i s_i \sum_{j \ne i} s_j \, p_{ij} \, d_{ij}(X),

    with :math:`d_{ij}(X) = 1` if i and j are in different blocs, 0 otherwise: low energy
    is stable. Every one of the :math:`2^{n-1}` partitions is evaluated
    (:func:`~alliances.analysis.balance.enumerate_partitions`), so the optimum is proved;
    a local minimum is a partition that no single actor can improve by changing sides.

    Parameters
    ----------
    sizes : pandas.Series
        Size s_i of each actor, indexed by actor (CINC shares, say).
    ties : pandas.DataFrame
        ``source``, ``target`` and propensity ``p`` (as from :func:`propensities`);
        each unordered pair once. Ties to actors not in ``actors`` are ignored.
    actors : list, optional
        The actors (default: the index of ``sizes``); 1 to 26.

    Returns
    -------
    Landscape
        The least ``energy``, every ``partitions`` that attains it and the
        ``local_minima``.

    Raises
    ------
    ParameterError
        For no actor or more than 26 (use the integer programme of
        :func:`~alliances.analysis.balance.frustration_index`), or an actor without a
        size.

    See Also
    --------
    systemic_wedge_price : the least change of one propensity that moves a target.

    References
    ----------
    .. [1] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.

    Examples
    --------
    A and B are rivals, each with a friend (C and D), and the friends dislike each
    other: the blocs are {A, C} and {B, D}, with energy
    2 (3·2·(−1) + 1·1·(−0.5)) = −13.

    >>> sizes = pd.Series({"A": 3.0, "B": 2.0, "C": 1.0, "D": 1.0})
    >>> ties = pd.DataFrame({"source": ["A", "A", "B", "C"], "target": ["B", "C", "D", "D"],
    ...                      "p": [-1.0, 1.0, 1.0, -0.5]})
    >>> result = landscape(sizes, ties)
    >>> result.energy, result.blocs()
    (-13.0, (['B', 'D'], ['A', 'C']))
    """
    actors = list(sizes.index if actors is None else actors)
    if not 1 <= len(actors) <= ENUMERATION_LIMIT:
        msg = (
            f"len(actors)={len(actors)} should be from 1 to {ENUMERATION_LIMIT} (the "
            f"landscape enumerates all 2^(n-1) partitions); for more, minimise the energy "
            "with frustration_index(..., method='milp')"
        )
        raise ParameterError(msg)
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
    r"""The least change of each propensity that moves ``target`` into the bloc of ``divider``.

    For every pair (i, j), the change of p_ij that puts the target beside the divider in
    the minimum-energy partition, smallest first: the wedge question in systemic form
    (Crawford [2]_) on Axelrod and Bennett's landscape [1]_ (see :func:`landscape`).
    Raising :math:`p_{ij}` by Δ adds :math:`2 s_i s_j \Delta` to the energy of every
    partition that separates i and j, so the best energy with the target T beside the
    divider D, and without it, are

    .. math::

        E_{T \sim D}(\Delta) = \min(t_0,\; t_1 + 2 s_i s_j \Delta), \qquad
        E_{T \nsim D}(\Delta) = \min(o_0,\; o_1 + 2 s_i s_j \Delta),

    with :math:`t_0, t_1` (:math:`o_0, o_1`) the least energies of the partitions with
    T beside D (or not) that keep i and j together (0) or apart (1). The price of the
    tie (i, j) is the least :math:`|\Delta|` beyond which :math:`E_{T \sim D} <
    E_{T \nsim D}`; for the tie between D and T itself it is
    :math:`(t_0 - o_1) / (2 s_D s_T)` when the best partition separates them.

    Parameters
    ----------
    sizes : pandas.Series
        Size of each actor, indexed by actor (all of them take part).
    ties : pandas.DataFrame
        ``source``, ``target`` and propensity ``p``.
    divider, target : object
        Two different actors of ``sizes``.

    Returns
    -------
    pandas.DataFrame
        ``i``, ``j`` and ``delta``, the change of p_ij beyond which the target joins the
        divider (positive: raise the propensity), sorted by the size of ``delta``; ties that cannot
        do it are left out. ``delta`` is 0 for every tie if the target is already there.

    Raises
    ------
    ParameterError
        If the divider or the target is not an actor, or they are the same.

    References
    ----------
    .. [1] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.
    .. [2] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies
       shape power politics. *International Security* 35(4): 155–189.

    Examples
    --------
    D and its rival P; T is tied to P and at odds with X, D's friend. The best partition
    {D, X} | {P, T} has energy −8.4; the best with T beside D, {D, T, X} | {P}, has −4.
    Courting T directly (p_DT + Δ, slope 2·2·1 = 4) costs Δ = (−4 + 8.4) / 4 = 1.1;
    warming D to P is cheaper:

    >>> sizes = pd.Series({"D": 2.0, "P": 2.0, "T": 1.0, "X": 1.0})
    >>> ties = pd.DataFrame({"source": ["D", "P", "D", "T"], "target": ["P", "T", "X", "X"],
    ...                      "p": [-1.0, 1.0, 0.5, -0.2]})
    >>> systemic_wedge_price(sizes, ties, "D", "T").round(2)
       i  j  delta
    0  D  P   1.05
    1  D  T   1.10
    2  P  T  -1.10
    """
    actors = list(sizes.index)
    index = {a: k for k, a in enumerate(actors)}
    if divider not in index or target not in index or divider == target:
        msg = (
            f"divider {divider!r} and target {target!r} should be two different actors of "
            f"sizes: {', '.join(map(str, actors))}"
        )
        raise ParameterError(msg)
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
    r"""Sizes and signed ties of a scenario's actors, from its bonds.

    The propensity of a pair is the signed sum of the weights of the bonds between them,

    .. math::

        p_{ij} = \sum_{b \in B_{ij}} \sigma_b w_b ,

    a signed graph in the sense of Cartwright and Harary [2]_ whose landscape
    (Axelrod and Bennett [1]_) :func:`landscape` finds. A bond's ``value`` does not enter:
    it is money to one side, not a propensity. Sizes are the actors' ``size`` where the
    scenario gives one and 1 otherwise (the unweighted landscape: every actor counts the
    same); only actors with a bond take part, and pairs whose bonds cancel (p = 0) are
    left out.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    sizes : pandas.Series
        ``size`` of each actor with a tie, indexed by actor id.
    ties : pandas.DataFrame
        ``source < target``, ``p``, ``sign``, ``weight`` (the absolute value of ``p``) and
        ``reasons`` (the bonds, as ``id (kind)``).

    References
    ----------
    .. [1] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.
    .. [2] Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of
       Heider's theory. *Psychological Review* 63(5): 277–293.

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> sizes, ties = scenario_network(load_builtin("russia-iran-2017"))
    >>> ties.loc[ties["target"] == "RUS", ["source", "target", "p"]]
      source target    p
    0    BLR    RUS  1.0
    2    IRN    RUS  5.0
    >>> sorted(landscape(sizes, ties).blocs()[1])
    ['CHN', 'USA']
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
    r"""The minimum-energy partition before and just after p_ij changes by ``delta``.

    The landscape (:func:`landscape`, Axelrod and Bennett [1]_) of the ties as given, and
    of the ties with

    .. math::

        p_{ij} \leftarrow p_{ij} + \Delta + \operatorname{sign}(\Delta) \,
        10^{-6} (1 + |\Delta|),

    a step just past Δ, so that a price from :func:`systemic_wedge_price` shows the
    partition it buys. A pair without a tie gets one.

    Parameters
    ----------
    sizes : pandas.Series
        Size of each actor, indexed by actor.
    ties : pandas.DataFrame
        ``source``, ``target`` and propensity ``p``.
    i, j : object
        Two actors of ``sizes``.
    delta : float
        The change of p_ij.

    Returns
    -------
    before, after : dict
        The first minimum-energy partition (actor → bloc) of each landscape.

    Raises
    ------
    ParameterError
        If i or j is not an actor, or they are the same.

    References
    ----------
    .. [1] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.

    Examples
    --------
    The cheapest wedge of :func:`systemic_wedge_price`'s example, p_DP + 1.05, moves T
    to D's side:

    >>> sizes = pd.Series({"D": 2.0, "P": 2.0, "T": 1.0, "X": 1.0})
    >>> ties = pd.DataFrame({"source": ["D", "P", "D", "T"], "target": ["P", "T", "X", "X"],
    ...                      "p": [-1.0, 1.0, 0.5, -0.2]})
    >>> before, after = wedge_partitions(sizes, ties, "D", "P", 1.05)
    >>> before["T"] == before["D"], after["T"] == after["D"]
    (False, True)
    """
    if i not in sizes.index or j not in sizes.index or i == j:
        msg = (
            f"i={i!r} and j={j!r} should be two different actors of sizes: "
            f"{', '.join(map(str, sizes.index))}"
        )
        raise ParameterError(msg)
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
    r"""The signed network as a networkx graph.

    Node i carries ``size`` :math:`s_i`; edge (i, j) carries the propensity
    :math:`p_{ij} = \sigma_{ij} w_{ij}` as ``p``, its ``sign`` :math:`\sigma_{ij}`
    and ``weight`` :math:`w_{ij} = |p_{ij}|` (the signed graph of Cartwright and Harary
    [1]_), and any other column of ``ties`` (``reasons``, ``sources``).

    Parameters
    ----------
    sizes : pandas.Series
        Size of each actor, indexed by actor; every actor is a node, tied or not.
    ties : pandas.DataFrame
        ``source``, ``target`` and the edge attributes, as from :func:`propensities` or
        :func:`scenario_network`.

    Returns
    -------
    networkx.Graph
        Undirected: a pair given twice keeps the attributes of its last row.

    References
    ----------
    .. [1] Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of
       Heider's theory. *Psychological Review* 63(5): 277–293.

    Examples
    --------
    >>> sizes = pd.Series({"A": 2.0, "B": 1.0, "C": 1.0})
    >>> ties = pd.DataFrame({"source": ["A"], "target": ["B"], "p": [-1.0], "sign": [-1],
    ...                      "weight": [1.0]})
    >>> graph = to_networkx(sizes, ties)
    >>> graph.number_of_nodes(), graph.edges["A", "B"]["sign"], graph.nodes["A"]["size"]
    (3, -1, 2.0)
    """
    import networkx as nx

    graph = nx.Graph()
    for actor, size in sizes.items():
        graph.add_node(actor, size=float(size))
    for row in ties.to_dict(orient="records"):
        graph.add_edge(row.pop("source"), row.pop("target"), **row)
    return graph
