"""The workbench (``alliances serve``): a local web app to edit a scenario and watch the
wedge price move.

FastAPI serves one page (``static/index.html``, no external assets: Plotly's script is
served from the installed package) and a small JSON API. The browser holds the scenario
as YAML; every edit is sent with it, applied to the quantity it names, validated with the
same validator as the command line, and answered with either the problems (path, line,
message) or the new results, computed with fewer draws so that they come back within
about a second. The workbench is confined to one folder, its *workspace*, and to the
person who started it.

==============  ======================================================================
``app``         :func:`create_app`: the parts below assembled into one FastAPI app
``server``      :func:`serve`: uvicorn on ``127.0.0.1``, :func:`url_for` with the token
``security``    :func:`new_token`, the Host and Origin checks, the body limit (``Guard``)
``workspace``   :class:`Workspace`: the folder's files, atomic saves, backups, locks
``api``         the endpoints, one router per group, each built from its dependencies
``editing``     the scenario the page sends: parsed, edited, restructured
``answers``     results (and errors) as JSON answers; ``Pricing``, the draws and store
``problems``    ``Refused`` and the problems listed in answers, redacted for files
==============  ======================================================================

The names below are imported on first use, so that ``import alliances.web`` loads
neither FastAPI nor the numerical libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliances._lazy import lazy

_LAZY = {
    "create_app": "alliances.web.app",
    "serve": "alliances.web.server",
    "url_for": "alliances.web.server",
    "new_token": "alliances.web.security",
    "MAX_BODY": "alliances.web.workspace",
    "Workspace": "alliances.web.workspace",
}

__all__ = ["MAX_BODY", "Workspace", "create_app", "new_token", "serve", "url_for"]

if TYPE_CHECKING:
    from alliances.web.app import create_app
    from alliances.web.security import new_token
    from alliances.web.server import serve, url_for
    from alliances.web.workspace import MAX_BODY, Workspace


__getattr__, __dir__ = lazy("alliances.web", _LAZY, globals(), __all__)
