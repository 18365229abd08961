"""The units of a panel as SQL: the dyads or states of a code system in some years.

The COW system lists its dyads in ``cow_ddy``; the Gleditsch–Ward system in ``gw_ddy``,
with isard's year-by-year crosswalk to the COW codes that COW-coded sources join on
(:func:`units_sql`). :mod:`alliances.world.panel` starts every panel here.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from alliances.errors import DataError
from alliances.world.connection import table_names

__all__ = ["SYSTEMS", "require_tables", "units_sql"]


@dataclass(frozen=True)
class _System:
    """A code system: its dyad list (and crosswalk), and the name of its codes."""

    datasets: tuple[str, ...]
    code: str


SYSTEMS: dict[str, _System] = {
    "cow": _System(("cow_ddy",), "ccode"),
    "gw": _System(("gw_ddy", "gw_cw_panel"), "gwcode"),
}
CROSSWALK = "(SELECT gwcode, year, MIN(ccode) AS ccode FROM gw_cw_panel GROUP BY ALL)"


def units_sql(
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
    if system not in SYSTEMS:
        msg = f"system={system!r} should be {' or '.join(map(repr, SYSTEMS))}"
        raise DataError(msg)
    spec = SYSTEMS[system]
    require_tables(
        con, spec.datasets, f"{'dyad' if len(sides) == 2 else 'state'}_years({system=})"
    )
    code = spec.code
    columns = [f"g.{code}{side or '1'} AS {code}{side}" for side in sides]
    columns.append("g.year::INTEGER AS year")
    joins = ""
    if code != "ccode":
        for side in sides:
            m = f"m{side or '1'}"
            columns.append(f"{m}.ccode AS ccode{side}")
            joins += f" LEFT JOIN {CROSSWALK} {m} ON {m}.gwcode = g.{code}{side or '1'} "
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


def require_tables(con: duckdb.DuckDBPyConnection, datasets: tuple[str, ...], what: str) -> None:
    """Raise a :class:`~alliances.errors.DataError` naming ``what`` needs the ``datasets``
    the store does not hold."""
    missing = [d for d in datasets if d not in table_names(con)]
    if missing:
        msg = (
            f"{what} needs {', '.join(missing)}, which the store does not hold; add the "
            "files to the data directory and run `alliances data build`"
        )
        raise DataError(msg)
