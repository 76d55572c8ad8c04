import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def _pg_database(base: str):
    """A new database of its own on the PostgreSQL server at ``base``, dropped afterwards."""
    name = "t" + uuid.uuid4().hex[:12]
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, empty database for each test: a SQLite file, or a schema of its own on the
    PostgreSQL server named by RASD_TEST_PG (which .ci/run starts)."""
    if request.param == "sqlite":
        yield str(tmp_path / "rasd.db")
        return
    base = os.environ.get("RASD_TEST_PG")
    if not base:
        pytest.skip("RASD_TEST_PG is not set: no PostgreSQL server to test against (.ci/run starts one)")
    with _pg_database(base) as url:
        yield url


@pytest.fixture
def another_db(db_url, tmp_path):
    """A second fresh database on the same backend as ``db_url`` (for comparing two stores)."""
    if "://" not in db_url:
        yield str(tmp_path / "other.db")
        return
    with _pg_database(os.environ["RASD_TEST_PG"]) as url:
        yield url
