"""The catalogue backtest: draft each documented wedge attempt from the data of the year
before it began, predict P(flip), and score the predictions.

For each case of the catalogue (:mod:`alliances.studies.cases`) the scenario is drafted
by the rules of ``docs/drafting.md`` from the world data of ``start_year − 1`` (never the
attempt's own years), with the case's instruments, and priced by
:func:`~alliances.analysis.wedge.wedge`. The prediction is

.. math::

    \\hat p = P(O^* < w \\, O_{\\max}),

the chance that the most the divider would pay is enough (a tie keeps the target), with
the divider's willingness scaled by ``w`` (1 unless fitted by :func:`fit_scale` or read
from a parameters file). The scores and the three leave-one-out baselines are those of
:func:`alliances.analysis.scoring.score`. A case the data cannot cover is skipped with
its reason.

Only :func:`fit_scale` estimates anything, and it reports the leave-one-out
(cross-validated) score: the scale of each held-out case is fitted on the others.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.analysis._checks import AlliancesWarning
from alliances.analysis.scoring import Scores, score, soft_labels
from alliances.analysis.wedge import wedge
from alliances.errors import AlliancesError, ParameterError
from alliances.studies.cases import Case, Catalogue
from alliances.studies.drafting import draft

__all__ = [
    "FEATURES",
    "P_FLIP",
    "Backtest",
    "CaseResult",
    "backtest",
    "calibrate_cases",
    "fit_scale",
    "predict",
]

FEATURES = ("allied_TP", "trade_share_TP", "log_means_DP", "rival_DT", "affinity_gap")
"""The data features of the logistic baseline (docs/drafting.md, "Features")."""

P_FLIP = "P(O* < scale x O_max) over the draws of each drafted case"
"""What a case's ``p_flip`` is (the ``p_flip`` key of :meth:`Backtest.to_dict`)."""

SCALE_GRID = np.exp(np.linspace(-6.0, 6.0, 241))
"""The willingness scales ``w`` :func:`fit_scale` tries (log-spaced, e^±6)."""


@dataclass
class CaseResult:
    """One case of the backtest: its prediction, or why it was skipped."""

    id: str
    outcome: str
    reward_only: bool
    year: int
    p_flip: float | None = None
    skipped: bool = False
    reason: str | None = None
    features: dict[str, float | None] = field(default_factory=dict)
    flip_price_p50: float | None = None
    max_offer_p50: float | None = None
    kappa_p50: float | None = None
    warnings: list[str] = field(default_factory=list)
    draws: tuple[NDArray[np.float64], NDArray[np.float64]] | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "p_flip": self.p_flip,
            "outcome": self.outcome,
            "skipped": self.skipped,
            "reason": self.reason,
            "year": self.year,
            "reward_only": self.reward_only,
            "flip_price_p50": self.flip_price_p50,
            "max_offer_p50": self.max_offer_p50,
            "features": self.features,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class Backtest:
    """The cases with their predictions and the scores (None with fewer than 3 cases).

    ``fitted`` is the fit of :func:`fit_scale`, ``calibration`` the calibrated P(flip)
    of :func:`calibrate_cases` (10 cases or more), and ``params`` the parameters file the
    scale was read from (``file`` and ``willingness_scale``), when it was.
    """

    cases: list[CaseResult]
    scores: Scores | None
    scale: float
    samples: int
    seed: int
    fitted: dict[str, Any] | None = None
    calibration: dict[str, Any] | None = None
    params: dict[str, Any] | None = None

    @property
    def scored(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.skipped]

    def plot(self, kind: str = "calibration", backend: str = "plotly") -> Any:
        """The chart ``kind`` (``"calibration"``, ``"roc"`` or ``"both"``) drawn with ``backend``.

        :func:`alliances.plotting.backtest_chart`, its backend (``"plotly"`` or
        ``"matplotlib"``) found by its name when the chart is asked for
        (:func:`alliances._backends.plotting_backend`), as ``WedgeResult.plot()``.
        """
        from alliances._backends import plotting_backend

        return plotting_backend(backend).backtest_chart(self, kind)

    def to_dict(self) -> dict[str, Any]:
        scores: dict[str, Any] = {"n": len(self.scored)}
        if self.scores is not None:
            scores = self.scores.to_dict()
        scores["n_skipped"] = len(self.cases) - len(self.scored)
        out = {
            "cases": [c.to_dict() for c in self.cases],
            "scores": scores,
            "scale": self.scale,
            "samples": self.samples,
            "seed": self.seed,
            "p_flip": P_FLIP,
        }
        out["warnings"] = [] if self.scores is None else list(self.scores.warnings)
        if self.fitted is not None:
            out["fit"] = self.fitted
        if self.calibration is not None:
            out["calibrated"] = self.calibration
        if self.params is not None:
            out["params"] = self.params
        return out


