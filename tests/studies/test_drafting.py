"""The drafting rules of docs/drafting.md on a tiny hand-made store.

The store holds four states (2 USA, 365 RUS, 630 IRN, 710 CHN) in 2010-2012, plus a
Canada without military expenditure and a United Kingdom of 1913-1914, with numbers
chosen so that every rule can be checked by hand. A draft for 2012 reads the window
2008-2012 (rule A2), of which the store has the last three years.

Hand-computed figures of the store (USD m unless said):

- military expenditure (NMC, thousands of USD): USA 600,000; RUS 60,000 (50, 60 and 70
  bn in 2010-2012); IRN 10,000; CHN 100,000.
- RUS's yearly mean exports: IRN 30 (20, 30, 40), CHN 60, USA 10 (total 100);
  imports: IRN 20 (10, 20, 30), CHN 20, USA 5 (total 45).
- SIPRI TIV 2008-2012 (5 years): RUS sold IRN 150 (30/yr), CHN 300 (60/yr); RUS bought
  from IRN 10 (2/yr), from CHN 15 (3/yr).
- ATOP in 2012: RUS-IRN defence (and consultation), RUS-CHN consultation only (their
  defence pact is in 2010, not the last year of the window).
- rivalries USA-RUS and USA-IRN; disputes USA-RUS 2012 and IRN-USA 2011; a war USA-IRN
  in 2005; RUS-CHN contiguous by land (type 1), RUS-IRN not (type 0), USA-RUS by 150
  miles of sea (type 4).
- UN ideal points RUS 1.0, IRN 1.6, USA -1.0, CHN 1.3; RUS's IGOs 100, shared with IRN 40,
  with CHN 50; RUS polyarchy 0.25.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError
from alliances.scenario import Scenario, load, parse_yaml
from alliances.studies.drafting import Draft, draft
from alliances.studies.drafting.data import World as _World
from alliances.studies.drafting.data import window as _window
from alliances.world.registry import DATASETS

USA, RUS, IRN, CHN, CAN, UKG = 2, 365, 630, 710, 20, 200
YEARS = (2010, 2011, 2012)
VERSION = "test-1"
RULE_ID = re.compile(r"^[A-Z][0-9]+\b")


# --- the store ----------------------------------------------------------------------


def _both(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Directed dyad rows (a, b, ...) and (b, a, ...)."""
    return rows + [(b, a, *rest) for a, b, *rest in rows]


