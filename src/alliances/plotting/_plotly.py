r"""The wedge answer as Plotly figures: the default backend of :mod:`alliances.plotting`.

The same builders draw the report's charts, the workbench's and ``WedgeResult.plot()``, so
the three always show one picture of one answer:

* :func:`flip_price_histogram`: the distribution of the flip price O*, binned by the
  Freedman–Diaconis rule [1]_ (bin width :math:`h = 2\,\mathrm{IQR}\,n^{-1/3}`) on the
  draws up to their 99th centile, the tail beyond it and the draws with O* = ∞ stated in
  the title, the median and the offer evaluated marked;
* :func:`p_flip_curve`: the structural threshold P(flip | O) = P(O* < O) against the offer
  O, beside the share of draws in which the divider would pay at least O, P(O_max ≥ O)
  (its willingness to pay, DESIGN §4), with the offer evaluated marked, and there the
  calibrated P(flip) with its 90% interval when the result has it;
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
    BACKTEST_AXES,
    BACKTEST_CALIBRATION_TITLE,
    BACKTEST_EMPTY,
    BACKTEST_KINDS,
    BACKTEST_LEGEND,
    BLOC_COLOURS,
    CASES,
    CURVE_TEXT,
    EXIT_EVENTS_AXIS,
    EXIT_KINDS,
    EXIT_NO_AUC,
    EXIT_TEXT,
    GUIDE,
    KIND_COLOURS,
    MODEL,
    OTHER_COLOUR,
    PAIR_COLOURS,
    PROFILE_SOURCES,
    BacktestPoints,
    NetworkLayout,
    backtest_points,
    backtest_roc_title,
    calibrated_point,
    check_kind,
    draw,
    exit_calibration_top,
    exit_decades_without_auc,
    exit_model_name,
    histogram_bins,
    input_labels,
    label_side,
    marker_sizes,
    network_layout,
    number_text,
    profile_panels,
    profile_title,
    willingness_to_pay,
)

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from alliances.analysis.wedge.result import WedgeResult
    from alliances.scenario.model import Scenario
    from alliances.studies.backtest import Backtest, ExitBacktest

__all__ = [
    "BUILDERS",
    "backtest_chart",
    "drivers_chart",
    "exit_backtest_chart",
    "flip_price_histogram",
    "network_chart",
    "p_flip_curve",
    "plot",
    "profile_chart",
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
    """The structural threshold P(O* < offer) and the divider's willingness to pay, in USD
    bn, the offer marked; the calibrated P(flip) at the offer with its 90% interval where
    the result has it (``result.calibrated``)."""
    import plotly.graph_objects as go

    offers = result.p_flip["offer"].to_numpy(dtype=float) / 1e9
    p = result.p_flip["p"].to_numpy(dtype=float)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=offers,
            y=p,
            name=CURVE_TEXT["threshold"],
            line={"color": "#2166ac", "width": 3},
            hovertemplate="offer %{x:,.0f} bn: P(O* < offer) %{y:.2f}<extra></extra>",
        )
    )
    willing = willingness_to_pay(result)
    if willing is not None:
        fig.add_trace(
            go.Scatter(
                x=offers,
                y=willing,
                name=CURVE_TEXT["willing"],
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
            mode="markers",
            marker={"size": 11, "color": "#2166ac", "symbol": "diamond"},
            name=f"{CURVE_TEXT['threshold']} at the offer, {at:.3f}",
            hoverinfo="name",
            showlegend=False,
        )
    )
    notes = [_point_note(offer, at, f"threshold {at:.3f}", "#2166ac", -30)]
    calibrated = calibrated_point(result)
    if calibrated is not None:
        low, high = calibrated.low, calibrated.high
        fig.add_trace(
            go.Scatter(
                x=[offer],
                y=[calibrated.p],
                mode="markers",
                marker={"size": 10, "color": "#1a9850", "symbol": "circle"},
                error_y=None
                if low is None or high is None
                else {
                    "type": "data",
                    "symmetric": False,
                    "array": [high - calibrated.p],
                    "arrayminus": [calibrated.p - low],
                    "color": "#1a9850",
                    "thickness": 2,
                    "width": 7,
                },
                name=calibrated.label,
                hoverinfo="name",
            )
        )
        notes.append(
            _point_note(offer, calibrated.p, f"calibrated {calibrated.p:.2f}", "#1a9850", 0)
        )
    median = float(result.flip_price["p50"]) / 1e9
    upper = float(result.flip_price["p95"]) / 1e9
    right = max(offer, float(result.divider["max_offer_p50"]) / 1e9, upper) * 1.15
    right = right if np.isfinite(right) and right > 0 else float(offers.max())
    fig.update_layout(
        **_base_layout(
            "Chance the target leaves, by the size of the offer",
            f"{CURVE_TEXT['subtitle']}; median flip price {median:,.0f} bn",
        ),
        xaxis={
            "title": {"text": "offer O, USD bn (present value)"},
            "range": [0, min(right, float(offers.max()))],
        },
        yaxis={"title": {"text": "probability"}, "range": [0, 1.02]},
        annotations=notes,
        height=400,
    )
    return fig


def _point_note(x: float, y: float, text: str, colour: str, rise: int) -> dict[str, Any]:
    """A label to the right of the point (x, y), ``rise`` px above it, with an arrow to it:
    beside the offer line, clear of the axis however narrow the chart."""
    return {
        "x": x,
        "y": y,
        "text": text,
        "showarrow": True,
        "arrowhead": 0,
        "arrowcolor": colour,
        "ax": 36,
        "ay": rise,
        "xanchor": "left",
        "font": {"color": colour, "size": 12},
        "bgcolor": "rgba(255, 255, 255, 0.85)",
    }


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
        # in a narrow page (alliances.report's fit_charts.js): the labels kept in view
        meta={"narrow": {"xaxis.range": [-0.32, 1.32], "margin.l": 6, "margin.r": 6}},
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


# --- the pair over the years ------------------------------------------------------------


def profile_chart(series: pd.DataFrame, target: str, partner: str) -> go.Figure:
    """The pair over the years, as three small multiples with their own axes.

    ``series`` is :func:`~alliances.studies.dyad_profile.profile_series`' table (a
    column it lacks is left out); ``target`` and ``partner`` name the two states.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    panels = profile_panels(target, partner)
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=[p.title for p in panels],
    )
    gap = 0.12 * (len(panels) - 1)
    height = (1 - gap) / len(panels)
    legends: dict[str, Any] = {}
    for row, panel in enumerate(panels, start=1):
        fmt = f".{panel.decimals}%"
        # one legend beside each panel, at its top
        legend = "legend" if row == 1 else f"legend{row}"
        legends[legend] = {"x": 1.01, "y": 1 - (row - 1) * (height + 0.12), "yanchor": "top"}
        for k, (column, name) in enumerate(panel.lines):
            if column not in series.columns:
                continue
            fig.add_trace(
                go.Scatter(
                    x=series["year"],
                    y=series[column],
                    name=name,
                    mode="lines+markers",
                    line={"color": PAIR_COLOURS[k % 2]},
                    hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{name}</extra>",
                    legend=legend,
                ),
                row=row,
                col=1,
            )
        fig.update_yaxes(title_text=panel.axis, tickformat=fmt, rangemode="tozero", row=row, col=1)
    fig.update_xaxes(title_text="year", row=len(panels), col=1)
    fig.update_layout(
        title={
            "text": f"{profile_title(target, partner)}<br><sup>{PROFILE_SOURCES}</sup>",
            "x": 0.0,
            "xanchor": "left",
        },
        template="plotly_white",
        margin={"t": 100, "l": 80, "r": 30, "b": 60},
        height=760,
        meta={"narrow": _narrow_panels(len(panels))},
        **legends,
    )
    return fig


