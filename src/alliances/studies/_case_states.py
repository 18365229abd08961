"""The states of a wedge attempt: members of the COW state system in its start year.

Private to :mod:`alliances.studies.cases` (whose docstring, under *States*, says how a
state may be written). :data:`CaseState` reads a state for the case's ``start_year``:
a name or code is resolved as :func:`alliances.countries.resolve` reads it that year, and a
state outside the COW state system that year is refused with its years and the states of
that year with a similar name.

References
----------
Correlates of War Project (2017). State System Membership List, v2016.
https://correlatesofwar.org/data-sets/state-system-membership/
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationInfo

from alliances import countries
from alliances.errors import UnknownCountryError
from alliances.world.organisations import State

__all__ = ["CaseState", "start_year"]


def start_year(info: ValidationInfo) -> int | None:
    """The case's ``start_year`` once validated (None before, or if it failed)."""
    year = info.data.get("start_year")
    return year if isinstance(year, int) else None


def _state_of_the_year(value: Any, info: ValidationInfo) -> Any:
    """A state written as a name or code, read for ``start_year`` (see *States*).

    Anything else, and a name of no COW state that year (``Prussia`` in 1900), goes on to
    :class:`State` as written, which says what to write instead.
    """
    year = start_year(info)
    if year is None or isinstance(value, bool) or not isinstance(value, str | int):
        return value
    try:
        found = countries.resolve(value, year=year)
    except UnknownCountryError as err:
        try:
            countries.resolve(value)
        except UnknownCountryError:
            raise ValueError(str(err)) from None
        msg = (
            f"{value!r} names two states of {year}, {' and '.join(err.suggestions)} (the "
            "ISO3 code of one, the COW letters of the other); write the state's name or COW "
            "number"
        )
        raise ValueError(msg) from None
    if found.cow is None:
        return value
    name = value.strip() if isinstance(value, str) else found.name
    return {"name": name, "country": found.name, "cow": found.cow}


def _in_the_system(state: State, info: ValidationInfo) -> State:
    """Refuse a state that is not a member of the COW state system in ``start_year``."""
    year = start_year(info)
    if year is None:
        return state
    try:
        spans = countries.cow_years(state.cow)
    except UnknownCountryError:
        spans = ()
    if any(first <= year and (last is None or year <= last) for first, last in spans):
        return state
    also = f", {state.country}" if state.country != state.name else ""
    who = f"{state.name!r} (COW {state.cow}{also})"
    if not spans:
        msg = (
            f"{who} is not in the COW state system list (v2016); expected a member of the "
            f"COW state system in start_year {year}"
        )
        raise ValueError(msg)
    msg = (
        f"{who} is in the COW state system {_spans(spans)}, not in start_year {year}; "
        f"expected a state of {year}{_similar(state, year)}"
    )
    raise ValueError(msg)


def _spans(spans: tuple[tuple[int, int | None], ...]) -> str:
    parts = [f"{a}–{b}" if b is not None else f"from {a}" for a, b in spans]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


# Words too common in state names to tell them apart.
_COMMON = frozenset(
    {
        "republic", "kingdom", "united", "democratic", "people's", "federal", "state",
        "states", "empire", "north", "south", "east", "west", "islamic", "arab", "grand",
        "great", "duchy", "of", "the", "and",
    }
)  # fmt: skip


def _similar(state: State, year: int) -> str:
    """A hint: the states of ``year`` that share the first word of the state's names."""
    stems = set()
    for name in (state.name, state.country):
        words = [w for w in name.lower().replace("-", " ").split() if w not in _COMMON]
        if words and len(words[0]) >= 4:
            stems.add(words[0][:5])
    found = [
        f"{c.name} ({c.cowc}, {c.cow})"
        for c in countries.cow_states_in(year)
        if c.cow != state.cow
        and any(w.startswith(stem) for w in c.name.lower().split() for stem in stems)
    ]
    return f", such as {', '.join(found[:3])}" if found else ""


CaseState = Annotated[State, BeforeValidator(_state_of_the_year), AfterValidator(_in_the_system)]
"""A state of a case: a member of the COW state system in the case's ``start_year``."""
