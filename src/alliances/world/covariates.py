"""The covariates of the dyad-year and state-year panels (:mod:`alliances.world.panel`),
one :class:`~alliances.world._sql.Join` each.

A covariate is a factory called with the panel's code system (and, for state-years, its
sides) that returns the SQL of one LEFT JOIN on a key unique in its source, the columns
it adds and the datasets it reads. :data:`COVARIATES` are the core ones ``alliances data
build`` caches (alliances, trade, arms, IGOs, contiguity, distance, capabilities, GDP,
democracy, rivalries, MIDs, wars, affinity); :data:`DYAD_COVARIATES` adds the builders of
:mod:`alliances.world.builders` and the alliance exits; :data:`STATE_COVARIATES` are the
state-year forms. Coverage and the zero-or-missing rules are those of
:mod:`alliances.world.panel`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from alliances.world import builders, exits
from alliances.world._sql import (
    HI,
    LO,
    Join,
    System,
    in_range,
    kept,
    year_range,
    years_of,
    zero_filled,
)
from alliances.world.registry import ATOP_KINDS

__all__ = ["COVARIATES", "DYAD_COVARIATES", "STATE_COVARIATES", "Factory", "trade_flows"]

Factory = Callable[..., Join]
"""A covariate: called with the panel's ``system`` (and, for state-years, its sides)."""


def _any_system(factory: Callable[[], Join]) -> Factory:
    """A factory whose join is the same in every code system (it joins on COW codes)."""

    def make(system: System = "cow") -> Join:
        del system
        return factory()

    return make


def _alliances() -> Join:
    kinds = ATOP_KINDS
    covered = in_range("atop_alliance")
    return Join(
        tuple(zero_filled(f"al.atop_{k}", f"atop_{k}", covered) for k in kinds),
        "LEFT JOIN (SELECT ccode1, ccode2, year, "
        + ", ".join(f"MAX(atop_{k}) AS atop_{k}" for k in kinds)
        + " FROM atop_alliance GROUP BY ALL) al "
        "ON al.ccode1 = d.ccode1 AND al.ccode2 = d.ccode2 AND al.year = d.year",
        ("atop_alliance",),
    )


def trade_flows(low_first: str) -> tuple[str, str]:
    """The SQL of side 1's imports from side 2 and its exports to side 2 in a row ``tr`` of
    COW dyadic trade, whose ``flow1`` is the imports of the lower code from the higher.

    ``low_first`` is the SQL condition that side 1 has the lower code.
    """
    return (
        f"CASE WHEN {low_first} THEN tr.flow1 ELSE tr.flow2 END",
        f"CASE WHEN {low_first} THEN tr.flow2 ELSE tr.flow1 END",
    )


def _trade() -> Join:
    covered = "tr_y.year IS NOT NULL"
    imports, exports = trade_flows("d.ccode1 < d.ccode2")
    return Join(
        (
            kept(imports, "trade_imports", covered),
            kept(exports, "trade_exports", covered),
        ),
        f"LEFT JOIN cow_trade_ndy tr ON tr.ccode1 = {LO} AND tr.ccode2 = {HI} "
        "AND tr.year = d.year "
        f"LEFT JOIN {years_of('cow_trade_ndy')} tr_y ON tr_y.year = d.year",
        ("cow_trade_ndy",),
    )


def _arms() -> Join:
    covered = in_range("sipri_tiv")
    source = (
        "(SELECT supplier_cown, recipient_cown, year, SUM(value) AS tiv FROM sipri_tiv "
        "WHERE supplier_cown IS NOT NULL AND recipient_cown IS NOT NULL GROUP BY ALL)"
    )
    return Join(
        (
            zero_filled("ax.tiv", "arms_exports_tiv", covered),
            zero_filled("am.tiv", "arms_imports_tiv", covered),
        ),
        f"LEFT JOIN {source} ax ON ax.supplier_cown = d.ccode1 "
        "AND ax.recipient_cown = d.ccode2 AND ax.year = d.year "
        f"LEFT JOIN {source} am ON am.supplier_cown = d.ccode2 "
        "AND am.recipient_cown = d.ccode1 AND am.year = d.year",
        ("sipri_tiv",),
    )


def _igos() -> Join:
    return Join(
        (zero_filled("ig.dyadigos", "shared_igos", "ig_y.year IS NOT NULL"),),
        f"LEFT JOIN cow_igo_ndy ig ON ig.ccode1 = {LO} AND ig.ccode2 = {HI} "
        "AND ig.year = d.year "
        f"LEFT JOIN {years_of('cow_igo_ndy')} ig_y ON ig_y.year = d.year",
        ("cow_igo_ndy",),
    )


