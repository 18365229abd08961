import itertools
import json
import math
import os
import re
import threading
import time

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from typer.testing import CliRunner

from alliances.analysis import balance
from alliances.analysis.balance import (
    SignedGraph,
    enumerate_partitions,
    frustration,
    frustration_index,
    limits,
    local_search,
    programme,
)
from alliances.cli import app
from alliances.errors import DataError, ParameterError
from alliances.world import edges as edge_files


def edges(*triples, weights=None):
    frame = pd.DataFrame(triples, columns=["source", "target", "sign"])
    if weights is not None:
        frame["weight"] = weights
    return frame


def brute_force(graph):
    return min(
        frustration(graph, np.array(bits)) for bits in itertools.product([0, 1], repeat=graph.n)
    )


def random_graph(rng, n, density=0.5, weighted=False):
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < density]
    if not pairs:
        pairs = [(0, 1)]
    frame = pd.DataFrame(pairs, columns=["source", "target"])
    frame["sign"] = rng.choice([-1, 1], len(frame))
    frame["weight"] = rng.integers(1, 6, len(frame)).astype(float)
    return SignedGraph.from_edges(frame, weighted=weighted)


def test_balanced_graph_has_zero_frustration_and_its_two_blocs():
    # two friends against two friends: balanced
    result = frustration_index(edges(("a", "b", 1), ("c", "d", 1), ("a", "c", -1), ("b", "d", -1)))
    assert result.frustration_index == 0
    assert result.partition["a"] == result.partition["b"] != result.partition["c"]


def test_all_negative_triangle_frustrates_one_edge():
    result = frustration_index(edges(("a", "b", -1), ("b", "c", -1), ("a", "c", -1)))
    assert result.frustration_index == 1
    assert result.optimal


def test_weights_count_only_when_asked():
    graph = edges(("a", "b", 1), ("b", "c", 1), ("a", "c", -1), weights=[5.0, 5.0, 2.0])
    assert frustration_index(graph).frustration_index == 1
    assert frustration_index(graph, weighted=True).frustration_index == 2


@pytest.mark.data
def test_read_highland_tribes_frustration_is_seven():
    """Read's (1954) Gahuku-Gama tribes: 7, as printed in signnet's paper."""
    from conftest import SHARED

    path = SHARED / "data" / "signnet" / "tribes_edges.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    frame = pd.read_csv(path)
    for method in ("enumerate", "milp"):
        result = frustration_index(frame, method=method)
        assert (result.frustration_index, result.optimal) == (7, True)


@pytest.mark.parametrize("seed", range(12))
def test_enumeration_and_integer_programme_agree_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, int(rng.integers(3, 11)), weighted=bool(seed % 2))
    exact = brute_force(graph)
    by_enumeration = frustration_index(graph, method="enumerate")
    by_milp = frustration_index(graph, method="milp")
    assert by_enumeration.frustration_index == pytest.approx(exact)
    assert by_milp.frustration_index == pytest.approx(exact)
    assert by_milp.optimal
    assert by_milp.gap == 0
    assert frustration(graph, np.array(list(by_milp.partition.values()))) == pytest.approx(exact)


@pytest.mark.parametrize("seed", range(5))
def test_heuristic_is_an_upper_bound(seed):
    graph = random_graph(np.random.default_rng(100 + seed), 12, density=0.6)
    value, x = local_search(graph)
    assert value >= brute_force(graph) - 1e-9
    assert value == pytest.approx(frustration(graph, x))


def test_local_minima_are_partitions_no_single_move_improves():
    graph = random_graph(np.random.default_rng(7), 8, density=0.7, weighted=True)
    b, constant = graph.coupling()
    costs, local = enumerate_partitions(b, constant)
    n = graph.n
    for k in np.flatnonzero(local):
        x = np.array([(k >> t) & 1 for t in range(n - 1)] + [0])
        here = frustration(graph, x)
        assert here == pytest.approx(costs[k])
        for t in range(n):
            moved = x.copy()
            moved[t] = 1 - moved[t]
            assert frustration(graph, moved) >= here - 1e-9
    result = frustration_index(graph, method="enumerate", local_minima=True)
    assert len(result.local_minima) == int(local.sum())
    assert result.local_minima[0][0] == pytest.approx(result.frustration_index)


