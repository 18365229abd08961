r"""Signed edge lists read from CSV files, every row checked.

:func:`read_edges` reads a CSV file with a header naming ``source``, ``target`` and
``sign`` (and ``weight`` with ``weighted=True``; other columns are ignored) into an
:class:`EdgeList`: the nodes and the undirected edges (i, j) of a signed graph in Harary's
sense, with signs :math:`\sigma_{ij} = \pm 1` and weights :math:`w_{ij} > 0`, ready for
the analysis (:func:`alliances.analysis.balance.frustration_index` takes it as it is).
The file is read and checked here; the analysis does no I/O.

Node names are text, kept as written apart from surrounding spaces: ``1``, ``1.0`` and
``01`` are three nodes. Every problem is a :class:`~alliances.errors.DataError` naming the
file, the line (the header is line 1) and the column:

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

:meth:`alliances.analysis.balance.SignedGraph.from_edges` (for frames built in Python)
keeps its own documented rules: self-loops are dropped and repeated pairs with the same
sign merged.

References
----------
.. [1] Harary, F. (1959). On the measurement of structural balance. *Behavioral Science*
   4(4): 316–323.
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
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances._reading import Refusal, read_bytes
from alliances.errors import DataError

__all__ = ["MAX_EDGE_BYTES", "EdgeList", "read_edges"]

MAX_EDGE_BYTES = 256 * 1024 * 1024
"""Largest edge list read (256 MiB, some ten million edges)."""


@dataclass(frozen=True, eq=False)
class EdgeList:
    r"""The nodes and undirected signed, weighted edges of a file, checked.

    Edge k joins ``nodes[i[k]]`` and ``nodes[j[k]]`` with ``i[k] < j[k]``, sign
    ``sign[k]`` (±1) and weight ``weight[k]`` (> 0; 1 unless read ``weighted``); each
    pair appears once. The fields are those of
    :class:`alliances.analysis.balance.SignedGraph`, which the analysis builds from it.
    Instances compare by identity (the fields are arrays).
    """

    nodes: tuple[str, ...]
    i: NDArray[np.int64]
    j: NDArray[np.int64]
    sign: NDArray[np.int64]
    weight: NDArray[np.float64]

    @property
    def n(self) -> int:
        """The number of nodes."""
        return len(self.nodes)


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SIGN_TEXT = {"1": 1, "-1": -1, "+1": 1}
_COLUMNS = ("source", "target", "sign")


def _shown(cell: str) -> str:
    """A cell for a message: quoted, cut short if long."""
    return repr(cell if len(cell) <= 40 else f"{cell[:37]}...")


def _read_text(name: str) -> str:
    """The file as text: a regular UTF-8 file (a BOM is dropped), or a DataError."""
    what = "CSV edge list (source,target,sign[,weight])"
    try:
        data = read_bytes(name, MAX_EDGE_BYTES, what=what)
    except Refusal as refusal:
        raise DataError(str(refusal)) from None
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


def read_edges(path: str | os.PathLike[str], *, weighted: bool = False) -> EdgeList:
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
    (:meth:`alliances.analysis.balance.SignedGraph.coupling`) and so the frustration of
    a partition :math:`x \in \{0, 1\}^n`, with :math:`d_{ij} = x_i + x_j - 2 x_i x_j`,

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
    EdgeList
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
    return _edge_list_from_columns(name, sources, targets, signs, weights, lines, weighted)


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


def _edge_list_from_columns(
    name: str,
    sources: list[str],
    targets: list[str],
    signs: array.array,
    weights: array.array,
    lines: array.array,
    weighted: bool,
) -> EdgeList:
    """The edge list of the columns read, or a DataError for a pair given twice."""
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
    with np.errstate(over="ignore"):
        total = float(weight.sum())
    if not np.isfinite(total):
        msg = (
            f"{name}: the weights sum to more than a float holds (each is finite, their sum "
            "overflows); divide them by a common factor: the partition is the same"
        )
        raise DataError(msg)
    return EdgeList(
        tuple(str(u) for u in uniques),
        i[order],
        j[order],
        sign[order],
        weight[order].astype(np.float64),
    )
