r"""Trade and arms dependence of states on each other: shares, salience, concentration.

Three measures, each computed for a whole panel in one pass:

* **Trade dependence** of a dyad (Barbieri 1996 [1]_). With :math:`T_{ij}` the trade
  between i and j (i's imports from j plus its exports to j) and :math:`T_i` the total
  trade of i (all its imports plus all its exports), the trade shares, salience, symmetry
  and interdependence are

  .. math::

      s_i = \frac{T_{ij}}{T_i}, \qquad
      \text{salience} = \sqrt{s_i s_j}, \qquad
      \text{symmetry} = 1 - |s_i - s_j|, \qquad
      \text{interdependence} = \text{salience} \times \text{symmetry},

  and the asymmetry :math:`s_i - s_j` says who depends on whom more (positive: i on j).
* **Concentration** of a state's trade, or arms imports, over its partners (Hirschman
  1945 [2]_): :math:`H = \sqrt{\sum_j s_j^2}` with :math:`s_j` the partners' shares.
* **Arms dependence** of a recipient on a supplier, and of the supplier on the
  recipient, over a moving window of years, from SIPRI trend-indicator values [4]_.

These shares measure what Keohane and Nye (1977) [3]_ call *sensitivity*: how much of a
state's trade, or of its arms, rides on one partner. *Vulnerability*, the cost of losing
the partner once the state has adjusted, also depends on the alternatives open to it;
the concentration index is a first hint of them (a state that trades with many partners
in equal parts can shift its trade more easily), not a measure of them.

Missing data stay missing: a missing flow or total gives a missing measure, never a zero,
and a share over a zero total is missing, not infinite. The functions never modify their
inputs.

References
----------
.. [1] Barbieri, K. (1996). Economic interdependence: a path to peace or a source of
   interstate conflict? *Journal of Peace Research* 33(1): 29–49.
.. [2] Hirschman, A. O. (1945). *National Power and the Structure of Foreign Trade*.
   University of California Press; Hirschman, A. O. (1964). The paternity of an index.
   *American Economic Review* 54(5): 761.
.. [3] Keohane, R. O. and Nye, J. S. (1977). *Power and Interdependence: World Politics
   in Transition*. Little, Brown, ch. 1 (sensitivity and vulnerability).
.. [4] SIPRI Arms Transfers Database, "Sources and methods" (the trend-indicator value),
   Stockholm International Peace Research Institute,
   https://www.sipri.org/databases/armstransfers/sources-and-methods.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from alliances.analysis._checks import require_columns
from alliances.errors import ParameterError

__all__ = ["arms_dependence", "concentration", "dependence_asymmetry", "trade_dependence"]

_DYAD_COLUMNS = ("ccode1", "ccode2", "year", "trade_imports", "trade_exports")
_TOTAL_COLUMNS = ("ccode", "year", "imports", "exports")
_ARMS_COLUMNS = ("supplier_cown", "recipient_cown", "year", "value")


def trade_dependence(dyads: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    r"""Trade shares, salience, symmetry and interdependence of every dyad-year.

    For a dyad (i, j) = (``ccode1``, ``ccode2``) in a year, with :math:`T_{ij}` their
    trade and :math:`T_i` the total trade of i, Barbieri (1996) [1]_ defines

    .. math::

        s_i = \frac{T_{ij}}{T_i}, \quad
        \text{salience} = \sqrt{s_i s_j}, \quad
        \text{symmetry} = 1 - |s_i - s_j|, \quad
        \text{interdependence} = \sqrt{s_i s_j}\,(1 - |s_i - s_j|).

    Parameters
    ----------
    dyads : pandas.DataFrame
        One row per dyad-year with ``ccode1``, ``ccode2``, ``year``, ``trade_imports``
        (ccode1's imports from ccode2) and ``trade_exports`` (ccode1's exports to
        ccode2), as ``alliances.world.dyad_years(...).with_trade()`` gives them. Directed
        or not: each row is read on its own.
    totals : pandas.DataFrame
        National trade, one row per state-year: ``ccode``, ``year``, ``imports``,
        ``exports`` (COW National Trade), in the same unit as the dyadic flows.

    Returns
    -------
    pandas.DataFrame
        A copy of ``dyads`` (same rows, order and index) with the float columns added:

        ``trade``
            :math:`T_{ij}` = ``trade_imports + trade_exports``.
        ``share1``, ``share2``
            :math:`s_i = T_{ij} / T_i` and :math:`s_j = T_{ij} / T_j`, with
            :math:`T_i` = imports + exports of the state.
        ``salience``, ``symmetry``, ``interdependence``
            As above.
        ``asymmetry``
            :math:`s_i - s_j`; positive when ccode1 depends more on ccode2 than the
            reverse (see :func:`dependence_asymmetry`).

    Raises
    ------
    ParameterError
        If a required column is missing, a flow or total is negative or infinite, or
        ``totals`` has more than one row for a state-year.

    See Also
    --------
    dependence_asymmetry, concentration

    Notes
    -----
    Nothing is filled in. A missing flow (either of the two) makes ``trade`` and every
    measure of the row missing; a state-year absent from ``totals``, or with a missing
    import or export total, makes that state's share missing, and with it salience,
    symmetry, interdependence and asymmetry. A zero total gives a missing share, not an
    infinite one. The COW figures are rounded to whole millions, so a small dyadic flow
    may round to zero.

    Shares are not clipped to [0, 1]. The COW dyadic and national series are built from
    different sources, and in COW Trade v4.0 a few hundred of the 673,654 dyad-years
    have a dyadic trade larger than a state's total trade; there a share exceeds 1 and
    symmetry and interdependence can be negative. Filter or clip them as the analysis
    requires.

    References
    ----------
    .. [1] Barbieri, K. (1996). Economic interdependence: a path to peace or a source of
       interstate conflict? *Journal of Peace Research* 33(1): 29–49.

    Examples
    --------
    Russia (365) and Iran (630), with trade of 50 between them: half of Russia's trade
    of 100, an eighth of Iran's 400.

    >>> dyads = pd.DataFrame({"ccode1": [365], "ccode2": [630], "year": [2010],
    ...                       "trade_imports": [30.0], "trade_exports": [20.0]})
    >>> totals = pd.DataFrame({"ccode": [365, 630], "year": [2010, 2010],
    ...                        "imports": [60.0, 150.0], "exports": [40.0, 250.0]})
    >>> out = trade_dependence(dyads, totals)
    >>> out[["trade", "share1", "share2", "salience", "symmetry"]].iloc[0].tolist()
    [50.0, 0.5, 0.125, 0.25, 0.625]
    >>> out[["interdependence", "asymmetry"]].iloc[0].tolist()
    [0.15625, 0.375]
    """
    require_columns(dyads, _DYAD_COLUMNS, "dyads", "as from dyad_years(...).with_trade()")
    require_columns(totals, _TOTAL_COLUMNS, "totals", "national trade, one row per state-year")
    duplicated = totals.duplicated(["ccode", "year"], keep=False)
    if duplicated.any():
        first = totals.loc[duplicated, ["ccode", "year"]].iloc[0].tolist()
        msg = (
            f"totals has {int(duplicated.sum())} rows that share a (ccode, year), e.g. "
            f"{tuple(first)}; expected one row per state-year."
        )
        raise ParameterError(msg)

    imports = _flows(dyads["trade_imports"], "dyads.trade_imports")
    exports = _flows(dyads["trade_exports"], "dyads.trade_exports")
    national = pd.DataFrame(
        {
            "ccode": totals["ccode"],
            "year": totals["year"],
            "total": _flows(totals["imports"], "totals.imports")
            + _flows(totals["exports"], "totals.exports"),
        }
    ).dropna(subset=["ccode", "year"])

    trade = imports + exports
    share1 = _ratio(trade, _lookup(dyads["ccode1"], dyads["year"], national))
    share2 = _ratio(trade, _lookup(dyads["ccode2"], dyads["year"], national))
    salience = np.sqrt(share1 * share2)
    symmetry = 1.0 - np.abs(share1 - share2)
    out = dyads.copy()
    out["trade"] = trade
    out["share1"] = share1
    out["share2"] = share2
    out["salience"] = salience
    out["symmetry"] = symmetry
    out["interdependence"] = salience * symmetry
    # not dependence_asymmetry(), which refuses shares above 1: see the Notes
    out["asymmetry"] = share1 - share2
    return out


def concentration(
    flows: pd.DataFrame,
    *,
    by: str | Sequence[str],
    partner: str,
    value: str,
    skipna: bool = False,
) -> pd.DataFrame:
    r"""Hirschman's index of the concentration of a state's flows over its partners.

    For a group (a state in a year, say) with flows :math:`x_j \ge 0` to or from its
    partners j and shares :math:`s_j = x_j / \sum_k x_k`,

    .. math::

        H = \sqrt{\sum_j s_j^2} = \frac{\sqrt{\sum_j x_j^2}}{\sum_j x_j},

    which lies in :math:`[1/\sqrt{n}, 1]` for n partners with positive flows: 1 when all
    goes to one partner, :math:`1/\sqrt{n}` when it is spread equally (Hirschman 1945
    [1]_). Hirschman printed the index times 100 (from 0 to 100); here it is a fraction.
    Herfindahl's index is its square, :math:`\sum_j s_j^2`, without the root.

    Parameters
    ----------
    flows : pandas.DataFrame
        One row per group and partner (rows repeated for a group and partner are summed).
    by : str or sequence of str
        Column(s) that define a group, e.g. ``["ccode1", "year"]`` for dyadic trade or
        ``["recipient_cown", "year"]`` for arms imports.
    partner : str
        Column of the partner, e.g. ``"ccode2"`` or ``"supplier_cown"``.
    value : str
        Column of the flow, finite and non-negative (missing allowed, see ``skipna``),
        e.g. ``"trade"`` or ``"value"``.
    skipna : bool, default False
        If False, a missing flow makes its group's index missing (the shares are
        unknown). If True, rows with a missing flow are left out, as if that partner had
        no flow.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by ``by``: the ``by`` columns, ``hirschman`` (float;
        missing when the group's flows sum to zero) and ``partners`` (int, the number of
        partners with a positive flow).

    Raises
    ------
    ParameterError
        If a column is missing, ``partner`` is one of ``by``, or a flow is negative or
        infinite.

    References
    ----------
    .. [1] Hirschman, A. O. (1945). *National Power and the Structure of Foreign Trade*.
       University of California Press; Hirschman, A. O. (1964). The paternity of an
       index. *American Economic Review* 54(5): 761.

    Examples
    --------
    >>> flows = pd.DataFrame({"ccode": [630, 630, 630, 2], "partner": [365, 710, 750, 20],
    ...                       "tiv": [10.0, 10.0, 10.0, 7.0]})
    >>> out = concentration(flows, by="ccode", partner="partner", value="tiv")
    >>> out.round(4).to_dict("list")
    {'ccode': [2, 630], 'hirschman': [1.0, 0.5774], 'partners': [1, 3]}
    """
    keys = [by] if isinstance(by, str) else list(by)
    if partner in keys:
        msg = f"partner={partner!r} is also one of by={keys}; it should be a different column."
        raise ParameterError(msg)
    require_columns(flows, (*keys, partner, value), "flows", "the by, partner and value columns")
    amount = _flows(flows[value], f"flows.{value}")
    work = flows[[*keys, partner]].reset_index(drop=True)
    work["_x"] = amount
    work["_missing"] = np.isnan(amount)
    if skipna:
        work = work[~work["_missing"]]
    # first the flow to each partner, then the group's sums over partners
    pairs = work.groupby([*keys, partner], sort=False).agg(
        x=("_x", "sum"), missing=("_missing", "any")
    )
    pairs["x2"] = pairs["x"] ** 2
    pairs["positive"] = pairs["x"] > 0
    groups = pairs.groupby(level=keys, sort=True).agg(
        total=("x", "sum"),
        squares=("x2", "sum"),
        partners=("positive", "sum"),
        missing=("missing", "any"),
    )
    hirschman = _ratio(np.sqrt(groups["squares"].to_numpy()), groups["total"].to_numpy())
    hirschman[groups["missing"].to_numpy()] = np.nan
    out = groups.index.to_frame(index=False)
    out["hirschman"] = hirschman
    out["partners"] = groups["partners"].to_numpy(dtype=np.int64)
    return out


def arms_dependence(transfers: pd.DataFrame, *, window: int = 5) -> pd.DataFrame:
    r"""Arms dependence of recipients on suppliers, and of suppliers on recipients.

    For a supplier s, a recipient r and a year y, with :math:`v_{srt}` the trend-indicator
    value (TIV) delivered by s to r in year t and :math:`W_y = \{y - w + 1, \dots, y\}`
    the window of the last w years,

    .. math::

        V_{sry} = \sum_{t \in W_y} v_{srt}, \qquad
        \text{import share} = \frac{V_{sry}}{\sum_{k} V_{kry}}, \qquad
        \text{export share} = \frac{V_{sry}}{\sum_{k} V_{sky}} :

    the supplier's share of everything the recipient imported over the window, and the
    recipient's share of everything the supplier exported. Deliveries are lumpy (a
    frigate is counted in the year it is delivered), hence the window.

    TIVs are SIPRI's volume index (millions of TIV, based on the unit production costs
    of a core set of weapons), not prices or the money paid [1]_: these are shares of
    volume, comparable across suppliers but not with trade in dollars.

    Parameters
    ----------
    transfers : pandas.DataFrame
        Rows ``supplier_cown``, ``recipient_cown``, ``year``, ``value`` (TIV), as in the
        SIPRI dyad-year file; years without a row count as no transfer, rows repeated for
        a pair and year are summed. Rows whose supplier (recipient) has no code still
        count in the recipient's imports (supplier's exports), but form no pair.
    window : int, default 5
        Number of years w summed, the year itself included (1 for yearly shares).

    Returns
    -------
    pandas.DataFrame
        One row per supplier, recipient and year y for which the window holds a row of
        the pair, and y is no later than the last year in ``transfers`` (later windows
        would be incomplete), sorted by ``supplier_cown``, ``recipient_cown``, ``year``:

        ``tiv``
            :math:`V_{sry}`, the pair's TIV over the window.
        ``recipient_tiv``, ``supplier_tiv``
            The recipient's imports from all suppliers and the supplier's exports to all
            recipients over the window.
        ``import_share``, ``export_share``
            ``tiv / recipient_tiv`` and ``tiv / supplier_tiv`` (missing over a zero
            total). Their difference, :func:`dependence_asymmetry`, is positive when the
            recipient depends more on the supplier than the reverse.

    Raises
    ------
    ParameterError
        If a column is missing, ``window`` is below 1, a year is missing or a value is
        negative or infinite.

    Notes
    -----
    A missing value makes every window that holds it missing (pair, recipient and
    supplier sums alike). Windows that reach back before the first year of
    ``transfers`` count the unobserved years as zero. The sums are computed by spreading
    each row over the w years whose windows hold it, then grouping: no loop over pairs.

    References
    ----------
    .. [1] SIPRI Arms Transfers Database, "Sources and methods" (the trend-indicator
       value), Stockholm International Peace Research Institute,
       https://www.sipri.org/databases/armstransfers/sources-and-methods.

    Examples
    --------
    >>> transfers = pd.DataFrame({
    ...     "supplier_cown": [365, 365, 710, 365],
    ...     "recipient_cown": [630, 630, 630, 750],
    ...     "year": [2010, 2012, 2011, 2012],
    ...     "value": [10.0, 20.0, 30.0, 90.0],
    ... })
    >>> out = arms_dependence(transfers, window=3)
    >>> row = out.query("supplier_cown == 365 and recipient_cown == 630 and year == 2012")
    >>> columns = ["tiv", "recipient_tiv", "supplier_tiv", "import_share", "export_share"]
    >>> row[columns].iloc[0].tolist()
    [30.0, 60.0, 120.0, 0.5, 0.25]
    """
    require_columns(transfers, _ARMS_COLUMNS, "transfers", "SIPRI supplier-recipient-year TIV")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        msg = f"window={window!r} should be an integer >= 1 (years summed)."
        raise ParameterError(msg)
    window = int(window)
    if transfers["year"].isna().any():
        msg = (
            f"transfers has {int(transfers['year'].isna().sum())} rows with a missing year; "
            "every transfer needs the year it was delivered."
        )
        raise ParameterError(msg)
    value = _flows(transfers["value"], "transfers.value")
    supplier, recipient = "supplier_cown", "recipient_cown"
    if len(transfers) == 0:
        columns = ["tiv", "recipient_tiv", "supplier_tiv", "import_share", "export_share"]
        empty = transfers[[supplier, recipient, "year"]].iloc[:0].reset_index(drop=True)
        return empty.assign(**{c: pd.Series(dtype=float) for c in columns})

    # each row counts in the windows ending in its year and the window - 1 years after
    n = len(transfers)
    spread = transfers[[supplier, recipient, "year"]].iloc[np.repeat(np.arange(n), window)]
    spread = spread.reset_index(drop=True)
    spread["year"] = spread["year"] + np.tile(np.arange(window), n)
    spread["_v"] = np.repeat(value, window)
    spread["_missing"] = np.isnan(spread["_v"].to_numpy())
    spread = spread[spread["year"] <= transfers["year"].max()]

    pair = _window_sum(spread, [supplier, recipient, "year"], dropna=True, name="tiv")
    imports = _window_sum(spread, [recipient, "year"], dropna=False, name="recipient_tiv")
    exports = _window_sum(spread, [supplier, "year"], dropna=False, name="supplier_tiv")
    out = pair.merge(imports, on=[recipient, "year"], how="left", validate="many_to_one")
    out = out.merge(exports, on=[supplier, "year"], how="left", validate="many_to_one")
    tiv = out["tiv"].to_numpy()
    out["import_share"] = _ratio(tiv, out["recipient_tiv"].to_numpy())
    out["export_share"] = _ratio(tiv, out["supplier_tiv"].to_numpy())
    return out


def dependence_asymmetry(
    share_a_on_b: ArrayLike | pd.Series, share_b_on_a: ArrayLike | pd.Series
) -> NDArray[np.float64] | pd.Series:
    r"""Who depends on whom more: the difference of two dependence shares.

    .. math::

        A_{ab} = s_{a \to b} - s_{b \to a} \in [-1, 1],

    with :math:`s_{a \to b}` the share of a's trade (or arms imports) that goes to b.
    Positive: a depends more on b than b on a; zero: as much; negative: b depends more
    on a. Keohane and Nye (1977) [1]_ see in such asymmetries a source of power: the
    less dependent side can use the other's dependence as leverage.

    Parameters
    ----------
    share_a_on_b, share_b_on_a : array_like or pandas.Series
        Shares in [0, 1], broadcast together; missing (NaN) gives missing.

    Returns
    -------
    numpy.ndarray or pandas.Series
        The difference as floats; a Series (aligned on the index) if either input is one.

    Raises
    ------
    ParameterError
        If a share is outside [0, 1] or infinite (the message names the argument, the
        first such value and its position).

    References
    ----------
    .. [1] Keohane, R. O. and Nye, J. S. (1977). *Power and Interdependence: World
       Politics in Transition*. Little, Brown, ch. 1.

    Examples
    --------
    >>> dependence_asymmetry([0.5, 0.25], [0.125, 0.75]).tolist()
    [0.375, -0.5]
    """
    _shares(share_a_on_b, "share_a_on_b")
    _shares(share_b_on_a, "share_b_on_a")
    if isinstance(share_a_on_b, pd.Series):
        other = share_b_on_a.astype(float) if isinstance(share_b_on_a, pd.Series) else share_b_on_a
        return (share_a_on_b.astype(float) - other).astype(float)
    if isinstance(share_b_on_a, pd.Series):
        return (share_a_on_b - share_b_on_a.astype(float)).astype(float)
    return np.asarray(share_a_on_b, dtype=float) - np.asarray(share_b_on_a, dtype=float)


def _floats(column: pd.Series) -> NDArray[np.float64]:
    """The column as float64, with every kind of missing (None, NaN, pd.NA) as NaN.

    R's NA, as pyreadr reads it, is a signalling NaN that makes arithmetic warn; it is
    replaced by the ordinary quiet NaN.
    """
    values = pd.to_numeric(column).to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(np.isnan(values), np.nan, values)


def _flows(column: pd.Series, name: str) -> NDArray[np.float64]:
    """The column as floats (see :func:`_floats`), refused if a flow is negative or infinite."""
    values = _floats(column)
    _check_range(values, name, low=0.0, high=None, what="flows", index=column.index)
    return values


def _shares(values: ArrayLike | pd.Series, name: str) -> None:
    """Refuse shares outside [0, 1] or infinite; missing (NaN) is allowed."""
    if isinstance(values, pd.Series):
        _check_range(_floats(values), name, low=0.0, high=1.0, what="shares", index=values.index)
    else:
        _check_range(np.asarray(values, dtype=np.float64), name, low=0.0, high=1.0, what="shares")


def _check_range(
    values: NDArray[np.float64],
    name: str,
    *,
    low: float,
    high: float | None,
    what: str,
    index: pd.Index | None = None,
) -> None:
    """Raise a ParameterError if a value lies outside [low, high] or is infinite.

    The shared check of this module's inputs: missing values (NaN) pass, every function
    documents what it makes of them. ``high=None`` means no upper bound but a finite
    value. The message names the argument, the number of bad values, the first of them
    with its position (and its index label, when that differs) and the expected range.

    Examples
    --------
    >>> _check_range(np.array([0.1, np.nan, 5.0]), "share", low=0.0, high=1.0, what="shares")
    Traceback (most recent call last):
    ...
    alliances.errors.ParameterError: share has 1 value out of range, the first 5.0 at ...
    """
    with np.errstate(invalid="ignore"):
        bad = np.isinf(values) | (values < low)
        if high is not None:
            bad |= values > high
    if not bad.any():
        return
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    position: object = where[0] if len(where) == 1 else (where if where else 0)
    label = ""
    if index is not None and values.ndim == 1:
        key = index[where[0]]
        key = key.item() if isinstance(key, np.generic) else key
        label = f" (index {key!r})" if key != where[0] else ""
    count = int(bad.sum())
    expected = f">= {low:g}" if high is None else f"in [{low:g}, {high:g}]"
    msg = (
        f"{name} has {count} {'value' if count == 1 else 'values'} out of range, the first "
        f"{values[bad][0]} at position {position}{label}; {what} should be finite and "
        f"{expected}, with missing data as NaN, not a code such as -9."
    )
    raise ParameterError(msg)


def _ratio(
    numerator: NDArray[np.float64], denominator: NDArray[np.float64]
) -> NDArray[np.float64]:
    """numerator / denominator, NaN where the denominator is zero or missing."""
    safe = np.where(denominator == 0, np.nan, denominator)
    return np.asarray(numerator / safe, dtype=np.float64)


def _lookup(ccode: pd.Series, year: pd.Series, national: pd.DataFrame) -> NDArray[np.float64]:
    """Total trade of each (ccode, year), row by row (NaN where absent)."""
    keys = pd.DataFrame({"ccode": ccode, "year": year}).reset_index(drop=True)
    found = keys.merge(national, on=["ccode", "year"], how="left", validate="many_to_one")
    total: NDArray[np.float64] = found["total"].to_numpy(dtype=np.float64, na_value=np.nan)
    return total


def _window_sum(spread: pd.DataFrame, keys: list[str], *, dropna: bool, name: str) -> pd.DataFrame:
    sums = spread.groupby(keys, sort=True, dropna=dropna).agg(
        **{name: ("_v", "sum"), "_missing": ("_missing", "any")}
    )
    sums.loc[sums["_missing"], name] = np.nan
    return sums.drop(columns="_missing").reset_index()
