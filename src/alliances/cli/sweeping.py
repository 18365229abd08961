"""``alliances sweep``: world-wide wedge and alignment sweeps on Dask, and reading them."""

from __future__ import annotations

import shlex
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from alliances.cli._app import (
    JsonOption,
    SeedOption,
    StoreOption,
    app,
    bn,
    echo_json,
    err,
    out,
)

sweep_app = typer.Typer(help="World-wide sweeps: every allied pair and divider, on Dask.")
app.add_typer(sweep_app, name="sweep")

YearsOption = Annotated[
    str, typer.Option("--years", help="First and last year, FIRST:LAST (e.g. 2000:2014).")
]
OutOption = Annotated[
    Path, typer.Option("--out", help="Folder of the sweep (Parquet shards and a manifest).")
]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, max=512, help="Worker processes of the local cluster.")
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="A running Dask scheduler: tcp://HOST:PORT, or tls://HOST:PORT with Dask's TLS "
        "settings (distributed.comm.tls.*).",
    ),
]


def _store(store: Path | None) -> Path:
    """The store a sweep reads: the one named, or the default one, which must exist."""
    from alliances.world.connection import resolve_store

    path = resolve_store(store, required=True)
    assert path is not None  # required: found or refused
    return path


def _run(
    spec: Any, store: Path | None, outdir: Path, workers: int, scheduler: str | None, as_json: bool
) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from alliances._files import check_output
    from alliances.errors import AlliancesWarning
    from alliances.sweep import run
    from alliances.sweep.runner import check_scheduler

    if scheduler is not None:
        scheduler = check_scheduler(scheduler)  # before any work: no traceback, exit 2
    path = _store(store)
    check_output(outdir, folder=True)
    command = shlex.join(["alliances", *sys.argv[1:]])
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        disable=as_json,
    )
    task = bar.add_task(f"{spec.kind} shards", total=None)

    def started(todo: int, skipped: int) -> None:
        # Shown once the shards are planned: a sweep refused then shows no bar.
        if skipped:
            typer.echo(f"{skipped} shards already done in {outdir}: skipped", err=True)
        bar.update(task, total=todo)
        bar.start()

    def finished(shard: Any, record: Any, error: str | None) -> None:
        bar.advance(task)
        if error:
            bar.console.print(f"shard {shard.key} failed: {error}", soft_wrap=True)

    try:
        with warnings.catch_warnings():
            # The years that give no triad: one line on stderr, "warning: ...", as planned.
            warnings.simplefilter("always", AlliancesWarning)
            report = run(
                spec,
                store=path,
                out=outdir,
                workers=workers,
                scheduler=scheduler,
                command=command,
                on_start=started,
                on_shard=finished,
            )
    finally:
        bar.stop()
    if as_json:
        echo_json(report.to_dict())
    else:
        typer.echo(
            f"{report.kind} sweep in {outdir}: {report.computed} shards computed "
            f"({report.rows:,} rows), {report.skipped} already done, "
            f"{len(report.failed)} failed, in {report.seconds:,.1f} s"
        )
        if report.failed:
            typer.echo("Rerun the same command to retry the failed shards.")
    if report.failed:
        raise typer.Exit(1)


