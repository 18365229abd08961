"""Dyad-year and state-year panels, built by chaining covariates, as in peacesciencer.

>>> panel = (dyad_years(con, system="cow", years=(1990, 2014))     # doctest: +SKIP
...          .with_alliances().with_trade().with_igos().to_pandas())

Each ``with_*`` adds the columns of one source by a LEFT JOIN inside DuckDB on a key
that is unique in the source, so it never adds or drops a row. Coverage is honest: a
covariate is missing (not zero) in the years its source does not cover; inside them,
event sources (alliances, disputes, rivalries, arms transfers, shared IGOs) are zero
where nothing is recorded, while measured quantities (trade, distance, capabilities,
GDP, democracy, ideal points) stay missing where the source has no value. Directed
sources stay directed: row (A, B) of a directed panel carries A's obligations to B,
A's imports from B and A's arms exports to B.

References
----------
.. [1] Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
   research. *Conflict Management and Peace Science* 39(6): 755–779.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import ClassVar, Literal, Self

import duckdb
import pandas as pd

from alliances._files import atomic_path
from alliances.errors import DataError, OutputError
from alliances.world.connection import connect, table_names
from alliances.world.registry import ATOP_KINDS, BIBTEX, DATASETS

__all__ = [
    "COVARIATES",
    "STATE_COVARIATES",
    "DyadYears",
    "StateYears",
    "dyad_years",
    "state_years",
]

System = Literal["cow", "gw"]


@dataclass(frozen=True)
class _Join:
    """One covariate: the columns it selects, the join that brings them, its datasets."""

    select: tuple[str, ...]
    join: str
    datasets: tuple[str, ...]


def _years_of(table: str) -> str:
    return f"(SELECT DISTINCT year::INTEGER AS year FROM {table})"


def _in_range(name: str) -> str:
    first, last = DATASETS[name].years or (-(10**6), 10**6)
    return f"d.year BETWEEN {first} AND {last}"


def _year_range(name: str) -> str:
    """The SQL table of the years the registry gives for ``name``, one row per year."""
    years = DATASETS[name].years
    if years is None:  # a bug of the registry, caught by its tests
        msg = f"the registry gives no years for {name}"
        raise DataError(msg)
    return f"range({years[0]}, {years[1] + 1})"


def _zero_filled(expr: str, alias: str, covered: str) -> str:
    return f"CASE WHEN {covered} THEN COALESCE({expr}, 0) END AS {alias}"


def _kept(expr: str, alias: str, covered: str) -> str:
    return f"CASE WHEN {covered} THEN {expr} END AS {alias}"


_LO = "LEAST(d.ccode1, d.ccode2)"
_HI = "GREATEST(d.ccode1, d.ccode2)"


def _alliances() -> _Join:
    kinds = ATOP_KINDS
    covered = _in_range("atop_alliance")
    return _Join(
        tuple(_zero_filled(f"al.atop_{k}", f"atop_{k}", covered) for k in kinds),
        "LEFT JOIN (SELECT ccode1, ccode2, year, "
        + ", ".join(f"MAX(atop_{k}) AS atop_{k}" for k in kinds)
        + " FROM atop_alliance GROUP BY ALL) al "
        "ON al.ccode1 = d.ccode1 AND al.ccode2 = d.ccode2 AND al.year = d.year",
        ("atop_alliance",),
    )


def trade_flows(low_first: str) -> tuple[str, str]:
    """The SQL of side 1's imports from side 2 and its exports to side 2 in a row ``tr`` of
    COW dyadic trade, whose ``flow1`` is the imports of the lower code from the higher.

    ``low_first`` is the SQL condition that side 1 has the lower code.
    """
    return (
        f"CASE WHEN {low_first} THEN tr.flow1 ELSE tr.flow2 END",
        f"CASE WHEN {low_first} THEN tr.flow2 ELSE tr.flow1 END",
    )


def _trade() -> _Join:
    covered = "tr_y.year IS NOT NULL"
    imports, exports = trade_flows("d.ccode1 < d.ccode2")
    return _Join(
        (
            _kept(imports, "trade_imports", covered),
            _kept(exports, "trade_exports", covered),
        ),
        f"LEFT JOIN cow_trade_ndy tr ON tr.ccode1 = {_LO} AND tr.ccode2 = {_HI} "
        "AND tr.year = d.year "
        f"LEFT JOIN {_years_of('cow_trade_ndy')} tr_y ON tr_y.year = d.year",
        ("cow_trade_ndy",),
    )


def _arms() -> _Join:
    covered = _in_range("sipri_tiv")
    source = (
        "(SELECT supplier_cown, recipient_cown, year, SUM(value) AS tiv FROM sipri_tiv "
        "WHERE supplier_cown IS NOT NULL AND recipient_cown IS NOT NULL GROUP BY ALL)"
    )
    return _Join(
        (
            _zero_filled("ax.tiv", "arms_exports_tiv", covered),
            _zero_filled("am.tiv", "arms_imports_tiv", covered),
        ),
        f"LEFT JOIN {source} ax ON ax.supplier_cown = d.ccode1 "
        "AND ax.recipient_cown = d.ccode2 AND ax.year = d.year "
        f"LEFT JOIN {source} am ON am.supplier_cown = d.ccode2 "
        "AND am.recipient_cown = d.ccode1 AND am.year = d.year",
        ("sipri_tiv",),
    )


def _igos() -> _Join:
    return _Join(
        (_zero_filled("ig.dyadigos", "shared_igos", "ig_y.year IS NOT NULL"),),
        f"LEFT JOIN cow_igo_ndy ig ON ig.ccode1 = {_LO} AND ig.ccode2 = {_HI} "
        "AND ig.year = d.year "
        f"LEFT JOIN {_years_of('cow_igo_ndy')} ig_y ON ig_y.year = d.year",
        ("cow_igo_ndy",),
    )


def _contiguity() -> _Join:
    spells = (
        "(SELECT LEAST(ccode1, ccode2) AS lo, GREATEST(ccode1, ccode2) AS hi, "
        "y.year, MIN(conttype) FILTER (WHERE conttype > 0) AS conttype FROM cow_contdir "
        f"JOIN {_year_range('cow_contdir')} y(year) "
        "ON y.year BETWEEN year(stdate) AND year(enddate) "
        "GROUP BY ALL)"
    )
    return _Join(
        (_zero_filled("ct.conttype", "conttype", _in_range("cow_contdir")),),
        f"LEFT JOIN {spells} ct ON ct.lo = {_LO} AND ct.hi = {_HI} AND ct.year = d.year",
        ("cow_contdir",),
    )


def _distance() -> _Join:
    return _Join(
        (_kept("md.mindist", "mindist", "md_y.year IS NOT NULL"),),
        f"LEFT JOIN cow_mindist md ON md.ccode1 = {_LO} AND md.ccode2 = {_HI} "
        "AND md.year = d.year "
        f"LEFT JOIN {_years_of('cow_mindist')} md_y ON md_y.year = d.year",
        ("cow_mindist",),
    )


_MONADIC: dict[str, tuple[str, dict[str, str]]] = {
    "capabilities": (
        "cow_nmc",
        {"cinc": "cinc", "milex": "milex", "milper": "milper", "tpop": "tpop"},
    ),
    "gdp": ("cw_gdppop", {"gdp": "pwtrgdp", "pop": "pwtpop", "gdppc": "mrgdppc"}),
    "democracy": (
        "cw_democracy",
        {"v2x_polyarchy": "v2x_polyarchy", "polity2": "polity2", "euds": "euds"},
    ),
    "trade": ("cow_trade_sy", {"imports": "imports", "exports": "exports"}),
    "igos": ("cow_igo_sy", {"igos_full": "sum_igo_full", "igos_any": "sum_igo_anytype"}),
    "affinity": ("unga_idealpoints", {"idealpoint": "idealpointfp"}),
    "territorial_threat": ("terrthreat", {"lterrthreat": "lterrthreat"}),
}
"""State-year covariates by name: (table, {column: source column}); the state-year
panel's ``with_`` values, and the per-side columns of the dyad-year panel."""


