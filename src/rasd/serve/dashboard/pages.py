"""The dashboard's pages: each a thin view over ``rasd.store.query``."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from rasd.errors import RasdError
from rasd.serve.dashboard import geo, i18n, render
from rasd.store import query

router = APIRouter(include_in_schema=False)
_env = render.environment()
_STATIC = {p.name: p for p in (render.HERE / "static").iterdir() if p.is_file()}
_MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
          ".json": "application/json", ".txt": "text/plain; charset=utf-8"}
_YEAR = 365 * 24 * 3600


def warm(store) -> None:
    """What a first request would otherwise pay for, done as ``rasd serve`` starts (in its background
    thread): the templates compiled, the world outline projected, the knowledge base loaded and the
    query parser's index of it built (1.3 s, the first search's time on a 100,000-article store)."""
    from rasd.kb.knowledge_base import knowledge_base
    from rasd.store import search as fts

    for name in _env.list_templates():
        _env.get_template(name)
    geo.world_svg()
    knowledge_base()
    top = query.entities(store, limit=1).items
    fts.parse_query((top[0]["name_ar"] or top[0]["name"]) if top else "رصد")


def _names(store, *records) -> dict[str, dict]:
    """The names of the entities these events and claims refer to (actors, targets, place, subject,
    source), so the page shows names, not ids."""
    ids = set()
    for r in records:
        ids.update(r.get("actors") or ())
        ids.update(r.get("targets") or ())
        ids.update(x for x in (r.get("place"), r.get("subject"), (r.get("source") or {}).get("entity")) if x)
    return query.entity_names(store, ids)


def _store(request: Request):
    return request.app.state.store


def _switch(request: Request, **change: str) -> str:
    """This page's address with a setting changed (the other query parameters kept)."""
    from urllib.parse import urlencode

    params = dict(request.query_params)
    params.update(change)
    return request.url.path + "?" + urlencode(params)


def _html(request: Request, template: str, status: int = 200, **ctx) -> HTMLResponse:
    settings, chosen = i18n.from_request(request.query_params, request.cookies)
    other = {"lang": "en" if settings.lang == "ar" else "ar",
             "digits": "western" if settings.digits == "arabic" else "arabic"}
    body = _env.get_template(template).render(request=request, nav=template.split(".")[0], settings=settings,
                                              switch={k: _switch(request, **{k: v}) for k, v in other.items()},
                                              other=other, **ctx)
    response = HTMLResponse(body, status_code=status, headers=render.HEADERS)
    for name, value in chosen.items():
        response.set_cookie(name, value, max_age=_YEAR, samesite="lax", httponly=True)
    return response


def _view(request: Request, template: str, build) -> HTMLResponse:
    """The page ``build()`` fills, or the same layout with the error: 404 for an unknown id, 400 for a bad filter."""
    try:
        return _html(request, template, **build())
    except query.NotFound as exc:
        return _html(request, "error.html", 404, message=str(exc))
    except RasdError as exc:
        return _html(request, "error.html", 400, message=str(exc))


def _limit(args: dict, default: int = 50) -> int:
    """Rows per page: ``?limit=`` (kept in ``args`` for the next-page link), else ``default``."""
    given = args.get("limit")
    if given is None:
        return default
    if not given.isdigit():
        raise query.BadRequest(f"bad limit {given!r}: a whole number")
    return query.check_limit(int(given))


def _args(request: Request, *names: str) -> dict:
    """The query string's filters (blank ones dropped; bidi controls removed, as everywhere on screen), to
    fill the forms and build the next-page links."""
    given = {n: render.clean(request.query_params.get(n, "")).strip() for n in names}
    return {n: v for n, v in given.items() if v}


def _filters(args: dict) -> dict:
    return {k: v for k, v in args.items() if k != "limit"}


@router.get("/static/{name}")
def static(name: str):
    path = _STATIC.get(name)
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type=_MEDIA.get(path.suffix, "application/octet-stream"),
                        headers={**render.HEADERS, "Cache-Control": "max-age=3600"})


def _day_table(rows: list[dict], days: int | None = None) -> dict:
    """Event counts by day: [{"day", "total", "types": {type: n}}], the types seen, and the largest total."""
    by_day: dict[str, dict] = {}
    for r in rows:
        d = by_day.setdefault(r["day"], {"day": r["day"], "total": 0, "types": defaultdict(int)})
        d["types"][r["type"]] += r["events"]
        d["total"] += r["events"]
    out = list(by_day.values())
    if days:
        out = out[-days:]
    types = sorted({t for d in out for t in d["types"]})
    return {"days": out, "types": types, "peak": max((d["total"] for d in out), default=0)}


def _newest(disagreements: list[dict], n: int) -> list[dict]:
    def when(d):
        return max((s.get("source_document", {}).get("published") or "" for s in d["sides"]), default="")
    return sorted(disagreements, key=when, reverse=True)[:n]


