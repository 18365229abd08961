"""The self-contained HTML report of a scenario (``alliances report``).

One file that opens with no network: Plotly's script and every style are inlined, every
text from the user's scenario is escaped (Jinja2 autoescaping), and every number shown
comes with its source, distribution or the assumption it rests on. ``figures`` writes the
same charts as PNG and SVG with matplotlib, for papers.

The report takes results, never a connection to the store: a
:class:`~alliances.studies.reporting.Report` from
:func:`alliances.studies.reporting.build_report` (the scenario grounded and priced, and
what the store adds: the time series of the target and the partner, the datasets
table), or a scenario and its wedge result with, optionally, their grounding and a
:class:`~alliances.studies.reporting.ReportData`. ``render(build_report(scenario,
store=...))`` is the whole of ``alliances report`` but for the writing of the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from markupsafe import Markup, escape

from alliances import __version__
from alliances._files import atomic_write
from alliances.analysis.alignment import landscape, scenario_network
from alliances.analysis.wedge import WedgeResult
from alliances.plotting import input_labels, network_chart, network_layout, plot
from alliances.report import charts
from alliances.report._page import environment, page_parts
from alliances.scenario.labels import actor_name, words
from alliances.scenario.model import Scenario
from alliances.studies.backtest.calibration import skill_statement
from alliances.studies.reporting import Report

if TYPE_CHECKING:
    import duckdb

    from alliances.studies.reporting import ReportData

__all__ = ["render", "write", "write_figures"]


@overload
def render(scenario: Report, /) -> str: ...


@overload
def render(
    scenario: Scenario,
    result: WedgeResult,
    *,
    grounding: list[Any] | None = None,
    data: ReportData | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    statement: str | None = None,
) -> str: ...


def render(
    scenario: Report | Scenario,
    result: WedgeResult | None = None,
    *,
    grounding: list[Any] | None = None,
    data: ReportData | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    statement: str | None = None,
) -> str:
    """The report of ``scenario`` and its wedge ``result`` as one HTML string.

    ``render(report)`` takes a :class:`~alliances.studies.reporting.Report`
    (:func:`alliances.studies.reporting.build_report`): its grounded scenario, result,
    grounding and store data. This is what ``alliances report`` and the workbench do.

    ``grounding`` lists what happened to the scenario's ``derive`` queries
    (:func:`alliances.studies.ground`); ``data`` is what the store adds (time series,
    datasets), from :func:`alliances.studies.reporting.report_data`. Without them the
    report shows the scenario's own figures only. ``statement`` is the sentence saying
    whether and how the scenario was grounded (by default the result's own,
    ``result.grounded["statement"]``).

    ``con`` is kept for callers that still pass a connection: it is turned into ``data``
    by :func:`~alliances.studies.reporting.report_data` (ignored when ``data`` is
    given). Pass ``data`` instead.

    The same inputs give the same text but for the line "generated ..." (the charts'
    element ids are fixed, not random).
    """
    if isinstance(scenario, Report):
        report = scenario
        scenario, result = report.scenario, report.result
        grounding, data = report.grounding, report.data
    if result is None:
        msg = "render() takes a Report, or a scenario and its wedge result"
        raise TypeError(msg)

    if data is None and con is not None:
        from alliances.studies.reporting import report_data

        data = report_data(scenario, con)

    names = {a.id: a.label for a in scenario.actors}
    said = {a.id: actor_name(scenario, a.id) for a in scenario.actors}
    sizes, ties = scenario_network(scenario)
    alignment = landscape(sizes, ties) if 1 < len(sizes) <= 22 else None
    figures = {
        "network": network_chart(
            scenario,
            layout=network_layout(
                scenario, blocs=None if alignment is None else alignment.blocs()
            ),
        ),
        "flip_price": plot(result, "histogram"),
        "p_flip": plot(result, "curve"),
        "drivers": plot(result, "drivers"),
    }
    profile = None if data is None else data.series
    if profile is not None and profile.empty:
        profile = None
    if profile is not None:
        figures["profile"] = charts.profile(profile, names[result.target], names[result.partner])
    datasets = None if data is None else data.datasets
    html_figures = {
        k: charts.to_html(fig, first=(k == "network"), div_id=f"chart-{k}")
        for k, fig in figures.items()
    }
    template = environment().get_template("report.html")
    hashes = (
        {}
        if datasets is None or not {"name", "sha256"} <= set(datasets.columns)
        else {str(k): str(v) for k, v in zip(datasets["name"], datasets["sha256"], strict=True)}
    )
    inputs = result.inputs.reset_index()
    labels = input_labels(result)
    if "label" not in inputs.columns:
        inputs["label"] = inputs["input"].map(labels)
    if "display" not in inputs.columns:
        inputs["display"] = None
    if statement is None:
        statement = str(getattr(result, "grounded", {}).get("statement", ""))
    bonds = {b.id: b for b in scenario.bonds}
    calibrated = getattr(result, "calibrated", None)
    return template.render(
        skill="" if calibrated is None else skill_statement(calibrated["track_record"]),
        calibration_notes=[] if calibrated is None else calibrated.get("warnings", []),
        scenario=scenario,
        names=names,
        said=said,
        result=result,
        fp={k: charts.bn(v) for k, v in result.flip_price.items()},
        offer=result.offer,
        divider=result.willingness_to_pay,
        figures=html_figures,
        inputs=[
            {**row, "source": _full_hashes(row["source"], hashes)}
            if isinstance(row.get("source"), str)
            else row
            for row in inputs.replace({np.nan: None}).to_dict(orient="records")
        ],
        drivers=[
            {"label": str(r.get("label") or labels.get(r["input"], r["input"])), **r}
            for r in result.drivers.head(12).to_dict(orient="records")
        ],
        context=[
            {
                "id": c.id,
                "description": c.description,
                "value": charts.quantity_text(c.value),
                "source": _source_text(scenario, c.value.source),
                "note": c.value.note,
            }
            for c in scenario.context
        ],
        sources=[_source_entry(s, hashes) for s in result.sources],
        references=scenario.references,
        warnings=result.warnings,
        statement=statement,
        grounding=[
            {
                **g.to_dict(),
                "source": _full_hashes(str(g.source or ""), hashes),
                "what": _bond_words(scenario, bonds.get(g.bond), g.bond),
                "side_name": names.get(g.side, g.side),
            }
            for g in grounding or []
        ],
        alignment=alignment,
        blocs=None
        if alignment is None
        else [[names.get(str(a), str(a)) for a in bloc] for bloc in alignment.blocs()],
        ties=ties.to_dict(orient="records"),
        profile=profile,
        datasets=None if datasets is None else datasets.to_dict(orient="records"),
        page=page_parts(),
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def _bond_words(scenario: Scenario, bond: Any, ident: str) -> str:
    return str(words(scenario, ident, getattr(bond, "description", None)))


def _source_text(scenario: Scenario, source: str | None) -> str:
    """A source as a reader reads it: reference keys (listed under Sources), others as written."""
    if not source:
        return ""
    parts = [" ".join(part.split()) for part in source.split(";")]
    return "; ".join(p for p in parts if p)


_SHORT_HASH = re.compile(r"\((?P<table>[\w.-]+), sha256 (?P<prefix>[0-9a-f]{8,63})\)")


def _full_hashes(text: str, hashes: dict[str, str]) -> Markup:
    """``text`` escaped, each "(table, sha256 <prefix>)" of a grounded figure's source
    given the dataset's whole SHA-256 from ``hashes`` (name: SHA-256, the store's datasets
    table), in a monospace span that may wrap; a prefix of another hash is left as it is.

    >>> text = _full_hashes("COW (trade, sha256 ab12cd34): x < y", {"trade": "ab12cd34" * 8})
    >>> "ab12cd34" * 8 in text, "x &lt; y" in text
    (True, True)
    """

    def whole(match: re.Match[str]) -> str:
        table, prefix = match["table"], match["prefix"]
        digest = hashes.get(table)
        if not digest or not str(digest).startswith(prefix):
            return match[0]
        digest = str(escape(digest))
        return f'({table}, SHA-256 <span class="hash" title="{digest}">{digest}</span>)'

    return Markup(_SHORT_HASH.sub(whole, str(escape(text))))


def _source_entry(source: dict[str, Any], hashes: dict[str, str]) -> dict[str, Any]:
    """A source of the result, its key shown only when it is a reference's key."""
    reference = source.get("reference", source.get("citation") != source.get("key"))
    return {
        "key": source["key"] if reference else None,
        "citation": _full_hashes(str(source.get("citation", source["key"])), hashes),
        "url": source.get("url"),
        "used_by": source.get("used_by_labels") or source.get("used_by") or [],
    }


def write(text: str, path: str | os.PathLike[str]) -> Path:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, renamed)."""
    return atomic_write(path, text)


def write_figures(
    scenario: Scenario, result: WedgeResult, folder: str | os.PathLike[str]
) -> list[Path]:
    """PNG (300 dpi) and SVG of each chart, drawn with matplotlib (no browser needed)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    return charts.static_figures(scenario, result, out)
