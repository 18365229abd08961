"""Running a sweep on Dask: a local cluster or a running scheduler, shard by shard.

:func:`run` plans the shards, skips those the folder's manifest lists as done (with their
files intact), submits the rest to a ``dask.distributed`` client and records each shard
in the manifest as it finishes, in whatever order. A shard that fails is reported with
its reason and left for the next run; the others go on. A worker that dies is replaced
and its shard given to another worker by Dask's scheduler.

Locally, :class:`distributed.LocalCluster` starts ``workers`` processes of one thread
each, bound to 127.0.0.1, without a dashboard. With ``scheduler`` (``tcp://host:8786``,
or ``tls://`` with the security settings of ``distributed.yaml``), the workers of that
cluster run the shards: each must see the store and the output folder at the same paths
(a shared file system); docs/scale.md shows how to start them.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from alliances.errors import AlliancesWarning, DataError, OutputError, ParameterError
from alliances.sweep.manifest import Manifest
from alliances.sweep.plan import AlignSweep, Shard, WedgeSweep, empty_years, shards
from alliances.sweep.tasks import align_shard, warm_up, wedge_shard
from alliances.world import connect, provenance

__all__ = ["RunReport", "check_scheduler", "run"]

WORKER_MEMORY = "4GiB"  # per worker of the local cluster; a shard needs well under 1 GiB


@dataclass
class RunReport:
    """What a run did: shards in all, already done, computed now and failed (with why)."""

    kind: str
    out: Path
    shards: int
    skipped: int = 0
    computed: int = 0
    rows: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    compute_seconds: float = 0.0  # from the first shard submitted (workers warm) to the last done
    workers: int = 0
    empty_years: list[int] = field(default_factory=list)  # years of the range with no triad

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "out": str(self.out),
            "shards": self.shards,
            "skipped": self.skipped,
            "computed": self.computed,
            "rows": self.rows,
            "failed": self.failed,
            "seconds": self.seconds,
            "compute_seconds": self.compute_seconds,
            "workers": self.workers,
            "empty_years": self.empty_years,
        }


_GUARD = (
    'call alliances.sweep.run under `if __name__ == "__main__":` in the script: the local '
    "Dask cluster starts its worker processes by importing the script again (the 'spawn' "
    "start method)"
)


def _importing_main() -> bool:
    """Whether this process is a spawned child still importing the parent's script (the
    check ``multiprocessing`` itself makes before it starts a process)."""
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


_ADDRESSES = (
    "expected the address of a running Dask scheduler: tcp://HOST:PORT (or HOST:PORT), "
    "or tls://HOST:PORT with TLS settings"
)
_TLS_SETTINGS = (
    "a tls:// scheduler needs TLS settings in Dask's configuration: distributed.comm.tls."
    "ca-file, .client.cert and .client.key, in ~/.config/dask/distributed.yaml or as "
    "DASK_DISTRIBUTED__COMM__TLS__CA_FILE, DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and "
    "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY (https://docs.dask.org/en/stable/"
    "configuration.html)"
)


def check_scheduler(address: str) -> str:
    """The scheduler ``address`` if it is one a client can connect to, else a
    :class:`~alliances.errors.ParameterError` saying which forms are accepted (and, for
    ``tls://``, how to give the security settings). Starts and connects nothing."""
    text = address.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    problem = None
    if scheme not in ("tcp", "tls"):
        problem = f"the scheme {scheme!r} is not tcp or tls"
    else:
        try:
            parts = urlsplit(f"//{rest}")
            port = parts.port
        except ValueError as error:  # a port out of range or not a number
            problem = str(error)
        else:
            if not parts.hostname or port is None or parts.path or parts.query:
                problem = "no HOST:PORT"
    if problem:
        msg = f"--scheduler {address!r}: {problem}; {_ADDRESSES}"
        raise ParameterError(msg)
    if scheme == "tls":
        from distributed.security import Security

        try:
            context = Security().get_connection_args("client")["ssl_context"]
        except (OSError, ValueError) as error:  # a missing or bad certificate file
            msg = f"--scheduler {address!r}: the TLS settings cannot be used ({error}); "
            raise ParameterError(msg + _TLS_SETTINGS) from None
        if context is None:
            msg = f"--scheduler {address!r}: no TLS settings; {_TLS_SETTINGS}"
            raise ParameterError(msg)
    return text


def _client(workers: int, scheduler: str | None) -> tuple[Any, Any]:
    from distributed import Client, LocalCluster

    if scheduler:
        address = check_scheduler(scheduler)
        try:
            return Client(address, timeout="20s"), None
        except OSError as error:
            msg = f"--scheduler {scheduler}: cannot reach the Dask scheduler ({error})"
            raise DataError(msg) from None
    try:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # The scheduler serves /health even without a dashboard: on a free local port.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            memory_limit=WORKER_MEMORY,
            # A failed shard is reported once, by the runner: not by the workers' logs too.
            silence_logs=logging.CRITICAL,
        )
    except RuntimeError as error:  # a worker that did not start: most often, no guard
        msg = (
            f"the local Dask cluster did not start ({error}); if this runs from a script, {_GUARD}"
        )
        raise ParameterError(msg) from None
    return Client(cluster), cluster


