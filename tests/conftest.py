"""Shared fixtures and guards: the seed essay, the shared data folder, the ``slow`` rule.

Two markers sort the suite (``make test-fast`` runs neither):

``data``
    The test reads ``../shared`` (the real datasets or the seed essay); given to every
    test that asks for one of the fixtures in ``_NEEDS_SHARED``.
``slow``
    The test starts another process or a server (``subprocess``, ``multiprocessing``,
    ``os.fork``, uvicorn, a Dask cluster, a browser). An unmarked test that tries to is
    failed by :func:`_no_process_unless_slow`, so that the rule cannot be broken by accident.
    A test that takes a second or more by design (scale, fuzzing, a whole report) is
    marked too, so that ``make test-fast`` stays the loop of a minute while editing.
"""

from __future__ import annotations

import multiprocessing.process
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def essay_text() -> str:
    path = SHARED / "seeds" / "000_0c90206f52bad03e.txt"
    if not path.exists():
        pytest.skip(f"the seed essay is not at {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_store(tmp_path_factory, worker_id):
    """The store built once from ../shared/data, with its build report.

    Once a run, not once a worker: under pytest-xdist the first worker to ask builds it
    in the run's shared temporary folder and the others wait for it behind a file lock.
    """
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"the shared data folder is not at {data}")
    from alliances.world import build

    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "real-store"
    folder.mkdir(exist_ok=True)
    path, saved = folder / "world.duckdb", folder / "report.pickle"
    with FileLock(folder / "build.lock"):
        if not saved.exists():
            saved.write_bytes(pickle.dumps(build(data, path)))
    return path, pickle.loads(saved.read_bytes())


_NEEDS_SHARED = {"real_store", "essay_text", "essay", "small_store"}


def pytest_collection_modifyitems(items):
    """Every test that reads ../shared through a fixture is marked ``data``, so that
    ``-m "not data"`` runs exactly the tests that need nothing outside the repository."""
    for item in items:
        if _NEEDS_SHARED & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.data)


# --- the slow rule ------------------------------------------------------------------------


def _refuse(what: str, test: str) -> Callable[..., Any]:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"{test} starts {what} but is not marked slow: add @pytest.mark.slow "
            "(quick runs, -m 'not slow', leave out every test that starts a process or server)"
        )

    return refused


def _starters() -> Iterator[tuple[object, str, str]]:
    """(owner, attribute, what) for every way a test could start a process or a server."""
    yield subprocess.Popen, "__init__", "a subprocess"
    yield multiprocessing.process.BaseProcess, "start", "a multiprocessing process"
    yield os, "fork", "a forked process"
    if hasattr(os, "posix_spawn"):
        yield os, "posix_spawn", "a spawned process"
    uvicorn = sys.modules.get("uvicorn")
    if uvicorn is not None:
        yield uvicorn.Server, "serve", "a uvicorn server"
    local = sys.modules.get("distributed.deploy.local")
    if local is not None:
        yield local.LocalCluster, "__init__", "a Dask cluster"


@pytest.fixture(autouse=True)
def _no_process_unless_slow(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test not marked ``slow`` that starts a process or a server."""
    if request.node.get_closest_marker("slow") is not None:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        for owner, name, what in _starters():
            patch.setattr(owner, name, _refuse(what, request.node.nodeid))
        yield


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def headless_chromium(profile: Path, *flags: str) -> Any:
    """A Selenium session of headless Chromium (Debian's ``chromium`` and
    ``chromium-driver``) with its own ``profile`` folder and the extra ``flags``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", *flags):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def real_con(real_store):
    """A read-only connection to the store built from ../shared/data, for one module."""
    from alliances.world import connect

    con = connect(real_store[0])
    yield con
    con.close()
