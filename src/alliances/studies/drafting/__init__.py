"""Draft a wedge scenario from the world data, by the rules of ``docs/drafting.md``.

:func:`draft` turns three actors and a year into a complete, valid scenario: the
target–partner bonds from trade, arms and alliances, the target's other costs, the
partner's counter-bid, the divider's stake and instruments. Every number either carries
a ``derive:`` record (dataset, version, SHA-256, years, query, rule) or an
``assumption:`` that starts with the id of the rule it follows; where the data have
nothing, the draft falls back to the rule's default, widens the prior and says so in
:attr:`Draft.warnings`. :func:`draft_many` drafts many triads of one year from one read
of the store.

The rules were fixed (committed) before the catalogue of wedge attempts that the backtest
scores them on; see ``docs/drafting.md`` for each rule and the paper it rests on. With
``rules=2`` a draft follows ``docs/drafting-v2.md`` instead (means from GDP, stakes from
the measured ties; :mod:`alliances.studies.drafting.v2`); the default, ``rules=1``, gives
the v1 drafts unchanged.

The package has one module per part of the rules:

==============  =======================================================================
``actors``      the sides of a draft: states, coalitions, organisations (rule A1)
``data``        what a draft reads of the store, in one window (rules A2, A3)
``quantities``  the priors a draft writes (rules A4, H1)
``triad``       one triad being drafted: its means, warnings and the divider's record
``bonds``       the target–partner bonds (rules B1–B6)
``target``      the target's costs of defection (rules R1, R2, K1)
``partner``     the partner's counter-bid (rules P1–P4)
``divider``     the divider's payoff and instruments (rules W1–W3, I1–I3)
``v2``          the rules that change in version 2 (``docs/drafting-v2.md``)
``builder``     :class:`Draft`, :func:`draft`, :func:`draft_many`, :func:`put_figures`
==============  =======================================================================

Examples
--------
>>> from alliances.studies.drafting import draft  # doctest: +SKIP
>>> d = draft("United States", "Russia", "Iran", 2016, store="world.duckdb")  # doctest: +SKIP
>>> d.scenario.question.divider, d.scenario.year  # doctest: +SKIP
('USA', 2016)
"""

from __future__ import annotations

from alliances.studies.drafting.actors import Actor, resolve_actor
from alliances.studies.drafting.builder import (
    Draft,
    Goal,
    Rules,
    draft,
    draft_many,
    put_figures,
)

__all__ = [
    "Actor",
    "Draft",
    "Goal",
    "Rules",
    "draft",
    "draft_many",
    "put_figures",
    "resolve_actor",
]
