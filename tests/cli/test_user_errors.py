"""Issue 26, "hold under fire": every user mistake of the classes found is exit 2 with a
message that names the file or option and the limit; never exit 70, a traceback, a
hang, or a silent wrong answer. In-process (CliRunner), with tiny inputs."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
import warnings
from pathlib import Path

import duckdb
import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from alliances.cli import app
from alliances.cli._app import _Group

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def empty_store(tmp_path: Path) -> Path:
    """A DuckDB file without tables: enough for the commands that refuse before reading."""
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    return path


# --- 1. one bounded reader ---------------------------------------------------------------


def test_backtest_params_nested_100000_deep_is_refused_with_the_depth_limit(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("backtest", "--params", str(deep))
    assert result.exit_code == 2, result.output
    assert "nested 100,000 levels deep" in result.stderr
    assert "at most 32" in result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_backtest_params_naming_an_endless_device_is_refused_at_once(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    result = run("backtest", "--params", device)
    assert result.exit_code == 2
    assert f"{device}: is a character device, not a regular file" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_backtest_params_naming_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "params.json"
    os.mkfifo(fifo)
    result = run("backtest", "--params", str(fifo))
    assert result.exit_code == 2
    assert "is a named pipe (FIFO), not a regular file" in result.stderr


def test_backtest_params_over_the_size_limit_is_refused_naming_the_limit(tmp_path):
    big = tmp_path / "big.json"
    big.write_text('{"willingness_scale": 1.0, "pad": "' + "x" * (1 << 20) + '"}')
    result = run("backtest", "--params", str(big))
    assert result.exit_code == 2
    assert "may be at most 1,048,576 bytes" in result.stderr


def test_a_reader_asked_for_fifos_reads_one_up_to_its_limit(tmp_path):
    from alliances._reading import Refusal, read_bytes

    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"abc")
    assert read_bytes(plain, 3) == b"abc"
    with pytest.raises(Refusal, match=r"at most 2 bytes"):
        read_bytes(plain, 2)


def test_a_reader_told_not_to_follow_links_refuses_a_link_and_reads_the_file(tmp_path):
    from alliances._reading import Refusal, read_bytes

    plain = tmp_path / "plain.yaml"
    plain.write_bytes(b"abc")
    link = tmp_path / "link.yaml"
    link.symlink_to(plain)
    assert read_bytes(link, 10) == b"abc"
    assert read_bytes(plain, 10, follow_links=False) == b"abc"
    with pytest.raises(Refusal, match=r"link\.yaml: is a symbolic link") as refused:
        read_bytes(link, 10, follow_links=False)
    assert refused.value.reason == "link"


# --- 3. silently wrong ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["true", "false", '"2"', "null", "[1]"])
def test_backtest_params_scale_that_is_no_number_is_refused(tmp_path, value):
    params = tmp_path / "params.json"
    params.write_text(f'{{"willingness_scale": {value}}}', encoding="utf-8")
    result = run("backtest", "--params", str(params))
    assert result.exit_code == 2
    assert "number 'willingness_scale'" in result.stderr


@pytest.mark.parametrize(
    ("divider", "partner", "said"),
    [
        ("IRN", "IRN", "divider: Iran is also the partner"),
        ("USA", "USA+IRN", "divider: United States is also a member of United States and Iran"),
        ("CHN", "org:SCO", "China is also a member of Shanghai Cooperation Organisation in 2010"),
        ("USA+CHN", "RUS+CHN", "divider: CHN (of United States and China) is also a member"),
    ],
)
def test_a_divider_inside_the_partner_is_refused(tmp_path, divider, partner, said):
    store = empty_store(tmp_path)
    args = ["--divider", divider, "--partner", partner, "--target", "KAZ", "--year", "2010"]
    result = run("scenario", "draft", *args, "--store", str(store))
    assert result.exit_code == 2, result.output
    assert said in result.stderr
    assert "must not share a member" in result.stderr


def test_a_partner_listed_twice_is_refused_not_counted_twice(tmp_path):
    store = empty_store(tmp_path)
    args = ["--divider", "USA", "--partner", "RUS+IRN+Iran", "--target", "KAZ", "--year", "2010"]
    result = run("scenario", "draft", *args, "--store", str(store))
    assert result.exit_code == 2
    assert "partner: Iran is listed twice ('IRN' and 'Iran')" in result.stderr


# --- 2. every exception mapped at the edge ----------------------------------------------


def test_a_sobol_design_too_big_for_memory_is_refused_saying_what_it_needs():
    args = ["wedge", "russia-iran-2017", "--samples", "100", "--no-ground"]
    result = run(*args, "--sobol", "1048576")
    assert result.exit_code == 2, result.output
    assert "ParameterError: the Sobol' analysis of N = 1,048,576" in result.stderr
    assert "GB of memory; the limit is 2 GiB" in result.stderr
    assert "--sobol 262144" in result.stderr


def test_the_sobol_design_in_blocks_is_salibs_value_for_value(monkeypatch):
    from SALib.sample import sobol as salib

    from alliances.analysis import sensitivity

    monkeypatch.setattr(sensitivity, "BLOCK_VALUES", 40)  # many blocks
    d, n = 3, 32
    problem = {"num_vars": d, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * d}
    design = salib.sample(problem, n, calc_second_order=False, seed=7)
    weights = np.array([1.0, 2.0, 4.0])
    y = sensitivity._design_outputs(lambda u: u @ weights, d, n, 7)
    assert np.array_equal(y, design @ weights)


def _app_with(command):
    """A one-command application under the package's error handler."""
    test_app = typer.Typer(cls=_Group)
    test_app.command()(command)

    @test_app.command("other")
    def _other() -> None:  # two commands, so that the name is a sub-command
        pass

    return test_app


