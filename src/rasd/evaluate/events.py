"""`rasd eval events`: sentence-level event detection on OEDA-format files (the Open Event Data
Alliance Arabic gold standard: columns event_type, label, text). For each type, three detectors:
  rasd      the event stage on the sentence alone: an event of the type that the text asserts or
            reports as having happened (not negated, planned, denied, conditional, asked or background)
  model     the event model alone (its probability at or above its threshold)
  triggers  any trigger word of the type (the baseline a keyword list gives)
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from rasd.arabic.normalise import key
from rasd.errors import RasdError
from rasd.extract.event_model import EventModel, features, shipped_model


def lexicon_types(n_sent: str) -> set[str]:
    from rasd.extract.event_triggers import triggers

    pattern, table = triggers()
    return {t.type for m in pattern.finditer(n_sent) for t in table[m.group("t")]}


def oeda_rows(paths: list[Path]) -> list[tuple[str, str, str, int]]:
    """(id, type, text, label) of the decided sentences of OEDA-format CSV files."""
    rows = []
    for p in paths:
        with p.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"event_type", "label", "text"} <= set(reader.fieldnames):
                raise RasdError(f"{p}: not an OEDA file (columns event_type, label, text)")
            for r in reader:
                label = (r["label"] or "").strip()
                if label in ("yes", "easy no", "difficult no"):
                    rows.append((r.get("id") or "", r["event_type"].strip(), r["text"], int(label == "yes")))
    return rows


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": int(tp), "fp": int(fp), "fn": int(fn), "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


# The OEDA cross-validation protocol shared by `rasd train events` and its e5 teacher
GATED = ("ASSAULT", "PROTEST")
GRID = tuple(round(0.05 * i, 2) for i in range(1, 17))  # 0.05 … 0.8


def oeda_folds(n: int, folds: int = 5) -> np.ndarray:
    """The fold of each of the n OEDA sentences (in oeda_rows order): at random, seed 0. One definition
    for the letter-gram model and the e5 measurement (rasd.train.events_teacher), so both use the same folds."""
    return np.random.default_rng(0).permutation(n) % folds


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
    return {t: {"sentences": r["sentences"], **{d: prf(*r[d]) for d in ("rasd", "model", "triggers")},
                "misses": r["misses"]} for t, r in sorted(counts.items())}
