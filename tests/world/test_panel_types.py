"""Every panel column has its documented dtype, whatever the backend, and pandas works
on it; the output formats keep the rows, the types, the labels and the cite keys.

The store joins the hand-made tables of ``test_world_panel`` (the core covariates) and
of ``test_panel_builders`` (the newer ones), so that every covariate has a source.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest
from test_panel_builders import tables as builder_tables
from test_panel_builders import with_gw, write_store
from test_world_panel import tables as core_tables
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError
from alliances.studies.portfolio_panel import with_portfolio_similarity
from alliances.world.columns import COLUMNS, column
from alliances.world.panel import DYAD_COVARIATES, STATE_COVARIATES, dyad_years, state_years
from alliances.world.registry import DATASETS
from alliances.world.store import connect
from conftest import ROOT

EXPECTED = {
    "pyarrow": {
        "Int8": "int8[pyarrow]",
        "Int16": "int16[pyarrow]",
        "Int32": "int32[pyarrow]",
        "Float64": "double[pyarrow]",
        "string": "string[pyarrow]",
    },
    "numpy": {
        "Int8": "Int8",
        "Int16": "Int16",
        "Int32": "Int32",
        "Float64": "float64",
        "string": "string",
    },
    "numpy_nullable": {
        "Int8": "Int8",
        "Int16": "Int16",
        "Int32": "Int32",
        "Float64": "Float64",
        "string": "string",
    },
}


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
    return write_store(tmp_path_factory.mktemp("types") / "world.duckdb", frames)


@pytest.fixture(scope="module")
def con(store):
    connection = connect(store)
    yield connection
    connection.close()


def full_dyads(con, years=(1816, 2024)):
    names = [n for n in DYAD_COVARIATES if n != "peace_years:gml"]
    panel = dyad_years(con, years=years).with_(*names)
    return panel.with_peace_years(source="gml", cubic=True, event="onset").pipe(
        with_portfolio_similarity
    )


def full_states(con):
    return state_years(con, years=(1816, 2024)).with_(*STATE_COVARIATES)


@pytest.fixture(scope="module")
def dyad_panel(con):
    return full_dyads(con)


@pytest.fixture(scope="module")
def frames(con, dyad_panel):
    """The full dyad-year and state-year frames of each backend, built once."""
    states = full_states(con)
    return {b: (dyad_panel.to_pandas(b), states.to_pandas(b)) for b in EXPECTED}


def test_every_column_of_every_covariate_is_documented(con, dyad_panel):
    columns = [*dyad_panel.columns(), *full_states(con).columns()]
    assert [c for c in columns if column(c) is None] == []
    assert all(len(column(c).label) <= 80 for c in columns)  # Stata's limit


@pytest.mark.parametrize("backend", list(EXPECTED))
def test_each_column_has_the_documented_dtype(frames, backend):
    for frame in frames[backend]:
        found = {c: str(frame[c].dtype) for c in frame.columns}
        wanted = {c: EXPECTED[backend][column(c).dtype] for c in frame.columns}
        assert found == wanted


@pytest.mark.parametrize("backend", list(EXPECTED))
def test_mean_arithmetic_and_numpy_ufuncs_work_on_every_numeric_column(frames, backend):
    frame = frames[backend][0]
    numeric = [c for c in frame.columns if column(c).dtype != "string"]
    for name in numeric:
        s = frame[name]
        values = s.to_numpy(dtype="float64", na_value=np.nan)
        if np.isnan(values).all():
            continue
        assert float(s.mean()) == pytest.approx(np.nanmean(values)), name
        assert np.allclose(
            (s / 2).to_numpy(dtype="float64", na_value=np.nan), values / 2, equal_nan=True
        )
        # NumPy's promotion: a ufunc of int8 is computed in float16 (1e-3), as for arrays
        logged = np.log1p(s.abs())
        assert np.allclose(
            logged.to_numpy(dtype="float64", na_value=np.nan),
            np.log1p(np.abs(values)),
            rtol=1e-3,
            equal_nan=True,
        ), name


def test_arms_transfers_are_floats_with_a_true_mean(con):
    # SUM of integer TIV values is a DuckDB HUGEINT, which Arrow gives as decimal128
    frame = dyad_years(con, years=(2010, 2014)).with_arms().to_pandas()
    assert str(frame["arms_exports_tiv"].dtype) == "double[pyarrow]"
    values = frame["arms_exports_tiv"].to_numpy(dtype="float64", na_value=np.nan)
    assert frame["arms_exports_tiv"].mean() == pytest.approx(values.mean())
    assert values.sum() / len(values) == pytest.approx(37 / 12)  # 35 + 2 TIV, 12 dyad-years


def test_attrs_carry_each_dataset_and_its_cite_keys(con):
    frame = dyad_years(con, years=(2010, 2010)).with_("majors", "ucdp").to_pandas()
    assert frame.attrs["datasets"] == ["cow_ddy", "cow_majors", "ucdp_acd", "gw_cw_panel"]
    assert frame.attrs["cite_keys"] == {
        name: list(DATASETS[name].cite) for name in frame.attrs["datasets"]
    }


# --- output files --------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(con, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    panel = full_dyads(con, years=(1990, 2014))
    paths = {ext: panel.to_file(folder / f"panel{ext}") for ext in (".parquet", ".csv")}
    paths.update({ext: panel.to_file(folder / f"panel{ext}") for ext in (".dta", ".feather")})
    return panel, paths, folder


def test_parquet_and_feather_keep_the_dtypes_and_carry_the_cite_keys(written):
    panel, paths, _ = written
    expected = panel.to_pandas()
    for table in (pq.read_table(paths[".parquet"]), feather.read_table(paths[".feather"])):
        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        pd.testing.assert_frame_equal(frame, expected, check_like=False)
        metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
        assert json.loads(metadata["alliances.datasets"]) == panel.dataset_keys()
        assert json.loads(metadata["alliances.cite_keys"]) == panel.cite_keys


def test_stata_file_has_the_rows_and_the_labels_of_the_column_table(written):
    panel, paths, _ = written
    expected = panel.to_pandas(dtype_backend="numpy")
    with pd.io.stata.StataReader(paths[".dta"]) as reader:
        labels = reader.variable_labels()
        frame = reader.read()
    assert labels == {c: column(c).label for c in expected.columns}
    assert list(frame.columns) == list(expected.columns)
    for name in expected.columns:
        if column(name).dtype == "string":
            assert frame[name].tolist() == expected[name].fillna("").tolist()
        else:
            want = expected[name].to_numpy(dtype="float64", na_value=np.nan)
            assert np.allclose(frame[name].to_numpy(dtype="float64"), want, equal_nan=True)


def test_csv_has_the_rows_of_to_pandas(written):
    panel, paths, _ = written
    expected = panel.to_pandas(dtype_backend="numpy")
    frame = pd.read_csv(paths[".csv"])
    assert len(frame) == len(expected)
    assert np.allclose(frame["capdist"], expected["capdist"], equal_nan=True)


def test_writes_leave_no_temporary_file_and_refuse_unknown_extensions(written):
    panel, _, folder = written
    assert sorted(os.listdir(folder)) == sorted(
        ["panel.parquet", "panel.csv", "panel.dta", "panel.feather"]
    )
    with pytest.raises(DataError, match=r"panel\.sav: expected a file name ending in"):
        panel.to_file(folder / "panel.sav")
    assert not (folder / "panel.sav").exists()


# --- the README's covariate table ----------------------------------------------------


def readme_rows(state: bool) -> dict[str, str]:
    """The rows of the README's dyad-year (or state-year) covariate table, by name."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    text = text.split("\n## World data:", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_:]+)`( \(state-year\))? \|(.*)$", text, flags=re.M)
    return {name: row for name, marker, row in rows if bool(marker) == state}


