"""One query layer under the CLI and the HTTP API: every listing with its filters, pages and counts.

Each listing returns a :class:`Page`: the items, an opaque ``next_cursor`` (``None`` on the last
page) and, when asked, ``total``, the number of rows the filters match. Cursors are keyset
positions on an immutable order (a row's own date, else its document's publication date, then its
id), so following them returns every row that was there when the walk began exactly once, even
while documents are added; ranked search is the exception (its cursor is a position in the ranking,
which new documents may shift). ``rasd claims --json`` and ``GET /api/v1/claims`` are both
``claims(...)`` here, so they cannot disagree.

User errors are :class:`BadRequest` (a bad date, cursor, limit or query: HTTP 400) and
:class:`NotFound` (an unknown id: HTTP 404); both are ``RasdError``, one line in the CLI.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from rasd.errors import RasdError
from rasd.store import search as fts
from rasd.store.db import Store
from rasd.store.lazy import lazy_module

# Imported on first use: analysis and text() import SQLAlchemy, which a search on a SQLite store does
# not need.
analysis = lazy_module("rasd.store.analysis")


def sql(stmt: str):
    from sqlalchemy import text

    return text(stmt)


DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BadRequest(RasdError):
    """A request that cannot be answered as asked (HTTP 400)."""


class NotFound(RasdError):
    """An id that is not in the store (HTTP 404)."""


@dataclass
class Page:
    items: list[dict]
    next_cursor: str | None = None
    total: int | None = None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"items": self.items, "next_cursor": self.next_cursor}
        if self.total is not None:
            out["total"] = self.total
        return {**out, **self.extra}


# ---------------------------------------------------------------------------------------------- checks

def check_date(value: str | None, name: str = "date") -> str | None:
    """A date filter as given (YYYY-MM-DD or a longer ISO timestamp), or BadRequest."""
    from rasd.arabic.dates import to_date

    if value is None or value == "":
        return None
    if to_date(value) is None:
        raise BadRequest(f"bad {name} {value!r} (use YYYY-MM-DD)")
    return value


def check_limit(limit: int | None, default: int = DEFAULT_LIMIT) -> int:
    if limit is None:
        return default
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"bad limit {limit}: between 1 and {MAX_LIMIT}")
    return limit


def check_offset(offset: int | None) -> int:
    if offset is None:
        return 0
    if offset < 0:
        raise BadRequest(f"bad offset {offset}: 0 or more")
    return offset


def resolve(store: Store, name: str | None, what: str = "entity") -> str | None:
    """An entity filter (id, English or Arabic name, any known spelling) as its id; unknown -> BadRequest."""
    if not name:
        return None
    try:
        return analysis.resolve_entity(store, name)
    except RasdError:
        raise BadRequest(f"unknown {what}: {name!r}") from None


def _fingerprint(kind: str, filters: dict) -> str:
    blob = json.dumps([kind, sorted((k, v) for k, v in filters.items() if v not in (None, "", False))], default=str)
    return hashlib.blake2b(blob.encode(), digest_size=6).hexdigest()


def encode_cursor(kind: str, filters: dict, position) -> str:
    raw = json.dumps({"k": kind, "f": _fingerprint(kind, filters), "p": position}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(kind: str, filters: dict, cursor: str | None):
    """The position a cursor holds, or BadRequest if it is malformed or was made by another listing or filters."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        kind_, fp, pos = data["k"], data["f"], data["p"]
    except (binascii.Error, ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise BadRequest(f"bad cursor {cursor[:40]!r}: pass next_cursor from the previous page unchanged") from None
    if kind_ != kind or fp != _fingerprint(kind, filters):
        raise BadRequest("bad cursor: it belongs to another listing or other filters (start again without a cursor)")
    return pos


def _position(pos, kinds: tuple[type, ...]) -> tuple:
    if not isinstance(pos, list) or len(pos) != len(kinds) or not all(isinstance(p, k) for p, k in zip(pos, kinds, strict=True)):
        raise BadRequest("bad cursor: pass next_cursor from the previous page unchanged")
    return tuple(pos)


def _no_cursor_and_offset(cursor, offset) -> None:
    if cursor and offset:
        raise BadRequest("give either a cursor or an offset, not both")


def keyset_page(kind: str, filters: dict, fetch, limit, cursor, offset, total_fn, count: bool, key_types) -> Page:
    """A page of a keyset listing: ``fetch(after, limit, offset)`` yields rows carrying ``sort`` and their id."""
    limit = check_limit(limit)
    offset = check_offset(offset)
    _no_cursor_and_offset(cursor, offset)
    pos = decode_cursor(kind, filters, cursor)
    after = _position(pos, key_types) if pos is not None else None
    rows = list(fetch(after, limit + 1, offset))
    more = len(rows) > limit
    rows = rows[:limit]
    keys = [r.pop("_key") for r in rows]
    nxt = encode_cursor(kind, filters, list(keys[-1])) if more else None
    return Page(rows, nxt, total_fn() if count else None)


# ---------------------------------------------------------------------------------------------- listings

def claims(store: Store, *, subject: str | None = None, entity: str | None = None, unit: str | None = None,
           since: str | None = None, until: str | None = None, outlet: str | None = None,
           limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = False) -> Page:
    """Quantitative claims, oldest first (the claim's date, else its document's)."""
    since, until = check_date(since, "since"), check_date(until, "until")
    f = {"subject": resolve(store, subject), "entity": resolve(store, entity), "unit": unit, "since": since,
         "until": until, "outlet": outlet}

    def fetch(after, n, off):
        for c in analysis.iter_claims(store, limit=n, after=after, offset=off, **f):
            c["_key"] = (c.pop("sort"), c["claim_id"])
            yield c

    return keyset_page("claims", f, fetch, limit, cursor, offset, _counted(store, "claims", f, lambda: analysis.count_claims(store, **f)), count, (str, int))


def events(store: Store, *, entity: str | None = None, actor: str | None = None, type: str | None = None,  # noqa: A002
           since: str | None = None, until: str | None = None, outlet: str | None = None, incident: int | None = None,
           place: str | None = None,
           limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = False) -> Page:
    """PLOVER events, oldest first (the event's date, else its document's). ``place``: where it happened."""
    since, until = check_date(since, "since"), check_date(until, "until")
    f = {"entity": resolve(store, entity), "actor": resolve(store, actor, "actor"), "etype": type.upper() if type else None,
         "since": since, "until": until, "outlet": outlet, "incident": incident, "place": resolve(store, place, "place")}

    def fetch(after, n, off):
        for e in analysis.iter_events(store, limit=n, after=after, offset=off, **f):
            e["_key"] = (e.pop("sort"), e["event_id"])
            yield e

    return keyset_page("events", f, fetch, limit, cursor, offset, _counted(store, "events", f, lambda: analysis.count_events(store, **f)), count, (str, int))


_INCIDENT_ORDER = "coalesce(i.date_value, '')"


def incidents(store: Store, *, entity: str | None = None, actor: str | None = None, type: str | None = None,  # noqa: A002
              since: str | None = None, until: str | None = None, min_reports: int = 1,
              limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = False) -> Page:
    """Events merged across documents, newest first: one row per incident with every reporting document
    and outlet. ``min_reports`` keeps incidents reported by at least that many documents."""
    since, until = check_date(since, "since"), check_date(until, "until")
    f = {"entity": resolve(store, entity), "actor": resolve(store, actor, "actor"), "type": type.upper() if type else None,
         "since": since, "until": until, "min_reports": min_reports if min_reports and min_reports > 1 else None}
    where, params = [], {}
    if f["type"]:
        where.append("i.type = :type")
        params["type"] = f["type"]
    analysis._date_filters(where, params, "i.date_value", since, until)
    for name, role in (("entity", None), ("actor", "actor")):
        if f[name]:
            where.append(
                "i.id IN (SELECT e.incident_id FROM events e JOIN event_entities x ON x.event_id = e.id "
                f"WHERE x.entity_id = :{name}" + (f" AND x.role = '{role}')" if role else ")"))
            params[name] = f[name]
    if f["min_reports"]:
        where.append("(SELECT count(DISTINCT e.doc_id) FROM events e WHERE e.incident_id = i.id) >= :min_reports")
        params["min_reports"] = f["min_reports"]
    else:
        where.append("EXISTS (SELECT 1 FROM events e WHERE e.incident_id = i.id)")
    base = f"SELECT i.id, i.type, i.date_value, i.place, i.actors, {_INCIDENT_ORDER} AS sort FROM incidents i"

    def fetch(after, n, off):
        w, p = list(where), dict(params)
        if after is not None:
            w.append(f"({_INCIDENT_ORDER}, i.id) < (:ak, :aid)")
            p["ak"], p["aid"] = after
        stmt = base + " WHERE " + " AND ".join(w) + f" ORDER BY {_INCIDENT_ORDER} DESC, i.id DESC LIMIT {int(n)} OFFSET {int(off)}"
        with store.engine.connect() as conn:
            rows = conn.execute(sql(stmt), p).all()
            docs = _incident_documents(conn, [r.id for r in rows])
        for r in rows:
            ds, targets = docs.get(r.id, ([], []))
            yield {"incident": r.id, "type": r.type, "date": r.date_value, "place": r.place, "actors": json.loads(r.actors),
                   "targets": targets, "reports": len(ds), "outlets": sorted({d["outlet"] for d in ds if d["outlet"]}),
                   "documents": ds, "_key": (r.sort, r.id)}

    def total():
        with store.engine.connect() as conn:
            return conn.execute(sql("SELECT count(*) FROM incidents i WHERE " + " AND ".join(where)), params).scalar()

    return keyset_page("incidents", f, fetch, limit, cursor, offset, total, count, (str, int))


def _incident_documents(conn, ids: list[int]) -> dict[int, tuple[list[dict], list[str]]]:
    if not ids:
        return {}
    rows = conn.execute(sql(
        "SELECT e.incident_id, e.targets, d.id, d.path, d.url, d.published, d.outlet, d.title FROM events e "
        "JOIN documents d ON d.id = e.doc_id WHERE e.incident_id IN (" + ",".join(str(int(i)) for i in ids) + ") "
        "ORDER BY e.incident_id, coalesce(d.published, ''), d.id"
    )).all()
    out: dict[int, tuple[list[dict], list[str]]] = {}
    for r in rows:
        docs, targets = out.setdefault(r.incident_id, ([], []))
        if not any(d["id"] == r.id for d in docs):
            docs.append({"id": r.id, "title": r.title, "outlet": r.outlet, "published": r.published,
                         "source": {"path": r.path, "url": r.url}})
        targets += [x for x in json.loads(r.targets) if x not in targets]
    return out


def stories(store: Store, *, min_documents: int = 1, outlet: str | None = None,
            limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = False) -> Page:
    """Near-duplicate and rewritten articles grouped into stories, newest story first."""
    f = {"min_documents": min_documents if min_documents and min_documents > 1 else None, "outlet": outlet}
    where, params = [], {}
    if outlet:
        where.append("s.id IN (SELECT story_id FROM documents WHERE outlet = :outlet)")
        params["outlet"] = outlet
    if f["min_documents"]:
        where.append("(SELECT count(*) FROM documents d WHERE d.story_id = s.id) >= :min_documents")
        params["min_documents"] = f["min_documents"]
    else:
        where.append("EXISTS (SELECT 1 FROM documents d WHERE d.story_id = s.id)")
    base = "SELECT s.id, s.key, s.title, s.first_seen FROM stories s"

    def fetch(after, n, off):
        w, p = list(where), dict(params)
        if after is not None:
            w.append("s.id < :aid")
            p["aid"] = after[0]
        stmt = base + " WHERE " + " AND ".join(w) + f" ORDER BY s.id DESC LIMIT {int(n)} OFFSET {int(off)}"
        with store.engine.connect() as conn:
            rows = conn.execute(sql(stmt), p).all()
            ids = [r.id for r in rows]
            docs = conn.execute(sql(
                "SELECT story_id, id, title, outlet, published, path, url FROM documents WHERE story_id IN ("
                + ",".join(str(int(i)) for i in ids) + ") ORDER BY coalesce(published, ''), id"
            )).all() if ids else []
        by_story = defaultdict(list)
        for d in docs:
            by_story[d.story_id].append({"id": d.id, "title": d.title, "outlet": d.outlet, "published": d.published,
                                         "source": {"path": d.path, "url": d.url}})
        for r in rows:
            ds = by_story[r.id]
            outlets = list(dict.fromkeys(d["outlet"] for d in ds if d["outlet"]))
            yield {"story": r.key, "title": r.title, "first_seen": r.first_seen, "documents": ds, "outlets": outlets, "_key": (r.id,)}

    def total():
        with store.engine.connect() as conn:
            return conn.execute(sql("SELECT count(*) FROM stories s WHERE " + " AND ".join(where)), params).scalar()

    return keyset_page("stories", f, fetch, limit, cursor, offset, total, count, (int,))


def entities(store: Store, *, type: str | None = None, q: str | None = None, sort: str = "documents",  # noqa: A002
             limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = False) -> Page:
    """Entities in the store with their mention and document counts; ``q`` keeps names containing it.

    ``sort=documents`` (most reported first) follows counts that grow as documents arrive, so a walk
    over pages during ingest may see an entity twice or miss one; ``sort=id`` is immutable."""
    if sort not in ("documents", "id"):
        raise BadRequest(f"bad sort {sort!r}: documents or id")
    f = {"type": type.upper() if type else None, "q": q, "sort": sort}
    needle = q.lower() if q else None
    every = [e for e in _entity_counts(store)
             if (not f["type"] or e["type"] == f["type"])
             and (not needle or needle in e["name"].lower() or needle in (e["name_ar"] or "") or needle in e["id"].lower())]
    if sort == "id":
        every = sorted(every, key=lambda e: e["id"])

    def key(e):
        return (e["documents"], e["id"])

    def after_key(e, after):
        return e["id"] > after[1] if sort == "id" else (-e["documents"], e["id"]) > (-after[0], after[1])

    def fetch(after, n, off):
        rows = every if after is None else [e for e in every if after_key(e, after)]
        return [{**e, "_key": key(e)} for e in rows[off:off + n]]

    def total():
        return len(every)

    return keyset_page("entities", f, fetch, limit, cursor, offset, total, count, (int, str))


def _generation(store: Store) -> tuple:
    """Changes whenever documents are added (they are never changed or removed one by one). On SQLite
    the largest rowid (an index lookup; a count(*) scans the table, 30 ms at 100,000 documents)."""
    stmt = "SELECT max(rowid) FROM documents" if store.dialect == "sqlite" else "SELECT count(*) FROM documents"
    with store.engine.connect() as conn:
        return (store.url, conn.execute(sql(stmt)).scalar())


class Pending(RasdError):
    """An aggregate is being computed in the background for this state of the store and none is ready."""


_CACHE: dict[tuple, tuple] = {}
_LOCK = threading.Lock()
_RUNNING: dict[tuple, threading.Thread] = {}
_CACHE_SIZE = 256
_GRACE = 0.1  # seconds a caller that does not wait still waits for a background computation


def _store_value(key: tuple, gen: tuple, value) -> None:
    with _LOCK:
        _CACHE.pop(key, None)
        while len(_CACHE) >= _CACHE_SIZE:  # one entry per store, aggregate and filter: the oldest go first
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (gen, value)


def _cached(store: Store, name: str, compute, *, wait: bool = True, stale: bool = False):
    """``compute()`` once per state of the store: aggregates over every row (entity counts,
    disagreements, statistics) are read again only after documents were added.

    With ``wait=False`` a missing or outdated value is computed in a background thread instead, and
    the call returns the previous state's value meanwhile (a page stays fast after an ingest), or
    raises :class:`Pending` when there is none yet. ``stale=True``: the previous state's value too, while
    the new one is computed in the background, but a value never computed is computed now (waited for)."""
    gen = _generation(store)
    key = (name, store.url)
    hit = _CACHE.get(key)
    if hit and hit[0] == gen:
        return hit[1]
    if stale:
        wait = hit is None
    if wait:
        value = compute()
        _store_value(key, gen, value)
        return value
    with _LOCK:
        running = _RUNNING.get(key)
        if running is None or not running.is_alive():
            def work():
                try:
                    _store_value(key, gen, compute())
                finally:
                    with _LOCK:
                        _RUNNING.pop(key, None)
            running = _RUNNING[key] = threading.Thread(target=work, name=f"rasd-cache-{name}", daemon=True)
            running.start()
    running.join(_GRACE)  # a small store's aggregate is ready at once: no "being computed" for it
    hit = _CACHE.get(key) or hit
    if hit:
        return hit[1]
    raise Pending(f"{name} is being computed; try again in a moment")


def _counted(store: Store, kind: str, filters: dict, count_fn):
    """A listing's ``total``, cached per state of the store and filters (a count over every claim or
    event of a 100,000-article store is a table scan)."""
    return lambda: _cached(store, f"count:{kind}:{_fingerprint(kind, filters)}", count_fn)


# Entities whose profile ``warm`` computes as the server starts (the most reported: a common entity's
# profile reads 34,000 documents' dates; a rare one's is fast anyway).
WARM_PROFILES = 20


def warm(store: Store, first=()) -> threading.Thread:
    """Start computing what the dashboard's first pages need, in one background thread: ``first`` (each
    called with the store: the dashboard's templates and the knowledge base the query parser reads), the
    overview's statistics, events per day and places, entity counts, the profiles of the
    ``WARM_PROFILES`` most reported entities, then the disagreements."""
    def profiles():
        for e in _entity_counts(store)[:WARM_PROFILES]:
            entity(store, e["id"])

    def work():
        for fn in (*(lambda f=f: f(store) for f in first), lambda: stats(store), lambda: event_days(store),
                   lambda: event_places(store), lambda: _entity_counts(store), profiles, lambda: disagreements(store)):
            try:
                fn()
            except Exception:  # noqa: BLE001  (a store closed under it at shutdown: nothing to warm)
                return
    thread = threading.Thread(target=work, name="rasd-cache-warm", daemon=True)
    thread.start()
    return thread


def _entity_counts(store: Store, *, wait: bool = True) -> list[dict]:
    """Every entity with its mention and document counts, most reported first."""
    def compute():
        stmt = ("SELECT e.id, e.name, e.name_ar, e.type, e.wikidata, count(m.entity_id) AS mentions, "
                "count(DISTINCT m.doc_id) AS documents FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id "
                "GROUP BY e.id, e.name, e.name_ar, e.type, e.wikidata")
        with store.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(sql(stmt))]
        return sorted(rows, key=lambda e: (-e["documents"], e["id"]))
    return _cached(store, "entities", compute, wait=wait)


