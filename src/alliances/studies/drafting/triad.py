"""One triad being drafted: its actors and means, and what the rules share as they run.

:meth:`Triad.start` checks the three actors (the target is one state, in neither of the
other two), reads their means (rule A3, and G under rules v2) and opens the list of
warnings; each rule module then reads the triad and adds to it: the bonds and the
surplus they give the target and the partner, the features of the backtest's logistic
baseline, the divider's :class:`Record` with the target and the partner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from alliances.errors import DataError
from alliances.studies.drafting import v2
from alliances.studies.drafting.actors import Actor, without
from alliances.studies.drafting.data import World
from alliances.world.registry import DATASETS

__all__ = ["Goal", "Record", "Triad", "read_record"]

Goal = Literal["neutral", "realign"]


@dataclass(frozen=True)
class Record:
    """The record of the divider with the target and the partner (rules W1-I3): rivalry,
    disputes, war, alliance and the target-partner contiguity, as read in the window."""

    rival_dt: bool
    rival_dp: bool
    dispute_dt: bool
    dispute_dp: bool
    war_dt: bool
    allied_dt: bool
    contiguous: bool
    derive: list[dict[str, Any]]

    @property
    def text(self) -> str:
        """The record as the assumptions of rules I2 and I3 state it."""
        return (
            f"rivals D-T {int(self.rival_dt)}, D-P {int(self.rival_dp)}; "
            f"disputes D-T {int(self.dispute_dt)}, D-P {int(self.dispute_dp)}; "
            f"war D-T {int(self.war_dt)}; allied D-T {int(self.allied_dt)}; "
            f"T-P contiguous {int(self.contiguous)}"
        )


@dataclass
class Triad:
    """The divider ``d``, target ``t`` and partner ``p`` of one draft, with the world of
    its year and what the rules have found so far.

    ``m`` is each role's military expenditure (``"D"``, ``"T"``, ``"P"``; USD m, rule
    A3) and ``nmc`` its ``derive`` record; ``sizes`` their G under rules v2 (None under
    v1). ``surplus_t`` and ``surplus_p`` are one year of the target's and the partner's
    surplus from the bonds at the modes (rules R1, P1), ``flows_p`` the flow bonds' part
    of the partner's (rule P1′); ``kind`` is the obligation rule B5 prices.
    """

    world: World
    d: Actor
    t: Actor
    p: Actor
    goal: Goal
    prevent: bool
    rules: int
    m: dict[str, float]
    nmc: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    sizes: v2.Sizes | None = None
    bonds: list[dict[str, Any]] = field(default_factory=list)
    features: dict[str, float | None] = field(default_factory=dict)
    surplus_t: float = 0.0
    surplus_p: float = 0.0
    flows_p: float = 0.0
    kind: str | None = None
    record: Record | None = None
    tie: tuple[float, str, list[dict[str, Any]]] | None = None

    @classmethod
    def start(
        cls, world: World, d: Actor, t: Actor, p: Actor, *, goal: Goal, prevent: bool, rules: int
    ) -> Triad:
        """The triad of ``d``, ``t`` and ``p`` in ``world``'s year with their means read.

        Raises :class:`~alliances.errors.DataError` when the target is a group or a
        member of the divider or the partner, or an actor has no military expenditure in
        the window (rule A3).
        """
        if len(t.codes) != 1:
            msg = f"target: {t.name} is a group; the target of a wedge is one state"
            raise DataError(msg)
        # An organisation the target belongs to is read as its other members.
        d, p = without(d, t.codes[0]), without(p, t.codes[0])
        if set(t.codes) & (set(d.codes) | set(p.codes)):
            msg = f"the target {t.name} is also a member of the divider or the partner"
            raise DataError(msg)
        year = world.year
        m = {}
        for role, actor in (("D", d), ("T", t), ("P", p)):
            value = world.milex(actor.codes)
            if value is None or value <= 0:
                msg = (
                    f"no military expenditure (COW NMC) for {actor.name} in {year - 4}-{year}: "
                    "the draft has no measure of its means (rule A3)"
                )
                raise DataError(msg)
            m[role] = value
        nmc = world.record(
            "cow_nmc",
            "mean yearly milex, thousands of current USD (pounds before 1914) / 1000",
            "A3",
        )
        triad = cls(world, d, t, p, goal, prevent, rules, m, nmc)
        triad.lacking("cow_nmc", "military expenditure")
        if rules == 2:
            triad.sizes = v2.sizes(world, {"D": d, "T": t, "P": p}, triad.warnings, triad.lacking)
        return triad

    @property
    def year(self) -> int:
        """The year drafted."""
        return self.world.year

    @property
    def tc(self) -> int:
        """The target's COW code."""
        return self.t.codes[0]

    def lacking(self, name: str, what: str) -> None:
        """Warn where dataset ``name`` (read for ``what``) is missing for the year, cut
        short by its end, or read before the window (rule A2)."""
        world, year = self.world, self.year
        covered = DATASETS[name].years
        span = f" (it covers {covered[0]}-{covered[1]})" if covered else ""
        if name not in world.windows:
            self.warnings.append(
                f"{what}: no {name} data for {year}{span}; the rule's default is used"
            )
        elif world.windows[name].years[1] < year and not world.windows[name].stale:
            last = world.windows[name].years[1]
            self.warnings.append(
                f"{what}: {name} ends in {last}; the window is read to {last} only"
            )
        elif world.windows[name].stale:
            first, last = world.windows[name].years
            doubled = "; spread doubled" if name in ("cow_trade_ndy", "sipri_tiv") else ""
            self.warnings.append(
                f"{what}: {name} read over {first}-{last}, before the window{doubled}"
            )


