"""The dated events, hostile ties and named bonds of an article, each with its evidence.

An event (:func:`find_events`) is a trigger word — joined (join, accede, accession,
became a member, admitted), signed (signed, inked, concluded), removed (removed,
expelled, suspended, ousted, overthrown), annexed, invaded, withdrew (withdrew, pulled
out, quit, left + a name), recognised — not negated or hypothetical ("did not join",
"refused to", "plans to", "might"); its year is the nearest in the sentence, its actors
those the sentence mentions (an event with neither an actor nor a year is left out,
unless it is an annexation or an invasion: "the annexation of Crimea").

A hostile tie (:func:`find_negative_ties`) is "opposing/opposite sides", "rival(ry)",
"hostile/hostility", "enemy", "adversary", "at odds", "foe", "feud", "antagonism",
"confrontation", "at war", "sanctions on/against" (the imposer before, the target after)
between the two actors nearest it, unless negated ("no longer rivals", "former enemies").

The bonds an article names between two actors (:func:`find_bond_kinds`) are the
bond-kind words of the sentences that speak of the pair, and a figure's flow
(:func:`bond_name`) the words of its sentence that name what it measures ("arms
deals"). Small hand-written readers over the sentences of
:mod:`alliances.ingest._sentences`; nothing is fetched and no model is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alliances.ingest._sentences import (
    _KIND,
    _KIND_PATTERNS,
    _cues,
    _first_positions,
    _gap,
    _nearest_actors,
    _nearest_year,
    _Reader,
    _split,
    _years,
)
from alliances.ingest._types import Event, Figure, Mention, NegativeTie, Span

__all__ = ["bond_name", "find_bond_kinds", "find_events", "find_negative_ties"]

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
