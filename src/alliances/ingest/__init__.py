"""Read an article into a scenario: clean text, actors, figures, the question, a draft.

:func:`ingest` runs the steps in order, each in its own module:

==============  ====================================================================
``text``        the article's own text (HTML through trafilatura, page furniture
                dropped line by line) and its sentences
``actors``      states, leaders, governments and organisations, with their mentions
``figures``     money, shares, growth rates, years, events and hostile ties, each with
                its sentence, the actors it joins and the slot of the model it fills
``question``    divider, target and partner from the article's framing
``draft``       the scenario, every article figure citing its offsets
==============  ====================================================================

Every record keeps its evidence: offsets into the cleaned text (:mod:`._types`).
Nothing is downloaded: the gazetteer and the rules ship with the package.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alliances._yaml import STDIN, Dialect, check_regular, decode, read_regular, read_stdin
from alliances.ingest._types import Found
from alliances.scenario.model import Scenario
from alliances.typing import Store

__all__ = ["MAX_BYTES", "Ingested", "ingest", "read_article"]

MAX_BYTES = 5 * 2**20
"""The largest article read, in bytes (5 MiB), from a file, standard input or a text."""
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass
class Ingested:
    """What :func:`ingest` read (``found``), the scenario it drafted (None when the
    article names no question), the warnings and ``defaults_share``, the share of the
    variance of the flip price that the ingest defaults explain
    (:func:`alliances.ingest.draft.defaults_share`; None without a scenario)."""

    found: Found
    names: dict[str, str]
    scenario: Scenario | None = None
    warnings: list[str] = field(default_factory=list)
    defaults_share: float | None = None

    @property
    def caution(self) -> str | None:
        """One sentence when most of the variance of the price comes from the ingest
        defaults (``defaults_share`` above one half), else None."""
        if self.defaults_share is None or self.defaults_share <= 0.5:
            return None
        return (
            f"Most of the uncertainty ({self.defaults_share:.0%} of the variance) comes from "
            "ingest defaults, not from the article or the data: replace them before relying "
            "on the price."
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` object of ``alliances ingest``."""
        f = self.found
        by_actor: dict[str, list[dict[str, Any]]] = {}
        kinds: dict[str, str] = {}
        for m in f.mentions:
            by_actor.setdefault(m.actor, []).append(
                {"text": m.text, "start": m.start, "end": m.end, "via": m.via}
            )
            kinds[m.actor] = m.kind
        q = f.question
        from alliances.ingest.actors import find_parties

        roles = () if q is None else (q.divider, q.target, q.partner)
        parties = set(find_parties(f.text, f.mentions, roles))
        scenario = None
        if self.scenario is not None:
            scenario = self.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
        return {
            "question": None
            if q is None
            else {
                "divider": q.divider,
                "target": q.target,
                "partner": q.partner,
                "guessed": q.guessed,
                "reason": q.reason,
                "no_divider": q.divider is None,
                "confidence": q.confidence,
                "model": q.model,
                "given": list(q.given),
                "alternatives": [
                    {"divider": d, "target": t, "partner": p, "probability": pr}
                    for d, t, p, pr in q.alternatives
                ],
                "evidence": [asdict(e) for e in q.evidence],
            },
            "actors": [
                {
                    "id": a,
                    "name": self.names.get(a, a),
                    "kind": kinds[a],
                    "party": a in parties,
                    "mentions": ms,
                }
                for a, ms in by_actor.items()
            ],
            "figures": [_figure(x) for x in f.figures],
            "events": [asdict(e) for e in f.events],
            "negative_ties": [asdict(n) for n in f.negative_ties],
            "year": f.year,
            "title": f.title,
            "text": f.text,
            "scenario": scenario,
            "warnings": self.warnings,
            "defaults_share": self.defaults_share,
            "caution": self.caution,
        }


