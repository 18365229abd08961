"""Identity of states: one place that turns any name or code into a :class:`Country`.

The code list is the one published with the ``countrycode`` package (Arel-Bundock,
Enevoldsen and Yetman 2018), which carries ISO 3166, Correlates of War (COW) and
Gleditsch–Ward (G-W) codes, official and short names, and a regular expression per
country that matches its common English names. This module adds only what that list
lacks: nationality adjectives ("Russian") and capitals or seats of government used as
metonyms ("Moscow", "the Kremlin"), from ``data/country_aliases.csv`` (CIA, *The World
Factbook*, fields "Nationality: adjective" and "Capital").

Every state of the COW state system is known, in its years, from ``data/cow_states.csv``
(Correlates of War Project 2017, State System Membership List v2016: each spell of
membership with its first and last year; a spell still running at the end of 2016 is left
open). The code list merges the states that COW counts apart from their successors into one
row: its Germany carries COW 255 and the G-W number and letters of the German Federal
Republic (260, ``GFR``), and it has no row for Korea before 1905 (COW 730). Those states
are added here from the COW list, by their COW number, letters and name (and, for the
Federal Republic, "West Germany"), so that ``resolve(260)``, ``resolve("GFR")`` and
``resolve("German Federal Republic")`` give the German Federal Republic; they are not part
of :func:`all_countries`, which stays the code list. :func:`cow_years` gives a state's
spells in the system, :func:`cow_states_in` the states of a year.

COW keeps one name per code over all its years (code 345 reads "Yugoslavia" in 2014).
:func:`name_in` gives the name a state bore in a given year, from ``data/state_names.csv``:
the renamings and successions by which the Gleditsch–Ward list of independent states
(Gleditsch and Ward 1999) changes a state's name or code while COW keeps its code, each
with its date. The name is the one in force on 31 December of the year.

Resolution order for a string: ISO3, COW letter code, G-W letter code or ISO2; then an exact
name, adjective or metonym (case and a leading "the" ignored), then an exact COW name; then
the ``countrycode`` regular expressions, read only where the match begins and ends at the
edge of a word ("Iran's" is Iran, "Iranistan" nothing). Former names of
``data/state_names.csv`` ("Ottoman Empire", "Persia") resolve to their state. Integers
are COW numbers unless ``system="gw"``; a NumPy integer or a whole float (``365.0``, as
pandas gives an integer column with a missing value) is the integer it equals, and a bool,
a float that is not whole, NaN or infinity is refused as such.
Given a ``year``, :func:`resolve` takes, of the states the text may name by these rules (a
letter code of several kinds, a name of the year in ``data/state_names.csv``), the first
that is a member of the COW state system that year: ``"KOR"`` is South Korea in 2000 and
Korea (COW 730) in 1890, ``"Prussia"`` is COW 255 in 1850, ``"AUS"`` is Austria in 1919
and ambiguous in 1960 (Australia's ISO3, Austria's COW letters).

References
----------
Arel-Bundock, V., Enevoldsen, N. and Yetman, C. (2018). countrycode: An R package to
convert country names and country codes. *Journal of Open Source Software* 3(28): 848.

Correlates of War Project (2017). State System Membership List, v2016.
https://correlatesofwar.org/data-sets/state-system-membership/

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
>>> resolve("GFR").name, resolve(260).cow, cow_years(260)
('German Federal Republic', 260, ((1955, 1990),))
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
import numbers
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, SupportsIndex, TypeAlias

from countrycode.countrycode import prepare_codelist

from alliances._values import is_bool, whole_number
from alliances.errors import ParameterError, UnknownCountryError

__all__ = [
    "Country",
    "all_countries",
    "cow_in",
    "cow_states_in",
    "cow_years",
    "name_in",
    "resolve",
]


_GW_CORRECTIONS: dict[int, tuple[int, str]] = {816: (816, "DRV"), 817: (817, "RVN")}
"""G-W numbers and letters where the code list errs, by COW number: it gives Vietnam 817
and RVN, which are the Republic of Vietnam's (South Vietnam, 1954–1975), and the Republic
of Vietnam none; Gleditsch and Ward (1999) number Vietnam (the Democratic Republic,
reunified in 1976) 816, DRV, and the Republic of Vietnam 817, RVN."""


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


Query: TypeAlias = "str | SupportsIndex | float | Country"
"""What names a state: a text, a COW or G-W number (an int, a NumPy integer or a whole
float) or a :class:`Country`."""

_SYSTEMS = ("cow", "gw")
"""The values of ``system``: how :func:`resolve` reads a number."""


def _reference(query: object) -> str | int | Country:
    """``query`` as :func:`resolve` reads it; the one place the public functions take in a
    reference to a state. A number is an int (:func:`alliances._values.whole_number`), as
    is a string of decimal digits; a str and a :class:`Country` are kept. Anything else is
    refused with a message that says what it is."""
    if isinstance(query, Country):
        return query
    number = whole_number(query, text=True)
    if number is not None:
        return number
    if isinstance(query, str):
        return query
    if is_bool(query):
        what = "is a bool, not a COW or G-W number"
    elif _missing(query):
        what = "is a missing value, not a state"
    elif isinstance(query, numbers.Real) and math.isinf(query):
        what = "is infinite, not a COW or G-W number"
    elif isinstance(query, numbers.Real):
        what = "is not a whole number, so no COW or G-W number"
    else:
        what = f"is of type {type(query).__name__}, not a country name or code"
    raise _unknown(
        query, f"{query!r} {what} (expected a name or letter code, a whole number or a Country)."
    )


def _missing(value: object) -> bool:
    """Whether ``value`` is None, NaN or pandas' NA or NaT (not imported for this)."""
    if isinstance(value, numbers.Real):
        return math.isnan(value)
    return value is None or type(value).__name__ in ("NAType", "NaTType")


