"""The application object, its one error handler, and what every command shares.

Imports here are light (typer, rich): each command imports the libraries it needs when it
runs, so that ``alliances --help`` and ``--version`` start at once.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from typer._click.exceptions import ClickException  # typer vendors click since 0.20
from typer.core import TyperGroup

from alliances import __version__
from alliances._files import json_ready, remove_temporaries
from alliances.errors import AlliancesError, OutputError, ScenarioError
from alliances.scenario.labels import number

__all__ = ["app", "data_app", "err", "main", "out", "scenario_app"]

EX_USAGE, EX_SOFTWARE, EX_INTERRUPTED = 2, 70, 130
EX_PIPE = 128 + 13  # the status a shell gives a program stopped by SIGPIPE
HTML = (".html", ".htm")
"""The endings an HTML output's name may have (``report -o``, ``--report``)."""


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
                "path": _option(error),
                "message": _message(error),
            }
        ]
    return {"error": {"type": kind, "message": _message(error), "problems": problems}}


def _option(error: BaseException) -> str:
    """The option or argument a usage error is about (``--horizon``), else ""."""
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, str):
        return hint.strip("'\"")
    param = getattr(error, "param", None)
    opts = getattr(param, "opts", None)
    return str(opts[-1]) if opts else ""


def _message(error: BaseException) -> str:
    if isinstance(error, ClickException):
        # Typer words a Literal option's refusal as pydantic does ("Value error, ...")
        return error.format_message().replace("Value error, ", "")
    return str(error)


def _report(
    error: BaseException, kind: str, as_json: bool, hint: str = "", *, stderr: bool = False
) -> None:
    """Print the error: ``Type: message`` on stderr, or its JSON object on stdout (on
    stderr with ``stderr=True``: standard output is what cannot be written)."""
    if as_json:
        typer.echo(json.dumps(json_ready(_error_object(error, kind))), err=stderr)
    else:
        # Plain text: a user's file name such as "[/]x" must not be read as rich markup.
        typer.echo(f"{kind}: {_message(error)}{hint}", err=True)


def _internal(error: BaseException, debug: bool, as_json: bool) -> int:
    """Report an unexpected error as a bug (the traceback with --debug); exit 70."""
    if debug:
        traceback.print_exception(error)
    message = (
        f"an unexpected {type(error).__name__}; this is a bug in alliances "
        f"{__version__}. Please report it to the developers with the command you ran"
        + ("" if debug else " and its output with --debug")
    )
    _report(RuntimeError(message), "InternalError", as_json)
    return EX_SOFTWARE


def _store_damage(error: BaseException) -> AlliancesError | None:
    """A DuckDB error that says the store is damaged, as the DataError that says how to
    rebuild it (:func:`alliances.world.connection.damaged_store`); None otherwise."""
    if "alliances.world.connection" not in sys.modules:  # no store was opened
        return None
    from alliances.world.connection import damaged_store

    return damaged_store(error)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A warning as one line ``warning: message`` on standard error, without Python's
    file, line and source line (which name the package's code, not the user's input)."""
    typer.echo(f"warning: {message}", err=True)


def _silence_stdout() -> None:
    """Point standard output at the null device once it cannot be written (a full disk), so
    that what is left in its buffer is dropped instead of failing again at exit."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (CliRunner's)
        return
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


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


class _PipeClosed(Exception):
    """Standard output's reader closed the pipe (``alliances wedge ... | head``)."""


def _unwrap_help(command: Any) -> None:
    """Join the lines of each paragraph of ``command``'s help (and its sub-commands'):
    Typer keeps the docstring's line breaks after the first paragraph, which then break
    again wherever the terminal wraps."""
    if command.help:
        command.help = re.sub(r"(?<=\S)\n(?=\S)", " ", command.help)
    for sub in getattr(command, "commands", {}).values():
        _unwrap_help(sub)


