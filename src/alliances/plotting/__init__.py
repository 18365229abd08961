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
blocs and bonds. What both backends draw from (bins, labels, the network's layout) is
here too: :func:`histogram_bins`, :func:`willingness_to_pay`, :func:`input_labels`,
:func:`network_layout`.

Examples
--------
>>> from alliances.scenario import load_builtin
>>> from alliances.analysis.wedge import wedge
>>> result = wedge(load_builtin("russia-iran-2017"), samples=500, seed=1, sobol_samples=0)
>>> sorted(plot(result))
['curve', 'drivers', 'histogram']
>>> type(plot(result, "curve", backend="matplotlib")).__name__
'Figure'
>>> plot(result, backend="bokeh")
Traceback (most recent call last):
...
alliances.errors.ParameterError: backend='bokeh' should be one of: plotly, matplotlib
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances._backends import PLOTTING_BACKENDS, plotting_backend
from alliances.plotting._common import (
    KIND_COLOURS,
    KINDS,
    NetworkLayout,
    histogram_bins,
    input_labels,
    label_side,
    network_layout,
    willingness_to_pay,
)

if TYPE_CHECKING:
    from alliances.analysis.wedge.result import WedgeResult
    from alliances.scenario.model import Scenario

__all__ = [
    "BACKENDS",
    "KINDS",
    "KIND_COLOURS",
    "NetworkLayout",
    "figures",
    "histogram_bins",
    "input_labels",
    "label_side",
    "network_chart",
    "network_layout",
    "plot",
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
