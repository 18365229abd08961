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
    """The rows of the finished shards of the ``kind`` sweep (``"wedge"`` or ``"align"``)
    in ``folder``, in the order of the years and parts, with the documented columns
    (docs/scale.md); integers stay integers, missing numbers are NaN.

    A shard that is not finished (not in the manifest) is not read. Each listed shard's
    file is read once and checked against the SHA-256 and the rows the manifest records:
    a file that is missing, unreadable, changed or swapped for another is a
    :class:`~alliances.errors.DataError` that names it and says to rerun the sweep, which
    computes it again.
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
