"""Stories and incidents keyed by their content (smallest document id / event key), rebuilt so that
they no longer depend on the order documents arrived in; indexes for the incident look-ups.

Revision ID: 0002_crossdoc
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_crossdoc"
down_revision = "0001"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_stories_key": ("stories", ["key"]),
    "ix_incidents_key": ("incidents", ["key"]),
    "ix_incidents_type_date": ("incidents", ["type", "date_value"]),
    "ix_events_type_date": ("events", ["type", "date_value"]),
    "ix_events_incident": ("events", ["incident_id"]),
}


def upgrade() -> None:
    from rasd.store.linking import relink

    bind = op.get_bind()
    insp = sa.inspect(bind)
    # 0001 creates the tables from the current schema: on a new store these already exist.
    if "key" not in {c["name"] for c in insp.get_columns("stories")}:
        op.add_column("stories", sa.Column("key", sa.String(32)))
    if "key" not in {c["name"] for c in insp.get_columns("incidents")}:
        op.add_column("incidents", sa.Column("key", sa.String(96)))
    present = {i["name"] for table in ("stories", "incidents", "events") for i in insp.get_indexes(table)}
    for name, (table, cols) in _INDEXES.items():
        if name not in present:
            op.create_index(name, table, cols)
    if bind.execute(sa.text("SELECT count(*) FROM stories WHERE key IS NULL")).scalar() or \
            bind.execute(sa.text("SELECT count(*) FROM incidents WHERE key IS NULL")).scalar():
        relink(bind)


def downgrade() -> None:
    for name, (table, _) in _INDEXES.items():
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("incidents") as b:
        b.drop_column("key")
    with op.batch_alter_table("stories") as b:
        b.drop_column("key")
