"""Reading a sweep back: its rows as a DataFrame, the cheapest splits, the bloc shifts."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from alliances._yaml import SCENARIO, check_regular, read_regular, stat_file
from alliances.errors import DataError
from alliances.sweep.manifest import NAME, Listed, Manifest, find
from alliances.sweep.tasks import ALIGN_SCHEMA, WEDGE_SCHEMA

__all__ = ["bloc_shifts", "cheapest", "read"]

_SCHEMAS = {"wedge": WEDGE_SCHEMA, "align": ALIGN_SCHEMA}
_SHARD = dataclasses.replace(
    SCENARIO,
    max_bytes=4 << 30,
    cannot_read="its file cannot be read ({reason})",
    folder="its file is a folder",
    not_regular="its file is {kind}, not a regular Parquet file",
    file_too_big="its file is {size:,} bytes, more than a shard can be ({max_bytes:,})",
    file_grew="its file grew beyond {max_bytes:,} bytes while it was read",
    missing="its file is missing",
)


def read(folder: str | os.PathLike[str], kind: str = "wedge") -> pd.DataFrame:
    """The rows of the finished shards of the ``kind`` sweep in ``folder``, as one frame.

    The shards :func:`~alliances.sweep.run` wrote (``KIND/year=YYYY/part-K.parquet``) are
    read in the order of the years and parts, with the documented columns of
    ``docs/scale.md``; integers stay integers (``year`` int16), missing numbers are NaN.
    A shard that is not finished (not in the folder's manifest) is not read. Each listed
    shard's file is read once and checked against the SHA-256 and the number of rows the
    manifest records, so a file changed or swapped after the run is never read as the
    sweep's.

    A wedge sweep has one row per (year, divider, target, partner): the COW codes
    (``divider``, ``target``, ``partner``) and ids (``divider_id`` …), ``status``
    (``ok``, ``not drafted``, ``not priced``, ``error``) and ``reason``, the quantiles
    ``o_star_p05`` … ``o_star_p95`` of the flip price O* (USD), ``p_zero``,
    ``p_infinite``, ``p_within_means`` (P(O* < O_max)), ``p_flip_own_package``, the top
    driver and ``draft_warnings``. An alignment sweep has one row per state and year
    (``ccode``, ``state_id``, ``bloc``, the year's ``energy`` …) and one per divider–target
    pair with its ``tie_price``.

    Parameters
    ----------
    folder : str or path
        The output folder of :func:`~alliances.sweep.run` (``alliances sweep ... --out``).
    kind : {"wedge", "align"}, optional
        Which sweep of the folder to read. Default ``"wedge"``.

    Returns
    -------
    pandas.DataFrame
        One row per triad (wedge) or per state and pair (align) of the finished shards;
        empty, with the columns, if none is finished.

    Raises
    ------
    alliances.errors.DataError
        If ``folder`` holds no sweep (no manifest), ``kind`` is not ``"wedge"`` or
        ``"align"``, the folder holds no sweep of that kind, or a listed shard's file is
        missing, unreadable, changed or swapped for another: the message names it and
        says to rerun the sweep, which computes it again.

    See Also
    --------
    run : write the folder.
    cheapest : the cheapest splits of a year, from these rows.

    Examples
    --------
    >>> import tempfile
    >>> from alliances.sweep import read
    >>> folder = tempfile.TemporaryDirectory()
    >>> read(folder.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    alliances.errors.DataError: ...: no sweep here (no _manifest.json); run `alliances sweep ...`
    >>> folder.cleanup()

    A folder :func:`~alliances.sweep.run` wrote (its example: Russia from Iran, 2010):

    >>> frame = read("sweep")  # doctest: +SKIP
    >>> first = frame.iloc[0]  # doctest: +SKIP
    >>> first.divider_id, first.target_id, first.partner_id, first.status  # doctest: +SKIP
    >>> # -> ('USA', 'RUS', 'IRN', 'ok')
    >>> round(first.o_star_p50 / 1e9, 1), first.p_within_means  # doctest: +SKIP
    >>> # -> (11.1, 0.8025): a median flip price of USD 11.1 bn, within US means 80% of the time
    """
    root = Path(folder)
    if find(root) is None:
        msg = f"{root}: no sweep here (no {NAME}); run `alliances sweep {kind} --out {root}`"
        raise DataError(msg)
    if kind not in _SCHEMAS:
        msg = f"kind={kind!r}: expected 'wedge' or 'align'"
        raise DataError(msg)
    manifest = Manifest.load(root)
    if kind not in manifest.sweeps:
        msg = f"{root}: holds no {kind} sweep (it holds: {', '.join(manifest.sweeps) or 'none'})"
        raise DataError(msg)
    schema = _SCHEMAS[kind]
    stored = schema.remove(schema.get_field_index("year"))  # the year is in the folder name
    rerun = _rerun(manifest, kind)
    tables = []
    for shard in manifest.files(kind):
        data = _shard_bytes(shard, rerun)
        if hashlib.sha256(data).hexdigest() != shard.sha256:
            msg = (
                f"{shard.path}: shard {shard.key} is not the file the sweep wrote (its "
                f"SHA-256 differs from the one in {manifest.path}: changed, replaced or "
                f"swapped for another); {rerun}"
            )
            raise DataError(msg)
        try:  # a year column (older files): left out
            table = pq.read_table(pa.BufferReader(data), schema=stored)
        except (OSError, pa.ArrowException) as error:
            msg = f"{shard.path}: shard {shard.key} cannot be read ({error}); {rerun}"
            raise DataError(msg) from None
        if table.num_rows != shard.rows:
            msg = (
                f"{shard.path}: shard {shard.key} holds {table.num_rows} rows, the manifest "
                f"{manifest.path} lists {shard.rows}; {rerun}"
            )
            raise DataError(msg)
        years = pa.array([shard.year] * table.num_rows, schema.field("year").type)
        tables.append(table.add_column(0, schema.field("year"), years))
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    return table.to_pandas()


def _rerun(manifest: Manifest, kind: str) -> str:
    """What to do about a bad shard: rerun the command that wrote the sweep."""
    command = manifest.sweeps[kind].get("command") or (
        f"alliances sweep {kind} ... --out {manifest.root}"
    )
    return f"rerun the sweep command to recompute it: {command}"


def _shard_bytes(shard: Listed, rerun: str) -> bytes:
    """The bytes of a shard's file: a regular file, read once."""

    def fail(message: str, line: int | None) -> DataError:
        return DataError(f"{shard.path}: shard {shard.key}: {message}; {rerun}")

    name = os.fspath(shard.path)
    info = stat_file(name, fail, _SHARD)
    if info is None:
        raise fail(_SHARD.missing, None)
    check_regular(info.st_mode, info.st_size, fail, _SHARD)
    return read_regular(name, fail, _SHARD)


def cheapest(frame: pd.DataFrame, year: int | None = None, top: int = 10) -> pd.DataFrame:
    """The ``top`` priced triads of ``year`` (default: the last year) with the lowest
    median flip price O*, ties broken by the larger P(O* < O_max)."""
    priced = frame[frame["status"] == "ok"]
    if priced.empty:
        return priced
    year = int(priced["year"].max()) if year is None else int(year)
    rows = priced[priced["year"] == year]
    return rows.sort_values(
        ["o_star_p50", "p_within_means", "divider", "target", "partner"],
        ascending=[True, False, True, True, True],
    ).head(top)


def bloc_shifts(frame: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The years of an alignment sweep whose blocs moved most: for each pair of
    consecutive years, how many states changed bloc and which, the most first.

    The two blocs of a year carry no names, so a year's blocs are matched to the year
    before's by the larger overlap; a state moved if its matched bloc differs. States in
    only one of the two years (new or gone) are not counted.
    """
    states = frame[frame["divider"].isna() & frame["bloc"].notna()]
    out = []
    years = sorted(states["year"].unique())
    for before, after in itertools.pairwise(years):
        a = states[states["year"] == before].set_index("ccode")["bloc"]
        b = states[states["year"] == after].set_index("ccode")
        common = a.index.intersection(b.index)
        if common.empty:
            continue
        same = a[common] == b.loc[common, "bloc"]
        flip = int(same.sum()) < len(common) - int(same.sum())  # the numbers swapped
        moved = common[same == flip]
        out.append(
            {
                "from_year": int(before),
                "to_year": int(after),
                "moved": len(moved),
                "states": ", ".join(sorted(b.loc[moved, "state_id"].astype(str))),
            }
        )
    shifts = pd.DataFrame(out, columns=["from_year", "to_year", "moved", "states"])
    return shifts.sort_values(["moved", "to_year"], ascending=[False, True]).head(top)
