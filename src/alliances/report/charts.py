"""The report's charts: interactive (Plotly, inlined) and static (matplotlib, PNG/SVG)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from alliances._files import atomic_path
from alliances.analysis.alignment import to_networkx
from alliances.analysis.wedge import WedgeResult
from alliances.scenario.model import Scenario

_KIND_COLOUR = {"military": "#b2182b", "economic": "#2166ac", "political": "#5e3c99"}


def bn(value: Any) -> str:
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
    params = [
        f"{p}={getattr(q, p)}"
        for p in ("value", "low", "mode", "high", "median", "p90")
        if getattr(q, p, None) is not None
    ]
    return f"{q.dist}({', '.join(params)}) {q.unit or ''}".strip()


def _layout(graph: nx.Graph) -> dict[Any, np.ndarray]:
    return nx.spring_layout(graph, seed=1, weight=None) if graph.number_of_nodes() else {}


def network(scenario: Scenario, sizes: pd.Series, ties: pd.DataFrame) -> go.Figure:
    """Actors and bonds: colour by kind, dashed for negative ties, width by weight."""
    graph = to_networkx(sizes, ties)
    for actor in scenario.actors:
        graph.add_node(actor.id, size=1.0)
    for m in scenario.memberships:
        graph.add_edge(m.member, m.bloc, p=0.5, sign=1, weight=0.5, reasons=f"{m.status} of")
    pos = _layout(graph)
    kinds = {b.id: b.kind for b in scenario.bonds}
    fig = go.Figure()
    for a, b, data in graph.edges(data=True):
        kind = next(
            (
                kinds[k.split(" (")[0]]
                for k in str(data.get("reasons", "")).split(", ")
                if k.split(" (")[0] in kinds
            ),
            None,
        )
        fig.add_trace(
            go.Scatter(
                x=[pos[a][0], pos[b][0]],
                y=[pos[a][1], pos[b][1]],
                mode="lines",
                line={
                    "width": 1 + 2 * min(float(data.get("weight", 1)), 3),
                    "color": _KIND_COLOUR.get(kind or "", "#999999"),
                    "dash": "dash" if data.get("sign", 1) < 0 else "solid",
                },
                hoverinfo="text",
                text=f"{a}–{b}: {data.get('reasons', '')}",
                showlegend=False,
            )
        )
    labels = {a.id: a.label for a in scenario.actors}
    organisations = {a.id for a in scenario.actors if a.organisation}
    nodes = list(graph.nodes)
    fig.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in nodes],
            y=[pos[n][1] for n in nodes],
            mode="markers+text",
            text=[str(n) for n in nodes],
            textposition="top center",
            hovertext=[labels.get(n, str(n)) for n in nodes],
            hoverinfo="text",
            marker={
                "size": [22 if n in organisations else 14 for n in nodes],
                "symbol": ["square" if n in organisations else "circle" for n in nodes],
                "color": ["#cccccc" if n in organisations else "#333333" for n in nodes],
            },
            showlegend=False,
        )
    )
    fig.update_layout(
        title="The system: actors, blocs and bonds (dashed: negative)",
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=480,
    )
    return fig


def flip_price(result: WedgeResult) -> go.Figure:
    price = result.draws["flip_price"].to_numpy()
    finite = price[np.isfinite(price)] / 1e9
    fig = go.Figure(go.Histogram(x=finite, nbinsx=80, marker_color="#2166ac"))
    for q in ("p05", "p50", "p95"):
        fig.add_vline(
            x=result.flip_price[q] / 1e9,
            line_dash="dot",
            annotation_text=q,
            annotation_position="top",
        )
    fig.update_layout(
        title="Flip price O* (USD bn, present value; axis to the 99th centile)",
        xaxis_title="USD bn",
        xaxis_range=[0, float(np.quantile(finite, 0.99)) if finite.size else 1.0],
        yaxis_title="draws",
        height=380,
    )
    return fig


def p_flip(result: WedgeResult) -> go.Figure:
    offers = result.p_flip["offer"] / 1e9
    fig = go.Figure(go.Scatter(x=offers, y=result.p_flip["p"], name="P(flip | offer)"))
    most = np.sort(result.draws["max_offer"].to_numpy())
    willing = 1.0 - np.searchsorted(most, result.p_flip["offer"].to_numpy()) / most.size
    fig.add_trace(
        go.Scatter(
            x=offers, y=willing, name="P(divider would pay this much)", line={"dash": "dash"}
        )
    )
    fig.add_vline(
        x=result.offer["value"] / 1e9, line_dash="dot", annotation_text="offer evaluated"
    )
    fig.update_layout(
        title="P(flip | offer) and the divider's willingness to pay",
        xaxis_title="offer, USD bn (present value)",
        yaxis_title="probability",
        yaxis_range=[0, 1],
        height=380,
    )
    return fig


def drivers(result: WedgeResult) -> go.Figure:
    table = result.drivers.head(12).iloc[::-1]
    fig = go.Figure(
        [
            go.Bar(y=table["input"], x=table["S1"], orientation="h", name="first order S1"),
            go.Bar(y=table["input"], x=table["ST"], orientation="h", name="total ST"),
        ]
    )
    fig.update_layout(
        title="Drivers of O* (Sobol' indices of its rank)",
        barmode="group",
        height=120 + 28 * len(table),
        margin={"l": 330},
    )
    return fig


def profile(series: pd.DataFrame, target: str, partner: str) -> go.Figure:
    fig = go.Figure()
    labels = {
        "target_trade_share": f"{partner}'s share of {target}'s trade",
        "partner_trade_share": f"{target}'s share of {partner}'s trade",
        "target_arms_import_share": f"{partner}'s share of {target}'s arms imports (5 yr)",
        "partner_arms_import_share": f"{target}'s share of {partner}'s arms imports (5 yr)",
        "un_agreement": "UN vote agreement",
    }
    for column, label in labels.items():
        fig.add_trace(
            go.Scatter(x=series["year"], y=series[column], name=label, mode="lines+markers")
        )
    fig.update_layout(
        title=f"{target} and {partner} over time (COW trade, SIPRI, UN votes)",
        yaxis_title="share",
        height=420,
    )
    return fig


def to_html(fig: go.Figure, *, first: bool) -> str:
    """The figure as an HTML fragment; the first carries Plotly's script inline."""
    return fig.to_html(
        full_html=False, include_plotlyjs=bool(first), config={"displaylogo": False}
    )