def test_readme_covariate_tables_list_every_column_with_its_dtype(con):
    checks = [(False, n, dyad_years(con).with_(n).columns()[3:]) for n in DYAD_COVARIATES]
    checks += [
        (False, "portfolio_similarity", [c for c in COLUMNS if c.startswith("portfolio_")]),
        (False, "peace_years", ["cowmidspell2", "cowmidspell3"]),
    ]
    checks += [(True, n, state_years(con).with_(n).columns()[2:]) for n in STATE_COVARIATES]
    for state, name, columns in checks:
        rows = readme_rows(state)
        assert name in rows, name
        row = rows[name]
        for c in columns:
            stem = c if c in COLUMNS else re.sub(r"_?[12]$", "", c)
            sides = re.search(rf"`{re.escape(stem)}_?1/2`", row)
            assert f"`{c}`" in row or sides, (name, c)
            assert column(c).dtype in row, (name, c)


# --- command line --------------------------------------------------------------------

runner = CliRunner()


def test_cli_panel_builds_every_new_covariate_with_prd_to_stata(store, tmp_path):
    out = tmp_path / "prd.dta"
    names = "majors,peace_years,mids:gml,capital_distance,ucdp,territorial_threat"
    names += ",portfolio_similarity,names"
    result = runner.invoke(
        app,
        ["panel", "--store", str(store), "--with", names, "--prd", "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    with connect(store) as connection:
        expected = dyad_years(connection).filter_prd().count()
    assert report["rows"] == expected == len(pd.read_stata(out))
    assert report["prd"] is True
    assert "gml_mid_ddydisps" in report["datasets"]
    assert report["datasets"]["ucdp_acd"] == list(DATASETS["ucdp_acd"].cite)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "OUT/p.xlsx"], "expected a file name ending in .parquet"),
        (["--out", "OUT/p.csv", "--prd", "--unit", "state-year"], "--prd"),
        (["--out", "OUT/p.csv", "--with", "portfolio_similarity", "--unit", "state-year"], "ucdp"),
        (["--out", "OUT/p.csv", "--with", "mids:cow"], "mids:gml"),
        (["--out", "OUT/p.csv", "--prd", "--years", "2019:2023"], "major powers, 1816–2016"),
    ],
)
def test_cli_panel_bad_options_exit_2_and_say_what_is_expected(store, tmp_path, args, message):
    args = [a.replace("OUT", str(tmp_path)) for a in args]
    result = runner.invoke(app, ["panel", "--store", str(store), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert os.listdir(tmp_path) == []
