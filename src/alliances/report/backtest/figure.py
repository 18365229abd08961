"""The backtest's figure for the README and papers: calibration and ROC side by side.

:func:`write_backtest_figure` writes :func:`alliances.plotting.backtest_chart`'s
``"both"`` figure in its Matplotlib backend (no display, no pyplot), headed by the scores
of the same :class:`~alliances.report.backtest.view.BacktestView` as the page, atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from alliances import plotting
from alliances._files import atomic_path
from alliances.errors import ParameterError
from alliances.report.backtest.view import backtest_view

if TYPE_CHECKING:
    from alliances.studies.backtest import Backtest

__all__ = ["write_backtest_figure"]

FORMATS = ("png", "svg", "pdf")
"""The formats :func:`write_backtest_figure` writes, by the suffix of the path."""

_DPI = 300


def write_backtest_figure(result: Backtest, path: str | os.PathLike[str]) -> Path:
    """The calibration plot and the ROC curve of a backtest, side by side, as a file.

    Drawn by :func:`alliances.plotting.backtest_chart` with Matplotlib (no pyplot) at 300 dpi
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
    target = Path(path).expanduser()
    fmt = target.suffix.lower().lstrip(".") or "png"
    if fmt not in FORMATS:
        msg = f"{target}: the suffix should be one of .png, .svg or .pdf (the figure's format)"
        raise ParameterError(msg)
    view = backtest_view(result)
    scored = view.scored
    fig = plotting.backtest_chart(result, "both", backend="matplotlib")

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
