"""The divider's side (rules W1-W3 and I1-I3; U1′, W1′, W4′, I1′, I3′ under rules v2):
what the split is worth to it and costs it, and its instruments, the rewards it offers
and the threats it makes, each blocked, reneged on or believed by its record with the
target and the partner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alliances.studies.drafting import v2
from alliances.studies.drafting.quantities import fraction, lognormal, rounded, tri
from alliances.studies.drafting.triad import Triad

__all__ = ["divider_instruments", "divider_payoff"]


def divider_payoff(triad: Triad) -> dict[str, Any]:
    """The divider's value of the split, its political cost and the cost of its rewards
    per value (and, under rules v2, its budget cap). Needs the divider's record and,
    under rules v2, the tie of :func:`~alliances.studies.drafting.partner.partner_bid`."""
    world, d, p, m, nmc, sizes = triad.world, triad.d, triad.p, triad.m, triad.nmc, triad.sizes
    assert triad.record is not None
    rec = triad.record
    r_dt, r_dp, d_dt, d_dp = rec.rival_dt, rec.rival_dp, rec.dispute_dt, rec.dispute_dp
    record_derive = rec.derive
    w_d = 0.05 * m["D"] * (1 + r_dp + d_dp)
    payoff = {
        "value_of_split": lognormal(
            w_d,
            4,
            "USD m",
            derive=[nmc, *record_derive],
            assumption=f"W1: 0.05 x milex D x (1 + rival D-P {r_dp:d} + dispute D-P {d_dp:d})",
        ),
        "political_cost": lognormal(
            0.1 * w_d * (1 + r_dt + d_dt),
            4,
            "USD m",
            derive=[nmc, *record_derive],
            assumption=f"W2: 0.1 x W1 x (1 + rival D-T {int(r_dt)} + dispute D-T {int(d_dt)})",
        ),
        "cost_per_value": tri(
            0.3, 0.6, 1.0, "ratio", assumption="W3: rewards cost the divider less than their value"
        ),
    }
    if sizes is not None:  # rules v2: U1′, W1′, W2 on W1′, W4′
        assert triad.tie is not None
        tie, _, tie_derive = triad.tie
        u = v2.distance(world.frames.get("unga_idealpoints"), d.codes, p.codes)
        u_derive = []
        if u is None:
            u = v2.DISTANCE_DEFAULT
            triad.warnings.append(
                f"distance D-P: no UN ideal points for the pair; u = {u} (rule U1′)"
            )
        else:
            u_derive = [world.record("unga_idealpoints", "UN ideal points of D and P", "U1′")]
        split = v2.split_value(
            sizes.g("T"),
            tie,
            u,
            r_dp,
            d_dp,
            ratio=sizes.ratio("T"),
            derive=sizes.derive("T") + tie_derive + u_derive + record_derive,
        )
        w_d = split["median"]
        payoff["value_of_split"] = split
        payoff["political_cost"] = lognormal(
            0.1 * w_d * (1 + r_dt + d_dt),
            sizes.ratio("T"),
            "USD m",
            derive=[*sizes.derive("T"), *record_derive],
            assumption=f"W2: 0.1 x W1′ x (1 + rival D-T {int(r_dt)} + dispute D-T {int(d_dt)})",
        )
        payoff["budget_cap"] = v2.means(
            "W4′", sizes.g("D"), "divider", ratio=sizes.ratio("D"), derive=sizes.derive("D")
        )
    return payoff


def divider_instruments(
    triad: Triad, given: Sequence[Mapping[str, Any]] | None, offer: float | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The divider's offers and threats: those ``given`` (``{"type": "reward" |
    "coercion", "description": ..., "value": quantity}``) or one default reward package
    (rule I1), each reward at least one; ``offer`` (USD) is the face value of a reward
    given without one. Needs the divider's record."""
    m, nmc, sizes = triad.m, triad.nmc, triad.sizes
    assert triad.record is not None
    rec = triad.record
    r_dt, d_dt, w_dt, a_dt = rec.rival_dt, rec.dispute_dt, rec.war_dt, rec.allied_dt
    record, record_derive = rec.text, rec.derive
    q0 = min(0.8, max(0.05, 0.2 + 0.15 * r_dt + 0.15 * d_dt + 0.1 * w_dt - 0.1 * a_dt))
    lam = 0.05 + 0.05 * r_dt
    bigger = m["D"] > m["T"] if sizes is None else sizes.g("D") > sizes.g("T")
    pi0 = min(0.9, max(0.05, 0.3 + 0.1 * d_dt + 0.1 * bigger))
    i3 = "I3" if sizes is None else "I3′"
    if sizes is None:
        threat_value = lognormal(
            0.05 * m["D"], 4, "USD m", derive=[nmc], assumption="I3: 0.05 x milex D"
        )
        package = None
    else:
        on_d, ratio_d = sizes.derive("D"), sizes.ratio("D")
        threat_value = v2.burden_scaled(
            "I3′", 0.05, sizes.g("D"), "GDP D", ratio=ratio_d, derive=on_d
        )
        package = v2.burden_scaled(
            "I1′",
            0.05,
            sizes.g("D"),
            "GDP D (default package)",
            ratio=ratio_d * 3 / 4,  # I1's p90 is three times the median
            derive=on_d,
        )
    offers, threats = [], []
    for k, item in enumerate(
        given or [{"type": "reward", "description": "default reward package (rule I1)"}]
    ):
        kind_k = item.get("type", "reward")
        value = item.get("value")
        if kind_k == "coercion":
            threats.append(
                {
                    "id": f"threat-{k + 1}",
                    "description": item.get("description"),
                    "value": value or threat_value,
                    "credibility": fraction(
                        pi0 - 0.15,
                        pi0,
                        pi0 + 0.15,
                        derive=record_derive,
                        assumption=f"{i3}: around {pi0:.2f} from the record ({record})",
                    ),
                    "backlash": fraction(
                        0.1,
                        0.3,
                        0.5,
                        assumption="I3 (Izumikawa 2013): coercion binds the pair closer",
                    ),
                }
            )
            continue
        offers.append(
            _offer(
                f"offer-{k + 1}",
                item.get("description"),
                value,
                offer,
                m["D"],
                nmc,
                q0,
                lam,
                record,
                record_derive,
                package,
            )
        )
    if not offers:
        offers.append(
            _offer(
                "default-offer",
                "default reward package (rule I1)",
                None,
                offer,
                m["D"],
                nmc,
                q0,
                lam,
                record,
                record_derive,
                package,
            )
        )
    return offers, threats


def _offer(
    ident: str,
    description: str | None,
    value: Any,
    offer: float | None,
    m_d: float,
    nmc: dict[str, Any],
    q0: float,
    lam: float,
    record: str,
    record_derive: list[dict[str, Any]],
    package: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if value is None and offer is not None:
        value = {
            "value": rounded(offer / 1e6),
            "unit": "USD m",
            "source": "the offer given to the draft (--offer)",
        }
    if value is None:
        value = package or lognormal(
            0.05 * m_d, 3, "USD m", derive=[nmc], assumption="I1: default package, 0.05 x milex D"
        )
    return {
        "id": ident,
        "description": description,
        "value": value,
        "blocked": fraction(
            q0 - 0.15,
            q0,
            q0 + 0.15,
            derive=record_derive,
            assumption=f"I2: around {q0:.2f} from the record ({record})",
        ),
        "renege": tri(
            lam / 2,
            lam,
            2 * lam,
            "1/yr",
            derive=record_derive,
            assumption=f"I2: around {lam:.2f} a year",
        ),
    }
