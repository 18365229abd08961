"""The role model of ``alliances ingest`` (``alliances.ingest.role_model``): the conditional
logit fits what decides, cross-validates by story, and the shipped layer is well formed
and is what its procedure makes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alliances.ingest import role_model
from alliances.ingest.role_model import (
    SCHEMA_VERSION,
    VARIANTS,
    WORLD_FEATURES,
    Case,
    RoleModel,
    cross_validate,
    fit_role_model,
    load_role_model,
    read_role_models,
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


def test_the_shipped_models_read_each_its_features_fitted_and_cross_validated():
    for variant, features in VARIANTS.items():
        model = load_role_model(variant)
        assert model.features == features
        assert model.coef.shape == (len(features),)
        assert np.isfinite(model.coef).all()
        assert (model.scale > 0).all()
        assert model.fitted_on["cases"] >= 100
        assert "test" not in model.fitted_on["splits"]
        assert 0.0 < model.cv["by_l2"][str(model.l2)]["accuracy"] <= 1.0
    assert set(WORLD_FEATURES) <= set(load_role_model("grounded").features)
    assert not set(WORLD_FEATURES) & set(load_role_model("text").features)


def test_a_model_file_of_another_schema_or_features_is_refused():
    one = load_role_model("text").to_dict()
    doc = {"schema_version": SCHEMA_VERSION, "models": {"text": one, "grounded": one}}
    assert read_role_models(json.loads(json.dumps(doc)))["text"].to_dict() == one
    with pytest.raises(ValueError, match="schema_version"):
        read_role_models({**doc, "schema_version": 99})
    with pytest.raises(ValueError, match="models"):
        read_role_models({**doc, "models": {"text": one}})
    with pytest.raises(ValueError, match="features"):
        RoleModel.from_dict({**one, "features": ["a"]})
    with pytest.raises(ValueError, match="finite"):
        RoleModel.from_dict({**one, "coef": [float("nan")] * len(one["coef"])})


def test_the_prior_keeps_a_feature_no_case_informs_at_its_hand_set_weight():
    """A feature constant over the cases (a wedge phrase no article uses) cannot move: its
    coefficient stays at the prior, while one the cases inform moves from it."""
    cases = [Case(np.c_[c.features, np.ones(6)], c.truth, c.group) for c in _cases(40, 4)]
    model = fit_role_model(
        cases, l2=1.0, features=("signal", "noise", "phrase"), prior={"phrase": 2.0}
    )
    assert model.coef[2] == pytest.approx(2.0 * model.scale[2])
    assert model.coef[0] > 1.0


def test_cross_validation_reports_a_baseline_and_never_scores_the_extra_cases():
    cases = [Case(c.features, c.truth, c.group, baseline=c.features[:, 0]) for c in _cases(30, 5)]
    extra = _cases(10, 6)
    cv = cross_validate(cases, l2_grid=(1.0,), folds=3, features=("signal", "noise"), extra=extra)
    assert cv["cases"] == 30
    assert cv["baseline_accuracy"] == 1.0
