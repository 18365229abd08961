"""The article's own text: page furniture dropped, and the text cut into sentences.

:func:`clean` takes an HTML page or plain text. A page goes through trafilatura
(Barbaresi 2021), which keeps the main text and reads the page's metadata (title, date);
then plain text and extracted text alike pass the same line filter, which drops what a
page puts around an article: subscription pitches ("Subscribe now", "Already a
subscriber?"), cookie banners, "Most read" and "Related" lists, loading notices, share
buttons, newsletter prompts, bylines, copyright lines, photo captions and their credits
("Sergei Karpukhin / REUTERS"). What is left is the cleaned text, one paragraph a line with
a blank line between paragraphs; every offset of :mod:`alliances.ingest` points into it.

:func:`split_sentences` is a small rule-based splitter: a sentence ends at ``.``, ``!``,
``?`` or ``…`` (with any closing quote or bracket) before a capital, a digit or an opening
quote, and at the end of a paragraph; not after a title ("Mr.", "Gen."), an initial ("J."),
a month before a day ("Jan. 5"), and after a dotted acronym or a unit ("U.S.", "bn.") only
when a common sentence opener follows ("The", "But" …). Decimals ("2.5") never split.

References
----------
Barbaresi, A. (2021). Trafilatura: A web scraping library and command-line tool for text
discovery and extraction. *Proceedings of the 59th Annual Meeting of the ACL: System
Demonstrations*, 122–131.

Examples
--------
>>> page = clean("Why Moscow Needs Tehran\\n\\nRussia sold arms.\\nSubscribe now\\n")
>>> page.text
'Why Moscow Needs Tehran\\n\\nRussia sold arms.'
>>> page.title, page.dropped
('Why Moscow Needs Tehran', ['Subscribe now'])
>>> [s.text for s in split_sentences("The U.S. Navy left. Mr. Smith stayed at 2.5 knots.")]
['The U.S. Navy left.', 'Mr. Smith stayed at 2.5 knots.']
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from alliances.ingest._types import Span

__all__ = ["MAX_SENTENCE", "Cleaned", "address_date", "clean", "split_sentences"]

Kind = Literal["auto", "html", "text"]


@dataclass(frozen=True)
class Cleaned:
    """An article's own text and what the page said about it.

    ``text`` holds one paragraph a line, paragraphs separated by a blank line (for a page,
    its title first); ``title`` comes from the page's metadata, or for plain text from a
    short first line without a final full stop; ``date`` is an ISO date (``2017-02-14``)
    from the page's metadata, a dateline of plain text or the date in the address of a
    pasted ``SOURCE:`` line (:func:`address_date`), else None; ``dropped`` lists the
    lines the filter removed, in order.
    """

    text: str
    title: str | None = None
    date: str | None = None
    dropped: list[str] = field(default_factory=list)


# --- cleaning --------------------------------------------------------------------------


def clean(raw: str, *, kind: Kind = "auto") -> Cleaned:
    """The article's own text, without page furniture.

    Parameters
    ----------
    raw : str
        An HTML page or plain text.
    kind : {"auto", "html", "text"}
        How to read ``raw``; ``"auto"`` reads it as HTML when it starts like a page or
        holds the usual block tags (``<p>``, ``<div>``, ``<article>`` …).

    Returns
    -------
    Cleaned
        The text, the title and date when known, and the lines dropped.

    Raises
    ------
    TypeError
        If ``raw`` is not a string.
    ValueError
        If ``kind`` is not one of the three.

    Notes
    -----
    A page is read offline by ``trafilatura.bare_extraction`` with ``favor_precision``, no
    comments, tables or images, and only the page's own metadata for the date (no search
    of the text for dates); when it finds no main text, the page's whole text is used. The
    title is put first in the text, so that evidence found in it has offsets too.

    Examples
    --------
    >>> clean("<html><head><title>T</title></head><body><p>One.</p></body></html>",
    ...       kind="html").title
    'T'
    >>> clean("We use cookies. Accept all\\nThe treaty was signed.").text
    'The treaty was signed.'
    """
    if not isinstance(raw, str):
        msg = f"expected the article as text (str), got {type(raw).__name__}"
        raise TypeError(msg)
    if kind not in ("auto", "html", "text"):
        msg = f"kind={kind!r} should be 'auto', 'html' or 'text'"
        raise ValueError(msg)
    raw = raw.removeprefix("\ufeff")
    if kind == "html" or (kind == "auto" and _looks_like_html(raw)):
        body, title, date = _from_html(raw)
        kept, dropped, line_date = _filter(body.splitlines())
        title = _line(title) if title else None
        if title and (not kept or kept[0] != title):
            kept.insert(0, title)
        return Cleaned("\n\n".join(kept), title or None, date or line_date, dropped)
    kept, dropped, line_date = _filter(raw.splitlines())
    date = line_date or _pasted_address_date(kept)
    return Cleaned("\n\n".join(kept), _guess_title(kept), date, dropped)


_HTML = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|article|main|p|div|span|br|h[1-6]|section)\b",
    re.IGNORECASE,
)


def _looks_like_html(raw: str) -> bool:
    head = raw[:5000]
    return bool(_HTML.search(head)) and head.count("<") >= 2


def _from_html(raw: str) -> tuple[str, str | None, str | None]:
    """The main text of a page, its title and its ISO date (trafilatura, offline)."""
    import trafilatura  # heavy (lxml, htmldate): only when a page is read

    options: dict[str, Any] = {
        "include_comments": False,
        "include_tables": False,
        "include_images": False,
        "include_links": False,
        "with_metadata": True,
        "date_extraction_params": {"extensive_search": False, "original_date": True},
    }
    doc = trafilatura.bare_extraction(raw, favor_precision=True, **options)
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        doc = trafilatura.bare_extraction(raw, favor_recall=True, **options) or doc
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        text = trafilatura.html2txt(raw) or ""
    title = getattr(doc, "title", None) if doc is not None else None
    date = getattr(doc, "date", None) if doc is not None else None
    if doc is None:
        meta = trafilatura.extract_metadata(raw)
        if meta is not None:
            title, date = meta.title, meta.date
    if title:
        title = re.split(r"\s+[|»]\s+", title)[0].strip()  # "Headline | Site name"
    return text, title or None, _iso_date(date)


def _iso_date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


# --- the line filter -------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _line(line: str) -> str:
    """A line with invisible characters removed and every run of spaces made one."""
    return _SPACES.sub(" ", line.translate(_INVISIBLE)).strip()


def _rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_PITCH = _rx(
    r"^(?:subscribe\b|subscription\b|already (?:a |an )?(?:subscriber|member|registered)"
    r"|(?:log|sign) ?(?:in|on|out)\b|sign up\b|register (?:now|for free|today|to)\b"
    r"|create (?:a |your )?(?:free )?account|you(?:'re|’re| are) reading (?:a |your )?free"
    r"|you have (?:\d+|one|two|three) free|(?:get|unlock|enjoy|gain) (?:unlimited|full|"
    r"digital|free|instant) access|start (?:your )?free trial|(?:try|start) \d+ days? free"
    r"|become a (?:member|subscriber|patron)|support (?:our|independent|quality) journalism"
    r"|this (?:article|story|content) is (?:for|available to|reserved for) subscribers"
    r"|to continue reading|continue reading\b|keep reading\b|subscribers? only|donate\b)"
)
_PAYWALL = _rx(r"\b(?:paywall|unlimited access|free articles? (?:left|remaining))\b")
_COOKIE = _rx(r"\bcookies?\b")
_COOKIE_CONTEXT = _rx(
    r"\b(?:use[sd]?|using|accept|consent|polic(?:y|ies)|settings|preferences|experience"
    r"|improve|personali[sz]|learn more|agree|opt out|third[- ]party|browser)\b"
)
_CONSENT = _rx(
    r"^(?:accept(?: all)?(?: cookies)?|reject all|allow all|i agree|got it|ok(?:ay)?"
    r"|manage (?:cookies|preferences|settings|consent)|cookie (?:settings|policy|preferences)"
    r"|privacy (?:policy|settings|notice)|terms of (?:use|service)|do not sell my .*)\W*$"
)
_LIST_HEADER = _rx(
    r"^(?:most (?:read|popular|viewed|shared|emailed|commented)(?: articles| stories| now"
    r"| this week| today)?|related(?: articles| stories| content| coverage| posts| topics"
    r"| reading| links)?|recommended(?: for you| articles| stories| reading)?"
    r"|read (?:more|next|also)|more (?:from|on|in|stories|articles|like this|to read)\b.{0,60}"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|trending(?: now| stories)?"
    r"|top stories|editor(?:'|’)?s (?:picks|choice)|popular (?:now|articles|stories)"
    r"|also read|see also|further reading|latest (?:news|stories|articles)|what to read next"
    r"|in (?:case you missed it|other news)|don(?:'|’)t miss)\W*$"
)
_LINK = _rx(
    r"^(?:read more|read also|also read|related|see also|recommended|watch|listen)"
    r"\s*[:|»>-]\s*\S.{0,150}$"
)
_LOADING = _rx(r"^(?:loading|please wait)\b.{0,40}$")
_SHARE_WORD = (
    r"(?:share|shares|sharing|this|article|story|page|on|via|tweet|email|e-mail|mail|print"
    r"|facebook|twitter|x|linkedin|whatsapp|reddit|telegram|copy|link|url|save|saved"
    r"|bookmark|pin|pinterest|flipboard|messenger|comments?|gift|\d+)"
)
_SHARE = _rx(
    rf"^(?:share|tweet|email|print|facebook|twitter|linkedin|whatsapp|reddit"
    rf"|telegram|copy link|save|bookmark|gift (?:this )?article|\d* ?comments?)"
    rf"(?:\W+{_SHARE_WORD})*\W*$"
)
_NEWSLETTER = _rx(r"\bnewsletters?\b")
_NEWSLETTER_CONTEXT = _rx(
    r"\b(?:sign up|subscribe|inbox|get|receive|delivered|weekly|daily|free|email)\b"
)
_FURNITURE_WORD = _rx(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|skip to (?:main )?content"
    r"|back to top|menu|search|close|home|next|previous|page \d+(?: of \d+)?|show (?:more|"
    r"comments)|listen to (?:this )?(?:article|story).*|\d+ min(?:ute)?s? read|print this page"
    r"|follow us.*|share this (?:article|story)|image|photo|video|audio|updated|published)\W*$"
)
_COPYRIGHT = _rx(r"^(?:©|\(c\)\s)|\bcopyright\s+(?:©\s*)?(?:\d{4}|the)\b|all rights reserved")
_BYLINE = re.compile(
    r"^(?:By|BY)\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|al-\w+|bin))*"
    r"(?:\s*[,|]\s*[A-Z][\w .'’-]{0,40})?$"
)
_AGENCY = (
    r"(?:REUTERS|Reuters|AP(?: Photo)?(?:/[\w. ]+)?|AFP|Getty Images|Getty|EPA(?:-EFE)?|EFE"
    r"|Bloomberg(?: News)?|Sputnik|TASS|ITAR-TASS|RIA Novosti|Xinhua|Anadolu(?: Agency)?"
    r"|Shutterstock|Alamy|NurPhoto|SIPA|Sipa(?: USA)?|Corbis|(?:Kremlin |Reuters )?Pool"
    r"|Wikimedia Commons|Handout|Stringer|ZUMA(?: Press| Wire)?|Redux|Polaris|Bettmann"
    r"|UPI|Press Association|PA(?: Images| Wire)?|Abaca(?: Press)?|dpa|DPA|Imago)"
)
_CREDIT_SLASH = re.compile(rf"/\s*{_AGENCY}(?:\s*(?:/|via)\s*[\w .’'-]{{1,40}})?\s*\)?\.?$")
_CREDIT_END = re.compile(
    r"(?:\bAP Photo\b|\bGetty Images\b|\bREUTERS\b|\bAFP\b|\bTASS\b|\bEPA\b|\bXINHUA\b)"
    r"[^.!?]{0,60}$"
)
_CREDIT_START = _rx(
    r"^(?:photo(?:graph)?s?|image|picture|credit|illustration|video|courtesy)"
    r"(?: by| of| credit)?\s*[:|]|^(?:photo|image|picture)s? (?:by|courtesy of)\b"
    r"|\((?:photo|image|picture|credit)s?\b[^)]*\)\.?$|^courtesy of\b"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_CAPTION = re.compile(rf",\s+(?:{_MONTH}\s+)?(?:\d{{1,2}},?\s+)?(?:{_MONTH}\s+)?\d{{4}}\.?$")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*+]|[-–—](?=\s))\s*")
_DATE_LINE = re.compile(
    rf"^(?:(?:published|updated|posted|first published|last updated)(?: on)?:?\s+)?"
    rf"(?:\w+day,?\s+)?(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))"
    rf"(?:,?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?\W*$",
    re.IGNORECASE,
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?:\s|$)")

_SHORT = 300  # furniture lines are short; a longer line is kept unless it is a credit
_QUOTE = 250  # a pull quote is at most this long, and quotes a longer paragraph


def _furniture(line: str) -> str | None:
    """Why a (normalised, non-empty) line is page furniture, or None."""
    bare = _BULLET.sub("", line)
    n = len(bare)
    if n <= 400 and _is_credit(bare):
        return "credit"
    if n > _SHORT:
        return None
    if _LIST_HEADER.match(bare):
        return "list"
    if _PITCH.match(bare) or (n <= 200 and _PAYWALL.search(bare)):
        return "pitch"
    if _COOKIE.search(bare) and _COOKIE_CONTEXT.search(bare):
        return "cookies"
    if _CONSENT.match(bare):
        return "cookies"
    if _NEWSLETTER.search(bare) and _NEWSLETTER_CONTEXT.search(bare) and n <= 250:
        return "newsletter"
    if n <= 160 and _LINK.match(bare):
        return "link"
    if _LOADING.match(bare) or _SHARE.match(bare) or _FURNITURE_WORD.match(bare):
        return "page"
    if n <= 200 and _COPYRIGHT.search(bare):
        return "copyright"
    if n <= 80 and _BYLINE.match(bare):
        return "byline"
    if n <= 250 and _CAPTION.search(bare) and len(_SENTENCE_END.findall(bare)) <= 1:
        return "caption"
    return None


def _is_credit(line: str) -> bool:
    return bool(
        _CREDIT_SLASH.search(line) or _CREDIT_END.search(line) or _CREDIT_START.search(line)
    )


def _headline_like(line: str) -> bool:
    """A link in a list of stories: short, and no sentence of its own."""
    return len(line) <= 120 and not re.search(r"[.!?…][\"”’')\]]*$", line)


def _date_of(line: str) -> str | None:
    match = _DATE_LINE.match(line)
    if match is None or len(line) > 80:
        return None
    if match["iso"]:
        return _iso_date(match["iso"])
    month = (match["m1"] or match["m2"])[:3].lower()
    day, year = match["d1"] or match["d2"], match["y1"] or match["y2"]
    try:
        return dt.date(int(year), _MONTHS[month], int(day)).isoformat()
    except ValueError:
        return None


def _filter(raw_lines: list[str]) -> tuple[list[str], list[str], str | None]:
    """The kept lines, the dropped lines and a dateline's ISO date."""
    lines = [_line(x) for x in raw_lines]
    reasons: list[str | None] = [None] * len(lines)
    date: str | None = None
    previous: int | None = None  # the last non-blank line
    in_list = False
    seen = 0  # non-blank lines so far
    for i, line in enumerate(lines):
        if not line:
            continue
        found = _date_of(line) if seen < 8 else None  # a dateline near the top
        reason = "date" if found else _furniture(line)
        date = date or found
        if reason is None and previous is not None and reasons[previous] is not None:
            if _BULLET.match(line) and len(line) <= 200:
                reason = "continued"  # a bullet list under a pitch or a list header
            elif in_list and _headline_like(line):
                reason = "list"
        seen += 1
        in_list = reason == "list" or (in_list and reason is not None)
        reasons[i] = reason
        previous = i
    # A caption is the short line right above its credit (no blank line between).
    for i in range(len(lines) - 1):
        if (
            reasons[i + 1] == "credit"
            and reasons[i] is None
            and lines[i]
            and len(lines[i]) <= _SHORT
            and not lines[i].endswith(":")
        ):
            reasons[i] = "caption"
    for i in _pull_quotes(lines, reasons):
        reasons[i] = "pull quote"
    kept = [x for x, r in zip(lines, reasons, strict=True) if x and r is None]
    dropped = [x for x, r in zip(lines, reasons, strict=True) if x and r is not None]
    return kept, dropped, date


