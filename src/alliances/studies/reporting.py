"""The world data a scenario's report shows, gathered from the store.

The report (:mod:`alliances.report`) takes results, never a connection: the command line
builds a :class:`ReportData` here, from the store, and hands it to
:func:`alliances.report.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from alliances.scenario.model import Scenario

__all__ = ["ReportData", "report_data"]

REPORT_YEARS = range(1992, 2020)
"""The years of the report's time series of the target and the partner."""


@dataclass(frozen=True, eq=False)  # frames do not compare to a bool
class ReportData:
    """What the store adds to a scenario's report; None where it has nothing to add.

    ``series`` is the yearly profile of the target and the partner
    (:func:`alliances.studies.dyad_profile.profile_series`), ``datasets`` the store's
    provenance table (columns ``name``, ``title``, ``version``, ``citation``,
    ``sha256``).
    """

    series: pd.DataFrame | None = None
    datasets: pd.DataFrame | None = None


def report_data(
    scenario: Scenario,
    con: duckdb.DuckDBPyConnection | None,
    *,
    years: range = REPORT_YEARS,
) -> ReportData:
    """The store's part of the report of ``scenario``: the time series of its question's
    target and partner over ``years`` and the provenance of the datasets.

    Both stay None without a store, or when the target or the partner is not a state.
    """
    if con is None:
        return ReportData()
    country = {a.id: a.country for a in scenario.actors}
    question = scenario.question
    target, partner = country.get(str(question.target)), country.get(str(question.partner))
    if target is None or partner is None:
        return ReportData()
    from alliances.studies.dyad_profile import profile_series
    from alliances.world.connection import provenance

    series = profile_series(con, target.code, partner.code, years)
    datasets = provenance(con)[["name", "title", "version", "citation", "sha256"]]
    return ReportData(series=None if series.empty else series, datasets=datasets)
