"""Plotting by backend: every chart drawn by Matplotlib as by Plotly, and the dispatch."""

import subprocess
import sys

import matplotlib
import pytest
from matplotlib.figure import Figure

from alliances import plotting
from alliances.analysis.wedge import wedge
from alliances.errors import ParameterError
from alliances.scenario import load_builtin

# kind -> (title, x-axis label, y-axis label) of the Matplotlib chart
EXPECTED = {
    "histogram": (
        "How much the divider must offer: the flip price O*",
        "flip price O*, USD bn (present value)",
        "share of draws",
    ),
    "curve": (
        "Chance the target leaves, by the size of the offer",
        "offer O, USD bn (present value)",
        "probability",
    ),
    "drivers": (
        "What drives the flip price",
        "Sobol' index of the rank of O* (0 to 1, no unit)",
        "input",
    ),
}


@pytest.fixture(scope="module")
def builtin():
    return load_builtin("russia-iran-2017")


@pytest.fixture(scope="module")
def result(builtin):
    return wedge(builtin, samples=2000, seed=5, sobol_samples=64)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_every_kind_draws_with_matplotlib(result, kind):
    fig = result.plot(kind, backend="matplotlib")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == EXPECTED[kind]
    fig.canvas.draw()  # renders without a display (Agg)


@pytest.mark.slow
def test_all_is_a_dict_of_the_three_in_either_backend(result):
    for backend in plotting.BACKENDS:
        drawn = result.plot(backend=backend)
        assert sorted(drawn) == ["curve", "drivers", "histogram"]
    assert all(isinstance(f, Figure) for f in result.plot(backend="matplotlib").values())


def test_the_two_backends_draw_the_same_chart(result):
    """Same titles and axes in both: one picture of one answer."""
    for kind in EXPECTED:
        interactive = result.plot(kind)
        static = result.plot(kind, backend="matplotlib").axes[0]
        assert interactive.layout.xaxis.title.text.split(" (0 to")[0] in static.get_xlabel()
        assert interactive.layout.yaxis.title.text == static.get_ylabel()


def test_the_matplotlib_curve_marks_the_offer(result):
    ax = result.plot("curve", backend="matplotlib").axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "structural threshold P(O* < offer)" in labels
    assert "P(divider would pay this much)" in labels
    assert any(label.startswith("offer evaluated") for label in labels)


def test_the_matplotlib_drivers_are_labelled_in_words(result):
    ax = result.plot("drivers", backend="matplotlib").axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == min(12, len(result.drivers))
    assert "yearly value to Russia of its Syrian foothold" in labels


def test_the_network_draws_with_matplotlib(builtin):
    fig = plotting.network_chart(builtin, backend="matplotlib")
    (ax,) = fig.axes
    assert ax.get_title().startswith("The system: actors, blocs")
    texts = {t.get_text() for t in ax.texts}
    assert {"Russia", "Iran", "United States"} <= texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "military bond" in legend
    assert "bloc of Iran" in legend


def test_without_the_draws_the_matplotlib_histogram_says_so(builtin):
    lean = wedge(builtin, samples=500, seed=1, sobol_samples=0, keep_draws=False)
    ax = lean.plot("histogram", backend="matplotlib").axes[0]
    assert any("not kept" in t.get_text() for t in ax.texts)
    assert not ax.patches  # no bars
    assert lean.plot("drivers", backend="matplotlib").axes[0].texts  # says why it is empty


def test_an_unknown_backend_is_refused_naming_the_valid_ones(result, builtin):
    message = "backend='bokeh' should be one of: plotly, matplotlib"
    with pytest.raises(ParameterError, match=message):
        result.plot("curve", backend="bokeh")
    with pytest.raises(ParameterError, match=message):
        plotting.plot(result, backend="bokeh")
    with pytest.raises(ParameterError, match=message):
        plotting.network_chart(builtin, backend="bokeh")


def test_an_unknown_kind_is_refused_in_either_backend(result):
    for backend in plotting.BACKENDS:
        with pytest.raises(ParameterError, match="kind='pie' should be one of: all, histogram"):
            result.plot("pie", backend=backend)


def test_figures_is_always_a_dict(result):
    assert list(plotting.figures(result, "curve")) == ["curve"]
    assert sorted(plotting.figures(result, backend="matplotlib")) == [
        "curve",
        "drivers",
        "histogram",
    ]


def test_drawing_with_matplotlib_switches_no_global_backend(result):
    before = matplotlib.get_backend()
    result.plot(backend="matplotlib")
    assert matplotlib.get_backend() == before


@pytest.mark.slow
def test_the_analysis_loads_no_plotting_library_until_a_chart_is_asked_for():
    code = (
        "import sys\n"
        "from alliances.scenario import load_builtin\n"
        "from alliances.analysis.wedge import wedge\n"
        "r = wedge(load_builtin('russia-iran-2017'), samples=200, seed=1, sobol_samples=0)\n"
        "names = ('plotly', 'matplotlib', 'matplotlib.pyplot', 'alliances.plotting')\n"
        "before = [m for m in names if m in sys.modules]\n"
        "r.plot('curve', backend='matplotlib')\n"
        "print(before, [m for m in names if m in sys.modules])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[] ['matplotlib', 'alliances.plotting']"


def test_a_notebook_shows_every_matplotlib_chart_as_an_image_without_pyplot(result, builtin):
    """IPython's display formatter (what Jupyter and nbconvert call) gives each figure as
    PNG, although nothing imported pyplot or started its inline backend."""
    from IPython.core.formatters import PNGFormatter

    formatter = PNGFormatter()
    charts = [*plotting.plot(result, backend="matplotlib").values()]
    charts.append(plotting.network_chart(builtin, backend="matplotlib"))
    for chart in charts:
        png = formatter(chart)
        assert png is not None, type(chart)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
