r"""Similarity of alliance portfolios: S, Scott's pi, Cohen's kappa and Kendall's tau-b.

A state's alliance *portfolio* in a year is its row of tie levels to every member of the
state system that year, itself included (Bueno de Mesquita 1975 [1]_). Two portfolios are
compared position by position. All dyads of one year are computed in one pass: with the
one-hot matrices :math:`O_a` (states × states, :math:`(O_a)_{ik} = 1` if i's tie to k has
level a), the contingency tables of every pair of portfolios are the matrix products

.. math::

    C_{ab}(i, j) = (O_a O_b^\top)_{ij}
                 = \#\{k : x_{ik} = a,\ x_{jk} = b\},

a (levels × levels) table for each dyad, from which every measure follows:

* **S** (Signorino and Ritter 1999 [2]_): one minus twice the mean distance of the two
  portfolios on the [0, 1] scale, with absolute or squared distances;
* **Scott's pi** and **Cohen's kappa** (Häge 2011 [3]_): one minus the observed distance
  over the distance expected by chance, from the two portfolios' pooled (pi) or separate
  (kappa) distributions of tie levels;
* **tau-b** (Kendall's rank correlation with ties corrected, the classic alliance
  portfolio measure of Bueno de Mesquita 1975 [1]_), from the concordant and discordant
  pairs of targets counted in the table.

Tie levels from ATOP
--------------------
ATOP codes five obligations (defense, offense, neutrality, non-aggression, consultation)
for every directed dyad-year (Leeds et al. 2002 [4]_; ATOP v5.1 codebook). A tie's level
is the highest level of the obligations present, by default (:data:`ATOP_LEVELS`)

=====  ==========================================================================
level  obligations
=====  ==========================================================================
3      defense or offense (pledges of military support)
2      neutrality or consultation, without defense or offense
1      non-aggression only
0      no obligation (no alliance, or an alliance with no obligation that way)
=====  ==========================================================================

the ranking of the fpsim reference script for ATOP (Miller 2025 [5]_), which attributes
it to Chiba et al. (2022). Any other ranking can be passed as ``levels``: the coding of
Signorino and Ritter (1999, from COW: defense 3, neutrality or non-aggression 2, entente 1) is
``{"atop_defense": 3, "atop_neutral": 2, "atop_nonagg": 2, "atop_consul": 1}``, and
``{c: 1 for c in ATOP_LEVELS}`` gives binary portfolios (any obligation = 1).

Every state is tied to itself at the highest level, as in Bueno de Mesquita (1975),
Signorino and Ritter (1999, Table 6, where Germany and Russia each hold level 3 to
themselves) and the fpsim reference script: a state's own defense is the one commitment
that is never in doubt, and it keeps every portfolio from being constant.

ATOP's row (A, B) records A's obligations to B, and the two directions can differ. By
default (``direction="either"``) a tie counts if either state made the promise, so the
portfolio matrix is symmetric and an alliance is a relationship both members have, as in
the undirected COW alliance data the measures were made for; ``direction="out"`` uses only
each state's own promises (A's portfolio is the row of A's obligations to others), as
the fpsim reference script does.

References
----------
.. [1] Bueno de Mesquita, B. (1975). Measuring systemic polarity. *Journal of Conflict
   Resolution* 19(2): 187–216.
.. [2] Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
   similarity of foreign policy positions. *International Studies Quarterly* 43(1):
   115–144.
.. [3] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy
   similarity for chance agreement. *Political Analysis* 19(3): 287–305.
.. [4] Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance
   Treaty Obligations and Provisions, 1815–1944. *International Interactions* 28:
   237–260.
.. [5] Miller, S. V. (2025). fpsim: Compute Measures of Foreign Policy
   Similarity/Agreement, R package 0.1.0, and its script ``1-fpsim-alliances.R``
   (github.com/svmiller/fpsim).
.. [6] Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*
   33(3): 239–251.
.. [7] Fleiss, J. L. and Cohen, J. (1973). The equivalence of weighted kappa and the
   intraclass correlation coefficient as measures of reliability. *Educational and
   Psychological Measurement* 33(3): 613–619.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from alliances.analysis._checks import finite_or_nan, require_columns, warn_fallback
from alliances.errors import ParameterError

__all__ = ["ATOP_LEVELS", "MEASURES", "portfolio_similarity", "similarity_matrices"]

ATOP_LEVELS: Mapping[str, int] = {
    "atop_defense": 3,
    "atop_offense": 3,
    "atop_neutral": 2,
    "atop_consul": 2,
    "atop_nonagg": 1,
}
"""Tie level of each ATOP obligation; a tie takes the highest level present."""

MEASURES = ("s_abs", "s_sq", "pi", "kappa", "taub")
"""The columns :func:`portfolio_similarity` returns for every dyad."""

Distance = Literal["squared", "absolute", "nominal"]
_DISTANCES = ("squared", "absolute", "nominal")


def portfolio_similarity(
    ties: pd.DataFrame,
    states: pd.DataFrame | None = None,
    *,
    levels: Mapping[str, int] = ATOP_LEVELS,
    direction: Literal["either", "out"] = "either",
    distance: Distance = "squared",
    by: str = "year",
    state: str = "ccode",
) -> pd.DataFrame:
    r"""S, pi, kappa and tau-b of the alliance portfolios of every dyad, year by year.

    State i's portfolio in a year is its row of tie levels :math:`x_{ik}` to every member
    k of the system, itself included (Bueno de Mesquita [1]_). Two portfolios are
    compared through their contingency table over the n members,

    .. math::

        C_{ab}(i, j) = \#\{k : x_{ik} = a,\ x_{jk} = b\}, \qquad
        S_{\text{abs}} = 1 - \frac{2}{n L} \sum_{a, b} C_{ab} \, |a - b|

    (Signorino and Ritter's S [2]_ over the levels 0 to L; ``s_sq`` squares the
    distances and divides by :math:`L^2`), from which :func:`similarity_matrices` also
    gives Häge's pi and kappa [3]_ and Kendall's tau-b, all dyads of a year at once. Tie
    levels come from ATOP's obligations (Leeds et al. [4]_; :data:`ATOP_LEVELS`).

    Parameters
    ----------
    ties : pandas.DataFrame
        Directed dyad-years with an alliance: ``ccode1``, ``ccode2``, the ``by`` column and
        one 0/1 column per key of `levels` (ATOP v5.1's ``atop_alliance`` from
        peacesciencer has exactly these). The row (A, B) is A's obligation to B. Dyads
        absent from `ties` have no tie; rows with ``ccode1 == ccode2`` are ignored.
    states : pandas.DataFrame, optional
        The members of the system: one row per state and year (columns `state` and
        `by`). Every member is a position of every portfolio that year, allied or not.
        If None, the system of a year is the states that appear in `ties` that year, so
        states without alliances are left out. Years outside those of `ties` are dropped
        with a warning (no row in `ties` there cannot mean "no alliance"), and so are
        ties of states that are not members that year.
    levels : mapping of str to int
        Tie level of each obligation column (positive integers); a tie takes the highest
        level of the obligations present, 0 if none. Default :data:`ATOP_LEVELS`.
    direction : {"either", "out"}
        "either": a tie counts if either state made the promise (symmetric portfolios);
        "out": a state's portfolio holds only its own obligations to the others.
    distance : {"squared", "absolute", "nominal"}
        Distance between tie levels in pi and kappa: :math:`(a-b)^2`, :math:`|a-b|` or
        :math:`[a \ne b]` (the last gives the unweighted, nominal coefficients).
    by : str
        Column of the year (or any other period) in `ties` and `states`.
    state : str
        Stem of the state columns: ``{state}`` in `states`, ``{state}1`` and
        ``{state}2`` in `ties` and in the result.

    Returns
    -------
    pandas.DataFrame
        One row per ordered dyad (``{state}1`` ≠ ``{state}2``) of system members per
        year, sorted by `by`, ``{state}1``, ``{state}2``, with the columns of
        :data:`MEASURES`: ``s_abs``, ``s_sq``, ``pi``, ``kappa`` and ``taub`` (see
        :func:`similarity_matrices`). Each measure is symmetric in the two states.

    Raises
    ------
    ParameterError
        If a column is missing, an obligation is not 0 or 1, or a parameter is invalid.

    Warns
    -----
    AlliancesWarning
        When rows of `ties` are left out (a state that is not a member that year) or
        years of `states` are dropped (outside the years of `ties`).

    See Also
    --------
    similarity_matrices : the same measures for any matrix of portfolios.

    Notes
    -----
    The levels run from 0 to :math:`L`, the highest value in `levels` (3 by default);
    S divides by that range whatever levels a year happens to use, and every state
    is tied to itself at level :math:`L`. One year of :math:`n` states costs a few
    :math:`n \times n` matrix products, all dyads at once.

    Every pair of a year's members is a row, also two states whose membership did not
    overlap within the year; peacesciencer's ``cow_ddy`` leaves those out (60 dyad-years
    in 1816–2018), so join on it to keep only its dyads.

    References
    ----------
    .. [1] Bueno de Mesquita, B. (1975). Measuring systemic polarity. *Journal of
       Conflict Resolution* 19(2): 187–216.
    .. [2] Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
       similarity of foreign policy positions. *International Studies Quarterly* 43(1):
       115–144.
    .. [3] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
       policy similarity for chance agreement. *Political Analysis* 19(3): 287–305.
    .. [4] Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance
       Treaty Obligations and Provisions, 1815–1944. *International Interactions* 28:
       237–260.

    Examples
    --------
    Three states; 2 and 20 have a defense pact, 200 has no alliance:

    >>> ties = pd.DataFrame({
    ...     "ccode1": [2, 20], "ccode2": [20, 2], "year": [2000, 2000],
    ...     "atop_defense": [1, 1], "atop_offense": 0, "atop_neutral": 0,
    ...     "atop_nonagg": 0, "atop_consul": 0,
    ... })
    >>> states = pd.DataFrame({"ccode": [2, 20, 200], "year": 2000})
    >>> out = portfolio_similarity(ties, states)
    >>> out[["ccode1", "ccode2", "s_abs", "taub"]].head(2)
       ccode1  ccode2  s_abs  taub
    0       2      20    1.0   1.0
    1       2     200   -1.0  -1.0
    """
    if direction not in ("either", "out"):
        msg = f"direction={direction!r} should be 'either' or 'out'"
        raise ParameterError(msg)
    _check_distance(distance)
    top = _check_levels(levels)
    one, two = f"{state}1", f"{state}2"
    require_columns(ties, [one, two, by, *levels], "ties", "ATOP dyad-year obligations")
    if states is not None:
        require_columns(states, [state, by], "states", "system members per year")

    frame = ties[ties[one].to_numpy() != ties[two].to_numpy()]
    level = _tie_levels(frame, levels)
    if states is None:
        members = pd.DataFrame(
            {
                state: np.concatenate([frame[one].to_numpy(), frame[two].to_numpy()]),
                by: np.concatenate([frame[by].to_numpy(), frame[by].to_numpy()]),
            }
        )
    else:
        members = states[[state, by]]
    members = members.drop_duplicates().sort_values([by, state], kind="stable")
    members = _within_tie_years(members, frame, by)

    year_of = frame[by].to_numpy()
    first, second = frame[one].to_numpy(), frame[two].to_numpy()
    order = np.argsort(year_of, kind="stable")
    year_of, first, second, level = year_of[order], first[order], second[order], level[order]

    parts: list[dict[str, NDArray[Any]]] = []
    used = 0
    member_years = members[by].to_numpy()
    member_codes = members[state].to_numpy()
    bounds = np.flatnonzero(np.r_[True, member_years[1:] != member_years[:-1], True])
    for lo, hi in itertools.pairwise(bounds):
        year, codes = member_years[lo], member_codes[lo:hi]
        a, b = np.searchsorted(year_of, year, side="left"), np.searchsorted(year_of, year, "right")
        portfolios, counted = _portfolios(codes, first[a:b], second[a:b], level[a:b], top)
        used += counted
        if direction == "either":
            portfolios = np.maximum(portfolios, portfolios.T)
        scores = similarity_matrices(portfolios, top=top, distance=distance)
        i, j = np.nonzero(~np.eye(len(codes), dtype=bool))
        parts.append(
            {
                by: np.full(len(i), year),
                one: codes[i],
                two: codes[j],
                **{name: scores[name][i, j] for name in MEASURES},
            }
        )
    if used < len(frame):
        msg = (
            f"{len(frame) - used} {'row' if len(frame) - used == 1 else 'rows'} of ties name a "
            "state that is not a member of the "
            f"system in that year, or a year that states does not list; they were left out "
            f"(give states every member you mean to count)"
        )
        warn_fallback(msg, stacklevel=2)
    columns = [by, one, two, *MEASURES]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    return pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in columns})


def similarity_matrices(
    portfolios: ArrayLike,
    *,
    top: int | None = None,
    distance: Distance = "squared",
) -> dict[str, NDArray[np.float64]]:
    r"""S, pi, kappa and tau-b between every pair of rows of a matrix of portfolios.

    The formulas are in the Notes: S after Signorino and Ritter [1]_, pi and kappa after
    Häge [2]_, tau-b after Kendall [4]_, all from the contingency tables
    :math:`C_{ab}(i, j)` of every pair of rows at once.

    Parameters
    ----------
    portfolios : array_like of int, shape (m, k)
        Row i is the portfolio of state i: its tie level, 0 to `top`, to each of k
        targets.
    top : int, optional
        Highest possible level :math:`L`; the highest level present if None.
    distance : {"squared", "absolute", "nominal"}
        Distance :math:`w_{ab}` between levels in pi and kappa.

    Returns
    -------
    dict of str to numpy.ndarray
        For each name of :data:`MEASURES`, an (m, m) symmetric matrix. pi and kappa are
        NaN where no disagreement could be expected (both portfolios hold one level
        only), tau-b where a portfolio holds one level only.

    Raises
    ------
    ParameterError
        If `portfolios` is not a 2-D array of non-negative integers, `top` is below the
        highest level present, or `distance` is unknown.

    Notes
    -----
    With :math:`p_{ab}(i, j) = C_{ab}(i, j) / k` the share of targets to which i has
    level a and j level b, and :math:`f_a(i)` the share of i's ties at level a,

    .. math::

        S_{\text{abs}} = 1 - \frac{2}{L} \sum_{a,b} p_{ab} |a - b|, \qquad
        S_{\text{sq}} = 1 - \frac{2}{L^2} \sum_{a,b} p_{ab} (a - b)^2

    (Signorino and Ritter 1999 [1]_, the mean distance against its maximum L). With
    :math:`D_o = \sum_{a,b} p_{ab} w_{ab}` the observed distance (Häge 2011 [2]_),

    .. math::

        \kappa = 1 - \frac{D_o}{\sum_{a,b} f_a(i) f_b(j) w_{ab}}, \qquad
        \pi = 1 - \frac{D_o}{\sum_{a,b} \bar f_a \bar f_b w_{ab}}, \quad
        \bar f_a = \tfrac12 (f_a(i) + f_a(j)).

    Kappa expects the distance of two states that keep their own propensities to form
    ties, pi that of two states sharing one propensity. Squared distances are the
    default, as in fpsim's ``cohenk()`` (Miller 2025 [3]_); they make kappa close to an
    intraclass correlation (Fleiss and Cohen 1973 [5]_). ``distance="nominal"`` gives the
    unweighted coefficients, fpsim's ``spi()`` among them. Tau-b (Kendall 1945 [4]_):

    .. math::

        \tau_b = \frac{P - Q}{\sqrt{(n_0 - n_1)(n_0 - n_2)}}, \quad
        P = \sum_{a<a',\,b<b'} C_{ab} C_{a'b'}, \quad
        Q = \sum_{a<a',\,b>b'} C_{ab} C_{a'b'},

    with :math:`n_0 = k(k-1)/2` and :math:`n_1, n_2` the pairs of targets tied in
    i's and in j's portfolio, :math:`\sum_a r_a (r_a - 1)/2` over the table's row (or
    column) sums.

    References
    ----------
    .. [1] Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
       similarity of foreign policy positions. *International Studies Quarterly* 43(1):
       115–144.
    .. [2] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
       policy similarity for chance agreement. *Political Analysis* 19(3): 287–305.
    .. [3] Miller, S. V. (2025). fpsim: Compute Measures of Foreign Policy
       Similarity/Agreement, R package 0.1.0.
    .. [4] Kendall, M. G. (1945). The treatment of ties in ranking problems.
       *Biometrika* 33(3): 239–251.
    .. [5] Fleiss, J. L. and Cohen, J. (1973). The equivalence of weighted kappa and the
       intraclass correlation coefficient as measures of reliability. *Educational and
       Psychological Measurement* 33(3): 613–619.

    Examples
    --------
    Germany's and Russia's portfolios over the 20 European states of 1914 (Signorino
    and Ritter 1999, Table 6): S = 0.40 but tau-b = 0.03.

    >>> gmy = [3, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]
    >>> rus = [0, 3, 1, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    >>> scores = similarity_matrices([gmy, rus], top=3)
    >>> round(float(scores["s_abs"][0, 1]), 2), round(float(scores["taub"][0, 1]), 4)
    (0.4, 0.0303)
    """
    _check_distance(distance)
    x = np.asarray(portfolios)
    if x.ndim != 2 or not np.issubdtype(x.dtype, np.integer):
        msg = f"portfolios should be a 2-D array of integer levels, got {x.dtype} {x.shape}"
        raise ParameterError(msg)
    if x.size and x.min() < 0:
        msg = f"portfolio levels should be >= 0, got {x.min()}"
        raise ParameterError(msg)
    highest = int(x.max()) if x.size else 0
    top = highest if top is None else int(top)
    if top < max(highest, 1):
        msg = f"top={top} should be >= 1 and >= the highest level present ({highest})"
        raise ParameterError(msg)
    k = x.shape[1]
    grid = np.arange(top + 1)
    onehot = (x[None, :, :] == grid[:, None, None]).astype(np.float64)  # [a, i, t]
    # counts[a, b, i, j]: targets to which i has level a and j level b
    counts = np.einsum("ait,bjt->abij", onehot, onehot, optimize=True)
    gap = grid[:, None] - grid[None, :]
    scale = {"squared": gap**2 / top**2, "absolute": np.abs(gap) / top}
    weight = {**scale, "nominal": (gap != 0).astype(np.float64)}[distance]

    with np.errstate(divide="ignore", invalid="ignore"):
        s_abs = 1.0 - 2.0 * np.einsum("ab,abij->ij", scale["absolute"], counts) / k
        s_sq = 1.0 - 2.0 * np.einsum("ab,abij->ij", scale["squared"], counts) / k
        observed = np.einsum("ab,abij->ij", weight, counts) / k
        share = onehot.mean(axis=2)  # [a, i]
        cross = share.T @ weight @ share  # sum_ab f_a(i) f_b(j) w_ab
        own = np.diag(cross)
        kappa = 1.0 - observed / cross
        pi = 1.0 - observed / ((own[:, None] + 2.0 * cross + own[None, :]) / 4.0)
        taub = _taub(counts, k)
    return {
        "s_abs": s_abs,
        "s_sq": s_sq,
        "pi": finite_or_nan(pi),
        "kappa": finite_or_nan(kappa),
        "taub": finite_or_nan(taub),
    }


def _taub(counts: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """Tau-b of every pair from its contingency table counts[a, b, i, j]."""
    size = counts.shape[0]
    # above[a, b] = sum over a' > a, b' > b; below[a, b] = sum over a' > a, b' < b
    tail = np.zeros((size + 1, size + 2, *counts.shape[2:]))
    tail[:size, 1 : size + 1] = counts
    later = np.flip(np.cumsum(np.flip(tail, axis=0), axis=0), axis=0)[1:]  # a' > a
    right = np.flip(np.cumsum(np.flip(later, axis=1), axis=1), axis=1)
    left = np.cumsum(later, axis=1)
    above = right[:, 2:]  # b' >= b + 1
    below = left[:, :size]  # b' <= b - 1
    concordant = np.einsum("abij,abij->ij", counts, above)
    discordant = np.einsum("abij,abij->ij", counts, below)
    rows = counts.sum(axis=1)  # [a, i, j]
    cols = counts.sum(axis=0)  # [b, i, j]
    pairs = k * (k - 1) / 2.0
    tied_1 = (rows * (rows - 1)).sum(axis=0) / 2.0
    tied_2 = (cols * (cols - 1)).sum(axis=0) / 2.0
    tau = (concordant - discordant) / np.sqrt((pairs - tied_1) * (pairs - tied_2))
    return np.asarray(tau, dtype=np.float64)


def _portfolios(
    codes: NDArray[Any],
    first: NDArray[Any],
    second: NDArray[Any],
    level: NDArray[np.int64],
    top: int,
) -> tuple[NDArray[np.int64], int]:
    """The (n, n) matrix of directed tie levels among `codes`, and how many ties it holds."""
    n = len(codes)
    i = np.searchsorted(codes, first).clip(max=n - 1)
    j = np.searchsorted(codes, second).clip(max=n - 1)
    inside = (codes[i] == first) & (codes[j] == second)
    portfolios = np.zeros((n, n), dtype=np.int64)
    np.maximum.at(portfolios, (i[inside], j[inside]), level[inside])
    np.fill_diagonal(portfolios, top)
    return portfolios, int(inside.sum())


def _tie_levels(frame: pd.DataFrame, levels: Mapping[str, int]) -> NDArray[np.int64]:
    level = np.zeros(len(frame), dtype=np.int64)
    for column, value in levels.items():
        flags = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isin(flags, (0.0, 1.0))
        if bad.any():
            msg = (
                f"ties[{column!r}] should hold only 0 and 1, found {flags[bad][0]} in "
                f"{int(bad.sum())} {'row' if int(bad.sum()) == 1 else 'rows'}"
            )
            raise ParameterError(msg)
        level = np.maximum(level, flags.astype(np.int64) * value)
    return level


def _within_tie_years(members: pd.DataFrame, ties: pd.DataFrame, by: str) -> pd.DataFrame:
    if ties.empty:
        return members.iloc[:0]
    first, last = ties[by].min(), ties[by].max()
    inside = members[by].between(first, last)
    if not inside.all():
        years = members.loc[~inside, by]
        msg = (
            f"states lists years {years.min()}–{years.max()} outside the years of ties "
            f"({first}–{last}); no similarity was computed for them, since a missing tie "
            f"there cannot be told from no alliance"
        )
        warn_fallback(msg, stacklevel=3)
    return members[inside]


def _check_levels(levels: Mapping[str, int]) -> int:
    if not levels:
        msg = "levels should map at least one obligation column to a level, got none"
        raise ParameterError(msg)
    for column, value in levels.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            msg = f"levels[{column!r}]={value!r} should be a positive integer"
            raise ParameterError(msg)
    return int(max(levels.values()))


def _check_distance(distance: str) -> None:
    if distance not in _DISTANCES:
        msg = f"distance={distance!r} should be one of {', '.join(map(repr, _DISTANCES))}"
        raise ParameterError(msg)
