"""The figures of an article (money, shares, growth and counts), each with its evidence.

Everything here is a small hand-written reader: regular expressions with a table of
number words ("one" … "ninety", "a dozen", "a hundred", "half a", "and a half"), over
the cleaned text, its sentences (:func:`alliances.ingest.text.split_sentences`) and the
actor mentions already found (:func:`alliances.ingest.actors.find_actors`). Nothing is
fetched and no model is loaded; with the event and tie readers it takes about 8,000 sentences a
second on one core (``benchmarks/ingest.py``). Every record keeps the character offsets
of its own words: ``text[f.start:f.end] == f.text``.

Figures (:func:`find_figures`)
------------------------------
*Money* is a number with a currency: a sign or code before it (``$``, ``US$``, ``€``,
``£``, ``¥`` (yen; ``CN¥``/``RMB`` yuan), ``₹``/``Rs``, ``₽``, ``₺``, ``USD``, ``EUR`` …
``TRY``) or a currency word after it ("dollars", "euros", "pounds", "rubles"/"roubles",
"yuan"/"renminbi", "yen", "rupees", "rials", "tomans" (ten rials), "lira", "francs"
(French), "marks" (German); a qualifier such as "Canadian dollars", "Swiss francs" or
"Egyptian pounds" names that currency instead). Scale words
and abbreviations multiply it: thousand/k, million/mn/mln/m, billion/bn/bln/b,
trillion/tn/trn, crore, lakh ("$10 billion", "€10bn", "USD 2.5 bn", "$150m", "ten
billion dollars", "half a billion dollars"). A scaled number without a currency takes the
currency of a money figure in its sentence ("between $2 and 2.5 trillion"), else it is a
``count``. "Tens of billions of dollars" (and "hundreds of millions", "billions of",
"several billion") are kept as a lower bound: 10 (100, 1, 2) times the scale, ``at least``.
Ranges ("$2-3 billion", "between $2 billion and $3 billion") give two figures, the low one
``at least`` and the high one ``up to``. ``value`` is in plain units (2.5e9) and
``currency`` is the ISO code; :func:`to_usd` converts.

*Bounds*: "at least", "more than", "over", "in excess of", "upwards of", "above" → ``at
least``; "up to", "as much as", "nearly", "almost", "close to", "less than", "under",
"no more than" → ``up to`` ("nearly another one percent" included); "or more" after the
number → ``at least``. "About", "roughly", "some" are no bound.

*Periods*: "a year", "per year", "annually", "each/every year", "per annum", "in annual
…", an "annual … of" before the number → ``year``; the same with month → ``month`` (a
monthly figure keeps its own value: the scenario converts); a day or a week is turned into
a year (x365, x52). "Every month" elsewhere in the sentence dates a money figure that has
no period of its own. A sum spread over years ("$10 billion over ten years", "over the
next decade", "a 25-year, $400 billion deal") becomes the yearly flow (value / years,
``period: year``), its words, the span included, kept in ``text``.

*Shares*: "46 percent", "46%", "46 per cent", fraction words ("a third", "two-thirds",
"roughly four fifths", "half of") and "one in five" → ``unit: share`` as a fraction.
A fraction word counts only before "of" (not "of the year", "of 2016") or after an
approximator ("roughly four fifths"); "the second half" and "a quarter-century" do not.

*Growth*: a percentage right after a verb or noun of change ("contracted by 3.7
percent", "shrank 3.7%", "grew by 1 percent", "a contraction of", "a 2 percent fall")
→ ``unit: growth``, negative for contraction (contract, constrict, shrink, fall, decline,
drop, slump, recession …). "Rose *to* 46 percent" is a level (a share), not growth.

*Counts*: a number before troops, soldiers, jets, missiles, bases, systems … (not a
model number, "S-300 missiles", nor a year, "in 1969 their troops": write "2,000
troops"), or a scaled number without currency.

*Years*: each figure takes the year mentioned nearest to it in its sentence, absolute
("in 2015", "January 2017") or relative to the article's year ("last year", "this
year", "two years ago", "last summer"): ``year`` if given, else the latest year the text
mentions (years after "by", "until", "before" left out, as targets). See
:func:`find_years`.

Actors of a figure
------------------
*by*, the acting actor, is the subject before the verb: of the mentions in the sentence
before the figure, those after a preposition ("with", "to", "from", "against", "between",
"in" …) and those before a reporting verb ("X estimates that …") are left out; of the
rest, the first in the figure's clause (after the last comma, semicolon, colon, dash or
bracket: "While Iran struggled, Russia signed …" → Russia; "The US offered Russia $X" →
the US) is taken, else the nearest (the first of a coordination, "Russia and China
signed"). Without one, the agent of a passive ("… offered by the United States") is taken;
a sentence that opens with an anaphor ("This", "These", "It", "The deal" …) takes the
subject of the sentence before. *between* is ``(by, the nearest other actor)``, or the two
distinct actors nearest the figure in text order; None with fewer than two. A
``partner_means`` figure has no ``between`` (it is one actor's means); a reward the
subject *received* has its giver as ``by`` (the actor after "from", else the other actor
the sentence names), so ``between`` is ``(giver, receiver)``.

*kind* is the bond kind of the keyword nearest the figure in its sentence (military: arms,
weapons, air defence, missiles, fighters, jets, bases, troops, S-300, military, defence,
contractors …; economic: trade, gas, oil, pipeline, loan, credit, investment, corridor,
nuclear plant/power/commerce, exports, imports, economy, budget, sanctions …; political:
membership, votes, ideology, recognition, diplomacy …); None without one.

Roles (DESIGN §4 and its pitfalls)
----------------------------------
The cues are read in the sentence, and also in the sentence before when it opens with an
anaphor ("This has taken the form of …" after "… enjoyed a windfall"):

1. ``context`` for growth: a GDP change is never a price.
2. For money, ``partner_means`` when a windfall-type cue is present (windfall, war chest, reserves,
   sovereign wealth, coffers): a partner's windfall is the partner's means, never a reward
   to the target; also when a reward word (aid, relief …) is *received* (received,
   enjoyed, reaped, gained, obtained …) with no offer and no giver named in the sentence
   ("Iran received more than $100 billion in sanctions relief": Iran's means).
3. Otherwise the cue nearest the figure decides, looked for in the figure's own clause
   first (between commas, semicolons, colons, dashes or brackets), then before it, then
   after it ("a contract …, worth $5.4 billion, despite the threat of sanctions" is the
   contract's); ties in this order:
   ``reward`` — aid, assistance, relief, offers, promises, pledges, incentives,
   concessions, grants, lifting or easing sanctions, "in return for": what a divider offers a
   target (lifting a sanction is a reward, not coercion); ``coercion`` — sanctions,
   embargo, tariffs, threats, penalties, removal, expulsion, freezing; ``context`` —
   sunk or choice-independent costs: annexation, expenditure(s), cost(s), deficit,
   losses, damage, past spending ("spent", "spending … on"); ``partner_means`` — a
   budget, GDP, revenues, income (money only; for a share this is context); ``bond`` —
   deals, contracts, agreements, sales, purchases, supplies, deliveries, trade, goods,
   exports, imports, loans, investment, pipelines, remittances: a flow between the two
   that is a tie.
4. Without any cue: ``bond`` when the sentence gives a bond kind, else ``context``.

Exchange rates (:func:`exchange_rate`, :func:`to_usd`)
------------------------------------------------------
Re-exported from :mod:`alliances.money`, their home: yearly averages from
``alliances/data/exchange_rates.toml`` (its header cites the sources), the pound at the
gold parity :data:`alliances.money.GOLD_PARITY` in 1879–1913 as a stated assumption. A
missing currency or year raises :class:`~alliances.errors.DataError` naming what is
covered.

Where it lives
--------------
This module reads a figure's sentence, actors, year and role; the number grammar (number
words, scales, currencies, bounds, periods, ranges) is :mod:`alliances.ingest._numbers`,
the sentence reader and the years :mod:`alliances.ingest._sentences`, and the dated
events, hostile ties and named bonds of an article :mod:`alliances.ingest.events`
(:func:`find_events`, :func:`find_negative_ties`, :func:`find_bond_kinds` and
:func:`bond_name` are re-exported here, where they have always been imported from).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from alliances.ingest._numbers import _PERIOD_ADVERB, _PERIOD_ANYWHERE, _period, _Raw, _raw_figures
from alliances.ingest._sentences import (
    _AGENT_BEFORE,
    _CLAUSE_BREAK,
    _FROM_BEFORE,
    _OFFERED,
    _RECEIVED,
    _REWARD_OBJECT,
    _ROLE_ORDER,
    _WINDFALL,
    _first_positions,
    _gap,
    _nearest_actors,
    _nearest_year,
    _Reader,
    _Sentence,
    _years,
    find_years,
)
from alliances.ingest._types import Figure, Mention, Span
from alliances.ingest.events import bond_name, find_bond_kinds, find_events, find_negative_ties
from alliances.money import covered_years, exchange_rate, to_usd

__all__ = [
    "bond_name",
    "covered_years",
    "exchange_rate",
    "find_bond_kinds",
    "find_events",
    "find_figures",
    "find_negative_ties",
    "find_years",
    "to_usd",
]


# --- figures --------------------------------------------------------------------------


def find_figures(
    text: str, mentions: Sequence[Mention] = (), *, year: int | None = None
) -> list[Figure]:
    """The figures of ``text`` in text order: money, shares, growth rates and counts, each
    with its sentence, offsets, period, bound, year, bond kind, role and actors (from
    ``mentions``). ``year`` is the article's year, for "last year"; without it the latest
    year the text mentions. A figure's own year is the year its sentence names nearest
    to it, else the article's ``year`` (None without one). The rules are those of the
    module's documentation."""
    reader = _Reader(text, mentions)
    years = _years(text, year)
    year_starts = [span.start for _, span in years]
    raws = _raw_figures(text)
    _inherit_currency(raws, reader)
    figures: list[Figure] = []
    used_periods: set[int] = set()
    for raw in raws:
        k = reader.index(raw.start, raw.end)
        s = reader.sentence(k, raw.start, raw.end)
        if raw.unit == "money" and raw.period is None:
            _sentence_period(raw, s, raws, used_periods)
        figure = _figure(raw, k, s, reader, years, year_starts)
        if figure.year is None and year is not None:
            figure = replace(figure, year=year)
        figures.append(figure)
    return figures


