"""The knowledge base of stored articles: SQLite by default, PostgreSQL for a shared team store."""

from rasd.store.db import Store, open_store

__all__ = ["Store", "open_store"]
