"""Benchmark of the exact balance and landscape solvers.

Run with ``.venv/bin/python benchmarks/balance.py [--data-dir DIR]`` (default
``../shared/data``). In one run it solves

1. a ladder of random signed graphs (16–60 nodes), by enumeration where feasible and by
   the integer programme, and the same programme without its valid inequalities (the
   plain textbook formulation, with a time limit);
2. the 51 COW signed networks of Doreian and Mrvar (signnet's ``cowList``), with both
   formulations;
3. the state-system network of every year 1946–2014 from the world data (landscape
   energy, CINC sizes), to proved optimality;
4. the full enumeration of a 20-actor landscape: all 2^19 partitions and every local
   minimum;

and prints the times, the largest per network, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from alliances.analysis.balance import SignedGraph, enumerate_partitions, frustration_index
from alliances.analysis.balance.programme import _milp
from alliances.studies.world_alignment import align_world
from alliances.world import build, connect


def random_graph(n: int, density: float, seed: int) -> SignedGraph:
    rng = np.random.default_rng(seed)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < density]
    frame = pd.DataFrame(pairs, columns=["source", "target"])
    frame["sign"] = rng.choice([-1, 1], len(frame), p=[0.3, 0.7])
    return SignedGraph.from_edges(frame, nodes=list(range(n)))


def timed(func):
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data-dir", type=Path, default=default)
    parser.add_argument(
        "--plain-limit",
        type=float,
        default=60.0,
        help="time limit per network for the plain formulation",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {}

    ladder = []
    # Random signed graphs are the hard case (real networks are far more balanced); the
    # ladder stops where the plain formulation stops being solvable in seconds.
    for n, density in ((16, 0.5), (20, 0.4), (40, 0.15), (60, 0.08)):
        graph = random_graph(n, density, seed=n)
        row = {"nodes": n, "edges": len(graph.i)}
        if n <= 20:
            row["enumeration_s"], value = timed(
                lambda g=graph: frustration_index(g, method="enumerate")
            )
            row["enumeration_value"] = value.frustration_index
        row["milp_s"], solved = timed(lambda g=graph: frustration_index(g, method="milp"))
        row["milp_value"], row["milp_optimal"] = solved.frustration_index, solved.optimal
        row["plain_s"], plain = timed(lambda g=graph: _milp(g, args.plain_limit, plain=True))
        row["plain_optimal"] = plain[2]
        ladder.append(row)
        print("ladder", json.dumps(row), flush=True)
    report["ladder"] = ladder

    edges = pd.read_csv(args.data_dir / "signnet" / "cow_edges.csv")
    ours_total = plain_total = 0.0
    largest = 0.0
    plain_proved = 0
    for _, group in edges.groupby("window", sort=False):
        graph = SignedGraph.from_edges(group[["source", "target", "sign"]])
        seconds, result = timed(lambda g=graph: frustration_index(g, method="milp"))
        assert result.optimal
        ours_total += seconds
        largest = max(largest, seconds)
        seconds, plain = timed(lambda g=graph: _milp(g, args.plain_limit, plain=True))
        plain_total += seconds
        plain_proved += plain[2]
    print("cowList done", flush=True)
    report["cowlist"] = {
        "networks": 51,
        "seconds": ours_total,
        "largest_s": largest,
        "plain_seconds": plain_total,
        "plain_proved": plain_proved,
        "ratio": plain_total / ours_total,
    }

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "world.duckdb"
        build(
            args.data_dir,
            store,
            only=["cow_ddy", "atop_alliance", "cow_mid_ddydisps", "tss_rivalries", "cow_nmc"],
        )
        con = connect(store)
        years = {}
        for year in range(1946, 2015):
            seconds, result = timed(lambda y=year: align_world(con, y))
            assert result.optimal
            years[year] = (seconds, result.actors)
        con.close()
    slowest = max(years, key=lambda y: years[y][0])
    report["world_years"] = {
        "years": len(years),
        "total_s": sum(v[0] for v in years.values()),
        "slowest_year": slowest,
        "slowest_s": years[slowest][0],
        "states_in_slowest": years[slowest][1],
    }

    rng = np.random.default_rng(20)
    b = rng.normal(size=(20, 20))
    b = np.triu(b, 1) + np.triu(b, 1).T
    seconds, (costs, local) = timed(lambda: enumerate_partitions(b))
    report["enumeration_20"] = {
        "partitions": int(costs.size),
        "local_minima": int(local.sum()),
        "seconds": seconds,
    }

    if args.json:
        print(json.dumps(report))
        return
    print("random graphs: nodes, edges, enumeration s, integer programme s, plain s")
    for row in ladder:
        print(
            f"  {row['nodes']:4d} {row['edges']:6d} {row.get('enumeration_s', float('nan')):8.3f}"
            f" {row['milp_s']:8.3f} (optimal {row['milp_optimal']})"
            f" {row['plain_s']:8.3f} (optimal {row['plain_optimal']})"
        )
    c = report["cowlist"]
    print(
        f"51 COW networks: {c['seconds']:.2f} s in all, largest {c['largest_s']:.2f} s, all "
        f"proved; plain formulation {c['plain_seconds']:.1f} s ({c['plain_proved']} proved), "
        f"ratio {c['ratio']:.1f}×"
    )
    w = report["world_years"]
    print(
        f"state system 1946–2014: {w['years']} years, {w['total_s']:.1f} s in all, slowest "
        f"{w['slowest_year']} ({w['states_in_slowest']} states) {w['slowest_s']:.2f} s, all proved"
    )
    e = report["enumeration_20"]
    print(
        f"20-actor landscape: {e['partitions']:,} partitions and {e['local_minima']} local "
        f"minima in {e['seconds']:.2f} s"
    )


if __name__ == "__main__":
    main()
