"""Quantities: a number or a distribution, with a unit and where it comes from.

Every number in a scenario is a quantity. It is a point value or one of three
distributions, and it names its ``source`` (a reference key, citation, URL or dataset
query) or, where no source gives it, the ``assumption`` it rests on.

==============  ============================  ============================================
``dist``        parameters                    meaning
==============  ============================  ============================================
``point``       ``value``                     a fixed number
``triangular``  ``low``, ``mode``, ``high``   triangular on [low, high], peak at mode
``lognormal``   ``median``, ``p90``           log-normal with that median and 90th centile
``uniform``     ``low``, ``high``             uniform on [low, high]
==============  ============================  ============================================

``dist`` may be left out when the parameters say which one is meant (``value`` → point,
``mode`` → triangular, ``median`` → lognormal, ``low``/``high`` only → uniform).

Units say what a number measures and at what scale: ``USD``, ``USD m``, ``USD bn`` for
a sum paid once; the same with ``/yr`` or ``/month`` for a flow (a monthly figure is
converted to a yearly one, never used as if it were yearly); ``fraction`` or ``%``;
``1/yr`` for a yearly hazard; ``years``; ``ratio``.

Every parameter is a finite number: NaN and infinities are refused, so is a boolean
(``high: true`` is not 1; see :class:`FileModel`) and a text (``"2.0"``, or ``8_0``,
which YAML reads as text), and so is any
parameter beyond ±``MAX_MAGNITUDE`` (1e100) in its stated or its base unit, so that no
draw, sum or product of draws can overflow. A log-normal needs ``p90`` above its
``median`` (for a fixed number write ``value:``) and a spread whose draws and mean stay
below ``MAX_MAGNITUDE``.

**Sources and reference keys.** A ``source`` is one or more parts separated by ``;``.
A part that is a *bare key* names an entry of the scenario's ``references``; while a
whole scenario is validated, a bare key that ``references`` does not define is an error
that suggests the nearest key. A bare key is one token of ASCII letters, digits, ``-``
and ``_`` with at least one letter (``fa2017``, ``sipri-2017``, ``foo_bar``, ``SIPRI``).
Anything else is free text and is not checked: a citation with a space ("SIPRI Arms
Transfers Database, 2017", "World Bank WDI"), a URL or DOI (``:`` or ``/``), a domain
or an abbreviation with a dot (``worldbank.org``, ``Ibid.``), a dataset query as the
grounding writes it, a bare number (``2017``).
"""

from __future__ import annotations

import contextvars
import difflib
import functools
import math
import re
import types
from collections.abc import Callable, Iterator
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from scipy.special import ndtri

from alliances.money import SCALE_WORDS, UNIT_SCALE_WORDS

__all__ = [
    "MAX_MAGNITUDE",
    "PARAMETERS",
    "DataRecord",
    "Dimension",
    "FileModel",
    "LogNormal",
    "Point",
    "Quantity",
    "Triangular",
    "Uniform",
    "check_source",
    "expect",
    "parse_amount",
    "parse_unit",
    "reference_keys",
]

Dimension = Literal["USD", "USD/yr", "fraction", "1/yr", "years", "ratio"]

_Z90 = float(ndtri(0.9))  # 1.2815515655446004, the standard normal 90th centile
# The extreme probability LogNormal.ppf clips to, and its standard normal quantile.
_U_CLIP = 1e-12
_Z_TOP = float(-ndtri(_U_CLIP))  # 7.034...

