"""The sweep folder as untrusted input: its manifest, its shards and its readers.

No Dask here: a small wedge sweep folder is written with pyarrow and the manifest's own
methods, as the runner writes it (the year in the folder name, not in the files).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError, ParameterError
from alliances.sweep import read
from alliances.sweep.manifest import MAX_BYTES, MAX_DEPTH, Manifest, parse
from alliances.sweep.runner import check_scheduler
from alliances.sweep.tasks import WEDGE_SCHEMA

runner = CliRunner()
YEARS = (2010, 2011)
PARTS = 2
ROWS = 3  # per shard: 12 triads in all
COMMAND = "alliances sweep wedge --years 2010:2011 --out DIR"


def _shard_table(year: int, part: int) -> pa.Table:
    base = 1000 + 100 * (year - YEARS[0]) + 10 * part
    rows: dict[str, list[Any]] = {name: [None] * ROWS for name in WEDGE_SCHEMA.names}
    rows |= {
        "year": [year] * ROWS,
        "divider": [2] * ROWS,
        "target": [base + i for i in range(ROWS)],
        "partner": [365] * ROWS,
        "divider_id": ["USA"] * ROWS,
        "status": ["ok"] * ROWS,
        "triad_seed": [base + i for i in range(ROWS)],
        "samples": [2000] * ROWS,
        "o_star_p50": [float(base + i) for i in range(ROWS)],
    }
    table = pa.Table.from_pydict(rows, schema=WEDGE_SCHEMA)
    return table.drop_columns(["year"])  # as the runner writes it: the year is the folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A finished wedge sweep of 2 years x 2 parts x 3 triads, with its manifest."""
    manifest = Manifest(tmp_path)
    manifest.begin("wedge", {"years": list(YEARS)}, {"atop": "0" * 64}, COMMAND)
    for year in YEARS:
        for part in range(PARTS):
            file = f"wedge/year={year}/part-{part}.parquet"
            path = tmp_path / file
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(_shard_table(year, part), path)
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            record = {"file": file, "rows": ROWS, "ok": ROWS, "sha256": sha}
            manifest.record("wedge", f"wedge-{year}-{part}", record)
    return tmp_path


def _edit(folder: Path, change: Any) -> Path:
    path = folder / "_manifest.json"
    data = json.loads(path.read_text())
    text = change(data)
    path.write_text(text if isinstance(text, str) else json.dumps(data))
    return path


def _shard(data: dict[str, Any], key: str = "wedge-2010-0") -> dict[str, Any]:
    record: dict[str, Any] = data["sweeps"]["wedge"]["shards"][key]
    return record


def _set(key: str, value: Any) -> Any:
    return lambda data: _shard(data).__setitem__(key, value)


SHARD = '$.sweeps.wedge.shards["wedge-2010-0"]'
HAND_EDITS = {
    "nested deeply": (lambda data: "[" * 100_000 + "]" * 100_000, "$: nested 100000 levels"),
    "a shard record that is a list": (
        lambda data: data["sweeps"]["wedge"]["shards"].__setitem__("wedge-2010-0", []),
        f"{SHARD}: expected an object, found an array",
    ),
    "file null": (_set("file", None), f"{SHARD}.file: Input should be a valid string"),
    "file 5": (_set("file", 5), f"{SHARD}.file: Input should be a valid string, found 5"),
    "a missing key": (
        lambda data: _shard(data).__delitem__("sha256"),
        f"{SHARD}.sha256: required",
    ),
    "a path escaping the folder": (
        _set("file", "../x.parquet"),
        f"{SHARD}.file: expected 'wedge/year=2010/part-0.parquet'",
    ),
    "an absolute path": (
        _set("file", "/etc/passwd"),
        f"{SHARD}.file: expected 'wedge/year=2010/part-0.parquet'",
    ),
    "another shard's file": (
        _set("file", "wedge/year=2011/part-1.parquet"),
        f"{SHARD}.file: expected 'wedge/year=2010/part-0.parquet'",
    ),
    "a key of no shard": (
        lambda data: data["sweeps"]["wedge"]["shards"].__setitem__(
            "wedge-x", data["sweeps"]["wedge"]["shards"].pop("wedge-2010-0")
        ),
        '$.sweeps.wedge.shards["wedge-x"]: expected a shard key wedge-YEAR-PART',
    ),
    "rows as text": (_set("rows", "3"), f"{SHARD}.rows: Input should be a valid integer"),
    "a sha256 of another form": (_set("sha256", "abc"), f"{SHARD}.sha256: String should match"),
    "an unknown kind": (
        lambda data: data["sweeps"].__setitem__("other", {}),
        "$.sweeps.other: Input should be 'wedge' or 'align'",
    ),
    "schema_version true": (
        lambda data: data.__setitem__("schema_version", True),
        "$.schema_version: expected 1, found true",
    ),
    "NaN": (lambda data: '{"schema_version": NaN}', "NaN is not a JSON number"),
    "an infinite number": (lambda data: '{"schema_version": 1e999}', "overflows to infinity"),
    "a duplicate key": (
        lambda data: '{"schema_version": 1, "schema_version": 1}',
        'the key "schema_version" appears twice',
    ),
    "an integer of 5,000 digits": (lambda data: "9" * 5000, "an integer of over 4,300 digits"),
}