@router.get("/", response_class=HTMLResponse)
def overview(request: Request):
    def build():
        store = _store(request)
        try:  # the newest of every disagreement: computed once per state of the store, in the background
            dis = query.disagreements(store, limit=query.MAX_LIMIT, count=True, wait=False)
            newest, total, pending = _newest(dis.items, 6), dis.total, False
        except query.Pending:
            newest, total, pending = [], None, True
        return {"stats": query.stats(store),
                "stories": query.stories(store, min_documents=2, limit=10).items or query.stories(store, limit=10).items,
                "incidents": query.incidents(store, limit=10).items,
                "disagreements": newest, "disagreement_total": total, "pending": pending,
                "names": _names(store, *(side for d in newest for side in d["sides"])),
                "timeline": _day_table(query.event_days(store), days=28)}
    return _view(request, "overview.html", build)


SEARCH_FILTERS = ("q", "outlet", "since", "until", "entity", "type")
# The search ranks its most recently stored matches only (``?rank=all``: every match), and says so when
# more match: bm25 over all 34,000 matches of the most common name of a 100,000-article store took 400 ms.
SEARCH_LATEST = 5000
# The counts beside the facets are taken among the newest matches (the page says among how many):
# every entity of 1,000 documents is already 70 ms, of 500 about 40 ms (10,000-article store).
SEARCH_FACET_SAMPLE = 500


@router.get("/search", response_class=HTMLResponse)
def search(request: Request):
    args = _args(request, *SEARCH_FILTERS, "limit", "rank")
    cursor = request.query_params.get("cursor") or None

    def build():
        page = facets = None
        if args.get("rank") not in (None, "all"):
            raise query.BadRequest(f"bad rank {args['rank']!r}: all, or leave it out to rank the latest {SEARCH_LATEST:,} matches")
        if args.get("q"):
            store = _store(request)
            filters = {"outlet": args.get("outlet"), "since": args.get("since"), "until": args.get("until"),
                       "entity": args.get("entity"), "type": args.get("type")}
            page = query.search(store, args["q"], **filters, limit=_limit(args, 20), cursor=cursor, count=True,
                                latest=None if args.get("rank") == "all" else SEARCH_LATEST)
            if page.total:
                facets = query.search_facets(store, args["q"], **filters, sample=SEARCH_FACET_SAMPLE)
        return {"args": args, "page": page, "facets": facets}
    return _view(request, "search.html", build)


def _facts(doc: dict) -> tuple[list[dict], list[dict]]:
    """The document's entity mentions, claims and events as highlight spans, and as records to list."""
    spans, records = [], []
    for i, e in enumerate(doc["entities"]):
        ref = f"entity-{i}"
        records.append({"ref": ref, "kind": "entity", "record": e})
        for m in e["mentions"]:
            spans.append({"start": m["start"], "end": m["end"], "kind": "entity", "ref": ref,
                          "label": f"{e['type']}: {e['name']}"})
    for c in doc["claims"]:
        ref = f"claim-{c['claim_id']}"
        records.append({"ref": ref, "kind": "claim", "record": c})
        spans.append({"start": c["start"], "end": c["end"], "kind": "claim", "ref": ref,
                      "label": f"{c['qualifier'] or ''} {render.num(c['value'])} {c['unit']}".strip()})
    for e in doc["events"]:
        ref = f"event-{e['event_id']}"
        records.append({"ref": ref, "kind": "event", "record": e})
        spans.append({"start": e["start"], "end": e["end"], "kind": "event", "ref": ref,
                      "label": f"{e['type']} {', '.join(e['actors'])} → {', '.join(e['targets'])}"})
    return spans, records


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: Annotated[str, Path(max_length=64)]):
    def build():
        doc = query.document(_store(request), doc_id)
        spans, records = _facts(doc)
        return {"doc": doc, "body": render.highlight(doc["text"], spans), "records": records,
                "names": _names(_store(request), *doc["claims"], *doc["events"])}
    return _view(request, "document.html", build)


CLAIM_FILTERS = ("subject", "unit", "outlet", "since", "until")


def _disputed(store, subject, unit) -> set[int] | None:
    """The claim ids on a side of a disagreement (None while they are being computed)."""
    ids = set()
    try:
        found = query.disagreements(store, subject=subject, unit=unit, limit=query.MAX_LIMIT, wait=False).items
    except query.Pending:
        return None
    for d in found:
        ids.update(s["claim_id"] for s in d["sides"] if "claim_id" in s)
    return ids


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request):
    args = _args(request, *CLAIM_FILTERS, "limit")
    cursor = request.query_params.get("cursor") or None

    def build():
        store = _store(request)
        page = query.claims(store, limit=_limit(args), cursor=cursor, count=True, **_filters(args))
        disputed = _disputed(store, args.get("subject"), args.get("unit"))
        return {"args": args, "page": page, "disputed": disputed or set(), "pending": disputed is None,
                "names": _names(store, *page.items)}
    return _view(request, "claims.html", build)


