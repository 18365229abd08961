"""``alliances data build`` under faults: killed, terminated, a dataset that fails, a
damaged store.

The store is replaced only by a complete build; a killed build's working copy is removed by
the next build; a terminated one removes its own; a store that fails its checks is built
anew, and the report says why.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_world_store import ONLY, atop_frame, ddy_frame, trade_frame, write_rda, write_sipri
from typer.testing import CliRunner

from alliances.cli import app
from alliances.world.connection import check_store_whole
from alliances.world.store import build, connect
from conftest import SHARED

SCRIPT = Path(sys.executable).with_name("alliances")
SHARED_DATA = SHARED / "data"


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    write_rda(root / "peacesciencer" / "cow_ddy.rda", ddy_frame(), "cow_ddy")
    write_rda(root / "peacesciencer" / "atop_alliance.rda", atop_frame(), "atop_alliance")
    write_rda(root / "peacesciencer" / "cow_trade_ndy.rda", trade_frame(), "cow_trade_ndy")
    write_sipri(root)
    return root


def datasets_in(store: Path) -> list[str]:
    con = connect(store)
    try:
        return [r[0] for r in con.execute("SELECT name FROM datasets ORDER BY name").fetchall()]
    finally:
        con.close()


def start_build(store: Path) -> subprocess.Popen[bytes]:
    """A real-data build (several seconds) into ``store``, once its working copy exists."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data folder is not at {SHARED_DATA}")
    proc = subprocess.Popen(
        [str(SCRIPT), "data", "build", "--data-dir", str(SHARED_DATA), "--store", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(store.parent.glob(f".{store.name}.*.building")):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the build ended before its working copy appeared")
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the loading of the datasets
    return proc


def test_a_failing_dataset_makes_the_build_exit_non_zero_and_the_others_load(small_data, tmp_path):
    broken = small_data / "peacesciencer" / "cow_trade_ndy.rda"
    broken.write_bytes(b"not an R data file")
    store = tmp_path / "world.duckdb"
    args = ["data", "build", "--data-dir", str(small_data), "--store", str(store), "--json"]
    result = CliRunner().invoke(app, [*args, "--only", ",".join(ONLY)])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert "cow_trade_ndy" in report["failed"]
    assert "cow_ddy" in report["loaded"]
    assert "cow_ddy" in datasets_in(store)


@pytest.fixture
def small_store(small_data, tmp_path) -> Path:
    """A store built from the small data, in a folder of its own."""
    store = tmp_path / "store" / "world.duckdb"
    store.parent.mkdir()
    build(small_data, store, only=ONLY)
    return store


@pytest.mark.slow
@pytest.mark.data
def test_a_killed_build_keeps_the_old_store_and_the_next_build_removes_its_orphan(
    small_data, small_store
):
    store = small_store
    before = datasets_in(store)

    proc = start_build(store)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)

    assert datasets_in(store) == before  # the old store, whole
    assert list(store.parent.glob(f".{store.name}.*.building*"))  # the orphan of the kill
    build(small_data, store, only=ONLY)
    assert sorted(p.name for p in store.parent.iterdir()) == ["world.duckdb"]


@pytest.mark.slow
@pytest.mark.data
def test_a_terminated_build_removes_its_working_copy(small_store):
    store = small_store
    before = datasets_in(store)

    proc = start_build(store)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)

    assert proc.returncode == 143, stderr
    assert b"Traceback" not in stderr
    assert datasets_in(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["world.duckdb"]


def test_a_second_build_of_the_same_folder_is_refused_while_one_runs(small_data, tmp_path):
    import fcntl
    import os

    store = tmp_path / "store" / "world.duckdb"
    store.parent.mkdir()
    fd = os.open(store.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        args = ["data", "build", "--data-dir", str(small_data), "--store", str(store)]
        result = CliRunner().invoke(app, args)
    finally:
        os.close(fd)
    assert result.exit_code == 2
    assert "another `alliances data build`" in result.stderr


def test_a_file_that_is_not_the_registered_release_is_noted_or_refused_with_strict(
    small_data, tmp_path
):
    store = tmp_path / "world.duckdb"
    args = ["data", "build", "--data-dir", str(small_data), "--store", str(store), "--json"]
    noted = CliRunner().invoke(app, [*args, "--only", "cow_ddy"])
    assert noted.exit_code == 0, noted.output
    assert "expected SHA-256" in json.loads(noted.stdout)["unverified"]["cow_ddy"]
    refused = CliRunner().invoke(app, [*args, "--only", "cow_ddy", "--strict"])
    assert refused.exit_code == 2
    assert "cow_ddy" in json.loads(refused.stdout)["failed"]


def _overwrite_the_middle(store: Path) -> None:
    """The middle third of the file replaced by seeded random bytes (data blocks)."""
    size = store.stat().st_size
    with open(store, "r+b") as handle:
        handle.seek(size // 3)
        handle.write(random.Random(26).randbytes(size // 3))


def _truncate(store: Path) -> None:
    os.truncate(store, store.stat().st_size // 2)


@pytest.mark.slow  # two builds of the small store and two whole-store checks: about 1.5 s
@pytest.mark.parametrize(
    ("damage", "why"),
    [(_overwrite_the_middle, "checksum"), (_truncate, "Could not read enough bytes")],
    ids=["overwritten", "truncated"],
)
def test_a_build_over_a_damaged_store_rebuilds_it_and_says_why(
    small_data, small_store, damage, why
):
    store = small_store
    before = datasets_in(store)
    damage(store)

    args = ["data", "build", "--data-dir", str(small_data), "--store", str(store), "--json"]
    result = CliRunner().invoke(app, [*args, "--only", ",".join(ONLY)])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert why in report["rebuilt"]
    assert sorted(report["loaded"]) == before  # read again from the data, none copied
    assert check_store_whole(store) is None
    assert datasets_in(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["world.duckdb"]


@pytest.mark.parametrize("content", [b"actors:\n  - state: Russia\n", b"x" * 20])
def test_a_build_over_a_file_that_is_no_store_refuses_and_keeps_the_file(
    small_data, tmp_path, content
):
    mine = tmp_path / "mine.yaml"
    mine.write_bytes(content)
    args = ["data", "build", "--data-dir", str(small_data), "--store", str(mine)]
    result = CliRunner().invoke(app, [*args, "--only", ",".join(ONLY)])
    assert result.exit_code == 2
    assert "not a store" in result.stderr
    assert mine.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_reading_a_file_that_is_no_store_says_so_and_suggests_a_new_name(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("actors: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["wedge", "russia-iran-2017", "--store", str(mine)])
    assert result.exit_code == 2
    assert "not a store" in result.stderr
    assert f"--store {mine}" not in result.stderr  # no advice to build over it
    assert mine.read_text(encoding="utf-8") == "actors: []\n"


def test_validate_with_a_data_dir_whose_dataset_fails_says_so_and_exits_2(small_data, tmp_path):
    broken = small_data / "peacesciencer" / "cow_trade_ndy.rda"
    broken.write_bytes(b"not an R data file")
    store = tmp_path / "world.duckdb"
    args = ["validate", "--data-dir", str(small_data), "--store", str(store), "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "failed cow_trade_ndy" in result.stderr
    assert "rebuilt from" in result.stderr
    assert "without 1 dataset(s) that failed" in result.stderr
    assert "validate the store as it is without --data-dir" in result.stderr
    assert result.stdout == ""  # no checks were run on a store half built


def test_a_folder_given_as_the_store_is_named_a_folder(tmp_path):
    from alliances.errors import DataError
    from alliances.world import connect

    with pytest.raises(DataError, match=r"a folder, not a store; give the store's file"):
        connect(tmp_path)
