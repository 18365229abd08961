"""The peacesciencer-style builders of the panel, on a small hand-made store.

Four states (USA 2, Russia 365, Iran 630, Iraq 645) in eleven years: 1900, 1990–1996
(consecutive, for the spells), 2012, 2015 and 2018, chosen to fall inside and outside
the coverage of each source. Every expected value is worked out by hand below from the
rows of the tables and the definitions of peacesciencer 1.2.9 (``add_cow_majors``,
``filter_prd``, ``add_spells`` through ``stevemisc::ps_spells``, ``add_capital_distance``,
``add_ucdp_acd``).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError
from alliances.studies.portfolio_panel import with_portfolio_similarity
from alliances.world.panel import (
    DYAD_COVARIATES,
    STATE_COVARIATES,
    DyadYears,
    StateYears,
    dyad_years,
    state_years,
)
from alliances.world.registry import DATASETS
from alliances.world.store import connect

USA, RUS, IRN, IRQ = 2, 365, 630, 645
STATES = (USA, RUS, IRN, IRQ)
YEARS = (1900, 1990, 1991, 1992, 1993, 1994, 1995, 1996, 2012, 2015, 2018)
ROWS = len(YEARS) * 12
D = dt.date

# capitals (lat, lng): Russia's moves in mid-1994, so 1994 keeps the January 1st one
WASHINGTON = (38.895037, -77.036543)
PETERSBURG = (59.93863, 30.31413)
MOSCOW = (55.755826, 37.6173)
TEHRAN = (35.689198, 51.388974)
BAGHDAD = (33.315241, 44.366065)


def _frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split())


def _both(rows: list[tuple]) -> list[tuple]:
    return rows + [(b, a, *rest) for a, b, *rest in rows]


def tables() -> dict[str, pd.DataFrame]:
    ddy = [(a, b, y) for y in YEARS for a in STATES for b in STATES if a != b]
    kinds = "atop_defense atop_offense atop_neutral atop_nonagg atop_consul"
    mid = "dispnum ccode1 ccode2 year cowmidonset cowmidongoing hostlev"
    gml = "dispnum ccode1 ccode2 year gmlmidonset gmlmidongoing hostlev"
    acd = "conflict_id year gwno_a gwno_b incompatibility intensity_level type_of_conflict"
    return {
        "cow_ddy": _frame("ccode1 ccode2 year", ddy),
        "gw_ddy": _frame("gwcode1 gwcode2 year", ddy),
        "gw_cw_panel": _frame("ccode gwcode year", [(c, c, y) for c in STATES for y in YEARS]),
        # Russia is not a major power in 1992 here (a gap between two spells)
        "cow_majors": _frame(
            "ccode styear endyear",
            [(USA, 1898, 2016), (RUS, 1816, 1991), (RUS, 1993, 2016)],
        ),
        "cow_contdir": _frame(
            "ccode1 ccode2 conttype stdate enddate",
            _both(
                [
                    (IRN, IRQ, 1.0, D(1816, 1, 1), D(2016, 12, 31)),
                    (RUS, IRN, 1.0, D(1816, 1, 1), D(1991, 12, 31)),
                    (RUS, IRN, 4.0, D(1992, 1, 1), D(2016, 12, 31)),
                ]
            ),
        ),
        # Iran-Iraq: a dispute ongoing 1991-1992 (onset 1991), another in 1995
        "cow_mid_ddydisps": _frame(
            mid,
            _both(
                [
                    (3001, IRN, IRQ, 1991, 1.0, 1.0, 4.0),
                    (3001, IRN, IRQ, 1992, 0.0, 1.0, 3.0),
                    (3002, IRN, IRQ, 1995, 1.0, 1.0, 2.0),
                ]
            ),
        ),
        # GML: USA-Russia in 1993, two disputes that year
        "gml_mid_ddydisps": _frame(
            gml,
            _both([(4001, USA, RUS, 1993, 1.0, 1.0, 3.0), (4002, USA, RUS, 1993, 1.0, 1.0, 2.0)]),
        ),
        "cow_capitals": _frame(
            "ccode capital stdate enddate lat lng",
            [
                (USA, "Washington", D(1816, 1, 1), D(2024, 12, 31), *WASHINGTON),
                (RUS, "St Petersburg", D(1816, 1, 1), D(1994, 6, 30), *PETERSBURG),
                (RUS, "Moscow", D(1994, 7, 1), D(2024, 12, 31), *MOSCOW),
                (IRN, "Tehran", D(1816, 1, 1), D(2024, 12, 31), *TEHRAN),
                (IRQ, "Baghdad", D(1991, 1, 1), D(2024, 12, 31), *BAGHDAD),  # none before
            ],
        ),
        "cow_states": _frame(
            "stateabb ccode statenme styear endyear",
            [
                ("USA", USA, "United States of America", 1816, 2016),
                ("RUS", RUS, "Russia", 1816, 1917),
                ("RUS", RUS, "Russia", 1922, 2016),
                ("IRN", IRN, "Iran", 1855, 2016),
                ("IRQ", IRQ, "Iraq", 1932, 2016),
            ],
        ),
        "ucdp_acd": _frame(
            acd,
            [
                # Iraq, side A of conflict 1 in 1991 (two rows), 1992 and 1995
                (1, 1991, IRQ, None, "government", 1.0, "intrastate"),
                (1, 1991, IRQ, None, "government", 2.0, "intrastate"),
                (1, 1992, IRQ, None, "government", 1.0, "intrastate"),
                (1, 1995, IRQ, None, "government", 1.0, "intrastate"),
                # Iran against Iraq in 1993-1994
                (2, 1993, IRN, IRQ, "territory", 2.0, "interstate"),
                (2, 1994, IRN, IRQ, "territory", 2.0, "interstate"),
                # Russia in 1994 and 2012
                (3, 1994, RUS, None, "territory", 1.0, "intrastate"),
                (3, 2012, RUS, None, "territory", 1.0, "intrastate"),
            ],
        ),
        "terrthreat": _frame("ccode year lterrthreat", [(IRN, 1990, 0.7), (IRN, 2012, 0.2)]),
        # a defense pact of Iran and Iraq in 1995 only
        "atop_alliance": _frame(
            f"ccode1 ccode2 year {kinds}",
            _both([(IRN, IRQ, 1995, 1.0, 0.0, 0.0, 0.0, 0.0)]),
        ),
    }


def with_gw(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The hand-made tables and their G-W twins (the same states and codes)."""
    states = frames["cow_states"]
    gw_states = pd.DataFrame(
        {
            "gwcode": states["ccode"],
            "stateabb": states["stateabb"],
            "statename": states["statenme"],
            "startdate": [D(y, 1, 1) for y in states["styear"]],
            "enddate": [D(y, 12, 31) for y in states["endyear"]],
        }
    )
    capitals = frames["cow_capitals"].rename(columns={"ccode": "gwcode"})
    return {**frames, "gw_states": gw_states, "gw_capitals": capitals}


