"""Reading a sweep back: its rows as a DataFrame, the cheapest splits, the bloc shifts."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from alliances.errors import DataError
from alliances.sweep.manifest import NAME, Manifest, find
from alliances.sweep.tasks import ALIGN_SCHEMA, WEDGE_SCHEMA

__all__ = ["bloc_shifts", "cheapest", "read"]

_SCHEMAS = {"wedge": WEDGE_SCHEMA, "align": ALIGN_SCHEMA}


def read(folder: str | os.PathLike[str], kind: str = "wedge") -> pd.DataFrame:
    """The rows of the finished shards of the ``kind`` sweep (``"wedge"`` or ``"align"``)
    in ``folder``, in the order of the years and parts, with the documented columns
    (docs/scale.md); integers stay integers, missing numbers are NaN.

    A shard that is not finished (not in the manifest) is not read; a listed shard whose
    file is missing or unreadable is an error that names it.
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
    tables = []
    for year, path in manifest.files(kind):
        try:
            table = pq.read_table(path, schema=stored)  # a year column (older files): left out
        except (OSError, pa.ArrowException) as error:
            msg = f"{path}: a finished shard cannot be read ({error}); rerun the sweep to redo it"
            raise DataError(msg) from None
        years = pa.array([year] * table.num_rows, schema.field("year").type)
        tables.append(table.add_column(0, schema.field("year"), years))
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    return table.to_pandas()


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