def _out_of_space(error: BaseException | None) -> bool:
    """Whether a shard failed for a full disk: an OSError with that errno, or (errno is
    lost when the error comes back from a worker) a message that says so."""
    codes = (errno.ENOSPC, errno.EDQUOT)
    if isinstance(error, OSError) and error.errno in codes:
        return True
    words = ("the disk is full", *(os.strerror(code) for code in codes))
    return isinstance(error, OSError) and any(w in str(error) for w in words)


def _data_hashes(store: Path) -> dict[str, str]:
    con = connect(store)
    try:
        table = provenance(con)
    finally:
        con.close()
    return {str(name): str(sha) for name, sha in zip(table["name"], table["sha256"], strict=True)}


def run(
    spec: WedgeSweep | AlignSweep,
    *,
    store: str | os.PathLike[str],
    out: str | os.PathLike[str],
    workers: int = 2,
    scheduler: str | None = None,
    command: str = "",
    on_start: Callable[[int, int], None] | None = None,
    on_shard: Callable[[Shard, dict[str, Any] | None, str | None], None] | None = None,
) -> RunReport:
    r"""Run the sweep ``spec`` on the store into the folder ``out``, on Dask, resumably.

    A wedge sweep (:class:`~alliances.sweep.WedgeSweep`) drafts every (divider, target,
    partner) triad of each year (:func:`alliances.studies.drafting.draft_many`: by default
    the COW major powers outside each ATOP-allied directed pair) and prices it by Monte
    Carlo (:func:`alliances.analysis.wedge.wedge`; Crawford 2011 [1]_): the flip price
    and the chance that the divider can pay it are

    .. math::

        O^* = \frac{\max(0,\; C_T - Z + \kappa_P \bar X)}{\bar\kappa}, \qquad
        P(O^* < O_{\max}), \quad O_{\max} = \min\bigl(B_D, (W_D - c_D) / \gamma_D\bigr),

    each triad of a year on the year's common random numbers
    (:func:`~alliances.sweep.common_draws`), so the rows are the same bit for bit for
    any sharding and any number of workers. An alignment sweep
    (:class:`~alliances.sweep.AlignSweep`) finds each year's two blocs of least landscape
    energy (Axelrod and Bennett 1993 [2]_)

    .. math::

        E(X) = \sum_i \sum_{j \ne i} s_i s_j \, p_{ij} \, d_{ij}(X),

    and the systemic price of each (divider, target) tie of ``spec.pairs``.

    The shards are planned from the store, those the folder's manifest lists as done
    (their files intact) are skipped, and the others run on a ``dask.distributed``
    client; each is recorded in the manifest as it finishes, so a run killed at any
    moment resumes where it stopped. A shard that fails is reported and left for the
    next run; the others go on.

    Parameters
    ----------
    spec : WedgeSweep or AlignSweep
        The sweep's parameters (years, pairs, dividers, samples, seed …).
    store : str or path
        The world data store (``alliances data build``); every worker must see it at
        this path.
    out : str or path
        The output folder: ``_manifest.json`` and ``KIND/year=YYYY/part-K.parquet``. A
        folder holding a sweep of the same kind resumes it.
    workers : int, optional
        Worker processes of the local cluster (one thread each, bound to 127.0.0.1),
        1 or more. Default 2. Ignored with ``scheduler``.
    scheduler : str, optional
        The address of a running Dask scheduler (``tcp://host:8786``, ``host:8786`` or
        ``tls://host:8786`` with Dask's TLS settings), whose workers run the shards and
        must see ``store`` and ``out`` at the same paths. Default: a local cluster.
    command : str, optional
        The command recorded in the manifest, which its error messages tell the user to
        rerun.
    on_start : callable, optional
        Called as ``on_start(todo, skipped)`` once the shards are planned.
    on_shard : callable, optional
        Called as ``on_shard(shard, record, error)`` as each shard finishes: ``record``
        (its manifest entry) if it succeeded, ``error`` (the reason) if it failed.

    Returns
    -------
    RunReport
        ``shards`` in all, ``skipped`` (done before), ``computed``, ``rows``, ``failed``
        (shard key → reason), ``seconds``, ``compute_seconds``, ``workers`` and
        ``empty_years`` (years of the range with no triad); ``to_dict()`` is the
        ``--json`` object of ``alliances sweep``.

    Raises
    ------
    alliances.errors.ParameterError
        If called while a Dask worker imports the script (a script must call it under
        ``if __name__ == "__main__":``), ``scheduler`` is not an address of the forms
        above, ``workers`` is below 1, the local cluster does not start, ``out`` holds a
        sweep of this kind with other parameters or from other data, or no year of a
        wedge sweep gives a triad (the message names the years the data cover). All of
        these are raised before anything is computed; the last two before ``out`` is
        made.
    alliances.errors.DataError
        If there is no store at ``store`` (or it cannot be opened), or the scheduler
        cannot be reached.
    alliances.errors.OutputError
        If a shard's output cannot be written (a full disk): the run stops, the finished
        shards are kept, and the same command resumes it.

    Warns
    -----
    alliances.errors.AlliancesWarning
        If some years of a wedge sweep give no triad: they are named, left out and listed
        in the report's ``empty_years``.

    See Also
    --------
    read : the rows of the finished shards.
    alliances.sweep.cheapest : the cheapest splits of a year.

    References
    ----------
    .. [1] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies shape
       power politics. *International Security* 35(4): 155–189.
    .. [2] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation.
       *British Journal of Political Science* 23(2): 211–233.

    Examples
    --------
    The store is checked before anything starts or is made:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from alliances.sweep import WedgeSweep, run
    >>> folder = tempfile.TemporaryDirectory()
    >>> spec = WedgeSweep(years=(2010, 2010), pairs=((365, 630),))  # Russia from Iran
    >>> out = Path(folder.name) / "sweep"
    >>> run(spec, store=Path(folder.name) / "world.duckdb", out=out)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    alliances.errors.DataError: .../world.duckdb: no store here; run ... first
    >>> out.exists()
    False
    >>> folder.cleanup()

    On the store ``alliances data build`` writes (in a script, under
    ``if __name__ == "__main__":``; it starts a Dask worker process):

    >>> from alliances.world import default_store
    >>> report = run(spec, store=default_store(), out="sweep", workers=1)  # doctest: +SKIP
    >>> report.shards, report.computed, report.rows  # doctest: +SKIP
    >>> # -> (1, 1, 6): one shard, six dividers (the other major powers of 2010)
    """
    if not scheduler and _importing_main():
        msg = f"alliances.sweep.run was called as a Dask worker imported the script; {_GUARD}"
        raise ParameterError(msg)
    if scheduler:
        scheduler = check_scheduler(scheduler)
    if workers < 1 and not scheduler:
        msg = f"--workers {workers}: expected at least 1 worker process"
        raise ParameterError(msg)
    started = time.perf_counter()
    store, out = Path(store), Path(out)
    con = connect(store)
    try:
        planned = shards(con, spec)
        empty, note = empty_years(con, spec, planned)
    finally:
        con.close()
    if note:
        warnings.warn(note, AlliancesWarning, stacklevel=2)
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(out)
    entry = manifest.begin(spec.kind, spec.params(), _data_hashes(store), command)
    entry["planned"] = len(planned)
    manifest.save()
    todo = [s for s in planned if not manifest.done(spec.kind, s.key)]
    report = RunReport(spec.kind, out, len(planned), skipped=len(planned) - len(todo))
    report.empty_years = empty
    if on_start:
        on_start(len(todo), report.skipped)
    if todo:
        _compute(spec, todo, store, out, workers, scheduler, manifest, report, on_shard)
    report.seconds = time.perf_counter() - started
    return report


