"""The drafting rules v2 of docs/drafting-v2.md, on the hand-made store of test_drafting.

The store of ``test_drafting`` gains a ``cw_gdppop`` table (million 2017 international
dollars, the same in 2010-2012): USA 20,000,000; RUS 4,000,000; IRN 1,000,000. CHN has no
GDP, so that its G falls back to its military expenditure / b₀ (rule A5′). In current
dollars (rule A3′) a GDP x of 2010-2012 is x · mean(CPI 2010-2012) / CPI 2017.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from test_drafting import (
    B6_SCHEMA_DEFAULTS,
    IRN,
    RUS,
    USA,
    VERSION,
    YEARS,
    approx,
    bond,
    logn,
    question,
    side,
    tri,
    unsourced,
    write_store,
)
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError
from alliances.scenario import Scenario, parse_yaml
from alliances.studies.drafting import Draft, draft, draft_many, v2

GDP = {USA: 20_000_000.0, RUS: 4_000_000.0, IRN: 1_000_000.0}
PRICE = (655.3 + 676 + 689.9) / 3 / 736.6  # CPI 2010-2012 over CPI 2017 (rule A3′)
G = {code: x * PRICE for code, x in GDP.items()}
G_CHN = 100_000 / 0.03  # rule A5′: milex (USD m) / b₀


def add_gdp(path: Path) -> Path:
    """Add the ``cw_gdppop`` table and its provenance row to the store at ``path``."""
    frame = pd.DataFrame(
        [(c, y, x) for c, x in GDP.items() for y in YEARS], columns=["ccode", "year", "pwtrgdp"]
    )
    con = duckdb.connect(str(path))
    try:
        con.register("frame", frame)
        con.execute("CREATE TABLE cw_gdppop AS SELECT * FROM frame")
        con.unregister("frame")
        con.execute(
            "INSERT INTO datasets (name, title, version, sha256) VALUES "
            "('cw_gdppop', 'Test cw_gdppop', ?, 'sha-cw_gdppop')",
            [VERSION],
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return add_gdp(write_store(tmp_path_factory.mktemp("draft-v2") / "world.duckdb"))


@pytest.fixture(scope="module")
def con(store):
    connection = duckdb.connect(str(store), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def base(con) -> Draft:
    """USA pulling RUS from IRN in 2012, by rules v2."""
    return draft("USA", "RUS", "IRN", 2012, store=con, rules=2)


# S1′ for the base triad: trade share 50/145; arms with IRN (2 bought + 30 sold a year) of
# all RUS's arms (5 bought + 90 sold); IGO share 0.4; UN affinity 0.8; defence pact 1.
TIE = (50 / 145 + 32 / 95 + 0.4 + 0.8 + 1.0) / 5
U_DP = 2.6 / 3  # rule U1′: |x_USA - x_IRN| / 3 = |-1.0 - 1.6| / 3


# --- the rule functions -------------------------------------------------------------


def test_price_level_is_the_cpi_over_that_of_2017():
    assert v2.price_level(2017) == 1.0
    assert v2.price_level(1900) == pytest.approx(25 / 736.6)
    assert v2.price_level(1700) == v2.price_level(1800)  # the nearest year outside
    assert v2.price_level(2100) == v2.price_level(2024)


def test_size_sums_members_in_current_dollars_and_falls_back_to_milex():
    frame = pd.DataFrame(
        {"ccode": [1, 1, 2], "year": [2016, 2017, 2017], "gdp": [100.0, 100.0, 50.0]}
    )
    milex = {3: 30.0}.get
    s = v2.size(frame, [1, 2], milex)
    assert s is not None
    assert s.usd == pytest.approx(100 * (721.2 / 736.6 + 1) / 2 + 50)
    assert (s.fallback, s.ratio) == ((), 4.0)
    s = v2.size(frame, [2, 3], milex)
    assert s is not None
    assert s.usd == pytest.approx(50 + 30 / 0.03)
    assert (s.fallback, s.ratio) == ((3,), 8.0)  # A5′: the spread doubled
    assert v2.size(frame, [4], milex) is None


def test_tie_strength_is_the_mean_of_what_is_measured_with_a_floor_and_a_default():
    assert v2.tie_strength({"a": 0.2, "b": None, "c": 0.6})[0] == pytest.approx(0.4)
    assert v2.tie_strength({"a": 0.0, "b": 0.02})[0] == v2.TIE_FLOOR
    value, text = v2.tie_strength({"a": None})
    assert value == v2.TIE_DEFAULT
    assert "default" in text


def test_distance_is_the_mean_un_distance_over_member_pairs():
    ideal = pd.DataFrame({"ccode": [1, 2, 3, 3], "idealpoint": [0.0, 6.0, 1.0, 2.0]})
    assert v2.distance(ideal, [1], [3]) == pytest.approx(0.5)  # |0 - 1.5| / 3
    assert v2.distance(ideal, [1], [2, 3]) == pytest.approx((1.0 + 0.5) / 2)  # capped at 1
    assert v2.distance(ideal, [1], [9]) is None
    assert v2.distance(None, [1], [3]) is None


def test_split_value_has_a_floor_on_distance_rivalry_and_dispute():
    assert v2.split_value(1000.0, 0.5, 0.0, 0, 0)["median"] == pytest.approx(
        5 * 0.02 * 1000 * 0.5 * v2.STAKE_FLOOR
    )
    assert v2.split_value(1000.0, 0.5, 0.5, 1, 1)["median"] == pytest.approx(125)


def test_no_v2_rule_function_reads_military_expenditure():
    """The v2 stakes and means take GDP and ties only: no argument is a milex."""
    g_t, g_p, tie = 3000.0, 1000.0, 0.3
    assert v2.alliance_value(0.25, "defense", g_t, g_p)["mode"] == pytest.approx(
        0.25 * 0.03 * 1000
    )
    assert v2.partner_value(0.0, g_t, tie, "")["median"] == pytest.approx(5 * 0.02 * 3000 * 0.3)
    # doubling T's GDP doubles what T is worth to P and to D
    assert v2.partner_value(0.0, 2 * g_t, tie, "")["median"] == pytest.approx(
        2 * v2.partner_value(0.0, g_t, tie, "")["median"]
    )
    assert v2.split_value(2 * g_t, tie, 1.0, 1, 0)["median"] == pytest.approx(
        2 * v2.split_value(g_t, tie, 1.0, 1, 0)["median"]
    )


# --- the draft ----------------------------------------------------------------------


def test_a_v2_draft_says_so(base):
    assert base.rules == 2
    assert base.scenario.id == "draft-usa-rus-irn-2012-v2"
    assert "drafting-v2.md" in (base.scenario.description or "")


def test_v2_numbers_name_their_v2_rule(base):
    q = question(base)
    assert q["divider_payoff"]["value_of_split"]["assumption"].startswith("W1′")
    assert q["divider_payoff"]["political_cost"]["assumption"].startswith("W2: 0.1 x W1′")
    assert q["divider_payoff"]["budget_cap"]["assumption"].startswith("W4′")
    assert q["partner_bid"]["value_of_target"]["assumption"].startswith("P1′")
    assert q["partner_bid"]["means"]["assumption"].startswith("P2′")
    assert q["target_costs"]["partner_retaliation"]["assumption"].startswith("R2′")
    assert q["instruments"][0]["value"]["assumption"].startswith("I1′")
    assert side(base, "alliance")["value"]["assumption"].startswith("B5′")
    assert side(base, "political-affinity")["value"]["assumption"].startswith("B6′")
    (gdp,) = q["partner_bid"]["means"]["derive"]
    assert (gdp["dataset"], gdp["rule"], gdp["version"]) == ("cw_gdppop", "A3′", VERSION)
    assert gdp["sha256"] == "sha-cw_gdppop"
    assert gdp["years"] == [2008, 2012]
    rules = {r["rule"] for r in q["partner_bid"]["value_of_target"]["derive"]}
    assert rules == {"A3′", "S1′"}


def test_the_flow_bonds_are_v1s(base, con):
    v1 = draft("USA", "RUS", "IRN", 2012, store=con)
    for ident in ("trade-exports", "trade-imports", "arms-bought", "arms-sold"):
        assert bond(base, ident) == bond(v1, ident)
    assert base.features == v1.features


def test_alliance_value_is_a_share_of_the_smaller_gdp_at_the_reference_burden(base):
    x = 0.25 * 0.03 * min(G[RUS], G[IRN])
    assert tri(side(base, "alliance")["value"]) == approx(x / 2, x, 2 * x)


def test_political_value_is_phi_times_the_reference_burden_times_gdp(base):
    v = 0.03 * G[RUS] * 0.6  # A = mean(IGO 0.4, UN 0.8), as B6
    assert tri(side(base, "political-affinity")["value"]) == approx(0.005 * v, 0.02 * v, 0.05 * v)


def test_partner_value_is_five_years_of_flow_surplus_and_strategic_weight(base):
    # P's flow surplus: 30 x .05 + 20 x .10 + 2 x .25 + 30 x .20 = 10 a year
    w_p = 5 * (10 + 0.02 * G[RUS] * TIE)
    assert logn(question(base)["partner_bid"]["value_of_target"]) == approx(w_p, 4 * w_p)


def test_means_are_half_a_percent_of_gdp(base):
    q = question(base)
    assert logn(q["partner_bid"]["means"]) == approx(0.005 * G[IRN], 0.02 * G[IRN])
    assert logn(q["divider_payoff"]["budget_cap"]) == approx(0.005 * G[USA], 0.02 * G[USA])


def test_value_of_split_weighs_the_tie_by_the_distance_of_divider_and_partner(base):
    pay = question(base)["divider_payoff"]
    # USA-IRN: rivals, a dispute in 2011
    w_d = 5 * 0.02 * G[RUS] * TIE * (U_DP + 1 + 1)
    assert logn(pay["value_of_split"]) == approx(w_d, 4 * w_d)
    assert logn(pay["political_cost"]) == approx(0.3 * w_d, 1.2 * w_d)  # W2 as v1


def test_retaliation_and_default_offer_use_the_reference_burden(base, con):
    q = question(base)
    ret = 0.05 * 0.03 * G[IRN] * 0.5  # RUS-IRN not contiguous
    assert logn(q["target_costs"]["partner_retaliation"]) == approx(ret, 4 * ret)
    package = 0.05 * 0.03 * G[USA]
    assert logn(q["instruments"][0]["value"]) == approx(package, 3 * package)
    realign = question(draft("USA", "RUS", "IRN", 2012, store=con, rules=2, goal="realign"))
    demand = 0.02 * 0.03 * G[RUS]
    assert logn(realign["target_costs"]["demand"]) == approx(demand, 4 * demand)


def test_a_missing_gdp_falls_back_to_milex_with_a_doubled_spread(con):
    d = draft("CHN", "RUS", "IRN", 2012, store=con, rules=2)
    cap = question(d)["divider_payoff"]["budget_cap"]
    assert logn(cap) == approx(0.005 * G_CHN, 8 * 0.005 * G_CHN)
    assert [(r["dataset"], r["rule"]) for r in cap["derive"]] == [("cow_nmc", "A5′")]
    assert any("A5′" in w and "CHN" in w for w in d.warnings)
    # the partner's and the target's sizes are read from the GDP table as usual
    assert logn(question(d)["partner_bid"]["means"]) == approx(0.005 * G[IRN], 0.02 * G[IRN])


def test_a_store_without_gdp_drafts_v2_from_milex_and_warns(tmp_path):
    path = write_store(tmp_path / "world.duckdb")
    d = draft("USA", "RUS", "IRN", 2012, store=str(path), rules=2)
    assert any("no cw_gdppop data" in w for w in d.warnings)
    assert logn(question(d)["partner_bid"]["means"]) == approx(
        0.005 * 10_000 / 0.03, 8 * 0.005 * 10_000 / 0.03
    )
    # every log-normal sized by a fallen-back G has its p90 at eight times the median
    q = question(d)
    for money in (
        q["target_costs"]["reputation"],
        q["divider_payoff"]["value_of_split"],
        q["divider_payoff"]["political_cost"],
        q["partner_bid"]["value_of_target"],
    ):
        median, p90 = logn(money)
        assert p90 == pytest.approx(8 * median, rel=1e-5)


def test_a_state_without_military_expenditure_is_still_refused(con):
    with pytest.raises(DataError, match="no military expenditure"):
        draft("USA", "RUS", "CAN", 2012, store=con, rules=2)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["divider", "target", "partner"])
def test_doubling_a_military_budget_changes_nothing_in_a_v2_draft(store, tmp_path, role):
    """O_max and C_T of v2 no longer follow military spending: with every GDP in the
    store, doubling the divider's, the target's or the partner's military expenditure
    leaves the v2 scenario (hence O* and O_max) unchanged; v1's changes."""
    code = {"divider": USA, "target": RUS, "partner": IRN}[role]
    doubled = tmp_path / "doubled.duckdb"
    shutil.copy(store, doubled)
    with duckdb.connect(str(doubled)) as c:
        c.execute("UPDATE cow_nmc SET milex = 2 * milex WHERE ccode = ?", [code])

    def both(path: Path, rules: int) -> Draft:
        return draft("USA", "RUS", "IRN", 2012, store=str(path), rules=rules)

    assert both(doubled, 2).scenario.model_dump() == both(store, 2).scenario.model_dump()
    assert both(doubled, 1).scenario.model_dump() != both(store, 1).scenario.model_dump()


