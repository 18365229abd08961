"""Tests of the scenario schema, its quantities and units, and YAML in and out."""

from __future__ import annotations

import json
import math
import os
import re
from importlib import resources
from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML

import alliances.scenario as scenario_pkg
from alliances import countries
from alliances.errors import AlliancesError, ScenarioError
from alliances.scenario import (
    LogNormal,
    Point,
    Quantity,
    Triangular,
    Uniform,
    builtin_names,
    dump_yaml,
    json_schema,
    load,
    load_builtin,
    parse_yaml,
    save,
)
from alliances.scenario.quantity import parse_unit
from conftest import SHARED

BUILTIN = "russia-iran-2017"
ESSAY = SHARED / "seeds" / "000_0c90206f52bad03e.txt"

MINIMAL = """\
id: mini
title: A minimal scenario
year: 2017
references:
  ref1:
    citation: A work cited for the test.
actors:
  - state: United States
  - state: Russia
  - state: Iran
bonds:
  - id: arms
    kind: military
    between: [RUS, IRN]
    sides:
      RUS:
        value:
          dist: triangular
          low: 1
          mode: 2
          high: 3
          unit: USD bn/yr
          source: ref1
question:
  divider: USA
  target: RUS
  partner: IRN
  horizon: 10
  discount_rate: {value: 0.05, unit: 1/yr, assumption: a rate}
  target_costs:
    reputation: {value: 1, unit: USD bn, assumption: rep}
    partner_retaliation: {value: 1, unit: USD bn, assumption: ret}
  partner_bid:
    value_of_target: {value: 10, unit: USD bn, assumption: vot}
    means: {value: 5, unit: USD bn, assumption: means}
    cost_per_value: {value: 1, unit: ratio, assumption: gp}
    credibility: {value: 0.5, assumption: kp}
  divider_payoff:
    value_of_split: {value: 10, unit: USD bn, assumption: wd}
    political_cost: {value: 1, unit: USD bn, assumption: cd}
    cost_per_value: {value: 0.3, unit: ratio, assumption: gd}
  instruments:
    - id: relief
      value: {value: 5, unit: USD bn/yr, assumption: relief}
      blocked: {value: 0.3, assumption: q}
      renege: {value: 0.1, unit: 1/yr, assumption: lambda}
"""


