"""The sentence model shared by the phrase and cue readers and the choice of roles.

A text is read as a :class:`_Source` (the article, or its title when apart from it) whose
mentions are sorted by offset; every framing phrase or cue found in it becomes a
:class:`_Frame` with its filled slots and weight. :class:`_Layout` says where the sentences,
headings and opening paragraphs of the text are and how much each position weighs (the
title most, then the opening paragraphs, a historical aside less). :func:`_actor_before`
finds who acts before a phrase in its sentence, the one both the readers
(:mod:`alliances.ingest.question`) and the choice (:mod:`alliances.ingest.roles`) ask.

Pure functions and plain records over the text and the given mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from alliances.ingest._types import Mention

_FLAGS = re.IGNORECASE

# --- weights -------------------------------------------------------------------------

TITLE_WEIGHT = 4.0
DECK_WEIGHT = 3.5
PARAGRAPH_WEIGHTS = (3.0, 2.5, 1.8)
BODY_WEIGHT = 1.0
ASIDE_FACTOR = 0.4
ASIDE_YEARS = 8  # a year this much before the article's latest one marks an aside

_ASIDE = re.compile(
    r"\b(?:once\s+(?:tried|sought|hoped|attempted|managed)|"
    r"had\s+(?:tried|sought|hoped|attempted|managed|failed)|"
    r"an?\s+(?:earlier|previous|past|failed|former)\s+(?:attempt|effort|bid|try)|"
    r"precedents?|recall(?:s|ed|ing)?|reminiscent|echo(?:es|ed|ing)?|"
    r"(?:decades|years|a\s+century|centuries)\s+(?:ago|earlier|before)|back\s+in|"
    r"in\s+(?:its|his|her|their)\s+day|as\s+\w+\s+(?:had\s+)?(?:did|tried)\s+in)\b",
    _FLAGS,
)
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)s?\b")

_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sen|Rep|Gov|Prof|Jr|Sr|vs|No|Adm|Capt))$"
)
_BOUNDARY = re.compile(r"[.!?…][\"”’)\]]*\s+|\n+")


# --- records -------------------------------------------------------------------------


@dataclass
class _Frame:
    """One framing phrase with its filled slots and weight."""

    name: str
    weight: float
    start: int
    end: int
    sentence: tuple[int, int]
    in_text: bool
    target: str | None = None
    partner: str | None = None
    pair: tuple[str, str] | None = None
    divider: str | None = None
    source: _Source | None = None
    no_divider: bool = False  # the one pulling is a bloc ("the West"), no state
    cue: str = ""  # the words that decided it, for the evidence


@dataclass
class _Source:
    """A text to read phrases from (the article, or its title when apart from it)."""

    text: str
    mentions: list[Mention]
    starts: list[int]
    in_text: bool
    sentences: list[int]

    @classmethod
    def of(
        cls, text: str, mentions: Sequence[Mention], in_text: bool, sentences: list[int]
    ) -> _Source:
        ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
        return cls(text, ordered, [m.start for m in ordered], in_text, sentences)

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``, as ``(start, end)``."""
        return _sentence_of(self.sentences, self.text, pos)

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions that start in ``[start, end)``."""
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end)
        return self.mentions[lo:hi]


# --- sentences, paragraphs, weights ----------------------------------------------------


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith(".") and _ABBREVIATION.search(
            text[max(0, match.start() - 5) : match.start()]
        ):
            continue  # "U.S. officials", "Mr. Putin": not the end of a sentence
        starts.append(match.end())
    return starts


def _sentence_of(starts: list[int], text: str, pos: int) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    return starts[i], end


def _is_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 16 and not re.search(r"[.!]\W*$", line.strip())


class _Layout:
    """Where the opening of the text is, and how much each position weighs."""

    def __init__(self, text: str, title_range: tuple[int, int] | None) -> None:
        self.text = text
        self.title_range = title_range
        self.sentences = _sentence_starts(text)
        blocks = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text)]
        if len(blocks) < 3:
            blocks = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        self.headings: list[tuple[int, int]] = []
        paragraphs: list[tuple[int, int]] = []
        for start, end in blocks:
            line = text[start:end]
            if not paragraphs and _is_heading(line) and len(self.headings) < 3:
                self.headings.append((start, end))
            elif len(line.split()) >= 6 or paragraphs:
                paragraphs.append((start, end))
        self.paragraphs = paragraphs
        self.paragraph_starts = [p[0] for p in paragraphs]
        years = [int(y) for y in _YEAR.findall(text)]
        self.latest_year = max(years) if years else None
        if len(paragraphs) >= 2:
            self.opening_end = paragraphs[1][1]
        elif len(self.sentences) > 6:
            self.opening_end = self.sentences[6]
        else:
            self.opening_end = len(text)

    def weight(self, pos: int) -> float:
        if self.title_range and self.title_range[0] <= pos < self.title_range[1]:
            return TITLE_WEIGHT
        for i, (start, end) in enumerate(self.headings):
            if start <= pos < end:
                return TITLE_WEIGHT if i == 0 and not self.title_range else DECK_WEIGHT
        if len(self.paragraphs) >= 3:
            i = bisect_right(self.paragraph_starts, pos) - 1
        else:
            # One block of prose: three sentences stand for a paragraph.
            i = (bisect_right(self.sentences, pos) - 1) // 3
        base = PARAGRAPH_WEIGHTS[i] if 0 <= i < len(PARAGRAPH_WEIGHTS) else BODY_WEIGHT
        start, end = _sentence_of(self.sentences, self.text, pos)
        if self.is_aside(self.text[start:end]):
            base *= ASIDE_FACTOR
        return base

    def is_aside(self, sentence: str) -> bool:
        if _ASIDE.search(sentence):
            return True
        if self.latest_year is not None:
            years = [int(y) for y in _YEAR.findall(sentence)]
            return bool(years) and max(years) <= self.latest_year - ASIDE_YEARS
        return False


# --- who acts in a sentence ----------------------------------------------------------


def _first(mentions: Sequence[Mention], exclude: Collection[str] = ()) -> Mention | None:
    for m in mentions:
        if m.actor not in exclude:
            return m
    return None


_PREPOSITION = re.compile(
    r"\b(?:with|against|from|to|of|between|at|in|on|for|toward|towards|over|under|into|"
    r"like|than|about|among|alongside|including|beside|near|across|onto|upon)\s+(?:the\s+)?$",
    _FLAGS,
)
_COORDINATION = re.compile(
    r"^\s*(?:,|,?\s*(?:and|or|as\s+well\s+as|together\s+with))\s*(?:the\s+)?$"
)


def _list_head(source: _Source, i: int, sentence_start: int, exclude: Collection[str]) -> Mention:
    """The first of a list of mentions ("Saudi Arabia, the UAE, Bahrain and Egypt") that
    ends with mention ``i``: the list stands for the one that leads it."""
    ms, text = source.mentions, source.text
    head = i
    while head > 0 and ms[head - 1].start >= sentence_start:
        gap = text[ms[head - 1].end : ms[head].start]
        if not _COORDINATION.match(gap):
            break
        head -= 1
    found = ms[head]
    return found if found.actor not in exclude else ms[i]


def _actor_before(
    source: _Source, lo: int, hi: int, sentence_start: int, exclude: Collection[str], states: bool
) -> Mention | None:
    """Who acts before a phrase among mentions ``lo:hi`` of one sentence: the nearest one
    that is not the object of a preposition ("with France defeated"), else the nearest;
    a list is represented by its head."""
    candidates = [
        i
        for i in range(lo, hi)
        if source.mentions[i].actor not in exclude
        and (not states or source.mentions[i].kind == "state")
    ]
    if not candidates:
        return None
    for i in reversed(candidates):
        m = source.mentions[i]
        before = source.text[max(sentence_start, m.start - 30) : m.start]
        if not _PREPOSITION.search(before):
            return _list_head(source, i, sentence_start, exclude)
    return _list_head(source, candidates[-1], sentence_start, exclude)