def test_threat_credibility_compares_gdp(con):
    coerce = [{"type": "coercion"}]
    d = draft("USA", "RUS", "IRN", 2012, store=con, rules=2, instruments=coerce)
    (threat,) = question(d)["threats"]
    assert tri(threat["credibility"]) == approx(0.35, 0.5, 0.65)  # 0.3 + dispute + G_D > G_T
    assert threat["credibility"]["assumption"].startswith("I3′")
    assert threat["value"]["assumption"].startswith("I3′")
    value = 0.05 * 0.03 * G[USA]
    assert logn(threat["value"]) == approx(value, 4 * value)


def test_prevent_counts_the_prospective_pact_in_the_tie(con):
    d = draft("CHN", "RUS", "USA", 2012, store=con, rules=2, prevent=True)
    text = question(d)["partner_bid"]["value_of_target"]["assumption"]
    assert "obligation 1.000" in text
    x = 0.25 * 0.03 * min(G[RUS], G[USA])
    assert tri(side(d, "alliance")["value"]) == approx(x / 2, x, 2 * x)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("USA", "RUS", "IRN", 2012), {}),
        (("USA", "RUS", ["IRN", "CHN"], 2020), {"goal": "realign"}),
        (("CHN", "RUS", "USA", 2012), {"prevent": True, "instruments": [{"type": "coercion"}]}),
    ],
    ids=["base", "coalition-stale-realign", "prevent-coercion"],
)
def test_every_v2_number_has_a_derive_record_or_a_rule_assumption(con, args, kwargs):
    d = draft(*args, store=con, rules=2, **kwargs)
    assert set(unsourced(d)) <= B6_SCHEMA_DEFAULTS


