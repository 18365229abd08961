"""The manifest of a sweep folder: what was asked, on which data, and which shards are done.

``DIR/_manifest.json`` holds, for each kind of sweep in the folder (``wedge``,
``align``), the command, the version of alliances, the parameters, the SHA-256 of every
dataset of the store and, for each finished shard, its file, rows and SHA-256. Only the
process that runs the sweep writes it, atomically, after each shard; a shard counts as
done only if the manifest lists it and its file has the listed SHA-256, so a shard
killed mid-write, deleted or corrupted is computed again.

The name starts with ``_`` so that Parquet readers (pyarrow's dataset discovery, hence
``pd.read_parquet(DIR)``) skip it. Folders written before it had that name hold
``DIR/manifest.json``: it is read when there is no ``_manifest.json``, and the first
save of a resumed sweep moves it to the new name.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alliances import __version__
from alliances._files import atomic_write
from alliances.errors import DataError, ParameterError

__all__ = ["SCHEMA_VERSION", "Manifest", "find"]

SCHEMA_VERSION = 1
NAME = "_manifest.json"
OLD_NAME = "manifest.json"  # the name before; still read, the next save replaces it


@dataclass
class Manifest:
    """The manifest of the folder ``root``; :meth:`load` reads it, :meth:`save` writes it."""

    root: Path
    sweeps: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: str | os.PathLike[str]) -> Manifest:
        """The manifest of ``root``, empty if the folder has none."""
        folder = Path(root)
        path = find(folder)
        if path is None:
            return cls(folder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            msg = f"{path}: not a readable sweep manifest ({error}); move it away to start over"
            raise DataError(msg) from None
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
            msg = (
                f"{path}: expected a sweep manifest with schema_version {SCHEMA_VERSION}, "
                f"found {data.get('schema_version') if isinstance(data, dict) else data!r}"
            )
            raise DataError(msg)
        sweeps = data.get("sweeps", {})
        fields = ("params", "data", "shards")
        if not isinstance(sweeps, dict) or not all(
            isinstance(entry, dict) and all(isinstance(entry.get(f), dict) for f in fields)
            for entry in sweeps.values()
        ):
            msg = (
                f"{path}: expected 'sweeps' to map each kind of sweep to its params, data and "
                "shards; the file was changed by hand? Move it away to start over"
            )
            raise DataError(msg)
        return cls(folder, dict(sweeps))

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

    def files(self, kind: str) -> list[tuple[int, Path]]:
        """The year and file of each finished shard of ``kind``, in the order of their keys."""
        shards = self.sweeps.get(kind, {}).get("shards", {})
        return [(_order(k)[0], self.root / shards[k]["file"]) for k in sorted(shards, key=_order)]


def find(root: str | os.PathLike[str]) -> Path | None:
    """The manifest file of the folder ``root``: ``_manifest.json``, else the
    ``manifest.json`` of a folder written before the rename, else None."""
    for name in (NAME, OLD_NAME):
        path = Path(root) / name
        if path.is_file():
            return path
    return None


def _order(key: str) -> tuple[int, int]:
    _, year, part = key.rsplit("-", 2)
    return int(year), int(part)
