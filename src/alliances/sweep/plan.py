"""What a sweep computes: its parameters, its triads and its shards.

A sweep's result depends on its parameters only (:class:`WedgeSweep`, :class:`AlignSweep`)
and on the data; how it is run (workers, scheduler) is not a parameter. Its work is cut
into shards (one year, or one part of a year's triads), each written to one Parquet file,
so that a sweep can stop anywhere and resume. The triads of a year are priced on the
same common random numbers, seeded by the sweep's seed and the year
(:func:`~alliances.sweep.tasks.common_draws`); a triad's own seed (:func:`triad_seed`)
seeds its Sobol' points. No number depends on the shards, the workers or the order in
which shards finish.
"""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from alliances import countries
from alliances._values import is_bool, whole_number, year_pair
from alliances.errors import AlliancesError, ParameterError
from alliances.world import queries

__all__ = [
    "AlignSweep",
    "Shard",
    "WedgeSweep",
    "empty_years",
    "parse_pairs",
    "parse_states",
    "parse_years",
    "shards",
    "triad_seed",
    "year_list",
]

FIRST_YEAR, LAST_YEAR = 1816, 2030
SHARD_SIZE = 2000  # triads per shard: about 20 s of work on one core


@dataclass(frozen=True)
class WedgeSweep:
    """The parameters of a wedge sweep: every (divider, target, partner) of ``years``.

    ``dividers`` is ``"majors"`` (the COW major powers of each year outside the pair) or
    COW codes; ``pairs`` is ``"atop"`` (every directed pair with an ATOP obligation that
    year, the target being the one that would leave) or (target, partner) COW codes.
    """

    years: tuple[int, int]
    dividers: str | tuple[int, ...] = "majors"
    pairs: str | tuple[tuple[int, int], ...] = "atop"
    samples: int = 2000
    seed: int = 0
    sobol: int = 0
    shard_size: int = SHARD_SIZE
    kind: Literal["wedge"] = field(default="wedge", init=False)
    # How the draws are made, recorded so that a folder of another version is refused
    # rather than mixed: "common", the year's common random numbers (0.3.0 on); folders
    # of 0.2.0 and before have none (each triad drew its own, from its triad_seed).
    draws: Literal["common"] = field(default="common", init=False)

    def __post_init__(self) -> None:
        # checked here, at the edge: a run must not find out in a worker (samples=0)
        _set(self, "years", year_pair(self.years, "years", FIRST_YEAR, LAST_YEAR))
        if not (isinstance(self.dividers, str) and self.dividers == "majors"):
            _set(self, "dividers", _codes("dividers", self.dividers, "majors", width=None))
        if not (isinstance(self.pairs, str) and self.pairs == "atop"):
            _set(self, "pairs", _codes("pairs", self.pairs, "atop", width=2))
        for name, low in (("samples", 2), ("seed", 0), ("sobol", 0), ("shard_size", 1)):
            _set(self, name, _at_least(name, getattr(self, name), low))
        if self.sobol & (self.sobol - 1):
            msg = f"sobol={self.sobol}: expected 0 or a power of 2, such as 1024"
            raise ParameterError(msg)

    def params(self) -> dict[str, Any]:
        """The parameters as JSON-ready values (the manifest compares these)."""
        data = asdict(self)
        data["years"] = list(self.years)
        if not isinstance(self.dividers, str):
            data["dividers"] = list(self.dividers)
        if not isinstance(self.pairs, str):
            data["pairs"] = [list(p) for p in self.pairs]
        return data


