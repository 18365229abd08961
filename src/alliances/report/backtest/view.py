"""What the backtest's page and figure show, read from the result objects: numbers as text.

:func:`backtest_view` reads a :class:`~alliances.studies.backtest.Backtest` once: the
scored cases with their soft labels, the calibration table and the ROC curve
(:func:`alliances.plotting.backtest_points`, which rejects an unknown outcome), the
scores stated as text with their intervals and a plain verdict against each baseline,
and the table of the cases. The page (:mod:`~alliances.report.backtest.page`) and the figure
(:mod:`~alliances.report.backtest.figure`) draw the same :class:`BacktestView`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alliances.analysis.scoring import Roc, Scores
from alliances.plotting import backtest_points, number_text
from alliances.plotting import finite_or_none as _number

if TYPE_CHECKING:
    from alliances.studies.backtest import Backtest, CaseResult

__all__ = [
    "BASELINES",
    "LAYER_TERMS",
    "BacktestView",
    "backtest_view",
    "figures_text",
    "number_text",
    "scale_text",
    "signed_text",
]

# (skill key, baseline's Brier key, name in a sentence, short name, how it predicts)
BASELINES: tuple[tuple[str, str, str, str, str], ...] = (
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

"""The baselines as the page names them: (skill, baseline's Brier, name in a sentence,
short name, how it predicts), in the order of the scores."""

LAYER_TERMS: dict[str, tuple[str, str]] = {
    "a": ("intercept", "log-odds of a flip for a reward-only offer with m̄ = 0 and κ̄ = 1"),
    "c": ("coercion", "added when the offer comes with coercion"),
    "g": ("log margin of the offer over O*", "per unit of m̄, the offer's margin over O*"),
    "k": ("log credibility", "per unit of ln κ̄, the offer's credibility"),
}
"""The terms of the calibrated P(flip) = σ(a + c·coercion + g·m̄ + k·ln κ̄): (name, meaning)."""

LAYER_FORECASTS: dict[str, str] = {
    "layer": "the layer (a, c, g and k)",
    "instrument_only": "the instrument alone (the layer with g = k = 0)",
    "instrument_rule": "the instrument rule",
    "base_rate": "the base rate",
}
"""The forecasts the layer is scored against leave-one-out, as the page names them."""


# --------------------------------------------------------------------------- text


def scale_text(value: Any) -> str:
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
    return f"[{number_text(low, digits)}, {number_text(high, digits)}]"


def figures_text(value: Any) -> str:
    """``value`` to 3 significant figures, trailing zeros kept so that a column reads alike
    ("1.00", "1.69", "10.0", "0.00237"); whole from 100 on ("213", "1,250"); "n/a" if
    undefined.

    >>> [figures_text(x) for x in (1, 1.69, 10, 0.0049213, 213.4, 1250.0, None)]
    ['1.00', '1.69', '10.0', '0.00492', '213', '1,250', 'n/a']
    """
    x = _number(value)
    if x is None:
        return "n/a"
    if x == 0:
        return "0"
    text = f"{x:,.0f}" if abs(x) >= 99.95 else f"{x:#.3g}"
    return text.replace("-", "−")


def _usd_bn(value: Any) -> str:
    """A USD amount in billions to 3 significant figures (:func:`figures_text`), "∞",
    "−∞", or "n/a"."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    x = _number(value)
    return "n/a" if x is None else figures_text(x / 1e9)


def signed_text(value: Any, digits: int = 3) -> str:
    """``value`` with ``digits`` decimals and its sign, + or −, unless it rounds to 0.

    >>> [signed_text(x) for x in (0.0234, -0.0312, 0.00001, None)]
    ['+0.023', '−0.031', '0.000', 'n/a']
    """
    text = number_text(value, digits)
    x = _number(value)
    if x is not None and x > 0 and text.strip("0.") != "":
        return "+" + text
    return text


def difference_text(value: Any, ci: Any, digits: int = 3) -> dict[str, str | None]:
    """A difference as text with its sign (``value``), its interval ``ci`` ("[low, high]"
    or None) and where the interval lies against 0 (``side``: "above", "below",
    "includes" or "unknown").

    >>> difference_text(-0.0123, (-0.02, -0.004))
    {'value': '−0.012', 'ci': '[−0.020, −0.004]', 'side': 'below'}
    """
    low, high = _bounds(ci)
    interval = (
        None
        if low is None or high is None
        else f"[{signed_text(low, digits)}, {signed_text(high, digits)}]"
    )
    side = "unknown" if low is None or high is None else "includes"
    if high is not None and high < 0:
        side = "below"
    elif low is not None and low > 0:
        side = "above"
    return {"value": signed_text(value, digits), "ci": interval, "side": side}


