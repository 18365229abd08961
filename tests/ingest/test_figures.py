"""Figures, events and hostile ties read from short sentences written for these tests:
values, units, bounds, periods, years, roles and actors, each with exact offsets; the
exchange-rate table and its errors; and the seed essay's figures (values only)."""

from __future__ import annotations

import math
import re

import pytest

from alliances.errors import DataError
from alliances.ingest._types import Figure, Mention
from alliances.ingest.figures import (
    covered_years,
    exchange_rate,
    find_events,
    find_figures,
    find_negative_ties,
    find_years,
    to_usd,
)


def mention(text: str, phrase: str, actor: str, kind: str = "state", nth: int = 0) -> Mention:
    """A mention of ``actor`` at the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Mention(actor, kind, phrase, start, start + len(phrase))  # type: ignore[arg-type]


def only(text: str, mentions: tuple[Mention, ...] = (), **kw) -> Figure:
    figures = find_figures(text, mentions, **kw)
    assert len(figures) == 1, figures
    return figures[0]


# --- money -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value", "currency", "words"),
    [
        ("Russia signed a $10 billion deal.", 10e9, "USD", "$10 billion"),
        ("The EU pledged €10bn.", 10e9, "EUR", "€10bn"),
        ("China lent USD 2.5 bn to the project.", 2.5e9, "USD", "USD 2.5 bn"),
        ("The plant cost $1.8bn.", 1.8e9, "USD", "$1.8bn"),
        ("Moscow paid 10 billion dollars.", 10e9, "USD", "10 billion dollars"),
        ("Tehran paid ten billion US dollars.", 10e9, "USD", "ten billion US dollars"),
        ("The budget is 2.5 trillion rubles.", 2.5e12, "RUB", "2.5 trillion rubles"),
        ("The budget is 2.5 trillion roubles.", 2.5e12, "RUB", "2.5 trillion roubles"),
        ("London gave £3.5 million.", 3.5e6, "GBP", "£3.5 million"),
        ("London gave 3 million pounds sterling.", 3e6, "GBP", "3 million pounds sterling"),
        ("Tokyo lent ¥100 billion.", 100e9, "JPY", "¥100 billion"),
        ("Tokyo lent 100 billion yen.", 100e9, "JPY", "100 billion yen"),
        ("Beijing lent 5bn yuan.", 5e9, "CNY", "5bn yuan"),
        ("Beijing lent RMB 10 billion.", 10e9, "CNY", "RMB 10 billion"),
        ("Beijing lent 7 billion renminbi.", 7e9, "CNY", "7 billion renminbi"),
        ("Delhi paid Rs 5,000 crore.", 5e10, "INR", "Rs 5,000 crore"),
        ("Delhi paid 40 billion rupees.", 40e9, "INR", "40 billion rupees"),
        ("Tehran spent 500 billion rials.", 500e9, "IRR", "500 billion rials"),
        ("Tehran spent 50 billion tomans.", 500e9, "IRR", "50 billion tomans"),
        ("Ankara paid 2.5 billion lira.", 2.5e9, "TRY", "2.5 billion lira"),
        ("Canberra pledged $US10bn.", 10e9, "USD", "$US10bn"),
        ("Seoul pledged US$5 billion.", 5e9, "USD", "US$5 billion"),
        ("Half a billion dollars went to Syria.", 0.5e9, "USD", "Half a billion dollars"),
        ("One and a half billion dollars went.", 1.5e9, "USD", "One and a half billion dollars"),
        ("Bonn sent twenty-five million euros.", 25e6, "EUR", "twenty-five million euros"),
        ("Cairo received 3 billion Egyptian pounds.", 3e9, "EGP", "3 billion Egyptian pounds"),
        ("The fund holds $500k.", 5e5, "USD", "$500k"),
        ("A dozen billion euros is a lot.", 12e9, "EUR", "A dozen billion euros"),
        ("Paris raised 500 million francs.", 500e6, "FRF", "500 million francs"),
        ("Bern paid 2 billion Swiss francs.", 2e9, "CHF", "2 billion Swiss francs"),
    ],
)
def test_money_in_every_form_has_its_plain_value_and_currency(sentence, value, currency, words):
    figure = only(sentence)
    assert figure.unit == "money"
    assert figure.value == pytest.approx(value)
    assert figure.currency == currency
    assert figure.text == words
    assert sentence[figure.start : figure.end] == words


def test_tens_of_billions_is_kept_as_a_lower_bound():
    figure = only("Washington dangled tens of billions of dollars before Moscow.")
    assert (figure.value, figure.bound, figure.currency) == (10e9, "at least", "USD")
    assert (figure.text, figure.period) == ("tens of billions of dollars", None)


def test_billions_of_dollars_is_at_least_a_billion():
    figure = only("The war cost billions of dollars.")
    assert (figure.value, figure.bound) == (1e9, "at least")


def test_a_range_gives_a_low_and_a_high_figure_with_the_scale_of_the_high_one():
    low, high = find_figures("Russia sold Iran $2-3 billion of weapons.")
    assert (low.value, low.bound, low.currency) == (2e9, "at least", "USD")
    assert (high.value, high.bound, high.currency) == (3e9, "up to", "USD")


def test_a_range_with_between_and_and():
    low, high = find_figures("The deal was worth between $2 billion and $3 billion.")
    assert (low.value, low.bound) == (2e9, "at least")
    assert (high.value, high.bound) == (3e9, "up to")


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia sells Turkey missiles worth $2.5 billion, and Turkey imports 28 billion cubic "
        "metres of Russian gas every year.",
        "Russia lent Turkey $2 billion, while 40 million tourists visited.",
    ],
)
def test_a_scaled_number_that_counts_a_thing_named_after_it_is_not_money(sentence):
    money, quantity = find_figures(sentence)
    assert (money.unit, money.currency) == ("money", "USD")
    assert (quantity.unit, quantity.currency) == ("count", None)
    assert money.period is None  # "every year" is the gas's, not the missiles'


def test_a_sum_a_year_on_something_is_yearly_but_a_year_on_in_time_is_not():
    [spent] = find_figures("Tourists spend $4 billion a year on beaches in Turkey.")
    assert (spent.value, spent.period) == (4e9, "year")
    [deal] = find_figures("A year on, the deal worth $3 billion collapsed.")
    assert deal.period is None


def test_a_scaled_number_without_currency_takes_the_currency_of_its_sentence():
    first, second = find_figures("GDP was $1.3 trillion in 2016 and 2.0 trillion in 2013.")
    assert (second.unit, second.currency, second.value) == ("money", "USD", 2e12)
    assert second.year == 2013
    assert first.year == 2016


def test_a_scaled_number_alone_is_a_count():
    figure = only("Iran has 80 million people.")
    assert (figure.unit, figure.value, figure.currency) == ("count", 80e6, None)


def test_counts_of_troops_and_weapons():
    troops = only("Russia deployed 5,000 troops in Syria.")
    assert (troops.unit, troops.value, troops.kind) == ("count", 5000, "military")
    bases = only("Russia has nearly a dozen bases abroad.")
    assert (bases.value, bases.bound) == (12, "up to")


def test_a_model_number_or_a_year_is_not_a_count():
    assert find_figures("Iran bought S-300 missiles and Su-35 jets.") == []
    assert find_figures("In March 1969 their troops fought.") == []


# --- bounds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "bound"),
    [
        ("at least", "at least"),
        ("more than", "at least"),
        ("over", "at least"),
        ("in excess of", "at least"),
        ("up to", "up to"),
        ("as much as", "up to"),
        ("nearly", "up to"),
        ("almost", "up to"),
        ("less than", "up to"),
    ],
)
def test_bound_words_before_the_number(phrase, bound):
    sentence = f"Russia signed {phrase} $10 billion in deals."
    figure = only(sentence)
    assert figure.bound == bound
    assert figure.value == 10e9
    assert figure.text == f"{phrase} $10 billion"
    assert sentence[figure.start : figure.end] == figure.text


def test_or_more_after_the_number_is_a_lower_bound():
    figure = only("Russia will sell 30 jets or more.")
    assert (figure.bound, figure.text) == ("at least", "30 jets or more")


def test_about_is_no_bound():
    assert only("Iran paid about $2 billion.").bound is None


# --- periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "period", "value"),
    [
        ("Moscow spends $150 million a month.", "month", 150e6),
        ("Moscow spends $150 million per month.", "month", 150e6),
        ("Moscow spends $150 million monthly.", "month", 150e6),
        ("Every month, Moscow spends up to $150 million.", "month", 150e6),
        ("Trade brings $2 billion a year.", "year", 2e9),
        ("Trade brings $2 billion per year.", "year", 2e9),
        ("Trade brings $2 billion annually.", "year", 2e9),
        ("Trade brings $2 billion every year.", "year", 2e9),
        ("It adds $7.5 billion in annual expenditures.", "year", 7.5e9),
        ("Its annual aid of $1.3 billion continues.", "year", 1.3e9),
        ("The war costs $5 million a day.", "year", 5e6 * 365),
        ("Russia sold arms worth $2 billion.", None, 2e9),
    ],
)
def test_periods_keep_a_monthly_figure_monthly(sentence, period, value):
    figure = only(sentence)
    assert figure.period == period
    assert figure.value == pytest.approx(value)


def test_a_sum_over_ten_years_becomes_a_yearly_flow_with_its_words_kept():
    sentence = "China will invest $10 billion over ten years in Pakistan."
    figure = only(sentence)
    assert (figure.value, figure.period) == (pytest.approx(1e9), "year")
    assert figure.text == "$10 billion over ten years"
    assert sentence[figure.start : figure.end] == figure.text


def test_a_sum_over_the_next_decade_and_a_25_year_deal():
    decade = only("The deal covers $10 billion over the next decade.")
    assert (decade.value, decade.period) == (pytest.approx(1e9), "year")
    deal = only("China and Iran signed a 25-year, $400 billion deal.")
    assert (deal.value, deal.period) == (pytest.approx(16e9), "year")
    assert deal.text == "25-year, $400 billion"


def test_a_year_after_is_not_a_period():
    assert only("Iran paid $2 billion, a year after the deal.").period is None


# --- shares and growth -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("About 46 percent of Iran's trade is with China.", 0.46),
        ("About 46% of Iran's trade is with China.", 0.46),
        ("About 46 per cent of Iran's trade is with China.", 0.46),
        ("Russia supplies roughly four fifths of India's arms.", 0.8),
        ("Russia supplies roughly four fifths.", 0.8),
        ("A third of India's weapons come from Russia.", 1 / 3),
        ("Half of the oil goes to China.", 0.5),
        ("Two-thirds of Syria's arms come from Russia.", 2 / 3),
        ("Three quarters of the gas goes west.", 0.75),
        ("One in five Iranian exports goes to China.", 0.2),
        ("Inflation rose to 46 percent.", 0.46),
    ],
)
def test_shares_and_fraction_words_are_fractions(sentence, value):
    figure = only(sentence)
    assert figure.unit == "share"
    assert figure.value == pytest.approx(value)


@pytest.mark.parametrize(
    "sentence",
    [
        "In the first half of 2016, nothing happened.",
        "Over the past quarter-century the ties grew.",
        "A third of the year was lost.",
        "The third largest buyer is India.",
    ],
)
def test_time_and_ordinals_are_not_shares(sentence):
    assert [f for f in find_figures(sentence) if f.unit == "share"] == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Russia's economy contracted by 3.7 percent in 2015.", -0.037),
        ("Turkey's economy shrank 3.7% in 2009.", -0.037),
        ("The economy constricted by as much as 3.5 percent.", -0.035),
        ("It shrank by nearly another one percent.", -0.01),
        ("India's economy grew by 1 percent.", 0.01),
        ("Trade rose 10% last year.", 0.10),
        ("It suffered a contraction of 2 percent.", -0.02),
        ("It saw a 2 percent decline.", -0.02),
        ("The economy grew only 0.6 percent.", 0.006),
    ],
)
def test_growth_is_negative_for_contraction(sentence, value):
    figure = only(sentence, year=2017)
    assert figure.unit == "growth"
    assert figure.value == pytest.approx(value)
    assert figure.role == "context"


# --- years -----------------------------------------------------------------------------


def test_a_figure_takes_the_year_nearest_it_in_its_sentence():
    text = "The economy shrank 3.5 percent in 2015 and 1 percent last year."
    first, second = find_figures(text, year=2017)
    assert (first.year, second.year) == (2015, 2016)


def test_relative_years_use_the_latest_year_the_text_mentions_without_a_year():
    text = "In January 2017 talks began. Trade fell 5 percent last year."
    assert only(text).year == 2016
    assert only(text, year=2020).year == 2019


def test_find_years_reads_absolute_and_relative_years_and_skips_amounts():
    text = "In 2015 Iran paid $2015 for 2000 troops; two years ago, by 2030, last summer."
    years = find_years(text, year=2017)
    assert [(y, s.text) for y, s in years] == [
        (2015, "2015"),
        (2015, "two years ago"),
        (2030, "2030"),
        (2016, "last summer"),
    ]
    assert all(text[s.start : s.end] == s.text for _, s in years)


def test_a_target_year_is_not_the_article_year():
    years = find_years("Trade fell last year and should double by 2030. It was 2016.")
    assert (2015, "last year") in [(y, s.text) for y, s in years]


# --- roles -----------------------------------------------------------------------------


def test_a_partner_windfall_is_the_partner_means_not_a_reward():
    text = (
        "Iran has enjoyed an economic windfall. This has taken the form of more than "
        "$100 billion in direct sanctions relief and trade with China and India."
    )
    mentions = (
        mention(text, "Iran", "IRN"),
        mention(text, "China", "CHN"),
        mention(text, "India", "IND"),
    )
    figure = only(text, mentions)
    assert (figure.role, figure.bound, figure.value) == ("partner_means", "at least", 1e11)
    assert figure.by == "IRN"
    assert figure.between is None


def test_relief_received_without_a_giver_is_the_receivers_means():
    text = "Iran received more than $100 billion in sanctions relief."
    figure = only(text, (mention(text, "Iran", "IRN"),))
    assert (figure.role, figure.by, figure.between) == ("partner_means", "IRN", None)


def test_sanctions_relief_offered_by_a_divider_to_a_target_is_a_reward():
    text = "The United States offered Russia $10 billion in sanctions relief."
    mentions = (mention(text, "United States", "USA"), mention(text, "Russia", "RUS"))
    figure = only(text, mentions)
    assert (figure.role, figure.by, figure.between) == ("reward", "USA", ("USA", "RUS"))


def test_a_passive_offer_names_its_giver():
    text = "Relief worth $10 billion was offered by the United States to Russia."
    mentions = (mention(text, "United States", "USA"), mention(text, "Russia", "RUS"))
    figure = only(text, mentions)
    assert (figure.role, figure.by, figure.between) == ("reward", "USA", ("USA", "RUS"))


def test_aid_received_from_a_giver_is_the_givers_reward():
    text = "Egypt receives $1.3 billion a year in military aid from the United States."
    mentions = (mention(text, "Egypt", "EGY"), mention(text, "United States", "USA"))
    figure = only(text, mentions)
    assert (figure.role, figure.by, figure.between) == ("reward", "USA", ("USA", "EGY"))
    assert figure.period == "year"


def test_lifting_sanctions_is_a_reward_not_coercion():
    text = "Washington could lift sanctions worth $5 billion a year on Moscow."
    assert only(text).role == "reward"


def test_a_sunk_annexation_cost_is_context():
    text = "The annexation of Crimea added as much as $7.5 billion in annual expenditures."
    figure = only(text)
    assert (figure.role, figure.period, figure.bound) == ("context", "year", "up to")


def test_past_spending_is_context():
    text = "Every month, Moscow has been spending up to $150 million on contractors in Syria."
    mentions = (mention(text, "Moscow", "RUS"), mention(text, "Syria", "SYR"))
    figure = only(text, mentions)
    assert (figure.role, figure.period, figure.by) == ("context", "month", "RUS")


def test_arms_sales_between_two_actors_are_a_military_bond():
    text = "Russia sold $5 billion in arms to Iran."
    mentions = (mention(text, "Russia", "RUS"), mention(text, "Iran", "IRN"))
    figure = only(text, mentions)
    assert (figure.role, figure.kind) == ("bond", "military")
    assert (figure.by, figure.between) == ("RUS", ("RUS", "IRN"))


def test_threatened_tariffs_are_coercion():
    text = "The United States threatened $10 billion in tariffs on China."
    mentions = (mention(text, "United States", "USA"), mention(text, "China", "CHN"))
    figure = only(text, mentions)
    assert (figure.role, figure.by, figure.between) == ("coercion", "USA", ("USA", "CHN"))


def test_the_cue_of_the_figures_own_clause_or_before_it_wins():
    text = (
        "India signed a contract for air defence systems in 2018, worth about $5.4 billion, "
        "despite the threat of American sanctions."
    )
    figure = only(text)
    assert (figure.role, figure.kind, figure.year) == ("bond", "military", 2018)


def test_a_partner_budget_is_its_means():
    assert only("Iran's defence budget is $15 billion.").role == "partner_means"


def test_a_figure_without_cue_is_a_bond_with_a_kind_and_context_without():
    assert only("The pipeline carries $3 billion of gas.").role == "bond"
    assert only("The figure was $3 billion.").role == "context"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Russia sold $5 billion of air defence systems.", "military"),
        ("Russia sold $5 billion of weapons.", "military"),
        ("Russia built a $5 billion nuclear plant.", "economic"),
        ("The $5 billion corridor opened.", "economic"),
        ("The $5 billion loan was signed.", "economic"),
        ("Iran paid $5 billion for membership.", "political"),
        ("The $5 billion vote-buying scheme shaped the votes.", "political"),
    ],
)
def test_the_bond_kind_is_the_keyword_nearest_the_figure(sentence, kind):
    assert only(sentence).kind == kind


# --- by and between --------------------------------------------------------------------


def test_by_is_the_subject_before_the_verb_and_between_the_pair():
    text = "Russia signed a $5 billion arms deal with Iran."
    mentions = (mention(text, "Russia", "RUS"), mention(text, "Iran", "IRN"))
    figure = only(text, mentions)
    assert (figure.by, figure.between) == ("RUS", ("RUS", "IRN"))


def test_by_is_the_subject_of_the_figures_clause():
    text = "While Iran struggled, Russia signed a $5 billion loan with Syria."
    mentions = (
        mention(text, "Iran", "IRN"),
        mention(text, "Russia", "RUS"),
        mention(text, "Syria", "SYR"),
    )
    figure = only(text, mentions)
    assert (figure.by, figure.between) == ("RUS", ("RUS", "SYR"))


def test_by_is_the_first_of_a_coordination_and_not_an_object():
    text = "Russia and China signed a $400 billion gas deal."
    mentions = (mention(text, "Russia", "RUS"), mention(text, "China", "CHN"))
    figure = only(text, mentions)
    assert (figure.by, figure.between) == ("RUS", ("RUS", "CHN"))


def test_by_skips_the_reporter_of_an_estimate():
    text = "The IMF estimates that Russia's economy shrank 3 percent."
    mentions = (
        mention(text, "IMF", "IMF", kind="organisation"),
        mention(text, "Russia", "RUS"),
    )
    assert only(text, mentions).by == "RUS"


def test_between_is_the_two_actors_nearest_in_text_order_without_a_subject():
    text = "About 46 percent of Iran's trade is with China, not India."
    mentions = (
        mention(text, "Iran", "IRN"),
        mention(text, "China", "CHN"),
        mention(text, "India", "IND"),
    )
    figure = only(text, mentions)
    assert figure.by is None
    assert figure.between == ("IRN", "CHN")


def test_one_actor_gives_no_pair():
    text = "Russia sold $5 billion of arms."
    figure = only(text, (mention(text, "Russia", "RUS"),))
    assert (figure.by, figure.between) == ("RUS", None)


# --- offsets ---------------------------------------------------------------------------

MANY = (
    "Russia signed at least $10 billion in arms deals with Iran in 2016. "
    "The EU pledged €10bn in aid; China lent USD 2.5 bn over five years. "
    "Moscow spends $150 million a month, and the economy shrank 3.7 percent last year. "
    "Roughly four fifths of India's arms and a third of its oil came from Russia. "
    "Between $2 billion and $3 billion, or 46%, went to Syria.\n\n"
    "Iran received more than $100 billion in sanctions relief."
)


def test_every_figure_event_and_tie_points_at_its_own_words():
    mentions = tuple(
        mention(MANY, phrase, actor, nth=n)
        for phrase, actor, n in [
            ("Russia", "RUS", 0),
            ("Iran", "IRN", 0),
            ("Moscow", "RUS", 0),
            ("India", "IND", 0),
            ("Syria", "SYR", 0),
            ("Iran", "IRN", 1),
        ]
    )
    figures = find_figures(MANY, mentions, year=2017)
    assert [f.unit for f in figures].count("money") == 7
    assert len(figures) == 11
    for f in figures:
        assert MANY[f.start : f.end] == f.text
        assert f.text in f.sentence
        assert f.sentence in MANY
    for e in find_events(MANY, mentions):
        assert MANY[e.start : e.end] == e.text
    rivals = MANY + " Iran and India are rivals."
    extra = (mention(rivals, "Iran", "IRN", nth=2), mention(rivals, "India", "IND", nth=1))
    ties = find_negative_ties(rivals, (*mentions, *extra))
    assert [(t.between, rivals[t.start : t.end]) for t in ties] == [(("IRN", "IND"), "rivals")]


# --- events ----------------------------------------------------------------------------


def test_events_with_their_years_and_actors():
    text = (
        "Russia annexed Crimea in 2014. India joined the SCO in 2017. "
        "China and Iran signed a treaty last year."
    )
    mentions = (
        mention(text, "Russia", "RUS"),
        mention(text, "India", "IND"),
        mention(text, "SCO", "SCO", kind="organisation"),
        mention(text, "China", "CHN"),
        mention(text, "Iran", "IRN"),
    )
    events = find_events(text, mentions, year=2018)
    assert [(e.kind, e.year, e.actors, e.text) for e in events] == [
        ("annexed", 2014, ("RUS",), "annexed"),
        ("joined", 2017, ("IND", "SCO"), "joined"),
        ("signed", 2017, ("CHN", "IRN"), "signed"),
    ]
    assert all(text[e.start : e.end] == e.text for e in events)


def test_one_trigger_with_two_dated_objects_gives_two_events():
    text = "Hungary joined NATO in 1999 and the European Union in 2004, and thrived."
    events = find_events(text, (mention(text, "Hungary", "HUN"),))
    assert [(e.kind, e.year, e.text) for e in events] == [
        ("joined", 1999, "joined"),
        ("joined", 2004, "and the European Union in 2004"),
    ]
    assert all(text[e.start : e.end] == e.text for e in events)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Russia was removed from the G8 in 2014.", "removed"),
        ("Russia invaded Ukraine in 2022.", "invaded"),
        ("The United States withdrew from the treaty in 2002.", "withdrew"),
        ("Russia recognised Abkhazia in 2008.", "recognised"),
        ("Montenegro became a full member of NATO in 2017.", "joined"),
    ],
)
def test_each_event_kind(sentence, kind):
    first = sentence.split()[0] if not sentence.startswith("The") else "United States"
    actor = mention(sentence, first, "X")
    (event,) = find_events(sentence, (actor,))
    assert event.kind == kind
    assert event.year == int(sentence.rstrip(".")[-4:])


@pytest.mark.parametrize(
    "sentence",
    [
        "Iran did not join the EAEU.",
        "Iran plans to join the SCO.",
        "Iran might join the SCO.",
        "There are signs that Iran will recover.",
    ],
)
def test_negated_or_hypothetical_events_are_left_out(sentence):
    actor = mention(sentence, "Iran", "IRN")
    assert find_events(sentence, (actor,)) == []


def test_an_event_needs_an_actor_or_a_year_unless_it_is_an_annexation():
    assert find_events("The treaty was signed.") == []
    (dated,) = find_events("The alliance was signed in 1894, when the tsar approved.")
    assert (dated.kind, dated.year, dated.actors) == ("signed", 1894, ())
    (event,) = find_events("The annexation of Crimea was costly.")
    assert (event.kind, event.year, event.actors) == ("annexed", None, ())


# --- hostile ties ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("India and Pakistan are rivals.", "rivals"),
        ("The rivalry of India and Pakistan endures.", "rivalry"),
        ("India and Pakistan are on opposing sides.", "opposing sides"),
        ("India's hostility toward Pakistan grew.", "hostility"),
        ("India sees Pakistan as an enemy.", "enemy"),
        ("India sees Pakistan as an adversary.", "adversary"),
        ("India is at odds with Pakistan.", "at odds"),
    ],
)
def test_hostile_ties_between_the_two_actors_nearest(sentence, words):
    mentions = (mention(sentence, "India", "IND"), mention(sentence, "Pakistan", "PAK"))
    (tie,) = find_negative_ties(sentence, mentions)
    assert (tie.between, tie.text) == (("IND", "PAK"), words)
    assert sentence[tie.start : tie.end] == words


def test_sanctions_on_run_from_the_imposer_to_the_target():
    text = "After the war, the United States imposed sanctions on Iran."
    mentions = (mention(text, "United States", "USA"), mention(text, "Iran", "IRN"))
    (tie,) = find_negative_ties(text, mentions)
    assert (tie.between, tie.text) == (("USA", "IRN"), "sanctions on")


@pytest.mark.parametrize(
    "sentence",
    [
        "India and Pakistan are no longer rivals.",
        "India and Pakistan are former enemies.",
        "India and Pakistan are not at odds.",
        "India is a rival.",
    ],
)
def test_negated_or_one_sided_hostility_is_no_tie(sentence):
    mentions = tuple(
        mention(sentence, name, code)
        for name, code in [("India", "IND"), ("Pakistan", "PAK")]
        if name in sentence
    )
    assert find_negative_ties(sentence, mentions) == []


# --- exchange rates --------------------------------------------------------------------


def test_exchange_rates_are_usd_per_unit_with_their_source():
    rate, source = exchange_rate("EUR", 2014)
    assert rate == pytest.approx(1.33, rel=0.01)
    assert "G.5A" in source
    assert "annual average" in source
    assert "2014" in source
    rub, source = exchange_rate("rub", 2016)
    assert rub == pytest.approx(1 / 67.06, rel=0.01)
    assert "PA.NUS.FCRF" in source
    assert exchange_rate("USD", 1850)[0] == 1.0


def test_known_annual_averages_to_two_significant_digits():
    expected = {
        ("GBP", 2007): 2.0,
        ("JPY", 2012): 1 / 80,
        ("CNY", 2005): 1 / 8.2,
        ("INR", 2013): 1 / 59,
        ("TRY", 2018): 1 / 4.8,
        ("IRR", 2016): 1 / 31000,
    }
    for (currency, year), rate in expected.items():
        assert exchange_rate(currency, year)[0] == pytest.approx(rate, rel=0.03), currency


def test_every_currency_covers_2000_to_2021_and_most_to_2024():
    for currency in ("EUR", "GBP", "RUB", "CNY", "JPY", "INR", "TRY", "IRR"):
        years = covered_years(currency)
        assert set(range(2000, 2022)) <= set(years), currency
        if currency != "IRR":
            assert set(range(2000, 2025)) <= set(years), currency
        for year in years:
            rate, _ = exchange_rate(currency, year)
            assert math.isfinite(rate)
            assert rate > 0


def test_the_pound_before_1914_is_at_the_gold_parity_as_an_assumption():
    rate, source = exchange_rate("GBP", 1900)
    assert rate == pytest.approx(4.87, abs=0.01)
    assert "Assumption" in source
    assert "gold" in source


def test_a_missing_year_names_the_currency_and_the_years_covered():
    with pytest.raises(DataError, match=r"EUR.*1995.*1999–2024"):
        exchange_rate("EUR", 1995)
    with pytest.raises(DataError, match=r"GBP.*1950.*1879–1913"):
        exchange_rate("GBP", 1950)


def test_an_unknown_currency_names_the_currencies_covered():
    with pytest.raises(DataError, match=r"'XYZ'.*EUR.*GBP"):
        exchange_rate("XYZ", 2010)


def test_to_usd_converts_at_the_yearly_average():
    assert to_usd(10e9, "EUR", 2014) == pytest.approx(13.297e9)
    assert to_usd(2.5e12, "RUB", 2016) == pytest.approx(2.5e12 / 67.06)


# --- the seed essay --------------------------------------------------------------------


# Names of the seed's actors, to make its mentions by hand (independent of the actor finder)
SEED_NAMES = {
    "RUS": r"Russia|Russian|Moscow|the Kremlin|Kremlin|Putin",
    "IRN": r"Iran|Iranian|Tehran|the Islamic Republic",
    "USA": r"Washington|the White House|the Trump administration|Trump",
    "SYR": r"Syria|Syrian",
    "CHN": r"China",
    "IND": r"India",
    "UKR": r"Ukraine",
}


def seed_mentions(text: str) -> list[Mention]:
    found = [
        Mention(actor, "state", m.group(), m.start(), m.end())
        for actor, names in SEED_NAMES.items()
        for m in re.finditer(rf"\b(?:{names})\b", text)
    ]
    return sorted(found, key=lambda m: m.start)


@pytest.mark.data
def test_the_seed_essay_gives_its_figures(essay_text):
    mentions = seed_mentions(essay_text)
    figures = find_figures(essay_text, mentions)
    for f in figures:
        assert essay_text[f.start : f.end] == f.text

    def money(value: float) -> Figure:
        (found,) = [f for f in figures if f.unit == "money" and f.value == value]
        return found

    arms = money(10e9)
    assert (arms.bound, arms.kind, arms.role, arms.period) == (
        "at least",
        "military",
        "bond",
        None,
    )
    relief = money(100e9)
    assert (relief.bound, relief.role) == ("at least", "partner_means")
    crimea = money(7.5e9)
    assert (crimea.role, crimea.period) == ("context", "year")
    contractors = money(150e6)
    assert (contractors.period, contractors.bound, contractors.role) == (
        "month",
        "up to",
        "context",
    )
    growth = sorted((f.value, f.year) for f in figures if f.unit == "growth")
    assert growth == [(pytest.approx(-0.035), 2015), (pytest.approx(-0.01), 2016)]
    assert arms.between == ("RUS", "IRN")
    assert arms.by == "RUS"
    assert (relief.by, relief.between) == ("IRN", None)
    assert (contractors.by, contractors.kind) == ("RUS", "military")


@pytest.mark.data
def test_the_seed_essay_gives_its_events(essay_text):
    mentions = seed_mentions(essay_text)
    events = find_events(essay_text, mentions)
    assert "annexed" in [e.kind for e in events]
    for e in events:
        assert essay_text[e.start : e.end] == e.text
