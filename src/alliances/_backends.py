"""The plotting backends by name, looked up when a chart is asked for (pandas' way).

A result's ``plot(kind, backend=...)`` and :func:`alliances.plotting.plot` find the module
that draws with ``backend`` here, by its name, and import it only then: the results of
:mod:`alliances.analysis` never import a plotting library, nor :mod:`alliances.plotting`
(the import-linter contracts check it). The module's path is a string in
:data:`PLOTTING_BACKENDS`, as pandas names ``pandas.plotting._matplotlib`` in
``pandas.plotting._core._get_plot_backend``: an import made at call time from a name is
not an import of the analysis layer, which stays pure.

A backend module provides ``plot(result, kind)`` (one figure, or a dict of them for
``kind="all"``), ``network_chart(scenario, *, layout=None)``,
``profile_chart(series, target, partner)``, ``exit_backtest_chart(result, kind)`` and
``backtest_chart(result, kind)``.

>>> sorted(PLOTTING_BACKENDS)
['matplotlib', 'plotly']
>>> plotting_backend("bokeh")
Traceback (most recent call last):
...
alliances.errors.ParameterError: backend='bokeh' should be one of: plotly, matplotlib
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from alliances.errors import ParameterError

__all__ = ["PLOTTING_BACKENDS", "plotting_backend"]

PLOTTING_BACKENDS: dict[str, str] = {
    "plotly": "alliances.plotting._plotly",
    "matplotlib": "alliances.plotting._matplotlib",
}
"""Each backend's name and the module that draws with it (the first is the default)."""


def plotting_backend(name: str) -> ModuleType:
    """The module that draws with the backend called ``name``, imported now.

    Raises :class:`~alliances.errors.ParameterError` naming the backends there are when
    ``name`` is none of them.
    """
    if name not in PLOTTING_BACKENDS:
        msg = f"backend={name!r} should be one of: {', '.join(PLOTTING_BACKENDS)}"
        raise ParameterError(msg)
    return import_module(PLOTTING_BACKENDS[name])
