"""``python -m alliances`` runs the command line."""

import runpy
import sys

import pytest


def test_python_dash_m_alliances_runs_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["alliances", "--version"])
    monkeypatch.delitem(sys.modules, "alliances.__main__", raising=False)
    with pytest.raises(SystemExit) as done:
        runpy.run_module("alliances", run_name="__main__")
    assert done.value.code in (0, None)
    assert capsys.readouterr().out.startswith("alliances ")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_command_line_prints_its_shell_completion(shell, monkeypatch):
    from typer.testing import CliRunner

    from alliances.cli import app

    # Typer takes the shell named after --show-completion only with detection off;
    # otherwise it asks the process tree, which differs between a terminal and make.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")

    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="alliances")
    assert result.exit_code == 0, result.output
    assert "alliances" in result.stdout
    assert "complete" in result.stdout.lower()
