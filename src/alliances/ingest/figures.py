"""The numbers, dated events and hostile ties of an article, each with its evidence.

Everything here is a small hand-written reader: regular expressions with a table of
number words ("one" … "ninety", "a dozen", "a hundred", "half a", "and a half"), over
the cleaned text, its sentences (:func:`alliances.ingest.text.split_sentences`) and the
actor mentions already found (:func:`alliances.ingest.actors.find_actors`). Nothing is
fetched and no model is loaded; the three readers together take about 8,000 sentences a
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

Events (:func:`find_events`) and hostile ties (:func:`find_negative_ties`)
--------------------------------------------------------------------------
An event is a trigger word — joined (join, accede, accession, became a member,
admitted), signed (signed, inked, concluded), removed (removed, expelled, suspended,
ousted, overthrown), annexed, invaded, withdrew (withdrew, pulled out, quit, left +
a name), recognised — not negated or hypothetical ("did not join", "refused to", "plans
to", "might"); its year is the nearest in the sentence, its actors those the sentence
mentions (an event with neither an actor nor a year is left out, unless it is an
annexation or an invasion: "the annexation of Crimea"). A hostile tie is
"opposing/opposite sides", "rival(ry)", "hostile/hostility", "enemy", "adversary",
"at odds", "foe", "feud", "antagonism", "confrontation", "at war", "sanctions on/against"
(the imposer before, the target after) between the two actors nearest it, unless negated
("no longer rivals", "former enemies").

Exchange rates (:func:`exchange_rate`, :func:`to_usd`)
------------------------------------------------------
Re-exported from :mod:`alliances.money`, their home: yearly averages from
``alliances/data/exchange_rates.toml`` (its header cites the sources), the pound at the
gold parity :data:`alliances.money.GOLD_PARITY` in 1879–1913 as a stated assumption. A
missing currency or year raises :class:`~alliances.errors.DataError` naming what is
covered.

The module passes 600 lines because the figures of an article are one concept: money,
shares and counts share the number grammar, the bond cues and the spans they are
matched with (a split into grammar and cues is planned, issue 22).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from alliances.errors import DataError
from alliances.ingest._types import Event, Figure, Mention, NegativeTie, Span
from alliances.ingest.text import split_sentences
from alliances.money import (
    CURRENCY_CODES,
    CURRENCY_WORDS,
    QUALIFIED_CURRENCY_WORDS,
    SCALE_WORDS,
    SYMBOLS,
    covered_years,
    exchange_rate,
    to_usd,
)

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

# --- numbers --------------------------------------------------------------------------

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD_VALUES = {**_UNITS, **_TEENS, **_TENS}
_U = "|".join(_UNITS)
_WORDNUM = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{_U}))?|{'|'.join(_TEENS)}"
    rf"|(?:(?:{_U}|an?)\s+)?hundred|(?:a\s+)?dozen|half\s+an?"
    rf"|an?(?=\s+(?:hundred|thousand|million|billion|trillion)\b)|{_U})"
    r"(?:\s+and\s+a\s+half)?"
)
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
_DIGITS = rf"(?<![A-Za-z]-)(?<![\w.]){_AMOUNT}"
_NUMBER = rf"(?:{_DIGITS}|\b{_WORDNUM}\b)"

_SCALES = SCALE_WORDS
_SCALE = (
    r"(?:[\s-]?(?:thousand|millions?|billions?|trillions?|crores?|lakhs?|mn|mln|bn|bln|tn|trn)"
    r"|(?:k|m|b))\b"
)


def _number(token: str) -> float:
    """The value of a number written in digits or words ("2,500", "twenty-five")."""
    t = re.sub(r"\s+", " ", token.strip().lower()).replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t in ("a", "an"):
        return 1.0 + half
    if t.startswith("half "):
        return 0.5
    if t.endswith("dozen"):
        return 12.0 + half
    if t.endswith("hundred"):
        lead = t[: -len("hundred")].strip()
        return (1.0 if lead in ("", "a", "an") else _small(lead)) * 100.0 + half
    return _small(t) + half


def _small(t: str) -> float:
    return float(sum(_WORD_VALUES.get(part, 0) for part in re.split(r"[-\s]", t) if part))


def _scale(token: str | None) -> float:
    if not token:
        return 1.0
    word = token.strip(" -\t\n").lower()
    if word.endswith("s") and word[:-1] in _SCALES:
        word = word[:-1]
    return _SCALES[word]


# --- currencies -----------------------------------------------------------------------

_CODES = CURRENCY_CODES
_PREFIX = (
    r"(?:CN¥|RMB\s?¥?|US\$|U\.S\.\s?\$|\$US|(?<![A-Za-z$])\$|€|£|¥|₹|₽|₺"
    r"|\b(?:USD|EUR|GBP|RUB|CNY|JPY|INR|IRR|TRY)\b|\bRs\.?)"
)
_PREFIX_CURRENCY = SYMBOLS
_QUALIFIER = (
    r"(?:U\.?S\.?|American|Canadian|Australian|Hong\s+Kong|Singapore|New\s+Zealand|Taiwan"
    r"|Egyptian|Syrian|Lebanese|Sudanese|Pakistani|Sri\s+Lankan|Nepalese|Saudi|Qatari|Omani"
    r"|Yemeni|Italian|Belarusian|Chinese|Indian|Iranian|Russian|Turkish|Japanese|Swiss|French"
    r"|Belgian|Deutsche|German|Finnish)"
)
_CURRENCY_WORD = (
    r"(?:dollars?|euros?|pounds?(?:\s+sterling)?|sterling|roubles?|rubles?|yuan|renminbi|yen"
    r"|rupees?|rials?|riyals?|tomans?|liras?|lire|lira|francs?|Deutschmarks?|marks?)"
)
_WORD_CURRENCY = CURRENCY_WORDS
_QUALIFIED_CURRENCY = QUALIFIED_CURRENCY_WORDS


def _prefix_currency(token: str) -> str:
    key = re.sub(r"\s+", "", token).lower()
    if key.upper() in _CODES:
        return key.upper()
    return _PREFIX_CURRENCY[key]


def _word_currency(word: str, qualifier: str | None) -> tuple[str, float]:
    """The currency code of a currency word and the factor to its unit (tomans: 10)."""
    w = re.sub(r"\s+sterling$", "", word.lower())
    if w not in _WORD_CURRENCY:
        w = w[:-1] if w.endswith("s") else w
    base = "lira" if w in ("liras", "lire") else w
    factor = 10.0 if base == "toman" else 1.0
    if qualifier:
        q = re.sub(r"\s+", " ", qualifier.lower())
        if (q, base) in _QUALIFIED_CURRENCY:
            return _QUALIFIED_CURRENCY[(q, base)], factor
    return _WORD_CURRENCY[base], factor


# --- the figure pattern ---------------------------------------------------------------

_COUNT_NOUN = (
    r"(?:troops|soldiers|personnel|servicemen|advisers|advisors|contractors|mercenaries"
    r"|jets|aircraft|planes|fighters|helicopters|tanks|missiles|warships|ships|submarines"
    r"|drones|bases|systems|batteries|launchers|warheads)"
)
_YEAR_LIKE = re.compile(r"1[6-9]\d\d|20\d\d")
_VAGUE = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0, "several": 2.0, "a few": 2.0}
_FRACTION_DENOMINATOR = {
    "half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip

_FIGURE = re.compile(
    rf"""
    (?P<vague>\b(?P<vq>tens|hundreds|dozens|several|a\s+few)\s+(?:of\s+)?
        (?P<vs>thousands?|millions?|billions?|trillions?)\s+(?:of\s+)?
        (?:(?P<vqual>{_QUALIFIER})\s+)?(?P<vcur>{_CURRENCY_WORD})\b
     |\b(?P<vs2>millions|billions|trillions)\s+of\s+(?:(?P<vqual2>{_QUALIFIER})\s+)?
        (?P<vcur2>{_CURRENCY_WORD})\b)
   |(?P<pre>(?P<pcur>{_PREFIX})\s?(?P<pnum>{_AMOUNT})(?P<pscale>{_SCALE})?)
   |(?P<suf>(?P<snum>{_NUMBER})(?P<sscale>{_SCALE})?\s+(?:(?P<squal>{_QUALIFIER})\s+)?
        (?P<scur>{_CURRENCY_WORD})\b)
   |(?P<pct>(?P<cnum>{_NUMBER})(?:\s?%|[\s-](?:percent|per\s+cent|pct)\b
        |\s+percentage\s+points?\b))
   |(?P<frac>\b(?P<fn>a|one|two|three|four|five|six|seven|eight|nine)[\s-]
        (?P<fd>halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?
        |ninths?|tenths?)\b(?!-)
     |\b(?P<fh>half)\b(?!-))
   |(?P<onein>\b(?P<on>one|\d{{1,2}})\s+(?:in|out\s+of)\s+(?:every\s+)?
        (?P<od>two|three|four|five|six|seven|eight|nine|ten|\d{{1,3}})\b(?!\s*(?:%|percent)))
   |(?P<cnt>(?P<knum>{_NUMBER})(?P<kscale>[\s-](?:thousand|million))?\s+(?:[\w-]+\s+)?
        (?P<noun>{_COUNT_NOUN})\b)
   |(?P<bare>(?P<bnum>{_NUMBER})(?P<bscale>[\s-](?:million|billion|trillion)\b
        |(?:bn|mn|tn)\b))
    """,
    re.IGNORECASE | re.VERBOSE,
)

_ANCHOR = re.compile(
    rf"[\d$€£¥₹₽₺]|\b(?:{'|'.join(_WORD_VALUES)}|tens|hundreds?|dozens?|several|an?|half"
    r"|millions|billions|trillions|CN|RMB|US|U\.S|USD|EUR|GBP|RUB|CNY|JPY|INR|IRR|TRY|Rs)\b",
    re.IGNORECASE,
)
_BOUND_BEFORE = re.compile(
    r"\b(?P<b>at\s+least|more\s+than|over|in\s+excess\s+of|upwards\s+of|no\s+(?:less|fewer)"
    r"\s+than|not\s+less\s+than|above|exceeding|north\s+of|well\s+over|just\s+over|up\s+to"
    r"|as\s+much\s+as|as\s+many\s+as|as\s+high\s+as|nearly|almost|no\s+more\s+than|not\s+more"
    r"\s+than|less\s+than|fewer\s+than|under|just\s+under|below|at\s+most|close\s+to)\s+"
    r"(?:(?:another|some|an\s+estimated|about|around|roughly|approximately|a\s+further"
    r"|an\s+additional)\s+)?$",
    re.IGNORECASE,
)
_UPPER_BOUND_WORDS = (
    "up to", "as much", "as many", "as high", "nearly", "almost", "no more", "not more",
    "less", "fewer", "under", "just under", "below", "at most", "close to",
)  # fmt: skip
_BOUND_AFTER = re.compile(r"^\s+or\s+(?P<b>more|less|fewer)\b", re.IGNORECASE)
_APPROXIMATELY = re.compile(
    r"\b(?:roughly|about|around|nearly|almost|some|approximately|over|more\s+than|less\s+than"
    r"|at\s+least|up\s+to|just\s+(?:under|over)|close\s+to|only|fully|exactly)\s+$",
    re.IGNORECASE,
)
_FRACTION_OF = re.compile(
    r"\s+of\b(?!\s+(?:the\s+)?(?:\d{4}|year|century|decade|month|week|day|way|time)\b)",
    re.IGNORECASE,
)
_HALF_EXCLUDED = re.compile(
    r"\b(?:first|second|latter|last|other|former|and\s+a|and|one\s+and\s+a)\s+$", re.IGNORECASE
)

_DECREASE = (
    r"contract(?:ed|s|ing)?|constrict(?:ed|s|ing)?|shr[au]nk|shrink(?:s|ing)?|fell|fall(?:s|en"
    r"|ing)?|declin(?:ed|es|ing)|dropped|drops?|slump(?:ed|s)?|plung(?:ed|es)|tumbl(?:ed|es)"
    r"|decreas(?:ed|es)|sank|slid|negative\s+growth|contraction|decline|recession|shrinkage"
    r"|decrease|drop|slump|fall|loss"
)
_INCREASE = (
    r"grew|grow(?:s|n|ing)?|expand(?:ed|s|ing)?|rose|rise[sn]?|rising|increas(?:ed|es|ing)"
    r"|jump(?:ed|s)?|climb(?:ed|s)?|growth|expansion|increase|rise|gain"
)
_ADVERB = (
    r"(?:only|just|barely|merely|another|a\s+further|an\s+additional|some|about|around"
    r"|roughly|an\s+estimated|a\s+mere|sharply|steeply|modestly)"
)
_GROWTH_BEFORE = re.compile(
    rf"\b(?:(?P<down>{_DECREASE})|(?P<up>{_INCREASE}))\s+(?:{_ADVERB}\s+)?(?:(?:of|by)\s+)?"
    rf"(?:{_ADVERB}\s+)?$",
    re.IGNORECASE,
)
_GROWTH_AFTER = re.compile(
    rf"^[\s-]*(?:(?P<down>{_DECREASE})|(?P<up>{_INCREASE}))\b", re.IGNORECASE
)

_PERIOD_WORDS = (
    r"(?:(?:a|an|per|each|every)\s+(?P<u>year|annum|month|week|day)\b|(?P<adv>annually|yearly"
    r"|monthly|weekly|daily)\b|p\.a\.|/(?:yr|year|month|mo)\b)"
)
_PERIOD_AFTER = re.compile(
    rf"^[\s,]*{_PERIOD_WORDS}(?!\s+(?:after|before|later|earlier|ago|on|of)\b)", re.IGNORECASE
)
_PERIOD_AFTER_GAP = re.compile(
    rf"^\s+(?:in|of|for|on|worth\s+of)\s+(?:[\w-]+\s+){{0,3}}?{_PERIOD_WORDS}"
    r"(?!\s+(?:after|before|later|earlier|ago|on|of)\b)",
    re.IGNORECASE,
)
_PERIOD_AFTER_ADJECTIVE = re.compile(
    r"^\s+(?:in|of)\s+(?:[\w-]+\s+){0,2}?(?P<adj>annual|yearly|monthly)\b", re.IGNORECASE
)
_PERIOD_BEFORE = re.compile(
    r"\b(?P<adj>annual|yearly|monthly)\s+(?:(?:[\w-]+\s+){0,2}(?:of|worth|totall?ing"
    r"|amounting\s+to)\s+)?$",
    re.IGNORECASE,
)
_PERIOD_ANYWHERE = re.compile(
    r"\b(?:every|each|per)\s+(?P<u>year|month)\b|\b(?P<adv>annually|monthly|yearly)\b",
    re.IGNORECASE,
)
_SPREAD_AFTER = re.compile(
    rf"^\s+(?:spread\s+)?(?:over|across|during)\s+(?:the\s+(?:next|coming|following|past"
    rf"|last|first)\s+)?(?:(?P<n>{_DIGITS}|{_WORDNUM}|a)\s+)?(?P<u>years|decades?|year)\b",
    re.IGNORECASE,
)
_SPREAD_BEFORE = re.compile(rf"\b(?P<n>{_DIGITS}|{_WORDNUM})-year,?\s*$", re.IGNORECASE)

_PERIOD_UNIT = {
    "year": ("year", 1.0),
    "annum": ("year", 1.0),
    "month": ("month", 1.0),
    "week": ("year", 52.0),
    "day": ("year", 365.0),
}
_PERIOD_ADVERB = {
    "annually": "year",
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "annual": "year",
}


@dataclass
class _Raw:
    """A figure before its sentence is read."""

    unit: str  # money | share | growth | count
    value: float
    start: int
    end: int
    currency: str | None = None
    scale: float | None = None  # the scale word's factor, when written
    bound: str | None = None
    period: str | None = None
    vague: bool = False


def _raw_figures(text: str) -> list[_Raw]:
    raws: list[_Raw] = []
    done = 0
    # the figure pattern is tried only where a figure can start (a digit, a currency sign,
    # a number or currency word): five times faster than scanning every character
    for anchor in _ANCHOR.finditer(text):
        if anchor.start() < done:
            continue
        m = _FIGURE.match(text, anchor.start())
        if m is None:
            continue
        done = m.end()
        raw = _read(m, text)
        if raw is not None:
            _check_finite(raw, text)
            raws.append(raw)
    _merge_ranges(raws, text)
    for raw in raws:
        _bounds(raw, text)
        if raw.unit == "share":
            _growth(raw, text)
        if raw.unit in ("money", "count"):
            _period(raw, text)
    return raws


def _check_finite(raw: _Raw, text: str) -> None:
    """Refuse an amount that overflows to infinity ("$1.8e308bn", a 309-digit sum): no
    figure is that large, and an infinite one cannot be priced."""
    if math.isfinite(raw.value):
        return
    words = text[raw.start : raw.end]
    shown = (
        words if len(words) <= 40 else f"{words[:20]}…{words[-12:]} ({len(words):,} characters)"
    )
    msg = (
        f"the figure {shown!r} at characters {raw.start:,}-{raw.end:,} overflows to infinity; "
        "an amount must be a finite number"
    )
    raise DataError(msg)


def _read(m: re.Match[str], text: str) -> _Raw | None:
    start, end = m.span()
    if m.group("vague"):
        if m.group("vq"):
            key = re.sub(r"\s+", " ", m.group("vq").lower())
            number, scale = _VAGUE[key], _scale(m.group("vs"))
            currency, factor = _word_currency(m.group("vcur"), m.group("vqual"))
        else:
            number, scale = 1.0, _scale(m.group("vs2"))
            currency, factor = _word_currency(m.group("vcur2"), m.group("vqual2"))
        value = number * scale * factor
        return _Raw("money", value, start, end, currency, scale, "at least", vague=True)
    if m.group("pre"):
        scale = _scale(m.group("pscale"))
        currency = _prefix_currency(m.group("pcur"))
        written = scale if m.group("pscale") else None
        return _Raw("money", _number(m.group("pnum")) * scale, start, end, currency, written)
    if m.group("suf"):
        scale = _scale(m.group("sscale"))
        currency, factor = _word_currency(m.group("scur"), m.group("squal"))
        written = scale if m.group("sscale") else None
        value = _number(m.group("snum")) * scale * factor
        return _Raw("money", value, start, end, currency, written)
    if m.group("pct"):
        return _Raw("share", _number(m.group("cnum")) / 100.0, start, end)
    if m.group("frac"):
        return _fraction(m, text)
    if m.group("onein"):
        numerator = _number(m.group("on"))
        denominator = _number(m.group("od"))
        if not 0 < numerator < denominator <= 100:
            return None
        return _Raw("share", numerator / denominator, start, end)
    if m.group("cnt"):
        if _YEAR_LIKE.fullmatch(m.group("knum")) and not m.group("kscale"):
            return None  # "in March 1969 their troops", "2000 troops": a year, not a count
        scale = _scale(m.group("kscale"))
        return _Raw("count", _number(m.group("knum")) * scale, start, end)
    scale = _scale(m.group("bscale"))
    return _Raw("count", _number(m.group("bnum")) * scale, start, end, None, scale)


def _fraction(m: re.Match[str], text: str) -> _Raw | None:
    start, end = m.span()
    before = text[max(0, start - 30) : start]
    after = text[end : end + 40]
    approximate = bool(_APPROXIMATELY.search(before))
    if m.group("fh"):
        if _HALF_EXCLUDED.search(before):
            return None
        if not (approximate or re.match(r"\s+(?:of|the)\b", after, re.IGNORECASE)):
            return None
        if _FRACTION_OF.match(after) is None and not approximate and "the" not in after[:5]:
            return None
        return _Raw("share", 0.5, start, end)
    if not (approximate or _FRACTION_OF.match(after)):
        return None
    numerator = _number(m.group("fn"))
    word = m.group("fd").lower()
    denominator = _FRACTION_DENOMINATOR.get(word) or _FRACTION_DENOMINATOR[word[:-1]]
    return _Raw("share", numerator / denominator, start, end)


def _merge_ranges(raws: list[_Raw], text: str) -> None:
    """Ranges ("$2-3 billion", "between $2 and $3 billion"): the low end takes the high
    end's scale, the high end the low end's currency; the low end is "at least", the high
    end "up to"."""
    for low, high in itertools.pairwise(raws):
        if low.unit != "money" or high.unit not in ("money", "count") or low.vague:
            continue
        between = text[low.end : high.start]
        joined = re.fullmatch(r"\s*(?:-|–|—|to)\s*", between)
        if not joined and re.fullmatch(r"\s+and\s+", between):
            joined = re.search(r"\bbetween\s+$", text[max(0, low.start - 12) : low.start])
        if not joined:
            continue
        if high.unit == "count":
            if high.scale is None:
                continue
            high.unit, high.currency = "money", low.currency
        elif high.currency != low.currency:
            continue
        if low.scale is None and high.scale is not None:
            low.value *= high.scale
            low.scale = high.scale
        low.bound, high.bound = "at least", "up to"


def _bounds(raw: _Raw, text: str) -> None:
    match = _BOUND_BEFORE.search(text[max(0, raw.start - 40) : raw.start])
    if match:
        word = re.sub(r"\s+", " ", match.group("b").lower())
        raw.bound = "up to" if word.startswith(_UPPER_BOUND_WORDS) else "at least"
        raw.start -= len(match.group(0))
        return
    after = _BOUND_AFTER.match(text[raw.end : raw.end + 20])
    if after:
        raw.bound = "at least" if after.group("b").lower() == "more" else "up to"
        raw.end += after.end()


def _growth(raw: _Raw, text: str) -> None:
    before = _GROWTH_BEFORE.search(text[max(0, raw.start - 50) : raw.start])
    match = before or _GROWTH_AFTER.match(text[raw.end : raw.end + 30])
    if match is None:
        return
    raw.unit = "growth"
    raw.value = -abs(raw.value) if match.group("down") else abs(raw.value)


def _period(raw: _Raw, text: str) -> None:
    after = text[raw.end : raw.end + 80]
    spread = _SPREAD_AFTER.match(after)
    if spread and (spread.group("n") or spread.group("u").lower().startswith("decade")):
        years = _number(spread.group("n")) if spread.group("n") else 1.0
        if spread.group("u").lower().startswith("decade"):
            years *= 10.0
        if years > 1:
            raw.value /= years
            raw.period = "year"
            raw.end += spread.end()
            return
    before = text[max(0, raw.start - 20) : raw.start]
    spread_before = _SPREAD_BEFORE.search(before)
    if spread_before and _number(spread_before.group("n")) > 1:
        raw.value /= _number(spread_before.group("n"))
        raw.period = "year"
        raw.start -= len(spread_before.group(0))
        return
    direct = _PERIOD_AFTER.match(after)
    gapped = direct or _PERIOD_AFTER_GAP.match(after)
    if gapped:
        unit = gapped.group("u") or gapped.group("adv")
        if unit is None:  # p.a. or /yr, /month
            unit = "month" if "mo" in gapped.group(0).lower() else "year"
        _set_period(raw, unit.lower())
        if direct:
            raw.end += direct.end()
        return
    adjective = _PERIOD_AFTER_ADJECTIVE.match(after) or _PERIOD_BEFORE.search(
        text[max(0, raw.start - 40) : raw.start]
    )
    if adjective:
        _set_period(raw, adjective.group("adj").lower())


def _set_period(raw: _Raw, unit: str) -> None:
    unit = _PERIOD_ADVERB.get(unit, unit)
    period, factor = _PERIOD_UNIT[unit]
    raw.period = period
    raw.value *= factor


# --- years ----------------------------------------------------------------------------

_YEAR = re.compile(
    r"(?<![\d$€£¥.,/-])(?P<y>1[6-9]\d\d|20\d\d)(?!\d|,\d|\.\d|s\b|'s\b|\s*(?:%|percent|per\s+cent"
    r"|million|billion|trillion|troops|soldiers|people|km|kilomet|miles|tons|tonnes|barrels"
    r"|dollars|euros|rubles|members)\b)",
    re.IGNORECASE,
)
_TARGET_YEAR = re.compile(r"\b(?:by|until|till|through|before)\s+(?:the\s+end\s+of\s+)?$", re.I)
_RELATIVE_YEAR = re.compile(
    r"(?<!\bthe\s)\b(?P<w>last|this|next)\s+(?P<u>year|summer|spring|autumn|fall|winter)\b",
    re.IGNORECASE,
)
_YEARS_AGO = re.compile(r"\byears?\s+ago\b", re.IGNORECASE)
_AGO_COUNT = re.compile(rf"\b(?P<n>{_DIGITS}|{_WORDNUM}|a)\s+$", re.IGNORECASE)


def _article_year(text: str) -> int | None:
    latest: int | None = None
    for m in _YEAR.finditer(text):
        if _TARGET_YEAR.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        value = int(m.group("y"))
        latest = value if latest is None else max(latest, value)
    return latest


def find_years(text: str, *, year: int | None = None) -> list[tuple[int, Span]]:
    """Every year the text mentions, in text order, with its words.

    Absolute years (1600–2099, not amounts: "$2015", "2000 troops") and years relative to
    the article's (``year``, else the latest year the text mentions, leaving out targets
    after "by", "until" …): "last year" (−1), "this year", "next year" (+1), "last
    summer" (−1), "two years ago" (−2). Relative years are left out when no year is known.
    """
    return list(_years(text, year))


@functools.lru_cache(maxsize=4)
def _years(text: str, year: int | None) -> tuple[tuple[int, Span], ...]:
    base = year if year is not None else _article_year(text)
    found: list[tuple[int, Span]] = [
        (int(m.group("y")), Span(m.group("y"), m.start("y"), m.end("y")))
        for m in _YEAR.finditer(text)
    ]
    if base is not None:
        for m in _RELATIVE_YEAR.finditer(text):
            offset = {"last": -1, "this": 0, "next": 1}[m.group("w").lower()]
            found.append((base + offset, Span(m.group(0), m.start(), m.end())))
        for m in _YEARS_AGO.finditer(text):
            count = _AGO_COUNT.search(text[max(0, m.start() - 30) : m.start()])
            if count is None:
                continue
            start = m.start() - len(count.group(0))
            found.append(
                (
                    base - round(_number(count.group("n"))),
                    Span(text[start : m.end()], start, m.end()),
                )
            )
    found.sort(key=lambda item: item[1].start)
    return tuple(found)


# --- reading a sentence ---------------------------------------------------------------

_KIND_PATTERNS = (
    (
        "military",
        r"arms|weapon(?:s|ry)?|air[\s-]defen[cs]e|missiles?|fighter(?:s|\s+jets)?|jets|warplanes"
        r"|aircraft|tanks|bases?|troops|soldiers|military|defen[cs]e|S-[3-5]00|Su-\d+|MiG-?\d*"
        r"|helicopters?|warships?|submarines?|drones?|ammunition|munitions|contractors"
        r"|security\s+assistance|naval|navy|army",
    ),
    (
        "economic",
        r"trade|trading|gas|oil|pipelines?|loans?|credits?|credit\s+lines?|invest(?:ment|ments"
        r"|ed|ing|s)?|corridors?|nuclear\s+(?:plant|plants|power|reactors?|commerce|energy)"
        r"|reactors?|exports?|imports?|commerce|commercial|econom(?:y|ic|ies)|tariffs?|markets?"
        r"|energy|electricity|debt|grain|wheat|budget|GDP|revenues?|sanctions|business|banks?"
        r"|banking|financ(?:e|ial)",
    ),
    (
        "political",
        r"membership|members?|votes?|voting|ideolog(?:y|ical)|recogni[sz](?:e|ed|ing|ition)"
        r"|diplomatic|diplomacy|legitimacy|political|summit",
    ),
)
_KIND = re.compile(
    "|".join(rf"(?P<{name}>\b(?:{pattern})\b)" for name, pattern in _KIND_PATTERNS),
    re.IGNORECASE,
)

_ROLE_PATTERNS = (
    (
        "reward",
        r"aid|assistance|relief|incentives?|concessions?|offer(?:s|ed|ing)?|promis(?:e|es|ed"
        r"|ing)|pledg(?:e|es|ed|ing)|inducements?|sweeteners?|rewards?|subsid(?:y|ies|ise|ize)"
        r"|lift(?:ing|ed|s)?\s+(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+)?sanctions"
        r"|eas(?:e|ed|ing)\s+(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+)?sanctions"
        r"|unfreez(?:e|ing)|unfrozen|in\s+(?:return|exchange)\s+for|bribes?|grants?|donors?"
        r"|donations?",
    ),
    (
        "coercion",
        r"(?<!post-)sanctions?(?!\s+relief)|embargo(?:es)?|tariffs?|threat(?:s|en|ened|ening)?"
        r"|penalt(?:y|ies)|punish(?:ment|ed|ing)?|remov(?:e|ed|al)|expel(?:led)?|expulsion"
        r"|(?<!un)freez(?:e|ing)|(?<!un)frozen|blockade|cut\s+off",
    ),
    (
        "context",
        r"annex(?:ation|ed|ing)?|expenditures?|costs?|costing|deficits?|losses|damage|sunk"
        r"|spent|spen(?:d|ds|ding)\b(?=[^.;]{0,80}?\bon\b)",
    ),
    (
        "partner_means",
        r"windfall|war\s+chest|reserves|sovereign\s+wealth|coffers|budget|GDP|gross\s+domestic"
        r"\s+product|revenues?|income",
    ),
    (
        "bond",
        r"deals?|contracts?|agreements?|sales?|sold|sell(?:s|ing)?|bought|buy(?:s|ing)?"
        r"|purchas(?:e|es|ed|ing)|suppl(?:y|ies|ied|ying)|deliver(?:y|ies|ed|ing)?|trade"
        r"|exports?|imports?|loans?|investments?|invested|pipelines?|credits?|goods|commerce"
        r"|turnover|remittances",
    ),
)
_ROLE_ORDER = {name: k for k, (name, _) in enumerate(_ROLE_PATTERNS)}
_ROLE = re.compile(
    "|".join(rf"(?P<{name}>\b(?:{pattern})\b)" for name, pattern in _ROLE_PATTERNS),
    re.IGNORECASE,
)
_WINDFALL = re.compile(
    r"\b(?:windfall|war\s+chest|reserves|sovereign\s+wealth|coffers)\b", re.IGNORECASE
)
_RECEIVED = re.compile(
    r"\b(?:receiv(?:e|es|ed|ing)|enjoy(?:s|ed|ing)?|reap(?:s|ed|ing)?|gain(?:s|ed)|obtain(?:s|ed)"
    r"|got|gotten|pocket(?:s|ed)|benefit(?:s|ed|ted)\s+from|unlock(?:s|ed))\b",
    re.IGNORECASE,
)
_REWARD_OBJECT = re.compile(
    r"\b(?:aid|assistance|relief|subsid(?:y|ies)|unfrozen|sanctions\s+relief)\b", re.IGNORECASE
)
_OFFERED = re.compile(
    r"\b(?:offer(?:s|ed|ing)?|promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|propos(?:e|es|ed|al)"
    r"|dangl(?:e|es|ed|ing)|incentives?|inducements?|in\s+(?:return|exchange)\s+for"
    r"|lift(?:ing|ed|s)?|eas(?:e|ed|ing))\b",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(
    r"^[\"“(]?(?:This|These|That|Those|It|They|Such|The\s+(?:country|deal|agreement|pact"
    r"|government|regime|state|package|arrangement|windfall|sum|money))\b"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:with|to|from|between|against|on|for|into|toward|towards|than|like|unlike|about|by"
    r"|among|across|versus|vs\.?|including|in|at|of\s+the\s+\w+\s+of|toward)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"\b(?:estimates?|estimated|said|says|say|reported|reports|believes?|believed|thinks?"
    r"|argues?|argued|warned|warns|claims?|claimed|noted|notes|found|finds|shows?|showed"
    r"|suggests?|suggested|concluded|expects?|expected|predicts?|predicted)\s+that\b",
    re.IGNORECASE,
)
_COORDINATION = re.compile(r"\s*(?:,|and|or|&|,\s*and)\s*(?:the\s+)?", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s-\s|[—–()]")
_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def _split(text: str) -> list[Span]:
    """The sentences of ``text``, kept for the few calls that read one article."""
    return split_sentences(text)


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, b_start - a_end, a_start - b_end)


@dataclass
class _Sentence:
    span: Span
    mentions: list[Mention]
    anaphoric: bool

    @functools.cached_property
    def cues(self) -> list[tuple[str, int, int]]:
        """The role cues of the sentence: (role, start, end) in text offsets."""
        return _cues(_ROLE, self.span)

    @functools.cached_property
    def governed(self) -> dict[Mention, bool]:
        """Whether each mention follows a preposition ("with Iran"): read once a sentence,
        not once a figure."""
        text, start = self.span.text, self.span.start
        return {
            m: bool(
                _PREPOSITION_BEFORE.search(text[max(0, m.start - start - 30) : m.start - start])
            )
            for m in self.mentions
        }

    @functools.cached_property
    def kinds(self) -> list[tuple[str, int, int]]:
        """The bond-kind keywords of the sentence: (kind, start, end) in text offsets."""
        return _cues(_KIND, self.span)


def _cues(pattern: re.Pattern[str], span: Span) -> list[tuple[str, int, int]]:
    return [
        (m.lastgroup or "", m.start() + span.start, m.end() + span.start)
        for m in pattern.finditer(span.text)
    ]


class _Reader:
    """The sentences of a text with their mentions and cues, read once and cached."""

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.text = text
        self.sentences = _split(text)
        self.starts = [s.start for s in self.sentences]
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.mention_starts = [m.start for m in self.mentions]
        self._cache: dict[int, _Sentence] = {}

    def index(self, start: int, end: int) -> int:
        """The sentence holding ``start`` (-1 when no sentence does)."""
        k = bisect_right(self.starts, start) - 1
        if k >= 0 and self.sentences[k].end >= end:
            return k
        return -1

    def span(self, k: int, start: int, end: int) -> Span:
        if k >= 0:
            return self.sentences[k]
        first = bisect_right(self.starts, start) - 1
        if first >= 0:  # across sentences: those it spans (two, at most a few)
            last = max(first, bisect_right(self.starts, max(start, end - 1)) - 1)
            a, b = self.sentences[first].start, max(self.sentences[last].end, end)
            return Span(self.text[a:b], a, b)
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end
        return Span(self.text[line_start:line_end], line_start, line_end)

    def sentence(self, k: int, start: int, end: int) -> _Sentence:
        key = k if k >= 0 else -start - 1
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        span = self.span(k, start, end)
        lo = bisect_left(self.mention_starts, span.start)
        hi = bisect_left(self.mention_starts, span.end)
        inside = [m for m in self.mentions[lo:hi] if m.end <= span.end]
        read = _Sentence(span, inside, bool(_ANAPHOR.match(span.text)))
        self._cache[key] = read
        return read

    def previous(self, k: int) -> _Sentence | None:
        if k <= 0:
            return None
        prev = self.sentences[k - 1]
        return self.sentence(k - 1, prev.start, prev.end)

    def subject(self, s: _Sentence, before: int) -> str | None:
        """The acting actor before ``before``: of the mentions not after a preposition nor
        before a reporting verb, the first of the clause (after the last ", ", ";", ":",
        dash or bracket), else the nearest (the first of a coordination)."""
        text = self.text
        cut = s.span.start
        for m in _REPORTING.finditer(text, s.span.start, before):
            cut = m.end()
        candidates = [
            m for m in s.mentions if m.end <= before and m.start >= cut and not s.governed[m]
        ]
        if not candidates:
            return None
        clause = cut
        for m in _CLAUSE_BREAK.finditer(text, cut, before):
            clause = m.end()
        in_clause = [m for m in candidates if m.start >= clause]
        if in_clause:
            return in_clause[0].actor
        k = len(candidates) - 1
        while k > 0 and (
            candidates[k - 1].actor == candidates[k].actor
            or _COORDINATION.fullmatch(text[candidates[k - 1].end : candidates[k].start])
        ):
            k -= 1
        return candidates[k].actor

    def agent(self, s: _Sentence, after: int, pattern: re.Pattern[str]) -> str | None:
        """The first mention after ``after`` introduced by ``pattern`` ("by", "from")."""
        for m in s.mentions:
            if m.start >= after and pattern.search(
                self.text[max(s.span.start, m.start - 12) : m.start]
            ):
                return m.actor
        return None


def _nearest_actors(s: _Sentence, start: int, end: int) -> list[str]:
    """The distinct actors of the sentence, nearest the span first."""
    ordered = sorted(s.mentions, key=lambda m: (_gap(m.start, m.end, start, end), m.start))
    seen: list[str] = []
    for m in ordered:
        if m.actor not in seen:
            seen.append(m.actor)
    return seen


def _first_positions(s: _Sentence) -> dict[str, int]:
    first: dict[str, int] = {}
    for m in s.mentions:
        first.setdefault(m.actor, m.start)
    return first


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
            if raw.unit == "count" and raw.scale is not None and money:
                nearest = min(money, key=lambda r: _gap(r.start, r.end, raw.start, raw.end))
                raw.unit, raw.currency = "money", nearest.currency
                _period(raw, reader.text)


def _sentence_period(raw: _Raw, s: _Sentence, raws: list[_Raw], used: set[int]) -> None:
    """An "every month" elsewhere in the sentence gives a money figure its period."""
    for m in _PERIOD_ANYWHERE.finditer(s.span.text):
        start = m.start() + s.span.start
        if start in used or any(r.start <= start < r.end for r in raws):
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


def _nearest_year(
    start: int,
    end: int,
    sentence: Span,
    years: Sequence[tuple[int, Span]],
    year_starts: list[int],
) -> int | None:
    lo = bisect_left(year_starts, sentence.start)
    hi = bisect_left(year_starts, sentence.end)
    inside = [(y, span) for y, span in years[lo:hi] if not (start <= span.start < end)]
    if not inside:
        return None
    best = min(
        inside, key=lambda item: (_gap(item[1].start, item[1].end, start, end), -item[1].start)
    )
    return best[0]


# --- events ---------------------------------------------------------------------------

_EVENT_PATTERNS = (
    (
        "joined",
        r"\bjoin(?:ed|s)?\b(?!\s+(?:forces|hands|in\b|the\s+fight|the\s+call|us\b))"
        r"|\bacced(?:ed|es|ing)\s+to\b|\baccession\s+(?:to|of)\b"
        r"|\bbec(?:ame|ome|omes)\s+(?:a\s+)?(?:full(?:[\s-]fledged)?\s+)?members?\b"
        r"|\badmitted\s+(?:to|into|as)\b",
    ),
    (
        "signed",
        r"\bsign(?:ed|ing)\b|\bsigns\s+(?:a|an|the)\b|\binked\b|\bconclud(?:ed|es)\b(?!\s+that)",
    ),
    (
        "removed",
        r"\bremov(?:ed|al)\b|\bexpell?ed\b|\bexpulsion\b|\bsuspen(?:ded|sion)\b|\bousted\b"
        r"|\boverthr(?:ew|own)\b",
    ),
    ("annexed", r"\bannex(?:ed|es|ation|ing)\b"),
    ("invaded", r"\binvad(?:ed|es|ing)\b|\binvasion\b"),
    (
        "withdrew",
        r"\bwithdr(?:ew|awn|awal|aws)\b|\bpulled\s+out\b|\bquit\b|\bexited\b"
        r"|\bleft\b(?=\s+(?:the\s+)?[A-Z])",
    ),
    ("recognised", r"\brecogni[sz](?:ed|es|ing|ition)\b"),
)
_EVENT = re.compile(
    "|".join(f"(?P<{name}>{pattern})" for name, pattern in _EVENT_PATTERNS), re.IGNORECASE
)
_EVENT_ANCHOR = re.compile(
    r"\b(?:join|acced|accession|bec[oa]m|admitted|sign|inked|conclud|remov|expel|expuls"
    r"|suspen|ousted|overthr|annex|invad|invasion|withdr|pulled|quit|exited|left|recogni)",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(
    r"(?<=\d),?\s+(?P<seg>and\s+(?:(?:the|then|later)\s+)?(?:[A-Z][\w.-]*\s+){1,4}in\s+"
    r"(?P<y>1[6-9]\d\d|20\d\d)\b)"
)
_UNREAL_BEFORE = re.compile(
    r"(?:\b(?:not|never|refused\s+to|declined\s+to|failed\s+to|yet\s+to|to|might|may|could"
    r"|would|will|should|shall|plans?\s+to|seeks?\s+to|wants?\s+to|if|unless|no\s+longer"
    r"|cannot)|n't)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def find_events(
    text: str, mentions: Sequence[Mention] = (), *, year: int | None = None
) -> list[Event]:
    """Dated events the text states (joined, signed, removed, annexed, invaded, withdrew,
    recognised), in text order, with the year nearest in their sentence (``year``, else
    the latest the text mentions, for "last year") and the actors the sentence names."""
    reader = _Reader(text, mentions)
    years = _years(text, year)
    year_starts = [span.start for _, span in years]
    events: list[Event] = []
    for anchor in _EVENT_ANCHOR.finditer(text):
        m = _EVENT.match(text, anchor.start())
        if m is None:
            continue
        kind = m.lastgroup or ""
        start, end = m.span()
        if _UNREAL_BEFORE.search(text[max(0, start - 30) : start]):
            continue
        k = reader.index(start, end)
        s = reader.sentence(k, start, end)
        actors = tuple(_first_positions(s))
        when = _nearest_year(start, end, s.span, years, year_starts)
        if not actors and when is None and kind not in ("annexed", "invaded"):
            continue
        events.append(
            Event(
                year=when,
                kind=kind,
                text=m.group(0),
                actors=actors,
                start=start,
                end=end,
            )
        )
        # "joined NATO in 1999 and the European Union in 2004": one more event per year
        for more in _ELLIPSIS.finditer(text, end, s.span.end):
            if _EVENT.search(text, end, more.start()):
                break
            events.append(
                Event(
                    year=int(more.group("y")),
                    kind=kind,
                    text=more.group("seg"),
                    actors=actors,
                    start=more.start("seg"),
                    end=more.end("seg"),
                )
            )
    return events


# --- hostile ties ---------------------------------------------------------------------

_HOSTILE = re.compile(
    r"\bopposing\s+sides\b|\bopposite\s+sides\b|\b(?:arch-?)?rival(?:s|ry|ries)?\b"
    r"|\bhostil(?:e|ity|ities)\b|\benem(?:y|ies)\b|\badversar(?:y|ies|ial)\b|\bat\s+odds\b"
    r"|\b(?P<sanctions>sanctions?\s+(?:on|against))\s|\barch-?(?:foe|enemy)\b|\bfoes?\b"
    r"|\bfeud\b|\bantagonis(?:m|tic)\b|\bconfrontation\b|\bat\s+war\b|\bwar\s+(?:with|against)\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(
    r"(?:\b(?:not|never|no\s+longer|no|former|once|ex-|nor)|n't)\s+(?:\w+\s+)?$", re.IGNORECASE
)


def find_negative_ties(text: str, mentions: Sequence[Mention] = ()) -> list[NegativeTie]:
    """Hostile ties the text states, in text order, between the two actors nearest the
    cue in its sentence ("sanctions on X": the imposer before and X after)."""
    reader = _Reader(text, mentions)
    ties: list[NegativeTie] = []
    for m in _HOSTILE.finditer(text):
        start, end = m.span()
        if m.group("sanctions"):
            end = m.end("sanctions")
        if _NEGATED_BEFORE.search(text[max(0, start - 25) : start]):
            continue
        k = reader.index(start, end)
        s = reader.sentence(k, start, end)
        pair: tuple[str, str] | None = None
        if m.group("sanctions"):
            target = next((x.actor for x in s.mentions if x.start >= end), None)
            imposer = reader.subject(s, start)
            if target and imposer and target != imposer:
                pair = (imposer, target)
        if pair is None:
            actors = _nearest_actors(s, start, end)
            if len(actors) >= 2:
                first = _first_positions(s)
                a, b = sorted(actors[:2], key=lambda actor: first[actor])
                pair = (a, b)
        if pair is not None:
            ties.append(NegativeTie(between=pair, text=text[start:end], start=start, end=end))
    return ties


# --- the ties an article names --------------------------------------------------------

_BOTH = re.compile(
    r"\b(?:the\s+two|both)\s+(?:countries|nations|states|governments|capitals|sides|partners"
    r"|allies)\b",
    re.IGNORECASE,
)
# the nouns that name a flow between two states (the bond cues, without the verbs)
_FLOW_NOUN = (
    r"deals?|contracts?|agreements?|sales|purchases|supplies|deliveries|trade|exports?"
    r"|imports?|loans?|investments?|pipelines?|credits?|goods|commerce|turnover|remittances"
)
_NAMED_FLOW = re.compile(
    rf"(?:\b(?:{'|'.join(p for _, p in _KIND_PATTERNS)})\s+)?\b(?:{_FLOW_NOUN})\b",
    re.IGNORECASE,
)


def find_bond_kinds(
    text: str, mentions: Sequence[Mention], a: str, b: str
) -> dict[str, list[Span]]:
    """The kinds of tie the text names between the actors ``a`` and ``b``.

    A sentence speaks of the pair when it mentions both, or when it says "the two
    countries" ("both nations", "the two governments" …) right after a sentence that
    mentions both; every bond-kind keyword of such a sentence (the *kind* words of the
    module's documentation: "military", "arms", "economy", "nuclear commerce",
    "ideological" …) names a tie of its kind.

    Parameters
    ----------
    text : str
        The cleaned text of the article.
    mentions : sequence of Mention
        The actor mentions found in ``text``.
    a, b : str
        The ids of the two actors.

    Returns
    -------
    dict of str to list of Span
        Each kind named (``military``, ``economic``, ``political``) with the words that
        name it, in text order; a kind the text does not name is absent.
    """
    out: dict[str, list[Span]] = {}
    previous = False
    ordered = sorted(mentions, key=lambda m: m.start)
    k = 0  # one pass over the mentions, in step with the sentences
    for span in _split(text):
        while k < len(ordered) and ordered[k].start < span.start:
            k += 1
        actors = set()
        while k < len(ordered) and ordered[k].start < span.end:
            actors.add(ordered[k].actor)
            k += 1
        pair = {a, b} <= actors
        if pair or (previous and _BOTH.search(span.text)):
            for kind, start, end in _cues(_KIND, span):
                out.setdefault(kind, []).append(Span(text[start:end], start, end))
        previous = pair
    return out


def bond_name(figure: Figure) -> str | None:
    """The words of the figure's sentence that name the flow it measures.

    The flow noun nearest the figure ("deals", "exports", "commerce" …) with the
    bond-kind keyword right before it, if any ("arms deals", "gas exports"); else the
    kind keyword nearest the figure ("arms" in "sold Iran arms worth $2 billion").

    Parameters
    ----------
    figure : Figure
        A figure, with its sentence.

    Returns
    -------
    str or None
        The words as the article writes them, or None when the sentence has neither a
        flow noun nor a kind keyword.
    """
    sentence = figure.sentence
    at = sentence.find(figure.text)
    start, end = (at, at + len(figure.text)) if at >= 0 else (0, 0)
    found = [m for m in _NAMED_FLOW.finditer(sentence) if not start <= m.start() < end]
    if not found:
        found = [m for m in _KIND.finditer(sentence) if not start <= m.start() < end]
    if not found:
        return None
    nearest = min(found, key=lambda m: _gap(m.start(), m.end(), start, end))
    return re.sub(r"\s+", " ", nearest.group(0))
