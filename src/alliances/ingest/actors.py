"""The states and organisations an article names, each mention with its offsets.

A gazetteer is built once and matched with an Aho–Corasick automaton (Aho and Corasick
1975; the ``pyahocorasick`` package), so that a text is read in one pass whatever the number
of names. It holds

* every state of :func:`alliances.countries.all_countries` by each of its names
  (:meth:`~alliances.countries.Country.names`: short and official names, adjectives,
  capitals and seats of government), with the forms that module lacks in the table
  ``_MORE`` below (short forms such as "U.S." and "Britain", historical names such as
  "Soviet Union" and "Ottoman Empire", demonyms such as "Iranians", and more capitals);
* the leaders of ``leaders.yaml`` ("Putin", "Chamberlain") and their governments ("the
  Trump administration", "the Assad regime"), standing for their states;
* the organisations of :func:`alliances.world.organisations.load_organisations` by id,
  name and aliases ("NATO", "Warsaw Pact", "the Quad"); "Brussels" is the EU, or NATO when
  its sentence is about the alliance (NATO, alliance, military, troops, defence …).

Matching is case-sensitive on the forms as written, their capitalised and upper-case
variants ("the Kremlin", "The Kremlin", "THE KREMLIN"): "Chad" the name is found, "chad"
is not, and an acronym ("US", "EU") only in capitals. A match must start and end at a word
boundary ("Niger" is not found in "Nigeria"); where matches overlap the longest wins
("Iranian" over "Iran", "Papua New Guinea" over "Guinea"), and a few phrases that only
look like names ("Persian Gulf", "New Mexico") win and name no one.

With a ``year``, a leader is found only within his or her years in office, a form shared by
leaders of two states ("Wilson") names the one in office, and the small states absorbed
into Germany and Italy ("Hanover", "Tuscany") are found only before they were.

References
----------
Aho, A. V. and Corasick, M. J. (1975). Efficient string matching: an aid to bibliographic
search. *Communications of the ACM* 18(6): 333–340.

Examples
--------
>>> [(m.actor, m.text, m.via) for m in find_actors("Moscow and the Kremlin backed Iranians.")]
[('RUS', 'Moscow', 'capital'), ('RUS', 'the Kremlin', 'capital'), ('IRN', 'Iranians', 'adjective')]
>>> [m.actor for m in find_actors("The Trump administration courted NATO.", year=2018)]
['USA', 'NATO']
>>> find_actors("Putin spoke.", year=1990)
[]

The module passes 600 lines because it holds one concept whole: finding the actors of a
text (names, metonyms, leaders, organisations, their spans and years) with the patterns
they share.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Literal

from alliances import countries
from alliances.errors import DataError, UnknownCountryError
from alliances.ingest._types import Mention
from alliances.ingest.text import split_sentences

__all__ = ["Leader", "Term", "actor_names", "find_actors", "find_parties", "load_leaders"]

ActorKind = Literal["state", "organisation"]

_EVER = (-(10**6), 10**6)

# --- the forms the countries module lacks ----------------------------------------------
# code: (other names | adjectives and demonyms | capitals and seats of government). Forms
# in capitals ("US", "U.S.S.R.") are acronyms, matched exactly.
_MORE: dict[str, tuple[str, str, str]] = {
    "USA": (
        "United States|U.S.|US|USA|U.S.A.|America",
        "Americans",
        "White House|the Pentagon|Pentagon|the State Department|State Department|Foggy Bottom",
    ),
    "GBR": ("Britain|Great Britain|UK|U.K.|England", "Britons|the British", ""),
    "RUS": (
        "Soviet Union|the Soviet Union|USSR|U.S.S.R.|Russian Empire|Tsarist Russia",
        "Soviet|Soviets|Russians",
        "Kremlin",
    ),
    "CHN": ("People's Republic of China|People’s Republic of China|PRC", "", "Peking"),
    "DEU": (
        "Federal Republic of Germany|West Germany|FRG|Nazi Germany|Third Reich|the Third Reich"
        "|German Empire|Weimar Republic",
        "West German|West Germans|Germans",
        "Bonn",
    ),
    "GDR": ("East Germany|GDR", "East German|East Germans", "East Berlin"),
    "FRA": (
        "French Republic",
        "the French|Frenchmen",
        "Élysée|the Élysée|Elysee|Quai d'Orsay|Quai d’Orsay",
    ),
    "IRN": ("Persia|Islamic Republic of Iran", "Persians|Iranians", "Teheran"),
    "TUR": (
        "Turkiye|Ottoman Empire|the Ottoman Empire|the Sublime Porte|the Porte",
        "Ottoman|Ottomans|Turks",
        "Constantinople",
    ),
    "AUH": (
        "Habsburg Empire|Austro-Hungarian Empire|Habsburg monarchy|Dual Monarchy",
        "Austro-Hungarian",
        "",
    ),
    "AUT": ("", "Austrian|Austrians", "Vienna"),
    "NLD": ("Holland|the Netherlands", "Dutch|the Dutch", "The Hague|Amsterdam"),
    "BEL": ("", "Belgian|Belgians", ""),
    "CHE": ("", "Swiss", "Bern|Berne"),
    "DNK": ("", "Danish|Danes", "Copenhagen"),
    "SWE": ("", "Swedes", ""),
    "FIN": ("", "Finns", ""),
    "ESP": ("", "Spaniards", ""),
    "POL": ("", "Poles", ""),
    "IRL": ("", "Irish", "Dublin"),
    "ISL": ("", "Icelandic|Icelanders", "Reykjavik"),
    "CZE": ("Czech Republic", "Czechs|Czechoslovak", ""),
    "SVK": ("", "Slovak|Slovaks", "Bratislava"),
    "SVN": ("", "Slovenian|Slovene|Slovenes", "Ljubljana"),
    "HRV": ("", "Croatian|Croats", "Zagreb"),
    "BIH": ("Bosnia", "Bosnian", "Sarajevo"),
    "MNE": ("", "Montenegrin", "Podgorica"),
    "MKD": ("Macedonia|FYROM", "Macedonian", "Skopje"),
    "ALB": ("", "Albanian", "Tirana"),
    "KOS": ("", "Kosovar|Kosovars", "Pristina"),
    "SRB": ("", "Serbs", ""),
    "YUG": ("", "Yugoslav|Yugoslavs|Yugoslavian", ""),
    "BGR": ("", "Bulgarian", ""),
    "CYP": ("", "Cypriot", "Nicosia"),
    "MLT": ("", "Maltese", "Valletta"),
    "BLR": ("Byelorussia|Belorussia", "Belarusians", ""),
    "MDA": ("Moldavia", "", ""),
    "KAZ": ("", "Kazakhs", ""),
    "UZB": ("", "Uzbeks", ""),
    "TJK": ("", "Tajiks", ""),
    "PRK": ("DPRK", "", ""),
    "KOR": ("Korea|ROK", "", ""),
    "RVN": ("South Vietnam", "South Vietnamese", "Saigon"),
    "VNM": ("North Vietnam", "", ""),
    "TWN": ("Formosa|Republic of China", "Taiwanese", "Taipei"),
    "JPN": ("", "", ""),
    "THA": ("Siam", "Thai|Thais", "Bangkok"),
    "PHL": ("", "Filipino|Philippine", "Manila"),
    "MYS": ("", "Malaysian", "Kuala Lumpur"),
    "SGP": ("", "Singaporean", ""),
    "KHM": ("Kampuchea", "Cambodian", "Phnom Penh"),
    "LAO": ("", "Laotian", "Vientiane"),
    "MMR": ("Burma", "Burmese", "Naypyidaw|Rangoon|Yangon"),
    "BGD": ("", "Bangladeshi", "Dhaka"),
    "LKA": ("Ceylon", "Sri Lankan", "Colombo"),
    "NPL": ("", "Nepali|Nepalese", "Kathmandu"),
    "ARE": ("UAE|U.A.E.", "", ""),
    "SAU": ("Kingdom of Saudi Arabia|KSA", "Saudis", ""),
    "PSE": ("Palestine", "Palestinian", ""),
    "DZA": ("", "Algerian", "Algiers"),
    "MAR": ("", "Moroccan", "Rabat"),
    "TUN": ("", "Tunisian", "Tunis"),
    "LBY": ("", "Libyan", "Tripoli"),
    "SDN": ("", "Sudanese", "Khartoum"),
    "SSD": ("", "South Sudanese", "Juba"),
    "ETH": ("Abyssinia", "Ethiopian", "Addis Ababa"),
    "ERI": ("", "Eritrean", "Asmara"),
    "SOM": ("", "Somali", "Mogadishu"),
    "KEN": ("", "Kenyan", "Nairobi"),
    "UGA": ("", "Ugandan", "Kampala"),
    "TZA": ("", "Tanzanian", "Dodoma"),
    "RWA": ("", "Rwandan", "Kigali"),
    "COD": ("DRC|DR Congo|Zaire", "", "Kinshasa"),
    "COG": ("Republic of the Congo", "", "Brazzaville"),
    "GHA": ("", "Ghanaian", "Accra"),
    "SEN": ("", "Senegalese", "Dakar"),
    "MLI": ("", "Malian", "Bamako"),
    "NER": ("", "Nigerien", "Niamey"),
    "TCD": ("", "Chadian", "N'Djamena"),
    "CMR": ("", "Cameroonian", "Yaoundé"),
    "AGO": ("", "Angolan", "Luanda"),
    "MOZ": ("", "Mozambican", "Maputo"),
    "ZWE": ("Rhodesia", "Zimbabwean", "Harare"),
    "ZMB": ("", "Zambian", "Lusaka"),
    "NAM": ("", "Namibian", "Windhoek"),
    "MDG": ("", "Malagasy", "Antananarivo"),
    "CIV": ("Ivory Coast", "Ivorian", ""),
    "BFA": ("Upper Volta", "", ""),
    "BEN": ("Dahomey", "", ""),
    "SWZ": ("Swaziland", "", ""),
    "ARG": ("", "Argentine|Argentinian", "Buenos Aires"),
    "CHL": ("", "Chilean", ""),
    "COL": ("", "Colombian", "Bogotá|Bogota"),
    "PER": ("", "Peruvian", "Lima"),
    "BOL": ("", "Bolivian", "La Paz"),
    "ECU": ("", "Ecuadorian", "Quito"),
    "PRY": ("", "Paraguayan", "Asunción"),
    "URY": ("", "Uruguayan", "Montevideo"),
    "NIC": ("", "Nicaraguan", "Managua"),
    "PAN": ("", "Panamanian", ""),
    "GTM": ("", "Guatemalan", ""),
    "HND": ("", "Honduran", "Tegucigalpa"),
    "SLV": ("", "Salvadoran", ""),
    "HTI": ("", "Haitian", "Port-au-Prince"),
    "BRA": ("", "", "Brasília"),
    "VAT": ("Holy See|the Vatican|Vatican", "", ""),
    "NZL": ("", "New Zealander|New Zealanders", ""),
}

# Leaving a plural out: these adjectives are nouns of their own ("the Chinese") or have an
# irregular plural given above.
_NO_PLURAL = frozenset({"Icelandic", "Philippine", "Lao", "Czechoslovak", "Soviet", "Ottoman"})

# Metonyms of the countries module written with "the" that are also written without it.
_BARE = frozenset({"the Kremlin", "the White House", "the Elysee"})

# A state's names that named its predecessor until a year: "Austria", "the Austrians" and
# "Vienna" are Austria-Hungary (COW 300, to 1918) in a text of 1816-1918, Austria after.
_PREDECESSOR = {"AUT": ("AUH", 1918)}

# States absorbed into Germany and Italy: found only when the year is known and before then.
_ABSORBED = {
    "BAD": 1870,
    "BAV": 1870,
    "Brunswick": 1867,
    "Hamburg": 1867,
    "HAN": 1866,
    "HSE": 1866,
    "HSG": 1867,
    "Hesse-Darmstadt": 1867,
    "Hesse-Kassel": 1866,
    "MEC": 1867,
    "MOD": 1860,
    "Nassau": 1866,
    "Oldenburg": 1867,
    "PMA": 1860,
    "SAX": 1867,
    "Saxe-Weimar-Eisenach": 1867,
    "SIC": 1861,
    "TUS": 1860,
    "WRT": 1870,
    "Würtemberg": 1870,
    "Sardinia": 1860,
    "Piedmont-Sardinia": 1860,
    "United Province CA": 1838,
    "Orange Free State": 1910,
}
_SKIPPED = frozenset({"Unknown", "Stateless"})

# Phrases that contain a name but name no actor; as the longest match they win.
_NOT_ACTORS = (
    "Persian Gulf|Indian Ocean|South China Sea|East China Sea|Sea of Japan|Gulf of Mexico"
    "|New Mexico|New Jersey|New England|New Guinea|New South Wales|British Columbia"
    "|Latin America|Latin American|Latin Americans|South America|South American|North America"
    "|North American|Central America|Central American|the Americas|Pan-American"
    "|Native American|Native Americans|African American|African Americans|Asian American"
    "|Washington Post|Washington Times|Washington Consensus|Washington State|George Washington"
    "|University of Washington|Niger Delta|Niger River|Xi'an|Xi’an|Axis of Resistance"
    "|axis of resistance|Axis of Evil|axis of evil|Trump Tower|Trump Organization"
    "|Ivanka Trump|Melania Trump|Eric Trump|Donald Trump Jr|Lara Trump|Hunter Biden|Jill Biden"
    "|Michelle Obama|Chelsea Clinton|Jeb Bush|Laura Bush|Barbara Bush|Mahatma Gandhi"
    "|Rahul Gandhi|Sonia Gandhi|Robert Kennedy|Robert F. Kennedy|Ted Kennedy|Edward Kennedy"
    "|Joseph Chamberlain|Brussels sprouts"
)

_BRUSSELS = "@BRUSSELS"
_ABOUT_THE_ALLIANCE = re.compile(
    r"\b(?:NATO|Nato|alliance|allies|allied|military|militaries|troops|soldiers|defen[cs]e"
    r"|deterren\w*|Article 5|missiles?|armed forces|warplanes|Atlantic)\b",
    re.IGNORECASE,
)


# --- leaders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A spell in office: the years (both counted; ``until`` None while in office), the
    office and the state (a canonical code of :mod:`alliances.countries`)."""

    since: int
    until: int | None
    office: str
    state: str

    def covers(self, year: int) -> bool:
        """Whether the spell includes ``year``."""
        return self.since <= year and (self.until is None or year <= self.until)


