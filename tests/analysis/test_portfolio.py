"""Tests of alliance-portfolio similarity: S, Scott's pi, Cohen's kappa and tau-b."""

from __future__ import annotations

import copy
import doctest
import itertools

import numpy as np
import pandas as pd
import pyreadr
import pytest
from scipy.stats import kendalltau

from alliances.analysis import portfolio as portfolio_module
from alliances.analysis.portfolio import (
    ATOP_LEVELS,
    MEASURES,
    portfolio_similarity,
    similarity_matrices,
)
from alliances.errors import AlliancesWarning
from conftest import ROOT

DATA = ROOT.parent / "shared" / "data"
KINDS = list(ATOP_LEVELS)
SEED = 20240611

# Signorino and Ritter (1999, Table 6): the portfolios of Germany and Russia over the 20
# European states of 1914 (COW coding: 3 defense, 2 neutrality or non-aggression, 1 entente),
# each state tied to itself at 3.
EUROPE_1914 = [
    "GMY", "RUS", "UKG", "FRN", "AUH", "ITA", "BEL", "SPN", "TUR", "NTH",
    "SWD", "RUM", "POR", "SWZ", "GRC", "DEN", "YUG", "BUL", "NOR", "ALB",
]  # fmt: skip
GMY_1914 = [3, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]
RUS_1914 = [0, 3, 1, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
COW_STYLE = {"atop_defense": 3, "atop_neutral": 2, "atop_nonagg": 2, "atop_consul": 1}


def tie_rows(rows, year=2000):
    """A ties frame from (ccode1, ccode2, obligation, ...) tuples."""
    records = []
    for a, b, *kinds in rows:
        records.append(
            {
                "ccode1": a,
                "ccode2": b,
                "year": year,
                **{k: int(k in kinds) for k in KINDS},
            }
        )
    return pd.DataFrame(records, columns=["ccode1", "ccode2", "year", *KINDS])


def system(codes, year=2000):
    return pd.DataFrame({"ccode": codes, "year": year})


def score(out, a, b, measure, year=None):
    rows = out[(out["ccode1"] == a) & (out["ccode2"] == b)]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1
    return float(rows[measure].iloc[0])


def random_ties(rng, codes, years, density=0.25):
    """Random directed obligations among `codes` in each of `years`."""
    records = []
    for year in years:
        for a, b in itertools.permutations(codes, 2):
            if rng.random() < density:
                flags = rng.random(len(KINDS)) < 0.4
                records.append([a, b, year, *flags.astype(int)])
    return pd.DataFrame(records, columns=["ccode1", "ccode2", "year", *KINDS])


def per_dyad(x, y, top, distance="squared"):
    """Every measure for one pair of portfolios, written out position by position."""
    x, y = np.asarray(x), np.asarray(y)
    k = len(x)
    grid = range(top + 1)

    def w(a, b):
        return {"squared": (a - b) ** 2, "absolute": abs(a - b), "nominal": float(a != b)}[
            distance
        ]

    fx = {a: np.mean(x == a) for a in grid}
    fy = {a: np.mean(y == a) for a in grid}
    pooled = {a: (fx[a] + fy[a]) / 2 for a in grid}
    observed = np.mean([w(a, b) for a, b in zip(x, y, strict=True)])
    expected_k = sum(fx[a] * fy[b] * w(a, b) for a in grid for b in grid)
    expected_p = sum(pooled[a] * pooled[b] * w(a, b) for a in grid for b in grid)
    return {
        "s_abs": 1 - 2 * np.abs(x - y).sum() / (k * top),
        "s_sq": 1 - 2 * ((x - y) ** 2).sum() / (k * top**2),
        "pi": 1 - observed / expected_p,
        "kappa": 1 - observed / expected_k,
        "taub": kendalltau(x, y, variant="b").statistic,
    }


@pytest.fixture(scope="module")
def random_system():
    rng = np.random.default_rng(SEED)
    codes = [2, 20, 200, 220, 255, 300, 325, 365, 640, 710]
    later = codes[:-2]  # two states leave; 900 enters without alliances
    ties = pd.concat([random_ties(rng, codes, [1990]), random_ties(rng, later, [1991])])
    states = pd.concat([system(codes, 1990), system([*later, 900], 1991)])
    return ties, states


# --- hand-computed cases ---------------------------------------------------------------


def test_identical_portfolios_give_one_on_every_measure():
    # 2 and 20 defend each other, 200 has no alliance: both portfolios are [3, 3, 0]
    ties = tie_rows([(2, 20, "atop_defense"), (20, 2, "atop_defense")])
    out = portfolio_similarity(ties, system([2, 20, 200]))
    for measure in MEASURES:
        assert score(out, 2, 20, measure) == pytest.approx(1.0)


def test_opposite_portfolios_give_negative_taub_and_pi_differs_from_kappa():
    # 2: [3, 3, 0] and 200: [0, 0, 3]. Squared distance on [0, 1]: observed 1; kappa
    # expects 1/3 * 1/3 + 2/3 * 2/3 = 5/9 from the separate shares, pi 1/2 from the
    # pooled shares (half 0, half 3): kappa = 1 - 9/5, pi = 1 - 2.
    ties = tie_rows([(2, 20, "atop_defense"), (20, 2, "atop_defense")])
    out = portfolio_similarity(ties, system([2, 20, 200]))
    assert score(out, 2, 200, "taub") == pytest.approx(-1.0)
    assert score(out, 2, 200, "s_abs") == pytest.approx(-1.0)
    assert score(out, 2, 200, "s_sq") == pytest.approx(-1.0)
    assert score(out, 2, 200, "kappa") == pytest.approx(-0.8)
    assert score(out, 2, 200, "pi") == pytest.approx(-1.0)


def test_partial_agreement_of_four_states_by_hand():
    # 2 and 20 have a non-aggression pact (level 1) in a system of four:
    # 2: [3, 1, 0, 0], 20: [1, 3, 0, 0]. Of the 6 pairs of targets 4 are concordant,
    # 1 discordant and 1 tied in both, with one tied pair in each portfolio:
    # tau-b = 3 / sqrt(5 * 5). S: mean |d| 1 of 3, mean d^2 2 of 9. Both portfolios
    # have the shares 1/2, 1/4, 1/4 of levels 0, 1, 3 (variance 3/2), so the expected
    # squared distance is 2 * 3/2 / 9 = 1/3 and pi = kappa = 1 - (2/9) / (1/3).
    ties = tie_rows([(2, 20, "atop_nonagg")])
    out = portfolio_similarity(ties, system([2, 20, 200, 365]))
    assert score(out, 2, 20, "taub") == pytest.approx(0.6)
    assert score(out, 2, 20, "s_abs") == pytest.approx(1 / 3)
    assert score(out, 2, 20, "s_sq") == pytest.approx(5 / 9)
    assert score(out, 2, 20, "pi") == pytest.approx(1 / 3)
    assert score(out, 2, 20, "kappa") == pytest.approx(1 / 3)


def test_signorino_ritter_table_6_germany_russia_1914():
    # Published: S = 0.40 and tau-b = 0.03 (Signorino and Ritter 1999, Table 6);
    # fpsim's spi() (nominal pi) gives -0.04477612 and cohenk() (squared) -0.07758621.
    nominal = similarity_matrices([GMY_1914, RUS_1914], top=3, distance="nominal")
    squared = similarity_matrices([GMY_1914, RUS_1914], top=3)
    assert nominal["s_abs"][0, 1] == pytest.approx(0.40)
    assert round(float(nominal["taub"][0, 1]), 2) == 0.03
    assert nominal["taub"][0, 1] == pytest.approx(0.03031695, abs=1e-8)
    assert nominal["pi"][0, 1] == pytest.approx(-0.04477612, abs=1e-8)
    assert squared["kappa"][0, 1] == pytest.approx(-0.07758621, abs=1e-8)


def test_table_6_from_ties_with_own_levels_and_directed_portfolios():
    code = {name: i for i, name in enumerate(EUROPE_1914, start=1)}
    rows = [("GMY", "AUH"), ("GMY", "ITA"), ("GMY", "RUM"), ("RUS", "FRN")]
    ties = tie_rows(
        [(code[a], code[b], "atop_defense") for a, b in rows]
        + [(code["RUS"], code[b], "atop_consul") for b in ("UKG", "ITA")],
        year=1914,
    )
    out = portfolio_similarity(
        ties, system(list(code.values()), 1914), levels=COW_STYLE, direction="out"
    )
    assert score(out, code["GMY"], code["RUS"], "s_abs") == pytest.approx(0.40)
    assert score(out, code["GMY"], code["RUS"], "taub") == pytest.approx(0.03031695)


def test_states_without_alliances_are_positions_of_every_portfolio():
    ties = tie_rows([(2, 20, "atop_defense"), (20, 2, "atop_defense")])
    alone = portfolio_similarity(ties)  # the system is {2, 20}: constant portfolios
    wider = portfolio_similarity(ties, system([2, 20, 200, 365, 710]))
    assert len(alone) == 2
    assert np.isnan(score(alone, 2, 20, "taub"))
    assert np.isnan(score(alone, 2, 20, "kappa"))
    assert score(alone, 2, 20, "s_abs") == 1.0
    assert len(wider) == 5 * 4
    assert score(wider, 200, 365, "taub") == pytest.approx(
        kendalltau([0, 0, 3, 0, 0], [0, 0, 0, 3, 0], variant="b").statistic
    )


def test_direction_either_counts_a_one_sided_promise_for_both():
    # only 2 promised to defend 20
    ties = tie_rows([(2, 20, "atop_defense")])
    members = system([2, 20, 200])
    either = portfolio_similarity(ties, members)
    out = portfolio_similarity(ties, members, direction="out")
    assert score(either, 2, 20, "s_abs") == 1.0  # [3, 3, 0] and [3, 3, 0]
    # 2: [3, 3, 0], 20: [0, 3, 0] on its own promises
    assert score(out, 2, 20, "s_abs") == pytest.approx(1 - 2 * 3 / 9)


def test_a_tie_takes_the_highest_level_of_its_obligations():
    ties = tie_rows([(2, 20, "atop_nonagg", "atop_consul", "atop_offense")])
    out = portfolio_similarity(ties, system([2, 20, 200]))
    assert score(out, 2, 20, "s_abs") == 1.0  # offense ranks with defense: level 3
    binary = portfolio_similarity(ties, system([2, 20, 200]), levels=dict.fromkeys(KINDS, 1))
    assert score(binary, 2, 20, "s_abs") == 1.0
    consult = tie_rows([(2, 20, "atop_consul")])
    out = portfolio_similarity(consult, system([2, 20, 200]))
    assert score(out, 2, 20, "s_abs") == pytest.approx(1 - 2 * 2 / 9)  # [3, 2, 0], [2, 3, 0]


# --- invariances ------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["either", "out"])
def test_every_measure_is_symmetric_in_the_two_states(random_system, direction):
    ties, states = random_system
    out = portfolio_similarity(ties, states, direction=direction)
    swapped = out.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    joined = out.merge(swapped, on=["year", "ccode1", "ccode2"], suffixes=("", "_ji"))
    assert len(joined) == len(out)
    for measure in MEASURES:
        np.testing.assert_allclose(joined[measure], joined[f"{measure}_ji"], rtol=0, atol=1e-12)


def test_order_of_rows_does_not_matter(random_system):
    ties, states = random_system
    expected = portfolio_similarity(ties, states)
    rng = np.random.default_rng(SEED)
    shuffled = portfolio_similarity(
        ties.sample(frac=1, random_state=rng), states.sample(frac=1, random_state=rng)
    )
    pd.testing.assert_frame_equal(shuffled, expected)


def test_inputs_are_not_modified(random_system):
    ties, states = random_system
    before = copy.deepcopy((ties, states))
    portfolio_similarity(ties, states, direction="out")
    pd.testing.assert_frame_equal(ties, before[0])
    pd.testing.assert_frame_equal(states, before[1])


def test_one_row_per_ordered_dyad_of_members_sorted(random_system):
    ties, states = random_system
    out = portfolio_similarity(ties, states)
    assert list(out.columns) == ["year", "ccode1", "ccode2", *MEASURES]
    assert len(out) == 10 * 9 + 9 * 8
    assert not out.duplicated(["year", "ccode1", "ccode2"]).any()
    assert (out["ccode1"] != out["ccode2"]).all()
    keys = out[["year", "ccode1", "ccode2"]]
    pd.testing.assert_frame_equal(keys, keys.sort_values(list(keys.columns)))
    assert 900 in set(out.loc[out["year"] == 1991, "ccode1"])  # a member with no ties


# --- against per-dyad computations ------------------------------------------------------


@pytest.mark.parametrize("distance", ["squared", "absolute", "nominal"])
def test_matrices_match_a_per_dyad_computation_and_scipy_taub(distance):
    rng = np.random.default_rng(SEED)
    portfolios = rng.integers(0, 4, size=(14, 14))
    np.fill_diagonal(portfolios, 3)
    scores = similarity_matrices(portfolios, top=3, distance=distance)
    for i, j in itertools.combinations(range(len(portfolios)), 2):
        expected = per_dyad(portfolios[i], portfolios[j], 3, distance)
        for measure in MEASURES:
            assert scores[measure][i, j] == pytest.approx(expected[measure], abs=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["either", "out"])
def test_frame_result_matches_per_dyad_on_a_random_system(random_system, direction):
    ties, states = random_system
    out = portfolio_similarity(ties, states, direction=direction)
    for year, members in states.groupby("year"):
        codes = sorted(members["ccode"])
        level = pd.DataFrame(0, index=codes, columns=codes)
        rows = ties[
            (ties["year"] == year) & ties["ccode1"].isin(codes) & ties["ccode2"].isin(codes)
        ]
        for row in rows.itertuples():
            tie = max(v * getattr(row, k) for k, v in ATOP_LEVELS.items())
            level.loc[row.ccode1, row.ccode2] = max(level.loc[row.ccode1, row.ccode2], tie)
            if direction == "either":
                level.loc[row.ccode2, row.ccode1] = max(level.loc[row.ccode2, row.ccode1], tie)
        for c in codes:
            level.loc[c, c] = 3
        for a, b in itertools.permutations(codes, 2):
            expected = per_dyad(level.loc[a].to_numpy(), level.loc[b].to_numpy(), 3)
            for measure in MEASURES:
                got = score(out, a, b, measure, year)
                assert got == pytest.approx(expected[measure], abs=1e-12, nan_ok=True)


# --- validation and warnings ------------------------------------------------------------


def test_missing_columns_are_named():
    ties = tie_rows([(2, 20, "atop_defense")]).drop(columns="atop_consul")
    with pytest.raises(ValueError, match=r"ties lacks the column\(s\) 'atop_consul'"):
        portfolio_similarity(ties)
    with pytest.raises(ValueError, match=r"states lacks the column\(s\) 'ccode'"):
        portfolio_similarity(tie_rows([]), pd.DataFrame({"year": [2000]}))


def test_obligations_must_be_zero_or_one():
    ties = tie_rows([(2, 20, "atop_defense")]).astype({"atop_defense": "float64"})
    ties.loc[0, "atop_defense"] = np.nan
    with pytest.raises(ValueError, match=r"ties\['atop_defense'\] should hold only 0 and 1"):
        portfolio_similarity(ties)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"direction": "both"}, "direction='both' should be 'either' or 'out'"),
        ({"distance": "cosine"}, "distance='cosine' should be one of"),
        ({"levels": {"atop_defense": 0}}, r"levels\['atop_defense'\]=0 should be a positive"),
        ({"levels": {}}, "levels should map at least one"),
    ],
)
def test_invalid_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        portfolio_similarity(tie_rows([(2, 20, "atop_defense")]), **kwargs)


