r"""The wedge answer as Plotly figures: the default backend of :mod:`alliances.plotting`.

The same builders draw the report's charts, the workbench's and ``WedgeResult.plot()``, so
the three always show one picture of one answer:

* :func:`flip_price_histogram`: the distribution of the flip price O*, binned by the
  Freedman–Diaconis rule [1]_ (bin width :math:`h = 2\,\mathrm{IQR}\,n^{-1/3}`) on the
  draws up to their 99th centile, the tail beyond it and the draws with O* = ∞ stated in
  the title, the median and the offer evaluated marked;
* :func:`p_flip_curve`: P(flip | O) = P(O* < O) against the offer O, beside the share of
  draws in which the divider would pay at least O, P(O_max ≥ O) (its willingness to pay,
  DESIGN §4), with the offer evaluated marked;
* :func:`drivers_chart`: Sobol' first-order and total indices [2]_ of the rank of O*, one
  bar pair per input, labelled in words (the input's ``label``), with their 95% bootstrap
  half-widths;
* :func:`network_chart`: the scenario's actors and bonds, the states coloured by their bloc
  in the minimum-energy partition of the landscape (Axelrod and Bennett 1993 [3]_), one
  line per bond (colour: kind; dashes: negative; width: weight), labels kept apart.

Every chart has a title, axis titles with units and a legend; the top margin leaves room
for Plotly's toolbar above the title. Plotly itself is imported when a chart is drawn.

References
----------
.. [1] Freedman, D. and Diaconis, P. (1981). On the histogram as a density estimator: L2
   theory. *Zeitschrift für Wahrscheinlichkeitstheorie und verwandte Gebiete* 57(4):
   453–476.
.. [2] Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output.
   Design and estimator for the total sensitivity index. *Computer Physics
   Communications* 181(2): 259–270.
.. [3] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation. *British
   Journal of Political Science* 23(2): 211–233.

Examples
--------
>>> from alliances.scenario import load_builtin
>>> from alliances.analysis.wedge import wedge
>>> result = wedge(load_builtin("russia-iran-2017"), samples=2000, seed=1, sobol_samples=64)
>>> fig = flip_price_histogram(result)
>>> fig.layout.xaxis.title.text
'flip price O*, USD bn (present value)'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from alliances.plotting._common import (
    BLOC_COLOURS,
    KIND_COLOURS,
    OTHER_COLOUR,
    NetworkLayout,
    draw,
    histogram_bins,
    input_labels,
    label_side,
    network_layout,
    willingness_to_pay,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from alliances.analysis.wedge.result import WedgeResult
    from alliances.scenario.model import Scenario

__all__ = [
    "BUILDERS",
    "drivers_chart",
    "flip_price_histogram",
    "network_chart",
    "p_flip_curve",
    "plot",
]

_TOP = 118  # px above the plot: the toolbar's strip, then the title and its subtitle
_FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"


def _base_layout(title: str, subtitle: str | None = None, **more: Any) -> dict[str, Any]:
    text = title if subtitle is None else f"{title}<br><sup>{subtitle}</sup>"
    layout: dict[str, Any] = {
        # the title below the strip where Plotly's toolbar appears, never under it
        "title": {
            "text": text,
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "yref": "container",
            "y": 1.0,
            "yanchor": "top",
            "pad": {"t": 48},
        },
        "margin": {"t": _TOP, "l": 70, "r": 30, "b": 60},
        "font": {"family": _FONT, "size": 13},
        "template": "plotly_white",
        "legend": {"orientation": "h", "y": -0.2, "x": 0.0},
    }
    layout.update(more)
    return layout


def flip_price_histogram(result: WedgeResult) -> go.Figure:
    """The flip-price distribution in USD bn, Freedman–Diaconis bins, median and offer marked.

    Without the per-draw table (``keep_draws=False``) the figure says so instead of bars.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    title = "How much the divider must offer: the flip price O*"
    offer = float(result.offer["value"]) / 1e9
    median = float(result.flip_price["p50"]) / 1e9
    if "flip_price" not in result.draws.columns:
        fig.update_layout(**_base_layout(title, "the per-draw table was not kept"))
        return fig
    price = result.draws["flip_price"].to_numpy(dtype=float) / 1e9
    n = price.size
    edges = histogram_bins(price)
    counts, _ = np.histogram(price[np.isfinite(price)], bins=edges)
    beyond = int(np.sum(np.isfinite(price) & (price > edges[-1])))
    infinite = int(np.sum(~np.isfinite(price)))
    share = counts / max(n, 1)
    fig.add_trace(
        go.Bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=share,
            width=float(np.diff(edges).min()),
            marker={"color": "#6b8fbf", "line": {"width": 0}},
            name=f"share of {n:,} draws",
            hovertemplate="O* %{x:.1f} bn: %{y:.2%} of draws<extra></extra>",
        )
    )
    notes = []
    if beyond:
        notes.append(f"{beyond / n:.1%} of draws above {edges[-1]:,.0f} bn not drawn")
    if infinite:
        notes.append(f"{infinite / n:.1%} need more than any offer (O* = ∞)")
    width = float(np.diff(edges).mean())
    subtitle = f"{len(counts)} bins of {width:,.1f} bn (Freedman–Diaconis)"
    if notes:
        subtitle += "; " + "; ".join(notes)
    top = float(share.max()) if share.size else 1.0
    for x, text, colour, dash in (
        (median, f"median {median:,.0f} bn", "#222222", "dash"),
        (offer, f"offer {offer:,.0f} bn", "#d95f02", "dot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=[x, x],
                y=[0, top * 1.08],
                mode="lines",
                line={"color": colour, "dash": dash, "width": 2},
                name=text,
                hoverinfo="name",
            )
        )
    fig.update_layout(
        **_base_layout(title, subtitle),
        xaxis={"title": {"text": "flip price O*, USD bn (present value)"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "share of draws"}, "tickformat": ".1%"},
        bargap=0.02,
        height=400,
    )
    return fig


