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
* a **local search** (best single flips from several starts) for a quick upper bound,
  which also stands in if a time limit comes before the programme finds a solution.

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

import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = [
    "BalanceResult",
    "SignedGraph",
    "enumerate_partitions",
    "frustration",
    "frustration_index",
    "local_search",
]

_ENUMERATION_LIMIT = 22


@dataclass(frozen=True)
class SignedGraph:
    """Nodes and undirected signed, weighted edges (parallel edges summed by sign)."""

    nodes: tuple[object, ...]
    i: NDArray[np.int64]
    j: NDArray[np.int64]
    sign: NDArray[np.int64]
    weight: NDArray[np.float64]

    @classmethod
    def from_edges(
        cls, edges: pd.DataFrame, *, weighted: bool = False, nodes: list[object] | None = None
    ) -> SignedGraph:
        """From a frame with ``source``, ``target``, ``sign`` (±1) and optionally ``weight``.

        Self-loops are dropped; edges repeated between the same pair with the same sign
        are summed (their weights add; unweighted, each counts once).
        """
        missing = [c for c in ("source", "target", "sign") if c not in edges.columns]
        if missing:
            msg = f"edges lack the column(s) {', '.join(missing)}; expected source, target, sign"
            raise ValueError(msg)
        sign = pd.to_numeric(edges["sign"], errors="coerce")
        if sign.isna().any() or not sign.isin([-1, 1]).all():
            bad = edges.loc[sign.isna() | ~sign.isin([-1, 1]), "sign"].iloc[0]
            msg = f"edge signs should be 1 or -1, found {bad!r}"
            raise ValueError(msg)
        if weighted:
            if "weight" not in edges.columns:
                msg = "weighted=True needs a 'weight' column"
                raise ValueError(msg)
            weight = pd.to_numeric(edges["weight"], errors="coerce")
            if weight.isna().any() or (weight <= 0).any():
                msg = "edge weights should be positive numbers"
                raise ValueError(msg)
        else:
            weight = pd.Series(1.0, index=edges.index)
        listed = nodes or list(dict.fromkeys([*edges["source"], *edges["target"]]))
        index = {node: k for k, node in enumerate(listed)}
        a = edges["source"].map(index).to_numpy()
        b = edges["target"].map(index).to_numpy()
        frame = pd.DataFrame(
            {
                "i": np.minimum(a, b),
                "j": np.maximum(a, b),
                "sign": sign.astype(int).to_numpy(),
                "weight": weight.to_numpy(dtype=float),
            }
        )
        frame = frame[frame.i != frame.j]
        how = "sum" if weighted else "max"
        frame = frame.groupby(["i", "j", "sign"], as_index=False)["weight"].agg(how)
        return cls(
            tuple(listed),
            frame.i.to_numpy(np.int64),
            frame.j.to_numpy(np.int64),
            frame.sign.to_numpy(np.int64),
            frame.weight.to_numpy(np.float64),
        )

    @property
    def n(self) -> int:
        return len(self.nodes)

    def coupling(self) -> tuple[NDArray[np.float64], float]:
        """The symmetric matrix B (σ w) and the constant Σ of negative weights."""
        b = np.zeros((self.n, self.n))
        np.add.at(b, (self.i, self.j), self.sign * self.weight)
        b = b + b.T
        return b, float(self.weight[self.sign < 0].sum())


@dataclass
class BalanceResult:
    """The best partition found, with what is proved about it."""

    frustration_index: float
    optimal: bool
    gap: float
    lower_bound: float
    seconds: float
    partition: dict[object, int]
    method: str
    local_minima: list[tuple[float, dict[object, int]]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "frustration_index": self.frustration_index,
            "optimal": self.optimal,
            "gap": self.gap,
            "lower_bound": self.lower_bound,
            "seconds": self.seconds,
            "method": self.method,
            "partition": {str(k): v for k, v in self.partition.items()},
        }


def frustration(graph: SignedGraph, x: NDArray[np.int_]) -> float:
    """Total weight of the edges a partition ``x`` (0/1 per node) frustrates.

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                       "sign": [1, 1, -1]})
    >>> frustration(SignedGraph.from_edges(edges), np.array([0, 0, 1]))
    1.0
    """
    across = np.asarray(x)[graph.i] != np.asarray(x)[graph.j]
    frustrated = np.where(graph.sign > 0, across, ~across)
    return float(graph.weight[frustrated].sum())


def _costs(b: NDArray[np.float64], constant: float, x: NDArray[np.float64]) -> NDArray[np.float64]:
    return constant + x @ b.sum(axis=1) - np.einsum("ki,ki->k", x @ b, x)