def test_draft_many_gives_the_drafts_of_draft(con):
    triads = [("USA", "RUS", "IRN"), ("CHN", "RUS", "USA"), ("USA", "RUS", "CAN")]
    many = draft_many(triads, 2012, con=con, rules=2, errors="return")
    assert isinstance(many[2], DataError)
    for (d, t, p), got in zip(triads[:2], many[:2], strict=True):
        one = draft(d, t, p, 2012, store=con, rules=2)
        assert got.scenario.model_dump() == one.scenario.model_dump()


def test_rules_other_than_one_and_two_are_refused(con):
    with pytest.raises(ValueError, match="expected 1 or 2"):
        draft("USA", "RUS", "IRN", 2012, store=con, rules=3)


def test_the_v2_draft_is_valid_and_prices_finitely(base):
    from alliances.analysis.wedge import wedge

    assert parse_yaml(base.to_yaml()).model_dump() == base.scenario.model_dump()
    result = wedge(base.scenario, samples=2000, sobol_samples=0, seed=1)
    assert math.isfinite(float(result.flip_price["p50"]))


# --- the command line ---------------------------------------------------------------

DRAFT = ["scenario", "draft", "--divider", "USA", "--target", "RUS", "--partner", "IRN"]


@pytest.mark.slow
def test_cli_draft_takes_rules(store):
    runner = CliRunner()
    result = runner.invoke(
        app, [*DRAFT, "--year", "2012", "--store", str(store), "--rules", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "draft-usa-rus-irn-2012-v2"
    assert "W1′" in data["scenario"]
    default = runner.invoke(app, [*DRAFT, "--year", "2012", "--store", str(store), "--json"])
    assert json.loads(default.stdout)["id"] == "draft-usa-rus-irn-2012"
    bad = runner.invoke(app, [*DRAFT, "--year", "2012", "--store", str(store), "--rules", "3"])
    assert bad.exit_code == 2


# --- the real data ------------------------------------------------------------------


@pytest.mark.data
@pytest.mark.parametrize(
    ("triad", "year"),
    [(("USA", "RUS", "IRN"), 2016), (("GBR", "ITA", "GMY"), 1912)],
    ids=["usa-rus-irn-2016", "gbr-ita-deu-1912"],
)
def test_real_store_drafts_by_rules_v2(real_store, triad, year):
    from alliances.analysis.wedge import wedge

    d = draft(*triad, year, store=real_store[0], rules=2)
    assert isinstance(d.scenario, Scenario)
    assert parse_yaml(d.to_yaml()).model_dump() == d.scenario.model_dump()
    target = d.scenario.question.target
    schema_defaults = {x.replace(".RUS.", f".{target}.") for x in B6_SCHEMA_DEFAULTS}
    assert set(unsourced(d)) <= schema_defaults
    assert not any("A5′" in w for w in d.warnings)  # Fariss et al. cover all three
    cap = question(d)["divider_payoff"]["budget_cap"]
    assert cap["derive"][0]["dataset"] == "cw_gdppop"
    result = wedge(d.scenario, samples=2000, sobol_samples=0, seed=1)
    assert math.isfinite(float(result.flip_price["p50"]))
