"""The sentence reader shared by :mod:`alliances.ingest.figures` and
:mod:`alliances.ingest.events`: the years a text mentions, and each sentence with its
actors, its bond-kind and role cue words and its acting subject.

:func:`find_years` gives every year a text mentions, absolute or relative to the
article's; :class:`_Reader` cuts a text into sentences (read once and cached) and finds,
in one, the actor acting before a word (:meth:`_Reader.subject`) or introduced by "by" or
"from" (:meth:`_Reader.agent`). The rules are those of :mod:`alliances.ingest.figures`'s
documentation (*Years*, *Actors of a figure*).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from alliances.ingest._numbers import _DIGITS, _WORDNUM, _number
from alliances.ingest._types import Mention, Span
from alliances.ingest.text import split_sentences

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
