"""The bonds of the target with the partner (rules B1-B6).

:func:`flow_bonds` prices the target's trade and arms flows with the partner (B1-B4),
:func:`alliance_bond` its strongest alliance obligation to it, or the prospective pact of
a ``prevent`` draft (B5), and :func:`political_bond` their shared organisations and UN
votes (B6). Each adds its bond to the :class:`~alliances.studies.drafting.triad.Triad`
with the yearly surplus it gives the target and the partner, and warns where the data
lack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from alliances.studies.drafting import v2
from alliances.studies.drafting.actors import Actor
from alliances.studies.drafting.data import OBLIGATION_SHARE, World
from alliances.studies.drafting.quantities import around, fraction, substitutability, tri
from alliances.studies.drafting.triad import Triad

__all__ = ["alliance_bond", "flow_bonds", "political_bond"]


@dataclass(frozen=True)
class _Flow:
    """One of T's flows with P that rules B1-B4 turn into a bond."""

    rule: str
    dataset: str
    id: str
    kind: str
    what: str  # "exports", "arms bought" ...
    outward: bool  # from T to P
    margin: tuple[float, float, float]
    loss: tuple[float, float, float]
    years: tuple[float, float, float]
    partner_margin: float  # P's surplus share of the same flow (rule P1)
    partners: str  # what H1's concentration is over
    assumption: str | None = None


_C2 = "C2: one TIV million read as one USD million"
_FLOWS = (
    _Flow("B1", "cow_trade_ndy", "trade-exports", "economic", "exports", True,
          (0.05, 0.10, 0.20), (0.1, 0.3, 0.6), (1, 2, 4), 0.05, "exports"),
    _Flow("B2", "cow_trade_ndy", "trade-imports", "economic", "imports", False,
          (0.02, 0.05, 0.10), (0.1, 0.3, 0.6), (1, 2, 4), 0.10, "imports"),
    _Flow("B3", "sipri_tiv", "arms-bought", "military", "arms bought", False,
          (0.10, 0.20, 0.40), (0.5, 0.8, 1.0), (2, 4, 8), 0.25, "arms suppliers", _C2),
    _Flow("B4", "sipri_tiv", "arms-sold", "military", "arms sold", True,
          (0.15, 0.25, 0.40), (0.5, 0.8, 1.0), (1, 2, 4), 0.20, "arms customers", _C2),
)  # fmt: skip


def _flow_bond(
    world: World, flow: _Flow, t: Actor, p: Actor, x: float, by_partner: pd.Series
) -> dict[str, Any]:
    """The bond of T's yearly mean flow ``x`` with P, by ``flow``'s rule."""
    to_from = "to" if flow.outward else "from"
    source = world.source(flow.dataset)
    rec = world.record(
        flow.dataset, f"mean yearly {flow.what} of {t.id} {to_from} {p.id}", flow.rule
    )
    revenue = around(
        x, world.spread(flow.dataset), "USD m/yr", source=source, derive=[rec],
        assumption=flow.assumption,
    )  # fmt: skip
    return {
        "id": flow.id,
        "kind": flow.kind,
        "between": [t.id, p.id],
        "direction": f"{t.id}->{p.id}" if flow.outward else f"{p.id}->{t.id}",
        "description": f"{t.name}'s {flow.what} {to_from} {p.name} ({flow.dataset}).",
        "source": source,
        "sides": {
            t.id: {
                "revenue": revenue,
                "margin": fraction(
                    *flow.margin, assumption=f"{flow.rule}: surplus share of the {flow.what}"
                ),
                "loss": fraction(
                    *flow.loss,
                    assumption=f"{flow.rule}: share of the {flow.what} lost on defection",
                ),
                "substitutability": substitutability(by_partner, flow.partners),
                "adjustment_years": tri(
                    *flow.years,
                    "years",
                    assumption=f"{flow.rule}: years to replace the {flow.what}",
                ),
            }
        },
    }


def flow_bonds(triad: Triad) -> None:
    """Rules B1-B4: a bond for each of the target's trade and arms flows with the
    partner, and the ``trade_share_TP`` feature."""
    world, t, p, features = triad.world, triad.t, triad.p, triad.features
    trade = world.trade(triad.tc)
    triad.lacking("cow_trade_ndy", "trade")
    if trade is not None:
        with_p = trade.reindex(list(p.codes)).fillna(0.0).sum()
        total = float(trade["exports"].sum() + trade["imports"].sum())
        features["trade_share_TP"] = (float(with_p.sum()) / total) if total > 0 else None
    else:
        features["trade_share_TP"] = None
    arms = world.arms(triad.tc)
    triad.lacking("sipri_tiv", "arms transfers")
    by_partner = {
        "B1": None if trade is None else trade["exports"],
        "B2": None if trade is None else trade["imports"],
        "B3": None if arms is None else arms[0],
        "B4": None if arms is None else arms[1],
    }
    for flow in _FLOWS:
        series = by_partner[flow.rule]
        x = 0.0 if series is None else float(series.reindex(list(p.codes)).fillna(0.0).sum())
        if x > 0:
            assert series is not None
            triad.bonds.append(_flow_bond(world, flow, t, p, x, series))
            triad.surplus_t += x * flow.margin[1]
            triad.surplus_p += x * flow.partner_margin
            triad.flows_p += x * flow.partner_margin


