"""``alliances dyad``: everything the store knows of a pair of states in a year.

It calls :func:`alliances.studies.dyad_profile.dyad_profile` and prints the
:class:`~alliances.studies.dyad_profile.DyadProfile` as a table, or its ``to_dict()``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from alliances.cli._app import JsonOption, StoreOption, app, out
from alliances.scenario.labels import number


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
        typer.echo(json.dumps(profile.to_dict()))
        return
    first, second = profile.a.name, profile.b.name
    table = Table(title=f"{first} and {second} in {year}")
    table.add_column("measure")
    table.add_column(first, justify="right")
    table.add_column(second, justify="right")
    table.add_column("source")
    for row in profile.rows:
        table.add_row(row.measure, _cell(row.a), _cell(row.b), row.source)
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return number(float(f"{value:.3g}")) if abs(value) < 1000 else f"{value:,.0f}"
    text = str(value)
    return text if len(text) <= 60 else f"{text[:57]}… (--json for all)"
