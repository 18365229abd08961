"""What an analyst would draft from the seed essay (read through the ``essay_text``
fixture, never copied): every tie it names, only the states that play a part, labels
in English, and a warning when the price rests on the ingest's defaults."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from alliances.analysis.wedge import compile_model
from alliances.cli import app
from alliances.ingest import Ingested, ingest
from alliances.ingest._types import Found
from alliances.scenario.labels import input_labels, term_label


@pytest.fixture(scope="module")
def essay(essay_text):
    return ingest(essay_text)


def _tied(read):
    q = read.scenario.question
    return [b for b in read.scenario.bonds if set(b.between) == {q.target, q.partner}]


def test_the_draft_carries_a_bond_of_every_kind_the_essay_names(essay):
    bonds = {b.kind: b for b in _tied(essay)}
    assert set(bonds) == {"military", "economic", "political"}
    arms = bonds["military"].sides["RUS"].revenue
    assert arms.source == "article"
    start, end = map(int, re.search(r"characters (\d+)-(\d+)", arms.note).groups())
    assert essay.found.text[start:end] in arms.note
    for kind in ("economic", "political"):
        value = bonds[kind].sides["RUS"].value
        assert value.assumption.startswith("ingest default"), value
        for cited in re.findall(r"characters (\d+)-(\d+)", bonds[kind].description):
            a, b = map(int, cited)
            assert essay.found.text[a:b] in bonds[kind].description


def test_organisations_in_passing_bring_no_member_states(essay):
    actors = {str(a.id): a for a in essay.scenario.actors}
    q = essay.scenario.question
    question = {q.divider, q.target, q.partner}
    in_bonds = {str(x) for b in essay.scenario.bonds for x in b.between}
    states = {i for i, a in actors.items() if a.state is not None}
    assert states - question - in_bonds == {i for i in states if actors[i].note}
    assert "EU" not in actors
    assert not states & {"DEU", "FRA", "ARM", "KAZ", "MNG"}
    assert len(states) < 6


def test_a_state_discussed_with_target_and_partner_is_an_actor_with_its_role(essay):
    syria = next(a for a in essay.scenario.actors if a.id == "SYR")
    assert "theatre" in syria.note
    text = essay.found.text
    spans = [tuple(map(int, s.split("-"))) for s in re.findall(r"\d+-\d+", syria.note)]
    assert len(spans) >= 2
    for start, end in spans:
        named = {m.actor for m in essay.found.mentions if start <= m.start < end}
        assert {"SYR", "RUS", "IRN"} <= named, text[start:end]


def test_the_labels_of_the_draft_read_as_english(essay):
    scenario = essay.scenario
    model = compile_model(scenario)
    labels = list(input_labels(scenario, [i.name for i in model.inputs]).values())
    labels += [term_label(scenario, f"loss:{b.id}") for b in scenario.bonds]
    for label in labels:
        assert not re.search(r"\b(?:its|the|a|an)\s+(?:the|a|an)\b", label), label
        assert not re.search(r"\b(\w+)\s+\1\b", label), label
        assert "article reports" not in label, label
    assert "loss to Russia on its arms deals" in labels


def test_the_ingest_says_when_its_defaults_carry_the_price(essay):
    assert essay.defaults_share > 0.5
    assert essay.caution.startswith(
        f"Most of the uncertainty ({essay.defaults_share:.0%} of the variance) comes from "
        "ingest defaults"
    )
    quiet = Ingested(Found(text=""), {}, defaults_share=0.2)
    assert quiet.caution is None
    assert quiet.to_dict()["caution"] is None


@pytest.mark.slow
def test_the_command_prints_the_caution_on_the_console_and_in_json(essay_text, tmp_path):
    article = tmp_path / "essay.txt"
    article.write_text(essay_text, encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["ingest", str(article)])
    assert shown.exit_code == 0, shown.output
    assert "Most of the uncertainty" in " ".join(shown.output.split())
    data = json.loads(runner.invoke(app, ["ingest", str(article), "--json"]).output)
    assert data["caution"].startswith("Most of the uncertainty")
    assert data["defaults_share"] > 0.5
