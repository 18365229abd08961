r"""The wedge answer as Matplotlib figures: the same charts as :mod:`._plotly`, static.

For papers, for a notebook exported to HTML or a static page (the figure is an image),
and for the report's PNG and SVG files (``alliances report --figures``):

* :func:`flip_price_histogram`: the flip price O* in USD bn, Freedman–Diaconis bins [1]_
  up to the 99th centile (the share beyond it stated), the median and the offer marked;
* :func:`p_flip_curve`: P(flip | O) beside the divider's willingness to pay
  P(O_max ≥ O), the offer evaluated marked;
* :func:`drivers_chart`: Sobol' first-order and total indices [2]_ of the rank of O*,
  inputs labelled in words;
* :func:`network_chart`: actors, the landscape's blocs (Axelrod and Bennett 1993 [3]_)
  and one line per bond.

Each builder returns a :class:`matplotlib.figure.Figure` made without :mod:`matplotlib.pyplot`:
no display is needed, no global backend is switched and no figure is left open;
``fig.savefig`` writes it (PNG through Agg). Jupyter shows it as a PNG image whether or
not pyplot's inline backend was ever started (the figure has ``_repr_png_``), so a notebook
exported to HTML keeps it.

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
>>> fig.axes[0].get_xlabel()
'flip price O*, USD bn (present value)'
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

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
    from matplotlib.axes import Axes

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


class _Figure(Figure):
    """A figure that Jupyter shows as an image: without pyplot, IPython has no image
    formatter for a plain :class:`~matplotlib.figure.Figure` and prints its repr."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


_NOTE: dict[str, Any] = {"ha": "center", "va": "center", "fontsize": 9, "color": "#555555"}


def _note(ax: Axes, text: str) -> None:
    """Say in the middle of ``ax`` why it has nothing to draw."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, **_NOTE)


def flip_price_histogram(result: WedgeResult) -> Figure:
    """The flip-price distribution in USD bn, Freedman–Diaconis bins, median and offer marked.

    Without the per-draw table (``keep_draws=False``) the figure says so instead of bars.
    """
    fig = _Figure(figsize=(7, 4))
    ax = fig.subplots()
    offer = float(result.offer["value"]) / 1e9
    median = float(result.flip_price["p50"]) / 1e9
    if "flip_price" in result.draws.columns:
        price = result.draws["flip_price"].to_numpy(dtype=float) / 1e9
        edges = histogram_bins(price)
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
    else:
        _note(ax, "the per-draw table was not kept")
    ax.axvline(median, color="#222222", linestyle="--", label=f"median {median:,.0f} bn")
    ax.axvline(offer, color="#d95f02", linestyle=":", label=f"offer {offer:,.0f} bn")
    ax.set(
        xlabel="flip price O*, USD bn (present value)",
        ylabel="share of draws",
        title="How much the divider must offer: the flip price O*",
    )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.legend(loc="center right", fontsize=8)
    return fig


def p_flip_curve(result: WedgeResult) -> Figure:
    """P(flip | offer) and the divider's willingness to pay, in USD bn, the offer marked."""
    fig = _Figure(figsize=(7, 4))
    ax = fig.subplots()
    offer = float(result.offer["value"]) / 1e9
    grid = result.p_flip["offer"].to_numpy(dtype=float) / 1e9
    ax.plot(grid, result.p_flip["p"], color="#2166ac", lw=2, label="P(flip | offer)")
    willing = willingness_to_pay(result)
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
    return fig


def drivers_chart(result: WedgeResult, *, top: int = 12) -> Figure:
    """Sobol' S1 and ST of the rank of O* for the ``top`` inputs, labelled in words."""
    table = result.drivers.head(top).iloc[::-1]
    labels = input_labels(result)
    names = [
        str(r["label"]) if isinstance(r.get("label"), str) else labels.get(r["input"], "")
        for _, r in table.iterrows()
    ]
    fig = _Figure(figsize=(7.5, 1.4 + 0.38 * max(len(table), 1)))
    ax = fig.subplots()
    y = np.arange(len(table))
    if len(table):
        ax.barh(y - 0.2, table["S1"], height=0.4, color="#9ecae1", label="first order S1")
        ax.barh(y + 0.2, table["ST"], height=0.4, color="#08519c", label="total ST")
        ax.legend(fontsize=8, loc="lower right")
    else:
        _note(ax, "no uncertain input, or no Sobol' points")
    ax.set_yticks(y, names, fontsize=8)
    ax.set(
        xlabel="Sobol' index of the rank of O* (0 to 1, no unit)",
        ylabel="input",
        title="What drives the flip price",
    )
    return fig


def network_chart(scenario: Scenario, *, layout: NetworkLayout | None = None) -> Figure:
    """Actors, blocs and bonds: states coloured by landscape bloc, one line per bond.

    Line colour is the bond's kind (:data:`~alliances.plotting.KIND_COLOURS`), dashes a
    negative bond, width its weight; a grey dotted line a membership of an organisation
    (a square).
    """
    lay = layout or network_layout(scenario)
    fig = _Figure(figsize=(9, 6))
    ax = fig.subplots()
    for _, e in lay.edges.iterrows():
        (x0, y0), (x1, y1) = lay.positions[e["source"]], lay.positions[e["target"]]
        length = float(np.hypot(x1 - x0, y1 - y0)) or 1.0
        ox, oy = -(y1 - y0) / length * 0.01 * e["offset"], (x1 - x0) / length * 0.01 * e["offset"]
        membership = e["kind"] == "membership"
        ax.plot(
            [x0 + ox, x1 + ox],
            [y0 + oy, y1 + oy],
            color=KIND_COLOURS.get(str(e["kind"]), "#999999"),
            linestyle=":" if membership else ("--" if e["sign"] < 0 else "-"),
            linewidth=0.7 if membership else 0.8 + 2.0 * min(float(e["weight"]), 1.6),
            alpha=0.6 if membership else 0.9,
            zorder=1,
        )
    colours: dict[int | None, str] = {0: BLOC_COLOURS[0], 1: BLOC_COLOURS[1], None: OTHER_COLOUR}
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
        below = label_side(lay, actor).startswith("bottom")
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
        Line2D([], [], color=KIND_COLOURS[k], lw=2, label=f"{k} bond")
        for k in ("military", "economic", "political")
    ]
    handles += [
        Line2D([], [], color=KIND_COLOURS["membership"], ls=":", label="membership"),
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
    return fig


BUILDERS: dict[str, Callable[[WedgeResult], Figure]] = {
    "histogram": flip_price_histogram,
    "curve": p_flip_curve,
    "drivers": drivers_chart,
}
"""The charts of a wedge answer by name (:data:`alliances.plotting.KINDS` but ``"all"``)."""


def plot(result: WedgeResult, kind: str = "all") -> Figure | dict[str, Figure]:
    """The chart ``kind`` of ``result`` (``"all"``: a dict of the three), as Matplotlib figures."""
    return draw(result, kind, BUILDERS)
