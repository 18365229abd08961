"""The embedded DuckDB store of the world data, and its provenance table.

``build`` loads every registered dataset it finds in a data directory into one DuckDB
file, with a ``datasets`` table that records each dataset's name, version, citation,
files, SHA-256, rows and coverage. It is incremental (a dataset whose files are unchanged
is not read again) and atomic: it works on a copy of the store in the same folder and
renames it over the old one only when done, so an interrupted or failed build never
leaves a broken store. An old store that fails its checks (it does not open, or a block
fails its checksum: a truncated or overwritten file) is not copied: the store is then
built from nothing, and the report says why (``rebuilt``). Missing or unreadable datasets
are reported, not fatal. One build of a store runs at a time (it locks the store's
folder); it deletes its working copy on any exit, and the working copies of builds that
were killed are deleted by the next one.

After loading, it writes the directed COW dyad-year panel with every covariate the store
can give to a cache table (:func:`alliances.world.panel.materialise`,
:mod:`alliances.world.panel_cache`), so that panels are read rather than joined each time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from alliances._files import temporary
from alliances.errors import DataError, OutputError
from alliances.world import panel, panel_cache
from alliances.world.connection import (
    check_is_duckdb,
    check_store_whole,
    connect,
    default_store,
    provenance,
    table_names,
)
from alliances.world.readers import read
from alliances.world.registry import DATASETS, Dataset

__all__ = [
    "BuildReport",
    "build",
    "connect",
    "data_dir",
    "default_store",
    "provenance",
    "status",
    "table_names",
]

_PROVENANCE = """
CREATE TABLE IF NOT EXISTS datasets (
    name VARCHAR PRIMARY KEY, title VARCHAR, version VARCHAR, citation VARCHAR,
    cite_keys VARCHAR, files VARCHAR, sha256 VARCHAR, rows BIGINT, first_year INTEGER,
    last_year INTEGER, unit VARCHAR, unmatched VARCHAR, note VARCHAR, loaded_at VARCHAR
)
"""


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``path``, else ``ALLIANCES_DATA_DIR``; it must exist."""
    chosen = path or os.environ.get("ALLIANCES_DATA_DIR")
    if not chosen:
        msg = "no data directory: pass --data-dir DIR or set ALLIANCES_DATA_DIR"
        raise DataError(msg)
    folder = Path(chosen).expanduser()
    if not folder.is_dir():
        msg = f"{folder}: the data directory does not exist or is not a folder"
        raise DataError(msg)
    return folder


@dataclass
class BuildReport:
    """What a build did, dataset by dataset."""

    store: Path
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    unverified: dict[str, str] = field(default_factory=dict)
    rebuilt: str | None = None
    """Why the old store was not used (it failed its checks): built from nothing."""

    def to_dict(self) -> dict[str, object]:
        return {
            "store": str(self.store),
            "loaded": self.loaded,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "failed": self.failed,
            "unmatched": self.unmatched,
            "unverified": self.unverified,
            "rebuilt": self.rebuilt,
            "seconds": self.seconds,
        }


def _files(spec: Dataset, root: Path) -> list[Path]:
    found: list[Path] = []
    for pattern in spec.files:
        found += sorted(root.glob(pattern)) if "*" in pattern else [root / pattern]
    return found


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sha256(paths: list[Path], digests: list[str]) -> str:
    """One hash of a dataset's files (names and contents), to tell when to reload it."""
    total = hashlib.sha256()
    for path, digest in zip(paths, digests, strict=True):
        total.update(f"{path.name}:{digest}\n".encode())
    return total.hexdigest()


_UNVERIFIED = " (unverified: hash differs)"
"""Appended to the version in the provenance table when a file is not the registered one."""


def _unverified(spec: Dataset, root: Path, paths: list[Path], digests: list[str]) -> str | None:
    """What differs between the files found and the hashes the registry expects, or None.

    A dataset with no registered hashes is not checked.
    """
    if not spec.sha256:
        return None
    problems: list[str] = []
    found: dict[str, str] = {}
    for path, digest in zip(paths, digests, strict=True):
        relative = path.relative_to(root).as_posix()
        found[relative] = digest
        expected = spec.sha256.get(relative)
        if expected is None:
            problems.append(f"found {path} (SHA-256 {digest}), which is not in the registry")
        elif expected != digest:
            problems.append(f"expected SHA-256 {expected} for {path} but found {digest}")
    problems += [
        f"expected {root / relative} (SHA-256 {expected}) but it is not there"
        for relative, expected in spec.sha256.items()
        if relative not in found
    ]
    if not problems:
        return None
    others = len(problems) - 1
    more = f" (and {others} other file{'s' if others > 1 else ''})" if others else ""
    return (
        f"{problems[0]}{more}: the file may be another release or corrupted; "
        f"check the dataset's version ({spec.version})"
    )


