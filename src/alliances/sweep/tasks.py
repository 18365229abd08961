"""The work of one shard, as a worker runs it: read the store, compute, write one file.

Each worker process opens the store read-only once (workers share nothing but the
store's file), writes each shard atomically (a temporary file renamed over the target,
so a kill leaves no partial file) and returns what the manifest records of it. A wedge
shard drafts its triads from one read of the year's data and prices them all on the
year's common random numbers (:func:`common_draws`).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from alliances import countries
from alliances._files import atomic_path
from alliances.analysis.wedge import compile_model, wedge
from alliances.analysis.wedge.common import CommonDraws
from alliances.analysis.wedge.summary import price_summary
from alliances.errors import AlliancesError, DataError, UnknownCountryError
from alliances.scenario.labels import input_labels
from alliances.scenario.model import Scenario
from alliances.studies.drafting import draft_many
from alliances.studies.world_alignment import align_world, world_tie_price
from alliances.sweep.plan import AlignSweep, Shard, WedgeSweep, triad_seed
from alliances.world import connect

__all__ = [
    "ALIGN_SCHEMA",
    "WEDGE_SCHEMA",
    "align_shard",
    "common_draws",
    "file_sha256",
    "warm_up",
    "wedge_shard",
]

_QUANTILES = ("p05", "p25", "p50", "p75", "p95")

WEDGE_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("divider", pa.int16()),
        ("target", pa.int16()),
        ("partner", pa.int16()),
        ("divider_id", pa.string()),
        ("target_id", pa.string()),
        ("partner_id", pa.string()),
        ("status", pa.string()),
        ("reason", pa.string()),
        ("triad_seed", pa.int64()),
        ("samples", pa.int32()),
        *((f"o_star_{q}", pa.float64()) for q in _QUANTILES),
        ("p_zero", pa.float64()),
        ("p_infinite", pa.float64()),
        ("p_within_means", pa.float64()),
        ("p_flip_own_package", pa.float64()),
        ("max_offer_p50", pa.float64()),
        ("reference_offer_mean", pa.float64()),
        ("top_driver", pa.string()),
        ("top_driver_label", pa.string()),
        ("top_driver_rho", pa.float64()),
        ("top_driver_st", pa.float64()),
        ("draft_warnings", pa.int16()),
    ]
)
"""The columns of a wedge sweep, one row per triad (docs/scale.md describes each)."""

ALIGN_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("ccode", pa.int16()),
        ("state_id", pa.string()),
        ("bloc", pa.int8()),
        ("actors", pa.int16()),
        ("energy", pa.float64()),
        ("optimal", pa.bool_()),
        ("gap", pa.float64()),
        ("seconds", pa.float64()),
        ("divider", pa.int16()),
        ("tie_price", pa.float64()),
    ]
)
"""The columns of an alignment sweep: one row per state and year, and one per (divider,
target) pair with the systemic price of their tie (``divider`` set, ``ccode`` the
target)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(frame: pd.DataFrame, schema: pa.Schema, out_dir: str, shard: Shard) -> dict[str, Any]:
    path = Path(out_dir) / shard.file
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    # The year is in the folder's name (year=YYYY), as Hive-style readers expect: a
    # column of the same name in the file too would stop pd.read_parquet(DIR / kind).
    table = table.drop_columns(["year"])
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return {"file": shard.file, "rows": table.num_rows, "sha256": file_sha256(path)}


def _ident(code: int) -> str:
    try:
        return countries.resolve(int(code)).code
    except UnknownCountryError:  # a code the country list lacks keeps its number
        return str(code)


_OPEN: dict[tuple[str, int, int], duckdb.DuckDBPyConnection] = {}


def _store(path: str) -> duckdb.DuckDBPyConnection:
    """The store, opened read-only once per worker process (one DuckDB thread: the
    worker is one of several processes on the machine) and again only if its file
    changes."""
    stat = os.stat(path)
    key = (path, stat.st_mtime_ns, stat.st_size)
    con = _OPEN.get(key)
    if con is None:
        for old in [k for k in _OPEN if k[0] == path]:
            _OPEN.pop(old).close()
        con = _OPEN[key] = connect(path, threads=1)
    return con


def warm_up(store: str) -> None:
    """Ready a worker before its first shard: the modules a shard runs are imported and
    the store is opened, once (the runner calls it on every worker)."""
    import alliances.studies.drafting.builder  # noqa: F401  (imported for its cost)

    _store(store)


