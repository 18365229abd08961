"""Alignment of the world or of a few states in a year, from the store.

Builds the signed propensity network of a year (:func:`alliances.analysis.alignment.
propensities`, CINC sizes) and finds the minimum-energy partition: by enumeration with
every local minimum for up to 22 actors, by the integer programme of
:mod:`alliances.analysis.balance` beyond (energy = weighted frustration − constant).
:func:`align_world` returns a :class:`WorldAlignment` and :func:`align_scenario` a
:class:`ScenarioAlignment` (both frozen), whose ``to_dict()`` is the JSON of
``alliances align --json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from alliances import countries
from alliances.analysis.alignment import (
    DEFAULT_RULES,
    Rules,
    landscape,
    propensities,
    scenario_network,
    systemic_wedge_price,
    wedge_partitions,
)
from alliances.analysis.balance import SignedGraph, frustration_index
from alliances.errors import DataError, ParameterError, UnknownCountryError
from alliances.scenario.model import Scenario
from alliances.typing import ActorRef
from alliances.world.panel import dyad_years
from alliances.world.queries import panel_rows
from alliances.world.registry import DATASETS

__all__ = [
    "WWII_SIDES",
    "ScenarioAlignment",
    "WorldAlignment",
    "align_scenario",
    "align_world",
    "world_network",
    "world_tie_price",
    "wwii_placement",
]

# Axelrod and Bennett (1993): the 17 European states of their test and the side each
# fought on in the Second World War, as coded in their comparison (Allies 0, Axis 1),
# by COW code. Their landscape placed all but Poland and Portugal.
WWII_SIDES = {
    200: 0, 315: 0, 390: 0, 220: 0, 350: 0, 290: 0, 235: 0, 365: 0, 345: 0,
    366: 1, 375: 1, 255: 1, 310: 1, 325: 1, 367: 1, 368: 1, 360: 1,
}  # fmt: skip

_COVARIATES = ("alliances", "mids", "wars", "rivalries", "capabilities")
_OPTIONAL = {"arms": "arms", "igo": "igos", "affinity": "affinity"}


_INTEGER_PROGRAMME = "integer programme"


@dataclass(frozen=True, eq=False)  # frames do not compare to a bool
class WorldAlignment:
    """The minimum-energy partition of the world's states (or of some of them) in a year.

    Attributes
    ----------
    year : int
        The year of the world data.
    actors : int
        How many states were aligned.
    method : str
        ``"enumeration"`` (up to 22 states: every partition, every local minimum) or
        ``"integer programme"`` (beyond).
    optimal : bool
        Whether the partition is proved of least energy (always, by enumeration).
    energy : float
        The least energy found.
    partitions : list of dict
        The minimum-energy partitions, each ``{state name: bloc}`` (one from the integer
        programme).
    blocs : dict
        The first partition by COW code, ``{ccode: bloc}``.
    local_minima : list of dict
        Each local minimum's ``energy`` and ``partition`` (by name); empty from the
        integer programme.
    ties : pandas.DataFrame
        The signed propensities: ``source``, ``target``, ``sign``, ``weight``.
    gap : float
        The integer programme's relative gap (0 when proved, and by enumeration).
    seconds : float
        The integer programme's run time (0 by enumeration).
    """

    year: int
    actors: int
    method: str
    optimal: bool
    energy: float
    partitions: list[dict[str, int]]
    blocs: dict[int, int]
    local_minima: list[dict[str, Any]]
    ties: pd.DataFrame = field(repr=False)
    gap: float = 0.0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``alliances align --year Y --json``; ``gap`` and ``seconds`` only
        from the integer programme."""
        out: dict[str, Any] = {
            "year": self.year,
            "actors": self.actors,
            "method": self.method,
            "optimal": self.optimal,
        }
        if self.method == _INTEGER_PROGRAMME:
            out["gap"] = self.gap
        out |= {
            "energy": self.energy,
            "partitions": self.partitions,
            "blocs": self.blocs,
            "local_minima": self.local_minima,
        }
        if self.method == _INTEGER_PROGRAMME:
            out["seconds"] = self.seconds
        out["ties"] = self.ties.to_dict(orient="records")
        return out


