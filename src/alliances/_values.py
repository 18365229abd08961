"""Plain values a user passes from Python, pandas or NumPy, read one way everywhere.

Each reader refuses what it cannot read with a
:class:`~alliances.errors.ParameterError` that names the argument, shows what was given
and says what is expected.
"""

from __future__ import annotations

import math
import numbers
import reprlib

from alliances.errors import ParameterError

__all__ = ["amount", "flag", "is_bool", "whole_number", "year_pair"]


def is_bool(value: object) -> bool:
    """Whether ``value`` is a Python or NumPy bool (which Python counts as an integer).

    >>> import numpy as np
    >>> is_bool(True), is_bool(np.bool_(False)), is_bool(1)
    (True, True, False)
    """
    return isinstance(value, bool) or type(value).__name__ in ("bool", "bool_")


def flag(value: object, name: str) -> bool:
    """``value`` of the flag ``name`` as a bool; anything but True or False (a Python or
    NumPy bool) is refused (``directed="no"`` would be truthy).

    >>> flag(True, "directed")
    True
    >>> flag("no", "directed")
    Traceback (most recent call last):
    ...
    alliances.errors.ParameterError: directed='no': expected True or False
    """
    if not is_bool(value):
        msg = f"{name}={reprlib.repr(value)}: expected True or False"
        raise ParameterError(msg)
    return bool(value)


def whole_number(value: object, *, text: bool = False) -> int | None:
    """``value`` as an int if it is a whole number, else None.

    A whole number is a Python or NumPy integer, or a finite real equal to an integer
    (``365.0``: what pandas gives for an integer column with a missing value); with
    ``text``, also a string of decimal digits (``"2000"``). A bool is not one, nor is
    ``2000.5``, NaN or infinity.

    >>> import numpy as np
    >>> whole_number(np.int64(365)), whole_number(1990.0), whole_number(2000.5)
    (365, 1990, None)
    >>> whole_number(True), whole_number("2000"), whole_number("2000", text=True)
    (None, None, 2000)
    """
    if is_bool(value):
        return None
    if isinstance(value, str):
        digits = value.strip()
        return int(digits) if text and digits.isdecimal() else None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        real = float(value)
        return int(real) if math.isfinite(real) and real.is_integer() else None
    return None


def amount(value: object, name: str) -> float:
    """``value`` as a finite amount of 0 or more (a Python or NumPy real, not a bool).

    >>> import numpy as np
    >>> amount(np.float32(5e9), "offer")
    5000000000.0
    >>> amount(-1.0, "offer")
    Traceback (most recent call last):
    ...
    alliances.errors.ParameterError: offer=-1.0: expected a finite amount in USD, 0 or more
    """
    real = float(value) if isinstance(value, numbers.Real) and not is_bool(value) else None
    if real is None or not math.isfinite(real) or real < 0:
        msg = f"{name}={value!r}: expected a finite amount in USD, 0 or more"
        raise ParameterError(msg)
    return real


def year_pair(
    years: object, name: str = "years", low: int | None = None, high: int | None = None
) -> tuple[int, int]:
    """``years`` as (first, last): two whole years (:func:`whole_number`, digit strings
    too) in order, within ``low`` to ``high`` when given.

    >>> year_pair((1990, "2000")), year_pair([2010.0, 2010])
    ((1990, 2000), (2010, 2010))
    >>> year_pair((2000, 1990))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alliances.errors.ParameterError: years=(2000, 1990): the first year should be at most ...
    """
    items = () if isinstance(years, str | bytes) else _items(years)
    pair = [whole_number(y, text=True) for y in items] if len(items) == 2 else [None]
    first, last = (pair[0], pair[-1]) if None not in pair else (None, None)
    bounds = f" from {low} to {high}" if low is not None and high is not None else ""
    if first is None or last is None:
        msg = (
            f"{name}={years!r:.60}: expected (first, last), two whole years{bounds}, "
            "such as (1990, 2000)"
        )
        raise ParameterError(msg)
    if first > last:
        msg = (
            f"{name}=({first}, {last}): the first year should be at most the last "
            f"({last}, {first})"
        )
        raise ParameterError(msg)
    if (low is not None and first < low) or (high is not None and last > high):
        msg = f"{name}=({first}, {last}): expected years{bounds}"
        raise ParameterError(msg)
    return first, last


def _items(value: object) -> tuple[object, ...]:
    """The items of a sequence or a NumPy array (flattened), else ()."""
    ravel = getattr(value, "ravel", None)
    if callable(ravel):
        return tuple(ravel().tolist())
    try:
        return tuple(value)  # type: ignore[arg-type]
    except TypeError:
        return ()