@router.get("/disagreements", response_class=HTMLResponse)
def disagreements(request: Request):
    args = _args(request, "subject", "unit", "kind", "limit")
    cursor = request.query_params.get("cursor") or None

    def build():
        try:
            page = query.disagreements(_store(request), limit=_limit(args), cursor=cursor, count=True, wait=False,
                                       **_filters(args))
        except query.Pending:
            return {"args": args, "page": None, "pending": True}
        return {"args": args, "page": page, "pending": False,
                "names": _names(_store(request), *(side for d in page.items for side in d["sides"]))}
    return _view(request, "disagreements.html", build)


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request):
    args = _args(request, "q", "type", "limit")
    cursor = request.query_params.get("cursor") or None

    def build():
        return {"args": args, "page": query.entities(_store(request), limit=_limit(args), cursor=cursor, count=True, **_filters(args))}
    return _view(request, "entities.html", build)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: Annotated[str, Path(max_length=200)]):
    def build():
        store = _store(request)
        profile = query.entity(store, entity_id, stale=True)  # after an ingest: the last profile until the new one is ready
        days = profile["mentions_by_day"]
        claims = query.claims(store, subject=profile["id"], limit=50, count=True)
        return {"e": profile, "peak": max((d["documents"] for d in days), default=0), "claims": claims,
                "names": _names(store, *profile.get("events", []), *claims.items)}
    return _view(request, "entity.html", build)


TIMELINE_FILTERS = ("type", "actor", "entity", "outlet", "since", "until")
# Without a date range the timeline shows the latest weeks (``?days=all``: every day): a 100,000-article
# store has events on hundreds of days, and drawing them all was most of the page's time.
TIMELINE_DAYS = 90


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request):
    args = _args(request, *TIMELINE_FILTERS, "limit", "days")
    day = request.query_params.get("day") or None
    cursor = request.query_params.get("cursor") or None
    recent = None if args.get("days") == "all" or args.get("since") or args.get("until") else TIMELINE_DAYS

    def build():
        store = _store(request)
        if args.get("days") not in (None, "all"):
            raise query.BadRequest(f"bad days {args['days']!r}: all, or leave it out for the latest {TIMELINE_DAYS} days")
        filters = {k: v for k, v in _filters(args).items() if k != "days"}
        every = query.event_days(store, **filters)
        shown = query.event_days(store, **filters, recent_days=recent) if recent else every
        table = _day_table(shown)
        window = None
        if recent and len(shown) < len(every):  # say what is left out, with the way to see it
            window = {"first": query.recent_window(every, recent), "days": recent,
                      "events": sum(r["events"] for r in shown), "of": sum(r["events"] for r in every)}
        events = None
        if day:
            query.check_date(day, "day")
            events = query.events(store, **{**filters, "since": day, "until": day}, limit=_limit(args),
                                  cursor=cursor, count=True)
        return {"args": args, "day": day, "events": events, "window": window, **table,
                "names": _names(store, *(events.items if events else []))}
    return _view(request, "timeline.html", build)


MAP_FILTERS = ("type", "actor", "outlet", "since", "until")
# Points drawn at most (the most reported places; the page says how many of how many): each is an SVG
# circle with its label, and a 100,000-article store has events at 600 places.
MAP_POINTS = 250


@router.get("/map/world.svg")
def world_svg():
    """The world outline (Natural Earth 1:110m, vendored as static/world-110m.json), projected once."""
    return Response(geo.world_svg(), media_type="image/svg+xml",
                    headers={**render.HEADERS, "Cache-Control": "max-age=86400"})


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request):
    args = _args(request, *MAP_FILTERS, "limit")
    place = render.clean(request.query_params.get("place", "")).strip() or None
    whole = request.query_params.get("view") == "world"
    cursor = request.query_params.get("cursor") or None

    def build():
        store = _store(request)
        found = query.event_places(store, **_filters(args))
        points = []
        for p in found["places"][:MAP_POINTS]:  # most reported first
            x, y = geo.project(p["lat"], p["lon"])
            points.append({**p, "x": x, "y": y})
        view = geo.WHOLE if whole else geo.fit([(p["x"], p["y"]) for p in points])
        for p in points:
            p["r"] = geo.radius(p["reports"], view)
        events = chosen = None
        if place:
            events = query.events(store, **_filters(args), place=place, limit=_limit(args), cursor=cursor, count=True)
        # the largest drawn last, so a small point near a big one can still be clicked
        if place and not any(p["id"] == place for p in found["places"]):
            chosen = {"id": place, "name": place, "name_ar": None}
        elif place:
            chosen = next(p for p in found["places"] if p["id"] == place)
        return {"args": args, "view": view, "whole": whole, "points": sorted(points, key=lambda p: -p["r"]),
                "ranked": points, "unplaced": found["unplaced"], "place": chosen, "events": events,
                "located": {"places": len(found["places"]), "events": sum(p["events"] for p in found["places"])},
                "names": _names(store, *(events.items if events else []))}
    return _view(request, "map.html", build)
