"""What ``alliances ingest ARTICLE`` reads: a file, standard input or the text itself,
and an argument that looks like a path but names no file refused as "no such file"
(exit 2, the file named), never read silently as the article's text."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.errors import DataError
from alliances.ingest import read_article

LOOK_LIKE_PATHS = [
    "empty.yaml",
    "article.yaml",
    "article.json",
    "nosuch.txt",
    "page.HTM",
    "my article.md",
    "./article",
    "../article",
    "/no/such/article",
    "articles/essay",
    "~/article",
    "",
    "   ",
]


@pytest.mark.parametrize("argument", LOOK_LIKE_PATHS)
def test_a_missing_path_like_argument_is_no_such_file_not_the_text(tmp_path, argument):
    with pytest.raises(DataError, match="no such file") as info:
        read_article(argument)
    assert info.value.file == argument  # type: ignore[attr-defined]


@pytest.mark.parametrize("argument", ["empty.yaml", "", "./article", "article.yaml"])
def test_cli_exits_2_naming_a_missing_path_like_argument(tmp_path, monkeypatch, argument):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["ingest", argument])
    assert result.exit_code == 2, result.output
    assert "no such file" in result.output
    assert (argument or "''") in result.output
    assert "no wedge question" not in result.output
    assert "Traceback" not in result.output


def test_json_problem_of_a_missing_file_names_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["ingest", "nosuch.txt", "--json"])
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["error"]["problems"]
    assert problem["file"] == "nosuch.txt"
    assert problem["message"].startswith("nosuch.txt: no such file")


def test_json_problem_of_an_unreadable_file_names_the_file(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--json"])
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["error"]["problems"]
    assert problem["file"] == str(tmp_path)
    assert "not a regular file but a folder" in problem["message"]


@pytest.mark.parametrize(
    "text",
    [
        "Russia and Iran signed an arms deal.",
        "Russia and/or Iran signed a deal worth $1.5bn",
        "Russia",
        "Russia and Iran.\nSee article.txt",
        "Russia and Iran signed. " * 200 + "notes.txt",  # 4,096 characters or more
    ],
)
def test_an_argument_that_clearly_is_text_is_still_read_as_the_text(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    assert read_article(text) == (text, "the text given")


def test_an_existing_file_without_a_suffix_is_read_as_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article").write_text("Russia and Iran signed a deal.", encoding="utf-8")
    assert read_article("article") == ("Russia and Iran signed a deal.", "article")
    assert read_article("./article")[0] == "Russia and Iran signed a deal."
