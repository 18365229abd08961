"""The result of :func:`~alliances.analysis.balance.frustration_index`, and its JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["BalanceResult"]


def _finite(value: float) -> float | None:
    """A number for JSON: NaN and ±inf, which standard JSON cannot write, as None."""
    return value if math.isfinite(value) else None


@dataclass
class BalanceResult:
    """The best partition found, with what is proved about it.

    ``optimal`` is true only with a zero gap; ``lower_bound`` ≤ ``frustration_index``
    always, and ``gap`` = (value − bound) / value (0 when the value is 0). ``warnings``
    says what was done instead of what was asked (for instance a set-up that used the
    time limit up).
    """

    frustration_index: float
    optimal: bool
    gap: float
    lower_bound: float
    seconds: float
    partition: dict[object, int]
    method: str
    local_minima: list[tuple[float, dict[object, int]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    time_limit: float | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary: plain Python types, no NaN or infinity (as ``None``)."""
        return {
            "frustration_index": _finite(float(self.frustration_index)),
            "optimal": bool(self.optimal),
            "gap": _finite(float(self.gap)),
            "lower_bound": _finite(float(self.lower_bound)),
            "seconds": _finite(float(self.seconds)),
            "method": str(self.method),
            "time_limit": None if self.time_limit is None else _finite(float(self.time_limit)),
            "partition": {str(k): int(v) for k, v in self.partition.items()},
            "warnings": [str(w) for w in self.warnings],
        }
