"""Words for people: a plain label for every number of a scenario, and quantities in words.

Tables and charts show ``value to Russia of its Syrian foothold`` where a script reads
``bonds.syria-foothold.RUS.value``. The labels are not written per scenario: they are
built from what the scenario itself says, by fixed rules.

* An **actor** is its name ("Russia", "the United States"); an organisation its id.
* A **bond, instrument or threat** is its id in words, where a word that names an actor
  of the scenario becomes that actor's adjective before another word (``syria-foothold``
  → "Syrian foothold") and a two-letter code its capitals (``us-sanctions-relief`` →
  "US sanctions relief"). An id with digits in it (``threat-1``, as drafted scenarios
  write them) says nothing, so the first clause of the item's ``description`` is used.
* Each **field** has one phrase around those names ("share of the trade Russia would
  lose", "chance US sanctions relief is withdrawn each year"), from the meaning the
  schema gives it.

:func:`describe` writes a quantity in plain units ("7.5 USD bn a year", "2 to 3 USD bn
a year, most likely 2").

Examples
--------
>>> from alliances.scenario import load_builtin
>>> s = load_builtin("russia-iran-2017")
>>> input_label(s, "bonds.syria-foothold.RUS.value")
'yearly value to Russia of its Syrian foothold'
>>> input_label(s, "question.instruments.us-sanctions-relief.renege")
'chance US sanctions relief is withdrawn each year'
>>> describe(s.context[0].value)
'7.5 USD bn a year'
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliances.scenario.model import Scenario
    from alliances.scenario.quantity import Quantity

__all__ = [
    "actor_name",
    "count",
    "describe",
    "first_clause",
    "input_label",
    "input_labels",
    "number",
    "term_label",
    "words",
]

# Names that English writes with "the" ("the United States", "the Netherlands").
_THE_FIRST = {"united", "czech", "dominican", "central", "democratic", "republic", "federated"}
_THE_LAST = {
    "states", "kingdom", "emirates", "islands", "republic", "netherlands", "philippines",
    "bahamas", "gambia", "maldives", "comoros", "union", "federation",
}  # fmt: skip


def actor_name(scenario: Scenario, actor_id: str) -> str:
    """The name an actor goes by in a sentence, with "the" where English wants it.

    >>> from alliances.scenario import load_builtin
    >>> s = load_builtin("russia-iran-2017")
    >>> actor_name(s, "USA"), actor_name(s, "RUS"), actor_name(s, "CSTO")
    ('the United States', 'Russia', 'the CSTO')
    """
    try:
        actor = scenario.actor(actor_id)
    except KeyError:
        return actor_id
    if actor.state is None:
        return f"the {actor.id}"
    name = actor.label
    parts = name.lower().split()
    if parts and (parts[0] in _THE_FIRST or parts[-1] in _THE_LAST):
        return f"the {name}"
    return name


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def first_clause(text: str) -> str:
    """The first clause of a description, without its final stop, as a noun phrase.

    >>> first_clause("New Russian arms contracts with Iran, delivered over five years.")
    'new Russian arms contracts with Iran'
    """
    clause = re.split(r"[,;:(]|\.\s|\.$", text.strip(), maxsplit=1)[0].strip()
    first = clause.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and not _names_a_state(clause):
        clause = clause[0].lower() + clause[1:]
    return clause


@cache
def _state_words() -> frozenset[str]:
    from alliances.countries import all_countries

    found: set[str] = set()
    for country in all_countries():
        for name in country.names():
            found.add(name.lower())
    return frozenset(found)


def _names_a_state(clause: str) -> bool:
    """Whether a clause begins with a state's name or adjective (which keeps its capital)."""
    tokens = re.sub(r"['’]s\b", "", clause).lower().split()
    return any(" ".join(tokens[:k]) in _state_words() for k in range(1, min(len(tokens), 5) + 1))


