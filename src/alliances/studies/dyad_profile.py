"""Everything the store knows of a pair of states in a year, each figure with its source.

Used by ``alliances dyad A B --year Y``. The figures come from the dyad-year panel (the
same joins and coverage rules as ``alliances panel``), from the interdependence and
affinity measures computed on the raw data, and from the per-organisation IGO file.
:func:`dyad_profile` returns a :class:`DyadProfile` (frozen), whose ``to_dict()`` is
the JSON of ``alliances dyad --json``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from alliances import countries
from alliances._files import json_ready
from alliances.analysis.affinity import vote_affinity
from alliances.analysis.interdependence import arms_dependence, trade_dependence
from alliances.analysis.portfolio import portfolio_similarity
from alliances.errors import DataError, ParameterError
from alliances.typing import ActorRef
from alliances.world import queries
from alliances.world.connection import table_names
from alliances.world.panel import dyad_years
from alliances.world.panel_cache import available_covariates
from alliances.world.registry import ATOP_KINDS, DATASETS

__all__ = ["DyadProfile", "ProfileRow", "ProfiledState", "dyad_profile", "profile_series"]

_ARMS_WINDOW = 5


def _source(*names: str) -> str:
    return "; ".join(f"{DATASETS[n].title} {DATASETS[n].version}" for n in names)


@dataclass(frozen=True)
class ProfiledState:
    """One state of a profiled pair: its name in the year and its codes."""

    name: str
    iso3: str | None
    cow: int
    gw: int | None

    def to_dict(self) -> dict[str, Any]:
        """``{name, iso3, cow, gw}``."""
        return {"name": self.name, "iso3": self.iso3, "cow": self.cow, "gw": self.gw}


@dataclass(frozen=True)
class ProfileRow:
    """One figure of a profile: ``a``'s value, ``b``'s, and where they come from.

    ``a`` and ``b`` are JSON-ready (numbers, text or None: the source has no value,
    outside its coverage or not recorded); a symmetric figure has the same value twice.
    """

    section: str
    measure: str
    a: Any
    b: Any
    source: str

    def to_dict(self) -> dict[str, Any]:
        """``{section, measure, a, b, source}``."""
        return {
            "section": self.section,
            "measure": self.measure,
            "a": self.a,
            "b": self.b,
            "source": self.source,
        }


@dataclass(frozen=True)
class DyadProfile:
    """Everything the store knows of a pair of states in a year.

    Attributes
    ----------
    a, b : ProfiledState
        The two states, as named in ``year``, with their codes.
    year : int
        The year profiled.
    rows : tuple of ProfileRow
        The figures, by section (alliance, igos, trade, arms, affinity, conflict,
        geography, power), each for ``a`` (its obligation to b, its imports from b, b's
        share of its trade, its CINC …) and for ``b``, with its source.
    """

    a: ProfiledState
    b: ProfiledState
    year: int
    rows: tuple[ProfileRow, ...]

    def row(self, measure: str) -> ProfileRow | None:
        """The row of ``measure`` (its exact label), or None if the profile has none."""
        return next((r for r in self.rows if r.measure == measure), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``alliances dyad --json``: ``dyad`` (``a`` and ``b``), ``year`` and
        ``rows``."""
        return {
            "dyad": {"a": self.a.to_dict(), "b": self.b.to_dict()},
            "year": self.year,
            "rows": [r.to_dict() for r in self.rows],
        }