def write_store(path: Path, frames: dict[str, pd.DataFrame]) -> Path:
    con = duckdb.connect(str(path))
    try:
        for name, frame in frames.items():
            con.register("incoming", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("builders") / "world.duckdb", with_gw(tables()))


@pytest.fixture(scope="module")
def con(store):
    connection = connect(store)
    yield connection
    connection.close()


def panel(con, *names: str, **kwargs) -> pd.DataFrame:
    return dyad_years(con, years=(1816, 2024), **kwargs).with_(*names).to_pandas()


def cell(frame: pd.DataFrame, a: int, b: int, year: int, column: str):
    hit = frame[(frame["ccode1"] == a) & (frame["ccode2"] == b) & (frame["year"] == year)]
    assert len(hit) == 1, (a, b, year)
    return hit.iloc[0][column]


def series(frame: pd.DataFrame, a: int, b: int, column: str) -> list:
    rows = frame[(frame["ccode1"] == a) & (frame["ccode2"] == b)].sort_values("year")
    return [None if pd.isna(v) else v for v in rows[column]]


# --- every builder keeps the rows ----------------------------------------------------

NEW = ["majors", "mids:gml", "peace_years", "peace_years:gml", "capital_distance", "ucdp"]
NEW += ["territorial_threat", "names"]


