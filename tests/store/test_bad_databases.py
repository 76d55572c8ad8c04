"""Databases a user can point Rasd at: each failure one clear line and a non-zero exit; stores on
read-only media are searched read-only; read commands never create or migrate a store."""

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from .corpus import ARTICLES, write

ROOT = Path(__file__).resolve().parents[2]


def rasd(*args, env=None, preexec_fn=None):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, preexec_fn=preexec_fn)


def one_line(r) -> str:
    assert r.returncode != 0, r.stdout
    err = r.stderr.decode().strip()
    assert err.startswith("rasd: ") and "\n" not in err and "Traceback" not in err, err
    return err


@pytest.fixture
def store_file(tmp_path):
    db = tmp_path / "store" / "rasd.db"
    r = rasd("ingest", str(write(tmp_path)), "--db", str(db), "--published", "2024-11-06", "--no-progress")
    assert r.returncode == 0, r.stderr
    return db


@pytest.mark.parametrize("cmd", [["stats"], ["search", "كوريا"], ["ingest", "samples"]])
def test_not_a_database(tmp_path, cmd):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"these are my notes, not a database\n" * 200)
    err = one_line(rasd(*cmd, "--db", str(bad)))
    assert "not a Rasd database" in err
    assert bad.read_bytes().startswith(b"these are my notes")


@pytest.mark.parametrize("cmd", [["stats"], ["search", "كوريا"], ["claims"], ["entities"]])
def test_read_commands_leave_an_empty_file_empty(tmp_path, cmd):
    empty = tmp_path / "empty.db"
    empty.touch()
    err = one_line(rasd(*cmd, "--db", str(empty)))
    assert "no Rasd store" in err
    assert empty.stat().st_size == 0 and not Path(str(empty) + "-wal").exists()


def test_read_commands_never_create_a_store(tmp_path):
    db = tmp_path / "sub" / "none.db"
    err = one_line(rasd("search", "كوريا", "--db", str(db)))
    assert "no database" in err and not db.exists() and not db.parent.exists()


def test_another_sqlite_database_is_not_taken_over(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    err = one_line(rasd("ingest", "samples", "--db", str(other)))
    assert "not a Rasd database" in err
    assert [r[0] for r in sqlite3.connect(other).execute("SELECT name FROM sqlite_master")] == ["contacts"]


def test_a_newer_schema_is_refused_by_readers_and_writers(store_file):
    con = sqlite3.connect(store_file)
    con.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    con.commit()
    con.close()
    for cmd in (["stats"], ["search", "كوريا"], ["ingest", "samples"]):
        err = one_line(rasd(*cmd, "--db", str(store_file)))
        assert "0099_from_the_future" in err and "newer Rasd" in err


def test_an_older_schema_is_not_migrated_by_a_reader(store_file):
    con = sqlite3.connect(store_file)
    con.execute("DELETE FROM alembic_version")
    con.execute("INSERT INTO alembic_version VALUES ('0001')")
    heads = con.execute("SELECT version_num FROM alembic_version").fetchall()
    con.commit()
    con.close()
    from alembic.script import ScriptDirectory

    from rasd.store.db import _config

    if ScriptDirectory.from_config(_config()).get_heads() == ["0001"]:
        pytest.skip("only one schema revision so far: no older schema to test with")
    err = one_line(rasd("stats", "--db", str(store_file)))
    assert "older schema" in err
    assert sqlite3.connect(store_file).execute("SELECT version_num FROM alembic_version").fetchall() == heads


def test_a_locked_database_is_one_line(store_file, tmp_path):
    holder = sqlite3.connect(store_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        folder = tmp_path / "more"
        folder.mkdir()
        (folder / "x.txt").write_text(ARTICLES["b.txt"] + "\nفقرة جديدة لم تخزن بعد.", encoding="utf-8")
        err = one_line(rasd("ingest", str(folder), "--db", str(store_file), env={"RASD_DB_TIMEOUT": "0.3"}))
        assert "locked by another process" in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_disk_full_is_one_line_and_keeps_what_was_committed(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        for name, body in ARTICLES.items():
            (folder / f"{i:03d}_{name}").write_text(body + f"\nالفقرة الإضافية رقم {i}." * 20, encoding="utf-8")
    db = tmp_path / "full.db"
    limit = 600_000

    def small_disk():  # the files this process writes cannot grow past `limit` bytes
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    # with the progress bar on: it is closed before exit (it used to fail with "sys.meta_path is None")
    err = one_line(rasd("ingest", str(folder), "--db", str(db), "--batch", "5", preexec_fn=small_disk))
    assert "disk full" in err or "disk I/O error" in err
    n = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < n < 160
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@contextmanager
def read_only(*paths: Path):
    """Make files or folders read-only, for root too (the immutable attribute) or by permissions."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        for p in paths:
            if subprocess.run(["chattr", "+i", str(p)], capture_output=True).returncode != 0:
                pytest.skip("running as root on a filesystem without the immutable attribute")
        try:
            yield
        finally:
            for p in paths:
                subprocess.run(["chattr", "-i", str(p)], capture_output=True)
        return
    modes = {p: p.stat().st_mode for p in paths}
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p, m in modes.items():
            p.chmod(m)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_store_on_read_only_media_is_searched_read_only(store_file, what):
    before = store_file.read_bytes()
    with read_only(store_file if what == "file" else store_file.parent):
        r = rasd("search", "بيونجيانج", "--db", str(store_file), "--json")
        assert r.returncode == 0, r.stderr
        assert b'"snippet"' in r.stdout
        for cmd in (["stats"], ["claims"], ["events", "--incidents"], ["export", "--what", "entities"]):
            r = rasd(*cmd, "--db", str(store_file))
            assert r.returncode == 0, (cmd, r.stderr)
        err = one_line(rasd("ingest", "samples", "--db", str(store_file)))
        assert "read-only" in err
    assert store_file.read_bytes() == before
    assert sorted(p.name for p in store_file.parent.iterdir()) == ["rasd.db"]


def test_a_reader_on_an_empty_database_creates_nothing(db_url):
    """SQLite (a new file path) and PostgreSQL (an empty database): no store is made by a read command."""
    err = one_line(rasd("stats", "--db", db_url))
    assert "no database" in err or "no Rasd store" in err
    if "://" in db_url:
        from sqlalchemy import create_engine, inspect

        engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
        assert inspect(engine).get_table_names() == []
        engine.dispose()
    else:
        assert not Path(db_url).exists()
