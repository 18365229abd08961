"""The estimated layer that chooses the roles of a wedge question: a conditional logit.

:func:`alliances.ingest.question.find_question` lists the candidate triples (divider,
target, partner) of an article and describes each by the features of :data:`FEATURES`
(the cues' votes for each role, where and how often each actor is named, whether it is a
great power or an organisation …). The triple chosen is the one with the highest score
:math:`s_k = \\beta^\\top z_k`, with :math:`z_k` the features standardised by the
training means and scales; the probability of candidate :math:`k` among the :math:`K`
candidates of its article is the conditional logit (McFadden 1974)

.. math::

    P(k) = \\frac{e^{s_k}}{\\sum_{j=1}^{K} e^{s_j}},

the ``confidence`` ``alliances ingest`` prints. :math:`\\beta` maximises the penalised
log-likelihood :math:`\\sum_a \\log P_a(k_a) - \\tfrac{\\lambda}{2}\\lVert\\beta -
\\beta_0\\rVert^2` over labelled articles :math:`a` (their true triple :math:`k_a`), with
:math:`\\beta_0` the prior of :data:`PRIOR` (zero but for the wedge phrases) and
:math:`\\lambda` chosen by cross-validation grouped by story (:func:`cross_validate`).
There are two models (:data:`VARIANTS`): ``text`` reads the text alone, ``grounded`` the
world data's ties too (:data:`WORLD_FEATURES`).

The fitted layer ships as ``role_model.json`` beside this module; it is written by
``tests/ingest/real_articles/fit_roles.py`` from the development articles and the
written corpus, never the test half (the article texts stay outside the repository),
and records what it was fitted on and its cross-validated scores.

McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
P. Zarembka (ed.), *Frontiers in Econometrics*, 105–142. Academic Press.

Examples
--------
>>> import numpy as np
>>> X = np.array([[1.0, 0.0], [0.0, 1.0]])  # two candidates, two features
>>> model = RoleModel(("a", "b"), np.zeros(2), np.ones(2), np.array([2.0, 0.0]), 1.0)
>>> model.probabilities(X).round(3).tolist()
[0.881, 0.119]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import logsumexp

__all__ = [
    "FEATURES",
    "PRIOR",
    "SCHEMA_VERSION",
    "TEXT_FEATURES",
    "VARIANTS",
    "WORLD_FEATURES",
    "Case",
    "RoleModel",
    "cross_validate",
    "fit_role_model",
    "load_role_model",
    "read_role_models",
]

SCHEMA_VERSION = 1
MODEL_FILE = "role_model.json"

TEXT_FEATURES: tuple[str, ...] = (
    "divider_phrase_votes",  # what the wedge phrases ("pull X away from Y") add to the divider
    "target_phrase_votes",
    "partner_phrase_votes",
    "divider_cue_votes",  # what the cues of real prose (alliances.ingest.cues) add
    "target_cue_votes",
    "partner_cue_votes",
    "no_divider",  # 1 when the triple names no divider (a pair drifting)
    "divider_great",  # 1 when the divider is a great power (roles.GREAT_POWERS)
    "target_great",
    "partner_great",
    "partner_organisation",  # 1 when the partner is an organisation
    "target_in_partner",  # 1 when the target is a member of the partner organisation
    "divider_in_partner",
    "divider_opening",  # the actor's share of the opening's mentions
    "target_opening",
    "partner_opening",
    "divider_title",  # 1 when the title or a heading names the actor
    "target_title",
    "partner_title",
    "divider_share",  # the actor's share of all mentions
    "target_share",
    "partner_share",
    "divider_first",  # 1 / (1 + the rank of the actor's first mention)
    "target_first",
    "partner_first",
    "divider_subject",  # the share of sentences the actor opens (the first actor named)
    "target_subject",
    "partner_subject",
    "divider_title_first",  # 1 when the actor is the first the title names
    "target_title_first",
    "partner_title_first",
    "divider_agent",  # the share of its mentions by capital, leader or government
    "target_agent",
    "partner_agent",
    "divider_ally_of",  # mentions as the one who has allies ("Taiwan's allies", "a US ally")
    "target_ally_of",
    "partner_ally_of",
    "divider_growing",  # mentions as a rising presence ("China's growing influence")
    "target_growing",
    "partner_growing",
    "divider_from",  # mentions as the one moved away from ("from Taiwan", "break with X")
    "target_from",
    "partner_from",
    "divider_toward",  # mentions as the one moved to ("toward Beijing", "closer to X")
    "target_toward",
    "partner_toward",
    "pair_together",  # the share of sentences naming both target and partner
    "divider_target_together",
)
"""The features read from the text alone."""

PRIOR: dict[str, float] = {
    "divider_phrase_votes": 1.0,
    "target_phrase_votes": 1.0,
    "partner_phrase_votes": 1.0,
}
"""The prior mean of a coefficient, per unit of its feature (0 for those not named): the
wedge phrases keep the weight they have in the hand-set vote (one per unit of vote,
:func:`alliances.ingest.question.find_question`) unless the data say otherwise. Real
articles seldom use those phrases, so a penalty toward zero would drop them for want of
cases; toward their hand-set weight, the few cases move them only as far as they show."""

WORLD_FEATURES: tuple[str, ...] = (
    "target_partner_allied",  # a defence pact between target and partner (ATOP)
    "target_divider_allied",
    "partner_arms_share",  # the partner's share of the target's arms imports (SIPRI)
    "divider_arms_share",
    "divider_partner_rivals",  # strategic rivals (Thompson and Dreyer)
)
"""The features the world data give when the article is read with a store (``--ground``):
:func:`alliances.world.queries.pair_ties`; zero without one."""

FEATURES: tuple[str, ...] = TEXT_FEATURES + WORLD_FEATURES
"""The features of a candidate triple, in the order of the columns of its matrix."""

VARIANTS = {"text": TEXT_FEATURES, "grounded": FEATURES}
"""The two models: from the text alone, and with the world data."""


@dataclass(frozen=True)
class Case:
    """One labelled article for fitting: its candidates' features (one row each), the row
    of its true triple, and its group (the story it tells, so that cross-validation keeps a
    story's articles in one fold)."""

    features: NDArray[np.float64]
    truth: int
    group: str
    baseline: NDArray[np.float64] | None = None  # another method's score of each candidate


@dataclass(frozen=True)
class RoleModel:
    """A fitted conditional logit over :data:`FEATURES` (see the module docstring)."""

    features: tuple[str, ...]
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    l2: float
    fitted_on: dict[str, Any] = field(default_factory=dict)
    cv: dict[str, Any] = field(default_factory=dict)

    def scores(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """The linear score :math:`\\beta^\\top z` of each row of ``X`` (its columns the
        model's features, or all of :data:`FEATURES`)."""
        return ((_columns(X, self.features) - self.mean) / self.scale) @ self.coef

    def probabilities(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """The conditional-logit probability of each row of ``X`` among the rows."""
        s = self.scores(X)
        return np.exp(s - logsumexp(s))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of one model (an entry of ``models`` in ``role_model.json``)."""
        return {
            "model": "conditional logit",
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "l2": self.l2,
            "fitted_on": self.fitted_on,
            "cv": self.cv,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any], where: str = MODEL_FILE) -> RoleModel:
        """Read the JSON form of one model, checking that its features are among
        :data:`FEATURES` and its numbers finite."""
        features = tuple(doc.get("features", ()))
        mean, scale, coef = (
            np.asarray(doc.get(k, ()), dtype=float) for k in ("mean", "scale", "coef")
        )
        msg = None
        if not features or not set(features) <= set(FEATURES):
            msg = f"features {features} are not among {FEATURES}"
        elif any(
            a.shape != (len(features),) or not np.isfinite(a).all() for a in (mean, scale, coef)
        ):
            msg = f"mean, scale and coef need {len(features)} finite numbers each"
        elif (scale <= 0).any():
            msg = "every scale must be positive"
        if msg is not None:
            msg = f"{where}: {msg}"
            raise ValueError(msg)
        return cls(features, mean, scale, coef, float(doc["l2"]), doc["fitted_on"], doc["cv"])


def read_role_models(doc: dict[str, Any], where: str = MODEL_FILE) -> dict[str, RoleModel]:
    """The models of a ``role_model.json`` document, by variant (:data:`VARIANTS`)."""
    if doc.get("schema_version") != SCHEMA_VERSION:
        msg = f"{where}: schema_version {doc.get('schema_version')!r}, expected {SCHEMA_VERSION}"
        raise ValueError(msg)
    models = doc.get("models", {})
    if set(models) != set(VARIANTS):
        msg = f"{where}: models {sorted(models)}, expected {sorted(VARIANTS)}"
        raise ValueError(msg)
    return {k: RoleModel.from_dict(v, f"{where} models.{k}") for k, v in models.items()}


@cache
def load_role_model(variant: str = "text") -> RoleModel:
    """A model shipped with the package (``role_model.json``): ``text`` reads the text
    alone, ``grounded`` the world data too."""
    text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return read_role_models(json.loads(text))[variant]


def _columns(X: NDArray[np.float64], features: tuple[str, ...]) -> NDArray[np.float64]:
    """The columns of ``features`` in ``X`` (X holds them alone, or all of FEATURES)."""
    X = np.asarray(X, dtype=float)
    if X.shape[1] == len(features):
        return X
    return X[:, [FEATURES.index(f) for f in features]]


def _standardisation(
    cases: Sequence[Case], features: tuple[str, ...]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    rows = np.vstack([_columns(c.features, features) for c in cases])
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    return mean, np.where(scale > 1e-12, scale, 1.0)


def fit_role_model(
    cases: Sequence[Case],
    l2: float,
    features: tuple[str, ...] = FEATURES,
    prior: dict[str, float] | None = None,
) -> RoleModel:
    """The conditional logit maximising the penalised log-likelihood over ``cases``.

    The penalty is :math:`\\tfrac{\\lambda}{2}\\lVert\\beta - \\beta_0\\rVert^2`, with
    :math:`\\beta_0` the ``prior`` (per unit of each feature; :data:`PRIOR` by default)
    in the standardised units of the fit.

    Parameters
    ----------
    cases : sequence of Case
        The labelled articles, each with at least one candidate.
    l2 : float
        The ridge penalty :math:`\\lambda` on the standardised coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> cases = []
    >>> for i in range(40):
    ...     X = rng.normal(size=(5, 2))
    ...     cases.append(Case(X, int(np.argmax(X[:, 0])), str(i)))
    >>> m = fit_role_model(cases, l2=0.1, features=("signal", "noise"))
    >>> bool(m.coef[0] > 5 * abs(m.coef[1]))
    True
    """
    if not cases:
        msg = "fit_role_model needs at least one labelled case"
        raise ValueError(msg)
    mean, scale = _standardisation(cases, features)
    Z = [(_columns(c.features, features) - mean) / scale for c in cases]
    truth = [c.truth for c in cases]
    given = PRIOR if prior is None else prior
    centre = np.array([given.get(f, 0.0) for f in features]) * scale

    def loss(beta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        gap = beta - centre
        total = 0.5 * l2 * float(gap @ gap)
        grad = l2 * gap
        for z, k in zip(Z, truth, strict=True):
            s = z @ beta
            lse = logsumexp(s)
            total -= s[k] - lse
            grad = grad + z.T @ np.exp(s - lse) - z[k]
        return total, grad

    result = minimize(loss, centre, jac=True, method="L-BFGS-B")
    return RoleModel(features, mean, scale, np.asarray(result.x), float(l2))


def _folds(groups: Sequence[str], k: int) -> list[NDArray[np.int64]]:
    """The case indices of each of ``k`` folds, whole groups dealt in turn (by the sorted
    group names, so the folds are the same on every run)."""
    names = sorted(set(groups))
    fold_of = {g: i % k for i, g in enumerate(names)}
    return [np.array([i for i, g in enumerate(groups) if fold_of[g] == f]) for f in range(k)]


def cross_validate(
    cases: Sequence[Case],
    l2_grid: Sequence[float] = (0.01, 0.1, 1.0, 10.0, 100.0),
    folds: int = 5,
    features: tuple[str, ...] = FEATURES,
    extra: Sequence[Case] = (),
) -> dict[str, Any]:
    """Grouped ``folds``-fold cross-validation of :func:`fit_role_model` over ``l2_grid``.

    Every case is predicted by a model fitted without its story's articles; ``extra``
    cases join every fold's training and are never scored. Returns, for
    each penalty, the share of cases whose true triple ranks first (``accuracy``) and the
    mean negative log-probability of the true triple (``log_loss``), plus the penalty of
    the lowest log-loss (``best_l2``) and, when every case has a ``baseline``, that
    method's accuracy on the same cases (``baseline_accuracy``).
    """
    groups = [c.group for c in cases]
    by_fold = _folds(groups, min(folds, len(set(groups))))
    out: dict[str, Any] = {"folds": len(by_fold), "cases": len(cases), "by_l2": {}}
    for l2 in l2_grid:
        hits, losses = [], []
        for held in by_fold:
            kept = set(held.tolist())
            train = [cases[i] for i in range(len(cases)) if i not in kept] + list(extra)
            model = fit_role_model(train, l2, features)
            for i in held:
                p = model.probabilities(cases[i].features)
                hits.append(int(np.argmax(p)) == cases[i].truth)
                losses.append(-float(np.log(max(p[cases[i].truth], 1e-300))))
        out["by_l2"][str(l2)] = {
            "accuracy": float(np.mean(hits)),
            "log_loss": float(np.mean(losses)),
        }
    best = min(out["by_l2"], key=lambda k: out["by_l2"][k]["log_loss"])
    out["best_l2"] = float(best)
    if all(c.baseline is not None for c in cases):
        out["baseline_accuracy"] = float(
            np.mean([int(np.argmax(c.baseline)) == c.truth for c in cases])  # type: ignore[arg-type]
        )
    return out
