"""The role model of ``alliances ingest`` (``alliances.ingest.role_model``): the conditional
logit fits what decides, cross-validates by story, and the shipped layer is well formed
and is what its procedure makes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alliances.ingest import role_model
from alliances.ingest.role_model import (
    FEATURES,
    Case,
    RoleModel,
    cross_validate,
    fit_role_model,
    load_role_model,
)


def _cases(n: int, seed: int, noise: float = 0.0) -> list[Case]:
    """Articles of 6 candidates whose truth is the candidate highest on feature 0 (plus
    noise); feature 1 is unrelated."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        X = rng.normal(size=(6, 2))
        truth = int(np.argmax(X[:, 0] + noise * rng.normal(size=6)))
        out.append(Case(X, truth, f"story-{i // 2}"))
    return out


def test_the_fit_puts_its_weight_on_the_feature_that_decides():
    model = fit_role_model(_cases(60, seed=1), l2=0.1, features=("signal", "noise"))
    assert model.coef[0] > 3.0
    assert abs(model.coef[1]) < 0.2 * model.coef[0]


def test_a_heavier_penalty_shrinks_the_coefficients():
    cases = _cases(60, seed=2, noise=0.5)
    light = fit_role_model(cases, l2=0.1, features=("signal", "noise"))
    heavy = fit_role_model(cases, l2=100.0, features=("signal", "noise"))
    assert np.linalg.norm(heavy.coef) < np.linalg.norm(light.coef)


def test_probabilities_sum_to_one_and_rank_as_the_scores():
    model = RoleModel(("a", "b"), np.zeros(2), np.ones(2), np.array([1.0, -2.0]), 1.0)
    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 1.0]])
    p = model.probabilities(X)
    assert p.sum() == pytest.approx(1.0)
    assert list(np.argsort(-p)) == list(np.argsort(-model.scores(X)))


def test_cross_validation_keeps_each_story_in_one_fold():
    groups = [f"s{i % 7}" for i in range(30)]
    folds = role_model._folds(groups, 5)
    assert sorted(np.concatenate(folds).tolist()) == list(range(30))
    for fold in folds:
        inside = {groups[i] for i in fold}
        outside = {groups[i] for f in folds if f is not fold for i in f}
        assert not inside & outside


def test_cross_validation_scores_every_penalty_and_picks_the_lowest_log_loss():
    cases = _cases(40, seed=3, noise=0.3)
    cv = cross_validate(cases, l2_grid=(0.1, 1000.0), folds=4, features=("signal", "noise"))
    assert set(cv["by_l2"]) == {"0.1", "1000.0"}
    best = min(cv["by_l2"], key=lambda k: cv["by_l2"][k]["log_loss"])
    assert cv["best_l2"] == float(best)
    assert cv["by_l2"]["0.1"]["accuracy"] > 0.5  # far above 1 in 6 by chance


def test_the_shipped_model_reads_and_describes_every_feature():
    model = load_role_model()
    assert model.features == FEATURES
    assert model.coef.shape == (len(FEATURES),)
    assert np.isfinite(model.coef).all()
    assert (model.scale > 0).all()


def test_a_model_file_of_another_schema_or_features_is_refused():
    doc = load_role_model().to_dict()
    with pytest.raises(ValueError, match="schema_version"):
        RoleModel.from_dict({**doc, "schema_version": 99})
    with pytest.raises(ValueError, match="features"):
        RoleModel.from_dict({**doc, "features": ["a"]})
    with pytest.raises(ValueError, match="finite"):
        RoleModel.from_dict({**doc, "coef": [float("nan")] * len(FEATURES)})
    assert RoleModel.from_dict(json.loads(json.dumps(doc))).to_dict() == doc
