"""The documented columns of the panels: dtype, label and source of each.

:data:`COLUMNS` is the one table the panel casts its columns by, the README's covariate
table and the Stata variable labels are written from, and the dtype test checks. A
column of one side of a dyad (``cinc1``, ``polity2_2``) is documented under its stem
(``cinc``, ``polity2``) and labelled with the side.

Dtypes are *nullable* and never decimal or object, whatever the backend:

=======  ========  ===================  ==================================
dtype    DuckDB    ``"pyarrow"``        ``"numpy"`` (``"numpy_nullable"``)
=======  ========  ===================  ==================================
Int8     TINYINT   ``int8[pyarrow]``    ``Int8``
Int16    SMALLINT  ``int16[pyarrow]``   ``Int16``
Int32    INTEGER   ``int32[pyarrow]``   ``Int32``
Float64  DOUBLE    ``double[pyarrow]``  ``float64`` (``Float64``)
string   VARCHAR   ``string[pyarrow]``  ``string``
=======  ========  ===================  ==================================

Flags, counts, codes and years are integers; measures (money, shares, scores,
distances) are floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["COLUMNS", "Column", "column", "sql_type", "stem_and_side", "to_pandas"]

Dtype = Literal["Int8", "Int16", "Int32", "Float64", "string"]


@dataclass(frozen=True)
class Column:
    """A documented panel column: its dtype, a label of at most 80 characters (Stata's
    limit) and the dataset it comes from (``"units"`` for the keys of the panel)."""

    dtype: Dtype
    label: str
    source: str


_SQL: dict[str, str] = {
    "Int8": "TINYINT",
    "Int16": "SMALLINT",
    "Int32": "INTEGER",
    "Float64": "DOUBLE",
    "string": "VARCHAR",
}

_ATOP = "atop_alliance"
_MID = "cow_mid_ddydisps"
_GML = "gml_mid_ddydisps"
_DIR = "cow_mid_dirdisps"
_DISP = "cow_mid_disps"

_MID_SIDES: tuple[tuple[str, Dtype, str], ...] = (
    ("sidea", "Int8", "State {side} on side A, which took the first militarized action (0/1)"),
    ("orig", "Int8", "State {side} an originator, in the dispute from its start (0/1)"),
    ("fatality", "Int8", "Fatality level of state {side} (0-6, -9 unknown)"),
    ("fatalpre", "Int16", "Fatalities of state {side}, precise (-9 unknown)"),
    ("hiact", "Int8", "Highest action of state {side} (0-21)"),
    ("hostlev", "Int8", "Hostility level of state {side} (1-5)"),
)
"""The columns of each side in the COW MID kept for a dyad-year (label without the MID)."""

COLUMNS: dict[str, Column] = {
    # keys
    "ccode": Column("Int16", "COW state code", "units"),
    "gwcode": Column("Int16", "Gleditsch-Ward state code", "units"),
    "year": Column("Int16", "Year", "units"),
    # alliances (directed: obligations of state 1 to state 2)
    "atop_defense": Column("Int8", "ATOP defense obligation of state 1 to state 2 (0/1)", _ATOP),
    "atop_offense": Column("Int8", "ATOP offense obligation of state 1 to state 2 (0/1)", _ATOP),
    "atop_neutral": Column("Int8", "ATOP neutrality pledge of state 1 to state 2 (0/1)", _ATOP),
    "atop_nonagg": Column("Int8", "ATOP non-aggression pledge of state 1 to state 2 (0/1)", _ATOP),
    "atop_consul": Column("Int8", "ATOP consultation pledge of state 1 to state 2 (0/1)", _ATOP),
    # trade and arms
    "trade_imports": Column(
        "Float64", "Imports of state 1 from state 2, current million USD", "cow_trade_ndy"
    ),
    "trade_exports": Column(
        "Float64", "Exports of state 1 to state 2, current million USD", "cow_trade_ndy"
    ),
    "arms_exports_tiv": Column(
        "Float64", "Arms transfers from state 1 to state 2, SIPRI TIV millions", "sipri_tiv"
    ),
    "arms_imports_tiv": Column(
        "Float64", "Arms transfers from state 2 to state 1, SIPRI TIV millions", "sipri_tiv"
    ),
    "shared_igos": Column("Int16", "Number of IGOs both states belong to", "cow_igo_ndy"),
    # geography
    "conttype": Column(
        "Int8", "COW direct contiguity: 1 land ... 5 by 400 miles of water, 0 none", "cow_contdir"
    ),
    "mindist": Column("Float64", "Minimum distance between the states, km", "cow_mindist"),
    "capdist": Column("Float64", "Capital-to-capital great-circle distance, km", "cow_capitals"),
    "mincapdist": Column(
        "Float64", "Distance to the nearest other capital of the system, km", "cow_capitals"
    ),
    # state attributes (one column per side in dyad-years)
    "cinc": Column("Float64", "COW CINC score", "cow_nmc"),
    "milex": Column(
        "Float64",
        "Military expenditure, thousands: current USD from 1914, GBP before (COW NMC)",
        "cow_nmc",
    ),
    "milper": Column("Float64", "Military personnel, thousands (COW NMC)", "cow_nmc"),
    "tpop": Column("Float64", "Total population, thousands (COW NMC)", "cow_nmc"),
    "irst": Column("Float64", "Iron and steel production, thousand tons (COW NMC)", "cow_nmc"),
    "pec": Column(
        "Float64", "Primary energy consumption, thousand coal-ton equivalents (COW NMC)", "cow_nmc"
    ),
    "upop": Column(
        "Float64", "Urban population (cities of 100,000 and more), thousands (COW NMC)", "cow_nmc"
    ),
    "gdp": Column("Float64", "GDP, million 2017 international USD (Fariss et al.)", "cw_gdppop"),
    "pop": Column("Float64", "Population, millions (PWT, via Fariss et al.)", "cw_gdppop"),
    "gdppc": Column("Float64", "GDP per capita (Maddison, via Fariss et al.)", "cw_gdppop"),
    "v2x_polyarchy": Column("Float64", "V-Dem electoral democracy index", "cw_democracy"),
    "polity2": Column("Float64", "Polity2 score (-10 to 10)", "cw_democracy"),
    "euds": Column("Float64", "Extended Unified Democracy Score", "cw_democracy"),
    "imports": Column("Float64", "Total imports, current million USD", "cow_trade_sy"),
    "exports": Column("Float64", "Total exports, current million USD", "cow_trade_sy"),
    "igos_full": Column("Int16", "Number of IGOs with full membership", "cow_igo_sy"),
    "igos_any": Column("Int16", "Number of IGOs with any membership", "cow_igo_sy"),
    "idealpoint": Column("Float64", "UNGA ideal point (Bailey et al.)", "unga_idealpoints"),
    "idealpoint_distance": Column(
        "Float64", "Absolute distance between the two UNGA ideal points", "unga_idealpoints"
    ),
    "lterrthreat": Column("Float64", "Latent external territorial threat", "terrthreat"),
    "cowmaj": Column("Int8", "COW major power (0/1)", "cow_majors"),
    "statename": Column("string", "State name", "cow_states"),
    "stateabb": Column("string", "State abbreviation", "cow_states"),
    # conflict
    "tss_rivalry": Column("Int8", "Thompson-Sakuwa-Suhas rivalry (0/1)", "tss_rivalries"),
    "cowmid_onset": Column("Int8", "COW MID onset in the dyad-year (0/1)", _MID),
    "cowmid_ongoing": Column("Int8", "COW MID ongoing in the dyad-year (0/1)", _MID),
    "cowmid_hostlev": Column("Int8", "Highest COW MID hostility level (0-5)", _MID),
    "cowmid_disputes": Column("Int16", "Number of COW MIDs in the dyad-year", _MID),
    # the COW MID kept for the directed dyad-year (builders.whittled_mids) and its sides
    "cowmid_dispnum": Column(
        "Int16", "COW MID number of the dispute kept for the dyad-year", _DIR
    ),
    "cowmid_fatality": Column(
        "Int8", "Fatality level of the kept COW MID: 0 none, 1-25 ... 6 >999, -9 unknown", _DISP
    ),
    "cowmid_mindur": Column("Int16", "Minimum duration of the kept COW MID, days", _DISP),
    "cowmid_maxdur": Column("Int16", "Maximum duration of the kept COW MID, days", _DISP),
    "cowmid_recip": Column(
        "Int8", "Kept COW MID reciprocated: militarized actions by both sides (0/1)", _DISP
    ),
    "cowmid_stmon": Column("Int8", "Start month of the kept COW MID", _DISP),
    **{
        f"cowmid_{stem}{side}": Column(dtype, f"{label.format(side=side)}, kept COW MID", _DIR)
        for stem, dtype, label in _MID_SIDES
        for side in ("1", "2")
    },
    "gmlmid_onset": Column("Int8", "GML MID onset in the dyad-year (0/1)", _GML),
    "gmlmid_ongoing": Column("Int8", "GML MID ongoing in the dyad-year (0/1)", _GML),
    "gmlmid_hostlev": Column("Int8", "Highest GML MID hostility level (0-5)", _GML),
    "gmlmid_disputes": Column("Int16", "Number of GML MIDs in the dyad-year", _GML),
    "cowmidspell": Column("Int16", "Peace years: years since the last COW MID year", _MID),
    "cowmidspell2": Column("Int32", "Peace years squared (COW MID)", _MID),
    "cowmidspell3": Column("Int32", "Peace years cubed (COW MID)", _MID),
    "gmlmidspell": Column("Int16", "Peace years: years since the last GML MID year", _GML),
    "gmlmidspell2": Column("Int32", "Peace years squared (GML MID)", _GML),
    "gmlmidspell3": Column("Int32", "Peace years cubed (GML MID)", _GML),
    "war": Column("Int8", "COW inter-state war between the two states (0/1)", "cow_war_inter"),
    "ucdpongoing": Column("Int8", "UCDP armed conflict, state as side A (0/1)", "ucdp_acd"),
    "ucdponset": Column("Int8", "UCDP armed conflict onset, state as side A (0/1)", "ucdp_acd"),
    "ucdp_maxintensity": Column(
        "Int8", "UCDP highest intensity: 1 minor, 2 war (missing: no conflict)", "ucdp_acd"
    ),
    "ucdp_interstate_ongoing": Column(
        "Int8", "UCDP inter-state conflict between the two states ongoing (0/1)", "ucdp_acd"
    ),
    "ucdp_interstate_onset": Column(
        "Int8", "UCDP inter-state conflict between the two states: onset (0/1)", "ucdp_acd"
    ),
    # alliance exits (ATOP 4.0 member level; alliances.world.exits)
    "atopid": Column("Int32", "ATOP alliance identifier", "atop_members_v4"),
    "start_year": Column("Int16", "Year the membership began (phases merged)", "atop_members_v4"),
    "exit_early": Column(
        "Int8", "Member left the alliance early on its own account this year", "atop_members_v4"
    ),
    "exit_class": Column(
        "string",
        "How the membership ended, in the year it ended (else missing)",
        "atop_members_v4",
    ),
    "atop_exit": Column(
        "Int8", "Left early this year an ATOP alliance with the other state", "atop_members_v4"
    ),
    # alliance portfolio similarity (studies.portfolio_panel)
    "portfolio_s_abs": Column("Float64", "Alliance portfolio S, absolute distances", _ATOP),
    "portfolio_s_sq": Column("Float64", "Alliance portfolio S, squared distances", _ATOP),
    "portfolio_pi": Column("Float64", "Alliance portfolio Scott's pi (Hage 2011)", _ATOP),
    "portfolio_kappa": Column("Float64", "Alliance portfolio Cohen's kappa (Hage 2011)", _ATOP),
    "portfolio_taub": Column("Float64", "Alliance portfolio Kendall's tau-b", _ATOP),
}
"""Every panel column by name (one side's columns under their stem)."""

_SIDE = re.compile(r"^(?P<stem>.+?)_?(?P<side>[12])$")


def column(name: str) -> Column | None:
    """The documented column ``name`` (``cinc1`` is ``cinc`` of state 1), or None.

    >>> column("polity2_1").label
    'Polity2 score (-10 to 10), state 1'
    >>> column("cowmidspell2").dtype
    'Int32'
    """
    if name in COLUMNS:
        return COLUMNS[name]
    split = stem_and_side(name)
    if split and split[0] in COLUMNS:
        spec = COLUMNS[split[0]]
        side = f", state {split[1]}"
        label = spec.label
        if len(label) + len(side) > 80:
            # cut the label at a word, never the side: Stata's 80 characters must tell
            # milex1 from milex2
            label = label[: 77 - len(side)].rsplit(" ", 1)[0].rstrip(" ,;:(") + "..."
        return Column(spec.dtype, f"{label}{side}", spec.source)
    return None


def stem_and_side(name: str) -> tuple[str, str] | None:
    """The stem and the side of a column of one side of a dyad, or None.

    The side is the final ``1`` or ``2``, after an underscore where the stem ends in a
    digit; whether the stem is a documented column is for the caller to check.

    >>> stem_and_side("polity2_1"), stem_and_side("cinc2"), stem_and_side("year")
    (('polity2', '1'), ('cinc', '2'), None)
    """
    match = _SIDE.match(name)
    return (match["stem"], match["side"]) if match else None


def sql_type(name: str) -> str | None:
    """The DuckDB type the panel casts column ``name`` to (None if undocumented)."""
    spec = column(name)
    return None if spec is None else _SQL[spec.dtype]


_NULLABLE: dict[pa.DataType, tuple[type, str]] = {
    pa.int8(): (pd.arrays.IntegerArray, "int8"),
    pa.int16(): (pd.arrays.IntegerArray, "int16"),
    pa.int32(): (pd.arrays.IntegerArray, "int32"),
    pa.int64(): (pd.arrays.IntegerArray, "int64"),
}


BACKENDS = ("pyarrow", "numpy", "numpy_nullable", "float")
"""The ``dtype_backend`` values of :func:`to_pandas` (pandas' three, and ``"float"``)."""


def to_pandas(table: pa.Table, backend: str = "pyarrow") -> pd.DataFrame:
    """The Arrow ``table`` as a DataFrame of the documented dtypes for a pandas backend.

    ``"pyarrow"`` keeps Arrow types (``int8[pyarrow]`` …); ``"numpy"`` gives nullable
    integers (``Int8`` …), strings (``string``) and NumPy floats (missing is NaN);
    ``"numpy_nullable"`` also nullable floats (``Float64``); ``"float"`` plain NumPy
    columns for models: ``int64`` where no value is missing, ``float64`` with NaN where
    one is, strings as ``object``, so that ``frame[cols].to_numpy()`` is numeric and
    statsmodels' formulas take the frame as it is. The values under a missing entry are
    set to 0, so that a NumPy ufunc never meets the undefined bytes Arrow leaves there
    (``np.log1p`` would warn on them).

    >>> table = pa.table({"n": pa.array([1, None], pa.int8()), "k": pa.array([2, 3], pa.int16())})
    >>> frame = to_pandas(table, "numpy")
    >>> str(frame["n"].dtype), frame["n"].tolist()
    ('Int8', [1, <NA>])
    >>> frame = to_pandas(table, "float")
    >>> [str(t) for t in frame.dtypes], frame.to_numpy().dtype.name
    (['float64', 'int64'], 'float64')
    """
    if backend == "pyarrow":
        return table.to_pandas(types_mapper=pd.ArrowDtype)
    if backend not in BACKENDS:
        msg = f"dtype_backend={backend!r} should be one of: {', '.join(map(repr, BACKENDS))}"
        raise ValueError(msg)
    columns: dict[str, object] = {}
    for name, values in zip(table.column_names, table.columns, strict=True):
        kind = values.type
        missing = values.is_null().to_numpy(zero_copy_only=False)
        if backend == "float" and (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
            data = values.fill_null(0).to_numpy()
            if missing.any() or pa.types.is_floating(kind):
                columns[name] = np.where(missing, np.nan, data.astype("float64"))
            else:
                columns[name] = data.astype("int64")
        elif backend == "float":
            columns[name] = values.to_pandas().astype(object)
        elif kind in _NULLABLE:
            maker, dtype = _NULLABLE[kind]
            data = values.fill_null(0).to_numpy().astype(dtype)
            columns[name] = maker(data, missing)
        elif pa.types.is_floating(kind) and backend == "numpy_nullable":
            data = values.fill_null(0).to_numpy().astype("float64")
            columns[name] = pd.arrays.FloatingArray(data, missing)
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            columns[name] = pd.array(values.to_pylist(), dtype=pd.StringDtype())
        else:
            columns[name] = values.to_pandas()
    return pd.DataFrame(columns)