@dataclass(frozen=True)
class Leader:
    """A leader of ``leaders.yaml``: name, state (code), forms, terms and the citation."""

    name: str
    state: str
    forms: tuple[str, ...]
    terms: tuple[Term, ...]
    source: str


_LEADERS = "leaders.yaml"


@cache
def _leaders() -> tuple[Leader, ...]:
    from ruamel.yaml import YAML

    text = resources.files("alliances.ingest").joinpath(_LEADERS).read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    return _parse_leaders(data, f"<packaged {_LEADERS}>")


def load_leaders() -> tuple[Leader, ...]:
    """The leaders of the packaged table ``leaders.yaml``, in its order.

    Returns
    -------
    tuple of Leader
        Each with its state's canonical code, its forms, its terms in office and the full
        citation of its source.

    Raises
    ------
    DataError
        If the table does not validate; the message names the entry and what was expected.

    Examples
    --------
    >>> putin = next(x for x in load_leaders() if x.name == "Vladimir Putin")
    >>> putin.state, putin.terms[-1].since, putin.terms[-1].until
    ('RUS', 2012, None)
    """
    return _leaders()


def _parse_leaders(data: Any, origin: str) -> tuple[Leader, ...]:
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        msg = f"{origin}: expected a mapping with schema_version: 1"
        raise DataError(msg)
    references = data.get("references")
    if not isinstance(references, dict) or not all(
        isinstance(v, str) and v.strip() for v in references.values()
    ):
        msg = f"{origin}: references: expected a mapping of keys to full citations"
        raise DataError(msg)
    out: list[Leader] = []
    problems: list[str] = []
    for i, entry in enumerate(data.get("leaders") or []):
        try:
            out.append(_leader(entry, references))
        except (_Invalid, UnknownCountryError) as err:
            problems.append(f"leaders[{i}]: {err}")
    if not out and not problems:
        problems.append("leaders: expected a list of leaders")
    if problems:
        n = len(problems)
        msg = "\n  ".join([f"{origin}: {n} problem{'s' if n != 1 else ''}", *problems])
        raise DataError(msg)
    return tuple(out)


