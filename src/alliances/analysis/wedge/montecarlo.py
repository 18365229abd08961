"""The Monte Carlo of :func:`~alliances.analysis.wedge.wedge`: its draws and two passes.

**The draw layout** (a contract: the backtest and any study that adds draws rely on it).
The Monte Carlo draws come in blocks of 2^16 = 65,536. Block k (k = 0, 1, …) takes its
uniforms from its own generator, ``np.random.default_rng(np.random.SeedSequence(seed,
spawn_key=(0, k)))``, as one call ``random((D, 65536))`` for the D uncertain inputs (in
the order of :attr:`~alliances.analysis.wedge.WedgeModel.uncertain`), row-major: row i
holds input i for the block's draws, so that each input reads contiguous memory. Draw j
is column j mod 2^16 of block j // 2^16; a run of N draws uses the first ⌈N / 2^16⌉
blocks, the last drawn whole and cut to its first columns. (``seed=None`` takes fresh
entropy from the system in place of the seed.) Nothing in a block depends on N, so the
first N draws of a run of M > N draws are those of the run of N, bit for bit (nested
samples): every estimate of a run of N draws is the estimate from the first N draws of
any longer run, so doubling the draws refines it (its error shrinks as 1/√N) instead of
drawing a new one. No result depends on how many blocks are evaluated at once
(``_CHUNK_BLOCKS``). The Sobol' points (the drivers) are a separate stream, spawn key
``(1,)``. Changing the scenario's uncertain inputs changes D and so every draw.

**Memory.** One run takes two passes over the blocks, regenerating them in the second.
Pass 1 keeps one float64 per draw, O* raw, for its exact quantiles and P(flip | O), and
streams counts, means and a pilot sample of every term; pass 2 gives the divider's
expected gain over the offer grid (which needs the 99.5th centile of O* from pass 1) and
the terms' exact quantiles (:mod:`alliances.analysis._select`). The per-draw table is
kept only on request (see :func:`~alliances.analysis.wedge.wedge`). A term that is NaN in
any draw (0 × ∞ and the like) raises :class:`~alliances.errors.ScenarioError` naming it.

Everything here is private to the package; the tests and benchmarks may set the tuning
constants below (none of them changes a result).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.analysis._select import (
    Selector,
    linear_quantile,
    order_statistics,
    quantile_ranks,
)
from alliances.analysis.wedge.evaluation import _round_grid, evaluate
from alliances.analysis.wedge.model import WedgeModel, sample_inputs
from alliances.errors import Problem, ScenarioError

__all__: list[str] = []

_QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}

# The draw layout, a contract (see the module docstring): changing either changes every
# draw of every seed.
_BLOCK = 2**16  # draws per block
_STREAM = 0  # first spawn key of the Monte Carlo blocks; (1,) is the Sobol' stream

# Tuning only: none of these changes any result.
_CHUNK_BLOCKS = 1  # blocks evaluated at once (memory ~ 50 MB per block)
_PAD = 256  # the last, truncated block is evaluated on a multiple of this many draws
_PILOT_MIN = 2**16  # smallest pilot sample for the exact quantiles of the terms
_BRACKET_SIGMAS = 6.0  # half-width of a quantile's bracket, in standard errors

# Where in a scenario each term's inputs sit, to name it when it is undefined.
_TERM_PATH = {
    "cost_of_leaving": "question.target_costs",
    "reference_offer": "question.instruments",
    "credibility": "question.instruments",
    "coercion": "question.threats",
    "counter_bid": "question.partner_bid",
    "flip_price_raw": "question",
    "flip_price": "question",
    "max_offer": "question.divider_payoff",
}


@dataclass(frozen=True)
class _Chunk:
    """Consecutive whole blocks of draws (the last block of a run may be cut short)."""

    start: int  # index of the first draw in the run
    stop: int
    segments: tuple[tuple[int, int], ...]  # each block as offsets into the chunk
    x: Mapping[str, NDArray[np.float64]]
    terms: Mapping[str, NDArray[np.float64]]
    u: NDArray[np.float64] | None = None  # the uniforms (D, n), when drawn, not read back


def _segments(n: int) -> tuple[tuple[int, int], ...]:
    return tuple((a, min(a + _BLOCK, n)) for a in range(0, n, _BLOCK))


def _chunk_bounds(samples: int) -> Iterator[tuple[int, int, int, int]]:
    """(first block, end block, first draw, end draw) of each chunk, in order."""
    blocks = -(-samples // _BLOCK)
    for first in range(0, blocks, _CHUNK_BLOCKS):
        end = min(first + _CHUNK_BLOCKS, blocks)
        yield first, end, first * _BLOCK, min(end * _BLOCK, samples)


def _block_uniforms(entropy: Any, k: int, inputs: int, width: int = _BLOCK) -> NDArray[np.float64]:
    """The first ``width`` columns of block k's uniforms: one row per uncertain input, one
    column per draw.

    The block is ``random((inputs, 2^16))`` of its generator, row-major; each double is
    one 64-bit output of PCG64, so row i's first columns are outputs i 2^16, i 2^16 + 1, …
    and the rest of a row is skipped by ``advance`` instead of drawn (the same bits, at
    the cost of the columns used).
    """
    seq = np.random.SeedSequence(entropy, spawn_key=(_STREAM, k))
    if width >= _BLOCK:
        return np.random.default_rng(seq).random((inputs, _BLOCK))
    bits = np.random.PCG64(seq)
    rng = np.random.Generator(bits)
    u = np.empty((inputs, width))
    for row in u:
        rng.random(out=row)
        bits.advance(_BLOCK - width)
    return u


def _pilot_stride(n: int) -> int:
    """Keep one draw in this many as the pilot sample of each term.

    The pilot's size m balances its own memory (m per term) against that of the values
    inside the brackets (about 22 n / √m per term at ± 6 standard errors).
    """
    return max(1, n // max(_PILOT_MIN, round(float((11.0 * n) ** (2 / 3)))))


class _SumByBlock:
    """Sum and count of a term's finite values, added block by block.

    Each block's sum is NumPy's over that block's values, and the blocks' sums are added
    exactly (``math.fsum``), so that the mean depends on the draws only, not on how many
    blocks are evaluated at once.
    """

    def __init__(self) -> None:
        self.sums: list[float] = []
        self.finite = 0

    def add(self, values: NDArray[np.float64], segments: tuple[tuple[int, int], ...]) -> None:
        finite = np.isfinite(values)
        count = int(np.count_nonzero(finite))
        if count < values.size:
            values = np.where(finite, values, 0.0)
        self.sums.extend(float(values[a:b].sum()) for a, b in segments)
        self.finite += count

    def mean(self) -> float:
        return math.fsum(self.sums) / self.finite if self.finite else math.nan


def _as_quantiles(order: Mapping[int, float], n: int) -> dict[str, float]:
    # Infinite draws (κ̄ = 0) make quantiles between two infinities: inf, not NaN.
    found = {k: linear_quantile(order, n, q) for k, q in _QUANTILES.items()}
    return {k: math.inf if math.isnan(v) else v for k, v in found.items()}


def check_defined(chunk: _Chunk, seed: object) -> None:
    """Raise ScenarioError naming the first term that is NaN in any draw of the chunk."""
    if not any(np.isnan(v).any() for v in chunk.terms.values()):
        return
    first = min(
        int(np.flatnonzero(np.isnan(v))[0]) for v in chunk.terms.values() if np.isnan(v).any()
    )
    undefined = [t for t, v in chunk.terms.items() if np.isnan(v[first])]
    term = undefined[0]
    odd = [
        f"{name} = {float(v[first]):g}"
        for name, v in chunk.x.items()
        if v[first] == 0 or not np.isfinite(v[first])
    ]
    path = f"bonds.{term[5:]}" if term.startswith("loss:") else _TERM_PATH[term]
    later = f" (and with it {', '.join(undefined[1:])})" if len(undefined) > 1 else ""
    message = (
        f"the wedge model's term {term!r}{later} is undefined (NaN: an operation such as "
        f"0 × ∞, ∞ − ∞ or 0/0) in Monte Carlo draw {chunk.start + first:,} "
        f"(seed {seed}); the inputs that are zero or infinite in that draw: "
        f"{', '.join(odd) or 'none'}"
    )
    raise ScenarioError([Problem(path, message)], file=None)


class _MonteCarlo:
    """One run's draws and the statistics streamed from them (see :func:`wedge`).

    Pass 1 stores O* raw (one float64 per draw) and streams the counts, the means and a
    pilot sample of every term; pass 2 regenerates the same blocks (or reads the kept
    table) for the divider's expected gain over the offer grid, P(flip | offer) and the
    exact quantiles of the terms.
    """

    def __init__(
        self,
        model: WedgeModel,
        samples: int,
        entropy: Any,
        seed: int | None,
        keep: bool,
        uniforms: NDArray[np.float64] | None = None,
    ) -> None:
        self.model = model
        self.uniforms = uniforms
        self.samples = samples
        self.entropy = entropy
        self.seed = seed
        self.keep = keep
        d = len(model.uncertain)
        self.term_names = list(evaluate(model, sample_inputs(model, np.full((d, 1), 0.5))))
        self.summarised = [t for t in self.term_names if t != "flip_price_raw"]
        self.selected = [t for t in self.summarised if t != "flip_price"]
        self.columns = [i.name for i in model.inputs] + self.term_names
        self.ranks = quantile_ranks(samples, _QUANTILES.values())
        self.stride = 1 if keep else _pilot_stride(samples)
        self.table: NDArray[np.float64] | None = None

    # -- the draws -------------------------------------------------------------------

    def chunks(self) -> Iterator[_Chunk]:
        """Every chunk of draws, evaluated, in order."""
        d = len(self.model.uncertain)
        for first, end, start, stop in _chunk_bounds(self.samples):
            n = stop - start
            # Evaluate on whole blocks or a multiple of _PAD draws: no element of a block is
            # left to a vector loop's remainder, so a draw has the same bits in any run.
            width = min((end - first) * _BLOCK, -(-n // _PAD) * _PAD)
            if self.uniforms is not None:  # given: padded with 0.5 to the width
                u = np.full((d, width), 0.5)
                u[:, :n] = self.uniforms[:, start:stop]
            elif end - first == 1:
                u = _block_uniforms(self.entropy, first, d, width)
            else:
                u = np.empty((d, width))
                for k in range(first, end):
                    a = (k - first) * _BLOCK
                    b = min(a + _BLOCK, width)
                    u[:, a:b] = _block_uniforms(self.entropy, k, d, b - a)
            x = sample_inputs(self.model, u)
            terms = evaluate(self.model, x)
            if width > n:
                x = {k: v[:n] for k, v in x.items()}
                terms = {k: v[:n] for k, v in terms.items()}
            yield _Chunk(start, stop, _segments(n), x, terms, u[:, :n])

    def kept_chunks(self) -> Iterator[_Chunk]:
        """The same chunks read back from the kept table."""
        assert self.table is not None
        inputs = [i.name for i in self.model.inputs]
        where = {name: j for j, name in enumerate(self.columns)}
        for _, _, start, stop in _chunk_bounds(self.samples):
            rows = {name: self.table[j, start:stop] for name, j in where.items()}
            yield _Chunk(
                start,
                stop,
                _segments(stop - start),
                {name: rows[name] for name in inputs},
                {name: rows[name] for name in self.term_names},
            )

    def full_term(self, name: str) -> NDArray[np.float64]:
        """One term for every draw (a fallback for a quantile outside its bracket)."""
        if self.table is not None:
            row: NDArray[np.float64] = self.table[self.columns.index(name)]
            return row
        values = np.empty(self.samples)
        for chunk in self.chunks():
            values[chunk.start : chunk.stop] = chunk.terms[name]
        return values

    # -- pass 1 ----------------------------------------------------------------------

    def first_pass(self) -> None:
        n = self.samples
        self.raw = np.empty(n)
        self.sums = {t: _SumByBlock() for t in self.summarised}
        counted = ("nonpositive", "infinite", "below_reference", "within_means")
        self.counts = dict.fromkeys(counted, 0)
        if self.keep:
            self.table = np.empty((len(self.columns), n))
        pilot = None
        if not self.keep:
            pilot = np.empty((len(self.selected), -(-n // self.stride)))
        for chunk in self.chunks():
            self._check_defined(chunk)
            raw = chunk.terms["flip_price_raw"]
            self.raw[chunk.start : chunk.stop] = raw
            count = self.counts
            count["nonpositive"] += int(np.count_nonzero(raw <= 0))
            count["infinite"] += int(np.count_nonzero(np.isposinf(raw)))
            count["below_reference"] += int(np.count_nonzero(raw < chunk.terms["reference_offer"]))
            most = np.maximum(chunk.terms["max_offer"], 0.0)
            count["within_means"] += int(np.count_nonzero(raw < most))
            for t in self.summarised:
                self.sums[t].add(chunk.terms[t], chunk.segments)
            if self.table is not None:
                values = {**chunk.x, **chunk.terms}
                for j, name in enumerate(self.columns):
                    self.table[j, chunk.start : chunk.stop] = values[name]
            if pilot is not None:
                first = -(-chunk.start // self.stride)  # pilot index of the chunk's first
                local = first * self.stride - chunk.start
                taken = len(range(local, chunk.stop - chunk.start, self.stride))
                for j, t in enumerate(self.selected):
                    pilot[j, first : first + taken] = chunk.terms[t][local :: self.stride]
        self.pilot = pilot

    def _check_defined(self, chunk: _Chunk) -> None:
        check_defined(chunk, self.seed)

    # -- between the passes ----------------------------------------------------------

    def below(self, offer: float) -> int:
        """How many draws an offer of ``offer`` USD flips: #{j : O*_j raw < offer}.

        Call it after pass 1 and before :meth:`flip_price`, which frees O* raw.
        """
        return int(np.count_nonzero(self.raw < offer))

    def flip_price(self) -> tuple[dict[str, float], NDArray[np.float64]]:
        """The summary of O* and the offer grid, from exact order statistics of O* raw.

        O* = max(O* raw, 0) is monotone in O* raw, so the order statistics of one are
        those of the other, clipped; the finite prices are the lowest n − n_∞.
        """
        n = self.samples
        finite = n - self.counts["infinite"]
        top_ranks = quantile_ranks(finite, [0.995]) if finite else []
        kth = sorted(set(self.ranks) | set(top_ranks))
        self.raw.partition(kth)
        order = {r: float(np.maximum(self.raw[r], 0.0)) for r in kth}
        del self.raw  # one array of n fewer for pass 2
        summary = {"mean": self.sums["flip_price"].mean()}
        summary |= _as_quantiles(order, n)
        summary["p_zero"] = self.counts["nonpositive"] / n
        summary["p_infinite"] = self.counts["infinite"] / n
        top = linear_quantile(order, finite, 0.995) if finite else 0.0
        return summary, _round_grid(top)

    # -- pass 2 ----------------------------------------------------------------------

    def second_pass(
        self, grid: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """P(flip | offer) and D's expected gain at each offer of the grid.

        A draw flips at offer o iff O* raw < o and, with a budget cap, o ≤ B_D, that is
        unless max(O* raw, B_D) < o. With b the number of offers at or below a value, the
        sums over the draws that flip at the k-th offer are the sums over b ≤ k, so one
        weighted ``bincount`` per block gives them all; the blocks' sums are added
        exactly.
        """
        n = self.samples
        width = grid.size + 1
        dp = "question.divider_payoff."
        selectors: dict[str, Selector] = {}
        if self.pilot is not None and self.stride > 1:
            for j, t in enumerate(self.selected):
                selectors[t] = Selector(self.pilot[j], n, self.ranks, _BRACKET_SIGMAS)
        rows: dict[str, list[NDArray[np.float64]]] = {
            k: [] for k in ("count", "net", "gamma", "cap_net", "cap_gamma")
        }

        def binned(key: NDArray[np.intp], blocks: int, weights: Any = None) -> NDArray[Any]:
            counts = np.bincount(key, weights=weights, minlength=blocks * width)
            return counts.reshape(blocks, width)

        for chunk in self.kept_chunks() if self.table is not None else self.chunks():
            raw = chunk.terms["flip_price_raw"]
            blocks = len(chunk.segments)
            offset = np.repeat(np.arange(blocks) * width, [b - a for a, b in chunk.segments])
            net = chunk.x[dp + "value_of_split"] - chunk.x[dp + "political_cost"]
            gamma = chunk.x[dp + "cost_per_value"]
            key = np.searchsorted(grid, raw, side="right") + offset
            rows["count"].append(binned(key, blocks))
            rows["net"].append(binned(key, blocks, net))
            rows["gamma"].append(binned(key, blocks, gamma))
            if self.model.has_budget_cap:
                capped = np.maximum(raw, chunk.x[dp + "budget_cap"])
                key = np.searchsorted(grid, capped, side="right") + offset
                rows["cap_net"].append(binned(key, blocks, net))
                rows["cap_gamma"].append(binned(key, blocks, gamma))
            for t, selector in selectors.items():
                selector.add(chunk.terms[t])

        def flipping(name: str) -> NDArray[np.float64]:
            if not rows[name]:
                return np.zeros(grid.size)
            per_block = np.vstack(rows[name])
            totals = np.array([math.fsum(column) for column in per_block.T])
            return np.cumsum(totals)[: grid.size]

        p = np.cumsum(np.vstack(rows["count"]).sum(axis=0))[: grid.size] / n
        gains = flipping("net") - grid * flipping("gamma")
        gains -= flipping("cap_net") - grid * flipping("cap_gamma")
        self.order = self._term_order(selectors)
        return p, gains / n

    def _term_order(self, selectors: Mapping[str, Selector]) -> dict[str, dict[int, float]]:
        """The order statistics each term's quantiles need, exactly."""
        order: dict[str, dict[int, float]] = {}
        for j, t in enumerate(self.selected):
            if t in selectors:
                found = selectors[t].result()
                if all(v is not None for v in found.values()):
                    order[t] = {r: v for r, v in found.items() if v is not None}
                    continue
                values = self.full_term(t)
            elif self.table is not None:
                values = self.table[self.columns.index(t)]
            else:
                assert self.pilot is not None  # stride 1: the pilot is every draw
                values = self.pilot[j]
            order[t] = order_statistics(values, self.ranks)
        self.pilot = None
        return order

    def components(self, price: Mapping[str, float]) -> pd.DataFrame:
        rows = {}
        for t in self.summarised:
            quantiles = (
                {k: price[k] for k in _QUANTILES}
                if t == "flip_price"
                else _as_quantiles(self.order[t], self.samples)
            )
            rows[t] = {
                "unit": "fraction" if t == "credibility" else "USD",
                "mean": self.sums[t].mean(),
                **quantiles,
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "term"
        return table

    def draws(self) -> pd.DataFrame:
        if self.table is None:
            return pd.DataFrame()
        return pd.DataFrame(self.table.T, columns=self.columns, copy=False)
