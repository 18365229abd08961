"""Benchmark of the world-wide wedge sweep against pricing the same triads one by one.

Run with ``make bench`` or ``.venv/bin/python benchmarks/sweep.py [--store S | --data-dir
DIR] [--triads N] [--samples N]`` (default: build the store from ../shared/data in a
temporary folder). In one run it takes the first N triads of 2010 (ATOP-allied pair ×
COW major power outside it) and

1. prices them one by one as a user would in a loop: ``alliances.draft`` then
   ``alliances.wedge`` (no Sobol' indices), the baseline;
2. sweeps them with ``alliances.sweep.run`` on a local Dask cluster of 1 worker, then
   of 2 workers (wall time from the call to the last shard recorded, the cluster's start
   included);
3. checks that the sweep's median flip prices equal the loop's, triad by triad;
4. prints scenarios per second and draws per second of each, the ratio to the loop
   and the speed-up from 1 to 2 workers, and the time the 1950–2014 sweep at 10^4 draws
   would take at the measured rate (docs/scale.md).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from alliances import draft, wedge
from alliances.sweep import WedgeSweep, read, run, triad_seed
from alliances.sweep.plan import shards
from alliances.world import build

YEAR = 2010
WORLD_TRIADS_1950_2014 = 1_391_159  # measured by `alliances sweep` planning (docs/scale.md)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--triads", type=int, default=400)
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alliances-bench-sweep-"))
    try:
        store = args.store or build(args.data_dir, work / "world.duckdb").store
        bench(Path(store), work, args.triads, args.samples)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(store: Path, work: Path, n: int, samples: int) -> None:
    con = duckdb.connect(str(store), read_only=True)
    planned = shards(con, WedgeSweep(years=(YEAR, YEAR), samples=samples, shard_size=10**9))
    triads = planned[0].triads[:n]
    pairs = tuple(dict.fromkeys((t, p) for _, t, p in triads))
    dividers = tuple(sorted({d for d, _, _ in triads}))
    spec = WedgeSweep(
        years=(YEAR, YEAR), dividers=dividers, pairs=pairs, samples=samples, shard_size=50
    )
    chosen = shards(con, spec)
    swept = [t for s in chosen for t in s.triads]
    print(
        f"{len(swept)} triads of {YEAR} ({len(pairs)} pairs x {len(dividers)} dividers), "
        f"{samples:,} draws each, {len(chosen)} shards"
    )

    started = time.perf_counter()
    loop = {}
    for d, t, p in swept:
        try:
            scenario = draft(d, t, p, YEAR, store=con).scenario
        except Exception:  # the sweep records these as "not drafted"
            continue
        result = wedge(
            scenario,
            samples=samples,
            seed=triad_seed(0, YEAR, d, t, p),
            sobol_samples=0,
            keep_draws=False,
        )
        loop[(d, t, p)] = result.flip_price["p50"]
    loop_s = time.perf_counter() - started
    con.close()

    times, compute = {}, {}
    for workers in (1, 2):
        out = work / f"sweep-{workers}"
        started = time.perf_counter()
        report = run(spec, store=store, out=out, workers=workers)
        times[workers] = time.perf_counter() - started
        compute[workers] = report.compute_seconds
        assert not report.failed, report.failed
        frame = read(out)
    ok = frame[frame.status == "ok"]
    same = all(loop[(r.divider, r.target, r.partner)] == r.o_star_p50 for r in ok.itertuples())
    assert same, "the sweep's median flip prices differ from the loop's"
    assert len(ok) == len(loop), "the sweep priced other triads than the loop"

    m = len(swept)
    print(f"{'':28}{'s':>8}{'scenarios/s':>14}{'draws/s':>14}{'vs loop':>9}")
    rows = [("loop of draft + wedge", loop_s)] + [
        (f"sweep, {w} worker{'s' if w > 1 else ''}", times[w]) for w in (1, 2)
    ]
    for name, seconds in rows:
        print(
            f"{name:28}{seconds:8.2f}{m / seconds:14,.0f}{m * samples / seconds:14,.3g}"
            f"{loop_s / seconds:8.1f}x"
        )
    print(
        f"speed-up from 1 to 2 workers: {times[1] / times[2]:.2f}x wall clock, "
        f"{compute[1] / compute[2]:.2f}x once the cluster is up "
        f"({compute[1]:.2f} s and {compute[2]:.2f} s, first shard submitted to last done)"
    )
    per_triad = compute[2] / m
    hours = WORLD_TRIADS_1950_2014 * per_triad * 10_000 / samples / 3600
    print(
        f"the 1950-2014 sweep ({WORLD_TRIADS_1950_2014:,} triads) at 10^4 draws, 2 workers, "
        f"at this rate: {hours:,.1f} h (draws scaled linearly; the drafting part does not "
        "scale with draws, so this is an upper bound)"
    )
    print(
        f"matches: the sweep's median O* equals the loop's for all {len(ok)} priced triads "
        f"({np.mean([r.status == 'ok' for r in frame.itertuples()]):.0%} of triads priced)"
    )


if __name__ == "__main__":
    main()
