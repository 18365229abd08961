"""Alliance exits: ATOP's termination codes decoded, phases merged, member-year panels."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from alliances.errors import DataError
from alliances.world import connect, dyad_years, member_years
from alliances.world.exits import EXIT_CLASSES, EXIT_CODES, counts_by_era, decode, memberships

_COLUMNS = ["atopid", "member", "yrent", "yrexit", "phase", "termmode", "termcaus"]


def _store(rows: list[tuple[object, ...]]) -> duckdb.DuckDBPyConnection:
    """An in-memory store holding only a member-level table of ``rows``."""
    con = duckdb.connect()
    con.register("rows", pd.DataFrame(rows, columns=_COLUMNS))
    con.execute("CREATE TABLE atop_members_v4 AS SELECT * FROM rows")
    return con


def test_every_code_pair_decodes_to_a_documented_class():
    assert set(EXIT_CODES.values()) <= set(EXIT_CLASSES)
    assert decode(0, 0) is None
    assert decode(3, 4) == "early_exit"
    assert decode(3, 3) == "early_consent"
    assert decode(1, None) == "expiry"


def test_an_unknown_code_pair_is_an_error_naming_it():
    with pytest.raises(DataError, match="TERMMODE=9, TERMCAUS=1"):
        decode(9, 1)


def test_phases_of_one_alliance_are_one_membership():
    con = _store(
        [
            (10, 2, 1950, 1960, 1, 2, 1),  # a new phase follows: not an end
            (10, 2, 1960, 1972, 2, 3, 4),  # then the member withdraws
            (10, 20, 1950, 0, 0, 0, 0),  # still in force
        ]
    )
    spells = memberships(con).set_index("ccode")
    assert spells.loc[2, "start_year"] == 1950
    assert spells.loc[2, "exit_year"] == 1972
    assert spells.loc[2, "exit_class"] == "early_exit"
    assert spells.loc[2, "phases"] == 2
    assert pd.isna(spells.loc[20, "exit_class"])
    assert spells.loc[20, "end_year"] == 2016


def test_a_replaced_last_phase_ends_the_membership_as_replaced():
    spells = memberships(_store([(11, 2, 1950, 1955, 0, 2, 1)]))
    assert spells.exit_class.tolist() == ["replaced"]


def test_an_exit_before_entry_is_an_error_naming_the_alliance():
    with pytest.raises(DataError, match="alliance 12, member 2 leaves in 1940"):
        memberships(_store([(12, 2, 1950, 1940, 0, 3, 4)]))


def test_a_store_without_the_member_file_says_what_to_add():
    with pytest.raises(DataError, match=r"atop-member-level\.csv"):
        memberships(duckdb.connect())


def test_member_years_flag_the_exit_year_only(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.register("rows", pd.DataFrame([(10, 2, 1950, 1952, 0, 3, 4)], columns=_COLUMNS))
    con.execute("CREATE TABLE atop_members_v4 AS SELECT * FROM rows")
    rows = member_years(con, years=(1940, 1960)).to_pandas(dtype_backend="numpy")
    assert rows.year.tolist() == [1950, 1951, 1952]
    assert rows.exit_early.tolist() == [0, 0, 1]
    assert rows.exit_class.isna().tolist() == [True, True, False]


def test_counts_by_era_count_each_class_in_the_era_it_ended():
    spells = pd.DataFrame(
        {
            "exit_year": [1900, 1950, 1951, None],
            "exit_class": ["early_exit", "expiry", "expiry", None],
        }
    )
    table = counts_by_era(spells, (1815, 1914, 2017))
    assert table.loc["1914–2016", "expiry"] == 2
    assert table.sum().sum() == 3


# --- the real ATOP file ------------------------------------------------------------


@pytest.fixture(scope="module")
def atop(real_store):
    con = connect(real_store[0])
    yield con
    con.close()


@pytest.mark.parametrize(
    ("ccode", "year", "who"),
    [
        (325, 1915, "Italy leaves the Triple Alliance"),
        (339, 1968, "Albania leaves the Warsaw Pact"),
        (770, 1972, "Pakistan leaves SEATO"),
        (651, 1976, "Egypt abrogates its treaty with the Soviet Union"),
        (920, 1986, "New Zealand and ANZUS"),
        (645, 1959, "Iraq leaves the Baghdad Pact"),
    ],
)
def test_named_early_exits_are_decoded_as_the_event(atop, ccode, year, who):
    spells = memberships(atop)
    ended = spells[(spells.ccode == ccode) & (spells.exit_year == year)]
    assert (ended.exit_class == "early_exit").any(), who


def test_about_420_early_exits_190_since_1950(atop):
    spells = memberships(atop)
    exits = spells[spells.exit_class == "early_exit"]
    assert len(exits) == 421
    assert (exits.exit_year >= 1950).sum() == 193


def test_member_year_panel_has_one_event_per_early_exit(atop):
    panel = member_years(atop, years=(1950, 2016)).with_capabilities().to_pandas()
    assert panel.exit_early.sum() == 193
    assert not panel.duplicated(["atopid", "ccode", "year"]).any()
    assert panel.attrs["citations"]


def test_dyad_exits_mark_the_leaver_and_its_co_members(atop):
    dyads = dyad_years(atop, years=(1968, 1968)).with_alliance_exits().to_pandas()
    albania = dyads[(dyads.ccode1 == 339) & (dyads.ccode2 == 365)]
    assert albania.atop_exit1.tolist() == [1]
    assert dyads[(dyads.ccode1 == 365) & (dyads.ccode2 == 339)].atop_exit2.tolist() == [1]
    assert dyads[(dyads.ccode1 == 2) & (dyads.ccode2 == 200)].atop_exit1.tolist() == [0]


def test_the_readme_counts_of_exits_by_era_are_the_data(atop):
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = counts_by_era(memberships(atop))
    for era, row in table.iterrows():
        assert f"| {era} | " + " | ".join(str(int(v)) for v in row) + " |" in readme
