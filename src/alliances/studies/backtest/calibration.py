r"""The calibrated P(flip): the decision layer fitted on the catalogue, its track record, and
the shipped parameter file every output reads (docs/forecast.md, "The calibrated P(flip)").

:func:`calibrate` takes the cases of a backtest (each drafted and priced by the rules of
``docs/drafting.md``) and fits :class:`~alliances.analysis.decision.FlipLayer`,

.. math::

    P(\text{flip}) = \sigma(a + c \cdot \text{coercion} + g \bar m + k \ln \bar\kappa),

by maximum likelihood, every parameter with a bootstrap interval. Its track record is
leave-one-out (each case predicted by a layer refitted without it) against the nested
layer with g = k = 0 (the instrument alone); a permutation test of g says whether the
price carries signal. :func:`load_layer` reads the layer shipped with the package
(``flip_layer.json``, written by ``alliances backtest --calibrate``), and
:func:`calibrated_p_flip` applies it to a wedge result.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from alliances.analysis.decision import FlipLayer, fit_flip_layer, log_margin
from alliances.analysis.scoring import brier_score, log_loss, roc_auc, rule_baseline, soft_labels
from alliances.analysis.wedge import WedgeResult
from alliances.errors import DataError

__all__ = [
    "LAYER_FILE",
    "calibrate",
    "calibrated_p_flip",
    "case_inputs",
    "load_layer",
    "skill_statement",
]

LAYER_FILE = "flip_layer.json"
"""The shipped layer, next to this module."""

_BOOT_KEPT = 200


def case_inputs(
    flip: np.ndarray, most: np.ndarray, kappa: float, coercion: bool
) -> dict[str, float]:
    """The layer's inputs of one priced case: coercion, m̄ at O_max, ln κ̄."""
    return {
        "coercion": float(coercion),
        "margin": log_margin(flip, most),
        "log_kappa": math.log(max(kappa, 1e-6)),
    }


def _expand(
    rows: Sequence[dict[str, float]], y: Sequence[float]
) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray, np.ndarray]:
    """A partial (y = ½) as two rows of weight ½; the cluster of each row is its case."""
    out, ys, ws, groups = [], [], [], []
    for i, (row, label) in enumerate(zip(rows, y, strict=True)):
        if label in (0.0, 1.0):
            out.append(row)
            ys.append(label)
            ws.append(1.0)
            groups.append(i)
        else:
            out += [row, row]
            ys += [1.0, 0.0]
            ws += [label, 1 - label]
            groups += [i, i]
    return out, np.array(ys), np.array(ws), np.array(groups)


def _fit(
    rows: Sequence[dict[str, float]],
    y: Sequence[float],
    fit: Sequence[str],
    n_boot: int,
    seed: int,
) -> FlipLayer:
    x, ys, w, groups = _expand(rows, y)
    return fit_flip_layer(x, ys, weights=w, fit=fit, n_boot=n_boot, seed=seed, clusters=groups)


def _predict(layer: FlipLayer, row: dict[str, float]) -> float:
    return layer.probability(row["coercion"], row["margin"], row["log_kappa"])


def _loo(rows: Sequence[dict[str, float]], y: Sequence[float], fit: Sequence[str]) -> list[float]:
    preds = []
    for i in range(len(rows)):
        keep = [j for j in range(len(rows)) if j != i]
        layer = _fit([rows[j] for j in keep], [y[j] for j in keep], fit, 0, 0)
        preds.append(_predict(layer, rows[i]))
    return preds


def _scores(p: Sequence[float], y: Sequence[float]) -> dict[str, float]:
    return {"brier": brier_score(p, y), "log_loss": log_loss(p, y), "auc": roc_auc(p, y)}