MAX_MAGNITUDE = 1e100
"""Largest absolute value of a quantity's parameter, in stated and in base units.

Far beyond any real figure (world GDP is about 1e14 USD), and small enough that sums,
products and squares of draws stay finite.
"""
_SCALE = "|".join(UNIT_SCALE_WORDS)
_MONEY = re.compile(
    rf"^USD(?:\s*(?P<scale>{_SCALE}))?(?:\s*/\s*(?P<per>yr|year|month))?$", re.IGNORECASE
)
_AMOUNT = re.compile(
    rf"^\s*(?:USD\s*)?(?P<number>[0-9.eE+-]+)\s*(?P<scale>{_SCALE})?\s*$", re.IGNORECASE
)
_SCALES: dict[str | None, float] = {
    None: 1.0,
    **{word: SCALE_WORDS[word] for word in UNIT_SCALE_WORDS},
}
_PLAIN_UNITS: dict[str, tuple[Dimension, float]] = {
    "fraction": ("fraction", 1.0),
    "probability": ("fraction", 1.0),
    "share": ("fraction", 1.0),
    "%": ("fraction", 0.01),
    "percent": ("fraction", 0.01),
    "1/yr": ("1/yr", 1.0),
    "per year": ("1/yr", 1.0),
    "%/yr": ("1/yr", 0.01),
    "years": ("years", 1.0),
    "year": ("years", 1.0),
    "ratio": ("ratio", 1.0),
}


def parse_amount(text: str) -> tuple[float, bool]:
    """An amount of money such as ``50bn``, ``USD 750m`` or ``2.5e9``, in US dollars.

    Returns the amount and whether a scale word was written. The scales are those of the
    units (``k``, ``m``/``mn``/``million``, ``b``/``bn``/``billion``, ``tn``/``trillion``).
    Raises ``ValueError`` for anything else, a negative amount, NaN or infinity.

    >>> parse_amount("50bn"), parse_amount("USD 750 m"), parse_amount("2e9")
    ((50000000000.0, True), (750000000.0, True), (2000000000.0, False))
    """
    match = _AMOUNT.match(text)
    value = None
    if match:
        try:
            value = float(match["number"]) * _SCALES[(match["scale"] or "").lower() or None]
        except ValueError:
            value = None
    if value is None or not math.isfinite(value) or value < 0:
        msg = f"expected an amount in USD such as 50e9, 50bn or 750m, got {text!r}"
        raise ValueError(msg)
    return value, bool(match and match["scale"])


@functools.lru_cache(maxsize=1024)  # a scenario names a few units thousands of times
def parse_unit(unit: str) -> tuple[Dimension, float]:
    """Split a unit into its dimension and the factor to that dimension's base unit.

    >>> parse_unit("USD m/month")
    ('USD/yr', 12000000.0)
    >>> parse_unit("%")
    ('fraction', 0.01)
    """
    text = unit.strip()
    money = _MONEY.match(text)
    if money:
        factor = _SCALES[(money["scale"] or "").lower() or None]
        per = (money["per"] or "").lower()
        if not per:
            return "USD", factor
        return "USD/yr", factor * (12.0 if per == "month" else 1.0)
    if text.lower() in _PLAIN_UNITS:
        return _PLAIN_UNITS[text.lower()]
    msg = (
        f"unknown unit {unit!r}; expected 'USD', 'USD m' or 'USD bn' (optionally with "
        "'/yr' or '/month'), 'fraction', '%', '1/yr', 'years' or 'ratio'"
    )
    raise ValueError(msg)


# The reference keys of the scenario being validated; set by Scenario for the duration
# of one validation (None outside one: sources are then not checked against references).
REFERENCES: contextvars.ContextVar[tuple[str, ...] | None] = contextvars.ContextVar(
    "alliances_scenario_references", default=None
)

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*")


def reference_keys(source: str) -> list[str]:
    """The parts of ``source`` that are bare reference keys (see the module docstring).

    >>> reference_keys("fa2017; imf-weo2017")
    ['fa2017', 'imf-weo2017']
    >>> reference_keys("SIPRI Arms Transfers Database, 2017; https://www.sipri.org/")
    []
    """
    parts = (part.strip() for part in source.split(";"))
    return [part for part in parts if _BARE_KEY.fullmatch(part)]


