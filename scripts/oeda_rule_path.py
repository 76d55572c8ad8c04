"""Rule-path (no learned gate) sentence-level P/R on the OEDA training half."""
import json
import sys
from pathlib import Path

from rasd.evaluate.events import HAPPENED, oeda_rows, prf
from rasd.extract import events as stage
from rasd.pipeline import extract_text

d = Path("../shared/data/events/oeda_arabic_gsr")
rows = oeda_rows([d / "assault_train.csv", d / "protest_train.csv"])
stage.use_model(None, rules_only=True)
out = sys.argv[1]
counts = {}
misses = []
for sid, etype, text, label in rows:
    doc = extract_text(text)
    evs = [e for e in doc.events if e.type == etype]
    strict = any(not e.negated and e.modality in HAPPENED and not e.background for e in evs)
    loose = bool(evs)
    for name, pred in (("strict", strict), ("any", loose)):
        c = counts.setdefault((etype, name), [0, 0, 0])
        c[0] += pred and label
        c[1] += pred and not label
        c[2] += label and not pred
    if strict != bool(label):
        misses.append({"kind": "fn" if label else "fp", "type": etype, "id": sid, "text": text,
                       "events": [(e.type, getattr(e, "trigger", None), e.modality, e.negated, e.background) for e in doc.events]})
for k, c in sorted(counts.items()):
    print(k, prf(*c))
json.dump(misses, open(out, "w"), ensure_ascii=False, indent=1, default=str)