def common_draws(seed: int, year: int, samples: int) -> CommonDraws:
    """The common random numbers of a wedge sweep's year: every triad of ``year`` is
    priced on them (:mod:`alliances.analysis.wedge.common`), so a row is reproduced by
    ``wedge(draft, samples=samples, uniforms=common_draws(seed, year,
    samples).uniforms(compile_model(draft)))``.

    >>> common_draws(0, 2010, 1000).entropy
    [0, 2010]
    """
    return CommonDraws([int(seed), int(year)], int(samples))


def wedge_shard(store: str, spec: WedgeSweep, shard: Shard, out_dir: str) -> dict[str, Any]:
    """Draft and price every triad of ``shard``; write its rows; return its record.

    Every triad keeps its row: one the data cannot draft, or whose model is undefined,
    has ``status`` and ``reason`` and no numbers; one that meets a bug of the package has
    ``status = "error"`` and the error as its reason. The shard goes on either way.
    """
    started = time.perf_counter()
    drafts = draft_many(list(shard.triads), shard.year, con=_store(store), errors="return")
    draws = common_draws(spec.seed, shard.year, spec.samples)
    rows = []
    for (d, t, p), drafted in zip(shard.triads, drafts, strict=True):
        row: dict[str, Any] = {
            "year": shard.year,
            "divider": d,
            "target": t,
            "partner": p,
            "divider_id": _ident(d),
            "target_id": _ident(t),
            "partner_id": _ident(p),
            "triad_seed": triad_seed(spec.seed, shard.year, d, t, p),
            "samples": spec.samples,
        }
        if isinstance(drafted, DataError):
            rows.append({**row, "status": "not drafted", "reason": str(drafted)})
            continue
        row["draft_warnings"] = len(drafted.warnings)
        try:
            rows.append({**row, **_priced(drafted.scenario, spec, row["triad_seed"], draws)})
        except AlliancesError as error:
            rows.append({**row, "status": "not priced", "reason": str(error)})
        except Exception as error:  # a bug: recorded in the row, the shard goes on
            reason = f"{type(error).__name__}: {error} (a bug of alliances: please report it)"
            rows.append({**row, "status": "error", "reason": reason})
    frame = pd.DataFrame(rows, columns=WEDGE_SCHEMA.names)
    record = _write(frame, WEDGE_SCHEMA, out_dir, shard)
    ok = int((frame["status"] == "ok").sum())
    return {**record, "ok": ok, "seconds": time.perf_counter() - started}


def _priced(scenario: Scenario, spec: WedgeSweep, seed: int, draws: CommonDraws) -> dict[str, Any]:
    """The row's numbers: the price in brief on the year's common draws, and with
    ``--sobol`` the top driver by its total Sobol' index (its points seeded by ``seed``)."""
    model = compile_model(scenario, labels=False)
    summary = price_summary(model, samples=spec.samples, seed=None, draws=draws)
    if spec.sobol:
        full = wedge(scenario, samples=2, seed=seed, sobol_samples=spec.sobol, keep_draws=False)
        if len(full.drivers):
            top = full.drivers.sort_values("ST", ascending=False).iloc[0]
            summary["top_driver"] = str(top["input"])
            summary["top_driver_st"] = float(top["ST"])
    if summary["top_driver"] is not None:
        name = summary["top_driver"]
        summary["top_driver_label"] = input_labels(scenario, [name])[name]
    return {"status": "ok", **summary}


def align_shard(store: str, spec: AlignSweep, shard: Shard, out_dir: str) -> dict[str, Any]:
    """The world's minimum-energy partition in the shard's year, and the systemic price
    of each (divider, target) tie; write its rows; return its record."""
    started = time.perf_counter()
    con = _store(store)
    found = align_world(con, shard.year, time_limit=spec.time_limit)
    prices = [
        (d, t, world_tie_price(con, shard.year, d, t, time_limit=spec.time_limit))
        for d, t in spec.pairs
    ]
    codes = found.blocs
    common = {
        "year": shard.year,
        "actors": found.actors,
        "energy": found.energy,
        "optimal": found.optimal,
        "gap": found.gap,
        "seconds": found.seconds,
    }
    rows = [
        {**common, "ccode": code, "state_id": _ident(code), "bloc": bloc}
        for code, bloc in sorted(codes.items())
    ]
    rows += [
        {**common, "ccode": t, "state_id": _ident(t), "divider": d, "tie_price": price}
        for d, t, price in prices
    ]
    frame = pd.DataFrame(rows, columns=ALIGN_SCHEMA.names)
    record = _write(frame, ALIGN_SCHEMA, out_dir, shard)
    return {**record, "ok": len(codes), "seconds": time.perf_counter() - started}