def check_source(source: str | None) -> str | None:
    """Check that every bare key of ``source`` is defined by the scenario's references.

    Does nothing outside the validation of a whole scenario.
    """
    known = REFERENCES.get()
    if source is None or known is None:
        return source
    missing = [key for key in reference_keys(source) if key not in known]
    if not missing:
        return source
    lowered = {key.lower(): key for key in known}
    hints = []
    for key in missing:
        near = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.6)
        hint = f"did you mean {lowered[near[0]]!r}?" if near else None
        if hint is None:
            hint = (
                "the scenario defines no references"
                if not known
                else f"the references are: {', '.join(sorted(known)[:12])}"
                + (", …" if len(known) > 12 else "")
            )
        hints.append(f"{key!r} is not a key of the scenario's references ({hint})")
    msg = (
        "; ".join(hints) + "; a one-word source names a reference: define it under "
        "'references:' or write the citation in full"
    )
    raise ValueError(msg)


Source = Annotated[str, AfterValidator(check_source)]
"""A source text whose bare reference keys must be defined (see :func:`check_source`)."""

PARAMETERS = ("value", "low", "mode", "high", "median", "p90")
"""The parameters a quantity may have, over all its distributions."""


# --- booleans are not numbers ------------------------------------------------------------

_KINDS: dict[Any, str] = {str: "string", int: "integer", float: "number"}
_CONTAINERS = (list, tuple, set, frozenset, dict)


def _members(annotation: Any) -> tuple[Any, ...]:
    """The types a value of ``annotation`` may be: its union's members, without Annotated."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(m for arg in get_args(annotation) for m in _members(arg))
    return (annotation,)


def _holds_numbers(annotation: Any) -> bool:
    """Whether ``annotation`` reads a number itself or in a list, tuple or dict (not in a
    model, which checks its own fields)."""
    for member in _members(annotation):
        if member in (int, float):
            return True
        args = get_args(member)
        if get_origin(member) is Literal:
            if any(isinstance(v, int | float) and not isinstance(v, bool) for v in args):
                return True
        elif get_origin(member) in _CONTAINERS and any(
            _holds_numbers(arg) for arg in args if arg is not Ellipsis
        ):
            return True
    return False


def _number_expected(annotation: Any) -> str | None:
    """What ``annotation`` expects, in words, if it would take a boolean for a number;
    None if it takes a boolean as one (or refuses it anyway)."""
    members = _members(annotation)
    literals = [v for m in members if get_origin(m) is Literal for v in get_args(m)]
    welcome = any(isinstance(v, bool) for v in literals)  # not `True in`: 1 == True
    if welcome or any(m in (bool, Any, object) for m in members):
        return None
    kinds = [_KINDS[m] for m in members if m in _KINDS]
    if int in members or float in members:
        return "a valid " + " or ".join(kinds)
    if any(isinstance(v, int | float) for v in literals):  # Literal[1, -1] takes True for 1
        shown = [repr(v) for v in literals]
        return " or ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
    return None


def _reads_as_number(text: str) -> bool:
    """Whether Python (and so pydantic) reads ``text`` as a number: ``"2.0"``, ``"8_0"``."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _booleans(
    annotation: Any, value: Any, loc: tuple[int | str, ...] = ()
) -> Iterator[tuple[tuple[int | str, ...], object, str, str]]:
    """Each boolean or text of ``value`` that ``annotation`` would read as a number: its
    place in ``value``, itself, what it is in words and what is expected there."""
    if isinstance(value, bool):
        expected = _number_expected(annotation)
        if expected is not None:
            yield loc, value, f"the boolean {'true' if value else 'false'}", expected
        return
    if isinstance(value, str):
        members = _members(annotation)
        if (
            (int in members or float in members)
            and not any(m in (str, Any, object) for m in members)
            and _reads_as_number(value)
        ):
            # pydantic would read "2.0" as 2 and "8_0" (a typo) as 80; "ten" it refuses
            words = f"the text {value!r:.40} (a number is written without quotes or _)"
            yield loc, value, words, "a number"
        return
    for member in _members(annotation):
        origin, args = get_origin(member), get_args(member)
        if isinstance(value, dict) and origin is dict and len(args) == 2:
            for key, item in value.items():
                yield from _booleans(args[1], item, (*loc, key))
            return
        if isinstance(value, list | tuple) and origin in _CONTAINERS and origin is not dict:
            fixed = origin is tuple and not (len(args) == 2 and args[1] is Ellipsis)
            for i, item in enumerate(value):
                if fixed and i >= len(args):
                    break  # too many items: pydantic says so
                arg = args[i] if fixed else (args[0] if args else Any)
                yield from _booleans(arg, item, (*loc, i))
            return


