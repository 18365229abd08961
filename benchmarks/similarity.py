"""Benchmark of alliance-portfolio similarity against a per-dyad pandas/scipy loop.

Run with ``.venv/bin/python benchmarks/similarity.py [--data-dir DIR]`` (default:
``../shared/data``). In one run it

1. reads ATOP v5.1 (``atop_alliance.rda``) and the COW system (``cow_ddy.rda``) from
   peacesciencer;
2. computes S (absolute and squared), Scott's pi, Cohen's kappa and tau-b for every
   directed COW dyad-year 1816–2018 with ``portfolio_similarity`` (timed);
3. computes the same measures dyad by dyad, the way the fpsim reference script does
   (a portfolio table per year, then for each pair of states a cross-table for pi and
   kappa and ``scipy.stats.kendalltau`` for tau-b), on a sample of years, checks that both
   give the same values, and prints the time per dyad of each and their ratio.

The fpsim reference script (Miller 2025, ``1-fpsim-alliances.R``, log
``inst/1-fpsim-alliances.log``) took 9,750 s for these dyad-years, on half the cores of
its machine; it also computed binary variants of S, pi and kappa.
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadr
from scipy.stats import kendalltau

from alliances.analysis.portfolio import ATOP_LEVELS, MEASURES, portfolio_similarity

YEARS = (1816, 2018)
SAMPLE = (1880, 1914, 1950)
REFERENCE_SECONDS = 9750.4
TOP = max(ATOP_LEVELS.values())


def read(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    atop = next(iter(pyreadr.read_r(folder / "atop_alliance.rda").values()))
    ddy = next(iter(pyreadr.read_r(folder / "cow_ddy.rda").values()))
    atop = atop[atop["year"].between(*YEARS)]
    ddy = ddy[ddy["year"].between(*YEARS)]
    states = ddy[["ccode1", "year"]].drop_duplicates().rename(columns={"ccode1": "ccode"})
    return atop, ddy, states


def vectorised(atop: pd.DataFrame, states: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = portfolio_similarity(atop, states)
    return out, [str(w.message) for w in caught]


def baseline_year(atop: pd.DataFrame, members: list[float], year: int) -> pd.DataFrame:
    """One year dyad by dyad: pandas for the portfolios and tables, scipy for tau-b."""
    ties = atop[(atop["year"] == year) & atop["ccode1"].isin(members)]
    ties = ties[ties["ccode2"].isin(members)]
    level = pd.concat([ties[k] * v for k, v in ATOP_LEVELS.items()], axis=1).max(axis=1)
    directed = pd.DataFrame({"i": ties["ccode1"], "j": ties["ccode2"], "level": level})
    both = pd.concat([directed, directed.rename(columns={"i": "j", "j": "i"})])
    wide = both.pivot_table(index="i", columns="j", values="level", aggfunc="max")
    wide = wide.reindex(index=members, columns=members).fillna(0).astype(int)
    for c in members:
        wide.loc[c, c] = TOP

    grid = list(range(TOP + 1))
    gap = np.subtract.outer(grid, grid)
    weight = gap**2
    rows = []
    for a, b in itertools.combinations(members, 2):
        x, y = wide.loc[a], wide.loc[b]
        k = len(x)
        s_abs = 1 - 2 * (x - y).abs().sum() / (k * TOP)
        s_sq = 1 - 2 * ((x - y) ** 2).sum() / (k * TOP**2)
        table = pd.crosstab(x, y).reindex(index=grid, columns=grid, fill_value=0)
        share = table.to_numpy() / k
        rows_share, cols_share = share.sum(axis=1), share.sum(axis=0)
        pooled = (rows_share + cols_share) / 2
        observed = (weight * share).sum()
        kappa = 1 - observed / (weight * np.outer(rows_share, cols_share)).sum()
        pi = 1 - observed / (weight * np.outer(pooled, pooled)).sum()
        taub = kendalltau(x, y, variant="b").statistic
        values = (s_abs, s_sq, pi, kappa, taub)
        rows.append((year, a, b, *values))
        rows.append((year, b, a, *values))
    return pd.DataFrame(rows, columns=["year", "ccode1", "ccode2", *MEASURES])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data-dir", type=Path, default=default)
    parser.add_argument("--sample-years", type=int, nargs="+", default=list(SAMPLE))
    args = parser.parse_args()

    started = time.perf_counter()
    atop, ddy, states = read(args.data_dir / "peacesciencer")
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    out, notes = vectorised(atop, states)
    seconds = time.perf_counter() - started

    sample_states = states[states["year"].isin(args.sample_years)]
    sample_atop = atop[atop["year"].isin(args.sample_years)]
    started = time.perf_counter()
    sample_out, _ = vectorised(sample_atop, sample_states)
    sample_seconds = time.perf_counter() - started

    started = time.perf_counter()
    parts = [
        baseline_year(atop, sorted(group["ccode"]), year)
        for year, group in sample_states.groupby("year")
    ]
    baseline_seconds = time.perf_counter() - started
    baseline = pd.concat(parts, ignore_index=True)

    keys = ["year", "ccode1", "ccode2"]
    ours = out[out["year"].isin(args.sample_years)].sort_values(keys).reset_index(drop=True)
    theirs = baseline.sort_values(keys).reset_index(drop=True).astype(ours.dtypes.to_dict())
    pd.testing.assert_frame_equal(ours, theirs, check_exact=False, rtol=0, atol=1e-12)
    in_ddy = out.merge(ddy, on=keys).shape[0]

    per_dyad = seconds / len(out)
    sample_per_dyad = sample_seconds / len(sample_out)
    baseline_per_dyad = baseline_seconds / len(baseline)
    print(f"data read from {args.data_dir}: {read_seconds:.1f} s")
    for note in notes:
        print(f"note: {note}")
    print(
        f"rows: {len(out):,} directed dyad-years {YEARS[0]}–{YEARS[1]} "
        f"({in_ddy:,} of cow_ddy's {len(ddy):,}), measures {', '.join(MEASURES)}"
    )
    print(f"seconds: {seconds:.2f} (vectorised, all years; {per_dyad * 1e6:.2f} µs per dyad)")
    print(
        f"fpsim reference script: {REFERENCE_SECONDS:,.0f} s ({REFERENCE_SECONDS / seconds:,.0f}×)"
    )
    print(
        f"baseline per-dyad loop, years {', '.join(map(str, args.sample_years))}: "
        f"{len(baseline):,} dyads in {baseline_seconds:.1f} s = "
        f"{baseline_per_dyad * 1e6:,.0f} µs per dyad (each pair computed once for both rows)"
    )
    print(
        f"vectorised on the same years: {sample_seconds:.3f} s = "
        f"{sample_per_dyad * 1e6:.2f} µs per dyad (same values: yes)"
    )
    print(f"ratio per dyad, baseline / vectorised: {baseline_per_dyad / sample_per_dyad:,.0f}×")
    print(
        f"baseline extrapolated to all rows: {baseline_per_dyad * len(out):,.0f} s "
        f"(a lower bound: later years have longer portfolios)"
    )


if __name__ == "__main__":
    main()
