r"""Forecast scores, in one place: predicted probabilities graded against what happened.

A backtest gives, for each historical wedge attempt i, the model's probability
:math:`p_i` that the target flips, and the attempt's outcome: ``success``, ``partial`` or
``failure``. This package scores the predictions (Brier score, log loss, ROC AUC and
curve, a calibration table, skill), builds three leave-one-out baselines that the model
has to beat, and puts it all, with bootstrap intervals, in one :class:`Scores`
(:func:`score`). The exit forecast's scores of rare 0/1 events, with a bootstrap
clustered by alliance, are here too. It is pure: NumPy arrays in, plain objects out, no
I/O.

==============  ==========================================================================
module          what it holds
==============  ==========================================================================
metrics         the soft labels, Brier score, log loss, ROC AUC and curve, calibration
                table, Brier skill
baselines       the leave-one-out baselines: base rate, logistic regression, instrument rule
bootstrap       percentile intervals of every score over resamples of the cases
scores          :class:`Scores` and :func:`score`: all of the above for one forecast
events          scores of 0/1 events with intervals clustered by unit (the exit forecast)
==============  ==========================================================================

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

from alliances.analysis.scoring.baselines import (
    base_rate_baseline,
    expand_partials,
    logistic_baseline,
    rule_baseline,
)
from alliances.analysis.scoring.bootstrap import BASELINES, SCORE_NAMES, bootstrap_intervals
from alliances.analysis.scoring.events import (
    METRICS,
    calibration_deciles,
    clustered_bootstrap,
    event_roc,
    event_scores,
)
from alliances.analysis.scoring.metrics import (
    LABELS,
    Roc,
    brier_score,
    brier_skill,
    calibration_table,
    log_loss,
    roc_auc,
    roc_curve,
    soft_labels,
)
from alliances.analysis.scoring.scores import Scores, score

__all__ = [
    "BASELINES",
    "LABELS",
    "METRICS",
    "SCORE_NAMES",
    "Roc",
    "Scores",
    "base_rate_baseline",
    "bootstrap_intervals",
    "brier_score",
    "brier_skill",
    "calibration_deciles",
    "calibration_table",
    "clustered_bootstrap",
    "event_roc",
    "event_scores",
    "expand_partials",
    "log_loss",
    "logistic_baseline",
    "roc_auc",
    "roc_curve",
    "rule_baseline",
    "score",
    "soft_labels",
]