@pytest.mark.parametrize("case", list(HAND_EDITS))
def test_a_manifest_edited_by_hand_is_exit_2_naming_file_place_and_expectation(folder, case):
    change, expected = HAND_EDITS[case]
    path = _edit(folder, change)
    result = runner.invoke(app, ["sweep", "show", str(folder)])
    assert result.exit_code == 2, result.output
    assert f"DataError: {path}: not a valid sweep manifest" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(DataError, match="not a valid sweep manifest"):
        read(folder)


def test_a_manifest_larger_than_the_limit_is_refused_before_it_is_read(folder):
    path = folder / "_manifest.json"
    with path.open("r+b") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is written
    result = runner.invoke(app, ["sweep", "show", str(folder)])
    assert result.exit_code == 2
    assert f"{path}: the file is {MAX_BYTES + 1:,} bytes" in result.stderr
    assert "at most 67,108,864 bytes" in result.stderr


def test_the_manifest_may_nest_as_deep_as_the_limit_and_no_deeper():
    deep = {"schema_version": 1, "sweeps": {}, "x": {}}
    text = json.dumps(deep).replace("{}}", "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}")
    with pytest.raises(DataError, match=r"\$\.x: unknown key"):
        parse(text, "m.json")  # at the limit: read, then refused by the schema
    deeper = text.replace("[", "[[", 1).replace("]", "]]", 1)
    with pytest.raises(DataError, match=f"nested {MAX_DEPTH + 1} levels deep"):
        parse(deeper, "m.json")


# --- the shards against their SHA-256 ----------------------------------------------------


def test_a_finished_folder_reads_back_every_triad_once(folder):
    frame = read(folder)
    assert len(frame) == len(YEARS) * PARTS * ROWS
    assert not frame.duplicated(["year", "target"]).any()
    assert list(frame.columns) == WEDGE_SCHEMA.names


def test_a_shard_swapped_for_another_is_refused_naming_it_and_the_command(folder):
    # before: the triads of wedge-2011-1 were listed twice (as 2010-0 with the year 2010)
    shutil.copyfile(
        folder / "wedge/year=2011/part-1.parquet", folder / "wedge/year=2010/part-0.parquet"
    )
    with pytest.raises(DataError) as caught:
        read(folder)
    message = str(caught.value)
    assert "wedge/year=2010/part-0.parquet: shard wedge-2010-0 is not the file" in message
    assert f"SHA-256 differs from the one in {folder / '_manifest.json'}" in message
    assert f"rerun the sweep command to recompute it: {COMMAND}" in message
    result = runner.invoke(app, ["sweep", "show", str(folder)])
    assert result.exit_code == 2
    assert "shard wedge-2010-0 is not the file" in result.stderr


def test_a_manifest_pointing_at_another_shards_file_and_hash_is_refused(folder):
    # before: the file and its hash both taken from another shard showed its triads twice
    def point(data: dict[str, Any]) -> None:
        shards = data["sweeps"]["wedge"]["shards"]
        shards["wedge-2010-0"] = dict(shards["wedge-2011-1"])

    _edit(folder, point)
    with pytest.raises(DataError, match="the shard's own file inside the folder"):
        read(folder)


