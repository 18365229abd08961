"""The new builders on the real store: types, row counts and documented facts.

Needs ``../shared/data`` (the ``real_store`` fixture builds the store once a session).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliances.studies.portfolio_panel import with_portfolio_similarity
from alliances.world import connect, dyad_years, state_years
from alliances.world.columns import column
from alliances.world.panel import DYAD_COVARIATES, STATE_COVARIATES

USA, RUS, IRN, IRQ = 2, 365, 630, 645


@pytest.fixture(scope="module")
def con(real_store):
    connection = connect(real_store[0])
    yield connection
    connection.close()


def test_every_column_of_a_real_panel_has_its_documented_arrow_type(con):
    names = [n for n in DYAD_COVARIATES if n != "peace_years:gml"]
    panel = dyad_years(con, years=(2000, 2005)).with_(*names).pipe(with_portfolio_similarity)
    frame = panel.to_pandas()
    assert len(frame) == panel.count() == dyad_years(con, years=(2000, 2005)).count()
    arrow = {"Int8": "int8", "Int16": "int16", "Int32": "int32", "Float64": "double"}
    arrow["string"] = "string"
    assert {c: str(frame[c].dtype) for c in frame} == {
        c: f"{arrow[column(c).dtype]}[pyarrow]" for c in frame
    }
    tiv = con.execute(
        "SELECT SUM(value)::DOUBLE FROM sipri_tiv WHERE year BETWEEN 2000 AND 2005 "
        "AND supplier_cown IS NOT NULL AND recipient_cown IS NOT NULL"
    ).fetchall()[0][0]
    exports = frame["arms_exports_tiv"]
    assert exports.sum() == pytest.approx(tiv)  # every transfer between two members
    assert exports.mean() == pytest.approx(tiv / len(frame))
    assert np.isfinite(np.log1p(exports)).all()


def test_state_years_with_every_covariate_keep_one_row_per_state_year(con):
    base = state_years(con, years=(1946, 2014))
    frame = base.with_(*STATE_COVARIATES).to_pandas(dtype_backend="numpy")
    assert len(frame) == base.count()
    assert not frame.duplicated(["ccode", "year"]).any()
    assert str(frame["ucdpongoing"].dtype) == "Int8"


def test_politically_relevant_dyads_are_the_contiguous_and_major_power_ones(con):
    full = dyad_years(con, years=(1816, 2016)).with_("contiguity", "majors").to_pandas()
    relevant = (full["conttype"] >= 1) | (full["cowmaj1"] == 1) | (full["cowmaj2"] == 1)
    assert dyad_years(con, years=(1816, 2016)).filter_prd().count() == int(relevant.sum())


def test_peace_years_restart_after_every_dispute_year_of_the_real_mids(con):
    frame = (
        dyad_years(con, years=(1816, 2014), directed=False)
        .with_("mids", "peace_years")
        .to_pandas(dtype_backend="numpy")
        .sort_values(["ccode1", "ccode2", "year"])
    )
    spell = frame["cowmidspell"].to_numpy(dtype="int64")
    event = frame["cowmid_ongoing"].to_numpy(dtype="int64")
    # the year after the row before, in the same dyad: a gap is a stay out of the system
    same = (
        (frame["ccode1"].diff() == 0) & (frame["ccode2"].diff() == 0) & (frame["year"].diff() == 1)
    )
    same = same.to_numpy(dtype=bool, na_value=False)
    expected = np.where(np.roll(event, 1) == 1, 0, np.roll(spell, 1) + 1)
    assert (spell[~same] == 0).all()  # each dyad's first year, and its first year back
    assert (spell[same] == expected[same]).all()


def test_peace_years_start_again_when_a_state_comes_back_into_the_system(con):
    latvia, usa = 367, 2
    frame = dyad_years(con, years=(1816, 2010)).with_("peace_years:gml").to_pandas()
    pair = frame[(frame["ccode1"] == usa) & (frame["ccode2"] == latvia)].set_index("year")
    assert pair.loc[[1918, 1940, 1991, 2006], "gmlmidspell"].tolist() == [0, 22, 0, 15]


def test_documented_facts_of_the_iran_iraq_war_and_the_great_powers(con):
    frame = (
        dyad_years(con, years=(1980, 1988))
        .with_("ucdp", "majors", "capital_distance", "names")
        .to_pandas()
    )
    war = frame[(frame["ccode1"] == IRN) & (frame["ccode2"] == IRQ)]
    assert war["ucdp_interstate_ongoing"].tolist() == [1] * 9  # UCDP conflict 324
    assert war["statename2"].iloc[0] == "Iraq"
    great = frame[(frame["ccode1"] == USA) & (frame["ccode2"] == RUS)].iloc[0]
    assert (great["cowmaj1"], great["cowmaj2"]) == (1, 1)
    assert 7_780 < great["capdist"] < 7_860  # Washington-Moscow, about 7,800 km
    assert pd.notna(war["capdist"]).all()
