r"""The frustration index of a signed graph: the driver that picks and times the solver.

The frustration index (line index of balance; Harary 1959 [1]_) is the least total
weight of frustrated edges over all partitions into two blocs,
:math:`L(G) = \min_{x \in \{0, 1\}^n} F(x)`. :func:`frustration_index` checks its
arguments, starts the clock (the whole call shares one time limit), and solves by
enumeration (:mod:`~alliances.analysis.balance.enumeration`), the integer programme of
Aref, Mason and Wilson [2]_ (:mod:`~alliances.analysis.balance.programme`) or the local
search alone (:mod:`~alliances.analysis.balance.search`), returning a
:class:`~alliances.analysis.balance.BalanceResult` that says what is proved.

References
----------
.. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral Science*
   4(4): 316–323.
.. [2] Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational study
   of the frustration index in signed networks. *Networks* 75(1): 95–110.
"""

from __future__ import annotations

import math
import time
import warnings
from typing import Literal

import numpy as np
import pandas as pd

from alliances.analysis.balance import limits
from alliances.analysis.balance.enumeration import _decode, _enumerate
from alliances.analysis.balance.graph import SignedEdges, SignedGraph, frustration
from alliances.analysis.balance.limits import (
    AUTO_ENUMERATION_LIMIT,
    ENUMERATION_LIMIT,
    _checked_time_limit,
    _OutOfTime,
)
from alliances.analysis.balance.programme import _solve_milp
from alliances.analysis.balance.result import BalanceResult
from alliances.analysis.balance.search import _local_search
from alliances.errors import ParameterError

__all__ = ["frustration_index"]

_METHODS = ("auto", "enumerate", "milp", "heuristic")


