"""Indexes the dashboard's pages read on a 100,000-article store (each an index-only lookup where the
page used to read rows or scan a table):

- mentions (entity_id, doc_id, text): the documents that mention an entity (the search's entity facet,
  an entity page's mentions per day and its spellings), without reading the 1.5 million mention rows;
- mentions (doc_id, entity_id): the entities a set of documents mention (an entity page's co-occurring
  entities);
- documents (id, published, ingested_at): a document's date by its id (mentions per day), without
  reading the document's row (its text);
- events (place, sort_key, id): a place's events in listing order (the map's place list), a keyset page;
- documents (outlet) and events (type, doc_id): the search's outlet and event-type facets;
- claims (subject, sort_key, id): an entity's claims in listing order (its page, /claims?subject=);
- event_entities (entity_id, role, event_id): an entity's or actor's events (an entity page, the
  timeline's and map's actor filter) without reading the rows.

Revision ID: 0006_dashperf
Revises: 0005_events
"""

from alembic import op

revision = "0006_dashperf"
down_revision = "0005_events"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_mentions_entity_doc": 'mentions (entity_id, doc_id, "text")',
    "ix_mentions_doc_entity": "mentions (doc_id, entity_id)",
    "ix_documents_id_date": "documents (id, published, ingested_at)",
    "ix_events_place_sort": "events (place, sort_key, id)",
    "ix_documents_outlet": "documents (outlet)",
    "ix_events_type_doc": "events (type, doc_id)",
    "ix_claims_subject_sort": "claims (subject, sort_key, id)",
    "ix_event_entities_entity_role": "event_entities (entity_id, role, event_id)",
}


def upgrade() -> None:
    # not in schema.py (events.sort_key is a 0004 column), so a new store gets them here too; IF NOT
    # EXISTS makes a re-run harmless
    for name, what in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {what}")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
