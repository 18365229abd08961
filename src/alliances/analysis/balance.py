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
:func:`read_edges` reads a CSV file with a header naming ``source``, ``target`` and
``sign`` (and ``weight`` with ``weighted=True``; other columns are ignored). Node names
are text, kept as written apart from surrounding spaces: ``1``, ``1.0`` and ``01`` are
three nodes. Every problem is a :class:`~alliances.errors.DataError` naming the file, the
line (the header is line 1) and the column:

* an empty cell, or a row with fewer or more cells than the header;
* a sign other than 1 or −1 (``+1``, ``1.0`` and ``-1.0`` are accepted; strength belongs
  in the weight column);
* a weight that is not a positive finite number (no NaN, inf, 0 or negatives: the sign
  column carries the sign);
* a self-loop (source = target): it is never frustrated, or always, whatever the
  partition, so it is refused rather than silently dropped;
* a pair given twice (edges are undirected, so ``a,b`` and ``b,a`` are the same pair),
  with the same sign or not: combining them is the user's choice, not the reader's;
* no header, no edges, a file that is not UTF-8 text, is missing, is a folder or is not a
  regular file (a pipe is refused without being opened for a blocking read).

:meth:`SignedGraph.from_edges` (for frames built in Python) keeps its documented rules:
self-loops are dropped and repeated pairs with the same sign merged.

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

import array
import codecs
import csv
import gc
import io
import math
import os
import re
import stat
import time
import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csgraph

from alliances._files import json_ready
from alliances.errors import DataError, ParameterError

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
    "read_edges",
]

DEFAULT_TIME_LIMIT = 60.0
"""Seconds :func:`frustration_index` spends at most when no ``time_limit`` is given."""

AUTO_ENUMERATION_LIMIT = 22
"""``method="auto"`` enumerates up to this many nodes and solves the programme beyond."""

ENUMERATION_LIMIT = 26
"""The most nodes ``method="enumerate"`` (and :func:`enumerate_partitions`) accepts."""

_METHODS = ("auto", "enumerate", "milp", "heuristic")
# At most this many triangle inequalities (they are optional cuts; the first found are kept).
_MAX_TRIANGLES = 1_000_000
# Seconds per entry (non-zero, row or column) that loading a programme into HiGHS and
# its presolve take before the solver looks at its clock: about 0.5–1 µs measured on
# programmes of 10^5–10^6 edges, taken high. A programme whose estimate exceeds half the
# time left is not started.
_HIGHS_SECONDS_PER_ENTRY = 1.0e-6
# Share of the time left that the local search may use before the integer programme.
_LOCAL_SEARCH_SHARE = 0.2


class _OutOfTime(Exception):
    """The deadline passed during set-up."""


# ---------------------------------------------------------------------------- graphs


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
        equality; to keep every name as text, read the file with :func:`read_edges` or
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

    @property
    def n(self) -> int:
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


# ------------------------------------------------------------------------- reading

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SIGN_TEXT = {"1": 1, "-1": -1, "+1": 1}
_COLUMNS = ("source", "target", "sign")


def _shown(cell: str) -> str:
    """A cell for a message: quoted, cut short if long."""
    return repr(cell if len(cell) <= 40 else f"{cell[:37]}...")


