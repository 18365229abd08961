"""``alliances scenario``: the built-in scenarios, scenario files and their schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import typer
from rich.markup import escape
from rich.table import Table

from alliances.cli._app import JsonOption, ScenarioArg, StoreOption, err, out, scenario_app
from alliances.errors import AlliancesError

Goal = Literal["neutral", "realign"]


@scenario_app.command("list")
def scenario_list(as_json: JsonOption = False) -> None:
    """List the built-in scenarios."""
    from alliances.scenario.builtin import titles

    rows = list(titles().items())
    if as_json:
        typer.echo(json.dumps([{"name": n, "title": t} for n, t in rows]))
        return
    table = Table("name", "title", title="Built-in scenarios")
    for name, title in rows:
        table.add_row(name, title)
    out.print(table)


@scenario_app.command("show")
def scenario_show(scenario: ScenarioArg) -> None:
    """Print a scenario as YAML (validated and normalised)."""
    from alliances.scenario import dump_yaml, load

    typer.echo(dump_yaml(load(scenario)), nl=False)


@scenario_app.command("validate")
def scenario_validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files (- for stdin).")],
    as_json: JsonOption = False,
) -> None:
    """Check scenario files and report every problem with its line and path."""
    from alliances.scenario import load

    report: list[dict[str, Any]] = []
    for path in files:
        try:
            scenario = load(str(path))  # "-" is standard input
            report.append({"file": str(path), "valid": True, "id": scenario.id, "problems": []})
        except AlliancesError as error:
            problems = [
                {"line": p.line, "path": p.path, "message": p.message}
                for p in getattr(error, "problems", [])
            ] or [{"line": None, "path": "", "message": str(error)}]
            report.append({"file": str(path), "valid": False, "problems": problems})
    if as_json:
        typer.echo(json.dumps(report))
    else:
        for entry in report:
            if entry["valid"]:
                out.print(f"[green]ok[/] {escape(entry['file'])} ({entry['id']})", markup=True)
                continue
            err.print(f"[bold red]invalid[/] {escape(entry['file'])}:", markup=True)
            for p in entry["problems"]:
                where = f"line {p['line']}, " if p["line"] else ""
                err.print(f"  {where}{p['path'] or '(top level)'}: {p['message']}")
    if not all(entry["valid"] for entry in report):
        raise typer.Exit(2)


@scenario_app.command("schema")
def scenario_schema() -> None:
    """Print the JSON Schema of scenario files."""
    from alliances.scenario import json_schema

    typer.echo(json_schema())


@scenario_app.command("draft")
def scenario_draft(
    divider: Annotated[
        str, typer.Option(help="The divider: a state, states joined by '+', or org:ID.")
    ],
    target: Annotated[str, typer.Option(help="The target state.")],
    partner: Annotated[
        str, typer.Option(help="The partner: a state, states joined by '+', or org:ID.")
    ],
    year: Annotated[int, typer.Option(min=1816, max=9999, help="The year of the data read.")],
    goal: Annotated[
        str, typer.Option(help="neutral (the target leaves the partner) or realign.")
    ] = "neutral",
    prevent: Annotated[
        bool,
        typer.Option(help="No alignment yet: price the prospective one (rule B5)."),
    ] = False,
    offer: Annotated[
        str | None, typer.Option(help="Face value of the divider's reward (50bn, 750m).")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write the scenario here (else stdout).")
    ] = None,
    rules: Annotated[
        int,
        typer.Option(
            min=1,
            max=2,
            help="Drafting rules: 1 (docs/drafting.md) or 2 (docs/drafting-v2.md: means "
            "from GDP, stakes from measured ties).",
        ),
    ] = 1,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draft a complete scenario from the world data, by the rules of docs/drafting.md
    (or, with --rules 2, of docs/drafting-v2.md)."""
    from alliances._files import atomic_write, check_output
    from alliances.cli._app import echo_json, parse_money
    from alliances.studies.drafting import draft
    from alliances.world import connect

    if goal != "neutral" and goal != "realign":
        msg = f"expected neutral or realign, got {goal!r}"
        raise typer.BadParameter(msg, param_hint="--goal")
    money = parse_money(offer) if offer is not None else None
    if out_file is not None:
        check_output(out_file)
    con = connect(store)
    try:
        result = draft(
            divider,
            target,
            partner,
            year,
            goal=cast(Goal, goal),
            prevent=prevent,
            offer=money,
            store=con,
            rules=cast(Literal[1, 2], rules),
        )
    finally:
        con.close()
    text = result.to_yaml()
    if out_file is not None:
        atomic_write(out_file, text)
    if as_json:
        echo_json(
            {
                "id": result.scenario.id,
                "file": str(out_file) if out_file else None,
                "scenario": None if out_file else text,
                "features": result.features,
                "warnings": result.warnings,
            }
        )
    elif out_file is None:
        typer.echo(text, nl=False)
    else:
        for warning in result.warnings:
            err.print(f"warning: {warning}")
        out.print(f"wrote {out_file} ({result.scenario.id})")