def _inherit_currency(raws: list[_Raw], reader: _Reader) -> None:
    """A scaled number without a currency takes that of a money figure in its sentence."""
    by_sentence: dict[int, list[_Raw]] = {}
    for raw in raws:
        by_sentence.setdefault(reader.index(raw.start, raw.end), []).append(raw)
    for k, group in by_sentence.items():
        if k < 0:
            continue
        money = [r for r in group if r.unit == "money" and r.currency]
        for raw in group:
            if (
                raw.unit == "count"
                and raw.scale is not None
                and money
                and not _counts_a_thing(reader.text, raw.end)
            ):
                nearest = min(money, key=lambda r: _gap(r.start, r.end, raw.start, raw.end))
                raw.unit, raw.currency = "money", nearest.currency
                _period(raw, reader.text)


_NOT_A_NOUN = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "but",
        "per",
        "each",
        "every",
        "in",
        "of",
        "on",
        "to",
        "for",
        "from",
        "by",
        "at",
        "as",
        "over",
        "more",
        "less",
        "than",
        "worth",
        "this",
        "that",
        "these",
        "those",
        "last",
        "next",
        "the",
        "its",
        "their",
        "with",
        "was",
        "were",
        "is",
        "are",
        "had",
        "has",
        "have",
        "will",
        "would",
        "could",
        "which",
        "who",
        "annually",
        "yearly",
        "monthly",
        "since",
        "until",
        "before",
        "after",
        "while",
        "when",
    ]
)
"""The words after a scaled number that do not say what it counts ("2.5 trillion in")."""


