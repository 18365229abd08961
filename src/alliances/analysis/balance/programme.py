r"""The integer programme for the frustration index, solved by HiGHS under a deadline.

After Aref, Mason and Wilson (2018, 2020) [1]_ [2]_: binary :math:`x_i`, continuous
:math:`f_{ij} \in [0, 1]` with :math:`f_{ij} \ge |x_i - x_j|` for positive and
:math:`f_{ij} \ge |x_i + x_j - 1|` for negative edges, minimising

.. math::

    L(G) = \min \sum_{(i, j)} w_{ij} f_{ij},

with one node fixed (the two blocs are unordered) and, as valid inequalities,
:math:`f_{ij} + f_{jk} + f_{ik} \ge 1` on every unbalanced triangle (an odd number of
negative edges), found by vectorised lookups. HiGHS [3]_ (through SciPy) proves
optimality; at a time limit the best partition comes with its bound and gap, and is never
called optimal unless the gap is zero.

Time is shared: the local search (the incumbent) and the triangle inequalities come out
of the caller's deadline, HiGHS is given only what is left, and a programme too large to
load into HiGHS in the time left is not started (the local search's partition stands in,
with a note saying so).

References
----------
.. [1] Aref, S., Mason, A. J. and Wilson, M. C. (2018). Computing the line index of balance
   using integer programming optimisation. In *Optimization Problems in Graph Theory*,
   Springer, 65–84.
.. [2] Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational study
   of the frustration index in signed networks. *Networks* 75(1): 95–110.
.. [3] Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex
   method. *Mathematical Programming Computation* 10(1): 119–142 (HiGHS).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from alliances.analysis.balance.graph import SignedGraph, frustration
from alliances.analysis.balance.limits import _OutOfTime
from alliances.analysis.balance.search import _local_search

__all__: list[str] = []

# At most this many triangle inequalities (they are optional cuts; the first found are kept).
_MAX_TRIANGLES = 1_000_000
# Seconds per entry (non-zero, row or column) that loading a programme into HiGHS and
# its presolve take before the solver looks at its clock: about 0.5–1 µs measured on
# programmes of 10^5–10^6 edges, taken high. A programme whose estimate exceeds half the
# time left is not started.
_HIGHS_SECONDS_PER_ENTRY = 1.0e-6
# Share of the time left that the local search may use before the integer programme.
_LOCAL_SEARCH_SHARE = 0.2


def _triangles(
    graph: SignedGraph, *, deadline: float = math.inf, limit: int = _MAX_TRIANGLES
) -> NDArray[np.int64]:
    """Edge index triples of unbalanced triangles (an odd number of negative edges).

    Returns an array of shape (k, 3), at most ``limit`` rows. Each triangle is found once,
    from its node of lowest degree, by vectorised lookups of wedge ends; one edge stands
    for a pair with parallel edges. Raises ``_OutOfTime`` past ``deadline``.
    """
    n, m = graph.n, len(graph.i)
    none = np.empty((0, 3), dtype=np.int64)
    if m < 3 or limit <= 0:
        return none
    key = graph.i * n + graph.j
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    first = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    pair_key, pair_edge = sorted_key[first], order[first]
    a, c = pair_key // n, pair_key % n
    degree = np.bincount(np.r_[a, c], minlength=n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    low = rank[a] < rank[c]
    u, v = np.where(low, a, c), np.where(low, c, a)
    out = np.lexsort((v, u))
    u, v, uv_edge = u[out], v[out], pair_edge[out]
    starts = np.searchsorted(u, np.arange(n + 1))
    partners = starts[u + 1] - np.arange(u.size) - 1  # later slots of the same node
    reach = np.cumsum(partners)
    found: list[NDArray[np.int64]] = []
    count, slot, step = 0, 0, 1 << 21
    while slot < u.size and count < limit:
        if time.perf_counter() > deadline:
            raise _OutOfTime
        done = reach[slot - 1] if slot else 0
        end = max(int(np.searchsorted(reach, done + step, side="right")), slot + 1)
        cnt = partners[slot:end]
        p = np.repeat(np.arange(slot, end), cnt)
        q = p + 1 + np.arange(p.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        lo, hi = np.minimum(v[p], v[q]), np.maximum(v[p], v[q])
        at = np.minimum(np.searchsorted(pair_key, lo * n + hi), pair_key.size - 1)
        hit = pair_key[at] == lo * n + hi
        tri = np.stack([uv_edge[p[hit]], uv_edge[q[hit]], pair_edge[at[hit]]], axis=1)
        tri = tri[graph.sign[tri].prod(axis=1) < 0]
        found.append(tri[: limit - count])
        count += len(found[-1])
        slot = end
    return np.concatenate(found) if found else none


def _entries(n: int, m: int, triangles: int) -> int:
    """Non-zeros, rows and columns of the programme (the size HiGHS loads)."""
    return 6 * m + 3 * triangles + (2 * m + triangles) + (n + m)


@dataclass
class _Solved:
    """What the programme proved: the value, its bound, the partition and any notes."""

    value: float
    bound: float
    proved: bool
    x: NDArray[np.int64]
    notes: list[str] = field(default_factory=list)


def _solve_milp(
    graph: SignedGraph, deadline: float, *, limit: float, plain: bool = False
) -> _Solved:
    """The programme under a deadline, after a local search for an incumbent.

    ``plain`` leaves out the triangle inequalities and the fixed node (the textbook
    formulation, kept as the benchmark's baseline).
    """
    started = time.perf_counter()
    n, m = graph.n, len(graph.i)
    remaining = deadline - started
    fits = _HIGHS_SECONDS_PER_ENTRY * _entries(n, m, 0) <= 0.5 * remaining
    share = deadline if not fits else started + _LOCAL_SEARCH_SHARE * remaining
    value, x = _local_search(graph, deadline=share)
    if value == 0:  # nothing frustrated: proved
        return _Solved(0.0, 0.0, True, x)

    def fallback(reason: str) -> _Solved:
        note = (
            f"{reason}; the integer programme was not run: the result is the local search's "
            f"best partition (frustration {value:g}) with the lower bound 0, not proved "
            "optimal; a longer time limit may prove it"
        )
        return _Solved(value, 0.0, False, x, [note])

    if not fits:
        entries = _entries(n, m, 0)
        return fallback(
            f"the time limit of {limit:g} s left {max(remaining, 0):.3g} s, too little to "
            f"load the programme for {m:,} edges ({entries:,} entries, about "
            f"{_HIGHS_SECONDS_PER_ENTRY * entries:.2g} s) into HiGHS"
        )
    try:
        if plain:
            triangles = np.empty((0, 3), dtype=np.int64)
        else:
            room = 0.5 * (deadline - time.perf_counter()) / _HIGHS_SECONDS_PER_ENTRY
            cap = int(min(_MAX_TRIANGLES, max(0.0, (room - _entries(n, m, 0)) / 4)))
            triangles = np.asarray(_triangles(graph, deadline=deadline, limit=cap))
        if time.perf_counter() >= deadline:
            raise _OutOfTime
        problem = _programme(graph, triangles.reshape(-1, 3), plain=plain)
        left = deadline - time.perf_counter()
        if left <= 0:
            raise _OutOfTime
    except _OutOfTime:
        return fallback(
            f"the set-up (local search and triangle inequalities) used up the time limit "
            f"of {limit:g} s after {time.perf_counter() - started:.3g} s"
        )
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if math.isfinite(left):
        options["time_limit"] = float(left)
    cost, matrix, lower, low, high, integrality = problem
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lower, np.inf),
        integrality=integrality,
        bounds=Bounds(low, high),
        options=options,
    )
    # The local search's partition stands in when the limit comes before a solution.
    if result.x is not None:
        found = np.round(result.x[:n]).astype(np.int64)
        if frustration(graph, found) <= value:
            value, x = frustration(graph, found), found
    dual = getattr(result, "mip_dual_bound", None)
    bound = float(dual) if dual is not None and np.isfinite(dual) else 0.0
    bound = max(0.0, min(bound, value))
    # With integer weights a bound within 1 of the value also proves optimality.
    integer = bool(np.all(graph.weight == np.round(graph.weight)))
    proved = bool(
        (result.status == 0 and result.x is not None)
        or (integer and value - math.ceil(bound - 1e-9) < 0.5)
    )
    return _Solved(value, value if proved else bound, proved, x)


def _programme(
    graph: SignedGraph, triangles: NDArray[np.int64], *, plain: bool
) -> tuple[
    NDArray[np.float64],
    sparse.csr_array,
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]:
    """Costs, constraint matrix and lower sides, variable bounds and integrality."""
    n, m = graph.n, len(graph.i)
    f = n + np.arange(m)
    a, c = graph.i, graph.j
    positive = graph.sign > 0
    one = np.ones(m)
    turn = np.where(positive, 1.0, -1.0)
    # positive: f ≥ x_a − x_c and f ≥ x_c − x_a; negative: f ≥ x_a + x_c − 1, f ≥ 1 − x_a − x_c
    cols = np.stack([f, a, c, f, a, c], axis=1).ravel()
    vals = np.stack([one, -one, turn, one, one, -turn], axis=1).ravel()
    lower = np.stack([np.where(positive, 0.0, -1.0), np.where(positive, 0.0, 1.0)], axis=1)
    rows = np.repeat(np.arange(2 * m), 3)
    t = len(triangles)
    if t:
        rows = np.r_[rows, np.repeat(2 * m + np.arange(t), 3)]
        cols = np.r_[cols, n + triangles.ravel()]
        vals = np.r_[vals, np.ones(3 * t)]
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(2 * m + t, n + m))
    lower = np.r_[lower.ravel(), np.ones(t)]
    cost = np.concatenate([np.zeros(n), graph.weight])
    low, high = np.zeros(n + m), np.ones(n + m)
    if not plain:
        fixed = int(np.argmax(np.bincount(np.concatenate([a, c]), minlength=n)))
        low[fixed] = 1.0  # symmetry: the busiest node is in bloc 1
    integrality = np.concatenate([np.ones(n), np.zeros(m)])
    return cost, matrix, lower, low, high, integrality


def _milp(
    graph: SignedGraph, time_limit: float | None, *, plain: bool = False
) -> tuple[float, float, bool, NDArray[np.int64]]:
    """The integer programme alone, as (value, bound, proved, partition); ``time_limit``
    None means none. Kept for ``benchmarks/balance.py``."""
    limit = math.inf if time_limit is None else float(time_limit)
    solved = _solve_milp(graph, time.perf_counter() + limit, limit=limit, plain=plain)
    return solved.value, solved.bound, solved.proved, solved.x
