"""Watched sources in the store: add, list, remove, which are due; and their freshness figures."""

from __future__ import annotations

import datetime as dt
import re
import statistics

from sqlalchemy import delete, func, select

from rasd.errors import RasdError
from rasd.sources.feeds import KINDS, guess_kind_from_url
from rasd.store import schema as t
from rasd.store.db import Store

DEFAULT_EVERY = "10m"
_EVERY = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}


class SourceError(RasdError):
    pass


def now_iso(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=dt.UTC)


def parse_every(value: str) -> int:
    """'90s', '10m', '2h', '1d' (a bare number is minutes) to seconds; at least one minute."""
    m = _EVERY.match(value or "")
    if not m:
        raise SourceError(f"bad interval {value!r} (use e.g. 30s, 10m, 2h, 1d)")
    secs = int(m.group(1)) * _UNIT[m.group(2)]
    if secs < 60:
        raise SourceError(f"interval {value!r} is under a minute; be polite to the outlet")
    return secs


def format_every(secs: int) -> str:
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if secs % n == 0:
            return f"{secs // n}{unit}"
    return f"{secs}s"


def add_source(store: Store, url: str, every: str = DEFAULT_EVERY, kind: str | None = None) -> dict:
    """Register a URL to watch. ``kind`` feed | sitemap | page; guessed when None (from the URL,
    else from the body at the first fetch)."""
    from rasd.monitor.fetch import Guard, Refused

    url = url.strip()
    try:
        Guard(allow_private=True).check_url(url)  # scheme and form only; addresses are checked when fetching
    except Refused as exc:
        raise SourceError(str(exc)) from None
    if kind is not None and kind not in KINDS:
        raise SourceError(f"bad kind {kind!r} (feed, sitemap or page)")
    secs = parse_every(every)
    with store.engine.begin() as conn:
        if conn.execute(select(t.sources.c.id).where(t.sources.c.url == url)).first():
            raise SourceError(f"already watched: {url}")
        sid = conn.execute(t.sources.insert(), {"url": url, "kind": kind or guess_kind_from_url(url),
                                                 "every_seconds": secs, "added_at": now_iso()}).inserted_primary_key[0]
        conn.execute(t.source_stats.insert(), {"source_id": sid, "consecutive_errors": 0, "polls": 0, "not_modified": 0,
                                                "items_seen": 0, "items_stored": 0, "errors": 0})
    return get_source(store, sid)


def get_source(store: Store, source_id: int) -> dict:
    rows = [s for s in list_sources(store) if s["id"] == source_id]
    if not rows:
        raise SourceError(f"no source with id {source_id} (see rasd sources list)")
    return rows[0]


def list_sources(store: Store) -> list[dict]:
    q = (select(t.sources, t.source_stats).select_from(t.sources.outerjoin(t.source_stats, t.source_stats.c.source_id == t.sources.c.id))
         .order_by(t.sources.c.id))
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    return [{
        "id": r["id"], "url": r["url"], "kind": r["kind"], "every": format_every(r["every_seconds"]),
        "every_seconds": r["every_seconds"], "added_at": r["added_at"], "next_due": r["next_due"],
        "last_poll": r["last_poll"], "last_ok": r["last_ok"], "last_status": r["last_status"], "last_error": r["last_error"],
        "polls": r["polls"] or 0, "not_modified": r["not_modified"] or 0, "items_seen": r["items_seen"] or 0,
        "items_stored": r["items_stored"] or 0, "errors": r["errors"] or 0, "consecutive_errors": r["consecutive_errors"] or 0,
    } for r in rows]


def remove_source(store: Store, source_id: int) -> dict:
    """Stop watching a source; the documents it brought stay in the store."""
    src = get_source(store, source_id)
    with store.engine.begin() as conn:
        urls = select(t.fetch_state.c.url).where(t.fetch_state.c.source_id == source_id)
        conn.execute(delete(t.page_versions).where(t.page_versions.c.url.in_(urls)))
        conn.execute(delete(t.fetch_state).where(t.fetch_state.c.source_id == source_id))
        conn.execute(delete(t.source_stats).where(t.source_stats.c.source_id == source_id))
        conn.execute(delete(t.sources).where(t.sources.c.id == source_id))
    return src


def due_sources(store: Store, now: dt.datetime | None = None) -> list[dict]:
    stamp = now_iso(now)
    return [s for s in list_sources(store) if not s["next_due"] or s["next_due"] <= stamp]


def freshness(store: Store) -> list[dict]:
    """Per source: last poll, items seen and stored, errors, and the median delay between an item's
    publication (as its listing dates it) and its storage, in seconds."""
    with store.engine.connect() as conn:
        delays: dict[int, list[float]] = {}
        for sid, d in conn.execute(select(t.fetch_state.c.source_id, t.fetch_state.c.delay_seconds)
                                   .where(t.fetch_state.c.delay_seconds.is_not(None))):
            delays.setdefault(sid, []).append(d)
        pending = dict(conn.execute(select(t.fetch_state.c.source_id, func.count())
                                    .where(t.fetch_state.c.status.in_(("pending", "error")), t.fetch_state.c.is_listing.is_(False))
                                    .group_by(t.fetch_state.c.source_id)).all())
    out = []
    for s in list_sources(store):
        d = delays.get(s["id"], [])
        out.append({
            "id": s["id"], "url": s["url"], "kind": s["kind"], "last_poll": s["last_poll"], "last_status": s["last_status"],
            "items_seen": s["items_seen"], "items_stored": s["items_stored"], "errors": s["errors"],
            "pending": pending.get(s["id"], 0),
            "median_delay_seconds": round(statistics.median(d), 1) if d else None,
        })
    return out
