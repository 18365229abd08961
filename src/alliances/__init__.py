"""alliances: model alliance systems and price wedge strategies, with uncertainty.

The public surface is listed in ``__all__``; everything else is internal.
"""

from importlib.metadata import version as _version

from alliances.analysis.wedge import WedgeResult, wedge
from alliances.countries import Country, resolve
from alliances.errors import AlliancesError, ScenarioError, UnknownCountryError
from alliances.scenario import Scenario, load, load_builtin

__version__ = _version("alliances")

__all__ = [
    "AlliancesError",
    "Country",
    "Scenario",
    "ScenarioError",
    "UnknownCountryError",
    "WedgeResult",
    "__version__",
    "load",
    "load_builtin",
    "resolve",
    "wedge",
]
