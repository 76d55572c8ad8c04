"""JSON Lines batches through `rasd extract`, `rasd ingest` and `rasd bench`: each good line processed,
each bad line one `rasd: FILE:LINE: reason`, exit code 1 at the end."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXT = "قال الرئيس الروسي فلاديمير بوتين إن بلاده ستواصل التعاون مع كوريا الشمالية."
OTHER = "أعلنت وزارة الدفاع الكورية الجنوبية أن نحو 3 آلاف جندي من كوريا الشمالية وصلوا إلى روسيا."


def rasd(*args):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, cwd=ROOT)


@pytest.fixture(params=["batch.jsonl", "batch.jsonl.gz"])
def batch(request, tmp_path):
    rows = [json.dumps({"text": TEXT, "title": "بوتين", "date": "2024-11-05", "outlet": "وكالة"}, ensure_ascii=False),
            "{not json", json.dumps({"text": OTHER, "url": "http://example.org/2"}, ensure_ascii=False), '"just a string"']
    p = tmp_path / request.param
    data = ("\n".join(rows) + "\n").encode("utf-8")
    p.write_bytes(gzip.compress(data) if p.suffix == ".gz" else data)
    return p


def bad_lines(r, path):
    return sorted(line for line in r.stderr.decode().splitlines() if line.startswith(f"rasd: {path}:"))


def test_extract_a_batch(batch):
    r = rasd("extract", str(batch))
    assert r.returncode == 1
    docs = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [d["source"]["path"] for d in docs] == [f"{batch}:1", f"{batch}:3"]
    assert (docs[0]["title"], docs[0]["published"], docs[0]["outlet"]) == ("بوتين", "2024-11-05", "وكالة")
    assert docs[1]["source"]["url"] == "http://example.org/2" and docs[1]["claims"]
    errors = bad_lines(r, batch)
    assert [e.split(":")[2] for e in errors] == ["2", "4"], errors
    assert "Traceback" not in r.stderr.decode()


def test_ingest_a_batch_stores_each_good_line_as_an_article(batch, tmp_path):
    db = str(tmp_path / "b.db")
    r = rasd("ingest", str(batch), "--db", db, "--no-progress")
    assert r.returncode == 1 and len(bad_lines(r, batch)) == 2
    docs = [json.loads(x) for x in rasd("export", "--db", db).stdout.decode().splitlines()]
    assert sorted(d["text"].strip() for d in docs) == sorted([TEXT, OTHER])
    assert not any(d["text"].lstrip().startswith("{") for d in docs)


def test_bench_a_batch_with_a_bad_line(batch):
    r = rasd("bench", str(batch), "--limit", "10")
    assert r.returncode == 1
    result = json.loads(r.stdout)
    assert result["documents"] == 2 and result["bad_inputs"] == 2
    assert len(bad_lines(r, batch)) == 2 and "Traceback" not in r.stderr.decode()


def test_files_with_other_suffixes_in_a_folder_are_named(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    r = rasd("extract", str(tmp_path))
    assert r.returncode == 0
    assert f"rasd: {tmp_path / 'scan.pdf'}: skipped" in r.stderr.decode()
    assert len(r.stdout.decode().splitlines()) == 1