@sweep_app.command("wedge")
def sweep_wedge(
    years: YearsOption,
    outdir: OutOption,
    dividers: Annotated[
        str,
        typer.Option("--dividers", help="'majors' (COW major powers) or states, e.g. USA,CHN."),
    ] = "majors",
    pairs: Annotated[
        str,
        typer.Option(
            "--pairs",
            help="'atop' (every ATOP-allied pair) or target-partner pairs, e.g. RUS-IRN.",
        ),
    ] = "atop",
    samples: Annotated[
        int, typer.Option(min=2, max=10**7, help="Monte Carlo draws per triad.")
    ] = 2000,
    seed: SeedOption = 0,
    sobol: Annotated[
        int,
        typer.Option("--sobol", min=0, help="Sobol' base sample for the top driver (0: rank)."),
    ] = 0,
    shard_size: Annotated[
        int, typer.Option("--shard-size", min=1, max=10**6, help="Triads per shard.")
    ] = 2000,
    workers: WorkersOption = 2,
    scheduler: SchedulerOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Price the wedge of every ATOP-allied pair and divider in each year, on Dask."""
    from alliances.cli._app import power_of_two
    from alliances.sweep.plan import WedgeSweep, parse_pairs, parse_states, parse_years

    spec = WedgeSweep(
        years=parse_years(years),
        dividers=parse_states(dividers),
        pairs=parse_pairs(pairs),
        samples=samples,
        seed=seed,
        sobol=power_of_two(sobol),
        shard_size=shard_size,
    )
    _run(spec, store, outdir, workers, scheduler, as_json)


@sweep_app.command("align")
def sweep_align(
    years: YearsOption,
    outdir: OutOption,
    pairs: Annotated[
        str,
        typer.Option(
            "--pairs", help="Divider-target pairs for the systemic wedge price, e.g. USA-RUS."
        ),
    ] = "",
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds per integer programme.")
    ] = 60.0,
    workers: WorkersOption = 2,
    scheduler: SchedulerOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """The world's minimum-energy blocs in each year, and the systemic wedge price."""
    from alliances.sweep.plan import AlignSweep, parse_pairs, parse_years

    spec = AlignSweep(
        years=parse_years(years),
        pairs=parse_pairs(pairs, atop=False) if pairs.strip() else (),
        time_limit=time_limit,
    )
    _run(spec, store, outdir, workers, scheduler, as_json)


@sweep_app.command("show")
def sweep_show(
    folder: Annotated[Path, typer.Argument(help="The folder of a sweep.")],
    year: Annotated[
        int | None, typer.Option("--year", help="The year (default: the last).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=10_000, help="Rows to list.")] = 10,
    figure: Annotated[
        Path | None,
        typer.Option("--figure", help="Write the ranked chart of the year (.png, .svg, .pdf)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The cheapest splits of a year (and, for an align sweep, the biggest bloc shifts)."""
    from rich.table import Table

    from alliances._files import check_output
    from alliances.sweep import bloc_shifts, cheapest, read
    from alliances.sweep.manifest import Manifest

    manifest = Manifest.load(folder)
    if not manifest.sweeps:
        from alliances.errors import DataError

        msg = f"{folder}: no sweep here (no _manifest.json); run `alliances sweep wedge` first"
        raise DataError(msg)
    result: dict[str, Any] = {"folder": str(folder)}
    if "wedge" not in manifest.sweeps and figure is not None:
        msg = f"draws the cheapest splits of a wedge sweep; {folder} holds only an align sweep"
        raise typer.BadParameter(msg, param_hint="--figure")
    if "wedge" in manifest.sweeps:
        frame = read(folder, "wedge")
        if year is not None and not (frame["year"] == year).any():
            from alliances.errors import ParameterError
            from alliances.sweep.plan import year_list

            held = sorted(int(y) for y in frame["year"].unique())
            holds = f"holds {year_list(held)}" if held else "holds no finished shard yet"
            msg = f"--year {year}: the wedge sweep in {folder} {holds}; choose one of its years"
            raise ParameterError(msg)
        entry = manifest.sweeps["wedge"]
        done, planned = len(entry.get("shards", {})), entry.get("planned")
        if planned is not None and done < planned:
            err.print(
                f"note: the wedge sweep in {folder} is unfinished ({done:,} of {planned:,} "
                "shards done): a year's cheapest splits are of the triads priced so far; run "
                "it again with the same options to finish it",
                soft_wrap=True,
                markup=False,
            )
        rows = cheapest(frame, year, top)
        if figure is not None:
            from alliances.sweep.figure import ranked_chart

            check_output(figure)
            result["figure"] = str(ranked_chart(frame, figure, year, top))
        shown = int(rows["year"].iloc[0]) if len(rows) else year
        result["wedge"] = {
            "year": shown,
            "triads": int((frame["year"] == shown).sum()) if shown is not None else 0,
            "priced": int(((frame["year"] == shown) & (frame["status"] == "ok")).sum())
            if shown is not None
            else 0,
            "cheapest": rows.to_dict(orient="records"),
            "shards": {"done": done, "planned": planned},
        }
        if not as_json and shown is None:
            err.print(
                f"{folder}: the wedge sweep has no finished shard yet; run it again with "
                "the same options to go on (finished shards are kept)",
                soft_wrap=True,
            )
        elif not as_json:
            info = result["wedge"]
            table = Table(
                title=f"Cheapest splits of {shown}: {info['priced']:,} of "
                f"{info['triads']:,} triads priced (median flip price, USD bn)"
            )
            for name in (
                "divider",
                "target",
                "partner",
                "O* p50",
                "O* p05-p95",
                "P(O* < O_max)",
                "top driver",
            ):
                table.add_column(name)
            for r in rows.itertuples():
                table.add_row(
                    r.divider_id,
                    r.target_id,
                    r.partner_id,
                    bn(r.o_star_p50),
                    f"{bn(r.o_star_p05)}-{bn(r.o_star_p95)}",
                    f"{r.p_within_means:.2f}",
                    str(r.top_driver_label or r.top_driver or ""),
                )
            out.print(table)
    if "align" in manifest.sweeps:
        frame = read(folder, "align")
        held = sorted(int(y) for y in frame["year"].unique())
        if year is not None and "wedge" not in manifest.sweeps and year not in held:
            from alliances.errors import ParameterError
            from alliances.sweep.plan import year_list

            holds = f"holds {year_list(held)}" if held else "holds no finished shard yet"
            msg = f"--year {year}: the align sweep in {folder} {holds}; choose one of its years"
            raise ParameterError(msg)
        shifts = bloc_shifts(frame, top)
        result["align"] = {
            "years": sorted(int(y) for y in frame["year"].unique()),
            "shifts": shifts.to_dict(orient="records"),
        }
        if not as_json:
            table = Table(title="Biggest bloc shifts between consecutive years")
            for name in ("from", "to", "states moved", "which"):
                table.add_column(name)
            for r in shifts.itertuples():
                table.add_row(str(r.from_year), str(r.to_year), str(r.moved), r.states)
            out.print(table)
    if as_json:
        echo_json(result)
