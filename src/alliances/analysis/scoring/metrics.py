r"""Scores of predicted probabilities against outcomes: Brier, log loss, ROC, calibration, skill.

The outcome of a wedge attempt is a soft label (:data:`LABELS`): 1 for a success, 0.5 for
a partial success, 0 for a failure. The scores take the partial as the label 0.5; the ROC
curve and its AUC leave it out (it is neither a success nor a failure). Every function
checks its inputs once and is pure: arrays in, numbers, arrays or a frame out.

Examples
--------
>>> y = soft_labels(["success", "failure", "partial"])
>>> y.tolist()
[1.0, 0.0, 0.5]
>>> round(brier_score([0.8, 0.3, 0.5], y), 4)
0.0433
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from alliances.analysis.scoring._base import (
    auc_kernel,
    check_labels,
    check_probabilities,
    checked_cases,
    log_losses,
)
from alliances.errors import ParameterError

__all__ = [
    "LABELS",
    "Roc",
    "brier_score",
    "brier_skill",
    "calibration_table",
    "log_loss",
    "roc_auc",
    "roc_curve",
    "soft_labels",
]

LABELS: Mapping[str, float] = MappingProxyType({"success": 1.0, "partial": 0.5, "failure": 0.0})
"""The soft label of each outcome of a wedge attempt."""


def soft_labels(outcomes: Iterable[str], *, where: str | None = None) -> NDArray[np.float64]:
    r"""The soft label of each outcome: 1 for a success, 0.5 for a partial, 0 for a failure.

    The labels the scores compare the predictions with, as in the Brier score [1]_:

    .. math::

        y_i = \mathbf{1}[o_i = \text{success}] + \tfrac12\,\mathbf{1}[o_i = \text{partial}].

    Parameters
    ----------
    outcomes : iterable of str
        ``"success"``, ``"partial"`` or ``"failure"``, one per case.
    where : str, optional
        What the outcomes belong to, named in the error ("case 'italy-1915'"); by default
        the position of the outcome.

    Returns
    -------
    numpy.ndarray
        The labels, one per outcome.

    Raises
    ------
    ParameterError
        If an outcome is not one of the three.

    References
    ----------
    .. [1] Brier, G. W. (1950). Verification of forecasts expressed in terms of
       probability. *Monthly Weather Review* 78(1): 1–3.

    Examples
    --------
    >>> soft_labels(["success", "partial", "failure"]).tolist()
    [1.0, 0.5, 0.0]
    >>> soft_labels(["won"], where="case 'x'")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alliances.errors.ParameterError: case 'x': outcome='won' should be one of ...
    """
    labels = []
    for i, outcome in enumerate(outcomes):
        if outcome not in LABELS:
            place = f"outcomes[{i}]" if where is None else where
            msg = f"{place}: outcome={outcome!r} should be one of {', '.join(LABELS)}"
            raise ParameterError(msg)
        labels.append(LABELS[outcome])
    return np.array(labels, dtype=float)


def brier_score(p: ArrayLike, y: ArrayLike) -> float:
    r"""Brier score: the mean squared difference between predictions and outcomes.

    The probability score of Brier [1]_ for a binary event, with the partial outcome
    taken as the label 0.5:

    .. math::

        B = \frac{1}{n} \sum_{i=1}^{n} (p_i - y_i)^2, \qquad y_i \in \{0, \tfrac12, 1\}.

    0 is a perfect forecast; always predicting 0.5 scores 0.25 on successes and failures.

    Parameters
    ----------
    p : array_like
        Predicted probabilities of success, in [0, 1], one per case.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure.

    Returns
    -------
    float
        The Brier score, in [0, 1].

    Raises
    ------
    ParameterError
        If a p is outside [0, 1] or not finite, a y is not 0, 0.5 or 1, the lengths
        differ or there are fewer than 2 cases.

    See Also
    --------
    brier_skill : the score relative to a reference forecast.

    References
    ----------
    .. [1] Brier, G. W. (1950). Verification of forecasts expressed in terms of
       probability. *Monthly Weather Review* 78(1): 1–3.

    Examples
    --------
    (0.04 + 0.09 + 0) / 3, the partial scored against 0.5:

    >>> round(brier_score([0.8, 0.3, 0.5], [1, 0, 0.5]), 6)
    0.043333
    >>> brier_score([0.5, 0.5], [1, 0])
    0.25
    """
    probs, labels = checked_cases(p, y)
    return float(np.mean((probs - labels) ** 2))


def log_loss(p: ArrayLike, y: ArrayLike, eps: float = 1e-15) -> float:
    r"""Log loss: the mean negative log-likelihood of the outcomes under the predictions.

    The logarithmic score of Good [1]_, with the partial outcome taken as the label 0.5
    and the predictions clipped away from 0 and 1 so that a confident miss costs
    :math:`-\log \epsilon` (about 34.5 for the default) rather than infinity:

    .. math::

        L = -\frac{1}{n} \sum_{i=1}^{n}
            \left[ y_i \log q_i + (1 - y_i) \log (1 - q_i) \right],
        \qquad q_i = \min(\max(p_i, \epsilon), 1 - \epsilon).

    A partial case adds :math:`-\tfrac12 \log q_i - \tfrac12 \log(1 - q_i)`, at least
    log 2 (at q = 0.5): no forecast predicts a partial outcome perfectly.

    Parameters
    ----------
    p : array_like
        Predicted probabilities of success, in [0, 1], one per case.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure.
    eps : float, optional
        Clipping of the predictions, in (0, 0.5).

    Returns
    -------
    float
        The log loss in nats, ≥ 0.

    Raises
    ------
    ParameterError
        If the inputs are invalid (as for :func:`brier_score`) or eps is outside (0, 0.5).

    References
    ----------
    .. [1] Good, I. J. (1952). Rational decisions. *Journal of the Royal Statistical
       Society B* 14(1): 107–114.

    Examples
    --------
    >>> round(log_loss([0.8, 0.3], [1, 0]), 6)  # -(log 0.8 + log 0.7) / 2
    0.289909
    >>> round(log_loss([0.5, 0.5], [0.5, 0.5]), 6)  # a partial costs at least log 2
    0.693147
    >>> round(log_loss([1.0, 0.0], [0, 1]), 2)  # clipped: -log(1e-15)
    34.54
    """
    probs, labels = checked_cases(p, y)
    if not 0.0 < eps < 0.5:
        msg = f"eps={eps!r} should be in (0, 0.5) (the clipping of the predictions)"
        raise ParameterError(msg)
    return float(np.mean(log_losses(probs, labels, eps)))


def roc_auc(p: ArrayLike, y: ArrayLike) -> float:
    r"""Area under the ROC curve: the chance that a success is ranked above a failure.

    The Mann–Whitney form of Hanley and McNeil [1]_, over the successes
    :math:`S = \{i : y_i = 1\}` and the failures :math:`F = \{j : y_j = 0\}`, a tie
    counting one half:

    .. math::

        \mathrm{AUC} = \frac{1}{|S|\,|F|} \sum_{i \in S} \sum_{j \in F}
            \left( \mathbf{1}[p_i > p_j] + \tfrac12 \mathbf{1}[p_i = p_j] \right).

    **Partial cases are left out**: a partial outcome is neither a success nor a failure,
    so it has no side to be ranked on. 0.5 is chance, 1 a perfect ranking.

    Parameters
    ----------
    p : array_like
        Predicted probabilities of success, in [0, 1], one per case.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial (left out), 0 failure.

    Returns
    -------
    float
        The AUC in [0, 1]; NaN (never an error) when, the partials left out, no success
        or no failure remains: the AUC is undefined then.

    Raises
    ------
    ParameterError
        If the inputs are invalid (as for :func:`brier_score`).

    References
    ----------
    .. [1] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the area under
       a receiver operating characteristic (ROC) curve. *Radiology* 143(1): 29–36.

    Examples
    --------
    Two successes, two failures: of the four pairs, three are ranked right and one is a
    tie (0.4 against 0.4); the partial is left out:

    >>> roc_auc([0.9, 0.4, 0.4, 0.1, 0.7], [1, 1, 0, 0, 0.5])
    0.875
    >>> roc_auc([0.9, 0.4, 0.6], [1, 1, 0.5])  # no failure: undefined
    nan
    """
    probs, labels = checked_cases(p, y)
    pos, neg = probs[labels == 1.0], probs[labels == 0.0]
    if pos.size == 0 or neg.size == 0:
        return math.nan
    return float(auc_kernel(pos, neg).mean())


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


def roc_curve(p: ArrayLike, y: ArrayLike) -> Roc | None:
    r"""The ROC curve of predictions ``p`` against soft labels ``y``, partials left out.

    For each distinct prediction t, from the highest down, the point is

    .. math::

        \mathrm{FPR}(t) = \frac{|\{j \in F : p_j \ge t\}|}{|F|}, \qquad
        \mathrm{TPR}(t) = \frac{|\{i \in S : p_i \ge t\}|}{|S|},

    S the successes (y = 1) and F the failures (y = 0); a partial (y = 0.5) is neither and
    is left out. Tied predictions move both rates at once (a diagonal segment), so the
    area under the curve by the trapezoid rule is the Mann–Whitney AUC of :func:`roc_auc`
    (Hanley and McNeil [1]_), a tie counting one half.

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

    References
    ----------
    .. [1] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the area under
       a receiver operating characteristic (ROC) curve. *Radiology* 143(1): 29–36.

    Examples
    --------
    Two successes (0.9, 0.8), two failures (0.8, 0.3) and a partial (left out):

    >>> roc = roc_curve([0.9, 0.8, 0.8, 0.3, 0.6], [1, 1, 0, 0, 0.5])
    >>> roc.fpr.tolist(), roc.tpr.tolist(), roc.auc
    ([0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0], 0.875)
    """
    probs = np.asarray(p, dtype=float)
    labels = np.asarray(y, dtype=float)
    if probs.ndim != 1 or labels.shape != probs.shape:
        msg = f"p.shape={probs.shape} and y.shape={labels.shape} should be equal and 1-d"
        raise ParameterError(msg)
    check_probabilities(probs)
    check_labels(labels)
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


def calibration_table(p: ArrayLike, y: ArrayLike, bins: int = 5) -> pd.DataFrame:
    r"""Reliability table: mean prediction and observed success rate in bins of p.

    The cases are put in K equal-width bins of the prediction on [0, 1], bin k holding
    :math:`B_k = \{i : k/K \le p_i < (k+1)/K\}` (the last bin closed at 1), and each bin
    compares the mean prediction with the mean soft label, as in a reliability diagram
    [1]_:

    .. math::

        \bar p_k = \frac{1}{n_k} \sum_{i \in B_k} p_i, \qquad
        \bar y_k = \frac{1}{n_k} \sum_{i \in B_k} y_i, \qquad n_k = |B_k|.

    A partial case counts 0.5 in the observed rate. Well-calibrated predictions have
    :math:`\bar y_k \approx \bar p_k` in every bin.

    Parameters
    ----------
    p : array_like
        Predicted probabilities of success, in [0, 1], one per case.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure.
    bins : int, optional
        Number K ≥ 1 of equal-width bins.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin (empty bins are omitted), in increasing order:
        ``lower`` and ``upper`` (the bin's edges), ``n`` (cases), ``mean_predicted``
        and ``observed_rate``.

    Raises
    ------
    ParameterError
        If the inputs are invalid (as for :func:`brier_score`) or bins < 1.

    References
    ----------
    .. [1] Murphy, A. H. and Winkler, R. L. (1977). Reliability of subjective probability
       forecasts of precipitation and temperature. *Journal of the Royal Statistical
       Society C* 26(1): 41–47.

    Examples
    --------
    >>> calibration_table([0.1, 0.15, 0.7, 0.9, 1.0], [0, 0.5, 1, 1, 0], bins=2)
       lower  upper  n  mean_predicted  observed_rate
    0    0.0    0.5  2        0.125000       0.250000
    1    0.5    1.0  3        0.866667       0.666667
    """
    probs, labels = checked_cases(p, y)
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or bins < 1:
        msg = f"bins={bins!r} should be an integer >= 1 (the number of bins)"
        raise ParameterError(msg)
    k = int(bins)
    edges = np.arange(k + 1) / k  # k/K exactly, so that p = 0.6 falls in [0.6, 0.8)
    which = np.clip(np.searchsorted(edges, probs, side="right") - 1, 0, k - 1)
    counts = np.bincount(which, minlength=k)
    sum_p = np.bincount(which, weights=probs, minlength=k)
    sum_y = np.bincount(which, weights=labels, minlength=k)
    kept = counts > 0
    return pd.DataFrame(
        {
            "lower": edges[:-1][kept],
            "upper": edges[1:][kept],
            "n": counts[kept].astype(np.int64),
            "mean_predicted": sum_p[kept] / counts[kept],
            "observed_rate": sum_y[kept] / counts[kept],
        }
    )


def brier_skill(brier: float, reference: float) -> float:
    r"""Brier skill score: the share of a reference forecast's Brier score removed.

    The skill score of Murphy [1]_:

    .. math::

        \mathrm{BSS} = 1 - \frac{B}{B_{\mathrm{ref}}}.

    1 is a perfect forecast, 0 no better than the reference, < 0 worse.

    Parameters
    ----------
    brier : float
        The Brier score B of the forecast, ≥ 0.
    reference : float
        The Brier score :math:`B_{\mathrm{ref}}` of the reference (a baseline), ≥ 0.

    Returns
    -------
    float
        The skill; NaN when the reference is 0 (a perfect reference leaves nothing to
        improve on: the skill is undefined).

    Raises
    ------
    ParameterError
        If a score is negative or not finite.

    References
    ----------
    .. [1] Murphy, A. H. (1973). Hedging and skill scores for probability forecasts.
       *Journal of Applied Meteorology* 12(1): 215–223.

    Examples
    --------
    >>> brier_skill(0.15, 0.25)
    0.4
    >>> brier_skill(0.3, 0.25)
    -0.19999999999999996
    >>> brier_skill(0.1, 0.0)
    nan
    """
    for name, value in (("brier", brier), ("reference", reference)):
        if not (math.isfinite(value) and value >= 0.0):
            msg = f"{name}={value!r} should be a finite number >= 0 (a Brier score)"
            raise ParameterError(msg)
    if reference == 0.0:
        return math.nan
    return 1.0 - float(brier) / float(reference)