def _tables() -> dict[str, pd.DataFrame]:
    nmc = [(USA, y, 600e6) for y in YEARS]
    nmc += [(RUS, 2010, 50e6), (RUS, 2011, 60e6), (RUS, 2012, 70e6)]
    nmc += [(IRN, y, 10e6) for y in YEARS] + [(CHN, y, 100e6) for y in YEARS]
    nmc += [(CAN, y, -9.0) for y in YEARS]  # NMC's code for missing
    nmc += [(c, 2020, m) for c, m in ((USA, 600e6), (RUS, 60e6), (IRN, 10e6), (CHN, 100e6))]
    nmc += [(UKG, 1913, 2000.0), (UKG, 1914, 10000.0)]  # pounds, then dollars (thousands)

    # flow1: imports of ccode1 from ccode2; flow2: imports of ccode2 from ccode1
    trade = [
        (RUS, IRN, 2010, 10.0, 20.0),
        (RUS, IRN, 2011, 20.0, 30.0),
        (RUS, IRN, 2012, 30.0, 40.0),
        *[(RUS, CHN, y, 20.0, 60.0) for y in YEARS],
        *[(USA, RUS, y, 10.0, 5.0) for y in YEARS],  # RUS is ccode2 here
        *[(USA, IRN, y, 1.0, 1.0) for y in YEARS],  # not the target's
        (CAN, RUS, 2012, -9.0, -9.0),  # missing: no flow
    ]
    tiv = [
        (RUS, IRN, 2010, 100),
        (RUS, IRN, 2011, 30),
        (RUS, IRN, 2011, 20),  # two deals of one year
        (IRN, RUS, 2012, 10),
        *[(RUS, CHN, y, 100) for y in YEARS],
        (CHN, RUS, 2012, 15),
        (RUS, None, 2012, 999),  # a recipient without a COW code is not read
    ]
    atop = _both(
        [
            (RUS, IRN, 2010, 0, 0, 0, 0, 1),
            (RUS, IRN, 2011, 0, 0, 0, 0, 1),
            (RUS, IRN, 2012, 1, 0, 0, 0, 1),
            (RUS, CHN, 2010, 1, 0, 0, 0, 1),
            (RUS, CHN, 2011, 0, 0, 0, 0, 1),
            (RUS, CHN, 2012, 0, 0, 0, 0, 1),
        ]
    )
    d = dt.date
    contdir = _both(
        [
            (RUS, CHN, 1.0, d(1949, 10, 1), d(2016, 12, 31)),
            (RUS, IRN, 0.0, d(1992, 1, 1), d(2016, 12, 31)),
            (USA, RUS, 4.0, d(1992, 1, 1), d(2016, 12, 31)),
        ]
    )
    ideal = {RUS: (0.9, 1.0, 1.1), IRN: (1.6,) * 3, USA: (-1.0,) * 3, CHN: (1.3,) * 3}
    return {
        "cow_nmc": pd.DataFrame(nmc, columns=["ccode", "year", "milex"]),
        "cow_trade_ndy": pd.DataFrame(
            trade, columns=["ccode1", "ccode2", "year", "flow1", "flow2"]
        ),
        "sipri_tiv": pd.DataFrame(
            tiv, columns=["supplier_cown", "recipient_cown", "year", "value"]
        ).astype({"recipient_cown": "Int64"}),
        "atop_alliance": pd.DataFrame(
            atop,
            columns=[
                "ccode1",
                "ccode2",
                "year",
                "atop_defense",
                "atop_offense",
                "atop_neutral",
                "atop_nonagg",
                "atop_consul",
            ],
        ),
        "tss_rivalries": pd.DataFrame(
            [(USA, RUS, 1945, 2020), (USA, IRN, 1979, 2020)],
            columns=["ccode1", "ccode2", "start", "end"],
        ),
        "cow_mid_ddydisps": pd.DataFrame(
            [(IRN, USA, 2011), (USA, RUS, 2012)], columns=["ccode1", "ccode2", "year"]
        ),
        "cow_war_inter": pd.DataFrame([(USA, IRN, 2005)], columns=["ccode1", "ccode2", "year"]),
        "cow_contdir": pd.DataFrame(
            contdir, columns=["ccode1", "ccode2", "conttype", "stdate", "enddate"]
        ),
        "unga_idealpoints": pd.DataFrame(
            [(c, y, v) for c, vs in ideal.items() for y, v in zip(YEARS, vs, strict=True)],
            columns=["ccode", "year", "idealpointfp"],
        ),
        "cow_igo_ndy": pd.DataFrame(
            [
                (a, b, y, n)
                for a, b, n in ((RUS, IRN, 40.0), (RUS, CHN, 50.0), (USA, RUS, 60.0))
                for y in YEARS
            ],
            columns=["ccode1", "ccode2", "year", "dyadigos"],
        ),
        "cow_igo_sy": pd.DataFrame(
            [(RUS, y, 90.0, 10.0) for y in YEARS],
            columns=["ccode", "year", "sum_igo_full", "sum_igo_associate"],
        ),
        "cw_democracy": pd.DataFrame(
            [(RUS, y, 0.25) for y in YEARS] + [(USA, y, 0.9) for y in YEARS],
            columns=["ccode", "year", "v2x_polyarchy"],
        ),
    }


