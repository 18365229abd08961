"""What a draft reads of the store: the rows of every dataset in one window (rule A2).

:class:`World` holds, for one year and a set of states, the rows of every table a draft
reads, its provenance records and the measures the rules take from them (military
expenditure, trade and arms flows, obligations, affinity), each computed once however
many triads of the year read it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from alliances.money import GOLD_PARITY
from alliances.studies.drafting import v2
from alliances.world import queries
from alliances.world.connection import table_names
from alliances.world.registry import DATASETS

__all__ = ["OBLIGATION_SHARE", "Window", "World", "all_partners", "read_gdp", "window"]

OBLIGATION_SHARE = {
    "defense": 0.25,
    "offense": 0.10,
    "neutral": 0.05,
    "nonagg": 0.05,
    "consul": 0.05,
}
"""Rule B5: the share ``a`` of min(M_T, M_P) an ATOP obligation of each kind is worth."""


@dataclass(frozen=True)
class Window:
    """The years a draft reads of a dataset, and whether they end before its window."""

    years: tuple[int, int]
    stale: bool


def window(name: str, year: int, length: int = 5) -> Window | None:
    """Rule A2: the years of ``name`` a draft for ``year`` reads, or None."""
    covered = DATASETS[name].years
    if covered is None:
        return Window((year - length + 1, year), False)
    first, last = max(year - length + 1, covered[0]), min(year, covered[1])
    if first <= last:
        return Window((first, last), False)
    if covered[1] < year and year - covered[1] <= 10:
        return Window((max(covered[0], covered[1] - length + 1), covered[1]), True)
    return None


def _memoised(method: Callable[..., Any]) -> Callable[..., Any]:
    """Keep a :class:`World` method's answers by its arguments: a year's triads share
    their targets, partners and dividers, and the frames do not change once read."""

    @functools.wraps(method)
    def answer(self: World, *args: Any) -> Any:
        key = (method.__name__, tuple(tuple(a) if isinstance(a, list) else a for a in args))
        if key not in self.memo:
            self.memo[key] = method(self, *args)
        return self.memo[key]

    return answer


class World:
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
        self.windows: dict[str, Window] = {}
        self.frames: dict[str, pd.DataFrame] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.memo: dict[tuple[str, tuple[Any, ...]], Any] = {}
        for name in queries.DRAFT_TABLES:
            if name not in present:
                continue
            span = window(name, year, 10 if name == "cow_war_inter" else 5)
            if span is None:
                continue
            self.windows[name] = span
            self.frames[name] = queries.draft_rows(con, name, span.years, codes)
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
        by_state = self._rows_by("cow_nmc", "ccode")
        total, seen = 0.0, False
        for code in codes:
            rows = by_state.get(code)
            if rows is None:
                continue
            usd = rows["milex"].astype(float) * rows["year"].map(
                lambda y: GOLD_PARITY if y < 1914 else 1.0
            )
            total += float(usd.mean()) / 1000.0
            seen = True
        return total if seen else None

    @_memoised
    def mean_of(self, name: str, column: str, codes: Sequence[int]) -> float | None:
        if not self.has(name):
            return None
        if len(set(codes)) == 1:  # most often: one state's rows, found by its code
            rows = self._rows_by(name, "ccode").get(codes[0])
            values = rows[column].dropna() if rows is not None else pd.Series(dtype=float)
        else:
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
        by_pair = self._rows_by("atop_alliance", "ccode1", "ccode2")
        found = [by_pair[(x, y)] for x in a for y in b if (x, y) in by_pair]
        if not found:
            return None
        f = pd.concat(found)
        last = f[f["year"] == self.windows["atop_alliance"].years[1]]
        best = None
        for kind, share in OBLIGATION_SHARE.items():
            if (last[f"atop_{kind}"] > 0).any() and (
                best is None or share > OBLIGATION_SHARE[best]
            ):
                best = kind
        return best

    @_memoised
    def _rows_by(self, name: str, *columns: str) -> dict[Any, pd.DataFrame]:
        """The rows of dataset ``name`` grouped by ``columns`` (a state or a pair), in
        their order: one pass over the frame instead of one scan of it per question."""
        frame = self.frames[name]
        key = columns[0] if len(columns) == 1 else list(columns)
        return {k: rows for k, rows in frame.groupby(key, sort=False)}

    @_memoised
    def _ideal_points(self) -> pd.Series:
        """Each state's mean UN ideal point over the window."""
        return self.frames["unga_idealpoints"].groupby("ccode")["idealpoint"].mean()

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
        """Rule B6: mean over ``others`` of :math:`1 - \\min(1, |x_T - x_j| / 3)`, x the UN
        ideal points."""
        if not self.has("unga_idealpoints"):
            return None
        f = self._ideal_points()
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
        by_pair = self._rows_by("cow_igo_ndy", "ccode1", "ccode2")
        values = []
        for j in others:
            found = [by_pair[k] for k in ((t, j), (j, t)) if k in by_pair]
            if found:
                rows = pd.concat(found).sort_index() if len(found) > 1 else found[0]
                values.append(min(1.0, float(rows["dyadigos"].mean()) / own))
        return sum(values) / len(values) if values else None


def read_gdp(con: duckdb.DuckDBPyConnection, world: World, codes: Iterable[int]) -> None:
    """Rule A3′ (v2): add the window's GDP rows of ``codes`` to ``world`` (rule A2's
    window, stale reading included), where the store has ``cw_gdppop``."""
    name = "cw_gdppop"
    span = window(name, world.year)
    if span is None or name not in table_names(con):
        return
    world.windows[name] = span
    world.frames[name] = v2.gdp_rows(con, span.years, sorted({int(c) for c in codes}))
    world.records[name] = queries.dataset_record(con, name) or {}


def all_partners(
    con: duckdb.DuckDBPyConnection, world: World, targets: set[int]
) -> dict[str, pd.DataFrame]:
    """The trade and arms rows of ``targets`` with every state, over ``world``'s windows:
    the Hirschman indices of rule H1 need the target's flows with all its partners."""
    frames: dict[str, pd.DataFrame] = {}
    for name in ("cow_trade_ndy", "sipri_tiv"):
        if name in world.windows:
            frames[name] = queries.draft_rows(
                con, name, world.windows[name].years, sorted(targets)
            )
    return frames
