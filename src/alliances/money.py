"""Money: the currencies the package knows, scale words, exchange rates, the gold parity.

One home for what turns an amount written somewhere (an article, a unit, a dataset in
pounds) into US dollars:

- the currencies: ISO codes (:data:`CURRENCY_CODES`), the symbols and words that name
  them (:data:`SYMBOLS`, :data:`CURRENCY_WORDS`, :data:`QUALIFIED_CURRENCY_WORDS`);
- the scale words (:data:`SCALE_WORDS`: "bn", "million", "crore" …) and the few of them
  a unit or an amount on the command line may use (:data:`UNIT_SCALE_WORDS`);
- yearly exchange rates to the US dollar (:func:`exchange_rate`, :func:`to_usd`,
  :func:`covered_years`), read from ``alliances/data/exchange_rates.toml``, whose header
  cites the sources (Federal Reserve release G.5A for EUR, GBP, JPY, CNY, INR; World
  Bank WDI PA.NUS.FCRF, from the IMF's International Financial Statistics, for RUB, TRY
  and IRR);
- the pound's gold parity (:data:`GOLD_PARITY`), the one value by which both the
  drafting rules (NMC's military expenditure is in pounds before 1914, rule A3 of
  ``docs/drafting.md``) and the exchange rates of 1879-1913 turn pounds into dollars.

A missing currency or year raises :class:`~alliances.errors.DataError` naming what is
covered; no rate is ever extrapolated.

Examples
--------
>>> SCALE_WORDS["bn"], SCALE_WORDS["crore"]
(1000000000.0, 10000000.0)
>>> exchange_rate("GBP", 1900)[0] == GOLD_PARITY
True
>>> round(to_usd(10e9, "EUR", 2014) / 1e9, 3)
13.297
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from alliances.errors import DataError

__all__ = [
    "CURRENCY_CODES",
    "CURRENCY_WORDS",
    "GOLD_PARITY",
    "GOLD_STANDARD_YEARS",
    "QUALIFIED_CURRENCY_WORDS",
    "SCALE_WORDS",
    "SYMBOLS",
    "UNIT_SCALE_WORDS",
    "covered_years",
    "exchange_rate",
    "to_usd",
]

# --- the pound's gold parity -----------------------------------------------------------

GOLD_PARITY = 4.87
"""US dollars per pound sterling at the gold-standard mint parity: an assumption, not an
observation. The pound held 113.0016 grains of fine gold and the dollar 23.22, a parity
of 4.8666 (4.8665 in the usual citation); 4.87 is that parity rounded as the drafting
rules state it (``docs/drafting.md``, rule A3), and the drafted scenarios, the backtest
and the README's numbers rest on it, so it is the one value used everywhere (the
exchange rates of 1879-1913 included)."""

GOLD_STANDARD_YEARS = (1879, 1913)
"""The years the exchange rates price the pound at :data:`GOLD_PARITY`: from the US
resumption of gold convertibility to the last year of the classical gold standard."""

_GOLD_SOURCE = (
    f"Assumption: the gold mint parity of the classical gold standard, {GOLD_PARITY:g} USD "
    "per pound (113.0016 / 23.22 grains of fine gold, rounded), "
    f"{GOLD_STANDARD_YEARS[0]}-{GOLD_STANDARD_YEARS[1]}"
)

# --- currencies --------------------------------------------------------------------------

CURRENCY_CODES = ("USD", "EUR", "GBP", "RUB", "CNY", "JPY", "INR", "IRR", "TRY")
"""The ISO codes an article may write as such ("EUR 10 bn")."""

SYMBOLS = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "$us": "USD", "€": "EUR", "£": "GBP",
    "¥": "JPY", "cn¥": "CNY", "rmb": "CNY", "rmb¥": "CNY", "₹": "INR", "rs": "INR",
    "rs.": "INR", "₽": "RUB", "₺": "TRY",
}  # fmt: skip
"""Currency symbols and abbreviations written before an amount (lower case, no spaces)."""

CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP", "ruble": "RUB",
    "rouble": "RUB", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY", "rupee": "INR",
    "rial": "IRR", "riyal": "SAR", "toman": "IRR", "lira": "TRY", "lire": "TRY",
    "franc": "FRF", "mark": "DEM", "deutschmark": "DEM",
}  # fmt: skip
"""The currency a word names without a qualifier (a toman is ten rials)."""

QUALIFIED_CURRENCY_WORDS = {
    ("canadian", "dollar"): "CAD", ("australian", "dollar"): "AUD",
    ("hong kong", "dollar"): "HKD", ("singapore", "dollar"): "SGD",
    ("new zealand", "dollar"): "NZD", ("taiwan", "dollar"): "TWD",
    ("egyptian", "pound"): "EGP", ("syrian", "pound"): "SYP", ("lebanese", "pound"): "LBP",
    ("sudanese", "pound"): "SDG", ("pakistani", "rupee"): "PKR",
    ("sri lankan", "rupee"): "LKR", ("nepalese", "rupee"): "NPR", ("saudi", "riyal"): "SAR",
    ("qatari", "riyal"): "QAR", ("omani", "rial"): "OMR", ("yemeni", "rial"): "YER",
    ("italian", "lira"): "ITL", ("belarusian", "ruble"): "BYN", ("swiss", "franc"): "CHF",
    ("french", "franc"): "FRF", ("belgian", "franc"): "BEF", ("deutsche", "mark"): "DEM",
    ("german", "mark"): "DEM", ("finnish", "mark"): "FIM",
}  # fmt: skip
"""The currency a (qualifier, word) pair names where the qualifier changes it."""

# --- scale words -------------------------------------------------------------------------

SCALE_WORDS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
    "trn": 1e12, "crore": 1e7, "lakh": 1e5,
}  # fmt: skip
"""Every scale word an article may write after an amount (singular, lower case)."""

UNIT_SCALE_WORDS = ("k", "m", "mn", "million", "b", "bn", "billion", "tn", "trillion")
"""The scale words a scenario's unit ("USD m") or an amount on the command line ("50bn")
may use: a subset of :data:`SCALE_WORDS`, with the same factors."""

# --- exchange rates ----------------------------------------------------------------------

_TABLE = "exchange_rates.toml"


@dataclass(frozen=True)
class _Currency:
    """One currency of the exchange-rate table, its rates in US dollars per unit."""

    code: str
    name: str
    source: str
    rates: dict[int, float]  # USD per unit
    published: dict[int, float]  # as the source quotes it
    quote: str
    parity: tuple[int, int, float, str] | None


@functools.cache
def _rates() -> dict[str, _Currency]:
    """The exchange-rate table shipped in ``alliances.data``, read once."""
    path = resources.files("alliances.data").joinpath(_TABLE)
    try:
        document: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        msg = f"{_TABLE}: cannot be read ({error})"
        raise DataError(msg) from None
    sources: dict[str, str] = document.get("sources", {})
    table: dict[str, _Currency] = {}
    for code, entry in document.get("currency", {}).items():
        quote = entry["quote"]
        published = {int(y): float(v) for y, v in entry["rates"].items()}
        rates = {y: (v if quote == "USD per unit" else 1.0 / v) for y, v in published.items()}
        parity = (*GOLD_STANDARD_YEARS, GOLD_PARITY, _GOLD_SOURCE) if code == "GBP" else None
        table[code] = _Currency(
            code, entry["name"], sources[entry["source"]], rates, published, quote, parity
        )
    return table


def _ranges(years: Sequence[int]) -> str:
    """1999, 2000, 2001, 2005 → "1999–2001, 2005"."""
    out: list[str] = []
    ordered = sorted(years)
    k = 0
    while k < len(ordered):
        j = k
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[k]) if j == k else f"{ordered[k]}–{ordered[j]}")
        k = j + 1
    return ", ".join(out)


def covered_years(currency: str) -> list[int]:
    """The years the exchange-rate table has a rate for ``currency`` (parity years
    included); none for the US dollar or a currency it does not list."""
    code = currency.strip().upper()
    if code == "USD":
        return []
    entry = _rates().get(code)
    if entry is None:
        return []
    years = set(entry.rates)
    if entry.parity:
        years.update(range(entry.parity[0], entry.parity[1] + 1))
    return sorted(years)


def exchange_rate(currency: str, year: int) -> tuple[float, str]:
    """US dollars per unit of ``currency`` (ISO code) in ``year``, an annual average, and
    the source with the rate as published.

    Raises :class:`~alliances.errors.DataError` naming the currency and the years covered
    when the table has no rate for it."""
    code = currency.strip().upper()
    if code == "USD":
        return 1.0, "US dollars: no conversion"
    table = _rates()
    entry = table.get(code)
    if entry is None:
        msg = (
            f"no exchange rate for {currency!r}: {_TABLE} covers "
            f"{', '.join(sorted(table))} (and USD)"
        )
        raise DataError(msg)
    if year in entry.rates:
        published = entry.published[year]
        shown = (
            f"{published:g} USD per {code}"
            if entry.quote == "USD per unit"
            else f"{published:g} {code} per USD"
        )
        return entry.rates[year], f"{entry.source}: {year} annual average, {shown}"
    if entry.parity and entry.parity[0] <= year <= entry.parity[1]:
        return entry.parity[2], entry.parity[3]
    covered = _ranges(list(entry.rates))
    if entry.parity:
        covered = f"{entry.parity[0]}–{entry.parity[1]} (gold parity), {covered}"
    msg = f"no exchange rate for {code} ({entry.name}) in {year}: {_TABLE} covers {covered}"
    raise DataError(msg)


def to_usd(value: float, currency: str, year: int) -> float:
    """``value`` in ``currency`` converted to US dollars at the annual average of ``year``."""
    rate, _ = exchange_rate(currency, year)
    return value * rate
