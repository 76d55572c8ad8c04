import gzip
import json

from rasd.train.lexicon import build


def test_lexicon_learns_common_nouns_not_names(tmp_path):
    corpus = tmp_path / "tiny.jsonl.gz"
    lines = ["قال المركز إن المركز الجديد افتتح وزار بومبيو المركز"] * 30 + ["مركز بومبيو"] * 5
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        for text in lines:
            fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    out = tmp_path / "common.tsv"
    stats = build([corpus], out)
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")}
    assert stats["documents"] == 35
    assert rows.get("مركز") == "noun"
    assert rows.get("بومبيو") != "noun"
