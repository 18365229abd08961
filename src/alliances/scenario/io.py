"""Reading and writing scenario files (YAML), and the built-in scenarios.

Errors name the file, the line, the path inside the document (``bonds[2].sides.RUS
.value.high``) and what was expected, for every problem at once. Files are written to a
temporary file in the same folder and renamed over the target, so an interrupted save
never leaves a half-written scenario.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from alliances.errors import Problem, ScenarioError
from alliances.scenario.model import Scenario

__all__ = [
    "builtin_names",
    "dump_yaml",
    "json_schema",
    "load",
    "load_builtin",
    "parse_yaml",
    "save",
]

_BUILTIN = "alliances.scenario.builtin"
# Tags pydantic adds to error locations for unions and validators; they are not keys
# of the document and are dropped from the paths we show.
_UNION_TAGS = {"point", "triangular", "lognormal", "uniform", "str", "int"}


def builtin_names() -> list[str]:
    """Names of the scenarios that ship with the package."""
    files = resources.files(_BUILTIN).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def load_builtin(name: str) -> Scenario:
    """Load a built-in scenario by name (see :func:`builtin_names`)."""
    if name not in builtin_names():
        msg = f"no built-in scenario {name!r}; expected one of: {', '.join(builtin_names())}"
        raise ScenarioError([Problem("", msg)], file=name)
    text = resources.files(_BUILTIN).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse_yaml(text, file=f"<built-in {name}>")


def load(source: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a built-in name or a YAML file path."""
    path = Path(source)
    if str(source) in builtin_names() and not path.exists():
        return load_builtin(str(source))
    if not path.exists():
        msg = (
            f"no such file, and not a built-in scenario (built-ins: {', '.join(builtin_names())})"
        )
        raise ScenarioError([Problem("", msg)], file=str(source))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        problem = Problem("", f"cannot read the file: {err}")
        raise ScenarioError([problem], file=str(path)) from None
    return parse_yaml(text, file=str(path))


def parse_yaml(text: str, file: str | None = None) -> Scenario:
    """Validate a scenario from YAML text, reporting every problem with its line."""
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        problem = Problem("", f"not valid YAML: {err.problem}", line)
        raise ScenarioError([problem], file=file) from None
    if not isinstance(data, dict):
        problem = Problem("", f"expected a mapping of scenario fields, got {type(data).__name__}")
        raise ScenarioError([problem], file=file)
    try:
        return Scenario.model_validate(_plain(data))
    except ValidationError as err:
        raise ScenarioError(_problems(err, data), file=file) from None


def dump_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`parse_yaml` reads back to an equal scenario."""
    data = scenario.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
    )
    data = {"schema_version": scenario.schema_version, **data}
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def save(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write the scenario to ``path`` atomically (temporary file, then rename)."""
    target = Path(path)
    text = dump_yaml(scenario)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file 0600; give it the mode an ordinary write would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def json_schema() -> str:
    """The published JSON Schema of scenario files."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "alliances scenario"
    return json.dumps(schema, indent=2, ensure_ascii=False)


def _plain(node: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
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
        if detail["type"] in {"float_parsing", "int_parsing", "float_type", "int_type"}:
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
