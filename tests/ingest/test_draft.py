"""From what an article says to a scenario that runs: roles become slots, figures cite
their offsets, currencies are converted, what is missing is a labelled assumption."""

from __future__ import annotations

import pytest

from alliances.analysis.wedge import wedge
from alliances.ingest._types import Figure, Found, Mention, Question
from alliances.ingest.draft import to_scenario

TEXT = (
    "Washington wants to pull Moscow away from Tehran. "
    "Russia sold Iran arms worth $2 billion a year. "
    "Crimea costs Russia $7.5 billion a year. "
    "Iran received more than $100 billion in sanctions relief. "
    "The US could offer sanctions relief worth $5 billion a year."
)


def _at(text: str, needle: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start


def _figure(needle: str, value: float, role: str, **kw) -> Figure:
    start = _at(TEXT, needle)
    sentence_start = TEXT.rfind(". ", 0, start) + 2
    sentence_end = TEXT.find(".", start + len(needle)) + 1
    return Figure(
        value=value,
        unit="money",
        text=needle,
        sentence=TEXT[sentence_start:sentence_end],
        start=start,
        end=start + len(needle),
        currency="USD",
        role=role,
        **kw,
    )


@pytest.fixture
def found() -> Found:
    mentions = [
        Mention("USA", "state", "Washington", 0, 10, "capital"),
        Mention("RUS", "state", "Moscow", _at(TEXT, "Moscow"), _at(TEXT, "Moscow") + 6, "capital"),
        Mention("IRN", "state", "Tehran", _at(TEXT, "Tehran"), _at(TEXT, "Tehran") + 6, "capital"),
    ]
    figures = [
        _figure(
            "$2 billion a year",
            2e9,
            "bond",
            period="year",
            kind="military",
            between=("RUS", "IRN"),
            by="RUS",
        ),
        _figure("$7.5 billion a year", 7.5e9, "context", period="year"),
        _figure("more than $100 billion", 100e9, "partner_means", bound="at least", by="IRN"),
        _figure("$5 billion a year", 5e9, "reward", period="year", by="USA"),
    ]
    return Found(
        text=TEXT,
        mentions=mentions,
        figures=figures,
        question=Question("USA", "RUS", "IRN"),
        year=2017,
    )


NAMES = {"USA": "United States", "RUS": "Russia", "IRN": "Iran"}


def _draft(found: Found):
    return to_scenario(
        found, names=NAMES, year=2017, citation="A test article", scenario_id="ingest-test"
    )


def test_a_bond_figure_is_revenue_with_a_margin_not_a_surplus(found):
    scenario, _ = _draft(found)
    side = next(b for b in scenario.bonds if b.kind == "military").sides["RUS"]
    assert side.revenue.mode == pytest.approx(2.0e9)
    assert side.margin.assumption.startswith("B4")


def test_every_article_figure_cites_its_offsets(found):
    scenario, _ = _draft(found)
    side = next(b for b in scenario.bonds if b.kind == "military").sides["RUS"]
    start = TEXT.index("$2 billion a year")
    assert side.revenue.source == "article"
    assert f"characters {start}-{start + len('$2 billion a year')}" in side.revenue.note


def test_a_windfall_is_the_partners_means_and_a_sunk_cost_is_context(found):
    scenario, _ = _draft(found)
    means = scenario.question.partner_bid.means
    assert (means.low, means.high) == (pytest.approx(5e9), pytest.approx(30e9))
    assert [c.value.value for c in scenario.context] == [pytest.approx(7.5e9)]


def test_a_reward_is_the_dividers_instrument(found):
    scenario, _ = _draft(found)
    (offer,) = scenario.question.instruments
    assert offer.value.mode == pytest.approx(5e9)


def test_what_the_article_does_not_quantify_is_a_labelled_assumption(found):
    scenario, _ = _draft(found)
    assert scenario.question.target_costs.reputation.assumption.startswith("ingest default")


def test_the_draft_runs_through_wedge(found):
    scenario, _ = _draft(found)
    result = wedge(scenario, samples=2000, sobol_samples=0, seed=1)
    assert result.flip_price["p50"] > 0


def test_another_currency_is_converted_at_the_stated_rate(found):
    found.figures[3] = Figure(**{**found.figures[3].__dict__, "currency": "EUR"})
    scenario, _ = _draft(found)
    (offer,) = scenario.question.instruments
    assert "USD per EUR (2017" in offer.value.assumption
    assert offer.value.mode != pytest.approx(5e9)


def test_no_question_is_a_clear_error(found):
    found.question = None
    with pytest.raises(ValueError, match="no divider, target and partner"):
        _draft(found)


def _read(text: str):
    from alliances.ingest.actors import find_actors

    mentions = find_actors(text, year=2017)
    found = Found(text=text, mentions=mentions, question=Question("USA", "RUS", "IRN"), year=2017)
    return to_scenario(found, names=NAMES, year=2017, citation="t", scenario_id="t")


def test_a_tie_named_without_a_figure_is_a_labelled_assumed_bond():
    scenario, notes = _read(
        "Washington wants to pull Russia away from Iran. Russia and Iran trade grain. "
        "Russia backs Iran's membership of the bloc."
    )
    bonds = {b.kind: b for b in scenario.bonds}
    assert set(bonds) == {"economic", "political"}
    assert bonds["economic"].sides["RUS"].value.assumption.startswith("ingest default")
    assert any("economic and political ties" in n for n in notes)


def test_a_third_state_is_an_actor_only_when_discussed_with_both_in_two_sentences():
    text = (
        "Washington wants to pull Russia away from Iran. Russia and Iran fight in Syria. "
        "Russia and Iran share Syria's future. Russia sells gas to Turkey. Iran and Russia "
        "fear Turkey."
    )
    scenario, _ = _read(text)
    ids = {a.id: a for a in scenario.actors}
    assert ids["SYR"].note.startswith("a theatre of the partnership")
    assert "TUR" not in ids


@pytest.mark.slow
def test_a_question_with_no_divider_drafts_no_scenario_and_says_why():
    from alliances.ingest import ingest

    text = (
        "Russia says the West is behind Armenia's snub\n\n"
        "Relations between Russia and Armenia have soured, with Yerevan trying to deepen "
        "ties with the West. Azerbaijan retook Nagorno-Karabakh in September. "
        "\u201cThe West is gripping Armenia, trying to tear it away from Russia,\u201d "
        "Moscow said in 2023."
    )
    result = ingest(text, year=2023)
    q = result.found.question
    assert q is not None
    assert (q.divider, q.target, q.partner) == (None, "ARM", "RUS")
    assert result.scenario is None
    assert any("no divider named" in w for w in result.warnings)
    data = result.to_dict()["question"]
    assert data["divider"] is None
    assert data["no_divider"] is True
    assert {e["role"] for e in data["evidence"]} == {"divider", "target", "partner"}
    found = Found(text="x", mentions=[], question=q)
    with pytest.raises(ValueError, match="no divider"):
        to_scenario(found, names={}, year=2023, citation="c", scenario_id="s")


def test_a_growth_percent_is_written_as_the_article_gives_it_not_with_float_noise(found):
    assert -0.035 * 100 != -3.5  # the float artefact the draft must not write
    found.figures.append(
        Figure(
            value=-0.035,
            unit="growth",
            text="3.5 percent",
            sentence="Russia's economy shrank 3.5 percent.",
            start=0,
            end=11,
            role="context",
        )
    )
    scenario, _ = _draft(found)
    from alliances.scenario.io import dump_yaml

    assert scenario.context[-1].value.value == -3.5
    assert "value: -3.5\n" in dump_yaml(scenario)


def test_the_bounds_made_from_a_figure_are_rounded_to_twelve_digits(found):
    assert 100e9 * 1.1 != 110e9  # the float artefact of an "at least" mode
    found.figures[3] = Figure(**{**found.figures[3].__dict__, "value": 100e9, "bound": "at least"})
    scenario, _ = _draft(found)
    (offer,) = scenario.question.instruments
    assert (offer.value.low, offer.value.mode, offer.value.high) == (100e9, 110e9, 200e9)


def test_a_threat_made_by_the_partner_is_context_not_the_dividers_coercion():
    from alliances.ingest import ingest

    text = (
        "Can New Delhi Pull Islamabad Away From Beijing?\n\n"
        "India hopes to pull Pakistan away from China. India would offer Pakistan trade "
        "concessions worth $5 billion a year if Islamabad scales back its military "
        "cooperation with Beijing.\n\n"
        "Beijing has threatened to freeze $20 billion of loans to Pakistan if it drifts "
        "toward India."
    )
    result = ingest(text, year=2019)
    [threat] = [f for f in result.to_dict()["figures"] if f["role"] == "coercion"]
    assert threat["by"] == "CHN"
    assert result.scenario is not None
    assert result.scenario.question.threats == []  # not India's lever
    assert any("$20 billion" in item.description for item in result.scenario.context)
