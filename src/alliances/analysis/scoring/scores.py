r"""A forecast scored in one object: the model's scores, three baselines, bootstrap intervals.

:func:`score` puts together the measures of :mod:`~alliances.analysis.scoring.metrics`,
the leave-one-out baselines of :mod:`~alliances.analysis.scoring.baselines` and the
intervals of :mod:`~alliances.analysis.scoring.bootstrap` in one frozen :class:`Scores`.
An undefined number (an AUC with one class, a skill against a perfect reference) is NaN
in :class:`Scores` and None in :meth:`Scores.to_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from alliances.analysis._checks import warn_fallback
from alliances.analysis.scoring._base import (
    check_c,
    check_features,
    check_groups,
    checked_cases,
    json_number,
    readonly,
)
from alliances.analysis.scoring.baselines import loo_base_rates, loo_logistic, loo_rule
from alliances.analysis.scoring.bootstrap import SCORE_NAMES, bootstrap_intervals
from alliances.analysis.scoring.metrics import (
    brier_score,
    brier_skill,
    calibration_table,
    log_loss,
    roc_auc,
)
from alliances.errors import ParameterError

__all__ = ["Scores", "score"]


@dataclass(frozen=True, eq=False)
class Scores:
    """The scores of a set of predictions, their baselines and bootstrap intervals.

    Made by :func:`score`. An undefined number (an AUC with one class left, a skill
    against a perfect baseline) is NaN here and None in :meth:`to_dict`.

    Attributes
    ----------
    n : int
        Cases scored.
    brier, log_loss, auc : float
        The model's Brier score, log loss and ROC AUC (partials left out of the AUC).
    base_rate_brier, logistic_brier, rule_brier : float
        The Brier score of each leave-one-out baseline.
    brier_skill, brier_skill_vs_logistic, brier_skill_vs_rule : float
        The model's Brier skill against each baseline, 1 − brier / baseline's brier.
    base_rate_p, logistic_p, rule_p : numpy.ndarray
        Each baseline's prediction for each case (read-only).
    calibration : pandas.DataFrame
        The model's calibration table (:func:`calibration_table`).
    ci : dict of str to (float, float)
        The bootstrap percentile interval of every score in :data:`SCORE_NAMES`
        ((NaN, NaN) if no resample defines it, or with ``n_boot=0``).
    level : float
        The coverage of the intervals.
    n_boot : int
        Bootstrap resamples drawn.
    warnings : tuple of str
        The fallbacks the baselines made, also issued as ``AlliancesWarning``.
    """

    n: int
    brier: float
    log_loss: float
    auc: float
    base_rate_brier: float
    brier_skill: float
    logistic_brier: float
    brier_skill_vs_logistic: float
    rule_brier: float
    brier_skill_vs_rule: float
    base_rate_p: NDArray[np.float64]
    logistic_p: NDArray[np.float64]
    rule_p: NDArray[np.float64]
    calibration: pd.DataFrame
    ci: dict[str, tuple[float, float]]
    level: float = 0.9
    n_boot: int = 0
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The scores as JSON-ready built-in types, undefined numbers as None.

        Keys: ``n``, every name in :data:`SCORE_NAMES`, ``ci`` (score name to
        ``[low, high]``) and ``calibration`` (one dict per row of the table).
        """
        out: dict[str, Any] = {"n": int(self.n)}
        for name in SCORE_NAMES:
            out[name] = json_number(getattr(self, name))
        out["ci"] = {
            name: [json_number(low), json_number(high)] for name, (low, high) in self.ci.items()
        }
        out["calibration"] = [
            {
                "lower": float(row.lower),
                "upper": float(row.upper),
                "n": int(row.n),
                "mean_predicted": float(row.mean_predicted),
                "observed_rate": float(row.observed_rate),
            }
            for row in self.calibration.itertuples(index=False)
        ]
        return out


