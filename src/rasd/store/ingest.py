"""Storing extracted documents: idempotent, incremental, one transaction per batch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Connection, bindparam, select

from rasd.model import Document
from rasd.store import schema as t
from rasd.store.db import Store
from rasd.store.dedupe import bands, signature, to_bytes
from rasd.store.linking import assign_incident, assign_story, event_key
from rasd.store.search_text import document_search_text, normalised_words

T = TypeVar("T")


@dataclass
class IngestStats:
    seen: int = 0
    stored: int = 0
    skipped: int = 0  # already in the store
    new_stories: int = 0
    errors: list[str] = field(default_factory=list)


def ingest(store: Store, docs: Iterable[Document], batch_size: int = 50, stats: IngestStats | None = None) -> IngestStats:
    """Store documents (and their embedded documents); a batch is committed whole or not at all.

    Safe with other writers on the same store: each batch is one write transaction (``Store.write``:
    one writer at a time, waiting for the others), retried whole if the database was busy, and a
    document or entity another writer stored first is skipped, not stored twice."""
    stats = stats or IngestStats()
    for batch in _batches(docs, batch_size):
        counts = (stats.seen, stats.stored, stats.skipped, stats.new_stories)

        def write(batch=batch, counts=counts) -> None:
            stats.seen, stats.stored, stats.skipped, stats.new_stories = counts  # a retried batch counts once
            with store.write() as conn:
                _store_batch(conn, batch, stats)

        store.retrying(write)
    return stats


def _store_batch(conn: Connection, batch: list[Document], stats: IngestStats) -> None:
    ids = [d.id for doc in batch for d in (doc, *doc.embedded)]
    present = set(conn.execute(select(t.documents.c.id).where(t.documents.c.id.in_(ids))).scalars())
    ent_ids = list({e.id for doc in batch for d in (doc, *doc.embedded) for e in d.entities})
    known_entities = set(conn.execute(select(t.entities.c.id).where(t.entities.c.id.in_(ent_ids))).scalars())
    for doc in batch:
        _store_tree(conn, doc, None, stats, known_entities, present)


def _insert_new(conn: Connection, table, rows: dict | list[dict]):
    """INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL): a row another writer stored first stays as it is."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return conn.execute(insert(table).on_conflict_do_nothing(), rows)


def only_new(store: Store, docs: Iterable[T], stats: IngestStats | None = None,
             doc_of: Callable[[T], Document | None] | None = None, chunk: int = 64) -> Iterator[T]:
    """Drop cleaned documents the store already has, before the costly annotation stages run on them
    (a re-run over an ingested folder, or the resume of a killed ingest, is then quick). ``doc_of``
    finds an item's document; items without one pass through. One lookup per ``chunk`` items."""
    it = iter(docs)
    with store.engine.connect() as conn:
        while part := list(itertools.islice(it, chunk)):
            found = [doc_of(x) if doc_of else x for x in part]
            ids = list({d.id for d in found if d is not None})
            stored = set(conn.execute(_PRESENT, {"ids": ids}).scalars()) if ids else set()
            conn.rollback()  # no read transaction held across the ingest (it would keep SQLite's WAL growing)
            for item, doc in zip(part, found, strict=True):
                if doc is not None and doc.id in stored:
                    if stats is not None:
                        stats.seen += 1 + len(doc.embedded)
                        stats.skipped += 1 + len(doc.embedded)
                    continue
                yield item


_PRESENT = select(t.documents.c.id).where(t.documents.c.id.in_(bindparam("ids", expanding=True)))


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
    conn: Connection, doc: Document, parent: str | None, stats: IngestStats, known: set[str], present: set[str]
) -> None:
    stats.seen += 1
    if doc.id in present or not _store_one(conn, doc, parent, stats, known):
        stats.skipped += 1
    else:
        stats.stored += 1
    present.add(doc.id)
    for e in doc.embedded:
        _store_tree(conn, e, doc.id, stats, known, present)


def _store_one(conn: Connection, doc: Document, parent: str | None, stats: IngestStats, known: set[str]) -> bool:
    """Store one document; False if it was already there (stored by another writer meanwhile)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text_words = normalised_words(doc.norm.text)
    sig = signature(toks=text_words)
    doc_bands = bands(sig)
    story_id, change = assign_story(conn, doc.id, sig, doc_bands, doc.published or now, doc.title)
    inserted = _insert_new(conn, t.documents, dict(
        id=doc.id, parent_id=parent, path=doc.source_path, url=doc.source_url, outlet=doc.outlet, title=doc.title,
        author=doc.author, published=doc.published, keywords=json.dumps(list(doc.keywords), ensure_ascii=False),
        text=doc.text, search_text=document_search_text(doc, text_words), dropped=json.dumps(list(doc.dropped), ensure_ascii=False),
        ingested_at=now, story_id=story_id, minhash=to_bytes(sig),
    )).rowcount
    if not inserted:  # only without the write lock (it re-reads what is present); the story stays consistent
        return False
    stats.new_stories += change
    conn.execute(t.lsh_bands.insert(), [{"key": k, "doc_id": doc.id} for k in doc_bands])
    new = [e for e in doc.entities if e.id not in known]
    if new:
        _insert_new(conn, t.entities, [{"id": e.id, "name": e.name, "name_ar": e.name_ar, "type": e.type, "wikidata": e.wikidata} for e in new])
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
        ids = conn.execute(t.events.insert().returning(t.events.c.id, sort_by_parameter_order=True), [dict(
            doc_id=doc.id, incident_id=None, type=ev.type, mode=ev.mode,
            actors=json.dumps(list(ev.actors)), targets=json.dumps(list(ev.targets)), place=ev.place,
            date_value=ev.date.value if ev.date else None, date_text=ev.date.text if ev.date else None,
            date_precision=ev.date.precision if ev.date else None,
            source_entity=ev.source.entity if ev.source else None, source_text=ev.source.text if ev.source else None,
            negated=ev.negated, start=ev.start, end=ev.end, sentence=ev.sentence, trigger=ev.trigger,
            modality=ev.modality, background=ev.background, confidence=ev.confidence,
            generic_actors=json.dumps([dataclasses.asdict(g) for g in ev.generic_actors], ensure_ascii=False),
        ) for ev in doc.events]).scalars().all()
        links = []
        for event_id, ev in zip(ids, doc.events, strict=True):
            assign_incident(conn, event_id, event_key(doc.id, ev.start, ev.end, ev.type), ev.type, sorted(set(ev.actors)),
                            ev.date.value if ev.date else None, ev.place)
            links += [{"event_id": event_id, "entity_id": a, "role": "actor"} for a in ev.actors]
            links += [{"event_id": event_id, "entity_id": x, "role": "target"} for x in ev.targets]
            if ev.place:
                links.append({"event_id": event_id, "entity_id": ev.place, "role": "place"})
        if links:
            conn.execute(t.event_entities.insert(), links)
    return True