def test_never_optimal_without_a_zero_gap():
    graph = random_graph(np.random.default_rng(3), 60, density=0.3)
    # No time at all: the programme is not started, and the result says so.
    with pytest.warns(RuntimeWarning, match="integer programme was not run"):
        result = frustration_index(graph, method="milp", time_limit=0.0)
    assert result.optimal == (result.gap == 0)
    assert result.lower_bound <= result.frustration_index
    heuristic = frustration_index(graph, method="heuristic")
    assert not heuristic.optimal


def test_bad_edges_are_rejected_with_what_was_expected():
    with pytest.raises(ValueError, match="signs should be 1 or -1"):
        SignedGraph.from_edges(edges(("a", "b", 2)))
    with pytest.raises(ValueError, match="lack the column"):
        SignedGraph.from_edges(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    with pytest.raises(ValueError, match="weighted=True needs a 'weight' column"):
        SignedGraph.from_edges(edges(("a", "b", 1)), weighted=True)


def test_cli_balance_json_has_the_contract_keys(tmp_path):
    path = tmp_path / "edges.csv"
    edges(("a", "b", -1), ("b", "c", -1), ("a", "c", -1)).to_csv(path, index=False)
    result = CliRunner().invoke(app, ["balance", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("frustration_index", "optimal", "gap", "seconds", "partition"):
        assert key in data
    assert data["frustration_index"] == 1
    bad = CliRunner().invoke(app, ["balance", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 2
    assert "missing.csv" in bad.output


# --------------------------------------------------------------- reading edge files
# New behaviour is reached through the module (edge_files.read_edges, ...), so that each
# test fails on its own against code without it.


def write(tmp_path, text, name="edges.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def hard_graph(n=80, density=0.5, seed=1):
    """A random signed graph HiGHS cannot prove within a few seconds."""
    rng = np.random.default_rng(seed)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < density]
    frame = pd.DataFrame(pairs, columns=["source", "target"])
    frame["sign"] = rng.choice([-1, 1], len(frame))
    return SignedGraph.from_edges(frame)


def test_node_names_are_strings_1_1_0_and_01_are_three_nodes(tmp_path):
    path = write(tmp_path, "source,target,sign\n1,01,1\n01,1.0,-1\n1.0,1,1\n")
    graph = edge_files.read_edges(path)
    assert graph.nodes == ("1", "01", "1.0")
    assert len(graph.i) == 3
    result = frustration_index(graph)
    assert set(result.partition) == {"1", "01", "1.0"}
    assert result.frustration_index == 1  # a triangle with one negative edge


def test_from_edges_keeps_names_as_given():
    frame = pd.DataFrame({"source": ["1", "01"], "target": ["1.0", "1"], "sign": [1, -1]})
    assert SignedGraph.from_edges(frame).nodes == ("1", "01", "1.0")
    mixed = pd.DataFrame({"source": [1, "1"], "target": [("a", 2), "x"], "sign": [1, 1]})
    assert SignedGraph.from_edges(mixed).nodes == (1, "1", ("a", 2), "x")
    with pytest.raises(ParameterError, match="no target name"):
        SignedGraph.from_edges(pd.DataFrame({"source": ["a"], "target": [None], "sign": [1]}))
    with pytest.raises(ParameterError, match="positive finite"):
        SignedGraph.from_edges(edges(("a", "b", 1), weights=[math.inf]), weighted=True)


def test_read_edges_matches_from_edges_on_the_same_text(tmp_path):
    rng = np.random.default_rng(4)
    graph = random_graph(rng, 12, density=0.5, weighted=True)
    frame = pd.DataFrame(
        {
            "source": [f"n{graph.nodes[k]}" for k in graph.i],
            "target": [f"0{graph.nodes[k]}" for k in graph.j],
            "sign": graph.sign,
            "weight": graph.weight,
        }
    )
    path = tmp_path / "edges.csv"
    frame.to_csv(path, index=False)
    for weighted in (False, True):
        read = edge_files.read_edges(path, weighted=weighted)
        built = SignedGraph.from_edges(
            pd.read_csv(path, dtype=str, keep_default_na=False), weighted=weighted
        )
        assert read.nodes == built.nodes
        for name in ("i", "j", "sign", "weight"):
            np.testing.assert_array_equal(getattr(read, name), getattr(built, name))


def test_bom_crlf_quotes_blank_lines_and_extra_columns_are_read(tmp_path):
    text = (
        '\ufeffWindow, Source ,Target,SIGN\r\n46-49,"a, the first",b,+1\r\n\r\n'
        "46-49, b ,c,-1.0\r\n,,,\r\n"
    )
    graph = edge_files.read_edges(write(tmp_path, text))
    assert graph.nodes == ("a, the first", "b", "c")
    assert sorted(graph.sign.tolist()) == [-1, 1]


def test_empty_cell_is_an_error_with_line(tmp_path):
    path = write(tmp_path, "source,target,sign\na,b,1\nb,,-1\n")
    with pytest.raises(DataError, match=r"edges\.csv, line 3, column 'target'.*empty cell"):
        edge_files.read_edges(path)
    path = write(tmp_path, "source,target,sign\na,b,1\n\nb,c,\n")
    with pytest.raises(DataError, match=r"line 4, column 'sign'.*empty cell"):
        edge_files.read_edges(path)


@pytest.mark.parametrize(
    ("rows", "weighted", "where", "what"),
    [
        ("a,b,2", False, "line 2, column 'sign'", "expected 1 or -1.*got '2'"),
        ("a,b,0", False, "line 2, column 'sign'", "got '0'"),
        ("a,b,nan", False, "line 2, column 'sign'", "got 'nan'"),
        ("a,b,positive", False, "line 2, column 'sign'", "got 'positive'"),
        ("a,b,1,nan", True, "line 2, column 'weight'", "positive finite number.*'nan'"),
        ("a,b,1,inf", True, "line 2, column 'weight'", "positive finite number.*'inf'"),
        ("a,b,1,1e999", True, "line 2, column 'weight'", "positive finite number.*'1e999'"),
        ("a,b,1,-2", True, "line 2, column 'weight'", "carries the sign.*'-2'"),
        ("a,b,1,0", True, "line 2, column 'weight'", "weight 0.*'0'"),
        ("a,b,1,", True, "line 2, column 'weight'", "empty cell"),
        ("a,b", False, "line 2, column 'sign'", "got nothing"),
        ("a,b,1,x", False, "line 2", "expected 3 cells as in the header, got 4"),
        ("a,a,1", False, "line 2, column 'target'", "self-loop"),
        ("a,b,1\nc,d,1\nb,a,1", False, "line 4", "already on line 2.*undirected"),
        ("a,b,1\nb,a,-1", False, "line 3", "already on line 2 and the two disagree"),
        ('a,"b,1', False, "line 2", "not a well-formed CSV row"),
    ],
)
def test_bad_cells_name_the_file_line_and_column(tmp_path, rows, weighted, where, what):
    header = "source,target,sign,weight" if weighted else "source,target,sign"
    path = write(tmp_path, f"{header}\n{rows}\n")
    with pytest.raises(DataError, match=rf"^{re.escape(str(path))}, {where}.*{what}"):
        edge_files.read_edges(path, weighted=weighted)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("\n  \n", "is empty"),
        ("source,target,sign\n", "has a header but no edges"),
        ("a,b,1\nb,c,-1\n", "line 1: expected a header.*first line must be the header"),
        ("source,target\na,b\n", "line 1: expected a header naming the columns"),
        ("source,target,sign,sign\na,b,1,1\n", "names the column 'sign' twice"),
        ("source,target,sign\nM\xfcnchen,b,1\n".encode("latin-1"), "line 2: expected UTF-8"),
        ("source,target,sign\n".encode("utf-16"), "UTF-16"),
        (b"source,target,sign\na\x00,b,1\n", "line 2: expected text, got a NUL"),
    ],
)
def test_unusable_files_are_data_errors_naming_the_file(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(DataError, match=rf"^{re.escape(str(path))}.*{message}"):
        edge_files.read_edges(path)


def test_weighted_needs_a_weight_column(tmp_path):
    path = write(tmp_path, "source,target,sign\na,b,1\n")
    with pytest.raises(DataError, match="weight"):
        edge_files.read_edges(path, weighted=True)
    assert edge_files.read_edges(path).weight.tolist() == [1.0]


def test_missing_files_folders_and_pipes_are_data_errors_without_blocking(tmp_path):
    with pytest.raises(DataError, match=r"missing\.csv: no such file"):
        edge_files.read_edges(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="is a folder"):
        edge_files.read_edges(tmp_path)
    if not hasattr(os, "mkfifo"):
        return
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            edge_files.read_edges(fifo)
        except DataError as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # unblock the thread before failing
        with open(fifo, "w"):
            pass
        pytest.fail("reading a pipe blocked")
    assert outcome
    assert "not a regular file" in outcome[0]


# ------------------------------------------------------------------ time and memory


def test_coupling_is_sparse():
    graph = random_graph(np.random.default_rng(2), 30, density=0.2)
    b, _ = graph.coupling()
    assert sparse.issparse(b)
    assert b.nnz == 2 * len(graph.i)


def test_enumerate_past_limit_is_a_parameter_error():
    n = balance.ENUMERATION_LIMIT + 1
    frame = pd.DataFrame({"source": range(n - 1), "target": range(1, n), "sign": 1})
    with pytest.raises(ParameterError, match=rf"at most {n - 1} nodes.*n={n}.*milp.*auto"):
        frustration_index(frame, method="enumerate")
    with pytest.raises(ParameterError, match=f"n={n}"):
        enumerate_partitions(np.zeros((n, n)))


def test_bad_method_or_time_limit_is_a_parameter_error():
    graph = edges(("a", "b", -1))
    with pytest.raises(ParameterError, match="method='fast'"):
        frustration_index(graph, method="fast")
    for limit in (-1, math.nan):
        with pytest.raises(ParameterError, match=r"time_limit=.* ≥ 0"):
            frustration_index(graph, time_limit=limit)


@pytest.mark.slow
def test_default_time_limit_reports_best_with_gap(monkeypatch):
    assert balance.DEFAULT_TIME_LIMIT == 60
    # The default is read at each call, so a short one can stand in for it.
    monkeypatch.setattr(limits, "DEFAULT_TIME_LIMIT", 2.0)
    graph = hard_graph()
    result = frustration_index(graph, method="milp")  # no time_limit given
    assert result.time_limit == 2.0
    assert not result.optimal
    assert 0 < result.gap <= 1
    assert 0 <= result.lower_bound < result.frustration_index
    assert result.frustration_index == pytest.approx(
        frustration(graph, np.array(list(result.partition.values())))
    )
    assert result.warnings == []  # a time-out is reported by optimal and gap, not warned


@pytest.mark.slow
def test_time_limit_covers_setup(monkeypatch):
    graph = hard_graph()
    calls = []
    real_milp, real_triangles = programme.milp, programme._triangles

    def spy(*args, **kwargs):
        calls.append(kwargs["options"])
        return real_milp(*args, **kwargs)

    monkeypatch.setattr(programme, "milp", spy)

    def slow_setup(*args, **kwargs):
        time.sleep(0.8)
        return np.empty((0, 3), dtype=np.int64)

    # Set-up that outlasts the limit: the programme is not started, the local search's
    # partition comes back with its bound and gap, and a warning says so.
    monkeypatch.setattr(programme, "_triangles", slow_setup)
    with pytest.warns(RuntimeWarning, match="set-up .* used up the time limit of 0.5 s"):
        result = frustration_index(graph, method="milp", time_limit=0.5)
    assert calls == []
    assert not result.optimal
    assert (result.lower_bound, result.gap) == (0, 1)
    assert any("local search" in w for w in result.warnings)

    # Set-up that takes part of the limit: HiGHS gets only what is left.
    def partial_setup(*args, **kwargs):
        time.sleep(0.4)
        return real_triangles(*args, **kwargs)

    monkeypatch.setattr(programme, "_triangles", partial_setup)
    result = frustration_index(graph, method="milp", time_limit=1.5)
    assert len(calls) == 1
    assert calls[0]["time_limit"] <= 1.5 - 0.4


def test_programme_too_large_for_the_time_left_is_not_started(monkeypatch):
    monkeypatch.setattr(programme, "milp", lambda *a, **k: pytest.fail("HiGHS was started"))
    graph = hard_graph(n=300, density=0.3, seed=5)
    with pytest.warns(RuntimeWarning, match="too little to load the programme"):
        result = frustration_index(graph, method="milp", time_limit=0.05)
    assert result.lower_bound <= result.frustration_index


def test_triangle_set_up_stops_at_the_deadline():
    graph = hard_graph(n=60, density=0.5, seed=6)
    assert len(programme._triangles(graph)) > 0
    with pytest.raises(limits._OutOfTime):
        programme._triangles(graph, deadline=time.perf_counter() - 1)


def test_enumeration_past_the_time_limit_falls_back_with_a_warning():
    graph = hard_graph(n=24, density=0.5, seed=2)
    with pytest.warns(RuntimeWarning, match="enumerating the 2\\^23 partitions did not finish"):
        result = frustration_index(graph, method="enumerate", time_limit=0)
    assert not result.optimal
    assert result.gap == 1


@pytest.mark.slow
def test_to_dict_after_timeout_is_json():
    graph = hard_graph()
    result = frustration_index(graph, method="milp", time_limit=0.5)
    assert not result.optimal
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["optimal"] is False
    assert type(data["optimal"]) is bool
    assert all(type(data[k]) is float for k in ("frustration_index", "gap", "lower_bound"))
    assert all(type(v) is int for v in data["partition"].values())
    # Whatever a result holds, the dictionary is standard JSON.
    odd = balance.BalanceResult(
        frustration_index=np.float64(3),
        optimal=np.bool_(False),
        gap=math.nan,
        lower_bound=-math.inf,
        seconds=np.float32(0.5),
        partition={np.int64(1): np.int64(0)},
        method="milp",
        time_limit=math.inf,
    )
    data = odd.to_dict()
    assert (data["gap"], data["lower_bound"], data["time_limit"]) == (None, None, None)
    assert json.loads(json.dumps(data, allow_nan=False))["partition"] == {"1": 0}


def test_balanced_graph_is_proved_at_once_by_the_tree_start():
    rng = np.random.default_rng(8)
    n = 5000
    side = rng.integers(0, 2, n)
    a, b = rng.integers(0, n, 30000), rng.integers(0, n, 30000)
    keep = a != b
    frame = pd.DataFrame({"source": a[keep], "target": b[keep]})
    frame["sign"] = np.where(side[a[keep]] == side[b[keep]], 1, -1)
    graph = SignedGraph.from_edges(frame)
    value, _ = local_search(graph, starts=1)
    assert value == 0
    result = frustration_index(graph, method="milp", time_limit=10)
    assert (result.frustration_index, result.optimal) == (0, True)


def test_local_search_stops_at_its_time_limit():
    graph = hard_graph(n=300, density=0.3, seed=5)
    value, x = local_search(graph, starts=10_000, time_limit=0.3)
    assert value == pytest.approx(frustration(graph, x))


@pytest.mark.slow
def test_sparse_large_graph_is_read_and_solved_within_the_time_limit(tmp_path):
    """10^6 edges on 2·10^5 nodes: read, then solved under a 5 s limit, never n × n."""
    rng = np.random.default_rng(0)
    n, m = 200_000, 1_000_000
    a, b = rng.integers(0, n, int(1.1 * m)), rng.integers(0, n, int(1.1 * m))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = np.unique((lo * n + hi)[lo != hi])
    key = rng.permutation(key)[:m]
    sign = rng.choice([-1, 1], m)
    path = tmp_path / "large.csv"
    with open(path, "w") as handle:
        handle.write("source,target,sign\n")
        handle.writelines(
            f"{s},{t},{g}\n"
            for s, t, g in zip((key // n).tolist(), (key % n).tolist(), sign.tolist(), strict=True)
        )
    graph = edge_files.read_edges(path)
    assert len(graph.i) == m
    assert graph.n > 190_000
    limit = 5.0
    with pytest.warns(RuntimeWarning, match="too little to load"):
        result = frustration_index(graph, time_limit=limit)
    assert not result.optimal
    assert 0 < result.frustration_index < m / 2  # well below a random partition's m/2
    assert result.frustration_index == frustration(
        graph, np.fromiter(result.partition.values(), dtype=np.int64)
    )
    json.dumps(result.to_dict(), allow_nan=False)


def test_weights_whose_sum_overflows_are_refused_naming_the_file(tmp_path):
    from alliances.errors import DataError
    from alliances.world.edges import read_edges

    path = tmp_path / "big.csv"
    path.write_text("source,target,sign,weight\na,b,-1,1e308\nb,c,-1,1e308\na,c,-1,1e308\n")
    with pytest.raises(DataError, match=r"big\.csv: the weights sum to more than a float holds"):
        read_edges(path, weighted=True)
