"""Draft a wedge scenario from the world data, by the rules of ``docs/drafting.md``.

:func:`draft` turns three actors and a year into a complete, valid scenario: the
target–partner bonds from trade, arms and alliances, the target's other costs, the
partner's counter-bid, the divider's stake and instruments. Every number either carries
a ``derive:`` record (dataset, version, SHA-256, years, query, rule) or an
``assumption:`` that starts with the id of the rule it follows; where the data have
nothing, the draft falls back to the rule's default, widens the prior and says so in
:attr:`Draft.warnings`. :func:`draft_many` drafts many triads of one year from one read
of the store.

The rules were fixed (committed) before the catalogue of wedge attempts that the backtest
scores them on; see ``docs/drafting.md`` for each rule and the paper it rests on. With
``rules=2`` a draft follows ``docs/drafting-v2.md`` instead (means from GDP, stakes from
the measured ties; :mod:`alliances.studies.drafting_v2`); the default, ``rules=1``, gives
the v1 drafts unchanged.

Examples
--------
>>> from alliances.studies.drafting import draft  # doctest: +SKIP
>>> d = draft("United States", "Russia", "Iran", 2016, store="world.duckdb")  # doctest: +SKIP
>>> d.scenario.question.divider, d.scenario.year  # doctest: +SKIP
('USA', 2016)
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import duckdb
import pandas as pd

from alliances import countries
from alliances.errors import AlliancesError, DataError
from alliances.scenario.io import dump_yaml
from alliances.scenario.model import Scenario
from alliances.studies import drafting_v2
from alliances.world import queries
from alliances.world.connection import connect, table_names
from alliances.world.registry import DATASETS

__all__ = ["Actor", "Draft", "draft", "draft_many", "resolve_actor"]

Goal = Literal["neutral", "realign"]
Rules = Literal[1, 2]

POUND_IN_USD = 4.87
"""US dollars per pound sterling at the gold-standard parity (rule A3; NMC's military
expenditure is in pounds before 1914)."""

OBLIGATION_SHARE = {
    "defense": 0.25,
    "offense": 0.10,
    "neutral": 0.05,
    "nonagg": 0.05,
    "consul": 0.05,
}
"""Rule B5: the share ``a`` of min(M_T, M_P) an ATOP obligation of each kind is worth."""


# --- actors -------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """A side of a draft: one state, or a coalition or organisation of several.

    ``id`` is the scenario's actor id, ``codes`` the COW codes of the members, and
    ``source`` where the membership comes from (None for a single state).
    """

    id: str
    name: str
    codes: tuple[int, ...]
    states: tuple[str, ...] = ()
    source: str | None = None
    organisation: bool = False

    @property
    def is_group(self) -> bool:
        return len(self.codes) > 1 or self.source is not None


def resolve_actor(
    ref: str | int | Sequence[str | int] | Mapping[str, Any],
    year: int,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    label: str = "actor",
) -> Actor:
    """The :class:`Actor` that ``ref`` names in ``year``: a state (any name, ISO or COW
    code), a list of states (a coalition), or ``{"organisation": ID}`` / ``"org:ID"``
    for an organisation of the membership table (members from COW IGO where it is a COW
    IGO and the store covers the year, rule A1)."""
    if isinstance(ref, Mapping):
        return _organisation(str(ref.get("organisation", "")), year, con)
    if isinstance(ref, str) and ref.lower().startswith("org:"):
        return _organisation(ref[4:], year, con)
    if isinstance(ref, str) and "+" in ref:
        ref = [part.strip() for part in ref.split("+")]
    if isinstance(ref, str | int):
        country = _state(ref, label)
        return Actor(country.code, country.name, (int(country.cow or 0),), (country.code,))
    members = [_state(r, label) for r in ref]
    if len(members) == 1:
        return resolve_actor(members[0].code, year, con=con, label=label)
    ident = "+".join(m.code for m in members)
    return Actor(
        ident,
        " and ".join(m.name for m in members),
        tuple(int(m.cow or 0) for m in members),
        tuple(m.code for m in members),
        "coalition named by the user",
    )


def _state(ref: str | int, label: str) -> countries.Country:
    try:
        country = countries.resolve(ref)
    except (AlliancesError, ValueError, TypeError) as error:
        msg = f"{label}: {error}"
        raise DataError(msg) from None
    if country.cow is None:
        msg = f"{label}: {country.name} has no COW code, so the world data cannot describe it"
        raise DataError(msg)
    return country


def _organisation(ident: str, year: int, con: duckdb.DuckDBPyConnection | None) -> Actor:
    from alliances.world.organisations import load_organisations

    table = load_organisations()
    ident = {key.lower(): key for key in table}.get(ident.lower(), ident)
    if ident not in table:
        msg = f"unknown organisation {ident!r}; expected one of: {', '.join(sorted(table))}"
        raise DataError(msg)
    org = table[ident]
    codes: list[int] = []
    source = f"membership table of alliances ({org.id})"
    igo = getattr(org, "cow_igo", None)
    if igo and con is not None and "igo_membership" in table_names(con):
        covered = DATASETS["igo_membership"].years
        if covered and covered[0] <= year <= covered[1]:
            codes = queries.igo_members(con, igo, year)
            source = f"COW IGO v3 (igo_membership), full members of {igo} in {year}"
    if not codes:
        codes = list(org.members_in(year))
    if not codes:
        msg = f"organisation {ident!r} has no members in {year}"
        raise DataError(msg)
    states = tuple(countries.resolve(c).code for c in codes)
    return Actor(ident, org.name, tuple(codes), states, source, organisation=True)


# --- the world in one window --------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    years: tuple[int, int]
    stale: bool


def _window(name: str, year: int, length: int = 5) -> _Window | None:
    """Rule A2: the years of ``name`` a draft for ``year`` reads, or None."""
    covered = DATASETS[name].years
    if covered is None:
        return _Window((year - length + 1, year), False)
    first, last = max(year - length + 1, covered[0]), min(year, covered[1])
    if first <= last:
        return _Window((first, last), False)
    if covered[1] < year and year - covered[1] <= 10:
        return _Window((max(covered[0], covered[1] - length + 1), covered[1]), True)
    return None


def _memoised(method: Callable[..., Any]) -> Callable[..., Any]:
    """Keep a :class:`_World` method's answers by its arguments: a year's triads share
    their targets, partners and dividers, and the frames do not change once read."""

    @functools.wraps(method)
    def answer(self: _World, *args: Any) -> Any:
        key = (method.__name__, tuple(tuple(a) if isinstance(a, list) else a for a in args))
        if key not in self.memo:
            self.memo[key] = method(self, *args)
        return self.memo[key]

    return answer


class _World:
    """The rows of every dataset a draft reads, for one year and a set of states.

    Its measures are memoised (:func:`_memoised`), so that each is computed once per
    state or pair however many triads of the year read it; callers must not change the
    frames a measure returns.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, year: int, codes: Iterable[int]):
        self.year = year
        self.con = con
        present = table_names(con)
        codes = sorted({int(c) for c in codes})
        self.windows: dict[str, _Window] = {}
        self.frames: dict[str, pd.DataFrame] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.memo: dict[tuple[str, tuple[Any, ...]], Any] = {}
        for name in queries.DRAFT_TABLES:
            if name not in present:
                continue
            window = _window(name, year, 10 if name == "cow_war_inter" else 5)
            if window is None:
                continue
            self.windows[name] = window
            self.frames[name] = queries.draft_rows(con, name, window.years, codes)
            self.records[name] = queries.dataset_record(con, name) or {}

    def has(self, name: str) -> bool:
        return name in self.frames

    def record(self, name: str, query: str, rule: str) -> dict[str, Any]:
        rec = self.records.get(name, {})
        return {
            "dataset": name,
            "version": rec.get("version"),
            "sha256": rec.get("sha256"),
            "years": list(self.windows[name].years),
            "query": query,
            "rule": rule,
        }

    def source(self, name: str) -> str:
        rec = self.records.get(name, {})
        first, last = self.windows[name].years
        return f"{rec.get('title', name)} {rec.get('version', '')} ({name}), {first}-{last}"

    def spread(self, name: str) -> float:
        return 0.4 if self.windows[name].stale else 0.2

    # ----- state-year measures
    @_memoised
    def milex(self, codes: Sequence[int]) -> float | None:
        """Rule A3: yearly mean military expenditure of ``codes`` summed, USD m."""
        if not self.has("cow_nmc"):
            return None
        frame = self.frames["cow_nmc"]
        total, seen = 0.0, False
        for code in codes:
            rows = frame[frame["ccode"] == code]
            if rows.empty:
                continue
            usd = rows["milex"].astype(float) * rows["year"].map(
                lambda y: POUND_IN_USD if y < 1914 else 1.0
            )
            total += float(usd.mean()) / 1000.0
            seen = True
        return total if seen else None

    @_memoised
    def mean_of(self, name: str, column: str, codes: Sequence[int]) -> float | None:
        if not self.has(name):
            return None
        frame = self.frames[name]
        values = frame.loc[frame["ccode"].isin(codes), column].dropna()
        return float(values.mean()) if len(values) else None

    # ----- dyadic flows
    @_memoised
    def trade(self, t: int) -> pd.DataFrame | None:
        """T's yearly mean exports to and imports from each partner (USD m)."""
        if not self.has("cow_trade_ndy"):
            return None
        f = self.frames["cow_trade_ndy"]
        a = f[f["ccode1"] == t].rename(columns={"ccode2": "partner"})
        b = f[f["ccode2"] == t].rename(columns={"ccode1": "partner"})
        rows = pd.concat(
            [
                pd.DataFrame(
                    {
                        "partner": a["partner"],
                        "year": a["year"],
                        "imports": a["flow1"],
                        "exports": a["flow2"],
                    }
                ),
                pd.DataFrame(
                    {
                        "partner": b["partner"],
                        "year": b["year"],
                        "imports": b["flow2"],
                        "exports": b["flow1"],
                    }
                ),
            ]
        )
        # COW writes a missing flow as a negative number: each flow is masked on its own.
        flows = rows[["imports", "exports"]].astype(float)
        rows[["imports", "exports"]] = flows.where(flows >= 0)
        rows = rows.dropna(subset=["imports", "exports"], how="all")
        if rows.empty:
            return None
        years = rows["year"].nunique()
        return rows.groupby("partner")[["imports", "exports"]].sum(min_count=1).fillna(0.0) / years

    @_memoised
    def arms(self, t: int) -> tuple[pd.Series, pd.Series] | None:
        """T's yearly mean TIV bought from and sold to each partner (rule C2)."""
        if not self.has("sipri_tiv"):
            return None
        f = self.frames["sipri_tiv"]
        first, last = self.windows["sipri_tiv"].years
        years = last - first + 1
        bought = f[f["recipient"] == t].groupby("supplier")["tiv"].sum() / years
        sold = f[f["supplier"] == t].groupby("recipient")["tiv"].sum() / years
        return bought, sold

    @_memoised
    def obligation(self, a: Sequence[int], b: Sequence[int]) -> str | None:
        """The strongest ATOP obligation of a state of ``a`` to one of ``b`` in the last
        covered year of the window (rule B5)."""
        if not self.has("atop_alliance"):
            return None
        f = self.frames["atop_alliance"]
        f = f[f["ccode1"].isin(a) & f["ccode2"].isin(b)]
        if f.empty:
            return None
        last = f[f["year"] == self.windows["atop_alliance"].years[1]]
        best = None
        for kind, share in OBLIGATION_SHARE.items():
            if (last[f"atop_{kind}"] > 0).any() and (
                best is None or share > OBLIGATION_SHARE[best]
            ):
                best = kind
        return best

    def pair(self, name: str, a: Sequence[int], b: Sequence[int]) -> bool | None:
        """Whether a dyadic table has a row for a state of ``a`` with one of ``b``."""
        if not self.has(name):
            return None
        pairs = self._pairs(name)
        return any((x, y) in pairs or (y, x) in pairs for x in a for y in b)

    @_memoised
    def _pairs(self, name: str) -> set[tuple[int, int]]:
        f = self.frames[name]
        return set(zip(f["ccode1"].astype(int), f["ccode2"].astype(int), strict=True))

    @_memoised
    def affinity(self, t: int, others: Sequence[int]) -> float | None:
        """Rule B6: mean over ``others`` of 1 − min(1, |x_T − x_j| / 3) (UN ideal points)."""
        if not self.has("unga_idealpoints"):
            return None
        f = self.frames["unga_idealpoints"].groupby("ccode")["idealpoint"].mean()
        if t not in f.index:
            return None
        values = [1 - min(1.0, abs(float(f[t]) - float(f[j])) / 3) for j in others if j in f.index]
        return sum(values) / len(values) if values else None

    @_memoised
    def igo_share(self, t: int, others: Sequence[int]) -> float | None:
        """Rule B6: the mean share of T's IGOs that T shares with each of ``others``."""
        if not (self.has("cow_igo_ndy") and self.has("cow_igo_sy")):
            return None
        own = self.mean_of("cow_igo_sy", "igos", [t])
        if not own:
            return None
        f = self.frames["cow_igo_ndy"]
        values = []
        for j in others:
            rows = f[
                ((f["ccode1"] == t) & (f["ccode2"] == j))
                | ((f["ccode1"] == j) & (f["ccode2"] == t))
            ]
            if len(rows):
                values.append(min(1.0, float(rows["dyadigos"].mean()) / own))
        return sum(values) / len(values) if values else None


