"""`rasd eval events`: sentence-level event detection on OEDA-format files (the Open Event Data
Alliance Arabic gold standard: columns event_type, label, text). For each type, three detectors:
  rasd      the event stage on the sentence alone: an event of the type that the text asserts or
            reports as having happened (not negated, planned, denied, conditional, asked or background)
  model     the event model alone (its probability at or above its threshold)
  triggers  any trigger word of the type (the baseline a keyword list gives)
"""

from __future__ import annotations

from pathlib import Path

from rasd.arabic.normalise import key
from rasd.extract.event_model import EventModel, features, shipped_model
from rasd.train_events import _prf, lexicon_types, oeda_rows

HAPPENED = frozenset({"asserted", "reported"})


def eval_gsr(paths: list[Path], model_path: Path | None = None) -> dict:
    from rasd.extract import events as stage
    from rasd.pipeline import extract_text

    model = EventModel.load(model_path) if model_path else shipped_model()
    stage.use_model(model)
    try:
        rows = oeda_rows(paths)
        counts: dict[str, dict] = {}
        for sid, etype, text, label in rows:
            r = counts.setdefault(etype, {"sentences": 0, "misses": [],
                                          **{d: [0, 0, 0] for d in ("rasd", "model", "triggers")}})
            r["sentences"] += 1
            n = key(text)
            lex = lexicon_types(n)
            doc = extract_text(text)
            said = {
                "rasd": any(e.type == etype and not e.negated and e.modality in HAPPENED and not e.background
                            for e in doc.events),
                "model": model is not None and etype in model.types and float(
                    model.scores(features(n, lex))[model.types.index(etype)]) >= float(model.thresholds[model.types.index(etype)]),
                "triggers": etype in lex,
            }
            for det, pred in said.items():
                c = r[det]
                c[0] += bool(pred and label)
                c[1] += bool(pred and not label)
                c[2] += bool(label and not pred)
            if said["rasd"] != bool(label):
                r["misses"].append({"kind": "fn" if label else "fp", "id": sid, "text": text})
    finally:
        stage.use_model(None)
    return {t: {"sentences": r["sentences"], **{d: _prf(*r[d]) for d in ("rasd", "model", "triggers")},
                "misses": r["misses"]} for t, r in sorted(counts.items())}
