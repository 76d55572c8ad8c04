"""Score extraction output against a gold file of the form of ../shared/seeds/gold.json (and of the
devset, ../shared/devset/gold.json, whose ``entity_forms`` list the Arabic forms of each entity).

Documents are paired by file name (gold key = basename of ``source.path``); a gold
``embedded_article`` is paired with the output's first embedded document. The rules are those of the
independent scorer ../shared/devset/score.py, so both give the same figures:
  cleaning  share of must_drop lines dropped, must_keep lines kept, metadata fields right
  entities  precision/recall/F1 over canonical English names (``linked``), and ``found``: a gold
            entity also counts when an output entity's Arabic name or a mention is one of its forms
  claims    a claim matches on unit and value (or low/high); per unit; attribution is right on a
            matched claim whose gold names a source when the output names the same entity or words
  events    a gold event is found when an output event has its type, shares an actor or target
            (output entities named as gold through ``found``) or the gold has none, and carries the
            gold's date when the gold gives one; per type. ``date_right``: of the gold events with a
            date whose type and actor are found, the share found with that date
  misses    every false negative and false positive, with its sentence (for a gold miss, the
            sentence of the text that best fits it)
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasd import resources
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

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


def load_output(path: str | Path) -> dict[str, dict]:
    docs = {}
    with open(path, encoding="utf-8") as fh:
        text = fh.read().strip()
    items = json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines() if line.strip()]
    for d in items:
        name = Path((d.get("source") or {}).get("path") or d.get("id") or "").name
        docs[name] = d
    return docs


def select_ids(gold_docs: dict, ids: str | None) -> dict:
    """The gold documents of one half: ``odd`` or ``even`` numeric file names (001.txt is odd), or a
    comma-separated list of names; None keeps all."""
    if not ids:
        return dict(gold_docs)
    if ids in ("odd", "even"):
        want = 1 if ids == "odd" else 0
        out = {}
        for name, g in gold_docs.items():
            m = re.match(r"\d+", name)
            if m and int(m.group()) % 2 == want:
                out[name] = g
        return out
    names = {n.strip() for n in ids.split(",") if n.strip()}
    return {n: g for n, g in gold_docs.items() if n in names or Path(n).stem in names}


def canon(name: str | None) -> str:
    if not name:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name).casefold().strip())


@lru_cache(maxsize=1)
def _proclitics() -> tuple[str, ...]:
    found = {key(row[0]) for row in resources.read_tsv("clitics.tsv", 3) if row[1] != "future"}
    return ("", *sorted(found, key=len, reverse=True))


def forms(text: str | None) -> set[str]:
    """Keys an Arabic surface form matches under: normalised, without spaces or hyphens, and every
    reading with a leading clitic or article taken off (at least three letters left)."""
    s = re.sub(r"[\s\-_]+", "", key(text or ""))
    return {s[len(p):] for p in _proclitics() if s.startswith(p) and len(s) - len(p) >= 3} if s else set()


def evaluate(gold: dict, output: dict[str, dict], ids: str | None = None) -> dict:
    gold_docs = select_ids(gold["documents"] if "documents" in gold else gold, ids)
    ent, ent_found, clm, evt = PRF(), PRF(), PRF(), PRF()
    by_unit: dict[str, PRF] = {}
    by_type: dict[str, PRF] = {}
    attr = [0, 0]
    dates = [0, 0]
    drop_total = drop_ok = keep_total = keep_ok = meta_total = meta_ok = 0
    missing, misses = [], []
    for name, g in gold_docs.items():
        doc = output.get(name)
        if doc is None:
            missing.append(name)
            continue
        text = doc.get("text") or ""
        lines = {key(x) for x in text.split("\n")}
        for line in g.get("must_drop", []):
            drop_total += 1
            drop_ok += key(line) not in lines and (len(line) <= 25 or key(line) not in key(text))
        for line in g.get("must_keep", []):
            keep_total += 1
            keep_ok += key(line) in key(text)
        for f in ("title", "author", "outlet", "published"):
            if f in g:
                meta_total += 1
                got = str(doc.get(f) or "")
                meta_ok += (got[:10] if f == "published" else got) == str(g[f] or "")
        pairs = [(doc, g)]
        if "embedded_article" in g:
            pairs.append(((doc.get("embedded") or [_empty()])[0], g["embedded_article"]))
        for d, gg in pairs:
            gold_forms = gg.get("entity_forms") or {}
            strict, _ = _match_entities(gg.get("entities", []), gold_forms, d, lenient=False)
            ent.add(strict)
            found, id2gold = _match_entities(gg.get("entities", []), gold_forms, d, lenient=True)
            ent_found.add(found)
            names = {e["id"]: canon(e.get("name")) for e in d.get("entities", [])}
            names.update(id2gold)
            _claims(name, d, gg.get("claims", []), names, clm, by_unit, attr, misses)
            _events(name, d, gg, names, evt, by_type, dates, misses)
    return {
        "documents": len(gold_docs) - len(missing),
        "missing": missing,
        "cleaning": {
            "must_drop_dropped": _share(drop_ok, drop_total),
            "must_keep_kept": _share(keep_ok, keep_total),
            "metadata_right": _share(meta_ok, meta_total),
        },
        "entities": ent.as_dict(),
        "entities_found": ent_found.as_dict(),
        "claims": {**clm.as_dict(), "attribution_right": _share(*attr), "attributed": attr[1],
                   "by_unit": {u: p.as_dict() for u, p in sorted(by_unit.items())}},
        "events": {**evt.as_dict(), "date_right": _share(*dates), "dated": dates[1],
                   "by_type": {t: p.as_dict() for t, p in sorted(by_type.items())}},
        "misses": misses,
    }


def _empty() -> dict:
    return {"text": "", "entities": [], "claims": [], "events": []}


def _share(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _match_entities(gold_list: list, gold_forms: dict, doc: dict, lenient: bool) -> tuple[PRF, dict[str, str]]:
    """One-to-one match of gold entities to output entities, in gold order; lenient also by a form."""
    outs = doc.get("entities", []) or []
    out_keys = [set().union(*(forms(f) for f in [e.get("name_ar")] + [m.get("text") for m in e.get("mentions") or []]))
                for e in outs]
    used: set[int] = set()
    id2gold: dict[str, str] = {}
    prf = PRF()
    for x in gold_list:
        gname = canon(x.get("name") if isinstance(x, dict) else x)
        ar = x.get("ar", []) if isinstance(x, dict) else gold_forms.get(x, [])
        gkeys = set().union(*(forms(a) for a in ar if a)) if lenient else set()
        hit = next((i for i, e in enumerate(outs) if i not in used and (
            (gname and canon(e.get("name")) == gname) or gkeys & out_keys[i])), None)
        if hit is None:
            prf.fn += 1
            continue
        used.add(hit)
        prf.tp += 1
        id2gold[outs[hit]["id"]] = gname
    prf.fp = len(outs) - len(used)
    return prf, id2gold


def _close(a, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def _num_match(g: dict, c: dict) -> bool:
    if g.get("value") is not None:
        return _close(g["value"], c.get("value")) or (
            c.get("value") is None and _close(g["value"], c.get("low")) and _close(g["value"], c.get("high")))
    return _close(g.get("low"), c.get("low")) and _close(g.get("high"), c.get("high"))


def _claims(name: str, doc: dict, gold_claims: list[dict], names: dict[str, str], total: PRF,
            by_unit: dict[str, PRF], attr: list[int], misses: list[dict]) -> None:
    outs = doc.get("claims", []) or []
    used: set[int] = set()
    for g in gold_claims:
        unit = by_unit.setdefault(g["unit"], PRF())
        hit = next((i for i, c in enumerate(outs) if i not in used and c.get("unit") == g["unit"] and _num_match(g, c)), None)
        if hit is None:
            total.fn += 1
            unit.fn += 1
            misses.append({"doc": name, "field": "claims", "kind": "fn", "unit": g["unit"],
                           "value": g.get("value", [g.get("low"), g.get("high")]), "about": g.get("about"),
                           "sentence": _best_sentence(doc.get("text") or "", [g.get("source_text")], _numbers(g))})
            continue
        used.add(hit)
        total.tp += 1
        unit.tp += 1
        if g.get("source"):
            attr[1] += 1
            src = outs[hit].get("source") or {}
            stext = key(src.get("text") or "")
            ok = canon(g["source"]) == names.get(src.get("entity"), canon(src.get("entity"))) or bool(
                g.get("source_text") and key(g["source_text"])[:12] in stext)
            attr[0] += ok
            if not ok:
                misses.append({"doc": name, "field": "attribution", "kind": "wrong", "unit": g["unit"],
                               "value": g.get("value", [g.get("low"), g.get("high")]), "gold_source": g["source"],
                               "output_source": src.get("text"), "sentence": outs[hit].get("sentence")})
    for i, c in enumerate(outs):
        if i not in used:
            total.fp += 1
            by_unit.setdefault(c.get("unit") or "?", PRF()).fp += 1
            misses.append({"doc": name, "field": "claims", "kind": "fp", "unit": c.get("unit"),
                           "value": c.get("value", [c.get("low"), c.get("high")]), "sentence": c.get("sentence")})


def _numbers(g: dict) -> list[str]:
    vals = [g.get("value"), g.get("low"), g.get("high")]
    return [str(int(v)) if float(v).is_integer() else str(v) for v in vals if v is not None]


def _events(name: str, doc: dict, gold_doc: dict, names: dict[str, str], total: PRF, by_type: dict[str, PRF],
            dates: list[int], misses: list[dict]) -> None:
    outs = doc.get("events", []) or []
    gold_forms = gold_doc.get("entity_forms") or {}

    def resolved(e: dict) -> set[str]:
        return {names.get(a, canon(a)) for a in (e.get("actors") or []) + (e.get("targets") or [])}

    out_parts = [resolved(e) for e in outs]
    out_dates = [str((e.get("date") or {}).get("value") or "") for e in outs]
    used: set[int] = set()
    for g in gold_doc.get("events", []):
        kind = by_type.setdefault(g["type"], PRF())
        gpart = {canon(a) for a in (g.get("actors") or []) + (g.get("targets") or [])}
        fits = [i for i, e in enumerate(outs) if i not in used and e.get("type") == g["type"]
                and (not gpart or gpart & out_parts[i])]
        hit = next((i for i in fits if not g.get("date") or out_dates[i].startswith(g["date"])), None)
        if g.get("date") and fits:
            dates[1] += 1
            dates[0] += hit is not None
        if hit is None:
            total.fn += 1
            kind.fn += 1
            words = [f for a in (g.get("actors") or []) + (g.get("targets") or []) + [g.get("place")]
                     for f in gold_forms.get(a, [])]
            misses.append({"doc": name, "field": "events", "kind": "fn", "type": g["type"],
                           "actors": g.get("actors") or [], "targets": g.get("targets") or [],
                           "date": g.get("date"), "about": g.get("about"),
                           "output_date": out_dates[fits[0]] if fits else None,
                           "sentence": _best_sentence(doc.get("text") or "", [g.get("date_text")], words)})
            continue
        used.add(hit)
        total.tp += 1
        kind.tp += 1
    for i, e in enumerate(outs):
        if i not in used:
            total.fp += 1
            by_type.setdefault(e.get("type") or "?", PRF()).fp += 1
            misses.append({"doc": name, "field": "events", "kind": "fp", "type": e.get("type"),
                           "actors": sorted(x for x in out_parts[i] if x), "trigger": e.get("trigger"),
                           "sentence": e.get("sentence")})


def _best_sentence(text: str, exact: list[str | None], words: list[str]) -> str | None:
    """The line or sentence of ``text`` holding most of the given words (an exact phrase counts double)."""
    best, best_score = None, 0
    for sent in re.split(r"(?<=[.!?؟])\s+|\n+", text):
        ks = key(sent)
        if not ks.strip():
            continue
        score = sum(2 for x in exact if x and key(x) in ks) + sum(1 for w in set(words) if w and key(w) in ks)
        if score > best_score:
            best, best_score = sent.strip(), score
    return best