def words(scenario: Scenario, ident: str, description: str | None = None) -> str:
    """An id in words: actor names as adjectives, two-letter codes in capitals.

    >>> from alliances.scenario import load_builtin
    >>> s = load_builtin("russia-iran-2017")
    >>> words(s, "syria-foothold"), words(s, "us-sanctions-relief"), words(s, "arms-deals")
    ('Syrian foothold', 'US sanctions relief', 'arms deals')

    A word the descriptions write with a capital keeps it ("Iran as a Eurasianist
    partner"):

    >>> words(s, "eurasian-partnership", s.bonds[4].description)
    'Eurasian partnership'

    Words the id is made of are matched whole; a word with digits in the id gives way to
    the description:

    >>> words(s, "threat-1", "New sanctions on Russian arms exports if Russia keeps arming.")
    'the new sanctions on Russian arms exports if Russia keeps arming'

    """
    if description and re.search(r"\d", ident):
        clause = first_clause(description)
        article = clause.split(" ", 1)[0] in {"the", "a", "an"} or not clause[:1].islower()
        return clause if article else f"the {clause}"
    by_token: dict[str, tuple[str, str]] = {}
    for actor in scenario.actors:
        country = actor.country
        if country is None:
            by_token[actor.id.lower()] = (actor.id, actor.id)
            continue
        adjective = country.adjectives[0] if country.adjectives else country.name
        for token in (country.name, actor.id, country.iso3, country.cowc):
            if token:
                by_token.setdefault(token.lower(), (country.name, adjective))
        if country.iso2:
            by_token.setdefault(country.iso2.lower(), (country.iso2, country.iso2))
    tokens = [t for t in re.split(r"[-_.\s]+", ident) if t]
    proper = _proper_words(" ".join(filter(None, (description, scenario.description))))
    out = []
    for k, token in enumerate(tokens):
        found = by_token.get(token.lower())
        if found is None:
            capital = token[:1].upper() + token[1:]
            out.append(capital if any(w.startswith(capital) for w in proper) else token)
        else:
            name, adjective = found
            out.append(adjective if k + 1 < len(tokens) else name)
    return " ".join(out)


def _bare(name: str) -> str:
    """A name without its article, for the phrases that give their own ("its", "the"):
    "the arms deals" → "arms deals", never "its the arms deals"."""
    return re.sub(r"^(?:the|a|an)\s+", "", name)


def _proper_words(text: str) -> set[str]:
    """Capitalised words that do not open a sentence: the names a text writes as names."""
    found = set()
    for sentence in re.split(r"[.!?;:]\s+", text):
        found |= {w for w in re.findall(r"\w+", sentence)[1:] if w[:1].isupper()}
    return found


def input_label(scenario: Scenario, path: str) -> str:
    """The plain label of the input at ``path``, or ``path`` itself if it names nothing known.

    ``path`` is an input's path as :func:`~alliances.analysis.wedge.compile_model` names it.
    """
    return input_labels(scenario, [path])[path]


def input_labels(scenario: Scenario, paths: list[str]) -> dict[str, str]:
    """Plain labels for many input paths at once (see :func:`input_label`)."""
    q = scenario.question
    t, p, d = (actor_name(scenario, str(a)) for a in (q.target, q.partner, q.divider))
    bonds = {b.id: b for b in scenario.bonds}
    instruments = {i.id: i for i in q.instruments}
    threats = {x.id: x for x in q.threats}
    context = {c.id: c for c in scenario.context}
    aim = f"a neutral {t}" if q.goal == "neutral" else f"{_possessive(t)} realignment"
    fixed = {
        "question.discount_rate": "yearly discount rate",
        "question.target_costs.reputation": f"cost to {_possessive(t)} reputation of leaving {p}",
        "question.target_costs.partner_retaliation": f"harm {p} can do to {t} beyond the bonds",
        "question.target_costs.demand": f"cost to {t} of {_possessive(d)} demand",
        "question.partner_bid.value_of_target": f"value to {p} of keeping {t}",
        "question.partner_bid.means": f"what {p} can spend to keep {t}",
        "question.partner_bid.cost_per_value": f"{_possessive(p)} cost per dollar of value to {t}",
        "question.partner_bid.credibility": f"chance {p} keeps its counter-offer",
        "question.divider_payoff.value_of_split": f"value to {d} of {aim}",
        "question.divider_payoff.political_cost": f"political cost to {d} of the deal",
        "question.divider_payoff.cost_per_value": f"{_possessive(d)} cost per dollar of value "
        f"to {t}",
        "question.divider_payoff.budget_cap": f"budget cap of {d}",
    }
    labels: dict[str, str] = {}
    for path in paths:
        parts = path.split(".")
        label = fixed.get(path)
        if label is None and parts[0] == "bonds" and len(parts) == 4 and parts[1] in bonds:
            bond = bonds[parts[1]]
            side = actor_name(scenario, parts[2])
            name = _bare(words(scenario, bond.id, bond.description))
            stated = bond.sides.get(parts[2])
            flow = "yearly " if stated is not None and stated.is_flow else ""
            label = {
                "value": f"{flow}value to {side} of its {name}",
                "revenue": f"{_possessive(side)} {flow}revenue from its {name}",
                "margin": f"{_possessive(side)} margin on its {name}",
                "loss": f"share of the {name} {side} would lose",
                "substitutability": f"share of the {name} {side} could replace",
                "adjustment_years": f"years before {side} can replace the {name}",
            }.get(parts[3])
        elif label is None and parts[:2] == ["question", "instruments"] and len(parts) == 4:
            ins = instruments.get(parts[2])
            if ins is not None:
                name = words(scenario, ins.id, ins.description)
                flow = "yearly " if ins.value.dimension == "USD/yr" else ""
                label = {
                    "value": f"{flow}face value of {name}",
                    "blocked": f"chance {name} is blocked",
                    "renege": f"chance {name} is withdrawn each year",
                }.get(parts[3])
        elif label is None and parts[:2] == ["question", "threats"] and len(parts) == 4:
            threat = threats.get(parts[2])
            if threat is not None:
                name = words(scenario, threat.id, threat.description)
                label = {
                    "value": f"harm threatened by {name}",
                    "credibility": f"chance the threat of {name} is carried out",
                    "backlash": f"backlash of the threat of {name}",
                }.get(parts[3])
        elif label is None and parts[0] == "context" and len(parts) == 2 and parts[1] in context:
            label = first_clause(context[parts[1]].description)
        labels[path] = label or path
    return labels


