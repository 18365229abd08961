"""The catalogue of documented wedge attempts: its coverage, its sources, clear errors."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from pydantic import TypeAdapter

import alliances.studies.cases as cases_module
from alliances.errors import ScenarioError
from alliances.scenario.quantity import REFERENCES, Quantity
from alliances.studies.cases import (
    FIRST_YEAR,
    LABELS,
    LAST_YEAR,
    Catalogue,
    load_cases,
    parse_cases,
)
from alliances.world.organisations import load_organisations, parse_organisations

# The shared data folder beside the repository (see tests/conftest.py).
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

GOOD = """\
schema_version: 1
references:
  t1954: "Taylor, A. J. P. (1954). The Struggle for Mastery in Europe."
cases:
  - id: russia-1904
    divider: Germany
    target: Russia
    partner: France
    start_year: 1904
    goal: detach
    instruments: [{type: reward, description: a defensive alliance}]
    outcome: failure
    summary: The treaty with the Tsar was never put into force.
    sources: [t1954]
"""


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_cases()


# --- the packaged catalogue -------------------------------------------------------------


def test_the_packaged_catalogue_has_at_least_30_cases(catalogue):
    assert len(catalogue.cases) >= 30
    assert len(set(catalogue.ids)) == len(catalogue.ids)


def test_start_years_span_1815_to_2020(catalogue):
    years = [case.start_year for case in catalogue.cases]
    assert FIRST_YEAR <= min(years) < 1850
    assert 2010 <= max(years) <= LAST_YEAR
    # every 40-year stretch has cases, not only the world wars
    for first in range(1830, 2020, 40):
        assert any(first <= y < first + 40 for y in years), first
    for case in catalogue.cases:
        assert case.end_year is None or case.start_year <= case.end_year <= LAST_YEAR


def test_both_goals_both_instruments_and_every_outcome_occur(catalogue):
    assert {c.goal for c in catalogue.cases} == {"detach", "prevent"}
    kinds = {i.type for c in catalogue.cases for i in c.instruments}
    assert kinds == {"reward", "coercion"}
    assert {c.outcome for c in catalogue.cases} == {"success", "partial", "failure"}
    assert {c.reward_only for c in catalogue.cases} == {True, False}
    assert any(c.instrument_types == ("coercion",) for c in catalogue.cases)
    assert any(c.partner_organisation is not None for c in catalogue.cases)


def test_every_case_cites_a_defined_reference_and_every_reference_is_cited(catalogue):
    cited = set()
    for case in catalogue.cases:
        assert case.sources
        assert set(case.sources) <= set(catalogue.references)
        assert all(text.strip() for text in catalogue.citations(case))
        cited |= set(case.sources)
        cited |= {i.value.source for i in case.instruments if i.value is not None}
    assert cited == set(catalogue.references)


def test_the_wedge_literature_is_cited(catalogue):
    for key in (
        "crawford2008",
        "crawford2011",
        "crawford2014",
        "crawford2021",
        "izumikawa2013",
        "izumikawa2018",
    ):
        assert any(key in c.sources for c in catalogue.cases), key
    assert catalogue.by_id("spain-1940").sources[0] == "crawford2008"
    assert "izumikawa2018" in catalogue.by_id("japan-1955").sources


def test_divider_target_and_partner_are_different_states(catalogue):
    for case in catalogue.cases:
        dividers = set(case.divider_codes)
        partners = set(case.partner_codes)
        assert partners
        assert case.target.cow not in dividers | partners
        assert not dividers & partners


def test_labels_and_reward_only(catalogue):
    assert LABELS == {"success": 1.0, "partial": 0.5, "failure": 0.0}
    for case in catalogue.cases:
        assert case.label == LABELS[case.outcome]
        assert case.reward_only == all(i.type == "reward" for i in case.instruments)
    assert catalogue.by_id("italy-1914-entente").label == 1
    assert catalogue.by_id("turkey-2016").label == 0.5
    assert catalogue.by_id("britain-1914").label == 0
    assert catalogue.by_id("russia-1887").reward_only is False


def test_an_organisation_partner_is_its_members_in_the_start_year_less_the_target(catalogue):
    italy = catalogue.by_id("italy-1914-entente")
    assert italy.partner_organisation == "TRIPLE-ALLIANCE"
    assert italy.partner_codes == (255, 300)
    assert italy.partner_ref == [255, 300]
    romania = catalogue.by_id("romania-1969")
    assert 360 not in romania.partner_codes
    assert 365 in romania.partner_codes
    turkey = catalogue.by_id("turkey-2016")
    assert 640 not in turkey.partner_codes
    assert 2 in turkey.partner_codes


def test_historical_names_keep_their_cow_code(catalogue):
    case = catalogue.by_id("france-1865")
    assert case.divider[0].name == "Prussia"
    assert case.divider_ref == 255
    assert case.partner_states[0].name == "Austrian Empire"
    assert case.partner_ref == 300
    ottoman = catalogue.by_id("ottoman-1914-germany").target
    assert (ottoman.name, ottoman.country, ottoman.cow) == ("Ottoman Empire", "Turkey", 640)
    assert catalogue.by_id("ussr-1939-germany").target_ref == 365


def test_instrument_values_are_money_quantities(catalogue):
    valued = {c.id: i for c in catalogue.cases for i in c.instruments if i.value is not None}
    assert len(valued) >= 3
    loan = valued["italy-1914-entente"].value
    assert loan is not None
    assert loan.dimension == "USD"
    assert loan.mean() == pytest.approx(243e6)
    assert valued["ukraine-2013"].value.mean() == pytest.approx(15e9)  # type: ignore[union-attr]


def test_a_scenario_value_carries_the_full_citation_and_validates_without_the_key(catalogue):
    instrument = catalogue.by_id("egypt-1955").instruments[0]
    value = instrument.scenario_value()
    assert value is not None
    assert value["source"].startswith("Kunz, D. B. (1991)")
    assert value["source"].endswith("[kunz1991]")
    token = REFERENCES.set(())  # a scenario with no references of its own
    try:
        quantity = TypeAdapter(Quantity).validate_python(value)
    finally:
        REFERENCES.reset(token)
    assert quantity.mean() == pytest.approx(70e6)
    assert catalogue.by_id("britain-1914").instruments[0].scenario_value() is None


def test_to_frame_has_one_row_per_case(catalogue):
    frame = catalogue.to_frame()
    assert list(frame.index) == list(catalogue.ids)
    assert {"start_year", "goal", "outcome", "label", "reward_only", "partner_cow"} <= set(
        frame.columns
    )
    assert frame.loc["italy-1914-entente", "partner"] == "TRIPLE-ALLIANCE"
    assert frame.loc["russia-1887", "instruments"] == "reward+coercion"


def test_by_id_names_the_closest_ids(catalogue):
    with pytest.raises(
        KeyError, match=r"no case 'spain-1941'.*did you mean 'spain-1944', 'spain-1940'"
    ):
        catalogue.by_id("spain-1941")


def test_the_packaged_catalogue_is_read_once(catalogue):
    assert load_cases() is catalogue


def test_the_module_examples_run():
    result = doctest.testmod(cases_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --- files and errors -------------------------------------------------------------------


def test_a_user_file_loads(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(GOOD, encoding="utf-8")
    catalogue = load_cases(path)
    case = catalogue.cases[0]
    assert (case.id, case.divider_codes, case.target.cow, case.partner_codes) == (
        "russia-1904",
        (255,),
        365,
        (220,),
    )
    assert case.end_year is None


def test_organisations_can_be_given(tmp_path):
    table = parse_organisations(
        """
