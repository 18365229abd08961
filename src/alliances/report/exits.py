"""The page of ``alliances backtest --exits --report FILE.html``: calibration, ROC and the
decade-by-decade scores of the exit forecast, self-contained (Plotly inlined once).

The charts are :func:`alliances.plotting.exit_backtest_chart`'s, in its Plotly backend;
the page is the Jinja2 template ``exits.html.j2`` with the footer every page has
(:mod:`alliances.report._page`): the software's version, the seed and the bootstrap
resamples, the versions of the datasets the forecast reads with their SHA-256, and the
works to cite.

:func:`render_exits` takes the :class:`~alliances.studies.backtest.ExitBacktest` that
:func:`~alliances.studies.backtest.backtest_exits` returns, not its JSON form, and, to
show the store's own record of the data, its provenance table
(:func:`alliances.world.connection.provenance`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from alliances import __version__, plotting
from alliances.report._page import environment, page_parts
from alliances.report.backtest.view import difference_text, number_text
from alliances.report.charts import PLOT_CONFIG

if TYPE_CHECKING:
    import pandas as pd

    from alliances.studies.backtest import ExitBacktest

__all__ = ["CITATIONS", "EXIT_DATASETS", "nested", "render_exits"]

EXIT_DATASETS = ("atop_members_v4", "cow_nmc", "cw_democracy", "tss_rivalries", "cow_mid_ddydisps")
"""The store's datasets the exit forecast reads (:mod:`alliances.world.exits`): ATOP's
member file and the covariates of the Leeds–Savun logit (capabilities, democracy,
rivalries, disputes)."""

CITATIONS = (
    "Leeds, B. A. (2018). Alliance Treaty Obligations and Provisions (ATOP) Codebook, "
    "version 4.0. atopdata.org",
    "Leeds, B. A. and Savun, B. (2007). Terminating alliances: Why do states abrogate "
    "agreements? Journal of Politics 69(4): 1118–1132.",
)
"""The works the page cites besides ATOP's data (the registry's ``leeds2002atop``): ATOP's
codebook and Leeds and Savun (2007), whose model of alliance abrogation the forecast's
logit follows."""


def _citations() -> list[str]:
    from alliances.world.registry import REFERENCES

    return [REFERENCES["leeds2002atop"].plain, *CITATIONS]


_YEARS = re.compile(r"(\d{4}s?)\s*-\s*(\d{4}s?)")


def _years(text: str) -> str:
    """Year ranges with an en dash: "1870s-2010s" → "1870s–2010s"."""
    return _YEARS.sub(r"\1–\2", text)


def _name(model: str) -> str:
    return plotting.exit_model_name(model)


def _finite(value: Any) -> float | None:
    return plotting.finite_or_none(value)


def _cell(scores: Mapping[str, Any], metric: str, scale: float = 1.0, digits: int = 3) -> str:
    value = _finite(scores.get(metric))
    if value is None:
        return "n/a"
    low, high = (_finite(x) for x in [*(scores.get(f"{metric}_ci") or []), None, None][:2])
    text = number_text(value * scale, digits)
    if low is None or high is None:
        return text
    return f"{text} [{number_text(low * scale, digits)}, {number_text(high * scale, digits)}]"


def _difference(d: Mapping[str, Any], metric: str, scale: float, digits: int) -> dict[str, Any]:
    """A difference of two models' scores (``d[metric]``, ``d[metric + "_ci"]``) times
    ``scale``, as :func:`~alliances.report.backtest.view.difference_text` shows it."""

    def scaled(value: Any) -> float | None:
        x = _finite(value)
        return None if x is None else x * scale

    low, high = [*(d.get(f"{metric}_ci") or []), None, None][:2]
    return difference_text(scaled(d.get(metric)), (scaled(low), scaled(high)), digits)


def _verdict(side: str, better: str, worse: str) -> str:
    return {
        "above": better,
        "below": worse,
        "includes": "no clear difference: the interval includes 0",
        "unknown": "no interval",
    }[side]


def _block(title: str, block: Mapping[str, Any]) -> dict[str, Any]:
    models = list(block["scores"])
    rows = [
        {
            "model": _name(m),
            "cells": [
                _cell(s, "auc"),
                _cell(s, "pr_auc", digits=4),
                _cell(s, "brier", 100, 4),
                _cell(s, "log_loss", digits=4),
                _cell(s, "top_decile"),
            ],
        }
        for m, s in block["scores"].items()
    ]
    differences = []
    for pair, d in block.get("differences", {}).items():
        if not nested(pair, models):
            continue
        richer, simpler = (_name(m) for m in pair.split(" - "))
        auc = _difference(d, "auc", 1.0, 3)
        brier = _difference(d, "brier", 100.0, 4)
        differences.append(
            {
                "richer": richer,
                "simpler": simpler,
                "auc": auc,
                "auc_verdict": _verdict(
                    auc["side"],
                    f"the {richer} ranks the exits better",
                    f"the {richer} ranks them worse",
                ),
                "brier": brier,
                # a lower Brier score is better: the side below 0 favours the richer model
                "brier_verdict": _verdict(
                    {"above": "below", "below": "above"}.get(brier["side"], brier["side"]),
                    f"the {richer} scores better",
                    f"the {richer} scores worse",
                ),
            }
        )
    return {
        "title": _years(title),
        "rows": rows,
        "n": f"{block['n']:,}",
        "events": f"{block['events']:,}",
        "clusters": f"{block['clusters']:,}",
        "differences": differences,
    }


def _calibration_note(result: ExitBacktest) -> str:
    """Each model's mean predicted yearly hazard over the rolling rows against the rate
    that happened: how far the calibration chart's points lie from its diagonal."""
    means = {}  # model: (predicted, observed), weighted by the bins' counts
    for model, bins in result.calibration.items():
        n = sum(b.get("count", 0) for b in bins)
        if n:
            means[model] = tuple(sum(b["count"] * b[k] for b in bins) / n for k in _MEAN)
    if not means:
        return ""
    observed = next(iter(means.values()))[1]
    said = ", ".join(
        f"the {_name(m)}'s is {p:.4f}" + (f" ({p / observed:.1f}×)" if observed else "")
        for m, (p, _) in means.items()
    )
    return (
        f"Over the rolling rows, early exits happened at a yearly rate of {observed:.4f}; "
        f"the mean predicted hazard {said}. Points below the calibration chart's diagonal "
        "are over-predictions: read the probabilities as a ranking of risk. In the AUC by "
        "decade, the era base rate is one number within a decade, so it cannot rank there "
        "(AUC 0.5); its pooled AUC comes from the differences between decades."
    )


