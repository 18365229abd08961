"""Serving the workbench: uvicorn on the address given, the URL with the token.

``alliances serve`` calls :func:`serve`, which builds the app
(:func:`~alliances.web.app.create_app`), takes the port (:func:`listen`: a port in use is
a :class:`~alliances.errors.ParameterError`, before anything is printed), prints
:func:`url_for` (the address with the start-up token, as Jupyter does), optionally opens
a browser once the server listens, and runs uvicorn until interrupted. The address is
``127.0.0.1`` unless told otherwise.

**Connections cannot wedge it** (:class:`Limits`, applied by :func:`server_for`). A
connection that does not deliver a whole request (headers and body) within
``request_timeout`` seconds of opening, or of its previous answer, is answered 408 and
closed; an idle kept-alive one is closed after ``keep_alive`` seconds; request lines and
headers are at most ``max_header_bytes`` (400 beyond). At most ``max_connections`` are
open at once: one more is answered 503 and closed at once, so the sockets held by
clients that never finish a request are freed after ``request_timeout`` and never take
all of the process's file descriptors, and the server serves again as soon as they go.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alliances.errors import ParameterError
from alliances.web.app import create_app

if TYPE_CHECKING:
    import uvicorn

__all__ = ["Limits", "listen", "serve", "server_for", "url_for"]


@dataclass(frozen=True)
class Limits:
    """How long and how many connections the server holds.

    Parameters
    ----------
    request_timeout : float
        Seconds a connection has to deliver a whole request (headers and body), counted
        from its opening or from its previous answer; then 408 and closed.
    keep_alive : int
        Seconds an idle connection is kept open after an answer.
    max_connections : int
        Connections open at once; one more is answered 503 and closed at once.
    max_header_bytes : int
        The largest request line and headers, in bytes (400 beyond).
    """

    request_timeout: float = 10.0
    keep_alive: int = 5
    max_connections: int = 64
    max_header_bytes: int = 16 * 1024


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


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` for the server (``port=0``: a free one).

    Raises :class:`~alliances.errors.ParameterError` if the port is in use or the
    address cannot be bound, saying so.
    """
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            msg = f"port {port} on {host} is in use; pick another with --port"
        else:
            reason = error.strerror or str(error)
            msg = f"cannot listen on {host} port {port}: {reason}; check --host and --port"
        raise ParameterError(msg) from None


def server_for(app: Any, limits: Limits = Limits()) -> uvicorn.Server:
    """A uvicorn server of ``app`` that holds connections only within ``limits``."""
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level="warning",
        http=_bounded_protocol(limits),
        ws="none",  # the workbench has no WebSocket: an upgrade is an ordinary request
        timeout_keep_alive=limits.keep_alive,
        h11_max_incomplete_event_size=limits.max_header_bytes,
        # uvicorn's own limit answers 503 only once a request is whole, so it cannot stop
        # idle sockets (the protocol refuses them as they open); it bounds the requests
        # being answered, which never outnumber the connections
        limit_concurrency=limits.max_connections + 1,
        # sockets accepted in one go before the protocol can refuse them
        backlog=2 * limits.max_connections,
    )
    return uvicorn.Server(config)


def _answer(status: str, message: str) -> bytes:
    body = f"{message}\n".encode()
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


def _bounded_protocol(limits: Limits) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a deadline for each request and a connection limit."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    busy = _answer(
        "503 Service Unavailable",
        f"the workbench has {limits.max_connections} connections open, its limit; "
        "try again in a few seconds",
    )
    slow = _answer(
        "408 Request Timeout",
        f"the request did not arrive whole within {limits.request_timeout:g} s",
    )
    whole = (h11.DONE, h11.MUST_CLOSE)

    class Bounded(H11Protocol):
        deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limits.max_connections:
                transport.write(busy)
                transport.close()
                return
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state in whole:
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request has the same time to arrive

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self.deadline = self.loop.call_later(limits.request_timeout, self._expired)

        def _disarm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None

        def _expired(self) -> None:
            self.deadline = None
            if self.conn.their_state in whole or self.transport.is_closing():
                return  # the request is whole (being answered) or the connection gone
            self.transport.write(slow)
            self.transport.close()

    return Bounded


def serve(
    workspace: Path,
    *,
    host: str,
    port: int,
    token: str | None,
    open_browser: bool,
    print_url: Callable[[str], None],
    store: str | os.PathLike[str] | None = None,
    sobol: int = 256,
    limits: Limits = Limits(),
) -> None:
    """Serve the workbench on ``workspace`` until interrupted.

    Builds the app (raising :class:`~alliances.errors.OutputError` if ``workspace`` is
    not an existing folder), takes the port (:func:`listen`: a
    :class:`~alliances.errors.ParameterError` if it is in use), hands the URL with the
    token to ``print_url``, opens a browser on it once the server listens if
    ``open_browser``, and runs uvicorn within ``limits``. The answers are grounded in
    ``store``, or in the default store when it has been built; ``sobol`` is the Sobol'
    base sample size of the drivers.
    """
    app = create_app(workspace, token=token, host=host, port=port, store=store, sobol=sobol)
    sock = listen(host, port)
    url = url_for(host, port, token)
    print_url(url)
    server = server_for(app, limits)
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run(sockets=[sock])


def _open_when_started(server: Any, url: str, timeout: float = 30.0) -> None:
    import time
    import webbrowser

    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if server.started:
        webbrowser.open(url)
