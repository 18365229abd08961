"""The public surface is pinned: what ``alliances`` exports, and that it loads lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

import alliances

PUBLIC = [
    "AlliancesError",
    "Country",
    "Draft",
    "Scenario",
    "ScenarioError",
    "UnknownCountryError",
    "WedgeResult",
    "__version__",
    "draft",
    "load",
    "load_builtin",
    "resolve",
    "wedge",
]


def test_all_is_exactly_the_public_names():
    assert sorted(alliances.__all__) == sorted(PUBLIC)
    assert set(PUBLIC) <= set(dir(alliances))


def test_every_public_name_resolves():
    for name in PUBLIC:
        assert getattr(alliances, name) is not None


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        alliances.no_such_name  # noqa: B018


HEAVY = ("numpy", "pandas", "scipy", "SALib", "duckdb", "plotly", "matplotlib", "fastapi")


def heavy_modules_after(code: str) -> list[str]:
    """The numerical libraries a fresh interpreter has loaded after running ``code``."""
    report = f"import sys; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return [m for m in proc.stdout.strip().split(",") if m]


@pytest.mark.slow
def test_importing_the_package_and_the_command_line_loads_no_numerical_library():
    assert heavy_modules_after("import alliances, alliances.cli") == []


@pytest.mark.slow
def test_listing_the_built_in_scenarios_loads_no_numerical_library():
    code = (
        "from typer.testing import CliRunner; from alliances.cli import app\n"
        "result = CliRunner().invoke(app, ['scenario', 'list', '--json'])\n"
        "assert result.exit_code == 0, result.output"
    )
    assert heavy_modules_after(code) == []


def test_the_package_ships_its_type_information():
    from importlib import resources

    assert resources.files("alliances").joinpath("py.typed").is_file()


@pytest.mark.slow
def test_built_in_titles_read_from_the_files_match_the_validated_scenarios():
    from alliances.scenario import load_builtin
    from alliances.scenario.builtin import titles

    for name, title in titles().items():
        assert load_builtin(name).title == title


def test_the_public_wedge_takes_a_store_and_the_analysis_one_does_not():
    import inspect

    from alliances.analysis.wedge import wedge as pure

    public = inspect.signature(alliances.wedge).parameters
    assert "store" in public
    assert public["store"].default is None
    assert set(inspect.signature(pure).parameters) == set(public) - {"store"}