# --- quantities ---------------------------------------------------------------------


def _tri(
    low: float, mode: float, high: float, unit: str | None = None, **why: Any
) -> dict[str, Any]:
    q: dict[str, Any] = {"dist": "triangular", "low": _r(low), "mode": _r(mode), "high": _r(high)}
    if unit:
        q["unit"] = unit
    return {**q, **{k: v for k, v in why.items() if v}}


def _share(low: float, mode: float, high: float, **why: Any) -> dict[str, Any]:
    low, high = max(0.0, low), min(1.0, high)
    mode = min(max(mode, low), high)
    return _tri(low, mode, high, **why)


def _lognormal(median: float, ratio: float, unit: str, **why: Any) -> dict[str, Any]:
    q = {"dist": "lognormal", "median": _r(median), "p90": _r(median * ratio), "unit": unit}
    return {**q, **{k: v for k, v in why.items() if v}}


def _r(x: float) -> float:
    """Round to 6 significant digits (a draft is read by people)."""
    if x == 0 or not math.isfinite(x):
        return float(x)
    return float(f"{x:.6g}")


def _around(x: float, spread: float, unit: str, **why: Any) -> dict[str, Any]:
    """Rule A4: a yearly mean x from the data as (1 − spread, 1, 1 + spread) · x."""
    return _tri(x * (1 - spread), x, x * (1 + spread), unit, **why)