def entity(store: Store, name: str, *, stale: bool = False) -> dict:
    """One entity's profile: aliases, spellings seen, mentions by month and by day, co-occurring entities, events.
    ``stale``: after an ingest, the previous state's profile while the new one is computed in the
    background (the dashboard; see :func:`_cached`)."""
    try:
        eid = analysis.resolve_entity(store, name)
    except RasdError:
        raise NotFound(f"unknown entity: {name!r}") from None

    def compute():
        try:
            days = analysis.entity_days(store, eid)  # one read serves the days and the months
            profile = analysis.entity_profile(store, eid, days)
        except RasdError:
            raise NotFound(f"unknown entity: {name!r}") from None
        profile["mentions_by_day"] = days
        for ev in profile.get("events", []):
            ev.pop("sort", None)
        return profile
    # once per state of the store: a common entity's profile reads 100,000+ index entries
    return copy.deepcopy(_cached(store, f"entity:{eid}", compute, stale=stale))


def _documents_filters(store: Store, q, outlet, since, until, entity) -> tuple[list[str], dict]:
    where, params = fts.document_filters(entity, since, until, outlet, None)
    if q:
        cond, p = fts.match_clause(store, q)
        where.append(cond)
        params.update(p)
    return where, params


_DOC_ORDER = "coalesce(d.published, '')"
# a story is named by its key (its smallest document id: the same whatever order documents arrived in)
_DOC_COLUMNS = ("d.id, d.parent_id, d.path, d.url, d.outlet, d.title, d.author, d.published, d.keywords, d.story_id, d.ingested_at, "
                "(SELECT s.key FROM stories s WHERE s.id = d.story_id) AS story_key")


