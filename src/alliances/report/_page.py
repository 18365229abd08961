"""What every HTML page of the package shares: the head, the narrow-screen styles, the
script that fits the charts to their width, and the footer.

:func:`environment` is the Jinja2 environment of the pages (every text escaped); a
template imports the footer macro from ``_footer.html`` and writes ``{{ page.head }}`` in
its ``<head>`` and ``{{ page.script }}`` at the end of its ``<body>``:

- ``head``: the viewport tag (a phone lays the page out at its own width, not 980 px)
  and :data:`CSS`, the styles for narrow screens (tables scroll sideways inside a
  ``.table-wrap`` instead of widening the page; SHA-256 in a monospace cell that wraps);
- ``script``: ``fit_charts.js``, which places each Plotly chart's legend below its x-axis
  title with room made for it, and in a narrow chart wraps the title and puts a legend
  beside the plot beneath it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["CSS", "VIEWPORT", "environment", "page_parts"]

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
"""The tag that makes a phone lay the page out at its own width."""

CSS = """
  .table-wrap { overflow-x: auto; max-width: 100%; margin: .5em 0; }
  .table-wrap > table { margin: 0; }
  .hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
          font-size: .85em; word-break: break-all; overflow-wrap: anywhere; }
  td.hash { min-width: 12em; }
  .js-plotly-plot, .plotly-graph-div { max-width: 100%; }
  footer { margin-top: 2.5em; border-top: 1px solid #ddd; padding-top: .5em; }
  @media (max-width: 640px) {
    body { margin: 1em auto; padding: 0 .7em; }
    h1 { font-size: 1.35em; line-height: 1.25; }
    h2 { font-size: 1.15em; margin-top: 1.6em; }
    table { font-size: .82em; }
    th, td { padding: .2em .35em; }
    .question, .lead { padding: .6em .7em; font-size: 1.02em; }
    table.wide { min-width: 40em; }
    table.wider { min-width: 56em; }
  }
"""
"""Styles every page adds to its own: tables in a scrolling wrapper, hashes, narrow screens."""


@cache
def _script() -> str:
    return (
        resources.files("alliances.report")
        .joinpath("templates", "fit_charts.js")
        .read_text(encoding="utf-8")
    )


def page_parts() -> dict[str, Markup]:
    """``head`` (viewport tag and :data:`CSS`) and ``script`` (``fit_charts.js``) as markup."""
    return {
        "head": Markup(f"{VIEWPORT}\n<style>{CSS}</style>"),
        "script": Markup(f"<script>\n{_script()}</script>"),
    }


@cache
def environment() -> Environment:
    """The Jinja2 environment of the pages: the package's templates, every text escaped;
    made once, so that each template is compiled once per process."""
    from jinja2 import Environment, PackageLoader

    # the templates end in .html and .html.j2, which select_autoescape would not all catch
    return Environment(loader=PackageLoader("alliances.report", "templates"), autoescape=True)
