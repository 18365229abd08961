"""Where the store lives and how to open it: the one module every reader of the store uses.

:mod:`alliances.world.store` builds the store and :mod:`alliances.world.panel` reads it;
both open it from here, so neither imports the other's home.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from alliances._values import whole_number
from alliances.errors import DataError, ParameterError

__all__ = [
    "check_is_duckdb",
    "check_open",
    "check_store_whole",
    "connect",
    "damaged_store",
    "default_store",
    "no_default_store",
    "provenance",
    "resolve_store",
    "store_path",
    "table_names",
]


def default_store() -> Path:
    """``ALLIANCES_STORE`` if set, else ``world.duckdb`` in the user's cache directory."""
    if os.environ.get("ALLIANCES_STORE"):
        return Path(os.environ["ALLIANCES_STORE"]).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("alliances") / "world.duckdb"


def no_default_store() -> str:
    """Why a run without a store given has none: the default one is not built (the
    words of the command line and the workbench)."""
    return f"no store at {default_store()} (build one with `alliances data build`)"


def resolve_store(
    store: str | os.PathLike[str] | None = None, *, required: bool = False
) -> Path | None:
    """The store a command reads, found the one way every output finds it.

    ``store`` given (``--store``, ``ALLIANCES_STORE`` through :func:`default_store`, or a
    path): it must be there, else a :class:`~alliances.errors.DataError` says how to
    build it. Not given: the default store if it has been built, else None, or with
    ``required`` a :class:`~alliances.errors.DataError` saying that none is built.
    """
    if store is not None:
        path = Path(store).expanduser()
        if not path.is_file():
            msg = (
                f"{path}: no store here (given by --store or ALLIANCES_STORE); build it "
                "with `alliances data build --data-dir DIR --store PATH` or leave --store out"
            )
            raise DataError(msg)
        return path
    found = default_store()
    if found.is_file():
        return found
    if required:
        raise DataError(no_default_store())
    return None


CLOSED = "the store connection is closed; open one with alliances.world.connect()"
"""What a world function given a closed connection says."""