def static_figures(
    scenario: Scenario, sizes: pd.Series, ties: pd.DataFrame, result: WedgeResult, out: Path
) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
        for ext in ("png", "svg"):
            path = out / f"{name}.{ext}"
            with atomic_path(path) as tmp:
                fig.savefig(
                    tmp,
                    format=ext,
                    dpi=150,
                    bbox_inches="tight",
                    metadata=None if ext == "png" else {"Date": None},
                )
            written.append(path)
        plt.close(fig)

    price = result.draws["flip_price"].to_numpy()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(price[np.isfinite(price)] / 1e9, bins=80, color="#2166ac")
    ax.set(
        xlabel="flip price O*, USD bn (present value)",
        ylabel="draws",
        title=f"{scenario.title}: flip price",
    )
    save(fig, "flip_price")

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(result.p_flip["offer"] / 1e9, result.p_flip["p"], label="P(flip | offer)")
    ax.axvline(result.offer["value"] / 1e9, linestyle=":", color="grey", label="offer evaluated")
    ax.set(xlabel="offer, USD bn", ylabel="probability", ylim=(0, 1), title="P(flip | offer)")
    ax.legend()
    save(fig, "p_flip")

    table = result.drivers.head(12).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 1 + 0.35 * max(len(table), 1)))
    y = np.arange(len(table))
    ax.barh(y - 0.2, table["S1"], height=0.4, label="S1")
    ax.barh(y + 0.2, table["ST"], height=0.4, label="ST")
    ax.set_yticks(y, table["input"], fontsize=7)
    ax.set(title="Drivers of O* (Sobol' indices of its rank)")
    ax.legend()
    save(fig, "drivers")

    graph = to_networkx(sizes, ties)
    pos = _layout(graph)
    fig, ax = plt.subplots(figsize=(6, 5))
    for a, b, data in graph.edges(data=True):
        ax.plot(
            [pos[a][0], pos[b][0]],
            [pos[a][1], pos[b][1]],
            linestyle="--" if data["sign"] < 0 else "-",
            color="grey",
            linewidth=0.5 + min(data["weight"], 4),
        )
    for n, (px, py) in pos.items():
        ax.annotate(
            str(n), (px, py), ha="center", va="center", bbox={"boxstyle": "round", "fc": "white"}
        )
    ax.set_axis_off()
    ax.set(title="Signed network of the scenario (dashed: negative)")
    save(fig, "network")
    return written
