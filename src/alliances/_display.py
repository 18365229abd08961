"""Short summaries for people: what ``repr`` and Jupyter show of a result, scenario or panel.

An object that can list its essentials in a few plain lines (``summary()``) gets a
``__repr__`` of those lines and an ``_repr_html_`` of the same lines, every text escaped,
instead of a dump of every field (a wedge result's fields run to thousands of characters).

Examples
--------
>>> class Thing(Summarised):
...     def summary(self):
...         return ["Thing <a>", "2 parts"]
>>> Thing()
Thing <a>
2 parts
>>> Thing()._repr_html_()
'<div><strong>Thing &lt;a&gt;</strong><ul><li>2 parts</li></ul></div>'
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["PanelSummary", "Summarised", "html_summary"]


def html_summary(lines: Sequence[str]) -> str:
    """The first line in bold, the others as a list, every text HTML-escaped."""
    if not lines:
        return "<div></div>"
    head, *rest = lines
    items = "".join(f"<li>{html.escape(line)}</li>" for line in rest)
    return f"<div><strong>{html.escape(head)}</strong><ul>{items}</ul></div>"


class Summarised:
    """Mixin: ``__repr__`` and ``_repr_html_`` from ``summary()``.

    A dataclass that uses it must say ``@dataclass(repr=False)``, or the generated
    ``__repr__`` replaces this one.
    """

    def summary(self) -> list[str]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return "\n".join(self.summary())

    def _repr_html_(self) -> str:
        return html_summary(self.summary())


class PanelSummary(Summarised):
    """Mixin for a panel of the world data (``DyadYears``, ``StateYears``): its unit, code
    system, years, columns and the datasets it reads, without running its query."""

    def summary(self) -> list[str]:
        name = type(self).__name__
        system = str(getattr(self, "system", "")).upper()
        first, last = getattr(self, "years", (None, None))
        directed = getattr(self, "directed", True)
        columns = list(self.columns()) if hasattr(self, "columns") else []
        used = list(dict.fromkeys(getattr(self, "used", ())))
        unit = "" if name != "DyadYears" else ("directed " if directed else "undirected ")
        shown = ", ".join(columns[:12]) + (
            f", … ({len(columns)} in all)" if len(columns) > 12 else ""
        )
        lines = [
            f"{name}: {unit}{system} panel, {first}–{last}",
            f"columns: {shown}" if columns else "columns: none yet",
            f"datasets: {', '.join(used)}" if used else "datasets: the code system's list only",
            "to_pandas() gives the rows, sql() the query",
        ]
        return lines