def _compute(
    spec: WedgeSweep | AlignSweep,
    todo: list[Shard],
    store: Path,
    out: Path,
    workers: int,
    scheduler: str | None,
    manifest: Manifest,
    report: RunReport,
    on_shard: Callable[[Shard, dict[str, Any] | None, str | None], None] | None,
) -> None:
    from distributed import as_completed

    task = wedge_shard if isinstance(spec, WedgeSweep) else align_shard
    client, cluster = _client(workers, scheduler)
    try:
        report.workers = len(client.scheduler_info().get("workers", {}))
        client.run(warm_up, str(store))  # imports and the store, once a worker
        submitted = time.perf_counter()
        run_id = uuid.uuid4().hex[:8]  # task keys unique on a scheduler shared by runs
        futures = {
            client.submit(
                task, str(store), spec, shard, str(out), key=f"alliances-{shard.key}-{run_id}"
            ): shard
            for shard in todo
        }
        # The runner's own loop: as_completed would take the default client's, another
        # client's when the caller has one (dask/distributed#4357), and a result lost
        # with a killed worker would then be awaited on the wrong loop.
        for future in as_completed(futures, loop=client.loop):
            shard = futures[future]
            try:
                if future.status == "finished":
                    record = future.result()
                    manifest.record(spec.kind, shard.key, record)  # OutputError: stop
                    report.computed += 1
                    report.rows += int(record["rows"])
                    if on_shard:
                        on_shard(shard, record, None)
                else:
                    error = future.exception()
                    if _out_of_space(error):  # every shard after it would fail alike
                        msg = f"shard {shard.key}: {error}"
                        raise OutputError(msg)
                    reason = f"{type(error).__name__}: {error}"
                    report.failed[shard.key] = reason
                    if on_shard:
                        on_shard(shard, None, reason)
            except OutputError as error:
                client.cancel(list(futures))
                done = report.skipped + report.computed
                msg = (
                    f"{out}: the sweep stopped, its output cannot be written ({error}); the "
                    f"{done} finished shards are kept in the folder: free some space (or "
                    "fix the folder) and rerun the same command to resume"
                )
                raise OutputError(msg) from None
            future.release()
        report.compute_seconds = time.perf_counter() - submitted
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
