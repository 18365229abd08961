r"""The wedge answer as charts an analyst would put in a brief (Plotly figures, no I/O).

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
for Plotly's toolbar above the title.

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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from alliances.analysis.wedge.result import WedgeResult
    from alliances.scenario.model import Scenario

__all__ = [
    "KIND_COLOURS",
    "NetworkLayout",
    "drivers_chart",
    "figures",
    "flip_price_histogram",
    "histogram_bins",
    "input_labels",
    "label_side",
    "network_chart",
    "network_layout",
    "p_flip_curve",
    "willingness_to_pay",
]

KIND_COLOURS = {
    "military": "#b2182b",
    "economic": "#2166ac",
    "political": "#762a83",
    "membership": "#a6a6a6",
}
"""The colour of each kind of bond (and of a membership of a bloc) in the network."""

_BLOC_COLOURS = ("#d95f02", "#1b9e77")
_OTHER_COLOUR = "#bdbdbd"
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


def input_labels(result: WedgeResult) -> dict[str, str]:
    """Each input's label for people (``label`` column where the result has one).

    Falls back to the input's description, and to its path only when it has neither.
    """
    inputs = result.inputs
    out: dict[str, str] = {}
    for name in inputs.index:
        row = inputs.loc[name]
        for column in ("label", "description"):
            text = row.get(column) if column in inputs.columns else None
            if isinstance(text, str) and text.strip() and text != name:
                out[str(name)] = text
                break
        else:
            out[str(name)] = str(name)
    return out


def histogram_bins(values: NDArray[np.float64], *, clip: float = 0.99) -> NDArray[np.float64]:
    r"""Freedman–Diaconis bin edges of the finite ``values`` up to their ``clip`` quantile.

    The width is :math:`h = 2\,\mathrm{IQR}\,n^{-1/3}` (Freedman and Diaconis 1981), from
    :func:`numpy.histogram_bin_edges` with ``bins="fd"``, on the values at or below the
    quantile (a heavy right tail would otherwise squeeze the bulk into a few bars). At most
    200 bins; values all equal give one bin around them.

    Examples
    --------
    >>> edges = histogram_bins(np.arange(1000.0))
    >>> len(edges) - 1, float(edges[0]), float(edges[-1])
    (10, 0.0, 989.0)
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.array([0.0, 1.0])
    top = float(np.quantile(finite, clip))
    kept = finite[finite <= top]
    if float(kept.min()) == float(kept.max()):
        centre = float(kept.min())
        half = max(abs(centre) * 0.05, 0.5)
        return np.array([centre - half, centre + half])
    edges = np.histogram_bin_edges(kept, bins="fd")
    if len(edges) > 201:
        edges = np.linspace(float(kept.min()), float(kept.max()), 201)
    return np.asarray(edges, dtype=float)


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


def willingness_to_pay(result: WedgeResult) -> NDArray[np.float64] | None:
    """P(O_max ≥ O) on the offer grid of ``result.p_flip``, or None without the draws."""
    if "max_offer" not in result.draws.columns:
        return None
    most = np.sort(result.draws["max_offer"].to_numpy(dtype=float))
    grid = result.p_flip["offer"].to_numpy(dtype=float)
    return np.asarray(1.0 - np.searchsorted(most, grid, side="left") / most.size, dtype=float)


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


# --- the network ------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkLayout:
    """Where each actor of a scenario's network is drawn, and in which bloc it is.

    ``positions`` maps an actor id to (x, y) in [0, 1]²; ``labels`` to its label;
    ``bloc`` to 0 or 1 (the landscape's minimum-energy partition) or None (an actor with
    no bond, or an organisation); ``bloc_names`` names the two blocs; ``edges`` lists one
    row per bond or membership: ``source``, ``target``, ``kind``, ``sign``, ``weight``,
    ``text`` and ``offset`` (its place among the lines of the same pair).
    """

    positions: dict[str, tuple[float, float]]
    labels: dict[str, str]
    bloc: dict[str, int | None]
    organisations: frozenset[str]
    bloc_names: tuple[str, str]
    edges: pd.DataFrame


