"""``alliances align``: the landscape alignment of the world in a year, or of a scenario.

It calls :func:`alliances.studies.world_alignment.align_world` or
:func:`~alliances.studies.world_alignment.align_scenario` and prints the
:class:`~alliances.studies.world_alignment.WorldAlignment` or
:class:`~alliances.studies.world_alignment.ScenarioAlignment`, or its ``to_dict()``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from alliances.cli._app import JsonOption, StoreOption, app, out
from alliances.scenario.labels import count

if TYPE_CHECKING:
    from alliances.typing import ActorRef


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
    from alliances.studies.world_alignment import (
        ScenarioAlignment,
        WorldAlignment,
        align_scenario,
        align_world,
    )
    from alliances.world import connect

    if (year is None) == (scenario is None):
        msg = "give either --year (the world data) or --scenario"
        raise typer.BadParameter(msg)
    chosen: list[ActorRef] | None = [a.strip() for a in actors.split(",")] if actors else None
    result: WorldAlignment | ScenarioAlignment
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
        typer.echo(json.dumps(result.to_dict(), default=str))
        return
    if isinstance(result, WorldAlignment):
        state = "proved optimal" if result.optimal else f"gap {result.gap:.2%}"
        where = f"in {result.year}"
    else:
        state, where = "proved optimal", f"of {result.scenario}"
    partitions, minima = len(result.partitions), len(result.local_minima)
    out.print(
        f"{result.actors} actors {where}; minimum energy {result.energy:.6g} "
        f"({result.method}, {state}); {count(partitions, 'minimum-energy partition')}, "
        f"{count(minima, 'local minimum', 'local minima')}."
    )
    for k, partition in enumerate(result.partitions):
        for side in (0, 1):
            members = [str(name) for name, v in partition.items() if v == side]
            if members:
                out.print(f"Partition {k + 1}, bloc {side + 1}: {', '.join(members)}")
    if isinstance(result, ScenarioAlignment):
        for row in result.wedge_price.head(5).to_dict(orient="records"):
            out.print(
                f"Systemic wedge price: change the {row['i']}–{row['j']} propensity by "
                f"{row['delta']:+.3g} to move {result.target} into {result.divider}'s bloc.",
            )
        if result.wedge_before is not None and result.wedge_after is not None:
            first = result.wedge_price.iloc[0]
            change = f"{first['i']}–{first['j']} {first['delta']:+.3g}"
            for label, blocs in (("before", result.wedge_before), ("after", result.wedge_after)):
                sides = [
                    ", ".join(str(name) for name, v in blocs.items() if v == side)
                    for side in (0, 1)
                ]
                shown = " | ".join(s for s in sides if s)
                out.print(f"Blocs {label} the change {change}: {shown}")
