"""The seed essay, read from ../shared/seeds (never copied): the question, the blocs,
the figures and a draft that runs; and the command line end to end."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alliances.analysis.wedge import wedge
from alliances.cli import app
from alliances.ingest import ingest
from conftest import SHARED

ESSAY = SHARED / "seeds" / "000_0c90206f52bad03e.txt"

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def read():
    if not ESSAY.exists():
        pytest.skip(f"the seed essay is not at {ESSAY}")
    return ingest(str(ESSAY))


def _money(read, role=None):
    return [
        f for f in read.found.figures if f.unit == "money" and (role is None or f.role == role)
    ]


def test_the_question_is_the_united_states_pulling_russia_from_iran(read):
    q = read.found.question
    assert (q.divider, q.target, q.partner, q.guessed) == ("USA", "RUS", "IRN", False)


def test_the_blocs_keep_the_memberships_of_the_drafts_states_and_irans_observer_seat(read):
    members = {(m.bloc, m.member, m.status) for m in read.scenario.memberships}
    assert {("CSTO", "RUS", "member"), ("EAEU", "RUS", "member")} <= members
    assert ("SCO", "IRN", "observer") in members
    states = {str(a.id) for a in read.scenario.actors if a.state is not None}
    assert {m.member for m in read.scenario.memberships} <= states


def test_the_essays_figures_are_found_with_their_roles_and_periods(read):
    money = _money(read)
    arms = [f for f in money if f.value == 10e9]
    assert arms
    assert arms[0].bound == "at least"
    assert set(arms[0].between) == {"RUS", "IRN"}
    relief = [f for f in money if f.value == 100e9]
    assert relief
    assert relief[0].role == "partner_means"
    assert relief[0].bound == "at least"
    crimea = [f for f in money if f.value == 7.5e9]
    assert crimea
    assert (crimea[0].role, crimea[0].period) == ("context", "year")
    contractors = [f for f in money if f.value == 150e6]
    assert contractors
    assert contractors[0].period == "month"
    growth = sorted(f.value for f in read.found.figures if f.unit == "growth")
    assert growth[0] == pytest.approx(-0.035)
    assert all(g < 0 for g in growth)


def test_every_figure_carries_its_evidence(read):
    text = read.found.text
    for figure in read.found.figures:
        assert text[figure.start : figure.end] == figure.text
        assert figure.text in figure.sentence


def test_the_draft_runs(read):
    result = wedge(read.scenario, samples=2000, sobol_samples=0, seed=1)
    assert result.flip_price["p50"] > 0


def test_cli_writes_a_draft_that_wedge_runs(tmp_path):
    if not ESSAY.exists():
        pytest.skip(f"the seed essay is not at {ESSAY}")
    runner = CliRunner()
    out = tmp_path / "essay.yaml"
    written = runner.invoke(app, ["ingest", str(ESSAY), "-o", str(out)])
    assert written.exit_code == 0, written.output
    priced = runner.invoke(app, ["wedge", str(out), "--samples", "2000", "--sobol", "0"])
    assert priced.exit_code == 0, priced.output
    shown = runner.invoke(app, ["ingest", str(ESSAY), "--json"])
    data = json.loads(shown.output)
    assert {
        "question",
        "actors",
        "figures",
        "events",
        "negative_ties",
        "text",
        "scenario",
        "warnings",
    } <= set(data)
    assert data["question"]["divider"] == "USA"
    assert {
        "value",
        "currency",
        "unit",
        "period",
        "bound",
        "year",
        "kind",
        "role",
        "between",
        "by",
        "text",
        "sentence",
        "start",
        "end",
    } <= set(data["figures"][0])


def test_grounded_the_bonds_the_essay_does_not_price_come_from_the_data(real_store):
    if not ESSAY.exists():
        pytest.skip(f"the seed essay is not at {ESSAY}")
    path, _ = real_store
    grounded = ingest(str(ESSAY), ground=True, store=str(path))
    question = grounded.to_dict()["question"]
    assert question["model"] == "grounded"  # the question read with the world data's ties
    assert [question[k] for k in ("divider", "target", "partner")] == ["USA", "RUS", "IRN"]
    best = question["alternatives"][0]
    assert best["probability"] == pytest.approx(question["confidence"], abs=0.01)
    bonds = {b.id: b for b in grounded.scenario.bonds}
    assert any(b.source == "article" for b in bonds.values())  # the arms deals, from the text
    tied = {b.kind for b in bonds.values() if set(b.between) == {"RUS", "IRN"}}
    assert tied == {"military", "economic", "political"}
    assert not any(b.id.endswith("-ties") for b in bonds.values()), "the data price them"
    assert grounded.caution is None, grounded.defaults_share
    drafted = [b for b in bonds.values() if b.kind == "political" and b.source != "article"]
    assert drafted, "the political tie is drafted from the data (rule B6)"
    side = drafted[0].sides["RUS"]
    assert side.value.derive  # with its data record
    wedge(grounded.scenario, samples=2000, sobol_samples=0, seed=1)


def test_grounded_with_an_organisation_as_partner_the_data_are_read_and_their_warnings_kept(
    real_store,
):
    path, _ = real_store
    text = (
        "Can Moscow Pull Ankara Away From NATO?\n\n"
        "Russia hopes to pull Turkey away from NATO. Moscow offers Ankara cheap gas and "
        "missiles, and Turkey weighs its place in the alliance.\n\n"
        "Turkey and NATO have been allied since 1952."
    )
    grounded = ingest(text, year=2016, ground=True, store=str(path)).to_dict()
    question = grounded["question"]
    assert [question[k] for k in ("divider", "target", "partner")] == ["RUS", "TUR", "NATO"]
    assert not any("no grounding in the world data" in w for w in grounded["warnings"])
    assert any(
        w.startswith("world data: trade: cow_trade_ndy ends in 2014") for w in grounded["warnings"]
    )
