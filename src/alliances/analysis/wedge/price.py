"""The wedge price of a scenario: one call from the scenario to its result.

:func:`wedge` checks its parameters, compiles the scenario
(:mod:`~alliances.analysis.wedge.model`), runs the Monte Carlo over the model's terms
(:mod:`~alliances.analysis.wedge.montecarlo`, :mod:`~alliances.analysis.wedge.evaluation`),
ranks the drivers by their Sobol' indices (:mod:`alliances.analysis.sensitivity`) and
returns a :class:`~alliances.analysis.wedge.WedgeResult`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances._values import amount
from alliances.analysis._checks import warn_fallback
from alliances.analysis.sensitivity import _COLUMNS, _check_sobol_memory, _mid_ranks, _sobol
from alliances.analysis.wedge.evaluation import evaluate
from alliances.analysis.wedge.model import WedgeModel, compile_model, sample_inputs
from alliances.analysis.wedge.montecarlo import _MonteCarlo
from alliances.analysis.wedge.result import WedgeResult, _context_table, _inputs_table, _sources
from alliances.errors import ParameterError, Problem, ScenarioError
from alliances.scenario.labels import term_label
from alliances.scenario.model import Scenario, require_scenario

__all__ = ["wedge"]

_KEEP_DRAWS_MAX = 1_000_000  # keep_draws=None keeps the per-draw table up to this
_SOBOL_SAMPLES = 4096  # the default base sample size N of the drivers (docs/model-numbers.md)
_NAMED = 5  # drivers named in the note on their convergence


def _check_parameters(
    scenario: Any, samples: Any, seed: Any, offer: Any, sobol_samples: Any, keep_draws: Any
) -> None:
    def integer(value: Any) -> bool:
        return isinstance(value, int | np.integer) and not isinstance(value, bool)

    require_scenario(scenario)

    if not integer(samples) or samples < 2:
        msg = f"samples={samples!r} should be >= 2 (an integer number of Monte Carlo draws)"
        raise ParameterError(msg)
    if seed is not None and (not integer(seed) or seed < 0):
        msg = f"seed={seed!r} should be an integer >= 0, or None for fresh entropy"
        raise ParameterError(msg)
    if offer is not None:
        amount(offer, "offer")
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


def _given(
    model: WedgeModel, samples: int, uniforms: NDArray[np.float64] | None
) -> NDArray[np.float64] | None:
    """``uniforms`` checked: shape (D, samples), every value in [0, 1]."""
    if uniforms is None:
        return None
    u = np.asarray(uniforms, dtype=np.float64)
    shape = (len(model.uncertain), samples)
    if u.shape != shape:
        msg = (
            f"uniforms has shape {u.shape}; expected {shape}: one row per uncertain input "
            "of the scenario, one column per draw"
        )
        raise ParameterError(msg)
    if not np.all((u >= 0.0) & (u <= 1.0)):  # NaN fails too
        msg = "uniforms should be probabilities in [0, 1] (NaN is not one)"
        raise ParameterError(msg)
    return u


def wedge(
    scenario: Scenario,
    *,
    samples: int = 100_000,
    seed: int | None = 0,
    offer: float | None = None,
    sobol_samples: int = _SOBOL_SAMPLES,
    keep_draws: bool | None = None,
    progress: Callable[[str], None] | None = None,
    uniforms: NDArray[np.float64] | None = None,
) -> WedgeResult:
    r"""Price the wedge question of ``scenario`` by Monte Carlo, with its drivers.

    What must the divider D promise the target T so that T leaves its partner P (or stays
    neutral), when P can bid to keep it? T defects iff the credible part of the offer O,
    with the coercion Z, beats its cost of leaving C_T and P's credible counter-bid
    κ_P X̄ (a tie keeps T), so the flip price and the chance that an offer flips T are

    .. math::

        O^* = \frac{\max(0,\; C_T - Z + \kappa_P \bar X)}{\bar\kappa}, \qquad
        P(\text{flip} \mid O) = P(O^* < O),

    with O* = ∞ where D's credibility κ̄ is 0 (see
    :func:`~alliances.analysis.wedge.evaluate` for every term: Snyder's dependence and
    commitment [1]_, Crawford's rewards and coercion [2]_, Izumikawa [3]_, Keohane and
    Nye's sensitivity and vulnerability [4]_). One draw is one state of the world that
    all three actors know; D's uncertainty is the spread over the draws. D's side: the
    most it would pay, O_max = min(B_D, (W_D − c_D) / γ_D), and its best offer on the
    grid of :func:`~alliances.analysis.wedge.offer_grid`,

    .. math::

        O_{\text{best}} = \operatorname{arg\,max}_O \;
            E\bigl[\mathbf 1\{O^* < O \le B_D\} \, (W_D - \gamma_D O - c_D)\bigr].

    The drivers are the Sobol' indices [5]_ over the uncertain inputs that O* depends on,
    not of O* itself but of its rank among the N (D + 2) runs of the Sobol' design
    (Saltelli and Sobol' [6]_), that is of the empirical distribution function

    .. math::

        Y = \hat F(O^*) = \frac{\operatorname{rank}(O^*)}{N (D + 2)},

    with the runs where no offer is needed (O* = 0) tied at their mid-rank at the bottom
    and those where none suffices (O* = ∞) tied at theirs at the top. The ranks of O* are
    those of log O* and of O* in any unit, so the drivers are unit-free: the same,
    bit for bit, for a scenario written in USD k or in USD bn, and for one whose money is
    all multiplied by a constant. Each driver also carries its indices from the first N/2
    base points (``S1_half``, ``ST_half``) and ``converged``: whether both moved by no
    more than their 95% half-width from N/2 to N (see
    :mod:`alliances.analysis.sensitivity`); ``warnings`` names the drivers that did not.

    The draws follow the layout of :mod:`alliances.analysis.wedge.montecarlo` (blocks of
    2^16 draws, block k drawn from ``SeedSequence(seed, spawn_key=(0, k))``): the same
    seed gives the same numbers bit for bit, and a run with more draws extends a run with
    fewer: its first ``samples`` draws are those of the shorter run. Memory stays near one
    float64 per draw (O* raw, for its exact quantiles) plus a few tens of MB, unless the
    per-draw table is kept; the run takes two passes over the draws.

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
        value of the divider's instruments in each draw (``offer.p_flip``), with
        P(flip) at their mean face value beside it (``offer.p_flip_at_value``).
    sobol_samples : int
        Base sample size N of the Sobol' analysis (a power of 2); it evaluates the model
        N (D + 2) times for D uncertain inputs. 0 skips it. Its random numbers are a
        stream of their own (spawn key 1), independent of ``samples``. The default, 4096,
        is the smallest at which the 95% intervals of the built-in scenario's indices
        cover their converged values (docs/model-numbers.md).
    keep_draws : bool or None
        Keep the per-draw table ``result.draws`` (every input and term: about 8 bytes ×
        (inputs + terms) per draw). ``None`` keeps it up to 10^6 draws.
    progress : callable, optional
        Called with the name of each stage as it starts.
    uniforms : numpy.ndarray, optional
        The Monte Carlo's uniforms, shape (D, ``samples``), one row per uncertain input
        in the order of :attr:`WedgeModel.uncertain`, in place of the draws of ``seed``
        (which then seeds the Sobol' points only). A sweep's common random numbers give
        them: ``alliances.sweep.common_draws(seed, year, samples).uniforms(model)``
        reproduces a sweep's row (:mod:`~alliances.analysis.wedge.common`).

    Returns
    -------
    WedgeResult
        The summary of O* (``flip_price``), the curve P(flip | O) (``p_flip``), P(flip)
        at the offer (``offer``: ``p_flip_own_package``, each draw at its own package's
        face value, and ``p_flip_at_value``, every draw at the one ``value``; ``p_flip``
        is the first for the reference package, the second for an ``offer`` given), the
        divider's side (``divider``), the drivers, every
        term's distribution (``components``), the inputs with their sources, the
        per-draw table (``draws``, when kept) and ``warnings``.

    Raises
    ------
    ParameterError
        For a ``scenario`` that is no :class:`Scenario`, samples < 2, a negative seed, an
        offer that is negative or not finite, or a ``sobol_samples`` that is not 0 or a
        power of 2; the message shows the value given and the range.
    ScenarioError
        If a term of the model is undefined (NaN, such as 0 × ∞) in any draw, or the flip
        price in any run of the Sobol' analysis: it names the term, the draw and the
        inputs in it that are zero or infinite. No NaN is ever averaged or ranked
        silently.

    Warns
    -----
    AlliancesWarning
        When the per-draw table is not kept because ``keep_draws=None`` and ``samples``
        exceeds 10^6, and when the price does not vary over the Sobol' runs (every index
        is then 0 instead of 0/0). The same sentences are in ``result.warnings``, with the
        notes that are not fallbacks (point-valued inputs without an index, draws that no
        offer flips, drivers whose indices have not converged).

    See Also
    --------
    compile_model, evaluate, flip_probability, offer_grid

    References
    ----------
    .. [1] Snyder, G. H. (1984). The security dilemma in alliance politics. *World
       Politics* 36(4): 461–495; Snyder, G. H. (1997). *Alliance Politics*. Cornell
       University Press.
    .. [2] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies
       shape power politics. *International Security* 35(4): 155–189.
    .. [3] Izumikawa, Y. (2013). To coerce or reward? Theorizing wedge strategies in
       alliance politics. *Security Studies* 22(3): 498–531.
    .. [4] Keohane, R. O. and Nye, J. S. (1977). *Power and Interdependence*. Little,
       Brown.
    .. [5] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and
       Tarantola, S. (2010). Variance based sensitivity analysis of model output.
       *Computer Physics Communications* 181(2): 259–270.
    .. [6] Saltelli, A. and Sobol', I. M. (1995). About the use of rank transformation in
       sensitivity analysis of model output. *Reliability Engineering and System
       Safety* 50(3): 225–239.

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> result = wedge(load_builtin("russia-iran-2017"), samples=2000, sobol_samples=0)
    >>> bool(result.p_flip["p"].is_monotonic_increasing)
    True
    >>> round(result.flip_price["p50"] / 1e9)  # the median flip price, USD bn
    100

    A run with more draws extends one with fewer:

    >>> longer = wedge(load_builtin("russia-iran-2017"), samples=3000, sobol_samples=0)
    >>> bool((longer.draws.iloc[:2000].to_numpy() == result.draws.to_numpy()).all())
    True
    """
    _check_parameters(scenario, samples, seed, offer, sobol_samples, keep_draws)
    notify = progress or (lambda _stage: None)
    model = compile_model(scenario)
    if sobol_samples:  # refused before the Monte Carlo, not after it
        _check_sobol_memory(sobol_samples, sum(i.affects_price for i in model.uncertain))
    entropy = np.random.SeedSequence(seed).entropy
    # The two streams are children 0 and 1 of the seed, as SeedSequence(seed).spawn(2)
    # gives them; the Monte Carlo's block k is child k of child 0.
    sobol_seed = np.random.SeedSequence(entropy, spawn_key=(1,))
    keep = samples <= _KEEP_DRAWS_MAX if keep_draws is None else keep_draws

    notify("Monte Carlo")
    mc = _MonteCarlo(model, samples, entropy, seed, keep, _given(model, samples, uniforms))
    mc.first_pass()
    value = mc.sums["reference_offer"].mean() if offer is None else float(offer)
    below_value = mc.below(value)  # before flip_price() reorders and frees O* raw
    summary, grid = mc.flip_price()
    notify("Monte Carlo, second pass")
    p, gains = mc.second_pass(grid)
    curve = pd.DataFrame({"offer": grid, "p": p})
    components = mc.components(summary)
    components.insert(0, "label", [term_label(scenario, str(t)) for t in components.index])

    own_package = mc.counts["below_reference"] / samples
    at_value = below_value / samples
    offer_row = pd.Series(
        {
            "value": value,
            "reference": offer is None,
            "p_flip": own_package if offer is None else at_value,
            "p_flip_own_package": own_package,
            "p_flip_at_value": at_value,
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

    fallbacks: list[str] = []  # what was done instead of what was asked: also warned
    drivers = pd.DataFrame(columns=["input", "description", *_COLUMNS])
    if sobol_samples and any(i.affects_price for i in model.uncertain):
        notify("Sobol' indices")
        drivers = _drivers(model, sobol_samples, sobol_seed, notes=fallbacks)
        warnings += fallbacks
        warnings += _convergence_notes(drivers, sobol_samples)
    fixed = [i.label or i.name for i in model.inputs if not i.quantity.is_uncertain]
    if fixed:
        warnings.append(
            f"{len(fixed)} point-valued inputs have no sensitivity index: {', '.join(fixed)}"
        )
    if not keep and keep_draws is None:
        size = 8 * len(mc.columns) * samples / 1e9
        note = (
            f"the per-draw table (result.draws) is kept only up to {_KEEP_DRAWS_MAX:,} "
            f"draws; pass keep_draws=True to wedge() to keep all {samples:,} "
            f"(about {size:,.1f} GB)"
        )
        warnings.append(note)
        fallbacks.append(note)
    for note in fallbacks:
        warn_fallback(note, stacklevel=2)

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


def _drivers(
    model: WedgeModel, n: int, seed: np.random.SeedSequence, notes: list[str] | None = None
) -> pd.DataFrame:
    """Sobol' indices of the rank of O* over the uncertain inputs that O* depends on.

    The ranks (mid-ranks for ties: every O* = 0 shares one, every O* = ∞ another) are
    taken over the N (D + 2) runs, and over the first N/2 base points' runs for the
    indices at N/2 (see :func:`wedge`). If the price does not vary over the runs, every
    index is 0 and a sentence saying so is added to ``notes``.
    """
    columns = [k for k, i in enumerate(model.uncertain) if i.affects_price]
    ranked = [model.uncertain[k] for k in columns]

    def output(u_ranked: NDArray[np.float64]) -> NDArray[np.float64]:
        u = np.full((len(model.uncertain), u_ranked.shape[0]), 0.5)
        u[columns] = u_ranked.T
        price = evaluate(model, sample_inputs(model, u))["flip_price"]
        if np.isnan(price).any():
            run = int(np.flatnonzero(np.isnan(price))[0])
            message = (
                f"the flip price is undefined (NaN: an operation such as 0 × ∞ or 0/0) in run "
                f"{run:,} of the Sobol' analysis; the drivers cannot rank it"
            )
            raise ScenarioError([Problem("question", message)], file=None)
        return price

    indices, constant = _sobol(
        output, len(ranked), n, seed=int(seed.generate_state(1)[0]), transform=_mid_ranks
    )
    if constant and notes is not None:
        notes.append(
            f"the flip price does not vary over the {n * (len(ranked) + 2):,} runs of the "
            f"Sobol' analysis: every driver's index is set to 0 instead of 0/0"
        )
    indices.insert(0, "input", [i.name for i in ranked])
    indices.insert(1, "label", [i.label or i.name for i in ranked])
    indices.insert(2, "description", [i.description for i in ranked])
    return indices.sort_values("ST", ascending=False, ignore_index=True, kind="stable")


def _convergence_notes(drivers: pd.DataFrame, n: int) -> list[str]:
    """A sentence naming the drivers whose indices moved beyond their interval, if any."""
    moved = drivers[~drivers["converged"].astype(bool)]
    if moved.empty:
        return []
    if n < 4:
        return [
            f"the convergence of the Sobol' indices cannot be checked with sobol_samples={n} "
            "(it compares N/2 with N base points); use 1024 or more (`--sobol 1024` on the "
            "command line)"
        ]

    def share(x: float) -> str:
        return f"{x:.3f}" if abs(x) >= 0.01 or x == 0 else f"{x:.1e}"

    named = "; ".join(
        f"{row.label} (ST {share(row.ST)} ± {share(row.ST_conf)}, at N/2 "
        f"{share(row.ST_half)}; S1 {share(row.S1)} ± {share(row.S1_conf)}, at N/2 "
        f"{share(row.S1_half)})"
        for row in moved.head(_NAMED).itertuples()
    )
    more = f" and {len(moved) - _NAMED} more" if len(moved) > _NAMED else ""
    return [
        f"the Sobol' indices of {len(moved)} of {len(drivers)} drivers moved by more than "
        f"their 95% interval from N/2 = {n // 2:,} to N = {n:,} base points, so those "
        f"intervals may not cover (drivers column 'converged'): {named}{more}; rerun with "
        f"sobol_samples={2 * n} (`--sobol {2 * n}` on the command line)"
    ]
