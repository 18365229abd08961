r"""Affinity of states from UN General Assembly roll-call votes: agreement, S and kappa.

All dyads of one set of roll calls are computed in one pass. Votes are coded yes, abstain,
no (absences are not votes) and placed on a line, yes = 0, abstain = 1/2, no = 1. With
the one-hot vote matrices Y, A, N (states × roll calls) and B = Y + A + N, the counts of
every pair of choices over the roll calls both states voted on are matrix products, e.g.
:math:`(Y N^\top)_{ij}` is the number of roll calls on which i voted yes and j no, and
:math:`J = B B^\top` the number both voted on. From them:

* **agreement**: the share of joint roll calls with the same vote,
  :math:`(YY^\top + AA^\top + NN^\top) / J` (Voeten 2000; the ``*Agree`` columns of
  Bailey, Strezhnev and Voeten 2017);
* **S** (Signorino and Ritter 1999): :math:`S = 1 - 2\,\bar d` with :math:`\bar d` the
  mean distance between the two votes, absolute (:math:`|x_i - x_j|`) or squared;
* **kappa** (Häge 2011): :math:`\kappa = 1 - \bar d / E[\bar d]`, the distance observed
  against the distance expected if each state voted at random with its own frequencies
  of yes, abstain and no over the same roll calls (Cohen's chance correction).

References
----------
.. [1] Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
   similarity of foreign policy positions. *International Studies Quarterly* 43(1):
   115–144.
.. [2] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy
   similarity for chance agreement. *Political Analysis* 19(3): 287–305.
.. [3] Voeten, E. (2000). Clashes in the Assembly. *International Organization* 54(2):
   185–215.
.. [4] Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state
   preferences from United Nations voting data. *Journal of Conflict Resolution* 61(2):
   430–456.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliances.analysis._checks import finite_or_nan, require_columns
from alliances.errors import ParameterError

__all__ = ["bsv_roll_calls", "vote_affinity"]

_CHOICES = ("yes", "abstain", "no")
_POSITION = np.array([0.0, 0.5, 1.0])
_SHOWN = 10  # distinct refused values listed in the error


def vote_affinity(
    votes: pd.DataFrame,
    *,
    by: str | None = None,
    state: str = "ccode",
    roll_call: str = "rcid",
    vote: str = "vote",
) -> pd.DataFrame:
    r"""Agreement, S-scores and kappa for every pair of states, per group of roll calls.

    Votes are placed on a line, :math:`x = 0` for yes, 1/2 for abstain and 1 for no,
    and compared over the J roll calls on which both states i and j voted:

    .. math::

        \text{agree} = \frac{1}{J} \sum_{k} [x_{ik} = x_{jk}], \qquad
        S = 1 - 2 \bar d, \qquad
        \kappa = 1 - \frac{\bar d}{\sum_{a, b} f_a(i) f_b(j) \, \delta(a, b)},

    with :math:`\bar d = \frac1J \sum_k \delta(x_{ik}, x_{jk})` the mean distance,
    :math:`\delta(a, b) = |a - b|` (``_abs``) or :math:`(a - b)^2` (``_sq``), and
    :math:`f_a(i)` the share of i's votes with choice a over those roll calls. Agreement
    is Voeten's [3]_ (the ``*Agree`` of Bailey, Strezhnev and Voeten [4]_), S is
    Signorino and Ritter's [1]_, and kappa is Häge's chance-corrected measure [2]_:
    observed distance against the distance expected if each state voted at random with
    its own frequencies.

    Parameters
    ----------
    votes : pandas.DataFrame
        One row per state and roll call, with the vote as "yes", "abstain" or "no" (lower
        case, as in the ``unvotes`` data). A missing vote (NaN, None) is an absence, not a
        vote, and is left out. Other codings, such as Voeten's numbers (1 yes, 2 abstain,
        3 no) or capitalised words, are refused: map them to these three first.
    by : str, optional
        Column that groups roll calls (a year or a session); all in one group if None.
    state, roll_call, vote : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair (state1, state2), state1 ≠ state2, that voted together
        at least once in the group: ``joint`` (J, roll calls both voted on), ``agree``,
        ``s_abs``, ``s_sq``, ``kappa_abs`` and ``kappa_sq`` (NaN where both states always
        cast the same single choice, so that no disagreement could be expected).

    Raises
    ------
    ParameterError
        If a column named by ``by``, ``state``, ``roll_call`` or ``vote`` is missing, or
        a vote is neither missing nor "yes", "abstain" or "no" (the message lists the
        values found).

    References
    ----------
    .. [1] Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
       similarity of foreign policy positions. *International Studies Quarterly* 43(1):
       115–144.
    .. [2] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
       policy similarity for chance agreement. *Political Analysis* 19(3): 287–305.
    .. [3] Voeten, E. (2000). Clashes in the Assembly. *International Organization*
       54(2): 185–215.
    .. [4] Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state
       preferences from United Nations voting data. *Journal of Conflict Resolution*
       61(2): 430–456.

    Examples
    --------
    Three roll calls: both yes, then yes against no (distance 1), abstain against no
    (1/2). Agreement 1/3, mean distance 1/2, so S = 0:

    >>> votes = pd.DataFrame({
    ...     "rcid": [1, 1, 2, 2, 3, 3],
    ...     "ccode": [2, 365, 2, 365, 2, 365],
    ...     "vote": ["yes", "yes", "yes", "no", "abstain", "no"],
    ... })
    >>> row = vote_affinity(votes).query("ccode1 == 2 and ccode2 == 365").iloc[0]
    >>> float(row.agree), float(row.s_abs)
    (0.3333333333333333, 0.0)
    """
    columns = [state, roll_call, vote, *([by] if by is not None else [])]
    require_columns(votes, columns, "votes", "one row per state and roll call")
    frame = votes[_cast(votes[vote], f"votes.{vote}")]
    groups = [(None, frame)] if by is None else list(frame.groupby(by, sort=True))
    parts = [
        _pairs(group, state, roll_call, vote).assign(**({by: key} if by else {}))
        for key, group in groups
    ]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if by:
        out = out[[by, *[c for c in out.columns if c != by]]]
    return out


def bsv_roll_calls(
    votes: pd.DataFrame, roll_calls: pd.DataFrame, *, amend_para_from_session: int = 40
) -> pd.Series:
    r"""Whether each roll call counts in Bailey, Strezhnev and Voeten's measures.

    Their agreement scores and ideal points [1]_ leave out unanimous roll calls (every
    vote cast the same, abstentions included), votes on amendments and paragraphs from
    the 40th session on, and the 19th session (a single roll call): roll call k counts
    iff

    .. math::

        \neg\,\text{unanimous}_k \;\wedge\;
        \neg\bigl((\text{amend}_k \vee \text{para}_k) \wedge
        \text{session}_k \ge 40\bigr) \;\wedge\; \text{session}_k \ne 19 .

    This rule reproduces the ``*Agree`` columns and ``NVotesAll`` of their June 2024 file
    exactly from the 2021 release of the votes (see ``alliances validate``).

    Parameters
    ----------
    votes : pandas.DataFrame
        ``rcid`` and ``vote`` ("yes", "abstain", "no"; missing for an absence, which is
        left out; other values are refused, as in :func:`vote_affinity`).
    roll_calls : pandas.DataFrame
        ``rcid``, ``session``, ``amend`` and ``para`` (1 for an amendment or paragraph
        vote).
    amend_para_from_session : int, default 40
        First session whose amendment and paragraph votes are left out.

    Returns
    -------
    pandas.Series
        Boolean, named ``counts``, indexed by ``rcid``.

    Raises
    ------
    ParameterError
        If a column is missing or a vote is neither missing nor "yes", "abstain" or "no".

    References
    ----------
    .. [1] Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state
       preferences from United Nations voting data. *Journal of Conflict Resolution*
       61(2): 430–456.

    Examples
    --------
    A contested vote counts; an amendment, the 19th session and a unanimous vote do
    not:

    >>> roll_calls = pd.DataFrame({"rcid": [1, 2, 3, 4], "session": [72, 72, 19, 72],
    ...                            "amend": [0, 1, 0, 0], "para": [0, 0, 0, 0]})
    >>> votes = pd.DataFrame({"rcid": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                       "vote": ["yes", "no"] * 3 + ["yes", "yes"]})
    >>> bsv_roll_calls(votes, roll_calls).tolist()
    [True, False, False, False]
    """
    require_columns(votes, ("rcid", "vote"), "votes", "the UN votes")
    require_columns(
        roll_calls, ("rcid", "session", "amend", "para"), "roll_calls", "the roll-call table"
    )
    cast = votes[_cast(votes["vote"], "votes.vote")]
    unanimous = cast.groupby("rcid")["vote"].nunique().eq(1)
    calls = roll_calls.set_index("rcid")
    flagged = [
        pd.to_numeric(calls[c], errors="coerce").eq(1).fillna(False).astype(bool)
        for c in ("amend", "para")
    ]
    part = (flagged[0] | flagged[1]) & (calls["session"] >= amend_para_from_session)
    keep = ~part & (calls["session"] != 19)
    keep &= ~unanimous.reindex(calls.index, fill_value=False)
    return keep.rename("counts")


def _cast(column: pd.Series, name: str) -> NDArray[np.bool_]:
    """Which rows hold a vote; absences (missing) are not votes, any other value is refused."""
    cast: NDArray[np.bool_] = column.isin(_CHOICES).to_numpy(dtype=bool)
    other = ~cast & column.notna().to_numpy(dtype=bool)
    if other.any():
        found = pd.unique(column[other].to_numpy(dtype=object))
        shown = ", ".join(repr(_plain(v)) for v in found[:_SHOWN])
        more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
        accepted = ", ".join(map(repr, _CHOICES[:-1])) + f" or {_CHOICES[-1]!r}"
        msg = (
            f"{name} holds values that are not votes: {shown}{more} ({int(other.sum())} "
            f"rows); expected {accepted} (lower case), or missing for an absence."
        )
        raise ParameterError(msg)
    return cast


def _plain(value: object) -> object:
    """A numpy scalar as the Python one, so that it prints as 1 and not np.int64(1)."""
    return value.item() if isinstance(value, np.generic) else value


def _pairs(frame: pd.DataFrame, state: str, roll_call: str, vote: str) -> pd.DataFrame:
    states, s_index = np.unique(frame[state].to_numpy(), return_inverse=True)
    _, r_index = np.unique(frame[roll_call].to_numpy(), return_inverse=True)
    choice = pd.Categorical(frame[vote], categories=_CHOICES).codes
    n, m = len(states), int(r_index.max()) + 1 if len(r_index) else 0
    onehot = np.zeros((3, n, m), dtype=np.float64)
    onehot[choice, s_index, r_index] = 1.0
    # counts[a, b, i, j]: roll calls where i chose a and j chose b
    counts = np.einsum("aik,bjk->abij", onehot, onehot, optimize=True)
    joint = counts.sum(axis=(0, 1))
    distance = np.abs(_POSITION[:, None] - _POSITION[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        agree = np.trace(counts) / joint
        mean_abs = np.einsum("ab,abij->ij", distance, counts) / joint
        mean_sq = np.einsum("ab,abij->ij", distance**2, counts) / joint
        # each state's frequencies of yes/abstain/no over the roll calls both voted on
        own = counts.sum(axis=1) / joint  # [a, i, j]: i's share of choice a
        other = counts.sum(axis=0) / joint  # [b, i, j]: j's share of choice b
        expected_abs = np.einsum("ab,aij,bij->ij", distance, own, other)
        expected_sq = np.einsum("ab,aij,bij->ij", distance**2, own, other)
        kappa_abs = 1.0 - mean_abs / expected_abs
        kappa_sq = 1.0 - mean_sq / expected_sq
    i, j = np.nonzero((joint > 0) & ~np.eye(n, dtype=bool))
    return pd.DataFrame(
        {
            f"{state}1": states[i],
            f"{state}2": states[j],
            "joint": joint[i, j].astype(np.int64),
            "agree": agree[i, j],
            "s_abs": 1.0 - 2.0 * mean_abs[i, j],
            "s_sq": 1.0 - 2.0 * mean_sq[i, j],
            "kappa_abs": finite_or_nan(kappa_abs[i, j]),
            "kappa_sq": finite_or_nan(kappa_sq[i, j]),
        }
    )
