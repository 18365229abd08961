"""The ``alliances`` command line.

Every command prints a table for people and, with ``--json``, one JSON object on
standard output for scripts.

Errors go through one handler (:class:`_Group`), whatever the command:

======  ===============================================================================
exit    meaning
======  ===============================================================================
0       done
1       ``validate``: a check against published figures failed
2       a user error: an :class:`~alliances.errors.AlliancesError` or a bad option value;
        ``Type: message`` on standard error, printed as plain text (never as markup), or
        with ``--json`` one object ``{"error": {"type", "message", "problems": [...]}}``
        on standard output
70      a bug (sysexits' EX_SOFTWARE): one line asking for a report; the traceback only
        with ``--debug`` or ``ALLIANCES_DEBUG=1``
130     interrupted by Ctrl-C (143 by SIGTERM): working files are removed first, and the
        files the user had are left as they were
======  ===============================================================================
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from typer._click.exceptions import ClickException  # typer vendors click since 0.20
from typer.core import TyperGroup

from alliances import __version__
from alliances._files import check_output, json_ready, remove_temporaries
from alliances.align import align_scenario, align_world
from alliances.analysis.balance import SignedGraph, frustration_index
from alliances.analysis.wedge import WedgeResult, wedge
from alliances.errors import AlliancesError, DataError, ScenarioError
from alliances.profile import dyad_profile
from alliances.scenario import Scenario, builtin_names, dump_yaml, ground, json_schema, load
from alliances.validation import run_checks
from alliances.world import DATASETS, build, connect, default_store, dyad_years, state_years
from alliances.world import status as world_status
from alliances.world.panel import COVARIATES

EX_USAGE, EX_SOFTWARE, EX_INTERRUPTED = 2, 70, 130


def _error_object(error: BaseException, kind: str) -> dict[str, Any]:
    """The ``--json`` form of an error: type, message and every problem with its place."""
    if isinstance(error, ScenarioError):
        problems = [
            {"file": error.file, "line": p.line, "path": p.path, "message": p.message}
            for p in error.problems
        ]
    else:
        problems = [
            {
                "file": getattr(error, "file", None),
                "line": getattr(error, "line", None),
                "path": "",
                "message": _message(error),
            }
        ]
    return {"error": {"type": kind, "message": _message(error), "problems": problems}}


def _message(error: BaseException) -> str:
    if isinstance(error, ClickException):
        return error.format_message()
    return str(error)


def _report(error: BaseException, kind: str, as_json: bool, hint: str = "") -> None:
    if as_json:
        typer.echo(json.dumps(json_ready(_error_object(error, kind))))
    else:
        # Plain text: a user's file name such as "[/]x" must not be read as rich markup.
        typer.echo(f"{kind}: {_message(error)}{hint}", err=True)


def _terminate(signum: int, _frame: object) -> NoReturn:
    """End at once on SIGTERM or Ctrl-C, deleting this process's working files first.

    An exception raised here could be swallowed by a C extension's callback (pyreadr's
    are), so the handler cleans up and exits itself: 130 for Ctrl-C, 143 for SIGTERM.
    """
    remove_temporaries()
    sys.stdout.flush()
    sys.stderr.write("Interrupted; working files removed, nothing else changed.\n")
    sys.stderr.flush()
    os._exit(128 + signum)


class _Group(TyperGroup):
    """The root command: runs the sub-command and turns every failure into an exit code.

    The same path serves the console script and ``typer.testing.CliRunner``, so tests see
    exactly what users see.
    """

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, *pos: Any, **kwargs: Any
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        end = argv.index("--") if "--" in argv else len(argv)
        words, rest = argv[:end], argv[end:]
        as_json = "--json" in words
        # --debug is understood anywhere before "--", not only before the sub-command.
        debug = "--debug" in words or os.environ.get("ALLIANCES_DEBUG", "") not in ("", "0")
        argv = [w for w in words if w != "--debug"] + rest
        standalone = kwargs.pop("standalone_mode", True)
        code: int = 0
        handled = (signal.SIGTERM, signal.SIGINT)
        try:
            previous = {sig: signal.signal(sig, _terminate) for sig in handled}
        except ValueError:  # not the main thread: leave signals alone
            previous = {}
        try:
            code = super().main(argv, *pos, standalone_mode=False, **kwargs) or 0
        except AlliancesError as error:
            _report(error, type(error).__name__, as_json)
            code = EX_USAGE
        except ClickException as error:
            hint = ""
            context = getattr(error, "ctx", None)
            if context is not None and not as_json:
                hint = f"\nSee `{context.command_path} --help`."
            _report(error, "UsageError", as_json, hint)
            code = EX_USAGE
        except (KeyboardInterrupt, typer.Abort):
            typer.echo("Interrupted.", err=True)
            code = EX_INTERRUPTED
        except Exception as error:
            if debug:
                traceback.print_exc()
            message = (
                f"an unexpected {type(error).__name__}; this is a bug in alliances "
                f"{__version__}. Please report it to the developers with the command you ran"
                + ("" if debug else " and its output with --debug")
            )
            _report(RuntimeError(message), "InternalError", as_json)
            code = EX_SOFTWARE
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if standalone:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=_Group,
    name="alliances",
    help="Model alliance systems and price wedge strategies, with uncertainty and sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scenario_app = typer.Typer(help="Built-in scenarios, scenario files and their schema.")
app.add_typer(scenario_app, name="scenario")
data_app = typer.Typer(help="The world data: build the DuckDB store, list what it holds.")
app.add_typer(data_app, name="data")

# Markup off: file names, titles and messages are the user's text, never rich markup.
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object for scripts.")]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="ALLIANCES_STORE",
        help="The DuckDB store (default: world.duckdb in the user cache directory).",
    ),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="ALLIANCES_DATA_DIR", help="Folder of the datasets."),
]
ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario name or a YAML file.")]
MAX_SAMPLES = 10**9


def _power_of_two(value: int) -> int:
    if value == 0 or (value >= 2 and not value & (value - 1)):
        return value
    msg = f"expected a power of 2 such as 1024 (or 0 to skip), got {value}"
    raise typer.BadParameter(msg)


SamplesOption = Annotated[
    int, typer.Option(min=2, max=MAX_SAMPLES, help="Monte Carlo draws (2 to 10^9).")
]
SeedOption = Annotated[
    int, typer.Option(min=0, max=2**63 - 1, help="Random seed (>= 0); same seed, same numbers.")
]
SobolOption = Annotated[
    int,
    typer.Option(
        callback=_power_of_two,
        help="Base sample size of the Sobol' analysis (a power of 2; 0 skips it).",
    ),
]

_MONEY = re.compile(r"^\s*(?:USD\s*)?([0-9.eE+-]+)\s*(k|m|mn|bn|b|tn)?\s*$", re.IGNORECASE)
_SCALE = {None: 1.0, "k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}


def _money(text: str) -> float:
    """Parse an amount such as ``50e9``, ``50bn`` or ``USD 750m`` to US dollars.

    A bare number under a million is refused: users who type ``50`` mean USD 50 bn, and
    a wedge price of fifty dollars is never what was meant.
    """
    match = _MONEY.match(text)
    try:
        value = float(match[1]) * _SCALE[(match[2] or "").lower() or None] if match else None
    except ValueError:
        value = None
    if value is None or value < 0 or value != value or value == float("inf"):
        msg = f"expected an amount in USD such as 50e9, 50bn or 750m, got {text!r}"
        raise typer.BadParameter(msg, param_hint="--offer")
    if match and match[2] is None and 0 < value < 1e6:
        msg = (
            f"{text!r} is read as USD {value:g}, not billions; write 50bn, 50e9 or 750m "
            "for an amount in USD"
        )
        raise typer.BadParameter(msg, param_hint="--offer")
    return value


def _store_if_any(store: Path | None) -> Any:
    """A connection to the store for grounding, or None when the default one is absent.

    An explicit ``--store`` (or ``ALLIANCES_STORE``) that does not exist is an error, not a
    silent run without the data.
    """
    if store is not None:
        if not store.is_file():
            msg = (
                f"{store}: no store here (given by --store or ALLIANCES_STORE); build it "
                "with `alliances data build --data-dir DIR --store PATH` or leave --store out"
            )
            raise DataError(msg)
        return connect(store)
    path = default_store()
    return connect(path) if path.is_file() else None


@contextmanager
def _stages() -> Iterator[Callable[[str], None]]:
    """A transient spinner on standard error; call the yielded function at each stage."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("Starting", total=None)
        yield lambda stage: bar.update(task, description=stage)


