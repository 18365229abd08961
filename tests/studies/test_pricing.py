"""One answer by every route: ``alliances.wedge`` grounds as the command line does."""

import doctest
import json

import duckdb
import pytest
from typer.testing import CliRunner

import alliances
from alliances.analysis.wedge import wedge as analysis_wedge
from alliances.cli import app
from alliances.errors import DataError
from alliances.scenario import load_builtin
from alliances.studies import pricing
from alliances.studies.grounding import Grounding

FAST = {"samples": 3000, "seed": 3, "sobol_samples": 64}


@pytest.fixture(scope="module")
def builtin():
    return load_builtin("russia-iran-2017")


def test_pricing_doctests_pass():
    assert doctest.testmod(pricing).failed == 0


def test_the_public_wedge_is_the_store_aware_one():
    assert alliances.wedge is pricing.wedge


def test_without_a_store_the_numbers_are_the_analysis_and_the_result_says_so(builtin):
    result = pricing.wedge(builtin, **FAST)
    plain = analysis_wedge(builtin, **FAST)
    assert result.flip_price.equals(plain.flip_price)
    assert result.grounded["store"] is None
    assert result.grounded["statement"].startswith("Not grounded: no store was given")
    assert [q["grounded"] for q in result.grounded["queries"]] == [False]
    assert result.to_dict()["grounded"] == result.grounded


@pytest.fixture
def store(tmp_path):
    """A store with Russia's exports to Iran in 2010–2014 (COW trade), hand-made."""
    path = tmp_path / "world.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE cow_trade_ndy AS SELECT 365 AS ccode1, 630 AS ccode2, y AS year, "
        "100.0 AS flow1, 3000.0 AS flow2 FROM range(2010, 2015) t(y)"
    )
    con.execute(
        "CREATE TABLE datasets AS SELECT 'cow_trade_ndy' AS name, 'COW trade' AS title, "
        "'4.0' AS version, repeat('a', 64) AS sha256"
    )
    con.close()
    return path


def test_a_store_by_path_grounds_the_derive_query_and_states_it(builtin, store):
    result = pricing.wedge(builtin, store=store, **FAST)
    assert result.grounded["store"] == str(store)
    assert result.grounded["statement"] == (
        f"Grounded in the store {store}: its one data query resolved (COW trade 4.0, 2010–2014)."
    )
    (query,) = result.grounded["queries"]
    assert query["grounded"]
    assert query["value"] == pytest.approx(3000e6)
    revenue = result.inputs.loc["bonds.trade.RUS.revenue"]
    assert revenue["value"] == pytest.approx(3.0)  # USD bn/yr, the data's figure
    assert not result.flip_price.equals(pricing.wedge(builtin, **FAST).flip_price)


def test_a_connection_gives_the_same_numbers_as_a_path_and_stays_open(builtin, store):
    con = duckdb.connect(str(store), read_only=True)
    by_connection = pricing.wedge(builtin, store=con, **FAST)
    assert con.execute("SELECT 1").fetchone() == (1,)
    con.close()
    by_path = pricing.wedge(builtin, store=store, **FAST)
    assert by_connection.flip_price.equals(by_path.flip_price)
    assert by_connection.grounded["statement"] == by_path.grounded["statement"]


@pytest.mark.slow
def test_the_command_line_and_the_api_give_the_same_answer_for_the_same_store(builtin, store):
    cli = CliRunner().invoke(
        app,
        [
            "wedge",
            "russia-iran-2017",
            "--json",
            "--store",
            str(store),
            "--seed",
            "3",
            "--samples",
            "3000",
            "--sobol",
            "64",
        ],
    )
    assert cli.exit_code == 0, cli.output
    data = json.loads(cli.stdout)
    api = pricing.wedge(builtin, store=store, **FAST).to_dict()
    assert data["flip_price"] == api["flip_price"]
    assert data["drivers"] == api["drivers"]
    assert data["grounded"] == json.loads(json.dumps(api["grounded"]))


def test_a_store_path_that_does_not_exist_is_a_data_error_naming_it(builtin, tmp_path):
    missing = tmp_path / "none.duckdb"
    with pytest.raises(DataError, match=r"none\.duckdb"):
        pricing.wedge(builtin, store=missing, **FAST)


def grounding(ok, dataset="COW trade 4.0"):
    return Grounding("trade", "RUS", "revenue", "trade_exports", ok, 1.0 if ok else None,
                     "x", dataset if ok else None, (2010, 2014) if ok else None)  # fmt: skip


@pytest.mark.parametrize(
    ("queries", "start"),
    [
        ([], "Nothing to ground in the store /s"),
        ([True, True], "Grounded in the store /s: all 2 data queries resolved"),
        ([True, False], "Partly grounded in the store /s: 1 of 2 data queries resolved"),
        ([False], "Not grounded: the store /s has no data for its one data query"),
    ],
)
def test_the_statement_says_how_much_was_grounded_in_one_sentence(queries, start):
    text = pricing.grounding_statement([grounding(q) for q in queries], "/s", given=True)
    assert text.startswith(start)
    assert text.endswith(".")
    assert "(s)" not in text
