r"""The three leave-one-out baselines a forecast of wedge attempts has to beat.

Each baseline predicts case i from the other n − 1 cases only (leave-one-out, Stone
1974), so that its score is an out-of-sample one, like the model's:

* :func:`base_rate_baseline`: the mean label of the other cases (the "climatology" of a
  skill score, Murphy 1973);
* :func:`logistic_baseline`: an L2 logistic regression on the caller's features
  (standardised inside each fold);
* :func:`rule_baseline`: the instrument rule of the wedge literature, that rewards succeed
  more often than coercion (Crawford 2011; Izumikawa 2013): the success rate of the other
  attempts with the same instrument (reward-only, or with any coercion).

A fit takes a partial outcome as two rows, one success and one failure, each of weight 1/2
(:func:`expand_partials`): the log-likelihood is linear in the label, so this is the same
as fitting the soft label 0.5, and it lets a fitter that knows only 0 and 1 use the
partials. A baseline that cannot predict a case as asked falls back to the base rate and
says so (an ``AlliancesWarning``); :func:`loo_logistic` and :func:`loo_rule` return those
sentences instead, for :func:`~alliances.analysis.scoring.scores.score` to keep.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from alliances.analysis._checks import warn_fallback
from alliances.analysis.scoring._base import (
    case_list,
    check_c,
    check_count,
    check_features,
    check_groups,
    check_labels,
    check_same_length,
    numbers,
)
from alliances.errors import ParameterError

__all__ = ["base_rate_baseline", "expand_partials", "logistic_baseline", "rule_baseline"]


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
    labels = check_labels(y)
    x = np.asarray(features, dtype=float)
    if x.ndim == 1:
        x = x[:, np.newaxis]
    if x.ndim != 2 or x.shape[0] != len(labels):
        msg = f"features.shape={x.shape} should be ({len(labels)}, k) (one row per case)"
        raise ParameterError(msg)
    if weights is None:
        w = np.ones(len(labels))
    else:
        w = numbers(weights, "weights")
        check_same_length(len(labels), w, "weights", "y")
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


def loo_base_rates(y: NDArray[np.float64]) -> NDArray[np.float64]:
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
    labels = check_labels(y)
    check_count(len(labels), 3, "y", "cases for a leave-one-out baseline")
    return loo_base_rates(labels)


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


def loo_logistic(
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
            f"logistic baseline: the other cases of {case_list(one_class)} all have the "
            "same outcome, so no logistic regression can be fitted: predicted their base "
            "rate instead"
        )
    return out, notes


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
    labels = check_labels(y)
    check_count(len(labels), 3, "y", "cases for a leave-one-out baseline")
    x = check_features(features, len(labels))
    out, notes = loo_logistic(x, labels, check_c(C))
    for note in notes:
        warn_fallback(note, stacklevel=2)
    return out


def loo_rule(
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
        f"rule baseline: {case_list(cases)} {'has' if len(cases) == 1 else 'have'} no other "
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
    labels = check_labels(y)
    check_count(len(labels), 3, "y", "cases for a leave-one-out baseline")
    groups = check_groups(reward_only, len(labels))
    out, notes = loo_rule(labels, groups)
    for note in notes:
        warn_fallback(note, stacklevel=2)
    return out