def read_record(triad: Triad) -> Record:
    """The features of the logistic baseline that rest on the divider (``log_means_DP``,
    ``rival_DT``, ``affinity_gap``) and the divider's :class:`Record`, both kept on
    ``triad``; warns of the datasets of the record the window lacks."""
    world, d, t, p, features = triad.world, triad.d, triad.t, triad.p, triad.features
    features["log_means_DP"] = math.log(triad.m["D"] / triad.m["P"])
    rival_dt = world.pair("tss_rivalries", d.codes, t.codes)
    features["rival_DT"] = None if rival_dt is None else float(rival_dt)
    aff_dt, aff_pt = world.affinity(triad.tc, d.codes), world.affinity(triad.tc, p.codes)
    features["affinity_gap"] = None if aff_dt is None or aff_pt is None else aff_dt - aff_pt

    r_dt, r_dp = bool(rival_dt), bool(world.pair("tss_rivalries", d.codes, p.codes))
    d_dt = bool(world.pair("cow_mid_ddydisps", d.codes, t.codes))
    d_dp = bool(world.pair("cow_mid_ddydisps", d.codes, p.codes))
    w_dt = bool(world.pair("cow_war_inter", d.codes, t.codes))
    a_dt = (
        world.obligation(d.codes, t.codes) is not None
        or world.obligation(t.codes, d.codes) is not None
    )
    contiguous = bool(world.pair("cow_contdir", t.codes, p.codes))
    for name, what in (
        ("cow_igo_ndy", "shared IGOs"),
        ("unga_idealpoints", "UN ideal points"),
        ("cw_democracy", "democracy scores"),
        ("tss_rivalries", "rivalries"),
        ("cow_mid_ddydisps", "disputes"),
        ("cow_war_inter", "wars"),
        ("cow_contdir", "contiguity"),
    ):
        triad.lacking(name, what)
    derive = [
        world.record(n, "pairs of the three actors", "W1-I3")
        for n in (
            "tss_rivalries",
            "cow_mid_ddydisps",
            "cow_war_inter",
            "atop_alliance",
            "cow_contdir",
        )
        if world.has(n)
    ]
    triad.record = Record(r_dt, r_dp, d_dt, d_dp, w_dt, a_dt, contiguous, derive)
    return triad.record