@pytest.mark.parametrize("name", NEW)
def test_every_new_builder_keeps_the_row_count(con, name):
    frame = panel(con, name)
    assert len(frame) == ROWS
    assert not frame.duplicated(["ccode1", "ccode2", "year"]).any()


def test_all_builders_together_keep_the_row_count_in_both_systems(con):
    assert len(panel(con, *NEW)) == ROWS
    gw = dyad_years(con, system="gw", years=(1816, 2024)).with_(*NEW).to_pandas()
    assert len(gw) == ROWS


@pytest.mark.parametrize(
    "name", ["majors", "capital_distance", "ucdp", "names", "territorial_threat"]
)
def test_every_state_year_builder_keeps_one_row_per_state_year(con, name):
    frame = state_years(con, years=(1816, 2024)).with_(name).to_pandas()
    assert len(frame) == len(STATES) * len(YEARS)


# --- majors and politically relevant dyads -------------------------------------------


def test_majors_flag_the_years_of_each_spell_and_are_missing_after_2016(con):
    frame = panel(con, "majors")
    # 1900 1990 1991 1992 1993 1994 1995 1996 2012 2015 2018
    assert series(frame, RUS, IRN, "cowmaj1") == [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, None]
    assert series(frame, RUS, IRN, "cowmaj2") == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None]
    assert series(frame, IRN, USA, "cowmaj2") == [1] * 10 + [None]


def test_filter_prd_keeps_contiguous_dyads_and_those_of_a_major_power(con):
    base = dyad_years(con, years=(1816, 2024))
    kept = base.filter_prd().with_("contiguity", "majors").to_pandas()
    # Russia-Iraq is neither contiguous nor with a major power in 1992; nothing is known
    # after 2016 (peacesciencer drops those rows too)
    dropped = {(RUS, IRQ, 1992), (IRQ, RUS, 1992)} | {(a, b, 2018) for a in STATES for b in STATES}
    expected = {(a, b, y) for y in YEARS for a in STATES for b in STATES if a != b} - dropped
    assert set(zip(kept["ccode1"], kept["ccode2"], kept["year"], strict=True)) == expected
    assert base.filter_prd().count() == len(expected) == len(kept)
    relevant = (kept["conttype"] >= 1) | (kept["cowmaj1"] == 1) | (kept["cowmaj2"] == 1)
    assert relevant.all()


def test_filter_prd_is_for_dyads_and_filtering_twice_is_once(con):
    once = dyad_years(con).filter_prd()
    assert once.filter_prd().count() == once.count()
    with pytest.raises(AttributeError):
        state_years(con).filter_prd()  # type: ignore[attr-defined]


# --- peace years ---------------------------------------------------------------------

# A spell starts again at 0 when a dyad comes back into the system: Iraq's stay begins
# in 1932 and Russia's in 1922 (after 1917), so both restart in 1990, after their 1900 row.
#        1900 1990 1991 1992 1993 1994 1995 1996 2012 2015  2018
ONGOING = [0, 0, 1, 0, 0, 1, 2, 0, 1, None, None]  # events 1991, 1992, 1995
ONSET = [0, 0, 1, 0, 1, 2, 3, 0, 1, None, None]  # events 1991, 1995
SKIPPED = [0, 0, 1, None, 0, 1, 2, 0, 1, None, None]  # 1992 continues the 1991 run
QUIET = [0, 0, 1, 2, 3, 4, 5, 6, 7, None, None]  # no dispute: COW MID covers to 2014


def test_peace_years_count_years_since_the_last_ongoing_dispute_year(con):
    frame = dyad_years(con, years=(1816, 2024)).with_peace_years().to_pandas()
    assert series(frame, IRN, IRQ, "cowmidspell") == ONGOING
    assert series(frame, IRQ, IRN, "cowmidspell") == ONGOING  # the same both ways
    assert series(frame, USA, RUS, "cowmidspell") == QUIET


