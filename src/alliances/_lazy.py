"""Lazy imports for the package's ``__init__`` modules (PEP 562).

A package lists ``{public name: defining module}`` and gets the ``__getattr__`` and
``__dir__`` that import a name on first use, so that ``import alliances`` and the command
line's ``--help`` load no numerical library.

>>> getattr_, dir_ = lazy("demo", {"sqrt": "math"}, {}, ["sqrt"])
>>> getattr_("sqrt")(4.0)
2.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from importlib import import_module
from typing import Any

__all__ = ["lazy"]


def lazy(
    package: str,
    names: Mapping[str, str],
    namespace: MutableMapping[str, Any],
    public: Sequence[str],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: each name of ``names`` is
    imported from its module on first use and kept in ``namespace`` (the package's
    ``globals()``), so that later lookups skip the hook."""

    def getattr_(name: str) -> Any:
        if name in names:
            value = getattr(import_module(names[name]), name)
            namespace[name] = value
            return value
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(public))

    return getattr_, dir_
