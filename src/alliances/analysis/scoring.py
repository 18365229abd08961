r"""Scores of predicted flip probabilities against the outcomes of wedge attempts.

A backtest gives, for each historical wedge attempt i, the model's probability
:math:`p_i` that the target flips, and the attempt's outcome: ``success``, ``partial`` or
``failure``. This module scores the predictions (Brier score, log loss, ROC AUC, a
calibration table), builds three leave-one-out baselines that the model has to beat, and
puts it all, with bootstrap intervals, in one :class:`Scores` (:func:`score`). It is
pure: NumPy arrays in, plain objects out, no I/O.

Partial outcomes
----------------
An outcome is a soft label :math:`y_i`: 1 for a success, 0.5 for a partial success, 0 for
a failure (:data:`LABELS`). The same convention holds everywhere:

* **scores** take the partial as the label 0.5: it adds :math:`(p - 0.5)^2` to the Brier
  score, :math:`-\tfrac12 \log p - \tfrac12 \log(1 - p)` to the log loss and 0.5 to an
  observed rate (a base rate, a group's success rate, a calibration bin);
* **fits** take it as two rows, one success and one failure, each of weight 1/2
  (:func:`expand_partials`). The log-likelihood is linear in the label, so this is the
  same as fitting the soft label 0.5, and it lets a fitter that knows only 0 and 1
  (scikit-learn's ``LogisticRegression`` with ``sample_weight``) use the partials;
* the **ROC AUC** ranks successes above failures, and a partial is neither: the AUC leaves
  the partial cases out (and is NaN when no success or no failure remains).

Baselines
---------
Each baseline predicts case i from the other n − 1 cases only (leave-one-out, Stone
1974), so that its score is an out-of-sample one, like the model's:

* :func:`base_rate_baseline`: the mean label of the other cases (the "climatology" of a
  skill score, Murphy 1973);
* :func:`logistic_baseline`: an L2 logistic regression on the caller's features
  (standardised inside each fold);
* :func:`rule_baseline`: the instrument rule of the wedge literature, that rewards succeed
  more often than coercion (Crawford 2011; Izumikawa 2013): the success rate of the other
  attempts with the same instrument (reward-only, or with any coercion).

An undefined number (an AUC with one class, a skill against a perfect reference) is NaN
in :class:`Scores` and None in :meth:`Scores.to_dict`.

References
----------
.. [1] Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
   *Monthly Weather Review* 78(1): 1–3.
.. [2] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the area under a
   receiver operating characteristic (ROC) curve. *Radiology* 143(1): 29–36.
.. [3] Murphy, A. H. (1973). Hedging and skill scores for probability forecasts.
   *Journal of Applied Meteorology* 12(1): 215–223.
.. [4] Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
   Chapman & Hall, ch. 13 (percentile intervals).
.. [5] Stone, M. (1974). Cross-validatory choice and assessment of statistical
   predictions. *Journal of the Royal Statistical Society B* 36(2): 111–147.
.. [6] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies shape
   power politics. *International Security* 35(4): 155–189.
.. [7] Izumikawa, Y. (2013). To coerce or reward? Theorizing wedge strategies in alliance
   politics. *Security Studies* 22(3): 498–531.

Examples
--------
>>> outcomes = ["success", "failure", "partial"]
>>> [LABELS[o] for o in outcomes]
[1.0, 0.0, 0.5]
>>> round(brier_score([0.8, 0.3, 0.5], [LABELS[o] for o in outcomes]), 4)
0.0433
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from alliances.analysis._checks import warn_fallback
from alliances.errors import ParameterError

__all__ = [
    "LABELS",
    "SCORE_NAMES",
    "Scores",
    "base_rate_baseline",
    "brier_score",
    "brier_skill",
    "calibration_table",
    "expand_partials",
    "log_loss",
    "logistic_baseline",
    "roc_auc",
    "rule_baseline",
    "score",
]

LABELS: Mapping[str, float] = MappingProxyType({"success": 1.0, "partial": 0.5, "failure": 0.0})
"""The soft label of each outcome of a wedge attempt."""

SCORE_NAMES: tuple[str, ...] = (
    "brier",
    "log_loss",
    "auc",
    "base_rate_brier",
    "brier_skill",
    "logistic_brier",
    "brier_skill_vs_logistic",
    "rule_brier",
    "brier_skill_vs_rule",
)
"""The scores of :class:`Scores`, each with a bootstrap interval in ``Scores.ci``."""

_BOOT_CHUNK = 256  # bootstrap resamples drawn and scored at once (bounds the memory)


# --------------------------------------------------------------------------- checks


def _numbers(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """``values`` as a 1-d float array, or a ParameterError naming ``name``."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        msg = f"{name} should be an array of numbers: {exc}"
        raise ParameterError(msg) from None
    if array.ndim != 1:
        msg = f"{name}.shape={array.shape} should be one-dimensional (one entry per case)"
        raise ParameterError(msg)
    return array