def test_peace_years_on_onsets_and_with_ongoing_years_left_out(con):
    onset = dyad_years(con, years=(1816, 2024)).with_peace_years(event="onset").to_pandas()
    assert series(onset, IRN, IRQ, "cowmidspell") == ONSET
    runs = dyad_years(con, years=(1816, 2024)).with_peace_years(ongoing_as_missing=True)
    assert series(runs.to_pandas(), IRN, IRQ, "cowmidspell") == SKIPPED


def test_peace_years_of_gml_disputes_stop_at_2010(con):
    frame = panel(con, "peace_years:gml")
    assert series(frame, USA, RUS, "gmlmidspell") == [0, 0, 1, 2, 3, 0, 1, 2, None, None, None]
    assert series(frame, IRN, IRQ, "gmlmidspell") == [0, 0, 1, 2, 3, 4, 5, 6, None, None, None]


def test_peace_years_cubic_terms_are_the_square_and_cube(con):
    frame = dyad_years(con, years=(1816, 2024)).with_peace_years(cubic=True).to_pandas()
    inside = frame["cowmidspell"].notna()
    spell = frame.loc[inside, "cowmidspell"].astype("int64")
    assert (frame.loc[inside, "cowmidspell2"] == spell**2).all()
    assert (frame.loc[inside, "cowmidspell3"] == spell**3).all()
    assert frame.loc[~inside, ["cowmidspell2", "cowmidspell3"]].isna().all().all()


def test_peace_years_of_a_late_panel_carry_the_years_of_the_stay_before_it(con):
    frame = dyad_years(con, years=(1993, 1996)).with_peace_years().to_pandas()
    assert series(frame, USA, RUS, "cowmidspell") == QUIET[4:8]


def test_peace_years_refuse_an_unknown_source_or_event(con):
    with pytest.raises(DataError, match="source='ucdp' should be one of: cow, gml"):
        dyad_years(con).with_peace_years(source="ucdp")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="event='start' should be 'ongoing' or 'onset'"):
        dyad_years(con).with_peace_years(event="start")  # type: ignore[arg-type]


# --- GML disputes --------------------------------------------------------------------


def test_gml_mids_are_zero_inside_2010_and_missing_after(con):
    frame = dyad_years(con, years=(1816, 2024)).with_mids(source="gml").to_pandas()
    assert cell(frame, RUS, USA, 1993, "gmlmid_onset") == 1
    assert cell(frame, RUS, USA, 1993, "gmlmid_disputes") == 2
    assert cell(frame, RUS, USA, 1993, "gmlmid_hostlev") == 3
    assert cell(frame, IRN, IRQ, 1991, "gmlmid_ongoing") == 0  # a COW dispute, not GML
    assert frame.loc[frame["year"] > 2010, "gmlmid_onset"].isna().all()
    with pytest.raises(DataError, match="source='ucdp'"):
        dyad_years(con).with_mids(source="ucdp")  # type: ignore[arg-type]


# --- capital distance ----------------------------------------------------------------


def vincenty_sphere(a: tuple[float, float], b: tuple[float, float]) -> float:
    """geosphere's distVincentySphere in km (r = 6378137 m), written independently of
    the haversine the panel uses."""
    (p1, l1), (p2, l2) = (tuple(map(math.radians, x)) for x in (a, b))
    dl = l2 - l1
    num = math.hypot(
        math.cos(p2) * math.sin(dl),
        math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl),
    )
    den = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6378.137 * math.atan2(num, den)


