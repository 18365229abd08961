"""The one bounded, streaming reader of the files a user names.

Every file of the user's that the package reads (a scenario, a ``--params`` JSON, an edge
list, a file of the workbench's workspace) goes through :func:`read_bytes`, or
:func:`read_json` for JSON:

* only a regular file is read: a folder, a device (``/dev/zero``), a socket or a named pipe
  (FIFO) is refused before a byte is read, unless the caller asks for FIFOs; the file is
  opened non-blocking, so that naming a FIFO never waits for a writer, and checked again
  with ``os.fstat`` (what was opened, should the path have changed); a caller that has
  resolved the path itself (the workbench) asks that a symbolic link be refused too, so
  that a link put in its place after the check is not followed;
* at most ``max_bytes`` are read, in chunks, so a file that grows while it is read, or a
  FIFO that never ends, is refused at the limit, never read whole into memory;
* a JSON document nested deeper than ``max_depth`` is refused before it is parsed (a
  document nested 100,000 deep would otherwise end in a RecursionError).

The errors are :class:`Refusal`, with a ``reason`` a caller can word in its own terms (the
scenario reader does) and a default message that names the file and the limit.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import stat
from typing import Any, Literal

from alliances.errors import AlliancesError, DataError

__all__ = [
    "JSON_MAX_BYTES",
    "JSON_MAX_DEPTH",
    "Refusal",
    "file_kind",
    "json_depth",
    "read_bytes",
    "read_json",
]

JSON_MAX_BYTES = 1024 * 1024
"""Largest JSON parameter file read (1 MiB; the files ``--fit`` writes are under 1 KiB)."""
JSON_MAX_DEPTH = 32
"""Deepest nesting of arrays and objects in a JSON parameter file."""

Reason = Literal["missing", "folder", "not_regular", "link", "too_big", "grew", "unreadable"]
_CHUNK = 1 << 20


class Refusal(Exception):
    """A file that was not read; ``reason`` says why, ``str()`` says it in full.

    ``kind`` is what the path is when it is not a regular file ("a named pipe (FIFO)"),
    ``size`` the size found, ``limit`` the limit it broke.
    """

    def __init__(
        self,
        message: str,
        reason: Reason,
        *,
        kind: str = "",
        size: int = 0,
        limit: int = 0,
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.kind = kind
        self.size = size
        self.limit = limit
        self.detail = detail


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words ("a regular file", "a character device")."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(
    name: str | os.PathLike[str],
    max_bytes: int,
    *,
    fifo: bool = False,
    follow_links: bool = True,
    what: str = "file",
) -> bytes:
    """The bytes of the regular file ``name``, at most ``max_bytes`` of them.

    With ``fifo=True`` a named pipe is read too (waiting for its writer), up to the same
    limit; with ``follow_links=False`` a symbolic link as the last part of ``name`` is
    refused (``O_NOFOLLOW``). Raises :class:`Refusal` naming the file, what it is and the
    limit.
    """
    path = os.fspath(name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        msg = f"{path}: no such file; expected a {what}"
        raise Refusal(msg, "missing") from None
    except IsADirectoryError:
        msg = f"{path}: is a folder; expected a {what}"
        raise Refusal(msg, "folder") from None
    except ValueError:  # an embedded NUL
        detail = "the path holds a NUL character"
        raise _unreadable(path, detail) from None
    except OSError as err:
        if err.errno == errno.ELOOP and not follow_links:
            msg = f"{path}: is a symbolic link; expected a {what} saved as a file"
            raise Refusal(msg, "link") from None
        detail = err.strerror or str(err)
        raise _unreadable(path, detail) from None
    try:
        info = os.fstat(fd)  # what was opened, should the path have changed since
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            msg = f"{path}: is a folder; expected a {what}"
            raise Refusal(msg, "folder")
        if stat.S_ISFIFO(mode) and fifo:
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        elif not stat.S_ISREG(mode):
            kind = file_kind(mode)
            msg = f"{path}: is {kind}, not a regular file; expected a {what} saved as a file"
            raise Refusal(msg, "not_regular", kind=kind)
        elif info.st_size > max_bytes:
            msg = (
                f"{path}: the file is {info.st_size:,} bytes; a {what} may be at most "
                f"{max_bytes:,} bytes"
            )
            raise Refusal(msg, "too_big", size=info.st_size, limit=max_bytes)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        detail = err.strerror or str(err)
        raise _unreadable(path, detail) from None
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
    if size > max_bytes:
        msg = f"{path}: holds more than {max_bytes:,} bytes; a {what} may be at most that"
        raise Refusal(msg, "grew", size=size, limit=max_bytes)
    return b"".join(chunks)


def _unreadable(path: str, detail: str) -> Refusal:
    return Refusal(f"{path}: cannot read: {detail}", "unreadable", detail=detail)


# A JSON string (with its escapes), and every character that is not a bracket.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in the JSON ``text`` (linear time)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def read_json(
    name: str | os.PathLike[str],
    *,
    what: str = "JSON file",
    max_bytes: int = JSON_MAX_BYTES,
    max_depth: int = JSON_MAX_DEPTH,
    error: type[AlliancesError] = DataError,
) -> Any:
    """The JSON document of the regular file ``name``, bounded in size and depth.

    Every refusal (not a regular file, too big, not UTF-8, nested too deeply, not JSON)
    is raised as ``error`` with a message naming the file and the limit.
    """
    path = os.fspath(name)
    try:
        data = read_bytes(path, max_bytes, what=what)
    except Refusal as refusal:
        raise error(str(refusal)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        msg = f"{path}: not UTF-8 text (byte 0x{data[err.start]:02X} at offset {err.start})"
        raise error(msg) from None
    depth = json_depth(text)
    if depth > max_depth:
        msg = f"{path}: nested {depth:,} levels deep; a {what} may nest at most {max_depth}"
        raise error(msg)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:  # JSONDecodeError is a ValueError
        msg = f"{path}: not valid JSON ({err})"
        raise error(msg) from None