def _monadic(name: str, sides: tuple[str, ...] = ("1", "2")) -> _Join:
    """Join the state-year covariate ``name`` to each side: for a dyad, ``x1`` and ``x2``
    (``polity2_1`` where the name ends in a digit); for a state (``sides=("",)``), ``x``."""
    table, columns = _MONADIC[name]
    source = (
        f"(SELECT ccode, year, {', '.join(f'MAX({c}) AS {c}' for c in columns.values())} "
        f"FROM {table} GROUP BY ALL)"
    )
    select, joins = [], []
    for side in sides:
        alias = f"{table}_{side}"
        gap = "_" if side else ""
        select += [
            f"{alias}.{src} AS {out}{gap if out[-1].isdigit() else ''}{side}"
            for out, src in columns.items()
        ]
        joins.append(
            f"LEFT JOIN {source} {alias} ON {alias}.ccode = d.ccode{side} "
            f"AND {alias}.year = d.year"
        )
    return _Join(tuple(select), " ".join(joins), (table,))


def _rivalries() -> _Join:
    spells = (
        "(SELECT LEAST(ccode1, ccode2) AS lo, GREATEST(ccode1, ccode2) AS hi, y.year, "
        f"1 AS rivalry FROM tss_rivalries JOIN {_year_range('tss_rivalries')} y(year) "
        'ON y.year BETWEEN start AND "end" GROUP BY ALL)'
    )
    return _Join(
        (_zero_filled("rv.rivalry", "tss_rivalry", _in_range("tss_rivalries")),),
        f"LEFT JOIN {spells} rv ON rv.lo = {_LO} AND rv.hi = {_HI} AND rv.year = d.year",
        ("tss_rivalries",),
    )