# --- helpers --------------------------------------------------------------------------


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the single occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, snippet: str) -> int:
    """The 1-based line of the single line of ``text`` that contains ``snippet``."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if snippet in line]
    assert len(lines) == 1, f"{snippet!r} is on lines {lines}"
    return lines[0]


def broken(text: str) -> ScenarioError:
    """The error that parsing ``text`` as 'broken.yaml' raises."""
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, file="broken.yaml")
    return info.value


def problem_at(error: ScenarioError, path: str):
    found = [p for p in error.problems if p.path == path]
    assert found, f"no problem at {path!r}; got {[p.path for p in error.problems]}"
    return found[0]


def quantities(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every quantity (a mapping with a 'dist') in a model_dump, with its path."""
    found = []
    if isinstance(node, dict):
        if "dist" in node:
            found.append((path, node))
        for key, value in node.items():
            found += quantities(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += quantities(value, f"{path}[{i}]")
    return found


def sources(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every non-empty 'source' string in a model_dump, with its path."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                found.append((f"{path}.source", value))
            else:
                found += sources(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += sources(value, f"{path}[{i}]")
    return found


def cites(source: str | None, key: str) -> bool:
    return source is not None and key in [part.strip() for part in source.split(";")]


def quantity(**fields: Any):
    return TypeAdapter(Quantity).validate_python(fields)


@pytest.fixture(scope="module")
def builtin():
    return load_builtin(BUILTIN)


@pytest.fixture(scope="module")
def builtin_text() -> str:
    return (
        resources.files("alliances.scenario.builtin")
        .joinpath(f"{BUILTIN}.yaml")
        .read_text(encoding="utf-8")
    )


@pytest.fixture(scope="module")
def essay() -> str:
    if not ESSAY.exists():
        pytest.skip(f"the seed essay {ESSAY} is absent (it lives outside the repository)")
    return ESSAY.read_text(encoding="utf-8")


@pytest.fixture
def minimal():
    return parse_yaml(MINIMAL, file="mini.yaml")


# --- the built-in scenario ------------------------------------------------------------


def test_builtin_is_listed(builtin):
    assert BUILTIN in builtin_names()
    assert builtin.id == BUILTIN
    assert builtin.year == 2017


def test_builtin_question_is_us_dividing_russia_from_iran(builtin):
    q = builtin.question
    assert (q.divider, q.target, q.partner) == ("USA", "RUS", "IRN")
    assert q.goal == "neutral"


def test_builtin_question_refers_to_actors_by_name_and_capital(builtin_text):
    raw = YAML(typ="safe").load(builtin_text)["question"]
    # The file uses a name and two capitals; the loaded scenario holds actor ids.
    assert (raw["divider"], raw["target"], raw["partner"]) == ("United States", "Moscow", "Tehran")


def test_load_accepts_a_builtin_name(builtin):
    assert load(BUILTIN) == builtin


def test_unknown_builtin_name_lists_the_builtins():
    with pytest.raises(ScenarioError, match=rf"no built-in scenario 'nope'.*{BUILTIN}"):
        load_builtin("nope")


def test_builtin_state_actors_get_iso3_ids(builtin):
    ids = {a.id for a in builtin.actors}
    assert {"USA", "RUS", "IRN", "CHN", "SYR", "CSTO", "SCO", "EAEU"} <= ids
    assert builtin.actor("RUS").country == countries.resolve(365)
    assert builtin.actor("RUS").label == "Russia"
    assert builtin.actor("EAEU").label == "Eurasian Economic Union"


def test_eaeu_has_five_members_and_two_candidates(builtin):
    def standing(status: str) -> set[str]:
        return {m.member for m in builtin.memberships if m.bloc == "EAEU" and m.status == status}

    def iso3(*names: str) -> set[str]:
        return {countries.resolve(n).iso3 for n in names}

    assert standing("member") == iso3("Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia")
    assert standing("candidate") == iso3("Mongolia", "Tajikistan")


def test_iran_is_an_sco_observer_not_a_member(builtin):
    iran = [m for m in builtin.memberships if m.member == "IRN" and m.bloc == "SCO"]
    assert [m.status for m in iran] == ["observer"]
    assert cites(iran[0].source, "fa2017")


def test_every_builtin_quantity_has_a_source_or_an_assumption(builtin):
    found = quantities(builtin.model_dump())
    paths = {path for path, _ in found}
    # 23 on the Russia–Iran bonds, 16 in the question, 5 in the context
    assert len(found) == 44, "the walk should reach every quantity"
    assert {
        ".bonds[4].sides.RUS.adjustment_years",  # a default filled in by the schema
        ".question.threats[0].backlash",
        ".question.instruments[0].renege",
        ".context[4].value",
    } <= paths
    untraced = [path for path, q in found if not (q["source"] or q["assumption"])]
    assert untraced == []


def test_every_builtin_reference_key_is_defined(builtin):
    found = sources(builtin.model_dump())
    assert len(found) >= 40
    undefined = []
    keys_used = set()
    for path, source in found:
        for part in (p.strip() for p in source.split(";")):
            if part and " " not in part:  # a reference key, not a free-text citation
                keys_used.add(part)
                if part not in builtin.references:
                    undefined.append((path, part))
    assert undefined == []
    assert {"fa2017", "imf2015", "sco2017", "eaeu2014"} <= keys_used


def test_every_builtin_bond_between_russia_and_iran_values_russias_side(builtin):
    bonds = builtin.bonds_between("RUS", "IRN")
    assert {b.id for b in bonds} >= {"arms-deals", "nuclear-commerce", "trade"}
    for bond in bonds:
        assert "RUS" in bond.sides, bond.id


# --- the essay's figures --------------------------------------------------------------


def _context(scenario, item_id: str):
    [item] = [c for c in scenario.context if c.id == item_id]
    return item.value


@pytest.mark.parametrize(
    ("item_id", "value", "unit", "base"),
    [
        ("crimea-cost", 7.5, "USD bn/yr", 7.5e9),
        ("syria-contractors", 150, "USD m/month", 1.8e9),
        ("gdp-2015", -3.5, "%", -0.035),
        ("gdp-2016", -1.0, "%", -0.01),
        ("iran-sanctions-relief", 100, "USD bn", 100e9),
    ],
)
def test_essay_figure_is_in_the_builtin_with_a_citation(builtin, item_id, value, unit, base):
    q = _context(builtin, item_id)
    assert isinstance(q, Point)
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.mean() == pytest.approx(base)
    assert cites(q.source, "fa2017")


def test_essay_arms_deals_are_at_least_ten_bn_over_five_years(builtin):
    [bond] = [b for b in builtin.bonds if b.id == "arms-deals"]
    assert bond.between == ("RUS", "IRN")
    assert bond.direction == "RUS->IRN"
    assert bond.years == 5
    revenue = bond.sides["RUS"].revenue
    assert revenue.unit == "USD bn/yr"
    assert revenue.support()[0] == pytest.approx(2.0)
    assert revenue.support()[0] * bond.years == pytest.approx(10.0)
    assert cites(revenue.source, "fa2017")
    assert cites(bond.source, "fa2017")


def test_essay_sanctions_relief_bounds_irans_means(builtin):
    means = builtin.question.partner_bid.means
    assert means.support()[1] * means.factor <= _context(builtin, "iran-sanctions-relief").mean()
    assert cites(means.source, "fa2017")


@pytest.mark.parametrize(
    "pattern",
    [
        r"\$7\.5 billion",  # Crimea, per year
        r"\$150 million",  # Syria contractors, per month
        r"3\.5 percent",  # GDP 2015
        r"one percent",  # GDP 2016
        r"\$100 billion",  # Iran's sanctions relief
        r"\$10 billion",  # arms deals
        r"four members in addition to Russia",
        r"Mongolia and Tajikistan",
    ],
)
def test_builtin_figures_are_the_essays(essay, pattern):
    assert re.search(pattern, essay), pattern


def test_builtin_file_copies_no_twelve_word_run_of_the_essay(essay, builtin_text):
    def normal(text: str) -> str:
        return " ".join(text.lower().split())

    words = normal(essay).split()
    yaml_text = normal(builtin_text)
    assert len(words) > 500
    copied = [
        " ".join(words[i : i + 12])
        for i in range(len(words) - 11)
        if " ".join(words[i : i + 12]) in yaml_text
    ]
    assert copied == []


def test_builtin_file_copies_no_twelve_word_run_ignoring_punctuation(essay, builtin_text):
    def tokens(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))

    essay_words = tokens(essay)
    yaml_words = tokens(builtin_text)
    yaml_runs = {tuple(yaml_words[i : i + 12]) for i in range(len(yaml_words) - 11)}
    copied = [
        " ".join(essay_words[i : i + 12])
        for i in range(len(essay_words) - 11)
        if tuple(essay_words[i : i + 12]) in yaml_runs
    ]
    assert copied == []


# --- YAML round trip and saving -------------------------------------------------------


def test_dump_then_parse_gives_the_same_builtin(builtin):
    text = dump_yaml(builtin)
    assert text.startswith("schema_version: 1\n")
    assert parse_yaml(text) == builtin


def test_dump_then_parse_gives_the_same_minimal_scenario(minimal):
    assert parse_yaml(dump_yaml(minimal)) == minimal


def test_dump_leaves_out_defaults(minimal):
    text = dump_yaml(minimal)
    assert "goal:" not in text  # neutral is the default
    assert "loss:" not in text  # BondSide default
    assert "direction:" not in text  # mutual is the default


def test_save_then_load_gives_the_same_scenario(builtin, tmp_path):
    path = tmp_path / "scenario.yaml"
    assert save(builtin, path) == path
    assert load(path) == builtin
    assert load(str(path)) == builtin
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.yaml"]


def test_save_replaces_an_existing_file(builtin, minimal, tmp_path):
    path = tmp_path / "scenario.yaml"
    save(minimal, path)
    save(builtin, path)
    assert load(path) == builtin


def test_failed_save_keeps_the_old_file_and_leaves_no_temporary_file(
    builtin, minimal, tmp_path, monkeypatch
):
    path = tmp_path / "scenario.yaml"
    save(minimal, path)
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="simulated"):
        save(builtin, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["scenario.yaml"]
    monkeypatch.undo()
    assert load(path) == minimal


def test_failed_write_leaves_no_temporary_file(minimal, tmp_path, monkeypatch):
    def refuse(fd):
        raise OSError("fsync failed (simulated)")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError, match="simulated"):
        save(minimal, tmp_path / "new.yaml")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_saved_file_gets_ordinary_permissions(minimal, tmp_path):
    old = os.umask(0o022)
    try:
        path = save(minimal, tmp_path / "scenario.yaml")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_load_of_a_missing_path_names_it_and_lists_the_builtins(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(ScenarioError, match=rf"no such file.*built-ins: {BUILTIN}") as info:
        load(missing)
    assert info.value.file == str(missing)
    assert str(missing) in str(info.value)
    assert isinstance(info.value, AlliancesError)


def test_load_of_a_directory_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load(tmp_path)


def test_load_reports_problems_with_the_file_path(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(edit(MINIMAL, "horizon: 10", "horizon: ten"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=re.escape(f"{path}: 1 problem")) as info:
        load(path)
    assert info.value.file == str(path)
    assert problem_at(info.value, "question.horizon").line == line_of(MINIMAL, "horizon: 10")


# --- the minimal scenario and actor references ----------------------------------------


def test_minimal_scenario_is_valid(minimal):
    assert [a.id for a in minimal.actors] == ["USA", "RUS", "IRN"]
    assert minimal.bonds[0].between == ("RUS", "IRN")
    assert minimal.bonds[0].sides["RUS"].is_flow
    assert minimal.question.goal == "neutral"


def test_actor_references_by_number_name_adjective_and_capital(minimal):
    text = edit(MINIMAL, "divider: USA", "divider: 2")
    text = edit(text, "target: RUS", "target: the Kremlin")
    text = edit(text, "partner: IRN", "partner: Iranian")
    text = edit(text, "between: [RUS, IRN]", "between: [Moscow, Persian]")
    text = edit(text, "      RUS:\n", "      Russian Federation:\n")
    s = parse_yaml(text)
    assert (s.question.divider, s.question.target, s.question.partner) == ("USA", "RUS", "IRN")
    assert s.bonds[0].between == ("RUS", "IRN")
    assert set(s.bonds[0].sides) == {"RUS"}
    assert s == minimal  # the same scenario as written with ids


def test_bond_direction_is_stored_with_actor_ids():
    text = edit(
        MINIMAL,
        "    between: [RUS, IRN]\n",
        "    between: [RUS, IRN]\n    direction: Moscow->Tehran\n",
    )
    assert parse_yaml(text).bonds[0].direction == "RUS->IRN"


def test_bond_direction_must_join_its_two_actors():
    text = edit(
        MINIMAL, "    between: [RUS, IRN]\n", "    between: [RUS, IRN]\n    direction: RUS->USA\n"
    )
    err = broken(text)
    assert (
        "expected 'mutual', 'RUS->IRN' or 'IRN->RUS'"
        in problem_at(err, "bonds[0].direction").message
    )


def test_two_sides_naming_the_same_actor_are_reported():
    text = edit(
        MINIMAL,
        "          source: ref1\n",
        "          source: ref1\n"
        "      Moscow:\n"
        "        value: {value: 9, unit: USD bn/yr, assumption: x}\n",
    )
    err = broken(text)
    assert any(p.path.startswith("bonds[0].sides") for p in err.problems)


# --- validation errors ----------------------------------------------------------------


def test_error_names_the_file_the_line_and_the_path():
    text = edit(MINIMAL, "high: 3", "high: 1.5")
    err = broken(text)
    assert len(err.problems) == 1
    problem = problem_at(err, "bonds[0].sides.RUS.value.high")
    assert problem.line == line_of(text, "high: 1.5")
    assert problem.message == "should be >= mode=2, got 1.5"
    assert err.file == "broken.yaml"
    assert str(err).splitlines() == [
        "broken.yaml: 1 problem",
        f"  line {problem.line}, bonds[0].sides.RUS.value.high: should be >= mode=2, got 1.5",
    ]
    assert isinstance(err, AlliancesError)
    assert isinstance(err, ValueError)


def test_triangular_mode_below_low_is_reported():
    text = edit(MINIMAL, "low: 1\n", "low: 2.5\n")
    problem = problem_at(broken(text), "bonds[0].sides.RUS.value.mode")
    assert problem.message == "should be >= low=2.5, got 2"
    assert problem.line == line_of(text, "mode: 2")


def test_unknown_country_in_actors_is_reported_with_a_suggestion():
    text = edit(MINIMAL, "state: Russia", "state: Rusia")
    problem = problem_at(broken(text), "actors[1].state")
    assert problem.line == line_of(text, "state: Rusia")
    assert "'Rusia' is not a known country name or code" in problem.message
    assert re.search(r"Did you mean: 'Russia'", problem.message)


def test_unknown_actor_in_question_lists_the_scenarios_actors():
    text = edit(MINIMAL, "partner: IRN", "partner: China")
    problem = problem_at(broken(text), "question.partner")
    assert problem.line == line_of(text, "partner: China")
    assert problem.message == (
        "unknown actor 'China'; expected one of the scenario's actors: IRN, RUS, USA"
    )


def test_money_without_a_unit_is_rejected():
    text = edit(
        MINIMAL,
        "value: {value: 5, unit: USD bn/yr, assumption: relief}",
        "value: {value: 5, assumption: relief}",
    )
    problem = problem_at(broken(text), "question.instruments[0].value")
    assert problem.line == line_of(text, "value: {value: 5, assumption: relief}")
    assert problem.message.startswith("a money amount needs a unit")
    assert "USD or USD/yr" in problem.message


def test_monthly_money_where_a_one_off_sum_is_expected_is_rejected():
    text = edit(
        MINIMAL,
        "reputation: {value: 1, unit: USD bn, assumption: rep}",
        "reputation: {value: 1, unit: USD m/month, assumption: rep}",
    )
    problem = problem_at(broken(text), "question.target_costs.reputation")
    assert problem.message == "expected a quantity in USD, got unit 'USD m/month'"


def test_quantity_without_source_or_assumption_is_rejected():
    text = edit(
        MINIMAL,
        "reputation: {value: 1, unit: USD bn, assumption: rep}",
        "reputation: {value: 1, unit: USD bn}",
    )
    problem = problem_at(broken(text), "question.target_costs.reputation")
    assert problem.line == line_of(text, "reputation:")
    assert "needs a 'source' or an 'assumption'" in problem.message


def test_share_above_one_is_rejected():
    text = edit(
        MINIMAL,
        "credibility: {value: 0.5, assumption: kp}",
        "credibility: {value: 1.5, assumption: kp}",
    )
    problem = problem_at(broken(text), "question.partner_bid.credibility")
    assert problem.message == "values should be <= 1, but this quantity reaches 1.5"


def test_unknown_unit_is_reported_with_the_expected_units():
    text = edit(MINIMAL, "unit: USD bn/yr\n          source", "unit: EUR bn\n          source")
    problem = problem_at(broken(text), "bonds[0].sides.RUS.value.unit")
    assert problem.line == line_of(text, "unit: EUR bn")
    assert "unknown unit 'EUR bn'" in problem.message
    assert "'USD', 'USD m' or 'USD bn'" in problem.message


def test_unknown_distribution_is_reported():
    text = edit(MINIMAL, "dist: triangular", "dist: beta")
    problem = problem_at(broken(text), "bonds[0].sides.RUS.value")
    assert "expected a quantity" in problem.message
    assert "'lognormal' (median, p90)" in problem.message


def test_unknown_top_level_field_is_reported():
    text = edit(MINIMAL, "year: 2017\n", "year: 2017\ncolour: blue\n")
    problem = problem_at(broken(text), "colour")
    assert problem.line == line_of(text, "colour: blue")
    assert problem.message == "unknown field (check its spelling and the schema)"


def test_unknown_field_inside_a_quantity_is_reported():
    text = edit(
        MINIMAL,
        "means: {value: 5, unit: USD bn, assumption: means}",
        "means: {value: 5, unit: USD bn, assumption: means, colour: x}",
    )
    problem = problem_at(broken(text), "question.partner_bid.means.colour")
    assert problem.line == line_of(text, "colour: x")
    assert "unknown field" in problem.message


def test_several_errors_are_all_reported_at_once():
    text = edit(MINIMAL, "high: 3", "high: 1.5")
    text = edit(text, "horizon: 10", "horizon: ten")
    text = edit(text, "year: 2017\n", "year: 2017\ncolour: blue\n")
    text = edit(text, "partner: IRN", "partner: Atlantis")
    text = edit(text, "credibility: {value: 0.5, assumption: kp}", "credibility: {value: 0.5}")
    err = broken(text)
    expected = {
        "bonds[0].sides.RUS.value.high": "high: 1.5",
        "question.horizon": "horizon: ten",
        "colour": "colour: blue",
        "question.partner": "partner: Atlantis",
        "question.partner_bid.credibility": "credibility: {value: 0.5}",
    }
    assert len(err.problems) >= 3
    for path, snippet in expected.items():
        assert problem_at(err, path).line == line_of(text, snippet)
    assert f"broken.yaml: {len(err.problems)} problems" in str(err)
    assert "got 'ten'" in problem_at(err, "question.horizon").message


def test_invalid_yaml_syntax_is_reported_with_its_line():
    text = edit(MINIMAL, "title: A minimal scenario", "title: A minimal: scenario")
    err = broken(text)
    [problem] = err.problems
    assert problem.line == line_of(text, "title:")
    assert problem.message.startswith("not valid YAML")
    assert str(err).startswith("broken.yaml: 1 problem")


def test_duplicate_yaml_key_is_reported_with_its_line():
    text = edit(MINIMAL, "year: 2017\n", "year: 2017\nyear: 2018\n")
    [problem] = broken(text).problems
    assert "duplicate key" in problem.message
    assert problem.line == line_of(text, "year: 2018")


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- a\n- b\n", "list"), ("just words\n", "str"), ("null\n", "NoneType")],
)
def test_document_that_is_not_a_mapping_is_rejected(text, kind):
    [problem] = broken(text).problems
    assert problem.path == ""
    assert problem.message == f"expected a mapping of scenario fields, got {kind}"


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# a scenario, to be written\n", "  # indented\n\n# two\n", "---\n"]
)
def test_an_empty_or_comment_only_file_says_it_is_empty_and_what_it_should_hold(text):
    [problem] = broken(text).problems
    assert problem.path == ""
    assert problem.message.startswith("the file is empty (it holds only blank lines or comments)")
    assert "a scenario file is a mapping of scenario fields: id, title, year" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "fields"),
    [
        ("means: {value: 5,", "means: {value: 5, low: 1, high: 6,", ["low", "high"]),
        ("credibility: {value: 0.5,", "credibility: {value: 0.5, mode: 0.4,", ["mode"]),
    ],
)
def test_a_value_with_low_or_high_says_to_choose_one_form(old, new, fields):
    text = edit(MINIMAL, old, new)
    err = broken(text)
    quantity = old.split(":")[0]
    for field in fields:
        problem = next(p for p in err.problems if p.path.endswith(f"{quantity}.{field}"))
        assert problem.line == line_of(text, new)
        assert problem.message.startswith(
            f"'{field}' and 'value' are two forms of a quantity; choose one: a point 'value', "
            "or 'low'/'high' (uniform), 'low'/'mode'/'high' (triangular)"
        )
        assert "unknown field" not in problem.message