@dataclass(frozen=True)
class AlignSweep:
    """The parameters of an alignment sweep: the world's minimum-energy blocs each year,
    and the systemic wedge price of the (divider, target) ``pairs``."""

    years: tuple[int, int]
    pairs: tuple[tuple[int, int], ...] = ()
    time_limit: float = 60.0
    kind: Literal["align"] = field(default="align", init=False)

    def __post_init__(self) -> None:
        _set(self, "years", year_pair(self.years, "years", FIRST_YEAR, LAST_YEAR))
        _set(self, "pairs", _codes("pairs", self.pairs, None, width=2))
        if is_bool(self.time_limit) or not (
            isinstance(self.time_limit, numbers.Real) and self.time_limit > 0
        ):
            msg = f"time_limit={self.time_limit!r}: expected a number of seconds above 0"
            raise ParameterError(msg)
        _set(self, "time_limit", float(self.time_limit))

    def params(self) -> dict[str, Any]:
        data = asdict(self)
        data["years"] = list(self.years)
        data["pairs"] = [list(p) for p in self.pairs]
        return data


@dataclass(frozen=True)
class Shard:
    """One unit of work: a year's triads (wedge) or a year (align), part ``part``."""

    kind: str
    year: int
    part: int
    triads: tuple[tuple[int, int, int], ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.year}-{self.part}"

    @property
    def file(self) -> str:
        """The shard's file, relative to the sweep's folder."""
        return f"{self.kind}/year={self.year}/part-{self.part}.parquet"


def triad_seed(seed: int, year: int, divider: int, target: int, partner: int) -> int:
    """The seed of one triad's draws: the first 63 bits of the state of
    ``SeedSequence([seed, year, divider, target, partner])``.

    It depends on the sweep's seed and the triad only, so a triad has the same numbers
    in any shard, on any worker, and ``wedge(draft, seed=triad_seed(...))`` reproduces
    them.

    >>> triad_seed(0, 2010, 2, 365, 710) == triad_seed(0, 2010, 2, 365, 710)
    True
    >>> triad_seed(0, 2010, 2, 365, 710) != triad_seed(1, 2010, 2, 365, 710)
    True
    """
    entropy = [int(seed), int(year), int(divider), int(target), int(partner)]
    state = np.random.SeedSequence(entropy).generate_state(1, dtype=np.uint64)[0]
    return int(state) >> 1


def _set(spec: object, name: str, value: object) -> None:
    object.__setattr__(spec, name, value)  # a frozen spec, normalised once when made


def _codes(name: str, value: object, word: str | None, width: int | None) -> tuple[Any, ...]:
    """``value`` as a tuple of COW codes (``width=None``) or of ``width``-tuples of them;
    NumPy integers and whole floats are read as the integers they are."""
    rows = np.asarray(value, dtype=object) if not isinstance(value, str | bytes) else None
    if rows is not None and rows.size == 0 and word is None:
        return ()  # none asked (an alignment sweep's optional pairs)
    shape_ok = rows is not None and (
        rows.ndim == 1 if width is None else rows.ndim == 2 and rows.shape[1] == width
    )
    codes = [whole_number(v) for v in rows.ravel()] if rows is not None and shape_ok else [None]
    if None in codes or any(c is not None and c < 1 for c in codes):
        shape = "COW codes, such as (2, 365)" if width is None else "(target, partner) COW codes"
        either = f"{word!r} or " if word else ""
        msg = f"{name}={value!r:.60}: expected {either}{shape}, whole numbers"
        raise ParameterError(msg)
    ints = [int(c) for c in codes if c is not None]
    if width is None:
        return tuple(ints)
    return tuple(tuple(ints[i : i + width]) for i in range(0, len(ints), width))


def _at_least(name: str, value: object, low: int) -> int:
    number = whole_number(value)
    if number is None or number < low:
        msg = f"{name}={value!r}: expected a whole number, {low} or more"
        raise ParameterError(msg)
    return number


def parse_years(text: str) -> tuple[int, int]:
    """``"2000:2014"`` (or one year, ``"2010"``) as (first, last), inclusive."""
    parts = text.split(":")
    try:
        first, last = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, -1)
    except ValueError:
        first, last = 0, -1
    if not (FIRST_YEAR <= first <= last <= LAST_YEAR):
        msg = (
            f"--years {text!r}: expected FIRST:LAST with {FIRST_YEAR} <= FIRST <= LAST <= "
            f"{LAST_YEAR}, such as 2000:2014"
        )
        raise ParameterError(msg)
    return first, last


