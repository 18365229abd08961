"""The backtest's HTML page and figure, from small hand-made results."""

from __future__ import annotations

import dataclasses
import math
import re
import struct

import numpy as np
import pandas as pd
import pytest

from alliances.analysis.scoring import LABELS, Scores, score
from alliances.errors import ParameterError
from alliances.report.backtest import render_backtest, write_backtest_figure
from alliances.studies.backtest import Backtest, CaseResult

NAN = math.nan


def _case(cid, outcome, p, *, reward_only=True, skipped=False, reason=None, year=1913):
    return CaseResult(
        id=cid,
        outcome=outcome,
        reward_only=reward_only,
        year=year,
        p_flip=None if skipped else p,
        skipped=skipped,
        reason=reason,
        features={} if skipped else {"allied_TP": 1.0, "trade_share_TP": None},
        flip_price_p50=None if skipped else 2.5e9,
        max_offer_p50=None if skipped else 1.2e10,
    )


def _scores():
    calibration = pd.DataFrame(
        {
            "lower": [0.2, 0.4, 0.6],
            "upper": [0.4, 0.6, 0.8],
            "n": [1, 1, 2],
            "mean_predicted": [0.2, 0.4, 0.66],
            "observed_rate": [0.0, 0.5, 0.5],
        }
    )
    return Scores(
        n=4,
        brier=0.2125,
        log_loss=0.61,
        auc=NAN,
        base_rate_brier=0.25,
        brier_skill=0.15,
        logistic_brier=NAN,
        brier_skill_vs_logistic=NAN,
        rule_brier=0.19,
        brier_skill_vs_rule=-0.1184,
        base_rate_p=np.full(4, 0.5),
        logistic_p=np.full(4, 0.5),
        rule_p=np.full(4, 0.5),
        calibration=calibration,
        ci={
            "brier": (0.1, 0.3),
            "log_loss": (NAN, NAN),
            "auc": (NAN, NAN),
            "brier_skill": (0.05, 0.4),
            "brier_skill_vs_rule": (-0.40, 0.10),
        },
    )


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
    cases[0].warnings = ["trade share of 1912 used"]
    cases[3].flip_price_p50 = float("inf")
    return Backtest(cases, _scores(), scale=1.0, samples=4000, seed=0)


@pytest.fixture
def data():
    return _data()  # fresh for each test, which may change it


@pytest.fixture(scope="module")
def page():
    return render_backtest(_data())


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
    page = render_backtest(Backtest([], None, 1.0, 4000, 0), title="A <b> test")
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
    assert '<td class="num">2.50</td><td class="num">12.0</td>' in page  # USD bn, 3 figures
    assert '<td class="num">∞</td>' in page
    assert "1 drafting note" in page
    assert '<td class="num">1913</td>' in page


def test_page_with_too_few_cases_says_so_and_draws_no_chart(data):
    # one success scored: no ROC
    few = dataclasses.replace(data, cases=[data.cases[0], data.cases[4]], scores=None)
    page = render_backtest(few)
    assert "Too few cases to score" in page
    assert "No chart: the calibration plot needs the scores of at least 3 cases" in page
    assert "Plotly" not in page
    assert "italy-1915" in page


def test_page_shows_a_fit_and_its_held_out_scales(data):
    fit = {
        "willingness_scale": 2.5,
        "held_out_scales": {"italy-1915": 2.2},
        "cv_brier": 0.2125,
        "in_sample_brier": 0.18,
        "note": "scores reported are leave-one-out",
    }
    fitted = dataclasses.replace(data, scale=2.5, fitted=fit)
    page = render_backtest(fitted)
    assert "The willingness scale was fitted" in page
    assert "held-out scale" in page
    assert '<td class="num">2.20</td>' in page
    assert "in-sample Brier 0.180" in page


def test_page_warns_when_the_scale_comes_from_a_file(data):
    with_params = dataclasses.replace(data, params={"file": "fit.json", "willingness_scale": 1.0})
    page = render_backtest(with_params)
    assert "read from fit.json" in page
    assert "in-sample" in page


def test_page_rejects_an_unknown_outcome(data):
    data.cases[0].outcome = "won"
    with pytest.raises(ParameterError, match="italy-1915"):
        render_backtest(data)


def test_page_renders_the_scores_of_scoring_score():
    # The real Scores of scoring.score, so the page keeps up with the scoring module.
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
    data = Backtest(cases, s, scale=1.0, samples=4000, seed=0)
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


@pytest.mark.slow
def test_figure_is_a_print_resolution_png(data, tmp_path):
    path = write_backtest_figure(data, tmp_path / "backtest.png")
    assert path == tmp_path / "backtest.png"
    width, height = _png_size(path)
    assert width >= 2000  # 10 in at 300 dpi
    assert height >= 1000
    assert 20_000 < path.stat().st_size < 5_000_000
    assert [p.name for p in tmp_path.iterdir()] == ["backtest.png"]  # no temporary left


@pytest.mark.slow
def test_figure_with_too_few_cases_still_draws(data, tmp_path):
    few = dataclasses.replace(data, cases=data.cases[:1], scores=None)
    width, _ = _png_size(write_backtest_figure(few, tmp_path / "few.png"))
    assert width >= 2000


def test_figure_rejects_an_unknown_format(data, tmp_path):
    with pytest.raises(ParameterError, match=r"\.png, \.svg or \.pdf"):
        write_backtest_figure(data, tmp_path / "figure.gif")
    assert not list(tmp_path.iterdir())