def _provenance(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for name, frame in tables.items():
        years = DATASETS[name].years or (None, None)
        rows.append(
            {
                "name": name,
                "title": f"Test {name}",
                "version": VERSION,
                "citation": "hand-made for the tests",
                "cite_keys": "",
                "files": f"{name}.csv",
                "sha256": f"sha-{name}",
                "rows": len(frame),
                "first_year": years[0],
                "last_year": years[1],
                "unit": "test",
                "unmatched": "[]",
                "note": "",
                "loaded_at": "2026-01-01T00:00:00+00:00",
            }
        )
    return pd.DataFrame(rows)


def write_store(path: Path) -> Path:
    """Write the hand-made store to ``path`` (the backtest's tests use it too)."""
    tables = _tables()
    con = duckdb.connect(str(path))
    try:
        for name, frame in {**tables, "datasets": _provenance(tables)}.items():
            con.register("frame", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("draft") / "world.duckdb")


@pytest.fixture(scope="module")
def con(store):
    connection = duckdb.connect(str(store), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def base(con) -> Draft:
    """USA pulling RUS from IRN in 2012."""
    return draft("USA", "RUS", "IRN", 2012, store=con)


# --- helpers ------------------------------------------------------------------------


def bond(d: Draft, ident: str) -> dict[str, Any]:
    data = d.scenario.model_dump(mode="json", by_alias=True)
    found = [b for b in data["bonds"] if b["id"] == ident]
    assert found, f"no bond {ident!r} in {[b['id'] for b in data['bonds']]}"
    return found[0]


def side(d: Draft, ident: str, state: str = "RUS") -> dict[str, Any]:
    return bond(d, ident)["sides"][state]


def question(d: Draft) -> dict[str, Any]:
    return d.scenario.model_dump(mode="json", by_alias=True)["question"]


def tri(q: dict[str, Any]) -> tuple[float, float, float]:
    assert q["dist"] == "triangular", q
    return q["low"], q["mode"], q["high"]


def logn(q: dict[str, Any]) -> tuple[float, float]:
    assert q["dist"] == "lognormal", q
    return q["median"], q["p90"]


def approx(*values: float) -> Any:
    return pytest.approx(values, rel=1e-5, abs=1e-9)


def bond_ids(d: Draft) -> set[str]:
    return {b.id for b in d.scenario.bonds}


def unsourced(d: Draft) -> list[str]:
    """The paths of the scenario's quantities that carry neither a full ``derive``
    record nor an ``assumption`` starting with a rule id."""
    keys = {"low", "mode", "value", "median"}
    bad: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            numeric = any(isinstance(node.get(k), int | float) for k in keys)
            if "dist" in node or numeric:
                records = node.get("derive") or ()
                sourced = bool(records) and all(
                    r["dataset"] and r["version"] and r["sha256"] and r["years"] and r["rule"]
                    for r in records
                )
                if not (sourced or RULE_ID.match(node.get("assumption") or "")):
                    bad.append(path)
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for k, value in enumerate(node):
                label = value.get("id", k) if isinstance(value, dict) else k
                walk(value, f"{path}[{label}]")

    walk(d.scenario.model_dump(mode="json", by_alias=True), "")
    return bad


# B6 gives the political bond a value and a loss only: its substitutability and
# adjustment years are the schema's defaults (0 and 0 years), which cite no rule.
B6_SCHEMA_DEFAULTS = {
    ".bonds[political-affinity].sides.RUS.substitutability",
    ".bonds[political-affinity].sides.RUS.adjustment_years",
}


# --- B1, B2, H1: trade --------------------------------------------------------------


def test_exports_bond_is_the_yearly_mean_of_the_targets_exports_to_the_partner(base):
    rus = side(base, "trade-exports")
    # RUS is ccode1 of (365, 630): its exports are flow2 (IRN's imports): 20, 30, 40
    assert tri(rus["revenue"]) == approx(24, 30, 36)
    assert rus["revenue"]["unit"] == "USD m/yr"
    assert tri(rus["margin"]) == approx(0.05, 0.10, 0.20)
    assert tri(rus["loss"]) == approx(0.1, 0.3, 0.6)
    assert tri(rus["adjustment_years"]) == approx(1, 2, 4)
    assert bond(base, "trade-exports")["direction"] == "RUS->IRN"


def test_imports_bond_is_the_yearly_mean_of_the_targets_imports_from_the_partner(base):
    rus = side(base, "trade-imports")
    assert tri(rus["revenue"]) == approx(16, 20, 24)  # flow1: 10, 20, 30
    assert tri(rus["margin"]) == approx(0.02, 0.05, 0.10)
    assert bond(base, "trade-imports")["direction"] == "IRN->RUS"


def test_trade_revenue_carries_a_derive_record_with_version_sha_years_and_rule(base):
    (rec,) = side(base, "trade-exports")["revenue"]["derive"]
    assert rec["dataset"] == "cow_trade_ndy"
    assert rec["version"] == VERSION
    assert rec["sha256"] == "sha-cow_trade_ndy"
    assert rec["years"] == [2008, 2012]
    assert rec["rule"] == "B1"
    assert "exports" in rec["query"]
    (rec,) = side(base, "trade-imports")["revenue"]["derive"]
    assert rec["rule"] == "B2"


def test_substitutability_is_one_minus_the_hhi_of_the_targets_exports(base):
    # exports 30 (IRN), 60 (CHN), 10 (USA, where RUS is ccode2): HHI .09+.36+.01 = .46
    assert tri(side(base, "trade-exports")["substitutability"]) == approx(0.34, 0.54, 0.74)


def test_substitutability_of_imports_uses_the_imports_shares(base):
    # imports 20, 20, 5 of 45: HHI = 825/2025; the missing (-9) Canadian row is no flow
    m = 1 - 825 / 2025
    s = side(base, "trade-imports")["substitutability"]
    assert tri(s) == approx(m - 0.2, m, m + 0.2)
    assert s["assumption"].startswith("H1")


def test_trade_share_feature_is_the_partners_share_of_the_targets_trade(base):
    assert base.features["trade_share_TP"] == pytest.approx(50 / 145)


# --- B3, B4: arms -------------------------------------------------------------------


def test_arms_bought_is_the_tiv_over_the_window_length(base):
    rus = side(base, "arms-bought")
    assert tri(rus["revenue"]) == approx(1.6, 2, 2.4)  # 10 TIV over 2008-2012
    assert rus["revenue"]["assumption"].startswith("C2")
    assert rus["revenue"]["derive"][0]["dataset"] == "sipri_tiv"
    assert rus["revenue"]["derive"][0]["rule"] == "B3"
    assert tri(rus["margin"]) == approx(0.10, 0.20, 0.40)
    assert tri(rus["loss"]) == approx(0.5, 0.8, 1.0)
    assert tri(rus["adjustment_years"]) == approx(2, 4, 8)
    # suppliers IRN 2, CHN 3: HHI .16 + .36
    assert tri(rus["substitutability"]) == approx(0.28, 0.48, 0.68)
    assert bond(base, "arms-bought")["direction"] == "IRN->RUS"


def test_arms_sold_sums_the_deals_of_a_year_and_divides_by_the_window_length(base):
    rus = side(base, "arms-sold")
    assert tri(rus["revenue"]) == approx(24, 30, 36)  # (100 + 30 + 20) / 5
    assert rus["revenue"]["derive"][0]["rule"] == "B4"
    assert tri(rus["margin"]) == approx(0.15, 0.25, 0.40)
    assert tri(rus["adjustment_years"]) == approx(1, 2, 4)
    # customers IRN 30, CHN 60: HHI 1/9 + 4/9
    m = 4 / 9
    assert tri(rus["substitutability"]) == approx(m - 0.2, m, m + 0.2)


# --- A3 and B5: money and alliances -------------------------------------------------


def test_alliance_value_is_a_quarter_of_the_smaller_milex_for_a_defence_pact(base):
    rus = side(base, "alliance")
    # min(M_RUS 60,000, M_IRN 10,000) x 0.25; a defence pact beats the consultation
    assert tri(rus["value"]) == approx(1250, 2500, 5000)
    assert rus["value"]["unit"] == "USD m/yr"
    assert [r["dataset"] for r in rus["value"]["derive"]] == ["cow_nmc", "atop_alliance"]
    assert tri(rus["loss"]) == approx(0.7, 0.9, 1.0)
    assert tri(rus["substitutability"]) == approx(0.0, 0.2, 0.5)
    assert tri(rus["adjustment_years"]) == approx(2, 5, 10)
    assert base.features["allied_TP"] == 1.0


def test_alliance_is_read_in_the_last_year_of_the_window_only(con):
    d = draft("USA", "RUS", "CHN", 2012, store=con)
    # RUS-CHN: defence in 2010, consultation only in 2012 -> a = 0.05 of min(60,000, 100,000)
    assert tri(side(d, "alliance")["value"]) == approx(1500, 3000, 6000)
    assert "consul" in bond(d, "alliance")["description"]


def test_no_alliance_bond_without_an_atop_row(con):
    d = draft("CHN", "RUS", "USA", 2012, store=con)
    assert "alliance" not in bond_ids(d)
    assert d.features["allied_TP"] == 0.0


def test_prevent_prices_the_prospective_defence_pact(con):
    d = draft("CHN", "RUS", "USA", 2012, store=con, prevent=True)
    value = side(d, "alliance")["value"]
    assert tri(value) == approx(7500, 15000, 30000)  # 0.25 x min(60,000, 600,000)
    assert [r["dataset"] for r in value["derive"]] == ["cow_nmc"]
    assert "prospective" in bond(d, "alliance")["description"]


def test_milex_is_thousands_of_dollars_and_pounds_before_1914(con):
    world = _World(con, 1914, [UKG])
    # 1913: 2,000 thousand pounds x 4.87; 1914: 10,000 thousand dollars; mean, / 1000
    assert world.milex([UKG]) == pytest.approx((2000 * 4.87 + 10000) / 2 / 1000)
    assert _World(con, 2012, [USA, RUS]).milex([USA, RUS]) == pytest.approx(660_000)
    assert _World(con, 2012, [CAN]).milex([CAN]) is None  # -9 is missing


def test_a_state_without_military_expenditure_is_refused_by_name(con):
    with pytest.raises(DataError, match=r"no military expenditure.*Canada.*2008-2012"):
        draft("USA", "RUS", "CAN", 2012, store=con)


# --- B6, R1, R2, K1: the target's costs ---------------------------------------------


def test_political_bond_is_phi_times_milex_times_the_mean_affinity(base):
    # IGO share 40/100, UN affinity 1 - |1.0 - 1.6| / 3 = 0.8: A = 0.6, M_T A = 36,000
    rus = side(base, "political-affinity")
    assert tri(rus["value"]) == approx(180, 720, 1800)
    assert tri(rus["loss"]) == approx(0.5, 0.8, 1.0)
    datasets = {r["dataset"] for r in rus["value"]["derive"]}
    assert datasets == {"cow_nmc", "cow_igo_ndy", "unga_idealpoints"}


def test_reputation_is_a_year_of_bond_surplus_times_one_plus_polyarchy(base):
    # 30 x .10 + 20 x .05 + 2 x .20 + 30 x .25 + 2,500 + 720 = 3,231.9; x (1 + 0.25)
    rep = question(base)["target_costs"]["reputation"]
    assert logn(rep) == approx(3231.9 * 1.25, 3231.9 * 1.25 * 4)


def test_retaliation_is_halved_when_target_and_partner_are_not_contiguous(base, con):
    ret = question(base)["target_costs"]["partner_retaliation"]
    assert logn(ret) == approx(250, 1000)  # 0.05 x 10,000 x 0.5 (RUS-IRN type 0)
    assert "not contiguous" in ret["assumption"]
    near = draft("USA", "RUS", "CHN", 2012, store=con)
    ret = question(near)["target_costs"]["partner_retaliation"]
    assert logn(ret) == approx(5000, 20000)  # 0.05 x 100,000 (RUS-CHN by land)


def test_retaliation_counts_only_contiguity_types_one_to_three(con):
    d = draft("CHN", "RUS", "USA", 2012, store=con)  # USA-RUS: type 4
    ret = question(d)["target_costs"]["partner_retaliation"]
    assert logn(ret) == approx(15000, 60000)  # 0.05 x 600,000 x 0.5


def test_demand_is_priced_only_to_realign(base, con):
    assert question(base)["target_costs"].get("demand") is None
    d = draft("USA", "RUS", "IRN", 2012, store=con, goal="realign")
    assert logn(question(d)["target_costs"]["demand"]) == approx(1200, 4800)
    assert question(d)["goal"] == "realign"


# --- P1-P4: the partner -------------------------------------------------------------


def test_partner_bid_from_its_own_surplus_and_means(base):
    bid = question(base)["partner_bid"]
    # P's surplus: 30 x .05 + 20 x .10 + 2 x .25 + 30 x .20 + 2,500 = 2,510 a year
    assert logn(bid["value_of_target"]) == approx(12550, 50200)
    assert tri(bid["means"]) == approx(500, 1000, 2500)
    assert tri(bid["cost_per_value"]) == approx(1.0, 1.3, 2.0)


def test_partner_credibility_depends_on_the_alliance(base, con):
    assert tri(question(base)["partner_bid"]["credibility"]) == approx(0.6, 0.8, 0.95)
    loose = draft("CHN", "RUS", "USA", 2012, store=con)
    assert tri(question(loose)["partner_bid"]["credibility"]) == approx(0.3, 0.5, 0.7)
    pact = draft("CHN", "RUS", "USA", 2012, store=con, prevent=True)
    assert tri(question(pact)["partner_bid"]["credibility"]) == approx(0.6, 0.8, 0.95)


def test_partner_value_is_at_least_a_hundredth_of_its_milex(con):
    # CHN as partner of IRN: no bond of IRN with CHN in the store
    d = draft("USA", "IRN", "CHN", 2012, store=con)
    assert logn(question(d)["partner_bid"]["value_of_target"]) == approx(1000, 4000)


# --- W1-W3, I1-I3: the divider ------------------------------------------------------


def test_value_of_split_and_political_cost_grow_with_rivalry_and_disputes(base, con):
    pay = question(base)["divider_payoff"]
    # USA-IRN rivals with a dispute: 0.05 x 600,000 x 3; USA-RUS too: 0.1 x W1 x 3
    assert logn(pay["value_of_split"]) == approx(90000, 360000)
    assert logn(pay["political_cost"]) == approx(27000, 108000)
    assert tri(pay["cost_per_value"]) == approx(0.3, 0.6, 1.0)
    calm = question(draft("CHN", "RUS", "IRN", 2012, store=con))["divider_payoff"]
    assert logn(calm["value_of_split"]) == approx(5000, 20000)  # 0.05 x 100,000
    assert logn(calm["political_cost"]) == approx(500, 2000)


def test_default_offer_is_a_twentieth_of_the_dividers_milex(base):
    (offer,) = question(base)["instruments"]
    assert logn(offer["value"]) == approx(30000, 90000)
    assert offer["value"]["assumption"].startswith("I1")


def test_blocked_rises_with_rivalry_dispute_and_war_and_falls_with_alliance(base, con):
    def blocked(d: Draft) -> tuple[float, float, float]:
        return tri(question(d)["instruments"][0]["blocked"])

    def renege(d: Draft) -> tuple[float, float, float]:
        return tri(question(d)["instruments"][0]["renege"])

    allied = draft("CHN", "RUS", "IRN", 2012, store=con)  # consultation pact CHN-RUS
    at_war = draft("USA", "IRN", "RUS", 2012, store=con)  # rivals, dispute, war 2005
    assert blocked(allied) == approx(0.0, 0.1, 0.25)  # 0.2 - 0.1, cut at 0
    assert blocked(base) == approx(0.35, 0.5, 0.65)  # 0.2 + 0.15 + 0.15
    assert blocked(at_war) == approx(0.45, 0.6, 0.75)  # 0.2 + 0.15 + 0.15 + 0.1
    assert renege(allied) == approx(0.025, 0.05, 0.1)
    assert renege(base) == approx(0.05, 0.1, 0.2)  # rivals: 0.05 + 0.05
    assert base.features["rival_DT"] == 1.0
    assert allied.features["rival_DT"] == 0.0


def test_a_coercion_instrument_becomes_a_threat(con):
    coerce = [{"type": "coercion", "description": "sanctions"}]
    d = draft("USA", "RUS", "IRN", 2012, store=con, instruments=coerce)
    q = question(d)
    (threat,) = q["threats"]
    assert threat["description"] == "sanctions"
    assert logn(threat["value"]) == approx(30000, 120000)
    # 0.3 + 0.1 (dispute USA-RUS) + 0.1 (M_USA > M_RUS)
    assert tri(threat["credibility"]) == approx(0.35, 0.5, 0.65)
    assert tri(threat["backlash"]) == approx(0.1, 0.3, 0.5)
    # no reward in the question: it still gets the default package (I1)
    assert [o["id"] for o in q["instruments"]] == ["default-offer"]


def test_a_reward_with_a_value_keeps_it(con):
    value = {"value": 5000, "unit": "USD m", "assumption": "I1: the question's package"}
    reward = [{"type": "reward", "description": "sanctions relief", "value": value}]
    d = draft("USA", "RUS", "IRN", 2012, store=con, instruments=reward)
    (offer,) = question(d)["instruments"]
    assert (offer["id"], offer["value"]["value"], offer["value"]["unit"]) == (
        "offer-1",
        5000,
        "USD m",
    )


def test_question_horizon_discount_and_goal(base):
    q = question(base)
    assert (q["divider"], q["target"], q["partner"], q["goal"]) == ("USA", "RUS", "IRN", "neutral")
    assert q["horizon"] == 10
    assert tri(q["discount_rate"]) == approx(0.03, 0.05, 0.08)


def test_features_of_the_logistic_baseline(base):
    assert base.features["log_means_DP"] == pytest.approx(math.log(60))
    # UN affinity USA-RUS 1 - 2/3, IRN-RUS 0.8
    assert base.features["affinity_gap"] == pytest.approx(1 / 3 - 0.8)


# --- A1: coalitions -----------------------------------------------------------------


def test_a_coalition_partner_is_one_actor_with_summed_flows_and_members(con):
    d = draft("USA", "RUS", ["IRN", "CHN"], 2012, store=con)
    s = d.scenario
    assert s.question.partner == "IRN+CHN"
    assert {(m.member, m.bloc) for m in s.memberships} == {("IRN", "IRN+CHN"), ("CHN", "IRN+CHN")}
    assert tri(side(d, "trade-exports")["revenue"]) == approx(72, 90, 108)  # 30 + 60
    assert tri(side(d, "trade-imports")["revenue"]) == approx(32, 40, 48)  # 20 + 20
    assert tri(side(d, "arms-sold")["revenue"]) == approx(72, 90, 108)  # 30 + 60
    assert tri(side(d, "arms-bought")["revenue"]) == approx(4, 5, 6)  # 2 + 3
    # strongest obligation of any member: the IRN defence pact; M_P = 10,000 + 100,000
    assert tri(side(d, "alliance")["value"]) == approx(7500, 15000, 30000)
    assert tri(question(d)["partner_bid"]["means"]) == approx(5500, 11000, 27500)
    # A = mean(IGO (0.4 + 0.5) / 2, UN (0.8 + 0.9) / 2) = 0.65
    assert tri(side(d, "political-affinity")["value"]) == approx(195, 780, 1950)
    assert d.features["trade_share_TP"] == pytest.approx(130 / 145)


def test_the_target_may_not_be_a_member_of_the_partner(con):
    with pytest.raises(DataError, match="also a member"):
        draft("USA", "RUS", ["RUS", "IRN"], 2012, store=con)


# --- A2: windows --------------------------------------------------------------------


def test_window_is_the_five_years_to_the_draft_year():
    w = _window("cow_trade_ndy", 2012)
    assert w is not None
    assert (w.years, w.stale) == ((2008, 2012), False)


def test_window_cut_short_by_the_end_of_a_dataset():
    assert DATASETS["cow_trade_ndy"].years[1] == 2014
    w = _window("cow_trade_ndy", 2016)
    assert w is not None
    assert (w.years, w.stale) == ((2012, 2014), False)


def test_window_after_a_dataset_reads_its_last_five_years_as_stale():
    w = _window("cow_trade_ndy", 2020)
    assert w is not None
    assert (w.years, w.stale) == ((2010, 2014), True)
    assert _window("cow_trade_ndy", 2024) is not None  # ten years after its end
    assert _window("cow_trade_ndy", 2025) is None
    assert _window("cow_trade_ndy", 2030) is None
    assert _window("sipri_tiv", 1940) is None  # before SIPRI starts


def test_draft_after_the_trade_data_reads_to_their_end_and_warns(con):
    d = draft("USA", "RUS", "IRN", 2016, store=con)
    # 2012-2014 read; the store has 2012 only: exports 40, imports 30
    rus = side(d, "trade-exports")
    assert tri(rus["revenue"]) == approx(32, 40, 48)
    assert rus["revenue"]["derive"][0]["years"] == [2012, 2014]
    assert any("cow_trade_ndy ends in 2014" in w for w in d.warnings)


def test_stale_data_double_the_spread_and_say_so(con):
    d = draft("USA", "RUS", "IRN", 2020, store=con)
    assert tri(side(d, "trade-exports")["revenue"]) == approx(18, 30, 42)
    assert tri(side(d, "trade-imports")["revenue"]) == approx(12, 20, 28)
    assert any("cow_trade_ndy read over 2010-2014" in w and "doubled" in w for w in d.warnings)
    assert any("no cow_war_inter data for 2020" in w for w in d.warnings)


def test_missing_polyarchy_is_zero_and_warned(con):
    d = draft("USA", "IRN", "RUS", 2012, store=con)
    assert any("polyarchy" in w for w in d.warnings)
    assert "polyarchy 0.00" in question(d)["target_costs"]["reputation"]["assumption"]


# --- the scenario as a whole --------------------------------------------------------


def test_the_draft_is_a_valid_scenario_that_round_trips_through_yaml(base, tmp_path):
    assert isinstance(base.scenario, Scenario)
    text = base.to_yaml()
    assert text.startswith("# warning: ")  # war data end in 2007
    again = parse_yaml(text)
    assert again.model_dump() == base.scenario.model_dump()
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    assert load(str(path)).model_dump() == base.scenario.model_dump()


def test_the_draft_runs_through_the_wedge_with_a_finite_median_price(base):
    from alliances.analysis.wedge import wedge

    result = wedge(base.scenario, samples=2000, sobol_samples=0, seed=1)
    p50 = float(result.flip_price["p50"])
    assert math.isfinite(p50)
    assert p50 > 0


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("USA", "RUS", "IRN", 2012), {}),
        (("USA", "RUS", ["IRN", "CHN"], 2020), {"goal": "realign"}),
        (("CHN", "RUS", "USA", 2012), {"prevent": True, "instruments": [{"type": "coercion"}]}),
    ],
    ids=["base", "coalition-stale-realign", "prevent-coercion"],
)
def test_every_number_has_a_derive_record_or_a_rule_assumption(con, args, kwargs):
    d = draft(*args, store=con, **kwargs)
    assert set(unsourced(d)) <= B6_SCHEMA_DEFAULTS


