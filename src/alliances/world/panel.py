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

The builders peacesciencer users reach for beyond the cached core (major powers,
politically relevant dyads, peace years, capital distance, GML MIDs, UCDP conflict,
territorial threat, names) are in :mod:`alliances.world.builders`; alliance-portfolio
similarity is an analysis and chains from the studies layer with :meth:`DyadYears.pipe`.
Every column is cast to its documented dtype (:mod:`alliances.world.columns`), and
:meth:`DyadYears.to_file` writes Parquet, CSV, Stata or Feather by extension. See
docs/panel.md.

References
----------
.. [1] Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
   research. *Conflict Management and Peace Science* 39(6): 755–779.

The module passes 600 lines because the panel is one object: the chaining methods, the
conversions (Arrow, pandas, names) and the citations all act on the same table and its
attributes. Around it: the units' SQL (:mod:`alliances.world.units`), the covariates'
(:mod:`alliances.world.covariates`, :mod:`alliances.world.builders`), the files
(:mod:`alliances.world.panel_files`) and the store's cache
(:mod:`alliances.world.panel_cache`).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Literal, Self

import duckdb
import pandas as pd
import pyarrow as pa

from alliances._display import PanelSummary
from alliances._values import flag, year_pair
from alliances.errors import DataError
from alliances.world import builders, exits
from alliances.world._sql import Join, System
from alliances.world.columns import sql_type
from alliances.world.columns import to_pandas as arrow_to_pandas
from alliances.world.connection import check_open, connect, table_names
from alliances.world.covariates import (  # importable from here, as before
    COVARIATES,
    DYAD_COVARIATES,
    STATE_COVARIATES,
    Factory,
    trade_flows,  # noqa: F401
)
from alliances.world.names import Naming, check_naming, output_names
from alliances.world.panel_cache import (
    CACHE,
    available_covariates,
    cached_covariates,
    drop_cache,
    write_cache,
)
from alliances.world.panel_files import OUTPUT_FORMATS, write_panel
from alliances.world.registry import BIBTEX, DATASETS
from alliances.world.units import SYSTEMS, require_tables, units_sql

__all__ = [
    "COVARIATES",
    "DYAD_COVARIATES",
    "OUTPUT_FORMATS",
    "STATE_COVARIATES",
    "DyadYears",
    "MemberYears",
    "StateYears",
    "dyad_years",
    "member_years",
    "state_years",
]


