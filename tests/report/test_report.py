import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliances.analysis.wedge import wedge
from alliances.cli import app
from alliances.report import render, write, write_figures
from alliances.scenario import dump_yaml, load_builtin, parse_yaml
from alliances.studies.reporting import ReportData, report_data


@pytest.fixture(scope="module")
def builtin():
    return load_builtin("russia-iran-2017")


@pytest.fixture(scope="module")
def result(builtin):
    return wedge(builtin, samples=3000, seed=1, sobol_samples=128)


@pytest.fixture(scope="module")
def html(builtin, result):
    return render(builtin, result)


def test_report_is_self_contained(html):
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "Plotly" in html  # the library itself is inlined


def test_report_has_the_question_charts_inputs_and_sources(html, result):
    assert "What must <strong>the United States</strong> offer\n<strong>Russia</strong>" in html
    for title in ("the flip price O*", "P(flip | offer)", "Sobol", "The system"):
        assert title in html
    assert "yearly value to Russia of its Syrian foothold" in html
    assert "fa2017" in html
    assert f"seed {result.seed}" in html


def _read_text(html):
    """What a person reads: the page without scripts, tags and attributes."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_table_shows_an_internal_path_or_a_python_repr(html):
    text = _read_text(html)
    assert not re.search(r"\b(bonds|question)\.[\w-]+\.[\w-]+", text)
    assert not re.search(r"\b(point|triangular|lognormal)\(", text)
    assert "7.5 USD bn a year" in text  # the Context table in plain units


def test_the_report_says_how_it_was_grounded(html):
    assert "<h2>Grounded in the data</h2>" in html
    assert "Not grounded: no store was given" in html


def test_each_source_is_listed_once(builtin, result):
    page = render(builtin, result)
    items = re.findall(r"<li>(.*?)</li>", page.split("<h2>Sources</h2>")[1].split("</ul>")[0])
    assert len(items) == len(set(items)) == len(result.sources)


@pytest.mark.slow
def test_the_same_inputs_give_the_same_report_but_for_its_time_stamp(builtin, result):
    first, second = render(builtin, result), render(builtin, result)
    stamp = re.compile(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC")
    assert stamp.sub("", first) == stamp.sub("", second)


def test_without_store_data_the_report_has_no_time_series_and_no_data_versions(html):
    assert "Russia and Iran over time" not in html
    assert "Data versions" not in html


@pytest.mark.slow
def test_the_report_shows_the_store_data_it_is_given(builtin, result):
    series = pd.DataFrame(
        {
            "year": [2012, 2013],
            "target_trade_share": [0.01, 0.02],
            "partner_trade_share": [0.1, 0.2],
            "target_arms_import_share": [0.0, 0.0],
            "partner_arms_import_share": [0.5, 0.6],
            "un_agreement": [0.7, None],
        }
    )
    datasets = pd.DataFrame(
        [
            {
                "name": "cow_trade_ndy",
                "title": "COW dyadic trade <test>",
                "version": "4.0",
                "citation": "Barbieri and Keshk (2016)",
                "sha256": "0123456789abcdef" * 4,
            }
        ]
    )
    page = render(builtin, result, data=ReportData(series=series, datasets=datasets))
    assert "Russia and Iran over time" in page
    # agreement, trade shares and arms shares each on an axis of their own
    for axis in ("votes alike", "of total trade", "of arms imports"):
        assert axis in page
    assert "Data versions" in page
    assert "COW dyadic trade &lt;test&gt;" in page
    assert "0123456789abcdef" * 4 in page  # the whole SHA-256


@pytest.mark.slow
def test_an_empty_series_draws_no_chart(builtin, result):
    page = render(builtin, result, data=ReportData(series=pd.DataFrame()))
    assert "Russia and Iran over time" not in page


def test_report_data_without_a_store_is_empty(builtin):
    data = report_data(builtin, None)
    assert (data.series, data.datasets) == (None, None)


@pytest.mark.slow
def test_user_text_is_escaped(builtin):
    text = dump_yaml(builtin).replace(
        "title: Could the United States pull Russia away from Iran? (2017)",
        "title: <script>alert('x')</script> & co",
    )
    hostile = parse_yaml(text)
    page = render(hostile, wedge(hostile, samples=200, sobol_samples=0))
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in page


def test_write_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    write("old", target)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("alliances.report.os.replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write("new", target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.slow
def test_figures_are_written_as_png_and_svg_at_print_resolution(builtin, result, tmp_path):
    from PIL import Image

    files = write_figures(builtin, result, tmp_path / "figs")
    names = sorted(p.name for p in files)
    assert names == sorted(
        f"{n}.{e}" for n in ("flip_price", "p_flip", "drivers", "network") for e in ("png", "svg")
    )
    assert all(p.stat().st_size > 1000 for p in files)
    with Image.open(tmp_path / "figs" / "flip_price.png") as png:
        dpi = png.info["dpi"]
        assert round(dpi[0]) == 300
        assert png.size[0] >= 6 * 300  # a 7-inch figure, cropped to its content
    svg = (tmp_path / "figs" / "drivers.svg").read_text(encoding="utf-8")
    assert "Syrian foothold" in svg  # inputs in words in the static figures too


@pytest.mark.slow
def test_cli_report_writes_the_file(tmp_path):
    out = tmp_path / "r.html"
    args = [
        "report",
        "russia-iran-2017",
        "-o",
        str(out),
        "--samples",
        "500",
        "--no-ground",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 100_000


def test_cli_report_with_a_missing_store_is_an_error_before_any_work(tmp_path):
    out = tmp_path / "r.html"
    missing = tmp_path / "none.duckdb"
    args = ["report", "russia-iran-2017", "-o", str(out), "--store", str(missing)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert str(missing) in result.output
    assert not out.exists()


def test_data_versions_list_only_the_datasets_the_report_used(builtin):
    from alliances.studies.reporting import SERIES_DATASETS, used_datasets

    used = used_datasets(builtin)
    assert used[0] == "cow_trade_ndy"  # the grounding of the trade bond
    assert set(SERIES_DATASETS) <= set(used)
    assert "signnet_tribes" not in used
    assert used_datasets(builtin, with_series=False) == ["cow_trade_ndy"]


def test_report_data_from_the_store_keeps_only_the_datasets_used(builtin, real_store):
    from alliances.studies import ground
    from alliances.world import connect

    path, _ = real_store
    con = connect(path)
    try:
        grounded, _ = ground(builtin, con)
        data = report_data(grounded, con)
        every = len(con.execute("SELECT name FROM datasets").fetchall())
    finally:
        con.close()
    names = set(data.datasets["name"])
    assert {"cow_trade_ndy", "sipri_tiv", "un_votes"} <= names
    assert len(names) < every
