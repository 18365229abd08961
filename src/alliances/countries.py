"""Identity of states: one place that turns any name or code into a :class:`Country`.

The code list is the one published with the ``countrycode`` package (Arel-Bundock,
Enevoldsen and Yetman 2018), which carries ISO 3166, Correlates of War (COW) and
Gleditsch–Ward (G-W) codes, official and short names, and a regular expression per
country that matches its common English names. This module adds only what that list
lacks: nationality adjectives ("Russian") and capitals or seats of government used as
metonyms ("Moscow", "the Kremlin"), from ``data/country_aliases.csv`` (CIA, *The World
Factbook*, fields "Nationality: adjective" and "Capital").

COW keeps one name per code over all its years (code 345 reads "Yugoslavia" in 2014).
:func:`name_in` gives the name a state bore in a given year, from ``data/state_names.csv``:
the renamings and successions by which the Gleditsch–Ward list of independent states
(Gleditsch and Ward 1999) changes a state's name or code while COW keeps its code, each
with its date. The name is the one in force on 31 December of the year.

Resolution order for a string: ISO3, COW letter code, G-W letter code or ISO2; then an exact
name, adjective or metonym (case and a leading "the" ignored); then the ``countrycode``
regular expressions. Integers are COW numbers unless ``system="gw"``.

References
----------
Arel-Bundock, V., Enevoldsen, N. and Yetman, C. (2018). countrycode: An R package to
convert country names and country codes. *Journal of Open Source Software* 3(28): 848.

Gleditsch, K. S. and Ward, M. D. (1999). A revised list of independent states since the
Congress of Vienna. *International Interactions* 25(4): 393–413.

Examples
--------
>>> resolve("the Kremlin").iso3
'RUS'
>>> resolve(630).name
'Iran'
>>> resolve("Iranian").cow
630
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from countrycode.countrycode import prepare_codelist

from alliances.errors import UnknownCountryError

__all__ = ["Country", "all_countries", "cow_in", "name_in", "resolve"]


@dataclass(frozen=True)
class Country:
    """A state with all its codes and the names it goes by."""

    name: str
    iso3: str | None
    iso2: str | None
    cow: int | None
    cowc: str | None
    gw: int | None
    gwc: str | None
    official_name: str | None = None
    adjectives: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """The preferred identifier: ISO3, else the COW letter code, else the name."""
        return self.iso3 or self.cowc or self.name

    def names(self) -> tuple[str, ...]:
        """Every name this country is known by here, the preferred one first."""
        found = [self.name, self.official_name, *self.adjectives, *self.metonyms]
        return tuple(dict.fromkeys(n for n in found if n))


def _normalise(text: str) -> str:
    text = " ".join(text.strip().lower().split())
    return text.removeprefix("the ")


@dataclass(frozen=True)
class _Index:
    countries: tuple[Country, ...]
    by_cow: dict[int, Country]
    by_gw: dict[int, Country]
    by_letters: dict[str, Country]
    by_name: dict[str, Country]
    patterns: tuple[tuple[re.Pattern[str], Country], ...]


@cache
def _index() -> _Index:
    table = prepare_codelist()
    aliases: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    with (
        resources.files("alliances.data")
        .joinpath("country_aliases.csv")
        .open(encoding="utf-8") as handle
    ):
        for row in csv.DictReader(handle):
            aliases[row["iso3c"]] = (
                tuple(filter(None, row["adjectives"].split(";"))),
                tuple(filter(None, row["metonyms"].split(";"))),
            )

    countries: list[Country] = []
    patterns: list[tuple[re.Pattern[str], Country]] = []
    for i, name in enumerate(table["country.name.en"]):
        iso3 = table["iso3c"][i]
        adjectives, metonyms = aliases.get(iso3 or "", ((), ()))
        country = Country(
            name=name,
            iso3=iso3,
            iso2=table["iso2c"][i],
            cow=table["cown"][i],
            cowc=table["cowc"][i],
            gw=table["gwn"][i],
            gwc=table["gwc"][i],
            official_name=table["un.name.en"][i] or table["iso.name.en"][i],
            adjectives=adjectives,
            metonyms=metonyms,
        )
        countries.append(country)
        patterns.append((re.compile(table["country.name.en.regex"][i], re.IGNORECASE), country))

    by_letters: dict[str, Country] = {}
    by_name: dict[str, Country] = {}
    # Later keys never overwrite earlier ones: ISO3 wins over COW and G-W letters.
    for attr in ("iso3", "cowc", "gwc", "iso2"):
        for c in countries:
            code = getattr(c, attr)
            if code:
                by_letters.setdefault(code.upper(), c)
    for c, short in zip(countries, table["cldr.short.en"], strict=True):
        for n in (*c.names(), short):
            if n:
                by_name.setdefault(_normalise(n), c)
    return _Index(
        countries=tuple(countries),
        by_cow={c.cow: c for c in countries if c.cow is not None},
        by_gw={c.gw: c for c in countries if c.gw is not None},
        by_letters=by_letters,
        by_name=by_name,
        patterns=tuple(patterns),
    )


@cache
def _names_by_year() -> dict[int, tuple[tuple[int, int | None, str], ...]]:
    found: dict[int, list[tuple[int, int | None, str]]] = {}
    with (
        resources.files("alliances.data").joinpath("state_names.csv").open(encoding="utf-8")
    ) as handle:
        for row in csv.DictReader(handle):
            last = int(row["last_year"]) if row["last_year"] else None
            found.setdefault(int(row["cow"]), []).append(
                (int(row["first_year"]), last, row["name"])
            )
    return {code: tuple(spans) for code, spans in found.items()}


def name_in(query: str | int | Country, year: int) -> str:
    """The name a state bore in ``year`` (on 31 December), where COW keeps one per code.

    Parameters
    ----------
    query : str, int or Country
        Anything :func:`resolve` takes; an integer is a COW number (a COW number that the
        code list lacks but the table of names knows, such as 260, is accepted too).
    year : int

    Returns
    -------
    str
        The name of that year from ``data/state_names.csv`` (Gleditsch and Ward 1999;
        each row dated), else the code list's name.

    Examples
    --------
    >>> name_in(345, 2014), name_in(345, 1990), name_in("Russia", 1980), name_in(365, 2014)
    ('Serbia', 'Yugoslavia', 'Soviet Union', 'Russia')
    """
    code = query if isinstance(query, int) and not isinstance(query, bool) else resolve(query).cow
    for first, last, name in _names_by_year().get(code or -1, ()):
        if first <= year and (last is None or year <= last):
            return name
    return resolve(query).name


def cow_in(query: str | int | Country, year: int) -> int | None:
    """The COW number of a state in ``year``, also for a state that COW lists under an
    older name (Serbia from 2006 is COW 345, "Yugoslavia"); None if COW has none.

    >>> cow_in("Serbia", 2014), cow_in("Russia", 2014), cow_in("Serbia", 1990)
    (345, 365, None)
    """
    country = resolve(query)
    if country.cow is not None:
        return country.cow
    for code, spans in _names_by_year().items():
        for first, last, name in spans:
            if name == country.name and first <= year and (last is None or year <= last):
                return code
    return None


def all_countries() -> tuple[Country, ...]:
    """Every country and territory of the code list, in its order."""
    return _index().countries


def resolve(query: str | int | Country, *, system: Literal["cow", "gw"] = "cow") -> Country:
    """Resolve a name or code to a :class:`Country`.

    Parameters
    ----------
    query : str, int or Country
        A name ("Russian Federation", "Russia"), adjective ("Russian"), capital or seat
        of government ("Moscow", "the Kremlin"), ISO3 ("RUS"), COW or G-W letter code,
        or a COW or G-W number.
    system : {"cow", "gw"}
        How to read an integer: as a COW number (default) or a Gleditsch–Ward number.

    Returns
    -------
    Country

    Raises
    ------
    UnknownCountryError
        If nothing matches, or a name matches several countries; the message lists the
        closest names.

    Examples
    --------
    >>> resolve("Tehran").iso3
    'IRN'
    >>> resolve(365, system="gw").name
    'Russia'
    """
    if isinstance(query, Country):
        return query
    idx = _index()
    if isinstance(query, bool) or not isinstance(query, int | str):
        raise UnknownCountryError(query)
    if isinstance(query, int) or query.strip().isdigit():
        number = int(query)
        found = (idx.by_gw if system == "gw" else idx.by_cow).get(number)
        if found is None:
            raise UnknownCountryError(query)
        return found
    text = query.strip()
    if text.upper() in idx.by_letters and (text.isupper() or len(text) in (2, 3)):
        return idx.by_letters[text.upper()]
    key = _normalise(text)
    if key in idx.by_name:
        return idx.by_name[key]
    matches = list(dict.fromkeys(c for pattern, c in idx.patterns if pattern.search(text)))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UnknownCountryError(query, [c.name for c in matches])
    close = difflib.get_close_matches(key, idx.by_name, n=10, cutoff=0.6)
    names = list(dict.fromkeys(idx.by_name[c].name for c in close))
    raise UnknownCountryError(query, names[:3])
