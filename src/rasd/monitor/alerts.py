"""Saved searches and alerts: a library (no CLI here), so the command line and the API share it.

An alert is a saved search (``rasd.store.search`` query language, with an optional entity and
event-type filter). ``run_alerts`` looks at the documents ingested since the alert last looked —
by ``rasd watch`` or by ``rasd ingest`` — and records each match once per story in ``alert_hits``
(a unique index: a restart, a re-run or a rewrite of the same wire story never fires it again).
Every hit is in the alert log; it is also appended as a JSON line to the alert's file, or POSTed
as JSON to its webhook (the fetcher's address checks apply). With ``digest="daily"`` the hits of
a day go out as one message. A delivery that fails is retried at the next run; the hit itself
is never duplicated.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from rasd.errors import RasdError
from rasd.model import PLOVER_TYPES
from rasd.monitor.registry import now_iso, parse_time
from rasd.store import schema as t
from rasd.store.db import Store
from rasd.store.query import NotFound, Page, keyset_page

DIGESTS = ("daily",)
SEARCH_CHUNK = 500  # documents per search (bound parameters stay well under the engines' limits)
DIGEST_PERIOD = {"daily": dt.timedelta(days=1)}


class AlertError(RasdError):
    pass


@dataclass
class AlertRun:
    hits: list[dict] = field(default_factory=list)  # fired in this run
    delivered: int = 0
    errors: list[str] = field(default_factory=list)


def add_alert(store: Store, name: str, query: str, *, entity: str | None = None, event_type: str | None = None,
              file: str | None = None, webhook: str | None = None, digest: str | None = None,
              allow_private: bool = False) -> dict:
    """Save a search as an alert. It fires on documents ingested from now on."""
    from rasd.monitor.fetch import Guard, Refused
    from rasd.store.search import parse_query

    name = (name or "").strip()
    if not name:
        raise AlertError("an alert needs a name")
    parse_query(query)  # a bad query is refused now, not at every round
    if file and webhook:
        raise AlertError("give --file or --webhook, not both")
    if digest is not None and digest not in DIGESTS:
        raise AlertError(f"bad digest {digest!r} (daily)")
    if event_type:
        event_type = event_type.upper()
        if event_type not in PLOVER_TYPES:
            raise AlertError(f"unknown event type {event_type!r} (one of {', '.join(PLOVER_TYPES)})")
    if entity:
        entity = _entity_id(store, entity)
    if webhook:
        try:
            Guard(allow_private=allow_private).check_url(webhook)
        except Refused as exc:
            raise AlertError(f"webhook {exc}") from None
    if file:
        file = str(Path(file).expanduser().resolve())
    stamp = now_iso()
    with store.engine.begin() as conn:
        if conn.execute(select(t.alerts.c.id).where(t.alerts.c.name == name)).first():
            raise AlertError(f"an alert named {name!r} exists already")
        # ingested_at has whole seconds: what this very second already holds is not new to the alert
        before = conn.execute(select(t.documents.c.id).where(t.documents.c.ingested_at == stamp)).scalars().all()
        aid = conn.execute(t.alerts.insert(), dict(name=name, query=query, entity=entity, event_type=event_type, file=file,
                                                   webhook=webhook, digest=digest, created_at=stamp, checked_until=stamp,
                                                   checked_ids=json.dumps(sorted(before)),
                                                   last_digest_at=stamp if digest else None)).inserted_primary_key[0]
    return get_alert(store, aid)


def _entity_id(store: Store, name: str) -> str:
    from rasd.kb.knowledge_base import knowledge_base
    from rasd.store.analysis import resolve_entity

    if name in knowledge_base().entities:
        return name
    try:
        return resolve_entity(store, name)
    except RasdError:
        raise AlertError(f"unknown entity: {name!r} (an entity id, or a name the knowledge base knows)") from None


def list_alerts(store: Store) -> list[dict]:
    counts = select(t.alert_hits.c.alert_id, func.count().label("hits"), func.max(t.alert_hits.c.fired_at).label("last_hit")) \
        .group_by(t.alert_hits.c.alert_id).subquery()
    q = (select(t.alerts, counts.c.hits, counts.c.last_hit)
         .select_from(t.alerts.outerjoin(counts, counts.c.alert_id == t.alerts.c.id)).order_by(t.alerts.c.id))
    with store.engine.connect() as conn:
        return [_alert_json(r) for r in conn.execute(q).mappings()]


def _alert_json(r) -> dict:
    return {"id": r["id"], "name": r["name"], "query": r["query"], "entity": r["entity"], "event_type": r["event_type"],
            "deliver": "webhook" if r["webhook"] else "file" if r["file"] else "log", "file": r["file"], "webhook": r["webhook"],
            "digest": r["digest"], "created_at": r["created_at"], "checked_until": r["checked_until"],
            "hits": r.get("hits") or 0, "last_hit": r.get("last_hit")}


def get_alert(store: Store, alert: int | str) -> dict:
    for a in list_alerts(store):
        if a["id"] == alert or a["name"] == alert or str(a["id"]) == str(alert):
            return a
    raise AlertError(f"no alert {alert!r} (see rasd alerts list)")


def remove_alert(store: Store, alert: int | str) -> dict:
    a = get_alert(store, alert)
    with store.engine.begin() as conn:
        conn.execute(delete(t.alert_hits).where(t.alert_hits.c.alert_id == a["id"]))
        conn.execute(delete(t.alerts).where(t.alerts.c.id == a["id"]))
    return a


def alert_log(store: Store, alert: int | str | None = None, limit: int | None = 100,
              before: tuple[str, int] | None = None) -> list[dict]:
    """Hits, newest first (the alert log), for one alert or all; ``before`` (a hit's fired_at and id)
    starts after that hit (a keyset page: hits fired meanwhile come before it, so none is skipped)."""
    h = t.alert_hits.c
    q = (select(t.alert_hits, t.alerts.c.name.label("alert"))
         .select_from(t.alert_hits.join(t.alerts, t.alerts.c.id == h.alert_id))
         .order_by(h.fired_at.desc(), h.id.desc()))
    if alert is not None:
        q = q.where(h.alert_id == get_alert(store, alert)["id"])
    if before is not None:
        q = q.where(or_(h.fired_at < before[0], and_(h.fired_at == before[0], h.id < before[1])))
    if limit:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [_hit_json(r) for r in conn.execute(q).mappings()]


def _hit_json(r) -> dict:
    return {"id": r["id"], "alert_id": r["alert_id"], "alert": r["alert"], "document": r["doc_id"], "story": r["story_id"],
            "fired_at": r["fired_at"], "title": r["title"], "url": r["url"], "published": r["published"],
            "snippet": r["snippet"], "delivered_at": r["delivered_at"], "delivery_error": r["delivery_error"]}


def run_alerts(store: Store, fetcher=None, *, now: dt.datetime | None = None) -> AlertRun:  # noqa: ANN001
    """Check every alert against the documents ingested since it last looked; fire and deliver."""
    from rasd.store.search import search

    run = AlertRun()
    now = now or dt.datetime.now(dt.UTC)
    stamp = now_iso(now)
    with store.engine.connect() as conn:
        alerts = conn.execute(select(t.alerts).order_by(t.alerts.c.id)).mappings().all()
    for a in alerts:
        with store.engine.connect() as conn:
            rows = conn.execute(select(t.documents.c.id, t.documents.c.story_id, t.documents.c.ingested_at)
                                .where(t.documents.c.ingested_at >= a["checked_until"])).all()
            done = set(conn.execute(select(t.alert_hits.c.story_id).where(t.alert_hits.c.alert_id == a["id"])).scalars())
        looked = set(json.loads(a["checked_ids"] or "[]"))
        rows = [r for r in rows if not (r.ingested_at == a["checked_until"] and r.id in looked)]
        story = {r.id: r.story_id for r in rows}
        until = max([a["checked_until"], *(r.ingested_at for r in rows)])
        until_ids = {r.id for r in rows if r.ingested_at == until} | (looked if until == a["checked_until"] else set())
        fresh = [d for d, s in story.items() if s not in done]
        hits = []
        if fresh:
            try:
                for i in range(0, len(fresh), SEARCH_CHUNK):
                    part = fresh[i:i + SEARCH_CHUNK]
                    hits += search(store, a["query"], entity=a["entity"], event_type=a["event_type"], doc_ids=part, limit=len(part))
            except RasdError as exc:
                run.errors.append(f"{a['name']}: {exc}")
                continue
        try:
            _record(store, a, hits, story, done, (until, until_ids), stamp, run)
        except IntegrityError:  # another process fired one of them first: looked at again next run
            run.errors.append(f"{a['name']}: hits recorded by another process meanwhile; checked again next run")
            continue
        if a["file"] or a["webhook"]:
            _deliver(store, dict(a), fetcher, now, run)
    return run


def _record(store: Store, a, hits, story: dict, done: set, until: tuple[str, set[str]], stamp: str,  # noqa: ANN001
            run: AlertRun) -> None:
    fired = []
    with store.engine.begin() as conn:
        for h in sorted(hits, key=lambda h: (h.published or "", h.id)):
            sid = story[h.id]
            if sid in done:
                continue  # two documents of one story in the same round: the first fires
            row = dict(alert_id=a["id"], doc_id=h.id, story_id=sid, fired_at=stamp, title=h.title,
                       url=h.source.get("url") or h.source.get("path"), published=h.published, snippet=h.snippet)
            if not (a["file"] or a["webhook"]):
                row["delivered_at"] = stamp  # the log is where a log-only alert delivers
            conn.execute(t.alert_hits.insert(), row)
            done.add(sid)
            fired.append({**row, "alert": a["name"]})
        conn.execute(t.alerts.update().where(t.alerts.c.id == a["id"]).values(
            checked_until=until[0], checked_ids=json.dumps(sorted(until[1]))))
    run.hits += fired


def _deliver(store: Store, a: dict, fetcher, now: dt.datetime, run: AlertRun) -> None:  # noqa: ANN001
    with store.engine.connect() as conn:
        pending = conn.execute(select(t.alert_hits).where(t.alert_hits.c.alert_id == a["id"], t.alert_hits.c.delivered_at.is_(None))
                               .order_by(t.alert_hits.c.id)).mappings().all()
    if not pending:
        return
    hits = [_message_hit(r) for r in pending]
    if a["digest"]:
        last = parse_time(a["last_digest_at"] or a["created_at"])
        if last and now - last < DIGEST_PERIOD[a["digest"]]:
            return
        messages = [([r["id"] for r in pending], {"alert": a["name"], "query": a["query"], "digest": a["digest"],
                                                  "sent_at": now_iso(now), "count": len(hits), "hits": hits})]
    else:
        messages = [([r["id"]], {"alert": a["name"], "query": a["query"], **h}) for r, h in zip(pending, hits, strict=True)]
    for ids, message in messages:
        error = None
        try:
            _send(a, message, fetcher)
        except (OSError, RasdError) as exc:
            error = str(exc)[:500]
            run.errors.append(f"{a['name']}: delivery failed: {error}")
        with store.engine.begin() as conn:
            conn.execute(t.alert_hits.update().where(t.alert_hits.c.id.in_(ids)).values(
                delivered_at=None if error else now_iso(now), delivery_error=error))
            if a["digest"] and not error:
                conn.execute(t.alerts.update().where(t.alerts.c.id == a["id"]).values(last_digest_at=now_iso(now)))
        if error:
            return  # keep the order: the rest waits for the next run
        run.delivered += len(ids)


def _message_hit(r) -> dict:
    return {"document": r["doc_id"], "story": r["story_id"], "title": r["title"], "url": r["url"],
            "published": r["published"], "snippet": r["snippet"], "fired_at": r["fired_at"]}


def _send(a: dict, message: dict, fetcher) -> None:  # noqa: ANN001
    if a["file"]:
        path = Path(a["file"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(message, ensure_ascii=False) + "\n")
        return
    if fetcher is None:
        from rasd.monitor.fetch import Fetcher

        with Fetcher(robots=False, delay=0) as f:
            f.post_json(a["webhook"], message)
        return
    fetcher.post_json(a["webhook"], message)


def find_alert(store: Store, which: int | str) -> dict:
    """One saved search (alert) by id or name; NotFound when there is none."""
    try:
        return get_alert(store, which)
    except AlertError:
        raise NotFound(f"no alert {which!r}") from None


def alert_hits_page(store: Store, which: int | str, *, limit: int | None = None, cursor: str | None = None,
                    count: bool = False) -> Page:
    """One alert's hits, newest first (``rasd alerts log --alert``), cursor-paginated."""
    a = find_alert(store, which)

    def fetch(after, n, _off):
        return [{**h, "_key": (h["fired_at"], h["id"])} for h in alert_log(store, a["id"], n, before=after)]

    return keyset_page("alert_hits", {"alert": a["id"]}, fetch, limit, cursor, None, lambda: a["hits"], count, (str, int))
