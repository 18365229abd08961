"""Scenarios: the schema, YAML in and out, and the built-in scenarios.

The names below are imported on first use (PEP 562): listing the built-in scenarios
(:mod:`alliances.scenario.builtin`) loads neither pydantic nor NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliances._lazy import lazy

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


__getattr__, __dir__ = lazy("alliances.scenario", _LAZY, globals(), __all__)