def test_a_parameter_of_another_distribution_names_the_one_chosen():
    text = edit(MINIMAL, "dist: triangular", "dist: uniform")
    problem = problem_at(broken(text), "bonds[0].sides.RUS.value.mode")
    assert problem.message.startswith(
        "'mode' is not a parameter of a uniform quantity (low, high); choose one form:"
    )


def test_a_field_unknown_to_every_quantity_is_still_an_unknown_field():
    text = edit(MINIMAL, "means: {value: 5,", "means: {value: 5, colour: red,")
    problem = problem_at(broken(text), "question.partner_bid.means.colour")
    assert problem.message == "unknown field (check its spelling and the schema)"


def test_goal_neutral_with_a_demand_cost_is_rejected():
    text = edit(
        MINIMAL,
        "    partner_retaliation:",
        "    demand: {value: 1, unit: USD bn, assumption: kt}\n    partner_retaliation:",
    )
    problem = problem_at(broken(text), "question")
    assert "target_costs.demand" in problem.message
    assert "realign" in problem.message


def test_goal_realign_needs_a_demand_cost():
    text = edit(MINIMAL, "  horizon: 10", "  goal: realign\n  horizon: 10")
    problem = problem_at(broken(text), "question")
    assert re.search(r"realign needs target_costs\.demand", problem.message)
    with_demand = edit(
        text,
        "    partner_retaliation:",
        "    demand: {value: 1, unit: USD bn, assumption: kt}\n    partner_retaliation:",
    )
    assert parse_yaml(with_demand).question.goal == "realign"