def _doc_summary(r) -> dict:
    return {"id": r.id, "parent": r.parent_id, "source": {"path": r.path, "url": r.url}, "outlet": r.outlet,
            "title": r.title, "author": r.author, "published": r.published, "keywords": json.loads(r.keywords or "[]"),
            "story": r.story_key, "ingested_at": r.ingested_at}


def documents(store: Store, *, q: str | None = None, outlet: str | None = None, since: str | None = None,
              until: str | None = None, entity: str | None = None, with_text: bool = False,
              limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = False) -> Page:
    """Documents, newest publication first (undated last); ``q`` keeps those a search query matches."""
    since, until = check_date(since, "since"), check_date(until, "until")
    f = {"q": q, "outlet": outlet, "since": since, "until": until, "entity": resolve(store, entity), "text": with_text}
    where, params = _query_errors(lambda: _documents_filters(store, q, outlet, since, until, f["entity"]))
    cols = _DOC_COLUMNS + (", d.text" if with_text else "")

    def fetch(after, n, off):
        w, p = list(where), dict(params)
        if after is not None:
            w.append(f"({_DOC_ORDER}, d.id) < (:ak, :aid)")
            p["ak"], p["aid"] = after
        stmt = (f"SELECT {cols}, {_DOC_ORDER} AS sort FROM documents d" + (" WHERE " + " AND ".join(w) if w else "")
                + f" ORDER BY {_DOC_ORDER} DESC, d.id DESC LIMIT {int(n)} OFFSET {int(off)}")
        with store.engine.connect() as conn:
            rows = _query_errors(lambda: conn.execute(sql(stmt), p).all())
        for r in rows:
            d = _doc_summary(r)
            if with_text:
                d["text"] = r.text
            d["_key"] = (r.sort, r.id)
            yield d

    def total():
        stmt = "SELECT count(*) FROM documents d" + (" WHERE " + " AND ".join(where) if where else "")
        with store.engine.connect() as conn:
            return _query_errors(lambda: conn.execute(sql(stmt), params).scalar())

    return keyset_page("documents", f, fetch, limit, cursor, offset, total, count, (str, str))


