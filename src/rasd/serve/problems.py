"""Errors as RFC 9457 problem details: ``application/problem+json`` with type, title, status, detail, instance."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasd.errors import InputError, RasdError
from rasd.store.query import NotFound

log = logging.getLogger("rasd.serve")
MEDIA_TYPE = "application/problem+json"


def problem(status: int, detail: str, request: Request | None = None, headers: dict | None = None, **extra) -> JSONResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field(loc) -> str:
    loc = list(loc)
    if loc and loc[0] in ("query", "path", "body", "header"):  # where it was, not a field (a body field may be "query")
        loc = loc[1:]
    parts = [str(p) for p in loc]
    return ".".join(parts) or "request"


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return problem(404, str(exc), request)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError):
        return problem(400, exc.reason, request)

    @app.exception_handler(RasdError)
    async def _rasd(request: Request, exc: RasdError):
        return problem(400, str(exc), request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
        return problem(400, detail, request, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such path: {request.url.path}"
        return problem(exc.status_code, detail, request, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        log.exception("internal error on %s %s", request.method, request.url.path)
        return problem(500, "internal error (logged on the server)", request)
