"""Routes under /api/v1: thin wrappers over ``rasd.store.query`` (the same functions the CLI calls)."""

from __future__ import annotations

import hmac
import os
import tempfile
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from rasd.monitor.alerts import alert_hits_page, find_alert
from rasd.serve.problems import problem
from rasd.store import export as ex
from rasd.store import query

router = APIRouter()

Limit = Annotated[int | None, Query(ge=1, le=query.MAX_LIMIT, description=f"Rows per page (default {query.DEFAULT_LIMIT}).")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page.")]
Count = Annotated[bool, Query(description="Also return total, the number of rows the filters match.")]
Since = Annotated[str | None, Query(description="YYYY-MM-DD (inclusive).")]
Until = Annotated[str | None, Query(description="YYYY-MM-DD (inclusive).")]


def _store(request: Request):
    return request.app.state.store


def _json(obj) -> JSONResponse:
    """The payload as JSON as it is (the query layer's dicts need no model validation on the way out)."""
    return JSONResponse(obj)


# ------------------------------------------------------------------------------------------------ reads

@router.get("/documents", summary="Documents, newest first")
def documents(request: Request, q: str | None = None, outlet: str | None = None, since: Since = None, until: Until = None,
              entity: str | None = None, limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(query.documents(_store(request), q=q, outlet=outlet, since=since, until=until, entity=entity, limit=limit,
                           cursor=cursor, count=count).to_json())


@router.get("/documents/{doc_id}", summary="One document: text, metadata, entities, claims and events with offsets")
def document(request: Request, doc_id: Annotated[str, Path(max_length=64)]):
    return _json(query.document(_store(request), doc_id))


@router.get("/search", summary="BM25-ranked full-text search with highlighted snippets")
def search(request: Request, q: Annotated[str, Query(description='Words (all must match), "phrases", OR, -word.')],
           entity: str | None = None, since: Since = None, until: Until = None, outlet: str | None = None,
           type: str | None = None,  # noqa: A002
           exclude: Annotated[list[str], Query(alias="not", description="Words or phrases to leave out.")] = (),
           limit: Limit = None, cursor: Cursor = None):
    return _json(query.search(_store(request), q, entity=entity, since=since, until=until, outlet=outlet, type=type,
                        exclude=tuple(exclude), limit=limit, cursor=cursor).to_json())


@router.get("/entities", summary="Entities with mention and document counts")
def entities(request: Request, type: str | None = None, q: str | None = None,  # noqa: A002
             sort: Annotated[str, Query(pattern="^(documents|id)$")] = "documents",
             limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(query.entities(_store(request), type=type, q=q, sort=sort, limit=limit, cursor=cursor, count=count).to_json())


@router.get("/entities/{entity_id}", summary="One entity: aliases, spellings seen, mentions by day, co-occurring, events")
def entity(request: Request, entity_id: str):
    return _json(query.entity(_store(request), entity_id))


@router.get("/claims", summary="Quantitative claims, oldest first")
def claims(request: Request, entity: str | None = None, subject: str | None = None, unit: str | None = None,
           since: Since = None, until: Until = None, outlet: str | None = None,
           limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(query.claims(_store(request), entity=entity, subject=subject, unit=unit, since=since, until=until, outlet=outlet,
                        limit=limit, cursor=cursor, count=count).to_json())


@router.get("/events", summary="PLOVER events, oldest first")
def events(request: Request, type: str | None = None, actor: str | None = None, entity: str | None = None,  # noqa: A002
           since: Since = None, until: Until = None, outlet: str | None = None, incident: int | None = None,
           limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(query.events(_store(request), type=type, actor=actor, entity=entity, since=since, until=until, outlet=outlet,
                        incident=incident, limit=limit, cursor=cursor, count=count).to_json())


@router.get("/incidents", summary="Incidents: one event, its reports and outlets, newest first")
def incidents(request: Request, type: str | None = None, actor: str | None = None, entity: str | None = None,  # noqa: A002
              since: Since = None, until: Until = None, min_reports: Annotated[int, Query(ge=1)] = 1,
              limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(query.incidents(_store(request), type=type, actor=actor, entity=entity, since=since, until=until,
                           min_reports=min_reports, limit=limit, cursor=cursor, count=count).to_json())


@router.get("/stories", summary="Stories: near-duplicate and rewritten articles, newest first")
def stories(request: Request, min_documents: Annotated[int, Query(ge=1)] = 1, outlet: str | None = None,
            limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(query.stories(_store(request), min_documents=min_documents, outlet=outlet, limit=limit, cursor=cursor,
                         count=count).to_json())


@router.get("/disagreements", summary="Figures that cannot both be true; events asserted and denied")
def disagreements(request: Request, subject: str | None = None, unit: str | None = None,
                  kind: Annotated[str | None, Query(pattern="^(figures|denial)$")] = None,
                  limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(query.disagreements(_store(request), subject=subject, unit=unit, kind=kind, limit=limit, cursor=cursor,
                               count=count).to_json())


@router.get("/stats", summary="Counts of documents, entities, mentions, claims, events, incidents, stories, outlets")
def stats(request: Request):
    return _json(query.stats(_store(request)))


AlertId = Annotated[str, Path(max_length=200, description="The alert's id (or its name).")]


@router.get("/alerts", summary="Saved searches (alerts) with their filters, destination and hit counts")
def alerts(request: Request):
    from rasd.monitor.alerts import list_alerts

    return _json({"items": list_alerts(_store(request)), "next_cursor": None})


@router.get("/alerts/{alert_id}", summary="One alert")
def alert(request: Request, alert_id: AlertId):
    return _json(find_alert(_store(request), alert_id))


@router.get("/alerts/{alert_id}/hits", summary="An alert's hits (one per new matching story), newest first")
def alert_hits(request: Request, alert_id: AlertId, limit: Limit = None, cursor: Cursor = None, count: Count = False):
    return _json(alert_hits_page(_store(request), alert_id, limit=limit, cursor=cursor, count=count).to_json())


# ------------------------------------------------------------------------------------------------ exports

_EXPORT_FILTERS = sorted({f for fs in ex.FILTERS.values() for f in fs})


@router.get("/export/{name}", summary="Export a listing: {documents|claims|events|entities}.{jsonl|csv|xlsx|geojson}",
            response_class=StreamingResponse)
def export(request: Request, name: Annotated[str, Path(description="e.g. claims.csv, events.geojson, documents.jsonl")],
           q: str | None = None, entity: str | None = None, subject: str | None = None, unit: str | None = None,
           actor: str | None = None, type: str | None = None, since: Since = None, until: Until = None,  # noqa: A002
           outlet: str | None = None, incident: int | None = None):
    what, _, fmt = name.partition(".")
    ex.check(what, fmt)
    given = {k: v for k, v in request.query_params.items()}
    unknown = sorted(set(given) - set(_EXPORT_FILTERS))
    if unknown:
        return problem(400, f"unknown parameter {', '.join(unknown)}", request)
    store = _store(request)
    headers = {"Content-Disposition": f'attachment; filename="{what}.{fmt}"'}
    if fmt == "xlsx":
        rows = ex.rows(store, what, **given)
        fd, tmp = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            ex.xlsx(what, rows, tmp)
        except BaseException:
            os.unlink(tmp)
            raise
        return FileResponse(tmp, media_type=ex.MEDIA_TYPES[fmt], headers=headers, background=BackgroundTask(os.unlink, tmp))
    chunks = ex.stream(store, what, fmt, **given)
    return StreamingResponse((c.encode("utf-8") for c in chunks), media_type=ex.MEDIA_TYPES[fmt], headers=headers)


# ------------------------------------------------------------------------------------------------ writes

def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    expected = request.app.state.token
    if not expected:
        raise _Refused(403, "writes are disabled: start rasd serve with --token-file FILE or $RASD_TOKEN")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise _Refused(401, "this needs Authorization: Bearer <token>")
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise _Refused(401, "wrong token")


class _Refused(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def install_refusal(app) -> None:
    @app.exception_handler(_Refused)
    async def _refused(request: Request, exc: _Refused):
        return problem(exc.status, exc.detail, request, headers={"WWW-Authenticate": "Bearer"} if exc.status == 401 else None)


class NewDocument(BaseModel):
    text: str | None = Field(None, description="Plain article text (or give html).")
    html: str | None = Field(None, description="A saved article page.")
    url: str | None = None
    outlet: str | None = Field(None, description="Used when the article does not state its outlet.")
    published: str | None = Field(None, description="YYYY-MM-DD, used when the article does not state a date.")


MAX_BODY_CHARS = 5_000_000


@router.post("/documents", status_code=201, dependencies=[Depends(require_token)],
             summary="Store an article exactly as rasd ingest does (idempotent); needs the token")
def post_document(request: Request, body: NewDocument):
    from rasd.pipeline import annotate_stream, clean
    from rasd.sources.files import RawArticle
    from rasd.store.ingest import IngestStats, ingest, only_new

    if (body.text is None) == (body.html is None):
        raise query.BadRequest('give exactly one of "text" and "html"')
    content = body.text if body.text is not None else body.html
    if len(content) > MAX_BODY_CHARS:
        raise query.BadRequest(f"article is {len(content):,} characters, over the {MAX_BODY_CHARS:,} limit")
    if not content.strip():
        raise query.BadRequest("empty article")
    query.check_date(body.published, "published")
    doc = clean(RawArticle("-", content, body.html is not None, "utf-8", body.url))
    if body.published and not doc.published:
        doc = doc.replace(published=body.published)
    if body.outlet and not doc.outlet:
        doc = doc.replace(outlet=body.outlet)
    store = _store(request)
    stats = IngestStats()
    ingest(store, annotate_stream(only_new(store, [doc], stats)), stats=stats)
    ids = [d.id for d in (doc, *doc.embedded)]
    payload = {"id": doc.id, "stored": stats.stored > 0, "embedded": ids[1:]}
    return JSONResponse(payload, status_code=201 if stats.stored else 200,
                        headers={"Location": f"{request.url.path.rstrip('/')}/{doc.id}"})


class NewAlert(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt filter is refused, not silently dropped

    name: str
    query: str = Field(description="A search in rasd search's query language.")
    entity: str | None = Field(None, description="Only documents that mention this entity (id or a name the KB knows).")
    event_type: str | None = Field(None, description="Only documents with an event of this PLOVER type.")
    file: str | None = Field(None, description="Append each hit as a JSON line to this file: a plain file name, "
                                                "inside the folder the server was started with (rasd serve --alerts-dir).")
    webhook: str | None = Field(None, description="POST each hit as JSON to this URL (public addresses only).")
    digest: str | None = Field(None, description='"daily": one message a day with the day\'s hits.')


@router.post("/alerts", status_code=201, dependencies=[Depends(require_token)],
             summary="Save a search as an alert, as rasd alerts add does; needs the token")
def post_alert(request: Request, body: NewAlert):
    from rasd.monitor.alerts import add_alert

    fields = body.model_dump()
    if fields["file"] and not fields["webhook"]:  # both: add_alert says "not both"
        fields["file"] = str(_alert_file(request, fields["file"]))
    a = add_alert(_store(request), **fields)
    return JSONResponse(a, status_code=201, headers={"Location": f"{request.url.path.rstrip('/')}/{a['id']}"})


def _alert_file(request: Request, name: str):
    """Where an alert made over HTTP may write: a plain name inside --alerts-dir, nothing else."""
    from rasd.monitor.alerts import AlertError

    folder = request.app.state.alerts_dir
    if folder is None:
        raise AlertError("file delivery over HTTP needs the server started with --alerts-dir DIR "
                         "(or use rasd alerts add --file); use webhook, or no destination, here")
    if name in (".", "..") or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        raise AlertError(f"file must be a plain file name inside the server's alerts folder, not {name!r}")
    return folder / name


@router.delete("/alerts/{alert_id}", dependencies=[Depends(require_token)],
               summary="Delete an alert and its hits, as rasd alerts remove does; needs the token")
def delete_alert(request: Request, alert_id: AlertId):
    from rasd.monitor.alerts import remove_alert

    store = _store(request)
    return _json(remove_alert(store, find_alert(store, alert_id)["id"]))
