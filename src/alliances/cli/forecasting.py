"""``alliances forecast``: every alliance membership's risk of an early exit, and
``alliances backtest --exits``'s printing (the scores of that forecast out of sample)."""

from __future__ import annotations

import json
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
    out,
    stages,
)


@app.command("forecast")
def forecast_command(
    year: Annotated[int, typer.Option("--year", help="Forecast from the data up to YEAR − 1.")],
    horizon: Annotated[
        int, typer.Option("--horizon", min=1, max=50, help="Years ahead (1 to 50).")
    ] = 5,
    price: Annotated[
        bool,
        typer.Option(
            "--price/--no-price",
            help="Price each membership against the major powers (the cheapest divider).",
        ),
    ] = True,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows of the table printed.")] = 20,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the JSON here as well.")
    ] = None,
    seed: SeedOption = 0,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """P(each ATOP membership in force at the end of YEAR − 1 ends by early exit within
    HORIZON years), with its principal partner and its cheapest divider."""
    from alliances._files import atomic_write, check_output, json_ready
    from alliances.studies.forecast import forecast
    from alliances.world import connect

    if output is not None:
        check_output(output, suffixes=(".json",))
    con = connect(store)
    try:
        with stages() as stage:
            result = forecast(con, year, horizon=horizon, price=price, seed=seed, progress=stage)
    finally:
        con.close()
    data = result.to_dict()
    if output is not None:
        atomic_write(output, json.dumps(json_ready(data), indent=1) + "\n")
    if as_json:
        echo_json(data)
        return
    _print_forecast(data, top)


def _print_forecast(data: dict[str, Any], top: int) -> None:
    from rich.table import Table

    from alliances.cli._app import bn

    first = data["model"]["fitted_on"]["years"][1] + 1  # the year after the record read
    last = first + data["horizon"] - 1
    table = Table(
        "alliance",
        "member",
        "principal partner",
        f"P(exit ≤ {data['horizon']}y)",
        "pct",
        "cheapest divider",
        "flip price (USD bn)",
        "top driver",
        title=f"Alliance memberships most at risk of early exit in {first}–{last}",
    )
    for row in data["rows"][:top]:
        price = row["flip_price_p50"]
        table.add_row(
            str(row["atopid"]),
            row["member"],
            row["partner"] or "",
            f"{row['p_exit']:.3f}",
            f"{row['percentile']:.0f}",
            row["cheapest_divider"] or "",
            "" if price is None else bn(price),
            row["top_driver"],
        )
    out.print(table)
    fitted = data["model"]["fitted_on"]
    out.print(
        f"{len(data['rows'])} memberships; model {data['model']['version']} fitted on "
        f"{fitted['member_years']:,} member-years ({fitted['events']} early exits, "
        f"{fitted['years'][0]}–{fitted['years'][1]}). Its track record: "
        "`alliances backtest --exits`. Risks are associations in the record, not causes."
    )
    for note in data["warnings"]:
        out.print(f"note: {note}", markup=False)


def run_exits(
    *, store: Path | None, n_boot: int, seed: int, structure: bool, report: Path | None
) -> dict[str, Any]:
    """The exit backtest of ``alliances backtest --exits``, as JSON-ready data."""
    from alliances._files import atomic_write, check_output
    from alliances.studies.backtest.exits import backtest_exits
    from alliances.studies.exit_features import exit_features
    from alliances.world import connect, provenance

    if report is not None:
        check_output(report, suffixes=HTML)
    con = connect(store)
    try:
        with stages() as stage:
            stage("Reading the member-years and their features")
            frame = exit_features(con)
            if structure:
                from alliances.studies.exit_structure import with_structure

                frame = with_structure(con, frame, seed=seed, progress=stage)
            result = backtest_exits(
                frame, structure=structure, n_boot=n_boot, seed=seed, progress=stage
            )
        datasets = provenance(con)  # the page cites the store's own files
    finally:
        con.close()
    data = result.to_dict()
    if report is not None:
        from alliances.report.exits import render_exits

        atomic_write(report, render_exits(result, datasets=datasets))
    return data


def _cell(scores: dict[str, Any], metric: str, digits: int = 3) -> str:
    value, (lo, hi) = scores[metric], scores[f"{metric}_ci"]
    if value is None:
        return "n/a"
    return f"{value:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def print_exits(data: dict[str, Any]) -> None:
    """The rolling and hold-out tables of the exit backtest, for people."""
    from rich.table import Table

    from alliances.report.exits import nested as _nested

    blocks = [(f"rolling origin, {k}", v) for k, v in data["rolling"].items()]
    blocks.append(
        (f"hold-out {data['holdout']['first']}–{data['holdout']['last']}", data["holdout"])
    )
    for title, block in blocks:
        table = Table(
            "model", "AUC", "PR-AUC", "Brier ×100", "log loss", "top decile", title=title
        )
        for model, s in block["scores"].items():
            brier = {**s, "brier": s["brier"] * 100, "brier_ci": [x * 100 for x in s["brier_ci"]]}
            table.add_row(
                model,
                _cell(s, "auc"),
                _cell(s, "pr_auc", 4),
                _cell(brier, "brier", 4),
                _cell(s, "log_loss", 4),
                _cell(s, "top_decile"),
            )
        out.print(table)
        out.print(
            f"{block['n']:,} member-years, {block['events']} early exits, "
            f"{block['clusters']} alliances; 90% intervals, bootstrap by alliance."
        )
        for pair, d in block["differences"].items():
            if _nested(pair, list(block["scores"])):
                out.print(
                    f"  {pair}: ΔAUC {_cell(d, 'auc')}, ΔBrier×100 "
                    f"{d['brier'] * 100:+.4f} [{d['brier_ci'][0] * 100:+.4f}, "
                    f"{d['brier_ci'][1] * 100:+.4f}]",
                    markup=False,
                )
    decades = Table("decade", "member-years", "events", *data["models"], title="AUC by decade")
    for p in data["decades"]:
        aucs = [p["scores"].get(m, {}).get("auc") for m in data["models"]]
        decades.add_row(
            p["period"],
            f"{p['n']:,}",
            str(p["events"]),
            *("n/a" if a is None or a != a else f"{a:.2f}" for a in aucs),
        )
    out.print(decades)
