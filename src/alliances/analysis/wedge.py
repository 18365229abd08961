r"""The wedge price: what a divider D must offer a target T to pull it away from a partner P.

The model (DESIGN.md §4) in one place. All money is in constant US dollars, flows are
valued as present values over the horizon H at the discount rate r (see
:mod:`alliances.analysis.discounting`), and one Monte Carlo draw is one state of the world
that all three actors know; D's uncertainty is the spread over draws.

**T's cost of leaving** P (Snyder 1997: dependence on the partner and the commitment to
it; Keohane and Nye 1977: sensitivity, then vulnerability):

.. math::

    C_T = \sum_b \ell_b v_b \,[a_{\tau b} + (1 - s_b)(a_b - a_{\tau b})]
          + \rho_T + R_P + K_T

over the T–P bonds b: T loses the share ℓ_b of the bond's yearly surplus v_b (a margin,
not revenue), all of it for the first τ_b years (``a_τb`` is the annuity over that part
of the bond) and afterwards what it cannot replace, 1 − s_b. A bond paid once (a stock
V_b in year t_b) loses ℓ_b V_b δ^{t_b}, times 1 − s_b once t_b ≥ τ_b. ρ_T is T's
reputation cost, R_P what P can do to T beyond withdrawing the bonds, K_T what D's
demand costs T (zero when D asks only for neutrality; Morrow 1991).

**D's offer** is a package of instruments with face values O_i (present values) and
credibility κ_i = (1 − q_i) ã_i / a_i, with q_i the chance it is blocked and ã_i the
annuity under a yearly hazard λ_i that D reneges; κ̄ = Σ O_i κ_i / Σ O_i (Crawford 2011:
rewards must be credible to split a pair; Izumikawa 2013 on reward-based wedges).

**Coercion**: new threats only, Z = Σ (π_N − β) N_D, with π_N their credibility and β the
backlash that binds T to P (Crawford 2011).

**P's counter-bid**: P can pay at most X̄ = min(W_P, B_P) / γ_P, credible with κ_P.

**Decision**: T defects iff κ̄ O + Z > C_T + κ_P X̄ (a tie keeps T), so the flip price is

.. math::

    O^* = \max(0,\; C_T - Z + \kappa_P \bar X) / \bar\kappa ,

infinite when κ̄ = 0. P(flip | O) = P(O* < O) over the draws. D's most it would pay is
O_max = min(B_D, (W_D − c_D) / γ_D), and its best offer maximises
E[1{O* < O} (W_D − γ_D O − c_D)] over a grid.

**The draw layout** (a contract: the backtest and any study that adds draws rely on it).
The Monte Carlo draws come in blocks of 2^16 = 65,536. Block k (k = 0, 1, …) takes its
uniforms from its own generator, ``np.random.default_rng(np.random.SeedSequence(seed,
spawn_key=(0, k)))``, as one call ``random((D, 65536))`` for the D uncertain inputs (in
the order of :attr:`WedgeModel.uncertain`), row-major: row i holds input i for the
block's draws, so that each input reads contiguous memory. Draw j is column j mod 2^16
of block j // 2^16; a run of N draws uses the first ⌈N / 2^16⌉ blocks, the last drawn
whole and cut to its first columns. (``seed=None`` takes fresh entropy from the system
in place of the seed.) Nothing in a block depends on N, so the first N draws of a run of
M > N draws are those of the run of N, bit for bit (nested samples), and no result
depends on how many blocks are evaluated at once (``_CHUNK_BLOCKS``). The Sobol' points
(the drivers) are a separate stream, spawn key ``(1,)``, as before. Changing the
scenario's uncertain inputs changes D and so every draw.

**Memory.** One run takes two passes over the blocks, regenerating them in the second.
Pass 1 keeps one float64 per draw, O* raw, for its exact quantiles and P(flip | O), and
streams counts, means and a pilot sample of every term; pass 2 gives the divider's
expected gain over the offer grid (which needs the 99.5th centile of O* from pass 1) and
the terms' exact quantiles (:mod:`alliances.analysis._select`). The per-draw table
:attr:`WedgeResult.draws` is kept up to 10^6 draws or on request. A term that is NaN in
any draw (0 × ∞ and the like) raises :class:`~alliances.errors.ScenarioError` naming it.

References
----------
.. [1] Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics*
   36(4): 461–495; Snyder, G. H. (1997). *Alliance Politics*. Cornell University Press.
.. [2] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies shape
   power politics. *International Security* 35(4): 155–189.
.. [3] Izumikawa, Y. (2013). To coerce or reward? Theorizing wedge strategies in alliance
   politics. *Security Studies* 22(3): 498–531.
.. [4] Keohane, R. O. and Nye, J. S. (1977). *Power and Interdependence*. Little, Brown.
.. [5] Morrow, J. D. (1991). Alliances and asymmetry: an alternative to the capability
   aggregation model of alliances. *American Journal of Political Science* 35(4): 904–933.
.. [6] Fearon, J. D. (1994). Domestic political audiences and the escalation of
   international disputes. *American Political Science Review* 88(3): 577–592.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.analysis._select import (
    Selector,
    linear_quantile,
    order_statistics,
    quantile_ranks,
)
from alliances.analysis.discounting import annuity, lump_sum
from alliances.analysis.sensitivity import sobol_indices
from alliances.errors import ParameterError, Problem, ScenarioError
from alliances.scenario.model import BondSide, Scenario
from alliances.scenario.quantity import Quantity

__all__ = [
    "WedgeModel",
    "WedgeResult",
    "compile_model",
    "evaluate",
    "flip_probability",
    "offer_grid",
    "sample_inputs",
    "wedge",
]

Arrays = Mapping[str, NDArray[np.float64]]
_QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}


@dataclass(frozen=True)
class Input:
    """One number of the model: where it sits in the scenario and its quantity."""

    name: str
    quantity: Quantity
    description: str
    affects_price: bool = True  # False for the divider's payoff, which O* does not use


@dataclass(frozen=True)
class _Timing:
    start: float
    years: float  # np.inf: until the horizon
    is_flow: bool


@dataclass(frozen=True)
class _BondTerm:
    id: str
    timing: _Timing
    value: tuple[str, ...]  # one name (surplus) or two (revenue, margin) to multiply
    loss: str
    substitutability: str
    adjustment_years: str


@dataclass(frozen=True)
class _InstrumentTerm:
    id: str
    timing: _Timing
    value: str
    blocked: str
    renege: str


@dataclass(frozen=True)
class _ThreatTerm:
    id: str
    value: str
    credibility: str
    backlash: str


@dataclass(frozen=True)
class WedgeModel:
    """A scenario's wedge question compiled to named inputs and the terms that use them."""

    scenario_id: str
    divider: str
    target: str
    partner: str
    goal: str
    horizon: int
    inputs: tuple[Input, ...]
    bonds: tuple[_BondTerm, ...]
    instruments: tuple[_InstrumentTerm, ...]
    threats: tuple[_ThreatTerm, ...]
    has_demand: bool
    has_budget_cap: bool
    warnings: tuple[str, ...] = ()

    @property
    def uncertain(self) -> tuple[Input, ...]:
        """The inputs that have a distribution (the ones Sobol indices are given for)."""
        return tuple(i for i in self.inputs if i.quantity.is_uncertain)