@dataclass(frozen=True, repr=False)
class _Panel(PanelSummary):
    con: duckdb.DuckDBPyConnection
    system: System
    years: tuple[int, int]
    base: str
    keys: tuple[str, ...]
    directed: bool = True
    joins: tuple[Join, ...] = ()
    used: tuple[str, ...] = field(default=())
    filtered: bool = False

    kind: ClassVar[str]
    covariates: ClassVar[Mapping[str, Factory]]

    def with_(self, *names: str) -> Self:
        """Add covariates by name (see :data:`DYAD_COVARIATES` and
        :data:`STATE_COVARIATES`)."""
        panel = self
        for name in names:
            if name not in self.covariates:
                msg = (
                    f"unknown {self.kind} {name!r}; expected one of: {', '.join(self.covariates)}"
                )
                raise DataError(msg)
            panel = panel._add(self.covariates[name](system=self.system), f"with_{name}()")
        return panel

    def require(self, datasets: tuple[str, ...], what: str) -> None:
        """Raise :class:`~alliances.errors.DataError` if the store lacks one of
        ``datasets``, naming it and ``what`` needs it."""
        require_tables(self.con, datasets, what)

    def _add(self, join: Join, what: str) -> Self:
        """The panel with ``join``, checked: given once, its sources in the store, and no
        column it adds already in the panel."""
        if join in self.joins:
            msg = f"{what}: the covariate is already in the panel; give each one once"
            raise DataError(msg)
        require_tables(self.con, join.datasets, what)
        if exits.SPELLS in join.join:
            exits.register_spells(self.con)
        clash = [c for c in map(_alias, join.select) if c in self.columns()]
        if clash:
            msg = f"{what}: the panel already has the column(s) {', '.join(clash)}"
            raise DataError(msg)
        return replace(self, joins=(*self.joins, join), used=(*self.used, *join.datasets))

    def with_frame(
        self, frame: pd.DataFrame, *, on: tuple[str, ...], datasets: tuple[str, ...] = ()
    ) -> Self:
        """LEFT JOIN the columns of ``frame`` on its key columns ``on`` (unique in it,
        so the row count stays); ``datasets`` are the sources it was computed from.

        For covariates computed outside SQL, such as alliance-portfolio similarity
        (:func:`alliances.studies.portfolio_panel.with_portfolio_similarity`).
        """
        missing = [k for k in on if k not in frame.columns or k not in self.columns()]
        if missing:
            msg = f"with_frame(): key column(s) {', '.join(missing)} not in both frames"
            raise DataError(msg)
        if frame.duplicated(list(on)).any():
            msg = f"with_frame(): the frame has more than one row for some {', '.join(on)}"
            raise DataError(msg)
        name = f"panel_frame_{uuid.uuid4().hex}"
        self.con.register(name, frame)
        values = [c for c in frame.columns if c not in on]
        join = Join(
            tuple(f'{name}."{c}" AS {c}' for c in values),
            f"LEFT JOIN {name} ON " + " AND ".join(f'{name}."{k}" = d.{k}' for k in on),
            datasets,
        )
        return self._add(join, "with_frame()")

    def pipe(self, func: Callable[..., Self], *args: Any, **kwargs: Any) -> Self:
        """``func(self, *args, **kwargs)``: chain a builder defined elsewhere.

        >>> from alliances.studies.portfolio_panel import with_portfolio_similarity
        >>> panel = dyad_years(years=(2000, 2000))  # doctest: +SKIP
        >>> panel.with_alliances().pipe(with_portfolio_similarity)  # doctest: +SKIP
        """
        return func(self, *args, **kwargs)

    def columns(self) -> list[str]:
        """The columns of the panel, in order."""
        return [*self.keys, *(_alias(s) for j in self.joins for s in j.select)]

    def sql(self) -> str:
        """The query that builds the panel (from the store's cache when it can), each
        column cast to its documented type (:data:`alliances.world.columns.COLUMNS`)."""
        inner = self._cached_sql() or self._join_sql()
        casts = []
        for name in self.columns():
            kind = sql_type(name)
            casts.append(f"CAST(p.{name} AS {kind}) AS {name}" if kind else f"p.{name}")
        return f"SELECT {', '.join(casts)} FROM ({inner}) p"

    def _cached_sql(self) -> str | None:
        return None

    def _join_sql(self) -> str:
        select = [f"d.{k}" for k in self.keys]
        select += [s for j in self.joins for s in j.select]
        joins = " ".join(j.join for j in self.joins)
        order = ", ".join(f"d.{k}" for k in ("year", *[k for k in self.keys if k != "year"]))
        return f"SELECT {', '.join(select)} FROM ({self.base}) d {joins} ORDER BY {order}"

    def datasets(self) -> list[str]:
        """The datasets the panel reads, its units' first."""
        return list(dict.fromkeys((*self._base_datasets(), *self.used)))

    def dataset_keys(self) -> dict[str, list[str]]:
        """The cite keys of each dataset used (the registry's ``cite`` field)."""
        return {name: list(DATASETS[name].cite) for name in self.datasets()}

    @property
    def cite_keys(self) -> list[str]:
        keys = [k for keys in self.dataset_keys().values() for k in keys]
        return list(dict.fromkeys(keys))

    def _base_datasets(self) -> tuple[str, ...]:
        return SYSTEMS[self.system].datasets

    def citations(self) -> list[str]:
        """Plain-text citations of every dataset used so far."""
        # once each: datasets that share a cite key (MID 5.0's) share the citation
        return list(dict.fromkeys(DATASETS[name].citation for name in self.datasets()))

    def bibtex(self) -> str:
        """BibTeX entries for every dataset used so far."""
        return "\n\n".join(BIBTEX[k] for k in self.cite_keys)

    def span(self) -> tuple[int | None, int | None]:
        """First and last year of the state system in the store (whatever ``years`` is)."""
        table = self._base_datasets()[0]
        rows = self.con.execute(
            f"SELECT MIN(year)::INTEGER, MAX(year)::INTEGER FROM {table}"
        ).fetchall()
        first, last = rows[0] if rows else (None, None)
        return first, last

    def uncovered(self) -> dict[str, tuple[int, int]]:
        """The datasets of the covariates asked for whose registered years miss ``years``.

        Their columns are missing in every row of the panel; the command line says so. A
        dataset read without the year (the state list of ``names``) is not listed.
        """
        first, last = self.years
        undated = {n for j in self.joins if not j.dated for n in j.datasets}
        undated -= {n for j in self.joins if j.dated for n in j.datasets}
        out = {}
        for name in dict.fromkeys(self.used):
            if name in undated:
                continue
            covered = DATASETS[name].years
            if covered and (covered[1] < first or covered[0] > last):
                out[name] = covered
        return out

    def count(self) -> int:
        """Number of rows (every ``with_*`` keeps it)."""
        rows = self.con.execute(f"SELECT COUNT(*) FROM ({self.base})").fetchall()
        return int(rows[0][0]) if rows else 0

    def metadata(self) -> dict[str, str]:
        """What the output files carry besides the rows: the datasets and their cite
        keys (JSON), the code system and the years."""
        return {
            "alliances.datasets": json.dumps(self.dataset_keys()),
            "alliances.cite_keys": json.dumps(self.cite_keys),
            "alliances.system": self.system,
            "alliances.years": f"{self.years[0]}-{self.years[1]}",
        }

    def to_arrow(self, *, names: Naming = "alliances") -> pa.Table:
        """The panel as an Arrow table, its schema carrying :meth:`metadata`.

        ``names="peacesciencer"`` gives each column peacesciencer's name where it has one
        (:mod:`alliances.world.names`); the default keeps ours.
        """
        check_naming(names)
        table = self.con.sql(self.sql()).to_arrow_table()
        table = table.rename_columns(output_names(table.column_names, names))
        return table.replace_schema_metadata({**(table.schema.metadata or {}), **self.metadata()})

    def to_pandas(
        self,
        dtype_backend: Literal["pyarrow", "numpy", "numpy_nullable", "float"] = "pyarrow",
        *,
        names: Naming = "alliances",
    ) -> pd.DataFrame:
        """The panel as a DataFrame; ``attrs`` carries the citations, the datasets and
        their cite keys.

        Every column has its documented dtype (:data:`alliances.world.columns.COLUMNS`):
        with the default ``dtype_backend="pyarrow"``, Arrow-backed (``int8[pyarrow]``,
        ``double[pyarrow]``; missing is ``<NA>``; no copy); with ``"numpy"``, nullable
        integers (``Int8`` …), strings (``string``) and NumPy floats (missing is NaN);
        with ``"numpy_nullable"`` floats are ``Float64`` too; with ``"float"``, plain
        NumPy columns for models (``int64`` where nothing is missing, else ``float64``
        with NaN), which statsmodels and ``np.linalg`` take as they are.

        ``names="peacesciencer"`` names the columns as peacesciencer does where it has
        the same quantity (``cowmidonset``, ``dyadigos``, ``polity21``; the table is
        :data:`alliances.world.names.PEACESCIENCER`, docs/crosswalk.md); the values and
        dtypes are the same.
        """
        check_naming(names)
        table = self.con.sql(self.sql()).to_arrow_table()
        table = table.rename_columns(output_names(table.column_names, names))
        frame = arrow_to_pandas(table, dtype_backend)
        frame.attrs["citations"] = self.citations()
        frame.attrs["datasets"] = self.datasets()
        frame.attrs["cite_keys"] = self.dataset_keys()
        frame.attrs["system"] = self.system
        return frame

    def to_file(self, path: str | os.PathLike[str], *, names: Naming = "alliances") -> Path:
        """Write the panel, atomically, in the format of the extension of ``path``.

        ``.parquet`` and ``.feather`` / ``.arrow`` keep every dtype and carry
        :meth:`metadata` (datasets, cite keys) in the file; ``.csv`` is plain text;
        ``.dta`` is Stata 118 with each variable's label from the column table
        (a missing value is Stata's ``.``). ``names="peacesciencer"`` writes
        peacesciencer's column names where it has them (see :meth:`to_pandas`), with the
        same labels.
        """
        return write_panel(self, path, names=names)

    to_parquet = to_file


