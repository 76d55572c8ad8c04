"""--engine dask gives the same store and the same output as the single process (2 local workers)."""

import gzip
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
ANT = ROOT.parent / "shared" / "data" / "ant" / "ant_v2_1_multisource.jsonl.gz"
N = 300


def _ant_records() -> list[dict]:
    lines = []
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 40 == 0:  # spread over outlets and categories
                lines.append(json.loads(line))
            if len(lines) >= N:
                break
    return [{"title": r.get("title"), "text": r.get("text"), "date": r.get("date"), "url": r.get("url"),
             "outlet": r.get("outlet")} for r in lines]


def _synthetic_records() -> list[dict]:
    """Arabic articles recombined from the bundled samples' sentences, when ANT is absent."""
    from rasd.arabic.segment import sentences

    sents = []
    for f in sorted((ROOT / "samples").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        sents += [text[s.start:s.end] for s in sentences(text)]
    rng = random.Random(7)
    out = []
    for i in range(N):
        picked = rng.sample(sents, k=min(len(sents), rng.randint(2, 5)))
        out.append({"title": f"تقرير {i}", "text": "\n".join(picked) + f"\nوقال مسؤول إن {rng.randint(2, 90)} ألف جندي وصلوا.",
                    "date": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}", "url": f"https://example.org/{i}", "outlet": "عينة"})
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    records = _ant_records() if ANT.exists() else _synthetic_records()
    rng = random.Random(3)
    # rewrites (same story), exact copies (stored once), and rows that must be reported, not stored
    records += [dict(r, text=r["text"] + "\nوتابعت المصادر نقل الخبر.") for r in rng.sample(records, 20)]
    records += rng.sample(records, 3)
    records.insert(17, {"title": "فارغ", "text": "", "date": "2024-01-01", "url": None, "outlet": None})
    records.insert(90, {"title": "تاريخ", "text": "نص قصير عن روسيا.", "date": "غدا", "url": None, "outlet": None})
    path = tmp_path_factory.mktemp("scale") / "archive.parquet"
    pq.write_table(pa.Table.from_pylist(records), path)
    return path


def rasd(*args, env=None):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, cwd=ROOT, env=env, timeout=300)


def _left_behind(marker: str) -> list[int]:
    found = []
    for p in psutil.process_iter():
        try:
            if p.environ().get("RASD_TEST_MARK") == marker:
                found.append(p.pid)
        except (psutil.Error, OSError):
            continue
    return found


def _dump(db: Path) -> dict[str, list[str]]:
    out = {}
    for what in ("documents", "claims", "events", "entities"):
        r = rasd("export", "--db", str(db), "--what", what)
        assert r.returncode == 0, r.stderr
        # ingested_at is when each run stored the row (wall clock), not a result of the extraction
        rows = [{k: v for k, v in json.loads(line).items() if k != "ingested_at"} for line in r.stdout.decode().splitlines()]
        out[what] = sorted(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows)
    for cmd in (["stories", "--limit", "1000"], ["events", "--incidents"], ["disagreements"], ["stats"]):
        r = rasd(*cmd, "--db", str(db), "--json")
        assert r.returncode == 0, r.stderr
        out[cmd[0] + (cmd[1] if len(cmd) > 1 else "")] = [r.stdout.decode()]
    return out


def test_dask_ingest_and_extract_match_single_process(archive, tmp_path):
    marker = uuid.uuid4().hex
    env = {**os.environ, "RASD_TEST_MARK": marker}
    single, dask = tmp_path / "single.db", tmp_path / "dask.db"
    a = rasd("ingest", str(archive), "--db", str(single), "--no-progress", env=env)
    b = rasd("ingest", str(archive), "--db", str(dask), "--no-progress", "--engine", "dask", "--workers", "2", env=env)
    assert a.returncode == b.returncode == 1  # the two bad rows
    errors = [ln for ln in a.stderr.decode().splitlines() if ln.startswith("rasd: ")]
    assert errors == [ln for ln in b.stderr.decode().splitlines() if ln.startswith("rasd: ")]
    assert errors == [f"rasd: {archive}:18: no text", f"rasd: {archive}:91: published: not a date: 'غدا' (ISO 8601 or RFC 2822)"]
    one, many = _dump(single), _dump(dask)
    assert len(one["documents"]) > 250 and one["claims"] and one["events"]
    stats = json.loads(one["stats"][0])
    assert stats["stories"] < stats["documents"]  # the rewrites joined their stories
    for what in one:
        assert one[what] == many[what], what

    x = rasd("extract", str(archive), "--no-progress", env=env)
    y = rasd("extract", str(archive), "--no-progress", "--engine", "dask", "--workers", "2", env=env)
    assert x.returncode == y.returncode == 1
    assert x.stdout == y.stdout and len(x.stdout.splitlines()) == N + 23
    deadline = time.time() + 10
    while _left_behind(marker) and time.time() < deadline:
        time.sleep(0.2)
    assert _left_behind(marker) == [], "dask processes left running"


def test_engine_options_are_checked():
    r = rasd("ingest", "samples", "--workers", "2", "--db", "/nonexistent/x.db")
    assert r.returncode != 0 and r.stderr.decode().strip() == "rasd: --workers needs --engine dask"
    r = rasd("extract", "samples", "--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1")
    assert r.stderr.decode().strip().startswith("rasd: --workers and --scheduler: give one")
    r = rasd("extract", "samples", "--engine", "dask", "--workers", "0")
    assert r.returncode == 2 and b"must be at least 1" in r.stderr


def test_unreachable_scheduler_is_one_line():
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    r = rasd("extract", "samples", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", env=env)
    assert r.returncode == 1
    lines = r.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rasd: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_extract_max_bytes_default_is_the_readers():
    from rasd.cli.extract import extract
    from rasd.sources.files import DEFAULT_MAX_BYTES

    assert next(p for p in extract.params if p.name == "max_bytes").default == DEFAULT_MAX_BYTES


def test_extract_on_an_existing_cluster_by_address():
    from dask.distributed import LocalCluster

    single = rasd("extract", "samples", "--no-progress")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        r = rasd("extract", "samples", "--no-progress", "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert r.returncode == 0, r.stderr
    assert r.stdout == single.stdout and single.stdout


def test_the_first_document_loads_with_the_collector_off_and_leaves_it_as_it_was(monkeypatch):
    import gc

    from rasd.scale import engine

    monkeypatch.setattr(engine, "_LOADED", [])
    seen = []
    monkeypatch.setattr("rasd.pipeline.annotate", lambda doc: seen.append(gc.isenabled()) or doc)
    monkeypatch.setattr("rasd.pipeline.pretagged", lambda outcomes, chunk, doc_of: outcomes)
    was = gc.isenabled()
    out = list(engine.annotated([("a", "doc-a", None), ("b", "doc-b", None), ("c", None, "bad")]))
    assert out == [("a", "doc-a", None), ("b", "doc-b", None), ("c", None, "bad")]
    assert seen == [False, was] and gc.isenabled() == was and engine._LOADED
    gc.unfreeze()
