"""Turn what an article says (:class:`~alliances.ingest._types.Found`) into a scenario.

The article's figures fill the slots their role names, each quantity citing the article
(one reference per article) with the offsets and the figure's own words in its ``note``:

======================  ================================================================
role                    becomes
======================  ================================================================
``bond``                the revenue of a target–partner bond of the figure's kind, with
                        the margin of the drafting rules (B1 economic, B4 military): a
                        sale is revenue, not surplus (DESIGN §4)
``reward``              an instrument of the divider (its face value)
``coercion``            a threat of the divider
``partner_means``       the partner's means: the share of a windfall it could spend on
                        the target (a windfall is never a reward to the target)
``context``             a context figure (sunk or choice-independent: never in the price)
======================  ================================================================

Money in another currency is converted to US dollars at the yearly rate of
:mod:`alliances.money` (``alliances/data/exchange_rates.toml``; rate and year stated in
the quantity's assumption). What the article does not quantify is a wide, labelled
assumption; with a store (``ground``) the bonds it names but does not price, and the
question's other inputs, come from the drafting rules of the world data
(:func:`alliances.studies.drafting.draft`). One builder puts the figures in place, into
the draft (:meth:`~alliances.studies.drafting.Draft.with_figures`) or, without a store,
into a document of the defaults
(:func:`~alliances.studies.drafting.builder.put_figures`).

Every kind of tie the article names between the target and the partner
(:func:`~alliances.ingest.figures.find_bond_kinds`) is a bond: priced by its figures,
else drafted from the data, else of assumed value (an ``ingest default``). The actors are
the question's states, those of the bonds and the third states the article discusses
with both the target and the partner in two sentences or more (a theatre of their
partnership, with that role in the actor's note); an organisation keeps only the
memberships of those states and is left out when none belongs (mentioned in passing).
:func:`defaults_share` measures how much of the price's variance the ingest defaults
carry.

The module passes 600 lines because it is one step, an article's findings made into a
scenario: one small function for each role a figure can play, the defaults, and the
measure of how much those defaults weigh.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from alliances.errors import DataError, Problem, ScenarioError
from alliances.ingest._types import Figure, Found, Mention, Span
from alliances.ingest.figures import bond_name, find_bond_kinds
from alliances.scenario.model import Scenario

if TYPE_CHECKING:
    from alliances.studies.drafting import Draft

__all__ = ["defaults_share", "to_scenario"]

DEFAULT = "ingest default"
"""How the assumptions of :mod:`alliances.ingest` that stand in for the article begin."""

_Sentences = list[tuple[tuple[int, int, str], list[Mention]]]
"""Each sentence (start, end, text) with the mentions that start in it."""

_KINDS = ("military", "economic", "political")
_THEATRE_SENTENCES = 2
_MARGINS = {"military": (0.15, 0.25, 0.40, "B4"), "economic": (0.05, 0.10, 0.20, "B1")}
_OBSERVER = re.compile(r"\bobserver", re.IGNORECASE)
_CANDIDATE = re.compile(
    r"\b(candidate|applied|applying|consider|contemplat|accession|aspir|addition of)",
    re.IGNORECASE,
)


def _money(figure: Figure, year: int) -> tuple[float, str | None]:
    """The figure in US dollars, and the conversion stated (None for dollars)."""
    currency = (figure.currency or "USD").upper()
    if currency == "USD":
        return figure.value, None
    from alliances.money import exchange_rate

    rate, source = exchange_rate(currency, year)
    return figure.value * rate, f"converted at {rate:g} USD per {currency} ({year}; {source})"


def _cite(figure: Figure, conversion: str | None = None) -> dict[str, Any]:
    snippet = figure.text if len(figure.text) <= 80 else figure.text[:77] + "..."
    note = f"article, characters {figure.start}-{figure.end}: '{snippet}'"
    if figure.bound:
        note += f" ({figure.bound})"
    out: dict[str, Any] = {"source": "article", "note": note}
    if conversion:
        out["assumption"] = conversion
    return out


def _flow_unit(figure: Figure) -> str:
    return {"year": "USD/yr", "month": "USD/month"}.get(figure.period or "", "USD")


def _around(x: float, figure: Figure) -> dict[str, float]:
    """An article's figure as a triangular: ±25%, or one-sided for a bound."""
    if figure.bound == "at least":
        return {"low": x, "mode": x * 1.1, "high": x * 2.0}
    if figure.bound == "up to":
        return {"low": x * 0.3, "mode": x * 0.8, "high": x}
    return {"low": x * 0.75, "mode": x, "high": x * 1.25}


