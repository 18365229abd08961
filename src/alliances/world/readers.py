"""Readers of the published formats: R data (``.rda``), Stata (``.dta``) and CSV.

Each reader returns a pandas DataFrame with integer codes and years, checks the columns
the registry says it must have, and raises :class:`~alliances.errors.DataError` naming the
file and what was expected when it cannot. Country names (SIPRI, UN votes) are mapped to
COW codes through :mod:`alliances.countries`; names that match no state are returned in
``unmatched`` rather than silently dropped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alliances import countries
from alliances.errors import DataError, UnknownCountryError
from alliances.world.registry import Dataset

__all__ = ["Loaded", "cow_code", "read"]

_INTEGER = re.compile(
    r"^(c?code\w*|gwcode\w*|gwno_\w+|year|styear|endyear|start|end|session|rcid|dispnum|"
    r"warnum|atopid|member|yrent|yrexit|begyr|endyr|conflict_id|race_id|tssr_id|"
    r"rivalryno|supplier_cown|recipient_cown|ionum)$"
)


@dataclass
class Loaded:
    """A dataset read from its files."""

    frame: pd.DataFrame
    unmatched: list[str] = field(default_factory=list)


def read(spec: Dataset, paths: list[Path]) -> Loaded:
    """Read ``spec`` from ``paths`` (its files, resolved in the data directory)."""
    reader = _READERS[spec.reader]
    try:
        loaded = reader(spec, paths)
    except DataError:
        raise
    except Exception as error:  # a corrupt or truncated file, whatever the library says
        msg = f"{paths[0]}: cannot read {spec.title} ({spec.reader}): {error}"
        raise DataError(msg) from None
    loaded.frame = _integers(loaded.frame)
    return loaded


def _check(frame: pd.DataFrame, spec: Dataset, path: Path) -> pd.DataFrame:
    missing = [c for c in spec.columns if c and c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:12]))
        msg = (
            f"{path}: expected columns {', '.join(missing)} for {spec.title}, "
            f"found {found}{'…' if len(frame.columns) > 12 else ''}"
        )
        raise DataError(msg)
    return frame


def _integers(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name, column in frame.items():
        if _INTEGER.match(str(name)) and pd.api.types.is_float_dtype(column):
            values = column.to_numpy()
            whole = np.isnan(values) | (np.mod(np.nan_to_num(values), 1) == 0)
            if whole.all():
                column = column.astype("Int64")
        out[name] = column
    return pd.DataFrame(out)


def _rda(spec: Dataset, paths: list[Path]) -> Loaded:
    import pyreadr

    path = paths[0]
    objects = pyreadr.read_r(path)
    if not objects:
        msg = f"{path}: expected an R data frame for {spec.title}, found no readable object"
        raise DataError(msg)
    frame = next(iter(objects.values()))
    return Loaded(_check(frame, spec, path))


def _csv(spec: Dataset, paths: list[Path], **options: object) -> Loaded:
    path = paths[0]
    frame = pd.read_csv(path, low_memory=False, **options)
    _complete_last_line(path, len(frame.columns), str(options.get("encoding", "utf-8")))
    return Loaded(_check(frame, spec, path))


def _complete_last_line(path: Path, fields: int, encoding: str) -> None:
    """A file cut in the middle of a row has a last line with fewer fields than the header."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(handle.tell() - 65536, 0))
        lines = [line for line in handle.read().splitlines() if line.strip()]
    if not lines:
        return
    last = next(csv.reader([lines[-1].decode(encoding, errors="replace")]))
    if len(last) < fields:
        msg = (
            f"{path}: the last line has {len(last)} fields, expected {fields} as in the "
            "header; the file may be truncated"
        )
        raise DataError(msg)


def _dta(spec: Dataset, paths: list[Path]) -> Loaded:
    return Loaded(_check(pd.read_stata(paths[0]), spec, paths[0]))


def cow_code(name: str, year: int | None = None) -> int | None:
    """The COW number of a state named ``name`` (in ``year``), or None if none matches.

    Two corrections to the code list: COW numbers Germany 255 except from 1955 to 1990,
    when the Federal Republic is 260; and COW continues Yugoslavia (345) as Serbia.
    Names SIPRI marks as non-state actors (ending in ``*`` or ``**``) have no code.
    """
    if "*" in name or name.strip().lower() in _NOT_STATES:
        return None
    try:
        country = countries.resolve(name)
    except UnknownCountryError:
        return None
    if country.cow == 255 and year is not None and 1955 <= year <= 1990:
        return 260
    return _COW_SUCCESSOR.get(country.code, country.cow)


# SIPRI marks non-state actors with * (rebels) or ** (organisations); these entities
# contain a state's name but are not that state.
_NOT_STATES = {"northern cyprus"}
# States the code list gives no COW number although COW codes them under a predecessor.
_COW_SUCCESSOR = {"SRB": 345}


def _map_names(names: pd.Series, years: pd.Series | None = None) -> tuple[pd.Series, list[str]]:
    """COW codes for a column of names, and the names that matched nothing."""
    if years is None:
        lookup = {n: cow_code(n) for n in names.dropna().unique()}
        codes = names.map(lookup)
    else:
        pairs = pd.DataFrame({"n": names, "y": years}).drop_duplicates().dropna()
        lookup2 = {(n, int(y)): cow_code(n, int(y)) for n, y in pairs.itertuples(index=False)}
        codes = pd.Series(
            [
                lookup2.get((n, int(y))) if pd.notna(y) else None
                for n, y in zip(names, years, strict=True)
            ],
            index=names.index,
        )
    unmatched = sorted(
        {str(n) for n, c in zip(names, codes, strict=True) if pd.notna(n) and pd.isna(c)}
    )
    return codes.astype("Int64"), unmatched


