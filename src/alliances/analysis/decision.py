r"""From price to probability: the estimated layer that turns a wedge price into P(flip).

The structural model prices (O\*, O_max and their terms); it does not by itself give a
skilful probability (DESIGN §4, revised 2026-12). This layer does, with parameters
estimated on documented wedge attempts:

.. math::

    P(\text{flip}) = \sigma(a + c \cdot \text{coercion} + g \cdot \bar m + k \ln \bar\kappa),
    \qquad \bar m = \frac{1}{n} \sum_j \operatorname{clip}(\ln O_j - \ln O^*_j, \pm 5),

with O the offer (O_max, the most the divider would pay, in the backtest), O\*_j the flip
price of draw j (a draw at O\* = 0 counts +5, one at ∞ or with no offer −5), κ̄ the
offer's median credibility and coercion 1 when the attempt threatens. Fitted by maximum
likelihood (a partial success is two rows of weight ½), each parameter with a bootstrap
interval. If g and k are not above zero, the prices add nothing to the instrument; the
probability is still honest, because it is calibrated on the record.

References
----------
.. [1] Crawford, T. W. (2011). Preventing enemy coalitions. *International Security*
   35(4): 155–189.
.. [2] Platt, J. C. (1999). Probabilistic outputs for support vector machines and
   comparisons to regularized likelihood methods. In *Advances in Large Margin
   Classifiers*, MIT Press: 61–74 (a logistic map from a score to a probability).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

from alliances.errors import ParameterError

__all__ = ["CLIP", "PARAMETERS", "FlipLayer", "fit_flip_layer", "log_margin"]

CLIP = 5.0
"""The clip of the per-draw log margin (a factor of e⁵ ≈ 148 either way)."""

PARAMETERS = ("a", "c", "g", "k")
"""The layer's parameters: intercept, coercion, log margin, log credibility."""


def log_margin(flip_price: ArrayLike, offer: ArrayLike, clip: float = CLIP) -> float:
    r"""The mean log margin of an offer over the flip price, per draw, clipped:

    .. math::

        \bar m = \frac{1}{n} \sum_j \operatorname{clip}(\ln O_j - \ln O^*_j, \pm c),

    a draw at O* = 0 counting +c, one at O* = ∞ or with O ≤ 0 counting −c: the score
    that the layer maps to a probability (Platt 1999 [1]_).

    Parameters
    ----------
    flip_price : array_like
        The flip price O* of each draw (USD; 0 and ∞ allowed).
    offer : array_like
        The offer O of each draw, or one offer for all.
    clip : float
        The clip c (default 5).

    Returns
    -------
    float
        m̄.

    Examples
    --------
    >>> round(log_margin([1.0, 2.0, float("inf")], [2.0, 2.0, 2.0]), 4)
    -1.4356

    References
    ----------
    .. [1] Platt, J. C. (1999). Probabilistic outputs for support vector machines. In
       *Advances in Large Margin Classifiers*, MIT Press: 61–74.
    """
    o_star = np.asarray(flip_price, dtype=float)
    o = np.broadcast_to(np.asarray(offer, dtype=float), o_star.shape)
    if o_star.size == 0 or np.isnan(o_star).any() or np.isnan(o).any():
        msg = "log_margin needs draws of the flip price and the offer, without NaN"
        raise ParameterError(msg)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log(np.where(o > 0, o, np.nan)) - np.log(o_star)
    ratio = np.where(o_star == 0, clip, ratio)
    ratio = np.where(np.isinf(o_star) | (o <= 0), -clip, ratio)
    ratio = np.nan_to_num(ratio, nan=-clip)
    return float(np.mean(np.clip(ratio, -clip, clip)))


def _design(rows: Sequence[Mapping[str, float]], names: Sequence[str]) -> NDArray[np.float64]:
    x = np.array([[1.0, *(row[n] for n in names)] for row in rows], dtype=float)
    if not np.isfinite(x).all():
        msg = "the layer's inputs must be finite (NaN or infinity found)"
        raise ParameterError(msg)
    return x


_INPUTS = {"c": "coercion", "g": "margin", "k": "log_kappa"}
_WORDS = {
    "margin": "the offer's log margin over the flip price, ln(O / O*)",
    "log_kappa": "the log credibility of the offer, ln κ̄",
    "coercion": "coercion (1 if a threat is used)",
}
"""The layer's inputs in words, for the warnings a reader sees."""


