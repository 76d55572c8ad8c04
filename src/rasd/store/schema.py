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
    Column("key", String(32)),  # the smallest document id in the story (rasd.store.linking): what listings show
)
Index("ix_stories_key", stories.c.key)

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
    Column("key", String(96)),  # the smallest event key in the incident (rasd.store.linking): what listings show
)
Index("ix_incidents_type_date", incidents.c.type, incidents.c.date_value)
Index("ix_incidents_key", incidents.c.key)

# claims and events also have sort_key (their listing order; migration 0004_api adds it with a trigger
# that fills it, so inserts need not name it): not declared here because 0001 creates these tables.
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
    # revision 0005_events: how the event is told, its generic actors (JSON list) and the model's probability
    Column("modality", String(16)), Column("background", Boolean),
    Column("generic_actors", Text), Column("confidence", Float),
)
Index("ix_events_type", events.c.type)
Index("ix_events_type_date", events.c.type, events.c.date_value)
Index("ix_events_incident", events.c.incident_id)

event_entities = Table(
    "event_entities", metadata,
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("entity_id", String(64), nullable=False), Column("role", String(8), nullable=False),
)
Index("ix_event_entities_entity", event_entities.c.entity_id)

# --- monitoring (rasd watch / sources / alerts; migration 0003_monitor) ---------------------------

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(16)),  # feed | sitemap | page; NULL until the first fetch decides
    Column("every_seconds", Integer, nullable=False),
    Column("added_at", String(32), nullable=False),
)

source_stats = Table(
    "source_stats", metadata,
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("next_due", String(32)), Column("last_poll", String(32)), Column("last_ok", String(32)),
    Column("last_status", String(32)), Column("last_error", Text),
    Column("consecutive_errors", Integer, nullable=False, default=0),
    Column("polls", Integer, nullable=False, default=0), Column("not_modified", Integer, nullable=False, default=0),
    Column("items_seen", Integer, nullable=False, default=0), Column("items_stored", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
)

fetch_state = Table(  # one row per URL fetched for a source: the listing itself and each item's page
    "fetch_state", metadata,
    Column("url", Text, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("is_listing", Boolean, nullable=False, default=False),
    Column("etag", Text), Column("last_modified", Text),
    Column("title", Text), Column("published", String(32)), Column("stamp", String(32)),  # as the listing gives them
    Column("first_seen", String(32), nullable=False), Column("fetched_at", String(32)),
    Column("status", String(16), nullable=False),  # pending | stored | unchanged | error | gone
    Column("attempts", Integer, nullable=False, default=0), Column("last_error", Text),
    Column("doc_id", String(32)), Column("stored_at", String(32)),
    Column("delay_seconds", Float),  # publication -> storage of the first version
)
Index("ix_fetch_state_source", fetch_state.c.source_id, fetch_state.c.status)

page_versions = Table(  # every distinct text seen at an item URL (a changed article is a new version)
    "page_versions", metadata,
    Column("url", Text, nullable=False), Column("version", Integer, nullable=False),
    Column("doc_id", String(32), nullable=False), Column("fetched_at", String(32), nullable=False),
)
Index("ix_page_versions_url", page_versions.c.url, page_versions.c.version, unique=True)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("query", Text, nullable=False), Column("entity", String(64)), Column("event_type", String(16)),
    Column("file", Text), Column("webhook", Text), Column("digest", String(16)),  # digest: NULL | daily
    Column("created_at", String(32), nullable=False),
    Column("checked_until", String(32), nullable=False),  # documents ingested before this were looked at,
    Column("checked_ids", Text),  # JSON list: ... and these, ingested in that very second
    Column("last_digest_at", String(32)),
)

alert_hits = Table(
    "alert_hits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("story_id", Integer, nullable=False),
    Column("fired_at", String(32), nullable=False),
    Column("title", Text), Column("url", Text), Column("published", String(32)), Column("snippet", Text),
    Column("delivered_at", String(32)), Column("delivery_error", Text),
)
Index("ix_alert_hits_story", alert_hits.c.alert_id, alert_hits.c.story_id, unique=True)