def p_flip_curve(result: WedgeResult) -> go.Figure:
    """P(flip | offer) and the divider's willingness to pay, in USD bn, the offer marked."""
    import plotly.graph_objects as go

    offers = result.p_flip["offer"].to_numpy(dtype=float) / 1e9
    p = result.p_flip["p"].to_numpy(dtype=float)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=offers,
            y=p,
            name="P(flip | offer): the target leaves",
            line={"color": "#2166ac", "width": 3},
            hovertemplate="offer %{x:,.0f} bn: P(flip) %{y:.2f}<extra></extra>",
        )
    )
    willing = willingness_to_pay(result)
    if willing is not None:
        fig.add_trace(
            go.Scatter(
                x=offers,
                y=willing,
                name="P(divider would pay this much)",
                line={"color": "#d95f02", "width": 2, "dash": "dash"},
                hovertemplate="offer %{x:,.0f} bn: P(O_max ≥ offer) %{y:.2f}<extra></extra>",
            )
        )
    offer = float(result.offer["value"]) / 1e9
    at = float(result.offer["p_flip"])
    fig.add_trace(
        go.Scatter(
            x=[offer, offer],
            y=[0, 1],
            mode="lines",
            line={"color": "#555555", "dash": "dot", "width": 1.5},
            name=f"offer evaluated, {offer:,.0f} bn",
            hoverinfo="name",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[offer],
            y=[at],
            mode="markers+text",
            marker={"size": 11, "color": "#222222", "symbol": "diamond"},
            text=[f"P(flip) {at:.3f}"],
            textposition="middle right",
            name=f"P(flip) at the offer, {at:.3f}",
            hoverinfo="name",
            showlegend=False,
        )
    )
    median = float(result.flip_price["p50"]) / 1e9
    upper = float(result.flip_price["p95"]) / 1e9
    right = max(offer, float(result.divider["max_offer_p50"]) / 1e9, upper) * 1.15
    right = right if np.isfinite(right) and right > 0 else float(offers.max())
    fig.update_layout(
        **_base_layout(
            "Chance the target leaves, by the size of the offer",
            f"median flip price {median:,.0f} bn; dashed: share of draws in which the "
            "divider would pay at least O",
        ),
        xaxis={
            "title": {"text": "offer O, USD bn (present value)"},
            "range": [0, min(right, float(offers.max()))],
        },
        yaxis={"title": {"text": "probability"}, "range": [0, 1.02]},
        height=400,
    )
    return fig


def drivers_chart(result: WedgeResult, *, top: int = 12) -> go.Figure:
    """Sobol' S1 and ST of the rank of O* for the ``top`` inputs, labelled in words."""
    import plotly.graph_objects as go

    table = result.drivers.head(top).iloc[::-1]
    fig = go.Figure()
    title = "What drives the flip price: Sobol' indices of the rank of O*"
    if table.empty:
        fig.update_layout(**_base_layout(title, "no uncertain input, or no Sobol' points"))
        return fig
    labels = input_labels(result)
    names = [
        str(row["label"]) if isinstance(row.get("label"), str) else labels.get(row["input"], "")
        for _, row in table.iterrows()
    ]
    for column, name, colour in (
        ("S1", "first order S1 (alone)", "#9ecae1"),
        ("ST", "total ST (with interactions)", "#08519c"),
    ):
        conf = table.get(f"{column}_conf")
        fig.add_trace(
            go.Bar(
                y=names,
                x=table[column],
                orientation="h",
                name=name,
                marker_color=colour,
                error_x=None
                if conf is None
                else {"type": "data", "array": conf.to_list(), "thickness": 1, "width": 2},
                hovertemplate="%{y}: %{x:.3f}<extra>" + column + "</extra>",
            )
        )
    fig.update_layout(
        **_base_layout(
            title,
            "share of the variance of the rank of O*; bars: 95% intervals",
            legend={"x": 0.99, "xanchor": "right", "y": 0.02, "yanchor": "bottom"},
        ),
        barmode="group",
        xaxis={"title": {"text": "Sobol' index (0 to 1, no unit)"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "input"}, "automargin": True},
        height=140 + _TOP + 34 * len(table),
    )
    return fig


