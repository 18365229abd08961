"""The scenario schema: actors, blocs and memberships, bonds, and the wedge question.

A scenario is validated once, at the edge, by these pydantic models; the analyses take
the validated object and never check it again. References between sections (a bond's
actors, the question's divider, target and partner) may use an actor's ``id`` or any
name of its state ("Moscow", "Russian", "RUS", 365); they are stored as the actor's id.

The money model follows DESIGN.md §4: bond values are yearly *surpluses* (or revenue
times a margin), flows are discounted year by year, and choice-independent figures go in
``context``, not in the price.

What the schema refuses so that no scenario can break an analysis: any NaN or infinity
(every float field); a boolean where a number is expected (``true`` is not 1; see
:class:`~alliances.scenario.quantity.FileModel`); money below 0 wherever the model reads
it as a gain or a cost (bond surpluses and revenue, instruments, threats, the target's
costs, the partner's and the divider's stakes, means, political cost and budget cap; only
``context`` figures may be negative); a cost per dollar of value (γ) that can be 0,
since the model divides by it; shares, probabilities and hazards outside [0, 1]; years
outside 1–9999; and a bare reference key in any ``source`` that ``references`` does not
define (see :mod:`alliances.scenario.quantity`).

The module passes 600 lines because the schema is one object: its models refer to one
another (a bond's sides to the actors, a source to the references) and are validated
together.
"""

from __future__ import annotations

import contextvars
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from alliances import countries
from alliances.errors import ParameterError, UnknownCountryError
from alliances.scenario.quantity import (
    MAX_MAGNITUDE,
    REFERENCES,
    FileModel,
    Point,
    Quantity,
    Source,
    expect,
)

__all__ = [
    "Actor",
    "Bond",
    "BondSide",
    "ContextItem",
    "Derivation",
    "DividerPayoff",
    "Instrument",
    "Membership",
    "PartnerBid",
    "Question",
    "Reference",
    "Scenario",
    "TargetCosts",
    "Threat",
    "require_scenario",
]

# Aliases of the actors of the scenario being validated; set for the duration of one
# Scenario validation so that nested references resolve against its own actors.
_ACTORS: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "alliances_scenario_actors", default=None
)

Money = Annotated[Quantity, expect("USD", lower=0.0)]
MoneyOrFlow = Annotated[Quantity, expect("USD", "USD/yr", lower=0.0)]
Share = Annotated[Quantity, expect("fraction", lower=0.0, upper=1.0)]
Hazard = Annotated[Quantity, expect("1/yr", "fraction", lower=0.0, upper=1.0)]
Years = Annotated[Quantity, expect("years", lower=0.0)]
CostPerValue = Annotated[Quantity, expect("ratio", positive=True)]
Rate = Annotated[Quantity, expect("1/yr", "fraction", lower=0.0, upper=1.0)]
Year = Annotated[int, Field(ge=1, le=9999)]
"""A calendar year (bounded, so that a query on the world data cannot overflow)."""


def _norm(text: object) -> str:
    return " ".join(str(text).strip().lower().split()).removeprefix("the ")


def _country(ref: object) -> countries.Country | None:
    """The state ``ref`` names, or None; never raises (any input from a file)."""
    if isinstance(ref, bool) or not isinstance(ref, str | int):
        return None
    try:
        return countries.resolve(ref)
    except (UnknownCountryError, ValueError, TypeError, OverflowError):
        # e.g. a string of Unicode digits that int() cannot read
        return None


def _resolve_actor(ref: str | int) -> str:
    aliases = _ACTORS.get()
    if aliases is None:  # validated outside a scenario: keep the reference as given
        return str(ref)
    key = _norm(ref)
    if key in aliases:
        return aliases[key]
    country = _country(ref)
    if country is not None and _norm(country.code) in aliases:
        return aliases[_norm(country.code)]
    ids = sorted(set(aliases.values()))
    msg = f"unknown actor {ref!r}; expected one of the scenario's actors: {', '.join(ids)}"
    raise ValueError(msg)