def build(
    data: str | os.PathLike[str] | None = None,
    store: str | os.PathLike[str] | None = None,
    *,
    only: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    strict: bool = False,
) -> BuildReport:
    """Load the datasets found in ``data`` into the store at ``store``.

    Parameters
    ----------
    data : path, optional
        The data directory (default: ``ALLIANCES_DATA_DIR``).
    store : path, optional
        The DuckDB file (default: :func:`default_store`).
    only : list of str, optional
        Dataset names to consider; the others are left as they are.
    progress : callable, optional
        Called with each dataset's name before it is read, and with
        "dyad-year panel cache" before the cache is written.
    strict : bool, optional
        Refuse a dataset whose files do not have the SHA-256 the registry gives: it is
        then a failure (``report.failed``), as an unreadable one. By default it is
        loaded, listed in ``report.unverified`` and its version in the provenance table
        is marked "(unverified: hash differs)".
    """
    started = time.perf_counter()
    root = data_dir(data)
    target = Path(store) if store else default_store()
    target.parent.mkdir(parents=True, exist_ok=True)
    report = BuildReport(store=target)
    specs = [DATASETS[n] for n in only] if only else list(DATASETS.values())

    if target.is_file():
        check_is_duckdb(target)  # never replace a file the user made that is no store
    with _build_lock(target):
        _remove_orphans(target)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
        with temporary(tmp, Path(f"{tmp}.wal")):
            try:
                if target.exists():
                    damage = check_store_whole(target)
                    if damage is None:
                        shutil.copy2(target, tmp)
                    else:  # rebuilt from nothing: never copy a damaged store forward
                        report.rebuilt = damage
                con = duckdb.connect(str(tmp))
                try:
                    con.execute("SET enable_progress_bar = false")
                    con.execute(_PROVENANCE)
                    recorded = dict(con.execute("SELECT name, sha256 FROM datasets").fetchall())
                    for spec in specs:
                        _load_one(
                            con, spec, root, recorded.get(spec.name), report, progress, strict
                        )
                    if report.loaded or not panel_cache.cache_is_current(con):
                        if progress:
                            progress("dyad-year panel cache")
                        try:
                            panel.materialise(con)
                        except DataError as error:  # panels are then joined on the fly
                            report.failed["panel cache"] = str(error)
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                os.replace(tmp, target)
            except (OSError, duckdb.IOException) as error:
                full = (
                    getattr(error, "errno", None) == errno.ENOSPC or "space" in str(error).lower()
                )
                reason = "the disk is full" if full else str(error)
                msg = f"{target}: cannot write the store ({reason}); the previous store is kept"
                raise OutputError(msg) from None
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """Lock the store's folder (flock on the folder itself): one build there at a time.

    Locking the folder rather than a lock file leaves nothing behind beside the store.
    """
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            msg = f"{target}: another `alliances data build` is writing in this folder; wait"
            raise DataError(msg) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _remove_orphans(target: Path) -> list[Path]:
    """Delete the working copies that killed builds left beside the store.

    Called with the build lock held, so no other build is using them.
    """
    orphans = [*target.parent.glob(f".{target.name}.*.building*")]
    for path in orphans:
        path.unlink(missing_ok=True)
    return orphans


