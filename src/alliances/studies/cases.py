"""Documented wedge attempts, 1815–2020: the catalogue the wedge model is scored against.

A *wedge attempt* is a divider's effort to pull a target state away from a partner: to
break an existing alignment (goal ``detach``) or to stop one from forming (goal
``prevent``), with rewards, coercion or both (Crawford 2011; Izumikawa 2013). The
catalogue ships with the package as ``wedge_attempts.yaml`` (next to this module);
:func:`load_cases` reads it, or any file in the same format, into a :class:`Catalogue`.

The file
--------
Its top level holds ``schema_version: 1``, a ``references`` mapping of keys to full
citations, and ``cases``, a list of mappings with these fields:

``id``
    a slug (``italy-1914-entente``), written in any case and kept in lower case
    (``Italy-1914-Entente`` is ``italy-1914-entente``), unique in the catalogue once in
    lower case;
``divider``, ``target``
    the divider (one state or a list) and the target (one state); see *States* below;
``partner``
    what the target is pulled away from: a state, ``{organisation: ID}`` for an
    organisation of :mod:`alliances.world.organisations` that has members in
    ``start_year``, or a list mixing both (``[FRN, {organisation: NATO}]``). The partner
    states are the states listed and each organisation's members in ``start_year``, once
    each, less the target (which may be a member of the organisation, but not listed);
``start_year``, ``end_year``
    the year the attempt began, and optionally the year it was decided; both within
    1815–2020, ``end_year >= start_year``;
``goal``
    ``detach`` (an existing alignment) or ``prevent`` (a new one);
``instruments``
    at least one ``{type, description, value}``: ``type`` is ``reward`` or ``coercion``,
    ``description`` says what was offered or threatened, and the optional ``value`` is a
    money :data:`~alliances.scenario.quantity.Quantity` (``{value: 20, unit: USD m,
    source: key, note: …}``), given only where a source states a figure;
``outcome``
    ``success``, ``partial`` (the record is mixed) or ``failure``, for the divider;
``summary``
    optional: one or two sentences;
``sources``
    at least one key of ``references``.

States
------
A state is a member of the COW state system in ``start_year`` (Correlates of War Project
2017, State System Membership v2016; :func:`alliances.countries.cow_states_in`), written as

* its COW number (``260``, ``365``), its COW letters (``GFR``, ``AUH``, ``RVN``) or its
  COW name (``German Federal Republic``, ``Yemen Arab Republic``);
* any other name or code :func:`alliances.countries.resolve` accepts (``Soviet Union``,
  ``West Germany``, ``RUS``), read for ``start_year``: of the states a text may name, the
  one in the system that year (``KOR`` is Korea, COW 730, in 1890 and South Korea in
  2000; ``Prussia`` is COW 255 until 1870). Letters that are one state's ISO3 code and
  another's COW letters, both in the system that year (``AUS`` in 1960: Australia,
  Austria), are refused as ambiguous: write the name or the number;
* ``{state: NAME, cow: CODE}`` for a name the code list does not know by that code
  (``{state: Austrian Empire, cow: 300}``, ``{state: Ottoman Empire, cow: 640}``).

It is kept as a :class:`~alliances.world.organisations.State` (the name as written, the
code list's name and the COW code). A state outside the system in ``start_year`` is refused
with its years (``GFR`` in 1950: the German Federal Republic is a member 1955–1990). The
divider, the target and the partner must be different states.

Reading is as safe as for a scenario (the same reader, :mod:`alliances.scenario.io`): a
regular UTF-8 file of at most 5 MiB, one YAML document, no anchors, aliases, tags or merge
keys. Every problem is reported at once in a :class:`~alliances.errors.ScenarioError` that
names the file, the line, the place in the file (``cases[3].partner``) and what was
expected. ``schema_version`` stays 1: ids in any case, no summary, mixed partners and
every COW state only add to what a file may say. A file valid before reads the same but
for corrections: a state outside the COW state system in ``start_year`` is refused (the
format always asked for one of the year), ``GFR`` and ``West Germany`` are COW 260 (they
were read as Germany, 255), and letters ambiguous in the year (``AUS`` in 1960, read as
Australia before) are refused.

References
----------
Correlates of War Project (2017). State System Membership List, v2016.
https://correlatesofwar.org/data-sets/state-system-membership/

Crawford, T. W. (2011). Preventing enemy coalitions: How wedge strategies shape power
politics. *International Security* 35(4): 155–189.

Izumikawa, Y. (2013). To coerce or reward? Theorizing wedge strategies in alliance
politics. *Security Studies* 22(3): 498–531.

Examples
--------
>>> catalogue = load_cases()
>>> case = catalogue.by_id("italy-1914-entente")
>>> case.goal, case.outcome, case.label, case.reward_only
('detach', 'success', 1.0, True)
>>> case.partner_organisation, case.partner_codes
('TRIPLE-ALLIANCE', (255, 300))
"""

