"""``alliances cite`` and the package's BibTeX: what a reference manager reads.

Every entry of ``references.bib``, and everything ``alliances cite`` and ``panel --cite``
print, is parsed with bibtexparser (an independent reader, not ours): no failed block, no
warning, authors split into names, and the fields a reference manager needs for the type.
"""

from __future__ import annotations

import json
import logging
import re
from importlib import resources
from pathlib import Path

import bibtexparser
import duckdb
import pytest
from bibtexparser import middlewares
from typer.testing import CliRunner

from alliances.cli import app
from alliances.world.registry import DATASETS, METHODS, REFERENCES
from alliances.world.store import _PROVENANCE

runner = CliRunner()
SOURCE = Path(__file__).resolve().parents[2] / "src"
# Where each type of entry says it appeared.
VENUE = {
    "article": "journal",
    "book": "publisher",
    "incollection": "booktitle",
    "inproceedings": "booktitle",
    "misc": "howpublished",
}
DOI = re.compile(r"10\.\d{4,9}/\S+")


def parse(text: str, caplog: pytest.LogCaptureFixture) -> bibtexparser.Library:
    """The library bibtexparser reads from ``text``; fails on any failed block or warning."""
    with caplog.at_level(logging.WARNING):
        library = bibtexparser.parse_string(
            text,
            append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
        )
    assert library.failed_blocks == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    return library


def cite(*args: str):
    return runner.invoke(app, ["cite", *args])


# --- the shipped file ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> str:
    return resources.files("alliances.world").joinpath("references.bib").read_text("utf-8")


def test_the_shipped_bib_parses_cleanly_and_holds_every_reference(shipped, caplog):
    library = parse(shipped, caplog)
    assert [entry.key for entry in library.entries] == list(REFERENCES)
    assert len(library.entries) == shipped.count("\n@")


def test_every_entry_names_authors_title_year_and_where_it_appeared(shipped, caplog):
    for entry in parse(shipped, caplog).entries:
        fields = entry.fields_dict
        assert entry.entry_type in VENUE, entry.key
        for name in ("author", "title", "year", VENUE[entry.entry_type]):
            assert name in fields, (entry.key, name)
            assert fields[name].value, (entry.key, name)
        assert re.fullmatch(r"1[89]\d\d|20[0-2]\d", fields["year"].value), entry.key
        assert all(author.last for author in fields["author"].value), entry.key
        if "doi" in fields:
            assert DOI.fullmatch(fields["doi"].value), entry.key
        if "pages" in fields:
            assert re.fullmatch(r"\d+(--\d+)?", fields["pages"].value), entry.key
        if entry.entry_type == "article":
            assert "volume" in fields, entry.key


def test_every_dataset_and_method_cites_keys_of_the_bib_and_every_key_is_cited(shipped):
    keys = set(re.findall(r"^@\w+\{([^,]+),", shipped, flags=re.M))
    cited = {key for spec in DATASETS.values() for key in spec.cite}
    cited |= {key for method in METHODS.values() for key in method.cite}
    assert cited <= keys
    assert keys <= cited


def _first_author(key: str) -> str:
    author = REFERENCES[key].fields["author"]
    if author.startswith("{"):  # an institution: its initialism is in the title
        return REFERENCES[key].fields["title"].strip("{}").split("}")[0].split()[0]
    return author.split(",")[0]