def _mids() -> _Join:
    covered = _in_range("cow_mid_ddydisps")
    source = (
        "(SELECT ccode1, ccode2, year, MAX(cowmidonset) AS onset, MAX(cowmidongoing) AS "
        "ongoing, MAX(hostlev) AS hostlev, COUNT(*) AS n FROM cow_mid_ddydisps GROUP BY ALL)"
    )
    return _Join(
        (
            _zero_filled("mi.onset", "cowmid_onset", covered),
            _zero_filled("mi.ongoing", "cowmid_ongoing", covered),
            _zero_filled("mi.hostlev", "cowmid_hostlev", covered),
            _zero_filled("mi.n", "cowmid_disputes", covered),
        ),
        f"LEFT JOIN {source} mi ON mi.ccode1 = {_LO} AND mi.ccode2 = {_HI} AND mi.year = d.year",
        ("cow_mid_ddydisps",),
    )


def _wars() -> _Join:
    source = "(SELECT ccode1, ccode2, year, 1 AS war FROM cow_war_inter GROUP BY ALL)"
    return _Join(
        (_zero_filled("wr.war", "war", _in_range("cow_war_inter")),),
        f"LEFT JOIN {source} wr ON wr.ccode1 = d.ccode1 AND wr.ccode2 = d.ccode2 "
        "AND wr.year = d.year",
        ("cow_war_inter",),
    )


def _affinity() -> _Join:
    source = (
        "(SELECT ccode, year, MAX(idealpointfp) AS ip FROM unga_idealpoints "
        "WHERE ccode IS NOT NULL GROUP BY ALL)"
    )
    return _Join(
        (
            "ip1.ip AS idealpoint1",
            "ip2.ip AS idealpoint2",
            "ABS(ip1.ip - ip2.ip) AS idealpoint_distance",
        ),
        f"LEFT JOIN {source} ip1 ON ip1.ccode = d.ccode1 AND ip1.year = d.year "
        f"LEFT JOIN {source} ip2 ON ip2.ccode = d.ccode2 AND ip2.year = d.year",
        ("unga_idealpoints",),
    )


