"""The one way the package reads a YAML file into a pydantic model, safely.

Private to the package; it imports only the standard library, ruamel.yaml, pydantic and
:mod:`alliances.errors`. Every YAML file the package reads (scenario files, the catalogue of
wedge attempts, the table of organisations) goes through :func:`read_model`, and every
pydantic error becomes located problems through :func:`problems_from`. A :class:`Dialect`
gives the limits and the wording of a kind of file (:data:`SCENARIO` is that of scenario
files); the caller gives the exception to raise, built from the located problems.

* Only a regular file is read (checked with ``os.stat``, opened non-blocking and checked
  again with ``os.fstat``), at most ``max_bytes`` of it; the text must be UTF-8.
* Control characters other than tab, line feed and carriage return are refused.
* The YAML is read as a stream of events and built here, never by a general constructor:
  anchors, aliases, merge keys, explicit tags, a ``%YAML`` version other than 1.2, more than
  one document, complex keys, duplicate keys, nesting deeper than ``max_depth`` and more than
  ``max_nodes`` values are refused with their line, before anything large is built.
* Plain scalars follow the YAML 1.2 core schema; an integer of more than
  ``max_int_digits`` digits, a NaN and an infinity are refused with their line.
* The document is validated into the model; every problem is given with its line and its
  path in the file (``bonds[2].sides.RUS.value.high``), all at once.

The module is longer than most (about 830 lines) because it holds one concept whole: the
path from bytes to a validated model. Its parts (the reading limits and their wording in
:class:`Dialect`, the event-by-event builder that enforces them, and the location of
validation errors in the text that was read) share private structures: the commented
document with its line marks, and the dialect. Split, they would pass these back and forth
between modules that no caller uses alone.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from alliances._reading import Refusal, file_kind, read_bytes
from alliances.errors import Problem, ScenarioError

__all__ = [
    "LINE_BREAK",
    "MAX_LISTED",
    "SCENARIO",
    "STDIN",
    "Context",
    "Dialect",
    "Explain",
    "Fail",
    "FileFail",
    "Raise",
    "Relocate",
    "Text",
    "by_line",
    "check_regular",
    "decode",
    "forbidden_characters",
    "locate",
    "plain",
    "problems_from",
    "read_document",
    "read_model",
    "read_regular",
    "read_stdin",
    "stat_file",
]

M = TypeVar("M", bound=BaseModel)

MAX_LISTED = 20
"""Most problems of the YAML layer listed before reading stops."""

Fail: TypeAlias = Callable[[str, int | None], Exception]
"""Builds the caller's exception from a message and a line (or None)."""
Raise: TypeAlias = Callable[[list[Problem], str | None], Exception]
"""Builds the caller's exception from located problems and the file's name (or None)."""
FileFail: TypeAlias = Callable[[str, int | None, str], Exception]
"""Builds the caller's exception for a file that cannot be read: message, line, file."""
Relocate: TypeAlias = Callable[[tuple[Any, ...], Any], tuple[Any, ...]]
"""Rewrites a pydantic location (given the document) before it is located."""
Explain: TypeAlias = Callable[[ErrorDetails, str, str, Any], str]
"""The message of a problem, from the pydantic error, its path, the message so far and the
document."""
Context: TypeAlias = Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]] | None
"""The validation context, or a function of the plain document that gives it."""

STDIN = "-"
"""The name that :func:`read_model` reads standard input for (when asked to)."""

_SCENARIO_SIZE = "a scenario may be at most {max_bytes:,} bytes (5 MiB)"


