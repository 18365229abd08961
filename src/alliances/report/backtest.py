"""The backtest's page and figure: the model's predictions graded against history.

:func:`render_backtest` turns the JSON-ready result of a backtest
(:meth:`alliances.studies.backtest.Backtest.to_dict`) into one self-contained HTML page:
the scores with their bootstrap intervals stated plainly against the three baselines,
a calibration plot, the ROC curve and the table of the cases. Plotly's script is inlined
(the page opens with no network) and every text is escaped. :func:`write_backtest_figure`
draws the calibration plot and the ROC curve with matplotlib, for the README and papers.

The conventions are those of :mod:`alliances.analysis.scoring`: a partial outcome counts
as the label 0.5 in the scores and in the observed rates, and is left out of the ROC
curve and its AUC (it is neither a success nor a failure).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike, NDArray

from alliances import __version__
from alliances._files import atomic_path
from alliances.analysis.scoring import LABELS
from alliances.errors import ParameterError

__all__ = ["Roc", "render_backtest", "roc_points", "write_backtest_figure"]

DEFAULT_TITLE = "Backtest: the model against documented wedge attempts"

_FIGURE_FORMATS = ("png", "svg", "pdf")
_DPI = 300
_NOTE: dict[str, Any] = {  # a panel's "cannot draw" text, on white over the guides
    "ha": "center",
    "va": "center",
    "bbox": {"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round"},
}

# (skill key, baseline's Brier key, name in a sentence, short name, how it predicts)
_BASELINES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "brier_skill",
        "base_rate_brier",
        "the base rate",
        "base rate",
        "each case predicted by the mean outcome of the other cases (leave-one-out)",
    ),
    (
        "brier_skill_vs_logistic",
        "logistic_brier",
        "the logistic regression",
        "logistic",
        "an L2 logistic regression on the data features, fitted on the other cases",
    ),
    (
        "brier_skill_vs_rule",
        "rule_brier",
        "the instrument rule",
        "instrument rule",
        "“rewards succeed more often than coercion”: the success rate of the other "
        "attempts with the same instrument (reward only, or with coercion)",
    ),
)


# --------------------------------------------------------------------------- ROC


class Roc(NamedTuple):
    """An empirical ROC curve: one point per distinct threshold, from (0, 0) to (1, 1).

    ``thresholds[k]`` is the P(flip) at or above which a case counts as predicted to
    flip at point k (``inf`` for the first point, where none does).
    """

    fpr: NDArray[np.float64]
    tpr: NDArray[np.float64]
    thresholds: NDArray[np.float64]
    auc: float
    n_success: int
    n_failure: int


def roc_points(p: ArrayLike, y: ArrayLike) -> Roc | None:
    r"""The ROC curve of predictions ``p`` against soft labels ``y``, partials left out.

    For each distinct prediction t, from the highest down, the point is

    .. math::

        \mathrm{FPR}(t) = \frac{|\{j \in F : p_j \ge t\}|}{|F|}, \qquad
        \mathrm{TPR}(t) = \frac{|\{i \in S : p_i \ge t\}|}{|S|},

    S the successes (y = 1) and F the failures (y = 0); a partial (y = 0.5) is neither and
    is left out. Tied predictions move both rates at once (a diagonal segment), so the
    area under the curve by the trapezoid rule is the Mann–Whitney AUC of
    :func:`alliances.analysis.scoring.roc_auc`, a tie counting one half.

    Parameters
    ----------
    p : array_like
        Predicted probabilities, in [0, 1], one per case.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial (left out), 0 failure.

    Returns
    -------
    Roc or None
        The curve and its area; None when no success or no failure remains (the curve
        is undefined).

    Raises
    ------
    ParameterError
        If a p is outside [0, 1], a y is not 0, 0.5 or 1, or the lengths differ.

    Examples
    --------
    Two successes (0.9, 0.8), two failures (0.8, 0.3) and a partial (left out):

    >>> roc = roc_points([0.9, 0.8, 0.8, 0.3, 0.6], [1, 1, 0, 0, 0.5])
    >>> roc.fpr.tolist(), roc.tpr.tolist(), roc.auc
    ([0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0], 0.875)
    """
    probs = np.asarray(p, dtype=float)
    labels = np.asarray(y, dtype=float)
    if probs.ndim != 1 or labels.shape != probs.shape:
        msg = f"p.shape={probs.shape} and y.shape={labels.shape} should be equal and 1-d"
        raise ParameterError(msg)
    bad = ~((probs >= 0.0) & (probs <= 1.0))
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        msg = f"p[{i}]={float(probs[i])!r} should be in [0, 1] (a probability)"
        raise ParameterError(msg)
    if not np.all(np.isin(labels, (0.0, 0.5, 1.0))):
        i = int(np.flatnonzero(~np.isin(labels, (0.0, 0.5, 1.0)))[0])
        msg = f"y[{i}]={float(labels[i])!r} should be 0, 0.5 or 1 (failure, partial, success)"
        raise ParameterError(msg)
    pos = np.sort(probs[labels == 1.0])
    neg = np.sort(probs[labels == 0.0])
    if pos.size == 0 or neg.size == 0:
        return None
    cuts = np.unique(np.concatenate([pos, neg]))[::-1]
    # Cases at or above each threshold: all minus those strictly below it.
    tpr = (pos.size - np.searchsorted(pos, cuts, side="left")) / pos.size
    fpr = (neg.size - np.searchsorted(neg, cuts, side="left")) / neg.size
    fpr = np.concatenate([[0.0], fpr])
    tpr = np.concatenate([[0.0], tpr])
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))
    return Roc(
        fpr=fpr,
        tpr=tpr,
        thresholds=np.concatenate([[math.inf], cuts]),
        auc=area,
        n_success=int(pos.size),
        n_failure=int(neg.size),
    )


# --------------------------------------------------------------------------- reading the data


def _number(value: Any) -> float | None:
    """A finite float, or None for None, NaN, ±inf or anything not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _label(case: Mapping[str, Any]) -> float:
    outcome = case.get("outcome")
    if outcome not in LABELS:
        msg = f"case {case.get('id')!r}: outcome={outcome!r} should be one of {', '.join(LABELS)}"
        raise ParameterError(msg)
    return float(LABELS[str(outcome)])


