"""``alliances serve``: the workbench in the browser, confined to one workspace folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliances.cli._app import StoreOption, app, check_store, out, power_of_two


@app.command("serve")
def serve_command(
    workspace: Annotated[
        Path,
        typer.Argument(help="The folder whose scenario files the workbench may open and save."),
    ] = Path("."),
    host: Annotated[str, typer.Option(help="Address to bind (local only by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open a browser.")] = False,
    no_token: Annotated[
        bool,
        typer.Option(
            "--no-token", help="Serve the API without a token (only on a machine you alone use)."
        ),
    ] = False,
    sobol: Annotated[
        int,
        typer.Option(
            callback=power_of_two,
            help="Base sample size of the drivers' Sobol' analysis (a power of 2; 0 skips it).",
        ),
    ] = 256,
    store: StoreOption = None,
) -> None:
    """The workbench in the browser: edit a scenario and watch the price move.

    It opens and saves only .yaml/.yml files inside WORKSPACE (default: the current
    folder) and prints a link with a random token that every API call must carry.
    """
    from alliances.web import new_token, serve

    def announce(url: str) -> None:
        out.print(f"alliances workbench on {url} (Ctrl-C to stop)", soft_wrap=True)

    serve(
        workspace.resolve(),
        host=host,
        port=port,
        token=None if no_token else new_token(),
        open_browser=open_browser,
        print_url=announce,
        store=None if store is None else check_store(store),
        sobol=sobol,
    )
