"""The manifest of a sweep folder: what was asked, on which data, and which shards are done.

``DIR/_manifest.json`` holds, for each kind of sweep in the folder (``wedge``,
``align``), the command, the version of alliances, the parameters, the SHA-256 of every
dataset of the store and, for each finished shard, its file, rows and SHA-256. Only the
process that runs the sweep writes it, atomically, after each shard; a shard counts as
done only if the manifest lists it and its file has the listed SHA-256, so a shard
killed mid-write, deleted or corrupted is computed again.

The manifest is read as untrusted input: a regular file of at most
:data:`MAX_BYTES`, UTF-8 JSON nested at most :data:`MAX_DEPTH` deep (checked before it
is parsed), with no duplicate keys and no NaN or infinity, then validated against the
schema below. Each shard's key must be ``KIND-YEAR-PART`` and its file the shard's own
(``KIND/year=YEAR/part-PART.parquet``), so no record can point outside the folder or at
another shard's file. Every problem is a :class:`~alliances.errors.DataError` naming the
file, the place (a JSON path such as ``$.sweeps.wedge.shards["wedge-2010-0"].file``) and
what was expected.

The name starts with ``_`` so that Parquet readers (pyarrow's dataset discovery, hence
``pd.read_parquet(DIR)``) skip it. Folders written before it had that name hold
``DIR/manifest.json``: it is read when there is no ``_manifest.json``, and the first
save of a resumed sweep moves it to the new name.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple, NoReturn

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alliances import __version__
from alliances._files import atomic_write
from alliances._yaml import MAX_LISTED, SCENARIO, check_regular, decode, read_regular, stat_file
from alliances.errors import DataError, ParameterError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "SCHEMA_VERSION",
    "Listed",
    "Manifest",
    "find",
    "parse",
    "shard_file",
]

SCHEMA_VERSION = 1
NAME = "_manifest.json"
OLD_NAME = "manifest.json"  # the name before; still read, the next save replaces it

MAX_BYTES = 64 * 1024 * 1024
"""The largest manifest read: about 300,000 shards (a shard's record is about 200 bytes)."""
MAX_DEPTH = 16
"""The deepest nesting read; a manifest written by alliances is 6 levels deep."""

_START_OVER = "move the file away to start the sweep over"
_DIALECT = dataclasses.replace(
    SCENARIO,
    max_bytes=MAX_BYTES,
    cannot_read="cannot read the sweep manifest: {reason}",
    folder="cannot read the sweep manifest: it is a folder, expected a JSON file",
    not_regular="cannot read the sweep manifest: it is {kind}; expected a regular JSON file",
    file_too_big="the file is {size:,} bytes; a sweep manifest may be at most {max_bytes:,} "
    f"bytes (64 MiB); {_START_OVER}",
    file_grew="the file grew beyond {max_bytes:,} bytes while it was read; a sweep manifest "
    f"may be at most {{max_bytes:,}} bytes; {_START_OVER}",
    utf16="the text is UTF-16 or UTF-32; a sweep manifest is UTF-8 JSON",
    not_utf8="not valid UTF-8: byte 0x{byte:02X} at byte offset {start} ({reason}); "
    "a sweep manifest is UTF-8 JSON",
)
# A JSON string, unrolled so that the match is linear (possessive: no backtracking).
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_KEY = re.compile(r"(?P<kind>[a-z]+)-(?P<year>[0-9]{1,4})-(?P<part>[0-9]{1,9})")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _ShardRecord(_Model):
    file: str
    rows: int = Field(ge=0)
    ok: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class _Sweep(_Model):
    command: str = ""
    version: str = ""
    params: dict[str, Any]
    data: dict[str, str]
    shards: dict[str, _ShardRecord]
    started: str | None = None
    updated: str | None = None
    planned: int | None = Field(default=None, ge=0)


class _File(_Model):
    schema_version: Literal[1]
    sweeps: dict[Literal["wedge", "align"], _Sweep] = Field(default_factory=dict)


def shard_file(kind: str, year: int, part: int) -> str:
    """The file of a shard, relative to the sweep's folder: the name
    :attr:`alliances.sweep.plan.Shard.file` gives it (a test keeps the two the same; the
    plan is not imported here, as it loads the store's modules)."""
    return f"{kind}/year={year}/part-{part}.parquet"


@dataclass
class Manifest:
    """The manifest of the folder ``root``; :meth:`load` reads it, :meth:`save` writes it.

    ``path`` is the file it was read from (None for a folder without one).
    """

    root: Path
    sweeps: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def load(cls, root: str | os.PathLike[str]) -> Manifest:
        """The manifest of ``root``, empty if the folder has none.

        Raises :class:`~alliances.errors.DataError` naming the file, the place and what
        was expected if the file is not a valid manifest (see the module).
        """
        folder = Path(root)
        path = find(folder)
        if path is None:
            return cls(folder)
        return cls(folder, parse(_read_text(path), path), path)

    def save(self) -> None:
        data = {"schema_version": SCHEMA_VERSION, "sweeps": self.sweeps}
        atomic_write(self.root / NAME, json.dumps(data, indent=1, sort_keys=True) + "\n")
        (self.root / OLD_NAME).unlink(missing_ok=True)  # its content is in NAME now

    def begin(
        self, kind: str, params: dict[str, Any], data: dict[str, str], command: str
    ) -> dict[str, Any]:
        """The record of a ``kind`` sweep with these parameters and data: the folder's
        own if it has one (refused if its parameters or data differ), else a new one."""
        entry = self.sweeps.get(kind)
        if entry is None:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            entry = {
                "command": command,
                "version": __version__,
                "params": params,
                "data": data,
                "shards": {},
                "started": now,
            }
            self.sweeps[kind] = entry
            return entry
        if entry["params"] != params:
            changed = sorted(
                k
                for k in params.keys() | entry["params"].keys()
                if params.get(k) != entry["params"].get(k)
            )
            detail = ", ".join(
                f"{k} {entry['params'].get(k)!r} there, {params.get(k)!r} now" for k in changed
            )
            msg = (
                f"{self.root}: holds a {kind} sweep with other parameters ({detail}); "
                "rerun it with the same ones to resume, or choose another --out"
            )
            raise ParameterError(msg)
        if entry["data"] != data:
            changed = sorted(
                k
                for k in data.keys() | entry["data"].keys()
                if data.get(k) != entry["data"].get(k)
            )
            msg = (
                f"{self.root}: its {kind} sweep was computed from other data (datasets "
                f"{', '.join(changed)} differ in the store); use the same store to resume, "
                "or choose another --out"
            )
            raise ParameterError(msg)
        return entry

    def done(self, kind: str, key: str) -> bool:
        """Whether shard ``key`` is listed and its file is there with the listed SHA-256."""
        from alliances.sweep.tasks import file_sha256

        record = self.sweeps.get(kind, {}).get("shards", {}).get(key)
        if record is None:
            return False
        path = self.root / record["file"]
        return path.is_file() and file_sha256(path) == record["sha256"]

    def record(self, kind: str, key: str, shard: dict[str, Any]) -> None:
        entry = self.sweeps[kind]
        entry["shards"][key] = {k: shard[k] for k in ("file", "rows", "ok", "sha256")}
        entry["updated"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.save()

    def files(self, kind: str) -> list[Listed]:
        """The finished shards of ``kind`` as the manifest lists them, in the order of
        their keys (years, then parts)."""
        shards = self.sweeps.get(kind, {}).get("shards", {})
        return [
            Listed(k, _order(k)[0], self.root / r["file"], r["sha256"], r["rows"])
            for k, r in sorted(shards.items(), key=lambda item: _order(item[0]))
        ]


class Listed(NamedTuple):
    """A finished shard as the manifest lists it."""

    key: str
    year: int
    path: Path
    sha256: str
    rows: int


def find(root: str | os.PathLike[str]) -> Path | None:
    """The manifest file of the folder ``root``: ``_manifest.json``, else the
    ``manifest.json`` of a folder written before the rename, else None."""
    for name in (NAME, OLD_NAME):
        path = Path(root) / name
        if path.is_file():
            return path
    return None


def parse(text: str, path: Path | str) -> dict[str, dict[str, Any]]:
    """The sweeps of a manifest's JSON ``text`` (read from ``path``), validated.

    Raises :class:`~alliances.errors.DataError` (``path: what``), never anything else,
    whatever the text.
    """
    depth = _depth(text)
    if depth > MAX_DEPTH:
        _refuse(path, [("$", f"nested {depth} levels deep; expected at most {MAX_DEPTH}")])
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
            parse_float=_finite,
        )
    except _Refused as error:
        _refuse(path, [("$", str(error))])
    except json.JSONDecodeError as error:
        _refuse(path, [("$", f"not JSON: {error}")])
    except (ValueError, RecursionError):  # an integer of over 4,300 digits
        _refuse(path, [("$", "holds an integer of over 4,300 digits; expected shorter ones")])
    if not isinstance(data, dict):
        _refuse(
            path, [("$", f"expected an object of schema_version and sweeps, found {_kind(data)}")]
        )
    version = data.get("schema_version")
    if type(version) is not int or version != SCHEMA_VERSION:  # not true, not 1.0
        found = "no schema_version" if version is None else _short(version)
        _refuse(path, [("$.schema_version", f"expected {SCHEMA_VERSION}, found {found}")])
    try:
        _File.model_validate(data)
    except ValidationError as error:
        _refuse(path, [(_json_path(d["loc"]), _message(d)) for d in error.errors()])
    problems = []
    for kind, entry in data.get("sweeps", {}).items():
        for key, record in entry["shards"].items():
            match = _KEY.fullmatch(key)
            if match is None or match["kind"] != kind:
                expected = f"a shard key {kind}-YEAR-PART (e.g. {kind}-2010-0)"
                where = _json_path(("sweeps", kind, "shards", key))
                problems.append((where, f"expected {expected}, found {_short(key)}"))
                continue
            own = shard_file(kind, int(match["year"]), int(match["part"]))
            if record["file"] != own:
                where = _json_path(("sweeps", kind, "shards", key, "file"))
                found = _short(record["file"])
                problems.append(
                    (
                        where,
                        f"expected {own!r}, the shard's own file inside the folder, found {found}",
                    )
                )
    if problems:
        _refuse(path, problems)
    sweeps: dict[str, dict[str, Any]] = data.get("sweeps", {})
    return sweeps


class _Refused(ValueError):
    """A JSON value the manifest may not hold (raised while the text is parsed)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            msg = f"the key {_short(key)} appears twice in one object; expected it once"
            raise _Refused(msg)
        out[key] = value
    return out


def _no_constant(name: str) -> NoReturn:
    msg = f"{name} is not a JSON number; expected finite numbers only"
    raise _Refused(msg)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        msg = f"{_short(text)} overflows to infinity; expected a finite number"
        raise _Refused(msg)
    return value


def _depth(text: str) -> int:
    """How deep the arrays and objects of JSON ``text`` nest (strings skipped), in one
    linear pass, before anything is built."""
    skeleton = _STRING.sub("", text).encode("utf-8", "surrogatepass")
    brackets = skeleton.translate(None, _NOT_BRACKETS)
    deepest = depth = 0
    for start in range(0, len(brackets), 1 << 20):  # in blocks: memory stays small
        codes = np.frombuffer(
            brackets, dtype=np.uint8, count=min(1 << 20, len(brackets) - start), offset=start
        )
        levels = depth + np.cumsum(np.where((codes == ord("[")) | (codes == ord("{")), 1, -1))
        deepest = max(deepest, int(levels.max()))
        depth = int(levels[-1])
    return deepest


def _read_text(path: Path) -> str:
    """The text of the manifest file: a regular file, bounded, UTF-8."""

    def fail(message: str, line: int | None) -> DataError:
        where = f" (line {line})" if line is not None else ""
        return DataError(f"{path}: {message}{where}; {_START_OVER}")

    name = os.fspath(path)
    info = stat_file(name, fail, _DIALECT)
    if info is None:
        raise fail(_DIALECT.missing, None)
    check_regular(info.st_mode, info.st_size, fail, _DIALECT)
    return decode(read_regular(name, fail, _DIALECT), fail, _DIALECT)


def _refuse(path: Path | str, problems: list[tuple[str, str]]) -> NoReturn:
    n = len(problems)
    lines = [f"  {where}: {what}" for where, what in problems[:MAX_LISTED]]
    if n > MAX_LISTED:
        lines.append(f"  ... and {n - MAX_LISTED} more")
    head = f"{path}: not a valid sweep manifest ({n} problem{'s' if n != 1 else ''}; "
    head += f"was it edited by hand? {_START_OVER[0].upper()}{_START_OVER[1:]}, or restore it)"
    msg = "\n".join([head, *lines])
    raise DataError(msg)


def _json_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """A pydantic location as a JSON path: ``$.sweeps.wedge.shards["wedge-2010-0"].file``."""
    parts = ["$"]
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif key == "[key]" or key.startswith("function-"):
            continue  # pydantic's tags (a dict's key, a validator), not keys of the file
        elif _IDENTIFIER.fullmatch(key):
            parts.append(f".{key}")
        else:
            parts.append(f"[{json.dumps(key)}]")
    return "".join(parts)


def _message(detail: Any) -> str:
    kind, found = detail["type"], detail.get("input")
    if kind == "missing":
        return "required; expected this key"
    if kind in ("model_type", "dict_type"):
        return f"expected an object, found {_kind(found)}"
    if kind == "extra_forbidden":
        return "unknown key; expected only the keys alliances writes"
    return f"{detail['msg']}, found {_short(found)}"


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "an array", str: "a string", type(None): "null"}
    kinds |= {bool: "true or false", int: "a number", float: "a number"}
    return kinds.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, dict | list) else _kind(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _order(key: str) -> tuple[int, int]:
    _, year, part = key.rsplit("-", 2)
    return int(year), int(part)