def iter_documents(store: Store, **filters):
    """Every document the filters match (with its text), page by page: for exports."""
    cursor = None
    while True:
        page = documents(store, with_text=True, limit=MAX_LIMIT, cursor=cursor, **filters)
        yield from page.items
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def _query_errors(fn):
    try:
        return fn()
    except fts.QueryError as exc:
        raise BadRequest(str(exc)) from None


def document(store: Store, doc_id: str) -> dict:
    """One document: text, metadata, and every entity (with each mention's offsets), claim and event."""
    with store.engine.connect() as conn:
        r = conn.execute(sql(f"SELECT {_DOC_COLUMNS}, d.text, d.dropped FROM documents d WHERE d.id = :id"), {"id": doc_id}).first()
        if r is None:
            raise NotFound(f"no document {doc_id!r} in this store")
        mentions = conn.execute(sql(
            "SELECT m.entity_id, m.start, m.\"end\", m.text, e.name, e.name_ar, e.type, e.wikidata FROM mentions m "
            "JOIN entities e ON e.id = m.entity_id WHERE m.doc_id = :id ORDER BY m.start, m.\"end\""
        ), {"id": doc_id}).all()
        children = conn.execute(sql("SELECT id FROM documents WHERE parent_id = :id ORDER BY id"), {"id": doc_id}).scalars().all()
    ents: dict[str, dict] = {}
    for m in mentions:
        e = ents.setdefault(m.entity_id, {"id": m.entity_id, "name": m.name, "name_ar": m.name_ar, "type": m.type,
                                          "wikidata": m.wikidata, "mentions": []})
        e["mentions"].append({"start": m.start, "end": m.end, "text": m.text})
    out = _doc_summary(r)
    out.update(text=r.text, dropped=json.loads(r.dropped or "[]"), embedded=children, entities=list(ents.values()))
    out["claims"] = [_strip(c) for c in analysis.iter_claims(store, doc=doc_id)]
    out["events"] = [_strip(e) for e in analysis.iter_events(store, doc=doc_id)]
    return out


