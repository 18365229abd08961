"""What the world data say of an article's actors: the ties the ``grounded`` role model
reads (:mod:`alliances.ingest.role_model`).

An article rarely says which of two powers is the incumbent and which the newcomer; the
data often do. For every ordered pair of the states an article names,
:func:`world_ties` gives whether they are allied (an ATOP defence pact), the share of the
second's arms imports the first supplied (SIPRI) and whether they are strategic rivals
(Thompson and Dreyer), as of the article's year (or each dataset's last year).

Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance Treaty
Obligations and Provisions, 1815–1944. *International Interactions* 28(3), 237–260.
SIPRI Arms Transfers Database (Stockholm International Peace Research Institute).
Thompson, W. R. and Dreyer, D. R. (2012). *Handbook of International Rivalries,
1494–2010*. CQ Press.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from alliances import countries
from alliances.errors import UnknownCountryError
from alliances.ingest._types import Mention
from alliances.ingest.question import Ties
from alliances.world.queries import pair_ties
from alliances.world.store import table_names

__all__ = ["TIE_TABLES", "world_ties"]

TIE_TABLES = frozenset({"atop_alliance", "sipri_tiv", "td_rivalries"})
"""The store's tables :func:`world_ties` reads."""


def world_ties(
    con: duckdb.DuckDBPyConnection, mentions: Sequence[Mention], year: int | None
) -> Ties | None:
    """The ties of every ordered pair of the states ``mentions`` name, in ``year``; None
    without a year or when the store lacks one of :data:`TIE_TABLES` (the text alone
    decides then). Organisations, and states with no COW code, have no ties.

    Examples
    --------
    >>> from alliances.ingest.actors import find_actors
    >>> from alliances.world import connect
    >>> con = connect()  # doctest: +SKIP
    >>> named = find_actors("Seoul, Washington and Beijing")
    >>> ties = world_ties(con, named, 2016)  # doctest: +SKIP
    >>> ties[("KOR", "USA")]  # allied; no arms to the US; no rivalry  # doctest: +SKIP
    (1.0, 0.0..., 0.0)
    """
    if year is None:
        return None
    if not set(table_names(con)) >= TIE_TABLES:
        return None
    cow: dict[int, str] = {}
    for actor in sorted({m.actor for m in mentions if m.kind == "state"}):
        try:
            code = countries.resolve(actor).cow
        except UnknownCountryError:
            continue
        if code is not None:
            cow.setdefault(int(code), actor)
    rows = pair_ties(con, list(cow), year)
    return {
        (cow[int(r.a)], cow[int(r.b)]): (float(r.allied), float(r.arms), float(r.rivals))
        for r in rows.itertuples(index=False)
    }
