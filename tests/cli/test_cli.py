import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliances.cli import app

runner = CliRunner()
SCRIPT = Path(sys.executable).with_name("alliances")
FAST = ["--samples", "4000", "--sobol", "128"]


def run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def wedge_json():
    result = run("wedge", "russia-iran-2017", "--json", "--seed", "1", *FAST)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_wedge_json_has_the_contract_keys(wedge_json):
    data = json.loads(wedge_json)
    for key in ("scenario", "divider", "target", "partner", "samples", "seed", "sources"):
        assert key in data
    assert (data["divider"], data["target"], data["partner"]) == ("USA", "RUS", "IRN")
    assert data["samples"] == 4000
    assert data["seed"] == 1
    assert {"mean", "p05", "p50", "p95", "unit"} <= set(data["flip_price"])
    assert all({"offer", "p"} <= set(point) for point in data["p_flip"])
    assert data["drivers"]
    assert all({"input", "S1", "ST"} <= set(d) for d in data["drivers"])


def test_wedge_json_gives_every_driver_and_input_a_label_beside_its_path(wedge_json):
    data = json.loads(wedge_json)
    for entry in data["drivers"] + data["inputs"]:
        assert entry["input"].count(".") >= 1  # the path stays for scripts
        assert entry["label"]
        assert entry["label"] != entry["input"]
    syria = next(d for d in data["inputs"] if d["input"] == "bonds.syria-foothold.RUS.value")
    assert syria["label"] == "yearly value to Russia of its Syrian foothold"


def test_wedge_json_says_how_it_was_grounded_and_keeps_the_grounding_list(wedge_json):
    data = json.loads(wedge_json)
    assert {"store", "statement", "queries"} <= set(data["grounded"])
    assert data["grounded"]["queries"] == data["grounding"]
    assert data["grounded"]["statement"].split(":")[0] in {
        "Not grounded",
        "Grounded in the store " + str(data["grounded"]["store"]),
    }


def test_wedge_table_states_the_grounding_and_shows_labels_not_paths():
    result = run("wedge", "russia-iran-2017", "--no-ground", *FAST)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Not grounded: --no-ground was given" in text
    assert "chance US sanctions relief is blocked" in text
    assert "question.instruments" not in text
    assert "(s)" not in text + result.stderr


def test_wedge_json_p_flip_runs_from_about_zero_to_about_one(wedge_json):
    p = [point["p"] for point in json.loads(wedge_json)["p_flip"]]
    assert p[0] < 0.01
    assert p[-1] > 0.99
    assert p == sorted(p)


def test_wedge_json_is_the_same_twice(wedge_json):
    again = run("wedge", "russia-iran-2017", "--json", "--seed", "1", *FAST)
    assert again.stdout == wedge_json


def test_wedge_offer_accepts_suffixed_amounts():
    args = ["--json", "--offer", "50bn", "--samples", "500", "--sobol", "0"]
    result = run("wedge", "russia-iran-2017", *args)
    assert result.exit_code == 0, result.output
    offer = json.loads(result.stdout)["offer"]
    assert offer["value"] == 50e9
    assert offer["reference"] is False


