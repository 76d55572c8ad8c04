"""Score extraction output against a gold file of the form of ../shared/seeds/gold.json.

Documents are paired by file name (gold key = basename of ``source.path``); a gold
``embedded_article`` is paired with the output's first embedded document.
  cleaning  share of must_drop lines dropped, must_keep lines kept, metadata fields right
  entities  precision/recall/F1 over canonical English names
  claims    a claim matches on unit and value (or low/high); attribution is right when both sides
            have no source, or both have one and it names the same words or entity
  events    a gold event is found when an output event has its type and shares an actor; dates are
            scored on matched events whose gold gives one
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rasd.arabic.normalise import key


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


def load_output(path: str | Path) -> dict[str, dict]:
    docs = {}
    with open(path, encoding="utf-8") as fh:
        text = fh.read().strip()
    items = json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines() if line.strip()]
    for d in items:
        name = Path(d["source"]["path"] or d["id"]).name
        docs[name] = d
    return docs


def evaluate(gold: dict, output: dict[str, dict]) -> dict:
    gold_docs = gold["documents"] if "documents" in gold else gold
    ent, clm, evt = PRF(), PRF(), PRF()
    attribution_right = 0
    date_total = date_right = 0
    drop_total = drop_ok = keep_total = keep_ok = meta_total = meta_ok = 0
    missing = []
    for name, g in gold_docs.items():
        doc = output.get(name)
        if doc is None:
            missing.append(name)
            continue
        lines = {key(x) for x in doc["text"].split("\n")}
        for line in g.get("must_drop", []):
            drop_total += 1
            drop_ok += key(line) not in lines and (len(line) <= 25 or key(line) not in key(doc["text"]))
        for line in g.get("must_keep", []):
            keep_total += 1
            keep_ok += key(line) in key(doc["text"])
        for f in ("title", "author", "outlet", "published"):
            if g.get(f) is not None:
                meta_total += 1
                meta_ok += doc.get(f) == g[f]
        pairs = [(doc, g)]
        if "embedded_article" in g:
            pairs.append((doc["embedded"][0] if doc["embedded"] else _empty(), g["embedded_article"]))
        for d, gg in pairs:
            names = {e["id"]: e["name"] for e in d["entities"]}
            got, want = set(names.values()), set(gg.get("entities", []))
            ent.tp += len(got & want)
            ent.fp += len(got - want)
            ent.fn += len(want - got)
            a = _claims(d, gg.get("claims", []), names, clm)
            attribution_right += a
            dt, dr = _events(d, gg.get("events", []), names, evt)
            date_total += dt
            date_right += dr
    return {
        "documents": len(gold_docs) - len(missing),
        "missing": missing,
        "cleaning": {
            "must_drop_dropped": _share(drop_ok, drop_total),
            "must_keep_kept": _share(keep_ok, keep_total),
            "metadata_right": _share(meta_ok, meta_total),
        },
        "entities": ent.as_dict(),
        "claims": {**clm.as_dict(), "attribution_right": _share(attribution_right, clm.tp)},
        "events": {**evt.as_dict(), "date_right": _share(date_right, date_total)},
    }


def _empty() -> dict:
    return {"text": "", "entities": [], "claims": [], "events": []}


def _share(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _claims(doc: dict, gold_claims: list[dict], names: dict[str, str], prf: PRF) -> int:
    remaining = list(gold_claims)
    right = 0
    for c in doc["claims"]:
        match = next((g for g in remaining if g["unit"] == c["unit"] and (
            g.get("value") == c["value"] if "value" in g else (g.get("low"), g.get("high")) == (c["low"], c["high"])
        )), None)
        if match is None:
            prf.fp += 1
            continue
        remaining.remove(match)
        prf.tp += 1
        right += _attribution_right(match, c.get("source"), names)
    prf.fn += len(remaining)
    return right


def _attribution_right(gold: dict, source: dict | None, names: dict[str, str]) -> bool:
    if gold.get("source") is None or source is None:
        return gold.get("source") is None and source is None
    if gold.get("source_text"):
        g_words = set(key(gold["source_text"]).split())
        return len(g_words & set(key(source["text"]).split())) >= max(1, len(g_words) // 2)
    return names.get(source.get("entity")) == gold["source"]


def _events(doc: dict, gold_events: list[dict], names: dict[str, str], prf: PRF) -> tuple[int, int]:
    out = [(e["type"], {names.get(a, a) for a in e["actors"]}, (e.get("date") or {}).get("value")) for e in doc["events"]]
    used: set[int] = set()
    date_total = date_right = 0
    for g in gold_events:
        candidates = [i for i, (t, actors, _) in enumerate(out) if i not in used and t == g["type"] and actors & set(g["actors"])]
        # prefer the candidate whose date agrees, so one event reported twice is scored at its best
        idx = next((i for i in candidates if g.get("date") and out[i][2] == g["date"]), candidates[0] if candidates else None)
        if idx is None:
            prf.fn += 1
            continue
        used.add(idx)
        prf.tp += 1
        if g.get("date"):
            date_total += 1
            date_right += out[idx][2] == g["date"]
    prf.fp += len(out) - len(used)
    return date_total, date_right