def network_layout(
    scenario: Scenario,
    *,
    seed: int = 1,
    blocs: tuple[list[object], list[object]] | None = None,
) -> NetworkLayout:
    """The positions, blocs and edges of ``scenario``'s network (see :func:`network_chart`).

    ``blocs`` are the landscape's two blocs when the caller has them already
    (:meth:`~alliances.analysis.alignment.Landscape.blocs`); otherwise they are found
    here, for 2 to 22 actors with a bond.

    The layout is networkx's spring layout (seeded, so the same every time), spread so
    that no two labels' boxes overlap (:func:`_separate`).

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> layout = network_layout(load_builtin("russia-iran-2017"))
    >>> layout.bloc["RUS"] == layout.bloc["IRN"] != layout.bloc["USA"]
    True
    """
    import networkx as nx

    from alliances.analysis.alignment import landscape, scenario_network

    sizes, ties = scenario_network(scenario)
    bloc: dict[str, int | None] = {a.id: None for a in scenario.actors}
    names = ("bloc 1", "bloc 2")
    labels = {a.id: a.label for a in scenario.actors}
    if blocs is None and 1 < len(sizes) <= 22:
        blocs = landscape(sizes, ties).blocs()
    if blocs is not None:
        question = scenario.question
        # the partner's bloc first, so that its colour is the same whatever the partition's order
        if str(question.partner) in {str(a) for a in blocs[1]}:
            blocs = (blocs[1], blocs[0])
        for k, members in enumerate(blocs):
            for a in members:
                bloc[str(a)] = k
        with_partner = any(str(a) == str(question.partner) for a in blocs[0])
        names = (
            f"bloc of {labels.get(str(question.partner), question.partner)}"
            if with_partner
            else "one bloc",
            "the other bloc",
        )
        if any(str(a) == str(question.divider) for a in blocs[1]):
            names = (names[0], f"bloc of {labels.get(str(question.divider), question.divider)}")
    organisations = frozenset(a.id for a in scenario.actors if a.organisation)
    rows: list[dict[str, Any]] = []
    for b in scenario.bonds:
        a, c = (str(x) for x in b.between)
        rows.append(
            {
                "source": a,
                "target": c,
                "kind": b.kind,
                "sign": int(b.sign),
                "weight": float(b.weight),
                "text": f"{labels.get(a, a)} – {labels.get(c, c)}: {b.id} ({b.kind}"
                f"{', negative' if b.sign < 0 else ''}, weight {b.weight:g})",
            }
        )
    for m in scenario.memberships:
        rows.append(
            {
                "source": str(m.member),
                "target": str(m.bloc),
                "kind": "membership",
                "sign": 1,
                "weight": 0.5,
                "text": f"{labels.get(str(m.member), m.member)}: {m.status} of {m.bloc}",
            }
        )
    edges = pd.DataFrame(
        rows, columns=["source", "target", "kind", "sign", "weight", "text"]
    ).reset_index(drop=True)
    pair = edges.apply(lambda r: tuple(sorted((r["source"], r["target"]))), axis=1)
    order = pair.groupby(pair).cumcount() if len(edges) else pd.Series(dtype=int)
    count = pair.map(pair.value_counts()) if len(edges) else pd.Series(dtype=int)
    edges["offset"] = (order - (count - 1) / 2).astype(float) if len(edges) else []
    graph = nx.Graph()
    graph.add_nodes_from(labels)
    for _, row in edges.iterrows():
        w = float(row["weight"])
        if graph.has_edge(row["source"], row["target"]):
            graph[row["source"]][row["target"]]["weight"] += w
        else:
            graph.add_edge(row["source"], row["target"], weight=w)
    if len(graph) <= 5:  # a few actors: a circle shows every line apart
        raw = nx.circular_layout(graph)
    else:  # unweighted: a heavy bond would pull its pair into one spot and hide its lines
        raw = nx.spring_layout(graph, seed=seed, weight=None, iterations=200)
    ids = list(raw)
    xy = np.array([raw[i] for i in ids], dtype=float).reshape(-1, 2)
    if len(ids):
        span = np.ptp(xy, axis=0)
        xy = (xy - xy.min(axis=0)) / np.where(span > 0, span, 1.0)
    shown = [_short(labels[i], i in organisations, i) for i in ids]
    xy = _separate(xy, shown)
    return NetworkLayout(
        positions={i: (float(x), float(y)) for i, (x, y) in zip(ids, xy, strict=True)},
        labels={i: s for i, s in zip(ids, shown, strict=True)},
        bloc=bloc,
        organisations=organisations,
        bloc_names=names,
        edges=edges,
    )