def _narrow_panels(n: int, gap: float = 0.2) -> dict[str, Any]:
    """The layout of ``n`` stacked panels in a narrow page (``fit_charts.js`` of
    :mod:`alliances.report`): wider gaps for each panel's legend under it and its
    subplot title over the next, the titles moved with their panels, and a taller chart."""
    height = (1 - gap * (n - 1)) / n
    narrow: dict[str, Any] = {"height": 760 + 90 * (n - 1)}
    for row in range(n):
        top = 1 - row * (height + gap)
        axis = "yaxis" if row == 0 else f"yaxis{row + 1}"
        narrow[f"{axis}.domain"] = [round(top - height, 6), round(top, 6)]
        narrow[f"annotations[{row}].y"] = round(top, 6)
    return narrow


# --- the exit forecast's backtest -------------------------------------------------------


def exit_backtest_chart(result: ExitBacktest, kind: str = "calibration") -> go.Figure:
    """The chart ``kind`` (:data:`~alliances.plotting.EXIT_KINDS`) of an exit backtest."""
    import plotly.graph_objects as go

    check_kind(kind, EXIT_KINDS)
    text = EXIT_TEXT[kind]
    fig = go.Figure()
    if kind == "decades":
        labels = [p.label for p in result.decades]
        for model in result.models:
            aucs = [p.scores.get(model, {}).get("auc") for p in result.decades]
            fig.add_scatter(x=labels, y=aucs, mode="lines+markers", name=exit_model_name(model))
        events = [p.events for p in result.decades]
        fig.add_bar(
            x=labels, y=events, name=f"{EXIT_EVENTS_AXIS} (right axis)", yaxis="y2", opacity=0.25
        )
        for i in exit_decades_without_auc(result):
            fig.add_annotation(
                x=labels[i],
                y=0.12,  # below the base rate's 0.5, where the decade has no bar
                text=EXIT_NO_AUC.replace("\n", "<br>"),
                showarrow=False,
                font={"size": 11, "color": "#666666"},
            )
        fig.update_layout(
            title=text.title,
            xaxis={"title": text.x},
            yaxis={"title": text.y, "range": [0, 1]},
            yaxis2={
                "title": EXIT_EVENTS_AXIS,
                "overlaying": "y",
                "side": "right",
                "tickformat": "d",
            },
            template="plotly_white",
        )
        return fig
    if kind == "calibration":
        for model, rows in result.calibration.items():
            x = [r["predicted"] for r in rows]
            y = [r["observed"] for r in rows]
            fig.add_scatter(x=x, y=y, mode="lines+markers", name=exit_model_name(model))
        top = exit_calibration_top(result)
    else:
        for model, curve in result.roc.items():
            fig.add_scatter(
                x=curve["fpr"], y=curve["tpr"], mode="lines", name=exit_model_name(model)
            )
        top = 1.0
    fig.add_scatter(
        x=[0, top],
        y=[0, top],
        mode="lines",
        name=text.diagonal,
        line={"dash": "dot", "color": "grey"},
    )
    fig.update_layout(
        title=text.title, xaxis_title=text.x, yaxis_title=text.y, template="plotly_white"
    )
    return fig


