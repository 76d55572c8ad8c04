"""The plain-SQL writer (rasd.store.ingest) stores what the row-by-row SQLAlchemy writer stored
(reference_writer.py): every table, row for row, ids and SQLite rowids included, on the seeds and
the devset (skipped without ../shared), on SQLite and PostgreSQL."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

import rasd.store.ingest as fast
from rasd.pipeline import annotate, clean
from rasd.sources.files import read_input
from rasd.store import open_store

from . import reference_writer

DEVSET = Path(__file__).resolve().parents[3] / "shared" / "devset"
TABLES = ["documents", "stories", "lsh_bands", "entities", "mentions", "claims", "events", "event_entities", "incidents"]
NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


class _Clock(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW.astimezone(tz)


@pytest.fixture(scope="module")
def articles(seeds):
    if not DEVSET.is_dir():
        pytest.skip(f"devset not found at {DEVSET}")
    paths = sorted(p for p in seeds.iterdir() if p.suffix == ".txt") + sorted(DEVSET.glob("*.txt"))
    docs = [annotate(clean(read_input(str(p)))) for p in paths]
    return docs + docs[:3]  # the same article again is skipped


def _dump(store) -> dict[str, list]:
    sqlite = store.dialect == "sqlite"
    out = {}
    with store.engine.connect() as conn:
        for table in TABLES:
            cols = "rowid, *" if sqlite else "*"
            out[table] = sorted(map(repr, conn.execute(text(f"SELECT {cols} FROM {table}")).all()))
        if sqlite:
            out["fts"] = sorted(map(repr, conn.execute(text("SELECT rowid, search_text FROM documents_fts")).all()))
    return out


def test_the_same_store_as_the_row_by_row_writer(articles, db_url, another_db, monkeypatch):
    monkeypatch.setattr(fast, "dt", SimpleNamespace(datetime=_Clock, UTC=dt.UTC))
    mine, reference = open_store(db_url), open_store(another_db)
    try:
        stats = fast.ingest(mine, articles, batch_size=7)
        reference_writer.ingest(reference, articles, batch_size=7, now=NOW.isoformat(timespec="seconds"))
        assert stats.skipped >= 3
        got, want = _dump(mine), _dump(reference)
        assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in want.items()}
        assert len(got["events"]) > 50 and len(got["claims"]) > 50
        for table in got:
            assert got[table] == want[table], table
    finally:
        mine.close()
        reference.close()
