"""The workbench: a local web app to edit a scenario and watch the wedge price move.

FastAPI serves one page (``static/index.html``, no external assets: Plotly's script is
served from the installed package) and a small JSON API. The browser holds the scenario
as YAML; every edit is sent with it, applied to the quantity it names, validated with the
same validator as the command line, and answered with either the problems (path, line,
message) or the new results, computed with fewer draws so that they come back within
about a second.

The workbench is confined to one folder, its *workspace*, and to the person who started
it:

* **Files.** It opens and saves only ``.yaml``/``.yml`` regular files inside the
  workspace, named by paths relative to it. Every path is resolved with ``realpath``
  first, so ``..``, absolute paths elsewhere and symbolic links that lead out of the
  workspace are refused (403), as are other suffixes, FIFOs and devices. Built-in
  scenarios open read-only. Errors about a file's content give the path inside the
  document and the line, never the file's text (quoted fragments are cut out of the
  parser's messages).
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
  ``http://<one of those hosts>:<port>`` (403 otherwise). Bodies over 2 MiB get 413.
* **Saving.** ``/api/open`` answers with the ``sha256`` of the file's bytes, and
  ``/api/save`` sends it back. If the file changed on disk since (or was deleted, or
  already exists for a new file), the save is refused with 409 and the page offers to
  reload it or save under another name. Otherwise the new text is written to a temporary
  file beside the target and ``fsync``-ed; then the current file is hard-linked (or
  copied) to ``NAME.bak``; then the temporary file is renamed over the target. A kill at
  any moment leaves the target whole (old or new) and the previous version either as the
  target or as ``NAME.bak``. Saves are serialised by a lock in the process and an
  ``flock`` on the workspace folder, so of two saves of the same version one wins and the
  other gets 409.
* **Answers.** Every answer is valid JSON (NaN and infinities become ``null``); values
  JSON cannot carry in an edit (``Infinity``, ``NaN``, ``1e309``) are a 422 problem next
  to the field; unexpected errors give a generic 500 message, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import shutil
import stat
import threading
from collections.abc import Awaitable, Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import numpy as np
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from alliances import plotting as wedge_figures
from alliances._files import _fsync_folder, atomic_path, json_ready
from alliances.analysis.wedge import compile_model
from alliances.errors import AlliancesError, DataError, OutputError, Problem, ScenarioError
from alliances.scenario import Scenario, builtin_names, dump_yaml, load_builtin, parse_yaml
from alliances.scenario.io import dump_data
from alliances.scenario.labels import words
from alliances.scenario.quantity import PARAMETERS
from alliances.studies.pricing import Priced, price

try:  # POSIX; elsewhere saves are serialised within the process only
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["MAX_BODY", "Workspace", "create_app", "new_token", "serve", "url_for"]

_SUFFIXES = (".yaml", ".yml")
MAX_BODY = 2 * 1024 * 1024
"""The largest request body (and scenario file) the workbench accepts, in bytes."""
_MAX_LISTED = 2000

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def new_token() -> str:
    """A fresh random token for the workbench's API (``secrets.token_urlsafe(32)``)."""
    return secrets.token_urlsafe(32)


# --- answers ----------------------------------------------------------------------------


