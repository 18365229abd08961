"""Point queries of the store: the rows the studies read, as pandas frames or plain values.

The panels (:mod:`alliances.world.panel`) give whole dyad-years with their covariates;
these functions give the raw rows a study needs besides (one dyad's trade over a few
years, a year's alliance ties, the UN votes of a session …). Each takes an open
connection to the store and says which table it reads; a table the store does not hold
is a :class:`duckdb.CatalogException`, so callers check :func:`~alliances.world.store.
table_names` first when a dataset is optional. Together with the panel and the store,
this is all the SQL of the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from alliances._codes import ATOP_KINDS
from alliances.world.connection import table_names
from alliances.world.covariates import trade_flows
from alliances.world.panel import DyadYears

__all__ = [
    "DRAFT_TABLES",
    "GDP_SQL",
    "arms_transfers",
    "atop_pairs",
    "atop_ties",
    "dataset_record",
    "draft_rows",
    "dyad_trade",
    "gdp_rows",
    "igo_members",
    "igo_shared_comparison",
    "major_powers",
    "pair_ties",
    "panel_rows",
    "shared_igo_names",
    "state_trade",
    "system_states",
    "table_frame",
    "un_roll_calls",
    "un_votes",
    "years_held",
]


def panel_rows(panel: DyadYears, dyad: tuple[int, int] | None = None) -> pd.DataFrame:
    """The rows of a dyad-year panel as DuckDB converts them (NumPy columns, nullable
    integers); with ``dyad=(a, b)``, only the rows (a, b) and (b, a).

    Unlike :meth:`DyadYears.to_pandas`, the frame carries no ``attrs``.
    """
    if dyad is None:
        return panel.con.sql(panel.sql()).df()
    a, b = int(dyad[0]), int(dyad[1])
    return panel.con.execute(
        f"SELECT * FROM ({panel.sql()}) WHERE (ccode1 = ? AND ccode2 = ?) OR "
        "(ccode1 = ? AND ccode2 = ?)",
        [a, b, b, a],
    ).df()


def dataset_record(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    """The provenance row of dataset ``name`` (title, version, sha256 …), or None if the
    store has not loaded it."""
    cursor = con.execute("SELECT * FROM datasets WHERE name = ?", [name])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def dyad_trade(
    con: duckdb.DuckDBPyConnection, a: int, b: int, years: tuple[int, int]
) -> pd.DataFrame:
    """COW dyadic trade of ``a`` with ``b`` (COW codes) in ``years`` (inclusive): columns
    ``year``, ``imports`` (a's imports from b) and ``exports`` (a's exports to b), current
    USD million, one row per year the source records the pair (values may be missing).

    The same flows as the panel's ``trade_imports`` and ``trade_exports`` of row (a, b);
    reads ``cow_trade_ndy``.
    """
    a, b = int(a), int(b)
    imports, exports = trade_flows("TRUE" if a < b else "FALSE")
    return con.execute(
        f"SELECT tr.year, {imports} AS imports, {exports} AS exports FROM cow_trade_ndy tr "
        "WHERE tr.ccode1 = ? AND tr.ccode2 = ? AND tr.year BETWEEN ? AND ? ORDER BY tr.year",
        [min(a, b), max(a, b), int(years[0]), int(years[1])],
    ).df()


def state_trade(
    con: duckdb.DuckDBPyConnection, years: tuple[int, int], ccode: int | None = None
) -> pd.DataFrame:
    """Total imports and exports of every state (or of ``ccode``) in ``years``
    (inclusive): columns ``ccode``, ``year``, ``imports``, ``exports``, current USD
    million; reads ``cow_trade_sy``."""
    sql = "SELECT ccode, year, imports, exports FROM cow_trade_sy WHERE year BETWEEN ? AND ?"
    params: list[Any] = [int(years[0]), int(years[1])]
    if ccode is not None:
        sql += " AND ccode = ?"
        params.append(int(ccode))
    return con.execute(sql, params).df()


def arms_transfers(
    con: duckdb.DuckDBPyConnection,
    years: tuple[int, int],
    *,
    supplier: int | None = None,
    recipient: int | None = None,
) -> pd.DataFrame:
    """SIPRI arms transfers in ``years`` (inclusive), optionally of one supplier and one
    recipient (COW codes): columns ``supplier_cown``, ``recipient_cown``, ``year``,
    ``value`` (TIV million), one row per deal-year as the source gives them; reads
    ``sipri_tiv``."""
    sql = (
        "SELECT supplier_cown, recipient_cown, year, value FROM sipri_tiv "
        "WHERE year BETWEEN ? AND ?"
    )
    params: list[Any] = [int(years[0]), int(years[1])]
    for column, code in (("supplier_cown", supplier), ("recipient_cown", recipient)):
        if code is not None:
            sql += f" AND {column} = ?"
            params.append(int(code))
    return con.execute(sql, params).df()


def atop_ties(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Every row of ATOP's directed dyad-year obligations in ``year`` (``ccode1``,
    ``ccode2``, ``year`` and the ``atop_<kind>`` flags); reads ``atop_alliance``."""
    return con.execute("SELECT * FROM atop_alliance WHERE year = ?", [int(year)]).df()


