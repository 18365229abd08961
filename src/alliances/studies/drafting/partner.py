"""The partner's counter-bid (rules P1-P4; S1′, P1′, P2′ under rules v2): what keeping
the target is worth to it, its means, what a transfer costs it and how credible its bid
is."""

from __future__ import annotations

from typing import Any

from alliances.studies.drafting import v2
from alliances.studies.drafting.quantities import fraction, lognormal, tri
from alliances.studies.drafting.triad import Triad

__all__ = ["partner_bid"]


def partner_bid(triad: Triad) -> dict[str, Any]:
    """The partner's bid for the target; under rules v2 also the target-partner tie
    (rule S1′), kept on ``triad`` for the divider's stake. Needs the bonds first."""
    world, t, p, m, nmc, sizes, prevent = (
        triad.world, triad.t, triad.p, triad.m, triad.nmc, triad.sizes, triad.prevent
    )  # fmt: skip
    surplus_p = triad.surplus_p
    allied_tp = world.obligation(t.codes, p.codes) is not None or prevent
    w_p = max(5 * surplus_p, 0.01 * m["P"])
    bid = {
        "value_of_target": lognormal(
            w_p,
            4,
            "USD m",
            derive=[nmc],
            assumption="P1: five years of the partner's surplus from the bonds, >= 0.01 x milex P",
        ),
        "means": tri(
            0.05 * m["P"],
            0.10 * m["P"],
            0.25 * m["P"],
            "USD m",
            derive=[nmc],
            assumption="P2: (0.05, 0.10, 0.25) x milex P",
        ),
        "cost_per_value": tri(
            1.0,
            1.3,
            2.0,
            "ratio",
            assumption="P3: a transfer costs the partner at least its value",
        ),
        "credibility": fraction(
            *((0.6, 0.8, 0.95) if allied_tp else (0.3, 0.5, 0.7)),
            assumption=f"P4: target and partner {'allied' if allied_tp else 'not allied'}",
        ),
    }
    if sizes is not None:  # rules v2: S1′, P1′, P2′
        triad.tie = v2.tie(world, t, p, triad.features, triad.kind, prevent, triad.warnings)
        tie, tie_text, tie_derive = triad.tie
        bid["value_of_target"] = v2.partner_value(
            triad.flows_p,
            sizes.g("T"),
            tie,
            tie_text,
            ratio=sizes.ratio("T"),
            derive=sizes.derive("T") + tie_derive,
        )
        bid["means"] = v2.means(
            "P2′", sizes.g("P"), "partner", ratio=sizes.ratio("P"), derive=sizes.derive("P")
        )
    return bid
