"""The backtest's HTML page and figure, from small hand-made results."""

from __future__ import annotations

import copy
import re
import struct

import numpy as np
import pytest

from alliances.analysis.scoring import LABELS, roc_auc, score
from alliances.errors import ParameterError
from alliances.report.backtest import render_backtest, roc_points, write_backtest_figure

DEFINITION = "P(O* < scale x O_max) over the draws of each drafted case"


def _case(cid, outcome, p, *, reward_only=True, skipped=False, reason=None, year=1913):
    return {
        "id": cid,
        "p_flip": None if skipped else p,
        "outcome": outcome,
        "skipped": skipped,
        "reason": reason,
        "year": year,
        "reward_only": reward_only,
        "flip_price_p50": None if skipped else 2.5e9,
        "max_offer_p50": None if skipped else 1.2e10,
        "features": {} if skipped else {"allied_TP": 1.0, "trade_share_TP": None},
        "warnings": [],
    }


def _data():
    cases = [
        _case("italy-1915", "success", 0.62, year=1913),
        _case("bulgaria-1915", "failure", 0.70, reward_only=False, year=1914),
        _case("<script>alert(1)</script>", "partial", 0.40, year=1920),
        _case("japan-1941", "failure", 0.20, reward_only=False, year=1940),
        _case(
            "finland-1941",
            "success",
            None,
            skipped=True,
            reason="no trade data for <FIN, DEU> in 1940",
            year=1940,
        ),
    ]
    cases[0]["warnings"] = ["trade share of 1912 used"]
    cases[3]["flip_price_p50"] = float("inf")
    return {
        "cases": cases,
        "scores": {
            "n": 4,
            "n_skipped": 1,
            "brier": 0.2125,
            "log_loss": 0.61,
            "auc": None,
            "base_rate_brier": 0.25,
            "brier_skill": 0.15,
            "logistic_brier": None,
            "brier_skill_vs_logistic": None,
            "rule_brier": 0.19,
            "brier_skill_vs_rule": -0.1184,
            "ci": {
                "brier": [0.1, 0.3],
                "log_loss": [None, None],
                "auc": [None, None],
                "brier_skill": [0.05, 0.4],
                "brier_skill_vs_rule": [-0.40, 0.10],
            },
            "calibration": [
                {"lower": 0.2, "upper": 0.4, "n": 1, "mean_predicted": 0.2, "observed_rate": 0.0},
                {"lower": 0.4, "upper": 0.6, "n": 1, "mean_predicted": 0.4, "observed_rate": 0.5},
                {"lower": 0.6, "upper": 0.8, "n": 2, "mean_predicted": 0.66, "observed_rate": 0.5},
            ],
        },
        "scale": 1.0,
        "samples": 4000,
        "seed": 0,
        "p_flip": DEFINITION,
    }


@pytest.fixture
def data():
    return _data()  # fresh for each test, which may change it


@pytest.fixture(scope="module")
def page():
    return render_backtest(_data())


# --------------------------------------------------------------------------- ROC


def test_roc_points_on_a_hand_computed_example_with_a_tie_and_a_partial():
    # Successes 0.9, 0.8; failures 0.8 (tied with a success), 0.3; the partial is left out.
    roc = roc_points([0.9, 0.8, 0.8, 0.3, 0.6], [1, 1, 0, 0, 0.5])
    assert roc is not None
    assert roc.fpr.tolist() == [0.0, 0.0, 0.5, 1.0]
    assert roc.tpr.tolist() == [0.0, 0.5, 1.0, 1.0]
    assert roc.thresholds.tolist() == [np.inf, 0.9, 0.8, 0.3]
    assert (roc.n_success, roc.n_failure) == (2, 2)
    # Pairs: 0.9 > 0.8, 0.9 > 0.3, 0.8 = 0.8 (half), 0.8 > 0.3: 3.5 / 4.
    assert roc.auc == pytest.approx(0.875)


def test_roc_area_is_the_mann_whitney_auc_of_the_scores_and_matches_scikit_learn():
    from sklearn.metrics import roc_auc_score, roc_curve

    rng = np.random.default_rng(5)
    p = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], size=40)  # many ties
    y = rng.choice([0.0, 0.5, 1.0], size=40)
    roc = roc_points(p, y)
    assert roc is not None
    assert roc.auc == pytest.approx(roc_auc(p, y))
    hard = y != 0.5
    assert roc.auc == pytest.approx(roc_auc_score(y[hard], p[hard]))
    fpr, tpr, _ = roc_curve(y[hard], p[hard], drop_intermediate=False)
    np.testing.assert_allclose(roc.fpr, fpr)
    np.testing.assert_allclose(roc.tpr, tpr)


def test_roc_is_undefined_without_a_success_or_a_failure():
    assert roc_points([0.2, 0.8, 0.5], [1, 1, 0.5]) is None
    assert roc_points([], []) is None


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
        roc_points(p, y)


# --------------------------------------------------------------------------- page


def test_page_is_self_contained(page):
    assert 'src="http' not in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert "Plotly" in page  # the library itself is inlined, once
    assert page.count('{"displayModeBar": false') == 2  # both charts, no toolbar


def test_page_escapes_every_text(page):
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "no trade data for &lt;FIN, DEU&gt; in 1940" in page
    assert "P(O* &lt; scale x O_max)" in page


def test_page_escapes_the_title():
    page = render_backtest({"cases": [], "scores": {"n": 0, "n_skipped": 0}}, title="A <b> test")
    assert "<title>A &lt;b&gt; test — alliances</title>" in page