def _check_probabilities(values: ArrayLike, name: str = "p") -> NDArray[np.float64]:
    p = _numbers(values, name)
    bad = ~((p >= 0.0) & (p <= 1.0))  # NaN is bad too
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        msg = f"{name}[{i}]={float(p[i])!r} should be in [0, 1] (a probability)"
        raise ParameterError(msg)
    return p


def _check_labels(values: ArrayLike, name: str = "y") -> NDArray[np.float64]:
    y = _numbers(values, name)
    bad = ~np.isin(y, (0.0, 0.5, 1.0))
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        msg = f"{name}[{i}]={float(y[i])!r} should be 0, 0.5 or 1 (failure, partial, success)"
        raise ParameterError(msg)
    return y


def _check_count(n: int, minimum: int, name: str, why: str) -> None:
    if n < minimum:
        msg = f"len({name})={n} should be >= {minimum} ({why})"
        raise ParameterError(msg)


def _check_same_length(n: int, values: NDArray[Any], name: str, ref: str) -> None:
    if len(values) != n:
        msg = f"len({name})={len(values)} should equal len({ref})={n} (one per case)"
        raise ParameterError(msg)


def _cases(
    p: ArrayLike, y: ArrayLike, minimum: int = 2
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Checked predictions and labels: p in [0, 1], y in {0, 0.5, 1}, same length."""
    probs = _check_probabilities(p)
    labels = _check_labels(y)
    _check_same_length(len(probs), labels, "y", "p")
    _check_count(len(probs), minimum, "p", "cases to score")
    return probs, labels


def _check_features(features: ArrayLike, n: int) -> NDArray[np.float64]:
    """The feature matrix as n × k floats (a 1-d array is one feature), all finite."""
    try:
        x = np.asarray(features, dtype=float)
    except (TypeError, ValueError) as exc:
        msg = f"features should be an array of numbers: {exc}"
        raise ParameterError(msg) from None
    if x.ndim == 1:
        x = x[:, np.newaxis]
    if x.ndim != 2 or x.shape[0] != n or x.shape[1] < 1:
        msg = f"features.shape={x.shape} should be ({n}, k) with k >= 1 (one row per case)"
        raise ParameterError(msg)
    if not np.all(np.isfinite(x)):
        i, j = (int(v) for v in np.argwhere(~np.isfinite(x))[0])
        msg = f"features[{i}, {j}]={float(x[i, j])!r} should be a finite number"
        raise ParameterError(msg)
    return x


def _check_groups(reward_only: ArrayLike, n: int) -> NDArray[np.bool_]:
    values = np.asarray(reward_only)
    if values.ndim != 1:
        msg = f"reward_only.shape={values.shape} should be one-dimensional (one per case)"
        raise ParameterError(msg)
    _check_same_length(n, values, "reward_only", "y")
    for i, v in enumerate(values.tolist()):
        if v not in (True, False):  # also accepts 0 and 1, as np.bool_ does
            msg = f"reward_only[{i}]={v!r} should be True or False (reward-only or coercion)"
            raise ParameterError(msg)
    return values.astype(bool)


# --------------------------------------------------------------------------- scores


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
    probs, labels = _cases(p, y)
    return float(np.mean((probs - labels) ** 2))


def _log_losses(p: NDArray[np.float64], y: NDArray[np.float64], eps: float) -> NDArray[Any]:
    """The log loss of each case, p clipped to [eps, 1 − eps]."""
    # 1 - p is clipped on its own, as 1 - (1 - eps) is not eps in floating point.
    q1 = np.clip(p, eps, 1.0 - eps)
    q0 = np.clip(1.0 - p, eps, 1.0 - eps)
    return np.asarray(-(y * np.log(q1) + (1.0 - y) * np.log(q0)))


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
    probs, labels = _cases(p, y)
    if not 0.0 < eps < 0.5:
        msg = f"eps={eps!r} should be in (0, 0.5) (the clipping of the predictions)"
        raise ParameterError(msg)
    return float(np.mean(_log_losses(probs, labels, eps)))


def _auc_kernel(pos: NDArray[np.float64], neg: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 where a success is ranked above a failure, 0.5 for a tie, 0 below: n1 × n0."""
    above = pos[:, np.newaxis] > neg[np.newaxis, :]
    tied = pos[:, np.newaxis] == neg[np.newaxis, :]
    return above.astype(float) + 0.5 * tied


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
    probs, labels = _cases(p, y)
    pos, neg = probs[labels == 1.0], probs[labels == 0.0]
    if pos.size == 0 or neg.size == 0:
        return math.nan
    return float(_auc_kernel(pos, neg).mean())


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
    probs, labels = _cases(p, y)
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


# --------------------------------------------------------------------------- baselines


def expand_partials(
    features: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    r"""Rows for a 0/1 fitter: each partial case becomes a success and a failure of weight 1/2.

    A case (x, y, w) with y = 0 or 1 is kept as it is; a partial case (x, 0.5, w) becomes
    the two rows (x, 1, w/2) and (x, 0, w/2). The weighted log-likelihood of a model q(x)
    is the same, since it is linear in the label [1]_:

    .. math::

        w \left[ \tfrac12 \log q + \tfrac12 \log (1 - q) \right]
        = \tfrac{w}{2} \log q + \tfrac{w}{2} \log (1 - q),

    so a fitter that takes only 0/1 labels and sample weights (scikit-learn [2]_) fits
    the soft labels exactly, and a weighted mean of the expanded labels is the mean soft
    label. Every fit and rate in this module goes through this function.

    Parameters
    ----------
    features : array_like
        Feature matrix, n × k (k may be 0); a 1-d array is one feature.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure.
    weights : array_like, optional
        Case weights w ≥ 0 (default 1 each).

    Returns
    -------
    features, labels, weights : numpy.ndarray
        The expanded rows: first the cases with y = 0 or 1 in their order, then the
        partial cases as successes, then the partial cases as failures. Labels are 0 or 1.

    Raises
    ------
    ParameterError
        If a y is not 0, 0.5 or 1, a weight is negative or not finite, or the lengths
        differ.

    References
    ----------
    .. [1] Cox, D. R. (1958). The regression analysis of binary sequences. *Journal of
       the Royal Statistical Society B* 20(2): 215–242.
    .. [2] Pedregosa, F. et al. (2011). Scikit-learn: machine learning in Python.
       *Journal of Machine Learning Research* 12: 2825–2830.

    Examples
    --------
    >>> x, labels, w = expand_partials([[1.0], [2.0], [3.0]], [1, 0.5, 0])
    >>> x.ravel().tolist(), labels.tolist(), w.tolist()
    ([1.0, 3.0, 2.0, 2.0], [1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 0.5, 0.5])
    >>> float(np.average(labels, weights=w))  # the mean soft label, (1 + 0.5 + 0) / 3
    0.5
    """
    labels = _check_labels(y)
    x = np.asarray(features, dtype=float)
    if x.ndim == 1:
        x = x[:, np.newaxis]
    if x.ndim != 2 or x.shape[0] != len(labels):
        msg = f"features.shape={x.shape} should be ({len(labels)}, k) (one row per case)"
        raise ParameterError(msg)
    if weights is None:
        w = np.ones(len(labels))
    else:
        w = _numbers(weights, "weights")
        _check_same_length(len(labels), w, "weights", "y")
        bad = ~(np.isfinite(w) & (w >= 0.0))
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            msg = f"weights[{i}]={float(w[i])!r} should be a finite number >= 0"
            raise ParameterError(msg)
    hard = labels != 0.5
    soft = ~hard
    n_soft = int(soft.sum())
    return (
        np.concatenate([x[hard], x[soft], x[soft]]),
        np.concatenate([labels[hard], np.ones(n_soft), np.zeros(n_soft)]),
        np.concatenate([w[hard], w[soft] / 2.0, w[soft] / 2.0]),
    )


def _rate(y: NDArray[np.float64]) -> float:
    """The weighted mean label of the expanded rows of ``y``: its mean soft label."""
    _, labels, w = expand_partials(np.empty((len(y), 0)), y)
    return float(np.average(labels, weights=w))


def _others(n: int, i: int) -> NDArray[np.bool_]:
    keep = np.ones(n, dtype=bool)
    keep[i] = False
    return keep


def _base_rates(y: NDArray[np.float64]) -> NDArray[np.float64]:
    n = len(y)
    return np.array([_rate(y[_others(n, i)]) for i in range(n)])


def base_rate_baseline(y: ArrayLike) -> NDArray[np.float64]:
    r"""Leave-one-out base rate: each case predicted by the mean label of the others.

    The reference forecast of a skill score [1]_ ("climatology"), made out of sample as
    in cross-validation [2]_: case i never sees its own outcome,

    .. math::

        \hat p_i = \frac{1}{n - 1} \sum_{j \ne i} y_j,

    the mean soft label of the other cases (a partial counts 0.5; it is the weighted mean
    of their :func:`expand_partials` rows).

    Parameters
    ----------
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure; at least 3 cases.

    Returns
    -------
    numpy.ndarray
        The prediction for each case, in [0, 1].

    Raises
    ------
    ParameterError
        If a y is not 0, 0.5 or 1 or there are fewer than 3 cases.

    References
    ----------
    .. [1] Murphy, A. H. (1973). Hedging and skill scores for probability forecasts.
       *Journal of Applied Meteorology* 12(1): 215–223.
    .. [2] Stone, M. (1974). Cross-validatory choice and assessment of statistical
       predictions. *Journal of the Royal Statistical Society B* 36(2): 111–147.

    Examples
    --------
    >>> base_rate_baseline([1, 0, 0.5, 1]).tolist()  # e.g. (0 + 0.5 + 1) / 3 for case 0
    [0.5, 0.8333333333333334, 0.6666666666666666, 0.5]
    """
    labels = _check_labels(y)
    _check_count(len(labels), 3, "y", "cases for a leave-one-out baseline")
    return _base_rates(labels)


def _logistic_fit_predict(
    x_train: NDArray[np.float64],
    y_train: NDArray[np.float64],
    x_test: NDArray[np.float64],
    c: float,
) -> float | None:
    """P(success) at ``x_test`` (one row) from an L2 logistic fit; None if one class only."""
    from sklearn.linear_model import LogisticRegression  # heavy: imported when used

    mean = x_train.mean(axis=0)
    sd = x_train.std(axis=0)
    sd[sd == 0.0] = 1.0  # a constant feature stays 0 once centred
    rows, labels, w = expand_partials((x_train - mean) / sd, y_train)
    if np.unique(labels[w > 0]).size < 2:
        return None
    model = LogisticRegression(C=c, tol=1e-8, max_iter=10_000)
    model.fit(rows, labels.astype(np.int64), sample_weight=w)
    q = model.predict_proba(((x_test - mean) / sd)[np.newaxis, :])[0]
    return float(q[list(model.classes_).index(1)])


def _logistic(
    x: NDArray[np.float64], y: NDArray[np.float64], c: float
) -> tuple[NDArray[np.float64], list[str]]:
    n = len(y)
    out = np.empty(n)
    one_class: list[int] = []
    for i in range(n):
        keep = _others(n, i)
        q = _logistic_fit_predict(x[keep], y[keep], x[i], c)
        if q is None:
            one_class.append(i)
            q = _rate(y[keep])
        out[i] = q
    notes = []
    if one_class:
        notes.append(
            f"logistic baseline: the other cases of {_list(one_class)} all have the "
            "same outcome, so no logistic regression can be fitted: predicted their base "
            "rate instead"
        )
    return out, notes


def _check_c(c: float) -> float:
    if not (isinstance(c, int | float) and math.isfinite(c) and c > 0):
        msg = f"C={c!r} should be a finite number > 0 (the inverse L2 penalty)"
        raise ParameterError(msg)
    return float(c)


def logistic_baseline(features: ArrayLike, y: ArrayLike, *, C: float = 1.0) -> NDArray[np.float64]:
    r"""Leave-one-out logistic regression of the outcomes on the features.

    For each case i a logistic regression [1]_ is fitted to the other n − 1 cases and
    predicts case i (cross-validation [2]_). The features are standardised with the
    mean and standard deviation of the training rows (a constant feature is only
    centred), partial cases enter as a success and a failure of weight 1/2
    (:func:`expand_partials`), and the fit is scikit-learn's ``LogisticRegression`` [3]_
    with the L2 penalty, minimising

    .. math::

        \sum_{r} w_r \left[ -y_r \log q_r - (1 - y_r) \log(1 - q_r) \right]
        + \frac{\lVert \beta \rVert^2}{2C}, \qquad
        q_r = \frac{1}{1 + e^{-(\beta_0 + z_r^\top \beta)}},

    over the expanded rows r with standardised features z. When the other cases all
    have the same outcome no fit exists; case i is then predicted by their base rate
    and an :class:`~alliances.analysis._checks.AlliancesWarning` says so.

    Parameters
    ----------
    features : array_like
        Feature matrix, n × k with k ≥ 1 (a 1-d array is one feature), finite.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure; at least 3 cases.
    C : float, optional
        Inverse strength of the L2 penalty, > 0.

    Returns
    -------
    numpy.ndarray
        The out-of-sample P(success) of each case.

    Raises
    ------
    ParameterError
        If a y is not 0, 0.5 or 1, the features are not n × k finite numbers, C ≤ 0 or
        there are fewer than 3 cases.

    References
    ----------
    .. [1] Cox, D. R. (1958). The regression analysis of binary sequences. *Journal of
       the Royal Statistical Society B* 20(2): 215–242.
    .. [2] Stone, M. (1974). Cross-validatory choice and assessment of statistical
       predictions. *Journal of the Royal Statistical Society B* 36(2): 111–147.
    .. [3] Pedregosa, F. et al. (2011). Scikit-learn: machine learning in Python.
       *Journal of Machine Learning Research* 12: 2825–2830.

    Examples
    --------
    The larger the feature, the likelier a success:

    >>> q = logistic_baseline([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [0, 0, 0.5, 0, 1, 1])
    >>> bool(q[0] < 0.5 < q[5])
    True
    """
    labels = _check_labels(y)
    _check_count(len(labels), 3, "y", "cases for a leave-one-out baseline")
    x = _check_features(features, len(labels))
    out, notes = _logistic(x, labels, _check_c(C))
    for note in notes:
        warn_fallback(note, stacklevel=2)
    return out


def _rule(
    y: NDArray[np.float64], reward_only: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], list[str]]:
    n = len(y)
    out = np.empty(n)
    alone: dict[bool, list[int]] = {True: [], False: []}
    for i in range(n):
        others = _others(n, i)
        peers = others & (reward_only == reward_only[i])
        if peers.any():
            out[i] = _rate(y[peers])
        else:
            alone[bool(reward_only[i])].append(i)
            out[i] = _rate(y[others])
    notes = [
        f"rule baseline: {_list(cases)} {'has' if len(cases) == 1 else 'have'} no other "
        f"{group} attempt: predicted "
        "the base rate of the other cases instead"
        for group, cases in (("reward-only", alone[True]), ("coercive", alone[False]))
        if cases
    ]
    return out, notes


def rule_baseline(y: ArrayLike, reward_only: ArrayLike) -> NDArray[np.float64]:
    r"""Leave-one-out instrument rule: rewards succeed more often than coercion.

    The wedge literature holds that a divider who rewards the target succeeds more often
    than one who coerces it [1]_ [2]_. The rule predicts case i by the success rate of
    the other attempts with the same instrument, g(i) being reward-only or with any
    coercion:

    .. math::

        \hat p_i = \frac{1}{|G_i|} \sum_{j \in G_i} y_j, \qquad
        G_i = \{ j \ne i : g(j) = g(i) \},

    a partial counting 0.5. If no other case shares case i's instrument
    (:math:`G_i = \emptyset`) it falls back to the base rate of all the other cases and
    issues an :class:`~alliances.analysis._checks.AlliancesWarning` saying so.

    Parameters
    ----------
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure; at least 3 cases.
    reward_only : array_like of bool
        True for an attempt using rewards only, False for one with any coercion.

    Returns
    -------
    numpy.ndarray
        The out-of-sample prediction of each case, in [0, 1].

    Raises
    ------
    ParameterError
        If a y is not 0, 0.5 or 1, a reward_only is not True or False, the lengths
        differ or there are fewer than 3 cases.

    References
    ----------
    .. [1] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies
       shape power politics. *International Security* 35(4): 155–189.
    .. [2] Izumikawa, Y. (2013). To coerce or reward? Theorizing wedge strategies in
       alliance politics. *Security Studies* 22(3): 498–531.

    Examples
    --------
    Three rewards (success, success, partial) and two coercions (failure, success):

    >>> rule_baseline([1, 1, 0.5, 0, 1], [True, True, True, False, False]).tolist()
    [0.75, 0.75, 1.0, 1.0, 0.0]
    """
    labels = _check_labels(y)
    _check_count(len(labels), 3, "y", "cases for a leave-one-out baseline")
    groups = _check_groups(reward_only, len(labels))
    out, notes = _rule(labels, groups)
    for note in notes:
        warn_fallback(note, stacklevel=2)
    return out


def _list(cases: list[int]) -> str:
    """The cases named in a sentence: 'case 3' or 'cases 3, 5'."""
    return ("case " if len(cases) == 1 else "cases ") + ", ".join(str(i) for i in cases)


# --------------------------------------------------------------------------- together


def _json_number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _readonly(values: NDArray[np.float64]) -> NDArray[np.float64]:
    values = np.array(values, dtype=float)
    values.setflags(write=False)
    return values


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
            out[name] = _json_number(getattr(self, name))
        out["ci"] = {
            name: [_json_number(low), _json_number(high)] for name, (low, high) in self.ci.items()
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


def _skill(brier: NDArray[np.float64], reference: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 − brier / reference, NaN where the reference is 0."""
    out = np.full(brier.shape, np.nan)
    np.divide(brier, reference, out=out, where=reference > 0.0)
    return np.asarray(1.0 - out)


def _bootstrap(
    p: NDArray[np.float64],
    y: NDArray[np.float64],
    baselines: Mapping[str, NDArray[np.float64]],
    n_boot: int,
    rng: np.random.Generator,
    level: float,
) -> dict[str, tuple[float, float]]:
    """Percentile intervals of every score over resamples of the cases.

    A resample is a vector of counts c (how often each case was drawn), so every score
    is a weighted sum over the n cases: the Brier score is c·(p − y)² / n and the AUC
    c_S' K c_F / (Σc_S Σc_F) with K the success × failure kernel.
    """
    n = len(y)
    squared = {name: (q - y) ** 2 for name, q in {"model": p, **baselines}.items()}
    losses = _log_losses(p, y, 1e-15)
    pos, neg = y == 1.0, y == 0.0
    kernel = _auc_kernel(p[pos], p[neg])
    draws: dict[str, list[NDArray[np.float64]]] = {name: [] for name in SCORE_NAMES}
    for start in range(0, n_boot, _BOOT_CHUNK):
        b = min(_BOOT_CHUNK, n_boot - start)
        idx = rng.integers(0, n, size=(b, n))
        offsets = (np.arange(b) * n)[:, np.newaxis]
        counts = np.bincount((idx + offsets).ravel(), minlength=b * n).reshape(b, n)
        counts = counts.astype(float)
        brier = {name: counts @ sq / n for name, sq in squared.items()}
        c_pos, c_neg = counts[:, pos], counts[:, neg]
        pairs = c_pos.sum(axis=1) * c_neg.sum(axis=1)
        ranked = np.einsum("bi,ij,bj->b", c_pos, kernel, c_neg)
        auc = np.full(b, np.nan)
        np.divide(ranked, pairs, out=auc, where=pairs > 0)
        draws["brier"].append(brier["model"])
        draws["log_loss"].append(counts @ losses / n)
        draws["auc"].append(auc)
        for name, key in (("base_rate", "base_rate"), ("logistic", "logistic"), ("rule", "rule")):
            draws[f"{name}_brier"].append(brier[key])
        draws["brier_skill"].append(_skill(brier["model"], brier["base_rate"]))
        draws["brier_skill_vs_logistic"].append(_skill(brier["model"], brier["logistic"]))
        draws["brier_skill_vs_rule"].append(_skill(brier["model"], brier["rule"]))
    tails = [(1.0 - level) / 2.0, (1.0 + level) / 2.0]
    ci: dict[str, tuple[float, float]] = {}
    for name in SCORE_NAMES:
        values = np.concatenate(draws[name]) if draws[name] else np.empty(0)
        values = values[np.isfinite(values)]  # resamples where the score is undefined
        if values.size == 0:
            ci[name] = (math.nan, math.nan)
        else:
            low, high = np.quantile(values, tails)
            ci[name] = (float(low), float(high))
    return ci


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
    probs, labels = _cases(p, y, minimum=3)
    x = _check_features(features, len(labels))
    groups = _check_groups(reward_only, len(labels))
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 0:
        msg = f"n_boot={n_boot!r} should be an integer >= 0 (bootstrap resamples)"
        raise ParameterError(msg)
    if not (isinstance(level, int | float) and 0.0 < level < 1.0):
        msg = f"level={level!r} should be in (0, 1) (the coverage of the intervals)"
        raise ParameterError(msg)
    c = _check_c(C)
    table = calibration_table(probs, labels, bins=bins)

    base = _base_rates(labels)
    logistic, logistic_notes = _logistic(x, labels, c)
    rule, rule_notes = _rule(labels, groups)
    notes = [*logistic_notes, *rule_notes]
    for note in notes:
        warn_fallback(note, stacklevel=2)

    brier = brier_score(probs, labels)
    base_brier = brier_score(base, labels)
    logistic_brier = brier_score(logistic, labels)
    rule_brier = brier_score(rule, labels)
    rng = np.random.default_rng(seed)
    ci = _bootstrap(
        probs,
        labels,
        {"base_rate": base, "logistic": logistic, "rule": rule},
        int(n_boot),
        rng,
        float(level),
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
        base_rate_p=_readonly(base),
        logistic_p=_readonly(logistic),
        rule_p=_readonly(rule),
        calibration=table,
        ci=ci,
        level=float(level),
        n_boot=int(n_boot),
        warnings=tuple(notes),
    )