def test_each_method_cites_the_works_its_modules_cite():
    for method in METHODS.values():
        text = ""
        for module in method.modules:
            path = SOURCE.joinpath(*module.split("."))
            files = sorted(path.glob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
            assert files, module
            assert all(f.is_file() for f in files), module
            text += "".join(f.read_text(encoding="utf-8") for f in files)
        for key in method.cite:
            assert _first_author(key) in text, (method.name, key)


# --- alliances cite ----------------------------------------------------------------------


def test_cite_with_no_name_prints_every_reference_and_it_parses(caplog):
    result = cite()
    assert result.exit_code == 0, result.output
    library = parse(result.stdout, caplog)
    assert [entry.key for entry in library.entries] == list(REFERENCES)


def test_cite_names_give_their_works_in_the_order_named_each_once(caplog):
    result = cite("wedge", "atop_alliance", "leeds2002atop", "snyder1984dilemma")
    assert result.exit_code == 0, result.output
    keys = [entry.key for entry in parse(result.stdout, caplog).entries]
    assert keys == [*METHODS["wedge"].cite, *DATASETS["atop_alliance"].cite]


def test_cite_json_gives_key_type_bibtex_and_citation(caplog):
    result = cite("sensitivity", "cow_trade_ndy", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["references"]
    assert [r["key"] for r in listed] == [*METHODS["sensitivity"].cite, "barbieri2009trade"]
    for item in listed:
        (entry,) = parse(item["bibtex"], caplog).entries
        assert (entry.key, entry.entry_type) == (item["key"], item["type"])
        assert item["citation"] == REFERENCES[item["key"]].plain


def test_cite_plain_prints_one_citation_a_line():
    result = cite("--plain", "balance")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [REFERENCES[k].plain for k in METHODS["balance"].cite]


def test_cite_list_names_every_method_and_dataset():
    result = cite("--list", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert list(listed["methods"]) == list(METHODS)
    assert listed["datasets"]["ucdp_acd"] == ["gleditsch2002ucdp", "davies2025ucdp"]
    table = cite("--list")
    assert table.exit_code == 0
    assert "wedge" in table.stdout
    assert "atop_alliance" in table.stdout


@pytest.mark.parametrize(
    ("name", "near"),
    [("atop_aliance", "atop_alliance"), ("wedg", "wedge"), ("milex", "sipri_milex")],
)
def test_an_unknown_name_exits_2_with_the_closest_names(name, near):
    result = cite("wedge", name)
    assert result.exit_code == 2
    assert f"{name!r} is not a dataset, method or BibTeX key" in result.output
    assert near in result.output
    assert "Traceback" not in result.output
    assert not result.stdout.startswith("@")  # nothing half printed


def test_a_family_of_datasets_named_by_the_start_of_their_names_gives_all_their_works():
    result = cite("--json", "atop")
    assert result.exit_code == 0, result.output
    keys = [entry["key"] for entry in json.loads(result.stdout)["references"]]
    wanted = {k for name in DATASETS if name.startswith("atop_") for k in DATASETS[name].cite}
    assert set(keys) == wanted


def test_an_unknown_name_with_json_is_one_error_object():
    result = cite("nothing-like-it", "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "UnknownSourceError"
    assert "nothing-like-it" in error["message"]


# --- data status ---------------------------------------------------------------------


def _recorded_store(path: Path) -> Path:
    """A store whose provenance rows were written by an older release of the registry."""
    con = duckdb.connect(str(path))
    try:
        con.execute(_PROVENANCE)
        rows = [
            ("maoz_powers", "2010 (unverified: hash differs)", "maoz2010", None, None),
            ("old_table", "0.9", "nobody1999", 1900, 1950),
        ]
        for name, version, keys, first, last in rows:
            con.execute(
                "INSERT INTO datasets VALUES (?, 'T', ?, 'Old citation, cut at', ?, 'f', "
                "'s', 3, ?, ?, 'spell', '[]', '', '2026-01-01T00:00:00+00:00')",
                [name, version, keys, first, last],
            )
    finally:
        con.close()
    return path


def test_data_status_takes_version_years_and_citations_from_the_registry(tmp_path):
    store = _recorded_store(tmp_path / "old.duckdb")
    result = runner.invoke(app, ["data", "status", "--store", str(store), "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)["datasets"]}
    maoz = rows["maoz_powers"]
    assert maoz["version"] == "peacesciencer 1.2.9 (unverified: hash differs)"
    assert (maoz["first_year"], maoz["last_year"]) == (1816, 2019)
    assert maoz["cite"] == ["maoz2010", "miller2022ps"]
    assert maoz["citation"] == DATASETS["maoz_powers"].citation
    assert maoz["cite_keys"] == "maoz2010"  # what the store recorded, kept
    # a table this release does not register: what the store recorded
    old = rows["old_table"]
    assert (old["version"], old["first_year"], old["last_year"]) == ("0.9", 1900, 1950)
    assert old["citations"] == ["Old citation, cut at"]


def test_data_status_prints_every_citation_in_full_below_the_table(tmp_path):
    store = _recorded_store(tmp_path / "old.duckdb")
    result = runner.invoke(app, ["data", "status", "--store", str(store)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "1816–2019" in text
    assert "None" not in text
    for key in ("maoz2010", "miller2022ps"):
        assert f"[{key}] {REFERENCES[key].plain}" in text
    assert "[nobody1999] Old citation, cut at" in text


# --- the other commands that cite (need the real store) ---------------------------------


def test_panel_cite_prints_bibtex_that_parses(real_store, tmp_path, caplog):
    path, _ = real_store
    result = runner.invoke(
        app,
        [
            "panel",
            "--store",
            str(path),
            "--years",
            "2010",
            "--with",
            "alliances,trade,arms,mids,igos",
            "--out",
            str(tmp_path / "p.csv"),
            "--cite",
        ],
    )
    assert result.exit_code == 0, result.output
    bibtex = result.stdout
    assert bibtex.startswith("@")  # `--cite > refs.bib`: nothing but the BibTeX
    assert "Wrote" in result.stderr
    keys = [entry.key for entry in parse(bibtex, caplog).entries]
    assert {"leeds2002atop", "barbieri2009trade", "sipri2022arms", "miller2022ps"} <= set(keys)
    assert len(keys) == len(set(keys))


def test_data_status_shows_full_citations_true_years_and_versions(real_store):
    path, _ = real_store
    result = runner.invoke(app, ["data", "status", "--store", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)["datasets"]}
    assert set(rows) == set(DATASETS)
    for name, row in rows.items():
        spec = DATASETS[name]
        assert row["version"] == spec.version
        assert "generated" not in row["version"]
        assert (row["first_year"], row["last_year"]) == (spec.years or (None, None))
        assert row["cite"] == list(spec.cite)
        assert row["citations"] == [REFERENCES[key].plain for key in spec.cite]
        assert row["citation"] == spec.citation
    assert (rows["maoz_powers"]["first_year"], rows["maoz_powers"]["last_year"]) == (1816, 2019)
    shown = runner.invoke(app, ["data", "status", "--store", str(path)])
    assert shown.exit_code == 0
    text = " ".join(shown.stdout.split())  # the table and the sources wrap at any width
    assert "None" not in text
    for key in DATASETS["ucdp_acd"].cite:
        assert f"[{key}] {REFERENCES[key].plain}" in text
