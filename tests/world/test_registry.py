"""The dataset registry as data: ``datasets.toml`` and ``references.bib`` in the package.

The registry was once written as Python; the values the data files hold were checked,
field by field, against that code when it was replaced. ``FINGERPRINT`` freezes the result:
it is the SHA-256 of every field (and the plain-text citation) of every dataset, in order.
Change it only with a deliberate change of the registry (the last: issue 15, full BibTeX
entries with DOIs, the true years of maoz_powers, the capitals and atop_depth, and versions
that name a release instead of "generated …" or "signnet").
"""

from __future__ import annotations

import doctest
import hashlib
import json
import re
from dataclasses import fields, replace
from importlib import resources
from pathlib import Path

import pandas as pd
import pyreadr
import pytest

from alliances.errors import AlliancesError
from alliances.world import registry, store
from alliances.world.registry import (
    ATOP_KINDS,
    BIBTEX,
    DATASETS,
    METHODS,
    REFERENCES,
    Dataset,
    Method,
    RegistryError,
    UnknownSourceError,
    parse_bibtex,
    parse_datasets,
    parse_methods,
    references_for,
)
from alliances.world.store import build, status
from conftest import SHARED

DATA = SHARED / "data"

_MISC = "\n  author = {A, B.},\n  howpublished = {H},\n  year = {2000},\n"
FINGERPRINT = "02605994c623d09ca774fa027ed9cccf9a06522f634af25c2af3c5adcafcb647"
UNVERIFIED = " (unverified: hash differs)"


def fingerprint(datasets: list[Dataset]) -> str:
    rows = [
        [
            d.name,
            d.title,
            list(d.files),
            d.version,
            list(d.cite),
            list(d.columns),
            d.reader,
            list(d.years) if d.years else None,
            d.unit,
            d.note,
            d.citation,
        ]
        for d in datasets
    ]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


# --- the registry loads, typed ---------------------------------------------------------


def test_the_data_files_ship_inside_the_package():
    folder = resources.files("alliances.world")
    assert folder.joinpath("datasets.toml").is_file()
    assert folder.joinpath("references.bib").is_file()
    assert folder.joinpath("methods.toml").is_file()


def test_every_dataset_loads_with_every_field_typed():
    assert len(DATASETS) == 54
    for name, spec in DATASETS.items():
        assert spec.name == name
        for attribute in ("title", "version", "reader", "unit", "note"):
            assert isinstance(getattr(spec, attribute), str), (name, attribute)
        for attribute in ("files", "cite", "columns"):
            value = getattr(spec, attribute)
            assert isinstance(value, tuple), (name, attribute)
            assert value, (name, attribute)
            assert all(isinstance(item, str) for item in value), (name, attribute)
        assert spec.years is None or (
            isinstance(spec.years, tuple)
            and len(spec.years) == 2
            and all(type(y) is int for y in spec.years)
            and spec.years[0] <= spec.years[1]
        ), name
        assert spec.sha256, name
        for path, digest in spec.sha256.items():
            assert isinstance(path, str)
            assert len(digest) == 64
            assert set(digest) <= set("0123456789abcdef"), (name, path)


def test_the_registry_equals_the_code_it_replaced():
    assert fingerprint(list(DATASETS.values())) == FINGERPRINT
    names = list(DATASETS)
    assert names[:3] == ["cow_states", "gw_states", "cow_ddy"]
    assert names[-1] == "codelist_panel"
    ddy = DATASETS["cow_ddy"]
    assert ddy == replace(
        ddy,
        title="COW directed dyad-years",
        files=("peacesciencer/cow_ddy.rda",),
        version="2016 (to 2024)",
        cite=("cow2017states", "miller2022ps"),
        columns=("ccode1", "ccode2", "year"),
        reader="rda",
        years=(1816, 2024),
        unit="directed dyad-year",
        note="",
    )
    trade = DATASETS["cow_trade_ndy"]
    assert trade.note == (
        "Current million USD, rounded to whole millions by peacesciencer; flow1 is "
        "ccode1's imports from ccode2."
    )
    assert DATASETS["maoz_powers"].years == (1816, 2019)
    assert DATASETS["signnet_tribes"].years is None  # one network, observed once
    assert DATASETS["sipri_tiv_tables"].columns == ("",)
    assert DATASETS["sipri_tiv_tables"].files == (
        "sipri_arms/tiv_export_tables_1950_2021/TIV-Export-*-1950-2021.csv",
    )
    assert len(DATASETS["sipri_tiv_tables"].sha256) == 134