def _counts_a_thing(text: str, end: int) -> bool:
    """Whether the number ending at ``end`` counts something named after it ("28 billion
    cubic metres", "40 million tourists"): then it is no sum of money, whatever other
    money its sentence holds."""
    word = re.match(r"[\s-]*([A-Za-z][\w-]*)", text[end : end + 40])
    return word is not None and word[1].lower() not in _NOT_A_NOUN


def _sentence_period(raw: _Raw, s: _Sentence, raws: list[_Raw], used: set[int]) -> None:
    """An "every month" elsewhere in the sentence gives a money figure its period, unless
    another figure stands between them (the period is that figure's)."""
    for m in _PERIOD_ANYWHERE.finditer(s.span.text):
        start = m.start() + s.span.start
        if start in used or any(r.start <= start < r.end for r in raws):
            continue
        low, high = sorted((raw.start, start))
        if any(r is not raw and low <= r.start < high for r in raws):
            continue
        unit = (m.group("u") or m.group("adv")).lower()
        raw.period = _PERIOD_ADVERB.get(unit, unit)
        return


def _figure(
    raw: _Raw,
    k: int,
    s: _Sentence,
    reader: _Reader,
    years: Sequence[tuple[int, Span]],
    year_starts: list[int],
) -> Figure:
    prev = reader.previous(k) if s.anaphoric else None
    by = reader.subject(s, raw.start)
    if by is None:
        by = reader.agent(s, raw.end, _AGENT_BEFORE)
    if by is None and prev is not None:
        by = reader.subject(prev, prev.span.end)
    role = _role(raw, s, prev, by)
    between = _between(raw, s, by) if role != "partner_means" else None
    if role == "reward" and _RECEIVED.search(s.span.text):
        # "T received $X in aid from D": the reward is D's, to T
        giver = reader.agent(s, s.span.start, _FROM_BEFORE)
        if giver is None:
            giver = next((a for a in _nearest_actors(s, raw.start, raw.end) if a != by), None)
        if giver is not None and giver != by:
            between = (giver, by) if by is not None else between
            by = giver
    return Figure(
        value=raw.value,
        unit=raw.unit,
        text=reader.text[raw.start : raw.end],
        sentence=s.span.text,
        start=raw.start,
        end=raw.end,
        currency=raw.currency if raw.unit == "money" else None,
        period=raw.period,
        bound=raw.bound,
        year=_nearest_year(raw.start, raw.end, s.span, years, year_starts),
        kind=_kind(raw, s, prev),
        role=role,
        between=between,
        by=by,
    )