def test_divider_target_and_partner_must_differ():
    text = edit(MINIMAL, "target: RUS", "target: Washington")
    problem = problem_at(broken(text), "question")
    assert "three different actors" in problem.message


def test_repeated_actor_is_rejected():
    text = edit(MINIMAL, "  - state: Iran\n", "  - state: Iran\n  - state: Tehran\n")
    problem = problem_at(broken(text), "actors[3].state")
    assert "Iran is already the actor 'IRN'" in problem.message
    bloc = "  - {id: CSTO, organisation: Collective Security Treaty Organization}\n"
    text = edit(MINIMAL, "  - state: Iran\n", f"  - state: Iran\n{bloc}{bloc}")
    err = broken(text)
    assert any("ids must be unique, repeated: CSTO" in p.message for p in err.problems)


def test_a_second_actor_for_a_state_is_refused_at_its_line_naming_the_first():
    text = edit(MINIMAL, "  - state: Iran\n", "  - state: Iran\n  - id: PERSIA\n    state: 630\n")
    problem = problem_at(broken(text), "actors[3].state")
    assert problem.line == line_of(text, "state: 630")
    assert "Iran is already the actor 'IRN' (actors[2])" in problem.message


def test_question_without_instruments_is_rejected():
    text = MINIMAL.split("  instruments:")[0]
    problem = problem_at(broken(text), "question.instruments")
    assert problem.message == "Field required"