def frustration_index(
    graph: SignedGraph | SignedEdges | pd.DataFrame,
    *,
    weighted: bool = False,
    method: Literal["auto", "enumerate", "milp", "heuristic"] = "auto",
    time_limit: float | None = None,
    local_minima: bool = False,
) -> BalanceResult:
    r"""The frustration index of a signed graph and a partition that attains it.

    The frustration index (line index of balance) of Harary [1]_ is the least total
    weight of frustrated edges over all partitions into two blocs; it is 0 exactly when
    the graph is balanced. Small graphs are solved by enumerating the :math:`2^{n-1}`
    partitions (:func:`enumerate_partitions`), larger ones by the integer programme of
    Aref, Mason and Wilson [2]_ [3]_,

    .. math::

        L(G) = \min_{x \in \{0, 1\}^n} F(x)
             = \min_{x \in \{0, 1\}^n} \sum_{\sigma_{ij} < 0} w_{ij}
               + \sum_{i<j} \sigma_{ij} w_{ij} (x_i + x_j - 2 x_i x_j),

    .. math::

        L(G) = \min \sum_{(i, j)} w_{ij} f_{ij} \quad \text{s.t.} \quad
        f_{ij} \ge |x_i - x_j| \ (\sigma_{ij} > 0), \quad
        f_{ij} \ge |x_i + x_j - 1| \ (\sigma_{ij} < 0), \quad
        x_i \in \{0, 1\}, \ f_{ij} \in [0, 1],

    with one node fixed and :math:`f_{ij} + f_{jk} + f_{ik} \ge 1` on every unbalanced
    triangle, solved by HiGHS through SciPy.

    Parameters
    ----------
    graph : SignedGraph, SignedEdges or pandas.DataFrame
        The graph; an edge list read from a file
        (:func:`alliances.world.edges.read_edges`); or a frame with ``source``,
        ``target``, ``sign`` [, ``weight``].
    weighted : bool
        Use the ``weight`` column (frames only).
    method : {"auto", "enumerate", "milp", "heuristic"}
        ``auto`` enumerates up to :data:`AUTO_ENUMERATION_LIMIT` (22) nodes and solves
        the integer programme above; ``enumerate`` takes up to
        :data:`ENUMERATION_LIMIT` (26).
    time_limit : float, optional
        Seconds for the whole call, counted from its start (set-up included); None
        means :data:`DEFAULT_TIME_LIMIT` (60 s), ``math.inf`` no limit. At the limit
        the best partition is returned with its lower bound and gap (not proved). If
        the set-up alone uses the time up, or enumeration cannot finish, the local
        search's partition is returned instead, with a :class:`RuntimeWarning`.
    local_minima : bool
        With enumeration, also list every local minimum (cost and partition).

    Returns
    -------
    BalanceResult
        The best value found (``frustration_index``), whether it is proved
        (``optimal``), its ``lower_bound`` and ``gap``, the ``partition`` (node to
        bloc 0 or 1), the method used, the seconds taken, any ``local_minima`` and
        ``warnings``.

    Raises
    ------
    ParameterError
        For an unknown method, a negative or NaN time limit, or ``enumerate`` on more
        than :data:`ENUMERATION_LIMIT` nodes.

    Examples
    --------
    A triangle with one negative edge is unbalanced: one edge must be frustrated.

    >>> edges = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                       "sign": [1, 1, -1]})
    >>> result = frustration_index(edges)
    >>> result.frustration_index, result.optimal
    (1.0, True)

    References
    ----------
    .. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral
       Science* 4(4): 316–323.
    .. [2] Aref, S., Mason, A. J. and Wilson, M. C. (2018). Computing the line index of
       balance using integer programming optimisation. In *Optimization Problems in
       Graph Theory*, Springer, 65–84.
    .. [3] Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational
       study of the frustration index in signed networks. *Networks* 75(1): 95–110.
    """
    started = time.perf_counter()
    limit = _checked_time_limit(time_limit, default=limits.DEFAULT_TIME_LIMIT)
    deadline = started + limit
    if method not in _METHODS:
        msg = f"method={method!r} should be 'auto', 'enumerate', 'milp' or 'heuristic'"
        raise ParameterError(msg)
    if isinstance(graph, pd.DataFrame):
        graph = SignedGraph.from_edges(graph, weighted=weighted)
    else:
        graph = SignedGraph.from_arrays(graph)
    if method == "enumerate" and graph.n > ENUMERATION_LIMIT:
        msg = (
            f"method='enumerate' handles at most {ENUMERATION_LIMIT} nodes (2^"
            f"{ENUMERATION_LIMIT - 1} partitions); this graph has n={graph.n}: use "
            "method 'milp' or 'auto' (--method milp or auto)"
        )
        raise ParameterError(msg)
    if method == "auto":
        method = "enumerate" if graph.n <= AUTO_ENUMERATION_LIMIT else "milp"
    minima: list[tuple[float, dict[object, int]]] = []
    notes: list[str] = []
    if graph.n <= 1 or len(graph.i) == 0:
        x, value, bound, proved = np.zeros(graph.n, dtype=np.int64), 0.0, 0.0, True
    elif method == "enumerate":
        b, constant = graph.coupling()
        try:
            costs, local = _enumerate(
                b, constant, chunk=1 << 16, deadline=deadline, minima=local_minima
            )
        except _OutOfTime:
            value, x = _local_search(graph, deadline=deadline)
            bound, proved = 0.0, value == 0
            notes.append(
                f"enumerating the 2^{graph.n - 1} partitions did not finish within the time "
                f"limit of {limit:g} s; the result is the local search's best partition "
                f"(frustration {value:g}) with the lower bound 0, not proved optimal"
            )
        else:
            k = int(np.argmin(costs))
            x = _decode(k, graph.n)
            value = frustration(graph, x)  # exact sum, free of rounding in the quadratic form
            bound, proved = value, True
            if local_minima:
                for k in map(int, np.flatnonzero(local)):
                    minima.append(
                        (
                            float(costs[k]),
                            dict(zip(graph.nodes, _decode(int(k), graph.n).tolist(), strict=True)),
                        )
                    )
                minima.sort(key=lambda item: item[0])
    elif method == "milp":
        solved = _solve_milp(graph, deadline, limit=limit)
        value, bound, proved, x = solved.value, solved.bound, solved.proved, solved.x
        notes += solved.notes
    else:  # heuristic
        value, x = _local_search(graph, deadline=deadline)
        bound, proved = 0.0, value == 0
    for note in notes:
        warnings.warn(note, RuntimeWarning, stacklevel=2)
    value, bound = float(value), float(min(bound, value))
    gap = 0.0 if proved else (value - bound) / value if value > 0 else 0.0
    return BalanceResult(
        frustration_index=value,
        optimal=bool(proved),
        gap=float(gap),
        lower_bound=bound,
        seconds=time.perf_counter() - started,
        partition=dict(zip(graph.nodes, np.asarray(x).tolist(), strict=True)),
        method=method,
        local_minima=minima,
        warnings=notes,
        time_limit=limit if math.isfinite(limit) else None,
    )
