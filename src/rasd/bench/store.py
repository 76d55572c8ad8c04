"""Store benchmark: end-to-end ingest rate and memory, and search latency on a large store.

  ingest   extract + store into a fresh SQLite file, streaming, on one core; RSS sampled as it goes
  memory   `rasd ingest` itself (a child process) over a Parquet archive of --memory articles, its
           resident memory sampled every second: it must stay flat, under 1 GB
  search   p50/p95 latency of BM25 search over a store of --size articles (the corpus is cycled with a
           marker line when it is smaller), for a fixed mix of words, names and phrases
"""

from __future__ import annotations

import itertools
import random
import resource
import statistics
import time
from pathlib import Path

from rasd.bench.text_path import corpus_texts
from rasd.errors import InputError
from rasd.pipeline import annotate_stream, clean
from rasd.sources.files import RawArticle
from rasd.store import open_store
from rasd.store.analysis import stats
from rasd.store.ingest import ingest, only_new
from rasd.store.search import search

QUERIES = [
    "روسيا", "كوريا الشمالية", "بيونجيانج", "الصواريخ", "وزير الخارجية", "الأمم المتحدة", "ترامب",
    "النفط", "الاقتصاد", '"مجلس الأمن"', "إيران OR السعودية", "الحرب -سوريا", "مباراة", "الانتخابات",
    "القدس", "اللاجئين", "كأس العالم", "البنك المركزي", "واشنطن", "موسكو",
]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _docs(corpus: str, limit: int, cycle: bool = False):
    rounds = itertools.count() if cycle else [0]
    n = 0
    for k in rounds:
        for raw in corpus_texts(corpus, 10**9):
            if n >= limit:
                return
            content = raw.content if k == 0 else raw.content + f"\nنسخة أرشيفية رقم {k}"
            try:
                yield clean(RawArticle(f"{raw.where}#{k}", content, False, "utf-8"))
            except InputError:
                continue
            n += 1


def run_ingest(corpus: str, db: str, limit: int = 2000) -> dict:
    store = open_store(db)
    samples = []
    t0, c0 = time.perf_counter(), time.process_time()

    def stream():
        for i, d in enumerate(annotate_stream(_docs(corpus, limit)), 1):
            if i % 500 == 0:
                samples.append(round(_rss_mb(), 1))
            yield d

    st = ingest(store, stream(), batch_size=100)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    # docs per CPU-second: what one core does when it has the core (the machine is shared)
    return {"ingested": st.stored, "docs_per_s": round(st.seen / secs, 1), "docs_per_cpu_s": round(st.seen / cpu, 1),
            "rss_mb_every_500": samples, "peak_rss_mb": round(_rss_mb(), 1)}


def write_archive(corpus: str, path: str, n: int) -> int:
    """A Parquet archive of ``n`` corpus articles (the corpus cycled with a marker line when smaller)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("text", pa.string()), ("url", pa.string())])
    writer, rows, total = None, [], 0
    rounds = itertools.count()
    for k in rounds:
        for raw in corpus_texts(corpus, 10**9):
            if total >= n:
                break
            rows.append({"text": raw.content if k == 0 else raw.content + f"\nنسخة أرشيفية رقم {k}", "url": None})
            total += 1
            if len(rows) == 5000:
                writer = writer or pq.ParquetWriter(path, schema)
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if total >= n:
            break
    writer = writer or pq.ParquetWriter(path, schema)
    if rows:
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    writer.close()
    return total


def run_memory(corpus: str, db: str, n: int, every: float = 1.0) -> dict:
    """``rasd ingest`` of ``n`` articles from a Parquet archive, its RSS sampled every ``every`` seconds."""
    import subprocess
    import sys
    import tempfile

    import psutil

    with tempfile.TemporaryDirectory() as tmp:
        archive = str(Path(tmp) / "archive.parquet")
        written = write_archive(corpus, archive, n)
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "rasd", "ingest", archive, "--db", db, "--no-progress", "--batch", "100"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ps, samples = psutil.Process(proc.pid), []
        while proc.poll() is None:
            try:
                samples.append((round(time.perf_counter() - t0), round(ps.memory_info().rss / 2**20, 1)))
            except psutil.Error:
                break
            time.sleep(every)
        err = proc.stderr.read().decode().strip().splitlines()
        secs = time.perf_counter() - t0
    rss = [m for _, m in samples]
    tenth = max(1, len(rss) // 10)
    return {"articles": written, "seconds": round(secs, 1), "docs_per_s": round(written / secs, 1),
            "summary": err[-1] if err else "", "rss_mb_first_tenth_max": max(rss[:tenth], default=None),
            "rss_mb_last_tenth_max": max(rss[-tenth:], default=None), "peak_rss_mb": max(rss, default=None),
            "rss_mb_by_decile": [rss[min(len(rss) - 1, i * len(rss) // 10)] for i in range(10)] + rss[-1:] if rss else []}


def fill(corpus: str, db: str, size: int) -> dict:
    """Build a store of ``size`` articles (annotated with the full pipeline), resuming if partly built."""
    store = open_store(db)
    have = stats(store)["documents"]
    t0 = time.perf_counter()
    # The corpus has exact duplicates (stored once), so draw new documents until the store has ``size``.
    fresh = itertools.islice(only_new(store, _docs(corpus, 10**9, cycle=True)), max(0, size - have))
    ingest(store, annotate_stream(fresh), batch_size=200)
    return {"documents": stats(store)["documents"], "added": stats(store)["documents"] - have,
            "seconds": round(time.perf_counter() - t0, 1), "peak_rss_mb": round(_rss_mb(), 1)}


def run_search(db: str, rounds: int = 10) -> dict:
    store = open_store(db, create=False)
    random.seed(0)
    times = []
    for _ in range(rounds):
        for q in random.sample(QUERIES, len(QUERIES)):
            t0 = time.perf_counter()
            search(store, q, limit=20)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"store_documents": stats(store)["documents"], "queries": len(times),
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * len(times)) - 1], 1),
            "max_ms": round(times[-1], 1)}


if __name__ == "__main__":
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus")
    ap.add_argument("--db", default="/tmp/rasd-bench-100k.db")
    ap.add_argument("--ingest", type=int, default=2000)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--skip-fill", action="store_true")
    ap.add_argument("--memory", type=int, metavar="N", help="only the memory benchmark: rasd ingest of N articles")
    a = ap.parse_args()
    if a.memory:
        print(json.dumps(run_memory(a.corpus, str(Path(a.db).with_suffix(".memory.db")), a.memory), ensure_ascii=False, indent=2))
        raise SystemExit(0)
    ingest_db = str(Path(a.db).with_suffix(".ingest.db"))
    Path(ingest_db).unlink(missing_ok=True)
    out = {"ingest": run_ingest(a.corpus, ingest_db, a.ingest)}
    if not a.skip_fill:
        out["fill"] = fill(a.corpus, a.db, a.size)
    out["search"] = run_search(a.db)
    print(json.dumps(out, ensure_ascii=False, indent=2))