def test_bond_side_with_value_and_margin_is_rejected():
    text = edit(
        MINIMAL,
        "          source: ref1\n",
        "          source: ref1\n        margin: {value: 0.2, assumption: m}\n",
    )
    problem = problem_at(broken(text), "bonds[0].sides.RUS")
    assert "not both" in problem.message


def test_bond_side_of_an_actor_outside_the_bond_is_rejected():
    text = edit(MINIMAL, "      RUS:\n", "      USA:\n")
    problem = problem_at(broken(text), "bonds[0]")
    assert "sides ['USA'] are not in between=['RUS', 'IRN']" in problem.message


def test_without_a_file_name_the_error_says_scenario():
    with pytest.raises(ScenarioError, match=r"^scenario: 1 problem"):
        parse_yaml(edit(MINIMAL, "horizon: 10", "horizon: 0"))


# --- units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("USD m/month", ("USD/yr", 12e6)),
        ("USD bn/yr", ("USD/yr", 1e9)),
        ("USD bn", ("USD", 1e9)),
        ("USD", ("USD", 1.0)),
        ("USD m", ("USD", 1e6)),
        ("USD/month", ("USD/yr", 12.0)),
        ("usd billion / year", ("USD/yr", 1e9)),
        ("%", ("fraction", 0.01)),
        ("percent", ("fraction", 0.01)),
        ("fraction", ("fraction", 1.0)),
        ("1/yr", ("1/yr", 1.0)),
        ("%/yr", ("1/yr", 0.01)),
        ("years", ("years", 1.0)),
        ("ratio", ("ratio", 1.0)),
    ],
)
def test_parse_unit(unit, expected):
    dim, factor = parse_unit(unit)
    assert dim == expected[0]
    assert factor == pytest.approx(expected[1])