@dataclass(frozen=True, eq=False)  # frames do not compare to a bool
class ScenarioAlignment:
    """The landscape of a scenario's actors and the systemic wedge price of its question.

    Attributes
    ----------
    scenario : str
        The scenario's id.
    actors : int
        How many actors its bonds tie.
    method : str
        ``"enumeration"`` (always: up to 22 actors).
    optimal : bool
        True: enumeration proves the least energy.
    energy : float
        The least energy.
    partitions : list of dict
        The minimum-energy partitions, ``{actor id: bloc}``.
    local_minima : list of dict
        Each local minimum's ``energy`` and ``partition``.
    divider, target : ActorRef
        The question's divider and target, as the scenario names them.
    wedge_price : pandas.DataFrame
        For each tie, the change of its propensity that moves the target into the
        divider's bloc (:func:`alliances.analysis.alignment.systemic_wedge_price`),
        cheapest first; empty when the divider or the target has no bond.
    ties : pandas.DataFrame
        The signed propensities.
    wedge_before, wedge_after : dict or None
        The minimum-energy partition before and just after the cheapest change (None
        without a wedge price).
    """

    scenario: str
    actors: int
    method: str
    optimal: bool
    energy: float
    partitions: list[dict[Any, int]]
    local_minima: list[dict[str, Any]]
    divider: ActorRef
    target: ActorRef
    wedge_price: pd.DataFrame = field(repr=False)
    ties: pd.DataFrame = field(repr=False)
    wedge_before: dict[Any, int] | None = None
    wedge_after: dict[Any, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``alliances align --scenario S --json``; ``wedge_before`` and
        ``wedge_after`` only with a wedge price."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "actors": self.actors,
            "method": self.method,
            "optimal": self.optimal,
            "energy": self.energy,
            "partitions": self.partitions,
            "local_minima": self.local_minima,
            "divider": self.divider,
            "target": self.target,
            "wedge_price": self.wedge_price.to_dict(orient="records"),
            "ties": self.ties.to_dict(orient="records"),
        }
        if not self.wedge_price.empty:
            out["wedge_before"], out["wedge_after"] = self.wedge_before, self.wedge_after
        return out


def world_network(
    con: duckdb.DuckDBPyConnection,
    year: int,
    actors: list[int] | None = None,
    rules: Rules = DEFAULT_RULES,
) -> tuple[pd.Series, pd.DataFrame]:
    """Sizes (CINC, by COW code) and signed ties of the states of ``year``."""
    extra = [cov for rule, cov in _OPTIONAL.items() if getattr(rules, rule) != 0]
    panel = dyad_years(con, years=(year, year)).with_(*_COVARIATES, *extra)
    frame = panel_rows(panel)
    if frame.empty:
        msg = f"no dyads in {year} in the store"
        raise DataError(msg)
    states = set(frame.ccode1)
    if actors is not None:
        frame = frame[frame.ccode1.isin(actors) & frame.ccode2.isin(actors)]
    sizes = frame.drop_duplicates("ccode1").set_index("ccode1")["cinc1"].rename("size")
    sizes.index.name = "ccode"
    absent = [_name(a, year) for a in actors or [] if a not in states]
    if absent:
        msg = f"{', '.join(absent)}: not a state of the COW system in {year}"
        raise DataError(msg)
    missing = [_name(a, year) for a in actors or [] if pd.isna(sizes.get(a))]
    sizes = sizes.dropna()
    if missing or sizes.empty:
        nmc = DATASETS["cow_nmc"].years
        who = ", ".join(missing) if missing else "any state"
        msg = f"no capability data (CINC) in {year} for {who}; COW NMC covers {_span(nmc)}"
        raise DataError(msg)
    ties = propensities(frame, rules)
    uncovered = panel.uncovered()
    if ties.empty and uncovered:  # not a world at peace: a year the tie data miss
        said = "; ".join(f"{name} covers {_span(years)}" for name, years in uncovered.items())
        msg = f"no signed tie among the states in {year}: {said}"
        raise DataError(msg)
    return sizes, ties


