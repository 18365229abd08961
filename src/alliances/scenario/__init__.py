"""Scenarios: the schema, YAML in and out, and the built-in scenarios."""

from typing import Any

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


def __getattr__(name: str) -> Any:
    # Grounding joins the world data to a scenario: it moved to the studies layer.
    if name in ("ground", "Grounding"):
        import importlib
        import warnings

        warnings.warn(
            f"alliances.scenario.{name} moved to alliances.studies.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module("alliances.studies.grounding"), name)
    msg = f"module 'alliances.scenario' has no attribute {name!r}"
    raise AttributeError(msg)
