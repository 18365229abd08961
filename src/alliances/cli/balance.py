"""``alliances balance``: the frustration index of a signed graph read from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from alliances.cli._app import JsonOption, app, echo_json, err, out


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
