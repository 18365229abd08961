"""The ``alliances`` command line.

Every command prints a table for people and, with ``--json``, one JSON object on
standard output for scripts.

Errors go through one handler (:class:`_Group`), whatever the command:

======  ===============================================================================
exit    meaning
======  ===============================================================================
0       done
1       ``validate``: a check against published figures failed
2       a user error: an :class:`~alliances.errors.AlliancesError` or a bad option value;
        ``Type: message`` on standard error, printed as plain text (never as markup), or
        with ``--json`` one object ``{"error": {"type", "message", "problems": [...]}}``
        on standard output
70      a bug (sysexits' EX_SOFTWARE): one line asking for a report; the traceback only
        with ``--debug`` or ``ALLIANCES_DEBUG=1``
130     interrupted by Ctrl-C (143 by SIGTERM): working files are removed first, and the
        files the user had are left as they were
======  ===============================================================================
"""

from __future__ import annotations

# isort: off
# Imported to register their commands, in the order ``alliances --help`` lists them.
from alliances.cli import (
    citing,
    data,
    forecasting,
    backtest,
    dyad,
    balance,
    align,
    validate,
    pricing,
    ingest,
    scenarios,
    serve,
    sweeping,
)

# isort: on
from alliances.cli._app import app, main

__all__ = ["app", "main"]

del citing, data, forecasting, backtest, dyad, balance, align, validate, pricing, ingest
del scenarios, serve, sweeping
