r"""The wedge model's quantities for a membership: what it would take to pull the member away.

For a member T, its principal partner P and every COW major power D of year ``a`` (not T
or P), the triad is drafted from the data of ``a`` by the rules of ``docs/drafting.md``
(one reward package) and priced on the draws of :func:`alliances.analysis.wedge.wedge`
(:func:`~alliances.analysis.wedge.summary.price_draws`: the same numbers, in one
pass). The *cheapest divider* is the one with the lowest median flip price O\*. Its
quantities are the structural features of the exit forecast (docs/forecast.md):

* ``log_cost`` = ln median C_T, T's cost of leaving P (USD);
* ``margin`` = m̄ = mean over draws of clip(ln O_max − ln O\*, ±5)
  (:func:`alliances.analysis.decision.log_margin`);
* ``no_price`` = 1 where no divider could be drafted or priced (the two others are then 0).

References
----------
.. [1] Crawford, T. W. (2011). Preventing enemy coalitions: How wedge strategies shape
   power politics. *International Security* 35(4): 155–189.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from alliances.analysis.decision import log_margin
from alliances.analysis.wedge import compile_model
from alliances.analysis.wedge.summary import price_draws
from alliances.errors import AlliancesError
from alliances.studies.drafting import draft_many
from alliances.world.queries import major_powers

__all__ = ["STRUCTURAL", "majors", "price_pairs", "with_structure"]

STRUCTURAL = ("log_cost", "margin", "no_price")
"""The structural features of the exit forecast."""

_TERMS = ("flip_price", "max_offer", "cost_of_leaving")  # the draws a price needs
ANCHOR_STEP = 5
FIRST_ANCHOR = 1950


def majors(con: duckdb.DuckDBPyConnection, year: int) -> list[int]:
    """The COW major powers of ``year`` (of the last year the list covers, after it)."""
    table = major_powers(con, (1816, max(int(year), 1816)))
    at = min(int(year), int(table["year"].max()))
    return sorted(int(c) for c in table.loc[table["year"] == at, "ccode"])


def price_pairs(
    con: duckdb.DuckDBPyConnection,
    pairs: Iterable[tuple[int, int]],
    year: int,
    *,
    samples: int = 400,
    seed: int = 0,
) -> pd.DataFrame:
    """For each (member, partner) of ``pairs``, the cheapest major-power divider drafted
    from the data of ``year``, its median flip price and the structural features.

    Columns: ``ccode``, ``partner``, ``cheapest_divider`` (COW code, missing if none),
    ``flip_price_p50`` (USD), ``log_cost``, ``margin``, ``no_price``, and
    ``runner_up_p50`` (USD: the median flip price of the next cheapest divider, missing
    if there is none), which says how clearly the cheapest one is cheapest.
    """
    pairs = sorted(set(pairs))
    powers = majors(con, year)
    triads = [(d, t, p) for t, p in pairs for d in powers if d not in (t, p)]
    drafts = draft_many(triads, year, con=con, errors="return") if triads else []
    best: dict[tuple[int, int], tuple[float, int, float, float]] = {}
    second: dict[tuple[int, int], float] = {}
    for (d, t, p), drafted in zip(triads, drafts, strict=True):
        if isinstance(drafted, Exception):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = compile_model(drafted.scenario, labels=False)
                draws = price_draws(model, _TERMS, samples=samples, seed=seed)
        except (AlliancesError, ValueError):
            continue
        flip, most = draws["flip_price"], draws["max_offer"]
        median = float(np.median(flip))
        cost = float(np.median(draws["cost_of_leaving"]))
        key = (t, p)
        if key not in best or median < best[key][0]:
            if key in best:
                second[key] = best[key][0]
            best[key] = (median, d, cost, log_margin(flip, most))
        elif median < second.get(key, math.inf):
            second[key] = median
    rows: list[tuple[Any, ...]] = []
    for t, p in pairs:
        if (t, p) in best:
            median, d, cost, margin = best[(t, p)]
            cost_term = math.log(max(cost, 1.0))
            rows.append((t, p, d, median, cost_term, margin, 0.0, second.get((t, p))))
        else:
            rows.append((t, p, None, None, 0.0, 0.0, 1.0, None))
    columns = ["ccode", "partner", "cheapest_divider", "flip_price_p50", *STRUCTURAL]
    return pd.DataFrame(rows, columns=[*columns, "runner_up_p50"]).astype(
        {"cheapest_divider": "Int64", "flip_price_p50": "float64", "runner_up_p50": "float64"}
    )


def anchor_of(s: pd.Series) -> pd.Series:
    """The anchor year of measurement years ``s``: the last multiple of five at or before
    ``s`` (1950 on; missing before)."""
    anchor = s - (s - FIRST_ANCHOR) % ANCHOR_STEP
    return anchor.where(s >= FIRST_ANCHOR)


def with_structure(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    *,
    samples: int = 400,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """``frame`` (:func:`~alliances.studies.exit_features.exit_features`) with the
    structural features of each row's member and principal partner at the row's anchor
    year (docs/forecast.md); rows before 1950 or without a price get ``no_price = 1``."""
    out = frame.copy()
    out["anchor"] = anchor_of(out["s"].astype("int64"))
    priced = []
    for anchor, rows in out.dropna(subset=["anchor", "partner"]).groupby("anchor"):
        if progress is not None:
            progress(f"Pricing the memberships of {int(anchor)} against the major powers")
        pairs = zip(rows["ccode"].astype(int), rows["partner"].astype(int), strict=True)
        table = price_pairs(con, pairs, int(anchor), samples=samples, seed=seed)
        priced.append(table.assign(anchor=float(anchor)))
    if priced:
        table = pd.concat(priced, ignore_index=True)
        table["partner"] = table["partner"].astype("Int64")
        out = out.merge(
            table[["ccode", "partner", "anchor", *STRUCTURAL]],
            on=["ccode", "partner", "anchor"],
            how="left",
        )
    for name in STRUCTURAL:
        if name not in out:
            out[name] = np.nan
    out["no_price"] = out["no_price"].fillna(1.0)
    out[["log_cost", "margin"]] = out[["log_cost", "margin"]].fillna(0.0)
    return out
