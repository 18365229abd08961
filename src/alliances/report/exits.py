"""The page of ``alliances backtest --exits --report FILE.html``: calibration, ROC and the
decade-by-decade scores of the exit forecast, self-contained (Plotly inlined once).

The charts are :func:`alliances.plotting.exit_backtest_chart`'s, in its Plotly backend.

:func:`render_exits` takes the :class:`~alliances.studies.backtest.ExitBacktest` that
:func:`~alliances.studies.backtest.backtest_exits` returns, not its JSON form."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from alliances import plotting

if TYPE_CHECKING:
    from alliances.studies.backtest import ExitBacktest

__all__ = ["nested", "render_exits"]


def _name(model: str) -> str:
    return plotting.exit_model_name(model)


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
    figures = [
        plotting.exit_backtest_chart(result, kind, backend="plotly")
        for kind in plotting.EXIT_KINDS
    ]
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
