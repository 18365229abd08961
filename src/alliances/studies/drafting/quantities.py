"""The quantities a draft writes: triangular, log-normal and share priors as scenario
dicts, each with the ``source``, ``derive`` records and ``assumption`` it is given.

Rule A4 (:func:`around`) turns a yearly mean of the data into a prior; rule H1
(:func:`substitutability`) reads a concentration of the target's partners.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["around", "fraction", "lognormal", "rounded", "substitutability", "tri"]


def tri(
    low: float, mode: float, high: float, unit: str | None = None, **why: Any
) -> dict[str, Any]:
    """A triangular prior (low, mode, high), rounded, with its ``unit`` and the non-empty
    ``why`` fields (``source``, ``derive``, ``assumption`` …)."""
    q: dict[str, Any] = {
        "dist": "triangular",
        "low": rounded(low),
        "mode": rounded(mode),
        "high": rounded(high),
    }
    if unit:
        q["unit"] = unit
    return {**q, **{k: v for k, v in why.items() if v}}


def fraction(low: float, mode: float, high: float, **why: Any) -> dict[str, Any]:
    """A triangular prior of a share, clipped to [0, 1] (the mode within the bounds)."""
    low, high = max(0.0, low), min(1.0, high)
    mode = min(max(mode, low), high)
    return tri(low, mode, high, **why)


def lognormal(median: float, ratio: float, unit: str, **why: Any) -> dict[str, Any]:
    """A log-normal prior of ``median`` whose 90th percentile is ``ratio`` times it."""
    q = {
        "dist": "lognormal",
        "median": rounded(median),
        "p90": rounded(median * ratio),
        "unit": unit,
    }
    return {**q, **{k: v for k, v in why.items() if v}}


def rounded(x: float) -> float:
    """Round to 6 significant digits (a draft is read by people)."""
    if x == 0 or not math.isfinite(x):
        return float(x)
    return float(f"{x:.6g}")


def around(x: float, spread: float, unit: str, **why: Any) -> dict[str, Any]:
    """Rule A4: a yearly mean x from the data as (1 − spread, 1, 1 + spread) · x."""
    return tri(x * (1 - spread), x, x * (1 + spread), unit, **why)


def _hhi(values: pd.Series) -> float | None:
    """The Herfindahl-Hirschman index of ``values`` (None when they sum to nothing)."""
    total = float(values.sum())
    if total <= 0:
        return None
    shares = values / total
    return float((shares**2).sum())


def substitutability(values: pd.Series | None, what: str) -> dict[str, Any]:
    """Rule H1: how far the target can replace a partner's ``what``, 1 - HHI of
    ``values`` (its flows by partner) ± 0.2, or a default without them."""
    hhi = None if values is None else _hhi(values)
    if hhi is None:
        return fraction(
            0.1, 0.4, 0.7, assumption=f"H1: no breakdown of the target's {what}; default"
        )
    m = 1 - hhi
    return fraction(
        m - 0.2,
        m,
        m + 0.2,
        assumption=f"H1 (Hirschman): 1 - HHI of the target's {what} over its partners = {m:.3f}",
    )
