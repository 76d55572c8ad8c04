"""Reading the store as an analyst does: entities, claim series, events and incidents, stories,
disagreements, statistics and exports."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy import text as sql

from rasd.arabic.normalise import key
from rasd.errors import RasdError
from rasd.kb.knowledge_base import knowledge_base
from rasd.store import schema as t
from rasd.store.db import Store
from rasd.store.filters import conditions as _conditions


def resolve_entity(store: Store, name: str) -> str:
    """An entity id from an id, an English or Arabic name, or any spelling the KB knows."""
    kb = knowledge_base()
    with store.engine.connect() as conn:
        if conn.execute(select(t.entities.c.id).where(t.entities.c.id == name)).first():
            return name
        row = conn.execute(select(t.entities.c.id).where(func.lower(t.entities.c.name) == name.lower())).first()
        if row:
            return row[0]
        forms = kb.forms.get(key(name.replace("-", " ")))
        if forms:
            return forms[0].entity
        for eid, e in kb.entities.items():
            if e.name.lower() == name.lower():
                return eid
        row = conn.execute(select(t.entities.c.id).where(t.entities.c.name_ar == name)).first()
        if row:
            return row[0]
    raise RasdError(f"unknown entity: {name!r}")


def stats(store: Store) -> dict:
    with store.engine.connect() as conn:
        count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar()  # noqa: E731
        return {
            "documents": count(t.documents),
            "entities": count(t.entities),
            "mentions": count(t.mentions),
            "claims": count(t.claims),
            "events": count(t.events),
            "incidents": count(t.incidents),
            "stories": count(t.stories),
            "outlets": conn.execute(select(func.count(func.distinct(t.documents.c.outlet)))).scalar(),
        }


def entities(store: Store, limit: int = 50, etype: str | None = None) -> list[dict]:
    q = (
        select(t.entities.c.id, t.entities.c.name, t.entities.c.name_ar, t.entities.c.type, t.entities.c.wikidata,
               func.count(t.mentions.c.entity_id).label("mentions"),
               func.count(func.distinct(t.mentions.c.doc_id)).label("documents"))
        .select_from(t.entities.outerjoin(t.mentions, t.mentions.c.entity_id == t.entities.c.id))
        .group_by(t.entities.c.id).order_by(func.count(func.distinct(t.mentions.c.doc_id)).desc(), t.entities.c.id).limit(limit)
    )
    if etype:
        q = q.where(t.entities.c.type == etype.upper())
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


# The co-occurring entities of an entity are counted in at most this many of its documents (a fixed
# sample: those with the smallest ids, which are hashes; the profile says how many of how many):
# United States is in 33,737 of the 98,819 articles of the 100,000-article store, and reading every
# entity of all of them took 0.7 s.
CO_OCCURRING_DOCUMENTS = 2000


def _entity_documents(store: Store) -> str:
    """SQL for every document that mentions the entity ``:e``: ``doc_id``, ``n`` (its mentions) and ``day``
    (publication else ingest date, YYYY-MM-DD), read from the indexes mentions (entity_id, doc_id, text)
    and documents (id, published, ingested_at) of migration 0006, never a mention's or a document's row."""
    # SQLite picks the documents' unique id index (then reads the row) unless told; PostgreSQL plans it
    hint = " INDEXED BY ix_documents_id_date" if store.dialect == "sqlite" else ""
    return ("SELECT p.doc_id, p.n, substr(coalesce(d.published, d.ingested_at), 1, 10) AS day FROM "
            "(SELECT doc_id, count(*) AS n FROM mentions WHERE entity_id = :e GROUP BY doc_id) p "
            f"JOIN documents d{hint} ON d.id = p.doc_id")


def entity_days(store: Store, entity_id: str) -> list[dict]:
    """Mentions and documents per day (oldest first) of one entity, counted in the database: a common
    entity's 34,000 documents would cost more to hand to Python one by one than to count."""
    stmt = (f"SELECT day, sum(n) AS mentions, count(*) AS documents FROM ({_entity_documents(store)}) x "
            "GROUP BY day ORDER BY day")
    with store.engine.connect() as conn:
        return [{"day": r.day, "mentions": int(r.mentions), "documents": r.documents} for r in conn.execute(sql(stmt), {"e": entity_id})]


