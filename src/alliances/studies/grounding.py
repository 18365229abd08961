"""Grounding a scenario in the world data: resolve each bond's ``derive`` queries.

A bond side may say that its ``value`` or ``revenue`` is to be taken from the data (for
example Russia's exports to Iran in COW trade, 2010–2014). With a store, :func:`ground`
replaces that quantity by the number the data give, with the dataset, version and query
as its source; without one, or where the data have no value, the stated figure stays
and the report says the bond was not grounded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb
import pandas as pd

from alliances.errors import DataError
from alliances.scenario.model import Derivation, Scenario
from alliances.world import queries

__all__ = ["Grounding", "ground"]

_TABLE = {
    "trade_exports": "cow_trade_ndy",
    "trade_imports": "cow_trade_ndy",
    "trade_share": "cow_trade_ndy",
    "arms_tiv": "sipri_tiv",
}


@dataclass(frozen=True)
class Grounding:
    """What happened to one ``derive`` query.

    ``dataset`` is the title and version of the data it read (``"COW trade 4.0"``) and
    ``years`` its window, when it was resolved; ``statement`` says it in one sentence.
    """

    bond: str
    side: str
    field: str
    measure: str
    grounded: bool
    value: float | None
    source: str
    dataset: str | None = None
    years: tuple[int, int] | None = None

    @property
    def statement(self) -> str:
        if self.grounded:
            return f"Grounded {self.bond} ({self.side} {self.field}) in the data: {self.source}"
        return f"Bond {self.bond} ({self.side} {self.field}) not grounded: {self.source}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ground(
    scenario: Scenario, con: duckdb.DuckDBPyConnection | None
) -> tuple[Scenario, list[Grounding]]:
    """The scenario with every ``derive`` query resolved against the store ``con``.

    Returns the grounded scenario (a new object) and one :class:`Grounding` per query.
    With ``con=None`` nothing is resolved and every query is reported as not grounded.
    """
    report: list[Grounding] = []
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    codes = {a.id: a.country.cow for a in scenario.actors if a.country is not None}
    for b, bond in enumerate(scenario.bonds):
        for side_id, side in bond.sides.items():
            for field, query in side.derive.items():
                stated = getattr(side, field)
                found = _resolve(con, query, codes) if con is not None else None
                if found is None:
                    why = "no store" if con is None else "no data for this query"
                    report.append(
                        Grounding(
                            bond.id,
                            str(side_id),
                            field,
                            query.measure,
                            False,
                            None,
                            f"stated figure kept ({why}): {stated.source or 'assumption'}",
                        )
                    )
                    continue
                value, source, dataset = found
                unit = stated.unit
                target = data["bonds"][b]["sides"][side_id]
                target[field] = {
                    "value": value * query.scale / _unit_factor(unit),
                    "unit": unit,
                    "source": source,
                    "note": query.note or f"replaces the stated figure ({stated.source})",
                }
                report.append(
                    Grounding(
                        bond.id,
                        str(side_id),
                        field,
                        query.measure,
                        True,
                        value * query.scale,
                        source,
                        dataset,
                        (query.years[0], query.years[1]),
                    )
                )
    return Scenario.model_validate(data), report


def _unit_factor(unit: str | None) -> float:
    from alliances.scenario.quantity import parse_unit

    return 1.0 if unit is None else parse_unit(unit)[1]


def _resolve(
    con: duckdb.DuckDBPyConnection, query: Derivation, codes: dict[str, int | None]
) -> tuple[float, str, str] | None:
    """(yearly mean in the data's base unit, source text, dataset and version), or None if
    the data say nothing."""
    a, b = codes.get(str(query.from_)), codes.get(str(query.to))
    if a is None or b is None:
        msg = f"derive: {query.from_} or {query.to} has no COW code to query the data with"
        raise DataError(msg)
    table = _TABLE[query.measure]
    provenance = queries.dataset_record(con, table)
    if provenance is None:
        return None
    first, last = query.years
    if query.measure == "arms_tiv":
        transfers = queries.arms_transfers(con, (first, last), supplier=a, recipient=b)
        # a yearly mean over the whole window: years without deliveries count as zero
        total = transfers["value"].sum(min_count=1)
        value, rows = total / (last - first + 1) * 1e6, len(transfers)
        unit_note = "TIV (SIPRI volume index, not money), yearly mean"
    else:
        trade = queries.dyad_trade(con, a, b, (first, last))  # current USD million
        if query.measure == "trade_share":
            totals = queries.state_trade(con, (first, last), ccode=a)
            trade = trade.merge(totals, on="year", suffixes=("", "_total"))
            shares = (trade["exports"] + trade["imports"]) / (
                trade["imports_total"] + trade["exports_total"]
            )
            value, rows = shares.mean(), len(trade)
            unit_note = "share of total trade, yearly mean"
        else:
            flow = "exports" if query.measure == "trade_exports" else "imports"
            value, rows = trade[flow].mean() * 1e6, len(trade)
            unit_note = "current USD, yearly mean"
    if not rows or pd.isna(value):
        return None
    dataset = f"{provenance['title']} {provenance['version']}"
    source = (
        f"{dataset} ({table}, sha256 {provenance['sha256'][:12]}): {query.measure} "
        f"{query.from_}→{query.to}, {first}–{last}, {unit_note}, {rows} "
        f"{'year' if rows == 1 else 'years'} with data"
    )
    return float(value), source, dataset