@pytest.mark.parametrize("unit", ["EUR bn", "USD bn/week", "kg", ""])
def test_unknown_unit_lists_the_expected_units(unit):
    with pytest.raises(
        ValueError, match=r"unknown unit .*expected 'USD', 'USD m' or 'USD bn'"
    ) as info:
        parse_unit(unit)
    for expected in ("'/month'", "'fraction'", "'%'", "'1/yr'", "'years'", "'ratio'"):
        assert expected in str(info.value)


def test_monthly_quantity_is_converted_to_a_yearly_one():
    q = quantity(low=100, mode=150, high=200, unit="USD m/month", assumption="x")
    assert q.dimension == "USD/yr"
    assert q.factor == pytest.approx(12e6)
    assert q.mean() == pytest.approx(150 * 12e6)
    assert q.ppf(np.array([0.0, 0.5, 1.0])) == pytest.approx([1.2e9, 1.8e9, 2.4e9])
    assert q.support() == (100, 200)  # in stated units


def test_percent_quantity_has_factor_one_hundredth():
    q = quantity(value=-3.5, unit="%", source="s")
    assert q.dimension == "fraction"
    assert q.factor == 0.01
    assert q.mean() == pytest.approx(-0.035)


def test_quantity_without_unit_has_factor_one():
    q = quantity(value=0.4, assumption="x")
    assert q.dimension is None
    assert q.factor == 1.0
    assert q.mean() == 0.4