def _read_text(name: str) -> str:
    """The file as text: a regular UTF-8 file (a BOM is dropped), or a DataError."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # Non-blocking: opening a pipe (FIFO) for reading would otherwise wait for a writer.
        fd = os.open(name, flags)
    except FileNotFoundError:
        msg = f"{name}: no such file; expected a CSV edge list (source,target,sign[,weight])"
        raise DataError(msg) from None
    except IsADirectoryError:
        msg = f"{name}: is a folder; expected a CSV edge list (source,target,sign[,weight])"
        raise DataError(msg) from None
    except PermissionError:
        msg = f"{name}: cannot be read (permission denied)"
        raise DataError(msg) from None
    except OSError as error:
        msg = f"{name}: cannot be opened: {error.strerror or error}"
        raise DataError(msg) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            msg = f"{name}: is a folder; expected a CSV edge list (source,target,sign[,weight])"
            raise DataError(msg)
        if not stat.S_ISREG(mode):
            msg = (
                f"{name}: is not a regular file (a pipe, socket or device); expected a CSV "
                "edge list saved as a file"
            )
            raise DataError(msg)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read()
    except OSError as error:
        msg = f"{name}: cannot be read: {error.strerror or error}"
        raise DataError(msg) from None
    finally:
        os.close(fd)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        msg = f"{name}, line 1: expected UTF-8 text, got UTF-16 (a UTF-16 BOM); save it as UTF-8"
        raise DataError(msg)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        msg = (
            f"{name}, line {line}: expected UTF-8 text, got the byte "
            f"0x{data[error.start]:02x} (byte {error.start + 1} of the file); save it as UTF-8"
        )
        raise DataError(msg) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        msg = f"{name}, line {line}: expected text, got a NUL character (a binary file?)"
        raise DataError(msg)
    if not text.strip():
        msg = f"{name}: is empty; expected a header line source,target,sign[,weight] and edges"
        raise DataError(msg)
    return text


def _header(name: str, line: int, row: list[str], weighted: bool) -> dict[str, int]:
    cells = [c.strip().lower() for c in row]
    wanted = [*_COLUMNS, "weight"] if weighted else list(_COLUMNS)
    where: dict[str, int] = {}
    for column in wanted:
        found = [k for k, c in enumerate(cells) if c == column]
        if len(found) > 1:
            msg = f"{name}, line {line}: the header names the column {column!r} twice"
            raise DataError(msg)
        if found:
            where[column] = found[0]
    missing = [c for c in wanted if c not in where]
    if missing:
        shown = ", ".join(_shown(c) for c in row)
        hint = "" if where else " (the first line must be the header)"
        need = "source, target, sign" + (" and weight (weighted)" if weighted else "")
        msg = (
            f"{name}, line {line}: expected a header naming the columns {need}; got {shown}{hint}"
        )
        raise DataError(msg)
    return where


def _sign(name: str, line: int, cell: str) -> int:
    text = cell.strip()
    if _NUMBER.fullmatch(text) and float(text) in (1.0, -1.0):
        return int(float(text))
    got = "an empty cell" if not text else _shown(cell)
    msg = (
        f"{name}, line {line}, column 'sign': expected 1 or -1 (strength goes in a weight "
        f"column), got {got}"
    )
    raise DataError(msg)


def _weight(name: str, line: int, cell: str) -> float:
    text = cell.strip()
    value = float(text) if _NUMBER.fullmatch(text) else math.nan
    if math.isfinite(value) and value > 0:
        return value
    got = "an empty cell" if not text else _shown(cell)
    why = (
        " (the sign column carries the sign; leave out edges of weight 0)"
        if math.isfinite(value)
        else ""
    )
    msg = (
        f"{name}, line {line}, column 'weight': expected a positive finite number{why}, got {got}"
    )
    raise DataError(msg)


def read_edges(path: str | os.PathLike[str], *, weighted: bool = False) -> SignedGraph:
    r"""Read a signed edge list from a CSV file, checking every row.

    The file is UTF-8 text (a BOM is allowed; line ends LF or CRLF) with a header naming
    the columns ``source``, ``target`` and ``sign`` (and ``weight`` when ``weighted``),
    in any order and case; other columns are ignored, and so are blank lines. Node names
    are text, kept as written apart from surrounding spaces (``1``, ``1.0`` and ``01``
    are three nodes). The rules for signs, weights, self-loops and repeated pairs are in
    the module's documentation.

    Each row is an undirected edge (i, j) of a signed graph in Harary's sense [1]_, with
    sign :math:`\sigma_{ij} = \pm 1` and weight :math:`w_{ij} > 0` (1 unless
    ``weighted``). Together they give the coupling :math:`B_{ij} = \sigma_{ij} w_{ij}`
    (:meth:`SignedGraph.coupling`) and so the frustration of a partition
    :math:`x \in \{0, 1\}^n`, with :math:`d_{ij} = x_i + x_j - 2 x_i x_j`,

    .. math::

        B_{ij} = \sigma_{ij} w_{ij}, \qquad
        F(x) = \sum_{\sigma_{ij} < 0} w_{ij} + \sum_{i<j} B_{ij} d_{ij} .

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (a regular file; a folder or a pipe is refused).
    weighted : bool
        Read the ``weight`` column as :math:`w_{ij}`; otherwise every weight is 1 and
        a ``weight`` column, if any, is ignored.

    Returns
    -------
    SignedGraph
        The nodes (as text, in order of first appearance) and the edges with their
        signs and weights.

    Raises
    ------
    DataError
        Naming the file, the line (the header is line 1) and, for a bad cell, the column,
        what was expected and what was found.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "edges.csv"
    >>> _ = path.write_text("source,target,sign\n1,01,1\n01,1.0,-1\n")
    >>> read_edges(path).nodes
    ('1', '01', '1.0')

    References
    ----------
    .. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral
       Science* 4(4): 316–323.
    """
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    text = _read_text(name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    sources: list[str] = []
    targets: list[str] = []
    signs = array.array("b")
    weights = array.array("d")
    lines = array.array("q")
    where: dict[str, int] | None = None
    line = 0  # the last line read so far
    collecting = gc.isenabled()
    # Millions of short-lived lists would trigger the cycle collector over and over.
    gc.disable()
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row:
                continue  # a blank line
            if where is None:
                if not any(cell.strip() for cell in row):
                    continue
                where = _header(name, start, row, weighted)
                width = len(row)
                src_at, tgt_at, sign_at = where["source"], where["target"], where["sign"]
                weight_at = where.get("weight", -1)
                continue
            # Rows of blank cells only (spreadsheet padding) count as blank lines; the
            # test is made only for rows that look wrong, off the common path.
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue
                _bad_width(name, start, row, width, where)
            src, tgt = row[src_at].strip(), row[tgt_at].strip()
            if not src or not tgt or src == tgt:
                if not any(cell.strip() for cell in row):
                    continue
                _bad_ends(name, start, src, tgt)
            sign = _SIGN_TEXT.get(row[sign_at])
            if sign is None:
                sign = _sign(name, start, row[sign_at])
            sources.append(src)
            targets.append(tgt)
            signs.append(sign)
            lines.append(start)
            if weight_at >= 0:
                weights.append(_weight(name, start, row[weight_at]))
    except csv.Error as error:
        msg = f"{name}, line {line + 1}: not a well-formed CSV row ({error})"
        raise DataError(msg) from None
    finally:
        if collecting:
            gc.enable()
    if where is None:
        msg = f"{name}: is empty; expected a header line source,target,sign[,weight] and edges"
        raise DataError(msg)
    if not sources:
        msg = f"{name}: has a header but no edges; expected rows of source,target,sign"
        raise DataError(msg)
    return _graph_from_columns(name, sources, targets, signs, weights, lines, weighted)


def _bad_width(name: str, line: int, row: list[str], width: int, where: dict[str, int]) -> None:
    if len(row) > width:
        msg = (
            f"{name}, line {line}: expected {width} cells as in the header, got {len(row)} "
            "(a comma inside a name needs quotes)"
        )
        raise DataError(msg)
    short = sorted((k, c) for c, k in where.items() if k >= len(row))
    if not short:
        msg = f"{name}, line {line}: expected {width} cells as in the header, got {len(row)}"
        raise DataError(msg)
    column = short[0][1]
    expected = {"source": "a node name", "target": "a node name", "sign": "1 or -1"}
    msg = (
        f"{name}, line {line}, column {column!r}: expected "
        f"{expected.get(column, 'a positive finite number')}, got nothing (the row has "
        f"{len(row)} cells, the header {width})"
    )
    raise DataError(msg)


def _bad_ends(name: str, line: int, src: str, tgt: str) -> None:
    for column, cell in (("source", src), ("target", tgt)):
        if not cell:
            msg = (
                f"{name}, line {line}, column {column!r}: expected a node name, got an empty cell"
            )
            raise DataError(msg)
    msg = (
        f"{name}, line {line}, column 'target': expected a node other than the source "
        f"{_shown(src)}, got {_shown(tgt)} (a self-loop is never, or always, frustrated "
        "whatever the partition; remove the row)"
    )
    raise DataError(msg)


def _graph_from_columns(
    name: str,
    sources: list[str],
    targets: list[str],
    signs: array.array,
    weights: array.array,
    lines: array.array,
    weighted: bool,
) -> SignedGraph:
    m = len(sources)
    names = np.empty(2 * m, dtype=object)
    names[:m], names[m:] = sources, targets
    codes, uniques = pd.factorize(names)
    n = len(uniques)
    a, b = codes[:m].astype(np.int64), codes[m:].astype(np.int64)
    i, j = np.minimum(a, b), np.maximum(a, b)
    sign = np.frombuffer(signs, dtype=np.int8).astype(np.int64)
    key = i * n + j
    order = np.argsort(key, kind="stable")
    repeated = np.flatnonzero(key[order][1:] == key[order][:-1])
    if repeated.size:
        line_of = np.frombuffer(lines, dtype=np.int64)
        later = order[repeated + 1]
        row = int(later[np.argmin(line_of[later])])
        first = int(order[np.searchsorted(key[order], key[row])])
        differ = " and the two disagree on the sign" if sign[row] != sign[first] else ""
        msg = (
            f"{name}, line {line_of[row]}: the pair {_shown(sources[row])}, "
            f"{_shown(targets[row])} is already on line {line_of[first]}{differ} (edges are "
            "undirected; give each pair once, with its total weight)"
        )
        raise DataError(msg)
    weight = np.frombuffer(weights, dtype=np.float64).copy() if weighted else np.ones(m)
    return SignedGraph(
        tuple(str(u) for u in uniques),
        i[order],
        j[order],
        sign[order],
        weight[order].astype(np.float64),
    )


# -------------------------------------------------------------------------- results


@dataclass
class BalanceResult:
    """The best partition found, with what is proved about it.

    ``optimal`` is true only with a zero gap; ``lower_bound`` ≤ ``frustration_index``
    always, and ``gap`` = (value − bound) / value (0 when the value is 0). ``warnings``
    says what was done instead of what was asked (for instance a set-up that used the
    time limit up).
    """

    frustration_index: float
    optimal: bool
    gap: float
    lower_bound: float
    seconds: float
    partition: dict[object, int]
    method: str
    local_minima: list[tuple[float, dict[object, int]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    time_limit: float | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary: plain Python types, no NaN or infinity (as ``None``)."""
        return json_ready(
            {
                "frustration_index": float(self.frustration_index),
                "optimal": bool(self.optimal),
                "gap": float(self.gap),
                "lower_bound": float(self.lower_bound),
                "seconds": float(self.seconds),
                "method": str(self.method),
                "time_limit": None if self.time_limit is None else float(self.time_limit),
                "partition": {str(k): int(v) for k, v in self.partition.items()},
                "warnings": [str(w) for w in self.warnings],
            }
        )