def calibrate(
    ids: Sequence[str],
    rows: Sequence[dict[str, float]],
    outcomes: Sequence[str],
    *,
    years: Sequence[int] | None = None,
    n_boot: int = 2000,
    n_perm: int = 1000,
    seed: int = 0,
    fitted_on: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fit the layer on the cases (``rows`` from :func:`case_inputs`, ``outcomes``
    success / partial / failure), score it leave-one-out against the nested layer with
    g = k = 0 and the base rate, and test g by permutation. Returns the layer file's
    content (``layer``) and the track record (``track_record``)."""
    y = soft_labels(outcomes).tolist()
    layer = _fit(rows, y, ("a", "c", "g", "k"), n_boot, seed)
    boot_layers = []
    x, ys, w, groups = _expand(rows, y)
    rng = np.random.default_rng(seed)
    for _ in range(_BOOT_KEPT):
        pick = rng.integers(0, len(rows), len(rows))
        counts = np.bincount(pick, minlength=len(rows))
        fitted = fit_flip_layer(x, ys, weights=w * counts[groups], n_boot=0)
        boot_layers.append([fitted.parameters[k] for k in ("a", "c", "g", "k")])
    loo = {
        "layer": _loo(rows, y, ("a", "c", "g", "k")),
        "instrument_only": _loo(rows, y, ("a", "c")),
        "base_rate": [
            float(np.mean([y[j] for j in range(len(y)) if j != i])) for i in range(len(y))
        ],
        "instrument_rule": [
            float(v) for v in rule_baseline(y, [r["coercion"] == 0 for r in rows])
        ],
    }
    records = {name: _scores(p, y) for name, p in loo.items()}
    diffs = {}
    for ref in ("instrument_only", "base_rate", "instrument_rule"):
        d = (np.array(loo["layer"]) - np.array(y)) ** 2 - (np.array(loo[ref]) - np.array(y)) ** 2
        boot = [float(d[rng.integers(0, len(d), len(d))].mean()) for _ in range(n_boot)]
        diffs[f"layer - {ref}"] = {
            "brier": float(d.mean()),
            "detectable_at_80_percent_power": float(2.8 * d.std(ddof=1) / math.sqrt(len(d))),
            "brier_ci": [float(np.quantile(boot, 0.05)), float(np.quantile(boot, 0.95))]
            if boot
            else [None, None],
        }
    g = layer.parameters["g"]
    beyond = 0
    for _ in range(n_perm):
        order = rng.permutation(len(rows))
        shuffled = [{**rows[i], "margin": rows[order[i]]["margin"]} for i in range(len(rows))]
        if abs(_fit(shuffled, y, ("a", "c", "g", "k"), 0, 0).parameters["g"]) >= abs(g):
            beyond += 1
    layer_file = {
        "schema_version": 1,
        **layer.to_dict(),
        "bootstrap_parameters": boot_layers,
        "fitted_on": fitted_on or {},
    }
    return {
        "layer": layer_file,
        "track_record": {
            "n": len(rows),
            "leave_one_out": records,
            "differences": diffs,
            "permutation_p_g": (beyond + 1) / (n_perm + 1) if n_perm else None,
            "by_instrument": _groups(
                ["coercion" if r["coercion"] else "reward only" for r in rows], loo["layer"], y
            ),
            "by_era": None
            if years is None
            else _groups([_era(t) for t in years], loo["layer"], y),
            "predictions": dict(zip(ids, loo["layer"], strict=True)),
        },
    }


def _era(year: int) -> str:
    return (
        "1815–1913"
        if year < 1914
        else "1914–1945"
        if year < 1946
        else ("1946–1991" if year < 1992 else "1992–")
    )


def _groups(keys: Sequence[str], p: Sequence[float], y: Sequence[float]) -> dict[str, Any]:
    """Mean leave-one-out prediction against the mean outcome in each group."""
    out: dict[str, Any] = {}
    for key in dict.fromkeys(keys):
        idx = [i for i, k in enumerate(keys) if k == key]
        out[key] = {
            "n": len(idx),
            "predicted": float(np.mean([p[i] for i in idx])),
            "observed": float(np.mean([y[i] for i in idx])),
        }
    return out


def skill_statement(track_record: dict[str, Any]) -> str:
    r"""The layer's leave-one-out Brier score beside the base rate's, with the 90% interval
    of their difference and what it says: the words every output puts next to the
    calibrated P(flip).

    >>> record = {"leave_one_out": {"layer": {"brier": 0.182}, "base_rate": {"brier": 0.193}},
    ...           "differences": {"layer - base_rate": {"brier_ci": [-0.045, 0.022]}}}
    >>> print(skill_statement(record).replace("; ", ";\n"))
    leave-one-out Brier 0.182 against 0.193 for the base rate;
    90% interval of the difference [-0.045, +0.022]: no skill shown over it
    """
    nan = float("nan")
    scores = track_record.get("leave_one_out", {})
    layer, base = scores.get("layer", {}), scores.get("base_rate", {})
    difference = track_record.get("differences", {}).get("layer - base_rate", {})
    low, high = difference.get("brier_ci", [nan, nan])
    said = "better than the base rate" if high < 0 else "no skill shown over it"
    return (
        f"leave-one-out Brier {layer.get('brier', nan):.3f} against "
        f"{base.get('brier', nan):.3f} for the base rate; 90% interval of the difference "
        f"[{low:+.3f}, {high:+.3f}]: {said}"
    )


@cache
def load_layer() -> dict[str, Any]:
    """The layer shipped with the package (``flip_layer.json``): parameters, bootstrap
    parameter draws, ranges, what it was fitted on and its track record."""
    text = resources.files("alliances.studies.backtest").joinpath(LAYER_FILE).read_text("utf-8")
    try:
        data: dict[str, Any] = json.loads(text)
        FlipLayer.from_dict(data)
    except (ValueError, KeyError, TypeError) as error:
        msg = f"the package's {LAYER_FILE} is not a layer file ({error}); reinstall alliances"
        raise DataError(msg) from None
    return data


def calibrated_p_flip(result: WedgeResult) -> dict[str, Any]:
    """The calibrated P(flip) of ``result`` at its offer, with a 90% interval over the
    layer's bootstrap parameters, the structural ``p_threshold`` beside it, the layer that
    made it and a warning where the result lies outside the range it was fitted on."""
    data = load_layer()
    layer = FlipLayer.from_dict(data)
    draws = result.draws
    flip = draws["flip_price"].to_numpy(dtype=float)
    offer = float(result.offer["value"])
    inputs = {
        "coercion": float(np.median(draws["coercion"].to_numpy(dtype=float)) > 0),
        "margin": log_margin(flip, np.full(len(flip), offer)),
        "log_kappa": math.log(
            max(float(np.median(draws["credibility"].to_numpy(dtype=float))), 1e-6)
        ),
    }
    p = _predict(layer, inputs)
    spread = [
        FlipLayer(dict(zip(("a", "c", "g", "k"), b, strict=True))).probability(
            inputs["coercion"], inputs["margin"], inputs["log_kappa"]
        )
        for b in data.get("bootstrap_parameters", [])
    ]
    interval = (
        [float(np.quantile(spread, 0.05)), float(np.quantile(spread, 0.95))]
        if spread
        else [None, None]
    )
    return {
        "p_flip": p,
        "interval": interval,
        "p_threshold": float(result.offer["p_flip"]),
        "p_threshold_label": "structural: P(O* < offer) over the draws, not calibrated",
        "inputs": inputs,
        "layer": {
            "version": data.get("version"),
            "file": f"alliances/studies/backtest/{LAYER_FILE}",
            "parameters": data["parameters"],
            "intervals": data.get("intervals", {}),
            "fitted_on": data.get("fitted_on", {}),
        },
        "track_record": data.get("track_record", {}),
        "warnings": layer.outside({"margin": inputs["margin"], "log_kappa": inputs["log_kappa"]}),
    }
