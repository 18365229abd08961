"""The workbench's endpoints, one :class:`~fastapi.APIRouter` per group.

Each router is built by a function that takes what its endpoints need (the
:class:`~alliances.web.workspace.Workspace`, the
:class:`~alliances.web.answers.Pricing`) and nothing else; the work of each endpoint is
a function of the request's body and those, so it reads without the app around it.

===================  ==================================================================
:func:`page`         ``GET /`` (the one page) and ``GET /plotly.js``, without a token
:func:`files`        ``GET /api/builtins``, ``GET /api/files``, ``POST /api/open``,
                     ``POST /api/save``: the built-in scenarios and the workspace
:func:`editing`      ``POST /api/run``, ``/api/edit``, ``/api/structure``: a scenario
                     sent by the page, edited, validated and answered
:func:`reports`      ``POST /api/report``: ``alliances report``'s file, to download
===================  ==================================================================
"""

from __future__ import annotations

import math
import re
from importlib import resources
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from alliances.errors import AlliancesError, OutputError
from alliances.scenario import Scenario, builtin_names, load_builtin
from alliances.scenario.builtin import text as builtin_text
from alliances.scenario.io import dump_data
from alliances.scenario.quantity import PARAMETERS
from alliances.web.answers import JSONAnswer, Pricing, failure
from alliances.web.editing import (
    EditRequest,
    OpenRequest,
    SaveRequest,
    StructureRequest,
    YamlRequest,
    items_of,
    keeping_comments,
    locate,
    parse,
    restructure_document,
    restructured,
    where_before,
)
from alliances.web.problems import problems, relocated
from alliances.web.workspace import Workspace, sha256_hex

__all__ = [
    "edit_scenario",
    "editing",
    "files",
    "open_scenario",
    "page",
    "report",
    "reports",
    "restructure",
    "run",
    "save_scenario",
]

_PAGE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


# --- the page ---------------------------------------------------------------------------