def dyad_profile(
    con: duckdb.DuckDBPyConnection, a: ActorRef, b: ActorRef, year: int
) -> DyadProfile:
    """The profile of states ``a`` and ``b`` (any name or code) in ``year``.

    Returns a :class:`DyadProfile`: both states with their codes, the year, and its
    rows, each the figure for ``a`` (its obligation to b, its imports from b, b's share of
    its trade, its CINC …) and the same for ``b``; a symmetric figure has the same value
    twice. ``None`` means the source has no value (outside its coverage or not
    recorded). ``to_dict()`` gives ``{dyad, year, rows}``, as ``alliances dyad --json``
    prints it.

    Raises
    ------
    alliances.errors.DataError
        If either state has no COW code, or the two are not both in the COW system in
        ``year``.
    """
    first, second = countries.resolve(a), countries.resolve(b)
    code_a, code_b = countries.cow_in(first, year), countries.cow_in(second, year)
    if code_a is None or code_b is None:
        msg = f"{first.name} or {second.name} has no COW code; the store is keyed by COW codes"
        raise DataError(msg)
    if code_a == code_b:
        msg = f"a dyad is two different states; {a!r} and {b!r} both name {first.name}"
        raise ParameterError(msg)
    ca, cb = code_a, code_b
    tables = table_names(con)
    available = available_covariates(con)
    panel = dyad_years(con, years=(year, year)).with_(*available)
    frame = queries.panel_rows(panel, dyad=(ca, cb))
    if frame.empty:
        lo, hi = panel.span()
        cover = f" (the store's state system covers {lo}–{hi})" if lo is not None else ""
        members = {c.cow for c in countries.cow_states_in(year)}
        absent = [c.name for c in (first, second) if c.cow not in members]
        who = " and ".join(absent) if absent else f"{first.name} and {second.name}"
        verb = "is" if len(absent) == 1 else "are"
        msg = f"{who} {verb} not in the COW system in {year}{cover}"
        raise DataError(msg)
    ab = frame[(frame.ccode1 == ca)].iloc[0]
    ba = frame[(frame.ccode1 == cb)].iloc[0]
    rows: list[ProfileRow] = []

    def add(section: str, measure: str, x: Any, y: Any, source: str) -> None:
        rows.append(ProfileRow(section, measure, json_ready(x), json_ready(y), source))

    if "alliances" in available:
        for kind in ATOP_KINDS:
            column = f"atop_{kind}"
            add(
                "alliance",
                f"ATOP {kind} obligation",
                ab[column],
                ba[column],
                _source("atop_alliance"),
            )
    if {"atop_alliance", "cow_ddy"} <= tables:
        ties = queries.atop_ties(con, year)
        states = queries.system_states(con, year)
        if not ties.empty:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # ties to non-members are dropped, as noted
                similar = portfolio_similarity(ties, states)
            hit = similar[(similar.ccode1 == ca) & (similar.ccode2 == cb)]
            for measure in ("taub", "s_sq", "kappa"):
                value = hit[measure].iloc[0] if len(hit) else None
                add(
                    "alliance",
                    f"alliance-portfolio similarity: {measure}",
                    value,
                    value,
                    _source("atop_alliance"),
                )
    if "igos" in available:
        add(
            "igos",
            "shared IGOs (full or associate)",
            ab.shared_igos,
            ab.shared_igos,
            _source("cow_igo_ndy"),
        )
        if "igo_membership" in tables:
            names = queries.shared_igo_names(con, ca, cb, year)
            if names:
                listed = ", ".join(names)
                add("igos", "IGOs both belong to", listed, listed, _source("igo_membership"))
    if "trade" in available and "cow_trade_sy" in tables:
        totals = queries.state_trade(con, (year, year))
        dep = trade_dependence(
            frame[["ccode1", "ccode2", "year", "trade_imports", "trade_exports"]].astype(
                "float64"
            ),
            totals,
        )
        d_ab = dep[dep.ccode1 == ca].iloc[0]
        d_ba = dep[dep.ccode1 == cb].iloc[0]
        source = _source("cow_trade_ndy", "cow_trade_sy")
        add("trade", "imports from the other (USD m)", ab.trade_imports, ba.trade_imports, source)
        add("trade", "exports to the other (USD m)", ab.trade_exports, ba.trade_exports, source)
        add("trade", "other's share of own trade", d_ab.share1, d_ba.share1, source)
        add("trade", "Barbieri salience", d_ab.salience, d_ab.salience, source)
        add("trade", "Barbieri symmetry", d_ab.symmetry, d_ab.symmetry, source)
    if "arms" in available:
        source = _source("sipri_tiv")
        add(
            "arms",
            "arms exports to the other (TIV m)",
            ab.arms_exports_tiv,
            ba.arms_exports_tiv,
            source,
        )
        transfers = queries.arms_transfers(con, (year - _ARMS_WINDOW + 1, year))
        _, sipri_last = DATASETS["sipri_tiv"].years or (None, year)
        if not transfers.empty:
            shares = arms_dependence(transfers, window=_ARMS_WINDOW)
            shares = shares[shares.year == year]

            def share(s: int, r: int, column: str) -> Any:
                hit = shares[(shares.supplier_cown == s) & (shares.recipient_cown == r)]
                return hit[column].iloc[0] if len(hit) else (0.0 if year <= sipri_last else None)

            label = f"{year - _ARMS_WINDOW + 1}–{year}"
            add(
                "arms",
                f"other's share of own arms imports, {label}",
                share(cb, ca, "import_share"),
                share(ca, cb, "import_share"),
                source,
            )
            add(
                "arms",
                f"other's share of own arms exports, {label}",
                share(ca, cb, "export_share"),
                share(cb, ca, "export_share"),
                source,
            )
    if {"un_votes", "un_roll_calls"} <= tables:
        votes = queries.un_votes(con, year=year, states=(ca, cb))[["rcid", "ccode", "vote"]]
        source = _source("un_votes")
        result = vote_affinity(votes) if not votes.empty else pd.DataFrame()
        hit = result[(result.ccode1 == ca) & (result.ccode2 == cb)] if len(result) else result
        for measure in ("agree", "s_abs", "kappa_abs"):
            value = hit[measure].iloc[0] if len(hit) else None
            add(
                "affinity",
                f"UN votes: {measure} ({int(hit.joint.iloc[0]) if len(hit) else 0} roll calls)",
                value,
                value,
                source,
            )
    if "affinity" in available:
        add(
            "affinity",
            "UNGA ideal point",
            ab.idealpoint1,
            ab.idealpoint2,
            _source("unga_idealpoints"),
        )
    if "rivalries" in available:
        add(
            "conflict",
            "strategic rivalry (TSS)",
            ab.tss_rivalry,
            ab.tss_rivalry,
            _source("tss_rivalries"),
        )
    if "mids" in available:
        source = _source("cow_mid_ddydisps")
        add("conflict", "MIDs ongoing", ab.cowmid_disputes, ab.cowmid_disputes, source)
        add("conflict", "highest hostility level", ab.cowmid_hostlev, ab.cowmid_hostlev, source)
    if "contiguity" in available:
        add("geography", "contiguity type", ab.conttype, ab.conttype, _source("cow_contdir"))
    if "distance" in available:
        add("geography", "minimum distance (km)", ab.mindist, ab.mindist, _source("cow_mindist"))
    if "capabilities" in available:
        add("power", "CINC", ab.cinc1, ab.cinc2, _source("cow_nmc"))
    if "gdp" in available:
        add("power", "GDP (million 2017 int'l $)", ab.gdp1, ab.gdp2, _source("cw_gdppop"))

    def state(c: countries.Country, code: int) -> ProfiledState:
        return ProfiledState(countries.name_in(code, year), c.iso3, code, c.gw)

    return DyadProfile(state(first, ca), state(second, cb), year, tuple(rows))