schema_version: 1
references: {t: "Treaty of Example, 1900."}
organisations:
  - id: PAIR
    name: A pair
    kind: military
    members:
      - {state: France, since: 1900, source: t}
      - {state: Spain, since: 1900, source: t}
"""
    )
    text = GOOD.replace("partner: France", "partner: {organisation: PAIR}")
    case = parse_cases(text, organisations=table).cases[0]
    assert case.partner_codes == (220, 230)
    with pytest.raises(ScenarioError, match="unknown organisation 'PAIR'"):
        parse_cases(text, organisations=load_organisations())


def _mutate(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


BAD = [
    pytest.param(
        GOOD + GOOD.split("cases:\n")[1],
        r"line 15, cases\[1\]\.id: duplicate id 'russia-1904': cases\[0\] has it already",
        id="duplicate-id",
    ),
    pytest.param(
        _mutate("target: Russia", "target: Atlantis"),
        r"line 7, cases\[0\]\.target: 'Atlantis' is not a known country name",
        id="unknown-state",
    ),
    pytest.param(
        _mutate("partner: France", "partner: [France, Atlantis]"),
        r"line 8, cases\[0\]\.partner\[1\]: 'Atlantis' is not a known country name",
        id="unknown-partner-state",
    ),
    pytest.param(
        _mutate("divider: Germany", "divider: Prussia"),
        r"line 6, cases\[0\]\.divider: 'Prussia' has no COW state code .* cow: 255\}",
        id="state-without-cow-code",
    ),
    pytest.param(
        _mutate("partner: France", "partner: {organisation: NATTO}"),
        r"line 8, cases\[0\]\.partner: unknown organisation 'NATTO' \(did you mean 'NATO'\?\)",
        id="unknown-organisation",
    ),
    pytest.param(
        _mutate("partner: France", "partner: {organisation: NATO}"),
        r"cases\[0\]\.partner: organisation 'NATO' has no members in start_year 1904 "
        r"\(it has members from 1949\)",
        id="organisation-without-members",
    ),
    pytest.param(
        _mutate("partner: France", "partner: 3.5"),
        r"cases\[0\]\.partner: expected a state, a list of states, or \{organisation: ID\}",
        id="partner-of-the-wrong-kind",
    ),
    pytest.param(
        _mutate("    sources: [t1954]\n", ""),
        r"line 5, cases\[0\]\.sources: this field is required",
        id="missing-sources",
    ),
    pytest.param(
        _mutate("sources: [t1954]", "sources: []"),
        r"line 14, cases\[0\]\.sources: a case needs at least one source",
        id="empty-sources",
    ),
    pytest.param(
        _mutate("sources: [t1954]", "sources: [taylor1954]"),
        r"source 'taylor1954' is not a key of the catalogue's references \(did you mean 't1954'",
        id="undefined-source",
    ),
    pytest.param(
        _mutate("start_year: 1904", "start_year: 1700"),
        r"line 9, cases\[0\]\.start_year: .*greater than or equal to 1815, got 1700",
        id="year-too-early",
    ),
    pytest.param(
        _mutate("start_year: 1904", "start_year: 2030"),
        r"cases\[0\]\.start_year: .*less than or equal to 2020, got 2030: the catalogue covers",
        id="year-too-late",
    ),
    pytest.param(
        _mutate("goal: detach", "goal: detach\n    end_year: 1900"),
        r"cases\[0\]: end_year=1900 should be >= start_year=1904",
        id="end-before-start",
    ),
    pytest.param(
        _mutate("outcome: failure", "outcome: won"),
        r"line 12, cases\[0\]\.outcome: Input should be 'success', 'partial' or 'failure', "
        r"got 'won'",
        id="bad-outcome",
    ),
    pytest.param(
        _mutate("goal: detach", "goal: split"),
        r"cases\[0\]\.goal: Input should be 'detach' or 'prevent', got 'split'",
        id="bad-goal",
    ),
    pytest.param(
        _mutate("type: reward", "type: bribe"),
        r"cases\[0\]\.instruments\[0\]\.type: Input should be 'reward' or 'coercion'",
        id="bad-instrument-type",
    ),
    pytest.param(
        _mutate("[{type: reward, description: a defensive alliance}]", "[]"),
        r"cases\[0\]\.instruments: a case needs at least one instrument",
        id="no-instruments",
    ),
    pytest.param(
        _mutate("a defensive alliance}", "an alliance, value: {value: 3, source: t1954}}"),
        r"instruments\[0\]\.value: a money amount needs a unit",
        id="value-without-unit",
    ),
    pytest.param(
        _mutate("a defensive alliance}", "an alliance, value: {value: 3, unit: years}}"),
        r"instruments\[0\]\.value: ",
        id="value-not-money",
    ),
    pytest.param(
        _mutate("goal: detach", "goal: detach\n    colour: red"),
        r"line 11, cases\[0\]\.colour: unknown field",
        id="unknown-field",
    ),
    pytest.param(
        _mutate("target: Russia", "target: Germany"),
        r"cases\[0\]: the target Germany is also a divider",
        id="target-also-divider",
    ),
    pytest.param(
        _mutate("partner: France", "partner: Germany"),
        r"cases\[0\]: divider and partner overlap: Germany",
        id="divider-also-partner",
    ),
    pytest.param(
        _mutate("id: russia-1904", "id: Russia 1904"),
        r"cases\[0\]\.id: String should match pattern",
        id="id-not-a-slug",
    ),
    pytest.param(
        _mutate("divider: Germany", "divider: &g Germany").replace("target: Russia", "target: *g"),
        r"line 6, cases\[0\]\.divider: anchors \(&g\) are not allowed",
        id="anchor-and-alias",
    ),
    pytest.param(_mutate("schema_version: 1", "schema_version: 2"), "schema_version", id="v2"),
    pytest.param("- a\n- b\n", "expected a mapping .* got a list", id="not-a-mapping"),
    pytest.param("cases: [", "not valid YAML", id="bad-yaml"),
]


@pytest.mark.parametrize(("text", "match"), BAD)
def test_a_bad_catalogue_is_refused_with_file_line_and_what_was_expected(text, match):
    with pytest.raises(ScenarioError, match=match) as info:
        parse_cases(text, file="cases.yaml")
    assert str(info.value).startswith("cases.yaml: ")


def test_every_problem_is_listed_at_once():
    text = _mutate("outcome: failure", "outcome: won").replace(
        "target: Russia", "target: Atlantis"
    )
    with pytest.raises(ScenarioError, match="2 problems") as info:
        parse_cases(text, file="cases.yaml")
    assert [p.path for p in info.value.problems] == ["cases[0].target", "cases[0].outcome"]


def test_a_missing_file_and_a_folder_are_refused(tmp_path):
    with pytest.raises(ScenarioError, match="no such file; expected a YAML catalogue"):
        load_cases(tmp_path / "none.yaml")
    with pytest.raises(ScenarioError, match="it is a folder"):
        load_cases(tmp_path)


# --- what the loader accepts ------------------------------------------------------------


def _case(
    *,
    year: int = 1904,
    divider: str = "Germany",
    target: str = "Russia",
    partner: str = "France",
    case_id: str = "russia-1904",
) -> str:
    """GOOD with other states, year or id."""
    return (
        GOOD.replace("start_year: 1904", f"start_year: {year}")
        .replace("divider: Germany", f"divider: {divider}")
        .replace("target: Russia", f"target: {target}")
        .replace("partner: France", f"partner: {partner}")
        .replace("id: russia-1904", f"id: {case_id}")
    )


def test_an_id_in_any_case_is_kept_in_lower_case():
    catalogue = parse_cases(_case(case_id="Russia-1904-BJORKO"))
    assert catalogue.ids == ("russia-1904-bjorko",)
    assert catalogue.by_id("RUSSIA-1904-Bjorko") is catalogue.cases[0]


def test_ids_that_differ_only_in_case_are_refused_naming_both_places():
    text = _case(case_id="Russia-1904") + _case(case_id="russia-1904").split("cases:\n")[1]
    with pytest.raises(ScenarioError) as info:
        parse_cases(text, file="cases.yaml")
    assert str(info.value) == (
        "cases.yaml: 1 problem\n  line 15, cases[1].id: duplicate id 'russia-1904': cases[0] "
        "has it already (line 5, written 'Russia-1904'); ids are compared in lower case and "
        "must be unique"
    )


def test_the_summary_is_optional():
    text = GOOD.replace("    summary: The treaty with the Tsar was never put into force.\n", "")
    catalogue = parse_cases(text)
    assert catalogue.cases[0].summary is None
    assert catalogue.to_frame().loc["russia-1904", "outcome"] == "failure"
    with pytest.raises(ScenarioError, match=r"cases\[0\]\.summary: String should have at least"):
        parse_cases(GOOD.replace("The treaty with the Tsar was never put into force.", "No."))


def test_a_partner_may_mix_states_and_organisations():
    # the states listed, then the organisation's members in start_year, less the target
    text = _case(
        year=1960, divider="USSR", target="Turkey", partner="[Iran, {organisation: NATO}]"
    )
    catalogue = parse_cases(text)
    case = catalogue.cases[0]
    nato = load_organisations()["NATO"].members_in(1960)
    assert case.partner_codes == (630, *(code for code in nato if code != 640))
    assert case.partner_ref == list(case.partner_codes)
    assert case.partner_organisations == ("NATO",)
    assert case.partner_organisation is None  # not an organisation alone
    assert catalogue.to_frame().loc["russia-1904", "partner"] == "Iran; NATO"


def test_a_state_listed_and_a_member_of_the_organisation_counts_once():
    case = parse_cases(
        _case(year=1960, divider="USSR", target="Turkey", partner="[FRN, {organisation: NATO}]")
    ).cases[0]
    assert case.partner_codes.count(220) == 1
    assert case.partner_codes[0] == 220
    assert 640 not in case.partner_codes


def test_several_organisations_are_their_union():
    table = parse_organisations(
        """
