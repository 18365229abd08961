"""Tests of :mod:`alliances.countries`: turning names and codes into states."""

from __future__ import annotations

import csv
import itertools
from importlib import resources

import pytest

from alliances.countries import Country, _names_by_year, all_countries, cow_in, name_in, resolve
from alliances.errors import AlliancesError, UnknownCountryError

# (iso3, cow, gw) of the states the built-in scenario is about.
RUSSIA = ("RUS", 365, 365)
IRAN = ("IRN", 630, 630)
USA = ("USA", 2, 2)
CHINA = ("CHN", 710, 710)


def _codes(country: Country) -> tuple[str | None, int | None, int | None]:
    return country.iso3, country.cow, country.gw


def _alias_rows() -> list[dict[str, str]]:
    path = resources.files("alliances.data").joinpath("country_aliases.csv")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _aliases() -> list[tuple[str, str]]:
    pairs = []
    for row in _alias_rows():
        for field in ("adjectives", "metonyms"):
            pairs.extend((row["iso3c"], alias) for alias in row[field].split(";") if alias)
    return pairs


# --- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "name", "codes"),
    [
        (365, "Russia", RUSSIA),
        (630, "Iran", IRAN),
        (2, "United States", USA),
        (710, "China", CHINA),
        (255, "Germany", ("DEU", 255, 260)),
    ],
)
def test_integer_is_read_as_cow_number(number, name, codes):
    country = resolve(number)
    assert country.name == name
    assert _codes(country) == codes


def test_integer_is_read_as_gleditsch_ward_number_with_system_gw():
    assert _codes(resolve(365, system="gw")) == RUSSIA
    assert _codes(resolve(630, system="gw")) == IRAN
    # Germany is 255 in COW but 260 in G-W; Vietnam is 816 in COW but 817 in G-W.
    assert resolve(260, system="gw").iso3 == "DEU"
    assert resolve(817, system="gw").iso3 == "VNM"
    assert resolve(816).iso3 == "VNM"


def test_cow_and_gw_numbering_are_not_mixed_up():
    with pytest.raises(UnknownCountryError):
        resolve(260)  # a G-W number, not a COW one
    with pytest.raises(UnknownCountryError):
        resolve(255, system="gw")  # a COW number, not a G-W one


def test_digit_string_is_read_as_a_number():
    assert resolve("365").iso3 == "RUS"
    assert resolve(" 630 ").iso3 == "IRN"
    assert resolve("817", system="gw").iso3 == "VNM"


def test_unknown_number_raises():
    with pytest.raises(UnknownCountryError, match="9999 is not a known country"):
        resolve(9999)
    with pytest.raises(UnknownCountryError):
        resolve(9999, system="gw")


# --- letter codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "iso3"),
    [
        ("RUS", "RUS"),
        ("IRN", "IRN"),
        ("USA", "USA"),
        ("CHN", "CHN"),
        ("rus", "RUS"),
        ("DEU", "DEU"),
        ("GMY", "DEU"),  # COW letter code of Germany
        ("GFR", "DEU"),  # G-W letter code of Germany
        ("UKG", "GBR"),  # COW letter code of the United Kingdom
    ],
)
def test_letter_codes_resolve(code, iso3):
    assert resolve(code).iso3 == iso3


def test_cow_letter_code_of_a_historical_state_without_iso3():
    country = resolve("AUH")
    assert country.name == "Austria-Hungary"
    assert country.iso3 is None
    assert country.cow == 300
    assert country.code == "AUH"  # falls back to the COW letter code


# --- names, adjectives, capitals ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("Russia", RUSSIA),
        ("Russian Federation", RUSSIA),
        ("Iran", IRAN),
        ("Iran (Islamic Republic of)", IRAN),
        ("United States", USA),
        ("United States of America", USA),
        ("China", CHINA),
    ],
)
def test_short_and_official_names_resolve(query, codes):
    assert _codes(resolve(query)) == codes


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("Russian", RUSSIA),
        ("Iranian", IRAN),
        ("Persian", IRAN),
        ("American", USA),
        ("Chinese", CHINA),
    ],
)
def test_nationality_adjectives_resolve(query, codes):
    assert _codes(resolve(query)) == codes


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("Moscow", RUSSIA),
        ("the Kremlin", RUSSIA),
        ("Kremlin", RUSSIA),
        ("Tehran", IRAN),
        ("Washington", USA),
        ("the White House", USA),
        ("Beijing", CHINA),
    ],
)
def test_capitals_and_seats_of_government_resolve(query, codes):
    assert _codes(resolve(query)) == codes


@pytest.mark.parametrize(
    "query",
    ["moscow", "MOSCOW", "  Moscow  ", "\tthe   kremlin\n", "THE KREMLIN", "russian federation"],
)
def test_case_and_surrounding_whitespace_are_ignored(query):
    assert _codes(resolve(query)) == RUSSIA


