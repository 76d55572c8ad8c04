"""Several `rasd ingest` processes writing one store at once end with the store a sequential run makes."""

import os
import subprocess
import sys
from pathlib import Path

from rasd.store import open_store
from rasd.store import schema as t

from .corpus import ARTICLES

ROOT = Path(__file__).resolve().parents[2]


def _folders(tmp_path: Path) -> list[Path]:
    """Three overlapping folders: every article is in two of them, so the writers race on the same
    documents and on the same new entities."""
    articles = {f"{i:02d}_{name}": body + f"\nالفقرة الإضافية رقم {i} في هذه النسخة من الخبر."
                for i in range(6) for name, body in ARTICLES.items()}
    names = sorted(articles)
    folders = []
    for k in range(3):
        f = tmp_path / f"part{k}"
        f.mkdir()
        for j, name in enumerate(names):
            if j % 3 != k:  # each article goes to two of the three folders
                (f / name).write_text(articles[name], encoding="utf-8")
        folders.append(f)
    return folders


def _ingest(folder: Path, db: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rasd", "ingest", str(folder), "--db", db, "--batch", "2", "--published", "2024-11-06"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "RASD_DB_TIMEOUT": "120"},
    )


def _snapshot(db: str) -> dict:
    """What a store holds, independent of row ids and arrival times."""
    s = open_store(db, create=False)
    with s.engine.connect() as conn:
        docs = {r.id: r for r in conn.execute(t.documents.select())}
        by_story: dict = {}
        for d in docs.values():
            by_story.setdefault(d.story_id, set()).add(d.id)
        events = conn.execute(t.events.select()).all()
        by_incident: dict = {}
        for e in events:
            by_incident.setdefault(e.incident_id, set()).add((e.doc_id, e.start, e.type))
        snap = {
            "documents": sorted((d.id, d.parent_id, Path(d.path).name, d.text) for d in docs.values()),
            "entities": sorted(tuple(r) for r in conn.execute(t.entities.select())),
            "mentions": sorted((r.doc_id, r.entity_id, r.start, r.end) for r in conn.execute(t.mentions.select())),
            "claims": sorted((r.doc_id, r.start, r.end, r.value or 0, r.unit, r.subject or "", r.modality)
                             for r in conn.execute(t.claims.select())),
            "events": sorted((e.doc_id, e.start, e.end, e.type, e.actors) for e in events),
            "stories": sorted(sorted(v) for v in by_story.values()),
            "story_rows": len(conn.execute(t.stories.select()).all()),
            "incidents": sorted(sorted(v) for v in by_incident.values()),
            "incident_rows": len(conn.execute(t.incidents.select()).all()),
            "lsh_bands": len(conn.execute(t.lsh_bands.select()).all()),
        }
    s.close()
    return snap


def test_three_writers_at_once_store_what_a_sequential_run_stores(db_url, another_db, tmp_path):
    folders = _folders(tmp_path)
    procs = [_ingest(f, db_url) for f in folders]  # a new store: they also race to create the schema
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read().decode()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "meta_path" not in err, err
    for f in folders:
        p = _ingest(f, another_db)
        assert p.wait(timeout=300) == 0, p.stderr.read().decode()
    together, sequential = _snapshot(db_url), _snapshot(another_db)
    assert len(together["documents"]) == 24
    assert together == sequential


def test_a_second_round_of_writers_on_an_existing_store_adds_nothing(db_url, tmp_path):
    folders = _folders(tmp_path)
    first = _ingest(folders[0], db_url)
    assert first.wait(timeout=300) == 0
    before = _snapshot(db_url)
    procs = [_ingest(f, db_url) for f in folders]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read().decode()
    after = _snapshot(db_url)
    assert len(after["documents"]) == 24 and len(before["documents"]) == 16
    assert set(before["entities"]) <= set(after["entities"])
