r"""Signed, weighted graphs and the frustration of a partition.

A signed, weighted graph has undirected edges (i, j) with sign :math:`\sigma_{ij} = \pm 1`
and weight :math:`w_{ij} > 0`. A partition :math:`x \in \{0, 1\}^n` into two blocs
frustrates a positive edge across the blocs and a negative edge inside one (Harary 1959
[1]_). Writing :math:`d_{ij} = x_i + x_j - 2 x_i x_j` (1 across, 0 inside) and
:math:`B_{ij} = \sigma_{ij} w_{ij}` (:meth:`SignedGraph.coupling`),

.. math::

    F(x) = \sum_{\sigma_{ij} < 0} w_{ij} + \sum_{i<j} B_{ij} d_{ij} .

:class:`SignedGraph` holds the edges as arrays (nothing of size n × n);
:meth:`SignedGraph.from_edges` builds one from a frame and :meth:`SignedGraph.from_arrays`
from an edge list checked elsewhere (such as :func:`alliances.world.edges.read_edges`'s).

References
----------
.. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral Science*
   4(4): 316–323.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from alliances.errors import ParameterError

__all__ = ["SignedEdges", "SignedGraph", "frustration"]


class SignedEdges(Protocol):
    """Nodes and undirected signed, weighted edges as arrays (``i < j`` index ``nodes``):
    what :class:`SignedGraph` holds, and what an edge list read from a file gives."""

    @property
    def nodes(self) -> tuple[object, ...]: ...

    @property
    def i(self) -> NDArray[np.int64]: ...

    @property
    def j(self) -> NDArray[np.int64]: ...

    @property
    def sign(self) -> NDArray[np.int64]: ...

    @property
    def weight(self) -> NDArray[np.float64]: ...


@dataclass(frozen=True)
class SignedGraph:
    """Nodes and undirected signed, weighted edges (``i < j`` index ``nodes``)."""

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

        Node names are kept as given (the objects themselves, compared by Python
        equality; to keep every name as text, read the file with
        :func:`alliances.world.edges.read_edges` and :meth:`from_arrays`, or
        ``pandas.read_csv(path, dtype=str, keep_default_na=False)``). ``nodes`` fixes the
        node order and may add nodes without edges. Self-loops are dropped; edges
        repeated between the same pair with the same sign are summed (their weights add;
        unweighted, each counts once). Raises :class:`~alliances.errors.ParameterError`
        (a ``ValueError``) for a missing column or name, a sign other than ±1, or a
        weight that is not a positive finite number.
        """
        missing = [c for c in ("source", "target", "sign") if c not in edges.columns]
        if missing:
            msg = f"edges lack the column(s) {', '.join(missing)}; expected source, target, sign"
            raise ParameterError(msg)
        sign = pd.to_numeric(edges["sign"], errors="coerce")
        bad = sign.isna() | ~sign.isin([-1, 1])
        if bad.any():
            row = bad.to_numpy().argmax()
            msg = (
                f"edge signs should be 1 or -1, found {edges['sign'].iloc[row]!r} "
                f"(row {edges.index[row]!r})"
            )
            raise ParameterError(msg)
        if weighted:
            if "weight" not in edges.columns:
                msg = "weighted=True needs a 'weight' column"
                raise ParameterError(msg)
            weight = pd.to_numeric(edges["weight"], errors="coerce").to_numpy(dtype=float)
            bad = ~(np.isfinite(weight) & (weight > 0))
            if bad.any():
                row = bad.argmax()
                msg = (
                    "edge weights should be positive finite numbers, found "
                    f"{edges['weight'].iloc[row]!r} (row {edges.index[row]!r})"
                )
                raise ParameterError(msg)
        else:
            weight = np.ones(len(edges))
        listed, a, b = _node_codes(edges, nodes)
        i, j = np.minimum(a, b), np.maximum(a, b)
        keep = i != j
        i, j = i[keep], j[keep]
        sign_array = sign.to_numpy(dtype=np.int64)[keep]
        weight = weight[keep]
        n = max(len(listed), 1)
        key = (i * n + j) * 2 + (sign_array > 0)
        unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        if weighted:
            weight = np.bincount(inverse, weights=weight, minlength=unique.size)
        else:
            weight = np.ones(unique.size)
        return cls(
            tuple(listed),
            i[first].astype(np.int64),
            j[first].astype(np.int64),
            sign_array[first].astype(np.int64),
            weight.astype(np.float64),
        )

    @classmethod
    def from_arrays(cls, edges: SignedEdges) -> SignedGraph:
        """From an edge list already checked, such as
        :func:`alliances.world.edges.read_edges`'s: its nodes and arrays, as they are
        (``i < j``, each pair once, signs ±1, weights positive)."""
        if isinstance(edges, SignedGraph):
            return edges
        return cls(
            tuple(edges.nodes),
            np.asarray(edges.i, dtype=np.int64),
            np.asarray(edges.j, dtype=np.int64),
            np.asarray(edges.sign, dtype=np.int64),
            np.asarray(edges.weight, dtype=np.float64),
        )

    @property
    def n(self) -> int:
        """The number of nodes."""
        return len(self.nodes)

    def coupling(self) -> tuple[sparse.csr_array, float]:
        """The symmetric sparse matrix B (σ w, parallel edges summed) and the constant Σ
        of negative weights.

        B is a :class:`scipy.sparse.csr_array` (``.toarray()`` for a small graph): a
        graph of 10^6 edges needs memory for its edges, not for n × n entries.
        """
        values = (self.sign * self.weight).astype(float)
        b = sparse.coo_array(
            (np.concatenate([values, values]), (np.r_[self.i, self.j], np.r_[self.j, self.i])),
            shape=(self.n, self.n),
        ).tocsr()
        b.sum_duplicates()
        return b, float(self.weight[self.sign < 0].sum())


