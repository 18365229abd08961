"""Who acts on whom: the cues of real prose that give the roles of a wedge question.

:mod:`alliances.ingest.question` reads the framing phrases written for wedge questions
("pull X away from Y", "a wedge between X and Y"); real articles more often say who moves
toward whom, and who courts whom. Each :class:`Cue` here is one such construction, as a
regular expression anchored at the word that starts it, with

* its slots (named groups ``t``, ``p``, ``d``): the first actor mentioned near the start of
  a slot takes that role (target, partner, divider);
* ``subject``: the role of the acting subject of the sentence, the actor before the cue
  (a list standing for its head, the object of a preposition skipped): "Washington courts
  Hanoi" → the subject is the divider; "Manila tilts towards Beijing" → the target;
  "Taiwan is losing allies to China" → the partner;
* ``before``: the role of an actor written just before the cue ("Beijing's embrace", "EU
  membership", "US pressure on India");
* its strength, how firmly it frames the question (1.0 for "ditch X for Y", less for "seek
  ties with Y" or "angered Y");
* ``two_way``: a tie both sides make ("China establishes relations with Panama", "X and Y
  deepen ties"): the subject is read as the one moving (the target) unless it is a great
  power and the other is not, when the great power is the one pulling.

A subject or divider slot that is "the West" (a bloc, no state) says the article names no
divider. Examples (roles as divider / target / partner):

=====================================  ===================================================
"Duterte ditched the US for Beijing"   subject target, ``p`` US, ``d`` Beijing
"the US is courting Vietnam"           subject divider, ``t`` Vietnam
"Italy tilts toward China"             subject target, ``d`` China
"switch recognition from X to Y"       subject target, ``p`` X, ``d`` Y
"X offered to sell Cuba oil"           subject divider, ``t`` Cuba
"Taiwan is losing allies to China"     subject partner, ``d`` China
"aligning with Russia to counter       subject divider, ``t`` Russia, ``p`` China
China"
=====================================  ===================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["CUES", "WEST", "Cue", "Role"]

Role = Literal["target", "partner", "divider", ""]

_FLAGS = re.IGNORECASE
_S = r"[^.;:!?\n]"  # a character of the same clause


def _slot(name: str, width: int = 60, lazy: bool = False) -> str:
    return rf"(?P<{name}>{_S}{{1,{width}}}{'?' if lazy else ''})"


def _forms(words: str) -> str:
    """Alternatives of space-separated word forms ("+" joins the words of a form)."""
    alts = sorted((w.replace("+", r"\s+") for w in words.split()), key=len, reverse=True)
    return r"\b(?:" + "|".join(alts) + r")\b"


def _stem(*stems: str) -> str:
    """Verb forms from stems: ``court`` → court, courts, courted, courting, courtship."""
    return r"\b(?:" + "|".join(rf"{s}\w*" for s in stems) + r")"


@dataclass(frozen=True)
class Cue:
    """One construction that gives roles: its name (the cue reported in ``--json``), the
    words that may start it (lower case), its pattern (matched at such a word), the roles
    of its slots, of the sentence's subject and of the actor just before it, and its
    strength."""

    name: str
    triggers: frozenset[str]
    pattern: re.Pattern[str]
    subject: Role
    before: Role
    strength: float
    two_way: bool = False


def _cue(
    name: str,
    triggers: str,
    pattern: str,
    *,
    subject: Role = "",
    before: Role = "",
    strength: float = 1.0,
    two_way: bool = False,
) -> Cue:
    return Cue(
        name,
        frozenset(triggers.split()),
        re.compile(pattern, _FLAGS),
        subject,
        before,
        strength,
        two_way,
    )


_T, _P, _D = _slot("t", lazy=True), _slot("p", lazy=True), _slot("d")
_PEND = _slot("p")
_TEND = _slot("t")
_COURT = "court courts courted courting courtship woo woos wooed wooing lure lures lured luring"
_COURT += " entice entices enticed enticing seduce seduces seduced seducing"
_TOWARD = r"(?:to|towards?|toward)"

CUES: tuple[Cue, ...] = (
    # --- the divider acts on the target ------------------------------------------------
    _cue(
        "align with X to counter Y",
        "align aligns aligned aligning alignment",
        r"\balign\w*\s+(?:itself\s+|themselves\s+)?with\s+" + _T + r"\s+(?:to|and)\s+"
        r"(?:counter\w*|contain\w*|balance\w*|isolate\w*|check|checks|against)\s+" + _PEND,
        subject="divider",
        strength=1.2,
    ),
    _cue(
        "pull it away from",
        "tear tears tore torn tearing pull pulls pulled pulling pry pries pried prying lure "
        "lures lured luring wean weans weaned weaning draw draws drew drawn drawing peel "
        "peels peeled peeling woo woos wooed wooing",
        r"\b(?:tear|tore|torn|pull|pr[iy]|lur|wean|draw|drew|peel|woo)\w*\s+(?P<t>it|them)\s+"
        r"(?:away\s+|loose\s+|off\s+)?from\s+" + _PEND,
        subject="divider",
        strength=1.0,
    ),
    _cue(
        "draw X closer to Y",
        "draw draws drew drawn drawing bring brings brought bringing",
        r"\b(?:draw|draws|drew|drawn|drawing|bring|brings|brought|bringing)\s+"
        + _T
        + r"\s+closer\s+to\s+"
        + _D,
        subject="divider",
        strength=1.0,
    ),
    _cue(
        "court",
        _COURT,
        _stem("court", "woo", "lure", "entic", "seduc") + r"\s+(?:of\s+)?" + _TEND,
        subject="divider",
        strength=0.9,
    ),
    _cue(
        "overtures to",
        "overture overtures outreach approach approaches charm",
        r"\b(?:overtures?|outreach|approach(?:es)?|charm\s+offensive)\s+(?:to|toward|towards|"
        r"on)\s+" + _TEND,
        subject="divider",
        before="divider",
        strength=0.8,
    ),
    _cue(
        "offered to",
        "offer offers offered offering",
        r"\boffer(?:s|ed|ing)?\s+(?:to\s+(?:sell|give|supply|buy|provide|lend|build)\s+)?" + _TEND,
        subject="divider",
        strength=0.8,
    ),
    _cue(
        "pressure on",
        "pressure pressures pressured pressuring press presses pressed pressing",
        r"\b(?:pressur\w+|press(?:es|ed|ing)?)\s+(?:on\s+)?" + _TEND,
        subject="divider",
        before="divider",
        strength=0.6,
    ),
    # --- the target moves toward the divider, away from the partner -------------------
    _cue(
        "ditch X for Y",
        "ditch ditches ditched ditching dump dumps dumped dumping abandon abandons abandoned "
        "abandoning drop drops dropped dropping",
        r"\b(?:ditch|dump|abandon|drop)\w*\s+" + _P + r"\s+(?:for|in\s+favou?r\s+of)\s+" + _D,
        subject="target",
        strength=1.2,
    ),
    _cue(
        "switch from X to Y",
        "switch switches switched switching shift shifts shifted shifting swing swings swung "
        "swinging defect defects defected defecting",
        r"\b(?:switch|shift|swing|swung|defect)\w*\s+(?:(?:diplomatic\s+)?(?:recognition|"
        r"allegiance|ties|sides|camps?)\s+)?from\s+" + _P + r"\s+to\s+" + _D,
        subject="target",
        strength=1.1,
    ),
    _cue(
        "switch to",
        "switch switches switched switching shift shifts shifted shifting swing swings swung "
        "swinging defect defects defected defecting",
        r"\b(?:switch|shift|swing|swung|defect)\w*\s+(?:(?:diplomatic\s+)?(?:recognition|"
        r"allegiance|ties|sides|camps?)\s+)?" + _TOWARD + r"\s+" + _D,
        subject="target",
        strength=1.0,
    ),
    _cue(
        "tilt toward",
        "tilt tilts tilted tilting lean leans leaned leaning leant pivot pivots pivoted "
        "pivoting gravitate gravitates gravitated gravitating drift drifts drifted drifting "
        "move moves moved moving turn turns turned turning edge edges edged edging",
        r"\b(?:tilt|lean|pivot|gravitat|drift|move|moving|turn|edg)\w*\s+(?:ever\s+|further\s+|"
        r"decisively\s+)?(?:closer\s+)?" + _TOWARD + r"\s+" + _D,
        subject="target",
        strength=0.9,
    ),
    _cue(
        "recognise",
        "recognise recognises recognised recognising recognize recognizes recognized recognizing",
        r"\brecogni[sz](?:e|es|ed|ing)\s+" + _D,
        subject="target",
        strength=0.8,
    ),
    _cue(
        "ally with",
        "ally allies allied allying side sides sided siding",
        r"\b(?:all(?:y|ies|ied|ying)|sid(?:e|es|ed|ing))\s+(?:itself\s+)?with\s+" + _D,
        subject="target",
        strength=0.8,
    ),
    _cue(
        "cozy up to",
        "cozy cozies cozied cozying cosy cosies cosied cosying snuggle snuggles snuggling",
        r"\b(?:coz|cos|snuggl)\w*\s+up\s+to\s+" + _D,
        subject="target",
        strength=0.9,
    ),
    _cue(
        "the Russian orbit",
        "orbit camp fold embrace sphere",
        r"\b(?:orbit|camp|fold|embrace|sphere)\b",
        subject="target",
        before="divider",
        strength=0.8,
    ),
    _cue(
        "embrace",
        "embrace embraces embraced embracing endorse endorses endorsed endorsing",
        r"\b(?:embrac|endors)\w*\s+" + _D,
        subject="target",
        strength=0.8,
    ),
    _cue(
        "into the arms of",
        "arms orbit camp fold",
        r"\b(?:arms|orbit|camp|fold)\s+of\s+" + _D,
        subject="target",
        strength=0.9,
    ),
    _cue(
        "allegiance to",
        "allegiance",
        r"\ballegiance\s+(?:to|with)\s+" + _D,
        subject="target",
        strength=0.9,
    ),
    _cue(
        "seek ties with",
        "seek seeks seeking sought foster fosters fostered fostering cultivate cultivates "
        "cultivated cultivating deepen deepens deepened deepening forge forges forged forging "
        "build builds building strengthen strengthens strengthened strengthening expand "
        "expands expanding boost boosts boosting warm warms warming establish establishes "
        "established establishing",
        r"\b(?:seek|sought|foster|cultivat|deepen|forg|build|strengthen|expand|boost|warm|"
        r"establish)\w*\s+(?:[\w-]+\s+){0,3}?(?:relations|ties|partnership)\s+(?:with|to)\s+" + _D,
        subject="target",
        strength=0.6,
        two_way=True,
    ),
    _cue(
        "longstanding ties to",
        "traditional longstanding long-standing historic existing old its their",
        r"\b(?:traditional|longstanding|long-standing|historic|existing|old|its|their)\s+"
        r"(?:[\w-]+\s+)?(?:partnership|ties|relations|alliance|friendship)\s+(?:with|to)\s+"
        + _PEND,
        subject="target",
        strength=0.5,
    ),
    _cue(
        "turn away from",
        "turn turns turned turning break breaks broke breaking walk walks walked walking "
        "distance distances distanced distancing drift drifts drifted drifting "
        "pull pulls pulled pulling move moves moved moving",
        r"\b(?:turn|break|broke|walk|distanc|drift|pull|mov)\w*\s+(?:itself\s+|\w+\s+)?"
        r"(?:away\s+from|(?:ties|off\s+relations)\s+with)\s+" + _PEND,
        subject="target",
        strength=0.9,
    ),
    _cue(
        "separation from",
        "separation",
        r"\bseparation\s+from\s+" + _PEND,
        subject="target",
        strength=0.9,
    ),
    _cue(
        "expulsion of",
        "expel expels expelled expelling expulsion",
        r"\b(?:expel\w*|expulsion\s+of)\s+" + _PEND,
        subject="target",
        strength=0.7,
    ),
    _cue(
        "loyalty to",
        "loyalty loyalties",
        r"\bloyalt(?:y|ies)\b" + _S + r"{0,50}?\b(?:with|to|towards?|in)\s+" + _PEND,
        subject="target",
        before="target",
        strength=0.8,
    ),
    _cue(
        "membership of",
        "member members membership part accession join joins joined joining",
        r"\b(?:member(?:ship)?\s+(?:of|in)|part\s+of|accession\s+to|join(?:s|ed|ing)?)\s+" + _PEND,
        subject="target",
        strength=0.5,
    ),
    _cue(
        "membership",
        "membership",
        r"\bmembership\b",
        subject="target",
        before="partner",
        strength=0.5,
    ),
    # --- the partner reacts, or loses the target -------------------------------------
    _cue(
        "losing allies to",
        "lose loses losing lost",
        r"\blos(?:e|es|ing|t)\s+(?:[\w-]+,?\s+){0,4}?(?:allies|ally|partners?|friends?|"
        r"recognition)\s+to\s+" + _D,
        subject="partner",
        strength=1.1,
    ),
    _cue(
        "losing X to Y",
        "lose loses losing lost",
        r"\blos(?:e|es|ing|t)\s+" + _T + r"\s+to\s+" + _D,
        subject="partner",
        strength=1.1,
    ),
    _cue(
        "slipping away from",
        "slip slips slipped slipping drift drifts drifted drifting",
        r"\b(?:slip|drift)\w*\s+(?:away\s+)?(?:from|out\s+of)\s+" + _PEND,
        subject="target",
        strength=0.9,
    ),
    _cue(
        "vying for influence in",
        "vie vies vied vying compete competes competed competing jostle jostles jostling "
        "battle battles battling scramble scrambling",
        r"\b(?:vie|vies|vied|vying|compet\w*|jostl\w*|battl\w*|scrambl\w*)\s+"
        r"(?:[\w-]+\s+){0,3}?for\s+(?:influence|sway|clout|favou?r)\s+(?:in|over|with)\s+" + _TEND,
        strength=0.8,
    ),
    _cue(
        "presence in",
        "presence foothold footprint",
        r"\b(?:presence|foothold|footprint)\s+in\s+" + _TEND,
        before="partner",
        strength=0.7,
    ),
    _cue(
        "angered",
        "angered angers anger irked irks irk alarmed alarms alarm rattled rattles infuriated "
        "infuriates upset upsets annoy annoys annoyed annoying",
        r"\b(?:anger(?:ed|s)?|irk(?:ed|s)?|alarm(?:ed|s)?|rattl(?:ed|es)|infuriat(?:ed|es)|"
        r"upset(?:s)?|annoy(?:s|ed|ing)?)\s+(?:in\s+)?" + _PEND,
        strength=0.6,
    ),
    _cue(
        "at the expense of",
        "expense",
        r"\bexpense\s+of\s+" + _PEND,
        strength=0.9,
    ),
    _cue(
        "at X's expense",
        "expense",
        r"\bexpense\b",
        before="partner",
        strength=0.9,
    ),
    _cue(
        "X's fears",
        "fears fear concern concerns ire alarm unease worries worry objections",
        r"\b(?:fears?|concerns?|ire|alarm|unease|worr(?:y|ies)|objections)\b",
        before="partner",
        strength=0.5,
    ),
    _cue(
        "response from",
        "response rebuke protest protests warning warnings criticism backlash concern pressure",
        r"\b(?:response|rebuke|protests?|warnings?|criticism|backlash|concern|pressure)\s+"
        r"(?:from|in)\s+" + _PEND,
        strength=0.6,
    ),
    _cue(
        "standoff with",
        "standoff stand-off rift tension tensions feud breakup",
        r"\b(?:standoff|stand-off|rift|tensions?|feud|breakup)\s+with\s+" + _PEND,
        subject="target",
        strength=0.5,
    ),
    _cue(
        "threaten X's influence in Y",
        "threaten threatens threatened threatening challenge challenges challenged "
        "undermine undermines undermined erode erodes eroded",
        r"\b(?:threaten|challeng|undermin|erod)\w*\s+" + _P + r"[’']s\s+(?:influence|"
        r"position|primacy|hold|grip|sway)\s+(?:in|over|on)\s+" + _TEND,
        strength=1.0,
    ),
)

# "the West", "Western powers": a bloc, no state; as the one pulling it names no divider.
WEST = re.compile(r"\b(?:[Tt]he\s+West|Western\s+(?:powers|countries|nations|allies))\b")
