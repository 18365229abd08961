"""Short summaries for Jupyter: ``alliances._display``."""

import doctest
from dataclasses import dataclass

from alliances import _display
from alliances._display import PanelSummary


def test_display_doctests_pass():
    assert doctest.testmod(_display).failed == 0


@dataclass(frozen=True, repr=False)
class DyadYears(PanelSummary):
    system: str = "cow"
    years: tuple[int, int] = (2000, 2014)
    directed: bool = False
    used: tuple[str, ...] = ("atop_alliance", "atop_alliance", "cow_trade_ndy")

    def columns(self):
        return ["ccode1", "ccode2", "year", *(f"c{k}" for k in range(20))]


def test_a_panel_summary_names_unit_years_columns_and_datasets_once():
    text = repr(DyadYears())
    assert text.splitlines()[0] == "DyadYears: undirected COW panel, 2000–2014"
    assert "… (23 in all)" in text
    assert "datasets: atop_alliance, cow_trade_ndy" in text
    assert len(text) < 500


def test_a_panel_summary_in_html_is_escaped():
    html = DyadYears(used=("<x>",))._repr_html_()
    assert "&lt;x&gt;" in html
    assert "<x>" not in html
