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

from alliances.errors import DataError
from alliances.scenario.model import Derivation, Scenario

__all__ = ["Grounding", "ground"]

_TABLE = {
    "trade_exports": "cow_trade_ndy",
    "trade_imports": "cow_trade_ndy",
    "trade_share": "cow_trade_ndy",
    "arms_tiv": "sipri_tiv",
}


@dataclass(frozen=True)
class Grounding:
    """What happened to one ``derive`` query."""

    bond: str
    side: str
    field: str
    measure: str
    grounded: bool
    value: float | None
    source: str

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
                            side_id,
                            field,
                            query.measure,
                            False,
                            None,
                            f"stated figure kept ({why}): {stated.source or 'assumption'}",
                        )
                    )
                    continue
                value, source = found
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
                        bond.id, side_id, field, query.measure, True, value * query.scale, source
                    )
                )
    return Scenario.model_validate(data), report


def _unit_factor(unit: str | None) -> float:
    from alliances.scenario.quantity import parse_unit

    return 1.0 if unit is None else parse_unit(unit)[1]


def _resolve(
    con: duckdb.DuckDBPyConnection, query: Derivation, codes: dict[str, int | None]
) -> tuple[float, str] | None:
    """(yearly mean in the data's base unit, source text), or None if the data say nothing."""
    a, b = codes.get(query.from_), codes.get(query.to)
    if a is None or b is None:
        msg = f"derive: {query.from_} or {query.to} has no COW code to query the data with"
        raise DataError(msg)
    table = _TABLE[query.measure]
    provenance = con.execute(
        "SELECT title, version, sha256 FROM datasets WHERE name = ?", [table]
    ).fetchone()
    if provenance is None:
        return None
    first, last = query.years
    if query.measure == "arms_tiv":
        sql = (
            "SELECT SUM(value) / (? - ? + 1) * 1e6, COUNT(*) FROM sipri_tiv "
            "WHERE supplier_cown = ? AND recipient_cown = ? AND year BETWEEN ? AND ?"
        )
        row = con.execute(sql, [last, first, a, b, first, last]).fetchone()
        unit_note = "TIV (SIPRI volume index, not money), yearly mean"
    else:
        # flow1: imports of ccode1 from ccode2 (ccode1 < ccode2); current USD million
        exports = "CASE WHEN ? < ? THEN flow2 ELSE flow1 END"
        imports = "CASE WHEN ? < ? THEN flow1 ELSE flow2 END"
        pair = "ccode1 = LEAST(?, ?) AND ccode2 = GREATEST(?, ?) AND year BETWEEN ? AND ?"
        if query.measure == "trade_share":
            sql = (
                f"SELECT AVG(({exports} + {imports}) / (s.imports + s.exports)), COUNT(*) "
                "FROM cow_trade_ndy t JOIN cow_trade_sy s ON s.ccode = ? AND s.year = t.year "
                f"WHERE {pair}"
            )
            params = [a, b, a, b, a, a, b, a, b, first, last]
            unit_note = "share of total trade, yearly mean"
        else:
            flow = exports if query.measure == "trade_exports" else imports
            sql = f"SELECT AVG({flow}) * 1e6, COUNT(*) FROM cow_trade_ndy WHERE {pair}"
            params = [a, b, a, b, a, b, first, last]
            unit_note = "current USD, yearly mean"
        row = con.execute(sql, params).fetchone()
    if row is None or row[0] is None or not row[1]:
        return None
    title, version, sha = provenance
    source = (
        f"{title} {version} ({table}, sha256 {sha[:12]}): {query.measure} "
        f"{query.from_}→{query.to}, {first}–{last}, {unit_note}, {row[1]} year(s) with data"
    )
    return float(row[0]), source