def test_portfolios_must_be_integer_levels_within_top():
    with pytest.raises(ValueError, match="2-D array of integer levels"):
        similarity_matrices(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"top=2 should be >= 1 and >= the highest level"):
        similarity_matrices([[3, 0], [0, 3]], top=2)


def test_ties_of_non_members_are_left_out_with_a_warning():
    ties = tie_rows([(2, 20, "atop_defense"), (2, 221, "atop_defense")])
    with pytest.warns(AlliancesWarning, match="1 row.* not a member of the system") as caught:
        out = portfolio_similarity(ties, system([2, 20, 200]))
    assert caught[0].filename == __file__  # points at the call
    assert set(out["ccode1"]) == {2, 20, 200}


def test_years_outside_those_of_ties_are_dropped_with_a_warning():
    ties = tie_rows([(2, 20, "atop_defense")], year=2000)
    states = pd.concat([system([2, 20], 2000), system([2, 20], 2019)])
    with pytest.warns(AlliancesWarning, match="outside the years of ties") as caught:
        out = portfolio_similarity(ties, states)
    assert caught[0].filename == __file__
    assert set(out["year"]) == {2000}


def test_module_doctests_pass():
    result = doctest.testmod(portfolio_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --- the real data -----------------------------------------------------------------------


@pytest.mark.data
@pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared data folder is not at {DATA}")
def test_year_2000_from_atop_and_the_cow_system():
    folder = DATA / "peacesciencer"
    atop = next(iter(pyreadr.read_r(folder / "atop_alliance.rda").values()))
    ddy = next(iter(pyreadr.read_r(folder / "cow_ddy.rda").values()))
    ties = atop[atop["year"] == 2000]
    ddy = ddy[ddy["year"] == 2000]
    members = ddy[["ccode1", "year"]].drop_duplicates().rename(columns={"ccode1": "ccode"})
    out = portfolio_similarity(ties, members)

    n = len(members)
    assert n == 191
    assert len(out) == n * (n - 1) == len(ddy)
    keys = out.merge(ddy, on=["ccode1", "ccode2", "year"])
    assert len(keys) == len(ddy)
    values = out[list(MEASURES)]
    assert values.notna().all().all()
    assert ((values >= -1 - 1e-12) & (values <= 1 + 1e-12)).all().all()
    usa, ukg, frn, gmy, rus, chn = 2, 200, 220, 255, 365, 710
    assert score(out, usa, ukg, "taub") > 0
    assert score(out, usa, ukg, "kappa") > 0
    assert score(out, frn, gmy, "taub") > 0  # NATO allies
    assert score(out, usa, ukg, "taub") > score(out, usa, rus, "taub")
    assert score(out, usa, chn, "taub") < 0
    for measure in MEASURES:  # one dyad against the per-dyad formulas
        assert score(out, usa, ukg, measure) == pytest.approx(
            _per_dyad_from_atop(ties, sorted(members["ccode"]), usa, ukg)[measure], abs=1e-12
        )


def _per_dyad_from_atop(ties, codes, a, b):
    def portfolio(state):
        rows = ties[(ties["ccode1"] == state) | (ties["ccode2"] == state)]
        level = dict.fromkeys(codes, 0)
        for row in rows.itertuples():
            other = row.ccode2 if row.ccode1 == state else row.ccode1
            tie = max(v * getattr(row, k) for k, v in ATOP_LEVELS.items())
            if other in level:
                level[other] = max(level[other], int(tie))
        level[state] = 3
        return [level[c] for c in codes]

    return per_dyad(portfolio(a), portfolio(b), 3)
