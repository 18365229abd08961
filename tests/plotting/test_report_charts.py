"""The reports' charts from the API: profile, exit backtest and catalogue backtest,
each drawn by Plotly and by Matplotlib with titled axes, from small hand-made results."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from IPython.core.formatters import PNGFormatter
from matplotlib.figure import Figure

from alliances import plotting
from alliances.analysis.scoring import Scores
from alliances.errors import ParameterError
from alliances.studies.backtest import Backtest, CaseResult, ExitBacktest
from alliances.studies.backtest.exits import Period

MODELS = ["base_rate", "leeds_savun", "leeds_savun_structure"]


@pytest.fixture(scope="module")
def series():
    years = list(range(2000, 2006))
    return pd.DataFrame(
        {
            "year": years,
            "target_trade_share": np.linspace(0.001, 0.004, 6),
            "partner_trade_share": np.linspace(0.01, 0.03, 6),
            "target_arms_import_share": np.linspace(0.3, 0.7, 6),
            "partner_arms_import_share": [None] * 6,
            "un_agreement": np.linspace(0.7, 0.8, 6),
        }
    )


@pytest.fixture(scope="module")
def exits():
    calibration = {
        m: [{"predicted": p, "observed": p * (0.8 + 0.1 * k)} for p in (0.01, 0.02, 0.04)]
        for k, m in enumerate(MODELS)
    }
    roc = {m: {"fpr": [0, 0.2, 1], "tpr": [0, 0.5 + 0.1 * k, 1]} for k, m in enumerate(MODELS)}
    decades = [
        Period(
            f"{y}s", y, y + 9, 1000, 12, {m: {"auc": 0.6 + 0.05 * k} for k, m in enumerate(MODELS)}
        )
        for y in (1950, 1960)
    ]
    return ExitBacktest(
        decades=decades,
        pooled={},
        holdout={},
        calibration=calibration,
        roc=roc,
        models=MODELS,
        predictions=pd.DataFrame(),
    )


def _case(cid, outcome, p):
    return CaseResult(id=cid, outcome=outcome, reward_only=True, year=1913, p_flip=p)


@pytest.fixture(scope="module")
def backtest():
    table = pd.DataFrame(
        {
            "lower": [0.2, 0.6],
            "upper": [0.4, 0.8],
            "n": [2, 2],
            "mean_predicted": [0.3, 0.7],
            "observed_rate": [0.0, 0.75],
        }
    )
    nan = float("nan")
    scores = Scores(
        n=4,
        brier=0.2,
        log_loss=0.6,
        auc=0.75,
        base_rate_brier=0.25,
        brier_skill=0.2,
        logistic_brier=nan,
        brier_skill_vs_logistic=nan,
        rule_brier=0.2,
        brier_skill_vs_rule=0.0,
        base_rate_p=np.full(4, 0.5),
        logistic_p=np.full(4, 0.5),
        rule_p=np.full(4, 0.5),
        calibration=table,
        ci={},
    )
    cases = [
        _case("a", "failure", 0.25),
        _case("b", "failure", 0.35),
        _case("c", "success", 0.65),
        _case("d", "partial", 0.75),
    ]
    return Backtest(cases, scores, scale=1.0, samples=100, seed=0)


def _charts(series, exits, backtest, backend):
    """Every report chart of the API, by a name for the test's id."""
    drawn = {"profile": plotting.profile_chart(series, "Iran", "Russia", backend=backend)}
    for kind in plotting.EXIT_KINDS:
        drawn[f"exit-{kind}"] = plotting.exit_backtest_chart(exits, kind, backend=backend)
    for kind in plotting.BACKTEST_KINDS:
        drawn[f"backtest-{kind}"] = plotting.backtest_chart(backtest, kind, backend=backend)
    return drawn


def test_every_report_chart_draws_with_matplotlib_with_titled_axes(series, exits, backtest):
    for name, fig in _charts(series, exits, backtest, "matplotlib").items():
        assert isinstance(fig, Figure), name
        assert fig.axes, name
        for ax in fig.axes:
            if ax.get_ylabel() == "early exits":  # the decades' right axis, a twin
                continue
            assert ax.get_title() or fig.get_suptitle(), name
            assert ax.get_ylabel(), name
        assert fig.axes[-1].get_xlabel() or fig.axes[0].get_xlabel(), name