# --- the catalogue's backtest -----------------------------------------------------------

_CHART_SIZE = 550
# Fixed sizes: Plotly draws a chart before the next one exists, so a chart sized to a
# shared row would be drawn at the full width and then clipped.


def backtest_chart(result: Backtest, kind: str = "calibration") -> go.Figure:
    """The chart ``kind`` (:data:`~alliances.plotting.BACKTEST_KINDS`) of a backtest.

    ``"both"`` sets the calibration and ROC charts side by side in one figure.
    """
    check_kind(kind, BACKTEST_KINDS)
    points = backtest_points(result)
    if kind == "calibration":
        return _backtest_calibration(points)
    if kind == "roc":
        return _backtest_roc(points)
    from plotly.subplots import make_subplots

    parts = (_backtest_calibration(points), _backtest_roc(points))
    fig = make_subplots(rows=1, cols=2, subplot_titles=[str(p.layout.title.text) for p in parts])
    for col, part in enumerate(parts, start=1):
        for trace in part.data:
            fig.add_trace(trace, row=1, col=col)
        fig.update_xaxes(part.layout.xaxis, row=1, col=col)
        fig.update_yaxes(part.layout.yaxis, row=1, col=col)
        for note in part.layout.annotations:
            fig.add_annotation(note, row=1, col=col)
    fig.update_yaxes(scaleanchor="x", row=1, col=1)
    fig.update_yaxes(scaleanchor=None, row=1, col=2)
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
        margin={"t": 60, "l": 70, "r": 20, "b": 40},
        width=2 * _CHART_SIZE,
        height=_CHART_SIZE,
    )
    return fig


def _empty_note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(
        x=0.5,
        y=0.55,
        text=text.replace("\n", "<br>"),
        showarrow=False,
        bgcolor="white",
        bordercolor="#cccccc",
    )


