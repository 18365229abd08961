"""The validation suite on the real data: every check passes its threshold."""

import json

import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.validation import run_checks
from alliances.world import connect

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def checks(real_store):
    con = connect(real_store[0])
    try:
        return {c.check: c for c in run_checks(con)}
    finally:
        con.close()


@pytest.mark.parametrize("state", ["us", "russia", "brazil", "china", "india", "israel"])
def test_un_agreement_reproduces_bailey_strezhnev_voeten_exactly(checks, state):
    check = checks[f"un_agreement_{state}"]
    assert check.passed is True
    assert check.error < 1e-6  # the published values are rounded to 7 digits
    assert check.details["compared"] > 8000
    assert check.details["missing_in_one_only"] == 0


def test_shared_igo_counts_match_peacesciencer_exactly(checks):
    check = checks["igo_shared_counts"]
    assert check.passed is True
    assert check.error == 0.0
    assert check.details["compared"] == 917_695


def test_cli_validate_prints_one_json_object_with_the_contract_fields(real_store):
    result = CliRunner().invoke(app, ["validate", "--store", str(real_store[0]), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["checks"]
    assert {"check", "source", "published", "ours", "error", "pass"} <= set(rows[0])
    assert all(row["pass"] is True for row in rows)


def test_checks_without_their_data_are_skipped_with_the_reason(tmp_path):
    import duckdb

    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    con = connect(path)
    try:
        checks = run_checks(con)
    finally:
        con.close()
    assert all(c.passed is None for c in checks)
    assert "not in the store" in checks[0].details["skipped"]