def test_page_states_the_scores_with_their_intervals(page):
    assert "Brier score <strong>0.212</strong> [0.100, 0.300]" in page
    assert "The model beats the base rate: skill 0.15 [0.05, 0.40]." in page
    # A bad score is stated, not hidden; a true minus sign.
    assert "The model does not beat the instrument rule: skill −0.12 [−0.40, 0.10]." in page
    assert "The skill against the logistic regression is undefined" in page
    assert (
        "Of the 3 baselines, the model beats 1 clearly (the skill's interval above 0), "
        "does not beat 1 and has an undefined skill against 1." in page.replace("&#39;", "'")
    )
    # None scores and intervals read n/a; an undefined AUC is said to be.
    assert "undefined: the AUC needs at least one success and one failure" in page
    assert "rewards succeed more often than coercion" in page


def test_page_explains_p_flip_and_the_partials(page):
    assert "P(O* &lt; scale x O_max) over the draws of each drafted case" in page
    assert "partial success 0.5" in page
    assert "they leave the partial cases\nout" in page
    assert "4,000 Monte Carlo draws (seed 0)" in page


def test_page_has_both_charts_with_titles_and_axis_titles(page):
    # Plotly writes its JSON in ASCII: "0–1" is "0\u20131" in the page.
    for text in (
        "Calibration: predicted P(flip) against what happened",
        "mean predicted P(flip) in the bin (probability, 0\\u20131)",
        "observed rate of flips (partial = 0.5; 0\\u20131)",
        "ROC curve: 1 successes against 2 failures (partials left out)",
        "false-positive rate",
        "true-positive rate",
    ):
        assert text in page


def test_page_has_every_case_with_its_numbers(page):
    for cid in ("italy-1915", "bulgaria-1915", "japan-1941", "finland-1941"):
        assert f"<td>{cid}</td>" in page
    assert "skipped: no trade data" in page
    assert "with coercion" in page
    assert "reward only" in page
    assert "partial (0.5)" in page
    assert '<td class="num">2.5</td><td class="num">12</td>' in page  # USD bn
    assert '<td class="num">∞</td>' in page
    assert "1 drafting note" in page
    assert '<td class="num">1913</td>' in page


def test_page_with_too_few_cases_says_so_and_draws_no_chart(data):
    few = copy.deepcopy(data)
    few["cases"] = [few["cases"][0], few["cases"][4]]  # one success scored: no ROC
    few["scores"] = {"n": 2, "n_skipped": 0}
    page = render_backtest(few)
    assert "Too few cases to score" in page
    assert "No chart: the calibration plot needs the scores of at least 3 cases" in page
    assert "Plotly" not in page
    assert "italy-1915" in page


def test_page_shows_a_fit_and_its_held_out_scales(data):
    fitted = copy.deepcopy(data)
    fitted["scale"] = 2.5
    fitted["fit"] = {
        "willingness_scale": 2.5,
        "held_out_scales": {"italy-1915": 2.2},
        "cv_brier": 0.2125,
        "in_sample_brier": 0.18,
        "note": "scores reported are leave-one-out",
    }
    page = render_backtest(fitted)
    assert "The willingness scale was fitted" in page
    assert "held-out scale" in page
    assert '<td class="num">2.2</td>' in page
    assert "in-sample Brier 0.180" in page


def test_page_warns_when_the_scale_comes_from_a_file(data):
    with_params = {**data, "params": {"file": "fit.json", "willingness_scale": 1.0}}
    page = render_backtest(with_params)
    assert "read from fit.json" in page
    assert "in-sample" in page


def test_page_rejects_an_unknown_outcome(data):
    data["cases"][0]["outcome"] = "won"
    with pytest.raises(ParameterError, match="italy-1915"):
        render_backtest(data)


def test_page_renders_the_scores_of_scoring_score():
    # The real keys of Scores.to_dict, so the page keeps up with the scoring module.
    p = [0.9, 0.7, 0.6, 0.2, 0.4, 0.1]
    outcomes = ["success", "success", "partial", "failure", "success", "failure"]
    reward = [True, True, False, False, True, False]
    s = score(
        p,
        [LABELS[o] for o in outcomes],
        features=[3.0, 2.0, 2.5, 0.5, 1.0, 0.0],
        reward_only=reward,
        n_boot=200,
    )
    cases = [
        _case(f"case-{i}", o, q, reward_only=r)
        for i, (q, o, r) in enumerate(zip(p, outcomes, reward, strict=True))
    ]
    data = {"cases": cases, "scores": {**s.to_dict(), "n_skipped": 0}, "p_flip": DEFINITION}
    page = render_backtest(data)
    assert f"Brier score <strong>{s.brier:.3f}</strong>" in page
    assert "ROC curve: 3 successes against 2 failures" in page
    assert "area under the curve is\n1.00, the AUC of the scores above" in page


# --------------------------------------------------------------------------- figure


def _png_size(path):
    head = path.read_bytes()[:33]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_figure_is_a_print_resolution_png(data, tmp_path):
    path = write_backtest_figure(data, tmp_path / "backtest.png")
    assert path == tmp_path / "backtest.png"
    width, height = _png_size(path)
    assert width >= 2000  # 10 in at 300 dpi
    assert height >= 1000
    assert 20_000 < path.stat().st_size < 5_000_000
    assert [p.name for p in tmp_path.iterdir()] == ["backtest.png"]  # no temporary left


def test_figure_with_too_few_cases_still_draws(data, tmp_path):
    few = {"cases": data["cases"][:1], "scores": {"n": 1, "n_skipped": 0}}
    width, _ = _png_size(write_backtest_figure(few, tmp_path / "few.png"))
    assert width >= 2000


def test_figure_rejects_an_unknown_format(data, tmp_path):
    with pytest.raises(ParameterError, match=r"\.png, \.svg or \.pdf"):
        write_backtest_figure(data, tmp_path / "figure.gif")
    assert not list(tmp_path.iterdir())
