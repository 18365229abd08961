"""Download the published files of the registry's datasets into a data directory.

``alliances data fetch`` calls :func:`fetch`. Each dataset of ``datasets.toml`` gives the
``url`` of its files, pinned to the commit of its source, and their SHA-256; the files
are laid out as ``alliances data build --data-dir`` reads them (one sub-folder per
source, as in the project's shared data folder). The downloads go through `pooch
<https://www.fatiando.org/pooch/>`_, with a registry built from ``datasets.toml``:

* a file already in the destination with the registry's SHA-256 is not downloaded again,
  so a run that was interrupted resumes where it stopped;
* a file is downloaded to a temporary file beside it and renamed only once its SHA-256
  is the registry's, so a failed or interrupted download never leaves a wrong file under
  the final name, and a wrong file already there (a half-written copy) is replaced.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alliances._files import check_output
from alliances.errors import DataError
from alliances.world.registry import DATASETS

__all__ = ["FetchReport", "fetch", "sources"]

_SCHEMES = ("https://", "http://", "ftp://")


@dataclass
class FetchReport:
    """What a fetch did, file by file (paths relative to ``dest``)."""

    dest: Path
    fetched: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    by_hand: dict[str, str] = field(default_factory=dict)
    """Files with no public URL, and where to get them by hand."""
    failed: dict[str, str] = field(default_factory=dict)
    """Files that could not be fetched: the URL tried and why."""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (``alliances data fetch --json``)."""
        return {**asdict(self), "dest": str(self.dest)}


def sources(
    names: Iterable[str] | None = None, base_url: str | None = None
) -> dict[str, tuple[str, str]]:
    """Each file of the datasets ``names``: its URL and SHA-256 (the pooch registry).

    Parameters
    ----------
    names : iterable of str, optional
        Dataset names (default: every dataset of the registry).
    base_url : str, optional
        A mirror laid out as the data directory: the file's path is appended to it.

    Returns
    -------
    dict
        ``{path in the data directory: (url, sha256)}``. Without ``base_url`` the URL is
        the dataset's (:meth:`~alliances.world.registry.Dataset.file_url`), ``""`` for a
        file with no public URL.

    Examples
    --------
    >>> url, digest = sources(["cow_states"], "http://mirror.example/data")[
    ...     "peacesciencer/cow_states.rda"]
    >>> url, digest[:12]
    ('http://mirror.example/data/peacesciencer/cow_states.rda', '9248b9fc8011')
    """
    if base_url is not None and not base_url.startswith(_SCHEMES):
        msg = f"--base-url {base_url!r}: expected a URL starting with {', '.join(_SCHEMES)}"
        raise DataError(msg)
    mirror = None if base_url is None else base_url.rstrip("/") + "/"
    found: dict[str, tuple[str, str]] = {}
    for name in DATASETS if names is None else names:
        spec = DATASETS[name]
        for path, digest in spec.sha256.items():
            found[path] = (spec.file_url(path) if mirror is None else mirror + path, digest)
    return found


def fetch(
    dest: str | os.PathLike[str] | None = None,
    *,
    only: list[str] | None = None,
    base_url: str | None = None,
    progress: Callable[[str], None] | None = None,
    progressbar: bool = False,
) -> FetchReport:
    """Download the files of the registry's datasets into ``dest``, checking each SHA-256.

    Parameters
    ----------
    dest : path, optional
        The data directory to fill (default: ``ALLIANCES_DATA_DIR``); created if missing
        (its parent must exist).
    only : list of str, optional
        Dataset names to fetch (default: all of them).
    base_url : str, optional
        A mirror laid out as the data directory, e.g. ``http://host/data``: each file is
        fetched from ``base_url/<path in the data directory>`` instead of its source.
    progress : callable, optional
        Called with one line for each file before it is downloaded.
    progressbar : bool, optional
        Show pooch's progress bar for each download (needs ``tqdm``).

    Returns
    -------
    FetchReport
        The files downloaded, those already there with the right SHA-256, those with no
        public URL, and those that failed (with the URL and the reason). A failure does
        not stop the other files; running again fetches only what is still missing.

    Examples
    --------
    >>> fetch(only=["nope"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alliances.errors.DataError: unknown datasets nope; see `alliances data status --all`
    """
    import pooch
    import requests

    started = time.perf_counter()
    unknown = [name for name in only or [] if name not in DATASETS]
    if unknown:
        msg = f"unknown datasets {', '.join(unknown)}; see `alliances data status --all`"
        raise DataError(msg)
    chosen = dest or os.environ.get("ALLIANCES_DATA_DIR")
    if not chosen:
        msg = "no destination: pass --dest DIR or set ALLIANCES_DATA_DIR"
        raise DataError(msg)
    root = check_output(chosen, folder=True)
    root.mkdir(exist_ok=True)
    report = FetchReport(dest=root)
    names = list(only or DATASETS)
    files = sources(names, base_url)
    by_hand = {path: DATASETS[name].by_hand for name in names for path in DATASETS[name].sha256}
    todo: dict[str, tuple[str, str]] = {}
    for path, (url, digest) in files.items():
        target = root / path
        if target.is_file() and pooch.file_hash(str(target)) == digest:
            report.present.append(path)
        elif url:
            todo[path] = (url, digest)
        else:
            report.by_hand[path] = by_hand[path]
    pup = pooch.create(
        path=root,
        base_url="",
        registry={path: f"sha256:{digest}" for path, (_, digest) in todo.items()},
        urls={path: url for path, (url, _) in todo.items()},
    )
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)  # one line a file, ours, rather than pooch's
    try:
        for number, (path, (url, _)) in enumerate(todo.items(), start=1):
            if progress is not None:
                progress(f"[{number}/{len(todo)}] {path} from {url}")
            try:
                pup.fetch(path, progressbar=progressbar)
            except (ValueError, requests.RequestException, OSError) as error:
                report.failed[path] = f"{url}: {error}"
            else:
                report.fetched.append(path)
    finally:
        logger.setLevel(level)
    report.seconds = time.perf_counter() - started
    return report