def _wide(median: float, unit: str, why: str) -> dict[str, Any]:
    return {"median": median, "p90": median * 5, "unit": unit, "assumption": why}


_SIGNIFICANT = 12
"""The significant digits of every number the draft makes from the article's figures."""


def _rounded(value: Any) -> Any:
    """``value`` (a document of dicts and lists) with every float rounded to
    :data:`_SIGNIFICANT` digits: a figure comes out as the article wrote it
    ("3.5 percent" is ``-3.5``, not the ``-3.5000000000000004`` of 0.035 × 100), and
    the margins and bounds made from it without float noise."""
    if isinstance(value, float):
        return float(f"{value:.{_SIGNIFICANT}g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_rounded(item) for item in value)
    return value


def to_scenario(
    found: Found,
    *,
    names: Mapping[str, str],
    year: int,
    citation: str,
    scenario_id: str,
    con: duckdb.DuckDBPyConnection | None = None,
) -> tuple[Scenario, list[str]]:
    """The scenario ``found`` describes, and what was assumed for lack of a figure.

    ``names`` maps actor ids to display names; ``citation`` names the article (its title
    or file); ``con`` grounds the bonds and inputs the article does not price: the
    article's figures go into the draft of the world data
    (:meth:`~alliances.studies.drafting.Draft.with_figures`), else into a document of
    wide, labelled defaults (:func:`~alliances.studies.drafting.builder.put_figures`).
    """
    from alliances.studies.drafting import put_figures

    if found.question is None:
        msg = "the article names no divider, target and partner that a wedge question needs"
        raise ValueError(msg)
    q = found.question
    if q.divider is None:
        msg = (
            f"the article names no divider ({q.target} drifting from {q.partner}): "
            "no wedge question to price"
        )
        raise ValueError(msg)
    d, t, p = q.divider, q.target, q.partner
    notes: list[str] = []
    org_ids = [m.actor for m in found.mentions if m.kind == "organisation"]

    # an organisation is drafted as "org:ID"; a state by its code
    ref = {a: f"org:{a}" if a in org_ids else a for a in (d, t, p)}
    drafted = None if con is None else _ground(ref[d], ref[t], ref[p], year, con, notes)
    if drafted is not None:
        notes.extend(f"world data: {warning}" for warning in drafted.warnings)
    figures = _read_figures(found, t, p, year, notes)

    # bonds the article names without a figure: from the data when grounded
    kinds = {b["kind"] for b in figures.bonds}
    drafted_bonds = [] if drafted is None else drafted.drafted_bonds(besides=kinds)
    # every kind of tie the article names between the two: priced by its figures,
    # else drafted from the data, else a bond of assumed value
    named = find_bond_kinds(found.text, found.mentions, t, p)
    have = {b["kind"] for b in [*figures.bonds, *drafted_bonds] if _ties(b, t, p)}
    stand_ins = [_named_bond(t, p, k, named[k]) for k in _KINDS if k in named and k not in have]
    if stand_ins:
        unpriced = _and([b["kind"] for b in stand_ins])
        notes.append(
            f"the article names {unpriced} ties between the target and the partner that "
            "neither its figures nor the data (a store, to ground) price: each is a bond of "
            "assumed value (median USD 1 bn a year)"
        )
    if not any(_ties(b, t, p) for b in [*figures.bonds, *drafted_bonds, *stand_ins]):
        stand_ins.append(_assumed_bond(t, p))
        notes.append(
            "the article prices no bond between the target and the partner: one "
            "political bond of assumed value (median USD 1 bn a year) stands in"
        )
    if drafted is None and not figures.instruments:
        notes.append(
            "the article gives no value for the divider's offer: a wide assumption stands in"
        )

    # the states of the question and of the bonds, then the third states the article
    # discusses with both the target and the partner (a theatre of their partnership)
    in_bonds = [a for b in [*figures.bonds, *stand_ins] for a in b["between"]]
    states = {a: "" for a in (d, t, p, *in_bonds) if a not in org_ids}
    sentences = _by_sentence(found)
    for state, spans in _theatres(sentences, t, p).items():
        if state not in states:
            states[state] = _theatre_note(names, t, p, spans)
    actors, memberships = _actors(sentences, states, org_ids, year, notes, keep=(d, t, p))
    frame = {
        "id": scenario_id,
        "title": f"Could {names.get(d, d)} pull {names.get(t, t)} away from {names.get(p, p)}?",
        "description": f"Drafted by alliances ingest from {citation}.",
        "references": {
            "article": {
                "citation": citation,
                "note": "figures cited by character offsets into the cleaned text",
            },
        },
        "actors": actors,
        "memberships": memberships,
        "context": figures.context,
    }
    put: dict[str, Any] = _rounded(
        {
            "bonds": figures.bonds,
            "stand_ins": stand_ins,
            "instruments": figures.instruments,
            "threats": figures.threats,
            "partner_means": figures.means,
            "frame": frame,
        }
    )
    if drafted is not None:
        return drafted.with_figures(**put).scenario, notes
    return Scenario.model_validate(put_figures(_defaults(d, t, p, year), **put)), notes


def defaults_share(scenario: Scenario, *, samples: int = 4096, seed: int = 0) -> float:
    r"""The share of the variance of the flip price that the ingest defaults explain.

    The first-order Sobol' index of the ingest defaults taken as one group G (the inputs
    whose assumption begins "ingest default"), of the rank of O* as
    :func:`alliances.analysis.wedge.wedge` ranks it for its drivers, by the estimator of
    Saltelli et al. [1]_ on two independent samples A and B of N draws:

    .. math::

        S_G = \frac{\frac1N \sum_j f(B)_j \,\bigl(f(A_B^{G})_j - f(A)_j\bigr)}
                   {\operatorname{Var} f},

    with A_B^G the draws of A whose inputs in G are those of B: 3N runs of the model
    whatever the number of inputs, so its cost grows with the article, not with its
    square. It counts what the defaults do together, interactions among them included,
    and is clipped to [0, 1].

    Parameters
    ----------
    scenario : Scenario
        A draft of :func:`to_scenario`.
    samples : int
        N, the draws of each of the two samples.
    seed : int
        The random seed; the same seed gives the same share.

    Returns
    -------
    float
        A share between 0 and 1 (0 when no default is uncertain or the price does not
        vary).

    References
    ----------
    .. [1] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and
       Tarantola, S. (2010). Variance based sensitivity analysis of model output.
       *Computer Physics Communications* 181(2): 259–270, eq. (b) of table 2.
    """
    import numpy as np

    from alliances.analysis.sensitivity import _mid_ranks
    from alliances.analysis.wedge import compile_model, evaluate, sample_inputs

    model = compile_model(scenario, labels=False)
    group = [
        k
        for k, i in enumerate(model.uncertain)
        if i.affects_price and str(i.quantity.assumption or "").startswith(DEFAULT)
    ]
    if not group:
        return 0.0
    rng = np.random.default_rng(seed)
    a = rng.random((len(model.uncertain), samples))
    b = rng.random((len(model.uncertain), samples))
    ab = a.copy()
    ab[group] = b[group]
    runs = np.hstack([a, b, ab])
    width = max(256, 2**23 // len(model.inputs))  # at most 64 MB of inputs at a time
    price = np.concatenate(
        [
            evaluate(model, sample_inputs(model, runs[:, k : k + width]))["flip_price"]
            for k in range(0, runs.shape[1], width)
        ]
    )
    if np.isnan(price).any():
        msg = "the flip price is undefined (NaN) in some draws of the draft"
        raise ScenarioError([Problem("question", msg)], file=None)
    y = _mid_ranks(price)
    fa, fb, fab = y[:samples], y[samples : 2 * samples], y[2 * samples :]
    variance = float(np.var(np.concatenate([fa, fb])))
    if variance == 0:
        return 0.0
    share = float(np.mean(fb * (fab - fa))) / variance
    return min(1.0, max(0.0, share))


def _ground(
    d: str, t: str, p: str, year: int, con: duckdb.DuckDBPyConnection, notes: list[str]
) -> Draft | None:
    """The draft of the world data (:func:`alliances.studies.drafting.draft`), or None
    with a note saying why there is none."""
    from alliances.errors import AlliancesError
    from alliances.studies.drafting import draft

    try:
        return draft(d, t, p, year, store=con)
    except AlliancesError as error:
        notes.append(f"no grounding in the world data: {error}")
        return None


def _ties(bond: Mapping[str, Any], t: str, p: str) -> bool:
    """Whether ``bond`` is a priced bond between the target ``t`` and the partner ``p``."""
    return t in bond["between"] and p in bond["between"] and bool(bond.get("sides"))


@dataclass
class _Figures:
    """The article's figures in the slots of their roles (see the module's table)."""

    bonds: list[dict[str, Any]] = field(default_factory=list)
    instruments: list[dict[str, Any]] = field(default_factory=list)
    threats: list[dict[str, Any]] = field(default_factory=list)
    means: dict[str, Any] | None = None
    context: list[dict[str, Any]] = field(default_factory=list)


def _read_figures(found: Found, t: str, p: str, year: int, notes: list[str]) -> _Figures:
    """The figures of ``found`` by role; a sum whose currency has no rate is left out,
    with a note."""
    out = _Figures()
    for k, fig in enumerate(found.figures):
        if fig.unit == "money":
            try:
                usd, conversion = _money(fig, year)
            except DataError as error:
                notes.append(f"'{fig.text}' left out: {error}")
                continue
        if (
            fig.role == "bond"
            and fig.unit == "money"
            and fig.between
            and {t, p} == set(fig.between)
        ):
            out.bonds.append(_bond(k, fig, usd, conversion, t, p))
        elif fig.role == "reward" and fig.unit == "money":
            out.instruments.append(_reward(k, fig, usd, conversion))
        elif fig.role == "coercion" and fig.unit == "money" and fig.by not in (t, p):
            # the divider's threat; the partner's (or target's) is context, not D's lever
            out.threats.append(_threat(k, fig, usd, conversion))
        elif fig.role == "partner_means" and fig.unit == "money" and out.means is None:
            out.means = _means(fig, usd, conversion)
        else:
            out.context.append(_context(k, fig, year))
    return out


def _bond(
    k: int, fig: Figure, usd: float, conversion: str | None, t: str, p: str
) -> dict[str, Any]:
    """The target–partner bond of the ``k``-th figure: its revenue to the target."""
    kind = fig.kind if fig.kind in _MARGINS else "economic"
    low, mode, high, rule = _MARGINS[kind]
    direction = f"{fig.by}->{({t, p} - {fig.by}).pop()}" if fig.by in (t, p) else "mutual"
    return {
        "id": f"article-{kind}-{k + 1}",
        "kind": kind,
        "between": [t, p],
        "direction": direction,
        "description": f"{_capital(bond_name(fig) or f'{kind} ties')}, as the article "
        f"reports: '{fig.text}'.",
        "source": "article",
        "sides": {
            t: {
                "revenue": {
                    **_around(usd, fig),
                    "unit": _flow_unit(fig),
                    **_cite(fig, conversion),
                },
                "margin": {
                    "low": low,
                    "mode": mode,
                    "high": high,
                    "assumption": f"{rule}: surplus share of the revenue",
                },
                "loss": {
                    "low": 0.3,
                    "mode": 0.6,
                    "high": 1.0,
                    "assumption": "ingest default: share lost if the target defects",
                },
                "substitutability": {
                    "low": 0.1,
                    "mode": 0.4,
                    "high": 0.7,
                    "assumption": "ingest default: share the target can replace",
                },
                "adjustment_years": {
                    "low": 1,
                    "mode": 3,
                    "high": 6,
                    "unit": "years",
                    "assumption": "ingest default: years to replace it",
                },
            }
        },
    }


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _reward(k: int, fig: Figure, usd: float, conversion: str | None) -> dict[str, Any]:
    """The divider's instrument of the ``k``-th figure (its face value)."""
    return {
        "id": f"article-reward-{k + 1}",
        "description": f"'{fig.text}'",
        "value": {
            **_around(usd, fig),
            "unit": _flow_unit(fig),
            **_cite(fig, conversion),
        },
        "blocked": {
            "low": 0.1,
            "mode": 0.3,
            "high": 0.6,
            "assumption": "ingest default: chance the offer is blocked",
        },
        "renege": {
            "low": 0.02,
            "mode": 0.1,
            "high": 0.2,
            "unit": "1/yr",
            "assumption": "ingest default: yearly chance it is withdrawn",
        },
    }


def _threat(k: int, fig: Figure, usd: float, conversion: str | None) -> dict[str, Any]:
    """The divider's threat of the ``k``-th figure."""
    return {
        "id": f"article-threat-{k + 1}",
        "description": f"'{fig.text}'",
        "value": {**_around(usd, fig), "unit": "USD", **_cite(fig, conversion)},
        "credibility": {
            "low": 0.2,
            "mode": 0.4,
            "high": 0.6,
            "assumption": "ingest default: chance the threat is carried out",
        },
        "backlash": {
            "low": 0.1,
            "mode": 0.3,
            "high": 0.5,
            "assumption": "ingest default (Izumikawa 2013): coercion binds the pair",
        },
    }


def _means(fig: Figure, usd: float, conversion: str | None) -> dict[str, Any]:
    """The partner's means: the share of the windfall ``fig`` it could spend on the
    target."""
    cite = _cite(fig, conversion)
    why = "the share (5-30%) of the partner's windfall it could spend on the target"
    if "assumption" in cite:
        why = cite["assumption"] + "; " + why
    return {
        "low": 0.05 * usd,
        "mode": 0.15 * usd,
        "high": 0.3 * usd,
        "unit": "USD",
        **cite,
        "assumption": why,
    }


def _context(k: int, fig: Figure, year: int) -> dict[str, Any]:
    if fig.unit == "money":
        usd, conversion = _money(fig, year)
        value: dict[str, Any] = {"value": usd, "unit": _flow_unit(fig), **_cite(fig, conversion)}
    elif fig.unit in ("share", "growth"):
        value = {
            "value": fig.value,
            "unit": "fraction" if fig.unit == "share" else "%",
            **_cite(fig),
        }
        if fig.unit == "growth":
            value["value"] = fig.value * 100
    else:
        value = {"value": fig.value, **_cite(fig)}
    return {"id": f"article-figure-{k + 1}", "description": fig.sentence[:200], "value": value}


def _assumed_bond(t: str, p: str) -> dict[str, Any]:
    return {
        "id": "article-partnership",
        "kind": "political",
        "between": [t, p],
        "description": "The partnership the article describes, not priced by it.",
        "source": "article",
        "sides": {
            t: {
                "value": _wide(
                    1.0,
                    "USD bn/yr",
                    "ingest default: value of the partnership, unpriced by the article",
                )
            }
        },
    }


def _named_bond(t: str, p: str, kind: str, words: Sequence[Span]) -> dict[str, Any]:
    """A bond of assumed value of the ``kind`` of tie the article names in ``words``."""
    cited = "; ".join(f"'{w.text}', characters {w.start}-{w.end}" for w in words[:3])
    return {
        "id": f"{kind}-ties",
        "kind": kind,
        "between": [t, p],
        "description": f"{_capital(kind)} ties the article names ({cited}) but does not price.",
        "source": "article",
        "sides": {
            t: {
                "value": _wide(
                    1.0,
                    "USD bn/yr",
                    f"ingest default: yearly value of the {kind} ties the article names "
                    "but does not price",
                )
            }
        },
    }


def _defaults(d: str, t: str, p: str, year: int) -> dict[str, Any]:
    """The document the article's figures go into without a store: no bonds, and a
    question of wide, labelled defaults (an offer the article does not value among
    them)."""
    return {
        "schema_version": 2,
        "year": year,
        "question": {
            "divider": d,
            "target": t,
            "partner": p,
            "goal": "neutral",
            "horizon": 10,
            "discount_rate": {
                "low": 0.03,
                "mode": 0.05,
                "high": 0.08,
                "unit": "1/yr",
                "assumption": "Q1: real discount rate",
            },
            "target_costs": {
                "reputation": _wide(
                    2.0, "USD bn", "ingest default: the target's cost of abandoning a partner"
                ),
                "partner_retaliation": _wide(
                    1.0, "USD bn", "ingest default: what the partner can do beyond the bonds"
                ),
            },
            "partner_bid": {
                "value_of_target": _wide(
                    10.0,
                    "USD bn",
                    "ingest default: what keeping the target is worth to the partner",
                ),
                "means": _wide(
                    5.0, "USD bn", "ingest default: the partner's means for a counter-offer"
                ),
                "cost_per_value": {
                    "low": 1.0,
                    "mode": 1.3,
                    "high": 2.0,
                    "unit": "ratio",
                    "assumption": "P3",
                },
                "credibility": {
                    "low": 0.3,
                    "mode": 0.5,
                    "high": 0.8,
                    "assumption": "ingest default",
                },
            },
            "divider_payoff": {
                "value_of_split": _wide(
                    20.0, "USD bn", "ingest default: what the split is worth to the divider"
                ),
                "political_cost": _wide(
                    2.0, "USD bn", "ingest default: the divider's political cost"
                ),
                "cost_per_value": {
                    "low": 0.3,
                    "mode": 0.6,
                    "high": 1.0,
                    "unit": "ratio",
                    "assumption": "W3",
                },
            },
            "instruments": [
                {
                    "id": "assumed-offer",
                    "description": "an offer the article does not value",
                    "value": _wide(
                        10.0,
                        "USD bn",
                        "ingest default: the divider's offer, unvalued by the article",
                    ),
                    "blocked": {
                        "low": 0.1,
                        "mode": 0.3,
                        "high": 0.6,
                        "assumption": "ingest default",
                    },
                    "renege": {
                        "low": 0.02,
                        "mode": 0.1,
                        "high": 0.2,
                        "unit": "1/yr",
                        "assumption": "ingest default",
                    },
                }
            ],
            "threats": [],
        },
    }


def _theatres(sentences: _Sentences, t: str, p: str) -> dict[str, list[tuple[int, int]]]:
    """The third states the article names with both ``t`` and ``p`` in two sentences or
    more (the ``(start, end)`` of those sentences): the theatres of their partnership."""
    out: dict[str, list[tuple[int, int]]] = {}
    for (start, end, _), inside in sentences:
        named = {m.actor for m in inside if m.kind == "state"}
        if {t, p} <= named:
            for state in named - {t, p}:
                out.setdefault(state, []).append((start, end))
    return {state: spans for state, spans in out.items() if len(spans) >= _THEATRE_SENTENCES}


def _theatre_note(
    names: Mapping[str, str], t: str, p: str, spans: Sequence[tuple[int, int]]
) -> str:
    where = ", ".join(f"{a}-{b}" for a, b in spans)
    return (
        f"a theatre of the partnership: the article discusses it with both "
        f"{names.get(t, t)} and {names.get(p, p)} in {len(spans)} sentences "
        f"(characters {where})"
    )


def _actors(
    sentences: _Sentences,
    states: Mapping[str, str],
    orgs: Sequence[str],
    year: int,
    notes: list[str],
    keep: Sequence[str] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The scenario's actors and memberships: the ``states`` (id to the note on their
    role, empty for none), then each organisation the table knows of which one of them
    is a member, or an observer or candidate by the article; an organisation none of them
    belongs to (and not in ``keep``, the question's actors) was mentioned in passing and
    is left out, with a note. The members of an organisation are never pulled in as
    actors."""
    from alliances.world.organisations import load_organisations

    table = load_organisations()
    actors: list[dict[str, Any]] = [
        {"state": ident, **({"note": note} if note else {})} for ident, note in states.items()
    ]
    memberships: list[dict[str, Any]] = []
    passing = []
    for org in dict.fromkeys(orgs):
        if org not in table:
            continue
        entry = table[org]
        joined = [
            {"member": state, "bloc": org, "source": f"membership table ({org})"}
            for state in entry.codes_in(year)
            if state in states
        ]
        for status, pattern in (("observer", _OBSERVER), ("candidate", _CANDIDATE)):
            for state in _stated(sentences, org, pattern):
                if state in states and not any(m["member"] == state for m in joined):
                    joined.append(
                        {"member": state, "bloc": org, "status": status, "source": "article"}
                    )
        if not joined and org not in keep:
            passing.append(org)
            continue
        actors.append({"id": org, "organisation": entry.name, "kind": entry.kind})
        memberships.extend(joined)
    if passing:
        notes.append(
            f"mentioned in passing (no actor of the draft belongs): {', '.join(passing)}; left out"
        )
    return actors, memberships


def _stated(sentences: _Sentences, org: str, pattern: re.Pattern[str]) -> list[str]:
    """States that a sentence naming ``org`` gives a status by ``pattern`` (observer …)."""
    out: Counter[str] = Counter()
    previous: list[str] = []
    for (_, _, text), names in sentences:
        orgs = [m.actor for m in names if m.kind == "organisation"]
        # a sentence is about the organisation it names last, or, naming none ("It
        # boasts ..."), about the one the sentence before named last
        about = (orgs or previous)[-1:] == [org]
        if pattern.search(text) and about:
            for m in names:
                if m.kind == "state":
                    out[m.actor] += 1
        previous = orgs or previous
    return list(out)


def _sentences(found: Found) -> list[tuple[int, int, str]]:
    from alliances.ingest.text import split_sentences

    return [(s.start, s.end, s.text) for s in split_sentences(found.text)]


def _by_sentence(found: Found) -> _Sentences:
    """Each sentence with the mentions that start in it, in one pass over both (sorted by
    their starts): linear in the text, where a scan of every mention for every sentence
    grows as their product."""
    mentions = sorted(found.mentions, key=lambda m: m.start)
    out: _Sentences = []
    i = 0
    for sentence in _sentences(found):
        start, end, _ = sentence
        while i < len(mentions) and mentions[i].start < start:
            i += 1
        j = i
        while j < len(mentions) and mentions[j].start < end:
            j += 1
        out.append((sentence, mentions[i:j]))
        i = j
    return out
