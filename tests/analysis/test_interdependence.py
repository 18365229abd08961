"""Trade and arms dependence: hand-computed cases, missing data, invariances, real data."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pyreadr
import pytest

from alliances.analysis import interdependence
from alliances.analysis.interdependence import (
    arms_dependence,
    concentration,
    dependence_asymmetry,
    trade_dependence,
)
from alliances.errors import ParameterError
from conftest import ROOT

DATA = ROOT.parent / "shared" / "data"
RUS, IRN, CHN, IND = 365, 630, 710, 750


@pytest.fixture
def totals():
    # total trade: state 1 100, state 2 400, state 3 200, state 4 nothing at all
    return pd.DataFrame(
        {
            "ccode": [1, 2, 3, 4],
            "year": [2000, 2000, 2000, 2000],
            "imports": [60.0, 150.0, 120.0, 0.0],
            "exports": [40.0, 250.0, 80.0, 0.0],
        }
    )


@pytest.fixture
def dyads():
    return pd.DataFrame(
        {
            "ccode1": [1, 2, 1, 2, 1],
            "ccode2": [2, 1, 3, 3, 4],
            "year": [2000, 2000, 2000, 2000, 2000],
            "trade_imports": [30.0, 20.0, 4.0, np.nan, 0.0],
            "trade_exports": [20.0, 30.0, 6.0, 5.0, 0.0],
        }
    )


@pytest.fixture
def transfers():
    return pd.DataFrame(
        {
            "supplier_cown": [RUS, RUS, CHN, RUS, RUS],
            "recipient_cown": [IRN, IRN, IRN, IND, IND],
            "year": [2010, 2012, 2011, 2012, 2014],
            "value": [10.0, 20.0, 30.0, 90.0, 40.0],
        }
    )


def row_of(frame: pd.DataFrame, **where) -> pd.Series:
    mask = np.logical_and.reduce([frame[k] == v for k, v in where.items()])
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


# trade_dependence ---------------------------------------------------------------------


def test_trade_dependence_matches_barbieri_measures_computed_by_hand(dyads, totals):
    out = trade_dependence(dyads, totals)
    # dyad (1, 2): trade 30 + 20 = 50 of state 1's 100 and of state 2's 400
    s1, s2 = 50 / 100, 50 / 400
    first = out.iloc[0]
    assert first.trade == 50.0
    assert first.share1 == pytest.approx(s1)
    assert first.share2 == pytest.approx(s2)
    assert first.salience == pytest.approx(math.sqrt(s1 * s2))
    assert first.symmetry == pytest.approx(1 - abs(s1 - s2))
    assert first.interdependence == pytest.approx(math.sqrt(s1 * s2) * (1 - abs(s1 - s2)))
    assert first.asymmetry == pytest.approx(s1 - s2)
    # dyad (1, 3): trade 10 of 100 and of 200
    s1, s3 = 10 / 100, 10 / 200
    third = out.iloc[2]
    assert third.share1 == pytest.approx(s1)
    assert third.share2 == pytest.approx(s3)
    assert third.interdependence == pytest.approx(math.sqrt(s1 * s3) * (1 - abs(s1 - s3)))


def test_trade_dependence_asymmetry_is_positive_when_ccode1_depends_more(dyads, totals):
    out = trade_dependence(dyads, totals)
    # state 1 puts half its trade with 2; state 2 only an eighth with 1
    assert out.asymmetry.iloc[0] > 0
    assert out.asymmetry.iloc[1] == pytest.approx(-out.asymmetry.iloc[0])
    # the directed rows (1, 2) and (2, 1) agree on the symmetric measures
    for column in ("trade", "salience", "symmetry", "interdependence"):
        assert out[column].iloc[0] == pytest.approx(out[column].iloc[1])


def test_trade_dependence_keeps_missing_trade_missing(dyads, totals):
    out = trade_dependence(dyads, totals)
    missing = out.iloc[3]  # (2, 3): imports unknown
    measures = ["trade", "share1", "share2", "salience", "symmetry", "interdependence"]
    assert missing[[*measures, "asymmetry"]].isna().all()


def test_trade_dependence_state_without_totals_gives_missing_share(dyads, totals):
    out = trade_dependence(dyads, totals[totals.ccode != 3])
    row = out.iloc[2]  # (1, 3)
    assert row.share1 == pytest.approx(0.1)
    assert np.isnan(row.share2)
    assert np.isnan(row.salience)
    assert np.isnan(row.asymmetry)


def test_trade_dependence_zero_totals_give_nan_not_inf(dyads, totals):
    out = trade_dependence(dyads, totals)
    row = out.iloc[4]  # (1, 4): no trade; state 4 trades nothing
    assert row.share1 == 0.0
    assert np.isnan(row.share2)
    assert np.isnan(row.salience)
    numeric = out.select_dtypes("number").to_numpy()
    assert not np.isinf(numeric).any()


def test_trade_dependence_does_not_depend_on_row_order(dyads, totals):
    expected = trade_dependence(dyads, totals)
    shuffled = trade_dependence(
        dyads.sample(frac=1, random_state=3), totals.sample(frac=1, random_state=4)
    )
    pd.testing.assert_frame_equal(shuffled.loc[expected.index], expected)


def test_trade_dependence_keeps_rows_and_does_not_modify_inputs(dyads, totals):
    before_dyads, before_totals = dyads.copy(deep=True), totals.copy(deep=True)
    out = trade_dependence(dyads, totals)
    pd.testing.assert_frame_equal(dyads, before_dyads)
    pd.testing.assert_frame_equal(totals, before_totals)
    assert len(out) == len(dyads)
    assert list(out.columns[: len(dyads.columns)]) == list(dyads.columns)


def test_trade_dependence_reads_nullable_columns_and_float_codes(dyads, totals):
    nullable = dyads.astype({"ccode1": "Int64", "ccode2": "Int64", "year": "Int64"})
    nullable = nullable.astype({"trade_imports": "Float64", "trade_exports": "Float64"})
    float_codes = totals.astype({"ccode": float, "year": float})  # as pyreadr reads them
    out = trade_dependence(nullable, float_codes)
    expected = trade_dependence(dyads, totals)
    for column in ("share1", "share2", "interdependence"):
        np.testing.assert_allclose(out[column], expected[column])


def test_trade_dependence_rejects_duplicated_state_years(dyads, totals):
    doubled = pd.concat([totals, totals.iloc[[0]]])
    with pytest.raises(ValueError, match=r"share a \(ccode, year\).*one row per state-year"):
        trade_dependence(dyads, doubled)


def test_trade_dependence_rejects_negative_flows_such_as_cow_missing_codes(dyads, totals):
    coded = dyads.assign(trade_exports=[20.0, 30.0, 6.0, -9.0, 0.0])
    with pytest.raises(
        ParameterError,
        match=r"trade_exports has 1 value out of range, the first -9\.0 at position 3; "
        r"flows should be finite and >= 0",
    ):
        trade_dependence(coded, totals)


@pytest.mark.parametrize("column", ["trade_imports", "trade_exports"])
def test_trade_dependence_rejects_infinite_flows(dyads, totals, column):
    infinite = dyads.assign(**{column: [np.inf, 0.0, 0.0, 0.0, 0.0]})
    with pytest.raises(
        ParameterError,
        match=rf"dyads\.{column} has 1 value out of range, the first inf at position 0",
    ):
        trade_dependence(infinite, totals)


def test_trade_dependence_rejects_infinite_or_negative_totals_naming_the_column(dyads, totals):
    with pytest.raises(ParameterError, match=r"totals\.exports .* the first inf at position 1"):
        trade_dependence(dyads, totals.assign(exports=[40.0, np.inf, 80.0, 0.0]))
    with pytest.raises(ParameterError, match=r"totals\.imports .* the first -9\.0 at position 2"):
        trade_dependence(dyads, totals.assign(imports=[60.0, 150.0, -9.0, 0.0]))


def test_trade_dependence_keeps_shares_above_one_and_their_asymmetry(dyads, totals):
    # the Notes: dyadic trade above a state's total gives a share > 1, kept, not refused
    small = totals.assign(imports=[10.0, 150.0, 120.0, 0.0], exports=[10.0, 250.0, 80.0, 0.0])
    row = trade_dependence(dyads, small).iloc[0]
    assert row.share1 == pytest.approx(50 / 20)
    assert row.asymmetry == pytest.approx(50 / 20 - 50 / 400)


def test_trade_dependence_missing_columns_are_named(dyads, totals):
    with pytest.raises(ValueError, match=r"dyads lacks the column\(s\) 'trade_exports'"):
        trade_dependence(dyads.drop(columns="trade_exports"), totals)
    with pytest.raises(ValueError, match=r"totals lacks the column\(s\) 'imports', 'exports'"):
        trade_dependence(dyads, totals.drop(columns=["imports", "exports"]))


# concentration ------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_hirschman_of_equal_shares_over_n_partners_is_one_over_root_n(n):
    flows = pd.DataFrame({"ccode": [1] * n, "partner": range(n), "trade": [2.5] * n})
    out = concentration(flows, by="ccode", partner="partner", value="trade")
    assert out.hirschman.iloc[0] == pytest.approx(1 / math.sqrt(n))
    assert out.partners.iloc[0] == n


def test_hirschman_of_one_partner_is_one_whatever_the_zero_flows():
    flows = pd.DataFrame({"ccode": [1, 1, 1], "partner": [2, 3, 4], "trade": [8.0, 0, 0]})
    out = concentration(flows, by="ccode", partner="partner", value="trade")
    assert out.hirschman.iloc[0] == 1.0
    assert out.partners.iloc[0] == 1


def test_hirschman_by_hand_per_state_year_with_repeated_partner_rows_summed():
    flows = pd.DataFrame(
        {
            "ccode": [1, 1, 1, 1, 1, 1],
            "year": [2000, 2000, 2000, 2000, 2001, 2001],
            "partner": [2, 3, 3, 4, 2, 3],
            "trade": [50.0, 20.0, 10.0, 20.0, 3.0, 1.0],
        }
    )
    out = concentration(flows, by=["ccode", "year"], partner="partner", value="trade")
    assert out[["ccode", "year"]].to_numpy().tolist() == [[1, 2000], [1, 2001]]
    # 2000: shares 0.5, 0.3, 0.2; 2001: 0.75, 0.25
    assert out.hirschman.iloc[0] == pytest.approx(math.sqrt(0.25 + 0.09 + 0.04))
    assert out.hirschman.iloc[1] == pytest.approx(math.sqrt(0.75**2 + 0.25**2))
    assert out.partners.tolist() == [3, 2]


def test_hirschman_missing_flow_makes_the_group_missing_unless_skipped():
    flows = pd.DataFrame({"ccode": [1, 1, 2], "partner": [2, 3, 1], "trade": [5.0, np.nan, 4]})
    kept = concentration(flows, by="ccode", partner="partner", value="trade")
    assert np.isnan(kept.hirschman.iloc[0])
    assert kept.hirschman.iloc[1] == 1.0
    skipped = concentration(flows, by="ccode", partner="partner", value="trade", skipna=True)
    assert skipped.hirschman.tolist() == [1.0, 1.0]


def test_hirschman_of_no_flow_at_all_is_nan():
    flows = pd.DataFrame({"ccode": [1, 1], "partner": [2, 3], "trade": [0.0, 0.0]})
    out = concentration(flows, by="ccode", partner="partner", value="trade")
    assert np.isnan(out.hirschman.iloc[0])
    assert out.partners.iloc[0] == 0


def test_concentration_does_not_depend_on_row_order_or_modify_input():
    rng = np.random.default_rng(0)
    flows = pd.DataFrame(
        {
            "ccode": rng.integers(1, 5, 40),
            "partner": rng.integers(1, 9, 40),
            "trade": rng.uniform(0, 10, 40),
        }
    )
    before = flows.copy(deep=True)
    out = concentration(flows, by="ccode", partner="partner", value="trade")
    pd.testing.assert_frame_equal(flows, before)
    shuffled = concentration(
        flows.sample(frac=1, random_state=1), by="ccode", partner="partner", value="trade"
    )
    pd.testing.assert_frame_equal(shuffled, out)


@pytest.mark.parametrize("bad", [np.inf, -np.inf, -9.0])
def test_concentration_rejects_infinite_or_negative_flows_with_their_position(bad):
    flows = pd.DataFrame({"ccode": [1, 1, 2], "partner": [2, 3, 1], "trade": [5.0, bad, 4]})
    with pytest.raises(
        ParameterError,
        match=rf"flows\.trade has 1 value out of range, the first {bad} at position 1; "
        r"flows should be finite and >= 0",
    ):
        concentration(flows, by="ccode", partner="partner", value="trade")


def test_concentration_rejects_inf_even_when_missing_flows_are_skipped():
    flows = pd.DataFrame({"ccode": [1, 1], "partner": [2, 3], "trade": [np.nan, np.inf]})
    with pytest.raises(ParameterError, match=r"the first inf at position 1"):
        concentration(flows, by="ccode", partner="partner", value="trade", skipna=True)


def test_concentration_rejects_missing_columns_and_partner_among_groups():
    flows = pd.DataFrame({"ccode": [1], "partner": [2], "trade": [1.0]})
    with pytest.raises(ValueError, match=r"flows lacks the column\(s\) 'year'"):
        concentration(flows, by=["ccode", "year"], partner="partner", value="trade")
    with pytest.raises(ValueError, match=r"partner='ccode' is also one of by"):
        concentration(flows, by="ccode", partner="ccode", value="trade")


# arms_dependence ----------------------------------------------------------------------


def test_arms_shares_over_a_three_year_window_by_hand(transfers):
    out = arms_dependence(transfers, window=3)
    pair = out[(out.supplier_cown == RUS) & (out.recipient_cown == IRN)]
    # Russia→Iran 10 (2010) and 20 (2012); China→Iran 30 (2011); Russia→India 90 (2012),
    # 40 (2014). Windows end in 2014, the last year in the data.
    assert pair.year.tolist() == [2010, 2011, 2012, 2013, 2014]
    assert pair.tiv.tolist() == [10.0, 10.0, 30.0, 20.0, 20.0]  # 2011: no Russian delivery
    assert pair.recipient_tiv.tolist() == [10.0, 40.0, 60.0, 50.0, 20.0]
    assert pair.supplier_tiv.tolist() == [10.0, 10.0, 120.0, 110.0, 150.0]
    np.testing.assert_allclose(pair.import_share, [1.0, 10 / 40, 30 / 60, 20 / 50, 1.0])
    np.testing.assert_allclose(pair.export_share, [1.0, 1.0, 30 / 120, 20 / 110, 20 / 150])


def test_arms_window_of_one_year_gives_yearly_shares(transfers):
    out = arms_dependence(transfers, window=1)
    pair = out[(out.supplier_cown == RUS) & (out.recipient_cown == IRN)]
    assert pair.year.tolist() == [2010, 2012]
    np.testing.assert_allclose(pair.import_share, [1.0, 1.0])
    np.testing.assert_allclose(pair.export_share, [1.0, 20 / 110])


def test_arms_supplier_without_code_counts_in_recipient_imports(transfers):
    unknown = pd.DataFrame(
        {
            "supplier_cown": [np.nan],
            "recipient_cown": [IRN],
            "year": [2012],
            "value": [60.0],
        }
    )
    out = arms_dependence(pd.concat([transfers, unknown], ignore_index=True), window=1)
    assert out.supplier_cown.notna().all()
    row = row_of(out, supplier_cown=RUS, recipient_cown=IRN, year=2012)
    assert row.recipient_tiv == 80.0
    assert row.import_share == pytest.approx(20 / 80)


def test_arms_repeated_rows_are_summed_and_missing_values_stay_missing(transfers):
    extra = pd.DataFrame(
        {
            "supplier_cown": [RUS, CHN],
            "recipient_cown": [IRN, IND],
            "year": [2012, 2013],
            "value": [5.0, np.nan],
        }
    )
    out = arms_dependence(pd.concat([transfers, extra], ignore_index=True), window=2)
    row = row_of(out, supplier_cown=RUS, recipient_cown=IRN, year=2012)
    assert row.tiv == 25.0
    unknown = out[(out.supplier_cown == CHN) & (out.recipient_cown == IND)]
    assert unknown.tiv.isna().all()
    # India's imports in 2013–2014 include the unknown Chinese value: missing
    india = row_of(out, supplier_cown=RUS, recipient_cown=IND, year=2014)
    assert india.tiv == 40.0
    assert np.isnan(india.recipient_tiv)
    assert np.isnan(india.import_share)


def test_arms_dependence_does_not_depend_on_row_order_or_modify_input(transfers):
    before = transfers.copy(deep=True)
    out = arms_dependence(transfers, window=3)
    pd.testing.assert_frame_equal(transfers, before)
    shuffled = arms_dependence(transfers.sample(frac=1, random_state=7), window=3)
    pd.testing.assert_frame_equal(shuffled, out)


@pytest.mark.parametrize("window", [0, -2, 2.5, True])
def test_arms_dependence_rejects_a_window_that_is_not_a_positive_integer(transfers, window):
    with pytest.raises(ParameterError, match=rf"window={window!r} should be an integer >= 1"):
        arms_dependence(transfers, window=window)


def test_arms_dependence_missing_columns_are_named(transfers):
    with pytest.raises(ParameterError, match=r"transfers lacks the column\(s\) 'value'"):
        arms_dependence(transfers.rename(columns={"value": "tiv"}))


@pytest.mark.parametrize("bad", [np.inf, -1.0])
def test_arms_dependence_rejects_infinite_or_negative_values(transfers, bad):
    values = transfers["value"].to_numpy(dtype=float, copy=True)
    values[1] = bad
    with pytest.raises(
        ParameterError, match=rf"transfers\.value has 1 value out of range, the first {bad}"
    ):
        arms_dependence(transfers.assign(value=values))


def test_arms_dependence_of_no_transfers_is_an_empty_frame(transfers):
    out = arms_dependence(transfers.iloc[:0])
    assert out.empty
    assert "import_share" in out.columns


# dependence_asymmetry and the doctests -----------------------------------------------


def test_dependence_asymmetry_sign_says_who_depends_more():
    values = dependence_asymmetry([0.5, 0.1, 0.2], [0.125, 0.4, 0.2])
    assert values.tolist() == pytest.approx([0.375, -0.3, 0.0])
    series = dependence_asymmetry(pd.Series([0.5], index=[7]), pd.Series([0.25], index=[7]))
    assert isinstance(series, pd.Series)
    assert series.loc[7] == 0.25


@pytest.mark.parametrize(
    ("a", "b", "argument", "first", "position"),
    [
        ([5.0], [0.1], "share_a_on_b", "5.0", "0"),
        ([0.2, -0.5], [0.1, 0.1], "share_a_on_b", "-0.5", "1"),
        ([np.inf], [0.1], "share_a_on_b", "inf", "0"),
        ([0.1, 0.2], [0.3, -np.inf], "share_b_on_a", "-inf", "1"),
        (0.3, [0.1, np.nan, 1.5], "share_b_on_a", "1.5", "2"),
        (pd.Series([0.1, 2.0], index=[4, 5]), 0.0, "share_a_on_b", "2.0", "1 \\(index 5\\)"),
    ],
)
def test_dependence_asymmetry_rejects_shares_outside_zero_one_naming_argument_and_position(
    a, b, argument, first, position
):
    with pytest.raises(
        ParameterError,
        match=rf"{argument} has 1 value out of range, the first {first} at position "
        rf"{position}; shares should be finite and in \[0, 1\]",
    ):
        dependence_asymmetry(a, b)


def test_dependence_asymmetry_keeps_missing_shares_missing_and_accepts_the_bounds():
    values = dependence_asymmetry([np.nan, 0.0, 1.0], [0.5, 1.0, 0.0])
    assert np.isnan(values[0])
    assert values[1:].tolist() == [-1.0, 1.0]
    series = dependence_asymmetry(pd.Series([np.nan, 1.0]), pd.Series([0.0, np.nan]))
    assert series.isna().all()


def test_module_doctests_pass():
    result = doctest.testmod(interdependence, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# real data ----------------------------------------------------------------------------


@pytest.mark.data
@pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared data folder is not at {DATA}")
def test_russia_iran_trade_shares_match_cow_data_computed_independently():
    def read(name: str) -> pd.DataFrame:
        return next(iter(pyreadr.read_r(DATA / "peacesciencer" / name).values()))

    ndy, sy = read("cow_trade_ndy.rda"), read("cow_trade_sy.rda")
    raw = ndy[(ndy.ccode1 == RUS) & (ndy.ccode2 == IRN) & ndy.year.between(2010, 2014)]
    raw = raw.sort_values("year")
    assert len(raw) == 5
    # flow1: Russia's imports from Iran, flow2: Iran's imports from Russia
    forward = pd.DataFrame(
        {
            "ccode1": RUS,
            "ccode2": IRN,
            "year": raw.year.to_numpy(),
            "trade_imports": raw.flow1.to_numpy(),
            "trade_exports": raw.flow2.to_numpy(),
        }
    )
    backward = pd.DataFrame(
        {
            "ccode1": IRN,
            "ccode2": RUS,
            "year": raw.year.to_numpy(),
            "trade_imports": raw.flow2.to_numpy(),
            "trade_exports": raw.flow1.to_numpy(),
        }
    )
    out = trade_dependence(pd.concat([forward, backward], ignore_index=True), sy)

    russia = sy[sy.ccode == RUS].set_index("year").loc[raw.year]
    iran = sy[sy.ccode == IRN].set_index("year").loc[raw.year]
    trade = raw.flow1.to_numpy() + raw.flow2.to_numpy()
    russia_share = trade / (russia.imports + russia.exports).to_numpy()
    iran_share = trade / (iran.imports + iran.exports).to_numpy()

    first, second = out.iloc[:5], out.iloc[5:]
    np.testing.assert_allclose(first.share1, russia_share, rtol=1e-12)
    np.testing.assert_allclose(first.share2, iran_share, rtol=1e-12)
    np.testing.assert_allclose(second.share1, iran_share, rtol=1e-12)
    # Iran leans on Russia more than Russia on Iran in every year
    assert (first.asymmetry < 0).all()
    assert (second.asymmetry > 0).all()
