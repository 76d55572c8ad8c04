"""The store's writer as it was before the plain-SQL write path (rasd.store.sql): one SQLAlchemy Core
statement per row, each event inserted without an incident and then assigned one, sort keys left to
the 0004_api trigger. The test of the fast writer (test_ingest_same.py) compares what both store."""

import dataclasses
import datetime as dt
import json

from sqlalchemy import select, update

from rasd.store import schema as t
from rasd.store.dedupe import SAME_STORY, bands, signature, similarity, to_bytes
from rasd.store.linking import _related, event_key
from rasd.store.search_text import document_search_text, normalised_words


def ingest(store, docs, batch_size=50, now=None):
    docs = list(docs)
    for i in range(0, len(docs), batch_size):
        with store.write() as conn:
            ids = [d.id for doc in docs[i:i + batch_size] for d in (doc, *doc.embedded)]
            present = set(conn.execute(select(t.documents.c.id).where(t.documents.c.id.in_(ids))).scalars())
            known = set(conn.execute(select(t.entities.c.id)).scalars())
            for doc in docs[i:i + batch_size]:
                _tree(conn, doc, None, known, present, now)


def _tree(conn, doc, parent, known, present, now):
    if doc.id not in present:
        _one(conn, doc, parent, known, now)
    present.add(doc.id)
    for e in doc.embedded:
        _tree(conn, e, doc.id, known, present, now)


def _insert_new(conn, table, rows):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return conn.execute(insert(table).on_conflict_do_nothing(), rows)


def _one(conn, doc, parent, known, now):
    now = now or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text_words = normalised_words(doc.norm.text)
    sig = signature(toks=text_words)
    doc_bands = bands(sig)
    story_id = _story(conn, doc.id, sig, doc_bands, doc.published or now, doc.title)
    _insert_new(conn, t.documents, dict(
        id=doc.id, parent_id=parent, path=doc.source_path, url=doc.source_url, outlet=doc.outlet, title=doc.title,
        author=doc.author, published=doc.published, keywords=json.dumps(list(doc.keywords), ensure_ascii=False),
        text=doc.text, search_text=document_search_text(doc, text_words), dropped=json.dumps(list(doc.dropped), ensure_ascii=False),
        ingested_at=now, story_id=story_id, minhash=to_bytes(sig),
    ))
    conn.execute(t.lsh_bands.insert(), [{"key": k, "doc_id": doc.id} for k in doc_bands])
    new = [e for e in doc.entities if e.id not in known]
    if new:
        _insert_new(conn, t.entities, [{"id": e.id, "name": e.name, "name_ar": e.name_ar, "type": e.type, "wikidata": e.wikidata} for e in new])
        known.update(e.id for e in new)
    rows = [{"doc_id": doc.id, "entity_id": e.id, "start": m.start, "end": m.end, "text": m.text} for e in doc.entities for m in e.mentions]
    if rows:
        conn.execute(t.mentions.insert(), rows)
    for c in doc.claims:
        conn.execute(t.claims.insert(), {
            "doc_id": doc.id, "value": c.value, "low": c.low, "high": c.high, "qualifier": c.qualifier, "unit": c.unit,
            "unit_text": c.unit_text, "subject": c.subject,
            "source_entity": c.source.entity if c.source else None, "source_text": c.source.text if c.source else None,
            "date_value": c.date.value if c.date else None, "date_text": c.date.text if c.date else None,
            "date_precision": c.date.precision if c.date else None,
            "modality": c.modality, "start": c.start, "end": c.end, "sentence": c.sentence})
    event_ids = []
    for ev in doc.events:
        event_ids.append(conn.execute(t.events.insert(), dict(
            doc_id=doc.id, incident_id=None, type=ev.type, mode=ev.mode,
            actors=json.dumps(list(ev.actors)), targets=json.dumps(list(ev.targets)), place=ev.place,
            date_value=ev.date.value if ev.date else None, date_text=ev.date.text if ev.date else None,
            date_precision=ev.date.precision if ev.date else None,
            source_entity=ev.source.entity if ev.source else None, source_text=ev.source.text if ev.source else None,
            negated=ev.negated, start=ev.start, end=ev.end, sentence=ev.sentence, trigger=ev.trigger,
            modality=ev.modality, background=ev.background, confidence=ev.confidence,
            generic_actors=json.dumps([dataclasses.asdict(g) for g in ev.generic_actors], ensure_ascii=False),
        )).inserted_primary_key[0])
    for event_id, ev in zip(event_ids, doc.events, strict=True):
        _incident(conn, event_id, event_key(doc.id, ev.start, ev.end, ev.type), ev.type, sorted(set(ev.actors)),
                  ev.date.value if ev.date else None, ev.place)
        links = [{"event_id": event_id, "entity_id": a, "role": "actor"} for a in ev.actors]
        links += [{"event_id": event_id, "entity_id": x, "role": "target"} for x in ev.targets]
        if ev.place:
            links.append({"event_id": event_id, "entity_id": ev.place, "role": "place"})
        if links:
            conn.execute(t.event_entities.insert(), links)