def _scored(cases: Sequence[Mapping[str, Any]]) -> list[tuple[str, float, float]]:
    """(id, P(flip), label) of every case scored: not skipped, with a prediction."""
    out = []
    for case in cases:
        label = _label(case)
        p = _number(case.get("p_flip"))
        if not case.get("skipped") and p is not None:
            out.append((str(case.get("id")), p, label))
    return out


def _calibration(scores: Mapping[str, Any]) -> list[dict[str, float]]:
    rows = []
    for row in scores.get("calibration") or []:
        values = {k: _number(row.get(k)) for k in ("lower", "upper", "mean_predicted")}
        rate, n = _number(row.get("observed_rate")), _number(row.get("n"))
        if rate is None or n is None or n <= 0 or any(v is None for v in values.values()):
            continue
        rows.append({**{k: float(v or 0.0) for k, v in values.items()}, "n": n, "rate": rate})
    return rows


# --------------------------------------------------------------------------- text


def _num(value: Any, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals and a true minus sign; "n/a" if undefined."""
    x = _number(value)
    if x is None:
        return "n/a"
    text = f"{x:.{digits}f}"
    if text.startswith("-"):
        text = "0." + "0" * digits if set(text[1:]) <= {"0", "."} else "−" + text[1:]
    return text


def _sig(value: Any) -> str:
    """``value`` to 3 significant figures (a scale: "1", "2.4", "0.0025"); "n/a" if undefined."""
    x = _number(value)
    return "n/a" if x is None else f"{x:.3g}".replace("-", "−")


def _bounds(ci: Any) -> tuple[float | None, float | None]:
    """(low, high) of an interval ``[low, high]``; (None, None) if missing or undefined."""
    if not isinstance(ci, Sequence) or isinstance(ci, str) or len(ci) != 2:
        return None, None
    low, high = _number(ci[0]), _number(ci[1])
    if low is None or high is None:
        return None, None
    return low, high


def _interval(ci: Any, digits: int = 2) -> str | None:
    """The interval as "[low, high]", or None when it is missing or undefined."""
    low, high = _bounds(ci)
    if low is None or high is None:
        return None
    return f"[{_num(low, digits)}, {_num(high, digits)}]"


def _usd_bn(value: Any) -> str:
    """A USD amount in billions: 3 significant figures below 10 bn, "∞", or "n/a"."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    x = _number(value)
    if x is None:
        return "n/a"
    bn = x / 1e9
    if bn == 0:
        return "0"
    if abs(bn) >= 10:
        return f"{bn:,.0f}"
    return f"{bn:.3g}"


def _level(scores: Mapping[str, Any]) -> str:
    """The coverage of the intervals in percent (the scores' ``level``, else 90)."""
    return _num(100 * (_number(scores.get("level")) or 0.9), 0)


def _with_ci(scores: Mapping[str, Any], name: str, digits: int) -> dict[str, str | None]:
    ci = (scores.get("ci") or {}).get(name)
    return {"value": _num(scores.get(name), digits), "ci": _interval(ci, digits)}


def _verdict(scores: Mapping[str, Any], key: str, name: str) -> dict[str, str]:
    """One plain sentence on the model's Brier skill against a baseline, and its tone."""
    skill = _number(scores.get(key))
    ci = (scores.get("ci") or {}).get(key)
    interval = _interval(ci)
    if skill is None:
        return {
            "tone": "undefined",
            "text": f"The skill against {name} is undefined: its Brier score is 0 "
            "(it predicts every case exactly) or there are too few cases.",
        }
    stated = f"skill {_num(skill)} {interval}" if interval else f"skill {_num(skill)}"
    low, high = _bounds(ci)
    if skill <= 0 and high is not None and high < 0:
        return {"tone": "bad", "text": f"The model does worse than {name}: {stated}."}
    if skill <= 0:
        return {"tone": "bad", "text": f"The model does not beat {name}: {stated}."}
    if low is not None and low > 0:
        return {"tone": "good", "text": f"The model beats {name}: {stated}."}
    if low is None:
        return {
            "tone": "unclear",
            "text": f"The model scores better than {name} on these cases: {stated} "
            "(no bootstrap interval was computed, so how sure is unknown).",
        }
    return {
        "tone": "unclear",
        "text": f"The model scores better than {name} on these cases, but not clearly: "
        f"{stated}, an interval that includes 0.",
    }


def _tally(tones: Sequence[str]) -> str:
    """One sentence on how many baselines the model beats, clearly or not."""
    n = len(tones)
    good, unclear, bad, undefined = (
        tones.count(t) for t in ("good", "unclear", "bad", "undefined")
    )
    if good == n:
        return f"The model beats all {n} baselines clearly (each skill's interval above 0)."
    if bad == n:
        return f"The model does not beat any of the {n} baselines."
    parts = []
    if good:
        parts.append(f"beats {good} clearly (the skill's interval above 0)")
    if unclear:
        parts.append(f"scores better than {unclear} but not clearly (the interval includes 0)")
    if bad:
        parts.append(f"does not beat {bad}")
    if undefined:
        parts.append(f"has an undefined skill against {undefined}")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of the {n} baselines, the model {joined}."


def _scores_view(scores: Mapping[str, Any]) -> dict[str, Any] | None:
    if _number(scores.get("brier")) is None:
        return None
    auc = _number(scores.get("auc"))
    baselines: list[dict[str, Any]] = [
        {
            "name": name,
            "short": short,
            "how": how,
            "brier": _with_ci(scores, brier, 3),
            "skill": _with_ci(scores, skill, 2),
            **_verdict(scores, skill, name),
        }
        for skill, brier, name, short, how in _BASELINES
    ]
    return {
        "brier": _with_ci(scores, "brier", 3),
        "log_loss": _with_ci(scores, "log_loss", 3),
        "auc": _with_ci(scores, "auc", 2),
        "auc_defined": auc is not None,
        "baselines": baselines,
        "tally": _tally([b["tone"] for b in baselines]),
    }


def _case_rows(
    cases: Sequence[Mapping[str, Any]], held_out: Mapping[str, Any]
) -> list[dict[str, Any]]:
    rows = []
    for case in cases:
        _label(case)
        skipped = bool(case.get("skipped"))
        reward_only = case.get("reward_only")
        rows.append(
            {
                "id": str(case.get("id")),
                "year": "n/a" if case.get("year") is None else str(case.get("year")),
                "outcome": str(case.get("outcome")),
                "p_flip": "—" if skipped else _num(case.get("p_flip")),
                "flip_price": "—" if skipped else _usd_bn(case.get("flip_price_p50")),
                "max_offer": "—" if skipped else _usd_bn(case.get("max_offer_p50")),
                "instrument": "n/a"
                if reward_only is None
                else ("reward only" if reward_only else "with coercion"),
                "skipped": skipped,
                "reason": case.get("reason") or "no reason given",
                "warnings": [str(w) for w in case.get("warnings") or []],
                "held_out": _sig(held_out.get(str(case.get("id"))))
                if str(case.get("id")) in held_out
                else None,
            }
        )
    return rows


def _feature_table(cases: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    names: list[str] = []
    for case in cases:
        for name in case.get("features") or {}:
            if name not in names:
                names.append(str(name))
    if not names:
        return None
    rows = [
        {
            "id": str(case.get("id")),
            "values": [_num((case.get("features") or {}).get(n), 3) for n in names],
        }
        for case in cases
        if case.get("features")
    ]
    return {"names": names, "rows": rows}


# --------------------------------------------------------------------------- charts

_MODEL = "#2166ac"
_CASES = "#888888"
_GUIDE = "#999999"
# Fixed sizes: Plotly draws a chart before the next one exists, so a chart sized to a
# shared row would be drawn at the full width and then clipped.
_CHART_SIZE = 550


def _marker_sizes(ns: Sequence[float], smallest: float, largest: float) -> list[float]:
    top = max(ns) if ns else 1.0
    return [smallest + (largest - smallest) * math.sqrt(n / top) for n in ns]


def _calibration_figure(
    rows: Sequence[Mapping[str, float]], scored: Sequence[tuple[str, float, float]]
) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            line={"color": _GUIDE, "dash": "dash", "width": 1},
            name="perfect calibration",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[p for _, p, _ in scored],
            y=[y for _, _, y in scored],
            mode="markers",
            marker={"color": _CASES, "size": 7, "symbol": "line-ns-open", "line": {"width": 2}},
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
            line={"color": _MODEL, "width": 1},
            marker={
                "color": _MODEL,
                "size": _marker_sizes([r["n"] for r in rows], 9, 26),
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
            line={"color": _GUIDE, "dash": "dash", "width": 1},
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
            line={"color": _MODEL, "width": 2},
            marker={"size": 6},
            name=f"the model (AUC {_num(roc.auc)})",
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


# --------------------------------------------------------------------------- the page


def render_backtest(data: Mapping[str, Any], *, title: str = DEFAULT_TITLE) -> str:
    """The page of a backtest result as one self-contained HTML string.

    ``data`` is the JSON-ready dict of
    :meth:`alliances.studies.backtest.Backtest.to_dict` (or that dict read back from
    JSON): ``cases``, ``scores``, ``scale``, ``samples``, ``seed``, ``p_flip`` and, after
    a fit, ``fit``. Any number may be None (undefined), and ``scores`` may hold only
    ``n`` and ``n_skipped`` when too few cases were scored: the page then says so and
    shows the cases alone.

    Raises
    ------
    ParameterError
        If a case's outcome is not ``success``, ``partial`` or ``failure``.
    """
    from jinja2 import Environment, PackageLoader

    cases: list[Mapping[str, Any]] = list(data.get("cases") or [])
    scores: Mapping[str, Any] = data.get("scores") or {}
    scored = _scored(cases)
    fit = data.get("fit") if isinstance(data.get("fit"), Mapping) else None
    held_out = (fit or {}).get("held_out_scales") or {}
    view = _scores_view(scores)

    figures: dict[str, str] = {}
    calibration = _calibration(scores)
    roc = roc_points([p for _, p, _ in scored], [y for _, _, y in scored]) if scored else None
    if calibration:
        figures["calibration"] = _to_html(_calibration_figure(calibration, scored), first=True)
    if roc is not None:
        figures["roc"] = _to_html(_roc_figure(roc), first=not figures)

    labels = [y for _, _, y in scored]
    n_scored = _number(scores.get("n"))
    env = Environment(
        loader=PackageLoader("alliances.report", "templates"),
        autoescape=True,  # the template is .html.j2, which select_autoescape would miss
    )
    template = env.get_template("backtest.html.j2")
    return template.render(
        title=title,
        n=len(scored) if n_scored is None else int(n_scored),
        n_skipped=sum(bool(c.get("skipped")) for c in cases),
        n_cases=len(cases),
        counts={
            "success": labels.count(1.0),
            "partial": labels.count(0.5),
            "failure": labels.count(0.0),
        },
        scores=view,
        level=_level(scores),
        definition=str(data.get("p_flip") or "not given"),
        scale=_sig(data.get("scale")),
        samples=f"{int(data['samples']):,}" if _number(data.get("samples")) else "n/a",
        seed=data.get("seed", "n/a"),
        fit=None
        if fit is None
        else {
            "scale": _sig(fit.get("willingness_scale")),
            "cv_brier": _num(fit.get("cv_brier"), 3),
            "in_sample_brier": _num(fit.get("in_sample_brier"), 3),
            "note": fit.get("note"),
        },
        params=data.get("params") if isinstance(data.get("params"), Mapping) else None,
        figures=figures,
        roc=roc,
        auc_from_scores=view is not None and view["auc_defined"],
        cases=_case_rows(cases, held_out),
        held_out=bool(held_out),
        features=_feature_table(cases),
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


# --------------------------------------------------------------------------- the figure


def write_backtest_figure(data: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
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
    if fmt not in _FIGURE_FORMATS:
        msg = f"{target}: the suffix should be one of .png, .svg or .pdf (the figure's format)"
        raise ParameterError(msg)
    cases: list[Mapping[str, Any]] = list(data.get("cases") or [])
    scores: Mapping[str, Any] = data.get("scores") or {}
    scored = _scored(cases)
    rows = _calibration(scores)
    roc = roc_points([p for _, p, _ in scored], [y for _, _, y in scored]) if scored else None

    fig = Figure(figsize=(10, 5), layout="constrained")
    FigureCanvasAgg(fig)
    cal, curve = fig.subplots(1, 2)

    cal.plot([0, 1], [0, 1], "--", color=_GUIDE, linewidth=1, label="perfect calibration")
    if scored:
        cal.scatter(
            [p for _, p, _ in scored],
            [y for _, _, y in scored],
            marker="|",
            s=120,
            color=_CASES,
            label="each case (1 success, 0.5 partial, 0 failure)",
        )
    if rows:
        xs = [r["mean_predicted"] for r in rows]
        ys = [r["rate"] for r in rows]
        sizes = [s**2 for s in _marker_sizes([r["n"] for r in rows], 6, 16)]
        cal.plot(xs, ys, "-", color=_MODEL, linewidth=1)
        cal.scatter(
            xs,
            ys,
            s=sizes,
            color=_MODEL,
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
                color=_MODEL,
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

    curve.plot([0, 1], [0, 1], "--", color=_GUIDE, linewidth=1, label="chance (AUC 0.5)")
    if roc is not None:
        curve.plot(
            roc.fpr, roc.tpr, "-o", color=_MODEL, markersize=3, label=f"model, AUC {_num(roc.auc)}"
        )
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

    n_skipped = sum(bool(c.get("skipped")) for c in cases)
    headline = f"Backtest: {len(scored)} cases scored, {n_skipped} skipped"
    view = _scores_view(scores)
    if view is not None:
        brier = view["brier"]
        skills = "; ".join(
            f"vs {b['short']} {b['skill']['value']}"
            + (f" {b['skill']['ci']}" if b["skill"]["ci"] else "")
            for b in view["baselines"]
        )
        headline += (
            f"; Brier {brier['value']}"
            + (f" {brier['ci']}" if brier["ci"] else "")
            + f" ({_level(scores)}% bootstrap intervals)\nBrier skill {skills}"
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