def _diagonal(name: str) -> Any:
    """The dashed line y = x: perfect calibration, or a ROC curve of no skill."""
    import plotly.graph_objects as go

    return go.Scatter(
        x=[0, 1],
        y=[0, 1],
        mode="lines",
        line={"color": GUIDE, "dash": "dash", "width": 1},
        name=name,
        hoverinfo="skip",
    )


def _backtest_calibration(points: BacktestPoints) -> go.Figure:
    import html

    import plotly.graph_objects as go

    rows, scored = points.calibration, points.scored
    fig = go.Figure()
    fig.add_trace(_diagonal(BACKTEST_LEGEND["perfect"]))
    fig.add_trace(
        go.Scatter(
            x=[p for _, p, _ in scored],
            y=[y for _, _, y in scored],
            mode="markers",
            marker={"color": CASES, "size": 7, "symbol": "line-ns-open", "line": {"width": 2}},
            name=BACKTEST_LEGEND["cases"],
            hovertext=[f"{html.escape(i)}: P(flip) {p:.2f}, label {y:g}" for i, p, y in scored],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[r["mean_predicted"] for r in rows],
            y=[r["rate"] for r in rows],
            mode="markers+text+lines",
            line={"color": MODEL, "width": 1},
            marker={
                "color": MODEL,
                "size": marker_sizes([r["n"] for r in rows], 9, 26),
                "line": {"color": "white", "width": 1},
            },
            text=[f"n={r['n']:g}" for r in rows],
            textposition=["bottom right" if r["rate"] > 0.85 else "top left" for r in rows],
            cliponaxis=False,
            name=BACKTEST_LEGEND["bins"],
            hovertext=[
                f"P(flip) in [{r['lower']:.1f}, {r['upper']:.1f}]: {r['n']:g} cases, "
                f"mean P(flip) {r['mean_predicted']:.2f}, observed rate {r['rate']:.2f}"
                for r in rows
            ],
            hoverinfo="text",
        )
    )
    x_title, y_title = BACKTEST_AXES["calibration"]
    fig.update_layout(
        title={"text": BACKTEST_CALIBRATION_TITLE},
        xaxis={
            "title": {"text": x_title},
            "range": [-0.04, 1.04],
            "dtick": 0.2,
            "constrain": "domain",
        },
        yaxis={
            "title": {"text": y_title},
            "range": [-0.06, 1.08],
            "dtick": 0.2,
            "scaleanchor": "x",
            "constrain": "domain",
        },
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
        margin={"t": 60, "l": 70, "r": 20, "b": 40},
        width=_CHART_SIZE,
        height=_CHART_SIZE,
        # a square plot: on a phone (fit_charts.js of alliances.report) less height
        meta={"narrow": {"height": 420}, "narrow_below": 480},
    )
    if not rows:
        _empty_note(fig, BACKTEST_EMPTY["calibration"])
    return fig


def _backtest_roc(points: BacktestPoints) -> go.Figure:
    import plotly.graph_objects as go

    roc = points.roc
    fig = go.Figure()
    fig.add_trace(_diagonal(BACKTEST_LEGEND["chance"]))
    if roc is not None:
        hover = ["no case predicted to flip"] + [
            f"predicted to flip when P(flip) ≥ {t:.2f}: {100 * x:.0f}% of failures, "
            f"{100 * y:.0f}% of successes"
            for t, x, y in zip(roc.thresholds[1:], roc.fpr[1:], roc.tpr[1:], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=roc.fpr,
                y=roc.tpr,
                mode="lines+markers",
                line={"color": MODEL, "width": 2},
                marker={"size": 6},
                name=f"the model (AUC {number_text(roc.auc)})",
                hovertext=hover,
                hoverinfo="text",
            )
        )
    x_title, y_title = BACKTEST_AXES["roc"]
    fig.update_layout(
        title={"text": backtest_roc_title(roc)},
        xaxis={"title": {"text": x_title}, "range": [-0.02, 1.02], "dtick": 0.2},
        yaxis={"title": {"text": y_title}, "range": [-0.02, 1.04], "dtick": 0.2},
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
        margin={"t": 60, "l": 70, "r": 20, "b": 40},
        width=_CHART_SIZE,
        height=_CHART_SIZE,
    )
    if roc is None:
        _empty_note(fig, BACKTEST_EMPTY["roc"])
    return fig
