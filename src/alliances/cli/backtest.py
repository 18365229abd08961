"""``alliances backtest``: the model graded against documented wedge attempts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from alliances.cli._app import (
    HTML,
    JsonOption,
    SeedOption,
    StoreOption,
    app,
    echo_json,
    err,
    given,
    out,
    stages,
)

MAX_BACKTEST_SAMPLES = 10**6


@app.command("backtest")
def backtest_command(
    ctx: typer.Context,
    cases: Annotated[
        Path | None,
        typer.Argument(help="A catalogue of wedge attempts (default: the one shipped)."),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write an HTML page of the scores here.")
    ] = None,
    params: Annotated[
        Path | None,
        typer.Option("--params", help="Parameters written by --fit (the willingness scale)."),
    ] = None,
    calibrate: Annotated[
        Path | None,
        typer.Option(
            "--calibrate",
            help="Write the fitted decision layer (the calibrated P(flip)) here, as the "
            "package's flip_layer.json is made.",
        ),
    ] = None,
    fit: Annotated[
        Path | None,
        typer.Option("--fit", help="Fit the willingness scale (leave-one-out); write it here."),
    ] = None,
    samples: Annotated[
        int,
        typer.Option(
            min=100, max=MAX_BACKTEST_SAMPLES, help="Monte Carlo draws per case (100 to 10^6)."
        ),
    ] = 4000,
    seed: SeedOption = 0,
    rules: Annotated[
        int,
        typer.Option(
            "--rules",
            min=1,
            max=2,
            help="Drafting rules: 1 (docs/drafting.md, the default) or 2 (docs/drafting-v2.md).",
        ),
    ] = 1,
    n_boot: Annotated[
        int | None,
        typer.Option(
            "--bootstrap",
            min=0,
            max=100_000,
            help="Bootstrap resamples (default 2000; 1000 with --exits).",
        ),
    ] = None,
    exits: Annotated[
        bool,
        typer.Option(
            "--exits",
            help="Score the alliance-exit forecast instead (rolling origin by decade and the "
            "1991–2016 hold-out; docs/forecast.md).",
        ),
    ] = False,
    structure: Annotated[
        bool,
        typer.Option(
            "--structure",
            help="With --exits: add the nested model with the wedge price's features "
            "(prices every membership at 5-year anchors; minutes).",
        ),
    ] = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Grade the model on documented wedge attempts: P(flip) against three baselines
    (with --exits: the alliance-exit forecast on the ATOP record)."""
    asked = {n for n in ("calibrate", "samples", "rules", "structure") if given(ctx, n)}
    if exits:
        from alliances.cli.forecasting import print_exits, run_exits

        if cases is not None or fit is not None or params is not None or asked - {"structure"}:
            msg = (
                "--exits scores the exit forecast: it takes no catalogue, --fit, --params, "
                "--calibrate, --samples or --rules"
            )
            raise typer.BadParameter(msg, param_hint="--exits")
        data = run_exits(
            store=store,
            n_boot=1000 if n_boot is None else n_boot,
            seed=seed,
            structure=structure,
            report=report,
        )
        if as_json:
            echo_json(data)
            return
        print_exits(data)
        if report is not None:
            out.print(f"Wrote {report}.")
        return
    if "structure" in asked:
        msg = "--structure adds the wedge price to the exit forecast: give it with --exits"
        raise typer.BadParameter(msg, param_hint="--structure")
    if fit is not None and params is not None:
        msg = "give --fit (estimate the scale) or --params (use one), not both"
        raise typer.BadParameter(msg, param_hint="--params")
    scale = 1.0 if params is None else _read_scale(params)  # before the heavy imports
    from alliances._files import atomic_write, check_output
    from alliances.studies.backtest import backtest, fit_scale
    from alliances.studies.cases import load_cases
    from alliances.world import connect

    for path, suffixes in ((report, HTML), (fit, ()), (calibrate, ())):
        if path is not None:
            check_output(path, suffixes=suffixes)
    n_boot = 2000 if n_boot is None else n_boot
    catalogue = load_cases(cases)
    con = connect(store)
    try:
        with stages() as stage:
            if fit is not None:
                result = fit_scale(
                    catalogue,
                    con,
                    samples=samples,
                    seed=seed,
                    n_boot=n_boot,
                    progress=stage,
                    rules=2 if rules == 2 else 1,
                )
            else:
                result = backtest(
                    catalogue,
                    con,
                    samples=samples,
                    seed=seed,
                    scale=scale,
                    n_boot=n_boot,
                    progress=stage,
                    rules=2 if rules == 2 else 1,
                )
    finally:
        con.close()
    if params is not None:
        result = replace(result, params={"file": str(params), "willingness_scale": scale})
    data = result.to_dict()
    if fit is not None:
        atomic_write(fit, json.dumps(data["fit"], indent=2) + "\n")
    if calibrate is not None:
        if "calibrated" not in data:
            from alliances.errors import DataError

            msg = "--calibrate needs at least 10 cases the data cover"
            raise DataError(msg)
        layer = {
            **data["calibrated"]["layer"],
            "version": "flip-1",
            "track_record": {
                k: v for k, v in data["calibrated"]["track_record"].items() if k != "predictions"
            },
        }
        atomic_write(calibrate, json.dumps(layer, indent=1) + "\n")
    if report is not None:
        from alliances.report.backtest import render_backtest

        atomic_write(report, render_backtest(result))
    if as_json:
        echo_json(data)
        return
    _print(data, fit is not None, params is not None)
    if "calibrated" in data:
        _print_calibrated(data["calibrated"])
    if report is not None:
        out.print(f"Wrote {report}.")
    if fit is not None:
        out.print(f"Wrote {fit} (willingness scale {data['fit']['willingness_scale']:.3g}).")


