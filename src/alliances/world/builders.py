"""The covariates peacesciencer users reach for, beyond the cached core of the panel.

Each function returns the :class:`~alliances.world._sql.Join` of one covariate for a
code system (``"cow"`` or ``"gw"``) and the sides of the unit (``("1", "2")`` for a
dyad, ``("",)`` for a state); :mod:`alliances.world.panel` chains them as ``with_*``.
Definitions follow peacesciencer 1.2.9 (Miller 2022 [1]_), function by function:

* :func:`majors` — ``add_cow_majors``: 1 in the years of a COW major-power spell;
* :func:`prd_units` — ``filter_prd``: any direct contiguity (``conttype`` ≥ 1) or at
  least one major power (Weede 1976 [2]_; Lemke and Reed 2001 [3]_);
* :func:`peace_years` — ``add_spells`` (through ``stevemisc::ps_spells``): per dyad,
  rows in year order, the spell is 0 in the first year and grows by one a year; a
  year with an event (a dispute ongoing, or its onset) keeps the count and the spell
  restarts at 0 the year after;
* :func:`capital_distance` — ``add_capital_distance``: great-circle distance between
  the capitals of January 1st on a sphere of radius 6,378.137 km (``distVincentySphere``);
  for a state, the distance to the nearest capital of the other members that year;
* :func:`ucdp` — ``add_ucdp_acd``: a state-year is ``ucdpongoing`` when the state is
  the primary side A of a UCDP/PRIO armed conflict, ``ucdponset`` in the first year of
  each conflict for that state; 0 inside 1946–last year, missing outside;
* :func:`whittled_mids` — ``add_cow_mids``' one dispute per dyad-year, chosen from the
  COW MID dispute-years as its data (``cow_mid_ddydisps``) and its ``whittle_conflicts_*``
  functions choose it (:data:`WHITTLE_RULES`);
* :func:`gml_mids` and :func:`names` — the GML MID dyad-years and state names.

References
----------
.. [1] Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
   research. *Conflict Management and Peace Science* 39(6): 755–779.
.. [2] Weede, E. (1976). Overwhelming preponderance as a pacifying condition among
   contiguous Asian dyads. *Journal of Conflict Resolution* 20(3): 395–411.
.. [3] Lemke, D. and Reed, W. (2001). The relevance of politically relevant dyads.
   *Journal of Conflict Resolution* 45(1): 126–144.
"""

from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd

from alliances._codes import ATOP_KINDS
from alliances.errors import DataError
from alliances.world._sql import HI, LO, Join, System, in_range, year_range, zero_filled
from alliances.world.registry import DATASETS

__all__ = [
    "EARTH_RADIUS_KM",
    "MID_DISPUTE_COLUMNS",
    "MID_SIDE_COLUMNS",
    "MID_SOURCES",
    "WHITTLE_RULES",
    "capital_distance",
    "gml_mids",
    "majors",
    "names",
    "peace_years",
    "portfolio_inputs",
    "prd_units",
    "ucdp",
    "whittled_mids",
]

EARTH_RADIUS_KM = 6378.137
"""Radius of the sphere of capital distances (geosphere's default, WGS84's semi-major
axis), as peacesciencer's ``add_capital_distance`` uses it."""

DYAD = ("1", "2")

MID_SOURCES: dict[str, tuple[str, str]] = {
    "cow": ("cow_mid_ddydisps", "cowmid"),
    "gml": ("gml_mid_ddydisps", "gmlmid"),
}
"""MID dyad-year tables by source: (table, column stem)."""


def _code(system: System, side: str) -> str:
    return f"d.{'gwcode' if system == 'gw' else 'ccode'}{side}"


