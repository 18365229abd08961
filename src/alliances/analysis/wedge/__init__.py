r"""The wedge price: what a divider D must offer a target T to pull it away from a partner P.

The model (DESIGN.md §4), in brief. All money is in constant US dollars, flows are
valued as present values over the horizon H at the discount rate r (see
:mod:`alliances.analysis.discounting`), and one Monte Carlo draw is one state of the world
that all three actors know; D's uncertainty is the spread over draws.

* **T's cost of leaving** P, C_T: the surplus it loses on each T–P bond, all of it for a
  while (sensitivity), then what it cannot replace (vulnerability; Keohane and Nye 1977
  [4]_), with its reputation cost, P's retaliation and the cost of D's demand (Snyder
  1997 [1]_; Morrow 1991 [5]_; Fearon 1994 [6]_ on audience costs).
* **D's offer**: instruments of face value O_i, credible in the share κ_i that survives
  being blocked and D reneging; κ̄ is their value-weighted mean (Crawford 2011 [2]_;
  Izumikawa 2013 [3]_). **Coercion** Z counts only new threats, net of the backlash.
* **P's counter-bid**: at most X̄ = min(W_P, B_P) / γ_P, credible with κ_P.
* **Decision**: T defects iff κ̄ O + Z > C_T + κ_P X̄ (a tie keeps T), so the flip price
  is

  .. math::

      O^* = \max(0,\; C_T - Z + \kappa_P \bar X) / \bar\kappa ,

  infinite when κ̄ = 0, and P(flip | O) = P(O* < O) over the draws.
* **Drivers**: Sobol' indices of the rank of O* over the uncertain inputs (unit-free: the
  same in any money unit; the draws with O* = 0 and O* = ∞ are ties), each with its
  value at half the Sobol' points and whether it has converged.

Each formula is given in full, with its paper, in the docstring of the function that
computes it: :func:`evaluate` (every term), :func:`flip_probability`, :func:`offer_grid`
and :func:`wedge` (the price, the divider's best offer and the drivers).

The package, one topic a module:

=====================  ===============================================================
``model``              :class:`Input`, :class:`WedgeModel`, :func:`compile_model` and
                       :func:`sample_inputs`: the scenario's question as named inputs
``evaluation``         :func:`evaluate`, :func:`flip_probability`, :func:`offer_grid`:
                       the formulas, for every draw at once
``montecarlo``         the draw layout (a contract) and the two streaming passes
``result``             :class:`WedgeResult`, its JSON-ready form and its tables
``price``              :func:`wedge`: parameters, Monte Carlo, drivers, result
=====================  ===============================================================

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

from alliances.analysis.wedge.evaluation import evaluate, flip_probability, offer_grid
from alliances.analysis.wedge.model import Input, WedgeModel, compile_model, sample_inputs
from alliances.analysis.wedge.model import _Timing as _Timing
from alliances.analysis.wedge.price import _drivers as _drivers
from alliances.analysis.wedge.price import wedge
from alliances.analysis.wedge.result import WedgeResult

__all__ = [
    "Input",
    "WedgeModel",
    "WedgeResult",
    "compile_model",
    "evaluate",
    "flip_probability",
    "offer_grid",
    "sample_inputs",
    "wedge",
]