def enumerate_partitions(
    b: NDArray[np.float64], constant: float = 0.0, *, chunk: int = 1 << 16
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The cost of every partition (last node in bloc 0) and which are local minima.

    Partition k puts node t in bloc 1 if bit t of k is set (t < n − 1). Its neighbours
    are the partitions with one node moved: bit t flipped, or, for the last node, every
    other bit flipped (the same split with the blocs renamed).

    Returns
    -------
    costs : ndarray of shape (2**(n-1),)
    local : ndarray of bool, True where no single move lowers the cost
    """
    n = b.shape[0]
    if n < 1 or n > 26:
        msg = f"enumeration handles 1 to 26 nodes, got {n}; use the integer programme"
        raise ValueError(msg)
    total = 1 << (n - 1)
    costs = np.empty(total)
    bits = np.arange(n - 1, dtype=np.int64)
    for start in range(0, total, chunk):
        k = np.arange(start, min(start + chunk, total), dtype=np.int64)
        x = np.zeros((k.size, n))
        x[:, : n - 1] = (k[:, None] >> bits) & 1
        costs[start : start + k.size] = _costs(b, constant, x)
    k = np.arange(total, dtype=np.int64)
    local = np.ones(total, dtype=bool)
    for t in range(n - 1):
        local &= costs <= costs[k ^ (1 << t)] + 1e-9
    local &= costs <= costs[k ^ (total - 1)] + 1e-9
    return costs, local


def _decode(k: int, n: int) -> NDArray[np.int64]:
    x = np.zeros(n, dtype=np.int64)
    x[: n - 1] = (k >> np.arange(n - 1)) & 1
    return x


def local_search(
    graph: SignedGraph, *, starts: int = 20, seed: int = 0
) -> tuple[float, NDArray[np.int64]]:
    """Best single-node moves from several random starts; an upper bound, fast.

    Returns the lowest frustration found and its partition.
    """
    b, constant = graph.coupling()
    rng = np.random.default_rng(seed)
    best_cost, best_x = np.inf, np.zeros(graph.n, dtype=np.int64)
    degree = b.sum(axis=1)
    for _ in range(starts):
        x = rng.integers(0, 2, graph.n).astype(float)
        while True:
            # gain of moving node i: change in x·deg − xᵀBx when x_i flips
            s = 1.0 - 2.0 * x  # +1 if i moves 0→1, −1 if 1→0
            delta = s * degree - 2.0 * s * (b @ x) - (s**2) * np.diag(b)
            i = int(np.argmin(delta))
            if delta[i] >= -1e-12:
                break
            x[i] = 1.0 - x[i]
        cost = float(_costs(b, constant, x[None, :])[0])
        if cost < best_cost - 1e-12:
            best_cost, best_x = cost, x.astype(np.int64)
    return best_cost, best_x


def _triangles(graph: SignedGraph) -> list[tuple[int, int, int]]:
    """Edge index triples of the unbalanced triangles (an odd number of negative edges)."""
    index = {(int(a), int(c)): e for e, (a, c) in enumerate(zip(graph.i, graph.j, strict=True))}
    neighbours: dict[int, set[int]] = {}
    for a, c in index:
        neighbours.setdefault(a, set()).add(c)
        neighbours.setdefault(c, set()).add(a)
    found = []
    for (a, c), e1 in index.items():
        for m in neighbours[a] & neighbours[c]:
            if m > c:
                e2 = index[(min(a, m), max(a, m))]
                e3 = index[(min(c, m), max(c, m))]
                if graph.sign[e1] * graph.sign[e2] * graph.sign[e3] < 0:
                    found.append((e1, e2, e3))
    return found


def _milp(
    graph: SignedGraph, time_limit: float | None, *, plain: bool = False
) -> tuple[float, float, bool, NDArray]:
    """Solve the integer programme; ``plain`` leaves out the triangle inequalities and the
    fixed node (the textbook formulation, kept as the benchmark's baseline)."""
    n, m = graph.n, len(graph.i)
    rows, cols, vals, lower = [], [], [], []

    def add(entries: list[tuple[int, float]], bound: float) -> None:
        r = len(lower)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lower.append(bound)

    for e in range(m):
        f, a, c = n + e, int(graph.i[e]), int(graph.j[e])
        if graph.sign[e] > 0:  # f ≥ x_a − x_c and f ≥ x_c − x_a
            add([(f, 1.0), (a, -1.0), (c, 1.0)], 0.0)
            add([(f, 1.0), (a, 1.0), (c, -1.0)], 0.0)
        else:  # f ≥ x_a + x_c − 1 and f ≥ 1 − x_a − x_c
            add([(f, 1.0), (a, -1.0), (c, -1.0)], -1.0)
            add([(f, 1.0), (a, 1.0), (c, 1.0)], 1.0)
    for tri in [] if plain else _triangles(graph):
        add([(n + e, 1.0) for e in tri], 1.0)
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), n + m))
    cost = np.concatenate([np.zeros(n), graph.weight])
    low, high = np.zeros(n + m), np.ones(n + m)
    fixed = int(np.argmax(np.bincount(np.concatenate([graph.i, graph.j]), minlength=n)))
    if not plain:
        low[fixed] = 1.0  # symmetry: the busiest node is in bloc 1
    integrality = np.concatenate([np.ones(n), np.zeros(m)])
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lower, np.inf),
        integrality=integrality,
        bounds=Bounds(low, high),
        options=options,
    )
    # The local search's partition stands in when the limit comes before a solution.
    value, x = local_search(graph)
    if result.x is not None:
        found = np.round(result.x[:n]).astype(np.int64)
        if frustration(graph, found) <= value:
            value, x = frustration(graph, found), found
    dual = getattr(result, "mip_dual_bound", None)
    bound = float(dual) if dual is not None and np.isfinite(dual) else 0.0
    bound = min(bound, value)
    # With integer weights a bound within 1 of the value also proves optimality.
    integer = bool(np.all(graph.weight == np.round(graph.weight)))
    proved = (result.status == 0 and result.x is not None) or (
        integer and value - np.ceil(bound - 1e-9) < 0.5
    )
    return value, (value if proved else bound), proved, x