class _Invalid(ValueError):
    """A field of an entry of the leaders table that does not validate."""


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise _Invalid(message)


def _leader(entry: Any, references: dict[str, str]) -> Leader:
    _check(isinstance(entry, dict), f"expected a mapping, got {type(entry).__name__}")
    unknown = sorted(set(entry) - {"name", "state", "forms", "terms", "source"})
    _check(not unknown, f"unknown fields {unknown}")
    missing = sorted({"name", "state", "forms", "terms", "source"} - set(entry))
    _check(not missing, f"missing fields {missing}")
    name, source, forms = entry["name"], entry["source"], entry["forms"]
    _check(isinstance(name, str) and bool(name.strip()), "name: expected the leader's name")
    _check(source in references, f"source: {source!r} is not a key of references")
    _check(
        isinstance(forms, list)
        and bool(forms)
        and all(isinstance(f, str) and f and f.strip() == f for f in forms),
        "forms: expected a list of names, each without surrounding spaces",
    )
    state = countries.resolve(entry["state"]).code
    terms: list[Term] = []
    for term in entry["terms"] or []:
        _check(
            isinstance(term, dict)
            and {"since", "office"} <= set(term) <= {"since", "until", "office", "state"},
            f"terms: expected {{since, until, office, state}}, got {term!r}",
        )
        since, until = term["since"], term.get("until")
        _check(
            isinstance(since, int) and (until is None or isinstance(until, int)),
            f"terms: since and until should be years, got {term!r}",
        )
        _check(until is None or until >= since, f"terms: until={until} should be >= since={since}")
        code = countries.resolve(term["state"]).code if "state" in term else state
        terms.append(Term(since, until, str(term["office"]), code))
    _check(bool(terms), "terms: expected at least one term in office")
    return Leader(name.strip(), state, tuple(forms), tuple(terms), references[source].strip())


