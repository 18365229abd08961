"""World-wide sweeps on Dask: same numbers for any sharding and workers, resumable, safe.

The wedge sweeps run on the hand-made store of the drafting tests (four states in
2010-2012, RUS allied with IRN and CHN) with the COW major powers USA, RUS and CHN; the
alignment sweep runs on the real store.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliances.analysis.wedge import compile_model, wedge
from alliances.cli import app
from alliances.errors import ParameterError
from alliances.studies.drafting import draft
from alliances.sweep import WedgeSweep, cheapest, common_draws, read, run, triad_seed
from alliances.sweep.plan import parse_pairs, parse_states, parse_years, shards
from alliances.sweep.tasks import WEDGE_SCHEMA
from studies.test_drafting import CHN, IRN, RUS, USA, write_store

pytestmark = pytest.mark.slow

runner = CliRunner()
YEARS = "2010:2012"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = write_store(tmp_path_factory.mktemp("sweep") / "world.duckdb")
    con = duckdb.connect(str(path))
    majors = pd.DataFrame(
        {"ccode": [USA, RUS, CHN], "styear": [1898, 1816, 1950], "endyear": [2016] * 3}
    )
    con.register("frame", majors)
    con.execute("CREATE TABLE cow_majors AS SELECT * FROM frame")
    con.close()
    return path


def local_cluster(n_workers: int, **kwargs: Any) -> Any:
    """A test's own Dask cluster of one-thread workers on 127.0.0.1, with no fixed port
    (not the dashboard's 8787), so that concurrent runs do not collide."""
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        **kwargs,
    )


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One running two-worker cluster for the tests whose subject is not how the local
    cluster starts: each sweep of theirs would otherwise start its own worker processes."""
    with local_cluster(2, silence_logs=logging.CRITICAL) as cluster:
        yield cluster.scheduler_address


def sweep(store: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        ["sweep", "wedge", "--years", YEARS, "--out", str(out), "--store", str(store), *extra],
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def reference(store, tmp_path_factory) -> pd.DataFrame:
    """The sweep with one worker and shards of 2 triads."""
    out = tmp_path_factory.mktemp("reference")
    code, stdout, stderr = sweep(store, out, "--workers", "1", "--shard-size", "2")
    assert code == 0, stdout + stderr
    return read(out)


def test_sweep_has_one_row_per_directed_allied_pair_and_major_outside_it(reference):
    # RUS-IRN, IRN-RUS (dividers USA, CHN), RUS-CHN, CHN-RUS (divider USA), each year
    assert len(reference) == 3 * 6
    assert reference.groupby("year").size().tolist() == [6, 6, 6]
    triads = set(zip(reference.divider, reference.target, reference.partner, strict=True))
    assert (USA, RUS, IRN) in triads
    assert (CHN, IRN, RUS) in triads
    assert not any(d in (t, p) for d, t, p in triads)
    assert list(reference.columns) == WEDGE_SCHEMA.names
    assert (reference.status == "ok").all()


def test_output_columns_keep_their_types(reference):
    assert str(reference["year"].dtype) == "int16"
    assert str(reference["triad_seed"].dtype) == "int64"
    assert reference["o_star_p50"].dtype == float
    assert (reference["o_star_p05"] <= reference["o_star_p95"]).all()
    assert reference["p_within_means"].between(0, 1).all()


def test_two_workers_and_other_shards_give_the_same_numbers_bit_for_bit(
    store, reference, tmp_path, scheduler
):
    code, stdout, stderr = sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "5")
    assert code == 0, stdout + stderr
    pd.testing.assert_frame_equal(read(tmp_path), reference, check_exact=True)


def test_a_row_is_the_wedge_of_its_draft_on_the_years_common_draws(store, reference):
    row = reference[
        (reference.year == 2012) & (reference.divider == USA) & (reference.target == RUS)
    ].iloc[0]
    assert row.triad_seed == triad_seed(0, 2012, USA, RUS, IRN)
    scenario = draft(USA, RUS, IRN, 2012, store=store).scenario
    uniforms = common_draws(0, 2012, 2000).uniforms(compile_model(scenario))
    full = wedge(scenario, samples=2000, sobol_samples=0, uniforms=uniforms)
    assert row.o_star_p50 == full.flip_price["p50"]
    assert row.p_within_means == full.divider["p_within_means"]
    assert row.p_infinite == full.flip_price["p_infinite"]


def test_sobol_names_the_top_driver_by_its_total_index(store, reference, tmp_path, scheduler):
    result = runner.invoke(
        app,
        ["sweep", "wedge", "--years", "2012:2012", "--out", str(tmp_path), "--store",
         str(store), "--scheduler", scheduler, "--sobol", "64"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    frame = read(tmp_path)
    assert frame["top_driver_st"].between(0, 1.5).all()
    assert frame["top_driver"].notna().all()
    # the price itself does not depend on how the driver is found
    same = reference[reference.year == 2012].reset_index(drop=True)
    assert frame["o_star_p50"].tolist() == same["o_star_p50"].tolist()


def test_rerun_skips_finished_shards_and_says_how_many(store, tmp_path, scheduler):
    assert sweep(store, tmp_path, "--scheduler", scheduler)[0] == 0
    code, stdout, stderr = sweep(store, tmp_path, "--workers", "2")  # workers: not a parameter
    assert code == 0
    assert "3 shards already done" in stderr
    assert "0 shards computed" in stdout


def test_corrupt_or_missing_shard_is_recomputed(store, reference, tmp_path, scheduler):
    assert sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")[0] == 0
    (tmp_path / "wedge/year=2011/part-1.parquet").write_bytes(b"not parquet")
    (tmp_path / "wedge/year=2012/part-0.parquet").unlink()
    code, stdout, _ = sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")
    assert code == 0
    assert "2 shards computed" in stdout
    pd.testing.assert_frame_equal(read(tmp_path), reference, check_exact=True)


def test_other_parameters_on_a_sweep_folder_are_refused_with_exit_2(store, tmp_path, scheduler):
    assert sweep(store, tmp_path, "--scheduler", scheduler)[0] == 0
    code, _stdout, stderr = sweep(store, tmp_path, "--samples", "3000")
    assert code == 2
    assert "other parameters" in stderr
    assert "samples 2000 there, 3000 now" in stderr


def test_a_failed_shard_is_reported_the_rest_finish_and_rerun_retries_it(
    store, reference, tmp_path, capfd, scheduler
):
    blocked = tmp_path / "wedge/year=2011/part-0.parquet"
    blocked.mkdir(parents=True)  # a folder where the shard's file must go
    code, stdout, stderr = sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")
    assert code == 1
    assert "shard wedge-2011-0 failed" in stderr
    assert "is a folder" in stderr
    assert "1 failed" in stdout
    # once, by the runner: not again in a block of the worker's log with its traceback
    assert "Compute Failed" not in capfd.readouterr().err
    assert len(read(tmp_path)) == len(reference) - 2
    blocked.rmdir()
    code, stdout, _ = sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")
    assert code == 0
    assert "1 shards computed" in stdout
    pd.testing.assert_frame_equal(read(tmp_path), reference, check_exact=True)


def test_sigkill_mid_sweep_then_resume_gives_the_uninterrupted_output(store, tmp_path, scheduler):
    args = ["--years", YEARS, "--store", str(store), "--shard-size", "1", "--samples", "20000"]
    whole = tmp_path / "whole"
    uninterrupted = ["sweep", "wedge", *args, "--out", str(whole), "--scheduler", scheduler]
    assert runner.invoke(app, uninterrupted).exit_code == 0
    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "alliances.cli", "sweep", "wedge", *args, "--workers", "1"]
    process = subprocess.Popen(
        [*command, "--out", str(killed)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    manifest = killed / "_manifest.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if manifest.is_file():
            done = json.loads(manifest.read_text())["sweeps"]["wedge"]["shards"]
            if len(done) >= 2:
                break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    done = json.loads(manifest.read_text())["sweeps"]["wedge"]["shards"]
    assert 2 <= len(done) < 18, "the kill should land mid-sweep"
    result = subprocess.run(
        [*command, "--out", str(killed)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert f"{len(done)} shards already done" in result.stderr
    pd.testing.assert_frame_equal(read(killed), read(whole), check_exact=True)


def test_a_worker_killed_during_a_shard_is_replaced_and_the_output_is_complete(
    store, reference, tmp_path
):
    from distributed import Client

    spec = WedgeSweep(years=(2010, 2012), shard_size=1, samples=2000)
    with (
        local_cluster(2) as cluster,
        Client(cluster) as client,
    ):
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        pids = list(client.run(os.getpid).values())
        finished: list[str] = []

        def kill_after_first(shard, record, error):
            finished.append(shard.key)
            if len(finished) == 1:
                os.kill(pids[0], signal.SIGKILL)

        report = run(
            spec,
            store=store,
            out=tmp_path,
            scheduler=cluster.scheduler_address,
            on_shard=kill_after_first,
        )
    assert report.failed == {}
    assert report.computed == 18
    pd.testing.assert_frame_equal(read(tmp_path), reference, check_exact=True)


def test_the_local_cluster_listens_on_127_0_0_1_only():
    from alliances.sweep.runner import _client

    client, cluster = _client(1, None)
    try:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        assert cluster.scheduler.http_server.address == "127.0.0.1"
        workers = client.scheduler_info()["workers"]
        assert all(address.startswith("tcp://127.0.0.1:") for address in workers)
    finally:
        client.close()
        cluster.close()


def test_show_lists_the_cheapest_splits_of_a_year(store, reference, tmp_path, scheduler):
    assert sweep(store, tmp_path, "--scheduler", scheduler)[0] == 0
    result = runner.invoke(app, ["sweep", "show", str(tmp_path), "--year", "2011", "--top", "3"])
    assert result.exit_code == 0, result.stderr
    assert "Cheapest splits of 2011" in result.stdout
    data = json.loads(
        runner.invoke(app, ["sweep", "show", str(tmp_path), "--year", "2011", "--json"]).stdout
    )
    rows = data["wedge"]["cheapest"]
    expected = cheapest(reference, 2011, 10)
    assert [r["o_star_p50"] for r in rows] == expected["o_star_p50"].tolist()
    assert rows == sorted(rows, key=lambda r: r["o_star_p50"])
    assert {"divider_id", "target_id", "partner_id", "top_driver"} <= set(rows[0])


def test_show_writes_the_ranked_chart_of_a_year(store, tmp_path, scheduler):
    assert sweep(store, tmp_path, "--scheduler", scheduler)[0] == 0
    png = tmp_path / "ranked.png"
    result = runner.invoke(app, ["sweep", "show", str(tmp_path), "--figure", str(png)])
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = runner.invoke(app, ["sweep", "show", str(tmp_path), "--figure", str(tmp_path / "x.gif")])
    assert bad.exit_code == 2
    assert "expected a figure file ending in .png" in bad.stderr


@pytest.mark.parametrize("name", ["_manifest.json", "manifest.json"])
@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"schema_version": 99, "sweeps": {}}',
        '{"schema_version": 1, "sweeps": {"wedge": {"params": [], "data": {}, "shards": {}}}}',
    ],
)
def test_a_broken_manifest_is_a_clear_error_not_a_traceback(tmp_path, text, name):
    (tmp_path / name).write_text(text)
    result = runner.invoke(app, ["sweep", "show", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / name}:" in result.stderr


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = ["year", "divider", "target", "partner"]
    return frame.sort_values(keys).reset_index(drop=True)


@pytest.mark.parametrize("folder", ["wedge", "."])
def test_pd_read_parquet_of_the_sweep_folder_gives_the_sweeps_rows(
    store, reference, tmp_path, folder, scheduler
):
    assert sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")[0] == 0
    assert not (tmp_path / "manifest.json").exists()
    frame = pd.read_parquet(tmp_path / folder)
    assert len(frame) == len(reference)
    frame["year"] = frame["year"].astype("int16")  # from the folder names: a category
    frame = frame[WEDGE_SCHEMA.names]
    pd.testing.assert_frame_equal(_sorted(frame), _sorted(reference), check_exact=True)


def test_pyarrow_and_duckdb_read_the_sweep_folder_with_hive_partitioning(
    store, reference, tmp_path, scheduler
):
    import pyarrow.dataset as ds

    assert sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")[0] == 0
    table = ds.dataset(tmp_path / "wedge", partitioning="hive").to_table()
    assert table.num_rows == len(reference)
    assert table.schema.names.count("year") == 1
    pattern = str(tmp_path / "wedge/*/*.parquet").replace("'", "''")
    counts = duckdb.sql(
        f"SELECT year, count(*) FROM read_parquet('{pattern}', hive_partitioning = true) "
        "GROUP BY year ORDER BY year"
    ).fetchall()
    assert counts == [(2010, 6), (2011, 6), (2012, 6)]


def test_a_full_disk_mid_sweep_stops_with_one_error_and_keeps_the_finished_shards(
    store, reference, tmp_path, monkeypatch
):
    import errno

    from alliances.errors import OutputError

    replace, written = os.replace, []

    def full_after_two(source, target, *args, **kwargs):
        if str(target).endswith(".parquet"):
            if len(written) >= 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written.append(target)
        return replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full_after_two)
    spec = WedgeSweep(years=(2010, 2012), shard_size=2)
    with (
        local_cluster(1, processes=False, protocol="tcp") as cluster,
        pytest.raises(OutputError) as caught,
    ):
        run(spec, store=store, out=tmp_path, scheduler=cluster.scheduler_address)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path}: the sweep stopped")
    assert "the disk is full" in message
    assert "the 2 finished shards are kept" in message
    assert "rerun the same command to resume" in message
    monkeypatch.undo()
    report = run(spec, store=store, out=tmp_path, workers=1)
    assert report.skipped == 2
    pd.testing.assert_frame_equal(read(tmp_path), reference, check_exact=True)


def test_a_folder_of_an_earlier_version_is_read_resumed_and_its_manifest_renamed(
    store, reference, tmp_path, scheduler
):
    import pyarrow.parquet as pq

    from alliances.sweep.tasks import file_sha256

    assert sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")[0] == 0
    # as written before: manifest.json, and each file holding the year as a column
    data = json.loads((tmp_path / "_manifest.json").read_text())
    for record in data["sweeps"]["wedge"]["shards"].values():
        path = tmp_path / record["file"]
        table = pq.read_table(path)
        year = int(path.parent.name.removeprefix("year="))
        years = pd.array([year] * table.num_rows, dtype="int16")
        pq.write_table(table.add_column(0, "year", [years]), path)
        record["sha256"] = file_sha256(path)
    (tmp_path / "manifest.json").write_text(json.dumps(data))
    (tmp_path / "_manifest.json").unlink()
    pd.testing.assert_frame_equal(read(tmp_path), reference, check_exact=True)
    shown = runner.invoke(app, ["sweep", "show", str(tmp_path), "--json"])
    assert shown.exit_code == 0, shown.stderr
    code, stdout, stderr = sweep(store, tmp_path, "--scheduler", scheduler, "--shard-size", "2")
    assert code == 0, stdout + stderr
    assert "9 shards already done" in stderr
    assert (tmp_path / "_manifest.json").is_file()
    assert not (tmp_path / "manifest.json").exists()
    pd.testing.assert_frame_equal(read(tmp_path), reference, check_exact=True)


def _readme_sweep_example() -> str:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## World-wide sweeps", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def _run_script(code: str, store: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    folder.mkdir()
    (folder / "world.duckdb").write_bytes(store.read_bytes())
    (folder / "example.py").write_text(code)
    src = str(Path(__file__).resolve().parents[2] / "src")
    return subprocess.run(
        [sys.executable, "example.py"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": src, "ALLIANCES_STORE": str(folder / "world.duckdb")},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_readme_sweep_example_runs_as_a_script(store, tmp_path):
    result = _run_script(_readme_sweep_example(), store, tmp_path / "guarded")
    assert result.returncode == 0, result.stderr
    # RUS from IRN in 2010: dividers USA and CHN
    assert "USA" in result.stdout
    assert "CHN" in result.stdout
    assert "o_star_p50" in result.stdout


def test_a_script_without_the_main_guard_gets_an_error_naming_it(store, tmp_path):
    lines = _readme_sweep_example().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("if __name__"))
    unguarded = "\n".join([*lines[:start], *(line[4:] for line in lines[start + 1 :])])
    result = _run_script(unguarded + "\n", store, tmp_path / "unguarded")
    assert result.returncode != 0
    assert 'if __name__ == "__main__":' in result.stderr
    assert "ParameterError" in result.stderr


def test_show_of_a_folder_without_a_sweep_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["sweep", "show", str(tmp_path)])
    assert result.exit_code == 2
    assert "no sweep here" in result.stderr


def test_years_past_the_atop_data_exit_2_naming_the_coverage_and_leave_no_folder(store, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["sweep", "wedge", "--years", "2013:2014", "--out", str(out), "--store", str(store)],
    )
    assert result.exit_code == 2
    assert "years=(2013, 2014): every year gives no triad to price" in result.stderr
    assert "2013–2014 are outside the years the store's data cover" in result.stderr
    assert "the ATOP alliances (the pairs) cover 2010–2012" in result.stderr
    assert "the COW major powers (the dividers) cover 1816–2016" in result.stderr
    assert "Choose years within 2010–2012" in result.stderr
    assert not out.exists()


def test_years_past_the_major_powers_exit_2_before_any_work(store, tmp_path):
    out = tmp_path / "out"
    spec = WedgeSweep(years=(2017, 2017), pairs=((RUS, IRN),))
    with pytest.raises(ParameterError, match=r"COW major powers \(the dividers\) cover 1816–2016"):
        run(spec, store=store, out=out, workers=1)
    assert not out.exists()


def test_years_partly_past_the_data_are_swept_with_a_note_naming_the_empty_ones(
    store, reference, tmp_path, scheduler
):
    result = runner.invoke(
        app,
        ["sweep", "wedge", "--years", "2012:2013", "--out", str(tmp_path), "--store",
         str(store), "--scheduler", scheduler, "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "warning: years=(2012, 2013): 2013 gives no triad to price" in result.stderr
    assert "the ATOP alliances (the pairs) cover 2010–2012" in result.stderr
    assert json.loads(result.stdout)["empty_years"] == [2013]
    frame = read(tmp_path)
    same = reference[reference.year == 2012].reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, same, check_exact=True)


def test_run_warns_of_the_years_without_triads_and_reports_them(store, tmp_path, scheduler):
    from alliances.errors import AlliancesWarning

    spec = WedgeSweep(years=(2011, 2014), shard_size=100)
    with pytest.warns(AlliancesWarning, match=r"2013–2014 give no triad to price") as caught:
        report = run(spec, store=store, out=tmp_path, scheduler=scheduler)
    assert "the sweep runs the other 2 years" in str(caught[0].message)
    assert report.empty_years == [2013, 2014]
    assert report.computed == 2
    assert report.to_dict()["empty_years"] == [2013, 2014]


def test_a_divider_in_every_pair_exits_2_saying_no_divider_is_outside_a_pair(store, tmp_path):
    spec = WedgeSweep(years=(2010, 2011), dividers=(RUS,), pairs=((RUS, IRN),))
    with pytest.raises(
        ParameterError, match=r"2010–2011 have no triad: .*no divider outside a pair"
    ):
        run(spec, store=store, out=tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


def test_show_of_a_year_the_sweep_does_not_hold_exits_2_naming_its_years(
    store, tmp_path, scheduler
):
    assert sweep(store, tmp_path, "--scheduler", scheduler)[0] == 0
    expected = f"--year 1990: the wedge sweep in {tmp_path} holds 2010–2012"
    result = runner.invoke(app, ["sweep", "show", str(tmp_path), "--year", "1990"])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "0 of 0 triads" not in result.stdout
    result = runner.invoke(app, ["sweep", "show", str(tmp_path), "--year", "1990", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["message"].startswith(expected)


# --- the plan ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("2000:2014", (2000, 2014)), ("2010", (2010, 2010))]
)
def test_years_are_read_as_an_inclusive_range(text, expected):
    assert parse_years(text) == expected


@pytest.mark.parametrize("text", ["2014:2000", "1700:1800", "x:y", "2000:2001:2002", ""])
def test_bad_years_are_refused_with_the_expected_form(text):
    with pytest.raises(ParameterError, match="FIRST:LAST"):
        parse_years(text)


def test_pairs_and_states_take_names_iso_or_cow_codes():
    assert parse_pairs("RUS-IRN,365-630") == ((RUS, IRN),)
    assert parse_pairs("atop") == "atop"
    assert parse_states("USA, China") == (USA, CHN)
    assert parse_states("majors") == "majors"
    with pytest.raises(ParameterError, match="not a pair"):
        parse_pairs("RUS")
    with pytest.raises(ParameterError, match="itself"):
        parse_pairs("RUS-365")


def test_the_triad_seed_depends_on_the_triad_and_the_seed_only(store):
    con = duckdb.connect(str(store), read_only=True)
    small = shards(con, WedgeSweep(years=(2010, 2012), shard_size=1))
    large = shards(con, WedgeSweep(years=(2010, 2012), shard_size=100))
    con.close()
    assert len(small) == 18
    assert len(large) == 3
    assert [t for s in small for t in s.triads] == [t for s in large for t in s.triads]
    seeds = {triad_seed(0, s.year, *t) for s in small for t in s.triads}
    assert len(seeds) == 18
    assert triad_seed(0, 2010, USA, RUS, IRN) != triad_seed(0, 2011, USA, RUS, IRN)


# --- alignment ----------------------------------------------------------------------


def test_align_sweep_gives_each_states_bloc_and_the_tie_price(real_store, tmp_path, scheduler):
    from alliances.studies.world_alignment import align_world, world_tie_price

    path, _ = real_store
    result = runner.invoke(
        app,
        [
            "sweep", "align", "--years", "2009:2010", "--pairs", "USA-RUS",
            "--out", str(tmp_path), "--store", str(path), "--scheduler", scheduler,
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    frame = read(tmp_path, "align")
    con = duckdb.connect(str(path), read_only=True)
    found = align_world(con, 2010)
    price = world_tie_price(con, 2010, USA, RUS)
    con.close()
    states = frame[(frame.year == 2010) & frame.divider.isna()]
    assert dict(zip(states.ccode, states.bloc, strict=True)) == found.blocs
    tie = frame[(frame.year == 2010) & (frame.divider == USA)]
    assert tie.tie_price.tolist() == [price]
    assert price > 0
    shown = json.loads(runner.invoke(app, ["sweep", "show", str(tmp_path), "--json"]).stdout)
    assert shown["align"]["years"] == [2009, 2010]
    (shift,) = shown["align"]["shifts"]
    assert (shift["from_year"], shift["to_year"]) == (2009, 2010)
    assert shift["moved"] == (len(shift["states"].split(", ")) if shift["states"] else 0)
    # options for a wedge sweep, or a year it does not hold, are refused, not ignored
    figure = runner.invoke(
        app, ["sweep", "show", str(tmp_path), "--figure", str(tmp_path / "f.png")]
    )
    assert figure.exit_code == 2
    assert "holds only an align sweep" in figure.stderr
    other = runner.invoke(app, ["sweep", "show", str(tmp_path), "--year", "1990"])
    assert other.exit_code == 2
    assert "--year 1990: the align sweep" in other.stderr


def test_an_align_sweep_past_the_state_system_exits_2_naming_its_years(tmp_path):
    store = tmp_path / "world.duckdb"
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE cow_ddy AS SELECT 2 AS ccode1, 365 AS ccode2, 2010 AS year")
    con.close()
    out = tmp_path / "align"
    args = ["sweep", "align", "--years", "2028:2029", "--out", str(out), "--store", str(store)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "every year gives no state system to align" in result.stderr
    assert "COW state-system dyads (the states aligned) cover 2010–2010" in result.stderr
    assert not out.exists()


def test_show_of_a_sweep_without_a_finished_shard_says_so_not_an_empty_table(
    store, tmp_path, scheduler
):
    assert sweep(store, tmp_path, "--scheduler", scheduler)[0] == 0
    # as if stopped before its first shard finished: planned, none recorded, no file
    manifest = json.loads((tmp_path / "_manifest.json").read_text(encoding="utf-8"))
    manifest["sweeps"]["wedge"]["shards"] = {}
    (tmp_path / "_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for part in (tmp_path / "wedge").rglob("*.parquet"):
        part.unlink()
    result = runner.invoke(app, ["sweep", "show", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert "has no finished shard yet" in result.stderr
    assert "None" not in result.stdout
    assert "0 of 0 triads" not in result.stdout


def test_show_of_an_unfinished_sweep_says_so_and_counts_the_shards(store, tmp_path, scheduler):
    assert sweep(store, tmp_path, "--scheduler", scheduler)[0] == 0
    manifest = json.loads((tmp_path / "_manifest.json").read_text(encoding="utf-8"))
    shards = manifest["sweeps"]["wedge"]["shards"]
    gone = shards.pop("wedge-2012-0")  # as if stopped before this shard finished
    (tmp_path / gone["file"]).unlink()
    (tmp_path / "_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = runner.invoke(app, ["sweep", "show", str(tmp_path), "--year", "2011", "--json"])
    assert result.exit_code == 0, result.stderr
    assert "is unfinished (2 of 3 shards done)" in result.stderr
    assert json.loads(result.stdout)["wedge"]["shards"] == {"done": 2, "planned": 3}