class _Group(TyperGroup):
    """The root command: runs the sub-command and turns every failure into an exit code.

    The same path serves the console script and ``typer.testing.CliRunner``, so tests see
    exactly what users see.
    """

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _unwrap_help(command)
        return command

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # click would make it exit 1, validate's "a check failed"
            raise _PipeClosed from None

    def main(self, args: Sequence[str] | None = None, *pos: Any, **kwargs: Any) -> Any:
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
            kwargs["standalone_mode"] = False
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning  # restored when the block ends
                code = super().main(argv, *pos, **kwargs) or 0
            sys.stdout.flush()  # a full disk shows here, not at the interpreter's exit
        except AlliancesError as error:
            _report(error, type(error).__name__, as_json)
            code = EX_USAGE
        except MemoryError:
            message = (
                "the computation needs more memory than this machine has; ask for less "
                "(fewer --samples, a smaller --sobol, a smaller scenario)"
            )
            _report(MemoryError(message), "MemoryError", as_json)
            code = EX_USAGE
        except (_PipeClosed, BrokenPipeError):  # the reader went away (`| head`): quietly
            _silence_stdout()
            code = EX_PIPE
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EDQUOT):
                code = _internal(error, debug, as_json)
            else:
                name = error.filename or "standard output"
                message = f"{name}: cannot write: the disk is full; free some space and run again"
                _silence_stdout()
                _report(OutputError(message), "OutputError", as_json, stderr=True)
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
            damage = _store_damage(error)
            if damage is not None:
                _report(damage, "DataError", as_json)
                code = EX_USAGE
            else:
                code = _internal(error, debug, as_json)
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
    add_completion=True,
    pretty_exceptions_enable=False,
)
scenario_app = typer.Typer(help="Built-in scenarios, scenario files and their schema.")
app.add_typer(scenario_app, name="scenario")
data_app = typer.Typer(
    help="The world data: fetch its files, build the DuckDB store, list what it holds."
)
app.add_typer(data_app, name="data")


# Markup off: file names, titles and messages are the user's text, never rich markup.
class _Console(Console):
    """rich's console, but a closed pipe ends the command with :data:`EX_PIPE` (rich's
    own answer is exit 1, which means "a check failed" here)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise _PipeClosed


out = _Console(highlight=False, markup=False)
err = _Console(stderr=True, highlight=False, markup=False)

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


def power_of_two(value: int) -> int:
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
        callback=power_of_two,
        help="Base sample size of the Sobol' analysis (a power of 2; 0 skips it).",
    ),
]


def parse_money(text: str) -> float:
    """Parse an amount such as ``50e9``, ``50bn`` or ``USD 750m`` to US dollars.

    A bare number under a million is refused: users who type ``50`` mean USD 50 bn, and
    a wedge price of fifty dollars is never what was meant.
    """
    from alliances.scenario.quantity import parse_amount

    try:
        value, scaled = parse_amount(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--offer") from None
    if not scaled and 0 < value < 1e6:
        msg = (
            f"{text!r} is read as USD {value:g}, not billions; write 50bn, 50e9 or 750m "
            "for an amount in USD"
        )
        raise typer.BadParameter(msg, param_hint="--offer")
    return value


def store_if_any(store: Path | None) -> Any:
    """A connection to the store for grounding, or None when the default one is absent.

    An explicit ``--store`` (or ``ALLIANCES_STORE``) that does not exist is an error, not a
    silent run without the data (:func:`alliances.world.connection.resolve_store`).
    """
    from alliances.world import connect
    from alliances.world.connection import resolve_store

    path = resolve_store(store)
    return None if path is None else connect(path)


def check_store(store: Path) -> Path:
    """``store``, if a file is there (:func:`alliances.world.connection.resolve_store`)."""
    from alliances.world.connection import resolve_store

    path = resolve_store(store)
    assert path is not None  # a store given is returned or refused
    return path


@contextmanager
def stages() -> Iterator[Callable[[str], None]]:
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


def bn(value: float) -> str:
    """USD ``value`` in billions: one decimal from 1 bn up (70.7), two significant digits
    below (0.75, not a rounded 0.8 for an offer of 750m), three with an exponent from a
    million billion up (6.79e80), so that a table's column stays readable."""
    if value != value:  # NaN
        return "n/a"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "-∞"
    billions = value / 1e9
    if abs(billions) >= 1e6:
        return re.sub(r"e\+?0*(?=\d)", "e", f"{billions:.3g}")  # 6.79e80, 1.5e6
    if billions == 0 or abs(billions) >= 1:
        return f"{billions:,.1f}"
    return number(float(f"{billions:.2g}"))


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


def given(ctx: typer.Context, name: str) -> bool:
    """Whether the option ``name`` was given (on the command line or by its environment
    variable), not left at its default: an option that does not apply is refused only
    when it was asked for."""
    return getattr(ctx.get_parameter_source(name), "name", "DEFAULT") != "DEFAULT"


def echo_json(data: Any) -> None:
    """One JSON object on standard output; NaN and infinities become ``null``."""
    typer.echo(json.dumps(json_ready(data)))


def main() -> None:
    """Entry point of the console script."""
    app()