def majors(system: System = "cow", sides: tuple[str, ...] = DYAD) -> Join:
    """``cowmaj1`` and ``cowmaj2`` (``cowmaj`` for a state): 1 in the years of a COW
    major-power spell, 0 otherwise inside 1816–2016, missing outside."""
    spells = (
        f"(SELECT ccode, y.year, 1 AS major FROM cow_majors JOIN {year_range('cow_majors')} "
        "y(year) ON y.year BETWEEN styear AND endyear GROUP BY ALL)"
    )
    covered = in_range("cow_majors")
    select, joins = [], []
    for side in sides:
        select.append(zero_filled(f"mj{side}.major", f"cowmaj{side}", covered))
        joins.append(
            f"LEFT JOIN {spells} mj{side} ON mj{side}.ccode = d.ccode{side} "
            f"AND mj{side}.year = d.year"
        )
    return Join(tuple(select), " ".join(joins), ("cow_majors",))


def prd_units(base: str) -> tuple[str, tuple[str, ...]]:
    """The units of ``base`` that are politically relevant, and the datasets it reads.

    A dyad-year is politically relevant when the two states are directly contiguous in
    any of COW's five types (``conttype`` ≥ 1) or one of them is a COW major power, as
    peacesciencer's ``filter_prd``; it is known only inside the years of both sources
    (1816–2016), so no dyad-year outside them is kept.
    """
    contiguous = (
        "EXISTS (SELECT 1 FROM cow_contdir c WHERE LEAST(c.ccode1, c.ccode2) = "
        f"{LO} AND GREATEST(c.ccode1, c.ccode2) = {HI} AND c.conttype >= 1 "
        "AND d.year BETWEEN year(c.stdate) AND year(c.enddate))"
    )
    major = (
        "EXISTS (SELECT 1 FROM cow_majors m WHERE m.ccode IN (d.ccode1, d.ccode2) "
        "AND d.year BETWEEN m.styear AND m.endyear)"
    )
    covered = f"{in_range('cow_contdir')} AND {in_range('cow_majors')}"
    sql = f"SELECT d.* FROM ({base}) d WHERE {covered} AND ({contiguous} OR {major})"
    return sql, ("cow_contdir", "cow_majors")


def gml_mids(system: System = "cow") -> Join:
    """GML MID 2.2.1 dyad-years: ``gmlmid_onset``, ``gmlmid_ongoing``,
    ``gmlmid_hostlev`` and ``gmlmid_disputes`` (0 inside 1816–2010)."""
    del system  # keyed by COW codes in every system
    covered = in_range("gml_mid_ddydisps")
    source = (
        "(SELECT LEAST(ccode1, ccode2) AS lo, GREATEST(ccode1, ccode2) AS hi, year, "
        "MAX(gmlmidonset) AS onset, MAX(gmlmidongoing) AS ongoing, MAX(hostlev) AS hostlev, "
        "COUNT(DISTINCT dispnum) AS n FROM gml_mid_ddydisps GROUP BY ALL)"
    )
    return Join(
        (
            zero_filled("gm.onset", "gmlmid_onset", covered),
            zero_filled("gm.ongoing", "gmlmid_ongoing", covered),
            zero_filled("gm.hostlev", "gmlmid_hostlev", covered),
            zero_filled("gm.n", "gmlmid_disputes", covered),
        ),
        f"LEFT JOIN {source} gm ON gm.lo = {LO} AND gm.hi = {HI} AND gm.year = d.year",
        ("gml_mid_ddydisps",),
    )


