"""The ranked chart of a sweep's year: the cheapest splits, with their uncertainty."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from alliances._files import atomic_path
from alliances.errors import OutputError
from alliances.sweep.output import cheapest

__all__ = ["FORMATS", "ranked_chart"]

FORMATS = (".png", ".svg", ".pdf")
DPI = 200  # print resolution of the PNG


def ranked_chart(
    frame: pd.DataFrame, path: str | os.PathLike[str], year: int | None = None, top: int = 20
) -> Path:
    """Write the ``top`` cheapest splits of ``year`` (default: the last) as a ranked
    chart: one row per triad, "divider: target from partner", its median flip price O*
    with the 5th–95th percentile range and, beside it, P(O* < O_max). The format follows
    the extension (PNG at 200 dpi, SVG or PDF); the file is written atomically.
    """
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        msg = f"{target}: expected a figure file ending in {', '.join(FORMATS)}"
        raise OutputError(msg)
    rows = cheapest(frame, year, top).iloc[::-1]  # the cheapest at the top
    if rows.empty:
        msg = f"{target}: the sweep has no priced triad in {year} to chart"
        raise OutputError(msg)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = int(rows["year"].iloc[0])
    labels = [f"{r.divider_id}: {r.target_id} from {r.partner_id}" for r in rows.itertuples()]
    mid = rows["o_star_p50"].to_numpy() / 1e9
    low = mid - rows["o_star_p05"].to_numpy() / 1e9
    high = rows["o_star_p95"].to_numpy() / 1e9 - mid
    fig, (ax, side) = plt.subplots(
        1,
        2,
        figsize=(9, 0.32 * len(rows) + 1.6),
        sharey=True,
        gridspec_kw={"width_ratios": [3, 1]},
        layout="constrained",
    )
    y = range(len(rows))
    ax.errorbar(mid, y, xerr=[low, high], fmt="o", color="#1f4e79", ecolor="#9db4cc", capsize=2)
    ax.set_yticks(list(y), labels, fontsize=8)
    ax.set_xscale("log")
    plain = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}")
    ax.xaxis.set_major_formatter(plain)
    ax.xaxis.set_minor_formatter(plain)
    ax.tick_params(axis="x", which="minor", labelsize=7)
    ax.set_xlabel("flip price O*, USD bn (median, 5th-95th percentile; log scale)")
    ax.grid(axis="x", color="#e5e5e5")
    side.barh(list(y), rows["p_within_means"], color="#c8553d")
    side.set_xlim(0, 1)
    side.set_xlabel("P(O* < O_max)")
    side.grid(axis="x", color="#e5e5e5")
    fig.suptitle(
        f"The {len(rows)} cheapest splits of {shown}: divider: target from partner "
        f"({int(rows['samples'].iloc[0]):,} draws each)",
        fontsize=10,
    )
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format=target.suffix[1:].lower(), dpi=DPI)
    plt.close(fig)
    return target
