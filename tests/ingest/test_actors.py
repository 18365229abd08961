"""Finding the states and organisations a text names, with exact offsets."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import alliances.ingest.actors as actors_module
from alliances import countries
from alliances.ingest._types import Mention
from alliances.ingest.actors import actor_names, find_actors, load_leaders
from alliances.ingest.text import clean
from alliances.world.organisations import load_organisations

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def found(text: str, year: int | None = None) -> list[tuple[str, str, str]]:
    mentions = find_actors(text, year=year)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.actor, m.text, m.via) for m in mentions]


@pytest.mark.parametrize(
    ("text", "actor", "via"),
    [
        ("Russia", "RUS", "name"),
        ("Russian Federation", "RUS", "name"),
        ("Russian", "RUS", "adjective"),
        ("Russians", "RUS", "adjective"),
        ("Moscow", "RUS", "capital"),
        ("the Kremlin", "RUS", "capital"),
        ("The Kremlin", "RUS", "capital"),
        ("Kremlin", "RUS", "capital"),
        ("the Soviet Union", "RUS", "name"),
        ("USSR", "RUS", "acronym"),
        ("Iran", "IRN", "name"),
        ("Iranians", "IRN", "adjective"),
        ("Persia", "IRN", "name"),
        ("Tehran", "IRN", "capital"),
        ("the Islamic Republic", "IRN", "capital"),
        ("United States", "USA", "name"),
        ("United States of America", "USA", "name"),
        ("U.S.", "USA", "acronym"),
        ("US", "USA", "acronym"),
        ("America", "USA", "name"),
        ("Americans", "USA", "adjective"),
        ("Washington", "USA", "capital"),
        ("the White House", "USA", "capital"),
        ("the Pentagon", "USA", "capital"),
        ("Beijing", "CHN", "capital"),
        ("New Delhi", "IND", "capital"),
        ("Ankara", "TUR", "capital"),
        ("Turkish", "TUR", "adjective"),
        ("the Ottoman Empire", "TUR", "name"),
        ("Riyadh", "SAU", "capital"),
        ("Saudis", "SAU", "adjective"),
        ("Budapest", "HUN", "capital"),
        ("Rome", "ITA", "capital"),
        ("Berlin", "DEU", "capital"),
        ("West Germany", "DEU", "name"),
        ("East Germany", "GDR", "name"),
        ("London", "GBR", "capital"),
        ("Britain", "GBR", "name"),
        ("Downing Street", "GBR", "capital"),
        ("Vienna", "AUT", "capital"),
        ("Dutch", "NLD", "adjective"),
        ("Czechoslovakia", "CZE", "name"),
        ("Austria-Hungary", "AUH", "name"),
    ],
)
def test_every_form_of_a_state_name_is_found(text, actor, via):
    assert found(f"Officials said {text} would decide.") == [(actor, text, via)]


@pytest.mark.parametrize(
    ("year", "actor"), [(1887, "AUH"), (1918, "AUH"), (1919, "AUT"), (1936, "AUT"), (None, "AUT")]
)
def test_austria_is_austria_hungary_up_to_1918_and_austria_after(year, actor):
    text = "Vienna warned that Austria and the Austrians would not forget."
    assert [m.actor for m in find_actors(text, year=year)] == [actor] * 3


@pytest.mark.parametrize(
    ("text", "year", "actor"),
    [
        ("Putin", 2017, "RUS"),
        ("Vladimir Putin", 2010, "RUS"),  # prime minister then
        ("Chamberlain", 1938, "GBR"),
        ("Hitler", 1939, "DEU"),
        ("Stalin", 1939, "RUS"),
        ("Churchill", 1952, "GBR"),
        ("Roosevelt", 1941, "USA"),
        ("Mussolini", 1936, "ITA"),
        ("Bismarck", 1865, "Prussia"),
        ("Bismarck", 1887, "DEU"),
        ("Trump", 2018, "USA"),
        ("Obama", 2015, "USA"),
        ("Rouhani", 2016, "IRN"),
        ("Khamenei", 2016, "IRN"),
        ("Xi Jinping", 2019, "CHN"),
        ("Erdogan", 2019, "TUR"),
        ("Erdoğan", 2008, "TUR"),
        ("Modi", 2019, "IND"),
        ("Assad", 2015, "SYR"),
        ("Nixon", 1972, "USA"),
        ("Kissinger", 1974, "USA"),
        ("Brezhnev", 1972, "RUS"),
        ("Mao", 1972, "CHN"),
        ("Tito", 1948, "YUG"),
        ("Nasser", 1956, "EGY"),
        ("Sadat", 1977, "EGY"),
        ("Merkel", 2015, "DEU"),
        ("Macron", 2019, "FRA"),
        ("Orbán", 2019, "HUN"),
        ("Netanyahu", 2015, "ISR"),
    ],
)
def test_a_leader_stands_for_his_state_within_his_years(text, year, actor):
    assert found(f"{text} weighed the offer.", year) == [(actor, text, "leader")]


def test_without_a_year_a_leader_is_found_as_the_state_of_his_last_term():
    assert found("Putin and Chamberlain") == [
        ("RUS", "Putin", "leader"),
        ("GBR", "Chamberlain", "leader"),
    ]
    assert found("Bismarck") == [("DEU", "Bismarck", "leader")]


@pytest.mark.parametrize(("text", "year"), [("Putin", 1995), ("Trump", 2010), ("Obama", 2005)])
def test_a_leader_before_his_years_is_not_found(text, year):
    assert found(f"{text} weighed the offer.", year) == []


@pytest.mark.parametrize(
    ("text", "year", "state"),
    [("Chamberlain", 1950, "GBR"), ("Obama", 2020, "USA"), ("Kissinger", 1990, "USA")],
)
def test_a_past_leader_still_names_his_state(text, year, state):
    assert [m[0] for m in found(f"{text} weighed the offer.", year)] == [state]


def test_a_name_shared_by_leaders_of_two_states_needs_the_year():
    assert found("Wilson spoke.", 1917) == [("USA", "Wilson", "leader")]
    assert found("Wilson spoke.", 1966) == [("GBR", "Wilson", "leader")]
    assert found("Wilson spoke.") == []


@pytest.mark.parametrize(
    ("text", "year", "actor"),
    [
        ("the Trump administration", 2018, "USA"),
        ("the Donald Trump administration", 2017, "USA"),
        ("the Obama administration", 2016, "USA"),
        ("The Trump Administration", None, "USA"),
        ("the Assad regime", 2016, "SYR"),
        ("the Merkel government", 2016, "DEU"),
    ],
)
def test_a_government_named_for_its_leader_stands_for_the_state(text, year, actor):
    (mention,) = find_actors(f"Yesterday {text} agreed.", year=year)
    assert (mention.actor, mention.via) == (actor, "government")
    assert text.endswith(mention.text)
    assert mention.text.endswith(("administration", "Administration", "regime", "government"))


@pytest.mark.parametrize(
    ("text", "actor", "via"),
    [
        ("NATO", "NATO", "acronym"),
        ("Nato", "NATO", "name"),
        ("the North Atlantic Treaty Organization", "NATO", "name"),
        ("the Atlantic Alliance", "NATO", "name"),
        ("the EU", "EU", "acronym"),
        ("the European Union", "EU", "name"),
        ("the CSTO", "CSTO", "acronym"),
        ("the Collective Security Treaty Organization", "CSTO", "name"),
        ("the SCO", "SCO", "acronym"),
        ("the Shanghai Cooperation Organization", "SCO", "name"),
        ("the Shanghai Cooperation Organisation", "SCO", "name"),
        ("the EAEU", "EAEU", "acronym"),
        ("the Eurasian Economic Union", "EAEU", "name"),
        ("the Warsaw Pact", "WARSAW-PACT", "name"),
        ("BRICS", "BRICS", "acronym"),
        ("the Quad", "QUAD", "name"),
        ("ASEAN", "ASEAN", "acronym"),
        ("the Association of Southeast Asian Nations", "ASEAN", "name"),
        ("the GCC", "GCC", "acronym"),
        ("the Gulf Cooperation Council", "GCC", "name"),
        ("OPEC", "OPEC", "acronym"),
        ("the African Union", "AU", "name"),
        ("the Arab League", "ARAB-LEAGUE", "name"),
        ("the UN", "UN", "acronym"),
        ("the United Nations", "UN", "name"),
        ("the UN Security Council", "UNSC", "name"),
        ("the Security Council", "UNSC", "name"),
        ("the Triple Entente", "TRIPLE-ENTENTE", "name"),
        ("the Axis powers", "AXIS", "name"),
    ],
)
def test_organisations_are_found_by_acronym_and_by_name(text, actor, via):
    (mention,) = find_actors(f"Then {text} met.")
    assert (mention.actor, mention.kind, mention.via) == (actor, "organisation", via)
    assert text.endswith(mention.text)


def test_brussels_is_the_eu_or_nato_when_its_sentence_is_about_the_alliance():
    text = (
        "Brussels imposed new tariffs on steel. "
        "Brussels wants more troops on the eastern flank. "
        "In Brussels, the allies agreed on missile defence."
    )
    assert [m.actor for m in find_actors(text)] == ["EU", "NATO", "NATO"]
    assert {m.via for m in find_actors(text)} == {"capital"}


def test_the_longest_match_wins_and_matches_never_overlap():
    text = "Papua New Guinea, Guinea-Bissau and Guinea; the Russian-Iranian axis; Iranian oil."
    assert found(text) == [
        ("PNG", "Papua New Guinea", "name"),
        ("GNB", "Guinea-Bissau", "name"),
        ("GIN", "Guinea", "name"),
        ("RUS", "Russian", "adjective"),
        ("IRN", "Iranian", "adjective"),
        ("IRN", "Iranian", "adjective"),
    ]
    assert found("Russian President Vladimir Putin") == [
        ("RUS", "Russian", "adjective"),
        ("RUS", "Vladimir Putin", "leader"),
    ]


def test_names_are_found_at_word_boundaries_and_with_capitals_only():
    assert found("Nigeria is not Niger.") == [("NGA", "Nigeria", "name"), ("NER", "Niger", "name")]
    assert found("Hanging chad and a Chadian envoy in Chad.") == [
        ("TCD", "Chadian", "adjective"),
        ("TCD", "Chad", "name"),
    ]
    assert found("Let us talk; the US will.") == [("USA", "US", "acronym")]
    assert found("Iranianness, Omanis and Romania") == [
        ("OMN", "Omanis", "adjective"),
        ("ROU", "Romania", "name"),
    ]
    assert found("IRAN AND THE KREMLIN") == [
        ("IRN", "IRAN", "name"),
        ("RUS", "THE KREMLIN", "capital"),
    ]


def test_phrases_that_only_contain_a_name_name_no_one():
    text = (
        "Tankers crossed the Persian Gulf and the South China Sea; New Mexico voted; "
        "the Washington Post reported on Latin America and the Axis of Resistance."
    )
    assert found(text) == []


def test_absorbed_german_and_italian_states_need_a_year_before_unification():
    assert found("Hanover and Bavaria", 1850) == [
        ("HAN", "Hanover", "name"),
        ("BAV", "Bavaria", "name"),
    ]
    assert found("Hanover and Bavaria", 2000) == []
    assert found("Hanover and Bavaria") == []


def test_offsets_are_exact_in_a_text_with_curly_quotes_and_accents():
    text = "“Tehran’s ties to Moscow,” said Erdoğan in Türkiye, “matter to the E.U.”"
    mentions = find_actors(text, year=2020)
    assert [m.text for m in mentions] == ["Tehran", "Moscow", "Erdoğan", "Türkiye", "E.U."]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(isinstance(m, Mention) for m in mentions)


def test_actor_names_gives_each_actor_once_with_its_display_name():
    names = actor_names(find_actors("Moscow, Russia, the CSTO and Tehran; then Russia again."))
    assert names == {
        "RUS": "Russia",
        "CSTO": "Collective Security Treaty Organization",
        "IRN": "Iran",
    }
    assert list(names) == ["RUS", "CSTO", "IRN"]


def test_a_text_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError, match="expected the text as str"):
        find_actors(None)  # type: ignore[arg-type]
    assert find_actors("") == []


# --- the tables -------------------------------------------------------------------------

BRIEF_LEADERS = [
    "Vladimir Putin",
    "Donald Trump",
    "Barack Obama",
    "Hassan Rouhani",
    "Ali Khamenei",
    "Xi Jinping",
    "Recep Tayyip Erdoğan",
    "Narendra Modi",
    "Bashar al-Assad",
    "Neville Chamberlain",
    "Adolf Hitler",
    "Joseph Stalin",
    "Winston Churchill",
    "Franklin D. Roosevelt",
    "Benito Mussolini",
    "Otto von Bismarck",
    "Richard Nixon",
    "Henry Kissinger",
    "Leonid Brezhnev",
    "Mao Zedong",
    "Josip Broz Tito",
    "Gamal Abdel Nasser",
    "Anwar Sadat",
    "Angela Merkel",
    "Emmanuel Macron",
    "Viktor Orbán",
    "Benjamin Netanyahu",
]


def test_the_leaders_table_has_the_usual_leaders_each_with_terms_and_a_source():
    leaders = load_leaders()
    by_name = {leader.name: leader for leader in leaders}
    assert set(BRIEF_LEADERS) <= set(by_name)
    assert len(leaders) >= 40
    codes = {c.code for c in countries.all_countries()}
    for leader in leaders:
        assert leader.state in codes
        assert leader.forms
        assert leader.source.strip()
        assert all(t.until is None or t.since <= t.until for t in leader.terms)
        assert all(t.state in codes for t in leader.terms)
    putin = by_name["Vladimir Putin"]
    assert [(t.since, t.until) for t in putin.terms if t.office == "president"] == [
        (2000, 2008),
        (2012, None),
    ]
    assert by_name["Donald Trump"].terms[0].covers(2017)
    assert not by_name["Donald Trump"].terms[0].covers(2022)


def test_the_organisations_of_the_issue_are_in_the_membership_table():
    orgs = load_organisations()
    iran, russia, china, india = 630, 365, 710, 750
    assert iran in orgs["BRICS"].members_in(2024)
    assert iran not in orgs["BRICS"].members_in(2023)
    assert sorted(orgs["UNSC"].members_in(2020)) == [2, 200, 220, 365, 710]
    assert len(orgs["UN"].members_in(2020)) == 193
    assert len(orgs["QUAD"].members_in(2020)) == 4
    assert india in orgs["QUAD"].members_in(2020)
    assert len(orgs["ASEAN"].members_in(2020)) == 10
    assert len(orgs["GCC"].members_in(2020)) == 6
    assert len(orgs["OPEC"].members_in(2024)) == 12
    assert len(orgs["AU"].members_in(2020)) == 54
    assert len(orgs["ARAB-LEAGUE"].members_in(2024)) == 21
    assert iran in orgs["SCO"].members_in(2023)
    assert {russia, china} <= set(orgs["SCO"].members_in(2017))
    assert len(orgs["NATO"].members_in(2024)) == 32
    for org in orgs.values():
        assert {m.source for m in org.members} <= set(org.citations)


def test_the_module_examples_run():
    result = doctest.testmod(actors_module)
    assert result.attempted > 0
    assert result.failed == 0


def test_matching_a_long_text_finds_the_actors_of_every_paragraph():
    # Its speed (sentences a second, against a bare regex scan) is benchmarks/ingest.py's.
    paragraph = (
        "The Trump administration hoped to pull Moscow away from Tehran. Russia and Iran "
        "have fought together in Syria since 2015, and the Kremlin sold the Islamic Republic "
        "S-300 missiles worth $800 million. NATO and the EU watched from Brussels, while "
        "China, India and the SCO kept their distance. Erdogan's Turkey bought Russian air "
        "defences. Officials in Washington, Berlin and London were not amused. "
    )
    text = "\n\n".join([paragraph] * 400)
    mentions = find_actors(text, year=2017)
    assert len(mentions) >= 20 * 400
    assert len(mentions) == 400 * len(find_actors(paragraph, year=2017))


# --- the seed essay (../shared/seeds) ---------------------------------------------------


@pytest.mark.data
@pytest.mark.parametrize("name", ["000_0c90206f52bad03e.txt", "001_f5afef145d96edc6.txt"])
def test_the_seed_essay_names_russia_iran_the_united_states_and_the_eurasian_blocs(name):
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"the seed document is not at {path}")
    page = clean(path.read_text(encoding="utf-8"))
    mentions = find_actors(page.text, year=2017)
    ids = {m.actor for m in mentions}
    assert {"RUS", "IRN", "USA", "CSTO", "SCO", "EAEU"} <= ids
    assert all(page.text[m.start : m.end] == m.text for m in mentions)
    by_actor = {a: {m.via for m in mentions if m.actor == a} for a in ("RUS", "IRN", "USA")}
    assert {"name", "capital", "leader"} <= by_actor["RUS"]
    assert {"name", "capital"} <= by_actor["IRN"]
    assert "government" in by_actor["USA"]


def test_the_place_of_a_dateline_is_no_mention():
    text = "MOSCOW (AFP) - Greece's premier met Putin.\nBeijing: During a visit, Putin spoke."
    found = [(m.actor, m.text) for m in find_actors(text, year=2015)]
    assert ("RUS", "MOSCOW") not in found
    assert ("CHN", "Beijing") not in found
    assert ("RUS", "Putin") in found


def test_parties_leave_out_states_named_in_a_list_or_as_a_place():
    from alliances.ingest.actors import find_parties

    text = (
        "China lured Panama from Taiwan amid the Ukraine crisis. Taiwan is still backed by "
        "Haiti, Tuvalu and Burkina Faso. Troops in Syria stayed. Panama thanked China."
    )
    parties = find_parties(text, find_actors(text), ("CHN", "PAN", "TWN"))
    assert parties == ["CHN", "PAN", "TWN"]