def _read_scale(path: Path) -> float:
    from alliances._reading import read_json
    from alliances.errors import DataError

    what = "parameter file of `alliances backtest --fit`"
    data = read_json(path, what=what)
    value = data.get("willingness_scale") if isinstance(data, dict) else None
    # A boolean is an int to Python, and `true` is no scale.
    if isinstance(value, bool) or not isinstance(value, int | float):
        got = "no such key" if value is None else f"{json.dumps(value)[:40]}"
        msg = (
            f"{path}: expected a JSON object written by `alliances backtest --fit` with a "
            f"number 'willingness_scale', got {got}"
        )
        raise DataError(msg)
    scale = float(value)
    if not scale > 0 or scale == float("inf"):
        msg = f"{path}: willingness_scale={scale} should be a positive finite number"
        raise DataError(msg)
    return scale


def _fmt(value: Any, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _print(data: dict[str, Any], fitted: bool, with_params: bool) -> None:
    from rich.table import Table

    table = Table("case", "data year", "outcome", "P(flip)", "note", title="Wedge attempts")
    for case in data["cases"]:
        note = case["reason"] if case["skipped"] else ""
        table.add_row(
            case["id"], str(case["year"]), case["outcome"], _fmt(case["p_flip"]), note or ""
        )
    out.print(table)
    s = data["scores"]
    ci = s.get("ci", {})

    def with_ci(name: str) -> str:
        low, high = ci.get(name, [None, None])
        return f"{_fmt(s.get(name))} [{_fmt(low)}, {_fmt(high)}]"

    kind = "leave-one-out (fitted scale)" if fitted else "the rules as written"
    if with_params:
        kind = "with the scale of --params (in-sample if fitted on these cases)"
    out.print(
        f"{s['n']} cases scored, {s['n_skipped']} skipped; predictions: {kind}; "
        "90% bootstrap intervals."
    )
    if s.get("brier") is None:
        err.print("Too few cases the data cover to score.")
        return
    rows = Table("score", "model", "base rate", "logistic", "instrument rule", title="Scores")
    rows.add_row(
        "Brier",
        with_ci("brier"),
        with_ci("base_rate_brier"),
        with_ci("logistic_brier"),
        with_ci("rule_brier"),
    )
    rows.add_row(
        "Brier skill",
        "",
        with_ci("brier_skill"),
        with_ci("brier_skill_vs_logistic"),
        with_ci("brier_skill_vs_rule"),
    )
    out.print(rows)
    out.print(f"Log loss {with_ci('log_loss')}; ROC AUC {with_ci('auc')} (partials left out).")


def _print_calibrated(calibrated: dict[str, Any]) -> None:
    from rich.table import Table

    layer, record = calibrated["layer"], calibrated["track_record"]
    params = Table("parameter", "estimate", "90% interval", title="Calibrated P(flip): the layer")
    meaning = {
        "a": "intercept",
        "c": "coercion",
        "g": "log margin of the offer over O*",
        "k": "log credibility",
    }
    for key, value in layer["parameters"].items():
        low, high = layer["intervals"].get(key, [None, None])
        params.add_row(f"{key} ({meaning[key]})", f"{value:.3f}", f"[{_fmt(low)}, {_fmt(high)}]")
    out.print(params)
    scores = Table("leave-one-out", "Brier", "log loss", "AUC", title="Its track record")
    for name, s in record["leave_one_out"].items():
        scores.add_row(name, _fmt(s["brier"]), _fmt(s["log_loss"]), _fmt(s["auc"]))
    out.print(scores)
    out.print(
        "AUC of a base rate left out one case at a time is 0 by construction (each case "
        "lowers its own prediction), and the instrument's is pulled down within each "
        "instrument the same way: read their Brier and log loss, not their AUC."
    )
    for pair, d in record["differences"].items():
        low, high = d["brier_ci"]
        out.print(
            f"{pair}: ΔBrier {d['brier']:+.3f} [{_fmt(low)}, {_fmt(high)}]; with "
            f"{record['n']} cases only a ΔBrier beyond ±"
            f"{d['detectable_at_80_percent_power']:.3f} could be detected (80% power)."
        )
    out.print(
        "Permutation test of g (does the price carry signal?): "
        f"p = {record['permutation_p_g']:.3f}."
    )
    for title in ("by_instrument", "by_era"):
        groups = record.get(title)
        if groups:
            cells = "; ".join(
                f"{k}: predicted {v['predicted']:.2f}, observed {v['observed']:.2f} (n={v['n']})"
                for k, v in groups.items()
            )
            out.print(f"Calibration {title.replace('_', ' ')}: {cells}.")