def test_every_report_chart_draws_with_plotly_with_titled_axes(series, exits, backtest):
    for name, fig in _charts(series, exits, backtest, "plotly").items():
        layout = fig.layout
        assert layout.title.text or layout.annotations, name
        x_titles = [layout[k].title.text for k in layout if k.startswith("xaxis")]
        y_titles = [layout[k].title.text for k in layout if k.startswith("yaxis")]
        assert any(x_titles), name
        assert any(y_titles), name
        assert fig.data, name


@pytest.mark.slow
def test_matplotlib_report_charts_show_as_png_in_a_notebook(series, exits, backtest):
    formatter = PNGFormatter()
    for name, fig in _charts(series, exits, backtest, "matplotlib").items():
        png = formatter(fig)
        assert isinstance(png, bytes), name
        assert png.startswith(b"\x89PNG\r\n\x1a\n"), name


def test_profile_chart_has_one_panel_per_measure_and_its_lines(series):
    fig = plotting.profile_chart(series, "Iran", "Russia", backend="matplotlib")
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "votes alike",
        "of total trade",
        "of arms imports",
    ]
    assert fig.axes[-1].get_xlabel() == "year"
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert labels == ["Russia in Iran's trade", "Iran in Russia's trade"]


def test_profile_chart_leaves_out_a_missing_column(series):
    fig = plotting.profile_chart(series.drop(columns="un_agreement"), "A", "B")
    assert "A and B" not in {t.name for t in fig.data}


def test_exit_charts_name_the_models_in_words(exits):
    fig = plotting.exit_backtest_chart(exits, "roc", backend="matplotlib")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[:3] == ["era base rate", "Leeds–Savun logit", "Leeds–Savun + wedge price"]


def test_exit_decades_chart_counts_the_events_on_a_right_axis(exits):
    fig = plotting.exit_backtest_chart(exits, "decades", backend="matplotlib")
    right = next(ax for ax in fig.axes if ax.get_ylabel() == "early exits")
    assert [p.get_height() for p in right.patches] == [12, 12]


def test_exit_decades_chart_titles_its_x_axis_and_marks_a_decade_without_auc(exits):
    empty = Period("1920s", 1920, 1929, 495, 0, {m: {"auc": float("nan")} for m in MODELS})
    with_gap = dataclasses.replace(exits, decades=[exits.decades[0], empty, exits.decades[1]])
    fig = plotting.exit_backtest_chart(with_gap, "decades")
    assert fig.layout.xaxis.title.text == "decade"
    (note,) = fig.layout.annotations
    assert (note.x, note.text) == ("1920s", "no early exit:<br>no AUC")
    static = plotting.exit_backtest_chart(with_gap, "decades", backend="matplotlib")
    assert static.axes[0].get_xlabel() == "decade"
    assert "no early exit:\nno AUC" in [t.get_text() for t in static.axes[0].texts]


def test_backtest_both_sets_calibration_and_roc_side_by_side(backtest):
    fig = plotting.backtest_chart(backtest, "both", backend="matplotlib")
    assert [ax.get_title() for ax in fig.axes] == [
        "Calibration",
        "ROC: 1 successes vs 2 failures (partials left out)",
    ]
    plotly_fig = plotting.backtest_chart(backtest, "both")
    assert {t.xaxis for t in plotly_fig.data} == {"x", "x2"}


def test_backtest_chart_without_scores_says_why(backtest):
    one = dataclasses.replace(backtest, cases=backtest.cases[:1], scores=None)
    fig = plotting.backtest_chart(one, "both", backend="matplotlib")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("no calibration table" in t for t in texts)
    assert any("no ROC curve" in t for t in texts)
    plotly_fig = plotting.backtest_chart(one, "roc")
    assert "no ROC curve" in plotly_fig.layout.annotations[0].text


def test_results_plot_through_the_same_charts(exits, backtest):
    assert isinstance(exits.plot("decades", backend="matplotlib"), Figure)
    assert isinstance(backtest.plot("roc", backend="matplotlib"), Figure)
    assert (
        exits.plot("roc").layout.title.text
        == plotting.exit_backtest_chart(exits, "roc").layout.title.text
    )


@pytest.mark.parametrize(
    ("draw", "valid"),
    [
        (lambda e, b: plotting.exit_backtest_chart(e, "histogram"), "calibration, roc, decades"),
        (lambda e, b: plotting.backtest_chart(b, "all"), "calibration, roc, both"),
    ],
)
def test_an_unknown_kind_names_the_valid_ones(exits, backtest, draw, valid):
    with pytest.raises(ParameterError, match=valid):
        draw(exits, backtest)