def test_the_dataset_class_keeps_its_fields_and_defaults():
    assert [f.name for f in fields(Dataset)] == [
        "name",
        "title",
        "files",
        "version",
        "cite",
        "columns",
        "reader",
        "years",
        "unit",
        "note",
        "sha256",
        "url",
        "by_hand",
    ]
    plain = Dataset("x", "X", ("x.csv",), "1", ("maoz2010",), ("a",), "csv")
    assert (plain.years, plain.unit, plain.note, dict(plain.sha256)) == (None, "other", "", {})
    assert hash(plain) == hash(replace(plain))  # still hashable, as a frozen dataclass


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(KeyError, match=r"unknown dataset 'nope'.*cow_ddy"):
        registry.dataset("nope")


# --- citations ----------------------------------------------------------------------


def test_every_cite_key_has_a_bibtex_entry_that_parses():
    keys = {key for spec in DATASETS.values() for key in spec.cite}
    assert len(keys) == 33
    keys |= {key for method in METHODS.values() for key in method.cite}
    assert keys == set(REFERENCES) == set(BIBTEX)
    for key, text in BIBTEX.items():
        again = parse_bibtex(text)
        assert list(again) == [key]
        assert again[key] == REFERENCES[key]
        assert text.startswith(f"@{REFERENCES[key].kind}{{{key},")


def test_bibtex_entries_carry_the_facts_of_the_citation():
    gw = REFERENCES["gleditschward1999"]
    assert gw.kind == "article"
    assert gw.fields["author"] == "Gleditsch, K. S. and Ward, M. D."
    assert gw.fields["journal"] == "International Interactions"
    assert [gw.fields[f] for f in ("volume", "number", "pages")] == ["25", "4", "393--413"]
    assert gw.fields["year"] == "1999"
    assert REFERENCES["maoz2010"].kind == "book"
    assert REFERENCES["maoz2010"].fields["publisher"] == "Cambridge University Press"
    assert REFERENCES["singer1972nmc"].kind == "incollection"
    assert REFERENCES["voeten2009unga"].fields["url"] == "https://hdl.handle.net/1902.1/12379"
    assert REFERENCES["leeds2002atop"].fields["doi"] == "10.1080/03050620213653"


def test_plain_citations_render_from_the_bibtex_entries():
    assert DATASETS["cow_ddy"].citation == (
        "Correlates of War Project (2017). State System Membership List, v2016. Online "
        "dataset. https://correlatesofwar.org; "
        "Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science "
        "research. Conflict Management and Peace Science 39(6): 755–779. "
        "doi:10.1177/07388942221077926"
    )
    assert REFERENCES["singer1972nmc"].plain.endswith(
        "In B. Russett (ed.), Peace, War, and Numbers, 19–48. Sage."
    )
    assert REFERENCES["coppedge2025vdem"].plain == (
        "Coppedge, M. et al. (2025). V-Dem Dataset v15. Varieties of Democracy (V-Dem) "
        "Project. https://www.v-dem.net"
    )
    assert REFERENCES["brealey2020finance"].plain == (
        "Brealey, R. A., Myers, S. C. and Allen, F. (2020). Principles of Corporate Finance, "
        "13th ed. McGraw-Hill Education."
    )
    assert REFERENCES["efron1993bootstrap"].plain.endswith("Chapman & Hall.")
    assert REFERENCES["barbaresi2021trafilatura"].plain.startswith(
        "Barbaresi, A. (2021). Trafilatura: a web scraping library"
    )
    assert "In Proceedings of the 59th" in REFERENCES["barbaresi2021trafilatura"].plain
    assert REFERENCES["voeten2009unga"].plain.endswith(
        "Harvard Dataverse (hdl:1902.1/12379). https://hdl.handle.net/1902.1/12379"
    )


def test_no_citation_or_version_is_cut_or_a_placeholder():
    for spec in DATASETS.values():
        assert "generated" not in spec.version, spec.name
        assert spec.version not in ("signnet", ""), spec.name
        for key in spec.cite:
            assert REFERENCES[key].plain in spec.citation
    for reference in REFERENCES.values():
        assert "None" not in reference.plain, reference.key
        assert reference.fields["year"] in reference.plain


