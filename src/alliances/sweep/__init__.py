"""World-wide sweeps: the wedge price of every allied pair and divider, the blocs of every
year, on Dask, resumable, with the same numbers on one core or a cluster.

==============  ==================================================================
``plan``        parameters (:class:`WedgeSweep`, :class:`AlignSweep`), triads,
                shards and the per-triad seeds
``tasks``       the work of one shard, run on a worker; the year's common draws;
                the output's columns
``manifest``    the folder's manifest: parameters, data hashes, finished shards
``runner``      :func:`run`: a local cluster or a scheduler, progress, failures
``output``      :func:`read`, :func:`cheapest`, :func:`bloc_shifts`
==============  ==================================================================

The names below are imported on first use, so that ``import alliances.sweep`` loads
neither Dask nor the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliances._lazy import lazy

_LAZY = {
    "AlignSweep": "alliances.sweep.plan",
    "WedgeSweep": "alliances.sweep.plan",
    "triad_seed": "alliances.sweep.plan",
    "common_draws": "alliances.sweep.tasks",
    "run": "alliances.sweep.runner",
    "RunReport": "alliances.sweep.runner",
    "read": "alliances.sweep.output",
    "cheapest": "alliances.sweep.output",
    "bloc_shifts": "alliances.sweep.output",
}

__all__ = [
    "AlignSweep",
    "RunReport",
    "WedgeSweep",
    "bloc_shifts",
    "cheapest",
    "common_draws",
    "read",
    "run",
    "triad_seed",
]

if TYPE_CHECKING:
    from alliances.sweep.output import bloc_shifts, cheapest, read
    from alliances.sweep.plan import AlignSweep, WedgeSweep, triad_seed
    from alliances.sweep.runner import RunReport, run
    from alliances.sweep.tasks import common_draws


__getattr__, __dir__ = lazy("alliances.sweep", _LAZY, globals(), __all__)
