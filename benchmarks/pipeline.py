"""Benchmark of the two long steps of the pipeline: the store build and the exit backtest.

Run with ``make bench`` or ``.venv/bin/python benchmarks/pipeline.py [--data-dir DIR]
[--store S] [--n-boot N] [--json]`` (default: ``../shared/data``; ``--store`` skips the
build and runs step 2 on that store). Each step is timed against a baseline measured in
the same run, and every number is given as a ratio to it, in wall seconds
(``time.perf_counter``) and in CPU seconds (``time.process_time``, every thread of this
process, plus the CPU of any child process waited for). On a loaded machine the CPU time
is the steadier number; it exceeds the wall time where DuckDB or BLAS run threads. In one
run it

1. builds the store from the raw files into a temporary folder
   (:func:`alliances.world.build`), split by its progress messages into loading the
   datasets (hash, parse, insert) and writing the dyad-year panel cache. Baseline: the
   irreducible parse, reading every raw file the build reads with the same readers
   (:func:`alliances.world.readers.read`) and nothing else. Every file is read once
   beforehand, untimed, so that both run from the page cache;
2. runs the exit backtest as ``alliances backtest --exits --structure`` does
   (``run_exits`` of ``alliances.cli.forecasting``), timing each stage: the member-year
   features (``exit_features``), the structural pricing (``with_structure``: every
   membership from 1950 priced against the major powers, 400 draws), and the backtest
   itself (``backtest_exits``, ``--n-boot`` resamples, 1,000 as the command line), split
   by its progress messages into the fits of the 15 rolling decades and the rest
   (clustered bootstraps, the hold-out fit and its bootstrap, calibration). Then the
   backtest without ``--structure`` on the same features. Baseline: one fit of the same
   hazard logit on every member-year (``fit_hazard``, the function each fold calls; the
   best of three, after an untimed fit that imports scikit-learn), so the ratio says how
   many single fits a whole rolling backtest costs.

The load average is printed before and after: numbers taken on a loaded machine are
marked as such.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from alliances.analysis.hazard import fit_hazard
from alliances.errors import DataError
from alliances.studies.backtest.exits import _C, backtest_exits
from alliances.studies.exit_features import LEEDS_SAVUN, exit_features
from alliances.studies.exit_structure import STRUCTURAL, with_structure
from alliances.world import build, connect
from alliances.world.readers import read
from alliances.world.registry import DATASETS
from alliances.world.store import _files

FIT_REPEATS = 3


@dataclass(frozen=True)
class Instant:
    """Wall and CPU clocks read at one moment."""

    wall: float
    cpu: float

    @staticmethod
    def now() -> Instant:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return Instant(
            time.perf_counter(), time.process_time() + children.ru_utime + children.ru_stime
        )


@dataclass
class Span:
    """Wall and CPU seconds between two instants."""

    wall: float = 0.0
    cpu: float = 0.0

    @staticmethod
    def between(start: Instant, end: Instant) -> Span:
        return Span(end.wall - start.wall, end.cpu - start.cpu)

    def over(self, base: Span) -> dict[str, float]:
        return {"wall": self.wall / base.wall, "cpu": self.cpu / base.cpu}

    def to_dict(self) -> dict[str, float]:
        return {"wall_s": self.wall, "cpu_s": self.cpu}


@dataclass
class Stamps:
    """The instants at which a step's progress messages arrived (a ``progress`` callback)."""

    marks: list[tuple[str, Instant]] = field(default_factory=list)

    def __call__(self, message: str) -> None:
        self.marks.append((message, Instant.now()))

    def first(self, prefix: str) -> Instant:
        return next(at for message, at in self.marks if message.startswith(prefix))


@contextmanager
def timed() -> Iterator[Span]:
    """A span filled in when the block ends."""
    span = Span()
    start = Instant.now()
    yield span
    done = Span.between(start, Instant.now())
    span.wall, span.cpu = done.wall, done.cpu


def raw_files(data: Path) -> dict[str, list[Path]]:
    """The files of each registered dataset present in ``data``, as the build finds them."""
    found = {name: _files(spec, data) for name, spec in DATASETS.items()}
    return {n: paths for n, paths in found.items() if paths and all(p.is_file() for p in paths)}


