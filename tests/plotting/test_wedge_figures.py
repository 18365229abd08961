"""The charts of a wedge answer (alliances.plotting, Plotly backend) and ``WedgeResult.plot``."""

import re

import numpy as np
import pytest

from alliances import plotting as wf
from alliances.analysis.wedge import wedge
from alliances.errors import ParameterError
from alliances.scenario import load_builtin

PATH = re.compile(r"\b(bonds|question)\.[\w-]+\.[\w-]+")


@pytest.fixture(scope="module")
def builtin():
    return load_builtin("russia-iran-2017")


@pytest.fixture(scope="module")
def result(builtin):
    return wedge(builtin, samples=4000, seed=3, sobol_samples=128)


def _title(fig):
    return fig.layout.title.text or ""


def _trace(fig, starts):
    return next(t for t in fig.data if (t.name or "").startswith(starts))


def test_every_chart_has_a_title_and_axis_titles_with_units(builtin, result):
    for fig in [*result.plot().values()]:
        assert _title(fig)
        assert fig.layout.xaxis.title.text
        assert fig.layout.yaxis.title.text
    assert "USD bn" in result.plot("histogram").layout.xaxis.title.text
    assert "USD bn" in result.plot("curve").layout.xaxis.title.text
    network = wf.network_chart(builtin)
    assert _title(network)
    assert any(t.showlegend is not False and t.name for t in network.data)


def test_the_histogram_bins_by_freedman_diaconis_up_to_the_99th_centile(result):
    price = result.draws["flip_price"].to_numpy() / 1e9
    finite = price[np.isfinite(price)]
    kept = finite[finite <= np.quantile(finite, 0.99)]
    expected = np.histogram_bin_edges(kept, bins="fd")
    bars = result.plot("histogram").data[0]
    assert len(bars.x) == len(expected) - 1
    np.testing.assert_allclose(bars.x, (expected[:-1] + expected[1:]) / 2)
    # the bars are shares of all draws: what lies beyond the 99th centile is said, not drawn
    beyond = np.mean(finite > expected[-1])
    assert sum(bars.y) == pytest.approx(1 - beyond)
    assert f"{beyond:.1%} of draws above" in _title(result.plot("histogram"))


def test_the_histogram_marks_the_median_and_the_offer(result):
    fig = result.plot("histogram")
    median = _trace(fig, "median")
    offer = _trace(fig, "offer")
    assert median.x[0] == pytest.approx(result.flip_price["p50"] / 1e9)
    assert offer.x[0] == pytest.approx(result.offer["value"] / 1e9)


def test_the_curve_shows_the_willingness_to_pay_and_the_offer(result):
    fig = result.plot("curve")
    willing = _trace(fig, "P(divider would pay")
    most = result.draws["max_offer"].to_numpy()
    grid = result.p_flip["offer"].to_numpy()
    k = len(grid) // 3
    assert willing.y[k] == pytest.approx(np.mean(most >= grid[k]))
    assert np.all(np.diff(willing.y) <= 1e-12)  # a share of draws that falls with the offer
    marker = _trace(fig, "structural threshold P(O* < offer) at the offer")
    assert marker.x[0] == pytest.approx(result.offer["value"] / 1e9)
    assert marker.y[0] == pytest.approx(result.offer["p_flip"])


def test_the_drivers_are_labelled_in_words_not_paths(result):
    fig = result.plot("drivers")
    labels = list(fig.data[0].y)
    assert len(labels) == min(12, len(result.drivers))
    assert not any(PATH.search(str(label)) for label in labels)
    assert "yearly value to Russia of its Syrian foothold" in labels


def test_the_network_colours_the_blocs_of_the_landscape(builtin):
    fig = wf.network_chart(builtin)
    colour = {}
    for trace in fig.data:
        if trace.mode == "markers+text":
            for name in trace.text:
                colour[name] = trace.marker.color
    assert colour["Russia"] == colour["Iran"] == colour["Syria"]
    assert colour["United States"] != colour["Russia"]
    assert colour["Armenia"] != colour["Russia"]  # no bond: in no bloc
    legend = {t.name for t in fig.data if t.showlegend is not False and t.name}
    for kind in ("military", "economic", "political"):
        assert f"{kind} bond" in legend
    assert any("negative" in name for name in legend)
    assert any("weight" in name for name in legend)