def _span(years: tuple[int, int] | None) -> str:
    return "no known years" if years is None else f"{years[0]}–{years[1]}"


def align_world(
    con: duckdb.DuckDBPyConnection,
    year: int,
    actors: list[ActorRef] | None = None,
    *,
    time_limit: float | None = None,
) -> WorldAlignment:
    """The minimum-energy partition of ``actors`` (any names or codes; default: every
    state of the system) in ``year``, with energies and, for up to 22 actors, every
    local minimum."""
    codes = None if actors is None else list(dict.fromkeys(_cow(a, year) for a in actors))
    if codes is not None and len(codes) < 2:
        msg = f"an alignment needs at least two different states; got {list(actors or [])}"
        raise ParameterError(msg)
    sizes, ties = world_network(con, year, codes)
    names = {c: _name(c, year) for c in sizes.index}
    if len(sizes) <= 22:
        result = landscape(sizes, ties)
        minima = result.local_minima
        return WorldAlignment(
            year=year,
            actors=len(sizes),
            method="enumeration",
            optimal=True,
            energy=result.energy,
            partitions=[_named(p, names) for p in result.partitions],
            blocs={int(str(c)): int(b) for c, b in result.partitions[0].items()},
            local_minima=[
                {
                    "energy": float(row["energy"]),
                    "partition": _named({c: int(row[c]) for c in sizes.index}, names),
                }
                for _, row in minima.iterrows()
            ],
            ties=ties,
        )
    weighted = _energy_weights(sizes, ties)
    solved, energy = _least_energy(weighted, list(sizes.index), time_limit)
    return WorldAlignment(
        year=year,
        actors=len(sizes),
        method=_INTEGER_PROGRAMME,
        optimal=solved.optimal,
        gap=solved.gap,
        energy=energy,
        partitions=[_named(solved.partition, names)],
        blocs={int(c): int(b) for c, b in solved.partition.items()},
        local_minima=[],
        seconds=solved.seconds,
        ties=ties,
    )


def _energy_weights(sizes: pd.Series, ties: pd.DataFrame) -> pd.DataFrame:
    """The ties with their weight in the energy, 2 s_i s_j |p_ij|, among ``sizes``."""
    s = sizes.to_dict()
    weighted = ties.assign(
        weight=[
            2 * s[a] * s[b] * w
            for a, b, w in ties[["source", "target", "weight"]].itertuples(index=False)
        ]
    )
    return weighted[weighted["source"].isin(s) & weighted["target"].isin(s)]


def _least_energy(
    weighted: pd.DataFrame, nodes: list[Any], time_limit: float | None
) -> tuple[Any, float]:
    """The integer programme's best partition of ``nodes`` and its energy (weighted
    frustration − the weight of the negative ties)."""
    scale = float(weighted["weight"].max()) if len(weighted) else 1.0
    graph = SignedGraph.from_edges(
        weighted.assign(weight=weighted["weight"] / scale), weighted=True, nodes=nodes
    )
    solved = frustration_index(graph, method="milp", time_limit=time_limit)
    negative = float(weighted.loc[weighted["sign"] < 0, "weight"].sum())
    return solved, solved.frustration_index * scale - negative