def test_capital_distance_is_the_great_circle_between_the_january_capitals(con):
    frame = panel(con, "capital_distance")
    assert cell(frame, USA, RUS, 1994, "capdist") == pytest.approx(
        vincenty_sphere(WASHINGTON, PETERSBURG), rel=1e-9
    )
    assert cell(frame, RUS, USA, 1995, "capdist") == pytest.approx(
        vincenty_sphere(WASHINGTON, MOSCOW), rel=1e-9
    )
    assert cell(frame, IRN, IRQ, 2018, "capdist") == pytest.approx(
        vincenty_sphere(TEHRAN, BAGHDAD), rel=1e-9
    )
    # Washington-Moscow is about 7,800 km as the crow flies
    assert 7_780 < cell(frame, USA, RUS, 2012, "capdist") < 7_860
    assert pd.isna(cell(frame, IRN, IRQ, 1990, "capdist"))  # no capital of Iraq recorded


def test_state_capital_distance_is_to_the_nearest_other_capital(con):
    frame = state_years(con, years=(1816, 2024)).with_capital_distance().to_pandas()
    row = frame[(frame["ccode"] == IRN) & (frame["year"] == 1996)].iloc[0]
    nearest = min(vincenty_sphere(TEHRAN, c) for c in (WASHINGTON, MOSCOW, BAGHDAD))
    assert row["mincapdist"] == pytest.approx(nearest, rel=1e-9)
    row = frame[(frame["ccode"] == IRN) & (frame["year"] == 1990)].iloc[0]
    nearest = min(vincenty_sphere(TEHRAN, c) for c in (WASHINGTON, PETERSBURG))
    assert row["mincapdist"] == pytest.approx(nearest, rel=1e-9)


# --- UCDP ----------------------------------------------------------------------------


