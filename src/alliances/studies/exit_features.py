"""The features of the alliance-exit forecast, read from the store (docs/forecast.md).

:func:`exit_features` gives one row per member-year ``t`` (:func:`alliances.world.member_years`)
with the pre-registered Leeds–Savun-style features measured at ``s = t − 1`` (the year of
entry for a membership's first year), so a row never reads a year after ``t − 1``:

=======================  ================================================================
``log_age``              ln(1 + s − start year)
``log_size``             ln(number of states in the alliance at s)
``defense`` …            the member's obligations in the phase in force (ATOP 4.0; neutrality
``consul``               and non-aggression pooled as ``neutral_nonagg``)
``institution``          integrated command, an organisation, bases or a common defence policy
``cap_change``           \\|ln CINC(s) − ln CINC(s − 5)\\| of the member (COW NMC)
``partner_cap_change``   the same of the principal partner (the most capable co-member at s)
``regime_change``        \\|polity2(s) − polity2(s − 5)\\| / 20 (Polity5)
``democracy``            polity2(s) ≥ 6
``log_rivals``           ln(1 + strategic rivalries in force at s) (Thompson et al. 2021)
``ally_dispute``         a MID with a co-member in s − 4 … s (COW MID 5.0)
=======================  ================================================================

A missing measure is 0 (no change, not a democracy, nothing recorded). The principal
partner is returned as ``partner``. :func:`structural_features` adds the wedge model's
quantities for the member, its principal partner and the cheapest major-power divider.

References
----------
.. [1] Leeds, B. A. and Savun, B. (2007). Terminating alliances: Why do states abrogate
   agreements? *Journal of Politics* 69(4): 1118–1132.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from alliances.world import member_years
from alliances.world.exits import covariate_rows, phase_provisions

__all__ = ["LEEDS_SAVUN", "exit_features", "features_at"]

LEEDS_SAVUN = (
    "log_age",
    "log_size",
    "defense",
    "offense",
    "neutral_nonagg",
    "consul",
    "institution",
    "cap_change",
    "partner_cap_change",
    "regime_change",
    "democracy",
    "log_rivals",
    "ally_dispute",
)
"""The pre-registered Leeds–Savun-style features, in order."""

_LAG = 5


def _state_year(con: duckdb.DuckDBPyConnection, name: str) -> pd.Series:
    frame = covariate_rows(con, name).dropna()
    return frame.groupby(["ccode", "year"])["value"].max()


def _lookup(series: pd.Series, ccode: pd.Series, year: pd.Series) -> np.ndarray:
    index = pd.MultiIndex.from_arrays([ccode.astype("int64"), year.astype("int64")])
    return series.reindex(index).to_numpy(dtype=float)


def _abs_log_change(series: pd.Series, ccode: pd.Series, year: pd.Series) -> np.ndarray:
    now = _lookup(series, ccode, year)
    then = _lookup(series, ccode, year - _LAG)
    change = np.abs(np.log(np.clip(now, 1e-7, None)) - np.log(np.clip(then, 1e-7, None)))
    return np.nan_to_num(change, nan=0.0)


def features_at(
    con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, in_force: pd.DataFrame
) -> pd.DataFrame:
    """The features of ``rows`` (columns ``atopid``, ``ccode``, ``start_year`` and ``s``,
    the year they are measured at), given ``in_force`` (``atopid``, ``ccode``, ``year``:
    every membership-year of the store). Returns ``rows`` with the features and
    ``partner`` (the principal partner, missing where it has no co-member)."""
    out = rows.copy()
    s = out["s"].astype("int64")
    out["log_age"] = np.log1p(np.clip(s - out["start_year"].astype("int64"), 0, None))
    size = in_force.groupby(["atopid", "year"]).size()
    out["log_size"] = np.log(
        size.reindex(pd.MultiIndex.from_arrays([out["atopid"], s])).fillna(1).to_numpy()
    )
    phases = phase_provisions(con).sort_values("yrent")
    keyed = out.reset_index().sort_values("s")
    merged = pd.merge_asof(
        keyed,
        phases.rename(columns={"yrent": "s"}).astype({"s": "int64"}),
        on="s",
        by=["atopid", "ccode"],
        direction="backward",
    ).set_index("index")
    merged = merged.reindex(out.index)
    for name in ("defense", "offense", "consul"):
        out[name] = (merged[name].fillna(0) > 0).astype(float)
    out["neutral_nonagg"] = ((merged["neutral"].fillna(0) + merged["nonagg"].fillna(0)) > 0) * 1.0
    out["institution"] = (
        (merged["intcom"].fillna(0) > 0)
        | (merged["organ1"].fillna(0) > 0)
        | (merged["base"].fillna(0) > 0)
        | (merged["milcon"].fillna(0) == 3)
    ).astype(float)

    cinc = _state_year(con, "cinc")
    out["cap_change"] = _abs_log_change(cinc, out["ccode"], s)
    out["partner"] = _principal_partners(out, in_force, cinc)
    has_partner = out["partner"].notna()
    partner = out["partner"].fillna(-1)
    out["partner_cap_change"] = np.where(has_partner, _abs_log_change(cinc, partner, s), 0.0)
    polity = _state_year(con, "polity2")
    now = _lookup(polity, out["ccode"], s)
    then = _lookup(polity, out["ccode"], s - _LAG)
    out["regime_change"] = np.nan_to_num(np.abs(now - then) / 20.0, nan=0.0)
    out["democracy"] = np.nan_to_num(now >= 6, nan=0.0).astype(float)
    out["log_rivals"] = np.log1p(_rivals(con, out["ccode"], s))
    out["ally_dispute"] = _ally_disputes(con, out, in_force)
    return out


def _principal_partners(rows: pd.DataFrame, in_force: pd.DataFrame, cinc: pd.Series) -> pd.Series:
    """The co-member with the largest CINC at ``s`` (ties: the lower COW code)."""
    pairs = (
        rows[["atopid", "ccode", "s"]]
        .reset_index()
        .merge(in_force.rename(columns={"ccode": "other", "year": "s"}), on=["atopid", "s"])
    )
    pairs = pairs[pairs["other"] != pairs["ccode"]]
    pairs["cinc"] = np.nan_to_num(_lookup(cinc, pairs["other"], pairs["s"]), nan=-1.0)
    pairs = pairs.sort_values(["index", "cinc", "other"], ascending=[True, False, True])
    best = pairs.drop_duplicates("index").set_index("index")["other"]
    return best.reindex(rows.index).astype("Int64")


def _rivals(con: duckdb.DuckDBPyConnection, ccode: pd.Series, year: pd.Series) -> np.ndarray:
    spells = covariate_rows(con, "rivalries")
    sides = pd.concat(
        [
            spells.rename(columns={"ccode1": "ccode"})[["ccode", "start", "end"]],
            spells.rename(columns={"ccode2": "ccode"})[["ccode", "start", "end"]],
        ]
    )
    counts = np.zeros(len(ccode))
    codes, years = ccode.to_numpy(dtype="int64"), year.to_numpy(dtype="int64")
    for code, start, end in sides.itertuples(index=False):
        counts += (codes == code) & (years >= start) & (years <= end)
    return counts


def _ally_disputes(
    con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, in_force: pd.DataFrame
) -> np.ndarray:
    mids = covariate_rows(con, "mids")
    window = pd.concat([mids.assign(s=mids["year"] + k) for k in range(_LAG)])
    window = window[["ccode1", "ccode2", "s"]].drop_duplicates()
    pairs = (
        rows[["atopid", "ccode", "s"]]
        .reset_index()
        .merge(in_force.rename(columns={"ccode": "ccode2", "year": "s"}), on=["atopid", "s"])
    )
    pairs = pairs[pairs["ccode2"] != pairs["ccode"]].rename(columns={"ccode": "ccode1"})
    hit = pairs.merge(window, on=["ccode1", "ccode2", "s"])["index"].unique()
    flags = np.zeros(len(rows))
    flags[rows.index.get_indexer(hit)] = 1.0
    return flags


def exit_features(
    con: duckdb.DuckDBPyConnection, *, years: tuple[int, int] = (1816, 2016)
) -> pd.DataFrame:
    """Every member-year of ``years`` with ``exit_early`` and the features of
    :data:`LEEDS_SAVUN`, measured at ``s = max(t − 1, start year)``; see the module.

    >>> frame = exit_features(con, years=(1990, 2016))  # doctest: +SKIP
    >>> frame.groupby("year").exit_early.sum()  # doctest: +SKIP
    """
    panel = member_years(con, years=(1815, 2016)).to_pandas(dtype_backend="numpy")
    in_force = panel[["atopid", "ccode", "year"]].astype("int64")
    rows = panel[(panel["year"] >= years[0]) & (panel["year"] <= years[1])].copy()
    rows = rows.astype({"atopid": "int64", "ccode": "int64", "year": "int64"})
    rows["start_year"] = rows["start_year"].astype("int64")
    rows["exit_early"] = rows["exit_early"].astype("int64")
    rows["s"] = np.maximum(rows["year"] - 1, rows["start_year"])
    rows = rows.reset_index(drop=True)
    return features_at(con, rows, in_force)
