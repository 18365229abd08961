"""Peak memory and time of the wedge Monte Carlo as the number of draws grows.

Run with ``.venv/bin/python benchmarks/memory.py`` (10^6 and 10^7 draws, about half a
minute) or ``benchmarks/memory.py --max 1e8`` (also 10^8 draws, a few minutes more; ``--full``
is the same). Each size runs in a fresh subprocess that imports :mod:`alliances`, loads the
built-in ``russia-iran-2017`` scenario and calls ``wedge(samples=N, seed=0,
sobol_samples=0)``; the parent reads the child's peak resident set size from
``os.wait4`` (``ru_maxrss``) and the child reports the seconds spent in ``wedge()``.

A baseline child does the same imports and loads the scenario but does not call
``wedge()``, so every figure is also given relative to that baseline measured in the
same run: the peak as a multiple of the baseline's, and the memory above the baseline in
bytes per draw. ``--keep-draws`` passes ``keep_draws=True`` (or ``false``/``auto``) to
``wedge()``; by default the argument is not passed, which is what the command line does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

MiB = 2**20


def child(draws: int, keep_draws: str | None) -> None:
    """Work done in the subprocess: print one JSON object with the seconds spent."""
    from alliances.analysis.wedge import wedge
    from alliances.scenario import load_builtin

    scenario = load_builtin("russia-iran-2017")
    seconds = 0.0
    median = None
    if draws:
        kwargs = {}
        if keep_draws is not None:
            kwargs["keep_draws"] = {"true": True, "false": False, "auto": None}[keep_draws]
        start = time.perf_counter()
        result = wedge(scenario, samples=draws, seed=0, sobol_samples=0, **kwargs)
        seconds = time.perf_counter() - start
        median = float(result.flip_price["p50"])
    print(json.dumps({"seconds": seconds, "p50": median}))


def measure(draws: int, keep_draws: str | None) -> dict[str, float]:
    """Run one child and return its seconds and its peak RSS in bytes."""
    command = [sys.executable, __file__, "--child", str(draws)]
    if keep_draws is not None:
        command += ["--keep-draws", keep_draws]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"the child for {draws:,} draws failed with status {proc.returncode}")
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return {"draws": draws, "peak_rss_bytes": peak, "process_seconds": wall, **json.loads(output)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max", type=float, default=1e7, help="largest number of draws (a power of 10)"
    )
    parser.add_argument("--full", action="store_true", help="the same as --max 1e8")
    parser.add_argument("--keep-draws", choices=["true", "false", "auto"], default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.keep_draws)
        return

    largest = 1e8 if args.full else args.max
    sizes = [10**k for k in range(6, 10) if 10**k <= largest]
    baseline = measure(0, None)
    runs = [measure(n, args.keep_draws) for n in sizes]
    base = baseline["peak_rss_bytes"]
    for run in runs:
        run["peak_over_baseline"] = run["peak_rss_bytes"] / base
        run["bytes_per_draw_above_baseline"] = (run["peak_rss_bytes"] - base) / run["draws"]
        run["seconds_per_million_draws"] = run["seconds"] / (run["draws"] / 1e6)
    if args.json:
        print(json.dumps({"baseline": baseline, "runs": runs}))
        return
    keep = args.keep_draws or "default (not passed)"
    print(f"built-in russia-iran-2017, sobol_samples=0, seed 0, keep_draws: {keep}")
    print(f"baseline (imports and scenario, no wedge()): peak RSS {base / MiB:8.1f} MiB")
    print(
        f"{'draws':>13} {'peak RSS MiB':>13} {'× baseline':>11} {'B/draw above':>13} "
        f"{'wedge() s':>10} {'s per 1e6':>10}"
    )
    for run in runs:
        print(
            f"{run['draws']:>13,} {run['peak_rss_bytes'] / MiB:>13.1f} "
            f"{run['peak_over_baseline']:>11.2f} {run['bytes_per_draw_above_baseline']:>13.1f} "
            f"{run['seconds']:>10.2f} {run['seconds_per_million_draws']:>10.2f}"
        )


if __name__ == "__main__":
    main()
