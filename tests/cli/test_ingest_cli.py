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


def test_the_table_gives_the_questions_confidence_and_the_next_likeliest():
    result = CliRunner().invoke(app, ["ingest", str(CORPUS / "01-reverse-kissinger.txt")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Question: can USA pull RUS away from CHN?"
    assert lines[1].startswith("  confidence ")
    assert "(text role model); next: " in lines[1]


def test_a_missing_file_is_a_clear_error():
    result = CliRunner().invoke(app, ["ingest", "no-such-article.txt"])
    assert result.exit_code == 2
    assert "no-such-article.txt: no such file" in result.output


def test_a_folder_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a regular file" in result.output


def test_a_long_one_line_text_as_the_argument_is_read_as_the_text():
    text = "Russia and Iran signed an arms deal worth $2 billion in 2016. " * 20
    result = CliRunner().invoke(app, ["ingest", text.strip(), "--json"])
    assert result.exit_code == 0, result.output
    actors = {a["id"] for a in json.loads(result.stdout)["actors"]}
    assert {"RUS", "IRN"} <= actors


def test_a_long_name_ending_in_txt_is_a_missing_file_not_a_crash():
    name = "a" * 300 + ".txt"
    result = CliRunner().invoke(app, ["ingest", name])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_invalid_utf8_on_standard_input_is_refused_with_its_byte_offset():
    data = b"Russia and Iran\nsigned \xff a deal."
    result = CliRunner().invoke(app, ["ingest", "-"], input=data)
    assert result.exit_code == 2
    assert "standard input, line 2: not valid UTF-8: byte 0xFF at byte offset 23" in (
        result.output
    )


def test_invalid_utf8_in_a_file_is_refused_with_its_byte_offset(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(b"Russia and Iran \xc3\x28 signed.")
    result = CliRunner().invoke(app, ["ingest", str(path)])
    assert result.exit_code == 2
    assert "byte offset 16" in result.output


def test_standard_input_over_the_cap_is_refused_with_the_limit():
    from alliances.ingest import MAX_BYTES

    data = b"Russia and Iran. " * (MAX_BYTES // 17 + 2)
    result = CliRunner().invoke(app, ["ingest", "-"], input=data)
    assert result.exit_code == 2
    assert f"standard input: it holds more than {MAX_BYTES:,} bytes" in result.output
    assert "at most 5,242,880 bytes (5 MiB)" in result.output


def test_a_file_over_the_cap_is_refused_with_the_limit(tmp_path):
    from alliances.ingest import MAX_BYTES

    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    result = CliRunner().invoke(app, ["ingest", str(path)])
    assert result.exit_code == 2
    assert f"the file is {MAX_BYTES + 1:,} bytes" in result.output


@pytest.mark.slow  # loads the gazetteer
def test_an_article_naming_no_divider_prints_the_pair_drifting_not_a_none_divider():
    text = (
        "Russia says the West is behind Armenia's snub\n\n"
        "Relations between Russia and Armenia have soured, with Yerevan trying to deepen "
        "ties with the West. \u201cThe West is gripping Armenia, trying to tear it away "
        "from Russia,\u201d Moscow said in 2023."
    )
    result = CliRunner().invoke(app, ["ingest", "-", "--year", "2023"], input=text)
    assert result.exit_code == 0, result.output
    assert "ARM drifting from RUS; no divider named" in result.output
    assert "None" not in result.output


# --- the roles a reader gives -------------------------------------------------------------


def test_a_given_target_is_kept_and_the_model_chooses_the_other_roles():
    article = str(CORPUS / "01-reverse-kissinger.txt")
    result = CliRunner().invoke(app, ["ingest", article, "--target", "China", "--json"])
    assert result.exit_code == 0, result.output
    q = json.loads(result.output)["question"]
    assert (q["target"], q["given"]) == ("CHN", ["target"])
    assert q["partner"] != "CHN"
    assert q["divider"] != "CHN"
    # the model's own ranking is still shown, and the given triple's probability is its own
    first = q["alternatives"][0]
    assert (first["divider"], first["target"], first["partner"]) == ("USA", "RUS", "CHN")
    assert q["confidence"] < first["probability"]
    table = CliRunner().invoke(app, ["ingest", article, "--target", "CHN"])
    assert table.output.splitlines()[0].startswith("Question (target given): can ")
    assert "the role model's probability" in table.output.splitlines()[1]
    assert "next: USA/RUS/CHN" in table.output.splitlines()[1]


def test_given_roles_that_agree_with_the_model_change_nothing_but_given():
    article = str(CORPUS / "01-reverse-kissinger.txt")
    plain = json.loads(CliRunner().invoke(app, ["ingest", article, "--json"]).output)
    told = CliRunner().invoke(
        app,
        ["ingest", article, "--json", "--divider", "Washington", "--target", "RUS",
         "--partner", "710"],
    )  # fmt: skip
    assert told.exit_code == 0, told.output
    data = json.loads(told.output)
    assert data["question"]["given"] == ["divider", "target", "partner"]
    data["question"]["given"] = []
    assert data == plain


@pytest.mark.parametrize("partner", ["CHN", "china", "Beijing", "710", "org:CHN"])
def test_a_role_is_given_by_any_name_code_or_the_name_the_actors_table_shows(partner):
    article = str(CORPUS / "01-reverse-kissinger.txt")
    result = CliRunner().invoke(app, ["ingest", article, "--partner", partner, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["question"]["partner"] == "CHN"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--partner", "Iraq"], "partner 'Iraq': the article does not name it; it names "),
        (["--partner", "Atlantis"], "partner 'Atlantis': the article does not name it"),
        (["--target", "RUS", "--partner", "Russia"], "RUS already has another role"),
        (["--target", "none"], "only the divider may be none"),
    ],
)
def test_a_role_the_article_cannot_take_is_exit_2_naming_the_actors_it_names(options, expected):
    article = str(CORPUS / "01-reverse-kissinger.txt")
    result = CliRunner().invoke(app, ["ingest", article, *options])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_an_organisation_is_given_by_its_name_and_becomes_the_partner():
    article = str(CORPUS / "06-turkey-s400.html")
    free = json.loads(CliRunner().invoke(app, ["ingest", article, "--json"]).output)
    assert free["question"]["partner"] == "USA"
    result = CliRunner().invoke(
        app, ["ingest", article, "--partner", "North Atlantic Treaty Organization", "--json"]
    )
    assert result.exit_code == 0, result.output
    q = json.loads(result.output)["question"]
    assert (q["divider"], q["target"], q["partner"]) == ("RUS", "TUR", "NATO")


def test_a_store_given_without_ground_is_said_to_be_unused(tmp_path):
    article = CORPUS / "06-turkey-s400.html"
    result = CliRunner().invoke(
        app, ["ingest", str(article), "--year", "2019", "--store", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 0, result.output
    assert "--store is read only with --ground" in result.stderr
