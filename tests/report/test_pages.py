"""What every HTML page shares (the scenario's report, the backtest's and the exit
forecast's): read on a phone, tables that scroll inside the page, charts fitted to their
width, the footer; and what each page says that the QA pass found missing."""

from __future__ import annotations

import base64
import dataclasses
import math
import re
import time
from html import unescape

import numpy as np
import pandas as pd
import pytest

from alliances.analysis.scoring import LABELS, score
from alliances.analysis.wedge import wedge
from alliances.report import render
from alliances.report.backtest import render_backtest
from alliances.report.backtest.view import figures_text
from alliances.report.exits import render_exits
from alliances.scenario import load_builtin
from alliances.studies.backtest import Backtest, CaseResult, ExitBacktest
from alliances.studies.backtest.calibration import calibrated_p_flip, load_layer
from alliances.studies.backtest.exits import Period
from alliances.studies.reporting import ReportData
from conftest import CHROMEDRIVER, CHROMIUM, headless_chromium

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
SHA = "0123456789abcdef" * 4
MODELS = ["base_rate", "leeds_savun"]


# --------------------------------------------------------------------------- the pages


@pytest.fixture(scope="module")
def result():
    plain = wedge(load_builtin("russia-iran-2017"), samples=2000, seed=1, sobol_samples=64)
    return dataclasses.replace(plain, calibrated=calibrated_p_flip(plain))


@pytest.fixture(scope="module")
def report(result):
    """The report with a store's part: the grounding's source cites the trade data by
    the first 12 digits of its hash, as :mod:`alliances.studies.grounding` writes it."""
    scenario = load_builtin("russia-iran-2017")
    sources = [
        *result.sources,
        {
            "key": "grounded",
            "reference": False,
            "citation": f"COW dyadic trade 4.0 (cow_trade_ndy, sha256 {SHA[:12]}): trade",
        },
    ]
    grounded = dataclasses.replace(result, sources=sources)
    datasets = pd.DataFrame(
        [
            {
                "name": "cow_trade_ndy",
                "title": "COW dyadic trade",
                "version": "4.0",
                "citation": "Barbieri and Keshk (2016)",
                "sha256": SHA,
            }
        ]
    )
    return render(scenario, grounded, data=ReportData(datasets=datasets))


def _case(cid, outcome, p, *, coercion=False, year=1900):
    return CaseResult(
        id=cid,
        outcome=outcome,
        reward_only=not coercion,
        year=year,
        p_flip=p,
        flip_price_p50=p * 1e10 + 1e9,
        max_offer_p50=1.69e9 if outcome == "success" else 1e9,
    )


@pytest.fixture(scope="module")
def backtest():
    rng = np.random.default_rng(3)
    outcomes = ["success", "failure", "partial", "failure", "success", "failure"] * 2
    cases = [
        _case(
            f"case-{i}", o, float(rng.uniform(0.05, 0.9)), coercion=i % 3 == 0, year=1850 + 15 * i
        )
        for i, o in enumerate(outcomes)
    ]
    shipped = load_layer()  # the layer as the package ships it, with its track record
    layer = {
        "layer": {k: v for k, v in shipped.items() if k != "track_record"},
        "track_record": shipped["track_record"],
    }
    scores = score(
        [c.p_flip for c in cases],
        [LABELS[o] for o in outcomes],
        features=[float(i % 4) for i in range(len(cases))],
        reward_only=[c.reward_only for c in cases],
        n_boot=50,
    )
    return Backtest(cases, scores, scale=1.0, samples=500, seed=0, calibration=layer)


def _scores(auc, brier):
    return {
        "auc": auc,
        "auc_ci": [auc - 0.05, auc + 0.05],
        "pr_auc": 0.02,
        "pr_auc_ci": [0.01, 0.03],
        "brier": brier,
        "brier_ci": [brier * 0.8, brier * 1.2],
        "log_loss": 0.04,
        "log_loss_ci": [0.03, 0.05],
        "top_decile": 0.3,
        "top_decile_ci": [0.2, 0.4],
    }