def _groups(groups: Any) -> list[dict[str, str]]:
    if not isinstance(groups, dict):
        return []
    return [
        {
            "group": str(name),
            "n": str(g.get("n", "n/a")),
            "predicted": number_text(g.get("predicted")),
            "observed": number_text(g.get("observed")),
        }
        for name, g in groups.items()
    ]


def _layer_view(calibration: dict[str, Any] | None) -> dict[str, Any] | None:
    """The calibrated P(flip) of the backtest's cases: its terms with their intervals, its
    leave-one-out scores against the baselines, the permutation test of g and its
    calibration by instrument and era; None when the backtest fitted none."""
    if not calibration:
        return None
    layer = calibration.get("layer") or {}
    record = calibration.get("track_record") or {}
    intervals = layer.get("intervals") or {}
    terms = [
        {
            "key": key,
            "name": LAYER_TERMS.get(key, (key, ""))[0],
            "meaning": LAYER_TERMS.get(key, (key, ""))[1],
            "value": number_text(value, 3),
            "ci": _interval(intervals.get(key), 2),
        }
        for key, value in (layer.get("parameters") or {}).items()
    ]
    scores = [
        {
            "name": LAYER_FORECASTS.get(key, key),
            "brier": number_text(s.get("brier"), 3),
            "log_loss": number_text(s.get("log_loss"), 3),
            "auc": number_text(s.get("auc"), 2),
        }
        for key, s in (record.get("leave_one_out") or {}).items()
    ]
    differences = []
    for pair, d in (record.get("differences") or {}).items():
        reference = pair.split(" - ", 1)[-1]
        differences.append(
            {
                "against": LAYER_FORECASTS.get(reference, reference),
                **difference_text(d.get("brier"), d.get("brier_ci")),
                "detectable": number_text(d.get("detectable_at_80_percent_power"), 3),
            }
        )
    fitted_on = layer.get("fitted_on") or {}
    return {
        "version": str(layer.get("version") or "unfitted"),
        "cases": fitted_on.get("cases", record.get("n")),
        "n": record.get("n"),
        "terms": terms,
        "scores": scores,
        "differences": differences,
        "permutation_p": number_text(record.get("permutation_p_g"), 2),
        "by_instrument": _groups(record.get("by_instrument")),
        "by_era": _groups(record.get("by_era")),
    }


def _level(scores: Scores | None) -> str:
    """The coverage of the intervals in percent (the scores' ``level``, else 90)."""
    return number_text(100 * ((None if scores is None else _number(scores.level)) or 0.9), 0)


def _with_ci(scores: Scores, name: str, digits: int) -> dict[str, str | None]:
    ci = scores.ci.get(name)
    return {"value": number_text(getattr(scores, name), digits), "ci": _interval(ci, digits)}


def _verdict(scores: Scores, key: str, name: str) -> dict[str, str]:
    """One plain sentence on the model's Brier skill against a baseline, and its tone."""
    skill = _number(getattr(scores, key))
    ci = scores.ci.get(key)
    interval = _interval(ci)
    if skill is None:
        return {
            "tone": "undefined",
            "text": f"The skill against {name} is undefined: its Brier score is 0 "
            "(it predicts every case exactly) or there are too few cases.",
        }
    stated = f"skill {number_text(skill)}" + (f" {interval}" if interval else "")
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


def _scores_view(scores: Scores | None) -> dict[str, Any] | None:
    if scores is None or _number(scores.brier) is None:
        return None
    auc = _number(scores.auc)
    baselines: list[dict[str, Any]] = [
        {
            "name": name,
            "short": short,
            "how": how,
            "brier": _with_ci(scores, brier, 3),
            "skill": _with_ci(scores, skill, 2),
            **_verdict(scores, skill, name),
        }
        for skill, brier, name, short, how in BASELINES
    ]
    return {
        "brier": _with_ci(scores, "brier", 3),
        "log_loss": _with_ci(scores, "log_loss", 3),
        "auc": _with_ci(scores, "auc", 2),
        "auc_defined": auc is not None,
        "baselines": baselines,
        "tally": _tally([b["tone"] for b in baselines]),
    }


