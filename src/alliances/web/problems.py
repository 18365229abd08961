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
from collections.abc import Callable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from alliances._yaml import LINE_BREAK, SCENARIO, read_document
from alliances.errors import AlliancesError

__all__ = ["Refused", "line_of", "problem", "problems", "redacted", "relocated"]


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


def line_of(document: Any, path: str) -> int | None:
    r"""The line of ``path`` (``bonds[0].sides.RUS.value``) in a document as
    :func:`~alliances._yaml.read_document` builds it, or None if it has no such path.

    A key may hold dots: at each mapping the longest key that the path goes on with is
    taken.

    Examples
    --------
    >>> document, _, _ = read_document("a:\n  b: [1, 2]\n  c.d:\n    - x: 1\n")
    >>> [line_of(document, p) for p in ("a.b", "a.c.d[0].x", "a.e", "a.b[5]", "")]
    [2, 4, None, None, None]
    """
    node, rest, line = document, path, None
    while rest:
        if isinstance(node, CommentedSeq):
            index = re.match(r"\[(\d+)\]", rest)
            if index is None or int(index[1]) >= len(node):
                return None
            line = node.lc.item(int(index[1]))[0] + 1
            node, rest = node[int(index[1])], rest[index.end() :]
        elif isinstance(node, CommentedMap):
            rest = rest.removeprefix(".")
            keys = [
                k
                for k in node
                if isinstance(k, str) and rest.startswith(k) and rest[len(k) : len(k) + 1] in ".["
            ]
            if not keys:
                return None
            key = max(keys, key=len)
            line = node.lc.key(key)[0] + 1
            node, rest = node[key], rest[len(key) :]
        else:
            return None
    return line


def relocated(
    listed: list[dict[str, Any]],
    text: str,
    original: Callable[[str], str | None] | None = None,
) -> list[dict[str, Any]]:
    """``listed`` with each line that of its path in ``text``, the text the page shows.

    For problems found in a text laid out otherwise (a scenario changed by the workbench
    and written out again): each problem's line becomes the line of its path in
    ``text``, or None where ``text`` has no such path (a value it leaves out, an item
    added), never a line of another text. ``original`` gives, for a path of the changed
    scenario, the same place in ``text`` (items removed move the others up), or None.
    """
    try:
        document, _, _ = read_document(LINE_BREAK.sub("\n", text.removeprefix("\ufeff")))
    except Exception:  # a text the page sent, read before: never expected
        document = None
    shown = []
    for p in listed:
        path = original(p["path"]) if original is not None and p["path"] else p["path"]
        line = line_of(document, path) if path else None
        shown.append({**p, "line": line})
    return shown
