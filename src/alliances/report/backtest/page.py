"""The backtest's page: one self-contained HTML file of the scores, charts and cases.

:func:`render_backtest` renders a :class:`~alliances.studies.backtest.Backtest` (read
once by :func:`~alliances.report.backtest.view.backtest_view`) with the Jinja2 template
``backtest.html.j2``: the scores with their bootstrap intervals stated plainly against
the three baselines, a calibration plot and the ROC curve
(:func:`alliances.plotting.backtest_chart`, Plotly), the calibrated P(flip) fitted on the
cases (its terms, leave-one-out scores against the baselines, permutation test and
calibration by instrument and era) and the table of the cases.
Plotly's script is inlined (the page opens with no network) and every text is escaped.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from alliances import __version__, plotting
from alliances.report._page import environment, page_parts
from alliances.report.backtest.view import backtest_view, number_text, scale_text

if TYPE_CHECKING:
    from alliances.studies.backtest import Backtest

__all__ = ["DEFAULT_TITLE", "render_backtest"]

DEFAULT_TITLE = "Backtest: the model against documented wedge attempts"


def _to_html(fig: Any, *, first: bool) -> str:
    """The figure as an HTML fragment, as wide as its box (at most 550 px on a wide page,
    the screen's width on a phone); the first carries Plotly's script inline."""
    fig.update_layout(width=None, autosize=True)
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
    from alliances.studies.backtest.catalogue import P_FLIP

    view = backtest_view(result)
    figures: dict[str, str] = {}
    if view.calibration:
        figure = plotting.backtest_chart(result, "calibration", backend="plotly")
        figures["calibration"] = _to_html(figure, first=True)
    if view.roc is not None:
        figure = plotting.backtest_chart(result, "roc", backend="plotly")
        figures["roc"] = _to_html(figure, first=not figures)

    fit = result.fitted
    template = environment().get_template("backtest.html.j2")
    scores = result.scores
    resamples = None if scores is None else getattr(scores, "n_boot", None)
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
        layer=view.layer,
        resamples=None if resamples is None else f"{int(resamples):,}",
        page=page_parts(),
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
