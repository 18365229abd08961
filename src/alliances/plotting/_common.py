r"""What both backends draw from: bins, the willingness-to-pay curve, labels in words, and
the network's layout and colours (no drawing library is imported here).

Each is a choice of how to show a :class:`~alliances.analysis.wedge.WedgeResult` or a
scenario, not a measure of its own, so it lives with the charts rather than in
:mod:`alliances.analysis`:

* :func:`histogram_bins`: the Freedman–Diaconis rule [1]_ (bin width
  :math:`h = 2\,\mathrm{IQR}\,n^{-1/3}`) on the draws up to their 99th centile;
* :func:`willingness_to_pay`: the share of draws in which the divider would pay at least
  O, P(O_max ≥ O), on the offer grid of the result's P(flip | O) curve (the analysis'
  own summary of the divider's side is ``WedgeResult.divider``);
* :func:`input_labels`: each input's label in words, for the charts' axes and tables;
* :func:`network_layout`: where each actor is drawn (a seeded spring layout whose label
  boxes do not overlap, actors without a line in rows beneath), its bloc in the
  minimum-energy partition of the landscape (Axelrod and Bennett 1993 [2]_) and one row
  per line to draw; :func:`label_side` and :data:`KIND_COLOURS` complete it.

References
----------
.. [1] Freedman, D. and Diaconis, P. (1981). On the histogram as a density estimator: L2
   theory. *Zeitschrift für Wahrscheinlichkeitstheorie und verwandte Gebiete* 57(4):
   453–476.
.. [2] Axelrod, R. and Bennett, D. S. (1993). A landscape theory of aggregation. *British
   Journal of Political Science* 23(2): 211–233.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.errors import ParameterError

if TYPE_CHECKING:
    from alliances.analysis.scoring import Roc
    from alliances.analysis.wedge.result import WedgeResult
    from alliances.scenario.model import Scenario
    from alliances.studies.backtest import Backtest, ExitBacktest

__all__ = [
    "BLOC_COLOURS",
    "CURVE_TEXT",
    "KINDS",
    "KIND_COLOURS",
    "OTHER_COLOUR",
    "CalibratedPoint",
    "NetworkLayout",
    "calibrated_point",
    "draw",
    "exit_decades_without_auc",
    "histogram_bins",
    "input_labels",
    "label_side",
    "network_layout",
    "willingness_to_pay",
]

KINDS = ("all", "histogram", "curve", "drivers")
"""The charts of a wedge answer: each by name, or ``"all"`` for the three."""

KIND_COLOURS = {
    "military": "#b2182b",
    "economic": "#2166ac",
    "political": "#762a83",
    "membership": "#a6a6a6",
}
"""The colour of each kind of bond (and of a membership of a bloc) in the network."""

BLOC_COLOURS = ("#d95f02", "#1b9e77")
"""The colours of the landscape's two blocs: the partner's first."""

OTHER_COLOUR = "#bdbdbd"
"""The colour of a state with no bond (in no bloc)."""

Figure = TypeVar("Figure")


def draw(
    result: WedgeResult, kind: str, builders: Mapping[str, Callable[[WedgeResult], Figure]]
) -> Figure | dict[str, Figure]:
    """The chart ``kind`` of ``result`` drawn by ``builders``, or a dict of all of them.

    Raises :class:`~alliances.errors.ParameterError` naming the kinds when ``kind`` is
    none of :data:`KINDS`.
    """
    if kind == "all":
        return {name: build(result) for name, build in builders.items()}
    if kind not in builders:
        msg = f"kind={kind!r} should be one of: {', '.join(KINDS)}"
        raise ParameterError(msg)
    return builders[kind](result)


def input_labels(result: WedgeResult) -> dict[str, str]:
    """Each input's label for people (``label`` column where the result has one).

    Falls back to the input's description, and to its path only when it has neither.
    """
    inputs = result.inputs
    out: dict[str, str] = {}
    for name in inputs.index:
        row = inputs.loc[name]
        for column in ("label", "description"):
            text = row.get(column) if column in inputs.columns else None
            if isinstance(text, str) and text.strip() and text != name:
                out[str(name)] = text
                break
        else:
            out[str(name)] = str(name)
    return out


def histogram_bins(values: NDArray[np.float64], *, clip: float = 0.99) -> NDArray[np.float64]:
    r"""Freedman–Diaconis bin edges of the finite ``values`` up to their ``clip`` quantile.

    The width is :math:`h = 2\,\mathrm{IQR}\,n^{-1/3}` (Freedman and Diaconis 1981), as
    :func:`numpy.histogram_bin_edges` gives it with ``bins="fd"``, on the values at or
    below the quantile (a heavy right tail would otherwise squeeze the bulk into a few
    bars). At most 200 bins, counted before any edge is made (a range of 10⁹ widths would
    otherwise ask for terabytes); values all equal give one bin around them.

    Examples
    --------
    >>> edges = histogram_bins(np.arange(1000.0))
    >>> len(edges) - 1, float(edges[0]), float(edges[-1])
    (10, 0.0, 989.0)
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.array([0.0, 1.0])
    top = float(np.quantile(finite, clip))
    kept = finite[finite <= top]
    if float(kept.min()) == float(kept.max()):
        centre = float(kept.min())
        half = max(abs(centre) * 0.05, 0.5)
        return np.array([centre - half, centre + half])
    low, high = float(kept.min()), float(kept.max())
    q25, q75 = np.percentile(kept, [25, 75])
    width = 2.0 * float(q75 - q25) * kept.size ** (-1.0 / 3.0)
    count = 1 if width <= 0 else min(200, max(1, math.ceil((high - low) / width)))
    return np.linspace(low, high, count + 1)