def test_ucdp_state_years_as_add_ucdp_acd(con):
    frame = state_years(con, years=(1816, 2024)).with_ucdp().to_pandas()
    iraq = frame[frame["ccode"] == IRQ].sort_values("year")

    def listed(column: str) -> list:
        return [None if pd.isna(v) else v for v in iraq[column]]

    #                               1900 1990 1991 1992 1993 1994 1995 1996 2012 2015 2018
    assert listed("ucdpongoing") == [None, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert listed("ucdponset") == [None, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]  # one conflict
    assert listed("ucdp_maxintensity") == [None, None, 2, 1, None, None, 1, None, None, None, None]
    iran = frame[frame["ccode"] == IRN].sort_values("year")
    assert iran["ucdponset"].tolist()[1:8] == [0, 0, 0, 1, 0, 0, 0]


def test_ucdp_dyad_years_give_both_sides_and_the_interstate_conflict(con):
    frame = panel(con, "ucdp")
    assert cell(frame, RUS, IRQ, 1994, "ucdpongoing1") == 1
    assert cell(frame, RUS, IRQ, 1994, "ucdpongoing2") == 0
    assert cell(frame, IRQ, IRN, 1993, "ucdp_interstate_ongoing") == 1
    assert cell(frame, IRQ, IRN, 1993, "ucdp_interstate_onset") == 1
    assert cell(frame, IRN, IRQ, 1994, "ucdp_interstate_onset") == 0
    assert cell(frame, IRN, IRQ, 1994, "ucdp_interstate_ongoing") == 1
    assert cell(frame, USA, IRQ, 1993, "ucdp_interstate_ongoing") == 0
    assert pd.isna(cell(frame, IRN, IRQ, 1900, "ucdp_interstate_ongoing"))
    gw = dyad_years(con, system="gw", years=(1816, 2024)).with_ucdp().to_pandas()
    pd.testing.assert_series_equal(
        gw["ucdp_interstate_ongoing"], frame["ucdp_interstate_ongoing"], check_names=False
    )


# --- territorial threat, names, portfolio similarity ----------------------------------


def test_territorial_threat_gives_each_side(con):
    frame = panel(con, "territorial_threat")
    assert cell(frame, IRN, USA, 1990, "lterrthreat1") == pytest.approx(0.7)
    assert cell(frame, USA, IRN, 1990, "lterrthreat2") == pytest.approx(0.7)
    assert pd.isna(cell(frame, USA, IRN, 1991, "lterrthreat2"))


def test_names_and_abbreviations_of_both_sides(con):
    frame = panel(con, "names")
    assert cell(frame, USA, RUS, 2012, "statename1") == "United States of America"
    assert cell(frame, USA, RUS, 2012, "stateabb2") == "RUS"
    states = state_years(con, years=(1990, 1990)).with_names().to_pandas()
    assert dict(zip(states["ccode"], states["stateabb"], strict=True)) == {
        USA: "USA",
        RUS: "RUS",
        IRN: "IRN",
        IRQ: "IRQ",
    }


def test_names_past_the_state_list_s_years_are_in_every_row_and_not_noted_missing(
    store, con, tmp_path
):
    # cow_states ends in 2016, but a state's name is its latest one, whatever the year:
    # only majors (dated, to 2016) is outside 2018.
    dyads = dyad_years(con, years=(2018, 2018)).with_("names", "majors")
    assert dyads.uncovered() == {"cow_majors": DATASETS["cow_majors"].years}
    assert state_years(con, years=(2018, 2018)).with_names().uncovered() == {}
    out = tmp_path / "p.csv"
    result = CliRunner().invoke(
        app,
        ["panel", "--store", str(store), "--years", "2018", "--with", "names,majors",
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "note: cow_majors covers 1816–2016, outside --years 2018" in result.stderr
    assert "cow_states" not in result.stderr
    frame = pd.read_csv(out)
    assert len(frame) == 12
    assert frame[["statename1", "stateabb1", "statename2", "stateabb2"]].notna().all().all()


def test_portfolio_similarity_s_from_hand_computed_portfolios(con):
    # 1995: members 2, 365, 630, 645; levels 0-3, each state tied to itself at 3;
    # Iran and Iraq hold a defense pact (3). Portfolios: 2 (3,0,0,0), 365 (0,3,0,0),
    # 630 and 645 (0,0,3,3). S_abs = 1 - 2/(n L) sum |x_i - x_j| with n = 4, L = 3.
    frame = dyad_years(con, years=(1816, 2024)).pipe(with_portfolio_similarity).to_pandas()
    assert len(frame) == ROWS
    assert cell(frame, IRN, IRQ, 1995, "portfolio_s_abs") == pytest.approx(1.0)
    assert cell(frame, USA, RUS, 1995, "portfolio_s_abs") == pytest.approx(1 - 2 * 6 / 12)
    assert cell(frame, USA, IRN, 1995, "portfolio_s_abs") == pytest.approx(1 - 2 * 9 / 12)
    assert cell(frame, IRQ, RUS, 1995, "portfolio_s_sq") == pytest.approx(1 - 2 * 27 / 36)
    # a year inside ATOP without any alliance: every pair differs at its two own positions
    assert cell(frame, IRN, IRQ, 1990, "portfolio_s_abs") == pytest.approx(1 - 2 * 6 / 12)
    last = DATASETS["atop_alliance"].years[1]
    outside = frame["year"] > last
    assert frame.loc[outside, "portfolio_kappa"].isna().all()
    assert frame.loc[~outside, "portfolio_kappa"].notna().all()


def test_portfolio_similarity_chooses_measures_and_refuses_state_years(con):
    frame = dyad_years(con, years=(1995, 1995)).pipe(with_portfolio_similarity, ["taub"])
    assert [c for c in frame.columns() if c.startswith("portfolio")] == ["portfolio_taub"]
    one = dyad_years(con, years=(1995, 1995)).pipe(with_portfolio_similarity, "kappa")
    assert [c for c in one.columns() if c.startswith("portfolio")] == ["portfolio_kappa"]
    with pytest.raises(DataError, match="measures=\\['s'\\]: expected some of"):
        dyad_years(con).pipe(with_portfolio_similarity, ["s"])
    with pytest.raises(DataError, match="needs a dyad-year panel"):
        with_portfolio_similarity(state_years(con))  # type: ignore[arg-type]


def test_a_builder_given_twice_or_with_a_clashing_column_is_refused(con):
    once = dyad_years(con).with_peace_years()
    with pytest.raises(DataError, match="already in the panel"):
        once.with_("peace_years")
    with pytest.raises(DataError, match=r"already has the column.*cowmidspell"):
        once.with_peace_years(cubic=True)


def test_a_store_without_a_builder_s_source_names_it(tmp_path):
    path = write_store(tmp_path / "w.duckdb", {"cow_ddy": tables()["cow_ddy"]})
    connection = connect(path)
    try:
        for name, dataset in [("majors", "cow_majors"), ("ucdp", "ucdp_acd")]:
            with pytest.raises(DataError, match=rf"needs {dataset}.*alliances data build"):
                dyad_years(connection).with_(name)
        with pytest.raises(DataError, match=r"filter_prd\(\) needs cow_contdir, cow_majors"):
            dyad_years(connection).filter_prd()
    finally:
        connection.close()


def test_every_covariate_has_a_method_on_the_chain():
    for name in DYAD_COVARIATES:
        assert hasattr(DyadYears, f"with_{name.split(':')[0]}"), name
    for name in STATE_COVARIATES:
        assert hasattr(StateYears, f"with_{name}"), name


def test_the_order_of_the_builders_does_not_change_the_values(con):
    forward = panel(con, "majors", "peace_years", "ucdp")
    backward = panel(con, "ucdp", "peace_years", "majors")
    pd.testing.assert_frame_equal(forward, backward[forward.columns])
    assert np.array_equal(forward["year"].to_numpy(), np.sort(forward["year"].to_numpy()))


def test_a_panel_shows_a_short_summary_in_jupyter_not_its_fields(con):
    chain = dyad_years(con, years=(2000, 2001)).with_majors()
    text = repr(chain)
    assert text.startswith("DyadYears: directed COW panel, 2000–2001")
    assert "cowmaj1, cowmaj2" in text
    assert "datasets: cow_majors" in text
    assert "DuckDBPyConnection" not in text
    assert chain._repr_html_().startswith("<div><strong>DyadYears")


# --- one COW MID per dyad-year (whittle) -------------------------------------------

# The rules of add_cow_mids, in order: (column, a better value, a worse one). Each case
# has two disputes of USA -> Russia in 2000: 5001 is better on the rule tested, the two
# tie on the rules before it, and 5000 is better on every rule after it (and has the lower
# number), so only the rule tested, taken in its place, keeps 5001.
RULES = [
    ("disponset", 1.0, 0.0),
    ("fatality", 2.0, 1.0),
    ("hostlev", 4.0, 3.0),
    ("mindur", 30.0, 10.0),
    ("maxdur", 30.0, 10.0),
    ("recip", 1.0, 0.0),
    ("stmon", 2.0, 6.0),
]
SIDES = "sidea1 sidea2 orig1 orig2 fatality1 fatality2 fatalpre1 fatalpre2 hiact1 hiact2"
SIDES += " hostlev1 hostlev2"


def whittle_tables(rules: dict[str, tuple[float, float]]) -> dict[str, pd.DataFrame]:
    """Two disputes of USA -> Russia in 2000, 5000 and 5001, whose values on each rule
    are ``rules[column]`` (5000's, 5001's), else equal."""
    values = {c: rules.get(c, (w, w)) for c, _, w in RULES}
    sides = (1.0, 0.0, 1.0, 1.0, 0.0, 0.0, -9.0, -9.0)  # sidea1 … fatalpre2
    dirdisps = [  # hiact1 (d % 100) tells the disputes apart
        (d, USA, RUS, 2000, values["disponset"][i], *sides, float(d % 100), 0.0, 3.0, 1.0)
        for i, d in enumerate((5000, 5001))
    ]
    disps = [
        (
            d,
            2000,
            *(values[c][i] for c in ("stmon", "fatality", "mindur", "maxdur", "recip")),
            values["hostlev"][i],
        )
        for i, d in enumerate((5000, 5001))
    ]
    return {
        "cow_ddy": _frame("ccode1 ccode2 year", [(USA, RUS, 2000), (RUS, USA, 2000)]),
        "cow_mid_dirdisps": _frame(f"dispnum ccode1 ccode2 year disponset {SIDES}", dirdisps),
        "cow_mid_disps": _frame(
            "dispnum styear stmon fatality mindur maxdur recip hostlev", disps
        ),
    }


def kept_dispute(path: Path) -> pd.DataFrame:
    connection = connect(path)
    try:
        return dyad_years(connection, years=(2000, 2000)).with_("mids:whittle").to_pandas()
    finally:
        connection.close()


def rule_cases() -> list:
    cases = []
    for k, (name, better, worse) in enumerate(RULES):
        rules = {c: (w, w) for c, _, w in RULES[:k]}
        rules[name] = (worse, better)
        rules |= {c: (b, w) for c, b, w in RULES[k + 1 :]}
        cases.append(pytest.param(rules, id=name))
    # an unknown fatality level (-9) counts between none (0) and 1-25 deaths (1)
    cases.append(pytest.param({"fatality": (0.0, -9.0)}, id="fatality-unknown-over-none"))
    cases.append(pytest.param({"fatality": (-9.0, 1.0), "hostlev": (4.0, 3.0)}, id="fatality-1"))
    return cases


@pytest.mark.parametrize("rules", rule_cases())
def test_whittle_keeps_the_dispute_each_rule_prefers_in_its_order(tmp_path, rules):
    frame = kept_dispute(write_store(tmp_path / "w.duckdb", whittle_tables(rules)))
    row = frame[frame["ccode1"] == USA].iloc[0]
    assert row["cowmid_dispnum"] == 5001
    assert row["cowmid_hiact1"] == 1  # the side columns are the kept dispute's
    for column, (_, value) in rules.items():
        if column not in ("disponset", "hostlev"):  # hostlev: with_mids' cowmid_hostlev
            assert row[f"cowmid_{column}"] == value, column


def test_whittle_of_disputes_equal_on_every_rule_keeps_the_lowest_number(tmp_path):
    frame = kept_dispute(write_store(tmp_path / "w.duckdb", whittle_tables({})))
    usa = frame[frame["ccode1"] == USA].iloc[0]
    assert (usa["cowmid_dispnum"], usa["cowmid_hiact1"], usa["cowmid_fatalpre1"]) == (5000, 0, -9)
    assert (usa["cowmid_sidea1"], usa["cowmid_sidea2"], usa["cowmid_hostlev1"]) == (1, 0, 3)
    # Russia -> USA has no dispute in the directed data: every column is missing
    russia = frame[frame["ccode1"] == RUS].iloc[0]
    assert russia.drop(["ccode1", "ccode2", "year"]).isna().all()


def test_with_mids_whittle_adds_the_kept_dispute_to_the_mids(tmp_path):
    frames = whittle_tables({})
    frames["cow_mid_ddydisps"] = _frame(
        "dispnum ccode1 ccode2 year cowmidonset cowmidongoing hostlev",
        [(5000, USA, RUS, 2000, 1.0, 1.0, 3.0)],
    )
    con = connect(write_store(tmp_path / "w.duckdb", frames))
    with pytest.raises(DataError, match=r"one_per_dyad_year='first'.*expected 'whittle'"):
        dyad_years(con).with_mids(one_per_dyad_year="first")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="whittles COW MIDs: use source='cow'"):
        dyad_years(con).with_mids("gml", one_per_dyad_year="whittle")
    plain = dyad_years(con).with_mids().columns()
    whittled = dyad_years(con).with_mids(one_per_dyad_year="whittle").columns()
    assert whittled[: len(plain)] == plain
    assert whittled[len(plain) :] == dyad_years(con).with_("mids:whittle").columns()[3:]
    frame = dyad_years(con, years=(2000, 2000)).with_mids(one_per_dyad_year="whittle").to_pandas()
    usa = frame[frame["ccode1"] == USA].iloc[0]
    assert (usa["cowmid_onset"], usa["cowmid_disputes"], usa["cowmid_dispnum"]) == (1, 2, 5000)
    con.close()
