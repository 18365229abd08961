"""A panel written to a file, atomically, in the format its extension names.

``.parquet`` and ``.csv`` are written by DuckDB straight from the panel's SQL (Parquet
with the panel's metadata); ``.feather`` / ``.arrow`` from its Arrow table, metadata in
the schema; ``.dta`` is Stata 118 with each variable's label from the column table
(:mod:`alliances.world.columns`). :meth:`alliances.world.panel.DyadYears.to_file` and
the state-year and member-year panels' write through :func:`write_panel`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, Protocol

import duckdb
import pandas as pd
import pyarrow as pa
from pyarrow import feather

from alliances._files import atomic_path
from alliances.errors import DataError, OutputError
from alliances.world.columns import column
from alliances.world.names import Naming, check_naming, output_names

__all__ = ["OUTPUT_FORMATS", "write_panel"]

OUTPUT_FORMATS = (".parquet", ".csv", ".dta", ".feather", ".arrow")
"""The extensions a panel can be written to, each its format."""


class _Panel(Protocol):
    """What writing needs of a panel (:class:`alliances.world.panel.DyadYears` …)."""

    @property
    def con(self) -> duckdb.DuckDBPyConnection: ...
    @property
    def system(self) -> str: ...
    @property
    def years(self) -> tuple[int, int]: ...

    def sql(self) -> str: ...
    def columns(self) -> list[str]: ...
    def metadata(self) -> dict[str, str]: ...
    def to_arrow(self, *, names: Naming = ...) -> pa.Table: ...
    def to_pandas(
        self, dtype_backend: Literal["pyarrow", "numpy", "numpy_nullable", "float"] = ...,
        *, names: Naming = ...,
    ) -> pd.DataFrame: ...  # fmt: skip


def write_panel(panel: _Panel, path: str | os.PathLike[str], *, names: Naming) -> Path:
    """Write ``panel`` to ``path`` (see the module), its columns named by ``names``;
    nothing is left at ``path`` if the write fails. Returns the path written."""
    check_naming(names)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        known = f"{', '.join(OUTPUT_FORMATS[:-1])} or {OUTPUT_FORMATS[-1]}"
        msg = f"{target}: expected a file name ending in {known} (its format)"
        raise DataError(msg)
    output_names(panel.columns(), names)  # a clash of names fails before any write
    with atomic_path(target) as tmp:
        if suffix in (".parquet", ".csv"):
            _copy(panel, target, tmp, suffix, names)
        elif suffix == ".dta":
            _to_stata(panel, tmp, names)
        else:
            feather.write_feather(panel.to_arrow(names=names), str(tmp))
    return target


def _named_sql(panel: _Panel, names: Naming) -> str:
    """The panel's SQL with the columns renamed to the naming ``names``."""
    ours = panel.columns()
    out = output_names(ours, names)
    if out == ours:
        return panel.sql()
    select = ", ".join(f'n."{c}" AS "{n}"' for c, n in zip(ours, out, strict=True))
    return f"SELECT {select} FROM ({panel.sql()}) n"


def _copy(panel: _Panel, target: Path, tmp: Path, suffix: str, names: Naming) -> None:
    quoted = str(tmp).replace("'", "''")
    options = "FORMAT CSV, HEADER"
    if suffix == ".parquet":
        pairs = ", ".join(
            f"'{k}': '{v.replace(chr(39), chr(39) * 2)}'" for k, v in panel.metadata().items()
        )
        options = f"FORMAT PARQUET, KV_METADATA {{{pairs}}}"
    try:
        panel.con.execute(f"COPY ({_named_sql(panel, names)}) TO '{quoted}' ({options})")
    except duckdb.IOException as error:
        msg = f"{target}: cannot write the panel: {error}"
        if "space" in str(error).lower():
            msg = f"{target}: cannot write the panel: the disk is full"
        raise OutputError(msg) from None


def _to_stata(panel: _Panel, tmp: Path, names: Naming) -> None:
    ours = panel.columns()
    frame = panel.to_pandas(dtype_backend="numpy", names=names)
    # pandas writes nullable integers with Stata's missing value "."
    labels: dict[Any, str] = {}
    for name, written in zip(ours, frame.columns, strict=True):
        spec = column(name)
        labels[written] = spec.label if spec else name
    frame.attrs = {}
    first, last = panel.years
    frame.to_stata(
        tmp,
        write_index=False,
        version=118,
        variable_labels=labels,
        data_label=f"alliances panel, {panel.system.upper()} {first}-{last}",
    )