def _year(year: object) -> int:
    """``year`` as an int: a whole number (an int, a NumPy integer, a whole float or a
    string of digits)."""
    found = whole_number(year, text=True)
    if found is None:
        msg = (
            f"year={year!r} ({type(year).__name__}) should be a whole number: an int, a NumPy "
            "integer, a float such as 2000.0 or digits such as '2000'"
        )
        raise ParameterError(msg)
    return found


def _system(system: object) -> Literal["cow", "gw"]:
    if system == "cow" or system == "gw":
        return system
    msg = (
        f"system={system!r} should be {' or '.join(map(repr, _SYSTEMS))}: how a number is "
        "read, as a COW or a Gleditsch–Ward number"
    )
    raise ParameterError(msg)


def _unknown(query: object, message: str, suggestions: list[str] | None = None) -> Exception:
    """An :class:`UnknownCountryError` that says ``message`` instead of "not a known country
    name or code", for a reference that is ambiguous or of the wrong kind."""
    return UnknownCountryError(query, suggestions, message)


def _normalise(text: str) -> str:
    text = " ".join(text.strip().lower().split())
    return text.removeprefix("the ")


_Span = tuple[int, int | None]
"""A spell ``(first_year, last_year)``, both counted; ``None``: still running."""


@dataclass(frozen=True)
class _Index:
    countries: tuple[Country, ...]
    by_cow: dict[int, Country]
    by_gw: dict[int, Country]
    # ISO3, COW letters, G-W letters, ISO2: one table each, in the order they are tried.
    letter_tables: tuple[dict[str, Country], ...]
    by_letters: dict[str, Country]
    by_name: dict[str, Country]
    patterns: tuple[tuple[re.Pattern[str], Country], ...]
    cow_years: dict[int, tuple[_Span, ...]]


@cache
def _cow_list() -> dict[int, tuple[str, str, tuple[_Span, ...]]]:
    """COW number to (letters, name, spells) from ``data/cow_states.csv``."""
    found: dict[int, tuple[str, str, list[_Span]]] = {}
    with (
        resources.files("alliances.data").joinpath("cow_states.csv").open(encoding="utf-8")
    ) as handle:
        for row in csv.DictReader(handle):
            last = int(row["last_year"]) if row["last_year"] else None
            entry = found.setdefault(int(row["cow"]), (row["abbreviation"], row["name"], []))
            entry[2].append((int(row["first_year"]), last))
    return {code: (abb, name, tuple(spans)) for code, (abb, name, spans) in found.items()}


