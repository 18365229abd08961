"""The workspace: the one folder the workbench reads and writes.

* **Files.** The workbench opens and saves only ``.yaml``/``.yml`` regular files inside
  the workspace, named by paths relative to it. Every path is resolved with ``realpath``
  first, so ``..``, absolute paths elsewhere and symbolic links that lead out of the
  workspace are refused (403), as are other suffixes, FIFOs and devices. Files larger
  than :data:`MAX_BODY` are not scenarios.
* **Saving.** ``/api/open`` answers with the ``sha256`` of the file's bytes, and
  ``/api/save`` sends it back. If the file changed on disk since (or was deleted, or
  already exists for a new file), :meth:`Workspace.save` refuses with 409 and the page
  offers to reload it or save under another name. Otherwise the new text is written to a
  temporary file beside the target and ``fsync``-ed; then the current file is hard-linked
  (or copied) to ``NAME.bak``; then the temporary file is renamed over the target. A kill
  at any moment leaves the target whole (old or new) and the previous version either as
  the target or as ``NAME.bak``. Saves are serialised by a lock in the process and an
  ``flock`` on the workspace folder, so of two saves of the same version one wins and the
  other gets 409.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alliances._files import _fsync_folder, atomic_path, temporary_prefix
from alliances._reading import Refusal, read_bytes
from alliances.errors import OutputError
from alliances.web.problems import Refused

try:  # POSIX; elsewhere saves are serialised within the process only
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["MAX_BODY", "Workspace", "sha256_hex"]

_SUFFIXES = (".yaml", ".yml")
MAX_BODY = 2 * 1024 * 1024
"""The largest request body (and scenario file) the workbench accepts, in bytes."""
_MAX_LISTED = 2000


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` in hexadecimal: the version of a file the page holds.

    Examples
    --------
    >>> sha256_hex(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


class Workspace:
    """The one folder the workbench reads and writes; paths are relative to it.

    Parameters
    ----------
    folder : str or os.PathLike
        An existing folder; an :class:`~alliances.errors.OutputError` otherwise.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        given = Path(folder).expanduser()
        if not given.exists():
            msg = f"{given}: the workspace folder does not exist; create it or choose another"
            raise OutputError(msg)
        if not given.is_dir():
            msg = f"{given}: the workspace should be a folder, found a file"
            raise OutputError(msg)
        self.root = Path(os.path.realpath(given))
        self._lock = threading.Lock()

    # paths

    def resolve(self, relative: str) -> Path:
        """The real path of ``relative``, or :class:`Refused` if it leaves the workspace."""
        if not relative or not relative.strip():
            raise Refused(422, "give the name of a .yaml file in the workspace")
        if "\x00" in relative:
            raise Refused(403, "a file name cannot contain a NUL character")
        given = Path(relative)
        if given.suffix.lower() not in _SUFFIXES:
            raise Refused(403, f"{relative!r}: only .yaml or .yml files can be opened or saved")
        real = Path(os.path.realpath(given if given.is_absolute() else self.root / given))
        if real == self.root or not real.is_relative_to(self.root):
            msg = f"{relative!r} is outside the workspace; give a path inside it"
            raise Refused(403, msg)
        if real.suffix.lower() not in _SUFFIXES:
            msg = f"{relative!r} is a link to a file that is not .yaml or .yml"
            raise Refused(403, msg)
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            return real
        except OSError:
            raise Refused(403, f"{relative!r} cannot be read") from None
        if not stat.S_ISREG(mode):
            raise Refused(403, f"{relative!r} is not a regular file")
        return real

    def relative(self, real: Path) -> str:
        """The path of ``real`` (inside the workspace) as the page names it."""
        return real.relative_to(self.root).as_posix()

    def unrooted(self, message: str) -> str:
        """``message`` with the workspace's own folder left out of the paths it names."""
        return message.replace(f"{self.root}{os.sep}", "")

    def files(self) -> tuple[list[str], bool]:
        """The YAML files in the workspace (hidden folders skipped), and whether cut short."""
        found: list[str] = []
        for folder, subfolders, names in os.walk(self.root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or Path(name).suffix.lower() not in _SUFFIXES:
                    continue
                listed = Path(folder, name)
                try:
                    real = self.resolve(str(listed))
                except Refused:
                    continue
                if real.exists():
                    found.append(listed.relative_to(self.root).as_posix())
                if len(found) >= _MAX_LISTED:
                    return sorted(found), True
        return sorted(found), False

    # reading

    def read(self, relative: str) -> tuple[Path, bytes]:
        """The real path and the bytes of a YAML file of the workspace."""
        real = self.resolve(relative)
        data = _read_regular(real, relative)
        if data is None:
            raise Refused(404, f"{relative!r}: no such file in the workspace")
        return real, data

    # saving

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            try:
                fd = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError as error:
                msg = f"cannot lock the workspace folder: {error.strerror or error}"
                raise OutputError(msg) from None
            try:
                if fcntl is not None:
                    with contextlib.suppress(OSError):  # e.g. a file system without locks
                        fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the flock

    def save(self, relative: str, text: str, sha256: str | None) -> dict[str, Any]:
        """Write ``text`` to ``relative`` if it still is the version ``sha256`` named.

        ``sha256`` is the hash of the file as the client opened it, or ``None`` for a new
        file. Raises :class:`Refused` (409) if the file changed, was deleted or already
        exists; returns the new hash and the backup's path.
        """
        target = self.resolve(relative)
        if not target.parent.is_dir():
            folder = self.relative(target.parent)
            raise Refused(404, f"the folder {folder!r} does not exist in the workspace")
        payload = text.encode("utf-8")
        name = self.relative(target)
        with self._locked():
            current = _read_regular(target, relative)
            if current is None and sha256:
                msg = f"{name!r} was deleted or renamed since you opened it"
                raise Refused(409, msg)
            if current is not None and not sha256:
                msg = f"{name!r} already exists; saving would overwrite it"
                raise Refused(409, msg)
            if current is not None and not hmac.compare_digest(
                sha256_hex(current).encode(), (sha256 or "").encode("utf-8")
            ):
                msg = f"{name!r} changed on disk since you opened it"
                raise Refused(409, msg)
            backup = target.with_name(target.name + ".bak") if current is not None else None
            if backup is not None:
                _check_backup(backup, self.relative(backup))
            with atomic_path(target) as tmp:
                with open(tmp, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                # the new version is whole on disk: only now replace the older backup
                if backup is not None:
                    _keep_as_backup(target, backup)
            # (atomic_path renamed the new version over the target and synced the folder)
        return {
            "saved": name,
            "sha256": sha256_hex(payload),
            "backup": self.relative(backup) if backup else None,
        }


def _read_regular(real: Path, shown: str) -> bytes | None:
    """The bytes of a regular file (``None`` if missing), never blocking on a FIFO nor
    following a link put in place of the resolved path (:func:`alliances._reading.read_bytes`)."""
    try:
        data = read_bytes(real, MAX_BODY, follow_links=False, what="scenario")
    except Refusal as refusal:
        if refusal.reason == "missing":
            return None
        if refusal.reason in ("too_big", "grew"):
            msg = f"{shown!r} is larger than {MAX_BODY // 2**20} MiB; not a scenario"
            raise Refused(422, msg) from None
        if refusal.reason in ("folder", "not_regular", "link"):
            raise Refused(403, f"{shown!r} is not a regular file") from None
        raise Refused(403, f"{shown!r} cannot be read") from None
    return data


def _check_backup(backup: Path, shown: str) -> None:
    """Refuse (409) before any work if the previous version cannot be kept as ``backup``."""
    try:
        name_max = os.pathconf(backup.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(backup.name)) > name_max:
        msg = (
            f"the name is too long to keep the previous version beside it as NAME.bak "
            f"(at most {name_max - 4} bytes); save under a shorter name"
        )
        raise Refused(409, msg)
    try:
        mode = os.lstat(backup).st_mode
    except FileNotFoundError:
        return
    except OSError:
        msg = f"{shown!r} (the backup) cannot be checked; nothing was saved"
        raise Refused(409, msg) from None
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        msg = (
            f"{shown!r} is {kind}; the workbench keeps the previous version there: "
            "move it away or save under another name (nothing was saved)"
        )
        raise Refused(409, msg)


def _keep_as_backup(target: Path, backup: Path) -> None:
    """Make ``backup`` a whole copy of ``target`` (a hard link if possible), atomically."""
    candidate = target.with_name(f"{temporary_prefix(target)}{secrets.token_hex(4)}.bak.tmp")
    try:
        try:
            os.link(target, candidate)
        except OSError:  # no hard links here: copy, and sync the copy
            shutil.copyfile(target, candidate)
            with open(candidate, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(candidate, backup)
        _fsync_folder(target.parent)
    finally:
        candidate.unlink(missing_ok=True)
