"""Opening a store: SQLite file (WAL) by default, PostgreSQL with a postgresql:// URL; migrations by Alembic."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from rasd.arabic.normalise import NORMALISER_VERSION
from rasd.entities.kb import KB_VERSION
from rasd.errors import RasdError
from rasd.store.schema import meta
from rasd.store.search_text import SEARCH_VERSION

DEFAULT_DB = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "rasd" / "rasd.db"
# What shapes stored results; a store is never read with other settings than the ones that built it.
SETTINGS = {"normaliser": NORMALISER_VERSION, "kb": KB_VERSION, "search": SEARCH_VERSION, "minhash": "128x32b4s5-crc32/3"}


class StoreError(RasdError):
    pass


@dataclass
class Store:
    engine: Engine
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def default_db() -> str:
    return os.environ.get("RASD_DB") or str(DEFAULT_DB)


def _url(db: str) -> str:
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def open_store(db: str | None = None, *, create: bool = True) -> Store:
    """Open (and on first use create and migrate) the store at a path or URL."""
    db = db or default_db()
    url = _url(db)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            if not create:
                raise StoreError(f"no database at {path} (run `rasd ingest` first, or pass --db)")
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, future=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open database {db}: {exc}") from None
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()
    store = Store(engine, url)
    try:
        _migrate(store, create)
    except OperationalError as exc:
        raise StoreError(f"cannot open database {db}: {exc.orig}") from None
    return store


MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$', re.M)


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """The head revisions of the migration scripts, read from their files (Alembic itself takes a
    tenth of a second to import: a store that is up to date is opened without it)."""
    revs, downs = set(), set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(f.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revs.add(found["revision"].strip().strip("\"'"))
        downs.update(re.findall(r'["\']([^"\']+)["\']', found.get("down_revision", "")))
    return frozenset(revs - downs)


_HAS_VERSIONS = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
    "postgresql": "SELECT count(*) FROM information_schema.tables WHERE table_name = 'alembic_version' "
                  "AND table_schema = current_schema()",
}


def _up_to_date(conn) -> bool:
    probe = _HAS_VERSIONS.get(conn.dialect.name)
    if probe is None or not conn.execute(text(probe)).scalar():
        return False
    current = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return bool(current) and current == _heads()


def _migrate(store: Store, create: bool) -> None:
    with store.engine.begin() as conn:
        if not _up_to_date(conn):
            _upgrade(conn)
        rows = dict(conn.execute(select(meta.c.key, meta.c.value)).all())
        if not rows:
            conn.execute(meta.insert(), [{"key": k, "value": v} for k, v in SETTINGS.items()])
            return
        for k, v in SETTINGS.items():
            if rows.get(k) not in (None, v):
                raise StoreError(
                    f"this database was built with {k} {rows[k]}, Rasd now uses {v}; "
                    "re-ingest into a new database"
                )


def _upgrade(conn) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def ping(store: Store) -> None:
    with store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
