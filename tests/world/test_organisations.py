"""The membership table of organisations: who belonged in which year, and clear errors."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import alliances.world.organisations as organisations_module
from alliances.errors import DataError
from alliances.world.organisations import (
    MAX_BYTES,
    Organisation,
    State,
    load_organisations,
    parse_organisations,
    resolve_state,
)

# The shared data folder beside the repository (see tests/conftest.py).
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

GOOD = """\
schema_version: 1
references:
  t: "Treaty of Example, 1900."
organisations:
  - id: PAIR
    name: A pair
    kind: military
    members:
      - {state: France, since: 1900, source: t}
      - {state: Spain, since: 1900, until: 1910, source: t}
"""


@pytest.fixture(scope="module")
def orgs() -> dict[str, Organisation]:
    return load_organisations()


def test_the_packaged_table_loads_with_the_common_organisations(orgs):
    expected = {
        "NATO",
        "WARSAW-PACT",
        "TRIPLE-ALLIANCE",
        "TRIPLE-ENTENTE",
        "AXIS",
        "CSTO",
        "SCO",
        "EAEU",
        "EEC",
        "EU",
    }
    assert expected <= set(orgs)
    assert all(org.kind in {"military", "economic", "political"} for org in orgs.values())


def test_cow_igo_names_are_given_only_where_cow_igo_covers_the_organisation(orgs):
    assert {k: o.cow_igo for k, o in orgs.items() if o.cow_igo} == {
        "NATO": "NATO",
        "WARSAW-PACT": "WPact",
        "CSTO": "CSTO",
        "SCO": "SCO",
        "EEC": "EEC",
        "EU": "EU",
    }
    assert orgs["EAEU"].cow_igo is None  # founded in 2015, after COW IGO v3 ends


@pytest.mark.parametrize(
    ("org", "year", "count"),
    [
        ("NATO", 1948, 0),
        ("NATO", 1949, 12),
        ("NATO", 1952, 14),
        ("NATO", 1955, 15),
        ("NATO", 1982, 16),
        ("NATO", 1990, 17),  # the Federal Republic (260) and united Germany (255)
        ("NATO", 1991, 16),
        ("NATO", 1999, 19),
        ("NATO", 2004, 26),
        ("NATO", 2009, 28),
        ("NATO", 2017, 29),
        ("NATO", 2020, 30),
        ("WARSAW-PACT", 1954, 0),
        ("WARSAW-PACT", 1955, 8),
        ("WARSAW-PACT", 1968, 8),
        ("WARSAW-PACT", 1969, 7),
        ("WARSAW-PACT", 1991, 6),
        ("WARSAW-PACT", 1992, 0),
        ("TRIPLE-ALLIANCE", 1881, 0),
        ("TRIPLE-ALLIANCE", 1882, 3),
        ("TRIPLE-ALLIANCE", 1916, 0),
        ("EU", 2013, 28),
        ("EU", 2020, 28),
        ("EU", 2021, 27),
        ("EAEU", 2014, 0),
        ("EAEU", 2015, 5),
        ("SCO", 2017, 8),
        ("AXIS", 1943, 6),
        ("AXIS", 1944, 5),
        ("AXIS", 1945, 3),
    ],
)
def test_members_by_year(orgs, org, year, count):
    assert len(orgs[org].members_in(year)) == count


def test_members_are_cow_codes_in_file_order(orgs):
    assert orgs["TRIPLE-ALLIANCE"].members_in(1900) == [255, 300, 325]
    assert orgs["TRIPLE-ENTENTE"].members_in(1914) == [220, 365, 200]
    nato_1960 = orgs["NATO"].members_in(1960)
    assert 260 in nato_1960
    assert 255 not in nato_1960
    assert 255 in orgs["NATO"].members_in(1991)
    assert 339 in orgs["WARSAW-PACT"].members_in(1968)
    assert 339 not in orgs["WARSAW-PACT"].members_in(1969)
    assert 200 in orgs["EU"].members_in(2020)
    assert 200 not in orgs["EU"].members_in(2021)


def test_states_in_keeps_the_names_as_written(orgs):
    states = orgs["NATO"].states_in(1960)
    west = next(s for s in states if s.cow == 260)
    assert west.name == "West Germany"
    assert isinstance(west, State)


def test_years_are_the_first_and_last_year_with_members(orgs):
    assert orgs["WARSAW-PACT"].years == (1955, 1991)
    assert orgs["NATO"].years == (1949, None)


def test_every_membership_cites_a_defined_reference(orgs):
    for org in orgs.values():
        assert {m.source for m in org.members} == set(org.citations)
        assert all(text.strip() for text in org.citations.values())


def test_a_new_dict_each_call_of_immutable_organisations(orgs):
    again = load_organisations()
    assert again is not orgs
    again.pop("NATO")
    assert "NATO" in load_organisations()
    with pytest.raises(ValueError, match="frozen"):
        orgs["NATO"].name = "changed"  # type: ignore[misc]


def test_a_file_in_the_same_format_loads(tmp_path):
    path = tmp_path / "orgs.yaml"
    path.write_text(GOOD, encoding="utf-8")
    table = load_organisations(path)
    assert table["PAIR"].members_in(1905) == [220, 230]
    assert table["PAIR"].members_in(1911) == [220]
    assert table["PAIR"].citations == {"t": "Treaty of Example, 1900."}


@pytest.mark.parametrize(
    ("value", "name", "country", "cow"),
    [
        ("USSR", "USSR", "Russia", 365),
        (220, "France", "France", 220),
        ({"state": "Prussia", "cow": 255}, "Prussia", "Germany", 255),
        ({"state": "Ottoman Empire", "cow": 640}, "Ottoman Empire", "Turkey", 640),
        ({"state": "Austrian Empire", "cow": 300}, "Austrian Empire", "Austria-Hungary", 300),
        ({"state": "West Germany", "cow": 260}, "West Germany", "German Federal Republic", 260),
    ],
)
def test_resolve_state(value, name, country, cow):
    assert resolve_state(value) == State(name=name, country=country, cow=cow)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("Atlantis", "'Atlantis' is not a known country name"),
        ("Prussia", r"no COW state code .* \{state: Prussia, cow: 255\}"),
        ({"state": "France", "cow": 2}, r"'France' is France \(COW 220\) but cow: 2 is United"),
        ({"state": "Atlantis", "cow": 998}, "neither the name 'Atlantis' nor the COW code 998"),
        ({"state": "France"}, r"expected a state as \{state: NAME, cow: CODE\}"),
        ({"state": "France", "cow": 1000}, "an integer from 1 to 999"),
        (3.5, "expected a state: a name or code"),
    ],
)
def test_resolve_state_errors_say_what_to_write(value, match):
    with pytest.raises(ValueError, match=match):
        resolve_state(value)


def _mutate(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


BAD = [
    pytest.param(
        GOOD + GOOD.split("organisations:\n")[1],
        r"line 11, organisations\[1\]\.id: duplicate id 'PAIR': organisations\[0\] has it",
        id="duplicate-id",
    ),
    pytest.param(
        _mutate("state: Spain", "state: Atlantis"),
        r"line 10, organisations\[0\]\.members\[1\]\.state: 'Atlantis' is not a known country",
        id="unknown-state",
    ),
    pytest.param(
        _mutate("state: Spain", "state: Prussia"),
        r"members\[1\]\.state: 'Prussia' has no COW state code",
        id="state-without-cow-code",
    ),
    pytest.param(
        _mutate("state: Spain", "state: France, cow: 2"),
        r"'France' is France \(COW 220\) but cow: 2",
        id="contradictory-code",
    ),
    pytest.param(
        _mutate("until: 1910", "until: 1890"),
        r"line 10, organisations\[0\]\.members\[1\]: until=1890 should be >= since=1900",
        id="until-before-since",
    ),
    pytest.param(
        _mutate("until: 1910, source: t", "until: 1910, source: tt"),
        r"members\[1\]\.source: 'tt' is not a key of references \(did you mean 't'\?\)",
        id="undefined-source",
    ),
    pytest.param(
        _mutate("kind: military", "kind: cultural"),
        r"line 7, organisations\[0\]\.kind: .*'military', 'economic' or 'political', got 'cul",
        id="unknown-kind",
    ),
    pytest.param(
        _mutate("state: Spain", "state: France"),
        r"members\[0\] and members\[1\] give overlapping spells for France",
        id="overlapping-spells",
    ),
    pytest.param(
        _mutate("kind: military", "kind: military\n    colour: red"),
        r"line 8, organisations\[0\]\.colour: unknown field",
        id="unknown-field",
    ),
    pytest.param(
        _mutate("    name: A pair\n", ""),
        r"organisations\[0\]\.name: this field is required",
        id="missing-field",
    ),
    pytest.param(
        _mutate("since: 1900, until", "since: soon, until"),
        r"members\[1\]\.since: .*valid integer.*, got 'soon'",
        id="year-not-a-number",
    ),
    pytest.param(
        _mutate("kind: military", "kind: military\n    kind: economic"),
        r"line 8, organisations\[0\]\.kind: duplicate key 'kind' \(first on line 7\)",
        id="duplicate-key",
    ),
    pytest.param(
        _mutate("name: A pair", "name: &n A pair\n    note: *n"),
        r"line 6, .*anchors \(&n\) are not allowed",
        id="anchor-and-alias",
    ),
    pytest.param(
        _mutate("name: A pair", "name: !!python/object:os.system x"),
        r"line 6, .*tags \(!!python/object:os.system\) are not allowed",
        id="tag",
    ),
    pytest.param(GOOD + "---\nother: 1\n", "one YAML document is read", id="two-documents"),
    pytest.param("- a\n- b\n", "expected a mapping with schema_version", id="not-a-mapping"),
    pytest.param("organisations: [", "not valid YAML", id="bad-yaml"),
    pytest.param(_mutate("A pair", "A\x07pair"), "character U\\+0007 is not allowed", id="ctrl"),
]


@pytest.mark.parametrize(("text", "match"), BAD)
def test_a_bad_table_is_refused_with_file_line_and_what_was_expected(text, match):
    with pytest.raises(DataError, match=match) as info:
        parse_organisations(text, file="orgs.yaml")
    assert str(info.value).startswith("orgs.yaml: ")


def test_every_problem_is_listed_at_once():
    text = _mutate("kind: military", "kind: cultural").replace("state: Spain", "state: Atlantis")
    with pytest.raises(DataError, match="2 problems") as info:
        parse_organisations(text, file="orgs.yaml")
    assert "kind" in str(info.value)
    assert "Atlantis" in str(info.value)


def test_a_missing_file_a_folder_and_an_oversized_file_are_refused(tmp_path):
    with pytest.raises(DataError, match="no such file; expected a YAML table of organisations"):
        load_organisations(tmp_path / "none.yaml")
    with pytest.raises(DataError, match="not a regular file"):
        load_organisations(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(DataError, match=r"the file is 1,048,577 bytes; at most 1,048,576"):
        load_organisations(big)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(GOOD.replace("A pair", "Caf\xe9").encode("latin-1"))
    with pytest.raises(DataError, match="line 6: not valid UTF-8"):
        load_organisations(latin)


def test_the_module_examples_run():
    result = doctest.testmod(organisations_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --- against the published data (../shared) --------------------------------------------


def _cow_spells() -> dict[int, list[tuple[int, int]]]:
    path = SHARED / "data" / "peacesciencer" / "cow_states.rda"
    if not path.exists():
        pytest.skip(f"the COW state list is not at {path}")
    import pyreadr

    frame = next(iter(pyreadr.read_r(str(path)).values()))
    spells: dict[int, list[tuple[int, int]]] = {}
    for row in frame.itertuples():
        spells.setdefault(int(row.ccode), []).append((int(row.styear), int(row.endyear)))
    return spells


@pytest.mark.data
def test_every_member_is_a_cow_state_in_every_year_of_its_spell(orgs):
    spells = _cow_spells()
    last = max(end for spans in spells.values() for _, end in spans)
    missing = [
        (org.id, m.state.name, year)
        for org in orgs.values()
        for m in org.members
        for year in range(m.since, min(m.until or last, last) + 1)
        if not any(a <= year <= b for a, b in spells.get(m.state.cow, []))
    ]
    assert missing == []


@pytest.mark.data
def test_cow_igo_names_exist_in_the_cow_igo_data(orgs):
    path: Path = SHARED / "data" / "cow_igo" / "igo_year_format3.rda"
    if not path.exists():
        pytest.skip(f"the COW IGO data are not at {path}")
    import pyreadr

    frame = next(iter(pyreadr.read_r(str(path)).values()))
    names = set(frame["ioname"])
    assert {o.cow_igo for o in orgs.values() if o.cow_igo} <= names