def test_quantity_with_unknown_unit_is_rejected():
    with pytest.raises(ValidationError, match="unknown unit 'EUR'"):
        quantity(value=1, unit="EUR", source="s")


def test_quantity_needs_a_source_or_an_assumption():
    with pytest.raises(ValidationError, match="needs a 'source' or an 'assumption'"):
        quantity(value=1)
    assert quantity(value=1, source="s").source == "s"
    assert quantity(value=1, assumption="a").assumption == "a"


# --- distributions --------------------------------------------------------------------


def test_triangular_symmetric_ppf_and_mean():
    q = Triangular(low=0, mode=1, high=2, assumption="x")
    assert q.ppf(np.array([0.0, 0.5, 1.0])) == pytest.approx([0.0, 1.0, 2.0])
    # left branch: a + sqrt(u (b - a)(c - a)) = sqrt(2u); right: b - sqrt(2(1 - u))
    assert q.ppf(np.array([0.125, 0.875])) == pytest.approx([0.5, 1.5])
    assert q.mean() == pytest.approx(1.0)
    assert q.support() == (0, 2)
    assert q.is_uncertain


def test_triangular_skewed_ppf_and_mean():
    q = Triangular(low=0, mode=3, high=4, assumption="x")
    # F(mode) = (c - a)/(b - a) = 0.75; median = sqrt(0.5 * 4 * 3) = sqrt(6)
    assert q.ppf(np.array([0.75]))[0] == pytest.approx(3.0)
    assert q.ppf(np.array([0.5]))[0] == pytest.approx(math.sqrt(6))
    assert q.ppf(np.array([0.9375]))[0] == pytest.approx(4 - math.sqrt(0.0625 * 4))
    assert q.mean() == pytest.approx(7 / 3)


def test_triangular_with_mode_at_an_end():
    left = Triangular(low=0, mode=0, high=1, assumption="x")
    assert left.ppf(np.array([0.0, 0.75, 1.0])) == pytest.approx([0.0, 0.5, 1.0])
    right = Triangular(low=0, mode=1, high=1, assumption="x")
    assert right.ppf(np.array([0.0, 0.25, 1.0])) == pytest.approx([0.0, 0.5, 1.0])


def test_degenerate_triangular_is_a_point():
    q = Triangular(low=2, mode=2, high=2, assumption="x")
    assert q.ppf(np.array([0.0, 0.3, 1.0])) == pytest.approx([2.0, 2.0, 2.0])
    assert not q.is_uncertain


def test_triangular_ppf_is_the_inverse_of_its_cdf():
    q = Triangular(low=1, mode=2, high=5, assumption="x")
    x = q.ppf(np.linspace(0, 1, 101))
    a, c, b = 1.0, 2.0, 5.0
    cdf = np.where(
        x < c, (x - a) ** 2 / ((b - a) * (c - a)), 1 - (b - x) ** 2 / ((b - a) * (b - c))
    )
    assert cdf == pytest.approx(np.linspace(0, 1, 101))


def test_lognormal_ppf_hits_median_and_p90():
    q = LogNormal(median=4, p90=12, assumption="x")
    assert q.ppf(np.array([0.5, 0.9])) == pytest.approx([4.0, 12.0])
    # symmetric in log space: the 10th centile is median² / p90
    assert q.ppf(np.array([0.1]))[0] == pytest.approx(16 / 12)
    sigma = math.log(3) / 1.2815515655446004
    assert q.sigma == pytest.approx(sigma)
    assert q.mean() == pytest.approx(4 * math.exp(sigma**2 / 2))
    assert q.support() == (0.0, math.inf)