def co_occurring(store: Store, entity_id: str, limit: int = 15, cap: int = CO_OCCURRING_DOCUMENTS) -> list[dict]:
    """The entities that appear with this one, by shared documents, among ``cap`` of its documents
    (those with the smallest ids: the first ones the index mentions (entity_id, doc_id) lists)."""
    # distinct (document, entity) pairs, from the index mentions (doc_id, entity_id): a self-join of
    # mentions multiplies every mention of one by every mention of the other
    stmt = (
        "SELECT e.id, e.name, count(*) AS n FROM (SELECT DISTINCT m.doc_id, m.entity_id FROM mentions m "
        "WHERE m.doc_id IN (SELECT DISTINCT doc_id FROM mentions WHERE entity_id = :e ORDER BY doc_id LIMIT :cap) "
        "AND m.entity_id <> :e) p JOIN entities e ON e.id = p.entity_id GROUP BY e.id, e.name ORDER BY n DESC, e.id LIMIT :limit"
    )
    with store.engine.connect() as conn:
        rows = conn.execute(sql(stmt), {"e": entity_id, "cap": cap, "limit": limit}).all()
    return [{"id": i, "name": n, "documents": c} for i, n, c in rows]


def entity_profile(store: Store, entity_id: str, days: list[dict] | None = None) -> dict:
    """``days``: the entity's :func:`entity_days` if the caller has them (the months are summed from them)."""
    kb = knowledge_base()
    with store.engine.connect() as conn:
        row = conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()
        if row is None:
            raise RasdError(f"entity {entity_id!r} is not in this database")
        surfaces = conn.execute(sql(
            "SELECT text, count(*) AS n FROM mentions WHERE entity_id = :e GROUP BY text ORDER BY n DESC, text LIMIT 20"
        ), {"e": entity_id}).all()
    if days is None:
        days = entity_days(store, entity_id)
    by_month = Counter()
    for d in days:  # a document has one day, so its month's documents are the sum of its days'
        by_month[d["day"][:7]] += d["documents"]
    n_docs = sum(d["documents"] for d in days)
    kb_entity = kb.entities.get(entity_id)
    return {
        "id": row.id, "name": row.name, "name_ar": row.name_ar, "type": row.type, "wikidata": row.wikidata,
        "aliases": sorted(f for f, forms in kb.forms.items() if any(x.entity == entity_id and not x.lil for x in forms))[:40]
        if kb_entity else [],
        "spellings_seen": {text: n for text, n in surfaces},
        "mentions_by_month": [{"month": m, "documents": by_month[m]} for m in sorted(by_month)],
        "co_occurring": co_occurring(store, entity_id, cap=CO_OCCURRING_DOCUMENTS),
        # how many of its documents the co-occurring entities were counted in, of how many
        "co_occurring_among": {"documents": min(n_docs, CO_OCCURRING_DOCUMENTS), "of": n_docs},
        "events": list(iter_events(store, entity=entity_id, limit=50)),
    }


def _doc_ref(row) -> dict:
    return {"id": row.doc_id, "source": {"path": row.path, "url": row.url}, "published": row.published, "outlet": row.outlet}


# The listing order of claims and events: the row's own date, else its document's publication date,
# else '9999' (kept in sort_key by a trigger, migration 0004_api), then the id.
CLAIM_ORDER = "c.sort_key"
EVENT_ORDER = "e.sort_key"


def _date_filters(where: list[str], params: dict, expr: str, since: str | None, until: str | None) -> None:
    if since:
        where.append(f"{expr} < '9999'")  # an undated row is outside every date range
        where.append(f"{expr} >= :since")
        params["since"] = since
    if until:
        where.append(f"{expr} <= :until")
        params["until"] = until + "T99" if len(until) == 10 else until


def _page(stmt: str, where: list[str], params: dict, order: str, id_col: str, after: tuple | None, limit, offset) -> str:
    """WHERE, ORDER BY and LIMIT of a listing; ``after`` (sort value, id) continues after that row (keyset)."""
    if after is not None:
        where.append(f"({order}, {id_col}) > (:after_key, :after_id)")
        params["after_key"], params["after_id"] = after
    return (
        stmt + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}, {id_col}"
        + (f" LIMIT {int(limit)}" if limit else (" LIMIT -1" if offset else "")) + (f" OFFSET {int(offset)}" if offset else "")
    )


