"""The alliance-exit forecast scored out of sample: rolling origin by decade and a hold-out.

The specification is ``docs/forecast.md``, committed before anything was scored. For each
decade d, every model is fitted on the member-years before d and predicts the yearly
hazard of early exit of the member-years of d (:func:`alliances.analysis.hazard`); the
predictions of all decades are pooled and scored, for 1870s–2010s and for 1950s–2010s.
The confirmatory hold-out fits on 1816–1990 and predicts 1991–2016 once. The models:

``base_rate``
    the event rate of the training member-years of the 20 years before the test period;
``leeds_savun``
    the hazard logit on the features of :data:`~alliances.studies.exit_features.LEEDS_SAVUN`;
``leeds_savun_structure``
    the same plus the wedge model's ``log_cost``, ``margin`` and ``no_price``
    (:mod:`alliances.studies.exit_structure`; 1950s on), when asked for.

Scores and paired differences come with 90% intervals from a bootstrap clustered by
alliance (:func:`alliances.analysis.scoring.clustered_bootstrap`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliances.analysis.hazard import fit_hazard
from alliances.analysis.scoring import (
    calibration_deciles,
    clustered_bootstrap,
    event_roc,
    event_scores,
)
from alliances.studies.exit_features import LEEDS_SAVUN
from alliances.studies.exit_structure import STRUCTURAL

__all__ = ["DECADES", "HOLDOUT", "ExitBacktest", "Period", "backtest_exits"]

DECADES = tuple(range(1870, 2020, 10))
"""The first years of the test decades (the 2010s run to 2016, the end of ATOP 4.0)."""

HOLDOUT = (1991, 2016)
"""The confirmatory hold-out, declared in docs/forecast.md before any scoring."""

_BASE_YEARS = 20
_C = 1.0
LAST_YEAR = 2016


@dataclass(frozen=True)
class Period:
    """The scores of one test period: its rows, events and each model's point scores."""

    label: str
    first: int
    last: int
    n: int
    events: int
    scores: dict[str, dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.label,
            "first": self.first,
            "last": self.last,
            "n": self.n,
            "events": self.events,
            "scores": self.scores,
        }


@dataclass(frozen=True)
class ExitBacktest:
    """The rolling and hold-out scores of every model, with the predictions scored."""

    decades: list[Period]
    pooled: dict[str, dict[str, Any]]
    holdout: dict[str, Any]
    calibration: dict[str, list[dict[str, float]]]
    roc: dict[str, dict[str, list[float]]]
    models: list[str]
    predictions: pd.DataFrame = field(repr=False)
    n_boot: int = 1000
    seed: int = 0

    def plot(self, kind: str = "calibration", backend: str = "plotly") -> Any:
        """The chart ``kind`` (``"calibration"``, ``"roc"``, ``"decades"``) drawn by ``backend``.

        :func:`alliances.plotting.exit_backtest_chart`, its backend (``"plotly"`` or
        ``"matplotlib"``) found by its name when the chart is asked for
        (:func:`alliances._backends.plotting_backend`), as ``WedgeResult.plot()``.
        """
        from alliances._backends import plotting_backend

        return plotting_backend(backend).exit_backtest_chart(self, kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "specification": "docs/forecast.md",
            "event": "early_exit",
            "unit": "member-year",
            "models": self.models,
            "decades": [p.to_dict() for p in self.decades],
            "rolling": self.pooled,
            "holdout": self.holdout,
            "calibration": self.calibration,
            "roc": self.roc,
            "bootstrap": {"resamples": self.n_boot, "seed": self.seed, "clusters": "atopid"},
        }


def _predict(
    train: pd.DataFrame, test: pd.DataFrame, models: list[str], first: int
) -> dict[str, np.ndarray]:
    recent = train[train["year"] >= first - _BASE_YEARS]
    out = {"base_rate": np.full(len(test), float(recent["exit_early"].mean()))}
    for name in models:
        if name == "base_rate":
            continue
        features = [*LEEDS_SAVUN, *(STRUCTURAL if name.endswith("structure") else ())]
        # Rows before 1950 carry no price (no_price = 1): the structural terms are
        # learned from the priced rows only.
        model = fit_hazard(train, features, event="exit_early", C=_C)
        out[name] = model.hazard(test)
    return out


def _scored(frame: pd.DataFrame, models: list[str], n_boot: int, seed: int) -> dict[str, Any]:
    preds = {m: frame[f"p_{m}"].to_numpy() for m in models}
    return clustered_bootstrap(
        frame["exit_early"].to_numpy(), preds, frame["atopid"], n_boot=n_boot, seed=seed
    )


def backtest_exits(
    frame: pd.DataFrame,
    *,
    structure: bool = False,
    n_boot: int = 1000,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> ExitBacktest:
    """Score the exit hazard out of sample on ``frame``
    (:func:`~alliances.studies.exit_features.exit_features`, with the structural columns
    when ``structure``); see the module for the folds and the models."""
    models = ["base_rate", "leeds_savun", *(["leeds_savun_structure"] if structure else [])]
    rolled = []
    decades = []
    for first in DECADES:
        last = min(first + 9, LAST_YEAR)
        test = frame[(frame["year"] >= first) & (frame["year"] <= last)]
        train = frame[frame["year"] < first]
        if progress is not None:
            progress(f"Fitting on the member-years before {first}, predicting {first}–{last}")
        decade_models = [m for m in models if first >= 1950 or not m.endswith("structure")]
        preds = _predict(train, test, decade_models, first)
        test = test.assign(**{f"p_{m}": p for m, p in preds.items()})
        rolled.append(test)
        decades.append(
            Period(
                f"{first}s",
                first,
                last,
                len(test),
                int(test["exit_early"].sum()),
                {m: event_scores(test["exit_early"], p) for m, p in preds.items()},
            )
        )
    pooled_all = pd.concat(rolled, ignore_index=True)
    pooled = {}
    for label, start, names in (
        ("1870s-2010s", 1870, [m for m in models if not m.endswith("structure")]),
        ("1950s-2010s", 1950, models),
    ):
        if progress is not None:
            progress(f"Bootstrapping the rolling scores of {label}")
        pooled[label] = _scored(pooled_all[pooled_all["year"] >= start], names, n_boot, seed)
    if progress is not None:
        progress("Fitting on 1816–1990, predicting the hold-out 1991–2016")
    train = frame[frame["year"] < HOLDOUT[0]]
    test = frame[frame["year"] >= HOLDOUT[0]]
    preds = _predict(train, test, models, HOLDOUT[0])
    held = test.assign(**{f"p_{m}": p for m, p in preds.items()})
    holdout = {"first": HOLDOUT[0], "last": HOLDOUT[1], **_scored(held, models, n_boot, seed)}
    calibration, roc = {}, {}
    for m in models:
        rows = pooled_all.dropna(subset=[f"p_{m}"])
        y, p = rows["exit_early"], rows[f"p_{m}"]
        calibration[m] = calibration_deciles(y, p).to_dict("records")
        roc[m] = event_roc(y.to_numpy(), p.to_numpy())
    keep = ["atopid", "ccode", "year", "exit_early", *(f"p_{m}" for m in models)]
    return ExitBacktest(
        decades, pooled, holdout, calibration, roc, models, pooled_all[keep], n_boot, seed
    )