def atop_pairs(con: duckdb.DuckDBPyConnection, years: tuple[int, int]) -> pd.DataFrame:
    """The directed pairs with an ATOP obligation of any kind in each of ``years``
    (inclusive): columns ``year``, ``ccode1``, ``ccode2`` (state 1 owes state 2), sorted;
    reads ``atop_alliance``."""
    flags = " OR ".join(f"atop_{kind} > 0" for kind in ATOP_KINDS)
    return con.execute(
        "SELECT DISTINCT year, ccode1, ccode2 FROM atop_alliance "
        f"WHERE year BETWEEN ? AND ? AND ccode1 <> ccode2 AND ({flags}) ORDER BY 1, 2, 3",
        [int(years[0]), int(years[1])],
    ).df()


def pair_ties(con: duckdb.DuckDBPyConnection, codes: Sequence[int], year: int) -> pd.DataFrame:
    """What the data say of every ordered pair of the states ``codes`` (COW) in ``year``.

    Columns ``a``, ``b`` and

    * ``allied``: 1 when ATOP records a defence obligation between them, either way, in
      ``year`` (or ATOP's last year, when ``year`` is later);
    * ``arms``: the share of ``b``'s arms imports (SIPRI TIV) supplied by ``a`` over the
      ten years to ``year`` (or SIPRI's last year), 0 when ``b`` imported none;
    * ``rivals``: 1 when Thompson and Dreyer (2012) count them strategic rivals in
      ``year`` (or the last year their data cover).

    Reads ``atop_alliance``, ``sipri_tiv`` and ``td_rivalries``.
    """
    unique = sorted({int(c) for c in codes})
    if len(unique) < 2:
        return pd.DataFrame(columns=["a", "b", "allied", "arms", "rivals"])
    return con.execute(
        """
        WITH s AS (SELECT UNNEST(?::INTEGER[]) AS code),
        pairs AS (SELECT x.code AS a, y.code AS b FROM s AS x, s AS y WHERE x.code <> y.code),
        atop_year AS (SELECT LEAST(?, MAX(year)) AS y FROM atop_alliance),
        tiv_year AS (SELECT LEAST(?, MAX(year)) AS y FROM sipri_tiv),
        ally AS (
            SELECT DISTINCT ccode1 AS a, ccode2 AS b FROM atop_alliance, atop_year
            WHERE year = atop_year.y AND atop_defense > 0
        ),
        imports AS (
            SELECT supplier_cown AS a, recipient_cown AS b, SUM(value) AS tiv
            FROM sipri_tiv, tiv_year WHERE year BETWEEN tiv_year.y - 10 AND tiv_year.y
            AND recipient_cown IN (SELECT code FROM s) GROUP BY 1, 2
        ),
        total AS (SELECT b, SUM(tiv) AS tiv FROM imports GROUP BY 1),
        rival_year AS (SELECT LEAST(?, MAX(endyear)) AS y FROM td_rivalries)
        SELECT p.a, p.b,
            CAST(EXISTS (SELECT 1 FROM ally WHERE (ally.a = p.a AND ally.b = p.b)
                OR (ally.a = p.b AND ally.b = p.a)) AS DOUBLE) AS allied,
            COALESCE((SELECT i.tiv FROM imports AS i WHERE i.a = p.a AND i.b = p.b)
                / NULLIF((SELECT t.tiv FROM total AS t WHERE t.b = p.b), 0), 0.0) AS arms,
            CAST(EXISTS (SELECT 1 FROM td_rivalries AS r, rival_year
                WHERE ((r.ccode1 = p.a AND r.ccode2 = p.b) OR (r.ccode1 = p.b AND r.ccode2 = p.a))
                AND rival_year.y BETWEEN r.styear AND COALESCE(r.endyear, 9999)) AS DOUBLE)
                AS rivals
        FROM pairs AS p ORDER BY 1, 2
        """,
        [unique, int(year), int(year), int(year)],
    ).df()


