"""Plain DB-API statements inside a SQLAlchemy transaction, for the write path's hot loops.

Building and compiling a SQLAlchemy Core statement costs more than SQLite takes to run it, and
ingest runs a dozen statements per document: the writer (``rasd.store.ingest``) and the story and
incident linker (``rasd.store.linking``) send fixed SQL strings straight to the driver's cursor,
in the transaction SQLAlchemy opened (``Store.write``), so locking and retries stay as they are.
Statements are written with ``?`` markers; PostgreSQL's driver (psycopg) gets ``%s``. The driver's
errors are raised as SQLAlchemy's (``DBAPIError``), as every other statement's are: retries on a busy
database and the one-line messages (``rasd.store.db``) see them the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError


@lru_cache(maxsize=256)
def _pg(stmt: str) -> str:
    return stmt.replace("?", "%s")


def marks(n: int) -> str:
    """``?, ?, ?`` for an IN list of n values (n >= 1)."""
    return ", ".join("?" * n)


class Sql:
    """The driver's cursor of one connection, with the few calls the write path needs."""

    def __init__(self, conn: Connection):
        self.pg = conn.dialect.name == "postgresql"
        self.cur = conn.connection.driver_connection.cursor()
        self._error = conn.dialect.loaded_dbapi.Error

    def _q(self, stmt: str) -> str:
        return _pg(stmt) if self.pg else stmt

    @contextmanager
    def _errors(self, stmt: str, params) -> Iterator[None]:
        try:
            yield
        except self._error as exc:
            raise DBAPIError.instance(stmt, params, exc, self._error) from exc

    def rows(self, stmt: str, params: Sequence = ()) -> list[tuple]:
        with self._errors(stmt, params):
            self.cur.execute(self._q(stmt), params)
            return self.cur.fetchall()

    def column(self, stmt: str, params: Sequence = ()) -> list:
        return [r[0] for r in self.rows(stmt, params)]

    def run(self, stmt: str, params: Sequence = ()) -> int:
        """Execute one statement; the number of rows it changed."""
        with self._errors(stmt, params):
            self.cur.execute(self._q(stmt), params)
            return self.cur.rowcount

    def many(self, stmt: str, rows: Sequence[Sequence]) -> None:
        if rows:
            with self._errors(stmt, rows[:1]):
                self.cur.executemany(self._q(stmt), rows)

    def insert_id(self, stmt: str, params: Sequence) -> int:
        """Execute one INSERT into a table with an integer ``id`` key; the new row's id."""
        with self._errors(stmt, params):
            if self.pg:
                self.cur.execute(_pg(stmt + " RETURNING id"), params)
                return self.cur.fetchone()[0]
            self.cur.execute(stmt, params)
            return self.cur.lastrowid


def insert_sql(table: str, columns: Sequence[str], new_only: bool = False) -> str:
    """``INSERT INTO table (cols) VALUES (?, ...)``; ``new_only``: a row whose key is there already is
    left as it is (ON CONFLICT DO NOTHING, SQLite and PostgreSQL)."""
    cols = ", ".join(f'"{c}"' for c in columns)
    return f"INSERT INTO {table} ({cols}) VALUES ({marks(len(columns))})" + (" ON CONFLICT DO NOTHING" if new_only else "")