def _strip(row: dict) -> dict:
    row.pop("sort", None)
    return row


def search(store: Store, q: str, *, entity: str | None = None, since: str | None = None, until: str | None = None,
           outlet: str | None = None, type: str | None = None, exclude: tuple[str, ...] = (),  # noqa: A002
           limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = True,
           latest: int | None = None) -> Page:
    """BM25-ranked search with snippets; ``total`` is how many documents match, not how many are shown.

    ``latest``: rank only the ``latest`` most recently stored matches (SQLite): when more match, the
    page's ``ranked_among`` says how many were ranked (of ``total``) and its pages end there. Ranking
    every match of the most common name (34,000 of 100,000 articles) was 400 ms of bm25."""
    since, until = check_date(since, "since"), check_date(until, "until")
    if not q or not q.strip():
        raise BadRequest("bad query: empty")
    query = fts.excluding(q, exclude)
    if latest is not None and latest < 1:
        raise BadRequest(f"bad latest {latest}: 1 or more")
    latest = latest if store.dialect == "sqlite" else None  # PostgreSQL ranks every match
    f = {"q": query, "entity": resolve(store, entity), "since": since, "until": until, "outlet": outlet, "type": type,
         "latest": latest}
    limit = check_limit(limit, 20)
    offset = check_offset(offset)
    _no_cursor_and_offset(cursor, offset)
    pos = decode_cursor("search", f, cursor)
    if pos is not None:
        offset = _position(pos, (int,))[0]
    kw = {"entity": f["entity"], "since": since, "until": until, "outlet": outlet, "event_type": type}
    hits = _query_errors(lambda: fts.search(store, query, limit=limit + 1, offset=offset, totals=count, latest=latest, **kw))
    more = len(hits) > limit
    total, extra = None, {"query": query}
    if count or latest is not None:  # counted in the ranking's own statement when the engine can (SQLite), else apart
        total = hits[0].total if hits and hits[0].total is not None else _query_errors(lambda: fts.count(store, query, **kw))
        if latest is not None and total > latest:
            extra["ranked_among"] = latest
    nxt = encode_cursor("search", f, [offset + limit]) if more else None
    return Page([h.to_json() for h in hits[:limit]], nxt, total if count else None, extra)


