"""The wedge question of an article: who tries to pull whom away from whom.

:func:`find_question` reads the framing phrases of the article ("pull X away from Y",
"flip X", "pry X loose from Y", "drive a wedge between X and Y", "keep X from joining
Y", "Why X Won't Help D On P" …) and fills their slots from the actor mentions already
found (:func:`alliances.ingest.actors.find_actors`): a slot is the first mention inside
it. With the cues of :mod:`alliances.ingest.cues` (who moves toward whom, who courts
whom), every phrase casts weighted votes:

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

The choice of the three roles lives in :mod:`alliances.ingest.roles`: the votes, with
where, how often and how each actor is named, are features of the candidate triples
(divider, target, partner), and the role model (:mod:`alliances.ingest.role_model`) ranks
them. Without any phrase, the role model still chooses among the candidate triples from
where and how often the actors are named, and the question is marked ``guessed`` with
that ``reason``.

Pure functions: an Aho–Corasick pass finds the words that start a phrase, and regular
expressions anchored there read it, over the text and the given mentions; a title that is
not part of the text (the cleaned text of a page starts with it) is read by the surface
forms of those mentions and the names of :mod:`alliances.countries`, and its phrases have
no span. The sentence model the readers and the choice share (:class:`_Frame`,
:class:`_Source`, the position weights) is :mod:`alliances.ingest._frames`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from alliances import countries
from alliances.errors import ParameterError, UnknownCountryError
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
from alliances.ingest._types import Mention, Question
from alliances.ingest.cues import CUES, WEST, Cue
from alliances.ingest.roles import (
    GREAT_POWERS,
    ROLES,
    Candidates,
    Ties,
    _blocs,
    _headline_first,
    _score_triples,
)

__all__ = ["Candidates", "Ties", "candidates", "find_question"]

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


def find_question(
    text: str,
    mentions: Sequence[Mention],
    *,
    title: str | None = None,
    year: int | None = None,
    ties: Ties | None = None,
    given: Mapping[str, str | None] | None = None,
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
    given : mapping, optional
        Roles the reader is told, ``{"target": "RUS", "divider": None}`` (canonical codes
        of actors the text names; a None divider for a pair drifting apart): the question
        is the most probable triple that keeps them.

    Returns
    -------
    Question or None
        ``span`` is the framing phrase that weighs most (None when that is a title apart
        from the text). ``confidence`` is the role model's probability of the triple,
        ``model`` which model chose it (``text``, or ``grounded`` with ``ties``) and
        ``alternatives`` the most probable triples. ``guessed=True`` with a ``reason``
        when no phrase was found; None when the text names fewer than three actors and
        no phrase.

    Raises
    ------
    ParameterError
        When no candidate triple keeps the ``given`` roles.

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
    given = dict(given or {})
    unknown = set(given) - set(ROLES)
    if unknown:
        msg = f"given roles {sorted(unknown)}: expected some of {list(ROLES)}"
        raise ParameterError(msg)
    keep = [a for a in given.values() if a is not None]
    found = candidates(text, mentions, title=title, year=year, ties=ties, keep=keep)
    question = None if found is None else found.decide(text, given)
    if question is None and given:
        told = ", ".join(f"{role} {given[role] or 'none'}" for role in ROLES if role in given)
        msg = (
            f"no question of the article keeps the roles given ({told}): the target must be "
            "a state the text names, each role a different actor, and an organisation can "
            "only be the partner"
        )
        raise ParameterError(msg)
    return question


def candidates(
    text: str,
    mentions: Sequence[Mention],
    *,
    title: str | None,
    year: int | None,
    ties: Ties | None = None,
    keep: Collection[str] = (),
) -> Candidates | None:
    """The candidate triples (divider, target, partner) of an article, each with its row
    of :data:`alliances.ingest.role_model.FEATURES`: what :func:`find_question` ranks,
    and what a role model is fitted on (``tests/ingest/real_articles/fit_roles.py``).

    The arguments are those of :func:`find_question`; the actors of ``keep`` are
    candidates even when the text names nine others more. Returns None when the text names
    fewer than three actors and no phrase frames a question. ``triples[k]`` has the
    features ``features[k]`` and the hand-set vote ``rule[k]`` (the phrases' reading).

    Examples
    --------
    >>> from alliances.ingest.actors import find_actors
    >>> from alliances.ingest.role_model import FEATURES
    >>> text = "Washington hopes to pull Russia away from Iran."
    >>> found = candidates(text, find_actors(text), title=None, year=2017)
    >>> found.features.shape == (len(found.triples), len(FEATURES))
    True
    >>> found.triples[max(range(len(found.rule)), key=found.rule.__getitem__)]
    ('USA', 'RUS', 'IRN')
    """
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
    found = _score_triples(frames, layout, mentions, _blocs(mentions, year), titled, ties, keep)
    return found if found.triples else None


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
