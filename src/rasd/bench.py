"""Throughput benchmark on a corpus: documents per second and peak memory, per pipeline stage.

Reads a JSON Lines corpus (optionally gzip) with a ``text`` field per line (the ANT corpus format) or a
folder of article files, and times on one core:
  clean      cleaning + normalisation + sentence splitting (the text path without extraction)
  pipeline   the whole `rasd extract` text path (clean + every annotation stage)
  ner        the NER model alone: load time, and sentences tagged per second on the same articles
Set OPENBLAS_NUM_THREADS=1 to hold NumPy to one core.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from pathlib import Path

from rasd.errors import InputError
from rasd.pipeline import annotate_stream, clean
from rasd.sources.files import RawArticle, iter_paths, read_inputs


def corpus_texts(path: str, limit: int, bad: list[InputError] | None = None) -> Iterator[RawArticle]:
    """Up to ``limit`` articles of a folder or a JSON Lines file; unreadable inputs and bad lines are
    reported on stderr (``rasd: FILE:LINE: reason``), collected in ``bad``, and skipped."""
    import click

    p = Path(path)
    items = (read_inputs(f) for f in iter_paths([path])) if p.is_dir() else (read_inputs(path),)
    n = 0
    for raws in items:
        for raw in raws:
            if isinstance(raw, InputError):
                if "no non-empty text" in raw.reason:
                    continue  # a corpus record without text is not an article to time
                click.echo(f"rasd: {raw}", err=True)
                if bad is not None:
                    bad.append(raw)
                continue
            yield raw
            n += 1
            if n >= limit:
                return


def run(path: str, limit: int = 2000) -> dict:
    bad: list[InputError] = []
    raws = list(corpus_texts(path, limit, bad))
    chars = sum(len(r.content) for r in raws)
    result: dict = {"corpus": str(path), "documents": len(raws), "mean_chars": round(chars / max(len(raws), 1)),
                    "bad_inputs": len(bad)}
    cleaned = []
    t0, c0 = time.perf_counter(), time.process_time()
    for r in raws:
        try:
            doc = clean(r)
        except InputError:
            continue
        _ = doc.norm, doc.sentence_spans
        cleaned.append(doc)
    t_clean, c_clean = time.perf_counter() - t0, time.process_time() - c0
    fresh = [d.replace() for d in cleaned]  # drop cached annotations so the pipeline pays for them
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in annotate_stream(fresh):
        pass
    t_annotate, c_annotate = time.perf_counter() - t0, time.process_time() - c0
    result["clean_docs_per_s"] = round(len(cleaned) / t_clean, 1)
    result["pipeline_docs_per_s"] = round(len(cleaned) / (t_clean + t_annotate), 1)
    # per CPU-second: what one core does when it has the core (the machine is shared)
    result["clean_docs_per_cpu_s"] = round(len(cleaned) / c_clean, 1)
    result["pipeline_docs_per_cpu_s"] = round(len(cleaned) / (c_clean + c_annotate), 1)
    result.update(_ner(cleaned))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def _ner(docs) -> dict:
    """The NER model alone, cold caches, on every sentence of the cleaned articles: the whole
    ensemble ("full") and its first network ("fast")."""
    from rasd.ner.model import Model, ModelError
    from rasd.ner.tokens import tokenize

    sents = [[d.text[s.start + a:s.start + b] for a, b in tokenize(d.text[s.start:s.end])]
             for d in docs for s in d.sentence_spans]
    out: dict = {"ner_sentences": len(sents)}
    for mode, members in (("full", None), ("fast", 1)):
        t0 = time.perf_counter()
        try:
            model = Model.load(members=members)
        except ModelError:
            return {"ner": "no model installed"}
        out[f"ner_{mode}_load_s"] = round(time.perf_counter() - t0, 3)
        t0, c0 = time.perf_counter(), time.process_time()
        model.tag_tokens(sents)
        t, c = time.perf_counter() - t0, time.process_time() - c0
        out[f"ner_{mode}_sentences_per_s"] = round(len(sents) / t)
        out[f"ner_{mode}_sentences_per_cpu_s"] = round(len(sents) / c)
    return out