def _cow(ref: str, option: str) -> int:
    try:
        country = countries.resolve(int(ref) if ref.strip().isdigit() else ref.strip())
    except (AlliancesError, ValueError) as error:
        msg = f"{option}: {error}"
        raise ParameterError(msg) from None
    if country.cow is None:
        msg = f"{option}: {country.name} has no COW code, so the world data cannot describe it"
        raise ParameterError(msg)
    return int(country.cow)


def parse_states(text: str, option: str = "--dividers") -> str | tuple[int, ...]:
    """``"majors"`` or comma-separated states (names, ISO or COW codes) as COW codes."""
    if text.strip().lower() == "majors":
        return "majors"
    codes = tuple(sorted({_cow(part, option) for part in text.split(",") if part.strip()}))
    if not codes:
        msg = f"{option} {text!r}: expected 'majors' or states such as USA,CHN"
        raise ParameterError(msg)
    return codes


def parse_pairs(text: str, option: str = "--pairs", *, atop: bool = True) -> Any:
    """``"atop"`` or comma-separated ``A-B`` pairs of states (COW codes or ISO codes,
    such as ``365-630`` or ``RUS-IRN``) as (A, B) COW codes, in the order given."""
    if atop and text.strip().lower() == "atop":
        return "atop"
    pairs = []
    for item in (p for p in text.split(",") if p.strip()):
        ends = item.split("-")
        if len(ends) != 2 or not all(e.strip() for e in ends):
            msg = f"{option}: {item!r} is not a pair; write A-B, such as RUS-IRN or 365-630"
            raise ParameterError(msg)
        a, b = _cow(ends[0], option), _cow(ends[1], option)
        if a == b:
            msg = f"{option}: {item!r} pairs a state with itself"
            raise ParameterError(msg)
        pairs.append((a, b))
    if not pairs:
        msg = f"{option} {text!r}: expected {'atop or ' if atop else ''}pairs such as RUS-IRN"
        raise ParameterError(msg)
    return tuple(dict.fromkeys(pairs))


def _triads(con: duckdb.DuckDBPyConnection, spec: WedgeSweep) -> pd.DataFrame:
    """Every (year, divider, target, partner) of the sweep, sorted."""
    if spec.pairs == "atop":
        pairs = queries.atop_pairs(con, spec.years).rename(
            columns={"ccode1": "target", "ccode2": "partner"}
        )
    else:
        given = pd.DataFrame(list(spec.pairs), columns=["target", "partner"])
        years = pd.DataFrame({"year": range(spec.years[0], spec.years[1] + 1)})
        pairs = years.merge(given, how="cross")
    if spec.dividers == "majors":
        dividers = queries.major_powers(con, spec.years).rename(columns={"ccode": "divider"})
    else:
        years = pd.DataFrame({"year": range(spec.years[0], spec.years[1] + 1)})
        dividers = years.merge(pd.DataFrame({"divider": list(spec.dividers)}), how="cross")
    triads = pairs.merge(dividers, on="year")
    triads = triads[(triads.divider != triads.target) & (triads.divider != triads.partner)]
    return (
        triads[["year", "divider", "target", "partner"]]
        .astype("int64")
        .sort_values(["year", "target", "partner", "divider"])
        .reset_index(drop=True)
    )


