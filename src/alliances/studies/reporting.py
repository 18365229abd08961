"""A scenario's report, gathered: priced, grounded, and what the store adds.

:func:`build_report` is the one orchestration of a report: it grounds and prices the
scenario (:func:`alliances.studies.pricing.price`) and gathers what the store adds
(:func:`report_data`: the time series of the target and the partner, the datasets
used), and returns a :class:`Report`. The renderer (:func:`alliances.report.render`)
takes that object and never a connection; the command line (``alliances report``) and
the workbench call :func:`build_report`, so a report is the same by every route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from alliances.analysis.wedge import WedgeResult
    from alliances.scenario.model import Scenario
    from alliances.studies.grounding import Grounding
    from alliances.studies.pricing import Priced
    from alliances.typing import Store

__all__ = [
    "REPORT_YEARS",
    "SERIES_DATASETS",
    "Report",
    "ReportData",
    "build_report",
    "report_data",
    "used_datasets",
]

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


@dataclass(frozen=True, eq=False)  # frames do not compare to a bool
class Report:
    """Everything a scenario's report shows: the scenario priced and what the store adds.

    Attributes
    ----------
    priced : Priced
        The grounded scenario, what each ``derive:`` query did and the wedge result, as
        :func:`alliances.studies.pricing.price` returns them.
    data : ReportData
        The store's part: the time series and the datasets used (None where it has
        nothing to add).
    """

    priced: Priced
    data: ReportData

    @property
    def scenario(self) -> Scenario:
        """The scenario as grounded (its ``derive:`` figures replaced by the store's)."""
        return self.priced.scenario

    @property
    def result(self) -> WedgeResult:
        """The wedge result, grounded and calibrated."""
        return self.priced.result

    @property
    def grounding(self) -> list[Grounding]:
        """What each ``derive:`` query of the scenario did."""
        return self.priced.grounding


def build_report(
    scenario: Scenario,
    *,
    store: Store | None = None,
    samples: int = 100_000,
    seed: int | None = 0,
    sobol_samples: int | None = None,
    why_no_store: str = "no store was given",
    progress: Callable[[str], None] | None = None,
    years: range = REPORT_YEARS,
) -> Report:
    """Ground ``scenario`` in ``store``, price it and gather the store's part of its report.

    The one path from a scenario to its report: :func:`alliances.studies.pricing.price`
    with every draw kept (the charts show them), then :func:`report_data` of the grounded
    scenario in the same store.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario with its question.
    store : str, path, duckdb connection or None
        The world data store. A path is opened read-only (for the grounding, then for the
        time series) and closed again; a connection is used and left open. ``None``:
        nothing is grounded and the report shows the scenario's own figures only.
    samples, seed, sobol_samples
        Monte Carlo draws, their seed and the Sobol' base sample size of the drivers, as
        in :func:`alliances.wedge` (``None``: its default, 4,096).
    why_no_store : str
        Said in the grounding statement when ``store`` is None.
    progress : callable, optional
        Called with the name of each stage as it starts (the last is ``"Report"``).
    years : range
        The years of the time series (:data:`REPORT_YEARS`).

    Returns
    -------
    Report
        What :func:`alliances.report.render` takes.

    Raises
    ------
    alliances.errors.DataError
        If ``store`` is a path with no store there.

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> report = build_report(load_builtin("russia-iran-2017"), samples=500)
    >>> report.result.grounded["statement"]
    "Not grounded: no store was given; the scenario's stated figures are used."
    >>> report.data.series is None
    True
    """
    import duckdb

    from alliances.analysis.wedge.price import _SOBOL_SAMPLES
    from alliances.studies.pricing import price
    from alliances.world import connect

    priced = price(
        scenario,
        store=store,
        samples=samples,
        seed=seed,
        sobol_samples=_SOBOL_SAMPLES if sobol_samples is None else sobol_samples,
        keep_draws=True,
        progress=progress,
        why_no_store=why_no_store,
    )
    if progress is not None:
        progress("Report")
    if store is None or isinstance(store, duckdb.DuckDBPyConnection):
        data = report_data(priced.scenario, store, years=years)
    else:
        con = connect(store)
        try:
            data = report_data(priced.scenario, con, years=years)
        finally:
            con.close()
    return Report(priced, data)


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