WHITTLE_RULES: tuple[tuple[str, str], ...] = (
    ("r.disponset DESC", "an onset of the dispute in the dyad over an ongoing one"),
    (
        "CASE WHEN m.fatality = -9 THEN 0.5 ELSE m.fatality END DESC",
        "the highest fatality level of the dispute (unknown, -9, between none and 1-25)",
    ),
    ("m.hostlev DESC", "the highest hostility level of the dispute"),
    ("m.mindur DESC", "the longest minimum duration"),
    ("m.maxdur DESC", "the longest maximum duration"),
    ("m.recip DESC", "a reciprocated dispute over one that is not"),
    ("m.stmon", "the earliest start month"),
    ("r.dispnum", "the lowest dispute number (never reached in COW MID 5.0)"),
)
"""The rules that keep one COW MID per directed dyad-year, in order: (SQL order, what it
prefers). They are those peacesciencer 1.2.9 applied to build ``cow_mid_ddydisps`` from
``cow_mid_dirdisps`` (data-raw/cow_mid_ddydisps.R) and that its ``whittle_conflicts_onsets``,
``_fatality``, ``_hostility``, ``_duration`` (``mindur``, then ``maxdur``),
``_reciprocation`` and ``_startmonth`` apply one by one; each keeps the disputes with the
best value, so applied in turn they keep the first dispute in this order. peacesciencer's
last resort, ``whittle_conflicts_jds``, drops an arbitrary one; the dispute number makes
the choice reproducible."""

MID_DISPUTE_COLUMNS = ("dispnum", "fatality", "mindur", "maxdur", "recip", "stmon")
"""The columns of the dispute kept, from COW MID 5.0's dispute data (``cow_mid_disps``)."""

MID_SIDE_COLUMNS = ("sidea", "orig", "fatality", "fatalpre", "hiact", "hostlev")
"""The columns of each side in the dispute kept (``sidea1``, ``sidea2`` …), from the
directed dispute-years (``cow_mid_dirdisps``)."""


def whittled_mids(system: System = "cow") -> Join:
    """The dispute peacesciencer's ``add_cow_mids`` keeps for each directed dyad-year
    with a COW MID 5.0 dispute (Palmer et al. 2022), and its attributes.

    The disputes of the directed dyad-year (``cow_mid_dirdisps``) are ordered by
    :data:`WHITTLE_RULES` (onset, then the dispute's fatality, hostility, minimum and
    maximum duration, reciprocation, start month and number, from ``cow_mid_disps``)
    and the first is kept. Its columns, named ``cowmid_`` and peacesciencer's name:
    ``cowmid_dispnum``, ``cowmid_fatality``, ``cowmid_mindur``, ``cowmid_maxdur``,
    ``cowmid_recip``, ``cowmid_stmon`` of the dispute, and for each side ``cowmid_sidea1``
    (on side A, the side that took the first militarized action), ``cowmid_orig1`` (an
    originator, in the dispute from its first day), ``cowmid_fatality1``,
    ``cowmid_fatalpre1``, ``cowmid_hiact1`` (highest action) and ``cowmid_hostlev1``, and
    the same with 2. They are missing where the dyad-year has no dispute. The choice is
    the one of peacesciencer's ``cow_mid_ddydisps`` in every dyad-year (the data tests).

    Parameters
    ----------
    system : {"cow", "gw"}
        The panel's code system; the disputes join on the COW codes of either.

    Returns
    -------
    Join
        The columns above and the LEFT JOIN on ``ccode1``, ``ccode2``, ``year``.

    References
    ----------
    Palmer, G. et al. (2022). The MID5 dataset, 2011–2014: procedures, coding rules, and
    description. *Conflict Management and Peace Science* 39(4): 470–482. Miller, S. V.
    (2022), peacesciencer (see the module).

    >>> [s.rsplit(" AS ", 1)[1] for s in whittled_mids().select][:3]
    ['cowmid_dispnum', 'cowmid_fatality', 'cowmid_mindur']
    """
    del system  # keyed by COW codes in every system
    order = ", ".join(rule for rule, _ in WHITTLE_RULES)
    sides = [f"r.{c}{s}" for c in MID_SIDE_COLUMNS for s in DYAD]
    dispute = [f"m.{c}" for c in MID_DISPUTE_COLUMNS if c != "dispnum"]
    kept = (
        f"(SELECT r.ccode1, r.ccode2, r.year, r.dispnum, {', '.join(dispute + sides)} "
        "FROM cow_mid_dirdisps r JOIN cow_mid_disps m ON m.dispnum = r.dispnum "
        "QUALIFY ROW_NUMBER() OVER (PARTITION BY r.ccode1, r.ccode2, r.year "
        f"ORDER BY {order}) = 1)"
    )
    select = [f"wm.{c} AS cowmid_{c}" for c in MID_DISPUTE_COLUMNS]
    select += [f"wm.{c}{s} AS cowmid_{c}{s}" for c in MID_SIDE_COLUMNS for s in DYAD]
    return Join(
        tuple(select),
        f"LEFT JOIN {kept} wm ON wm.ccode1 = d.ccode1 AND wm.ccode2 = d.ccode2 "
        "AND wm.year = d.year",
        ("cow_mid_dirdisps", "cow_mid_disps"),
    )


