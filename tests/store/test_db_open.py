"""Opening a store: one that is at this Rasd's schema opens without Alembic; any other still goes
through Alembic (an older one is upgraded by a writer, a newer one refused)."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from rasd.store.db import _config, _heads, _url, open_store

ROOT = Path(__file__).resolve().parents[2]


def test_the_heads_read_from_the_files_are_alembics():
    from alembic.script import ScriptDirectory

    assert _heads() == frozenset(ScriptDirectory.from_config(_config()).get_heads())


def _modules_after_open(db: str, create: bool) -> set[str]:
    code = ("import sys; from rasd.store.db import open_store; "
            f"open_store({db!r}, create={create}).close(); "
            "print(' '.join(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=os.environ)
    assert r.returncode == 0, r.stderr
    return set(r.stdout.split())


def test_an_up_to_date_store_opens_without_alembic(db_url):
    open_store(db_url).close()  # a new store: created through Alembic
    assert _modules_after_open(db_url, create=True) == set()
    assert _modules_after_open(db_url, create=False) == set()


def _version(db_url: str) -> list[str]:
    engine = create_engine(_url(db_url))
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def test_an_older_store_is_still_upgraded_by_a_writer(db_url):
    open_store(db_url).close()
    (head,) = _heads()
    engine = create_engine(_url(db_url))
    with engine.begin() as conn:
        from alembic.script import ScriptDirectory

        previous = ScriptDirectory.from_config(_config()).get_revision(head).down_revision
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": previous})
    engine.dispose()
    assert _version(db_url) == [previous]
    assert "alembic" in _modules_after_open(db_url, create=True)
    assert _version(db_url) == [head]