# --- the gazetteer ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """What a form names: an actor, in the years ``since``..``until`` (both counted)."""

    actor: str
    kind: ActorKind
    via: str
    since: int = _EVER[0]
    until: int = _EVER[1]
    needs_year: bool = False


_BLOCK = _Entry("", "state", "not an actor")


@dataclass(frozen=True)
class _Gazetteer:
    automaton: Any
    payloads: tuple[tuple[int, tuple[_Entry, ...]], ...]
    names: dict[str, str]


def _variants(form: str) -> set[str]:
    """The form as written, with its lower-case words capitalised in every combination,
    and (for forms of four letters or more) in capitals; an acronym only as written."""
    if not any(ch.islower() for ch in form):
        return {form}
    words = form.split(" ")
    options = [[w, w[0].upper() + w[1:]] if w[:1].islower() else [w] for w in words]
    out = {" ".join(p) for p in itertools.product(*options)} if len(words) <= 6 else {form}
    if len(form) >= 4:
        out.add(form.upper())
    return out


def _split(field: str) -> list[str]:
    return [x for x in field.split("|") if x]


def _plural(adjective: str) -> str | None:
    if adjective in _NO_PLURAL or adjective.endswith("men") or " " in adjective:
        return None
    return adjective + "s" if adjective[-1] in "niko" else None