def shards(con: duckdb.DuckDBPyConnection, spec: WedgeSweep | AlignSweep) -> list[Shard]:
    """The shards of a sweep, in order: for a wedge sweep, each year's triads cut into
    parts of ``shard_size`` (a year without triads has none); for an alignment sweep,
    one shard per year."""
    first, last = spec.years
    if isinstance(spec, AlignSweep):
        held = queries.years_held(con, "cow_ddy") or (first, last)
        years = range(max(first, held[0]), min(last, held[1]) + 1)
        return [Shard("align", year, 0) for year in years]
    out = []
    for year, rows in _triads(con, spec).groupby("year", sort=True):
        triads = [
            (int(d), int(t), int(p))
            for d, t, p in rows[["divider", "target", "partner"]].itertuples(index=False)
        ]
        for part, start in enumerate(range(0, len(triads), spec.shard_size)):
            chunk = tuple(triads[start : start + spec.shard_size])
            out.append(Shard("wedge", int(str(year)), part, chunk))
    return out


def _spans(
    con: duckdb.DuckDBPyConnection, spec: WedgeSweep | AlignSweep
) -> list[tuple[str, int, int]]:
    """The years the store's data cover for what ``spec`` takes from them: (what, first
    year, last year) of the COW state system (an alignment sweep), the COW major powers
    (``dividers="majors"``) and the ATOP obligations (``pairs="atop"``)."""
    wanted = []
    if isinstance(spec, AlignSweep):
        wanted.append(("COW state-system dyads (the states aligned)", "cow_ddy"))
    elif spec.dividers == "majors":
        wanted.append(("COW major powers (the dividers)", "cow_majors"))
    if spec.pairs == "atop":
        wanted.append(("ATOP alliances (the pairs)", "atop_alliance"))
    return [(what, *held) for what, table in wanted if (held := queries.years_held(con, table))]


def year_list(years: list[int]) -> str:
    """Years as runs: ``[2015, 2016, 2017, 2020]`` is ``"2015–2017, 2020"``."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def empty_years(
    con: duckdb.DuckDBPyConnection, spec: WedgeSweep | AlignSweep, planned: list[Shard]
) -> tuple[list[int], str | None]:
    """The years of ``spec`` that give no shard (no triad to price, no state system to
    align), given its ``planned`` shards, and a note that names them and why: outside the
    years the store's data cover for the sweep (:func:`_spans`), or no divider outside a
    pair. ``([], None)`` when every year gives shards.

    Raises :class:`~alliances.errors.ParameterError` with that note when no year does:
    such a sweep would compute nothing.
    """
    nothing = "no triad to price" if isinstance(spec, WedgeSweep) else "no state system to align"
    first, last = spec.years
    held = {shard.year for shard in planned}
    empty = [year for year in range(first, last + 1) if year not in held]
    if not empty:
        return [], None
    spans = _spans(con, spec)
    outside = [y for y in empty if any(not lo <= y <= hi for _, lo, hi in spans)]
    inside = [y for y in empty if y not in outside]
    reasons = []
    if outside:
        cover = "; ".join(f"the {what} cover {lo}–{hi}" for what, lo, hi in spans)
        be = "is" if len(outside) == 1 else "are"
        reasons.append(
            f"{year_list(outside)} {be} outside the years the store's data cover for this "
            f"sweep: {cover}"
        )
    if inside:
        have = "has" if len(inside) == 1 else "have"
        reasons.append(
            f"{year_list(inside)} {have} no triad: no allied pair that year, or no divider "
            "outside a pair"
        )
    years = f"years=({first}, {last})"
    if len(empty) == last - first + 1:
        usable = ""
        if spans:
            lo, hi = max(s[1] for s in spans), min(s[2] for s in spans)
            usable = f". Choose years within {lo}–{hi}" if lo <= hi else ""
        msg = f"{years}: every year gives {nothing}. {'. '.join(reasons)}{usable}."
        raise ParameterError(msg)
    swept = last - first + 1 - len(empty)
    give, be = ("gives", "is") if len(empty) == 1 else ("give", "are")
    note = (
        f"{years}: {year_list(empty)} {give} {nothing} and {be} left out (the "
        f"sweep runs the other {f'{swept} years' if swept > 1 else 'year'}). "
        f"{'. '.join(reasons)}."
    )
    return empty, note
