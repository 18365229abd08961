"""Integration tests on the real datasets in ``../shared/data``.

The store is built once for the module into a temporary folder; every expected value is
read from the raw files here, independently of ``alliances.world.readers``.
"""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pyreadr
import pytest

from alliances.world import connect, dyad_years, panel_cache
from alliances.world.names import peacesciencer_name
from alliances.world.panel import COVARIATES
from alliances.world.registry import DATASETS
from conftest import ROOT

DATA = ROOT.parent / "shared" / "data"

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared data folder is not at {DATA}"),
]

RUS, IRN, UKR = 365, 630, 369
KINDS = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
SIPRI = DATA / "sipri_arms" / "sipri_tiv_dyad_year_1950_2021.csv"


@pytest.fixture(scope="module")
def built(real_store):
    return real_store


@pytest.fixture(scope="module")
def con(built):
    connection = connect(built[0])
    yield connection
    connection.close()


def raw_rda(relative: str) -> pd.DataFrame:
    return next(iter(pyreadr.read_r(DATA / relative).values()))


def pair_rows(con, panel, a: int, b: int) -> pd.DataFrame:
    """The rows (a, b) and (b, a) of a panel, by SQL on its query."""
    query = (
        f"SELECT * FROM ({panel.sql()}) "
        f"WHERE (ccode1 = {a} AND ccode2 = {b}) OR (ccode1 = {b} AND ccode2 = {a})"
    )
    return con.execute(query).df()


# --- the build -----------------------------------------------------------------------


def test_every_registered_dataset_loads(built):
    _, report = built
    assert report.failed == {}
    assert report.missing == {}
    assert sorted(report.loaded) == sorted(DATASETS)


def test_row_counts_match_the_data_readme(con):
    counts = dict(con.execute("SELECT name, rows FROM datasets").fetchall())
    assert counts["cow_ddy"] == 2_214_930
    assert counts["atop_alliance"] == 273_296
    assert counts["cow_trade_ndy"] == 673_654
    assert counts["cow_igo_ndy"] == 917_695
    assert counts["cow_nmc"] == 17_121
    assert counts["sipri_tiv"] == 21_324
    assert counts["un_votes"] == 870_109
    assert counts["unga_idealpoints"] == 11_440


# --- values against the raw files ----------------------------------------------------


def test_atop_obligations_of_russia_and_iran_equal_the_raw_rows(con):
    raw = raw_rda("peacesciencer/atop_alliance.rda")
    raw = raw[raw["ccode1"].isin([RUS, IRN]) & raw["ccode2"].isin([RUS, IRN])]
    assert set(zip(raw["ccode1"], raw["ccode2"], strict=True)) == {(RUS, IRN), (IRN, RUS)}
    panel = pair_rows(con, dyad_years(con, years=(1816, 2018)).with_alliances(), RUS, IRN)
    merged = panel.merge(
        raw.astype({"ccode1": int, "ccode2": int, "year": int}),
        on=["ccode1", "ccode2", "year"],
        how="outer",
        suffixes=("", "_raw"),
        indicator=True,
    )
    assert (merged["_merge"] != "right_only").all()  # every raw row is in the panel
    for kind in KINDS:
        expected = merged[f"{kind}_raw"].fillna(0)  # no raw row: no alliance
        assert (merged[kind] == expected).all(), kind
    assert merged[KINDS].to_numpy().sum() == raw[KINDS].to_numpy().sum()


def test_cow_trade_of_russia_and_iran_in_both_directions(con):
    raw = raw_rda("peacesciencer/cow_trade_ndy.rda")
    raw = raw[(raw["ccode1"] == RUS) & (raw["ccode2"] == IRN) & raw["year"].between(2010, 2014)]
    raw = raw.set_index(raw["year"].astype(int))
    assert sorted(raw.index) == [2010, 2011, 2012, 2013, 2014]
    panel = pair_rows(con, dyad_years(con, years=(2010, 2014)).with_trade(), RUS, IRN)
    assert len(panel) == 10
    for row in panel.itertuples():
        flows = raw.loc[row.year]
        # flow1 = imports of ccode1 (Russia, the lower code) from ccode2 (Iran)
        rus_imports, irn_imports = flows["flow1"], flows["flow2"]
        if row.ccode1 == RUS:
            assert (row.trade_imports, row.trade_exports) == (rus_imports, irn_imports)
        else:
            assert (row.trade_imports, row.trade_exports) == (irn_imports, rus_imports)


