"""The dyad profile and the grounded wedge on the real data."""

import json

import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError
from alliances.scenario import load_builtin
from alliances.studies.dyad_profile import dyad_profile, profile_series
from alliances.studies.reporting import report_data
from alliances.world import connect

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def con(real_store):
    connection = connect(real_store[0])
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def russia_iran(con):
    profile = dyad_profile(con, "Moscow", "Iranian", 2014).to_dict()
    return {row["measure"]: row for row in profile["rows"]}, profile


def test_profile_resolves_names_and_gives_every_row_a_source(russia_iran):
    rows, profile = russia_iran
    assert profile["dyad"]["a"]["cow"] == 365
    assert profile["dyad"]["b"]["cow"] == 630
    assert all(row["source"] for row in rows.values())


def test_profile_trade_matches_the_panel_both_ways(russia_iran):
    rows, _ = russia_iran
    # COW trade 2014: Russia's exports to Iran 1,460, imports 352 (USD m)
    assert rows["exports to the other (USD m)"]["a"] == 1460
    assert rows["imports from the other (USD m)"]["a"] == 352
    assert rows["exports to the other (USD m)"]["b"] == 352
    share = rows["other's share of own trade"]
    assert share["b"] > share["a"]  # Iran depends on Russia more than the reverse


def test_profile_arms_dependence_is_one_sided(russia_iran):
    rows, _ = russia_iran
    imports = rows["other's share of own arms imports, 2010–2014"]
    assert imports["a"] == 0.0
    assert 0.0 < imports["b"] <= 1.0


def test_profile_alliance_obligations_come_from_atop(russia_iran):
    rows, _ = russia_iran
    assert rows["ATOP consul obligation"]["a"] == 1
    assert rows["ATOP defense obligation"]["a"] == 0


def test_profile_outside_coverage_is_none_not_zero(con):
    rows = {r["measure"]: r for r in dyad_profile(con, "RUS", "IRN", 2016).to_dict()["rows"]}
    assert rows["exports to the other (USD m)"]["a"] is None  # COW trade ends in 2014
    assert rows["arms exports to the other (TIV m)"]["a"] == 413  # SIPRI, as in its file


def test_profile_of_states_not_in_the_system_is_a_clear_error(con):
    with pytest.raises(
        DataError,
        match=r"^Iran is not in the COW system in 1850 \(the store's state system covers 1816",
    ):
        dyad_profile(con, "Russia", "Iran", 1850)


def test_profile_series_takes_the_figures_of_each_years_profile(con, russia_iran):
    rows, _ = russia_iran
    series = profile_series(con, "RUS", "IRN", range(1850, 2015, 82))  # 1850, 1932, 2014
    assert series["year"].tolist() == [1932, 2014]  # no Russia in the system in 1850
    last = series.iloc[-1]
    assert last.target_trade_share == rows["other's share of own trade"]["a"]
    assert last.partner_trade_share == rows["other's share of own trade"]["b"]
    arms = rows["other's share of own arms imports, 2010–2014"]
    assert (last.target_arms_import_share, last.partner_arms_import_share) == (
        arms["a"],
        arms["b"],
    )
    assert last.un_agreement == next(
        r["a"] for m, r in rows.items() if m.startswith("UN votes: agree")
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("a", "b", "years"),
    [("DEU", "RUS", range(1988, 1993)), ("IRN", "RUS", range(2011, 2017))],
)
def test_profile_series_equals_each_years_profile_exactly(con, a, b, years):
    """Read once for a span of years, the series has the numbers of :func:`dyad_profile`
    year by year, and no row where the two are not both in the system (Germany, 255, only
    from 1990)."""
    import pandas as pd

    expected = []
    for year in years:
        try:
            rows = {r.measure: r for r in dyad_profile(con, a, b, year).rows}
        except DataError:  # not both in the system that year: no row
            continue
        share = rows.get("other's share of own trade")
        arms = next(
            (r for m, r in rows.items() if m.startswith("other's share of own arms im")), None
        )
        agree = next((r for m, r in rows.items() if m.startswith("UN votes: agree")), None)
        expected.append(
            {
                "year": year,
                "target_trade_share": share.a if share else None,
                "partner_trade_share": share.b if share else None,
                "target_arms_import_share": arms.a if arms else None,
                "partner_arms_import_share": arms.b if arms else None,
                "un_agreement": agree.a if agree else None,
            }
        )
    series = profile_series(con, a, b, years)
    pd.testing.assert_frame_equal(series, pd.DataFrame(expected), check_exact=True)


def test_report_data_of_the_builtin_scenario(con):
    data = report_data(load_builtin("russia-iran-2017"), con, years=range(2012, 2015))
    assert data.series is not None
    assert data.series["year"].tolist() == [2012, 2013, 2014]
    assert data.datasets is not None
    assert list(data.datasets.columns) == ["name", "title", "version", "citation", "sha256"]
    assert data.datasets["name"].is_monotonic_increasing
    assert {"cow_trade_ndy", "sipri_tiv", "un_votes"} <= set(data.datasets["name"])


def test_cli_dyad_json_and_table(real_store):
    runner = CliRunner()
    result = runner.invoke(
        app, ["dyad", "Russia", "Iran", "--year", "2014", "--store", str(real_store[0]), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["year"] == 2014
    table = runner.invoke(app, ["dyad", "Russia", "Iran", "--store", str(real_store[0])])
    assert table.exit_code == 0
    assert "Russia and Iran in 2014" in table.stdout
    unknown = runner.invoke(app, ["dyad", "Russia", "Atlantis", "--store", str(real_store[0])])
    assert unknown.exit_code == 2
    assert "Atlantis" in unknown.output


def test_wedge_with_a_store_grounds_the_trade_bond(real_store):
    args = ["wedge", "russia-iran-2017", "--samples", "500", "--sobol", "0", "--json"]
    result = CliRunner().invoke(app, [*args, "--store", str(real_store[0])])
    assert result.exit_code == 0, result.output
    grounding = json.loads(result.stdout)["grounding"]
    assert grounding[0]["grounded"] is True
    assert grounding[0]["value"] == pytest.approx(1916.8e6)  # mean 2010–2014, COW trade
    ungrounded = CliRunner().invoke(app, [*args, "--store", str(real_store[0]), "--no-ground"])
    assert json.loads(ungrounded.stdout)["grounding"][0]["grounded"] is False
