"""Who may call the workbench, and from which sites: the token, Host and Origin checks.

* **Who may call.** At start-up :func:`new_token` makes a random token, printed in the
  URL (``http://127.0.0.1:8765/?token=...``) as Jupyter does. Every ``/api/*`` request
  must carry it, as ``Authorization: token ...`` or ``?token=...`` (403 otherwise). The
  page ``/`` and ``/plotly.js`` are served without it: they are the same static files
  for everyone and hold no user data. The page keeps the token from its URL in
  ``sessionStorage`` (then removes it from the address bar) and sends it in the
  ``Authorization`` header. A cookie is deliberately not used: a browser attaches
  cookies to requests that other sites make, a header only to our own page's requests,
  so no cross-site request can be authorised. ``token=None`` (``--no-token``) turns the
  check off.
* **Which sites.** A request whose ``Host`` is not the bound address, ``localhost`` or
  ``127.0.0.1`` is refused with 400 (DNS rebinding: an attacker's name that resolves to
  127.0.0.1). A request that changes state and carries an ``Origin`` must come from
  ``http://<one of those hosts>:<port>`` (403 otherwise). Bodies over
  :data:`~alliances.web.workspace.MAX_BODY` (2 MiB) get 413.

:class:`Guard` is the ASGI middleware that makes these checks before any endpoint runs.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers

from alliances.web.answers import failure
from alliances.web.problems import Refused
from alliances.web.workspace import MAX_BODY

__all__ = ["Guard", "new_token"]

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def new_token() -> str:
    """A fresh random token for the workbench's API (``secrets.token_urlsafe(32)``)."""
    return secrets.token_urlsafe(32)


def _allowed_hosts(host: str) -> frozenset[str]:
    bound = host.strip().lower().strip("[]")
    bound = f"[{bound}]" if ":" in bound else bound
    return frozenset({"localhost", "127.0.0.1", bound})


def _hostname(header: str) -> str:
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.split(":", 1)[0]


class Guard:
    """ASGI middleware: refuses foreign hosts and origins, missing tokens, large bodies.

    Parameters
    ----------
    app : ASGI application
        The application behind the guard.
    host, port : str, int
        The address the workbench is served on: the hosts and origins it accepts.
    token : str or None
        The secret every ``/api/*`` request must carry, or None for no check.
    limit : int
        The largest request body, in bytes.
    """

    def __init__(
        self, app: Any, *, host: str, port: int, token: str | None, limit: int = MAX_BODY
    ) -> None:
        self.app = app
        self.hosts = _allowed_hosts(host)
        self.origins = frozenset(f"http://{h}:{port}" for h in self.hosts) | (
            frozenset(f"http://{h}" for h in self.hosts) if port == 80 else frozenset()
        )
        self.token = token.encode("utf-8") if token is not None else None
        self.limit = limit
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._check(scope, headers)
        if refusal is not None:
            await self._refuse(scope, receive, send, refusal)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await self._refuse(scope, receive, send, self._too_large())
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _check(self, scope: Scope, headers: Headers) -> Refused | None:
        host = _hostname(headers.get("host", ""))
        if host not in self.hosts:
            msg = (
                "unexpected Host header; open the workbench at "
                f"http://127.0.0.1:{self.port}/ (or localhost)"
            )
            return Refused(400, msg)
        method = scope.get("method", "GET")
        if scope["type"] == "websocket" or method not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin is not None and origin.lower().rstrip("/") not in self.origins:
                return Refused(403, "request from another site refused (Origin)")
        path = scope.get("path", "")
        protected = path == "/api" or path.startswith("/api/")
        if self.token is not None and protected and not self._authorised(scope, headers):
            msg = (
                "missing or wrong token: open the link printed by `alliances serve` "
                "(it ends with ?token=...)"
            )
            return Refused(403, msg)
        length = headers.get("content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                return Refused(400, "invalid Content-Length")
            if size > self.limit:
                return self._too_large()
        return None

    def _too_large(self) -> Refused:
        return Refused(413, f"request body larger than {self.limit // 2**20} MiB")

    def _authorised(self, scope: Scope, headers: Headers) -> bool:
        assert self.token is not None
        offered: list[str] = []
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() in ("token", "bearer"):
            offered.append(value.strip())
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        offered.extend(query.get("token", []))
        return any(hmac.compare_digest(t.encode("utf-8"), self.token) for t in offered)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, refusal: Refused) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = failure(refusal.status, refusal.message)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)  # type: ignore[arg-type]
