"""Files the user keeps: checked before any work starts, written atomically.

One place for the two promises every writer of :mod:`alliances` makes:

* an output path is checked before the work that fills it starts (its folder exists, is a
  folder and is writable; the path itself is not a folder), so a long computation never
  ends in "no such directory";
* an output path that exists and is not a regular file (a named pipe, a device such as
  ``/dev/null``, a socket) is refused, never replaced by a regular file;
* a file is written to a temporary file in the same folder, flushed and ``fsync``-ed,
  then renamed over the target, so a crash, a kill or a full disk leaves either the old
  file or the new one, never a partial or empty one.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alliances._reading import file_kind
from alliances.errors import OutputError

__all__ = [
    "atomic_path",
    "atomic_write",
    "check_output",
    "json_ready",
    "remove_temporaries",
    "temporary",
    "temporary_prefix",
]

# Working files of this process, removed by `remove_temporaries` when a signal ends it:
# a SIGTERM can arrive inside a C extension that swallows the exception a Python handler
# raises, so cleaning up cannot rely on `finally` blocks alone.
_TEMPORARIES: set[Path] = set()


@contextlib.contextmanager
def temporary(*paths: Path) -> Iterator[None]:
    """Register working files for the block; they are deleted when it ends, however."""
    _TEMPORARIES.update(paths)
    try:
        yield
    finally:
        for path in paths:
            _TEMPORARIES.discard(path)
            path.unlink(missing_ok=True)


def remove_temporaries() -> None:
    """Delete every registered working file (called by the command line's signal handler)."""
    for path in list(_TEMPORARIES):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def check_output(
    path: str | os.PathLike[str], *, folder: bool = False, suffixes: tuple[str, ...] = ()
) -> Path:
    """Check that ``path`` can be written, before any work; return it as a :class:`Path`.

    With ``folder=True`` the path is a folder that will be created if missing (its parent
    must then exist); with ``suffixes``, a file name must end in one of them (a report
    written as ``report.pdf`` would be HTML under a name that says otherwise). Raises
    :class:`~alliances.errors.OutputError` naming the path and what is wrong with it.
    """
    target = Path(path).expanduser()
    if folder:
        if target.exists() and not target.is_dir():
            msg = f"{target}: expected a folder for the output, found a file"
            raise OutputError(msg)
        parent = target if target.is_dir() else target.parent
    else:
        if target.is_dir():
            msg = f"{target}: is a folder; expected a file name to write"
            raise OutputError(msg)
        if suffixes and target.suffix.lower() not in suffixes:
            msg = f"{target}: expected a file name ending in {' or '.join(suffixes)}"
            raise OutputError(msg)
        _refuse_special(target)
        parent = target.parent
    parent = parent if str(parent) else Path(".")
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        msg = f"{target}: the folder {parent} {what}; create it first or choose another path"
        raise OutputError(msg)
    if not os.access(parent, os.W_OK | os.X_OK):
        msg = f"{target}: the folder {parent} is not writable"
        raise OutputError(msg)
    return target


_NAME_KEPT = 32
"""Characters of a target's name kept in the name of its temporary file (at most 128
bytes in UTF-8), so that a file whose name is as long as the file system allows (255
bytes) still has a temporary name that fits."""


def temporary_prefix(target: Path) -> str:
    """The start of the name of a temporary file beside ``target``: a dot and the start of
    its name (``.report.html.`` for ``report.html``), short whatever the name's length.

    >>> temporary_prefix(Path("a" * 250 + ".yaml"))[:5], len(temporary_prefix(Path("a" * 250)))
    ('.aaaa', 34)
    """
    return f".{target.name[:_NAME_KEPT]}."


def _refuse_special(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (a FIFO, a device, a socket).

    A file is written beside its target and renamed over it, which would replace a named
    pipe or ``/dev/null`` with a regular file: such a target is refused instead, before any
    work (the command's standard output serves a pipe: leave out ``-o`` where it prints).
    """
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):  # missing (to be created), or a path that cannot exist
        return
    if not stat.S_ISREG(mode):
        msg = (
            f"{target}: is {file_kind(mode)}, not a regular file; alliances writes its files "
            "whole and renames them into place, which would replace it: name a regular file"
        )
        raise OutputError(msg)


def _mode_of_new_file() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over it when the block ends without error.

    For writers that take a file name (DuckDB's ``COPY``, matplotlib). The temporary file
    is removed on any error, and an ``OSError`` (a full disk, a read-only folder) becomes
    an :class:`~alliances.errors.OutputError` naming the target.
    """
    target = check_output(path)
    try:
        fd, name = tempfile.mkstemp(
            dir=target.parent, prefix=temporary_prefix(target), suffix=".tmp"
        )
    except OSError as error:
        raise _output_error(target, error) from None
    os.close(fd)
    tmp = Path(name)
    with temporary(tmp):
        try:
            yield tmp
            os.chmod(tmp, _mode_of_new_file())
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
            _fsync_folder(target.parent)
        except OSError as error:
            raise _output_error(target, error) from None


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically; return the path.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", "hello").read_text()
    'hello'
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    return Path(path).expanduser()


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk (POSIX).
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _output_error(target: Path, error: OSError) -> OutputError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full; free some space and run again (the old file, if any, is kept)"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "permission denied (the folder or the file is read-only)"
    else:
        reason = error.strerror or str(error)
    return OutputError(f"{target}: cannot write: {reason}")


def json_ready(value: Any) -> Any:
    """``value`` with NumPy scalars as Python numbers and NaN, ±inf or pandas' ``NA`` as
    ``None``.

    Containers (dict, list, tuple) are converted recursively, so that :func:`json.dumps`
    never writes the non-standard ``NaN`` or ``Infinity``.

    >>> json_ready({"a": float("nan"), "b": [1.5, float("inf")]})
    {'a': None, 'b': [1.5, None]}
    """
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if type(value).__name__ == "NAType":  # pandas.NA, without importing pandas here
        return None
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