@cache
def _gazetteer() -> _Gazetteer:
    import ahocorasick

    from alliances.world.organisations import load_organisations

    table: dict[str, list[_Entry]] = {}

    def add(form: str, entry: _Entry) -> None:
        for variant in _variants(form):
            found = table.setdefault(variant, [])
            if entry not in found:
                found.append(entry)

    names: dict[str, str] = {}
    by_code: dict[str, countries.Country] = {}
    for country in countries.all_countries():
        code = country.code
        if code in _SKIPPED:
            continue
        by_code.setdefault(code, country)
        names.setdefault(code, country.name)
        until = _ABSORBED.get(code)
        span = (_EVER[0], until) if until else _EVER

        def entry(via: str, code: str = code, span: tuple[int, int] = span) -> _Entry:
            return _Entry(code, "state", via, span[0], span[1], needs_year=span != _EVER)

        for name in (country.name, country.official_name):
            if name and not re.search(r"[(\[]", name):
                add(name, entry("name"))
        for adjective in country.adjectives:
            add(adjective, entry("adjective"))
            plural = _plural(adjective)
            if plural:
                add(plural, entry("adjective"))
        for metonym in country.metonyms:
            add(metonym, entry("capital"))
            if metonym in _BARE:
                add(metonym.removeprefix("the "), entry("capital"))
    for code, (more_names, adjectives, capitals) in _MORE.items():
        if code not in by_code:
            msg = f"actors: {code!r} in the table of more names is not a country code"
            raise DataError(msg)
        for name in _split(more_names):
            add(name, _Entry(code, "state", "acronym" if name.isupper() else "name"))
        for adjective in _split(adjectives):
            add(adjective, _Entry(code, "state", "adjective"))
        for capital in _split(capitals):
            add(capital, _Entry(code, "state", "capital"))

    for code, (earlier, until) in _PREDECESSOR.items():
        for entries in table.values():
            for e in [e for e in entries if e.actor == code]:  # the state's own names
                entries[entries.index(e)] = replace(e, since=until + 1)
                entries.append(_Entry(earlier, "state", e.via, _EVER[0], until, True))

    for leader in load_leaders():
        last = leader.terms[-1].state  # without a year, the state of the last term
        for term, form in itertools.product(leader.terms, leader.forms):
            until = _EVER[1] if term.until is None else term.until
            dated = term.state != last
            add(form, _Entry(term.state, "state", "leader", term.since, until, dated))
            if not form.startswith("the ") and not form.isupper():
                for suffix in (" administration", " government", " regime"):
                    add(
                        form + suffix,
                        _Entry(term.state, "state", "government", term.since, until, dated),
                    )

    for org in load_organisations().values():
        names[org.id] = org.name
        forms = [re.sub(r"\s*\(.*?\)", "", org.name), *org.aliases]
        forms += [x.removeprefix("the ") for x in re.findall(r"\((.*?)\)", org.name)]
        if re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", org.id):
            forms.append(org.id)
        # Acronyms first: "NATO" is the acronym, not the capitals of "Nato".
        for form in sorted(dict.fromkeys(forms), key=lambda f: any(c.islower() for c in f)):
            via = "acronym" if not any(ch.islower() for ch in form) else "name"
            add(form, _Entry(org.id, "organisation", via))
    add("Brussels", _Entry(_BRUSSELS, "organisation", "capital"))

    for phrase in _split(_NOT_ACTORS):
        add(phrase, _BLOCK)

    automaton = ahocorasick.Automaton()
    payloads: list[tuple[int, tuple[_Entry, ...]]] = []
    for variant, entries in table.items():
        automaton.add_word(variant, len(payloads))
        payloads.append((len(variant), tuple(entries)))
    automaton.make_automaton()
    return _Gazetteer(automaton, tuple(payloads), names)


