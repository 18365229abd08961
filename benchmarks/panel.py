"""Benchmark of the dyad-year panel builder against a plain chain of pandas merges.

Run with ``make bench-panel`` or ``.venv/bin/python benchmarks/panel.py --data-dir DIR``
(default: ``../shared/data``). In one run it

1. builds the store from the raw files into a temporary folder (timed);
2. builds the full directed COW dyad-year panel 1816–2014 with alliances, trade, IGOs,
   contiguity, capabilities and distance through ``alliances.world`` to a pandas
   DataFrame, in a child process so that its peak memory is its own: from the panel
   cache that the store build writes, and by DuckDB joins on the fly;
3. builds the same panel by pandas merges on frames already in memory;
4. checks that both give the same values, and prints both times and the ratio;
5. end to end, as a user runs them, process start to file written: ``alliances panel
   --with ... --out FILE.parquet`` against a pandas script (a child process) that reads
   the same raw ``.rda`` files with pyreadr, merges them as in 3. and writes Parquet.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from alliances.world import build, connect, dyad_years

COVARIATES = ("alliances", "trade", "igos", "contiguity", "capabilities", "distance")
YEARS = (1816, 2014)


def duckdb_panel(store: Path) -> pd.DataFrame:
    con = connect(store)
    try:
        return dyad_years(con, system="cow", years=YEARS).with_(*COVARIATES).to_pandas()
    finally:
        con.close()


def pandas_panel(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The same panel by pandas merges (the baseline)."""
    d = t["cow_ddy"].query("@YEARS[0] <= year <= @YEARS[1]")[["ccode1", "ccode2", "year"]]
    lo = np.minimum(d["ccode1"], d["ccode2"])
    hi = np.maximum(d["ccode1"], d["ccode2"])
    d = d.assign(lo=lo, hi=hi)

    kinds = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    al = t["atop_alliance"].groupby(["ccode1", "ccode2", "year"], as_index=False)[kinds].max()
    d = d.merge(al, on=["ccode1", "ccode2", "year"], how="left")
    inside = d["year"].between(1815, 2018)
    for k in kinds:
        d[k] = d[k].fillna(0).where(inside)

    tr = t["cow_trade_ndy"][["ccode1", "ccode2", "year", "flow1", "flow2"]]
    tr = tr.rename(columns={"ccode1": "lo", "ccode2": "hi"})
    d = d.merge(tr, on=["lo", "hi", "year"], how="left")
    low_first = d["ccode1"] < d["ccode2"]
    d["trade_imports"] = np.where(low_first, d["flow1"], d["flow2"])
    d["trade_exports"] = np.where(low_first, d["flow2"], d["flow1"])
    d = d.drop(columns=["flow1", "flow2"])

    ig = t["cow_igo_ndy"].rename(columns={"ccode1": "lo", "ccode2": "hi"})
    d = d.merge(ig[["lo", "hi", "year", "dyadigos"]], on=["lo", "hi", "year"], how="left")
    d["shared_igos"] = d.pop("dyadigos").fillna(0).where(d["year"].isin(ig["year"].unique()))

    ct = (
        t["cow_contdir"]
        .query("conttype > 0")
        .assign(
            lo=lambda f: np.minimum(f["ccode1"], f["ccode2"]),
            hi=lambda f: np.maximum(f["ccode1"], f["ccode2"]),
            first=lambda f: pd.to_datetime(f["stdate"]).dt.year,
            last=lambda f: pd.to_datetime(f["enddate"]).dt.year,
        )
    )
    ct = ct.assign(year=[range(a, b + 1) for a, b in zip(ct["first"], ct["last"], strict=True)])
    ct = ct.explode("year").astype({"year": "int64"})
    ct = ct.groupby(["lo", "hi", "year"], as_index=False)["conttype"].min()
    d = d.merge(ct, on=["lo", "hi", "year"], how="left")
    d["conttype"] = d["conttype"].fillna(0).where(d["year"].between(1816, 2016))

    nmc = t["cow_nmc"][["ccode", "year", "cinc", "milex", "milper", "tpop"]]
    for side in ("1", "2"):
        renamed = nmc.rename(columns={c: c + side for c in ("cinc", "milex", "milper", "tpop")})
        d = d.merge(
            renamed.rename(columns={"ccode": "ccode" + side}),
            on=["ccode" + side, "year"],
            how="left",
        )

    md = t["cow_mindist"].rename(columns={"ccode1": "lo", "ccode2": "hi"})
    d = d.merge(md[["lo", "hi", "year", "mindist"]], on=["lo", "hi", "year"], how="left")
    return d.drop(columns=["lo", "hi"])


RAW = {
    "cow_ddy": "peacesciencer/cow_ddy.rda",
    "atop_alliance": "peacesciencer/atop_alliance.rda",
    "cow_trade_ndy": "peacesciencer/cow_trade_ndy.rda",
    "cow_igo_ndy": "peacesciencer/cow_igo_ndy.rda",
    "cow_contdir": "peacesciencer/cow_contdir.rda",
    "cow_nmc": "peacesciencer/cow_nmc.rda",
    "cow_mindist": "peacesciencer/cow_mindist.rda",
}


