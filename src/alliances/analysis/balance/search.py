r"""Local search: improving single-node moves, an upper bound on the frustration index.

Moving node v to the other bloc changes the frustration (Harary 1959 [1]_) by
:math:`\Delta F_v = s_v (B s)_v`, with spins :math:`s_i = 1 - 2 x_i` and
:math:`B_{ij} = \sigma_{ij} w_{ij}`; moves of non-adjacent nodes add up, so each round
moves an independent set of improving nodes at once, on sparse arrays. The search starts
from a colouring of a spanning forest (exact for a balanced graph) and from random
partitions, and ends where no single node gains by moving, as Axelrod and Bennett's
actors settle [2]_. It gives :func:`~alliances.analysis.balance.frustration_index` its
quick upper bound and an incumbent for the integer programme (Aref, Mason and Wilson
2020 [3]_), and stands in when a time limit comes first.

References
----------
.. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral Science*
   4(4): 316–323.
.. [2] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation. *British
   Journal of Political Science* 23(2): 211–233.
.. [3] Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational study
   of the frustration index in signed networks. *Networks* 75(1): 95–110.
"""

from __future__ import annotations

import math
import time

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph

from alliances.analysis.balance.graph import SignedGraph, frustration
from alliances.analysis.balance.limits import _checked_time_limit
from alliances.errors import ParameterError

__all__ = ["local_search"]


def local_search(
    graph: SignedGraph, *, starts: int = 20, seed: int = 0, time_limit: float = math.inf
) -> tuple[float, NDArray[np.int64]]:
    r"""Improving single-node moves from several starts; an upper bound, fast.

    The first start colours a spanning forest so that its edges are all satisfied (the
    exact answer for a balanced graph); the others are random. Each round moves, at
    once, a set of nodes no two of which are adjacent, each of which lowers the
    frustration (the best of its improving neighbours), until no move improves. Every
    round costs O(edges) on sparse arrays; with ``time_limit`` (seconds) the search
    stops at the limit (after at least one round) with the best partition so far.

    Returns the lowest frustration found and its partition.

    The search ends at a partition no single node can improve by changing side: a local
    minimum of the frustration [1]_, as Axelrod and Bennett's actors settle where none
    gains by moving [2]_; the frustration index [3]_ is at most its value. With spins
    :math:`s_i = 1 - 2 x_i` and :math:`B_{ij} = \sigma_{ij} w_{ij}`, moving node v
    changes the frustration by

    .. math::

        \Delta F_v = s_v \sum_j B_{vj} s_j = s_v (B s)_v ,

    and moves of non-adjacent nodes add up, so every node of an independent set with
    :math:`\Delta F_v < 0` moves in the same round.

    Parameters
    ----------
    graph : SignedGraph
        The signed, weighted graph.
    starts : int
        Starting partitions, at least 1 (the spanning-forest colouring, then random
        ones); the search stops early at frustration 0.
    seed : int
        Seed of the random starts and of the tie-breaking between adjacent moves.
    time_limit : float
        Seconds for the whole search (``math.inf``, the default, for none).

    Returns
    -------
    value : float
        The lowest frustration found (an upper bound on the frustration index).
    x : ndarray of int, shape (n,)
        A partition (0/1 per node, in the order of ``graph.nodes``) that attains it.

    Raises
    ------
    ParameterError
        For ``starts`` below 1 or a negative or NaN ``time_limit``.

    Examples
    --------
    >>> import pandas as pd
    >>> edges = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                       "sign": [1, 1, -1]})
    >>> value, x = local_search(SignedGraph.from_edges(edges))
    >>> value, x.tolist()
    (1.0, [0, 0, 1])

    References
    ----------
    .. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral
       Science* 4(4): 316–323.
    .. [2] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.
    .. [3] Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational
       study of the frustration index in signed networks. *Networks* 75(1): 95–110.
    """
    if starts < 1:
        msg = f"starts={starts} should be at least 1"
        raise ParameterError(msg)
    limit = _checked_time_limit(time_limit, default=math.inf)
    return _local_search(graph, starts=starts, seed=seed, deadline=time.perf_counter() + limit)


