"""How alliance memberships ended: ATOP's termination codes decoded into classes.

The ATOP member-level file (Leeds 2018, v4.0) has one row per member and *phase* of an
alliance, and says how each ended in two codes: TERMMODE (the mode of termination) and
TERMCAUS (its cause). :data:`EXIT_CODES` decodes every pair that occurs into one of seven
classes (:data:`EXIT_CLASSES`); :func:`memberships` merges the phases of one alliance into
one membership (a phase that ends by *replacement or new phase* is continued by the next
phase of the same member), so that a membership ends once, in one class.

The event the forecast predicts is ``early_exit``: the member left before the treaty's
term, on its own account (withdrawal or denunciation, violation, war between members).

How the codes were decoded
--------------------------
The codebook's value labels could not be read here (the ATOP 4.0 files carry none, and no
copy of the codebook was reachable), so each pair was decoded from the data and checked
on named cases; the decoding was fixed in ``docs/forecast.md`` before anything was
scored. TERMMODE 0 is a membership in force (YREXIT 0, INEFFECT 1); 1 ends at the
treaty's scheduled date (LENGTH months after entry: Albania–Bulgaria 1947–1967), with
TERMCAUS 4 where a member declined to renew; 2 is a new phase or a replacement treaty
(the Triple Alliance's renewals, NATO's 1951 phase); 3 ends a membership before its term
by a member's decision or act, TERMCAUS saying how: 4 a withdrawal, denunciation or
suspension (Albania 1968, Egypt 1976, Iraq 1959, New Zealand 1986), 6 war between the
allies (Italy 1915, India–Pakistan 1971), 7 a member's realignment in a war with outsiders
(Pakistan and SEATO 1972), 8 other acts against the alliance (Austria and Russia, 1853):
these are the event. TERMCAUS 3 under TERMMODE 3 is a dissolution the members agreed
(SEATO 1977, CENTO 1979) and 5 an early end settled together (9 rows): not the event.
TERMMODE 4 is a member's loss of independence (TERMCAUS 2), 5 the end of the war the
alliance was made for (TERMCAUS 3), and 6 a member's defeat or collapse in a war
(TERMCAUS 7 or 8: the Central Powers 1918, France's pacts of 1940).

References
----------
.. [1] Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance
   Treaty Obligations and Provisions, 1815–1944. *International Interactions* 28(3):
   237–260.
.. [2] Leeds, B. A. (2018). *Alliance Treaty Obligations and Provisions (ATOP) Codebook*,
   version 4.0. atopdata.org (not reachable here: see above).
.. [3] Leeds, B. A. and Savun, B. (2007). Terminating alliances: Why do states abrogate
   agreements? *Journal of Politics* 69(4): 1118–1132.
"""

from __future__ import annotations

import itertools

import duckdb
import numpy as np
import pandas as pd

from alliances.errors import DataError
from alliances.world._sql import Join, in_range, zero_filled
from alliances.world.registry import DATASETS

__all__ = [
    "EVENT",
    "EXIT_CLASSES",
    "EXIT_CODES",
    "SPELLS",
    "alliance_exits_join",
    "covariate_rows",
    "decode",
    "memberships",
    "phase_provisions",
    "register_spells",
]

EVENT = "early_exit"
"""The class of the event: a member's early exit on its own account."""

EXIT_CLASSES: dict[str, str] = {
    "early_exit": "left before the treaty's term on its own account (withdrawal, "
    "denunciation, violation, war between members)",
    "early_consent": "ended before its term by the members' common consent",
    "expiry": "ran its term (as scheduled, or a member declined to renew it)",
    "replaced": "replaced by a new agreement (another ATOP alliance)",
    "fulfilled": "did what it was made for (the war it was made for ended)",
    "lost_independence": "a member ceased to be an independent state",
    "overtaken_by_war": "ended by a member's defeat or collapse in a war",
}
"""The classes a membership can end in, with what each means."""

EXIT_CODES: dict[tuple[int, int | None], str] = {
    (1, 1): "expiry",
    (1, 3): "expiry",
    (1, 4): "expiry",
    (1, None): "expiry",
    (2, 1): "replaced",
    (2, 4): "replaced",
    (3, 3): "early_consent",
    (3, 4): "early_exit",
    (3, 5): "early_consent",
    (3, 6): "early_exit",
    (3, 7): "early_exit",
    (3, 8): "early_exit",
    (4, 2): "lost_independence",
    (5, 3): "fulfilled",
    (6, 7): "overtaken_by_war",
    (6, 8): "overtaken_by_war",
}
"""(TERMMODE, TERMCAUS) → class, for every pair the ATOP 4.0 member file holds (TERMCAUS
None: missing). TERMMODE 0 is a membership in force."""