COVARIATES: dict[str, Callable[[], _Join]] = {
    "alliances": _alliances,
    "trade": _trade,
    "arms": _arms,
    "igos": _igos,
    "contiguity": _contiguity,
    "distance": _distance,
    "capabilities": partial(_monadic, "capabilities"),
    "gdp": partial(_monadic, "gdp"),
    "democracy": partial(_monadic, "democracy"),
    "rivalries": _rivalries,
    "mids": _mids,
    "wars": _wars,
    "affinity": _affinity,
}
"""Dyad-year covariates by name (the ``--with`` values of ``alliances panel``)."""

STATE_COVARIATES: dict[str, Callable[[], _Join]] = {
    name: partial(_monadic, name, sides=("",)) for name in _MONADIC
}
"""State-year covariates by name: the columns of :data:`_MONADIC`, one per state."""


def _require(con: duckdb.DuckDBPyConnection, datasets: tuple[str, ...], what: str) -> None:
    missing = [d for d in datasets if d not in table_names(con)]
    if missing:
        msg = (
            f"{what} needs {', '.join(missing)}, which the store does not hold; add the "
            "files to the data directory and run `alliances data build`"
        )
        raise DataError(msg)


@dataclass(frozen=True)
class _Panel:
    con: duckdb.DuckDBPyConnection
    system: System
    years: tuple[int, int]
    base: str
    keys: tuple[str, ...]
    directed: bool = True
    joins: tuple[_Join, ...] = ()
    used: tuple[str, ...] = field(default=())

    kind: ClassVar[str]
    covariates: ClassVar[Mapping[str, Callable[[], _Join]]]

    def with_(self, *names: str) -> Self:
        """Add covariates by name (see :data:`COVARIATES` and :data:`STATE_COVARIATES`)."""
        panel = self
        for name in names:
            if name not in self.covariates:
                msg = (
                    f"unknown {self.kind} {name!r}; expected one of: {', '.join(self.covariates)}"
                )
                raise DataError(msg)
            join = self.covariates[name]()
            if join in panel.joins:
                msg = f"covariate {name!r} is already in the panel; give each one once"
                raise DataError(msg)
            _require(self.con, join.datasets, f"with_{name}()")
            panel = replace(panel, joins=(*panel.joins, join), used=(*panel.used, *join.datasets))
        return panel

    def sql(self) -> str:
        """The query that builds the panel (from the store's cache when it can)."""
        return self._cached_sql() or self._join_sql()

    def _cached_sql(self) -> str | None:
        return None

    def _join_sql(self) -> str:
        select = [f"d.{k}" for k in self.keys]
        select += [s for j in self.joins for s in j.select]
        joins = " ".join(j.join for j in self.joins)
        order = ", ".join(f"d.{k}" for k in ("year", *[k for k in self.keys if k != "year"]))
        return f"SELECT {', '.join(select)} FROM ({self.base}) d {joins} ORDER BY {order}"

    @property
    def cite_keys(self) -> list[str]:
        keys = [k for name in (*self._base_datasets(), *self.used) for k in DATASETS[name].cite]
        return list(dict.fromkeys(keys))

    def _base_datasets(self) -> tuple[str, ...]:
        return _SYSTEMS[self.system].datasets

    def citations(self) -> list[str]:
        """Plain-text citations of every dataset used so far."""
        return [
            DATASETS[name].citation for name in dict.fromkeys((*self._base_datasets(), *self.used))
        ]

    def bibtex(self) -> str:
        """BibTeX entries for every dataset used so far."""
        return "\n\n".join(BIBTEX[k] for k in self.cite_keys)

    def span(self) -> tuple[int | None, int | None]:
        """First and last year of the state system in the store (whatever ``years`` is)."""
        table = self._base_datasets()[0]
        row = self.con.execute(f"SELECT MIN(year)::INTEGER, MAX(year)::INTEGER FROM {table}")
        first, last = row.fetchone() or (None, None)
        return first, last

    def uncovered(self) -> dict[str, tuple[int, int]]:
        """The datasets of the covariates asked for whose registered years miss ``years``.

        Their columns are missing in every row of the panel; the command line says so.
        """
        first, last = self.years
        out = {}
        for name in dict.fromkeys(self.used):
            covered = DATASETS[name].years
            if covered and (covered[1] < first or covered[0] > last):
                out[name] = covered
        return out

    def count(self) -> int:
        """Number of rows (every ``with_*`` keeps it)."""
        row = self.con.execute(f"SELECT COUNT(*) FROM ({self.base})").fetchone()
        return int(row[0]) if row else 0

    def to_pandas(self, dtype_backend: Literal["pyarrow", "numpy"] = "pyarrow") -> pd.DataFrame:
        """The panel as a DataFrame; ``attrs`` carries the citations and the datasets.

        With the default ``dtype_backend="pyarrow"`` the columns are Arrow-backed: codes
        and counts stay integers, missing values are ``<NA>``, and no copy is made.
        ``"numpy"`` gives NumPy columns (integers with missing values become floats).
        """
        table = self.con.sql(self.sql()).to_arrow_table()
        if dtype_backend == "pyarrow":
            frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        elif dtype_backend == "numpy":
            frame = table.to_pandas()
        else:
            msg = f"dtype_backend={dtype_backend!r} should be 'pyarrow' or 'numpy'"
            raise ValueError(msg)
        frame.attrs["citations"] = self.citations()
        frame.attrs["datasets"] = list(dict.fromkeys((*self._base_datasets(), *self.used)))
        frame.attrs["system"] = self.system
        return frame

    def to_file(self, path: str | os.PathLike[str]) -> Path:
        """Write the panel to Parquet or CSV (by extension), atomically."""
        target = Path(path)
        fmt = {".parquet": "PARQUET", ".csv": "CSV"}.get(target.suffix.lower())
        if fmt is None:
            msg = f"{target}: expected a .parquet or .csv file name"
            raise DataError(msg)
        with atomic_path(target) as tmp:
            quoted = str(tmp).replace("'", "''")
            try:
                self.con.execute(f"COPY ({self.sql()}) TO '{quoted}' (FORMAT {fmt})")
            except duckdb.IOException as error:
                msg = f"{target}: cannot write the panel: {error}"
                if "space" in str(error).lower():
                    msg = f"{target}: cannot write the panel: the disk is full"
                raise OutputError(msg) from None
        return target

    to_parquet = to_file