def willingness_to_pay(result: WedgeResult) -> NDArray[np.float64] | None:
    """P(O_max ≥ O) on the offer grid of ``result.p_flip``, or None without the draws."""
    if "max_offer" not in result.draws.columns:
        return None
    most = np.sort(result.draws["max_offer"].to_numpy(dtype=float))
    grid = result.p_flip["offer"].to_numpy(dtype=float)
    return np.asarray(1.0 - np.searchsorted(most, grid, side="left") / most.size, dtype=float)


CURVE_TEXT = {
    "threshold": "structural threshold P(O* < offer)",
    "willing": "P(divider would pay this much)",
    "subtitle": "P(flip | offer) here is the structural threshold, not calibrated on "
    "documented attempts; dashed: share of draws in which the divider would pay at least O",
}
"""The words of the P(flip | offer) chart: its curves' names and what its subtitle says."""


@dataclass(frozen=True)
class CalibratedPoint:
    """The calibrated P(flip) at the offer (:func:`calibrated_point`): ``p`` with its 90%
    interval ``low`` to ``high`` (None when the layer has no bootstrap), its layer's
    ``version``, and ``label``, its name in a legend."""

    p: float
    low: float | None
    high: float | None
    version: str

    @property
    def label(self) -> str:
        interval = "" if self.low is None else f" (90%: {self.low:.2f}–{self.high:.2f})"
        return f"calibrated P(flip), {self.p:.2f}{interval}"


def calibrated_point(result: WedgeResult) -> CalibratedPoint | None:
    """The calibrated P(flip) of ``result`` at its offer, or None if it has none
    (``result.calibrated``, set by :func:`alliances.studies.pricing.price`)."""
    calibrated = getattr(result, "calibrated", None)
    if not isinstance(calibrated, Mapping):
        return None
    p = finite_or_none(calibrated.get("p_flip"))
    if p is None:
        return None
    interval = calibrated.get("interval") or [None, None]
    low, high = (finite_or_none(x) for x in [*interval, None, None][:2])
    if low is None or high is None:
        low = high = None
    layer = calibrated.get("layer") or {}
    return CalibratedPoint(p, low, high, str(layer.get("version") or "unfitted"))


# --- the network ------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkLayout:
    """Where each actor of a scenario's network is drawn, and in which bloc it is.

    ``positions`` maps an actor id to (x, y) in [0, 1]²; ``labels`` to its label;
    ``bloc`` to 0 or 1 (the landscape's minimum-energy partition) or None (an actor with
    no bond, or an organisation); ``bloc_names`` names the two blocs; ``edges`` lists one
    row per bond or membership: ``source``, ``target``, ``kind``, ``sign``, ``weight``,
    ``text`` and ``offset`` (its place among the lines of the same pair).
    """

    positions: dict[str, tuple[float, float]]
    labels: dict[str, str]
    bloc: dict[str, int | None]
    organisations: frozenset[str]
    bloc_names: tuple[str, str]
    edges: pd.DataFrame