def _load_one(
    con: duckdb.DuckDBPyConnection,
    spec: Dataset,
    root: Path,
    recorded_sha: str | None,
    report: BuildReport,
    progress: Callable[[str], None] | None,
    strict: bool = False,
) -> None:
    if progress:  # once per dataset, loaded or not, so that a caller can count them
        progress(spec.name)
    paths = _files(spec, root)
    absent = [p for p in paths if not p.is_file()]
    if not paths or absent:
        where = absent[0] if absent else root / spec.files[0]
        report.missing[spec.name] = f"{where} not found"
        return
    digests = [_file_sha256(path) for path in paths]
    sha = _sha256(paths, digests)
    problem = _unverified(spec, root, paths, digests)
    if problem and strict:
        report.failed[spec.name] = f"{problem}; refused (strict build)"
        return
    if problem:
        report.unverified[spec.name] = f"{problem}, or pass --strict to refuse it"
    version = spec.version + _UNVERIFIED if problem else spec.version
    if sha == recorded_sha:
        report.unchanged.append(spec.name)
        # The registry may have changed since: what it says of the data (version, years,
        # citation) is brought up to date; what was measured of the files is kept.
        first, last = spec.years or (None, None)
        con.execute(
            "UPDATE datasets SET title = ?, version = ?, citation = ?, cite_keys = ?, "
            "first_year = ?, last_year = ?, unit = ?, note = ? WHERE name = ?",
            [
                spec.title,
                version,
                spec.citation,
                ",".join(spec.cite),
                first,
                last,
                spec.unit,
                spec.note,
                spec.name,
            ],
        )
        return
    try:
        loaded = read(spec, paths)
    except DataError as error:
        report.failed[spec.name] = str(error)
        return
    frame = loaded.frame
    con.register("incoming", frame)
    try:
        con.execute(f'CREATE OR REPLACE TABLE "{spec.name}" AS SELECT * FROM incoming')
    finally:
        con.unregister("incoming")
    first, last = spec.years or (None, None)
    con.execute(
        "INSERT OR REPLACE INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            spec.name,
            spec.title,
            version,
            spec.citation,
            ",".join(spec.cite),
            ",".join(str(p.relative_to(root)) for p in paths)
            if len(paths) < 5
            else f"{len(paths)} files: {spec.files[0]}",
            sha,
            len(frame),
            first,
            last,
            spec.unit,
            json.dumps(loaded.unmatched),
            spec.note,
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        ],
    )
    report.loaded.append(spec.name)
    if loaded.unmatched:
        report.unmatched[spec.name] = loaded.unmatched


def status(store: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The provenance table of the store: one row per loaded dataset, by name.

    ``alliances data build`` records, for every dataset it loads, its ``name``,
    ``title``, ``version`` (marked "(unverified: hash differs)" when its files are not
    the registered ones), ``citation`` and ``cite_keys``, ``files`` and their
    ``sha256``, ``rows``, ``first_year`` and ``last_year`` of coverage, ``unit``,
    ``unmatched`` (country names that matched no state, as JSON), ``note`` and
    ``loaded_at`` (UTC). ``alliances data status`` shows the same table.

    Parameters
    ----------
    store : str or path, optional
        The store's file. Default: :func:`default_store` (``ALLIANCES_STORE`` if set,
        else ``world.duckdb`` in the user's cache directory).

    Returns
    -------
    pandas.DataFrame
        The ``datasets`` table, one row per dataset, sorted by ``name``.

    Raises
    ------
    alliances.errors.DataError
        If there is no store at ``store``, it cannot be opened (see :func:`connect`), or
        it is a DuckDB file without a ``datasets`` table (not built by alliances).

    Examples
    --------
    A store with a provenance table of one dataset, which the example writes:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import duckdb
    >>> from alliances.world import status
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name) / "tiny.duckdb"
    >>> with duckdb.connect(str(path)) as writer:
    ...     _ = writer.execute("CREATE TABLE datasets (name TEXT, version TEXT, rows BIGINT)")
    ...     _ = writer.execute("INSERT INTO datasets VALUES ('cow_nmc', '7.0', 17121)")
    >>> status(path).to_dict("records")
    [{'name': 'cow_nmc', 'version': '7.0', 'rows': 17121}]
    >>> folder.cleanup()

    The store ``alliances data build`` wrote (the default one):

    >>> table = status()  # doctest: +SKIP
    >>> len(table), table.loc[0, "name"], table.loc[0, "version"]  # doctest: +SKIP
    >>> # -> (54, 'atop_alliance', '5.1') with the datasets of ../shared/data
    """
    con = connect(store)
    try:
        if "datasets" not in table_names(con):
            msg = (
                f"{store or default_store()}: not a store built by alliances (no datasets "
                "table); build one with `alliances data build`"
            )
            raise DataError(msg)
        return provenance(con)
    finally:
        con.close()