def frustration_index(
    graph: SignedGraph | pd.DataFrame,
    *,
    weighted: bool = False,
    method: Literal["auto", "enumerate", "milp", "heuristic"] = "auto",
    time_limit: float | None = None,
    local_minima: bool = False,
) -> BalanceResult:
    """The frustration index of a signed graph and a partition that attains it.

    Parameters
    ----------
    graph : SignedGraph or pandas.DataFrame
        The graph, or an edge list with ``source``, ``target``, ``sign`` [, ``weight``].
    weighted : bool
        Use the ``weight`` column (edge lists only).
    method : {"auto", "enumerate", "milp", "heuristic"}
        ``auto`` enumerates up to 22 nodes and solves the integer programme above.
    time_limit : float, optional
        Seconds for the integer programme; at the limit the best partition is returned
        with its lower bound and gap.
    local_minima : bool
        With enumeration, also list every local minimum (cost and partition).

    Examples
    --------
    A triangle with one negative edge is unbalanced: one edge must be frustrated.

    >>> edges = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                       "sign": [1, 1, -1]})
    >>> result = frustration_index(edges)
    >>> result.frustration_index, result.optimal
    (1.0, True)
    """
    if isinstance(graph, pd.DataFrame):
        graph = SignedGraph.from_edges(graph, weighted=weighted)
    started = time.perf_counter()
    if method == "auto":
        method = "enumerate" if graph.n <= _ENUMERATION_LIMIT else "milp"
    minima: list[tuple[float, dict[object, int]]] = []
    if graph.n <= 1 or len(graph.i) == 0:
        x, value, bound, proved = np.zeros(graph.n, dtype=np.int64), 0.0, 0.0, True
    elif method == "enumerate":
        b, constant = graph.coupling()
        costs, local = enumerate_partitions(b, constant)
        k = int(np.argmin(costs))
        x, value = _decode(k, graph.n), float(costs[k])
        value = frustration(graph, x)  # exact sum, free of rounding in the quadratic form
        bound, proved = value, True
        if local_minima:
            for k in np.flatnonzero(local):
                minima.append(
                    (
                        float(costs[k]),
                        dict(zip(graph.nodes, _decode(int(k), graph.n).tolist(), strict=True)),
                    )
                )
            minima.sort(key=lambda item: item[0])
    elif method == "milp":
        value, bound, proved, x = _milp(graph, time_limit)
    elif method == "heuristic":
        value, x = local_search(graph)
        bound, proved = 0.0, False
    else:
        msg = f"method={method!r} should be 'auto', 'enumerate', 'milp' or 'heuristic'"
        raise ValueError(msg)
    gap = 0.0 if proved else (value - bound) / value if value > 0 else 0.0
    return BalanceResult(
        frustration_index=value,
        optimal=proved,
        gap=gap,
        lower_bound=bound,
        seconds=time.perf_counter() - started,
        partition=dict(zip(graph.nodes, x.tolist(), strict=True)),
        method=method,
        local_minima=minima,
    )