def _bn(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    if value in (float("inf"), float("-inf")):
        return "∞"
    return f"{value / 1e9:,.1f}"


def version_callback(show: bool) -> None:
    if show:
        typer.echo(f"alliances {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show version."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show the traceback of an unexpected error (or ALLIANCES_DEBUG=1)."
        ),
    ] = False,
) -> None:
    """Model alliance systems and price wedge strategies, with uncertainty and sources."""


@scenario_app.command("list")
def scenario_list(as_json: JsonOption = False) -> None:
    """List the built-in scenarios."""
    rows = [(name, load(name).title) for name in builtin_names()]
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
    typer.echo(dump_yaml(load(scenario)), nl=False)


@scenario_app.command("validate")
def scenario_validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")],
    as_json: JsonOption = False,
) -> None:
    """Check scenario files and report every problem with its line and path."""
    report: list[dict[str, Any]] = []
    for path in files:
        try:
            scenario = load(path)
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
    typer.echo(json_schema())


@app.command("wedge")
def wedge_command(
    scenario: ScenarioArg,
    offer: Annotated[
        str | None,
        typer.Option(help="Offer in USD (50e9, 50bn) at which to report P(flip)."),
    ] = None,
    samples: SamplesOption = 100_000,
    seed: SeedOption = 0,
    sobol: SobolOption = 1024,
    store: StoreOption = None,
    grounded: Annotated[
        bool, typer.Option("--ground/--no-ground", help="Resolve derive: queries in the store.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """The wedge price: flip-price distribution, P(flip | offer), drivers."""
    amount = _money(offer) if offer is not None else None
    model = load(scenario)
    con = _store_if_any(store) if grounded else None
    try:
        model, grounding = ground(model, con)
    finally:
        if con is not None:
            con.close()
    with _stages() as stage:
        result = wedge(
            model, samples=samples, seed=seed, offer=amount, sobol_samples=sobol, progress=stage
        )
    result.warnings += [
        f"bond {g.bond} ({g.side} {g.field}) not grounded: {g.source}"
        for g in grounding
        if not g.grounded
    ]
    if as_json:
        typer.echo(json.dumps({**result.to_dict(), "grounding": [g.to_dict() for g in grounding]}))
    else:
        _print_wedge(result, model)
        for g in grounding:
            if g.grounded:
                out.print(f"Grounded {g.bond} ({g.side} {g.field}) in the data: {g.source}")


def _print_wedge(result: WedgeResult, scenario: Scenario) -> None:
    name = {a.id: a.label for a in scenario.actors}
    verb = "stay neutral" if result.goal == "neutral" else "realign with it"
    out.print(f"[bold]{escape(scenario.title)}[/]", markup=True)
    out.print(
        f"What must {name[result.divider_id]} offer {name[result.target]} to leave "
        f"{name[result.partner]} "
        f"and {verb}? {result.samples:,} draws, seed {result.seed}. Money in USD bn "
        "(present value)."
    )
    fp = result.flip_price
    table = Table(title="Flip price O*")
    for column in ("mean", "p05", "p25", "p50", "p75", "p95"):
        table.add_column(column, justify="right")
    table.add_column("P(O* = 0)", justify="right")
    table.add_column("P(O* = ∞)", justify="right")
    table.add_row(
        *(_bn(fp[c]) for c in ("mean", "p05", "p25", "p50", "p75", "p95")),
        f"{fp['p_zero']:.3f}",
        f"{fp['p_infinite']:.3f}",
    )
    out.print(table)

    o = result.offer
    label = "the divider's instruments (face value)" if o["reference"] else "the offer given"
    out.print(f"P(flip) at {label}, {_bn(o['value'])} bn: [bold]{o['p_flip']:.3f}[/]", markup=True)
    curve = Table(title="P(flip | offer)")
    curve.add_column("offer", justify="right")
    curve.add_column("P(flip)", justify="right")
    for _, row in result.p_flip.iloc[::10].iterrows():
        curve.add_row(_bn(row["offer"]), f"{row['p']:.3f}")
    out.print(curve)

    d = result.divider
    out.print(
        f"Divider: median most it would pay {_bn(d['max_offer_p50'])} bn; "
        f"P(flip within its means) {d['p_within_means']:.3f}; best offer "
        f"{_bn(d['best_offer'])} bn (expected gain {_bn(d['expected_gain'])} bn)."
    )

    comps = Table(title="What the price is made of (median, USD bn)")
    comps.add_column("term")
    comps.add_column("p50", justify="right")
    comps.add_column("p05–p95", justify="right")
    for term, row in result.components.iterrows():
        if row["unit"] == "fraction":
            comps.add_row(str(term), f"{row['p50']:.3f}", f"{row['p05']:.3f}–{row['p95']:.3f}")
        else:
            comps.add_row(str(term), _bn(row["p50"]), f"{_bn(row['p05'])}–{_bn(row['p95'])}")
    out.print(comps)

    if not result.drivers.empty:
        drivers = Table(title="Drivers of log O* (Sobol' indices)")
        drivers.add_column("input")
        drivers.add_column("S1", justify="right")
        drivers.add_column("ST", justify="right")
        for _, row in result.drivers.head(10).iterrows():
            drivers.add_row(str(row["input"]), f"{row['S1']:.3f}", f"{row['ST']:.3f}")
        out.print(drivers)

    keys = ", ".join(s["key"] for s in result.sources)
    out.print(f"Sources: {keys}. Assumptions: see `--json` (inputs) or the scenario file.")
    for warning in result.warnings:
        err.print(f"[yellow]note[/]: {escape(warning)}", markup=True, soft_wrap=True)


@data_app.command("build")
def data_build(
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    only: Annotated[
        str | None, typer.Option(help="Comma-separated dataset names to (re)load.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load the datasets of a data directory into the store (incremental, atomic)."""
    names = [n.strip() for n in only.split(",")] if only else None
    unknown = [n for n in names or [] if n not in DATASETS]
    if unknown:
        msg = f"unknown datasets {', '.join(unknown)}; see `alliances data status --all`"
        raise DataError(msg)
    if store is not None:
        check_output(store)
    with _stages() as stage:
        report = build(data_dir, store, only=names, progress=stage)
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
        f"unchanged, {len(report.missing)} missing, {len(report.failed)} failed "
        f"({report.seconds:.1f} s)."
    )
    for name, reason in report.missing.items():
        err.print(f"[yellow]missing[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
    for name, reason in report.failed.items():
        err.print(f"[bold red]failed[/] {name}: {escape(reason)}", markup=True, soft_wrap=True)
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
        str, typer.Option("--with", help=f"Covariates, comma-separated: {', '.join(COVARIATES)}.")
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
    span = _years(years)
    names = [n.strip() for n in with_.split(",") if n.strip()]
    if unit not in ("dyad-year", "state-year"):
        msg = f"expected dyad-year or state-year, got {unit!r}"
        raise typer.BadParameter(msg, param_hint="--unit")
    check_output(out_file)
    con = connect(store)
    try:
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
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    text = str(value)
    return text if len(text) <= 60 else f"{text[:57]}… (--json for all)"


@app.command("balance")
def balance_command(
    edges: Annotated[Path, typer.Argument(help="CSV edge list: source,target,sign[,weight].")],
    weighted: Annotated[bool, typer.Option(help="Use the weight column.")] = False,
    time_limit: Annotated[
        float | None, typer.Option(min=0, help="Seconds for the integer programme.")
    ] = None,
    method: Annotated[
        Literal["auto", "enumerate", "milp", "heuristic"], typer.Option(help="Solver.")
    ] = "auto",
    as_json: JsonOption = False,
) -> None:
    """Frustration index of a signed graph, with a proof of optimality or a gap."""
    try:
        frame = pd.read_csv(edges)
        graph = SignedGraph.from_edges(frame, weighted=weighted)
    except (OSError, ValueError, pd.errors.ParserError) as error:
        msg = f"{edges}: {error}"
        raise DataError(msg) from None
    result = frustration_index(graph, method=method, time_limit=time_limit)
    if as_json:
        typer.echo(json.dumps({"nodes": graph.n, "edges": len(graph.i), **result.to_dict()}))
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
    if (year is None) == (scenario is None):
        msg = "give either --year (the world data) or --scenario"
        raise typer.BadParameter(msg)
    chosen = [a.strip() for a in actors.split(",")] if actors else None
    if scenario is not None:
        result = align_scenario(load(scenario))
    else:
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
    out.print(
        f"{result['actors']} actors {where}; minimum energy {result['energy']:.6g} "
        f"({result['method']}, {state}); {len(result['partitions'])} minimum-energy "
        f"partition(s), {len(result['local_minima'])} local minima."
    )
    for k, partition in enumerate(result["partitions"]):
        for side in (0, 1):
            members = [name for name, v in partition.items() if v == side]
            out.print(f"Partition {k + 1}, bloc {side + 1}: {', '.join(members)}")
    for row in result.get("wedge_price", [])[:5]:
        out.print(
            f"Systemic wedge price: change the {row['i']}–{row['j']} propensity by "
            f"{row['delta']:+.3g} to move {result['target']} into {result['divider']}'s bloc.",
        )


@app.command("report")
def report_command(
    scenario: ScenarioArg,
    out_file: Annotated[Path, typer.Option("-o", "--out", help="The HTML file to write.")],
    figures: Annotated[
        Path | None, typer.Option(help="Also write each chart as PNG and SVG here.")
    ] = None,
    seed: SeedOption = 0,
    samples: SamplesOption = 100_000,
    store: StoreOption = None,
    grounded: Annotated[
        bool,
        typer.Option("--ground/--no-ground", help="Use the store (grounding, time series)."),
    ] = True,
) -> None:
    """A self-contained HTML report of a scenario (opens with no network)."""
    from alliances.report import render, write, write_figures

    check_output(out_file)
    if figures is not None:
        check_output(figures, folder=True)
    model = load(scenario)
    con = _store_if_any(store) if grounded else None
    try:
        model, grounding = ground(model, con)
        with _stages() as stage:
            result = wedge(model, samples=samples, seed=seed, progress=stage)
            stage("Report")
            html = render(model, result, con=con, grounding=grounding)
    finally:
        if con is not None:
            con.close()
    written = write(html, out_file)
    if figures is not None:
        files = write_figures(model, result, figures)
        out.print(f"Wrote {len(files)} figures to {figures}.")
    out.print(f"Wrote {written} ({written.stat().st_size / 1e6:.1f} MB).")


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to bind (local only by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open a browser.")] = False,
) -> None:
    """The workbench in the browser: edit a scenario and watch the price move."""
    import uvicorn

    from alliances.web.app import create_app

    url = f"http://{host}:{port}/"
    out.print(f"alliances workbench on {url} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


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
    if data_dir is not None:
        with _stages() as stage:
            build(data_dir, store, progress=stage)
    con = connect(store)
    try:
        with _stages() as stage:
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
            error = "" if c.error is None else f"{c.error:.2e}"
            ours = c.ours or c.details.get("skipped", "")
            table.add_row(c.check, c.source, c.published, ours, error, verdict)
        out.print(table)
    if any(c.passed is False for c in checks):
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
