"""Property tests of the balance module: the edge-list reader on mutated CSV text, and the
three solvers against each other on small random signed graphs."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.analysis.balance import SignedGraph, frustration, frustration_index
from alliances.errors import DataError
from alliances.world import edges as edge_files
from alliances.world.edges import EdgeList

FUZZ = settings(
    max_examples=100,
    deadline=None,  # no clock in a test: a loaded machine would fail it
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

NAMES = st.one_of(
    st.sampled_from(["a", "b", "c", "1", "1.0", "01", " d ", "München", "北京", "a,b", 'q"t']),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=6),
)
ODD_CELLS = st.sampled_from(
    [
        "",
        " ",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "1e999",
        "0",
        "-0",
        "2",
        "+1",
        "-1.0",
        "1_0",
        "١",
        "½",
        "\u00a0",
        '"',
        '""',
        "\r",
        "\n",
        "a,b",
        "\ufeff",
        "\x00",
    ]
)


def quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def csv_texts(draw):
    """A valid edge list, then written with random formatting and, often, mutated."""
    weighted = draw(st.booleans())
    rows = draw(
        st.lists(
            st.tuples(NAMES, NAMES, st.sampled_from(["1", "-1"]), st.sampled_from(["1", "2.5"])),
            min_size=1,
            max_size=8,
        )
    )
    header = ["source", "target", "sign", *(["weight"] if weighted else [])]
    table = [header] + [list(r[: len(header)]) for r in rows]
    quote = draw(st.booleans())
    lines = [",".join(quoted(c) if quote or "," in c or '"' in c else c for c in r) for r in table]
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + end
    body = len(lines[0]) + len(end)  # mutations aim at the rows; "header" at the header
    mutations = draw(st.integers(0, 3))
    for _ in range(mutations):
        kind = draw(
            st.sampled_from(["cell", "delete", "insert", "cut", "blank", "repeat", "header"])
        )
        cells = [c for r in table[1:] for c in r]
        if kind == "cell" and cells:
            old = draw(st.sampled_from(cells))
            new = draw(st.one_of(ODD_CELLS, st.text(max_size=4)))
            text = text[:body] + text[body:].replace(old, new, 1)
        elif kind == "delete" and len(text) > body:
            at = draw(st.integers(body, len(text) - 1))
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
        elif kind == "insert":
            at = draw(st.integers(min(body, len(text)), len(text)))
            text = text[:at] + draw(st.one_of(ODD_CELLS, st.text(max_size=4))) + text[at:]
        elif kind == "cut":
            text = text[: draw(st.integers(min(body, len(text)), len(text)))]
        elif kind == "blank":
            text = text.replace(end, end + end, 1)
        elif kind == "repeat" and len(lines) > 1:
            text += lines[-1] + end
        elif kind == "header":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.one_of(ODD_CELLS, st.text(max_size=3))) + text[at:]
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 4)) == 0:  # raw bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data, weighted


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def check_graph(graph: EdgeList, weighted: bool) -> None:
    assert isinstance(graph, EdgeList)
    assert all(isinstance(v, str) and v and v == v.strip() for v in graph.nodes)
    assert len(set(graph.nodes)) == graph.n
    assert len(graph.i) > 0
    assert (graph.i < graph.j).all()
    assert (graph.j < graph.n).all()
    assert set(graph.sign.tolist()) <= {-1, 1}
    assert np.isfinite(graph.weight).all()
    assert (graph.weight > 0).all()
    if not weighted:
        assert (graph.weight == 1).all()
    pairs = set(zip(graph.i.tolist(), graph.j.tolist(), strict=True))
    assert len(pairs) == len(graph.i)


def read_or_error(path, weighted: bool) -> EdgeList | str:
    """The graph, or the message of the DataError; any other exception fails the test."""
    try:
        return edge_files.read_edges(path, weighted=weighted)
    except DataError as error:
        return str(error)


@pytest.mark.slow
@FUZZ
@given(sample=csv_texts())
def test_read_edges_returns_a_graph_or_a_data_error_naming_the_file(folder, sample):
    data, weighted = sample
    path = folder / "edges.csv"
    path.write_bytes(data)
    graph = read_or_error(path, weighted)
    if isinstance(graph, str):
        assert graph.startswith(f"{path}")
    else:
        check_graph(graph, weighted)


@FUZZ
@given(data=st.binary(max_size=200))
def test_read_edges_on_random_bytes(folder, data):
    path = folder / "bytes.csv"
    path.write_bytes(data)
    graph = read_or_error(path, False)
    if isinstance(graph, str):
        assert graph.startswith(f"{path}")
    else:
        check_graph(graph, False)


@st.composite
def signed_graphs(draw):
    n = draw(st.integers(2, 9))
    pairs = list(itertools.combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs), unique=True))
    signs = draw(st.lists(st.sampled_from([-1, 1]), min_size=len(chosen), max_size=len(chosen)))
    weights = draw(
        st.lists(
            st.sampled_from([1.0, 2.0, 0.5, 3.25]), min_size=len(chosen), max_size=len(chosen)
        )
    )
    i = np.array([min(p) for p in chosen], dtype=np.int64)
    j = np.array([max(p) for p in chosen], dtype=np.int64)
    return SignedGraph(
        tuple(f"v{k}" for k in range(n)),
        i,
        j,
        np.array(signs, dtype=np.int64),
        np.array(weights, dtype=np.float64),
    )


def brute_force(graph: SignedGraph) -> float:
    return min(
        frustration(graph, np.array(bits)) for bits in itertools.product([0, 1], repeat=graph.n)
    )


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True)
@given(graph=signed_graphs())
def test_milp_enumeration_and_heuristic_agree_with_their_bounds(graph):
    exact = brute_force(graph)
    by_enumeration = frustration_index(graph, method="enumerate")
    by_milp = frustration_index(graph, method="milp")
    by_heuristic = frustration_index(graph, method="heuristic")
    assert by_enumeration.frustration_index == pytest.approx(exact)
    assert by_milp.frustration_index == pytest.approx(exact)
    assert by_enumeration.optimal
    assert by_milp.optimal
    assert by_heuristic.frustration_index >= exact - 1e-9
    for result in (by_enumeration, by_milp, by_heuristic):
        assert result.lower_bound <= exact + 1e-9
        assert result.lower_bound <= result.frustration_index
        assert result.optimal == (result.gap == 0)
        assert result.warnings == []
        x = np.array([result.partition[v] for v in graph.nodes])
        assert frustration(graph, x) == pytest.approx(result.frustration_index)


@st.composite
def valid_files(draw):
    """Distinct pairs of distinct names, written with random quoting, spacing, line ends,
    BOM, column order and extra columns; returns the bytes and the expected edges."""
    names = draw(st.lists(NAMES, min_size=2, max_size=8, unique_by=str.strip))
    names = [v for v in names if v.strip()]
    if len(names) < 2:
        names = ["a", "b"]
    pairs = [(a, b) for a, b in itertools.combinations(names, 2)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=10, unique=True))
    rows = []
    for a, b in chosen:
        if draw(st.booleans()):
            a, b = b, a
        sign = draw(st.sampled_from(["1", "-1", "+1", "1.0", " -1 "]))
        weight = draw(st.sampled_from(["1", "2.5", "1e-3", " 7 "]))
        rows.append({"source": a, "target": b, "sign": sign, "weight": weight, "note": "x"})
    columns = draw(st.permutations(["source", "target", "sign", "weight", "note"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    quote = draw(st.booleans())

    def cell(value: str) -> str:
        return quoted(value) if quote or any(c in value for c in ',"\r\n') else value

    lines = [",".join(draw(st.sampled_from([c, c.upper(), f" {c} "])) for c in columns)]
    lines += [",".join(cell(r[c]) for c in columns) for r in rows]
    text = end.join(lines) + draw(st.sampled_from(["", end, end + end]))
    data = (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")
    expected = {
        frozenset((r["source"].strip(), r["target"].strip())): (
            int(float(r["sign"])),
            float(r["weight"]),
        )
        for r in rows
    }
    return data, expected


@pytest.mark.slow
@FUZZ
@given(sample=valid_files(), weighted=st.booleans())
def test_valid_files_in_any_formatting_are_read_exactly(folder, sample, weighted):
    data, expected = sample
    path = folder / "valid.csv"
    path.write_bytes(data)
    graph = edge_files.read_edges(path, weighted=weighted)
    check_graph(graph, weighted)
    got = {
        frozenset((graph.nodes[a], graph.nodes[b])): (int(s), float(w))
        for a, b, s, w in zip(graph.i, graph.j, graph.sign, graph.weight, strict=True)
    }
    assert got == {k: (s, w if weighted else 1.0) for k, (s, w) in expected.items()}