@dataclass(frozen=True)
class FlipLayer:
    """A fitted layer: its parameters (those not fitted are 0), their bootstrap
    intervals, the range of each input it was fitted on, and what it was fitted on."""

    parameters: dict[str, float]
    intervals: dict[str, list[float]] = field(default_factory=dict)
    ranges: dict[str, list[float]] = field(default_factory=dict)
    fitted_on: dict[str, Any] = field(default_factory=dict)
    version: str = "unfitted"

    def probability(self, coercion: float, margin: float, log_kappa: float) -> float:
        """σ(a + c·coercion + g·m̄ + k·ln κ̄).

        >>> FlipLayer({"a": 0.0, "c": -1.0, "g": 0.5, "k": 0.0}).probability(0, 2.0, 0.0)
        0.7310...
        """
        p = self.parameters
        eta = (
            p.get("a", 0.0)
            + p.get("c", 0.0) * coercion
            + p.get("g", 0.0) * margin
            + p.get("k", 0.0) * log_kappa
        )
        return float(1.0 / (1.0 + math.exp(-eta)))

    def outside(self, values: Mapping[str, float]) -> list[str]:
        """The inputs of ``values`` outside the range the layer was fitted on, as
        sentences for a result's warnings."""
        out = []
        for name, value in values.items():
            lo, hi = self.ranges.get(name, (-math.inf, math.inf))
            if not lo <= value <= hi:
                said = _WORDS.get(name, name)
                out.append(
                    f"{said} = {value:.3g} is outside the range the calibrated P(flip) was "
                    f"fitted on ({lo:.3g} to {hi:.3g}): the probability is an extrapolation"
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "parameters": self.parameters,
            "intervals": self.intervals,
            "ranges": self.ranges,
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FlipLayer:
        return cls(
            parameters={k: float(v) for k, v in data["parameters"].items()},
            intervals={k: [float(x) for x in v] for k, v in data.get("intervals", {}).items()},
            ranges={k: [float(x) for x in v] for k, v in data.get("ranges", {}).items()},
            fitted_on=dict(data.get("fitted_on", {})),
            version=str(data.get("version", "unfitted")),
        )


def _mle(x: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[Any]:
    def loss(beta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        eta = x @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        ll = w * (y * -np.logaddexp(0, -eta) + (1 - y) * -np.logaddexp(0, eta))
        return float(-ll.sum()), -(x.T @ (w * (y - p)))

    beta = minimize(loss, np.zeros(x.shape[1]), jac=True, method="BFGS").x
    return np.clip(np.asarray(beta, dtype=np.float64), -50, 50)


def fit_flip_layer(
    rows: Sequence[Mapping[str, float]],
    y: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    fit: Sequence[str] = PARAMETERS,
    n_boot: int = 2000,
    seed: int = 0,
    clusters: ArrayLike | None = None,
) -> FlipLayer:
    r"""Fit the layer σ(a + c·coercion + g·m̄ + k·ln κ̄) by maximum likelihood.

    .. math::

        \hat\theta = \arg\max_\theta \sum_i w_i \bigl[y_i \ln \sigma(x_i^\top\theta)
        + (1 - y_i) \ln(1 - \sigma(x_i^\top\theta))\bigr]

    (a logistic calibration of a score, Platt 1999 [1]_), with 90% intervals from
    resamples of the rows or of ``clusters``.

    Parameters
    ----------
    rows : sequence of mappings
        Each with ``coercion``, ``margin`` and ``log_kappa``.
    y : array_like
        Outcomes, 0 or 1.
    weights : array_like, optional
        Row weights (a partial case is two rows of weight ½).
    fit : sequence of str
        The parameters fitted (``a`` always; any of ``c``, ``g``, ``k``); the rest are 0.
    n_boot : int
        Bootstrap resamples for the intervals (0: none).
    seed : int
        Seed of the resamples.
    clusters : array_like, optional
        The resampled unit of each row (default: the row).

    Returns
    -------
    FlipLayer
        Parameters, intervals and the range of each input.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> m = rng.normal(size=400)
    >>> y = (rng.random(400) < 1 / (1 + np.exp(-m))).astype(float)
    >>> rows = [{"coercion": 0.0, "margin": v, "log_kappa": 0.0} for v in m]
    >>> layer = fit_flip_layer(rows, y, fit=("a", "g"), n_boot=0)
    >>> 0.7 < layer.parameters["g"] < 1.4
    True

    References
    ----------
    .. [1] Platt, J. C. (1999). Probabilistic outputs for support vector machines. In
       *Advances in Large Margin Classifiers*, MIT Press: 61–74.
    """
    names = [_INPUTS[p] for p in fit if p != "a"]
    keys = ["a", *(p for p in fit if p != "a")]
    x = _design(rows, names)
    ys = np.asarray(y, dtype=float)
    w = np.ones(len(ys)) if weights is None else np.asarray(weights, dtype=float)
    if len(ys) != len(x) or len(w) != len(x):
        msg = f"{len(x)} rows, {len(ys)} outcomes and {len(w)} weights: give one of each"
        raise ParameterError(msg)
    beta = _mle(x, ys, w)
    groups = np.arange(len(ys)) if clusters is None else np.asarray(clusters)
    labels, index = np.unique(groups, return_inverse=True)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        counts = np.bincount(rng.integers(0, len(labels), len(labels)), minlength=len(labels))
        draws.append(_mle(x, ys, w * counts[index]))
    intervals = {}
    if draws:
        boot = np.array(draws)
        for i, key in enumerate(keys):
            intervals[key] = [
                float(np.quantile(boot[:, i], 0.05)),
                float(np.quantile(boot[:, i], 0.95)),
            ]
    parameters = dict.fromkeys(PARAMETERS, 0.0)
    parameters.update({key: float(b) for key, b in zip(keys, beta, strict=True)})
    ranges = {n: [float(x[:, i + 1].min()), float(x[:, i + 1].max())] for i, n in enumerate(names)}
    return FlipLayer(parameters, intervals, ranges)
