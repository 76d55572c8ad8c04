"""Initial store: documents, stories, entities, mentions, claims, events, incidents, full-text search.

Revision ID: 0001
Revises:
"""

from alembic import op

from rasd.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind)
    if bind.dialect.name == "sqlite":
        # search_text is already normalised; unicode61 only splits it into words.
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "search_text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0')"
        )
        op.execute(
            "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
            "INSERT INTO documents_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END"
        )
    else:
        op.execute("ALTER TABLE documents ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED")
        op.execute("CREATE INDEX ix_documents_search ON documents USING GIN (search_tsv)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    metadata.drop_all(bind)
