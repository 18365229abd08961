import duckdb
import pandas as pd
import pytest

from alliances.errors import ScenarioError
from alliances.scenario import dump_yaml, load_builtin, parse_yaml
from alliances.studies import ground


@pytest.fixture
def store(tmp_path):
    """A store with Russia (365)–Iran (630) trade and arms, hand-made."""
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    trade = pd.DataFrame(
        {  # flow1: imports of 365 from 630; flow2: imports of 630 from 365
            "ccode1": [365] * 3,
            "ccode2": [630] * 3,
            "year": [2012, 2013, 2014],
            "flow1": [100.0, 200.0, 300.0],
            "flow2": [1000.0, 2000.0, 3000.0],
        }
    )
    totals = pd.DataFrame(
        {
            "ccode": [365] * 3,
            "year": [2012, 2013, 2014],
            "imports": [9000.0] * 3,
            "exports": [9900.0] * 3,
        }
    )
    arms = pd.DataFrame(
        {
            "supplier_cown": [365, 365],
            "recipient_cown": [630, 630],
            "year": [2013, 2014],
            "value": [30.0, 60.0],
        }
    )
    provenance = pd.DataFrame(
        {
            "name": ["cow_trade_ndy", "sipri_tiv"],
            "title": ["COW trade", "SIPRI"],
            "version": ["4.0", "2022"],
            "sha256": ["a" * 64, "b" * 64],
        }
    )
    for name, frame in [
        ("cow_trade_ndy", trade),
        ("cow_trade_sy", totals),
        ("sipri_tiv", arms),
        ("datasets", provenance),
    ]:
        con.register("f", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM f")
        con.unregister("f")
    yield con
    con.close()


def with_derive(measure, years=(2012, 2014), field="revenue", scale=1.0):
    text = dump_yaml(load_builtin("russia-iran-2017"))
    old = "      derive:\n        revenue:\n          measure: trade_exports"
    assert old in text
    new = (
        f"      derive:\n        {field}:\n          scale: {scale}\n          measure: {measure}"
    )
    text = text.replace(old, new)
    return parse_yaml(
        text.replace("- 2010\n          - 2014", f"- {years[0]}\n          - {years[1]}")
    )


def trade_revenue(scenario):
    return next(b for b in scenario.bonds if b.id == "trade").sides["RUS"].revenue


def test_exports_are_the_partners_imports_as_a_yearly_mean(store):
    grounded, report = ground(with_derive("trade_exports"), store)
    assert report[0].grounded
    assert report[0].value == pytest.approx(2000e6)  # mean of flow2, USD million → USD
    revenue = trade_revenue(grounded)
    assert revenue.unit == "USD bn/yr"
    assert revenue.value == pytest.approx(2.0)
    assert "COW trade 4.0" in revenue.source
    assert "2012–2014" in revenue.source


def test_imports_take_the_other_flow(store):
    _, report = ground(with_derive("trade_imports"), store)
    assert report[0].value == pytest.approx(200e6)


def test_arms_tiv_is_a_yearly_mean_over_the_window_with_zeros(store):
    # 30 + 60 over three years; scale turns TIV into the field's unit by assumption
    _, report = ground(with_derive("arms_tiv", scale=1.0), store)
    assert report[0].value == pytest.approx(30e6)


def test_trade_share_is_the_yearly_mean_of_the_pairs_share_of_the_first_states_trade(store):
    # (flow1 + flow2) / (imports + exports of 365): 1,100, 2,200 and 3,300 of 18,900
    _, report = ground(with_derive("trade_share"), store)
    assert report[0].grounded
    assert report[0].value == pytest.approx(2200 / 18900)
    assert "share of total trade, yearly mean, 3 years with data" in report[0].source


@pytest.mark.slow
def test_a_window_with_a_missing_flow_averages_the_years_that_have_one(store):
    store.execute("UPDATE cow_trade_ndy SET flow2 = NULL WHERE year = 2014")
    _, report = ground(with_derive("trade_exports"), store)
    assert report[0].value == pytest.approx(1500e6)  # mean of 1,000 and 2,000


def test_a_dataset_the_store_has_not_loaded_leaves_the_stated_figure(store):
    store.execute("DELETE FROM datasets WHERE name = 'sipri_tiv'")
    _, report = ground(with_derive("arms_tiv"), store)
    assert not report[0].grounded
    assert "no data" in report[0].source


def test_years_without_data_leave_the_stated_figure(store):
    scenario = with_derive("trade_exports", years=(1990, 1995))
    grounded, report = ground(scenario, store)
    assert not report[0].grounded
    assert "no data" in report[0].source
    assert trade_revenue(grounded) == trade_revenue(scenario)


def test_without_a_store_the_scenario_runs_on_its_stated_figures():
    scenario = load_builtin("russia-iran-2017")
    grounded, report = ground(scenario, None)
    assert grounded == scenario
    assert [(g.bond, g.grounded) for g in report] == [("trade", False)]
    assert "no store" in report[0].source


def test_derive_needs_a_stated_fallback():
    text = dump_yaml(load_builtin("russia-iran-2017"))
    text = text.replace("      derive:\n        revenue:", "      derive:\n        value:")
    with pytest.raises(ScenarioError, match=r"derive\.value: the side has no 'value'"):
        parse_yaml(text)


def test_derive_years_must_be_ordered():
    with pytest.raises(ScenarioError, match="years should be"):
        with_derive("trade_exports", years=(2014, 2012))


def test_derive_round_trips_through_yaml():
    scenario = load_builtin("russia-iran-2017")
    text = dump_yaml(scenario)
    assert "from: RUS" in text
    assert parse_yaml(text) == scenario
