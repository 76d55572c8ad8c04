"""The application factory: one store, an optional write token, the API routers, problem details,
offline docs and one log line per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request

from rasd.serve import docs, problems

log = logging.getLogger("rasd.serve")


def create_app(store_url: str, token: str | None = None, routers: Iterable[APIRouter] = (), *, create: bool = False,
               alerts_dir: str | None = None, warm: bool = False, warmers: Iterable = ()) -> FastAPI:
    """A FastAPI app over the store at ``store_url`` (a path or URL). Writes need ``token``; with
    none they are refused. ``routers`` are mounted after the API (the dashboard is one).
    ``alerts_dir``: the one folder alerts created over HTTP may write their hit files into (else
    file delivery is refused over HTTP: a token must not let a client write anywhere on the server).
    ``warm``: start computing the whole-store aggregates (disagreements, entity counts) as the server starts,
    after ``warmers`` (each called with the store first, in the same background thread)."""
    from rasd.serve import api
    from rasd.store import open_store

    store = open_store(store_url, create=create)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if warm:
            from rasd.store import query

            query.warm(store, first=tuple(warmers))
        yield
        store.close()

    app = FastAPI(
        title="Rasd", version=_version(), lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Arabic news as structured records: documents, entities, claims, events, incidents, "
                    "stories and disagreements. Every list is cursor-paginated; errors are RFC 9457 problem details.",
    )
    app.state.store = store
    app.state.token = token or None
    app.state.alerts_dir = Path(alerts_dir).expanduser().resolve() if alerts_dir else None
    problems.install(app)
    api.install_refusal(app)
    docs.install(app)

    @app.middleware("http")
    async def one_line_per_request(request: Request, call_next):
        t0 = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            # the server's own time, for `rasd bench dashboard` and a browser's network panel
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - t0) * 1000:.1f}"
            return response
        finally:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            client = request.client.host if request.client else "-"
            log.info('%s "%s %s" %d %.1fms', client, request.method, path, status, (time.perf_counter() - t0) * 1000)

    app.include_router(api.router, prefix="/api/v1")
    for r in routers:
        app.include_router(r)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rasd")
    except PackageNotFoundError:
        return "0"
