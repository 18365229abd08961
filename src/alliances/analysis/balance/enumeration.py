r"""Exact enumeration: the cost of every two-bloc partition of a small graph at once.

The frustration of a partition :math:`x \in \{0, 1\}^n` (Harary 1959 [1]_) is the
quadratic form

.. math::

    F(x) = \sum_{\sigma_{ij} < 0} w_{ij} + \sum_i x_i \sum_j B_{ij} - x^\top B x ,
    \qquad B_{ij} = \sigma_{ij} w_{ij},

and Axelrod and Bennett's (1993) landscape energy [2]_,
:math:`E(x) = \sum_i \sum_{j \ne i} s_i s_j p_{ij} d_{ij}`, is the same form with
:math:`B_{ij} = 2 s_i s_j p_{ij}` and no constant. :func:`enumerate_partitions` evaluates
it for all :math:`2^{n-1}` partitions with the last node fixed (the two blocs are
unordered), in blocks of numbers (nothing beyond the 2^(n−1) × n blocks, for at most
:data:`~alliances.analysis.balance.ENUMERATION_LIMIT` nodes), and marks every local
minimum: a partition no single actor can improve by changing side.

References
----------
.. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral Science*
   4(4): 316–323.
.. [2] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation. *British
   Journal of Political Science* 23(2): 211–233.
"""

from __future__ import annotations

import math
import time

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from alliances.analysis.balance.limits import ENUMERATION_LIMIT, _OutOfTime
from alliances.errors import ParameterError

__all__ = ["enumerate_partitions"]


def _costs(b: NDArray[np.float64], constant: float, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The quadratic form's cost of each row of ``x`` (one partition a row)."""
    quadratic = np.einsum("ki,ki->k", x @ b, x)
    return np.asarray(constant + x @ b.sum(axis=1) - quadratic, dtype=np.float64)


def enumerate_partitions(
    b: NDArray[np.float64] | sparse.sparray, constant: float = 0.0, *, chunk: int = 1 << 16
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    r"""The cost of every partition (last node in bloc 0) and which are local minima.

    Partition k puts node t in bloc 1 if bit t of k is set (t < n − 1). Its neighbours
    are the partitions with one node moved: bit t flipped, or, for the last node, every
    other bit flipped (the same split with the blocs renamed). ``b`` may be dense or
    sparse (as from :meth:`SignedGraph.coupling`), with 1 to :data:`ENUMERATION_LIMIT`
    rows.

    The two blocs are unordered, so fixing the last node leaves :math:`2^{n-1}`
    partitions, each costed by the quadratic form of the frustration [1]_ (or, with
    :math:`B_{ij} = 2 s_i s_j p_{ij}` and no constant, of Axelrod and Bennett's
    landscape energy [2]_, whose local minima are the configurations no single actor
    leaves). For :math:`k = \sum_{t<n-1} x_t 2^t` and :math:`x_{n-1} = 0`,

    .. math::

        \mathrm{cost}_k = c + \sum_i x_i \sum_j B_{ij} - x^\top B x,
        \qquad k = 0, 1, \dots, 2^{n-1} - 1,

    and k is a local minimum when :math:`\mathrm{cost}_k \le \mathrm{cost}_{k \oplus
    2^t}` for every t < n − 1 and :math:`\mathrm{cost}_k \le \mathrm{cost}_{k \oplus
    (2^{n-1} - 1)}` (a tolerance of 1e-9 allows for rounding).

    Parameters
    ----------
    b : ndarray or scipy.sparse array, shape (n, n)
        The symmetric coupling matrix B (zero diagonal), such as
        ``graph.coupling()[0]``.
    constant : float
        The constant c added to every cost (the total negative weight
        :math:`\sum_{\sigma_{ij} < 0} w_{ij}` for the frustration, 0 for the energy).
    chunk : int
        Partitions costed at once (a block of ``chunk`` × n numbers).

    Returns
    -------
    costs : ndarray of shape (2**(n-1),)
    local : ndarray of bool, True where no single move lowers the cost

    Raises
    ------
    ParameterError
        For fewer than 1 or more than :data:`ENUMERATION_LIMIT` rows.

    Examples
    --------
    The triangle with one negative edge: every partition frustrates an edge, and the
    three that frustrate exactly one are the local minima.

    >>> import pandas as pd
    >>> from alliances.analysis.balance import SignedGraph
    >>> edges = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                       "sign": [1, 1, -1]})
    >>> costs, local = enumerate_partitions(*SignedGraph.from_edges(edges).coupling())
    >>> costs.tolist(), local.tolist()
    ([1.0, 1.0, 3.0, 1.0], [True, True, False, True])

    References
    ----------
    .. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral
       Science* 4(4): 316–323.
    .. [2] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.
    """
    return _enumerate(b, constant, chunk=chunk, deadline=math.inf)


def _enumerate(
    b: NDArray[np.float64] | sparse.sparray,
    constant: float,
    *,
    chunk: int,
    deadline: float,
    minima: bool = True,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """:func:`enumerate_partitions` under a deadline; ``minima=False`` skips the local
    minima (an empty array in their place)."""
    n = b.shape[0]
    if n < 1 or n > ENUMERATION_LIMIT:
        msg = (
            f"enumeration handles 1 to {ENUMERATION_LIMIT} nodes, got n={n}; use the integer "
            "programme (method='milp' or 'auto')"
        )
        raise ParameterError(msg)
    b = b.toarray() if sparse.issparse(b) else np.asarray(b, dtype=float)  # type: ignore[union-attr]
    total = 1 << (n - 1)
    costs = np.empty(total)
    bits = np.arange(n - 1, dtype=np.int64)
    for start in range(0, total, chunk):
        if start and time.perf_counter() > deadline:
            raise _OutOfTime
        k = np.arange(start, min(start + chunk, total), dtype=np.int64)
        x = np.zeros((k.size, n))
        x[:, : n - 1] = (k[:, None] >> bits) & 1
        costs[start : start + k.size] = _costs(b, constant, x)
    if not minima:
        return costs, np.zeros(0, dtype=bool)
    k = np.arange(total, dtype=np.int64)
    local = np.ones(total, dtype=bool)
    for t in range(n - 1):
        if time.perf_counter() > deadline:
            raise _OutOfTime
        local &= costs <= costs[k ^ (1 << t)] + 1e-9
    local &= costs <= costs[k ^ (total - 1)] + 1e-9
    return costs, local


def _decode(k: int, n: int) -> NDArray[np.int64]:
    """Partition k as a 0/1 array of n nodes (bit t is node t; the last node is 0)."""
    x = np.zeros(n, dtype=np.int64)
    x[: n - 1] = (k >> np.arange(n - 1)) & 1
    return x