def _block(n, events, difference):
    return {
        "n": n,
        "events": events,
        "clusters": 40,
        "scores": {"base_rate": _scores(0.74, 0.0052), "leeds_savun": _scores(0.79, 0.0052)},
        "differences": {
            "leeds_savun - base_rate": {
                "auc": difference,
                "auc_ci": [difference - 0.04, difference + 0.04],
                "brier": 0.000033,
                "brier_ci": [-0.000027, 0.000103],
            },
            "base_rate - leeds_savun": {"auc": -difference, "auc_ci": [-0.1, 0.0]},
        },
    }


@pytest.fixture(scope="module")
def exits():
    nan = math.nan
    decades = [
        Period(
            "1910s", 1910, 1919, 445, 25, {m: {"auc": 0.5 + 0.1 * k} for k, m in enumerate(MODELS)}
        ),
        Period("1920s", 1920, 1929, 495, 0, {m: {"auc": nan} for m in MODELS}),
        Period("1930s", 1930, 1939, 1195, 58, {m: {"auc": 0.6} for m in MODELS}),
    ]
    return ExitBacktest(
        decades=decades,
        pooled={
            "1870s-2010s": _block(41394, 352, -0.006),
            "1950s-2010s": _block(37277, 193, 0.055),
        },
        holdout={"first": 1991, "last": 2016, **_block(23938, 45, 0.118)},
        calibration={
            m: [{"count": 100, "predicted": p, "observed": p / 2} for p in (0.01, 0.02)]
            for m in MODELS
        },
        roc={m: {"fpr": [0, 0.3, 1], "tpr": [0, 0.6, 1]} for m in MODELS},
        models=MODELS,
        predictions=pd.DataFrame(),
        n_boot=100,
        seed=7,
    )


@pytest.fixture(scope="module")
def pages(report, backtest, exits):
    return {"report": report, "backtest": render_backtest(backtest), "exits": render_exits(exits)}


