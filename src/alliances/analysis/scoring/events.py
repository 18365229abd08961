r"""Scores of forecasts of rare 0/1 events (the exit forecast), clustered bootstrap intervals.

For outcomes y_i ∈ {0, 1} and predictions p_i (weights w_i, 1 unless resampled):

* ``auc``: the area under the ROC curve, P(p of an event > p of a non-event) (Hanley and
  McNeil 1982);
* ``pr_auc``: average precision, Σ_k (R_k − R_{k−1}) P_k over the thresholds (the area
  under the precision–recall curve; Saito and Rehmsmeier 2015 on why it matters when
  events are rare);
* ``brier``: Σ w_i (p_i − y_i)² / Σ w_i (Brier 1950);
* ``log_loss``: −Σ w_i [y_i ln p_i + (1 − y_i) ln(1 − p_i)] / Σ w_i;
* ``top_decile``: the share of the events among the tenth of rows with the highest p
  (whole rows, at least one); rows tied at the tenth's edge count in proportion to the
  room left for them, the expected share under a random order of the ties, so that a
  constant forecast scores 0.1 and not whatever the rows' order gives;

and :func:`event_roc`, the ROC curve thinned for a chart, :func:`calibration_deciles`, the
reliability table by decile of p.

Rows of one cluster (the member-years of one alliance) are not independent, so
:func:`clustered_bootstrap` resamples whole clusters with replacement (Cameron, Gelbach and
Miller 2008) and gives percentile intervals of every score and of the paired differences
between models, computed on the same resamples.

References
----------
.. [1] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the area under a
   ROC curve. *Radiology* 143(1): 29–36.
.. [2] Saito, T. and Rehmsmeier, M. (2015). The precision-recall plot is more informative
   than the ROC plot when evaluating binary classifiers on imbalanced datasets. *PLoS
   ONE* 10(3): e0118432.
.. [3] Cameron, A. C., Gelbach, J. B. and Miller, D. L. (2008). Bootstrap-based
   improvements for inference with clustered errors. *Review of Economics and
   Statistics* 90(3): 414–427.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from alliances.errors import ParameterError

__all__ = ["METRICS", "calibration_deciles", "clustered_bootstrap", "event_roc", "event_scores"]

METRICS = ("auc", "pr_auc", "brier", "log_loss", "top_decile")
"""The scores of :func:`event_scores`; the first two and the last are better high."""

_EPS = 1e-12


def _checked(y: ArrayLike, p: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    ys, ps = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    if ys.shape != ps.shape or ys.ndim != 1:
        msg = f"y and p should be 1-d and of one length (got {ys.shape} and {ps.shape})"
        raise ParameterError(msg)
    if not (np.isfinite(ps).all() and ((ps >= 0) & (ps <= 1)).all()):
        msg = "predictions should be probabilities in [0, 1] (NaN, infinity or out of range)"
        raise ParameterError(msg)
    if not np.isin(ys, (0.0, 1.0)).all():
        msg = "outcomes should be 0 or 1"
        raise ParameterError(msg)
    return ys, ps


def _scores(y: NDArray[np.float64], p: NDArray[np.float64], w: NDArray[np.float64]) -> list[float]:
    from sklearn.metrics import average_precision_score, roc_auc_score

    keep = w > 0
    y, p, w = y[keep], p[keep], w[keep]
    total, events = w.sum(), (w * y).sum()
    both = 0 < events < total
    auc = float(roc_auc_score(y, p, sample_weight=w)) if both else np.nan
    pr = float(average_precision_score(y, p, sample_weight=w)) if both else np.nan
    brier = float((w * (p - y) ** 2).sum() / total)
    q = np.clip(p, _EPS, 1 - _EPS)
    loss = float(-(w * (y * np.log(q) + (1 - y) * np.log(1 - q))).sum() / total)
    decile = _top_decile(y, p, w, events) if events > 0 else np.nan
    return [auc, pr, brier, loss, decile]


def _top_decile(
    y: NDArray[np.float64], p: NDArray[np.float64], w: NDArray[np.float64], events: float
) -> float:
    """The events' share in the top tenth of the weight by p (whole rows, at least one);
    the rows tied with the last one taken share the room left, in proportion."""
    order = np.argsort(-p, kind="stable")
    cum = np.cumsum(w[order])
    room = cum[max(int(np.searchsorted(cum, 0.1 * cum[-1], side="right")), 1) - 1]
    edge = p[order][int(np.searchsorted(cum, room, side="left"))]
    above, tied = p > edge, p == edge
    taken = (room - w[above].sum()) / w[tied].sum()
    return float(((w * y)[above].sum() + taken * (w * y)[tied].sum()) / events)


def event_scores(y: ArrayLike, p: ArrayLike) -> dict[str, float]:
    r"""The scores of :data:`METRICS` for outcomes ``y`` and predictions ``p``, e.g.

    .. math::

        \text{Brier} = \frac{1}{n}\sum_i (p_i - y_i)^2, \qquad
        \text{AUC} = P(p_{\text{event}} > p_{\text{non-event}})

    (Hanley and McNeil 1982 [1]_ for the AUC; the others in the module).

    Parameters
    ----------
    y : array_like
        Outcomes, 0 or 1.
    p : array_like
        Predicted probabilities.

    Returns
    -------
    dict
        ``auc``, ``pr_auc``, ``brier``, ``log_loss``, ``top_decile``.

    Examples
    --------
    >>> s = event_scores([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> s["auc"], round(s["brier"], 4)
    (0.75, 0.1581)

    References
    ----------
    .. [1] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the area under
       a ROC curve. *Radiology* 143(1): 29–36.
    """
    ys, ps = _checked(y, p)
    return dict(zip(METRICS, _scores(ys, ps, np.ones(len(ys))), strict=True))


def clustered_bootstrap(
    y: ArrayLike,
    predictions: Mapping[str, ArrayLike],
    clusters: ArrayLike,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.9,
) -> dict[str, Any]:
    r"""Every model's scores with percentile intervals, and the paired differences of every
    pair of models (``"A - B"``), from resamples of whole clusters:

    .. math::

        w_i^{(b)} = \#\{\text{draws of cluster } c(i) \text{ in resample } b\},

    each score recomputed with weights w⁽ᵇ⁾ (the cluster bootstrap of Cameron, Gelbach
    and Miller 2008 [1]_).

    Parameters
    ----------
    y : array_like
        Outcomes, 0 or 1.
    predictions : mapping
        Model name → predicted probabilities.
    clusters : array_like
        The cluster of each row (an alliance).
    n_boot : int
        Resamples.
    seed : int
        Seed of the resamples.
    level : float
        Coverage of the intervals.

    Returns
    -------
    dict
        ``{"scores": {model: {metric, metric_ci}}, "differences": {"A - B": …}, "n",
        "events", "clusters", "n_boot", "level"}``.

    Examples
    --------
    >>> y = np.array([0, 1] * 20)
    >>> out = clustered_bootstrap(y, {"m": np.where(y, 0.7, 0.2)}, np.arange(40) // 2,
    ...                           n_boot=50)
    >>> out["scores"]["m"]["auc"]
    1.0

    References
    ----------
    .. [1] Cameron, A. C., Gelbach, J. B. and Miller, D. L. (2008). Bootstrap-based
       improvements for inference with clustered errors. *Review of Economics and
       Statistics* 90(3): 414–427.
    """
    ys = np.asarray(y, dtype=float)
    preds = {name: _checked(ys, p)[1] for name, p in predictions.items()}
    groups = pd.factorize(np.asarray(clusters))[0]
    if len(groups) != len(ys):
        msg = f"clusters has {len(groups)} entries for {len(ys)} outcomes"
        raise ParameterError(msg)
    n_clusters = int(groups.max()) + 1 if len(groups) else 0
    ones = np.ones(len(ys))
    point = {name: _scores(ys, p, ones) for name, p in preds.items()}
    rng = np.random.default_rng(seed)
    draws = {name: np.empty((n_boot, len(METRICS))) for name in preds}
    for i in range(n_boot):
        counts = np.bincount(rng.integers(0, n_clusters, n_clusters), minlength=n_clusters)
        w = counts[groups].astype(float)
        for name, p in preds.items():
            draws[name][i] = _scores(ys, p, w)
    alpha = (1 - level) / 2

    def summary(values: list[float], boot: NDArray[np.float64]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, metric in enumerate(METRICS):
            col = boot[:, i][np.isfinite(boot[:, i])]
            out[metric] = None if np.isnan(values[i]) else values[i]
            out[f"{metric}_ci"] = (
                [float(np.quantile(col, alpha)), float(np.quantile(col, 1 - alpha))]
                if len(col)
                else [None, None]
            )
        return out

    names = list(preds)
    differences = {}
    for a in names:
        for b in names:
            if a != b:
                diff = [x - z for x, z in zip(point[a], point[b], strict=True)]
                differences[f"{a} - {b}"] = summary(diff, draws[a] - draws[b])
    return {
        "scores": {name: summary(point[name], draws[name]) for name in names},
        "differences": differences,
        "n": len(ys),
        "events": int(ys.sum()),
        "clusters": n_clusters,
        "n_boot": n_boot,
        "level": level,
    }


def calibration_deciles(y: ArrayLike, p: ArrayLike, bins: int = 10) -> pd.DataFrame:
    r"""Rows grouped by quantile of ``p``: count, mean prediction and observed rate of
    each group g,

    .. math::

        \bar p_g = \frac{1}{n_g}\sum_{i \in g} p_i, \qquad
        \bar y_g = \frac{1}{n_g}\sum_{i \in g} y_i

    (a reliability table; clustered intervals as in Cameron et al. 2008 [1]_ come from
    :func:`clustered_bootstrap`).

    Parameters
    ----------
    y : array_like
        Outcomes, 0 or 1.
    p : array_like
        Predicted probabilities.
    bins : int
        Number of groups.

    Returns
    -------
    pandas.DataFrame
        ``count``, ``predicted``, ``observed`` per group, lowest first.

    Examples
    --------
    >>> calibration_deciles([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], bins=2).observed.tolist()
    [0.0, 1.0]

    References
    ----------
    .. [1] Cameron, A. C., Gelbach, J. B. and Miller, D. L. (2008). Bootstrap-based
       improvements for inference with clustered errors. *Review of Economics and
       Statistics* 90(3): 414–427.
    """
    ys, ps = _checked(y, p)
    ranks = pd.Series(ps).rank(method="first")
    group = np.minimum((ranks.to_numpy() - 1) * bins // len(ps), bins - 1).astype(int)
    frame = pd.DataFrame({"group": group, "p": ps, "y": ys})
    table = frame.groupby("group").agg(
        count=("y", "size"), predicted=("p", "mean"), observed=("y", "mean")
    )
    return table.reset_index(drop=True)


def event_roc(y: ArrayLike, p: ArrayLike, *, points: int = 200) -> dict[str, list[float]]:
    r"""The ROC curve of predictions ``p`` of 0/1 outcomes ``y``, at most ``points`` of it.

    Each threshold t of scikit-learn's ``roc_curve`` (the corners that change the curve
    kept) gives the point

    .. math::

        \mathrm{FPR}(t) = \frac{|\{i : y_i = 0, p_i \ge t\}|}{|\{i : y_i = 0\}|}, \qquad
        \mathrm{TPR}(t) = \frac{|\{i : y_i = 1, p_i \ge t\}|}{|\{i : y_i = 1\}|}

    (Hanley and McNeil [1]_); ``points`` of them, evenly spaced along the curve and both
    ends kept, are returned for a chart.

    Parameters
    ----------
    y : array_like
        Outcomes, 0 or 1, at least one of each.
    p : array_like
        Predicted probabilities.
    points : int
        The most points returned.

    Returns
    -------
    dict
        ``fpr`` and ``tpr``, lists of the same length, from (0, 0) to (1, 1).

    Examples
    --------
    >>> event_roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    {'fpr': [0.0, 0.0, 0.5, 0.5, 1.0], 'tpr': [0.0, 0.5, 0.5, 1.0, 1.0]}

    References
    ----------
    .. [1] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the area under
       a ROC curve. *Radiology* 143(1): 29–36.
    """
    from sklearn.metrics import roc_curve

    ys, ps = _checked(y, p)
    fpr, tpr, _ = roc_curve(ys, ps)
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(points, len(fpr))).round().astype(int))
    return {"fpr": fpr[keep].tolist(), "tpr": tpr[keep].tolist()}
