r"""Bootstrap percentile intervals of a forecast's scores and of its skill over the baselines.

The cases are resampled with replacement and every score recomputed on each resample from
the predictions already made (the baselines are not refitted), as in Efron and Tibshirani
(1993, ch. 13). A resample is a vector of counts, so every score is a weighted sum over the
cases and a chunk of resamples is scored at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from alliances.analysis.scoring._base import (
    auc_kernel,
    check_probabilities,
    check_same_length,
    checked_cases,
    log_losses,
)
from alliances.errors import ParameterError

__all__ = ["BASELINES", "SCORE_NAMES", "bootstrap_intervals"]

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

BASELINES: tuple[str, ...] = ("base_rate", "logistic", "rule")
"""The baselines whose predictions :func:`bootstrap_intervals` resamples with the model's."""


def _skill(brier: NDArray[np.float64], reference: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 − brier / reference, NaN where the reference is 0."""
    out = np.full(brier.shape, np.nan)
    np.divide(brier, reference, out=out, where=reference > 0.0)
    return np.asarray(1.0 - out)


def bootstrap_intervals(
    p: ArrayLike,
    y: ArrayLike,
    baselines: Mapping[str, ArrayLike],
    *,
    n_boot: int = 2000,
    seed: int | np.random.Generator | None = 0,
    level: float = 0.9,
) -> dict[str, tuple[float, float]]:
    r"""Percentile intervals of every score in :data:`SCORE_NAMES` over resamples of the cases.

    Resample b draws the n cases with replacement; :math:`c^{(b)}_i` counts the draws of
    case i. Every score is then a weighted sum over the cases, e.g. the Brier score and
    the AUC (S the successes, F the failures, K the ranking kernel: 1 above, ½ tied, 0
    below)

    .. math::

        B^{(b)} = \frac{1}{n} \sum_i c^{(b)}_i (p_i - y_i)^2, \qquad
        \mathrm{AUC}^{(b)} = \frac{\sum_{i \in S} \sum_{j \in F}
            c^{(b)}_i K_{ij} c^{(b)}_j}{\sum_{i \in S} c^{(b)}_i \sum_{j \in F} c^{(b)}_j},

    and the interval of level α runs from the (1 − α)/2 to the (1 + α)/2 quantile of the
    resampled scores (the percentile interval of Efron and Tibshirani [1]_). The
    baselines' predictions are resampled with the model's, not refitted; a resample where
    a score is undefined (an AUC with one class, a skill against a perfect baseline) is
    skipped for that score.

    Parameters
    ----------
    p : array_like
        The model's predicted probabilities of success, in [0, 1], one per case.
    y : array_like
        Outcomes as soft labels: 1 success, 0.5 partial, 0 failure.
    baselines : mapping of str to array_like
        The predictions of each baseline of :data:`BASELINES` (``base_rate``,
        ``logistic``, ``rule``), one per case.
    n_boot : int, optional
        Resamples, ≥ 0 (0: every interval is (NaN, NaN)).
    seed : int, numpy.random.Generator or None, optional
        Seed of the resamples, or the generator to draw them from.
    level : float, optional
        Coverage of the intervals, in (0, 1).

    Returns
    -------
    dict of str to (float, float)
        The interval of each name in :data:`SCORE_NAMES`, (NaN, NaN) where no resample
        defines the score.

    Raises
    ------
    ParameterError
        If p or y is invalid (as for :func:`~alliances.analysis.scoring.brier_score`), a
        baseline is missing or of another length, n_boot < 0 or level is outside (0, 1).

    References
    ----------
    .. [1] Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall, ch. 13 (percentile intervals).

    Examples
    --------
    >>> p, y = [0.9, 0.7, 0.2, 0.4, 0.1], [1, 1, 0, 1, 0]
    >>> ci = bootstrap_intervals(p, y, {b: [0.6] * 5 for b in BASELINES}, n_boot=200)
    >>> low, high = ci["brier"]
    >>> bool(0.0 <= low <= high <= 1.0)
    True
    """
    probs, labels = checked_cases(p, y)
    preds: dict[str, NDArray[np.float64]] = {}
    for name in BASELINES:
        if name not in baselines:
            msg = f"baselines lacks {name!r}: expected the predictions of {', '.join(BASELINES)}"
            raise ParameterError(msg)
        preds[name] = check_probabilities(baselines[name], f"baselines[{name!r}]")
        check_same_length(len(probs), preds[name], f"baselines[{name!r}]", "p")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 0:
        msg = f"n_boot={n_boot!r} should be an integer >= 0 (bootstrap resamples)"
        raise ParameterError(msg)
    if not (isinstance(level, int | float) and 0.0 < level < 1.0):
        msg = f"level={level!r} should be in (0, 1) (the coverage of the intervals)"
        raise ParameterError(msg)
    return _intervals(probs, labels, preds, int(n_boot), np.random.default_rng(seed), float(level))


def _intervals(
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
    losses = log_losses(p, y, 1e-15)
    pos, neg = y == 1.0, y == 0.0
    kernel = auc_kernel(p[pos], p[neg])
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