def test_sipri_arms_russia_to_iran_equal_the_csv_sums(con):
    raw = pd.read_csv(SIPRI)
    # COW 365 is the Soviet Union to 1991 and Russia from 1992: both supply rows count
    mask = raw["supplier"].isin(["Russia", "Soviet Union"]) & (raw["recipient"] == "Iran")
    expected = raw[mask].groupby("year")["value"].sum()
    assert expected[2016] == 413  # the README's spot check
    panel = pair_rows(con, dyad_years(con, years=(1950, 2021)).with_arms(), RUS, IRN)
    assert len(panel) == 2 * 72
    exports = panel[panel["ccode1"] == RUS].set_index("year")["arms_exports_tiv"]
    imports = panel[panel["ccode1"] == IRN].set_index("year")["arms_imports_tiv"]
    want = expected.reindex(exports.index, fill_value=0)
    assert (exports == want).all()
    assert (imports.reindex(exports.index) == want).all()
    assert exports[2016] == 413
    assert exports.sum() == expected.sum()


def test_arms_to_rebels_are_not_counted_as_arms_to_their_state(con):
    raw = pd.read_csv(SIPRI)
    mask = (raw["supplier"] == "Russia") & (raw["recipient"] == "Ukraine") & (raw["year"] == 2014)
    assert raw[mask]["value"].sum() == 0
    panel = pair_rows(con, dyad_years(con, years=(2014, 2014)).with_arms(), RUS, UKR)
    assert panel.loc[panel["ccode1"] == RUS, "arms_exports_tiv"].tolist() == [0]


# --- against peacesciencer's own panels ----------------------------------------------

KEYS = ["ccode1", "ccode2", "year"]


def cells_equal(ours: pd.Series, theirs: pd.Series) -> pd.Series:
    """Cell by cell: the same number, or both missing."""
    ours, theirs = ours.astype("float64"), theirs.astype("float64")
    return (ours == theirs) | (ours.isna() & theirs.isna())


@pytest.mark.slow
def test_whittled_mids_equal_peacesciencer_dyad_years_in_every_cell(con):
    # peacesciencer's cow_mid_ddydisps is the dyad-year panel add_cow_mids joins: one
    # dispute per directed dyad-year, whittled from the same dispute-years we whittle
    raw = raw_rda("peacesciencer/cow_mid_ddydisps.rda").astype(dict.fromkeys(KEYS, int))
    panel = dyad_years(con, years=(1816, 2014)).with_mids(one_per_dyad_year="whittle")
    sql = f"SELECT * FROM ({panel.sql()}) WHERE cowmid_ongoing = 1"
    ours = con.execute(sql).df().astype(dict.fromkeys(KEYS, int))
    ours.columns = [{"cowmid_hostlev": "hostlev"}.get(c, peacesciencer_name(c)) for c in ours]
    merged = raw.merge(ours, on=KEYS, how="outer", suffixes=("", "_ours"), indicator=True)
    assert (merged["_merge"] != "right_only").all()  # no dispute that peacesciencer lacks
    # the raw rows the panel lacks are dyad-years of no state-system dyad (Canada-Russia
    # 1918-1919: Canada is a COW member from 1920), which create_dyadyears lacks too
    missing = merged.loc[merged["_merge"] == "left_only", KEYS]
    con.register("ps_missing", missing)
    in_system = con.execute(
        "SELECT COUNT(*) FROM ps_missing m JOIN cow_ddy d ON d.ccode1 = m.ccode1 "
        "AND d.ccode2 = m.ccode2 AND d.year = m.year"
    ).fetchall()
    con.unregister("ps_missing")
    assert in_system == [(0,)]
    assert len(missing) < 10
    both = merged[merged["_merge"] == "both"]
    columns = [c for c in raw.columns if c not in KEYS]
    assert set(columns) <= set(ours.columns)  # every column add_cow_mids gives
    equal = {c: int(cells_equal(both[f"{c}_ours"], both[c]).sum()) for c in columns}
    assert equal == dict.fromkeys(columns, len(both))
    assert len(both) * len(columns) > 200_000
    # where there is no dispute, the dispute's columns are missing
    empty = con.execute(
        f"SELECT COUNT(*) FROM ({panel.sql()}) WHERE cowmid_ongoing = 0 AND "
        "(cowmid_dispnum IS NOT NULL OR cowmid_hiact1 IS NOT NULL OR cowmid_sidea2 IS NOT NULL)"
    ).fetchall()
    assert empty == [(0,)]


@pytest.mark.slow
def test_capabilities_equal_the_nmc_file_in_every_cell_of_a_sample(con):
    raw = raw_rda("peacesciencer/cow_nmc.rda").astype({"ccode": int, "year": int})
    raw = raw.set_index(["ccode", "year"])
    stems = ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]
    assert stems == [c for c in raw.columns if c in stems]  # every column of the file
    frame = dyad_years(con, years=(1816, 2014)).with_capabilities().to_pandas("numpy")
    sample = frame.sample(n=2_000, random_state=23)
    cells = equal = 0
    for side in ("1", "2"):
        theirs = raw.reindex(list(zip(sample[f"ccode{side}"], sample["year"], strict=True)))
        for stem in stems:
            same = cells_equal(
                sample[f"{stem}{side}"].reset_index(drop=True), theirs[stem].reset_index(drop=True)
            )
            cells, equal = cells + len(same), equal + int(same.sum())
    assert (cells, equal) == (2_000 * 2 * len(stems), cells)
    assert sample["upop1"].notna().sum() > 1_000