def _resolve(entries: tuple[_Entry, ...], year: int | None) -> _Entry | None:
    """The one actor a form names in ``year`` (the block of a non-name), or None."""
    if _BLOCK in entries:
        return _BLOCK
    if year is None:
        found = [e for e in entries if not e.needs_year]
    else:
        found = [e for e in entries if e.since <= year <= e.until]
        if not found:
            # a past leader ("the Clinton administration" in a 2017 text) is still found;
            # only one who took office after the year is an anachronism
            found = [e for e in entries if e.via in ("leader", "government") and e.since <= year]
    if not found or len({(e.actor, e.kind) for e in found}) > 1:
        return None
    return found[0]


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_actors(text: str, *, year: int | None = None) -> list[Mention]:
    """Every mention of a state or an organisation in a text, in order.

    Parameters
    ----------
    text : str
        Usually the cleaned text of :func:`alliances.ingest.text.clean`; the offsets of
        the mentions point into it.
    year : int, optional
        The year the text speaks of. When given, a leader in office that year is found,
        and a past one too (a 2017 text may recall "the Clinton administration"), but not
        one who took office later; a form shared by leaders of two states names the one in
        office, else the past one if only one is past;
        when None, every leader is found (as the state of the last term, for one who served
        two: Bismarck is Germany), and a form shared by leaders of two states names no one.

    Returns
    -------
    list of Mention
        Sorted by position and never overlapping; ``text[m.start:m.end] == m.text``.
        ``actor`` is a state's canonical code (:attr:`alliances.countries.Country.code`) or
        an organisation's id; ``via`` is ``name``, ``acronym``, ``adjective`` (adjectives
        and demonyms), ``capital`` (capitals and seats), ``leader`` or ``government``.

    Examples
    --------
    >>> [(m.actor, m.via) for m in find_actors("Chamberlain flew to Munich.", year=1938)]
    [('GBR', 'leader')]
    >>> [m.actor for m in find_actors("Brussels sent troops. Brussels set tariffs.")]
    ['NATO', 'EU']
    """
    if not isinstance(text, str):
        msg = f"expected the text as str, got {type(text).__name__}"
        raise TypeError(msg)
    gazetteer = _gazetteer()
    payloads = gazetteer.payloads
    n = len(text)
    resolved: dict[int, _Entry | None] = {}
    found: list[tuple[int, int, _Entry]] = []
    for last, index in gazetteer.automaton.iter(text):
        length, entries = payloads[index]
        start, end = last - length + 1, last + 1
        if (start and _word(text[start - 1])) or (end < n and _word(text[end])):
            continue
        if index not in resolved:
            resolved[index] = _resolve(entries, year)
        entry = resolved[index]
        if entry is not None:
            found.append((start, end, entry))
    return _mentions(text, _longest(found))


