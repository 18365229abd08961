r"""A discrete-time hazard logit: the yearly chance of an event, and the chance within H years.

With features x measured the year before, the hazard of year t is

.. math::

    h_t = \sigma(\beta_0 + \beta^\top z_t), \qquad z = (x - \bar x) / s_x,

fitted by L2-penalised maximum likelihood on standardised features (Beck, Katz and
Tucker 1998: a logit on unit-years is a discrete-time duration model). The chance that
the event happens within ``H`` years of an origin, with the features of the origin held
and only the age advanced, is

.. math::

    P_H = 1 - \prod_{k=0}^{H-1} \bigl(1 - h(x + k\,e_{\text{age}})\bigr).

References
----------
.. [1] Beck, N., Katz, J. N. and Tucker, R. (1998). Taking time seriously: Time-series–
   cross-section analysis with a binary dependent variable. *American Journal of
   Political Science* 42(4): 1260–1288.
.. [2] Leeds, B. A. and Savun, B. (2007). Terminating alliances: Why do states abrogate
   agreements? *Journal of Politics* 69(4): 1118–1132.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.errors import ParameterError

__all__ = ["HazardModel", "fit_hazard"]


@dataclass(frozen=True)
class HazardModel:
    """A fitted hazard logit: feature names, their training means and deviations, the
    coefficients on the standardised features and the intercept."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    n: int
    events: int

    def _z(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        missing = [f for f in self.features if f not in frame.columns]
        if missing:
            msg = f"the frame lacks the model's features {', '.join(missing)}"
            raise ParameterError(msg)
        x = frame[list(self.features)].to_numpy(dtype=float)
        if not np.isfinite(x).all():
            msg = "features must be finite numbers (NaN or infinity found)"
            raise ParameterError(msg)
        return np.asarray((x - np.array(self.mean)) / np.array(self.scale), dtype=np.float64)

    def hazard(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        """The yearly hazard σ(β₀ + βᵀz) of each row of ``frame``."""
        eta = self.intercept + self._z(frame) @ np.array(self.coef)
        return np.asarray(1.0 / (1.0 + np.exp(-eta)), dtype=float)

    def risk(
        self, frame: pd.DataFrame, horizon: int, *, age: str = "log_age"
    ) -> NDArray[np.float64]:
        """P(the event within ``horizon`` years): the yearly hazards compounded, with the
        feature ``age`` (ln(1 + years)) advanced one year at a time.

        >>> m = HazardModel(("log_age",), (0.0,), (1.0,), (0.0,), math.log(0.1 / 0.9), 10, 1)
        >>> round(float(m.risk(pd.DataFrame({"log_age": [1.0]}), 2)[0]), 4)
        0.19
        """
        if horizon < 1:
            msg = f"horizon={horizon} should be at least one year"
            raise ParameterError(msg)
        survive = np.ones(len(frame))
        years = np.expm1(frame[age].to_numpy(dtype=float)) if age in frame else None
        for k in range(horizon):
            step = frame
            if years is not None:
                step = frame.assign(**{age: np.log1p(years + k)})
            survive *= 1.0 - self.hazard(step)
        return 1.0 - survive

    def effects(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Each feature's term βᵢzᵢ in each row's log-odds (the row's drivers)."""
        return pd.DataFrame(
            self._z(frame) * np.array(self.coef), columns=list(self.features), index=frame.index
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "intercept": self.intercept,
            "coef": dict(zip(self.features, self.coef, strict=True)),
            "mean": dict(zip(self.features, self.mean, strict=True)),
            "scale": dict(zip(self.features, self.scale, strict=True)),
            "n": self.n,
            "events": self.events,
        }


def fit_hazard(
    frame: pd.DataFrame, features: Sequence[str], *, event: str = "event", C: float = 1.0
) -> HazardModel:
    r"""Fit the hazard logit of ``event`` on ``features``, L2-penalised:

    .. math::

        \hat\beta = \arg\max_\beta \sum_i \bigl[y_i \ln h_i + (1 - y_i)\ln(1 - h_i)\bigr]
        - \frac{\lVert\beta\rVert^2}{2C}, \qquad h_i = \sigma(\beta_0 + \beta^\top z_i),

    on standardised features z (a discrete-time duration model, Beck, Katz and Tucker
    1998 [1]_).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit-year, with ``event`` and ``features``.
    features : sequence of str
        The feature columns (finite numbers).
    event : str
        The 0/1 event column.
    C : float
        The inverse penalty (scikit-learn's convention).

    Returns
    -------
    HazardModel
        The fitted model.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-(-2 + x)))).astype(int)
    >>> m = fit_hazard(pd.DataFrame({"x": x, "event": y}), ["x"])
    >>> 0.7 < m.coef[0] < 1.3
    True

    References
    ----------
    .. [1] Beck, N., Katz, J. N. and Tucker, R. (1998). Taking time seriously.
       *American Journal of Political Science* 42(4): 1260–1288.
    """
    from sklearn.linear_model import LogisticRegression

    if not (C > 0 and math.isfinite(C)):
        msg = f"C={C} should be a positive finite number"
        raise ParameterError(msg)
    y = frame[event].to_numpy(dtype=float)
    events = int(y.sum())
    if events == 0 or events == len(y):
        msg = f"cannot fit a hazard on {len(y)} rows with {events} events: need both outcomes"
        raise ParameterError(msg)
    x = frame[list(features)].to_numpy(dtype=float)
    if not np.isfinite(x).all():
        msg = "features must be finite numbers (NaN or infinity found)"
        raise ParameterError(msg)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    fit = LogisticRegression(C=C, max_iter=1000).fit((x - mean) / scale, y.astype(int))
    return HazardModel(
        tuple(features),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in fit.coef_[0]),
        float(fit.intercept_[0]),
        len(y),
        events,
    )
