"""`rasd eval` on gold files (tables, --json, --ids, --misses) and `rasd eval events` on OEDA-format files."""

import csv
import json
import subprocess
import sys


def rasd(*args):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True)


def _oeda(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["", "accept", "event_type", "id", "label", "reject", "text", "total"])
        w.writeheader()
        for i, (etype, label, text) in enumerate(rows):
            w.writerow({"": i, "accept": 3, "event_type": etype, "id": f"s-{i}", "label": label, "reject": 0,
                        "text": text, "total": 3})


def test_eval_events_scores_each_detector(tmp_path):
    gsr = tmp_path / "assault.csv"
    _oeda(gsr, [("ASSAULT", "yes", "قتل مسلحون عشرة جنود في هجوم على حاجز للجيش في سيناء."),
                ("ASSAULT", "easy no", "وعقد مجلس الوزراء جلسته الأسبوعية برئاسة رئيس الحكومة."),
                ("ASSAULT", "ambiguous", "وقصف الشاعر خصومه بالكلمات.")])
    r = rasd("eval", "events", str(gsr), "--json", "--misses")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ASSAULT"]["sentences"] == 2  # ambiguous is left out
    assert out["ASSAULT"]["triggers"]["tp"] == 1 and out["ASSAULT"]["triggers"]["fp"] == 0
    assert set(out["ASSAULT"]) >= {"rasd", "model", "triggers", "misses"}
    table = rasd("eval", "events", str(gsr))
    assert table.returncode == 0 and b"ASSAULT" in table.stdout


def test_eval_events_on_a_file_that_is_not_oeda_is_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    r = rasd("eval", "events", str(bad))
    assert r.returncode == 1 and r.stderr.decode().startswith("rasd: ") and b"Traceback" not in r.stderr


def test_eval_prints_tables_and_misses_for_one_half(tmp_path):
    text = "قصفت روسيا مدينة حلب.\nوجاء ذلك في وقت تتصاعد فيه التوترات في المنطقة بشكل ملحوظ."
    (tmp_path / "001.txt").write_text("عنوان الخبر\n\n" + text, encoding="utf-8")
    gold = {"documents": {
        "001.txt": {"entities": ["Russia"], "claims": [], "events": [{"type": "PROTEST", "actors": ["Russia"]}]},
        "002.txt": {"entities": [], "claims": [], "events": []}}}
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_bytes(rasd("extract", str(tmp_path / "001.txt")).stdout)
    r = rasd("eval", str(tmp_path / "gold.json"), str(out), "--ids", "odd", "--misses")
    assert r.returncode == 0, r.stderr
    assert b"events by type" in r.stdout and b"FN 001.txt events PROTEST" in r.stdout
    j = json.loads(rasd("eval", str(tmp_path / "gold.json"), str(out), "--ids", "odd", "--json").stdout)
    assert j["documents"] == 1 and j["events"]["by_type"]["PROTEST"]["fn"] == 1 and "misses" not in j
    r = rasd("eval", str(tmp_path / "gold.json"), str(out), "--ids", "even")
    assert r.returncode == 1 and b"no gold document" in r.stderr


def test_train_events_without_the_data_is_one_line(tmp_path):
    r = rasd("train", "events", "--data", str(tmp_path))
    assert r.returncode == 1 and b"oeda_arabic_gsr" in r.stderr and b"Traceback" not in r.stderr