class DyadYears(_Panel):
    """A dyad-year panel; chain ``with_*`` calls, then ``to_pandas`` or ``to_file``.

    Directed COW panels are read from the store's cache table when it holds every
    covariate asked for (``alliances data build`` writes it with the same joins); other
    panels are joined on the fly. Both give the same rows and values.
    """

    def _cached_sql(self) -> str | None:
        if self.system != "cow" or CACHE not in table_names(self.con):
            return None
        cached = {row[0] for row in self.con.execute(f"SELECT name FROM {CACHE_INDEX}").fetchall()}
        names = [n for n in COVARIATES if COVARIATES[n]() in self.joins]
        if len(names) != len(self.joins) or not set(names) <= cached:
            return None
        columns = [*self.keys, *(_alias(s) for j in self.joins for s in j.select)]
        where = f"year BETWEEN {self.years[0]} AND {self.years[1]}"
        if not self.directed:
            where += " AND ccode1 < ccode2"
        # The cache is stored in (year, ccode1, ccode2) order and a filtered scan keeps it.
        return f"SELECT {', '.join(columns)} FROM {CACHE} WHERE {where}"

    kind = "covariate"
    covariates = COVARIATES

    def with_alliances(self) -> DyadYears:
        """ATOP 5.1 obligations of ccode1 to ccode2: defense, offense, neutrality,
        non-aggression, consultation (0/1; missing outside 1815–2018)."""
        return self.with_("alliances")

    def with_trade(self) -> DyadYears:
        """COW dyadic trade: ``trade_imports`` (ccode1's imports from ccode2) and
        ``trade_exports`` (ccode1's exports to ccode2), current million USD."""
        return self.with_("trade")

    def with_arms(self) -> DyadYears:
        """SIPRI TIV (millions) of arms from ccode1 to ccode2 and back, 1950–2021."""
        return self.with_("arms")

    def with_igos(self) -> DyadYears:
        """COW IGO v3: number of IGOs both belong to as full or associate members
        (observed years only)."""
        return self.with_("igos")

    def with_contiguity(self) -> DyadYears:
        """COW direct contiguity type (1 land … 5 up to 400 miles of water; 0 none)."""
        return self.with_("contiguity")

    def with_distance(self) -> DyadYears:
        """CShapes 2.0 minimum distance in km (1886–2019)."""
        return self.with_("distance")

    def with_capabilities(self) -> DyadYears:
        """COW NMC 7.0 for both sides: ``cinc1``, ``cinc2``, ``milex1`` … ``tpop2``."""
        return self.with_("capabilities")

    def with_gdp(self) -> DyadYears:
        """Fariss et al. (2022) GDP (million 2017 int'l $), population, GDP per capita."""
        return self.with_("gdp")

    def with_democracy(self) -> DyadYears:
        """V-Dem polyarchy, Polity2 and Extended UDS for both sides."""
        return self.with_("democracy")

    def with_rivalries(self) -> DyadYears:
        """Thompson–Sakuwa–Suhas strategic rivalry (0/1)."""
        return self.with_("rivalries")

    def with_mids(self) -> DyadYears:
        """COW MID 5.0: onset, ongoing, highest hostility level, number of disputes."""
        return self.with_("mids")

    def with_wars(self) -> DyadYears:
        """COW inter-state wars: ``war`` 1 if the two fought each other that year."""
        return self.with_("wars")

    def with_affinity(self) -> DyadYears:
        """UNGA ideal points (Bailey, Strezhnev and Voeten) of both sides and their
        distance."""
        return self.with_("affinity")