def compile_model(scenario: Scenario) -> WedgeModel:
    """Collect the inputs of a scenario's wedge question and the terms that combine them.

    Only the bonds between the target and the partner enter the cost of leaving, and of
    each only the target's side. Context figures never enter.
    """
    q = scenario.question
    inputs: list[Input] = []

    def add(name: str, quantity: Quantity, description: str, affects_price: bool = True) -> str:
        inputs.append(Input(name, quantity, description, affects_price))
        return name

    add("question.discount_rate", q.discount_rate, "discount rate r")
    bonds = []
    warnings = []
    for bond in scenario.bonds_between(q.target, q.partner):
        side: BondSide | None = bond.sides.get(q.target)
        if side is None:
            continue
        p = f"bonds.{bond.id}.{q.target}"
        if side.value is not None:
            value: tuple[str, ...] = (add(f"{p}.value", side.value, f"{bond.id}: surplus v"),)
        else:
            assert side.revenue is not None
            assert side.margin is not None
            value = (
                add(f"{p}.revenue", side.revenue, f"{bond.id}: revenue"),
                add(f"{p}.margin", side.margin, f"{bond.id}: margin on revenue"),
            )
        bonds.append(
            _BondTerm(
                id=bond.id,
                timing=_Timing(bond.start, bond.years or math.inf, side.is_flow),
                value=value,
                loss=add(f"{p}.loss", side.loss, f"{bond.id}: share lost ℓ"),
                substitutability=add(
                    f"{p}.substitutability", side.substitutability, f"{bond.id}: substitutable s"
                ),
                adjustment_years=add(
                    f"{p}.adjustment_years", side.adjustment_years, f"{bond.id}: adjustment τ"
                ),
            )
        )
    if not bonds:
        warnings.append(
            f"no bond between {q.target} and {q.partner} gives {q.target} a value: "
            "the cost of leaving is only reputation, retaliation and demand"
        )

    tc, pb, dp = q.target_costs, q.partner_bid, q.divider_payoff
    add("question.target_costs.reputation", tc.reputation, "T's reputation cost ρ_T")
    add(
        "question.target_costs.partner_retaliation",
        tc.partner_retaliation,
        "P's retaliation R_P",
    )
    if tc.demand is not None:
        add("question.target_costs.demand", tc.demand, "cost of D's demand K_T")
    add("question.partner_bid.value_of_target", pb.value_of_target, "T's worth to P, W_P")
    add("question.partner_bid.means", pb.means, "P's means B_P")
    add("question.partner_bid.cost_per_value", pb.cost_per_value, "P's cost per value γ_P")
    add("question.partner_bid.credibility", pb.credibility, "P's credibility κ_P")
    for name, description in (
        ("value_of_split", "split's worth to D, W_D"),
        ("political_cost", "D's political cost c_D"),
        ("cost_per_value", "D's cost per value γ_D"),
        ("budget_cap", "D's budget cap B_D"),
    ):
        quantity = getattr(dp, name)
        if quantity is not None:
            add(f"question.divider_payoff.{name}", quantity, description, affects_price=False)

    instruments = []
    for ins in q.instruments:
        p = f"question.instruments.{ins.id}"
        instruments.append(
            _InstrumentTerm(
                id=ins.id,
                timing=_Timing(ins.start, ins.years or math.inf, ins.value.dimension == "USD/yr"),
                value=add(f"{p}.value", ins.value, f"{ins.id}: face value"),
                blocked=add(f"{p}.blocked", ins.blocked, f"{ins.id}: chance blocked q"),
                renege=add(f"{p}.renege", ins.renege, f"{ins.id}: renege hazard λ"),
            )
        )
    threats = []
    for threat in q.threats:
        p = f"question.threats.{threat.id}"
        threats.append(
            _ThreatTerm(
                id=threat.id,
                value=add(f"{p}.value", threat.value, f"{threat.id}: harm threatened N"),
                credibility=add(f"{p}.credibility", threat.credibility, f"{threat.id}: π"),
                backlash=add(f"{p}.backlash", threat.backlash, f"{threat.id}: backlash β"),
            )
        )
    return WedgeModel(
        scenario_id=scenario.id,
        divider=q.divider,
        target=q.target,
        partner=q.partner,
        goal=q.goal,
        horizon=q.horizon,
        inputs=tuple(inputs),
        bonds=tuple(bonds),
        instruments=tuple(instruments),
        threats=tuple(threats),
        has_demand=tc.demand is not None,
        has_budget_cap=dp.budget_cap is not None,
        warnings=tuple(warnings),
    )


