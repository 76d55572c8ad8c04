"""What ``rasd train ner`` and ``rasd eval ner`` do, apart from argument parsing."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from rasd.ner.corpus import Corpora, Sentence, load
from rasd.ner.model import Model

DEV_SHARE = 0.1  # the last tenth of ANERcorp train picks the epoch; the test split is never looked at


def split(c: Corpora, extra: list[str]) -> tuple[list[Sentence], list[Sentence]]:
    cut = int(len(c.train) * (1 - DEV_SHARE))
    train = list(c.train[:cut])
    for name in extra:
        if name not in c.extra:
            raise ValueError(f"no corpus {name!r} in the data folder (have: {', '.join(c.extra) or 'none'})")
        train += c.extra[name]
    return train, list(c.train[cut:])


def vectors(data: Path, work: Path, log: Callable[[str], None]):
    """Rasd's own fastText vectors from ANT, trained once and kept in ``work``."""
    import fasttext

    from rasd.ner.embeddings import SETTINGS, train_vectors, write_corpus

    work.mkdir(parents=True, exist_ok=True)
    bin_path = work / "ant-vectors.bin"
    if bin_path.exists():
        log(f"word vectors: {bin_path} (delete it to retrain)")
        return fasttext.load_model(str(bin_path))
    corpus = work / "ant-tokens.txt"
    t0 = time.time()
    n = write_corpus(data / "ant", corpus)
    log(f"ANT corpus: {n:,} tokens ({time.time() - t0:.0f}s); training fastText {SETTINGS}")
    model = train_vectors(corpus, bin_path)
    log(f"word vectors: {len(model.words):,} words in {time.time() - t0:.0f}s -> {bin_path}")
    return model


def train_ner(data: Path, out: Path, work: Path, extra: list[str], overrides: dict, log,
              members: int = 1) -> dict:
    """Train ``members`` networks (seeds seed, seed+1, ...) and save them as one model file."""
    from rasd.ner.train import Settings, train

    corpora = load(data)
    train_set, dev = split(corpora, extra)
    log(f"training data: ANERcorp train {len(corpora.train) - len(dev):,} sentences"
        + "".join(f" + {name} {len(corpora.extra[name]):,}" for name in extra)
        + f"; dev (last tenth of ANERcorp train) {len(dev):,}; ANERcorp test untouched")
    vec = vectors(data, work, log)
    parts, dev_scores = [], []
    base = Settings(extra=list(extra), **overrides)
    if members > 1 and base.finetune:
        raise ValueError("an ensemble needs frozen word vectors (its members share them)")
    for i in range(members):
        settings = Settings(**{**base.__dict__, "seed": base.seed + i})
        log(f"member {i + 1}/{members}: {settings.__dict__}")
        weights, best = train(train_set, dev, vec, settings, log=log)
        parts.append(weights)
        dev_scores.append(round(best, 4))
    arrays = parts[0] if members == 1 else Model.combine(parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    model = Model.load(out)
    scores = _scores(model, corpora)
    return {"model": str(out), "size_mb": round(out.stat().st_size / 1e6, 1), "dev_f1": dev_scores,
            "test": scores.pop("anercorp_test"), **scores}


def eval_ner(data: Path, model_path: Path | None) -> dict:
    corpora = load(data)
    model = Model.load(model_path)
    t0 = time.perf_counter()
    result = _scores(model, corpora)
    result["sentences_per_second"] = round(len(corpora.test) / (time.perf_counter() - t0))
    return result


def _scores(model: Model, corpora: Corpora) -> dict:
    """Scores on the ANERcorp test split, and on AQMAR when the model was not trained on it."""
    from rasd.ner.scoring import score

    result = {"anercorp_test": score(model, corpora.test)}
    if "aqmar" in corpora.extra and "aqmar" not in model.meta.get("settings", {}).get("extra", []):
        result["aqmar"] = score(model, corpora.extra["aqmar"])
    return result