def _pull_quotes(lines: list[str], reasons: list[str | None]) -> list[int]:
    """The short lines that repeat a passage of a longer kept line (pull quotes)."""
    body = [i for i, (x, r) in enumerate(zip(lines, reasons, strict=True)) if x and r is None]
    joined = "\n".join(lines[i] for i in body)
    starts = list(itertools.accumulate((len(lines[i]) + 1 for i in body[:-1]), initial=0))
    found = []
    for i in body:
        line = lines[i]
        quote = line.rstrip(".!?…\"”’' ")
        if len(line) > _QUOTE or len(quote) < 40:
            continue
        at = joined.find(quote)
        while at >= 0:
            host = body[bisect.bisect_right(starts, at) - 1]
            if len(lines[host]) > len(line):
                found.append(i)
                break
            at = joined.find(quote, at + 1)
    return found


_ADDRESS_LINE = re.compile(r"(?:source|url|link)\s*:\s*(\S+)", re.IGNORECASE)
# A date in an address's path: 2016/10/21, 2016/oct/21, 2021_jul_07, 2012-06-28,
# 20140213, 27-Jan-2015 (never one without its day: /2019/12/ dates no day).
_ADDRESS_DATE = re.compile(
    rf"(?<![\d])(?P<y>(?:1[89]|20)\d\d)(?P<sep>[/_-])(?P<m>\d{{1,2}}|{_MONTH})(?P=sep)"
    rf"(?P<d>\d{{1,2}})(?![\d])"
    rf"|(?<![\d])(?P<y2>(?:1[89]|20)\d\d)(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?![\d])"
    rf"|(?<![\d\w])(?P<d3>\d{{1,2}})-(?P<m3>{_MONTH})-(?P<y3>(?:1[89]|20)\d\d)(?![\d])",
    re.IGNORECASE,
)


