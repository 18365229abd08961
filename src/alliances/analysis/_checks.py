"""Input checks and the warning shared by the analysis modules (validation at the edge).

An analysis checks its parameters once, where they come in, and raises
:class:`~alliances.errors.ParameterError` (a ``ValueError``) with the value it got and
the range it expected ("samples=1 should be >= 2"). When it does something other than
what was asked (a fallback: rows left out, an index set to 0 instead of 0/0, a table not
kept), it says so with :func:`warn_fallback`, an :class:`AlliancesWarning` naming what it
did instead, and keeps the same sentence in its result's ``warnings`` where it has them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.errors import AlliancesWarning, ParameterError

__all__ = ["AlliancesWarning", "finite_or_nan", "require_columns", "warn_fallback"]


def warn_fallback(message: str, *, stacklevel: int = 2) -> None:
    """Issue ``message`` as an :class:`AlliancesWarning`.

    ``stacklevel`` counts from the caller of this function, as for
    :func:`warnings.warn`: 2 (the default) points at the caller's caller.
    """
    warnings.warn(message, AlliancesWarning, stacklevel=stacklevel + 1)


def require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str, what: str) -> None:
    """Raise a ParameterError naming the missing columns, what was expected and what was found.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "x", "w")
    Traceback (most recent call last):
    ...
    alliances.errors.ParameterError: x lacks the column(s) 'b': expected a, b (w); found a.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = (
            f"{name} lacks the column(s) {', '.join(map(repr, missing))}: expected "
            f"{', '.join(columns)} ({what}); found {', '.join(map(str, frame.columns))}."
        )
        raise ParameterError(msg)


def finite_or_nan(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Infinities (a division by zero) become NaN: the measure is undefined there.

    Examples
    --------
    >>> finite_or_nan(np.array([1.0, np.inf, -np.inf, np.nan])).tolist()
    [1.0, nan, nan, nan]
    """
    return np.where(np.isfinite(values), values, np.nan)
