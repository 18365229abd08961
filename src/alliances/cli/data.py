"""``alliances data`` and ``alliances panel``: the world data store and its panels."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
)
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
    given,
    out,
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
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List the unmatched names of each dataset."),
    ] = False,
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
    with _datasets_bar(names or list(DATASETS)) as step:
        report = build(data_dir, store, only=names, strict=strict, progress=step)
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        _print_build(report, verbose=verbose)
    if report.failed:
        # The other datasets are loaded; the exit status tells scripts that one was not.
        raise typer.Exit(EX_USAGE)


@contextmanager
def _datasets_bar(datasets: list[str]) -> Iterator[Callable[[str], None]]:
    """A transient bar on standard error: the dataset being read, k of n, time left."""
    total = len(datasets)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Starting", total=total)
        seen = 0

        def step(stage: str) -> None:
            nonlocal seen
            if stage in datasets:  # a dataset starts; the others are later stages
                seen += 1
                bar.update(task, completed=seen - 1, description=f"Reading {stage}")
            else:
                bar.update(task, completed=total, description=f"Building the {stage}")

        yield step


def _print_build(report: Any, *, verbose: bool = False) -> None:
    out.print(
        f"Store {report.store}: {len(report.loaded)} loaded, {len(report.unchanged)} "
        f"unchanged, {len(report.missing)} missing, {len(report.failed)} failed, "
        f"{len(report.unverified)} unverified "
        f"({report.seconds:.1f} s)."
    )
    print_build_problems(report, verbose=verbose)


def print_build_problems(report: Any, *, verbose: bool = False) -> None:
    """What a build did not load or had to do, one line each on standard error."""
    if report.rebuilt:
        err.print(
            f"[yellow]rebuilt[/] the old store failed its checks ({escape(report.rebuilt)}); "
            "it was built anew from the data directory",
            markup=True,
            soft_wrap=True,
        )
    for name, reason in report.missing.items():
        err.print(f"[yellow]missing[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
    for name, reason in report.failed.items():
        err.print(f"[bold red]failed[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
    for name, reason in report.unverified.items():
        err.print(f"[yellow]unverified[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
    for name, names_ in report.unmatched.items():
        listed = (
            escape(", ".join(names_))
            if verbose
            else f"{len(names_)} (--verbose lists them; so does `data status --json`)"
        )
        err.print(
            f"[yellow]unmatched names[/] in {name} (kept, with no COW code): {listed}",
            markup=True,
            soft_wrap=True,
        )


@data_app.command("fetch")
def data_fetch(
    dest: Annotated[
        Path | None,
        typer.Option(
            "--dest",
            envvar="ALLIANCES_DATA_DIR",
            help="Data directory to fill (default: ALLIANCES_DATA_DIR); created if missing.",
        ),
    ] = None,
    only: Annotated[
        str | None, typer.Option(help="Comma-separated dataset names to fetch.")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="ALLIANCES_DATA_URL",
            help="A mirror laid out as the data directory (default: each dataset's source).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Download the datasets' published files, checking their SHA-256 (resumable)."""
    import importlib.util
    import sys

    from alliances.world.download import fetch

    names = [n.strip() for n in only.split(",")] if only else None
    report = fetch(
        dest,
        only=names,
        base_url=base_url,
        progress=lambda line: err.print(line, soft_wrap=True),
        progressbar=importlib.util.find_spec("tqdm") is not None and sys.stderr.isatty(),
    )
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        out.print(
            f"Data directory {report.dest}: {len(report.fetched)} downloaded, "
            f"{len(report.present)} already there and verified, {len(report.by_hand)} to "
            f"fetch by hand, {len(report.failed)} failed ({report.seconds:.1f} s).",
            soft_wrap=True,
        )
    for path, where in report.by_hand.items():
        err.print(f"no public URL for {path}: fetch it by hand from {where}", soft_wrap=True)
    for path, reason in report.failed.items():
        err.print(f"failed: {path} from {reason}", soft_wrap=True)
    if report.failed:
        err.print("Run the command again to fetch the files that failed; the others are kept.")
        raise typer.Exit(EX_USAGE)