@cache
def _gw_list() -> tuple[tuple[int, str, str, int | None], ...]:
    """The G-W states the code list gives no G-W number of their own, from
    ``data/gw_states.csv``: (G-W number, letters, name, COW number of the same state).

    Taken from the Gleditsch–Ward list as ``isard`` carries it (Miller, ``svmiller/isard``
    v0.2.0, ``gw_system``): the states before 1871 or 1910 that COW does not count or counts
    under another number (Great Colombia, Transvaal, Tibet, Korea to 1910, Germany as
    Prussia, G-W 255), the microstates (Monaco, Nauru, …) and Abkhazia and South Ossetia.
    The COW number is the one ``isard``'s ``gw_cw_panel`` pairs with it (Kiribati is G-W 970
    and COW 946; COW 970 is Nauru), blank where it pairs none."""
    with resources.files("alliances.data").joinpath("gw_states.csv").open(encoding="utf-8") as f:
        return tuple(
            (
                int(row["gw"]),
                row["abbreviation"],
                row["name"],
                int(row["cow"]) if row["cow"] else None,
            )
            for row in csv.DictReader(f)
        )


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

    # A G-W state the code list lacks is given to the state of its COW number, or of its
    # name if that has no codes (Tibet), where that state has no G-W number yet.
    gw_list = _gw_list()
    gw_by_cow = {cow: (gw, abb) for gw, abb, _, cow in gw_list if cow is not None}
    gw_by_name = {_normalise(name): (gw, abb) for gw, abb, name, cow in gw_list if cow is None}
    countries: list[Country] = []
    patterns: list[tuple[re.Pattern[str], Country]] = []
    for i, name in enumerate(table["country.name.en"]):
        iso3 = table["iso3c"][i]
        adjectives, metonyms = aliases.get(iso3 or "", ((), ()))
        gw, gwc = _GW_CORRECTIONS.get(table["cown"][i], (table["gwn"][i], table["gwc"][i]))
        if gw is None and table["cown"][i] is not None:
            gw, gwc = gw_by_cow.get(table["cown"][i], (None, None))
        elif gw is None:
            gw, gwc = gw_by_name.get(_normalise(name), (None, None))
        country = Country(
            name=name,
            iso3=iso3,
            iso2=table["iso2c"][i],
            cow=table["cown"][i],
            cowc=table["cowc"][i],
            gw=gw,
            gwc=gwc,
            official_name=table["un.name.en"][i] or table["iso.name.en"][i],
            adjectives=adjectives,
            metonyms=metonyms,
        )
        countries.append(country)
        patterns.append((re.compile(table["country.name.en.regex"][i], re.IGNORECASE), country))

    # The COW states the code list has no row for (it merges them into a successor).
    cow_list = _cow_list()
    listed = {c.cow for c in countries if c.cow is not None}
    cow_only = [
        Country(
            name=name,
            iso3=None,
            iso2=None,
            cow=code,
            cowc=abb,
            gw=gw_by_cow.get(code, (None, None))[0],
            gwc=gw_by_cow.get(code, (None, None))[1],
        )
        for code, (abb, name, _) in cow_list.items()
        if code not in listed
    ]
    # The G-W states still without a row: their own (Transvaal; Germany as Prussia, G-W
    # 255, whose COW number is the code list's Germany, G-W 260).
    numbered = {c.gw for c in [*countries, *cow_only]}
    gw_only = [
        Country(name=name, iso3=None, iso2=None, cow=cow, cowc=None, gw=gw, gwc=abb)
        for gw, abb, name, cow in gw_list
        if gw not in numbered
    ]
    everyone = [*countries, *cow_only, *gw_only]

    letter_tables: list[dict[str, Country]] = []
    for attr in ("iso3", "cowc", "gwc", "iso2"):
        letters: dict[str, Country] = {}
        for c in everyone:
            code = getattr(c, attr)
            if code:
                letters.setdefault(code.upper(), c)
        letter_tables.append(letters)
    by_letters: dict[str, Country] = {}
    # Later keys never overwrite earlier ones: ISO3 wins over COW and G-W letters.
    for letters in letter_tables:
        for code, c in letters.items():
            by_letters.setdefault(code, c)
    by_name: dict[str, Country] = {}
    for c, short in zip(countries, table["cldr.short.en"], strict=True):
        for n in (*c.names(), short):
            if n:
                by_name.setdefault(_normalise(n), c)
    by_cow = {c.cow: c for c in [*countries, *cow_only] if c.cow is not None}
    for code, (_, name, _) in cow_list.items():
        by_name.setdefault(_normalise(name), by_cow[code])
    by_gw = {c.gw: c for c in everyone if c.gw is not None}
    for gw, _, name, _ in gw_list:  # the G-W names ("Württemberg", "Great Colombia")
        by_name.setdefault(_normalise(name), by_gw[gw])
    for code, spans in _names_by_year().items():  # former names ("Ottoman Empire")
        for _, _, name in spans:
            by_name.setdefault(_normalise(name), by_cow[code])
    return _Index(
        countries=tuple(countries),
        by_cow=by_cow,
        by_gw=by_gw,
        letter_tables=tuple(letter_tables),
        by_letters=by_letters,
        by_name=by_name,
        patterns=tuple(patterns),
        cow_years={code: spans for code, (_, _, spans) in cow_list.items()},
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


def name_in(query: Query, year: SupportsIndex | float) -> str:
    """The name a state bore in ``year`` (on 31 December), where COW keeps one per code.

    Parameters
    ----------
    query : str, int or Country
        Anything :func:`resolve` takes; an integer is a COW number.
    year : int
        A whole number, as for :func:`resolve`.

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
    ref, year = _reference(query), _year(year)
    code = ref if isinstance(ref, int) else resolve(ref).cow
    for first, last, name in _names_by_year().get(code or -1, ()):
        if first <= year and (last is None or year <= last):
            return name
    return resolve(ref).name


def cow_in(query: Query, year: SupportsIndex | float) -> int | None:
    """The COW number of a state in ``year``, also for a state that COW lists under an
    older name (Serbia from 2006 is COW 345, "Yugoslavia"); None if COW has none.

    >>> cow_in("Serbia", 2014), cow_in("Russia", 2014), cow_in("Serbia", 1990)
    (345, 365, None)
    """
    country, year = resolve(query), _year(year)
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


def resolve(
    query: Query,
    *,
    system: Literal["cow", "gw"] = "cow",
    year: SupportsIndex | float | None = None,
) -> Country:
    """Resolve a name or code to a :class:`Country`.

    Parameters
    ----------
    query : str, int or Country
        A name ("Russian Federation", "Russia"), adjective ("Russian"), capital or seat
        of government ("Moscow", "the Kremlin"), ISO3 ("RUS"), COW or G-W letter code,
        or a COW or G-W number. Every state of the COW state system is known, also those
        the code list lacks ("German Federal Republic", ``"GFR"``, 260). A number is an
        int, a string of digits, a NumPy integer or a whole float (``365.0``: a pandas
        integer column with a missing value); a bool, a float that is not whole, NaN and
        infinity are refused.
    system : {"cow", "gw"}
        How to read a number: as a COW number (default) or a Gleditsch–Ward number. Any
        other value is refused (:class:`~alliances.errors.ParameterError`), whatever the
        query: there is no ISO number system here.
    year : int, optional
        A whole number (an int, a NumPy integer, a whole float), else
        :class:`~alliances.errors.ParameterError`.
        The year the text speaks of. Of the states a text may name (its letters as ISO3,
        COW, G-W and ISO2 codes, in that order, G-W letters only where they are no
        state's COW letters; failing letters, its exact names, including the names of
        ``data/state_names.csv`` in force that year; failing those, the regular
        expressions), the first that is a member of the COW state system that year is
        taken; if none is, the answer is the one without a year (check it with
        :func:`cow_years`).
        Letters that are the ISO3 code of one state and the COW code of another, both in
        the system that year (``"AUS"`` in 1960: Australia, Austria), are ambiguous. A
        number or a :class:`Country` names one state whatever the year.

    Returns
    -------
    Country

    Raises
    ------
    UnknownCountryError
        If nothing matches, or a name matches several countries (or, given a year, the
        letters name two states of that year), or the query is of no kind above; the
        message says which, and lists the closest names or the candidates.
    ParameterError
        If ``system`` or ``year`` is not one of the values above.

    Examples
    --------
    >>> from alliances import resolve
    >>> resolve("Tehran").iso3
    'IRN'
    >>> resolve(365, system="gw").name
    'Russia'
    >>> resolve("KOR").name, resolve("KOR", year=1890).name, resolve("Prussia", year=1850).cow
    ('South Korea', 'Korea', 255)
    """
    system, ref = _system(system), _reference(query)
    when = None if year is None else _year(year)
    if isinstance(ref, Country):
        return ref
    if isinstance(ref, int):
        idx = _index()
        found = (idx.by_gw if system == "gw" else idx.by_cow).get(ref)
        if found is None:
            raise UnknownCountryError(query)
        return found
    if when is not None:
        _check_letters(ref, when)
        for candidate in _candidates(ref, when):
            if _member(candidate.cow, when):
                return candidate
    return _resolve_text(ref)


@functools.lru_cache(maxsize=4096)  # a sweep's scenarios name the same states again and again
def _resolve_text(query: str) -> Country:
    """A name or letter code without a year (see :func:`resolve`)."""
    idx = _index()
    text = query.strip()
    if text.upper() in idx.by_letters and _looks_like_code(text):
        return idx.by_letters[text.upper()]
    key = _normalise(text)
    if key in idx.by_name:
        return idx.by_name[key]
    matches = _pattern_matches(text)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = [c.name for c in matches]
        msg = f"{query!r} is ambiguous: it reads as the name of {len(names)} countries."
        raise _unknown(query, msg, names)
    close = difflib.get_close_matches(key, idx.by_name, n=10, cutoff=0.6)
    names = list(dict.fromkeys(idx.by_name[c].name for c in close))
    raise UnknownCountryError(query, names[:3])


def _looks_like_code(text: str) -> bool:
    return text.isupper() or len(text) in (2, 3)


def _pattern_matches(text: str) -> list[Country]:
    """The countries whose regular expression reads ``text`` as a whole word or words:
    "Iran's" and "Islamic Republic of Iran" are Iran, "Iranistan" and "Chinatown" are
    nothing (the code list's expressions search anywhere in a text)."""
    found: list[Country] = []
    for pattern, country in _index().patterns:
        match = pattern.search(text)
        if match and _at_word_edges(text, *match.span()):
            found.append(country)
    return list(dict.fromkeys(found))


def _at_word_edges(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither begins nor ends inside a word."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    inner = text[start:end]
    return bool(inner) and not (
        (before.isalnum() and inner[0].isalnum()) or (after.isalnum() and inner[-1].isalnum())
    )


def _check_letters(query: str, year: int) -> None:
    """Refuse letters that are one state's ISO3 and another's COW code, both of ``year``."""
    text = query.strip()
    if not _looks_like_code(text):
        return
    iso3, cow = (table.get(text.upper()) for table in _index().letter_tables[:2])
    if (
        iso3 is not None
        and cow is not None
        and iso3 != cow
        and _member(iso3.cow, year)
        and _member(cow.cow, year)
    ):
        msg = (
            f"{query!r} is ambiguous in {year}: the ISO3 code of {iso3.name} and the COW "
            f"letters of {cow.name}, both states of the COW system that year; write the "
            "name or the number."
        )
        raise _unknown(query, msg, [iso3.name, cow.name])


def _candidates(query: str, year: int) -> list[Country]:
    """The states ``query`` may name in ``year``, in the order :func:`resolve` tries them:
    the readings of its letters if it has any, else of its exact names if it has any, else
    those of the regular expressions (which would read "West Germany" as Germany)."""
    idx = _index()
    text = query.strip()
    letters = text.upper()
    if _looks_like_code(text):
        iso3, cow, gw, iso2 = (table.get(letters) for table in idx.letter_tables)
        # The code list's G-W letters are those of today's state (GFR for Germany): not
        # a reading of letters that are a COW state's own.
        found = [c for c in (iso3, cow, None if cow else gw, iso2) if c is not None]
        if found:
            return list(dict.fromkeys(found))
    key = _normalise(text)
    found = [idx.by_name[key]] if key in idx.by_name else []
    for code, spans in _names_by_year().items():
        for first, last, name in spans:
            if _normalise(name) == key and first <= year and (last is None or year <= last):
                found.append(idx.by_cow[code])
    return list(dict.fromkeys(found)) or _pattern_matches(text)


def _member(code: int | None, year: int) -> bool:
    spans = _index().cow_years.get(code or -1, ())
    return any(first <= year and (last is None or year <= last) for first, last in spans)


def cow_years(query: Query) -> tuple[_Span, ...]:
    """The spells of a state in the COW state system, from ``data/cow_states.csv``.

    Parameters
    ----------
    query : str, int or Country
        Anything :func:`resolve` takes; an integer is a COW number.

    Returns
    -------
    tuple of (int, int or None)
        ``(first_year, last_year)`` of each spell, both counted, in order; ``None`` for a
        spell still running at the end of the list (2016). Empty for a country the COW
        state system never counted (a territory, or a state the code list gives no COW
        number, such as Prussia: write its COW number).

    Examples
    --------
    >>> cow_years("GFR"), cow_years(255)
    (((1955, 1990),), ((1816, 1945), (1990, None)))
    >>> cow_years("Hong Kong")
    ()
    """
    return _index().cow_years.get(resolve(query).cow or -1, ())


def cow_states_in(year: SupportsIndex | float) -> tuple[Country, ...]:
    """The members of the COW state system in ``year`` (any day of it), by COW number.

    >>> [c.cowc for c in cow_states_in(1960) if c.cow in (255, 260, 265)]
    ['GFR', 'GDR']
    """
    idx, year = _index(), _year(year)
    return tuple(idx.by_cow[code] for code in sorted(idx.cow_years) if _member(code, year))