"""The extensions :meth:`_Panel.to_file` writes."""


class DyadYears(_Panel):
    """A dyad-year panel; chain ``with_*`` calls, then ``to_pandas`` or ``to_file``.

    Directed COW panels are read from the store's cache table when it holds every
    covariate asked for (``alliances data build`` writes it with the same joins); other
    panels are joined on the fly. Both give the same rows and values.
    """

    def _cached_sql(self) -> str | None:
        if self.system != "cow" or self.filtered or CACHE not in table_names(self.con):
            return None
        names = [n for n in COVARIATES if COVARIATES[n]() in self.joins]
        if len(names) != len(self.joins) or not set(names) <= cached_covariates(self.con):
            return None
        columns = [*self.keys, *(_alias(s) for j in self.joins for s in j.select)]
        where = f"year BETWEEN {self.years[0]} AND {self.years[1]}"
        if not self.directed:
            where += " AND ccode1 < ccode2"
        # The cache is stored in (year, ccode1, ccode2) order and a filtered scan keeps it.
        return f"SELECT {', '.join(columns)} FROM {CACHE} WHERE {where}"

    kind = "covariate"
    covariates = DYAD_COVARIATES

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
        """COW NMC 7.0 for both sides: ``cinc1``, ``cinc2``, ``milex1`` … ``tpop2``,
        ``irst1`` (iron and steel), ``pec1`` (primary energy), ``upop1`` (urban) …"""
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

    def with_mids(
        self,
        source: Literal["cow", "gml"] = "cow",
        *,
        one_per_dyad_year: Literal["whittle"] | None = None,
    ) -> DyadYears:
        """MIDs: onset, ongoing, highest hostility level, number of disputes, from COW MID
        5.0 (``cowmid_*``, 1816–2014) or, with ``source="gml"``, the Gibler–Miller–Little
        corrections 2.2.1 (``gmlmid_*``, 1816–2010).

        ``one_per_dyad_year="whittle"`` (COW only) also adds the one dispute of each
        directed dyad-year that peacesciencer's ``add_cow_mids`` keeps, chosen by its
        whittle rules (:data:`alliances.world.builders.WHITTLE_RULES`: onset, fatality,
        hostility, duration, reciprocation, start month), with the columns of the dispute
        and of each side: ``cowmid_dispnum``, ``cowmid_sidea1`` (side A),
        ``cowmid_orig1`` (originator), ``cowmid_fatality1``, ``cowmid_hiact1`` (highest
        action), ``cowmid_hostlev1`` … (:func:`alliances.world.builders.whittled_mids`).
        """
        if source not in builders.MID_SOURCES:
            msg = f"with_mids(source={source!r}): expected 'cow' or 'gml'"
            raise DataError(msg)
        if one_per_dyad_year not in (None, "whittle"):
            msg = f"with_mids(one_per_dyad_year={one_per_dyad_year!r}): expected 'whittle' or None"
            raise DataError(msg)
        if one_per_dyad_year and source != "cow":
            msg = "with_mids(one_per_dyad_year='whittle') whittles COW MIDs: use source='cow'"
            raise DataError(msg)
        panel = self.with_("mids" if source == "cow" else "mids:gml")
        return panel.with_("mids:whittle") if one_per_dyad_year else panel

    def with_majors(self) -> DyadYears:
        """COW major powers: ``cowmaj1``, ``cowmaj2`` (0/1; missing outside 1816–2016)."""
        return self.with_("majors")

    def filter_prd(self) -> DyadYears:
        """Keep the politically relevant dyad-years only: directly contiguous (any COW
        type) or with a major power, as peacesciencer's ``filter_prd``
        (:func:`alliances.world.builders.prd_units`; only 1816–2016 are known)."""
        if self.filtered:
            return self
        require_tables(self.con, ("cow_contdir", "cow_majors"), "filter_prd()")
        base, datasets = builders.prd_units(self.base)
        return replace(self, base=base, filtered=True, used=(*self.used, *datasets))

    def with_peace_years(
        self,
        source: Literal["cow", "gml"] = "cow",
        *,
        event: Literal["ongoing", "onset"] = "ongoing",
        ongoing_as_missing: bool = False,
        cubic: bool = False,
    ) -> DyadYears:
        """Peace years since the last MID year, ``cowmidspell`` or ``gmlmidspell`` (with
        ``cubic``, also ``…spell2`` and ``…spell3``), counted as peacesciencer's
        ``add_spells`` (:func:`alliances.world.builders.peace_years`)."""
        join = builders.peace_years(
            self.system,
            source=source,
            event=event,
            ongoing_as_missing=flag(ongoing_as_missing, "ongoing_as_missing"),
            cubic=flag(cubic, "cubic"),
        )
        return self._add(join, "with_peace_years()")

    def with_capital_distance(self) -> DyadYears:
        """``capdist``: great-circle km between the two capitals (peacesciencer's
        capitals data; G-W capitals in a G-W panel)."""
        return self.with_("capital_distance")

    def with_ucdp(self) -> DyadYears:
        """UCDP/PRIO armed conflicts of each side (``ucdpongoing1`` …) and between the two
        (``ucdp_interstate_ongoing``, ``ucdp_interstate_onset``), 1946 on."""
        return self.with_("ucdp")

    def with_territorial_threat(self) -> DyadYears:
        """Latent external territorial threat of each side, ``lterrthreat1`` and
        ``lterrthreat2`` (1816–2010)."""
        return self.with_("territorial_threat")

    def with_names(self) -> DyadYears:
        """State names and abbreviations: ``statename1``, ``stateabb1``, … ``stateabb2``."""
        return self.with_("names")

    def with_wars(self) -> DyadYears:
        """COW inter-state wars: ``war`` 1 if the two fought each other that year."""
        return self.with_("wars")

    def with_alliance_exits(self) -> DyadYears:
        """Early exits from ATOP 4.0 alliances: ``atop_exit1`` is 1 in the year ccode1
        left early an alliance in which ccode2 was its co-member, ``atop_exit2`` the
        same of ccode2 (:mod:`alliances.world.exits`; missing outside 1815–2016)."""
        return self.with_("alliance_exits")

    def with_affinity(self) -> DyadYears:
        """UNGA ideal points (Bailey, Strezhnev and Voeten) of both sides and their
        distance."""
        return self.with_("affinity")