def _text(html):
    """What a person reads: the page without scripts, styles and tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("name", ["report", "backtest", "exits"])
def test_the_viewport_tag_is_on_every_page(pages, name):
    assert pages[name].count(VIEWPORT) == 1


@pytest.mark.parametrize("name", ["report", "backtest", "exits"])
def test_every_table_scrolls_inside_a_wrapper_not_the_page(pages, name):
    page = pages[name]
    tables = re.findall(r"(.{0,40})<table\b", page)
    assert tables
    assert all(before.endswith('<div class="table-wrap">') for before in tables)
    assert "@media (max-width: 640px)" in page  # the styles for narrow screens


@pytest.mark.parametrize("name", ["report", "backtest", "exits"])
def test_every_page_fits_its_charts_to_their_width(pages, name):
    page = pages[name]
    assert "Fit every Plotly chart of the page to its width" in page
    assert '"responsive": true' in page


@pytest.mark.parametrize("name", ["report", "backtest", "exits"])
def test_every_page_ends_with_the_footer(pages, name):
    footer = pages[name].split("<footer>")[1].split("</footer>")[0]
    assert re.search(r"alliances \d+\.\d+\.\d+\S*, generated \d{4}-\d\d-\d\d", footer)
    assert "seed" in footer


# --------------------------------------------------------------------------- the report


def test_the_full_sha256_is_in_the_data_versions_and_the_sources(report):
    versions = report.split("<h2>Data versions</h2>")[1]
    assert f'<td class="hash" title="{SHA}">{SHA}</td>' in versions
    sources = report.split("<h2>Sources</h2>")[1].split("</ul>")[0]
    assert f'(cow_trade_ndy, SHA-256 <span class="hash" title="{SHA}">{SHA}</span>)' in sources
    assert f"sha256 {SHA[:12]})" not in report
    assert "…" not in versions.split("</table>")[0]


def test_the_p_flip_chart_says_the_curve_is_the_structural_threshold(report, result):
    text = _text(report)
    assert "The solid curve is the structural threshold P(O* < offer)" in text
    calibrated = result.calibrated
    low, high = calibrated["interval"]
    assert f"calibrated P(flip) at that offer is {calibrated['p_flip']:.2f} (90% interval" in text
    assert f"{low:.2f} to {high:.2f}" in text
    assert "structural threshold P(O* \\u003c offer)" in report  # the curve's name
    assert f"calibrated P(flip), {calibrated['p_flip']:.2f}" in report  # the point's


# --------------------------------------------------------------------------- the backtest


def test_the_backtest_page_shows_the_calibrated_layer(backtest):
    page = render_backtest(backtest)
    text = _text(page)
    layer = backtest.calibration["layer"]
    record = backtest.calibration["track_record"]
    assert "The calibrated P(flip): the decision layer fitted on the cases" in text
    assert "P(flip) = σ(a + c·coercion + g·m̄ + k·ln κ̄)" in text
    for key in "acgk":
        low, high = layer["intervals"][key]
        assert f"{layer['parameters'][key]:.3f}".replace("-", "−") in text
        assert f"[{low:.2f}, {high:.2f}]".replace("-", "−") in text
    brier = record["leave_one_out"]["base_rate"]["brier"]
    assert f"the base rate {brier:.3f}" in text
    assert f"p = {record['permutation_p_g']:.2f}" in text
    assert "ΔBrier of the layer against the instrument rule" in text
    assert "below 0 favours the layer" in text
    for group in ("reward only", "coercion", "1815–1913"):
        assert f"{group} " in text


def test_the_backtest_page_without_a_layer_has_no_such_section(backtest):
    page = render_backtest(dataclasses.replace(backtest, calibration=None))
    assert "decision layer" not in page


def test_the_backtest_cases_keep_their_trailing_zeros(backtest):
    page = render_backtest(backtest)
    assert '<td class="num">1.69</td>' in page
    assert '<td class="num">1.00</td>' in page
    assert not re.search(r'<td class="num">1</td>', page)
    assert [figures_text(x) for x in (1, 1.69, 12, 0.7, 213.4)] == [
        "1.00",
        "1.69",
        "12.0",
        "0.700",
        "213",
    ]


# --------------------------------------------------------------------------- the exits


def test_the_exits_page_has_the_footer_with_data_versions_and_citations(exits):
    footer = render_exits(exits).split("<footer>")[1]
    text = _text(footer)
    assert "seed 7" in text
    assert "100 bootstrap resamples" in text
    assert "Data versions" in text
    assert "ATOP member-level provisions" in text
    assert re.search(r'<td class="hash" title="[0-9a-f]{64}">[0-9a-f]{64}</td>', footer)
    assert "Alliance Treaty Obligations and Provisions, 1815–1944" in text  # ATOP
    assert "Leeds, B. A. and Savun, B. (2007). Terminating alliances" in text


def test_the_exits_page_shows_the_store_record_of_the_data_when_given(exits):
    store = pd.DataFrame(
        [
            {
                "name": "atop_members_v4",
                "title": "ATOP members",
                "version": "4.0",
                "citation": "Leeds (2002)",
                "sha256": SHA,
            },
            {
                "name": "un_votes",
                "title": "UN votes",
                "version": "x",
                "citation": "y",
                "sha256": "f" * 64,
            },
        ]
    )
    page = render_exits(exits, datasets=store)
    assert f'title="{SHA}">{SHA}</td>' in page
    assert "UN votes" not in page  # the exit forecast does not read it


def test_the_exits_page_leaves_a_missing_store_record_blank_not_none_or_nan(exits):
    store = pd.DataFrame(
        [{"name": "atop_members_v4", "title": "ATOP", "version": None, "citation": math.nan}]
    )
    text = _text(render_exits(exits, datasets=store))
    assert "None" not in text
    assert "nan" not in text.split()


def test_the_exits_page_names_the_models_and_signs_the_differences(exits):
    text = _text(render_exits(exits))
    assert "leeds_savun" not in text
    assert "base_rate" not in text
    assert "Leeds–Savun logit minus the era base rate" in text
    assert "ΔAUC +0.055 [+0.015, +0.095] (above 0 favours the Leeds–Savun logit)" in text
    assert "ΔAUC −0.006 [−0.046, +0.034]" in text
    assert "the Leeds–Savun logit ranks the exits better" in text
    assert "ΔBrier ×100 +0.0033 [−0.0027, +0.0103] (below 0 favours the Leeds–Savun logit)" in text
    assert "no clear difference: the interval includes 0" in text
    assert "base_rate - leeds_savun" not in text  # only the richer model against the simpler


def test_the_exits_page_uses_en_dashes_in_year_ranges(exits):
    text = _text(render_exits(exits))
    assert "Rolling origin by decade, 1870s–2010s" in text
    assert "Confirmatory hold-out 1991–2016" in text
    assert not re.search(r"\d{4}s?-\d{4}", text)


def test_the_exits_page_explains_a_decade_without_an_auc(exits):
    page = render_exits(exits)
    said = "The 1920s have no AUC: no member left an alliance early in them (495 member-years"
    assert f"{said}, 0 early exits)" in _text(page)
    assert "no early exit:\\u003cbr\\u003eno AUC" in page  # on the chart, in Plotly's JSON
    assert '"title":{"text":"decade"}' in page.replace(" ", "")


# --------------------------------------------------------------------------- in a browser

# each chart: its width, whether its title and legends stay inside it, and whether a
# legend covers its x-axis title
_CHARTS = """
const out = [];
for (const gd of document.querySelectorAll('.js-plotly-plot')) {
  const box = gd.getBoundingClientRect();
  const rect = (el) => el ? el.getBoundingClientRect() : null;
  const title = rect(gd.querySelector('.g-gtitle'));
  const xtitles = Array.from(gd.querySelectorAll('.g-xtitle, .g-x2title, .g-x3title')).map(rect);
  const legends = Array.from(gd.querySelectorAll('g.legend, g.legend2, g.legend3')).map(rect)
    .filter(r => r && r.height);
  const meets = (a, b) => a && b && a.height && b.height && a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  out.push({
    id: gd.id,
    width: box.width,
    title_inside: !title || (title.left >= box.left - 1 && title.right <= box.right + 1),
    legend_on_axis_title: legends.some(l => xtitles.some(x => meets(l, x))),
  });
}
return {inner: window.innerWidth, page: document.documentElement.scrollWidth, charts: out};
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    session = headless_chromium(tmp_path_factory.mktemp("chrome"), "--hide-scrollbars")
    yield session
    session.quit()