def test_the_network_labels_do_not_overlap(builtin):
    layout = wf.network_layout(builtin)
    ids = list(layout.positions)
    width = {i: 0.012 * len(layout.labels[i]) + 0.04 for i in ids}
    for k, a in enumerate(ids):
        for b in ids[k + 1 :]:
            (xa, ya), (xb, yb) = layout.positions[a], layout.positions[b]
            apart_x = abs(xa - xb) >= (width[a] + width[b]) / 2 - 1e-9
            apart_y = abs(ya - yb) >= 0.075 - 1e-9
            assert apart_x or apart_y, (a, b)


def test_one_line_per_bond_and_membership(builtin):
    layout = wf.network_layout(builtin)
    assert len(layout.edges) == len(builtin.bonds) + len(builtin.memberships)
    pair = layout.edges[(layout.edges.source == "RUS") & (layout.edges.target == "IRN")]
    assert sorted(pair["offset"]) == [-2.0, -1.0, 0.0, 1.0, 2.0]  # five bonds side by side


def test_plot_refuses_an_unknown_kind_or_backend(result):
    with pytest.raises(ParameterError, match="kind='pie' should be one of"):
        result.plot("pie")
    with pytest.raises(ParameterError, match="backend='bokeh'"):
        result.plot(backend="bokeh")


def test_without_the_draws_the_histogram_says_so(builtin):
    lean = wedge(builtin, samples=500, seed=1, sobol_samples=0, keep_draws=False)
    fig = lean.plot("histogram")
    assert "not kept" in _title(fig)
    assert lean.plot("curve").data  # the curve needs no draws


def test_blocs_given_are_used_and_the_partners_comes_first(builtin):
    layout = wf.network_layout(builtin, blocs=(["USA", "CHN"], ["RUS", "IRN", "SYR", "BLR"]))
    assert layout.bloc["IRN"] == layout.bloc["RUS"] == 0
    assert layout.bloc["USA"] == 1
    assert layout.bloc_names == ("bloc of Iran", "bloc of United States")


def test_an_actor_without_a_bond_goes_below_and_leaves_the_network_its_height(builtin):
    from alliances.scenario import Scenario

    data = builtin.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["actors"].append({"id": "TUR", "state": "Turkey"})
    layout = wf.network_layout(Scenario.model_validate(data))
    ys = {a: y for a, (_, y) in layout.positions.items()}
    joined = [ys[a] for a in ys if a != "TUR"]
    assert max(joined) - min(joined) > 0.6  # not squeezed into a line
    assert ys["TUR"] < min(joined)


def test_the_curve_is_named_the_structural_threshold(result):
    fig = result.plot("curve")
    assert _trace(fig, "structural threshold P(O* < offer)").y[-1] == pytest.approx(
        result.p_flip["p"].iloc[-1]
    )
    assert "structural threshold" in _title(fig)
    notes = [a.text for a in fig.layout.annotations]
    assert f"threshold {result.offer['p_flip']:.3f}" in notes
    assert not any((t.name or "").startswith("calibrated") for t in fig.data)  # none here


def test_the_curve_marks_the_calibrated_p_flip_with_its_interval(result):
    import dataclasses

    from alliances.studies.backtest.calibration import calibrated_p_flip

    calibrated = calibrated_p_flip(result)
    fig = dataclasses.replace(result, calibrated=calibrated).plot("curve")
    point = _trace(fig, "calibrated P(flip)")
    p, (low, high) = calibrated["p_flip"], calibrated["interval"]
    assert point.x[0] == pytest.approx(result.offer["value"] / 1e9)
    assert point.y[0] == pytest.approx(p)
    assert point.error_y.array[0] == pytest.approx(high - p)
    assert point.error_y.arrayminus[0] == pytest.approx(p - low)
    assert point.name == f"calibrated P(flip), {p:.2f} (90%: {low:.2f}–{high:.2f})"
    assert f"calibrated {p:.2f}" in [a.text for a in fig.layout.annotations]
    static = dataclasses.replace(result, calibrated=calibrated).plot("curve", backend="matplotlib")
    assert point.name in [t.get_text() for t in static.axes[0].get_legend().get_texts()]
