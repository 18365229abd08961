import itertools

import numpy as np
import pandas as pd
import pytest

from alliances.analysis.alignment import (
    DEFAULT_RULES,
    landscape,
    propensities,
    systemic_wedge_price,
    wedge_partitions,
)
from alliances.errors import ParameterError


def energy(sizes, ties, partition):
    """Axelrod and Bennett's E(X) = sum_i sum_{j != i} s_i s_j p_ij d_ij, by hand."""
    total = 0.0
    for src, dst, p in ties[["source", "target", "p"]].itertuples(index=False):
        if partition[src] != partition[dst]:
            total += 2 * sizes[src] * sizes[dst] * p
    return total


def ties_of(*rows):
    return pd.DataFrame(rows, columns=["source", "target", "p"])


SIZES = pd.Series({"A": 3.0, "B": 2.0, "C": 1.0, "D": 1.0})
TIES = ties_of(("A", "B", -1.0), ("A", "C", 1.0), ("B", "D", 1.0), ("C", "D", -0.5))


def test_minimum_energy_partition_matches_brute_force():
    result = landscape(SIZES, TIES)
    actors = list(SIZES.index)
    energies = {
        bits: energy(SIZES, TIES, dict(zip(actors, (*bits, 0), strict=True)))
        for bits in itertools.product([0, 1], repeat=3)
    }
    assert result.energy == pytest.approx(min(energies.values()))
    bloc_a, bloc_b = result.blocs()
    assert {frozenset(bloc_a), frozenset(bloc_b)} == {frozenset("AC"), frozenset("BD")}


def test_local_minima_have_no_improving_single_move():
    result = landscape(SIZES, TIES)
    actors = list(SIZES.index)
    for _, row in result.local_minima.iterrows():
        partition = {a: int(row[a]) for a in actors}
        here = energy(SIZES, TIES, partition)
        assert here == pytest.approx(row["energy"])
        for a in actors:
            moved = {**partition, a: 1 - partition[a]}
            assert energy(SIZES, TIES, moved) >= here - 1e-12


def test_propensities_take_the_strongest_alliance_and_add_conflict():
    dyads = pd.DataFrame(
        {
            "ccode1": [2, 20, 2, 200],
            "ccode2": [20, 2, 200, 2],
            "atop_defense": [1, 0, 0, 0],
            "atop_consul": [1, 1, 0, 0],
            "cowmid_ongoing": [0, 0, 1, 1],
            "tss_rivalry": [0, 0, 1, 1],
        }
    )
    ties = propensities(dyads).set_index(["source", "target"])
    assert ties.loc[(2, 20), "p"] == DEFAULT_RULES.defense
    assert ties.loc[(2, 200), "p"] == DEFAULT_RULES.dispute + DEFAULT_RULES.rivalry
    assert ties.loc[(2, 200), "reasons"] == "dispute, rivalry"
    assert ties.loc[(2, 200), "sources"] == "COW MID 5.0; Thompson, Sakuwa & Suhas rivalries"
    assert (ties["weight"] == ties["p"].abs()).all()


def brute_force_flips(sizes, ties, i, j, delta, divider, target):
    changed = ties.copy()
    mask = ((changed.source == i) & (changed.target == j)) | (
        (changed.source == j) & (changed.target == i)
    )
    if mask.any():
        changed.loc[mask, "p"] += delta
    else:
        changed = pd.concat([changed, ties_of((i, j, delta))], ignore_index=True)
    result = landscape(sizes, changed)
    return all(p[divider] == p[target] for p in result.partitions)


def test_systemic_wedge_price_is_the_threshold_brute_force_finds():
    # A divider D, its rival P and a target T tied to P.
    sizes = pd.Series({"D": 2.0, "P": 2.0, "T": 1.0, "X": 1.0})
    ties = ties_of(("D", "P", -1.0), ("P", "T", 1.0), ("D", "X", 0.5), ("T", "X", -0.2))
    prices = systemic_wedge_price(sizes, ties, "D", "T")
    assert not prices.empty
    best = prices.iloc[0]
    i, j, delta = best["i"], best["j"], float(best["delta"])
    step = 1e-6 * (1 + abs(delta))
    assert brute_force_flips(sizes, ties, i, j, delta + np.sign(delta) * step, "D", "T")
    assert not brute_force_flips(sizes, ties, i, j, delta - np.sign(delta) * step, "D", "T")
    dt = prices[(prices.i == "D") & (prices.j == "T")]
    assert len(dt) == 1
    assert dt["delta"].iloc[0] > 0  # D must court T


def test_no_price_when_the_target_is_already_with_the_divider():
    sizes = pd.Series({"D": 1.0, "T": 1.0, "P": 1.0})
    ties = ties_of(("D", "T", 1.0), ("T", "P", -1.0))
    prices = systemic_wedge_price(sizes, ties, "D", "T")
    assert (prices["delta"] == 0).all()


