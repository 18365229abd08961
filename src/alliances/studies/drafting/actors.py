"""The sides of a draft: states, coalitions and organisations (rule A1).

:func:`resolve_actor` reads what a user names (a state, a list of states, an
organisation) as an :class:`Actor` of a year; :func:`without` reads an organisation the
target belongs to as its other members; :func:`scenario_actors` writes the three actors
as the scenario's actors and memberships.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import duckdb

from alliances import countries
from alliances.errors import AlliancesError, DataError
from alliances.typing import SideRef
from alliances.world import queries
from alliances.world.connection import table_names
from alliances.world.registry import DATASETS

__all__ = ["Actor", "check_sides", "resolve_actor", "scenario_actors", "without"]


@dataclass(frozen=True)
class Actor:
    """A side of a draft: one state, or a coalition or organisation of several.

    ``id`` is the scenario's actor id, ``codes`` the COW codes of the members, and
    ``source`` where the membership comes from (None for a single state).
    """

    id: str
    name: str
    codes: tuple[int, ...]
    states: tuple[str, ...] = ()
    source: str | None = None
    organisation: bool = False

    @property
    def is_group(self) -> bool:
        """Whether the actor is a coalition or an organisation rather than one state."""
        return len(self.codes) > 1 or self.source is not None


def resolve_actor(
    ref: SideRef,
    year: int,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    label: str = "actor",
) -> Actor:
    """The :class:`Actor` that ``ref`` names in ``year``: a state (any name, ISO or COW
    code), a list of states (a coalition), or ``{"organisation": ID}`` / ``"org:ID"``
    for an organisation of the membership table (members from COW IGO where it is a COW
    IGO and the store covers the year, rule A1)."""
    if isinstance(ref, Mapping):
        return _organisation(str(ref.get("organisation", "")), year, con)
    if isinstance(ref, str) and ref.lower().startswith("org:"):
        return _organisation(ref[4:], year, con)
    if isinstance(ref, str) and "+" in ref:
        ref = [part.strip() for part in ref.split("+")]
    if isinstance(ref, str | int):
        country = _state(ref, label, year)
        return Actor(country.code, country.name, (int(country.cow or 0),), (country.code,))
    members = [_state(r, label, year) for r in ref]
    named: dict[str, Any] = {}
    for given, member in zip(ref, members, strict=True):
        if member.code in named:
            msg = (
                f"{label}: {member.name} is listed twice ({named[member.code]!r} and "
                f"{given!r}); name each member of a coalition once"
            )
            raise DataError(msg)
        named[member.code] = given
    if len(members) == 1:
        return resolve_actor(members[0].code, year, con=con, label=label)
    ident = "+".join(m.code for m in members)
    return Actor(
        ident,
        " and ".join(m.name for m in members),
        tuple(int(m.cow or 0) for m in members),
        tuple(m.code for m in members),
        "coalition named by the user",
    )


def _state(ref: str | int, label: str, year: int) -> countries.Country:
    """The state ``ref`` names, with the COW code it has in ``year``: Serbia, which COW
    lists as Yugoslavia (345), is 345 in 2014."""
    try:
        country = countries.resolve(ref)
        code = country.cow if country.cow is not None else countries.cow_in(ref, year)
    except (AlliancesError, ValueError, TypeError) as error:
        msg = f"{label}: {error}"
        raise DataError(msg) from None
    if code is not None and country.cow is None:
        country = replace(country, cow=code)
    if country.cow is None:
        msg = f"{label}: {country.name} has no COW code, so the world data cannot describe it"
        raise DataError(msg)
    return country


def _organisation(ident: str, year: int, con: duckdb.DuckDBPyConnection | None) -> Actor:
    from alliances.world.organisations import load_organisations

    table = load_organisations()
    ident = {key.lower(): key for key in table}.get(ident.lower(), ident)
    if ident not in table:
        msg = f"unknown organisation {ident!r}; expected one of: {', '.join(sorted(table))}"
        raise DataError(msg)
    org = table[ident]
    codes: list[int] = []
    source = f"membership table of alliances ({org.id})"
    igo = getattr(org, "cow_igo", None)
    if igo and con is not None and "igo_membership" in table_names(con):
        covered = DATASETS["igo_membership"].years
        if covered and covered[0] <= year <= covered[1]:
            codes = queries.igo_members(con, igo, year)
            source = f"COW IGO v3 (igo_membership), full members of {igo} in {year}"
    if not codes:
        codes = list(org.members_in(year))
    if not codes:
        msg = f"organisation {ident!r} has no members in {year}"
        raise DataError(msg)
    states = tuple(countries.resolve(c).code for c in codes)
    return Actor(ident, org.name, tuple(codes), states, source, organisation=True)


def check_sides(d: Actor, t: Actor, p: Actor, year: int) -> None:
    """Raise :class:`~alliances.errors.DataError` if the divider ``d`` shares a member with
    the partner ``p`` (the target ``t`` aside: an organisation it belongs to is read as
    its other members, and a target inside a side is refused with the triad)."""
    target = set(t.codes)
    partner = set(p.codes) - target
    shared = [s for c, s in zip(d.codes, d.states, strict=True) if c in partner]
    if not shared:
        return
    when = f" in {year}" if p.organisation else ""
    where = f"a member of {p.name}{when}" if p.is_group else "the partner"
    who = d.name if not d.is_group else f"{', '.join(shared)} (of {d.name})"
    msg = (
        f"divider: {who} is also {where}; the divider pulls the target away from the "
        "partner, so the two must not share a member"
    )
    raise DataError(msg)


def without(actor: Actor, code: int) -> Actor:
    """``actor`` without the member of COW code ``code``: an organisation the target
    belongs to is read as its other members (a state or coalition is left as it is)."""
    if not actor.organisation or code not in actor.codes or len(actor.codes) < 2:
        return actor
    keep = [(c, s) for c, s in zip(actor.codes, actor.states, strict=True) if c != code]
    return replace(actor, codes=tuple(c for c, _ in keep), states=tuple(s for _, s in keep))


def scenario_actors(
    d: Actor, t: Actor, p: Actor
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The scenario's actors (the states, then each group with its members not yet
    listed) and memberships of the divider ``d``, target ``t`` and partner ``p``."""
    actors: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    seen: set[str] = set()
    for actor in (d, t, p):
        if not actor.is_group:
            actors.append({"state": actor.id})
            seen.add(actor.id)
    for actor in (d, p):
        if actor.is_group:
            actors.append({"id": actor.id, "organisation": actor.name, "kind": "political"})
            for code in actor.states:
                if code not in seen:
                    actors.append({"state": code})
                    seen.add(code)
                memberships.append({"member": code, "bloc": actor.id, "source": actor.source})
    return actors, memberships
