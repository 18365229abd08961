"""Benchmark of UN-vote affinity (agreement, S-scores, kappa) for every dyad-year.

Run with ``.venv/bin/python benchmarks/affinity.py [--data-dir DIR]`` (default
``../shared/data``). It builds a store with the UN votes, computes every measure for
every dyad of every year 1946–2019 from the raw votes (about 870,000) with
:func:`alliances.analysis.affinity.vote_affinity`, and, in the same run, a per-dyad
pandas loop on a sample of years, checks that both agree, and prints the ratio.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from alliances.analysis.affinity import vote_affinity
from alliances.world import build, connect

POSITION = {"yes": 0.0, "abstain": 0.5, "no": 1.0}


def per_dyad(votes: pd.DataFrame) -> pd.DataFrame:
    """The baseline: one pandas merge per pair of states."""
    rows = []
    by_state = {s: g.set_index("rcid")["vote"] for s, g in votes.groupby("ccode")}
    for a, va in by_state.items():
        for b, vb in by_state.items():
            if a == b:
                continue
            both = pd.concat([va, vb], axis=1, join="inner", keys=["a", "b"])
            if both.empty:
                continue
            x, y = both["a"].map(POSITION), both["b"].map(POSITION)
            distance = (x - y).abs()
            expected = np.mean(np.abs(x.to_numpy()[:, None] - y.to_numpy()[None, :]))
            rows.append(
                {
                    "ccode1": a,
                    "ccode2": b,
                    "joint": len(both),
                    "agree": float((both["a"] == both["b"]).mean()),
                    "s_abs": 1 - 2 * distance.mean(),
                    "kappa_abs": 1 - distance.mean() / expected if expected > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data-dir", type=Path, default=default)
    parser.add_argument("--sample-years", type=int, nargs="+", default=[1950, 2015])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "votes.duckdb"
        build(args.data_dir, store, only=["un_votes", "un_roll_calls"])
        con = connect(store)
        votes = con.sql(
            "SELECT v.rcid, v.ccode, v.vote, year(r.date) AS year FROM un_votes v "
            "JOIN un_roll_calls r USING (rcid) WHERE v.ccode IS NOT NULL"
        ).df()
        con.close()

    started = time.perf_counter()
    ours = vote_affinity(votes, by="year")
    seconds = time.perf_counter() - started

    loop_seconds, loop_rows = 0.0, 0
    for year in args.sample_years:
        sample = votes[votes["year"] == year]
        started = time.perf_counter()
        baseline = per_dyad(sample)
        loop_seconds += time.perf_counter() - started
        loop_rows += len(baseline)
        mine = ours[ours["year"] == year].merge(baseline, on=["ccode1", "ccode2"])
        assert len(mine) == len(baseline)
        for column in ("joint", "agree", "s_abs", "kappa_abs"):
            np.testing.assert_allclose(
                mine[f"{column}_x"], mine[f"{column}_y"], rtol=1e-9, atol=1e-12
            )

    per_row_ours = seconds / len(ours)
    per_row_loop = loop_seconds / loop_rows
    result = {
        "votes": len(votes),
        "dyad_years": len(ours),
        "years": [int(votes["year"].min()), int(votes["year"].max())],
        "seconds": seconds,
        "loop_dyad_years": loop_rows,
        "loop_seconds": loop_seconds,
        "ratio_per_dyad_year": per_row_loop / per_row_ours,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{len(votes):,} votes, {result['years'][0]}–{result['years'][1]}")
    print(f"all measures, every dyad-year ({len(ours):,}): {seconds:8.2f} s")
    print(
        f"per-dyad pandas loop, {loop_rows:,} dyad-years of {args.sample_years}: "
        f"{loop_seconds:8.2f} s (same values)"
    )
    print(f"ratio per dyad-year:                        {result['ratio_per_dyad_year']:8.0f}×")


if __name__ == "__main__":
    main()
