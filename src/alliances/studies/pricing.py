"""The wedge price of a scenario grounded in a store: the one code path of every output.

:func:`wedge` is :func:`alliances.analysis.wedge.wedge` with a ``store``: given one (a
path or an open connection), every ``derive:`` query of the scenario is resolved in it
first (:func:`~alliances.studies.grounding.ground`), exactly as ``alliances wedge`` and
``alliances report`` do, and the result says how in ``result.grounded``. Without one
nothing is grounded and the result says that too; there is no hidden default store.
The command line, the report, the workbench and the Python API all call :func:`price`,
so that the same scenario, seed, samples and store give the same numbers by every route.
The result comes out complete: the pure analysis's result and what grounding and the
calibrated P(flip) add are put together in one new (frozen) :class:`WedgeResult`.

Which ``wedge`` or ``price`` is which:

=======================================================  ======================================
name                                                     what it is
=======================================================  ======================================
:func:`alliances.analysis.wedge.wedge`                   the pure analysis: a scenario's
                                                         figures as stated, no store, no
                                                         calibration
``alliances.wedge`` (:func:`wedge`, here)                the public one: grounded in ``store``
                                                         when one is given, with the calibrated
                                                         P(flip); returns a
                                                         :class:`WedgeResult`
:func:`price` (here)                                     the same run, returning a
                                                         :class:`Priced`: the grounded scenario
                                                         and what each query did too (the
                                                         report and the workbench need them)
:func:`~alliances.analysis.wedge.summary.price_summary`  a sweep's few numbers of one compiled
                                                         triad, streamed (no result object)
``alliances.web.answers._price``                         the workbench's private call of
                                                         :func:`price`
=======================================================  ======================================

A report's orchestration (ground, price, what the store adds) is
:func:`alliances.studies.reporting.build_report`, which calls :func:`price`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import numpy as np
from numpy.typing import NDArray

from alliances.analysis.wedge import WedgeResult
from alliances.analysis.wedge import wedge as _pure_wedge
from alliances.analysis.wedge.price import _SOBOL_SAMPLES
from alliances.scenario.model import Scenario, require_scenario
from alliances.studies.grounding import Grounding, ground
from alliances.typing import Store
from alliances.world import connect
from alliances.world.connection import store_path

__all__ = ["Priced", "Store", "grounding_statement", "price", "wedge"]


@dataclass(frozen=True)
class Priced:
    """A scenario as grounded, what each query did, and its wedge result."""

    scenario: Scenario
    grounding: list[Grounding]
    result: WedgeResult


def wedge(
    scenario: Scenario,
    *,
    store: Store | None = None,
    samples: int = 100_000,
    seed: int | None = 0,
    offer: float | None = None,
    sobol_samples: int = _SOBOL_SAMPLES,
    keep_draws: bool | None = None,
    progress: Callable[[str], None] | None = None,
    uniforms: NDArray[np.float64] | None = None,
) -> WedgeResult:
    r"""The wedge price of ``scenario``, grounded in ``store`` when one is given.

    The flip price is that of :func:`alliances.analysis.wedge.wedge`,

    .. math::

        O^* = \max(0,\; C_T - Z + \kappa_P \bar X) / \bar\kappa ,

    computed after each ``derive:`` query has replaced its stated figure by the number the
    data give (for example Russia's exports to Iran in COW trade; Barbieri, Keshk and
    Pollins 2009 [1]_), as the command line does.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario with its question.
    store : str, path, duckdb connection or None
        The world data store (``alliances data build``). A path is opened read-only and
        closed again; a connection is used and left open. ``None`` (the default): nothing
        is grounded and ``result.grounded`` says so.
    samples, seed, offer, sobol_samples, keep_draws, progress, uniforms
        As in :func:`alliances.analysis.wedge.wedge`.

    Returns
    -------
    WedgeResult
        With ``grounded``: ``store`` (the path, or None), ``statement`` (one sentence) and
        ``queries`` (each query's :meth:`Grounding.to_dict`). A query the store could not
        resolve is also listed in ``warnings``.

    Raises
    ------
    alliances.errors.DataError
        If ``store`` is a path with no store there.

    References
    ----------
    .. [1] Barbieri, K., Keshk, O. M. G. and Pollins, B. M. (2009). Trading data:
       evaluating our assumptions and coding rules. *Conflict Management and Peace
       Science* 26(5): 471–491.

    Examples
    --------
    >>> from alliances import wedge
    >>> from alliances.scenario import load_builtin
    >>> r = wedge(load_builtin("russia-iran-2017"), samples=2_000, sobol_samples=64)
    >>> r.grounded["statement"]
    "Not grounded: no store was given; the scenario's stated figures are used."
    """
    return price(
        scenario,
        store=store,
        samples=samples,
        seed=seed,
        offer=offer,
        sobol_samples=sobol_samples,
        keep_draws=keep_draws,
        progress=progress,
        uniforms=uniforms,
    ).result


def price(
    scenario: Scenario,
    *,
    store: Store | None = None,
    samples: int = 100_000,
    seed: int | None = 0,
    offer: float | None = None,
    sobol_samples: int = _SOBOL_SAMPLES,
    keep_draws: bool | None = None,
    progress: Callable[[str], None] | None = None,
    uniforms: NDArray[np.float64] | None = None,
    why_no_store: str = "no store was given",
) -> Priced:
    """:func:`wedge`, also returning the grounded scenario and the :class:`Grounding` of
    each query (the report needs both); ``why_no_store`` is said when ``store`` is None
    (the command line says why it has none).

    The result is made once, complete: the pure analysis's result, then one new result
    (:func:`dataclasses.replace`) with the grounding's statement and notes and, when the
    draws are kept, the calibrated P(flip) (:func:`alliances.studies.backtest.
    calibration.calibrated_p_flip`) and its notes. Nothing is patched afterwards.
    """
    require_scenario(scenario)
    if store is None or isinstance(store, duckdb.DuckDBPyConnection):
        grounded, grounding = ground(scenario, store)
        path = None if store is None else store_path(store)
    else:
        path = str(Path(store))
        con = connect(store)
        try:
            grounded, grounding = ground(scenario, con)
        finally:
            con.close()
    result = _pure_wedge(
        grounded,
        samples=samples,
        seed=seed,
        offer=offer,
        sobol_samples=sobol_samples,
        keep_draws=keep_draws,
        progress=progress,
        uniforms=uniforms,
    )
    given = store is not None
    warnings = [*result.warnings, *(g.statement for g in grounding if not g.grounded)]
    calibrated = None
    if {"flip_price", "credibility", "coercion"} <= set(result.draws.columns):
        from alliances.studies.backtest.calibration import calibrated_p_flip

        calibrated = calibrated_p_flip(result)  # reads the draws and the offer only
        warnings += calibrated["warnings"]
    # One new result, complete: the pure analysis's answer with what grounding and
    # calibration add (WedgeResult is frozen; nothing is patched afterwards).
    result = replace(
        result,
        warnings=warnings,
        grounded={
            "store": path,
            "statement": grounding_statement(grounding, path, given=given)
            if given
            else f"Not grounded: {why_no_store}; the scenario's stated figures are used.",
            "queries": [g.to_dict() for g in grounding],
        },
        calibrated=calibrated,
    )
    return Priced(grounded, grounding, result)


def grounding_statement(grounding: list[Grounding], store: str | None, *, given: bool) -> str:
    """One plain sentence: whether the figures come from the store, and which.

    >>> g = Grounding("trade", "RUS", "revenue", "trade_exports", True, 1.2e9, "COW trade",
    ...               "COW trade 4.0", (2010, 2014))
    >>> grounding_statement([g], "/x/w.duckdb", given=True)
    'Grounded in the store /x/w.duckdb: its one data query resolved (COW trade 4.0, 2010–2014).'
    >>> grounding_statement([g], None, given=False)
    "Not grounded: no store was given; the scenario's stated figures are used."
    """
    if not given:
        return "Not grounded: no store was given; the scenario's stated figures are used."
    where = f"the store {store}" if store else "the store (in memory)"
    n = len(grounding)
    if n == 0:
        return (
            f"Nothing to ground in {where}: no bond side asks the store for a figure (a "
            "side's derive: value or revenue); the scenario's figures are used as written."
        )
    done = [g for g in grounding if g.grounded]
    details = "; ".join(
        dict.fromkeys(
            f"{g.dataset}, {g.years[0]}–{g.years[1]}" if g.years else str(g.dataset) for g in done
        )
    )
    if len(done) == n:
        what = "its one data query" if n == 1 else f"all {n} data queries"
        return f"Grounded in {where}: {what} resolved ({details})."
    if done:
        return (
            f"Partly grounded in {where}: {len(done)} of {n} data queries resolved "
            f"({details}); the others keep the scenario's stated figures."
        )
    what = "its one data query" if n == 1 else f"any of its {n} data queries"
    return f"Not grounded: {where} has no data for {what}; the scenario's stated figures are used."