def sample_inputs(model: WedgeModel, u: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    """Turn uniform probabilities into input values by each input's inverse CDF.

    ``u`` has one *row* per uncertain input (in the order of ``model.uncertain``) and one
    column per draw, so that each input reads contiguous memory; point-valued inputs are
    constant arrays.
    """
    row = {i.name: k for k, i in enumerate(model.uncertain)}
    n = u.shape[1]
    return {
        i.name: i.quantity.ppf(u[row[i.name]]) if i.name in row else np.full(n, i.quantity.mean())
        for i in model.inputs
    }


def _present_value(
    timing: _Timing, rate: NDArray[np.float64], horizon: int, hazard: Any = 0.0
) -> NDArray[np.float64]:
    if timing.is_flow:
        return annuity(rate, timing.start, timing.years, horizon, hazard)
    return lump_sum(rate, timing.start, horizon, hazard)


def evaluate(model: WedgeModel, x: Arrays) -> dict[str, NDArray[np.float64]]:
    """The model's quantities for every draw of the inputs ``x`` (name → array).

    Returns
    -------
    dict of arrays
        ``cost_of_leaving`` (C_T, with one ``loss:<bond>`` entry per bond),
        ``coercion`` (Z), ``counter_bid`` (κ_P X̄), ``credibility`` (κ̄),
        ``reference_offer`` (Σ O_i, the face value of D's package), ``flip_price_raw``
        ((C_T − Z + κ_P X̄) / κ̄, which may be negative), ``flip_price`` (O*) and
        ``max_offer`` (O_max).
    """
    r = x["question.discount_rate"]
    h = model.horizon
    out: dict[str, NDArray[np.float64]] = {}

    cost = x["question.target_costs.reputation"] + x["question.target_costs.partner_retaliation"]
    if model.has_demand:
        cost = cost + x["question.target_costs.demand"]
    for b in model.bonds:
        value = x[b.value[0]] if len(b.value) == 1 else x[b.value[0]] * x[b.value[1]]
        ell, s, tau = x[b.loss], x[b.substitutability], x[b.adjustment_years]
        t = b.timing
        if t.is_flow:
            whole = annuity(r, t.start, t.years, h)
            sensitive = annuity(r, t.start, np.clip(tau - t.start, 0.0, t.years), h)
            loss = ell * value * (sensitive + (1.0 - s) * (whole - sensitive))
        else:
            kept = np.where(t.start < tau, 1.0, 1.0 - s)
            loss = ell * value * lump_sum(r, t.start, h) * kept
        out[f"loss:{b.id}"] = loss
        cost = cost + loss
    out["cost_of_leaving"] = cost

    face_total = np.zeros_like(r)
    credible_total = np.zeros_like(r)
    for i in model.instruments:
        pv = _present_value(i.timing, r, h)
        pv_kept = _present_value(i.timing, r, h, hazard=x[i.renege])
        face = x[i.value] * pv
        face_total = face_total + face
        credible_total = credible_total + x[i.value] * (1.0 - x[i.blocked]) * pv_kept
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(face_total > 0, credible_total / face_total, 0.0)
    out["reference_offer"] = face_total
    out["credibility"] = kappa

    z = np.zeros_like(r)
    for th in model.threats:
        z = z + (x[th.credibility] - x[th.backlash]) * x[th.value]
    out["coercion"] = z

    most = (
        np.minimum(x["question.partner_bid.value_of_target"], x["question.partner_bid.means"])
        / x["question.partner_bid.cost_per_value"]
    )
    out["counter_bid"] = x["question.partner_bid.credibility"] * np.maximum(most, 0.0)

    need = cost - z + out["counter_bid"]
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(kappa > 0, need / kappa, np.where(need < 0, -np.inf, np.inf))
    out["flip_price_raw"] = raw
    out["flip_price"] = np.maximum(raw, 0.0)

    dp = "question.divider_payoff."
    willing = (x[dp + "value_of_split"] - x[dp + "political_cost"]) / x[dp + "cost_per_value"]
    if model.has_budget_cap:
        willing = np.minimum(willing, x[dp + "budget_cap"])
    out["max_offer"] = willing
    return out


def flip_probability(
    flip_price_raw: NDArray[np.float64], offers: NDArray[np.float64]
) -> NDArray[np.float64]:
    """P(flip | O) = P(O* < O) for each offer, from the draws of the unclipped price.

    A tie keeps the target, hence the strict inequality. The draws are sorted once and
    each offer is a binary search.

    Examples
    --------
    >>> flip_probability(np.array([3.0, 1.0, 2.0, 4.0]), np.array([0.0, 2.0, 2.5, 9.0]))
    array([0.  , 0.25, 0.5 , 1.  ])
    """
    ordered = np.sort(flip_price_raw)
    return np.searchsorted(ordered, offers, side="left") / ordered.size


def offer_grid(flip_price: NDArray[np.float64], points: int = 101) -> NDArray[np.float64]:
    """Offers from 0 to a round number past the 99.5th centile of the finite flip prices.

    Over this grid P(flip | O) runs from about 0 to about 1 (to 1 minus the share of
    draws where no offer can flip the target).
    """
    finite = flip_price[np.isfinite(flip_price)]
    top = float(np.quantile(finite, 0.995)) if finite.size else 0.0
    return _round_grid(top, points)


def _round_grid(top: float, points: int = 101) -> NDArray[np.float64]:
    """``points`` offers from 0 to the first of 1, 2, 2.5, 5 or 10 × 10^k at or past ``top``."""
    if top <= 0:
        top = 1.0
    magnitude = 10.0 ** math.floor(math.log10(top))
    step = next(m for m in (1, 2, 2.5, 5, 10) if m * magnitude >= top)
    return np.linspace(0.0, step * magnitude, points)


@dataclass
class WedgeResult:
    """The answer to a wedge question, as pandas objects.

    Attributes
    ----------
    flip_price : pandas.Series
        Summary of O* in USD: mean (of the finite draws), quantiles ``p05`` … ``p95``,
        ``p_zero`` (share of draws where no offer is needed) and ``p_infinite`` (share
        where none suffices).
    p_flip : pandas.DataFrame
        ``offer`` (USD) and ``p`` = P(flip | offer), non-decreasing in the offer.
    offer : pandas.Series
        The offer evaluated (``value``), whether it is the reference package
        (``reference``) and P(flip) at it (``p_flip``).
    divider : pandas.Series
        ``max_offer_p50`` (median O_max), ``p_within_means`` = P(O* < O_max),
        ``best_offer`` and ``expected_gain`` at it, in USD.
    drivers : pandas.DataFrame
        Sobol' first-order ``S1`` and total ``ST`` indices of log(1 + O*/1e9) for each
        uncertain input, with 95% bootstrap half-widths, sorted by ``ST``.
    components : pandas.DataFrame
        Mean and quantiles of every term of the model (cost of leaving, the loss on each
        bond, coercion, counter-bid, credibility), in USD or as a share.
    inputs : pandas.DataFrame
        Every input: distribution, parameters, unit, source or assumption.
    draws : pandas.DataFrame
        One row per Monte Carlo draw, in the order of the draw layout: every input and
        every model term. Kept only with ``wedge(..., keep_draws=True)`` or, by default,
        up to 10^6 draws; otherwise empty (no columns), and ``warnings`` says so.
    """

    scenario: str
    divider_id: str
    target: str
    partner: str
    goal: str
    samples: int
    seed: int | None
    flip_price: pd.Series
    p_flip: pd.DataFrame
    offer: pd.Series
    divider: pd.Series
    drivers: pd.DataFrame
    components: pd.DataFrame
    inputs: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    sources: list[dict[str, str]] = field(default_factory=list)
    context: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (infinite or undefined numbers become ``None``)."""
        fp = {k: _num(v) for k, v in self.flip_price.items()}
        return {
            "scenario": self.scenario,
            "divider": self.divider_id,
            "target": self.target,
            "partner": self.partner,
            "goal": self.goal,
            "samples": self.samples,
            "seed": self.seed,
            "flip_price": {**fp, "unit": "USD"},
            "p_flip": [
                {"offer": _num(o), "p": _num(p)}
                for o, p in zip(self.p_flip["offer"], self.p_flip["p"], strict=True)
            ],
            "offer": {k: _num(v) for k, v in self.offer.items()},
            "willingness_to_pay": {k: _num(v) for k, v in self.divider.items()},
            "drivers": [
                {k: _num(v) if k != "input" else v for k, v in row.items()}
                for row in self.drivers.to_dict(orient="records")
            ],
            "components": [
                {k: _num(v) if k not in {"term", "unit"} else v for k, v in row.items()}
                for row in self.components.reset_index().to_dict(orient="records")
            ],
            "inputs": [
                {k: _num(v) for k, v in row.items()}
                for row in self.inputs.reset_index().to_dict(orient="records")
            ],
            "context": [
                {k: _num(v) for k, v in row.items()}
                for row in self.context.reset_index().to_dict(orient="records")
            ],
            "sources": self.sources,
            "warnings": self.warnings,
        }


def _num(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# The draw layout, a contract (see the module docstring): changing either changes every
# draw of every seed.
_BLOCK = 2**16  # draws per block
_STREAM = 0  # first spawn key of the Monte Carlo blocks; (1,) is the Sobol' stream

# Tuning only: none of these changes any result.
_CHUNK_BLOCKS = 1  # blocks evaluated at once (memory ~ 50 MB per block)
_PAD = 256  # the last, truncated block is evaluated on a multiple of this many draws
_KEEP_DRAWS_MAX = 1_000_000  # keep_draws=None keeps the per-draw table up to this
_PILOT_MIN = 2**16  # smallest pilot sample for the exact quantiles of the terms
_BRACKET_SIGMAS = 6.0  # half-width of a quantile's bracket, in standard errors

# Where in a scenario each term's inputs sit, to name it when it is undefined.
_TERM_PATH = {
    "cost_of_leaving": "question.target_costs",
    "reference_offer": "question.instruments",
    "credibility": "question.instruments",
    "coercion": "question.threats",
    "counter_bid": "question.partner_bid",
    "flip_price_raw": "question",
    "flip_price": "question",
    "max_offer": "question.divider_payoff",
}


@dataclass(frozen=True)
class _Chunk:
    """Consecutive whole blocks of draws (the last block of a run may be cut short)."""

    start: int  # index of the first draw in the run
    stop: int
    segments: tuple[tuple[int, int], ...]  # each block as offsets into the chunk
    x: Mapping[str, NDArray[np.float64]]
    terms: Mapping[str, NDArray[np.float64]]


def _segments(n: int) -> tuple[tuple[int, int], ...]:
    return tuple((a, min(a + _BLOCK, n)) for a in range(0, n, _BLOCK))


def _chunk_bounds(samples: int) -> Iterator[tuple[int, int, int, int]]:
    """(first block, end block, first draw, end draw) of each chunk, in order."""
    blocks = -(-samples // _BLOCK)
    for first in range(0, blocks, _CHUNK_BLOCKS):
        end = min(first + _CHUNK_BLOCKS, blocks)
        yield first, end, first * _BLOCK, min(end * _BLOCK, samples)


def _block_uniforms(entropy: Any, k: int, inputs: int) -> NDArray[np.float64]:
    """Block k's uniforms: one row per uncertain input, one column per draw."""
    seq = np.random.SeedSequence(entropy, spawn_key=(_STREAM, k))
    return np.random.default_rng(seq).random((inputs, _BLOCK))


def _pilot_stride(n: int) -> int:
    """Keep one draw in this many as the pilot sample of each term.

    The pilot's size m balances its own memory (m per term) against that of the values
    inside the brackets (about 22 n / √m per term at ± 6 standard errors).
    """
    return max(1, n // max(_PILOT_MIN, round((11.0 * n) ** (2 / 3))))


class _SumByBlock:
    """Sum and count of a term's finite values, added block by block.

    Each block's sum is NumPy's over that block's values, and the blocks' sums are added
    exactly (``math.fsum``), so that the mean depends on the draws only, not on how many
    blocks are evaluated at once.
    """

    def __init__(self) -> None:
        self.sums: list[float] = []
        self.finite = 0

    def add(self, values: NDArray[np.float64], segments: tuple[tuple[int, int], ...]) -> None:
        finite = np.isfinite(values)
        count = int(np.count_nonzero(finite))
        if count < values.size:
            values = np.where(finite, values, 0.0)
        self.sums.extend(float(values[a:b].sum()) for a, b in segments)
        self.finite += count

    def mean(self) -> float:
        return math.fsum(self.sums) / self.finite if self.finite else math.nan


def _as_quantiles(order: Mapping[int, float], n: int) -> dict[str, float]:
    # Infinite draws (κ̄ = 0) make quantiles between two infinities: inf, not NaN.
    found = {k: linear_quantile(order, n, q) for k, q in _QUANTILES.items()}
    return {k: math.inf if math.isnan(v) else v for k, v in found.items()}


class _MonteCarlo:
    """One run's draws and the statistics streamed from them (see :func:`wedge`).

    Pass 1 stores O* raw (one float64 per draw) and streams the counts, the means and a
    pilot sample of every term; pass 2 regenerates the same blocks (or reads the kept
    table) for the divider's expected gain over the offer grid, P(flip | offer) and the
    exact quantiles of the terms.
    """

    def __init__(
        self,
        model: WedgeModel,
        samples: int,
        entropy: Any,
        seed: int | None,
        offer: float | None,
        keep: bool,
    ) -> None:
        self.model = model
        self.samples = samples
        self.entropy = entropy
        self.seed = seed
        self.offer = offer
        self.keep = keep
        d = len(model.uncertain)
        self.term_names = list(evaluate(model, sample_inputs(model, np.full((d, 1), 0.5))))
        self.summarised = [t for t in self.term_names if t != "flip_price_raw"]
        self.selected = [t for t in self.summarised if t != "flip_price"]
        self.columns = [i.name for i in model.inputs] + self.term_names
        self.ranks = quantile_ranks(samples, _QUANTILES.values())
        self.stride = 1 if keep else _pilot_stride(samples)
        self.table: NDArray[np.float64] | None = None

    # -- the draws -------------------------------------------------------------------

    def chunks(self) -> Iterator[_Chunk]:
        """Every chunk of draws, evaluated, in order."""
        d = len(self.model.uncertain)
        for first, end, start, stop in _chunk_bounds(self.samples):
            n = stop - start
            # Evaluate on whole blocks or a multiple of _PAD draws: no element of a block is
            # left to a vector loop's remainder, so a draw has the same bits in any run.
            width = min((end - first) * _BLOCK, -(-n // _PAD) * _PAD)
            if end - first == 1:
                u = _block_uniforms(self.entropy, first, d)[:, :width]
            else:
                u = np.empty((d, width))
                for k in range(first, end):
                    a = (k - first) * _BLOCK
                    b = min(a + _BLOCK, width)
                    u[:, a:b] = _block_uniforms(self.entropy, k, d)[:, : b - a]
            x = sample_inputs(self.model, u)
            terms = evaluate(self.model, x)
            if width > n:
                x = {k: v[:n] for k, v in x.items()}
                terms = {k: v[:n] for k, v in terms.items()}
            yield _Chunk(start, stop, _segments(n), x, terms)

    def kept_chunks(self) -> Iterator[_Chunk]:
        """The same chunks read back from the kept table."""
        assert self.table is not None
        inputs = [i.name for i in self.model.inputs]
        where = {name: j for j, name in enumerate(self.columns)}
        for _, _, start, stop in _chunk_bounds(self.samples):
            rows = {name: self.table[j, start:stop] for name, j in where.items()}
            yield _Chunk(
                start,
                stop,
                _segments(stop - start),
                {name: rows[name] for name in inputs},
                {name: rows[name] for name in self.term_names},
            )

    def full_term(self, name: str) -> NDArray[np.float64]:
        """One term for every draw (a fallback for a quantile outside its bracket)."""
        if self.table is not None:
            return self.table[self.columns.index(name)]
        values = np.empty(self.samples)
        for chunk in self.chunks():
            values[chunk.start : chunk.stop] = chunk.terms[name]
        return values

    # -- pass 1 ----------------------------------------------------------------------

    def first_pass(self) -> None:
        n = self.samples
        self.raw = np.empty(n)
        self.sums = {t: _SumByBlock() for t in self.summarised}
        self.counts = dict.fromkeys(
            ("nonpositive", "infinite", "below_reference", "within_means", "below_offer"), 0
        )
        if self.keep:
            self.table = np.empty((len(self.columns), n))
        pilot = None
        if not self.keep:
            pilot = np.empty((len(self.selected), -(-n // self.stride)))
        for chunk in self.chunks():
            self._check_defined(chunk)
            raw = chunk.terms["flip_price_raw"]
            self.raw[chunk.start : chunk.stop] = raw
            count = self.counts
            count["nonpositive"] += int(np.count_nonzero(raw <= 0))
            count["infinite"] += int(np.count_nonzero(np.isposinf(raw)))
            count["below_reference"] += int(np.count_nonzero(raw < chunk.terms["reference_offer"]))
            most = np.maximum(chunk.terms["max_offer"], 0.0)
            count["within_means"] += int(np.count_nonzero(raw < most))
            if self.offer is not None:
                count["below_offer"] += int(np.count_nonzero(raw < self.offer))
            for t in self.summarised:
                self.sums[t].add(chunk.terms[t], chunk.segments)
            if self.table is not None:
                values = {**chunk.x, **chunk.terms}
                for j, name in enumerate(self.columns):
                    self.table[j, chunk.start : chunk.stop] = values[name]
            if pilot is not None:
                first = -(-chunk.start // self.stride)  # pilot index of the chunk's first
                local = first * self.stride - chunk.start
                taken = len(range(local, chunk.stop - chunk.start, self.stride))
                for j, t in enumerate(self.selected):
                    pilot[j, first : first + taken] = chunk.terms[t][local :: self.stride]
        self.pilot = pilot

    def _check_defined(self, chunk: _Chunk) -> None:
        """Raise ScenarioError naming the first term that is NaN in any draw of the chunk."""
        if not any(np.isnan(v).any() for v in chunk.terms.values()):
            return
        first = min(
            int(np.flatnonzero(np.isnan(v))[0]) for v in chunk.terms.values() if np.isnan(v).any()
        )
        undefined = [t for t, v in chunk.terms.items() if np.isnan(v[first])]
        term = undefined[0]
        odd = [
            f"{name} = {float(v[first]):g}"
            for name, v in chunk.x.items()
            if v[first] == 0 or not np.isfinite(v[first])
        ]
        path = f"bonds.{term[5:]}" if term.startswith("loss:") else _TERM_PATH[term]
        later = f" (and with it {', '.join(undefined[1:])})" if len(undefined) > 1 else ""
        message = (
            f"the wedge model's term {term!r}{later} is undefined (NaN: an operation such as "
            f"0 × ∞, ∞ − ∞ or 0/0) in Monte Carlo draw {chunk.start + first:,} "
            f"(seed {self.seed}); the inputs that are zero or infinite in that draw: "
            f"{', '.join(odd) or 'none'}"
        )
        raise ScenarioError([Problem(path, message)], file=None)

    # -- between the passes ----------------------------------------------------------

    def flip_price(self) -> tuple[dict[str, float], NDArray[np.float64]]:
        """The summary of O* and the offer grid, from exact order statistics of O* raw.

        O* = max(O* raw, 0) is monotone in O* raw, so the order statistics of one are
        those of the other, clipped; the finite prices are the lowest n − n_∞.
        """
        n = self.samples
        finite = n - self.counts["infinite"]
        top_ranks = quantile_ranks(finite, [0.995]) if finite else []
        kth = sorted(set(self.ranks) | set(top_ranks))
        self.raw.partition(kth)
        order = {r: float(np.maximum(self.raw[r], 0.0)) for r in kth}
        del self.raw  # one array of n fewer for pass 2
        summary = {"mean": self.sums["flip_price"].mean()}
        summary |= _as_quantiles(order, n)
        summary["p_zero"] = self.counts["nonpositive"] / n
        summary["p_infinite"] = self.counts["infinite"] / n
        top = linear_quantile(order, finite, 0.995) if finite else 0.0
        return summary, _round_grid(top)

    # -- pass 2 ----------------------------------------------------------------------

    def second_pass(
        self, grid: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """P(flip | offer) and D's expected gain at each offer of the grid.

        A draw flips at offer o iff O* raw < o and, with a budget cap, o ≤ B_D, that is
        unless max(O* raw, B_D) < o. With b the number of offers at or below a value, the
        sums over the draws that flip at the k-th offer are the sums over b ≤ k, so one
        weighted ``bincount`` per block gives them all; the blocks' sums are added
        exactly.
        """
        n = self.samples
        width = grid.size + 1
        dp = "question.divider_payoff."
        selectors: dict[str, Selector] = {}
        if self.pilot is not None and self.stride > 1:
            for j, t in enumerate(self.selected):
                selectors[t] = Selector(self.pilot[j], n, self.ranks, _BRACKET_SIGMAS)
        rows: dict[str, list[NDArray[np.float64]]] = {
            k: [] for k in ("count", "net", "gamma", "cap_net", "cap_gamma")
        }

        def binned(key: NDArray[np.intp], blocks: int, weights: Any = None) -> NDArray[Any]:
            counts = np.bincount(key, weights=weights, minlength=blocks * width)
            return counts.reshape(blocks, width)

        for chunk in self.kept_chunks() if self.table is not None else self.chunks():
            raw = chunk.terms["flip_price_raw"]
            blocks = len(chunk.segments)
            offset = np.repeat(np.arange(blocks) * width, [b - a for a, b in chunk.segments])
            net = chunk.x[dp + "value_of_split"] - chunk.x[dp + "political_cost"]
            gamma = chunk.x[dp + "cost_per_value"]
            key = np.searchsorted(grid, raw, side="right") + offset
            rows["count"].append(binned(key, blocks))
            rows["net"].append(binned(key, blocks, net))
            rows["gamma"].append(binned(key, blocks, gamma))
            if self.model.has_budget_cap:
                capped = np.maximum(raw, chunk.x[dp + "budget_cap"])
                key = np.searchsorted(grid, capped, side="right") + offset
                rows["cap_net"].append(binned(key, blocks, net))
                rows["cap_gamma"].append(binned(key, blocks, gamma))
            for t, selector in selectors.items():
                selector.add(chunk.terms[t])

        def flipping(name: str) -> NDArray[np.float64]:
            if not rows[name]:
                return np.zeros(grid.size)
            per_block = np.vstack(rows[name])
            totals = np.array([math.fsum(column) for column in per_block.T])
            return np.cumsum(totals)[: grid.size]

        p = np.cumsum(np.vstack(rows["count"]).sum(axis=0))[: grid.size] / n
        gains = flipping("net") - grid * flipping("gamma")
        gains -= flipping("cap_net") - grid * flipping("cap_gamma")
        self.order = self._term_order(selectors)
        return p, gains / n

    def _term_order(self, selectors: Mapping[str, Selector]) -> dict[str, dict[int, float]]:
        """The order statistics each term's quantiles need, exactly."""
        order: dict[str, dict[int, float]] = {}
        for j, t in enumerate(self.selected):
            if t in selectors:
                found = selectors[t].result()
                if all(v is not None for v in found.values()):
                    order[t] = {r: v for r, v in found.items() if v is not None}
                    continue
                values = self.full_term(t)
            elif self.table is not None:
                values = self.table[self.columns.index(t)]
            else:
                assert self.pilot is not None  # stride 1: the pilot is every draw
                values = self.pilot[j]
            order[t] = order_statistics(values, self.ranks)
        self.pilot = None
        return order

    def components(self, price: Mapping[str, float]) -> pd.DataFrame:
        rows = {}
        for t in self.summarised:
            quantiles = (
                {k: price[k] for k in _QUANTILES}
                if t == "flip_price"
                else _as_quantiles(self.order[t], self.samples)
            )
            rows[t] = {
                "unit": "fraction" if t == "credibility" else "USD",
                "mean": self.sums[t].mean(),
                **quantiles,
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "term"
        return table

    def draws(self) -> pd.DataFrame:
        if self.table is None:
            return pd.DataFrame()
        return pd.DataFrame(self.table.T, columns=self.columns, copy=False)


def _check_parameters(
    samples: Any, seed: Any, offer: Any, sobol_samples: Any, keep_draws: Any
) -> None:
    def integer(value: Any) -> bool:
        return isinstance(value, int | np.integer) and not isinstance(value, bool)

    if not integer(samples) or samples < 2:
        msg = f"samples={samples!r} should be >= 2 (an integer number of Monte Carlo draws)"
        raise ParameterError(msg)
    if seed is not None and (not integer(seed) or seed < 0):
        msg = f"seed={seed!r} should be an integer >= 0, or None for fresh entropy"
        raise ParameterError(msg)
    if offer is not None and not (isinstance(offer, int | float) and math.isfinite(offer)):
        msg = f"offer={offer!r} should be a finite amount in USD"
        raise ParameterError(msg)
    if not integer(sobol_samples) or (
        sobol_samples and (sobol_samples < 2 or sobol_samples & (sobol_samples - 1))
    ):
        msg = (
            f"sobol_samples={sobol_samples!r} should be a power of 2 (2, 4, …, e.g. 1024) "
            "or 0 to skip the Sobol' indices"
        )
        raise ParameterError(msg)
    if keep_draws not in (None, True, False):
        msg = f"keep_draws={keep_draws!r} should be True, False or None (automatic)"
        raise ParameterError(msg)


def wedge(
    scenario: Scenario,
    *,
    samples: int = 100_000,
    seed: int | None = 0,
    offer: float | None = None,
    sobol_samples: int = 1024,
    keep_draws: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> WedgeResult:
    """Price the wedge question of ``scenario`` by Monte Carlo, with its drivers.

    The draws follow the layout of the module docstring (blocks of 2^16 draws, block k
    drawn from ``SeedSequence(seed, spawn_key=(0, k))``): the same seed gives the same
    numbers bit for bit, and a run with more draws extends a run with fewer: its first
    ``samples`` draws are those of the shorter run. Memory stays near one float64 per draw
    (O* raw, for its exact quantiles) plus a few tens of MB, unless the per-draw table is
    kept; the run takes two passes over the draws.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    samples : int
        Monte Carlo draws, at least 2.
    seed : int or None
        Seed of every random number used, a non-negative integer; ``None`` draws fresh
        entropy.
    offer : float, optional
        An offer in USD (present value) at which to report P(flip); by default the face
        value of the divider's instruments in each draw.
    sobol_samples : int
        Base sample size N of the Sobol' analysis (a power of 2); it evaluates the model
        N (D + 2) times for D uncertain inputs. 0 skips it. Its random numbers are a
        stream of their own (spawn key 1), independent of ``samples``.
    keep_draws : bool or None
        Keep the per-draw table ``result.draws`` (every input and term: about 8 bytes ×
        (inputs + terms) per draw). ``None`` keeps it up to 10^6 draws.
    progress : callable, optional
        Called with the name of each stage as it starts.

    Returns
    -------
    WedgeResult

    Raises
    ------
    ParameterError
        For samples < 2, a negative seed, a non-finite offer or a ``sobol_samples`` that is
        not 0 or a power of 2.
    ScenarioError
        If a term of the model is undefined (NaN, such as 0 × ∞) in any draw: it names the
        term, the draw and the inputs in it that are zero or infinite. No NaN is ever
        averaged or ranked silently.

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> result = wedge(load_builtin("russia-iran-2017"), samples=2000, sobol_samples=0)
    >>> bool(result.p_flip["p"].is_monotonic_increasing)
    True
    >>> longer = wedge(load_builtin("russia-iran-2017"), samples=3000, sobol_samples=0)
    >>> bool((longer.draws.iloc[:2000].to_numpy() == result.draws.to_numpy()).all())
    True
    """
    _check_parameters(samples, seed, offer, sobol_samples, keep_draws)
    notify = progress or (lambda _stage: None)
    model = compile_model(scenario)
    entropy = np.random.SeedSequence(seed).entropy
    # The two streams are children 0 and 1 of the seed, as SeedSequence(seed).spawn(2)
    # gives them; the Monte Carlo's block k is child k of child 0.
    sobol_seed = np.random.SeedSequence(entropy, spawn_key=(1,))
    keep = samples <= _KEEP_DRAWS_MAX if keep_draws is None else keep_draws

    notify("Monte Carlo")
    mc = _MonteCarlo(model, samples, entropy, seed, offer, keep)
    mc.first_pass()
    summary, grid = mc.flip_price()
    notify("Monte Carlo, second pass")
    p, gains = mc.second_pass(grid)
    curve = pd.DataFrame({"offer": grid, "p": p})
    components = mc.components(summary)

    if offer is None:
        offer_row = pd.Series(
            {
                "value": float(components.loc["reference_offer", "mean"]),
                "reference": True,
                "p_flip": mc.counts["below_reference"] / samples,
            }
        )
    else:
        offer_row = pd.Series(
            {
                "value": float(offer),
                "reference": False,
                "p_flip": mc.counts["below_offer"] / samples,
            }
        )
    best = int(np.argmax(gains))
    divider = pd.Series(
        {
            "max_offer_p50": float(components.loc["max_offer", "p50"]),
            "p_within_means": mc.counts["within_means"] / samples,
            "best_offer": float(grid[best]),
            "expected_gain": float(gains[best]),
        },
        name="divider",
    )

    warnings = list(model.warnings)
    if summary["p_infinite"] > 0:
        warnings.append(
            f"in {summary['p_infinite']:.1%} of draws no offer flips the target "
            "(the divider's credibility is zero); P(flip) never exceeds "
            f"{1 - summary['p_infinite']:.3f}"
        )

    drivers = pd.DataFrame(columns=["input", "description", "S1", "S1_conf", "ST", "ST_conf"])
    if sobol_samples and any(i.affects_price for i in model.uncertain):
        notify("Sobol' indices")
        drivers = _drivers(model, sobol_samples, sobol_seed)
    fixed = [i.name for i in model.inputs if not i.quantity.is_uncertain]
    if fixed:
        warnings.append(
            f"{len(fixed)} point-valued inputs have no sensitivity index: {', '.join(fixed)}"
        )
    if not keep and keep_draws is None:
        size = 8 * len(mc.columns) * samples / 1e9
        warnings.append(
            f"the per-draw table (result.draws) is kept only up to {_KEEP_DRAWS_MAX:,} "
            f"draws; pass keep_draws=True to wedge() to keep all {samples:,} "
            f"(about {size:,.1f} GB)"
        )

    return WedgeResult(
        scenario=model.scenario_id,
        divider_id=model.divider,
        target=model.target,
        partner=model.partner,
        goal=model.goal,
        samples=samples,
        seed=seed,
        flip_price=pd.Series(summary, name="flip_price"),
        p_flip=curve,
        offer=offer_row,
        divider=divider,
        drivers=drivers,
        components=components,
        inputs=_inputs_table(model),
        draws=mc.draws(),
        sources=_sources(scenario, model),
        context=_context_table(scenario),
        warnings=warnings,
    )


def _drivers(model: WedgeModel, n: int, seed: np.random.SeedSequence) -> pd.DataFrame:
    """Sobol' indices of log(1 + O*/1e9) over the uncertain inputs that O* depends on.

    The log tames the heavy right tail that a small κ̄ gives; infinite prices (κ̄ = 0)
    are set to the largest finite one so that the variance exists.
    """
    columns = [k for k, i in enumerate(model.uncertain) if i.affects_price]
    ranked = [model.uncertain[k] for k in columns]

    def output(u_ranked: NDArray[np.float64]) -> NDArray[np.float64]:
        u = np.full((len(model.uncertain), u_ranked.shape[0]), 0.5)
        u[columns] = u_ranked.T
        price = evaluate(model, sample_inputs(model, u))["flip_price"]
        finite_max = np.max(price[np.isfinite(price)], initial=0.0)
        return np.log1p(np.minimum(price, finite_max) / 1e9)

    indices = sobol_indices(output, len(ranked), n, seed=int(seed.generate_state(1)[0]))
    indices.insert(0, "input", [i.name for i in ranked])
    indices.insert(1, "description", [i.description for i in ranked])
    return indices.sort_values("ST", ascending=False, ignore_index=True)


_PARAMS = ("value", "low", "mode", "high", "median", "p90")


def _inputs_table(model: WedgeModel) -> pd.DataFrame:
    rows = []
    for i in model.inputs:
        q = i.quantity
        rows.append(
            {
                "input": i.name,
                "description": i.description,
                "dist": q.dist,  # type: ignore[union-attr]
                **{p: getattr(q, p, None) for p in _PARAMS},
                "unit": q.unit,
                "mean_base_units": q.mean(),
                "source": q.source,
                "assumption": q.assumption,
            }
        )
    return pd.DataFrame(rows).set_index("input")


def _context_table(scenario: Scenario) -> pd.DataFrame:
    rows = [
        {
            "id": c.id,
            "description": c.description,
            "value_base_units": c.value.mean(),
            "unit": c.value.unit,
            "source": c.value.source,
            "note": c.value.note,
        }
        for c in scenario.context
    ]
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def _sources(scenario: Scenario, model: WedgeModel) -> list[dict[str, str]]:
    """Every reference the inputs and context cite, with the inputs that cite it."""
    cited: dict[str, list[str]] = {}
    used = [(i.name, i.quantity.source) for i in model.inputs]
    used += [(f"context.{c.id}", c.value.source) for c in scenario.context]
    for name, source in used:
        for part in (source or "").split(";"):
            key = part.strip()
            if key:
                cited.setdefault(key, []).append(name)
    out = []
    for key, names in cited.items():
        ref = scenario.references.get(key)
        entry = {"key": key, "citation": ref.citation if ref else key, "used_by": names}
        if ref and ref.url:
            entry["url"] = ref.url
        out.append(entry)
    return out
