"""The catalogue of wedge attempts as pydantic models: :class:`Catalogue`, :class:`Case`,
:class:`Instrument` and :class:`OrganisationRef`.

Private to :mod:`alliances.studies.cases`, which documents the file these models validate,
reads it and re-exports every public name. A catalogue is validated in one pass: the
catalogue's reference keys and the ids seen so far are kept in context variables while
its cases are validated, so that a case's sources and id are checked against them with
the case's own line.
"""

from __future__ import annotations

import contextvars
import difflib
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from alliances.scenario.quantity import REFERENCES, Quantity, expect
from alliances.studies._case_states import CaseState, start_year
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
    "FIRST_YEAR",
    "LABELS",
    "LAST_YEAR",
    "ORGANISATION_TAG",
    "STATE_TAG",
    "Case",
    "Catalogue",
    "Goal",
    "Instrument",
    "InstrumentType",
    "OrganisationRef",
    "Outcome",
]

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
STATE_TAG = "partner-state"
ORGANISATION_TAG = "partner-organisation"
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
        >>> from alliances.studies.cases import load_cases
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
    year = start_year(info)
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
        return ORGANISATION_TAG
    return STATE_TAG


_PartnerItem = Annotated[
    Annotated[CaseState, Tag(STATE_TAG)]
    | Annotated[OrganisationRef, AfterValidator(_known_organisation), Tag(ORGANISATION_TAG)],
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
    divider: tuple[CaseState, ...] = Field(min_length=1)
    target: CaseState
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
        >>> from alliances.studies.cases import load_cases
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
        >>> from alliances.studies.cases import load_cases
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
