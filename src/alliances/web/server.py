"""Serving the workbench: uvicorn on the address given, the URL with the token.

``alliances serve`` calls :func:`serve`, which builds the app
(:func:`~alliances.web.app.create_app`), prints :func:`url_for` (the address with the
start-up token, as Jupyter does), optionally opens a browser once the server listens,
and runs uvicorn until interrupted. The address is ``127.0.0.1`` unless told otherwise.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alliances.web.app import create_app

__all__ = ["serve", "url_for"]


def url_for(host: str, port: int, token: str | None) -> str:
    """The address to open: ``http://127.0.0.1:8765/?token=...``.

    Examples
    --------
    >>> url_for("0.0.0.0", 8765, "abc")
    'http://127.0.0.1:8765/?token=abc'
    >>> url_for("::1", 80, None)
    'http://[::1]:80/'
    """
    shown = host.strip("[]")
    if shown in ("0.0.0.0", "::", ""):
        shown = "127.0.0.1"
    shown = f"[{shown}]" if ":" in shown else shown
    query = f"?token={token}" if token is not None else ""
    return f"http://{shown}:{port}/{query}"


def serve(
    workspace: Path,
    *,
    host: str,
    port: int,
    token: str | None,
    open_browser: bool,
    print_url: Callable[[str], None],
    store: str | os.PathLike[str] | None = None,
) -> None:
    """Serve the workbench on ``workspace`` until interrupted.

    Builds the app (raising :class:`~alliances.errors.OutputError` if ``workspace`` is
    not an existing folder), hands the URL with the token to ``print_url``, opens a
    browser on it once the server listens if ``open_browser``, and runs uvicorn. The
    answers are grounded in ``store``, or in the default store when it has been built.
    """
    import uvicorn

    app = create_app(workspace, token=token, host=host, port=port, store=store)
    url = url_for(host, port, token)
    print_url(url)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run()


def _open_when_started(server: Any, url: str, timeout: float = 30.0) -> None:
    import time
    import webbrowser

    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if server.started:
        webbrowser.open(url)