def address_date(address: str) -> str | None:
    """The ISO date an article's address gives in its path, or None.

    News sites date their addresses (``/2016/oct/21/``, ``-20140213-story``,
    ``/27-Jan-2015/``); a date with no day, or none that exists, or one after today is
    no date.

    Examples
    --------
    >>> address_date("https://www.theguardian.com/world/2016/oct/21/duterte-ditched-the-us")
    '2016-10-21'
    >>> address_date("https://www.latimes.com/world/la-fg-wn-egypt-20140213-story.html")
    '2014-02-13'
    >>> address_date("https://www.aseantoday.com/2019/12/bangkoks-balancing-act/") is None
    True
    """
    path = address.split("://", 1)[-1].partition("/")[2]
    for match in _ADDRESS_DATE.finditer(path):
        year = match["y"] or match["y2"] or match["y3"]
        month = match["m"] or match["m2"] or match["m3"]
        day = match["d"] or match["d2"] or match["d3"]
        number = _MONTHS.get(month[:3].lower()) if month.isalpha() else int(month)
        try:
            found = dt.date(int(year), number or 0, int(day))
        except ValueError:
            continue
        if found <= dt.date.today():
            return found.isoformat()
    return None


def _pasted_address_date(lines: list[str]) -> str | None:
    """The date of a pasted ``SOURCE: <address>`` line near the top, or None."""
    for line in lines[:3]:
        labelled = _ADDRESS_LINE.fullmatch(line)
        if labelled:
            return address_date(labelled.group(1))
    return None