def _longest(found: list[tuple[int, int, _Entry]]) -> list[tuple[int, int, _Entry]]:
    """The longest matches that do not overlap (the earlier of two of the same length).

    Longest first, each kept unless a character of it is taken: one mark per character
    of a kept match, so the pass is linear in the text (a form is at most a few dozen
    characters), not in the matches kept so far."""
    if len(found) <= 1:
        return found
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    taken = bytearray(max(end for _, end, _ in found))
    kept: list[tuple[int, int, _Entry]] = []
    for match in found:
        start, end = match[0], match[1]
        if 1 in taken[start:end]:
            continue  # a longer (or earlier) kept match holds one of its characters
        taken[start:end] = b"\x01" * (end - start)
        kept.append(match)
    kept.sort(key=lambda m: m[0])
    return kept


# A dateline after the place that opens a paragraph: "MOSCOW (AFP) -", "TAIPEI, Taiwan (AP)
# —", "HONG KONG /XIANGGANG/, December 10.", "Beijing: During …", "ISTANBUL -- …".
_DATELINE = re.compile(
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*(?:\((?:[A-Z][\w-]*\s*)+\)|/[A-Z]+/|"
    r",\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|:\s+[A-Z]|"
    r"\s+(?:[—–]|--?)\s)"
)


def _dateline_end(text: str, start: int, end: int, via: str) -> int | None:
    """Where the dateline ends when the place at ``start:end`` opens a paragraph as one
    (in capitals, or a capital city), else None: the place the story was filed from is no
    party to it."""
    k = start  # only blanks between the line's start and the place: read back over them
    while k > 0 and text[k - 1] in " \t\r\f\v":
        k -= 1
    if k > 0 and text[k - 1] != "\n":
        return None
    place = text[start:end]
    if not (place.isupper() and len(place) >= 4) and via != "capital":
        return None
    match = _DATELINE.match(text, end)
    if match is None:
        return None
    return match.end()


def _mentions(text: str, kept: Sequence[tuple[int, int, _Entry]]) -> list[Mention]:
    sentences: list[tuple[int, int]] | None = None
    starts: list[int] = []
    out: list[Mention] = []
    dateline = -1
    for start, end, entry in kept:
        if entry is _BLOCK or start < dateline:
            continue
        if entry.kind == "state":
            closes = _dateline_end(text, start, end, entry.via)
            if closes is not None:
                dateline = closes
                continue
        actor = entry.actor
        if actor == _BRUSSELS:
            if sentences is None:
                sentences = [(s.start, s.end) for s in split_sentences(text)]
                starts = [s for s, _ in sentences]
            about = _around(text, sentences, starts, start)
            actor = "NATO" if _ABOUT_THE_ALLIANCE.search(about) else "EU"
        out.append(Mention(actor, entry.kind, text[start:end], start, end, entry.via))
    return out


def _around(text: str, sentences: list[tuple[int, int]], starts: list[int], at: int) -> str:
    i = bisect.bisect_right(starts, at) - 1
    if i < 0:
        return text
    return text[sentences[i][0] : sentences[i][1]]


def actor_names(mentions: Iterable[Mention]) -> dict[str, str]:
    """The display name of every actor mentioned, by id, in order of first mention.

    Parameters
    ----------
    mentions : iterable of Mention
        As :func:`find_actors` returns them.

    Returns
    -------
    dict of str to str
        A state's name in the code list (``'RUS': 'Russia'``), an organisation's name
        (``'NATO': 'North Atlantic Treaty Organization'``); an unknown id names itself.

    Examples
    --------
    >>> actor_names(find_actors("Tehran and the CSTO"))
    {'IRN': 'Iran', 'CSTO': 'Collective Security Treaty Organization'}
    """
    names = _gazetteer().names
    return {m.actor: names.get(m.actor, m.actor) for m in mentions}


_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*(?:and|or))\s*(?:the\s+)?$")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+|\n+")
# A state named as a place or a language, not as an agent: "in Ukraine", "the Gulf of
# Thailand", "the Ukraine crisis", "the Syrian border", "in Spanish and English".
_PLACE_BEFORE = re.compile(
    r"\b(?:in|into|inside|across|near|throughout|(?:Gulf|Sea|Strait|Bay)\s+of)\s+(?:the\s+)?$"
)
_PLACE_AFTER = re.compile(
    r"^\s+(?:crisis|war|conflict|border|borders|frontier|airspace|territory|civil\s+war|"
    r"and\s+English|and\s+French|and\s+Spanish)\b"
)