def _case_rows(cases: Sequence[CaseResult], held_out: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for case in cases:
        skipped = bool(case.skipped)
        reward_only = case.reward_only
        rows.append(
            {
                "id": str(case.id),
                "year": "n/a" if case.year is None else str(case.year),
                "outcome": str(case.outcome),
                "p_flip": "—" if skipped else number_text(case.p_flip),
                "flip_price": "—" if skipped else _usd_bn(case.flip_price_p50),
                "max_offer": "—" if skipped else _usd_bn(case.max_offer_p50),
                "instrument": "n/a"
                if reward_only is None
                else ("reward only" if reward_only else "with coercion"),
                "skipped": skipped,
                "reason": case.reason or "no reason given",
                "warnings": [str(w) for w in case.warnings or []],
                "held_out": figures_text(held_out[str(case.id)])
                if str(case.id) in held_out
                else None,
            }
        )
    return rows


def _feature_table(cases: Sequence[CaseResult]) -> dict[str, Any] | None:
    names: list[str] = []
    for case in cases:
        for name in case.features or {}:
            if name not in names:
                names.append(str(name))
    if not names:
        return None
    rows = [
        {"id": str(case.id), "values": [number_text(case.features.get(n), 3) for n in names]}
        for case in cases
        if case.features
    ]
    return {"names": names, "rows": rows}


@dataclass(frozen=True)
class BacktestView:
    """A backtest as the page and the figure show it (made by :func:`backtest_view`).

    Attributes
    ----------
    scored : list of (str, float, float)
        (id, P(flip), soft label) of every case scored, in the catalogue's order.
    n_cases, n_skipped, n : int
        Cases in all, skipped, and scored (the scores' ``n``).
    calibration : list of dict
        The calibration table's bins with cases: ``lower``, ``upper``,
        ``mean_predicted``, ``n`` and ``rate`` (the observed rate).
    roc : Roc or None
        The ROC curve of the scored cases (:func:`~alliances.analysis.scoring.roc_curve`).
    scores : dict or None
        The scores as text with their intervals and a verdict against each baseline;
        None when too few cases were scored.
    level : str
        The coverage of the intervals, in percent.
    cases : list of dict
        One row of text per case.
    features : dict or None
        The data features of the cases (``names`` and ``rows``), if any.
    layer : dict or None
        The calibrated P(flip) fitted on the cases (its terms, leave-one-out scores,
        permutation test and calibration by instrument and era), if the backtest made one.
    """

    scored: list[tuple[str, float, float]]
    n_cases: int
    n_skipped: int
    n: int
    calibration: list[dict[str, float]]
    roc: Roc | None
    scores: dict[str, Any] | None
    level: str
    cases: list[dict[str, Any]]
    features: dict[str, Any] | None
    layer: dict[str, Any] | None = None

    @property
    def auc_text(self) -> str:
        """The area under the ROC curve as text ("n/a" without a curve)."""
        return number_text(None if self.roc is None else self.roc.auc)

    @property
    def counts(self) -> dict[str, int]:
        """Successes, partials and failures among the scored cases."""
        labels = [y for _, _, y in self.scored]
        return {
            "success": labels.count(1.0),
            "partial": labels.count(0.5),
            "failure": labels.count(0.0),
        }


def backtest_view(result: Backtest) -> BacktestView:
    """Read ``result`` once for the page and the figure.

    Raises
    ------
    ParameterError
        If a case's outcome is not ``success``, ``partial`` or ``failure``.
    """
    points = backtest_points(result)
    fit = result.fitted
    held_out = (fit or {}).get("held_out_scales") or {}
    scores = result.scores
    return BacktestView(
        scored=points.scored,
        n_cases=len(result.cases),
        n_skipped=sum(bool(c.skipped) for c in result.cases),
        n=len(result.scored) if scores is None else int(scores.n),
        calibration=points.calibration,
        roc=points.roc,
        scores=_scores_view(scores),
        level=_level(scores),
        cases=_case_rows(result.cases, held_out),
        features=_feature_table(result.cases),
        layer=_layer_view(result.calibration),
    )