ActorRef = Annotated[str | int, AfterValidator(_resolve_actor)]
"""An actor of the scenario, by id or by any name of its state; stored as its id."""


class _Model(FileModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


class Reference(_Model):
    """A work cited by the scenario's sources."""

    citation: str
    url: str | None = None
    note: str | None = None


def _id_may_be_left_out(schema: dict[str, Any]) -> None:
    # A state's id defaults to its ISO3 code (filled in before validation).
    schema["required"] = [k for k in schema.get("required", []) if k != "id"]


class Actor(_Model):
    """A state (by any name or code) or an organisation."""

    model_config = ConfigDict(json_schema_extra=_id_may_be_left_out)

    id: str = Field(description="Short identifier; defaults to a state's ISO3 code.")
    state: str | int | None = Field(None, description="Name or code of a state.")
    organisation: str | None = Field(None, description="Full name of an organisation.")
    kind: Literal["military", "economic", "political"] | None = Field(
        None, description="For an organisation: the kind of bloc it is."
    )
    size: float | None = Field(
        None, gt=0, le=MAX_MAGNITUDE, description="Size in the landscape of alignment (default 1)."
    )
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and "id" not in data and data.get("state") is not None:
            country = _country(data["state"])
            # an unknown state is reported by the 'state' check below
            code = country.code if country is not None else str(data["state"])
            data = {"id": code, **data}
        return data

    @field_validator("state")
    @classmethod
    def _known_state(cls, state: str | int | None) -> str | int | None:
        if state is not None:
            try:
                countries.resolve(state)
            except UnknownCountryError as err:
                raise ValueError(str(err)) from None
            except (ValueError, TypeError, OverflowError):
                raise ValueError(str(UnknownCountryError(state))) from None
        return state

    @model_validator(mode="after")
    def _one_kind(self) -> Actor:
        if (self.state is None) == (self.organisation is None):
            msg = "an actor is either a 'state' or an 'organisation' (give exactly one)"
            raise ValueError(msg)
        if self.kind is not None and self.state is not None:
            msg = "'kind' describes an organisation; a state has none"
            raise ValueError(msg)
        return self

    @property
    def country(self) -> countries.Country | None:
        return None if self.state is None else countries.resolve(self.state)

    @property
    def label(self) -> str:
        country = self.country
        return country.name if country else (self.organisation or self.id)


class Membership(_Model):
    """A state's standing in an organisation (a bloc)."""

    member: ActorRef
    bloc: ActorRef
    status: Literal["member", "observer", "candidate", "partner"] = "member"
    since: Year | None = None
    source: Source


class Derivation(_Model):
    """A query on the world data that grounds a number of the scenario.

    ``measure`` is one of ``trade_exports`` (COW trade, what ``from`` sells to ``to``,
    current USD m a year), ``trade_imports`` (what ``from`` buys from ``to``),
    ``trade_share`` (their trade as a share of ``from``'s total trade) and ``arms_tiv``
    (SIPRI TIV, millions, from ``from`` to ``to``); the value is the yearly mean over
    ``years`` (inclusive), times ``scale``.
    """

    measure: Literal["trade_exports", "trade_imports", "trade_share", "arms_tiv"]
    from_: ActorRef = Field(alias="from")
    to: ActorRef
    years: tuple[Year, Year]
    scale: float = Field(
        1.0, gt=0, le=MAX_MAGNITUDE, description="Factor from the data's unit to the field's unit."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _ordered_years(self) -> Derivation:
        if self.years[0] > self.years[1]:
            msg = f"years should be [first, last], got {list(self.years)}"
            raise ValueError(msg)
        return self


class BondSide(_Model):
    """What one side of a bond gets from it, and what it loses if the bond breaks.

    Give either ``value`` (the yearly surplus, a margin and not revenue) or ``revenue``
    and ``margin``, whose product is the surplus. A value in ``USD`` (not per year) is
    a sum paid once, in the bond's ``start`` year.
    """

    value: MoneyOrFlow | None = None
    revenue: MoneyOrFlow | None = None
    margin: Share | None = None
    loss: Share = Field(
        Point(value=1.0, assumption="default: the whole surplus is at stake"),
        description="ℓ: share of the surplus lost if the bond is broken.",
    )
    substitutability: Share = Field(
        Point(value=0.0, assumption="default: nothing can replace the bond"),
        description="s: share that can be replaced once the adjustment years are over.",
    )
    adjustment_years: Years = Field(
        Point(value=0.0, unit="years", assumption="default: replacement is immediate"),
        description="τ: years during which nothing can be replaced.",
    )
    derive: dict[Literal["value", "revenue"], Derivation] = Field(
        default_factory=dict,
        description="Ground 'value' or 'revenue' in the world data when a store is present.",
    )

    @model_validator(mode="after")
    def _value_or_revenue(self) -> BondSide:
        by_parts = self.revenue is not None or self.margin is not None
        if self.value is not None and by_parts:
            msg = "give 'value' (the surplus) or 'revenue' with 'margin', not both"
            raise ValueError(msg)
        if self.value is None and (self.revenue is None or self.margin is None):
            msg = "give either 'value' (the surplus) or both 'revenue' and 'margin'"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _derive_what_is_given(self) -> BondSide:
        for name in self.derive:
            if getattr(self, name) is None:
                msg = f"derive.{name}: the side has no '{name}' to ground (give it as a fallback)"
                raise ValueError(msg)
        return self

    @property
    def is_flow(self) -> bool:
        money = self.value if self.value is not None else self.revenue
        assert money is not None
        return money.dimension == "USD/yr"


class Bond(_Model):
    """A military, economic or political tie between two actors."""

    id: str
    kind: Literal["military", "economic", "political"]
    between: tuple[ActorRef, ActorRef]
    direction: str = Field(
        "mutual", description="'mutual', or 'A->B' for a good that flows from A to B."
    )
    description: str | None = None
    sign: Literal[1, -1] = Field(
        1,
        description="1 for a tie that binds (alliance, dependence), -1 for a rivalry, "
        "sanction or conflict.",
    )
    weight: float = Field(
        1.0, gt=0, le=MAX_MAGNITUDE, description="Strength of the tie in the alignment."
    )
    start: float = Field(0.0, ge=0, description="Years from the decision to the bond's start.")
    years: float | None = Field(
        None, gt=0, description="How long a flow lasts; to the horizon if left out."
    )
    sides: dict[ActorRef, BondSide] = Field(
        default_factory=dict, description="Value of the bond to each side that has one."
    )
    source: Source | None = None

    @field_validator("sides", mode="before")
    @classmethod
    def _distinct_sides(cls, sides: Any) -> Any:
        if isinstance(sides, dict):
            seen: dict[str, object] = {}
            for key in sides:
                try:
                    actor = _resolve_actor(key)
                except ValueError:
                    continue  # reported when the key itself is validated
                if actor in seen:
                    msg = f"sides {seen[actor]!r} and {key!r} are the same actor {actor!r}"
                    raise ValueError(msg)
                seen[actor] = key
        return sides

    @field_validator("direction")
    @classmethod
    def _direction(cls, direction: str, info: ValidationInfo) -> str:
        between = info.data.get("between")
        if direction == "mutual" or between is None or between[0] == between[1]:
            return direction  # two ends alike: the bond's own check says so
        ends = [_resolve_actor(end.strip()) for end in direction.split("->")]
        a, b = between
        if len(ends) != 2 or set(ends) != {a, b}:
            msg = f"expected 'mutual', '{a}->{b}' or '{b}->{a}', got {direction!r}"
            raise ValueError(msg)
        return "->".join(ends)

    @model_validator(mode="after")
    def _consistent(self) -> Bond:
        a, b = self.between
        if a == b:
            msg = f"a bond joins two different actors, got {a!r} twice"
            raise ValueError(msg)
        stray = set(self.sides) - {a, b}
        if stray:
            msg = f"sides {sorted(stray)} are not in between={[a, b]}"
            raise ValueError(msg)
        return self


class Instrument(_Model):
    """Something the divider can offer the target: a reward with its credibility.

    Its credibility κ = (1 − q) · ã / a combines the chance ``blocked`` (q) that it never
    takes effect and the yearly hazard ``renege`` (λ) that the divider withdraws it.
    Lifting an existing sanction is a reward and belongs here, not among threats.
    """

    id: str
    description: str | None = None
    value: MoneyOrFlow
    start: float = Field(0.0, ge=0)
    years: float | None = Field(None, gt=0)
    blocked: Share = Field(description="q: probability the offer is blocked at the outset.")
    renege: Hazard = Field(description="λ: yearly probability the divider withdraws it.")

    @model_validator(mode="before")
    @classmethod
    def _drop_lifts_sanction(cls, data: Any) -> Any:
        # Schema 1 had a `lifts_sanction` flag that nothing read; a lifted sanction is an
        # instrument and never a threat, so the flag carries no information. Old files
        # keep loading; the flag is dropped.
        if isinstance(data, dict) and isinstance(data.get("lifts_sanction"), bool):
            data = {k: v for k, v in data.items() if k != "lifts_sanction"}
        return data


class Threat(_Model):
    """A new threat the divider makes conditional on the target's choice (coercion)."""

    id: str
    description: str | None = None
    value: Money = Field(description="N: present value of the harm threatened.")
    credibility: Share = Field(description="π: probability the threat would be carried out.")
    backlash: Share = Field(description="β: share of N by which the threat binds T to P.")


class TargetCosts(_Model):
    """The target's costs of leaving beyond the bonds it loses."""

    reputation: Money = Field(description="ρ_T: reputation and audience cost of leaving.")
    partner_retaliation: Money = Field(
        description="R_P: what the partner can do to T beyond withdrawing the bonds."
    )
    demand: Money | None = Field(
        None, description="K_T: what the divider's demand itself costs T (realign only)."
    )


class PartnerBid(_Model):
    """The partner's means and will to outbid the divider."""

    value_of_target: Money = Field(description="W_P: what keeping the target is worth to P.")
    means: Money = Field(description="B_P: what P can spend on a counter-offer.")
    cost_per_value: CostPerValue = Field(
        description="γ_P: P's cost per dollar of value to T (> 0: the model divides by it)."
    )
    credibility: Share = Field(description="κ_P: credibility of P's counter-offer.")


class DividerPayoff(_Model):
    """What the split is worth to the divider and what offering costs it."""

    value_of_split: Money = Field(description="W_D: what the split is worth to D.")
    political_cost: Money = Field(description="c_D: D's political cost of the deal.")
    cost_per_value: CostPerValue = Field(
        description="γ_D: D's cost per dollar of value to T (> 0: the model divides by it)."
    )
    budget_cap: Money | None = Field(None, description="B_D: a legal or budget cap, if any.")


def _unique_ids(items: list[Any], name: str) -> list[Any]:
    """Refuse an id given twice in the list ``name``: each repeat at its ``[i].id``."""
    first: dict[str, int] = {}
    repeated: list[InitErrorDetails] = []
    for k, item in enumerate(items):
        if item.id not in first:
            first[item.id] = k
            continue
        msg = "{name}: ids must be unique, repeated: {id} (first at {name}[{index}])"
        ctx = {"name": name, "id": item.id, "index": first[item.id]}
        repeated.append(
            InitErrorDetails(
                type=PydanticCustomError("duplicate_id", msg, ctx), loc=(k, "id"), input=item.id
            )
        )
    if repeated:
        raise ValidationError.from_exception_data(name, repeated)
    return items


class Question(_Model):
    """The wedge question: can ``divider`` pull ``target`` away from ``partner``?"""

    divider: ActorRef
    target: ActorRef
    partner: ActorRef
    goal: Literal["neutral", "realign"] = "neutral"
    horizon: int = Field(gt=0, le=200, description="Years over which values are counted.")
    discount_rate: Rate
    target_costs: TargetCosts
    partner_bid: PartnerBid
    divider_payoff: DividerPayoff
    instruments: list[Instrument] = Field(min_length=1)
    threats: list[Threat] = Field(default_factory=list)

    @field_validator("instruments", "threats")
    @classmethod
    def _ids(cls, items: list[Any], info: ValidationInfo) -> list[Any]:
        return _unique_ids(items, f"question.{info.field_name}")

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        trio = (self.divider, self.target, self.partner)
        if len(set(trio)) != 3:
            msg = f"divider, target and partner must be three different actors, got {trio}"
            raise ValueError(msg)
        if self.goal == "neutral" and self.target_costs.demand is not None:
            msg = (
                "target_costs.demand (K_T) is the cost of what the divider asks beyond "
                "neutrality; remove it or set goal: realign"
            )
            raise ValueError(msg)
        if self.goal == "realign" and self.target_costs.demand is None:
            msg = "goal: realign needs target_costs.demand (K_T, the autonomy T cedes)"
            raise ValueError(msg)
        return self


class ContextItem(_Model):
    """A figure that frames the question but does not depend on the target's choice.

    Sunk or choice-independent costs (a past fall in GDP, the yearly cost of an
    annexation) are shown with the result but never enter the price.
    """

    id: str
    description: str
    value: Quantity


class Scenario(_Model):
    """An alliance system and a wedge question about it."""

    schema_version: Literal[1, 2] = 2
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    description: str | None = None
    year: Year = Field(description="The year the scenario describes.")
    references: dict[str, Reference] = Field(default_factory=dict)
    actors: list[Actor] = Field(min_length=2)
    memberships: list[Membership] = Field(default_factory=list)
    bonds: list[Bond] = Field(default_factory=list)
    question: Question
    context: list[ContextItem] = Field(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _with_actor_aliases(cls, data: Any, handler: Any) -> Scenario:
        token = _ACTORS.set(_actor_aliases(data) if isinstance(data, dict) else None)
        refs = REFERENCES.set(_reference_keys(data) if isinstance(data, dict) else None)
        try:
            scenario: Scenario = handler(data)
            return scenario
        finally:
            REFERENCES.reset(refs)
            _ACTORS.reset(token)

    @field_validator("actors")
    @classmethod
    def _one_actor_a_state(cls, actors: list[Actor]) -> list[Actor]:
        """Refuse a second actor for a state: each problem at its ``actors[i].state``.

        Two actors for one state would split its bonds between them, and a name of the
        state (its code, its capital) could refer to either.
        """
        first: dict[countries.Country, tuple[int, Actor]] = {}
        repeated: list[InitErrorDetails] = []
        for k, actor in enumerate(actors):
            country = actor.country
            if country is None:
                continue
            if country not in first:
                first[country] = (k, actor)
                continue
            j, earlier = first[country]
            msg = (
                "{state} is already the actor '{actor}' (actors[{index}]); a state is one "
                "actor: give its bonds and memberships to '{actor}'"
            )
            ctx = {"state": country.name, "actor": earlier.id, "index": j}
            repeated.append(
                InitErrorDetails(
                    type=PydanticCustomError("duplicate_state", msg, ctx),
                    loc=(k, "state"),
                    input=actor.state,
                )
            )
        if repeated:
            title = "actors"  # the line errors carry the message
            raise ValidationError.from_exception_data(title, repeated)
        return actors

    @field_validator("actors", "bonds", "context")
    @classmethod
    def _ids(cls, items: list[Any], info: ValidationInfo) -> list[Any]:
        return _unique_ids(items, str(info.field_name))

    def summary(self) -> list[str]:
        """The scenario in a few plain lines: what ``repr`` and Jupyter show."""
        from alliances.scenario.labels import actor_name, count

        q = self.question
        d, t, p = (actor_name(self, str(a)) for a in (q.divider, q.target, q.partner))
        aim = "stay neutral" if q.goal == "neutral" else "realign"
        derived = sum(len(side.derive) for b in self.bonds for side in b.sides.values())
        return [
            f"Scenario {self.id} ({self.year}): {self.title}",
            f"{count(len(self.actors), 'actor')}, {count(len(self.memberships), 'membership')}, "
            f"{count(len(self.bonds), 'bond')}, {count(len(self.context), 'context figure')}, "
            f"{count(len(self.references), 'reference')}",
            f"question: what must {d} offer {t} to leave {p} and {aim}? Horizon "
            f"{count(q.horizon, 'year')}; {count(len(q.instruments), 'instrument')}, "
            f"{count(len(q.threats), 'threat')}",
            f"{count(derived, 'figure')} to ground in the world data (derive:)",
        ]

    def __repr__(self) -> str:
        return "\n".join(self.summary())

    def _repr_html_(self) -> str:
        """A short HTML summary for Jupyter (every text escaped)."""
        from alliances._display import html_summary

        return html_summary(self.summary())

    def actor(self, ref: str) -> Actor:
        """The actor with this id."""
        for actor in self.actors:
            if actor.id == ref:
                return actor
        msg = f"no actor {ref!r} in scenario {self.id!r}"
        raise KeyError(msg)

    def bonds_between(self, a: str, b: str) -> list[Bond]:
        """The bonds that join actors ``a`` and ``b``, in file order."""
        return [bond for bond in self.bonds if set(bond.between) == {a, b}]


def _reference_keys(data: dict[str, Any]) -> tuple[str, ...] | None:
    """The keys of the raw ``references`` (None if it is not a mapping: not checked)."""
    refs = data.get("references", {})
    if refs is None:
        refs = {}
    if not isinstance(refs, dict):
        return None
    return tuple(str(key) for key in refs)


def _actor_aliases(data: dict[str, Any]) -> dict[str, str]:
    """Every name by which the raw ``actors`` list lets the rest of the file refer to them."""
    ids: dict[str, str] = {}  # an actor's own id wins over another actor's other names
    aliases: dict[str, str] = {}  # (Mongolia's id MNG is also Montenegro's COW letters)
    actors = data.get("actors")
    for raw in actors if isinstance(actors, list | tuple) else []:
        if isinstance(raw, Actor):
            raw = raw.model_dump()
        if not isinstance(raw, dict):
            continue
        state, organisation = raw.get("state"), raw.get("organisation")
        names: list[object] = [organisation]
        actor_id = raw.get("id")
        if state is not None:
            country = _country(state)
            if country is not None:
                actor_id = actor_id or country.code
                names += [country.code, country.cowc, *country.names()]
            names.append(state)
        if actor_id is None:
            continue
        ids.setdefault(_norm(actor_id), str(actor_id))
        for name in names:
            if name is not None:
                aliases.setdefault(_norm(name), str(actor_id))
    return aliases | ids


def require_scenario(value: object, name: str = "scenario") -> Scenario:
    """``value`` if it is a :class:`Scenario`; else a
    :class:`~alliances.errors.ParameterError` saying how to get one (a name or a path is
    loaded first, a draft gives its ``.scenario``)."""
    if not isinstance(value, Scenario):
        msg = (
            f"{name}={value!r:.80}: expected a Scenario, e.g. alliances.load(path or "
            "built-in name), or a draft's .scenario"
        )
        raise ParameterError(msg)
    return value
