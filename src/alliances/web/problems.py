"""What the workbench says is wrong with a request: refusals and problems.

Every answer that is not a result lists *problems*, each a JSON object with the path
inside the scenario (``""`` for the request as a whole), the line (or ``null``) and a
message. A request the workbench will not serve raises :class:`Refused` with the status
and the message to answer with; it is never a traceback.

Errors about a file read on the server give the path inside the document and the line,
never the file's text: :func:`problems` with ``redact`` cuts the quoted fragments out of
the parser's and the validator's messages.
"""

from __future__ import annotations

import re
from typing import Any

from alliances._yaml import SCENARIO
from alliances.errors import AlliancesError

__all__ = ["Refused", "problem", "problems", "redacted"]


class Refused(Exception):
    """A request the workbench answers with ``status`` and ``message`` (no traceback).

    Parameters
    ----------
    status : int
        The HTTP status of the answer (403, 404, 409, 422, ...).
    message : str
        The sentence shown to the person: what is wrong and what to do instead.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def problem(message: str, path: str = "", line: int | None = None) -> dict[str, Any]:
    """One problem as JSON: ``{"path": ..., "line": ..., "message": ...}``.

    Examples
    --------
    >>> problem("should be positive", "actors.0.gdp", 4)
    {'path': 'actors.0.gdp', 'line': 4, 'message': 'should be positive'}
    """
    return {"path": path, "line": line, "message": message}


def problems(error: AlliancesError, *, redact: bool = False) -> list[dict[str, Any]]:
    """The problems of an error as JSON; with ``redact``, no fragment of the document.

    ``redact`` is for files read on the server: the messages keep the path inside the
    document and the line, but anything quoted (the parser quotes the text it stumbled
    on, the validator the value it refused) is replaced by ``…``.
    """
    listed = getattr(error, "problems", None) or []
    if not listed:
        message = str(error)
        return [problem(redacted(message) if redact else message)]
    return [problem(redacted(p.message) if redact else p.message, p.path, p.line) for p in listed]


_NAMED_CONSTRUCTS = "YAML anchors, aliases and tags are not allowed; write every value out in full"
"""What a file read on the server is told for an anchor, alias or tag: not its name."""


def _names_a_construct(message: str) -> bool:
    """Whether ``message`` is the reader's refusal of an anchor, alias or tag, which
    quotes the name the file gives it (``anchors (&name) are not allowed; ...``)."""
    for template in (SCENARIO.alias, SCENARIO.anchor, SCENARIO.tag):
        head, tail = template.split("{", 1)[0], template.rsplit("}", 1)[1]
        if message.startswith(head) and message.endswith(tail):
            return True
    return False


def redacted(message: str) -> str:
    """``message`` without what it quotes, and only its first line.

    Examples
    --------
    >>> redacted("found 'secret text' where a number was expected")
    'found … where a number was expected'
    >>> redacted('an unmatched "quote and the rest')
    'an unmatched …'
    >>> redacted("anchors (&x) are not allowed; write every value out in full")
    'YAML anchors, aliases and tags are not allowed; write every value out in full'
    """
    if _names_a_construct(message):
        return _NAMED_CONSTRUCTS
    for quote in "\"'":
        message = re.sub(f"{quote}.*{quote}", "…", message, flags=re.DOTALL)
    for quote in "\"'":  # an unmatched quote: cut the rest
        if quote in message:
            message = message[: message.index(quote)] + "…"
    return message.split("\n", 1)[0]
