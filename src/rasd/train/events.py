"""`rasd train events`: build resources/events_model.npz, the sentence-level PLOVER event detector.

Training data, each sentence labelled for some types only (a mask says which):
  oeda     the OEDA Arabic gold standard's training half (ASSAULT and PROTEST: yes = 1, easy or
           difficult no = 0, ambiguous left out), labelled for its own type only
  devset   the devset's tuning half (odd ids): each gold event is put on the sentence of its article
           that best fits it (a trigger of its type, its participants' forms, its date words); every
           sentence of those articles is labelled for every type (the gold lists all events)
  silver   ANT articles run through Rasd's rules: a sentence with a rule event is a positive for its
           type, a sentence with no trigger a negative for every type (at a lower weight)
The model is a multi-label logistic regression (Adam, L2) on the features of rasd.extract.event_model,
in NumPy. ``cross_validate`` gives the 5-fold figures on the OEDA half quoted in README.md.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from rasd.arabic.normalise import key
from rasd.errors import InputError, RasdError
from rasd.evaluate.events import GATED, GRID, lexicon_types, oeda_folds, oeda_rows, prf
from rasd.extract.event_model import EventModel, features

TYPES = ("ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "MOBILIZE", "PROTEST",
         "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN")
_T = {t: i for i, t in enumerate(TYPES)}


class Data:
    def __init__(self) -> None:
        self.feats: list[list[str]] = []
        self.y: list[np.ndarray] = []
        self.mask: list[np.ndarray] = []
        self.weight: list[float] = []
        self.group: list[str] = []
        self.text: list[str] = []
        self.lex: list[set[str]] = []

    def add(self, n_sent: str, pos: set[str], labelled: set[str], weight: float, group: str) -> None:
        y = np.zeros(len(TYPES), np.float32)
        m = np.zeros(len(TYPES), np.float32)
        for t in labelled:
            if t in _T:
                m[_T[t]] = 1
        for t in pos:
            if t in _T:
                y[_T[t]] = m[_T[t]] = 1
        lex = lexicon_types(n_sent)
        self.text.append(n_sent)
        self.lex.append(lex)
        self.feats.append(features(n_sent, lex))
        self.y.append(y)
        self.mask.append(m)
        self.weight.append(weight)
        self.group.append(group)

    def __len__(self) -> int:
        return len(self.feats)


def add_oeda(data: Data, rows: list[tuple[str, str, str, int]], weight: float = 1.0, tag: str = "oeda") -> None:
    for sid, etype, text, label in rows:
        data.add(key(text), {etype} if label else set(), {etype}, weight, f"{tag}:{etype}:{sid}")


def add_devset(data: Data, devset: Path, ids: str = "odd", weight: float = 2.0) -> int:
    from rasd.evaluate.gold import forms, select_ids
    from rasd.pipeline import annotate, clean
    from rasd.sources.files import read_input

    gold = select_ids(json.loads((devset / "gold.json").read_text(encoding="utf-8"))["documents"], ids)
    placed = 0
    for name, g in gold.items():
        doc = annotate(clean(read_input(str(devset / name))))
        sents = [key(doc.text[s.start:s.end]) for s in doc.sentence_spans]
        flat = [re.sub(r"\s+", "", s) for s in sents]
        lex = [lexicon_types(s) for s in sents]
        pos: list[set[str]] = [set() for _ in sents]
        fmap = g.get("entity_forms") or {}
        for ev in g.get("events", []):
            words = {f for a in (ev.get("actors") or []) + (ev.get("targets") or []) + [ev.get("place")]
                     for form in fmap.get(a, []) for f in forms(form)}
            date = re.sub(r"\s+", "", key(ev.get("date_text") or ""))
            best, best_score = None, 0
            for i, s in enumerate(flat):
                score = 3 * (ev["type"] in lex[i]) + sum(1 for w in words if w in s) + 2 * bool(date and date in s)
                if score > best_score:
                    best, best_score = i, score
            if best is not None and best_score >= 2:
                pos[best].add(ev["type"])
                placed += 1
        for i, s in enumerate(sents):
            data.add(s, pos[i], set(TYPES), weight, f"devset:{name}")
    return placed


GATED_DEFAULT = ("ASSAULT", "PROTEST")


def add_silver(data: Data, corpus: Path, articles: int, weight: float = 0.5, every_plain: int = 4,
               gated_articles: int = 0, teacher_types: tuple[str, ...] = GATED_DEFAULT
               ) -> tuple[int, list[tuple[str, str, set[str]]]]:
    """Rule silver from the first ``articles`` ANT articles; with ``gated_articles``, also the sentences
    of the first that many articles that carry an ASSAULT or PROTEST trigger, (text, normalised text,
    gated types), for a teacher to label: their rule labels for those types are then left out."""
    from rasd.extract import events as stage

    stage.use_model(None, rules_only=True)  # silver labels come from the rules, not from a model
    try:
        return _silver(data, corpus, articles, weight, every_plain, gated_articles, set(teacher_types))
    finally:
        stage.use_model(None)


def _silver(data: Data, corpus: Path, articles: int, weight: float, every_plain: int,
            gated_articles: int, teach: set[str]) -> tuple[int, list[tuple[str, str, set[str]]]]:
    from rasd.pipeline import annotate, clean
    from rasd.sources.files import RawArticle

    n = 0
    gated: list[tuple[str, str, set[str]]] = []
    total = max(articles, gated_articles)
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, total * 3):
            if n >= total:
                break
            rec = json.loads(line)
            if rec.get("category") in ("culture", "sport", "sports", "tech", "technology", "health"):
                continue
            text = f"{rec.get('title') or ''}\n\n{rec.get('text') or ''}"
            try:
                doc = annotate(clean(RawArticle(where=rec.get("path") or "-", content=text, is_html=False,
                                                encoding="utf-8")))
            except InputError:
                continue  # an article with no text left after cleaning
            by_sent: dict[int, set[str]] = {}
            for ev in doc.events:
                by_sent.setdefault(ev.start, set()).add(ev.type)
            for j, s in enumerate(doc.sentence_spans):
                raw = doc.text[s.start:s.end]
                n_sent = key(raw)
                got = {t for st, ts in by_sent.items() if s.start <= st < s.end for t in ts}
                lex = lexicon_types(n_sent)
                if n < gated_articles and lex & teach:
                    gated.append((raw, n_sent, lex & teach))
                    got -= teach  # the teacher labels these types here, not the rules
                if n >= articles:
                    continue
                if got:
                    data.add(n_sent, got, got, weight, f"silver:{n}")
                elif not lex and j % every_plain == 0:
                    data.add(n_sent, set(), set(TYPES), weight, f"silver:{n}")
            n += 1
    return min(n, articles), gated


def add_teacher(data: Data, gated: list[tuple[str, str, set[str]]], probs: np.ndarray, weight: float) -> list[int]:
    """The gated ANT sentences, each labelled for its trigger types with the teacher's probabilities
    (``probs`` [sentences, GATED]); returns their rows (cross_validate relabels them fold by fold)."""
    rows = []
    for i, (_, n_sent, types) in enumerate(gated):
        rows.append(len(data))
        data.add(n_sent, set(), types, weight, f"teacher:{i}")
        data.y[-1] = soft_labels(probs[i], types)
    return rows


def soft_labels(p: np.ndarray, types: set[str]) -> np.ndarray:
    y = np.zeros(len(TYPES), np.float32)
    for j, t in enumerate(GATED):
        if t in types:
            y[_T[t]] = p[j]
    return y


def fit(data: Data, rows: list[int] | None = None, epochs: int = 60, l2: float = 3e-3, lr: float = 0.1,
        min_count: int = 1) -> EventModel:
    rows = list(range(len(data))) if rows is None else rows
    counts = Counter(f for r in rows for f in set(data.feats[r]))
    vocab_list = sorted(f for f, c in counts.items() if c >= min_count)
    vocab = {f: i for i, f in enumerate(vocab_list)}
    idx_rows = [np.unique([vocab[f] for f in data.feats[r] if f in vocab]).astype(np.int64) for r in rows]
    lengths = np.array([len(x) for x in idx_rows])
    keep = lengths > 0
    idx_rows = [x for x, k in zip(idx_rows, keep, strict=False) if k]
    rows = [r for r, k in zip(rows, keep, strict=False) if k]
    lengths = lengths[keep]
    idx = np.concatenate(idx_rows)
    row_of = np.repeat(np.arange(len(rows)), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    order = np.argsort(idx, kind="stable")
    uniq, ustarts = np.unique(idx[order], return_index=True)
    y = np.stack([data.y[r] for r in rows])
    m = np.stack([data.mask[r] * data.weight[r] for r in rows])
    # positives are rare: weigh each type's positives up to a third of its labelled mass. Labels may be
    # soft (a teacher's probabilities): the positive part y and the negative part 1 - y of each label
    # are weighed apart (for hard labels this is the same as weighing the positive sentences)
    pos_mass = (y * m).sum(0)
    neg_mass = ((1 - y) * m).sum(0)
    boost = np.clip(neg_mass / np.maximum(pos_mass, 1e-6) / 3.0, 1.0, 20.0)
    wpos, wneg = m * y * boost, m * (1 - y)
    norm = (wpos + wneg).sum(0).clip(min=1.0)
    k = len(TYPES)
    w = np.zeros((len(vocab), k), np.float32)
    b = np.zeros(k, np.float32)
    mw, vw = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    b1, b2 = 0.9, 0.999
    for step in range(1, epochs + 1):
        z = np.add.reduceat(w[idx], starts, axis=0) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = (wpos * (p - 1) + wneg * p) / norm
        gw = np.zeros_like(w)
        gw[uniq] = np.add.reduceat(g[row_of[order]], ustarts, axis=0)
        gw += l2 * w
        gb = g.sum(0)
        mw = b1 * mw + (1 - b1) * gw
        vw = b2 * vw + (1 - b2) * gw * gw
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        corr = np.sqrt(1 - b2 ** step) / (1 - b1 ** step)
        w -= lr * corr * mw / (np.sqrt(vw) + 1e-8)
        b -= lr * corr * mb / (np.sqrt(vb) + 1e-8)
    # drop features that speak for nothing (a smaller file, the same scores to float16 precision)
    alive = np.abs(w).max(axis=1) >= 1e-3
    names = [f for f, a in zip(vocab_list, alive, strict=False) if a]
    return EventModel(types=TYPES, vocab={f: i for i, f in enumerate(names)}, weights=w[alive], bias=b,
                      thresholds=np.full(k, 0.5, np.float32), propose=np.full(k, 0.9, np.float32), info={})


def merge_columns(base: EventModel, new: EventModel, types: tuple[str, ...]) -> EventModel:
    """``base`` with the columns of ``types`` (weights, bias, threshold, proposal level) taken from ``new``,
    over the union of their features."""
    names = sorted(base.vocab.keys() | new.vocab.keys())
    vocab = {f: i for i, f in enumerate(names)}
    w = np.zeros((len(names), len(base.types)), np.float32)
    w[[vocab[f] for f in base.vocab]] = base.weights[list(base.vocab.values())]
    b, th, pr = base.bias.copy(), base.thresholds.copy(), base.propose.copy()
    rows = [vocab[f] for f in new.vocab]
    for t in types:
        i, j = base.types.index(t), new.types.index(t)
        w[:, i] = 0.0
        w[rows, i] = new.weights[list(new.vocab.values()), j]
        b[i], th[i], pr[i] = new.bias[j], new.thresholds[j], new.propose[j]
    alive = np.abs(w).max(axis=1) >= 1e-3
    kept = [f for f, a in zip(names, alive, strict=True) if a]
    return EventModel(types=base.types, vocab={f: i for i, f in enumerate(kept)}, weights=w[alive], bias=b,
                      thresholds=th, propose=pr, info=dict(new.info))


def cross_validate(data: Data, folds: int = 5, teacher: tuple[list[int], dict[int, np.ndarray]] | None = None,
                   **kw) -> dict:
    """5-fold cross-validation over the OEDA sentences (split at random, seed 0, as the OEDA halves are
    split by sentence; the other data always in training): sentence-level P/R/F1 for ASSAULT and
    PROTEST at the threshold 0.5, and ``cv``: each fold scored at the threshold that is best on the
    out-of-fold scores of the OTHER folds, so no fold's labels choose its own threshold (the honest
    figure). ``threshold`` (best on all out-of-fold scores) is the one the shipped model uses."""
    oeda = [i for i, g in enumerate(data.group) if g.startswith("oeda:")]
    rest = [i for i, g in enumerate(data.group) if not g.startswith("oeda:")]
    fold_of = dict(zip(oeda, oeda_folds(len(oeda), folds).tolist(), strict=True))
    scored: dict[str, list[tuple[int, bool, float]]] = {"ASSAULT": [], "PROTEST": []}
    saved = [data.y[r] for r in teacher[0]] if teacher else []
    for f in range(folds):
        if teacher:
            # the teacher's labels of fold f come from a head trained without fold f's sentences
            for r, y in zip(teacher[0], teacher[1][f], strict=True):
                data.y[r] = y
        model = fit(data, rest + [i for i in oeda if fold_of[i] != f], **kw)
        for i in oeda:
            if fold_of[i] == f:
                etype = data.group[i].split(":")[1]
                col = _T[etype]
                scored[etype].append((f, bool(data.y[i][col] > 0), float(model.scores(data.feats[i])[col])))
    if teacher:
        for r, y in zip(teacher[0], saved, strict=True):
            data.y[r] = y
    out = {}
    for etype, xs in scored.items():
        def counts(th: float, rows) -> tuple[int, int, int]:
            return (sum(g and p >= th for _, g, p in rows), sum(not g and p >= th for _, g, p in rows),
                    sum(g and p < th for _, g, p in rows))

        def best(rows) -> float:
            return max(GRID, key=lambda th: prf(*counts(th, rows))["f1"])

        honest = np.zeros(3, np.int64)
        chosen = []
        for f in range(folds):
            fold_th = best([x for x in xs if x[0] != f])
            chosen.append(fold_th)
            honest += counts(fold_th, [x for x in xs if x[0] == f])
        th_all = best(xs)
        out[etype] = {"at_0.5": prf(*counts(0.5, xs)), "cv": prf(*honest), "fold_thresholds": chosen,
                      "threshold": th_all, "at_threshold": prf(*counts(th_all, xs)),
                      "f1_by_threshold": {g: prf(*counts(g, xs))["f1"] for g in GRID}}
    return out


def build(data_dir: Path, out: Path, silver_articles: int = 1200, cv: bool = True, epochs: int = 60,
          teacher_articles: int = 0, teacher_weight: float = 1.0, teacher_cache: Path | None = None,
          teacher_types: tuple[str, ...] = ("ASSAULT",), teacher_sharpness: float = 0.0,
          only: tuple[str, ...] = (), devset_weight: float = 2.0, log=None) -> dict:
    t0 = time.perf_counter()
    oeda_dir = data_dir / "events" / "oeda_arabic_gsr"
    devset = data_dir.parent / "devset" if (data_dir.parent / "devset").is_dir() else None
    ant = data_dir / "ant" / "ant_v2_1_multisource.jsonl.gz"
    paths = sorted(oeda_dir.glob("*_train.csv"))
    if not paths:
        raise RasdError(f"no OEDA *_train.csv in {oeda_dir}")
    data = Data()
    rows = oeda_rows(paths)
    add_oeda(data, rows)
    report: dict = {"oeda_sentences": len(data)}
    if devset is not None:
        report["devset_events_placed"] = add_devset(data, devset, weight=devset_weight)
    gated: list = []
    if ant.exists() and (silver_articles or teacher_articles):
        report["silver_articles"], gated = add_silver(data, ant, silver_articles, gated_articles=teacher_articles,
                                                      teacher_types=teacher_types)
    teacher = None
    if teacher_articles:
        if not gated:
            raise RasdError(f"no ANT sentence with an ASSAULT or PROTEST trigger for the teacher ({ant})")
        from rasd.train.events_teacher import cached_embed, teacher_probs

        x_oeda = cached_embed([text for _, _, text, _ in rows], teacher_cache, log)
        x_gated = cached_embed([g[0] for g in gated], teacher_cache, log)
        p_all, p_fold, report["teacher_cv_oeda"] = teacher_probs(rows, x_oeda, x_gated,
                                                                    sharpness=teacher_sharpness)
        t_rows = add_teacher(data, gated, p_all, teacher_weight)
        teacher = (t_rows, {f: [soft_labels(p[i], gated[i][2]) for i in range(len(gated))] for f, p in p_fold.items()})
        report["teacher_sentences"] = {t: sum(t in g[2] for g in gated) for t in GATED}
        report["teacher_mean_prob"] = {t: round(float(p_all[[t in g[2] for g in gated], j].mean()), 3)
                                       for j, t in enumerate(GATED) if report["teacher_sentences"][t]}
    report["sentences"] = len(data)
    model = fit(data, epochs=epochs)
    # The model has a say only where it learned from judged negatives (the OEDA types): there it accepts
    # or rejects a trigger's event and may propose one; for the other types the triggers decide and the
    # model gives its probability as the event's confidence.
    for etype in TYPES:
        if etype not in GATED:
            model.thresholds[_T[etype]] = 0.0
            model.propose[_T[etype]] = 1.01
    if cv:
        report["cv_oeda"] = cross_validate(data, epochs=epochs, teacher=teacher)
        for etype, r in report["cv_oeda"].items():
            model.thresholds[_T[etype]] = r["threshold"]
    if only:
        # retrain these types' columns only: the other columns (weights, bias, thresholds) stay the
        # current model's. Columns are independent logistic models over one feature space, so a type's
        # column is the same whatever the other types' labels were.
        base = EventModel.load(out) if out.exists() else None
        if base is None:
            raise RasdError(f"--only needs the current model at {out}")
        model = merge_columns(base, model, only)
        model.info["other_columns_from"] = base.info.get("source", "")
        report["retrained_types"] = list(only)
    command = f"rasd train events --silver {silver_articles} --epochs {epochs}"
    if devset_weight != 2.0:
        command += f" --devset-weight {devset_weight}"
    if teacher_articles:
        command += f" --teacher {teacher_articles} --teacher-weight {teacher_weight} --teacher-types {','.join(teacher_types)}"
        if teacher_sharpness:
            command += f" --teacher-sharpness {teacher_sharpness}"
    if only:
        command += f" --only {','.join(only)}"
    model.info.update(command=command, cv_f1={t: r["cv"]["f1"] for t, r in report.get("cv_oeda", {}).items()
                                              if not only or t in only})
    model.save(out)
    report.update(features=len(model.vocab), out=str(out), seconds=round(time.perf_counter() - t0, 1))
    return report