def network_layout(
    scenario: Scenario,
    *,
    seed: int = 1,
    blocs: tuple[list[object], list[object]] | None = None,
) -> NetworkLayout:
    """The positions, blocs and edges of ``scenario``'s network (see :func:`network_chart`).

    ``blocs`` are the landscape's two blocs when the caller has them already
    (:meth:`~alliances.analysis.alignment.Landscape.blocs`); otherwise they are found
    here, for 2 to 22 actors with a bond.

    The layout is networkx's spring layout (seeded, so the same every time) of the actors
    with a bond or membership, the actors without one in rows beneath them (a circle
    when there are five actors or fewer), spread so that no two labels' boxes overlap
    (:func:`_separate`).

    Examples
    --------
    >>> from alliances.scenario import load_builtin
    >>> layout = network_layout(load_builtin("russia-iran-2017"))
    >>> layout.bloc["RUS"] == layout.bloc["IRN"] != layout.bloc["USA"]
    True
    """
    import networkx as nx

    from alliances.analysis.alignment import landscape, scenario_network

    sizes, ties = scenario_network(scenario)
    bloc: dict[str, int | None] = {a.id: None for a in scenario.actors}
    names = ("bloc 1", "bloc 2")
    labels = {a.id: a.label for a in scenario.actors}
    if blocs is None and 1 < len(sizes) <= 22:
        blocs = landscape(sizes, ties).blocs()
    if blocs is not None:
        question = scenario.question
        # the partner's bloc first, so that its colour is the same whatever the partition's order
        if str(question.partner) in {str(a) for a in blocs[1]}:
            blocs = (blocs[1], blocs[0])
        for k, members in enumerate(blocs):
            for a in members:
                bloc[str(a)] = k
        with_partner = any(str(a) == str(question.partner) for a in blocs[0])
        names = (
            f"bloc of {labels.get(str(question.partner), question.partner)}"
            if with_partner
            else "one bloc",
            "the other bloc",
        )
        if any(str(a) == str(question.divider) for a in blocs[1]):
            names = (names[0], f"bloc of {labels.get(str(question.divider), question.divider)}")
    organisations = frozenset(a.id for a in scenario.actors if a.organisation)
    rows: list[dict[str, Any]] = []
    for b in scenario.bonds:
        a, c = (str(x) for x in b.between)
        rows.append(
            {
                "source": a,
                "target": c,
                "kind": b.kind,
                "sign": int(b.sign),
                "weight": float(b.weight),
                "text": f"{labels.get(a, a)} – {labels.get(c, c)}: {b.id} ({b.kind}"
                f"{', negative' if b.sign < 0 else ''}, weight {b.weight:g})",
            }
        )
    for m in scenario.memberships:
        rows.append(
            {
                "source": str(m.member),
                "target": str(m.bloc),
                "kind": "membership",
                "sign": 1,
                "weight": 0.5,
                "text": f"{labels.get(str(m.member), m.member)}: {m.status} of {m.bloc}",
            }
        )
    edges = pd.DataFrame(
        rows, columns=["source", "target", "kind", "sign", "weight", "text"]
    ).reset_index(drop=True)
    pair = edges.apply(lambda r: tuple(sorted((r["source"], r["target"]))), axis=1)
    order = pair.groupby(pair).cumcount() if len(edges) else pd.Series(dtype=int)
    count = pair.map(pair.value_counts()) if len(edges) else pd.Series(dtype=int)
    edges["offset"] = (order - (count - 1) / 2).astype(float) if len(edges) else []
    graph = nx.Graph()
    graph.add_nodes_from(labels)
    for _, row in edges.iterrows():
        w = float(row["weight"])
        if graph.has_edge(row["source"], row["target"]):
            graph[row["source"]][row["target"]]["weight"] += w
        else:
            graph.add_edge(row["source"], row["target"], weight=w)
    if len(graph) <= 5:  # a few actors: a circle shows every line apart
        ids = list(graph)
        xy = _unit(nx.circular_layout(graph), ids)
    else:
        ids, xy = _spring(graph, seed)
    shown = [_short(labels[i], i in organisations, i) for i in ids]
    xy = _separate(xy, shown)
    return NetworkLayout(
        positions={i: (float(x), float(y)) for i, (x, y) in zip(ids, xy, strict=True)},
        labels={i: s for i, s in zip(ids, shown, strict=True)},
        bloc=bloc,
        organisations=organisations,
        bloc_names=names,
        edges=edges,
    )


