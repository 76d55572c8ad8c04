import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from rasd import resources

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "قال الرئيس الروسي فلاديمير بوتين إن بلاده ستواصل التعاون مع كوريا الشمالية.\nوأضاف أن العلاقات بين البلدين قوية."


def rasd(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "rasd", *args], input=stdin, capture_output=True, cwd=ROOT)


def test_bad_inputs_are_reported_one_line_each_and_others_go_through(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3000)
    r = rasd("extract", str(empty), str(good), str(binary), str(tmp_path / "missing.txt"), str(big), "--max-bytes", "2000")
    assert r.returncode == 1
    errors = r.stderr.decode().strip().split("\n")
    assert len(errors) == 4, errors
    assert all(line.startswith("rasd: ") for line in errors)
    assert "Traceback" not in r.stderr.decode()
    docs = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert len(docs) == 1 and "بوتين" in docs[0]["text"]


def test_stdin_and_json_list_validate():
    r = rasd("extract", "-", "--json", stdin=ARTICLE.encode("cp1256"))
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)
    schema = json.loads(resources.path("rasd.extract.schema.json").read_text(encoding="utf-8"))
    assert len(docs) == 1
    jsonschema.validate(docs[0], schema)
    assert docs[0]["source"]["path"] is None


def test_bundled_samples_extract():
    r = rasd("extract", "samples/", "--jsonl")
    assert r.returncode == 0, r.stderr
    docs = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert len(docs) >= 2
    assert all(d["text"] and d["entities"] for d in docs)


def test_bad_option_value_is_one_line():
    r = rasd("extract", "samples/", "--published", "yesterday")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr.decode()


def test_eval_command_scores_a_gold_file(tmp_path):
    gold = {"documents": {"a.txt": {"entities": ["Vladimir Putin", "Russia", "North Korea"], "claims": [], "events": [],
                                    "must_drop": [], "must_keep": ["وأضاف أن العلاقات بين البلدين قوية."]}}}
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = rasd("extract", str(tmp_path / "a.txt"))
    out.write_bytes(r.stdout)
    r = rasd("eval", str(tmp_path / "gold.json"), str(out), "--json")
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout)
    assert scores["entities"]["recall"] == 1.0
    assert scores["cleaning"]["must_keep_kept"] == 1.0


def test_eval_with_a_broken_gold_file_is_one_line(tmp_path):
    (tmp_path / "gold.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text("", encoding="utf-8")
    r = rasd("eval", str(tmp_path / "gold.json"), str(tmp_path / "out.jsonl"))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr.decode()
