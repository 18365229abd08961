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
    a lower-case slug (``italy-1914-entente``), unique in the catalogue;
``divider``, ``target``
    the divider (one state or a list) and the target (one state); see *States* below;
``partner``
    the state or states the target is pulled away from, or ``{organisation: ID}`` for an
    organisation of :mod:`alliances.world.organisations` that has members in
    ``start_year`` (its members that year, less the target, are the partner);
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
    one or two sentences;
``sources``
    at least one key of ``references``.

States
------
A state is any name or code :func:`alliances.countries.resolve` accepts (``Soviet Union``,
``RUS``, ``365``) for a member of the COW state system in ``start_year``, kept as a
:class:`~alliances.world.organisations.State` (the name as written, the code list's name
and the COW code). For a state of the time that the code list names differently, write
``{state: Prussia, cow: 255}`` or ``{state: Ottoman Empire, cow: 640}``. The divider,
the target and the partner must be different states.

Reading is as safe as for a scenario (the same reader, :mod:`alliances.scenario.io`): a
regular UTF-8 file of at most 5 MiB, one YAML document, no anchors, aliases, tags or merge
keys. Every problem is reported at once in a :class:`~alliances.errors.ScenarioError` that
names the file, the line, the place in the file (``cases[3].partner``) and what was
expected.

References
----------
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
    BaseModel,
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

from alliances import _yaml
from alliances.errors import Problem, ScenarioError
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
_PARTNER_TAGS = ("states", "organisation")


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


class OrganisationRef(_Model):
    """A partner given as an organisation of :mod:`alliances.world.organisations`."""

    organisation: str = Field(min_length=1)


def _partner_kind(value: Any) -> str | None:
    if isinstance(value, OrganisationRef) or (isinstance(value, dict) and "organisation" in value):
        return "organisation"
    if isinstance(value, list | tuple):
        return "states"
    return None


Partner = Annotated[
    Annotated[tuple[State, ...], Tag("states")] | Annotated[OrganisationRef, Tag("organisation")],
    Discriminator(
        _partner_kind,
        custom_error_type="partner",
        custom_error_message=(
            "expected a state, a list of states, or {organisation: ID} (an id of "
            "alliances/world/organisations.yaml)"
        ),
    ),
]
"""The partner: states, or an organisation."""


def _as_list(value: Any) -> Any:
    """One state written alone (a name, a code or ``{state, cow}``) as a list of one."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, dict) and "organisation" not in value:
        return [value]
    return value


def _organisations(info: ValidationInfo) -> dict[str, Organisation]:
    found = (info.context or {}).get("organisations")
    return load_organisations() if found is None else found


class Case(_Model):
    """A documented wedge attempt (see the module docstring for every field)."""

    id: str = Field(pattern=_SLUG, description="Lower-case slug, unique in the catalogue.")
    start_year: Year = Field(description="The year the attempt began.")
    end_year: Year | None = Field(None, description="The year it was decided.")
    divider: tuple[State, ...] = Field(min_length=1)
    target: State
    partner: Partner
    goal: Goal
    instruments: tuple[Instrument, ...]
    outcome: Outcome
    summary: str = Field(min_length=10)
    sources: tuple[str, ...]

    _partner_states: tuple[State, ...] = PrivateAttr(default=())

    @model_validator(mode="before")
    @classmethod
    def _count(cls, data: Any) -> Any:
        seen = _SEEN.get()
        if seen is not None:
            seen.current += 1
        return data

    @field_validator("id")
    @classmethod
    def _unique(cls, value: str) -> str:
        seen = _SEEN.get()
        if seen is None:
            return value
        if value in seen.ids:
            msg = (
                f"duplicate id {value!r}: cases[{seen.ids[value]}] has it already; ids must "
                "be unique"
            )
            raise ValueError(msg)
        seen.ids[value] = seen.current
        return value

    @field_validator("divider", "partner", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("partner")
    @classmethod
    def _known_organisation(
        cls, partner: tuple[State, ...] | OrganisationRef, info: ValidationInfo
    ) -> tuple[State, ...] | OrganisationRef:
        if isinstance(partner, tuple):
            if not partner:
                msg = "expected at least one partner state, or {organisation: ID}"
                raise ValueError(msg)
            return partner
        orgs = _organisations(info)
        org = orgs.get(partner.organisation)
        if org is None:
            near = difflib.get_close_matches(partner.organisation, list(orgs), n=1, cutoff=0.5)
            hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(orgs)}"
            msg = (
                f"unknown organisation {partner.organisation!r} ({hint}); the organisations "
                "are those of alliances/world/organisations.yaml"
            )
            raise ValueError(msg)
        year = info.data.get("start_year")
        if year is not None and not org.members_in(year):
            first, last = org.years
            span = f"{first}–{last}" if last is not None else f"from {first}"
            msg = (
                f"organisation {org.id!r} has no members in start_year {year} "
                f"(it has members {span})"
            )
            raise ValueError(msg)
        return partner

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
        if isinstance(self.partner, OrganisationRef):
            org = _organisations(info)[self.partner.organisation]
            members = org.states_in(self.start_year)
            partners = tuple(s for s in members if s.cow != self.target.cow)
            if not partners:
                msg = (
                    f"organisation {org.id!r} has no members in {self.start_year} besides "
                    f"the target {self.target}"
                )
                raise ValueError(msg)
        else:
            partners = self.partner
            if self.target.cow in {s.cow for s in partners}:
                msg = f"the target {self.target} is also a partner"
                raise ValueError(msg)
        both = [s.name for s in partners if s.cow in dividers]
        if both:
            msg = f"divider and partner overlap: {', '.join(both)}"
            raise ValueError(msg)
        self._partner_states = partners
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
        """The organisation's id when the partner is one, else None."""
        return self.partner.organisation if isinstance(self.partner, OrganisationRef) else None

    @property
    def partner_states(self) -> tuple[State, ...]:
        """The partner states: those listed, or the organisation's members in the start
        year other than the target."""
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
            A case id, e.g. ``"spain-1940"``.

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
            if case.id == case_id:
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
            ``"; "``; the organisation id for an organisation), ``divider_cow``,
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
                "partner": c.partner_organisation or "; ".join(s.name for s in c.partner_states),
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
        loc = tuple(
            key
            for i, key in enumerate(detail["loc"])
            if not (i > 0 and detail["loc"][i - 1] == "partner" and key in _PARTNER_TAGS)
        )
        path, line = _yaml.locate(loc, document, _SCENARIO_UNION_TAGS)
        message = detail["msg"].removeprefix("Value error, ")
        kind = detail["type"]
        if kind == "extra_forbidden":
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