def term_label(scenario: Scenario, term: str) -> str:
    """The plain label of a term of the model (a row of ``WedgeResult.components``).

    >>> from alliances.scenario import load_builtin
    >>> s = load_builtin("russia-iran-2017")
    >>> term_label(s, "loss:syria-foothold"), term_label(s, "cost_of_leaving")
    ('loss to Russia on its Syrian foothold', "Russia's cost of leaving Iran")
    """
    q = scenario.question
    t, p, d = (actor_name(scenario, str(a)) for a in (q.target, q.partner, q.divider))
    if term.startswith("loss:"):
        bond = next((b for b in scenario.bonds if b.id == term[5:]), None)
        name = _bare(words(scenario, term[5:], bond.description if bond else None))
        return f"loss to {t} on its {name}"
    return {
        "cost_of_leaving": f"{_possessive(t)} cost of leaving {p}",
        "reference_offer": f"face value of {_possessive(d)} offer",
        "credibility": f"credibility of {_possessive(d)} offer",
        "coercion": "coercion, net of its backlash",
        "counter_bid": f"{_possessive(p)} credible counter-bid",
        "flip_price": "flip price O*",
        "max_offer": f"most {d} would pay",
    }.get(term, term.replace("_", " "))


_UNIT_WORDS = {"/yr": " a year", "/month": " a month"}


def _unit_words(unit: str | None) -> str:
    if not unit or unit in {"fraction", "ratio"}:
        return ""
    if unit == "%":
        return "%"
    if unit in {"1/yr", "%/yr"}:
        return " a year" if unit == "1/yr" else "% a year"
    for suffix, said in _UNIT_WORDS.items():
        if unit.endswith(suffix):
            return " " + unit.removesuffix(suffix).strip() + said
    return " " + unit


def count(n: int, one: str, many: str | None = None) -> str:
    """A count with its noun in the right number, never "noun(s)".

    >>> count(1, "instrument"), count(3, "local minimum", "local minima"), count(0, "bond")
    ('1 instrument', '3 local minima', 'no bonds')
    """
    plural = many or f"{one}s"
    return f"no {plural}" if n == 0 else f"{n:,} {one if n == 1 else plural}"


def number(value: float) -> str:
    """A number as people write it: at most four significant digits, no exponent.

    >>> number(7.5), number(150.0), number(-3.5), number(12345.6), number(1.5e-7)
    ('7.5', '150', '-3.5', '12,346', '0.00000015')
    """
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:.4g}"
    if "e" in text:  # below 1e-4: as many decimals as four significant digits need
        digits = 3 - math.floor(math.log10(abs(value)))
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text


def describe(quantity: Quantity) -> str:
    """A quantity in plain words and units, as a table for people shows it.

    >>> from alliances.scenario import Point, Triangular, LogNormal
    >>> describe(Point(value=150, unit="USD m/month", source="x"))
    '150 USD m a month'
    >>> describe(Triangular(low=2, mode=2, high=3, unit="USD bn/yr", source="x"))
    '2 to 3 USD bn a year, most likely 2'
    >>> describe(LogNormal(median=2, p90=8, unit="USD bn", source="x"))
    'median 2 USD bn, 1 in 10 above 8'
    """
    unit = _unit_words(quantity.unit)
    dist = quantity.dist
    if dist == "point":
        value = getattr(quantity, "value")  # noqa: B009 (Quantity is a union)
        return f"{number(value)}{unit}"
    if dist == "triangular":
        low, mode, high = (getattr(quantity, k) for k in ("low", "mode", "high"))
        return f"{number(low)} to {number(high)}{unit}, most likely {number(mode)}"
    if dist == "lognormal":
        median, p90 = (getattr(quantity, k) for k in ("median", "p90"))
        return f"median {number(median)}{unit}, 1 in 10 above {number(p90)}"
    low, high = (getattr(quantity, k) for k in ("low", "high"))
    return f"{number(low)} to {number(high)}{unit}, any value equally likely"
