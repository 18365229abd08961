"""Checks and kernels shared by the scoring modules (private: no public names here).

The checks validate once, at the edge, and raise :class:`~alliances.errors.ParameterError`
with the value found and what was expected ("p[1]=1.5 should be in [0, 1]"). The kernels
(the log loss of each case, the success × failure ranking matrix of the AUC) are shared by
the point scores of :mod:`~alliances.analysis.scoring.metrics` and the resampled ones of
:mod:`~alliances.analysis.scoring.bootstrap`, so both compute the same numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from alliances.errors import ParameterError

__all__ = [
    "auc_kernel",
    "case_list",
    "check_c",
    "check_count",
    "check_features",
    "check_groups",
    "check_labels",
    "check_probabilities",
    "check_same_length",
    "checked_cases",
    "json_number",
    "log_losses",
    "numbers",
    "readonly",
]


def numbers(values: ArrayLike, name: str) -> NDArray[np.float64]:
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


def check_probabilities(values: ArrayLike, name: str = "p") -> NDArray[np.float64]:
    p = numbers(values, name)
    bad = ~((p >= 0.0) & (p <= 1.0))  # NaN is bad too
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        msg = f"{name}[{i}]={float(p[i])!r} should be in [0, 1] (a probability)"
        raise ParameterError(msg)
    return p


def check_labels(values: ArrayLike, name: str = "y") -> NDArray[np.float64]:
    y = numbers(values, name)
    bad = ~np.isin(y, (0.0, 0.5, 1.0))
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        msg = f"{name}[{i}]={float(y[i])!r} should be 0, 0.5 or 1 (failure, partial, success)"
        raise ParameterError(msg)
    return y


def check_count(n: int, minimum: int, name: str, why: str) -> None:
    if n < minimum:
        msg = f"len({name})={n} should be >= {minimum} ({why})"
        raise ParameterError(msg)


def check_same_length(n: int, values: NDArray[Any], name: str, ref: str) -> None:
    if len(values) != n:
        msg = f"len({name})={len(values)} should equal len({ref})={n} (one per case)"
        raise ParameterError(msg)


def checked_cases(
    p: ArrayLike, y: ArrayLike, minimum: int = 2
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Checked predictions and labels: p in [0, 1], y in {0, 0.5, 1}, same length."""
    probs = check_probabilities(p)
    labels = check_labels(y)
    check_same_length(len(probs), labels, "y", "p")
    check_count(len(probs), minimum, "p", "cases to score")
    return probs, labels


def check_features(features: ArrayLike, n: int) -> NDArray[np.float64]:
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


def check_groups(reward_only: ArrayLike, n: int) -> NDArray[np.bool_]:
    values = np.asarray(reward_only)
    if values.ndim != 1:
        msg = f"reward_only.shape={values.shape} should be one-dimensional (one per case)"
        raise ParameterError(msg)
    check_same_length(n, values, "reward_only", "y")
    for i, v in enumerate(values.tolist()):
        if v not in (True, False):  # also accepts 0 and 1, as np.bool_ does
            msg = f"reward_only[{i}]={v!r} should be True or False (reward-only or coercion)"
            raise ParameterError(msg)
    return values.astype(bool)


def check_c(c: float) -> float:
    if not (isinstance(c, int | float) and math.isfinite(c) and c > 0):
        msg = f"C={c!r} should be a finite number > 0 (the inverse L2 penalty)"
        raise ParameterError(msg)
    return float(c)


def case_list(cases: list[int]) -> str:
    """The cases named in a sentence: 'case 3' or 'cases 3, 5'."""
    return ("case " if len(cases) == 1 else "cases ") + ", ".join(str(i) for i in cases)


def json_number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def readonly(values: NDArray[np.float64]) -> NDArray[np.float64]:
    values = np.array(values, dtype=float)
    values.setflags(write=False)
    return values


def log_losses(p: NDArray[np.float64], y: NDArray[np.float64], eps: float) -> NDArray[Any]:
    """The log loss of each case, p clipped to [eps, 1 − eps]."""
    # 1 - p is clipped on its own, as 1 - (1 - eps) is not eps in floating point.
    q1 = np.clip(p, eps, 1.0 - eps)
    q0 = np.clip(1.0 - p, eps, 1.0 - eps)
    return np.asarray(-(y * np.log(q1) + (1.0 - y) * np.log(q0)))


def auc_kernel(pos: NDArray[np.float64], neg: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 where a success is ranked above a failure, 0.5 for a tie, 0 below: n1 × n0."""
    above = pos[:, np.newaxis] > neg[np.newaxis, :]
    tied = pos[:, np.newaxis] == neg[np.newaxis, :]
    return np.where(above, 1.0, np.where(tied, 0.5, 0.0))