_MEAN = ("predicted", "observed")


def _empty_decades(result: ExitBacktest) -> list[dict[str, str]]:
    """The decades in which no model has an AUC, and why."""
    out = []
    for period in result.decades:
        aucs = [_finite(s.get("auc")) for s in period.scores.values()]
        if any(a is not None for a in aucs):
            continue
        if period.events == 0:
            why = (
                f"no member left an alliance early in them ({period.n:,} member-years, "
                "0 early exits), and an AUC compares the risk of years with an exit "
                "against years without."
            )
        else:
            why = "every member-year in them ended in an exit, so there is nothing to rank."
        out.append({"label": period.label, "why": why})
    return out


def _text(value: Any) -> str:
    """A cell of the store's provenance table as text: "" where it is missing (None or
    NaN), never "None" or "nan"."""
    missing = value is None or (isinstance(value, float) and value != value)
    return "" if missing else str(value)


def _datasets(datasets: pd.DataFrame | None) -> tuple[list[dict[str, Any]], str, str]:
    """The rows of the data versions table, its note and the title of its hash column:
    the store's own record when given, else the releases the package registers."""
    if datasets is not None and not datasets.empty and "name" in datasets.columns:
        used = datasets[datasets["name"].isin(EXIT_DATASETS)]
        rows = [
            {k: _text(r.get(k)) for k in ("title", "version", "citation", "sha256")}
            for r in used.to_dict(orient="records")
        ]
        note = (
            "The datasets the exit forecast reads, as loaded in the store; SHA-256: the "
            "store's hash of each dataset's files."
        )
        return rows, note, "SHA-256"
    from alliances.world.registry import DATASETS

    rows = [
        {
            "title": f"{DATASETS[name].title} ({path})",
            "version": DATASETS[name].version,
            "citation": DATASETS[name].citation,
            "sha256": digest,
        }
        for name in EXIT_DATASETS
        if name in DATASETS
        for path, digest in DATASETS[name].sha256.items()
    ]
    note = (
        "The datasets the exit forecast reads, in the releases the package registers: "
        "building the store checks each file against its SHA-256 below, and marks the "
        "version of a dataset whose file differs “unverified: hash differs”."
    )
    return rows, note, "SHA-256 of the file"


def render_exits(result: ExitBacktest, *, datasets: pd.DataFrame | None = None) -> str:
    """The self-contained HTML page of an exit backtest.

    ``datasets`` is the store's provenance table
    (:func:`alliances.world.connection.provenance`); the page lists the rows of
    :data:`EXIT_DATASETS` with the store's SHA-256. Without it, the page lists the
    releases the package registers, with the SHA-256 of each file.
    """
    figures = [
        plotting.exit_backtest_chart(result, kind, backend="plotly")
        for kind in plotting.EXIT_KINDS
    ]
    charts = [
        Markup(fig.to_html(full_html=False, include_plotlyjs=(i == 0), config=PLOT_CONFIG))
        for i, fig in enumerate(figures)
    ]
    blocks = [_block(f"Rolling origin by decade, {k}", v) for k, v in result.pooled.items()]
    held = result.holdout
    holdout = f"{held['first']}–{held['last']}"
    blocks.append(_block(f"Confirmatory hold-out {holdout}", held))
    rows, note, hash_title = _datasets(datasets)
    structure = "leeds_savun_structure" in result.models
    if structure:
        note += (
            " The wedge price's features (the nested model with the price) read the datasets "
            "of `alliances scenario draft` as well."
        )
    facts = [
        f"seed {result.seed}",
        f"{result.n_boot:,} bootstrap resamples (whole alliances)",
        "specification docs/forecast.md",
    ]
    return (
        environment()
        .get_template("exits.html.j2")
        .render(
            holdout=holdout,
            blocks=blocks,
            charts=charts,
            empty_decades=_empty_decades(result),
            calibration=_calibration_note(result),
            datasets=rows,
            datasets_note=note,
            hash_title=hash_title,
            citations=_citations(),
            facts=facts,
            page=page_parts(),
            version=__version__,
            generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )


def nested(pair: str, models: list[str]) -> bool:
    """Whether ``pair`` ("A - B") compares a later, richer model A with an earlier B."""
    a, b = pair.split(" - ")
    return models.index(a) > models.index(b)