def _contiguity() -> Join:
    spells = (
        "(SELECT LEAST(ccode1, ccode2) AS lo, GREATEST(ccode1, ccode2) AS hi, "
        "y.year, MIN(conttype) FILTER (WHERE conttype > 0) AS conttype FROM cow_contdir "
        f"JOIN {year_range('cow_contdir')} y(year) "
        "ON y.year BETWEEN year(stdate) AND year(enddate) "
        "GROUP BY ALL)"
    )
    return Join(
        (zero_filled("ct.conttype", "conttype", in_range("cow_contdir")),),
        f"LEFT JOIN {spells} ct ON ct.lo = {LO} AND ct.hi = {HI} AND ct.year = d.year",
        ("cow_contdir",),
    )


def _distance() -> Join:
    return Join(
        (kept("md.mindist", "mindist", "md_y.year IS NOT NULL"),),
        f"LEFT JOIN cow_mindist md ON md.ccode1 = {LO} AND md.ccode2 = {HI} "
        "AND md.year = d.year "
        f"LEFT JOIN {years_of('cow_mindist')} md_y ON md_y.year = d.year",
        ("cow_mindist",),
    )


_MONADIC: dict[str, tuple[str, dict[str, str]]] = {
    "capabilities": (
        "cow_nmc",
        {
            "cinc": "cinc",
            "milex": "milex",
            "milper": "milper",
            "tpop": "tpop",
            "irst": "irst",
            "pec": "pec",
            "upop": "upop",
        },
    ),
    "gdp": ("cw_gdppop", {"gdp": "pwtrgdp", "pop": "pwtpop", "gdppc": "mrgdppc"}),
    "democracy": (
        "cw_democracy",
        {"v2x_polyarchy": "v2x_polyarchy", "polity2": "polity2", "euds": "euds"},
    ),
    "trade": ("cow_trade_sy", {"imports": "imports", "exports": "exports"}),
    "igos": ("cow_igo_sy", {"igos_full": "sum_igo_full", "igos_any": "sum_igo_anytype"}),
    "affinity": ("unga_idealpoints", {"idealpoint": "idealpointfp"}),
    "territorial_threat": ("terrthreat", {"lterrthreat": "lterrthreat"}),
}
"""State-year covariates by name: (table, {column: source column}); the state-year
panel's ``with_`` values, and the per-side columns of the dyad-year panel."""


def _monadic(name: str, sides: tuple[str, ...] = ("1", "2"), system: System = "cow") -> Join:
    """Join the state-year covariate ``name`` to each side: for a dyad, ``x1`` and ``x2``
    (``polity2_1`` where the name ends in a digit); for a state (``sides=("",)``), ``x``.
    The sources are keyed by COW codes, whatever the ``system``."""
    del system
    table, columns = _MONADIC[name]
    source = (
        f"(SELECT ccode, year, {', '.join(f'MAX({c}) AS {c}' for c in columns.values())} "
        f"FROM {table} GROUP BY ALL)"
    )
    select, joins = [], []
    for side in sides:
        alias = f"{table}_{side}"
        gap = "_" if side else ""
        select += [
            f"{alias}.{src} AS {out}{gap if out[-1].isdigit() else ''}{side}"
            for out, src in columns.items()
        ]
        joins.append(
            f"LEFT JOIN {source} {alias} ON {alias}.ccode = d.ccode{side} "
            f"AND {alias}.year = d.year"
        )
    return Join(tuple(select), " ".join(joins), (table,))


def _rivalries() -> Join:
    spells = (
        "(SELECT LEAST(ccode1, ccode2) AS lo, GREATEST(ccode1, ccode2) AS hi, y.year, "
        f"1 AS rivalry FROM tss_rivalries JOIN {year_range('tss_rivalries')} y(year) "
        'ON y.year BETWEEN start AND "end" GROUP BY ALL)'
    )
    return Join(
        (zero_filled("rv.rivalry", "tss_rivalry", in_range("tss_rivalries")),),
        f"LEFT JOIN {spells} rv ON rv.lo = {LO} AND rv.hi = {HI} AND rv.year = d.year",
        ("tss_rivalries",),
    )


