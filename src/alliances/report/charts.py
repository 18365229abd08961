"""The report's charts: interactive (Plotly, inlined) and static (matplotlib, PNG/SVG).

The charts of the wedge answer and of the network are drawn by :mod:`alliances.plotting`
(the workbench and ``WedgeResult.plot()`` draw the same): its Plotly backend for the page,
its Matplotlib backend for the static figures; so is the time series of the target and
the partner (:func:`profile`). This module adds the HTML fragments, the words for
numbers, and the files of the static figures for papers (300 dpi PNG and SVG).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from alliances import plotting
from alliances._files import atomic_path
from alliances.analysis.wedge import WedgeResult
from alliances.scenario.model import Scenario

__all__ = [
    "DPI",
    "PLOT_CONFIG",
    "bn",
    "profile",
    "quantity_text",
    "static_figures",
    "to_html",
]

DPI = 300
"""Resolution of the PNG figures (print)."""

PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "displayModeBar": "hover",  # shown on hover only, in the margin above the title
    "responsive": True,
    "toImageButtonOptions": {"format": "svg"},
}
"""Plotly's configuration for every interactive chart (report and workbench)."""


def bn(value: Any) -> str:
    """USD in billions with one decimal; a share with three; ∞ and n/a in words."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return "n/a"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    if isinstance(value, float) and abs(value) < 1:
        return f"{value:.3f}"
    return f"{value / 1e9:,.1f}"


def quantity_text(q: Any) -> str:
    """A quantity in plain words ("7.5 USD bn a year", "2 to 3 USD bn a year, most likely 2")."""
    from alliances.scenario.labels import describe

    return str(describe(q))


def profile(series: pd.DataFrame, target: str, partner: str) -> go.Figure:
    """The pair over the years, three small multiples with their own axes (Plotly).

    Drawn by :func:`alliances.plotting.profile_chart`, which draws it with Matplotlib too.
    """
    return plotting.profile_chart(series, target, partner, backend="plotly")


def to_html(fig: go.Figure, *, first: bool, div_id: str | None = None) -> str:
    """The figure as an HTML fragment; the first carries Plotly's script inline.

    ``div_id`` fixes the element's id (Plotly draws a random one otherwise).
    """
    return str(
        fig.to_html(
            full_html=False, include_plotlyjs=bool(first), config=PLOT_CONFIG, div_id=div_id
        )
    )


# --- static figures ---------------------------------------------------------------------


def static_figures(scenario: Scenario, result: WedgeResult, out: Path) -> list[Path]:
    """PNG (300 dpi) and SVG of the flip price, P(flip | offer), drivers and network.

    Drawn by :mod:`alliances.plotting` with its Matplotlib backend (no display, no
    pyplot); the flip price's title names the scenario.
    """
    drawn = plotting.figures(result, backend="matplotlib")
    drawn["histogram"].axes[0].set_title(f"{scenario.title}\nflip price O*")
    written: list[Path] = []
    for name, fig in (
        ("flip_price", drawn["histogram"]),
        ("p_flip", drawn["curve"]),
        ("drivers", drawn["drivers"]),
        ("network", plotting.network_chart(scenario, backend="matplotlib")),
    ):
        for ext in ("png", "svg"):
            path = out / f"{name}.{ext}"
            with atomic_path(path) as tmp:
                fig.savefig(
                    tmp,
                    format=ext,
                    dpi=DPI,
                    bbox_inches="tight",
                    metadata={"Software": None} if ext == "png" else {"Date": None},
                )
            written.append(path)
    return written