def _node_codes(
    edges: pd.DataFrame, nodes: list[object] | None
) -> tuple[list[object], NDArray[np.int64], NDArray[np.int64]]:
    """The node list and the codes of each edge's ends, names kept as given."""
    m = len(edges)
    names = np.concatenate(
        [edges["source"].to_numpy(dtype=object), edges["target"].to_numpy(dtype=object)]
    )
    for k in np.flatnonzero([isinstance(v, np.generic) for v in names]):
        names[k] = names[k].item()  # NumPy scalars as the Python values they stand for
    if m and pd.isna(names).any():
        row = int(np.flatnonzero(pd.isna(names))[0])
        column = "source" if row < m else "target"
        msg = f"edges have no {column} name in row {edges.index[row % m]!r}"
        raise ParameterError(msg)
    if nodes is None or len(nodes) == 0:
        try:
            codes, uniques = pd.factorize(names)
        except TypeError as error:
            msg = f"node names should be hashable (text or numbers): {error}"
            raise ParameterError(msg) from None
        listed = list(uniques)
    else:
        listed = list(nodes)
        index: dict[object, int] = {}
        for position, node in enumerate(listed):
            if index.setdefault(node, position) != position:
                msg = f"nodes lists {node!r} twice"
                raise ParameterError(msg)
        codes = np.fromiter((index.get(v, -1) for v in names), dtype=np.int64, count=names.size)
        if (codes < 0).any():
            row = int(np.flatnonzero(codes < 0)[0])
            msg = f"the edge end {names[row]!r} (row {edges.index[row % m]!r}) is not in nodes"
            raise ParameterError(msg)
    codes = np.asarray(codes, dtype=np.int64)
    return listed, codes[:m], codes[m:]


def frustration(graph: SignedEdges, x: NDArray[np.int_]) -> float:
    r"""Total weight of the edges a partition ``x`` (0/1 per node) frustrates.

    An edge is frustrated by a partition into two blocs when it is positive and joins
    the blocs, or negative and lies inside one [1]_; the frustration of the partition
    is their total weight (the count, unweighted), the quantity whose minimum is the
    frustration index [2]_. With :math:`d_{ij} = x_i + x_j - 2 x_i x_j` (1 across, 0
    inside) and :math:`B_{ij} = \sigma_{ij} w_{ij}`,

    .. math::

        F(x) = \sum_{\sigma_{ij} > 0} w_{ij} d_{ij}
             + \sum_{\sigma_{ij} < 0} w_{ij} (1 - d_{ij})
             = \sum_{\sigma_{ij} < 0} w_{ij} + \sum_{i<j} B_{ij} d_{ij} .

    Parameters
    ----------
    graph : SignedGraph or SignedEdges
        The signed, weighted graph (or an edge list with the same arrays).
    x : ndarray of int, shape (n,)
        The bloc (0 or 1) of each node, in the order of ``graph.nodes``.

    Returns
    -------
    float
        :math:`F(x)`, summed edge by edge (no rounding from the quadratic form).

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                       "sign": [1, 1, -1]})
    >>> frustration(SignedGraph.from_edges(edges), np.array([0, 0, 1]))
    1.0

    References
    ----------
    .. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral
       Science* 4(4): 316–323.
    .. [2] Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed
       networks. *Journal of Complex Networks* 6(4): 566–595.
    """
    across = np.asarray(x)[graph.i] != np.asarray(x)[graph.j]
    frustrated = np.where(graph.sign > 0, across, ~across)
    return float(graph.weight[frustrated].sum())
