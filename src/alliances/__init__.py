"""alliances: model alliance systems and price wedge strategies, with uncertainty.

The public surface is listed in ``__all__``; everything else is internal. The names are
imported on first use (PEP 562), so that ``import alliances`` and the command line's
``--help`` and ``--version`` load no numerical library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliances._lazy import lazy

__version__ = "0.3.0"  # the one place of the version (pyproject reads it from here)

# public name -> the module that defines it
_LAZY = {
    "AlliancesError": "alliances.errors",
    "ScenarioError": "alliances.errors",
    "UnknownCountryError": "alliances.errors",
    "Country": "alliances.countries",
    "resolve": "alliances.countries",
    "Scenario": "alliances.scenario",
    "load": "alliances.scenario",
    "load_builtin": "alliances.scenario",
    "WedgeResult": "alliances.analysis.wedge",
    "Draft": "alliances.studies.drafting",
    "draft": "alliances.studies.drafting",
    "wedge": "alliances.studies.pricing",
}

__all__ = [
    "AlliancesError",
    "Country",
    "Draft",
    "Scenario",
    "ScenarioError",
    "UnknownCountryError",
    "WedgeResult",
    "__version__",
    "draft",
    "load",
    "load_builtin",
    "resolve",
    "wedge",
]

if TYPE_CHECKING:
    from alliances.analysis.wedge import WedgeResult
    from alliances.countries import Country, resolve
    from alliances.errors import AlliancesError, ScenarioError, UnknownCountryError
    from alliances.scenario import Scenario, load, load_builtin
    from alliances.studies.drafting import Draft, draft
    from alliances.studies.pricing import wedge


__getattr__, __dir__ = lazy("alliances", _LAZY, globals(), __all__)