def _hhi(values: pd.Series) -> float | None:
    total = float(values.sum())
    if total <= 0:
        return None
    shares = values / total
    return float((shares**2).sum())


def _substitutability(values: pd.Series | None, what: str) -> dict[str, Any]:
    hhi = None if values is None else _hhi(values)
    if hhi is None:
        return _share(
            0.1, 0.4, 0.7, assumption=f"H1: no breakdown of the target's {what}; default"
        )
    m = 1 - hhi
    return _share(
        m - 0.2,
        m,
        m + 0.2,
        assumption=f"H1 (Hirschman): 1 - HHI of the target's {what} over its partners = {m:.3f}",
    )


# --- the flow bonds (rules B1-B4) ---------------------------------------------------


@dataclass(frozen=True)
class _Flow:
    """One of T's flows with P that rules B1-B4 turn into a bond."""

    rule: str
    dataset: str
    id: str
    kind: str
    what: str  # "exports", "arms bought" ...
    outward: bool  # from T to P
    margin: tuple[float, float, float]
    loss: tuple[float, float, float]
    years: tuple[float, float, float]
    partner_margin: float  # P's surplus share of the same flow (rule P1)
    partners: str  # what H1's concentration is over
    assumption: str | None = None


_C2 = "C2: one TIV million read as one USD million"
_FLOWS = (
    _Flow("B1", "cow_trade_ndy", "trade-exports", "economic", "exports", True,
          (0.05, 0.10, 0.20), (0.1, 0.3, 0.6), (1, 2, 4), 0.05, "exports"),
    _Flow("B2", "cow_trade_ndy", "trade-imports", "economic", "imports", False,
          (0.02, 0.05, 0.10), (0.1, 0.3, 0.6), (1, 2, 4), 0.10, "imports"),
    _Flow("B3", "sipri_tiv", "arms-bought", "military", "arms bought", False,
          (0.10, 0.20, 0.40), (0.5, 0.8, 1.0), (2, 4, 8), 0.25, "arms suppliers", _C2),
    _Flow("B4", "sipri_tiv", "arms-sold", "military", "arms sold", True,
          (0.15, 0.25, 0.40), (0.5, 0.8, 1.0), (1, 2, 4), 0.20, "arms customers", _C2),
)  # fmt: skip