SPELLS = "atop_member_spells"
"""The name under which :func:`register_spells` gives a connection the memberships."""

_MEMBERS = "atop_members_v4"


def decode(termmode: int, termcaus: int | None) -> str | None:
    """The class of a membership that ended with ATOP codes ``termmode``, ``termcaus``
    (None while in force, TERMMODE 0).

    >>> decode(3, 6)
    'early_exit'
    >>> decode(2, 1)
    'replaced'
    >>> decode(0, 0) is None
    True
    """
    if termmode == 0:
        return None
    key = (int(termmode), None if termcaus is None else int(termcaus))
    if key not in EXIT_CODES:
        msg = (
            f"ATOP member file: TERMMODE={termmode}, TERMCAUS={termcaus} is not a pair the "
            f"codebook decoding knows; expected one of {sorted(EXIT_CODES, key=str)}"
        )
        raise DataError(msg)
    return EXIT_CODES[key]


def _read_phases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    try:
        frame = con.execute(
            f"SELECT atopid, member, yrent, yrexit, phase, termmode, termcaus FROM {_MEMBERS}"
        ).df()
    except duckdb.Error:
        msg = (
            f"alliance exits need {_MEMBERS} (the ATOP 4.0 member-level file), which the "
            "store does not hold; add atop_v4/atop-member-level.csv to the data directory "
            "and run `alliances data build`"
        )
        raise DataError(msg) from None
    return frame