def _as_place(text: str, m: Mention) -> bool:
    return bool(
        _PLACE_BEFORE.search(text, max(0, m.start - 24), m.start)
        or _PLACE_AFTER.match(text[m.end : m.end + 24])
    )


def find_parties(text: str, mentions: Sequence[Mention], roles: Iterable[str | None]) -> list[str]:
    """The states that take part in an article's question, in order of first mention.

    A state is a party when it holds one of ``roles`` (divider, target, partner), when
    the text names it twice or more outside lists, or when it is named outside a list in
    a sentence that names two of the roles. A state named only in a list of three or more
    ("Haiti, Tuvalu and Burkina Faso"), or once in an aside, is not.

    Examples
    --------
    >>> text = "China lured Panama from Taiwan. Haiti, Tuvalu and Chad still back Taiwan."
    >>> find_parties(text, find_actors(text), ("CHN", "PAN", "TWN"))
    ['CHN', 'PAN', 'TWN']
    """
    held = {r for r in roles if r}
    ordered = sorted(mentions, key=lambda m: m.start)
    in_list = [False] * len(ordered)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered):
            if not _LIST_GAP.match(text[ordered[j].end : ordered[j + 1].start]):
                break
            j += 1
        if len({m.actor for m in ordered[i : j + 1]}) >= 3:
            in_list[i : j + 1] = [True] * (j + 1 - i)
        i = j + 1
    bounds = [0] + [b.end() for b in _SENTENCE_END.finditer(text)]
    by_sentence: dict[int, set[str]] = {}
    counts: dict[str, int] = {}
    free: list[tuple[Mention, int]] = []
    for m, listed in zip(ordered, in_list, strict=True):
        s = bisect.bisect_right(bounds, m.start) - 1
        by_sentence.setdefault(s, set()).add(m.actor)
        if not listed and not _as_place(text, m):
            counts[m.actor] = counts.get(m.actor, 0) + 1
            free.append((m, s))
    out: list[str] = []
    for m, s in free:
        if m.kind != "state" or m.actor in out:
            continue
        if m.actor in held or counts[m.actor] >= 2 or len(by_sentence[s] & held) >= 2:
            out.append(m.actor)
    out += [r for r in held if r not in out and any(m.actor == r for m in ordered)]
    return out