def iter_claims(store: Store, subject: str | None = None, unit: str | None = None, limit: int | None = None, *,
                entity: str | None = None, since: str | None = None, until: str | None = None, outlet: str | None = None,
                doc: str | None = None, after: tuple | None = None, offset: int = 0) -> Iterator[dict]:
    """Claims of the rasd.extract/1 form with their document, oldest first (the claim's date, else publication).

    ``entity`` keeps claims whose subject or source is that entity; ``since``/``until`` compare the
    claim's date (else the publication date); ``after`` is a keyset position (``sort``, ``claim_id``)."""
    where, params = _claim_filters(subject, unit, entity, since, until, outlet, doc)
    stmt = _page(f"SELECT c.*, d.path, d.url, d.published, d.outlet, {CLAIM_ORDER} AS sort FROM claims c JOIN documents d ON d.id = c.doc_id",
                 where, params, CLAIM_ORDER, "c.id", after, limit, offset)
    if store.dialect != "sqlite":
        stmt = stmt.replace(" LIMIT -1", "")
    with store.engine.connect() as conn:
        for r in conn.execute(sql(stmt), params):
            yield {
                "value": r.value, "low": r.low, "high": r.high, "qualifier": r.qualifier, "unit": r.unit,
                "unit_text": r.unit_text, "subject": r.subject,
                "source": {"entity": r.source_entity, "text": r.source_text} if r.source_text is not None else None,
                "date": {"value": r.date_value, "text": r.date_text, "precision": r.date_precision} if r.date_text is not None else None,
                "modality": r.modality, "start": r.start, "end": r.end, "sentence": r.sentence,
                **{"id": r.doc_id, "source_document": _doc_ref(r)}, "claim_id": r.id, "sort": r.sort,
            }


def count_claims(store: Store, subject: str | None = None, unit: str | None = None, *, entity: str | None = None,
                 since: str | None = None, until: str | None = None, outlet: str | None = None) -> int:
    """How many claims ``iter_claims`` yields with these filters and no limit."""
    where, params = _claim_filters(subject, unit, entity, since, until, outlet)
    # every claim has its document (a foreign key): the join is needed only for the outlet, and reading
    # a document per claim made the count of 140,000 claims half a second
    join = " JOIN documents d ON d.id = c.doc_id" if outlet else ""
    stmt = "SELECT count(*) FROM claims c" + join + (" WHERE " + " AND ".join(where) if where else "")
    with store.engine.connect() as conn:
        return conn.execute(sql(stmt), params).scalar()


def _claim_filters(subject, unit, entity, since, until, outlet, doc=None) -> tuple[list[str], dict]:
    where, params = _conditions(
        ("doc", doc, "c.doc_id = :doc"), ("subject", subject, "c.subject = :subject"), ("unit", unit, "c.unit = :unit"),
        ("entity", entity, "(c.subject = :entity OR c.source_entity = :entity)"), ("outlet", outlet, "d.outlet = :outlet"),
    )
    _date_filters(where, params, CLAIM_ORDER, since, until)
    return where, params


def iter_events(store: Store, entity: str | None = None, etype: str | None = None, since: str | None = None,
                until: str | None = None, limit: int | None = None, *, actor: str | None = None, outlet: str | None = None,
                incident: int | None = None, doc: str | None = None, after: tuple | None = None,
                offset: int = 0, place: str | None = None) -> Iterator[dict]:
    """Events with their document, oldest first; ``after`` is a keyset position (``sort``, ``event_id``)."""
    where, params = _event_filters(entity, etype, since, until, actor, outlet, incident, doc, place)
    stmt = _page(f"SELECT e.*, d.path, d.url, d.published, d.outlet, i.key AS incident_key, {EVENT_ORDER} AS sort "
                 "FROM events e JOIN documents d ON d.id = e.doc_id LEFT JOIN incidents i ON i.id = e.incident_id",
                 where, params, EVENT_ORDER, "e.id", after, limit, offset)
    if store.dialect != "sqlite":
        stmt = stmt.replace(" LIMIT -1", "")
    with store.engine.connect() as conn:
        for r in conn.execute(sql(stmt), params):
            yield {
                "type": r.type, "mode": r.mode, "actors": json.loads(r.actors), "targets": json.loads(r.targets),
                "place": r.place,
                "date": {"value": r.date_value, "text": r.date_text, "precision": r.date_precision} if r.date_text is not None else None,
                "source": {"entity": r.source_entity, "text": r.source_text} if r.source_text is not None else None,
                "negated": bool(r.negated), "start": r.start, "end": r.end, "sentence": r.sentence, "trigger": r.trigger,
                "modality": r.modality or "asserted", "background": bool(r.background),
                "generic_actors": json.loads(r.generic_actors) if r.generic_actors else [], "confidence": r.confidence,
                "incident": r.incident_key, "id": r.doc_id, "source_document": _doc_ref(r), "event_id": r.id, "sort": r.sort,
            }


