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
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, PercentFormatter

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
    from matplotlib.axes import Axes

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


class _Figure(Figure):
    """A figure that Jupyter shows as an image: without pyplot, IPython has no image
    formatter for a plain :class:`~matplotlib.figure.Figure` and prints its repr."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


_BELOW: dict[str, Any] = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.13), "frameon": False}
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
    """The structural threshold P(O* < offer) and the divider's willingness to pay, in USD
    bn, the offer marked; the calibrated P(flip) at the offer with its 90% interval where
    the result has it (``result.calibrated``)."""
    fig = _Figure(figsize=(7, 4))
    ax = fig.subplots()
    offer = float(result.offer["value"]) / 1e9
    grid = result.p_flip["offer"].to_numpy(dtype=float) / 1e9
    ax.plot(grid, result.p_flip["p"], color="#2166ac", lw=2, label=CURVE_TEXT["threshold"])
    willing = willingness_to_pay(result)
    if willing is not None:
        ax.plot(grid, willing, color="#d95f02", ls="--", label=CURVE_TEXT["willing"])
    at = float(result.offer["p_flip"])
    ax.axvline(offer, linestyle=":", color="grey", label=f"offer evaluated, {offer:,.0f} bn")
    ax.plot([offer], [at], "D", color="#2166ac")
    ax.annotate(
        f"threshold {at:.3f}", (offer, at), xytext=(-6, -4), textcoords="offset points", ha="right"
    )
    calibrated = calibrated_point(result)
    if calibrated is not None:
        low, high = calibrated.low, calibrated.high
        ax.errorbar(
            [offer],
            [calibrated.p],
            yerr=None
            if low is None or high is None
            else [[calibrated.p - low], [high - calibrated.p]],
            fmt="o",
            color="#1a9850",
            capsize=3,
            label=calibrated.label,
        )
        ax.annotate(
            f"calibrated {calibrated.p:.2f}",
            (offer, calibrated.p),
            xytext=(6, -4),
            textcoords="offset points",
            color="#1a9850",
        )
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


# --- the pair over the years ------------------------------------------------------------


def profile_chart(series: pd.DataFrame, target: str, partner: str) -> Figure:
    """The pair over the years, as three small multiples with their own axes.

    ``series`` is :func:`~alliances.studies.dyad_profile.profile_series`' table (a
    column it lacks is left out); ``target`` and ``partner`` name the two states.
    """
    panels = profile_panels(target, partner)
    fig = _Figure(figsize=(8, 8.5), layout="constrained")
    axes = fig.subplots(len(panels), 1, sharex=True)
    for ax, panel in zip(axes, panels, strict=True):
        drawn = False
        for k, (column, name) in enumerate(panel.lines):
            if column not in series.columns:
                continue
            values = pd.to_numeric(series[column], errors="coerce")
            if values.notna().any():
                drawn = True
            ax.plot(
                series["year"], values, "-o", color=PAIR_COLOURS[k % 2], markersize=3, label=name
            )
        if drawn:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        else:
            _note(ax, "no data for these years")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=panel.decimals))
        ax.set(title=panel.title, ylabel=panel.axis)
        ax.grid(color="#eeeeee", linewidth=0.6)
    axes[-1].set_xlabel("year")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(
        f"{profile_title(target, partner)}\n{PROFILE_SOURCES}", x=0.02, ha="left", fontsize=10
    )
    return fig


# --- the exit forecast's backtest -------------------------------------------------------


def exit_backtest_chart(result: ExitBacktest, kind: str = "calibration") -> Figure:
    """The chart ``kind`` (:data:`~alliances.plotting.EXIT_KINDS`) of an exit backtest."""
    check_kind(kind, EXIT_KINDS)
    text = EXIT_TEXT[kind]
    fig = _Figure(figsize=(8, 5), layout="constrained")
    ax = fig.subplots()
    if kind == "decades":
        labels = [p.label for p in result.decades]
        x = np.arange(len(labels))
        right = ax.twinx()
        right.bar(x, [p.events for p in result.decades], color="#888888", alpha=0.25)
        right.set_ylabel(EXIT_EVENTS_AXIS)
        right.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_zorder(right.get_zorder() + 1)  # the lines over the bars
        ax.patch.set_visible(False)
        for model in result.models:
            aucs = [p.scores.get(model, {}).get("auc") for p in result.decades]
            y = [np.nan if a is None else float(a) for a in aucs]
            ax.plot(x, y, "-o", markersize=4, label=exit_model_name(model))
        ax.set_xticks(x, labels)
        ax.set_ylim(0, 1)
        for i in exit_decades_without_auc(result):
            ax.text(i, 0.12, EXIT_NO_AUC, ha="center", va="center", fontsize=7, color="#666666")
        ax.plot([], [], "s", color="#888888", alpha=0.4, label=f"{EXIT_EVENTS_AXIS} (right axis)")
    else:
        if kind == "calibration":
            for model, rows in result.calibration.items():
                ax.plot(
                    [r["predicted"] for r in rows],
                    [r["observed"] for r in rows],
                    "-o",
                    markersize=4,
                    label=exit_model_name(model),
                )
            top = exit_calibration_top(result)
        else:
            for model, curve in result.roc.items():
                ax.plot(curve["fpr"], curve["tpr"], "-", label=exit_model_name(model))
            top = 1.0
        ax.plot([0, top], [0, top], ":", color="grey", label=text.diagonal)
    ax.set(title=text.title, xlabel=text.x, ylabel=text.y)
    ax.title.set_fontsize(10)
    ax.grid(color="#eeeeee", linewidth=0.6)
    if kind == "decades":  # beneath the chart, clear of the bars
        ax.legend(fontsize=8, ncols=2, **_BELOW)
    else:
        ax.legend(fontsize=8, loc="best")
    return fig


# --- the catalogue's backtest -----------------------------------------------------------

_EMPTY: dict[str, Any] = {  # a panel's "cannot draw" text, on white over the guides
    "ha": "center",
    "va": "center",
    "bbox": {"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round"},
}


def backtest_chart(result: Backtest, kind: str = "calibration") -> Figure:
    """The chart ``kind`` (:data:`~alliances.plotting.BACKTEST_KINDS`) of a backtest.

    ``"both"`` sets the calibration and ROC charts side by side in one figure (shorter
    titles), the figure for papers that ``alliances backtest --figure`` writes.
    """
    check_kind(kind, BACKTEST_KINDS)
    points = backtest_points(result)
    if kind == "both":
        fig = _Figure(figsize=(10, 5), layout="constrained")
        cal, curve = fig.subplots(1, 2)
        _backtest_calibration(cal, points, short=True)
        _backtest_roc(curve, points, short=True)
        return fig
    fig = _Figure(figsize=(5.5, 6), layout="constrained")
    ax = fig.subplots()
    if kind == "calibration":
        _backtest_calibration(ax, points)
    else:
        _backtest_roc(ax, points)
    return fig


def _backtest_calibration(ax: Axes, points: BacktestPoints, *, short: bool = False) -> None:
    rows, scored = points.calibration, points.scored
    ax.plot([0, 1], [0, 1], "--", color=GUIDE, linewidth=1, label=BACKTEST_LEGEND["perfect"])
    if scored:
        ax.scatter(
            [p for _, p, _ in scored],
            [y for _, _, y in scored],
            marker="|",
            s=120,
            color=CASES,
            label=BACKTEST_LEGEND["cases"],
        )
    if rows:
        xs = [r["mean_predicted"] for r in rows]
        ys = [r["rate"] for r in rows]
        sizes = [s**2 for s in marker_sizes([r["n"] for r in rows], 6, 16)]
        ax.plot(xs, ys, "-", color=MODEL, linewidth=1)
        ax.scatter(
            xs,
            ys,
            s=sizes,
            color=MODEL,
            edgecolor="white",
            zorder=3,
            label=BACKTEST_LEGEND["bins"],
        )
        for r in rows:
            high = r["rate"] > 0.85  # below the point, clear of the cases at 1
            ax.annotate(
                f"n={r['n']:g}",
                (r["mean_predicted"], r["rate"]),
                textcoords="offset points",
                xytext=(8, -14) if high else (-8, 8),
                ha="left" if high else "right",
                fontsize=8,
                color=MODEL,
            )
    else:
        ax.text(0.5, 0.55, BACKTEST_EMPTY["calibration"], **_EMPTY)
    x_title, y_title = BACKTEST_AXES["calibration"]
    ax.set(
        xlim=(-0.04, 1.04),
        ylim=(-0.06, 1.08),
        xlabel=x_title,
        ylabel=y_title,
        title="Calibration" if short else BACKTEST_CALIBRATION_TITLE,
        aspect="equal",
    )
    ax.title.set_fontsize(10)
    ax.legend(fontsize=8, markerscale=0.6, **_BELOW)
    ax.grid(color="#eeeeee", linewidth=0.6)


def _backtest_roc(ax: Axes, points: BacktestPoints, *, short: bool = False) -> None:
    roc = points.roc
    ax.plot([0, 1], [0, 1], "--", color=GUIDE, linewidth=1, label=BACKTEST_LEGEND["chance"])
    if roc is not None:
        label = f"the model (AUC {number_text(roc.auc)})"
        ax.plot(roc.fpr, roc.tpr, "-o", color=MODEL, markersize=3, label=label)
    else:
        ax.text(0.5, 0.55, BACKTEST_EMPTY["roc"], **_EMPTY)
    title = backtest_roc_title(roc)
    if short and roc is not None:
        title = f"ROC: {roc.n_success} successes vs {roc.n_failure} failures (partials left out)"
    x_title, y_title = BACKTEST_AXES["roc"]
    ax.set(
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.04),
        xlabel=x_title,
        ylabel=y_title,
        title=title,
        aspect="equal",
    )
    ax.title.set_fontsize(10)
    ax.legend(fontsize=8, **_BELOW)
    ax.grid(color="#eeeeee", linewidth=0.6)
