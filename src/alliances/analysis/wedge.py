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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.analysis.discounting import annuity, lump_sum
from alliances.analysis.sensitivity import sobol_indices
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
        One row per Monte Carlo draw: every input and every model term.
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


def wedge(
    scenario: Scenario,
    *,
    samples: int = 100_000,
    seed: int | None = 0,
    offer: float | None = None,
    sobol_samples: int = 1024,
    progress: Callable[[str], None] | None = None,
) -> WedgeResult:
    """Price the wedge question of ``scenario`` by Monte Carlo, with its drivers.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    samples : int
        Monte Carlo draws.
    seed : int or None
        Seed of every random number used; the same seed gives the same numbers bit for
        bit. ``None`` draws fresh entropy.
    offer : float, optional
        An offer in USD (present value) at which to report P(flip); by default the face
        value of the divider's instruments in each draw.
    sobol_samples : int
        Base sample size N of the Sobol' analysis (a power of 2); it evaluates the model
        N (D + 2) times for D uncertain inputs. 0 skips it.
    progress : callable, optional
        Called with the name of each stage as it starts.

    Returns
    -------
    WedgeResult

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> result = wedge(load_builtin("russia-iran-2017"), samples=2000, sobol_samples=0)
    >>> bool(result.p_flip["p"].is_monotonic_increasing)
    True
    """
    if samples < 2:
        msg = f"samples={samples} should be >= 2"
        raise ValueError(msg)
    if sobol_samples and (sobol_samples < 2 or sobol_samples & (sobol_samples - 1)):
        msg = f"sobol_samples={sobol_samples} should be a power of 2 (e.g. 1024) or 0"
        raise ValueError(msg)
    notify = progress or (lambda _stage: None)
    model = compile_model(scenario)
    seeds = np.random.SeedSequence(seed)
    mc_seed, sobol_seed = seeds.spawn(2)

    notify("Monte Carlo")
    rng = np.random.default_rng(mc_seed)
    u = rng.random((len(model.uncertain), samples))
    x = sample_inputs(model, u)
    terms = evaluate(model, x)
    raw = terms["flip_price_raw"]
    price = terms["flip_price"]

    finite = price[np.isfinite(price)]
    summary = {"mean": float(finite.mean()) if finite.size else math.nan}
    summary |= _quantiles(price)
    summary["p_zero"] = float(np.mean(raw <= 0))
    summary["p_infinite"] = float(np.mean(np.isposinf(raw)))

    grid = offer_grid(price)
    curve = pd.DataFrame({"offer": grid, "p": flip_probability(raw, grid)})
    if offer is None:
        offer_row = pd.Series(
            {
                "value": float(np.mean(terms["reference_offer"])),
                "reference": True,
                "p_flip": float(np.mean(raw < terms["reference_offer"])),
            }
        )
    else:
        offer_row = pd.Series(
            {
                "value": float(offer),
                "reference": False,
                "p_flip": float(flip_probability(raw, np.array([offer]))[0]),
            }
        )

    divider = _divider_side(model, x, terms, grid)
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

    draws = pd.DataFrame({**x, **terms}, copy=False)
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
        components=_components(terms),
        inputs=_inputs_table(model),
        draws=draws,
        sources=_sources(scenario, model),
        context=_context_table(scenario),
        warnings=warnings,
    )


def _divider_side(
    model: WedgeModel, x: Arrays, terms: Arrays, grid: NDArray[np.float64]
) -> pd.Series:
    raw, most = terms["flip_price_raw"], terms["max_offer"]
    dp = "question.divider_payoff."
    net = x[dp + "value_of_split"] - x[dp + "political_cost"]
    gamma = x[dp + "cost_per_value"]
    cap = x[dp + "budget_cap"] if model.has_budget_cap else None
    gains = np.empty(grid.size)
    for k, o in enumerate(grid):
        flips = raw < o
        if cap is not None:
            flips &= o <= cap
        gains[k] = np.mean(np.where(flips, net - gamma * o, 0.0))
    best = int(np.argmax(gains))
    return pd.Series(
        {
            "max_offer_p50": float(np.median(most)),
            "p_within_means": float(np.mean(raw < np.maximum(most, 0.0))),
            "best_offer": float(grid[best]),
            "expected_gain": float(gains[best]),
        },
        name="divider",
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


def _quantiles(values: NDArray[np.float64]) -> dict[str, float]:
    # Infinite draws (κ̄ = 0) make quantiles between two infinities: inf, not a warning.
    with np.errstate(invalid="ignore"):
        found = np.quantile(values, list(_QUANTILES.values()))
    return {
        k: float(v) if not np.isnan(v) else math.inf
        for k, v in zip(_QUANTILES, found, strict=True)
    }


def _components(terms: Arrays) -> pd.DataFrame:
    rows = {}
    for name, values in terms.items():
        if name in {"flip_price_raw"}:
            continue
        finite = values[np.isfinite(values)]
        rows[name] = {
            "unit": "fraction" if name == "credibility" else "USD",
            "mean": float(finite.mean()) if finite.size else math.nan,
            **_quantiles(values),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "term"
    return table


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
