"""Input checks shared by the analysis modules (validation at the edge)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray


def require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str, what: str) -> None:
    """Raise a ValueError naming the missing columns, what was expected and what was found."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = (
            f"{name} lacks the column(s) {', '.join(map(repr, missing))}: expected "
            f"{', '.join(columns)} ({what}); found {', '.join(map(str, frame.columns))}."
        )
        raise ValueError(msg)


def finite_or_nan(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Infinities (a division by zero) become NaN: the measure is undefined there."""
    return np.where(np.isfinite(values), values, np.nan)