_TITLE_LINE = re.compile(r"(?:title|headline)\s*:\s*(\S.*)", re.IGNORECASE)


def _guess_title(kept: list[str]) -> str | None:
    """A short first line without a final stop, followed by more text, is a title; a
    pasted ``TITLE: …`` line near the top gives it outright, and a ``SOURCE: <address>``
    line is never one."""
    for line in kept[:3]:
        labelled = _TITLE_LINE.fullmatch(line)
        if labelled:
            return labelled.group(1).strip()
    kept = [line for line in kept if not _ADDRESS_LINE.fullmatch(line)]
    if len(kept) < 2:
        return None
    first = kept[0]
    words = first.split()
    if len(first) > 150 or len(words) > 20 or re.search(r"[.,;:]$", first):
        return None
    if first.endswith(("?", "!")) and len(words) > 15:
        return None
    return first


# --- sentences -------------------------------------------------------------------------

_CANDIDATE = re.compile(r"(?:[.!?]+|…|\.\.\.)[\"”’')\]]*(?=\s)")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEVER = _words(
    "mr mrs ms mx dr prof gen lt col maj capt cpt cmdr cmdt adm sgt cpl pvt gov sen rep"
    " rev fr hon amb pres supt insp det st mt ft sr jr messrs mme mlle vs v cf viz al e.g"
    " i.e approx ca c fig figs vol vols pp ch para sec nos"
)
_BEFORE_NUMBER = _words(
    "no nos jan feb mar apr jun jul aug sep sept oct nov dec p pp vol art para sec ch fig op"
)
_AMBIGUOUS = _words("bn mn m k tn trn etc inc ltd co corp bros plc llc a.m p.m u.s u.k u.n e.u no")
_OPENERS = _words(
    "the a an and but or nor so yet for in on at to of by from with without after before"
    " since until while when whenever if although though despite however meanwhile"
    " moreover indeed instead still then now thus hence also even only not no such this"
    " that these those there here it its he she they we i you his her their our my what"
    " why how who which where both each every many most some several all one two three as"
    " under over during among between against into what's it's that's"
)
_TOKEN_STOPS = frozenset("\"“‘'([")
_TOKEN_LOOKBACK = 64  # no abbreviation, initial or acronym is longer
_NEXT = re.compile(r"\s*([\"“‘'(\[]*)(\S*)")


