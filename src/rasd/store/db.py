"""Opening a store: SQLite file (WAL) by default, PostgreSQL with a postgresql:// URL; migrations by Alembic.

Any number of processes may write one store at once. Writes go through ``Store.write()``: on SQLite a
``BEGIN IMMEDIATE`` transaction (one writer at a time, the others wait up to the busy timeout), on
PostgreSQL a transaction holding an advisory lock, so that a batch sees every batch committed before it
(stories and incidents are assigned as in a sequential run). Migrations run inside such a transaction
and re-check the schema version once they hold it, so two first writers never both create the tables.

Readers (``open_store(create=False)``) never create or migrate a store; a SQLite file that cannot be
written (read-only media, an archive) is opened read-only (``immutable``), and searching it works.
A reader of a SQLite store at this Rasd's schema is checked with ``sqlite3`` alone and SQLAlchemy's
engine is made on first use (``Store.engine``): a ``rasd search`` reads through ``Store.plain()``
and never imports SQLAlchemy (a fifth of a second at start-up).
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from rasd.arabic.normalise import NORMALISER_VERSION
from rasd.errors import RasdError
from rasd.kb.knowledge_base import KB_VERSION
from rasd.store.search_text import SEARCH_VERSION

if TYPE_CHECKING:  # Alembic is imported only when a store is not at this Rasd's schema (see _at_head)
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection, Engine

DEFAULT_DB = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "rasd" / "rasd.db"
# What shapes stored results; a store is never read with other settings than the ones that built it.
SETTINGS = {"normaliser": NORMALISER_VERSION, "kb": KB_VERSION, "search": SEARCH_VERSION, "minhash": "128x32b4s5-crc32/3"}
# Seconds a writer waits for another one's transaction (SQLite busy timeout, PostgreSQL lock wait).
DEFAULT_TIMEOUT = 60.0
# Key of the PostgreSQL advisory lock that serialises Rasd's writers and migrations.
PG_WRITE_LOCK = 0x52617364  # "Rasd"
# A write transaction that failed because the database was busy is retried this many times.
WRITE_ATTEMPTS = 3

T = TypeVar("T")


class StoreError(RasdError):
    pass


@dataclass
class Store:
    url: str
    where: str = ""  # the path or URL as the user gave it (for messages)
    read_only: bool = False
    connect_args: dict = field(default_factory=dict, repr=False)
    writer: bool = False  # opened to write (SQLite: WAL and the other writer pragmas on each connection)
    _engine: Engine | None = field(default=None, repr=False)
    _writer: Engine | None = field(default=None, repr=False)
    _plain: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def engine(self) -> Engine:
        """SQLAlchemy's engine, made on first use."""
        if self._engine is None:
            self._engine = _engine(self)
        return self._engine

    @property
    def dialect(self) -> str:
        if self.url.startswith("sqlite"):
            return "sqlite"
        return "postgresql" if self.url.startswith("postgresql") else self.engine.dialect.name

    def plain(self) -> sqlite3.Connection | None:
        """A SQLite store's own ``sqlite3`` connection for reading (one per thread, autocommit: each
        statement reads the latest committed state); None for other databases."""
        if self.dialect != "sqlite":
            return None
        con = getattr(self._plain, "con", None)
        if con is None:
            database = self.url[len("sqlite:///"):]
            uri = database.startswith("file:")
            if uri:
                database = database.split("&uri=true")[0]
            con = sqlite3.connect(database, timeout=self.connect_args.get("timeout", 5.0), uri=uri, isolation_level=None)
            self._plain.con = con
        return con

    def close(self) -> None:
        con = getattr(self._plain, "con", None)
        if con is not None:
            con.close()
            self._plain.con = None
        if self._engine is not None:
            self._engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction, one at a time across processes (committed on exit, rolled back on error)."""
        if self.read_only:
            raise StoreError(f"{self.where}: the database is open read-only")
        if self._writer is None:
            self._writer = self.engine.execution_options(rasd_begin="IMMEDIATE")
        with self._writer.begin() as conn:
            if self.dialect == "postgresql":
                from sqlalchemy import text

                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})
            yield conn

    def retrying(self, work: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
        """Run ``work`` (one whole write transaction) again when the database was busy or a
        concurrent transaction had to be rolled back; other errors, and the last attempt's, propagate."""
        from sqlalchemy.exc import DBAPIError

        for i in range(attempts):
            try:
                return work()
            except DBAPIError as exc:
                if i == attempts - 1 or not is_busy(exc):
                    raise
                time.sleep(min(0.1 * 2 ** i, 2.0) * (0.5 + random.random()))
        raise AssertionError("unreachable")


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY / locked, or a PostgreSQL deadlock or serialisation failure: worth a retry."""
    orig = getattr(exc, "orig", exc)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in ("40001", "40P01", "55P03"):
        return True
    msg = str(orig).lower()
    return "database is locked" in msg or "database is busy" in msg or "database table is locked" in msg


def default_db() -> str:
    return os.environ.get("RASD_DB") or str(DEFAULT_DB)


def timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("RASD_DB_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        raise StoreError(f"RASD_DB_TIMEOUT must be a number of seconds, not {os.environ['RASD_DB_TIMEOUT']!r}") from None


def _url(db: str) -> str:
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _writable(path: Path) -> bool:
    """Can SQLite write this file and its folder (WAL needs the -wal and -shm files beside it)?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def open_store(db: str | None = None, *, create: bool = True) -> Store:
    """Open the store at a path or URL.

    ``create=True`` (writers): create it if missing and migrate it to this Rasd's schema, under the
    write lock. ``create=False`` (readers): it must exist and have this Rasd's schema; nothing is
    created or changed, and a file that cannot be written is opened read-only.
    """
    where = db or default_db()
    url = _url(where)
    read_only = False
    connect_args: dict = {}
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if path.is_dir():
            raise StoreError(f"{where}: is a folder, not a database file")
        if not path.exists():
            if not create:
                raise StoreError(f"no database at {path} (run `rasd ingest` first, or pass --db)")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{where}: cannot create the database folder: {exc.strerror or exc}") from None
            if not os.access(path.parent, os.W_OK | os.X_OK):
                raise StoreError(f"{where}: cannot create the database: the folder {path.parent} is read-only")
        elif not create and path.stat().st_size == 0:
            raise StoreError(f"{where}: no Rasd store there (an empty file; `rasd ingest` creates one)")
        elif not _writable(path):
            if create:
                what = "file" if not os.access(path, os.W_OK) else f"folder {path.parent}"
                raise StoreError(f"{where}: cannot write to the database: the {what} is read-only")
            # read-only media: open the file as it is (no locks, no -wal/-shm files)
            read_only = True
            url = f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&immutable=1&uri=true"
        connect_args = {"timeout": timeout()}
    elif url.startswith("postgresql"):
        connect_args = {"connect_timeout": 10}
    store = Store(url, where, read_only, connect_args, writer=create and not read_only)
    if not create and store.dialect == "sqlite" and _plain_check(store):
        return store
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    store._engine = _engine(store)  # made now, so that a URL SQLAlchemy cannot open is said here
    try:
        _migrate(store) if create else _check(store)
    except StoreError:
        store.close()
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        store.close()
        raise StoreError(describe(exc, where)) from None
    return store