def entity_names(store: Store, ids) -> dict[str, dict]:
    """``{id: {"name", "name_ar"}}`` for the entities among ``ids`` that the store has (a page's actors,
    targets, places and subjects, shown by name)."""
    ids = sorted({i for i in ids if i})
    out: dict[str, dict] = {}
    with store.engine.connect() as conn:
        for k in range(0, len(ids), 500):  # under SQLite's limit on bound parameters
            part = ids[k:k + 500]
            rows = conn.execute(sql("SELECT id, name, name_ar FROM entities WHERE id IN ("
                                    + ",".join(f":e{i}" for i in range(len(part))) + ")"), {f"e{i}": v for i, v in enumerate(part)})
            out.update({r.id: {"name": r.name, "name_ar": r.name_ar} for r in rows})
    return out


def search_facets(store: Store, q: str, *, sample: int, entity: str | None = None, since: str | None = None,
                  until: str | None = None, outlet: str | None = None, type: str | None = None,  # noqa: A002
                  exclude: tuple[str, ...] = (), top: int = 10) -> dict:
    """Counts beside the search's facets: how many of its ``sample`` most recently stored matches (with
    the same filters as :func:`search`) have each outlet, event type and entity, the ``top`` of each:
    ``{"outlet": [{"value", "n"}], "type": [...], "entity": [{"value", "name", "name_ar", "n"}], "among": k}``.
    The entities the query or the entity filter name are left out (every match has them)."""
    since, until = check_date(since, "since"), check_date(until, "until")
    if not q or not q.strip():
        raise BadRequest("bad query: empty")
    query = fts.excluding(q, exclude)
    eid = resolve(store, entity)
    kw = {"entity": eid, "since": since, "until": until, "outlet": outlet, "event_type": type}
    named = {a[0] for g in _query_errors(lambda: fts.parse_query(query)) for t in g if not t.negated
             for a in t.alternatives if len(a) == 1 and a[0].startswith("ent")}
    found = _query_errors(lambda: fts.facet_counts(store, query, sample=sample, top=top + len(named) + 1, **kw))
    ents = [(v, n) for v, n in found["entity"] if v != eid and fts.entity_token(v) not in named][:top]
    names = entity_names(store, [v for v, _ in ents])
    return {"among": found["among"],
            "outlet": [{"value": v, "n": n} for v, n in found["outlet"][:top]],
            "type": [{"value": v, "n": n} for v, n in found["type"][:top]],
            "entity": [{"value": v, "n": n, **names.get(v, {"name": v, "name_ar": None})} for v, n in ents]}


