"""The number grammar of :mod:`alliances.ingest.figures`: a number and what is written
around it.

Number words and digits with their scales ("ten billion", "2.5bn", "half a billion"),
currency signs, codes and words, the figure pattern, and the words that bound a number
("at least", "nearly"), make it growth ("contracted by"), give its period ("a year",
"over ten years") or join two numbers into a range ("$2-3 billion"). :func:`_raw_figures`
reads every figure of a text into a :class:`_Raw`: its value, unit, currency, bound and
period, with its offsets. The rules are those of :mod:`alliances.ingest.figures`'s
documentation; the figure's sentence, actors, year and role are read there.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from alliances.errors import DataError
from alliances.money import (
    CURRENCY_CODES,
    CURRENCY_WORDS,
    QUALIFIED_CURRENCY_WORDS,
    SCALE_WORDS,
    SYMBOLS,
)

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
# "a year later", "a year on, the deal...": time passing; "$4 billion a year on beaches" is not
_NOT_A_DURATION = r"(?!\s+(?:after|before|later|earlier|ago|of)\b|\s+on\s*(?:[,.;:]|$))"
_PERIOD_AFTER = re.compile(rf"^[\s,]*{_PERIOD_WORDS}{_NOT_A_DURATION}", re.IGNORECASE)
_PERIOD_AFTER_GAP = re.compile(
    rf"^\s+(?:in|of|for|on|worth\s+of)\s+(?:[\w-]+\s+){{0,3}}?{_PERIOD_WORDS}" + _NOT_A_DURATION,
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