def profile_series(
    con: duckdb.DuckDBPyConnection, a: ActorRef, b: ActorRef, years: range
) -> pd.DataFrame:
    """The yearly figures of :func:`dyad_profile` that a scenario's report charts.

    One row per year of ``years`` in which both states are in the system: ``year``,
    ``target_trade_share`` and ``partner_trade_share`` (each side's share of the other in
    its trade; ``a`` is the target, ``b`` the partner), ``target_arms_import_share`` and
    ``partner_arms_import_share`` (the same for arms imports over five years) and
    ``un_agreement``. Empty when no year has a profile. The same numbers as
    :func:`dyad_profile` year by year, read once for each span of years over which the
    two states keep their COW codes.
    """
    first, second = countries.resolve(a), countries.resolve(b)
    spans: dict[tuple[int, int], list[int]] = {}
    for year in years:
        ca, cb = countries.cow_in(first, year), countries.cow_in(second, year)
        if ca is not None and cb is not None:
            spans.setdefault((ca, cb), []).append(year)
    tables = table_names(con)
    available = set(available_covariates(con))
    rows = []
    for (ca, cb), span in spans.items():
        rows += _series_rows(con, ca, cb, span, tables, available)
    return pd.DataFrame(rows)


def _series_rows(
    con: duckdb.DuckDBPyConnection,
    ca: int,
    cb: int,
    span: list[int],
    tables: set[str],
    available: set[str],
) -> list[dict[str, Any]]:
    """The rows of :func:`profile_series` for the years ``span`` of the COW codes
    ``ca`` and ``cb``: each year's figures as :func:`dyad_profile` computes them."""
    lo, hi = min(span), max(span)
    panel = dyad_years(con, years=(lo, hi)).with_(*sorted({"trade"} & available))
    frame = queries.panel_rows(panel, dyad=(ca, cb))
    dep = None
    if "trade" in available and "cow_trade_sy" in tables and not frame.empty:
        flows = frame[["ccode1", "ccode2", "year", "trade_imports", "trade_exports"]]
        dep = trade_dependence(flows.astype("float64"), queries.state_trade(con, (lo, hi)))
    transfers = shares = None
    if "arms" in available:
        transfers = queries.arms_transfers(con, (lo - _ARMS_WINDOW + 1, hi))
        if not transfers.empty:
            shares = arms_dependence(transfers, window=_ARMS_WINDOW)
    _, sipri_last = DATASETS["sipri_tiv"].years or (None, hi)
    out = []
    for year in span:
        here = frame[frame.year == year]
        if not ((here.ccode1 == ca).any() and (here.ccode1 == cb).any()):
            continue  # not both in the system this year
        row: dict[str, Any] = {"year": year}
        trade: tuple[Any, Any] = (None, None)
        if dep is not None:
            this = dep[dep.year == year]
            trade = (
                json_ready(this[this.ccode1 == ca].share1.iloc[0]),
                json_ready(this[this.ccode1 == cb].share1.iloc[0]),
            )
        row["target_trade_share"], row["partner_trade_share"] = trade
        arms: tuple[Any, Any] = (None, None)
        window = (
            None if transfers is None else transfers.year.between(year - _ARMS_WINDOW + 1, year)
        )
        if shares is not None and window is not None and window.any():
            this = shares[shares.year == year]

            def share(s: int, r: int, this: pd.DataFrame = this, year: int = year) -> Any:
                hit = this[(this.supplier_cown == s) & (this.recipient_cown == r)]
                if len(hit):
                    return json_ready(hit["import_share"].iloc[0])
                return 0.0 if year <= sipri_last else None

            arms = (share(cb, ca), share(ca, cb))
        row["target_arms_import_share"], row["partner_arms_import_share"] = arms
        agree = None
        if {"un_votes", "un_roll_calls"} <= tables:
            votes = queries.un_votes(con, year=year, states=(ca, cb))[["rcid", "ccode", "vote"]]
            result = vote_affinity(votes) if not votes.empty else pd.DataFrame()
            if len(result):
                hit = result[(result.ccode1 == ca) & (result.ccode2 == cb)]
                agree = json_ready(hit["agree"].iloc[0]) if len(hit) else None
        row["un_agreement"] = agree
        out.append(row)
    return out


def _first(profile: DyadProfile, prefix: str) -> ProfileRow | None:
    """The first row whose measure starts with ``prefix`` (its label ends with a window
    or a count), or None."""
    return next((r for r in profile.rows if r.measure.startswith(prefix)), None)