from __future__ import annotations

import contextvars
import difflib
import os
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from alliances import _yaml, countries
from alliances.errors import Problem, ScenarioError, UnknownCountryError
from alliances.scenario.quantity import REFERENCES, Quantity, expect
from alliances.world.organisations import (
    Organisation,
    State,
    check_references,
    check_unique,
    load_organisations,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CATALOGUE",
    "FIRST_YEAR",
    "LABELS",
    "LAST_YEAR",
    "Case",
    "Catalogue",
    "Goal",
    "Instrument",
    "InstrumentType",
    "OrganisationRef",
    "Outcome",
    "load_cases",
    "parse_cases",
]

CATALOGUE = "wedge_attempts.yaml"
"""The file name of the packaged catalogue (in :mod:`alliances.studies`)."""
FIRST_YEAR = 1815
"""Earliest year of a case."""
LAST_YEAR = 2020
"""Latest year of a case."""

Goal = Literal["detach", "prevent"]
"""``detach``: break an existing alignment; ``prevent``: stop a new one from forming."""
Outcome = Literal["success", "partial", "failure"]
"""The outcome for the divider; ``partial`` where the record is mixed."""
InstrumentType = Literal["reward", "coercion"]
"""What an instrument is: an inducement, or a threat or punishment."""
LABELS: dict[str, float] = {"success": 1.0, "partial": 0.5, "failure": 0.0}
"""The numeric label of each outcome (:attr:`Case.label`)."""

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Money = Annotated[Quantity, expect("USD", "USD/yr", lower=0.0)]

_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# The tags of a partner's items (a state or an organisation), dropped from locations.
_STATE_TAG = "partner-state"
_ORGANISATION_TAG = "partner-organisation"
_PARTNER_EXPECTED = (
    "expected a state, a list of states, or {organisation: ID} (an id of "
    "alliances/world/organisations.yaml), or a list mixing states and organisations"
)


class _Seen:
    """The ids of the cases validated so far in one Catalogue validation, by index."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.current = -1


_SEEN: contextvars.ContextVar[_Seen | None] = contextvars.ContextVar(
    "alliances_cases_seen", default=None
)
# The references of the catalogue being validated (None outside one).
_CITATIONS: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "alliances_cases_citations", default=None
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Instrument(_Model):
    """One instrument of a wedge attempt: what the divider offered or threatened."""

    type: InstrumentType
    description: str = Field(min_length=3, description="What was offered or threatened.")
    value: Money | None = Field(
        None, description="Its money value, only where a source gives a figure."
    )

    _citation: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _keep_citation(self) -> Instrument:
        citations = _CITATIONS.get()
        if self.value is not None and self.value.source and citations:
            self._citation = citations.get(self.value.source)
        return self

    def scenario_value(self) -> dict[str, Any] | None:
        """The value as a scenario quantity (a plain mapping), or None without one.

        A bare reference key of the catalogue is replaced by its full citation, so that
        the quantity is valid in a scenario that does not define the key.

        Examples
        --------
        >>> case = load_cases().by_id("yugoslavia-1949")
        >>> value = case.instruments[0].scenario_value()
        >>> value["value"], value["unit"], value["source"].startswith("Lees")
        (20.0, 'USD m', True)
        """
        if self.value is None:
            return None
        data = self.value.model_dump(mode="json", exclude_none=True)
        if self._citation is not None:
            data["source"] = f"{self._citation.replace(';', ',')} [{self.value.source}]"
        return data


def _organisations(info: ValidationInfo) -> dict[str, Organisation]:
    found = (info.context or {}).get("organisations")
    return load_organisations() if found is None else found


def _start_year(info: ValidationInfo) -> int | None:
    year = info.data.get("start_year")
    return year if isinstance(year, int) else None


def _state_of_the_year(value: Any, info: ValidationInfo) -> Any:
    """A state written as a name or code, read for ``start_year`` (see *States*).

    Anything else, and a name of no COW state that year (``Prussia`` in 1900), goes on to
    :class:`State` as written, which says what to write instead.
    """
    year = _start_year(info)
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
    year = _start_year(info)
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


_CaseState = Annotated[State, BeforeValidator(_state_of_the_year), AfterValidator(_in_the_system)]
"""A state of a case: a member of the COW state system in the case's ``start_year``."""