def test_the_formerly_undated_datasets_have_their_coverage():
    assert DATASETS["cow_capitals"].years == DATASETS["gw_capitals"].years == (1816, 2024)
    assert DATASETS["atop_depth"].years == (1816, 2000)
    assert "formation years" in DATASETS["atop_depth"].note
    assert [d.name for d in DATASETS.values() if d.years is None] == ["signnet_tribes"]


# --- methods and the lookup by name -----------------------------------------------------


def test_every_method_cites_known_works_and_no_name_is_taken_twice():
    assert {"wedge", "sensitivity", "affinity", "portfolio", "balance", "backtest"} <= set(METHODS)
    assert not set(METHODS) & set(DATASETS)
    assert not set(METHODS) & set(REFERENCES)
    assert not set(DATASETS) & set(REFERENCES)
    for method in METHODS.values():
        assert isinstance(method, Method)
        assert all(key in REFERENCES for key in method.cite), method.name
        assert len(set(method.cite)) == len(method.cite), method.name


_METHOD = """
[[method]]
name = "m"
title = "M"
modules = ["alliances.analysis.balance"]
cite = ["harary1959balance"]
"""


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace('cite = ["harary1959balance"]', 'cite = ["nobody"]'), "nobody"),
        (lambda t: t.replace('title = "M"\n', ""), "missing fields title"),
        (lambda t: t + 'colour = "red"\n', "unknown fields colour"),
        (lambda t: t + t, "already a method"),
        (lambda t: t.replace('name = "m"', 'name = "cow_ddy"'), "already a dataset"),
        (lambda t: t.replace("[[method]]", "[[methods]]"), "only \\[\\[method\\]\\]"),
    ],
)
def test_the_methods_reader_refuses_bad_entries_naming_the_method(change, problem):
    assert parse_methods(_METHOD, known_keys=REFERENCES, taken=DATASETS)["m"].cite == (
        "harary1959balance",
    )
    with pytest.raises(RegistryError, match=problem):
        parse_methods(change(_METHOD), "m.toml", known_keys=REFERENCES, taken=DATASETS)


def test_references_for_resolves_datasets_methods_and_keys_in_order_each_once():
    assert references_for() == list(REFERENCES.values())
    found = [r.key for r in references_for(["cow_ddy", "panel", "leeds2002atop", "cow_ddy"])]
    assert found == ["cow2017states", "miller2022ps", "leeds2002atop"]
    wedge = [r.key for r in references_for(["wedge"])]
    assert wedge == list(METHODS["wedge"].cite)


def test_an_unknown_name_is_a_user_error_with_the_closest_names():
    with pytest.raises(UnknownSourceError, match="did you mean atop_alliance") as raised:
        references_for(["atop_aliance"])
    assert isinstance(raised.value, AlliancesError)
    assert "atop_alliance" in raised.value.suggestions
    with pytest.raises(UnknownSourceError) as nothing_near:
        references_for(["zzzzzz"])
    assert nothing_near.value.suggestions == []
    assert "did you mean" not in str(nothing_near.value)


def test_the_registry_doctests_pass():
    assert doctest.testmod(registry).failed == 0


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("@article{k,\n  title = {T},\n}", "needs author, journal, year"),
        ("@misc{k,\n  title = {T},\n  year = 2000\n}", "needs author, howpublished"),
        (f"@misc{{k,{_MISC}  title = {{T}},\n  title = {{U}}\n}}", "twice"),
        (f"@misc{{k,{_MISC}  title = {{T}}\n}}\n@misc{{k,{_MISC}  title = {{U}}\n}}", "twice"),
        (f"@misc{{k,{_MISC}  title = {{T}},\n  colour = {{red}}\n}}", "colour"),
        (f"@book{{k,{_MISC}  title = {{T}},\n  publisher = {{P}},\n  pages = {{1}}\n}}", "pages"),
        ('@misc{k,\n  title = "T"\n}', "braces"),
        ("@misc{k,\n  title = {T\n}", "end of the file"),
        ("@string{x = {y}}", "string"),
        ("@manual{k, title = {T}}", "@manual is not supported"),
        ("stray text\n@misc{k, title = {T}}", "stray"),
    ],
)
def test_the_bibtex_reader_is_strict_and_says_where(text, problem):
    with pytest.raises(RegistryError, match=problem) as raised:
        parse_bibtex(text, "mine.bib")
    assert "mine.bib:" in str(raised.value)