def raw_child(data: Path, out: Path) -> None:
    """The baseline end to end: read the raw files with pyreadr, merge, write Parquet."""
    import pyreadr

    tables = {
        name: next(iter(pyreadr.read_r(str(data / path)).values())) for name, path in RAW.items()
    }
    pandas_panel(tables).to_parquet(out)


def timed_process(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


def child(store: Path) -> None:
    started = time.perf_counter()
    frame = duckdb_panel(store)
    seconds = time.perf_counter() - started
    peak = peak_mib()
    con = connect(store)
    panel = dyad_years(con, system="cow", years=YEARS).with_(*COVARIATES)
    started = time.perf_counter()
    con.sql(panel._join_sql()).to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype)
    joined = time.perf_counter() - started
    con.close()
    result = {"seconds": seconds, "rows": len(frame), "peak_mib": peak, "joined": joined}
    print(json.dumps(result))


def peak_mib() -> float:
    """This process's peak resident memory. VmHWM starts anew at exec, unlike ru_maxrss,
    which a child inherits from the parent it was forked from."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data-dir", type=Path, default=default)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--raw-child", type=Path, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.raw_child:
        raw_child(*args.raw_child)
        return

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "world.duckdb"
        report = build(args.data_dir, store)
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(store)],
            capture_output=True,
            text=True,
            check=True,
        )
        ours = json.loads(done.stdout)

        con = connect(store)
        names = [
            "cow_ddy",
            "atop_alliance",
            "cow_trade_ndy",
            "cow_igo_ndy",
            "cow_contdir",
            "cow_nmc",
            "cow_mindist",
        ]
        tables = {n: con.table(n).df() for n in names}
        con.close()
        started = time.perf_counter()
        baseline = pandas_panel(tables)
        pandas_seconds = time.perf_counter() - started

        panel = duckdb_panel(store).astype("float64")
        keys = ["ccode1", "ccode2", "year"]
        a = panel.sort_values(keys).reset_index(drop=True)
        b = baseline.sort_values(keys).reset_index(drop=True)[a.columns].astype("float64")
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=1e-12)

        script = Path(sys.executable).with_name("alliances")
        cli_out, raw_out = Path(tmp) / "cli.parquet", Path(tmp) / "raw.parquet"
        cli_argv = [str(script), "panel", "--store", str(store), "--with", ",".join(COVARIATES)]
        cli_argv += ["--years", f"{YEARS[0]}:{YEARS[1]}", "--out", str(cli_out)]
        raw_argv = [sys.executable, __file__, "--raw-child", str(args.data_dir), str(raw_out)]
        end_to_end = min(timed_process(cli_argv) for _ in range(3))
        raw_seconds = min(timed_process(raw_argv) for _ in range(3))
        written = pd.read_parquet(cli_out).astype("float64").sort_values(keys)
        raw = pd.read_parquet(raw_out)[written.columns].astype("float64").sort_values(keys)
        pd.testing.assert_frame_equal(
            written.reset_index(drop=True), raw.reset_index(drop=True), rtol=1e-12
        )

    result = {
        "store_build_seconds": report.seconds,
        "datasets_loaded": len(report.loaded),
        "rows": ours["rows"],
        "covariates": list(COVARIATES),
        "duckdb_panel_seconds": ours["seconds"],
        "duckdb_panel_peak_mib": ours["peak_mib"],
        "duckdb_joined_on_the_fly_seconds": ours["joined"],
        "pandas_merge_seconds": pandas_seconds,
        "speedup": pandas_seconds / ours["seconds"],
        "cli_end_to_end_seconds": end_to_end,
        "pandas_script_from_raw_files_seconds": raw_seconds,
        "end_to_end_speedup": raw_seconds / end_to_end,
        "same_values": True,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"store built from {args.data_dir}: {report.seconds:.1f} s, {len(report.loaded)} datasets"
    )
    print(
        f"directed COW dyad-years {YEARS[0]}–{YEARS[1]}: {ours['rows']:,} rows, "
        f"covariates {', '.join(COVARIATES)}"
    )
    print(
        f"alliances, from the store's panel cache: {ours['seconds']:6.2f} s, "
        f"peak memory {ours['peak_mib']:,.0f} MiB"
    )
    print(f"alliances, DuckDB joins on the fly:      {ours['joined']:6.2f} s")
    print(f"pandas merge chain (in memory):          {pandas_seconds:6.2f} s")
    ratio = result["speedup"]
    print(f"ratio pandas / alliances (cache):        {ratio:6.1f}×  (same values: yes)")
    print(f"alliances panel, process to file:        {end_to_end:6.2f} s")
    print(f"pandas script from the raw files:        {raw_seconds:6.2f} s")
    ratio = result["end_to_end_speedup"]
    print(f"ratio, end to end:                       {ratio:6.1f}×  (same values: yes)")


if __name__ == "__main__":
    main()
