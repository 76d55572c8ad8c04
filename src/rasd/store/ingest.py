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
from rasd.store.linking import assign_story, event_key, incident_for
from rasd.store.search_text import document_search_text, normalised_words
from rasd.store.sql import Sql, insert_sql, marks

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
    """A batch in plain SQL (``rasd.store.sql``): per document only what later documents of the batch
    read (the document, its LSH bands, its events and their incidents); entities, mentions, claims and
    event participants of the whole batch go in at the end, one executemany each."""
    db = Sql(conn)
    ids = [d.id for doc in batch for d in (doc, *doc.embedded)]
    present = set(db.column(f"SELECT id FROM documents WHERE id IN ({marks(len(ids))})", ids))
    ent_ids = sorted({e.id for doc in batch for d in (doc, *doc.embedded) for e in d.entities})
    known = set(db.column(f"SELECT id FROM entities WHERE id IN ({marks(len(ent_ids))})", ent_ids)) if ent_ids else set()
    rows = _Rows()
    for doc in batch:
        _store_tree(db, doc, None, stats, present, rows)
    new = {}  # first seen in this batch: the entity as its first document has it
    for e in rows.entities:
        if e.id not in known and e.id not in new:
            new[e.id] = (e.id, e.name, e.name_ar, e.type, e.wikidata)
    db.many(_INSERT_ENTITY, list(new.values()))
    db.many(_INSERT_MENTION, rows.mentions)
    db.many(_INSERT_CLAIM, rows.claims)
    db.many(_INSERT_PARTICIPANT, rows.participants)


@dataclass
class _Rows:
    """Rows of a batch written at its end, in the order the documents came."""
    entities: list = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)
    claims: list[tuple] = field(default_factory=list)
    participants: list[tuple] = field(default_factory=list)


_INSERT_DOCUMENT = insert_sql("documents", ["id", "parent_id", "path", "url", "outlet", "title", "author", "published", "keywords",
                                            "text", "search_text", "dropped", "ingested_at", "story_id", "minhash"], new_only=True)
_INSERT_BAND = insert_sql("lsh_bands", ["key", "doc_id"])
_INSERT_ENTITY = insert_sql("entities", ["id", "name", "name_ar", "type", "wikidata"], new_only=True)
_INSERT_MENTION = insert_sql("mentions", ["doc_id", "entity_id", "start", "end", "text"])
# sort_key is the listing order the 0004_api trigger would fill (the row's date, else its document's
# publication date, else '9999'): given here, the trigger's UPDATE per row is skipped.
_INSERT_CLAIM = insert_sql("claims", ["doc_id", "value", "low", "high", "qualifier", "unit", "unit_text", "subject",
                                      "source_entity", "source_text", "date_value", "date_text", "date_precision",
                                      "modality", "start", "end", "sentence", "sort_key"])
_INSERT_EVENT = insert_sql("events", ["doc_id", "incident_id", "type", "mode", "actors", "targets", "place", "date_value",
                                      "date_text", "date_precision", "source_entity", "source_text", "negated", "start", "end",
                                      "sentence", "trigger", "modality", "background", "confidence", "generic_actors", "sort_key"])
_INSERT_PARTICIPANT = insert_sql("event_entities", ["event_id", "entity_id", "role"])


def _sort_key(date_value: str | None, published: str | None) -> str:
    return date_value if date_value is not None else published if published is not None else "9999"


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


def _store_tree(db: Sql, doc: Document, parent: str | None, stats: IngestStats, present: set[str], rows: _Rows) -> None:
    stats.seen += 1
    if doc.id in present or not _store_one(db, doc, parent, stats, rows):
        stats.skipped += 1
    else:
        stats.stored += 1
    present.add(doc.id)
    for e in doc.embedded:
        _store_tree(db, e, doc.id, stats, present, rows)


def _store_one(db: Sql, doc: Document, parent: str | None, stats: IngestStats, rows: _Rows) -> bool:
    """Store one document; False if it was already there (stored by another writer meanwhile)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text_words = normalised_words(doc.norm.text)
    sig = signature(toks=text_words)
    doc_bands = bands(sig)
    story_id, change = assign_story(db, doc.id, sig, doc_bands, doc.published or now, doc.title)
    inserted = db.run(_INSERT_DOCUMENT, (
        doc.id, parent, doc.source_path, doc.source_url, doc.outlet, doc.title, doc.author, doc.published,
        json.dumps(list(doc.keywords), ensure_ascii=False), doc.text, document_search_text(doc, text_words),
        json.dumps(list(doc.dropped), ensure_ascii=False), now, story_id, to_bytes(sig),
    ))
    if not inserted:  # only without the write lock (it re-reads what is present); the story stays consistent
        return False
    stats.new_stories += change
    db.many(_INSERT_BAND, [(k, doc.id) for k in doc_bands])
    rows.entities += doc.entities
    rows.mentions += [(doc.id, e.id, m.start, m.end, m.text) for e in doc.entities for m in e.mentions]
    rows.claims += [(
        doc.id, c.value, c.low, c.high, c.qualifier, c.unit, c.unit_text, c.subject,
        c.source.entity if c.source else None, c.source.text if c.source else None,
        c.date.value if c.date else None, c.date.text if c.date else None, c.date.precision if c.date else None,
        c.modality, c.start, c.end, c.sentence, _sort_key(c.date.value if c.date else None, doc.published),
    ) for c in doc.claims]
    for ev in doc.events:
        date_value = ev.date.value if ev.date else None
        # the incident first, then the event already in it (one UPDATE fewer per event)
        incident = incident_for(db, event_key(doc.id, ev.start, ev.end, ev.type), ev.type, sorted(set(ev.actors)),
                                date_value, ev.place)
        event_id = db.insert_id(_INSERT_EVENT, (
            doc.id, incident, ev.type, ev.mode, json.dumps(list(ev.actors)), json.dumps(list(ev.targets)), ev.place,
            date_value, ev.date.text if ev.date else None, ev.date.precision if ev.date else None,
            ev.source.entity if ev.source else None, ev.source.text if ev.source else None,
            ev.negated, ev.start, ev.end, ev.sentence, ev.trigger, ev.modality, ev.background, ev.confidence,
            json.dumps([dataclasses.asdict(g) for g in ev.generic_actors], ensure_ascii=False),
            _sort_key(date_value, doc.published),
        ))
        rows.participants += [(event_id, a, "actor") for a in ev.actors]
        rows.participants += [(event_id, x, "target") for x in ev.targets]
        if ev.place:
            rows.participants.append((event_id, ev.place, "place"))
    return True
