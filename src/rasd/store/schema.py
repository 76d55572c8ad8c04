"""Tables of the store (SQLAlchemy Core). Changing them needs a new Alembic revision in migrations/."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("first_seen", String(32)),
    Column("title", Text),
)

documents = Table(
    "documents", metadata,
    Column("id", String(32), primary_key=True),
    Column("parent_id", String(32), ForeignKey("documents.id"), nullable=True),
    Column("path", Text), Column("url", Text), Column("outlet", Text), Column("title", Text),
    Column("author", Text), Column("published", String(32)), Column("keywords", Text),  # JSON list
    Column("text", Text, nullable=False),
    Column("search_text", Text, nullable=False),  # normalised, light-stemmed, with entity tokens
    Column("dropped", Text),  # JSON list
    Column("ingested_at", String(32), nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=True),
    Column("minhash", LargeBinary, nullable=True),
)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_story", documents.c.story_id)

lsh_bands = Table(
    "lsh_bands", metadata,
    Column("key", String(24), nullable=False),  # "band:hash" of one LSH band of a document's MinHash
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
)
Index("ix_lsh_bands", lsh_bands.c.key)

entities = Table(
    "entities", metadata,
    Column("id", String(64), primary_key=True), Column("name", Text, nullable=False), Column("name_ar", Text),
    Column("type", String(16), nullable=False), Column("wikidata", String(16)),
)

mentions = Table(
    "mentions", metadata,
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False), Column("text", Text),
)
Index("ix_mentions_entity", mentions.c.entity_id)
Index("ix_mentions_doc", mentions.c.doc_id)

incidents = Table(
    "incidents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(16), nullable=False), Column("date_value", String(32)), Column("place", String(64)),
    Column("actors", Text, nullable=False),  # JSON sorted list
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("value", Float), Column("low", Float), Column("high", Float),
    Column("qualifier", String(16), nullable=False), Column("unit", String(32), nullable=False),
    Column("unit_text", Text), Column("subject", String(64)),
    Column("source_entity", String(64)), Column("source_text", Text),
    Column("date_value", String(32)), Column("date_text", Text), Column("date_precision", String(8)),
    Column("modality", String(16), nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False), Column("sentence", Text),
)
Index("ix_claims_subject_unit", claims.c.subject, claims.c.unit)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("incident_id", Integer, ForeignKey("incidents.id")),
    Column("type", String(16), nullable=False), Column("mode", String(32)),
    Column("actors", Text, nullable=False), Column("targets", Text, nullable=False),  # JSON lists
    Column("place", String(64)),
    Column("date_value", String(32)), Column("date_text", Text), Column("date_precision", String(8)),
    Column("source_entity", String(64)), Column("source_text", Text),
    Column("negated", Boolean, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("sentence", Text), Column("trigger", Text),
    # revision 0002_events: how the event is told, its generic actors (JSON list) and the model's probability
    Column("modality", String(16)), Column("background", Boolean),
    Column("generic_actors", Text), Column("confidence", Float),
)
Index("ix_events_type", events.c.type)

event_entities = Table(
    "event_entities", metadata,
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("entity_id", String(64), nullable=False), Column("role", String(8), nullable=False),
)
Index("ix_event_entities_entity", event_entities.c.entity_id)