def split_sentences(text: str) -> list[Span]:
    """The sentences of a text, each with its offsets.

    Parameters
    ----------
    text : str
        Usually the cleaned text of :func:`clean`; a line break always ends a sentence.

    Returns
    -------
    list of Span
        In order, without surrounding spaces: ``text[s.start:s.end] == s.text``; none
        longer than :data:`MAX_SENTENCE` characters (a longer run is cut, see there).

    Examples
    --------
    >>> [s.text for s in split_sentences('Gen. Smith met J. R. Doe. "Why?" he asked.')]
    ['Gen. Smith met J. R. Doe.', '"Why?" he asked.']
    >>> [s.text for s in split_sentences("It cost €10bn. The U.S. paid $2.5 bn. in aid.")]
    ['It cost €10bn.', 'The U.S. paid $2.5 bn. in aid.']
    """
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+", text):
        line, base = para.group(), para.start()
        start = 0
        for match in _CANDIDATE.finditer(line):
            if _ends_sentence(line, match):
                _add(spans, text, base + start, base + match.end())
                start = match.end()
        _add(spans, text, base + start, base + len(line))
    return spans


MAX_SENTENCE = 1000
"""The longest sentence :func:`split_sentences` gives, in characters. A run-on "sentence"
longer than this (no prose sentence is: the labelled articles' longest has 366) is cut
at its last clause break (a comma or a semicolon and a space) before the limit, else its
last space, else at the limit, so that every rule that reads a figure's sentence reads a
bounded text and an article is read in time linear in its length."""