def _local_search(
    graph: SignedGraph, *, starts: int = 20, seed: int = 0, deadline: float = math.inf
) -> tuple[float, NDArray[np.int64]]:
    """:func:`local_search` until ``deadline`` (a :func:`time.perf_counter` reading)."""
    n = graph.n
    if n == 0 or len(graph.i) == 0:
        return 0.0, np.zeros(n, dtype=np.int64)
    b, _ = graph.coupling()
    rng = np.random.default_rng(seed)
    tolerance = 1e-12 * max(1.0, float(np.abs(b.data).max(initial=0.0)))
    best_cost, best_x = math.inf, np.zeros(n, dtype=np.int64)
    for start in range(starts):
        if start and time.perf_counter() > deadline:
            break
        spins = _tree_spins(b) if start == 0 else rng.choice([-1.0, 1.0], n)
        spins = _descend(b, graph, spins, rng.random(n), tolerance, deadline)
        x = (spins < 0).astype(np.int64)
        cost = frustration(graph, x)
        if cost < best_cost - 1e-12:
            best_cost, best_x = cost, x
        if best_cost == 0:
            break
    return best_cost, best_x


def _tree_spins(b: sparse.csr_array) -> NDArray[np.float64]:
    """Spins (±1) that satisfy every edge of a breadth-first spanning forest of B."""
    n = b.shape[0]
    b = b.copy()
    b.eliminate_zeros()  # pairs whose parallel edges cancel say nothing
    _, labels = csgraph.connected_components(b, directed=False)
    _, roots = np.unique(labels, return_index=True)
    # A virtual node n joined by positive edges to one node of each component.
    links = sparse.coo_array(
        (np.ones(roots.size), (np.full(roots.size, n), roots)), shape=(n + 1, n + 1)
    )
    grown = sparse.block_diag([b, sparse.csr_array((1, 1))], format="csr") + links + links.T
    tree = csgraph.breadth_first_tree(sparse.csr_array(grown), n, directed=False).tocoo()
    parent = np.full(n + 1, n, dtype=np.int64)
    odd = np.zeros(n + 1, dtype=np.int8)
    parent[tree.col] = tree.row
    # The tree keeps the weight of the edge as stored from parent to child; B is symmetric.
    odd[tree.col] = tree.data < 0
    # Pointer jumping: odd[v] becomes the parity of negative edges from v to the root.
    ancestor = parent
    while (ancestor != n).any():
        odd = odd ^ odd[ancestor]
        ancestor = ancestor[ancestor]
    return 1.0 - 2.0 * odd[:n].astype(float)


def _descend(
    b: sparse.csr_array,
    graph: SignedGraph,
    spins: NDArray[np.float64],
    priority: NDArray[np.float64],
    tolerance: float,
    deadline: float,
) -> NDArray[np.float64]:
    """Rounds of independent improving moves from ``spins`` until none improves."""
    # Moving node v changes the frustration by s_v (B s)_v; moves of non-adjacent nodes
    # add up, so each round moves an independent set of improving nodes at once.
    spins = spins.copy()
    i, j = graph.i, graph.j
    while True:
        delta = spins * (b @ spins)
        improving = delta < -tolerance
        if not improving.any():
            break
        both = improving[i] & improving[j]
        a, c = i[both], j[both]
        c_first = (delta[c] < delta[a]) | ((delta[c] == delta[a]) & (priority[c] < priority[a]))
        lost = np.zeros_like(improving)
        lost[np.where(c_first, a, c)] = True
        moved = improving & ~lost
        spins[moved] = -spins[moved]
        if time.perf_counter() > deadline:
            break
    return spins
