"""Charts of results, by backend: Plotly (interactive, the default) or Matplotlib (static).

The layer between the studies and the outputs: it takes result objects and scenarios and
returns figures; it reads no file and writes none (the report saves what it draws). The
report, the workbench and ``WedgeResult.plot()`` all draw through it, so they show one
picture of one answer.

Plotting goes by backend as in pandas: ``result.plot(kind, backend="matplotlib")`` or
:func:`plot` look the backend up by its name when a chart is asked for
(:data:`alliances._backends.PLOTTING_BACKENDS`) and import its module only then, so the
analysis layer never imports a plotting library, nor this package:

==============  =====================================================================
``plotly``      :mod:`alliances.plotting._plotly`: ``plotly.graph_objects.Figure``
``matplotlib``  :mod:`alliances.plotting._matplotlib`: ``matplotlib.figure.Figure``
                (no pyplot; a notebook exported to HTML keeps it as an image)
==============  =====================================================================

The kinds of chart of a wedge answer are ``histogram`` (the flip price O*), ``curve``
(P(flip | offer) and the divider's willingness to pay) and ``drivers`` (Sobol' indices);
``"all"`` gives the three in a dict. :func:`network_chart` draws a scenario's actors,
blocs and bonds; :func:`profile_chart` a pair of states over the years
(:func:`~alliances.studies.dyad_profile.profile_series`); :func:`exit_backtest_chart` the
exit forecast's backtest (:data:`EXIT_KINDS`: calibration, ROC, AUC by decade) and
:func:`backtest_chart` the catalogue's backtest (:data:`BACKTEST_KINDS`: calibration,
ROC, or both side by side). Every chart of the reports is one of these, in either
backend. What both backends draw from (bins, labels, the network's layout, the
backtest's points) is here too: :func:`histogram_bins`, :func:`willingness_to_pay`,
:func:`input_labels`, :func:`network_layout`, :func:`backtest_points`.

Examples
--------
>>> from alliances.scenario import load_builtin
>>> from alliances.analysis.wedge import wedge
>>> result = wedge(load_builtin("russia-iran-2017"), samples=500, seed=1, sobol_samples=0)
>>> sorted(plot(result))
['curve', 'drivers', 'histogram']
>>> from matplotlib.figure import Figure
>>> isinstance(plot(result, "curve", backend="matplotlib"), Figure)
True
>>> plot(result, backend="bokeh")
Traceback (most recent call last):
...
alliances.errors.ParameterError: backend='bokeh' should be one of: plotly, matplotlib
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances._backends import PLOTTING_BACKENDS, plotting_backend
from alliances.plotting._common import (
    BACKTEST_KINDS,
    CASES,
    EXIT_KINDS,
    GUIDE,
    KIND_COLOURS,
    KINDS,
    MODEL,
    BacktestPoints,
    NetworkLayout,
    backtest_points,
    exit_model_name,
    finite_or_none,
    histogram_bins,
    input_labels,
    label_side,
    marker_sizes,
    network_layout,
    number_text,
    willingness_to_pay,
)

if TYPE_CHECKING:
    import pandas as pd

    from alliances.analysis.wedge.result import WedgeResult
    from alliances.scenario.model import Scenario
    from alliances.studies.backtest import Backtest, ExitBacktest

__all__ = [
    "BACKENDS",
    "BACKTEST_KINDS",
    "CASES",
    "EXIT_KINDS",
    "GUIDE",
    "KINDS",
    "KIND_COLOURS",
    "MODEL",
    "BacktestPoints",
    "NetworkLayout",
    "backtest_chart",
    "backtest_points",
    "exit_backtest_chart",
    "exit_model_name",
    "figures",
    "finite_or_none",
    "histogram_bins",
    "input_labels",
    "label_side",
    "marker_sizes",
    "network_chart",
    "network_layout",
    "number_text",
    "plot",
    "profile_chart",
    "willingness_to_pay",
]

BACKENDS: tuple[str, ...] = tuple(PLOTTING_BACKENDS)
"""The names of the backends, the default first."""


def plot(result: WedgeResult, kind: str = "all", backend: str = "plotly") -> Any:
    """The chart ``kind`` of a wedge ``result`` drawn with ``backend``.

    ``kind`` is one of :data:`KINDS`: ``"histogram"``, ``"curve"`` or ``"drivers"`` give
    one figure, ``"all"`` a dict of the three by name. ``backend`` is one of
    :data:`BACKENDS`. An unknown backend or kind is a
    :class:`~alliances.errors.ParameterError` that names the valid ones.
    """
    return plotting_backend(backend).plot(result, kind)


def figures(result: WedgeResult, kind: str = "all", backend: str = "plotly") -> dict[str, Any]:
    """The charts of ``result`` by name, always a dict (one entry unless ``kind="all"``)."""
    drawn = plot(result, kind, backend)
    return drawn if kind == "all" else {kind: drawn}


def network_chart(
    scenario: Scenario, *, layout: NetworkLayout | None = None, backend: str = "plotly"
) -> Any:
    """Actors, blocs and bonds of ``scenario`` drawn with ``backend``.

    States are coloured by their bloc in the landscape's least-energy partition, one line
    per bond (colour: kind, dashes: negative, width: weight); ``layout`` is a
    :func:`network_layout` already made (with the blocs the caller has), or None.
    """
    return plotting_backend(backend).network_chart(scenario, layout=layout)


def profile_chart(
    series: pd.DataFrame, target: str, partner: str, *, backend: str = "plotly"
) -> Any:
    """A pair of states over the years, three panels with their own axes, drawn with ``backend``.

    ``series`` is the table of :func:`~alliances.studies.dyad_profile.profile_series`
    (``year`` and the shares; a column it lacks is left out): UN agreement, each side's
    share of the other in its trade, and in its arms imports. ``target`` and ``partner``
    are the two states' names, as the legends say them.
    """
    return plotting_backend(backend).profile_chart(series, target, partner)


def exit_backtest_chart(
    result: ExitBacktest, kind: str = "calibration", *, backend: str = "plotly"
) -> Any:
    """The chart ``kind`` of an exit backtest (:func:`~alliances.studies.backtest.backtest_exits`).

    ``kind`` is one of :data:`EXIT_KINDS`: ``"calibration"`` (observed against predicted
    yearly risk by decile, one line per model), ``"roc"`` (the pooled rolling-origin ROC
    curves) or ``"decades"`` (AUC by decade, early exits on the right axis). An unknown
    kind or backend is a :class:`~alliances.errors.ParameterError` naming the valid ones.
    """
    return plotting_backend(backend).exit_backtest_chart(result, kind)


def backtest_chart(result: Backtest, kind: str = "calibration", *, backend: str = "plotly") -> Any:
    """The chart ``kind`` of a catalogue backtest (:func:`~alliances.studies.backtest.backtest`).

    ``kind`` is one of :data:`BACKTEST_KINDS`: ``"calibration"`` (each case's P(flip)
    and outcome, and the bins of the scores' calibration table sized by their cases),
    ``"roc"`` (the ROC curve of the scored cases, partials left out) or ``"both"`` (the
    two side by side, the figure for papers). A chart with nothing to draw says why.
    """
    return plotting_backend(backend).backtest_chart(result, kind)