def _given_roles(
    roles: Mapping[str, str | None], names: Mapping[str, str]
) -> dict[str, str | None]:
    """The ``roles`` a reader gives (``{"target": "Russia", "divider": "none"}``) as the
    codes of actors the article names (``names``: code → name): a code, ``org:ID``, the
    name the article's actors table shows, or any name of a state; ``none`` (or None)
    for no divider."""
    from alliances import countries
    from alliances.errors import AlliancesError, ParameterError

    by_code = {name.lower(): code for code, name in names.items()}  # "european union"
    by_code.update({code.lower(): code for code in names})
    given: dict[str, str | None] = {}
    for role, ref in roles.items():  # a role's name is checked by find_question
        words = "" if ref is None else str(ref).strip()
        if words.lower() in ("", "none"):
            if role != "divider":
                msg = f"{role} {ref!r}: only the divider may be none (a pair drifting apart)"
                raise ParameterError(msg)
            given[role] = None
            continue
        code = by_code.get(words.lower().removeprefix("org:"))
        if code is None:
            try:
                code = by_code.get(countries.resolve(words).code.lower())
            except (AlliancesError, ValueError, TypeError):
                code = None
        if code is None:
            named = ", ".join(f"{n} ({c})" for c, n in sorted(names.items()))
            msg = f"{role} {words!r}: the article does not name it; it names {named or 'none'}"
            raise ParameterError(msg)
        if code in given.values():
            msg = (
                f"{role} {words!r}: {code} already has another role; give each role its own actor"
            )
            raise ParameterError(msg)
        given[role] = code
    return given


def _figure(figure: Any) -> dict[str, Any]:
    out = asdict(figure)
    out["between"] = list(figure.between) if figure.between else None
    return out


_ARTICLE_SIZE = "an article may be at most {max_bytes:,} bytes (5 MiB)"
_ARTICLE = Dialect(
    max_bytes=MAX_BYTES,
    cannot_read="cannot read the file: {reason}",
    folder="not a regular file but a folder; give an article as a text or HTML file",
    not_regular="not a regular file but {kind}; give an article as a text or HTML file",
    file_too_big="the file is {size:,} bytes; " + _ARTICLE_SIZE,
    file_grew="the file grew beyond {max_bytes:,} bytes; " + _ARTICLE_SIZE,
    stdin_too_big="it holds more than {max_bytes:,} bytes; " + _ARTICLE_SIZE,
    utf16="the text is UTF-16 or UTF-32 (it starts with such a byte-order mark); save it as UTF-8",
    not_utf8="not valid UTF-8: byte 0x{byte:02X} at byte offset {start:,} ({reason}); "
    "save the article as UTF-8",
)
"""The limits and wording of the reader of articles (:func:`read_article`)."""

# An argument this long, or holding a line break, is the text itself, never a file name
# (no file system takes a path of 4,096 bytes or more).
_PATH_MAX = 4096
_SUFFIXES = (
    "txt", "text", "html", "htm", "xhtml", "md", "markdown", "rst", "yaml", "yml", "json",
    "xml", "csv", "pdf", "doc", "docx", "odt", "rtf",
)  # fmt: skip
_FILE_SUFFIX = re.compile(rf"\.(?:{'|'.join(_SUFFIXES)})(?=\s*\Z)", re.IGNORECASE)
_SEPARATORS = tuple({"/", os.sep, os.altsep or "/"})
_PATH_START = re.compile(r"(?:~|\.{1,2})?[/\\]|[A-Za-z]:[/\\]")  # /, ./, ../, ~/, C:\


