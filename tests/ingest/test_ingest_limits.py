"""``alliances.ingest`` under hostile text: linear scans (checked by counting, never by
timing), amounts that overflow refused, and arbitrary text read without a crash."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.errors import AlliancesError, DataError
from alliances.ingest import _sentences, figures, ingest
from alliances.ingest.actors import find_actors
from alliances.ingest.text import MAX_SENTENCE, split_sentences


def test_a_one_line_text_of_many_sentences_splits_at_each_one():
    text = "Russia sold Iran arms. " * 10_000  # 230 KB on one line
    spans = split_sentences(text)
    assert len(spans) == 10_000
    assert all(text[s.start : s.end] == s.text for s in spans[:50])


def test_a_run_on_sentence_is_cut_into_bounded_pieces_at_clause_breaks():
    text = "In 2015 " + "Russia paid Iran $1.5 billion and 3 percent, " * 2_000 + "end."
    spans = split_sentences(text)
    assert max(len(s.text) for s in spans) <= MAX_SENTENCE
    assert all(s.text.endswith(",") for s in spans[:-1])
    assert "".join(text[s.start : s.end] for s in spans).replace(" ", "") == text.replace(" ", "")


class _Counting:
    """A pattern whose ``search`` calls are counted."""

    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def search(self, *args):
        self.calls += 1
        return self.pattern.search(*args)


@pytest.mark.slow
def test_the_subject_of_each_figure_does_not_rescan_the_sentence(monkeypatch):
    # one sentence of 60 figures and 120 mentions: a rescan per figure is 3,600 searches
    text = "In 2015 " + "Russia paid Iran $1.5 billion and " * 60 + "more."
    mentions = find_actors(text, year=2015)
    counting = _Counting(_sentences._PREPOSITION_BEFORE)
    monkeypatch.setattr(_sentences, "_PREPOSITION_BEFORE", counting)
    found = figures.find_figures(text, mentions, year=2015)
    assert len(found) >= 60
    assert counting.calls <= 2 * len(mentions)  # once a mention (twice across a cut)


@pytest.mark.parametrize("amount", ["$1.8e308bn", "$" + "9" * 309])
def test_an_amount_that_overflows_is_refused_with_its_place(amount):
    with pytest.raises(DataError, match=r"overflows to infinity") as info:
        ingest(f"Russia and Iran signed a deal. It cost {amount} in 2015.")
    assert "the text given: the figure" in str(info.value)
    assert "at characters 39-" in str(info.value)


def test_an_amount_in_scientific_notation_is_read_at_its_value():
    (figure,) = figures.find_figures("The deal was worth $2.5e3 million.")
    assert figure.value == pytest.approx(2.5e9)
    assert figure.currency == "USD"


_WORDS = st.sampled_from(
    ["Russia", "Iran", "the US", "NATO", "$", "€", "1.5", "2,000", "bn", "billion", "percent",
     "e308", "9" * 40, ".", ",", "Mr.", "U.S.", "in 2015", "last year", "\n", "\n\n", "…",
     "sanctions", "aid", "pull", "away from", "troops"]
)  # fmt: skip
_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=120).map(" ".join),
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_arbitrary_text_is_read_or_refused_as_a_user_error(text):
    try:
        result = ingest(text, year=2015)
    except AlliancesError:
        return
    found = result.found
    for m in found.mentions:
        assert found.text[m.start : m.end] == m.text
    for f in found.figures:
        assert found.text[f.start : f.end] == f.text
        assert math.isfinite(f.value)
    assert isinstance(result.to_dict(), dict)


def test_bond_kinds_read_the_mentions_once_not_once_a_sentence():
    from alliances.ingest._types import Mention
    from alliances.ingest.figures import find_bond_kinds

    class Counted(list):
        passes = 0

        def __iter__(self):
            Counted.passes += 1
            return super().__iter__()

    sentence = "Russia and Iran signed an arms deal. "
    text = sentence * 200
    mentions = Counted(
        Mention(actor, "state", word, k * len(sentence) + at, k * len(sentence) + at + size)
        for k in range(200)
        for actor, at, size, word in (("RUS", 0, 6, "Russia"), ("IRN", 11, 4, "Iran"))
    )
    Counted.passes = 0
    kinds = find_bond_kinds(text, mentions, "RUS", "IRN")
    assert len(kinds["military"]) == 200
    assert Counted.passes <= 2