def alliance_bond(triad: Triad) -> None:
    """Rule B5 (B5′ under rules v2): the bond of the target's strongest obligation to the
    partner (the prospective defence pact when ``prevent``), and the ``allied_TP``
    feature."""
    world, t, p, sizes, prevent = triad.world, triad.t, triad.p, triad.sizes, triad.prevent
    kind = "defense" if prevent else world.obligation(t.codes, p.codes)
    triad.kind = kind
    triad.lacking("atop_alliance", "alliances")
    triad.features["allied_TP"] = (
        None
        if not world.has("atop_alliance")
        else float(world.obligation(t.codes, p.codes) is not None)
    )
    if kind is None:
        return
    base = min(triad.m["T"], triad.m["P"])
    a = OBLIGATION_SHARE[kind]
    how = (
        "prospective defence pact the target would gain by joining the partner"
        if prevent
        else f"ATOP {kind} obligation of {t.id} to {p.id}"
    )
    derive = ([triad.nmc] if sizes is None else sizes.derive("T", "P")) + (
        []
        if prevent
        else [
            world.record(
                "atop_alliance",
                f"strongest obligation of {t.id} to {p.id} in the last year",
                "B5" if sizes is None else "B5′",
            )
        ]
    )
    if sizes is None:
        value = tri(
            base * a / 2,
            base * a,
            base * a * 2,
            "USD m/yr",
            derive=derive,
            assumption=f"B5 (Snyder): {a} x min(milex T, P) = {a} x {base:.6g}",
        )
        yearly = base * a
    else:
        value = v2.alliance_value(a, kind, sizes.g("T"), sizes.g("P"), derive=derive)
        yearly = value["mode"]
    triad.bonds.append(
        {
            "id": "alliance",
            "kind": "military",
            "between": [t.id, p.id],
            "description": f"The {how}.",
            "source": (world.source("cow_nmc") if sizes is None else sizes.source)
            + ("" if prevent else "; " + world.source("atop_alliance")),
            "sides": {
                t.id: {
                    "value": value,
                    "loss": fraction(
                        0.7,
                        0.9,
                        1.0,
                        assumption="B5: share of the pact's value lost on defection",
                    ),
                    "substitutability": fraction(
                        0.0,
                        0.2,
                        0.5,
                        assumption="B5: share of the security the target can find elsewhere",
                    ),
                    "adjustment_years": tri(
                        2, 5, 10, "years", assumption="B5: years to replace an ally"
                    ),
                }
            },
        }
    )
    triad.surplus_t += yearly
    triad.surplus_p += yearly


def political_bond(triad: Triad) -> None:
    """Rule B6 (B6′ under rules v2): the bond of the target's shared organisations and UN
    votes with the partner, or a warning without IGO or UN data for the pair."""
    world, t, p, sizes, tc = triad.world, triad.t, triad.p, triad.sizes, triad.tc
    parts = [
        v for v in (world.igo_share(tc, p.codes), world.affinity(tc, p.codes)) if v is not None
    ]
    if parts and sum(parts) > 0:
        affinity = sum(parts) / len(parts)
        derive = ([triad.nmc] if sizes is None else sizes.derive("T")) + [
            world.record(n, q, "B6" if sizes is None else "B6′")
            for n, q in (
                ("cow_igo_ndy", f"share of {t.id}'s IGOs shared with {p.id}"),
                ("unga_idealpoints", f"UN affinity 1 - min(1, |ideal point {t.id} - {p.id}| / 3)"),
            )
            if world.has(n)
        ]
        v = triad.m["T"] * affinity
        if sizes is None:
            value = tri(
                0.005 * v,
                0.02 * v,
                0.05 * v,
                "USD m/yr",
                derive=derive,
                assumption=f"B6: (0.005, 0.02, 0.05) x milex T x {affinity:.3f}",
            )
            yearly = 0.02 * v
        else:
            value = v2.political_value(sizes.g("T"), affinity, derive=derive)
            yearly = value["mode"]
        triad.bonds.append(
            {
                "id": "political-affinity",
                "kind": "political",
                "between": [t.id, p.id],
                "description": f"Shared organisations and UN votes of {t.name} and {p.name}.",
                "source": "; ".join(world.source(r["dataset"]) for r in derive),
                "sides": {
                    t.id: {
                        "value": value,
                        "loss": fraction(
                            0.5,
                            0.8,
                            1.0,
                            assumption="B6: share of the political tie lost on defection",
                        ),
                    }
                },
            }
        )
        triad.surplus_t += yearly
    else:
        triad.warnings.append(
            "political affinity: no IGO or UN data for the pair; no political bond (rule B6)"
        )