def page() -> APIRouter:
    """The page and Plotly's script: static, the same for everyone, no token needed."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        text = resources.files("alliances.web").joinpath("static/index.html").read_text("utf-8")
        return HTMLResponse(text, headers=_PAGE_HEADERS)

    @router.get("/plotly.js")
    def plotly_js() -> Response:
        from plotly.offline import get_plotlyjs

        return Response(get_plotlyjs(), media_type="application/javascript")

    return router


# --- the files: built-in scenarios and the workspace -------------------------------------


def files(folder: Workspace, pricing: Pricing) -> APIRouter:
    """Listing, opening (and answering) and saving scenarios of ``folder`` or built in."""
    router = APIRouter()

    @router.get("/api/builtins")
    def builtins() -> JSONAnswer:
        return JSONAnswer(builtin_names())

    @router.get("/api/files")
    def listing() -> JSONAnswer:
        listed, truncated = folder.files()
        return JSONAnswer({"workspace": str(folder.root), "files": listed, "truncated": truncated})

    @router.post("/api/open")
    def open_(body: OpenRequest) -> JSONAnswer:
        return open_scenario(body, folder, pricing)

    @router.post("/api/save")
    def save(body: SaveRequest) -> JSONAnswer:
        return save_scenario(body, folder)

    return router


def open_scenario(body: OpenRequest, folder: Workspace, pricing: Pricing) -> JSONAnswer:
    """A built-in scenario (read-only) or a file of ``folder`` with its results.

    A file's answer carries its ``sha256``, which the page sends back when it saves;
    problems with a file's content never quote its text.
    """
    builtin, path = body.builtin, body.path
    if builtin is None and path is None and body.name is not None:
        builtin, path = (body.name, None) if body.name in builtin_names() else (None, body.name)
    if builtin is not None:
        if builtin not in builtin_names():
            names = ", ".join(builtin_names())
            return failure(404, f"no built-in scenario {builtin!r}; expected one of: {names}")
        scenario = load_builtin(builtin)
        text = builtin_text(builtin)  # with its comments, which a save under a name keeps
        return pricing.answer(
            scenario, text=text, path=None, builtin=builtin, sha256=None, readonly=True
        )
    if path is None:
        return failure(422, "give the path of a .yaml file in the workspace, or a built-in")
    real, data = folder.read(path)
    shown = folder.relative(real)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return failure(422, f"{shown!r} is not UTF-8 text; not a scenario")
    try:
        scenario = parse(text, file=shown)
    except AlliancesError as error:
        listed = problems(error, redact=True)
        return JSONAnswer({"problems": listed, "path": shown}, status_code=422)
    return pricing.answer(
        scenario, text=text, path=shown, builtin=None, sha256=sha256_hex(data), readonly=False
    )


def save_scenario(body: SaveRequest, folder: Workspace) -> JSONAnswer:
    """Save a valid scenario in ``folder`` if the file is still the version opened."""
    folder.resolve(body.path)  # a path that is refused is refused before any work
    try:
        parse(body.yaml, file=body.path)
    except AlliancesError as error:
        return JSONAnswer({"problems": problems(error)}, status_code=422)
    try:
        saved = folder.save(body.path, body.yaml, body.sha256)
    except OutputError as error:
        return failure(500, folder.unrooted(str(error)))
    return JSONAnswer(saved)


# --- editing: a scenario sent by the page -------------------------------------------------


def editing(pricing: Pricing) -> APIRouter:
    """Running, editing a value of and restructuring the scenario the page sends."""
    router = APIRouter()

    @router.post("/api/run")
    def run_(body: YamlRequest) -> JSONAnswer:
        return run(body, pricing)

    @router.post("/api/edit")
    def edit_(body: EditRequest) -> JSONAnswer:
        return edit_scenario(body, pricing)

    @router.post("/api/structure")
    def structure_(body: StructureRequest) -> JSONAnswer:
        return restructure(body, pricing)

    return router


def run(body: YamlRequest, pricing: Pricing) -> JSONAnswer:
    """The results of the scenario sent, or its problems."""
    try:
        scenario = parse(body.yaml, file="workbench")
    except AlliancesError as error:
        return JSONAnswer({"problems": problems(error)}, status_code=422)
    return pricing.answer(scenario, text=body.yaml)


def edit_scenario(body: EditRequest, pricing: Pricing) -> JSONAnswer:
    """The results of the scenario with one parameter of one input set to a value.

    A value JSON cannot carry (an infinity, NaN, ``1e309``) or that makes the scenario
    invalid is a 422 problem next to the field (``input.param``).
    """
    where = f"{body.input}.{body.param}"
    if body.param not in PARAMETERS:
        msg = f"param should be one of {', '.join(PARAMETERS)}"
        return failure(422, msg, where, input=body.input)
    try:
        value = float(body.value)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        msg = "should be a finite number (JSON cannot carry infinities or NaN)"
        return failure(422, msg, where, input=body.input)
    try:
        current = parse(body.yaml, file="workbench")
    except AlliancesError as error:
        return JSONAnswer({"problems": problems(error), "input": body.input}, status_code=422)
    data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
    try:
        quantity = locate(data, body.input)
    except (KeyError, StopIteration, IndexError, TypeError):
        return failure(404, f"no input {body.input!r} in the scenario", input=body.input)
    quantity[body.param] = value
    try:
        edited = Scenario.model_validate(data)
    except Exception:
        try:
            parse(dump_data(data), file="workbench")
        except AlliancesError as error:
            # found in a text laid out otherwise: the lines are those of the text sent
            listed = relocated(problems(error), body.yaml)
            return JSONAnswer({"problems": listed, "input": body.input}, status_code=422)
        return failure(422, "this value makes the scenario invalid", where, input=body.input)
    number = body.value if isinstance(body.value, int) else value  # 5 stays 5, not 5.0

    def change(document: Any) -> None:
        # a default the file does not write goes in as the model has it
        locate(document, body.input, missing=dict(quantity), model=data)[body.param] = number

    kept = keeping_comments(body.yaml, change, edited)
    return pricing.answer(edited, text=kept.text, comments_dropped=kept.dropped)


def restructure(body: StructureRequest, pricing: Pricing) -> JSONAnswer:
    """The results of the scenario with one item added or removed, or the problems."""
    try:
        current = parse(body.yaml, file="workbench")
    except AlliancesError as error:
        return JSONAnswer({"problems": problems(error), "kind": body.kind}, status_code=422)
    data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
    before = items_of(data)
    data = restructured(data, body)
    try:
        text = dump_data(data)
    except (RecursionError, ValueError, TypeError):
        return failure(422, f"this {body.kind} cannot be written as a scenario file", "item")
    try:
        # the same validation as a file: problems name the place in the scenario
        edited = parse(text, file="workbench")
    except AlliancesError as error:
        # the lines of the text sent (none inside the item added: it is not there yet)
        listed = relocated(problems(error), body.yaml, where_before(before, data))
        return JSONAnswer({"problems": listed, "kind": body.kind}, status_code=422)
    after = items_of(data)
    kept = keeping_comments(
        body.yaml, lambda document: restructure_document(document, before, after), edited
    )
    return pricing.answer(edited, text=kept.text, kind=body.kind, comments_dropped=kept.dropped)


# --- the report ---------------------------------------------------------------------------


def reports(pricing: Pricing) -> APIRouter:
    """The report of the scenario sent, as ``alliances report`` writes it."""
    router = APIRouter()

    @router.post("/api/report")
    def report_(body: YamlRequest) -> Response:
        return report(body, pricing)

    return router


def report(body: YamlRequest, pricing: Pricing) -> Response:
    """The report file of the scenario sent, as an attachment, or its problems."""
    try:
        scenario = parse(body.yaml, file="workbench")
        html = pricing.report(scenario)
    except AlliancesError as error:
        return JSONAnswer({"problems": problems(error)}, status_code=422)
    except (ArithmeticError, ValueError) as error:
        return failure(422, f"these values give no result ({type(error).__name__})")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", scenario.id).strip("-.") or "scenario"
    headers = {"Content-Disposition": f'attachment; filename="{stem}-report.html"'}
    return Response(html, media_type="text/html", headers=headers)