def disagreements(store: Store, *, subject: str | None = None, unit: str | None = None, kind: str | None = None,
                  limit: int | None = None, cursor: str | None = None, offset: int | None = None, count: bool = False,
                  wait: bool = True) -> Page:
    """Figures that cannot both be true and events asserted by one source and denied by another,
    in a fixed order of their sides' ids (so a cursor walk is stable). Computed once per state of the
    store; ``wait=False``: see :func:`_cached` (the dashboard does not block on a first computation)."""
    if kind not in (None, "figures", "denial"):
        raise BadRequest(f"bad kind {kind!r}: figures or denial")
    f = {"subject": resolve(store, subject), "unit": unit, "kind": kind}
    def compute():
        found = analysis.disagreements(store, subject=f["subject"], unit=unit)
        for d in found:
            for side in d["sides"]:
                _strip(side)
        return sorted(found, key=_disagreement_key)

    rows = [{**d, "_key": (_disagreement_key(d),)}
            for d in _cached(store, f"disagreements:{f['subject']}:{unit}", compute, wait=wait) if not kind or d["kind"] == kind]

    def fetch(after, n, off):
        it = (d for d in rows if after is None or d["_key"][0] > after[0])
        return list(it)[off:off + n]

    return keyset_page("disagreements", f, fetch, limit, cursor, offset, lambda: len(rows), count, (str,))


def _disagreement_key(d: dict) -> str:
    ids = sorted(f"{s.get('claim_id', s.get('event_id', ''))}" .zfill(12) for s in d["sides"])
    return d["kind"] + ":" + ":".join(ids)


def event_days(store: Store, *, type: str | None = None, actor: str | None = None, entity: str | None = None,  # noqa: A002
               since: str | None = None, until: str | None = None, outlet: str | None = None,
               recent_days: int | None = None) -> list[dict]:
    """Events counted by day and PLOVER type, oldest day first: ``[{"day", "type", "events"}]``. The day is
    the event's date (else its document's) cut to YYYY-MM-DD; an event dated only to a month counts under
    that month (YYYY-MM). Same filters as :func:`events`. ``recent_days``: only the days (and months) up
    to that many days before the newest day that has events (see :func:`recent_window`)."""
    rows = _event_days(store, type=type, actor=actor, entity=entity, since=since, until=until, outlet=outlet)
    if recent_days:
        first = recent_window(rows, recent_days)
        rows = [r for r in rows if r["day"] >= first[:len(r["day"])]]
    return rows