# --- the full panel ------------------------------------------------------------------

SIX = ("alliances", "trade", "igos", "contiguity", "capabilities", "distance")


def test_full_directed_panel_keeps_its_row_count_with_six_covariates(con):
    base = dyad_years(con, system="cow", years=(1816, 2014))
    assert base.count() == 1_836_630
    panel = base.with_(*SIX)
    assert panel.count() == 1_836_630
    frame = panel.to_pandas()
    assert len(frame) == 1_836_630
    assert not frame.duplicated(["ccode1", "ccode2", "year"]).any()
    assert {"atop_defense", "trade_imports", "shared_igos", "conttype", "cinc2", "mindist"} <= set(
        frame.columns
    )


def test_cached_panel_equals_the_panel_joined_on_the_fly(built, con, tmp_path):
    # a copy of the store without the build's panel cache: panels are joined on the fly
    copy = tmp_path / "uncached.duckdb"
    shutil.copy(built[0], copy)
    writable = duckdb.connect(str(copy))
    try:
        writable.execute(f"DROP TABLE {panel_cache.CACHE}")
        writable.execute(f"DROP TABLE {panel_cache.CACHE_INDEX}")
    finally:
        writable.close()
    uncached = connect(copy)
    try:
        digests = []
        for connection in (con, uncached):
            panel = dyad_years(connection, years=(1816, 2024)).with_(*COVARIATES)
            query = f"SELECT COUNT(*), SUM(hash(p)) FROM ({panel.sql()}) p"
            digests.append(connection.execute(query).fetchone())
    finally:
        uncached.close()
    assert digests[0][0] == 2_214_930
    assert digests[0][1] is not None
    assert digests[0] == digests[1]


OBSERVED = {"trade", "igos", "distance"}


@pytest.mark.parametrize("name", list(COVARIATES))
def test_no_source_has_a_value_outside_its_coverage(con, name):
    panel = dyad_years(con, years=(1816, 2024)).with_(*COVARIATES)
    dataset = COVARIATES[name]().datasets[0]
    columns = [
        c
        for c in dyad_years(con, years=(2000, 2000)).with_(name).to_pandas().columns
        if c not in ("ccode1", "ccode2", "year")
    ]
    if name in OBSERVED:
        inside = f"year IN (SELECT DISTINCT year FROM {dataset})"
    else:
        first, last = DATASETS[dataset].years
        inside = f"year BETWEEN {first} AND {last}"
    filled = " + ".join(f"COUNT({c})" for c in columns)
    outside = con.execute(f"SELECT {filled} FROM ({panel.sql()}) WHERE NOT ({inside})").fetchone()
    assert outside == (0,)
    within = con.execute(
        f"SELECT {', '.join(f'COUNT({c})' for c in columns)} FROM ({panel.sql()}) WHERE {inside}"
    ).fetchone()
    assert all(n > 0 for n in within), dict(zip(columns, within, strict=True))


# --- names that match no state -------------------------------------------------------


def test_every_un_voting_country_gets_a_cow_code(built, con):
    _, report = built
    assert "un_votes" not in report.unmatched
    missing = con.execute("SELECT COUNT(*) FROM un_votes WHERE ccode IS NULL").fetchone()
    assert missing == (0,)


# Unmatched SIPRI names that are neither marked non-state ('*', '**') nor 'unknown':
# territories and secessionist entities that were never COW members.
TERRITORIES = {"Aruba", "Biafra", "Katanga", "Northern Cyprus", "Palestine", "Western Sahara"}


@pytest.mark.parametrize("dataset", ["sipri_tiv", "sipri_tiv_tables", "sipri_register"])
def test_unmatched_sipri_names_are_non_states(built, dataset):
    _, report = built
    names = report.unmatched[dataset]
    assert names
    strays = [n for n in names if "*" not in n and "nknown" not in n and n not in TERRITORIES]
    assert strays == []


def test_unmatched_sipri_rows_are_kept_without_a_code(con):
    raw = pd.read_csv(SIPRI)
    nato = con.execute(
        "SELECT COUNT(*), COUNT(recipient_cown) FROM sipri_tiv WHERE recipient = 'NATO**'"
    ).fetchone()
    assert nato == ((raw["recipient"] == "NATO**").sum(), 0)