def test_a_warning_is_one_line_without_python_source():
    def warns() -> None:
        warnings.simplefilter("always")  # the suite turns warnings into errors
        warnings.warn("the time limit of 0 s left 0 s", RuntimeWarning, stacklevel=1)

    result = CliRunner().invoke(_app_with(warns), ["warns"])
    assert result.exit_code == 0
    assert result.stderr == "warning: the time limit of 0 s left 0 s\n"


def test_running_out_of_memory_is_exit_2_with_what_to_ask_less_of():
    def hungry() -> None:
        raise MemoryError

    result = CliRunner().invoke(_app_with(hungry), ["hungry"])
    assert result.exit_code == 2
    assert result.stderr.startswith("MemoryError: the computation needs more memory")


class _FullDisk(io.TextIOBase):
    """Standard output on a full disk: every write fails with ENOSPC."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("as_json", [False, True])
def test_standard_output_on_a_full_disk_is_an_output_error(monkeypatch, capsys, as_json):
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    args = ["scenario", "list", *(["--json"] if as_json else [])]
    code = app(args, standalone_mode=False)
    error = capsys.readouterr().err
    assert code == 2
    assert "standard output: cannot write: the disk is full" in error
    assert "Traceback" not in error
    if as_json:
        assert json.loads(error)["error"]["type"] == "OutputError"


# --- 4. output targets -------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_an_output_that_is_a_fifo_is_refused_and_left_a_fifo(tmp_path):
    import stat

    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    result = run("forecast", "--year", "2010", "-o", str(fifo), "--store", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "is a named pipe (FIFO), not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_check_output_refuses_a_device():
    from alliances._files import check_output
    from alliances.errors import OutputError

    with pytest.raises(OutputError, match="is a character device, not a regular file"):
        check_output(os.devnull)


# --- 5. a damaged store -----------------------------------------------------------------


def _damaged_store(tmp_path: Path) -> Path:
    """A store whose ``datasets`` table has a data block that fails its checksum."""
    path = tmp_path / "world.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE datasets AS SELECT 'x' || i AS name, i AS rows FROM range(60000) t(i)"
    )
    con.execute("CHECKPOINT")
    blocks = con.execute(
        "SELECT min(block_id) FROM pragma_storage_info('datasets') WHERE block_id >= 0"
    ).fetchone()
    con.close()
    assert blocks is not None
    with open(path, "r+b") as handle:  # header of 3 × 4 KiB, then blocks of 256 KiB
        handle.seek(3 * 4096 + blocks[0] * 256 * 1024 + 100)
        handle.write(b"\xff" * 64)
    return path


@pytest.mark.slow  # DuckDB writes and reads a store: about half a second
def test_a_store_with_a_damaged_block_is_exit_2_with_the_command_that_rebuilds_it(tmp_path):
    store = _damaged_store(tmp_path)
    result = run("data", "status", "--store", str(store))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"DataError: {store}: the store is damaged")
    assert f"alliances data build --data-dir DIR --store {store}`" in result.stderr


@pytest.mark.slow  # DuckDB writes and reads a store: about half a second
def test_a_truncated_store_is_exit_2_with_the_command_that_rebuilds_it(tmp_path):
    store = _damaged_store(tmp_path)
    os.truncate(store, 20_000)
    result = run("data", "status", "--store", str(store))
    assert result.exit_code == 2
    assert f"alliances data build --data-dir DIR --store {store}`" in result.stderr


@pytest.mark.slow  # DuckDB writes and reads a store: about half a second
def test_a_damaged_store_fails_the_whole_check_and_a_sound_one_passes(tmp_path):
    from alliances.world.connection import check_store_whole

    sound = tmp_path / "sound" / "world.duckdb"
    sound.parent.mkdir()
    duckdb.connect(str(sound)).execute("CREATE TABLE t AS SELECT 1 AS a").close()
    assert check_store_whole(sound) is None
    reason = check_store_whole(_damaged_store(tmp_path))
    assert reason is not None
    assert "checksum" in reason


@pytest.mark.parametrize(
    "args",
    [
        ["report", "russia-iran-2017", "-o"],
        ["backtest", "--report"],
        ["backtest", "--exits", "--report"],
    ],
    ids=["report", "backtest", "exits"],
)
def test_an_html_output_named_as_another_format_is_refused_before_any_work(tmp_path, args):
    target = tmp_path / "report.pdf"
    result = run(*args, str(target))
    assert result.exit_code == 2
    assert "expected a file name ending in .html or .htm" in result.stderr
    assert not target.exists()


def test_a_dyad_or_an_alignment_of_one_state_named_twice_is_refused_as_such():
    import duckdb

    from alliances.errors import ParameterError
    from alliances.studies.dyad_profile import dyad_profile
    from alliances.studies.world_alignment import align_world

    con = duckdb.connect()  # refused before the store is read
    with pytest.raises(ParameterError, match="'Russia' and 'RUS' both name Russia"):
        dyad_profile(con, "Russia", "RUS", 2014)
    with pytest.raises(ParameterError, match="at least two different states"):
        align_world(con, 2010, ["USA", "United States"])
    with pytest.raises(ParameterError, match="at least two different states"):
        align_world(con, 2010, ["USA"])


@pytest.mark.slow  # a process of its own
def test_output_cut_short_by_a_closed_pipe_ends_quietly_with_the_sigpipe_status():
    import subprocess

    command = [sys.executable, "-m", "alliances", "scenario", "show", "russia-iran-2017"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # no reader from the start: every write meets a closed pipe
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 141  # 128 + SIGPIPE, as a shell reports `cmd | head`
    assert b"Traceback" not in stderr
    assert b"Error" not in stderr


def test_money_under_a_billion_keeps_two_significant_digits():
    from alliances.cli._app import bn

    assert bn(750e6) == "0.75"
    assert bn(4e6) == "0.004"
    assert bn(70.68e9) == "70.7"
    assert bn(0.0) == "0.0"
    assert bn(6.79e89) == "6.79e80"
    assert bn(1.5e15) == "1.5e6"
    assert bn(-2e15) == "-2e6"
    assert bn(float("-inf")) == "-∞"


def test_a_refused_choice_is_worded_without_pydantics_prefix(tmp_path):
    result = run("panel", "--system", "xyz", "--out", str(tmp_path / "x.parquet"))
    assert result.exit_code == 2
    assert "'xyz' is not one of 'cow', 'gw'" in result.stderr
    assert "Value error" not in result.stderr


def test_serve_hands_its_sobol_size_to_the_workbench_and_refuses_one_not_a_power_of_two(
    tmp_path, monkeypatch
):
    import alliances.web

    seen: dict[str, object] = {}
    monkeypatch.setattr(alliances.web, "serve", lambda *args, **kwargs: seen.update(kwargs))
    assert run("serve", str(tmp_path), "--sobol", "1024", "--no-token").exit_code == 0
    assert seen["sobol"] == 1024
    refused = run("serve", str(tmp_path), "--sobol", "100")
    assert refused.exit_code == 2


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--exits", "--calibrate", "c.json"], "--exits"),
        (["--exits", "--rules", "2"], "--exits"),
        (["--exits", "--samples", "100"], "--exits"),
        (["--structure"], "--structure"),
    ],
)
def test_a_backtest_option_that_does_not_apply_is_refused_not_ignored(tmp_path, args, named):
    result = run("backtest", *args, "--store", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 2
    assert f"Invalid value for {named}" in result.stderr
    assert not (tmp_path / "c.json").exists()


def test_forecast_output_must_be_a_json_file(tmp_path):
    result = run("forecast", "--year", "2010", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert ".json" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_json_usage_error_names_the_option_in_its_problem_path():
    result = run("forecast", "--year", "2010", "--horizon", "0", "--json")
    assert result.exit_code == 2
    [problem] = json.loads(result.stdout)["error"]["problems"]
    assert problem["path"] == "--horizon"
