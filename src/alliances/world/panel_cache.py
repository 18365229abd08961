"""The store's cache of the directed COW dyad-year panel, with every covariate joined.

``alliances data build`` writes it (:func:`alliances.world.panel.materialise`), so that
a panel of cached covariates is read from one table instead of joined afresh. Each
covariate is kept with a fingerprint of the SQL that joins it: the cache serves a
covariate only while this version of the package would join it the same way.
"""

from __future__ import annotations

import hashlib

import duckdb

from alliances.errors import DataError
from alliances.world.connection import table_names
from alliances.world.covariates import COVARIATES

__all__ = [
    "CACHE",
    "CACHE_INDEX",
    "available_covariates",
    "cache_is_current",
    "cached_covariates",
    "drop_cache",
    "write_cache",
]

CACHE = "panel_cow_directed"
"""The cache table: the directed COW dyad-years with every covariate the store gives."""
CACHE_INDEX = "panel_cow_directed_covariates"
"""The covariates the cache holds (``name``) and the fingerprint of each join."""


def available_covariates(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The dyad-year covariates whose datasets the store holds, in registry order."""
    tables = table_names(con)
    return [n for n, f in COVARIATES.items() if set(f().datasets) <= tables]


def drop_cache(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP TABLE IF EXISTS {CACHE}")
    con.execute(f"DROP TABLE IF EXISTS {CACHE_INDEX}")


def write_cache(con: duckdb.DuckDBPyConnection, sql: str, names: list[str]) -> None:
    """Write the panel of ``sql`` as the cache, holding the covariates ``names``."""
    try:
        con.execute(f"CREATE TABLE {CACHE} AS {sql}")  # typed as the column table
    except duckdb.Error as error:
        msg = f"cannot write the panel cache from the loaded tables: {error}"
        raise DataError(msg) from None
    con.execute(
        f"CREATE TABLE {CACHE_INDEX} AS SELECT unnest(?::VARCHAR[]) AS name, "
        "unnest(?::VARCHAR[]) AS fingerprint",
        [names, [_fingerprint(n) for n in names]],
    )


def cache_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's panel cache holds every covariate the store can give, each
    joined as this version of the package joins it (``materialise`` renews it)."""
    if CACHE not in table_names(con):
        return False
    return set(available_covariates(con)) <= cached_covariates(con)


def cached_covariates(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The covariates the cache holds as this version of the package would join them
    (none from a store written before the cache kept fingerprints)."""
    try:
        rows = con.execute(f"SELECT name, fingerprint FROM {CACHE_INDEX}").fetchall()
    except duckdb.Error:
        return set()
    return {name for name, digest in rows if name in COVARIATES and digest == _fingerprint(name)}


def _fingerprint(name: str) -> str:
    """A digest of the SQL that joins covariate ``name``: the cache serves a covariate
    only while the package would join it the same way (a fix of a join after the store
    was built makes the panel join it afresh, until ``alliances data build`` runs again)."""
    return hashlib.sha256(repr(COVARIATES[name]()).encode()).hexdigest()
