"""The limits of the balance solvers: the default time limit and the sizes enumerated.

:func:`~alliances.analysis.balance.frustration_index` reads :data:`DEFAULT_TIME_LIMIT`
from this module at each call (so a shorter one can stand in for it). A deadline is a
:func:`time.perf_counter` reading; set-up that passes it raises :class:`_OutOfTime`,
which the solvers turn into a fallback with a warning, never into an error for the user.
"""

from __future__ import annotations

import math

from alliances.errors import ParameterError

__all__ = ["AUTO_ENUMERATION_LIMIT", "DEFAULT_TIME_LIMIT", "ENUMERATION_LIMIT"]

DEFAULT_TIME_LIMIT = 60.0
"""Seconds :func:`frustration_index` spends at most when no ``time_limit`` is given."""

AUTO_ENUMERATION_LIMIT = 22
"""``method="auto"`` enumerates up to this many nodes and solves the programme beyond."""

ENUMERATION_LIMIT = 26
"""The most nodes ``method="enumerate"`` (and :func:`enumerate_partitions`) accepts."""


class _OutOfTime(Exception):
    """The deadline passed during set-up."""


def _checked_time_limit(time_limit: float | None, *, default: float) -> float:
    """``time_limit`` as seconds (``default`` for None), or a ParameterError for a
    negative, NaN or non-numeric one."""
    if time_limit is None:
        return default
    try:
        limit = float(time_limit)
    except (TypeError, ValueError):
        limit = math.nan
    if isinstance(time_limit, bool) or not limit >= 0:  # also refuses NaN
        msg = (
            f"time_limit={time_limit!r} should be a number of seconds ≥ 0 (math.inf for "
            f"none; default {DEFAULT_TIME_LIMIT:g})"
        )
        raise ParameterError(msg)
    return limit
