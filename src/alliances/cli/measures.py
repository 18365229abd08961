"""``alliances dyad``, ``balance``, ``align`` and ``validate``: measures of the world."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from alliances.cli._app import JsonOption, StoreOption, app, echo_json, err, out, stages
from alliances.scenario.labels import count, number


@app.command("dyad")
def dyad_command(
    a: Annotated[str, typer.Argument(help="A state: name, capital, adjective or code.")],
    b: Annotated[str, typer.Argument(help="The other state.")],
    year: Annotated[
        int, typer.Option(help="Year (2014 is the last that trade, IGOs and MIDs cover).")
    ] = 2014,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything the store knows of a pair in a year, each figure with its source."""
    from alliances.studies.dyad_profile import dyad_profile
    from alliances.world import connect

    con = connect(store)
    try:
        profile = dyad_profile(con, a, b, year)
    finally:
        con.close()
    if as_json:
        typer.echo(json.dumps(profile))
        return
    first, second = profile["dyad"]["a"]["name"], profile["dyad"]["b"]["name"]
    table = Table(title=f"{first} and {second} in {year}")
    table.add_column("measure")
    table.add_column(first, justify="right")
    table.add_column(second, justify="right")
    table.add_column("source")
    for row in profile["rows"]:
        table.add_row(row["measure"], _cell(row["a"]), _cell(row["b"]), row["source"])
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return number(float(f"{value:.3g}")) if abs(value) < 1000 else f"{value:,.0f}"
    text = str(value)
    return text if len(text) <= 60 else f"{text[:57]}… (--json for all)"


@app.command("balance")
def balance_command(
    edges: Annotated[Path, typer.Argument(help="CSV edge list: source,target,sign[,weight].")],
    weighted: Annotated[bool, typer.Option(help="Use the weight column.")] = False,
    time_limit: Annotated[
        float | None,
        typer.Option(
            min=0,
            help="Seconds for the whole run, set-up included (default: the solver's, 60 s); "
            "at the limit, the best partition with its bound and gap.",
        ),
    ] = None,
    method: Annotated[
        Literal["auto", "enumerate", "milp", "heuristic"], typer.Option(help="Solver.")
    ] = "auto",
    as_json: JsonOption = False,
) -> None:
    """Frustration index of a signed graph, with a proof of optimality or a gap."""
    import math
    import warnings

    from alliances.analysis.balance import frustration_index
    from alliances.world.edges import read_edges

    if time_limit is not None and math.isnan(time_limit):
        msg = "expected a number of seconds, got nan"
        raise typer.BadParameter(msg, param_hint="--time-limit")
    graph = read_edges(edges, weighted=weighted)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # kept in result.warnings, shown below
        result = frustration_index(graph, method=method, time_limit=time_limit)
    if as_json:
        echo_json({"nodes": graph.n, "edges": len(graph.i), **result.to_dict()})
        return
    state = "proved optimal" if result.optimal else f"not proved: gap {result.gap:.2%}"
    out.print(
        f"{escape(str(edges))}: {graph.n} nodes, {len(graph.i)} edges. Frustration index "
        f"[bold]{result.frustration_index:g}[/] ({state}; lower bound "
        f"{result.lower_bound:g}; {result.method}, {result.seconds:.2f} s).",
        markup=True,
    )
    blocs = [[str(k) for k, v in result.partition.items() if v == side] for side in (0, 1)]
    for side, members in enumerate(blocs):
        out.print(f"Bloc {side + 1}: {', '.join(members)}")
    for warning in result.warnings:
        err.print(f"note: {warning}", soft_wrap=True)


@app.command("align")
def align_command(
    year: Annotated[int | None, typer.Option(help="Year of the world data.")] = None,
    actors: Annotated[
        str | None,
        typer.Option(help="Comma-separated states (names or codes); default: every state."),
    ] = None,
    scenario: Annotated[
        str | None, typer.Option(help="Align a scenario's actors by its bonds instead.")
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option(min=0, help="Seconds for the integer programme.")
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Landscape alignment of the world in a year, or of a scenario: minimum-energy
    blocs, local minima and (for a scenario) the systemic wedge price."""
    from alliances.scenario import load
    from alliances.studies.world_alignment import align_scenario, align_world
    from alliances.world import connect

    if (year is None) == (scenario is None):
        msg = "give either --year (the world data) or --scenario"
        raise typer.BadParameter(msg)
    chosen: list[str | int] | None = [a.strip() for a in actors.split(",")] if actors else None
    if scenario is not None:
        result = align_scenario(load(scenario))
    else:
        assert year is not None  # one of the two was given (checked above)
        con = connect(store)
        try:
            result = align_world(con, year, chosen, time_limit=time_limit)
        finally:
            con.close()
    if as_json:
        typer.echo(json.dumps(result, default=str))
        return
    state = "proved optimal" if result["optimal"] else f"gap {result.get('gap', 0):.2%}"
    where = f"in {result['year']}" if "year" in result else f"of {result['scenario']}"
    partitions, minima = len(result["partitions"]), len(result["local_minima"])
    out.print(
        f"{result['actors']} actors {where}; minimum energy {result['energy']:.6g} "
        f"({result['method']}, {state}); {count(partitions, 'minimum-energy partition')}, "
        f"{count(minima, 'local minimum', 'local minima')}."
    )
    for k, partition in enumerate(result["partitions"]):
        for side in (0, 1):
            members = [name for name, v in partition.items() if v == side]
            if members:
                out.print(f"Partition {k + 1}, bloc {side + 1}: {', '.join(members)}")
    for row in result.get("wedge_price", [])[:5]:
        out.print(
            f"Systemic wedge price: change the {row['i']}–{row['j']} propensity by "
            f"{row['delta']:+.3g} to move {result['target']} into {result['divider']}'s bloc.",
        )


def _error(value: float) -> str:
    """An error as people read it: 5, 0.0213, "< 0.000001" (the JSON keeps it exact)."""
    return "< 0.000001" if 0 < abs(value) < 1e-6 else number(float(f"{value:.3g}"))


@app.command("validate")
def validate_command(
    store: StoreOption = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Build (or update) the store from this folder first."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check our measures against figures published by others."""
    from alliances.studies.published_checks import run_checks
    from alliances.world import build, connect

    if data_dir is not None:
        with stages() as stage:
            build(data_dir, store, progress=stage)
    con = connect(store)
    try:
        with stages() as stage:
            stage("Checking")
            checks = run_checks(con)
    finally:
        con.close()
    if as_json:
        typer.echo(json.dumps({"checks": [c.to_dict() for c in checks]}))
    else:
        table = Table(title="Checks against published figures")
        table.add_column("check", no_wrap=True)
        for name in ("source", "published", "ours"):
            table.add_column(name)
        table.add_column("error", justify="right", no_wrap=True)
        table.add_column("pass", no_wrap=True)
        for c in checks:
            verdict = {
                True: Text("yes", style="green"),
                False: Text("no", style="red"),
                None: Text("skipped"),
            }[c.passed]
            error = "" if c.error is None else _error(c.error)
            ours = c.ours or c.details.get("skipped", "")
            table.add_row(c.check, c.source, c.published, ours, error, verdict)
        out.print(table)
    if any(c.passed is False for c in checks):
        raise typer.Exit(1)
