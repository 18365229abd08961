"""Organisations and coalitions of states, and who belonged to them in which year.

The table ships with the package as ``organisations.yaml`` (next to this module); the wedge
attempts of :mod:`alliances.studies.cases` name its entries as partners. Its top level has
``schema_version: 1``, a ``references`` mapping of keys to full citations, and a list of
``organisations``, each with

``id``
    an upper-case id (``NATO``, ``WARSAW-PACT``), unique in the file;
``name``, ``kind``
    its English name, and ``military``, ``economic`` or ``political``;
``cow_igo``
    optional: its ``ioname`` in the COW IGO data, version 3 (Pevehouse et al. 2020), given
    only where that dataset covers it;
``aliases``
    optional: the other names and acronyms texts call it by (``Warsaw Pact``, ``Nato``,
    ``the Quad``), each given once; an alias in capitals is an acronym;
``members``
    one entry per membership spell: ``state`` (a name or code that
    :func:`alliances.countries.resolve` knows), ``since`` and optionally ``until`` (years,
    both counted, as in the COW state system) and ``source`` (a key of ``references``);
``note``
    optional caveat.

A state is written as any name or code :func:`~alliances.countries.resolve` accepts
(``Russia``, ``USSR``, ``RUS``, ``365``), and it is kept as a :class:`State`: the name as
written, the code list's name and the COW state code. Where the code list has no COW code
for the state of the time, give the code with the name: ``{state: Prussia, cow: 255}``,
``{state: Ottoman Empire, cow: 640}``; in a member entry ``cow:`` sits beside ``state:``
(``{state: West Germany, cow: 260, since: 1955, until: 1990, source: …}``: the code list
knows no German Federal Republic).

The file is read by the package's one YAML loader, as a scenario is
(:func:`alliances._yaml.read_model`): at most :data:`MAX_BYTES`, UTF-8, one YAML document,
no anchors, aliases, tags or merge keys, no duplicate keys, bounded nesting, plain values
by the YAML 1.2 core schema with no NaN or infinity. Every problem is reported at once in a
:class:`~alliances.errors.DataError` that names the file, the line, the place in the file and
what was expected.

References
----------
Pevehouse, J. C. W., Nordstrom, T., McManus, R. W. and Jamison, A. S. (2020). Tracking
organizations in the world: The Correlates of War IGO Version 3.0 datasets. *Journal of
Peace Research* 57(3): 492–503.

Examples
--------
>>> nato = load_organisations()["NATO"]
>>> nato.kind, nato.cow_igo
('military', 'NATO')
>>> sorted(load_organisations()["TRIPLE-ALLIANCE"].members_in(1900))
[255, 300, 325]
>>> 260 in nato.members_in(1960), 255 in nato.members_in(1960)
(True, False)

The module passes 600 lines because it holds one concept whole: the organisations table,
its checked model, its reading through :func:`alliances._yaml.read_model` and the
membership queries by year, which no caller uses apart.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from alliances import countries
from alliances._yaml import Dialect, Text, read_model
from alliances.errors import DataError, Problem, UnknownCountryError

__all__ = [
    "MAX_BYTES",
    "Kind",
    "Membership",
    "Organisation",
    "State",
    "load_organisations",
    "parse_organisations",
    "resolve_state",
]

MAX_BYTES = 1024 * 1024
"""Largest organisations file read, in bytes (1 MiB; the packaged one is about 40 KB)."""

Kind = Literal["military", "economic", "political"]
"""What an organisation is for."""

_ID = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"
_KEY = r"^[A-Za-z][A-Za-z0-9_-]*$"
_PACKAGED = "organisations.yaml"


class State(BaseModel):
    """A state of the COW state system: the name as written, the code list's name, its code.

    Built from any name or code :func:`alliances.countries.resolve` accepts, or from a
    mapping ``{state: NAME, cow: CODE}`` for a state the code list has no COW code for
    (see the module docstring).

    >>> State.model_validate("USSR")
    State(name='USSR', country='Russia', cow=365)
    >>> State.model_validate({"state": "Prussia", "cow": 255}).country
    'Germany'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The name as written in the file.")
    country: str = Field(description="The name of the code list (alliances.countries).")
    cow: int = Field(ge=1, le=999, description="The COW state code.")

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any) -> Any:
        if isinstance(data, State):
            return data
        if isinstance(data, dict) and set(data) == {"name", "country", "cow"}:
            return data  # an already resolved state (model_dump)
        return _resolve_state(data)

    def __str__(self) -> str:
        return self.name


