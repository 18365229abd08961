"""Benchmark of the wedge Monte Carlo and its Sobol' analysis on the built-in scenario.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/wedge.py [--draws N]``).

It measures, in one run and on the same draws:

* the vectorised model (sampling every input and evaluating O*) on ``--draws`` draws;
* the plain-Python reference (:mod:`alliances.analysis._reference`), one draw at a time,
  on the first ``--loop-draws`` of those draws (a loop over all 10^6 would take minutes;
  the per-draw cost is what is compared), and checks both give the same prices;
* the Sobol' first- and total-order indices with N = ``--sobol`` base samples;
* the whole ``alliances.wedge()`` call (Monte Carlo, summaries, P(flip) curve, the
  divider's best offer) on ``--draws`` draws without the Sobol' stage.

and prints the ratio of the loop's per-draw time to the vectorised per-draw time.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from alliances.analysis._reference import flip_price_raw
from alliances.analysis.wedge import _drivers, compile_model, evaluate, sample_inputs, wedge
from alliances.scenario import load_builtin


def best_of(repeats: int, func):
    best = float("inf")
    value = None
    for _ in range(repeats):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--loop-draws", type=int, default=20_000)
    parser.add_argument("--sobol", type=int, default=4096)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    scenario = load_builtin("russia-iran-2017")
    model = compile_model(scenario)
    u = np.random.default_rng(0).random((len(model.uncertain), args.draws))

    def vectorised():
        return evaluate(model, sample_inputs(model, u))["flip_price_raw"]

    vec_seconds, prices = best_of(args.repeats, vectorised)

    x = sample_inputs(model, u[:, : args.loop_draws])
    rows = [{k: float(v[i]) for k, v in x.items()} for i in range(args.loop_draws)]
    loop_seconds, loop_prices = best_of(1, lambda: [flip_price_raw(model, r) for r in rows])
    np.testing.assert_allclose(prices[: args.loop_draws], loop_prices, rtol=1e-12)

    sobol_seconds, _ = best_of(
        args.repeats, lambda: _drivers(model, args.sobol, np.random.SeedSequence(0))
    )
    full_seconds, _ = best_of(
        args.repeats, lambda: wedge(scenario, samples=args.draws, seed=0, sobol_samples=0)
    )

    per_draw_vec = vec_seconds / args.draws
    per_draw_loop = loop_seconds / args.loop_draws
    report = {
        "draws": args.draws,
        "uncertain_inputs": len(model.uncertain),
        "vectorised_seconds": vec_seconds,
        "loop_draws": args.loop_draws,
        "loop_seconds": loop_seconds,
        "loop_seconds_extrapolated_to_draws": per_draw_loop * args.draws,
        "speedup_vectorised_over_loop": per_draw_loop / per_draw_vec,
        "sobol_base_samples": args.sobol,
        "sobol_model_runs": args.sobol * (sum(i.affects_price for i in model.uncertain) + 2),
        "sobol_seconds": sobol_seconds,
        "wedge_call_seconds": full_seconds,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"built-in russia-iran-2017, {report['uncertain_inputs']} uncertain inputs")
    print(f"vectorised Monte Carlo, {args.draws:,} draws:      {vec_seconds:8.3f} s")
    print(
        f"plain-Python loop, {args.loop_draws:,} of the same draws: {loop_seconds:8.3f} s "
        f"(≈ {report['loop_seconds_extrapolated_to_draws']:,.0f} s for {args.draws:,})"
    )
    ratio = report["speedup_vectorised_over_loop"]
    print(f"ratio loop / vectorised, per draw:            {ratio:8.0f}×")
    print(
        f"Sobol' S1 and ST, N = {args.sobol} ({report['sobol_model_runs']:,} runs): "
        f"{sobol_seconds:8.3f} s"
    )
    print(f"wedge() with {args.draws:,} draws, no Sobol':    {full_seconds:8.3f} s")


if __name__ == "__main__":
    main()