# --- the command line ---------------------------------------------------------------


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


DRAFT = ["scenario", "draft", "--divider", "USA", "--target", "RUS", "--partner", "IRN"]


def test_cli_draft_prints_json_with_id_features_and_warnings(store):
    result = _cli(*DRAFT, "--year", "2012", "--store", str(store), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"id", "features", "warnings"} <= set(data)
    assert data["id"] == "draft-usa-rus-irn-2012"
    assert data["features"]["allied_TP"] == 1.0
    assert parse_yaml(data["scenario"]).id == data["id"]


def test_cli_draft_writes_a_file_that_validate_accepts(store, tmp_path):
    out = tmp_path / "drafted.yaml"
    result = _cli(*DRAFT, "--year", "2012", "--store", str(store), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file()
    checked = _cli("scenario", "validate", str(out))
    assert checked.exit_code == 0, checked.output


def test_cli_draft_without_a_store_exits_2_with_a_clear_message(tmp_path):
    missing = tmp_path / "nowhere.duckdb"
    result = _cli(*DRAFT, "--year", "2012", "--store", str(missing))
    assert result.exit_code == 2
    assert "no store here" in result.stderr
    assert "Traceback" not in result.output


def test_cli_draft_refuses_an_unknown_goal(store):
    result = _cli(*DRAFT, "--year", "2012", "--store", str(store), "--goal", "bogus")
    assert result.exit_code == 2
    assert "neutral or realign" in result.stderr


# --- the real data ------------------------------------------------------------------


@pytest.mark.data
def test_real_store_drafts_usa_russia_iran_2016(real_store):
    from alliances.analysis.wedge import wedge

    d = draft("USA", "RUS", "IRN", 2016, store=real_store[0])
    assert isinstance(d.scenario, Scenario)
    assert parse_yaml(d.to_yaml()).model_dump() == d.scenario.model_dump()
    assert any("cow_trade_ndy ends in 2014" in w for w in d.warnings)
    assert set(unsourced(d)) <= B6_SCHEMA_DEFAULTS
    result = wedge(d.scenario, samples=2000, sobol_samples=0, seed=1)
    assert math.isfinite(float(result.flip_price["p50"]))


def test_an_organisation_partner_is_its_members_in_the_year_less_the_target(con):
    d = draft("USA", "RUS", "org:sco", 2012, store=con)  # the table's members, no COW IGO here
    partner = d.scenario.question.partner
    members = {m.member for m in d.scenario.memberships if m.bloc == partner}
    assert partner == "SCO"
    assert "CHN" in members
    assert "RUS" not in members  # the target is read out of the organisation


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ({"instruments": [{"type": "bribe"}]}, "'type' 'reward' or 'coercion'"),
        ({"instruments": "reward"}, "instruments='reward': expected a list"),
        ({"offer": float("nan")}, "offer=nan: expected a finite amount in USD, 0 or more"),
        ({"offer": -5e9}, "offer=-5000000000.0: expected a finite amount"),
        ({"goal": "ally"}, "goal='ally': expected 'neutral' or 'realign'"),
    ],
)
def test_drafting_arguments_are_refused_naming_the_argument(store, arguments, said):
    from alliances.errors import ParameterError

    with pytest.raises(ParameterError, match=re.escape(said)):
        draft("USA", "RUS", "IRN", 2016, store=store, **arguments)


def test_a_whole_float_year_drafts_the_same_scenario_as_the_int(store):
    as_float = draft("USA", "RUS", "IRN", 2016.0, store=store)  # type: ignore[arg-type]
    as_int = draft("USA", "RUS", "IRN", 2016, store=store)
    assert as_float.scenario.id == as_int.scenario.id == "draft-usa-rus-irn-2016"
    assert as_float.to_yaml() == as_int.to_yaml()


def test_a_state_cow_lists_under_another_name_is_drafted_by_its_own():
    from alliances.studies.drafting.actors import resolve_actor

    serbia = resolve_actor("Serbia", 2014)
    assert (serbia.id, serbia.name, serbia.codes) == ("SRB", "Serbia", (345,))
    with pytest.raises(DataError, match="Serbia has no COW code"):
        resolve_actor("Serbia", 1995)  # COW's 345 is Yugoslavia then, not Serbia
