"""Start-up time of the command line, against a bare Python in the same run.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/startup.py [--repeats N]``).

It times, as whole processes, ``python -c pass`` (the baseline: the interpreter alone),
``alliances --version``, ``alliances --help`` and ``alliances scenario list``, takes the
best of ``--repeats`` runs of each, and prints each time and its ratio to the baseline.
It then lists the heaviest imports of ``alliances --version`` and ``scenario list`` by
cumulative time (``python -X importtime``) and says which of the numerical libraries
(numpy, pandas, scipy, SALib, duckdb, plotly, matplotlib, fastapi) each command loads.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("numpy", "pandas", "scipy", "SALib", "duckdb", "plotly", "matplotlib", "fastapi")
SCRIPT = Path(sys.executable).with_name("alliances")
ENTRY = "from alliances.cli import main; import sys; sys.argv[0] = 'alliances'; main()"


def best_time(argv: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def imports(args: list[str]) -> list[tuple[int, str]]:
    """(cumulative microseconds, top-level module) of every import of one run."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", ENTRY, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and not match[2].strip(" "):
            rows.append((int(match[1]), match[3]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    options = parser.parse_args()

    baseline = best_time([sys.executable, "-c", "pass"], options.repeats)
    print(f"{'command':32} {'best of ' + str(options.repeats):>12} {'ratio':>8}")
    print(f"{'python -c pass (baseline)':32} {baseline:11.3f}s {1.0:7.1f}×")
    for args in (["--version"], ["--help"], ["scenario", "list"]):
        seconds = best_time([str(SCRIPT), *args], options.repeats)
        label = "alliances " + " ".join(args)
        print(f"{label:32} {seconds:11.3f}s {seconds / baseline:7.1f}×")

    for args in (["--version"], ["scenario", "list"]):
        rows = imports(args)
        loaded = sorted({name.split(".")[0] for _, name in rows} & set(HEAVY))
        print(
            f"\nalliances {' '.join(args)}: heavy libraries loaded: {', '.join(loaded) or 'none'}"
        )
        top: dict[str, int] = {}
        for micros, name in rows:
            root = name.split(".")[0]
            top[root] = max(top.get(root, 0), micros)
        for root, micros in sorted(top.items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {micros / 1e3:8.1f} ms  {root}")


if __name__ == "__main__":
    main()
