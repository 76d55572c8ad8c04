"""An index for the incident look-up of an undated event (``rasd.store.linking.incident_for``):

- incidents (type, actors) WHERE date_value IS NULL: the undated incidents of a type with the very
  same actors, found by the index instead of reading every undated incident of the type (which
  grew with the store and made ingest quadratic in the number of articles).

Partial, so dated incidents (looked up by their events' type and date) pay nothing for it.

Revision ID: 0007_incidx
Revises: 0006_dashperf
"""

from alembic import op

revision = "0007_incidx"
down_revision = "0006_dashperf"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_incidents_undated_actors": "incidents (type, actors) WHERE date_value IS NULL",
}


def upgrade() -> None:
    # IF NOT EXISTS makes a re-run harmless (SQLite and PostgreSQL)
    for name, what in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {what}")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
