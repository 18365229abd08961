"""Exact quantiles of more values than are worth holding at once.

The quantiles are NumPy's default ones (``method="linear"``, type 7 of Hyndman and Fan
1996): for n values and probability q, the value at the virtual position h = (n − 1) q
of the sorted values, interpolated between its two neighbours. Only the order statistics
at the two neighbouring ranks are needed, so :class:`Selector` finds those exactly
without sorting or holding all n values: a pilot sample (one value in every *s*) says
roughly where each rank lies; one more pass over all the values counts how many fall
below, on and between the pilot's bracketing values and keeps only those strictly inside
a bracket (Floyd and Rivest 1975 select the k-th smallest value the same way). If a rank
falls outside its bracket, which a bracket of ± 6 standard errors makes rare, the caller
is told and computes it from the full array instead; the answer is exact either way.

References
----------
.. [1] Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages.
   *The American Statistician* 50(4): 361–365.
.. [2] Floyd, R. W. and Rivest, R. L. (1975). Expected time bounds for selection.
   *Communications of the ACM* 18(3): 165–172.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["Selector", "linear_quantile", "order_statistics", "quantile_ranks"]


def _positions(n: int, q: float) -> tuple[int, int, float]:
    """The ranks either side of the virtual position (n − 1) q and the weight of the upper.

    As NumPy computes them, so that the interpolated values agree bit for bit: at or past
    the last value both neighbours are the last one.
    """
    virtual = (n - 1) * q
    if virtual >= n - 1:
        return n - 1, n - 1, virtual + 1.0
    below = math.floor(virtual)
    return below, below + 1, virtual - below


def quantile_ranks(n: int, qs: Iterable[float]) -> list[int]:
    """The ranks (0 = smallest) whose values the quantiles ``qs`` of n values need."""
    ranks: set[int] = set()
    for q in qs:
        below, above, _ = _positions(n, q)
        ranks.update((below, above))
    return sorted(ranks)


def linear_quantile(order: Mapping[int, float], n: int, q: float) -> float:
    """The quantile q of n values from their order statistics ``order`` (rank → value).

    Interpolates as NumPy's ``_lerp`` does (from the upper neighbour when its weight is at
    least one half), so that the result equals ``np.quantile(values, q)``; two infinite
    neighbours give NaN, as they do there.

    Examples
    --------
    >>> values = np.array([4.0, 1.0, 3.0, 2.0])
    >>> ranks = quantile_ranks(4, [0.3])
    >>> linear_quantile(order_statistics(values, ranks), 4, 0.3)
    1.9
    >>> float(np.quantile(values, 0.3))
    1.9
    """
    below, above, t = _positions(n, q)
    a, b = order[below], order[above]
    diff = b - a
    if t >= 0.5:
        return b - diff * (1.0 - t)
    return a + diff * t


def order_statistics(values: NDArray[np.float64], ranks: Sequence[int]) -> dict[int, float]:
    """The values at ``ranks`` of the sorted ``values`` (a partial sort of a copy)."""
    if not ranks:
        return {}
    parted = np.partition(values, list(ranks))
    return {r: float(parted[r]) for r in ranks}


class Selector:
    """The order statistics at fixed ranks of n values that are seen in chunks.

    Parameters
    ----------
    pilot : array
        A sample of the values spread evenly over the stream (one in every s).
    n : int
        How many values the stream has.
    ranks : sequence of int
        The ranks (0 = smallest) wanted.
    sigmas : float
        Half-width of each bracket in standard errors of the pilot's quantile.

    Feed every value once to :meth:`add` (in any chunks, in any order), then call
    :meth:`result`. Each rank's bracket runs between two pilot values (or is open at the
    end of the pilot); overlapping brackets are merged. Per bracket [lo, hi] it counts
    the values below and at each end and keeps those strictly between, so that a value
    that many draws share (a point mass) is counted, never stored.
    """

    def __init__(
        self, pilot: NDArray[np.float64], n: int, ranks: Sequence[int], sigmas: float
    ) -> None:
        self.n = n
        self.ranks = sorted(set(ranks))
        ordered = np.sort(pilot)
        m = ordered.size
        brackets: list[tuple[float, float]] = []
        for r in self.ranks:
            q = r / (n - 1) if n > 1 else 0.0
            centre = q * (m - 1)
            half = math.ceil(sigmas * math.sqrt(m * q * (1.0 - q))) + 1
            low, high = math.floor(centre) - half, math.ceil(centre) + half
            brackets.append(
                (
                    -math.inf if low < 0 else float(ordered[low]),
                    math.inf if high > m - 1 else float(ordered[high]),
                )
            )
        # ±inf here means "no end": every value below (above) counts as inside.
        merged: list[list[float]] = []
        for low_value, high_value in sorted(brackets):
            if merged and low_value <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], high_value)
            else:
                merged.append([low_value, high_value])
        self.brackets = [(low, high) for low, high in merged]
        # Per bracket: values < lo, <= lo, < hi, <= hi, and those strictly between.
        self.counts = np.zeros((len(self.brackets), 4), dtype=np.int64)
        self.parts: list[list[NDArray[np.float64]]] = [[] for _ in self.brackets]

    def add(self, values: NDArray[np.float64]) -> None:
        """Count a chunk of values against each bracket and keep those inside one."""
        size = values.size
        for j, (low, high) in enumerate(self.brackets):
            counts = self.counts[j]
            inside = None
            if low > -math.inf:
                inside = values > low
                counts[0] += np.count_nonzero(values < low)
                counts[1] += size - np.count_nonzero(inside)
            if high < math.inf:
                under = values < high
                counts[2] += np.count_nonzero(under)
                counts[3] += size - np.count_nonzero(values > high)
                inside = under if inside is None else inside & under
            else:
                counts[2:] += size
            if inside is None:
                self.parts[j].append(values.copy())
            elif inside.any():
                self.parts[j].append(values[inside])

    def result(self) -> dict[int, float | None]:
        """Rank → value; ``None`` for a rank that fell outside its bracket."""
        found: dict[int, float | None] = dict.fromkeys(self.ranks)
        for (low, high), counts, parts in zip(self.brackets, self.counts, self.parts, strict=True):
            below_low, upto_low, below_high, upto_high = (int(c) for c in counts)
            inside = np.sort(np.concatenate(parts)) if parts else np.empty(0)
            if inside.size != (below_high - upto_low if low < high else 0):
                msg = f"bracket [{low}, {high}] holds {inside.size} values, counted otherwise"
                raise RuntimeError(msg)
            for r in self.ranks:
                if not below_low <= r < upto_high:
                    continue
                if r < upto_low:
                    found[r] = low
                elif r < below_high:
                    found[r] = float(inside[r - upto_low])
                else:
                    found[r] = high
        return found