def _flow_bond(
    world: _World, flow: _Flow, t: Actor, p: Actor, x: float, by_partner: pd.Series
) -> dict[str, Any]:
    """The bond of T's yearly mean flow ``x`` with P, by ``flow``'s rule."""
    to_from = "to" if flow.outward else "from"
    source = world.source(flow.dataset)
    rec = world.record(
        flow.dataset, f"mean yearly {flow.what} of {t.id} {to_from} {p.id}", flow.rule
    )
    revenue = _around(
        x, world.spread(flow.dataset), "USD m/yr", source=source, derive=[rec],
        assumption=flow.assumption,
    )  # fmt: skip
    return {
        "id": flow.id,
        "kind": flow.kind,
        "between": [t.id, p.id],
        "direction": f"{t.id}->{p.id}" if flow.outward else f"{p.id}->{t.id}",
        "description": f"{t.name}'s {flow.what} {to_from} {p.name} ({flow.dataset}).",
        "source": source,
        "sides": {
            t.id: {
                "revenue": revenue,
                "margin": _share(
                    *flow.margin, assumption=f"{flow.rule}: surplus share of the {flow.what}"
                ),
                "loss": _share(
                    *flow.loss,
                    assumption=f"{flow.rule}: share of the {flow.what} lost on defection",
                ),
                "substitutability": _substitutability(by_partner, flow.partners),
                "adjustment_years": _tri(
                    *flow.years,
                    "years",
                    assumption=f"{flow.rule}: years to replace the {flow.what}",
                ),
            }
        },
    }


# --- the draft ----------------------------------------------------------------------


@dataclass
class Draft:
    """A drafted scenario, the data features of its triad and what the data lacked.

    ``features`` are the inputs of the backtest's logistic baseline (docs/drafting.md,
    "Features"): ``allied_TP``, ``trade_share_TP``, ``log_means_DP``, ``rival_DT``,
    ``affinity_gap`` (None where the data have nothing). ``rules`` is the version of
    the drafting rules it follows (1: docs/drafting.md, 2: docs/drafting-v2.md).
    """

    scenario: Scenario
    features: dict[str, float | None]
    warnings: list[str] = field(default_factory=list)
    rules: int = 1

    def to_yaml(self) -> str:
        """The scenario as YAML, with the warnings as a comment at the top."""
        head = "".join(f"# warning: {w}\n" for w in self.warnings)
        return head + dump_yaml(self.scenario)


def draft(
    divider: Any,
    target: Any,
    partner: Any,
    year: int,
    *,
    goal: Goal = "neutral",
    prevent: bool = False,
    instruments: Sequence[Mapping[str, Any]] | None = None,
    offer: float | None = None,
    store: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None = None,
    scenario_id: str | None = None,
    rules: Rules = 1,
) -> Draft:
    """Draft the scenario of ``divider`` pulling ``target`` away from ``partner`` in
    ``year``, from the store's data of ``year`` and the four years before (rule A2).

    ``divider`` and ``partner`` may be a state, a list of states or
    ``{"organisation": ID}``; ``instruments`` are ``{"type": "reward" | "coercion",
    "description": ..., "value": quantity}`` (rules I1–I3; default: one reward package);
    ``offer`` (USD) sets the face value of a reward without one. ``prevent`` prices a
    prospective alignment (rule B5). ``store`` is a connection, a path or None for the
    default store. ``rules`` is the version of the drafting rules: 1 (docs/drafting.md,
    the default) or 2 (docs/drafting-v2.md: means from GDP, stakes from measured ties).
    """
    _check_rules(rules)
    con = store if isinstance(store, duckdb.DuckDBPyConnection) else connect(store)
    try:
        return draft_many(
            [(divider, target, partner)],
            year,
            con=con,
            goal=goal,
            prevent=prevent,
            instruments=[instruments],
            offer=offer,
            scenario_ids=[scenario_id],
            rules=rules,
        )[0]
    finally:
        if con is not store:  # opened here
            con.close()


def draft_many(
    triads: Sequence[tuple[Any, Any, Any]],
    year: int,
    *,
    con: duckdb.DuckDBPyConnection,
    goal: Goal = "neutral",
    prevent: bool | Sequence[bool] = False,
    instruments: Sequence[Sequence[Mapping[str, Any]] | None] | None = None,
    offer: float | None = None,
    scenario_ids: Sequence[str | None] | None = None,
    errors: Literal["raise", "return"] = "raise",
    rules: Rules = 1,
) -> list[Any]:
    """Draft many (divider, target, partner) triads of one year from one read of the
    store: see :func:`draft` for the arguments.

    Returns one :class:`Draft` per triad, in order. With ``errors="return"``, a triad the
    data cannot draft (a :class:`~alliances.errors.DataError`, such as a state without
    military expenditure) gives its error in its place instead of stopping the rest.
    ``rules`` (1 or 2) is the version of the drafting rules for every triad.
    """
    _check_rules(rules)
    sides: list[tuple[Actor, Actor, Actor] | DataError] = []
    for triad in triads:
        try:
            d, t, p = (
                resolve_actor(ref, year, con=con, label=label)
                for ref, label in zip(triad, ("divider", "target", "partner"), strict=True)
            )
            sides.append((d, t, p))
        except DataError as error:
            if errors == "raise":
                raise
            sides.append(error)
    trios = [trio for trio in sides if not isinstance(trio, DataError)]
    codes = {c for trio in trios for actor in trio for c in actor.codes}
    world = _World(con, year, codes)
    # Hirschman indices need the target's trade and arms with every partner.
    extra = {c for trio in trios for c in trio[1].codes}
    if extra:
        world.frames.update(_all_partners(con, world, extra))
    if rules == 2:
        _read_gdp(con, world, codes)
    out: list[Any] = []
    for k, trio in enumerate(sides):
        try:
            if isinstance(trio, DataError):
                raise trio
            out.append(
                _draft_one(
                    world,
                    *trio,
                    goal=goal,
                    prevent=prevent if isinstance(prevent, bool) else prevent[k],
                    instruments=instruments[k] if instruments else None,
                    offer=offer,
                    scenario_id=scenario_ids[k] if scenario_ids else None,
                    rules=rules,
                )
            )
        except DataError as error:
            if errors == "raise":
                raise
            out.append(error)
    return out