def test_a_missing_shard_or_one_that_is_not_a_regular_file_is_refused(folder):
    (folder / "wedge/year=2011/part-0.parquet").unlink()
    with pytest.raises(DataError, match="shard wedge-2011-0: its file is missing; rerun"):
        read(folder)
    (folder / "wedge/year=2011/part-0.parquet").mkdir()
    with pytest.raises(DataError, match="shard wedge-2011-0: its file is a folder"):
        read(folder)


def test_rows_that_differ_from_the_manifest_are_refused(folder):
    _edit(folder, _set("rows", ROWS + 1))
    with pytest.raises(DataError, match=f"holds {ROWS} rows, the manifest .* lists {ROWS + 1}"):
        read(folder)


# --- other readers --------------------------------------------------------------------


def _leave_working_files(folder: Path) -> None:
    """What a killed sweep leaves: a temporary shard, and the manifest's temporary file."""
    (folder / "wedge/year=2011/.part-1.parquet.x1y2.tmp").write_bytes(b"PAR1 half")
    (folder / "._manifest.json.a1b2.tmp").write_text("{")


def test_pandas_reads_the_sweep_folder_with_its_manifest_and_working_files(folder):
    _leave_working_files(folder)
    frame = pd.read_parquet(folder / "wedge")
    assert len(frame) == len(YEARS) * PARTS * ROWS
    assert sorted(frame["year"].astype(int).unique()) == list(YEARS)
    pd.testing.assert_series_equal(
        frame.sort_values("target")["o_star_p50"].reset_index(drop=True),
        read(folder).sort_values("target")["o_star_p50"].reset_index(drop=True),
    )


def test_pyarrow_dataset_reads_the_sweep_folder_with_hive_partitioning(folder):
    _leave_working_files(folder)
    table = ds.dataset(folder / "wedge", partitioning="hive").to_table()
    assert table.num_rows == len(YEARS) * PARTS * ROWS
    assert table.schema.names.count("year") == 1
    assert sorted(set(table["year"].to_pylist())) == list(YEARS)


def test_duckdb_reads_the_sweep_folder_with_hive_partitioning(folder):
    _leave_working_files(folder)
    pattern = str(folder / "wedge/*/*.parquet").replace("'", "''")
    rows = duckdb.sql(
        f"SELECT year, count(*) FROM read_parquet('{pattern}', hive_partitioning = true) "
        "GROUP BY year ORDER BY year"
    ).fetchall()
    assert rows == [(year, PARTS * ROWS) for year in YEARS]


# --- the scheduler's address ----------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("notaurl", "no HOST:PORT"),
        ("tcp://", "no HOST:PORT"),
        ("tcp://host:99999", "Port out of range"),
        ("tcp://host:port", "Port could not be cast"),
        ("ftp://host:8786", "the scheme 'ftp' is not tcp or tls"),
    ],
)
def test_a_scheduler_address_of_another_form_is_refused_with_the_forms_accepted(address, expected):
    with pytest.raises(ParameterError) as caught:
        check_scheduler(address)
    assert expected in str(caught.value)
    assert "tcp://HOST:PORT (or HOST:PORT), or tls://HOST:PORT" in str(caught.value)


@pytest.mark.slow  # imports distributed: about a second
def test_a_tls_scheduler_without_security_settings_says_how_to_give_them(monkeypatch):
    for name in ("CA_FILE", "CLIENT__CERT", "CLIENT__KEY"):
        monkeypatch.delenv(f"DASK_DISTRIBUTED__COMM__TLS__{name}", raising=False)
    with pytest.raises(ParameterError) as caught:
        check_scheduler("tls://127.0.0.1:8786")
    message = str(caught.value)
    assert "no TLS settings" in message
    assert "distributed.comm.tls.ca-file" in message
    assert "DASK_DISTRIBUTED__COMM__TLS__CA_FILE" in message


