"""What reading an article finds: the plain records every step of ``alliances.ingest``
passes on, each with its evidence (character offsets into the cleaned text)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "Event",
    "Figure",
    "Found",
    "Mention",
    "NegativeTie",
    "Question",
    "RoleEvidence",
    "Span",
]


@dataclass(frozen=True)
class Span:
    """Where a piece of evidence is: ``text`` is ``cleaned[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """One mention of an actor: ``actor`` is a state's canonical code (``countries``:
    ISO3, else its documented code) or an organisation's acronym (``NATO``)."""

    actor: str
    kind: Literal["state", "organisation"]
    text: str
    start: int
    end: int
    via: str = "name"  # name | adjective | capital | leader | government | acronym


@dataclass(frozen=True)
class Figure:
    """A number of the article with its sentence and the slot of the model it fills.

    ``value`` is in plain units (2.5e9 dollars, 0.46 for 46 percent); ``unit`` is
    ``money``, ``share``, ``growth`` (a rate as a fraction) or ``count``; ``period`` is
    ``year``, ``month`` or None (a sum); ``bound`` is ``at least``, ``up to`` or None;
    ``kind`` is the bond kind (military, economic, political) or None; ``role`` is the
    slot (``bond``, ``reward``, ``coercion``, ``partner_means``, ``context`` …);
    ``between`` two actor ids and ``by`` the acting actor, where the sentence gives them.
    """

    value: float
    unit: str
    text: str
    sentence: str
    start: int
    end: int
    currency: str | None = None
    period: str | None = None
    bound: str | None = None
    year: int | None = None
    kind: str | None = None
    role: str = "context"
    between: tuple[str, str] | None = None
    by: str | None = None


@dataclass(frozen=True)
class Event:
    """A dated event (joined, signed, removed, annexed …) and the actors it names."""

    year: int | None
    kind: str
    text: str
    actors: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class NegativeTie:
    """A hostile tie the text states ("opposing sides", "rival", "hostility")."""

    between: tuple[str, str]
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class RoleEvidence:
    """Why one role of the question went to ``actor``: the ``cue`` (the words that decided
    it, or how it was inferred), its ``sentence`` and offsets (None for a title read apart
    from the text) and the ``weight`` of that cue. For a divider of None, the cue says no
    divider is named."""

    role: str
    actor: str | None
    cue: str
    sentence: str
    start: int | None
    end: int | None
    weight: float


@dataclass(frozen=True)
class Question:
    """The wedge question of the article; ``guessed`` with its ``reason`` when no framing
    phrase gave it. ``divider`` is None when the article is about a pair drifting apart
    and names no state pulling (``reason`` says so): no priceable wedge question.
    ``confidence`` (0 to 1) is the role model's probability of the triple among the
    candidates (:mod:`alliances.ingest.role_model`; ``model`` says which: ``text`` or
    ``grounded``), ``alternatives`` the most probable triples with theirs; ``evidence``
    gives, for each role, the sentence and the cue that decided it. ``given`` names the
    roles the reader was told (``alliances ingest --target …``): the triple is then the
    most probable of those that keep them, its ``confidence`` still the model's own."""

    divider: str | None
    target: str
    partner: str
    guessed: bool = False
    reason: str | None = None
    span: Span | None = None
    confidence: float | None = None
    evidence: tuple[RoleEvidence, ...] = ()
    model: str | None = None
    alternatives: tuple[tuple[str | None, str, str, float], ...] = ()
    given: tuple[str, ...] = ()


@dataclass
class Found:
    """Everything read from one article."""

    text: str
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    negative_ties: list[NegativeTie] = field(default_factory=list)
    question: Question | None = None
    year: int | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