def _engine(store: Store) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = create_engine(store.url, future=True, connect_args=store.connect_args)
    except (SQLAlchemyError, ImportError, ValueError, TypeError) as exc:
        raise StoreError(f"cannot open database {store.where}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_events(engine, writer=store.writer)
    return engine


def _plain_check(store: Store) -> bool:
    """A SQLite reader's check with sqlite3 alone: True if the store is at this Rasd's schema with
    this Rasd's settings. False for anything else, which the full check then words as it does."""
    try:
        con = store.plain()
        if con is None or not con.execute(_HAS_VERSIONS["sqlite"]).fetchone()[0]:
            return False
        current = {r[0] for r in con.execute("SELECT version_num FROM alembic_version")}
        heads = _heads()
        if not (len(heads) == 1 and current == heads):
            return False
        rows = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        store.close()
        return False
    return all(rows.get(k) in (None, v) for k, v in SETTINGS.items())


def _sqlite_events(engine: Engine, writer: bool) -> None:
    from sqlalchemy import event

    busy_ms = int(timeout() * 1000)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # Rasd issues BEGIN itself (below), so writers can BEGIN IMMEDIATE
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        if writer:  # a reader changes nothing, not even the journal mode (WAL stays set in the file)
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA cache_size=-32768")  # 32 MB of pages: the batch's index updates stay in memory
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        mode = conn.get_execution_options().get("rasd_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.M)


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """The head revisions of the migration scripts, read from their files: importing Alembic and
    loading its scripts costs more than the rest of a search command, so a store that is up to date
    is opened without it (any other store goes through Alembic as before)."""
    revs, downs = set(), set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(f.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revs.add(found["revision"].strip().strip("\"'"))
        downs.update(re.findall(r"[\"']([^\"']+)[\"']", found.get("down_revision", "")))
    return frozenset(revs - downs)


_HAS_VERSIONS = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
    "postgresql": "SELECT count(*) FROM information_schema.tables WHERE table_name = 'alembic_version' "
                  "AND table_schema = current_schema()",
}


def _at_head(conn: Connection) -> bool:
    """Is the store at this Rasd's schema (its one revision is the one head)? Two plain queries."""
    from sqlalchemy import text

    probe = _HAS_VERSIONS.get(conn.dialect.name)
    if probe is None or not conn.execute(text(probe)).scalar():
        return False
    current = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    heads = _heads()
    return len(heads) == 1 and current == heads


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _versions(conn: Connection) -> tuple[str | None, tuple[str, ...], ScriptDirectory]:
    """The store's schema revision (None if it has none) and this Rasd's heads."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    current = MigrationContext.configure(conn).get_current_revision()
    return current, tuple(script.get_heads()), script


def _known(script: ScriptDirectory, rev: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(rev) is not None
    except CommandError:
        return False


def _newer(where: str, rev: str) -> StoreError:
    return StoreError(
        f"{where}: the database has schema version {rev}, which this Rasd does not know "
        "(made by a newer Rasd): upgrade Rasd to read it"
    )


def _migrate(store: Store) -> None:
    """Create or upgrade the schema under the write lock, re-reading the version once the lock is held."""
    def work() -> None:
        with store.write() as conn:
            if _at_head(conn):
                _check_settings(store, conn, write=True)
                return
            from alembic import command
            from sqlalchemy import inspect

            cfg = _config()
            current, heads, script = _versions(conn)
            if current is None:
                foreign = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
                if foreign:
                    raise StoreError(f"{store.where}: not a Rasd database (it has other tables: {', '.join(sorted(foreign)[:5])})")
            elif not _known(script, current):
                raise _newer(store.where, current)
            if current not in heads:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            _check_settings(store, conn, write=True)

    store.retrying(work)


def _check(store: Store) -> None:
    """A reader's check: the store exists, has this Rasd's schema and settings; nothing is written."""
    with store.engine.connect() as conn:
        if _at_head(conn):
            _check_settings(store, conn)
            conn.rollback()
            return
        current, heads, script = _versions(conn)
        if current is None:
            raise StoreError(f"{store.where}: no Rasd store there (empty or not made by Rasd; `rasd ingest` creates one)")
        if not _known(script, current):
            raise _newer(store.where, current)
        if current not in heads:
            raise StoreError(
                f"{store.where}: the database has the older schema version {current}: "
                "a writing command (rasd ingest) upgrades it"
            )
        _check_settings(store, conn)
        conn.rollback()


def _check_settings(store: Store, conn: Connection, write: bool = False) -> None:
    from sqlalchemy import select

    from rasd.store.schema import meta

    rows = dict(conn.execute(select(meta.c.key, meta.c.value)).all())
    if not rows and write:
        conn.execute(meta.insert(), [{"key": k, "value": v} for k, v in SETTINGS.items()])
        return
    for k, v in SETTINGS.items():
        if rows.get(k) not in (None, v):
            raise StoreError(
                f"this database was built with {k} {rows[k]}, Rasd now uses {v}; "
                "re-ingest into a new database"
            )


def describe(exc: BaseException, where: str) -> str:
    """One line for a database error a user can meet (not a database, locked, full, read-only, gone)."""
    orig = getattr(exc, "orig", None) or exc
    msg = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = msg.lower()
    if "file is not a database" in low or "file is encrypted" in low or "malformed" in low:
        reason = "not a Rasd database (the file is not SQLite, or it is damaged)"
    elif "database is locked" in low or "database is busy" in low:
        reason = f"the database is locked by another process (waited {timeout():.0f} s; RASD_DB_TIMEOUT sets how long)"
    elif "disk is full" in low or "no space" in low or "file too large" in low:
        reason = "disk full: the last batch was not stored (everything committed before it is kept); free space and re-run"
    elif "readonly" in low or "read-only" in low:
        reason = "the database is read-only: cannot write to it"
    elif "unable to open database" in low:
        reason = "cannot open the database file (missing folder or no permission)"
    elif "disk i/o error" in low:
        reason = "disk I/O error while writing (disk full or failing?): the last batch was not stored"
    else:
        reason = msg
    return f"{where}: {reason}"


def ping(store: Store) -> None:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