_NUMBER_FIELDS: dict[tuple[type, str], Any] = {}


class FileModel(BaseModel):
    """The base of every model of a scenario file: a boolean or a text is never read as a
    number.

    pydantic reads ``true`` as 1 and ``false`` as 0 wherever a number (a float, an int, a
    ``Literal`` of numbers) is expected; a file that writes ``high: true`` or ``year:
    false`` means no number, and is refused like any other wrong type, at the boolean's own
    place (``derive.value.years[0]``): "Input should be a valid number, got the boolean
    true". So is a text where only a number is taken: pydantic would read ``"2.0"`` as 2,
    and ``8_0`` (a typo YAML reads as text) as 80. Fields that take booleans, and text,
    are left as they are.
    """

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, bool | str | list | tuple | dict) or info.field_name is None:
            return value
        key = (cls, info.field_name)
        if key not in _NUMBER_FIELDS:
            annotation = cls.model_fields[info.field_name].annotation
            _NUMBER_FIELDS[key] = annotation if _holds_numbers(annotation) else None
        annotation = _NUMBER_FIELDS[key]
        if annotation is None:
            return value
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "boolean_for_number",
                    "Input should be {expected}, got {given}",
                    {"expected": expected, "given": given},
                ),
                loc=loc,
                input=item,
            )
            for loc, item, given, expected in _booleans(annotation, value)
        ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return value


class DataRecord(FileModel):
    """Where in the world data a drafted number comes from (schema version 2).

    ``dataset`` is a table of the store's registry, with the ``version`` and ``sha256``
    the store recorded when it loaded it, the ``years`` read, the ``query`` in words
    and the drafting ``rule`` that turned the data into the number (docs/drafting.md).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str = Field(min_length=1, max_length=200)
    version: str | None = Field(None, max_length=200)
    sha256: str | None = Field(None, max_length=200)
    years: tuple[int, int] | None = None
    query: str = Field(min_length=1, max_length=2000)
    rule: str = Field(min_length=1, max_length=40)


class _QuantityBase(FileModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    # True when the smallest value of the support is approached but never drawn.
    _open_below: ClassVar[bool] = False

    unit: str | None = Field(None, description="Unit, e.g. 'USD bn/yr', 'fraction', '1/yr'.")
    source: Source | None = Field(
        None, description="Reference key, citation, URL or dataset query the number is from."
    )
    assumption: str | None = Field(
        None, description="The stated assumption behind a number that no source gives."
    )
    note: str | None = Field(None, description="How the number was derived from its source.")
    derive: tuple[DataRecord, ...] = Field(
        (), description="The world data a drafted number was computed from (schema 2)."
    )

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str | None) -> str | None:
        if unit is not None:
            parse_unit(unit)
        return unit

    @model_validator(mode="after")
    def _traceable(self) -> _QuantityBase:
        if not (self.source or self.assumption):
            msg = "every number needs a 'source' or an 'assumption' that says where it comes from"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _not_huge(self) -> _QuantityBase:
        factor = self.factor
        fields = self.__dict__  # the parameters a distribution has (getattr is slow)
        for name in PARAMETERS:
            value = fields.get(name)
            if value is None:
                continue
            if abs(value) > MAX_MAGNITUDE or abs(value * factor) > MAX_MAGNITUDE:
                unit = f" {self.unit}" if self.unit else ""
                msg = (
                    f"{name}={value:g}{unit} is beyond ±{MAX_MAGNITUDE:g} (in stated or "
                    "base units); no real figure is this large"
                )
                raise ValueError(msg)
        return self

    @property
    def dimension(self) -> Dimension | None:
        return None if self.unit is None else parse_unit(self.unit)[0]

    @property
    def factor(self) -> float:
        """Multiplier from the stated unit to the base unit of its dimension."""
        return 1.0 if self.unit is None else parse_unit(self.unit)[1]

    @property
    def is_uncertain(self) -> bool:
        low, high = self.support()
        return high > low

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse distribution function at probabilities ``u``, in base units."""
        values = self._ppf(np.asarray(u, dtype=float))
        factor = self.factor
        return values if factor == 1.0 else values * factor

    def mean(self) -> float:
        """Expected value, in base units."""
        return self._mean() * self.factor

    def support(self) -> tuple[float, float]:
        """Smallest and largest possible value, in stated units."""
        raise NotImplementedError

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _mean(self) -> float:
        raise NotImplementedError


