r"""Common random numbers: one set of uniforms shared by many wedge models.

A sweep prices thousands of triads a year, each at 10^3–10^5 draws. Drawing every triad
its own uniforms costs more than its model, and makes two triads' prices differ by
their draws as well as by their data. :class:`CommonDraws` gives every model priced
with it the *same* uniforms for the same kind of input (common random numbers [1]_):

* each input has a **slot**, its path with the target's id written ``T``
  (``bonds.trade-exports.T.loss``, ``question.discount_rate``), so the trade loss of
  Russia and that of India read the same row of uniforms;
* slot s's uniforms are ``random(n)`` of ``np.random.default_rng(SeedSequence(entropy,
  spawn_key=(2, k(s))))``, with k(s) the first 8 bytes of BLAKE2b(s) as an unsigned
  integer (spawn keys 0 and 1 are the per-scenario Monte Carlo blocks and the Sobol'
  points of :mod:`~alliances.analysis.wedge.montecarlo`). A slot's row depends on the
  entropy and the slot only, so results are the same for any set of models priced
  together, any order and any number of processes; the first n draws of a run of
  m > n draws are those of the run of n (nested samples).

Sharing the uniforms lets models share the work done with them: an input whose
quantity is the same in two models (a drafting rule's default, most of them) is the
same array, computed once; a log-normal input with the same spread reuses exp(σ z);
only inputs that rest on a model's own data are computed anew. The values are those of
:func:`~alliances.analysis.wedge.sample_inputs` at the same uniforms, bit for bit
(tested), so ``wedge(scenario, uniforms=draws.uniforms(model))`` reproduces what a sweep
computed.

References
----------
.. [1] Glasserman, P. (2003). *Monte Carlo Methods in Financial Engineering*. Springer,
   §4.2 (common random numbers).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Hashable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

from alliances.analysis.wedge.evaluation import PresentValues
from alliances.analysis.wedge.model import WedgeModel
from alliances.scenario.quantity import _U_CLIP, LogNormal, Point, Quantity, Triangular, Uniform

__all__ = ["CommonDraws"]

_STREAM = 2  # first spawn key of the common slots (0: Monte Carlo blocks, 1: Sobol')
PAD = 256  # rows are evaluated on a multiple of this many draws (see montecarlo._PAD)
_CACHE_BYTES = 256 * 2**20  # memory of the remembered input values, at most


def _slot(name: str, target: str) -> str:
    """The slot of input ``name`` in a model whose target is ``target``: the name with the
    target's id in a bond input written ``T``, so that the same input of two triads reads
    the same row of common uniforms.

    Parameters
    ----------
    name : str
        The input's path in its scenario (:attr:`~alliances.analysis.wedge.Input.name`).
    target : str
        The id of the model's target.

    Returns
    -------
    str
        The slot.

    Examples
    --------
    >>> _slot("bonds.trade-exports.RUS.loss", "RUS")
    'bonds.trade-exports.T.loss'
    >>> _slot("question.discount_rate", "RUS")
    'question.discount_rate'
    """
    parts = name.split(".")
    if parts[0] == "bonds" and len(parts) == 4 and parts[2] == target:
        parts[2] = "T"
    return ".".join(parts)


def _slot_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")


class CommonDraws:
    """The uniforms of ``samples`` draws for every slot, and the input values made of
    them, shared by every model priced with this object.

    Parameters
    ----------
    entropy : int or sequence of int
        The seed of every slot's row (a sweep uses ``[seed, year]``).
    samples : int
        Draws per model, at least 2.

    Examples
    --------
    >>> from alliances.analysis.wedge import compile_model, evaluate, sample_inputs
    >>> from alliances.scenario import load_builtin
    >>> model = compile_model(load_builtin("russia-iran-2017"))
    >>> draws = CommonDraws([0, 2017], samples=1000)
    >>> x = draws.inputs(model)
    >>> same = sample_inputs(model, draws.uniforms(model))
    >>> all(np.array_equal(x[k][:1000], same[k]) for k in x)  # x is padded to 1024
    True
    """

    def __init__(self, entropy: int | Sequence[int], samples: int) -> None:
        self.entropy = [entropy] if isinstance(entropy, int) else list(entropy)
        self.samples = samples
        self.width = -(-samples // PAD) * PAD
        self._rows: dict[str, NDArray[np.float64]] = {}
        self._normal: dict[str, NDArray[np.float64]] = {}
        self._values: OrderedDict[Hashable, NDArray[np.float64]] = OrderedDict()
        self._room = max(64, _CACHE_BYTES // (8 * self.width))
        self.present_values = PresentValues(self._room // 4)

    def row(self, name: str) -> NDArray[np.float64]:
        """The uniforms of slot ``name`` (``width`` of them: the samples, padded)."""
        found = self._rows.get(name)
        if found is None:
            seq = np.random.SeedSequence(self.entropy, spawn_key=(_STREAM, _slot_key(name)))
            found = self._rows[name] = np.random.default_rng(seq).random(self.width)
        return found

    def uniforms(self, model: WedgeModel, draws: int | None = None) -> NDArray[np.float64]:
        """The uniforms of ``model``'s uncertain inputs for the first ``draws`` draws (all
        by default), shape (D, draws), in the order of
        :attr:`~alliances.analysis.wedge.WedgeModel.uncertain` (what ``wedge``'s
        ``uniforms`` takes)."""
        n = self.samples if draws is None else min(draws, self.samples)
        rows = [self.row(_slot(i.name, model.target))[:n] for i in model.uncertain]
        return np.array(rows).reshape(len(rows), n)

    def inputs(self, model: WedgeModel) -> dict[str, NDArray[np.float64]]:
        """Every input of ``model`` for the draws (``width`` values: the samples, padded),
        as :func:`~alliances.analysis.wedge.sample_inputs` gives them at these uniforms."""
        out = {}
        for i in model.inputs:
            s = _slot(i.name, model.target) if i.quantity.is_uncertain else ""
            out[i.name] = self._value(s, i.quantity)
        return out

    # -- remembered values -------------------------------------------------------------

    def _value(self, name: str, q: Quantity) -> NDArray[np.float64]:
        key = (name, type(q).__name__, *_parameters(q))
        found = self._values.get(key)
        if found is not None:
            self._values.move_to_end(key)
            return found
        if not name:  # a point value: the same in every draw
            value = np.full(self.width, q.mean())
        elif isinstance(q, LogNormal):
            # As LogNormal._ppf, with exp(σ z) shared by the inputs of one slot and spread.
            spread = self._spread(name, q.sigma)
            value = q.median * spread
            if q.factor != 1.0:
                value = value * q.factor
        else:
            value = q.ppf(self.row(name))
        return self._remember(key, value)

    def _spread(self, name: str, sigma: float) -> NDArray[np.float64]:
        key = ("exp", name, sigma)
        found = self._values.get(key)
        if found is None:
            z = self._normal.get(name)
            if z is None:
                u = np.clip(self.row(name), _U_CLIP, 1.0 - _U_CLIP)
                z = self._normal[name] = np.asarray(ndtri(u), dtype=np.float64)
            found = self._remember(key, np.exp(sigma * z))
        return found

    def _remember(self, key: Hashable, value: NDArray[np.float64]) -> NDArray[np.float64]:
        """Keep ``value`` under ``key``, forgetting the least recently used past the room."""
        self._values[key] = value
        if len(self._values) > self._room:
            self._values.popitem(last=False)
        return value


def _parameters(q: Quantity) -> tuple[Hashable, ...]:
    """The numbers that fix a quantity's values (its unit as a factor)."""
    if isinstance(q, Triangular):
        return (q.low, q.mode, q.high, q.unit)
    if isinstance(q, LogNormal):
        return (q.median, q.p90, q.unit)
    if isinstance(q, Uniform):
        return (q.low, q.high, q.unit)
    assert isinstance(q, Point)
    return (q.value, q.unit)