def peace_years(
    system: System = "cow",
    *,
    source: Literal["cow", "gml"] = "cow",
    event: Literal["ongoing", "onset"] = "ongoing",
    ongoing_as_missing: bool = False,
    cubic: bool = False,
) -> Join:
    r"""Peace years of each dyad: ``cowmidspell`` (or ``gmlmidspell``), as peacesciencer's
    ``add_spells`` counts them.

    The dyads of COW's dyad list inside the source's years, each in year order: the
    spell is 0 in a dyad's first year and one more each year; a year with an event keeps
    the count (the years of peace before it) and the next year starts again at 0.
    ``event="ongoing"`` (the default, as peacesciencer) counts every year of a dispute
    as an event, ``"onset"`` only its first. With ``ongoing_as_missing`` the years of a
    run of events after its first are missing and not counted (``ps_spells(ongoing =
    TRUE)``). ``cubic`` adds the squared and cubed spell (Carter and Signorino 2010).

    The spells are counted over the whole history of the dyad, not only the panel's
    years, so a panel that starts in 1990 carries the years of peace since 1816. A dyad
    exists only while both states are members of the system: when one leaves and comes
    back (the Baltic states, 1940–1991), the spell starts again at 0 in the year it comes
    back, as for a new dyad (Latvia–United States: 0 in 1991, 15 in 2006), instead of
    running on across the decades the dyad did not exist.

    >>> [s.rsplit(" AS ", 1)[1] for s in peace_years(source="gml", cubic=True).select]
    ['gmlmidspell', 'gmlmidspell2', 'gmlmidspell3']
    """
    if source not in MID_SOURCES:
        msg = f"source={source!r} should be one of: {', '.join(MID_SOURCES)}"
        raise DataError(msg)
    if event not in ("ongoing", "onset"):
        msg = f"event={event!r} should be 'ongoing' or 'onset'"
        raise DataError(msg)
    del system  # MIDs are keyed by COW codes in every system
    table, stem = MID_SOURCES[source]
    universe = (
        "(SELECT ccode1 AS lo, ccode2 AS hi, year::INTEGER AS year FROM cow_ddy "
        f"WHERE ccode1 < ccode2 AND {in_range(table, 'year')})"
    )
    events = (
        "(SELECT LEAST(ccode1, ccode2) AS lo, GREATEST(ccode1, ccode2) AS hi, "
        f"year::INTEGER AS year, MAX({stem}{event}) AS ev FROM {table} GROUP BY ALL)"
    )
    by_dyad = "OVER (PARTITION BY u.lo, u.hi ORDER BY u.year)"
    # ``stay``: the year the dyad's current stay in the system began (the later of the two
    # states' spells in COW's list); ``entry``: its first row, or its first row of a new
    # stay; ``before``: an event in the row before, inside the same stay
    stay = (
        " GREATEST("
        + ", ".join(
            f"(SELECT MAX(s.styear) FROM cow_states s WHERE s.ccode = u.{side} "
            "AND s.styear <= u.year)"
            for side in ("lo", "hi")
        )
        + ")"
    )
    entry = f"COALESCE(LAG(u.year) {by_dyad} < {stay}, TRUE)"
    lagged = (
        f"SELECT u.lo, u.hi, u.year, COALESCE(e.ev, 0) = 1 AS ev, {entry} AS entry, "
        f"COALESCE(LAG(COALESCE(e.ev, 0)) {by_dyad}, 0) = 1 AND NOT {entry} AS before "
        f"FROM {universe} u LEFT JOIN {events} e "
        "ON e.lo = u.lo AND e.hi = u.hi AND e.year = u.year"
    )
    if ongoing_as_missing:
        marks = "entry, ev AND NOT before AS failure, ev AND before AS skip"
    else:
        marks = "entry, ev AS failure, FALSE AS skip"
    spell_id = (
        "COALESCE(SUM(failure::INTEGER) OVER (PARTITION BY lo, hi ORDER BY year "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) + "
        "SUM(entry::INTEGER) OVER (PARTITION BY lo, hi ORDER BY year)"
    )
    spells = (
        f"(SELECT lo, hi, year, CASE WHEN NOT skip THEN ROW_NUMBER() OVER "
        "(PARTITION BY lo, hi, spell_id, skip ORDER BY year) - 1 END AS spell FROM "
        f"(SELECT *, {spell_id} AS spell_id FROM "
        f"(SELECT lo, hi, year, {marks} FROM ({lagged}))))"
    )
    name, ps = f"{stem}spell", f"ps_{stem}"
    select = [f"{ps}.spell AS {name}"]
    if cubic:
        select += [f"{ps}.spell ** 2 AS {name}2", f"{ps}.spell ** 3 AS {name}3"]
    return Join(
        tuple(select),
        f"LEFT JOIN {spells} {ps} ON {ps}.lo = {LO} AND {ps}.hi = {HI} AND {ps}.year = d.year",
        (table, "cow_ddy", "cow_states"),
    )