def check_open(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` if it is open, else a :class:`~alliances.errors.DataError` saying to open
    one (DuckDB's own ``ConnectionException`` names neither the store nor the remedy).

    The one check of the world functions that take a connection (the panel builders).
    """
    try:
        con.execute("SELECT 1")
    except duckdb.ConnectionException as error:
        if "closed" not in str(error).lower():
            raise
        raise DataError(CLOSED) from None
    return con


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


# Every DuckDB file has this mark at byte 8 (after its header's checksum), whatever else
# in it is damaged: a file without it is something else, never a store.
_MAGIC = b"DUCK"
_MAGIC_AT = 8


def check_is_duckdb(path: str | os.PathLike[str]) -> None:
    """Refuse (:class:`~alliances.errors.DataError`) a file that is no DuckDB file at all
    (a scenario, a CSV given as ``--store`` by mistake), so that it is neither read as a
    store nor replaced by one; an empty file passes (there is nothing in it to lose)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_MAGIC_AT + len(_MAGIC))
    except OSError as error:
        msg = f"{path}: cannot read the store ({error.strerror or error})"
        raise DataError(msg) from None
    if head and head[_MAGIC_AT:] != _MAGIC:
        msg = (
            f"{path}: not a store (a DuckDB file has {_MAGIC.decode()!r} at byte "
            f"{_MAGIC_AT}); give the file `alliances data build` wrote, or build one "
            "under a new name with `alliances data build --data-dir DIR --store NEW.duckdb`"
        )
        raise DataError(msg)


def _rebuild(path: Path | str) -> str:
    return f"rebuild it with `alliances data build --data-dir DIR --store {path}`"


# The stores this process opened, last one last: the command line's one error handler
# names the store a damage was found in (DuckDB's message does not).
_OPENED: list[Path] = []

# What DuckDB says of a file that is not what it wrote (a truncated or overwritten store).
_DAMAGE = (
    "corrupt database file",
    "checksum",
    "could not read enough bytes",
    "not a valid duckdb database file",
    "the file is not a valid",
)


def damaged_store(error: BaseException) -> DataError | None:
    """The :class:`~alliances.errors.DataError` for a DuckDB error that says a store this
    process opened is damaged (a checksum that does not match, a truncated file), naming
    the store and the command that rebuilds it; None for any other error."""
    module = type(error).__module__ or ""
    if not module.lstrip("_").startswith("duckdb"):
        return None
    text = str(error)
    if not any(mark in text.lower() for mark in _DAMAGE):
        return None
    path = _OPENED[-1] if _OPENED else default_store()
    return DataError(f"{path}: the store is damaged ({text}); {_rebuild(path)}")


# DuckDB keeps its thread count in a signed 64-bit integer
_MAX_THREADS = 2**63 - 1


def _check_threads(threads: object) -> int:
    count = whole_number(threads)
    if count is None or not 1 <= count <= _MAX_THREADS:
        msg = f"threads={threads!r}: expected a whole number of threads, 1 or more (or None)"
        raise ParameterError(msg)
    return count


def connect(
    store: str | os.PathLike[str] | None = None, *, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the world data store read-only: the one way every reader of the store opens it.

    The store is the DuckDB file ``alliances data build`` writes: one table per dataset,
    the ``datasets`` provenance table and the dyad-year panel cache. It is checked before
    it is opened (a file, and a DuckDB file at all), so that a missing, mistaken or
    damaged store is a clear error naming the command that builds or rebuilds it, never
    DuckDB's own message.

    Parameters
    ----------
    store : str or path, optional
        The store's file. Default: :func:`default_store` (``ALLIANCES_STORE`` if set,
        else ``world.duckdb`` in the user's cache directory).
    threads : int, optional
        A cap on DuckDB's threads, a whole number of 1 or more (1 for a sweep worker, one
        of several processes). Default: DuckDB's own (one per core).

    Returns
    -------
    duckdb.DuckDBPyConnection
        A read-only connection; close it when done (``con.close()``).

    Raises
    ------
    alliances.errors.DataError
        If there is no file at ``store``, the file is not a DuckDB file, or DuckDB cannot
        open it (a damaged store); the message says how to build or rebuild it.
    alliances.errors.ParameterError
        If ``threads`` is not a whole number of 1 or more.

    Examples
    --------
    Any DuckDB file opens; here a one-table store the example writes:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import duckdb
    >>> from alliances.world import connect
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name) / "tiny.duckdb"
    >>> with duckdb.connect(str(path)) as writer:
    ...     _ = writer.execute("CREATE TABLE datasets (name VARCHAR, version VARCHAR)")
    ...     _ = writer.execute("INSERT INTO datasets VALUES ('cow_nmc', '7.0')")
    >>> con = connect(path, threads=1)
    >>> con.execute("SELECT name, version FROM datasets").fetchall()
    [('cow_nmc', '7.0')]
    >>> con.close()
    >>> connect(Path(folder.name) / "world.duckdb")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    alliances.errors.DataError: .../world.duckdb: no store here; run ... first
    >>> folder.cleanup()

    The store ``alliances data build`` wrote (the default one):

    >>> con = connect()  # doctest: +SKIP
    >>> sql = "SELECT version, rows FROM datasets WHERE name = 'cow_nmc'"  # doctest: +SKIP
    >>> con.execute(sql).fetchone()  # -> ('7.0', 17121)  # doctest: +SKIP
    >>> con.close()  # doctest: +SKIP
    """
    count = None if threads is None else _check_threads(threads)
    path = Path(store) if store else default_store()
    if path.is_dir():
        msg = f"{path}: a folder, not a store; give the store's file (such as {path}/world.duckdb)"
        raise DataError(msg)
    if not path.is_file():
        msg = f"{path}: no store here; run `alliances data build --data-dir DIR` first"
        raise DataError(msg)
    check_is_duckdb(path)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        msg = f"{path}: cannot open the store ({error}); {_rebuild(path)}"
        raise DataError(msg) from None
    if count is not None:
        # A setting, not a connection option: DuckDB refuses a second connection to a
        # file open in this process with other options (an in-process Dask worker).
        con.execute(f"SET threads = {count}")
    _OPENED.append(path)
    del _OPENED[:-8]
    return con


def check_store_whole(path: str | os.PathLike[str]) -> str | None:
    """Read every block of the store at ``path`` (every column of every table); return
    why it cannot be used (it does not open, a block fails its checksum), or None.

    About a second for the full world store: for ``alliances data build``, which must
    not copy a damaged store into the new one.
    """
    try:
        con = duckdb.connect(os.fspath(path), read_only=True)
    except duckdb.Error as error:
        return str(error)
    try:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
        for (table,) in tables:
            columns = con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                [table],
            ).fetchall()
            if not columns:
                continue
            # hash() reads every value (a count may be answered from the statistics)
            counts = ", ".join(
                f'max(hash("{c.replace(chr(34), chr(34) * 2)}"))' for (c,) in columns
            )
            quoted = table.replace('"', '""')
            con.execute(f'SELECT {counts} FROM "{quoted}"').fetchall()
    except duckdb.Error as error:
        return str(error)
    finally:
        con.close()
    return None