_CUT = re.compile(r"[,;]\s")


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start <= MAX_SENTENCE:
            break
        limit = start + MAX_SENTENCE
        breaks = _CUT.finditer(text, limit - MAX_SENTENCE // 2, limit)
        cut = max((m.end() for m in breaks), default=-1)
        if cut < 0:
            space = max(text.rfind(" ", start + 1, limit), text.rfind("\t", start + 1, limit))
            cut = space if space > start else limit
        _add(spans, text, start, cut)
        start = cut
    if end > start:
        spans.append(Span(text[start:end], start, end))


def _token_before(line: str, end: int) -> str:
    """The word that ends at ``end`` (back to a space, quote or bracket), looked for in
    the last few characters only: the scan of a line stays linear however many full stops
    it has."""
    start = end
    floor = max(0, end - _TOKEN_LOOKBACK)
    while start > floor and not (line[start - 1].isspace() or line[start - 1] in _TOKEN_STOPS):
        start -= 1
    return line[start:end]


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    after = _NEXT.match(line, match.end())
    opening, word = (after.group(1), after.group(2)) if after else ("", "")
    if not word and not opening:
        return True
    first = (word or opening)[0]
    if not (first.isupper() or first.isdigit() or opening):
        return False
    if not match.group().startswith("."):
        return True  # ! ? …
    token = _token_before(line, match.start())
    low = token.lower()
    if low in _NEVER:
        return False
    if first.isdigit() and low in _BEFORE_NUMBER:
        return False
    if len(token) == 1 and token.isupper():
        return False  # an initial: "Donald J. Trump"
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token) or low in _AMBIGUOUS:
        return word.lower().strip("\"”’',;:") in _OPENERS
    return True