def _mids() -> Join:
    """Onset, ongoing and hostility from the dyad-years (one dispute kept per dyad-year);
    the number of disputes from the dispute-years, which keep every dispute."""
    covered = in_range("cow_mid_ddydisps")
    source = (
        "(SELECT ccode1, ccode2, year, MAX(cowmidonset) AS onset, MAX(cowmidongoing) AS "
        "ongoing, MAX(hostlev) AS hostlev FROM cow_mid_ddydisps GROUP BY ALL)"
    )
    disputes = (
        "(SELECT ccode1, ccode2, year, COUNT(DISTINCT dispnum) AS n FROM cow_mid_dirdisps "
        "GROUP BY ALL)"
    )
    return Join(
        (
            zero_filled("mi.onset", "cowmid_onset", covered),
            zero_filled("mi.ongoing", "cowmid_ongoing", covered),
            zero_filled("mi.hostlev", "cowmid_hostlev", covered),
            zero_filled("mn.n", "cowmid_disputes", covered),
        ),
        " ".join(
            f"LEFT JOIN {table} {alias} ON {alias}.ccode1 = {LO} AND {alias}.ccode2 = {HI} "
            f"AND {alias}.year = d.year"
            for table, alias in ((source, "mi"), (disputes, "mn"))
        ),
        ("cow_mid_ddydisps", "cow_mid_dirdisps"),
    )


def _wars() -> Join:
    source = "(SELECT ccode1, ccode2, year, 1 AS war FROM cow_war_inter GROUP BY ALL)"
    return Join(
        (zero_filled("wr.war", "war", in_range("cow_war_inter")),),
        f"LEFT JOIN {source} wr ON wr.ccode1 = d.ccode1 AND wr.ccode2 = d.ccode2 "
        "AND wr.year = d.year",
        ("cow_war_inter",),
    )


def _affinity() -> Join:
    source = (
        "(SELECT ccode, year, MAX(idealpointfp) AS ip FROM unga_idealpoints "
        "WHERE ccode IS NOT NULL GROUP BY ALL)"
    )
    return Join(
        (
            "ip1.ip AS idealpoint1",
            "ip2.ip AS idealpoint2",
            "ABS(ip1.ip - ip2.ip) AS idealpoint_distance",
        ),
        f"LEFT JOIN {source} ip1 ON ip1.ccode = d.ccode1 AND ip1.year = d.year "
        f"LEFT JOIN {source} ip2 ON ip2.ccode = d.ccode2 AND ip2.year = d.year",
        ("unga_idealpoints",),
    )


COVARIATES: dict[str, Factory] = {
    "alliances": _any_system(_alliances),
    "trade": _any_system(_trade),
    "arms": _any_system(_arms),
    "igos": _any_system(_igos),
    "contiguity": _any_system(_contiguity),
    "distance": _any_system(_distance),
    "capabilities": partial(_monadic, "capabilities"),
    "gdp": partial(_monadic, "gdp"),
    "democracy": partial(_monadic, "democracy"),
    "rivalries": _any_system(_rivalries),
    "mids": _any_system(_mids),
    "wars": _any_system(_wars),
    "affinity": _any_system(_affinity),
}
"""The core dyad-year covariates, the ones ``alliances data build`` caches (directed COW
panels with only these are read from the cache table)."""

DYAD_COVARIATES: dict[str, Factory] = {
    **COVARIATES,
    "majors": builders.majors,
    "mids:gml": builders.gml_mids,
    "mids:whittle": builders.whittled_mids,
    "peace_years": builders.peace_years,
    "peace_years:gml": partial(builders.peace_years, source="gml"),
    "capital_distance": builders.capital_distance,
    "ucdp": builders.ucdp,
    "territorial_threat": partial(_monadic, "territorial_threat"),
    "names": builders.names,
    "alliance_exits": _any_system(exits.alliance_exits_join),
}
"""Every dyad-year covariate by name (the ``--with`` values of ``alliances panel``);
``mids:gml`` and ``peace_years:gml`` take the GML MID data instead of COW's;
``mids:whittle`` adds the COW MID kept for each directed dyad-year, with its sides."""

_STATE = ("",)

STATE_COVARIATES: dict[str, Factory] = {
    **{name: partial(_monadic, name, sides=_STATE) for name in _MONADIC},
    "majors": partial(builders.majors, sides=_STATE),
    "capital_distance": partial(builders.capital_distance, sides=_STATE),
    "ucdp": partial(builders.ucdp, sides=_STATE),
    "names": partial(builders.names, sides=_STATE),
}
"""State-year covariates by name: the columns of :data:`_MONADIC`, one per state, and
every other covariate with a state-year form."""
