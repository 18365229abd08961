"""The command line's one error contract: exit 2 and ``Type: message`` for a user error,
one JSON object with ``--json``, exit 70 and one line for a bug, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.scenario import builtin

runner = CliRunner()
SCRIPT = Path(sys.executable).with_name("alliances")
FAST = ["--samples", "500", "--sobol", "0", "--no-ground"]


def run(*args: str, **env: str):
    return runner.invoke(app, list(args), env=env or None)


def test_a_user_error_exits_2_with_type_and_message():
    result = run("scenario", "show", "no-such-scenario")
    assert result.exit_code == 2
    assert result.stderr.startswith("ScenarioError: no-such-scenario")
    assert "Traceback" not in result.output


def test_messages_are_plain_text_never_markup(tmp_path):
    odd = tmp_path / "[/]x [bold]y.yaml"
    result = run("scenario", "show", str(odd))
    assert result.exit_code == 2
    assert "[/]x [bold]y.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_json_errors_are_one_object_with_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\nyear: 2017\nactors: []\n", encoding="utf-8")
    result = run("wedge", str(bad), "--json", *FAST)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    error = data["error"]
    assert error["type"] == "ScenarioError"
    assert error["message"].startswith(str(bad))
    assert len(error["problems"]) >= 2  # actors too short and question missing, at once
    for problem in error["problems"]:
        assert set(problem) == {"file", "line", "path", "message"}
        assert problem["file"] == str(bad)


def test_a_bad_option_value_is_a_usage_error_with_exit_2():
    result = run("wedge", "russia-iran-2017", "--seed", "-1", *FAST)
    assert result.exit_code == 2
    assert result.stderr.startswith("UsageError:")
    assert "--seed" in result.stderr


def test_a_bad_option_value_with_json_is_a_json_error():
    result = run("wedge", "russia-iran-2017", "--sobol", "1", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["type"] == "UsageError"


@pytest.mark.parametrize("value", ["1", "3", "1000", "-2"])
def test_sobol_sizes_that_are_not_powers_of_two_are_refused(value):
    result = run("wedge", "russia-iran-2017", "--sobol", value, "--samples", "100")
    assert result.exit_code == 2
    assert "--sobol" in result.stderr


@pytest.mark.parametrize("offer", ["50", "750", "999999", "USD 50"])
def test_a_bare_small_offer_is_refused_with_the_hint(offer):
    result = run("wedge", "russia-iran-2017", "--offer", offer, *FAST)
    assert result.exit_code == 2
    assert "50bn" in result.stderr
    assert "50e9" in result.stderr


@pytest.mark.parametrize("offer", ["50bn", "50e9", "750m", "USD 2.5 bn", "2000000"])
def test_offers_with_a_scale_are_accepted(offer):
    result = run("wedge", "russia-iran-2017", "--offer", offer, "--json", *FAST)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["offer"]["value"] >= 1e6


@pytest.mark.parametrize("offer", ["nan", "inf", "-5bn", "fifty"])
def test_offers_that_are_not_amounts_are_refused(offer):
    assert run("wedge", "russia-iran-2017", "--offer", offer, *FAST).exit_code == 2


def test_a_bug_exits_70_with_one_line_and_no_traceback(monkeypatch):
    def broken() -> dict[str, str]:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(builtin, "titles", broken)
    result = run("scenario", "list")
    assert result.exit_code == 70
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("InternalError: an unexpected ZeroDivisionError")
    assert "--debug" in lines[0]


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback_of_a_bug(monkeypatch, how):
    def broken() -> dict[str, str]:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(builtin, "titles", broken)
    if how == "flag":
        result = run("scenario", "list", "--debug")
    else:
        result = run("scenario", "list", ALLIANCES_DEBUG="1")
    assert result.exit_code == 70
    assert "Traceback" in result.stderr
    assert "ZeroDivisionError: boom" in result.stderr


def test_a_bug_with_json_is_a_json_error(monkeypatch):
    monkeypatch.setattr(builtin, "titles", lambda: 1 / 0)
    result = run("scenario", "list", "--json")
    assert result.exit_code == 70
    assert json.loads(result.stdout)["error"]["type"] == "InternalError"


def test_a_missing_output_folder_is_refused_before_any_work(tmp_path):
    target = tmp_path / "no" / "such" / "report.html"
    result = run("report", "russia-iran-2017", "-o", str(target), *FAST[:2], "--no-ground")
    assert result.exit_code == 2
    assert result.stderr.startswith("OutputError:")
    assert "does not exist" in result.stderr


def test_a_folder_given_as_the_output_file_is_refused(tmp_path):
    result = run("report", "russia-iran-2017", "-o", str(tmp_path), "--no-ground")
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_a_file_given_as_the_figures_folder_is_refused(tmp_path):
    afile = tmp_path / "figs"
    afile.write_text("x")
    args = ["report", "russia-iran-2017", "-o", str(tmp_path / "r.html"), "--figures", str(afile)]
    result = run(*args, "--no-ground")
    assert result.exit_code == 2
    assert "found a file" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_an_explicit_store_that_does_not_exist_is_an_error_in_wedge(tmp_path):
    missing = tmp_path / "none.duckdb"
    result = run("wedge", "russia-iran-2017", "--store", str(missing), "--samples", "100")
    assert result.exit_code == 2
    assert str(missing) in result.stderr


@pytest.mark.slow
def test_the_console_script_prints_no_traceback_for_user_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"id: \x00\n")
    proc = subprocess.run(
        [str(SCRIPT), "wedge", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(bad) in proc.stderr


def _mount_tmpfs(folder: Path, options: str) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    return proc.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "small"
    if not _mount_tmpfs(folder, "size=256k"):
        pytest.skip("cannot mount a small tmpfs here (needs root on Linux)")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    if not _mount_tmpfs(folder, "ro,size=64k"):
        pytest.skip("cannot mount a read-only tmpfs here (needs root on Linux)")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.slow
def test_a_full_disk_is_a_clear_error_and_leaves_no_partial_file(small_disk):
    target = small_disk / "report.html"  # the report is ~5 MB, the disk 256 kB
    result = run("report", "russia-iran-2017", "-o", str(target), *FAST[:2], "--no-ground")
    assert result.exit_code == 2, result.output
    assert "disk is full" in result.stderr
    assert list(small_disk.iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_keeps_the_previous_file(small_disk):
    target = small_disk / "report.html"
    target.write_text("previous version")
    result = run("report", "russia-iran-2017", "-o", str(target), *FAST[:2], "--no-ground")
    assert result.exit_code == 2
    assert target.read_text() == "previous version"
    assert [p.name for p in small_disk.iterdir()] == ["report.html"]


@pytest.mark.slow
def test_a_read_only_folder_is_refused_before_any_work(read_only_folder):
    target = read_only_folder / "report.html"
    result = run("report", "russia-iran-2017", "-o", str(target), "--no-ground")
    assert result.exit_code == 2
    assert "not writable" in result.stderr


def test_serve_refuses_a_workspace_that_is_not_a_folder(tmp_path):
    result = run("serve", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert result.stderr.startswith("OutputError:")


@pytest.mark.slow
def test_a_scenario_can_come_from_standard_input():
    text = run("scenario", "show", "russia-iran-2017").stdout
    checked = runner.invoke(app, ["scenario", "validate", "-", "--json"], input=text)
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)[0]["valid"] is True
    priced = runner.invoke(app, ["wedge", "-", "--json", *FAST], input=text)
    assert priced.exit_code == 0, priced.output


def test_balance_keeps_node_names_as_text_and_names_a_bad_cell(tmp_path):
    edges = tmp_path / "e.csv"
    edges.write_text("source,target,sign\n1,1.0,1\n01,1,-1\n", encoding="utf-8")
    result = run("balance", str(edges), "--json")
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["partition"]) == {"1", "1.0", "01"}
    edges.write_text("source,target,sign\n1,,1\n", encoding="utf-8")
    result = run("balance", str(edges))
    assert result.exit_code == 2
    assert f"{edges}, line 2, column 'target'" in result.stderr
