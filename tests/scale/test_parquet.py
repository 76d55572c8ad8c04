"""rasd export --format parquet per table, and a documents export read back by rasd ingest."""

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from rasd.scale.parquet import write_parquet

ROOT = Path(__file__).resolve().parents[2]


def rasd(*args, stdout=None):
    return subprocess.run([sys.executable, "-m", "rasd", *args], stdout=stdout or subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("pq") / "s.db"
    r = rasd("ingest", "samples", "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


@pytest.mark.parametrize("what", ["documents", "claims", "events", "entities"])
def test_parquet_export_holds_the_jsonl_rows(store, tmp_path, what):
    out = tmp_path / f"{what}.parquet"
    with out.open("wb") as fh:
        r = rasd("export", "--db", str(store), "--what", what, "--format", "parquet", stdout=fh)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in rasd("export", "--db", str(store), "--what", what).stdout.decode().splitlines()]
    table = pq.read_table(out).to_pylist()
    assert len(table) == len(rows) > 0
    for got, want in zip(table, rows, strict=True):
        assert list(got) == list(want)
        for k, v in want.items():
            assert got[k] == (json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v), k


def test_documents_round_trip_through_ingest(store, tmp_path):
    out = tmp_path / "docs.parquet"
    with out.open("wb") as fh:
        assert rasd("export", "--db", str(store), "--format", "parquet", stdout=fh).returncode == 0
    again = tmp_path / "again.db"
    r = rasd("ingest", str(out), "--db", str(again))
    assert r.returncode == 0, r.stderr
    first = {d["id"]: d for d in map(json.loads, rasd("export", "--db", str(store)).stdout.decode().splitlines())}
    second = {d["id"]: d for d in map(json.loads, rasd("export", "--db", str(again)).stdout.decode().splitlines())}
    assert set(first) == set(second)
    for k, d in first.items():
        assert (second[k]["title"], second[k]["published"], second[k]["outlet"], second[k]["source"]["url"]) == \
            (d["title"], d["published"], d["outlet"], d["source"]["url"])


def test_types_are_taken_from_the_first_values_found(tmp_path):
    rows = [{"a": None, "n": 1, "x": 1, "l": [], "d": {"k": 1}}] * 3 + [{"a": 2.5, "n": 2, "x": 1.5, "l": ["s"], "d": None}]
    path = tmp_path / "t.parquet"
    assert write_parquet(iter(rows), str(path), row_group=2) == 4
    t = pq.read_table(path)
    assert [str(f.type) for f in t.schema] == ["double", "int64", "double", "list<element: string>", "string"]
    assert t.column("a").to_pylist() == [None, None, None, 2.5]
    assert t.column("d").to_pylist()[0] == '{"k": 1}'


def test_parquet_refuses_a_terminal(store):
    import pty

    main, secondary = pty.openpty()
    r = subprocess.run([sys.executable, "-m", "rasd", "export", "--db", str(store), "--format", "parquet"],
                       stdout=secondary, stderr=subprocess.PIPE, cwd=ROOT, timeout=60)
    assert r.returncode == 1 and r.stderr.decode().startswith("rasd: parquet is a binary format")