def predict(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    *,
    samples: int = 4000,
    seed: int = 0,
    rules: Literal[1, 2] = 1,
) -> CaseResult:
    """Draft ``case`` from the data of ``start_year − 1`` and price it; a case the data
    cannot draft is returned skipped, with the reason."""
    year = case.start_year - 1
    result = CaseResult(case.id, case.outcome, case.reward_only, year)
    instruments = [
        {"type": i.type, "description": i.description, "value": i.scenario_value()}
        for i in case.instruments
    ]
    try:
        drafted = draft(
            case.divider_ref,
            case.target_ref,
            case.partner_ref,
            year,
            prevent=case.goal == "prevent",
            instruments=instruments,
            store=con,
            scenario_id=f"case-{case.id}",
            rules=rules,
        )
        priced = wedge(drafted.scenario, samples=samples, sobol_samples=0, seed=seed)
    except (AlliancesError, ValueError) as error:
        result.skipped, result.reason = True, str(error)
        return result
    flip = priced.draws["flip_price"].to_numpy(dtype=float)
    most = priced.draws["max_offer"].to_numpy(dtype=float)
    result.draws = (flip, most)
    result.p_flip = float(np.mean(flip < most))
    result.features = drafted.features
    result.flip_price_p50 = float(np.median(flip))
    result.max_offer_p50 = float(np.median(most))
    result.kappa_p50 = float(np.median(priced.draws["credibility"].to_numpy(dtype=float)))
    result.warnings = drafted.warnings
    return result


def _p_at(case: CaseResult, scale: float) -> float:
    assert case.draws is not None
    flip, most = case.draws
    return float(np.mean(flip < scale * most))


def _features(cases: Sequence[CaseResult]) -> NDArray[np.float64]:
    """The feature matrix; a missing feature is its median over the cases (0 if none)."""
    frame = pd.DataFrame([{k: c.features.get(k) for k in FEATURES} for c in cases], dtype=float)
    frame = frame.fillna(frame.median()).fillna(0.0)
    return frame.to_numpy(dtype=float)


def backtest(
    catalogue: Catalogue,
    con: duckdb.DuckDBPyConnection,
    *,
    samples: int = 4000,
    seed: int = 0,
    scale: float = 1.0,
    n_boot: int = 2000,
    progress: Callable[[str], None] | None = None,
    rules: Literal[1, 2] = 1,
) -> Backtest:
    """Predict every case of ``catalogue`` and score the predictions.

    ``scale`` multiplies the divider's willingness to pay (1: the drafting rules as
    written); ``samples`` and ``seed`` are the Monte Carlo draws of each case.
    """
    if not (scale > 0 and math.isfinite(scale)):
        msg = f"scale={scale} should be a positive finite number"
        raise ParameterError(msg)
    results = []
    for case in catalogue.cases:
        if progress is not None:
            progress(f"Drafting and pricing {case.id}")
        results.append(predict(case, con, samples=samples, seed=seed, rules=rules))
    for r in results:
        if not r.skipped:
            r.p_flip = _p_at(r, scale)
    scored = [r for r in results if not r.skipped]
    calibration = None
    if len(scored) >= 10:
        if progress is not None:
            progress("Fitting the calibrated P(flip) and scoring it leave-one-out")
        calibration = calibrate_cases(
            scored, samples=samples, seed=seed, n_boot=n_boot, rules=rules
        )
    return Backtest(
        results, _score(results, n_boot, seed, None), scale, samples, seed, None, calibration
    )


