"""Listings in constant time per page: a sort key on claims and events (the row's own date, else its
document's publication date, else '9999'), kept by a trigger, and the indexes keyset pages and
document pages read (claims and events by document, events by incident, documents and incidents
in their listing order).

Revision ID: 0004_api
Revises: 0003_monitor
"""

from alembic import op
from sqlalchemy import inspect

revision = "0004_api"
down_revision = "0003_monitor"
branch_labels = None
depends_on = None

_SORT = "coalesce(new.date_value, (SELECT published FROM documents WHERE id = new.doc_id), '9999')"
_INDEXES = {
    "ix_claims_sort": "claims (sort_key, id)",
    "ix_events_sort": "events (sort_key, id)",
    "ix_claims_doc": "claims (doc_id)",
    "ix_events_doc": "events (doc_id)",
    "ix_events_incident": "events (incident_id)",
    "ix_documents_order": "documents ((coalesce(published, '')), id)",
    "ix_incidents_order": "incidents ((coalesce(date_value, '')), id)",
    "ix_documents_parent": "documents (parent_id)",
}


def upgrade() -> None:
    bind = op.get_bind()
    insp = inspect(bind)
    for table in ("claims", "events"):
        if "sort_key" not in {c["name"] for c in insp.get_columns(table)}:
            op.execute(f"ALTER TABLE {table} ADD COLUMN sort_key VARCHAR(32)")
        op.execute(f"UPDATE {table} SET sort_key = coalesce(date_value, "
                   f"(SELECT published FROM documents d WHERE d.id = {table}.doc_id), '9999') WHERE sort_key IS NULL")
        if bind.dialect.name == "sqlite":
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_sort_key AFTER INSERT ON {table} WHEN new.sort_key IS NULL BEGIN "
                       f"UPDATE {table} SET sort_key = {_SORT} WHERE id = new.id; END")
        else:
            op.execute(f"CREATE OR REPLACE FUNCTION rasd_{table}_sort_key() RETURNS trigger AS $$ BEGIN "
                       f"IF new.sort_key IS NULL THEN new.sort_key := {_SORT}; END IF; RETURN new; END $$ LANGUAGE plpgsql")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_sort_key ON {table}")
            op.execute(f"CREATE TRIGGER {table}_sort_key BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION rasd_{table}_sort_key()")
    for name, what in _INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {what}")


def downgrade() -> None:
    bind = op.get_bind()
    for name in _INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for table in ("claims", "events"):
        if bind.dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_sort_key")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_sort_key ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS rasd_{table}_sort_key()")
        op.execute(f"ALTER TABLE {table} DROP COLUMN sort_key")
