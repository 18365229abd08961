"""Every COW and G-W state of ``isard`` (../shared/data/isard) resolves to itself.

``isard`` (Miller, ``svmiller/isard`` v0.2.0) lists every state of the COW system
(``cw_system``) and of the Gleditsch–Ward list (``gw_system``) with its first and last day,
and pairs the two codes year by year (``gw_cw_panel``). A number names one state whatever
the year, so it is resolved once per spell; the check holds for every year of the spell.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from alliances.countries import resolve
from alliances.errors import UnknownCountryError
from conftest import SHARED

pytestmark = pytest.mark.data

ISARD = SHARED / "data" / "isard"


def _read(name: str) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    path = ISARD / f"{name}.rda"
    if not path.exists():
        pytest.skip(f"the isard data are not at {path}")
    return next(iter(pyreadr.read_r(str(path)).values()))


def _spells(name: str, code: str, label: str) -> pd.DataFrame:
    """One row per spell: code, name, first and last year."""
    frame = _read(name)
    return pd.DataFrame(
        {
            "code": frame[code].astype(int),
            "name": frame[label].astype(str),
            "first": pd.to_datetime(frame["start"]).dt.year,
            "last": pd.to_datetime(frame["end"]).dt.year,
        }
    )


SYSTEMS = {"cow": ("cw_system", "ccode", "cw_name"), "gw": ("gw_system", "gwcode", "gw_name")}


def _own_code(country, system: str) -> int | None:
    return country.cow if system == "cow" else country.gw


def _plain(name: str) -> str:
    """isard's name as a reader would write it: "Vietnam, Republic of" is "Republic of
    Vietnam", "Samoa/Western Samoa" is "Samoa", "Germany (Prussia)" is "Germany"."""
    name = re.sub(r"\s*\(.*?\)", "", name).split("/")[0].strip()
    head, comma, tail = name.partition(", ")
    return f"{tail} {head}" if comma else name


@pytest.mark.parametrize("system", ["cow", "gw"])
def test_every_isard_code_resolves_to_itself_in_every_year_of_its_spells(system):
    spells = _spells(*SYSTEMS[system])
    failed = []
    for row in spells.itertuples():
        try:
            country = resolve(row.code, system=system, year=row.first)
        except UnknownCountryError:
            country = None
        if country is None or _own_code(country, system) != row.code:
            failed.append((row.code, row.name, row.first, row.last))
    years = int((spells["last"] - spells["first"] + 1).sum())
    assert years > 15_000  # every state-year of the list is covered
    assert failed == []


def test_the_cow_name_a_gw_state_resolves_to_is_the_one_isard_pairs_it_with():
    """A G-W number gives the COW number ``gw_cw_panel`` pairs with it, where it pairs one
    for all the state's years (G-W 260 is COW 260 to 1990, then Germany, COW 255)."""
    panel = _read("gw_cw_panel").dropna(subset=["gwcode", "ccode"])
    pairs = panel.groupby("gwcode")["ccode"].agg(set)
    failed = []
    for gw, cows in pairs.items():
        if len(cows) == 1:
            country = resolve(int(gw), system="gw")
            if country.cow is not None and country.cow != int(next(iter(cows))):
                failed.append((int(gw), country.name, country.cow, cows))
    assert len(pairs) > 180
    assert failed == []


@pytest.mark.parametrize("system", ["cow", "gw"])
def test_every_isard_state_name_resolves_to_that_state_in_its_years(system):
    """isard's name of a state, in the first year of its spell, gives that state: its own
    code, or (for G-W) the COW state ``gw_cw_panel`` pairs it with that year ("Serbia" in
    2006 is COW 345; "German Federal Republic" is COW 260, the code list's Germany G-W 260)."""
    spells = _spells(*SYSTEMS[system])
    paired: dict[tuple[int, int], int] = {}
    if system == "gw":
        panel = _read("gw_cw_panel").dropna(subset=["gwcode", "ccode"])
        paired = {(int(r.gwcode), int(r.year)): int(r.ccode) for r in panel.itertuples()}
    failed = []
    for row in spells.itertuples():
        ok = False
        for name in dict.fromkeys((row.name, _plain(row.name))):
            try:
                country = resolve(name, year=row.first)
            except UnknownCountryError:
                continue
            same_cow = country.cow is not None and any(
                paired.get((row.code, y)) == country.cow for y in range(row.first, row.last + 1)
            )
            if _own_code(country, system) == row.code or same_cow:
                ok = True
                break
        if not ok:
            failed.append((row.code, row.name, row.first))
    assert failed == []
