"""The workbench's answers: results (or problems) as JSON.

Every answer is valid JSON (NaN and infinities become ``null``, :class:`JSONAnswer`).
A scenario is answered by :meth:`Pricing.answer` with its results, computed with fewer
draws than the command line's so that they come back within about a second: the
YAML, the model's inputs, the wedge price, the charts and the structure the form lists.
Errors become problems (422); unexpected errors a generic 500 message, never a traceback
(:data:`ERROR_ANSWERS`).

Every answer is grounded in the world data store as the command line grounds it
(:func:`_price`) and says so (``grounded.statement``).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from alliances import plotting as wedge_figures
from alliances._files import json_ready
from alliances.analysis.wedge import compile_model
from alliances.errors import AlliancesError
from alliances.scenario import Scenario, dump_yaml
from alliances.scenario.labels import words
from alliances.scenario.quantity import PARAMETERS
from alliances.studies.pricing import Priced, price
from alliances.web.problems import Refused, problem, problems

__all__ = [
    "ERROR_ANSWERS",
    "MAX_BONDS",
    "MAX_INPUTS",
    "JSONAnswer",
    "Pricing",
    "failure",
    "figure",
    "inputs",
    "structure",
]

MAX_BONDS = 300
"""The most bonds of a scenario the workbench answers (300 take about 2.5 s, the built-in
scenario's 11 about 2 s)."""
MAX_INPUTS = 100
"""The most uncertain inputs of a scenario the workbench answers: each priced bond has
five, the built-in scenario 39; 100 take about 3 s, and the cost of their Sobol' indices
grows with the square of the number (140 take 6 s, 190 16 s, 7,000 more memory than
there is)."""

_RESULT_KEYS = (
    "flip_price",
    "p_flip",
    "offer",
    "willingness_to_pay",
    "drivers",
    "warnings",
    "grounded",
    "calibrated",
)


class JSONAnswer(JSONResponse):
    """JSON that is always standard: NaN and infinities become ``null``."""

    def render(self, content: Any) -> bytes:
        """``content`` as compact UTF-8 JSON, non-finite numbers as ``null``."""
        return json.dumps(
            json_ready(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def failure(status: int, message: str, path: str = "", **extra: Any) -> JSONAnswer:
    """An answer with one problem, ``message`` (also given alone), and ``extra`` keys."""
    return JSONAnswer(
        {"problems": [problem(message, path)], "message": message, **extra}, status_code=status
    )


def _price(scenario: Scenario, **options: Any) -> Priced:
    """The wedge price of ``scenario`` grounded as the command line grounds it.

    :func:`alliances.studies.pricing.price` with ``options`` (``store``, ``samples``,
    ``seed``, …): the grounded scenario, each query's grounding and the result.
    """
    return price(scenario, **options)


def check_scale(scenario: Scenario) -> None:
    """Refuse (422) a scenario larger than the workbench answers within seconds."""
    bonds = len(scenario.bonds)
    uncertain = len(compile_model(scenario).inputs) if bonds <= MAX_BONDS else 0
    if bonds > MAX_BONDS or uncertain > MAX_INPUTS:
        found = f"{bonds:,} bonds" if bonds > MAX_BONDS else f"{uncertain:,} uncertain inputs"
        msg = (
            f"the scenario has {found}; the workbench answers scenarios of at most "
            f"{MAX_BONDS} bonds and {MAX_INPUTS} uncertain inputs (five per priced bond) "
            "within seconds; price it on the command line (`alliances wedge FILE`)"
        )
        raise Refused(422, msg)


def figure(fig: Any) -> dict[str, Any]:
    """A Plotly figure as the page's ``Plotly.react`` takes it (data and layout)."""
    shown: dict[str, Any] = json.loads(fig.to_json())
    return {"data": shown.get("data", []), "layout": shown.get("layout", {})}


def inputs(scenario: Scenario, result: Any = None) -> list[dict[str, Any]]:
    """The model's inputs as the page's sliders show them (labels from ``result``); an
    input the store grounded says so (``grounded``: the value used and its source), for
    its fields do not move the price."""
    model = compile_model(scenario)
    labels = wedge_figures.input_labels(result) if result is not None else {}
    queries = (getattr(result, "grounded", None) or {}).get("queries", [])
    grounded = {
        f"bonds.{q['bond']}.{q['side']}.{q['field']}": {"value": q["value"], "source": q["source"]}
        for q in queries
        if q.get("grounded")
    }
    return [
        {
            "grounded": grounded.get(i.name),
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


def structure(scenario: Scenario) -> dict[str, Any]:
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


@dataclass(frozen=True)
class Pricing:
    """How the workbench prices a scenario: the store, the draws and the seed.

    Parameters
    ----------
    store : Path or None
        The store every answer is grounded in, or None to answer without one.
    why_no_store : str
        Without a store, why (the grounding's statement says so).
    samples, sobol : int
        The draws of the live answers and of their Sobol' indices.
    seed : int
        The seed of every answer and of the report.
    report_samples : int
        The draws of the report downloaded (``alliances report``'s default).
    """

    store: Path | None
    why_no_store: str
    samples: int = 20_000
    sobol: int = 256
    seed: int = 0
    report_samples: int = 100_000

    @contextlib.contextmanager
    def connection(self) -> Iterator[Any]:
        """A read-only connection to the store for one request (None without a store)."""
        if self.store is None:
            yield None
            return
        from alliances.world import connect

        con = connect(self.store)
        try:
            yield con
        finally:
            con.close()

    def answer(self, scenario: Scenario, *, text: str | None = None, **extra: Any) -> JSONAnswer:
        """The results of ``scenario`` as the page shows them, with ``extra`` keys.

        ``text`` is the scenario's YAML as the page is to hold it (the file's own, with its
        comments), if it reads as ``scenario``; by default the scenario written afresh.
        A scenario that gives no result is a 422 with its problems (and ``extra``); one
        larger than :data:`MAX_BONDS` or :data:`MAX_INPUTS` a 422 saying the limits.
        """
        try:
            check_scale(scenario)
            # extreme (finite) values overflow to inf or NaN, which answers show as null
            with np.errstate(all="ignore"), self.connection() as con:
                priced = _price(
                    scenario,
                    store=con,
                    samples=self.samples,
                    seed=self.seed,
                    sobol_samples=self.sobol,
                    why_no_store=self.why_no_store,
                )
                result = priced.result
                summary = result.to_dict()
                charts = {name: figure(fig) for name, fig in wedge_figures.figures(result).items()}
                charts["network"] = figure(wedge_figures.network_chart(scenario))
            listed = inputs(scenario, result)
        except AlliancesError as error:
            return JSONAnswer({"problems": problems(error), **extra}, status_code=422)
        except (ArithmeticError, ValueError) as error:
            msg = f"these values give no result ({type(error).__name__}); try others"
            return failure(422, msg, **extra)
        return JSONAnswer(
            {
                "yaml": dump_yaml(scenario) if text is None else text,
                "title": scenario.title,
                "inputs": listed,
                "result": {k: summary[k] for k in _RESULT_KEYS if k in summary},
                "grounded": result.grounded,
                "figures": charts,
                "structure": structure(scenario),
                "problems": [],
                **extra,
            }
        )

    def report(self, scenario: Scenario) -> str:
        """What ``alliances report`` writes for ``scenario``: :func:`build_report`, rendered.

        With :attr:`report_samples` draws and the same seed and store, so the two files
        are the same but for their time stamp.
        """
        from alliances.report import render
        from alliances.studies.reporting import build_report

        check_scale(scenario)
        with np.errstate(all="ignore"), self.connection() as con:
            report = build_report(
                scenario,
                store=con,
                samples=self.report_samples,
                seed=self.seed,
                why_no_store=self.why_no_store,
            )
        return render(report)


async def _invalid_request(request: Request, error: RequestValidationError) -> Response:
    listed = [
        problem(
            str(detail.get("msg", "invalid value")),
            ".".join(str(k) for k in detail.get("loc", ()) if k != "body"),
        )
        for detail in error.errors()
    ]
    message = "; ".join(f"{p['path'] or 'body'}: {p['message']}" for p in listed)
    return JSONAnswer({"problems": listed, "message": message}, status_code=422)


async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    return failure(error.status_code, str(error.detail))


async def _refused(request: Request, error: Refused) -> Response:
    return failure(error.status, error.message)


async def _unexpected(request: Request, error: Exception) -> Response:
    return failure(500, "internal error in the workbench; the server's log has the details")


ERROR_ANSWERS: dict[
    int | type[Exception], Callable[[Request, Any], Coroutine[Any, Any, Response]]
] = {
    RequestValidationError: _invalid_request,
    StarletteHTTPException: _http_error,
    Refused: _refused,
    Exception: _unexpected,
}
"""The app's exception handlers: each kind of error as a JSON answer, never a traceback."""
