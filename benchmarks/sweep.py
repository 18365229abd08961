"""Benchmark of the world-wide wedge sweep: its kernel, its workers and the projected time
of the 1950–2014 and 1816–2014 sweeps at 10^4 draws.

Run with ``make bench`` or ``.venv/bin/python benchmarks/sweep.py [--store S | --data-dir
DIR] [--samples N] [--triads N] [--years Y,Y,...] [--worker-triads N]`` (default: build
the store from ../shared/data in a temporary folder). In one run it

1. plans the triads of every year 1816–2014 (ATOP-allied pair x COW major power outside
   it), as ``alliances sweep wedge`` does;
2. for each of ``--years``, takes one shard's worth of that year's triads (``--triads``
   consecutive ones from the middle of the year, as a shard holds them) and times, on
   one core (CPU time of this process, its DuckDB on one thread: steadier than the wall
   clock on a busy machine), drafting them (``draft_many``) and pricing them at
   ``--samples`` draws three ways: the sweep's kernel (the year's common random
   numbers), the plain loop (each triad its own draws: ``price_summary`` with its triad
   seed, as 0.2.0 did) and the limit (drawing the same number of uniforms, D x N a
   triad, with NumPy's PCG64 and nothing else);
3. runs ``alliances.sweep.run`` on ``--worker-triads`` triads of the last year with 1 and
   then 2 worker processes (shards of a quarter of them each; time from the first shard
   submitted to the last one done, wall clock: run it on a quiet machine) and checks
   both give the same rows;
4. prints draws per second per core of the three ways and their ratios, the speed-up
   from 1 to 2 workers, and the projected time of the 1950–2014 and 1816–2014 sweeps at
   10^4 draws on 2 workers: each year's triads at the measured cost of the nearest
   measured year (drafting, plus pricing scaled to 10^4 draws), divided by the measured
   speed-up. docs/scale.md reports the numbers.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from alliances.analysis.wedge import compile_model
from alliances.analysis.wedge.summary import price_summary
from alliances.studies.drafting import draft_many
from alliances.sweep import WedgeSweep, common_draws, read, run, triad_seed
from alliances.sweep.plan import _triads
from alliances.world import build

TARGET = 10_000  # draws of the projected sweeps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--samples", type=int, default=TARGET)
    parser.add_argument("--triads", type=int, default=600)
    parser.add_argument("--years", default="1870,1910,1960,1985,2010")
    parser.add_argument("--worker-triads", type=int, default=4000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alliances-bench-sweep-"))
    try:
        store = args.store or build(args.data_dir, work / "world.duckdb").store
        years = [int(y) for y in args.years.split(",")]
        bench(Path(store), work, years, args.triads, args.samples, args.worker_triads)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _middle(rows: pd.DataFrame, n: int) -> list[tuple[int, int, int]]:
    start = max(0, (len(rows) - n) // 2)
    chunk = rows.iloc[start : start + n]
    return [(int(d), int(t), int(p)) for d, t, p in chunk[["divider", "target", "partner"]].values]


def _one_year(
    con: duckdb.DuckDBPyConnection, year: int, triads: list[tuple[int, int, int]], samples: int
) -> dict[str, float]:
    """Seconds of drafting and of the three ways of pricing ``triads`` of ``year``."""
    started = time.process_time()
    drafts = draft_many(triads, year, con=con, errors="return")
    drafting = time.process_time() - started
    models = [
        (t, compile_model(d.scenario, labels=False))
        for t, d in zip(triads, drafts, strict=True)
        if not isinstance(d, Exception)
    ]
    started = time.process_time()
    draws = common_draws(0, year, samples)
    for _, model in models:
        price_summary(model, samples=samples, seed=None, draws=draws)
    kernel = time.process_time() - started
    loop_models = models[: max(1, len(models) // 4)]  # the plain loop is slow: a quarter
    started = time.process_time()
    for triad, model in loop_models:
        price_summary(model, samples=samples, seed=triad_seed(0, year, *triad))
    loop = (time.process_time() - started) * len(models) / len(loop_models)
    uniforms = sum(len(m.uncertain) for _, m in models) * samples
    rng = np.random.default_rng(0)
    started = time.process_time()
    for _, model in models:
        rng.random((len(model.uncertain), samples))
    limit = time.process_time() - started
    return {
        "triads": len(triads),
        "priced": len(models),
        "drafting": drafting,
        "kernel": kernel,
        "loop": loop,
        "limit": limit,
        "uniforms": uniforms,
    }


def _workers(store: Path, work: Path, year: int, n: int, samples: int) -> dict[int, float]:
    con = duckdb.connect(str(store), read_only=True)
    rows = _triads(con, WedgeSweep(years=(year, year)))
    con.close()
    chosen = _middle(rows, n)
    pairs = tuple(dict.fromkeys((t, p) for _, t, p in chosen))
    dividers = tuple(sorted({d for d, _, _ in chosen}))
    spec = WedgeSweep(
        years=(year, year),
        dividers=dividers,
        pairs=pairs,
        samples=samples,
        shard_size=max(1, n // 4),
    )
    seconds, frames = {}, {}
    for workers in (1, 2):
        out = work / f"sweep-{workers}"
        report = run(spec, store=store, out=out, workers=workers)
        assert not report.failed, report.failed
        seconds[workers] = report.compute_seconds
        frames[workers] = read(out).sort_values(["divider", "target", "partner"])
    same = frames[1].reset_index(drop=True).equals(frames[2].reset_index(drop=True))
    assert same, "1 and 2 workers gave different rows"
    print(
        f"workers: {len(frames[1])} triads of {year} at {samples:,} draws in shards of "
        f"{spec.shard_size}: 1 worker {seconds[1]:.1f} s, 2 workers {seconds[2]:.1f} s "
        f"(first shard submitted to last done; the same rows)"
    )
    return seconds


def bench(
    store: Path, work: Path, years: list[int], n: int, samples: int, worker_triads: int
) -> None:
    con = duckdb.connect(str(store), read_only=True)
    con.execute("SET threads = 1")
    planned = _triads(con, WedgeSweep(years=(1816, 2014)))
    counts = planned.groupby("year").size()
    print(
        f"planned: {len(planned):,} triads 1816-2014, "
        f"{int(counts.loc[1950:2014].sum()):,} of them 1950-2014"
    )
    measured = {}
    for year in years:
        rows = planned[planned.year == year]
        measured[year] = _one_year(con, year, _middle(rows, n), samples)
    con.close()

    print(f"\none core, {samples:,} draws a triad, one shard's worth of triads a year")
    head = (
        f"{'year':>6}{'triads':>8}{'priced':>8}{'draft ms':>10}"
        f"{'kernel':>12}{'loop':>12}{'limit':>12}{'vs loop':>9}{'vs limit':>9}"
    )
    print(head + "   (pricing in draws/s/core)")
    total = {k: 0.0 for k in ("kernel", "loop", "limit", "draws")}
    for year, m in measured.items():
        draws = m["priced"] * samples
        rate = {k: draws / m[k] for k in ("kernel", "loop", "limit")}
        print(
            f"{year:>6}{int(m['triads']):>8}{int(m['priced']):>8}"
            f"{m['drafting'] / m['triads'] * 1e3:>10.2f}"
            f"{rate['kernel']:>12.3g}{rate['loop']:>12.3g}{rate['limit']:>12.3g}"
            f"{rate['kernel'] / rate['loop']:>8.1f}x{rate['kernel'] / rate['limit']:>8.2f}x"
        )
        for k in ("kernel", "loop", "limit"):
            total[k] += m[k]
        total["draws"] += draws
    print(
        f"{'all':>6}{'':>36}{total['draws'] / total['kernel']:>12.3g}"
        f"{total['draws'] / total['loop']:>12.3g}{total['draws'] / total['limit']:>12.3g}"
        f"{total['loop'] / total['kernel']:>8.1f}x{total['limit'] / total['kernel']:>8.2f}x"
    )

    seconds = _workers(store, work, years[-1], worker_triads, samples)
    speedup = seconds[1] / seconds[2]
    print(f"speed-up from 1 to 2 workers: {speedup:.2f}x")

    def per_triad(year: int) -> float:
        nearest = min(measured, key=lambda y: abs(y - year))
        m = measured[nearest]
        pricing = m["kernel"] * TARGET / samples
        return (m["drafting"] + pricing) / m["triads"]

    for first in (1950, 1816):
        part = counts.loc[first:2014]
        core = sum(int(c) * per_triad(int(y)) for y, c in part.items())
        print(
            f"projected: the {first}-2014 sweep ({int(part.sum()):,} triads) at "
            f"{TARGET:,} draws: {core / 3600:.2f} h of one core, "
            f"{core / speedup / 3600:.2f} h on 2 workers"
        )


if __name__ == "__main__":
    main()
