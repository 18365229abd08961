"""What the target pays for leaving the partner (rules R1, R2, K1; R1′, R2′, K1′ under
rules v2): the reputation cost of abandoning a partner, the partner's retaliation beyond
the bonds and, for a realignment, the divider's demand."""

from __future__ import annotations

from typing import Any

from alliances.studies.drafting import v2
from alliances.studies.drafting.quantities import lognormal, rounded
from alliances.studies.drafting.triad import Triad

__all__ = ["target_costs"]


def target_costs(triad: Triad) -> dict[str, Any]:
    """The target's costs of defection, its audience from V-Dem's polyarchy (warned and 0
    without it); needs the bonds (:mod:`~alliances.studies.drafting.bonds`) and the
    divider's record (:func:`~alliances.studies.drafting.triad.read_record`) first."""
    world, t, m, nmc, sizes, goal = (
        triad.world, triad.t, triad.m, triad.nmc, triad.sizes, triad.goal
    )  # fmt: skip
    assert triad.record is not None
    contiguous, surplus_t = triad.record.contiguous, triad.surplus_t
    polyarchy = world.mean_of("cw_democracy", "v2x_polyarchy", t.codes)
    if polyarchy is None:
        triad.warnings.append(
            "reputation: no V-Dem polyarchy for the target; audience factor 1 (rule R1)"
        )
        polyarchy = 0.0
    rep = surplus_t * (1 + polyarchy) if surplus_t > 0 else 0.01 * m["T"]
    ret = 0.05 * m["P"] * (1.0 if contiguous else 0.5)
    costs: dict[str, Any] = {
        "reputation": lognormal(
            rep,
            4,
            "USD m",
            derive=[nmc],
            assumption=f"R1 (Snyder; Fearon): bond surplus x (1 + polyarchy {polyarchy:.2f})",
        ),
        "partner_retaliation": lognormal(
            ret,
            4,
            "USD m",
            derive=[nmc],
            assumption=f"R2: 0.05 x milex P{'' if contiguous else ' x 0.5 (not contiguous)'}",
        ),
    }
    if goal == "realign":
        costs["demand"] = lognormal(
            0.02 * m["T"], 4, "USD m", derive=[nmc], assumption="K1: 0.02 x milex T"
        )
    if sizes is not None:  # rules v2: R1's fallback, R2′, K1′
        g_t, g_p, on_t = sizes.g("T"), sizes.g("P"), sizes.derive("T")
        costs["reputation"] = (
            {
                **costs["reputation"],
                "p90": rounded(rep * sizes.ratio("T", "P")),
                "derive": sizes.derive("T", "P"),
            }
            if surplus_t > 0
            else v2.burden_scaled(
                "R1′", 0.01, g_t, "GDP T (no priced bond)", ratio=sizes.ratio("T"), derive=on_t
            )
        )
        costs["partner_retaliation"] = v2.burden_scaled(
            "R2′",
            0.05,
            g_p * (1.0 if contiguous else 0.5),
            "GDP P" + ("" if contiguous else " x 0.5 (not contiguous)"),
            ratio=sizes.ratio("P"),
            derive=sizes.derive("P"),
        )
        if goal == "realign":
            costs["demand"] = v2.burden_scaled(
                "K1′", 0.02, g_t, "GDP T", ratio=sizes.ratio("T"), derive=on_t
            )
    return costs