_CAPITALS = {
    "cow": ("cow_capitals", "ccode", "cow_ddy"),
    "gw": ("gw_capitals", "gwcode", "gw_ddy"),
}


def _great_circle(a: str, b: str) -> str:
    """The SQL of the haversine distance in km between capitals ``a`` and ``b``."""
    return (
        f"2 * {EARTH_RADIUS_KM} * asin(sqrt(pow(sin(radians({b}.lat - {a}.lat) / 2), 2) + "
        f"cos(radians({a}.lat)) * cos(radians({b}.lat)) * "
        f"pow(sin(radians({b}.lng - {a}.lng) / 2), 2)))"
    )


def capital_distance(system: System = "cow", sides: tuple[str, ...] = DYAD) -> Join:
    """``capdist``: km between the two capitals (for a state, ``mincapdist``: to the
    nearest capital of the other members that year); missing where a capital is not
    recorded. A year's capital is the one of January 1st (the earliest spell).

    >>> capital_distance(sides=("",)).select
    ('nc.mincapdist AS mincapdist',)
    """
    table, code, dyads = _CAPITALS[system]
    capitals = (
        "(SELECT code, year, arg_min(lat, stdate) AS lat, arg_min(lng, stdate) AS lng FROM "
        f"(SELECT {code} AS code, lat, lng, stdate, "
        f"unnest(range(year(stdate), year(enddate) + 1)) AS year FROM {table}) GROUP BY ALL)"
    )
    if sides == DYAD:
        return Join(
            (f"{_great_circle('cap1', 'cap2')} AS capdist",),
            f"LEFT JOIN {capitals} cap1 ON cap1.code = {_code(system, '1')} "
            "AND cap1.year = d.year "
            f"LEFT JOIN {capitals} cap2 ON cap2.code = {_code(system, '2')} "
            "AND cap2.year = d.year",
            (table,),
        )
    nearest = (
        f"(SELECT g.{code}1 AS code, g.year::INTEGER AS year, "
        f"MIN({_great_circle('cap1', 'cap2')}) AS mincapdist FROM {dyads} g "
        f"JOIN {capitals} cap1 ON cap1.code = g.{code}1 AND cap1.year = g.year "
        f"JOIN {capitals} cap2 ON cap2.code = g.{code}2 AND cap2.year = g.year GROUP BY ALL)"
    )
    (side,) = sides
    return Join(
        ("nc.mincapdist AS mincapdist",),
        f"LEFT JOIN {nearest} nc ON nc.code = {_code(system, side)} AND nc.year = d.year",
        (table, dyads),
    )


