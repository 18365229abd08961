"""The joint choice of the three roles of a wedge question: divider, target and partner.

:func:`_score_triples` lists the candidate triples (divider, target, partner) of the
frames' actors (:class:`alliances.ingest._frames._Frame`, read by
:mod:`alliances.ingest.question`) and gives each its row of
:data:`alliances.ingest.role_model.FEATURES`: the votes the phrases and the cues cast for
each role (:func:`_contributions`, the divider of a phrase that names none being who acts
in its sentence), and where, how often and how each actor is named (:func:`_actor_stats`,
:func:`_together`), with the world data's ties between them when they are known.
:func:`_decide` takes the triple the role model ranks first: a conditional logit over the
candidate triples (:mod:`alliances.ingest.role_model`), ``grounded`` with the world data,
``text`` without. The hand-set vote (the votes plus the priors: a great power pulls, a
member of the partner's bloc does not) is kept as the phrases' reading, in each role's
evidence, and as a baseline (``Candidates.rule``).

Pure functions over the frames, the text's layout and the given mentions; only
:func:`_blocs` reads the table of organisations.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from alliances.ingest._frames import _FLAGS, _actor_before, _Frame, _Layout
from alliances.ingest._types import Mention, Question, RoleEvidence, Span
from alliances.ingest.role_model import FEATURES, load_role_model

Ties = Mapping[tuple[str, str], tuple[float, float, float]]
"""What the world data say of ordered pairs of actors (canonical codes): ``(a, b) ->
(allied, arms, rivals)``, as :func:`alliances.world.queries.pair_ties` gives them (``arms``
is the share of ``b``'s arms imports that ``a`` supplied)."""

# --- the candidates ------------------------------------------------------------------

# How much the divider evidence of one phrase counts, by where it was found.
_EXPLICIT, _BEFORE_IN_SENTENCE, _BEFORE_IN_TEXT, _AFTER_IN_SENTENCE = 1.0, 0.8, 0.6, 0.4
_LOOKBACK = 1200  # characters searched back for a divider outside the sentence


@dataclass
class Candidates:
    """The frames of an article and its candidate triples (divider, target, partner), each
    with its row of :data:`alliances.ingest.role_model.FEATURES` (``features``, a NumPy
    array) and its hand-set vote (``rule``); ``grounded`` when the world data's ties were
    read. Made by :func:`alliances.ingest.question.candidates`."""

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

    def decide(self, text: str, given: Mapping[str, str | None] | None = None) -> Question | None:
        return _decide(text, self, given or {})


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


# --- the hand-set vote ---------------------------------------------------------------

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


# --- where, how often and how each actor is named ------------------------------------

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
    keep: Collection[str] = (),
) -> Candidates:
    """The candidate triples of the frames' actors with their features (the hand-set vote
    of :func:`_contributions` and the priors first, then where and how often each actor is
    named: :data:`alliances.ingest.role_model.FEATURES`); the actors of ``keep`` are
    candidates even when they are not among the nine named most."""
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
    ranked += sorted(a for a in keep if a in strength and a not in ranked)
    states = [a for a in ranked if kinds.get(a) == "state"]
    first: dict[str, int] = {}
    for f in sorted(frames, key=lambda f: f.start):
        for a in (f.target, f.partner, f.divider, *(f.pair or ())):
            if a:
                first.setdefault(a, len(first))
    # The organisations named in each frame's sentence: a fellow member's partner vote
    # counts for its organisation only there ("warnings from the U.S. and NATO").
    beside = [_orgs_beside(f, blocs) for f in frames]
    found = Candidates(frames, evidence, beside, blocs, mentions, [], None, ties is not None)

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


# --- deciding ------------------------------------------------------------------------

ALTERNATIVES = 3  # the most probable triples a question lists with their probabilities


def _span(text: str, frame: _Frame) -> Span | None:
    if not frame.in_text:
        return None
    return Span(text[frame.start : frame.end], frame.start, frame.end)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


ROLES = ("divider", "target", "partner")


def _decide(text: str, found: Candidates, given: Mapping[str, str | None]) -> Question | None:
    """The triple (divider, target, partner) the role model (:mod:`.role_model`) ranks
    first among those that keep the ``given`` roles, with the evidence of each role and
    the model's probability as confidence."""
    if not found.triples:
        return None
    frames, evidence, beside = found.frames, found.evidence, found.beside
    variant = "grounded" if found.grounded else "text"
    probability = load_role_model(variant).probabilities(found.features)
    order = np.argsort(-probability, kind="stable")
    keep = [i for i, role in enumerate(ROLES) if role in given]
    kept = [int(k) for k in order if all(found.triples[k][i] == given[ROLES[i]] for i in keep)]
    if not kept:
        return None
    best = kept[0]
    d, t, p = found.triples[best]
    confidence = round(float(probability[best]), 2)
    alternatives = tuple(
        (*found.triples[int(k)], round(float(probability[k]), 3)) for k in order[:ALTERNATIVES]
    )

    roles: list[RoleEvidence] = []
    for i, (role, actor) in enumerate(zip(ROLES, (d, t, p), strict=True)):
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
                else "no cue names it: the role model's choice from where and how often "
                "it is named"
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
        given=tuple(role for role in ROLES if role in given),
    )