@dataclass(frozen=True)
class Dialect:
    """The limits of a kind of file, the wording of its refusals and of its problems.

    The templates are formatted with named fields (shown in braces); a template may leave
    out any of its fields. The defaults are the wording of scenario files; another kind of
    file is ``dataclasses.replace(SCENARIO, ...)`` or a new Dialect.
    """

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 50_000
    max_int_digits: int = 30
    check_version: bool = True
    # reading the file
    cannot_read: str = "cannot read the file: {reason}"
    folder: str = "cannot read the file: it is a folder, not a scenario file"
    not_regular: str = "cannot read the file: it is {kind}; expected a regular YAML file"
    file_too_big: str = "the file is {size:,} bytes; " + _SCENARIO_SIZE
    file_grew: str = "the file grew beyond {max_bytes:,} bytes; " + _SCENARIO_SIZE
    stdin_too_big: str = "standard input holds more than {max_bytes:,} bytes; " + _SCENARIO_SIZE
    utf16: str = (
        "the text is UTF-16 or UTF-32 (it starts with such a byte-order mark); save it as UTF-8"
    )
    not_utf8: str = (
        "not valid UTF-8: byte 0x{byte:02X} at byte offset {start} ({reason}); "
        "save the file as UTF-8"
    )
    # reading the text
    forbidden: str = (
        "character U+{code:04X} at column {column} is not allowed (control characters other "
        "than tab, line feed and carriage return cannot appear in a scenario, not even quoted)"
    )
    second_document: str = "a scenario is one YAML document; a second one starts here"
    too_many_nodes: str = (
        "more than {max_nodes:,} values; a scenario is far smaller (the built-in one has "
        "about 1,300)"
    )
    alias: str = "aliases (*{anchor}) are not allowed; write the value out in full"
    anchor: str = "anchors (&{anchor}) are not allowed; write every value out in full"
    tag: str = "tags ({tag}) are not allowed; write a plain value (quote it for text)"
    collection_key: str = "a mapping key must be a plain value, not a collection"
    too_deep: str = "nested deeper than {max_depth} levels; a scenario needs far fewer"
    merge_key: str = "merge keys (<<) are not allowed; write the keys out"
    duplicate_key: str = (
        "duplicate key {key!r} (first on line {first}); a key may appear once in a mapping"
    )
    long_int: str = (
        "an integer of {digits:,} digits is too long (at most {max_int_digits}); "
        "no scenario figure needs one"
    )
    not_finite: str = (
        "{text} is not a finite number; NaN and infinities are not allowed (quote it for text)"
    )
    overflow: str = "{text:.40} is too large: it overflows to infinity"
    grouping: str = (
        "{text:.40}: an underscore in a number groups its digits in threes (1_000_000); "
        "write the number without it (or quote it for text)"
    )
    # the file and the text as a whole
    not_a_path: str | None = "expected a file path or a built-in name, got {type}"
    """None: a source that is no path raises the TypeError of ``os.fsdecode``."""
    missing: str = "no such file"
    not_text: str = "expected YAML text, got {type}"
    bytes_too_big: str | None = "the document is {size:,} bytes; " + _SCENARIO_SIZE
    """None: bytes are refused as not text."""
    text_too_big: str = "the document is {size:,} bytes (as UTF-8); " + _SCENARIO_SIZE
    not_a_mapping: str = "expected a mapping of scenario fields, got {type}"
    """Fields: ``type`` (the type's name of the document as built), ``found`` (that of its
    plain value, or "an empty document") and ``kind`` ("an empty document", "a list",
    "the text '…'" or the type's name)."""
    empty: str | None = None
    """The message for a document of nothing but blank lines and comments (None: that of
    ``not_a_mapping``)."""
    unnamed: str | None = None
    """The name of a text given without one (None: the caller's exception names it)."""
    # validation
    validate_past_values: bool = True
    """Validate despite refused values (NaN, huge integers), to list every problem."""
    too_nested: str | None = "the document is nested too deeply to be a scenario"
    """None: a RecursionError of validation propagates."""
    validator_failed: str | None = (
        "the scenario could not be validated ({error}); this is a bug in alliances, please "
        "report it with the file"
    )
    """None: an exception of a validator other than a refusal propagates."""
    union_tags: frozenset[str] = frozenset(
        {"point", "triangular", "lognormal", "uniform", "str", "int"}
    )
    """Tags pydantic adds to locations for unions; not keys of the document."""
    unknown_field: str | None = "unknown field (check its spelling and the schema)"
    required: str | None = None
    """The message of a missing field (None: pydantic's)."""
    show_input: frozenset[str] = frozenset(
        {"float_parsing", "int_parsing", "float_type", "int_type", "finite_number"}
    )
    """Error types whose message ends with ``, got`` and the value given."""
    input_width: int | None = None
    """The longest value shown after ``got`` (None: in full)."""
    skip_emptied: bool = False
    """Drop "too short" where one of the items failed (its own problem says why)."""
    root_line: bool = False
    """Give a problem that no key of the document locates the line of the document."""
    relocate: Relocate | None = None
    explain: Explain | None = None


