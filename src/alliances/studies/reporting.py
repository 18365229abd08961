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

__all__ = ["SERIES_DATASETS", "ReportData", "report_data", "used_datasets"]

REPORT_YEARS = range(1992, 2020)
"""The years of the report's time series of the target and the partner."""

SERIES_DATASETS = (
    "cow_ddy",
    "cow_trade_ndy",
    "cow_trade_sy",
    "sipri_tiv",
    "un_votes",
    "un_roll_calls",
)
"""The store's tables the report's time series draws on: the COW dyad-years, COW trade
(dyadic and national totals), SIPRI arms transfers and the UN General Assembly votes."""


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
    every = provenance(con)[["name", "title", "version", "citation", "sha256"]]
    used = used_datasets(scenario, with_series=not series.empty)
    datasets = every[every["name"].isin(used)].reset_index(drop=True)
    return ReportData(series=None if series.empty else series, datasets=datasets)


def used_datasets(scenario: Scenario, *, with_series: bool = True) -> list[str]:
    """The store's tables a report of ``scenario`` rests on, by name.

    Those of the scenario's ``derive`` queries (the grounding) and, ``with_series``, those
    of the time series (:data:`SERIES_DATASETS`): a report lists the versions of the data
    it used, not every dataset the store holds.

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> used_datasets(load_builtin("russia-iran-2017"), with_series=False)
    ['cow_trade_ndy']
    """
    from alliances.studies.grounding import _TABLE

    names = [
        _TABLE[query.measure]
        for bond in scenario.bonds
        for side in bond.sides.values()
        for query in side.derive.values()
        if query.measure in _TABLE
    ]
    if with_series:
        names += SERIES_DATASETS
    return list(dict.fromkeys(names))