def test_lognormal_with_p90_equal_to_median_is_refused():
    # A lognormal without spread is a fixed number, which is written 'value:'.
    with pytest.raises(ValidationError, match=r"should be above median=5, got 5.*'value: 5'"):
        LogNormal(median=5, p90=5, assumption="x")


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"median": 0, "p90": 1}, "greater than 0"),
        ({"median": 5, "p90": 4}, "should be >= median=5, got 4"),
        ({"low": 3, "high": 2}, "should be >= low=3, got 2"),
        ({"low": 0, "mode": 3, "high": 2}, "should be >= mode=3, got 2"),
    ],
)
def test_inconsistent_distribution_parameters_are_rejected(fields, match):
    with pytest.raises(ValidationError, match=match):
        quantity(**fields, assumption="x")


def test_uniform_ppf_and_mean():
    q = Uniform(low=2, high=6, unit="USD bn", assumption="x")
    assert q.ppf(np.array([0.0, 0.25, 1.0])) == pytest.approx([2e9, 3e9, 6e9])
    assert q.mean() == pytest.approx(4e9)
    assert q.support() == (2, 6)


def test_point_ppf_and_mean():
    q = Point(value=7.5, unit="USD bn/yr", source="s")
    assert q.ppf(np.array([0.0, 0.5, 1.0])) == pytest.approx([7.5e9, 7.5e9, 7.5e9])
    assert q.mean() == pytest.approx(7.5e9)
    assert not q.is_uncertain


@pytest.mark.parametrize(
    ("fields", "cls"),
    [
        ({"value": 1}, Point),
        ({"low": 0, "mode": 1, "high": 2}, Triangular),
        ({"median": 1, "p90": 2}, LogNormal),
        ({"low": 0, "high": 2}, Uniform),
        ({"dist": "uniform", "low": 0, "high": 2}, Uniform),
        ({"dist": "point", "value": 3}, Point),
    ],
)
def test_distribution_is_inferred_when_dist_is_left_out(fields, cls):
    q = quantity(**fields, assumption="x")
    assert type(q) is cls
    assert q.dist == cls.model_fields["dist"].default


def test_explicit_dist_must_match_its_parameters():
    with pytest.raises(ValidationError):
        quantity(dist="lognormal", low=0, high=2, assumption="x")


# --- JSON Schema ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(json_schema())


@pytest.fixture(scope="module")
def validator(schema):
    jsonschema = pytest.importorskip("jsonschema")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _builtin_data(builtin_text: str) -> dict[str, Any]:
    return YAML(typ="safe").load(builtin_text)


def test_json_schema_is_valid_json_of_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "alliances scenario"
    assert schema["type"] == "object"
    assert {"id", "title", "year", "actors", "question"} <= set(schema["required"])
    assert {"Point", "Triangular", "LogNormal", "Uniform", "Question"} <= set(schema["$defs"])


def test_json_schema_is_a_valid_schema(validator):
    assert validator is not None


def test_builtin_yaml_validates_against_the_json_schema(validator, builtin_text):
    errors = [e.message for e in validator.iter_errors(_builtin_data(builtin_text))]
    assert errors == []


def test_builtin_yaml_with_explicit_actor_ids_validates_against_the_json_schema(
    validator, builtin, builtin_text
):
    data = _builtin_data(builtin_text)
    for raw, actor in zip(data["actors"], builtin.actors, strict=True):
        raw.setdefault("id", actor.id)
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_dumped_yaml_validates_against_the_json_schema(validator, builtin):
    data = YAML(typ="safe").load(dump_yaml(builtin))
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_json_schema_rejects_an_unknown_field(validator, builtin):
    data = YAML(typ="safe").load(dump_yaml(builtin))
    data["colour"] = "blue"
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("'colour' was unexpected" in m for m in messages)


def test_package_exports_the_public_api():
    for name in scenario_pkg.__all__:
        assert hasattr(scenario_pkg, name), name


@pytest.mark.parametrize(
    ("unit", "factor"), [("USD tn", 1e12), ("USD trillion/yr", 1e12), ("USD b", 1e9)]
)
def test_units_and_amounts_share_one_table_of_scales(unit, factor):
    from alliances.scenario.quantity import parse_amount, parse_unit

    assert parse_unit(unit)[1] == factor
    scale = unit.split()[1].split("/")[0]
    assert parse_amount(f"2 {scale}") == (2 * factor, True)


def test_an_id_given_twice_is_refused_at_the_second_naming_the_first(builtin_text):
    text = builtin_text.replace("  - id: nuclear-commerce", "  - id: arms-deals", 1)
    [problem] = broken(text).problems
    assert problem.path == "bonds[1].id"
    assert problem.line == line_of(builtin_text, "  - id: nuclear-commerce")
    assert problem.message == (
        "bonds: ids must be unique, repeated: arms-deals (first at bonds[0])"
    )


def test_a_bond_with_one_actor_twice_says_so_before_its_direction():
    text = edit(MINIMAL, "between: [RUS, IRN]", "between: [IRN, IRN]\n    direction: IRN->RUS")
    messages = [p.message for p in broken(text).problems]
    assert any("a bond joins two different actors" in m for m in messages)
    assert not any("expected 'mutual'" in m for m in messages)