SCENARIO = Dialect()
"""The limits and wording of scenario files (and of the catalogue of wedge attempts)."""

# YAML 1.2 core schema for plain scalars. Each is a subset of what ruamel's own 1.2
# resolver reads as non-text, so that ruamel quotes, when it dumps, every string that
# these would read as something else.
_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(
    r"(?P<sign>[-+]?)(?:0x(?P<hex>[0-9a-fA-F][0-9a-fA-F_]*)|0o(?P<oct>[0-7][0-7_]*)"
    r"|0b(?P<bin>[01][01_]*)|(?P<dec>[0-9][0-9_]*))"
)
_FLOAT = re.compile(
    r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
# Characters a file may not hold: everything but tab, the line breaks and the printable
# ranges (C0 and C1 controls, DEL, surrogates, U+FFFE and U+FFFF).
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LINE_BREAK = re.compile(r"\r\n?")
"""CRLF and CR line ends, to be replaced by LF before the text is read."""


_BLANK_LINE = re.compile(r"\s*(?:(?:---|\.\.\.)(?=\s|$)\s*)?(?:#.*)?")


def _is_blank(text: str) -> bool:
    """Whether ``text`` holds no value: only blank lines, comments and document markers."""
    return all(_BLANK_LINE.fullmatch(line) for line in text.split("\n"))


def by_line(problem: Problem) -> int:
    """Sort key of problems: their line (0 for none)."""
    return problem.line if problem.line is not None else 0


# --- reading a file ---------------------------------------------------------------------


def stat_file(name: str, fail: Fail, dialect: Dialect = SCENARIO) -> os.stat_result | None:
    """``os.stat`` of ``name``, None if there is no such file; never opens it."""
    try:
        return os.stat(name)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except ValueError:  # an embedded NUL
        reason = "the path holds a NUL character"
        raise fail(dialect.cannot_read.format(reason=reason), None) from None
    except OSError as err:
        raise fail(dialect.cannot_read.format(reason=err.strerror or err), None) from None


def check_regular(mode: int, size: int, fail: Fail, dialect: Dialect = SCENARIO) -> None:
    """Refuse anything but a regular file of at most ``dialect.max_bytes``."""
    if stat.S_ISDIR(mode):
        raise fail(dialect.folder, None)
    if not stat.S_ISREG(mode):
        kind = file_kind(mode)
        raise fail(dialect.not_regular.format(kind=kind), None)
    if size > dialect.max_bytes:
        raise fail(dialect.file_too_big.format(size=size, max_bytes=dialect.max_bytes), None)


def read_regular(name: str, fail: Fail, dialect: Dialect = SCENARIO) -> bytes:
    """The bytes of a regular file, at most ``dialect.max_bytes`` of them
    (:func:`alliances._reading.read_bytes`, worded by the dialect)."""
    d = dialect
    try:
        return read_bytes(name, d.max_bytes)
    except Refusal as refusal:
        if refusal.reason == "folder":
            message = d.folder
        elif refusal.reason == "not_regular":
            message = d.not_regular.format(kind=refusal.kind)
        elif refusal.reason == "too_big":
            message = d.file_too_big.format(size=refusal.size, max_bytes=d.max_bytes)
        elif refusal.reason == "grew":
            message = d.file_grew.format(max_bytes=d.max_bytes)
        elif refusal.reason == "missing":
            message = d.missing
        else:
            message = d.cannot_read.format(reason=refusal.detail)
        raise fail(message, None) from None


def read_stdin(fail: Fail, dialect: Dialect = SCENARIO) -> str:
    """Standard input as text, at most ``dialect.max_bytes`` of it."""
    limit = dialect.max_bytes
    stream = sys.stdin
    if stream is None:
        msg = "there is no standard input to read"
        raise fail(msg, None)
    buffer = getattr(stream, "buffer", None)
    try:
        raw = buffer.read(limit + 1) if buffer is not None else stream.read(limit + 1)
    except (OSError, ValueError) as err:
        msg = f"cannot read standard input: {err}"
        raise fail(msg, None) from None
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > limit:
        raise fail(dialect.stdin_too_big.format(max_bytes=limit), None)
    return decode(raw, fail, dialect)


def decode(data: bytes, fail: Fail, dialect: Dialect = SCENARIO) -> str:
    """UTF-8 text (a byte-order mark is dropped later); invalid bytes with their line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(dialect.utf16, 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        start = err.start
        line = 1 + data.count(b"\n", 0, start) + data.count(b"\r", 0, start)
        line -= data.count(b"\r\n", 0, start)
        msg = dialect.not_utf8.format(byte=data[start], start=start, reason=err.reason)
        raise fail(msg, line) from None


# --- reading the text -------------------------------------------------------------------


def forbidden_characters(text: str, dialect: Dialect = SCENARIO) -> list[Problem]:
    """A problem for each forbidden character (at most MAX_LISTED), with its line."""
    problems: list[Problem] = []
    for match in _FORBIDDEN.finditer(text):
        if len(problems) == MAX_LISTED:
            break
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        msg = dialect.forbidden.format(code=ord(match.group()), column=column)
        problems.append(Problem("", msg, line))
    return problems


_NODE_EVENTS = (ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent)


class _Stop(Exception):
    """Reading stops: the document cannot be used (the problems say why)."""


_NO_KEY = object()  # a mapping waiting for its next key
_DROP = object()  # the value of a duplicate key: read, but not kept


class _Frame:
    """A mapping or sequence being built, with its path and the key awaiting a value."""

    __slots__ = ("container", "is_map", "key", "key_mark", "keys", "path")

    def __init__(self, container: Any, path: str) -> None:
        self.container = container
        self.is_map = isinstance(container, CommentedMap)
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.keys: dict[Any, int] = {}


def _join(path: str, key: Any) -> str:
    """A child's path, as :func:`locate` shows paths."""
    return f"{path}.{key}" if path else str(key)


def read_document(
    text: str, dialect: Dialect = SCENARIO
) -> tuple[Any, list[Problem], list[Problem]]:
    """Build the one document of ``text`` from its events, refusing what can hurt.

    ``text`` has LF line ends (see :data:`LINE_BREAK`). Returns the document
    (CommentedMap, CommentedSeq or a scalar, with line numbers), the problems that make it
    unusable, and the refused values (NaN, infinities, huge integers), after which
    validation may still run so that every problem is listed.
    """
    d = dialect
    refused: list[Problem] = []
    values: list[Problem] = []
    state: dict[str, Any] = {"root": None}
    stack: list[_Frame] = []

    def refuse(message: str, line: int | None, path: str = "") -> None:
        refused.append(Problem(path, message, line))
        if len(refused) >= MAX_LISTED:
            raise _Stop

    def attach(value: Any, mark: tuple[int, int]) -> None:
        if not stack:
            state["root"] = value
            return
        parent = stack[-1]
        if parent.is_map:
            key, parent.key = parent.key, _NO_KEY
            if key is not _DROP:
                parent.container[key] = value
                parent.container.lc.add_kv_line_col(key, [*parent.key_mark, *mark])
        else:
            parent.container.lc.add_idx_line_col(len(parent.container), list(mark))
            parent.container.append(value)

    nodes = 0
    documents = 0
    events = YAML(typ="safe", pure=True).parse(text)
    try:
        with contextlib.closing(events):
            for event in events:
                if isinstance(event, DocumentStartEvent):
                    documents += 1
                    line = event.start_mark.line + 1
                    if documents > 1:
                        refuse(d.second_document, line)
                        raise _Stop
                    version = getattr(event, "version", None)
                    if d.check_version and version is not None and tuple(version) != (1, 2):
                        shown = ".".join(str(v) for v in version)
                        refuse(f"only YAML 1.2 is read; remove the '%YAML {shown}' line", line)
                    continue
                if isinstance(event, MappingEndEvent | SequenceEndEvent):
                    stack.pop()
                    continue
                if not isinstance(event, _NODE_EVENTS):
                    continue  # stream and document ends
                nodes += 1
                mark = (event.start_mark.line, event.start_mark.column)
                line = mark[0] + 1
                parent = stack[-1] if stack else None
                as_key = parent is not None and parent.is_map and parent.key is _NO_KEY
                if parent is None:
                    path = ""
                elif parent.is_map:
                    path = parent.path if as_key else _join(parent.path, parent.key)
                else:
                    path = f"{parent.path}[{len(parent.container)}]"
                if nodes > d.max_nodes:
                    refuse(d.too_many_nodes.format(max_nodes=d.max_nodes), line, path)
                    raise _Stop
                anchor = getattr(event, "anchor", None)
                if isinstance(event, AliasEvent):
                    refuse(d.alias.format(anchor=anchor), line, path)
                elif anchor is not None:
                    refuse(d.anchor.format(anchor=anchor), line, path)
                tag = getattr(event, "tag", None)
                if tag is not None:
                    shown = str(tag).replace("tag:yaml.org,2002:", "!!", 1)
                    refuse(d.tag.format(tag=shown), line, path)
                if isinstance(event, MappingStartEvent | SequenceStartEvent):
                    if as_key:
                        refuse(d.collection_key, line, path)
                        raise _Stop
                    if len(stack) >= d.max_depth:
                        refuse(d.too_deep.format(max_depth=d.max_depth), line, path)
                        raise _Stop
                    container = (
                        CommentedMap() if isinstance(event, MappingStartEvent) else CommentedSeq()
                    )
                    container.lc.line, container.lc.col = mark
                    attach(container, mark)
                    stack.append(_Frame(container, path))
                    continue
                if isinstance(event, AliasEvent):
                    value: Any = None
                else:
                    value, problem = _scalar(event, d)
                    if problem is not None:
                        where = _join(path, value) if as_key else path
                        values.append(Problem(where, problem, line))
                if as_key:
                    assert parent is not None
                    key = (
                        value
                        if isinstance(value, int) and not isinstance(value, bool)
                        else str(value)
                    )
                    if (
                        isinstance(event, ScalarEvent)
                        and event.style is None
                        and event.value == "<<"
                    ):
                        refuse(d.merge_key, line, path)
                    if key in parent.keys:
                        msg = d.duplicate_key.format(key=key, first=parent.keys[key])
                        refuse(msg, line, _join(parent.path, key))
                        parent.key = _DROP
                    else:
                        parent.keys[key] = line
                        parent.key = key
                    parent.key_mark = mark
                    continue
                attach(value, mark)
    except _Stop:
        pass
    except MarkedYAMLError as err:
        mark_ = err.problem_mark or err.context_mark
        line = mark_.line + 1 if mark_ is not None else None
        refused.append(Problem("", f"not valid YAML: {err.problem or err}", line))
    except YAMLError as err:
        refused.append(Problem("", f"not valid YAML: {err}"))
    except Exception as err:  # the YAML reader failed on input it should have refused
        msg = f"not valid YAML (the reader failed: {type(err).__name__}: {err})"
        refused.append(Problem("", msg))
    return state["root"], refused, values


def _grouped_in_threes(digits: str) -> bool:
    """Whether the underscores of ``digits`` (if any) group them in threes: ``1_000``,
    not ``8_0`` (a typo that Python and YAML 1.1 would read as 80)."""
    if "_" not in digits:
        return True
    first, *rest = digits.split("_")
    return 1 <= len(first) <= 3 and all(len(group) == 3 for group in rest)


def _scalar(event: ScalarEvent, dialect: Dialect) -> tuple[Any, str | None]:
    """A scalar's value by the YAML 1.2 core schema, and why it is refused (or None)."""
    text = event.value
    if event.style is not None or not event.implicit[0]:
        return text, None  # quoted, literal or folded: text
    if _NULL.fullmatch(text):
        return None, None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE, None
    number = _INT.fullmatch(text)
    if number:
        base, digits = next(
            (b, number[g])
            for b, g in ((16, "hex"), (8, "oct"), (2, "bin"), (10, "dec"))
            if number[g]
        )
        if base == 10 and not _grouped_in_threes(digits):
            return text[:40], dialect.grouping.format(text=text)
        digits = digits.replace("_", "")
        if len(digits) > dialect.max_int_digits:
            msg = dialect.long_int.format(
                digits=len(digits), max_int_digits=dialect.max_int_digits
            )
            return text[:40], msg
        value = int(digits, base)
        return (-value if number["sign"] == "-" else value), None
    if _FLOAT.fullmatch(text):
        whole, _, rest = text.lstrip("+-").partition(".")
        if "_" in rest or not _grouped_in_threes(whole.partition("e")[0].partition("E")[0]):
            return text[:40], dialect.grouping.format(text=text)
        plain = text.replace("_", "")
        magnitude = plain.lstrip("+-").lower()
        if magnitude in (".inf", ".nan"):
            special = math.nan if magnitude == ".nan" else math.inf
            return (-special if plain.startswith("-") else special), dialect.not_finite.format(
                text=text
            )
        try:
            real = float(plain)
        except ValueError:
            return text, None
        if not math.isfinite(real):
            return real, dialect.overflow.format(text=text)
        return real, None
    return text, None  # text, including dates and times written unquoted


# --- using the document -----------------------------------------------------------------


def plain(node: Any) -> Any:
    """The document's commented containers as plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, int) else k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def locate(
    loc: tuple[Any, ...],
    document: Any,
    tags: Collection[str] = frozenset(),
    *,
    root_line: bool = False,
) -> tuple[str, int | None]:
    """The path shown to users for a pydantic location, and the line it points at.

    The tags pydantic adds to locations for validators (``function-…``) and for dict keys
    (``[key]``), and those in ``tags`` (of unions), are not keys of the document and are
    dropped from the path. With ``root_line``, a location that no key of the document
    matches points at the document's first line.
    """
    parts: list[str] = []
    node = document
    line = None
    for key in loc:
        if isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + 1
            parts.append(f"[{key}]")
            node = node[key]
        elif isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            parts.append(f".{key}")
            node = node[key]
        elif isinstance(key, str) and (
            key in tags or key == "[key]" or key.startswith("function-")
        ):
            continue
        else:
            parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
            node = None
    if line is None and root_line and isinstance(document, CommentedMap | CommentedSeq):
        line = document.lc.line + 1
    return "".join(parts).lstrip("."), line


def problems_from(
    error: ValidationError, document: Any, dialect: Dialect = SCENARIO
) -> list[Problem]:
    """The problems of a failed validation, each with its path and line in the document.

    Parameters
    ----------
    error : pydantic.ValidationError
        What validating the plain form of ``document`` raised.
    document : CommentedMap or CommentedSeq
        The document as :func:`read_document` built it (it holds the lines).
    dialect : Dialect, optional
        The wording of the kind of file: how unknown and missing fields are worded, which
        messages show the value given, the union tags to drop, and the dialect's own
        ``relocate`` and ``explain``.

    Returns
    -------
    list of Problem
        In pydantic's order.

    Examples
    --------
    >>> from pydantic import BaseModel, ValidationError
    >>> class Point(BaseModel):
    ...     x: int
    >>> document, _, _ = read_document("x: one")
    >>> try:
    ...     Point.model_validate(plain(document))
    ... except ValidationError as error:
    ...     [str(p) for p in problems_from(error, document)]
    ["line 1, x: Input should be a valid integer, unable to parse string as an integer, got 'one'"]
    """
    d = dialect
    details = error.errors(include_url=False)
    problems: list[Problem] = []
    for detail in details:
        kind = detail["type"]
        loc = tuple(detail["loc"])
        if d.skip_emptied and kind == "too_short" and _an_item_failed(loc, details):
            continue  # an item failed: its own message says why
        if d.relocate is not None:
            loc = d.relocate(loc, document)
        path, line = locate(loc, document, d.union_tags, root_line=d.root_line)
        message = detail["msg"].removeprefix("Value error, ")
        if kind == "extra_forbidden" and d.unknown_field is not None:
            message = d.unknown_field
        elif kind == "missing" and d.required is not None:
            message = d.required
        elif kind in d.show_input:
            message += f", got {_shown(detail['input'], d.input_width)}"
        if d.explain is not None:
            message = d.explain(detail, path, message, document)
        problems.append(Problem(path, message, line))
    return problems


def _an_item_failed(loc: tuple[Any, ...], details: list[ErrorDetails]) -> bool:
    """Whether another error lies inside ``loc`` (an item of the too-short collection)."""
    return any(
        len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc
        for other in details
    )


def _shown(value: Any, width: int | None) -> str:
    text = repr(value)
    return text if width is None or len(text) <= width else text[: width - 3] + "..."


def _described(value: Any) -> str:
    """What a document that is not a mapping holds, in words."""
    if value is None:
        return "an empty document"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return type(value).__name__


# --- the loader -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """YAML text to read instead of a file (str, or bytes where the dialect allows them),
    and the name shown in its problems."""

    text: Any
    file: str | None = None


def read_model(
    source: str | os.PathLike[str] | Text,
    model: type[M],
    *,
    dialect: Dialect = SCENARIO,
    context: Context = None,
    stdin: bool = False,
    otherwise: Callable[[str], M] | None = None,
    error: Raise = ScenarioError,
    file_error: FileFail | None = None,
) -> M:
    """Read a YAML file (or text) safely and validate it into ``model``.

    Parameters
    ----------
    source : str, path-like or Text
        A file's path; :data:`STDIN` (``-``) for standard input where ``stdin``; or
        :class:`Text` for text already in memory.
    model : type of pydantic.BaseModel
        What the document is validated into; its top level is a mapping.
    dialect : Dialect, optional
        The limits and the wording of the kind of file (by default a scenario file's).
    context : mapping, callable or None, optional
        The pydantic validation context, or a function of the plain document giving it.
    stdin : bool, optional
        Read standard input for ``-`` (otherwise ``-`` is a file of that name).
    otherwise : callable, optional
        Called with the path when there is no such file (a scenario's built-in names);
        without it, a missing file is refused with ``dialect.missing``.
    error : callable, optional
        Builds the exception raised from the located problems and the file's name; by
        default :class:`~alliances.errors.ScenarioError`.
    file_error : callable, optional
        Builds the exception for a file that cannot be read, from the message, the line
        and the file's name; by default ``error`` with one problem.

    Returns
    -------
    pydantic.BaseModel
        The validated ``model``.

    Raises
    ------
    Exception
        What ``error`` or ``file_error`` builds: every problem at once, each with its
        line and its path in the file (``file: N problems`` then ``line L, path: what``).

    Examples
    --------
    >>> from pydantic import BaseModel
    >>> class Point(BaseModel):
    ...     x: int
    >>> read_model(Text("x: 1"), Point)
    Point(x=1)
    >>> read_model(Text("x: one", file="point.yaml"), Point)
    Traceback (most recent call last):
    ...
    alliances.errors.ScenarioError: point.yaml: 1 problem
      line 1, x: Input should be a valid integer, unable to parse string as an integer, got 'one'
    """
    d = dialect

    def unreadable(name: str) -> Fail:
        if file_error is not None:
            return lambda message, line: file_error(message, line, name)
        return lambda message, line: error([Problem("", message, line)], name)

    if isinstance(source, Text):
        return _validated(source.text, source.file, model, d, context, error)
    if stdin and isinstance(source, str) and source == STDIN:
        text = read_stdin(unreadable("<stdin>"), d)
        return _validated(text, "<stdin>", model, d, context, error)
    if d.not_a_path is None:
        name = os.fsdecode(source)
    else:
        try:
            name = os.fsdecode(source)
        except TypeError:
            message = d.not_a_path.format(type=type(source).__name__)
            raise error([Problem("", message)], None) from None
    fail = unreadable(name)
    info = stat_file(name, fail, d)
    if info is None:
        if otherwise is not None:
            return otherwise(name)
        raise fail(d.missing, None)
    check_regular(info.st_mode, info.st_size, fail, d)
    text = decode(read_regular(name, fail, d), fail, d)
    return _validated(text, name, model, d, context, error)


def _validated(
    text: Any,
    file: str | None,
    model: type[M],
    d: Dialect,
    context: Context,
    error: Raise,
) -> M:
    """The model validated from YAML text (see :func:`read_model`)."""
    origin = file or d.unnamed

    def refuse(message: str, line: int | None = None) -> Exception:
        return error([Problem("", message, line)], origin)

    if isinstance(text, bytes | bytearray | memoryview) and d.bytes_too_big is not None:
        if len(text) > d.max_bytes:
            raise refuse(d.bytes_too_big.format(size=len(text), max_bytes=d.max_bytes))
        text = decode(bytes(text), refuse, d)
    elif not isinstance(text, str):
        raise refuse(d.not_text.format(type=type(text).__name__))
    size = (
        len(text) if len(text) * 4 <= d.max_bytes else len(text.encode("utf-8", "surrogatepass"))
    )
    if size > d.max_bytes:
        raise refuse(d.text_too_big.format(size=size, max_bytes=d.max_bytes))
    text = LINE_BREAK.sub("\n", text.removeprefix("\ufeff"))
    forbidden = forbidden_characters(text, d)
    if forbidden:
        raise error(forbidden, origin)
    document, refused, values = read_document(text, d)
    if refused or (values and not d.validate_past_values):
        raise error(sorted(refused + values, key=by_line), origin)
    if document is None and d.empty is not None and _is_blank(text):
        raise refuse(d.empty)
    if not isinstance(document, dict):
        name = type(plain(document)).__name__  # "list", not ruamel's "CommentedSeq"
        found = "an empty document" if document is None else type(plain(document)).__name__
        message = d.not_a_mapping.format(type=name, found=found, kind=_described(document))
        raise refuse(message)
    data = plain(document)
    try:
        result = model.model_validate(
            data, context=context(data) if callable(context) else context
        )
    except ValidationError as err:
        seen = {p.path for p in values}
        problems = values + [p for p in problems_from(err, document, d) if p.path not in seen]
        raise error(problems, origin) from None
    except RecursionError:  # cannot happen below max_depth; never a traceback
        if d.too_nested is None:
            raise
        raise refuse(d.too_nested) from None
    except Exception as err:  # a validator that failed other than by refusing: a bug
        if d.validator_failed is None:
            raise
        raise refuse(d.validator_failed.format(error=f"{type(err).__name__}: {err}")) from None
    if values:
        raise error(values, origin)
    return result
