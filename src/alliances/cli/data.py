"""``alliances data`` and ``alliances panel``: the world data store and its panels."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.markup import escape
from rich.table import Table

from alliances._files import check_output
from alliances.cli._app import (
    EX_USAGE,
    DataDirOption,
    JsonOption,
    StoreOption,
    app,
    data_app,
    err,
    out,
    stages,
)
from alliances.errors import DataError

if TYPE_CHECKING:
    from alliances.world.panel import DyadYears, StateYears

    pass


@data_app.command("build")
def data_build(
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    only: Annotated[
        str | None, typer.Option(help="Comma-separated dataset names to (re)load.")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Refuse a file whose SHA-256 is not the registry's (default: warn)."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Load the datasets of a data directory into the store (incremental, atomic)."""
    from alliances.world import DATASETS, build

    names = [n.strip() for n in only.split(",")] if only else None
    unknown = [n for n in names or [] if n not in DATASETS]
    if unknown:
        msg = f"unknown datasets {', '.join(unknown)}; see `alliances data status --all`"
        raise DataError(msg)
    if store is not None:
        check_output(store)
    with stages() as stage:
        report = build(data_dir, store, only=names, strict=strict, progress=stage)
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        _print_build(report)
    if report.failed:
        # The other datasets are loaded; the exit status tells scripts that one was not.
        raise typer.Exit(EX_USAGE)


def _print_build(report: Any) -> None:
    out.print(
        f"Store {report.store}: {len(report.loaded)} loaded, {len(report.unchanged)} "
        f"unchanged, {len(report.missing)} missing, {len(report.failed)} failed, "
        f"{len(report.unverified)} unverified "
        f"({report.seconds:.1f} s)."
    )
    for name, reason in report.missing.items():
        err.print(f"[yellow]missing[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
    for name, reason in report.failed.items():
        err.print(f"[bold red]failed[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
    for name, reason in report.unverified.items():
        err.print(f"[yellow]unverified[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
    for name, names_ in report.unmatched.items():
        listed = escape(", ".join(names_))
        err.print(
            f"[yellow]unmatched names[/] in {name} (kept, with no COW code): {listed}",
            markup=True,
            soft_wrap=True,
        )


@data_app.command("status")
def data_status(
    store: StoreOption = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list registered datasets not in the store.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List the datasets in the store with versions, rows, coverage and citations."""
    from alliances.world import DATASETS
    from alliances.world import status as world_status

    table = world_status(store)
    loaded = set(table["name"])
    absent = [n for n in DATASETS if n not in loaded] if show_all else []
    if as_json:
        rows = table.drop(columns=["unmatched"]).to_dict(orient="records")
        for row, unmatched in zip(rows, table["unmatched"], strict=True):
            row["unmatched"] = json.loads(unmatched or "[]")
            row["first_year"] = _int_or_none(row["first_year"])
            row["last_year"] = _int_or_none(row["last_year"])
        typer.echo(json.dumps({"datasets": rows, "not_loaded": absent}))
        return
    view = Table("name", "version", "rows", "years", "citation", title="Datasets in the store")
    for row in table.itertuples():
        years = f"{_int_or_none(row.first_year)}–{_int_or_none(row.last_year)}"
        view.add_row(row.name, row.version, f"{row.rows:,}", years, row.citation[:70])
    out.print(view)
    if absent:
        out.print(f"Not loaded: {', '.join(absent)}")


def _int_or_none(value: Any) -> int | None:
    import pandas as pd

    return None if pd.isna(value) else int(value)


def _years(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})\s*(?::\s*(\d{4}))?\s*", text)
    if not match:
        msg = f"expected a year or a range such as 1816:2014, got {text!r}"
        raise typer.BadParameter(msg)
    first = int(match[1])
    return first, int(match[2] or first)


@app.command("panel")
def panel_command(
    out_file: Annotated[Path, typer.Option("--out", help="Output file (.parquet or .csv).")],
    system: Annotated[Literal["cow", "gw"], typer.Option(help="State system.")] = "cow",
    years: Annotated[str, typer.Option(help="Year or range, e.g. 1816:2014.")] = "1816:2014",
    with_: Annotated[
        str,
        typer.Option(
            "--with", help="Covariates, comma-separated (an unknown name lists them all)."
        ),
    ] = "",
    unit: Annotated[str, typer.Option(help="dyad-year or state-year.")] = "dyad-year",
    directed: Annotated[bool, typer.Option(help="Directed dyads (A,B and B,A).")] = True,
    cite: Annotated[
        bool, typer.Option("--cite", help="Print BibTeX of the datasets used.")
    ] = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build a dyad-year (or state-year) panel with chosen covariates, to Parquet or CSV."""
    from alliances.world import connect, dyad_years, state_years

    span = _years(years)
    names = [n.strip() for n in with_.split(",") if n.strip()]
    if unit not in ("dyad-year", "state-year"):
        msg = f"expected dyad-year or state-year, got {unit!r}"
        raise typer.BadParameter(msg, param_hint="--unit")
    check_output(out_file)
    con = connect(store)
    try:
        panel: DyadYears | StateYears
        if unit == "dyad-year":
            panel = dyad_years(con, system=system, years=span, directed=directed)
        else:
            panel = state_years(con, system=system, years=span)
        panel = panel.with_(*names)
        rows = panel.count()
        if rows == 0:
            first, last = panel.span()
            msg = (
                f"--years {years}: no {unit} of the {system.upper()} system in these years; "
                f"the store's state system covers {first}–{last}"
            )
            raise DataError(msg)
        for name, (first, last) in panel.uncovered().items():
            err.print(
                f"note: {name} covers {first}–{last}, outside --years {years}: "
                "its columns are all missing",
                markup=False,
                soft_wrap=True,
            )
        written = panel.to_file(out_file)
    finally:
        con.close()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "out": str(written),
                    "rows": rows,
                    "system": system,
                    "years": list(span),
                    "unit": unit,
                    "directed": directed,
                    "covariates": names,
                    "citations": panel.citations(),
                }
            )
        )
    else:
        out.print(f"Wrote {rows:,} rows to {written}.")
    if cite:
        typer.echo(panel.bibtex())