schema_version: 1
references: {t: "Treaty of Example, 1900."}
organisations:
  - id: WEST
    name: West
    kind: military
    members:
      - {state: France, since: 1900, source: t}
      - {state: Spain, since: 1900, source: t}
  - id: SOUTH
    name: South
    kind: military
    members:
      - {state: Spain, since: 1900, source: t}
      - {state: Italy, since: 1900, source: t}
"""
    )
    text = _case(partner="[{organisation: WEST}, {organisation: SOUTH}, Japan]")
    case = parse_cases(text, organisations=table).cases[0]
    assert case.partner_codes == (220, 230, 325, 740)
    assert case.partner_organisations == ("WEST", "SOUTH")


def test_a_mixed_partner_is_refused_at_the_item_that_is_wrong():
    with pytest.raises(ScenarioError) as info:
        parse_cases(_case(partner="[FRN, {organisation: NATTO}, Atlantis]"), file="cases.yaml")
    problems = {p.path: p.message for p in info.value.problems}
    assert set(problems) == {"cases[0].partner[1]", "cases[0].partner[2]"}
    assert problems["cases[0].partner[1]"].startswith("unknown organisation 'NATTO'")
    assert problems["cases[0].partner[2]"].startswith("'Atlantis' is not a known country")
    with pytest.raises(
        ScenarioError, match=r"cases\[0\]\.partner\[1\]: organisation 'NATO' has no"
    ):
        parse_cases(_case(partner="[FRN, {organisation: NATO}]"))
    with pytest.raises(ScenarioError, match=r"cases\[0\]: the target Russia is also a partner"):
        parse_cases(_case(partner="[Russia, {organisation: TRIPLE-ALLIANCE}]", divider="Japan"))


@pytest.mark.parametrize(
    ("year", "written", "cow"),
    [
        # COW 260, the German Federal Republic (1955–1990): refused before this fix
        (1960, "260", 260),
        (1960, "GFR", 260),
        (1960, "German Federal Republic", 260),
        (1960, "West Germany", 260),
        (1960, "{state: Bonn Republic, cow: 260}", 260),
        # COW 255, Germany (1816–1945, from 1990), Prussia until 1870
        (1850, "Prussia", 255),
        (1850, "{state: Prussia, cow: 255}", 255),
        (1900, "GMY", 255),
        (1995, "255", 255),
        # COW 300, Austria-Hungary (1816–1918)
        (1900, "AUH", 300),
        (1900, "Austria-Hungary", 300),
        (1850, "{state: Austrian Empire, cow: 300}", 300),
        # COW 265, the German Democratic Republic (1954–1990)
        (1960, "GDR", 265),
        (1960, "East Germany", 265),
        # COW 365, Russia and the Soviet Union
        (1960, "365", 365),
        (1960, "USSR", 365),
        (1880, "RUS", 365),
        # COW 678, the Yemen Arab Republic (1926–1990)
        (1970, "YAR", 678),
        (1970, "Yemen Arab Republic", 678),
        (1970, "North Yemen", 678),
        # COW 817, the Republic of Vietnam (1954–1975)
        (1965, "RVN", 817),
        (1965, "Republic of Vietnam", 817),
        (1965, "South Vietnam", 817),
        # COW 730, Korea (1887–1905): letters that are South Korea's ISO3 today
        (1890, "KOR", 730),
        (1890, "Korea", 730),
    ],
)
def test_a_cow_state_is_accepted_in_its_years_by_number_letters_or_name(year, written, cow):
    text = _case(year=year, divider=written, target="Spain", partner="Mexico")
    state = parse_cases(text).cases[0].divider[0]
    assert state.cow == cow
    if written.isdigit():  # a number is named by the code list's name
        assert state.name == state.country
    else:  # the name as written
        assert state.name == written.removeprefix("{state: ").split(",")[0]


REFUSED_STATES = [
    pytest.param(
        1950,
        "GFR",
        r"line 6, cases\[0\]\.divider: 'GFR' \(COW 260, German Federal Republic\) is in the "
        r"COW state system 1955–1990, not in start_year 1950; expected a state of 1950",
        id="gfr-before-1955",
    ),
    pytest.param(
        1960,
        "Germany",
        r"'Germany' \(COW 255\) is in the COW state system 1816–1945 and from 1990, not in "
        r"start_year 1960; expected a state of 1960, such as German Federal Republic "
        r"\(GFR, 260\), German Democratic Republic \(GDR, 265\)",
        id="germany-divided",
    ),
    pytest.param(
        1970,
        "Yemen",
        r"such as Yemen Arab Republic \(YAR, 678\), Yemen People's Republic \(YPR, 680\)",
        id="yemen-divided",
    ),
    pytest.param(
        1980,
        "RVN",
        r"'RVN' \(COW 817, Republic of Vietnam\) is in the COW state system 1954–1975",
        id="rvn-after-1975",
    ),
    pytest.param(
        1960,
        "{state: Prussia, cow: 255}",
        r"'Prussia' \(COW 255, Germany\) is in the COW state system 1816–1945 and from 1990",
        id="code-outside-its-years",
    ),
    pytest.param(
        1960,
        "AUS",
        r"'AUS' names two states of 1960, Australia and Austria \(the ISO3 code of one, the "
        r"COW letters of the other\); write the state's name or COW number",
        id="letters-of-two-states",
    ),
    pytest.param(
        1960,
        "[France, 260, 998]",
        r"cases\[0\]\.divider\[2\]: 998 is not a known country name",
        id="unknown-cow-number",
    ),
]


@pytest.mark.parametrize(("year", "written", "match"), REFUSED_STATES)
def test_a_state_outside_the_cow_system_in_start_year_is_refused_with_its_years(
    year, written, match
):
    text = _case(year=year, divider=written, target="Spain", partner="Mexico")
    with pytest.raises(ScenarioError, match=match) as info:
        parse_cases(text, file="cases.yaml")
    assert str(info.value).startswith("cases.yaml: 1 problem")


# --- against the published data (../shared) --------------------------------------------


@pytest.mark.data
def test_every_state_of_every_case_is_a_cow_state_in_the_start_year(catalogue):
    path = SHARED / "data" / "peacesciencer" / "cow_states.rda"
    if not path.exists():
        pytest.skip(f"the COW state list is not at {path}")
    import pyreadr

    frame = next(iter(pyreadr.read_r(str(path)).values()))
    spells: dict[int, list[tuple[int, int]]] = {}
    for row in frame.itertuples():
        spells.setdefault(int(row.ccode), []).append((int(row.styear), int(row.endyear)))
    last = max(end for spans in spells.values() for _, end in spans)
    missing = [
        (case.id, state.name)
        for case in catalogue.cases
        for state in (*case.divider, case.target, *case.partner_states)
        if not any(a <= min(case.start_year, last) <= b for a, b in spells.get(state.cow, []))
    ]
    assert missing == []