# ---------------------------------------------------------------------- evaluation


def frustration(graph: SignedGraph, x: NDArray[np.int_]) -> float:
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
    graph : SignedGraph
        The signed, weighted graph.
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


def _costs(b: NDArray[np.float64], constant: float, x: NDArray[np.float64]) -> NDArray[np.float64]:
    return constant + x @ b.sum(axis=1) - np.einsum("ki,ki->k", x @ b, x)


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
    x = np.zeros(n, dtype=np.int64)
    x[: n - 1] = (k >> np.arange(n - 1)) & 1
    return x


# -------------------------------------------------------------------- local search


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


# --------------------------------------------------------------- integer programme


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
) -> tuple[NDArray, sparse.csr_array, NDArray, NDArray, NDArray, NDArray]:
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
) -> tuple[float, float, bool, NDArray]:
    """The integer programme alone, as (value, bound, proved, partition); ``time_limit``
    None means none. Kept for ``benchmarks/balance.py``."""
    limit = math.inf if time_limit is None else float(time_limit)
    solved = _solve_milp(graph, time.perf_counter() + limit, limit=limit, plain=plain)
    return solved.value, solved.bound, solved.proved, solved.x


# ------------------------------------------------------------------------- front


def _checked_time_limit(time_limit: float | None, *, default: float) -> float:
    if time_limit is None:
        return default
    try:
        limit = float(time_limit)
    except (TypeError, ValueError):
        limit = math.nan
    if isinstance(time_limit, bool) or not limit >= 0:  # also refuses NaN
        msg = (
            f"time_limit={time_limit!r} should be a number of seconds ≥ 0 (math.inf for "
            f"none; default {DEFAULT_TIME_LIMIT:g})"
        )
        raise ParameterError(msg)
    return limit


def frustration_index(
    graph: SignedGraph | pd.DataFrame,
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
    graph : SignedGraph or pandas.DataFrame
        The graph, or an edge list with ``source``, ``target``, ``sign`` [, ``weight``].
    weighted : bool
        Use the ``weight`` column (edge lists only).
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
    limit = _checked_time_limit(time_limit, default=DEFAULT_TIME_LIMIT)
    deadline = started + limit
    if method not in _METHODS:
        msg = f"method={method!r} should be 'auto', 'enumerate', 'milp' or 'heuristic'"
        raise ParameterError(msg)
    if isinstance(graph, pd.DataFrame):
        graph = SignedGraph.from_edges(graph, weighted=weighted)
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
