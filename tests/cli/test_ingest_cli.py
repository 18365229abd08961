"""``alliances ingest`` on an article of the labelled set: a draft that runs, and clear
errors for what is not an article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliances.cli import app

CORPUS = Path(__file__).parents[1] / "ingest" / "corpus"


@pytest.mark.slow
def test_an_article_becomes_a_draft_that_wedge_runs(tmp_path):
    runner = CliRunner()
    out = tmp_path / "draft.yaml"
    article = CORPUS / "06-turkey-s400.html"
    written = runner.invoke(app, ["ingest", str(article), "-o", str(out), "--year", "2019"])
    assert written.exit_code == 0, written.output
    priced = runner.invoke(app, ["wedge", str(out), "--samples", "2000", "--sobol", "0"])
    assert priced.exit_code == 0, priced.output


def test_json_gives_the_question_and_each_figures_evidence():
    result = CliRunner().invoke(
        app, ["ingest", str(CORPUS / "01-reverse-kissinger.txt"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    text = data["text"]
    assert data["question"]["target"] == "RUS"
    for figure in data["figures"]:
        assert text[figure["start"] : figure["end"]] == figure["text"]


def test_a_missing_file_is_a_clear_error():
    result = CliRunner().invoke(app, ["ingest", "no-such-article.txt"])
    assert result.exit_code == 2
    assert "no-such-article.txt: no such file" in result.output


def test_a_folder_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a regular file" in result.output
