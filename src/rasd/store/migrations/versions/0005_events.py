"""Events: modality, background, generic actors (JSON list) and the event model's confidence.

Revision ID: 0005_events
Revises: 0004_api
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_events"
down_revision = "0004_api"
branch_labels = None
depends_on = None

COLUMNS = (
    ("modality", sa.String(16)),
    ("background", sa.Boolean()),
    ("generic_actors", sa.Text()),
    ("confidence", sa.Float()),
)


def upgrade() -> None:
    # 0001 creates the tables from the current schema, so on a new store the columns may exist already.
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("events")}
    for name, kind in COLUMNS:
        if name not in have:
            op.add_column("events", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
