"""Readers and the DuckDB store, on tiny data directories the tests write themselves.

Every fixture is generated in ``tmp_path`` with the layout of the shared data folder
(``peacesciencer/*.rda``, ``sipri_arms/*.csv``, ``atop_v4/*.csv``); no real data is used.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyreadr
import pytest

from alliances.errors import DataError
from alliances.world import panel_cache, readers, store
from alliances.world.registry import DATASETS
from alliances.world.store import build, connect, data_dir, default_store, status

# --- fixtures written by the tests ---------------------------------------------------

STATES = (2, 365, 630)
DDY_YEARS = (2013, 2014)
SIPRI = "sipri_arms/sipri_tiv_dyad_year_1950_2021.csv"
SIPRI_HEADER = "supplier,recipient,year,value,supplier_cown,recipient_cown"
ONLY = ["cow_ddy", "atop_alliance", "cow_trade_ndy", "cow_igo_ndy", "sipri_tiv", "atop_depth"]
PRESENT = ["cow_ddy", "atop_alliance", "cow_trade_ndy", "sipri_tiv", "atop_depth"]


def write_rda(path: Path, frame: pd.DataFrame, name: str) -> Path:
    """Write ``frame`` as an R data file (gzip, as the published files are)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pyreadr.write_rdata(str(path), frame, df_name=name, compress="gzip")
    return path


def ddy_frame() -> pd.DataFrame:
    rows = [(a, b, y) for y in DDY_YEARS for a in STATES for b in STATES if a != b]
    # R stores numbers as doubles: codes and years arrive as float64
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"]).astype(float)


def atop_frame(extra: bool = False) -> pd.DataFrame:
    rows = [
        (365, 630, 2014, 1, 0, 0, 0, 1),
        (630, 365, 2014, 0, 0, 0, 0, 1),
    ]
    if extra:
        rows.append((2, 365, 2014, 0, 0, 0, 1, 0))
    columns = ["ccode1", "ccode2", "year", *DATASETS["atop_alliance"].columns[3:]]
    return pd.DataFrame(rows, columns=columns).astype(float)


def trade_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ccode1": [2.0, 365.0, 2.0],
            "ccode2": [365.0, 630.0, 630.0],
            "year": [2013.0, 2013.0, 2014.0],
            "flow1": [10.0, 3.0, np.nan],
            "flow2": [20.0, 7.0, 1.0],
        }
    )


SIPRI_ROWS = [
    "Russia,Iran,2016,413,365,630",
    "Russia,Iran,2017,3,,",  # codes left blank: filled from the names
    "Germany,Turkey,1970,12,,640",  # Germany in 1970 is the Federal Republic, COW 260
    "United States,NATO**,2010,25,2,",  # not a state: kept, with no code
]