def _check_rules(rules: Any) -> None:
    if rules not in drafting_v2.RULES or isinstance(rules, bool):
        msg = f"rules: expected 1 or 2, got {rules!r}"
        raise ValueError(msg)


def _read_gdp(con: duckdb.DuckDBPyConnection, world: _World, codes: Iterable[int]) -> None:
    """Rule A3′ (v2): add the window's GDP rows of ``codes`` to ``world`` (rule A2's
    window, stale reading included), where the store has ``cw_gdppop``."""
    name = "cw_gdppop"
    window = _window(name, world.year)
    if window is None or name not in table_names(con):
        return
    world.windows[name] = window
    world.frames[name] = drafting_v2.gdp_rows(con, window.years, sorted({int(c) for c in codes}))
    world.records[name] = queries.dataset_record(con, name) or {}


def _without(actor: Actor, code: int) -> Actor:
    if not actor.organisation or code not in actor.codes or len(actor.codes) < 2:
        return actor
    keep = [(c, s) for c, s in zip(actor.codes, actor.states, strict=True) if c != code]
    return replace(actor, codes=tuple(c for c, _ in keep), states=tuple(s for _, s in keep))


def _all_partners(
    con: duckdb.DuckDBPyConnection, world: _World, targets: set[int]
) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    for name in ("cow_trade_ndy", "sipri_tiv"):
        if name in world.windows:
            frames[name] = queries.draft_rows(
                con, name, world.windows[name].years, sorted(targets)
            )
    return frames


