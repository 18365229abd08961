"""Reading and writing scenario files (YAML), and the built-in scenarios.

Errors name the file, the line, the path inside the document (``bonds[2].sides.RUS
.value.high``) and what was expected, for every problem at once. Files are written to a
temporary file in the same folder and renamed over the target, so an interrupted save
never leaves a half-written scenario.

**A scenario file cannot hurt.** Whatever a file holds, :func:`load` and
:func:`parse_yaml` either return a :class:`~alliances.scenario.model.Scenario` or raise
:class:`~alliances.errors.ScenarioError`, in bounded time and memory:

* :func:`load` reads only a regular file of at most ``MAX_BYTES`` (5 MiB), checked with
  ``os.stat`` before it is opened (and opened non-blocking), so a FIFO, a device or a
  folder is refused without blocking; ``-`` reads standard input under the same cap.
* The text must be UTF-8 (a byte-order mark and CRLF line ends are fine); an invalid
  byte is reported with its offset and line. Control characters other than tab, line
  feed and carriage return are refused with their line.
* The YAML is read as a stream of events and built here, never by a general
  constructor: anchors and aliases (``&a``, ``*a``, hence the "billion laughs"), merge
  keys (``<<``), explicit tags (``!!python/…``, ``!!float``, ``!!binary``, ``!foo``, …),
  a ``%YAML`` version other than 1.2, more than one document, complex mapping keys,
  duplicate keys, nesting deeper than ``MAX_DEPTH`` and more than ``MAX_NODES`` values
  are refused with their line, before anything large is built.
* Plain scalars follow the YAML 1.2 core schema (null, booleans, integers, floats);
  an integer with more than ``MAX_INT_DIGITS`` digits and a NaN or an infinity
  (``.nan``, ``.inf``, or ``1e309``, which overflows) are refused with their line. A date
  or time written unquoted (``2017-01-01``) is read as the text it is.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import stat
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
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

from alliances._files import atomic_write
from alliances.errors import Problem, ScenarioError
from alliances.scenario import builtin
from alliances.scenario.model import Scenario

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "STDIN",
    "builtin_names",
    "dump_data",
    "dump_yaml",
    "json_schema",
    "load",
    "load_builtin",
    "parse_yaml",
    "save",
]

MAX_BYTES = 5 * 1024 * 1024
"""Largest scenario file :func:`load` reads, in bytes (5 MiB; the built-in is ~17 KB)."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and sequences (the built-in needs 6)."""
MAX_NODES = 50_000
"""Most values (scalars, mappings, sequences) in one document (the built-in has ~1,300)."""
MAX_INT_DIGITS = 30
"""Most digits of an integer (ints beyond int64 are never a real scenario figure)."""
MAX_LISTED = 20
"""Most problems of the YAML layer listed before reading stops."""
STDIN = "-"
"""The name :func:`load` reads standard input for."""

_BUILTIN = "alliances.scenario.builtin"
# Tags pydantic adds to error locations for unions and validators; they are not keys
# of the document and are dropped from the paths we show.
_UNION_TAGS = {"point", "triangular", "lognormal", "uniform", "str", "int"}

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
# Characters a scenario may not hold: everything but tab, the line breaks and the
# printable ranges (C0 and C1 controls, DEL, surrogates, U+FFFE and U+FFFF).
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK = re.compile(r"\r\n?")


def _refuse(file: str | None, message: str, line: int | None = None, path: str = ""):
    return ScenarioError([Problem(path, message, line)], file=file)


def builtin_names() -> list[str]:
    """Names of the scenarios that ship with the package."""
    return builtin.names()


def load_builtin(name: str) -> Scenario:
    """Load a built-in scenario by name (see :func:`builtin_names`)."""
    if name not in builtin_names():
        msg = f"no built-in scenario {name!r}; expected one of: {', '.join(builtin_names())}"
        raise ScenarioError([Problem("", msg)], file=str(name))
    text = resources.files(_BUILTIN).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse_yaml(text, file=f"<built-in {name}>")


