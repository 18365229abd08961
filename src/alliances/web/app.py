"""The workbench: a local web app to edit a scenario and watch the wedge price move.

FastAPI serves one page (``static/index.html``, no external assets: Plotly's script is
served from the installed package) and a small JSON API. The browser holds the scenario
as YAML; every edit is sent with it, applied to the quantity it names, validated with the
same validator as the command line, and answered with either the problems (path, line,
message) or the new results, computed with fewer draws so that they come back within
about a second. Saving writes the YAML atomically and keeps the previous file as
``NAME.bak``.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from alliances.analysis.wedge import compile_model, wedge
from alliances.errors import AlliancesError, ScenarioError
from alliances.scenario import Scenario, builtin_names, dump_yaml, load, parse_yaml, save

__all__ = ["create_app"]

_PARAMS = ("value", "low", "mode", "high", "median", "p90")


class _Open(BaseModel):
    name: str


class _Edit(BaseModel):
    yaml: str
    input: str
    param: str
    value: float


class _Yaml(BaseModel):
    yaml: str


class _Save(BaseModel):
    yaml: str
    path: str


def _problems(error: AlliancesError) -> list[dict[str, Any]]:
    listed = getattr(error, "problems", None) or []
    if listed:
        return [{"path": p.path, "line": p.line, "message": p.message} for p in listed]
    return [{"path": "", "line": None, "message": str(error)}]


def _locate(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The quantity (as a dict) that the model input ``name`` refers to."""
    parts = name.split(".")
    if parts[0] == "bonds":
        bond = next(b for b in data["bonds"] if b["id"] == parts[1])
        return bond["sides"][parts[2]][parts[3]]
    if parts[:2] in (["question", "instruments"], ["question", "threats"]):
        item = next(i for i in data["question"][parts[1]] if i["id"] == parts[2])
        return item[parts[3]]
    node: Any = data
    for key in parts:
        node = node[key]
    return node


def _inputs(scenario: Scenario) -> list[dict[str, Any]]:
    model = compile_model(scenario)
    return [
        {
            "name": i.name,
            "description": i.description,
            "dist": i.quantity.dist,  # type: ignore[union-attr]
            "unit": i.quantity.unit,
            "params": {
                p: getattr(i.quantity, p)
                for p in _PARAMS
                if getattr(i.quantity, p, None) is not None
            },
            "source": i.quantity.source or i.quantity.assumption,
        }
        for i in model.inputs
    ]


def create_app(*, samples: int = 20_000, sobol: int = 256, seed: int = 0) -> FastAPI:
    """The workbench application (serve it with uvicorn on 127.0.0.1)."""
    app = FastAPI(title="alliances workbench")

    def answer(scenario: Scenario) -> dict[str, Any]:
        result = wedge(scenario, samples=samples, seed=seed, sobol_samples=sobol)
        summary = result.to_dict()
        return {
            "yaml": dump_yaml(scenario),
            "title": scenario.title,
            "inputs": _inputs(scenario),
            "result": {
                k: summary[k]
                for k in (
                    "flip_price",
                    "p_flip",
                    "offer",
                    "willingness_to_pay",
                    "drivers",
                    "warnings",
                )
            },
            "problems": [],
        }

    def parse(text: str) -> Scenario:
        return parse_yaml(text, file="workbench")

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return resources.files("alliances.web").joinpath("static/index.html").read_text("utf-8")

    @app.get("/plotly.js")
    def plotly_js() -> Response:
        from plotly.offline import get_plotlyjs

        return Response(get_plotlyjs(), media_type="application/javascript")

    @app.get("/api/builtins")
    def builtins() -> list[str]:
        return builtin_names()

    @app.post("/api/open")
    def open_scenario(body: _Open) -> JSONResponse:
        try:
            scenario = load(body.name)
        except AlliancesError as error:
            return JSONResponse({"problems": _problems(error)}, status_code=422)
        return JSONResponse({**answer(scenario), "path": body.name})

    @app.post("/api/run")
    def run(body: _Yaml) -> JSONResponse:
        try:
            scenario = parse(body.yaml)
        except ScenarioError as error:
            return JSONResponse({"problems": _problems(error)}, status_code=422)
        return JSONResponse(answer(scenario))

    @app.post("/api/edit")
    def edit(body: _Edit) -> JSONResponse:
        try:
            current = parse(body.yaml)
        except ScenarioError as error:
            return JSONResponse({"problems": _problems(error)}, status_code=422)
        data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
        try:
            quantity = _locate(data, body.input)
        except (KeyError, StopIteration, IndexError):
            raise HTTPException(404, f"no input {body.input!r} in the scenario") from None
        if body.param not in _PARAMS:
            raise HTTPException(422, f"param should be one of {', '.join(_PARAMS)}")
        quantity[body.param] = body.value
        try:
            edited = Scenario.model_validate(data)
        except Exception:
            try:
                parse(_dump_plain(data))
            except ScenarioError as error:
                problems = _problems(error)
                return JSONResponse({"problems": problems, "input": body.input}, status_code=422)
            raise
        return JSONResponse(answer(edited))

    @app.post("/api/save")
    def save_scenario(body: _Save) -> JSONResponse:
        try:
            scenario = parse(body.yaml)
        except ScenarioError as error:
            return JSONResponse({"problems": _problems(error)}, status_code=422)
        target = Path(body.path).expanduser()
        backup = None
        if target.exists():
            backup = target.with_name(target.name + ".bak")
            shutil.copy2(target, backup)
        save(scenario, target)
        return JSONResponse({"saved": str(target), "backup": str(backup) if backup else None})

    @app.post("/api/report")
    def report(body: _Yaml) -> Response:
        from alliances.report import render

        try:
            scenario = parse(body.yaml)
        except ScenarioError as error:
            return JSONResponse({"problems": _problems(error)}, status_code=422)
        result = wedge(scenario, samples=samples * 5, seed=seed)
        html = render(scenario, result)
        headers = {"Content-Disposition": f'attachment; filename="{scenario.id}-report.html"'}
        return Response(html, media_type="text/html", headers=headers)

    return app


def _dump_plain(data: dict[str, Any]) -> str:
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()
