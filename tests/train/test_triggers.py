"""`rasd train triggers`: UniversalPetrarch's coded Arabic verbs become PLOVER triggers in the forms news writes."""

import gzip
import json
from pathlib import Path

import pytest

from rasd import resources
from rasd.train.triggers import build, forms, parse_verbs, plover_table

PETRARCH = Path(__file__).resolve().parents[3] / "shared" / "data" / "events" / "petrarch_arabic"


def test_forms_of_a_lemma():
    assert {"اتهم", "اتهمت", "اتهموا", "يتهم", "تتهم", "يتهمون"} <= set(forms("اتهم"))
    assert "يفرج" in forms("افرج")  # أفعل: the present drops the alef
    assert forms("دعا") == ["دعا", "دعت"]  # defective: only what the rule can write
    assert "اتهما" not in forms("اتهم")  # no dual (a noun's accusative as often as a verb)


def _corpus(tmp_path, text, times):
    p = tmp_path / "c.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        for _ in range(times):
            fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    return p


def test_build_maps_cameo_to_plover_keeps_written_forms_out_and_needs_the_corpus(tmp_path):
    d = tmp_path / "petrarch"
    d.mkdir()
    (d / "CAMEO2PLOVER-2021.txt").write_text("181: ASSAULT, abduct,  # Abduct\n120: REJECT, ,  # Reject\n", encoding="utf-8")
    (d / "CAMEO.ar.0.5.txt").write_text(
        "&CURRENCY\n+يورو_\n--- اختطف [181] ---\nاختطف   [181]  # abduct\nخطف     [181]  # abduct\n"
        "- * طفل [181] # اختطف\n--- رجم [120] ---\nرجم   [120] # stone\n", encoding="utf-8")
    assert ("اختطف", "181", None) in parse_verbs(d / "CAMEO.ar.0.5.txt")
    assert ("اختطف", "181", "طفل") in parse_verbs(d / "CAMEO.ar.0.5.txt")
    assert plover_table(d / "CAMEO2PLOVER-2021.txt")["181"] == ("ASSAULT", "abduct")
    out = tmp_path / "mined.tsv"
    build(d, [_corpus(tmp_path, "اختطفت عصابة طفلا ويختطفون آخرين ويختطف رجم", 30)], out)
    rows = [r for r in resources.read_tsv(out, 5)]
    words = {w for r in rows for w in r[2].split("|")}
    assert all(r[0] == "ASSAULT" and r[1] == "abduct" and r[4] == "verb" for r in rows)
    assert {"اختطفت", "يختطفون", "يختطف"} <= words
    assert "اختطفوا" not in words  # event_triggers.tsv writes that form itself
    # خطف is in event_triggers.tsv already; رجم has a single code, too little to say it means REJECT
    assert "خطف" not in words and "رجم" not in words
    assert all(r[3] == "" for r in rows)  # patterns with an object only with objects=True


@pytest.mark.skipif(not PETRARCH.exists(), reason=f"UniversalPetrarch's dictionaries are not at {PETRARCH}")
def test_the_shipped_mined_table_maps_real_cameo_codes():
    table = plover_table(PETRARCH / "CAMEO2PLOVER-2021.txt")
    assert table["1121"][0] == "ACCUSE" and table["0841"] == ("RETREAT", "release")
    rows = list(resources.read_tsv("event_triggers_mined.tsv", 5))
    assert rows and all(r[0] in {t for t, _ in table.values()} for r in rows)
    unmined = {w for (ws,) in resources.read_tsv("event_triggers_unmined.tsv", 1) for w in ws.split("|")}
    assert not unmined & {w for r in rows for w in r[2].split("|")}


def test_cli_writes_the_table_and_says_clearly_what_is_missing(tmp_path):
    import subprocess
    import sys

    def rasd(*args):
        return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, text=True)

    r = rasd("train", "triggers", "--petrarch", str(tmp_path), "--ant", str(tmp_path))
    assert r.returncode != 0 and "lacks CAMEO.ar.0.5.txt" in r.stderr and "Traceback" not in r.stderr
    d = tmp_path / "p"
    d.mkdir()
    (d / "CAMEO2PLOVER-2021.txt").write_text("181: ASSAULT, abduct,  # Abduct\n", encoding="utf-8")
    (d / "CAMEO.ar.0.5.txt").write_text("--- اختطف [181] ---\nاختطف [181] # abduct\nاختطف [181] # seize\n",
                                        encoding="utf-8")
    r = rasd("train", "triggers", "--petrarch", str(d), "--ant", str(tmp_path))
    assert r.returncode != 0 and "no *.jsonl.gz" in r.stderr
    _corpus(tmp_path, "اختطفت عصابة صحفيا", 25)
    out = tmp_path / "mined.tsv"
    r = rasd("train", "triggers", "--petrarch", str(d), "--ant", str(tmp_path), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"] == 1 and "اختطفت" in out.read_text(encoding="utf-8")
