"""``alliances serve``: the workbench in the browser."""

from __future__ import annotations

from typing import Annotated

import typer

from alliances.cli._app import app, out


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