def resolve_state(value: str | int | dict[str, Any]) -> State:
    """The :class:`State` that ``value`` names.

    Parameters
    ----------
    value : str, int or dict
        A name or code :func:`alliances.countries.resolve` accepts, or a mapping
        ``{"state": name, "cow": code}`` for a state the code list has no COW code for.

    Returns
    -------
    State

    Raises
    ------
    ValueError
        If the value names no state, names one without a COW code, or the name and the
        code of a mapping contradict each other; the message says what to write instead.

    Examples
    --------
    >>> resolve_state("Prussia")
    Traceback (most recent call last):
    ...
    ValueError: 'Prussia' has no COW state code in the code list; ... {state: Prussia, cow: 255}
    >>> resolve_state({"state": "Ottoman Empire", "cow": 640})
    State(name='Ottoman Empire', country='Turkey', cow=640)
    """
    return State.model_validate(_resolve_state(value))


_HINTS = {"prussia": 255, "sardinia": 325, "piedmont-sardinia": 325, "serbia": 345}


def _resolve_state(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return _resolve_mapping(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        msg = (
            "expected a state: a name or code (e.g. 'France', 'FRN', 220) or "
            f"{{state: NAME, cow: CODE}}, got {_shown(value)}"
        )
        raise ValueError(msg)
    try:
        found = countries.resolve(value)
    except UnknownCountryError as err:
        raise ValueError(str(err)) from None
    if found.cow is None:
        code = _HINTS.get(str(value).strip().lower())
        example = f"{{state: {value}, cow: {code}}}" if code else "{state: NAME, cow: CODE}"
        msg = (
            f"{value!r} has no COW state code in the code list; write the COW state with "
            f"its code, e.g. {example}"
        )
        raise ValueError(msg)
    name = value.strip() if isinstance(value, str) else found.name
    return {"name": name, "country": found.name, "cow": found.cow}


def _resolve_mapping(value: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(str(k) for k in set(value) - {"state", "cow"})
    if unknown or "state" not in value or "cow" not in value:
        msg = (
            "expected a state as {state: NAME, cow: CODE} (both keys, nothing else), got "
            f"the keys {', '.join(sorted(map(str, value))) or '(none)'}"
        )
        raise ValueError(msg)
    name, code = value["state"], value["cow"]
    if not isinstance(name, str) or not name.strip():
        msg = f"state: expected the state's name as text, got {_shown(name)}"
        raise ValueError(msg)
    if isinstance(code, bool) or not isinstance(code, int) or not 1 <= code <= 999:
        msg = f"cow: expected a COW state code (an integer from 1 to 999), got {_shown(code)}"
        raise ValueError(msg)
    by_name = _quiet_resolve(name)
    by_code = _quiet_resolve(code)
    known = by_code or by_name
    if known is None:
        msg = (
            f"neither the name {name!r} nor the COW code {code} is known to the code list; "
            "check both (alliances.countries.resolve)"
        )
        raise ValueError(msg)
    # A state's own name with another state's code is a mistake; a historical name that
    # the code list matches only by pattern ("Austrian Empire" as Austria) or knows
    # without a COW code ("Prussia") is kept with the code given.
    own_name = by_name is not None and name.strip().lower() in {n.lower() for n in by_name.names()}
    if (
        own_name
        and by_name is not None
        and by_name.cow is not None
        and by_code is not None
        and by_name.cow != code
    ):
        msg = (
            f"{name!r} is {by_name.name} (COW {by_name.cow}) but cow: {code} is "
            f"{by_code.name}; give the code of the state you mean"
        )
        raise ValueError(msg)
    return {"name": name.strip(), "country": known.name, "cow": code}


def _quiet_resolve(query: str | int) -> countries.Country | None:
    try:
        return countries.resolve(query)
    except UnknownCountryError:
        return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Membership(_Model):
    """One spell of a state's membership: from ``since`` to ``until`` (both counted)."""

    state: State
    since: int = Field(ge=1800, le=2100)
    until: int | None = Field(None, ge=1800, le=2100)
    source: str = Field(pattern=_KEY, description="A key of the file's references.")
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _code_beside_state(cls, data: Any) -> Any:
        # `{state: West Germany, cow: 260, ...}`: the code belongs to the state.
        if isinstance(data, dict) and "cow" in data:
            data = dict(data)
            data["state"] = {"state": data.get("state"), "cow": data.pop("cow")}
        return data

    @field_validator("source")
    @classmethod
    def _defined(cls, source: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("references")
        if known is None or source in known:
            return source
        near = difflib.get_close_matches(source, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}?" if near else f"defined: {', '.join(sorted(known))}"
        msg = f"{source!r} is not a key of references ({hint})"
        raise ValueError(msg)

    @model_validator(mode="after")
    def _ordered(self) -> Membership:
        if self.until is not None and self.until < self.since:
            msg = f"until={self.until} should be >= since={self.since}"
            raise ValueError(msg)
        return self

    def covers(self, year: int) -> bool:
        """Whether the state is a member in ``year``."""
        return self.since <= year and (self.until is None or year <= self.until)


class Organisation(_Model):
    """An organisation or coalition and its membership spells.

    ``citations`` maps the source keys its members use to their full citations.
    """

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    kind: Kind
    cow_igo: str | None = Field(None, pattern=r"^[A-Za-z][A-Za-z0-9-]*$")
    aliases: tuple[str, ...] = Field(
        (), description="Other names and acronyms of the organisation, as texts write them."
    )
    members: tuple[Membership, ...] = Field(min_length=1)
    note: str | None = None

    _citations: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _count(cls, data: Any, info: ValidationInfo) -> Any:
        seen = (info.context or {}).get("seen")
        if seen is not None:
            seen["current"] = seen.get("current", -1) + 1
        return data

    @field_validator("id")
    @classmethod
    def _unique(cls, value: str, info: ValidationInfo) -> str:
        seen = (info.context or {}).get("seen")
        if seen is None:
            return value
        ids = seen.setdefault("ids", {})
        if value in ids:
            msg = f"duplicate id {value!r}: organisations[{ids[value]}] has it already"
            raise ValueError(msg)
        ids[value] = seen["current"]
        return value

    @field_validator("aliases")
    @classmethod
    def _distinct_names(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for alias in aliases:
            if not alias.strip() or alias != " ".join(alias.split()):
                msg = f"alias {alias!r} should be a name without surrounding or double spaces"
                raise ValueError(msg)
            if alias in seen:
                msg = f"alias {alias!r} is given twice; give each name once"
                raise ValueError(msg)
            seen.add(alias)
        return aliases

    @field_validator("members")
    @classmethod
    def _no_overlap(cls, members: tuple[Membership, ...]) -> tuple[Membership, ...]:
        for i, later in enumerate(members):
            for j, earlier in enumerate(members[:i]):
                if earlier.state.cow != later.state.cow:
                    continue
                end_earlier = math.inf if earlier.until is None else earlier.until
                end_later = math.inf if later.until is None else later.until
                if later.since <= end_earlier and earlier.since <= end_later:
                    msg = (
                        f"members[{j}] and members[{i}] give overlapping spells for "
                        f"{later.state.name} (COW {later.state.cow}); one spell per period"
                    )
                    raise ValueError(msg)
        return members

    @property
    def citations(self) -> dict[str, str]:
        """Full citations of the sources of the membership spells, by key."""
        return dict(self._citations)

    @property
    def years(self) -> tuple[int, int | None]:
        """The first year with a member, and the last (None while it has members)."""
        first = min(m.since for m in self.members)
        ends = [m.until for m in self.members]
        return first, None if None in ends else max(e for e in ends if e is not None)

    def members_in(self, year: int) -> list[int]:
        """The COW codes of the members in ``year``, in the file's order.

        Parameters
        ----------
        year : int
            A calendar year; both the year of entry and the year of exit count.

        Returns
        -------
        list of int
            Empty when the organisation had no members that year.

        Examples
        --------
        >>> load_organisations()["WARSAW-PACT"].members_in(1950)
        []
        >>> 339 in load_organisations()["WARSAW-PACT"].members_in(1968)
        True
        """
        return list(dict.fromkeys(m.state.cow for m in self.members if m.covers(year)))

    def codes_in(self, year: int) -> list[str]:
        """The canonical codes (:mod:`alliances.countries`) of the members in ``year``, in
        the file's order; a member the code list does not know is left out.

        >>> "POL" in load_organisations()["NATO"].codes_in(2000)
        True
        """
        out = []
        for cow in self.members_in(year):
            try:
                out.append(countries.resolve(cow).code)
            except UnknownCountryError:
                continue
        return out

    def states_in(self, year: int) -> list[State]:
        """The member states in ``year`` (as :class:`State`), in the file's order."""
        found: dict[int, State] = {}
        for m in self.members:
            if m.covers(year):
                found.setdefault(m.state.cow, m.state)
        return list(found.values())


def check_references(references: dict[str, str]) -> dict[str, str]:
    """Refuse a reference key that is not a bare key, or a key without its citation (the
    ``references`` of the data files shipped with the package)."""
    for key, text in references.items():
        if not re.match(_KEY, key):
            msg = f"reference key {key!r} should start with a letter: letters, digits, - or _"
            raise ValueError(msg)
        if not text.strip():
            msg = f"reference {key!r} needs its full citation"
            raise ValueError(msg)
    return references


def check_unique(what: str, ids: list[str]) -> None:
    """Refuse repeated ids, naming them."""
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        msg = f"{what} must be unique, repeated: {', '.join(repeated)}"
        raise ValueError(msg)


class _File(_Model):
    schema_version: Literal[1]
    references: dict[str, str]
    organisations: tuple[Organisation, ...] = Field(min_length=1)

    @field_validator("references")
    @classmethod
    def _keys_and_citations(cls, references: dict[str, str]) -> dict[str, str]:
        return check_references(references)

    @model_validator(mode="after")
    def _consistent(self) -> _File:
        check_unique("organisation ids", [org.id for org in self.organisations])
        for org in self.organisations:
            used = {m.source for m in org.members} & set(self.references)
            org._citations.update({key: self.references[key] for key in sorted(used)})
        return self


# --- reading the table ------------------------------------------------------------


def _context(data: dict[str, Any]) -> dict[str, Any]:
    """The validation context: the file's reference keys, and the ids seen so far."""
    references = data.get("references")
    keys = tuple(map(str, references)) if isinstance(references, dict) else ()
    return {"references": keys, "seen": {}}


def _invalid(problems: list[Problem], file: str | None) -> DataError:
    """The error of a table with problems: the file, then every problem on its line."""
    n = len(problems)
    head = f"{file}: {n} problem{'s' if n != 1 else ''}"
    return DataError("\n".join([head, *(f"  {p}" for p in problems)]))


def _unreadable(message: str, line: int | None, file: str) -> DataError:
    """The error of a file that cannot be read."""
    where = f"line {line}: " if line is not None else ""
    return DataError(f"{file}: {where}{message}")


_NOT_REGULAR = "not a regular file; expected a YAML table of organisations"
_NOT_FINITE = "{text} is not a finite number"

_ORGANISATIONS = Dialect(
    max_bytes=MAX_BYTES,
    max_depth=16,
    check_version=False,
    cannot_read="cannot read the file ({reason})",
    folder=_NOT_REGULAR,
    not_regular=_NOT_REGULAR,
    file_too_big="the file is {size:,} bytes; at most {max_bytes:,} are read",
    file_grew="the file grew beyond {max_bytes:,} bytes while being read",
    utf16="not valid UTF-8 (byte offset 0); save it as UTF-8",
    not_utf8="not valid UTF-8 (byte offset {start}); save it as UTF-8",
    forbidden="character U+{code:04X} is not allowed",
    second_document="one YAML document is read; a second one starts here",
    too_many_nodes="more than {max_nodes:,} values; this is not an organisations table",
    alias="aliases (*{anchor}) are not allowed; write the value out",
    anchor="anchors (&{anchor}) are not allowed; write every value out",
    tag="tags ({tag}) are not allowed; write a plain value",
    collection_key="a key must be a plain value",
    too_deep="nested deeper than {max_depth} levels",
    merge_key="merge keys (<<) are not allowed",
    duplicate_key="duplicate key {key!r} (first on line {first}); a key may appear once",
    long_int="an integer of {digits:,} digits is too long (at most {max_int_digits})",
    not_finite=_NOT_FINITE,
    overflow=_NOT_FINITE,
    not_a_path=None,
    missing="no such file; expected a YAML table of organisations",
    bytes_too_big="the file is larger than {max_bytes:,} bytes",
    text_too_big="the file is larger than {max_bytes:,} bytes",
    not_a_mapping=(
        "expected a mapping with schema_version, references and organisations, got {found}"
    ),
    unnamed="<organisations>",
    validate_past_values=False,
    too_nested=None,
    validator_failed=None,
    union_tags=frozenset(),
    unknown_field="unknown field (check its spelling against the module docstring)",
    required="this field is required",
    show_input=frozenset({"int_parsing", "int_type", "string_type", "literal_error"}),
    input_width=60,
    skip_emptied=True,
    root_line=True,
)
"""The limits and wording of an organisations table."""


def load_organisations(path: str | os.PathLike[str] | None = None) -> dict[str, Organisation]:
    """The organisations of the packaged table, or of a file in the same format.

    Parameters
    ----------
    path : str or path-like, optional
        A YAML file laid out as ``organisations.yaml`` (see the module docstring). By
        default the table that ships with the package.

    Returns
    -------
    dict of str to Organisation
        By id, in the file's order. A new dict on every call; the organisations are
        immutable.

    Raises
    ------
    DataError
        If the file cannot be read or does not validate; the message names the file and,
        for each problem, its line, its place in the file and what was expected.

    Examples
    --------
    >>> orgs = load_organisations()
    >>> "NATO" in orgs and "WARSAW-PACT" in orgs
    True
    >>> orgs["EU"].members_in(2021) == orgs["EU"].members_in(2020)
    False
    """
    if path is None:
        return dict(_packaged())
    return _read(path)


@cache
def _packaged() -> dict[str, Organisation]:
    text = resources.files("alliances.world").joinpath(_PACKAGED).read_text(encoding="utf-8")
    return parse_organisations(text, file=f"<packaged {_PACKAGED}>")


def parse_organisations(text: str, file: str | None = None) -> dict[str, Organisation]:
    """Validate an organisations table from YAML text (see :func:`load_organisations`).

    Parameters
    ----------
    text : str
        The YAML document.
    file : str, optional
        The name shown in error messages.

    Returns
    -------
    dict of str to Organisation

    Raises
    ------
    DataError
        With every problem of the document, each with its line.

    Examples
    --------
    >>> text = '''
    ... schema_version: 1
    ... references: {t: "Treaty of Example, 1900."}
    ... organisations:
    ...   - id: PAIR
    ...     name: A pair
    ...     kind: military
    ...     members:
    ...       - {state: France, since: 1900, source: t}
    ...       - {state: Spain, since: 1900, until: 1910, source: t}
    ... '''
    >>> parse_organisations(text)["PAIR"].members_in(1911)
    [220]
    """
    return _read(Text(text, file))


def _read(source: str | os.PathLike[str] | Text) -> dict[str, Organisation]:
    """The organisations of a file or a text, by id (see :func:`load_organisations`)."""
    table = read_model(
        source,
        _File,
        dialect=_ORGANISATIONS,
        context=_context,
        error=_invalid,
        file_error=_unreadable,
    )
    return {org.id: org for org in table.organisations}
