"""``alliances wedge`` and ``alliances report``: the wedge price of a scenario.

Each command calls one orchestration of :mod:`alliances.studies` and renders what it
returns: ``wedge`` :func:`alliances.studies.pricing.price`, ``report``
:func:`alliances.studies.reporting.build_report` (then :func:`alliances.report.render`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from alliances._files import check_output
from alliances.cli._app import (
    HTML,
    JsonOption,
    SamplesOption,
    ScenarioArg,
    SeedOption,
    SobolOption,
    StoreOption,
    app,
    bn,
    err,
    out,
    parse_money,
    stages,
    store_if_any,
)

REPORT_MAX_SAMPLES = 10**6

if TYPE_CHECKING:
    from alliances.analysis.wedge import WedgeResult
    from alliances.scenario import Scenario


@app.command("wedge")
def wedge_command(
    scenario: ScenarioArg,
    offer: Annotated[
        str | None,
        typer.Option(help="Offer in USD (50e9, 50bn) at which to report P(flip)."),
    ] = None,
    samples: SamplesOption = 100_000,
    seed: SeedOption = 0,
    sobol: SobolOption = 4096,
    store: StoreOption = None,
    grounded: Annotated[
        bool, typer.Option("--ground/--no-ground", help="Resolve derive: queries in the store.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """The wedge price: flip-price distribution, P(flip | offer), drivers."""
    from alliances.scenario import load
    from alliances.studies.pricing import price

    amount = parse_money(offer) if offer is not None else None
    model = load(scenario)
    con = store_if_any(store) if grounded else None
    try:
        with stages() as stage:
            priced = price(
                model,
                store=con,
                why_no_store=_why_no_store(grounded),
                samples=samples,
                seed=seed,
                offer=amount,
                sobol_samples=sobol,
                keep_draws=None,  # kept (up to 10^6 draws) for the calibrated P(flip)
                progress=stage,
            )
    finally:
        if con is not None:
            con.close()
    result, grounding = priced.result, priced.grounding
    if as_json:
        typer.echo(json.dumps({**result.to_dict(), "grounding": [g.to_dict() for g in grounding]}))
    else:
        _print_wedge(result, priced.scenario)
        for g in grounding:
            if g.grounded:
                out.print(g.statement, markup=False, soft_wrap=True)


def _print_wedge(result: WedgeResult, scenario: Scenario) -> None:
    from alliances.scenario.labels import actor_name

    name = {a.id: actor_name(scenario, a.id) for a in scenario.actors}
    verb = "stay neutral" if result.goal == "neutral" else "realign with it"
    out.print(f"[bold]{escape(scenario.title)}[/]", markup=True)
    out.print(
        f"What must {name[result.divider_id]} offer {name[result.target]} to leave "
        f"{name[result.partner]} "
        f"and {verb}? {result.samples:,} draws, seed {result.seed}. Money in USD bn "
        "(present value)."
    )
    out.print(result.grounded["statement"], markup=False, soft_wrap=True)
    fp = result.flip_price
    table = Table(title="Flip price O*")
    for column in ("mean", "p05", "p25", "p50", "p75", "p95"):
        table.add_column(column, justify="right")
    table.add_column("P(O* = 0)", justify="right")
    table.add_column("P(O* = ∞)", justify="right")
    table.add_row(
        *(bn(fp[c]) for c in ("mean", "p05", "p25", "p50", "p75", "p95")),
        f"{fp['p_zero']:.3f}",
        f"{fp['p_infinite']:.3f}",
    )
    out.print(table)

    o = result.offer
    label = "the divider's instruments (face value)" if o["reference"] else "the offer given"
    c = result.calibrated
    if c is not None:
        from alliances.studies.backtest.calibration import skill_statement

        out.print(
            f"P(flip) at {label}, {bn(o['value'])} bn, calibrated: [bold]{c['p_flip']:.2f}[/] "
            f"(90% interval {c['interval'][0]:.2f} to {c['interval'][1]:.2f}; layer "
            f"{c['layer']['version']}, fitted on {c['layer']['fitted_on'].get('cases', '?')} "
            f"documented attempts, {skill_statement(c['track_record'])})",
            markup=True,
        )
    out.print(
        f"P(flip) at {label}, {bn(o['value'])} bn"
        + (", structural threshold P(O* < offer)" if c is not None else "")
        + f": [bold]{o['p_flip']:.3f}[/]",
        markup=True,
    )
    own, fixed = o.get("p_flip_own_package"), o.get("p_flip_at_value")
    if o["reference"] and own is not None and fixed is not None and abs(own - fixed) >= 5e-4:
        out.print(
            f"  ({own:.3f} with each draw's own package, as above; {fixed:.3f} at a fixed "
            f"{bn(o['value'])} bn)"
        )
    curve = Table(title="P(flip | offer)")
    curve.add_column("offer", justify="right")
    curve.add_column("P(flip)", justify="right")
    for _, row in result.p_flip.iloc[::10].iterrows():
        curve.add_row(bn(row["offer"]), f"{row['p']:.3f}")
    out.print(curve)

    d = result.willingness_to_pay
    out.print(
        f"Divider: median most it would pay {bn(d['max_offer_p50'])} bn; "
        f"P(flip within its means) {d['p_within_means']:.3f}; best offer "
        f"{bn(d['best_offer'])} bn (expected gain {bn(d['expected_gain'])} bn)."
    )

    comps = Table(title="What the price is made of (median, USD bn)")
    comps.add_column("term")
    comps.add_column("p50", justify="right")
    comps.add_column("p05–p95", justify="right")
    for _, row in result.components.iterrows():
        if row["unit"] == "fraction":
            comps.add_row(
                escape(str(row["label"])),
                f"{row['p50']:.3f}",
                f"{row['p05']:.3f}–{row['p95']:.3f}",
            )
        else:
            comps.add_row(
                escape(str(row["label"])), bn(row["p50"]), f"{bn(row['p05'])}–{bn(row['p95'])}"
            )
    out.print(comps)

    if not result.drivers.empty:
        drivers = Table(title="Drivers of O* (Sobol' indices of its rank)")
        drivers.add_column("input")
        drivers.add_column("S1", justify="right")
        drivers.add_column("ST", justify="right")
        for _, row in result.drivers.head(10).iterrows():
            drivers.add_row(escape(str(row["label"])), f"{row['S1']:.3f}", f"{row['ST']:.3f}")
        out.print(drivers)

    keys = ", ".join(
        dict.fromkeys(
            s["key"] if s["reference"] else s["key"].split(" (")[0] for s in result.sources
        )
    )
    out.print(
        f"Sources: {keys}. Assumptions: see `--json` (inputs) or the scenario file.",
        markup=False,
        soft_wrap=True,
    )
    for warning in result.warnings:
        err.print(f"[yellow]note[/]: {escape(warning)}", markup=True, soft_wrap=True)


@app.command("report")
def report_command(
    scenario: ScenarioArg,
    out_file: Annotated[Path, typer.Option("-o", "--out", help="The HTML file to write.")],
    figures: Annotated[
        Path | None, typer.Option(help="Also write each chart as PNG and SVG here.")
    ] = None,
    seed: SeedOption = 0,
    samples: Annotated[
        int,
        typer.Option(
            min=2,
            max=REPORT_MAX_SAMPLES,
            help="Monte Carlo draws (2 to 10^6: the charts keep every draw).",
        ),
    ] = 100_000,
    sobol: SobolOption = 4096,
    store: StoreOption = None,
    grounded: Annotated[
        bool,
        typer.Option("--ground/--no-ground", help="Use the store (grounding, time series)."),
    ] = True,
) -> None:
    """A self-contained HTML report of a scenario (opens with no network)."""
    from alliances.report import render, write, write_figures
    from alliances.scenario import load
    from alliances.studies import build_report

    check_output(out_file, suffixes=HTML)
    if figures is not None:
        check_output(figures, folder=True)
    model = load(scenario)
    con = store_if_any(store) if grounded else None
    try:
        with stages() as stage:
            report = build_report(
                model,
                store=con,
                samples=samples,
                seed=seed,
                sobol_samples=sobol,
                progress=stage,
                why_no_store=_why_no_store(grounded),
            )
            html = render(report)
    finally:
        if con is not None:
            con.close()
    written = write(html, out_file)
    if figures is not None:
        files = write_figures(report.scenario, report.result, figures)
        out.print(f"Wrote {len(files)} figures to {figures}.")
    out.print(f"Wrote {written} ({written.stat().st_size / 1e6:.1f} MB).")


def _why_no_store(grounded: bool) -> str:
    """Why a command runs without the store: it was told to, or there is none."""
    from alliances.world.connection import no_default_store

    return no_default_store() if grounded else "--no-ground was given"