def memberships(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per membership: a state's membership of an ATOP alliance, its phases merged.

    Columns: ``atopid``, ``ccode``, ``start_year`` (the year it began), ``end_year`` (the
    last year in force: the year of its end, or the last year of the data while it
    lasts), ``exit_year`` (missing while in force), ``exit_class`` (a key of
    :data:`EXIT_CLASSES`, missing while in force) and ``phases`` (how many ATOP phases it
    spans). A phase ending in ``replaced`` is continued by the same member's next phase
    of the same alliance, if there is one.
    """
    rows = _read_phases(con)
    last_year = (DATASETS[_MEMBERS].years or (1815, 2016))[1]
    rows = rows.sort_values(["atopid", "member", "yrent", "phase"], kind="stable")
    out: list[tuple[int, int, int, int, int | None, str | None, int]] = []
    for (atopid, member), group in rows.groupby(["atopid", "member"], sort=False):
        spell: list[int] = []
        records = group.to_dict("records")
        for i, row in enumerate(records):
            spell.append(int(row["yrent"]))
            caus = row["termcaus"]
            cls = decode(int(row["termmode"]), None if pd.isna(caus) else int(caus))
            continued = cls == "replaced" and i + 1 < len(records)
            if continued:
                continue
            exit_year = None if cls is None else int(row["yrexit"])
            if exit_year is not None and exit_year < spell[0]:
                msg = (
                    f"ATOP member file: alliance {atopid}, member {member} leaves in "
                    f"{exit_year}, before it joined ({spell[0]})"
                )
                raise DataError(msg)
            end = last_year if exit_year is None else exit_year
            out.append((int(atopid), int(member), spell[0], end, exit_year, cls, len(spell)))
            spell = []
    frame = pd.DataFrame(
        out,
        columns=[
            "atopid",
            "ccode",
            "start_year",
            "end_year",
            "exit_year",
            "exit_class",
            "phases",
        ],
    )
    frame = _without_overlaps(frame)
    frame["exit_year"] = frame["exit_year"].astype("Int16")
    frame["exit_class"] = frame["exit_class"].astype("string")
    return frame


def _without_overlaps(frame: pd.DataFrame) -> pd.DataFrame:
    """One membership per alliance, state and year: the file repeats a few member-phases
    (dropped), and a membership that a member's next phase of the same alliance follows
    in its last year (SEATO's 1977 phase) hands that year over (the next one starts a
    year later; one that would then be empty is dropped)."""
    frame = frame.drop_duplicates(["atopid", "ccode", "start_year", "end_year", "exit_class"])
    frame = frame.sort_values(["atopid", "ccode", "start_year", "end_year"], kind="stable")
    previous_end = frame.groupby(["atopid", "ccode"])["end_year"].shift()
    later = previous_end.notna() & (frame["start_year"] <= previous_end)
    frame.loc[later, "start_year"] = previous_end[later].astype(int) + 1
    keep = frame["start_year"] <= frame["end_year"]
    return frame[keep].reset_index(drop=True)


def phase_provisions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The member-phases of ATOP 4.0 with the provisions the exit forecast reads:
    ``atopid``, ``ccode``, ``yrent`` and ``defense``, ``offense``, ``neutral``,
    ``nonagg``, ``consul``, ``intcom``, ``organ1``, ``base``, ``milcon``."""
    _read_phases(con)  # a clear error where the file is missing
    return con.execute(
        "SELECT atopid, member AS ccode, yrent, defense, offense, neutral, nonagg, consul, "
        f"intcom, organ1, base, milcon FROM {_MEMBERS}"
    ).df()


_COVARIATES = {
    "cinc": "SELECT ccode, year, cinc AS value FROM cow_nmc",
    "polity2": "SELECT ccode, year, polity2 AS value FROM cw_democracy",
    "rivalries": 'SELECT ccode1, ccode2, start, "end" FROM tss_rivalries',
    "mids": "SELECT DISTINCT ccode1, ccode2, year FROM cow_mid_ddydisps",
}


def covariate_rows(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """The raw rows of one covariate of the exit forecast: ``cinc`` and ``polity2``
    (``ccode``, ``year``, ``value``; COW NMC, Polity5), ``rivalries`` (TSS spells) or
    ``mids`` (COW MID dyad-years)."""
    try:
        return con.execute(_COVARIATES[name]).df()
    except duckdb.Error as error:
        msg = f"the exit forecast needs the store's {name} ({error}); run `alliances data build`"
        raise DataError(msg) from None


def register_spells(con: duckdb.DuckDBPyConnection) -> None:
    """Give ``con`` the view :data:`SPELLS` of :func:`memberships` (replaced if there)."""
    con.register(SPELLS, memberships(con))


def alliance_exits_join() -> Join:
    """The dyad-year covariate of early exits: ``atop_exit1`` is 1 in the year ccode1 left
    early an alliance in which ccode2 was its co-member that year, ``atop_exit2`` the
    same of ccode2 (0 inside ATOP 4.0's years, missing outside them). Needs
    :func:`register_spells` on the connection."""
    exits = (
        f"(SELECT l.ccode AS leaver, o.ccode AS other, l.exit_year AS year, 1 AS flag "
        f"FROM {SPELLS} l JOIN {SPELLS} o ON o.atopid = l.atopid AND o.ccode <> l.ccode "
        f"AND l.exit_year BETWEEN o.start_year AND o.end_year "
        f"WHERE l.exit_class = '{EVENT}' GROUP BY ALL)"
    )
    covered = in_range(_MEMBERS)
    return Join(
        (
            zero_filled("ex1.flag", "atop_exit1", covered),
            zero_filled("ex2.flag", "atop_exit2", covered),
        ),
        f"LEFT JOIN {exits} ex1 ON ex1.leaver = d.ccode1 AND ex1.other = d.ccode2 "
        "AND ex1.year = d.year "
        f"LEFT JOIN {exits} ex2 ON ex2.leaver = d.ccode2 AND ex2.other = d.ccode1 "
        "AND ex2.year = d.year",
        (_MEMBERS,),
    )


def member_years_sql(years: tuple[int, int]) -> str:
    """The SQL of the member-years of ``years`` from :data:`SPELLS`: one row per
    membership and year in force, with ``start_year``, ``exit_early`` and
    ``exit_class`` (the class in the year the membership ended, else missing)."""
    first, last = years
    lo, hi = DATASETS[_MEMBERS].years or (first, last)
    return (
        "SELECT s.atopid::INTEGER AS atopid, s.ccode::SMALLINT AS ccode, y.year::INTEGER "
        "AS year, s.start_year, "
        f"CASE WHEN y.year = s.exit_year AND s.exit_class = '{EVENT}' THEN 1 ELSE 0 END "
        "AS exit_early, CASE WHEN y.year = s.exit_year THEN s.exit_class END AS exit_class "
        f"FROM {SPELLS} s JOIN range({max(first, lo)}, {min(last, hi) + 1}) y(year) "
        "ON y.year BETWEEN s.start_year AND s.end_year"
    )


def counts_by_era(
    spells: pd.DataFrame, edges: tuple[int, ...] = (1815, 1914, 1945, 1991, 2017)
) -> pd.DataFrame:
    """Memberships ended in each class, by era of their end (``edges`` are the first
    years of the eras and one past the last).

    >>> spells = pd.DataFrame({"exit_year": [1900, 1950, None],
    ...                        "exit_class": ["early_exit", "expiry", None]})
    >>> int(counts_by_era(spells, (1815, 1914, 2017)).loc["1815–1913", "early_exit"])
    1
    """
    ended = spells.dropna(subset=["exit_year"])
    labels = [f"{a}–{b - 1}" for a, b in itertools.pairwise(edges)]
    era = pd.cut(ended["exit_year"].astype("float64"), bins=np.array(edges) - 0.5, labels=labels)
    table = pd.crosstab(era, ended["exit_class"].astype(str)).reindex(
        index=labels, columns=list(EXIT_CLASSES), fill_value=0
    )
    table.index.name = "era"
    table.columns.name = None
    return table
