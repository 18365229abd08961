"""The arguments of the world layer's entry points: what a pandas user can pass by
mistake (a string of years, a truthy string for a flag, no threads, a closed
connection) is an alliances error that names the argument and shows what was given."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from alliances.errors import DataError, ParameterError
from alliances.world import connect, dyad_years, member_years, state_years

DYADS = pd.DataFrame(
    [(a, b, y) for y in (2000, 2001) for a in (2, 365) for b in (2, 365) if a != b],
    columns=["ccode1", "ccode2", "year"],
)
MEMBERS = pd.DataFrame(
    [(1, 2, 1990, 2010, 1, 1, None)],
    columns=["atopid", "member", "yrent", "yrexit", "phase", "termmode", "termcaus"],
)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("arguments") / "world.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE cow_ddy AS SELECT * FROM DYADS")
    con.execute("CREATE TABLE atop_members_v4 AS SELECT * FROM MEMBERS")
    con.close()
    return path


@pytest.fixture
def con(store):
    connection = connect(store)
    yield connection
    connection.close()


BUILDERS = [dyad_years, state_years, member_years]


# --- years ---------------------------------------------------------------------------


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize(
    ("years", "shown"),
    [
        ("1990:2000", "years='1990:2000'"),
        ((1990, 1995, 2000), "years=(1990, 1995, 2000)"),
        ((2000,), "years=(2000,)"),
        ((2000.5, 2001), "years=(2000.5, 2001)"),
        (2000, "years=2000"),
        ((math.nan, 2001), "years=(nan, 2001)"),
        ((2000, math.inf), "years=(2000, inf)"),
        ((True, 2001), "years=(True, 2001)"),
        (None, "years=None"),
    ],
)
def test_years_that_are_not_a_pair_of_whole_years_are_refused_naming_them(
    con, build, years, shown
):
    with pytest.raises(ParameterError) as raised:
        build(con, years=years)
    message = str(raised.value)
    assert message.startswith(f"{shown}: expected (first, last), two whole years")
    assert "such as (1990, 2000)" in message


@pytest.mark.parametrize(
    "years",
    [
        (2000, 2001),
        [2000, 2001],
        (np.int64(2000), np.int32(2001)),
        (2000.0, np.float64(2001.0)),
        np.array([2000, 2001]),
        ("2000", "2001"),
    ],
)
def test_years_accept_python_and_numpy_whole_numbers(con, years):
    for build in BUILDERS:
        panel = build(con, years=years)
        assert panel.years == (2000, 2001)
        assert all(type(year) is int for year in panel.years)
    assert dyad_years(con, years=years).count() == len(DYADS)


def test_reversed_years_stay_refused_after_the_shape_check(con):
    with pytest.raises(ParameterError, match=r"^years=\(2001, 2000\): the first year should"):
        state_years(con, years=(2001.0, np.int64(2000)))


# --- flags ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["no", 0, 1, None, "False"])
def test_directed_refuses_anything_but_a_bool(con, value):
    with pytest.raises(ParameterError, match=rf"^directed={value!r}: expected True or False$"):
        dyad_years(con, years=(2000, 2001), directed=value)


def test_directed_takes_python_and_numpy_bools(con):
    assert dyad_years(con, years=(2000, 2001), directed=np.bool_(False)).count() == 2
    assert dyad_years(con, years=(2000, 2001), directed=np.bool_(True)).count() == 4
    assert dyad_years(con, years=(2000, 2001), directed=False).directed is False


@pytest.mark.parametrize("flag", ["ongoing_as_missing", "cubic"])
def test_peace_year_flags_refuse_anything_but_a_bool(con, flag):
    panel = dyad_years(con, years=(2000, 2001))
    with pytest.raises(ParameterError, match=rf"^{flag}='yes': expected True or False$"):
        panel.with_peace_years(**{flag: "yes"})


# --- connections ---------------------------------------------------------------------


@pytest.mark.parametrize("threads", [0, -2, 1.5, "2", True, 2**64])
def test_connect_refuses_threads_that_are_not_a_whole_number_from_one(store, threads):
    with pytest.raises(ParameterError, match=rf"^threads={threads!r}: expected a whole number"):
        connect(store, threads=threads)


def test_connect_takes_python_and_numpy_thread_counts(store):
    for threads in (1, np.int64(2), 2.0):
        con = connect(store, threads=threads)
        try:
            assert con.execute("SELECT current_setting('threads')").fetchone() == (threads,)
        finally:
            con.close()


@pytest.mark.parametrize("build", BUILDERS)
def test_a_closed_connection_is_a_data_error_saying_how_to_open_one(store, build):
    con = connect(store)
    con.close()
    closed = "the store connection is closed; open one with alliances.world.connect()"
    with pytest.raises(DataError) as raised:
        build(con, years=(2000, 2001))
    assert str(raised.value) == closed
