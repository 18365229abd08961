import itertools
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliances.analysis.balance import (
    SignedGraph,
    enumerate_partitions,
    frustration,
    frustration_index,
    local_search,
)
from alliances.cli import app


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
