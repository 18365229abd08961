"""Alliance-portfolio similarity as columns of the dyad-year panel.

The measures are an analysis (:mod:`alliances.analysis.portfolio`), which the world layer
may not import, so the builder lives here and chains through
:meth:`~alliances.world.panel.DyadYears.pipe`:

>>> from alliances.world import dyad_years
>>> panel = dyad_years(years=(2000, 2014))  # doctest: +SKIP
>>> panel.with_alliances().pipe(with_portfolio_similarity).to_pandas()  # doctest: +SKIP

``alliances panel --with portfolio_similarity`` does the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd

from alliances.analysis.portfolio import ATOP_LEVELS, MEASURES, Distance, portfolio_similarity
from alliances.errors import DataError
from alliances.world.builders import portfolio_inputs
from alliances.world.panel import DyadYears

__all__ = ["PORTFOLIO_COLUMNS", "with_portfolio_similarity"]

PORTFOLIO_COLUMNS = {m: f"portfolio_{m}" for m in MEASURES}
"""The panel column of each measure of :data:`alliances.analysis.portfolio.MEASURES`."""


def with_portfolio_similarity(
    panel: DyadYears,
    measures: Sequence[str] | str = MEASURES,
    *,
    levels: Mapping[str, int] = ATOP_LEVELS,
    direction: Literal["either", "out"] = "either",
    distance: Distance = "squared",
) -> DyadYears:
    r"""The panel with the alliance-portfolio similarity of each dyad-year from ATOP.

    Adds ``portfolio_s_abs``, ``portfolio_s_sq``, ``portfolio_pi``, ``portfolio_kappa``
    and ``portfolio_taub`` (or the `measures` asked for): Signorino and Ritter's S,

    .. math::

        S_{\text{abs}} = 1 - \frac{2}{n L} \sum_k |x_{ik} - x_{jk}|,

    Häge's pi and kappa and Kendall's tau-b of the two states' portfolios of tie levels
    over the n members of the COW system that year (see
    :func:`alliances.analysis.portfolio.portfolio_similarity` for the levels, `direction`
    and `distance`). Missing outside ATOP's years or for a state that is not a COW member
    that year; the row count is kept.

    References
    ----------
    .. [1] Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
       similarity of foreign policy positions. *International Studies Quarterly* 43(1):
       115–144.
    .. [2] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
       policy similarity for chance agreement. *Political Analysis* 19(3): 287–305.

    Examples
    --------
    >>> from alliances.world import dyad_years
    >>> panel = dyad_years(years=(2010, 2010)).pipe(with_portfolio_similarity, ["s_sq"])
    ... # doctest: +SKIP
    """
    if isinstance(measures, str):
        measures = [measures]  # one measure by its name, not its letters
    unknown = [m for m in measures if m not in MEASURES]
    if unknown or not measures:
        msg = f"measures={list(measures)!r}: expected some of {', '.join(MEASURES)}"
        raise DataError(msg)
    if not isinstance(panel, DyadYears):
        msg = "with_portfolio_similarity() needs a dyad-year panel (dyad_years(...))"
        raise DataError(msg)
    panel.require(("atop_alliance", "cow_ddy"), "with_portfolio_similarity()")
    ties, states = portfolio_inputs(panel.con, panel.years)
    if states.empty:  # the panel's years are outside ATOP's: every value is missing
        scores = pd.DataFrame(columns=["ccode1", "ccode2", "year", *MEASURES])
    else:
        scores = portfolio_similarity(
            ties, states, levels=levels, direction=direction, distance=distance
        )
    frame = scores[["ccode1", "ccode2", "year", *measures]].rename(columns=PORTFOLIO_COLUMNS)
    types = {"ccode1": "int64", "ccode2": "int64", "year": "int64"}
    types.update({PORTFOLIO_COLUMNS[m]: "float64" for m in measures})
    frame = frame.astype(types)
    return panel.with_frame(frame, on=("ccode1", "ccode2", "year"), datasets=("atop_alliance",))