def write_sipri(root: Path, rows: list[str] = SIPRI_ROWS) -> Path:
    path = root / SIPRI
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([SIPRI_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def write_depth(root: Path) -> Path:
    path = root / "atop_v4" / "benson-clinton-scores.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '"atopid","Depth.score","Scope.score"\n1005,0.5,-1.2\n2195,1.25,0.75\n', encoding="utf-8"
    )
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory with cow_ddy, atop_alliance, cow_trade_ndy, sipri_tiv and
    atop_depth, but no cow_igo_ndy."""
    root = tmp_path / "data"
    write_rda(root / "peacesciencer" / "cow_ddy.rda", ddy_frame(), "cow_ddy")
    write_rda(root / "peacesciencer" / "atop_alliance.rda", atop_frame(), "atop_alliance")
    write_rda(root / "peacesciencer" / "cow_trade_ndy.rda", trade_frame(), "cow_trade_ndy")
    write_sipri(root)
    write_depth(root)
    return root


@pytest.fixture
def target(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    return folder / "world.duckdb"


def table(path: Path, name: str) -> pd.DataFrame:
    con = connect(path)
    try:
        return con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').df()
    finally:
        con.close()


def provenance(path: Path) -> dict[str, dict[str, object]]:
    return {row["name"]: row for row in status(path).to_dict(orient="records")}


# --- build, report and provenance ----------------------------------------------------


def test_build_loads_present_datasets_and_reports_absent_ones_as_missing(data, target):
    report = build(data, target, only=ONLY)
    assert report.loaded == PRESENT
    assert report.failed == {}
    assert report.unchanged == []
    assert list(report.missing) == ["cow_igo_ndy"]
    assert str(data / "peacesciencer" / "cow_igo_ndy.rda") in report.missing["cow_igo_ndy"]
    assert "not found" in report.missing["cow_igo_ndy"]
    assert report.store == target
    assert target.is_file()
    assert len(table(target, "cow_ddy")) == 12
    assert len(table(target, "atop_alliance")) == 2
    json.dumps(report.to_dict())  # the report is JSON-serialisable for `--json`


def test_build_calls_progress_once_for_each_dataset_asked_for_loaded_or_not(data, target):
    seen: list[str] = []
    build(data, target, only=ONLY, progress=seen.append)
    assert [stage for stage in seen if stage in DATASETS] == ONLY  # missing ones too
    again: list[str] = []
    build(data, target, only=ONLY, progress=again.append)  # every dataset unchanged
    assert [stage for stage in again if stage in DATASETS] == ONLY


def test_build_leaves_only_the_store_file_in_its_folder(data, target):
    build(data, target, only=ONLY)
    assert sorted(os.listdir(target.parent)) == ["world.duckdb"]


def test_provenance_table_records_version_citation_sha_rows_and_coverage(data, target):
    build(data, target, only=ONLY)
    rows = provenance(target)
    assert sorted(rows) == sorted(PRESENT)
    ddy = rows["cow_ddy"]
    spec = DATASETS["cow_ddy"]
    assert ddy["title"] == spec.title
    # the fixture files are not the registered releases: their hashes differ
    assert ddy["version"] == "2016 (to 2024) (unverified: hash differs)"
    assert ddy["citation"] == spec.citation
    assert ddy["citation"].startswith("Correlates of War Project (2017)")
    assert ddy["cite_keys"] == "cow2017states,miller2022ps"
    assert ddy["files"] == "peacesciencer/cow_ddy.rda"
    assert re.fullmatch(r"[0-9a-f]{64}", ddy["sha256"])
    assert ddy["rows"] == 12
    assert (ddy["first_year"], ddy["last_year"]) == (1816, 2024)
    assert ddy["unit"] == "directed dyad-year"
    assert json.loads(ddy["unmatched"]) == []
    atop = rows["atop_alliance"]
    assert (atop["version"], atop["rows"], atop["first_year"], atop["last_year"]) == (
        "5.1 (unverified: hash differs)",
        2,
        1815,
        2018,
    )
    assert rows["cow_trade_ndy"]["rows"] == 3
    assert rows["sipri_tiv"]["rows"] == 4
    assert json.loads(rows["sipri_tiv"]["unmatched"]) == ["NATO**"]
    assert rows["atop_depth"]["rows"] == 2
    # the registry's years (formation years of the scored alliances), not the file's
    assert (rows["atop_depth"]["first_year"], rows["atop_depth"]["last_year"]) == (1816, 2000)
    assert len({r["sha256"] for r in rows.values()}) == len(rows)


def test_an_open_store_lists_its_tables_and_gives_its_provenance(data, target):
    build(data, target, only=ONLY)
    con = connect(target)
    try:
        names = store.table_names(con)
        frame = store.provenance(con)
    finally:
        con.close()
    assert {*PRESENT, "datasets", "panel_cow_directed"} <= names
    assert "cow_igo_ndy" not in names
    assert frame["name"].tolist() == sorted(PRESENT)
    pd.testing.assert_frame_equal(frame, status(target))


def test_only_the_world_package_holds_sql():
    """DESIGN §2: world/ holds all the SQL; studies and outputs call its functions."""
    root = Path(store.__file__).parents[1]
    sql = re.compile(r"\.(execute|sql|table)\(|\bSELECT\b")
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if path.relative_to(root).parts[0] != "world"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if sql.search(line)
    ]
    assert found == []


def test_status_on_a_missing_store_says_to_run_data_build(tmp_path):
    with pytest.raises(DataError, match=r"alliances data build"):
        status(tmp_path / "nowhere.duckdb")


# --- incremental builds --------------------------------------------------------------


def test_second_build_reports_every_dataset_unchanged(data, target):
    build(data, target, only=ONLY)
    before = provenance(target)
    again = build(data, target, only=ONLY)
    assert again.loaded == []
    assert again.unchanged == PRESENT
    assert again.failed == {}
    assert list(again.missing) == ["cow_igo_ndy"]
    after = provenance(target)
    assert {n: r["sha256"] for n, r in after.items()} == {
        n: r["sha256"] for n, r in before.items()
    }
    assert {n: r["loaded_at"] for n, r in after.items()} == {
        n: r["loaded_at"] for n, r in before.items()
    }


def test_a_build_with_nothing_to_load_renews_a_cache_of_older_joins(data, target):
    build(data, target, only=ONLY)
    con = duckdb.connect(str(target))
    try:
        assert panel_cache.cache_is_current(con)
        con.execute(f"UPDATE {panel_cache.CACHE_INDEX} SET fingerprint = 'older'")
        assert not panel_cache.cache_is_current(con)
    finally:
        con.close()
    again = build(data, target, only=ONLY)
    assert again.loaded == []
    con = duckdb.connect(str(target))
    try:
        assert panel_cache.cache_is_current(con)
    finally:
        con.close()


def test_an_unchanged_dataset_takes_the_registrys_citation_years_and_version(data, target):
    build(data, target, only=ONLY)
    con = duckdb.connect(str(target))
    con.execute(
        "UPDATE datasets SET citation = 'old', first_year = NULL, version = 'generated' "
        "WHERE name = 'atop_alliance'"
    )
    con.close()
    again = build(data, target, only=ONLY)
    assert "atop_alliance" in again.unchanged
    row = provenance(target)["atop_alliance"]
    spec = DATASETS["atop_alliance"]
    assert row["citation"] == spec.citation
    assert str(row["version"]).startswith(spec.version)  # with its "unverified" mark
    assert row["first_year"] == (spec.years or (None, None))[0]


def test_rewriting_a_file_with_the_same_content_keeps_it_unchanged(data, target):
    build(data, target, only=ONLY)
    path = data / "peacesciencer" / "atop_alliance.rda"
    # Same bytes, new file (writing the .rda again would stamp a new gzip time).
    content = path.read_bytes()
    path.unlink()
    path.write_bytes(content)
    again = build(data, target, only=ONLY)
    assert again.loaded == []
    assert "atop_alliance" in again.unchanged


@pytest.mark.slow
def test_changing_a_file_reloads_only_that_dataset(data, target):
    build(data, target, only=ONLY)
    old_sha = provenance(target)["atop_alliance"]["sha256"]
    write_rda(
        data / "peacesciencer" / "atop_alliance.rda", atop_frame(extra=True), "atop_alliance"
    )
    again = build(data, target, only=ONLY)
    assert again.loaded == ["atop_alliance"]
    assert sorted(again.unchanged) == sorted(set(PRESENT) - {"atop_alliance"})
    row = provenance(target)["atop_alliance"]
    assert row["rows"] == 3
    assert row["sha256"] != old_sha
    loaded = table(target, "atop_alliance")
    assert len(loaded) == 3
    assert loaded.query("ccode1 == 2 and ccode2 == 365")["atop_nonagg"].tolist() == [1.0]


def test_only_leaves_other_tables_as_they_are(data, target):
    build(data, target, only=ONLY)
    write_rda(
        data / "peacesciencer" / "atop_alliance.rda", atop_frame(extra=True), "atop_alliance"
    )
    report = build(data, target, only=["cow_ddy"])
    assert report.unchanged == ["cow_ddy"]
    assert report.loaded == []
    assert len(table(target, "atop_alliance")) == 2  # not re-read: not asked for
    assert len(table(target, "sipri_tiv")) == 4


# --- errors: missing directory, renamed column, corrupt files ------------------------


def test_missing_data_directory_is_a_data_error_naming_it(tmp_path, target):
    missing = tmp_path / "no-such-data"
    with pytest.raises(DataError, match=r"no-such-data.*does not exist"):
        build(missing, target)
    assert not target.exists()


def test_missing_data_directory_leaves_an_existing_store_untouched(data, target, tmp_path):
    build(data, target, only=ONLY)
    before = target.read_bytes()
    with pytest.raises(DataError, match="no-such-data"):
        build(tmp_path / "no-such-data", target, only=ONLY)
    assert target.read_bytes() == before
    assert sorted(os.listdir(target.parent)) == ["world.duckdb"]


def test_no_data_directory_at_all_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("ALLIANCES_DATA_DIR", raising=False)
    with pytest.raises(DataError, match=r"--data-dir.*ALLIANCES_DATA_DIR"):
        data_dir(None)


def test_renamed_column_fails_that_dataset_naming_file_and_column(data, target):
    build(data, target, only=ONLY)
    renamed = trade_frame().rename(columns={"flow1": "imports1"})
    path = write_rda(data / "peacesciencer" / "cow_trade_ndy.rda", renamed, "cow_trade_ndy")
    report = build(data, target, only=ONLY)
    assert list(report.failed) == ["cow_trade_ndy"]
    message = report.failed["cow_trade_ndy"]
    assert str(path) in message
    assert "expected columns flow1" in message
    assert "imports1" in message  # what was found instead
    assert sorted(report.unchanged) == sorted(set(PRESENT) - {"cow_trade_ndy"})
    # the previous table and its provenance are still there and readable
    kept = table(target, "cow_trade_ndy")
    assert len(kept) == 3
    assert "flow1" in kept.columns
    assert kept["flow2"].tolist() == [20.0, 1.0, 7.0]
    assert provenance(target)["cow_trade_ndy"]["rows"] == 3


def test_renamed_column_raises_a_data_error_from_the_reader(tmp_path):
    path = write_rda(
        tmp_path / "cow_ddy.rda", ddy_frame().rename(columns={"year": "yr"}), "cow_ddy"
    )
    with pytest.raises(DataError, match=r"cow_ddy\.rda: expected columns year"):
        readers.read(DATASETS["cow_ddy"], [path])


def _truncate(path: Path) -> None:
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff\xfe this is not a data file \x81\x82\x83" * 20)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _cut_header(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:14])


BROKEN = {
    "truncated-rda": ("atop_alliance", "peacesciencer/atop_alliance.rda", _truncate),
    "garbage-rda": ("cow_trade_ndy", "peacesciencer/cow_trade_ndy.rda", _garbage),
    "garbage-csv": ("sipri_tiv", SIPRI, _garbage),
    "empty-csv": ("sipri_tiv", SIPRI, _empty),
    "header-cut-csv": ("sipri_tiv", SIPRI, _cut_header),
    "empty-plain-csv": ("atop_depth", "atop_v4/benson-clinton-scores.csv", _empty),
}


@pytest.mark.parametrize(("name", "relative", "breaker"), BROKEN.values(), ids=list(BROKEN))
def test_unreadable_file_is_one_failed_entry_and_the_others_load(
    data, target, name, relative, breaker
):
    breaker(data / relative)
    report = build(data, target, only=ONLY)
    assert list(report.failed) == [name]
    assert str(data / relative) in report.failed[name]
    assert report.loaded == [n for n in PRESENT if n != name]
    assert name not in provenance(target)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "relative", "breaker"), BROKEN.values(), ids=list(BROKEN))
def test_unreadable_file_does_not_damage_the_existing_store(data, target, name, relative, breaker):
    build(data, target, only=ONLY)
    before = table(target, name)
    before_sha = provenance(target)[name]["sha256"]
    breaker(data / relative)
    report = build(data, target, only=ONLY)
    assert list(report.failed) == [name]
    assert str(data / relative) in report.failed[name]
    pd.testing.assert_frame_equal(table(target, name), before)
    assert provenance(target)[name]["sha256"] == before_sha
    assert sorted(os.listdir(target.parent)) == ["world.duckdb"]


@pytest.mark.parametrize(("name", "relative", "breaker"), BROKEN.values(), ids=list(BROKEN))
def test_reader_raises_a_data_error_naming_the_broken_file(data, name, relative, breaker):
    path = data / relative
    breaker(path)
    with pytest.raises(DataError) as raised:
        readers.read(DATASETS[name], [path])
    assert str(path) in str(raised.value)


def test_csv_cut_in_the_middle_of_a_row_is_a_data_error(tmp_path):
    path = write_sipri(tmp_path)
    path.write_text(f"{SIPRI_HEADER}\n{SIPRI_ROWS[0]}\nRussia,Iran,20", encoding="utf-8")
    with pytest.raises(DataError, match="sipri_tiv_dyad_year"):
        readers.read(DATASETS["sipri_tiv"], [path])


def test_a_mid_file_without_a_column_the_panel_needs_fails_alone(tmp_path, target):
    root = tmp_path / "data"
    write_rda(root / "peacesciencer" / "cow_ddy.rda", ddy_frame(), "cow_ddy")
    mids = ddy_frame().head(2).assign(cowmidonset=1.0, hostlev=3.0)
    write_rda(root / "peacesciencer" / "cow_mid_ddydisps.rda", mids, "cow_mid_ddydisps")
    report = build(root, target, only=["cow_ddy", "cow_mid_ddydisps"])
    assert "cow_ddy" in report.loaded
    assert "cowmidongoing" in report.failed["cow_mid_ddydisps"]
    assert target.is_file()


# --- atomicity -----------------------------------------------------------------------


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, calls: int) -> list[str]:
    """Make store._load_one raise KeyboardInterrupt on its call number ``calls + 1``."""
    original = store._load_one
    done: list[str] = []

    def interrupted(con, spec, *args, **kwargs):
        if len(done) == calls:
            raise KeyboardInterrupt
        done.append(spec.name)
        return original(con, spec, *args, **kwargs)

    monkeypatch.setattr(store, "_load_one", interrupted)
    return done


def test_interrupted_build_leaves_the_previous_store_byte_for_byte(data, target, monkeypatch):
    build(data, target, only=ONLY)
    before = target.read_bytes()
    write_rda(
        data / "peacesciencer" / "atop_alliance.rda", atop_frame(extra=True), "atop_alliance"
    )
    write_rda(data / "peacesciencer" / "cow_ddy.rda", ddy_frame().head(6), "cow_ddy")
    done = _interrupt_after(monkeypatch, 2)  # cow_ddy and atop_alliance reloaded, then ^C
    with pytest.raises(KeyboardInterrupt):
        build(data, target, only=ONLY)
    assert done == ["cow_ddy", "atop_alliance"]
    assert target.read_bytes() == before
    assert sorted(os.listdir(target.parent)) == ["world.duckdb"]
    monkeypatch.undo()
    assert len(table(target, "cow_ddy")) == 12
    assert len(table(target, "atop_alliance")) == 2


def test_interrupted_first_build_leaves_no_store_and_no_temporary_file(data, target, monkeypatch):
    _interrupt_after(monkeypatch, 1)
    with pytest.raises(KeyboardInterrupt):
        build(data, target, only=ONLY)
    assert os.listdir(target.parent) == []


# --- connect, default store, data directory ------------------------------------------


def test_connect_to_a_missing_store_says_to_run_data_build(tmp_path):
    path = tmp_path / "absent.duckdb"
    with pytest.raises(DataError, match=r"absent\.duckdb.*alliances data build"):
        connect(path)


def test_connect_to_a_file_that_is_not_a_store_is_a_data_error(tmp_path):
    path = tmp_path / "world.duckdb"
    path.write_text("not a database\n" * 100, encoding="utf-8")
    with pytest.raises(DataError, match=r"not a store.*alliances data build.*NEW\.duckdb"):
        connect(path)


def test_connect_is_read_only(data, target):
    build(data, target, only=ONLY)
    con = connect(target)
    try:
        with pytest.raises(duckdb.Error):
            con.execute("DROP TABLE cow_ddy")
    finally:
        con.close()


def test_default_store_honours_alliances_store(monkeypatch, tmp_path):
    monkeypatch.setenv("ALLIANCES_STORE", str(tmp_path / "mine.duckdb"))
    assert default_store() == tmp_path / "mine.duckdb"


def test_default_store_without_env_is_world_duckdb_in_a_cache_folder(monkeypatch):
    monkeypatch.delenv("ALLIANCES_STORE", raising=False)
    path = default_store()
    assert path.name == "world.duckdb"
    assert "alliances" in path.parts


def test_build_without_store_argument_writes_to_alliances_store(data, tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCES_STORE", str(tmp_path / "env" / "w.duckdb"))
    report = build(data, only=["cow_ddy"])
    assert report.store == tmp_path / "env" / "w.duckdb"
    assert report.loaded == ["cow_ddy"]
    assert (tmp_path / "env" / "w.duckdb").is_file()


def test_data_dir_honours_alliances_data_dir(monkeypatch, data, tmp_path):
    monkeypatch.setenv("ALLIANCES_DATA_DIR", str(data))
    assert data_dir() == data
    other = tmp_path / "other"
    other.mkdir()
    assert data_dir(other) == other  # an explicit folder wins over the variable
    monkeypatch.setenv("ALLIANCES_DATA_DIR", str(tmp_path / "gone"))
    with pytest.raises(DataError, match="gone"):
        data_dir()


def test_build_reads_the_data_directory_from_the_environment(monkeypatch, data, target):
    monkeypatch.setenv("ALLIANCES_DATA_DIR", str(data))
    assert build(store=target, only=["cow_ddy"]).loaded == ["cow_ddy"]


# --- readers -------------------------------------------------------------------------


def test_codes_and_years_read_from_r_doubles_become_integers(data, target):
    build(data, target, only=ONLY)
    con = connect(target)
    try:
        types = dict(
            con.execute(
                "SELECT table_name || '.' || column_name, data_type "
                "FROM information_schema.columns"
            ).fetchall()
        )
    finally:
        con.close()
    for column in ("cow_ddy.ccode1", "cow_ddy.ccode2", "cow_ddy.year", "atop_alliance.year"):
        assert types[column] in {"BIGINT", "INTEGER"}, column
    assert types["atop_alliance.atop_defense"] == "DOUBLE"  # not a code: left as it is
    assert types["cow_trade_ndy.flow1"] == "DOUBLE"


def test_integer_columns_keep_missing_codes_as_missing(tmp_path):
    frame = ddy_frame()
    frame.loc[0, "ccode2"] = np.nan
    path = write_rda(tmp_path / "cow_ddy.rda", frame, "cow_ddy")
    loaded = readers.read(DATASETS["cow_ddy"], [path]).frame
    assert str(loaded["ccode2"].dtype) == "Int64"
    assert str(loaded["year"].dtype) == "Int64"
    assert loaded["ccode2"].isna().sum() == 1
    assert loaded["ccode1"].tolist()[:3] == [2, 2, 365]


def test_fractional_values_in_a_code_column_are_not_truncated(tmp_path):
    frame = ddy_frame()
    frame.loc[0, "year"] = 2013.5
    path = write_rda(tmp_path / "cow_ddy.rda", frame, "cow_ddy")
    loaded = readers.read(DATASETS["cow_ddy"], [path]).frame
    assert loaded["year"].dtype == np.float64
    assert loaded["year"].iloc[0] == 2013.5


@pytest.mark.parametrize(
    ("name", "year", "code"),
    [
        ("Germany", 1970, 260),
        ("Germany", 1955, 260),
        ("Germany", 1990, 260),
        ("Germany", 2000, 255),
        ("Germany", 1900, 255),
        ("Germany", None, 255),
        ("Serbia", None, 345),
        ("Serbia", 2010, 345),
        ("Soviet Union", None, 365),
        ("Soviet Union", 1970, 365),
        ("Russia", 2016, 365),
        ("Iran", None, 630),
        ("East Germany (GDR)", 1970, 265),
    ],
)
def test_cow_code_maps_names_to_cow_numbers_by_year(name, year, code):
    assert readers.cow_code(name, year) == code


@pytest.mark.parametrize("name", ["Atlantis", "NATO**", "Unknown recipient(s)", "Katanga"])
def test_cow_code_of_unknown_names_is_none(name):
    assert readers.cow_code(name) is None
    assert readers.cow_code(name, 1990) is None


@pytest.mark.parametrize(("flags", "shown"), [([], "1 (--verbose lists them"), (["-v"], "NATO**")])
def test_data_build_counts_unmatched_names_in_one_line_and_lists_them_when_verbose(
    data, target, flags, shown
):
    from typer.testing import CliRunner

    from alliances.cli import app

    args = ["data", "build", "--data-dir", str(data), "--store", str(target), "--only"]
    result = CliRunner().invoke(app, [*args, "sipri_tiv", *flags])
    assert result.exit_code == 0, result.output
    line = "unmatched names in sipri_tiv (kept, with no COW code): "
    assert f"{line}{shown}" in " ".join(result.stderr.split())
    assert ("NATO**" in result.stderr) == bool(flags)


@pytest.mark.parametrize(
    "name", ["Ukraine Rebels*", "Mujahedin (Afghanistan)*", "UNITA (Angola)*", "Northern Cyprus"]
)
def test_cow_code_gives_no_state_code_to_non_state_actors(name):
    assert readers.cow_code(name, 2014) is None


def test_sipri_names_are_mapped_and_unknown_ones_reported_not_dropped(data, target):
    report = build(data, target, only=["sipri_tiv"])
    assert report.unmatched == {"sipri_tiv": ["NATO**"]}
    frame = table(target, "sipri_tiv").sort_values(["year", "supplier"]).reset_index(drop=True)
    assert len(frame) == 4
    assert frame["year"].tolist() == [1970, 2010, 2016, 2017]
    assert frame["supplier_cown"].tolist() == [260, 2, 365, 365]
    nato = frame.loc[frame["recipient"] == "NATO**"]
    assert len(nato) == 1
    assert pd.isna(nato["recipient_cown"].iloc[0])
    assert nato["value"].iloc[0] == 25
    assert frame.loc[frame["year"] == 2017, "recipient_cown"].tolist() == [630]
    assert frame.loc[frame["year"] == 1970, "recipient_cown"].tolist() == [640]
    assert not any(c.endswith(("_lon", "_lat")) for c in frame.columns)


def test_sipri_codes_given_in_the_file_are_kept(tmp_path):
    path = write_sipri(tmp_path, ["Russia,Iran,2016,413,365,630"])
    loaded = readers.read(DATASETS["sipri_tiv"], [path])
    assert loaded.unmatched == []
    assert loaded.frame[["supplier_cown", "recipient_cown"]].iloc[0].tolist() == [365, 630]


def test_sipri_rows_of_non_state_recipients_get_no_state_code(tmp_path):
    path = write_sipri(
        tmp_path,
        [
            "Russia,Ukraine Rebels*,2014,24,365,369",
            "China,Viet Cong (South Vietnam)*,1965,9,710,817",
        ],
    )
    loaded = readers.read(DATASETS["sipri_tiv"], [path])
    assert loaded.frame["recipient_cown"].isna().all()
    assert loaded.unmatched == ["Ukraine Rebels*", "Viet Cong (South Vietnam)*"]