def parse_all(files: dict[str, list[Path]]) -> tuple[int, int]:
    """Read every dataset with the build's readers; the datasets read and their rows."""
    read_ok, rows = 0, 0
    for name, paths in files.items():
        try:
            rows += len(read(DATASETS[name], paths).frame)
            read_ok += 1
        except DataError:  # the build reports it as failed and goes on; so does this
            pass
    return read_ok, rows


def bench_build(data: Path, store: Path) -> dict[str, Any]:
    files = raw_files(data)
    for paths in files.values():  # into the page cache, for the parse and the build alike
        for path in paths:
            path.read_bytes()
    with timed() as parse:
        parsed, rows = parse_all(files)
    stamps = Stamps()
    with timed() as whole:
        report = build(data, store, progress=stamps)
    start = stamps.marks[0][1]
    cache = stamps.first("dyad-year panel cache")
    loading = Span.between(start, cache)
    return {
        "data_dir": str(data),
        "datasets": len(files),
        "files": sum(len(p) for p in files.values()),
        "datasets_parsed": parsed,
        "rows_parsed": rows,
        "datasets_loaded": len(report.loaded),
        "failed": sorted(report.failed),
        "parse": parse.to_dict(),
        "build": whole.to_dict(),
        "build_datasets": loading.to_dict(),
        "build_panel_cache": Span(whole.wall - loading.wall, whole.cpu - loading.cpu).to_dict(),
        "build_over_parse": whole.over(parse),
        "datasets_over_parse": loading.over(parse),
    }


def best_fit(frame: pd.DataFrame, features: list[str]) -> Span:
    """The fastest of :data:`FIT_REPEATS` fits of the hazard logit on every row."""
    spans = []
    for _ in range(FIT_REPEATS):
        with timed() as span:
            fit_hazard(frame, features, event="exit_early", C=_C)
        spans.append(span)
    return min(spans, key=lambda s: s.cpu)


def backtest_stages(
    frame: pd.DataFrame, structure: bool, n_boot: int, seed: int
) -> tuple[Span, Span, Span, dict[str, Any]]:
    """The whole backtest, its rolling fits, the rest, and its pooled AUCs."""
    stamps = Stamps()
    with timed() as whole:
        result = backtest_exits(
            frame, structure=structure, n_boot=n_boot, seed=seed, progress=stamps
        )
    start = stamps.marks[0][1]
    rolled = Span.between(start, stamps.first("Bootstrapping"))
    rest = Span(whole.wall - rolled.wall, whole.cpu - rolled.cpu)
    aucs = {
        label: {m: s["auc"] for m, s in p["scores"].items()} for label, p in result.pooled.items()
    }
    return whole, rolled, rest, aucs


def bench_backtest(store: Path, n_boot: int, seed: int) -> dict[str, Any]:
    con = connect(store)
    try:
        with timed() as features:
            frame = exit_features(con)
        with timed() as structure:
            priced = with_structure(con, frame, seed=seed)
    finally:
        con.close()
    plain = list(LEEDS_SAVUN)
    nested = [*LEEDS_SAVUN, *STRUCTURAL]
    fit_hazard(priced, nested, event="exit_early", C=_C)  # imports scikit-learn, untimed
    fit_nested, fit_plain = best_fit(priced, nested), best_fit(frame, plain)
    whole, rolled, rest, aucs = backtest_stages(priced, True, n_boot, seed)
    whole_plain, rolled_plain, rest_plain, aucs_plain = backtest_stages(frame, False, n_boot, seed)
    pipeline = Span(
        features.wall + structure.wall + whole.wall, features.cpu + structure.cpu + whole.cpu
    )
    return {
        "member_years": len(frame),
        "early_exits": int(frame["exit_early"].sum()),
        "n_boot": n_boot,
        "features": features.to_dict(),
        "structure_pricing": structure.to_dict(),
        "one_fit_structure": fit_nested.to_dict(),
        "backtest_structure": whole.to_dict(),
        "backtest_structure_rolling_fits": rolled.to_dict(),
        "backtest_structure_bootstrap_holdout": rest.to_dict(),
        "backtest_structure_over_fit": whole.over(fit_nested),
        "rolling_fits_structure_over_fit": rolled.over(fit_nested),
        "command_structure": pipeline.to_dict(),
        "command_structure_over_fit": pipeline.over(fit_nested),
        "pooled_auc_structure": aucs,
        "one_fit_plain": fit_plain.to_dict(),
        "backtest_plain": whole_plain.to_dict(),
        "backtest_plain_rolling_fits": rolled_plain.to_dict(),
        "backtest_plain_bootstrap_holdout": rest_plain.to_dict(),
        "backtest_plain_over_fit": whole_plain.over(fit_plain),
        "rolling_fits_plain_over_fit": rolled_plain.over(fit_plain),
        "pooled_auc_plain": aucs_plain,
    }


