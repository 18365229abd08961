"""The report's charts: interactive (Plotly, inlined) and static (matplotlib, PNG/SVG).

The interactive charts of the wedge answer and of the network are those of
:mod:`alliances.analysis.wedge.figures` (the workbench and ``WedgeResult.plot()`` draw the
same); this module adds the time series of the target and the partner, the HTML fragments,
the words for numbers, and the static figures for papers (300 dpi PNG and SVG).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from alliances._files import atomic_path
from alliances.analysis.wedge import WedgeResult
from alliances.analysis.wedge import figures as wf
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
    """PNG (300 dpi) and SVG of the flip price, P(flip | offer), drivers and network."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
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
        plt.close(fig)

    offer = float(result.offer["value"]) / 1e9
    median = float(result.flip_price["p50"]) / 1e9

    # the flip price
    fig, ax = plt.subplots(figsize=(7, 4))
    if "flip_price" in result.draws.columns:
        price = result.draws["flip_price"].to_numpy(dtype=float) / 1e9
        edges = wf.histogram_bins(price)
        finite = price[np.isfinite(price)]
        weights = np.full(finite.size, 1.0 / max(price.size, 1))
        ax.hist(finite, bins=edges.tolist(), weights=weights, color="#6b8fbf")
        beyond = float(np.mean(np.isfinite(price) & (price > edges[-1])))
        ax.text(
            0.99,
            0.97,
            f"{len(edges) - 1} Freedman–Diaconis bins\n{beyond:.1%} of draws above "
            f"{edges[-1]:,.0f} bn not drawn",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
        )
    ax.axvline(median, color="#222222", linestyle="--", label=f"median {median:,.0f} bn")
    ax.axvline(offer, color="#d95f02", linestyle=":", label=f"offer {offer:,.0f} bn")
    ax.set(
        xlabel="flip price O*, USD bn (present value)",
        ylabel="share of draws",
        title=f"{scenario.title}\nflip price O*",
    )
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
    ax.legend(loc="center right", fontsize=8)
    save(fig, "flip_price")

    # P(flip | offer) and the divider's willingness to pay
    fig, ax = plt.subplots(figsize=(7, 4))
    grid = result.p_flip["offer"].to_numpy(dtype=float) / 1e9
    ax.plot(grid, result.p_flip["p"], color="#2166ac", lw=2, label="P(flip | offer)")
    willing = wf.willingness_to_pay(result)
    if willing is not None:
        ax.plot(grid, willing, color="#d95f02", ls="--", label="P(divider would pay this much)")
    at = float(result.offer["p_flip"])
    ax.axvline(offer, linestyle=":", color="grey", label=f"offer evaluated, {offer:,.0f} bn")
    ax.plot([offer], [at], "D", color="#222222")
    ax.annotate(f"P(flip) {at:.2f}", (offer, at), xytext=(6, -4), textcoords="offset points")
    right = max(offer, float(result.divider["max_offer_p50"]) / 1e9)
    right = max(right, float(result.flip_price["p95"]) / 1e9) * 1.15
    if np.isfinite(right) and right > 0:
        ax.set_xlim(0, min(right, float(grid.max())))
    ax.set(
        xlabel="offer O, USD bn (present value)",
        ylabel="probability",
        ylim=(0, 1.02),
        title="Chance the target leaves, by the size of the offer",
    )
    ax.legend(fontsize=8)
    save(fig, "p_flip")

    # drivers
    table = result.drivers.head(12).iloc[::-1]
    labels = wf.input_labels(result)
    names = [
        str(r["label"]) if isinstance(r.get("label"), str) else labels.get(r["input"], "")
        for _, r in table.iterrows()
    ]
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.38 * max(len(table), 1)))
    y = np.arange(len(table))
    if len(table):
        ax.barh(y - 0.2, table["S1"], height=0.4, color="#9ecae1", label="first order S1")
        ax.barh(y + 0.2, table["ST"], height=0.4, color="#08519c", label="total ST")
    ax.set_yticks(y, names, fontsize=8)
    ax.set(
        xlabel="Sobol' index of the rank of O* (0 to 1, no unit)",
        title="What drives the flip price",
    )
    ax.legend(fontsize=8, loc="lower right")
    save(fig, "drivers")

    # network
    lay = wf.network_layout(scenario)
    fig, ax = plt.subplots(figsize=(9, 6))
    for _, e in lay.edges.iterrows():
        (x0, y0), (x1, y1) = lay.positions[e["source"]], lay.positions[e["target"]]
        length = float(np.hypot(x1 - x0, y1 - y0)) or 1.0
        ox, oy = -(y1 - y0) / length * 0.01 * e["offset"], (x1 - x0) / length * 0.01 * e["offset"]
        membership = e["kind"] == "membership"
        ax.plot(
            [x0 + ox, x1 + ox],
            [y0 + oy, y1 + oy],
            color=wf.KIND_COLOURS.get(str(e["kind"]), "#999999"),
            linestyle=":" if membership else ("--" if e["sign"] < 0 else "-"),
            linewidth=0.7 if membership else 0.8 + 2.0 * min(float(e["weight"]), 1.6),
            alpha=0.6 if membership else 0.9,
            zorder=1,
        )
    colours = {0: "#d95f02", 1: "#1b9e77", None: "#bdbdbd"}
    for actor, (px, py) in lay.positions.items():
        organisation = actor in lay.organisations
        ax.scatter(
            [px],
            [py],
            s=70,
            marker="s" if organisation else "o",
            c="white" if organisation else colours[lay.bloc.get(actor)],
            edgecolors="#333333",
            zorder=2,
        )
        below = wf.label_side(lay, actor).startswith("bottom")
        ax.annotate(
            lay.labels[actor],
            (px, py),
            xytext=(0, -9 if below else 9),
            textcoords="offset points",
            ha="center",
            va="top" if below else "bottom",
            fontsize=8,
            zorder=3,
        )
    handles = [
        Line2D([], [], color=wf.KIND_COLOURS[k], lw=2, label=f"{k} bond")
        for k in ("military", "economic", "political")
    ]
    handles += [
        Line2D([], [], color=wf.KIND_COLOURS["membership"], ls=":", label="membership"),
        Line2D([], [], color="#444444", ls="--", label="negative (dashed)"),
        Line2D([], [], color="#444444", lw=3, label="width: weight"),
        Line2D([], [], marker="o", ls="", color=colours[0], label=lay.bloc_names[0]),
        Line2D([], [], marker="o", ls="", color=colours[1], label=lay.bloc_names[1]),
        Line2D([], [], marker="o", ls="", color=colours[None], label="state without a bond"),
        Line2D([], [], marker="s", ls="", mfc="white", mec="#333333", label="organisation (bloc)"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_axis_off()
    ax.set(title="The system: actors, blocs (landscape of least energy) and bonds")
    save(fig, "network")
    return written
