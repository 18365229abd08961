"""Scores of predicted flip probabilities, the leave-one-out baselines, the bootstrap."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from scipy.optimize import minimize

from alliances.analysis._checks import AlliancesWarning
from alliances.analysis.scoring import (
    LABELS,
    SCORE_NAMES,
    base_rate_baseline,
    brier_score,
    brier_skill,
    calibration_table,
    expand_partials,
    log_loss,
    logistic_baseline,
    roc_auc,
    roc_curve,
    rule_baseline,
    score,
)
from alliances.errors import ParameterError

# A small backtest: 8 attempts, two features, both instruments, one partial of each kind.
P = np.array([0.9, 0.7, 0.6, 0.2, 0.4, 0.1, 0.8, 0.3])
Y = np.array([1.0, 1.0, 0.5, 0.0, 1.0, 0.0, 0.5, 0.0])
X = np.array([[3.0, 1.0], [2.0, 0.0], [2.5, 1.0], [0.5, 0.0], [1.0, 1.0], [0.0, 0.0],
              [2.0, 1.0], [1.5, 0.0]])  # fmt: skip
REWARD = np.array([True, True, False, False, True, False, True, False])


# --------------------------------------------------------------------------- scores


def test_outcomes_map_to_soft_labels():
    assert dict(LABELS) == {"success": 1.0, "partial": 0.5, "failure": 0.0}


def test_brier_score_scores_a_partial_against_one_half():
    # (0.8 - 1)^2 + (0.3 - 0)^2 + (0.5 - 0.5)^2 = 0.04 + 0.09 + 0
    assert brier_score([0.8, 0.3, 0.5], [1, 0, 0.5]) == pytest.approx((0.04 + 0.09 + 0) / 3)


def test_brier_score_of_a_partial_is_the_mean_of_success_and_failure_minus_a_quarter():
    # (p - 1/2)^2 = ((p - 1)^2 + p^2) / 2 - 1/4: the soft label is not the two-row average.
    assert brier_score([0.2, 0.2], [0.5, 0.5]) == pytest.approx(0.09)


def test_log_loss_matches_hand_computation_with_a_partial():
    # -(log 0.8 + log 0.7 + (0.5 log 0.5 + 0.5 log 0.5)) / 3
    expected = -(math.log(0.8) + math.log(0.7) + math.log(0.5)) / 3
    assert log_loss([0.8, 0.3, 0.5], [1, 0, 0.5]) == pytest.approx(expected, rel=1e-12)


def test_log_loss_clips_predictions_so_a_confident_miss_is_finite():
    assert log_loss([1.0, 0.0], [0, 1]) == pytest.approx(-math.log(1e-15), rel=1e-9)
    assert log_loss([1.0, 0.0], [0, 1], eps=1e-3) == pytest.approx(-math.log(1e-3), rel=1e-9)
    assert log_loss([1.0, 0.0], [1, 0]) == pytest.approx(0.0, abs=1e-14)


def test_roc_auc_counts_ties_as_half_a_pair():
    # Successes 0.9, 0.4; failures 0.4, 0.1: pairs 1 + 1 + 0.5 + 1 = 3.5 of 4.
    assert roc_auc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0]) == 0.875


def test_roc_auc_of_a_reversed_ranking_is_zero_and_all_ties_one_half():
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]) == 0.0
    assert roc_auc([0.5, 0.5, 0.5], [1, 0, 0]) == 0.5


def test_roc_auc_leaves_partial_cases_out():
    with_partials = roc_auc([0.9, 0.4, 0.4, 0.1, 0.05, 0.99], [1, 1, 0, 0, 0.5, 0.5])
    assert with_partials == roc_auc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0]) == 0.875


def test_roc_auc_agrees_with_scikit_learn_on_cases_without_partials():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(3)
    p = rng.choice([0.1, 0.3, 0.5, 0.7], size=30)  # many ties
    y = rng.integers(0, 2, size=30).astype(float)
    assert roc_auc(p, y) == pytest.approx(roc_auc_score(y, p), rel=1e-12)


def test_roc_auc_is_nan_when_one_class_remains():
    assert math.isnan(roc_auc([0.9, 0.4, 0.6], [1, 1, 0.5]))
    assert math.isnan(roc_auc([0.9, 0.4], [0.5, 0.5]))


def test_calibration_table_bins_by_hand_and_omits_empty_bins():
    table = calibration_table([0.05, 0.1, 0.6, 0.65, 1.0], [0, 0.5, 1, 0, 1], bins=5)
    assert list(table.columns) == ["lower", "upper", "n", "mean_predicted", "observed_rate"]
    # [0, 0.2): 0.05, 0.1; [0.2, 0.6) empty; [0.6, 0.8): 0.6, 0.65; [0.8, 1]: 1.0
    assert table["lower"].tolist() == pytest.approx([0.0, 0.6, 0.8])
    assert table["upper"].tolist() == pytest.approx([0.2, 0.8, 1.0])
    assert table["n"].tolist() == [2, 2, 1]
    assert table["mean_predicted"].tolist() == pytest.approx([0.075, 0.625, 1.0])
    assert table["observed_rate"].tolist() == pytest.approx([0.25, 0.5, 1.0])


def test_calibration_table_with_one_bin_is_the_overall_means():
    table = calibration_table([0.2, 0.4, 0.9], [0, 0.5, 1], bins=1)
    assert table["n"].tolist() == [3]
    assert table["mean_predicted"].iloc[0] == pytest.approx(0.5)
    assert table["observed_rate"].iloc[0] == pytest.approx(0.5)


def test_brier_skill_is_one_minus_the_ratio_and_nan_against_a_perfect_reference():
    assert brier_skill(0.15, 0.25) == pytest.approx(0.4)
    assert brier_skill(0.25, 0.25) == 0.0
    assert math.isnan(brier_skill(0.1, 0.0))


# --------------------------------------------------------------------------- expansion


def test_expand_partials_turns_a_partial_into_a_success_and_a_failure_of_half_weight():
    x, labels, w = expand_partials([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]], [1, 0.5, 0])
    assert x.tolist() == [[1.0, 10.0], [3.0, 30.0], [2.0, 20.0], [2.0, 20.0]]
    assert labels.tolist() == [1.0, 0.0, 1.0, 0.0]
    assert w.tolist() == [1.0, 1.0, 0.5, 0.5]


def test_expand_partials_halves_given_weights_and_keeps_the_mean_soft_label():
    _, labels, w = expand_partials(np.empty((3, 0)), [0.5, 1, 0.5], weights=[2.0, 1.0, 4.0])
    assert w.tolist() == [1.0, 1.0, 2.0, 1.0, 2.0]
    assert np.average(labels, weights=w) == pytest.approx((2 * 0.5 + 1 + 4 * 0.5) / 7)


def _soft_logistic_prediction(x_train, y_train, x_test, c=1.0):
    """Minimise the soft-label penalised cross-entropy directly (no expansion, no sklearn)."""
    mean, sd = x_train.mean(axis=0), x_train.std(axis=0)
    z, zt = (x_train - mean) / sd, (x_test - mean) / sd

    def objective(theta):
        eta = theta[0] + z @ theta[1:]
        # y log q + (1 - y) log(1 - q) with q = sigmoid(eta), stably
        loglik = y_train * eta - np.logaddexp(0.0, eta)
        return -loglik.sum() + theta[1:] @ theta[1:] / (2 * c)

    theta = minimize(objective, np.zeros(1 + z.shape[1]), method="BFGS", tol=1e-12).x
    return 1.0 / (1.0 + math.exp(-(theta[0] + zt @ theta[1:])))


def test_logistic_fit_of_a_partial_equals_half_a_success_plus_half_a_failure():
    # The fold that predicts case 0 holds two partials: the expanded sklearn fit must
    # match the minimiser of the soft-label likelihood, where a partial is y = 0.5.
    q = logistic_baseline(X, Y)
    keep = np.arange(len(Y)) != 0
    expected = _soft_logistic_prediction(X[keep], Y[keep], X[0])
    assert q[0] == pytest.approx(expected, abs=1e-5)


def test_logistic_penalty_follows_c():
    keep = np.arange(len(Y)) != 5
    q = logistic_baseline(X, Y, C=0.1)
    assert q[5] == pytest.approx(
        _soft_logistic_prediction(X[keep], Y[keep], X[5], c=0.1), abs=1e-5
    )


# --------------------------------------------------------------------------- baselines


def test_base_rate_baseline_is_the_mean_label_of_the_others():
    q = base_rate_baseline([1, 0, 0.5, 1])
    assert q.tolist() == pytest.approx([1.5 / 3, 2.5 / 3, 2 / 3, 1.5 / 3])


@pytest.mark.slow
@pytest.mark.parametrize("baseline", ["base_rate", "logistic", "rule"])
def test_leave_one_out_never_uses_the_case_itself(baseline):
    predict = {
        "base_rate": lambda y: base_rate_baseline(y),
        "logistic": lambda y: logistic_baseline(X, y),
        "rule": lambda y: rule_baseline(y, REWARD),
    }[baseline]
    before = predict(Y)
    for i in range(len(Y)):
        for label in (0.0, 0.5, 1.0):
            changed = Y.copy()
            changed[i] = label
            after = predict(changed)
            assert after[i] == pytest.approx(before[i], abs=1e-9), (i, label)


def test_logistic_baseline_follows_a_feature_that_separates_the_outcomes():
    q = logistic_baseline([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [0, 0, 0.5, 0, 1, 1])
    assert q[0] < 0.5 < q[5]


def test_logistic_baseline_standardises_features_so_their_scale_does_not_matter():
    scaled = X * np.array([1000.0, 0.01]) + np.array([5.0, -3.0])
    assert logistic_baseline(scaled, Y) == pytest.approx(logistic_baseline(X, Y), abs=1e-6)


def test_logistic_baseline_falls_back_to_the_base_rate_when_the_others_share_one_outcome():
    with pytest.warns(AlliancesWarning, match=r"other cases of case 3 all have the same outcome"):
        q = logistic_baseline([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 0])
    assert q[3] == 1.0


def test_rule_baseline_on_a_hand_example():
    # Rewards: success, success, partial; coercion: failure, success.
    q = rule_baseline([1, 1, 0.5, 0, 1], [True, True, True, False, False])
    # case 0: (1 + 0.5) / 2; case 2: (1 + 1) / 2; case 3: the other coercion, 1; case 4: 0
    assert q.tolist() == [0.75, 0.75, 1.0, 1.0, 0.0]


def test_rule_baseline_accepts_zero_and_one_for_the_instrument():
    assert rule_baseline([1, 0, 1, 0], [1, 1, 0, 0]).tolist() == [0.0, 1.0, 0.0, 1.0]


def test_rule_baseline_falls_back_to_the_base_rate_when_a_case_is_alone_in_its_group():
    with pytest.warns(AlliancesWarning, match=r"case 0 has no other reward-only attempt"):
        q = rule_baseline([1, 0, 1, 0.5], [True, False, False, False])
    assert q[0] == pytest.approx((0 + 1 + 0.5) / 3)
    assert q[1:].tolist() == [0.75, 0.25, 0.5]


# --------------------------------------------------------------------------- score


def test_score_puts_the_functions_and_baselines_together():
    s = score(P, Y, features=X, reward_only=REWARD, n_boot=50)
    assert s.n == 8
    assert s.brier == pytest.approx(brier_score(P, Y))
    assert s.log_loss == pytest.approx(log_loss(P, Y))
    assert s.auc == roc_auc(P, Y)
    np.testing.assert_allclose(s.base_rate_p, base_rate_baseline(Y))
    np.testing.assert_allclose(s.logistic_p, logistic_baseline(X, Y))
    np.testing.assert_allclose(s.rule_p, rule_baseline(Y, REWARD))
    assert s.base_rate_brier == pytest.approx(brier_score(s.base_rate_p, Y))
    assert s.brier_skill == pytest.approx(1 - s.brier / s.base_rate_brier)
    assert s.brier_skill_vs_logistic == pytest.approx(1 - s.brier / s.logistic_brier)
    assert s.brier_skill_vs_rule == pytest.approx(1 - s.brier / s.rule_brier)
    assert s.calibration.equals(calibration_table(P, Y))
    assert set(s.ci) == set(SCORE_NAMES)
    assert s.warnings == ()


def test_score_bootstrap_is_reproducible_with_a_seed():
    first = score(P, Y, features=X, reward_only=REWARD, n_boot=200, seed=7)
    again = score(P, Y, features=X, reward_only=REWARD, n_boot=200, seed=7)
    other = score(P, Y, features=X, reward_only=REWARD, n_boot=200, seed=8)
    assert first.ci == again.ci
    assert first.ci != other.ci


def test_score_bootstrap_recomputes_each_score_on_resampled_cases_skipping_undefined_ones():
    n_boot, seed = 100, 5
    s = score(P, Y, features=X, reward_only=REWARD, n_boot=n_boot, seed=seed, level=0.8)
    idx = np.random.default_rng(seed).integers(0, len(Y), size=(n_boot, len(Y)))
    brier = [brier_score(P[i], Y[i]) for i in idx]
    rule = [brier_score(s.rule_p[i], Y[i]) for i in idx]
    auc = [a for a in (roc_auc(P[i], Y[i]) for i in idx) if not math.isnan(a)]
    assert len(auc) < n_boot  # some resamples have one class: they are skipped
    assert s.ci["brier"] == pytest.approx(tuple(np.quantile(brier, [0.1, 0.9])))
    assert s.ci["rule_brier"] == pytest.approx(tuple(np.quantile(rule, [0.1, 0.9])))
    assert s.ci["auc"] == pytest.approx(tuple(np.quantile(auc, [0.1, 0.9])))


def test_score_intervals_contain_the_point_estimates_in_a_simple_case():
    s = score(P, Y, features=X, reward_only=REWARD, n_boot=500)
    for name in ("brier", "log_loss", "base_rate_brier", "logistic_brier", "rule_brier"):
        low, high = s.ci[name]
        assert low <= getattr(s, name) <= high, name


def test_score_with_no_resamples_has_undefined_intervals():
    s = score(P, Y, features=X, reward_only=REWARD, n_boot=0)
    assert all(math.isnan(low) and math.isnan(high) for low, high in s.ci.values())
    assert s.to_dict()["ci"]["brier"] == [None, None]


def test_to_dict_has_exactly_the_documented_keys_and_is_strict_json():
    d = score(P, Y, features=X, reward_only=REWARD, n_boot=20).to_dict()
    assert set(d) == {"n", *SCORE_NAMES, "ci", "calibration"}
    assert set(d["ci"]) == set(SCORE_NAMES)
    assert d["calibration"][0] == {
        "lower": 0.0, "upper": 0.2, "n": 1, "mean_predicted": 0.1, "observed_rate": 0.0
    }  # fmt: skip
    json.dumps(d, allow_nan=False)


def test_undefined_auc_becomes_none_in_json():
    # No failure at all: the AUC (and its interval) is undefined.
    s = score([0.9, 0.7, 0.6, 0.8], [1, 0.5, 1, 0.5], features=[1.0, 2.0, 3.0, 4.0],
              reward_only=[True, False, True, False], n_boot=20)  # fmt: skip
    assert math.isnan(s.auc)
    d = s.to_dict()
    assert d["auc"] is None
    assert d["ci"]["auc"] == [None, None]
    json.dumps(d, allow_nan=False)


def test_score_passes_on_baseline_fallbacks_as_warnings_and_keeps_them():
    with pytest.warns(AlliancesWarning, match="no other coercive attempt"):
        s = score(P[:4], Y[:4], features=X[:4], reward_only=[True, True, True, False],
                  n_boot=10)  # fmt: skip
    assert len(s.warnings) == 1
    assert "rule baseline: case 3 has no other coercive attempt" in s.warnings[0]


def test_scores_are_frozen():
    s = score(P, Y, features=X, reward_only=REWARD, n_boot=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.brier = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        s.rule_p[0] = 0.0


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("p", "y", "match"),
    [
        ([0.1, 0.2, 0.3, 1.2], [0, 1, 0, 1], r"p\[3\]=1\.2 should be in \[0, 1\]"),
        ([0.1, -0.5], [0, 1], r"p\[1\]=-0\.5 should be in \[0, 1\]"),
        ([0.1, float("nan")], [0, 1], r"p\[1\]=nan should be in \[0, 1\]"),
        ([0.1, float("inf")], [0, 1], r"p\[1\]=inf should be in \[0, 1\]"),
        ([0.1, 0.2, 0.3], [0, 0.3, 1], r"y\[1\]=0\.3 should be 0, 0\.5 or 1"),
        ([0.1, 0.2], [0, 2], r"y\[1\]=2\.0 should be 0, 0\.5 or 1"),
        ([0.1, 0.2, 0.3], [0, 1], r"len\(y\)=2 should equal len\(p\)=3"),
        ([0.1], [1], r"len\(p\)=1 should be >= 2"),
        ([[0.1, 0.2]], [[0, 1]], r"p\.shape=\(1, 2\) should be one-dimensional"),
        (["a", "b"], [0, 1], r"p should be an array of numbers"),
    ],
)
def test_invalid_predictions_and_outcomes_raise_parameter_error(p, y, match):
    for func in (brier_score, log_loss, roc_auc, calibration_table):
        with pytest.raises(ParameterError, match=match):
            func(p, y)


def test_parameter_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"p\[0\]=2\.0"):
        brier_score([2.0, 0.5], [1, 0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_boot": -1}, r"n_boot=-1 should be an integer >= 0"),
        ({"n_boot": 2.5}, r"n_boot=2\.5 should be an integer >= 0"),
        ({"level": 1.0}, r"level=1\.0 should be in \(0, 1\)"),
        ({"level": 0}, r"level=0 should be in \(0, 1\)"),
        ({"bins": 0}, r"bins=0 should be an integer >= 1"),
        ({"C": 0.0}, r"C=0\.0 should be a finite number > 0"),
        ({"features": np.ones((7, 2))}, r"features\.shape=\(7, 2\) should be \(8, k\)"),
        (
            {"features": np.ones((8, 0))},
            r"features\.shape=\(8, 0\) should be \(8, k\) with k >= 1",
        ),
        ({"features": np.full((8, 1), np.nan)}, r"features\[0, 0\]=nan should be a finite"),
        ({"reward_only": [True] * 7}, r"len\(reward_only\)=7 should equal len\(y\)=8"),
        ({"reward_only": [1, 2, 0, 0, 1, 0, 1, 0]}, r"reward_only\[1\]=2 should be True or False"),
    ],
)
def test_invalid_score_parameters_raise_parameter_error(kwargs, match):
    arguments = {"features": X, "reward_only": REWARD, "n_boot": 10, **kwargs}
    with pytest.raises(ParameterError, match=match):
        score(P, Y, **arguments)


def test_leave_one_out_baselines_need_three_cases():
    with pytest.raises(ParameterError, match=r"len\(y\)=2 should be >= 3"):
        base_rate_baseline([1, 0])
    with pytest.raises(ParameterError, match=r"len\(y\)=2 should be >= 3"):
        rule_baseline([1, 0], [True, False])
    with pytest.raises(ParameterError, match=r"len\(p\)=2 should be >= 3"):
        score([0.5, 0.5], [1, 0], features=[1.0, 2.0], reward_only=[True, False])


def test_invalid_skill_and_clipping_arguments_raise_parameter_error():
    with pytest.raises(ParameterError, match=r"reference=-0\.1 should be a finite number >= 0"):
        brier_skill(0.1, -0.1)
    with pytest.raises(ParameterError, match=r"brier=nan should be a finite number >= 0"):
        brier_skill(float("nan"), 0.2)
    with pytest.raises(ParameterError, match=r"eps=0\.0 should be in \(0, 0\.5\)"):
        log_loss([0.5, 0.5], [1, 0], eps=0.0)


def test_invalid_weights_raise_parameter_error():
    with pytest.raises(ParameterError, match=r"weights\[1\]=-1\.0 should be a finite number >= 0"):
        expand_partials(np.empty((2, 0)), [1, 0], weights=[1.0, -1.0])


# --------------------------------------------------------------------------- ROC curve


def test_roc_points_on_a_hand_computed_example_with_a_tie_and_a_partial():
    # Successes 0.9, 0.8; failures 0.8 (tied with a success), 0.3; the partial is left out.
    roc = roc_curve([0.9, 0.8, 0.8, 0.3, 0.6], [1, 1, 0, 0, 0.5])
    assert roc is not None
    assert roc.fpr.tolist() == [0.0, 0.0, 0.5, 1.0]
    assert roc.tpr.tolist() == [0.0, 0.5, 1.0, 1.0]
    assert roc.thresholds.tolist() == [np.inf, 0.9, 0.8, 0.3]
    assert (roc.n_success, roc.n_failure) == (2, 2)
    # Pairs: 0.9 > 0.8, 0.9 > 0.3, 0.8 = 0.8 (half), 0.8 > 0.3: 3.5 / 4.
    assert roc.auc == pytest.approx(0.875)


def test_roc_area_is_the_mann_whitney_auc_of_the_scores_and_matches_scikit_learn():
    from sklearn.metrics import roc_auc_score
    from sklearn.metrics import roc_curve as sklearn_roc_curve

    rng = np.random.default_rng(5)
    p = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], size=40)  # many ties
    y = rng.choice([0.0, 0.5, 1.0], size=40)
    roc = roc_curve(p, y)
    assert roc is not None
    assert roc.auc == pytest.approx(roc_auc(p, y))
    hard = y != 0.5
    assert roc.auc == pytest.approx(roc_auc_score(y[hard], p[hard]))
    fpr, tpr, _ = sklearn_roc_curve(y[hard], p[hard], drop_intermediate=False)
    np.testing.assert_allclose(roc.fpr, fpr)
    np.testing.assert_allclose(roc.tpr, tpr)


def test_roc_is_undefined_without_a_success_or_a_failure():
    assert roc_curve([0.2, 0.8, 0.5], [1, 1, 0.5]) is None
    assert roc_curve([], []) is None


@pytest.mark.parametrize(
    ("p", "y", "match"),
    [
        ([0.2, 1.5], [0, 1], r"p\[1\]=1.5"),
        ([0.2, 0.5], [0, 0.7], r"y\[1\]=0.7"),
        ([0.1], [0, 1], "should be equal"),
    ],
)
def test_roc_rejects_bad_input(p, y, match):
    with pytest.raises(ParameterError, match=match):
        roc_curve(p, y)