def read_article(source: str | os.PathLike[str]) -> tuple[str, str]:
    """The text of ``source`` and a name for it.

    ``source`` is ``-`` (standard input), a path, or the text itself, decided in this
    order:

    1. ``-`` is standard input.
    2. A name the file system has is that file: a regular file of at most 5 MiB (a
       folder, FIFO or device is refused).
    3. An argument that looks like a path but names no file is refused as "no such
       file": an empty (or blank) argument; or one line shorter than 4,096 characters
       that ends in a file suffix (``.txt``, ``.text``, ``.html``, ``.htm``, ``.xhtml``,
       ``.md``, ``.markdown``, ``.rst``, ``.yaml``, ``.yml``, ``.json``, ``.xml``,
       ``.csv``, ``.pdf``, ``.doc``, ``.docx``, ``.odt``, ``.rtf``, any case, spaces
       allowed: ``my article.txt``), that starts as a path does (``/``, ``./``, ``../``,
       ``~/``, ``C:\\``), or that holds a path separator and no whitespace
       (``articles/essay``).
    4. Anything else is the text itself: a line break, 4,096 characters or more, or a
       line with whitespace that neither ends in a file suffix nor starts as a path
       (``Russia and/or Iran signed a deal``). A single word is text too
       (``ingest("Russia")``).

    Bytes must be UTF-8 (the refusal gives the byte offset), and the article at most
    :data:`MAX_BYTES` (5 MiB) however it is given.

    Raises
    ------
    DataError
        For each refusal above; the message names the source, where and what was
        expected, and a refused file is also the error's ``file`` attribute (the
        ``file`` of the ``--json`` problem).
    """
    from alliances.errors import DataError

    if str(source) == STDIN:
        name = "standard input"
        return read_stdin(_refusal(name), _ARTICLE), name
    text = os.fspath(source)
    if not isinstance(text, str):
        msg = f"expected an article as a path or text (str), got {type(source).__name__}"
        raise TypeError(msg)
    one_line = "\n" not in text and "\r" not in text and len(text) < _PATH_MAX
    info = _stat(text) if one_line and text.strip() else None
    if info is not None:
        path = Path(text)
        fail = _refusal(str(path), file=text)
        check_regular(info.st_mode, info.st_size, fail, _ARTICLE)
        return decode(read_regular(text, fail, _ARTICLE), fail, _ARTICLE), path.name
    why = _path_like(text) if one_line or not text.strip() else None
    if why is not None:
        shown = text if text and text == text.strip() else repr(text)
        msg = (
            f"{shown}: no such file ({why}; give an existing file, - for standard input, "
            "or the text itself)"
        )
        raise DataError(msg, file=text)
    _check_size(text)
    return text, "the text given"


def _path_like(text: str) -> str | None:
    """Why the one-line argument ``text`` is a file name, or None when it is the text."""
    if not text.strip():
        return f"{'an empty' if not text else 'a blank'} argument is neither a file nor a text"
    suffix = _FILE_SUFFIX.search(text)
    if suffix is not None:
        return f"an argument ending in {suffix.group()} is read as a file name"
    if _PATH_START.match(text):
        return "an argument starting with /, ./, ../ or ~/ is read as a file name"
    if any(s in text for s in _SEPARATORS) and not any(c.isspace() for c in text):
        return "an argument with a path separator and no space is read as a file name"
    return None


def _refusal(name: str, file: str | None = None) -> Callable[[str, int | None], Exception]:
    from alliances.errors import DataError

    def fail(message: str, line: int | None) -> Exception:
        where = f", line {line:,}" if line is not None and "byte offset" in message else ""
        return DataError(f"{name}{where}: {message}", file=file)

    return fail


def _stat(text: str) -> os.stat_result | None:
    """``os.stat`` of the argument, or None when it names no file (or cannot name one)."""
    from alliances.errors import DataError

    try:
        return os.stat(text)
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL
        return None
    except OSError as error:
        if error.errno in (errno.ENAMETOOLONG, errno.EINVAL, errno.EILSEQ):
            return None  # no file can have this name: it is the text
        msg = f"{text[:200]}: cannot read the file: {error.strerror or error}"
        raise DataError(msg, file=text) from None


def _check_size(text: str) -> None:
    from alliances.errors import DataError

    # a character is at most 4 bytes in UTF-8: count the bytes only when it matters
    if len(text) * 4 > MAX_BYTES:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            msg = f"the text given is {size:,} bytes (as UTF-8); " + _ARTICLE_SIZE.format(
                max_bytes=MAX_BYTES
            )
            raise DataError(msg)


