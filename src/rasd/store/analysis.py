"""Reading the store as an analyst does: entities, claim series, events and incidents, stories,
disagreements, statistics and exports."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy import text as sql

from rasd.arabic.normalise import key
from rasd.entities.kb import knowledge_base
from rasd.errors import RasdError
from rasd.store import schema as t
from rasd.store.db import Store

# How far a qualified figure reaches: "about 3,000" is taken as 3,000 ± 15%.
ABOUT_TOLERANCE = 0.15
_ASSERTING_TYPES = ("AID", "AGREE", "MOBILIZE", "COOPERATE", "CONSULT", "SUPPORT", "ASSAULT")


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


def entity_profile(store: Store, entity_id: str) -> dict:
    kb = knowledge_base()
    with store.engine.connect() as conn:
        row = conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()
        if row is None:
            raise RasdError(f"entity {entity_id!r} is not in this database")
        surfaces = Counter(r[0] for r in conn.execute(select(t.mentions.c.text).where(t.mentions.c.entity_id == entity_id)))
        by_month = conn.execute(sql(
            "SELECT substr(coalesce(d.published, d.ingested_at), 1, 7) AS month, count(DISTINCT d.id) "
            "FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = :e GROUP BY month ORDER BY month"
        ), {"e": entity_id}).all()
        co = conn.execute(sql(
            "SELECT e.id, e.name, count(DISTINCT m2.doc_id) AS n FROM mentions m1 JOIN mentions m2 ON m1.doc_id = m2.doc_id "
            "JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = :e AND m2.entity_id <> :e "
            "GROUP BY e.id, e.name ORDER BY n DESC, e.id LIMIT 15"
        ), {"e": entity_id}).all()
    kb_entity = kb.entities.get(entity_id)
    return {
        "id": row.id, "name": row.name, "name_ar": row.name_ar, "type": row.type, "wikidata": row.wikidata,
        "aliases": sorted(f for f, forms in kb.forms.items() if any(x.entity == entity_id and not x.lil for x in forms))[:40]
        if kb_entity else [],
        "spellings_seen": dict(surfaces.most_common(20)),
        "mentions_by_month": [{"month": m, "documents": n} for m, n in by_month],
        "co_occurring": [{"id": i, "name": n, "documents": c} for i, n, c in co],
        "events": list(iter_events(store, entity=entity_id, limit=50)),
    }


def _doc_ref(row) -> dict:
    return {"id": row.doc_id, "source": {"path": row.path, "url": row.url}, "published": row.published, "outlet": row.outlet}


def iter_claims(store: Store, subject: str | None = None, unit: str | None = None, limit: int | None = None) -> Iterator[dict]:
    """Claims of the rasd.extract/1 form with their document, oldest first (the claim's date, else publication)."""
    where, params = [], {}
    if subject:
        where.append("c.subject = :subject")
        params["subject"] = subject
    if unit:
        where.append("c.unit = :unit")
        params["unit"] = unit
    stmt = (
        "SELECT c.*, d.path, d.url, d.published, d.outlet FROM claims c JOIN documents d ON d.id = c.doc_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY coalesce(c.date_value, d.published, '9999'), c.id"
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    with store.engine.connect() as conn:
        for r in conn.execute(sql(stmt), params):
            yield {
                "value": r.value, "low": r.low, "high": r.high, "qualifier": r.qualifier, "unit": r.unit,
                "unit_text": r.unit_text, "subject": r.subject,
                "source": {"entity": r.source_entity, "text": r.source_text} if r.source_text is not None else None,
                "date": {"value": r.date_value, "text": r.date_text, "precision": r.date_precision} if r.date_text is not None else None,
                "modality": r.modality, "start": r.start, "end": r.end, "sentence": r.sentence,
                **{"id": r.doc_id, "source_document": _doc_ref(r)},
            }


def iter_events(store: Store, entity: str | None = None, etype: str | None = None, since: str | None = None,
                until: str | None = None, limit: int | None = None) -> Iterator[dict]:
    where, params = [], {}
    if entity:
        where.append("e.id IN (SELECT event_id FROM event_entities WHERE entity_id = :entity)")
        params["entity"] = entity
    if etype:
        where.append("e.type = :etype")
        params["etype"] = etype.upper()
    if since:
        where.append("coalesce(e.date_value, d.published) >= :since")
        params["since"] = since
    if until:
        where.append("coalesce(e.date_value, d.published) <= :until")
        params["until"] = until
    stmt = (
        "SELECT e.*, d.path, d.url, d.published, d.outlet FROM events e JOIN documents d ON d.id = e.doc_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY coalesce(e.date_value, d.published, '9999'), e.id" + (f" LIMIT {int(limit)}" if limit else "")
    )
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
                "incident": r.incident_id, "id": r.doc_id, "source_document": _doc_ref(r),
            }


def incidents(store: Store, entity: str | None = None, limit: int = 100) -> list[dict]:
    """Events merged across documents: one row per real-world incident with every reporting document."""
    grouped: dict[int, dict] = {}
    for ev in iter_events(store, entity=entity):
        inc = grouped.setdefault(ev["incident"], {
            "incident": ev["incident"], "type": ev["type"], "actors": ev["actors"], "targets": ev["targets"],
            "place": ev["place"], "date": ev["date"], "documents": [], "outlets": set(),
        })
        if ev["id"] not in [d["id"] for d in inc["documents"]]:
            inc["documents"].append(ev["source_document"])
        if ev["source_document"]["outlet"]:
            inc["outlets"].add(ev["source_document"]["outlet"])
    out = sorted(grouped.values(), key=lambda i: (-len(i["documents"]), (i["date"] or {}).get("value") or "9999"))
    for inc in out:
        inc["outlets"] = sorted(inc["outlets"])
        inc["reports"] = len(inc["documents"])
    return out[:limit]


def stories(store: Store, limit: int = 50) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(sql(
            "SELECT s.id, s.title, s.first_seen, d.id AS doc_id, d.outlet, d.path, d.url, d.published, d.title AS doc_title "
            "FROM stories s JOIN documents d ON d.story_id = s.id ORDER BY s.id, d.published"
        )).all()
    grouped: dict[int, dict] = {}
    for r in rows:
        s = grouped.setdefault(r.id, {"story": r.id, "title": r.title, "first_seen": r.first_seen, "documents": [], "outlets": []})
        s["documents"].append({"id": r.doc_id, "title": r.doc_title, "outlet": r.outlet, "published": r.published,
                               "source": {"path": r.path, "url": r.url}})
        if r.outlet and r.outlet not in s["outlets"]:
            s["outlets"].append(r.outlet)
    out = sorted(grouped.values(), key=lambda s: (-len(s["documents"]), s["first_seen"] or ""))
    return out[:limit]


def _interval(c: dict) -> tuple[float, float]:
    q = c["qualifier"]
    if c["value"] is None:
        lo, hi = c["low"], c["high"]
        if q == "about":
            lo, hi = lo * (1 - ABOUT_TOLERANCE), hi * (1 + ABOUT_TOLERANCE)
        return lo, hi
    v = c["value"]
    return {
        "exact": (v, v), "about": (v * (1 - ABOUT_TOLERANCE), v * (1 + ABOUT_TOLERANCE)),
        "more_than": (v, math.inf), "less_than": (0.0, v), "up_to": (0.0, v),
    }[q]


def _period(c: dict) -> str:
    """The month a figure is current in: its article's publication (a date inside the sentence is often
    a starting point, "منذ أكتوبر"), else the claim's own date."""
    value = c["source_document"]["published"] or (c["date"] or {}).get("value")
    return value[:7] if value else "undated"


def disagreements(store: Store, subject: str | None = None, unit: str | None = None) -> list[dict]:
    """Claims on one subject, unit and period whose figures cannot both be true, from different
    documents; and events one source asserts that another denies."""
    out: list[dict] = []
    buckets: dict[tuple, list[dict]] = defaultdict(list)
    for c in iter_claims(store, subject=subject, unit=unit):
        if c["subject"] and c["modality"] != "denied":
            buckets[(c["subject"], c["unit"], _period(c))].append(c)
    for (subj, u, period), cs in buckets.items():
        seen: set[tuple] = set()
        for a, b in combinations(cs, 2):
            if a["id"] == b["id"] and (a["source"] or {}).get("text") == (b["source"] or {}).get("text"):
                continue
            (alo, ahi), (blo, bhi) = _interval(a), _interval(b)
            if ahi < blo or bhi < alo:
                sig = tuple(sorted([(a["value"], a["low"], a["high"]), (b["value"], b["low"], b["high"])], key=str))
                if sig in seen:
                    continue
                seen.add(sig)
                out.append({"kind": "figures", "subject": subj, "unit": u, "period": period, "sides": [a, b]})
    out += _denials(store)
    return out


def _denials(store: Store) -> list[dict]:
    events = list(iter_events(store))
    out = []
    for rej in (e for e in events if e["type"] == "REJECT"):
        deniers = set(rej["actors"])
        for ev in events:
            if ev["id"] == rej["id"] or ev["negated"] or ev["type"] not in _ASSERTING_TYPES:
                continue
            involved = set(ev["actors"]) | set(ev["targets"])
            if len(deniers & involved) >= min(2, len(deniers)) and ev["type"] in ("AID", "AGREE", "MOBILIZE", "COOPERATE"):
                out.append({"kind": "denial", "type": ev["type"], "denied_by": sorted(deniers), "sides": [ev, rej]})
    return out


def export_rows(store: Store, what: str) -> Iterator[dict]:
    if what == "claims":
        yield from iter_claims(store)
    elif what == "events":
        yield from iter_events(store)
    elif what == "entities":
        yield from entities(store, limit=10**9)
    elif what == "documents":
        with store.engine.connect() as conn:
            for r in conn.execute(select(t.documents).order_by(t.documents.c.ingested_at, t.documents.c.id)):
                yield {
                    "id": r.id, "parent": r.parent_id, "source": {"path": r.path, "url": r.url}, "outlet": r.outlet,
                    "title": r.title, "author": r.author, "published": r.published, "keywords": json.loads(r.keywords or "[]"),
                    "story": r.story_id, "text": r.text,
                }
    else:
        raise RasdError(f"cannot export {what!r}: choose documents, claims, events or entities")