def world_tie_price(
    con: duckdb.DuckDBPyConnection,
    year: int,
    divider: int,
    target: int,
    *,
    time_limit: float | None = None,
) -> float:
    r"""The least rise of the propensity p_DT that puts ``target`` in the bloc of
    ``divider`` in the world's minimum-energy partition of ``year``: the systemic wedge
    price of their tie (Crawford's wedge on Axelrod and Bennett's landscape; see
    :func:`alliances.analysis.alignment.systemic_wedge_price`, which prices every tie of
    a small system by enumeration).

    Raising p_DT by Δ adds 2 s_D s_T Δ to the energy of every partition that separates D
    and T, so with E_apart the least energy of the partitions that separate them and
    E_together that of those that do not,

    .. math::

        \Delta_{DT} = \frac{E_{\text{together}} - E_{\text{apart}}}{2 s_D s_T},

    0 when the least-energy partition already has T beside D. E_together is the least
    energy of the system with D and T bound by a tie heavier than all others together
    (so no partition that separates them can be least), less that tie. Both are
    solved by the integer programme of :mod:`alliances.analysis.balance`.
    COW codes; NaN if either state has no capability data in ``year``.
    """
    sizes, ties = world_network(con, year)
    if divider not in sizes.index or target not in sizes.index:
        return float("nan")
    weighted = _energy_weights(sizes, ties)
    nodes = list(sizes.index)
    solved, energy = _least_energy(weighted, nodes, time_limit)
    if solved.partition[divider] == solved.partition[target]:
        return 0.0
    pair = {divider, target}
    own = weighted["source"].isin(pair) & weighted["target"].isin(pair)
    # The pair's own tie counts the same in any partition that keeps them together
    # (frustrated if negative, and then also in the constant), so it can be replaced.
    heavy = 1.0 + 2.0 * float(weighted["weight"].sum())
    bound = pd.DataFrame([{"source": divider, "target": target, "sign": 1, "weight": heavy}])
    kept = weighted.loc[~own, ["source", "target", "sign", "weight"]]
    _, together = _least_energy(pd.concat([kept, bound], ignore_index=True), nodes, time_limit)
    s = sizes.to_dict()
    return (together - energy) / (2 * s[divider] * s[target])


def _cow(actor: ActorRef, year: int) -> int:
    code = countries.cow_in(actor, year)
    if code is None:
        msg = f"{countries.resolve(actor).name} has no COW code in {year}"
        raise DataError(msg)
    return code


def _name(code: int, year: int) -> str:
    """The state's name in that year (COW 345 is Serbia in 2014), or its code if unknown."""
    try:
        return countries.name_in(int(code), year)
    except UnknownCountryError:
        return str(code)


def _named(partition: dict[Any, int], names: dict[Any, str]) -> dict[str, int]:
    return {names[k]: int(v) for k, v in partition.items()}


def wwii_placement(partition: Mapping[object, int]) -> int:
    """How many of Axelrod and Bennett's 17 states a partition puts on their WWII side
    (the better of the two ways of naming the blocs)."""
    same = sum(partition.get(c) == side for c, side in WWII_SIDES.items())
    return int(max(same, len(WWII_SIDES) - same))


def align_scenario(scenario: Scenario) -> ScenarioAlignment:
    """The landscape of a scenario's actors (by its bonds) and the systemic wedge price of
    its question: for each tie, the change that moves the target into the divider's
    bloc, with the partition before and after for the cheapest."""
    sizes, ties = scenario_network(scenario)
    if len(sizes) > 22:
        msg = f"scenario alignment enumerates up to 22 actors; {scenario.id} has {len(sizes)}"
        raise DataError(msg)
    result = landscape(sizes, ties)
    q = scenario.question
    prices = pd.DataFrame()
    if q.divider in sizes.index and q.target in sizes.index:
        prices = systemic_wedge_price(sizes, ties, q.divider, q.target)
    before = after = None
    if not prices.empty:
        best = prices.iloc[0]
        before, after = wedge_partitions(sizes, ties, best["i"], best["j"], float(best["delta"]))
    return ScenarioAlignment(
        scenario=scenario.id,
        actors=len(sizes),
        method="enumeration",
        optimal=True,
        energy=result.energy,
        partitions=result.partitions,
        local_minima=[
            {"energy": float(row["energy"]), "partition": {a: int(row[a]) for a in sizes.index}}
            for _, row in result.local_minima.iterrows()
        ],
        divider=q.divider,
        target=q.target,
        wedge_price=prices,
        ties=ties,
        wedge_before=before,
        wedge_after=after,
    )
