r"""Structural balance and landscape energy: the best two-bloc partition, solved exactly.

A signed, weighted graph has edges (i, j) with sign :math:`\sigma_{ij} = \pm 1` and weight
:math:`w_{ij} > 0`. A partition :math:`x \in \{0, 1\}^n` into two blocs frustrates a
positive edge across the blocs and a negative edge inside one. The **frustration index**
(line index of balance; Harary 1959) is the least total weight of frustrated edges over
all partitions. Writing :math:`d_{ij} = x_i + x_j - 2 x_i x_j` (1 across, 0 inside) and
:math:`B_{ij} = \sigma_{ij} w_{ij}`,

.. math::

    F(x) = \sum_{\sigma_{ij} < 0} w_{ij} + \sum_{i<j} B_{ij} d_{ij}
         = \sum_{\sigma_{ij} < 0} w_{ij} + \sum_i x_i \sum_j B_{ij} - x^\top B x .

Axelrod and Bennett's (1993) **landscape energy** of a partition,
:math:`E(x) = \sum_i \sum_{j \ne i} s_i s_j p_{ij} d_{ij}`, is the same form with
:math:`B_{ij} = 2 s_i s_j p_{ij}` and no constant, so both are minimised by one solver:

* **enumeration** for small n: every partition with the last node fixed (the two blocs
  are unordered), the quadratic form evaluated for all of them at once, which also gives
  every local minimum (no single actor can lower the energy by changing side);
* **integer programming** for larger n, after Aref, Mason and Wilson (2018, 2020): binary
  :math:`x_i`, continuous :math:`f_{ij} \in [0, 1]` with :math:`f_{ij} \ge |x_i - x_j|`
  for positive and :math:`f_{ij} \ge |x_i + x_j - 1|` for negative edges, minimising
  :math:`\sum w_{ij} f_{ij}`, with one node fixed (symmetry) and, as valid inequalities,
  :math:`f_{ij} + f_{jk} + f_{ik} \ge 1` on every unbalanced triangle. HiGHS (through
  SciPy) proves optimality; at a time limit the best partition comes with its bound and
  gap, and is never called optimal unless the gap is zero;
* a **local search** (independent sets of improving single moves, from a spanning-tree
  colouring and random starts) for a quick upper bound, which also stands in if the time
  limit comes before the programme finds a solution.

Time and memory
---------------
Everything works on edge arrays and sparse matrices: nothing of size n × n is built
(except the 2^(n−1) × n blocks of enumeration, for at most :data:`ENUMERATION_LIMIT`
nodes). :func:`frustration_index` has a time limit by default
(:data:`DEFAULT_TIME_LIMIT`, 60 s), counted from the call: the set-up (the local search,
the triangle inequalities) and the solver share it, HiGHS is given only what is left, and
an integer programme too large to load into HiGHS in the time left is not started. When
the set-up uses the time up, the local search's partition is returned with its lower
bound and gap and a :class:`RuntimeWarning` saying so (also kept in
:attr:`BalanceResult.warnings`).

Edge lists
----------
The analysis reads no files: :func:`alliances.world.edges.read_edges` reads and checks a
CSV edge list (every problem a :class:`~alliances.errors.DataError` naming the file, line
and column) into an edge list that :func:`frustration_index` takes as it is;
:meth:`SignedGraph.from_edges` builds a graph from a frame made in Python (self-loops
dropped, repeated pairs with the same sign merged).

The package, one topic a module:

===============  =====================================================================
``graph``        :class:`SignedGraph` and :func:`frustration`: the edges as arrays,
                 the coupling B and the frustration of a partition
``enumeration``  :func:`enumerate_partitions`: every partition's cost, the local minima
``search``       :func:`local_search`: improving moves, an upper bound
``programme``    the integer programme (triangle inequalities, HiGHS, the deadline)
``result``       :class:`BalanceResult` and its JSON-ready form
``index``        :func:`frustration_index`: the method, the clock, the result
``limits``       :data:`DEFAULT_TIME_LIMIT`, :data:`AUTO_ENUMERATION_LIMIT`,
                 :data:`ENUMERATION_LIMIT`
===============  =====================================================================

References
----------
.. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral Science*
   4(4): 316–323.
.. [2] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation. *British
   Journal of Political Science* 23(2): 211–233.
.. [3] Aref, S., Mason, A. J. and Wilson, M. C. (2018). Computing the line index of balance
   using integer programming optimisation. In *Optimization Problems in Graph Theory*,
   Springer, 65–84.
.. [4] Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational study
   of the frustration index in signed networks. *Networks* 75(1): 95–110.
.. [5] Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex
   method. *Mathematical Programming Computation* 10(1): 119–142 (HiGHS).
"""

from __future__ import annotations

from alliances.analysis.balance.enumeration import enumerate_partitions
from alliances.analysis.balance.graph import SignedGraph, frustration
from alliances.analysis.balance.index import frustration_index
from alliances.analysis.balance.limits import (
    AUTO_ENUMERATION_LIMIT,
    DEFAULT_TIME_LIMIT,
    ENUMERATION_LIMIT,
)
from alliances.analysis.balance.result import BalanceResult
from alliances.analysis.balance.search import local_search

__all__ = [
    "AUTO_ENUMERATION_LIMIT",
    "DEFAULT_TIME_LIMIT",
    "ENUMERATION_LIMIT",
    "BalanceResult",
    "SignedGraph",
    "enumerate_partitions",
    "frustration",
    "frustration_index",
    "local_search",
]
