"""``build_report`` and ``alliances report`` take the Sobol' size the warnings advise."""

from __future__ import annotations

from typer.testing import CliRunner

from alliances.cli import app
from alliances.scenario import load_builtin
from alliances.studies.reporting import build_report


def test_a_report_without_the_sobol_analysis_has_no_drivers():
    report = build_report(load_builtin("russia-iran-2017"), samples=500, sobol_samples=0)
    assert report.result.drivers.empty


def test_the_report_command_takes_the_sobol_size_its_warnings_advise(tmp_path):
    out = tmp_path / "r.html"
    args = ["report", "russia-iran-2017", "-o", str(out), "--samples", "500", "--sobol", "0"]
    result = CliRunner().invoke(app, [*args, "--no-ground"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    refused = CliRunner().invoke(app, [*args[:-1], "100", "--no-ground"])
    assert refused.exit_code == 2  # not a power of 2