def _between(raw: _Raw, s: _Sentence, by: str | None) -> tuple[str, str] | None:
    actors = _nearest_actors(s, raw.start, raw.end)
    if by is not None:
        others = [a for a in actors if a != by]
        return (by, others[0]) if others else None
    if len(actors) < 2:
        return None
    first = _first_positions(s)
    a, b = sorted(actors[:2], key=lambda actor: first[actor])
    return (a, b)


def _kind(raw: _Raw, s: _Sentence, prev: _Sentence | None) -> str | None:
    if s.kinds:
        best = min(s.kinds, key=lambda c: (_gap(c[1], c[2], raw.start, raw.end), c[1]))
        return best[0]
    if prev is not None and prev.kinds:
        return prev.kinds[-1][0]
    return None


def _role(raw: _Raw, s: _Sentence, prev: _Sentence | None, by: str | None) -> str:
    if raw.unit == "growth":
        return "context"
    sentence = s.span.text
    window = sentence if prev is None else prev.span.text + " " + sentence
    offered = bool(_OFFERED.search(sentence))
    if raw.unit == "money":
        if _WINDFALL.search(window):
            return "partner_means"
        if (
            _REWARD_OBJECT.search(sentence)
            and _RECEIVED.search(window)
            and not offered
            and not [a for a in {m.actor for m in s.mentions} if a != by]
        ):
            return "partner_means"
    cues = list(s.cues)
    if prev is not None:
        # the sentence before, for an anaphoric one: as far away as the sentence's start
        cues += [(role, s.span.start - 1, s.span.start - 1) for role, _, _ in prev.cues]
    if cues:
        # the figure's own clause first, then what comes before it, then what comes after
        low, high = _clause(s.span, raw.start, raw.end)
        group = (
            [c for c in cues if low <= c[1] and c[2] <= high]
            or [c for c in cues if c[2] <= low]
            or cues
        )
        role, _, _ = min(
            group,
            key=lambda c: (_gap(c[1], c[2], raw.start, raw.end), _ROLE_ORDER[c[0]]),
        )
        if role == "partner_means" and raw.unit != "money":
            return "context"
        return role
    return "bond" if _kind(raw, s, prev) is not None else "context"


def _clause(sentence: Span, start: int, end: int) -> tuple[int, int]:
    """The clause of the sentence around ``start``–``end`` (between the breaks of
    ``_CLAUSE_BREAK``), as offsets into the text."""
    low, high = sentence.start, sentence.end
    for m in _CLAUSE_BREAK.finditer(sentence.text):
        if m.end() + sentence.start <= start:
            low = m.end() + sentence.start
        elif m.start() + sentence.start >= end:
            high = m.start() + sentence.start
            break
    return low, high