def major_powers(con: duckdb.DuckDBPyConnection, years: tuple[int, int]) -> pd.DataFrame:
    """The COW major powers of each of ``years`` (inclusive): columns ``year``,
    ``ccode``, sorted; a state counts in a year that any of its spells touches; reads
    ``cow_majors``."""
    return con.execute(
        "SELECT DISTINCT y.year, m.ccode FROM range(?, ? + 1) AS y(year) "
        "JOIN cow_majors AS m ON y.year BETWEEN m.styear AND m.endyear ORDER BY 1, 2",
        [int(years[0]), int(years[1])],
    ).df()


_SPANS = {
    "atop_alliance": ("year", "year"),
    "cow_ddy": ("year", "year"),
    "cow_majors": ("styear", "endyear"),
}


def years_held(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int] | None:
    """The first and last year ``table`` of the store holds (``atop_alliance`` and
    ``cow_ddy``, the COW state system's dyads, by their rows' years; ``cow_majors`` by its
    spells), or None when it holds no row or has no such table."""
    if table not in table_names(con):
        return None
    first, last = _SPANS[table]
    row = con.execute(f"SELECT MIN({first})::INTEGER, MAX({last})::INTEGER FROM {table}")
    held = row.fetchone()
    return None if held is None or held[0] is None else (int(held[0]), int(held[1]))


