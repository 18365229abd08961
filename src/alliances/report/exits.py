"""The page of ``alliances backtest --exits --report FILE.html``: calibration, ROC and the
decade-by-decade scores of the exit forecast, self-contained (Plotly inlined once).

:func:`render_exits` takes the :class:`~alliances.studies.backtest.ExitBacktest` that
:func:`~alliances.studies.backtest.backtest_exits` returns, not its JSON form."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

if TYPE_CHECKING:
    from alliances.studies.backtest import ExitBacktest

__all__ = ["nested", "render_exits"]

_NAMES = {
    "base_rate": "era base rate",
    "leeds_savun": "Leeds–Savun logit",
    "leeds_savun_structure": "Leeds–Savun + wedge price",
}


def _name(model: str) -> str:
    return _NAMES.get(model, model)


def _calibration(result: ExitBacktest) -> go.Figure:
    fig = go.Figure()
    top = 0.0
    for model, rows in result.calibration.items():
        x = [r["predicted"] for r in rows]
        y = [r["observed"] for r in rows]
        top = max(top, *x, *y)
        fig.add_scatter(x=x, y=y, mode="lines+markers", name=_name(model))
    return _finish(
        fig,
        top,
        "perfect",
        "Calibration: deciles of predicted yearly risk (rolling origin, pooled)",
        "mean predicted P(early exit this year)",
        "observed share of early exits",
    )


def _roc(result: ExitBacktest) -> go.Figure:
    fig = go.Figure()
    for model, curve in result.roc.items():
        fig.add_scatter(x=curve["fpr"], y=curve["tpr"], mode="lines", name=_name(model))
    return _finish(
        fig,
        1.0,
        "chance",
        "ROC of the pooled rolling-origin predictions",
        "false positive rate",
        "true positive rate",
    )


def _finish(
    fig: go.Figure, top: float, diagonal: str, title: str, x_title: str, y_title: str
) -> go.Figure:
    """``fig`` with the dotted diagonal from 0 to ``top`` named ``diagonal``, and titles."""
    fig.add_scatter(
        x=[0, top], y=[0, top], mode="lines", name=diagonal, line={"dash": "dot", "color": "grey"}
    )
    fig.update_layout(
        title=title, xaxis_title=x_title, yaxis_title=y_title, template="plotly_white"
    )
    return fig


def _decades(result: ExitBacktest) -> go.Figure:
    fig = go.Figure()
    labels = [p.label for p in result.decades]
    for model in result.models:
        aucs = [p.scores.get(model, {}).get("auc") for p in result.decades]
        fig.add_scatter(x=labels, y=aucs, mode="lines+markers", name=_name(model))
    events = [p.events for p in result.decades]
    fig.add_bar(x=labels, y=events, name="early exits (right axis)", yaxis="y2", opacity=0.25)
    fig.update_layout(
        title="AUC by decade (each decade predicted by a model fitted on the years before it)",
        yaxis={"title": "AUC", "range": [0, 1]},
        yaxis2={"title": "early exits", "overlaying": "y", "side": "right", "tickformat": "d"},
        template="plotly_white",
    )
    return fig


def _cell(scores: Mapping[str, Any], metric: str, scale: float = 1.0, digits: int = 3) -> str:
    value, (lo, hi) = scores[metric], scores[f"{metric}_ci"]
    if value is None:
        return "n/a"
    return f"{value * scale:.{digits}f} [{lo * scale:.{digits}f}, {hi * scale:.{digits}f}]"


def _table(title: str, block: Mapping[str, Any]) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "model",
            "AUC",
            "PR-AUC",
            "Brier ×100",
            "log loss",
            "share of events in top decile",
        )
    )
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(_name(m))}</td><td>{_cell(s, 'auc')}</td>"
        f"<td>{_cell(s, 'pr_auc', digits=4)}</td><td>{_cell(s, 'brier', 100, 4)}</td>"
        f"<td>{_cell(s, 'log_loss', digits=4)}</td><td>{_cell(s, 'top_decile')}</td></tr>"
        for m, s in block["scores"].items()
    )
    diffs = "".join(
        f"<li>{html.escape(pair)}: ΔAUC {_cell(d, 'auc')}, ΔBrier×100 "
        f"{_cell(d, 'brier', 100, 4)}</li>"
        for pair, d in block["differences"].items()
        if nested(pair, list(block["scores"]))
    )
    return (
        f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{rows}</table>"
        f"<p>{block['n']:,} member-years, {block['events']} early exits, {block['clusters']} "
        "alliances; 90% intervals from a bootstrap that resamples whole alliances.</p>"
        f"<ul>{diffs}</ul>"
    )


def render_exits(result: ExitBacktest) -> str:
    """The self-contained HTML page of an exit backtest."""
    figures = [_calibration(result), _roc(result), _decades(result)]
    parts = [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
        for i, fig in enumerate(figures)
    ]
    tables = [_table(f"Rolling origin by decade, {k}", v) for k, v in result.pooled.items()]
    held = result.holdout
    tables.append(_table(f"Confirmatory hold-out {held['first']}–{held['last']}", held))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>alliances: the exit forecast out of sample</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;"
        "text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>"
        "<h1>Does the exit forecast predict?</h1><p>Every prediction on this page is out of "
        "sample: each decade is predicted by models fitted only on the member-years before "
        "it, and the 1991–2016 hold-out was declared before any scoring (docs/forecast.md). "
        "The event is a member's early exit from an ATOP alliance on its own account; the "
        "unit is the member-year.</p>" + "".join(tables) + "".join(parts) + "</body></html>"
    )


def nested(pair: str, models: list[str]) -> bool:
    """Whether ``pair`` ("A - B") compares a later, richer model A with an earlier B."""
    a, b = pair.split(" - ")
    return models.index(a) > models.index(b)
