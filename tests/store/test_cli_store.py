import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .corpus import write

ROOT = Path(__file__).resolve().parents[2]


def rasd(*args, env=None):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, cwd=ROOT, env=env)


@pytest.fixture
def loaded(db_url, tmp_path):
    folder = write(tmp_path)
    r = rasd("ingest", str(folder), "--db", db_url, "--published", "2024-11-06")
    assert r.returncode == 0, r.stderr
    return db_url


def test_stats_json(loaded):
    s = json.loads(rasd("stats", "--db", loaded, "--json").stdout)
    assert s["documents"] == 4 and s["stories"] == 3
    assert s["entities"] > 5 and s["claims"] >= 3 and s["events"] >= 3


def test_search_json_fields(loaded):
    hits = json.loads(rasd("search", "بيونجيانج", "--db", loaded, "--json").stdout)
    assert hits
    for h in hits:
        assert set(h) >= {"id", "source", "title", "published", "score", "snippet"}
        assert set(h["source"]) == {"path", "url"}


def test_claims_json_is_the_extract_form_plus_document(loaded):
    rows = json.loads(rasd("claims", "--subject", "North Korea", "--unit", "troops", "--db", loaded, "--json").stdout)
    assert rows
    for c in rows:
        assert set(c) >= {"value", "low", "high", "qualifier", "unit", "unit_text", "subject", "source", "date",
                          "modality", "start", "end", "sentence", "id", "source_document"}


@pytest.mark.parametrize(
    "args",
    [["search", "كوريا", "--since", "last week"], ["search", '"كوريا'], ["entity", "Nobody Atall"], ["claims", "--subject", "Nobody Atall"]],
)
def test_user_errors_are_one_line(loaded, args):
    r = rasd(*args, "--db", loaded)
    assert r.returncode != 0
    err = r.stderr.decode().strip()
    assert err.startswith("rasd: ") and "\n" not in err and "Traceback" not in err


def test_missing_database_is_one_line(tmp_path):
    r = rasd("stats", "--db", str(tmp_path / "none.db"))
    assert r.returncode == 1
    assert r.stderr.decode().startswith("rasd: no database")


def test_listings_render_tables(loaded):
    for cmd in (["entities"], ["entity", "كوريا الشمالية"], ["events"], ["events", "--incidents"], ["timeline", "--entity", "Russia"],
                ["stories"], ["disagreements"], ["claims"]):
        r = rasd(*cmd, "--db", loaded)
        assert r.returncode == 0, (cmd, r.stderr)
        assert r.stdout.strip()


def test_export_jsonl_and_csv(loaded):
    lines = rasd("export", "--what", "claims", "--db", loaded).stdout.decode().splitlines()
    assert lines and all(json.loads(x)["unit"] for x in lines)
    csv_out = rasd("export", "--what", "events", "--format", "csv", "--db", loaded).stdout.decode()
    assert csv_out.startswith("\ufeffevent_id,") and ",type," in csv_out.splitlines()[0]


def test_killed_ingest_resumes_to_the_same_state(tmp_path):
    """kill -9 in the middle of an ingest; the database stays consistent and a re-run completes it."""
    folder = tmp_path / "many"
    folder.mkdir()
    from .corpus import ARTICLES

    for i in range(60):
        for name, body in ARTICLES.items():
            (folder / f"{i:03d}_{name}").write_text(body + f"\nالفقرة الإضافية رقم {i} في هذه النسخة من الخبر.", encoding="utf-8")
    db = str(tmp_path / "k.db")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "rasd", "ingest", str(folder), "--db", db, "--batch", "5", "--no-progress"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    import sqlite3

    while time.time() < deadline:
        time.sleep(0.2)
        try:
            n = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            continue
        if n >= 10:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < partial < 240
    r = rasd("ingest", str(folder), "--db", db, "--no-progress")
    assert r.returncode == 0, r.stderr
    done = json.loads(rasd("stats", "--db", db, "--json").stdout)
    fresh = str(tmp_path / "fresh.db")
    rasd("ingest", str(folder), "--db", fresh, "--no-progress")
    assert done == json.loads(rasd("stats", "--db", fresh, "--json").stdout)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == done["documents"]
