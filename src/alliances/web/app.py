"""The workbench's application: :func:`create_app` assembles the parts.

The guard (:mod:`~alliances.web.security`) in front, the routers
(:mod:`~alliances.web.api`) behind it, every error answered as JSON
(:mod:`~alliances.web.answers`), the files confined to the workspace
(:mod:`~alliances.web.workspace`), every answer grounded in the store as the command
line grounds it.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from alliances.web import api
from alliances.web.answers import ERROR_ANSWERS, JSONAnswer, Pricing
from alliances.web.security import Guard
from alliances.web.workspace import Workspace

__all__ = ["create_app"]

_STARTED_WITHOUT_STORE = "the workbench was started without a store"
"""Why the answers are not grounded when ``find_store=False`` and no store is given."""


def create_app(
    workspace: str | os.PathLike[str],
    *,
    token: str | None,
    host: str = "127.0.0.1",
    port: int = 8765,
    samples: int = 20_000,
    sobol: int = 256,
    seed: int = 0,
    report_samples: int = 100_000,
    store: str | os.PathLike[str] | None = None,
    find_store: bool = True,
) -> FastAPI:
    """The workbench serving ``workspace``, for the address ``host:port``.

    ``token`` is the secret every API call must carry (see
    :func:`~alliances.web.security.new_token`), or ``None`` to accept calls without one.
    ``host`` and ``port`` are the address the app is served on; requests naming another
    host are refused. Raises :class:`~alliances.errors.OutputError` if ``workspace`` is
    not an existing folder.

    Every answer is grounded in the world data store as the command line grounds it:
    ``store`` if given (a :class:`~alliances.errors.DataError` if it is not there), else
    the default store when it has been built (``find_store=False``: none), and says so
    (``grounded.statement``). ``samples`` and ``sobol`` are the draws of the live answers;
    the report downloaded is ``alliances report``'s, with ``report_samples`` draws (the
    command's default) and the same seed and store, so the two files are the same but for
    their time stamp.
    """
    from alliances.world.connection import no_default_store, resolve_store

    folder = Workspace(workspace)
    pricing = Pricing(
        store=resolve_store(store) if store is not None or find_store else None,
        why_no_store=no_default_store() if find_store else _STARTED_WITHOUT_STORE,
        samples=samples,
        sobol=sobol,
        seed=seed,
        report_samples=report_samples,
    )
    app = FastAPI(
        title="alliances workbench",
        default_response_class=JSONAnswer,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        exception_handlers=dict(ERROR_ANSWERS),
    )
    app.add_middleware(Guard, host=host, port=port, token=token)
    app.include_router(api.page())
    app.include_router(api.files(folder, pricing))
    app.include_router(api.editing(pricing))
    app.include_router(api.reports(pricing))
    return app
