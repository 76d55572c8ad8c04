"""Storing extracted documents: idempotent, incremental, one transaction per batch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, select

from rasd.model import Document
from rasd.store import schema as t
from rasd.store.db import Store
from rasd.store.dedupe import SAME_STORY, bands, signature, similarity, to_bytes
from rasd.store.search_text import document_search_text, normalised_words


@dataclass
class IngestStats:
    seen: int = 0
    stored: int = 0
    skipped: int = 0  # already in the store
    new_stories: int = 0
    errors: list[str] = field(default_factory=list)


def ingest(store: Store, docs: Iterable[Document], batch_size: int = 50, stats: IngestStats | None = None) -> IngestStats:
    """Store documents (and their embedded documents); a batch is committed whole or not at all."""
    stats = stats or IngestStats()
    for batch in _batches(docs, batch_size):
        with store.engine.begin() as conn:
            ids = [d.id for doc in batch for d in (doc, *doc.embedded)]
            present = set(conn.execute(select(t.documents.c.id).where(t.documents.c.id.in_(ids))).scalars())
            ent_ids = list({e.id for doc in batch for d in (doc, *doc.embedded) for e in d.entities})
            known_entities = set(conn.execute(select(t.entities.c.id).where(t.entities.c.id.in_(ent_ids))).scalars())
            incident_cache: dict[tuple, list] = {}
            for doc in batch:
                _store_tree(conn, doc, None, stats, known_entities, present, incident_cache)
    return stats


def only_new(store: Store, docs: Iterable[Document], stats: IngestStats | None = None) -> Iterator[Document]:
    """Drop cleaned documents the store already has, before the costly annotation stages run on them
    (a re-run over an ingested folder, or the resume of a killed ingest, is then quick)."""
    with store.engine.connect() as conn:
        for doc in docs:
            found = conn.execute(_PRESENT, {"id": doc.id}).first()
            conn.rollback()  # no read transaction held across the ingest (it would keep SQLite's WAL growing)
            if found:
                if stats is not None:
                    stats.seen += 1 + len(doc.embedded)
                    stats.skipped += 1 + len(doc.embedded)
                continue
            yield doc


_PRESENT = select(t.documents.c.id).where(t.documents.c.id == bindparam("id"))


def _batches(docs: Iterable[Document], n: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for d in docs:
        batch.append(d)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _store_tree(
    conn: Connection, doc: Document, parent: str | None, stats: IngestStats, known: set[str], present: set[str], cache: dict
) -> None:
    stats.seen += 1
    if doc.id in present:
        stats.skipped += 1
    else:
        _store_one(conn, doc, parent, stats, known, cache)
        present.add(doc.id)
        stats.stored += 1
    for e in doc.embedded:
        _store_tree(conn, e, doc.id, stats, known, present, cache)


def _store_one(conn: Connection, doc: Document, parent: str | None, stats: IngestStats, known: set[str], cache: dict) -> None:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text_words = normalised_words(doc.norm.text)
    sig = signature(toks=text_words)
    doc_bands = bands(sig)
    story_id = _find_story(conn, sig, doc_bands)
    if story_id is None:
        story_id = conn.execute(t.stories.insert(), {"first_seen": doc.published or now, "title": doc.title}).inserted_primary_key[0]
        stats.new_stories += 1
    elif doc.published:
        first = conn.execute(select(t.stories.c.first_seen).where(t.stories.c.id == story_id)).scalar()
        if first is None or doc.published < first:
            conn.execute(t.stories.update().where(t.stories.c.id == story_id).values(first_seen=doc.published))
    conn.execute(t.documents.insert(), dict(
        id=doc.id, parent_id=parent, path=doc.source_path, url=doc.source_url, outlet=doc.outlet, title=doc.title,
        author=doc.author, published=doc.published, keywords=json.dumps(list(doc.keywords), ensure_ascii=False),
        text=doc.text, search_text=document_search_text(doc, text_words), dropped=json.dumps(list(doc.dropped), ensure_ascii=False),
        ingested_at=now, story_id=story_id, minhash=to_bytes(sig),
    ))
    conn.execute(t.lsh_bands.insert(), [{"key": k, "doc_id": doc.id} for k in doc_bands])
    new = [e for e in doc.entities if e.id not in known]
    if new:
        conn.execute(t.entities.insert(), [{"id": e.id, "name": e.name, "name_ar": e.name_ar, "type": e.type, "wikidata": e.wikidata} for e in new])
        known.update(e.id for e in new)
    rows = [{"doc_id": doc.id, "entity_id": e.id, "start": m.start, "end": m.end, "text": m.text} for e in doc.entities for m in e.mentions]
    if rows:
        conn.execute(t.mentions.insert(), rows)
    if doc.claims:
        conn.execute(t.claims.insert(), [{
            "doc_id": doc.id, "value": c.value, "low": c.low, "high": c.high, "qualifier": c.qualifier, "unit": c.unit,
            "unit_text": c.unit_text, "subject": c.subject,
            "source_entity": c.source.entity if c.source else None, "source_text": c.source.text if c.source else None,
            "date_value": c.date.value if c.date else None, "date_text": c.date.text if c.date else None,
            "date_precision": c.date.precision if c.date else None,
            "modality": c.modality, "start": c.start, "end": c.end, "sentence": c.sentence,
        } for c in doc.claims])
    if doc.events:
        incidents = [_incident(conn, ev.type, sorted(set(ev.actors)), ev.date.value if ev.date else None, ev.place, cache)
                     for ev in doc.events]
        ids = conn.execute(t.events.insert().returning(t.events.c.id, sort_by_parameter_order=True), [dict(
            doc_id=doc.id, incident_id=inc, type=ev.type, mode=ev.mode,
            actors=json.dumps(list(ev.actors)), targets=json.dumps(list(ev.targets)), place=ev.place,
            date_value=ev.date.value if ev.date else None, date_text=ev.date.text if ev.date else None,
            date_precision=ev.date.precision if ev.date else None,
            source_entity=ev.source.entity if ev.source else None, source_text=ev.source.text if ev.source else None,
            negated=ev.negated, start=ev.start, end=ev.end, sentence=ev.sentence, trigger=ev.trigger,
            modality=ev.modality, background=ev.background, confidence=ev.confidence,
            generic_actors=json.dumps([dataclasses.asdict(g) for g in ev.generic_actors], ensure_ascii=False),
        ) for ev, inc in zip(doc.events, incidents, strict=True)]).scalars().all()
        links = []
        for event_id, ev in zip(ids, doc.events, strict=True):
            links += [{"event_id": event_id, "entity_id": a, "role": "actor"} for a in ev.actors]
            links += [{"event_id": event_id, "entity_id": x, "role": "target"} for x in ev.targets]
            if ev.place:
                links.append({"event_id": event_id, "entity_id": ev.place, "role": "place"})
        if links:
            conn.execute(t.event_entities.insert(), links)


_CANDIDATES = (
    select(t.documents.c.id, t.documents.c.story_id, t.documents.c.minhash)
    .where(t.documents.c.id.in_(select(t.lsh_bands.c.doc_id).where(t.lsh_bands.c.key.in_(bindparam("keys", expanding=True)))))
)


def _find_story(conn: Connection, sig, doc_bands: list[str]) -> int | None:
    cands = conn.execute(_CANDIDATES, {"keys": doc_bands}).all()
    best = None
    for _id, story, stored in cands:
        if stored is None:
            continue
        s = similarity(sig, stored)
        if s >= SAME_STORY and (best is None or s > best[0]):
            best = (s, story)
    return best[1] if best else None


def _incident(conn: Connection, etype: str, actors: list[str], date_value: str | None, place: str | None,
              cache: dict[tuple, list]) -> int:
    """The incident this event reports: same type, a shared actor, the same date (when both have one)
    and a compatible place; else a new incident. ``cache`` holds, per batch, the incidents already read."""
    ck = (etype, date_value)
    if ck not in cache:
        q = select(t.incidents.c.id, t.incidents.c.actors, t.incidents.c.place).where(t.incidents.c.type == etype)
        q = q.where(t.incidents.c.date_value == date_value) if date_value else q.where(t.incidents.c.date_value.is_(None))
        cache[ck] = [(r.id, set(json.loads(r.actors)), r.place) for r in conn.execute(q)]
    for inc_id, other, other_place in cache[ck]:
        if not other & set(actors):
            continue
        if place and other_place and place != other_place:
            continue
        if date_value is None and other != set(actors):
            continue  # undated: only the very same participants
        return inc_id
    inc_id = conn.execute(
        t.incidents.insert(), {"type": etype, "date_value": date_value, "place": place, "actors": json.dumps(actors)}
    ).inserted_primary_key[0]
    cache[ck].append((inc_id, set(actors), place))
    return inc_id
