"""``alliances scenario``: the built-in scenarios, scenario files and their schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from alliances.cli._app import JsonOption, ScenarioArg, err, out, scenario_app
from alliances.errors import AlliancesError


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