def test_resolved_country_carries_all_its_codes():
    russia = resolve("Moscow")
    assert russia == resolve(365) == resolve(365, system="gw") == resolve("RUS")
    assert russia.name == "Russia"
    assert russia.official_name == "Russian Federation"
    assert (russia.iso3, russia.iso2, russia.cow, russia.cowc, russia.gw, russia.gwc) == (
        "RUS",
        "RU",
        365,
        "RUS",
        365,
        "RUS",
    )
    assert russia.code == "RUS"
    assert "Russian" in russia.adjectives
    assert "Moscow" in russia.metonyms
    assert russia.names()[0] == "Russia"
    assert {"Russian Federation", "Russian", "Moscow", "the Kremlin"} <= set(russia.names())


def test_every_name_of_a_country_resolves_back_to_it():
    for query in (2, 365, 630, 710):
        country = resolve(query)
        for name in country.names():
            assert resolve(name) == country, name


def test_codes_of_every_country_agree_with_number_lookups():
    checked = 0
    for country in all_countries():
        if country.cow is not None:
            assert resolve(country.cow).cow == country.cow
            checked += 1
        if country.gw is not None:
            assert resolve(country.gw, system="gw").gw == country.gw
        if country.iso3 is not None:
            assert resolve(country.iso3) == country
    assert checked > 150


def test_country_instance_is_returned_unchanged():
    iran = resolve("IRN")
    assert resolve(iran) is iran


# --- errors ---------------------------------------------------------------------------


def test_unknown_name_raises_unknown_country_error_which_is_an_alliances_error():
    with pytest.raises(UnknownCountryError) as info:
        resolve("Atlantis")
    assert isinstance(info.value, AlliancesError)
    assert isinstance(info.value, LookupError)
    assert info.value.query == "Atlantis"
    assert "'Atlantis' is not a known country name or code" in str(info.value)


@pytest.mark.parametrize(
    ("query", "suggested"),
    [("Rusia", "Russia"), ("Iram", "Iran"), ("Chinna", "China"), ("Tehrann", "Iran")],
)
def test_unknown_name_suggests_the_closest_names(query, suggested):
    with pytest.raises(UnknownCountryError, match=rf"Did you mean: .*'{suggested}'") as info:
        resolve(query)
    assert suggested in info.value.suggestions
    assert len(info.value.suggestions) <= 3


def test_suggestions_do_not_repeat_a_name():
    # 'Rusia' is close to both 'russia' and 'russian', two keys of one country.
    with pytest.raises(UnknownCountryError) as info:
        resolve("Rusia")
    suggestions = info.value.suggestions
    assert suggestions[0] == "Russia"
    assert len(suggestions) == len(set(suggestions))


def test_name_far_from_any_country_has_no_suggestion():
    with pytest.raises(UnknownCountryError) as info:
        resolve("Qqqqqqqqqq")
    assert info.value.suggestions == []
    assert "Did you mean" not in str(info.value)


@pytest.mark.parametrize("query", [True, False, None, 3.5, b"RUS", ["RUS"]])
def test_input_of_the_wrong_type_raises(query):
    with pytest.raises(UnknownCountryError, match="is not a known country name or code"):
        resolve(query)


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_string_raises(query):
    with pytest.raises(UnknownCountryError):
        resolve(query)


# --- the alias table ------------------------------------------------------------------


def test_alias_table_has_the_expected_columns_and_unique_rows():
    rows = _alias_rows()
    assert len(rows) >= 60
    assert set(rows[0]) == {"iso3c", "adjectives", "metonyms"}
    iso3s = [row["iso3c"] for row in rows]
    assert len(iso3s) == len(set(iso3s))


@pytest.mark.parametrize("row", _alias_rows(), ids=lambda row: row["iso3c"])
def test_alias_row_refers_to_an_existing_iso3_code(row):
    known = {c.iso3 for c in all_countries() if c.iso3}
    assert row["iso3c"] in known
    assert row["adjectives"], "every row gives at least one adjective"
    assert row["metonyms"], "every row gives at least one capital or seat of government"


@pytest.mark.parametrize(("iso3", "alias"), _aliases(), ids=lambda v: str(v))
def test_alias_resolves_back_to_its_country(iso3, alias):
    country = resolve(alias)
    assert country.iso3 == iso3
    assert alias in country.adjectives + country.metonyms


@pytest.mark.parametrize(
    ("code", "year", "name"),
    [
        (345, 1990, "Yugoslavia"),
        (345, 2004, "Serbia and Montenegro"),
        (345, 2006, "Serbia"),
        (345, 2014, "Serbia"),
        (365, 1980, "Soviet Union"),
        (365, 1991, "Russia"),
        (490, 1980, "Zaire"),
        (630, 2014, "Iran"),
    ],
)
def test_name_in_gives_the_name_a_state_bore_at_the_end_of_that_year(code, year, name):
    assert name_in(code, year) == name


def test_name_in_falls_back_to_the_code_lists_name_outside_any_renaming():
    assert name_in("Iran", 1990) == resolve(630).name


def test_cow_in_finds_a_state_cow_lists_under_an_older_name_only_in_its_years():
    assert cow_in("Serbia", 2014) == 345
    assert cow_in("Serbia", 1990) is None
    assert cow_in("Russia", 2014) == 365


def test_every_renaming_is_dated_and_no_two_overlap():
    spans = _names_by_year()
    for code, rows in spans.items():
        ordered = sorted(rows)
        for (_, last, _), (first, _, _) in itertools.pairwise(ordered):
            assert last is not None, code
            assert last < first, code
