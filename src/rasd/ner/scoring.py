"""Entity-level scoring, seqeval-style: an entity counts when its span and type are exact."""

from __future__ import annotations

from rasd.ner.corpus import Sentence, spans


def score(model, sents: list[Sentence]) -> dict:
    """Entity-level precision, recall and F1 per type and micro-averaged (exact spans)."""
    predicted = model.tag_tokens([list(s.tokens) for s in sents])
    counts: dict[str, list[int]] = {}
    for s, pred in zip(sents, predicted, strict=True):
        gold = spans(s.tags)
        got = spans(pred)
        for kind in {k for *_, k in gold | got}:
            c = counts.setdefault(kind, [0, 0, 0])
            g = {x for x in gold if x[2] == kind}
            p = {x for x in got if x[2] == kind}
            c[0] += len(g & p)
            c[1] += len(p)
            c[2] += len(g)
    out = {k: _prf(*v) for k, v in sorted(counts.items())}
    tot = [sum(v[i] for v in counts.values()) for i in range(3)]
    out["micro"] = _prf(*tot)
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": ngold}