# --- the TOML reader ------------------------------------------------------------------

_ONE = """
[[dataset]]
name = "x"
title = "X"
files = ["a/x.csv"]
version = "1"
cite = ["maoz2010"]
columns = ["a"]
reader = "csv"
years = [1900, 1950]
[dataset.sha256]
"a/x.csv" = "{digest}"
"""


def test_a_minimal_toml_dataset_loads():
    (spec,) = parse_datasets(_ONE.format(digest="0" * 64), known_keys={"maoz2010"}).values()
    assert replace(spec, sha256={}) == Dataset(
        "x", "X", ("a/x.csv",), "1", ("maoz2010",), ("a",), "csv", (1900, 1950)
    )
    assert dict(spec.sha256) == {"a/x.csv": "0" * 64}
    assert (spec.unit, spec.note) == ("other", "")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace('version = "1"', "version = 1"), "version"),
        (lambda t: t.replace('cite = ["maoz2010"]', 'cite = ["nobody"]'), "nobody"),
        (lambda t: t.replace("[1900, 1950]", "[1950, 1900]"), "years"),
        (lambda t: t.replace('reader = "csv"', 'reader = "csv"\ncolour = "red"'), "colour"),
        (lambda t: t.replace('"a/x.csv" = ', '"a/y.csv" = '), "a/x.csv"),
        (lambda t: t.replace("0" * 64, "0" * 63), "SHA-256"),
        (lambda t: t + t, "twice"),
        (lambda t: t.replace('version = "1"', 'version = "1"\nurl = "x/"'), "https://"),
        (
            lambda t: t.replace(
                'version = "1"', 'version = "1"\nurl = "https://h/"\nby_hand = "h"'
            ),
            "not both",
        ),
        (
            lambda t: (
                t.replace('["a/x.csv"]', '["a/*.csv"]').replace(
                    'version = "1"', 'version = "1"\nurl = "https://h/x.csv"'
                )
                + '"a/y.csv" = "'
                + "0" * 64
                + '"\n'
            ),
            "end it with /",
        ),
    ],
)
def test_the_toml_reader_refuses_bad_entries_naming_the_dataset(change, problem):
    with pytest.raises(RegistryError, match=problem):
        parse_datasets(change(_ONE.format(digest="0" * 64)), known_keys={"maoz2010"})