def test_unknown_divider_is_an_error_naming_it_and_the_actors():
    with pytest.raises(ParameterError, match="divider 'Z' and target 'A' should be two "):
        systemic_wedge_price(SIZES, TIES, "Z", "A")
    with pytest.raises(ParameterError, match="different actors of sizes: A, B, C, D"):
        systemic_wedge_price(SIZES, TIES, "A", "A")


def test_missing_size_is_an_error_naming_the_actor():
    with pytest.raises(ParameterError, match=r"no size for C: sizes should give a number"):
        landscape(SIZES.drop("C"), TIES, actors=["A", "B", "C", "D"])


def test_too_many_actors_for_enumeration_is_an_error_with_both_numbers():
    sizes = pd.Series(1.0, index=[f"a{k}" for k in range(27)])
    with pytest.raises(ParameterError, match=r"len\(actors\)=27 should be from 1 to 26"):
        landscape(sizes, ties_of())
    with pytest.raises(ParameterError, match=r"len\(actors\)=0 should be from 1 to 26"):
        landscape(pd.Series(dtype=float), ties_of())


def test_wedge_partitions_refuses_a_pair_that_is_not_two_actors():
    with pytest.raises(ParameterError, match="i='A' and j='Z' should be two different actors"):
        wedge_partitions(SIZES, TIES, "A", "Z", 1.0)


def test_propensities_need_the_dyad_columns():
    with pytest.raises(ParameterError, match=r"dyads lacks the column\(s\) 'ccode2'"):
        propensities(pd.DataFrame({"ccode1": [2]}))


def test_scenario_network_sums_signed_bonds_and_defaults_sizes_to_one():
    from alliances.analysis.alignment import scenario_network
    from alliances.scenario import load_builtin

    sizes, ties = scenario_network(load_builtin("russia-iran-2017"))
    pairs = ties.set_index(["source", "target"])["p"]
    assert pairs[("IRN", "RUS")] == 5  # five Russia–Iran bonds
    assert pairs[("RUS", "USA")] == -1  # US sanctions
    assert (sizes == 1.0).all()
    result = landscape(sizes, ties)
    side = result.partitions[0]
    assert side["RUS"] == side["IRN"]
    assert side["RUS"] != side["USA"]


def test_wedge_partitions_show_the_target_moving_to_the_divider():
    from alliances.analysis.alignment import wedge_partitions

    sizes = pd.Series({"D": 2.0, "P": 2.0, "T": 1.0})
    ties = ties_of(("D", "P", -1.0), ("P", "T", 1.0))
    price = systemic_wedge_price(sizes, ties, "D", "T").query("i == 'D' and j == 'T'")
    before, after = wedge_partitions(sizes, ties, "D", "T", float(price["delta"].iloc[0]))
    assert before["T"] != before["D"]
    assert after["T"] == after["D"]


def test_to_networkx_keeps_sizes_signs_and_reasons():
    from alliances.analysis.alignment import to_networkx

    dyads = pd.DataFrame({"ccode1": [2], "ccode2": [20], "atop_defense": [1]})
    graph = to_networkx(pd.Series({2: 0.1, 20: 0.02}), propensities(dyads))
    assert graph.nodes[2]["size"] == 0.1
    assert graph.edges[2, 20]["sign"] == 1
    assert graph.edges[2, 20]["reasons"] == "defense"


def test_cli_align_a_scenario_prints_the_systemic_wedge_price():
    import json

    from typer.testing import CliRunner

    from alliances.cli import app

    result = CliRunner().invoke(app, ["align", "--scenario", "russia-iran-2017", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["divider"], data["target"]) == ("USA", "RUS")
    assert data["wedge_price"][0]["delta"] > 0
    assert data["wedge_after"]["RUS"] == data["wedge_after"]["USA"]
    neither = CliRunner().invoke(app, ["align"])
    assert neither.exit_code == 2


def test_optional_rules_are_off_by_default_and_count_when_weighted():
    from alliances.analysis.alignment import Rules

    dyads = pd.DataFrame(
        {
            "ccode1": [2, 20],
            "ccode2": [20, 2],
            "shared_igos": [10, 10],
            "arms_exports_tiv": [5.0, 0.0],
            "idealpoint_distance": [0.5, 0.5],
        }
    )
    assert propensities(dyads).empty
    ties = propensities(dyads, Rules(igo=0.1, arms=1.0, affinity=1.0))
    assert ties["p"].iloc[0] == pytest.approx(10 * 0.1 + 1.0 - 0.5)
    assert ties["reasons"].iloc[0] == "arms, igo, affinity"


def test_cli_align_a_scenario_prints_the_blocs_before_and_after_the_cheapest_change():
    from typer.testing import CliRunner

    from alliances.cli import app

    result = CliRunner().invoke(app, ["align", "--scenario", "russia-iran-2017"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    before = next(line for line in lines if line.startswith("Blocs before the change"))
    after = next(line for line in lines if line.startswith("Blocs after the change"))
    assert "USA–RUS +2" in before
    assert after.endswith("USA, RUS, IRN, SYR, BLR | CHN")