def system_states(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The states of the COW system in ``year``: columns ``ccode``, ``year``; reads
    ``cow_ddy``."""
    return con.execute(
        "SELECT DISTINCT ccode1 AS ccode, year FROM cow_ddy WHERE year = ?", [int(year)]
    ).df()


def shared_igo_names(con: duckdb.DuckDBPyConnection, a: int, b: int, year: int) -> list[str]:
    """The organisations ``a`` and ``b`` both belong to (full or associate members) in
    ``year``, upper-case and sorted; reads ``igo_membership``."""
    rows = con.execute(
        "SELECT DISTINCT upper(a.ioname) FROM igo_membership a JOIN igo_membership b "
        "ON a.ioname = b.ioname AND a.year = b.year WHERE a.ccode = ? AND b.ccode = ? "
        "AND a.year = ? AND a.status IN (1, 2) AND b.status IN (1, 2) ORDER BY 1",
        [int(a), int(b), int(year)],
    ).fetchall()
    return [row[0] for row in rows]


def igo_shared_comparison(con: duckdb.DuckDBPyConnection) -> tuple[int, int, float]:
    """Shared IGO memberships of every dyad-year recomputed from ``igo_membership`` (full
    or associate in both) against ``cow_igo_ndy``'s ``dyadigos``: (dyad-years compared,
    dyad-years that differ, largest difference); a dyad-year in one only counts as 0 in
    the other."""
    row = con.execute(
        """
        WITH m AS (SELECT ccode, year, ioname FROM igo_membership WHERE status IN (1, 2)),
        ours AS (
            SELECT a.ccode AS ccode1, b.ccode AS ccode2, a.year, COUNT(*) AS n
            FROM m a JOIN m b ON a.ioname = b.ioname AND a.year = b.year AND a.ccode < b.ccode
            GROUP BY ALL
        )
        SELECT COUNT(*), SUM(CASE WHEN COALESCE(o.n, 0) <> COALESCE(p.dyadigos, 0)
                                  THEN 1 ELSE 0 END),
               MAX(ABS(COALESCE(o.n, 0) - COALESCE(p.dyadigos, 0)))
        FROM ours o FULL OUTER JOIN cow_igo_ndy p
          ON o.ccode1 = p.ccode1 AND o.ccode2 = p.ccode2 AND o.year = p.year
        """
    ).fetchone()
    if row is None:  # an aggregate always gives a row
        return 0, 0, 0.0
    return int(row[0]), int(row[1] or 0), float(row[2] or 0.0)


def un_votes(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int | None = None,
    states: Sequence[int] | None = None,
) -> pd.DataFrame:
    """UN General Assembly votes with a COW code: columns ``rcid``, ``ccode``, ``vote``,
    ``session``; only the roll calls held in ``year`` and the votes of ``states`` when
    given. Reads ``un_votes`` and ``un_roll_calls``."""
    sql = (
        "SELECT v.rcid, v.ccode, v.vote, r.session FROM un_votes v "
        "JOIN un_roll_calls r USING (rcid) WHERE v.ccode IS NOT NULL"
    )
    params: list[Any] = []
    if year is not None:
        sql += " AND year(r.date) = ?"
        params.append(int(year))
    if states is not None:
        codes = [int(s) for s in states]
        if not codes:
            sql += " AND FALSE"
        else:
            sql += f" AND v.ccode IN ({', '.join('?' for _ in codes)})"
            params += codes
    return con.execute(sql, params).df()


def un_roll_calls(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every UN General Assembly roll call: columns ``rcid``, ``session``, ``amend``,
    ``para``; reads ``un_roll_calls``."""
    return con.execute("SELECT rcid, session, amend, para FROM un_roll_calls").df()


