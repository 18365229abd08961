"""The self-contained HTML report of a scenario (``alliances report``).

One file that opens with no network: Plotly's script and every style are inlined, every
text from the user's scenario is escaped (Jinja2 autoescaping), and every number shown
comes with its source, distribution or the assumption it rests on. ``figures`` writes the
same charts as PNG and SVG with matplotlib, for papers.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from alliances import __version__
from alliances._files import atomic_write
from alliances.analysis.alignment import landscape, scenario_network
from alliances.analysis.wedge import WedgeResult
from alliances.report import charts
from alliances.scenario.model import Scenario

__all__ = ["render", "write", "write_figures"]


def _profile_series(
    con: duckdb.DuckDBPyConnection, target: str, partner: str, years: range
) -> pd.DataFrame:
    from alliances.studies.dyad_profile import dyad_profile

    rows = []
    for year in years:
        try:
            profile = dyad_profile(con, target, partner, year)
        except Exception:
            continue
        found = {r["measure"]: r for r in profile["rows"]}
        share = found.get("other's share of own trade", {})
        arms = next(
            (r for m, r in found.items() if m.startswith("other's share of own arms imports")), {}
        )
        agree = next((r for m, r in found.items() if m.startswith("UN votes: agree")), {})
        rows.append(
            {
                "year": year,
                "target_trade_share": share.get("a"),
                "partner_trade_share": share.get("b"),
                "target_arms_import_share": arms.get("a"),
                "partner_arms_import_share": arms.get("b"),
                "un_agreement": agree.get("a"),
            }
        )
    return pd.DataFrame(rows)


def render(
    scenario: Scenario,
    result: WedgeResult,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    grounding: list[Any] | None = None,
    years: range = range(1992, 2020),
) -> str:
    """The report as one HTML string."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    names = {a.id: a.label for a in scenario.actors}
    sizes, ties = scenario_network(scenario)
    alignment = landscape(sizes, ties) if 1 < len(sizes) <= 22 else None
    figures = {
        "network": charts.network(scenario, sizes, ties),
        "flip_price": charts.flip_price(result),
        "p_flip": charts.p_flip(result),
        "drivers": charts.drivers(result),
    }
    profile = None
    datasets = None
    country = {a.id: a.country for a in scenario.actors}
    target, partner = country.get(result.target), country.get(result.partner)
    if con is not None and target is not None and partner is not None:
        series = _profile_series(con, target.code, partner.code, years)
        if not series.empty:
            profile = series
            figures["profile"] = charts.profile(
                series, names[result.target], names[result.partner]
            )
        datasets = con.execute(
            "SELECT name, title, version, citation, sha256 FROM datasets ORDER BY name"
        ).df()
    html_figures = {k: charts.to_html(fig, first=(k == "network")) for k, fig in figures.items()}
    env = Environment(
        loader=PackageLoader("alliances.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    template = env.get_template("report.html")
    inputs = result.inputs.reset_index()
    return template.render(
        scenario=scenario,
        names=names,
        result=result,
        fp={k: charts.bn(v) for k, v in result.flip_price.items()},
        offer=result.offer,
        divider=result.divider,
        figures=html_figures,
        inputs=inputs.replace({np.nan: None}).to_dict(orient="records"),
        context=[
            {
                "id": c.id,
                "description": c.description,
                "value": charts.quantity_text(c.value),
                "source": c.value.source,
                "note": c.value.note,
            }
            for c in scenario.context
        ],
        sources=result.sources,
        references=scenario.references,
        warnings=result.warnings,
        grounding=[g.to_dict() for g in grounding or []],
        alignment=alignment,
        ties=ties.to_dict(orient="records"),
        profile=profile,
        datasets=None if datasets is None else datasets.to_dict(orient="records"),
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write(text: str, path: str | os.PathLike[str]) -> Path:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, renamed)."""
    return atomic_write(path, text)


def write_figures(
    scenario: Scenario, result: WedgeResult, folder: str | os.PathLike[str]
) -> list[Path]:
    """PNG and SVG of each chart, drawn with matplotlib (no browser needed)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    sizes, ties = scenario_network(scenario)
    return charts.static_figures(scenario, sizes, ties, result, out)
