from store.conftest import db_url  # noqa: F401  (the SQLite / PostgreSQL fixture of the store tests)
