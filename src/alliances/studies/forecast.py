"""Which alliance memberships are at risk: the exit forecast of a year (docs/forecast.md).

:func:`forecast` fits the pre-registered Leeds–Savun-style hazard on every member-year up
to ``Y − 1`` and gives every membership in force at the end of ``Y − 1`` its probability
of ending by early exit within ``horizon`` years (:meth:`~alliances.analysis.hazard.
HazardModel.risk`), its percentile, its principal partner, the feature that raises its
risk most, and, unless ``price=False``, the cheapest major-power divider with its flip
price (:func:`alliances.studies.exit_structure.price_pairs`). Nothing after ``Y − 1`` is
read. The probabilities are associations in the record, not causal prices; their track
record is that of ``alliances backtest --exits``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from alliances import countries
from alliances.analysis.hazard import HazardModel, fit_hazard
from alliances.errors import DataError, UnknownCountryError
from alliances.studies.exit_features import LEEDS_SAVUN, exit_features, features_at
from alliances.studies.exit_structure import price_pairs
from alliances.world import member_years
from alliances.world.connection import provenance

__all__ = ["MODEL_VERSION", "Forecast", "forecast"]

MODEL_VERSION = "leeds-savun-1"
"""The version of the forecast's specification (docs/forecast.md)."""

_LAST = 2016
_FIRST = 1816
_FEW_EVENTS = 50  # fewer early exits than this to fit on: a warning
_CLOSE = 0.05  # a runner-up divider this close to the cheapest: a warning
_DRIFT = 1.5  # expected / observed exits of the last decade beyond this (or 1/this): a warning


def _calibration_note(model: HazardModel, train: pd.DataFrame, origin: int) -> list[str]:
    """A warning if, over the last ten years of the record it is fitted on, the model
    expects many more (or fewer) early exits than happened: calibration in the large,
    in sample, so a floor on how far its probabilities are off now."""
    recent = train[train["s"] > origin - 10]
    expected, observed = float(model.hazard(recent).sum()), int(recent["exit_early"].sum())
    if expected <= 0 or (observed and 1 / _DRIFT <= expected / observed <= _DRIFT):
        return []
    ratio = f" ({expected / observed:.1f}×)" if observed else ""
    return [
        f"over {origin - 9}–{origin} the model expects {expected:.1f} early exits where "
        f"{observed or 'none'} happened{ratio}: the hazard of exit changed over the record, so "
        "read P as a ranking of risk, not a calibrated probability (the rolling-origin "
        "backtest, `alliances backtest --exits`, shows the same; docs/forecast.md)"
    ]


@dataclass(frozen=True)
class Forecast:
    """A year's forecast: one row per membership, the fitted model, and what to know."""

    year: int
    horizon: int
    rows: pd.DataFrame
    model: HazardModel
    fitted_on: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        columns = [
            "atopid",
            "member",
            "partner",
            "p_exit",
            "percentile",
            "cheapest_divider",
            "flip_price_p50",
            "top_driver",
        ]
        records = self.rows[columns].astype(object).where(self.rows[columns].notna(), None)
        return {
            "year": self.year,
            "horizon": self.horizon,
            "model": {
                "version": MODEL_VERSION,
                "parameters": self.model.to_dict(),
                "fitted_on": self.fitted_on,
            },
            "rows": records.to_dict("records"),
            "units": {
                "p_exit": f"probability of early exit within {self.horizon} years",
                "percentile": "rank of p_exit among the year's memberships, 0-100",
                "flip_price_p50": "USD (present value), median over draws",
            },
            "warnings": self.warnings,
        }


def _code(ccode: Any) -> str | None:
    if ccode is None or pd.isna(ccode):
        return None
    try:
        return countries.resolve(int(ccode)).code
    except UnknownCountryError:
        return str(int(ccode))


