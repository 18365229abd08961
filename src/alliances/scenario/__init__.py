"""Scenarios: the schema, YAML in and out, and the built-in scenarios.

The names below are imported on first use (PEP 562): listing the built-in scenarios
(:mod:`alliances.scenario.builtin`) loads neither pydantic nor NumPy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_IO = ("builtin_names", "dump_yaml", "json_schema", "load", "load_builtin", "parse_yaml", "save")
_MODEL = (
    "Actor",
    "Bond",
    "BondSide",
    "ContextItem",
    "Derivation",
    "DividerPayoff",
    "Instrument",
    "Membership",
    "PartnerBid",
    "Question",
    "Reference",
    "Scenario",
    "TargetCosts",
    "Threat",
)
_QUANTITY = ("LogNormal", "Point", "Quantity", "Triangular", "Uniform")
_LAZY = (
    {n: "alliances.scenario.io" for n in _IO}
    | {n: "alliances.scenario.model" for n in _MODEL}
    | {n: "alliances.scenario.quantity" for n in _QUANTITY}
)

__all__ = [
    "Actor",
    "Bond",
    "BondSide",
    "ContextItem",
    "Derivation",
    "DividerPayoff",
    "Instrument",
    "LogNormal",
    "Membership",
    "PartnerBid",
    "Point",
    "Quantity",
    "Question",
    "Reference",
    "Scenario",
    "TargetCosts",
    "Threat",
    "Triangular",
    "Uniform",
    "builtin_names",
    "dump_yaml",
    "json_schema",
    "load",
    "load_builtin",
    "parse_yaml",
    "save",
]

if TYPE_CHECKING:
    from alliances.scenario.io import (
        builtin_names,
        dump_yaml,
        json_schema,
        load,
        load_builtin,
        parse_yaml,
        save,
    )
    from alliances.scenario.model import (
        Actor,
        Bond,
        BondSide,
        ContextItem,
        Derivation,
        DividerPayoff,
        Instrument,
        Membership,
        PartnerBid,
        Question,
        Reference,
        Scenario,
        TargetCosts,
        Threat,
    )
    from alliances.scenario.quantity import LogNormal, Point, Quantity, Triangular, Uniform


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    # Grounding joins the world data to a scenario: it moved to the studies layer.
    if name in ("ground", "Grounding"):
        import warnings

        warnings.warn(
            f"alliances.scenario.{name} moved to alliances.studies.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(import_module("alliances.studies.grounding"), name)
    msg = f"module 'alliances.scenario' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