def table_frame(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """Every row of the store's table ``name`` (a published table read as a whole, such
    as ``unga_agreement`` or ``signnet_tribes``)."""
    return con.table(name).df()


_IN = "list_contains($3::INTEGER[], {})"
_YEARS = "year BETWEEN $1 AND $2"

DRAFT_TABLES: dict[str, str] = {
    "cow_nmc": f"SELECT ccode, year, milex FROM cow_nmc WHERE {_YEARS} AND milex >= 0 "
    f"AND {_IN.format('ccode')}",
    "cow_trade_ndy": "SELECT ccode1, ccode2, year, flow1, flow2 FROM cow_trade_ndy "
    f"WHERE {_YEARS} AND ({_IN.format('ccode1')} OR {_IN.format('ccode2')})",
    "cow_trade_sy": "SELECT ccode, year, imports, exports FROM cow_trade_sy "
    f"WHERE {_YEARS} AND {_IN.format('ccode')}",
    "sipri_tiv": "SELECT supplier_cown AS supplier, recipient_cown AS recipient, year, "
    f"SUM(value) AS tiv FROM sipri_tiv WHERE {_YEARS} AND supplier_cown IS NOT NULL "
    "AND recipient_cown IS NOT NULL "
    f"AND ({_IN.format('supplier_cown')} OR {_IN.format('recipient_cown')}) GROUP BY ALL",
    "atop_alliance": f"SELECT * FROM atop_alliance WHERE {_YEARS} "
    f"AND {_IN.format('ccode1')} AND {_IN.format('ccode2')}",
    "tss_rivalries": 'SELECT ccode1, ccode2, start, "end" FROM tss_rivalries '
    'WHERE start <= $2 AND "end" >= $1 '
    f"AND {_IN.format('ccode1')} AND {_IN.format('ccode2')}",
    "cow_mid_ddydisps": "SELECT DISTINCT ccode1, ccode2, year FROM cow_mid_ddydisps "
    f"WHERE {_YEARS} AND {_IN.format('ccode1')} AND {_IN.format('ccode2')}",
    "cow_war_inter": "SELECT DISTINCT ccode1, ccode2, year FROM cow_war_inter "
    f"WHERE {_YEARS} AND {_IN.format('ccode1')} AND {_IN.format('ccode2')}",
    "cow_contdir": "SELECT ccode1, ccode2, MIN(conttype) AS conttype FROM cow_contdir "
    "WHERE year(stdate) <= $2 AND year(enddate) >= $1 AND conttype BETWEEN 1 AND 3 "
    f"AND {_IN.format('ccode1')} AND {_IN.format('ccode2')} GROUP BY ALL",
    "unga_idealpoints": "SELECT ccode, year, idealpointfp AS idealpoint FROM unga_idealpoints "
    f"WHERE {_YEARS} AND ccode IS NOT NULL AND {_IN.format('ccode')}",
    "cow_igo_ndy": "SELECT ccode1, ccode2, year, dyadigos FROM cow_igo_ndy "
    f"WHERE {_YEARS} AND {_IN.format('ccode1')} AND {_IN.format('ccode2')}",
    "cow_igo_sy": "SELECT ccode, year, sum_igo_full + sum_igo_associate AS igos "
    f"FROM cow_igo_sy WHERE {_YEARS} AND {_IN.format('ccode')}",
    "cw_democracy": "SELECT ccode, year, v2x_polyarchy FROM cw_democracy "
    f"WHERE {_YEARS} AND {_IN.format('ccode')}",
}
"""The rows a draft reads from each dataset: the SQL, with the first and last year
(``$1``, ``$2``) and the COW codes of interest (``$3``, a list) as parameters (see
:func:`draft_rows`)."""


def draft_rows(
    con: duckdb.DuckDBPyConnection, name: str, years: tuple[int, int], codes: Sequence[int]
) -> pd.DataFrame:
    """The rows of dataset ``name`` (a key of :data:`DRAFT_TABLES`) in ``years``
    (inclusive) that involve the COW ``codes``: for state-year tables, those states; for
    dyadic tables, the dyads with a state of ``codes`` on the side(s) the SQL says."""
    params = [int(years[0]), int(years[1]), [int(c) for c in codes]]
    return con.execute(DRAFT_TABLES[name], params).df()


def igo_members(con: duckdb.DuckDBPyConnection, ioname: str, year: int) -> list[int]:
    """COW codes of the full members (status 1) of the COW IGO ``ioname`` (lower case, as
    COW IGO v3 spells it) in ``year``, sorted; reads ``igo_membership``."""
    rows = con.execute(
        "SELECT DISTINCT ccode FROM igo_membership WHERE lower(ioname) = lower(?) "
        "AND year = ? AND status = 1 ORDER BY 1",
        [ioname, int(year)],
    ).fetchall()
    return [int(row[0]) for row in rows]


GDP_SQL = (
    "SELECT ccode, year, pwtrgdp AS gdp FROM cw_gdppop WHERE year BETWEEN $1 AND $2 "
    "AND pwtrgdp IS NOT NULL AND list_contains($3::INTEGER[], ccode)"
)
"""The rows of ``cw_gdppop`` a v2 draft reads (``$1``, ``$2``: the window; ``$3``: COW
codes): Fariss et al. (2022) GDP, million 2017 international dollars."""


def gdp_rows(
    con: duckdb.DuckDBPyConnection, years: tuple[int, int], codes: Sequence[int]
) -> pd.DataFrame:
    """The store's GDP rows (``ccode``, ``year``, ``gdp``) of ``codes`` in
    ``years`` (inclusive), read from ``cw_gdppop`` by :data:`GDP_SQL`."""
    params = [int(years[0]), int(years[1]), [int(c) for c in codes]]
    return con.execute(GDP_SQL, params).df()