class OrganisationRef(_Model):
    """A partner given as an organisation of :mod:`alliances.world.organisations`."""

    organisation: str = Field(min_length=1)


def _known_organisation(ref: OrganisationRef, info: ValidationInfo) -> OrganisationRef:
    orgs = _organisations(info)
    org = orgs.get(ref.organisation)
    if org is None:
        near = difflib.get_close_matches(ref.organisation, list(orgs), n=1, cutoff=0.5)
        hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(orgs)}"
        msg = (
            f"unknown organisation {ref.organisation!r} ({hint}); the organisations "
            "are those of alliances/world/organisations.yaml"
        )
        raise ValueError(msg)
    year = _start_year(info)
    if year is not None and not org.members_in(year):
        first, last = org.years
        span = f"{first}–{last}" if last is not None else f"from {first}"
        msg = (
            f"organisation {org.id!r} has no members in start_year {year} (it has members {span})"
        )
        raise ValueError(msg)
    return ref


def _partner_kind(value: Any) -> str:
    if isinstance(value, OrganisationRef) or (isinstance(value, dict) and "organisation" in value):
        return _ORGANISATION_TAG
    return _STATE_TAG


_PartnerItem = Annotated[
    Annotated[_CaseState, Tag(_STATE_TAG)]
    | Annotated[OrganisationRef, AfterValidator(_known_organisation), Tag(_ORGANISATION_TAG)],
    Discriminator(_partner_kind),
]
"""One item of the partner: a state, or an organisation."""


def _as_list(value: Any, *, mappings: bool = False) -> Any:
    """One state (a name, a code or ``{state, cow}``; or with ``mappings`` any mapping, such
    as ``{organisation: ID}``) written alone as a list of one."""
    if isinstance(value, str | int | State) and not isinstance(value, bool):
        return [value]
    if isinstance(value, dict) and (mappings or "organisation" not in value):
        return [value]
    if mappings and isinstance(value, OrganisationRef):
        return [value]
    return value


