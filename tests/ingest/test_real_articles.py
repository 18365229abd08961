"""The real articles (``real_articles/articles.yaml``): the labelled set is well formed and
split once; the pipeline's scores on its test half are asserted at what they reached."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from real_articles.real_scoring import (
    ENV,
    HALVES,
    LABELS,
    evaluate,
    figure_found,
    load,
    problems,
    report,
    score,
    texts_folder,
)

from alliances import countries
from alliances.errors import UnknownCountryError
from alliances.ingest._types import Figure, Mention, Question
from alliances.world.organisations import load_organisations


def _is_state(code: str) -> bool:
    try:
        return countries.resolve(code).code == code
    except UnknownCountryError:
        return False


@pytest.fixture(scope="module")
def entries():
    return load(LABELS)


@pytest.fixture(scope="module")
def is_organisation():
    """Loads the membership table once (shared with the rest of the suite's ingest tests)."""
    _is_state("USA")  # and the country tables
    return load_organisations().__contains__


def test_every_entry_is_well_formed_with_known_codes(entries, is_organisation):
    found = [p for a in entries for p in problems(a.label, _is_state, is_organisation)]
    assert found == []


def test_the_set_is_large_and_split_about_in_half_in_each_era(entries):
    ids = [a.id for a in entries]
    assert len(set(ids)) == len(ids)
    halves = [a for a in entries if a.label["split"] in HALVES]
    assert len(halves) >= 40
    splits = Counter(a.label["split"] for a in entries)
    assert splits["test"] >= 20
    assert abs(splits["test"] - splits["dev"]) <= 2
    for era in ("historical", "contemporary"):
        in_era = Counter(a.label["split"] for a in halves if a.label["era"] == era)
        assert in_era["test"] >= 1
        assert abs(in_era["test"] - in_era["dev"]) <= 1, era


def test_the_split_follows_the_rule_written_at_the_top(entries):
    """Within each era, sorted by id, every other article (from the first) is in test; dev2
    articles stay out of that rule."""
    halves = [a for a in entries if a.label["split"] in HALVES]
    for era in ("historical", "contemporary"):
        ordered = sorted((a for a in halves if a.label["era"] == era), key=lambda a: a.id)
        assert [a.label["split"] for a in ordered] == [
            "test" if i % 2 == 0 else "dev" for i in range(len(ordered))
        ]


def test_the_dev2_set_is_large_and_shares_no_page_with_the_halves(entries):
    """dev2 (issue 25) is development data only: 40 or more further pages, none of them a
    page of the dev/test halves, with drifting pairs and organisations among them."""
    dev2 = [a.label for a in entries if a.label["split"] == "dev2"]
    halves = {a.label["url"] for a in entries if a.label["split"] in HALVES}
    assert len(dev2) >= 40
    assert [lab["url"] for lab in dev2 if lab["url"] in halves] == []
    assert len({lab["url"] for lab in dev2}) == len(dev2)
    assert sum(lab["divider"] is None for lab in dev2) >= 4
    assert sum(lab["partner"].startswith("org:") for lab in dev2) >= 4
    assert {lab["era"] for lab in dev2} == {"historical", "contemporary"}


def test_the_set_covers_drifting_pairs_organisations_and_several_questions(entries):
    labels = [a.label for a in entries]
    assert sum(lab["divider"] is None for lab in labels) >= 4
    assert sum(lab["partner"].startswith("org:") for lab in labels) >= 4
    assert len({(lab["divider"], lab["target"], lab["partner"]) for lab in labels}) >= 20
    assert sum(bool(lab["figures"]) for lab in labels) >= 10


def test_a_malformed_entry_is_reported_with_its_id_and_field(is_organisation):
    entry = {
        "id": "x",
        "url": "ftp://x",
        "source": "s",
        "date": "21 Oct 2016",
        "era": "modern",
        "title": "t",
        "split": "train",
        "divider": "XXX",
        "target": "PHL",
        "partner": "org:NOPE",
        "actors": ["PHL"],
        "figures": [{"text": "$1", "amount": 1, "currency": "ZZZ"}],
        "notes": None,
        "extract": "t",
    }
    found = "\n".join(problems(entry, _is_state, is_organisation))
    for piece in ("'x'", "url", "date", "split", "era", "'XXX'", "org:NOPE", "figure", "actors"):
        assert piece in found


def _read(question, states=(), figures=()):
    mentions = [Mention(actor=s, kind="state", text=s, start=0, end=1) for s in states]
    return SimpleNamespace(question=question, mentions=mentions, figures=list(figures))


def _article(**label):
    base = {"divider": "CHN", "target": "PHL", "partner": "USA", "actors": ["PHL", "CHN", "USA"]}
    base.update(label)
    base.setdefault("figures", [])
    return SimpleNamespace(id="a", label=base)


def test_the_question_is_right_only_with_all_three_roles():
    right = _read(Question("CHN", "PHL", "USA"))
    swapped = _read(Question("PHL", "CHN", "USA"))
    assert score(_article(), right)["question_right"]
    assert not score(_article(), swapped)["question_right"]
    assert not score(_article(), _read(None))["question_right"]


def test_an_organisation_partner_matches_the_tools_acronym():
    found = _read(Question("RUS", "TUR", "NATO"))
    article = _article(divider="RUS", target="TUR", partner="org:NATO")
    assert score(article, found)["question_right"]


def test_a_drifting_pair_needs_the_tool_to_name_no_divider():
    article = _article(divider=None, target="EGY", partner="RUS")
    invented = _read(Question("USA", "EGY", "RUS"))
    none_named = _read(SimpleNamespace(divider=None, target="EGY", partner="RUS", reason=None))
    assert not score(article, invented)["question_right"]
    assert score(article, none_named)["question_right"]


def test_actor_scores_count_states_only():
    found = _read(None, states=["PHL", "CHN", "KOR"])
    found.mentions.append(Mention(actor="NATO", kind="organisation", text="NATO", start=0, end=4))
    row = score(_article(), found)
    assert (row["actors_true"], row["actors_found"], row["actors_expected"]) == (2, 3, 3)
    assert row["actors_missed"] == ["USA"]
    assert row["actors_extra"] == ["KOR"]


def test_a_money_figure_counts_by_currency_and_amount_within_one_percent():
    expected = {"text": "$13.5bn", "amount": 13.5e9, "currency": "USD", "year": 2016}

    def money(**kw):
        base = {"value": 13.5e9, "unit": "money", "currency": "USD", "period": None}
        base.update(kw)
        return Figure(text="", sentence="", start=0, end=0, **base)

    assert figure_found(expected, money())
    assert figure_found(expected, money(value=13.6e9, period="year"))
    assert not figure_found(expected, money(value=11e9, currency="GBP"))
    assert not figure_found(expected, money(unit="count"))
    row = score(_article(figures=[expected]), _read(None, figures=[money(year=2016)]))
    assert (row["figures_hit"], row["figures_dated"]) == (1, 1)
    row = score(_article(figures=[expected]), _read(None, figures=[money(year=2023)]))
    assert (row["figures_hit"], row["figures_dated"]) == (1, 0)


# What the pipeline reached on the test half, scored once after developing on the dev
# half, dev2 and dev3 only (issue 25). Round 4, the role model (a conditional logit fitted
# on the 126 development articles and the written corpus): the question right in 13 of
# 25, with or without the world data (--ground); the rounds of cues before it reached 8
# of 25. Actors are the parties of the question (find_parties), 79 of 80 labelled found,
# 79 of 87 found right.
TEST_SPLIT_FLOORS = {
    "question_right": 0.52,  # 13 of 25
    "actor_recall": 0.98,  # 0.9875
    "actor_precision": 0.90,  # 0.908
    "figure_recall": 1.0,
}


@pytest.mark.slow
def test_the_test_split_keeps_the_scores_it_reached(entries):
    folder = texts_folder()
    if folder is None:
        pytest.skip(f"{ENV} is not set to the folder of the real article texts")
    missing = [a.id for a in entries if not (folder / f"{a.id}.txt").exists()]
    assert missing == [], f"{folder} lacks the texts of {missing}"
    scores = evaluate(folder, "test")
    print()
    print(report(scores))
    assert scores["articles"] == sum(a.label["split"] == "test" for a in entries)
    for key, floor in TEST_SPLIT_FLOORS.items():
        assert scores[key] >= floor - 1e-9, (key, scores[key])


# The question with one labelled role given (real_scoring.py test --given ROLE): 23, 20
# and 16 of 25 (README); giving a role never loses a question the reader had right.
GIVEN_FLOORS = {"partner": 0.92, "divider": 0.80, "target": 0.64}


@pytest.mark.slow
@pytest.mark.parametrize("role", sorted(GIVEN_FLOORS))
def test_one_given_role_completes_the_question_on_the_test_split(role):
    folder = texts_folder()
    if folder is None:
        pytest.skip(f"{ENV} is not set to the folder of the real article texts")
    free = evaluate(folder, "test")
    told = evaluate(folder, "test", given=role)
    assert told["question_right"] >= GIVEN_FLOORS[role] - 1e-9
    for before, after in zip(free["per_article"], told["per_article"], strict=True):
        assert after["question_right"] or not before["question_right"], before["article"]