def load(source: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a built-in name, a YAML file path, or ``-`` (standard input).

    Only a regular file of at most :data:`MAX_BYTES` is read; a folder, FIFO, device or
    socket is refused without being opened for reading (so nothing blocks). A file named
    ``-`` is read as ``./-``. Every refusal is a :class:`~alliances.errors.ScenarioError`.
    """
    if isinstance(source, str) and source == STDIN:
        return parse_yaml(_read_stdin(), file="<stdin>")
    try:
        name = os.fsdecode(source)
    except TypeError:
        msg = f"expected a file path or a built-in name, got {type(source).__name__}"
        raise _refuse(None, msg) from None
    info = _stat(name)
    if info is None:
        if name in builtin_names():
            return load_builtin(name)
        msg = (
            f"no such file, and not a built-in scenario (built-ins: {', '.join(builtin_names())})"
        )
        raise _refuse(name, msg)
    _check_regular(name, info.st_mode, info.st_size)
    return parse_yaml(_decode(_read_regular(name), name), file=name)


def _stat(name: str) -> os.stat_result | None:
    """``os.stat`` of ``name``, None if there is no such file; never opens it."""
    try:
        return os.stat(name)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except ValueError:  # an embedded NUL
        raise _refuse(name, "cannot read the file: the path holds a NUL character") from None
    except OSError as err:
        raise _refuse(name, f"cannot read the file: {err.strerror or err}") from None


def _check_regular(name: str, mode: int, size: int) -> None:
    if stat.S_ISDIR(mode):
        raise _refuse(name, "cannot read the file: it is a folder, not a scenario file")
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a character device"
            if stat.S_ISCHR(mode)
            else "a block device"
            if stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        msg = f"cannot read the file: it is {kind}; expected a regular YAML file"
        raise _refuse(name, msg)
    if size > MAX_BYTES:
        raise _refuse(name, _too_big(f"the file is {size:,} bytes"))


def _too_big(what: str) -> str:
    return f"{what}; a scenario may be at most {MAX_BYTES:,} bytes (5 MiB)"


def _read_regular(name: str) -> bytes:
    """The bytes of a regular file, at most MAX_BYTES + 1 of them."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(name, flags)
    except OSError as err:
        raise _refuse(name, f"cannot read the file: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)  # what was opened, should the path have changed since
        _check_regular(name, info.st_mode, info.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise _refuse(name, f"cannot read the file: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise _refuse(name, _too_big(f"the file grew beyond {MAX_BYTES:,} bytes"))
    return b"".join(chunks)


def _read_stdin() -> str:
    """Standard input as text, at most MAX_BYTES of it."""
    file = "<stdin>"
    stream = sys.stdin
    if stream is None:
        raise _refuse(file, "there is no standard input to read")
    buffer = getattr(stream, "buffer", None)
    try:
        raw = buffer.read(MAX_BYTES + 1) if buffer is not None else stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as err:
        raise _refuse(file, f"cannot read standard input: {err}") from None
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_BYTES:
        raise _refuse(file, _too_big(f"standard input holds more than {MAX_BYTES:,} bytes"))
    return _decode(raw, file)


def _decode(data: bytes, file: str | None) -> str:
    """UTF-8 text (a byte-order mark is dropped later); invalid bytes with their line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        msg = (
            "the text is UTF-16 or UTF-32 (it starts with such a byte-order mark); "
            "save it as UTF-8"
        )
        raise _refuse(file, msg, 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        start = err.start
        line = 1 + data.count(b"\n", 0, start) + data.count(b"\r", 0, start)
        line -= data.count(b"\r\n", 0, start)
        msg = (
            f"not valid UTF-8: byte 0x{data[start]:02X} at byte offset {start} "
            f"({err.reason}); save the file as UTF-8"
        )
        raise _refuse(file, msg, line) from None


def parse_yaml(text: str, file: str | None = None) -> Scenario:
    """Validate a scenario from YAML text, reporting every problem with its line.

    ``text`` may also be bytes (decoded as UTF-8). See the module docstring for what is
    refused; every refusal is a :class:`~alliances.errors.ScenarioError` naming ``file``.
    """
    if isinstance(text, bytes | bytearray | memoryview):
        if len(text) > MAX_BYTES:
            raise _refuse(file, _too_big(f"the document is {len(text):,} bytes"))
        text = _decode(bytes(text), file)
    elif not isinstance(text, str):
        raise _refuse(file, f"expected YAML text, got {type(text).__name__}")
    size = len(text) if len(text) * 4 <= MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _refuse(file, _too_big(f"the document is {size:,} bytes (as UTF-8)"))
    text = _LINE_BREAK.sub("\n", text.removeprefix("\ufeff"))
    forbidden = _forbidden_characters(text)
    if forbidden:
        raise ScenarioError(forbidden, file=file)
    data, refused, values = _read_document(text)
    if refused:
        raise ScenarioError(sorted(refused + values, key=_by_line), file=file)
    if not isinstance(data, dict):
        problem = Problem("", f"expected a mapping of scenario fields, got {type(data).__name__}")
        raise ScenarioError([problem], file=file)
    try:
        scenario = Scenario.model_validate(_plain(data))
    except ValidationError as err:
        seen = {p.path for p in values}
        problems = values + [p for p in _problems(err, data) if p.path not in seen]
        raise ScenarioError(problems, file=file) from None
    except RecursionError:  # cannot happen below MAX_DEPTH; never a traceback
        raise _refuse(file, "the document is nested too deeply to be a scenario") from None
    except Exception as err:  # a validator that failed other than by refusing: a bug
        msg = (
            f"the scenario could not be validated ({type(err).__name__}: {err}); this is a "
            "bug in alliances, please report it with the file"
        )
        raise _refuse(file, msg) from None
    if values:
        raise ScenarioError(values, file=file)
    return scenario


def _by_line(problem: Problem) -> int:
    return problem.line if problem.line is not None else 0


def _forbidden_characters(text: str) -> list[Problem]:
    problems: list[Problem] = []
    for match in _FORBIDDEN.finditer(text):
        if len(problems) == MAX_LISTED:
            break
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        code = ord(match.group())
        msg = (
            f"character U+{code:04X} at column {column} is not allowed (control "
            "characters other than tab, line feed and carriage return cannot appear in a "
            "scenario, not even quoted)"
        )
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
    """A child's path, as :func:`_locate` shows paths."""
    return f"{path}.{key}" if path else str(key)


def _read_document(text: str) -> tuple[Any, list[Problem], list[Problem]]:
    """Build the one document of ``text`` from its events, refusing what can hurt.

    Returns the document (CommentedMap, CommentedSeq or a scalar, with line numbers),
    the problems that make it unusable, and the refused values (NaN, infinities, huge
    integers), after which validation still runs so that every problem is listed.
    """
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
                        refuse("a scenario is one YAML document; a second one starts here", line)
                        raise _Stop
                    version = getattr(event, "version", None)
                    if version is not None and tuple(version) != (1, 2):
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
                if nodes > MAX_NODES:
                    refuse(
                        f"more than {MAX_NODES:,} values; a scenario is far smaller (the "
                        "built-in one has about 1,300)",
                        line,
                        path,
                    )
                    raise _Stop
                anchor = getattr(event, "anchor", None)
                if isinstance(event, AliasEvent):
                    refuse(
                        f"aliases (*{anchor}) are not allowed; write the value out in full",
                        line,
                        path,
                    )
                elif anchor is not None:
                    refuse(
                        f"anchors (&{anchor}) are not allowed; write every value out in full",
                        line,
                        path,
                    )
                tag = getattr(event, "tag", None)
                if tag is not None:
                    shown = str(tag).replace("tag:yaml.org,2002:", "!!", 1)
                    refuse(
                        f"tags ({shown}) are not allowed; write a plain value (quote it for text)",
                        line,
                        path,
                    )
                if isinstance(event, MappingStartEvent | SequenceStartEvent):
                    if as_key:
                        refuse("a mapping key must be a plain value, not a collection", line, path)
                        raise _Stop
                    if len(stack) >= MAX_DEPTH:
                        refuse(
                            f"nested deeper than {MAX_DEPTH} levels; a scenario needs far fewer",
                            line,
                            path,
                        )
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
                    value, problem = _scalar(event)
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
                        refuse("merge keys (<<) are not allowed; write the keys out", line, path)
                    if key in parent.keys:
                        refuse(
                            f"duplicate key {key!r} (first on line {parent.keys[key]}); a key "
                            "may appear once in a mapping",
                            line,
                            _join(parent.path, key),
                        )
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


def _scalar(event: ScalarEvent) -> tuple[Any, str | None]:
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
        digits = digits.replace("_", "")
        if len(digits) > MAX_INT_DIGITS:
            msg = (
                f"an integer of {len(digits):,} digits is too long (at most {MAX_INT_DIGITS}); "
                "no scenario figure needs one"
            )
            return text[:40], msg
        value = int(digits, base)
        return (-value if number["sign"] == "-" else value), None
    if _FLOAT.fullmatch(text):
        plain = text.replace("_", "")
        magnitude = plain.lstrip("+-").lower()
        if magnitude in (".inf", ".nan"):
            special = math.nan if magnitude == ".nan" else math.inf
            return (-special if plain.startswith("-") else special), (
                f"{text} is not a finite number; NaN and infinities are not allowed "
                "(quote it for text)"
            )
        try:
            real = float(plain)
        except ValueError:
            return text, None
        if not math.isfinite(real):
            return real, f"{text[:40]} is too large: it overflows to infinity"
        return real, None
    return text, None  # text, including dates and times written unquoted


def dump_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`parse_yaml` reads back to an equal scenario."""
    data = scenario.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
    )
    return dump_data({"schema_version": scenario.schema_version, **data})


def dump_data(data: dict[str, Any]) -> str:
    """Plain data (a scenario's fields as dicts and lists) as block-style YAML text."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def save(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write the scenario to ``path`` atomically (temporary file, then rename)."""
    return atomic_write(path, dump_yaml(scenario))


def json_schema() -> str:
    """The published JSON Schema of scenario files."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "alliances scenario"
    return json.dumps(schema, indent=2, ensure_ascii=False)


def _plain(node: Any) -> Any:
    """The document's commented containers as plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, int) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _problems(error: ValidationError, document: Any) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        path, line = _locate(detail["loc"], document)
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] in {
            "float_parsing",
            "int_parsing",
            "float_type",
            "int_type",
            "finite_number",
        }:
            message += f", got {detail['input']!r}"
        elif detail["type"] == "extra_forbidden":
            message = "unknown field (check its spelling and the schema)"
        problems.append(Problem(path, message, line))
    return problems


def _locate(loc: tuple[Any, ...], document: Any) -> tuple[str, int | None]:
    """The path shown to users for a pydantic location, and the line it points at."""
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
            key in _UNION_TAGS or key == "[key]" or key.startswith("function-")
        ):
            continue
        else:
            parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
            node = None
    return "".join(parts).lstrip("."), line
