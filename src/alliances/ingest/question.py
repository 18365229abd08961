"""The wedge question of an article: who tries to pull whom away from whom.

:func:`find_question` reads the framing phrases of the article ("pull X away from Y",
"flip X", "pry X loose from Y", "drive a wedge between X and Y", "keep X from joining
Y", "Why X Won't Help D On P" …) and fills their slots from the actor mentions already
found (:func:`alliances.ingest.actors.find_actors`): a slot is the first mention inside
it. Every phrase casts weighted votes:

* **where it is** — the title weighs most (4), then the opening paragraphs (3, 2.5, 1.8),
  then the rest of the text (1); a sentence that reads as a historical aside (a past
  attempt the article recalls: "had tried", "decades ago", a year well before the
  article's latest one …) counts for less (x 0.4), so the article's own framing beats the
  precedent it recalls;
* **what it says** — a phrase with an order ("pull X away from Y") gives X as the target
  and Y as the partner; a symmetric one ("a wedge between X and Y") gives both, the first
  named slightly more likely the target;
* **who acts** — the divider is a slot of the phrase when it has one ("help D on P",
  "… and toward D"), else the acting subject before the phrase in its sentence (the
  nearest mention that is not the object of a preposition — "with France defeated, the
  British government …" — a list standing for its head: "Saudi Arabia, the UAE and Egypt"
  → SAU; "the Trump administration" → USA), else the same in the sentences before it,
  else a state after it in its sentence; a light prior favours the most mentioned state
  of the opening. A phrase that names only the target ("flip Russia") takes as partner
  the target's most mentioned companion in the opening, the divider aside.

Without any phrase, the most often co-mentioned pair and the most mentioned third state
make a question marked ``guessed`` with its ``reason``.

Pure functions: an Aho–Corasick pass finds the words that start a phrase, and regular
expressions anchored there read it, over the text and the given mentions; a title that is
not part of the text (the cleaned text of a page starts with it) is read by the surface
forms of those mentions and the names of :mod:`alliances.countries`, and its phrases have
no span.

The module passes 900 lines (1,300) because it holds one concept whole: the divider,
target and partner of an article, decided from cues that share one sentence model
(:class:`_Frame`, :class:`_Source`); its patterns are most of its length. The joint
choice of the three roles (from :func:`_headline_first` to :func:`_decide`, about 250
lines) is the part to move to a module of its own once the frame and source types live
apart from the phrase readers that make them; the cue table is already apart
(:mod:`alliances.ingest.cues`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

import numpy as np

from alliances import countries
from alliances.errors import UnknownCountryError
from alliances.ingest._frames import (
    _COORDINATION,
    _FLAGS,
    DECK_WEIGHT,
    TITLE_WEIGHT,
    _actor_before,
    _first,
    _Frame,
    _Layout,
    _Source,
)
from alliances.ingest._types import Mention, Question, RoleEvidence, Span
from alliances.ingest.cues import CUES, WEST, Cue
from alliances.ingest.role_model import FEATURES, load_role_model

__all__ = ["Ties", "find_question"]

Ties = Mapping[tuple[str, str], tuple[float, float, float]]
"""What the world data say of ordered pairs of actors (canonical codes): ``(a, b) ->
(allied, arms, rivals)``, as :func:`alliances.world.queries.pair_ties` gives them (``arms``
is the share of ``b``'s arms imports that ``a`` supplied)."""

# How much the divider evidence of one phrase counts, by where it was found.
_EXPLICIT, _BEFORE_IN_SENTENCE, _BEFORE_IN_TEXT, _AFTER_IN_SENTENCE = 1.0, 0.8, 0.6, 0.4
_LOOKBACK = 1200  # characters searched back for a divider outside the sentence

# --- phrases -------------------------------------------------------------------------

_X = r"(?P<x>[^.;:!?\n]{1,60}?)"
_Y = r"(?P<y>[^.;:!?\n]{1,90})"
_Z = r"(?P<z>[^.;:!?\n]{1,110})"
_Q = r"[\"“”'‘’]?"  # an optional quote mark ("flip" Russia)


def _verb(forms: str) -> str:
    """A word boundary and any of the space-separated ``forms`` (multi-word forms joined
    by "+")."""
    words = [w.replace("+", r"\s+") for w in forms.split()]
    return r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")" + _Q


# What "keep X from …" must go on with to be about alignment ("keep Italy from joining").
_ALIGNING = _verb(
    "joining aligning allying siding entering signing drifting falling moving tilting "
    "leaning going+over defecting gravitating cementing deepening embracing throwing "
    "choosing backing turning"
)
_AWAY = r"(?:away\s+from|out\s+of)"


def _phrase(name: str, forms: str, rest: str, shape: str, strength: float) -> _Phrase:
    """A phrase that starts with one of ``forms`` (space-separated; "+" joins the words of
    a form) and goes on as ``rest``."""
    triggers = frozenset(f.split("+")[0].lower() for f in forms.split())
    return _Phrase(name, triggers, re.compile(_verb(forms) + rest, _FLAGS), shape, strength)


@dataclass(frozen=True)
class _Phrase:
    """A framing phrase: the words that start it, its pattern, what its slots give
    (``xy`` an ordered target X and partner Y, ``x`` a target only, ``z`` a symmetric
    pair, ``help`` X won't help D on P) and how strongly it frames."""

    name: str
    triggers: frozenset[str]
    pattern: re.Pattern[str]
    shape: str
    strength: float


_XY = rf"\s+{_Q}{_X}{_Q}\s+"
_KEEPING = (
    "keep keeps kept keeping stop stops stopped stopping prevent prevents prevented "
    "preventing deter deters deterred deterring dissuade dissuades dissuaded dissuading "
    "discourage discourages discouraged discouraging"
)
_PHRASES: list[_Phrase] = [
    _phrase(
        "pull away",
        "pull pulls pulled pulling",
        _XY + rf"(?:(?:away|back)\s+from|out\s+of|from)\s+{_Y}",
        "xy",
        1.0,
    ),
    _phrase("draw away", "draw draws drew drawn drawing", _XY + rf"{_AWAY}\s+{_Y}", "xy", 1.0),
    _phrase(
        "pry",
        "pry pries pried prying prise prises prised prising",
        _XY + rf"(?:(?:away|loose|free|off)\s+(?:from|of)|out\s+of|from)\s+{_Y}",
        "xy",
        1.0,
    ),
    _phrase(
        "buy away",
        "buy buys bought buying",
        _XY + rf"(?:away\s+from|out\s+of|off\s+from)\s+{_Y}",
        "xy",
        1.0,
    ),
    _phrase(
        "peel away",
        "peel peels peeled peeling lure lures lured luring woo woos wooed wooing coax "
        "coaxes coaxed coaxing entice entices enticed enticing tempt tempts tempted "
        "tempting steer steers steered steering tear tears tore torn tearing wrest wrests "
        "wrested wresting win wins won winning wean weans weaned weaning poach poaches "
        "poached poaching",
        _XY + rf"(?:away\s+from|out\s+of|off|from)\s+{_Y}",
        "xy",
        1.0,
    ),
    _phrase(
        "split from",
        "split splits splitting detach detaches detached detaching separate separates "
        "separated separating decouple decouples decoupled decoupling sever severs "
        "severed severing estrange estranges estranged estranging",
        _XY + rf"(?:off\s+|away\s+)?from\s+{_Y}",
        "xy",
        1.0,
    ),
    _phrase(
        "keep from",
        _KEEPING,
        _XY + rf"from\s+(?P<y>{_ALIGNING}[^.;:!?\n]{{0,90}})",
        "xy",
        0.9,
    ),
    _phrase("keep out of", _KEEPING, _XY + rf"out\s+of\s+{_Y}", "xy", 0.9),
    _phrase("turn against", "turn turns turned turning", _XY + rf"against\s+{_Y}", "xy", 0.9),
    _phrase(
        "flip",
        "flip flips flipped flipping win+over wins+over won+over winning+over buy+off "
        "buys+off bought+off buying+off",
        rf"\s+{_Q}(?P<x>[^.;:!?\n]{{1,40}})",
        "x",
        1.0,
    ),
    _phrase("wedge", "wedge wedges", r"\s+(?:(?:in|into)\s+)?" + _Z, "z", 1.0),
    _phrase(
        "split between", "split rift rupture break divorce schism", r"\s+between\s+" + _Z, "z", 0.5
    ),
    # "Why X Won't Help D On P": found from "help", read from the modal before it.
    _Phrase(
        "help",
        frozenset({"help"}),
        re.compile(
            r"\b(?P<neg>won[’']t|will\s+not|wouldn[’']t|would\s+not|can[’']t|cannot|can\s+not|"
            r"couldn[’']t|could\s+not|refuses?\s+to|refused\s+to|declines?\s+to|declined\s+to|"
            r"(?:is|are|was|were)\s+(?:un)?likely\s+to|will|would|might|may|could|can)\s+"
            r"(?:\w+\s+){0,3}?(?P<h>help)\s+(?P<d>[^.;:!?\n]{1,50}?)\s+(?:on|against|over|"
            r"with|(?:to\s+)?(?:contain|isolate|counter|pressure|squeeze|deal\s+with))\s+"
            r"(?P<p>[^.;:!?\n]{1,50})",
            _FLAGS,
        ),
        "help",
        1.0,
    ),
]
_REFUSAL = re.compile(r"n[’']t|not|refuse|decline|unlikely", _FLAGS)
_SPLIT_NOUNS = frozenset({"split", "rift", "rupture", "divorce", "break"})


@cache
def _triggers() -> tuple[Any, dict[str, list[_Phrase]]]:
    """An Aho–Corasick automaton of the words that start a phrase (lower case, capitalised
    and upper case, so the text need not be lowered) and the phrases of each word."""
    import ahocorasick

    by_word: dict[str, list[_Phrase]] = {}
    for phrase in _PHRASES:
        for word in phrase.triggers:
            by_word.setdefault(word, []).append(phrase)
    automaton = ahocorasick.Automaton()
    for word in set(by_word) | _SPLIT_NOUNS:
        for form in {word, word.capitalize(), word.upper()}:
            automaton.add_word(form, word)
    automaton.make_automaton()
    return automaton, by_word


# "a Russian-Iranian split": two mentions joined by a hyphen before a noun of breaking.
_HYPHEN_SPLIT = re.compile(
    r"(?P<z>[A-Z][\w.]+[-–][A-Z][\w.]+)\s+(?P<n>split|rift|rupture|divorce|break-?up)\b"
)
# The verb before "wedge", kept in the evidence ("driving a wedge into …").
_WEDGE_VERB = re.compile(
    r"\b(?:drive|drives|drove|driven|driving|put|puts|putting|insert|inserts|inserting)"
    r"\s+(?:a\s+|the\s+)?$",
    _FLAGS,
)
_TOWARD = re.compile(
    r"\b(?:and\s+)?(?:toward|towards|into\s+(?:the\s+)?(?:orbit|camp|arms)\s+of|"
    r"closer\s+to|into)\b",
    _FLAGS,
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_GENERIC_WORDS = _wordset(
    "the a an of and administration government cabinet president prime minister "
    "chancellor king queen emperor tsar czar general secretary foreign state states regime "
    "kaiser premier leader supreme ministry office house white united union kingdom "
    "republic people's democratic islamic arab federal federation north south east west "
    "new great central saudi"
)
_TITLE_STOP = _wordset(
    "why how what when can will won't the a an is are on in of and or to for with from "
    "away not it its new old help pull flip wedge who does do"
)


# --- reading the phrases -------------------------------------------------------------


def _distinct(mentions: Sequence[Mention], n: int) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for m in mentions:
        seen.setdefault(m.actor, m)
        if len(seen) == n:
            break
    return list(seen.values())


def _unwished(source: _Source, start: int) -> bool:
    """Whether no state is named before ``start`` in its sentence."""
    s_start, _ = source.sentence(start)
    return not any(m.kind == "state" for m in source.within(s_start, start))


def _frames(source: _Source, weigh: Callable[[int], float]) -> list[_Frame]:
    text = source.text
    found: list[_Frame] = []
    taken: set[int] = set()

    def frame(
        name: str,
        strength: float,
        start: int,
        end: int,
        *,
        target: str | None = None,
        partner: str | None = None,
        pair: tuple[str, str] | None = None,
        divider: str | None = None,
        no_divider: bool = False,
    ) -> None:
        if start in taken:
            return
        taken.add(start)
        found.append(
            _Frame(
                name=name,
                weight=strength * weigh(start),
                start=start,
                end=end,
                sentence=source.sentence(start),
                in_text=source.in_text,
                target=target,
                partner=partner,
                pair=pair,
                divider=divider,
                source=source,
                no_divider=no_divider,
            )
        )

    automaton, by_word = _triggers()
    for last, word in automaton.iter(text):
        start = last - len(word) + 1
        if (start > 0 and text[start - 1].isalnum()) or (
            last + 1 < len(text) and text[last + 1].isalnum()
        ):
            continue
        if word in _SPLIT_NOUNS:
            window = _HYPHEN_SPLIT.search(text, max(0, start - 60), last + 12)
            if window and window.start("n") == start:
                pair = _distinct(source.within(*window.span("z")), 2)
                if len(pair) == 2:
                    frame(
                        "split",
                        0.5,
                        window.start(),
                        window.end(),
                        pair=(pair[0].actor, pair[1].actor),
                        # "the Tito-Stalin split", with no state before it that wishes for
                        # it ("Washington hopes for ..."): a pair drifting apart
                        no_divider=_unwished(source, window.start()),
                    )
        for phrase in by_word.get(word, ()):
            name, shape, strength = phrase.name, phrase.shape, phrase.strength
            if shape == "help":
                match = next(
                    (
                        m
                        for m in phrase.pattern.finditer(text, max(0, start - 80), last + 160)
                        if m.start("h") == start
                    ),
                    None,
                )
            else:
                match = phrase.pattern.match(text, start)
            if match is None:
                continue
            if shape in ("xy", "x"):
                x = _first(source.within(*match.span("x")))
                if x is None:
                    continue
                # The slot of X must begin with X, give or take a few words.
                if len(text[match.start("x") : x.start].split()) > 4:
                    continue
                if shape == "x":
                    frame(name, strength, match.start(), x.end, target=x.actor)
                    continue
                ys = source.within(*match.span("y"))
                y = _first(ys, {x.actor})
                if y is None:
                    frame(name, strength * 0.8, match.start(), x.end, target=x.actor)
                    continue
                divider = None
                rest = text[y.end : match.end("y")]
                toward = _TOWARD.search(rest)
                if toward:
                    d = _first(
                        source.within(y.end + toward.end(), match.end("y")), {x.actor, y.actor}
                    )
                    divider = d.actor if d else None
                frame(
                    name,
                    strength,
                    match.start(),
                    y.end,
                    target=x.actor,
                    partner=y.actor,
                    divider=divider,
                )
            elif shape == "z":
                pair = _distinct(source.within(*match.span("z")), 2)
                if len(pair) < 2:
                    continue
                verb = _WEDGE_VERB.search(text, max(0, match.start() - 30), match.start())
                begin = verb.start() if verb else match.start()
                frame(
                    name,
                    strength,
                    begin,
                    pair[1].end,
                    pair=(pair[0].actor, pair[1].actor),
                    # a rift, unlike a wedge, has no driver unless a state before it acts
                    no_divider=name == "split between" and _unwished(source, begin),
                )
            elif shape == "help":
                d = _first(source.within(*match.span("d")))
                if d is None:
                    continue
                p = _first(source.within(*match.span("p")), {d.actor})
                if p is None:
                    continue
                s_start, _ = source.sentence(match.start())
                before = [
                    m
                    for m in source.within(s_start, match.start())
                    if m.actor not in (d.actor, p.actor)
                ]
                target = before[-1].actor if before else None
                begin = before[-1].start if before else match.start()
                # "X can help D against P" in the body may be plain support, not a wedge;
                # a refusal ("won't help"), or any form in a title, frames the question.
                if not _REFUSAL.search(match.group("neg")) and weigh(begin) < DECK_WEIGHT:
                    strength *= 0.5
                frame(
                    name,
                    strength,
                    begin,
                    p.end,
                    target=target,
                    partner=p.actor,
                    divider=d.actor,
                )
    return found


def _title_mentions(title: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions in a title that is not part of the text: the surface forms the article
    uses for its actors (and the words of its leaders' names), else a country name."""
    known = {m.actor: m.kind for m in mentions}
    surfaces: dict[str, Counter[str]] = {}
    for m in mentions:
        forms = {m.text}
        words = re.findall(r"[A-Z][\w’'-]+", m.text)
        if m.via in ("leader", "government") or len(words) > 1:
            # "the Donald Trump administration" stands for "Trump" in a title.
            forms |= {w for w in words if len(w) >= 4 and w.lower() not in _GENERIC_WORDS}
        for form in forms:
            form = form.strip()
            if len(form) >= 2:
                surfaces.setdefault(form.lower(), Counter())[m.actor] += 1
    found: list[Mention] = []
    covered = [False] * len(title)
    for form in sorted(surfaces, key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", title, _FLAGS):
            if any(covered[match.start() : match.end()]):
                continue
            actor = surfaces[form].most_common(1)[0][0]
            found.append(
                Mention(actor, known[actor], match.group(), match.start(), match.end(), "title")
            )
            covered[match.start() : match.end()] = [True] * (match.end() - match.start())
    for match in re.finditer(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", title):
        if any(covered[match.start() : match.end()]):
            continue
        words = list(re.finditer(r"\S+", match.group()))
        i = 0
        while i < len(words):
            # The longest run of words from here that names a state the text names.
            for j in range(min(len(words), i + 4), i, -1):
                start = match.start() + words[i].start()
                end = match.start() + words[j - 1].end()
                code = _country_code(title[start:end])
                if code in known:
                    found.append(Mention(code, known[code], title[start:end], start, end, "title"))
                    i = j
                    break
            else:
                i += 1
    return sorted(found, key=lambda m: m.start)


@cache
def _names() -> dict[str, str]:
    """Every name, adjective and metonym of the ``countries`` module, lower case, to the
    state's code."""
    names: dict[str, str] = {}
    for c in countries.all_countries():
        for name in c.names():
            key = name.lower()
            names.setdefault(key, c.code)
            names.setdefault(key.removeprefix("the "), c.code)
    return names


@lru_cache(maxsize=4096)
def _country_code(words: str) -> str | None:
    """The state ``words`` name: an exact name, else (one word) :func:`countries.resolve`."""
    key = words.strip("?!.,:;\"“”‘’'").lower()
    if key in _TITLE_STOP or len(key) < 3:
        return None
    if key in _names():
        return _names()[key]
    if " " in key:
        return None
    try:
        return countries.resolve(key).code
    except UnknownCountryError:
        return None


def _find_title(text: str, title: str) -> tuple[int, int] | None:
    head = text[:2000]
    title = " ".join(title.split())
    pos = head.find(title)
    if pos < 0:
        pos = head.lower().find(title.lower())
    return (pos, pos + len(title)) if pos >= 0 else None


# --- deciding ------------------------------------------------------------------------


def _divider_evidence(frame: _Frame, exclude: tuple[str, ...]) -> tuple[str, float] | None:
    """Who acts in the phrase's sentence: its explicit slot, else the actor before the
    phrase in its sentence, else in the sentences before it, else after it in its
    sentence."""
    if frame.divider and frame.divider not in exclude:
        return frame.divider, _EXPLICIT
    source = frame.source
    if source is None:
        return None
    s_start, s_end = frame.sentence
    lo = bisect_left(source.starts, s_start)
    hi = bisect_left(source.starts, frame.start)
    found = _actor_before(source, lo, hi, s_start, exclude, states=False)
    if found:
        return found.actor, _BEFORE_IN_SENTENCE
    # The sentences before, nearest first, as far back as _LOOKBACK characters.
    end = s_start
    while end > 0 and s_start - end < _LOOKBACK:
        p_start, _ = source.sentence(end - 1)
        found = _actor_before(
            source,
            bisect_left(source.starts, p_start),
            bisect_left(source.starts, end),
            p_start,
            exclude,
            states=True,
        )
        if found:
            return found.actor, _BEFORE_IN_TEXT
        end = p_start
    after = source.mentions[
        bisect_left(source.starts, frame.end) : bisect_left(source.starts, s_end)
    ]
    for m in after:
        if m.actor not in exclude and m.kind == "state":
            return m.actor, _AFTER_IN_SENTENCE
    return None


def _span(text: str, frame: _Frame) -> Span | None:
    if not frame.in_text:
        return None
    return Span(text[frame.start : frame.end], frame.start, frame.end)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def find_question(
    text: str,
    mentions: Sequence[Mention],
    *,
    title: str | None = None,
    year: int | None = None,
    ties: Ties | None = None,
) -> Question | None:
    """The wedge question (divider, target, partner) of an article.

    Parameters
    ----------
    text : str
        The cleaned text; ``mentions`` carry offsets into it.
    mentions : sequence of Mention
        The actor mentions of ``text`` (states by canonical code, organisations by
        acronym).
    title : str, optional
        The article's title. When it is part of ``text`` (its first lines), the phrases
        there weigh as the title; otherwise it is read apart, and its phrases have no
        span in the text.
    year : int, optional
        The article's year: an organisation it names whose members that year include the
        target may stand as the partner (the target's tie to it at stake, a fellow member
        named as partner counting for it); without a year, the memberships of today.
    ties : mapping, optional
        What the world data say of pairs of actors, ``(a, b) -> (allied, arms, rivals)``
        (:func:`alliances.world.queries.pair_ties`, by canonical codes): with it the
        ``grounded`` role model decides, else the ``text`` one
        (:mod:`alliances.ingest.role_model`).

    Returns
    -------
    Question or None
        ``span`` is the framing phrase that weighs most (None when that is a title apart
        from the text). ``guessed=True`` with a ``reason`` when no phrase was found; None
        when the text names fewer than three actors.

    Examples
    --------
    >>> from alliances.ingest._types import Mention
    >>> text = "Washington hopes to pull Russia away from Iran."
    >>> ms = [Mention("USA", "state", "Washington", 0, 10, "capital"),
    ...       Mention("RUS", "state", "Russia", 25, 31), Mention("IRN", "state", "Iran", 42, 46)]
    >>> q = find_question(text, ms)
    >>> (q.divider, q.target, q.partner, q.guessed)
    ('USA', 'RUS', 'IRN', False)
    """
    found = _candidates(text, mentions, title=title, year=year, ties=ties)
    if found is None:
        return None
    return found.decide(text)


@dataclass
class _Candidates:
    """The frames of an article and its candidate triples (divider, target, partner), each
    with its row of :data:`alliances.ingest.role_model.FEATURES`."""

    frames: list[_Frame]
    evidence: list[tuple[str, float] | None]
    beside: list[frozenset[str]]
    blocs: dict[str, frozenset[str]]
    mentions: Sequence[Mention]
    triples: list[tuple[str | None, str, str]]
    features: Any  # numpy array, one row per triple
    grounded: bool = False  # the world data's features are known
    rule: list[float] = field(default_factory=list)  # the hand-set vote of each triple

    def fellows(self, t: str, p: str) -> frozenset[str]:
        members = self.blocs.get(p, frozenset())
        return members - {t} if t in members else frozenset()

    def decide(self, text: str) -> Question | None:
        return _decide(text, self)


def _candidates(
    text: str,
    mentions: Sequence[Mention],
    *,
    title: str | None,
    year: int | None,
    ties: Ties | None = None,
) -> _Candidates | None:
    """The candidates of :func:`find_question`, or None when the text names too few
    actors."""
    if not mentions:
        return None
    title_range = _find_title(text, title) if title else None
    layout = _Layout(text, title_range)
    body = _Source.of(text, mentions, in_text=True, sentences=layout.sentences)
    frames = _frames(body, layout.weight)
    frames += _cue_frames(body, layout.weight, {f.start for f in frames})
    head_mentions: list[Mention] = []
    if title and title_range is None:
        clean_title = " ".join(title.split())
        head_mentions = _title_mentions(clean_title, mentions)
        head = _Source.of(clean_title, head_mentions, in_text=False, sentences=[0])
        in_head = _frames(head, lambda _pos: TITLE_WEIGHT)
        frames += in_head + _cue_frames(
            head, lambda _pos: TITLE_WEIGHT, {f.start for f in in_head}
        )
    if not frames and len({m.actor for m in mentions}) < 3:
        return None
    frames = _headline_first(frames, title_range)
    heads = [r for r in (title_range, *layout.headings) if r is not None]
    titled = [m.actor for m in sorted(head_mentions, key=lambda m: m.start)] + [
        m.actor for m in mentions if any(lo <= m.start < hi for lo, hi in heads)
    ]
    found = _score_triples(frames, layout, mentions, _blocs(mentions, year), titled, ties)
    return found if found.triples else None


HEADLINE_BOOST = 1.5


def _headline_first(frames: list[_Frame], title_range: tuple[int, int] | None) -> list[_Frame]:
    """The frames, those of the title weighing ``HEADLINE_BOOST`` times more when the title
    alone names all three roles by its cues and no two of them disagree ("Nicaragua breaks
    off ties with Taiwan and recognizes Beijing")."""
    lo, hi = title_range or (-1, -1)
    head = [f for f in frames if not f.in_text or lo <= f.start < hi]
    roles: dict[str, str] = {}
    for f in head:
        for role, actor in (("divider", f.divider), ("target", f.target), ("partner", f.partner)):
            if actor is None:
                continue
            if roles.setdefault(role, actor) != actor:
                return frames
    if len(roles) < 3 or len(set(roles.values())) < 3:
        return frames
    boosted = {id(f) for f in head}
    return [
        replace(f, weight=f.weight * HEADLINE_BOOST) if id(f) in boosted else f for f in frames
    ]


def _blocs(mentions: Sequence[Mention], year: int | None) -> dict[str, frozenset[str]]:
    """The members in ``year`` (canonical codes) of each organisation the text names; an
    undated text is read as of today."""
    import datetime as dt

    from alliances.world.organisations import load_organisations

    if year is None:
        year = dt.date.today().year

    table = load_organisations()
    named = {m.actor for m in mentions if m.kind != "state" and m.actor in table}
    return {org: frozenset(table[org].codes_in(year)) for org in sorted(named)}


NONE_PRIOR = 0.08  # the score of "no divider named" before any cue
# The powers that court others: in the questions articles ask, the one pulling is nearly
# always a great power and the one pulled rarely is (a frequency prior, not a rule: cues
# outweigh it). Codes of alliances.countries.
GREAT_POWERS = frozenset({"USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN"})
POWER_PRIOR = 2.0


def _power_prior(d: str | None, t: str) -> float:
    """The prior for a divider ``d`` pulling target ``t``: a lesser state pulling a great
    power scores ``-POWER_PRIOR``, pulling another lesser state a third of that; a great
    power, or no divider at all (a pair drifting), scores nothing."""
    if d is None or d in GREAT_POWERS:
        return 0.0
    return -POWER_PRIOR if t in GREAT_POWERS else -POWER_PRIOR / 3


_OTHER_ROLE = 0.3  # a cue about another target still says something of its other roles
_CLASH = 0.5  # the penalty when a triple gives a cue's actor another role


# An organisation of the target as partner: the share of a fellow member's partner vote
# it takes when the sentence names it too ("warnings from the U.S. and NATO"), the penalty
# when the divider belongs to it as well. Being named earns it nothing by itself (an
# article that names the EU is often about a tie to Washington).
BLOC_SHARE = 0.8
BLOC_INSIDER = 1.0


def _contributions(
    f: _Frame,
    ev: tuple[str, float] | None,
    d: str | None,
    t: str,
    p: str,
    fellows: Collection[str] = (),
) -> tuple[float, float, float]:
    """What one frame adds to the divider, target and partner of the triple (d, t, p);
    ``fellows``: when p is an organisation of t, its other members, whose partner votes
    count for it in part."""
    w = f.weight
    sd = st = sp = 0.0
    if f.pair:
        a, b = f.pair
        st = 0.55 * w if t == a else 0.45 * w if t == b else 0.0
        sp = 0.5 * w if {t, p} == {a, b} else 0.0
        involved = t in f.pair
    else:
        if f.target:
            st = w if t == f.target else -_CLASH * w if f.target in (d, p) else 0.0
        # A cue about the target's organisation is about its tie whoever it names.
        involved = f.target is None or f.target == t or (bool(fellows) and f.partner == p)
        if f.partner:
            share = w if involved else _OTHER_ROLE * w
            sp = (
                share
                if p == f.partner
                else -_CLASH * w
                if f.partner in (d, t)
                else BLOC_SHARE * share
                if f.partner in fellows
                else 0.0
            )
    if f.divider:
        share = w if involved else _OTHER_ROLE * w
        sd = share if d == f.divider else -_CLASH * w if f.divider in (t, p) else 0.0
    elif ev is not None and involved and d == ev[0]:
        sd = w * ev[1]
    if f.no_divider and involved and d is None:
        sd = w
    return sd, st, sp


def _orgs_beside(f: _Frame, blocs: dict[str, frozenset[str]]) -> frozenset[str]:
    """The organisations of ``blocs`` named in the sentence of frame ``f``."""
    if not blocs or f.source is None:
        return frozenset()
    lo, hi = f.sentence
    return frozenset(m.actor for m in f.source.within(lo, hi) if m.actor in blocs)


_AGENT_VIA = frozenset({"capital", "leader", "government"})
_ACTOR_STATS = (
    *("opening", "title", "share", "first", "subject", "title_first"),
    *("agent", "ally_of", "growing", "from", "toward"),
)
# What the words around a mention say of the actor, whatever the verb (the features
# ``*_ally_of``, ``*_growing``, ``*_from`` and ``*_toward`` of the role model): the one who
# has allies is the incumbent, a rising presence the newcomer, the one moved away from
# the partner, the one moved to the divider.
_ALLY_AFTER = re.compile(
    r"(?:[’']s?)?\s+(?:\w+\s+){0,2}?(?:all(?:y|ies)|partners?|clients?|proteg[eé]s?|"
    r"satellites?|friends?|sphere|orbit|backyard|camp|umbrella)\b",
    _FLAGS,
)
_ALLY_BEFORE = re.compile(
    r"\b(?:all(?:y|ies)|allied|partners?|clients?|aligned|friends?|orbit|camp)\s+"
    r"(?:with|of|to)\s+(?:the\s+)?$",
    _FLAGS,
)
_GROWING = re.compile(
    r"(?:[’']s?)?\s+(?:\w+\s+)?(?:growing|rising|expanding|increasing|deepening|"
    r"new|widening|mounting|burgeoning|inroads|overtures?|offers?|courtship|wooing|"
    r"charm|largesse|embrace|push|advances?)\b",
    _FLAGS,
)
_FROM = re.compile(
    r"\b(?:from|with(?:out)?|against|off)\s+(?:the\s+|its\s+|their\s+)?(?:\w+\s+)?$",
    _FLAGS,
)
_BREAK = re.compile(
    r"\b(?:break|broke|broken|breaking|cut|cuts|cutting|sever\w*|ditch\w*|"
    r"dump\w*|abandon\w*|drop\w*|quit\w*|leav\w*|left|expel\w*)\b",
    _FLAGS,
)
_MOVED_TO = re.compile(
    r"\b(?:to(?:wards?)?|into|closer\s+to|embrace\s+of|orbit\s+of|arms\s+of|side\s+with|"
    r"turn\w*\s+to|pivot\w*\s+to|tilt\w*\s+to)\s+(?:the\s+)?$",
    _FLAGS,
)


def _actor_stats(
    layout: _Layout, mentions: Sequence[Mention], titled: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Where and how often each actor is named: its share of the opening's mentions and of
    all mentions, whether a title or heading names it (and first), the rank of its first
    mention, the share of sentences it opens, and the share of its mentions that name it
    as one who acts (its capital, leader or government: "Beijing", "Xi", "the Kremlin")."""
    opening = [m for m in mentions if m.start < layout.opening_end]
    seen = Counter(m.actor for m in opening)
    counts = Counter(m.actor for m in mentions)
    by_sentence: dict[int, list[str]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        by_sentence.setdefault(bisect_right(layout.sentences, m.start) - 1, []).append(m.actor)
    opens = Counter(actors[0] for actors in by_sentence.values())
    n_sentences = max(len(by_sentence), 1)
    first: dict[str, int] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        first.setdefault(m.actor, len(first))
    agent = Counter(m.actor for m in mentions if m.via in _AGENT_VIA)
    ally_of, growing, moved_from, toward = (
        Counter[str](),
        Counter[str](),
        Counter[str](),
        Counter[str](),
    )
    text = layout.text
    for m in mentions:
        before = text[max(0, m.start - 40) : m.start]
        if _ALLY_AFTER.match(text, m.end) or _ALLY_BEFORE.search(before):
            ally_of[m.actor] += 1
        if _GROWING.match(text, m.end):
            growing[m.actor] += 1
        if _FROM.search(before) and _BREAK.search(text, max(0, m.start - 60), m.start):
            moved_from[m.actor] += 1
        elif _MOVED_TO.search(before):
            toward[m.actor] += 1
    return {
        a: {
            "opening": seen[a] / max(len(opening), 1),
            "title": float(a in titled),
            "share": counts[a] / len(mentions),
            "first": 1.0 / (1 + first[a]),
            "subject": opens[a] / n_sentences,
            "title_first": float(bool(titled) and titled[0] == a),
            "agent": agent[a] / counts[a],
            "ally_of": ally_of[a] / counts[a],
            "growing": growing[a] / counts[a],
            "from": moved_from[a] / counts[a],
            "toward": toward[a] / counts[a],
        }
        for a in counts
    }


def _together(layout: _Layout, mentions: Sequence[Mention]) -> Counter[frozenset[str]]:
    """The share of sentences naming an actor that name each pair of actors."""
    by_sentence: dict[int, set[str]] = {}
    for m in mentions:
        by_sentence.setdefault(bisect_right(layout.sentences, m.start) - 1, set()).add(m.actor)
    pairs: Counter[frozenset[str]] = Counter()
    for actors in by_sentence.values():
        ranked = sorted(actors)
        for i, a in enumerate(ranked):
            for b in ranked[i + 1 :]:
                pairs[frozenset((a, b))] += 1
    n = max(len(by_sentence), 1)
    return Counter({k: v / n for k, v in pairs.items()})


def _score_triples(
    frames: list[_Frame],
    layout: _Layout,
    mentions: Sequence[Mention],
    blocs: dict[str, frozenset[str]],
    titled: Sequence[str],
    ties: Ties | None = None,
) -> _Candidates:
    """The candidate triples of the frames' actors with their features (the hand-set vote
    of :func:`_contributions` and the priors first, then where and how often each actor is
    named: :data:`alliances.ingest.role_model.FEATURES`)."""
    evidence: list[tuple[str, float] | None] = []
    for f in frames:
        if f.cue or f.divider:
            evidence.append(None)
            continue
        own = tuple(a for a in (f.target, f.partner, *(f.pair or ())) if a)
        evidence.append(_divider_evidence(f, own))
    kinds = {m.actor: m.kind for m in mentions}
    opening = [m for m in mentions if m.start < layout.opening_end]
    seen = Counter(m.actor for m in opening)
    strength: dict[str, float] = {}
    for f, ev in zip(frames, evidence, strict=True):
        for a in (f.target, f.partner, f.divider, *(f.pair or ())):
            if a:
                strength[a] = strength.get(a, 0.0) + f.weight
        if ev:
            strength[ev[0]] = strength.get(ev[0], 0.0) + f.weight * ev[1]
    for a, n in seen.items():
        strength[a] = strength.get(a, 0.0) + 0.01 * n
    for a, n in Counter(m.actor for m in mentions).items():
        strength[a] = strength.get(a, 0.0) + 0.001 * n
    ranked = sorted(strength, key=lambda a: -strength[a])[:9]
    states = [a for a in ranked if kinds.get(a) == "state"]
    first: dict[str, int] = {}
    for f in sorted(frames, key=lambda f: f.start):
        for a in (f.target, f.partner, f.divider, *(f.pair or ())):
            if a:
                first.setdefault(a, len(first))
    # The organisations named in each frame's sentence: a fellow member's partner vote
    # counts for its organisation only there ("warnings from the U.S. and NATO").
    beside = [_orgs_beside(f, blocs) for f in frames]
    found = _Candidates(frames, evidence, beside, blocs, mentions, [], None, ties is not None)

    def prior(d: str | None, t: str, p: str) -> float:
        base = NONE_PRIOR if d is None else 0.05 * seen[d]
        base += _power_prior(d, t)
        tie = -1e-6 * (first.get(t, 99) + first.get(p, 99) + first.get(d or "", 99))
        members = blocs.get(p, frozenset())
        if t in members and d in members:
            base -= BLOC_INSIDER
        return base + 0.02 * (seen[t] + seen[p]) + tie

    stats = _actor_stats(layout, mentions, titled)
    together = _together(layout, mentions)
    votes: list[list[float]] = []
    for t in states:
        for p in ranked:
            if p == t or (p in blocs and not blocs[p]):
                continue  # an organisation that does not exist in the year is no partner
            others = found.fellows(t, p)
            for d in [None, *ranked]:
                if d in (t, p):
                    continue
                row = [0.0] * 6  # the phrases' votes for d, t, p, then the cues'
                for f, ev, orgs in zip(frames, evidence, beside, strict=True):
                    gains = _contributions(f, ev, d, t, p, others if p in orgs else ())
                    for i, v in enumerate(gains, start=3 if f.cue else 0):
                        row[i] += v
                found.rule.append(prior(d, t, p) + sum(row))
                votes.append(row)
                found.triples.append((d, t, p))
    found.features = _feature_matrix(
        found.triples, np.array(votes).reshape(-1, 6), stats, together, kinds, blocs, ties
    )
    return found


def _feature_matrix(
    triples: list[tuple[str | None, str, str]],
    votes: Any,
    stats: dict[str, dict[str, float]],
    together: Counter[frozenset[str]],
    kinds: Mapping[str, str],
    blocs: dict[str, frozenset[str]],
    ties: Ties | None,
) -> Any:
    """The rows of :data:`~alliances.ingest.role_model.FEATURES` of the ``triples``, each
    column made by its name."""
    ds, ts, ps = zip(*triples, strict=True) if triples else ((), (), ())
    cols: dict[str, Any] = {}
    for i, kind in enumerate(("phrase", "cue")):
        for j, role in enumerate(("divider", "target", "partner")):
            cols[f"{role}_{kind}_votes"] = votes[:, 3 * i + j]

    def each(values: Any) -> Any:
        return np.fromiter(values, dtype=float, count=len(triples))

    for role, actors in (("divider", ds), ("target", ts), ("partner", ps)):
        cols[f"{role}_great"] = each(a in GREAT_POWERS for a in actors)
        for key in _ACTOR_STATS:
            cols[f"{role}_{key}"] = each(stats[a][key] if a else 0.0 for a in actors)
    members = [blocs.get(p, frozenset()) for p in ps]
    known = ties or {}
    nothing = (0.0, 0.0, 0.0)
    cols |= {
        "no_divider": each(d is None for d in ds),
        "partner_organisation": each(kinds.get(p) != "state" for p in ps),
        "target_in_partner": each(t in m for t, m in zip(ts, members, strict=True)),
        "divider_in_partner": each(d in m for d, m in zip(ds, members, strict=True)),
        "pair_together": each(together[frozenset(tp)] for tp in zip(ts, ps, strict=True)),
        "divider_target_together": each(
            together[frozenset((d, t))] if d else 0.0 for d, t in zip(ds, ts, strict=True)
        ),
        "target_partner_allied": each(known.get((t, p), nothing)[0] for _, t, p in triples),
        "target_divider_allied": each(
            known.get((t, d), nothing)[0] if d else 0.0 for d, t, _ in triples
        ),
        "partner_arms_share": each(known.get((p, t), nothing)[1] for _, t, p in triples),
        "divider_arms_share": each(
            known.get((d, t), nothing)[1] if d else 0.0 for d, t, _ in triples
        ),
        "divider_partner_rivals": each(
            known.get((d, p), nothing)[2] if d else 0.0 for d, _, p in triples
        ),
    }
    return np.column_stack([cols[f] for f in FEATURES]).reshape(len(triples), len(FEATURES))


ALTERNATIVES = 3  # the most probable triples a question lists with their probabilities


def _decide(text: str, found: _Candidates) -> Question | None:
    """The triple (divider, target, partner) the role model (:mod:`.role_model`) ranks
    first, with the evidence of each role and the model's probability as confidence."""
    if not found.triples:
        return None
    frames, evidence, beside = found.frames, found.evidence, found.beside
    variant = "grounded" if found.grounded else "text"
    probability = load_role_model(variant).probabilities(found.features)
    order = np.argsort(-probability, kind="stable")
    best = int(order[0])
    d, t, p = found.triples[best]
    confidence = round(float(probability[best]), 2)
    alternatives = tuple(
        (*found.triples[int(k)], round(float(probability[k]), 3)) for k in order[:ALTERNATIVES]
    )

    roles: list[RoleEvidence] = []
    for i, (role, actor) in enumerate((("divider", d), ("target", t), ("partner", p))):
        top: tuple[float, _Frame | None] = (0.0, None)
        for f, ev, orgs in zip(frames, evidence, beside, strict=True):
            gain = _contributions(f, ev, d, t, p, found.fellows(t, p) if p in orgs else ())[i]
            if gain > top[0]:
                top = (gain, f)
        gain, decided = top
        if decided is None:
            cue = (
                f"no cue names a state pulling {t} from {p}"
                if actor is None
                else "the most mentioned state of the opening"
            )
            roles.append(RoleEvidence(role, actor, cue, "", None, None, 0.0))
            continue
        src = decided.source
        sentence = src.text[decided.sentence[0] : decided.sentence[1]].strip() if src else ""
        how = decided.cue or decided.name
        if role == "divider" and actor is None:
            how = f"no divider named: the one pulling is no state ({how})"
        elif role == "divider" and not decided.divider and decided.cue == "" and actor is not None:
            how = f"the actor acting in the sentence of '{decided.name}'"
        start = decided.sentence[0] if decided.in_text else None
        end = decided.sentence[1] if decided.in_text else None
        roles.append(RoleEvidence(role, actor, how, sentence, start, end, round(gain, 3)))
    involved = [f for f in frames if f.target == t or (f.pair and t in f.pair)]
    span_frame = max(
        involved or frames, key=lambda f: (f.in_text, f.weight, -f.start), default=None
    )
    reason = None
    if d is None:
        reason = f"no divider named: the article is about {t} drifting from {p}"
    guessed = not frames
    if guessed:
        counts = Counter(m.actor for m in found.mentions)
        named = ", ".join(
            f"{a} {_plural(counts[a], 'mention')}" for a in (t, p, d) if a is not None
        )
        reason = (
            "no framing phrase: the role model chose from where and how often the actors "
            f"are named ({named})" + (f"; {reason}" if reason else "")
        )
    return Question(
        d,
        t,
        p,
        guessed=guessed,
        reason=reason,
        span=None if span_frame is None else _span(text, span_frame),
        confidence=confidence,
        evidence=tuple(roles),
        model=variant,
        alternatives=alternatives,
    )


# --- who acts on whom (alliances.ingest.cues) ------------------------------------------

_PRONOUN = re.compile(r"\s*(?:it|them|him|her)\b", _FLAGS)
_SLOT_WORDS = 4  # a slot's actor must come within this many words of its start


@cache
def _cue_triggers() -> tuple[Any, dict[str, list[Cue]]]:
    """An Aho–Corasick automaton of the words that start a cue, as :func:`_triggers`."""
    import ahocorasick

    by_word: dict[str, list[Cue]] = {}
    for cue in CUES:
        for word in cue.triggers:
            by_word.setdefault(word, []).append(cue)
    automaton = ahocorasick.Automaton()
    for word in by_word:
        for form in {word, word.capitalize(), word.upper()}:
            automaton.add_word(form, word)
    automaton.make_automaton()
    return automaton, by_word


_SLOT_PREPOSITION = re.compile(r"\b(?:from|with|for|of|in|at|by|on|to|over|against)\b", _FLAGS)
# "one of China's neighbours": the one named owns the target; it is its partner.
_OWNED = re.compile(
    r"[’']s\s+(?:\w+\s+)?(?:neighbou?rs?|all(?:y|ies)|partners?|friends?|clients?|"
    r"satellites?|backyard|sphere|orbit|proxies|proxy)\b",
    _FLAGS,
)


# "Chinese military presence": one lower-case word between an actor and its cue.
_ONE_WORD = re.compile(r"(?:[’']s)?\s+[a-z][\w-]*\s+")
_ONE_OF = re.compile(r"^\s*(?:one|some|several|many|each|two|three|most)\s+of\s+", _FLAGS)


def _slot_actor(
    source: _Source, span: tuple[int, int], exclude: Collection[str]
) -> Mention | None:
    """The first actor of a slot, within a few words of its start and not behind a
    preposition ("courting money from China" has no object state)."""
    if span[0] < 0:
        return None
    found = _first(source.within(*span), exclude)
    if found is None:
        return None
    lead = _ONE_OF.sub("", source.text[span[0] : found.start])
    if len(lead.split()) > _SLOT_WORDS or _SLOT_PREPOSITION.search(lead):
        return None
    return found


def _subject(
    source: _Source, start: int, sentence_start: int, exclude: Collection[str]
) -> Mention | None:
    """The acting subject before ``start`` in its sentence (see :func:`_actor_before`)."""
    lo = bisect_left(source.starts, sentence_start)
    hi = bisect_left(source.starts, start)
    return _actor_before(source, lo, hi, sentence_start, exclude, states=False)


def _coordinated(source: _Source, head: Mention, end: int) -> set[str]:
    """The actors of the list that ``head`` leads ("Britain, France and Russia")."""
    i = bisect_left(source.starts, head.start)
    out = {head.actor}
    while i + 1 < len(source.mentions) and source.mentions[i + 1].start < end:
        gap = source.text[source.mentions[i].end : source.mentions[i + 1].start]
        if not _COORDINATION.match(gap):
            break
        i += 1
        out.add(source.mentions[i].actor)
    return out


def _antecedent(source: _Source, pos: int, exclude: Collection[str]) -> Mention | None:
    """What "it" at ``pos`` stands for: the nearest state named before it, the subject's
    list aside."""
    hi = bisect_left(source.starts, pos)
    for i in range(hi - 1, max(-1, hi - 12), -1):
        m = source.mentions[i]
        if m.kind == "state" and m.actor not in exclude:
            return m
    return None


def _cue_frames(
    source: _Source, weigh: Callable[[int], float], taken: Collection[int]
) -> list[_Frame]:
    """The frames of the cues of :mod:`alliances.ingest.cues` in ``source``: each fills its
    slots, its subject and the actor before it; a cue that gives no role is dropped."""
    text = source.text
    found: list[_Frame] = []
    automaton, by_word = _cue_triggers()
    for last, word in automaton.iter(text):
        start = last - len(word) + 1
        if start in taken or (start > 0 and text[start - 1].isalnum()):
            continue
        if last + 1 < len(text) and text[last + 1].isalnum():
            continue
        for cue in by_word[word]:
            match = cue.pattern.match(text, start)
            if match is None:
                continue
            roles: dict[str, Mention] = {}
            groups = match.re.groupindex
            for slot, role in (("p", "partner"), ("d", "divider"), ("t", "target")):
                if slot in groups and match.start(slot) >= 0:
                    m = _slot_actor(source, match.span(slot), {r.actor for r in roles.values()})
                    if m is not None and role == "target" and _OWNED.match(text, m.end):
                        roles.setdefault("partner", m)
                    elif m is not None:
                        roles[role] = m
            no_divider = bool(
                "d" in groups
                and match.start("d") >= 0
                and "divider" not in roles
                and WEST.match(text, match.start("d"))
            )
            s_start, s_end = source.sentence(start)
            slotted = set(roles)
            taken_actors = {m.actor for m in roles.values()}
            if cue.before and cue.before not in roles:
                lo = bisect_left(source.starts, max(s_start, start - 40))
                hi = bisect_left(source.starts, start)
                if hi > lo:
                    m = source.mentions[hi - 1]
                    near = start - m.end <= 4 or _ONE_WORD.fullmatch(text, m.end, start)
                    if near and m.actor not in taken_actors:
                        roles[cue.before] = m
                        taken_actors.add(m.actor)
            subject_list: set[str] = set()
            if cue.subject == "divider" and "divider" in slotted:
                # "X draws Y closer to Z": the one drawing must be Z.
                drawing = _subject(source, start, s_start, ())
                if drawing is None or drawing.actor != roles["divider"].actor:
                    continue
            elif cue.subject and cue.subject not in roles:
                west = WEST.search(text, s_start, start)
                subject = _subject(source, start, s_start, taken_actors)
                if west is not None and (
                    subject is None or west.start() - s_start < 8 or subject.start > west.start()
                ):
                    no_divider = no_divider or cue.subject == "divider"
                elif subject is not None:
                    roles[cue.subject] = subject
                    taken_actors.add(subject.actor)
                    subject_list = _coordinated(source, subject, start)
                elif cue.subject == "target":
                    # "As a member of the EU, Hungary ...": the subject after the cue.
                    after = _first(
                        [m for m in source.within(match.end(), s_end) if m.kind == "state"],
                        taken_actors,
                    )
                    if after is not None:
                        roles["target"] = after
                        taken_actors.add(after.actor)
            if "partner" in roles and "target" not in roles and "t" in groups:
                # "draw one of China's neighbours closer": the neighbour the sentence names.
                other = _first(
                    [m for m in source.within(s_start, s_end) if m.kind == "state"],
                    taken_actors | subject_list,
                )
                if other is not None and _OWNED.match(text, roles["partner"].end):
                    roles["target"] = other
                    taken_actors.add(other.actor)
            if (
                "t" in groups
                and match.start("t") >= 0
                and "target" not in roles
                and _PRONOUN.match(text, match.start("t"))
            ):
                m = _antecedent(source, match.start("t"), taken_actors | subject_list)
                if m is not None:
                    roles["target"] = m
            if (
                cue.two_way
                and "target" in roles
                and "divider" in roles
                and roles["target"].actor in GREAT_POWERS
                and roles["divider"].actor not in GREAT_POWERS
            ):
                roles["target"], roles["divider"] = roles["divider"], roles["target"]
            if len(roles) + no_divider < 1 or (len(roles) == 1 and "divider" in roles):
                continue
            end = max((m.end for m in roles.values() if m.start >= start), default=match.end())
            frame = _Frame(
                name=cue.name,
                weight=cue.strength * weigh(start),
                start=start,
                end=end,
                sentence=(s_start, s_end),
                in_text=source.in_text,
                target=roles["target"].actor if "target" in roles else None,
                partner=roles["partner"].actor if "partner" in roles else None,
                divider=roles["divider"].actor if "divider" in roles else None,
                source=source,
                no_divider=no_divider,
                cue=text[start:end].strip(),
            )
            found.append(frame)
            break
    return found
