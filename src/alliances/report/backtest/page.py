"""The backtest's page: one self-contained HTML file of the scores, charts and cases.

:func:`render_backtest` renders a :class:`~alliances.studies.backtest.Backtest` (read
once by :func:`~alliances.report.backtest.view.backtest_view`) with the Jinja2 template
``backtest.html.j2``: the scores with their bootstrap intervals stated plainly against
the three baselines, a calibration plot, the ROC curve and the table of the cases.
Plotly's script is inlined (the page opens with no network) and every text is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from alliances import __version__
from alliances.analysis.scoring import Roc
from alliances.report.backtest.view import (
    CASES,
    GUIDE,
    MODEL,
    backtest_view,
    marker_sizes,
    number_text,
    scale_text,
)

if TYPE_CHECKING:
    from alliances.studies.backtest import Backtest

__all__ = ["DEFAULT_TITLE", "render_backtest"]

DEFAULT_TITLE = "Backtest: the model against documented wedge attempts"

# Fixed sizes: Plotly draws a chart before the next one exists, so a chart sized to a
# shared row would be drawn at the full width and then clipped.
_CHART_SIZE = 550


def _calibration_figure(
    rows: Sequence[Mapping[str, float]], scored: Sequence[tuple[str, float, float]]
) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            line={"color": GUIDE, "dash": "dash", "width": 1},
            name="perfect calibration",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[p for _, p, _ in scored],
            y=[y for _, _, y in scored],
            mode="markers",
            marker={"color": CASES, "size": 7, "symbol": "line-ns-open", "line": {"width": 2}},
            name="each case (1 success, 0.5 partial, 0 failure)",
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
            name="bins of P(flip) (size: cases)",
            hovertext=[
                f"P(flip) in [{r['lower']:.1f}, {r['upper']:.1f}]: {r['n']:g} cases, "
                f"mean P(flip) {r['mean_predicted']:.2f}, observed rate {r['rate']:.2f}"
                for r in rows
            ],
            hoverinfo="text",
        )
    )
    fig.update_layout(
        title={"text": "Calibration: predicted P(flip) against what happened"},
        xaxis={
            "title": {"text": "mean predicted P(flip) in the bin (probability, 0–1)"},
            "range": [-0.04, 1.04],
            "dtick": 0.2,
            "constrain": "domain",
        },
        yaxis={
            "title": {"text": "observed rate of flips (partial = 0.5; 0–1)"},
            "range": [-0.06, 1.08],
            "dtick": 0.2,
            "scaleanchor": "x",
            "constrain": "domain",
        },
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
        margin={"t": 60, "l": 70, "r": 20, "b": 40},
        width=_CHART_SIZE,
        height=_CHART_SIZE,
    )
    return fig


def _roc_figure(roc: Roc) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            line={"color": GUIDE, "dash": "dash", "width": 1},
            name="chance (AUC 0.5)",
            hoverinfo="skip",
        )
    )
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
    fig.update_layout(
        title={
            "text": f"ROC curve: {roc.n_success} successes against {roc.n_failure} failures "
            "(partials left out)"
        },
        xaxis={
            "title": {"text": "false-positive rate (share of failures predicted to flip, 0–1)"},
            "range": [-0.02, 1.02],
            "dtick": 0.2,
        },
        yaxis={
            "title": {"text": "true-positive rate (share of successes, 0–1)"},
            "range": [-0.02, 1.04],
            "dtick": 0.2,
        },
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
        margin={"t": 60, "l": 70, "r": 20, "b": 40},
        width=_CHART_SIZE,
        height=_CHART_SIZE,
    )
    return fig


def _to_html(fig: go.Figure, *, first: bool) -> str:
    """The figure as an HTML fragment; the first carries Plotly's script inline."""
    return str(
        fig.to_html(
            full_html=False,
            include_plotlyjs=bool(first),
            config={"displayModeBar": False, "responsive": True},
        )
    )


def render_backtest(result: Backtest, *, title: str = DEFAULT_TITLE) -> str:
    """The page of a backtest as one self-contained HTML string.

    ``result`` is what :func:`~alliances.studies.backtest.backtest` or
    :func:`~alliances.studies.backtest.fit_scale` returns. Any number may be NaN or None
    (undefined), and ``result.scores`` is None when too few cases were scored: the page
    then says so and shows the cases alone.

    Raises
    ------
    ParameterError
        If a case's outcome is not ``success``, ``partial`` or ``failure``.
    """
    from jinja2 import Environment, PackageLoader

    from alliances.studies.backtest.catalogue import P_FLIP

    view = backtest_view(result)
    figures: dict[str, str] = {}
    if view.calibration:
        figure = _calibration_figure(view.calibration, view.scored)
        figures["calibration"] = _to_html(figure, first=True)
    if view.roc is not None:
        figures["roc"] = _to_html(_roc_figure(view.roc), first=not figures)

    fit = result.fitted
    env = Environment(
        loader=PackageLoader("alliances.report", "templates"),
        autoescape=True,  # the template is .html.j2, which select_autoescape would miss
    )
    template = env.get_template("backtest.html.j2")
    return template.render(
        title=title,
        n=view.n,
        n_skipped=view.n_skipped,
        n_cases=view.n_cases,
        counts=view.counts,
        scores=view.scores,
        level=view.level,
        definition=P_FLIP,
        scale=scale_text(result.scale),
        samples=f"{int(result.samples):,}" if result.samples else "n/a",
        seed=result.seed,
        fit=None
        if fit is None
        else {
            "scale": scale_text(fit.get("willingness_scale")),
            "cv_brier": number_text(fit.get("cv_brier"), 3),
            "in_sample_brier": number_text(fit.get("in_sample_brier"), 3),
            "note": fit.get("note"),
        },
        params=result.params,
        figures=figures,
        roc=view.roc,
        auc_from_scores=view.scores is not None and view.scores["auc_defined"],
        cases=view.cases,
        held_out=bool((fit or {}).get("held_out_scales")),
        features=view.features,
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