class Case(_Model):
    """A documented wedge attempt (see the module docstring for every field)."""

    id: str = Field(
        pattern=_SLUG, description="Slug, kept in lower case, unique in the catalogue."
    )
    start_year: Year = Field(description="The year the attempt began.")
    end_year: Year | None = Field(None, description="The year it was decided.")
    divider: tuple[_CaseState, ...] = Field(min_length=1)
    target: _CaseState
    partner: tuple[_PartnerItem, ...] = Field(
        description="States and organisations, as written (see partner_states)."
    )
    goal: Goal
    instruments: tuple[Instrument, ...]
    outcome: Outcome
    summary: str | None = Field(None, min_length=10)
    sources: tuple[str, ...]

    _partner_states: tuple[State, ...] = PrivateAttr(default=())

    @model_validator(mode="before")
    @classmethod
    def _count(cls, data: Any) -> Any:
        seen = _SEEN.get()
        if seen is not None:
            seen.current += 1
        return data

    @field_validator("id", mode="before")
    @classmethod
    def _lower_case(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("id")
    @classmethod
    def _unique(cls, value: str) -> str:
        seen = _SEEN.get()
        if seen is None:
            return value
        if value in seen.ids:
            # _problems words it, with the line of the first (the ctx keeps its index).
            kind, msg = "duplicate_id", "duplicate id {id}: cases[{first}] has it already"
            raise PydanticCustomError(kind, msg, {"id": value, "first": seen.ids[value]})
        seen.ids[value] = seen.current
        return value

    @field_validator("divider", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("partner", mode="before")
    @classmethod
    def _partner_list(cls, value: Any) -> Any:
        value = _as_list(value, mappings=True)
        if not isinstance(value, list | tuple):
            msg = f"{_PARTNER_EXPECTED}, got {value!r}"
            raise ValueError(msg)
        if not value:
            msg = "expected at least one partner: a state or {organisation: ID}"
            raise ValueError(msg)
        return value

    @field_validator("instruments")
    @classmethod
    def _some_instrument(cls, instruments: tuple[Instrument, ...]) -> tuple[Instrument, ...]:
        if not instruments:
            msg = "a case needs at least one instrument: {type: reward or coercion, description}"
            raise ValueError(msg)
        return instruments

    @field_validator("sources")
    @classmethod
    def _defined_sources(cls, sources: tuple[str, ...]) -> tuple[str, ...]:
        if not sources:
            msg = "a case needs at least one source: a key of the catalogue's references"
            raise ValueError(msg)
        repeated = sorted({s for s in sources if sources.count(s) > 1})
        if repeated:
            msg = f"sources listed twice: {', '.join(repeated)}"
            raise ValueError(msg)
        known = REFERENCES.get()
        if known is None:
            return sources
        for key in sources:
            if key in known:
                continue
            near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = f"did you mean {near[0]!r}?" if near else "define it under 'references:'"
            msg = f"source {key!r} is not a key of the catalogue's references ({hint})"
            raise ValueError(msg)
        return sources

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Case:
        if self.end_year is not None and self.end_year < self.start_year:
            msg = f"end_year={self.end_year} should be >= start_year={self.start_year}"
            raise ValueError(msg)
        dividers = {s.cow: s for s in self.divider}
        if len(dividers) < len(self.divider):
            msg = "a divider is listed twice"
            raise ValueError(msg)
        if self.target.cow in dividers:
            msg = f"the target {self.target} is also a divider"
            raise ValueError(msg)
        if self.target.cow in {s.cow for s in self.partner if isinstance(s, State)}:
            msg = f"the target {self.target} is also a partner"
            raise ValueError(msg)
        orgs = _organisations(info)
        partners: dict[int, State] = {}
        for item in self.partner:
            members = (
                [item]
                if isinstance(item, State)
                else orgs[item.organisation].states_in(self.start_year)
            )
            for state in members:
                if state.cow != self.target.cow:
                    partners.setdefault(state.cow, state)
        if not partners:
            ids = ", ".join(repr(org) for org in self.partner_organisations)
            have = "has" if len(self.partner_organisations) == 1 else "have"
            msg = (
                f"organisation {ids} {have} no members in {self.start_year} besides the "
                f"target {self.target}"
            )
            raise ValueError(msg)
        both = [s.name for s in partners.values() if s.cow in dividers]
        if both:
            msg = f"divider and partner overlap: {', '.join(both)}"
            raise ValueError(msg)
        self._partner_states = tuple(partners.values())
        return self

    @property
    def reward_only(self) -> bool:
        """Whether every instrument is a reward (no coercion)."""
        return all(i.type == "reward" for i in self.instruments)

    @property
    def label(self) -> float:
        """The outcome as a number: 1 for success, 0.5 for partial, 0 for failure."""
        return LABELS[self.outcome]

    @property
    def partner_organisation(self) -> str | None:
        """The organisation's id when the partner is an organisation alone, else None (see
        :attr:`partner_organisations`)."""
        alone = len(self.partner) == 1 and isinstance(self.partner[0], OrganisationRef)
        return self.partner_organisations[0] if alone else None

    @property
    def partner_organisations(self) -> tuple[str, ...]:
        """The ids of the organisations named in the partner, in the file's order."""
        return tuple(p.organisation for p in self.partner if isinstance(p, OrganisationRef))

    @property
    def partner_states(self) -> tuple[State, ...]:
        """The partner states: those listed and the organisations' members in the start
        year, once each, in that order, less the target."""
        return self._partner_states

    @property
    def divider_codes(self) -> tuple[int, ...]:
        """COW codes of the dividers."""
        return tuple(s.cow for s in self.divider)

    @property
    def partner_codes(self) -> tuple[int, ...]:
        """COW codes of the partner states (see :attr:`partner_states`)."""
        return tuple(s.cow for s in self._partner_states)

    @property
    def divider_ref(self) -> int | list[int]:
        """The divider as :func:`alliances.studies.drafting.draft` takes it: a COW code, or
        a list of them for a coalition."""
        codes = list(self.divider_codes)
        return codes[0] if len(codes) == 1 else codes

    @property
    def target_ref(self) -> int:
        """The target's COW code."""
        return self.target.cow

    @property
    def partner_ref(self) -> int | list[int]:
        """The partner states' COW codes (an organisation's members in ``start_year``,
        less the target), as :attr:`divider_ref`."""
        codes = list(self.partner_codes)
        return codes[0] if len(codes) == 1 else codes

    @property
    def instrument_types(self) -> tuple[str, ...]:
        """The kinds of instrument used, in the order ``reward``, ``coercion``."""
        kinds = {i.type for i in self.instruments}
        return tuple(k for k in ("reward", "coercion") if k in kinds)


class Catalogue(_Model):
    """The catalogue: its references and its cases, in the file's order."""

    schema_version: Literal[1]
    references: dict[str, str] = Field(description="Reference keys and their full citations.")
    cases: tuple[Case, ...] = Field(min_length=1)

    @model_validator(mode="wrap")
    @classmethod
    def _in_context(cls, data: Any, handler: Any) -> Catalogue:
        refs = data.get("references") if isinstance(data, dict) else None
        keys = tuple(str(k) for k in refs) if isinstance(refs, dict) else None
        token_refs = REFERENCES.set(keys)
        token_seen = _SEEN.set(_Seen())
        token_citations = _CITATIONS.set(
            {str(k): str(v) for k, v in refs.items()} if isinstance(refs, dict) else None
        )
        try:
            return handler(data)
        finally:
            _CITATIONS.reset(token_citations)
            _SEEN.reset(token_seen)
            REFERENCES.reset(token_refs)

    @field_validator("references")
    @classmethod
    def _citations(cls, references: dict[str, str]) -> dict[str, str]:
        return check_references(references)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        check_unique("case ids", [case.id for case in self.cases])
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        """The case ids, in the file's order."""
        return tuple(case.id for case in self.cases)

    def by_id(self, case_id: str) -> Case:
        """The case with this id.

        Parameters
        ----------
        case_id : str
            A case id, e.g. ``"spain-1940"``, in any case.

        Returns
        -------
        Case

        Raises
        ------
        KeyError
            If no case has it; the message names the closest ids.

        Examples
        --------
        >>> load_cases().by_id("spain-1940").outcome
        'success'
        """
        for case in self.cases:
            if case.id == case_id.lower():
                return case
        near = difflib.get_close_matches(case_id, self.ids, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        msg = f"no case {case_id!r} in the catalogue{hint}"
        raise KeyError(msg)

    def citations(self, case: Case) -> list[str]:
        """The full citations of a case's sources, in its order."""
        return [self.references[key] for key in case.sources]

    def to_frame(self) -> pd.DataFrame:
        """One row per case, for the backtest.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``id``, with ``start_year``, ``end_year``, ``goal``, ``outcome``,
            ``label``, ``reward_only``, ``instruments`` (``reward``, ``coercion`` or
            ``reward+coercion``), ``divider``, ``target`` and ``partner`` (names joined by
            ``"; "``; an organisation by its id), ``divider_cow``,
            ``target_cow`` and ``partner_cow`` (COW codes, tuples for the first and last)
            and ``sources`` (keys joined by ``"; "``).

        Examples
        --------
        >>> frame = load_cases().to_frame()
        >>> row = frame.loc["spain-1940"]
        >>> row["target"], int(row["target_cow"]), float(row["label"])
        ('Spain', 230, 1.0)
        """
        import pandas as pd

        rows = [
            {
                "id": c.id,
                "start_year": c.start_year,
                "end_year": c.end_year,
                "goal": c.goal,
                "outcome": c.outcome,
                "label": c.label,
                "reward_only": c.reward_only,
                "instruments": "+".join(c.instrument_types),
                "divider": "; ".join(s.name for s in c.divider),
                "target": c.target.name,
                "partner": "; ".join(
                    p.organisation if isinstance(p, OrganisationRef) else p.name for p in c.partner
                ),
                "divider_cow": c.divider_codes,
                "target_cow": c.target.cow,
                "partner_cow": c.partner_codes,
                "sources": "; ".join(c.sources),
            }
            for c in self.cases
        ]
        frame = pd.DataFrame(rows).set_index("id")
        frame["end_year"] = frame["end_year"].astype("Int64")
        return frame


def load_cases(
    path: str | os.PathLike[str] | None = None,
    *,
    organisations: dict[str, Organisation] | None = None,
) -> Catalogue:
    """The catalogue of wedge attempts: the packaged one, or a file in its format.

    Parameters
    ----------
    path : str or path-like, optional
        A YAML file laid out as described in the module docstring; by default the
        catalogue that ships with the package (``wedge_attempts.yaml``).
    organisations : dict of str to Organisation, optional
        The organisations a ``{organisation: ID}`` partner may name; by default those of
        :func:`alliances.world.organisations.load_organisations`.

    Returns
    -------
    Catalogue

    Raises
    ------
    ScenarioError
        If the file cannot be read or does not validate; the message names the file and,
        for every problem, the line, the place in the file and what was expected.

    Examples
    --------
    >>> catalogue = load_cases()
    >>> len(catalogue.cases) >= 30
    True
    >>> sorted({case.goal for case in catalogue.cases})
    ['detach', 'prevent']
    """
    if path is None and organisations is None:
        return _packaged()
    if path is None:
        text = resources.files("alliances.studies").joinpath(CATALOGUE).read_text("utf-8")
        return parse_cases(text, file=f"<packaged {CATALOGUE}>", organisations=organisations)
    try:
        name = os.fsdecode(path)
    except TypeError:
        msg = f"expected a file path, got {type(path).__name__}"
        raise ScenarioError([Problem("", msg)]) from None

    def fail(message: str, line: int | None) -> ScenarioError:
        return ScenarioError([Problem("", message, line)], file=name)

    info = _yaml.stat_file(name, fail)
    if info is None:
        msg = "no such file; expected a YAML catalogue of wedge attempts"
        raise ScenarioError([Problem("", msg)], file=name)
    _yaml.check_regular(info.st_mode, info.st_size, fail)
    text = _yaml.decode(_yaml.read_regular(name, fail), fail)
    return parse_cases(text, file=name, organisations=organisations)


@cache
def _packaged() -> Catalogue:
    text = resources.files("alliances.studies").joinpath(CATALOGUE).read_text("utf-8")
    return parse_cases(text, file=f"<packaged {CATALOGUE}>")


def parse_cases(
    text: str,
    file: str | None = None,
    *,
    organisations: dict[str, Organisation] | None = None,
) -> Catalogue:
    """Validate a catalogue of wedge attempts from YAML text.

    Parameters
    ----------
    text : str
        The YAML document (see the module docstring).
    file : str, optional
        The name shown in error messages.
    organisations : dict of str to Organisation, optional
        As for :func:`load_cases`.

    Returns
    -------
    Catalogue

    Raises
    ------
    ScenarioError
        With every problem of the document, each with its line.

    Examples
    --------
    >>> text = '''
    ... schema_version: 1
    ... references: {t1954: "Taylor, A. J. P. (1954). The Struggle for Mastery in Europe."}
    ... cases:
    ...   - id: russia-1904
    ...     divider: Germany
    ...     target: Russia
    ...     partner: France
    ...     start_year: 1904
    ...     goal: detach
    ...     instruments: [{type: reward, description: a defensive alliance}]
    ...     outcome: failure
    ...     summary: The Kaiser's treaty with the Tsar was never put into force.
    ...     sources: [t1954]
    ... '''
    >>> parse_cases(text).cases[0].partner_codes
    (220,)
    >>> parse_cases(text.replace("failure", "won"))
    Traceback (most recent call last):
    ...
    alliances.errors.ScenarioError: <catalogue>: 1 problem
      line 12, cases[0].outcome: Input should be 'success', 'partial' or 'failure', got 'won'
    """
    origin = file or "<catalogue>"
    if not isinstance(text, str):
        msg = f"expected YAML text, got {type(text).__name__}"
        raise ScenarioError([Problem("", msg)], file=origin)
    if len(text.encode("utf-8", "surrogatepass")) > _yaml.SCENARIO.max_bytes:
        msg = f"the document is larger than {_yaml.SCENARIO.max_bytes:,} bytes"
        raise ScenarioError([Problem("", msg)], file=origin)
    text = _yaml.LINE_BREAK.sub("\n", text.removeprefix("\ufeff"))
    forbidden = _yaml.forbidden_characters(text)
    if forbidden:
        raise ScenarioError(forbidden, file=origin)
    document, refused, values = _yaml.read_document(text)
    if refused or values:
        raise ScenarioError(sorted(refused + values, key=_yaml.by_line), file=origin)
    if not isinstance(document, dict):
        got = "an empty document" if document is None else _kind(document)
        msg = f"expected a mapping with schema_version, references and cases, got {got}"
        raise ScenarioError([Problem("", msg)], file=origin)
    context = {"organisations": organisations}
    try:
        return Catalogue.model_validate(_yaml.plain(document), context=context)
    except ValidationError as err:
        raise ScenarioError(_problems(err, document), file=origin) from None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return type(value).__name__


# The union tags alliances.scenario.io drops from locations (the scenario's own).
_SCENARIO_UNION_TAGS = frozenset({"point", "triangular", "lognormal", "uniform", "str", "int"})


def _problems(error: ValidationError, document: Any) -> list[Problem]:
    problems = []
    details = error.errors(include_url=False)
    for detail in details:
        if detail["type"] == "too_short" and any(
            len(other["loc"]) > len(detail["loc"])
            and other["loc"][: len(detail["loc"])] == detail["loc"]
            for other in details
        ):
            continue  # an item failed: its own message says why
        loc = _written_alone(
            tuple(k for k in detail["loc"] if k not in {_STATE_TAG, _ORGANISATION_TAG}),
            document,
        )
        path, line = _yaml.locate(loc, document, _SCENARIO_UNION_TAGS)
        message = detail["msg"].removeprefix("Value error, ")
        kind = detail["type"]
        if kind == "duplicate_id":
            ident, first = detail["ctx"]["id"], detail["ctx"]["first"]
            _, first_line = _yaml.locate(("cases", first, "id"), document)
            raw = _written(document, first)
            spelled = f", written {raw!r}" if raw != ident else ""
            message = (
                f"duplicate id {ident!r}: cases[{first}] has it already (line {first_line}"
                f"{spelled}); ids are compared in lower case and must be unique"
            )
        elif kind == "extra_forbidden":
            message = "unknown field (check its spelling against the schema)"
        elif kind == "missing":
            message = "this field is required"
        elif kind in {"literal_error", "int_parsing", "int_type", "string_type", "enum"}:
            message += f", got {detail['input']!r}"
        elif kind in {"greater_than_equal", "less_than_equal"} and path.endswith("_year"):
            message = (
                f"{message}, got {detail['input']!r}: the catalogue covers "
                f"{FIRST_YEAR}–{LAST_YEAR}"
            )
        problems.append(Problem(path, message, line))
    return problems


def _written_alone(loc: tuple[Any, ...], document: Any) -> tuple[Any, ...]:
    """Drop the ``[0]`` of a divider or partner written alone (not as a list)."""
    if len(loc) < 4 or loc[0] != "cases" or loc[2] not in {"divider", "partner"} or loc[3] != 0:
        return loc
    cases = document.get("cases")
    if not isinstance(cases, list) or not isinstance(loc[1], int) or loc[1] >= len(cases):
        return loc
    case = cases[loc[1]]
    if isinstance(case, dict) and not isinstance(case.get(loc[2]), list):
        return loc[:3] + loc[4:]
    return loc


def _written(document: Any, index: int) -> Any:
    """The id of ``cases[index]`` as the file writes it."""
    return document["cases"][index]["id"]