class Point(_QuantityBase):
    """A fixed value."""

    dist: Literal["point"] = "point"
    value: float

    def support(self) -> tuple[float, float]:
        return self.value, self.value

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full_like(u, self.value)

    def _mean(self) -> float:
        return self.value


def _at_least(field: str) -> Callable[[float, ValidationInfo], float]:
    def check(value: float, info: ValidationInfo) -> float:
        bound = info.data.get(field)
        if bound is not None and value < bound:
            msg = f"should be >= {field}={bound:g}, got {value:g}"
            raise ValueError(msg)
        return value

    return check


class Triangular(_QuantityBase):
    """Triangular distribution on [low, high] with its peak at ``mode``."""

    dist: Literal["triangular"] = "triangular"
    low: float
    mode: Annotated[float, AfterValidator(_at_least("low"))]
    high: Annotated[float, AfterValidator(_at_least("mode"))]

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        a, c, b = self.low, self.mode, self.high
        width = b - a
        if width == 0:
            return np.full_like(u, a)
        left = u < (c - a) / width
        # Inverse CDF: a + sqrt(u w (c - a)) left of the mode, b - sqrt((1 - u) w (b - c)) right.
        root = np.sqrt(np.where(left, u * (width * (c - a)), (1.0 - u) * (width * (b - c))))
        return np.where(left, a + root, b - root)

    def _mean(self) -> float:
        return (self.low + self.mode + self.high) / 3.0


def _above_median(p90: float, info: ValidationInfo) -> float:
    median = info.data.get("median")
    if median is None:
        return p90
    advice = f"for a fixed number write 'value: {median:g}' instead of a lognormal"
    if p90 < median:
        msg = f"should be >= median={median:g}, got {p90:g} (p90 lies above the median; {advice})"
        raise ValueError(msg)
    if p90 == median:
        msg = (
            f"should be above median={median:g}, got {p90:g}: a lognormal needs p90 > "
            f"median; {advice}"
        )
        raise ValueError(msg)
    return p90


class LogNormal(_QuantityBase):
    """Log-normal distribution given by its median and its 90th percentile (p90 > median)."""

    _open_below: ClassVar[bool] = True

    dist: Literal["lognormal"] = "lognormal"
    median: Annotated[float, Field(gt=0)]
    p90: Annotated[float, AfterValidator(_above_median)]

    @model_validator(mode="after")
    def _spread_stays_finite(self) -> LogNormal:
        # In logs, so that the check itself cannot overflow: the mean is
        # median · exp(σ²/2) and the largest draw median · exp(σ z), z at 1 - 1e-12.
        sigma = self.sigma
        log_base = math.log(self.median * self.factor)
        top = log_base + max(sigma * _Z_TOP, sigma**2 / 2.0)
        if top > math.log(MAX_MAGNITUDE):
            msg = (
                f"p90={self.p90:g} is {self.p90 / self.median:.3g} times median="
                f"{self.median:g}: so wide a spread makes draws or the mean overflow "
                f"(beyond {MAX_MAGNITUDE:g} in base units); narrow it"
            )
            raise ValueError(msg)
        return self

    @property
    def sigma(self) -> float:
        return math.log(self.p90 / self.median) / _Z90

    def support(self) -> tuple[float, float]:
        """(0, ∞): the open interval of a log-normal's values."""
        return (0.0, math.inf) if self.p90 > self.median else (self.median, self.median)

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        # Keep to the open interval: a scrambled Sobol' point can be exactly 0.
        z = np.asarray(ndtri(np.clip(u, _U_CLIP, 1.0 - _U_CLIP)), dtype=np.float64)
        return self.median * np.exp(self.sigma * z)

    def _mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2.0)


