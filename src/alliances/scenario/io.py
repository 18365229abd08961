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
  or time written unquoted (``2017-01-01``) is read as the text it is. A boolean is never
  a number: ``high: true`` or ``year: false`` is refused at its line ("got the boolean
  true").
* An empty file, or one of only comments, is refused as empty.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path
from typing import Any

from pydantic_core import ErrorDetails
from ruamel.yaml import YAML

from alliances import _yaml
from alliances._files import atomic_write
from alliances._yaml import Text, read_model
from alliances.errors import Problem, ScenarioError
from alliances.scenario import builtin
from alliances.scenario.model import Scenario
from alliances.scenario.quantity import PARAMETERS

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
STDIN = _yaml.STDIN
"""The name :func:`load` reads standard input for."""


_FORMS = (
    "a point 'value', or 'low'/'high' (uniform), 'low'/'mode'/'high' (triangular) or "
    "'median'/'p90' (lognormal)"
)
_DISTRIBUTIONS = {
    "triangular": "low, mode, high",
    "lognormal": "median, p90",
    "uniform": "low, high",
}


def _explain(detail: ErrorDetails, path: str, message: str, document: Any) -> str:
    """A parameter of another form of quantity (``value`` with ``low``) says to choose one."""
    loc = detail["loc"]
    if detail["type"] != "extra_forbidden" or len(loc) < 2 or loc[-1] not in PARAMETERS:
        return message
    tag, name = loc[-2], loc[-1]
    if tag == "point":
        return f"'{name}' and 'value' are two forms of a quantity; choose one: {_FORMS}"
    if tag in _DISTRIBUTIONS:
        return (
            f"'{name}' is not a parameter of a {tag} quantity ({_DISTRIBUTIONS[tag]}); "
            f"choose one form: {_FORMS}"
        )
    return message


_DIALECT = dataclasses.replace(
    _yaml.SCENARIO,
    empty=(
        "the file is empty (it holds only blank lines or comments); a scenario file is a "
        "mapping of scenario fields: id, title, year, actors, bonds, question, …"
    ),
    explain=_explain,
)
"""The wording of scenario files: that of :data:`alliances._yaml.SCENARIO` (which the
catalogue of wedge attempts shares), with an empty file and the forms of a quantity."""


def builtin_names() -> list[str]:
    """Names of the scenarios that ship with the package."""
    return builtin.names()


def load_builtin(name: str) -> Scenario:
    """Load and validate a scenario that ships with the package, by its name.

    The built-in scenarios are YAML files in :mod:`alliances.scenario.builtin`
    (``russia-iran-2017``: could the United States pull Russia away from Iran in 2017?),
    read and validated as :func:`parse_yaml` reads any scenario.

    Parameters
    ----------
    name : str
        The scenario's name, one of :func:`builtin_names` (``alliances scenario list``).

    Returns
    -------
    Scenario
        The validated scenario (:class:`~alliances.scenario.model.Scenario`).

    Raises
    ------
    alliances.errors.ScenarioError
        If ``name`` is not a built-in scenario; the message lists the built-ins.

    See Also
    --------
    load : a built-in name, a YAML file or standard input.

    Examples
    --------
    >>> from alliances.scenario import builtin_names, load_builtin
    >>> builtin_names()
    ['russia-iran-2017']
    >>> s = load_builtin("russia-iran-2017")
    >>> s.year, s.question.divider, s.question.target, s.question.partner
    (2017, 'USA', 'RUS', 'IRN')
    >>> load_builtin("russia-iran-2071")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    alliances.errors.ScenarioError: russia-iran-2071: 1 problem
      (top level): no built-in scenario 'russia-iran-2071'; expected one of: ...
    """
    if name not in builtin_names():
        msg = f"no built-in scenario {name!r}; expected one of: {', '.join(builtin_names())}"
        raise ScenarioError([Problem("", msg)], file=str(name))
    return parse_yaml(builtin.text(name), file=f"<built-in {name}>")


def load(source: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a built-in name, a YAML file path, or ``-`` (standard input).

    The YAML is read safely (see the module: no aliases, tags or oversized input) and
    validated against the scenario schema (``alliances scenario schema``); every problem
    is reported at once, with its line and its path inside the document. Only a regular
    file of at most :data:`MAX_BYTES` is read; a folder, FIFO, device or socket is refused
    without being opened for reading (so nothing blocks). A path that names no file is
    looked up among the built-in scenarios (:func:`load_builtin`).

    Parameters
    ----------
    source : str or path
        A YAML file, the name of a built-in scenario (:func:`builtin_names`), or ``-`` for
        standard input (read under the same cap). A file named ``-`` is read as ``./-``.

    Returns
    -------
    Scenario
        The validated scenario (:class:`~alliances.scenario.model.Scenario`).

    Raises
    ------
    alliances.errors.ScenarioError
        If ``source`` is neither a readable scenario file nor a built-in name, or the
        document does not validate: ``problems`` lists each problem with its line.

    See Also
    --------
    parse_yaml : the same from YAML text.
    save : write a scenario that :func:`load` reads back.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from alliances.scenario import load, save
    >>> s = load("russia-iran-2017")  # a built-in name
    >>> s.id, s.year
    ('russia-iran-2017', 2017)
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = save(s, Path(folder.name) / "copy.yaml")
    >>> load(path) == s  # a file written by save reads back equal
    True
    >>> bad = Path(folder.name) / "bad.yaml"
    >>> _ = bad.write_text("id: x\\nyear: true\\n")
    >>> load(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    alliances.errors.ScenarioError: .../bad.yaml: 4 problems
      title: Field required
      line 2, year: Input should be a valid integer, got the boolean true
      actors: Field required
      question: Field required
    >>> folder.cleanup()
    """
    return read_model(source, Scenario, dialect=_DIALECT, stdin=True, otherwise=_built_in)


def _built_in(name: str) -> Scenario:
    """The built-in scenario ``name``, for a path that names no file."""
    if name in builtin_names():
        return load_builtin(name)
    msg = f"no such file, and not a built-in scenario (built-ins: {', '.join(builtin_names())})"
    raise ScenarioError([Problem("", msg)], file=name)


def parse_yaml(text: str, file: str | None = None) -> Scenario:
    """Validate a scenario from YAML text, reporting every problem with its line.

    ``text`` may also be bytes (decoded as UTF-8). See the module docstring for what is
    refused; every refusal is a :class:`~alliances.errors.ScenarioError` naming ``file``.
    """
    return read_model(Text(text, file), Scenario, dialect=_DIALECT)


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
