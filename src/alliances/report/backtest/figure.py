"""The backtest's figure for the README and papers: calibration and ROC side by side.

:func:`write_backtest_figure` draws the same :class:`~alliances.report.backtest.view.
BacktestView` as the page, with matplotlib's Agg canvas (no display, no global backend
switch), and writes it atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alliances._files import atomic_path
from alliances.errors import ParameterError
from alliances.report.backtest.view import (
    CASES,
    GUIDE,
    MODEL,
    backtest_view,
    marker_sizes,
    number_text,
)

if TYPE_CHECKING:
    from alliances.studies.backtest import Backtest

__all__ = ["write_backtest_figure"]

FORMATS = ("png", "svg", "pdf")
"""The formats :func:`write_backtest_figure` writes, by the suffix of the path."""

_DPI = 300
_NOTE: dict[str, Any] = {  # a panel's "cannot draw" text, on white over the guides
    "ha": "center",
    "va": "center",
    "bbox": {"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round"},
}


def write_backtest_figure(result: Backtest, path: str | os.PathLike[str]) -> Path:
    """The calibration plot and the ROC curve of a backtest, side by side, as a file.

    Drawn with matplotlib's Agg canvas (no display, no global backend switch) at 300 dpi
    and written atomically. The format follows the suffix: ``.png`` (the default for a
    path without one), ``.svg`` or ``.pdf``. A panel that cannot be drawn (too few cases,
    no success or no failure) says why instead.

    Raises
    ------
    ParameterError
        If the suffix is not one of the formats, or an outcome is unknown.
    OutputError
        If the file cannot be written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    target = Path(path).expanduser()
    fmt = target.suffix.lower().lstrip(".") or "png"
    if fmt not in FORMATS:
        msg = f"{target}: the suffix should be one of .png, .svg or .pdf (the figure's format)"
        raise ParameterError(msg)
    view = backtest_view(result)
    scored, rows, roc = view.scored, view.calibration, view.roc

    fig = Figure(figsize=(10, 5), layout="constrained")
    FigureCanvasAgg(fig)
    cal, curve = fig.subplots(1, 2)

    cal.plot([0, 1], [0, 1], "--", color=GUIDE, linewidth=1, label="perfect calibration")
    if scored:
        cal.scatter(
            [p for _, p, _ in scored],
            [y for _, _, y in scored],
            marker="|",
            s=120,
            color=CASES,
            label="each case (1 success, 0.5 partial, 0 failure)",
        )
    if rows:
        xs = [r["mean_predicted"] for r in rows]
        ys = [r["rate"] for r in rows]
        sizes = [s**2 for s in marker_sizes([r["n"] for r in rows], 6, 16)]
        cal.plot(xs, ys, "-", color=MODEL, linewidth=1)
        cal.scatter(
            xs,
            ys,
            s=sizes,
            color=MODEL,
            edgecolor="white",
            zorder=3,
            label="bins of P(flip) (size: cases)",
        )
        for r in rows:
            high = r["rate"] > 0.85  # below the point, clear of the cases at 1
            cal.annotate(
                f"n={r['n']:g}",
                (r["mean_predicted"], r["rate"]),
                textcoords="offset points",
                xytext=(8, -14) if high else (-8, 8),
                ha="left" if high else "right",
                fontsize=8,
                color=MODEL,
            )
    else:
        cal.text(0.5, 0.55, "no calibration table\n(too few cases scored)", **_NOTE)
    cal.set(
        xlim=(-0.04, 1.04),
        ylim=(-0.06, 1.08),
        xlabel="mean predicted P(flip) in the bin (probability)",
        ylabel="observed rate of flips (partial = 0.5)",
        title="Calibration",
        aspect="equal",
    )
    below = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.13), "frameon": False}
    cal.legend(fontsize=8, markerscale=0.6, **below)

    curve.plot([0, 1], [0, 1], "--", color=GUIDE, linewidth=1, label="chance (AUC 0.5)")
    if roc is not None:
        label = f"model, AUC {number_text(roc.auc)}"
        curve.plot(roc.fpr, roc.tpr, "-o", color=MODEL, markersize=3, label=label)
        curve.set_title(
            f"ROC: {roc.n_success} successes vs {roc.n_failure} failures (partials left out)"
        )
    else:
        curve.text(0.5, 0.55, "no ROC curve\n(needs a success and a failure)", **_NOTE)
        curve.set_title("ROC curve")
    curve.set(
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.04),
        xlabel="false-positive rate (share of failures predicted to flip)",
        ylabel="true-positive rate (share of successes)",
        aspect="equal",
    )
    curve.legend(fontsize=8, **below)
    for ax in (cal, curve):
        ax.grid(color="#eeeeee", linewidth=0.6)

    headline = f"Backtest: {len(scored)} cases scored, {view.n_skipped} skipped"
    scores = view.scores
    if scores is not None:
        brier = scores["brier"]
        skills = "; ".join(
            f"vs {b['short']} {b['skill']['value']}"
            + (f" {b['skill']['ci']}" if b["skill"]["ci"] else "")
            for b in scores["baselines"]
        )
        headline += (
            f"; Brier {brier['value']}"
            + (f" {brier['ci']}" if brier["ci"] else "")
            + f" ({view.level}% bootstrap intervals)\nBrier skill {skills}"
        )
    fig.suptitle(headline, fontsize=10)

    with atomic_path(target) as tmp:
        fig.savefig(
            tmp,
            format=fmt,
            dpi=_DPI,
            metadata={"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt),
        )
    return target
