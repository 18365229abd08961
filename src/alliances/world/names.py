"""Column namings of the panels: ours, and peacesciencer's for users moving over.

A panel's columns have our names (``cowmid_onset``, ``shared_igos``, ``polity2_1``).
``to_pandas(names="peacesciencer")``, ``to_file(..., names="peacesciencer")`` and
``alliances panel --names peacesciencer`` give instead the name peacesciencer 1.2.9
(Miller 2022 [1]_) gives the same quantity (``cowmidonset``, ``dyadigos``,
``polity21``), so that an R user's script finds its columns. :data:`PEACESCIENCER` is
the one table of the renaming: our column, peacesciencer's, and the peacesciencer
function that makes it. A column is in the table only where the two hold the same
quantity, from the same source, in the same units and direction; every other column
keeps our name, and :data:`NO_COUNTERPART` says why. docs/crosswalk.md is the table
with the differences that remain (coverage, rounding, rules).

The table is by stem, as :data:`alliances.world.columns.COLUMNS`: a column of one side
of a dyad takes peacesciencer's stem with the side's digit appended, as its dyad-year
functions name them (``polity2_1`` → ``polity21``, ``gdp2`` → ``pwtrgdp2``).

>>> peacesciencer_name("cowmid_onset"), peacesciencer_name("polity2_1")
('cowmidonset', 'polity21')
>>> peacesciencer_name("arms_exports_tiv")  # no counterpart: our name
'arms_exports_tiv'
>>> output_names(["ccode1", "ccode2", "year", "shared_igos"], "peacesciencer")
['ccode1', 'ccode2', 'year', 'dyadigos']

References
----------
.. [1] Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
   research. *Conflict Management and Peace Science* 39(6): 755–779.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, cast, get_args

from alliances.errors import DataError
from alliances.world.columns import stem_and_side

__all__ = [
    "NAMINGS",
    "NO_COUNTERPART",
    "PEACESCIENCER",
    "Counterpart",
    "Naming",
    "check_naming",
    "output_names",
    "peacesciencer_name",
]

Naming = Literal["alliances", "peacesciencer"]
"""A naming of the output columns."""

NAMINGS: tuple[str, ...] = get_args(Naming)
"""The values of ``names=`` (and of ``--names``): ``"alliances"``, the default, is ours."""


@dataclass(frozen=True)
class Counterpart:
    """One of our columns (by stem) and peacesciencer's name for the same quantity.

    Attributes
    ----------
    ours : str
        Our column, as in :data:`alliances.world.columns.COLUMNS`.
    peacesciencer : str
        peacesciencer 1.2.9's name for it (its state-year name for a stem that has a side).
    function : str
        The peacesciencer function that adds the column.
    """

    ours: str
    peacesciencer: str
    function: str


def _same(function: str, *names: str) -> tuple[Counterpart, ...]:
    return tuple(Counterpart(n, n, function) for n in names)


PEACESCIENCER: tuple[Counterpart, ...] = (
    # keys
    *_same("create_stateyears", "ccode", "gwcode", "year"),
    # alliances: directed in both (row A, B: A's obligations to B)
    *_same(
        "add_atop_alliance",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
    ),
    # trade: flow1 is ccode1's imports from ccode2 in the directed data the dyad-year
    # function reads; flow2 ccode2's imports from ccode1, i.e. ccode1's exports to ccode2
    Counterpart("trade_imports", "flow1", "add_cow_trade"),
    Counterpart("trade_exports", "flow2", "add_cow_trade"),
    *_same("add_cow_trade", "imports", "exports"),
    # IGOs
    Counterpart("shared_igos", "dyadigos", "add_igos"),
    Counterpart("igos_full", "sum_igo_full", "add_igos"),
    Counterpart("igos_any", "sum_igo_anytype", "add_igos"),
    # geography
    *_same("add_contiguity", "conttype"),
    *_same("add_minimum_distance", "mindist"),
    *_same("add_capital_distance", "capdist", "mincapdist"),
    # state attributes
    *_same("add_nmc", "cinc", "milex", "milper", "tpop", "irst", "pec", "upop"),
    Counterpart("gdp", "pwtrgdp", "add_sim_gdp_pop"),
    Counterpart("pop", "pwtpop", "add_sim_gdp_pop"),
    Counterpart("gdppc", "mrgdppc", "add_sim_gdp_pop"),
    *_same("add_democracy", "v2x_polyarchy", "polity2", "euds"),
    *_same("add_latent_territorial_threat", "lterrthreat"),
    *_same("add_cow_majors", "cowmaj"),
    # conflict
    Counterpart("tss_rivalry", "ongoingrivalry", "add_strategic_rivalries"),
    Counterpart("cowmid_onset", "cowmidonset", "add_cow_mids"),
    Counterpart("cowmid_ongoing", "cowmidongoing", "add_cow_mids"),
    # the dispute add_cow_mids keeps, as cow_mid_ddydisps names its columns
    *(
        Counterpart(f"cowmid_{c}", c, "add_cow_mids")
        for c in ("dispnum", "fatality", "mindur", "maxdur", "recip", "stmon")
    ),
    *(
        Counterpart(f"cowmid_{c}{side}", f"{c}{side}", "add_cow_mids")
        for c in ("sidea", "orig", "fatality", "fatalpre", "hiact", "hostlev")
        for side in ("1", "2")
    ),
    Counterpart("gmlmid_onset", "gmlmidonset", "add_gml_mids"),
    Counterpart("gmlmid_ongoing", "gmlmidongoing", "add_gml_mids"),
    *_same("add_spells", "cowmidspell", "gmlmidspell"),
    Counterpart("war", "cowinterongoing", "add_cow_wars"),
    *_same("add_ucdp_acd", "ucdpongoing", "ucdponset"),
    Counterpart("ucdp_maxintensity", "maxintensity", "add_ucdp_acd"),
)
"""Every column of ours with a peacesciencer counterpart, and its peacesciencer name."""

_FPSIM = "add_fpsim's nearest measures (sallyvua, kallyv …) are not checked equal"

NO_COUNTERPART: dict[str, str] = {
    "arms_exports_tiv": "peacesciencer has no arms-transfer data",
    "arms_imports_tiv": "peacesciencer has no arms-transfer data",
    "idealpoint": "peacesciencer has no UNGA ideal points",
    "idealpoint_distance": "peacesciencer has no UNGA ideal points",
    "statename": "peacesciencer's cw_name/gw_name come from isard's system lists, not COW's",
    "stateabb": "peacesciencer adds no state abbreviation",
    "cowmid_hostlev": "add_cow_mids and add_gml_mids both call it hostlev",
    "gmlmid_hostlev": "add_cow_mids and add_gml_mids both call it hostlev",
    "cowmid_disputes": "peacesciencer keeps one dispute per dyad-year and does not count them",
    "gmlmid_disputes": "peacesciencer keeps one dispute per dyad-year and does not count them",
    "cowmidspell2": "add_spells makes no squared or cubed spell",
    "cowmidspell3": "add_spells makes no squared or cubed spell",
    "gmlmidspell2": "add_spells makes no squared or cubed spell",
    "gmlmidspell3": "add_spells makes no squared or cubed spell",
    "ucdp_interstate_ongoing": "add_ucdp_acd has no dyad-year form",
    "ucdp_interstate_onset": "add_ucdp_acd has no dyad-year form",
    "atopid": "peacesciencer has no ATOP member-years",
    "start_year": "peacesciencer has no ATOP member-years",
    "exit_early": "peacesciencer has no ATOP member-years",
    "exit_class": "peacesciencer has no ATOP member-years",
    "atop_exit": "peacesciencer has no ATOP member-years",
    "portfolio_s_abs": _FPSIM,
    "portfolio_s_sq": _FPSIM,
    "portfolio_pi": _FPSIM,
    "portfolio_kappa": _FPSIM,
    "portfolio_taub": _FPSIM,
}
"""Our columns that keep their name in every naming, and why."""

_BY_OURS: dict[str, str] = {c.ours: c.peacesciencer for c in PEACESCIENCER}


def check_naming(names: str) -> Naming:
    """``names`` if it is a known naming, else a :class:`~alliances.errors.DataError`.

    >>> check_naming("peacesciencer")
    'peacesciencer'
    >>> check_naming("stata")
    Traceback (most recent call last):
    ...
    alliances.errors.DataError: names='stata' should be one of: 'alliances', 'peacesciencer'
    """
    for naming in get_args(Naming):
        if names == naming:
            return cast("Naming", naming)
    msg = f"names={names!r} should be one of: {', '.join(map(repr, NAMINGS))}"
    raise DataError(msg)


def peacesciencer_name(name: str) -> str:
    """peacesciencer's name for our column ``name``; ``name`` itself where there is none.

    >>> peacesciencer_name("trade_imports"), peacesciencer_name("gdp2")
    ('flow1', 'pwtrgdp2')
    >>> peacesciencer_name("cowmidspell2"), peacesciencer_name("atop_exit1")
    ('cowmidspell2', 'atop_exit1')
    """
    if name in _BY_OURS:
        return _BY_OURS[name]
    if name in NO_COUNTERPART:
        return name
    split = stem_and_side(name)
    if split is not None and split[0] in _BY_OURS:
        return _BY_OURS[split[0]] + split[1]
    return name


def output_names(columns: Iterable[str], names: str = "alliances") -> list[str]:
    """The names ``columns`` are written under in the naming ``names``.

    Raises :class:`~alliances.errors.DataError` for an unknown naming, or when two
    columns would get the same name (a column added by ``with_frame`` that already has
    a peacesciencer name, say).
    """
    naming = check_naming(names)
    columns = list(columns)
    if naming == "alliances":
        return columns
    out = [peacesciencer_name(c) for c in columns]
    twice = [n for n, k in Counter(out).items() if k > 1]
    if twice:
        pairs = ", ".join(f"{c} → {n}" for c, n in zip(columns, out, strict=True) if n in twice)
        msg = f"names={naming!r} would give two columns the same name ({pairs}); rename one"
        raise DataError(msg)
    return out