def _story(conn, doc_id, sig, doc_bands, first_seen, title):
    cands = select(t.documents.c.id, t.documents.c.story_id, t.documents.c.minhash).where(
        t.documents.c.id.in_(select(t.lsh_bands.c.doc_id).where(t.lsh_bands.c.key.in_(doc_bands))))
    linked = {story for other, story, stored in conn.execute(cands)
              if other != doc_id and story is not None and stored is not None and similarity(sig, stored) >= SAME_STORY}
    if not linked:
        return conn.execute(t.stories.insert(), {"key": doc_id, "first_seen": first_seen, "title": title}).inserted_primary_key[0]
    rows = conn.execute(select(t.stories).where(t.stories.c.id.in_(linked))).all()
    keep = min(rows, key=lambda r: (r.key or "", r.id))
    key, story_title = (doc_id, title) if doc_id < (keep.key or "") else (keep.key, keep.title)
    firsts = [r.first_seen for r in rows if r.first_seen] + ([first_seen] if first_seen else [])
    others = [r.id for r in rows if r.id != keep.id]
    if others:
        conn.execute(update(t.documents).where(t.documents.c.story_id.in_(others)).values(story_id=keep.id))
        conn.execute(t.stories.delete().where(t.stories.c.id.in_(others)))
    conn.execute(update(t.stories).where(t.stories.c.id == keep.id).values(
        key=key, title=story_title, first_seen=min(firsts) if firsts else None))
    return keep.id


def _incident(conn, event_id, key, etype, actors, date_value, place):
    cols = (t.events.c.id, t.events.c.actors, t.events.c.place, t.events.c.incident_id)
    mine = set(actors)
    if date_value:
        q = select(*cols).where(t.events.c.type == etype, t.events.c.date_value == date_value)
    else:
        incs = select(t.incidents.c.id).where(t.incidents.c.type == etype, t.incidents.c.date_value.is_(None),
                                              t.incidents.c.actors == json.dumps(sorted(mine)))
        q = select(*cols).where(t.events.c.incident_id.in_(incs))
    linked = {r.incident_id for r in conn.execute(q.where(t.events.c.id != event_id, t.events.c.incident_id.is_not(None)))
              if _related(mine, place, bool(date_value), set(json.loads(r.actors)), r.place)}
    if not linked:
        inc = conn.execute(t.incidents.insert(), {"key": key, "type": etype, "date_value": date_value, "place": place,
                                                  "actors": json.dumps(sorted(mine))}).inserted_primary_key[0]
        conn.execute(update(t.events).where(t.events.c.id == event_id).values(incident_id=inc))
        return
    rows = conn.execute(select(t.incidents).where(t.incidents.c.id.in_(linked))).all()
    keep = min(rows, key=lambda r: (r.key or "", r.id))
    all_actors = sorted(mine.union(*(json.loads(r.actors) for r in rows)))
    places = sorted({p for p in [place, *(r.place for r in rows)] if p})
    others = [r.id for r in rows if r.id != keep.id]
    if others:
        conn.execute(update(t.events).where(t.events.c.incident_id.in_(others)).values(incident_id=keep.id))
        conn.execute(t.incidents.delete().where(t.incidents.c.id.in_(others)))
    conn.execute(update(t.events).where(t.events.c.id == event_id).values(incident_id=keep.id))
    conn.execute(update(t.incidents).where(t.incidents.c.id == keep.id).values(
        key=min(key, keep.key or key), actors=json.dumps(all_actors), place=places[0] if places else None))