def _sipri_tiv(spec: Dataset, paths: list[Path]) -> Loaded:
    frame = _csv(spec, paths).frame
    frame = frame.drop(columns=[c for c in frame.columns if c.endswith(("_lon", "_lat"))])
    unmatched: list[str] = []
    for side in ("supplier", "recipient"):
        ours, missed = _map_names(frame[side], frame["year"])
        # 360info's code is kept only where our mapping finds none and SIPRI does not
        # mark the name as a non-state actor.
        state = ~frame[side].astype(str).str.contains("*", regex=False)
        theirs = frame[f"{side}_cown"].astype("Int64").where(state)
        frame[f"{side}_cown"] = ours.fillna(theirs)
        unmatched += missed
    return Loaded(frame, sorted(set(unmatched)))


def _sipri_tables(spec: Dataset, paths: list[Path]) -> Loaded:
    parts = []
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as handle:
            title = handle.readline()
        match = re.search(r"arms exports from (.+?), \d{4}-\d{4}", title)
        if not match:
            msg = f"{path}: expected a first line 'TIV of arms exports from <state>, <years>'"
            raise DataError(msg)
        table = pd.read_csv(path, skiprows=10, usecols=range(74), encoding="utf-8")
        table = table.rename(columns={table.columns[0]: "recipient"})
        table = table[table["recipient"].notna() & (table["recipient"] != "Total")]
        long = table.melt(id_vars="recipient", var_name="year", value_name="tiv").dropna()
        long = long[long["year"].astype(str).str.fullmatch(r"\d{4}")]
        long["supplier"] = match[1]
        parts.append(long)
    frame = pd.concat(parts, ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    frame["tiv"] = pd.to_numeric(frame["tiv"], errors="coerce")
    unmatched: list[str] = []
    for side in ("supplier", "recipient"):
        frame[f"{side}_cown"], missed = _map_names(frame[side], frame["year"])
        unmatched += missed
    return Loaded(
        frame[["supplier", "recipient", "year", "tiv", "supplier_cown", "recipient_cown"]],
        sorted(set(unmatched)),
    )


def _sipri_register(spec: Dataset, paths: list[Path]) -> Loaded:
    frame = _csv(spec, paths, skiprows=11, encoding="utf-8").frame
    frame.columns = [re.sub(r"\W+", "_", c.strip()).strip("_").lower() for c in frame.columns]
    frame["delivery_year"] = pd.to_numeric(frame["delivery_year"], errors="coerce").astype("Int64")
    unmatched: list[str] = []
    for side in ("supplier", "recipient"):
        frame[f"{side}_cown"], missed = _map_names(frame[side], frame["delivery_year"])
        unmatched += missed
    return Loaded(frame, sorted(set(unmatched)))


def _sipri_milex(spec: Dataset, paths: list[Path]) -> Loaded:
    wide = _csv(spec, paths, encoding="cp1252", na_values=[" ", "", "xxx", ". ."]).frame
    long = wide.melt(id_vars="Country", var_name="year", value_name="milex").dropna()
    long["year"] = long["year"].astype(int)
    long["milex"] = pd.to_numeric(long["milex"], errors="coerce")
    long = long.dropna(subset=["milex"]).rename(columns={"Country": "country"})
    long["ccode"], unmatched = _map_names(long["country"], long["year"])
    return Loaded(long.reset_index(drop=True), unmatched)


def _un_votes(spec: Dataset, paths: list[Path]) -> Loaded:
    frame = _rda(spec, paths).frame
    frame["vote"] = frame["vote"].astype(str)
    calls_path = paths[0].with_name("un_roll_calls.rda")
    years = None
    if calls_path.exists():
        import pyreadr

        calls = next(iter(pyreadr.read_r(calls_path).values()))
        year_of = dict(zip(calls["rcid"], pd.to_datetime(calls["date"]).dt.year, strict=True))
        years = frame["rcid"].map(year_of)
    frame["ccode"], unmatched = _map_names(frame["country"], years)
    return Loaded(frame, unmatched)


def _igo_long(spec: Dataset, paths: list[Path]) -> Loaded:
    wide = _rda(spec, paths).frame
    long = wide.melt(id_vars=["ccode", "year", "state"], var_name="ioname", value_name="status")
    long = long[~long["status"].isin([0, -1]) & long["status"].notna()]
    long["status"] = long["status"].astype("int8")
    return Loaded(long.reset_index(drop=True))


def _igo_meta(spec: Dataset, paths: list[Path]) -> Loaded:
    """The organisation columns of the IGO-year file; its state columns are left out
    (the same memberships are in ``igo_membership``)."""
    frame = _rda(spec, paths).frame
    first_meta = list(frame.columns).index("sdate")
    keep = [*frame.columns[:3], *frame.columns[first_meta:]]
    return Loaded(frame[keep])


_READERS = {
    "rda": _rda,
    "csv": _csv,
    "csv-latin1": lambda spec, paths: _csv(spec, paths, encoding="latin-1"),
    "dta": _dta,
    "sipri-tiv": _sipri_tiv,
    "sipri-tables": _sipri_tables,
    "sipri-register": _sipri_register,
    "sipri-milex": _sipri_milex,
    "un-votes": _un_votes,
    "igo-long": _igo_long,
    "igo-meta": _igo_meta,
}