def _alias(select: str) -> str:
    return select.rsplit(" AS ", 1)[1]


CACHE = "panel_cow_directed"
CACHE_INDEX = "panel_cow_directed_covariates"


def materialise(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Write the directed COW dyad-year panel with every covariate the store can give
    into the cache table that :class:`DyadYears` reads; returns the covariates."""
    con.execute(f"DROP TABLE IF EXISTS {CACHE}")
    con.execute(f"DROP TABLE IF EXISTS {CACHE_INDEX}")
    tables = table_names(con)
    if "cow_ddy" not in tables:
        return []
    names = [n for n, f in COVARIATES.items() if set(f().datasets) <= tables]
    panel = dyad_years(con, system="cow", years=(0, 9999)).with_(*names)
    try:
        con.execute(f"CREATE TABLE {CACHE} AS {panel._join_sql()}")
    except duckdb.Error as error:
        msg = f"cannot write the panel cache from the loaded tables: {error}"
        raise DataError(msg) from None
    con.execute(f"CREATE TABLE {CACHE_INDEX} AS SELECT unnest(?::VARCHAR[]) AS name", [names])
    return names


def _check_years(years: tuple[int, int]) -> tuple[int, int]:
    first, last = int(years[0]), int(years[1])
    if first > last:
        msg = f"years=({first}, {last}): the first year should be <= the last"
        raise DataError(msg)
    return first, last


def _connection(
    con: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None,
) -> duckdb.DuckDBPyConnection:
    if isinstance(con, duckdb.DuckDBPyConnection):
        return con
    return connect(con)


@dataclass(frozen=True)
class _System:
    """A code system: its dyad list (and crosswalk), and the name of its codes."""

    datasets: tuple[str, ...]
    code: str


_SYSTEMS: dict[str, _System] = {
    "cow": _System(("cow_ddy",), "ccode"),
    "gw": _System(("gw_ddy", "gw_cw_panel"), "gwcode"),
}
_CROSSWALK = "(SELECT gwcode, year, MIN(ccode) AS ccode FROM gw_cw_panel GROUP BY ALL)"


def _base(
    con: duckdb.DuckDBPyConnection,
    system: str,
    sides: tuple[str, ...],
    years: tuple[int, int],
    *,
    directed: bool,
) -> tuple[str, tuple[str, ...]]:
    """The SQL of the units of a panel, and its key columns.

    ``sides`` is ``("1", "2")`` for dyads and ``("",)`` for states (the first side of each
    dyad, distinct). COW-coded sources join on ``ccode``: for Gleditsch–Ward units it is
    the COW code the year-specific crosswalk matches, missing where COW has no such state.
    """
    if system not in _SYSTEMS:
        msg = f"system={system!r} should be {' or '.join(map(repr, _SYSTEMS))}"
        raise DataError(msg)
    spec = _SYSTEMS[system]
    _require(con, spec.datasets, f"{'dyad' if len(sides) == 2 else 'state'}_years({system=})")
    code = spec.code
    columns = [f"g.{code}{side or '1'} AS {code}{side}" for side in sides]
    columns.append("g.year::INTEGER AS year")
    joins = ""
    if code != "ccode":
        for side in sides:
            m = f"m{side or '1'}"
            columns.append(f"{m}.ccode AS ccode{side}")
            joins += f" LEFT JOIN {_CROSSWALK} {m} ON {m}.gwcode = g.{code}{side or '1'} "
            joins += f"AND {m}.year = g.year"
    where = f"g.year BETWEEN {years[0]} AND {years[1]}"
    if not directed:
        where += f" AND g.{code}1 < g.{code}2"
    distinct = "DISTINCT " if len(sides) == 1 else ""
    sql = f"SELECT {distinct}{', '.join(columns)} FROM {spec.datasets[0]} g{joins} WHERE {where}"
    keys = [f"{code}{side}" for side in sides] + ["year"]
    if code != "ccode":
        keys += [f"ccode{side}" for side in sides]
    return sql, tuple(keys)


def dyad_years(
    con: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None = None,
    *,
    system: System = "cow",
    years: tuple[int, int] = (1816, 2014),
    directed: bool = True,
) -> DyadYears:
    """Every dyad-year of the state system in ``years`` (directed or not).

    ``con`` is an open connection to the store, a store path, or None for the default
    store (``ALLIANCES_STORE`` or the user cache).

    For ``system="gw"`` the dyads are Gleditsch–Ward's, and COW-coded sources are
    joined through the year-specific crosswalk (``gw_cw_panel``); ``ccode1`` and
    ``ccode2`` are then the matched COW codes, missing where COW has no such state.
    """
    first, last = _check_years(years)
    con = _connection(con)
    base, keys = _base(con, system, ("1", "2"), (first, last), directed=directed)
    return DyadYears(
        con=con, system=system, years=(first, last), base=base, keys=keys, directed=directed
    )


# --- state-years ---------------------------------------------------------------------


class StateYears(_Panel):
    """A state-year panel; chain ``with_*`` calls, then ``to_pandas`` or ``to_file``."""

    kind = "state-year covariate"
    covariates = STATE_COVARIATES


def state_years(
    con: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None = None,
    *,
    system: System = "cow",
    years: tuple[int, int] = (1816, 2014),
) -> StateYears:
    """Every state-year of the system in ``years`` (the states of its dyad list);
    ``con`` as in :func:`dyad_years`."""
    first, last = _check_years(years)
    con = _connection(con)
    base, keys = _base(con, system, ("",), (first, last), directed=True)
    return StateYears(con=con, system=system, years=(first, last), base=base, keys=keys)