class _JSON(JSONResponse):
    """JSON that is always standard: NaN and infinities become ``null``."""

    def render(self, content: Any) -> bytes:
        return json.dumps(
            json_ready(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def _problem(message: str, path: str = "", line: int | None = None) -> dict[str, Any]:
    return {"path": path, "line": line, "message": message}


def _fail(status: int, message: str, path: str = "", **extra: Any) -> _JSON:
    return _JSON(
        {"problems": [_problem(message, path)], "message": message, **extra}, status_code=status
    )


class _Refused(Exception):
    """A request the workbench answers with ``status`` and ``message`` (no traceback)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _problems(error: AlliancesError, *, redact: bool = False) -> list[dict[str, Any]]:
    """The problems of an error as JSON; with ``redact``, no fragment of the document.

    ``redact`` is for files read on the server: the messages keep the path inside the
    document and the line, but anything quoted (the parser quotes the text it stumbled
    on, the validator the value it refused) is replaced by ``…``.
    """
    listed = getattr(error, "problems", None) or []
    if not listed:
        message = str(error)
        return [_problem(_redacted(message) if redact else message)]
    return [
        _problem(_redacted(p.message) if redact else p.message, p.path, p.line) for p in listed
    ]


def _redacted(message: str) -> str:
    for quote in "\"'":
        message = re.sub(f"{quote}.*{quote}", "…", message, flags=re.DOTALL)
    for quote in "\"'":  # an unmatched quote: cut the rest
        if quote in message:
            message = message[: message.index(quote)] + "…"
    return message.split("\n", 1)[0]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse(text: str, file: str) -> Scenario:
    """A scenario from YAML text; every failure an :class:`AlliancesError`."""
    try:
        return parse_yaml(text, file=file)
    except AlliancesError:
        raise
    except RecursionError:
        msg = "the document is nested too deeply to be a scenario"
        raise ScenarioError([Problem("", msg)], file=file) from None
    except (ValueError, TypeError, LookupError) as error:
        # a validator that raised something other than a validation error
        msg = f"the scenario cannot be read ({type(error).__name__})"
        raise ScenarioError([Problem("", msg)], file=file) from None


# --- the workspace ----------------------------------------------------------------------


class Workspace:
    """The one folder the workbench reads and writes; paths are relative to it."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        given = Path(folder).expanduser()
        if not given.exists():
            msg = f"{given}: the workspace folder does not exist; create it or choose another"
            raise OutputError(msg)
        if not given.is_dir():
            msg = f"{given}: the workspace should be a folder, found a file"
            raise OutputError(msg)
        self.root = Path(os.path.realpath(given))
        self._lock = threading.Lock()

    # paths

    def resolve(self, relative: str) -> Path:
        """The real path of ``relative``, or :class:`_Refused` if it leaves the workspace."""
        if not relative or not relative.strip():
            raise _Refused(422, "give the name of a .yaml file in the workspace")
        if "\x00" in relative:
            raise _Refused(403, "a file name cannot contain a NUL character")
        given = Path(relative)
        if given.suffix.lower() not in _SUFFIXES:
            raise _Refused(403, f"{relative!r}: only .yaml or .yml files can be opened or saved")
        real = Path(os.path.realpath(given if given.is_absolute() else self.root / given))
        if real == self.root or not real.is_relative_to(self.root):
            msg = f"{relative!r} is outside the workspace; give a path inside it"
            raise _Refused(403, msg)
        if real.suffix.lower() not in _SUFFIXES:
            msg = f"{relative!r} is a link to a file that is not .yaml or .yml"
            raise _Refused(403, msg)
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            return real
        except OSError:
            raise _Refused(403, f"{relative!r} cannot be read") from None
        if not stat.S_ISREG(mode):
            raise _Refused(403, f"{relative!r} is not a regular file")
        return real

    def relative(self, real: Path) -> str:
        return real.relative_to(self.root).as_posix()

    def files(self) -> tuple[list[str], bool]:
        """The YAML files in the workspace (hidden folders skipped), and whether cut short."""
        found: list[str] = []
        for folder, subfolders, names in os.walk(self.root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or Path(name).suffix.lower() not in _SUFFIXES:
                    continue
                listed = Path(folder, name)
                try:
                    real = self.resolve(str(listed))
                except _Refused:
                    continue
                if real.exists():
                    found.append(listed.relative_to(self.root).as_posix())
                if len(found) >= _MAX_LISTED:
                    return sorted(found), True
        return sorted(found), False

    # reading

    def read(self, relative: str) -> tuple[Path, bytes]:
        """The real path and the bytes of a YAML file of the workspace."""
        real = self.resolve(relative)
        data = _read_regular(real, relative)
        if data is None:
            raise _Refused(404, f"{relative!r}: no such file in the workspace")
        return real, data

    # saving

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            try:
                fd = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError as error:
                msg = f"cannot lock the workspace folder: {error.strerror or error}"
                raise OutputError(msg) from None
            try:
                if fcntl is not None:
                    with contextlib.suppress(OSError):  # e.g. a file system without locks
                        fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the flock

    def save(self, relative: str, text: str, sha256: str | None) -> dict[str, Any]:
        """Write ``text`` to ``relative`` if it still is the version ``sha256`` named.

        ``sha256`` is the hash of the file as the client opened it, or ``None`` for a new
        file. Raises :class:`_Refused` (409) if the file changed, was deleted or already
        exists; returns the new hash and the backup's path.
        """
        target = self.resolve(relative)
        if not target.parent.is_dir():
            folder = self.relative(target.parent)
            raise _Refused(404, f"the folder {folder!r} does not exist in the workspace")
        payload = text.encode("utf-8")
        name = self.relative(target)
        with self._locked():
            current = _read_regular(target, relative)
            if current is None and sha256:
                msg = f"{name!r} was deleted or renamed since you opened it"
                raise _Refused(409, msg)
            if current is not None and not sha256:
                msg = f"{name!r} already exists; saving would overwrite it"
                raise _Refused(409, msg)
            if current is not None and not hmac.compare_digest(
                _sha256(current).encode(), (sha256 or "").encode("utf-8")
            ):
                msg = f"{name!r} changed on disk since you opened it"
                raise _Refused(409, msg)
            backup = target.with_name(target.name + ".bak") if current is not None else None
            with atomic_path(target) as tmp:
                with open(tmp, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                # the new version is whole on disk: only now replace the older backup
                if backup is not None:
                    _keep_as_backup(target, backup)
            # (atomic_path renamed the new version over the target and synced the folder)
        return {
            "saved": name,
            "sha256": _sha256(payload),
            "backup": self.relative(backup) if backup else None,
        }


def _read_regular(real: Path, shown: str) -> bytes | None:
    """The bytes of a regular file (``None`` if missing), never blocking on a FIFO."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:  # replaced by a link since it was resolved
            raise _Refused(403, f"{shown!r} is not a regular file") from None
        raise _Refused(403, f"{shown!r} cannot be read") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(403, f"{shown!r} is not a regular file")
        data = handle.read(MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise _Refused(422, f"{shown!r} is larger than {MAX_BODY // 2**20} MiB; not a scenario")
    return data


def _keep_as_backup(target: Path, backup: Path) -> None:
    """Make ``backup`` a whole copy of ``target`` (a hard link if possible), atomically."""
    candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.bak.tmp")
    try:
        try:
            os.link(target, candidate)
        except OSError:  # no hard links here: copy, and sync the copy
            shutil.copyfile(target, candidate)
            with open(candidate, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(candidate, backup)
        _fsync_folder(target.parent)
    finally:
        candidate.unlink(missing_ok=True)


# --- the guard: Host, Origin, token, body size ------------------------------------------


def _allowed_hosts(host: str) -> frozenset[str]:
    bound = host.strip().lower().strip("[]")
    bound = f"[{bound}]" if ":" in bound else bound
    return frozenset({"localhost", "127.0.0.1", bound})


def _hostname(header: str) -> str:
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.split(":", 1)[0]


class _Guard:
    """ASGI middleware: refuses foreign hosts and origins, missing tokens, large bodies."""

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

    def _check(self, scope: Scope, headers: Headers) -> _Refused | None:
        host = _hostname(headers.get("host", ""))
        if host not in self.hosts:
            msg = (
                "unexpected Host header; open the workbench at "
                f"http://127.0.0.1:{self.port}/ (or localhost)"
            )
            return _Refused(400, msg)
        method = scope.get("method", "GET")
        if scope["type"] == "websocket" or method not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin is not None and origin.lower().rstrip("/") not in self.origins:
                return _Refused(403, "request from another site refused (Origin)")
        path = scope.get("path", "")
        protected = path == "/api" or path.startswith("/api/")
        if self.token is not None and protected and not self._authorised(scope, headers):
            msg = (
                "missing or wrong token: open the link printed by `alliances serve` "
                "(it ends with ?token=...)"
            )
            return _Refused(403, msg)
        length = headers.get("content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                return _Refused(400, "invalid Content-Length")
            if size > self.limit:
                return self._too_large()
        return None

    def _too_large(self) -> _Refused:
        return _Refused(413, f"request body larger than {self.limit // 2**20} MiB")

    def _authorised(self, scope: Scope, headers: Headers) -> bool:
        assert self.token is not None
        offered: list[str] = []
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() in ("token", "bearer"):
            offered.append(value.strip())
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        offered.extend(query.get("token", []))
        return any(hmac.compare_digest(t.encode("utf-8"), self.token) for t in offered)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, refusal: _Refused) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = _fail(refusal.status, refusal.message)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)  # type: ignore[arg-type]


# --- the application --------------------------------------------------------------------


class _Open(BaseModel):
    path: str | None = None
    builtin: str | None = None
    name: str | None = None  # either: a built-in name or a workspace path (older pages)


class _Edit(BaseModel):
    yaml: str
    input: str
    param: str
    value: float | int


class _Yaml(BaseModel):
    yaml: str


class _Save(BaseModel):
    yaml: str
    path: str
    sha256: str | None = None


class _Structure(BaseModel):
    yaml: str
    op: str  # "add" or "remove"
    kind: str  # "actor", "bond", "instrument" or "threat"
    id: str | None = None  # the item to remove
    item: dict[str, Any] | None = None  # the item to add, as the scenario file writes it


_KINDS = {
    "actor": ("actors",),
    "bond": ("bonds",),
    "instrument": ("question", "instruments"),
    "threat": ("question", "threats"),
}


def _items(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The list of the scenario's ``kind`` items (as dicts), created if absent."""
    *parents, last = _KINDS[kind]
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    listed: list[dict[str, Any]] = node.setdefault(last, [])
    return listed


def _restructured(data: dict[str, Any], body: _Structure) -> dict[str, Any]:
    """``data`` with one actor, bond, instrument or threat added or removed.

    Raises :class:`_Refused` for a request that names nothing (the scenario's own
    validation, afterwards, judges the result). Removing an actor also removes its
    memberships; bonds that name it are left for the validator to point out.
    """
    if body.kind not in _KINDS:
        raise _Refused(422, f"kind should be one of {', '.join(_KINDS)}; got {body.kind!r}")
    items = _items(data, body.kind)
    if body.op == "remove":
        if not body.id or not any(i.get("id") == body.id for i in items):
            raise _Refused(404, f"no {body.kind} {body.id!r} in the scenario")
        items[:] = [i for i in items if i.get("id") != body.id]
        if body.kind == "actor":
            data["memberships"] = [
                m
                for m in data.get("memberships", [])
                if body.id not in (m.get("member"), m.get("bloc"))
            ]
        return data
    if body.op == "add":
        if not isinstance(body.item, dict) or not str(body.item.get("id", "")).strip():
            raise _Refused(422, f"give the new {body.kind} an id")
        if any(i.get("id") == body.item["id"] for i in items):
            raise _Refused(422, f"the scenario already has a {body.kind} {body.item['id']!r}")
        items.append(body.item)
        return data
    raise _Refused(422, f"op should be 'add' or 'remove'; got {body.op!r}")


def _structure(scenario: Scenario) -> dict[str, Any]:
    """The actors, bonds, instruments and threats as the structure form lists them."""
    q = scenario.question
    return {
        "actors": [
            {
                "id": a.id,
                "label": a.label,
                "organisation": a.organisation is not None,
                "role": next(
                    (
                        r
                        for r, who in (
                            ("divider", q.divider),
                            ("target", q.target),
                            ("partner", q.partner),
                        )
                        if str(who) == a.id
                    ),
                    None,
                ),
            }
            for a in scenario.actors
        ],
        "bonds": [
            {
                "id": b.id,
                "label": words(scenario, b.id, b.description),
                "kind": b.kind,
                "between": [str(x) for x in b.between],
                "sign": int(b.sign),
                "weight": float(b.weight),
                "priced": bool(b.sides),
            }
            for b in scenario.bonds
        ],
        "instruments": [{"id": i.id, "description": i.description} for i in q.instruments],
        "threats": [{"id": x.id, "description": x.description} for x in q.threats],
        "question": {
            "divider": str(q.divider),
            "target": str(q.target),
            "partner": str(q.partner),
        },
    }


def _why_no_store(*, find: bool) -> str:
    """Why the workbench answers without the store (the command line's words)."""
    from alliances.world.connection import no_default_store

    return no_default_store() if find else "the workbench was started without a store"


def _figure(fig: Any) -> dict[str, Any]:
    """A Plotly figure as the page's ``Plotly.react`` takes it (data and layout)."""
    shown: dict[str, Any] = json.loads(fig.to_json())
    return {"data": shown.get("data", []), "layout": shown.get("layout", {})}


def _find_store(store: str | os.PathLike[str] | None, *, find: bool) -> Path | None:
    """The store the workbench grounds in: the one given, else the default one if built.

    As the command line finds it (``ALLIANCES_STORE``, else ``world.duckdb`` in the
    user's cache folder); a store given that is not there is an error.
    """
    from alliances.world import default_store

    if store is not None:
        path = Path(store).expanduser()
        if not path.is_file():
            msg = (
                f"{path}: no store here; build it with `alliances data build --data-dir DIR "
                "--store PATH` or leave the store out"
            )
            raise DataError(msg)
        return path
    if not find:
        return None
    found = default_store()
    return found if found.is_file() else None


def _locate(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The quantity (as a dict) that the model input ``name`` refers to."""
    parts = name.split(".")
    node: Any
    if parts[0] == "bonds":
        bond = next(b for b in data["bonds"] if b["id"] == parts[1])
        node = bond["sides"][parts[2]][parts[3]]
    elif parts[:2] in (["question", "instruments"], ["question", "threats"]):
        item = next(i for i in data["question"][parts[1]] if i["id"] == parts[2])
        node = item[parts[3]]
    else:
        node = data
        for key in parts:
            node = node[key]
    if not isinstance(node, dict):
        raise KeyError(name)
    return node


def wedge(scenario: Scenario, **options: Any) -> Priced:
    """The wedge price of ``scenario`` grounded as the command line grounds it.

    :func:`alliances.studies.pricing.price` with ``options`` (``store``, ``samples``,
    ``seed``, …): the grounded scenario, each query's grounding and the result.
    """
    return price(scenario, **options)


def _inputs(scenario: Scenario, result: Any = None) -> list[dict[str, Any]]:
    model = compile_model(scenario)
    labels = wedge_figures.input_labels(result) if result is not None else {}
    return [
        {
            "name": i.name,
            "label": labels.get(i.name) or getattr(i, "label", None) or i.description,
            "description": i.description,
            "dist": i.quantity.dist,
            "unit": i.quantity.unit,
            "params": {
                p: getattr(i.quantity, p)
                for p in PARAMETERS
                if getattr(i.quantity, p, None) is not None
            },
            "source": i.quantity.source or i.quantity.assumption,
        }
        for i in model.inputs
    ]


def create_app(
    workspace: str | os.PathLike[str],
    *,
    token: str | None,
    host: str = "127.0.0.1",
    port: int = 8765,
    samples: int = 20_000,
    sobol: int = 256,
    seed: int = 0,
    report_samples: int = 100_000,
    store: str | os.PathLike[str] | None = None,
    find_store: bool = True,
) -> FastAPI:
    """The workbench serving ``workspace``, for the address ``host:port``.

    ``token`` is the secret every API call must carry (see :func:`new_token`), or
    ``None`` to accept calls without one. ``host`` and ``port`` are the address the app
    is served on; requests naming another host are refused. Raises
    :class:`~alliances.errors.OutputError` if ``workspace`` is not an existing folder.

    Every answer is grounded in the world data store as the command line grounds it:
    ``store`` if given (a :class:`~alliances.errors.DataError` if it is not there), else
    the default store when it has been built (``find_store=False``: none), and says so
    (``grounded.statement``). ``samples`` and ``sobol`` are the draws of the live answers;
    the report downloaded is ``alliances report``'s, with ``report_samples`` draws (the
    command's default) and the same seed and store, so the two files are the same but for
    their time stamp.
    """
    folder = Workspace(workspace)
    store_path = _find_store(store, find=find_store)
    why_no_store = _why_no_store(find=find_store)

    @contextlib.contextmanager
    def connection() -> Iterator[Any]:
        """A read-only connection to the store for one request (None without a store)."""
        if store_path is None:
            yield None
            return
        from alliances.world import connect

        con = connect(store_path)
        try:
            yield con
        finally:
            con.close()

    app = FastAPI(
        title="alliances workbench",
        default_response_class=_JSON,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(_Guard, host=host, port=port, token=token)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> _JSON:
        problems = [
            _problem(
                str(detail.get("msg", "invalid value")),
                ".".join(str(k) for k in detail.get("loc", ()) if k != "body"),
            )
            for detail in error.errors()
        ]
        message = "; ".join(f"{p['path'] or 'body'}: {p['message']}" for p in problems)
        return _JSON({"problems": problems, "message": message}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> _JSON:
        return _fail(error.status_code, str(error.detail))

    @app.exception_handler(_Refused)
    async def refused(request: Request, error: _Refused) -> _JSON:
        return _fail(error.status, error.message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> _JSON:
        return _fail(500, "internal error in the workbench; the server's log has the details")

    def compute(scenario: Scenario, **extra: Any) -> _JSON:
        try:
            # extreme (finite) values overflow to inf or NaN, which answers show as null
            with np.errstate(all="ignore"), connection() as con:
                priced = wedge(
                    scenario,
                    store=con,
                    samples=samples,
                    seed=seed,
                    sobol_samples=sobol,
                    why_no_store=why_no_store,
                )
                result = priced.result
                summary = result.to_dict()
                charts = {
                    name: _figure(fig) for name, fig in wedge_figures.figures(result).items()
                }
                charts["network"] = _figure(wedge_figures.network_chart(scenario))
            inputs = _inputs(scenario, result)
        except AlliancesError as error:
            return _JSON({"problems": _problems(error), **extra}, status_code=422)
        except (ArithmeticError, ValueError) as error:
            msg = f"these values give no result ({type(error).__name__}); try others"
            return _fail(422, msg, **extra)
        keys = (
            "flip_price",
            "p_flip",
            "offer",
            "willingness_to_pay",
            "drivers",
            "warnings",
            "grounded",
        )
        return _JSON(
            {
                "yaml": dump_yaml(scenario),
                "title": scenario.title,
                "inputs": inputs,
                "result": {k: summary[k] for k in keys if k in summary},
                "grounded": result.grounded,
                "figures": charts,
                "structure": _structure(scenario),
                "problems": [],
                **extra,
            }
        )

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        page = resources.files("alliances.web").joinpath("static/index.html").read_text("utf-8")
        headers = {
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": "frame-ancestors 'none'",
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
        }
        return HTMLResponse(page, headers=headers)

    @app.get("/plotly.js")
    def plotly_js() -> Response:
        from plotly.offline import get_plotlyjs

        return Response(get_plotlyjs(), media_type="application/javascript")

    @app.get("/api/builtins")
    def builtins() -> _JSON:
        return _JSON(builtin_names())

    @app.get("/api/files")
    def files() -> _JSON:
        listed, truncated = folder.files()
        return _JSON({"workspace": str(folder.root), "files": listed, "truncated": truncated})

    @app.post("/api/open")
    def open_scenario(body: _Open) -> _JSON:
        builtin, path = body.builtin, body.path
        if builtin is None and path is None and body.name is not None:
            builtin, path = (
                (body.name, None) if body.name in builtin_names() else (None, body.name)
            )
        if builtin is not None:
            if builtin not in builtin_names():
                names = ", ".join(builtin_names())
                return _fail(404, f"no built-in scenario {builtin!r}; expected one of: {names}")
            scenario = load_builtin(builtin)
            return compute(scenario, path=None, builtin=builtin, sha256=None, readonly=True)
        if path is None:
            return _fail(422, "give the path of a .yaml file in the workspace, or a built-in")
        real, data = folder.read(path)
        shown = folder.relative(real)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return _fail(422, f"{shown!r} is not UTF-8 text; not a scenario")
        try:
            scenario = _parse(text, file=shown)
        except AlliancesError as error:
            problems = _problems(error, redact=True)
            return _JSON({"problems": problems, "path": shown}, status_code=422)
        return compute(scenario, path=shown, builtin=None, sha256=_sha256(data), readonly=False)

    @app.post("/api/run")
    def run(body: _Yaml) -> _JSON:
        try:
            scenario = _parse(body.yaml, file="workbench")
        except AlliancesError as error:
            return _JSON({"problems": _problems(error)}, status_code=422)
        return compute(scenario)

    @app.post("/api/edit")
    def edit(body: _Edit) -> _JSON:
        where = f"{body.input}.{body.param}"
        if body.param not in PARAMETERS:
            msg = f"param should be one of {', '.join(PARAMETERS)}"
            return _fail(422, msg, where, input=body.input)
        try:
            value = float(body.value)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            msg = "should be a finite number (JSON cannot carry infinities or NaN)"
            return _fail(422, msg, where, input=body.input)
        try:
            current = _parse(body.yaml, file="workbench")
        except AlliancesError as error:
            return _JSON({"problems": _problems(error), "input": body.input}, status_code=422)
        data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
        try:
            quantity = _locate(data, body.input)
        except (KeyError, StopIteration, IndexError, TypeError):
            return _fail(404, f"no input {body.input!r} in the scenario", input=body.input)
        quantity[body.param] = value
        try:
            edited = Scenario.model_validate(data)
        except Exception:
            try:
                _parse(dump_data(data), file="workbench")
            except AlliancesError as error:
                problems = _problems(error)
                return _JSON({"problems": problems, "input": body.input}, status_code=422)
            return _fail(422, "this value makes the scenario invalid", where, input=body.input)
        return compute(edited)

    @app.post("/api/save")
    def save_scenario(body: _Save) -> _JSON:
        folder.resolve(body.path)  # a path that is refused is refused before any work
        try:
            _parse(body.yaml, file=body.path)
        except AlliancesError as error:
            return _JSON({"problems": _problems(error)}, status_code=422)
        try:
            saved = folder.save(body.path, body.yaml, body.sha256)
        except OutputError as error:
            return _fail(500, _redacted_path(str(error), folder.root))
        return _JSON(saved)

    @app.post("/api/structure")
    def restructure(body: _Structure) -> _JSON:
        try:
            current = _parse(body.yaml, file="workbench")
        except AlliancesError as error:
            return _JSON({"problems": _problems(error), "kind": body.kind}, status_code=422)
        data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
        data = _restructured(data, body)
        try:
            text = dump_data(data)
        except (RecursionError, ValueError, TypeError):
            return _fail(422, f"this {body.kind} cannot be written as a scenario file", "item")
        try:
            # the same validation as a file: problems name the place in the scenario
            edited = _parse(text, file="workbench")
        except AlliancesError as error:
            return _JSON({"problems": _problems(error), "kind": body.kind}, status_code=422)
        return compute(edited, kind=body.kind)

    @app.post("/api/report")
    def report(body: _Yaml) -> Response:
        from alliances.report import render
        from alliances.studies import report_data

        try:
            scenario = _parse(body.yaml, file="workbench")
            # what `alliances report` does: ground in the store, price, render
            with np.errstate(all="ignore"), connection() as con:
                priced = wedge(
                    scenario,
                    store=con,
                    samples=report_samples,
                    seed=seed,
                    keep_draws=True,
                    why_no_store=why_no_store,
                )
                html = render(
                    priced.scenario,
                    priced.result,
                    grounding=priced.grounding,
                    data=report_data(priced.scenario, con),
                )
        except AlliancesError as error:
            return _JSON({"problems": _problems(error)}, status_code=422)
        except (ArithmeticError, ValueError) as error:
            return _fail(422, f"these values give no result ({type(error).__name__})")
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", scenario.id).strip("-.") or "scenario"
        headers = {"Content-Disposition": f'attachment; filename="{stem}-report.html"'}
        return Response(html, media_type="text/html", headers=headers)

    return app


def _redacted_path(message: str, root: Path) -> str:
    return message.replace(f"{root}{os.sep}", "")


# --- serving ----------------------------------------------------------------------------


def url_for(host: str, port: int, token: str | None) -> str:
    """The address to open: ``http://127.0.0.1:8765/?token=...``."""
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