def score(
    p: ArrayLike,
    y: ArrayLike,
    *,
    features: ArrayLike,
    reward_only: ArrayLike,
    n_boot: int = 2000,
    seed: int | None = 0,
    level: float = 0.9,
    bins: int = 5,
    C: float = 1.0,
) -> Scores:
    r"""Score predictions against outcomes, against three baselines, with bootstrap intervals.

    Computes the Brier score [1]_, the log loss, the ROC AUC (partials left out), a
    calibration table, the three leave-one-out baselines (:func:`base_rate_baseline`,
    :func:`logistic_baseline` on ``features``, :func:`rule_baseline` on
    ``reward_only``), their Brier scores and the model's Brier skill against each:

    .. math::

        \mathrm{BSS}_b = 1 - \frac{B(p, y)}{B(\hat p^{(b)}, y)}.

    The intervals are bootstrap percentile intervals [2]_: the cases are resampled with
    replacement ``n_boot`` times (a NumPy ``Generator`` seeded with ``seed``) and every
    score is recomputed on each resample from the predictions already made, the
    baselines' included (they are not refitted); a resample where a score is undefined
    (an AUC with one class, a skill against a perfect baseline) is skipped for that
    score. The interval of level α runs from the (1 − α)/2 to the (1 + α)/2 quantile.

    Parameters
    ----------
    p : array_like
        The model's predicted probabilities of success, in [0, 1], one per case.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure; at least 3 cases.
    features : array_like
        Feature matrix for the logistic baseline, n × k (a 1-d array is one feature).
    reward_only : array_like of bool
        For the rule baseline: True for a reward-only attempt, False for any coercion.
    n_boot : int, optional
        Bootstrap resamples, ≥ 0 (0: no intervals, every one (NaN, NaN)).
    seed : int or None, optional
        Seed of the bootstrap (None: fresh entropy).
    level : float, optional
        Coverage of the intervals, in (0, 1).
    bins : int, optional
        Bins of the calibration table.
    C : float, optional
        Inverse L2 penalty of the logistic baseline.

    Returns
    -------
    Scores
        Every score, the baselines' predictions, the calibration table and the
        intervals; :meth:`Scores.to_dict` gives the JSON-ready form.

    Raises
    ------
    ParameterError
        If an input is invalid: p, y, features or reward_only (as in the functions
        above), n_boot < 0, level outside (0, 1), bins < 1 or C ≤ 0.

    Warns
    -----
    AlliancesWarning
        When a baseline falls back to the base rate (also kept in ``Scores.warnings``).

    References
    ----------
    .. [1] Brier, G. W. (1950). Verification of forecasts expressed in terms of
       probability. *Monthly Weather Review* 78(1): 1–3.
    .. [2] Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall, ch. 13.
    .. [3] Murphy, A. H. (1973). Hedging and skill scores for probability forecasts.
       *Journal of Applied Meteorology* 12(1): 215–223.

    Examples
    --------
    >>> s = score(
    ...     [0.9, 0.7, 0.6, 0.2, 0.4, 0.1],
    ...     [1, 1, 0.5, 0, 1, 0],
    ...     features=[3.0, 2.0, 2.5, 0.5, 1.0, 0.0],
    ...     reward_only=[True, True, False, False, True, False],
    ...     n_boot=500,
    ... )
    >>> s.n, round(s.brier, 4), s.auc
    (6, 0.0867, 1.0)
    >>> round(s.base_rate_brier, 4), round(s.brier_skill, 3)
    (0.29, 0.701)
    >>> low, high = s.ci["brier"]
    >>> bool(low <= s.brier <= high)
    True
    >>> sorted(s.to_dict())[:4]
    ['auc', 'base_rate_brier', 'brier', 'brier_skill']
    """
    probs, labels = checked_cases(p, y, minimum=3)
    x = check_features(features, len(labels))
    groups = check_groups(reward_only, len(labels))
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 0:
        msg = f"n_boot={n_boot!r} should be an integer >= 0 (bootstrap resamples)"
        raise ParameterError(msg)
    if not (isinstance(level, int | float) and 0.0 < level < 1.0):
        msg = f"level={level!r} should be in (0, 1) (the coverage of the intervals)"
        raise ParameterError(msg)
    c = check_c(C)
    table = calibration_table(probs, labels, bins=bins)

    base = loo_base_rates(labels)
    logistic, logistic_notes = loo_logistic(x, labels, c)
    rule, rule_notes = loo_rule(labels, groups)
    notes = [*logistic_notes, *rule_notes]
    for note in notes:
        warn_fallback(note, stacklevel=2)

    brier = brier_score(probs, labels)
    base_brier = brier_score(base, labels)
    logistic_brier = brier_score(logistic, labels)
    rule_brier = brier_score(rule, labels)
    ci = bootstrap_intervals(
        probs,
        labels,
        {"base_rate": base, "logistic": logistic, "rule": rule},
        n_boot=int(n_boot),
        seed=np.random.default_rng(seed),
        level=float(level),
    )
    return Scores(
        n=len(labels),
        brier=brier,
        log_loss=log_loss(probs, labels),
        auc=roc_auc(probs, labels),
        base_rate_brier=base_brier,
        brier_skill=brier_skill(brier, base_brier),
        logistic_brier=logistic_brier,
        brier_skill_vs_logistic=brier_skill(brier, logistic_brier),
        rule_brier=rule_brier,
        brier_skill_vs_rule=brier_skill(brier, rule_brier),
        base_rate_p=readonly(base),
        logistic_p=readonly(logistic),
        rule_p=readonly(rule),
        calibration=table,
        ci=ci,
        level=float(level),
        n_boot=int(n_boot),
        warnings=tuple(notes),
    )
