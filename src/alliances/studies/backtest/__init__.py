"""The backtests: the model's forecasts graded against history, with their baselines.

==============  ==========================================================================
module          what it holds
==============  ==========================================================================
catalogue       the wedge model on the documented wedge attempts: each case drafted from
                the year before it, P(flip) predicted and scored against three baselines
calibration     the calibrated P(flip): the decision layer fitted on those cases, its
                leave-one-out track record, and the shipped ``flip_layer.json``
exits           the alliance-exit forecast scored out of sample (rolling origin by decade
                and the 1991–2016 hold-out) against the era's base rate
==============  ==========================================================================

The scores themselves are those of :mod:`alliances.analysis.scoring`; the outputs (the
command line and the HTML pages of :mod:`alliances.report`) render the result objects
made here.
"""

from alliances.studies.backtest.catalogue import (
    FEATURES,
    P_FLIP,
    Backtest,
    CaseResult,
    backtest,
    calibrate_cases,
    fit_scale,
    predict,
)
from alliances.studies.backtest.exits import ExitBacktest, backtest_exits

__all__ = [
    "FEATURES",
    "P_FLIP",
    "Backtest",
    "CaseResult",
    "ExitBacktest",
    "backtest",
    "backtest_exits",
    "calibrate_cases",
    "fit_scale",
    "predict",
]
