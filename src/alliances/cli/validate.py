"""``alliances validate``: our measures checked against figures published by others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from alliances.cli._app import EX_USAGE, JsonOption, StoreOption, app, err, out, stages
from alliances.cli.data import print_build_problems
from alliances.scenario.labels import number


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
            report = build(data_dir, store, progress=stage)
        print_build_problems(report)
        if report.failed:
            datasets = [name for name in report.failed if name != "panel cache"]
            without = (
                f"without {len(datasets)} dataset(s) that failed (above)"
                if datasets
                else "without its panel cache (above)"
            )
            err.print(
                f"validation skipped: the store was rebuilt from {data_dir} {without}; mend "
                "them, or validate the store as it is without --data-dir",
                soft_wrap=True,
            )
            raise typer.Exit(EX_USAGE)
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
            unjudged = "reported" if "reported_only" in c.details else "skipped"
            verdict = {
                True: Text("yes", style="green"),
                False: Text("no", style="red"),
                None: Text(unjudged),
            }[c.passed]
            error = "" if c.error is None else _error(c.error)
            ours = c.ours or c.details.get("skipped", "")
            table.add_row(c.check, c.source, c.published, ours, error, verdict)
        out.print(table)
    if any(c.passed is False for c in checks):
        raise typer.Exit(1)