@data_app.command("status")
def data_status(
    store: StoreOption = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list registered datasets not in the store.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List the datasets in the store with versions, rows, coverage and full citations.

    Version, years and citation come from the registry of this release for every dataset
    it lists (the store keeps the hash of the files, so they describe the same files);
    a dataset the registry no longer lists shows what the store recorded.
    """
    from alliances.world import DATASETS
    from alliances.world import status as world_status

    table = world_status(store)
    loaded = set(table["name"])
    absent = [n for n in DATASETS if n not in loaded] if show_all else []
    rows = [_provenance(row) for row in table.to_dict(orient="records")]
    if as_json:
        typer.echo(json.dumps({"datasets": rows, "not_loaded": absent}))
        return
    view = Table(title="Datasets in the store")
    for header in ("name", "version", "rows", "years", "sources"):
        view.add_column(header, overflow="fold")
    sources: dict[str, str] = {}
    for row in rows:
        first, last = row["first_year"], row["last_year"]
        years = "—" if first is None else f"{first}–{last}"
        view.add_row(
            row["name"], row["version"], f"{row['rows']:,}", years, ", ".join(row["cite"])
        )
        sources.update(zip(row["cite"], row["citations"], strict=True))
    out.print(view)
    if any(row["first_year"] is None for row in rows):
        out.print("—: no yearly coverage (a network or a list observed once).")
    out.print("\nSources")
    for key, text in sources.items():
        out.print(f"[{key}] {text}")
    if absent:
        out.print(f"\nNot loaded: {', '.join(absent)}")


def _provenance(row: dict[str, Any]) -> dict[str, Any]:
    """A row of the store's provenance table, JSON-ready, with the registry's version,
    years and citations where the registry lists the dataset (the unverified mark kept)."""
    from alliances.world.registry import DATASETS, REFERENCES

    spec = DATASETS.get(row["name"])
    shown = {key: value for key, value in row.items() if key != "unmatched"}
    shown["unmatched"] = json.loads(row["unmatched"] or "[]")
    shown["first_year"] = _int_or_none(row["first_year"])
    shown["last_year"] = _int_or_none(row["last_year"])
    keys = [key for key in (row["cite_keys"] or "").split(",") if key]
    if spec is not None:
        recorded = str(row["version"])
        mark = recorded[recorded.find(" (unverified") :] if " (unverified" in recorded else ""
        shown["version"] = spec.version + mark
        shown["first_year"], shown["last_year"] = spec.years or (None, None)
        keys = list(spec.cite)
    known = [key for key in keys if key in REFERENCES]
    shown["cite"] = keys
    shown["citations"] = (
        [REFERENCES[key].plain for key in keys] if known == keys else [row["citation"]] * len(keys)
    )
    if known == keys:
        shown["citation"] = "; ".join(shown["citations"])
    return shown


def _int_or_none(value: Any) -> int | None:
    import pandas as pd

    return None if pd.isna(value) else int(value)


def _years(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})\s*(?::\s*(\d{4}))?\s*", text)
    if not match:
        msg = f"expected a year or a range of four-digit years such as 1816:2014, got {text!r}"
        raise typer.BadParameter(msg, param_hint="--years")
    first, last = int(match[1]), int(match[2] or match[1])
    if first > last:
        msg = f"{text}: the first year should be at most the last ({last}:{first})"
        raise typer.BadParameter(msg, param_hint="--years")
    return first, last


_STUDIES_COVARIATES = ("portfolio_similarity",)
"""``--with`` names built by the studies layer (dyad-years only)."""


def _with_names(panel: Any, names: list[str], *, prd: bool) -> Any:
    """``panel`` with the covariates ``names`` (and only the politically relevant dyads
    with ``prd``); an unknown name is an error that lists every valid one."""
    from alliances.world.panel import DyadYears

    dyadic = isinstance(panel, DyadYears)
    extra = _STUDIES_COVARIATES if dyadic else ()
    valid = [*panel.covariates, *extra]
    unknown = [n for n in names if n not in valid]
    if unknown:
        msg = f"unknown {panel.kind} {unknown[0]!r}; expected one of: {', '.join(valid)}"
        raise DataError(msg)
    if prd:
        panel = panel.filter_prd()
    for name in names:
        if name == "portfolio_similarity":
            from alliances.studies.portfolio_panel import with_portfolio_similarity

            panel = panel.pipe(with_portfolio_similarity)
        else:
            panel = panel.with_(name)
    return panel


@app.command("panel")
def panel_command(
    ctx: typer.Context,
    out_file: Annotated[
        Path,
        typer.Option(
            "-o",
            "--out",
            help="Output file; its extension gives the format: .parquet, .csv, .dta (Stata), "
            ".feather or .arrow.",
        ),
    ],
    system: Annotated[Literal["cow", "gw"], typer.Option(help="State system.")] = "cow",
    years: Annotated[str, typer.Option(help="Year or range, e.g. 1816:2014.")] = "1816:2014",
    with_: Annotated[
        str,
        typer.Option(
            "--with",
            help="Covariates, comma-separated, e.g. alliances,majors,peace_years,mids:gml "
            "(an unknown name lists them all).",
        ),
    ] = "",
    prd: Annotated[
        bool,
        typer.Option(
            "--prd", help="Keep politically relevant dyads only (contiguous or a major power)."
        ),
    ] = False,
    unit: Annotated[
        str,
        typer.Option(
            help="dyad-year, state-year or member-year (one row per ATOP membership and "
            "year, with exit_early and exit_class)."
        ),
    ] = "dyad-year",
    directed: Annotated[bool, typer.Option(help="Directed dyads (A,B and B,A).")] = True,
    cite: Annotated[
        bool, typer.Option("--cite", help="Print BibTeX of the datasets used.")
    ] = False,
    names: Annotated[
        Literal["alliances", "peacesciencer"],
        typer.Option(
            "--names",
            help="Column names: ours, or peacesciencer's where it has the same column "
            "(cowmidonset, dyadigos, polity21 …; docs/crosswalk.md).",
        ),
    ] = "alliances",
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build a dyad-year (state-year, member-year) panel with chosen covariates, to
    Parquet, CSV, Stata or Feather."""
    from alliances.world import connect, dyad_years, member_years, state_years
    from alliances.world.panel import OUTPUT_FORMATS

    span = _years(years)
    covariates = [n.strip() for n in with_.split(",") if n.strip()]
    if unit not in ("dyad-year", "state-year", "member-year"):
        msg = f"expected dyad-year, state-year or member-year, got {unit!r}"
        raise typer.BadParameter(msg, param_hint="--unit")
    if prd and unit != "dyad-year":
        msg = "--prd keeps politically relevant dyads: it needs --unit dyad-year"
        raise typer.BadParameter(msg, param_hint="--prd")
    if given(ctx, "directed") and unit != "dyad-year":
        msg = "--directed/--no-directed says how dyads are listed: it needs --unit dyad-year"
        raise typer.BadParameter(msg, param_hint="--no-directed")
    if out_file.suffix.lower() not in OUTPUT_FORMATS:
        msg = f"{out_file}: expected a file name ending in {', '.join(OUTPUT_FORMATS)}"
        raise typer.BadParameter(msg, param_hint="--out")
    check_output(out_file)
    con = connect(store)
    try:
        panel: DyadYears | StateYears
        if unit == "dyad-year":
            panel = dyad_years(con, system=system, years=span, directed=directed)
        elif unit == "member-year":
            if system != "cow":
                msg = "member-years are ATOP memberships, keyed by COW codes: use --system cow"
                raise typer.BadParameter(msg, param_hint="--system")
            panel = member_years(con, years=span)
        else:
            panel = state_years(con, system=system, years=span)
        panel = _with_names(panel, covariates, prd=prd)
        rows = panel.count()
        if rows == 0:
            first, last = panel.span()
            msg = (
                f"--years {years}: no {unit} of the {system.upper()} system in these years; "
                f"the store's state system covers {first}–{last}"
            )
            if prd and dyad_years(con, system=system, years=span).count() > 0:
                from alliances.world import DATASETS

                known = [DATASETS[n].years for n in ("cow_contdir", "cow_majors")]
                spans = [k for k in known if k is not None]
                msg = (
                    f"--years {years} --prd: no politically relevant dyad-year; relevance is "
                    "known only in the years of both COW contiguity and major powers, "
                    f"{max(k[0] for k in spans)}–{min(k[1] for k in spans)}"
                )
            raise DataError(msg)
        low, high = panel.span()
        if low is not None and high is not None and (span[0] < low or span[1] > high):
            err.print(
                f"note: --years {years} reaches beyond the state system's {low}–{high}: "
                f"the rows are of {max(span[0], low)}–{min(span[1], high)}",
                markup=False,
                soft_wrap=True,
            )
        for name, (first, last) in panel.uncovered().items():
            err.print(
                f"note: {name} covers {first}–{last}, outside --years {years}: "
                "its columns are all missing",
                markup=False,
                soft_wrap=True,
            )
        written = panel.to_file(out_file, names=names)
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
                    "covariates": covariates,
                    "citations": panel.citations(),
                    "datasets": panel.dataset_keys(),
                    "prd": prd,
                    **({"bibtex": panel.bibtex()} if cite else {}),
                }
            )
        )
        return
    # with --cite, standard output is the BibTeX alone (`--cite > refs.bib`)
    (err if cite else out).print(f"Wrote {rows:,} rows to {written}.")
    if cite:
        typer.echo(panel.bibtex())
