"""The wedge price of a scenario: one call from the scenario to its result.

:func:`wedge` checks its parameters, compiles the scenario
(:mod:`~alliances.analysis.wedge.model`), runs the Monte Carlo over the model's terms
(:mod:`~alliances.analysis.wedge.montecarlo`, :mod:`~alliances.analysis.wedge.evaluation`),
ranks the drivers by their Sobol' indices (:mod:`alliances.analysis.sensitivity`) and
returns a :class:`~alliances.analysis.wedge.WedgeResult`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.analysis._checks import warn_fallback
from alliances.analysis.sensitivity import _sobol
from alliances.analysis.wedge.evaluation import evaluate
from alliances.analysis.wedge.model import WedgeModel, compile_model, sample_inputs
from alliances.analysis.wedge.montecarlo import _MonteCarlo
from alliances.analysis.wedge.result import WedgeResult, _context_table, _inputs_table, _sources
from alliances.errors import ParameterError
from alliances.scenario.model import Scenario

__all__ = ["wedge"]

_KEEP_DRAWS_MAX = 1_000_000  # keep_draws=None keeps the per-draw table up to this


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

    The drivers are the Sobol' indices [5]_ of log(1 + O*/10^9) over the uncertain
    inputs that O* depends on (infinite prices set to the largest finite one).

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
        The summary of O* (``flip_price``), the curve P(flip | O) (``p_flip``), P(flip)
        at the offer (``offer``), the divider's side (``divider``), the drivers, every
        term's distribution (``components``), the inputs with their sources, the
        per-draw table (``draws``, when kept) and ``warnings``.

    Raises
    ------
    ParameterError
        For samples < 2, a negative seed, a non-finite offer or a ``sobol_samples`` that is
        not 0 or a power of 2; the message shows the value given and the range.
    ScenarioError
        If a term of the model is undefined (NaN, such as 0 × ∞) in any draw: it names the
        term, the draw and the inputs in it that are zero or infinite. No NaN is ever
        averaged or ranked silently.

    Warns
    -----
    AlliancesWarning
        When the per-draw table is not kept because ``keep_draws=None`` and ``samples``
        exceeds 10^6, and when the price does not vary over the Sobol' runs (every index
        is then 0 instead of 0/0). The same sentences are in ``result.warnings``, with the
        notes that are not fallbacks (point-valued inputs without an index, draws that no
        offer flips).

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

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> result = wedge(load_builtin("russia-iran-2017"), samples=2000, sobol_samples=0)
    >>> bool(result.p_flip["p"].is_monotonic_increasing)
    True
    >>> round(result.flip_price["p50"] / 1e9)  # the median flip price, USD bn
    96

    A run with more draws extends one with fewer:

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

    fallbacks: list[str] = []  # what was done instead of what was asked: also warned
    drivers = pd.DataFrame(columns=["input", "description", "S1", "S1_conf", "ST", "ST_conf"])
    if sobol_samples and any(i.affects_price for i in model.uncertain):
        notify("Sobol' indices")
        drivers = _drivers(model, sobol_samples, sobol_seed, notes=fallbacks)
        warnings += fallbacks
    fixed = [i.name for i in model.inputs if not i.quantity.is_uncertain]
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
    """Sobol' indices of log(1 + O*/1e9) over the uncertain inputs that O* depends on.

    The log tames the heavy right tail that a small κ̄ gives; infinite prices (κ̄ = 0)
    are set to the largest finite one so that the variance exists. If the price does not
    vary over the runs, every index is 0 and a sentence saying so is added to ``notes``.
    """
    columns = [k for k, i in enumerate(model.uncertain) if i.affects_price]
    ranked = [model.uncertain[k] for k in columns]

    def output(u_ranked: NDArray[np.float64]) -> NDArray[np.float64]:
        u = np.full((len(model.uncertain), u_ranked.shape[0]), 0.5)
        u[columns] = u_ranked.T
        price = evaluate(model, sample_inputs(model, u))["flip_price"]
        finite_max = np.max(price[np.isfinite(price)], initial=0.0)
        return np.log1p(np.minimum(price, finite_max) / 1e9)

    indices, constant = _sobol(output, len(ranked), n, seed=int(seed.generate_state(1)[0]))
    if constant and notes is not None:
        notes.append(
            f"the flip price does not vary over the {n * (len(ranked) + 2):,} runs of the "
            f"Sobol' analysis: every driver's index is set to 0 instead of 0/0"
        )
    indices.insert(0, "input", [i.name for i in ranked])
    indices.insert(1, "description", [i.description for i in ranked])
    return indices.sort_values("ST", ascending=False, ignore_index=True)