def calibrate_cases(
    scored: Sequence[CaseResult], *, samples: int, seed: int, n_boot: int, rules: Literal[1, 2] = 1
) -> dict[str, Any]:
    """The decision layer fitted on the scored cases, with its leave-one-out track record
    (:func:`alliances.studies.backtest.calibration.calibrate`)."""
    import hashlib
    import json

    from alliances.studies.backtest.calibration import calibrate, case_inputs

    rows = []
    for case in scored:
        assert case.draws is not None
        assert case.kappa_p50 is not None
        rows.append(
            case_inputs(case.draws[0], case.draws[1], case.kappa_p50, not case.reward_only)
        )
    record = json.dumps([[c.id, c.outcome, c.year] for c in scored]).encode()
    fitted_on = {
        "cases": len(scored),
        "cases_sha256": hashlib.sha256(record).hexdigest(),
        "case_ids": [c.id for c in scored],
        "drafting_rules": rules,
        "samples": samples,
        "seed": seed,
    }
    return calibrate(
        [c.id for c in scored],
        rows,
        [c.outcome for c in scored],
        years=[c.year + 1 for c in scored],
        n_boot=n_boot,
        n_perm=1000 if n_boot else 0,
        seed=seed,
        fitted_on=fitted_on,
    )


def _score(
    results: Sequence[CaseResult], n_boot: int, seed: int, p: Sequence[float] | None
) -> Scores | None:
    scored = [r for r in results if not r.skipped]
    if len(scored) < 3:
        return None
    preds = [r.p_flip for r in scored] if p is None else list(p)
    # The scores keep the fallbacks' messages (Scores.warnings, listed in the JSON).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlliancesWarning)
        return _scores(preds, scored, n_boot, seed)


def _scores(
    preds: Sequence[float | None], scored: Sequence[CaseResult], n_boot: int, seed: int
) -> Scores:
    return score(
        np.array(preds, dtype=float),
        soft_labels([r.outcome for r in scored]),
        features=_features(scored),
        reward_only=np.array([r.reward_only for r in scored]),
        n_boot=n_boot,
        seed=seed,
    )


def fit_scale(
    catalogue: Catalogue,
    con: duckdb.DuckDBPyConnection,
    *,
    samples: int = 4000,
    seed: int = 0,
    n_boot: int = 2000,
    progress: Callable[[str], None] | None = None,
    rules: Literal[1, 2] = 1,
) -> Backtest:
    """Fit the divider's willingness scale ``w`` by maximum likelihood, leave-one-out.

    For each scored case i, ``w_i`` maximises the (soft-label) log likelihood of the other
    cases over :data:`SCALE_GRID`, and case i is predicted with ``w_i``: the scores of the
    returned backtest are cross-validated. ``fitted`` gives the scale fitted on all cases
    (for ``--params``), the held-out scales and the in-sample score for comparison.
    """
    run = backtest(
        catalogue,
        con,
        samples=samples,
        seed=seed,
        scale=1.0,
        n_boot=0,
        progress=progress,
        rules=rules,
    )
    scored = run.scored
    if len(scored) < 3:
        msg = f"a fit needs at least 3 cases the data cover, got {len(scored)}"
        raise ParameterError(msg)
    best_all = _best_scale(scored)
    held_out = []
    for i, case in enumerate(scored):
        w_i = _best_scale([c for j, c in enumerate(scored) if j != i])
        held_out.append(w_i)
        case.p_flip = _p_at(case, w_i)
    cv = _score(run.cases, n_boot, seed, None)
    in_sample = _score(run.cases, 0, seed, [_p_at(c, best_all) for c in scored])
    fitted = {
        "schema_version": 1,
        "parameter": "willingness_scale",
        "willingness_scale": best_all,
        "held_out_scales": dict(zip([c.id for c in scored], held_out, strict=True)),
        "cv_brier": None if cv is None else cv.brier,
        "in_sample_brier": None if in_sample is None else in_sample.brier,
        "note": "scores reported are leave-one-out; the in-sample Brier is for comparison only",
    }
    return Backtest(run.cases, cv, best_all, samples, seed, fitted)


def _best_scale(cases: Sequence[CaseResult]) -> float:
    """The scale of :data:`SCALE_GRID` that maximises Σ y log p + (1 − y) log(1 − p), p
    clipped to [0.001, 0.999]; a partial (y = ½) counts as two rows of weight ½."""
    labels = soft_labels([c.outcome for c in cases])
    best, best_ll = 1.0, -math.inf
    for w in SCALE_GRID:
        p = np.clip([_p_at(c, float(w)) for c in cases], 1e-3, 1 - 1e-3)
        ll = float(np.sum(labels * np.log(p) + (1 - labels) * np.log(1 - p)))
        # Ties go to the scale nearest 1 (the rules as written).
        if ll > best_ll + 1e-12 or (
            abs(ll - best_ll) <= 1e-12 and abs(math.log(w)) < abs(math.log(best))
        ):
            best, best_ll = float(w), ll
    return best
