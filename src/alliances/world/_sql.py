"""The pieces panel covariates are made of: a join, and the SQL of honest coverage.

A covariate is a :class:`Join`: the columns it selects from the sources it joins to the
panel's units ``d`` (columns ``ccode1``, ``ccode2``, ``year`` …). Each factory of
:mod:`alliances.world.panel` and :mod:`alliances.world.builders` returns one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alliances.errors import DataError
from alliances.world.registry import DATASETS

__all__ = [
    "HI",
    "LO",
    "Join",
    "System",
    "in_range",
    "kept",
    "year_range",
    "years_of",
    "zero_filled",
]

System = Literal["cow", "gw"]

LO = "LEAST(d.ccode1, d.ccode2)"
HI = "GREATEST(d.ccode1, d.ccode2)"


@dataclass(frozen=True)
class Join:
    """One covariate: the columns it selects, the join that brings them, its datasets.

    ``dated``: the columns hold each year's values, so they are missing in the years the
    datasets do not cover; False for a covariate read without the year (a state's name).
    """

    select: tuple[str, ...]
    join: str
    datasets: tuple[str, ...]
    dated: bool = True


def years_of(table: str) -> str:
    """The SQL table of the distinct years observed in ``table``."""
    return f"(SELECT DISTINCT year::INTEGER AS year FROM {table})"


def in_range(name: str, year: str = "d.year") -> str:
    """The SQL condition that ``year`` is inside the registered years of ``name``."""
    first, last = DATASETS[name].years or (-(10**6), 10**6)
    return f"{year} BETWEEN {first} AND {last}"


def year_range(name: str) -> str:
    """The SQL table of the years the registry gives for ``name``, one row per year."""
    years = DATASETS[name].years
    if years is None:  # a bug of the registry, caught by its tests
        msg = f"the registry gives no years for {name}"
        raise DataError(msg)
    return f"range({years[0]}, {years[1] + 1})"


def zero_filled(expr: str, alias: str, covered: str) -> str:
    """``expr``, 0 where it is missing inside ``covered``, missing outside."""
    return f"CASE WHEN {covered} THEN COALESCE({expr}, 0) END AS {alias}"


def kept(expr: str, alias: str, covered: str) -> str:
    """``expr`` inside ``covered`` (missing stays missing), missing outside."""
    return f"CASE WHEN {covered} THEN {expr} END AS {alias}"
