"""Drafting rules, version 2 (``docs/drafting-v2.md``): means from GDP, stakes from ties.

Under rules v1 every means and stake of a draft is a multiple of military expenditure,
so that the price comparison P(O* < O_max) mostly measures how much bigger the divider's
military budget is. Version 2 sizes actors by GDP (Fariss et al. 2022) and values the
target to the partner, and the split to the divider, by the measured ties of the target
with the partner (trade and arms shares, shared IGOs, UN affinity, alliance obligation)
and the UN distance of the divider from the partner.

This module holds the rules that change, as functions of numbers the drafter has read
(:mod:`alliances.studies.drafting` reads the store and calls them when ``rules=2``). Each
returns a scenario quantity whose ``assumption`` starts with its v2 rule id (``B5′`` …)
and carries the ``derive`` records it is given. The rules were committed before any
draft by them was scored.

Examples
--------
>>> round(price_level(2017), 3), round(price_level(1900), 4)
(1.0, 0.0339)
>>> tie_strength({"trade share": 0.1, "UN affinity": 0.9, "arms share": None})[0]
0.5
>>> split_value(1000.0, 0.5, 1.0, 0, 0)["median"]  # 5 x 0.02 x 1000 x 0.5 x 1
50.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from alliances import countries
from alliances.world.queries import gdp_rows

__all__ = [
    "ALIGNMENT_SHARE",
    "BURDEN",
    "MEANS_SHARE",
    "OBLIGATION_WEIGHT",
    "RULES",
    "Size",
    "Sizes",
    "alliance_value",
    "arms_share",
    "burden_scaled",
    "distance",
    "gdp_rows",
    "means",
    "partner_value",
    "political_value",
    "price_level",
    "size",
    "sizes",
    "split_value",
    "tie",
    "tie_strength",
]

RULES = (1, 2)
"""The versions of the drafting rules: 1 (``docs/drafting.md``), 2 (``docs/drafting-v2.md``)."""

BURDEN = 0.03
"""b₀ (rule A3′): a reference military burden, the share of GDP that takes the place of
military expenditure in the v1 rules that keep their shares (B5′, B6′, R1′, R2′, K1′,
I1′, I3′). SIPRI's world military burden is 2-3% since 1990; Eloranta (2007) finds 2-5%
for the great powers of 1870-1913."""

ALIGNMENT_SHARE = 0.02
"""σ (rules P1′, W1′): the yearly value to a patron of a client's full alignment, as a
share of the client's GDP. Argued from the aid patrons have paid aligned clients (about
1% to over 10% of the client's GDP a year), not estimated."""

MEANS_SHARE = 0.005
"""Rules P2′ and W4′: the median share of a year's GDP an actor can spend on one target
(about one year of the UN's 0.7%-of-GNI aid target, resolution 2626 of 1970)."""

TIE_FLOOR = 0.05
"""Rule S1′: the least tie strength A_TP (ties the data do not see)."""

TIE_DEFAULT = 0.2
"""Rule S1′: A_TP when no component of it is available."""

DISTANCE_DEFAULT = 0.5
"""Rule U1′: the D-P distance u_DP without UN ideal points (before 1946)."""

STAKE_FLOOR = 0.05
"""Rule W1′: the least value of u_DP + r_DP + d_DP, so that W_D is a valid quantity."""

OBLIGATION_WEIGHT = {
    "defense": 1.0,
    "offense": 0.4,
    "neutral": 0.2,
    "nonagg": 0.2,
    "consul": 0.2,
}
"""Rule S1′: an ATOP obligation as a component of A_TP (v1's ratios of B5's ``a``)."""

RATIO = 4.0
"""p90 / median of the v2 log-normal quantities (as v1's); doubled by rule A5′."""