def test_every_dataset_says_where_its_files_come_from_pinned_to_a_commit():
    pinned = re.compile(r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+")
    for spec in DATASETS.values():
        assert bool(spec.url) != bool(spec.by_hand), spec.name
        for path in spec.sha256 if spec.url else ():
            url = spec.file_url(path)
            assert pinned.fullmatch(url), (spec.name, url)
    assert [d.name for d in DATASETS.values() if d.by_hand] == ["signnet_tribes", "signnet_cow"]
    assert DATASETS["sipri_tiv"].file_url("sipri_arms/sipri_tiv_dyad_year_1950_2021.csv") == (
        "https://raw.githubusercontent.com/360-info/report-arms-trade/"
        "e00d2d3e57d1d6dd409f60fc367e088cce34c86e/data/sipri-exports-processed.csv"
    )


# --- the hashes -----------------------------------------------------------------------


@pytest.mark.data
@pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared data folder is not at {DATA}")
def test_the_registered_hashes_match_the_shared_data():
    for spec in DATASETS.values():
        paths = store._files(spec, DATA)
        found = {path.relative_to(DATA).as_posix(): store._file_sha256(path) for path in paths}
        assert found == dict(spec.sha256), spec.name


def _ddy(root: Path) -> Path:
    path = root / "peacesciencer" / "cow_ddy.rda"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame({"ccode1": [2.0, 365.0], "ccode2": [365.0, 2.0], "year": [2014.0] * 2})
    pyreadr.write_rdata(str(path), frame, df_name="cow_ddy", compress="gzip")
    return path


@pytest.fixture
def ddy(tmp_path: Path) -> tuple[Path, Path, str]:
    """A data directory with a cow_ddy file that is not the registered one."""
    path = _ddy(tmp_path / "data")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return tmp_path / "data", tmp_path / "store" / "world.duckdb", digest


def _versions(target: Path) -> dict[str, str]:
    return dict(zip(status(target)["name"], status(target)["version"], strict=True))


def test_a_mismatched_hash_loads_the_dataset_as_unverified_and_says_what_to_do(ddy):
    root, target, found = ddy
    expected = DATASETS["cow_ddy"].sha256["peacesciencer/cow_ddy.rda"]
    report = build(root, target, only=["cow_ddy"])
    assert report.loaded == ["cow_ddy"]
    assert report.failed == {}
    assert list(report.unverified) == ["cow_ddy"]
    message = report.unverified["cow_ddy"]
    assert message.startswith(
        f"expected SHA-256 {expected} for {root / 'peacesciencer' / 'cow_ddy.rda'} "
        f"but found {found}: the file may be another release or corrupted; "
        "check the dataset's version (2016 (to 2024))"
    )
    assert "--strict" in message
    assert report.to_dict()["unverified"] == report.unverified
    assert _versions(target) == {"cow_ddy": "2016 (to 2024)" + UNVERIFIED}


def test_an_unchanged_unverified_file_stays_listed_on_the_next_build(ddy):
    root, target, _ = ddy
    build(root, target, only=["cow_ddy"])
    again = build(root, target, only=["cow_ddy"])
    assert again.unchanged == ["cow_ddy"]
    assert list(again.unverified) == ["cow_ddy"]
    assert _versions(target)["cow_ddy"].endswith(UNVERIFIED)


def test_strict_refuses_a_mismatched_file_as_a_failed_dataset(ddy):
    root, target, found = ddy
    report = build(root, target, only=["cow_ddy"], strict=True)
    assert report.loaded == []
    assert list(report.failed) == ["cow_ddy"]
    assert f"but found {found}" in report.failed["cow_ddy"]
    assert "refused" in report.failed["cow_ddy"]
    assert report.unverified == {}
    assert "cow_ddy" not in set(status(target)["name"])


def test_strict_keeps_the_table_an_earlier_build_loaded(ddy):
    root, target, _ = ddy
    build(root, target, only=["cow_ddy"])
    report = build(root, target, only=["cow_ddy"], strict=True)
    assert list(report.failed) == ["cow_ddy"]
    assert _versions(target)["cow_ddy"].endswith(UNVERIFIED)  # as an unreadable file


def test_a_matching_hash_is_verified_and_clears_an_earlier_mark(ddy, monkeypatch):
    root, target, found = ddy
    build(root, target, only=["cow_ddy"])
    spec = DATASETS["cow_ddy"]
    monkeypatch.setitem(
        DATASETS, "cow_ddy", replace(spec, sha256={"peacesciencer/cow_ddy.rda": found})
    )
    report = build(root, target, only=["cow_ddy"], strict=True)
    assert report.unchanged == ["cow_ddy"]
    assert report.unverified == {}
    assert report.failed == {}
    assert _versions(target) == {"cow_ddy": "2016 (to 2024)"}


def test_a_file_the_registry_does_not_list_is_unverified(tmp_path, monkeypatch):
    root = tmp_path / "data"
    tables = root / "sipri_arms" / "tiv_export_tables_1950_2021"
    tables.mkdir(parents=True)
    spec = DATASETS["sipri_tiv_tables"]
    listed = dict(list(spec.sha256.items())[:1])
    monkeypatch.setitem(DATASETS, spec.name, replace(spec, sha256=listed))
    problem = store._unverified(
        DATASETS[spec.name], root, [tables / "TIV-Export-XYZ-1950-2021.csv"], ["f" * 64]
    )
    assert problem is not None
    assert "TIV-Export-XYZ-1950-2021.csv" in problem
    assert "not in the registry" in problem
    assert "1 other" in problem  # the listed file that was not found


@pytest.mark.data
def test_the_shared_data_builds_with_every_file_verified(real_store):
    _, report = real_store
    assert report.unverified == {}
    assert report.failed == {}


def test_atop_kinds_are_the_obligation_columns_of_atop_alliance():
    columns = DATASETS["atop_alliance"].columns
    assert [f"atop_{kind}" for kind in ATOP_KINDS] == [c for c in columns if c.startswith("atop_")]
