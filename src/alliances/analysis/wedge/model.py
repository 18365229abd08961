r"""The wedge question of a scenario compiled to named inputs and the terms that use them.

:func:`compile_model` reads a :class:`~alliances.scenario.model.Scenario` once and lists
every number the model needs as an :class:`Input` (its path in the scenario, its quantity
and a description), grouped into the terms of the cost of leaving (the T–P bonds), of the
offer (the divider's instruments) and of coercion (the threats).
:func:`sample_inputs` turns uniforms into values of the inputs by their inverse CDFs.
The formulas that combine them are in :mod:`alliances.analysis.wedge.evaluation`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from alliances.scenario.labels import input_labels
from alliances.scenario.model import BondSide, Scenario
from alliances.scenario.quantity import Quantity

__all__ = ["Input", "WedgeModel", "compile_model", "sample_inputs"]


@dataclass(frozen=True)
class Input:
    """One number of the model: where it sits in the scenario and its quantity.

    ``name`` is its path in the scenario (for scripts), ``description`` its symbol in the
    model and ``label`` the plain words a table for people shows
    (:func:`alliances.scenario.labels.input_label`).
    """

    name: str
    quantity: Quantity
    description: str
    affects_price: bool = True  # False for the divider's payoff, which O* does not use
    label: str = ""


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

    @cached_property
    def uncertain(self) -> tuple[Input, ...]:
        """The inputs that have a distribution (the ones Sobol indices are given for)."""
        return tuple(i for i in self.inputs if i.quantity.is_uncertain)


def compile_model(scenario: Scenario, *, labels: bool = True) -> WedgeModel:
    r"""Collect the inputs of a scenario's wedge question and the terms that combine them.

    Each input is a symbol of the flip price (see
    :func:`~alliances.analysis.wedge.evaluate`),

    .. math::

        O^* = \frac{\max(0,\; C_T - Z + \kappa_P \bar X)}{\bar\kappa}, \qquad
        C_T = \sum_b L_b(r, v_b, \ell_b, s_b, \tau_b) + \rho_T + R_P + K_T,

    named by its path in the scenario: the discount rate r (``question.discount_rate``);
    for each bond b between the target T and the partner P, T's side of it only, the
    yearly surplus v_b (``bonds.<id>.<T>.value``, or ``revenue`` times ``margin``), the
    share lost ℓ_b (``loss``), the substitutable share s_b and the adjustment years τ_b
    (Keohane and Nye's sensitivity and vulnerability [2]_); T's reputation cost ρ_T, P's
    retaliation R_P and the cost of D's demand K_T (``question.target_costs``; Snyder's
    commitment [1]_, Morrow's autonomy [3]_); P's stake W_P, means B_P, cost per value γ_P
    and credibility κ_P (``question.partner_bid``); each instrument's face value, chance
    of being blocked q_i and renege hazard λ_i, each threat's harm N, credibility π and
    backlash β; and the divider's payoff (W_D, c_D, γ_D, B_D), which O* does not use.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario with its ``question``.
    labels : bool
        Give each input its words for people (:attr:`Input.label`); a sweep of many
        scenarios that shows none of them skips this (the labels are then "").

    Returns
    -------
    WedgeModel
        The inputs in a fixed order (the order of the Monte Carlo rows, see
        :attr:`WedgeModel.uncertain`), the bond, instrument and threat terms, and
        ``warnings`` (for instance when no T–P bond gives T a value). Context figures
        never enter: they frame the question but do not depend on T's choice.

    See Also
    --------
    sample_inputs : values of the inputs from uniforms.
    alliances.analysis.wedge.evaluate : the terms for every draw.

    References
    ----------
    .. [1] Snyder, G. H. (1997). *Alliance Politics*. Cornell University Press.
    .. [2] Keohane, R. O. and Nye, J. S. (1977). *Power and Interdependence*. Little,
       Brown, ch. 1 (sensitivity and vulnerability).
    .. [3] Morrow, J. D. (1991). Alliances and asymmetry: an alternative to the
       capability aggregation model of alliances. *American Journal of Political
       Science* 35(4): 904–933.

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> model = compile_model(load_builtin("russia-iran-2017"))
    >>> model.divider, model.target, model.partner, model.horizon
    ('USA', 'RUS', 'IRN', 10)
    >>> [b.id for b in model.bonds]
    ['arms-deals', 'nuclear-commerce', 'trade', 'syria-foothold', 'eurasian-partnership']
    >>> model.inputs[0].name, model.inputs[0].description
    ('question.discount_rate', 'discount rate r')
    >>> model.inputs[0].label, model.inputs[-1].label
    ('yearly discount rate', 'backlash of the threat of secondary sanctions')
    >>> len(model.inputs), len(model.uncertain)
    (39, 37)
    """
    q = scenario.question
    inputs: list[Input] = []

    def add(name: str, quantity: Quantity, description: str, affects_price: bool = True) -> str:
        inputs.append(Input(name, quantity, description, affects_price))
        return name

    add("question.discount_rate", q.discount_rate, "discount rate r")
    bonds: list[_BondTerm] = []
    warnings: list[str] = []
    for bond in scenario.bonds_between(str(q.target), str(q.partner)):
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
    warnings.extend(
        f"bond {term.id} starts in year {term.timing.start:g}, at or after the horizon of "
        f"{q.horizon} years: its yearly value adds nothing to the price"
        for term in bonds
        if term.timing.is_flow and term.timing.start >= q.horizon
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

    instruments: list[_InstrumentTerm] = []
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
    threats: list[_ThreatTerm] = []
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
    if labels:
        words = input_labels(scenario, [i.name for i in inputs])
        inputs = [replace(i, label=words[i.name]) for i in inputs]
    return WedgeModel(
        scenario_id=scenario.id,
        divider=str(q.divider),
        target=str(q.target),
        partner=str(q.partner),
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
    r"""Turn uniform probabilities into input values by each input's inverse CDF.

    Draw j of an uncertain input X with distribution function F is

    .. math::

        x_j = F^{-1}(u_{ij}),

    the inverse-transform method [1]_, so that a uniform row of the Monte Carlo blocks,
    or a Sobol' point, becomes a draw of every input at once; a point-valued input is its
    value in every draw.

    Parameters
    ----------
    model : WedgeModel
        The compiled model.
    u : numpy.ndarray, shape (d, n)
        Probabilities in [0, 1]: one *row* per uncertain input, in the order of
        ``model.uncertain``, and one column per draw, so that each input reads
        contiguous memory.

    Returns
    -------
    dict of str to numpy.ndarray
        Every input of ``model`` by name, as an array of n values in the base unit of
        its quantity (USD, USD per year, a share, years); point-valued inputs are
        constant arrays.

    References
    ----------
    .. [1] Devroye, L. (1986). *Non-Uniform Random Variate Generation*. Springer,
       ch. 2.2 (the inversion method).

    Examples
    --------
    The medians of every input (u = 0.5), in two draws:

    >>> from alliances.scenario import load_builtin
    >>> model = compile_model(load_builtin("russia-iran-2017"))
    >>> x = sample_inputs(model, np.full((len(model.uncertain), 2), 0.5))
    >>> x["question.discount_rate"].round(4).tolist()
    [0.0526, 0.0526]
    """
    row = {i.name: k for k, i in enumerate(model.uncertain)}
    n = u.shape[1]
    return {
        i.name: i.quantity.ppf(u[row[i.name]]) if i.name in row else np.full(n, i.quantity.mean())
        for i in model.inputs
    }