_CPI_FIRST = 1800
_CPI = (
    51, 50, 43, 45, 45, 45, 47, 44, 48, 47,  # 1800-
    47, 50, 51, 58, 63, 55, 51, 48, 46, 46,  # 1810-
    42, 40, 40, 36, 33, 34, 34, 34, 33, 32,  # 1820-
    32, 32, 30, 29, 30, 31, 33, 34, 32, 32,  # 1830-
    30, 31, 29, 28, 28, 28, 27, 28, 26, 25,  # 1840-
    25, 25, 25, 25, 27, 28, 27, 28, 26, 27,  # 1850-
    27, 27, 30, 37, 47, 46, 44, 42, 40, 40,  # 1860-
    38, 36, 36, 36, 34, 33, 32, 32, 29, 28,  # 1870-
    29, 29, 29, 28, 27, 27, 27, 27, 27, 27,  # 1880-
    27, 27, 27, 27, 26, 25, 25, 25, 25, 25,  # 1890-
    25, 25, 26, 27, 27, 27, 27, 28, 27, 27,  # 1900-
    28, 28, 29, 29.7, 30.1, 30.4, 32.7, 38.5, 45.2, 52.1,  # 1910-
    60.2, 53.6, 50.3, 51.2, 51.5, 52.7, 53.2, 52.2, 51.6, 51.6,  # 1920-
    50.2, 45.7, 41, 38.9, 40.2, 41.2, 41.7, 43.2, 42.3, 41.8,  # 1930-
    42.1, 44.2, 49.1, 52, 52.9, 54.1, 58.6, 67.1, 72.2, 71.5,  # 1940-
    72.3, 78, 79.8, 80.4, 80.7, 80.5, 81.7, 84.4, 86.7, 87.6,  # 1950-
    88.9, 89.8, 90.9, 92, 93.2, 94.7, 97.5, 100.2, 104.5, 110.2,  # 1960-
    116.7, 121.7, 125.7, 133.4, 148.2, 161.7, 171, 182.1, 196, 218.1,  # 1970-
    247.6, 273.2, 290, 299.3, 312.2, 323.2, 329.4, 341.4, 355.4, 372.5,  # 1980-
    392.6, 409.3, 421.7, 434.1, 445.4, 457.9, 471.3, 482.4, 489.8, 500.6,  # 1990-
    517.5, 532.1, 540.5, 552.8, 567.6, 586.9, 605.8, 623.1, 647, 644.7,  # 2000-
    655.3, 676, 689.9, 700, 711.4, 712.3, 721.2, 736.6, 754.6, 768.3,  # 2010-
    777.7, 814.3, 879.4, 915.6, 944.9,  # 2020-
)  # fmt: skip
"""US consumer price index, annual averages 1800-2024 (1967 = 100), of the Federal
Reserve Bank of Minneapolis (estimates before 1913: Vermont farmers' prices to 1851,
Hoover to 1890, Rees to 1912; BLS CPI, CPI-U from 1978)."""


# --- money (rules A3′, A5′) -----------------------------------------------------------


def price_level(year: int) -> float:
    """Rule A3′: US dollars of ``year`` per US dollar of 2017, CPI(year) / CPI(2017).

    The Minneapolis Fed's consumer price index; years outside 1800-2024 take the nearest
    year's value.
    """
    k = min(max(int(year), _CPI_FIRST), _CPI_FIRST + len(_CPI) - 1) - _CPI_FIRST
    return _CPI[k] / _CPI[2017 - _CPI_FIRST]


@dataclass(frozen=True)
class Size:
    """G of an actor (rule A3′): yearly mean GDP in current USD m, summed over members,
    and the members whose GDP was missing and read from military expenditure (A5′)."""

    usd: float
    fallback: tuple[int, ...] = ()

    @property
    def ratio(self) -> float:
        """p90 / median of a log-normal quantity sized by this G (doubled by A5′)."""
        return 2 * RATIO if self.fallback else RATIO


def size(
    frame: pd.DataFrame | None, codes: Sequence[int], milex: Callable[[int], float | None]
) -> Size | None:
    """Rule A3′: G = Σ_members mean_y GDP_y · CPI(y) / CPI(2017), in current USD m.

    A member without GDP rows in ``frame`` takes ``milex(code) / b₀`` (rule A5′, with
    b₀ = :data:`BURDEN`); a member with neither adds nothing. None when no member has
    either. Fariss, Anders, Markowitz and Barnum (2022), *JCR* 66(3).
    """
    total, seen, fallback = 0.0, False, []
    for code in codes:
        rows = None if frame is None else frame[frame["ccode"] == code]
        if rows is not None and not rows.empty:
            prices = rows["year"].map(price_level)
            total += float((rows["gdp"].astype(float) * prices).mean())
            seen = True
            continue
        m = milex(code)
        if m is not None and m > 0:
            total += m / BURDEN
            seen = True
            fallback.append(int(code))
    return Size(total, tuple(fallback)) if seen and total > 0 else None