def recent_window(rows: list[dict], days: int, today: str | None = None) -> str:
    """The first day (YYYY-MM-DD) of the ``days`` days that end on the newest day of ``rows`` that is a
    calendar day and not after ``today`` (a date read as 2040 is no reason to show an empty window);
    "" (keep every row) when there is none."""
    import datetime as dt

    today = today or dt.date.today().isoformat()
    newest = None
    for r in rows:
        d = r["day"]
        if len(d) == 10 and d <= today and (newest is None or d > newest):
            try:
                dt.date.fromisoformat(d)
            except ValueError:  # not a calendar day (a source's 2024-02-30)
                continue
            newest = d
    if newest is None:
        return ""
    return (dt.date.fromisoformat(newest) - dt.timedelta(days=days - 1)).isoformat()


def _event_days(store: Store, *, type, actor, entity, since, until, outlet) -> list[dict]:  # noqa: A002
    since, until = check_date(since, "since"), check_date(until, "until")
    if type and not (actor or entity or since or until or outlet):
        # one type's days are rows of every type's (cached as the server starts): no second pass over events
        return [r for r in _event_days(store, type=None, actor=None, entity=None, since=None, until=None, outlet=None)
                if r["type"] == type.upper()]
    f = {"entity": resolve(store, entity), "type": type, "since": since, "until": until, "actor": resolve(store, actor, "actor"),
         "outlet": outlet}
    where, params = analysis._event_filters(f["entity"], type, since, until, f["actor"], outlet, None)
    day = f"substr({analysis.EVENT_ORDER}, 1, 10)"
    # the documents are joined only for the outlet filter (the order key is the event's own column)
    stmt = (f"SELECT {day} AS day, e.type, count(*) AS n FROM events e" + (" JOIN documents d ON d.id = e.doc_id" if outlet else "")
            + (" WHERE " + " AND ".join(where) if where else "") + f" GROUP BY {day}, e.type ORDER BY {day}, e.type")

    def compute():
        with store.engine.connect() as conn:
            return [{"day": r.day, "type": r.type, "events": r.n} for r in conn.execute(sql(stmt), params)
                    if r.day and r.day < "9999"]
    return [dict(r) for r in _cached(store, "days:" + _fingerprint("days", f), compute)]


def event_places(store: Store, *, type: str | None = None, actor: str | None = None,  # noqa: A002
                 since: str | None = None, until: str | None = None, outlet: str | None = None) -> dict:
    """Where events happened: ``{"places": [...], "unplaced": n}``. Each place (most reported first) has its
    entity id, names, point (``lat``, ``lon``, ``precision``: exact, city, region or country, from
    ``resources/places.tsv``), and its ``events``, ``reports`` (documents) and ``incidents``; ``unplaced``
    counts the events whose place has no known point. Same filters as :func:`events`; cached per store state."""
    from rasd.store.places import locate

    since, until = check_date(since, "since"), check_date(until, "until")
    f = {"etype": type, "actor": resolve(store, actor, "actor"), "since": since, "until": until, "outlet": outlet}
    where, params = analysis._event_filters(None, f["etype"], since, until, f["actor"], outlet, None)
    where.append("e.place IS NOT NULL")
    stmt = ("SELECT e.place, n.name, n.name_ar, count(*) AS events, count(DISTINCT e.doc_id) AS reports, "
            "count(DISTINCT e.incident_id) AS incidents FROM events e " + ("JOIN documents d ON d.id = e.doc_id " if outlet else "")
            + "LEFT JOIN entities n ON n.id = e.place WHERE " + " AND ".join(where) + " GROUP BY e.place, n.name, n.name_ar")

    def compute():
        places, unplaced = [], 0
        with store.engine.connect() as conn:
            rows = conn.execute(sql(stmt), params).all()
        for r in rows:
            p = locate(r.place, r.name_ar)
            if p is None:
                unplaced += r.events
                continue
            places.append({"id": r.place, "name": r.name or p.name, "name_ar": r.name_ar, "lat": p.lat, "lon": p.lon,
                           "precision": p.precision, "country": p.country, "events": r.events, "reports": r.reports,
                           "incidents": r.incidents})
        places.sort(key=lambda p: (-p["reports"], -p["events"], p["id"]))
        return {"places": places, "unplaced": unplaced}

    return _cached(store, "places:" + _fingerprint("places", f), compute)


def stats(store: Store) -> dict:
    return dict(_cached(store, "stats", lambda: analysis.stats(store)))


__all__ = ["BadRequest", "NotFound", "Page", "Pending", "claims", "disagreements", "document", "documents",
           "entities", "entity", "entity_names", "event_days", "event_places", "events", "incidents", "keyset_page", "search", "search_facets", "stats", "stories", "warm"]