class Uniform(_QuantityBase):
    """Uniform distribution on [low, high]."""

    dist: Literal["uniform"] = "uniform"
    low: float
    high: Annotated[float, AfterValidator(_at_least("low"))]

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + u * (self.high - self.low)

    def _mean(self) -> float:
        return (self.low + self.high) / 2.0


def _which_dist(data: Any) -> str | None:
    if isinstance(data, _QuantityBase):
        return str(data.dist)  # type: ignore[attr-defined]
    if not isinstance(data, dict):
        return None
    if "dist" in data:
        return str(data["dist"])
    if "value" in data:
        return "point"
    if "mode" in data:
        return "triangular"
    if "median" in data or "p90" in data:
        return "lognormal"
    if "low" in data or "high" in data:
        return "uniform"
    return "point"


Quantity = Annotated[
    Annotated[Point, Tag("point")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[LogNormal, Tag("lognormal")]
    | Annotated[Uniform, Tag("uniform")],
    Discriminator(
        _which_dist,
        custom_error_type="unknown_distribution",
        custom_error_message=(
            "expected a quantity: {value: x} or dist 'point', 'triangular' "
            "(low, mode, high), 'lognormal' (median, p90) or 'uniform' (low, high)"
        ),
    ),
]
"""A point value or a distribution; see the module docstring."""

_EXAMPLE_UNIT = {"USD": "USD bn", "USD/yr": "USD bn/yr", "1/yr": "1/yr"}


def expect(
    *dimensions: Dimension,
    lower: float | None = None,
    upper: float | None = None,
    positive: bool = False,
) -> AfterValidator:
    """A validator that checks a quantity's dimension and, optionally, its range.

    Money needs an explicit unit (a missing one would hide a per-month figure used as
    per-year); a dimensionless quantity may leave its unit out. With ``positive`` no draw
    may be 0 or below (for a number the model divides by): a point, triangular or
    uniform quantity must stay above 0, a log-normal always does.
    """

    def check(q: _QuantityBase) -> _QuantityBase:
        dim = q.dimension
        if dim is None:
            if any(d.startswith("USD") for d in dimensions):
                msg = (
                    f"a money amount needs a unit: expected {' or '.join(dimensions)}, "
                    f"e.g. unit: '{_EXAMPLE_UNIT[dimensions[0]]}'"
                )
                raise ValueError(msg)
        elif dim not in dimensions:
            msg = f"expected a quantity in {' or '.join(dimensions)}, got unit {q.unit!r}"
            raise ValueError(msg)
        # Compared in base units, shown in the units the file states.
        factor = q.factor
        unit = f" {q.unit}" if q.unit else ""
        stated_low, stated_high = q.support()
        low, high = stated_low * factor, stated_high * factor
        if lower is not None and low < lower:
            msg = (
                f"values should be >= {lower / factor:g}{unit}, but this quantity reaches "
                f"{stated_low:g}{unit}"
            )
            raise ValueError(msg)
        if upper is not None and high > upper:
            msg = (
                f"values should be <= {upper / factor:g}{unit}, but this quantity reaches "
                f"{stated_high:g}{unit}"
            )
            raise ValueError(msg)
        if positive and (low < 0 or (low == 0 and not q._open_below)):
            msg = (
                f"values should be > 0 (the model divides by this number), but this "
                f"quantity reaches {stated_low:g}{unit}"
            )
            raise ValueError(msg)
        return q

    return AfterValidator(check)