_CROSSWALK = "(SELECT ccode, year, MIN(gwcode) AS gwcode FROM gw_cw_panel GROUP BY ALL)"


def _gw_codes(system: System, sides: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """The SQL of each side's G-W code, and the joins that give it (for COW units, the
    year's crosswalk)."""
    if system == "gw":
        return {side: f"d.gwcode{side}" for side in sides}, ""
    joins = " ".join(
        f"LEFT JOIN {_CROSSWALK} xw{side} ON xw{side}.ccode = d.ccode{side} "
        f"AND xw{side}.year = d.year"
        for side in sides
    )
    return {side: f"xw{side}.gwcode" for side in sides}, joins


def ucdp(system: System = "cow", sides: tuple[str, ...] = DYAD) -> Join:
    """UCDP/PRIO armed conflicts: ``ucdpongoing``, ``ucdponset`` and
    ``ucdp_maxintensity`` of each state (as peacesciencer's ``add_ucdp_acd``), and for a
    dyad also ``ucdp_interstate_ongoing`` and ``ucdp_interstate_onset``: the two are the
    primary sides A and B of an inter-state conflict (its first year for the onset).

    Flags are 0 inside the UCDP years and missing outside, or where a COW state has no
    G-W code; ``ucdp_maxintensity`` is missing in a year without conflict.
    """
    states = (
        "(SELECT gw, year, 1 AS ongoing, MAX(first::INTEGER) AS onset, MAX(intensity) AS "
        "maxint FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY conflict_id, gw ORDER BY "
        "year) = 1 AS first FROM (SELECT conflict_id, gwno_a AS gw, year::INTEGER AS year, "
        "MAX(intensity_level) AS intensity FROM ucdp_acd WHERE gwno_a IS NOT NULL "
        "GROUP BY ALL)) GROUP BY gw, year)"
    )
    codes, joins = _gw_codes(system, sides)
    select: list[str] = []
    for side in sides:
        covered = f"{in_range('ucdp_acd')} AND {codes[side]} IS NOT NULL"
        alias = f"uc{side or 's'}"
        select += [
            zero_filled(f"{alias}.ongoing", f"ucdpongoing{side}", covered),
            zero_filled(f"{alias}.onset", f"ucdponset{side}", covered),
            f"{alias}.maxint AS ucdp_maxintensity{side}",
        ]
        joins += (
            f" LEFT JOIN {states} {alias} ON {alias}.gw = {codes[side]} AND {alias}.year = d.year"
        )
    if sides == DYAD:
        pairs = (
            "(SELECT lo, hi, year, 1 AS ongoing, MAX(first::INTEGER) AS onset FROM "
            "(SELECT *, ROW_NUMBER() OVER (PARTITION BY conflict_id, lo, hi ORDER BY year) = 1 "
            "AS first FROM (SELECT DISTINCT conflict_id, LEAST(gwno_a, gwno_b) AS lo, "
            "GREATEST(gwno_a, gwno_b) AS hi, year::INTEGER AS year FROM ucdp_acd "
            "WHERE type_of_conflict = 'interstate' AND gwno_a IS NOT NULL "
            "AND gwno_b IS NOT NULL)) GROUP BY lo, hi, year)"
        )
        lo, hi = (f"{f}({codes['1']}, {codes['2']})" for f in ("LEAST", "GREATEST"))
        both = f"{codes['1']} IS NOT NULL AND {codes['2']} IS NOT NULL"
        covered = f"{in_range('ucdp_acd')} AND {both}"
        select += [
            zero_filled("ui.ongoing", "ucdp_interstate_ongoing", covered),
            zero_filled("ui.onset", "ucdp_interstate_onset", covered),
        ]
        joins += f" LEFT JOIN {pairs} ui ON ui.lo = {lo} AND ui.hi = {hi} AND ui.year = d.year"
    datasets = ("ucdp_acd",) if system == "gw" else ("ucdp_acd", "gw_cw_panel")
    return Join(tuple(select), joins, datasets)


_NAMES = {
    "cow": ("cow_states", "ccode", "statenme", "endyear"),
    "gw": ("gw_states", "gwcode", "statename", "enddate"),
}


def names(system: System = "cow", sides: tuple[str, ...] = DYAD) -> Join:
    """``statename`` and ``stateabb`` of each side (``statename1`` … for a dyad), from
    the state list of the system (its latest record of the code)."""
    table, code, name, last = _NAMES[system]
    source = (
        f"(SELECT {code} AS code, arg_max({name}, {last}) AS statename, "
        f"arg_max(stateabb, {last}) AS stateabb FROM {table} GROUP BY {code})"
    )
    select, joins = [], []
    for side in sides:
        alias = f"nm{side or 's'}"
        select += [f"{alias}.statename AS statename{side}", f"{alias}.stateabb AS stateabb{side}"]
        joins.append(f"LEFT JOIN {source} {alias} ON {alias}.code = {_code(system, side)}")
    # The latest record of each code, whatever the year: present in every year.
    return Join(tuple(select), " ".join(joins), (table,), dated=False)


def portfolio_inputs(
    con: duckdb.DuckDBPyConnection, years: tuple[int, int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The inputs of alliance-portfolio similarity in ``years`` (within ATOP's): the ATOP
    obligations of directed dyad-years between members of the COW system (one row per
    dyad-year, the maximum of each obligation), and the members, ``ccode`` and ``year``.

    A member year without any ATOP row gets one row of no obligation, so that the year is
    computed (every portfolio holds only the state's tie to itself) rather than dropped.
    """
    first, last = DATASETS["atop_alliance"].years or years
    first, last = max(first, years[0]), min(last, years[1])
    kinds = ", ".join(f"MAX(a.atop_{k})::INTEGER AS atop_{k}" for k in ATOP_KINDS)
    members = (
        "SELECT DISTINCT ccode1 AS ccode, year::INTEGER AS year FROM cow_ddy "
        f"WHERE year BETWEEN {first} AND {last}"
    )
    states = con.execute(f"{members} ORDER BY year, ccode").df()
    ties = con.execute(
        f"SELECT a.ccode1, a.ccode2, a.year::INTEGER AS year, {kinds} FROM atop_alliance a "
        f"JOIN ({members}) m1 ON m1.ccode = a.ccode1 AND m1.year = a.year "
        f"JOIN ({members}) m2 ON m2.ccode = a.ccode2 AND m2.year = a.year "
        "WHERE a.ccode1 <> a.ccode2 GROUP BY ALL ORDER BY year, a.ccode1, a.ccode2"
    ).df()
    bare = sorted(set(states["year"]) - set(ties["year"]))
    if bare:
        pairs = states[states["year"].isin(bare)].groupby("year")["ccode"].agg(["min", "max"])
        pairs = pairs[pairs["min"] != pairs["max"]]
        empty = pd.DataFrame(
            {
                "ccode1": pairs["min"].to_numpy(),
                "ccode2": pairs["max"].to_numpy(),
                "year": pairs.index.to_numpy(),
                **{f"atop_{k}": 0 for k in ATOP_KINDS},
            }
        )
        ties = pd.concat([ties, empty], ignore_index=True)
    return ties, states