def _draft_one(
    world: _World,
    d: Actor,
    t: Actor,
    p: Actor,
    *,
    goal: Goal,
    prevent: bool,
    instruments: Sequence[Mapping[str, Any]] | None,
    offer: float | None,
    scenario_id: str | None,
    rules: int = 1,
) -> Draft:
    if len(t.codes) != 1:
        msg = f"target: {t.name} is a group; the target of a wedge is one state"
        raise DataError(msg)
    # An organisation the target belongs to is read as its other members.
    d, p = _without(d, t.codes[0]), _without(p, t.codes[0])
    if set(t.codes) & (set(d.codes) | set(p.codes)):
        msg = f"the target {t.name} is also a member of the divider or the partner"
        raise DataError(msg)
    year = world.year
    warnings: list[str] = []
    tc = t.codes[0]

    def lacking(name: str, what: str) -> None:
        covered = DATASETS[name].years
        span = f" (it covers {covered[0]}-{covered[1]})" if covered else ""
        if name not in world.windows:
            warnings.append(f"{what}: no {name} data for {year}{span}; the rule's default is used")
        elif world.windows[name].years[1] < year and not world.windows[name].stale:
            last = world.windows[name].years[1]
            warnings.append(f"{what}: {name} ends in {last}; the window is read to {last} only")
        elif world.windows[name].stale:
            first, last = world.windows[name].years
            doubled = "; spread doubled" if name in ("cow_trade_ndy", "sipri_tiv") else ""
            warnings.append(f"{what}: {name} read over {first}-{last}, before the window{doubled}")

    m = {}
    for role, actor in (("D", d), ("T", t), ("P", p)):
        value = world.milex(actor.codes)
        if value is None or value <= 0:
            msg = (
                f"no military expenditure (COW NMC) for {actor.name} in {year - 4}-{year}: "
                "the draft has no measure of its means (rule A3)"
            )
            raise DataError(msg)
        m[role] = value
    lacking("cow_nmc", "military expenditure")
    nmc = world.record(
        "cow_nmc", "mean yearly milex, thousands of current USD (pounds before 1914) / 1000", "A3"
    )
    sizes = (
        drafting_v2.sizes(world, {"D": d, "T": t, "P": p}, warnings, lacking)
        if rules == 2
        else None
    )

    bonds: list[dict[str, Any]] = []
    surplus_t = 0.0  # one year of T's bond surplus at the modes (rule R1)
    surplus_p = 0.0  # one year of P's (rule P1)
    flows_p = 0.0  # the flow bonds' part of it (rule P1′)
    features: dict[str, float | None] = {}

    # B1-B4: trade and arms, T's flows with P
    trade = world.trade(tc)
    lacking("cow_trade_ndy", "trade")
    if trade is not None:
        with_p = trade.reindex(list(p.codes)).fillna(0.0).sum()
        total = float(trade["exports"].sum() + trade["imports"].sum())
        features["trade_share_TP"] = (float(with_p.sum()) / total) if total > 0 else None
    else:
        features["trade_share_TP"] = None
    arms = world.arms(tc)
    lacking("sipri_tiv", "arms transfers")
    by_partner = {
        "B1": None if trade is None else trade["exports"],
        "B2": None if trade is None else trade["imports"],
        "B3": None if arms is None else arms[0],
        "B4": None if arms is None else arms[1],
    }
    for flow in _FLOWS:
        series = by_partner[flow.rule]
        x = 0.0 if series is None else float(series.reindex(list(p.codes)).fillna(0.0).sum())
        if x > 0:
            assert series is not None
            bonds.append(_flow_bond(world, flow, t, p, x, series))
            surplus_t += x * flow.margin[1]
            surplus_p += x * flow.partner_margin
            flows_p += x * flow.partner_margin

    # B5: alliance
    kind = "defense" if prevent else world.obligation(t.codes, p.codes)
    lacking("atop_alliance", "alliances")
    features["allied_TP"] = (
        None
        if not world.has("atop_alliance")
        else float(world.obligation(t.codes, p.codes) is not None)
    )
    base = min(m["T"], m["P"])
    if kind is not None:
        a = OBLIGATION_SHARE[kind]
        how = (
            "prospective defence pact the target would gain by joining the partner"
            if prevent
            else f"ATOP {kind} obligation of {t.id} to {p.id}"
        )
        derive = ([nmc] if sizes is None else sizes.derive("T", "P")) + (
            []
            if prevent
            else [
                world.record(
                    "atop_alliance",
                    f"strongest obligation of {t.id} to {p.id} in the last year",
                    "B5" if sizes is None else "B5′",
                )
            ]
        )
        if sizes is None:
            value = _tri(
                base * a / 2,
                base * a,
                base * a * 2,
                "USD m/yr",
                derive=derive,
                assumption=f"B5 (Snyder): {a} x min(milex T, P) = {a} x {base:.6g}",
            )
            yearly = base * a
        else:
            value = drafting_v2.alliance_value(a, kind, sizes.g("T"), sizes.g("P"), derive=derive)
            yearly = value["mode"]
        bonds.append(
            {
                "id": "alliance",
                "kind": "military",
                "between": [t.id, p.id],
                "description": f"The {how}.",
                "source": (world.source("cow_nmc") if sizes is None else sizes.source)
                + ("" if prevent else "; " + world.source("atop_alliance")),
                "sides": {
                    t.id: {
                        "value": value,
                        "loss": _share(
                            0.7,
                            0.9,
                            1.0,
                            assumption="B5: share of the pact's value lost on defection",
                        ),
                        "substitutability": _share(
                            0.0,
                            0.2,
                            0.5,
                            assumption="B5: share of the security the target can find elsewhere",
                        ),
                        "adjustment_years": _tri(
                            2, 5, 10, "years", assumption="B5: years to replace an ally"
                        ),
                    }
                },
            }
        )
        surplus_t += yearly
        surplus_p += yearly

    # B6: political affinity
    parts = [
        v for v in (world.igo_share(tc, p.codes), world.affinity(tc, p.codes)) if v is not None
    ]
    if parts and sum(parts) > 0:
        affinity = sum(parts) / len(parts)
        derive = ([nmc] if sizes is None else sizes.derive("T")) + [
            world.record(n, q, "B6" if sizes is None else "B6′")
            for n, q in (
                ("cow_igo_ndy", f"share of {t.id}'s IGOs shared with {p.id}"),
                ("unga_idealpoints", f"UN affinity 1 - min(1, |ideal point {t.id} - {p.id}| / 3)"),
            )
            if world.has(n)
        ]
        v = m["T"] * affinity
        if sizes is None:
            value = _tri(
                0.005 * v,
                0.02 * v,
                0.05 * v,
                "USD m/yr",
                derive=derive,
                assumption=f"B6: (0.005, 0.02, 0.05) x milex T x {affinity:.3f}",
            )
            yearly = 0.02 * v
        else:
            value = drafting_v2.political_value(sizes.g("T"), affinity, derive=derive)
            yearly = value["mode"]
        bonds.append(
            {
                "id": "political-affinity",
                "kind": "political",
                "between": [t.id, p.id],
                "description": f"Shared organisations and UN votes of {t.name} and {p.name}.",
                "source": "; ".join(world.source(r["dataset"]) for r in derive),
                "sides": {
                    t.id: {
                        "value": value,
                        "loss": _share(
                            0.5,
                            0.8,
                            1.0,
                            assumption="B6: share of the political tie lost on defection",
                        ),
                    }
                },
            }
        )
        surplus_t += yearly
    else:
        warnings.append(
            "political affinity: no IGO or UN data for the pair; no political bond (rule B6)"
        )

    # features of the logistic baseline
    features["log_means_DP"] = math.log(m["D"] / m["P"])
    rival_dt = world.pair("tss_rivalries", d.codes, t.codes)
    features["rival_DT"] = None if rival_dt is None else float(rival_dt)
    aff_dt, aff_pt = world.affinity(tc, d.codes), world.affinity(tc, p.codes)
    features["affinity_gap"] = None if aff_dt is None or aff_pt is None else aff_dt - aff_pt

    # record of the divider with the target and the partner
    r_dt, r_dp = bool(rival_dt), bool(world.pair("tss_rivalries", d.codes, p.codes))
    d_dt = bool(world.pair("cow_mid_ddydisps", d.codes, t.codes))
    d_dp = bool(world.pair("cow_mid_ddydisps", d.codes, p.codes))
    w_dt = bool(world.pair("cow_war_inter", d.codes, t.codes))
    a_dt = (
        world.obligation(d.codes, t.codes) is not None
        or world.obligation(t.codes, d.codes) is not None
    )
    contiguous = bool(world.pair("cow_contdir", t.codes, p.codes))
    for name, what in (
        ("cow_igo_ndy", "shared IGOs"),
        ("unga_idealpoints", "UN ideal points"),
        ("cw_democracy", "democracy scores"),
        ("tss_rivalries", "rivalries"),
        ("cow_mid_ddydisps", "disputes"),
        ("cow_war_inter", "wars"),
        ("cow_contdir", "contiguity"),
    ):
        lacking(name, what)
    record = (
        f"rivals D-T {int(r_dt)}, D-P {int(r_dp)}; disputes D-T {int(d_dt)}, D-P {int(d_dp)}; "
        f"war D-T {int(w_dt)}; allied D-T {int(a_dt)}; T-P contiguous {int(contiguous)}"
    )
    record_derive = [
        world.record(n, "pairs of the three actors", "W1-I3")
        for n in (
            "tss_rivalries",
            "cow_mid_ddydisps",
            "cow_war_inter",
            "atop_alliance",
            "cow_contdir",
        )
        if world.has(n)
    ]

    polyarchy = world.mean_of("cw_democracy", "v2x_polyarchy", t.codes)
    if polyarchy is None:
        warnings.append(
            "reputation: no V-Dem polyarchy for the target; audience factor 1 (rule R1)"
        )
        polyarchy = 0.0
    rep = surplus_t * (1 + polyarchy) if surplus_t > 0 else 0.01 * m["T"]
    ret = 0.05 * m["P"] * (1.0 if contiguous else 0.5)
    target_costs: dict[str, Any] = {
        "reputation": _lognormal(
            rep,
            4,
            "USD m",
            derive=[nmc],
            assumption=f"R1 (Snyder; Fearon): bond surplus x (1 + polyarchy {polyarchy:.2f})",
        ),
        "partner_retaliation": _lognormal(
            ret,
            4,
            "USD m",
            derive=[nmc],
            assumption=f"R2: 0.05 x milex P{'' if contiguous else ' x 0.5 (not contiguous)'}",
        ),
    }
    if goal == "realign":
        target_costs["demand"] = _lognormal(
            0.02 * m["T"], 4, "USD m", derive=[nmc], assumption="K1: 0.02 x milex T"
        )
    if sizes is not None:  # rules v2: R1's fallback, R2′, K1′
        g_t, g_p, on_t = sizes.g("T"), sizes.g("P"), sizes.derive("T")
        target_costs["reputation"] = (
            {
                **target_costs["reputation"],
                "p90": _r(rep * sizes.ratio("T", "P")),
                "derive": sizes.derive("T", "P"),
            }
            if surplus_t > 0
            else drafting_v2.burden_scaled(
                "R1′", 0.01, g_t, "GDP T (no priced bond)", ratio=sizes.ratio("T"), derive=on_t
            )
        )
        target_costs["partner_retaliation"] = drafting_v2.burden_scaled(
            "R2′",
            0.05,
            g_p * (1.0 if contiguous else 0.5),
            "GDP P" + ("" if contiguous else " x 0.5 (not contiguous)"),
            ratio=sizes.ratio("P"),
            derive=sizes.derive("P"),
        )
        if goal == "realign":
            target_costs["demand"] = drafting_v2.burden_scaled(
                "K1′", 0.02, g_t, "GDP T", ratio=sizes.ratio("T"), derive=on_t
            )

    allied_tp = world.obligation(t.codes, p.codes) is not None or prevent
    w_p = max(5 * surplus_p, 0.01 * m["P"])
    partner_bid = {
        "value_of_target": _lognormal(
            w_p,
            4,
            "USD m",
            derive=[nmc],
            assumption="P1: five years of the partner's surplus from the bonds, >= 0.01 x milex P",
        ),
        "means": _tri(
            0.05 * m["P"],
            0.10 * m["P"],
            0.25 * m["P"],
            "USD m",
            derive=[nmc],
            assumption="P2: (0.05, 0.10, 0.25) x milex P",
        ),
        "cost_per_value": _tri(
            1.0,
            1.3,
            2.0,
            "ratio",
            assumption="P3: a transfer costs the partner at least its value",
        ),
        "credibility": _share(
            *((0.6, 0.8, 0.95) if allied_tp else (0.3, 0.5, 0.7)),
            assumption=f"P4: target and partner {'allied' if allied_tp else 'not allied'}",
        ),
    }
    if sizes is not None:  # rules v2: S1′, P1′, P2′
        tie, tie_text, tie_derive = drafting_v2.tie(world, t, p, features, kind, prevent, warnings)
        partner_bid["value_of_target"] = drafting_v2.partner_value(
            flows_p,
            sizes.g("T"),
            tie,
            tie_text,
            ratio=sizes.ratio("T"),
            derive=sizes.derive("T") + tie_derive,
        )
        partner_bid["means"] = drafting_v2.means(
            "P2′", sizes.g("P"), "partner", ratio=sizes.ratio("P"), derive=sizes.derive("P")
        )
    w_d = 0.05 * m["D"] * (1 + r_dp + d_dp)
    divider_payoff = {
        "value_of_split": _lognormal(
            w_d,
            4,
            "USD m",
            derive=[nmc, *record_derive],
            assumption=f"W1: 0.05 x milex D x (1 + rival D-P {r_dp:d} + dispute D-P {d_dp:d})",
        ),
        "political_cost": _lognormal(
            0.1 * w_d * (1 + r_dt + d_dt),
            4,
            "USD m",
            derive=[nmc, *record_derive],
            assumption=f"W2: 0.1 x W1 x (1 + rival D-T {int(r_dt)} + dispute D-T {int(d_dt)})",
        ),
        "cost_per_value": _tri(
            0.3, 0.6, 1.0, "ratio", assumption="W3: rewards cost the divider less than their value"
        ),
    }
    if sizes is not None:  # rules v2: U1′, W1′, W2 on W1′, W4′
        u = drafting_v2.distance(world.frames.get("unga_idealpoints"), d.codes, p.codes)
        u_derive = []
        if u is None:
            u = drafting_v2.DISTANCE_DEFAULT
            warnings.append(f"distance D-P: no UN ideal points for the pair; u = {u} (rule U1′)")
        else:
            u_derive = [world.record("unga_idealpoints", "UN ideal points of D and P", "U1′")]
        split = drafting_v2.split_value(
            sizes.g("T"),
            tie,
            u,
            r_dp,
            d_dp,
            ratio=sizes.ratio("T"),
            derive=sizes.derive("T") + tie_derive + u_derive + record_derive,
        )
        w_d = split["median"]
        divider_payoff["value_of_split"] = split
        divider_payoff["political_cost"] = _lognormal(
            0.1 * w_d * (1 + r_dt + d_dt),
            sizes.ratio("T"),
            "USD m",
            derive=[*sizes.derive("T"), *record_derive],
            assumption=f"W2: 0.1 x W1′ x (1 + rival D-T {int(r_dt)} + dispute D-T {int(d_dt)})",
        )
        divider_payoff["budget_cap"] = drafting_v2.means(
            "W4′", sizes.g("D"), "divider", ratio=sizes.ratio("D"), derive=sizes.derive("D")
        )

    q0 = min(0.8, max(0.05, 0.2 + 0.15 * r_dt + 0.15 * d_dt + 0.1 * w_dt - 0.1 * a_dt))
    lam = 0.05 + 0.05 * r_dt
    bigger = m["D"] > m["T"] if sizes is None else sizes.g("D") > sizes.g("T")
    pi0 = min(0.9, max(0.05, 0.3 + 0.1 * d_dt + 0.1 * bigger))
    i3 = "I3" if sizes is None else "I3′"
    if sizes is None:
        threat_value = _lognormal(
            0.05 * m["D"], 4, "USD m", derive=[nmc], assumption="I3: 0.05 x milex D"
        )
        package = None
    else:
        on_d, ratio_d = sizes.derive("D"), sizes.ratio("D")
        threat_value = drafting_v2.burden_scaled(
            "I3′", 0.05, sizes.g("D"), "GDP D", ratio=ratio_d, derive=on_d
        )
        package = drafting_v2.burden_scaled(
            "I1′",
            0.05,
            sizes.g("D"),
            "GDP D (default package)",
            ratio=ratio_d * 3 / 4,  # I1's p90 is three times the median
            derive=on_d,
        )
    offers, threats = [], []
    for k, item in enumerate(
        instruments or [{"type": "reward", "description": "default reward package (rule I1)"}]
    ):
        kind_k = item.get("type", "reward")
        value = item.get("value")
        if kind_k == "coercion":
            threats.append(
                {
                    "id": f"threat-{k + 1}",
                    "description": item.get("description"),
                    "value": value or threat_value,
                    "credibility": _share(
                        pi0 - 0.15,
                        pi0,
                        pi0 + 0.15,
                        derive=record_derive,
                        assumption=f"{i3}: around {pi0:.2f} from the record ({record})",
                    ),
                    "backlash": _share(
                        0.1,
                        0.3,
                        0.5,
                        assumption="I3 (Izumikawa 2013): coercion binds the pair closer",
                    ),
                }
            )
            continue
        offers.append(
            _offer(
                f"offer-{k + 1}",
                item.get("description"),
                value,
                offer,
                m["D"],
                nmc,
                q0,
                lam,
                record,
                record_derive,
                package,
            )
        )
    if not offers:
        offers.append(
            _offer(
                "default-offer",
                "default reward package (rule I1)",
                None,
                offer,
                m["D"],
                nmc,
                q0,
                lam,
                record,
                record_derive,
                package,
            )
        )

    actors = _actors(d, t, p)
    ident = scenario_id or f"draft-{d.id}-{t.id}-{p.id}-{year}".lower().replace("+", "-")
    doc = "docs/drafting.md"
    if rules == 2:
        ident, doc = (ident if scenario_id else f"{ident}-v2"), "docs/drafting-v2.md (rules v2)"
    data = {
        "schema_version": 2,
        "id": ident,
        "title": f"Could {d.name} pull {t.name} away from {p.name}? (drafted, {year})",
        "description": f"Drafted from the world data of {year - 4}-{year} by {doc}.",
        "year": year,
        "actors": actors[0],
        "memberships": actors[1],
        "bonds": bonds,
        "question": {
            "divider": d.id,
            "target": t.id,
            "partner": p.id,
            "goal": goal,
            "horizon": 10,
            "discount_rate": _tri(0.03, 0.05, 0.08, "1/yr", assumption="Q1: real discount rate"),
            "target_costs": target_costs,
            "partner_bid": partner_bid,
            "divider_payoff": divider_payoff,
            "instruments": offers,
            "threats": threats,
        },
    }
    return Draft(Scenario.model_validate(data), features, warnings, rules)


