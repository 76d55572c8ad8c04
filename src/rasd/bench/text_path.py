"""Throughput benchmark on a corpus: documents per second and peak memory, per pipeline stage.

Reads a JSON Lines corpus (optionally gzip) with a ``text`` field per line (the ANT corpus format) or a
folder of article files, and times on one core:
  clean      cleaning + normalisation + sentence splitting (the text path without extraction)
  pipeline   the whole `rasd extract` text path (clean + every annotation stage)
  ner        the NER model alone: load time, and sentences tagged per second on the same articles
  ceiling    ../shared/bench/ceiling.py run on the same articles in the same run (the simplest passes
             over the same text on the same core), and Rasd's rates as ratios to it
  scaling    with --engine dask: the text path on a local Dask cluster of 1, 2 ... workers, articles/s
             and efficiency (rate / (workers x rate with one worker))
Set OPENBLAS_NUM_THREADS=1 to hold NumPy to one core.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
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


# Rasd's rate and the ceiling pass it is read against: the clean path against normalise + split,
# the whole text path against one Aho-Corasick pass over the normalised text (../shared/bench/README).
RATIOS = {"clean_docs_per_s": "normalise+split", "pipeline_docs_per_s": "aho_corasick_20k"}


def find_ceiling(explicit: str | None = None) -> Path | None:
    """ceiling.py: the path given, else ../shared/bench/ceiling.py from here or from the checkout."""
    if explicit:
        return Path(explicit)
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        p = base.parent / "shared" / "bench" / "ceiling.py"
        if p.exists():
            return p
    return None


def ceiling(corpus: str, limit: int, script: Path) -> dict:
    """Run ceiling.py on the same corpus and number of articles, one core, in a child process."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, str(script), corpus, str(limit)], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"{script} failed: {last}"}
    return json.loads(r.stdout.strip().splitlines()[-1])


def with_ceiling(result: dict, ceil: dict) -> dict:
    result["ceiling"] = ceil
    if "error" not in ceil:
        result["ratios"] = {f"{k} / {c}": round(result[k] / ceil[c], 3) for k, c in RATIOS.items() if ceil.get(c)}
    return result


def scaling(path: str, limit: int, worker_counts: list[int], repeat: int = 1) -> dict:
    """The text path (clean + annotate, as `rasd extract --engine dask` runs it) on local clusters of
    each worker count: the same articles, the cluster started and warmed up before the clock starts."""
    from rasd.scale.engine import dask_client, run_on
    from rasd.scale.inputs import Item

    items = [Item(r.where, r) for r in corpus_texts(path, limit)]
    rows = []
    for n in worker_counts:
        with dask_client(workers=n) as client:
            client.wait_for_workers(n)
            for _ in run_on(client, items[: 8 * n], partition=8):  # every worker loads its resources
                pass
            best = None
            for _ in range(repeat):
                w0, c0, t0 = _worker_cpu(client), time.process_time(), time.perf_counter()
                done = sum(1 for _w, doc, _e in run_on(client, items) if doc is not None)
                secs = time.perf_counter() - t0
                cpu = _worker_cpu(client) - w0 + time.process_time() - c0
                if best is None or secs < best[0]:
                    best = (secs, cpu)
        secs, cpu = best
        rows.append({"workers": n, "articles": done, "seconds": round(secs, 2), "articles_per_s": round(len(items) / secs, 1),
                     "cpu_s": round(cpu, 2), "articles_per_cpu_s": round(len(items) / cpu, 1)})
    base = rows[0]["articles_per_s"] / rows[0]["workers"]
    for r in rows:
        r["efficiency"] = round(r["articles_per_s"] / (r["workers"] * base), 2)
        # the same on CPU time (workers + client): what the cluster costs per article, whatever else runs
        r["cpu_efficiency"] = round(r["articles_per_cpu_s"] / rows[0]["articles_per_cpu_s"], 2)
    return {"corpus": str(path), "documents": len(items), "cores": os.cpu_count(), "scaling": rows}


def _worker_cpu(client) -> float:
    return sum(client.run(time.process_time).values())


def scaling_table(result: dict) -> str:
    lines = [f"{result['documents']} articles of {result['corpus']} on a local Dask cluster ({result['cores']} cores)",
             f"{'workers':>7}  {'seconds':>8}  {'articles/s':>10}  {'efficiency':>10}  {'articles/CPU-s':>14}  {'CPU efficiency':>14}"]
    for r in result["scaling"]:
        lines.append(f"{r['workers']:>7}  {r['seconds']:>8.2f}  {r['articles_per_s']:>10,.1f}  {r['efficiency']:>10.2f}"
                     f"  {r['articles_per_cpu_s']:>14,.1f}  {r['cpu_efficiency']:>14.2f}")
    lines.append("efficiency = articles/s / (workers x articles/s with the first count's workers); "
                 "CPU efficiency: the same per CPU-second (workers + client), which a busy machine does not skew")
    return "\n".join(lines)
