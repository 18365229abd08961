"""Property: whatever options a user types, every command either works or exits 2 with
a message; never a traceback, never the "bug" exit 70.

The option values mix valid ones with wrong types, signs, sizes, markup and control
characters. Examples are bounded (and derandomized) so the suite stays fast in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from alliances.cli import app

runner = CliRunner()

NASTY = st.sampled_from(
    [
        "",
        "-1",
        "0",
        "1",
        "3",
        "1e309",
        "nan",
        "inf",
        "-inf",
        "9" * 400,
        "[/]x",
        "[bold]",
        "abc",
        "50",
        "50bn",
        "1816:2014",
        "2014:1816",
        "x\x00y",
        "\u202e\u0301",
        "../../etc/passwd",
        "/dev/zero",
    ]
)
TEXT = st.text(max_size=12)
VALUE = st.one_of(NASTY, TEXT, st.integers(-(10**12), 10**12).map(str))

# (command words, options each command takes, positional arguments it may take)
COMMANDS: list[tuple[list[str], list[str], int]] = [
    (["scenario", "list"], ["--json"], 0),
    (["scenario", "show"], [], 1),
    (["scenario", "validate"], ["--json"], 1),
    (["wedge"], ["--offer", "--samples", "--seed", "--sobol", "--store", "--json"], 1),
    (["dyad"], ["--year", "--store", "--json"], 2),
    (["balance"], ["--time-limit", "--method", "--weighted", "--json"], 1),
    (["align"], ["--year", "--actors", "--scenario", "--time-limit", "--store", "--json"], 0),
    (["panel"], ["--out", "--system", "--years", "--with", "--unit", "--store", "--json"], 0),
    (["data", "status"], ["--store", "--json", "--all"], 0),
    (["data", "build"], ["--data-dir", "--store", "--only", "--json"], 0),
    (["validate"], ["--store", "--json"], 0),
    (["report"], ["-o", "--seed", "--samples", "--figures", "--store"], 1),
    (["cite"], ["--plain", "--list", "--json"], 1),
    (["sweep", "show"], ["--year", "--top", "--figure", "--json"], 1),
    (
        ["sweep", "wedge"],
        [
            "--years",
            "--out",
            "--dividers",
            "--pairs",
            "--samples",
            "--seed",
            "--sobol",
            "--shard-size",
            "--workers",
            "--store",
            "--json",
        ],
        0,
    ),
    (["sweep", "align"], ["--years", "--out", "--pairs", "--time-limit", "--store", "--json"], 0),
]
FLAGS = {"--json", "--all", "--weighted", "--plain", "--list"}
# Options whose valid values would make a long run: wrong ones, or small right ones.
BOUNDED = {
    "--samples": st.sampled_from(["-1", "0", "1", "2", "300", "abc", "1e309", "9" * 30]),
    "--time-limit": st.sampled_from(["-1", "0", "0.5", "nan", "inf", "abc"]),
}
SMALL = {"--samples": "300", "--sobol": "0"}  # keep a run that succeeds quick


@st.composite
def command_lines(draw, folder: Path) -> list[str]:
    words, options, positional = draw(st.sampled_from(COMMANDS))
    argv = list(words)
    for _ in range(positional):
        argv.append(draw(st.one_of(st.just("russia-iran-2017"), VALUE)))
    for option in (
        draw(st.lists(st.sampled_from(options), max_size=4, unique=True)) if options else []
    ):
        if option in FLAGS:
            argv.append(option)
            continue
        value = draw(BOUNDED.get(option, VALUE))
        if option in {"--out", "-o", "--figures", "--figure", "--store", "--data-dir"}:
            value = str(folder / value.replace("\x00", "")) if draw(st.booleans()) else value
        argv += [option, value]
    if words == ["wedge"] or words == ["report"]:
        for option, value in SMALL.items():
            if option not in argv and (option != "--sobol" or words == ["wedge"]):
                argv += [option, value]
        argv.append("--no-ground")
    return argv


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cli")


@pytest.mark.slow
def test_every_command_line_works_or_exits_2_without_a_traceback(folder, monkeypatch):
    monkeypatch.chdir(folder)  # relative output paths land in the test's folder
    monkeypatch.setenv("ALLIANCES_STORE", str(folder / "no-store.duckdb"))
    monkeypatch.delenv("ALLIANCES_DATA_DIR", raising=False)

    @settings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(argv=command_lines(folder))
    def check(argv: list[str]) -> None:
        result = runner.invoke(app, argv)
        assert result.exit_code in (0, 1, 2), (argv, result.output)
        assert "Traceback" not in result.output, (argv, result.output)
        if result.exit_code == 2:
            assert result.output.strip(), argv  # a message, never silence

    check()