@pytest.mark.slow
def test_wedge_table_names_the_actors_and_the_sources():
    result = run("wedge", "russia-iran-2017", *FAST)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "What must the United States offer Russia to leave Iran" in text
    assert "Flip price" in text
    assert "fa2017" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["wedge", "no-such-scenario"], "not a built-in scenario"),
        (["wedge", "russia-iran-2017", "--offer", "lots"], "expected an amount in USD"),
        (["wedge", "russia-iran-2017", "--sobol", "100"], "power of 2"),
        (["wedge", "russia-iran-2017", "--samples", "1"], "samples"),
    ],
)
def test_user_errors_exit_2_with_a_message(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_broken_file_names_the_file_line_and_path(tmp_path):
    path = tmp_path / "broken.yaml"
    text = run("scenario", "show", "russia-iran-2017").stdout
    path.write_text(text.replace("horizon: 10", "horizon: ten"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines, 1) if "horizon:" in t)
    result = run("wedge", str(path))
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert str(path) in output
    assert f"line {line}, question.horizon" in output


@pytest.mark.slow
def test_scenario_list_show_validate_schema(tmp_path):
    listed = json.loads(run("scenario", "list", "--json").stdout)
    assert listed[0]["name"] == "russia-iran-2017"
    shown = run("scenario", "show", "russia-iran-2017")
    assert shown.exit_code == 0
    path = tmp_path / "copy.yaml"
    path.write_text(shown.stdout, encoding="utf-8")
    valid = run("scenario", "validate", str(path), "--json")
    assert valid.exit_code == 0
    assert json.loads(valid.stdout)[0]["valid"] is True
    schema = json.loads(run("scenario", "schema").stdout)
    assert schema["title"] == "alliances scenario"
    assert "question" in schema["properties"]


@pytest.mark.slow
def test_validate_reports_every_problem_and_exits_2(tmp_path):
    path = tmp_path / "bad.yaml"
    text = run("scenario", "show", "russia-iran-2017").stdout
    text = text.replace("horizon: 10", "horizon: -1").replace("year: 2017", "year: soon")
    path.write_text(text, encoding="utf-8")
    result = run("scenario", "validate", str(path), "--json")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)[0]["problems"]
    assert {p["path"] for p in problems} >= {"year", "question.horizon"}
    assert all(p["line"] for p in problems)


@pytest.mark.slow
def test_console_script_exits_2_without_traceback(tmp_path):
    if not SCRIPT.exists():
        pytest.skip(f"console script not installed at {SCRIPT}")
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nactors: [{state: Atlantis}]\n", encoding="utf-8")
    done = subprocess.run(
        [str(SCRIPT), "wedge", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "ScenarioError" in done.stderr
    assert "Atlantis" in done.stderr


@pytest.mark.slow
def test_console_script_prints_version():
    if not SCRIPT.exists():
        pytest.skip(f"console script not installed at {SCRIPT}")
    done = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("alliances ")


def test_validate_prints_errors_as_plain_numbers_not_exponents():
    from alliances.cli.validate import _error

    assert [_error(x) for x in (5.0, 0.02134, 0.0, 4.9e-8)] == ["5", "0.0213", "0", "< 0.000001"]


def test_wedge_says_why_it_is_not_grounded(tmp_path, monkeypatch):
    told = runner.invoke(
        app, ["wedge", "russia-iran-2017", "--samples", "500", "--sobol", "0", "--no-ground",
              "--json"],
    )  # fmt: skip
    assert told.exit_code == 0, told.stderr
    statement = json.loads(told.stdout)["grounded"]["statement"]
    assert statement.startswith("Not grounded: --no-ground was given")
    monkeypatch.delenv("ALLIANCES_STORE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the default store is not there
    missing = runner.invoke(
        app, ["wedge", "russia-iran-2017", "--samples", "500", "--sobol", "0", "--json"]
    )
    assert missing.exit_code == 0, missing.stderr
    statement = json.loads(missing.stdout)["grounded"]["statement"]
    assert f"no store at {tmp_path / 'alliances' / 'world.duckdb'}" in statement


def test_every_help_paragraph_is_one_line_that_the_terminal_wraps():
    import typer.main

    root = typer.main.get_command(app)
    context = type(root.make_context("alliances", ["--help"], resilient_parsing=True))
    found = []

    def walk(command, ctx, path):
        found.append((path, command.help or ""))
        for name in getattr(command, "list_commands", lambda _: [])(ctx):
            sub = command.get_command(ctx, name)
            walk(sub, context(sub, parent=ctx), [*path, name])

    walk(root, context(root), [])
    assert len(found) > 20
    broken = [p for p, h in found if any("\n" in x.strip() for x in h.split("\n\n"))]
    assert broken == []


def test_the_calibrated_line_puts_the_layers_score_beside_the_base_rates_and_its_interval():
    result = runner.invoke(
        app,
        ["wedge", "russia-iran-2017", "--no-ground", "--samples", "2000", "--sobol", "0"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 0, result.stderr
    line = " ".join(result.stdout.split())  # as read, whatever the terminal's width
    assert "leave-one-out Brier 0.182 against 0.193 for the base rate" in line
    assert "90% interval of the difference [-0.045, +0.022]: no skill shown over it" in line