def _alias(select: str) -> str:
    return select.rsplit(" AS ", 1)[1]


def materialise(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Write the directed COW dyad-year panel with every covariate the store can give
    into the cache table that :class:`DyadYears` reads; returns the covariates.

    The cache's tables and fingerprints are :mod:`alliances.world.panel_cache`'s.
    """
    drop_cache(con)
    if "cow_ddy" not in table_names(con):
        return []
    names = available_covariates(con)
    panel = dyad_years(con, system="cow", years=(0, 9999)).with_(*names)
    write_cache(con, panel.sql(), names)
    return names


def _connection(
    con: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None,
) -> duckdb.DuckDBPyConnection:
    if isinstance(con, duckdb.DuckDBPyConnection):
        return check_open(con)
    return connect(con)


def dyad_years(
    con: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None = None,
    *,
    system: System = "cow",
    years: tuple[int, int] = (1816, 2014),
    directed: bool = True,
) -> DyadYears:
    r"""Every dyad-year of the state system in ``years``, directed or not.

    The units are the pairs of states that are both members of the state system in a
    year, from the store's dyad list (peacesciencer's ``create_dyadyears``; Miller 2022
    [1]_): the COW State System Membership List (COW 2017 [2]_) or, with
    ``system="gw"``, Gleditsch and Ward's list of independent states [3]_. A year with
    :math:`n` members has

    .. math::

        n(n - 1) \text{ directed dyads } (A, B) \text{ and } (B, A), \qquad
        n(n - 1) / 2 \text{ undirected ones } (A < B).

    The panel is lazy: nothing is read until :meth:`DyadYears.to_pandas`,
    :meth:`DyadYears.to_arrow` or :meth:`DyadYears.to_file`; each ``with_*`` covariate
    is a LEFT JOIN inside DuckDB that keeps every row (see the module for the coverage
    rules). Directed COW panels are read from the store's cache when it holds the
    covariates asked for.

    Parameters
    ----------
    con : duckdb connection, str, path or None, optional
        An open connection to the store, a store path, or None for the default store
        (``ALLIANCES_STORE`` or the user cache).
    system : {"cow", "gw"}, optional
        The state system: Correlates of War (default) or Gleditsch–Ward. In a G-W panel,
        COW-coded sources are joined through the year-specific crosswalk
        (``gw_cw_panel``): ``ccode1`` and ``ccode2`` are the matched COW codes, missing
        where COW has no such state.
    years : (int, int), optional
        The first and last year, both included. Default ``(1816, 2014)``.
    directed : bool, optional
        Both orders of each pair (default), or each pair once, lower code first.

    Returns
    -------
    DyadYears
        The panel, keyed ``ccode1``, ``ccode2``, ``year`` (Int16; ``gwcode1``,
        ``gwcode2``, ``year``, ``ccode1``, ``ccode2`` in a G-W panel); chain ``with_*``
        calls, then ``to_pandas()`` or ``to_file()``.

    Raises
    ------
    alliances.errors.ParameterError
        If ``years`` is not two whole years, first at most last, or ``directed`` is not a
        bool.
    alliances.errors.DataError
        If ``system`` is neither ``"cow"`` nor ``"gw"``, the store lacks the system's
        dyad list, or there is no store (or the connection is closed).

    References
    ----------
    .. [1] Miller, S. V. (2022). peacesciencer: An R package for quantitative peace
       science research. *Conflict Management and Peace Science* 39(6): 755–779.
    .. [2] Correlates of War Project (2017). State System Membership List, v2016.
       https://correlatesofwar.org.
    .. [3] Gleditsch, K. S. and Ward, M. D. (1999). A revised list of independent states
       since the Congress of Vienna. *International Interactions* 25(4): 393–413.

    Examples
    --------
    A store of three states in 2016, the United States (2), Russia (365) and Iran (630),
    with their ATOP obligations, written by the example:

    >>> import duckdb
    >>> from alliances.world import dyad_years
    >>> con = duckdb.connect()  # in memory
    >>> _ = con.execute(
    ...     "CREATE TABLE cow_ddy AS SELECT a.c AS ccode1, b.c AS ccode2, 2016 AS year "
    ...     "FROM (VALUES (2), (365), (630)) a(c), (VALUES (2), (365), (630)) b(c) "
    ...     "WHERE a.c <> b.c"
    ... )
    >>> _ = con.execute(
    ...     "CREATE TABLE atop_alliance AS SELECT * FROM (VALUES (2, 365, 2016, 0, 0, 0, 1, 0), "
    ...     "(365, 2, 2016, 0, 0, 0, 1, 0), (365, 630, 2016, 0, 0, 1, 1, 1), "
    ...     "(630, 365, 2016, 0, 0, 1, 1, 1)) AS t(ccode1, ccode2, year, atop_defense, "
    ...     "atop_offense, atop_neutral, atop_nonagg, atop_consul)"
    ... )
    >>> dyad_years(con, years=(2016, 2016)).count()  # n(n - 1), n = 3
    6
    >>> dyad_years(con, years=(2016, 2016), directed=False).count()  # n(n - 1) / 2
    3
    >>> frame = dyad_years(con, years=(2016, 2016)).with_alliances().to_pandas()
    >>> frame[["ccode1", "ccode2", "atop_defense", "atop_consul"]]
       ccode1  ccode2  atop_defense  atop_consul
    0       2     365             0            0
    1       2     630             0            0
    2     365       2             0            0
    3     365     630             0            1
    4     630       2             0            0
    5     630     365             0            1
    >>> frame.attrs["datasets"]  # and frame.attrs["citations"]
    ['cow_ddy', 'atop_alliance']
    >>> con.close()

    On the store ``alliances data build`` writes:

    >>> dyads = dyad_years(years=(1990, 2014)).with_alliances().with_trade()  # doctest: +SKIP
    >>> len(dyads.to_pandas())  # -> 892032  # doctest: +SKIP
    """
    first, last = year_pair(years)
    directed = flag(directed, "directed")
    con = _connection(con)
    base, keys = units_sql(con, system, ("1", "2"), (first, last), directed=directed)
    return DyadYears(
        con=con, system=system, years=(first, last), base=base, keys=keys, directed=directed
    )


# --- state-years ---------------------------------------------------------------------


class StateYears(_Panel):
    """A state-year panel; chain ``with_*`` calls, then ``to_pandas`` or ``to_file``."""

    kind = "state-year covariate"
    covariates = STATE_COVARIATES

    def with_capabilities(self) -> StateYears:
        """COW NMC 7.0: ``cinc``, ``milex``, ``milper``, ``tpop``, ``irst``, ``pec``,
        ``upop``."""
        return self.with_("capabilities")

    def with_gdp(self) -> StateYears:
        """Fariss et al. (2022): ``gdp``, ``pop``, ``gdppc``."""
        return self.with_("gdp")

    def with_democracy(self) -> StateYears:
        """V-Dem polyarchy, Polity2 and Extended UDS."""
        return self.with_("democracy")

    def with_trade(self) -> StateYears:
        """COW national trade: total ``imports`` and ``exports``, current million USD."""
        return self.with_("trade")

    def with_igos(self) -> StateYears:
        """COW IGO v3: ``igos_full`` and ``igos_any``, the IGOs the state belongs to."""
        return self.with_("igos")

    def with_affinity(self) -> StateYears:
        """UNGA ideal point (Bailey, Strezhnev and Voeten), ``idealpoint``."""
        return self.with_("affinity")

    def with_territorial_threat(self) -> StateYears:
        """Latent external territorial threat, ``lterrthreat`` (1816–2010)."""
        return self.with_("territorial_threat")

    def with_majors(self) -> StateYears:
        """COW major power, ``cowmaj`` (0/1; missing outside 1816–2016)."""
        return self.with_("majors")

    def with_capital_distance(self) -> StateYears:
        """``mincapdist``: km to the nearest capital of another member that year."""
        return self.with_("capital_distance")

    def with_ucdp(self) -> StateYears:
        """UCDP/PRIO armed conflicts with the state as side A: ``ucdpongoing``,
        ``ucdponset``, ``ucdp_maxintensity`` (1946 on)."""
        return self.with_("ucdp")

    def with_names(self) -> StateYears:
        """``statename`` and ``stateabb``."""
        return self.with_("names")


def state_years(
    con: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None = None,
    *,
    system: System = "cow",
    years: tuple[int, int] = (1816, 2014),
) -> StateYears:
    """Every state-year of the state system in ``years``.

    The units are the states of the system's dyad list in each year (peacesciencer's
    ``create_stateyears``; Miller 2022 [1]_): the COW State System Membership List
    (COW 2017 [2]_) or, with ``system="gw"``, Gleditsch and Ward's [3]_. Each ``with_*``
    covariate adds one column per quantity of the state (``with_capabilities()``:
    ``cinc``, ``milex`` …), by a LEFT JOIN that keeps every row; the panel is read only
    by ``to_pandas()``, ``to_arrow()`` or ``to_file()``.

    Parameters
    ----------
    con : duckdb connection, str, path or None, optional
        As in :func:`dyad_years`: a connection, a store path, or None for the default
        store.
    system : {"cow", "gw"}, optional
        The state system: Correlates of War (default) or Gleditsch–Ward (then ``gwcode``
        and the matched COW ``ccode``).
    years : (int, int), optional
        The first and last year, both included. Default ``(1816, 2014)``.

    Returns
    -------
    StateYears
        The panel, keyed ``ccode``, ``year`` (``gwcode``, ``year``, ``ccode`` in a G-W
        panel).

    Raises
    ------
    alliances.errors.ParameterError
        If ``years`` is not two whole years, first at most last.
    alliances.errors.DataError
        If ``system`` is neither ``"cow"`` nor ``"gw"``, the store lacks the system's
        dyad list, or there is no store (or the connection is closed).

    References
    ----------
    .. [1] Miller, S. V. (2022). peacesciencer: An R package for quantitative peace
       science research. *Conflict Management and Peace Science* 39(6): 755–779.
    .. [2] Correlates of War Project (2017). State System Membership List, v2016.
       https://correlatesofwar.org.
    .. [3] Gleditsch, K. S. and Ward, M. D. (1999). A revised list of independent states
       since the Congress of Vienna. *International Interactions* 25(4): 393–413.

    Examples
    --------
    A store of three states in 2014 and their national trade (COW, current USD m),
    written by the example:

    >>> import duckdb
    >>> from alliances.world import state_years
    >>> con = duckdb.connect()  # in memory
    >>> _ = con.execute(
    ...     "CREATE TABLE cow_ddy AS SELECT a.c AS ccode1, b.c AS ccode2, 2014 AS year "
    ...     "FROM (VALUES (2), (365), (630)) a(c), (VALUES (2), (365), (630)) b(c) "
    ...     "WHERE a.c <> b.c"
    ... )
    >>> _ = con.execute(
    ...     "CREATE TABLE cow_trade_sy AS SELECT * FROM (VALUES (2, 2014, 2345186, 1623421), "
    ...     "(365, 2014, 285844, 497615), (630, 2014, 96361, 86361)) "
    ...     "AS t(ccode, year, imports, exports)"
    ... )
    >>> state_years(con, years=(2014, 2014)).with_trade().to_pandas()
       ccode  year    imports    exports
    0      2  2014  2345186.0  1623421.0
    1    365  2014   285844.0   497615.0
    2    630  2014    96361.0    86361.0
    >>> con.close()

    On the store ``alliances data build`` writes:

    >>> states = state_years(years=(2016, 2016)).with_capabilities().to_pandas()  # doctest: +SKIP
    >>> len(states), states.loc[states.ccode == 2, "milex"].item()  # doctest: +SKIP
    >>> # -> (195, 604452000.0): the 195 COW members, US military expenditure (USD thousands)
    """
    first, last = year_pair(years)
    con = _connection(con)
    base, keys = units_sql(con, system, ("",), (first, last), directed=True)
    return StateYears(con=con, system=system, years=(first, last), base=base, keys=keys)


# --- member-years ---------------------------------------------------------------------


class MemberYears(StateYears):
    """A member-year panel: one row per membership of an ATOP alliance and year in force
    (:mod:`alliances.world.exits`), keyed ``atopid``, ``ccode``, ``year``, with
    ``start_year``, ``exit_early`` and ``exit_class``; every state-year covariate joins
    on the member (``.with_capabilities()`` …)."""

    kind = "member-year covariate"

    def _base_datasets(self) -> tuple[str, ...]:
        return ("atop_members_v4",)


def member_years(
    con: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None = None,
    *,
    years: tuple[int, int] = (1815, 2016),
) -> MemberYears:
    r"""Every membership of an ATOP 4.0 alliance in each year of ``years`` it was in force.

    One row per membership (a state in an alliance, its phases merged:
    :func:`alliances.world.exits.memberships`) and year from its entry to its end, from
    the ATOP 4.0 member-level file (Leeds et al. 2002 [1]_; Leeds 2018 [2]_). How it
    ended is decoded from ATOP's TERMMODE and TERMCAUS
    (:data:`alliances.world.exits.EXIT_CODES`); the event is a member's early exit on
    its own account (TERMMODE 3 with TERMCAUS 4, 6, 7 or 8: withdrawal or denunciation,
    war between the allies, realignment, other acts against the alliance), the
    abrogation Leeds and Savun (2007) [3]_ study:

    .. math::

        \mathrm{exit\_early}_{it} = 1 \iff t = \text{the year membership } i
        \text{ ended and it ended in } \texttt{early\_exit},

    so that the mean of ``exit_early`` over member-years is the yearly hazard of an early
    exit. Every state-year covariate of :class:`StateYears` joins on the member
    (``.with_capabilities()`` …).

    Parameters
    ----------
    con : duckdb connection, str, path or None, optional
        As in :func:`dyad_years`: a connection, a store path, or None for the default
        store.
    years : (int, int), optional
        The first and last year, both included; ATOP 4.0 covers 1815–2016 (the default).

    Returns
    -------
    MemberYears
        The panel, keyed ``atopid``, ``ccode``, ``year``, with ``start_year`` (the year
        the membership began), ``exit_early`` (1 in the year the member left early on
        its own account, else 0) and ``exit_class`` (how the membership ended, in the
        year it ended: a key of :data:`alliances.world.exits.EXIT_CLASSES`; missing in
        the other years).

    Raises
    ------
    alliances.errors.ParameterError
        If ``years`` is not two whole years, first at most last.
    alliances.errors.DataError
        If the store lacks ``atop_members_v4`` (the ATOP 4.0 member-level file), the file holds a
        termination pair the decoding does not know, or there is no store (or the
        connection is closed).

    References
    ----------
    .. [1] Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance
       Treaty Obligations and Provisions, 1815–1944. *International Interactions* 28(3):
       237–260.
    .. [2] Leeds, B. A. (2018). *Alliance Treaty Obligations and Provisions (ATOP)
       Codebook*, version 4.0. atopdata.org.
    .. [3] Leeds, B. A. and Savun, B. (2007). Terminating alliances: Why do states
       abrogate agreements? *Journal of Politics* 69(4): 1118–1132.

    Examples
    --------
    Two members of the Baghdad Pact (ATOP 3275), Turkey (640) and Iraq (645), which left
    it in 1959 (TERMMODE 3, TERMCAUS 4: withdrawal), as the ATOP 4.0 member file has
    them, written by the example:

    >>> import duckdb
    >>> from alliances.world import member_years
    >>> con = duckdb.connect()  # in memory
    >>> _ = con.execute(
    ...     "CREATE TABLE atop_members_v4 AS SELECT * FROM (VALUES "
    ...     "(3275, 640, 1955, 1979, 0, 3, 3), (3275, 645, 1955, 1959, 0, 3, 4)) "
    ...     "AS t(atopid, member, yrent, yrexit, phase, termmode, termcaus)"
    ... )
    >>> member_years(con, years=(1958, 1960)).to_pandas()
       atopid  ccode  year  start_year  exit_early  exit_class
    0    3275    640  1958        1955           0        <NA>
    1    3275    645  1958        1955           0        <NA>
    2    3275    640  1959        1955           0        <NA>
    3    3275    645  1959        1955           1  early_exit
    4    3275    640  1960        1955           0        <NA>
    >>> con.close()

    On the store ``alliances data build`` writes:

    >>> frame = member_years(years=(1950, 2016)).to_pandas()  # doctest: +SKIP
    >>> len(frame), int(frame.exit_early.sum())  # doctest: +SKIP
    >>> # -> (37277, 193): 193 early exits in 37,277 member-years
    """
    first, last = year_pair(years)
    con = _connection(con)
    require_tables(con, ("atop_members_v4",), "member_years()")
    exits.register_spells(con)
    return MemberYears(
        con=con,
        system="cow",
        years=(first, last),
        base=exits.member_years_sql((first, last)),
        keys=("atopid", "ccode", "year", "start_year", "exit_early", "exit_class"),
    )