def network_chart(scenario: Scenario, *, layout: NetworkLayout | None = None) -> go.Figure:
    """Actors, blocs and bonds: states coloured by landscape bloc, one line per bond.

    Line colour is the bond's kind (:data:`KIND_COLOURS`), dashes a negative bond, width
    its weight; a grey dotted line a membership of an organisation (a square).
    """
    import plotly.graph_objects as go

    lay = layout or network_layout(scenario)
    pos = lay.positions
    fig = go.Figure()
    for kind in ("military", "economic", "political", "membership"):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={
                    "color": KIND_COLOURS[kind],
                    "width": 3,
                    "dash": "dot" if kind == "membership" else "solid",
                },
                name=f"{kind} bond" if kind != "membership" else "member, observer or candidate",
                legendgroup=kind,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            line={"color": "#444", "width": 2, "dash": "dash"},
            name="dashed: negative (rivalry, sanctions)",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            line={"color": "#444", "width": 1},
            name="width: weight of the bond (thin 0.25, thick 1+)",
        )
    )
    for _, e in lay.edges.iterrows():
        (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
        dx, dy = x1 - x0, y1 - y0
        length = float(np.hypot(dx, dy)) or 1.0
        nx_, ny_ = -dy / length * 0.012 * e["offset"], dx / length * 0.012 * e["offset"]
        membership = e["kind"] == "membership"
        fig.add_trace(
            go.Scatter(
                x=[x0 + nx_, (x0 + x1) / 2 + nx_, x1 + nx_],
                y=[y0 + ny_, (y0 + y1) / 2 + ny_, y1 + ny_],
                mode="lines",
                line={
                    "color": KIND_COLOURS.get(str(e["kind"]), "#999999"),
                    "width": 1.0 if membership else 1.0 + 2.5 * min(float(e["weight"]), 1.6),
                    "dash": "dot" if membership else ("dash" if e["sign"] < 0 else "solid"),
                },
                opacity=0.55 if membership else 0.9,
                hoverinfo="text",
                text=e["text"],
                legendgroup=str(e["kind"]),
                showlegend=False,
            )
        )
    groups: list[tuple[str, list[str], str, str]] = [
        (
            lay.bloc_names[0],
            [a for a, k in lay.bloc.items() if k == 0],
            BLOC_COLOURS[0],
            "circle",
        ),
        (
            lay.bloc_names[1],
            [a for a, k in lay.bloc.items() if k == 1],
            BLOC_COLOURS[1],
            "circle",
        ),
        (
            "state without a bond",
            [a for a, k in lay.bloc.items() if k is None and a not in lay.organisations],
            OTHER_COLOUR,
            "circle",
        ),
        ("organisation (bloc)", sorted(lay.organisations), "#ffffff", "square"),
    ]
    for name, members, colour, symbol in groups:
        members = [m for m in members if m in pos]
        if not members:
            continue
        fig.add_trace(
            go.Scatter(
                x=[pos[m][0] for m in members],
                y=[pos[m][1] for m in members],
                mode="markers+text",
                text=[lay.labels[m] for m in members],
                textposition=[label_side(lay, m) for m in members],
                textfont={"size": 12},
                hovertext=[f"{lay.labels[m]} ({m})" for m in members],
                hoverinfo="text",
                marker={
                    "size": 16 if symbol == "square" else 14,
                    "symbol": symbol,
                    "color": colour,
                    "line": {"color": "#333333", "width": 1.2},
                },
                name=name,
            )
        )
    fig.update_layout(
        **_base_layout(
            "The system: actors, blocs and bonds",
            "colours: the blocs of the least-energy partition of the landscape "
            "(Axelrod and Bennett 1993)",
            legend={"orientation": "v", "x": 1.01, "y": 1.0, "font": {"size": 11}},
        ),
        xaxis={"visible": False, "range": [-0.12, 1.12]},
        yaxis={"visible": False, "range": [-0.08, 1.1]},
        height=560,
    )
    fig.update_layout(margin={"r": 260})
    return fig


BUILDERS: dict[str, Callable[[WedgeResult], go.Figure]] = {
    "histogram": flip_price_histogram,
    "curve": p_flip_curve,
    "drivers": drivers_chart,
}
"""The charts of a wedge answer by name (:data:`alliances.plotting.KINDS` but ``"all"``)."""


def plot(result: WedgeResult, kind: str = "all") -> go.Figure | dict[str, go.Figure]:
    """The chart ``kind`` of ``result`` (``"all"``: a dict of the three), as Plotly figures."""
    return draw(result, kind, BUILDERS)