@pytest.mark.parametrize(
    "address", ["notaurl", pytest.param("tls://127.0.0.1:8786", marks=pytest.mark.slow)]
)
def test_sweep_with_a_bad_scheduler_is_exit_2_before_any_work(tmp_path, address):
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["sweep", "wedge", "--years", "2010:2011", "--out", str(out), "--scheduler", address,
         "--store", str(tmp_path / "no-store.duckdb")],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"ParameterError: --scheduler {address!r}"[:30])
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_well_formed_scheduler_addresses_are_kept():
    assert check_scheduler("tcp://10.0.0.1:8786") == "tcp://10.0.0.1:8786"
    assert check_scheduler(" host:8786 ") == "host:8786"
    assert check_scheduler("tcp://[::1]:8786") == "tcp://[::1]:8786"


# --- any JSON at all ----------------------------------------------------------------------


def _parsed_or_refused(text: str) -> dict[str, Any] | DataError:
    """The manifest's sweeps, or the DataError it raised (anything else propagates)."""
    try:
        return parse(text, "m.json")
    except DataError as error:
        return error


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@pytest.mark.slow  # fuzzing
@settings(max_examples=100, deadline=None, derandomize=True)
@given(value=_JSON)
def test_any_json_document_is_a_manifest_or_a_data_error(value):
    outcome = _parsed_or_refused(json.dumps(value))
    assert isinstance(outcome, dict) or str(outcome).startswith("m.json: ")


@pytest.mark.slow  # fuzzing
@settings(
    max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=st.text(alphabet=st.sampled_from('{}[]":,0123456789.eE-+ \\natrufls'), max_size=200))
def test_any_text_is_a_manifest_or_a_data_error(text):
    outcome = _parsed_or_refused(text)
    assert isinstance(outcome, dict) or str(outcome).startswith("m.json: ")


def _valid() -> dict[str, Any]:
    record = {"file": "wedge/year=2010/part-0.parquet", "rows": 3, "ok": 3, "sha256": "0" * 64}
    entry = {"command": COMMAND, "version": "1", "params": {"years": [2010, 2010]}, "data": {}}
    return {
        "schema_version": 1,
        "sweeps": {"wedge": {**entry, "shards": {"wedge-2010-0": record}}},
    }


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    inner = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    return [path, *(p for key, child in inner for p in _paths(child, (*path, key)))]


@pytest.mark.slow  # fuzzing
@settings(max_examples=100, deadline=None, derandomize=True)
@given(data=st.data())
def test_a_valid_manifest_with_any_value_replaced_is_read_or_a_data_error(data):
    manifest = _valid()
    where = data.draw(st.sampled_from(_paths(manifest)[1:]))
    node = manifest
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = data.draw(_JSON)
    outcome = _parsed_or_refused(json.dumps(manifest))
    if isinstance(outcome, DataError):
        assert str(outcome).startswith("m.json: not a valid sweep manifest")
    else:
        assert set(outcome) <= {"wedge", "align"}


def test_the_manifest_names_a_shards_file_as_the_plan_does():
    from alliances.sweep.manifest import shard_file
    from alliances.sweep.plan import Shard

    assert shard_file("align", 1816, 12) == Shard("align", 1816, 12).file


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (
            {"years": (2011, 2010)},
            "years=(2011, 2010): the first year should be at most the last (2010, 2011)",
        ),
        ({"years": "2010:2011"}, "years='2010:2011': expected (first, last)"),
        ({"pairs": (("RUS", "IRN"),)}, "expected 'atop' or (target, partner) COW codes"),
        ({"samples": 0}, "samples=0: expected a whole number, 2 or more"),
        ({"sobol": 100}, "sobol=100: expected 0 or a power of 2"),
    ],
)
def test_a_sweep_spec_is_checked_when_made_not_in_a_worker(arguments, said):
    from alliances.errors import ParameterError
    from alliances.sweep.plan import WedgeSweep

    with pytest.raises(ParameterError, match=re.escape(said)):
        WedgeSweep(**{"years": (2010, 2011), **arguments})


def test_a_sweep_spec_reads_numpy_codes_as_the_integers_they_are():
    import numpy as np

    from alliances.sweep.plan import WedgeSweep

    spec = WedgeSweep(years=(np.int64(2010), 2011.0), pairs=np.array([[365, 630]]))
    assert spec.years == (2010, 2011)
    assert spec.pairs == ((365, 630),)
    assert json.dumps(spec.params())  # the manifest can write it