def _unit(raw: Mapping[Any, Any], ids: list[str]) -> NDArray[np.float64]:
    """The positions of ``ids`` in ``raw`` stretched to fill the unit square."""
    xy = np.array([raw[i] for i in ids], dtype=float).reshape(-1, 2)
    if len(ids):
        span = np.ptp(xy, axis=0)
        xy = (xy - xy.min(axis=0)) / np.where(span > 0, span, 1.0)
    return xy


def _spring(graph: Any, seed: int) -> tuple[list[str], NDArray[np.float64]]:
    """The actors with a line laid out by a spring layout, those without in rows below.

    An actor with no line would be pushed far from the rest by the layout's repulsion,
    and stretching the whole to the unit square would then squeeze the network into a
    line; so only the actors with a line are laid out (unweighted: a heavy bond would
    pull its pair into one spot and hide its lines), in the top of the square, and the
    others are set in rows of at most :data:`_ROW` along its bottom.
    """
    import networkx as nx

    alone = [i for i in graph if graph.degree(i) == 0]
    joined = [i for i in graph if graph.degree(i) > 0]
    raw = nx.spring_layout(graph.subgraph(joined), seed=seed, weight=None, iterations=200)
    xy = _unit(raw, joined)
    rows = -(-len(alone) // _ROW)
    if rows and joined:  # the network above, with a gap of one row
        xy[:, 1] = (rows + 1 + xy[:, 1] * _ROW) / (rows + 1 + _ROW)
    below = []
    for k in range(len(alone)):
        row, column = divmod(k, _ROW)
        in_row = min(_ROW, len(alone) - row * _ROW)
        x = (column + 0.5) / in_row
        y = (rows - 1 - row) / (rows + 1 + _ROW) if joined else 1.0 - row / max(rows - 1, 1)
        below.append((x, y))
    return joined + alone, np.vstack([xy, np.array(below).reshape(-1, 2)])


_ROW = 5
"""The most actors without a line set side by side in one row of the network."""


def _short(label: str, organisation: bool, actor: str) -> str:
    """An organisation by its id (CSTO, SCO), a state by its name."""
    return actor if organisation else label


def _separate(
    xy: NDArray[np.float64], labels: list[str], *, rounds: int = 400
) -> NDArray[np.float64]:
    """Move points apart until no two label boxes overlap (or ``rounds`` run out).

    A label of n characters is taken as a box 0.012·n + 0.04 wide and 0.075 high (with its
    marker, in a unit square drawn about 900 × 520 px); each round pushes every
    overlapping pair apart along the axis where they overlap least.
    """
    xy = xy.copy()
    if len(xy) < 2:
        return xy
    width = np.array([0.012 * len(s) + 0.04 for s in labels])
    height = 0.075
    for _ in range(rounds):
        moved = False
        for i in range(len(xy)):
            for j in range(i + 1, len(xy)):
                dx, dy = xy[j] - xy[i]
                over_x = (width[i] + width[j]) / 2 - abs(dx)
                over_y = height - abs(dy)
                if over_x <= 0 or over_y <= 0:
                    continue
                moved = True
                if over_x / (width[i] + width[j]) < over_y / height:
                    step = (over_x / 2 + 1e-3) * (1 if dx >= 0 else -1)
                    xy[i, 0] -= step
                    xy[j, 0] += step
                else:
                    step = (over_y / 2 + 1e-3) * (1 if dy >= 0 else -1)
                    xy[i, 1] -= step
                    xy[j, 1] += step
        if not moved:
            break
    return xy


def label_side(layout: NetworkLayout, actor: str) -> str:
    """Above the marker, or below it when most of the actor's lines leave upwards."""
    edges = layout.edges
    ends = pd.concat(
        [
            edges.loc[edges["source"] == actor, "target"],
            edges.loc[edges["target"] == actor, "source"],
        ]
    )
    if ends.empty:
        return "top center"
    y = layout.positions[actor][1]
    up = sum(1 for other in ends if layout.positions[other][1] > y)
    return "bottom center" if up > len(ends) / 2 else "top center"


def check_kind(kind: str, kinds: tuple[str, ...]) -> None:
    """Raise :class:`~alliances.errors.ParameterError` naming ``kinds`` unless ``kind`` is one."""
    if kind not in kinds:
        msg = f"kind={kind!r} should be one of: {', '.join(kinds)}"
        raise ParameterError(msg)


# --- the pair over the years ------------------------------------------------------------


@dataclass(frozen=True)
class ProfilePanel:
    """One panel of :func:`~alliances.plotting.profile_chart`: its title, the unit of its
    axis, its lines (column of the series, name in the legend) and the decimals of its
    percentages."""

    title: str
    axis: str
    lines: tuple[tuple[str, str], ...]
    decimals: int


PROFILE_SOURCES = (
    "COW trade 4.0, SIPRI arms transfers (TIV), UN General Assembly roll calls; "
    "years the data cover"
)
"""Where the figures of the dyad profile come from, under its title."""

PAIR_COLOURS = ("#2166ac", "#d95f02")
"""The colours of the two lines of a panel: the target's side first."""


def profile_panels(target: str, partner: str) -> tuple[ProfilePanel, ...]:
    """The three panels of the pair over the years, in words.

    UN agreement (0 to 1), the trade shares (often well under 1%) and the arms-import
    shares (often over 50%) would flatten one another on one axis, so each has its own.
    """
    return (
        ProfilePanel(
            "Agreement in UN General Assembly votes",
            "votes alike",
            (("un_agreement", f"{target} and {partner}"),),
            0,
        ),
        ProfilePanel(
            "Trade: each side's share of the other in its total trade",
            "of total trade",
            (
                ("target_trade_share", f"{partner} in {target}'s trade"),
                ("partner_trade_share", f"{target} in {partner}'s trade"),
            ),
            1,
        ),
        ProfilePanel(
            "Arms imports over five years: the other's share",
            "of arms imports",
            (
                ("target_arms_import_share", f"{partner} in {target}'s arms imports"),
                ("partner_arms_import_share", f"{target} in {partner}'s arms imports"),
            ),
            0,
        ),
    )


def profile_title(target: str, partner: str) -> str:
    """The title of the pair over the years."""
    return f"{target} and {partner} over time"


# --- the exit forecast's backtest -------------------------------------------------------

EXIT_KINDS = ("calibration", "roc", "decades")
"""The charts of an exit backtest: calibration by decile, ROC, and AUC by decade."""

EXIT_MODEL_NAMES = {
    "base_rate": "era base rate",
    "leeds_savun": "Leeds–Savun logit",
    "leeds_savun_structure": "Leeds–Savun + wedge price",
}
"""The exit forecast's models as the charts and tables name them."""


def exit_model_name(model: str) -> str:
    """The model's name in words (its key when it has none)."""
    return EXIT_MODEL_NAMES.get(model, model)


@dataclass(frozen=True)
class ExitChartText:
    """The title, axis titles and diagonal's name of a chart of an exit backtest."""

    title: str
    x: str
    y: str
    diagonal: str = ""


EXIT_TEXT = {
    "calibration": ExitChartText(
        "Calibration: deciles of predicted yearly risk (rolling origin, pooled)",
        "mean predicted P(early exit this year)",
        "observed share of early exits",
        "perfect",
    ),
    "roc": ExitChartText(
        "ROC of the pooled rolling-origin predictions",
        "false positive rate",
        "true positive rate",
        "chance",
    ),
    "decades": ExitChartText(
        "AUC by decade (each decade predicted by a model fitted on the years before it)",
        "decade",
        "AUC",
    ),
}
"""The words of each chart of an exit backtest (:data:`EXIT_KINDS`)."""

EXIT_EVENTS_AXIS = "early exits"
"""The right axis of the chart by decade: the early exits in each decade."""

EXIT_NO_AUC = "no early exit:\nno AUC"
"""Said on the chart by decade where a decade has no AUC (no exit to rank)."""


def exit_decades_without_auc(result: ExitBacktest) -> list[int]:
    """The places (0, 1, …) of the decades of ``result`` in which no model has an AUC."""
    return [
        i
        for i, period in enumerate(result.decades)
        if all(finite_or_none(s.get("auc")) is None for s in period.scores.values())
    ]


def exit_calibration_top(result: ExitBacktest) -> float:
    """The end of the calibration chart's diagonal: the largest predicted or observed share."""
    values = [
        float(r[k])
        for rows in result.calibration.values()
        for r in rows
        for k in ("predicted", "observed")
    ]
    return max([0.0, *values])


# --- the catalogue's backtest -----------------------------------------------------------

BACKTEST_KINDS = ("calibration", "roc", "both")
"""The charts of a catalogue backtest: calibration, ROC, or both side by side."""

MODEL = "#2166ac"
"""The colour of the model's bins and curve in the backtest's charts."""
CASES = "#888888"
"""The colour of the cases' ticks."""
GUIDE = "#999999"
"""The colour of the diagonals (perfect calibration, chance)."""


def finite_or_none(value: Any) -> float | None:
    """A finite float, or None for None, NaN, ±inf or anything not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def number_text(value: Any, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals and a true minus sign; "n/a" if undefined."""
    x = finite_or_none(value)
    if x is None:
        return "n/a"
    text = f"{x:.{digits}f}"
    if text.startswith("-"):
        text = "0." + "0" * digits if set(text[1:]) <= {"0", "."} else "−" + text[1:]
    return text


def marker_sizes(ns: Sequence[float], smallest: float, largest: float) -> list[float]:
    """Marker sizes from ``smallest`` to ``largest``, the area growing with the count."""
    top = max(ns) if ns else 1.0
    return [smallest + (largest - smallest) * math.sqrt(n / top) for n in ns]


@dataclass(frozen=True)
class BacktestPoints:
    """What the charts of a catalogue backtest draw (made by :func:`backtest_points`).

    ``scored``: (id, P(flip), soft label) of every case scored, in the catalogue's order;
    ``calibration``: the calibration table's bins with cases (``lower``, ``upper``,
    ``mean_predicted``, ``n`` and ``rate``, the observed rate); ``roc``: the ROC curve
    of the scored cases, or None without one.
    """

    scored: list[tuple[str, float, float]]
    calibration: list[dict[str, float]]
    roc: Roc | None


def backtest_points(result: Backtest) -> BacktestPoints:
    """The scored cases, calibration bins and ROC curve of ``result``.

    Raises :class:`~alliances.errors.ParameterError` if a case's outcome is not
    ``success``, ``partial`` or ``failure``.
    """
    from alliances.analysis.scoring import roc_curve, soft_labels

    scored = []
    for case in result.cases:
        label = float(soft_labels([case.outcome], where=f"case {case.id!r}")[0])
        p = finite_or_none(case.p_flip)
        if not case.skipped and p is not None:
            scored.append((str(case.id), p, label))
    roc = roc_curve([p for _, p, _ in scored], [y for _, _, y in scored]) if scored else None
    rows: list[dict[str, float]] = []
    if result.scores is not None:
        for row in result.scores.calibration.to_dict("records"):
            values = {k: finite_or_none(row.get(k)) for k in ("lower", "upper", "mean_predicted")}
            rate, n = finite_or_none(row.get("observed_rate")), finite_or_none(row.get("n"))
            if rate is None or n is None or n <= 0 or any(v is None for v in values.values()):
                continue
            rows.append({**{k: float(v or 0.0) for k, v in values.items()}, "n": n, "rate": rate})
    return BacktestPoints(scored=scored, calibration=rows, roc=roc)


BACKTEST_AXES = {
    "calibration": (
        "mean predicted P(flip) in the bin (probability, 0–1)",
        "observed rate of flips (partial = 0.5; 0–1)",
    ),
    "roc": (
        "false-positive rate (share of failures predicted to flip, 0–1)",
        "true-positive rate (share of successes, 0–1)",
    ),
}
"""The x and y axis titles of the backtest's calibration and ROC charts."""

BACKTEST_CALIBRATION_TITLE = "Calibration: predicted P(flip) against what happened"
"""The title of the backtest's calibration chart."""

BACKTEST_LEGEND = {
    "perfect": "perfect calibration",
    "cases": "each case (1 success, 0.5 partial, 0 failure)",
    "bins": "bins of P(flip) (size: cases)",
    "chance": "chance (AUC 0.5)",
}
"""The names of the lines of the backtest's charts, in their legends."""

BACKTEST_EMPTY = {
    "calibration": "no calibration table\n(too few cases scored)",
    "roc": "no ROC curve\n(needs a success and a failure)",
}
"""What a backtest's chart says when it has nothing to draw."""


def backtest_roc_title(roc: Roc | None) -> str:
    """The title of the backtest's ROC chart: how many successes and failures it ranks."""
    if roc is None:
        return "ROC curve"
    return (
        f"ROC curve: {roc.n_success} successes against {roc.n_failure} failures "
        "(partials left out)"
    )
