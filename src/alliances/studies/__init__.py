"""Studies: where the world's data meet the analyses (DESIGN §2).

==================  ==========================================================
module              what it holds
==================  ==========================================================
grounding           a scenario's ``derive:`` queries resolved in the store
pricing             the wedge price grounded in a store: one path for every output
dyad_profile        everything the store knows of a pair in a year
world_alignment     the landscape alignment of the world's states in a year
published_checks    our measures checked against figures published by others
reporting           a scenario's report gathered: :func:`build_report`
backtest            the backtests: the catalogue's wedge attempts, the calibrated
                    P(flip) and its shipped layer, the exit forecast out of sample
==================  ==========================================================

The SQL they need is in :mod:`alliances.world` (the panels and
:mod:`alliances.world.queries`); a study passes the connection along.
"""

from alliances.studies.grounding import Grounding, ground
from alliances.studies.pricing import Priced, price
from alliances.studies.reporting import Report, ReportData, build_report, report_data

__all__ = [
    "Grounding",
    "Priced",
    "Report",
    "ReportData",
    "build_report",
    "ground",
    "price",
    "report_data",
]
