"""The dyad-year and state-year panel builders, on a tiny hand-made DuckDB store.

Three states (USA 2, Russia 365, Iran 630) in nine years chosen to fall inside and
outside the coverage of each source in the registry. Every expected value below is
computed by hand from the rows of the tables. Each test runs twice: on the store as
written (joins on the fly) and with the build's panel cache written into it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyreadr
import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError, ParameterError
from alliances.world import panel as panel_module
from alliances.world import panel_cache, queries
from alliances.world.panel import COVARIATES, DyadYears, dyad_years, state_years
from alliances.world.registry import ATOP_KINDS, BIBTEX, DATASETS
from alliances.world.store import connect, table_names

STATES = (2, 365, 630)
YEARS = (1869, 1949, 2010, 2014, 2015, 2017, 2019, 2021, 2023)
BASE_ROWS = len(YEARS) * 6
D = dt.date
NAN = np.nan


def _frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split())


CINC = {2: 0.14, 365: 0.04, 630: 0.01}
MID_SIDES = (1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 7.0, 0.0, 3.0, 1.0)  # orig1 … hostlev2


def tables() -> dict[str, pd.DataFrame]:
    """The hand-made sources, named and laid out as in the registry."""
    ddy = [(a, b, y) for y in YEARS for a in STATES for b in STATES if a != b]
    kinds = "atop_defense atop_offense atop_neutral atop_nonagg atop_consul"
    return {
        "cow_ddy": _frame("ccode1 ccode2 year", ddy),
        # directed; two rows for (365, 630, 2014): the panel takes the maximum of each kind
        "atop_alliance": _frame(
            f"ccode1 ccode2 year {kinds}",
            [
                (365, 630, 2010, 1.0, 0.0, 0.0, 0.0, 1.0),
                (630, 365, 2010, 0.0, 0.0, 0.0, 0.0, 1.0),
                (365, 630, 2014, 0.0, 0.0, 0.0, 1.0, 0.0),
                (365, 630, 2014, 1.0, 0.0, 0.0, 0.0, 0.0),
                (630, 365, 2014, 0.0, 0.0, 0.0, 1.0, 0.0),
                (2, 365, 1869, 0.0, 0.0, 1.0, 0.0, 0.0),
                (365, 2, 1869, 0.0, 0.0, 1.0, 0.0, 0.0),
            ],
        ),
        # non-directed, ccode1 < ccode2; flow1 = imports of ccode1 from ccode2
        "cow_trade_ndy": _frame(
            "ccode1 ccode2 year flow1 flow2",
            [
                (2, 365, 1949, 5.0, 6.0),
                (2, 365, 2010, 10.0, 20.0),
                (365, 630, 2010, 3.0, 7.0),
                (2, 630, 2014, NAN, 1.0),
            ],
        ),
        "cow_igo_ndy": _frame(
            "ccode1 ccode2 year dyadigos",
            [(2, 365, 2010, 40.0), (365, 630, 2010, 30.0), (2, 365, 2014, 41.0)],
        ),
        # spells in both directions, as in the published file
        "cow_contdir": _frame(
            "ccode1 ccode2 conttype stdate enddate",
            [
                (365, 630, 4.0, D(1816, 1, 1), D(2010, 6, 1)),
                (630, 365, 1.0, D(2010, 7, 1), D(2016, 12, 1)),
                (2, 365, 4.0, D(1867, 10, 1), D(2016, 12, 1)),
                (365, 2, 4.0, D(1867, 10, 1), D(2016, 12, 1)),
            ],
        ),
        "cow_mindist": _frame(
            "ccode1 ccode2 year mindist",
            [
                (2, 365, 2010, 80.0),
                (365, 630, 2010, 0.0),
                (2, 630, 2010, 9000.0),
                (2, 365, 2019, 81.0),
            ],
        ),
        "cow_nmc": _frame(
            "ccode year milex milper tpop cinc irst pec upop",
            [
                (c, y, 1000.0 * c + y, float(c), 10.0 * c, CINC[c], c + 0.25, c + 0.5, c + 0.75)
                for c in STATES
                for y in (1869, 2010, 2021)
            ],
        ),
        "cw_gdppop": _frame(
            "ccode year mrgdppc pwtrgdp pwtpop",
            [(c, y, c + 0.5, 100.0 * c, c / 10) for c in STATES for y in (2010, 2019)],
        ),
        "cw_democracy": _frame(
            "ccode year euds polity2 v2x_polyarchy",
            [(c, y, c / 1000, 10.0 - c % 7, c / 1000) for c in STATES for y in (2010, 2023)],
        ),
        "unga_idealpoints": _frame(
            "ccode year idealpointfp",
            [(2, 2010, 2.5), (365, 2010, 0.1), (630, 2010, -1.4), (2, 2023, 2.6)],
        ),
        "tss_rivalries": _frame(
            "tssr_id ccode1 ccode2 start end",
            [(1, 2, 365, 1946, 2020), (2, 365, 630, 1816, 1828)],
        ),
        # directed dyad-years, both directions
        "cow_mid_ddydisps": _frame(
            "dispnum ccode1 ccode2 year cowmidonset cowmidongoing hostlev",
            [(4000, 2, 365, 2010, 1.0, 1.0, 4.0), (4000, 365, 2, 2010, 1.0, 1.0, 4.0)],
        ),
        # every dispute of a directed dyad-year (the dyad-years above keep one of them)
        "cow_mid_dirdisps": _frame(
            "dispnum ccode1 ccode2 year disponset sidea1 sidea2 orig1 orig2 fatality1 fatality2 "
            "fatalpre1 fatalpre2 hiact1 hiact2 hostlev1 hostlev2",
            [
                (d, a, b, 2010, 1.0, float(a == 2), float(b == 2), *MID_SIDES)
                for d in (4000, 4001)
                for a, b in ((2, 365), (365, 2))
            ],
        ),
        # the disputes: 4000 is the one kept (the higher hostility level)
        "cow_mid_disps": _frame(
            "dispnum styear stmon fatality mindur maxdur recip hostlev",
            [
                (4000, 2010, 3.0, 0.0, 1.0, 1.0, 0.0, 4.0),
                (4001, 2010, 1.0, 0.0, 1.0, 1.0, 0.0, 3.0),
            ],
        ),
        # directed war dyad-years (COW inter-state wars end in 2007): 1949 is covered
        "cow_war_inter": _frame(
            "warnum ccode1 ccode2 year",
            [(150, 2, 365, 1949), (150, 365, 2, 1949), (150, 365, 2, 1949)],
        ),
        "sipri_tiv": _frame(
            "supplier recipient year value supplier_cown recipient_cown",
            [
                ("Russia", "Iran", 2010, 30, 365, 630),
                ("Russia", "Iran", 2010, 5, 365, 630),  # same dyad-year: summed
                ("Iran", "Russia", 2014, 2, 630, 365),
                ("United States", "NATO**", 2010, 25, 2, None),  # no code: left out
            ],
        ),
        "cow_trade_sy": _frame(
            "ccode year imports exports",
            [(2, 2010, 1900.0, 1300.0), (365, 2010, 230.0, 400.0), (630, 2010, 70.0, 100.0)],
        ),
        "cow_igo_sy": _frame(
            "ccode year sum_igo_full sum_igo_anytype",
            [(2, 2010, 80.0, 90.0), (365, 2010, 70.0, 85.0), (630, 2010, 60.0, 75.0)],
        ),
        "terrthreat": _frame("ccode year lterrthreat", [(630, 2010, 0.7)]),
    }


def write_store(path: Path, frames: dict[str, pd.DataFrame], cache: bool = False) -> Path:
    con = duckdb.connect(str(path))
    try:
        for name, frame in frames.items():
            con.register("incoming", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
        if cache:
            panel_module.materialise(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def joined_store(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("joined") / "world.duckdb", tables())


@pytest.fixture(scope="module", params=["joined", "cached"])
def store(request, tmp_path_factory, joined_store) -> Path:
    if request.param == "joined":
        return joined_store
    return write_store(tmp_path_factory.mktemp("cached") / "world.duckdb", tables(), cache=True)


@pytest.fixture(scope="module")
def con(store):
    connection = connect(store)
    yield connection
    connection.close()


def rows(frame: pd.DataFrame, a: int, b: int, year: int) -> pd.Series:
    hit = frame[(frame["ccode1"] == a) & (frame["ccode2"] == b) & (frame["year"] == year)]
    assert len(hit) == 1, (a, b, year)
    return hit.iloc[0]


def covariate_columns(con, name: str) -> list[str]:
    base = dyad_years(con, years=(YEARS[0], YEARS[-1])).to_pandas().columns
    full = dyad_years(con, years=(YEARS[0], YEARS[-1])).with_(name).to_pandas().columns
    return [c for c in full if c not in base]


# --- row counts ----------------------------------------------------------------------


def test_base_panel_has_every_directed_dyad_year(con):
    panel = dyad_years(con, years=(1816, 2024))
    frame = panel.to_pandas()
    assert panel.count() == BASE_ROWS
    assert len(frame) == BASE_ROWS
    assert list(frame.columns) == ["ccode1", "ccode2", "year"]
    assert sorted(frame["year"].unique()) == list(YEARS)
    assert not frame.duplicated().any()


def test_years_restrict_the_panel(con):
    panel = dyad_years(con, years=(2010, 2015))
    assert panel.count() == 18
    frame = panel.to_pandas()
    assert sorted(frame["year"].unique()) == [2010, 2014, 2015]
    # ordered by year, then dyad
    assert list(frame.itertuples(index=False))[:3] == [
        (2, 365, 2010),
        (2, 630, 2010),
        (365, 2, 2010),
    ]


@pytest.mark.parametrize("names", [*([n] for n in COVARIATES), list(COVARIATES)], ids=str)
def test_every_covariate_keeps_the_row_count(con, names):
    panel = dyad_years(con, years=(1816, 2024)).with_(*names)
    frame = panel.to_pandas()
    assert panel.count() == BASE_ROWS
    assert len(frame) == BASE_ROWS
    assert not frame.duplicated(["ccode1", "ccode2", "year"]).any()


# --- directed trade ------------------------------------------------------------------


def test_directed_trade_takes_imports_and_exports_from_the_right_flow(con):
    frame = dyad_years(con, years=(2010, 2010)).with_trade().to_pandas()
    usa_rus, rus_usa = rows(frame, 2, 365, 2010), rows(frame, 365, 2, 2010)
    assert (usa_rus.trade_imports, usa_rus.trade_exports) == (10.0, 20.0)
    assert (rus_usa.trade_imports, rus_usa.trade_exports) == (20.0, 10.0)
    rus_irn, irn_rus = rows(frame, 365, 630, 2010), rows(frame, 630, 365, 2010)
    assert (rus_irn.trade_imports, rus_irn.trade_exports) == (3.0, 7.0)
    assert (irn_rus.trade_imports, irn_rus.trade_exports) == (7.0, 3.0)


def test_trade_without_a_value_stays_missing_not_zero(con):
    frame = dyad_years(con, years=(2010, 2014)).with_trade().to_pandas()
    usa_irn = rows(frame, 2, 630, 2010)  # observed year, but no row for this dyad
    assert pd.isna(usa_irn.trade_imports)
    assert pd.isna(usa_irn.trade_exports)
    usa_irn = rows(frame, 2, 630, 2014)  # a row with flow1 missing
    assert pd.isna(usa_irn.trade_imports)
    assert usa_irn.trade_exports == 1.0
    irn_usa = rows(frame, 630, 2, 2014)
    assert irn_usa.trade_imports == 1.0
    assert pd.isna(irn_usa.trade_exports)


# --- alliances -----------------------------------------------------------------------

KINDS = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]


def test_alliances_stay_directed(con):
    frame = dyad_years(con, years=(2010, 2014)).with_alliances().to_pandas()
    assert rows(frame, 365, 630, 2010)[KINDS].tolist() == [1, 0, 0, 0, 1]
    assert rows(frame, 630, 365, 2010)[KINDS].tolist() == [0, 0, 0, 0, 1]


def test_alliances_take_the_maximum_over_rows_of_one_dyad_year(con):
    frame = dyad_years(con, years=(2014, 2014)).with_alliances().to_pandas()
    assert rows(frame, 365, 630, 2014)[KINDS].tolist() == [1, 0, 0, 1, 0]
    assert rows(frame, 630, 365, 2014)[KINDS].tolist() == [0, 0, 0, 1, 0]


def test_alliances_are_zero_inside_atop_coverage_and_missing_outside(con):
    frame = dyad_years(con, years=(1816, 2024)).with_alliances().to_pandas()
    assert rows(frame, 2, 630, 2010)[KINDS].tolist() == [0, 0, 0, 0, 0]
    assert rows(frame, 2, 365, 1869)[KINDS].tolist() == [0, 0, 1, 0, 0]
    assert rows(frame, 630, 2, 2017)[KINDS].tolist() == [0, 0, 0, 0, 0]
    inside = frame["year"] <= 2018
    assert frame.loc[inside, KINDS].notna().all().all()
    assert frame.loc[~inside, KINDS].isna().all().all()
    assert sorted(frame.loc[~inside, "year"].unique()) == [2019, 2021, 2023]


# --- honest coverage -----------------------------------------------------------------

OBSERVED = {"trade", "igos", "distance"}  # coverage = the years present in the table
EVENTS = {"alliances", "arms", "igos", "contiguity", "rivalries", "mids"}  # zero-filled


def covered_years(con, name: str) -> set[int]:
    dataset = COVARIATES[name]().datasets[0]
    if name in OBSERVED:
        found = con.execute(f"SELECT DISTINCT year FROM {dataset}").fetchall()
        return {int(y) for (y,) in found}
    first, last = DATASETS[dataset].years
    return {y for y in YEARS if first <= y <= last}


@pytest.mark.parametrize("name", list(COVARIATES))
def test_no_value_outside_the_coverage_of_the_source(con, name):
    columns = covariate_columns(con, name)
    assert columns
    frame = dyad_years(con, years=(1816, 2024)).with_(name).to_pandas()
    inside = frame["year"].isin(covered_years(con, name))
    assert frame.loc[~inside, columns].isna().all().all()
    assert frame.loc[inside, columns].notna().any().all()  # every column has some value


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_event_sources_are_zero_not_missing_inside_their_coverage(con, name):
    columns = covariate_columns(con, name)
    frame = dyad_years(con, years=(1816, 2024)).with_(name).to_pandas()
    inside = frame["year"].isin(covered_years(con, name))
    assert inside.any()
    assert frame.loc[inside, columns].notna().all().all()
    assert (frame.loc[inside, columns] == 0).any().all()


def test_coverage_follows_the_years_observed_for_igos(con):
    frame = dyad_years(con, years=(1816, 2024)).with_igos().to_pandas()
    assert rows(frame, 365, 2, 2010).shared_igos == 40
    assert rows(frame, 630, 365, 2010).shared_igos == 30
    assert rows(frame, 2, 630, 2010).shared_igos == 0  # observed year, no shared IGO
    assert rows(frame, 365, 630, 2014).shared_igos == 0
    # 1949 is inside 1816-2014 but not observed in the table: missing, not zero
    assert frame.loc[frame["year"] == 1949, "shared_igos"].isna().all()


# --- arms ----------------------------------------------------------------------------


def test_arms_exports_and_imports_in_both_directions_summed_per_dyad_year(con):
    frame = dyad_years(con, years=(1816, 2024)).with_arms().to_pandas()
    columns = ["arms_exports_tiv", "arms_imports_tiv"]
    assert rows(frame, 365, 630, 2010)[columns].tolist() == [35, 0]
    assert rows(frame, 630, 365, 2010)[columns].tolist() == [0, 35]
    assert rows(frame, 630, 365, 2014)[columns].tolist() == [2, 0]
    assert rows(frame, 365, 630, 2014)[columns].tolist() == [0, 2]
    assert rows(frame, 2, 630, 2010)[columns].tolist() == [0, 0]
    assert rows(frame, 365, 630, 2021)[columns].tolist() == [0, 0]
    for year in (1869, 1949, 2023):  # SIPRI covers 1950-2021
        assert frame.loc[frame["year"] == year, columns].isna().all().all()
    assert frame["arms_exports_tiv"].sum() == 37  # the NATO** row has no code: left out


# --- contiguity, distance, capabilities ----------------------------------------------


def test_contiguity_is_the_closest_type_of_the_spells_covering_the_year(con):
    frame = dyad_years(con, years=(1816, 2024)).with_contiguity().to_pandas()
    expected = {1869: 4, 1949: 4, 2010: 1, 2014: 1, 2015: 1}
    for year, kind in expected.items():
        assert rows(frame, 365, 630, year).conttype == kind, year
        assert rows(frame, 630, 365, year).conttype == kind, year
        assert rows(frame, 2, 365, year).conttype == 4
        assert rows(frame, 2, 630, year).conttype == 0
    assert frame.loc[frame["year"] >= 2017, "conttype"].isna().all()


def test_distance_is_looked_up_both_ways(con):
    frame = dyad_years(con, years=(1816, 2024)).with_distance().to_pandas()
    assert rows(frame, 2, 365, 2010).mindist == 80.0
    assert rows(frame, 365, 2, 2010).mindist == 80.0
    assert rows(frame, 630, 365, 2010).mindist == 0.0
    assert rows(frame, 630, 2, 2010).mindist == 9000.0
    assert rows(frame, 365, 2, 2019).mindist == 81.0
    assert pd.isna(rows(frame, 365, 630, 2019).mindist)  # observed year, no value
    assert frame.loc[frame["year"] == 2014, "mindist"].isna().all()


def test_capabilities_give_both_sides(con):
    frame = dyad_years(con, years=(2010, 2010)).with_capabilities().to_pandas()
    usa_rus = rows(frame, 2, 365, 2010)
    assert (usa_rus.cinc1, usa_rus.cinc2) == (0.14, 0.04)
    assert (usa_rus.milex1, usa_rus.milex2) == (4010.0, 367010.0)
    assert (usa_rus.milper1, usa_rus.tpop2) == (2.0, 3650.0)
    rus_usa = rows(frame, 365, 2, 2010)
    assert (rus_usa.cinc1, rus_usa.cinc2) == (0.04, 0.14)
    assert rows(frame, 630, 365, 2010)[["cinc1", "cinc2"]].tolist() == [0.01, 0.04]


def test_gdp_democracy_rivalries_mids_and_affinity_values(con):
    frame = (
        dyad_years(con, years=(1816, 2024))
        .with_gdp()
        .with_democracy()
        .with_rivalries()
        .with_mids()
        .with_affinity()
        .to_pandas()
    )
    rus_irn = rows(frame, 365, 630, 2010)
    assert (rus_irn.gdp1, rus_irn.gdp2, rus_irn.pop1, rus_irn.gdppc2) == (
        36500.0,
        63000.0,
        36.5,
        630.5,
    )
    assert (rus_irn.polity2_1, rus_irn.polity2_2) == (10.0 - 365 % 7, 10.0 - 630 % 7)
    assert (rus_irn.v2x_polyarchy1, rus_irn.euds2) == (0.365, 0.63)
    assert rus_irn.tss_rivalry == 0
    assert rows(frame, 365, 630, 1869).tss_rivalry == 0  # the spell ended in 1828
    assert rows(frame, 365, 2, 1949).tss_rivalry == 1
    assert rows(frame, 2, 365, 2019).tss_rivalry == 1
    assert pd.isna(rows(frame, 2, 365, 2021).tss_rivalry)
    mid = rows(frame, 365, 2, 2010)
    assert (mid.cowmid_onset, mid.cowmid_ongoing, mid.cowmid_hostlev) == (1, 1, 4)
    assert mid.cowmid_disputes == 2  # two disputes, one kept in the dyad-years
    assert rows(frame, 2, 630, 2010).cowmid_onset == 0
    assert pd.isna(rows(frame, 2, 365, 2015).cowmid_onset)
    usa_irn = rows(frame, 2, 630, 2010)
    assert usa_irn.idealpoint1 == 2.5
    assert usa_irn.idealpoint2 == pytest.approx(-1.4)
    assert usa_irn.idealpoint_distance == pytest.approx(3.9)
    assert pd.isna(rows(frame, 2, 630, 2023).idealpoint_distance)  # Iran has no 2023 value
    assert rows(frame, 2, 630, 2023).idealpoint1 == pytest.approx(2.6)


# --- non-directed and state-year panels ----------------------------------------------


def test_non_directed_panel_has_each_dyad_once_with_low_code_first(con):
    panel = dyad_years(con, years=(1816, 2024), directed=False).with_trade().with_alliances()
    frame = panel.to_pandas()
    assert panel.count() == BASE_ROWS // 2
    assert len(frame) == BASE_ROWS // 2
    assert (frame["ccode1"] < frame["ccode2"]).all()
    rus_irn = rows(frame, 365, 630, 2010)
    assert (rus_irn.trade_imports, rus_irn.trade_exports) == (3.0, 7.0)
    assert rus_irn.atop_defense == 1


def test_state_years_with_covariates(con):
    panel = state_years(con, years=(2010, 2010)).with_(
        "capabilities", "trade", "igos", "affinity", "territorial_threat", "gdp", "democracy"
    )
    frame = panel.to_pandas().set_index("ccode")
    assert panel.count() == 3
    assert len(frame) == 3
    assert frame.loc[365, "cinc"] == 0.04
    assert (frame.loc[2, "imports"], frame.loc[2, "exports"]) == (1900.0, 1300.0)
    assert (frame.loc[630, "igos_full"], frame.loc[630, "igos_any"]) == (60.0, 75.0)
    assert frame.loc[2, "idealpoint"] == 2.5
    assert frame.loc[630, "lterrthreat"] == 0.7
    assert pd.isna(frame.loc[2, "lterrthreat"])
    assert frame.loc[630, "gdp"] == 63000.0
    assert frame.loc[365, "polity2"] == 10.0 - 365 % 7
    assert frame.attrs["datasets"][0] == "cow_ddy"
    assert "unga_idealpoints" in frame.attrs["datasets"]


def test_state_years_cover_every_state_year_of_the_dyads(con):
    frame = state_years(con, years=(1816, 2024)).to_pandas()
    assert len(frame) == len(YEARS) * 3
    assert list(frame.columns) == ["ccode", "year"]


def test_unknown_state_year_covariate_lists_the_valid_names(con):
    with pytest.raises(DataError, match=r"unknown state-year covariate 'alliances'.*capabilities"):
        state_years(con).with_("alliances")


# --- errors --------------------------------------------------------------------------


def test_unknown_covariate_lists_the_valid_names(con):
    with pytest.raises(DataError) as raised:
        dyad_years(con).with_("tarde")
    message = str(raised.value)
    assert "unknown covariate 'tarde'" in message
    for name in COVARIATES:
        assert name in message


def test_reversed_years_are_a_parameter_error_showing_the_order_expected(con):
    with pytest.raises(
        ParameterError,
        match=r"\(2014, 2010\): the first year should be at most the last \(2010, 2014\)",
    ):
        dyad_years(con, years=(2014, 2010))


def test_unknown_system_is_a_data_error(con):
    with pytest.raises(DataError, match="system='xyz'"):
        dyad_years(con, system="xyz")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def thin_store(tmp_path_factory) -> Path:
    """A store with the dyads and nothing else."""
    only = {"cow_ddy": tables()["cow_ddy"]}
    return write_store(tmp_path_factory.mktemp("thin") / "world.duckdb", only, cache=True)


@pytest.mark.parametrize("name", list(COVARIATES))
def test_store_lacking_a_source_names_it_and_says_to_build(thin_store, name):
    dataset = COVARIATES[name]().datasets[0]
    connection = connect(thin_store)
    try:
        with pytest.raises(DataError, match=rf"needs {dataset}.*alliances data build"):
            dyad_years(connection).with_(name)
    finally:
        connection.close()


def test_store_without_dyads_names_cow_ddy(tmp_path):
    path = write_store(tmp_path / "w.duckdb", {"cow_nmc": tables()["cow_nmc"]})
    connection = connect(path)
    try:
        with pytest.raises(DataError, match=r"needs cow_ddy.*alliances data build"):
            dyad_years(connection)
        with pytest.raises(DataError, match=r"needs cow_ddy"):
            state_years(connection)
        with pytest.raises(DataError, match=r"needs gw_ddy, gw_cw_panel"):
            dyad_years(connection, system="gw")
    finally:
        connection.close()


# --- cache ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("directed", [True, False])
def test_cached_panel_equals_the_joined_panel(joined_store, tmp_path, directed):
    cached_path = tmp_path / "cached.duckdb"
    shutil.copy(joined_store, cached_path)
    connection = duckdb.connect(str(cached_path))
    try:
        panel_module.materialise(connection)
    finally:
        connection.close()
    frames = []
    for path in (joined_store, cached_path):
        connection = connect(path)
        try:
            panel = dyad_years(connection, years=(1949, 2021), directed=directed)
            frames.append(panel.with_(*reversed(list(COVARIATES))).to_pandas())
        finally:
            connection.close()
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert len(frames[0]) == (7 if directed else 3.5) * 6


def test_a_cache_written_by_an_older_join_is_not_read(joined_store, tmp_path):
    cached_path = tmp_path / "cached.duckdb"
    shutil.copy(joined_store, cached_path)
    connection = duckdb.connect(str(cached_path))
    try:
        panel_module.materialise(connection)
        connection.execute(
            f"UPDATE {panel_cache.CACHE_INDEX} SET fingerprint = 'old' WHERE name = 'mids'"
        )
    finally:
        connection.close()
    connection = connect(cached_path)
    try:
        fresh = dyad_years(connection, years=(2010, 2010)).with_mids()
        kept = dyad_years(connection, years=(2010, 2010)).with_alliances()
        assert panel_cache.CACHE not in fresh.sql()
        assert panel_cache.CACHE in kept.sql()
        assert rows(fresh.to_pandas(), 365, 2, 2010).cowmid_disputes == 2
    finally:
        connection.close()


def test_a_cache_without_fingerprints_is_not_read(joined_store, tmp_path):
    cached_path = tmp_path / "cached.duckdb"
    shutil.copy(joined_store, cached_path)
    connection = duckdb.connect(str(cached_path))
    try:
        panel_module.materialise(connection)
        connection.execute(f"ALTER TABLE {panel_cache.CACHE_INDEX} DROP COLUMN fingerprint")
    finally:
        connection.close()
    connection = connect(cached_path)
    try:
        assert panel_cache.CACHE not in dyad_years(connection).with_alliances().sql()
    finally:
        connection.close()


# --- output --------------------------------------------------------------------------


def test_to_file_writes_parquet_and_csv_with_the_rows_of_to_pandas(con, tmp_path):
    panel = dyad_years(con, years=(2010, 2014)).with_("alliances", "trade", "arms")
    expected = panel.to_pandas(dtype_backend="numpy")
    parquet = panel.to_file(tmp_path / "panel.parquet")
    csv = panel.to_file(tmp_path / "panel.csv")
    assert (parquet, csv) == (tmp_path / "panel.parquet", tmp_path / "panel.csv")
    pd.testing.assert_frame_equal(pd.read_parquet(parquet), expected, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_csv(csv), expected, check_dtype=False)
    assert sorted(os.listdir(tmp_path)) == ["panel.csv", "panel.parquet"]


def test_to_file_refuses_other_extensions(con, tmp_path):
    panel = dyad_years(con, years=(2010, 2010))
    with pytest.raises(
        DataError,
        match=r"panel\.xlsx: expected a file name ending in \.parquet, \.csv, \.dta, \.feather "
        r"or \.arrow",
    ):
        panel.to_file(tmp_path / "panel.xlsx")
    assert os.listdir(tmp_path) == []


def test_to_file_overwrites_and_leaves_no_temporary_file(con, tmp_path):
    target = tmp_path / "panel.parquet"
    target.write_text("old", encoding="utf-8")
    dyad_years(con, years=(2010, 2010)).to_file(target)
    assert len(pd.read_parquet(target)) == 6
    assert os.listdir(tmp_path) == ["panel.parquet"]


def test_citations_and_bibtex_follow_the_datasets_used(con):
    panel = dyad_years(con, years=(2010, 2010)).with_alliances().with_trade()
    frame = panel.to_pandas()
    assert frame.attrs["citations"] == [
        DATASETS["cow_ddy"].citation,
        DATASETS["atop_alliance"].citation,
        DATASETS["cow_trade_ndy"].citation,
    ]
    assert frame.attrs["datasets"] == ["cow_ddy", "atop_alliance", "cow_trade_ndy"]
    assert frame.attrs["system"] == "cow"
    keys = ["cow2017states", "miller2022ps", "leeds2002atop", "barbieri2009trade"]
    assert panel.cite_keys == keys
    bibtex = panel.bibtex()
    assert len(re.findall(r"^@\w+\{", bibtex, flags=re.M)) == len(keys)
    for key in keys:
        assert re.search(rf"^@\w+\{{{key},", bibtex, flags=re.M)
        assert BIBTEX[key] in bibtex


def test_citations_list_each_citation_once_when_datasets_share_a_cite_key(con):
    frame = dyad_years(con, years=(2010, 2010)).with_mids().to_pandas()
    shared = [DATASETS[name].citation for name in frame.attrs["datasets"]]
    assert len(set(shared)) < len(shared)  # two MID 5.0 tables, one citation
    assert frame.attrs["citations"] == list(dict.fromkeys(shared))


def test_every_cite_key_of_the_registry_has_a_bibtex_entry():
    for spec in DATASETS.values():
        for key in spec.cite:
            assert key in BIBTEX, (spec.name, key)
            assert spec.citation


# --- a known defect ------------------------------------------------------------------


@pytest.mark.parametrize("cache", [False, True], ids=["joined", "cached"])
def test_a_no_contiguity_spell_does_not_hide_contiguity_in_the_same_year(tmp_path, cache):
    frames = {
        "cow_ddy": _frame("ccode1 ccode2 year", [(100, 135, 1916), (135, 100, 1916)]),
        # Colombia-Peru in the published file: 0 to June 1916, land from July 1916
        "cow_contdir": _frame(
            "ccode1 ccode2 conttype stdate enddate",
            [
                (100, 135, 0.0, D(1839, 1, 1), D(1916, 6, 1)),
                (135, 100, 1.0, D(1916, 7, 1), D(2016, 12, 1)),
            ],
        ),
    }
    path = write_store(tmp_path / "w.duckdb", frames, cache=cache)
    connection = connect(path)
    try:
        frame = dyad_years(connection, years=(1916, 1916)).with_contiguity().to_pandas()
    finally:
        connection.close()
    assert frame["conttype"].tolist() == [1, 1]


# --- command line --------------------------------------------------------------------

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_cli_panel_writes_the_file_and_reports_rows_and_citations(joined_store, tmp_path):
    out = tmp_path / "X.parquet"
    result = invoke(
        "panel",
        "--store",
        str(joined_store),
        "--years",
        "2010:2014",
        "--with",
        "alliances,trade",
        "--out",
        str(out),
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == 12
    assert report["years"] == [2010, 2014]
    assert report["covariates"] == ["alliances", "trade"]
    assert report["citations"] == [
        DATASETS[n].citation for n in ("cow_ddy", "atop_alliance", "cow_trade_ndy")
    ]
    frame = pd.read_parquet(out)
    assert len(frame) == 12
    assert {"atop_defense", "trade_imports", "trade_exports"} <= set(frame.columns)


def test_cli_panel_cite_prints_bibtex(joined_store, tmp_path):
    result = invoke(
        "panel",
        "--store",
        str(joined_store),
        "--years",
        "2010",
        "--with",
        "arms",
        "--out",
        str(tmp_path / "p.csv"),
        "--cite",
    )
    assert result.exit_code == 0, result.output
    assert "@misc{sipri2022arms," in result.stdout
    assert "@misc{cow2017states," in result.stdout
    assert len(pd.read_csv(tmp_path / "p.csv")) == 6


def test_cli_panel_state_years(joined_store, tmp_path):
    result = invoke(
        "panel",
        "--store",
        str(joined_store),
        "--unit",
        "state-year",
        "--years",
        "2010",
        "--with",
        "capabilities",
        "--out",
        str(tmp_path / "s.parquet"),
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 3


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("20x0", "expected a year or a range"),
        ("2014:2010", "first year should be at most the last"),
    ],
)
def test_cli_panel_bad_years_exit_2_without_traceback(joined_store, tmp_path, years, message):
    result = invoke(
        "panel", "--store", str(joined_store), "--years", years, "--out", str(tmp_path / "p.csv")
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "p.csv").exists()


def test_cli_panel_unknown_covariate_exits_2_with_the_valid_names(joined_store, tmp_path):
    result = invoke(
        "panel", "--store", str(joined_store), "--with", "tarde", "--out", str(tmp_path / "p.csv")
    )
    assert result.exit_code == 2
    assert "unknown covariate 'tarde'" in result.output
    assert "alliances" in result.output
    assert "Traceback" not in result.output


def test_cli_panel_without_a_store_says_to_build_it(tmp_path):
    result = invoke(
        "panel", "--store", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "p.csv")
    )
    assert result.exit_code == 2
    assert "alliances data build" in result.output


def test_cli_panel_repeated_covariate_is_not_a_crash(joined_store, tmp_path):
    result = invoke(
        "panel",
        "--store",
        str(joined_store),
        "--with",
        "trade,trade",
        "--out",
        str(tmp_path / "p.csv"),
    )
    assert result.exit_code in (0, 2), result.exception
    assert not isinstance(result.exception, duckdb.Error)


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    root = tmp_path / "data"
    (root / "peacesciencer").mkdir(parents=True)
    ddy = tables()["cow_ddy"].astype(float)
    pyreadr.write_rdata(str(root / "peacesciencer" / "cow_ddy.rda"), ddy, df_name="cow_ddy")
    atop = tables()["atop_alliance"].astype(float)
    path = root / "peacesciencer" / "atop_alliance.rda"
    pyreadr.write_rdata(str(path), atop, df_name="atop_alliance")
    return root


def test_cli_data_build_then_status_lists_the_datasets(tiny_data, tmp_path):
    store = tmp_path / "built.duckdb"
    built = invoke(
        "data",
        "build",
        "--data-dir",
        str(tiny_data),
        "--store",
        str(store),
        "--only",
        "cow_ddy,atop_alliance,cow_trade_ndy",
        "--json",
    )
    assert built.exit_code == 0, built.output
    report = json.loads(built.stdout)
    assert report["loaded"] == ["cow_ddy", "atop_alliance"]
    assert list(report["missing"]) == ["cow_trade_ndy"]
    shown = invoke("data", "status", "--store", str(store), "--json")
    assert shown.exit_code == 0, shown.output
    listed = json.loads(shown.stdout)
    by_name = {d["name"]: d for d in listed["datasets"]}
    assert sorted(by_name) == ["atop_alliance", "cow_ddy"]
    assert by_name["cow_ddy"]["rows"] == BASE_ROWS
    assert (by_name["atop_alliance"]["first_year"], by_name["atop_alliance"]["last_year"]) == (
        1815,
        2018,
    )
    # the test's own files are not the published ones: loaded, but marked unverified
    assert by_name["atop_alliance"]["version"] == "5.1 (unverified: hash differs)"
    assert by_name["cow_ddy"]["unmatched"] == []
    panel = invoke(
        "panel", "--store", str(store), "--with", "alliances", "--out", str(tmp_path / "p.csv")
    )
    assert panel.exit_code == 0, panel.output
    assert len(pd.read_csv(tmp_path / "p.csv")) == 4 * 6  # default years 1816:2014


def test_cli_data_build_missing_data_dir_exits_2(tmp_path):
    result = invoke(
        "data",
        "build",
        "--data-dir",
        str(tmp_path / "missing"),
        "--store",
        str(tmp_path / "s.duckdb"),
    )
    assert result.exit_code == 2
    assert "missing" in result.output
    assert "does not exist" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "s.duckdb").exists()


def test_cli_data_build_unknown_dataset_exits_2(tiny_data, tmp_path):
    result = invoke(
        "data",
        "build",
        "--data-dir",
        str(tiny_data),
        "--store",
        str(tmp_path / "s.duckdb"),
        "--only",
        "cow_ddy,nope",
    )
    assert result.exit_code == 2
    assert "unknown datasets nope" in result.output


def test_cli_data_status_without_a_store_exits_2(tmp_path):
    result = invoke("data", "status", "--store", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 2
    assert "alliances data build" in result.output


def test_cli_data_status_on_a_database_that_is_not_a_store_exits_2(joined_store):
    result = invoke("data", "status", "--store", str(joined_store))
    assert result.exit_code == 2
    assert "alliances data build" in result.output


def test_to_pandas_keeps_integers_with_the_pyarrow_backend(con):
    frame = dyad_years(con, years=(2010, 2014)).with_("trade").to_pandas()
    assert str(frame["ccode1"].dtype).endswith("[pyarrow]")
    assert frame["trade_imports"].isna().any()
    numpy = dyad_years(con, years=(2010, 2014)).with_("trade").to_pandas(dtype_backend="numpy")
    assert numpy["trade_imports"].dtype == np.float64
    with pytest.raises(ValueError, match="dtype_backend='polars' should be"):
        dyad_years(con, years=(2010, 2010)).to_pandas(dtype_backend="polars")


def test_builders_open_the_store_by_path_or_from_the_environment(joined_store, monkeypatch):
    by_path = dyad_years(joined_store, years=(2010, 2014)).count()
    monkeypatch.setenv("ALLIANCES_STORE", str(joined_store))
    assert dyad_years(years=(2010, 2014)).count() == by_path > 0
    assert len(state_years(years=(2010, 2010)).to_pandas()) > 0


def test_wars_are_flagged_both_ways_and_missing_after_2007(con):
    frame = dyad_years(con, years=(1949, 2010)).with_("wars").to_pandas()
    assert rows(frame, 2, 365, 1949).war == 1
    assert rows(frame, 365, 2, 1949).war == 1
    assert rows(frame, 2, 630, 1949).war == 0
    assert pd.isna(rows(frame, 2, 365, 2010).war)


@pytest.mark.parametrize("unit", ["dyad-year", "state-year"])
def test_cli_panel_years_outside_the_state_system_say_so_and_write_nothing(
    joined_store, tmp_path, unit
):
    out = tmp_path / "p.csv"
    result = invoke(
        "panel", "--store", str(joined_store), "--years", "1700:1750", "--unit", unit,
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no " + unit in result.output
    assert "covers" in result.output
    assert not out.exists()


def test_cli_panel_notes_a_covariate_whose_source_misses_the_years(joined_store, tmp_path):
    result = invoke(
        "panel", "--store", str(joined_store), "--years", "2019:2023",
        "--with", "trade", "--out", str(tmp_path / "p.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cow_trade_ndy covers 1870–2014, outside --years 2019:2023" in result.output


# --- point queries (alliances.world.queries) -------------------------------------------


@pytest.mark.parametrize("pair", [(2, 365), (365, 2), (365, 630), (630, 365), (2, 630)])
def test_dyad_trade_gives_the_flows_of_the_panel_row(con, pair):
    a, b = pair
    trade = queries.dyad_trade(con, a, b, (1949, 2014)).set_index("year")
    panel = dyad_years(con, years=(1949, 2014)).with_trade().to_pandas(dtype_backend="numpy")
    panel = panel[(panel.ccode1 == a) & (panel.ccode2 == b)].set_index("year")
    recorded = panel.loc[trade.index]
    np.testing.assert_array_equal(trade["imports"], recorded["trade_imports"])
    np.testing.assert_array_equal(trade["exports"], recorded["trade_exports"])


def test_dyad_trade_has_a_row_only_for_the_years_the_source_records(con):
    assert queries.dyad_trade(con, 630, 2, (2010, 2023))["year"].tolist() == [2014]
    assert queries.dyad_trade(con, 2, 365, (2011, 2013)).empty


def test_panel_rows_of_a_dyad_are_both_directions(con):
    panel = dyad_years(con, years=(2010, 2014)).with_trade()
    frame = queries.panel_rows(panel, dyad=(365, 630))
    assert sorted(zip(frame.ccode1, frame.ccode2, frame.year, strict=True)) == [
        (365, 630, 2010),
        (365, 630, 2014),
        (630, 365, 2010),
        (630, 365, 2014),
    ]
    assert len(queries.panel_rows(panel)) == 2 * 6
    assert queries.panel_rows(panel).attrs == {}


def test_point_queries_read_the_rows_asked_for(con):
    totals = queries.state_trade(con, (2010, 2010), ccode=365)
    assert totals.to_dict(orient="records") == [
        {"ccode": 365, "year": 2010, "imports": 230.0, "exports": 400.0}
    ]
    assert len(queries.state_trade(con, (2010, 2014))) == 3
    arms = queries.arms_transfers(con, (2010, 2014), supplier=365, recipient=630)
    assert sorted(arms["value"]) == [5, 30]
    assert len(queries.arms_transfers(con, (2011, 2014))) == 1
    ties = queries.atop_ties(con, 2014)
    assert len(ties) == 3
    assert {f"atop_{k}" for k in ATOP_KINDS} <= set(ties.columns)
    states = queries.system_states(con, 2010)
    assert sorted(states["ccode"]) == list(STATES)
    assert queries.table_frame(con, "cow_igo_ndy")["dyadigos"].sum() == 111.0


def test_the_store_lists_its_tables_once_for_everyone(con):
    names = table_names(con)
    assert set(tables()) <= names
    assert "no_such_table" not in names


def test_spell_years_come_from_the_registry():
    first, last = DATASETS["cow_contdir"].years
    assert f"range({first}, {last + 1})" in COVARIATES["contiguity"]().join
    first, last = DATASETS["tss_rivalries"].years
    assert f"range({first}, {last + 1})" in COVARIATES["rivalries"]().join


@pytest.mark.parametrize(
    ("method", "dataset"),
    [
        ("with_alliances", "atop_alliance"),
        ("with_arms", "sipri_tiv"),
        ("with_distance", "cow_mindist"),
    ],
)
def test_coverage_years_in_the_docstrings_are_the_registrys(method, dataset):
    first, last = DATASETS[dataset].years
    assert f"{first}–{last}" in " ".join(getattr(DyadYears, method).__doc__.split())


def test_panel_json_with_cite_is_one_json_document_holding_the_bibtex(joined_store, tmp_path):
    result = invoke(
        "panel", "-o", str(tmp_path / "p.csv"), "--years", "2010:2014", "--json", "--cite",
        "--store", str(joined_store),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # one document, nothing after it
    assert data["bibtex"].lstrip().startswith("@")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--years", "2014:1990"], "2014:1990: the first year should be at most the last"),
        (["--years", "abc"], "four-digit years"),
        (["--unit", "state-year", "--no-directed"], "it needs --unit dyad-year"),
    ],
)
def test_panel_arguments_that_cannot_be_used_are_refused_naming_the_option(
    joined_store, tmp_path, args, said
):
    result = invoke("panel", "--out", str(tmp_path / "p.csv"), *args, "--store", str(joined_store))
    assert result.exit_code == 2
    assert "Invalid value for --" in result.stderr
    assert said in result.stderr


def test_every_side_column_label_fits_stata_and_names_its_side():
    from alliances.world.columns import COLUMNS, column, stem_and_side

    for name in COLUMNS:
        for side in ("1", "2"):
            found = column(f"{name}{side}")
            if found is None or f"{name}{side}" in COLUMNS or not stem_and_side(name + side):
                continue  # not a column of one side of a dyad
            assert len(found.label) <= 80, name
            assert found.label.endswith(f", state {side}"), found.label


def test_panel_years_beyond_the_state_system_are_noted_with_the_years_of_the_rows(
    joined_store, tmp_path
):
    result = invoke(
        "panel", "-o", str(tmp_path / "p.csv"), "--years", "2012:2030",
        "--store", str(joined_store),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    note = r"reaches beyond the state system's \d{4}–(\d{4}): the rows are of 2012–\1"
    assert re.search(note, result.stderr), result.stderr
