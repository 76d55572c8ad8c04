"""Events of 300 random ANT articles (seed 909), one JSON list: diff two runs to judge what a change adds."""
import gzip
import json
import random
import sys

from rasd.pipeline import extract_text

out = sys.argv[1]
rows = [json.loads(line) for line in gzip.open('../shared/data/ant/ant_v2_1_multisource.jsonl.gz', 'rt')]
random.Random(909).shuffle(rows)
picked = [r for r in rows if r.get('text') and 400 < len(r['text']) < 6000][:300]
res = []
for r in picked:
    try:
        doc = extract_text(r['text'], published=(r.get('date') or None) and str(r['date'])[:10])
    except Exception:
        continue
    for e in doc.events:
        res.append({"id": r['id'], "type": e.type, "trigger": e.trigger, "modality": e.modality, "actors": e.actors, "targets": e.targets, "sentence": e.sentence.strip()[:300]})
json.dump(res, open(out, 'w'), ensure_ascii=False, indent=0)
print(len(picked), len(res))
