"""A search of a SQLite store reads through sqlite3 alone (rasd.store.db.Store.plain): SQLAlchemy is
never imported by it, and it answers what the SQLAlchemy path answers."""

import subprocess
import sys

from rasd.store import open_store
from rasd.store.db import Store
from rasd.store.query import search

from .bulk import fill

QUERIES = ["روسيا", "كورسك جندي", '"منطقة كورسك"', "روسيا OR أوكرانيا", "جندي -كورسك"]


def test_a_search_imports_no_sqlalchemy(tmp_path):
    db = fill(str(tmp_path / "r.db"), 6)
    code = ("import sys; from rasd.store import open_store; from rasd.store.query import search; "
            f"p = search(open_store({db!r}, create=False), 'روسيا'); "
            "print(p.total, 'sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 0 and out[1] == "False"


def test_the_same_answers_as_through_sqlalchemy(tmp_path, monkeypatch):
    db = fill(str(tmp_path / "r.db"), 12)
    plain = [search(open_store(db, create=False), q, limit=5).to_json() for q in QUERIES]
    monkeypatch.setattr(Store, "plain", lambda self: None)
    through_sqlalchemy = [search(open_store(db, create=False), q, limit=5).to_json() for q in QUERIES]
    assert plain == through_sqlalchemy
    assert all(p["total"] for p in plain[:4])
