"""Type aliases for the public edges of :mod:`alliances`, one place for each.

================  ============================================================================
alias             what a public function takes under it
================  ============================================================================
:data:`ActorRef`  a state or actor named any way the package resolves: a name, capital,
                  adjective or code (``"Russia"``, ``"Moscow"``, ``"RUS"``) or a numeric
                  code (``365``, its COW code)
:data:`SideRef`   a side of a wedge triad: an :data:`ActorRef`, a coalition (a list of them)
                  or an organisation (``{"organisation": "NATO"}``)
:data:`Store`     the world data store: a path to its DuckDB file (``alliances data build``)
                  or an open connection to it; a function that can do without one takes
                  ``Store | None``
================  ============================================================================

They are aliases, not classes: any ``str`` or ``int`` is an :data:`ActorRef`. The module
imports nothing heavy (``duckdb`` only for type checkers), so annotating with it costs
nothing at run time.

>>> from alliances.typing import ActorRef
>>> def code_of(actor: ActorRef) -> str:
...     return str(actor)
>>> code_of(365), code_of("Iran")
('365', 'Iran')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import os

    import duckdb

__all__ = ["ActorRef", "SideRef", "Store"]

ActorRef: TypeAlias = str | int
"""A state or actor: any name, capital, adjective or code (``str``), or a number (``int``,
its COW code); see :func:`alliances.countries.resolve`."""

SideRef: TypeAlias = ActorRef | Sequence[ActorRef] | Mapping[str, str]
"""A side of a (divider, target, partner) triad: a state, a coalition of states (a list)
or an organisation (``{"organisation": ID}``); see
:func:`alliances.studies.drafting.resolve_actor`."""

Store: TypeAlias = "str | os.PathLike[str] | duckdb.DuckDBPyConnection"
"""The world data store: the path of its DuckDB file or an open connection to it. A path
is opened read-only and closed again; a connection is used and left open."""