def _line(label: str, span: dict[str, float], base: dict[str, float] | None = None) -> str:
    text = f"  {label:38} {span['wall_s']:8.2f} s wall {span['cpu_s']:8.2f} s CPU"
    if base is not None:
        text += (
            f"   {span['wall_s'] / base['wall_s']:7.1f}× wall "
            f"{span['cpu_s'] / base['cpu_s']:7.1f}× CPU"
        )
    return text


def show(result: dict[str, Any]) -> None:
    load = result["load_average"]
    print(
        f"load average (1, 5, 15 min): before {', '.join(f'{x:.2f}' for x in load['before'])}; "
        f"after {', '.join(f'{x:.2f}' for x in load['after'])}; {os.cpu_count()} CPUs"
    )
    built = result.get("build")
    if built is not None:
        print(
            f"1. store build from {built['data_dir']}: {built['datasets']} datasets in "
            f"{built['files']} files, {built['datasets_parsed']} parsed "
            f"({built['rows_parsed']:,} rows), {built['datasets_loaded']} loaded"
            + (f", failed: {', '.join(built['failed'])}" if built["failed"] else "")
        )
        base = built["parse"]
        print(_line("baseline: parse the raw files", base))
        print(_line("build, whole", built["build"], base))
        print(_line("  loading the datasets", built["build_datasets"], base))
        print(_line("  writing the dyad-year panel cache", built["build_panel_cache"], base))
    ex = result["backtest"]
    print(
        f"2. exit backtest: {ex['member_years']:,} member-years, {ex['early_exits']} early "
        f"exits, {ex['n_boot']:,} bootstrap resamples (ratios to one fit of the same model)"
    )
    base = ex["one_fit_structure"]
    print("  alliances backtest --exits --structure")
    print(_line("baseline: one fit on every row", base))
    print(_line("exit_features", ex["features"], base))
    print(_line("with_structure (pricing)", ex["structure_pricing"], base))
    print(_line("backtest_exits, whole", ex["backtest_structure"], base))
    print(_line("  rolling fits (15 decades)", ex["backtest_structure_rolling_fits"], base))
    print(
        _line(
            "  bootstraps, hold-out, calibration", ex["backtest_structure_bootstrap_holdout"], base
        )
    )
    print(_line("the whole command (three stages)", ex["command_structure"], base))
    base = ex["one_fit_plain"]
    print("  alliances backtest --exits (no structure)")
    print(_line("baseline: one fit on every row", base))
    print(_line("backtest_exits, whole", ex["backtest_plain"], base))
    print(_line("  rolling fits (15 decades)", ex["backtest_plain_rolling_fits"], base))
    print(
        _line("  bootstraps, hold-out, calibration", ex["backtest_plain_bootstrap_holdout"], base)
    )
    for label, aucs in ex["pooled_auc_structure"].items():
        print(f"  pooled AUC {label}: " + ", ".join(f"{m} {a:.3f}" for m, a in aucs.items()))
    print("wall: time.perf_counter; CPU: time.process_time (all threads) plus children's")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data-dir", type=Path, default=default)
    parser.add_argument("--store", type=Path, help="Use this store; skip the build.")
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    before = os.getloadavg()
    result: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="alliances-bench-pipeline-"))
    try:
        store = args.store
        if store is None:
            store = work / "world.duckdb"
            result["build"] = bench_build(args.data_dir, store)
        result["backtest"] = bench_backtest(store, args.n_boot, args.seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["load_average"] = {"before": before, "after": os.getloadavg()}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    show(result)


if __name__ == "__main__":
    main()