class _Actor(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def codes(self) -> tuple[int, ...]: ...


class _World(Protocol):
    """What the v2 rules read of :class:`alliances.studies.drafting._World`."""

    frames: dict[str, pd.DataFrame]
    windows: dict[str, Any]

    def has(self, name: str) -> bool: ...
    def record(self, name: str, query: str, rule: str) -> dict[str, Any]: ...
    def source(self, name: str) -> str: ...
    def milex(self, codes: Sequence[int]) -> float | None: ...
    def arms(self, t: int) -> tuple[pd.Series, pd.Series] | None: ...
    def igo_share(self, t: int, others: Sequence[int]) -> float | None: ...
    def affinity(self, t: int, others: Sequence[int]) -> float | None: ...


@dataclass(frozen=True)
class Sizes:
    """G of each role of a draft (``"D"``, ``"T"``, ``"P"``; rules A3′, A5′) and the
    ``derive`` records each rests on."""

    of: dict[str, Size]
    records: dict[str, list[dict[str, Any]]]
    source: str

    def g(self, role: str) -> float:
        """G of ``role``, current USD m."""
        return self.of[role].usd

    def ratio(self, *roles: str) -> float:
        """p90 / median of a log-normal quantity sized by the G of ``roles``."""
        return max(self.of[role].ratio for role in roles)

    def derive(self, *roles: str) -> list[dict[str, Any]]:
        """The records of the G of ``roles``, each once."""
        out: list[dict[str, Any]] = []
        for role in roles:
            out += [r for r in self.records[role] if r not in out]
        return out


def sizes(
    world: _World,
    actors: Mapping[str, _Actor],
    warnings: list[str],
    lacking: Callable[[str, str], None],
) -> Sizes:
    """Rules A3′ and A5′: G of each actor from ``cw_gdppop`` where the store has it for
    the window, else military expenditure / b₀ (warned, spread doubled).

    Every actor must have military expenditure in the window (rule A2′ refuses the draft
    otherwise). ``lacking`` warns where the dataset is missing or cut short (rule A2).
    """
    name = "cw_gdppop"
    lacking(name, "GDP")
    frame = world.frames.get(name)
    of: dict[str, Size] = {}
    records: dict[str, list[dict[str, Any]]] = {}
    for role, actor in actors.items():
        found = size(frame, actor.codes, lambda c: world.milex([c]))
        assert found is not None  # the actor has military expenditure (rule A2′)
        of[role], records[role] = found, []
        if world.has(name) and len(found.fallback) < len(actor.codes):
            query = f"mean yearly GDP of {actor.id} x CPI(year) / CPI(2017), USD m"
            records[role].append(world.record(name, query, "A3′"))
        if found.fallback:
            states = ", ".join(countries.resolve(c).code for c in found.fallback)
            first, last = world.windows["cow_nmc"].years
            warnings.append(
                f"GDP: none for {states} in {first}-{last}; G is military expenditure / "
                f"{BURDEN}, spread doubled (rule A5′)"
            )
            query = f"mean yearly milex of {states} / b0 {BURDEN}, USD m"
            records[role].append(world.record("cow_nmc", query, "A5′"))
    source = world.source(name) if world.has(name) else world.source("cow_nmc")
    return Sizes(of, records, source)


# --- measured ties (rules S1′, U1′) ---------------------------------------------------


_TIE_DATA = {
    "trade share": "cow_trade_ndy",
    "arms share": "sipri_tiv",
    "IGO share": "cow_igo_ndy",
    "UN affinity": "unga_idealpoints",
    "obligation": "atop_alliance",
}


def tie(
    world: _World,
    t: _Actor,
    p: _Actor,
    features: Mapping[str, float | None],
    kind: str | None,
    prevent: bool,
    warnings: list[str],
) -> tuple[float, str, list[dict[str, Any]]]:
    """Rule S1′: A_TP of the target ``t`` with the partner ``p`` (see
    :func:`tie_strength`), its account and its ``derive`` records.

    The components: the ``trade_share_TP`` feature, :func:`arms_share`, B6's IGO share
    and UN affinity, and B5′'s obligation ``kind`` by :data:`OBLIGATION_WEIGHT` (1 with
    ``prevent``, the prospective defence pact; none without ATOP data).
    """
    tc = t.codes[0]
    arms = world.arms(tc)
    obligation: float | None = None
    if prevent:
        obligation = 1.0
    elif world.has("atop_alliance"):
        obligation = OBLIGATION_WEIGHT[kind] if kind else 0.0
    components = {
        "trade share": features.get("trade_share_TP"),
        "arms share": None if arms is None else arms_share(arms[0], arms[1], p.codes),
        "IGO share": world.igo_share(tc, p.codes),
        "UN affinity": world.affinity(tc, p.codes),
        "obligation": obligation,
    }
    value, text = tie_strength(components)
    if all(v is None for v in components.values()):
        warnings.append(f"tie T-P: no measured tie; A_TP = {value} (rule S1′)")
    derive = [
        world.record(_TIE_DATA[k], f"{k} of {t.id} with {p.id}", "S1′")
        for k, v in components.items()
        if v is not None and world.has(_TIE_DATA[k])
    ]
    return value, text, derive


def arms_share(bought: pd.Series, sold: pd.Series, partner: Sequence[int]) -> float | None:
    """Rule S1′: T's arms bought from and sold to ``partner`` over all T's arms bought
    and sold (SIPRI TIV by supplier / recipient); None when T has no arms transfers."""
    total = float(bought.sum()) + float(sold.sum())
    if total <= 0:
        return None
    ids = list(partner)
    with_p = float(bought.reindex(ids).fillna(0.0).sum() + sold.reindex(ids).fillna(0.0).sum())
    return with_p / total


def tie_strength(components: Mapping[str, float | None]) -> tuple[float, str]:
    """Rule S1′: A_TP = max(0.05, mean of the available components), and its account.

    The components are T's trade share with P, its arms share with P, B6's IGO share and
    UN affinity, and B5′'s obligation (:data:`OBLIGATION_WEIGHT`). With none available,
    A_TP = 0.2 (:data:`TIE_DEFAULT`).
    """
    found = {k: float(v) for k, v in components.items() if v is not None}
    if not found:
        return TIE_DEFAULT, f"no measured tie; default {TIE_DEFAULT}"
    mean = sum(found.values()) / len(found)
    parts = ", ".join(f"{k} {v:.3f}" for k, v in found.items())
    value = max(TIE_FLOOR, mean)
    floor = f", floor {TIE_FLOOR}" if value > mean else ""
    return value, f"mean of {parts} = {mean:.3f}{floor}"


def distance(ideal: pd.DataFrame | None, a: Sequence[int], b: Sequence[int]) -> float | None:
    """Rule U1′: u = mean over member pairs (i, j) of :math:`\\min(1, |x_i - x_j| / 3)`, x the
    window's mean UN ideal points (column ``idealpoint``; Bailey, Strezhnev and Voeten
    2017). None without an ideal point on both sides."""
    if ideal is None or ideal.empty:
        return None
    x = ideal.groupby("ccode")["idealpoint"].mean()
    values = [
        min(1.0, abs(float(x[i]) - float(x[j])) / 3)
        for i in a
        for j in b
        if i in x.index and j in x.index
    ]
    return sum(values) / len(values) if values else None


# --- quantities -------------------------------------------------------------------------


def _r(x: float) -> float:
    """Round to 6 significant digits, as v1's drafts do."""
    if x == 0 or not math.isfinite(x):
        return float(x)
    return float(f"{x:.6g}")


def _why(q: dict[str, Any], derive: list[dict[str, Any]] | None, assumption: str) -> dict:
    out = {**q, "assumption": assumption}
    if derive:
        out["derive"] = derive
    return out


def _tri(
    low: float, mode: float, high: float, unit: str, derive: Any, assumption: str
) -> dict[str, Any]:
    q = {"dist": "triangular", "low": _r(low), "mode": _r(mode), "high": _r(high), "unit": unit}
    return _why(q, derive, assumption)


def _lognormal(
    median: float, ratio: float, unit: str, derive: Any, assumption: str
) -> dict[str, Any]:
    q = {"dist": "lognormal", "median": _r(median), "p90": _r(median * ratio), "unit": unit}
    return _why(q, derive, assumption)


def alliance_value(
    a: float, kind: str, g_t: float, g_p: float, *, derive: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Rule B5′: the yearly value to T of an obligation with share ``a`` (v1's B5),
    triangular ``(a/2, a, 2a) · b₀ · min(G_T, G_P)`` in USD m a year.

    Snyder (1997): dependence grows with what the ally adds to one's security, bounded by
    the smaller of the two efforts; here the efforts are sized by GDP at the reference
    burden b₀ instead of by military expenditure.

    >>> alliance_value(0.25, "defense", 1000.0, 4000.0)["mode"]  # 0.25 x 0.03 x 1000
    7.5
    """
    base = BURDEN * min(g_t, g_p)
    text = f"B5′ (Snyder): {a} x b0 {BURDEN} x min(GDP T, P) = {a} x {base:.6g} ({kind})"
    return _tri(base * a / 2, base * a, base * a * 2, "USD m/yr", derive, text)


def political_value(
    g_t: float, affinity: float, *, derive: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Rule B6′: the yearly value of T's political tie to P, triangular
    ``(0.005, 0.02, 0.05) · b₀ · G_T · A`` in USD m a year, A as in B6 (mean of the IGO
    share and the UN affinity).

    >>> political_value(1000.0, 0.5)["mode"]  # 0.02 x 0.03 x 1000 x 0.5
    0.3
    """
    v = BURDEN * g_t * affinity
    text = f"B6′: (0.005, 0.02, 0.05) x b0 {BURDEN} x GDP T x {affinity:.3f}"
    return _tri(0.005 * v, 0.02 * v, 0.05 * v, "USD m/yr", derive, text)


def partner_value(
    flow_surplus: float,
    g_t: float,
    tie: float,
    tie_text: str,
    *,
    ratio: float = RATIO,
    derive: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Rule P1′: W_P, log-normal with median ``5 · (s_P + σ · G_T · A_TP)`` and p90
    ``ratio`` times it (USD m): five years of P's surplus from the flow bonds at v1's P1
    margins and of the strategic weight of T on P's side.

    σ = :data:`ALIGNMENT_SHARE`: patrons have paid aligned clients from about 1% to
    over 10% of the client's GDP a year.

    >>> partner_value(10.0, 1000.0, 0.5, "")["median"]  # 5 x (10 + 0.02 x 1000 x 0.5)
    100.0
    """
    median = 5 * (flow_surplus + ALIGNMENT_SHARE * g_t * tie)
    text = (
        f"P1′: 5 x (partner's flow surplus {flow_surplus:.6g} + sigma {ALIGNMENT_SHARE}"
        f" x GDP T x A_TP {tie:.3f}); A_TP (S1′): {tie_text}"
    )
    return _lognormal(median, ratio, "USD m", derive, text)


def split_value(
    g_t: float,
    tie: float,
    u: float,
    r_dp: int | bool,
    d_dp: int | bool,
    *,
    ratio: float = RATIO,
    derive: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Rule W1′: W_D, log-normal with median
    ``5 · σ · G_T · A_TP · max(0.05, u_DP + r_DP + d_DP)`` and p90 ``ratio`` times it.

    The split takes from P the weight T brings it (what P1′ values); that is worth to D
    in proportion to how far D stands from P: the UN distance u_DP (rule U1′) plus v1's
    rivalry (Thompson, Sakuwa and Suhas) and dispute (COW MID) indicators.
    """
    factor = max(STAKE_FLOOR, u + int(r_dp) + int(d_dp))
    median = 5 * ALIGNMENT_SHARE * g_t * tie * factor
    text = (
        f"W1′: 5 x sigma {ALIGNMENT_SHARE} x GDP T x A_TP {tie:.3f} x (distance D-P"
        f" {u:.3f} + rival D-P {int(r_dp)} + dispute D-P {int(d_dp)})"
    )
    return _lognormal(median, ratio, "USD m", derive, text)


def means(
    rule: str,
    g: float,
    who: str,
    *,
    ratio: float = RATIO,
    derive: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Rules P2′ (the partner's means B_P) and W4′ (the divider's budget cap B_D):
    log-normal with median ``0.005 · G`` and p90 ``ratio`` times it (USD m, one-off).

    >>> means("P2′", 1000.0, "partner")["median"]
    5.0
    """
    text = f"{rule}: {MEANS_SHARE} x GDP of the {who} (a year of the UN's 0.7% aid target)"
    return _lognormal(MEANS_SHARE * g, ratio, "USD m", derive, text)


def burden_scaled(
    rule: str,
    k: float,
    g: float,
    what: str,
    *,
    ratio: float = RATIO,
    derive: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Rules R1′, R2′, K1′, I1′, I3′: v1's ``k · M_X`` as ``k · b₀ · G_X``, log-normal
    with p90 ``ratio`` times the median (USD m, one-off); ``what`` ends the assumption.

    >>> burden_scaled("K1′", 0.02, 1000.0, "GDP T")["median"]  # 0.02 x 0.03 x 1000
    0.6
    """
    text = f"{rule}: {k} x b0 {BURDEN} x {what}"
    return _lognormal(k * BURDEN * g, ratio, "USD m", derive, text)
