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

import io
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML

from alliances import _yaml
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

MAX_BYTES = _yaml.SCENARIO.max_bytes
"""Largest scenario file :func:`load` reads, in bytes (5 MiB; the built-in is ~17 KB)."""
MAX_DEPTH = _yaml.SCENARIO.max_depth
"""Deepest nesting of mappings and sequences (the built-in needs 6)."""
MAX_NODES = _yaml.SCENARIO.max_nodes
"""Most values (scalars, mappings, sequences) in one document (the built-in has ~1,300)."""
MAX_INT_DIGITS = _yaml.SCENARIO.max_int_digits
"""Most digits of an integer (ints beyond int64 are never a real scenario figure)."""
MAX_LISTED = _yaml.MAX_LISTED
"""Most problems of the YAML layer listed before reading stops."""
STDIN = "-"
"""The name :func:`load` reads standard input for."""

_BUILTIN = "alliances.scenario.builtin"
# Tags pydantic adds to error locations for unions and validators; they are not keys
# of the document and are dropped from the paths we show.
_UNION_TAGS = frozenset({"point", "triangular", "lognormal", "uniform", "str", "int"})


def _refuse(file: str | None, message: str, line: int | None = None, path: str = ""):
    return ScenarioError([Problem(path, message, line)], file=file)


def _failing(file: str | None) -> _yaml.Fail:
    """How the shared reader refuses a scenario file: a ScenarioError naming ``file``."""
    return lambda message, line: _refuse(file, message, line)


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
        return parse_yaml(_yaml.read_stdin(_failing("<stdin>")), file="<stdin>")
    try:
        name = os.fsdecode(source)
    except TypeError:
        msg = f"expected a file path or a built-in name, got {type(source).__name__}"
        raise _refuse(None, msg) from None
    fail = _failing(name)
    info = _yaml.stat_file(name, fail)
    if info is None:
        if name in builtin_names():
            return load_builtin(name)
        msg = (
            f"no such file, and not a built-in scenario (built-ins: {', '.join(builtin_names())})"
        )
        raise _refuse(name, msg)
    _yaml.check_regular(info.st_mode, info.st_size, fail)
    return parse_yaml(_yaml.decode(_yaml.read_regular(name, fail), fail), file=name)


def _too_big(what: str) -> str:
    return f"{what}; a scenario may be at most {MAX_BYTES:,} bytes (5 MiB)"


def parse_yaml(text: str, file: str | None = None) -> Scenario:
    """Validate a scenario from YAML text, reporting every problem with its line.

    ``text`` may also be bytes (decoded as UTF-8). See the module docstring for what is
    refused; every refusal is a :class:`~alliances.errors.ScenarioError` naming ``file``.
    """
    if isinstance(text, bytes | bytearray | memoryview):
        if len(text) > MAX_BYTES:
            raise _refuse(file, _too_big(f"the document is {len(text):,} bytes"))
        text = _yaml.decode(bytes(text), _failing(file))
    elif not isinstance(text, str):
        raise _refuse(file, f"expected YAML text, got {type(text).__name__}")
    size = len(text) if len(text) * 4 <= MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _refuse(file, _too_big(f"the document is {size:,} bytes (as UTF-8)"))
    text = _yaml.LINE_BREAK.sub("\n", text.removeprefix("\ufeff"))
    forbidden = _yaml.forbidden_characters(text)
    if forbidden:
        raise ScenarioError(forbidden, file=file)
    data, refused, values = _yaml.read_document(text)
    if refused:
        raise ScenarioError(sorted(refused + values, key=_yaml.by_line), file=file)
    if not isinstance(data, dict):
        problem = Problem("", f"expected a mapping of scenario fields, got {type(data).__name__}")
        raise ScenarioError([problem], file=file)
    try:
        scenario = Scenario.model_validate(_yaml.plain(data))
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


def _problems(error: ValidationError, document: Any) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        path, line = _yaml.locate(detail["loc"], document, _UNION_TAGS)
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
