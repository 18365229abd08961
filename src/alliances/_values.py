"""Plain values a user passes from Python, pandas or NumPy, read one way everywhere."""

from __future__ import annotations

import math
import numbers

__all__ = ["whole_number"]


def whole_number(value: object) -> int | None:
    """``value`` as an int if it is a whole number, else None.

    A whole number is a Python or NumPy integer, or a finite real equal to an integer
    (``365.0``: what pandas gives for an integer column with a missing value). A bool
    (Python's or NumPy's) is not one, nor is a string, ``2000.5``, NaN or infinity.

    >>> import numpy as np
    >>> whole_number(np.int64(365)), whole_number(1990.0), whole_number(2000.5)
    (365, 1990, None)
    >>> whole_number(True), whole_number("2000"), whole_number(float("nan"))
    (None, None, None)
    """
    if isinstance(value, bool) or type(value).__name__ in ("bool", "bool_"):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        real = float(value)
        return int(real) if math.isfinite(real) and real.is_integer() else None
    return None