def _short(label: str, organisation: bool, actor: str) -> str:
    """An organisation by its id (CSTO, SCO), a state by its name."""
    return actor if organisation else label


def _separate(
    xy: NDArray[np.float64], labels: list[str], *, rounds: int = 400
) -> NDArray[np.float64]:
    """Move points apart until no two label boxes overlap (or ``rounds`` run out).

    A label of n characters is taken as a box 0.012·n + 0.04 wide and 0.075 high (with its
    marker, in a unit square drawn about 900 × 520 px); each round pushes every
    overlapping pair apart along the axis where they overlap least.
    """
    xy = xy.copy()
    if len(xy) < 2:
        return xy
    width = np.array([0.012 * len(s) + 0.04 for s in labels])
    height = 0.075
    for _ in range(rounds):
        moved = False
        for i in range(len(xy)):
            for j in range(i + 1, len(xy)):
                dx, dy = xy[j] - xy[i]
                over_x = (width[i] + width[j]) / 2 - abs(dx)
                over_y = height - abs(dy)
                if over_x <= 0 or over_y <= 0:
                    continue
                moved = True
                if over_x / (width[i] + width[j]) < over_y / height:
                    step = (over_x / 2 + 1e-3) * (1 if dx >= 0 else -1)
                    xy[i, 0] -= step
                    xy[j, 0] += step
                else:
                    step = (over_y / 2 + 1e-3) * (1 if dy >= 0 else -1)
                    xy[i, 1] -= step
                    xy[j, 1] += step
        if not moved:
            break
    return xy


def label_side(layout: NetworkLayout, actor: str) -> str:
    """Above the marker, or below it when most of the actor's lines leave upwards."""
    edges = layout.edges
    ends = pd.concat(
        [
            edges.loc[edges["source"] == actor, "target"],
            edges.loc[edges["target"] == actor, "source"],
        ]
    )
    if ends.empty:
        return "top center"
    y = layout.positions[actor][1]
    up = sum(1 for other in ends if layout.positions[other][1] > y)
    return "bottom center" if up > len(ends) / 2 else "top center"


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
            _BLOC_COLOURS[0],
            "circle",
        ),
        (
            lay.bloc_names[1],
            [a for a, k in lay.bloc.items() if k == 1],
            _BLOC_COLOURS[1],
            "circle",
        ),
        (
            "state without a bond",
            [a for a, k in lay.bloc.items() if k is None and a not in lay.organisations],
            _OTHER_COLOUR,
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


def figures(result: WedgeResult, kind: str = "all") -> dict[str, go.Figure]:
    """The charts of a result by name: ``histogram``, ``curve`` and ``drivers``.

    ``kind`` is one of them, or ``"all"`` for the three.
    """
    builders = {
        "histogram": flip_price_histogram,
        "curve": p_flip_curve,
        "drivers": drivers_chart,
    }
    if kind == "all":
        return {name: build(result) for name, build in builders.items()}
    if kind not in builders:
        from alliances.errors import ParameterError

        msg = f"kind={kind!r} should be one of: all, {', '.join(builders)}"
        raise ParameterError(msg)
    return {kind: builders[kind](result)}