def forecast(
    con: duckdb.DuckDBPyConnection,
    year: int,
    *,
    horizon: int = 5,
    price: bool = True,
    samples: int = 400,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Forecast:
    """The exit forecast of ``year``: see the module.

    >>> from alliances.world import connect  # doctest: +SKIP
    >>> forecast(connect(), 2010).rows.head()  # doctest: +SKIP
    """
    if not _FIRST + 20 <= year <= _LAST + 1 + 50:
        msg = (
            f"year={year}: expected a year from {_FIRST + 20} (20 years of record to fit "
            f"on) to {_LAST + 1 + 50} (the record ends in {_LAST}; forecasts reach 50 years)"
        )
        raise DataError(msg)
    if not 1 <= horizon <= 50:
        msg = f"horizon={horizon}: expected 1 to 50 years"
        raise DataError(msg)
    notes: list[str] = []
    origin = year - 1
    if origin > _LAST:
        notes.append(
            f"ATOP 4.0 ends in {_LAST}: the memberships and features are those of {_LAST}, "
            f"not {origin}, and each P is of an early exit in {_LAST + 1}–{_LAST + horizon}, "
            f"the {horizon} years after the record, not in {year}–{year + horizon - 1}"
        )
        origin = _LAST
    if progress is not None:
        progress(f"Reading the member-years up to {origin}")
    train = exit_features(con, years=(_FIRST, origin))
    model = fit_hazard(train, LEEDS_SAVUN, event="exit_early")
    if model.events < _FEW_EVENTS:
        notes.append(
            f"the model is fitted on {model.events} early exits ({_FIRST}–{origin}) for its "
            f"{len(LEEDS_SAVUN)} features: its coefficients are poorly determined and "
            "probabilities near 0 or 1 are not to be trusted"
        )
    notes.extend(_calibration_note(model, train, origin))
    panel = member_years(con, years=(1815, origin)).to_pandas(dtype_backend="numpy")
    in_force = panel[["atopid", "ccode", "year"]].astype("int64")
    now = panel[(panel["year"] == origin) & panel["exit_class"].isna()]
    rows = now[["atopid", "ccode", "start_year"]].astype("int64").reset_index(drop=True)
    rows["s"] = origin
    rows = features_at(con, rows, in_force)
    rows["p_exit"] = model.risk(rows, horizon)
    rows["percentile"] = (rows["p_exit"].rank(pct=True) * 100).round(1)
    effects = model.effects(rows)
    rows["top_driver"] = effects.idxmax(axis=1)
    rows["cheapest_divider"] = None
    rows["flip_price_p50"] = np.nan
    if price:
        if progress is not None:
            progress(f"Pricing {len(rows)} memberships against the major powers of {origin}")
        known = rows.dropna(subset=["partner"])
        pairs = zip(known["ccode"].astype(int), known["partner"].astype(int), strict=True)
        priced = price_pairs(con, pairs, origin, samples=samples, seed=seed)
        merged = rows[["ccode", "partner"]].merge(priced, on=["ccode", "partner"], how="left")
        rows["cheapest_divider"] = [_code(c) for c in merged["cheapest_divider"]]
        rows["flip_price_p50"] = merged["flip_price_p50"].to_numpy()
        gap = merged["runner_up_p50"].to_numpy() / merged["flip_price_p50"].to_numpy() - 1
        close = int(np.sum(gap < _CLOSE))
        if close:
            notes.append(
                f"for {close} of {len(rows)} memberships the next cheapest divider's median "
                f"flip price is within {_CLOSE:.0%} of the cheapest's: with {samples} draws "
                "which of them is cheapest is within Monte Carlo noise (a larger samples= "
                "or another seed may name the other)"
            )
        unpriced = int(rows["flip_price_p50"].isna().sum())
        if unpriced:
            notes.append(
                f"{unpriced} of {len(rows)} memberships have no cheapest divider or flip "
                f"price: no major power of {origin} outside the pair could be drafted against "
                "them from the data (a member or partner without military expenditure or "
                "trade in the store, or no principal partner)"
            )
    else:
        notes.append("not priced (price=False): no cheapest divider or flip price")
    rows["member"] = [_code(c) for c in rows["ccode"]]
    rows["partner"] = [_code(c) for c in rows["partner"]]
    rows = rows.sort_values(["p_exit", "atopid", "member"], ascending=[False, True, True])
    versions = provenance(con).set_index("name")["version"].astype(str).to_dict()
    fitted_on = {
        "member_years": model.n,
        "events": model.events,
        "years": [_FIRST, origin],
        "datasets": {
            name: versions.get(name)
            for name in (
                "atop_members_v4",
                "cow_nmc",
                "cw_democracy",
                "tss_rivalries",
                "cow_mid_ddydisps",
            )
        },
        "specification": "docs/forecast.md",
    }
    return Forecast(year, horizon, rows.reset_index(drop=True), model, fitted_on, notes)
