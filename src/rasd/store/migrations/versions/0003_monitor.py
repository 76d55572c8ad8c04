"""Monitoring: watched sources, their fetch state and freshness, page versions, alerts and their hits.

Revision ID: 0003_monitor
Revises: 0002_crossdoc
"""

from alembic import op

from rasd.store import schema as t

revision = "0003_monitor"
down_revision = "0002_crossdoc"
branch_labels = None
depends_on = None

TABLES = [t.sources, t.source_stats, t.fetch_state, t.page_versions, t.alerts, t.alert_hits]


def upgrade() -> None:
    # checkfirst: revision 0001 creates every table of the metadata on a new database.
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind, checkfirst=True)
