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
