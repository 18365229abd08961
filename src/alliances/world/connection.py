"""Where the store lives and how to open it: the one module every reader of the store uses.

:mod:`alliances.world.store` builds the store and :mod:`alliances.world.panel` reads it;
both open it from here, so neither imports the other's home.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from alliances.errors import DataError

__all__ = ["connect", "default_store", "provenance", "store_path", "table_names"]


def default_store() -> Path:
    """``ALLIANCES_STORE`` if set, else ``world.duckdb`` in the user's cache directory."""
    if os.environ.get("ALLIANCES_STORE"):
        return Path(os.environ["ALLIANCES_STORE"]).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("alliances") / "world.duckdb"


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The names of the tables (and views) of the store ``con`` is connected to."""
    rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    return {row[0] for row in rows}


def store_path(con: duckdb.DuckDBPyConnection) -> str | None:
    """The file of the store ``con`` is connected to, or None for an in-memory one."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return None if row is None or not row[0] else str(row[0])


def provenance(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The provenance table of an open store: one row per loaded dataset, by name."""
    return con.execute("SELECT * FROM datasets ORDER BY name").df()


def connect(store: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the store; a clear error if it has not been built."""
    path = Path(store) if store else default_store()
    if not path.is_file():
        msg = f"{path}: no store here; run `alliances data build --data-dir DIR` first"
        raise DataError(msg)
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        msg = f"{path}: cannot open the store ({error}); rebuild it with `alliances data build`"
        raise DataError(msg) from None