def _offer(
    ident: str,
    description: str | None,
    value: Any,
    offer: float | None,
    m_d: float,
    nmc: dict[str, Any],
    q0: float,
    lam: float,
    record: str,
    record_derive: list[dict[str, Any]],
    package: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if value is None and offer is not None:
        value = {
            "value": _r(offer / 1e6),
            "unit": "USD m",
            "source": "the offer given to the draft (--offer)",
        }
    if value is None:
        value = package or _lognormal(
            0.05 * m_d, 3, "USD m", derive=[nmc], assumption="I1: default package, 0.05 x milex D"
        )
    return {
        "id": ident,
        "description": description,
        "value": value,
        "blocked": _share(
            q0 - 0.15,
            q0,
            q0 + 0.15,
            derive=record_derive,
            assumption=f"I2: around {q0:.2f} from the record ({record})",
        ),
        "renege": _tri(
            lam / 2,
            lam,
            2 * lam,
            "1/yr",
            derive=record_derive,
            assumption=f"I2: around {lam:.2f} a year",
        ),
    }


def _actors(d: Actor, t: Actor, p: Actor) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    actors: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    seen: set[str] = set()
    for actor in (d, t, p):
        if not actor.is_group:
            actors.append({"state": actor.id})
            seen.add(actor.id)
    for actor in (d, p):
        if actor.is_group:
            actors.append({"id": actor.id, "organisation": actor.name, "kind": "political"})
            for code in actor.states:
                if code not in seen:
                    actors.append({"state": code})
                    seen.add(code)
                memberships.append({"member": code, "bloc": actor.id, "source": actor.source})
    return actors, memberships