@pytest.mark.slow
@pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are not installed"
)
@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("name", ["report", "backtest", "exits"])
def test_a_page_is_readable_on_a_phone_and_a_laptop(pages, driver, tmp_path, name, width):
    """On a phone (390 px, as a phone lays out a page) and a laptop (1366 px): the page is
    no wider than the screen, its text not shrunk, each chart within it, each title
    inside its chart and no legend over an x-axis title."""
    path = tmp_path / f"{name}.html"
    path.write_text(pages[name], encoding="utf-8")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(path.as_uri())
    time.sleep(2.0)
    seen = driver.execute_script(_CHARTS)
    assert seen["inner"] == width  # not laid out at 980 px and shrunk
    assert seen["page"] <= width
    assert seen["charts"]
    for chart in seen["charts"]:
        assert chart["width"] <= width, chart
        assert chart["title_inside"], chart
        assert not chart["legend_on_axis_title"], chart
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    assert base64.b64decode(shot["data"])[:4] == b"\x89PNG"


def test_the_calibrated_headline_gives_the_layers_track_record_and_extrapolation_in_words(
    report,
):
    text = _text(report)
    assert (
        "The layer's track record: leave-one-out Brier 0.182 against 0.193 for the base rate"
    ) in text
    assert "no skill shown over it. The log credibility of the offer, ln κ̄ = -1.2" in text
    assert "log_kappa" not in text


def test_the_exits_page_says_how_far_each_model_over_or_under_predicts(exits):
    text = _text(render_exits(exits))
    assert "Over the rolling rows, early exits happened at a yearly rate of 0.0075" in text
    assert "the Leeds–Savun logit's is 0.0150 (2.0×)" in text
    assert "read the probabilities as a ranking of risk" in text


def test_the_report_says_why_the_threshold_marker_is_off_the_curve(report, result):
    offer = result.offer
    if offer["p_flip_at_value"] == offer["p_flip_own_package"]:
        pytest.skip("the two agree for this run")
    text = _text(report)
    assert "the marker: each draw with its own package of instruments" in text
    assert f"gives {offer['p_flip_at_value']:.3f})" in text