def ingest(
    source: str | os.PathLike[str],
    *,
    year: int | None = None,
    store: Store | None = None,
    ground: bool = False,
    roles: Mapping[str, str | None] | None = None,
) -> Ingested:
    """Read an article (a path, ``-`` or the text itself, as :func:`read_article` tells
    them apart) into a draft scenario.

    ``year`` dates relative years ("last year") and the scenario; without it the page's
    metadata, else the latest year the text mentions. With ``ground`` and a ``store``
    (a connection or a path), what the article does not price is drafted from the world
    data (:func:`alliances.studies.drafting.draft`). ``roles`` tells the reader some of
    the question's roles (``{"target": "Russia", "partner": "Iran"}``, ``"divider":
    "none"`` for a pair drifting apart): the question is then the role model's most
    probable triple that keeps them; an actor the article does not name, or a triple no
    reading allows, is a :class:`~alliances.errors.ParameterError`.
    """
    from alliances.errors import DataError
    from alliances.ingest.actors import find_actors
    from alliances.ingest.figures import find_events, find_figures, find_negative_ties
    from alliances.ingest.text import clean

    raw, name = read_article(source)
    cleaned = clean(raw)
    text = cleaned.text
    warnings: list[str] = []
    if year is None and cleaned.date:
        year = int(cleaned.date[:4])
    if year is None:
        years = [int(y) for y in _YEAR.findall(text) if int(y) <= dt.date.today().year]
        year = max(years) if years else None
        if year is not None:
            warnings.append(f"dated {year}, the latest year the text mentions (give --year)")
    mentions = find_actors(text, year=year)
    found = Found(text=text, mentions=mentions, year=year, title=cleaned.title)
    try:
        found.figures = find_figures(text, mentions, year=year)
    except DataError as error:  # an amount that overflows: say which article
        msg = f"{name}: {error}"
        raise DataError(msg) from None
    found.events = find_events(text, mentions, year=year)
    found.negative_ties = find_negative_ties(text, mentions)
    con = None
    if ground and store is not None:
        import duckdb

        from alliances.world import connect

        con = store if isinstance(store, duckdb.DuckDBPyConnection) else connect(store)
    try:
        return _read_question(found, cleaned, name, year, warnings, con, roles or {})
    finally:
        if con is not None and con is not store:
            con.close()


def _read_question(
    found: Found,
    cleaned: Any,
    name: str,
    year: int | None,
    warnings: list[str],
    con: Any,
    roles: Mapping[str, str | None],
) -> Ingested:
    """The question of ``found`` (with the world data's ties when ``con`` is a store, and
    the ``roles`` the reader was given) and the scenario drafted from it."""
    from alliances.ingest.actors import actor_names
    from alliances.ingest.draft import defaults_share, to_scenario
    from alliances.ingest.question import find_question
    from alliances.ingest.ties import world_ties

    text, mentions = found.text, found.mentions
    names = actor_names(mentions)
    given = _given_roles(roles, names)
    ties = None if con is None else world_ties(con, mentions, year)
    found.question = find_question(
        text, mentions, title=cleaned.title, year=year, ties=ties, given=given
    )
    result = Ingested(found, names, warnings=warnings)
    if found.question is None:
        warnings.append("no wedge question found: no scenario drafted")
        return result
    if found.question.guessed:
        warnings.append(f"the question is a guess: {found.question.reason}")
    if found.question.divider is None:
        q = found.question
        warnings.append(
            f"no divider named: the article is about {q.target} drifting from {q.partner}, "
            "and no state pulling; no scenario drafted (a wedge question needs a divider)"
        )
        return result
    if year is None:
        warnings.append("the article gives no year: no scenario drafted (give --year)")
        return result
    citation = cleaned.title or name
    slug = re.sub(r"[^a-z0-9]+", "-", (cleaned.title or name).lower()).strip("-")[:60]
    scenario, notes = to_scenario(
        found,
        names=names,
        year=year,
        citation=citation,
        scenario_id=f"ingest-{slug or 'article'}",
        con=con,
    )
    result.scenario = scenario
    result.defaults_share = defaults_share(scenario)
    warnings.extend(notes)
    return result
