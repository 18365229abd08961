"""The report's charts: interactive (Plotly, inlined) and static (matplotlib, PNG/SVG).

The charts of the wedge answer and of the network are drawn by :mod:`alliances.plotting`
(the workbench and ``WedgeResult.plot()`` draw the same): its Plotly backend for the page,
its Matplotlib backend for the static figures. This module adds the time series of the
target and the partner, the HTML fragments, the words for numbers, and the files of the
static figures for papers (300 dpi PNG and SVG).
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
    """The pair over the years, as three small multiples with their own axes.

    UN agreement (0 to 1), the trade shares (often well under 1%) and the arms-import
    shares (often over 50%) would flatten one another on one axis.
    """
    from plotly.subplots import make_subplots

    panels = [
        (
            "Agreement in UN General Assembly votes",
            "votes alike",
            [("un_agreement", f"{target} and {partner}")],
            ".0%",
        ),
        (
            "Trade: each side's share of the other in its total trade",
            "of total trade",
            [
                ("target_trade_share", f"{partner} in {target}'s trade"),
                ("partner_trade_share", f"{target} in {partner}'s trade"),
            ],
            ".1%",
        ),
        (
            "Arms imports over five years: the other's share",
            "of arms imports",
            [
                ("target_arms_import_share", f"{partner} in {target}'s arms imports"),
                ("partner_arms_import_share", f"{target} in {partner}'s arms imports"),
            ],
            ".0%",
        ),
    ]
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=[p[0] for p in panels],
    )
    gap = 0.12 * (len(panels) - 1)
    height = (1 - gap) / len(panels)
    legends: dict[str, Any] = {}
    colours = ("#2166ac", "#d95f02")
    for row, (_, axis, columns, fmt) in enumerate(panels, start=1):
        # one legend beside each panel, at its top
        legend = "legend" if row == 1 else f"legend{row}"
        legends[legend] = {"x": 1.01, "y": 1 - (row - 1) * (height + 0.12), "yanchor": "top"}
        for k, (column, name) in enumerate(columns):
            if column not in series.columns:
                continue
            fig.add_trace(
                go.Scatter(
                    x=series["year"],
                    y=series[column],
                    name=name,
                    mode="lines+markers",
                    line={"color": colours[k % 2]},
                    hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{name}</extra>",
                    legend=legend,
                ),
                row=row,
                col=1,
            )
        fig.update_yaxes(title_text=axis, tickformat=fmt, rangemode="tozero", row=row, col=1)
    fig.update_xaxes(title_text="year", row=len(panels), col=1)
    fig.update_layout(
        title={
            "text": f"{target} and {partner} over time<br><sup>COW trade 4.0, SIPRI arms "
            "transfers (TIV), UN General Assembly roll calls; years the data cover</sup>",
            "x": 0.0,
            "xanchor": "left",
        },
        template="plotly_white",
        margin={"t": 100, "l": 80, "r": 30, "b": 60},
        height=760,
        **legends,
    )
    return fig


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