def count_events(store: Store, entity: str | None = None, etype: str | None = None, since: str | None = None,
                 until: str | None = None, *, actor: str | None = None, outlet: str | None = None, incident: int | None = None,
                 place: str | None = None) -> int:
    where, params = _event_filters(entity, etype, since, until, actor, outlet, incident, place=place)
    join = " JOIN documents d ON d.id = e.doc_id" if outlet else ""  # as in count_claims
    stmt = "SELECT count(*) FROM events e" + join + (" WHERE " + " AND ".join(where) if where else "")
    with store.engine.connect() as conn:
        return conn.execute(sql(stmt), params).scalar()


def _event_filters(entity, etype, since, until, actor, outlet, incident, doc=None, place=None) -> tuple[list[str], dict]:
    where, params = _conditions(
        ("doc", doc, "e.doc_id = :doc"), ("place", place, "e.place = :place"),
        # "+e.id": the entity's events are a set each row is tested against, not the access path; else
        # SQLite reads every one of a common entity's events (29,000 for United States) to sort them for
        # a page of 50, where walking the listing index (sort_key, id) in order stops after the page
        ("entity", entity, "+e.id IN (SELECT event_id FROM event_entities WHERE entity_id = :entity)"),
        ("actor", actor, "+e.id IN (SELECT event_id FROM event_entities WHERE entity_id = :actor AND role = 'actor')"),
        ("etype", etype.upper() if etype else None, "e.type = :etype"), ("outlet", outlet, "d.outlet = :outlet"),
        ("incident", incident, "e.incident_id = :incident"),
    )
    _date_filters(where, params, EVENT_ORDER, since, until)
    return where, params


def incidents(store: Store, entity: str | None = None, limit: int = 100) -> list[dict]:
    """Events merged across documents: one row per real-world incident with every reporting document."""
    grouped: dict[str, dict] = {}
    # canonical order (date, document, offsets), so an incident's type, place and date come from the same
    # report whatever order the reports arrived in
    evs = sorted(iter_events(store, entity=entity), key=lambda e: (e["sort"] or "", e["id"], e["start"], e["end"], e["type"]))
    for ev in evs:
        inc = grouped.setdefault(ev["incident"], {
            "incident": ev["incident"], "type": ev["type"], "actors": ev["actors"], "targets": ev["targets"],
            "place": ev["place"], "date": ev["date"], "documents": [], "outlets": set(),
        })
        if ev["id"] not in [d["id"] for d in inc["documents"]]:
            inc["documents"].append(ev["source_document"])
        if ev["source_document"]["outlet"]:
            inc["outlets"].add(ev["source_document"]["outlet"])
    out = sorted(grouped.values(), key=lambda i: (-len(i["documents"]), (i["date"] or {}).get("value") or "9999", i["incident"] or ""))
    for inc in out:
        inc["documents"].sort(key=lambda d: (d["published"] or "", d["id"]))  # not in arrival order
        inc["outlets"] = sorted(inc["outlets"])
        inc["reports"] = len(inc["documents"])
    return out[:limit]


def stories(store: Store, limit: int = 50) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(sql(
            "SELECT s.key AS id, s.title, s.first_seen, d.id AS doc_id, d.outlet, d.path, d.url, d.published, d.title AS doc_title "
            "FROM stories s JOIN documents d ON d.story_id = s.id ORDER BY s.key, d.published, d.id"
        )).all()
    grouped: dict[str, dict] = {}
    for r in rows:
        s = grouped.setdefault(r.id, {"story": r.id, "title": r.title, "first_seen": r.first_seen, "documents": [], "outlets": []})
        s["documents"].append({"id": r.doc_id, "title": r.doc_title, "outlet": r.outlet, "published": r.published,
                               "source": {"path": r.path, "url": r.url}})
        if r.outlet and r.outlet not in s["outlets"]:
            s["outlets"].append(r.outlet)
    out = sorted(grouped.values(), key=lambda s: (-len(s["documents"]), s["first_seen"] or "", s["story"] or ""))
    return out[:limit]


def disagreements(store: Store, subject: str | None = None, unit: str | None = None) -> list[dict]:
    """Figures of the same quantity that cannot both be true, and events (or figures) one source asserts
    and another denies (rasd.store.disagreements); each with why and both sides."""
    from rasd.store.disagreements import disagreements as find

    claims = list(iter_claims(store, subject=subject, unit=unit))
    events = [] if unit else list(iter_events(store, entity=subject))
    return find(store, claims, events)
